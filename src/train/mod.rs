//! Training runs: a classifier (network + optimizer + data + generator) stepped by epoch or
//! mini-batch, and an optimizer race over a surface. Both are driven the same way by the
//! headless commands and the terminal app.

mod history;
pub mod landscape;
mod session;

pub use history::{History, Smoothing, ema, trailing_mean, trailing_mean_over};
pub use session::{Command, Lockstep, News, Session, SessionError, Snapshot, Trainer};

use crate::SeedRng;
use crate::data::{self, DataError, Split};
use crate::dynamics::Trail;
use crate::nn::{Architecture, Mlp, SPLIT_ROWS, Share, Targets, Workspace, expand_features};
use crate::optim::{Optimizer, OptimizerConfig};
use crate::real::Real;
use crate::scenario::{Classifier, Race, Racer};
use crate::surface::Surface;
use ndarray::Array2;
use rand::SeedableRng;
use rand::seq::SliceRandom;
use serde::Serialize;

/// Networks train in f32: 1.75× faster than f64 here at equal accuracy.
pub type Net = Mlp<f32>;

/// Independent generator streams of one seed, so that changing the model does not change
/// the data, and changing the data does not change the initial weights.
pub fn rng(seed: u64, stream: Stream) -> SeedRng {
    let mut r = SeedRng::seed_from_u64(seed);
    r.set_stream(stream as u64);
    r
}

#[derive(Clone, Copy, Debug)]
pub enum Stream {
    Data = 1,
    Init = 2,
    Train = 3,
}

/// A set's targets, owned: classes, or a regression's values (f32, as the network trains).
#[derive(Clone, Debug, PartialEq)]
pub enum Labels {
    Classes(Vec<usize>),
    Values(Vec<f32>),
}

impl Labels {
    /// A dataset's own: its targets when it is a regression, its classes otherwise.
    pub fn of(d: &crate::data::Dataset) -> Labels {
        if d.is_regression() {
            Labels::Values(d.t.iter().map(|&v| v as f32).collect())
        } else {
            Labels::Classes(d.y.clone())
        }
    }

    pub fn targets(&self) -> Targets<'_, f32> {
        match self {
            Labels::Classes(y) => Targets::Classes(y),
            Labels::Values(t) => Targets::Values(t),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Labels::Classes(y) => y.len(),
            Labels::Values(t) => t.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Empties this and refills it with `from`'s targets at `idx`, keeping its allocation.
    fn gather(&mut self, from: &Labels, idx: &[usize]) {
        match (self, from) {
            (Labels::Classes(to), Labels::Classes(y)) => {
                to.clear();
                to.extend(idx.iter().map(|&i| y[i]));
            }
            (Labels::Values(to), Labels::Values(t)) => {
                to.clear();
                to.extend(idx.iter().map(|&i| t[i]));
            }
            (to, from) => {
                *to = match from {
                    Labels::Classes(y) => Labels::Classes(idx.iter().map(|&i| y[i]).collect()),
                    Labels::Values(t) => Labels::Values(idx.iter().map(|&i| t[i]).collect()),
                }
            }
        }
    }
}

/// One epoch's figures. Train figures are the mean over the epoch's batches as they were
/// trained (Keras' convention: no extra pass); test figures are measured after the epoch.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Record {
    pub epoch: usize,
    pub train_loss: f64,
    pub test_loss: f64,
    /// The accuracy, or in a regression R² (`train_r2`, `test_r2` where they are printed).
    pub train_acc: f64,
    pub test_acc: f64,
}

/// Whether a run can go on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Health {
    Ok,
    /// The loss became NaN or infinite in `epoch` (the last finite train loss was
    /// `last_finite`); the weights and optimizer were restored to the end of epoch
    /// `restored`, the lowest train loss so far, so a lower learning rate can go on from there.
    Diverged {
        epoch: usize,
        last_finite: f64,
        restored: usize,
    },
}

/// Why a run stopped itself before its epochs were done (`[train] early_stopping`,
/// `stop_at_loss`). A stopped run trains on when asked (live: space).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Stop {
    /// The test loss had not improved for `patience` epochs: the run stopped after `epoch`;
    /// the best was `best_loss` in `best_epoch`, whose weights are back when `restored`.
    EarlyStopping {
        epoch: usize,
        best_epoch: usize,
        best_loss: f64,
        patience: usize,
        restored: bool,
    },
    /// The train loss of `epoch` was `loss`, at or below `target`.
    LossReached {
        epoch: usize,
        loss: f64,
        target: f64,
    },
}

impl Stop {
    pub fn epoch(&self) -> usize {
        match *self {
            Stop::EarlyStopping { epoch, .. } | Stop::LossReached { epoch, .. } => epoch,
        }
    }

    /// `early_stopping` or `stop_at_loss`, the scenario key that stopped the run.
    pub fn key(&self) -> &'static str {
        match self {
            Stop::EarlyStopping { .. } => "early_stopping",
            Stop::LossReached { .. } => "stop_at_loss",
        }
    }

    /// Why, in a sentence: `early stopping after epoch 120: …`.
    pub fn describe(&self) -> String {
        match *self {
            Stop::EarlyStopping {
                epoch,
                best_epoch,
                best_loss,
                patience,
                restored,
            } => format!(
                "early stopping after epoch {epoch}: no lower test loss for {patience} epochs \
                 since epoch {best_epoch} ({best_loss}){}",
                if restored {
                    "; the weights of that epoch are restored"
                } else {
                    ""
                }
            ),
            Stop::LossReached {
                epoch,
                loss,
                target,
            } => format!(
                "stopped after epoch {epoch}: its train loss {loss} is at or below {target}"
            ),
        }
    }
}

/// The lowest test loss so far and how long ago, by Keras' `EarlyStopping` rule: an epoch
/// improves on the best when its loss is below the best by more than `min_delta`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BestTest {
    pub epoch: usize,
    pub loss: f64,
    /// Epochs since the last improvement (Keras' `wait`).
    pub wait: usize,
}

impl Default for BestTest {
    fn default() -> Self {
        BestTest {
            epoch: 0,
            loss: f64::INFINITY,
            wait: 0,
        }
    }
}

impl BestTest {
    /// Takes epoch `epoch`'s test loss; true when it is the new best.
    pub fn observe(&mut self, epoch: usize, loss: f64, min_delta: f64) -> bool {
        self.wait += 1;
        if loss + min_delta < self.loss {
            *self = BestTest {
                epoch,
                loss,
                wait: 0,
            };
            return true;
        }
        false
    }
}

/// A network learning a 2-D classification task.
#[derive(Debug)]
pub struct ClassifierRun {
    pub spec: Classifier,
    pub seed: u64,
    pub data: Split,
    pub net: Net,
    pub optimizer: Optimizer<f32>,
    pub history: History,
    pub health: Health,
    /// Completed epochs.
    pub epoch: usize,
    xtr: Array2<f32>,
    xte: Array2<f32>,
    ytr: Labels,
    yte: Labels,
    rng: SeedRng,
    ws: Workspace<f32>,
    ws_tail: Workspace<f32>,
    ws_eval: Workspace<f32>,
    /// The second half's buffers when a full batch is split ([`SPLIT_ROWS`]).
    share: Share<f32>,
    /// Whether a split batch's halves run on two threads (one after the other otherwise: the
    /// same numbers, see [`Net::backward_split`]). Set by `nnbook train` and the bench; the
    /// live view, export and serve leave it off (their other threads need the other core).
    pub parallel: bool,
    order: Vec<usize>,
    xb: Array2<f32>,
    yb: Labels,
    /// Position in the current epoch (batches done) and its running sums.
    batch: usize,
    sum_loss: f64,
    /// The loss of the last mini-batch trained.
    last_batch_loss: f64,
    /// The epoch's correct classifications, or a regression's Σ squared residuals.
    sum_correct: f64,
    seen: usize,
    /// Σ(t − mean)² over the training targets (a regression's R² denominator).
    ss_tot_train: f64,
    /// The state with the lowest train loss so far: (weights, optimizer, epoch, loss).
    best: (Net, Optimizer<f32>, usize, f64),
    /// The lowest test loss so far (by early stopping's `min_delta`, 0 without it).
    pub best_test: BestTest,
    /// The weights of that epoch, kept when early stopping restores them.
    best_test_net: Option<Net>,
    /// Set when the run stopped itself; it trains on only after [`ClassifierRun::go_on`].
    pub stop: Option<Stop>,
    /// `stop_at_loss` has stopped the run once and is not asked again.
    loss_target_met: bool,
}

/// What one trained batch adds to its epoch's score: the correct classifications, or a
/// regression's squared residuals.
fn score(net: &Net, targets: Targets<'_, f32>, ws: &Workspace<f32>) -> f64 {
    match targets {
        Targets::Classes(y) => net.correct(y, ws) as f64,
        Targets::Values(t) => net.squared_residuals(t, ws),
    }
}

/// An f32 as the f64 with the same shortest decimal form, so reports read `0.0751` rather
/// than `0.07510000467300415`.
fn shortest(v: f32) -> f64 {
    if v.is_finite() {
        v.to_string().parse().unwrap_or(v as f64)
    } else {
        v as f64
    }
}

/// The most memory one run may need: a scenario past it is refused before anything large is
/// allocated (a refusal names the keys; an allocation failure aborts the process).
pub const MEMORY_BUDGET: u64 = 4_000_000_000;

/// Bytes a run needs, roughly: f32 activations, pre-activations and gradients of a training
/// batch, activations of the evaluation of the whole train (or test) set, and the parameters
/// with their gradients, optimizer moments and the best-so-far copy.
pub fn memory_estimate(spec: &Classifier, train: usize, test: usize, outputs: usize) -> u64 {
    let widths: Vec<u64> = std::iter::once(spec.model.features.len() as u64)
        .chain(spec.model.hidden.iter().map(|&w| w as u64))
        .chain(std::iter::once(outputs as u64))
        .collect();
    let units: u64 = widths.iter().sum();
    let params: u64 = widths.windows(2).map(|p| (p[0] + 1) * p[1]).sum();
    let batch = match spec.train.batch_size {
        0 => train,
        b => b.min(train),
    } as u64;
    let eval = train.max(test) as u64;
    4 * (units * (3 * batch + 2 * eval) + 6 * params)
}

impl ClassifierRun {
    /// Makes the data and a freshly initialized network from the scenario's seed.
    pub fn new(spec: Classifier, seed: u64) -> Result<Self, DataError> {
        let data = data::make(&spec.data, &mut rng(seed, Stream::Data))?;
        Self::with_data(spec, seed, data)
    }

    /// A fresh network on data already made (keeps the data when only the model changes).
    pub fn with_data(spec: Classifier, seed: u64, data: Split) -> Result<Self, DataError> {
        let classes = data.classes();
        let task = data.task();
        let (output, loss) = spec.model.head(task, classes);
        match task {
            crate::data::Task::Regression => loss.check_regression(output),
            crate::data::Task::Classification => loss.check_pair(output, classes),
        }
        .map_err(DataError::Invalid)?;
        let outputs = output.units(classes);
        let need = memory_estimate(&spec, data.train.len(), data.test.len(), outputs);
        if need > MEMORY_BUDGET {
            return Err(DataError::Invalid(format!(
                "this run needs about {:.1} GB of memory ({} train and {} test points through \
                 layers of {:?}), more than the {:.0} GB it may use: lower data.samples, or make \
                 model.hidden narrower or shallower",
                need as f64 / 1e9,
                data.train.len(),
                data.test.len(),
                spec.model.hidden,
                MEMORY_BUDGET as f64 / 1e9
            )));
        }
        let arch = Architecture {
            features: spec.model.features.clone(),
            hidden: spec.model.hidden.clone(),
            outputs: output.units(classes),
            activations: spec.model.layer_activations(),
            output,
            loss,
            init: spec.model.init,
            penalty: spec.model.penalty,
            penalty_rate: spec.model.penalty_rate,
            penalized: spec.model.penalized.clone(),
            dropout: spec.model.dropout,
        };
        let net = Mlp::new(arch, &mut rng(seed, Stream::Init));
        let optimizer = Optimizer::new(spec.optimizer.clone());
        Ok(ClassifierRun {
            best: (net.clone(), optimizer.clone(), 0, f64::INFINITY),
            xtr: expand_features(&spec.model.features, &data.train.x),
            xte: expand_features(&spec.model.features, &data.test.x),
            ytr: Labels::of(&data.train),
            yte: Labels::of(&data.test),
            ss_tot_train: {
                let t = &data.train.t;
                let mean = t.iter().sum::<f64>() / t.len().max(1) as f64;
                t.iter().map(|v| (v - mean) * (v - mean)).sum()
            },
            order: (0..data.train.len()).collect(),
            data,
            net,
            optimizer,
            history: History::default(),
            health: Health::Ok,
            epoch: 0,
            rng: rng(seed, Stream::Train),
            ws: Workspace::default(),
            ws_tail: Workspace::default(),
            ws_eval: Workspace::default(),
            share: Share::default(),
            parallel: false,
            xb: Array2::zeros((0, spec.model.features.len())),
            yb: Labels::Classes(Vec::new()),
            batch: 0,
            sum_loss: 0.0,
            last_batch_loss: f64::NAN,
            sum_correct: 0.0,
            seen: 0,
            best_test: BestTest::default(),
            best_test_net: None,
            stop: None,
            loss_target_met: false,
            spec,
            seed,
        })
    }

    fn batch_size(&self) -> usize {
        let n = self.ytr.len();
        match self.spec.train.batch_size {
            0 => n,
            b => b.min(n),
        }
    }

    /// Changes the batch size (0 = full batch). An epoch under way starts over with the new
    /// size, so every epoch still sees each training sample exactly once.
    pub fn set_batch_size(&mut self, batch_size: usize) {
        if batch_size != self.spec.train.batch_size {
            self.spec.train.batch_size = batch_size;
            self.batch = 0;
            self.sum_loss = 0.0;
            self.sum_correct = 0.0;
            self.seen = 0;
        }
    }

    pub fn batches_per_epoch(&self) -> usize {
        self.ytr.len().div_ceil(self.batch_size())
    }

    /// Batches done in the epoch under way.
    pub fn batch_in_epoch(&self) -> usize {
        self.batch
    }

    /// The loss of the last mini-batch trained (NaN before the first).
    pub fn last_batch_loss(&self) -> f64 {
        self.last_batch_loss
    }

    /// Changes optimizer settings mid-run; the optimizer's state is kept when its kind stays.
    /// A diverged run may go on after this (typically with a lower learning rate).
    pub fn set_optimizer(&mut self, config: OptimizerConfig) {
        self.spec.optimizer = config.clone();
        self.optimizer.set_config(config.clone());
        self.best.1.set_config(config);
        self.health = Health::Ok;
    }

    /// Whether a batch is trained in two halves ([`Net::backward_split`]): a full batch of at
    /// least [`SPLIT_ROWS`] points, without dropout.
    pub fn splits(&self) -> bool {
        let n = self.ytr.len();
        self.batch_size() == n && n >= SPLIT_ROWS && self.net.arch.dropout <= 0.0
    }

    /// Trains one mini-batch. Returns the epoch's record when this batch completed an epoch.
    pub fn step_batch(&mut self) -> Option<Record> {
        if self.health != Health::Ok || self.stop.is_some() {
            return None;
        }
        let n = self.ytr.len();
        let bs = self.batch_size();
        if self.batch == 0 && bs < n {
            self.order.shuffle(&mut self.rng);
        }
        let lo = self.batch * bs;
        let hi = (lo + bs).min(n);
        let dropout = self.net.arch.dropout;
        let (loss, correct) = if self.splits() {
            let loss = self.net.backward_split(
                self.xtr.view(),
                self.ytr.targets(),
                &mut self.ws,
                &mut self.share,
                self.parallel,
            );
            let (y, h) = (self.ytr.targets(), n / 2);
            let second = self
                .share
                .workspace()
                .map_or(f64::NAN, |ws| score(&self.net, y.rows(h..n), ws));
            let correct = score(&self.net, y.rows(0..h), &self.ws) + second;
            (loss, correct)
        } else if bs == n {
            let loss = self.net.backward(
                self.xtr.view(),
                self.ytr.targets(),
                &mut self.ws,
                Some((&mut self.rng, dropout)),
            );
            (loss, score(&self.net, self.ytr.targets(), &self.ws))
        } else {
            let m = hi - lo;
            if self.xb.nrows() != m {
                self.xb = Array2::zeros((m, self.xtr.ncols()));
            }
            for (r, &i) in self.order[lo..hi].iter().enumerate() {
                self.xb.row_mut(r).assign(&self.xtr.row(i));
            }
            self.yb.gather(&self.ytr, &self.order[lo..hi]);
            let ws = if m == bs {
                &mut self.ws
            } else {
                &mut self.ws_tail
            };
            let loss = self.net.backward(
                self.xb.view(),
                self.yb.targets(),
                ws,
                Some((&mut self.rng, dropout)),
            );
            (loss, score(&self.net, self.yb.targets(), ws))
        };
        self.optimizer.step(&mut self.net.params_and_grads());
        self.sum_loss += loss.f64() * (hi - lo) as f64;
        self.last_batch_loss = loss.f64();
        self.sum_correct += correct;
        self.seen += hi - lo;
        self.batch += 1;
        if !loss.is_finite() || !self.net.is_finite() {
            return self.diverge();
        }
        if hi < n {
            return None;
        }
        self.epoch += 1;
        let (test_loss, test_acc) =
            self.net
                .evaluate(self.xte.view(), self.yte.targets(), &mut self.ws_eval);
        let rec = Record {
            epoch: self.epoch,
            train_loss: shortest((self.sum_loss / self.seen as f64) as f32),
            test_loss: shortest(test_loss),
            train_acc: match self.ytr {
                Labels::Classes(_) => self.sum_correct / self.seen as f64,
                Labels::Values(_) if self.ss_tot_train > 0.0 => {
                    1.0 - self.sum_correct / self.ss_tot_train
                }
                Labels::Values(_) => f64::NAN,
            },
            test_acc,
        };
        self.batch = 0;
        self.sum_loss = 0.0;
        self.sum_correct = 0.0;
        self.seen = 0;
        self.history.push(rec);
        // PyTorch's loop: the epoch's optimizer steps, then `scheduler.step()`.
        self.optimizer.schedule_step();
        if rec.train_loss < self.best.3 {
            // In place: the copy is made after nearly every epoch of a descending run.
            self.best.0.copy_from(&self.net);
            self.best.1.clone_from(&self.optimizer);
            self.best.2 = self.epoch;
            self.best.3 = rec.train_loss;
        }
        self.watch(&rec);
        Some(rec)
    }

    /// Early stopping and `stop_at_loss` after an epoch.
    fn watch(&mut self, rec: &Record) {
        let early = self.spec.train.early_stopping;
        let min_delta = early.map_or(0.0, |e| e.min_delta);
        if rec.test_loss.is_finite()
            && self.best_test.observe(rec.epoch, rec.test_loss, min_delta)
            && early.is_some_and(|e| e.restore_best)
        {
            self.best_test_net = Some(self.net.clone());
        }
        if let Some(e) = early
            && self.best_test.wait >= e.patience
        {
            let restored = match (&self.best_test_net, e.restore_best) {
                (Some(net), true) => {
                    self.net = net.clone();
                    true
                }
                _ => false,
            };
            self.stop = Some(Stop::EarlyStopping {
                epoch: rec.epoch,
                best_epoch: self.best_test.epoch,
                best_loss: self.best_test.loss,
                patience: e.patience,
                restored,
            });
            return;
        }
        if let Some(target) = self.spec.train.stop_at_loss
            && !self.loss_target_met
            && rec.train_loss <= target
        {
            self.loss_target_met = true;
            self.stop = Some(Stop::LossReached {
                epoch: rec.epoch,
                loss: rec.train_loss,
                target,
            });
        }
    }

    /// A stopped run trains on: early stopping waits its patience again from here, and
    /// `stop_at_loss`, met once, is not asked again.
    pub fn go_on(&mut self) {
        if self.stop.take().is_some() {
            self.best_test.wait = 0;
        }
    }

    /// Trains until the epoch under way completes.
    pub fn step_epoch(&mut self) -> Option<Record> {
        loop {
            if self.health != Health::Ok || self.stop.is_some() {
                return None;
            }
            if let Some(r) = self.step_batch() {
                return Some(r);
            }
        }
    }

    fn diverge(&mut self) -> Option<Record> {
        let last_finite = self.history.last().map_or(f64::NAN, |r| r.train_loss);
        self.health = Health::Diverged {
            epoch: self.epoch + 1,
            last_finite,
            restored: self.best.2,
        };
        self.net = self.best.0.clone();
        self.optimizer = self.best.1.clone();
        self.batch = 0;
        self.sum_loss = 0.0;
        self.sum_correct = 0.0;
        self.seen = 0;
        None
    }

    /// The training inputs as a matrix, with their targets.
    pub fn train_set(&self) -> (&Array2<f32>, &Labels) {
        (&self.xtr, &self.ytr)
    }

    pub fn is_regression(&self) -> bool {
        matches!(self.ytr, Labels::Values(_))
    }

    /// Loss and accuracy on the whole training set, measured now (no dropout).
    pub fn evaluate_train(&mut self) -> (f64, f64) {
        let (l, a) = self
            .net
            .evaluate(self.xtr.view(), self.ytr.targets(), &mut self.ws_eval);
        (shortest(l), a)
    }

    /// The test set's confusion matrix now: row = true class, column = predicted.
    /// Empty in a regression, which has no classes.
    pub fn confusion_test(&mut self) -> Vec<Vec<usize>> {
        let Labels::Classes(yte) = &self.yte else {
            return Vec::new();
        };
        let pred = self.net.classes_of(self.xte.view(), &mut self.ws_eval);
        crate::nn::confusion(yte, &pred, self.data.classes())
    }

    /// Loss and accuracy on the test set, measured now.
    pub fn evaluate_test(&mut self) -> (f64, f64) {
        let (l, a) = self
            .net
            .evaluate(self.xte.view(), self.yte.targets(), &mut self.ws_eval);
        (shortest(l), a)
    }
}

/// One optimizer in a race.
#[derive(Clone, Debug)]
pub struct Runner {
    pub racer: Racer,
    pub optimizer: Optimizer<f64>,
    pub point: [f64; 2],
    pub value: f64,
    pub grad: [f64; 2],
    /// Points visited, start first (the older ones thinned: a long race stays bounded).
    pub path: Trail<[f64; 2]>,
    /// f at each point visited, thinned as `path`.
    pub values: Trail<f64>,
    /// Stopped because the point left every sane range (NaN or |x| > 1e12).
    pub diverged: bool,
}

/// Optimizers racing over a surface from one start.
#[derive(Clone, Debug)]
pub struct RaceRun {
    pub spec: Race,
    pub surface: Surface,
    pub runners: Vec<Runner>,
    pub step: usize,
}

impl RaceRun {
    pub fn new(spec: Race) -> Self {
        let surface = Surface::new(spec.surface.clone());
        let mut r = RaceRun {
            runners: Vec::new(),
            surface,
            step: 0,
            spec,
        };
        r.restart(r.spec.start);
        r
    }

    /// Every racer back to `start`, with fresh optimizer state.
    pub fn restart(&mut self, start: [f64; 2]) {
        self.spec.start = start;
        self.step = 0;
        let (value, grad) = self.surface.eval(start);
        self.runners = self
            .spec
            .racers
            .iter()
            .map(|racer| Runner {
                optimizer: Optimizer::new(racer.optimizer.clone()),
                racer: racer.clone(),
                point: start,
                value,
                grad,
                path: Trail::new(start),
                values: Trail::new(value),
                diverged: false,
            })
            .collect();
    }

    /// New settings for racer `i`; its optimizer keeps its state unless the kind changed.
    pub fn set_racer(&mut self, i: usize, config: OptimizerConfig) {
        if let (Some(r), Some(spec)) = (self.runners.get_mut(i), self.spec.racers.get_mut(i)) {
            spec.optimizer = config.clone();
            r.racer.optimizer = config.clone();
            r.optimizer.set_config(config);
        }
    }

    /// Adds a racer and restarts the race, so that all start together.
    pub fn add_racer(&mut self, racer: Racer) {
        self.spec.racers.push(racer);
        self.restart(self.spec.start);
    }

    /// Removes racer `i` (never the last one); the others race on.
    pub fn remove_racer(&mut self, i: usize) {
        if self.runners.len() > 1 && i < self.runners.len() {
            self.spec.racers.remove(i);
            self.runners.remove(i);
        }
    }

    /// Another surface, from its default start (or `start`), everyone afresh.
    pub fn set_surface(&mut self, params: crate::surface::SurfaceParams, start: Option<[f64; 2]>) {
        self.surface = Surface::new(params.clone());
        self.spec.surface = params;
        self.spec.view = self.surface.default_view();
        let s = start.unwrap_or_else(|| self.surface.default_start());
        self.restart(s);
    }

    /// The lowest known value of the surface (at its known minima), if it has any.
    pub fn floor(&self) -> Option<f64> {
        self.surface
            .minima()
            .iter()
            .map(|&m| self.surface.value(m))
            .min_by(f64::total_cmp)
    }

    /// One optimizer step for every racer.
    pub fn step(&mut self) {
        self.step += 1;
        for r in &mut self.runners {
            if r.diverged {
                continue;
            }
            let g = r.grad;
            r.optimizer.step(&mut [(&mut r.point[..], &g[..])]);
            // A racer's schedule steps with every optimizer step.
            r.optimizer.schedule_step();
            let (value, grad) = self.surface.eval(r.point);
            r.value = value;
            r.grad = grad;
            r.path.push(r.point);
            r.values.push(value);
            if !(value.is_finite() && r.point.iter().all(|v| v.abs() < 1e12)) {
                r.diverged = true;
            }
        }
    }
}

#[cfg(test)]
mod memory_tests {
    use super::*;

    #[test]
    fn the_circle_with_squared_features_needs_no_hidden_layer() {
        let sc = crate::scenario::parse(
            "title = \"c\"\n[data]\nkind = \"circle\"\nsamples = 400\n\
             [model]\nhidden = []\nfeatures = [\"x1^2\", \"x2^2\"]\n\
             [optimizer]\nkind = \"sgd\"\nlr = 0.1\n[train]\nepochs = 300\nbatch_size = 10\n",
            "c.toml",
            None,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let crate::scenario::Body::Classifier(c) = sc.body else {
            panic!()
        };
        let mut run = ClassifierRun::new(c, 1).unwrap_or_else(|e| panic!("{e}"));
        // Logistic regression on two features: the only layer takes two inputs.
        assert_eq!(run.net.layers.len(), 1);
        assert_eq!(run.net.layers[0].w.dim(), (2, 1));
        let mut last = None;
        for _ in 0..300 {
            last = run.step_epoch();
        }
        let r = last.unwrap_or_else(|| panic!("no epoch"));
        assert!(r.test_acc > 0.95, "{r:?}");
    }

    #[test]
    fn a_run_past_the_memory_budget_is_refused_before_it_allocates() {
        let huge = crate::scenario::parse(
            "title = \"huge\"\n[data]\nkind = \"moons\"\nsamples = 200000\n\
             [model]\nhidden = [1024, 1024, 1024, 1024]\n",
            "huge.toml",
            None,
        )
        .unwrap();
        let crate::scenario::Body::Classifier(c) = huge.body else {
            panic!()
        };
        let Err(e) = ClassifierRun::new(c.clone(), 1) else {
            panic!("a 4-layer 1024-wide full batch of 160 000 points was accepted")
        };
        let msg = e.to_string();
        assert!(
            msg.contains("GB of memory") && msg.contains("data.samples"),
            "{msg}"
        );
        // The same network in mini-batches of 32 fits: only the evaluation is whole.
        let mut small = c;
        small.train.batch_size = 32;
        small.model.hidden = vec![256, 256];
        assert!(memory_estimate(&small, 160_000, 40_000, 1) < MEMORY_BUDGET);
    }
}

#[cfg(test)]
mod stopping_tests {
    use super::*;
    use crate::scenario::{Body, EarlyStopping, parse};

    fn run(train: &str) -> ClassifierRun {
        let text = format!(
            "[data]\nkind = \"xor\"\nsamples = 200\nnoise = 0.3\ntest_ratio = 0.5\n\
             [model]\nhidden = [16, 16]\n[optimizer]\nkind = \"adam\"\nlr = 0.05\n[train]\n{train}"
        );
        let sc = parse(&text, "s.toml", None).unwrap_or_else(|e| panic!("{e}"));
        let Body::Classifier(c) = sc.body else {
            panic!()
        };
        ClassifierRun::new(c, 3).unwrap()
    }

    fn rec(epoch: usize, test_loss: f64, train_loss: f64) -> Record {
        Record {
            epoch,
            train_loss,
            test_loss,
            train_acc: 0.5,
            test_acc: 0.5,
        }
    }

    /// Feeds the constructed test losses; the epoch the run stopped after.
    fn stop_on(r: &mut ClassifierRun, losses: &[f64]) -> Option<Stop> {
        for (i, &l) in losses.iter().enumerate() {
            r.watch(&rec(i + 1, l, 1.0));
            if r.stop.is_some() {
                return r.stop;
            }
        }
        None
    }

    #[test]
    fn early_stopping_stops_patience_epochs_after_the_best_test_loss() {
        let losses = [1.0, 0.8, 0.7, 0.72, 0.71, 0.65, 0.66, 0.651, 0.67, 0.7, 0.9];
        let mut r = run("early_stopping = { patience = 3 }\n");
        // Best 0.65 in epoch 6; 7, 8, 9 do not improve: stop after 9.
        assert_eq!(
            stop_on(&mut r, &losses),
            Some(Stop::EarlyStopping {
                epoch: 9,
                best_epoch: 6,
                best_loss: 0.65,
                patience: 3,
                restored: false
            })
        );
        // With min_delta 0.06 epoch 6 (0.65 vs 0.7) is no improvement: the best stays in 3.
        let mut r = run("early_stopping = { patience = 3, min_delta = 0.06 }\n");
        let stop = stop_on(&mut r, &losses);
        assert!(
            matches!(
                stop,
                Some(Stop::EarlyStopping {
                    epoch: 6,
                    best_epoch: 3,
                    ..
                })
            ),
            "{stop:?}"
        );
        // Without early stopping the run never stops, but the best is still followed.
        let mut r = run("");
        assert_eq!(stop_on(&mut r, &losses), None);
        assert_eq!((r.best_test.epoch, r.best_test.wait), (6, 5));
    }

    #[test]
    fn stop_at_loss_stops_once_at_the_first_epoch_at_or_below() {
        let mut r = run("stop_at_loss = 0.3\n");
        for (e, l) in [(1, 0.5), (2, 0.31), (3, 0.3)] {
            r.watch(&rec(e, 1.0, l));
        }
        assert_eq!(
            r.stop,
            Some(Stop::LossReached {
                epoch: 3,
                loss: 0.3,
                target: 0.3
            })
        );
        r.go_on();
        r.watch(&rec(4, 1.0, 0.1));
        assert_eq!(r.stop, None, "met once, not asked again");
    }

    #[test]
    fn a_real_run_stops_where_its_history_says_and_restores_the_best_weights() {
        let mut r = run("epochs = 3000\nearly_stopping = { patience = 15, restore_best = true }\n");
        let e = EarlyStopping {
            patience: 15,
            min_delta: 0.0,
            restore_best: true,
        };
        assert_eq!(r.spec.train.early_stopping, Some(e));
        let mut trained = 0;
        while r.step_epoch().is_some() {
            trained += 1;
            assert!(trained < 3000, "never stopped");
        }
        let Some(Stop::EarlyStopping {
            epoch,
            best_epoch,
            best_loss,
            restored: true,
            ..
        }) = r.stop
        else {
            panic!("{:?}", r.stop)
        };
        let h: Vec<Record> = (1..=epoch)
            .filter_map(|i| r.history.at(i).copied())
            .collect();
        assert_eq!(h.len(), epoch);
        let argmin = h
            .iter()
            .min_by(|a, b| a.test_loss.total_cmp(&b.test_loss))
            .unwrap();
        assert_eq!((best_epoch, best_loss), (argmin.epoch, argmin.test_loss));
        assert_eq!(epoch, best_epoch + 15);
        // The weights are that epoch's: the test loss measured now is its loss.
        assert_eq!(r.evaluate_test().0, best_loss);
        // Asked to go on, it trains again.
        r.go_on();
        assert!(r.step_epoch().is_some());
    }
}
