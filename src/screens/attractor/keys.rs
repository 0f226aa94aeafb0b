//! The attractor view's keys.

use crate::keymap::{Binding, Context::Everywhere, code, k};
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
];
