//! The `nnbook` binary: clap commands, and the terminal's setup and teardown.

use anyhow::Result;
use clap::{Parser, Subcommand};
use nnbook::commands::{self as headless, Format, printable};
use nnbook::tui;
use nnbook::widgets::palette::ColorMode;
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
    /// Characters drawn (default: detected from LC_ALL/LC_CTYPE/LANG and TERM): unicode;
    /// block, for the Linux console (half blocks and box drawing, no Braille); ascii, for a
    /// locale that is not UTF-8 or a VT100: the field as coloured spaces (without colour
    /// ` .:;=%`), the boundary as - | / \, train points @ and test points o (without colour
    /// X O A V H N Z S by class, lower case for test), borders + - |.
    #[arg(long, value_enum)]
    glyphs: Option<nnbook::widgets::palette::Glyphs>,
    /// Frames per second at most.
    #[arg(long, default_value_t = 15.0)]
    fps: f64,
    /// Start paused.
    #[arg(long)]
    paused: bool,
    /// Record the session as an asciicast v2 file (plays with `asciinema play`).
    #[arg(long, value_name = "FILE.cast")]
    cast: Option<std::path::PathBuf>,
    /// Time GIF recordings (key g) at this fixed rate instead of real time.
    #[arg(long)]
    gif_fps: Option<f64>,
    /// The folder GIF recordings (key g) and screenshots (key P) go to (default: the current
    /// folder). Both are captured at 1× (8×16 pixels a cell); `nnbook export --scale 2` makes
    /// projector-sized ones.
    #[arg(long, value_name = "DIR")]
    captures: Option<std::path::PathBuf>,
    /// Presenter mode: hide the parameter panel and key hints, show a large title.
    #[arg(long)]
    presenter: bool,
    /// Low-bandwidth mode from the start: fewer frames, the field refreshed less often, 256
    /// colours at most, the Lorenz spin off (it turns on by itself on a slow link).
    #[arg(long)]
    low_bandwidth: bool,
    /// No mouse: leave clicks to the terminal (its own text selection). With the mouse on, a
    /// click selects a neuron or places the probe, focuses a panel, the wheel zooms a chart.
    #[arg(long)]
    no_mouse: bool,
}

impl ViewArgs {
    /// The live view's options, starting paused or not, on the chapter's notes or not.
    fn options(self, paused: bool, notes: bool) -> tui::Options {
        tui::Options {
            fps: self.fps,
            color: self.color,
            glyphs: self.glyphs,
            paused,
            cast: self.cast,
            gif_fps: self.gif_fps.filter(|f| f.is_finite() && *f > 0.0),
            captures: self.captures.unwrap_or_else(|| ".".into()),
            presenter: self.presenter,
            low_bandwidth: self.low_bandwidth,
            notes,
            mouse: !self.no_mouse,
        }
    }
}

/// `120x40` as a pair.
fn parse_pair(s: &str, flag: &str) -> Result<(u32, u32)> {
    let bad = || anyhow::anyhow!("{flag} {s}: expected WIDTHxHEIGHT, e.g. 120x40");
    let (a, b) = s.split_once(['x', 'X']).ok_or_else(bad)?;
    Ok((
        a.trim().parse().map_err(|_| bad())?,
        b.trim().parse().map_err(|_| bad())?,
    ))
}

fn live(scenario: Option<String>, view: ViewArgs) -> Result<()> {
    // With no scenario named, the first run: the default chapter, paused on its notes.
    let first_run = scenario.is_none();
    let name = scenario.unwrap_or_else(|| nnbook::scenario::DEFAULT.to_string());
    if !(view.fps.is_finite() && view.fps > 0.0) {
        anyhow::bail!("--fps must be a positive number, got {:?}", view.fps);
    }
    let sc = headless::load(&name)?;
    let path = std::path::Path::new(&name);
    let file = path.exists().then(|| path.to_path_buf());
    let paused = view.paused;
    tui::run(sc, file, view.options(paused, first_run))
}

/// The chapters a lecture plays: the bundled book in order, a folder's `*.toml` in name order,
/// or the files given. Files that fail to load are reported and skipped.
fn chapters(args: Vec<String>) -> Result<(Vec<tui::Chapter>, Vec<String>)> {
    let mut names: Vec<String> = Vec::new();
    if args.is_empty() {
        names.extend(nnbook::scenario::BUNDLED.iter().map(|(n, _)| n.to_string()));
    }
    for a in args {
        let p = std::path::Path::new(&a);
        if p.is_dir() {
            let mut files: Vec<String> = std::fs::read_dir(p)
                .map_err(|e| anyhow::anyhow!("{a}: cannot read the folder: {e}"))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "toml"))
                .map(|f| f.display().to_string())
                .collect();
            files.sort();
            if files.is_empty() {
                anyhow::bail!("{a}: no scenario files (*.toml) in this folder");
            }
            names.extend(files);
        } else {
            names.push(a);
        }
    }
    let mut chapters = Vec::new();
    let mut broken = Vec::new();
    for n in names {
        match headless::load(&n) {
            Ok(sc) => {
                let p = std::path::Path::new(&n);
                chapters.push((sc, p.exists().then(|| p.to_path_buf())));
            }
            Err(e) => {
                eprintln!("nnbook: skipping {}", printable(&e.to_string()));
                broken.push(e.to_string());
            }
        }
    }
    Ok((chapters, broken))
}

fn lecture(args: Vec<String>, view: ViewArgs) -> Result<()> {
    let (chapters, broken) = chapters(args)?;
    if !(view.fps.is_finite() && view.fps > 0.0) {
        anyhow::bail!("--fps must be a positive number, got {:?}", view.fps);
    }
    tui::lecture(chapters, broken, view.options(true, false))
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
        /// Write the trained network to this JSON file (docs/model-format.md), for `nnbook predict`.
        #[arg(long, value_name = "MODEL.json")]
        save_model: Option<std::path::PathBuf>,
        /// Write a standalone PyTorch script that rebuilds the trained network and predicts.
        #[arg(long, value_name = "MODEL.py")]
        save_torch: Option<std::path::PathBuf>,
        /// Cores a run may use: 2 splits a full batch of 512 points or more in halves trained
        /// side by side (the same numbers as 1, which leaves the other core free).
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=2))]
        cores: u8,
    },
    /// A saved network's output for each point: `x1,x2` rows from a file or stdin.
    Predict {
        /// A model written by `nnbook train --save-model`.
        model: std::path::PathBuf,
        /// The points: a CSV of `x1,x2` rows, a header optional (default: stdin).
        points: Option<std::path::PathBuf>,
    },
    /// Trace an optimizer race (or the attractor) headless: one line per step per racer, step 0 the start.
    Trace {
        scenario: String,
        /// Steps to take (default: the scenario's `steps`).
        #[arg(long)]
        steps: Option<usize>,
        #[arg(long, value_enum, default_value = "jsonl")]
        format: Format,
    },
    /// Render the screen without a terminal into a GIF (or the last frame into a PNG).
    Export {
        scenario: String,
        /// The file to write: .gif or .png.
        #[arg(long)]
        out: std::path::PathBuf,
        /// Epochs (classifier) or steps (race) to run; the scenario's own by default.
        #[arg(long)]
        epochs: Option<usize>,
        /// A frame every K epochs or steps (default: about 300 frames; 200 in figure style).
        #[arg(long)]
        every: Option<usize>,
        /// Screen size in cells, COLSxROWS (terminal style).
        #[arg(long, default_value = "120x40")]
        size: String,
        /// Frames per second of the GIF.
        #[arg(long, default_value_t = 15.0)]
        fps: f64,
        /// terminal: the screen exactly; figure: plots in the notebooks' look.
        #[arg(long, value_enum, default_value = "terminal")]
        style: nnbook::commands::export::Style,
        /// Figure size in pixels, WxH (figure style).
        #[arg(long, default_value = "1280x640")]
        pixels: String,
        /// Colour mode of the terminal style.
        #[arg(long, value_enum, default_value = "truecolor")]
        colors: ColorMode,
        /// Pixels per cell, times 8×16 (terminal style): 2 makes a 120x40 screen 1920x1280,
        /// the glyphs drawn at that size.
        #[arg(long, default_value_t = 1)]
        scale: usize,
        /// A contact sheet, COLSxROWS tiles (e.g. 4x3) into a .png: the boundary at evenly
        /// spaced epochs, each labelled with its epoch and accuracy; as wide as --pixels.
        #[arg(long, value_name = "COLSxROWS")]
        sheet: Option<String>,
    },
    /// Walk the chapters in order (n/p), each starting paused on its title and notes.
    Lecture {
        /// Scenario files, folders of them, or bundled names (default: the bundled book).
        chapters: Vec<String>,
        #[command(flatten)]
        view: ViewArgs,
    },
    /// A classroom over SSH: every student follows the lecture live in their own terminal
    /// (`ssh -t -p 2222 HOST`); the lecturer drives from this terminal. Without a terminal
    /// (a service), the first chapter plays on its own.
    Serve {
        /// Scenario files, folders of them, or bundled names (default: the bundled book).
        chapters: Vec<String>,
        /// Address to listen on (port 0: any free port, said on stderr).
        #[arg(long, default_value = "127.0.0.1:2222", value_name = "HOST:PORT")]
        listen: String,
        /// The server's host key: made on the first start (ed25519, OpenSSH format, mode 0600).
        #[arg(long, default_value = "nnbook_host_key", value_name = "FILE")]
        host_key: std::path::PathBuf,
        /// Anyone who reaches the port may connect, without authentication.
        #[arg(long)]
        open: bool,
        /// Only the public keys in this file (OpenSSH authorized_keys format) may connect.
        #[arg(long, value_name = "FILE")]
        authorized_keys: Option<std::path::PathBuf>,
        /// Public keys (authorized_keys format) of presenters: `ssh -t presenter@HOST` with
        /// one of them drives the lecture (all keys; q leaves).
        #[arg(long, value_name = "FILE")]
        presenter_key: Option<std::path::PathBuf>,
        /// Viewers at most; more are told the class is full.
        #[arg(long, default_value_t = 60)]
        max_viewers: usize,
        /// Seconds a viewer's terminal may stay silent (no key, no answer) before it is let go.
        #[arg(long, default_value_t = 300.0)]
        idle_timeout: f64,
        /// Do not use this terminal: the first chapter plays on its own.
        #[arg(long)]
        headless: bool,
        /// Lab mode from the start: each viewer gets its own run of the chapter, with every
        /// key (the lecturer's L turns it on and off).
        #[arg(long)]
        lab: bool,
        /// Lab runs at once, at most (each trains on its own thread); later viewers follow.
        #[arg(long, default_value_t = 24)]
        lab_runs: usize,
        /// The lecturer's view (--fps is also each viewer's cap).
        #[command(flatten)]
        view: ViewArgs,
    },
    /// Validate scenario files (and the data they name).
    Check {
        #[arg(required = true)]
        files: Vec<String>,
    },
    /// List the bundled scenarios.
    List,
    /// Shell completions, to stdout: `nnbook completions bash > ~/.local/share/bash-completion/completions/nnbook`.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// The manual page, to stdout: `nnbook man > ~/.local/share/man/man1/nnbook.1`.
    Man,
    /// Measure the live view's costs: frame time, terminal bytes per second, trainer slowdown.
    Bench {
        /// Seconds for each live measurement.
        #[arg(long, default_value_t = 5.0)]
        seconds: f64,
        /// Measure the terminal's link instead (as the live view's flow control does): run it
        /// in the terminal, over the ssh connection, to be measured.
        #[arg(long)]
        link: bool,
        /// Measure training instead: ms/epoch, GFLOP/s and the share of the FMA peak for the
        /// NumPy chapter's full-batch epoch and the overfitting chapter's deep mini-batch run.
        #[arg(long, conflicts_with = "link")]
        training: bool,
        /// With --training: epochs timed per workload (default 501 for the NumPy chapter, 11
        /// for the deep run).
        #[arg(long, requires = "training")]
        epochs: Option<usize>,
        /// With --training: the clock in GHz for the FMA peak (default: measured).
        #[arg(long, requires = "training")]
        ghz: Option<f64>,
        /// With --training: the FMA peak in GFLOP/s, instead of reckoning it.
        #[arg(long, requires = "training")]
        peak_gflops: Option<f64>,
    },
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        // The reader went away (`| head`): stop quietly, with the status a SIGPIPE gives.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::from(141)
        }
        Err(e) => {
            eprintln!("nnbook: {}", printable(&format!("{e:#}")));
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    // Line by line: an interrupted `train` or `trace` keeps every line it printed. Not a held
    // lock: the live view and its signal thread write to stdout too.
    let mut out = std::io::LineWriter::new(std::io::stdout());
    let ok = match cli.command {
        Some(Command::Train {
            scenario,
            epochs,
            every,
            format,
            save_model,
            save_torch,
            cores,
        }) => {
            if every == Some(0) {
                anyhow::bail!("--every 0: report at least every 1 epoch");
            }
            let sc = headless::load(&scenario)?;
            headless::train::train_and_save(
                &sc,
                epochs,
                every,
                format,
                &mut out,
                headless::stderr_is_terminal(),
                &headless::train::Save {
                    model: save_model,
                    torch: save_torch,
                    two_cores: cores == 2,
                },
            )?
        }
        Some(Command::Predict { model, points }) => {
            headless::predict(&model, points.as_deref(), &mut out)?;
            true
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
        Some(Command::Export {
            scenario,
            out: path,
            epochs,
            every,
            size,
            fps,
            style,
            pixels,
            colors,
            scale,
            sheet,
        }) => {
            if every == Some(0) {
                anyhow::bail!("--every 0: a frame at least every 1 epoch or step");
            }
            let sc = headless::load(&scenario)?;
            let (cols, rows) = parse_pair(&size, "--size")?;
            if cols > 1000 || rows > 500 {
                anyhow::bail!("--size {size}: at most 1000x500");
            }
            let (pw, ph) = parse_pair(&pixels, "--pixels")?;
            if !(200..=4000).contains(&pw) || !(150..=4000).contains(&ph) {
                anyhow::bail!("--pixels {pixels}: each side must be from 200 (150 high) to 4000");
            }
            let done = nnbook::commands::export::export(
                &sc,
                &nnbook::commands::export::Options {
                    out: path,
                    epochs,
                    every,
                    cols: cols.min(u16::MAX as u32) as u16,
                    rows: rows.min(u16::MAX as u32) as u16,
                    fps,
                    style,
                    color: colors,
                    pixels: (pw, ph),
                    scale,
                    progress: true,
                    sheet: match &sheet {
                        Some(s) => {
                            let (c, r) = parse_pair(s, "--sheet")?;
                            Some((c as usize, r as usize))
                        }
                        None => None,
                    },
                },
            )?;
            eprintln!(
                "wrote {} ({} frames, {:.1} KB)",
                done.path.display(),
                done.frames,
                done.bytes as f64 / 1e3
            );
            true
        }
        Some(Command::Completions { shell }) => {
            use clap::CommandFactory;
            // Into memory first: the generator panics on a failed write (a closed pipe).
            let mut text = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "nnbook", &mut text);
            out.write_all(&text)?;
            true
        }
        Some(Command::Man) => {
            use clap::CommandFactory;
            clap_mangen::Man::new(Cli::command()).render(&mut out)?;
            true
        }
        Some(Command::Bench { link: true, .. }) => {
            nnbook::commands::bench::link(30, &mut out)?;
            true
        }
        Some(Command::Bench {
            training: true,
            epochs,
            ghz,
            peak_gflops,
            ..
        }) => {
            nnbook::commands::bench::training(epochs, ghz, peak_gflops, &mut out)?;
            true
        }
        Some(Command::Bench { seconds, .. }) => {
            nnbook::commands::bench::run(seconds.clamp(0.5, 600.0), &mut out)?;
            true
        }
        Some(Command::Serve {
            chapters: names,
            listen,
            host_key,
            open,
            authorized_keys,
            presenter_key,
            max_viewers,
            idle_timeout,
            headless,
            lab,
            lab_runs,
            view,
        }) => {
            if !(idle_timeout.is_finite() && idle_timeout >= 1.0) {
                anyhow::bail!("--idle-timeout must be at least 1 second, got {idle_timeout}");
            }
            let (chapters, broken) = chapters(names)?;
            nnbook::serve::serve(
                chapters,
                broken,
                nnbook::serve::Options {
                    listen,
                    host_key,
                    open,
                    authorized_keys,
                    presenter_keys: presenter_key,
                    max_viewers: max_viewers.max(1),
                    idle: std::time::Duration::from_secs_f64(idle_timeout.min(86_400.0)),
                    fps: view.fps,
                    headless,
                    lab,
                    lab_runs,
                    view: view.options(true, false),
                },
            )?;
            true
        }
        Some(Command::Lecture { chapters, view }) => {
            lecture(chapters, view)?;
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
    if let Some(sig) = tui::signalled() {
        // Ended by a signal: the conventional status, 128 + its number.
        return Ok(ExitCode::from((128 + sig).clamp(0, 255) as u8));
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
