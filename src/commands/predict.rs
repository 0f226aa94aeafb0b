//! `nnbook predict MODEL.json [POINTS.csv]`: a saved network's output for each point, read
//! from a file or stdin (`x1,x2` rows, a header optional; the `csv` crate reads them).

use crate::nn::{ModelFile, Workspace};
use anyhow::{Context, Result, anyhow};
use std::io::{Read, Write};
use std::path::Path;

/// Reads a model file, every field checked.
pub fn read_model(path: &Path) -> Result<ModelFile> {
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{shown}: cannot read the model file"))?;
    let model: ModelFile = serde_json::from_str(&text).map_err(|e| {
        anyhow!(
            "{shown}:{}:{}: not an nnbook model file: {e}",
            e.line(),
            e.column()
        )
    })?;
    model.network().map_err(|m| anyhow!("{shown}: {m}"))?;
    Ok(model)
}

/// The points of `text`: two columns of numbers per row, the model's feature (or column)
/// names picked from a header when it has them, else the first two.
fn read_points(text: &str, shown: &str, model: &ModelFile) -> Result<Vec<[(String, f64); 2]>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let mut cols = [0, 1];
    let mut out = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| anyhow!("{shown}: cannot read a row: {e}"))?;
        let row = i + 1;
        if rec.iter().all(str::is_empty) {
            continue;
        }
        if i == 0 && rec.get(0).is_some_and(|f| f.parse::<f64>().is_err()) {
            let names: Vec<&str> = rec.iter().collect();
            let find = |want: &[String]| -> Option<[usize; 2]> {
                let (wa, wb) = (want.first()?, want.get(1)?);
                let a = names.iter().position(|n| n == wa)?;
                let b = names.iter().position(|n| n == wb)?;
                Some([a, b])
            };
            cols = find(&model.features)
                .or_else(|| model.columns.as_deref().and_then(find))
                .unwrap_or([0, 1]);
            continue;
        }
        let mut p: [(String, f64); 2] = Default::default();
        for (k, &c) in cols.iter().enumerate() {
            let field = rec.get(c).unwrap_or("");
            let v: f64 = field
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| {
                    anyhow!(
                        "{shown}: row {row}, column {}: `{field}` is not a finite number",
                        c + 1
                    )
                })?;
            p[k] = (field.to_string(), v);
        }
        out.push(p);
    }
    Ok(out)
}

/// `nnbook predict`: the header `x1,x2,p_<class>…,class` (a regression's `x1,x2,value`),
/// then one row per point.
pub fn predict(model_path: &Path, points: Option<&Path>, out: &mut dyn Write) -> Result<()> {
    let model = read_model(model_path)?;
    let net = model
        .network()
        .map_err(|m| anyhow!("{}: {m}", model_path.display()))?;
    let (text, shown) = match points {
        Some(p) => (
            std::fs::read_to_string(p)
                .with_context(|| format!("{}: cannot read the points", p.display()))?,
            p.display().to_string(),
        ),
        None => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .context("<stdin>: cannot read the points")?;
            (s, "<stdin>".to_string())
        }
    };
    let pts = read_points(&text, &shown, &model)?;
    // The points are raw coordinates; the model's features are computed from them.
    if model.regression {
        writeln!(out, "x1,x2,value")?;
        let raw: Vec<[f64; 2]> = pts.iter().map(|p| [p[0].1, p[1].1]).collect();
        let values = net.values_of_points(&raw, &mut Workspace::default());
        for (p, v) in pts.iter().zip(values) {
            writeln!(out, "{},{},{}", p[0].0, p[1].0, v as f32)?;
        }
        out.flush()?;
        return Ok(());
    }
    let mut header: Vec<String> = vec!["x1".into(), "x2".into()];
    header.extend(model.classes.iter().map(|c| format!("p_{c}")));
    header.push("class".into());
    writeln!(out, "{}", header.join(","))?;
    if pts.is_empty() {
        return Ok(());
    }
    let raw: Vec<[f64; 2]> = pts.iter().map(|p| [p[0].1, p[1].1]).collect();
    let mut ws = Workspace::default();
    let probs = net.predict_points(&raw, &mut ws);
    for (p, row) in pts.iter().zip(probs.rows()) {
        let ps: Vec<f32> = if row.len() == 1 {
            vec![1.0 - row[0], row[0]]
        } else {
            row.to_vec()
        };
        let best = ps
            .iter()
            .enumerate()
            .fold((0, f32::NEG_INFINITY), |(bi, bv), (i, &v)| {
                if v > bv { (i, v) } else { (bi, bv) }
            })
            .0;
        let cells: Vec<String> = ps.iter().map(|v| v.to_string()).collect();
        writeln!(
            out,
            "{},{},{},{}",
            p[0].0,
            p[1].0,
            cells.join(","),
            model.classes.get(best).map_or("", String::as_str)
        )?;
    }
    out.flush()?;
    Ok(())
}
