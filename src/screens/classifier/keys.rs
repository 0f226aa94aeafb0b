//! The classifier screen's keys: one table drives its input, its help and its hints.

use crate::keymap::{
    Binding,
    Context::{Everywhere, In},
    code, k,
};
use ratatui::crossterm::event::KeyCode;

/// Which panel has the focus; some keys mean different things in different panels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    Boundary,
    Charts,
    Params,
}

/// The panels' names, as the binding table's contexts give them.
pub const BOUNDARY: &str = "boundary";
pub const CHARTS: &str = "charts";
pub const PARAMS: &str = "parameters";

impl Focus {
    pub const ORDER: [Focus; 3] = [Focus::Boundary, Focus::Charts, Focus::Params];

    pub fn name(self) -> &'static str {
        match self {
            Focus::Boundary => BOUNDARY,
            Focus::Charts => CHARTS,
            Focus::Params => PARAMS,
        }
    }
}

/// Everything a key can ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
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
    ToggleActivations,
    CursorLeft,
    CursorRight,
    CursorOff,
    ParamUp,
    ParamDown,
    ParamDec,
    ParamInc,
}

/// The classifier screen's table (the chrome's keys — quit, help, notes, recording,
/// chapters — come first, from `screens::view::CHROME_BINDINGS`).
pub const BINDINGS: &[Binding<Action>] = &[
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
        keys: &[k('a')],
        context: Everywhere,
        action: Action::ToggleActivations,
        help: "activation functions panel",
    },
    Binding {
        keys: &[code(KeyCode::Right)],
        context: In(BOUNDARY),
        action: Action::StepEpoch,
        help: "step one epoch",
    },
    Binding {
        keys: &[code(KeyCode::Left)],
        context: In(CHARTS),
        action: Action::CursorLeft,
        help: "cursor back",
    },
    Binding {
        keys: &[code(KeyCode::Right)],
        context: In(CHARTS),
        action: Action::CursorRight,
        help: "cursor forward",
    },
    Binding {
        keys: &[code(KeyCode::Esc)],
        context: In(CHARTS),
        action: Action::CursorOff,
        help: "hide cursor",
    },
    Binding {
        keys: &[code(KeyCode::Up)],
        context: In(PARAMS),
        action: Action::ParamUp,
        help: "previous parameter",
    },
    Binding {
        keys: &[code(KeyCode::Down)],
        context: In(PARAMS),
        action: Action::ParamDown,
        help: "next parameter",
    },
    Binding {
        keys: &[code(KeyCode::Left)],
        context: In(PARAMS),
        action: Action::ParamDec,
        help: "decrease value",
    },
    Binding {
        keys: &[code(KeyCode::Right)],
        context: In(PARAMS),
        action: Action::ParamInc,
        help: "increase value",
    },
];
