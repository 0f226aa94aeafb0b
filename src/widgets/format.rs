//! Numbers and text as the screens print them: grouped counts, short figures, axis labels,
//! and word wrapping for messages that must never be cut.

/// `1 240 000`: thin groups, readable from the back of a lecture hall.
pub fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(ch);
    }
    out
}

/// A number for the status line: 4 significant digits, `–` when missing.
pub fn fig(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    if v != 0.0 && (v.abs() < 1e-3 || v.abs() >= 1e5) {
        format!("{v:.3e}")
    } else {
        format!("{v:.4}")
    }
}

/// One decimal, and never "-0.0".
pub fn axis_label(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    format!("{:.1}", if r == 0.0 { 0.0 } else { r })
}

/// `text` broken into lines of at most `width` characters, at spaces where it can be and
/// inside a word only when the word alone is wider; nothing is dropped.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split(' ').filter(|w| !w.is_empty()) {
            let mut word: Vec<char> = word.chars().collect();
            let len = line.chars().count();
            if len > 0 && len + 1 + word.len() <= width {
                line.push(' ');
                line.extend(&word);
                continue;
            }
            if len > 0 {
                lines.push(std::mem::take(&mut line));
            }
            while word.len() > width {
                lines.push(word.drain(..width).collect());
            }
            line = word.into_iter().collect();
        }
        lines.push(line);
    }
    lines
}

/// `s` safe to print to a terminal: control characters (an escape sequence in a scenario's
/// title, a CSV cell) are shown escaped, `\x1b`, instead of acting on the terminal. Line
/// breaks and tabs stay.
pub fn printable(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let shown: Vec<char> = if c.is_control() && c != '\n' && c != '\t' {
                format!("\\x{:02x}", c as u32).chars().collect()
            } else {
                vec![c]
            };
            shown
        })
        .collect()
}

/// The title a chapter opened with, for what it shows now: the first of `from` (the old
/// subject's names) found in it replaced by `to`, an article before it dropped (the new name
/// brings its own), else `to` added (`Optimizers race on Rosenbrock` → `… on Beale`). `from`
/// empty or naming `to` gives the title itself.
pub fn retitle(title: &str, from: &[&str], to: &str) -> String {
    if from.first().is_none_or(|f| *f == to) {
        return title.to_string();
    }
    let lower = title.to_lowercase();
    for old in from {
        if let Some(i) = lower.find(&old.to_lowercase()) {
            let before = &title[..i];
            let before = ["a ", "an ", "the "]
                .iter()
                .find_map(|a| before.strip_suffix(a))
                .unwrap_or(before);
            return format!("{before}{to}{}", &title[i + old.len()..]);
        }
    }
    format!("{title}, now on {to}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_title_follows_what_it_shows() {
        use super::retitle;
        let rosen = ["Rosenbrock", "rosenbrock"];
        let t = "Optimizers race on Rosenbrock";
        assert_eq!(retitle(t, &rosen, "Beale"), "Optimizers race on Beale");
        assert_eq!(retitle(t, &rosen, "Rosenbrock"), t);
        assert_eq!(
            retitle(
                "Gradient descent on a fitted curve",
                &["curve_fit"],
                "the saddle x² − y²"
            ),
            "Gradient descent on a fitted curve, now on the saddle x² − y²"
        );
        assert_eq!(
            retitle(
                "Critical points: the monkey saddle",
                &["monkey saddle"],
                "peaks"
            ),
            "Critical points: peaks"
        );
        assert_eq!(
            retitle("Optimizers on a saddle", &["saddle"], "Beale"),
            "Optimizers on Beale"
        );
        assert_eq!(
            retitle("Playground: the circle", &["circle"], "xor"),
            "Playground: xor"
        );
    }

    use super::*;

    #[test]
    fn groups_and_figures() {
        assert_eq!(group(1_240_000), "1 240 000");
        assert_eq!(group(999), "999");
        assert_eq!(fig(f64::NAN), "–");
        assert_eq!(fig(0.5), "0.5000");
        assert_eq!(fig(2e-5), "2.000e-5");
        assert_eq!(axis_label(-0.04), "0.0");
    }

    #[test]
    fn wrapping_keeps_every_character() {
        let text = "saved nnbook-20261201-211530.gif (75 frames, 468 KB) to the folder";
        let lines = wrap(text, 20);
        assert!(lines.iter().all(|l| l.chars().count() <= 20), "{lines:?}");
        // Every character is kept (a word wider than a line is split across lines).
        assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
        assert_eq!(wrap("one two three", 8), ["one two", "three"]);
        // A word longer than the width is split, not dropped.
        assert_eq!(wrap("abcdefgh", 3), ["abc", "def", "gh"]);
        assert_eq!(wrap("a\nb", 10), ["a", "b"]);
    }

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(
            printable("t\x1b]2;pwned\x07itle"),
            "t\\x1b]2;pwned\\x07itle"
        );
        assert_eq!(printable("a\tb\nc ✓"), "a\tb\nc ✓");
    }
}
