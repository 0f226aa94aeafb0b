//! `nnbook train`: a classifier scenario trained headless, one line per reported epoch, then
//! a summary.

use super::{Format, num};
use crate::nn::ModelFile;
use crate::scenario::{Body, Scenario};
use crate::train::{ClassifierRun, Health, Record, Stop};
use anyhow::{Context, Result, bail};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Writes `text` to `path` whole: into a temporary file beside it, renamed into place.
fn write_whole(path: &Path, text: &str) -> Result<()> {
    let tmp = path.with_extension("nnbook-tmp");
    std::fs::write(&tmp, text).with_context(|| format!("{}: cannot write", path.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("{}: cannot write", path.display()))
}

#[derive(Serialize)]
struct Summary {
    summary: bool,
    epochs: usize,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    diverged_at: Option<usize>,
    /// The epoch after which early stopping or `stop_at_loss` ended the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    stopped_at: Option<usize>,
    /// Early stopping's best epoch (lowest test loss), and whether its weights were restored.
    #[serde(skip_serializing_if = "Option::is_none")]
    best_epoch: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    restored_best: Option<bool>,
    /// Measured over the whole training set after the last epoch, without dropout.
    train_loss: f64,
    test_loss: f64,
    train_acc: f64,
    test_acc: f64,
    parameters: usize,
    /// The test set's: rows = true class, columns = predicted (none in a regression).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    confusion: Vec<Vec<usize>>,
    /// The classes' names, when the file's labels are text.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    classes: Vec<String>,
    /// `[view] weights_layer`'s matrix after training: its shape, MIN, MAX and MEAN.
    #[serde(skip_serializing_if = "Option::is_none")]
    weights: Option<LayerStats>,
}

/// One layer's weight matrix summed up as the λ-sweep notebook titles its figures.
#[derive(Serialize)]
struct LayerStats {
    /// 1 = the first hidden layer's incoming weights.
    layer: usize,
    shape: [usize; 2],
    min: f64,
    max: f64,
    mean: f64,
}

/// A record or summary as JSON, a regression's scores named `train_r2` and `test_r2` in place
/// of the accuracies.
fn scored_json(v: impl Serialize, regression: bool) -> Result<serde_json::Value> {
    let mut v = serde_json::to_value(v)?;
    if regression && let Some(m) = v.as_object_mut() {
        let mut renamed = serde_json::Map::new();
        for (k, x) in std::mem::take(m) {
            let k = match k.as_str() {
                "train_acc" => "train_r2".to_string(),
                "test_acc" => "test_r2".to_string(),
                _ => k,
            };
            renamed.insert(k, x);
        }
        *m = renamed;
    }
    Ok(v)
}

/// Where `train` writes the trained network (`--save-model`, `--save-torch`).
#[derive(Clone, Debug, Default)]
pub struct Save {
    pub model: Option<PathBuf>,
    pub torch: Option<PathBuf>,
    /// Whether a run may split its full batch over two cores (`--cores 2`).
    pub two_cores: bool,
}

/// `nnbook train`: one line per reported epoch, then a summary. Returns whether the run
/// stayed finite.
pub fn train(
    sc: &Scenario,
    epochs: Option<usize>,
    every: Option<usize>,
    format: Format,
    out: &mut dyn Write,
    progress: bool,
) -> Result<bool> {
    let save = Save {
        two_cores: true,
        ..Save::default()
    };
    train_and_save(sc, epochs, every, format, out, progress, &save)
}

/// `train`, then the trained network written where `save` says.
pub fn train_and_save(
    sc: &Scenario,
    epochs: Option<usize>,
    every: Option<usize>,
    format: Format,
    out: &mut dyn Write,
    progress: bool,
    save: &Save,
) -> Result<bool> {
    // Side-by-side runs train one after the other; their lines carry the run's name first.
    let runs: Vec<(Option<&str>, &crate::scenario::Classifier)> = match &sc.body {
        Body::Classifier(spec) => vec![(None, spec)],
        Body::Compare(runs) => runs.iter().map(|(n, c)| (Some(n.as_str()), c)).collect(),
        Body::Race(_) | Body::Lorenz(_) | Body::Averages(_) => bail!(
            "`{}` is not a classifier: use `nnbook trace` for it",
            sc.title
        ),
    };
    let named = runs[0].0.is_some();
    if named && (save.model.is_some() || save.torch.is_some()) {
        bail!(
            "`{}` trains {} runs side by side: --save-model and --save-torch take a scenario \
             with one network",
            sc.title,
            runs.len()
        );
    }
    // Every run is built before any trains: a run that cannot be made stops the command
    // before the others have printed a line, naming the run.
    let mut built = Vec::new();
    for (name, spec) in &runs {
        let mut run = ClassifierRun::new((*spec).clone(), sc.seed).with_context(|| match name {
            Some(n) => format!("run \"{n}\": making the data"),
            None => "making the data".into(),
        })?;
        // Runs train one after another here: each may split a full batch over two cores.
        run.parallel = save.two_cores;
        built.push(run);
    }
    if format == Format::Csv {
        let score = if built[0].is_regression() {
            "r2"
        } else {
            "acc"
        };
        writeln!(
            out,
            "{}epoch,train_loss,test_loss,train_{score},test_{score}",
            if named { "run," } else { "" }
        )?;
    }
    let mut ok = true;
    for ((name, spec), run) in runs.into_iter().zip(built) {
        if progress && let Some(n) = name {
            eprintln!("run {n}:");
        }
        ok &= train_one(
            name,
            spec,
            run,
            (epochs, every, sc.view.weights_layer),
            format,
            out,
            progress,
            save,
        )?;
    }
    Ok(ok)
}

#[allow(clippy::too_many_arguments)]
fn train_one(
    name: Option<&str>,
    spec: &crate::scenario::Classifier,
    mut run: ClassifierRun,
    (epochs, every, weights_layer): (Option<usize>, Option<usize>, Option<usize>),
    format: Format,
    out: &mut dyn Write,
    progress: bool,
    save: &Save,
) -> Result<bool> {
    let epochs = epochs.unwrap_or(spec.train.epochs);
    let every = every.unwrap_or((epochs / 100).max(1)).max(1);
    let prefix = name.map(|n| format!("{n},")).unwrap_or_default();
    let regression = run.is_regression();
    let score = if regression { "r2" } else { "acc" };
    let write_rec = |out: &mut dyn Write, r: &Record| -> Result<()> {
        match (format, name) {
            (Format::Jsonl, None) => writeln!(out, "{}", scored_json(r, regression)?)?,
            (Format::Jsonl, Some(n)) => {
                let line = serde_json::json!({
                    "run": n,
                    "epoch": r.epoch,
                    "train_loss": r.train_loss,
                    "test_loss": r.test_loss,
                    "train_acc": r.train_acc,
                    "test_acc": r.test_acc,
                });
                writeln!(out, "{}", scored_json(line, regression)?)?
            }
            (Format::Csv, _) => writeln!(
                out,
                "{prefix}{},{},{},{},{}",
                r.epoch,
                num(r.train_loss),
                num(r.test_loss),
                num(r.train_acc),
                num(r.test_acc)
            )?,
        }
        Ok(())
    };
    let start = Instant::now();
    let bar = super::progress_bar(progress, epochs as u64, "epoch {pos}/{len} · {wide_msg}");
    let mut last_progress = Instant::now();
    for e in 1..=epochs {
        let Some(r) = run.step_epoch() else { break };
        if e % every == 0 || e == epochs {
            write_rec(out, &r)?;
        }
        if progress && last_progress.elapsed().as_millis() >= 100 {
            last_progress = Instant::now();
            bar.set_position(e as u64);
            bar.set_message(format!(
                "{:.0} epochs/s · train loss {:.4} · test {score} {:.3}",
                e as f64 / start.elapsed().as_secs_f64(),
                r.train_loss,
                r.test_acc
            ));
        }
    }
    bar.finish_and_clear();
    let (train_loss, train_acc) = run.evaluate_train();
    let (test_loss, test_acc) = run.evaluate_test();
    let diverged_at = match run.health {
        Health::Diverged { epoch, .. } => Some(epoch),
        Health::Ok => None,
    };
    let (best_epoch, restored_best) = match run.stop {
        Some(Stop::EarlyStopping {
            best_epoch,
            restored,
            ..
        }) => (Some(best_epoch), Some(restored)),
        _ => (None, None),
    };
    let s = Summary {
        summary: true,
        epochs: run.epoch,
        status: match (diverged_at, run.stop) {
            (Some(_), _) => "diverged",
            (None, Some(stop)) => stop.key(),
            (None, None) => "ok",
        },
        diverged_at,
        stopped_at: run.stop.map(|s| s.epoch()),
        best_epoch,
        restored_best,
        train_loss,
        test_loss,
        train_acc,
        test_acc,
        parameters: run.net.parameter_count(),
        confusion: run.confusion_test(),
        classes: run.data.names.clone(),
        weights: weights_layer.and_then(|l| {
            let w = &run.net.layers.get(l)?.w;
            let vals: Vec<f64> = w.iter().map(|&v| f64::from(v)).collect();
            Some(LayerStats {
                layer: l + 1,
                shape: [w.nrows(), w.ncols()],
                min: vals.iter().copied().fold(f64::INFINITY, f64::min),
                max: vals.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                mean: vals.iter().sum::<f64>() / vals.len().max(1) as f64,
            })
        }),
    };
    match format {
        Format::Jsonl => match name {
            None => writeln!(out, "{}", scored_json(&s, regression)?)?,
            Some(n) => {
                let mut v = scored_json(&s, regression)?;
                if let Some(m) = v.as_object_mut() {
                    m.insert("run".into(), serde_json::Value::from(n));
                }
                writeln!(out, "{v}")?
            }
        },
        Format::Csv => writeln!(
            out,
            "# summary: {}epochs={} status={}{} train_loss={} test_loss={} train_{score}={} test_{score}={} parameters={}{}{}",
            name.map(|n| format!("run={n} ")).unwrap_or_default(),
            s.epochs,
            s.status,
            s.stopped_at
                .map(|e| format!(" stopped_at={e}"))
                .unwrap_or_default(),
            num(s.train_loss),
            num(s.test_loss),
            num(s.train_acc),
            num(s.test_acc),
            s.parameters,
            if s.confusion.is_empty() {
                String::new()
            } else {
                format!(" confusion={}", serde_json::to_string(&s.confusion)?)
            },
            if s.classes.is_empty() {
                String::new()
            } else {
                format!(" classes={}", s.classes.join("|"))
            },
        )?,
    }
    if let (Format::Csv, Some(w)) = (format, &s.weights) {
        writeln!(
            out,
            "# weights: {}layer={} shape={}x{} min={:.4} max={:.4} mean={:.4}",
            name.map(|n| format!("run={n} ")).unwrap_or_default(),
            w.layer,
            w.shape[0],
            w.shape[1],
            w.min,
            w.max,
            w.mean
        )?;
    }
    out.flush()?;
    if progress {
        let secs = start.elapsed().as_secs_f64();
        eprintln!(
            "{} epochs in {secs:.2} s ({:.0} epochs/s)",
            run.epoch,
            run.epoch as f64 / secs
        );
    }
    if let Some(stop) = run.stop {
        eprintln!("nnbook: {}", stop.describe());
    }
    if save.model.is_some() || save.torch.is_some() {
        let model = ModelFile::of(&run.net, &run.data.names, run.data.columns.as_ref());
        let model = if regression {
            model.for_regression()
        } else {
            model
        };
        if let Some(p) = &save.model {
            write_whole(p, &model.to_text())?;
            eprintln!("nnbook: the model is in {}", p.display());
        }
        if let Some(p) = &save.torch {
            write_whole(p, &model.torch_script())?;
            eprintln!("nnbook: the PyTorch script is in {}", p.display());
        }
    }
    if let Some(e) = diverged_at {
        eprintln!(
            "nnbook: the loss diverged (NaN or infinite) in epoch {e}; try a lower learning rate"
        );
    }
    Ok(diverged_at.is_none())
}
