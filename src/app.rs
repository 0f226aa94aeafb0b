//! The app's state and its one `update` function. Rendering (`ui`) only reads it.

use crate::data::DataKind;
use crate::event::Event;
use crate::keymap::{self, Action, Focus};
use crate::nn::Penalty;
use crate::optim::{OptimizerConfig, OptimizerKind, fmt_num};
use crate::scenario::{self, Body, Classifier, Scenario};
use crate::train::landscape::{self, Landscape};
use crate::train::{Command, History, Record, Session, Snapshot};
use crate::ui::heatmap::Layers;
use crate::ui::palette::{ColorMode, Palette};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tui_textarea::TextArea;

/// Learning rates the `[`/`]` keys step through (Playground's, on a 1–3 ladder).
pub const LR_LADDER: [f64; 13] = [
    1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0,
];
/// Epochs per second; `None` is as fast as the machine goes.
pub const SPEEDS: [Option<f64>; 11] = [
    Some(1.0),
    Some(2.0),
    Some(5.0),
    Some(10.0),
    Some(20.0),
    Some(50.0),
    Some(100.0),
    Some(200.0),
    Some(500.0),
    Some(1000.0),
    None,
];
const MOMENTA: [f64; 6] = [0.0, 0.5, 0.8, 0.9, 0.95, 0.99];
const WIDTHS: [usize; 18] = [
    1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 25, 32, 50, 64, 100, 128, 256,
];
const RATES: [f64; 12] = [
    0.0, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0,
];
const BATCHES: [usize; 11] = [0, 1, 2, 4, 8, 10, 16, 32, 64, 128, 256];
const SAMPLES: [usize; 8] = [100, 200, 300, 500, 1000, 2000, 5000, 10000];
/// The chart windows `z` and `Z` step through, in epochs; past the widest comes the whole run.
/// The widest fits in the history's full-resolution part (4096 epochs).
pub const WINDOWS: [usize; 7] = [50, 100, 250, 500, 1000, 2000, 4000];

/// The smallest 1, 2 or 5 × 10^k at least `v` (and at least 10).
pub fn nice_ceil(v: f64) -> f64 {
    let v = v.max(10.0);
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|&c| c >= v)
        .unwrap_or(10.0 * p)
}

/// What the loss and accuracy charts span: the whole run, or a window of the last epochs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChartSpan {
    pub whole: bool,
    /// Epochs in the window (one of `WINDOWS`).
    pub window: usize,
}

impl Default for ChartSpan {
    fn default() -> Self {
        ChartSpan {
            whole: true,
            window: 500,
        }
    }
}

impl ChartSpan {
    /// The epochs shown, `(first, last)`: the whole run out to a round number, or the window,
    /// which jumps ahead a fifth of its width at a time so that between jumps only the newest
    /// points change on screen (cheap over SSH).
    pub fn epochs(self, last: usize) -> (usize, usize) {
        if self.whole {
            (0, nice_ceil(last as f64) as usize)
        } else {
            let step = (self.window / 5).max(1);
            let end = (last.div_ceil(step).max(1) * step).max(self.window);
            (end - self.window, end)
        }
    }

    pub fn toggle_whole(&mut self) {
        self.whole = !self.whole;
    }

    /// `z` (in) narrows the window, from the whole run to the widest window narrower than
    /// it; `Z` (out) widens it, and once a window would span the whole run so far, shows the
    /// whole run. `last` is the newest epoch.
    pub fn zoom(&mut self, inward: bool, last: usize) {
        let whole_end = ChartSpan {
            whole: true,
            ..*self
        }
        .epochs(last)
        .1;
        if inward {
            let limit = if self.whole { whole_end } else { self.window };
            if let Some(&w) = WINDOWS.iter().rev().find(|&&w| w < limit) {
                self.whole = false;
                self.window = w;
            }
        } else if !self.whole {
            match WINDOWS.iter().find(|&&w| w > self.window) {
                Some(&w) if w < whole_end => self.window = w,
                _ => self.whole = true,
            }
        }
    }

    /// The charts' bottom label.
    pub fn label(self) -> String {
        if self.whole {
            " whole run (w: last epochs · z zooms) ".into()
        } else {
            format!(
                " last {} epochs (w: whole run · z/Z zoom) ",
                crate::ui::group(self.window)
            )
        }
    }
}

/// The next value on a ladder from `v`, up or down; values between rungs go to the nearest
/// rung in that direction.
pub fn ladder<T: PartialOrd + Copy>(rungs: &[T], v: T, up: bool) -> T {
    if up {
        rungs
            .iter()
            .copied()
            .find(|&r| r > v)
            .unwrap_or(rungs[rungs.len() - 1])
    } else {
        rungs
            .iter()
            .rev()
            .copied()
            .find(|&r| r < v)
            .unwrap_or(rungs[0])
    }
}

/// One row of the parameters panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    Lr,
    Optimizer,
    Momentum,
    Activation,
    Layers,
    Neurons(usize),
    Regularization,
    RegRate,
    Dropout,
    BatchSize,
    Dataset,
    Samples,
    Noise,
    TestRatio,
    Seed,
}

impl Param {
    /// The rows for a run's settings, in panel order.
    pub fn rows(spec: &Classifier) -> Vec<Param> {
        let mut v = vec![Param::Lr, Param::Optimizer];
        if spec.optimizer.kind != OptimizerKind::Adagrad {
            v.push(Param::Momentum);
        }
        v.extend([Param::Activation, Param::Layers]);
        v.extend((0..spec.model.hidden.len()).map(Param::Neurons));
        v.extend([
            Param::Regularization,
            Param::RegRate,
            Param::Dropout,
            Param::BatchSize,
            Param::Dataset,
            Param::Samples,
            Param::Noise,
            Param::TestRatio,
            Param::Seed,
        ]);
        v
    }

    pub fn label(self, spec: &Classifier) -> String {
        match self {
            Param::Lr => "learning rate".into(),
            Param::Optimizer => "optimizer".into(),
            Param::Momentum => match spec.optimizer.kind {
                OptimizerKind::Adam | OptimizerKind::Adamw | OptimizerKind::Adamax => "β1".into(),
                _ => "momentum".into(),
            },
            Param::Activation => "activation".into(),
            Param::Layers => "hidden layers".into(),
            Param::Neurons(i) => format!("  layer {} neurons", i + 1),
            Param::Regularization => "regularization".into(),
            Param::RegRate => "  rate".into(),
            Param::Dropout => "dropout".into(),
            Param::BatchSize => "batch size".into(),
            Param::Dataset => "data".into(),
            Param::Samples => "  samples".into(),
            Param::Noise => "  noise".into(),
            Param::TestRatio => "  test ratio".into(),
            Param::Seed => "seed".into(),
        }
    }

    pub fn value(self, spec: &Classifier, seed: u64) -> String {
        let o = &spec.optimizer;
        let m = &spec.model;
        let d = &spec.data;
        match self {
            Param::Lr => fmt_num(o.lr),
            Param::Optimizer => o.kind.name().into(),
            Param::Momentum => match o.kind {
                OptimizerKind::Adam | OptimizerKind::Adamw | OptimizerKind::Adamax => {
                    fmt_num(o.betas.0)
                }
                _ => {
                    let mut s = fmt_num(o.momentum);
                    if o.nesterov {
                        s += " nesterov";
                    }
                    s
                }
            },
            Param::Activation => m.activation.name().into(),
            Param::Layers => m.hidden.len().to_string(),
            Param::Neurons(i) => m
                .hidden
                .get(i)
                .map_or_else(String::new, ToString::to_string),
            Param::Regularization => m.penalty.name().into(),
            Param::RegRate => fmt_num(m.penalty_rate),
            Param::Dropout => fmt_num(m.dropout),
            Param::BatchSize => match spec.train.batch_size {
                0 => "full".into(),
                b => b.to_string(),
            },
            Param::Dataset => d.label(),
            Param::Samples => d.samples.to_string(),
            Param::Noise => fmt_num(d.noise),
            Param::TestRatio => fmt_num(d.test_ratio),
            Param::Seed => seed.to_string(),
        }
    }
}

/// What a change to the settings asks of the trainer.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// Optimizer settings: applied without a reset, state kept.
    Optimizer(OptimizerConfig),
    /// Regularization, dropout, batch size: applied without a reset.
    Live(Classifier),
    /// Needs a fresh network (and maybe fresh data): says which setting, then resets.
    Reset(Classifier, u64, &'static str),
}

/// `spec` with parameter `p` moved one step up or down.
pub fn adjust(p: Param, spec: &Classifier, seed: u64, up: bool) -> Option<Change> {
    let mut s = spec.clone();
    let o = &mut s.optimizer;
    // One step of `d` up or down, rounded to the grid of `d` (0.1 + 0.1 + 0.1 is not 0.3).
    let step = |v: f64, d: f64| ((v + if up { d } else { -d }) / d).round() * d;
    let clamp = |v: f64, lo: f64, hi: f64| v.clamp(lo, hi);
    let change = match p {
        Param::Lr => {
            o.lr = ladder(&LR_LADDER, o.lr, up);
            Change::Optimizer(o.clone())
        }
        Param::Optimizer => {
            let all = OptimizerKind::ALL;
            let i = all.iter().position(|&k| k == o.kind).unwrap_or(0);
            let next = all[(i + if up { 1 } else { all.len() - 1 }) % all.len()];
            let lr = o.lr;
            *o = OptimizerConfig {
                lr,
                ..next.defaults()
            };
            Change::Optimizer(o.clone())
        }
        Param::Momentum => {
            match o.kind {
                OptimizerKind::Adam | OptimizerKind::Adamw | OptimizerKind::Adamax => {
                    o.betas.0 = ladder(&MOMENTA, o.betas.0, up);
                }
                _ => {
                    o.momentum = ladder(&MOMENTA, o.momentum, up);
                    if o.momentum == 0.0 {
                        o.nesterov = false;
                    }
                }
            }
            Change::Optimizer(o.clone())
        }
        Param::Activation => {
            s.model.activation = s.model.activation.next(up);
            Change::Reset(s, seed, "activation")
        }
        Param::Layers => {
            let h = &mut s.model.hidden;
            if up && h.len() < 8 {
                let w = h.last().copied().unwrap_or(4);
                h.push(w);
            } else if !up && !h.is_empty() {
                h.pop();
            } else {
                return None;
            }
            Change::Reset(s, seed, "hidden layers")
        }
        Param::Neurons(i) => {
            let w = s.model.hidden.get_mut(i)?;
            *w = ladder(&WIDTHS, *w, up);
            Change::Reset(s, seed, "layer width")
        }
        Param::Regularization => {
            s.model.penalty = match (s.model.penalty, up) {
                (Penalty::None, true) | (Penalty::L2, false) => Penalty::L1,
                (Penalty::L1, true) | (Penalty::None, false) => Penalty::L2,
                (Penalty::L2, true) | (Penalty::L1, false) => Penalty::None,
            };
            if s.model.penalty != Penalty::None && s.model.penalty_rate == 0.0 {
                s.model.penalty_rate = 0.001;
            }
            Change::Live(s)
        }
        Param::RegRate => {
            s.model.penalty_rate = ladder(&RATES, s.model.penalty_rate, up);
            if s.model.penalty == Penalty::None && s.model.penalty_rate > 0.0 {
                s.model.penalty = Penalty::L2;
            }
            Change::Live(s)
        }
        Param::Dropout => {
            s.model.dropout = clamp(step(s.model.dropout, 0.1), 0.0, 0.9);
            Change::Live(s)
        }
        Param::BatchSize => {
            s.train.batch_size = ladder(&BATCHES, s.train.batch_size, up);
            Change::Live(s)
        }
        Param::Dataset => {
            let all = DataKind::GENERATED;
            let i = all.iter().position(|&k| k == s.data.kind);
            let next = match i {
                Some(i) => all[(i + if up { 1 } else { all.len() - 1 }) % all.len()],
                None => all[0],
            };
            if next.is_playground() != s.data.kind.is_playground() || s.data.kind == DataKind::Csv {
                s.data.noise = if next.is_playground() { 0.1 } else { 0.2 };
            }
            s.data.kind = next;
            s.data.path = None;
            if !matches!(next, DataKind::Moons | DataKind::Circles) {
                s.data.random_state = None;
            }
            // Let the output follow the number of classes (blobs has more than two).
            s.model.output = None;
            s.model.loss = None;
            Change::Reset(s, seed, "data")
        }
        Param::Samples => {
            if s.data.kind == DataKind::Csv {
                return None;
            }
            s.data.samples = ladder(&SAMPLES, s.data.samples, up);
            Change::Reset(s, seed, "samples")
        }
        Param::Noise => {
            if s.data.kind == DataKind::Csv {
                return None;
            }
            let hi = if s.data.kind.is_playground() {
                0.5
            } else {
                2.0
            };
            s.data.noise = clamp(step(s.data.noise, 0.05), 0.0, hi);
            Change::Reset(s, seed, "noise")
        }
        Param::TestRatio => {
            s.data.test_ratio = clamp(step(s.data.test_ratio, 0.1), 0.1, 0.9);
            Change::Reset(s, seed, "test ratio")
        }
        Param::Seed => {
            let seed = if up {
                seed.wrapping_add(1)
            } else {
                seed.wrapping_sub(1)
            };
            Change::Reset(s, seed, "seed")
        }
    };
    Some(change)
}

/// The in-app scenario editor.
pub struct Editor {
    pub text: TextArea<'static>,
    /// The last refused edit's message, shown beside the text.
    pub error: Option<String>,
}

/// What a key did in the editor.
pub enum EditorOutcome {
    /// Still editing.
    Editing,
    /// Esc: the edit is dropped.
    Discard,
    /// Ctrl-C: the user wants out of the app.
    Quit,
    /// Ctrl-S with a valid scenario: the view applies it, or refuses it with `Editor::refuse`.
    Parsed(Box<Scenario>),
}

impl Editor {
    /// An editor holding `text`.
    pub fn open(text: &str, pal: &Palette) -> Self {
        let mut ta = TextArea::new(text.lines().map(str::to_string).collect());
        ta.set_line_number_style(ratatui::style::Style::default().fg(pal.dim()));
        Editor {
            text: ta,
            error: None,
        }
    }

    /// Esc discards, Ctrl-S checks the text (a refused edit keeps its message and puts the
    /// cursor on the line it names), Ctrl-C quits, every other key edits.
    pub fn key(&mut self, k: KeyEvent, dir: Option<&std::path::Path>) -> EditorOutcome {
        match (k.code, k.modifiers) {
            (KeyCode::Esc, _) => EditorOutcome::Discard,
            (KeyCode::Char('c'), m) if m.contains(KeyModifiers::CONTROL) => EditorOutcome::Quit,
            (KeyCode::Char('s'), m) if m.contains(KeyModifiers::CONTROL) => {
                match scenario::parse(&self.text.lines().join("\n"), "<editor>", dir) {
                    Ok(sc) => EditorOutcome::Parsed(Box::new(sc)),
                    Err(e) => {
                        if let Some((line, _)) = e.at {
                            self.text.move_cursor(tui_textarea::CursorMove::Jump(
                                line.saturating_sub(1) as u16,
                                0,
                            ));
                        }
                        self.error = Some(e.to_string());
                        EditorOutcome::Editing
                    }
                }
            }
            _ => {
                self.text.input(k);
                EditorOutcome::Editing
            }
        }
    }

    /// Refuses a valid scenario of another kind than the view shows.
    pub fn refuse_kind(&mut self, body: &Body) {
        let what = match body {
            Body::Classifier(_) => "a single classifier",
            Body::Compare(_) => "side-by-side runs",
            Body::Race(_) => "a surface race",
            Body::Lorenz(_) => "the attractor",
        };
        self.error = Some(format!(
            "{what} opens in its own view (nnbook run FILE); this view keeps its kind"
        ));
    }
}

/// Everything the screen shows, and the session it steers.
pub struct App {
    pub title: String,
    pub notes: String,
    /// Where the scenario came from: relative data paths resolve against its folder.
    pub dir: Option<PathBuf>,
    pub session: Session,
    pub snap: Snapshot,
    pub history: History,
    pub generation: u64,
    pub focus: Focus,
    pub layers: Layers,
    pub log_loss: bool,
    pub span: ChartSpan,
    /// The chart cursor, as an epoch.
    pub cursor: Option<usize>,
    pub param: usize,
    pub speed: usize,
    pub help: bool,
    pub editor: Option<Editor>,
    pub message: Option<(String, Instant)>,
    pub palette: Palette,
    pub quit: bool,
    /// Something on screen changed since the last frame.
    pub dirty: bool,
    pub error: Option<String>,
    /// The weights the heatmap and weight panel draw: the newest while paused, refreshed at
    /// most every `FIELD_EVERY` while training (the field is the costliest region to send).
    pub field: crate::train::Net,
    field_at: Instant,
    /// Show the loss landscape instead of the weights.
    pub show_landscape: bool,
    pub landscape: Option<Landscape>,
    /// Weight snapshots (epoch, flat weights) of this run, for the landscape.
    pub trajectory: Vec<(usize, Vec<f32>)>,
    landscape_at: Option<Instant>,
    landscape_worker: Option<LandscapeWorker>,
    train_set: (
        std::sync::Arc<ndarray::Array2<f32>>,
        std::sync::Arc<Vec<usize>>,
    ),
    /// A request for the main loop (record, screenshot).
    pub request: Option<crate::screen::Request>,
    /// The recording in progress, as the status line shows it.
    pub recording: Option<String>,
    /// Lecture place, presenter mode, notes overlay.
    pub stage: crate::screen::Stage,
    /// The activation-functions panel is shown over the charts.
    pub show_activations: bool,
}

/// The training set of a split as a matrix and labels, for the landscape's loss.
fn train_set(
    data: &crate::data::Split,
) -> (
    std::sync::Arc<ndarray::Array2<f32>>,
    std::sync::Arc<Vec<usize>>,
) {
    let x =
        ndarray::Array2::from_shape_fn((data.train.len(), 2), |(i, j)| data.train.x[i][j] as f32);
    (
        std::sync::Arc::new(x),
        std::sync::Arc::new(data.train.y.clone()),
    )
}

/// How often the decision field and weights refresh while training.
pub const FIELD_EVERY: Duration = Duration::from_millis(200);
/// How often the loss landscape is recomputed (in the background) while it is shown.
pub const LANDSCAPE_EVERY: Duration = Duration::from_secs(3);
/// Weight snapshots kept for the landscape's PCA; past this, every other one is dropped.
const TRAJECTORY: usize = 160;
/// The landscape's grid.
pub const LANDSCAPE_GRID: (usize, usize) = (28, 14);

/// Computes landscapes on its own thread, so the UI never waits for one.
struct LandscapeWorker {
    tx: std::sync::mpsc::Sender<LandscapeJob>,
    rx: std::sync::mpsc::Receiver<Landscape>,
    busy: bool,
}

struct LandscapeJob {
    net: crate::train::Net,
    traj: Vec<(usize, Vec<f32>)>,
    x: std::sync::Arc<ndarray::Array2<f32>>,
    y: std::sync::Arc<Vec<usize>>,
}

impl LandscapeWorker {
    fn spawn() -> Option<Self> {
        let (tx, jobs) = std::sync::mpsc::channel::<LandscapeJob>();
        let (done, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("nnbook-landscape".into())
            .spawn(move || {
                while let Ok(job) = jobs.recv() {
                    let (nx, ny) = LANDSCAPE_GRID;
                    if let Some(l) =
                        landscape::compute(&job.net, &job.traj, job.x.view(), &job.y, nx, ny)
                        && done.send(l).is_err()
                    {
                        return;
                    }
                }
            })
            .ok()?;
        Some(LandscapeWorker {
            tx,
            rx,
            busy: false,
        })
    }
}

impl App {
    /// An app on a scenario's session; the first snapshot must already be published.
    pub fn new(
        sc: &Scenario,
        dir: Option<PathBuf>,
        mut session: Session,
        mode: ColorMode,
    ) -> Result<Self, String> {
        let news = session.take()?;
        let snap = news.snapshot.ok_or("the trainer published nothing")?;
        let records = news.records;
        let spec0 = snap.spec.clone();
        let snap0_net = snap.net.clone();
        let traj0 = vec![(snap.epoch, landscape::flatten(&snap0_net))];
        let set0 = train_set(&snap.data);
        let mut history = History::default();
        for (_, r) in records {
            history.push(r);
        }
        Ok(App {
            title: sc.title.clone(),
            notes: sc.notes.clone(),
            dir,
            session,
            generation: snap.generation,
            snap,
            history,
            focus: Focus::Boundary,
            layers: Layers::default(),
            log_loss: true,
            span: ChartSpan::default(),
            cursor: None,
            param: 0,
            speed: default_speed(&spec0),
            help: false,
            editor: None,
            message: None,
            palette: Palette::new(mode),
            quit: false,
            dirty: true,
            error: None,
            trajectory: traj0,
            field: snap0_net,
            field_at: Instant::now(),
            show_landscape: false,
            landscape: None,
            landscape_at: None,
            landscape_worker: None,
            train_set: set0,
            request: None,
            recording: None,
            stage: crate::screen::Stage::default(),
            show_activations: false,
        })
    }

    /// Sets the trainer's speed to the app's, and starts training unless told to wait.
    pub fn start(&mut self, run: bool) {
        self.session.send(Command::SetSpeed(SPEEDS[self.speed]));
        if run {
            self.session.send(Command::Resume);
        }
        self.pull();
    }

    pub fn spec(&self) -> &Classifier {
        &self.snap.spec
    }

    /// Tells the user something in the status line for a few seconds.
    pub fn say(&mut self, msg: impl Into<String>) {
        self.message = Some((msg.into(), Instant::now()));
        self.dirty = true;
    }

    /// The one entry point: every event goes through here.
    pub fn update(&mut self, ev: Event) {
        match ev {
            Event::Key(k) => self.key(k),
            Event::Paste(s) => {
                if let Some(ed) = &mut self.editor {
                    ed.text.insert_str(s);
                    self.dirty = true;
                }
            }
            Event::Resize(..) => self.dirty = true,
            Event::Trained => {
                self.pull();
                self.tend_landscape();
            }
            Event::Tick => {
                self.tend_landscape();
                if crate::app::expire(&mut self.message) {
                    self.dirty = true;
                }
            }
            Event::Terminate => self.quit = true,
        }
    }

    /// Takes the trainer's news: the newest snapshot and every new epoch record.
    pub fn pull(&mut self) {
        match self.session.take() {
            Ok(news) => {
                let snap = news.snapshot;
                for (generation, r) in news.records {
                    if generation != self.generation {
                        self.generation = generation;
                        self.history = History::default();
                        self.cursor = None;
                    }
                    self.history.push(r);
                }
                if let Some(s) = snap {
                    if s.generation != self.generation {
                        self.generation = s.generation;
                        self.history = History::default();
                        self.cursor = None;
                    }
                    if let Some(e) = &s.error
                        && self.snap.error.as_ref() != Some(e)
                    {
                        self.say(format!("refused: {e}"));
                    }
                    if s.finished && !self.snap.finished {
                        self.say(format!(
                            "reached the scenario's {} epochs; space trains on",
                            s.spec.train.epochs
                        ));
                    }
                    let fresh = s.generation != self.snap.generation;
                    if fresh {
                        self.trajectory.clear();
                        self.landscape = None;
                        self.landscape_at = None;
                        self.train_set = train_set(&s.data);
                    }
                    if !s.running || fresh || self.field_at.elapsed() >= FIELD_EVERY {
                        self.field = s.net.clone();
                        self.field_at = Instant::now();
                        self.record_weights(s.epoch);
                    }
                    self.snap = s;
                    self.dirty = true;
                }
            }
            Err(e) => {
                self.error = Some(e);
                self.quit = true;
            }
        }
    }

    /// Shows the newest weights now, whatever the refresh rate (headless export draws every
    /// frame it captures).
    pub fn sync_field(&mut self) {
        self.field = self.snap.net.clone();
        self.field_at = Instant::now();
        self.record_weights(self.snap.epoch);
    }

    /// Adds the shown weights to the trajectory (once per epoch), thinning it when full.
    fn record_weights(&mut self, epoch: usize) {
        if self.trajectory.last().is_some_and(|t| t.0 == epoch) {
            return;
        }
        self.trajectory
            .push((epoch, landscape::flatten(&self.field)));
        if self.trajectory.len() > TRAJECTORY {
            let last = self.trajectory.pop();
            let mut i = 0;
            self.trajectory.retain(|_| {
                i += 1;
                i % 2 == 1
            });
            self.trajectory.extend(last);
        }
    }

    /// Starts a background landscape computation when one is due, and takes a finished one.
    pub fn tend_landscape(&mut self) {
        if !self.show_landscape {
            return;
        }
        if self.landscape_worker.is_none() {
            self.landscape_worker = LandscapeWorker::spawn();
        }
        let Some(w) = &mut self.landscape_worker else {
            return;
        };
        if let Ok(l) = w.rx.try_recv() {
            w.busy = false;
            self.landscape = Some(l);
            self.dirty = true;
        }
        let due = self
            .landscape_at
            .is_none_or(|t| t.elapsed() >= LANDSCAPE_EVERY);
        let grown = self
            .landscape
            .as_ref()
            .is_none_or(|l| l.epochs.last() != self.trajectory.last().map(|t| &t.0));
        if !w.busy && due && grown && self.trajectory.len() >= 3 {
            let job = LandscapeJob {
                net: self.field.clone(),
                traj: self.trajectory.clone(),
                x: self.train_set.0.clone(),
                y: self.train_set.1.clone(),
            };
            if w.tx.send(job).is_ok() {
                w.busy = true;
                self.landscape_at = Some(Instant::now());
            }
        }
    }

    /// Computes the landscape here and now (tests, benchmarks).
    pub fn landscape_now(&mut self) {
        let (nx, ny) = LANDSCAPE_GRID;
        self.landscape = landscape::compute(
            &self.field,
            &self.trajectory,
            self.train_set.0.view(),
            &self.train_set.1,
            nx,
            ny,
        );
        self.dirty = true;
    }

    fn send(&mut self, cmd: Command) {
        self.session.send(cmd);
        self.pull();
    }

    fn key(&mut self, k: KeyEvent) {
        self.dirty = true;
        if self.editor.is_some() {
            self.editor_key(k);
            return;
        }
        if self.help {
            // Any key closes the help; q and Ctrl-C still quit.
            if keymap::lookup(&k, self.focus) == Some(Action::Quit) {
                self.quit = true;
            }
            self.help = false;
            return;
        }
        if let Some(action) = keymap::lookup(&k, self.focus) {
            self.act(action);
        }
    }

    pub fn act(&mut self, action: Action) {
        self.dirty = true;
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.help = true,
            Action::TogglePause if self.stage.show_notes => {
                // The lecturer has said their piece: the notes go, the chapter starts.
                self.stage.show_notes = false;
                self.act(Action::TogglePause);
            }
            Action::TogglePause => {
                if self.snap.running {
                    self.send(Command::Pause);
                } else if let crate::train::Health::Diverged { .. } = self.snap.health {
                    self.say("diverged: lower the learning rate ([) or reset (r) first");
                } else {
                    self.send(Command::Resume);
                }
            }
            Action::StepEpoch => self.send(Command::StepEpoch),
            Action::StepBatch => self.send(Command::StepBatch),
            Action::Reset => {
                self.send(Command::Reset);
                self.say("reset: same seed, fresh weights");
            }
            Action::Reseed => {
                let spec = self.spec().clone();
                let seed = self.snap.seed.wrapping_add(1);
                let what = match spec.data.random_state {
                    Some(state) => {
                        format!("new weights; the points stay scikit-learn's random_state {state}")
                    }
                    None => "new data and weights".into(),
                };
                self.send(Command::Rebuild {
                    spec: Box::new(spec),
                    seed,
                });
                self.say(format!("seed {seed}: {what}"));
            }
            Action::Faster | Action::Slower => {
                self.speed = if action == Action::Faster {
                    (self.speed + 1).min(SPEEDS.len() - 1)
                } else {
                    self.speed.saturating_sub(1)
                };
                self.send(Command::SetSpeed(SPEEDS[self.speed]));
                self.say(format!("speed: {}", speed_label(SPEEDS[self.speed])));
            }
            Action::LrUp | Action::LrDown => {
                let mut o = self.spec().optimizer.clone();
                o.lr = ladder(&LR_LADDER, o.lr, action == Action::LrUp);
                self.say(format!("learning rate {}", fmt_num(o.lr)));
                self.send(Command::SetOptimizer(o));
            }
            Action::NextOptimizer => {
                if let Some(c) = adjust(Param::Optimizer, self.spec(), self.snap.seed, true) {
                    self.apply(c);
                }
            }
            Action::FocusNext | Action::FocusPrev => {
                let n = Focus::ORDER.len();
                let i = Focus::ORDER
                    .iter()
                    .position(|&f| f == self.focus)
                    .unwrap_or(0);
                let j = if action == Action::FocusNext {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                };
                self.focus = Focus::ORDER[j];
            }
            Action::Edit => self.open_editor(),
            Action::ToggleField => self.layers.field = !self.layers.field,
            Action::ToggleBoundary => self.layers.boundary = !self.layers.boundary,
            Action::ToggleTrain => self.layers.train = !self.layers.train,
            Action::ToggleTest => self.layers.test = !self.layers.test,
            Action::ToggleLog => self.log_loss = !self.log_loss,
            Action::ToggleWhole => self.span.toggle_whole(),
            Action::ZoomIn | Action::ZoomOut => {
                let last = self.history.last().map_or(0, |r| r.epoch);
                self.span.zoom(action == Action::ZoomIn, last);
            }
            Action::ToggleNotes => self.stage.show_notes = !self.stage.show_notes,
            Action::ToggleActivations => self.show_activations = !self.show_activations,
            Action::NextChapter => self.request = Some(crate::screen::Request::NextChapter),
            Action::PrevChapter => self.request = Some(crate::screen::Request::PreviousChapter),
            Action::Record => self.request = Some(crate::screen::Request::ToggleRecord),
            Action::Screenshot => self.request = Some(crate::screen::Request::Screenshot),
            Action::ToggleLandscape => {
                self.show_landscape = !self.show_landscape;
                if self.show_landscape {
                    self.say("loss landscape: the weight path on its two principal directions, recomputed every few seconds");
                    self.tend_landscape();
                }
            }
            Action::CursorLeft | Action::CursorRight => {
                let last = self.history.last().map_or(0, |r| r.epoch);
                if last == 0 {
                    return;
                }
                let first = self.span.epochs(last).0.max(1);
                let span = last - first + 1;
                let stride = (span / 100).max(1);
                let c = self.cursor.unwrap_or(last);
                let c = if action == Action::CursorLeft {
                    c.saturating_sub(stride)
                } else {
                    c + stride
                };
                self.cursor = Some(c.clamp(first, last));
            }
            Action::CursorOff => self.cursor = None,
            Action::ParamUp => self.param = self.param.saturating_sub(1),
            Action::ParamDown => {
                let n = Param::rows(self.spec()).len();
                self.param = (self.param + 1).min(n - 1);
            }
            Action::ParamDec | Action::ParamInc => {
                let rows = Param::rows(self.spec());
                let p = rows[self.param.min(rows.len() - 1)];
                if let Some(c) = adjust(p, self.spec(), self.snap.seed, action == Action::ParamInc)
                {
                    self.apply(c);
                }
            }
        }
    }

    /// Sends a settings change to the trainer, saying what it does.
    pub fn apply(&mut self, c: Change) {
        match c {
            Change::Optimizer(o) => {
                self.say(o.summary());
                self.send(Command::SetOptimizer(o));
            }
            Change::Live(s) => {
                let m = &s.model;
                self.send(Command::SetLive {
                    penalty: m.penalty,
                    penalty_rate: m.penalty_rate,
                    dropout: m.dropout,
                    batch_size: s.train.batch_size,
                });
            }
            Change::Reset(s, seed, what) => {
                self.send(Command::Rebuild {
                    spec: Box::new(s),
                    seed,
                });
                if self.snap.error.is_none() {
                    self.say(format!(
                        "{what} changed: this needs a fresh network, so the run was reset"
                    ));
                }
            }
        }
        let n = Param::rows(self.spec()).len();
        self.param = self.param.min(n - 1);
    }

    /// The scenario as it runs now.
    pub fn scenario(&self) -> Scenario {
        Scenario {
            title: self.title.clone(),
            seed: self.snap.seed,
            notes: self.notes.clone(),
            body: Body::Classifier(self.spec().clone()),
        }
    }

    fn open_editor(&mut self) {
        self.editor = Some(Editor::open(&self.scenario().to_toml(), &self.palette));
    }

    fn editor_key(&mut self, k: KeyEvent) {
        let Some(ed) = &mut self.editor else { return };
        match ed.key(k, self.dir.as_deref()) {
            EditorOutcome::Editing => {}
            EditorOutcome::Quit => self.quit = true,
            EditorOutcome::Discard => {
                self.editor = None;
                self.say("edit discarded");
            }
            EditorOutcome::Parsed(sc) => match sc.body {
                Body::Classifier(spec) => {
                    self.title = sc.title;
                    self.notes = sc.notes;
                    self.send(Command::Rebuild {
                        spec: Box::new(spec),
                        seed: sc.seed,
                    });
                    // A rebuild that fails (the data cannot be made) keeps the old run.
                    if let Some(e) = self.snap.error.clone() {
                        if let Some(ed) = &mut self.editor {
                            ed.error = Some(e);
                        }
                    } else {
                        self.editor = None;
                        self.say("scenario applied: the run was reset");
                    }
                }
                other => ed.refuse_kind(&other),
            },
        }
    }

    /// The record under the chart cursor, or the newest.
    pub fn cursor_record(&self) -> Option<Record> {
        match self.cursor {
            Some(e) => self.history.at(e).copied(),
            None => self.history.last().copied(),
        }
    }
}

/// A speed that plays the scenario's epochs in about 15 seconds: slow enough to watch a
/// small problem learn, fast enough for a 10 000-epoch chapter.
pub fn default_speed(spec: &Classifier) -> usize {
    let want = spec.train.epochs as f64 / 15.0;
    SPEEDS
        .iter()
        .position(|s| s.is_none_or(|v| v >= want))
        .unwrap_or(SPEEDS.len() - 1)
}

/// How long a status message stays.
pub const MESSAGE_FOR: Duration = Duration::from_secs(4);

/// Clears a status message that has been shown long enough; true when it did.
pub fn expire(message: &mut Option<(String, Instant)>) -> bool {
    if message
        .as_ref()
        .is_some_and(|(_, t)| t.elapsed() > MESSAGE_FOR)
    {
        *message = None;
        true
    } else {
        false
    }
}

pub fn speed_label(s: Option<f64>) -> String {
    match s {
        Some(v) => format!("{v} epochs/s"),
        None => "max".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::Activation;
    use crate::train::Trainer;

    pub fn app(name: &str) -> App {
        let sc = scenario::load(name).unwrap();
        let Body::Classifier(c) = sc.body.clone() else {
            panic!()
        };
        let session = Session::inline(Trainer::new(c, sc.seed).unwrap());
        App::new(&sc, None, session, ColorMode::Truecolor).unwrap()
    }

    fn press(app: &mut App, code: KeyCode) {
        app.update(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    #[test]
    fn z_and_shift_z_walk_the_chart_windows_and_the_whole_run() {
        let mut a = app("numpy");
        a.session.train_inline(300);
        a.pull();
        assert!(a.span.whole);
        assert_eq!(a.span.epochs(300), (0, 500));
        // From the whole run (0–500) in: the widest window narrower than it.
        press(&mut a, KeyCode::Char('z'));
        assert_eq!((a.span.whole, a.span.window), (false, 250));
        assert_eq!(a.span.epochs(300), (50, 300));
        press(&mut a, KeyCode::Char('z'));
        assert_eq!(a.span.window, 100);
        // The window ends on a fifth of its width past the newest epoch, and never before 0.
        assert_eq!(a.span.epochs(1234), (1140, 1240));
        assert_eq!(a.span.epochs(30), (0, 100));
        for _ in 0..10 {
            press(&mut a, KeyCode::Char('z'));
        }
        assert_eq!(a.span.window, 50, "the narrowest window stays");
        assert_eq!(a.span.epochs(1234), (1190, 1240));
        // The cursor keeps to the window shown.
        a.focus = Focus::Charts;
        for _ in 0..200 {
            press(&mut a, KeyCode::Left);
        }
        assert_eq!(a.cursor, Some(250));
        // Out: 100, 250, then 500 would span the whole run so far, so the whole run.
        press(&mut a, KeyCode::Char('Z'));
        press(&mut a, KeyCode::Char('Z'));
        assert_eq!((a.span.whole, a.span.window), (false, 250));
        press(&mut a, KeyCode::Char('Z'));
        assert!(
            a.span.whole,
            "a window as wide as the run gives way to the whole run"
        );
        press(&mut a, KeyCode::Char('Z'));
        assert!(a.span.whole);
        // Long runs reach the widest window before the whole run.
        let mut long = ChartSpan::default();
        long.zoom(true, 100_000);
        assert_eq!((long.whole, long.window), (false, 4000));
        long.zoom(false, 100_000);
        assert!(long.whole);
    }

    #[test]
    fn space_pauses_and_dot_steps_one_epoch() {
        let mut a = app("playground");
        assert!(!a.snap.running);
        press(&mut a, KeyCode::Char(' '));
        assert!(a.snap.running);
        press(&mut a, KeyCode::Char(' '));
        assert!(!a.snap.running);
        press(&mut a, KeyCode::Char('.'));
        press(&mut a, KeyCode::Right);
        assert_eq!(a.snap.epoch, 2);
        assert_eq!(a.history.last().map(|r| r.epoch), Some(2));
    }

    #[test]
    fn brackets_move_the_learning_rate_without_reset() {
        let mut a = app("playground");
        press(&mut a, KeyCode::Char('.'));
        press(&mut a, KeyCode::Char(']'));
        assert_eq!(a.spec().optimizer.lr, 0.1);
        press(&mut a, KeyCode::Char('['));
        press(&mut a, KeyCode::Char('['));
        assert_eq!(a.spec().optimizer.lr, 0.01);
        assert_eq!(a.snap.epoch, 1, "no reset");
        assert_eq!(a.generation, 0);
    }

    #[test]
    fn a_structural_change_says_so_and_resets() {
        let mut a = app("playground");
        press(&mut a, KeyCode::Char('.'));
        press(&mut a, KeyCode::Tab);
        press(&mut a, KeyCode::Tab);
        assert_eq!(a.focus, Focus::Params);
        // lr, optimizer, momentum, activation
        for _ in 0..3 {
            press(&mut a, KeyCode::Down);
        }
        press(&mut a, KeyCode::Right);
        assert_eq!(a.spec().model.activation, Activation::Sigmoid);
        assert_eq!(a.snap.epoch, 0);
        assert!(a.message.as_ref().unwrap().0.contains("reset"));
    }

    #[test]
    fn adding_a_layer_adds_a_row() {
        let a = app("playground");
        let spec = a.spec().clone();
        let Some(Change::Reset(s, _, _)) = adjust(Param::Layers, &spec, 1, true) else {
            panic!()
        };
        assert_eq!(s.model.hidden, vec![4, 2, 2]);
        assert_eq!(Param::rows(&s).len(), Param::rows(&spec).len() + 1);
    }

    #[test]
    fn an_edit_with_a_typo_is_refused_and_training_goes_on() {
        let mut a = app("playground");
        press(&mut a, KeyCode::Char('.'));
        press(&mut a, KeyCode::Char('e'));
        let ed = a.editor.as_mut().unwrap();
        ed.text.move_cursor(tui_textarea::CursorMove::Top);
        ed.text.insert_str("bogus_key = 1\n");
        a.update(Event::Key(KeyEvent::new(
            KeyCode::Char('s'),
            KeyModifiers::CONTROL,
        )));
        let err = a.editor.as_ref().unwrap().error.clone().unwrap();
        assert!(
            err.starts_with("<editor>:1:1: unknown field `bogus_key`"),
            "{err}"
        );
        assert_eq!(a.snap.epoch, 1, "the run was not touched");
        press(&mut a, KeyCode::Esc);
        assert!(a.editor.is_none());
    }

    #[test]
    fn a_good_edit_applies_and_resets() {
        let mut a = app("playground");
        press(&mut a, KeyCode::Char('e'));
        let ed = a.editor.as_mut().unwrap();
        let text = ed
            .text
            .lines()
            .join("\n")
            .replace("hidden = [\n    4,\n    2,\n]", "hidden = [3]");
        ed.text = TextArea::new(text.lines().map(str::to_string).collect());
        a.update(Event::Key(KeyEvent::new(
            KeyCode::Char('s'),
            KeyModifiers::CONTROL,
        )));
        assert!(
            a.editor.is_none(),
            "{:?}",
            a.editor.as_ref().and_then(|e| e.error.clone())
        );
        assert_eq!(a.spec().model.hidden, vec![3]);
    }

    #[test]
    fn ladder_steps_between_rungs() {
        assert_eq!(ladder(&LR_LADDER, 0.0002, true), 3e-4);
        assert_eq!(ladder(&LR_LADDER, 0.0002, false), 1e-4);
        assert_eq!(ladder(&LR_LADDER, 10.0, true), 10.0);
        assert_eq!(ladder(&LR_LADDER, 1e-5, false), 1e-5);
    }

    #[test]
    fn help_closes_on_any_key() {
        let mut a = app("playground");
        press(&mut a, KeyCode::Char('?'));
        assert!(a.help);
        press(&mut a, KeyCode::Char('x'));
        assert!(!a.help && !a.quit);
        press(&mut a, KeyCode::Char('q'));
        assert!(a.quit);
    }
}
