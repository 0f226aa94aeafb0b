//! The optimizer race's keys.

use crate::keymap::{Binding, bind, code, in_panel, k};
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
    ToggleView,
    TurnLeft,
    TurnRight,
    TiltUp,
    TiltDown,
    ToggleSpin,
}

/// The 3-D view's keys win over the screen's while it is shown: the arrows turn and tilt it.
pub const THREE_D: &str = "3-D view";

/// The race view's table.
pub const BINDINGS: &[Binding<RaceAction>] = &[
    bind(&[k(' ')], RaceAction::TogglePause, "pause / resume"),
    bind(&[k('.')], RaceAction::Step, "step once"),
    bind(
        &[k('r')],
        RaceAction::Restart,
        "restart from the start point",
    ),
    bind(&[k('+'), k('=')], RaceAction::Faster, "faster"),
    bind(&[k('-')], RaceAction::Slower, "slower"),
    bind(
        &[code(KeyCode::Left)],
        RaceAction::StartLeft,
        "move the start left (restarts)",
    ),
    bind(
        &[code(KeyCode::Right)],
        RaceAction::StartRight,
        "move the start right (restarts)",
    ),
    bind(
        &[code(KeyCode::Up)],
        RaceAction::StartUp,
        "move the start up (restarts)",
    ),
    bind(
        &[code(KeyCode::Down)],
        RaceAction::StartDown,
        "move the start down (restarts)",
    ),
    bind(
        &[k(']')],
        RaceAction::LrUp,
        "selected racer: learning rate up",
    ),
    bind(
        &[k('[')],
        RaceAction::LrDown,
        "selected racer: learning rate down",
    ),
    bind(
        &[k('}')],
        RaceAction::MomentumUp,
        "selected racer: momentum / β1 up",
    ),
    bind(
        &[k('{')],
        RaceAction::MomentumDown,
        "selected racer: momentum / β1 down",
    ),
    bind(
        &[code(KeyCode::Tab)],
        RaceAction::NextRacer,
        "select the next racer",
    ),
    bind(
        &[code(KeyCode::BackTab)],
        RaceAction::PrevRacer,
        "select the previous racer",
    ),
    bind(
        &[k('a')],
        RaceAction::AddRacer,
        "add a racer (next optimizer kind)",
    ),
    bind(
        &[k('x')],
        RaceAction::RemoveRacer,
        "remove the selected racer",
    ),
    bind(&[k('s')], RaceAction::NextSurface, "next surface"),
    bind(&[k('S')], RaceAction::PrevSurface, "previous surface"),
    bind(&[k('z')], RaceAction::ZoomIn, "zoom in"),
    bind(&[k('Z')], RaceAction::ZoomOut, "zoom out"),
    bind(&[k('h')], RaceAction::PanLeft, "pan left"),
    bind(&[k('l')], RaceAction::PanRight, "pan right"),
    bind(&[k('k')], RaceAction::PanUp, "pan up"),
    bind(&[k('j')], RaceAction::PanDown, "pan down"),
    bind(&[k('t')], RaceAction::TrailLonger, "longer trails"),
    bind(&[k('T')], RaceAction::TrailShorter, "shorter trails"),
    bind(&[k('e')], RaceAction::Edit, "edit the scenario"),
    bind(
        &[k('v')],
        RaceAction::ToggleView,
        "switch between the contour map and the 3-D surface",
    ),
    in_panel(
        THREE_D,
        &[code(KeyCode::Left)],
        RaceAction::TurnLeft,
        "turn the surface left",
    ),
    in_panel(
        THREE_D,
        &[code(KeyCode::Right)],
        RaceAction::TurnRight,
        "turn the surface right",
    ),
    in_panel(
        THREE_D,
        &[code(KeyCode::Up)],
        RaceAction::TiltUp,
        "look down more steeply",
    ),
    in_panel(
        THREE_D,
        &[code(KeyCode::Down)],
        RaceAction::TiltDown,
        "look along the floor",
    ),
    in_panel(
        THREE_D,
        &[k('o')],
        RaceAction::ToggleSpin,
        "turn the slow spin on / off",
    ),
];
