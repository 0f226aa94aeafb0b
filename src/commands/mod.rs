//! The commands of the `nnbook` binary that need no terminal — `train`, `trace`, `check`,
//! `list`, `export`, `bench` — writing to any `Write`, so tests see exactly what a script
//! would. The live view is `tui`.

pub mod bench;
pub mod check;
pub mod export;
pub mod predict;
pub mod trace;
pub mod train;

pub use check::{check, check_one, list};
pub use predict::predict;
pub use trace::trace;
pub use train::train;

use crate::scenario::{self, Scenario, ScenarioError};
pub use crate::widgets::format::printable;

use std::io::IsTerminal;

/// Output formats of `train` and `trace`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Jsonl,
    Csv,
}

/// Loads a scenario, with the error text the user needs.
pub fn load(name: &str) -> Result<Scenario, ScenarioError> {
    scenario::load(name)
}

pub fn num(v: f64) -> String {
    // The shortest text that reads back to the same f64, with an exponent for very small or
    // large values (as in the JSON output); NaN and infinities as "NaN", "inf", "-inf".
    if v.is_finite() {
        serde_json::to_string(&v).unwrap_or_else(|_| format!("{v}"))
    } else {
        format!("{v}")
    }
}

pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}

/// A progress bar on stderr for long headless work (`indicatif`), or a hidden one when `show`
/// is false (stderr not a terminal, or `--quiet`): `what` follows the bar.
pub fn progress_bar(show: bool, len: u64, what: &str) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template(&format!("{{bar:20.cyan/blue}} {what}"))
    {
        bar.set_style(style.progress_chars("█▉▊▋▌▍▎▏ "));
    }
    bar
}
