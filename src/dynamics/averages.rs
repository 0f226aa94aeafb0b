//! Exponentially weighted averages, the optimizers notebook's way into momentum and Adam:
//! v_t = β·v_{t−1} + (1 − β)·x_t from v_0 = 0, over a noisy series, and Adam's bias
//! correction v_t / (1 − β^t), which undoes the pull towards the zero start.

use crate::SeedRng;
use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};

/// A noisy series of `n` points from `seed`: a slow random walk (steps drawn N(0, 0.15²))
/// read with N(0, noise²) noise, so there is a signal under the noise for the averages to find.
pub fn noisy_walk(n: usize, noise: f64, seed: u64) -> Vec<f64> {
    let mut rng = SeedRng::seed_from_u64(seed);
    let mut level = 0.0f64;
    (0..n)
        .map(|_| {
            let step: f64 = StandardNormal.sample(&mut rng);
            let jitter: f64 = StandardNormal.sample(&mut rng);
            level += 0.15 * step;
            level + noise * jitter
        })
        .collect()
}

/// The exponentially weighted average of `xs` with weight `beta`, point by point: `out[t-1]`
/// is v_t. With `corrected`, each v_t is divided by 1 − β^t (Adam's bias correction).
pub fn ewa(xs: &[f64], beta: f64, corrected: bool) -> Vec<f64> {
    let mut v = 0.0f64;
    let mut power = 1.0f64;
    xs.iter()
        .map(|&x| {
            v = beta * v + (1.0 - beta) * x;
            power *= beta;
            if corrected && power < 1.0 {
                v / (1.0 - power)
            } else {
                v
            }
        })
        .collect()
}

/// How many points an average with weight `beta` roughly spans: 1 / (1 − β) (β 0.9: 10).
pub fn span(beta: f64) -> f64 {
    1.0 / (1.0 - beta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_average_follows_its_recurrence_and_the_correction_removes_the_zero_start() {
        let xs = [2.0, 4.0, 4.0];
        // v1 = 0.1·2 = 0.2; v2 = 0.9·0.2 + 0.1·4 = 0.58; v3 = 0.522 + 0.4 = 0.922.
        let v = ewa(&xs, 0.9, false);
        for (a, b) in v.iter().zip([0.2, 0.58, 0.922]) {
            assert!((a - b).abs() < 1e-12, "{v:?}");
        }
        // Corrected: 0.2/0.1 = 2 (the first value itself), 0.58/0.19, 0.922/0.271.
        let c = ewa(&xs, 0.9, true);
        assert!((c[0] - 2.0).abs() < 1e-12);
        assert!((c[1] - 0.58 / 0.19).abs() < 1e-12);
        assert!((c[2] - 0.922 / 0.271).abs() < 1e-12);
        // A constant series: corrected it is the constant from the first point; uncorrected it
        // starts near 0 and climbs towards it.
        let flat = [5.0; 50];
        assert!(
            ewa(&flat, 0.98, true)
                .iter()
                .all(|v| (v - 5.0).abs() < 1e-9)
        );
        let u = ewa(&flat, 0.98, false);
        assert!(
            u[0] < 0.2 && u[49] > 3.0 && u[49] < 5.0,
            "{} {}",
            u[0],
            u[49]
        );
    }

    #[test]
    fn larger_beta_is_smoother_and_the_walk_is_reproducible() {
        let xs = noisy_walk(300, 1.0, 7);
        assert_eq!(xs, noisy_walk(300, 1.0, 7));
        assert_ne!(xs, noisy_walk(300, 1.0, 8));
        // Roughness: the mean squared step from one point to the next.
        let rough = |v: &[f64]| v.windows(2).map(|w| (w[1] - w[0]).powi(2)).sum::<f64>();
        let r: Vec<f64> = [0.8, 0.9, 0.95, 0.98]
            .iter()
            .map(|&b| rough(&ewa(&xs, b, true)[20..]))
            .collect();
        assert!(rough(&xs[20..]) > r[0], "{r:?}");
        assert!(r.windows(2).all(|w| w[1] < w[0]), "{r:?}");
        assert_eq!(span(0.9).round(), 10.0);
    }
}
