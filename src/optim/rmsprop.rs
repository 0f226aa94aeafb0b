//! RMSprop: steps scaled by a running root-mean-square of the gradients, optionally centered
//! and with momentum (`torch.optim.RMSprop`).

use super::flush::Negligible;
use super::{OptimizerConfig, decayed, lerp};
use crate::real::Real;

/// RMSprop's state for one tensor.
#[derive(Clone, Debug)]
pub(super) struct RmspropState<F> {
    /// The running average of squared gradients.
    square_avg: Vec<F>,
    /// The momentum buffer (used when `momentum` > 0).
    momentum_buffer: Vec<F>,
    /// The running average of gradients (used when `centered`).
    grad_avg: Vec<F>,
}

impl<F: Real> RmspropState<F> {
    pub(super) fn new(n: usize) -> Self {
        RmspropState {
            square_avg: vec![F::zero(); n],
            momentum_buffer: vec![F::zero(); n],
            grad_avg: vec![F::zero(); n],
        }
    }
}

pub(super) fn step<F: Real>(cfg: &OptimizerConfig, p: &mut [F], g: &[F], st: &mut RmspropState<F>) {
    let (lr, wd, eps) = (F::c(cfg.lr), F::c(cfg.weight_decay), F::c(cfg.eps));
    let alpha = F::c(cfg.alpha);
    let one_m_alpha = F::c(1.0 - cfg.alpha);
    let mom = F::c(cfg.momentum);
    let z = Negligible::<F>::new();
    for i in 0..p.len() {
        let d = z.linear(decayed(g[i], p[i], wd));
        let sq = &mut st.square_avg[i];
        *sq = z.linear(*sq * alpha + one_m_alpha * z.square(d));
        let avg = if cfg.centered {
            let ga = &mut st.grad_avg[i];
            *ga = z.linear(lerp(*ga, d, one_m_alpha));
            (*sq + (-F::one()) * (*ga * *ga)).sqrt() + eps
        } else {
            sq.sqrt() + eps
        };
        if cfg.momentum > 0.0 {
            let buf = &mut st.momentum_buffer[i];
            *buf = z.linear(*buf * mom + d / avg);
            p[i] = z.parameter(p[i] + (-lr) * *buf);
        } else {
            p[i] = z.parameter(p[i] + (-lr) * (d / avg));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{close, five_steps};
    use super::super::{OptimizerConfig, OptimizerKind};

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
            &five_steps(OptimizerConfig {
                lr,
                alpha,
                momentum: mu,
                centered: true,
                ..OptimizerKind::Rmsprop.defaults()
            }),
            &want,
        );
    }
}
