//! The side-by-side screen's keys: run controls act on every run, optimizer keys on the
//! selected one. Only what this screen really does is bound (the editor, the parameter panel,
//! the chart cursor and the activation panel belong to a single run's screen).

use crate::keymap::{Binding, Context::Everywhere, code, k};
use crate::screens::classifier::keys::Action;
use ratatui::crossterm::event::KeyCode;

/// The side-by-side screen's table, in the classifier's actions.
pub const BINDINGS: &[Binding<Action>] = &[
    Binding {
        keys: &[k(' ')],
        context: Everywhere,
        action: Action::TogglePause,
        help: "pause / resume every run",
    },
    Binding {
        keys: &[k('.'), code(KeyCode::Right)],
        context: Everywhere,
        action: Action::StepEpoch,
        help: "step every run one epoch",
    },
    Binding {
        keys: &[k(',')],
        context: Everywhere,
        action: Action::StepBatch,
        help: "step every run one mini-batch",
    },
    Binding {
        keys: &[k('r')],
        context: Everywhere,
        action: Action::Reset,
        help: "reset every run (same seed)",
    },
    Binding {
        keys: &[k('R')],
        context: Everywhere,
        action: Action::Reseed,
        help: "new seed for every run",
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
        keys: &[code(KeyCode::Tab)],
        context: Everywhere,
        action: Action::FocusNext,
        help: "select the next run",
    },
    Binding {
        keys: &[code(KeyCode::BackTab)],
        context: Everywhere,
        action: Action::FocusPrev,
        help: "select the previous run",
    },
    Binding {
        keys: &[k(']')],
        context: Everywhere,
        action: Action::LrUp,
        help: "selected run: learning rate up",
    },
    Binding {
        keys: &[k('[')],
        context: Everywhere,
        action: Action::LrDown,
        help: "selected run: learning rate down",
    },
    Binding {
        keys: &[k('o')],
        context: Everywhere,
        action: Action::NextOptimizer,
        help: "selected run: next optimizer",
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
        help: "every run's weights / the charts",
    },
];
