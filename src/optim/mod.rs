//! Optimizers with `torch.optim` semantics, working on flat parameter slices and their
//! gradients, so that one implementation drives networks (f32) and 2-D surfaces (f64).
//!
//! Each update below is written in the order PyTorch's single-tensor implementation performs
//! it (`torch/optim/{sgd,adagrad,rmsprop,adam,adamw,adamax}.py`), so that paths agree with
//! `torch.optim` in float64 to rounding (see `tests/optim_reference.rs`).
//!
//! Hyperparameters live in [`OptimizerConfig`]; they may change between steps (learning-rate
//! ladders, live momentum changes) and the optimizer's state (moments, buffers, step count)
//! is kept. Changing the optimizer's kind starts its state afresh.
//!
//! One departure, far below anything the parameters can show: the updates run as a CPU in
//! flush-to-zero mode would (torch's `set_flush_denormal(True)`): gradients, moments and
//! buffers that fall below the smallest normal float become zero, so do squares that would,
//! and so do parameters below 1.1e-16 in f32 (see [`Negligible`]). A dead ReLU unit's
//! moments, or a weight only its L2 penalty pulls on, otherwise spend thousands of steps as
//! subnormals, where x86 arithmetic is about a hundred times slower: the overfitting chapter
//! trains 9× faster (205 s → 22 s for its 200 epochs), its plain deep run to the same bits
//! and its L2 run to the same accuracies on four seeds of five (docs/fidelity.md).

use crate::real::Real;
use serde::{Deserialize, Serialize};
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

/// Per-tensor state: up to three buffers, named by their role in each algorithm.
#[derive(Clone, Debug, Default)]
struct TensorState<F> {
    /// SGD/RMSprop momentum buffer; Adam/Adamax `exp_avg`; Adagrad `sum`.
    a: Vec<F>,
    /// RMSprop `square_avg`; Adam `exp_avg_sq`; Adamax `exp_inf`.
    b: Vec<F>,
    /// RMSprop `grad_avg` (centered); Adam `max_exp_avg_sq` (amsgrad).
    c: Vec<F>,
    /// Whether the SGD momentum buffer has been set (PyTorch's `momentum_buffer is None`).
    has_buf: bool,
}

/// An optimizer: its settings and its state for a fixed list of parameter tensors.
#[derive(Clone, Debug)]
pub struct Optimizer<F> {
    pub config: OptimizerConfig,
    state: Vec<TensorState<F>>,
    /// Steps taken so far (PyTorch keeps one `step` per tensor; they are always equal here).
    steps: u64,
}

impl<F: Real> Optimizer<F> {
    pub fn new(config: OptimizerConfig) -> Self {
        Optimizer {
            config,
            state: Vec::new(),
            steps: 0,
        }
    }

    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Replaces the settings. State is kept when the kind stays the same, so that learning
    /// rate, momentum or betas can move mid-run; a new kind starts from fresh state.
    pub fn set_config(&mut self, config: OptimizerConfig) {
        if config.kind != self.config.kind {
            self.reset();
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
        if self.state.len() != params.len() {
            self.state = params
                .iter()
                .map(|(p, _)| self.fresh_state(p.len()))
                .collect();
            self.steps = 0;
        }
        self.steps += 1;
        let t = self.steps;
        let cfg = &self.config;
        for ((p, g), st) in params.iter_mut().zip(self.state.iter_mut()) {
            debug_assert_eq!(p.len(), g.len());
            match cfg.kind {
                OptimizerKind::Sgd => sgd(cfg, p, g, st),
                OptimizerKind::Adagrad => adagrad(cfg, t, p, g, st),
                OptimizerKind::Rmsprop => rmsprop(cfg, p, g, st),
                OptimizerKind::Adam => adam(cfg, t, p, g, st, false),
                OptimizerKind::Adamw => adam(cfg, t, p, g, st, true),
                OptimizerKind::Adamax => adamax(cfg, t, p, g, st),
            }
        }
    }

    fn fresh_state(&self, n: usize) -> TensorState<F> {
        let init = if self.config.kind == OptimizerKind::Adagrad {
            F::c(self.config.initial_accumulator_value)
        } else {
            F::zero()
        };
        TensorState {
            a: vec![init; n],
            b: vec![F::zero(); n],
            c: vec![F::zero(); n],
            has_buf: false,
        }
    }
}

/// Flush-to-zero for one float type, in software. Quantities that decay geometrically to zero
/// (a dead unit's moments, a weight only its L2 penalty pulls on) would otherwise spend
/// thousands of steps as subnormals, where x86 arithmetic is about a hundred times slower, and
/// a tiny gradient's square underflows into that range on the way.
#[derive(Clone, Copy)]
struct Negligible<F> {
    /// The smallest normal float: a smaller gradient, moment or buffer is zero.
    normal: F,
    /// A parameter smaller than this is zero: √(smallest normal)·1000, 1.1e-16 in f32 (1.5e-151
    /// in f64), far below what a weight can register next to any other weight above 1e-9. A
    /// weight only its L2 penalty pulls on shrinks geometrically; cut off lower, it would spend
    /// hundreds of thousands of steps just above the subnormals, its products (2λw, the
    /// moments' decay) falling into them.
    parameter: F,
    /// Gradients smaller than this have a (scaled) square below the smallest normal; their
    /// squares count as zero.
    square_root: F,
}

impl<F: Real> Negligible<F> {
    fn new() -> Self {
        let normal = F::min_positive_value();
        Negligible {
            normal,
            parameter: normal.sqrt() * F::c(1e3),
            // The squares are scaled by at most 1 − β₂ = 0.001 (Adam's default) or 1 − α.
            square_root: (normal * F::c(1e3)).sqrt(),
        }
    }

    /// `v`, or zero if subnormal.
    #[inline]
    fn linear(self, v: F) -> F {
        if v.abs() < self.normal { F::zero() } else { v }
    }

    /// A parameter, or zero if negligible.
    #[inline]
    fn parameter(self, v: F) -> F {
        if v.abs() < self.parameter {
            F::zero()
        } else {
            v
        }
    }

    /// `d·d`, or zero if it would underflow (or nearly, once scaled).
    #[inline]
    fn square(self, d: F) -> F {
        if d.abs() < self.square_root {
            F::zero()
        } else {
            d * d
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

fn sgd<F: Real>(cfg: &OptimizerConfig, p: &mut [F], g: &[F], st: &mut TensorState<F>) {
    let (lr, wd) = (F::c(cfg.lr), F::c(cfg.weight_decay));
    let (mom, damp) = (F::c(cfg.momentum), F::c(cfg.dampening));
    let first = !st.has_buf;
    let z = Negligible::<F>::new();
    for i in 0..p.len() {
        let mut d = z.linear(decayed(g[i], p[i], wd));
        if cfg.momentum != 0.0 {
            let buf = &mut st.a[i];
            // First step: buf = d (PyTorch clones the gradient).
            *buf = if first {
                d
            } else {
                z.linear(*buf * mom + (F::one() - damp) * d)
            };
            d = if cfg.nesterov { d + mom * *buf } else { *buf };
        }
        p[i] = z.parameter(p[i] + (-lr) * d);
    }
    if cfg.momentum != 0.0 {
        st.has_buf = true;
    }
}

fn adagrad<F: Real>(cfg: &OptimizerConfig, t: u64, p: &mut [F], g: &[F], st: &mut TensorState<F>) {
    let wd = F::c(cfg.weight_decay);
    let clr = F::c(cfg.lr / (1.0 + (t - 1) as f64 * cfg.lr_decay));
    let eps = F::c(cfg.eps);
    let z = Negligible::<F>::new();
    for i in 0..p.len() {
        let d = z.linear(decayed(g[i], p[i], wd));
        st.a[i] += z.square(d);
        let std = st.a[i].sqrt() + eps;
        p[i] = z.parameter(p[i] + (-clr) * (d / std));
    }
}

fn rmsprop<F: Real>(cfg: &OptimizerConfig, p: &mut [F], g: &[F], st: &mut TensorState<F>) {
    let (lr, wd, eps) = (F::c(cfg.lr), F::c(cfg.weight_decay), F::c(cfg.eps));
    let alpha = F::c(cfg.alpha);
    let one_m_alpha = F::c(1.0 - cfg.alpha);
    let mom = F::c(cfg.momentum);
    let z = Negligible::<F>::new();
    for i in 0..p.len() {
        let d = z.linear(decayed(g[i], p[i], wd));
        st.b[i] = z.linear(st.b[i] * alpha + one_m_alpha * z.square(d));
        let avg = if cfg.centered {
            st.c[i] = z.linear(lerp(st.c[i], d, one_m_alpha));
            (st.b[i] + (-F::one()) * (st.c[i] * st.c[i])).sqrt() + eps
        } else {
            st.b[i].sqrt() + eps
        };
        if cfg.momentum > 0.0 {
            st.a[i] = z.linear(st.a[i] * mom + d / avg);
            p[i] = z.parameter(p[i] + (-lr) * st.a[i]);
        } else {
            p[i] = z.parameter(p[i] + (-lr) * (d / avg));
        }
    }
}

fn adam<F: Real>(
    cfg: &OptimizerConfig,
    t: u64,
    p: &mut [F],
    g: &[F],
    st: &mut TensorState<F>,
    decoupled: bool,
) {
    let (b1, b2) = cfg.betas;
    let eps = F::c(cfg.eps);
    // AdamW decays the weights directly; Adam folds weight decay into the gradient.
    let wd = if decoupled {
        F::zero()
    } else {
        F::c(cfg.weight_decay)
    };
    let shrink = F::c(1.0 - cfg.lr * cfg.weight_decay);
    let bc1 = 1.0 - b1.powf(t as f64);
    let bc2 = 1.0 - b2.powf(t as f64);
    let step_size = F::c(cfg.lr / bc1);
    let bc2_sqrt = F::c(bc2.sqrt());
    let (w1, b2f, w2) = (F::c(1.0 - b1), F::c(b2), F::c(1.0 - b2));
    let z = Negligible::<F>::new();
    for i in 0..p.len() {
        if decoupled {
            p[i] *= shrink;
        }
        let d = z.linear(decayed(g[i], p[i], wd));
        st.a[i] = z.linear(lerp(st.a[i], d, w1));
        st.b[i] = z.linear(st.b[i] * b2f + w2 * z.square(d));
        let v = if cfg.amsgrad {
            st.c[i] = st.c[i].max(st.b[i]);
            st.c[i]
        } else {
            st.b[i]
        };
        let denom = v.sqrt() / bc2_sqrt + eps;
        p[i] = z.parameter(p[i] + (-step_size) * (st.a[i] / denom));
    }
}

fn adamax<F: Real>(cfg: &OptimizerConfig, t: u64, p: &mut [F], g: &[F], st: &mut TensorState<F>) {
    let (b1, b2) = cfg.betas;
    let (wd, eps) = (F::c(cfg.weight_decay), F::c(cfg.eps));
    let clr = F::c(cfg.lr / (1.0 - b1.powf(t as f64)));
    let (w1, b2f) = (F::c(1.0 - b1), F::c(b2));
    let z = Negligible::<F>::new();
    for i in 0..p.len() {
        let d = z.linear(decayed(g[i], p[i], wd));
        st.a[i] = z.linear(lerp(st.a[i], d, w1));
        st.b[i] = (st.b[i] * b2f).max(d.abs() + eps);
        p[i] = z.parameter(p[i] + (-clr) * (st.a[i] / st.b[i]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Adam at learning rate 0.001 on f32, PyTorch's defaults otherwise.
    fn adam_f32() -> Optimizer<f32> {
        Optimizer::new(OptimizerConfig {
            kind: OptimizerKind::Adam,
            lr: 0.001,
            ..OptimizerConfig::default()
        })
    }

    fn assert_moments_not_subnormal(opt: &Optimizer<f32>) {
        let (m, v) = (opt.state[0].a[0], opt.state[0].b[0]);
        assert!(m == 0.0 || m.is_normal(), "first moment {m:e} is subnormal");
        assert!(
            v == 0.0 || v.is_normal(),
            "second moment {v:e} is subnormal"
        );
    }

    #[test]
    fn decayed_moments_flush_to_zero_instead_of_lingering_subnormal() {
        // One gradient, then none: Adam's first moment decays by 0.9 a step and would sit in
        // f32's subnormal range (below 1.2e-38) for about 150 steps, the second by 0.999 for
        // about 16 000.
        let mut opt = adam_f32();
        let mut p = [0.5f32];
        opt.step(&mut [(&mut p[..], &[1.0f32][..])]);
        let mut lowest_m = f32::MAX;
        for _ in 0..2000 {
            opt.step(&mut [(&mut p[..], &[0.0f32][..])]);
            assert_moments_not_subnormal(&opt);
            lowest_m = lowest_m.min(opt.state[0].a[0]);
        }
        assert_eq!(lowest_m, 0.0, "the first moment reached zero");
        // The parameter moved as unflushed arithmetic would: the flushed terms are far below
        // what an f32 parameter near 0.5 can show.
        let mut q = 0.5f64;
        let (mut m, mut v) = (0.0f64, 0.0f64);
        for t in 1..=2001u32 {
            let g = if t == 1 { 1.0 } else { 0.0 };
            m = 0.9 * m + 0.1 * g;
            v = 0.999 * v + 0.001 * g * g;
            let (bc1, bc2) = (1.0 - 0.9f64.powi(t as i32), 1.0 - 0.999f64.powi(t as i32));
            q -= 0.001 / bc1 * m / (v.sqrt() / bc2.sqrt() + 1e-8);
        }
        assert!((f64::from(p[0]) - q).abs() < 1e-6, "{} vs {q}", p[0]);
    }

    #[test]
    fn a_weight_only_its_penalty_pulls_on_reaches_zero_without_subnormals() {
        // Adam on the gradient of 0.01·w² alone: the weight shrinks geometrically once its
        // second moment remembers larger values, and is set to zero below 1.1e-16.
        let mut opt = adam_f32();
        let mut p = [0.05f32];
        let mut steps = 0;
        while p[0] != 0.0 && steps < 200_000 {
            let g = [0.02 * p[0]];
            opt.step(&mut [(&mut p[..], &g[..])]);
            assert!(p[0] == 0.0 || p[0].abs() >= 1.1e-16, "weight {:e}", p[0]);
            assert_moments_not_subnormal(&opt);
            steps += 1;
        }
        assert_eq!(p[0], 0.0, "still {:e} after {steps} steps", p[0]);
    }

    fn one_step(cfg: OptimizerConfig, p0: f64, g: f64) -> f64 {
        let mut opt = Optimizer::<f64>::new(cfg);
        let mut p = [p0];
        opt.step(&mut [(&mut p[..], &[g][..])]);
        p[0]
    }

    #[test]
    fn first_adam_step_moves_by_lr_times_sign() {
        // With bias correction, Adam's first step is lr * g / (|g| + eps·…) ≈ lr·sign(g).
        let p = one_step(
            OptimizerConfig {
                lr: 0.1,
                ..OptimizerKind::Adam.defaults()
            },
            1.0,
            -3.0,
        );
        assert!((p - 1.1).abs() < 1e-7, "{p}");
    }

    #[test]
    fn sgd_is_plain_gradient_descent() {
        let p = one_step(
            OptimizerConfig {
                lr: 0.5,
                ..OptimizerKind::Sgd.defaults()
            },
            2.0,
            4.0,
        );
        assert_eq!(p, 0.0);
    }

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
    fn fmt_num_is_compact() {
        assert_eq!(fmt_num(0.01), "0.01");
        assert_eq!(fmt_num(1e-5), "1e-5");
        assert_eq!(fmt_num(0.9), "0.9");
        assert_eq!(fmt_num(3.0), "3");
    }
}

/// The less common options, against the algorithm boxes of the `torch.optim` documentation
/// written out as scalar recurrences (an independent oracle: no slices, no shared helpers),
/// for five steps of f(p) = p² − 3p (∇ = 2p − 3) from p = 1.
#[cfg(test)]
mod doc_algorithms {
    use super::*;

    fn run(cfg: OptimizerConfig) -> Vec<f64> {
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

    fn close(a: &[f64], b: &[f64]) {
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() < 1e-12 * (1.0 + y.abs()), "{a:?}\n{b:?}");
        }
    }

    #[test]
    fn sgd_dampening_and_weight_decay() {
        let (lr, mu, tau, wd) = (0.1, 0.8, 0.3, 0.05);
        let (mut p, mut b, mut want) = (1.0f64, 0.0, vec![]);
        for t in 1..=5 {
            let g = 2.0 * p - 3.0 + wd * p;
            b = if t == 1 { g } else { mu * b + (1.0 - tau) * g };
            p -= lr * b;
            want.push(p);
        }
        close(
            &run(OptimizerConfig {
                lr,
                momentum: mu,
                dampening: tau,
                weight_decay: wd,
                ..OptimizerKind::Sgd.defaults()
            }),
            &want,
        );
    }

    #[test]
    fn adagrad_lr_decay_and_initial_accumulator() {
        let (lr, decay, init, eps) = (0.5, 0.1, 0.2, 1e-10);
        let (mut p, mut s, mut want) = (1.0f64, init, vec![]);
        for t in 1..=5 {
            let g = 2.0 * p - 3.0;
            let clr = lr / (1.0 + (t - 1) as f64 * decay);
            s += g * g;
            p -= clr * g / (s.sqrt() + eps);
            want.push(p);
        }
        close(
            &run(OptimizerConfig {
                lr,
                lr_decay: decay,
                initial_accumulator_value: init,
                ..OptimizerKind::Adagrad.defaults()
            }),
            &want,
        );
    }

    #[test]
    fn rmsprop_centered_with_momentum() {
        let (lr, alpha, eps, mu) = (0.01, 0.9, 1e-8, 0.5);
        let (mut p, mut v, mut gav, mut b, mut want) = (1.0f64, 0.0, 0.0, 0.0, vec![]);
        for _ in 1..=5 {
            let g = 2.0 * p - 3.0;
            v = alpha * v + (1.0 - alpha) * g * g;
            gav = alpha * gav + (1.0 - alpha) * g;
            let vt = v - gav * gav;
            b = mu * b + g / (vt.sqrt() + eps);
            p -= lr * b;
            want.push(p);
        }
        close(
            &run(OptimizerConfig {
                lr,
                alpha,
                momentum: mu,
                centered: true,
                ..OptimizerKind::Rmsprop.defaults()
            }),
            &want,
        );
    }

    #[test]
    fn adam_amsgrad_with_weight_decay() {
        let (lr, b1, b2, eps, wd) = (0.1, 0.9, 0.999, 1e-8, 0.01);
        let (mut p, mut m, mut v, mut vmax, mut want) = (1.0f64, 0.0, 0.0, 0.0f64, vec![]);
        for t in 1..=5 {
            let g = 2.0 * p - 3.0 + wd * p;
            m = b1 * m + (1.0 - b1) * g;
            v = b2 * v + (1.0 - b2) * g * g;
            vmax = vmax.max(v);
            let mhat = m / (1.0 - b1.powi(t));
            let vhat = vmax / (1.0 - b2.powi(t));
            p -= lr * mhat / (vhat.sqrt() + eps);
            want.push(p);
        }
        close(
            &run(OptimizerConfig {
                lr,
                weight_decay: wd,
                amsgrad: true,
                ..OptimizerKind::Adam.defaults()
            }),
            &want,
        );
    }

    #[test]
    fn adamw_decays_weights_before_the_step() {
        let (lr, b1, b2, eps, wd) = (0.1, 0.9, 0.999, 1e-8, 0.1);
        let (mut p, mut m, mut v, mut want) = (1.0f64, 0.0, 0.0, vec![]);
        for t in 1..=5 {
            let g = 2.0 * p - 3.0;
            p -= lr * wd * p;
            m = b1 * m + (1.0 - b1) * g;
            v = b2 * v + (1.0 - b2) * g * g;
            let mhat = m / (1.0 - b1.powi(t));
            let vhat = v / (1.0 - b2.powi(t));
            p -= lr * mhat / (vhat.sqrt() + eps);
            want.push(p);
        }
        close(
            &run(OptimizerConfig {
                lr,
                weight_decay: wd,
                ..OptimizerKind::Adamw.defaults()
            }),
            &want,
        );
    }
}
