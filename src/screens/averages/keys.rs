//! The moving-averages view's keys.

use crate::keymap::{Binding, bind, code, k};
use ratatui::crossterm::event::KeyCode;

/// Everything a key can ask for in the moving-averages view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AvgAction {
    TogglePause,
    Step,
    Back,
    Restart,
    Reseed,
    Faster,
    Slower,
    ToggleCorrection,
    ToggleRaw,
}

/// The moving-averages view's table.
pub const BINDINGS: &[Binding<AvgAction>] = &[
    bind(&[k(' ')], AvgAction::TogglePause, "pause / resume"),
    bind(
        &[k('.'), code(KeyCode::Right)],
        AvgAction::Step,
        "one point more",
    ),
    bind(&[code(KeyCode::Left)], AvgAction::Back, "one point back"),
    bind(
        &[k('r')],
        AvgAction::Restart,
        "start again from the first point",
    ),
    bind(
        &[k('R')],
        AvgAction::Reseed,
        "a new noisy series (new seed)",
    ),
    bind(&[k('+'), k('=')], AvgAction::Faster, "faster"),
    bind(&[k('-')], AvgAction::Slower, "slower"),
    bind(
        &[k('c')],
        AvgAction::ToggleCorrection,
        "bias correction v / (1 − βᵗ) on / off (what Adam does)",
    ),
    bind(
        &[k('x')],
        AvgAction::ToggleRaw,
        "show / hide the raw points",
    ),
];
