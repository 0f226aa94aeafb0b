//! The attractor view's keys.

use crate::keymap::{Binding, bind, code, k};
use ratatui::crossterm::event::KeyCode;

/// Everything a key can ask for in the attractor view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowAction {
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
}

/// The attractor view's table.
pub const BINDINGS: &[Binding<FlowAction>] = &[
    bind(&[k(' ')], FlowAction::TogglePause, "pause / resume"),
    bind(
        &[k('.')],
        FlowAction::Step,
        "step one frame (0.1 time units)",
    ),
    bind(&[k('r')], FlowAction::Restart, "restart from the starts"),
    bind(&[k('+'), k('=')], FlowAction::Faster, "faster"),
    bind(&[k('-')], FlowAction::Slower, "slower"),
    bind(
        &[code(KeyCode::Left)],
        FlowAction::RotateLeft,
        "rotate left",
    ),
    bind(
        &[code(KeyCode::Right)],
        FlowAction::RotateRight,
        "rotate right",
    ),
    bind(&[code(KeyCode::Up)], FlowAction::TiltUp, "tilt up"),
    bind(&[code(KeyCode::Down)], FlowAction::TiltDown, "tilt down"),
    bind(
        &[k('o')],
        FlowAction::ToggleSpin,
        "turn the slow spin on / off",
    ),
    bind(&[k('t')], FlowAction::TrailLonger, "longer trails"),
    bind(&[k('T')], FlowAction::TrailShorter, "shorter trails"),
];
