//! nnbook: neural networks made visible while they learn, live in the terminal.
//!
//! Layers, each importing only those below it (`tests/architecture.rs` checks):
//!
//! ```text
//! main ─► commands ─► serve ─► tui ─► screens ─► widgets ─► export ─► keymap ─► event
//!                                                                        ─► train ─► scenario
//!                                                  ─► { nn, optim, data, surface, dynamics } ─► real
//! ```
//!
//! The engine (`nn`, `optim`, `data`, `surface`, `dynamics`, `train`, `scenario`) knows
//! nothing of the terminal; the front ends drive the same `train::Session` headless or in
//! the TUI. See `docs/architecture.md`.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod commands;
pub mod data;
pub mod dynamics;
pub mod event;
pub mod export;
pub mod keymap;
pub mod nn;
pub mod optim;
pub mod real;
pub mod scenario;
pub mod screens;
pub mod serve;
pub mod surface;
pub mod train;
pub mod tui;
pub mod widgets;

/// The one random generator type: every draw in a run comes from the scenario's seed.
pub type SeedRng = rand::rngs::ChaCha8Rng;
