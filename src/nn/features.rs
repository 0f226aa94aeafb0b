//! TensorFlow Playground's input features: functions of the raw coordinates (x1, x2) that the
//! network takes as its inputs, so that a circle needs no hidden layer once x1² and x2² are
//! in. The field and every thumbnail stay over the raw plane; only the network's first layer
//! sees the features.

use crate::real::Real;
use ndarray::Array2;

/// One input feature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Feature {
    X1,
    X2,
    X1Squared,
    X2Squared,
    X1TimesX2,
    SinX1,
    SinX2,
}

impl Feature {
    /// Every feature, in Playground's order.
    pub const ALL: [Feature; 7] = [
        Feature::X1,
        Feature::X2,
        Feature::X1Squared,
        Feature::X2Squared,
        Feature::X1TimesX2,
        Feature::SinX1,
        Feature::SinX2,
    ];

    /// The name a scenario writes: `"x1^2"`.
    pub fn name(self) -> &'static str {
        match self {
            Feature::X1 => "x1",
            Feature::X2 => "x2",
            Feature::X1Squared => "x1^2",
            Feature::X2Squared => "x2^2",
            Feature::X1TimesX2 => "x1*x2",
            Feature::SinX1 => "sin(x1)",
            Feature::SinX2 => "sin(x2)",
        }
    }

    /// The name as the screen shows it: `x1²`.
    pub fn label(self) -> &'static str {
        match self {
            Feature::X1 => "x1",
            Feature::X2 => "x2",
            Feature::X1Squared => "x1²",
            Feature::X2Squared => "x2²",
            Feature::X1TimesX2 => "x1·x2",
            Feature::SinX1 => "sin x1",
            Feature::SinX2 => "sin x2",
        }
    }

    /// The feature's value at the point (x1, x2).
    #[inline]
    pub fn value<F: Real>(self, x1: F, x2: F) -> F {
        match self {
            Feature::X1 => x1,
            Feature::X2 => x2,
            Feature::X1Squared => x1 * x1,
            Feature::X2Squared => x2 * x2,
            Feature::X1TimesX2 => x1 * x2,
            Feature::SinX1 => x1.sin(),
            Feature::SinX2 => x2.sin(),
        }
    }

    /// (∂/∂x1, ∂/∂x2) of the feature at (x1, x2).
    pub fn gradient(self, x1: f64, x2: f64) -> [f64; 2] {
        match self {
            Feature::X1 => [1.0, 0.0],
            Feature::X2 => [0.0, 1.0],
            Feature::X1Squared => [2.0 * x1, 0.0],
            Feature::X2Squared => [0.0, 2.0 * x2],
            Feature::X1TimesX2 => [x2, x1],
            Feature::SinX1 => [x1.cos(), 0.0],
            Feature::SinX2 => [0.0, x2.cos()],
        }
    }

    /// The default inputs: the coordinates themselves.
    pub fn plain() -> Vec<Feature> {
        vec![Feature::X1, Feature::X2]
    }
}

/// The network's inputs for raw points: one row per point, one column per feature.
pub fn expand<F: Real>(features: &[Feature], points: &[[f64; 2]]) -> Array2<F> {
    Array2::from_shape_fn((points.len(), features.len()), |(i, j)| {
        F::c(features[j].value(points[i][0], points[i][1]))
    })
}

/// `x1, x2` written as the scenario writes them: `["x1", "x2"]` → `x1, x2`.
pub fn names(features: &[Feature]) -> String {
    features
        .iter()
        .map(|f| f.name())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_the_functions_named() {
        let (a, b) = (0.7f64, -1.3f64);
        let want = [a, b, a * a, b * b, a * b, a.sin(), b.sin()];
        for (f, w) in Feature::ALL.iter().zip(want) {
            assert_eq!(f.value(a, b), w, "{}", f.name());
        }
    }

    #[test]
    fn gradients_match_finite_differences() {
        let h = 1e-6;
        for f in Feature::ALL {
            for &(a, b) in &[(0.7, -1.3), (-2.1, 0.4), (3.0, 5.5), (0.0, 0.0)] {
                let g = f.gradient(a, b);
                let d1 = (f.value(a + h, b) - f.value(a - h, b)) / (2.0 * h);
                let d2 = (f.value(a, b + h) - f.value(a, b - h)) / (2.0 * h);
                assert!((g[0] - d1).abs() < 1e-7, "{} ∂x1 at ({a}, {b})", f.name());
                assert!((g[1] - d2).abs() < 1e-7, "{} ∂x2 at ({a}, {b})", f.name());
            }
        }
    }

    #[test]
    fn expand_gives_one_column_per_feature() {
        let fs = [Feature::X1Squared, Feature::SinX2, Feature::X1TimesX2];
        let x: Array2<f64> = expand(&fs, &[[2.0, 0.5], [-1.0, 3.0]]);
        assert_eq!(x.dim(), (2, 3));
        assert_eq!(x[[0, 0]], 4.0);
        assert_eq!(x[[1, 1]], 3.0f64.sin());
        assert_eq!(x[[1, 2]], -3.0);
    }
}
