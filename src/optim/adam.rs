//! Adam and AdamW, each with the AMSGrad variant: steps from bias-corrected running averages
//! of the gradient and of its square (`torch.optim.Adam`, `torch.optim.AdamW`).

use super::flush::Negligible;
use super::{OptimizerConfig, OptimizerKind, decayed, lerp};
use crate::real::Real;

/// Adam's (and AdamW's) state for one tensor.
#[derive(Debug)]
pub(super) struct AdamState<F> {
    /// The first moment: the running average of gradients.
    pub(super) exp_avg: Vec<F>,
    /// The second moment: the running average of squared gradients.
    pub(super) exp_avg_sq: Vec<F>,
    /// The largest second moment so far (used with `amsgrad`).
    max_exp_avg_sq: Vec<F>,
}

impl<F: Clone> Clone for AdamState<F> {
    fn clone(&self) -> Self {
        AdamState {
            exp_avg: self.exp_avg.clone(),
            exp_avg_sq: self.exp_avg_sq.clone(),
            max_exp_avg_sq: self.max_exp_avg_sq.clone(),
        }
    }

    /// Into the existing moments (a run's best-so-far copy, taken after improving epochs).
    fn clone_from(&mut self, from: &Self) {
        self.exp_avg.clone_from(&from.exp_avg);
        self.exp_avg_sq.clone_from(&from.exp_avg_sq);
        self.max_exp_avg_sq.clone_from(&from.max_exp_avg_sq);
    }
}

impl<F: Real> AdamState<F> {
    pub(super) fn new(n: usize) -> Self {
        AdamState {
            exp_avg: vec![F::zero(); n],
            exp_avg_sq: vec![F::zero(); n],
            max_exp_avg_sq: vec![F::zero(); n],
        }
    }
}

/// Step `t` (from 1) of Adam, or of AdamW when `cfg.kind` is [`OptimizerKind::Adamw`].
pub(super) fn step<F: Real>(
    cfg: &OptimizerConfig,
    t: u64,
    p: &mut [F],
    g: &[F],
    st: &mut AdamState<F>,
) {
    let decoupled = cfg.kind == OptimizerKind::Adamw;
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
    // One pass over the tensor, written as zipped slices without branches on the element
    // (the options are the same for every element) so that the compiler vectorizes it;
    // every element's arithmetic is the scalar recurrence's, in its order.
    let n = p.len();
    let (p, g) = (&mut p[..n], &g[..n]);
    let (ms, vs) = (&mut st.exp_avg[..n], &mut st.exp_avg_sq[..n]);
    let maxes = &mut st.max_exp_avg_sq[..n];
    crate::nn::simd::vectorized!({
        let moments = |p: &mut F, g: F, m: &mut F, v: &mut F| {
            if decoupled {
                *p *= shrink;
            }
            let d = z.linear(decayed(g, *p, wd));
            *m = z.linear(lerp(*m, d, w1));
            *v = z.linear(*v * b2f + w2 * z.square(d));
        };
        let update = |p: &mut F, m: F, v: F| {
            let denom = v.sqrt() / bc2_sqrt + eps;
            *p = z.parameter(*p + (-step_size) * (m / denom));
        };
        if cfg.amsgrad {
            for ((((p, &g), m), v), max) in p.iter_mut().zip(g).zip(ms).zip(vs).zip(maxes) {
                moments(p, g, m, v);
                *max = (*max).max(*v);
                update(p, *m, *max);
            }
        } else {
            for (((p, &g), m), v) in p.iter_mut().zip(g).zip(ms).zip(vs) {
                moments(p, g, m, v);
                update(p, *m, *v);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::testing::{close, five_steps, one_step};
    use super::super::{OptimizerConfig, OptimizerKind};

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
            &five_steps(OptimizerConfig {
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
            &five_steps(OptimizerConfig {
                lr,
                weight_decay: wd,
                ..OptimizerKind::Adamw.defaults()
            }),
            &want,
        );
    }
}
