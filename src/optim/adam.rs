//! Adam and AdamW, each with the AMSGrad variant: steps from bias-corrected running averages
//! of the gradient and of its square (`torch.optim.Adam`, `torch.optim.AdamW`).

use super::flush::Negligible;
use super::{OptimizerConfig, OptimizerKind, decayed, lerp};
use crate::real::Real;

/// Adam's (and AdamW's) state for one tensor.
#[derive(Clone, Debug)]
pub(super) struct AdamState<F> {
    /// The first moment: the running average of gradients.
    pub(super) exp_avg: Vec<F>,
    /// The second moment: the running average of squared gradients.
    pub(super) exp_avg_sq: Vec<F>,
    /// The largest second moment so far (used with `amsgrad`).
    max_exp_avg_sq: Vec<F>,
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
    for i in 0..p.len() {
        if decoupled {
            p[i] *= shrink;
        }
        let d = z.linear(decayed(g[i], p[i], wd));
        let m = &mut st.exp_avg[i];
        *m = z.linear(lerp(*m, d, w1));
        let v = &mut st.exp_avg_sq[i];
        *v = z.linear(*v * b2f + w2 * z.square(d));
        let v = if cfg.amsgrad {
            let max = &mut st.max_exp_avg_sq[i];
            *max = (*max).max(*v);
            *max
        } else {
            *v
        };
        let denom = v.sqrt() / bc2_sqrt + eps;
        p[i] = z.parameter(p[i] + (-step_size) * (*m / denom));
    }
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
