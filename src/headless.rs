//! The headless commands — `train`, `trace`, `check`, `list` — writing to any `Write`, so
//! tests see exactly what a script would.

use crate::scenario::{self, Body, Scenario, ScenarioError};
use crate::train::{ClassifierRun, Health, RaceRun, Record};
use anyhow::{Context, Result, bail};
use serde::Serialize;
use std::io::{IsTerminal, Write};
use std::time::Instant;

/// Output formats of `train` and `trace`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Jsonl,
    Csv,
}

/// Loads a scenario, with the error text the user needs.
pub fn load(name: &str) -> Result<Scenario, ScenarioError> {
    scenario::load(name)
}

fn num(v: f64) -> String {
    // The shortest text that reads back to the same f64, with an exponent for very small or
    // large values (as in the JSON output); NaN and infinities as "NaN", "inf", "-inf".
    if v.is_finite() {
        serde_json::to_string(&v).unwrap_or_else(|_| format!("{v}"))
    } else {
        format!("{v}")
    }
}

#[derive(Serialize)]
struct Summary {
    summary: bool,
    epochs: usize,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    diverged_at: Option<usize>,
    /// Measured over the whole training set after the last epoch, without dropout.
    train_loss: f64,
    test_loss: f64,
    train_acc: f64,
    test_acc: f64,
    parameters: usize,
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
    // Side-by-side runs train one after the other; their lines carry the run's name first.
    let runs: Vec<(Option<&str>, &crate::scenario::Classifier)> = match &sc.body {
        Body::Classifier(spec) => vec![(None, spec)],
        Body::Compare(runs) => runs.iter().map(|(n, c)| (Some(n.as_str()), c)).collect(),
        Body::Race(_) | Body::Lorenz(_) => bail!(
            "`{}` is not a classifier: use `nnbook trace` for it",
            sc.title
        ),
    };
    let named = runs[0].0.is_some();
    if format == Format::Csv {
        writeln!(
            out,
            "{}epoch,train_loss,test_loss,train_acc,test_acc",
            if named { "run," } else { "" }
        )?;
    }
    let mut ok = true;
    for (name, spec) in runs {
        if progress && let Some(n) = name {
            eprintln!("run {n}:");
        }
        ok &= train_one(name, spec, sc.seed, epochs, every, format, out, progress)?;
    }
    Ok(ok)
}

#[allow(clippy::too_many_arguments)]
fn train_one(
    name: Option<&str>,
    spec: &crate::scenario::Classifier,
    seed: u64,
    epochs: Option<usize>,
    every: Option<usize>,
    format: Format,
    out: &mut dyn Write,
    progress: bool,
) -> Result<bool> {
    let epochs = epochs.unwrap_or(spec.train.epochs);
    let every = every.unwrap_or((epochs / 100).max(1)).max(1);
    let mut run = ClassifierRun::new(spec.clone(), seed).context("making the data")?;
    let prefix = name.map(|n| format!("{n},")).unwrap_or_default();
    let write_rec = |out: &mut dyn Write, r: &Record| -> Result<()> {
        match (format, name) {
            (Format::Jsonl, None) => writeln!(out, "{}", serde_json::to_string(r)?)?,
            (Format::Jsonl, Some(n)) => {
                let line = serde_json::json!({
                    "run": n,
                    "epoch": r.epoch,
                    "train_loss": r.train_loss,
                    "test_loss": r.test_loss,
                    "train_acc": r.train_acc,
                    "test_acc": r.test_acc,
                });
                writeln!(out, "{line}")?
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
    let mut last_progress = start;
    let mut err = std::io::stderr();
    for e in 1..=epochs {
        let Some(r) = run.step_epoch() else { break };
        if e % every == 0 || e == epochs {
            write_rec(out, &r)?;
        }
        if progress && last_progress.elapsed().as_millis() >= 100 {
            last_progress = std::time::Instant::now();
            let rate = e as f64 / start.elapsed().as_secs_f64();
            let _ = write!(
                err,
                "\r\x1b[2Kepoch {e}/{epochs} · {rate:.0} epochs/s · train loss {:.4} · test acc {:.3}",
                r.train_loss, r.test_acc
            );
        }
    }
    if progress {
        let _ = write!(err, "\r\x1b[2K");
    }
    let (train_loss, train_acc) = run.evaluate_train();
    let (test_loss, test_acc) = run.evaluate_test();
    let diverged_at = match run.health {
        Health::Diverged { epoch, .. } => Some(epoch),
        Health::Ok => None,
    };
    let s = Summary {
        summary: true,
        epochs: run.epoch,
        status: if diverged_at.is_some() {
            "diverged"
        } else {
            "ok"
        },
        diverged_at,
        train_loss,
        test_loss,
        train_acc,
        test_acc,
        parameters: run.net.parameter_count(),
    };
    match format {
        Format::Jsonl => match name {
            None => writeln!(out, "{}", serde_json::to_string(&s)?)?,
            Some(n) => {
                let mut v = serde_json::to_value(&s)?;
                if let Some(m) = v.as_object_mut() {
                    m.insert("run".into(), serde_json::Value::from(n));
                }
                writeln!(out, "{v}")?
            }
        },
        Format::Csv => writeln!(
            out,
            "# summary: {}epochs={} status={} train_loss={} test_loss={} train_acc={} test_acc={} parameters={}",
            name.map(|n| format!("run={n} ")).unwrap_or_default(),
            s.epochs,
            s.status,
            num(s.train_loss),
            num(s.test_loss),
            num(s.train_acc),
            num(s.test_acc),
            s.parameters
        )?,
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
    if let Some(e) = diverged_at {
        eprintln!(
            "nnbook: the loss diverged (NaN or infinite) in epoch {e}; try a lower learning rate"
        );
    }
    Ok(diverged_at.is_none())
}

#[derive(Serialize)]
struct TraceLine<'a> {
    step: usize,
    optimizer: &'a str,
    x: f64,
    y: f64,
    f: f64,
}

/// `nnbook trace`: every racer's point after each step, step 0 being the start.
pub fn trace(
    sc: &Scenario,
    steps: Option<usize>,
    format: Format,
    out: &mut dyn Write,
) -> Result<()> {
    if let Body::Lorenz(l) = &sc.body {
        return trace_lorenz(l, steps, format, out);
    }
    let Body::Race(spec) = &sc.body else {
        bail!(
            "`{}` is a classifier scenario: use `nnbook train` for it",
            sc.title
        );
    };
    let steps = steps.unwrap_or(spec.steps);
    let mut race = RaceRun::new(spec.clone());
    if format == Format::Csv {
        writeln!(out, "step,optimizer,x,y,f")?;
    }
    for step in 0..=steps {
        if step > 0 {
            race.step();
        }
        for r in &race.runners {
            let line = TraceLine {
                step,
                optimizer: &r.racer.name,
                x: r.point[0],
                y: r.point[1],
                f: r.value,
            };
            match format {
                Format::Jsonl => writeln!(out, "{}", serde_json::to_string(&line)?)?,
                Format::Csv => writeln!(
                    out,
                    "{},{},{},{},{}",
                    step,
                    r.racer.name,
                    num(line.x),
                    num(line.y),
                    num(line.f)
                )?,
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// `nnbook trace` on the attractor: every trajectory's point after each step (`path` is the
/// start's index), step 0 being the starts.
fn trace_lorenz(
    l: &crate::scenario::LorenzSpec,
    steps: Option<usize>,
    format: Format,
    out: &mut dyn Write,
) -> Result<()> {
    let steps = steps.unwrap_or(l.steps);
    let mut flow = crate::dynamics::Flow::new(l.system, l.dt, l.starts.clone());
    if format == Format::Csv {
        writeln!(out, "step,path,x,y,z")?;
    }
    for step in 0..=steps {
        if step > 0 {
            flow.step();
        }
        for (i, p) in flow.paths.iter().enumerate() {
            let Some(q) = p.last() else { continue };
            match format {
                Format::Jsonl => writeln!(
                    out,
                    "{}",
                    serde_json::json!({"step": step, "path": i, "x": q[0], "y": q[1], "z": q[2]})
                )?,
                Format::Csv => {
                    writeln!(out, "{step},{i},{},{},{}", num(q[0]), num(q[1]), num(q[2]))?
                }
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// `nnbook check`: loads each file and builds what it describes (data included). Returns
/// whether all passed.
pub fn check(files: &[String], out: &mut dyn Write) -> Result<bool> {
    let mut ok = true;
    for f in files {
        match check_one(f) {
            Ok(what) => writeln!(out, "ok    {f}: {what}")?,
            Err(e) => {
                ok = false;
                writeln!(out, "error {e}")?;
            }
        }
    }
    Ok(ok)
}

/// A one-line description of a loaded scenario, or the error that stops it.
pub fn check_one(f: &str) -> Result<String, String> {
    let sc = scenario::load(f).map_err(|e| e.to_string())?;
    Ok(match &sc.body {
        Body::Classifier(c) => {
            let run = ClassifierRun::new(c.clone(), sc.seed).map_err(|e| format!("{f}: {e}"))?;
            format!(
                "\"{}\" · {} {} points ({} train, {} test) · {} {} · {}",
                sc.title,
                c.data.label(),
                run.data.train.len() + run.data.test.len(),
                run.data.train.len(),
                run.data.test.len(),
                run.net.arch.shape_label(),
                run.net.arch.activation.name(),
                c.optimizer.summary()
            )
        }
        Body::Compare(runs) => {
            let (_, first) = &runs[0];
            let run =
                ClassifierRun::new(first.clone(), sc.seed).map_err(|e| format!("{f}: {e}"))?;
            format!(
                "\"{}\" · {} {} points · {} runs side by side: {}",
                sc.title,
                first.data.label(),
                run.data.train.len() + run.data.test.len(),
                runs.len(),
                runs.iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
        Body::Lorenz(l) => format!(
            "\"{}\" · Lorenz σ {} ρ {} β {:.4} dt {} · {} starts",
            sc.title,
            l.system.sigma,
            l.system.rho,
            l.system.beta,
            l.dt,
            l.starts.len()
        ),
        Body::Race(r) => format!(
            "\"{}\" · {} from ({}, {}) · {} racers",
            sc.title,
            r.surface.kind.name(),
            r.start[0],
            r.start[1],
            r.racers.len()
        ),
    })
}

/// `nnbook list`: the bundled scenarios.
pub fn list(out: &mut dyn Write) -> Result<()> {
    for (name, _) in scenario::BUNDLED {
        let sc = scenario::load(name).map_err(|e| anyhow::anyhow!("{e}"))?;
        let kind = match sc.body {
            Body::Classifier(_) => "classifier",
            Body::Compare(_) => "compare",
            Body::Lorenz(_) => "attractor",
            Body::Race(_) => "race",
        };
        writeln!(out, "{name:<24} {kind:<10} {}", sc.title)?;
    }
    Ok(())
}

/// Whether progress should go to stderr.
pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}
