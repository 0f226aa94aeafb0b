//! A training session: a [`Trainer`] that owns a run and obeys [`Command`]s, driven either on
//! a worker thread (the app) or inline (tests, headless export). The trainer publishes
//! self-contained [`Snapshot`]s; the newest wins, and no epoch record is ever lost.

use super::{BestTest, ClassifierRun, Health, Net, Record, Stop};
use crate::data::{DataError, Split};
use crate::optim::OptimizerConfig;
use crate::scenario::Classifier;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Why a session cannot go on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    #[error("the training thread stopped unexpectedly")]
    Stopped,
    #[error("the trainer published nothing")]
    Silent,
}

/// What the app can ask of a session.
#[derive(Clone, Debug)]
pub enum Command {
    Pause,
    Resume,
    /// Pause, then train exactly one epoch (the rest of the epoch under way, if any).
    StepEpoch,
    /// Pause, then train one mini-batch.
    StepBatch,
    /// Epochs per second; `None` is as fast as the machine goes.
    SetSpeed(Option<f64>),
    /// A fresh network from the same seed, on the same data.
    Reset,
    /// A new model or new data: everything is rebuilt from `spec` and `seed`, paused or
    /// running as before. Data is regenerated only when its settings or the seed changed.
    Rebuild {
        spec: Box<Classifier>,
        seed: u64,
    },
    /// New data (points drawn by hand), the network and optimizer kept when their shape
    /// still fits: training goes on from the weights it has, on the new points.
    Redata {
        spec: Box<Classifier>,
    },
    /// New optimizer settings, kept state and all (see `Optimizer::set_config`).
    SetOptimizer(OptimizerConfig),
    /// Settings that apply from the next batch without a reset.
    SetLive {
        penalty: crate::nn::Penalty,
        penalty_rate: f64,
        dropout: f64,
        batch_size: usize,
    },
    Quit,
}

/// What the UI sees of a run at one moment.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// Bumped by every reset or rebuild: the UI drops its history when it changes.
    pub generation: u64,
    pub epoch: usize,
    pub batch: usize,
    pub batches_per_epoch: usize,
    /// The last mini-batch's loss (NaN before the first).
    pub batch_loss: f64,
    pub running: bool,
    pub health: Health,
    pub net: Net,
    pub data: Arc<Split>,
    pub spec: Classifier,
    pub seed: u64,
    /// Epochs per second over the last half second of running.
    pub epochs_per_sec: f64,
    /// The last rebuild that failed, with its reason (the old run goes on).
    pub error: Option<String>,
    /// The run reached the scenario's `epochs` and paused itself.
    pub finished: bool,
    /// The learning rate in use now (the schedule's, when there is one).
    pub lr: f64,
    /// The lowest test loss so far, and the epochs since.
    pub best_test: BestTest,
    /// Why the run stopped itself (early stopping, `stop_at_loss`), until it trains on.
    pub stop: Option<Stop>,
    /// How many commands the trainer had applied when it took this snapshot: the UI compares
    /// it with the commands it sent to know whether the snapshot shows its last request.
    pub applied: u64,
}

/// What the UI takes from a session: the newest snapshot, if there is a new one, and every
/// epoch record since it last took, each with the generation it belongs to.
#[derive(Debug, Default)]
pub struct News {
    pub snapshot: Option<Snapshot>,
    pub records: Vec<(u64, Record)>,
}

/// The trainer's side of the hand-over: the newest snapshot and every record since the UI
/// last looked.
#[derive(Default)]
struct Published {
    snapshot: Option<Snapshot>,
    records: Vec<(u64, Record)>,
}

/// Owns a run and does what it is told.
pub struct Trainer {
    run: ClassifierRun,
    data: Arc<Split>,
    running: bool,
    speed: Option<f64>,
    generation: u64,
    /// Epochs owed when a speed is set (a token bucket).
    allowance: f64,
    last_tick: Instant,
    rate: RateMeter,
    records: Vec<(u64, Record)>,
    error: Option<String>,
    /// Set when the run paused itself at the scenario's epoch count.
    finished: bool,
    /// Commands applied so far.
    applied: u64,
    /// Runs side by side keep in step through this gate: (gate, this run's place in it).
    lockstep: Option<(Lockstep, usize)>,
    /// The last `work` stopped at the gate, waiting for a slower run.
    pub(crate) waiting: bool,
}

/// Keeps runs side by side in step, epoch by epoch, each on its own thread: a run starts an
/// epoch only when every other run has finished the one before, so no run is ever more than
/// one epoch ahead. A run that diverged or finished its epochs does not hold the others.
#[derive(Clone, Debug, Default)]
pub struct Lockstep {
    inner: Arc<(Mutex<Vec<Option<usize>>>, Condvar)>,
}

impl Lockstep {
    /// A gate for `n` runs, none of them running yet.
    pub fn new(n: usize) -> Self {
        Lockstep {
            inner: Arc::new((Mutex::new(vec![None; n]), Condvar::new())),
        }
    }

    /// Run `slot` has finished `epoch` epochs (`Some`), or holds no one back (`None`).
    fn report(&self, slot: usize, epoch: Option<usize>) {
        let (m, cv) = &*self.inner;
        let mut v = m.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(e) = v.get_mut(slot)
            && *e != epoch
        {
            *e = epoch;
            cv.notify_all();
        }
    }

    /// Run `slot`, having finished `done` epochs, may start the next one.
    fn may_start(&self, slot: usize, done: usize) -> bool {
        let (m, _) = &*self.inner;
        let v = m.lock().unwrap_or_else(PoisonError::into_inner);
        Self::open_for(&v, slot, done)
    }

    fn open_for(v: &[Option<usize>], slot: usize, done: usize) -> bool {
        v.iter()
            .enumerate()
            .all(|(i, e)| i == slot || e.is_none_or(|e| e >= done))
    }

    /// Waits until run `slot` may start epoch `done + 1`, at most `timeout`. The condition is
    /// checked under the lock the reports take, so a report between [`Lockstep::may_start`]
    /// and this call is not missed (the run slept out the whole timeout every epoch).
    fn wait(&self, slot: usize, done: usize, timeout: Duration) {
        let (m, cv) = &*self.inner;
        let v = m.lock().unwrap_or_else(PoisonError::into_inner);
        let _ = cv.wait_timeout_while(v, timeout, |v| !Self::open_for(v, slot, done));
    }
}

/// Epochs per second, from counts over windows of at least half a second.
struct RateMeter {
    since: Instant,
    count: usize,
    rate: f64,
}

impl RateMeter {
    fn new() -> Self {
        RateMeter {
            since: Instant::now(),
            count: 0,
            rate: 0.0,
        }
    }

    fn add(&mut self, epochs: usize) {
        self.count += epochs;
        let dt = self.since.elapsed().as_secs_f64();
        if dt >= 0.5 {
            self.rate = self.count as f64 / dt;
            self.count = 0;
            self.since = Instant::now();
        }
    }

    fn idle(&mut self) {
        self.rate = 0.0;
        self.count = 0;
        self.since = Instant::now();
    }
}

impl Trainer {
    pub fn new(spec: Classifier, seed: u64) -> Result<Self, DataError> {
        let run = ClassifierRun::new(spec, seed)?;
        Ok(Trainer {
            data: Arc::new(run.data.clone()),
            run,
            running: false,
            speed: None,
            generation: 0,
            allowance: 0.0,
            last_tick: Instant::now(),
            rate: RateMeter::new(),
            records: Vec::new(),
            error: None,
            finished: false,
            applied: 0,
            lockstep: None,
            waiting: false,
        })
    }

    /// This trainer keeps in step with the others of `gate`, as run `slot`.
    pub fn in_lockstep(mut self, gate: Lockstep, slot: usize) -> Self {
        self.lockstep = Some((gate, slot));
        self.report();
        self
    }

    /// Tells the gate where this run stands. A paused run holds the others (runs side by
    /// side are paused and resumed together, in whatever order their commands land); a run
    /// that diverged or reached its epochs does not.
    fn report(&self) {
        if let Some((gate, slot)) = &self.lockstep {
            let holds = self.run.health == Health::Ok && !self.finished && self.run.stop.is_none();
            gate.report(*slot, holds.then_some(self.run.epoch));
        }
    }

    pub fn running(&self) -> bool {
        self.running
    }

    pub fn run(&self) -> &ClassifierRun {
        &self.run
    }

    fn record(&mut self, r: Option<Record>) {
        if let Some(r) = r {
            self.records.push((self.generation, r));
            // The scenario's epoch count is a chapter's natural end: pause there once.
            if r.epoch == self.run.spec.train.epochs && self.running {
                self.running = false;
                self.finished = true;
            }
        }
        if self.run.stop.is_some() {
            // Early stopping or `stop_at_loss`: paused, saying why through `stop`.
            self.running = false;
        }
        if self.run.health != Health::Ok {
            // A diverged run pauses itself and says so through `health`.
            self.running = false;
        }
    }

    /// Applies one command. Returns false for `Quit`.
    pub fn apply(&mut self, cmd: Command) -> bool {
        self.applied += 1;
        let go_on = self.obey(cmd);
        self.report();
        go_on
    }

    fn obey(&mut self, cmd: Command) -> bool {
        match cmd {
            Command::Pause => {
                self.running = false;
                self.finished = false;
                self.rate.idle();
            }
            Command::Resume => {
                self.run.go_on();
                self.finished = false;
                self.running = self.run.health == Health::Ok;
                self.allowance = 0.0;
                self.last_tick = Instant::now();
            }
            Command::StepEpoch => {
                self.run.go_on();
                self.running = false;
                let r = self.run.step_epoch();
                self.record(r);
            }
            Command::StepBatch => {
                self.run.go_on();
                self.running = false;
                let r = self.run.step_batch();
                self.record(r);
            }
            Command::SetSpeed(s) => {
                self.speed = s;
                self.allowance = 0.0;
            }
            Command::Reset => {
                let spec = self.run.spec.clone();
                let seed = self.run.seed;
                self.rebuild(spec, seed);
            }
            Command::Rebuild { spec, seed } => self.rebuild(*spec, seed),
            Command::Redata { spec } => {
                let (net, optimizer) = (self.run.net.clone(), self.run.optimizer.clone());
                let seed = self.run.seed;
                self.rebuild(*spec, seed);
                if self.error.is_none() && self.run.net.arch == net.arch {
                    self.run.net = net;
                    self.run.optimizer = optimizer;
                }
            }
            Command::SetOptimizer(c) => self.run.set_optimizer(c),
            Command::SetLive {
                penalty,
                penalty_rate,
                dropout,
                batch_size,
            } => {
                let m = &mut self.run.spec.model;
                m.penalty = penalty;
                m.penalty_rate = penalty_rate;
                m.dropout = dropout;
                self.run.net.arch.penalty = penalty;
                self.run.net.arch.penalty_rate = penalty_rate;
                self.run.net.arch.dropout = dropout;
                self.run.set_batch_size(batch_size);
            }
            Command::Quit => return false,
        }
        true
    }

    fn rebuild(&mut self, spec: Classifier, seed: u64) {
        let same_data = spec.data == self.run.spec.data && seed == self.run.seed;
        let made = if same_data {
            ClassifierRun::with_data(spec, seed, self.run.data.clone())
        } else {
            ClassifierRun::new(spec, seed)
        };
        match made {
            Ok(run) => {
                self.run = run;
                self.data = Arc::new(self.run.data.clone());
                self.generation += 1;
                self.error = None;
                self.rate.idle();
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Trains for about `budget` if running, at the set speed, a mini-batch at a time (so a
    /// command waits at most one batch). Returns whether anything was trained.
    pub fn work(&mut self, budget: Duration) -> bool {
        let now = Instant::now();
        let dt = now.duration_since(self.last_tick).as_secs_f64();
        self.last_tick = now;
        if !self.running {
            return false;
        }
        if let Some(eps) = self.speed {
            // At most one second's worth owed, so a pause in scheduling does not burst.
            self.allowance = (self.allowance + dt * eps).min(eps.max(1.0));
        }
        let start = Instant::now();
        let (mut epochs, mut batches) = (0, 0);
        self.waiting = false;
        while start.elapsed() < budget
            && self.running
            && (self.speed.is_none() || self.allowance >= 1.0)
        {
            if let Some((gate, slot)) = &self.lockstep
                && self.run.batch_in_epoch() == 0
                && !gate.may_start(*slot, self.run.epoch)
            {
                self.waiting = true;
                break;
            }
            let r = self.run.step_batch();
            batches += 1;
            let epoch_done = r.is_some();
            if epoch_done {
                epochs += 1;
                self.allowance -= 1.0;
            }
            self.record(r);
            if epoch_done && self.lockstep.is_some() {
                // At once, not when this call ends: a run side by side waiting for this epoch
                // starts its next one now (a core idled up to the whole budget otherwise).
                self.report();
            }
        }
        if self.speed.is_none() {
            self.allowance = 0.0;
        }
        self.rate.add(epochs);
        if epochs > 0 {
            self.report();
        }
        batches > 0
    }

    /// The run as it is now.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            generation: self.generation,
            epoch: self.run.epoch,
            batch: self.run.batch_in_epoch(),
            batches_per_epoch: self.run.batches_per_epoch(),
            batch_loss: self.run.last_batch_loss(),
            running: self.running,
            health: self.run.health,
            net: self.run.net.clone(),
            data: self.data.clone(),
            spec: self.run.spec.clone(),
            seed: self.run.seed,
            epochs_per_sec: if self.running { self.rate.rate } else { 0.0 },
            error: self.error.clone(),
            finished: self.finished,
            lr: self.run.optimizer.lr(),
            best_test: self.run.best_test,
            stop: self.run.stop,
            applied: self.applied,
        }
    }

    fn take_records(&mut self) -> Vec<(u64, Record)> {
        std::mem::take(&mut self.records)
    }
}

/// A trainer behind a handle: on its own thread, or inline for tests.
pub struct Session {
    inner: Inner,
    /// Commands sent so far (compare with `Snapshot::applied`).
    sent: u64,
}

enum Inner {
    Threaded {
        tx: Sender<Command>,
        shared: Arc<Mutex<Published>>,
        thread: Option<JoinHandle<()>>,
    },
    Inline {
        trainer: Box<Trainer>,
        published: Box<Published>,
    },
}

/// How often a running trainer publishes at most (the UI draws at its own, lower rate).
const PUBLISH_EVERY: Duration = Duration::from_millis(16);

impl Session {
    /// Starts the trainer on a worker thread; `notify` is called after each publication
    /// (at most about 60 times a second), so the UI can wake and `take`.
    pub fn spawn(trainer: Trainer, notify: impl Fn() + Send + 'static) -> Session {
        let (tx, rx) = mpsc::channel();
        // The first snapshot is there before the thread starts, so the UI can draw at once.
        let shared = Arc::new(Mutex::new(Published {
            snapshot: Some(trainer.snapshot()),
            records: Vec::new(),
        }));
        let worker_shared = shared.clone();
        let thread = std::thread::Builder::new()
            .name("nnbook-trainer".into())
            .spawn(move || worker(trainer, rx, worker_shared, notify))
            .ok();
        Session {
            inner: Inner::Threaded { tx, shared, thread },
            sent: 0,
        }
    }

    pub fn inline(trainer: Trainer) -> Session {
        let mut s = Session {
            inner: Inner::Inline {
                trainer: Box::new(trainer),
                published: Box::default(),
            },
            sent: 0,
        };
        s.publish_inline();
        s
    }

    fn publish_inline(&mut self) {
        if let Inner::Inline { trainer, published } = &mut self.inner {
            published.snapshot = Some(trainer.snapshot());
            published.records.extend(trainer.take_records());
        }
    }

    pub fn send(&mut self, cmd: Command) {
        self.sent += 1;
        match &mut self.inner {
            Inner::Threaded { tx, .. } => {
                // A closed channel means the worker has gone; `take` reports that.
                let _ = tx.send(cmd);
            }
            Inner::Inline { trainer, .. } => {
                trainer.apply(cmd);
                self.publish_inline();
            }
        }
    }

    /// Inline sessions only: train `epochs` epochs now (tests drive time by hand).
    /// How many commands this session has sent its trainer.
    pub fn sent(&self) -> u64 {
        self.sent
    }

    pub fn train_inline(&mut self, epochs: usize) {
        if let Inner::Inline { trainer, .. } = &mut self.inner {
            for _ in 0..epochs {
                let r = trainer.run.step_epoch();
                trainer.record(r);
            }
        }
        self.publish_inline();
    }

    /// The newest snapshot (if any since the last call) and every record since.
    /// `Err` when the worker thread has died.
    pub fn take(&mut self) -> Result<News, SessionError> {
        match &mut self.inner {
            Inner::Threaded { shared, thread, .. } => {
                if thread.as_ref().is_some_and(|t| t.is_finished()) {
                    return Err(SessionError::Stopped);
                }
                let mut p = shared.lock().unwrap_or_else(PoisonError::into_inner);
                Ok(News {
                    snapshot: p.snapshot.take(),
                    records: std::mem::take(&mut p.records),
                })
            }
            Inner::Inline { published, .. } => Ok(News {
                snapshot: published.snapshot.take(),
                records: std::mem::take(&mut published.records),
            }),
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Inner::Threaded { tx, thread, .. } = &mut self.inner {
            // The worker quits at its next mini-batch; nobody waits for it, so `q` leaves at
            // once even in the middle of a long full batch.
            let _ = tx.send(Command::Quit);
            drop(thread.take());
        }
    }
}

fn worker(
    mut trainer: Trainer,
    rx: Receiver<Command>,
    shared: Arc<Mutex<Published>>,
    notify: impl Fn(),
) {
    let mut last_publish = Instant::now() - PUBLISH_EVERY;
    let mut dirty = true;
    loop {
        // Commands first: the UI never waits behind training.
        let mut quit = false;
        let first = if trainer.running() {
            rx.try_recv().ok()
        } else {
            match rx.recv_timeout(Duration::from_millis(50)) {
                Ok(c) => Some(c),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        };
        let mut commanded = false;
        for cmd in first
            .into_iter()
            .chain(std::iter::from_fn(|| rx.try_recv().ok()))
        {
            commanded = true;
            if !trainer.apply(cmd) {
                quit = true;
            }
        }
        if quit {
            return;
        }
        if trainer.running() {
            dirty |= trainer.work(Duration::from_millis(4));
            if trainer.waiting
                && let Some((gate, slot)) = &trainer.lockstep
            {
                // A slower run side by side has not finished its epoch: wait for it.
                gate.wait(*slot, trainer.run.epoch, Duration::from_millis(5));
            }
            if trainer.speed.is_some() && trainer.allowance < 1.0 {
                // Slow motion: sleep until the next epoch is owed, commands permitting.
                std::thread::sleep(Duration::from_millis(2));
            }
        }
        dirty |= commanded;
        if dirty && (commanded || last_publish.elapsed() >= PUBLISH_EVERY) {
            {
                let mut p = shared.lock().unwrap_or_else(PoisonError::into_inner);
                p.snapshot = Some(trainer.snapshot());
                p.records.extend(trainer.take_records());
            }
            last_publish = Instant::now();
            dirty = false;
            notify();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{self, Body};

    fn playground() -> Trainer {
        let sc = scenario::load("playground").unwrap();
        let Body::Classifier(c) = sc.body else {
            panic!()
        };
        Trainer::new(c, sc.seed).unwrap()
    }

    #[test]
    fn step_epoch_advances_exactly_one_epoch_and_pauses() {
        let mut s = Session::inline(playground());
        s.send(Command::Resume);
        s.send(Command::StepEpoch);
        s.send(Command::StepEpoch);
        let News { snapshot, records } = s.take().unwrap();
        let snap = snapshot.unwrap();
        assert_eq!(snap.epoch, 2);
        assert!(!snap.running);
        assert_eq!(
            records.iter().map(|r| r.1.epoch).collect::<Vec<_>>(),
            [1, 2]
        );
    }

    #[test]
    fn step_batch_moves_within_an_epoch() {
        let mut s = Session::inline(playground());
        s.send(Command::StepBatch);
        let snap = s.take().unwrap().snapshot.unwrap();
        assert_eq!((snap.epoch, snap.batch), (0, 1));
        assert_eq!(snap.batches_per_epoch, 25); // 250 train points, batch 10
    }

    #[test]
    fn reset_replays_the_same_run() {
        let mut s = Session::inline(playground());
        s.train_inline(5);
        let first = s.take().unwrap().records;
        s.send(Command::Reset);
        s.train_inline(5);
        let News {
            snapshot,
            records: second,
        } = s.take().unwrap();
        assert_eq!(snapshot.unwrap().generation, 1);
        let strip = |v: Vec<(u64, Record)>| v.into_iter().map(|r| r.1).collect::<Vec<_>>();
        assert_eq!(strip(first), strip(second));
    }

    #[test]
    fn a_failed_rebuild_keeps_the_old_run() {
        let mut t = playground();
        let mut spec = t.run().spec.clone();
        spec.data.kind = crate::data::DataKind::Csv;
        spec.data.path = Some("/no/such/file.csv".into());
        t.apply(Command::Rebuild {
            spec: Box::new(spec),
            seed: 1,
        });
        let snap = t.snapshot();
        assert_eq!(snap.generation, 0);
        assert!(snap.error.unwrap().contains("/no/such/file.csv"));
    }

    #[test]
    fn the_worker_answers_while_training_flat_out() {
        let mut s = Session::spawn(playground(), || {});
        s.send(Command::Resume);
        std::thread::sleep(Duration::from_millis(200));
        let t0 = Instant::now();
        s.send(Command::Pause);
        loop {
            if let Some(snap) = s.take().unwrap().snapshot
                && !snap.running
            {
                break;
            }
            assert!(
                t0.elapsed() < Duration::from_millis(500),
                "no pause after 500 ms"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        eprintln!("paused after {:?}", t0.elapsed());
    }
}
