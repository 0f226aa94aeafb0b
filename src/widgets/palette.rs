//! Colour modes and the app's palette. Shades are quantized to a few levels per class so
//! that unchanged areas stay unchanged on screen (and over SSH cost nothing to redraw).

use ratatui::style::Color;

/// How many colours the terminal shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum ColorMode {
    Truecolor,
    #[value(name = "256")]
    Ansi256,
    #[value(name = "16")]
    Ansi16,
    Mono,
}

impl ColorMode {
    /// From the environment: `NO_COLOR` (any non-empty value) means mono; `COLORTERM` of
    /// `truecolor`/`24bit` means truecolor; a `TERM` with `256color` means 256; `dumb` mono.
    pub fn detect(no_color: Option<&str>, colorterm: Option<&str>, term: Option<&str>) -> Self {
        if no_color.is_some_and(|v| !v.is_empty()) {
            return ColorMode::Mono;
        }
        if colorterm
            .is_some_and(|c| c.eq_ignore_ascii_case("truecolor") || c.eq_ignore_ascii_case("24bit"))
        {
            return ColorMode::Truecolor;
        }
        match term {
            Some(t) if t.contains("256color") || t.contains("direct") => ColorMode::Ansi256,
            Some("dumb") => ColorMode::Mono,
            _ => ColorMode::Ansi16,
        }
    }

    pub fn from_env() -> Self {
        let var = |k| std::env::var(k).ok();
        ColorMode::detect(
            var("NO_COLOR").as_deref(),
            var("COLORTERM").as_deref(),
            var("TERM").as_deref(),
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            ColorMode::Truecolor => "truecolor",
            ColorMode::Ansi256 => "256",
            ColorMode::Ansi16 => "16",
            ColorMode::Mono => "mono",
        }
    }
}

/// Shade levels per class (0 is neutral).
pub const LEVELS: usize = 8;

/// Class colours: Playground's orange (its negative class, our 0) and blue (our 1), then
/// more for multi-class data.
const CLASS_RGB: [(u8, u8, u8); 8] = [
    (245, 147, 34),
    (8, 119, 189),
    (64, 170, 90),
    (160, 90, 200),
    (220, 60, 70),
    (40, 180, 180),
    (200, 180, 40),
    (150, 150, 150),
];

const CLASS_16: [Color; 8] = [
    Color::Yellow,
    Color::Blue,
    Color::Green,
    Color::Magenta,
    Color::Red,
    Color::Cyan,
    Color::LightYellow,
    Color::Gray,
];

const CLASS_16_LIGHT: [Color; 8] = [
    Color::LightYellow,
    Color::LightBlue,
    Color::LightGreen,
    Color::LightMagenta,
    Color::LightRed,
    Color::LightCyan,
    Color::White,
    Color::White,
];

/// Hand-picked xterm-256 ramps for the two Playground classes, dark to bright: mixing and
/// rounding to the 6×6×6 cube would merge neighbouring shades, and the cube has few dark
/// oranges. The undecided half of the ramp is a shared grey ramp (the crisp boundary dots
/// carry the class there); the confident half is the class hue.
const RAMP_256: [[u8; LEVELS]; 2] = [
    [236, 237, 238, 239, 58, 94, 130, 136],
    [236, 237, 238, 239, 23, 24, 25, 31],
];

/// The dark neutral the shades start from.
const NEUTRAL: (u8, u8, u8) = (28, 30, 34);

#[derive(Clone, Debug)]
pub struct Palette {
    pub mode: ColorMode,
}

fn mix(a: (u8, u8, u8), b: (u8, u8, u8), t: f64) -> (u8, u8, u8) {
    let m = |x: u8, y: u8| {
        (x as f64 + (y as f64 - x as f64) * t)
            .round()
            .clamp(0.0, 255.0) as u8
    };
    (m(a.0, b.0), m(a.1, b.1), m(a.2, b.2))
}

/// The nearest xterm-256 colour (6×6×6 cube or grey ramp).
pub fn to_256((r, g, b): (u8, u8, u8)) -> u8 {
    const STEPS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    let near = |v: u8| {
        STEPS
            .iter()
            .enumerate()
            .min_by_key(|(_, s)| (**s as i32 - v as i32).abs())
            .map_or(0, |(i, _)| i)
    };
    let (ri, gi, bi) = (near(r), near(g), near(b));
    let cube = (STEPS[ri], STEPS[gi], STEPS[bi]);
    let dist = |c: (u8, u8, u8)| {
        let d = |x: u8, y: u8| (x as i32 - y as i32).pow(2);
        d(c.0, r) + d(c.1, g) + d(c.2, b)
    };
    let avg = (r as u32 + g as u32 + b as u32) / 3;
    let gi_ramp = ((avg as i32 - 8).max(0) / 10).min(23) as u8;
    let grey = 8 + 10 * gi_ramp;
    if dist((grey, grey, grey)) < dist(cube) {
        232 + gi_ramp
    } else {
        16 + 36 * ri as u8 + 6 * gi as u8 + bi as u8
    }
}

impl Palette {
    pub fn new(mode: ColorMode) -> Self {
        Palette { mode }
    }

    fn rgb(&self, c: (u8, u8, u8)) -> Color {
        match self.mode {
            ColorMode::Truecolor => Color::Rgb(c.0, c.1, c.2),
            ColorMode::Ansi256 => Color::Indexed(to_256(c)),
            ColorMode::Ansi16 | ColorMode::Mono => Color::Reset,
        }
    }

    pub fn colored(&self) -> bool {
        self.mode != ColorMode::Mono
    }

    /// Background for a cell whose most likely class is `class`, at confidence `level`
    /// (0 = undecided … `LEVELS` = certain). `None` in mono.
    pub fn shade(&self, class: usize, level: usize) -> Option<Color> {
        let level = level.min(LEVELS);
        match self.mode {
            ColorMode::Mono => None,
            ColorMode::Ansi16 => Some(match level {
                0..=2 => Color::Reset,
                3..=5 => Color::Black,
                _ => CLASS_16[class % 8],
            }),
            ColorMode::Ansi256 if class < 2 => Some(Color::Indexed(if level == 0 {
                235
            } else {
                RAMP_256[class][level - 1]
            })),
            _ => {
                // Up to 45% of the class colour, so bright dots still stand out on it.
                let t = 0.45 * level as f64 / LEVELS as f64;
                Some(self.rgb(mix(NEUTRAL, CLASS_RGB[class % 8], t)))
            }
        }
    }

    /// A class's full colour: boundary dots and train points.
    pub fn class(&self, class: usize) -> Color {
        match self.mode {
            // On 16 colours the field itself is yellow and blue, so the points take hues that
            // stand out on both.
            ColorMode::Ansi16 if class < 2 => [Color::LightRed, Color::LightCyan][class],
            ColorMode::Ansi16 => CLASS_16_LIGHT[class % 8],
            ColorMode::Mono => Color::Reset,
            _ => self.rgb(mix(CLASS_RGB[class % 8], (255, 255, 255), 0.35)),
        }
    }

    /// Test points: a pale tint of the class colour, told apart from train points.
    pub fn test_point(&self, class: usize) -> Color {
        match self.mode {
            ColorMode::Ansi16 => Color::White,
            ColorMode::Mono => Color::Reset,
            _ => self.rgb(mix(CLASS_RGB[class % 8], (255, 255, 255), 0.75)),
        }
    }

    /// A weight's colour: blue for positive, orange for negative, by magnitude in [0, 1].
    pub fn weight(&self, w: f64) -> Color {
        let class = usize::from(w > 0.0);
        let level = ((w.abs().min(1.0)) * LEVELS as f64).round() as usize;
        match self.mode {
            ColorMode::Mono => Color::Reset,
            ColorMode::Ansi16 => match level {
                0..=1 => Color::Black,
                2..=4 => CLASS_16[class],
                _ => CLASS_16_LIGHT[class],
            },
            _ => self.rgb(mix(
                NEUTRAL,
                CLASS_RGB[class],
                0.15 + 0.85 * level as f64 / LEVELS as f64,
            )),
        }
    }

    /// A weight's colour, faint: what is not in use (an input feature left out).
    pub fn faint(&self, w: f64) -> Color {
        match self.mode {
            // Sixteen colours have no faint hues: greys by sign.
            ColorMode::Ansi16 => match w {
                w if w > 0.2 => Color::Gray,
                w if w < -0.2 => Color::Black,
                _ => Color::DarkGray,
            },
            _ => self.weight(w * 0.25),
        }
    }

    /// How signs read in this mode: what the network panel's key says.
    pub fn sign_key(&self) -> &'static str {
        match self.mode {
            ColorMode::Ansi16 => "blue > 0 · yellow < 0 · ▪ bias",
            // No colour: thumbnails by dot density, negative edges dotted, biases as + and -.
            ColorMode::Mono => "dense > 0 · sparse < 0 · dotted edge < 0",
            _ => "blue > 0 · orange < 0 · ▪ bias",
        }
    }

    /// Series colours for charts: train, test.
    pub fn series(&self, test: bool) -> Color {
        match (self.mode, test) {
            (ColorMode::Mono, _) => Color::Reset,
            (ColorMode::Ansi16, false) => Color::LightCyan,
            (ColorMode::Ansi16, true) => Color::LightMagenta,
            (_, false) => self.rgb((90, 190, 240)),
            (_, true) => self.rgb((245, 150, 60)),
        }
    }

    pub fn accent(&self) -> Color {
        match self.mode {
            ColorMode::Mono => Color::Reset,
            ColorMode::Ansi16 => Color::LightCyan,
            _ => self.rgb((120, 200, 255)),
        }
    }

    pub fn dim(&self) -> Color {
        match self.mode {
            ColorMode::Mono => Color::Reset,
            ColorMode::Ansi16 => Color::DarkGray,
            _ => self.rgb((130, 134, 140)),
        }
    }

    pub fn warn(&self) -> Color {
        match self.mode {
            ColorMode::Mono => Color::Reset,
            ColorMode::Ansi16 => Color::LightRed,
            _ => self.rgb((255, 95, 90)),
        }
    }
}

/// A racer's colour.
pub fn racer_color(pal: &Palette, i: usize) -> Color {
    const RGB: [(u8, u8, u8); 8] = [
        (255, 99, 99),
        (255, 214, 80),
        (90, 220, 255),
        (230, 120, 255),
        (120, 235, 120),
        (255, 160, 60),
        (240, 240, 240),
        (110, 150, 255),
    ];
    const C16: [Color; 8] = [
        Color::LightRed,
        Color::LightYellow,
        Color::LightCyan,
        Color::LightMagenta,
        Color::LightGreen,
        Color::Yellow,
        Color::White,
        Color::LightBlue,
    ];
    let c = RGB[i % 8];
    match pal.mode {
        ColorMode::Truecolor => Color::Rgb(c.0, c.1, c.2),
        ColorMode::Ansi256 => Color::Indexed(to_256(c)),
        ColorMode::Ansi16 => C16[i % 8],
        ColorMode::Mono => Color::Reset,
    }
}

/// Chart colours, kept apart from the class colours so that a chart's lines never read as
/// classes: Playground's convention of a grey training series under the foreground test
/// series (light on our dark background).
impl Palette {
    /// A loss or accuracy series: train grey, test near-white.
    pub fn chart_series(&self, test: bool) -> Color {
        match (self.mode, test) {
            (ColorMode::Mono, _) => Color::Reset,
            (ColorMode::Ansi16, false) => Color::Gray,
            (ColorMode::Ansi16, true) => Color::White,
            (_, false) => self.rgb((150, 156, 168)),
            (_, true) => self.rgb((245, 245, 245)),
        }
    }

    /// The raw series drawn faint under its smoothed line.
    pub fn chart_raw(&self, test: bool) -> Color {
        match (self.mode, test) {
            (ColorMode::Mono, _) => Color::Reset,
            (ColorMode::Ansi16, _) => Color::DarkGray,
            (_, false) => self.rgb((78, 82, 92)),
            (_, true) => self.rgb((112, 114, 122)),
        }
    }

    /// The background of a chart cell where the test series covers the train series: the
    /// train line shows under the test line's dots.
    pub fn chart_under(&self) -> Option<Color> {
        match self.mode {
            ColorMode::Mono => None,
            ColorMode::Ansi16 => Some(Color::DarkGray),
            _ => Some(self.rgb((54, 58, 68))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_follows_the_conventions() {
        assert_eq!(
            ColorMode::detect(Some("1"), Some("truecolor"), Some("xterm-256color")),
            ColorMode::Mono
        );
        assert_eq!(
            ColorMode::detect(Some(""), Some("truecolor"), None),
            ColorMode::Truecolor
        );
        assert_eq!(
            ColorMode::detect(None, None, Some("xterm-256color")),
            ColorMode::Ansi256
        );
        assert_eq!(
            ColorMode::detect(None, None, Some("xterm")),
            ColorMode::Ansi16
        );
        assert_eq!(ColorMode::detect(None, None, Some("dumb")), ColorMode::Mono);
    }

    #[test]
    fn shades_are_distinct_in_256_colours() {
        let p = Palette::new(ColorMode::Ansi256);
        for class in 0..2 {
            let shades: std::collections::HashSet<_> = (0..=LEVELS)
                .map(|l| format!("{:?}", p.shade(class, l)))
                .collect();
            assert!(
                shades.len() >= 6,
                "class {class}: only {} distinct shades",
                shades.len()
            );
        }
        let p = Palette::new(ColorMode::Truecolor);
        let shades: std::collections::HashSet<_> = (0..=LEVELS)
            .map(|l| format!("{:?}", p.shade(1, l)))
            .collect();
        assert_eq!(shades.len(), LEVELS + 1);
    }

    #[test]
    fn xterm_256_mapping_hits_exact_cube_colours() {
        assert_eq!(to_256((255, 0, 0)), 196);
        assert_eq!(to_256((0, 0, 0)), 16);
        assert_eq!(to_256((128, 128, 128)), 244);
    }
}
