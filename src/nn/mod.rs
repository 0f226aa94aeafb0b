//! Fully connected networks on ndarray: layers, activations, losses, initializers,
//! regularization and dropout, with forward and backward passes written out by hand.
//!
//! Shapes are batch-major: a batch `x` is `(n, inputs)`, a layer computes `z = a·W + b` with
//! `W` of shape `(inputs, outputs)`. Buffers live in a [`Workspace`] that is reused from step
//! to step, so a training epoch allocates nothing.

mod features;
mod mlp;
pub mod model_file;
pub(crate) mod simd;

pub use features::{Feature, expand as expand_features, names as feature_names};
pub use mlp::{Dense, Mlp, SPLIT_ROWS, Share, Targets, Workspace, r2};
pub use model_file::ModelFile;

use crate::real::Real;
use serde::{Deserialize, Serialize};

/// Hidden-layer nonlinearities.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    Sigmoid,
    Tanh,
    Relu,
    /// max(αx, x) with slope α for x < 0.
    LeakyRelu(f64),
    Linear,
}

impl Activation {
    /// Every activation, in the order scenario errors list them; leaky ReLU with slope 0.01.
    pub const ALL: [Activation; 5] = [
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::LeakyRelu(0.01),
        Activation::Linear,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::LeakyRelu(_) => "leaky_relu",
            Activation::Linear => "linear",
        }
    }

    /// The cycle the parameters panel walks through.
    pub fn next(self, forward: bool) -> Activation {
        const ORDER: [Activation; 5] = [
            Activation::Relu,
            Activation::Tanh,
            Activation::Sigmoid,
            Activation::LeakyRelu(0.01),
            Activation::Linear,
        ];
        let i = ORDER
            .iter()
            .position(|a| a.name() == self.name())
            .unwrap_or(0);
        let n = ORDER.len();
        ORDER[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }]
    }

    /// f(z): what every hidden unit of the network computes (in f32, or f64 for gradient
    /// checks), and what the activations figure plots (f64).
    #[inline]
    pub fn apply<F: Real>(self, z: F) -> F {
        match self {
            Activation::Sigmoid => sigmoid(z),
            Activation::Tanh => z.tanh(),
            Activation::Relu => z.max(F::zero()),
            Activation::LeakyRelu(s) => {
                if z > F::zero() {
                    z
                } else {
                    F::c(s) * z
                }
            }
            Activation::Linear => z,
        }
    }

    /// f'(z), as backpropagation uses it; 0 for ReLU at 0, like PyTorch.
    #[inline]
    pub fn derivative<F: Real>(self, z: F) -> F {
        match self {
            Activation::Sigmoid => {
                let s = sigmoid(z);
                s * (F::one() - s)
            }
            Activation::Tanh => {
                let t = z.tanh();
                F::one() - t * t
            }
            Activation::Relu => {
                if z > F::zero() {
                    F::one()
                } else {
                    F::zero()
                }
            }
            Activation::LeakyRelu(s) => {
                if z > F::zero() {
                    F::one()
                } else {
                    F::c(s)
                }
            }
            Activation::Linear => F::one(),
        }
    }
}

/// The output layer's function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Output {
    /// One unit, P(class 1); pairs with `bce` or `mse`.
    Sigmoid,
    /// One unit in (−1, 1), targets ±1 as in Playground; pairs with `mse`.
    Tanh,
    /// One unit, unbounded, targets 0/1; pairs with `mse`.
    Linear,
    /// One unit per class; pairs with `cce` or `mse`.
    Softmax,
}

impl Output {
    pub const ALL: [Output; 4] = [
        Output::Sigmoid,
        Output::Tanh,
        Output::Linear,
        Output::Softmax,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Output::Sigmoid => "sigmoid",
            Output::Tanh => "tanh",
            Output::Linear => "linear",
            Output::Softmax => "softmax",
        }
    }

    /// Output units for a problem with `classes` classes.
    pub fn units(self, classes: usize) -> usize {
        if self == Output::Softmax { classes } else { 1 }
    }
}

/// Training objectives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Loss {
    /// Binary cross-entropy on a sigmoid output, computed from the logit.
    Bce,
    /// Categorical cross-entropy on a softmax output, computed from the logits.
    Cce,
    /// Mean squared error over all outputs (PyTorch's `MSELoss` with `reduction='mean'`).
    Mse,
}

impl Loss {
    pub const ALL: [Loss; 3] = [Loss::Bce, Loss::Cce, Loss::Mse];

    pub fn name(self) -> &'static str {
        match self {
            Loss::Bce => "bce",
            Loss::Cce => "cce",
            Loss::Mse => "mse",
        }
    }

    /// Whether this loss can be used with that output; the error says what would.
    /// A regression fits real values: the squared error, through a one-unit output.
    pub fn check_regression(self, output: Output) -> Result<(), String> {
        if self != Loss::Mse {
            return Err(format!(
                "a regression (real-valued targets) is fitted with loss \"mse\", not \"{}\"",
                self.name()
            ));
        }
        if output == Output::Softmax {
            return Err(
                "a regression has one output: \"linear\" (the default), \"tanh\" or \"sigmoid\", not \"softmax\"".into(),
            );
        }
        Ok(())
    }

    pub fn check_pair(self, output: Output, classes: usize) -> Result<(), String> {
        match (self, output) {
            (Loss::Bce, Output::Sigmoid) | (Loss::Cce, Output::Softmax) | (Loss::Mse, _) => {}
            (Loss::Bce, o) => {
                return Err(format!(
                    "loss \"bce\" needs output \"sigmoid\", not \"{}\"",
                    o.name()
                ));
            }
            (Loss::Cce, o) => {
                return Err(format!(
                    "loss \"cce\" needs output \"softmax\", not \"{}\"",
                    o.name()
                ));
            }
        }
        if classes > 2 && output != Output::Softmax {
            return Err(format!(
                "the data has {classes} classes: use output \"softmax\" with loss \"cce\""
            ));
        }
        Ok(())
    }
}

/// Weight initialization schemes.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Init {
    /// Weights and biases N(0, 1)·scale, as the NumPy chapter draws them.
    Normal { scale: f64 },
    /// Glorot/Xavier uniform U(±√(6/(in+out))), biases 0 (Keras' default).
    Xavier,
    /// He normal N(0, 2/in), biases 0.
    He,
    /// TensorFlow Playground: weights U(−0.5, 0.5), biases 0.1.
    Playground,
}

impl Init {
    pub fn name(self) -> &'static str {
        match self {
            Init::Normal { .. } => "normal",
            Init::Xavier => "xavier",
            Init::He => "he",
            Init::Playground => "playground",
        }
    }
}

/// A weight penalty added to the loss (weights only, not biases, as Keras and Playground do).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Penalty {
    #[default]
    None,
    /// λ·Σ|w|.
    L1,
    /// λ·Σw² (Keras' `l2(λ)`).
    L2,
}

impl Penalty {
    pub const ALL: [Penalty; 3] = [Penalty::None, Penalty::L1, Penalty::L2];

    pub fn name(self) -> &'static str {
        match self {
            Penalty::None => "none",
            Penalty::L1 => "l1",
            Penalty::L2 => "l2",
        }
    }
}

/// The shape and functions of a network, without its weights.
#[derive(Clone, Debug, PartialEq)]
pub struct Architecture {
    /// The inputs the first layer takes: functions of the raw coordinates.
    pub features: Vec<Feature>,
    pub hidden: Vec<usize>,
    pub outputs: usize,
    /// One per hidden layer.
    pub activations: Vec<Activation>,
    pub output: Output,
    pub loss: Loss,
    pub init: Init,
    pub penalty: Penalty,
    pub penalty_rate: f64,
    /// The layers (0 the first hidden layer's incoming weights) the penalty applies to, as a
    /// Keras `kernel_regularizer` on some layers only; empty: every layer.
    pub penalized: Vec<usize>,
    pub dropout: f64,
}

impl Architecture {
    /// Whether layer `l`'s weights carry the penalty.
    pub fn penalizes(&self, l: usize) -> bool {
        self.penalty != Penalty::None && (self.penalized.is_empty() || self.penalized.contains(&l))
    }

    /// Layer widths from input to output, e.g. `[2, 25, 50, 50, 25, 1]`.
    pub fn sizes(&self) -> Vec<usize> {
        let mut s = vec![self.inputs()];
        s.extend(&self.hidden);
        s.push(self.outputs);
        s
    }

    /// Inputs of the first layer: one per feature.
    pub fn inputs(&self) -> usize {
        self.features.len()
    }

    /// The activation of hidden layer `l` (the last one for a layer past the list).
    pub fn activation(&self, l: usize) -> Activation {
        self.activations
            .get(l)
            .or(self.activations.last())
            .copied()
            .unwrap_or(Activation::Linear)
    }

    /// `tanh`, or `tanh, relu` when the hidden layers differ.
    pub fn activation_label(&self) -> String {
        activation_label(&self.activations)
    }

    /// `2-25-50-50-25-1`.
    pub fn shape_label(&self) -> String {
        self.sizes()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("-")
    }
}

/// The confusion matrix of `k` classes: row = true class, column = predicted; each row sums
/// to that class's count.
pub fn confusion(truth: &[usize], predicted: &[usize], k: usize) -> Vec<Vec<usize>> {
    let mut m = vec![vec![0; k]; k];
    for (&t, &p) in truth.iter().zip(predicted) {
        if t < k && p < k {
            m[t][p] += 1;
        }
    }
    m
}

/// `tanh` when every layer has it, else each layer's in order: `tanh, relu`.
pub fn activation_label(acts: &[Activation]) -> String {
    match acts.split_first() {
        None => "no hidden layer".into(),
        Some((a, rest)) if rest.iter().all(|b| b == a) => a.name().into(),
        Some(_) => acts.iter().map(|a| a.name()).collect::<Vec<_>>().join(", "),
    }
}

/// The logistic function, which never overflows: e^(−z) is only taken for z ≥ 0.
#[inline]
pub fn sigmoid<F: Real>(z: F) -> F {
    if z >= F::zero() {
        F::one() / (F::one() + (-z).exp())
    } else {
        let e = z.exp();
        e / (F::one() + e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The functions the network runs (`Mlp::forward` calls `apply`, `Mlp::backward`
    /// `derivative`), here in f64; `mlp.rs` checks whole networks the same way.
    #[test]
    fn activation_derivatives_match_finite_differences() {
        for act in [
            Activation::Sigmoid,
            Activation::Tanh,
            Activation::Relu,
            Activation::LeakyRelu(0.1),
            Activation::Linear,
        ] {
            for z in [-2.3f64, -0.4, 0.3, 1.7] {
                let h = 1e-6;
                let fd = (act.apply(z + h) - act.apply(z - h)) / (2.0 * h);
                assert!((fd - act.derivative(z)).abs() < 1e-8, "{act:?} at {z}");
            }
        }
    }

    #[test]
    fn confusion_rows_sum_to_the_class_counts() {
        let truth = [0, 0, 1, 1, 1, 2, 2, 0];
        let pred = [0, 1, 1, 1, 0, 2, 1, 0];
        let m = confusion(&truth, &pred, 3);
        assert_eq!(m, vec![vec![2, 1, 0], vec![1, 2, 0], vec![0, 1, 1]]);
        for (c, row) in m.iter().enumerate() {
            assert_eq!(
                row.iter().sum::<usize>(),
                truth.iter().filter(|&&t| t == c).count()
            );
        }
    }

    #[test]
    fn sigmoid_is_finite_for_huge_logits() {
        assert_eq!(sigmoid(1e4), 1.0);
        assert_eq!(sigmoid(-1e4), 0.0);
        assert!(sigmoid(-800.0f64).is_finite());
        assert_eq!(sigmoid(1e4f32), 1.0);
        assert_eq!(sigmoid(-1e4f32), 0.0);
        assert!(sigmoid(-100.0f32).is_finite());
    }

    #[test]
    fn loss_output_pairs_are_checked() {
        assert!(Loss::Bce.check_pair(Output::Sigmoid, 2).is_ok());
        assert!(Loss::Mse.check_pair(Output::Tanh, 2).is_ok());
        assert!(Loss::Bce.check_pair(Output::Softmax, 2).is_err());
        let e = Loss::Mse.check_pair(Output::Sigmoid, 3).unwrap_err();
        assert!(e.contains("softmax"), "{e}");
    }
}
