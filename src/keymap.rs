//! Keys as data: a screen's bindings are a table of [`Binding`]s, and the same table drives
//! its input handling, its `?` overlay, its key hints and `docs/keys.md`, so they cannot
//! disagree. This module knows no screen: each screen owns its table (`screens/*/keys.rs`).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies: everywhere on its screen, or only while the named panel has the
/// focus (a focused panel's binding wins over a screen-wide one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    Everywhere,
    In(&'static str),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

/// A plain character key (shifted characters such as `R` or `?` included).
pub const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::NONE,
    }
}

/// A named key: arrows, tab, esc.
pub const fn code(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

pub const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

/// One row of a table: these keys, in this context, do this.
pub struct Binding<A: 'static> {
    pub keys: &'static [Key],
    pub context: Context,
    pub action: A,
    pub help: &'static str,
}

/// A binding that applies everywhere on its screen.
pub const fn bind<A>(keys: &'static [Key], action: A, help: &'static str) -> Binding<A> {
    Binding {
        keys,
        context: Context::Everywhere,
        action,
        help,
    }
}

/// A binding that applies while the panel named `panel` has the focus.
pub const fn in_panel<A>(
    panel: &'static str,
    keys: &'static [Key],
    action: A,
    help: &'static str,
) -> Binding<A> {
    Binding {
        keys,
        context: Context::In(panel),
        action,
        help,
    }
}

/// A part of a screen's key reference: a heading and its rows (keys, what they do).
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    pub heading: String,
    pub rows: Vec<(String, &'static str)>,
}

fn matches(key: &Key, ev: &KeyEvent) -> bool {
    // Shift is part of the character for printable keys ('R', '?', '+'); Alt is not
    // stripped, so Alt-q never reads as q.
    let mods = ev.modifiers - KeyModifiers::SHIFT;
    match (key.code, ev.code) {
        (KeyCode::Char(a), KeyCode::Char(b)) => a == b && key.mods == mods,
        (KeyCode::BackTab, KeyCode::BackTab) => key.mods == mods,
        (a, b) => a == b && key.mods == ev.modifiers,
    }
}

/// The action of a key press: a binding of the focused panel first, then a screen-wide one.
pub fn lookup<A: Copy>(table: &[Binding<A>], ev: &KeyEvent, focus: Option<&str>) -> Option<A> {
    let find = |ctx: Context| {
        table
            .iter()
            .find(|b| b.context == ctx && b.keys.iter().any(|k| matches(k, ev)))
            .map(|b| b.action)
    };
    focus
        .and_then(|f| find_in(table, ev, f))
        .or_else(|| find(Context::Everywhere))
}

/// The binding for `ev` among those of the panel named `focus`.
fn find_in<A: Copy>(table: &[Binding<A>], ev: &KeyEvent, focus: &str) -> Option<A> {
    table
        .iter()
        .find(|b| {
            matches!(b.context, Context::In(f) if f == focus)
                && b.keys.iter().any(|k| matches(k, ev))
        })
        .map(|b| b.action)
}

/// A key as the help shows it: `space`, `Ctrl-C`, `→`.
pub fn label(key: &Key) -> String {
    let base = match key.code {
        KeyCode::Char(' ') => "space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Tab => "tab".into(),
        KeyCode::BackTab => "shift-tab".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Esc => "esc".into(),
        KeyCode::Enter => "enter".into(),
        KeyCode::Backspace => "backspace".into(),
        other => format!("{other:?}"),
    };
    if key.mods.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{}", base.to_uppercase())
    } else {
        base
    }
}

/// The keys of the first binding for `action` in `table`, joined: `+ =`.
pub fn keys_for<A: PartialEq>(table: &[Binding<A>], action: A) -> String {
    table
        .iter()
        .find(|b| b.action == action)
        .map(|b| keys_label(b.keys))
        .unwrap_or_default()
}

/// A binding's keys as the help shows them: `q Ctrl-C`, and a run of three or more
/// consecutive characters as a range, `0–7`.
pub fn keys_label(keys: &[Key]) -> String {
    let plain = |k: &Key| match k.code {
        KeyCode::Char(c) if k.mods.is_empty() => Some(c as u32),
        _ => None,
    };
    let chars: Option<Vec<u32>> = keys.iter().map(plain).collect();
    if let Some(c) = chars
        && c.len() >= 3
        && c.windows(2).all(|w| w[1] == w[0] + 1)
    {
        return format!("{}–{}", label(&keys[0]), label(&keys[keys.len() - 1]));
    }
    keys.iter().map(label).collect::<Vec<_>>().join(" ")
}

/// The bindings of `table` in `context` as a help section.
pub fn section<A>(table: &[Binding<A>], context: Context, heading: &str) -> Section {
    Section {
        heading: heading.to_string(),
        rows: table
            .iter()
            .filter(|b| b.context == context)
            .map(|b| (keys_label(b.keys), b.help))
            .collect(),
    }
}

/// Sections as Markdown tables, for `docs/keys.md`.
pub fn markdown(sections: &[Section], level: &str) -> String {
    let mut s = String::new();
    for sec in sections {
        s += &format!("\n{level} {}\n\n| key | action |\n|---|---|\n", sec.heading);
        for (keys, help) in &sec.rows {
            let keys = keys
                .split(' ')
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(" ");
            s += &format!("| {keys} | {help} |\n");
        }
    }
    s
}

/// Keys bound twice in one context of `table` (each a message): none is the rule.
pub fn clashes<A: std::fmt::Debug>(table: &[Binding<A>]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, a) in table.iter().enumerate() {
        for b in &table[i + 1..] {
            if a.context == b.context {
                for ka in a.keys.iter().filter(|k| b.keys.contains(k)) {
                    out.push(format!(
                        "{} bound to {:?} and {:?}",
                        label(ka),
                        a.action,
                        b.action
                    ));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, Debug, PartialEq)]
    enum A {
        Step,
        Cursor,
        Quit,
        Prev,
        Reseed,
    }

    const TABLE: &[Binding<A>] = &[
        Binding {
            keys: &[code(KeyCode::Right)],
            context: Context::Everywhere,
            action: A::Step,
            help: "step",
        },
        Binding {
            keys: &[code(KeyCode::Right)],
            context: Context::In("charts"),
            action: A::Cursor,
            help: "cursor",
        },
        Binding {
            keys: &[k('q'), ctrl('c')],
            context: Context::Everywhere,
            action: A::Quit,
            help: "quit",
        },
        Binding {
            keys: &[code(KeyCode::BackTab)],
            context: Context::Everywhere,
            action: A::Prev,
            help: "previous",
        },
        Binding {
            keys: &[k('R')],
            context: Context::Everywhere,
            action: A::Reseed,
            help: "reseed",
        },
    ];

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn a_focused_panel_binding_wins() {
        let right = press(KeyCode::Right, KeyModifiers::NONE);
        assert_eq!(lookup(TABLE, &right, None), Some(A::Step));
        assert_eq!(lookup(TABLE, &right, Some("charts")), Some(A::Cursor));
        assert_eq!(lookup(TABLE, &right, Some("params")), Some(A::Step));
    }

    #[test]
    fn ctrl_c_quits_shift_is_part_of_a_character_and_alt_is_not_stripped() {
        let get = |c, m| lookup(TABLE, &press(c, m), None);
        assert_eq!(
            get(KeyCode::Char('c'), KeyModifiers::CONTROL),
            Some(A::Quit)
        );
        assert_eq!(get(KeyCode::Char('c'), KeyModifiers::NONE), None);
        assert_eq!(
            get(KeyCode::Char('R'), KeyModifiers::SHIFT),
            Some(A::Reseed)
        );
        assert_eq!(get(KeyCode::BackTab, KeyModifiers::SHIFT), Some(A::Prev));
        assert_eq!(get(KeyCode::Char('q'), KeyModifiers::ALT), None);
    }

    #[test]
    fn clashes_are_found() {
        assert!(clashes(TABLE).is_empty());
        const TWICE: &[Binding<A>] = &[
            Binding {
                keys: &[k('q')],
                context: Context::Everywhere,
                action: A::Quit,
                help: "quit",
            },
            Binding {
                keys: &[k('q')],
                context: Context::Everywhere,
                action: A::Step,
                help: "step",
            },
        ];
        assert_eq!(clashes(TWICE).len(), 1);
    }
}
