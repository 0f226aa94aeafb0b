//! Flush-to-zero in software: what a CPU in flush-to-zero mode (torch's
//! `set_flush_denormal(True)`) would do to the optimizers' arithmetic.
//!
//! Quantities that decay geometrically to zero (a dead unit's moments, a weight only its L2
//! penalty pulls on) would otherwise spend thousands of steps as subnormals, where x86
//! arithmetic is about a hundred times slower, and a tiny gradient's square underflows into
//! that range on the way.

use crate::real::Real;

/// Flush-to-zero for one float type.
#[derive(Clone, Copy)]
pub(super) struct Negligible<F> {
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
    pub(super) fn new() -> Self {
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
    pub(super) fn linear(self, v: F) -> F {
        if v.abs() < self.normal { F::zero() } else { v }
    }

    /// A parameter, or zero if negligible.
    #[inline]
    pub(super) fn parameter(self, v: F) -> F {
        if v.abs() < self.parameter {
            F::zero()
        } else {
            v
        }
    }

    /// `d·d`, or zero if it would underflow (or nearly, once scaled).
    #[inline]
    pub(super) fn square(self, d: F) -> F {
        if d.abs() < self.square_root {
            F::zero()
        } else {
            d * d
        }
    }
}

/// Flushing seen through Adam, where it matters most: its second moment decays slowest.
#[cfg(test)]
mod tests {
    use super::super::adam::{self, AdamState};
    use super::super::{OptimizerConfig, OptimizerKind};

    /// Adam at learning rate 0.001 on f32, PyTorch's defaults otherwise, on one parameter:
    /// `step(p, g)` takes one step and returns the moments.
    struct OneWeight {
        config: OptimizerConfig,
        state: AdamState<f32>,
        t: u64,
    }

    impl OneWeight {
        fn new() -> Self {
            OneWeight {
                config: OptimizerConfig {
                    kind: OptimizerKind::Adam,
                    lr: 0.001,
                    ..OptimizerConfig::default()
                },
                state: AdamState::new(1),
                t: 0,
            }
        }

        fn step(&mut self, p: &mut f32, g: f32) -> (f32, f32) {
            self.t += 1;
            let p = std::slice::from_mut(p);
            adam::step(&self.config, self.t, p, &[g], &mut self.state);
            let (m, v) = (self.state.exp_avg[0], self.state.exp_avg_sq[0]);
            assert!(m == 0.0 || m.is_normal(), "first moment {m:e} is subnormal");
            assert!(
                v == 0.0 || v.is_normal(),
                "second moment {v:e} is subnormal"
            );
            (m, v)
        }
    }

    #[test]
    fn decayed_moments_flush_to_zero_instead_of_lingering_subnormal() {
        // One gradient, then none: Adam's first moment decays by 0.9 a step and would sit in
        // f32's subnormal range (below 1.2e-38) for about 150 steps, the second by 0.999 for
        // about 16 000.
        let mut opt = OneWeight::new();
        let mut p = 0.5f32;
        opt.step(&mut p, 1.0);
        let mut lowest_m = f32::MAX;
        for _ in 0..2000 {
            let (m, _) = opt.step(&mut p, 0.0);
            lowest_m = lowest_m.min(m);
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
        assert!((f64::from(p) - q).abs() < 1e-6, "{p} vs {q}");
    }

    #[test]
    fn a_weight_only_its_penalty_pulls_on_reaches_zero_without_subnormals() {
        // Adam on the gradient of 0.01·w² alone: the weight shrinks geometrically once its
        // second moment remembers larger values, and is set to zero below 1.1e-16.
        let mut opt = OneWeight::new();
        let mut p = 0.05f32;
        let mut steps = 0;
        while p != 0.0 && steps < 200_000 {
            let g = 0.02 * p;
            opt.step(&mut p, g);
            assert!(p == 0.0 || p.abs() >= 1.1e-16, "weight {p:e}");
            steps += 1;
        }
        assert_eq!(p, 0.0, "still {p:e} after {steps} steps");
    }
}
