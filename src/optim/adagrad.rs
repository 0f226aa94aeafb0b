//! Adagrad: steps scaled by the root of each parameter's summed squared gradients, with a
//! decaying learning rate (`torch.optim.Adagrad`).

use super::flush::Negligible;
use super::{OptimizerConfig, decayed};
use crate::real::Real;

/// Adagrad's state for one tensor.
#[derive(Clone, Debug)]
pub(super) struct AdagradState<F> {
    /// The running sum of squared gradients, from `initial_accumulator_value`.
    sum: Vec<F>,
}

impl<F: Real> AdagradState<F> {
    pub(super) fn new(n: usize, initial_accumulator_value: f64) -> Self {
        AdagradState {
            sum: vec![F::c(initial_accumulator_value); n],
        }
    }
}

/// Step `t` (from 1).
pub(super) fn step<F: Real>(
    cfg: &OptimizerConfig,
    t: u64,
    p: &mut [F],
    g: &[F],
    st: &mut AdagradState<F>,
) {
    let wd = F::c(cfg.weight_decay);
    let clr = F::c(cfg.lr / (1.0 + (t - 1) as f64 * cfg.lr_decay));
    let eps = F::c(cfg.eps);
    let z = Negligible::<F>::new();
    for i in 0..p.len() {
        let d = z.linear(decayed(g[i], p[i], wd));
        st.sum[i] += z.square(d);
        let std = st.sum[i].sqrt() + eps;
        p[i] = z.parameter(p[i] + (-clr) * (d / std));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{close, five_steps};
    use super::super::{OptimizerConfig, OptimizerKind};

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
            &five_steps(OptimizerConfig {
                lr,
                lr_decay: decay,
                initial_accumulator_value: init,
                ..OptimizerKind::Adagrad.defaults()
            }),
            &want,
        );
    }
}
