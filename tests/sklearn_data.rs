//! `data.random_state` and `data.split_random_state` draw the points and the split exactly as
//! scikit-learn does. The expected files were written by scikit-learn itself:
//! `seed-moons-1000.csv` is the NumPy chapter's `make_moons(1000, noise=0.2, random_state=100)`
//! split by `train_test_split(test_size=0.1, random_state=42)` (from `shared/reference`), and
//! `sklearn-circles-201.csv` is `make_circles(201, factor=0.3, noise=0.1, random_state=7)`
//! split by `train_test_split(test_size=0.25, random_state=3)` (scikit-learn 1.9.1, NumPy 2.4.6;
//! an odd count, so the two circles differ in size).

use nnbook::data::{self, Split, load_csv};
use nnbook::scenario::{self, Body};
use nnbook::train::{Stream, rng};
use std::path::Path;

fn generated(data_table: &str) -> Split {
    let text = format!("seed = 1\n[data]\n{data_table}");
    let sc = scenario::parse(&text, "sklearn.toml", None).unwrap_or_else(|e| panic!("{e}"));
    let Body::Classifier(spec) = sc.body else {
        panic!("not a classifier")
    };
    let mut rng = rng(sc.seed, Stream::Data);
    data::make(&spec.data, &mut rng).unwrap_or_else(|e| panic!("{e}"))
}

fn expected(file: &str) -> Split {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(file);
    let loaded = load_csv(&path, &Default::default()).unwrap_or_else(|e| panic!("{e}"));
    let is_test = loaded.split.expect("the reference file has a split column");
    let mut s = Split::default();
    for ((p, y), t) in loaded.data.x.iter().zip(&loaded.data.y).zip(is_test) {
        let part = if t { &mut s.test } else { &mut s.train };
        part.x.push(*p);
        part.y.push(*y);
    }
    s
}

/// Same points in the same order, to the last bit (the files hold 17 significant digits).
fn assert_same(ours: &[[f64; 2]], ours_y: &[usize], theirs: &[[f64; 2]], theirs_y: &[usize]) {
    assert_eq!(ours.len(), theirs.len());
    for (i, (a, b)) in ours.iter().zip(theirs).enumerate() {
        assert_eq!(a, b, "point {i}");
    }
    assert_eq!(ours_y, theirs_y);
}

/// The scenario's `[data]` table draws exactly the points and split of the reference file.
fn assert_reproduces(data_table: &str, file: &str) {
    let ours = generated(data_table);
    let theirs = expected(file);
    assert_same(
        &ours.train.x,
        &ours.train.y,
        &theirs.train.x,
        &theirs.train.y,
    );
    assert_same(&ours.test.x, &ours.test.y, &theirs.test.x, &theirs.test.y);
}

#[test]
fn moons_with_random_state_are_scikit_learns_points() {
    assert_reproduces(
        "kind = \"moons\"\nsamples = 1000\nnoise = 0.2\ntest_ratio = 0.1\nrandom_state = 100\nsplit_random_state = 42\n",
        "seed-moons-1000.csv",
    );
}

#[test]
fn circles_with_random_state_are_scikit_learns_points() {
    assert_reproduces(
        "kind = \"circles\"\nsamples = 201\nfactor = 0.3\nnoise = 0.1\ntest_ratio = 0.25\nrandom_state = 7\nsplit_random_state = 3\n",
        "sklearn-circles-201.csv",
    );
}

#[test]
fn random_state_fixes_the_points_whatever_the_seed() {
    let table = "kind = \"moons\"\nsamples = 200\nrandom_state = 5\nsplit_random_state = 6\n";
    let a = generated(table);
    let text = format!("seed = 99\n[data]\n{table}");
    let sc = scenario::parse(&text, "s.toml", None).unwrap_or_else(|e| panic!("{e}"));
    let Body::Classifier(spec) = sc.body else {
        panic!("not a classifier")
    };
    let b = data::make(&spec.data, &mut rng(99, Stream::Data)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a, b);
    // Without them the seed decides, and a different seed gives different points.
    let c = generated("kind = \"moons\"\nsamples = 200\n");
    let d = data::make(&spec.data, &mut rng(99, Stream::Data)).unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(c, d);
}
