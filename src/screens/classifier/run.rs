//! One training run as a screen holds it: the trainer's session, what was last asked of it,
//! the epoch history, the weights the field is drawn from and the weight path for the loss
//! landscape, and what the run's own keys (pause, step, reset, speed, learning rate,
//! parameters) do. The classifier screen shows one; the side-by-side screen several.

use super::keys::Action;
use super::landscape::TRAJECTORY;
use super::params::{Change, Param, SPEEDS, adjust, default_speed, speed_label};
use crate::optim::fmt_num;
use crate::scenario::Classifier;
use crate::screens::ladder::{LR_LADDER, ladder};
use crate::train::landscape;
use crate::train::{Command, Health, History, Net, Session, SessionError, Snapshot};
use crate::widgets::chrome::Message;
use ndarray::Array2;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often the decision field and weights refresh while training.
pub const FIELD_EVERY: Duration = Duration::from_millis(200);
/// The field's refresh interval on a slow link (the field is most of every frame's bytes).
pub const FIELD_EVERY_SLOW: Duration = Duration::from_millis(1500);

/// The field's refresh interval for a stage.
pub fn field_every(stage: &crate::screens::view::Stage) -> Duration {
    if stage.low_bandwidth {
        FIELD_EVERY_SLOW
    } else {
        FIELD_EVERY
    }
}

/// What the user last asked of the trainer, before a snapshot shows it: keys act on this,
/// so quick presses add up (`]]]]]` is five rungs) however far behind the trainer is.
#[derive(Clone, Debug)]
struct Asked {
    spec: Classifier,
    seed: u64,
    running: bool,
}

/// The training set of a split as a matrix and labels, for the landscape's loss.
pub type TrainSet = (Arc<Array2<f32>>, Arc<crate::train::Labels>);

fn train_set(snap: &Snapshot) -> TrainSet {
    // The network's inputs: the features of each training point.
    let x: Array2<f32> = crate::nn::expand_features(&snap.spec.model.features, &snap.data.train.x);
    (
        Arc::new(x),
        Arc::new(crate::train::Labels::of(&snap.data.train)),
    )
}

pub struct Run {
    pub session: Session,
    pub snap: Snapshot,
    /// Set while commands are on their way to the trainer.
    asked: Option<Asked>,
    pub history: History,
    pub generation: u64,
    /// Index into `SPEEDS`.
    pub speed: usize,
    /// Why the run had to stop (the trainer died).
    pub error: Option<String>,
    /// The weights the heatmap and weight panel draw: the newest while paused, refreshed at
    /// most every `FIELD_EVERY` while training (the field is the costliest region to send).
    pub field: Net,
    field_at: Instant,
    /// How often the field is refreshed while training: [`FIELD_EVERY`], or
    /// [`FIELD_EVERY_SLOW`] on a slow link.
    pub field_every: Duration,
    /// Weight snapshots (epoch, flat weights) of this run, for the landscape.
    pub trajectory: Vec<(usize, Vec<f32>)>,
    pub train_set: TrainSet,
    /// A snapshot arrived since the last frame.
    pub dirty: bool,
    /// A new generation (reset, rebuild) arrived since the screen last looked.
    pub fresh: bool,
    /// What the run has to tell the user, oldest first; the screen shows it.
    said: Vec<Message>,
}

impl Run {
    /// A run on a session whose first snapshot is already published.
    pub fn new(mut session: Session) -> Result<Self, SessionError> {
        let news = session.take()?;
        let snap = news.snapshot.ok_or(SessionError::Silent)?;
        let mut history = History::default();
        for (_, r) in news.records {
            history.push(r);
        }
        Ok(Run {
            speed: default_speed(&snap.spec),
            trajectory: vec![(snap.epoch, landscape::flatten(&snap.net))],
            field: snap.net.clone(),
            field_at: Instant::now(),
            field_every: FIELD_EVERY,
            train_set: train_set(&snap),
            generation: snap.generation,
            session,
            asked: None,
            snap,
            history,
            error: None,
            dirty: true,
            fresh: false,
            said: Vec::new(),
        })
    }

    /// Sets the trainer's speed to the run's, and starts training unless told to wait.
    pub fn start(&mut self, run: bool) {
        self.send(Command::SetSpeed(SPEEDS[self.speed]));
        if run {
            self.send(Command::Resume);
        }
    }

    /// The run's settings as last asked for (the trainer's, once it has caught up).
    pub fn spec(&self) -> &Classifier {
        self.asked.as_ref().map_or(&self.snap.spec, |a| &a.spec)
    }

    /// The seed as last asked for.
    pub fn seed(&self) -> u64 {
        self.asked.as_ref().map_or(self.snap.seed, |a| a.seed)
    }

    /// Whether the run is running, as last asked for.
    pub fn running(&self) -> bool {
        self.asked.as_ref().map_or(self.snap.running, |a| a.running)
    }

    /// Whether every command sent has reached the trainer and shows in the snapshot.
    pub fn settled(&self) -> bool {
        self.asked.is_none()
    }

    /// What the run has said since the last call, oldest first.
    pub fn take_said(&mut self) -> Vec<Message> {
        std::mem::take(&mut self.said)
    }

    fn say(&mut self, text: impl Into<String>) {
        self.said.push(Message::info(text));
    }

    /// Takes the trainer's news: the newest snapshot and every new epoch record.
    pub fn pull(&mut self) {
        let news = match self.session.take() {
            Ok(news) => news,
            Err(e) => {
                self.error = Some(e.to_string());
                return;
            }
        };
        for (generation, r) in news.records {
            if generation != self.generation {
                self.generation = generation;
                self.history = History::default();
                self.fresh = true;
            }
            self.history.push(r);
        }
        let Some(s) = news.snapshot else { return };
        if s.generation != self.generation {
            self.generation = s.generation;
            self.history = History::default();
            self.fresh = true;
        }
        if let Some(e) = &s.error
            && self.snap.error.as_ref() != Some(e)
        {
            self.said.push(Message::error(format!("refused: {e}")));
        }
        if s.finished && !self.snap.finished {
            self.say(format!(
                "reached the scenario's {} epochs; space trains on",
                s.spec.train.epochs
            ));
        }
        if let Some(stop) = &s.stop
            && self.snap.stop.is_none()
        {
            self.say(format!("{}; space trains on", stop.describe()));
        }
        if s.applied >= self.session.sent() {
            self.asked = None;
        }
        let fresh = s.generation != self.snap.generation;
        if fresh {
            self.trajectory.clear();
            self.train_set = train_set(&s);
            self.fresh = true;
        }
        if !s.running || fresh || self.field_at.elapsed() >= self.field_every {
            self.field = s.net.clone();
            self.field_at = Instant::now();
            self.record_weights(s.epoch);
        }
        self.snap = s;
        self.dirty = true;
    }

    /// Shows the newest weights now, whatever the refresh rate (headless export draws every
    /// frame it captures).
    pub fn sync_field(&mut self) {
        self.field = self.snap.net.clone();
        self.field_at = Instant::now();
        self.record_weights(self.snap.epoch);
    }

    /// Trains `n` epochs here and now (an inline session: export, tests) and shows them.
    pub fn train_inline(&mut self, n: usize) {
        self.session.train_inline(n);
        self.pull();
        self.sync_field();
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

    /// Sends a command, noting what it asks for, and takes whatever the trainer has published.
    pub fn send(&mut self, cmd: Command) {
        let mut asked = self.asked.take().unwrap_or_else(|| Asked {
            spec: self.snap.spec.clone(),
            seed: self.snap.seed,
            running: self.snap.running,
        });
        match &cmd {
            Command::Pause | Command::StepEpoch | Command::StepBatch => asked.running = false,
            Command::Resume => asked.running = true,
            Command::SetOptimizer(o) => asked.spec.optimizer = o.clone(),
            Command::SetLive {
                penalty,
                penalty_rate,
                dropout,
                batch_size,
            } => {
                let m = &mut asked.spec.model;
                (m.penalty, m.penalty_rate, m.dropout) = (*penalty, *penalty_rate, *dropout);
                asked.spec.train.batch_size = *batch_size;
            }
            Command::Rebuild { spec, seed } => {
                asked.spec = (**spec).clone();
                asked.seed = *seed;
            }
            Command::Redata { spec } => asked.spec = (**spec).clone(),
            Command::Reset | Command::SetSpeed(_) | Command::Quit => {}
        }
        self.asked = Some(asked);
        self.session.send(cmd);
        self.pull();
    }

    /// What a key asks of the run itself; `false` when the action is not the run's (the
    /// screen's panels, focus, charts).
    pub fn act(&mut self, action: Action) -> bool {
        match action {
            Action::TogglePause => {
                if self.running() {
                    self.send(Command::Pause);
                } else if let Health::Diverged { .. } = self.snap.health {
                    self.say("diverged: lower the learning rate ([) or reset (r) first");
                } else {
                    self.send(Command::Resume);
                }
            }
            Action::StepEpoch => self.send(Command::StepEpoch),
            Action::StepBatch => {
                if self.snap.batches_per_epoch <= 1 {
                    self.say("full batch: one mini-batch is the whole epoch (set a batch size to step through one)".to_string());
                }
                self.send(Command::StepBatch);
            }
            Action::Reset => {
                self.send(Command::Reset);
                self.say("reset: same seed, fresh weights");
            }
            Action::Reseed => {
                let spec = self.spec().clone();
                let seed = self.seed().wrapping_add(1);
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
                if let Some(c) = adjust(Param::Optimizer, self.spec(), self.seed(), true) {
                    self.apply(c);
                }
            }
            _ => return false,
        }
        true
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
    }
}
