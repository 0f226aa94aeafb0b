//! The classifier screen's keys: one table drives its input, its help and its hints.

use crate::keymap::{Binding, bind, code, in_panel, k};
use ratatui::crossterm::event::KeyCode;

/// Which panel has the focus; some keys mean different things in different panels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    Boundary,
    Network,
    Charts,
    Params,
}

/// The panels' names, as the binding table's contexts give them.
pub const BOUNDARY: &str = "boundary";
pub const NETWORK: &str = "network";
pub const CHARTS: &str = "charts";
pub const PARAMS: &str = "parameters";

impl Focus {
    /// Tab's order (the network panel is skipped while the weights panel shows instead).
    pub const ORDER: [Focus; 4] = [
        Focus::Boundary,
        Focus::Network,
        Focus::Charts,
        Focus::Params,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Focus::Boundary => BOUNDARY,
            Focus::Network => NETWORK,
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
    Smoothing,
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
    ToggleNetwork,
    /// Runs side by side: each run's weight matrix as a 3-D surface / as a heatmap.
    WeightsSurface,
    ToggleConfusion,
    ToggleErrors,
    NodeUp,
    NodeDown,
    NodeLeft,
    NodeRight,
    NodeEnter,
    NodeClear,
    ProbeLeft,
    ProbeRight,
    ProbeUp,
    ProbeDown,
    ProbeOff,
    ToggleDraw,
    AddPoint,
    RemovePoint,
    DrawSide,
    DrawClear,
    DrawSave,
}

/// The classifier screen's table (the chrome's keys — quit, help, notes, recording,
/// chapters — come first, from `screens::view::CHROME_BINDINGS`).
pub const BINDINGS: &[Binding<Action>] = &[
    bind(&[k(' ')], Action::TogglePause, "pause / resume"),
    bind(&[k('.')], Action::StepEpoch, "step one epoch"),
    bind(&[k(',')], Action::StepBatch, "step one mini-batch"),
    bind(&[k('r')], Action::Reset, "reset (same seed)"),
    bind(&[k('R')], Action::Reseed, "new seed: new data and weights"),
    bind(&[k('+'), k('=')], Action::Faster, "faster"),
    bind(&[k('-')], Action::Slower, "slower"),
    bind(&[k(']')], Action::LrUp, "learning rate up"),
    bind(&[k('[')], Action::LrDown, "learning rate down"),
    bind(&[k('o')], Action::NextOptimizer, "next optimizer"),
    bind(&[code(KeyCode::Tab)], Action::FocusNext, "focus next panel"),
    bind(
        &[code(KeyCode::BackTab)],
        Action::FocusPrev,
        "focus previous panel",
    ),
    bind(&[k('e')], Action::Edit, "edit the scenario"),
    bind(
        &[k('f')],
        Action::ToggleField,
        "show/hide probability field",
    ),
    bind(
        &[k('b')],
        Action::ToggleBoundary,
        "show/hide crisp boundary",
    ),
    bind(&[k('t')], Action::ToggleTrain, "show/hide train points"),
    bind(&[k('v')], Action::ToggleTest, "show/hide test points"),
    bind(&[k('l')], Action::ToggleLog, "log-scale loss"),
    bind(
        &[k('w')],
        Action::ToggleWhole,
        "whole history / last epochs",
    ),
    bind(
        &[k('s')],
        Action::Smoothing,
        "smooth charts (moving average)",
    ),
    bind(&[k('z')], Action::ZoomIn, "zoom charts in (fewer epochs)"),
    bind(&[k('Z')], Action::ZoomOut, "zoom charts out"),
    bind(
        &[k('m')],
        Action::ToggleLandscape,
        "weights / loss landscape panel",
    ),
    bind(
        &[k('a')],
        Action::ToggleActivations,
        "activation functions panel",
    ),
    bind(&[k('c')], Action::ToggleConfusion, "confusion matrix panel"),
    bind(&[k('x')], Action::ToggleErrors, "mark misclassified points"),
    bind(&[k('N')], Action::ToggleNetwork, "network / weights panel"),
    bind(&[k('d')], Action::ToggleDraw, "draw mode: your own points"),
    in_panel(
        BOUNDARY,
        &[
            k('0'),
            k('1'),
            k('2'),
            k('3'),
            k('4'),
            k('5'),
            k('6'),
            k('7'),
        ],
        Action::AddPoint,
        "draw: a point of that class here",
    ),
    in_panel(
        BOUNDARY,
        &[code(KeyCode::Backspace)],
        Action::RemovePoint,
        "draw: remove the nearest point",
    ),
    in_panel(
        BOUNDARY,
        &[k('T')],
        Action::DrawSide,
        "draw: new points to test / train",
    ),
    in_panel(
        BOUNDARY,
        &[k('C')],
        Action::DrawClear,
        "draw: clear the field",
    ),
    in_panel(
        BOUNDARY,
        &[k('S')],
        Action::DrawSave,
        "draw: save the points as CSV",
    ),
    in_panel(
        BOUNDARY,
        &[code(KeyCode::Left)],
        Action::ProbeLeft,
        "probe left (reads every neuron)",
    ),
    in_panel(
        BOUNDARY,
        &[code(KeyCode::Right)],
        Action::ProbeRight,
        "probe right",
    ),
    in_panel(BOUNDARY, &[code(KeyCode::Up)], Action::ProbeUp, "probe up"),
    in_panel(
        BOUNDARY,
        &[code(KeyCode::Down)],
        Action::ProbeDown,
        "probe down",
    ),
    in_panel(
        BOUNDARY,
        &[code(KeyCode::Esc)],
        Action::ProbeOff,
        "hide the probe",
    ),
    in_panel(
        NETWORK,
        &[code(KeyCode::Up)],
        Action::NodeUp,
        "previous neuron",
    ),
    in_panel(
        NETWORK,
        &[code(KeyCode::Down)],
        Action::NodeDown,
        "next neuron",
    ),
    in_panel(
        NETWORK,
        &[code(KeyCode::Left)],
        Action::NodeLeft,
        "layer to the left",
    ),
    in_panel(
        NETWORK,
        &[code(KeyCode::Right)],
        Action::NodeRight,
        "layer to the right",
    ),
    in_panel(
        NETWORK,
        &[code(KeyCode::Enter)],
        Action::NodeEnter,
        "neuron in the field / use input",
    ),
    in_panel(
        NETWORK,
        &[code(KeyCode::Esc)],
        Action::NodeClear,
        "field shows the output again",
    ),
    in_panel(
        CHARTS,
        &[code(KeyCode::Left)],
        Action::CursorLeft,
        "cursor back",
    ),
    in_panel(
        CHARTS,
        &[code(KeyCode::Right)],
        Action::CursorRight,
        "cursor forward",
    ),
    in_panel(
        CHARTS,
        &[code(KeyCode::Esc)],
        Action::CursorOff,
        "hide cursor",
    ),
    in_panel(
        PARAMS,
        &[code(KeyCode::Up)],
        Action::ParamUp,
        "previous parameter",
    ),
    in_panel(
        PARAMS,
        &[code(KeyCode::Down)],
        Action::ParamDown,
        "next parameter",
    ),
    in_panel(
        PARAMS,
        &[code(KeyCode::Left)],
        Action::ParamDec,
        "decrease value",
    ),
    in_panel(
        PARAMS,
        &[code(KeyCode::Right)],
        Action::ParamInc,
        "increase value",
    ),
];
