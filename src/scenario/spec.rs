//! The checked scenario: the values a scenario file becomes once every rule is checked
//! (`check.rs`), which everything downstream may trust.

use crate::data::DataSpec;
use crate::nn::{Activation, Feature, Init, Loss, Output, Penalty};
use crate::optim::OptimizerConfig;
use crate::surface::{SurfaceParams, View};

/// A checked scenario: everything downstream may trust these values.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub title: String,
    pub seed: u64,
    pub notes: String,
    pub body: Body,
    /// How the live view opens (`[view]`).
    pub view: ViewSpec,
}

/// How the live view opens, checked (`[view]`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ViewSpec {
    /// Runs side by side: the layer (0-based) whose weight matrix each run shows in place of
    /// its boundary (`weights_layer`, 1-based in the file; `N` steps through them).
    pub weights_layer: Option<usize>,
    /// A race opens on its surface in 3-D rather than on the contour map (`surface = "3d"`;
    /// `v` switches).
    pub surface_3d: bool,
}

// A scenario is made a few times a session, never in a loop: the classifier's size (its CSV
// columns, schedule, stopping rules) costs nothing worth a box and its churn.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    Classifier(Classifier),
    Race(Race),
    /// Several classifiers trained side by side on the same data, each named.
    Compare(Vec<(String, Classifier)>),
    /// The Lorenz attractor from several starts.
    Lorenz(LorenzSpec),
    /// Exponentially weighted averages over a noisy series.
    Averages(AveragesSpec),
}

/// The moving-averages chapter, checked: a noisy series of `points` from the scenario's seed
/// and the averages' weights β, each drawn growing point by point.
#[derive(Clone, Debug, PartialEq)]
pub struct AveragesSpec {
    pub points: usize,
    pub noise: f64,
    /// 1 to 6 weights, each above 0 and below 1.
    pub betas: Vec<f64>,
    /// The view opens with Adam's bias correction v_t / (1 − β^t) (`c` toggles it).
    pub bias_correction: bool,
}

/// The animated-graphs chapter, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct LorenzSpec {
    pub system: crate::dynamics::Lorenz,
    pub dt: f64,
    pub starts: Vec<[f64; 3]>,
    /// Steps the view runs before it pauses; `nnbook trace` prints this many.
    pub steps: usize,
}

/// A network trained on 2-D data.
#[derive(Clone, Debug, PartialEq)]
pub struct Classifier {
    pub data: DataSpec,
    pub model: ModelSpec,
    pub optimizer: OptimizerConfig,
    pub train: TrainSpec,
}

/// The network's shape and functions. `output` and `loss` of `None` are chosen from the
/// number of classes when the data is made (sigmoid/bce for two, softmax/cce for more).
#[derive(Clone, Debug, PartialEq)]
pub struct ModelSpec {
    /// The network's inputs, computed from the raw coordinates (default `x1, x2`).
    pub features: Vec<Feature>,
    pub hidden: Vec<usize>,
    /// Never empty: hidden layer `l` uses the `l`-th, or the last when the list is shorter
    /// (one entry is one activation for every layer).
    pub activations: Vec<Activation>,
    pub output: Option<Output>,
    pub loss: Option<Loss>,
    pub init: Init,
    pub penalty: Penalty,
    pub penalty_rate: f64,
    /// The layers (0-based, 0 the first hidden layer's incoming weights) the penalty applies
    /// to (`[model] regularized_layers`, 1-based in the file); empty: every layer.
    pub penalized: Vec<usize>,
    pub dropout: f64,
}

impl Default for ModelSpec {
    fn default() -> Self {
        ModelSpec {
            features: Feature::plain(),
            hidden: vec![8, 8],
            activations: vec![Activation::Tanh],
            output: None,
            loss: None,
            init: Init::Xavier,
            penalty: Penalty::None,
            penalty_rate: 0.0,
            penalized: Vec::new(),
            dropout: 0.0,
        }
    }
}

impl ModelSpec {
    /// The activation of hidden layer `l`.
    pub fn activation(&self, l: usize) -> Activation {
        self.activations
            .get(l)
            .or(self.activations.last())
            .copied()
            .unwrap_or(Activation::Tanh)
    }

    /// One activation per hidden layer.
    pub fn layer_activations(&self) -> Vec<Activation> {
        (0..self.hidden.len()).map(|l| self.activation(l)).collect()
    }

    /// Whether every hidden layer has the same activation.
    pub fn uniform_activation(&self) -> bool {
        let acts = self.layer_activations();
        acts.windows(2).all(|w| w[0] == w[1])
    }

    /// Every hidden layer set to `a`.
    pub fn set_activation(&mut self, a: Activation) {
        self.activations = vec![a];
    }

    /// Hidden layer `l` set to `a`, the others kept.
    pub fn set_layer_activation(&mut self, l: usize, a: Activation) {
        let mut acts = self.layer_activations();
        if let Some(x) = acts.get_mut(l) {
            *x = a;
        }
        if acts.is_empty() {
            acts.push(a);
        }
        self.activations = acts;
    }

    /// The output and loss for `classes` classes (or a regression), defaults filled in: a
    /// regression's is Playground's, a linear unit with the squared error.
    pub fn head(&self, task: crate::data::Task, classes: usize) -> (Output, Loss) {
        let output = self
            .output
            .unwrap_or(if task == crate::data::Task::Regression {
                Output::Linear
            } else if classes > 2 {
                Output::Softmax
            } else {
                Output::Sigmoid
            });
        let loss = self.loss.unwrap_or(match output {
            Output::Sigmoid => Loss::Bce,
            Output::Softmax => Loss::Cce,
            Output::Tanh | Output::Linear => Loss::Mse,
        });
        (output, loss)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct TrainSpec {
    pub epochs: usize,
    /// 0 means full batch.
    pub batch_size: usize,
    /// Epochs a second the live view opens at (none: paced by the chapter's length).
    pub speed: Option<f64>,
    /// Stop when the test loss has not improved for a while (`[train] early_stopping`).
    pub early_stopping: Option<EarlyStopping>,
    /// Stop once an epoch's train loss is at or below this (`[train] stop_at_loss`).
    pub stop_at_loss: Option<f64>,
    /// The live view's charts open smoothed (`[train] smoothing`, an exponential moving
    /// average's weight 0 to 0.999, or `[train] moving_average`, a trailing mean over that
    /// many epochs; none: raw series).
    pub smoothing: Option<Smoothing>,
}

impl Default for TrainSpec {
    fn default() -> Self {
        TrainSpec {
            epochs: 1000,
            batch_size: 0,
            speed: None,
            early_stopping: None,
            stop_at_loss: None,
            smoothing: None,
        }
    }
}

/// How the charts smooth a series: TensorBoard's exponential moving average with a weight, or
/// the notebooks' trailing moving average over the last `n` epochs (`[train] smoothing` /
/// `[train] moving_average`; `s` steps through them in the live view).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Smoothing {
    Ema(f64),
    Trailing(usize),
}

impl Smoothing {
    /// As a chart's caption says it: "smoothed 0.9", "10-epoch mean".
    pub fn label(&self) -> String {
        match *self {
            Smoothing::Ema(w) => format!("smoothed {w}"),
            Smoothing::Trailing(n) => format!("{n}-epoch mean"),
        }
    }
}

/// Keras' `EarlyStopping(monitor="val_loss", patience, min_delta, restore_best_weights)`:
/// an epoch improves when its test loss is below the best so far by more than `min_delta`;
/// after `patience` epochs in a row without one the run stops, and with `restore_best` the
/// weights go back to those of the best epoch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EarlyStopping {
    pub patience: usize,
    pub min_delta: f64,
    pub restore_best: bool,
}

/// Optimizers racing over a 2-D surface.
#[derive(Clone, Debug, PartialEq)]
pub struct Race {
    pub surface: SurfaceParams,
    pub start: [f64; 2],
    pub view: View,
    pub steps: usize,
    pub racers: Vec<Racer>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Racer {
    pub name: String,
    pub optimizer: OptimizerConfig,
}
