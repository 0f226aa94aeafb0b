//! The scenario file as written: every key optional, unknown keys rejected. `check.rs` turns
//! it into a checked [`super::Scenario`]; `write.rs` writes one back.

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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub view: Option<ViewFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub averages: Option<AveragesFile>,
}

/// The moving-averages chapter: exponentially weighted averages over a noisy series.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AveragesFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub noise: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub betas: Option<Vec<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bias_correction: Option<bool>,
}

/// How the live view opens (`[view]`).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ViewFile {
    /// Runs side by side: each run's weight matrix of this layer (1 = the first hidden layer's
    /// incoming weights) in place of its boundary, with its MIN, MAX and MEAN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weights_layer: Option<i64>,
    /// A race's surface drawn as a `"contour"` map (the default) or a `"3d"` surface.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub surface: Option<String>,
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
            features,
            activation,
            leaky_slope,
            output,
            loss,
            init,
            regularization,
            regularization_rate,
            regularized_layers,
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
            amsgrad,
            schedule
        )
    }
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DataFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `csv`: `"classification"` (the default) or `"regression"` (real-valued labels).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
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
    /// `csv`: the two coordinate columns, by header name or 0-based index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x: Option<Vec<ColumnFile>>,
    /// `csv`: the label column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<ColumnFile>,
    /// `csv`: the train/test column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split: Option<ColumnFile>,
    /// `csv`: the delimiter, one character (sniffed when not given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub random_state: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split_random_state: Option<i64>,
    /// `points`: the training points drawn, `[x1, x2, label]` each.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<Vec<Vec<f64>>>,
    /// `points`: the test points drawn.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test_points: Option<Vec<Vec<f64>>>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hidden: Option<Vec<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub features: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activation: Option<ActivationFile>,
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
    /// The layers (1 = the first hidden layer's incoming weights) the penalty applies to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regularized_layers: Option<Vec<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dropout: Option<f64>,
}

/// `activation = "tanh"` for every hidden layer, or `activation = ["tanh", "relu"]`, one per
/// hidden layer.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(untagged)]
pub enum ActivationFile {
    All(String),
    PerLayer(Vec<String>),
}

/// A CSV column: `"petal_length"` or `2`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(untagged)]
pub enum ColumnFile {
    Index(i64),
    Name(String),
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule: Option<ScheduleFile>,
}

pub type RacerFile = OptimizerFile;

/// `schedule = { kind = "step", step_size = 30, gamma = 0.1 }`: a learning-rate schedule by
/// `torch.optim.lr_scheduler`'s names (`T_max` as PyTorch spells it).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step_size: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gamma: Option<f64>,
    #[serde(rename = "T_max", skip_serializing_if = "Option::is_none")]
    pub t_max: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eta_min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_lr: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_lr: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step_size_up: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step_size_down: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TrainFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub epochs: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batch_size: Option<i64>,
    /// Epochs a second the live view trains at when the chapter opens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speed: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub early_stopping: Option<EarlyStoppingFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_at_loss: Option<f64>,
    /// The charts' moving-average weight the live view opens with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smoothing: Option<f64>,
    /// Or a trailing mean over this many epochs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moving_average: Option<i64>,
}

/// `early_stopping = { patience = 20, min_delta = 0.0, restore_best = true }`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EarlyStoppingFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patience: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_delta: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restore_best: Option<bool>,
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

/// Every key a scenario file may hold, dotted (`data.kind`, `racers.lr`, `model.init.scale`),
/// read off the file format itself so the list cannot miss one.
pub fn accepted_keys() -> Vec<String> {
    let opt = OptimizerFile {
        name: Some(String::new()),
        kind: Some(String::new()),
        lr: Some(0.0),
        momentum: Some(0.0),
        dampening: Some(0.0),
        nesterov: Some(false),
        weight_decay: Some(0.0),
        lr_decay: Some(0.0),
        initial_accumulator_value: Some(0.0),
        eps: Some(0.0),
        alpha: Some(0.0),
        centered: Some(false),
        betas: Some([0.0, 0.0]),
        amsgrad: Some(false),
        schedule: Some(ScheduleFile {
            kind: Some(String::new()),
            step_size: Some(0),
            gamma: Some(0.0),
            t_max: Some(0),
            eta_min: Some(0.0),
            base_lr: Some(0.0),
            max_lr: Some(0.0),
            step_size_up: Some(0),
            step_size_down: Some(0),
            mode: Some(String::new()),
        }),
    };
    let full = ScenarioFile {
        title: Some(String::new()),
        seed: Some(0),
        notes: Some(String::new()),
        data: Some(DataFile {
            kind: Some(String::new()),
            task: Some(String::new()),
            points: Some(Vec::new()),
            test_points: Some(Vec::new()),
            samples: Some(0),
            noise: Some(0.0),
            factor: Some(0.0),
            centers: Some(0),
            cluster_std: Some(0.0),
            shift: Some(0.0),
            test_ratio: Some(0.0),
            path: Some(String::new()),
            x: Some(vec![]),
            label: Some(ColumnFile::Index(0)),
            split: Some(ColumnFile::Index(0)),
            delimiter: Some(String::new()),
            random_state: Some(0),
            split_random_state: Some(0),
        }),
        model: Some(ModelFile {
            hidden: Some(vec![]),
            features: Some(vec![]),
            activation: Some(ActivationFile::All(String::new())),
            leaky_slope: Some(0.0),
            output: Some(String::new()),
            loss: Some(String::new()),
            init: Some(InitFile::Table(InitTable {
                kind: String::new(),
                scale: Some(0.0),
            })),
            regularization: Some(String::new()),
            regularization_rate: Some(0.0),
            regularized_layers: Some(vec![]),
            dropout: Some(0.0),
        }),
        optimizer: Some(opt.clone()),
        train: Some(TrainFile {
            epochs: Some(0),
            batch_size: Some(0),
            speed: Some(0.0),
            early_stopping: Some(EarlyStoppingFile {
                patience: Some(0),
                min_delta: Some(0.0),
                restore_best: Some(false),
            }),
            stop_at_loss: Some(0.0),
            smoothing: Some(0.0),
            moving_average: Some(0),
        }),
        surface: Some(SurfaceFile {
            kind: Some(String::new()),
            start: Some([0.0; 2]),
            x_range: Some([0.0; 2]),
            y_range: Some([0.0; 2]),
            steps: Some(0),
            condition: Some(0.0),
            samples: Some(0),
            noise: Some(0.0),
            truth: Some([0.0; 2]),
        }),
        racers: Some(vec![opt]),
        runs: Some(vec![RunFile {
            name: Some(String::new()),
            model: Some(ModelFile::default()),
            optimizer: Some(OptimizerFile::default()),
            batch_size: Some(0),
        }]),
        lorenz: Some(LorenzFile {
            sigma: Some(0.0),
            rho: Some(0.0),
            beta: Some(0.0),
            dt: Some(0.0),
            starts: Some(vec![]),
            steps: Some(0),
        }),
        view: Some(ViewFile {
            weights_layer: Some(0),
            surface: Some(String::new()),
        }),
        averages: Some(AveragesFile {
            points: Some(0),
            noise: Some(0.0),
            betas: Some(vec![]),
            bias_correction: Some(false),
        }),
    };
    fn walk(prefix: &str, v: &toml::Value, out: &mut Vec<String>) {
        match v {
            toml::Value::Table(t) => {
                for (k, v) in t {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    // Top-level tables (`[data]`, `[[racers]]`) are sections, not keys.
                    let section = prefix.is_empty()
                        && matches!(v, toml::Value::Table(_) | toml::Value::Array(_))
                        && k != "seed";
                    if !section
                        || matches!(v, toml::Value::Array(a) if !a.first().is_some_and(toml::Value::is_table))
                    {
                        out.push(key.clone());
                    }
                    walk(&key, v, out);
                }
            }
            toml::Value::Array(a) => {
                if let Some(first @ toml::Value::Table(_)) = a.first() {
                    walk(prefix, first, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(v) = toml::Value::try_from(&full) {
        walk("", &v, &mut out);
    }
    out
}
