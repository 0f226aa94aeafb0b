//! The iris chapter: the bundled CSV is Fisher's table (50 flowers a species, his published
//! means), read through `[data] x`/`label` by header name, and the chapter trains to the
//! accuracy its notes quote.

use nnbook::data::{Column, CsvSpec, load_csv};
use nnbook::scenario::{self, Body};
use nnbook::train::{ClassifierRun, Stop};
use std::path::Path;

#[test]
fn the_file_is_fishers_table() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/data/iris.csv");
    let cols = ["sepal_length", "sepal_width", "petal_length", "petal_width"];
    // Fisher (1936), Table I, the means of each measurement by species.
    let published = [
        [5.006, 3.428, 1.462, 0.246],
        [5.936, 2.770, 4.260, 1.326],
        [6.588, 2.974, 5.552, 2.026],
    ];
    for pair in [[0, 1], [2, 3]] {
        let spec = CsvSpec {
            x: pair.map(|i| Column::Name(cols[i].into())),
            label: Column::Name("species".into()),
            ..CsvSpec::default()
        };
        let f = load_csv(&path, &spec).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(f.names, ["setosa", "versicolor", "virginica"]);
        assert_eq!(f.data.len(), 150);
        for (c, means) in published.iter().enumerate() {
            let rows: Vec<[f64; 2]> = (0..150)
                .filter(|&i| f.data.y[i] == c)
                .map(|i| f.data.x[i])
                .collect();
            assert_eq!(rows.len(), 50, "class {c}");
            for (k, &col) in pair.iter().enumerate() {
                let mean = rows.iter().map(|p| p[k]).sum::<f64>() / 50.0;
                assert!(
                    (mean - means[col]).abs() < 1e-9,
                    "{} of {}: {mean} vs {}",
                    cols[col],
                    f.names[c],
                    means[col]
                );
            }
        }
    }
}

#[test]
fn the_chapter_trains_to_the_accuracy_its_notes_quote() {
    let sc = scenario::load("iris").unwrap_or_else(|e| panic!("{e}"));
    assert!(sc.notes.contains("0.911"), "{}", sc.notes);
    let Body::Classifier(c) = sc.body else {
        panic!("a classifier")
    };
    let mut run = ClassifierRun::new(c, sc.seed).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(run.data.names, ["setosa", "versicolor", "virginica"]);
    assert_eq!((run.data.train.len(), run.data.test.len()), (105, 45));
    while run.step_epoch().is_some() {}
    assert!(
        matches!(
            run.stop,
            Some(Stop::EarlyStopping {
                epoch: 147,
                best_epoch: 117,
                restored: true,
                ..
            })
        ),
        "{:?}",
        run.stop
    );
    let (_, acc) = run.evaluate_test();
    assert_eq!((acc * 45.0).round(), 41.0, "test accuracy {acc}");
}
