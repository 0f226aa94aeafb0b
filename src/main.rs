//! The `nnbook` binary: clap commands, and the terminal's setup and teardown.

use anyhow::Result;
use clap::{Parser, Subcommand};
use nnbook::headless::{self, Format};
use nnbook::tui;
use nnbook::ui::palette::ColorMode;
use std::io::Write;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "nnbook",
    version,
    about = "Neural networks made visible while they learn, live in the terminal"
)]
#[command(args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// With no command: open the live view on this scenario (default: the playground).
    scenario: Option<String>,
    #[command(flatten)]
    view: ViewArgs,
}

/// Options of the live view.
#[derive(clap::Args, Clone)]
struct ViewArgs {
    /// Colour mode (default: detected from COLORTERM, TERM and NO_COLOR).
    #[arg(long, value_enum)]
    color: Option<ColorMode>,
    /// Frames per second at most.
    #[arg(long, default_value_t = 15.0)]
    fps: f64,
    /// Start paused.
    #[arg(long)]
    paused: bool,
}

fn live(scenario: Option<String>, view: ViewArgs) -> Result<()> {
    let name = scenario.unwrap_or_else(|| nnbook::scenario::DEFAULT.to_string());
    if !(view.fps.is_finite() && view.fps > 0.0) {
        anyhow::bail!("--fps must be a positive number, got {}", view.fps);
    }
    let sc = headless::load(&name)?;
    let path = std::path::Path::new(&name);
    let dir = if path.exists() {
        path.parent().map(|p| p.to_path_buf())
    } else {
        None
    };
    tui::run(
        sc,
        dir,
        tui::Options {
            fps: view.fps,
            color: view.color,
            paused: view.paused,
        },
    )
}

#[derive(Subcommand)]
enum Command {
    /// Open the live view on a scenario (the default chapter when none is named).
    Run {
        /// A scenario file, or the name of a bundled one (see `nnbook list`).
        scenario: Option<String>,
        #[command(flatten)]
        view: ViewArgs,
    },
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
    /// Measure the live view's costs: frame time, terminal bytes per second, trainer slowdown.
    Bench {
        /// Seconds for each live measurement.
        #[arg(long, default_value_t = 5.0)]
        seconds: f64,
    },
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
        Some(Command::Bench { seconds }) => {
            nnbook::bench::run(seconds.clamp(0.5, 600.0), &mut out)?;
            true
        }
        Some(Command::Run { scenario, view }) => {
            live(scenario, view)?;
            true
        }
        None => {
            live(cli.scenario, cli.view)?;
            true
        }
    };
    out.flush()?;
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
