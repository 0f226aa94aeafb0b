//! The parameters a classifier screen can change from its panel, each one step up or down,
//! and what each change asks of the trainer (a live change, or a fresh network).

use crate::data::DataKind;
use crate::nn::{Feature, Penalty};
use crate::optim::{OptimizerConfig, OptimizerKind, fmt_num};
use crate::scenario::Classifier;
use crate::screens::ladder::{LR_LADDER, PER_SECOND, ladder};

/// Epochs per second; `None` is as fast as the machine goes.
pub const SPEEDS: [Option<f64>; 11] = PER_SECOND;
const MOMENTA: [f64; 6] = [0.0, 0.5, 0.8, 0.9, 0.95, 0.99];
const WIDTHS: [usize; 18] = [
    1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 25, 32, 50, 64, 100, 128, 256,
];
const RATES: [f64; 12] = [
    0.0, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0,
];
const BATCHES: [usize; 11] = [0, 1, 2, 4, 8, 10, 16, 32, 64, 128, 256];
const SAMPLES: [usize; 8] = [100, 200, 300, 500, 1000, 2000, 5000, 10000];
/// One row of the parameters panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    Lr,
    Optimizer,
    Momentum,
    /// The input features, through a list of Playground's useful sets.
    Features,
    Activation,
    Layers,
    Neurons(usize),
    /// One hidden layer's activation.
    LayerActivation(usize),
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
        if spec.optimizer.kind.momentum_label().is_some() {
            v.push(Param::Momentum);
        }
        v.push(Param::Features);
        // With no hidden layer there is no activation to choose.
        if !spec.model.hidden.is_empty() {
            v.push(Param::Activation);
        }
        v.push(Param::Layers);
        for i in 0..spec.model.hidden.len() {
            v.push(Param::Neurons(i));
            v.push(Param::LayerActivation(i));
        }
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
            Param::Momentum => spec
                .optimizer
                .kind
                .momentum_label()
                .unwrap_or("momentum")
                .into(),
            Param::Features => "inputs".into(),
            Param::Activation => "activation".into(),
            Param::Layers => "hidden layers".into(),
            Param::Neurons(i) => format!("  layer {} neurons", i + 1),
            Param::LayerActivation(_) => "    activation".into(),
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
            Param::Momentum => {
                let mut s = o.momentum_value().map(fmt_num).unwrap_or_default();
                if o.nesterov {
                    s += " nesterov";
                }
                s
            }
            Param::Features => m
                .features
                .iter()
                .map(|f| f.label())
                .collect::<Vec<_>>()
                .join(", "),
            Param::Activation => {
                if m.uniform_activation() {
                    m.activation(0).name().into()
                } else {
                    "per layer".into()
                }
            }
            Param::LayerActivation(i) => m.activation(i).name().into(),
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

/// The input sets the parameters panel steps through (the network panel toggles any one).
pub fn feature_sets() -> Vec<Vec<Feature>> {
    use Feature::*;
    vec![
        vec![X1, X2],
        vec![X1Squared, X2Squared],
        vec![X1, X2, X1Squared, X2Squared],
        vec![X1, X2, X1TimesX2],
        vec![X1, X2, SinX1, SinX2],
        Feature::ALL.to_vec(),
    ]
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
            let (lr, schedule) = (o.lr, o.schedule);
            *o = OptimizerConfig {
                lr,
                schedule,
                ..next.defaults()
            };
            Change::Optimizer(o.clone())
        }
        Param::Momentum => {
            let v = ladder(&MOMENTA, o.momentum_value()?, up);
            o.set_momentum_value(v);
            Change::Optimizer(o.clone())
        }
        Param::Features => {
            let sets = feature_sets();
            let i = sets.iter().position(|f| *f == s.model.features);
            let n = sets.len();
            let j = match i {
                Some(i) if up => (i + 1) % n,
                Some(i) => (i + n - 1) % n,
                None => 0,
            };
            s.model.features = sets[j].clone();
            Change::Reset(s, seed, "input features")
        }
        Param::Activation => {
            let a = s.model.activation(0).next(up);
            s.model.set_activation(a);
            Change::Reset(s, seed, "activation")
        }
        Param::LayerActivation(i) => {
            let a = s.model.activation(i).next(up);
            s.model.set_layer_activation(i, a);
            Change::Reset(s, seed, "layer activation")
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

/// A speed that plays the scenario's epochs in about 15 seconds: slow enough to watch a
/// small problem learn, fast enough for a 10 000-epoch chapter.
pub fn default_speed(spec: &Classifier) -> usize {
    // The chapter's own pace (`[train] speed`), else its epochs in about 15 s.
    let want = spec.train.speed.unwrap_or(spec.train.epochs as f64 / 15.0);
    SPEEDS
        .iter()
        .position(|s| s.is_none_or(|v| v >= want))
        .unwrap_or(SPEEDS.len() - 1)
}

pub fn speed_label(s: Option<f64>) -> String {
    match s {
        Some(1.0) => "1 epoch/s".into(),
        Some(v) => format!("{v} epochs/s"),
        None => "max".into(),
    }
}
