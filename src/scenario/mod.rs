//! Scenario files: TOML read with serde (unknown keys rejected), checked once into a
//! [`Scenario`]; errors name the file, the line and column, and the key.
//!
//! - `file.rs`: the file as written, every key optional ([`ScenarioFile`], [`accepted_keys`]);
//! - `check.rs`: file to checked values, every rule once;
//! - `spec.rs`: the checked values ([`Scenario`], [`Body`], [`Classifier`], [`Race`], ...);
//! - `write.rs`: checked values back to a file ([`Scenario::to_toml`]);
//! - `bundled.rs`: the scenarios compiled in ([`BUNDLED`]);
//! - `error.rs`: [`ScenarioError`], which names the file, line, column and key.

mod bundled;
mod check;
mod error;
mod file;
pub mod save;
mod spec;
mod write;

pub use bundled::{BUNDLED, DATA, DEFAULT};
pub use error::ScenarioError;
pub use file::{ScenarioFile, accepted_keys};
pub use spec::{
    AveragesSpec, Body, Classifier, EarlyStopping, LorenzSpec, ModelSpec, Race, Racer, Scenario,
    Smoothing, TrainSpec, ViewSpec,
};

use std::path::Path;

/// A scenario file's text (`None` for the name of a bundled one): read whole, UTF-8 (an
/// invalid byte placed by line and column), a byte-order mark left out.
fn read_text(name_or_path: &str) -> Result<Option<String>, ScenarioError> {
    let path = Path::new(name_or_path);
    if !(path.exists() || name_or_path.ends_with(".toml") || name_or_path.contains('/')) {
        return Ok(None);
    }
    let bytes = std::fs::read(path).map_err(|e| ScenarioError {
        file: name_or_path.to_string(),
        at: None,
        key: None,
        message: format!("cannot read the scenario file: {e}"),
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        // Where the text stops being UTF-8: the valid part before it places it.
        let valid = e.utf8_error().valid_up_to();
        let before = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        ScenarioError {
            file: name_or_path.to_string(),
            at: Some(error::line_col(&before, valid)),
            key: None,
            message: "these bytes are not UTF-8 text: save the file as UTF-8".into(),
        }
    })?;
    Ok(Some(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    }))
}

/// Loads a scenario by path, or by the name of a bundled one.
pub fn load(name_or_path: &str) -> Result<Scenario, ScenarioError> {
    match read_text(name_or_path)? {
        Some(text) => parse(&text, name_or_path, Path::new(name_or_path).parent()),
        None => bundled::load(name_or_path),
    }
}

/// Every problem of a scenario file (or bundled name), in line order, for `check`: after each
/// one placed on a one-line `key = value`, that line is set aside and the text checked again,
/// so one run lists them all. `Ok` when there is none.
pub fn load_all(name_or_path: &str) -> Result<Scenario, Vec<ScenarioError>> {
    let path = Path::new(name_or_path);
    let mut text = match read_text(name_or_path) {
        Err(e) => return Err(vec![e]),
        Ok(None) => return bundled::load(name_or_path).map_err(|e| vec![e]),
        Ok(Some(text)) => text,
    };
    let first = match parse(&text, name_or_path, path.parent()) {
        Ok(sc) => return Ok(sc),
        Err(e) => e,
    };
    let mut all = vec![first];
    for _ in 0..50 {
        let Some((line, _)) = all.last().and_then(|e| e.at) else {
            break;
        };
        let lines: Vec<String> = text.lines().map(String::from).collect();
        let Some(l) = lines.get(line - 1).map(|l| l.trim()) else {
            break;
        };
        // Only a whole one-line `key = value` can be set aside without changing the rest.
        let one_line = l.contains('=')
            && !l.starts_with('[')
            && !l.contains("\"\"\"")
            && !l.contains("'''")
            && l.matches('[').count() == l.matches(']').count()
            && l.matches('{').count() == l.matches('}').count();
        if !one_line {
            break;
        }
        let mut kept = lines.clone();
        kept[line - 1] = String::new();
        text = kept.join("\n");
        match parse(&text, name_or_path, path.parent()) {
            Ok(_) => break,
            Err(e) => {
                if all.iter().any(|a| a.at == e.at && a.message == e.message) {
                    break;
                }
                all.push(e);
            }
        }
    }
    all.sort_by_key(|e| e.at);
    Err(all)
}

/// Parses and checks scenario text. `file` names it in errors; relative data paths resolve
/// against `dir`.
pub fn parse(text: &str, file: &str, dir: Option<&Path>) -> Result<Scenario, ScenarioError> {
    let raw: ScenarioFile = toml::from_str(text).map_err(|e| {
        let span = e.span();
        ScenarioError {
            file: file.to_string(),
            at: span.as_ref().map(|s| error::line_col(text, s.start)),
            key: span.as_ref().and_then(|s| error::key_at(text, s.start)),
            message: error::plain_words(e.message(), text, span),
        }
    })?;
    let mut sc = check::check(raw, dir).map_err(|p| ScenarioError {
        file: file.to_string(),
        at: error::locate(text, &p.key),
        key: Some(p.key),
        message: p.message,
    })?;
    // Text with no folder of its own (a bundled chapter, or its edit) reads the bundled data.
    if dir.is_none() {
        bundled::embed(&mut sc);
    }
    Ok(sc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::{Activation, Feature, Init};

    fn err(text: &str) -> String {
        match parse(text, "s.toml", None) {
            Ok(_) => panic!("expected an error for:\n{text}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn the_3d_view_is_a_race_option_and_is_named_plainly() {
        let race = "[surface]\nkind = \"peaks\"\n[[racers]]\nkind = \"sgd\"\n";
        let sc = parse(&format!("{race}[view]\nsurface = \"3d\"\n"), "s.toml", None).unwrap();
        assert!(sc.view.surface_3d);
        let sc = parse(
            &format!("{race}[view]\nsurface = \"contour\"\n"),
            "s.toml",
            None,
        )
        .unwrap();
        assert!(!sc.view.surface_3d);
        let e = err(&format!("{race}[view]\nsurface = \"3D!\"\n"));
        assert!(
            e.contains("view.surface") && e.contains("\"3d\"") && e.contains("3D!"),
            "{e}"
        );
        let e = err("[view]\nsurface = \"3d\"\n");
        assert!(e.contains("view.surface") && e.contains("[surface]"), "{e}");
    }

    #[test]
    fn every_error_of_a_file_is_listed_in_line_order() {
        let dir = std::env::temp_dir().join(format!("nnbook-all-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("three.toml");
        std::fs::write(
            &f,
            "title = \"t\"\n[model]\nhidden = [4]\nactivation = \"relux\"\n[optimizer]\nlr = -1\n[train]\nepochs = \"many\"\n",
        )
        .unwrap();
        let errs = load_all(f.to_str().unwrap()).unwrap_err();
        let lines: Vec<usize> = errs.iter().filter_map(|e| e.at.map(|a| a.0)).collect();
        assert_eq!(lines, [4, 6, 8], "{errs:#?}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn errors_use_the_scenarios_words_never_rust_type_names() {
        let cases = [
            (
                "[model]\ninit = 3\n",
                "s.toml:2:8: `model.init`: expected an initializer's name",
            ),
            (
                "[train]\nepochs = 1e99\n",
                "s.toml:2:10: `train.epochs`: expected a whole number, got the number 1e99",
            ),
            ("seed = 1\nseed = 2\n", "s.toml:2:1: `seed` is given twice"),
            (
                "[data]\n[data]\n",
                "s.toml:2:2: the table [data] is given twice",
            ),
            (
                "[model]\nhidden = \"big\"\n",
                "s.toml:2:10: `model.hidden`: expected a list like [8, 8], got the text \"big\"",
            ),
            (
                "[model]\nhidden = [8, \"x\"]\n",
                "s.toml:2:14: `model.hidden.1`: expected a whole number",
            ),
            (
                "[optimizer]\nkind = sgd\n",
                "s.toml:2:8: `sgd` is neither a number nor a text in quotes (a text is written `kind = \"sgd\"`)",
            ),
            (
                "[optimizer]\nlr =\n",
                "s.toml:2:5: `lr` has no value after `=`",
            ),
            (
                "[optimizer]\nlr 0.1\n",
                "s.toml:2:4: `lr` has no value: write `lr = …`",
            ),
            (
                "[optimizer]\nlr = 0.1.2\n",
                "s.toml:2:9: not a number: `0.1.2`",
            ),
            (
                "[train\n",
                "s.toml:1:7: a table header is not closed: `[train` wants its `]`",
            ),
            (
                "[model]\nhidden = [8, 8\n",
                "a list is not closed, or a comma is missing",
            ),
            ("title = \"abc\n", "a text in quotes is not closed"),
            (
                "[data]\nlabel = true\n",
                "s.toml:2:9: `data.label`: expected a column: its header name in quotes",
            ),
        ];
        for (text, want) in cases {
            let e = err(text);
            assert!(e.contains(want), "{text:?}:\n  got  {e}\n  want {want}");
            for rust in [
                "untagged", "enum ", "struct ", "u64", "i64", "f64", "usize", "sequence", "map",
            ] {
                assert!(!e.contains(rust), "{text:?}: {e} names `{rust}`");
            }
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
        assert!(
            e.starts_with("s.toml:1:2: `optimzer`: no such key here; this table takes `title`"),
            "{e}"
        );
        assert_eq!(
            err("[data]\nsamples = \"many\"\n"),
            "s.toml:2:11: `data.samples`: expected a whole number, got the text \"many\""
        );
        assert_eq!(
            err(
                "[surface]\nkind = \"rosenbrock\"\n[[racers]]\nkind = \"adam\"\n[[racers]]\nkind = \"sgd\"\nbetas = [0.9, 0.99]\n"
            ),
            "s.toml:7:9: `racers.1.betas`: torch.optim.SGD takes no `betas` (it takes lr, momentum, dampening, nesterov, weight_decay)"
        );
    }

    #[test]
    fn features_and_per_layer_activations_are_read_and_checked() {
        let s = parse(
            "[model]\nhidden = [3, 2]\nfeatures = [\"sin(x2)\", \"x1^2\"]\nactivation = [\"tanh\", \"relu\"]\n",
            "s.toml",
            None,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let Body::Classifier(c) = s.body else {
            panic!("not a classifier")
        };
        // Playground's order, whatever the file's.
        assert_eq!(c.model.features, vec![Feature::X1Squared, Feature::SinX2]);
        assert_eq!(
            c.model.layer_activations(),
            vec![Activation::Tanh, Activation::Relu]
        );
        assert_eq!(
            err("[model]\nfeatures = [\"x3\"]\n")
                .split_once(": ")
                .map(|p| p.1.to_string())
                .unwrap_or_default(),
            "`model.features.0`: unknown value \"x3\"; expected one of \"x1\", \"x2\", \"x1^2\", \"x2^2\", \"x1*x2\", \"sin(x1)\", \"sin(x2)\""
        );
        assert!(err("[model]\nfeatures = []\n").contains("at least one input"));
        assert!(err("[model]\nfeatures = [\"x1\", \"x1\"]\n").contains("listed twice"));
        let e = err("[model]\nhidden = [4, 4, 4]\nactivation = [\"tanh\", \"relu\"]\n");
        assert!(e.contains("gives 2 activations for 3 hidden layers"), "{e}");
        let e = err("[model]\nactivation = 3\n");
        assert!(e.contains("one per hidden layer"), "{e}");
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
