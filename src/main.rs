//! The `nnbook` binary: clap commands, and the terminal's setup and teardown.

use anyhow::Result;
use clap::{Parser, Subcommand};
use nnbook::headless::{self, Format};
use std::io::Write;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "nnbook",
    version,
    about = "Neural networks made visible while they learn, live in the terminal"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Train a classifier scenario headless: one line per reported epoch, then a summary.
    Train {
        /// A scenario file, or the name of a bundled one (see `nnbook list`).
        scenario: String,
        /// Epochs to train (default: the scenario's).
        #[arg(long)]
        epochs: Option<usize>,
        /// Report every K epochs (default: about 100 lines in all).
        #[arg(long)]
        every: Option<usize>,
        #[arg(long, value_enum, default_value = "jsonl")]
        format: Format,
    },
    /// Trace an optimizer race headless: one line per step per racer, step 0 the start.
    Trace {
        scenario: String,
        /// Steps to take (default: the scenario's `steps`).
        #[arg(long)]
        steps: Option<usize>,
        #[arg(long, value_enum, default_value = "jsonl")]
        format: Format,
    },
    /// Validate scenario files (and the data they name).
    Check {
        #[arg(required = true)]
        files: Vec<String>,
    },
    /// List the bundled scenarios.
    List,
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("nnbook: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let ok = match cli.command {
        Some(Command::Train {
            scenario,
            epochs,
            every,
            format,
        }) => {
            let sc = headless::load(&scenario)?;
            headless::train(
                &sc,
                epochs,
                every,
                format,
                &mut out,
                headless::stderr_is_terminal(),
            )?
        }
        Some(Command::Trace {
            scenario,
            steps,
            format,
        }) => {
            let sc = headless::load(&scenario)?;
            headless::trace(&sc, steps, format, &mut out)?;
            true
        }
        Some(Command::Check { files }) => headless::check(&files, &mut out)?,
        Some(Command::List) => {
            headless::list(&mut out)?;
            true
        }
        None => {
            eprintln!(
                "nnbook: the live view is not built yet; try `nnbook list`, `nnbook train numpy` or `nnbook trace race-rosenbrock`"
            );
            false
        }
    };
    out.flush()?;
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
