//! Two-dimensional datasets: scikit-learn's and TensorFlow Playground's classification
//! families, Playground's two regression problems, the optimizer chapter's two moon sets, CSV
//! files, and train/test splitting.
//! Every draw comes from the generator handed in, seeded from the scenario.

mod csv;
mod numpy;

pub use csv::{Column, CsvSpec, LoadedCsv, load_csv, parse_csv};
pub use numpy::RandomState;

use crate::SeedRng;
use rand::RngExt;
use rand::seq::SliceRandom;
use rand_distr::{Distribution, StandardNormal};
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;
use std::path::PathBuf;

/// What the labels are: classes, or real values to fit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    #[default]
    Classification,
    Regression,
}

impl Task {
    pub fn name(self) -> &'static str {
        match self {
            Task::Classification => "classification",
            Task::Regression => "regression",
        }
    }
}

/// Labelled points in the plane: classes `0..classes` in `y`, or, in a regression, a real
/// target per point in `t` (and every `y` 0, `classes` 1).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dataset {
    pub x: Vec<[f64; 2]>,
    pub y: Vec<usize>,
    pub classes: usize,
    /// Regression targets, one per point; empty in a classification.
    pub t: Vec<f64>,
}

impl Dataset {
    pub fn len(&self) -> usize {
        self.x.len()
    }

    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    fn push(&mut self, p: [f64; 2], label: usize) {
        self.x.push(p);
        self.y.push(label);
        self.classes = self.classes.max(label + 1);
    }

    /// A point with a real-valued target (a regression).
    pub fn push_value(&mut self, p: [f64; 2], target: f64) {
        self.x.push(p);
        self.y.push(0);
        self.t.push(target);
        self.classes = 1;
    }

    pub fn is_regression(&self) -> bool {
        !self.t.is_empty()
    }

    fn subset(&self, idx: &[usize]) -> Dataset {
        Dataset {
            x: idx.iter().map(|&i| self.x[i]).collect(),
            y: idx.iter().map(|&i| self.y[i]).collect(),
            classes: self.classes,
            t: if self.t.is_empty() {
                Vec::new()
            } else {
                idx.iter().map(|&i| self.t[i]).collect()
            },
        }
    }

    /// The smallest rectangle holding every point, as `([xmin, xmax], [ymin, ymax])`.
    pub fn bounds(&self) -> Option<([f64; 2], [f64; 2])> {
        let mut it = self.x.iter();
        let first = it.next()?;
        let mut b = ([first[0], first[0]], [first[1], first[1]]);
        for p in it {
            b.0[0] = b.0[0].min(p[0]);
            b.0[1] = b.0[1].max(p[0]);
            b.1[0] = b.1[0].min(p[1]);
            b.1[1] = b.1[1].max(p[1]);
        }
        Some(b)
    }
}

/// Train and test parts of one dataset.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Split {
    pub train: Dataset,
    pub test: Dataset,
    /// The classes' names, when a file's labels are text (empty otherwise).
    pub names: Vec<String>,
    /// The coordinates' column names, when a file gave them.
    pub columns: Option<[String; 2]>,
}

/// A plane's extent, `([xmin, xmax], [ymin, ymax])`.
pub type View = ([f64; 2], [f64; 2]);

impl Split {
    pub fn classes(&self) -> usize {
        self.train.classes.max(self.test.classes)
    }

    pub fn task(&self) -> Task {
        if self.train.is_regression() {
            Task::Regression
        } else {
            Task::Classification
        }
    }

    pub fn is_regression(&self) -> bool {
        self.task() == Task::Regression
    }

    /// `v` on [`Split::value_scale`] as a fraction in [0, 1], the ramp's place for it: 0.5 at
    /// the middle, and for a value that is not a number.
    pub fn value_fraction(&self, v: f64) -> f64 {
        let [lo, hi] = self.value_scale();
        let f = ((v - lo) / (hi - lo)).clamp(0.0, 1.0);
        if f.is_finite() { f } else { 0.5 }
    }

    /// The targets' range over train and test (a regression; `[0, 1]` otherwise).
    pub fn target_range(&self) -> [f64; 2] {
        let mut it = self.train.t.iter().chain(&self.test.t).copied();
        let Some(first) = it.next() else {
            return [0.0, 1.0];
        };
        it.fold([first, first], |r, v| [r[0].min(v), r[1].max(v)])
    }

    /// The range a regression's values are drawn over, the diverging ramp's ends: symmetric
    /// about 0 when the targets take both signs (0 is then the ramp's neutral middle, as in
    /// Playground's −1 … +1), otherwise the targets' own range.
    pub fn value_scale(&self) -> [f64; 2] {
        let [lo, hi] = self.target_range();
        let r = if lo < 0.0 && hi > 0.0 {
            let m = lo.abs().max(hi);
            [-m, m]
        } else {
            [lo, hi]
        };
        if r[1] - r[0] > 1e-12 {
            r
        } else {
            [r[0] - 1.0, r[1] + 1.0]
        }
    }

    /// Class `c`'s name: the file's text label, or its number.
    pub fn class_name(&self, c: usize) -> String {
        self.names.get(c).cloned().unwrap_or_else(|| c.to_string())
    }

    /// The plane the field shows: the points' bounds rounded out to a round step (about
    /// eight steps across), so the axes are labelled on round numbers; Playground's data,
    /// within ±6, comes out at ±6.
    pub fn round_view(&self) -> View {
        let mut b = [[f64::INFINITY, f64::NEG_INFINITY]; 2];
        for p in self.train.x.iter().chain(&self.test.x) {
            for (a, &v) in b.iter_mut().zip(p) {
                if v.is_finite() {
                    a[0] = a[0].min(v);
                    a[1] = a[1].max(v);
                }
            }
        }
        if b.iter().any(|a| a[0] > a[1] || a[0].is_nan()) {
            return self.view();
        }
        let span = b.iter().map(|a| a[1] - a[0]).fold(0.0, f64::max);
        if span <= 1e-9 || !span.is_finite() {
            return self.view();
        }
        let raw = span / 8.0;
        let pow = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 2.5, 5.0, 10.0]
            .iter()
            .map(|m| m * pow)
            .find(|&s| s >= raw * (1.0 - 1e-9))
            .unwrap_or(10.0 * pow);
        let round = |a: [f64; 2]| {
            let (mut lo, mut hi) = ((a[0] / step).floor() * step, (a[1] / step).ceil() * step);
            if hi - lo < step {
                lo -= step / 2.0;
                hi += step / 2.0;
            }
            [lo, hi]
        };
        (round(b[0]), round(b[1]))
    }

    /// Bounds of train and test together, padded by 10% on each side.
    pub fn view(&self) -> ([f64; 2], [f64; 2]) {
        let all = Dataset {
            x: self.train.x.iter().chain(&self.test.x).copied().collect(),
            ..Dataset::default()
        };
        let (bx, by) = all.bounds().unwrap_or(([-1.0, 1.0], [-1.0, 1.0]));
        let pad = |r: [f64; 2]| {
            let w = (r[1] - r[0]).max(1e-9) * 0.1;
            [r[0] - w, r[1] + w]
        };
        (pad(bx), pad(by))
    }
}

/// The dataset families a scenario can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataKind {
    Moons,
    Circles,
    Blobs,
    Circle,
    Xor,
    Gauss,
    Spiral,
    TwoMoons,
    Plane,
    MultiGauss,
    Csv,
    /// Points drawn by hand (the live view's draw mode), kept in the scenario.
    Points,
}

impl DataKind {
    /// The generated kinds, in the order the parameters panel cycles through them.
    pub const GENERATED: [DataKind; 10] = [
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
    ];

    pub fn name(self) -> &'static str {
        match self {
            DataKind::Moons => "moons",
            DataKind::Circles => "circles",
            DataKind::Blobs => "blobs",
            DataKind::Circle => "circle",
            DataKind::Xor => "xor",
            DataKind::Gauss => "gauss",
            DataKind::Spiral => "spiral",
            DataKind::TwoMoons => "two_moons",
            DataKind::Plane => "plane",
            DataKind::MultiGauss => "multi_gauss",
            DataKind::Csv => "csv",
            DataKind::Points => "points",
        }
    }

    /// What a generated kind's labels are (a CSV says it with `task`).
    pub fn task(self) -> Task {
        match self {
            DataKind::Plane | DataKind::MultiGauss => Task::Regression,
            _ => Task::Classification,
        }
    }

    /// Playground's families take noise as a fraction in [0, 0.5] of its UI's 0–50 slider.
    pub fn is_playground(self) -> bool {
        matches!(
            self,
            DataKind::Circle
                | DataKind::Xor
                | DataKind::Gauss
                | DataKind::Spiral
                | DataKind::Plane
                | DataKind::MultiGauss
        )
    }
}

/// One point drawn by hand: where, its class, and whether it is a test point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DrawnPoint {
    pub x: [f64; 2],
    pub label: usize,
    pub test: bool,
}

/// The classes a drawing may have (keys 0–7).
pub const MAX_DRAWN_CLASSES: usize = 8;

/// Drawn points as a split, each on its own side; at least two classes (a field of one
/// colour still trains, towards that class).
pub fn drawn_split(points: &[DrawnPoint]) -> Split {
    let mut all = Dataset::default();
    for p in points {
        all.push(p.x, p.label);
    }
    all.classes = all.classes.max(2);
    let (tr, te): (Vec<usize>, Vec<usize>) = (0..points.len()).partition(|&i| !points[i].test);
    let mut s = Split {
        train: all.subset(&tr),
        test: all.subset(&te),
        ..Split::default()
    };
    s.train.classes = all.classes;
    s.test.classes = all.classes;
    s
}

/// What to generate or load, checked (see `scenario`).
#[derive(Clone, Debug, PartialEq)]
pub struct DataSpec {
    pub kind: DataKind,
    /// `csv`: whether the labels are classes or real values to fit (generated kinds know
    /// their own: see [`DataSpec::task`]).
    pub task: Task,
    pub samples: usize,
    pub noise: f64,
    /// `circles`: radius of the inner circle relative to the outer one.
    pub factor: f64,
    /// `blobs`: number of clusters and their standard deviation.
    pub centers: usize,
    pub cluster_std: f64,
    /// `two_moons`: how far right the second set sits.
    pub shift: f64,
    /// Fraction of points held out for testing (ignored when a CSV has a `split` column).
    pub test_ratio: f64,
    /// `csv`: the file, already resolved against the scenario's folder.
    pub path: Option<PathBuf>,
    /// `csv`: the columns to read and the delimiter.
    pub csv: CsvSpec,
    /// `points`: the points drawn, in the order drawn.
    pub points: Vec<DrawnPoint>,
    /// `csv`: the file's text when it is compiled in (a bundled chapter's data), read
    /// instead of `path`, which still names it.
    pub embedded: Option<&'static str>,
    /// `moons`, `circles`: draw the points with scikit-learn's `random_state` (NumPy's legacy
    /// generator) instead of the scenario's seed.
    pub random_state: Option<u32>,
    /// Split as `train_test_split(random_state=…)` instead of with the scenario's seed.
    pub split_random_state: Option<u32>,
}

impl DataSpec {
    /// Classes or real values: a generated kind's own, a CSV's `task`.
    pub fn task(&self) -> Task {
        match self.kind {
            DataKind::Csv => self.task,
            k => k.task(),
        }
    }

    /// The family's name, and scikit-learn's `random_state` when the points are its own:
    /// `moons (sklearn 100)`.
    pub fn label(&self) -> String {
        match self.random_state {
            Some(state) => format!("{} (sklearn {state})", self.kind.name()),
            None => self.kind.name().into(),
        }
    }
}

impl Default for DataSpec {
    fn default() -> Self {
        DataSpec {
            kind: DataKind::Moons,
            task: Task::Classification,
            samples: 1000,
            noise: 0.2,
            factor: 0.8,
            centers: 3,
            cluster_std: 1.0,
            shift: 2.0,
            test_ratio: 0.2,
            path: None,
            csv: CsvSpec::default(),
            points: Vec::new(),
            embedded: None,
            random_state: None,
            split_random_state: None,
        }
    }
}

/// Errors making a dataset.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("{path}:{line}: {message}")]
    Csv {
        path: String,
        line: usize,
        message: String,
    },
    #[error("{path}: {message}")]
    File { path: String, message: String },
    #[error("{0}")]
    Invalid(String),
}

/// Builds the train/test split the spec describes, drawing from `rng`.
pub fn make(spec: &DataSpec, rng: &mut SeedRng) -> Result<Split, DataError> {
    let n = spec.samples;
    let sklearn = spec.random_state.map(RandomState::new);
    let mut names = Vec::new();
    let mut columns = None;
    let (all, presplit) = match (spec.kind, sklearn) {
        (DataKind::Moons, Some(mut np)) => (moons(n, spec.noise, &mut np), None),
        (DataKind::Circles, Some(mut np)) => (circles(n, spec.noise, spec.factor, &mut np), None),
        (kind, Some(_)) => {
            return Err(DataError::Invalid(format!(
                "`random_state` draws scikit-learn's own points: kind \"moons\" or \"circles\", not \"{}\"",
                kind.name()
            )));
        }
        (DataKind::Moons, None) => (moons(n, spec.noise, rng), None),
        (DataKind::Circles, None) => (circles(n, spec.noise, spec.factor, rng), None),
        (DataKind::Blobs, None) => (blobs(n, spec.centers, spec.cluster_std, rng), None),
        (DataKind::Circle, None) => (pg_circle(n, spec.noise, rng), None),
        (DataKind::Xor, None) => (pg_xor(n, spec.noise, rng), None),
        (DataKind::Gauss, None) => (pg_gauss(n, spec.noise, rng), None),
        (DataKind::Spiral, None) => (pg_spiral(n, spec.noise, rng), None),
        (DataKind::TwoMoons, None) => (two_moons(n, spec.noise, spec.shift, rng), None),
        (DataKind::Plane, None) => (pg_plane(n, spec.noise, rng), None),
        (DataKind::MultiGauss, None) => (pg_multi_gauss(n, spec.noise, rng), None),
        (DataKind::Points, None) => {
            let s = drawn_split(&spec.points);
            if s.train.is_empty() {
                return Err(DataError::Invalid(
                    "no training points yet: draw some (0–7 or a click in draw mode)".into(),
                ));
            }
            return Ok(s);
        }
        (DataKind::Csv, None) => {
            let path = spec
                .path
                .as_ref()
                .ok_or_else(|| DataError::Invalid("kind \"csv\" needs a `path`".into()))?;
            let csv = CsvSpec {
                regression: spec.task == Task::Regression,
                ..spec.csv.clone()
            };
            let loaded = match spec.embedded {
                Some(text) => csv::parse_csv(text, &path.display().to_string(), &csv)?,
                None => load_csv(path, &csv)?,
            };
            names = loaded.names;
            columns = Some(loaded.columns);
            (loaded.data, loaded.split)
        }
    };
    let mut split = match presplit {
        Some(is_test) => {
            let (mut tr, mut te) = (Vec::new(), Vec::new());
            for (i, t) in is_test.into_iter().enumerate() {
                if t { te.push(i) } else { tr.push(i) }
            }
            let mut s = Split {
                train: all.subset(&tr),
                test: all.subset(&te),
                ..Split::default()
            };
            s.train.classes = all.classes;
            s.test.classes = all.classes;
            s
        }
        None => match spec.split_random_state {
            Some(state) => split(&all, spec.test_ratio, &mut RandomState::new(state)),
            None => split(&all, spec.test_ratio, rng),
        },
    };
    split.names = names;
    split.columns = columns;
    // A file's data is refused naming the file (the scenario's `data.path`).
    let refuse = |message: &str| match (&spec.kind, &spec.path) {
        (DataKind::Csv, Some(p)) => DataError::File {
            path: p.display().to_string(),
            message: format!("{message} (the file of `data.path`)"),
        },
        _ => DataError::Invalid(message.to_string()),
    };
    if split.train.is_empty() {
        return Err(refuse(
            "the training set is empty: lower `test_ratio` or add samples",
        ));
    }
    if split.is_regression() {
        let [lo, hi] = split.target_range();
        if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
            return Err(refuse(
                "every target has the same value: a regression needs targets that vary",
            ));
        }
    } else if split.classes() < 2 {
        return Err(refuse(
            "the data has a single class: a classifier needs at least two",
        ));
    }
    Ok(split)
}

/// Shuffles and holds out `ceil(ratio·n)` points for testing, like scikit-learn's
/// `train_test_split`.
pub fn split(all: &Dataset, ratio: f64, rng: &mut impl Draw) -> Split {
    let mut idx: Vec<usize> = (0..all.len()).collect();
    rng.shuffle_indices(&mut idx);
    let n_test = ((ratio * all.len() as f64).ceil() as usize).min(all.len());
    let (te, tr) = idx.split_at(n_test);
    let mut s = Split {
        train: all.subset(tr),
        test: all.subset(te),
        ..Split::default()
    };
    s.train.classes = all.classes;
    s.test.classes = all.classes;
    s
}

fn normal(rng: &mut SeedRng) -> f64 {
    StandardNormal.sample(rng)
}

/// The draws scikit-learn's families and the split need, from the scenario's seeded generator
/// or from NumPy's `RandomState` when a scenario asks for scikit-learn's own points.
pub trait Draw {
    fn normal(&mut self) -> f64;
    fn shuffle_indices(&mut self, idx: &mut [usize]);
}

impl Draw for SeedRng {
    fn normal(&mut self) -> f64 {
        normal(self)
    }

    fn shuffle_indices(&mut self, idx: &mut [usize]) {
        idx.shuffle(self);
    }
}

impl Draw for RandomState {
    fn normal(&mut self) -> f64 {
        self.gauss()
    }

    fn shuffle_indices(&mut self, idx: &mut [usize]) {
        self.shuffle(idx);
    }
}

fn uniform(rng: &mut SeedRng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * rng.random::<f64>()
}

/// `linspace(0, end, n)` with or without the endpoint, computed as NumPy does (`i·step`, the
/// endpoint itself last) so that scikit-learn's points come out bit for bit.
fn linspace(end: f64, n: usize, endpoint: bool) -> impl Iterator<Item = f64> {
    let div = if endpoint { n.saturating_sub(1) } else { n };
    let step = if div > 0 { end / div as f64 } else { 0.0 };
    (0..n).map(move |i| {
        if endpoint && n > 1 && i + 1 == n {
            end
        } else {
            i as f64 * step
        }
    })
}

/// scikit-learn's `make_moons`: two interleaving half circles, label 0 the upper one.
pub fn moons(n: usize, noise: f64, rng: &mut impl Draw) -> Dataset {
    let n_out = n / 2;
    let n_in = n - n_out;
    let mut d = Dataset::default();
    for t in linspace(PI, n_out, true) {
        d.push([t.cos(), t.sin()], 0);
    }
    for t in linspace(PI, n_in, true) {
        d.push([1.0 - t.cos(), 1.0 - t.sin() - 0.5], 1);
    }
    shuffle_and_jitter(d, noise, rng)
}

/// scikit-learn's `make_circles`: label 0 the outer circle, 1 the inner one at `factor`.
pub fn circles(n: usize, noise: f64, factor: f64, rng: &mut impl Draw) -> Dataset {
    let n_out = n / 2;
    let n_in = n - n_out;
    let mut d = Dataset::default();
    for t in linspace(2.0 * PI, n_out, false) {
        d.push([t.cos(), t.sin()], 0);
    }
    for t in linspace(2.0 * PI, n_in, false) {
        d.push([factor * t.cos(), factor * t.sin()], 1);
    }
    shuffle_and_jitter(d, noise, rng)
}

fn shuffle_and_jitter(d: Dataset, noise: f64, rng: &mut impl Draw) -> Dataset {
    let mut idx: Vec<usize> = (0..d.len()).collect();
    rng.shuffle_indices(&mut idx);
    let mut out = d.subset(&idx);
    if noise > 0.0 {
        for p in &mut out.x {
            p[0] += noise * rng.normal();
            p[1] += noise * rng.normal();
        }
    }
    out
}

/// scikit-learn's `make_blobs`: centres uniform in (−10, 10)², points N(centre, σ²).
pub fn blobs(n: usize, centers: usize, std: f64, rng: &mut SeedRng) -> Dataset {
    let k = centers.max(1);
    let c: Vec<[f64; 2]> = (0..k)
        .map(|_| [uniform(rng, -10.0, 10.0), uniform(rng, -10.0, 10.0)])
        .collect();
    let mut d = Dataset::default();
    for i in 0..n {
        // scikit-learn gives the first n % k centres one extra point.
        let label = i * k / n.max(1);
        let cc = c[label.min(k - 1)];
        d.push(
            [cc[0] + std * normal(rng), cc[1] + std * normal(rng)],
            label,
        );
    }
    d.classes = k;
    let mut idx: Vec<usize> = (0..d.len()).collect();
    idx.shuffle(rng);
    d.subset(&idx)
}

/// Playground's label convention: its +1 class is our 1, its −1 class our 0.
fn pg_label(positive: bool) -> usize {
    usize::from(positive)
}

/// Playground's `classifyCircleData`: radius 5; the positive class inside r < 2.5, the
/// negative one in 3.5 < r < 5; noise moves the point used for labelling, flipping labels
/// near the gap.
pub fn pg_circle(n: usize, noise: f64, rng: &mut SeedRng) -> Dataset {
    let radius = 5.0;
    let mut d = Dataset::default();
    for (count, lo, hi) in [
        (n / 2, 0.0, radius * 0.5),
        (n - n / 2, radius * 0.7, radius),
    ] {
        for _ in 0..count {
            let r = uniform(rng, lo, hi);
            let angle = uniform(rng, 0.0, 2.0 * PI);
            let (x, y) = (r * angle.sin(), r * angle.cos());
            let nx = uniform(rng, -radius, radius) * noise;
            let ny = uniform(rng, -radius, radius) * noise;
            let inside = (x + nx).hypot(y + ny) < radius * 0.5;
            d.push([x, y], pg_label(inside));
        }
    }
    d.classes = 2;
    d
}

/// Playground's `classifyXORData`: uniform in ±5 with a 0.3 gap at the axes; the label is
/// the sign of x·y at a noise-moved point.
pub fn pg_xor(n: usize, noise: f64, rng: &mut SeedRng) -> Dataset {
    let mut d = Dataset::default();
    let padding = 0.3;
    for _ in 0..n {
        let mut x = uniform(rng, -5.0, 5.0);
        x += if x > 0.0 { padding } else { -padding };
        let mut y = uniform(rng, -5.0, 5.0);
        y += if y > 0.0 { padding } else { -padding };
        let nx = uniform(rng, -5.0, 5.0) * noise;
        let ny = uniform(rng, -5.0, 5.0) * noise;
        d.push([x, y], pg_label((x + nx) * (y + ny) >= 0.0));
    }
    d.classes = 2;
    d
}

/// Playground's `classifyTwoGaussData`: clusters at (2, 2) and (−2, −2) whose variance
/// grows from 0.5 to 4 as noise goes from 0 to 0.5.
pub fn pg_gauss(n: usize, noise: f64, rng: &mut SeedRng) -> Dataset {
    let variance = 0.5 + (4.0 - 0.5) * (noise / 0.5);
    let sd = variance.max(0.0).sqrt();
    let mut d = Dataset::default();
    for (count, c, positive) in [(n / 2, 2.0, true), (n - n / 2, -2.0, false)] {
        for _ in 0..count {
            d.push(
                [c + sd * normal(rng), c + sd * normal(rng)],
                pg_label(positive),
            );
        }
    }
    d.classes = 2;
    d
}

/// Playground's `classifySpiralData`: two arms of 1.75 turns out to radius 5, positions
/// jittered by noise·U(−1, 1).
pub fn pg_spiral(n: usize, noise: f64, rng: &mut SeedRng) -> Dataset {
    let mut d = Dataset::default();
    for (count, delta, positive) in [(n / 2, 0.0, true), (n - n / 2, PI, false)] {
        let m = count.max(1) as f64;
        for i in 0..count {
            let r = i as f64 / m * 5.0;
            let t = 1.75 * i as f64 / m * 2.0 * PI + delta;
            let x = r * t.sin() + uniform(rng, -1.0, 1.0) * noise;
            let y = r * t.cos() + uniform(rng, -1.0, 1.0) * noise;
            d.push([x, y], pg_label(positive));
        }
    }
    d.classes = 2;
    d
}

/// Playground's two regression problems draw alike: points uniform in ±6, each target read by
/// `target` at the point moved by noise·U(−6, 6) on each axis.
fn pg_regression(
    n: usize,
    noise: f64,
    rng: &mut SeedRng,
    target: impl Fn(f64, f64) -> f64,
) -> Dataset {
    let radius = 6.0;
    let mut d = Dataset::default();
    for _ in 0..n {
        let x = uniform(rng, -radius, radius);
        let y = uniform(rng, -radius, radius);
        let nx = uniform(rng, -radius, radius) * noise;
        let ny = uniform(rng, -radius, radius) * noise;
        d.push_value([x, y], target(x + nx, y + ny));
    }
    d
}

/// Playground's `regressPlane`: the target (x + y)/10 (so in [−1.2, 1.2]): d3's linear scale
/// from [−10, 10] to [−1, 1], unclamped.
pub fn pg_plane(n: usize, noise: f64, rng: &mut SeedRng) -> Dataset {
    pg_regression(n, noise, rng, |x, y| (x + y) / 10.0)
}

/// Playground's `regressGaussian`'s six bumps: centre and sign.
pub const MULTI_GAUSS: [(f64, f64, f64); 6] = [
    (-4.0, 2.5, 1.0),
    (0.0, 2.5, -1.0),
    (4.0, 2.5, 1.0),
    (-4.0, -2.5, -1.0),
    (0.0, -2.5, 1.0),
    (4.0, -2.5, -1.0),
];

/// The target of Playground's `regressGaussian` at `(x, y)`: of the six bumps, the one with
/// the largest magnitude, each `sign·max(0, 1 − dist/2)`.
pub fn multi_gauss_target(x: f64, y: f64) -> f64 {
    let mut label: f64 = 0.0;
    for (cx, cy, sign) in MULTI_GAUSS {
        let v = sign * (1.0 - (x - cx).hypot(y - cy) / 2.0).clamp(0.0, 1.0);
        if v.abs() > label.abs() {
            label = v;
        }
    }
    label
}

/// Playground's `regressGaussian`: the target of the six bumps.
pub fn pg_multi_gauss(n: usize, noise: f64, rng: &mut SeedRng) -> Dataset {
    pg_regression(n, noise, rng, multi_gauss_target)
}

/// The optimizer chapter's data: two `make_moons` sets of n/2 points, the second shifted
/// right by `shift`.
pub fn two_moons(n: usize, noise: f64, shift: f64, rng: &mut SeedRng) -> Dataset {
    let a = moons(n / 2, noise, rng);
    let mut b = moons(n - n / 2, noise, rng);
    for p in &mut b.x {
        p[0] += shift;
    }
    let mut d = a;
    for (p, y) in b.x.into_iter().zip(b.y) {
        d.push(p, y);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn rng() -> SeedRng {
        SeedRng::seed_from_u64(7)
    }

    #[test]
    fn playground_plane_is_x_plus_y_over_ten_at_a_noise_moved_point() {
        // Noise 0: every target is exactly (x + y)/10, the points uniform in ±6.
        let d = pg_plane(2000, 0.0, &mut rng());
        assert_eq!((d.len(), d.t.len(), d.classes), (2000, 2000, 1));
        assert!(d.is_regression() && d.y.iter().all(|&y| y == 0));
        for (p, t) in d.x.iter().zip(&d.t) {
            assert!(p[0].abs() <= 6.0 && p[1].abs() <= 6.0, "{p:?}");
            assert!((t - (p[0] + p[1]) / 10.0).abs() < 1e-12);
        }
        let (bx, by) = d.bounds().expect("points");
        assert!(bx[0] < -5.9 && bx[1] > 5.9 && by[0] < -5.9 && by[1] > 5.9);
        // Noise 0.5 moves the point read by up to 0.5·6 on each axis: a target differs from
        // the noiseless plane by at most 0.6, and most targets differ.
        let d = pg_plane(2000, 0.5, &mut rng());
        let off: Vec<f64> =
            d.x.iter()
                .zip(&d.t)
                .map(|(p, t)| (t - (p[0] + p[1]) / 10.0).abs())
                .collect();
        assert!(off.iter().all(|&o| o <= 0.6 + 1e-12));
        assert!(off.iter().filter(|&&o| o > 0.05).count() > 1500);
        // Its spread is U(−3, 3) + U(−3, 3) over 10: a variance of 2·9/3/100 = 0.06.
        let var = off.iter().map(|o| o * o).sum::<f64>() / off.len() as f64;
        assert!((var - 0.06).abs() < 0.01, "{var}");
    }

    #[test]
    fn playground_multi_gauss_has_six_signed_bumps_of_radius_two() {
        // The bumps' centres are ±1, the target falls linearly to 0 two units out.
        for (cx, cy, sign) in MULTI_GAUSS {
            assert_eq!(multi_gauss_target(cx, cy), sign);
            assert!((multi_gauss_target(cx + 1.0, cy) - sign * 0.5).abs() < 1e-12);
            // Just over two units from this centre and every other one.
            assert_eq!(multi_gauss_target(cx + 2.0, cy + 0.1), 0.0);
        }
        // Between the rows, 2.5 from every centre: nothing.
        assert_eq!(multi_gauss_target(0.0, 0.0), 0.0);
        assert_eq!(multi_gauss_target(-2.0, 0.0), 0.0);
        // Of two overlapping bumps, the larger in magnitude wins.
        assert!((multi_gauss_target(-2.2, 2.5) - (-(1.0 - 2.2 / 2.0))).abs() < 1e-12);
        let d = pg_multi_gauss(3000, 0.0, &mut rng());
        assert_eq!(d.t.len(), 3000);
        for (p, &t) in d.x.iter().zip(&d.t) {
            assert!(p[0].abs() <= 6.0 && p[1].abs() <= 6.0);
            assert_eq!(t, multi_gauss_target(p[0], p[1]));
            assert!((-1.0..=1.0).contains(&t));
        }
        // Six bumps of area π·2² in a 12×12 square: about 52% of the points are inside one.
        let inside = d.t.iter().filter(|t| t.abs() > 0.0).count() as f64 / 3000.0;
        assert!(
            (inside - 6.0 * std::f64::consts::PI * 4.0 / 144.0).abs() < 0.05,
            "{inside}"
        );
        // Noise moves the point read, not the point: positions stay in ±6.
        let n = pg_multi_gauss(3000, 0.5, &mut rng());
        assert!(n.x.iter().all(|p| p[0].abs() <= 6.0 && p[1].abs() <= 6.0));
        let moved =
            n.x.iter()
                .zip(&n.t)
                .filter(|(p, t)| **t != multi_gauss_target(p[0], p[1]))
                .count();
        assert!(moved > 1000, "{moved}");
    }

    #[test]
    fn a_regression_split_keeps_each_point_with_its_target() {
        let spec = DataSpec {
            kind: DataKind::Plane,
            samples: 200,
            noise: 0.0,
            test_ratio: 0.5,
            ..DataSpec::default()
        };
        let s = make(&spec, &mut rng()).expect("plane");
        assert!(s.is_regression());
        assert_eq!((s.train.len(), s.test.len()), (100, 100));
        for d in [&s.train, &s.test] {
            for (p, t) in d.x.iter().zip(&d.t) {
                assert!((t - (p[0] + p[1]) / 10.0).abs() < 1e-12);
            }
        }
        // Both signs: the scale is symmetric about 0, the ramp's neutral middle.
        let [lo, hi] = s.value_scale();
        assert_eq!(lo, -hi);
        assert!(hi > 1.0 && hi <= 1.2);
    }

    #[test]
    fn moons_without_noise_lie_on_the_half_circles() {
        let d = moons(100, 0.0, &mut rng());
        assert_eq!(d.len(), 100);
        assert_eq!(d.y.iter().filter(|&&y| y == 0).count(), 50);
        for (p, &y) in d.x.iter().zip(&d.y) {
            let r = if y == 0 {
                p[0].hypot(p[1])
            } else {
                (p[0] - 1.0).hypot(p[1] - 0.5)
            };
            assert!((r - 1.0).abs() < 1e-12, "{p:?} {y}");
        }
    }

    #[test]
    fn circles_factor_sets_the_inner_radius() {
        let d = circles(200, 0.0, 0.3, &mut rng());
        for (p, &y) in d.x.iter().zip(&d.y) {
            let r = p[0].hypot(p[1]);
            assert!((r - if y == 0 { 1.0 } else { 0.3 }).abs() < 1e-12);
        }
    }

    #[test]
    fn playground_noise_flips_circle_labels_but_not_positions() {
        let clean = pg_circle(500, 0.0, &mut rng());
        for (p, &y) in clean.x.iter().zip(&clean.y) {
            assert_eq!(y == 1, p[0].hypot(p[1]) < 2.5);
        }
        let noisy = pg_circle(500, 0.5, &mut rng());
        let wrong = noisy
            .x
            .iter()
            .zip(&noisy.y)
            .filter(|(p, y)| (**y == 1) != (p[0].hypot(p[1]) < 2.5))
            .count();
        assert!(
            wrong > 10,
            "noise 0.5 should flip some labels, flipped {wrong}"
        );
        assert!(noisy.x.iter().all(|p| p[0].hypot(p[1]) <= 5.0));
    }

    #[test]
    fn xor_labels_follow_the_quadrant_without_noise() {
        let d = pg_xor(300, 0.0, &mut rng());
        for (p, &y) in d.x.iter().zip(&d.y) {
            assert_eq!(y == 1, p[0] * p[1] >= 0.0);
            assert!(p[0].abs() >= 0.3 && p[1].abs() >= 0.3);
        }
    }

    #[test]
    fn gauss_noise_widens_the_clusters() {
        let spread = |noise| {
            let d = pg_gauss(2000, noise, &mut rng());
            let (s, n) =
                d.x.iter()
                    .zip(&d.y)
                    .filter(|(_, y)| **y == 1)
                    .fold((0.0, 0.0), |(s, n), (p, _)| {
                        (s + (p[0] - 2.0).powi(2), n + 1.0)
                    });
            s / n
        };
        assert!((spread(0.0) - 0.5).abs() < 0.1);
        assert!((spread(0.5) - 4.0).abs() < 0.6);
    }

    #[test]
    fn two_moons_are_side_by_side() {
        let d = two_moons(400, 0.0, 2.0, &mut rng());
        assert_eq!(d.len(), 400);
        assert!(d.x.iter().filter(|p| p[0] > 2.9).count() > 50);
    }

    #[test]
    fn split_holds_out_the_ratio_and_keeps_every_point() {
        let d = moons(1000, 0.2, &mut rng());
        let s = split(&d, 0.1, &mut rng());
        assert_eq!((s.train.len(), s.test.len()), (900, 100));
        let mut all: Vec<_> = s.train.x.iter().chain(&s.test.x).map(|p| p[0]).collect();
        let mut orig: Vec<_> = d.x.iter().map(|p| p[0]).collect();
        all.sort_by(f64::total_cmp);
        orig.sort_by(f64::total_cmp);
        assert_eq!(all, orig);
    }

    #[test]
    fn same_seed_same_data() {
        let spec = DataSpec::default();
        assert_eq!(make(&spec, &mut rng()).ok(), make(&spec, &mut rng()).ok());
    }
}
