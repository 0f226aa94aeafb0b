//! The optimizer race's keys.

use crate::keymap::{Binding, Context::Everywhere, code, k};
use ratatui::crossterm::event::KeyCode;

/// Everything a key can ask for in the optimizer race.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RaceAction {
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
}

/// The race view's table.
pub const BINDINGS: &[Binding<RaceAction>] = &[
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
];
