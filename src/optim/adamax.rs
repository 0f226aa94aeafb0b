//! Adamax: Adam with the infinity norm in place of the second moment (`torch.optim.Adamax`).

use super::flush::Negligible;
use super::{OptimizerConfig, decayed, lerp};
use crate::real::Real;

/// Adamax's state for one tensor.
#[derive(Clone, Debug)]
pub(super) struct AdamaxState<F> {
    /// The first moment: the running average of gradients.
    exp_avg: Vec<F>,
    /// The exponentially weighted infinity norm of the gradients.
    exp_inf: Vec<F>,
}

impl<F: Real> AdamaxState<F> {
    pub(super) fn new(n: usize) -> Self {
        AdamaxState {
            exp_avg: vec![F::zero(); n],
            exp_inf: vec![F::zero(); n],
        }
    }
}

/// Step `t` (from 1).
pub(super) fn step<F: Real>(
    cfg: &OptimizerConfig,
    t: u64,
    p: &mut [F],
    g: &[F],
    st: &mut AdamaxState<F>,
) {
    let (b1, b2) = cfg.betas;
    let (wd, eps) = (F::c(cfg.weight_decay), F::c(cfg.eps));
    let clr = F::c(cfg.lr / (1.0 - b1.powf(t as f64)));
    let (w1, b2f) = (F::c(1.0 - b1), F::c(b2));
    let z = Negligible::<F>::new();
    for i in 0..p.len() {
        let d = z.linear(decayed(g[i], p[i], wd));
        let m = &mut st.exp_avg[i];
        *m = z.linear(lerp(*m, d, w1));
        let u = &mut st.exp_inf[i];
        *u = (*u * b2f).max(d.abs() + eps);
        p[i] = z.parameter(p[i] + (-clr) * (*m / *u));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{close, five_steps};
    use super::super::{OptimizerConfig, OptimizerKind};

    #[test]
    fn adamax_with_weight_decay() {
        let (lr, b1, b2, eps, wd) = (0.1, 0.9, 0.999, 1e-8, 0.01);
        let (mut p, mut m, mut u, mut want) = (1.0f64, 0.0, 0.0f64, vec![]);
        for t in 1..=5 {
            let g = 2.0 * p - 3.0 + wd * p;
            m = b1 * m + (1.0 - b1) * g;
            u = (b2 * u).max(g.abs() + eps);
            p -= lr / (1.0 - b1.powi(t)) * m / u;
            want.push(p);
        }
        close(
            &five_steps(OptimizerConfig {
                lr,
                weight_decay: wd,
                ..OptimizerKind::Adamax.defaults()
            }),
            &want,
        );
    }
}
