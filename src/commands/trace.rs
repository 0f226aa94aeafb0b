//! `nnbook trace`: an optimizer race (or the attractor) headless, one line per step per racer.

use super::{Format, num};
use crate::scenario::{Body, Scenario};
use crate::train::RaceRun;
use anyhow::{Result, bail};
use serde::Serialize;
use std::io::Write;

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
    if let Body::Averages(a) = &sc.body {
        return trace_averages(a, sc.seed, steps, format, out);
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
    // Only the current points are kept: a trace of any length streams in constant memory
    // (the same steps as `Flow::step`, without the trails the view draws).
    let mut points = l.starts.clone();
    if format == Format::Csv {
        writeln!(out, "step,path,x,y,z")?;
    }
    for step in 0..=steps {
        if step > 0 {
            for p in &mut points {
                *p = l.system.step(*p, l.dt);
            }
        }
        for (i, q) in points.iter().enumerate() {
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

/// `nnbook trace` on the moving-averages chapter: each point of the noisy series and every
/// average at it (`v_0.9` …), bias-corrected when the scenario says so; `steps` cuts the
/// series short (it never grows past the scenario's points, which fix the series).
fn trace_averages(
    a: &crate::scenario::AveragesSpec,
    seed: u64,
    steps: Option<usize>,
    format: Format,
    out: &mut dyn Write,
) -> Result<()> {
    use crate::dynamics::averages::{ewa, noisy_walk};
    let xs = noisy_walk(a.points, a.noise, seed);
    let n = steps.unwrap_or(a.points).min(a.points);
    let vs: Vec<Vec<f64>> = a
        .betas
        .iter()
        .map(|&b| ewa(&xs, b, a.bias_correction))
        .collect();
    let names: Vec<String> = a.betas.iter().map(|b| format!("v_{b}")).collect();
    if format == Format::Csv {
        writeln!(out, "t,x,{}", names.join(","))?;
    }
    for t in 0..n {
        match format {
            Format::Jsonl => {
                let mut m = serde_json::Map::new();
                m.insert("t".into(), (t + 1).into());
                m.insert("x".into(), xs[t].into());
                for (name, v) in names.iter().zip(&vs) {
                    m.insert(name.clone(), v[t].into());
                }
                writeln!(out, "{}", serde_json::Value::Object(m))?;
            }
            Format::Csv => {
                let cols: Vec<String> = vs.iter().map(|v| num(v[t])).collect();
                writeln!(out, "{},{},{}", t + 1, num(xs[t]), cols.join(","))?;
            }
        }
    }
    out.flush()?;
    Ok(())
}
