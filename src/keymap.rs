//! Every key binding, once. The input handler looks keys up here and the help overlay is
//! generated from the same table, so the two cannot disagree.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Everything a key can ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    TogglePause,
    StepEpoch,
    StepBatch,
    Reset,
    Reseed,
    Faster,
    Slower,
    LrUp,
    LrDown,
    NextOptimizer,
    FocusNext,
    FocusPrev,
    Edit,
    ToggleField,
    ToggleBoundary,
    ToggleTrain,
    ToggleTest,
    ToggleLog,
    ToggleWhole,
    ZoomIn,
    ZoomOut,
    ToggleLandscape,
    Record,
    Screenshot,
    ToggleNotes,
    ToggleActivations,
    NextChapter,
    PrevChapter,
    CursorLeft,
    CursorRight,
    CursorOff,
    ParamUp,
    ParamDown,
    ParamDec,
    ParamInc,
}

/// Which panel has the focus; some keys mean different things in different panels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    Boundary,
    Charts,
    Params,
}

impl Focus {
    pub const ORDER: [Focus; 3] = [Focus::Boundary, Focus::Charts, Focus::Params];

    pub fn name(self) -> &'static str {
        match self {
            Focus::Boundary => "boundary",
            Focus::Charts => "charts",
            Focus::Params => "parameters",
        }
    }
}

/// Where a binding applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    Everywhere,
    In(Focus),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::NONE,
    }
}

const fn code(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

pub struct Binding<A: 'static = Action> {
    pub keys: &'static [Key],
    pub context: Context,
    pub action: A,
    pub help: &'static str,
}

/// Everything a key can ask for in the optimizer race.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RaceAction {
    Quit,
    Help,
    TogglePause,
    Step,
    Restart,
    Faster,
    Slower,
    StartLeft,
    StartRight,
    StartUp,
    StartDown,
    LrUp,
    LrDown,
    MomentumUp,
    MomentumDown,
    NextRacer,
    PrevRacer,
    AddRacer,
    RemoveRacer,
    NextSurface,
    PrevSurface,
    ZoomIn,
    ZoomOut,
    PanLeft,
    PanRight,
    PanUp,
    PanDown,
    TrailLonger,
    TrailShorter,
    Edit,
    Record,
    Screenshot,
    ToggleNotes,
    NextChapter,
    PrevChapter,
}

use Context::{Everywhere, In};

/// The one table.
pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: &[k('q'), ctrl('c')],
        context: Everywhere,
        action: Action::Quit,
        help: "quit",
    },
    Binding {
        keys: &[k('?')],
        context: Everywhere,
        action: Action::Help,
        help: "help",
    },
    Binding {
        keys: &[k(' ')],
        context: Everywhere,
        action: Action::TogglePause,
        help: "pause / resume",
    },
    Binding {
        keys: &[k('.')],
        context: Everywhere,
        action: Action::StepEpoch,
        help: "step one epoch",
    },
    Binding {
        keys: &[k(',')],
        context: Everywhere,
        action: Action::StepBatch,
        help: "step one mini-batch",
    },
    Binding {
        keys: &[k('r')],
        context: Everywhere,
        action: Action::Reset,
        help: "reset (same seed)",
    },
    Binding {
        keys: &[k('R')],
        context: Everywhere,
        action: Action::Reseed,
        help: "new seed: new data and weights",
    },
    Binding {
        keys: &[k('+'), k('=')],
        context: Everywhere,
        action: Action::Faster,
        help: "faster",
    },
    Binding {
        keys: &[k('-')],
        context: Everywhere,
        action: Action::Slower,
        help: "slower",
    },
    Binding {
        keys: &[k(']')],
        context: Everywhere,
        action: Action::LrUp,
        help: "learning rate up",
    },
    Binding {
        keys: &[k('[')],
        context: Everywhere,
        action: Action::LrDown,
        help: "learning rate down",
    },
    Binding {
        keys: &[k('o')],
        context: Everywhere,
        action: Action::NextOptimizer,
        help: "next optimizer",
    },
    Binding {
        keys: &[code(KeyCode::Tab)],
        context: Everywhere,
        action: Action::FocusNext,
        help: "focus next panel",
    },
    Binding {
        keys: &[code(KeyCode::BackTab)],
        context: Everywhere,
        action: Action::FocusPrev,
        help: "focus previous panel",
    },
    Binding {
        keys: &[k('e')],
        context: Everywhere,
        action: Action::Edit,
        help: "edit the scenario",
    },
    Binding {
        keys: &[k('f')],
        context: Everywhere,
        action: Action::ToggleField,
        help: "show/hide probability field",
    },
    Binding {
        keys: &[k('b')],
        context: Everywhere,
        action: Action::ToggleBoundary,
        help: "show/hide crisp boundary",
    },
    Binding {
        keys: &[k('t')],
        context: Everywhere,
        action: Action::ToggleTrain,
        help: "show/hide train points",
    },
    Binding {
        keys: &[k('v')],
        context: Everywhere,
        action: Action::ToggleTest,
        help: "show/hide test points",
    },
    Binding {
        keys: &[k('l')],
        context: Everywhere,
        action: Action::ToggleLog,
        help: "log-scale loss",
    },
    Binding {
        keys: &[k('w')],
        context: Everywhere,
        action: Action::ToggleWhole,
        help: "whole history / last epochs",
    },
    Binding {
        keys: &[k('z')],
        context: Everywhere,
        action: Action::ZoomIn,
        help: "zoom charts in (fewer epochs)",
    },
    Binding {
        keys: &[k('Z')],
        context: Everywhere,
        action: Action::ZoomOut,
        help: "zoom charts out",
    },
    Binding {
        keys: &[k('m')],
        context: Everywhere,
        action: Action::ToggleLandscape,
        help: "weights / loss landscape panel",
    },
    Binding {
        keys: &[k('g')],
        context: Everywhere,
        action: Action::Record,
        help: "start / stop GIF recording",
    },
    Binding {
        keys: &[k('P')],
        context: Everywhere,
        action: Action::Screenshot,
        help: "save the screen as PNG",
    },
    Binding {
        keys: &[k('i')],
        context: Everywhere,
        action: Action::ToggleNotes,
        help: "show / hide the chapter's notes",
    },
    Binding {
        keys: &[k('a')],
        context: Everywhere,
        action: Action::ToggleActivations,
        help: "activation functions panel",
    },
    Binding {
        keys: &[k('n')],
        context: Everywhere,
        action: Action::NextChapter,
        help: "next chapter (lecture mode)",
    },
    Binding {
        keys: &[k('p')],
        context: Everywhere,
        action: Action::PrevChapter,
        help: "previous chapter (lecture mode)",
    },
    Binding {
        keys: &[code(KeyCode::Right)],
        context: In(Focus::Boundary),
        action: Action::StepEpoch,
        help: "step one epoch",
    },
    Binding {
        keys: &[code(KeyCode::Left)],
        context: In(Focus::Charts),
        action: Action::CursorLeft,
        help: "cursor back",
    },
    Binding {
        keys: &[code(KeyCode::Right)],
        context: In(Focus::Charts),
        action: Action::CursorRight,
        help: "cursor forward",
    },
    Binding {
        keys: &[code(KeyCode::Esc)],
        context: In(Focus::Charts),
        action: Action::CursorOff,
        help: "hide cursor",
    },
    Binding {
        keys: &[code(KeyCode::Up)],
        context: In(Focus::Params),
        action: Action::ParamUp,
        help: "previous parameter",
    },
    Binding {
        keys: &[code(KeyCode::Down)],
        context: In(Focus::Params),
        action: Action::ParamDown,
        help: "next parameter",
    },
    Binding {
        keys: &[code(KeyCode::Left)],
        context: In(Focus::Params),
        action: Action::ParamDec,
        help: "decrease value",
    },
    Binding {
        keys: &[code(KeyCode::Right)],
        context: In(Focus::Params),
        action: Action::ParamInc,
        help: "increase value",
    },
];

/// Everything a key can ask for in the attractor view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowAction {
    Quit,
    Help,
    TogglePause,
    Step,
    Restart,
    Faster,
    Slower,
    RotateLeft,
    RotateRight,
    TiltUp,
    TiltDown,
    ToggleSpin,
    TrailLonger,
    TrailShorter,
    ToggleNotes,
    NextChapter,
    PrevChapter,
    Record,
    Screenshot,
}

/// The attractor view's table.
pub const FLOW_BINDINGS: &[Binding<FlowAction>] = &[
    Binding {
        keys: &[k('q'), ctrl('c')],
        context: Everywhere,
        action: FlowAction::Quit,
        help: "quit",
    },
    Binding {
        keys: &[k('?')],
        context: Everywhere,
        action: FlowAction::Help,
        help: "help",
    },
    Binding {
        keys: &[k(' ')],
        context: Everywhere,
        action: FlowAction::TogglePause,
        help: "pause / resume",
    },
    Binding {
        keys: &[k('.')],
        context: Everywhere,
        action: FlowAction::Step,
        help: "step one frame (0.1 time units)",
    },
    Binding {
        keys: &[k('r')],
        context: Everywhere,
        action: FlowAction::Restart,
        help: "restart from the starts",
    },
    Binding {
        keys: &[k('+'), k('=')],
        context: Everywhere,
        action: FlowAction::Faster,
        help: "faster",
    },
    Binding {
        keys: &[k('-')],
        context: Everywhere,
        action: FlowAction::Slower,
        help: "slower",
    },
    Binding {
        keys: &[code(KeyCode::Left)],
        context: Everywhere,
        action: FlowAction::RotateLeft,
        help: "rotate left",
    },
    Binding {
        keys: &[code(KeyCode::Right)],
        context: Everywhere,
        action: FlowAction::RotateRight,
        help: "rotate right",
    },
    Binding {
        keys: &[code(KeyCode::Up)],
        context: Everywhere,
        action: FlowAction::TiltUp,
        help: "tilt up",
    },
    Binding {
        keys: &[code(KeyCode::Down)],
        context: Everywhere,
        action: FlowAction::TiltDown,
        help: "tilt down",
    },
    Binding {
        keys: &[k('o')],
        context: Everywhere,
        action: FlowAction::ToggleSpin,
        help: "turn the slow spin on / off",
    },
    Binding {
        keys: &[k('t')],
        context: Everywhere,
        action: FlowAction::TrailLonger,
        help: "longer trails",
    },
    Binding {
        keys: &[k('T')],
        context: Everywhere,
        action: FlowAction::TrailShorter,
        help: "shorter trails",
    },
    Binding {
        keys: &[k('i')],
        context: Everywhere,
        action: FlowAction::ToggleNotes,
        help: "show / hide the chapter's notes",
    },
    Binding {
        keys: &[k('n')],
        context: Everywhere,
        action: FlowAction::NextChapter,
        help: "next chapter (lecture mode)",
    },
    Binding {
        keys: &[k('p')],
        context: Everywhere,
        action: FlowAction::PrevChapter,
        help: "previous chapter (lecture mode)",
    },
    Binding {
        keys: &[k('g')],
        context: Everywhere,
        action: FlowAction::Record,
        help: "start / stop GIF recording",
    },
    Binding {
        keys: &[k('P')],
        context: Everywhere,
        action: FlowAction::Screenshot,
        help: "save the screen as PNG",
    },
];

/// The race view's table.
pub const RACE_BINDINGS: &[Binding<RaceAction>] = &[
    Binding {
        keys: &[k('q'), ctrl('c')],
        context: Everywhere,
        action: RaceAction::Quit,
        help: "quit",
    },
    Binding {
        keys: &[k('?')],
        context: Everywhere,
        action: RaceAction::Help,
        help: "help",
    },
    Binding {
        keys: &[k(' ')],
        context: Everywhere,
        action: RaceAction::TogglePause,
        help: "pause / resume",
    },
    Binding {
        keys: &[k('.')],
        context: Everywhere,
        action: RaceAction::Step,
        help: "step once",
    },
    Binding {
        keys: &[k('r')],
        context: Everywhere,
        action: RaceAction::Restart,
        help: "restart from the start point",
    },
    Binding {
        keys: &[k('+'), k('=')],
        context: Everywhere,
        action: RaceAction::Faster,
        help: "faster",
    },
    Binding {
        keys: &[k('-')],
        context: Everywhere,
        action: RaceAction::Slower,
        help: "slower",
    },
    Binding {
        keys: &[code(KeyCode::Left)],
        context: Everywhere,
        action: RaceAction::StartLeft,
        help: "move the start left (restarts)",
    },
    Binding {
        keys: &[code(KeyCode::Right)],
        context: Everywhere,
        action: RaceAction::StartRight,
        help: "move the start right (restarts)",
    },
    Binding {
        keys: &[code(KeyCode::Up)],
        context: Everywhere,
        action: RaceAction::StartUp,
        help: "move the start up (restarts)",
    },
    Binding {
        keys: &[code(KeyCode::Down)],
        context: Everywhere,
        action: RaceAction::StartDown,
        help: "move the start down (restarts)",
    },
    Binding {
        keys: &[k(']')],
        context: Everywhere,
        action: RaceAction::LrUp,
        help: "selected racer: learning rate up",
    },
    Binding {
        keys: &[k('[')],
        context: Everywhere,
        action: RaceAction::LrDown,
        help: "selected racer: learning rate down",
    },
    Binding {
        keys: &[k('}')],
        context: Everywhere,
        action: RaceAction::MomentumUp,
        help: "selected racer: momentum / β1 up",
    },
    Binding {
        keys: &[k('{')],
        context: Everywhere,
        action: RaceAction::MomentumDown,
        help: "selected racer: momentum / β1 down",
    },
    Binding {
        keys: &[code(KeyCode::Tab)],
        context: Everywhere,
        action: RaceAction::NextRacer,
        help: "select the next racer",
    },
    Binding {
        keys: &[code(KeyCode::BackTab)],
        context: Everywhere,
        action: RaceAction::PrevRacer,
        help: "select the previous racer",
    },
    Binding {
        keys: &[k('a')],
        context: Everywhere,
        action: RaceAction::AddRacer,
        help: "add a racer (next optimizer kind)",
    },
    Binding {
        keys: &[k('x')],
        context: Everywhere,
        action: RaceAction::RemoveRacer,
        help: "remove the selected racer",
    },
    Binding {
        keys: &[k('s')],
        context: Everywhere,
        action: RaceAction::NextSurface,
        help: "next surface",
    },
    Binding {
        keys: &[k('S')],
        context: Everywhere,
        action: RaceAction::PrevSurface,
        help: "previous surface",
    },
    Binding {
        keys: &[k('z')],
        context: Everywhere,
        action: RaceAction::ZoomIn,
        help: "zoom in",
    },
    Binding {
        keys: &[k('Z')],
        context: Everywhere,
        action: RaceAction::ZoomOut,
        help: "zoom out",
    },
    Binding {
        keys: &[k('h')],
        context: Everywhere,
        action: RaceAction::PanLeft,
        help: "pan left",
    },
    Binding {
        keys: &[k('l')],
        context: Everywhere,
        action: RaceAction::PanRight,
        help: "pan right",
    },
    Binding {
        keys: &[k('k')],
        context: Everywhere,
        action: RaceAction::PanUp,
        help: "pan up",
    },
    Binding {
        keys: &[k('j')],
        context: Everywhere,
        action: RaceAction::PanDown,
        help: "pan down",
    },
    Binding {
        keys: &[k('t')],
        context: Everywhere,
        action: RaceAction::TrailLonger,
        help: "longer trails",
    },
    Binding {
        keys: &[k('T')],
        context: Everywhere,
        action: RaceAction::TrailShorter,
        help: "shorter trails",
    },
    Binding {
        keys: &[k('e')],
        context: Everywhere,
        action: RaceAction::Edit,
        help: "edit the scenario",
    },
    Binding {
        keys: &[k('g')],
        context: Everywhere,
        action: RaceAction::Record,
        help: "start / stop GIF recording",
    },
    Binding {
        keys: &[k('P')],
        context: Everywhere,
        action: RaceAction::Screenshot,
        help: "save the screen as PNG",
    },
    Binding {
        keys: &[k('i')],
        context: Everywhere,
        action: RaceAction::ToggleNotes,
        help: "show / hide the chapter's notes",
    },
    Binding {
        keys: &[k('n')],
        context: Everywhere,
        action: RaceAction::NextChapter,
        help: "next chapter (lecture mode)",
    },
    Binding {
        keys: &[k('p')],
        context: Everywhere,
        action: RaceAction::PrevChapter,
        help: "previous chapter (lecture mode)",
    },
];

fn matches(key: &Key, ev: &KeyEvent) -> bool {
    // Shift is part of the character for printable keys ('R', '?', '+').
    let mods = ev.modifiers - KeyModifiers::SHIFT;
    match (key.code, ev.code) {
        (KeyCode::Char(a), KeyCode::Char(b)) => a == b && key.mods == mods,
        (a, b) => {
            a == b
                && key.mods
                    == ev.modifiers
                        - if a == KeyCode::BackTab {
                            KeyModifiers::SHIFT
                        } else {
                            KeyModifiers::NONE
                        }
        }
    }
}

/// The action of a key press with `focus`: a binding of that panel first, then a global one.
pub fn lookup(ev: &KeyEvent, focus: Focus) -> Option<Action> {
    lookup_in(BINDINGS, ev, Some(focus))
}

/// The same lookup in any table.
pub fn lookup_in<A: Copy>(table: &[Binding<A>], ev: &KeyEvent, focus: Option<Focus>) -> Option<A> {
    let find = |ctx: Context| {
        table
            .iter()
            .find(|b| b.context == ctx && b.keys.iter().any(|k| matches(k, ev)))
            .map(|b| b.action)
    };
    focus.and_then(|f| find(In(f))).or_else(|| find(Everywhere))
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
        other => format!("{other:?}"),
    };
    if key.mods.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{}", base.to_uppercase())
    } else {
        base
    }
}

/// The keys of the first binding for `action`, joined: `+ =`.
pub fn keys_for(action: Action) -> String {
    BINDINGS
        .iter()
        .find(|b| b.action == action)
        .map(|b| b.keys.iter().map(label).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// The key reference as Markdown, for `docs/keys.md` (a test keeps the file in step).
pub fn markdown() -> String {
    let mut s = String::from(
        "# Keys\n\nGenerated from the binding table in `src/keymap.rs` (the same table drives the\n\
         keyboard and the `?` overlay); `tests/docs.rs` fails when this file falls behind.\n",
    );
    let groups = [
        (Context::Everywhere, "Everywhere"),
        (
            Context::In(Focus::Boundary),
            "Decision boundary panel focused",
        ),
        (Context::In(Focus::Charts), "Charts focused"),
        (Context::In(Focus::Params), "Parameters panel focused"),
    ];
    for (ctx, name) in groups {
        s += &format!("\n## {name}\n\n| key | action |\n|---|---|\n");
        for b in BINDINGS.iter().filter(|b| b.context == ctx) {
            let keys = b
                .keys
                .iter()
                .map(|k| format!("`{}`", label(k)))
                .collect::<Vec<_>>()
                .join(" ");
            s += &format!("| {keys} | {} |\n", b.help);
        }
    }
    s += "\n## Optimizer race view\n\n| key | action |\n|---|---|\n";
    for b in RACE_BINDINGS {
        let keys = b
            .keys
            .iter()
            .map(|k| format!("`{}`", label(k)))
            .collect::<Vec<_>>()
            .join(" ");
        s += &format!("| {keys} | {} |\n", b.help);
    }
    s += "\n## Attractor view\n\n| key | action |\n|---|---|\n";
    for b in FLOW_BINDINGS {
        let keys = b
            .keys
            .iter()
            .map(|k| format!("`{}`", label(k)))
            .collect::<Vec<_>>()
            .join(" ");
        s += &format!("| {keys} | {} |\n", b.help);
    }
    s += "\nIn the editor (`e`): `Ctrl-S` checks and applies the scenario, `Esc` discards the edit;\n\
          everything else edits the text. Any key closes the help overlay.\n";
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn arrows_depend_on_the_focused_panel() {
        let right = press(KeyCode::Right, KeyModifiers::NONE);
        assert_eq!(lookup(&right, Focus::Boundary), Some(Action::StepEpoch));
        assert_eq!(lookup(&right, Focus::Charts), Some(Action::CursorRight));
        assert_eq!(lookup(&right, Focus::Params), Some(Action::ParamInc));
    }

    #[test]
    fn ctrl_c_quits_and_shifted_characters_match() {
        assert_eq!(
            lookup(
                &press(KeyCode::Char('c'), KeyModifiers::CONTROL),
                Focus::Boundary
            ),
            Some(Action::Quit)
        );
        assert_eq!(
            lookup(
                &press(KeyCode::Char('c'), KeyModifiers::NONE),
                Focus::Boundary
            ),
            None
        );
        assert_eq!(
            lookup(
                &press(KeyCode::Char('R'), KeyModifiers::SHIFT),
                Focus::Params
            ),
            Some(Action::Reseed)
        );
        assert_eq!(
            lookup(
                &press(KeyCode::Char('?'), KeyModifiers::SHIFT),
                Focus::Params
            ),
            Some(Action::Help)
        );
        assert_eq!(
            lookup(&press(KeyCode::BackTab, KeyModifiers::SHIFT), Focus::Params),
            Some(Action::FocusPrev)
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                if a.context == b.context {
                    for ka in a.keys {
                        assert!(
                            !b.keys.contains(ka),
                            "{} bound to {:?} and {:?}",
                            label(ka),
                            a.action,
                            b.action
                        );
                    }
                }
            }
        }
    }
}
