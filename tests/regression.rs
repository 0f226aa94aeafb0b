//! Regression: Playground's plane and six bumps, CSV files of real-valued targets, R² in
//! `train`'s lines, and a saved model that `predict` reads back as values.

use nnbook::scenario::{self, Body};
use nnbook::train::ClassifierRun;
use std::path::PathBuf;
use std::process::{Command, Output};

fn nnbook(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nnbook"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nnbook-regression-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir.join(name)
}

fn run_of(name: &str) -> ClassifierRun {
    let sc = scenario::load(name).unwrap_or_else(|e| panic!("{e}"));
    let Body::Classifier(c) = sc.body else {
        panic!("{name} is a classifier chapter")
    };
    ClassifierRun::new(c, sc.seed).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_plane_is_fitted_by_a_linear_model() {
    let mut run = run_of("playground-plane");
    assert!(run.is_regression());
    assert_eq!(run.net.parameter_count(), 3, "w1, w2 and a bias");
    let first = run.step_epoch().expect("an epoch");
    for _ in 1..run.spec.train.epochs {
        run.step_epoch();
    }
    let last = *run.history.last().expect("a history");
    assert!(
        last.train_loss < first.train_loss / 10.0 && last.test_loss < first.test_loss,
        "{first:?} → {last:?}"
    );
    // Noise 0.1 moves the point read by up to 0.6 a side: R² stays a little below 1.
    assert!(
        last.test_acc > 0.9 && last.test_acc < 0.999,
        "test R² {}",
        last.test_acc
    );
    // The weights are the plane's: (x1 + x2)/10.
    let w = &run.net.layers[0].w;
    for k in 0..2 {
        assert!((w[[k, 0]] - 0.1).abs() < 0.02, "w{} = {}", k + 1, w[[k, 0]]);
    }
}

#[test]
fn the_six_bumps_need_and_get_hidden_layers() {
    let mut run = run_of("playground-multi-gauss");
    for _ in 0..300 {
        run.step_epoch();
    }
    let (_, r2) = run.evaluate_test();
    assert!(r2 > 0.6, "test R² after 300 epochs: {r2}");
}

#[test]
fn train_lines_carry_r2_and_no_confusion() {
    let out = nnbook(&[
        "train",
        "playground-plane",
        "--epochs",
        "20",
        "--every",
        "10",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON lines"))
        .collect();
    assert_eq!(lines.len(), 3, "{text}");
    for l in &lines[..2] {
        assert!(
            l.get("train_r2").is_some() && l.get("test_r2").is_some(),
            "{l}"
        );
        assert!(
            l.get("train_acc").is_none() && l.get("test_acc").is_none(),
            "{l}"
        );
    }
    let summary = &lines[2];
    assert!(summary["test_r2"].as_f64().expect("R²") > 0.5, "{summary}");
    assert!(summary.get("confusion").is_none(), "{summary}");
    let csv = nnbook(&[
        "train",
        "playground-plane",
        "--epochs",
        "2",
        "--format",
        "csv",
    ]);
    let csv = String::from_utf8_lossy(&csv.stdout);
    assert!(
        csv.starts_with("epoch,train_loss,test_loss,train_r2,test_r2\n"),
        "{csv}"
    );
    let summary = csv.lines().last().unwrap_or_default();
    assert!(
        summary.contains(" test_r2=") && !summary.contains("confusion"),
        "{summary}"
    );
}

#[test]
fn a_csv_of_real_targets_trains_and_predicts_values() {
    // y = 2·x1 − x2 on a grid.
    let csv = tmp("linear.csv");
    let mut text = String::from("a,b,y\n");
    for i in 0..10 {
        for j in 0..10 {
            let (a, b) = (i as f64 / 3.0 - 1.5, j as f64 / 3.0 - 1.5);
            text.push_str(&format!("{a},{b},{}\n", 2.0 * a - b));
        }
    }
    std::fs::write(&csv, text).expect("write the CSV");
    let sc = tmp("linear.toml");
    std::fs::write(
        &sc,
        "[data]\nkind = \"csv\"\ntask = \"regression\"\npath = \"linear.csv\"\nx = [\"a\", \"b\"]\n\
         label = \"y\"\ntest_ratio = 0.2\n[model]\nhidden = []\n[optimizer]\nkind = \"sgd\"\n\
         lr = 0.1\n[train]\nepochs = 300\n",
    )
    .expect("write the scenario");
    let model = tmp("linear.json");
    let out = nnbook(&[
        "train",
        sc.to_str().expect("a path"),
        "--save-model",
        model.to_str().expect("a path"),
        "--every",
        "300",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let summary: serde_json::Value =
        serde_json::from_str(text.lines().last().expect("a summary")).expect("JSON");
    assert!(
        summary["test_r2"].as_f64().expect("R²") > 0.999,
        "{summary}"
    );
    let file = std::fs::read_to_string(&model).expect("the model file");
    assert!(file.contains("\"regression\": true") && file.contains("\"classes\": []"));
    let pts = tmp("points.csv");
    std::fs::write(&pts, "x1,x2\n1,0\n0,1\n").expect("write the points");
    let out = nnbook(&[
        "predict",
        model.to_str().expect("a path"),
        pts.to_str().expect("a path"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows[0], "x1,x2,value");
    let value = |row: &str| -> f64 {
        row.rsplit(',')
            .next()
            .and_then(|v| v.parse().ok())
            .expect("a value")
    };
    assert!((value(rows[1]) - 2.0).abs() < 0.02, "{text}");
    assert!((value(rows[2]) + 1.0).abs() < 0.02, "{text}");
    // The PyTorch script prints the same header.
    let py = tmp("linear.py");
    let out = nnbook(&[
        "train",
        sc.to_str().expect("a path"),
        "--epochs",
        "1",
        "--save-torch",
        py.to_str().expect("a path"),
    ]);
    assert!(out.status.success());
    let script = std::fs::read_to_string(&py).expect("the script");
    assert!(script.contains("REGRESSION = True") && script.contains("\"x1,x2,value\""));
}

#[test]
fn a_regression_refuses_a_classification_loss_and_task_outside_csv() {
    let bad = tmp("bce.toml");
    std::fs::write(&bad, "[data]\nkind = \"plane\"\n[model]\nloss = \"bce\"\n").expect("write");
    let out = nnbook(&["check", bad.to_str().expect("a path")]);
    assert!(!out.status.success());
    // `check` reports on stdout.
    let err = String::from_utf8_lossy(&out.stdout);
    assert!(
        err.contains("model.loss") && err.contains("regression") && err.contains("\"mse\""),
        "{err}"
    );
    let bad = tmp("task.toml");
    std::fs::write(&bad, "[data]\nkind = \"moons\"\ntask = \"regression\"\n").expect("write");
    let out = nnbook(&["check", bad.to_str().expect("a path")]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stdout);
    assert!(err.contains("data.task") && err.contains("csv"), "{err}");
    // A CSV of real numbers without the task says how to ask for it.
    let csv = tmp("real.csv");
    std::fs::write(&csv, "x1,x2,label\n0,0,0.5\n1,1,1.5\n").expect("write");
    let sc = tmp("real.toml");
    std::fs::write(&sc, "[data]\nkind = \"csv\"\npath = \"real.csv\"\n").expect("write");
    let out = nnbook(&["train", sc.to_str().expect("a path"), "--epochs", "1"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("task = \"regression\""), "{err}");
}
