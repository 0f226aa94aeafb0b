//! The side-by-side screen's keys: run controls act on every run, optimizer keys on the
//! selected one. Only what this screen really does is bound (the editor, the parameter panel,
//! the chart cursor and the activation panel belong to a single run's screen).

use crate::keymap::{Binding, bind, code, k};
use crate::screens::classifier::keys::Action;
use ratatui::crossterm::event::KeyCode;

/// The side-by-side screen's table, in the classifier's actions.
pub const BINDINGS: &[Binding<Action>] = &[
    bind(&[k(' ')], Action::TogglePause, "pause / resume every run"),
    bind(
        &[k('.'), code(KeyCode::Right)],
        Action::StepEpoch,
        "step every run one epoch",
    ),
    bind(
        &[k(',')],
        Action::StepBatch,
        "step every run one mini-batch",
    ),
    bind(&[k('r')], Action::Reset, "reset every run (same seed)"),
    bind(&[k('R')], Action::Reseed, "new seed for every run"),
    bind(&[k('+'), k('=')], Action::Faster, "faster"),
    bind(&[k('-')], Action::Slower, "slower"),
    bind(
        &[code(KeyCode::Tab)],
        Action::FocusNext,
        "select the next run",
    ),
    bind(
        &[code(KeyCode::BackTab)],
        Action::FocusPrev,
        "select the previous run",
    ),
    bind(&[k(']')], Action::LrUp, "selected run: learning rate up"),
    bind(
        &[k('[')],
        Action::LrDown,
        "selected run: learning rate down",
    ),
    bind(
        &[k('o')],
        Action::NextOptimizer,
        "selected run: next optimizer",
    ),
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
        "every run's weights / the charts",
    ),
    bind(
        &[k('N')],
        Action::ToggleNetwork,
        "each run's weight matrix, layer by layer, with MIN/MAX/MEAN / the boundaries",
    ),
    bind(
        &[k('D')],
        Action::WeightsSurface,
        "the weight matrices as 3-D surfaces / as heatmaps",
    ),
];
