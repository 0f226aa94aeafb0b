//! Reading a dataset from CSV: columns `x1,x2,label[,split]`, header optional, labels
//! `0..k-1`, a `split` column of `train`/`test` honoured. Errors name the file and the line.

use super::{DataError, Dataset};
use std::path::Path;

/// A loaded file: its points, and which are test points when the file says so.
pub struct LoadedCsv {
    pub data: Dataset,
    pub split: Option<Vec<bool>>,
}

pub fn load_csv(path: &Path) -> Result<LoadedCsv, DataError> {
    let shown = path.display().to_string();
    // A device, a FIFO or a folder would be read for ever (or refused with a puzzling error).
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
    {
        return Err(DataError::File {
            path: shown,
            message: "not a regular file: a CSV must be a file (not a folder, device or pipe)"
                .into(),
        });
    }
    let text = std::fs::read_to_string(path).map_err(|e| DataError::File {
        path: shown.clone(),
        message: format!("cannot read the CSV file: {e}"),
    })?;
    parse_csv(&text, &shown)
}

/// Coordinates beyond this are refused.
const MAX_COORDINATE: f64 = 1e9;

pub fn parse_csv(text: &str, shown: &str) -> Result<LoadedCsv, DataError> {
    // A byte-order mark (spreadsheets write one) is not part of the header.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let err = |line: usize, message: String| DataError::Csv {
        path: shown.to_string(),
        line,
        message,
    };
    let mut data = Dataset::default();
    let mut split: Vec<bool> = Vec::new();
    let mut has_split: Option<bool> = None;
    let mut seen_data = false;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let row = raw.trim();
        if row.is_empty() || row.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = row.split(',').map(str::trim).collect();
        if !seen_data && cols.first().is_some_and(|c| c.parse::<f64>().is_err()) {
            // A header: check it names the columns we expect.
            let want = ["x1", "x2", "label"];
            if cols.len() < 3 || cols[..3] != want || (cols.len() == 4 && cols[3] != "split") {
                return Err(err(
                    line,
                    format!("expected the header `x1,x2,label[,split]`, found `{row}`"),
                ));
            }
            has_split = Some(cols.len() == 4);
            seen_data = true;
            continue;
        }
        seen_data = true;
        if cols.len() != 3 && cols.len() != 4 {
            return Err(err(
                line,
                format!(
                    "expected 3 or 4 columns (x1,x2,label[,split]), found {}",
                    cols.len()
                ),
            ));
        }
        match has_split {
            None => has_split = Some(cols.len() == 4),
            Some(h) if h != (cols.len() == 4) => {
                return Err(err(
                    line,
                    format!(
                        "expected {} columns like the lines before, found {}",
                        if h { 4 } else { 3 },
                        cols.len()
                    ),
                ));
            }
            _ => {}
        }
        let num = |k: usize, name: &str| -> Result<f64, DataError> {
            match cols[k].parse::<f64>() {
                // Larger coordinates leave no room to draw or train (a view of ±1e308 is
                // infinitely wide); data in such units wants rescaling first.
                Ok(v) if v.is_finite() && v.abs() > MAX_COORDINATE => Err(err(
                    line,
                    format!(
                        "column {name}: {} is beyond ±1e9: rescale the data (the plane is drawn \
                         and trained at that scale)",
                        cols[k]
                    ),
                )),
                Ok(v) if v.is_finite() => Ok(v),
                _ => Err(err(
                    line,
                    format!("column {name}: `{}` is not a finite number", cols[k]),
                )),
            }
        };
        let x1 = num(0, "x1")?;
        let x2 = num(1, "x2")?;
        let label: usize = cols[2].parse().map_err(|_| {
            err(
                line,
                format!(
                    "column label: `{}` is not a class number 0, 1, 2, …",
                    cols[2]
                ),
            )
        })?;
        if label > 255 {
            return Err(err(
                line,
                format!("label {label} is too large (at most 255)"),
            ));
        }
        if cols.len() == 4 {
            split.push(match cols[3] {
                "train" => false,
                "test" => true,
                other => {
                    return Err(err(
                        line,
                        format!("column split: `{other}` is neither `train` nor `test`"),
                    ));
                }
            });
        }
        data.push([x1, x2], label);
    }
    if data.is_empty() {
        return Err(DataError::File {
            path: shown.to_string(),
            message: "the file holds no data rows".into(),
        });
    }
    for c in 0..data.classes {
        if !data.y.contains(&c) {
            return Err(DataError::File {
                path: shown.to_string(),
                message: format!(
                    "labels must be 0..{}, but no row has label {c}",
                    data.classes - 1
                ),
            });
        }
    }
    Ok(LoadedCsv {
        data,
        split: (has_split == Some(true)).then_some(split),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(text: &str) -> String {
        match parse_csv(text, "d.csv") {
            Ok(_) => panic!("expected an error"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn header_is_optional_and_split_is_honoured() {
        let a = parse_csv("x1,x2,label,split\n0,0,0,train\n1,1,1,test\n", "d.csv")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.split, Some(vec![false, true]));
        let b = parse_csv("0,0,0\n1,1,1\n", "d.csv").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(b.data.classes, 2);
        assert!(b.split.is_none());
    }

    #[test]
    fn errors_name_file_line_and_problem() {
        assert_eq!(
            msg("x1,x2,label\n0,0,0\n1,abc,1\n"),
            "d.csv:3: column x2: `abc` is not a finite number"
        );
        assert_eq!(
            msg("0,0,0\n1,1\n"),
            "d.csv:2: expected 3 or 4 columns (x1,x2,label[,split]), found 2"
        );
        assert_eq!(
            msg("0,0,0,train\n1,1,1,validate\n"),
            "d.csv:2: column split: `validate` is neither `train` nor `test`"
        );
        assert_eq!(
            msg("0,0,0\n1,1,-1\n"),
            "d.csv:2: column label: `-1` is not a class number 0, 1, 2, …"
        );
        assert_eq!(
            msg("0,0,0\n1,1,2\n"),
            "d.csv: labels must be 0..2, but no row has label 1"
        );
        assert_eq!(
            msg("a,b,c\n"),
            "d.csv:1: expected the header `x1,x2,label[,split]`, found `a,b,c`"
        );
    }
}
