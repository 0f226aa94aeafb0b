//! `nnbook train --save-model` and `nnbook predict`: the saved network predicts exactly what
//! the app's own network does, point for point and bit for bit.

use ndarray::Array2;
use nnbook::commands::{Format, predict, train::Save, train::train_and_save};
use nnbook::nn::Workspace;
use nnbook::scenario::{self, Body};
use nnbook::train::ClassifierRun;

#[test]
fn predict_on_a_saved_model_equals_the_apps_own_evaluation() {
    let dir = std::env::temp_dir().join(format!("nnbook-model-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("the test's own setup");
    let (model, script) = (dir.join("m.json"), dir.join("m.py"));
    let sc = scenario::load("iris").expect("the test's own setup");
    let mut lines = Vec::new();
    let save = Save {
        model: Some(model.clone()),
        torch: Some(script.clone()),
        two_cores: false,
    };
    assert!(
        train_and_save(
            &sc,
            None,
            Some(1000),
            Format::Jsonl,
            &mut lines,
            false,
            &save
        )
        .expect("the test's own setup")
    );

    // The app's run of the same scenario, trained the same way.
    let Body::Classifier(c) = sc.body else {
        panic!()
    };
    let mut run = ClassifierRun::new(c, sc.seed).expect("the test's own setup");
    while run.step_epoch().is_some() {}
    let points: Vec<[f64; 2]> = run
        .data
        .test
        .x
        .iter()
        .chain(&run.data.train.x)
        .copied()
        .collect();
    let csv: String = std::iter::once("petal_length,petal_width\n".to_string())
        .chain(points.iter().map(|p| format!("{},{}\n", p[0], p[1])))
        .collect();
    let input = dir.join("points.csv");
    std::fs::write(&input, csv).expect("the test's own setup");
    let mut out = Vec::new();
    predict(&model, Some(&input), &mut out).expect("the test's own setup");
    let out = String::from_utf8(out).expect("the test's own setup");
    let mut rows = out.lines();
    assert_eq!(
        rows.next(),
        Some("x1,x2,p_setosa,p_versicolor,p_virginica,class")
    );

    let x = Array2::from_shape_fn((points.len(), 2), |(i, j)| points[i][j] as f32);
    let mut ws = Workspace::default();
    let probs = run.net.predict(x.view(), &mut ws).clone();
    let mut n = 0;
    for (row, (p, want)) in rows.zip(points.iter().zip(probs.rows())) {
        let cells: Vec<&str> = row.split(',').collect();
        assert_eq!(cells[..2], [p[0].to_string(), p[1].to_string()]);
        let got: Vec<f32> = cells[2..5]
            .iter()
            .map(|c| c.parse().expect("the test's own setup"))
            .collect();
        assert_eq!(got, want.to_vec(), "{row}");
        let best = (0..3)
            .max_by(|&a, &b| want[a].total_cmp(&want[b]))
            .expect("the test's own setup");
        assert_eq!(cells[5], ["setosa", "versicolor", "virginica"][best]);
        n += 1;
    }
    assert_eq!(n, 150);

    // The script holds the same weights, as nn.Linear keeps them (outputs × inputs).
    let text = std::fs::read_to_string(&script).expect("the test's own setup");
    let w = run.net.layers[0].w.t().to_owned();
    let first_row: Vec<f32> = w.row(0).to_vec();
    assert!(
        text.contains(&serde_json::to_string(&first_row).expect("the test's own setup")),
        "{text}"
    );
    assert!(text.contains(
        "nn.Linear(2, 8),\n    nn.Tanh(),\n    nn.Linear(8, 3),\n    nn.Softmax(dim=1),"
    ));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bad_model_file_names_the_file_and_what_is_wrong() {
    let dir = std::env::temp_dir().join(format!("nnbook-badmodel-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("the test's own setup");
    let f = dir.join("bad.json");
    std::fs::write(
        &f,
        "{\"format\": \"nnbook-model\",\n \"version\": 1,\n \"sizes\": 3}",
    )
    .expect("the test's own setup");
    let e = predict(&f, None, &mut Vec::new())
        .expect_err("a broken model file is refused")
        .to_string();
    assert!(e.starts_with(&format!("{}:3:", f.display())), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A model on Playground's features (x1², x2², no hidden layer): the file names them, and
/// predict computes them from the raw points it reads, as the app does.
#[test]
fn a_model_on_input_features_predicts_from_raw_points() {
    let dir = std::env::temp_dir().join(format!("nnbook-model-f-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("the test's own setup");
    let model = dir.join("m.json");
    let sc = scenario::load("playground-features").expect("the test's own setup");
    let save = Save {
        model: Some(model.clone()),
        torch: None,
        two_cores: true,
    };
    let mut lines = Vec::new();
    train_and_save(
        &sc,
        Some(50),
        Some(1000),
        Format::Jsonl,
        &mut lines,
        false,
        &save,
    )
    .expect("the test's own setup");
    let text = std::fs::read_to_string(&model).expect("the test's own setup");
    let file: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(file["features"], serde_json::json!(["x1^2", "x2^2"]));
    assert_eq!(file["sizes"], serde_json::json!([2, 1]));
    let Body::Classifier(c) = sc.body else {
        panic!()
    };
    let mut run = ClassifierRun::new(c, sc.seed).expect("the test's own setup");
    for _ in 0..50 {
        run.step_epoch();
    }
    let points: Vec<[f64; 2]> = run.data.test.x.iter().take(40).copied().collect();
    let csv: String = std::iter::once("x1,x2\n".to_string())
        .chain(points.iter().map(|p| format!("{},{}\n", p[0], p[1])))
        .collect();
    let input = dir.join("points.csv");
    std::fs::write(&input, csv).expect("the test's own setup");
    let mut out = Vec::new();
    predict(&model, Some(&input), &mut out).expect("the test's own setup");
    let out = String::from_utf8(out).expect("utf-8");
    let mut ws = Workspace::default();
    let probs = run.net.predict_points(&points, &mut ws).clone();
    let mut rows = out.lines();
    assert_eq!(rows.next(), Some("x1,x2,p_0,p_1,class"));
    let mut n = 0;
    for (row, want) in rows.zip(probs.rows()) {
        let p1: f32 = row
            .split(',')
            .nth(3)
            .and_then(|v| v.parse().ok())
            .expect("p_1");
        assert_eq!(p1, want[0], "{row}");
        n += 1;
    }
    assert_eq!(n, 40);
    let _ = std::fs::remove_dir_all(&dir);
}
