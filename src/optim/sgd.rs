//! Stochastic gradient descent, with momentum, dampening, Nesterov and L2 weight decay
//! (`torch.optim.SGD`).

use super::flush::Negligible;
use super::{OptimizerConfig, decayed};
use crate::real::Real;

/// SGD's state for one tensor.
#[derive(Clone, Debug, Default)]
pub(super) struct SgdState<F> {
    /// The momentum buffer; `None` until the first step with momentum, as in PyTorch, whose
    /// first such step sets it to the gradient.
    momentum_buffer: Option<Vec<F>>,
}

pub(super) fn step<F: Real>(cfg: &OptimizerConfig, p: &mut [F], g: &[F], st: &mut SgdState<F>) {
    let (lr, wd) = (F::c(cfg.lr), F::c(cfg.weight_decay));
    let (mom, damp) = (F::c(cfg.momentum), F::c(cfg.dampening));
    let n = p.len();
    let first = st.momentum_buffer.is_none();
    let mut buffer =
        (cfg.momentum != 0.0).then(|| st.momentum_buffer.get_or_insert_with(|| vec![F::zero(); n]));
    let z = Negligible::<F>::new();
    if buffer.is_none() {
        // Plain descent: one pass over zipped slices, which the compiler vectorizes; the
        // same arithmetic as below.
        crate::nn::simd::vectorized!({
            for (p, &g) in p.iter_mut().zip(g) {
                let d = z.linear(decayed(g, *p, wd));
                *p = z.parameter(*p + (-lr) * d);
            }
        });
        return;
    }
    for i in 0..p.len() {
        let mut d = z.linear(decayed(g[i], p[i], wd));
        if let Some(buffer) = buffer.as_deref_mut() {
            let buf = &mut buffer[i];
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
}

#[cfg(test)]
mod tests {
    use super::super::testing::{close, five_steps, one_step};
    use super::super::{OptimizerConfig, OptimizerKind};

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
            &five_steps(OptimizerConfig {
                lr,
                momentum: mu,
                dampening: tau,
                weight_decay: wd,
                ..OptimizerKind::Sgd.defaults()
            }),
            &want,
        );
    }
}
