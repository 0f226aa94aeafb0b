//! Optimizers with `torch.optim` semantics, working on flat parameter slices and their
//! gradients, so that one implementation drives networks (f32) and 2-D surfaces (f64).
//!
//! One file per algorithm (`sgd`, `adagrad`, `rmsprop`, `adam` with AdamW, `adamax`), each
//! with its state named as PyTorch names it, writes its update in the order PyTorch's
//! single-tensor implementation performs it (`torch/optim/{sgd,adagrad,rmsprop,adam,adamw,
//! adamax}.py`), so that paths agree with `torch.optim` in float64 to rounding (see
//! `tests/optim_reference.rs`). This file holds the settings and the [`Optimizer`] that
//! dispatches to them.
//!
//! Hyperparameters live in [`OptimizerConfig`]; they may change between steps (learning-rate
//! ladders, live momentum changes) and the optimizer's state (moments, buffers, step count)
//! is kept. Changing the optimizer's kind starts its state afresh.
//!
//! One departure, far below anything the parameters can show: the updates run as a CPU in
//! flush-to-zero mode would (torch's `set_flush_denormal(True)`): gradients, moments and
//! buffers that fall below the smallest normal float become zero, so do squares that would,
//! and so do parameters below 1.1e-16 in f32 (see `flush.rs`). A dead ReLU unit's moments,
//! or a weight only its L2 penalty pulls on, otherwise spend thousands of steps as
//! subnormals, where x86 arithmetic is about a hundred times slower: the overfitting chapter
//! trains 9× faster (205 s → 22 s for its 200 epochs), its plain deep run to the same bits
//! and its L2 run to the same accuracies on four seeds of five (docs/fidelity.md).

mod adagrad;
mod adam;
mod adamax;
mod flush;
mod rmsprop;
mod schedule;
mod sgd;

use crate::real::Real;
use adagrad::AdagradState;
use adam::AdamState;
use adamax::AdamaxState;
use rmsprop::RmspropState;
pub use schedule::{Schedule, ScheduleState, first_rates};
use serde::{Deserialize, Serialize};
use sgd::SgdState;
use std::fmt;

/// The optimizer families, by their `torch.optim` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptimizerKind {
    Sgd,
    Adagrad,
    Rmsprop,
    Adam,
    Adamw,
    Adamax,
}

impl OptimizerKind {
    pub const ALL: [OptimizerKind; 6] = [
        OptimizerKind::Sgd,
        OptimizerKind::Adagrad,
        OptimizerKind::Rmsprop,
        OptimizerKind::Adam,
        OptimizerKind::Adamw,
        OptimizerKind::Adamax,
    ];

    pub fn name(self) -> &'static str {
        match self {
            OptimizerKind::Sgd => "sgd",
            OptimizerKind::Adagrad => "adagrad",
            OptimizerKind::Rmsprop => "rmsprop",
            OptimizerKind::Adam => "adam",
            OptimizerKind::Adamw => "adamw",
            OptimizerKind::Adamax => "adamax",
        }
    }

    /// The option names (besides `lr`) that PyTorch's constructor for this kind accepts.
    pub fn options(self) -> &'static [&'static str] {
        match self {
            OptimizerKind::Sgd => &["momentum", "dampening", "nesterov", "weight_decay"],
            OptimizerKind::Adagrad => &[
                "lr_decay",
                "weight_decay",
                "initial_accumulator_value",
                "eps",
            ],
            OptimizerKind::Rmsprop => &["alpha", "eps", "weight_decay", "momentum", "centered"],
            OptimizerKind::Adam | OptimizerKind::Adamw => {
                &["betas", "eps", "weight_decay", "amsgrad"]
            }
            OptimizerKind::Adamax => &["betas", "eps", "weight_decay"],
        }
    }

    /// The name `torch.optim` gives this optimizer's class: `SGD`, `RMSprop`, `AdamW`, ...
    pub fn torch_name(self) -> &'static str {
        match self {
            OptimizerKind::Sgd => "SGD",
            OptimizerKind::Adagrad => "Adagrad",
            OptimizerKind::Rmsprop => "RMSprop",
            OptimizerKind::Adam => "Adam",
            OptimizerKind::Adamw => "AdamW",
            OptimizerKind::Adamax => "Adamax",
        }
    }

    /// What the momentum-like knob of this optimizer is called: "momentum" (sgd, rmsprop),
    /// "β1" (adam, adamw, adamax), `None` for adagrad, which has none.
    pub fn momentum_label(self) -> Option<&'static str> {
        match self {
            OptimizerKind::Sgd | OptimizerKind::Rmsprop => Some("momentum"),
            OptimizerKind::Adam | OptimizerKind::Adamw | OptimizerKind::Adamax => Some("β1"),
            OptimizerKind::Adagrad => None,
        }
    }

    /// PyTorch's default settings for this kind.
    pub fn defaults(self) -> OptimizerConfig {
        let base = OptimizerConfig {
            kind: self,
            ..OptimizerConfig::default()
        };
        match self {
            OptimizerKind::Sgd => base,
            OptimizerKind::Adagrad => OptimizerConfig {
                lr: 0.01,
                eps: 1e-10,
                ..base
            },
            OptimizerKind::Rmsprop => OptimizerConfig { lr: 0.01, ..base },
            OptimizerKind::Adam => base,
            OptimizerKind::Adamw => OptimizerConfig {
                weight_decay: 0.01,
                ..base
            },
            OptimizerKind::Adamax => OptimizerConfig { lr: 0.002, ..base },
        }
    }
}

impl fmt::Display for OptimizerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Every hyperparameter of every kind, by its PyTorch name. Options a kind does not use are
/// ignored by its step; [`OptimizerKind::defaults`] gives PyTorch's defaults per kind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptimizerConfig {
    pub kind: OptimizerKind,
    pub lr: f64,
    pub momentum: f64,
    pub dampening: f64,
    pub nesterov: bool,
    pub weight_decay: f64,
    pub lr_decay: f64,
    pub initial_accumulator_value: f64,
    pub eps: f64,
    pub alpha: f64,
    pub centered: bool,
    pub betas: (f64, f64),
    pub amsgrad: bool,
    /// A learning-rate schedule (`torch.optim.lr_scheduler`), stepped by the run: once per
    /// epoch for a network, once per step for a racer.
    pub schedule: Option<Schedule>,
}

impl Default for OptimizerConfig {
    /// `torch.optim.SGD`'s defaults (lr 1e-3), with the other kinds' shared defaults.
    fn default() -> Self {
        OptimizerConfig {
            kind: OptimizerKind::Sgd,
            lr: 1e-3,
            momentum: 0.0,
            dampening: 0.0,
            nesterov: false,
            weight_decay: 0.0,
            lr_decay: 0.0,
            initial_accumulator_value: 0.0,
            eps: 1e-8,
            alpha: 0.99,
            centered: false,
            betas: (0.9, 0.999),
            amsgrad: false,
            schedule: None,
        }
    }
}

impl OptimizerConfig {
    /// The checks PyTorch's constructors make, with the option's name in the message.
    pub fn check(&self) -> Result<(), String> {
        fn finite_nonneg(name: &str, v: f64) -> Result<(), String> {
            if v.is_finite() && v >= 0.0 {
                Ok(())
            } else {
                Err(format!("`{name}` must be a finite number >= 0, got {v}"))
            }
        }
        finite_nonneg("lr", self.lr)?;
        finite_nonneg("weight_decay", self.weight_decay)?;
        match self.kind {
            OptimizerKind::Sgd => {
                finite_nonneg("momentum", self.momentum)?;
                finite_nonneg("dampening", self.dampening)?;
                if self.nesterov && (self.momentum <= 0.0 || self.dampening != 0.0) {
                    return Err(
                        "`nesterov = true` requires `momentum` > 0 and `dampening` = 0".into(),
                    );
                }
            }
            OptimizerKind::Adagrad => {
                finite_nonneg("lr_decay", self.lr_decay)?;
                finite_nonneg("initial_accumulator_value", self.initial_accumulator_value)?;
                finite_nonneg("eps", self.eps)?;
            }
            OptimizerKind::Rmsprop => {
                finite_nonneg("alpha", self.alpha)?;
                finite_nonneg("eps", self.eps)?;
                finite_nonneg("momentum", self.momentum)?;
            }
            OptimizerKind::Adam | OptimizerKind::Adamw | OptimizerKind::Adamax => {
                finite_nonneg("eps", self.eps)?;
                for (i, b) in [self.betas.0, self.betas.1].into_iter().enumerate() {
                    if !(0.0..1.0).contains(&b) {
                        return Err(format!("`betas[{i}]` must be in [0, 1), got {b}"));
                    }
                }
            }
        }
        Ok(())
    }

    /// The momentum-like value: `momentum` for sgd and rmsprop, `betas.0` (β1) for the adam
    /// family, `None` for adagrad (see [`OptimizerKind::momentum_label`]).
    pub fn momentum_value(&self) -> Option<f64> {
        match self.kind {
            OptimizerKind::Sgd | OptimizerKind::Rmsprop => Some(self.momentum),
            OptimizerKind::Adam | OptimizerKind::Adamw | OptimizerKind::Adamax => {
                Some(self.betas.0)
            }
            OptimizerKind::Adagrad => None,
        }
    }

    /// Sets the momentum-like value; for sgd and rmsprop a momentum of 0 also turns
    /// `nesterov` off (PyTorch refuses Nesterov without momentum). Returns false, changing
    /// nothing, for adagrad.
    pub fn set_momentum_value(&mut self, v: f64) -> bool {
        match self.kind {
            OptimizerKind::Sgd | OptimizerKind::Rmsprop => {
                self.momentum = v;
                if v == 0.0 {
                    self.nesterov = false;
                }
            }
            OptimizerKind::Adam | OptimizerKind::Adamw | OptimizerKind::Adamax => {
                self.betas.0 = v;
            }
            OptimizerKind::Adagrad => return false,
        }
        true
    }

    /// A short description of the settings that matter for this kind, e.g.
    /// `adam lr 0.05 β 0.9/0.999`.
    pub fn summary(&self) -> String {
        let mut s = format!("{} lr {}", self.kind, fmt_num(self.lr));
        match self.kind {
            OptimizerKind::Sgd => {
                if self.momentum > 0.0 {
                    s += &format!(" m {}", fmt_num(self.momentum));
                    if self.nesterov {
                        s += " nesterov";
                    }
                }
            }
            OptimizerKind::Rmsprop => {
                s += &format!(" α {}", fmt_num(self.alpha));
                if self.momentum > 0.0 {
                    s += &format!(" m {}", fmt_num(self.momentum));
                }
                if self.centered {
                    s += " centered";
                }
            }
            OptimizerKind::Adam | OptimizerKind::Adamw | OptimizerKind::Adamax => {
                s += &format!(" β {}/{}", fmt_num(self.betas.0), fmt_num(self.betas.1));
                if self.amsgrad && self.kind != OptimizerKind::Adamax {
                    s += " amsgrad";
                }
            }
            OptimizerKind::Adagrad => {}
        }
        if self.weight_decay > 0.0 {
            s += &format!(" wd {}", fmt_num(self.weight_decay));
        }
        s
    }
}

/// Formats a hyperparameter compactly: `0.01`, `1e-5`, `0.9`.
pub fn fmt_num(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let a = v.abs();
    if (1e-3..1e4).contains(&a) {
        let s = format!("{v:.6}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        s.to_string()
    } else {
        let s = format!("{v:e}");
        s
    }
}

/// One tensor's state, named as its algorithm names it.
#[derive(Debug)]
enum TensorState<F> {
    Sgd(SgdState<F>),
    Adagrad(AdagradState<F>),
    Rmsprop(RmspropState<F>),
    /// Adam's and AdamW's.
    Adam(AdamState<F>),
    Adamax(AdamaxState<F>),
}

impl<F: Clone> Clone for TensorState<F> {
    fn clone(&self) -> Self {
        match self {
            TensorState::Sgd(s) => TensorState::Sgd(s.clone()),
            TensorState::Adagrad(s) => TensorState::Adagrad(s.clone()),
            TensorState::Rmsprop(s) => TensorState::Rmsprop(s.clone()),
            TensorState::Adam(s) => TensorState::Adam(s.clone()),
            TensorState::Adamax(s) => TensorState::Adamax(s.clone()),
        }
    }

    /// Adam's moments are copied into the existing ones; other states as `clone`.
    fn clone_from(&mut self, from: &Self) {
        match (self, from) {
            (TensorState::Adam(to), TensorState::Adam(from)) => to.clone_from(from),
            (to, from) => *to = from.clone(),
        }
    }
}

impl<F: Real> TensorState<F> {
    /// Fresh state for a tensor of `n` parameters, as PyTorch's first step makes it.
    fn fresh(config: &OptimizerConfig, n: usize) -> Self {
        match config.kind {
            OptimizerKind::Sgd => TensorState::Sgd(SgdState::default()),
            OptimizerKind::Adagrad => {
                TensorState::Adagrad(AdagradState::new(n, config.initial_accumulator_value))
            }
            OptimizerKind::Rmsprop => TensorState::Rmsprop(RmspropState::new(n)),
            OptimizerKind::Adam | OptimizerKind::Adamw => TensorState::Adam(AdamState::new(n)),
            OptimizerKind::Adamax => TensorState::Adamax(AdamaxState::new(n)),
        }
    }

    /// Whether this is the state `kind` steps with.
    fn serves(&self, kind: OptimizerKind) -> bool {
        matches!(
            (self, kind),
            (TensorState::Sgd(_), OptimizerKind::Sgd)
                | (TensorState::Adagrad(_), OptimizerKind::Adagrad)
                | (TensorState::Rmsprop(_), OptimizerKind::Rmsprop)
                | (
                    TensorState::Adam(_),
                    OptimizerKind::Adam | OptimizerKind::Adamw
                )
                | (TensorState::Adamax(_), OptimizerKind::Adamax)
        )
    }
}

/// An optimizer: its settings and its state for a fixed list of parameter tensors.
#[derive(Debug)]
pub struct Optimizer<F> {
    /// The settings, `lr` the rate in use now (the schedule's, when there is one).
    pub config: OptimizerConfig,
    state: Vec<TensorState<F>>,
    /// Steps taken so far (PyTorch keeps one `step` per tensor; they are always equal here).
    steps: u64,
    /// The schedule under way, and the factor a live learning-rate change put on it (the
    /// rate given over the rate the schedule started from; exactly 1 until one).
    schedule: Option<(ScheduleState, f64)>,
}

impl<F: Clone> Clone for Optimizer<F> {
    fn clone(&self) -> Self {
        Optimizer {
            config: self.config.clone(),
            state: self.state.clone(),
            steps: self.steps,
            schedule: self.schedule.clone(),
        }
    }

    /// Into the existing state's buffers where they fit (`Vec::clone_from` goes through
    /// each tensor's `clone_from`).
    fn clone_from(&mut self, from: &Self) {
        self.config.clone_from(&from.config);
        self.state.clone_from(&from.state);
        self.steps = from.steps;
        self.schedule.clone_from(&from.schedule);
    }
}

impl<F: Real> Optimizer<F> {
    pub fn new(mut config: OptimizerConfig) -> Self {
        let schedule = config
            .schedule
            .map(|s| (ScheduleState::new(s, config.lr), 1.0));
        if let Some((s, _)) = &schedule {
            config.lr = s.lr;
        }
        Optimizer {
            config,
            state: Vec::new(),
            steps: 0,
            schedule,
        }
    }

    /// One step of the learning-rate schedule (`scheduler.step()`), if there is one.
    pub fn schedule_step(&mut self) {
        if let Some((s, scale)) = &mut self.schedule {
            self.config.lr = s.step() * *scale;
        }
    }

    /// Scheduler steps taken (PyTorch's `last_epoch`), 0 without a schedule.
    pub fn schedule_steps(&self) -> u64 {
        self.schedule.as_ref().map_or(0, |(s, _)| s.last_epoch)
    }

    /// The learning rate in use now.
    pub fn lr(&self) -> f64 {
        self.config.lr
    }

    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Replaces the settings. State is kept when the kind stays the same, so that learning
    /// rate, momentum or betas can move mid-run; a new kind starts from fresh state.
    ///
    /// With the same schedule, the schedule goes on where it was and `config.lr` scales it
    /// (the rate given over the one the schedule started from: `]` doubles every rate still
    /// to come); a new or changed schedule starts afresh from `config.lr`.
    pub fn set_config(&mut self, mut config: OptimizerConfig) {
        if config.kind != self.config.kind {
            self.reset();
        }
        match (&mut self.schedule, config.schedule) {
            (Some((s, scale)), Some(new)) if s.schedule == new => {
                *scale = config.lr / s.base;
                if !scale.is_finite() {
                    *scale = 1.0;
                }
                config.lr = s.lr * *scale;
            }
            (_, Some(new)) => {
                let s = ScheduleState::new(new, config.lr);
                config.lr = s.lr;
                self.schedule = Some((s, 1.0));
            }
            (_, None) => self.schedule = None,
        }
        self.config = config;
    }

    /// Forgets all state, as a freshly constructed PyTorch optimizer would have.
    pub fn reset(&mut self) {
        self.state.clear();
        self.steps = 0;
    }

    /// One update of every tensor: `params[i].0 -= …` from the gradient `params[i].1`.
    /// The list must name the same tensors, with the same lengths, at every step.
    pub fn step(&mut self, params: &mut [(&mut [F], &[F])]) {
        let cfg = &self.config;
        // A new list of tensors, or a kind changed behind `set_config`'s back: start afresh.
        if self.state.len() != params.len() || !self.state.iter().all(|s| s.serves(cfg.kind)) {
            self.state = params
                .iter()
                .map(|(p, _)| TensorState::fresh(cfg, p.len()))
                .collect();
            self.steps = 0;
        }
        self.steps += 1;
        let t = self.steps;
        for ((p, g), st) in params.iter_mut().zip(self.state.iter_mut()) {
            debug_assert_eq!(p.len(), g.len());
            match st {
                TensorState::Sgd(st) => sgd::step(cfg, p, g, st),
                TensorState::Adagrad(st) => adagrad::step(cfg, t, p, g, st),
                TensorState::Rmsprop(st) => rmsprop::step(cfg, p, g, st),
                TensorState::Adam(st) => adam::step(cfg, t, p, g, st),
                TensorState::Adamax(st) => adamax::step(cfg, t, p, g, st),
            }
        }
    }
}

/// `torch.lerp`'s CPU formula, which switches form at weight 0.5 for accuracy.
#[inline]
fn lerp<F: Real>(start: F, end: F, weight: F) -> F {
    if weight < F::c(0.5) {
        start + weight * (end - start)
    } else {
        end - (end - start) * (F::one() - weight)
    }
}

/// Gradient with L2 weight decay folded in, as PyTorch's `grad.add(param, alpha=wd)`.
#[inline]
fn decayed<F: Real>(g: F, p: F, wd: F) -> F {
    if wd != F::zero() { g + wd * p } else { g }
}

/// The algorithms' less common options are checked against the algorithm boxes of the
/// `torch.optim` documentation written out as scalar recurrences (an independent oracle: no
/// slices, no shared helpers), for five steps of f(p) = p² − 3p (∇ = 2p − 3) from p = 1.
#[cfg(test)]
mod testing {
    use super::{Optimizer, OptimizerConfig};

    /// The five points of f(p) = p² − 3p's descent from p = 1.
    pub(super) fn five_steps(cfg: OptimizerConfig) -> Vec<f64> {
        let mut opt = Optimizer::<f64>::new(cfg);
        let mut p = [1.0];
        (0..5)
            .map(|_| {
                let g = [2.0 * p[0] - 3.0];
                opt.step(&mut [(&mut p[..], &g[..])]);
                p[0]
            })
            .collect()
    }

    pub(super) fn close(a: &[f64], b: &[f64]) {
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() < 1e-12 * (1.0 + y.abs()), "{a:?}\n{b:?}");
        }
    }

    /// One step from `p0` along gradient `g`.
    pub(super) fn one_step(cfg: OptimizerConfig, p0: f64, g: f64) -> f64 {
        let mut opt = Optimizer::<f64>::new(cfg);
        let mut p = [p0];
        opt.step(&mut [(&mut p[..], &[g][..])]);
        p[0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changing_lr_keeps_momentum() {
        let mut opt = Optimizer::<f64>::new(OptimizerConfig {
            lr: 0.1,
            momentum: 0.9,
            ..OptimizerKind::Sgd.defaults()
        });
        let mut p = [0.0];
        opt.step(&mut [(&mut p[..], &[1.0][..])]); // buf = 1, p = -0.1
        opt.set_config(OptimizerConfig {
            lr: 1.0,
            ..opt.config.clone()
        });
        opt.step(&mut [(&mut p[..], &[1.0][..])]); // buf = 0.9 + 1 = 1.9, p = -0.1 - 1.9
        assert!((p[0] + 2.0).abs() < 1e-12, "{}", p[0]);
        opt.set_config(OptimizerKind::Adam.defaults());
        assert_eq!(opt.steps(), 0);
    }

    #[test]
    fn checks_name_the_option() {
        let bad = OptimizerConfig {
            nesterov: true,
            ..OptimizerKind::Sgd.defaults()
        };
        assert!(bad.check().unwrap_err().contains("nesterov"));
        let bad = OptimizerConfig {
            betas: (0.9, 1.0),
            ..OptimizerKind::Adam.defaults()
        };
        assert!(bad.check().unwrap_err().contains("betas[1]"));
        let bad = OptimizerConfig {
            lr: -1.0,
            ..OptimizerKind::Adam.defaults()
        };
        assert!(bad.check().unwrap_err().contains("`lr`"));
    }

    #[test]
    fn the_momentum_knob_is_momentum_or_beta1() {
        for kind in OptimizerKind::ALL {
            let mut c = OptimizerConfig {
                momentum: 0.5,
                betas: (0.8, 0.999),
                ..kind.defaults()
            };
            let (label, value) = (kind.momentum_label(), c.momentum_value());
            match kind {
                OptimizerKind::Sgd | OptimizerKind::Rmsprop => {
                    assert_eq!((label, value), (Some("momentum"), Some(0.5)), "{kind}");
                }
                OptimizerKind::Adam | OptimizerKind::Adamw | OptimizerKind::Adamax => {
                    assert_eq!((label, value), (Some("β1"), Some(0.8)), "{kind}");
                }
                OptimizerKind::Adagrad => assert_eq!((label, value), (None, None)),
            }
            // Setting reads back, and touches nothing else.
            let before = c.clone();
            let set = c.set_momentum_value(0.7);
            assert_eq!(set, label.is_some(), "{kind}");
            if set {
                assert_eq!(c.momentum_value(), Some(0.7), "{kind}");
                c.set_momentum_value(before.momentum_value().expect("has a knob"));
            }
            assert_eq!(c, before, "{kind}");
        }
    }

    #[test]
    fn zero_momentum_turns_nesterov_off() {
        let mut c = OptimizerConfig {
            momentum: 0.9,
            nesterov: true,
            ..OptimizerKind::Sgd.defaults()
        };
        assert!(c.set_momentum_value(0.5));
        assert!(c.nesterov, "still has momentum");
        assert!(c.set_momentum_value(0.0));
        assert!(!c.nesterov);
        assert!(c.check().is_ok(), "{:?}", c.check());
        // β1 = 0 is a valid Adam and leaves the (unused) nesterov flag alone.
        let mut c = OptimizerConfig {
            nesterov: true,
            ..OptimizerKind::Adam.defaults()
        };
        assert!(c.set_momentum_value(0.0));
        assert_eq!((c.betas.0, c.nesterov), (0.0, true));
    }

    #[test]
    fn torch_names_are_the_class_names() {
        let names: Vec<_> = OptimizerKind::ALL.iter().map(|k| k.torch_name()).collect();
        assert_eq!(
            names,
            ["SGD", "Adagrad", "RMSprop", "Adam", "AdamW", "Adamax"]
        );
        for k in OptimizerKind::ALL {
            assert_eq!(k.torch_name().to_lowercase(), k.name());
        }
    }

    #[test]
    fn fmt_num_is_compact() {
        assert_eq!(fmt_num(0.01), "0.01");
        assert_eq!(fmt_num(1e-5), "1e-5");
        assert_eq!(fmt_num(0.9), "0.9");
        assert_eq!(fmt_num(3.0), "3");
    }
}
