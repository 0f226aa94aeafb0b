//! `nnbook bench`: the live view's costs, measured on this machine. Figures are medians or
//! rates over the stated runs; timings on a shared machine are noisy, so compare ratios taken
//! in one run.

use crate::scenario::{self, Body, Scenario};
use crate::screens::classifier::ClassifierView as App;
use crate::screens::classifier::view as classifier_view;
use crate::train::{Command, Session, Trainer};
use crate::tui::terminal::{FrameWriter, draw_frame};
use crate::widgets::palette::ColorMode;
use anyhow::{Context, Result};
use ratatui::Terminal;
use ratatui::backend::{CrosstermBackend, TestBackend};
use std::io::Write;
use std::time::{Duration, Instant};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn classifier(name: &str) -> Result<(Scenario, crate::scenario::Classifier)> {
    let sc = scenario::load(name)?;
    let Body::Classifier(mut c) = sc.body.clone() else {
        anyhow::bail!("{name} is not a classifier scenario");
    };
    // Never reach the chapter's end (where the trainer pauses) during a measurement.
    c.train.epochs = 100_000_000;
    Ok((sc, c))
}

/// A paused app on `name` after `epochs` epochs, for frame timings.
fn trained_app(name: &str, epochs: usize, mode: ColorMode) -> Result<App> {
    let (sc, c) = classifier(name)?;
    let mut session = Session::inline(Trainer::new(c, sc.seed).context("data")?);
    session.train_inline(epochs);
    let mut app = App::new(&sc, None, session, mode)?;
    app.pull();
    Ok(app)
}

/// Median time to render one whole frame (layout, heatmap with its network evaluation,
/// charts, panels) into a buffer of `w`×`h`.
pub fn frame_time(name: &str, w: u16, h: u16, frames: usize) -> Result<f64> {
    let app = trained_app(name, 3000, ColorMode::Ansi256)?;
    let mut t = Terminal::new(TestBackend::new(w, h))?;
    let mut times = Vec::with_capacity(frames);
    for _ in 0..frames {
        let t0 = Instant::now();
        t.draw(|f| classifier_view::render(f, &app))?;
        times.push(t0.elapsed().as_secs_f64() * 1e3);
    }
    Ok(median(times))
}

/// A sink that only counts.
struct Count;
impl Write for Count {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs the live loop without a terminal for `secs`: the trainer on its thread, frames at
/// `fps` through the same writer the app uses. Returns (bytes per second, frames, epochs per
/// second of the trainer). `window` zooms the charts to that many epochs (`z`).
#[allow(clippy::too_many_arguments)]
pub fn live(
    name: &str,
    w: u16,
    h: u16,
    fps: f64,
    secs: f64,
    draw: bool,
    speed: Option<f64>,
    window: Option<usize>,
) -> Result<(f64, u64, f64)> {
    let shown = if draw { Shown::Screen } else { Shown::Nothing };
    live_showing(name, (w, h), fps, secs, shown, speed, window)
}

/// What [`live_showing`] draws.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Nothing,
    Screen,
    /// The decision boundary's panel alone, over the whole terminal.
    Field,
}

/// [`live`], drawing the whole screen, the field alone, or nothing.
pub fn live_showing(
    name: &str,
    (w, h): (u16, u16),
    fps: f64,
    secs: f64,
    shown: Shown,
    speed: Option<f64>,
    window: Option<usize>,
) -> Result<(f64, u64, f64)> {
    let (sc, c) = classifier(name)?;
    let session = Session::spawn(Trainer::new(c, sc.seed).context("data")?, || {});
    let mut app = App::new(&sc, None, session, ColorMode::Ansi256)?;
    if let Some(window) = window {
        app.shown.span = crate::widgets::chart::ChartSpan {
            whole: false,
            window,
        };
    }
    app.run.session.send(Command::SetSpeed(speed));
    app.run.session.send(Command::Resume);
    let backend = CrosstermBackend::new(FrameWriter::new(Count));
    let mut term = Terminal::with_options(
        backend,
        ratatui::TerminalOptions {
            viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, w, h)),
        },
    )?;
    let every = Duration::from_secs_f64(1.0 / fps);
    let start = Instant::now();
    let first_epoch = app.run.snap.epoch;
    let mut next = start;
    while start.elapsed().as_secs_f64() < secs {
        std::thread::sleep(next.saturating_duration_since(Instant::now()));
        next += every;
        app.pull();
        if shown != Shown::Nothing && app.chrome.dirty {
            let _ = draw_frame(
                &mut term,
                |f| {
                    if shown == Shown::Field {
                        let area = f.area();
                        classifier_view::boundary_panel(
                            f,
                            area,
                            &app.run,
                            app.shown.layers,
                            &app.chrome.palette,
                            "decision boundary".into(),
                            false,
                        );
                    } else {
                        classifier_view::render(f, &app)
                    }
                },
                None,
            )?;
            app.chrome.dirty = false;
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    app.pull();
    let epochs = (app.run.snap.epoch - first_epoch) as f64 / elapsed;
    let writer = term.backend_mut().writer_mut();
    Ok((writer.bytes as f64 / elapsed, writer.writes, epochs))
}

/// Median time to draw the whole race screen at `w`×`h`: `cold` recomputes the contour layer
/// each time (a new surface, view or size), warm reuses it (every frame of a race).
/// Median time to draw a race frame: on the contour map (`cold`: its layer recomputed each
/// frame, as after a zoom), or in 3-D (`three_d`: turned a little each frame, as the spin does).
pub fn race_frame_time(
    name: &str,
    w: u16,
    h: u16,
    frames: usize,
    cold: bool,
    three_d: bool,
) -> Result<f64> {
    let sc = scenario::load(name)?;
    let Body::Race(r) = sc.body.clone() else {
        anyhow::bail!("{name} is not a race");
    };
    let mut app = crate::screens::race::RaceView::new(&sc, r, None, ColorMode::Ansi256);
    app.three_d = three_d;
    for _ in 0..200 {
        app.act(crate::screens::race::keys::RaceAction::Step);
    }
    let mut t = Terminal::new(TestBackend::new(w, h))?;
    t.draw(|f| crate::screens::race::view::render(f, &app))?;
    let mut times = Vec::with_capacity(frames);
    for _ in 0..frames {
        if cold {
            *app.contour.borrow_mut() = None;
        }
        if three_d {
            app.orbit = app.orbit.turned(0.02);
        }
        let t0 = Instant::now();
        t.draw(|f| crate::screens::race::view::render(f, &app))?;
        times.push(t0.elapsed().as_secs_f64() * 1e3);
    }
    Ok(median(times))
}

/// One landscape computation for `name` after `epochs` epochs, with 160 weight snapshots.
pub fn landscape_time(name: &str, epochs: usize) -> Result<(f64, f64)> {
    let (sc, c) = classifier(name)?;
    let mut run = crate::train::ClassifierRun::new(c, sc.seed).context("data")?;
    let every = (epochs / 160).max(1);
    let mut traj = Vec::new();
    for e in 0..epochs {
        if e % every == 0 {
            traj.push((e, crate::train::landscape::flatten(&run.net)));
        }
        run.step_epoch();
    }
    let (x, y) = run.train_set();
    let (nx, ny) = crate::screens::classifier::landscape::LANDSCAPE_GRID;
    let mut times = Vec::new();
    let mut explained = 0.0;
    for _ in 0..5 {
        let l = crate::train::landscape::compute(&run.net, &traj, x.view(), y.targets(), nx, ny)
            .context("landscape")?;
        times.push(l.millis);
        explained = l.explained;
    }
    Ok((median(times), explained))
}

/// Rasterizing and GIF-encoding the numpy chapter's screens at 120×40 (as `nnbook export`
/// does): per-frame times (median, 95th percentile) over `frames` frames, and the file size.
pub fn gif_cost(frames: usize) -> Result<(f64, f64, usize)> {
    let mut app = trained_app("numpy", 0, ColorMode::Truecolor)?;
    app.run.session.send(Command::Resume);
    let mut t = Terminal::new(TestBackend::new(120, 40))?;
    let mut bufs = Vec::with_capacity(frames);
    for _ in 0..frames {
        app.run.session.train_inline(10_000 / frames);
        app.pull();
        app.run.sync_field();
        t.draw(|f| classifier_view::render(f, &app))?;
        bufs.push(t.backend().buffer().clone());
    }
    let mut raster = crate::export::raster::Rasterizer::new();
    let mut gif = crate::export::animation::GifWriter::new(Vec::new(), 960, 640)?;
    let mut times = Vec::with_capacity(frames);
    for (k, b) in bufs.iter().enumerate() {
        let t0 = Instant::now();
        let img = raster.rasterize(b);
        gif.push(img, k as f64 / 15.0)?;
        times.push(t0.elapsed().as_secs_f64() * 1e3);
    }
    let bytes = gif.finish(2.0)?.len();
    let med = median(times.clone());
    times.sort_by(f64::total_cmp);
    let p95 = times[(times.len() * 95 / 100).min(times.len() - 1)];
    Ok((med, p95, bytes))
}

/// What `nnbook export` costs beyond the training itself: `nnbook export CHAPTER` (terminal
/// style, 120×40, a GIF) against `nnbook train CHAPTER` over the same epochs, each run
/// `rounds` times alternately; medians of both, and the difference per frame.
pub fn export_cost(name: &str, rounds: usize) -> Result<(f64, f64, usize, u64)> {
    let sc = scenario::load(name)?;
    let dir = std::env::temp_dir().join(format!("nnbook-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let opts = crate::commands::export::Options {
        out: dir.join("bench.gif"),
        epochs: None,
        every: None,
        cols: 120,
        rows: 40,
        fps: 15.0,
        style: crate::commands::export::Style::Terminal,
        color: ColorMode::Truecolor,
        pixels: (960, 640),
        scale: 1,
        progress: false,
        sheet: None,
    };
    let (mut train, mut export) = (Vec::new(), Vec::new());
    let (mut frames, mut bytes) = (0, 0);
    for _ in 0..rounds.max(1) {
        let t0 = Instant::now();
        // One core, as the export trains (its encoder has the other).
        crate::commands::train::train_and_save(
            &sc,
            None,
            None,
            crate::commands::Format::Jsonl,
            &mut std::io::sink(),
            false,
            &crate::commands::train::Save::default(),
        )?;
        train.push(t0.elapsed().as_secs_f64());
        let t0 = Instant::now();
        let done = crate::commands::export::export(&sc, &opts)?;
        export.push(t0.elapsed().as_secs_f64());
        (frames, bytes) = (done.frames, done.bytes);
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok((median(train), median(export), frames, bytes))
}

pub fn run(secs: f64, out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "nnbook bench (release build recommended; medians; 2-core shared machine)"
    )?;
    for (w, h) in [(200u16, 60u16), (120, 40), (80, 24)] {
        let ms = frame_time("numpy", w, h, 60)?;
        writeln!(
            out,
            "frame {w}x{h} (numpy chapter, heatmap + charts + weights): {ms:.2} ms median of 60"
        )?;
    }
    let (_, playground) = classifier("playground")?;
    // The speed the app opens this chapter at (from its own epoch count, not the bench's).
    let mut as_shipped = playground.clone();
    as_shipped.train.epochs = match scenario::load("playground")?.body {
        Body::Classifier(c) => c.train.epochs,
        Body::Race(_) | Body::Compare(_) | Body::Lorenz(_) | Body::Averages(_) => {
            anyhow::bail!("playground is not a single classifier")
        }
    };
    let default = crate::screens::classifier::params::SPEEDS
        [crate::screens::classifier::params::default_speed(&as_shipped)];
    for (label, speed, window) in [
        ("at its default speed", default, None),
        ("flat out", None, None),
        (
            "at its default speed, charts zoomed to 50 epochs",
            default,
            Some(50),
        ),
    ] {
        let (bps, frames, eps) = live("playground", 120, 40, 15.0, secs, true, speed, window)?;
        writeln!(
            out,
            "terminal output 120x40, 256 colours, 15 fps, playground training {label} ({eps:.0} epochs/s): {:.1} KB/s ({frames} frames in {secs} s, {:.0} bytes/frame)",
            bps / 1e3,
            bps * secs / frames.max(1) as f64
        )?;
    }
    for name in ["playground", "circles"] {
        // The speed the app opens the chapter at, from its own epoch count.
        let Body::Classifier(c) = scenario::load(name)?.body else {
            anyhow::bail!("{name} is not a single classifier")
        };
        let default = crate::screens::classifier::params::SPEEDS
            [crate::screens::classifier::params::default_speed(&c)];
        let (bps, frames, eps) =
            live_showing(name, (120, 40), 15.0, secs, Shown::Field, default, None)?;
        writeln!(
            out,
            "the field alone (boundary panel) 120x40, 256 colours, 15 fps, {name} at its default speed ({eps:.0} epochs/s): {:.1} KB/s ({frames} frames, {:.0} bytes/frame)",
            bps / 1e3,
            bps * secs / frames.max(1) as f64
        )?;
    }
    for (name, cold, three_d) in [
        ("race-rosenbrock", false, false),
        ("race-rosenbrock", true, false),
        ("gradient-descent", true, false),
        ("race-saddle", false, true),
        ("gradient-descent", false, true),
    ] {
        let ms = race_frame_time(name, 200, 60, 30, cold, three_d)?;
        let what = match (cold, three_d) {
            (_, true) => "3-D, turning",
            (true, _) => "contour recomputed",
            _ => "contour cached",
        };
        writeln!(
            out,
            "race frame 200x60 ({name}, {what}): {ms:.2} ms median of 30"
        )?;
    }
    let (ms, explained) = landscape_time("numpy", 2000)?;
    let (nx, ny) = crate::screens::classifier::landscape::LANDSCAPE_GRID;
    writeln!(
        out,
        "landscape refresh (numpy chapter, 160 weight snapshots of 5 226 weights, {nx}x{ny} loss grid on 900 points, background thread): {ms:.0} ms median of 5 ({:.0}% variance explained)",
        100.0 * explained
    )?;
    let (med, p95, bytes) = gif_cost(300)?;
    writeln!(
        out,
        "GIF: rasterize + encode one 120x40 frame (numpy chapter, 300 frames): {med:.2} ms median, {p95:.2} ms 95th percentile; file {:.0} KB",
        bytes as f64 / 1e3
    )?;
    let (train, export, frames, bytes) = export_cost("numpy", 3)?;
    writeln!(
        out,
        "export beyond training (numpy chapter, 120x40 GIF, {frames} frames, {:.0} KB): {:.2} ms a frame — nnbook export {export:.2} s vs nnbook train --cores 1 {train:.2} s over the same epochs, medians of 3",
        bytes as f64 / 1e3,
        (export - train) * 1e3 / frames.max(1) as f64
    )?;
    let (_, _, headless) = live("numpy", 120, 40, 15.0, secs, false, None, None)?;
    let (_, _, with_ui) = live("numpy", 120, 40, 15.0, secs, true, None, None)?;
    writeln!(
        out,
        "numpy chapter epochs/s: {headless:.0} trainer alone, {with_ui:.0} with the UI drawing 120x40 at 15 fps ({:.1}% cost)",
        100.0 * (1.0 - with_ui / headless)
    )?;
    Ok(())
}

/// `nnbook bench --link`: the terminal's link as the live view's flow control measures it —
/// frames of 0, 4 and 16 KB (spaces, on the alternate screen), each followed by a status
/// query, timed to its answer.
pub fn link(rounds: usize, out: &mut impl Write) -> Result<()> {
    use crate::tui::{decode, link};
    use ratatui::crossterm::{execute, terminal};
    use std::io::{IsTerminal, Read};
    if !(std::io::stdout().is_terminal() && std::io::stdin().is_terminal()) {
        anyhow::bail!("bench --link measures the terminal it runs in: run it in one, not piped");
    }
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut d = decode::Decoder::default();
        let mut buf = [0u8; 4096];
        while let Ok(n) = std::io::stdin().read(&mut buf) {
            if n == 0 {
                return;
            }
            for i in d.feed(&buf[..n]) {
                if i == decode::Input::Answer && tx.send(()).is_err() {
                    return;
                }
            }
        }
    });
    terminal::enable_raw_mode().context("cannot put the terminal in raw mode")?;
    let mut tty = std::io::stdout();
    let _ = execute!(tty, terminal::EnterAlternateScreen);
    let mut l = link::Link::new(false);
    let mut lost = 0;
    let result = (|| -> std::io::Result<()> {
        for i in 0..rounds {
            let size = [0, 4096, 16384][i % 3];
            let mut frame = b"\x1b[H".to_vec();
            frame.extend(std::iter::repeat_n(b' ', size));
            frame.extend_from_slice(link::QUERY);
            let t0 = Instant::now();
            tty.write_all(&frame)?;
            tty.flush()?;
            l.sent(size, t0);
            match rx.recv_timeout(link::SILENT_AFTER) {
                Ok(()) => l.answered(Instant::now()),
                Err(_) => {
                    lost += 1;
                    l.forget();
                    if lost >= 2 {
                        break;
                    }
                }
            }
        }
        Ok(())
    })();
    let _ = execute!(tty, terminal::LeaveAlternateScreen);
    let _ = terminal::disable_raw_mode();
    result?;
    let e = l.estimate();
    if e.answers == 0 {
        writeln!(
            out,
            "terminal link: no answer to the status query (ESC[5n) within {} s: the live view \
             sends frames at its fixed rate (--fps)",
            link::SILENT_AFTER.as_secs()
        )?;
        return Ok(());
    }
    let delay = e.delay.unwrap_or(0.0);
    writeln!(
        out,
        "terminal link: {} answers of {rounds}, delay {:.1} ms (the shortest answer)",
        e.answers,
        delay * 1e3
    )?;
    match e.rate {
        Some(r) => writeln!(
            out,
            "  delivered ≈ {:.1} KB/s for 4 and 16 KB frames: a 12 KB frame takes ≈ {:.0} ms; {}",
            r / 1e3,
            (delay + 12_000.0 / r) * 1e3,
            if l.low_bandwidth() {
                "slow: the live view turns on its low-bandwidth mode"
            } else {
                "the live view runs at full rate"
            }
        )?,
        None => writeln!(
            out,
            "  too fast to time a rate (16 KB in under 2 ms): the live view runs at full rate"
        )?,
    }
    Ok(())
}

/// One training workload of `nnbook bench --training`: a chapter's run, trained epoch by
/// epoch as the app trains it (the batches, the optimizer, the per-epoch test evaluation).
pub struct Workload {
    pub label: &'static str,
    pub scenario: &'static str,
    /// The run's name in a scenario of runs side by side.
    pub run: Option<&'static str>,
    /// Epochs trained before the timed ones, and epochs timed (one time each).
    pub warmup: usize,
    pub epochs: usize,
}

/// The two workloads issue 15 measures: the NumPy chapter's full-batch epoch and the
/// overfitting chapter's deep mini-batch run.
pub const WORKLOADS: [Workload; 2] = [
    Workload {
        label: "numpy chapter: 900 points, 2-25-50-50-25-1, full batch, SGD, per-epoch test on 100",
        scenario: "numpy",
        run: None,
        warmup: 200,
        epochs: 501,
    },
    Workload {
        label: "overfitting chapter, deep run: 1600 points, 2-8-32-128-256-256-128-64-16-1, Adam, batch 32, per-epoch test on 400",
        scenario: "overfitting",
        run: Some("deep"),
        warmup: 3,
        epochs: 11,
    },
];

/// What one workload measured.
pub struct TrainingFigures {
    /// Median milliseconds per epoch.
    pub ms: f64,
    /// Fastest and slowest epoch.
    pub min_ms: f64,
    pub max_ms: f64,
    pub epochs: usize,
    /// GEMM flops of one epoch: training (forward and both backward products) and the test
    /// set's forward pass.
    pub train_mflop: f64,
    pub test_mflop: f64,
}

impl TrainingFigures {
    pub fn mflop(&self) -> f64 {
        self.train_mflop + self.test_mflop
    }

    pub fn gflops(&self) -> f64 {
        self.mflop() / self.ms
    }
}

/// The classifier a workload trains, from its (bundled) scenario.
fn workload_spec(w: &Workload) -> Result<(u64, crate::scenario::Classifier)> {
    let sc = scenario::load(w.scenario)?;
    let mut c = match (sc.body, w.run) {
        (Body::Classifier(c), None) => c,
        (Body::Compare(runs), Some(name)) => runs
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c)
            .with_context(|| format!("{} has no run named {name}", w.scenario))?,
        _ => anyhow::bail!("{} is not the scenario this workload expects", w.scenario),
    };
    c.train.epochs = 100_000_000;
    Ok((sc.seed, c))
}

/// Times `w`: `warmup` epochs, then `epochs` epochs each timed on its own (`epochs`
/// overrides the workload's count); with `two_cores`, a split batch's halves on two threads.
/// `None` when two cores are asked for a run that does not split its batch.
pub fn training_time(
    w: &Workload,
    epochs: Option<usize>,
    two_cores: bool,
) -> Result<Option<TrainingFigures>> {
    let (seed, c) = workload_spec(w)?;
    let mut run = crate::train::ClassifierRun::new(c, seed).context("data")?;
    if two_cores && !run.splits() {
        return Ok(None);
    }
    run.parallel = two_cores;
    let macs: usize = run
        .net
        .layers
        .iter()
        .map(|l| l.w.nrows() * l.w.ncols())
        .sum();
    let (ntrain, ntest) = (run.data.train.len(), run.data.test.len());
    for _ in 0..w.warmup {
        run.step_epoch()
            .context("the run stopped during the warm-up")?;
    }
    let n = epochs.unwrap_or(w.epochs).max(1);
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let t0 = Instant::now();
        run.step_epoch()
            .context("the run stopped during the measurement")?;
        times.push(t0.elapsed().as_secs_f64() * 1e3);
    }
    let min_ms = times.iter().copied().fold(f64::INFINITY, f64::min);
    let max_ms = times.iter().copied().fold(0.0, f64::max);
    Ok(Some(TrainingFigures {
        ms: median(times),
        min_ms,
        max_ms,
        epochs: n,
        train_mflop: 3.0 * 2.0 * (macs * ntrain) as f64 / 1e6,
        test_mflop: 2.0 * (macs * ntest) as f64 / 1e6,
    }))
}

/// The machine's f32 FMA peak for one core, and how it was reckoned.
pub struct Peak {
    pub gflops: f64,
    pub how: String,
}

/// The widest f32 FMA this CPU has: lanes and a name.
fn fma_lanes() -> Option<(usize, &'static str)> {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("fma") {
            if std::arch::is_x86_feature_detected!("avx512f") {
                return Some((16, "AVX-512"));
            }
            if std::arch::is_x86_feature_detected!("avx2") {
                return Some((8, "AVX2"));
            }
        }
    }
    None
}

/// One chain of dependent single-cycle integer operations (rotate, xor): `8·n` cycles.
#[inline(never)]
fn dependent_chain(n: u64, k: u64, mut x: u64) -> u64 {
    for _ in 0..n {
        x = x.rotate_left(7) ^ k;
        x = x.rotate_left(13) ^ k;
        x = x.rotate_left(29) ^ k;
        x = x.rotate_left(3) ^ k;
    }
    x
}

/// The clock this core runs at now, in GHz: the best of five timings of a dependent chain
/// of 8·10⁷ single-cycle operations (about 30 ms each).
pub fn measured_ghz() -> f64 {
    use std::hint::black_box;
    let n = 10_000_000u64;
    let mut best = 0.0f64;
    for _ in 0..5 {
        let t0 = Instant::now();
        let x = dependent_chain(black_box(n), black_box(0x9E37_79B9_7F4A_7C15), black_box(1));
        let s = t0.elapsed().as_secs_f64();
        black_box(x);
        best = best.max(8.0 * n as f64 / s / 1e9);
    }
    best
}

/// One core's f32 FMA peak: 2 FMA units × lanes × 2 flops × GHz, from the detected vector
/// width and the measured (or given) clock; `peak_gflops` overrides it.
pub fn peak(ghz: Option<f64>, peak_gflops: Option<f64>) -> Option<Peak> {
    if let Some(p) = peak_gflops {
        return Some(Peak {
            gflops: p,
            how: "given by --peak-gflops".into(),
        });
    }
    let (lanes, isa) = fma_lanes()?;
    let (ghz, clock) = match ghz {
        Some(g) => (g, "given"),
        None => (measured_ghz(), "measured"),
    };
    Some(Peak {
        gflops: 2.0 * lanes as f64 * 2.0 * ghz,
        how: format!(
            "1 core x 2 FMA units x {lanes} f32 lanes ({isa}) x 2 flops x {ghz:.2} GHz {clock}"
        ),
    })
}

/// `nnbook bench --training`: ms/epoch, GFLOP/s and the fraction of the FMA peak for the
/// two workloads of issue 15, on one thread.
pub fn training(
    epochs: Option<usize>,
    ghz: Option<f64>,
    peak_gflops: Option<f64>,
    out: &mut dyn Write,
) -> Result<()> {
    for (name, v) in [("--ghz", ghz), ("--peak-gflops", peak_gflops)] {
        if let Some(v) = v
            && !(v.is_finite() && v > 0.0)
        {
            anyhow::bail!("{name} must be a positive number, got {v}");
        }
    }
    let peak = peak(ghz, peak_gflops);
    writeln!(
        out,
        "nnbook bench --training (f32; one thread, then two where the run splits its batch; medians of timed epochs after a warm-up)"
    )?;
    match &peak {
        Some(p) => writeln!(out, "FMA peak: {:.1} GFLOP/s ({})", p.gflops, p.how)?,
        None => writeln!(
            out,
            "FMA peak: unknown (no AVX2/AVX-512 FMA detected; give --peak-gflops)"
        )?,
    }
    for w in &WORKLOADS {
        let one = training_time(w, epochs, false)?.context("one thread always runs")?;
        writeln!(out, "{}", w.label)?;
        let share = |f: &TrainingFigures, cores: f64| {
            peak.as_ref().map_or(String::new(), |p| {
                format!(
                    ", {:.1}% of the FMA peak of {cores} core{}",
                    100.0 * f.gflops() / (cores * p.gflops),
                    if cores > 1.0 { "s" } else { "" }
                )
            })
        };
        writeln!(
            out,
            "  {:.3} ms/epoch (median of {} epochs after {} warm-up; min {:.3}, max {:.3}); {:.1} MFLOP/epoch ({:.1} train + {:.1} test); {:.2} GFLOP/s{}",
            one.ms,
            one.epochs,
            w.warmup,
            one.min_ms,
            one.max_ms,
            one.mflop(),
            one.train_mflop,
            one.test_mflop,
            one.gflops(),
            share(&one, 1.0)
        )?;
        match training_time(w, epochs, true)? {
            Some(two) => writeln!(
                out,
                "  two cores (the full batch in two halves, one a thread; same numbers): {:.3} ms/epoch (min {:.3}, max {:.3}); {:.2}x one thread; {:.2} GFLOP/s{}",
                two.ms,
                two.min_ms,
                two.max_ms,
                one.ms / two.ms,
                two.gflops(),
                share(&two, 2.0)
            )?,
            None => writeln!(
                out,
                "  two cores: not used (mini-batches of this size are not split)"
            )?,
        }
    }
    let max = side_by_side_to(200, Duration::from_secs(300), true)?;
    let paced = side_by_side_to(200, Duration::from_secs(300), false)?;
    writeln!(
        out,
        "overfitting chapter in the live view: its three runs side by side (a thread each, in lockstep, the screen drawn at 120x40, 15 fps) reach epoch 200 in {max:.1} s at speed max ({paced:.1} s at the chapter's own pace)"
    )?;
    Ok(())
}

/// The overfitting chapter as the live view trains it: its three runs side by side, a thread
/// each in lockstep, the screen drawn at 120×40 and 15 frames a second beside them: seconds
/// until every run has reached `epochs`, at the chapter's own pace or, with `flat_out`, at
/// the speed `+` goes up to (max).
pub fn side_by_side_to(epochs: usize, limit: Duration, flat_out: bool) -> Result<f64> {
    use crate::screens::compare::CompareView;
    let sc = scenario::load("overfitting")?;
    let Body::Compare(specs) = &sc.body else {
        anyhow::bail!("overfitting is not runs side by side")
    };
    let gate = crate::train::Lockstep::new(specs.len());
    let mut sessions = Vec::new();
    for (i, (_, c)) in specs.iter().enumerate() {
        let mut c = c.clone();
        c.train.epochs = epochs;
        let trainer = Trainer::new(c, sc.seed).context("data")?;
        sessions.push(Session::spawn(trainer.in_lockstep(gate.clone(), i), || {}));
    }
    let mut view = CompareView::new(&sc, sessions, ColorMode::Ansi256)?;
    let mut term = Terminal::new(TestBackend::new(120, 40))?;
    let t0 = Instant::now();
    view.start(true);
    if flat_out {
        for _ in crate::screens::classifier::params::SPEEDS {
            view.act(crate::screens::classifier::keys::Action::Faster);
        }
    }
    while view.epoch() < epochs {
        if let Some(e) = view.error() {
            anyhow::bail!("a run stopped: {e}");
        }
        if t0.elapsed() > limit {
            anyhow::bail!(
                "only epoch {} of {epochs} after {:.0} s",
                view.epoch(),
                limit.as_secs_f64()
            );
        }
        view.pull();
        term.draw(|f| crate::screens::view::draw(&view, f))?;
        std::thread::sleep(Duration::from_secs_f64(1.0 / 15.0));
    }
    Ok(t0.elapsed().as_secs_f64())
}
