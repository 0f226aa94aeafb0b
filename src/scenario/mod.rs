//! Scenario files: TOML read with serde (unknown keys rejected), checked once into a
//! [`Scenario`]; errors name the file, the line and column, and the key.

mod file;

pub use file::ScenarioFile;

use crate::data::{DataKind, DataSpec};
use crate::nn::{Activation, Init, Loss, Output, Penalty};
use crate::optim::{OptimizerConfig, OptimizerKind};
use crate::surface::{Surface, SurfaceKind, SurfaceParams, View};
use file::{
    DataFile, InitFile, InitTable, LorenzFile, ModelFile, OptimizerFile, RunFile, SurfaceFile,
    TrainFile,
};
use std::fmt;
use std::path::{Path, PathBuf};

/// A checked scenario: everything downstream may trust these values.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub title: String,
    pub seed: u64,
    pub notes: String,
    pub body: Body,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    Classifier(Classifier),
    Race(Race),
    /// Several classifiers trained side by side on the same data, each named.
    Compare(Vec<(String, Classifier)>),
    /// The Lorenz attractor from several starts.
    Lorenz(LorenzSpec),
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

fn check_lorenz(l: LorenzFile) -> Checked<LorenzSpec> {
    let d = crate::dynamics::Lorenz::default();
    let pos = |key: &str, v: Option<f64>, def: f64| -> Checked<f64> {
        match v {
            Some(x) if x.is_finite() && x > 0.0 && x <= 1000.0 => Ok(x),
            Some(x) => Err(problem(
                format!("lorenz.{key}"),
                format!("must be above 0 and at most 1000, got {x}"),
            )),
            None => Ok(def),
        }
    };
    let system = crate::dynamics::Lorenz {
        sigma: pos("sigma", l.sigma, d.sigma)?,
        rho: pos("rho", l.rho, d.rho)?,
        beta: pos("beta", l.beta, d.beta)?,
    };
    let dt = match l.dt {
        Some(x) if x.is_finite() && x > 0.0 && x <= 0.1 => x,
        Some(x) => {
            return Err(problem(
                "lorenz.dt",
                format!("must be above 0 and at most 0.1, got {x}"),
            ));
        }
        None => 0.01,
    };
    let starts = l
        .starts
        .unwrap_or_else(|| vec![[0.0, 1.0, 1.05], [0.0, 1.0, 1.06], [0.0, 1.0, 1.07]]);
    if !(1..=6).contains(&starts.len()) {
        return Err(problem(
            "lorenz.starts",
            format!("needs 1 to 6 starts, got {}", starts.len()),
        ));
    }
    if starts
        .iter()
        .flatten()
        .any(|v| !v.is_finite() || v.abs() > 1000.0)
    {
        return Err(problem(
            "lorenz.starts",
            "each start is three finite numbers within ±1000",
        ));
    }
    let steps = match l.steps {
        Some(n) => count("lorenz.steps", n, 1, 10_000_000)?,
        None => 5000,
    };
    Ok(LorenzSpec {
        system,
        dt,
        starts,
        steps,
    })
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
    pub hidden: Vec<usize>,
    pub activation: Activation,
    pub output: Option<Output>,
    pub loss: Option<Loss>,
    pub init: Init,
    pub penalty: Penalty,
    pub penalty_rate: f64,
    pub dropout: f64,
}

impl Default for ModelSpec {
    fn default() -> Self {
        ModelSpec {
            hidden: vec![8, 8],
            activation: Activation::Tanh,
            output: None,
            loss: None,
            init: Init::Xavier,
            penalty: Penalty::None,
            penalty_rate: 0.0,
            dropout: 0.0,
        }
    }
}

impl ModelSpec {
    /// The output and loss for `classes` classes, defaults filled in.
    pub fn head(&self, classes: usize) -> (Output, Loss) {
        let output = self.output.unwrap_or(if classes > 2 {
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
}

impl Default for TrainSpec {
    fn default() -> Self {
        TrainSpec {
            epochs: 1000,
            batch_size: 0,
        }
    }
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

/// A scenario that failed to load or check.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioError {
    /// The file as the user named it (or `<bundled:NAME>`, `<editor>`).
    pub file: String,
    /// 1-based line and column, when the problem has a place.
    pub at: Option<(usize, usize)>,
    /// The offending key, dotted (`optimizer.lr`, `racers.2.betas`).
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some((line, col)) = self.at {
            write!(f, ":{line}:{col}")?;
        }
        write!(f, ": ")?;
        if let Some(key) = &self.key {
            write!(f, "`{key}`: ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for ScenarioError {}

/// A problem found while checking, before it is given a place in the file.
struct Problem {
    key: String,
    message: String,
}

type Checked<T> = Result<T, Problem>;

fn problem(key: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem {
        key: key.into(),
        message: message.into(),
    }
}

/// The scenarios shipped in `scenarios/`, in reading order (the files' number prefixes),
/// compiled in so `nnbook list`, `nnbook run NAME` and `nnbook lecture` work from anywhere.
/// A bundled name is the file name without its number.
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "gradient-descent",
        include_str!("../../scenarios/01-gradient-descent.toml"),
    ),
    ("circles", include_str!("../../scenarios/02-circles.toml")),
    ("numpy", include_str!("../../scenarios/03-numpy.toml")),
    (
        "overfitting",
        include_str!("../../scenarios/04-overfitting.toml"),
    ),
    (
        "regularization-sweep",
        include_str!("../../scenarios/05-regularization-sweep.toml"),
    ),
    (
        "critical-monkey-saddle",
        include_str!("../../scenarios/06-critical-monkey-saddle.toml"),
    ),
    (
        "critical-peaks",
        include_str!("../../scenarios/07-critical-peaks.toml"),
    ),
    (
        "race-saddle",
        include_str!("../../scenarios/08-race-saddle.toml"),
    ),
    (
        "lr-pair-peaks",
        include_str!("../../scenarios/09-lr-pair-peaks.toml"),
    ),
    (
        "race-rosenbrock",
        include_str!("../../scenarios/10-race-rosenbrock.toml"),
    ),
    (
        "race-beale",
        include_str!("../../scenarios/11-race-beale.toml"),
    ),
    (
        "race-himmelblau",
        include_str!("../../scenarios/12-race-himmelblau.toml"),
    ),
    (
        "playground",
        include_str!("../../scenarios/13-playground.toml"),
    ),
    (
        "playground-xor",
        include_str!("../../scenarios/14-playground-xor.toml"),
    ),
    (
        "playground-gauss",
        include_str!("../../scenarios/15-playground-gauss.toml"),
    ),
    (
        "playground-spiral",
        include_str!("../../scenarios/16-playground-spiral.toml"),
    ),
    (
        "optimizers-network",
        include_str!("../../scenarios/17-optimizers-network.toml"),
    ),
    ("lorenz", include_str!("../../scenarios/18-lorenz.toml")),
];

/// The scenario `nnbook` opens with no arguments.
pub const DEFAULT: &str = "playground";

/// Loads a scenario by path, or by the name of a bundled one.
pub fn load(name_or_path: &str) -> Result<Scenario, ScenarioError> {
    let path = Path::new(name_or_path);
    if path.exists() || name_or_path.ends_with(".toml") || name_or_path.contains('/') {
        let text = std::fs::read_to_string(path).map_err(|e| ScenarioError {
            file: name_or_path.to_string(),
            at: None,
            key: None,
            message: format!("cannot read the scenario file: {e}"),
        })?;
        return parse(&text, name_or_path, path.parent());
    }
    match BUNDLED.iter().find(|(n, _)| *n == name_or_path) {
        Some((n, text)) => parse(text, &format!("<bundled:{n}>"), None),
        None => Err(ScenarioError {
            file: name_or_path.to_string(),
            at: None,
            key: None,
            message: format!(
                "no such file, and no bundled scenario of that name (bundled: {})",
                BUNDLED
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }),
    }
}

/// Parses and checks scenario text. `file` names it in errors; relative data paths resolve
/// against `dir`.
pub fn parse(text: &str, file: &str, dir: Option<&Path>) -> Result<Scenario, ScenarioError> {
    let raw: ScenarioFile = toml::from_str(text).map_err(|e| {
        let at = e.span().map(|s| line_col(text, s.start));
        ScenarioError {
            file: file.to_string(),
            at,
            key: None,
            message: e
                .message()
                .trim()
                .replace("expected i64", "expected a whole number")
                .replace("expected f64", "expected a number"),
        }
    })?;
    check(raw, dir).map_err(|p| ScenarioError {
        file: file.to_string(),
        at: locate(text, &p.key),
        key: Some(p.key),
        message: p.message,
    })
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Where the value of a dotted key (`racers.1.lr`) sits in the text; falls back to the
/// nearest enclosing key that exists.
fn locate(text: &str, key: &str) -> Option<(usize, usize)> {
    use toml::de::{DeTable, DeValue};
    let doc = DeTable::parse(text).ok()?;
    let root = DeValue::Table(doc.into_inner());
    let mut cur = &root;
    let mut best = None;
    for seg in key.split('.') {
        let next = match seg.parse::<usize>() {
            Ok(i) => cur.get(i),
            Err(_) => cur.get(seg),
        };
        match next {
            Some(v) => {
                best = Some(v.span().start);
                cur = v.get_ref();
            }
            None => break,
        }
    }
    best.map(|b| line_col(text, b))
}

fn parse_name<T: Copy>(key: &str, value: &str, options: &[(&str, T)]) -> Checked<T> {
    options
        .iter()
        .find(|(n, _)| *n == value)
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            problem(
                key,
                format!(
                    "unknown value \"{value}\"; expected one of {}",
                    options
                        .iter()
                        .map(|(n, _)| format!("\"{n}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })
}

fn in_range(key: &str, v: f64, lo: f64, hi: f64, what: &str) -> Checked<f64> {
    if v.is_finite() && v >= lo && v <= hi {
        Ok(v)
    } else {
        Err(problem(key, format!("must be {what}, got {v}")))
    }
}

fn count(key: &str, v: i64, lo: i64, hi: i64) -> Checked<usize> {
    if (lo..=hi).contains(&v) {
        Ok(v as usize)
    } else {
        Err(problem(
            key,
            format!("must be a whole number from {lo} to {hi}, got {v}"),
        ))
    }
}

/// Checks a parsed file. Every rule a value must obey is here, once.
fn check(f: ScenarioFile, dir: Option<&Path>) -> Checked<Scenario> {
    let title = f.title.unwrap_or_else(|| "Untitled scenario".into());
    let seed = f.seed.unwrap_or(0);
    let notes = f.notes.unwrap_or_default();
    let is_race = f.surface.is_some() || f.racers.is_some();
    let body = if let Some(l) = f.lorenz {
        for (present, key) in [
            (f.data.is_some(), "data"),
            (f.model.is_some(), "model"),
            (f.optimizer.is_some(), "optimizer"),
            (f.train.is_some(), "train"),
            (f.runs.is_some(), "runs"),
            (is_race, "surface"),
        ] {
            if present {
                return Err(problem(
                    key,
                    "a [lorenz] scenario has no [data], [model], [optimizer], [train], [[runs]], [surface] or [[racers]]",
                ));
            }
        }
        Body::Lorenz(check_lorenz(l)?)
    } else if is_race {
        for (present, key) in [
            (f.data.is_some(), "data"),
            (f.model.is_some(), "model"),
            (f.optimizer.is_some(), "optimizer"),
            (f.train.is_some(), "train"),
            (f.runs.is_some(), "runs"),
        ] {
            if present {
                return Err(problem(
                    key,
                    "a surface scenario (with [surface] or [[racers]]) cannot also have [data], [model], [optimizer] or [train]",
                ));
            }
        }
        Body::Race(check_race(f.surface.unwrap_or_default(), f.racers, seed)?)
    } else {
        let data = check_data(f.data.unwrap_or_default(), dir)?;
        let known_classes = match data.kind {
            DataKind::Csv => None,
            DataKind::Blobs => Some(data.centers),
            _ => Some(2),
        };
        let base_model = f.model.unwrap_or_default();
        let base_opt = f.optimizer.unwrap_or_default();
        if base_opt.name.is_some() {
            return Err(problem(
                "optimizer.name",
                "`name` belongs to [[racers]]; [optimizer] has none",
            ));
        }
        let t = f.train.unwrap_or_default();
        let def = TrainSpec::default();
        let train = TrainSpec {
            epochs: match t.epochs {
                Some(e) => count("train.epochs", e, 1, 100_000_000)?,
                None => def.epochs,
            },
            batch_size: match t.batch_size {
                Some(b) => count("train.batch_size", b, 0, 1_000_000)?,
                None => def.batch_size,
            },
        };
        // One classifier from a model and optimizer table (`at` names them in errors).
        let build = |model: &ModelFile,
                     opt: &OptimizerFile,
                     at_model: &str,
                     at_opt: &str,
                     train: TrainSpec|
         -> Checked<Classifier> {
            let model = check_model(model.clone(), at_model)?;
            if let Some(k) = known_classes {
                let (output, loss) = model.head(k);
                loss.check_pair(output, k)
                    .map_err(|m| problem(format!("{at_model}.loss"), m))?;
            }
            let optimizer = check_optimizer(opt, at_opt, OptimizerKind::Sgd)?;
            Ok(Classifier {
                data: data.clone(),
                model,
                optimizer,
                train,
            })
        };
        match f.runs {
            None => Body::Classifier(build(&base_model, &base_opt, "model", "optimizer", train)?),
            Some(runs) => {
                if !(2..=4).contains(&runs.len()) {
                    return Err(problem(
                        "runs",
                        format!("side by side takes 2 to 4 [[runs]], got {}", runs.len()),
                    ));
                }
                let mut out: Vec<(String, Classifier)> = Vec::new();
                for (i, r) in runs.iter().enumerate() {
                    let at = format!("runs.{i}");
                    let model = ModelFile::merged(
                        &base_model,
                        r.model.as_ref().unwrap_or(&ModelFile::default()),
                    );
                    let opt = OptimizerFile::merged(
                        &base_opt,
                        r.optimizer.as_ref().unwrap_or(&OptimizerFile::default()),
                    );
                    if opt.name.is_some() {
                        return Err(problem(
                            format!("{at}.optimizer.name"),
                            "a run's name is `name` in [[runs]], not in its optimizer",
                        ));
                    }
                    let mut train = train.clone();
                    if let Some(b) = r.batch_size {
                        train.batch_size = count(&format!("{at}.batch_size"), b, 0, 1_000_000)?;
                    }
                    let c = build(
                        &model,
                        &opt,
                        &format!("{at}.model"),
                        &format!("{at}.optimizer"),
                        train,
                    )?;
                    let name = r.name.clone().unwrap_or_else(|| format!("run {}", i + 1));
                    if out.iter().any(|(n, _)| *n == name) {
                        return Err(problem(
                            format!("{at}.name"),
                            format!("two runs are named \"{name}\"; give each a distinct `name`"),
                        ));
                    }
                    out.push((name, c));
                }
                Body::Compare(out)
            }
        }
    };
    Ok(Scenario {
        title,
        seed,
        notes,
        body,
    })
}

const DATA_KINDS: [(&str, DataKind); 9] = [
    ("moons", DataKind::Moons),
    ("circles", DataKind::Circles),
    ("blobs", DataKind::Blobs),
    ("circle", DataKind::Circle),
    ("xor", DataKind::Xor),
    ("gauss", DataKind::Gauss),
    ("spiral", DataKind::Spiral),
    ("two_moons", DataKind::TwoMoons),
    ("csv", DataKind::Csv),
];

fn check_data(d: DataFile, dir: Option<&Path>) -> Checked<DataSpec> {
    let kind = match &d.kind {
        Some(k) => parse_name("data.kind", k, &DATA_KINDS)?,
        None => DataKind::Moons,
    };
    let def = DataSpec::default();
    let playground = kind.is_playground();
    let spec = DataSpec {
        kind,
        samples: match d.samples {
            Some(n) => count("data.samples", n, 4, 200_000)?,
            None if playground => 500,
            None => def.samples,
        },
        noise: match d.noise {
            // Playground's slider runs 0–50%; its formulas stay sensible a little beyond.
            Some(v) if playground => in_range(
                "data.noise",
                v,
                0.0,
                1.0,
                "from 0 to 1 (Playground's 0–50% is 0 to 0.5)",
            )?,
            Some(v) => in_range("data.noise", v, 0.0, 10.0, "from 0 to 10")?,
            None if playground => 0.0,
            None => def.noise,
        },
        factor: match d.factor {
            Some(v) => {
                if !(v > 0.0 && v < 1.0) {
                    return Err(problem(
                        "data.factor",
                        format!("must be between 0 and 1 (exclusive), got {v}"),
                    ));
                }
                v
            }
            None => def.factor,
        },
        centers: match d.centers {
            Some(c) => count("data.centers", c, 2, 12)?,
            None => def.centers,
        },
        cluster_std: match d.cluster_std {
            Some(v) => in_range("data.cluster_std", v, 0.0, 100.0, "from 0 to 100")?,
            None => def.cluster_std,
        },
        shift: match d.shift {
            Some(v) => in_range("data.shift", v, -100.0, 100.0, "from -100 to 100")?,
            None => def.shift,
        },
        test_ratio: match d.test_ratio {
            Some(v) => {
                if !(v.is_finite() && (0.0..1.0).contains(&v)) {
                    return Err(problem(
                        "data.test_ratio",
                        format!("must be at least 0 and below 1, got {v}"),
                    ));
                }
                v
            }
            None if playground => 0.5,
            None => def.test_ratio,
        },
        path: match (&d.path, kind) {
            (Some(p), DataKind::Csv) => {
                let p = PathBuf::from(p);
                Some(match dir {
                    Some(dir) if p.is_relative() => dir.join(p),
                    _ => p,
                })
            }
            (None, DataKind::Csv) => {
                return Err(problem(
                    "data.kind",
                    "kind \"csv\" needs `path = \"file.csv\"`",
                ));
            }
            (Some(_), _) => return Err(problem("data.path", "`path` is only for kind \"csv\"")),
            (None, _) => None,
        },
        random_state: match d.random_state {
            Some(_) if !matches!(kind, DataKind::Moons | DataKind::Circles) => {
                return Err(problem(
                    "data.random_state",
                    format!(
                        "`random_state` draws scikit-learn's own points, for kind \"moons\" or \"circles\" only, not \"{}\"",
                        kind.name()
                    ),
                ));
            }
            Some(v) => Some(numpy_seed("data.random_state", v)?),
            None => None,
        },
        split_random_state: match d.split_random_state {
            Some(v) => Some(numpy_seed("data.split_random_state", v)?),
            None => None,
        },
    };
    Ok(spec)
}

/// A seed NumPy's `RandomState` accepts: 0 to 2³² − 1.
fn numpy_seed(key: &str, v: i64) -> Checked<u32> {
    u32::try_from(v).map_err(|_| {
        problem(
            key,
            format!("must be an integer from 0 to 4294967295 (NumPy's seeds), got {v}"),
        )
    })
}

const ACTIVATIONS: [(&str, Activation); 5] = [
    ("sigmoid", Activation::Sigmoid),
    ("tanh", Activation::Tanh),
    ("relu", Activation::Relu),
    ("leaky_relu", Activation::LeakyRelu(0.01)),
    ("linear", Activation::Linear),
];

const OUTPUTS: [(&str, Output); 4] = [
    ("sigmoid", Output::Sigmoid),
    ("tanh", Output::Tanh),
    ("linear", Output::Linear),
    ("softmax", Output::Softmax),
];

const LOSSES: [(&str, Loss); 3] = [("bce", Loss::Bce), ("cce", Loss::Cce), ("mse", Loss::Mse)];

const PENALTIES: [(&str, Penalty); 3] = [
    ("none", Penalty::None),
    ("l1", Penalty::L1),
    ("l2", Penalty::L2),
];

fn check_model(m: ModelFile, at: &str) -> Checked<ModelSpec> {
    let def = ModelSpec::default();
    let hidden = match &m.hidden {
        Some(h) => {
            if h.len() > 16 {
                return Err(problem(
                    format!("{at}.hidden"),
                    format!("at most 16 hidden layers, got {}", h.len()),
                ));
            }
            h.iter()
                .enumerate()
                .map(|(i, &n)| count(&format!("{at}.hidden.{i}"), n, 1, 1024))
                .collect::<Checked<Vec<_>>>()?
        }
        None => def.hidden,
    };
    let mut activation = match &m.activation {
        Some(a) => parse_name(&format!("{at}.activation"), a, &ACTIVATIONS)?,
        None => def.activation,
    };
    if let Some(s) = m.leaky_slope {
        let s = in_range(&format!("{at}.leaky_slope"), s, 0.0, 1.0, "from 0 to 1")?;
        match activation {
            Activation::LeakyRelu(_) => activation = Activation::LeakyRelu(s),
            _ => {
                return Err(problem(
                    format!("{at}.leaky_slope"),
                    "only applies to activation \"leaky_relu\"",
                ));
            }
        }
    }
    let output = m
        .output
        .as_deref()
        .map(|o| parse_name(&format!("{at}.output"), o, &OUTPUTS))
        .transpose()?;
    let loss = m
        .loss
        .as_deref()
        .map(|l| parse_name(&format!("{at}.loss"), l, &LOSSES))
        .transpose()?;
    let init = match &m.init {
        None => def.init,
        Some(InitFile::Name(n)) => check_init(n, None, at)?,
        Some(InitFile::Table(InitTable { kind, scale })) => check_init(kind, *scale, at)?,
    };
    let penalty = match &m.regularization {
        Some(r) => parse_name(&format!("{at}.regularization"), r, &PENALTIES)?,
        None => Penalty::None,
    };
    let penalty_rate = match m.regularization_rate {
        Some(r) => in_range(
            &format!("{at}.regularization_rate"),
            r,
            0.0,
            10.0,
            "from 0 to 10",
        )?,
        None if penalty != Penalty::None => {
            return Err(problem(
                format!("{at}.regularization"),
                "needs `regularization_rate` (e.g. 0.01)",
            ));
        }
        None => 0.0,
    };
    let dropout = match m.dropout {
        Some(d) => {
            if !(d.is_finite() && (0.0..1.0).contains(&d)) {
                return Err(problem(
                    format!("{at}.dropout"),
                    format!("must be at least 0 and below 1, got {d}"),
                ));
            }
            d
        }
        None => 0.0,
    };
    Ok(ModelSpec {
        hidden,
        activation,
        output,
        loss,
        init,
        penalty,
        penalty_rate,
        dropout,
    })
}

fn check_init(kind: &str, scale: Option<f64>, at: &str) -> Checked<Init> {
    const INITS: [(&str, u8); 4] = [("normal", 0), ("xavier", 1), ("he", 2), ("playground", 3)];
    let k = parse_name(&format!("{at}.init"), kind, &INITS)?;
    if k != 0 && scale.is_some() {
        return Err(problem(
            format!("{at}.init.scale"),
            format!("`scale` only applies to kind \"normal\", not \"{kind}\""),
        ));
    }
    Ok(match k {
        0 => Init::Normal {
            scale: in_range(
                &format!("{at}.init.scale"),
                scale.unwrap_or(0.1),
                0.0,
                100.0,
                "from 0 to 100",
            )?,
        },
        1 => Init::Xavier,
        2 => Init::He,
        _ => Init::Playground,
    })
}

const OPTIMIZERS: [(&str, OptimizerKind); 6] = [
    ("sgd", OptimizerKind::Sgd),
    ("adagrad", OptimizerKind::Adagrad),
    ("rmsprop", OptimizerKind::Rmsprop),
    ("adam", OptimizerKind::Adam),
    ("adamw", OptimizerKind::Adamw),
    ("adamax", OptimizerKind::Adamax),
];

/// PyTorch's constructor options, each only where that optimizer takes it.
fn check_optimizer(
    o: &OptimizerFile,
    at: &str,
    default: OptimizerKind,
) -> Checked<OptimizerConfig> {
    let kind = match &o.kind {
        Some(k) => parse_name(&format!("{at}.kind"), k, &OPTIMIZERS)?,
        None => default,
    };
    let mut c = kind.defaults();
    let given: [(&str, bool); 12] = [
        ("momentum", o.momentum.is_some()),
        ("dampening", o.dampening.is_some()),
        ("nesterov", o.nesterov.is_some()),
        ("weight_decay", o.weight_decay.is_some()),
        ("lr_decay", o.lr_decay.is_some()),
        (
            "initial_accumulator_value",
            o.initial_accumulator_value.is_some(),
        ),
        ("eps", o.eps.is_some()),
        ("alpha", o.alpha.is_some()),
        ("centered", o.centered.is_some()),
        ("betas", o.betas.is_some()),
        ("amsgrad", o.amsgrad.is_some()),
        ("lr", o.lr.is_some()),
    ];
    for (name, present) in given {
        if present && name != "lr" && !kind.options().contains(&name) {
            return Err(problem(
                format!("{at}.{name}"),
                format!(
                    "torch.optim.{} takes no `{name}` (it takes lr, {})",
                    kind.torch_name(),
                    kind.options().join(", ")
                ),
            ));
        }
    }
    // Every option the file names replaces PyTorch's default for the kind.
    macro_rules! set {
        ($($f:ident),*) => {$(
            if let Some(v) = o.$f {
                c.$f = v;
            }
        )*};
    }
    set!(
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
        amsgrad
    );
    if let Some([b1, b2]) = o.betas {
        c.betas = (b1, b2);
    }
    c.check().map_err(|m| {
        // Name the offending option's key when the message names it.
        // Name the option the message mentions first.
        let key = given
            .iter()
            .filter_map(|(n, _)| {
                let pos = [format!("`{n}`"), format!("`{n} "), format!("`{n}[")]
                    .iter()
                    .filter_map(|pat| m.find(pat.as_str()))
                    .min()?;
                Some((pos, *n))
            })
            .min()
            .map_or_else(|| at.to_string(), |(_, n)| format!("{at}.{n}"));
        problem(key, m)
    })?;
    Ok(c)
}

fn check_race(s: SurfaceFile, racers: Option<Vec<OptimizerFile>>, seed: u64) -> Checked<Race> {
    let kinds: Vec<(&str, SurfaceKind)> = SurfaceKind::ALL.iter().map(|k| (k.name(), *k)).collect();
    let kind = match &s.kind {
        Some(k) => parse_name("surface.kind", k, &kinds)?,
        None => {
            return Err(problem(
                "surface",
                "a surface scenario needs `kind` in [surface]",
            ));
        }
    };
    let def = SurfaceParams::default();
    let only = |present: bool, key: &str, k: SurfaceKind| -> Checked<()> {
        if present && kind != k {
            Err(problem(
                format!("surface.{key}"),
                format!("only applies to kind \"{}\"", k.name()),
            ))
        } else {
            Ok(())
        }
    };
    only(s.condition.is_some(), "condition", SurfaceKind::Quadratic)?;
    only(s.samples.is_some(), "samples", SurfaceKind::CurveFit)?;
    only(s.noise.is_some(), "noise", SurfaceKind::CurveFit)?;
    only(s.truth.is_some(), "truth", SurfaceKind::CurveFit)?;
    let params = SurfaceParams {
        kind,
        condition: match s.condition {
            Some(c) => in_range("surface.condition", c, 1.0, 1e6, "from 1 to 1e6")?,
            None => def.condition,
        },
        samples: match s.samples {
            Some(n) => count("surface.samples", n, 2, 100_000)?,
            None => def.samples,
        },
        noise: match s.noise {
            Some(v) => in_range("surface.noise", v, 0.0, 10.0, "from 0 to 10")?,
            None => def.noise,
        },
        truth: match s.truth {
            Some([a, b]) if a.is_finite() && b.is_finite() => [a, b],
            Some(_) => return Err(problem("surface.truth", "must be two finite numbers")),
            None => def.truth,
        },
        seed,
    };
    let surface = Surface::new(params.clone());
    let mut view = surface.default_view();
    for (key, range, slot) in [("x_range", s.x_range, 0), ("y_range", s.y_range, 1)] {
        if let Some([lo, hi]) = range {
            if !(lo.is_finite() && hi.is_finite() && lo < hi) {
                return Err(problem(
                    format!("surface.{key}"),
                    format!("must be [low, high] with low < high, got [{lo}, {hi}]"),
                ));
            }
            if slot == 0 {
                view.x = [lo, hi];
            } else {
                view.y = [lo, hi];
            }
        }
    }
    let start = match s.start {
        Some([x, y]) if x.is_finite() && y.is_finite() => [x, y],
        Some(_) => return Err(problem("surface.start", "must be two finite numbers")),
        None => surface.default_start(),
    };
    let steps = match s.steps {
        Some(n) => count("surface.steps", n, 1, 10_000_000)?,
        None => 500,
    };
    let racers = racers.unwrap_or_default();
    if racers.is_empty() {
        return Err(problem(
            "racers",
            "a surface scenario needs at least one [[racers]] table",
        ));
    }
    if racers.len() > 8 {
        return Err(problem(
            "racers",
            format!("at most 8 racers, got {}", racers.len()),
        ));
    }
    let mut out: Vec<Racer> = Vec::new();
    for (i, r) in racers.iter().enumerate() {
        let at = format!("racers.{i}");
        if r.kind.is_none() {
            return Err(problem(
                at,
                "each racer needs `kind` (sgd, adagrad, rmsprop, adam, adamw, adamax)",
            ));
        }
        let optimizer = check_optimizer(r, &at, OptimizerKind::Sgd)?;
        let name = r
            .name
            .clone()
            .unwrap_or_else(|| optimizer.kind.name().to_string());
        if out.iter().any(|o| o.name == name) {
            return Err(problem(
                format!("{at}.name"),
                format!("two racers are named \"{name}\"; give each a distinct `name`"),
            ));
        }
        out.push(Racer { name, optimizer });
    }
    Ok(Race {
        surface: params,
        start,
        view,
        steps,
        racers: out,
    })
}

impl Scenario {
    /// The scenario written back as a file: every setting that differs from its default,
    /// plus the ones a reader expects to see (learning rate, data kind, layers).
    pub fn to_toml(&self) -> String {
        let mut f = ScenarioFile {
            title: Some(self.title.clone()),
            seed: Some(self.seed),
            notes: (!self.notes.is_empty()).then(|| self.notes.clone()),
            ..ScenarioFile::default()
        };
        match &self.body {
            Body::Classifier(c) => write_classifier(&mut f, c),
            Body::Lorenz(l) => {
                f.lorenz = Some(LorenzFile {
                    sigma: Some(l.system.sigma),
                    rho: Some(l.system.rho),
                    beta: Some(l.system.beta),
                    dt: Some(l.dt),
                    starts: Some(l.starts.clone()),
                    steps: Some(l.steps as i64),
                });
            }
            Body::Compare(runs) => {
                if let Some((_, first)) = runs.first() {
                    write_classifier(&mut f, first);
                }
                f.model = None;
                f.optimizer = None;
                f.runs = Some(
                    runs.iter()
                        .map(|(name, c)| {
                            let mut one = ScenarioFile::default();
                            write_classifier(&mut one, c);
                            RunFile {
                                name: Some(name.clone()),
                                model: one.model,
                                optimizer: one.optimizer,
                                batch_size: Some(c.train.batch_size as i64),
                            }
                        })
                        .collect(),
                );
            }
            Body::Race(r) => {
                let s = &r.surface;
                let fit = s.kind == SurfaceKind::CurveFit;
                f.surface = Some(SurfaceFile {
                    kind: Some(s.kind.name().into()),
                    start: Some(r.start),
                    x_range: Some(r.view.x),
                    y_range: Some(r.view.y),
                    steps: Some(r.steps as i64),
                    condition: (s.kind == SurfaceKind::Quadratic).then_some(s.condition),
                    samples: fit.then_some(s.samples as i64),
                    noise: fit.then_some(s.noise),
                    truth: fit.then_some(s.truth),
                });
                f.racers = Some(
                    r.racers
                        .iter()
                        .map(|r| optimizer_file(&r.optimizer, Some(&r.name)))
                        .collect(),
                );
            }
        }
        toml::to_string_pretty(&f)
            .unwrap_or_else(|e| format!("# cannot write this scenario: {e}\n"))
    }
}

/// The `[data]`, `[model]`, `[optimizer]` and `[train]` tables of a classifier.
fn write_classifier(f: &mut ScenarioFile, c: &Classifier) {
    let d = &c.data;
    f.data = Some(DataFile {
        kind: Some(d.kind.name().into()),
        samples: (d.kind != DataKind::Csv).then_some(d.samples as i64),
        noise: (d.kind != DataKind::Csv).then_some(d.noise),
        factor: (d.kind == DataKind::Circles).then_some(d.factor),
        centers: (d.kind == DataKind::Blobs).then_some(d.centers as i64),
        cluster_std: (d.kind == DataKind::Blobs).then_some(d.cluster_std),
        shift: (d.kind == DataKind::TwoMoons).then_some(d.shift),
        test_ratio: Some(d.test_ratio),
        path: d.path.as_ref().map(|p| p.display().to_string()),
        random_state: d.random_state.map(i64::from),
        split_random_state: d.split_random_state.map(i64::from),
    });
    let m = &c.model;
    f.model = Some(ModelFile {
        hidden: Some(m.hidden.iter().map(|&h| h as i64).collect()),
        activation: Some(m.activation.name().into()),
        leaky_slope: match m.activation {
            Activation::LeakyRelu(s) => Some(s),
            _ => None,
        },
        output: m.output.map(|o| o.name().into()),
        loss: m.loss.map(|l| l.name().into()),
        init: Some(match m.init {
            Init::Normal { scale } => InitFile::Table(InitTable {
                kind: "normal".into(),
                scale: Some(scale),
            }),
            other => InitFile::Name(other.name().into()),
        }),
        regularization: (m.penalty != Penalty::None).then(|| m.penalty.name().into()),
        regularization_rate: (m.penalty != Penalty::None).then_some(m.penalty_rate),
        dropout: (m.dropout > 0.0).then_some(m.dropout),
    });
    f.optimizer = Some(optimizer_file(&c.optimizer, None));
    f.train = Some(TrainFile {
        epochs: Some(c.train.epochs as i64),
        batch_size: Some(c.train.batch_size as i64),
    });
}

/// An optimizer as a file table: kind, lr, and each option that differs from PyTorch's
/// default for that kind.
fn optimizer_file(c: &OptimizerConfig, name: Option<&str>) -> OptimizerFile {
    let d = c.kind.defaults();
    let opts = c.kind.options();
    let differs = |key: &str, a: f64, b: f64| (opts.contains(&key) && a != b).then_some(a);
    OptimizerFile {
        name: name.map(str::to_string),
        kind: Some(c.kind.name().into()),
        lr: Some(c.lr),
        momentum: differs("momentum", c.momentum, d.momentum),
        dampening: differs("dampening", c.dampening, d.dampening),
        nesterov: (opts.contains(&"nesterov") && c.nesterov).then_some(true),
        weight_decay: differs("weight_decay", c.weight_decay, d.weight_decay),
        lr_decay: differs("lr_decay", c.lr_decay, d.lr_decay),
        initial_accumulator_value: differs(
            "initial_accumulator_value",
            c.initial_accumulator_value,
            d.initial_accumulator_value,
        ),
        eps: differs("eps", c.eps, d.eps),
        alpha: differs("alpha", c.alpha, d.alpha),
        centered: (opts.contains(&"centered") && c.centered).then_some(true),
        betas: (opts.contains(&"betas") && c.betas != d.betas).then_some([c.betas.0, c.betas.1]),
        amsgrad: (opts.contains(&"amsgrad") && c.amsgrad).then_some(true),
    }
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
    };
    let full = ScenarioFile {
        title: Some(String::new()),
        seed: Some(0),
        notes: Some(String::new()),
        data: Some(DataFile {
            kind: Some(String::new()),
            samples: Some(0),
            noise: Some(0.0),
            factor: Some(0.0),
            centers: Some(0),
            cluster_std: Some(0.0),
            shift: Some(0.0),
            test_ratio: Some(0.0),
            path: Some(String::new()),
            random_state: Some(0),
            split_random_state: Some(0),
        }),
        model: Some(ModelFile {
            hidden: Some(vec![]),
            activation: Some(String::new()),
            leaky_slope: Some(0.0),
            output: Some(String::new()),
            loss: Some(String::new()),
            init: Some(InitFile::Table(InitTable {
                kind: String::new(),
                scale: Some(0.0),
            })),
            regularization: Some(String::new()),
            regularization_rate: Some(0.0),
            dropout: Some(0.0),
        }),
        optimizer: Some(opt.clone()),
        train: Some(TrainFile {
            epochs: Some(0),
            batch_size: Some(0),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        match parse(text, "s.toml", None) {
            Ok(_) => panic!("expected an error for:\n{text}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn the_issue_example_loads_as_written() {
        let s = parse(
            r#"
title = "A network in plain Rust"
seed = 42
[data]
kind = "moons"
samples = 1000
noise = 0.2
test_ratio = 0.1
[model]
hidden = [25, 50, 50, 25]
activation = "relu"
output = "sigmoid"
loss = "bce"
init = { kind = "normal", scale = 0.1 }
[optimizer]
kind = "sgd"
lr = 0.01
[train]
epochs = 10000
batch_size = 0
"#,
            "s.toml",
            None,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let Body::Classifier(c) = s.body else {
            panic!("not a classifier")
        };
        assert_eq!(c.model.hidden, vec![25, 50, 50, 25]);
        assert_eq!(c.model.init, Init::Normal { scale: 0.1 });
        assert_eq!(c.optimizer.lr, 0.01);
        assert_eq!(c.train.epochs, 10000);
    }

    #[test]
    fn errors_name_line_column_and_key() {
        assert_eq!(
            err("title = \"t\"\n[optimizer]\nkind = \"adam\"\nlr = -0.5\n"),
            "s.toml:4:6: `optimizer.lr`: `lr` must be a finite number >= 0, got -0.5"
        );
        assert_eq!(
            err("[optimizer]\nkind = \"adam\"\nnesterov = true\n"),
            "s.toml:3:12: `optimizer.nesterov`: torch.optim.Adam takes no `nesterov` (it takes lr, betas, eps, weight_decay, amsgrad)"
        );
        assert_eq!(
            err("[model]\nactivation = \"relux\"\n"),
            "s.toml:2:14: `model.activation`: unknown value \"relux\"; expected one of \"sigmoid\", \"tanh\", \"relu\", \"leaky_relu\", \"linear\""
        );
        let e = err("[optimzer]\nlr = 1\n");
        assert!(e.starts_with("s.toml:1:2: unknown field `optimzer`"), "{e}");
        let e = err("[data]\nsamples = \"many\"\n");
        assert!(e.starts_with("s.toml:2:11: invalid type"), "{e}");
        assert_eq!(
            err(
                "[surface]\nkind = \"rosenbrock\"\n[[racers]]\nkind = \"adam\"\n[[racers]]\nkind = \"sgd\"\nbetas = [0.9, 0.99]\n"
            ),
            "s.toml:7:9: `racers.1.betas`: torch.optim.SGD takes no `betas` (it takes lr, momentum, dampening, nesterov, weight_decay)"
        );
    }

    #[test]
    fn pytorch_defaults_fill_unnamed_options() {
        let s = parse(
            "[surface]\nkind = \"beale\"\n[[racers]]\nkind = \"adamw\"\nlr = 0.1\n[[racers]]\nname = \"slow\"\nkind = \"adagrad\"\n",
            "s.toml",
            None,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let Body::Race(r) = s.body else { panic!() };
        assert_eq!(r.racers[0].name, "adamw");
        assert_eq!(r.racers[0].optimizer.weight_decay, 0.01);
        assert_eq!(r.racers[1].optimizer.eps, 1e-10);
        assert_eq!(r.racers[1].optimizer.lr, 0.01);
    }

    #[test]
    fn every_bundled_scenario_loads() {
        for (name, _) in BUNDLED {
            load(name).unwrap_or_else(|e| panic!("{e}"));
        }
    }

    #[test]
    fn missing_file_names_the_path() {
        let e = load("no/such/file.toml").unwrap_err().to_string();
        assert!(e.starts_with("no/such/file.toml: cannot read"), "{e}");
        let e = load("nonesuch").unwrap_err().to_string();
        assert!(
            e.contains("bundled: gradient-descent, circles, numpy"),
            "{e}"
        );
    }
}

#[cfg(test)]
mod round_trip {
    use super::*;

    #[test]
    fn every_bundled_scenario_survives_writing_and_reading() {
        for (name, _) in BUNDLED {
            let s = load(name).unwrap();
            let text = s.to_toml();
            let back =
                parse(&text, "<written>", None).unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
            assert_eq!(back, s, "{name}:\n{text}");
        }
    }
}
