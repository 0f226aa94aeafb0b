//! From file to checked values: every rule a scenario's values must obey, checked once, so
//! that nothing downstream checks again. A broken rule is a `Problem` naming its key.

use super::error::{Checked, problem};
use super::file::{
    ActivationFile, AveragesFile, ColumnFile, DataFile, EarlyStoppingFile, InitFile, InitTable,
    LorenzFile, ModelFile, OptimizerFile, ScenarioFile, ScheduleFile, SurfaceFile,
};
use super::spec::{
    AveragesSpec, Body, Classifier, EarlyStopping, LorenzSpec, ModelSpec, Race, Racer, Scenario,
    Smoothing, TrainSpec, ViewSpec,
};
use crate::data::{Column, CsvSpec, DataKind, DataSpec, Task};
use crate::nn::{Activation, Feature, Init, Loss, Output, Penalty};
use crate::optim::{OptimizerConfig, OptimizerKind, Schedule};
use crate::surface::{Surface, SurfaceKind, SurfaceParams};
use std::path::{Path, PathBuf};

/// `value` as one of `options`, each known by its `name`; the error lists every name.
fn parse_name<T: Copy>(
    key: &str,
    value: &str,
    options: &[T],
    name: fn(T) -> &'static str,
) -> Checked<T> {
    options
        .iter()
        .copied()
        .find(|&o| name(o) == value)
        .ok_or_else(|| {
            problem(
                key,
                format!(
                    "unknown value \"{value}\"; expected one of {}",
                    options
                        .iter()
                        .map(|&o| format!("\"{}\"", name(o)))
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
pub(super) fn check(f: ScenarioFile, dir: Option<&Path>) -> Checked<Scenario> {
    let title = f.title.unwrap_or_else(|| "Untitled scenario".into());
    let seed = f.seed.unwrap_or(0);
    let notes = f.notes.unwrap_or_default();
    let is_race = f.surface.is_some() || f.racers.is_some();
    // The sections a chapter of its own kind (attractor, averages) leaves out: the first
    // present is named.
    let classifier_sections = [
        (f.data.is_some(), "data"),
        (f.model.is_some(), "model"),
        (f.optimizer.is_some(), "optimizer"),
        (f.train.is_some(), "train"),
        (f.runs.is_some(), "runs"),
        (is_race, "surface"),
    ];
    let alone = |kind: &str| -> Checked<()> {
        match classifier_sections.iter().find(|(present, _)| *present) {
            Some((_, key)) => Err(problem(
                *key,
                format!(
                    "{kind} scenario has no [data], [model], [optimizer], [train], [[runs]], \
                     [surface] or [[racers]]"
                ),
            )),
            None => Ok(()),
        }
    };
    let body = if let Some(l) = f.lorenz {
        alone("a [lorenz]")?;
        Body::Lorenz(check_lorenz(l)?)
    } else if let Some(a) = f.averages {
        alone("an [averages]")?;
        Body::Averages(check_averages(a)?)
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
            _ if data.task() == Task::Regression => None,
            DataKind::Points => Some(
                data.points
                    .iter()
                    .map(|p| p.label + 1)
                    .max()
                    .unwrap_or(2)
                    .max(2),
            ),
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
            speed: match t.speed {
                Some(v) => Some(in_range("train.speed", v, 0.1, 1e7, "epochs a second")?),
                None => def.speed,
            },
            early_stopping: match &t.early_stopping {
                Some(e) => Some(check_early_stopping(e, &data)?),
                None => None,
            },
            stop_at_loss: match t.stop_at_loss {
                Some(v) => Some(in_range(
                    "train.stop_at_loss",
                    v,
                    0.0,
                    1e6,
                    "a finite loss >= 0",
                )?),
                None => None,
            },
            smoothing: match (t.smoothing, t.moving_average) {
                (Some(_), Some(_)) => {
                    return Err(problem(
                        "train.moving_average",
                        "set either `smoothing` (an exponential moving average) or \
                         `moving_average` (a trailing mean over epochs), not both",
                    ));
                }
                (Some(v), None) => Some(Smoothing::Ema(in_range(
                    "train.smoothing",
                    v,
                    0.0,
                    0.999,
                    "a moving-average weight (0.9 keeps 90 % of the average each epoch)",
                )?)),
                (None, Some(n)) => Some(Smoothing::Trailing(count(
                    "train.moving_average",
                    n,
                    2,
                    100_000,
                )?)),
                (None, None) => None,
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
            if data.task() == Task::Regression {
                let (output, loss) = model.head(Task::Regression, 1);
                loss.check_regression(output)
                    .map_err(|m| problem(format!("{at_model}.loss"), m))?;
            }
            if let Some(k) = known_classes {
                let (output, loss) = model.head(Task::Classification, k);
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
                if !(2..=8).contains(&runs.len()) {
                    return Err(problem(
                        "runs",
                        format!("side by side takes 2 to 8 [[runs]], got {}", runs.len()),
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
    let view_file = f.view.unwrap_or_default();
    let weights_layer = match view_file.weights_layer {
        None => None,
        Some(l) => match &body {
            Body::Compare(runs) => {
                // Every run has the layer (runs may differ in depth).
                let layers = runs
                    .iter()
                    .map(|(_, c)| c.model.hidden.len() + 1)
                    .min()
                    .unwrap_or(1);
                Some(count("view.weights_layer", l, 1, layers as i64)? - 1)
            }
            _ => {
                return Err(problem(
                    "view.weights_layer",
                    "shows each run's weights side by side, so it needs [[runs]]",
                ));
            }
        },
    };
    let surface_3d = match view_file.surface.as_deref() {
        None | Some("contour") => false,
        Some("3d") => {
            let weights = matches!(body, Body::Compare(_)) && weights_layer.is_some();
            if !matches!(body, Body::Race(_)) && !weights {
                return Err(problem(
                    "view.surface",
                    "draws a race's surface (with [surface] and [[racers]]) or, with \
                     view.weights_layer, each run's weight matrix in 3-D",
                ));
            }
            true
        }
        Some(other) => {
            return Err(problem(
                "view.surface",
                format!("is \"contour\" or \"3d\", got \"{other}\""),
            ));
        }
    };
    let view = ViewSpec {
        weights_layer,
        surface_3d,
    };
    Ok(Scenario {
        title,
        seed,
        notes,
        body,
        view,
    })
}

fn check_early_stopping(e: &EarlyStoppingFile, data: &DataSpec) -> Checked<EarlyStopping> {
    // A CSV's own `split` column may hold the test points; generated data needs a ratio.
    if data.kind != DataKind::Csv && data.test_ratio == 0.0 {
        return Err(problem(
            "train.early_stopping",
            "watches the test loss, and `data.test_ratio` is 0: set a test ratio (e.g. 0.2)",
        ));
    }
    Ok(EarlyStopping {
        patience: match e.patience {
            Some(p) => count("train.early_stopping.patience", p, 1, 100_000_000)?,
            None => {
                return Err(problem(
                    "train.early_stopping",
                    "needs `patience`: the epochs without improvement before it stops (e.g. 20)",
                ));
            }
        },
        min_delta: match e.min_delta {
            Some(d) => in_range(
                "train.early_stopping.min_delta",
                d,
                0.0,
                1e6,
                "a finite number >= 0",
            )?,
            None => 0.0,
        },
        restore_best: e.restore_best.unwrap_or(false),
    })
}

/// Every data kind, in the order errors list them (`DataKind` has no list of its own).
const DATA_KINDS: [DataKind; 12] = [
    DataKind::Moons,
    DataKind::Circles,
    DataKind::Blobs,
    DataKind::Circle,
    DataKind::Xor,
    DataKind::Gauss,
    DataKind::Spiral,
    DataKind::TwoMoons,
    DataKind::Plane,
    DataKind::MultiGauss,
    DataKind::Csv,
    DataKind::Points,
];

fn check_data(d: DataFile, dir: Option<&Path>) -> Checked<DataSpec> {
    let kind = match &d.kind {
        Some(k) => parse_name("data.kind", k, &DATA_KINDS, DataKind::name)?,
        None => DataKind::Moons,
    };
    let def = DataSpec::default();
    let playground = kind.is_playground();
    let spec = DataSpec {
        kind,
        task: match (&d.task, kind) {
            (Some(t), DataKind::Csv) => parse_name(
                "data.task",
                t,
                &[Task::Classification, Task::Regression],
                Task::name,
            )?,
            (Some(_), k) => {
                return Err(problem(
                    "data.task",
                    format!(
                        "`task` is for kind \"csv\"; kind \"{}\" is a {} by itself",
                        k.name(),
                        k.task().name()
                    ),
                ));
            }
            (None, _) => Task::Classification,
        },
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
        csv: check_csv(&d, kind)?,
        points: check_points(&d, kind)?,
        embedded: None,
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
    // Drawn points are their own sample, without noise.
    let spec = if kind == DataKind::Points {
        DataSpec {
            samples: spec.points.len(),
            noise: 0.0,
            ..spec
        }
    } else {
        spec
    };
    Ok(spec)
}

/// `points` and `test_points`: the points of kind `"points"`, `[x1, x2, label]` each.
fn check_points(d: &DataFile, kind: DataKind) -> Checked<Vec<crate::data::DrawnPoint>> {
    if kind != DataKind::Points {
        for (present, key) in [
            (d.points.is_some(), "data.points"),
            (d.test_points.is_some(), "data.test_points"),
        ] {
            if present {
                return Err(problem(
                    key,
                    "`points` and `test_points` are for kind \"points\"",
                ));
            }
        }
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for (key, rows, test) in [
        ("data.points", &d.points, false),
        ("data.test_points", &d.test_points, true),
    ] {
        for (i, r) in rows.iter().flatten().enumerate() {
            let at = format!("{key}.{i}");
            let &[x1, x2, label] = r.as_slice() else {
                return Err(problem(
                    at,
                    format!("a point is [x1, x2, label], three numbers; got {}", r.len()),
                ));
            };
            if !(x1.is_finite() && x2.is_finite()) || x1.abs() > 1e9 || x2.abs() > 1e9 {
                return Err(problem(
                    at,
                    "coordinates must be finite numbers within ±1e9",
                ));
            }
            if !(label >= 0.0
                && label.fract() == 0.0
                && label < crate::data::MAX_DRAWN_CLASSES as f64)
            {
                return Err(problem(
                    at,
                    format!(
                        "the label must be a class 0 to {}, got {label}",
                        crate::data::MAX_DRAWN_CLASSES - 1
                    ),
                ));
            }
            out.push(crate::data::DrawnPoint {
                x: [x1, x2],
                label: label as usize,
                test,
            });
        }
    }
    if !out.iter().any(|p| !p.test) {
        return Err(problem(
            "data.points",
            "kind \"points\" needs at least one training point: points = [[x1, x2, label], …]",
        ));
    }
    if out.len() > 200_000 {
        return Err(problem("data.points", "at most 200 000 points"));
    }
    Ok(out)
}

/// `x`, `label`, `split` and `delimiter`: which columns of a CSV to read, and how it is cut.
fn check_csv(d: &DataFile, kind: DataKind) -> Checked<CsvSpec> {
    let mut spec = CsvSpec::default();
    if kind != DataKind::Csv {
        for (present, key) in [
            (d.x.is_some(), "x"),
            (d.label.is_some(), "label"),
            (d.split.is_some(), "split"),
            (d.delimiter.is_some(), "delimiter"),
        ] {
            if present {
                return Err(problem(
                    format!("data.{key}"),
                    format!("`{key}` is only for kind \"csv\""),
                ));
            }
        }
        return Ok(spec);
    }
    let column = |c: &ColumnFile, key: &str| -> Checked<Column> {
        match c {
            ColumnFile::Name(n) if !n.trim().is_empty() => Ok(Column::Name(n.trim().to_string())),
            ColumnFile::Name(_) => Err(problem(key, "a column's name cannot be empty")),
            ColumnFile::Index(i) => Ok(Column::Index(count(key, *i, 0, 10_000)?)),
        }
    };
    if let Some(x) = &d.x {
        let [a, b] = x.as_slice() else {
            return Err(problem(
                "data.x",
                format!(
                    "needs two columns, like x = [\"petal_length\", \"petal_width\"] or [0, 1], got {}",
                    x.len()
                ),
            ));
        };
        spec.x = [column(a, "data.x.0")?, column(b, "data.x.1")?];
    }
    if let Some(l) = &d.label {
        spec.label = column(l, "data.label")?;
    }
    if let Some(s) = &d.split {
        spec.split = Some(column(s, "data.split")?);
    }
    if let Some(t) = &d.delimiter {
        let t = if t == "\\t" || t == "tab" {
            "\t"
        } else {
            t.as_str()
        };
        match t.as_bytes() {
            [c] if c.is_ascii() && *c != b'"' && *c != b'#' && *c != b'\n' && *c != b'\r' => {
                spec.delimiter = Some(*c)
            }
            _ => {
                return Err(problem(
                    "data.delimiter",
                    format!(
                        "one ASCII character such as \",\", \";\", \"|\" or \"\\t\" (tab), got {t:?}"
                    ),
                ));
            }
        }
    }
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
    let name_of = |key: String, a: &str| parse_name(&key, a, &Activation::ALL, Activation::name);
    let mut activations = match &m.activation {
        Some(ActivationFile::All(a)) => vec![name_of(format!("{at}.activation"), a)?],
        Some(ActivationFile::PerLayer(list)) => {
            if list.len() != hidden.len() {
                return Err(problem(
                    format!("{at}.activation"),
                    format!(
                        "gives {} activation{} for {} hidden layer{}: give one per layer, or \
                         one name for all",
                        list.len(),
                        if list.len() == 1 { "" } else { "s" },
                        hidden.len(),
                        if hidden.len() == 1 { "" } else { "s" },
                    ),
                ));
            }
            if list.is_empty() {
                def.activations.clone()
            } else {
                list.iter()
                    .enumerate()
                    .map(|(i, a)| name_of(format!("{at}.activation.{i}"), a))
                    .collect::<Checked<Vec<_>>>()?
            }
        }
        None => def.activations.clone(),
    };
    if let Some(s) = m.leaky_slope {
        let s = in_range(&format!("{at}.leaky_slope"), s, 0.0, 1.0, "from 0 to 1")?;
        let mut any = false;
        for a in &mut activations {
            if let Activation::LeakyRelu(_) = a {
                *a = Activation::LeakyRelu(s);
                any = true;
            }
        }
        if !any {
            return Err(problem(
                format!("{at}.leaky_slope"),
                "only applies to activation \"leaky_relu\"",
            ));
        }
    }
    let features = match &m.features {
        None => def.features.clone(),
        Some(list) => {
            let mut out: Vec<Feature> = Vec::new();
            for (i, f) in list.iter().enumerate() {
                let key = format!("{at}.features.{i}");
                let f = parse_name(&key, f, &Feature::ALL, Feature::name)?;
                if out.contains(&f) {
                    return Err(problem(key, format!("\"{}\" is listed twice", f.name())));
                }
                out.push(f);
            }
            if out.is_empty() {
                return Err(problem(
                    format!("{at}.features"),
                    "needs at least one input, e.g. [\"x1\", \"x2\"]",
                ));
            }
            // Playground's order, whatever order the file lists them in.
            out.sort_by_key(|f| Feature::ALL.iter().position(|g| g == f));
            out
        }
    };
    let output = m
        .output
        .as_deref()
        .map(|o| parse_name(&format!("{at}.output"), o, &Output::ALL, Output::name))
        .transpose()?;
    let loss = m
        .loss
        .as_deref()
        .map(|l| parse_name(&format!("{at}.loss"), l, &Loss::ALL, Loss::name))
        .transpose()?;
    let init = match &m.init {
        None => def.init,
        Some(InitFile::Name(n)) => check_init(n, None, at)?,
        Some(InitFile::Table(InitTable { kind, scale })) => check_init(kind, *scale, at)?,
    };
    let penalty = match &m.regularization {
        Some(r) => parse_name(
            &format!("{at}.regularization"),
            r,
            &Penalty::ALL,
            Penalty::name,
        )?,
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
    // Keras' kernel_regularizer on some layers only: layer numbers from 1 (the first hidden
    // layer's incoming weights) to the output layer's, each once.
    let layers = hidden.len() + 1;
    let penalized = match &m.regularized_layers {
        None => Vec::new(),
        Some(_) if penalty == Penalty::None => {
            return Err(problem(
                format!("{at}.regularized_layers"),
                "needs `regularization` (\"l1\" or \"l2\") to say which penalty",
            ));
        }
        Some(ls) => {
            let mut out = Vec::with_capacity(ls.len());
            for &l in ls {
                let n = count(&format!("{at}.regularized_layers"), l, 1, layers as i64)?;
                if out.contains(&(n - 1)) {
                    return Err(problem(
                        format!("{at}.regularized_layers"),
                        format!("layer {n} is listed twice"),
                    ));
                }
                out.push(n - 1);
            }
            if out.is_empty() {
                return Err(problem(
                    format!("{at}.regularized_layers"),
                    format!(
                        "is empty: list layer numbers from 1 to {layers}, or leave it out to \
                         penalize every layer"
                    ),
                ));
            }
            out.sort_unstable();
            out
        }
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
        features,
        hidden,
        activations,
        output,
        loss,
        init,
        penalty,
        penalty_rate,
        penalized,
        dropout,
    })
}

fn check_init(kind: &str, scale: Option<f64>, at: &str) -> Checked<Init> {
    // Each kind; normal's scale is its default, for when the file gives none.
    const INITS: [Init; 4] = [
        Init::Normal { scale: 0.1 },
        Init::Xavier,
        Init::He,
        Init::Playground,
    ];
    let init = parse_name(&format!("{at}.init"), kind, &INITS, Init::name)?;
    Ok(match init {
        Init::Normal { scale: default } => Init::Normal {
            scale: in_range(
                &format!("{at}.init.scale"),
                scale.unwrap_or(default),
                0.0,
                100.0,
                "from 0 to 100",
            )?,
        },
        _ if scale.is_some() => {
            return Err(problem(
                format!("{at}.init.scale"),
                format!("`scale` only applies to kind \"normal\", not \"{kind}\""),
            ));
        }
        other => other,
    })
}

/// PyTorch's constructor options, each only where that optimizer takes it.
fn check_optimizer(
    o: &OptimizerFile,
    at: &str,
    default: OptimizerKind,
) -> Checked<OptimizerConfig> {
    let kind = match &o.kind {
        Some(k) => parse_name(
            &format!("{at}.kind"),
            k,
            &OptimizerKind::ALL,
            OptimizerKind::name,
        )?,
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
    if let Some(s) = &o.schedule {
        let s = check_schedule(s, &format!("{at}.schedule"))?;
        if let Schedule::Cyclic { base_lr, .. } = s {
            // CyclicLR sets the optimizer's rate to `base_lr` itself.
            if o.lr.is_some_and(|lr| lr != base_lr) {
                return Err(problem(
                    format!("{at}.lr"),
                    "with schedule \"cyclic\" the rate runs from `base_lr` to `max_lr` \
                     (CyclicLR sets it): leave `lr` out",
                ));
            }
            c.lr = base_lr;
        }
        c.schedule = Some(s);
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

/// `schedule = { kind = …, … }`: each kind takes its own options, named as PyTorch names them.
fn check_schedule(s: &ScheduleFile, at: &str) -> Checked<Schedule> {
    let Some(kind) = s.kind.as_deref() else {
        return Err(problem(
            at,
            format!("a schedule needs `kind` ({})", Schedule::KINDS.join(", ")),
        ));
    };
    let (torch, takes): (&str, &[&str]) = match kind {
        "step" => ("StepLR", &["step_size", "gamma"]),
        "exponential" => ("ExponentialLR", &["gamma"]),
        "cosine" => ("CosineAnnealingLR", &["T_max", "eta_min"]),
        "cyclic" => (
            "CyclicLR",
            &[
                "base_lr",
                "max_lr",
                "step_size_up",
                "step_size_down",
                "mode",
            ],
        ),
        other => {
            return Err(problem(
                format!("{at}.kind"),
                format!(
                    "unknown value \"{other}\"; expected one of {}",
                    Schedule::KINDS.map(|k| format!("\"{k}\"")).join(", ")
                ),
            ));
        }
    };
    let given = [
        ("step_size", s.step_size.is_some()),
        ("gamma", s.gamma.is_some()),
        ("T_max", s.t_max.is_some()),
        ("eta_min", s.eta_min.is_some()),
        ("base_lr", s.base_lr.is_some()),
        ("max_lr", s.max_lr.is_some()),
        ("step_size_up", s.step_size_up.is_some()),
        ("step_size_down", s.step_size_down.is_some()),
        ("mode", s.mode.is_some()),
    ];
    for (name, present) in given {
        if present && !takes.contains(&name) {
            return Err(problem(
                format!("{at}.{name}"),
                format!(
                    "torch.optim.lr_scheduler.{torch} takes no `{name}` (it takes {})",
                    takes.join(", ")
                ),
            ));
        }
    }
    let need = |name: &str, v: Option<i64>| -> Checked<u64> {
        match v {
            Some(n) => Ok(count(&format!("{at}.{name}"), n, 1, 100_000_000)? as u64),
            None => Err(problem(
                at,
                format!("schedule \"{kind}\" needs `{name}` (a whole number of steps)"),
            )),
        }
    };
    let rate = |name: &str, v: Option<f64>| -> Checked<f64> {
        match v {
            Some(x) => in_range(&format!("{at}.{name}"), x, 0.0, 1e6, "a finite rate >= 0"),
            None => Err(problem(at, format!("schedule \"{kind}\" needs `{name}`"))),
        }
    };
    let gamma = |v: Option<f64>, default: Option<f64>| -> Checked<f64> {
        match v.or(default) {
            Some(g) => in_range(&format!("{at}.gamma"), g, 0.0, 10.0, "from 0 to 10"),
            None => Err(problem(
                at,
                format!("schedule \"{kind}\" needs `gamma` (the factor a step, e.g. 0.95)"),
            )),
        }
    };
    Ok(match kind {
        // StepLR's gamma defaults to 0.1, as in PyTorch; ExponentialLR's has no default.
        "step" => Schedule::Step {
            step_size: need("step_size", s.step_size)?,
            gamma: gamma(s.gamma, Some(0.1))?,
        },
        "exponential" => Schedule::Exponential {
            gamma: gamma(s.gamma, None)?,
        },
        "cosine" => Schedule::Cosine {
            t_max: need("T_max", s.t_max)?,
            eta_min: match s.eta_min {
                Some(_) => rate("eta_min", s.eta_min)?,
                None => 0.0,
            },
        },
        _ => {
            if let Some(m) = s.mode.as_deref()
                && m != "triangular"
            {
                return Err(problem(
                    format!("{at}.mode"),
                    format!("only mode \"triangular\" is built, not \"{m}\""),
                ));
            }
            let base_lr = rate("base_lr", s.base_lr)?;
            let max_lr = rate("max_lr", s.max_lr)?;
            // PyTorch's defaults: step_size_up 2000, step_size_down = step_size_up.
            let up = match s.step_size_up {
                Some(_) => need("step_size_up", s.step_size_up)?,
                None => 2000,
            };
            let down = match s.step_size_down {
                Some(_) => need("step_size_down", s.step_size_down)?,
                None => up,
            };
            Schedule::Cyclic {
                base_lr,
                max_lr,
                step_size_up: up,
                step_size_down: down,
            }
        }
    })
}

fn check_race(s: SurfaceFile, racers: Option<Vec<OptimizerFile>>, seed: u64) -> Checked<Race> {
    let kind = match &s.kind {
        Some(k) => parse_name("surface.kind", k, &SurfaceKind::ALL, SurfaceKind::name)?,
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
            // A view wider than this has no readable axis (and its ticks overflow).
            if hi - lo > 1e9 {
                return Err(problem(
                    format!("surface.{key}"),
                    format!(
                        "spans {:e}: at most 1e9 wide, got [{lo:e}, {hi:e}]",
                        hi - lo
                    ),
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
            let kinds: Vec<_> = OptimizerKind::ALL.iter().map(|k| k.name()).collect();
            return Err(problem(
                at,
                format!("each racer needs `kind` ({})", kinds.join(", ")),
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

fn check_averages(a: AveragesFile) -> Checked<AveragesSpec> {
    let points = match a.points {
        Some(n) => count("averages.points", n, 2, 100_000)?,
        None => 200,
    };
    let noise = match a.noise {
        Some(v) => in_range("averages.noise", v, 0.0, 100.0, "from 0 to 100")?,
        None => 1.0,
    };
    let betas = a.betas.unwrap_or_else(|| vec![0.8, 0.9, 0.95, 0.98]);
    if !(1..=6).contains(&betas.len()) {
        return Err(problem(
            "averages.betas",
            format!("needs 1 to 6 weights, got {}", betas.len()),
        ));
    }
    if let Some(b) = betas
        .iter()
        .find(|b| !(b.is_finite() && **b > 0.0 && **b < 1.0))
    {
        return Err(problem(
            "averages.betas",
            format!(
                "each weight must be above 0 and below 1 (0.9 averages about 10 points), got {b}"
            ),
        ));
    }
    Ok(AveragesSpec {
        points,
        noise,
        betas,
        bias_correction: a.bias_correction.unwrap_or(false),
    })
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

#[cfg(test)]
mod tests {
    use super::super::{Body, parse};

    fn message(text: &str) -> String {
        match parse(text, "s.toml", None) {
            Ok(_) => panic!("expected an error for:\n{text}"),
            Err(e) => e.message,
        }
    }

    #[test]
    fn drawn_points_are_checked_point_by_point() {
        let ok = parse(
            "[data]\nkind = \"points\"\npoints = [[0, 1, 0], [1.5, -2, 1]]\ntest_points = [[2, 2, 3]]\n",
            "s.toml",
            None,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let Body::Classifier(c) = ok.body else {
            panic!("a classifier")
        };
        assert_eq!(c.data.points.len(), 3);
        assert!(c.data.points[2].test && c.data.points[2].label == 3);
        for (text, want) in [
            ("points = [[0, 1]]", "three numbers; got 2"),
            ("points = [[0, 1, 0.5]]", "the label must be a class 0 to 7"),
            ("points = [[0, 1, 9]]", "the label must be a class 0 to 7"),
            (
                "points = [[0, 1, 0]]\ntest_points = [[1e300, 0, 0]]",
                "coordinates must be finite",
            ),
            ("test_points = [[0, 1, 0]]", "at least one training point"),
        ] {
            let m = message(&format!("[data]\nkind = \"points\"\n{text}\n"));
            assert!(m.contains(want), "{text}: {m}");
        }
        assert!(
            message("[data]\nkind = \"moons\"\npoints = [[0, 1, 0]]\n").contains("kind \"points\"")
        );
    }

    #[test]
    fn unknown_names_list_every_name_in_order() {
        let cases = [
            (
                "[data]\nkind = \"x\"\n",
                r#""moons", "circles", "blobs", "circle", "xor", "gauss", "spiral", "two_moons", "plane", "multi_gauss", "csv", "points""#,
            ),
            (
                "[model]\nactivation = \"x\"\n",
                r#""sigmoid", "tanh", "relu", "leaky_relu", "linear""#,
            ),
            (
                "[model]\noutput = \"x\"\n",
                r#""sigmoid", "tanh", "linear", "softmax""#,
            ),
            ("[model]\nloss = \"x\"\n", r#""bce", "cce", "mse""#),
            ("[model]\nregularization = \"x\"\n", r#""none", "l1", "l2""#),
            (
                "[model]\ninit = \"x\"\n",
                r#""normal", "xavier", "he", "playground""#,
            ),
            (
                "[optimizer]\nkind = \"x\"\n",
                r#""sgd", "adagrad", "rmsprop", "adam", "adamw", "adamax""#,
            ),
        ];
        for (text, names) in cases {
            assert_eq!(
                message(text),
                format!("unknown value \"x\"; expected one of {names}"),
                "{text}"
            );
        }
        assert_eq!(
            message("[surface]\nkind = \"beale\"\n[[racers]]\nlr = 0.1\n"),
            "each racer needs `kind` (sgd, adagrad, rmsprop, adam, adamw, adamax)"
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
}
