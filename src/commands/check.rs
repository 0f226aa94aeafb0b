//! `nnbook check` and `nnbook list`: scenario files validated (and the data they name made),
//! and the bundled chapters listed.

use super::printable;
use crate::scenario::{self, Body};
use crate::train::ClassifierRun;
use anyhow::{Context, Result};
use std::io::Write;

/// `nnbook check`: loads each file and builds what it describes (data included). Returns
/// whether all passed.
pub fn check(files: &[String], out: &mut dyn Write) -> Result<bool> {
    let mut ok = true;
    for f in files {
        // Every problem of the file's text at once, in line order.
        if let Err(errs) = scenario::load_all(f) {
            ok = false;
            for e in errs {
                writeln!(out, "error {}", printable(&e.to_string()))?;
            }
            continue;
        }
        match check_one(f) {
            Ok(what) => writeln!(out, "ok    {}: {}", printable(f), printable(&what))?,
            Err(e) => {
                ok = false;
                writeln!(out, "error {}", printable(&format!("{e:#}")))?;
            }
        }
    }
    Ok(ok)
}

/// A one-line description of a loaded scenario, or the error that stops it.
pub fn check_one(f: &str) -> Result<String> {
    let sc = scenario::load(f)?;
    Ok(match &sc.body {
        Body::Classifier(c) => {
            let run = ClassifierRun::new(c.clone(), sc.seed).with_context(|| f.to_string())?;
            format!(
                "\"{}\" · {} {} points ({} train, {} test) · {} {} · {}",
                sc.title,
                c.data.label(),
                run.data.train.len() + run.data.test.len(),
                run.data.train.len(),
                run.data.test.len(),
                run.net.arch.shape_label(),
                run.net.arch.activation_label(),
                c.optimizer.summary()
            )
        }
        Body::Compare(runs) => {
            // Every run is built, so that a run `train` would refuse is refused here.
            let mut built = Vec::new();
            for (name, spec) in runs {
                built.push(
                    ClassifierRun::new(spec.clone(), sc.seed)
                        .with_context(|| format!("{f}: run \"{name}\""))?,
                );
            }
            let (first, run) = (&runs[0].1, &built[0]);
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
        Body::Averages(a) => format!(
            "\"{}\" · moving averages β {} over {} noisy points",
            sc.title,
            a.betas
                .iter()
                .map(|b| b.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            a.points
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
        let sc = scenario::load(name)?;
        let kind = match sc.body {
            Body::Classifier(_) => "classifier",
            Body::Compare(_) => "compare",
            Body::Lorenz(_) => "attractor",
            Body::Averages(_) => "averages",
            Body::Race(_) => "race",
        };
        writeln!(out, "{name:<24} {kind:<10} {}", printable(&sc.title))?;
    }
    Ok(())
}
