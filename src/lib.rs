//! nnbook: neural networks made visible while they learn, live in the terminal.
//!
//! The engine (`nn`, `optim`, `data`, `surface`, `train`, `scenario`) knows nothing of the
//! terminal; the front ends drive the same `train::Session` headless or in the TUI.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod data;
pub mod nn;
pub mod optim;
pub mod real;
pub mod surface;

/// The one random generator type: every draw in a run comes from the scenario's seed.
pub type SeedRng = rand::rngs::ChaCha8Rng;
pub mod app;
pub mod attractor;
pub mod bench;
pub mod compare;
pub mod dynamics;
pub mod event;
pub mod export;
pub mod headless;
pub mod keymap;
pub mod race;
pub mod scenario;
pub mod screen;
pub mod train;
pub mod tui;
pub mod ui;
