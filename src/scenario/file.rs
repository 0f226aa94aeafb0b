//! The scenario file as written: every key optional, unknown keys rejected. `super::check`
//! turns it into a checked [`super::Scenario`]; `super::Scenario::to_file` writes it back.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<DataFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub optimizer: Option<OptimizerFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub train: Option<TrainFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub surface: Option<SurfaceFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub racers: Option<Vec<RacerFile>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runs: Option<Vec<RunFile>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lorenz: Option<LorenzFile>,
}

/// The animated-graphs chapter: the Lorenz system from several starts.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LorenzFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sigma: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rho: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beta: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dt: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starts: Option<Vec<[f64; 3]>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps: Option<i64>,
}

/// One of several runs trained side by side on the same data: its name, and what it changes
/// from the scenario's own `[model]`, `[optimizer]` and batch size.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RunFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub optimizer: Option<OptimizerFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batch_size: Option<i64>,
}

/// `over`'s keys where it has them, `base`'s elsewhere.
macro_rules! merge_fields {
    ($base:expr, $over:expr, $($f:ident),*) => {{
        let (b, o) = ($base, $over);
        Self { $($f: o.$f.clone().or_else(|| b.$f.clone())),* }
    }};
}

impl ModelFile {
    pub fn merged(base: &ModelFile, over: &ModelFile) -> ModelFile {
        merge_fields!(
            base,
            over,
            hidden,
            activation,
            leaky_slope,
            output,
            loss,
            init,
            regularization,
            regularization_rate,
            dropout
        )
    }
}

impl OptimizerFile {
    /// A run's optimizer: keys merge when the kind stays; a new kind starts from its own keys
    /// only (the base's options may not apply to it).
    pub fn merged(base: &OptimizerFile, over: &OptimizerFile) -> OptimizerFile {
        if over.kind.is_some() && over.kind != base.kind {
            return over.clone();
        }
        merge_fields!(
            base,
            over,
            name,
            kind,
            lr,
            momentum,
            dampening,
            nesterov,
            weight_decay,
            lr_decay,
            initial_accumulator_value,
            eps,
            alpha,
            centered,
            betas,
            amsgrad
        )
    }
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DataFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub samples: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub noise: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub factor: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub centers: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster_std: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shift: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test_ratio: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub random_state: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split_random_state: Option<i64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hidden: Option<Vec<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leaky_slope: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loss: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub init: Option<InitFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regularization: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regularization_rate: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dropout: Option<f64>,
}

/// `init = "xavier"` or `init = { kind = "normal", scale = 0.1 }`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(untagged)]
pub enum InitFile {
    Name(String),
    Table(InitTable),
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InitTable {
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale: Option<f64>,
}

/// An optimizer by PyTorch's names. Shared by `[optimizer]` and each `[[racers]]`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OptimizerFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lr: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub momentum: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dampening: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nesterov: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight_decay: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lr_decay: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initial_accumulator_value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eps: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alpha: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub centered: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub betas: Option<[f64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amsgrad: Option<bool>,
}

pub type RacerFile = OptimizerFile;

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TrainFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub epochs: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batch_size: Option<i64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SurfaceFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<[f64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x_range: Option<[f64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub y_range: Option<[f64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub samples: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub noise: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub truth: Option<[f64; 2]>,
}
