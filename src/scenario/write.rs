//! From checked values back to a file: [`Scenario::to_toml`], which the editor and
//! `nnbook export` use to show a scenario as it would be written.

use super::file::{
    ActivationFile, AveragesFile, ColumnFile, DataFile, EarlyStoppingFile, InitFile, InitTable,
    LorenzFile, ModelFile, OptimizerFile, RunFile, ScenarioFile, ScheduleFile, SurfaceFile,
    TrainFile, ViewFile,
};
use super::spec::{Body, Classifier, Scenario, Smoothing, ViewSpec};
use crate::data::{Column, CsvSpec, DataKind};
use crate::nn::{Activation, Feature, Init, Penalty};
use crate::optim::{OptimizerConfig, Schedule};
use crate::surface::SurfaceKind;

impl Scenario {
    /// The scenario written back as a file: every setting that differs from its default,
    /// plus the ones a reader expects to see (learning rate, data kind, layers).
    pub fn to_toml(&self) -> String {
        let mut f = ScenarioFile {
            title: Some(self.title.clone()),
            seed: Some(self.seed),
            notes: (!self.notes.is_empty()).then(|| self.notes.clone()),
            view: (self.view != ViewSpec::default()).then(|| ViewFile {
                weights_layer: self.view.weights_layer.map(|l| l as i64 + 1),
                surface: self.view.surface_3d.then(|| "3d".to_string()),
            }),
            ..ScenarioFile::default()
        };
        match &self.body {
            Body::Classifier(c) => write_classifier(&mut f, c),
            Body::Averages(a) => {
                f.averages = Some(AveragesFile {
                    points: Some(a.points as i64),
                    noise: Some(a.noise),
                    betas: Some(a.betas.clone()),
                    bias_correction: Some(a.bias_correction),
                });
            }
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

/// Drawn points of one side as `[x1, x2, label]` rows.
fn drawn_rows(points: &[crate::data::DrawnPoint], test: bool) -> Vec<Vec<f64>> {
    points
        .iter()
        .filter(|p| p.test == test)
        .map(|p| vec![p.x[0], p.x[1], p.label as f64])
        .collect()
}

/// The `[data]`, `[model]`, `[optimizer]` and `[train]` tables of a classifier.
fn write_classifier(f: &mut ScenarioFile, c: &Classifier) {
    let d = &c.data;
    f.data = Some(DataFile {
        kind: Some(d.kind.name().into()),
        task: (d.kind == DataKind::Csv && d.task == crate::data::Task::Regression)
            .then(|| d.task.name().into()),
        samples: (!matches!(d.kind, DataKind::Csv | DataKind::Points)).then_some(d.samples as i64),
        noise: (!matches!(d.kind, DataKind::Csv | DataKind::Points)).then_some(d.noise),
        factor: (d.kind == DataKind::Circles).then_some(d.factor),
        centers: (d.kind == DataKind::Blobs).then_some(d.centers as i64),
        cluster_std: (d.kind == DataKind::Blobs).then_some(d.cluster_std),
        shift: (d.kind == DataKind::TwoMoons).then_some(d.shift),
        test_ratio: Some(d.test_ratio),
        path: d.path.as_ref().map(|p| p.display().to_string()),
        x: (d.kind == DataKind::Csv && d.csv.x != CsvSpec::default().x)
            .then(|| d.csv.x.iter().map(column_file).collect()),
        label: (d.kind == DataKind::Csv && d.csv.label != CsvSpec::default().label)
            .then(|| column_file(&d.csv.label)),
        split: d.csv.split.as_ref().map(column_file),
        delimiter: d.csv.delimiter.map(|c| (c as char).to_string()),
        random_state: d.random_state.map(i64::from),
        split_random_state: d.split_random_state.map(i64::from),
        points: (d.kind == DataKind::Points).then(|| drawn_rows(&d.points, false)),
        test_points: (d.kind == DataKind::Points && d.points.iter().any(|p| p.test))
            .then(|| drawn_rows(&d.points, true)),
    });
    let m = &c.model;
    f.model = Some(ModelFile {
        hidden: Some(m.hidden.iter().map(|&h| h as i64).collect()),
        features: (m.features != Feature::plain())
            .then(|| m.features.iter().map(|f| f.name().into()).collect()),
        activation: Some(if m.uniform_activation() || m.hidden.is_empty() {
            ActivationFile::All(m.activation(0).name().into())
        } else {
            ActivationFile::PerLayer(
                m.layer_activations()
                    .iter()
                    .map(|a| a.name().into())
                    .collect(),
            )
        }),
        leaky_slope: m.activations.iter().find_map(|a| match a {
            Activation::LeakyRelu(s) => Some(*s),
            _ => None,
        }),
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
        regularized_layers: (m.penalty != Penalty::None && !m.penalized.is_empty())
            .then(|| m.penalized.iter().map(|&l| l as i64 + 1).collect()),
        dropout: (m.dropout > 0.0).then_some(m.dropout),
    });
    f.optimizer = Some(optimizer_file(&c.optimizer, None));
    f.train = Some(TrainFile {
        epochs: Some(c.train.epochs as i64),
        batch_size: Some(c.train.batch_size as i64),
        speed: c.train.speed,
        early_stopping: c.train.early_stopping.map(|e| EarlyStoppingFile {
            patience: Some(e.patience as i64),
            min_delta: Some(e.min_delta),
            restore_best: Some(e.restore_best),
        }),
        stop_at_loss: c.train.stop_at_loss,
        smoothing: match c.train.smoothing {
            Some(Smoothing::Ema(w)) => Some(w),
            _ => None,
        },
        moving_average: match c.train.smoothing {
            Some(Smoothing::Trailing(n)) => Some(n as i64),
            _ => None,
        },
    });
}

fn column_file(c: &Column) -> ColumnFile {
    match c {
        Column::Name(n) => ColumnFile::Name(n.clone()),
        Column::Index(i) => ColumnFile::Index(*i as i64),
    }
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
        schedule: c.schedule.map(schedule_file),
    }
}

/// A schedule as its inline table, every option written.
fn schedule_file(s: Schedule) -> ScheduleFile {
    let mut f = ScheduleFile {
        kind: Some(s.kind().into()),
        ..ScheduleFile::default()
    };
    match s {
        Schedule::Step { step_size, gamma } => {
            f.step_size = Some(step_size as i64);
            f.gamma = Some(gamma);
        }
        Schedule::Exponential { gamma } => f.gamma = Some(gamma),
        Schedule::Cosine { t_max, eta_min } => {
            f.t_max = Some(t_max as i64);
            f.eta_min = Some(eta_min);
        }
        Schedule::Cyclic {
            base_lr,
            max_lr,
            step_size_up,
            step_size_down,
        } => {
            f.base_lr = Some(base_lr);
            f.max_lr = Some(max_lr);
            f.step_size_up = Some(step_size_up as i64);
            f.step_size_down = Some(step_size_down as i64);
        }
    }
    f
}

#[cfg(test)]
mod round_trip {
    use super::super::{BUNDLED, load, parse};

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
