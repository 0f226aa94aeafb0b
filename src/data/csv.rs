//! Reading a dataset from a CSV file, with the `csv` crate: quoted fields, a delimiter
//! sniffed among `,` `;` tab `|` (or given), a byte-order mark, CRLF line ends, `#` comment
//! lines. Two coordinate columns and a label column, by header name or 0-based index
//! (defaults `x1`, `x2`, `label`), and an optional `split` column of `train`/`test`. Labels
//! are class numbers `0..k-1`, or any text: then the classes are the texts in order of first
//! appearance, and keep their names. Errors name the file, the line and the column.

use super::{DataError, Dataset};
use std::path::Path;

/// A column of the file: by its header name, or by its 0-based index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Column {
    Name(String),
    Index(usize),
}

impl Column {
    fn name(s: &str) -> Column {
        Column::Name(s.to_string())
    }
}

/// Which columns to read, and how the file is cut (`[data] x`, `label`, `split`,
/// `delimiter`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvSpec {
    pub x: [Column; 2],
    pub label: Column,
    /// The split column; `None` reads a column named `split` when there is one.
    pub split: Option<Column>,
    /// The delimiter; `None` sniffs it.
    pub delimiter: Option<u8>,
    /// The labels are real-valued targets (`[data] task = "regression"`), not classes.
    pub regression: bool,
}

impl Default for CsvSpec {
    fn default() -> Self {
        CsvSpec {
            x: [Column::name("x1"), Column::name("x2")],
            label: Column::name("label"),
            split: None,
            delimiter: None,
            regression: false,
        }
    }
}

impl CsvSpec {
    /// Today's files without a header: `x1,x2,label[,split]` by position.
    fn legacy_index(name: &str) -> Option<usize> {
        ["x1", "x2", "label", "split"]
            .iter()
            .position(|&n| n == name)
    }
}

/// A loaded file: its points, which are test points when the file says so, the class
/// names when the labels are text, and the coordinates' column names.
pub struct LoadedCsv {
    pub data: Dataset,
    pub split: Option<Vec<bool>>,
    pub names: Vec<String>,
    pub columns: [String; 2],
}

pub fn load_csv(path: &Path, spec: &CsvSpec) -> Result<LoadedCsv, DataError> {
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
    let bytes = std::fs::read(path).map_err(|e| DataError::File {
        path: shown.clone(),
        message: format!("cannot read the CSV file: {e}"),
    })?;
    let text = String::from_utf8(bytes).map_err(|e| DataError::File {
        path: shown.clone(),
        message: format!(
            "not UTF-8 text (at byte {}): save the file as UTF-8",
            e.utf8_error().valid_up_to()
        ),
    })?;
    parse_csv(&text, &shown, spec)
}

/// Coordinates beyond this are refused.
const MAX_COORDINATE: f64 = 1e9;
/// At most this many classes.
const MAX_CLASSES: usize = 256;

/// The delimiter of the first data lines: the candidate found the same number of times
/// (at least once) on each of the first lines, outside quotes; `,` when none is.
fn sniff(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .take(10)
        .collect();
    let count = |line: &str, d: char| {
        let mut quoted = false;
        line.chars()
            .filter(|&c| {
                if c == '"' {
                    quoted = !quoted;
                }
                !quoted && c == d
            })
            .count()
    };
    let mut best = (0, b',');
    for d in [',', ';', '\t', '|'] {
        let counts: Vec<usize> = lines.iter().map(|l| count(l, d)).collect();
        let Some(&first) = counts.first() else {
            continue;
        };
        if first > 0 && counts.iter().all(|&c| c == first) && first > best.0 {
            best = (first, d as u8);
        }
    }
    best.1
}

fn delimiter_name(d: u8) -> String {
    match d {
        b'\t' => "tab".into(),
        d => format!("`{}`", d as char),
    }
}

pub fn parse_csv(text: &str, shown: &str, spec: &CsvSpec) -> Result<LoadedCsv, DataError> {
    // A byte-order mark (spreadsheets write one) is not part of the header.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let err = |line: usize, message: String| DataError::Csv {
        path: shown.to_string(),
        line,
        message,
    };
    let delimiter = spec.delimiter.unwrap_or_else(|| sniff(text));
    // Comment lines are blanked here rather than by the reader, whose line count skips them:
    // lines are counted from a record's byte offset (see `line_at`).
    let text: String = text
        .split_inclusive('\n')
        .map(|l| {
            if l.trim_start().starts_with('#') {
                &l[l.trim_end_matches(['\r', '\n']).len()..]
            } else {
                l
            }
        })
        .collect();
    let text = text.as_str();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    // The line a record starts on: its offset may point at the line end before it.
    let line_at = |byte: u64| -> usize {
        let mut at = (byte as usize).min(text.len());
        while at < text.len() && text.as_bytes()[at].is_ascii_whitespace() {
            at += 1;
        }
        text.as_bytes()[..at]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    };
    let mut rows = reader.records();
    let read = |r: Option<Result<csv::StringRecord, csv::Error>>| match r {
        None => Ok(None),
        Some(Ok(rec)) => Ok(Some(rec)),
        Some(Err(e)) => {
            let line = e.position().map_or(0, |p| line_at(p.byte()));
            Err(err(line, format!("cannot read this line: {e}")))
        }
    };
    let Some(first) = read(rows.next())? else {
        return Err(DataError::File {
            path: shown.to_string(),
            message: "the file holds no data rows".into(),
        });
    };
    let line_of = |rec: &csv::StringRecord| rec.position().map_or(0, |p| line_at(p.byte()));
    // A first row whose first field is not a number is the header.
    let header: Option<Vec<String>> = first
        .get(0)
        .is_some_and(|f| f.parse::<f64>().is_err())
        .then(|| first.iter().map(str::to_string).collect());
    let header_line = line_of(&first);
    // Where each wanted column is.
    let find = |c: &Column, key: &str, required: bool| -> Result<Option<usize>, DataError> {
        match (c, &header) {
            (Column::Index(i), _) => Ok(Some(*i)),
            (Column::Name(n), Some(h)) => match h.iter().position(|x| x == n) {
                Some(i) => Ok(Some(i)),
                None if !required => Ok(None),
                None => Err(err(
                    header_line,
                    format!(
                        "no column named `{n}` (for `data.{key}`); the header has {} (delimiter {})",
                        h.iter()
                            .map(|x| format!("`{x}`"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        delimiter_name(delimiter)
                    ),
                )),
            },
            (Column::Name(n), None) => match CsvSpec::legacy_index(n) {
                // Without a header, the default names stand for today's positions.
                Some(i) => Ok(Some(i)),
                _ => Err(err(
                    header_line,
                    format!(
                        "the file has no header row, so `data.{key}` cannot name `{n}`: \
                         give columns by 0-based index (e.g. x = [0, 1], label = 2)"
                    ),
                )),
            },
        }
    };
    let ix = [
        find(&spec.x[0], "x", true)?.unwrap_or(0),
        find(&spec.x[1], "x", true)?.unwrap_or(1),
    ];
    let il = find(&spec.label, "label", true)?.unwrap_or(2);
    let is = match &spec.split {
        Some(c) => find(c, "split", true)?,
        None => match &header {
            Some(_) => find(&Column::name("split"), "split", false)?,
            // Without a header, a fourth column is today's split column.
            None if spec.x[0] == Column::name("x1") && spec.label == Column::name("label") => {
                (first.len() == 4).then_some(3)
            }
            None => None,
        },
    };
    let name_of = |i: usize| -> String {
        match &header {
            Some(h) => h.get(i).cloned().unwrap_or_else(|| format!("{i}")),
            None => match i {
                0..=3 if spec.x[0] == Column::name("x1") => {
                    ["x1", "x2", "label", "split"][i].into()
                }
                _ => format!("{i}"),
            },
        }
    };
    let width = ix
        .iter()
        .chain([&il])
        .chain(is.iter())
        .max()
        .copied()
        .unwrap_or(0)
        + 1;
    let mut points: Vec<[f64; 2]> = Vec::new();
    let mut labels: Vec<(String, usize)> = Vec::new();
    let mut split: Vec<bool> = Vec::new();
    let mut pending = if header.is_some() { None } else { Some(first) };
    loop {
        let rec = match pending.take() {
            Some(r) => r,
            None => match read(rows.next())? {
                Some(r) => r,
                None => break,
            },
        };
        let line = line_of(&rec);
        if rec.iter().all(str::is_empty) {
            continue;
        }
        if rec.len() < width {
            return Err(err(
                line,
                format!(
                    "{} fields, but column {} is wanted (delimiter {})",
                    rec.len(),
                    name_of(width - 1),
                    delimiter_name(delimiter)
                ),
            ));
        }
        let field = |i: usize| rec.get(i).unwrap_or("");
        let num = |i: usize| -> Result<f64, DataError> {
            let s = field(i);
            match s.parse::<f64>() {
                // Larger coordinates leave no room to draw or train (a view of ±1e308 is
                // infinitely wide); data in such units wants rescaling first.
                Ok(v) if v.is_finite() && v.abs() > MAX_COORDINATE => Err(err(
                    line,
                    format!(
                        "column {}: {s} is beyond ±1e9: rescale the data (the plane is drawn \
                         and trained at that scale)",
                        name_of(i)
                    ),
                )),
                Ok(v) if v.is_finite() => Ok(v),
                _ => Err(err(
                    line,
                    format!("column {}: `{s}` is not a finite number", name_of(i)),
                )),
            }
        };
        points.push([num(ix[0])?, num(ix[1])?]);
        let l = field(il);
        if l.is_empty() {
            return Err(err(
                line,
                format!("column {}: the label is empty", name_of(il)),
            ));
        }
        labels.push((l.to_string(), line));
        if let Some(i) = is {
            split.push(match field(i) {
                "train" => false,
                "test" => true,
                other => {
                    return Err(err(
                        line,
                        format!(
                            "column {}: `{other}` is neither `train` nor `test`",
                            name_of(i)
                        ),
                    ));
                }
            });
        }
    }
    if points.is_empty() {
        return Err(DataError::File {
            path: shown.to_string(),
            message: "the file holds no data rows".into(),
        });
    }
    let mut data = Dataset::default();
    let mut names: Vec<String> = Vec::new();
    if spec.regression {
        for (p, (l, line)) in points.into_iter().zip(&labels) {
            match l.parse::<f64>() {
                Ok(v) if v.is_finite() => data.push_value(p, v),
                _ => {
                    return Err(err(
                        *line,
                        format!(
                            "column {}: target {l:?} is not a finite number (the file is read \
                             as a regression: `task = \"regression\"`)",
                            name_of(il)
                        ),
                    ));
                }
            }
        }
        return Ok(LoadedCsv {
            data,
            split: is.map(|_| split),
            names,
            columns: [name_of(ix[0]), name_of(ix[1])],
        });
    }
    // Class numbers when every label is one; otherwise names, in order of first appearance.
    let numbers: Option<Vec<usize>> = labels.iter().map(|(l, _)| l.parse().ok()).collect();
    match numbers {
        Some(ys) => {
            for ((p, y), (_, line)) in points.into_iter().zip(ys).zip(&labels) {
                if y >= MAX_CLASSES {
                    return Err(err(
                        *line,
                        format!("label {y} is too large (at most {})", MAX_CLASSES - 1),
                    ));
                }
                data.push(p, y);
            }
            for c in 0..data.classes {
                if !data.y.contains(&c) {
                    return Err(DataError::File {
                        path: shown.to_string(),
                        message: format!(
                            "labels must be 0..{}, but no row has label {c} (or use names as labels)",
                            data.classes - 1
                        ),
                    });
                }
            }
        }
        // Every label a number, some not whole (0.5, -1): real-valued targets, not names.
        None if labels.iter().all(|(l, _)| l.parse::<f64>().is_ok()) => {
            let (l, line) = labels
                .iter()
                .find(|(l, _)| l.parse::<usize>().is_err())
                .map_or((String::new(), 0), |(l, n)| (l.clone(), *n));
            return Err(err(
                line,
                format!(
                    "column {}: label {l} is not a class (classes are whole numbers 0, 1, … or \
                     names); to fit real-valued targets, set `task = \"regression\"` in [data]",
                    name_of(il)
                ),
            ));
        }
        None => {
            for (p, (l, line)) in points.into_iter().zip(&labels) {
                let y = match names.iter().position(|n| n == l) {
                    Some(y) => y,
                    None => {
                        if names.len() == MAX_CLASSES {
                            return Err(err(
                                *line,
                                format!(
                                    "column {}: more than {MAX_CLASSES} different labels",
                                    name_of(il)
                                ),
                            ));
                        }
                        names.push(l.clone());
                        names.len() - 1
                    }
                };
                data.push(p, y);
            }
        }
    }
    Ok(LoadedCsv {
        data,
        split: is.map(|_| split),
        names,
        columns: [name_of(ix[0]), name_of(ix[1])],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str, spec: &CsvSpec) -> LoadedCsv {
        parse_csv(text, "d.csv", spec).unwrap_or_else(|e| panic!("{e}"))
    }

    fn msg(text: &str) -> String {
        msg_with(text, &CsvSpec::default())
    }

    fn msg_with(text: &str, spec: &CsvSpec) -> String {
        match parse_csv(text, "d.csv", spec) {
            Ok(_) => panic!("expected an error"),
            Err(e) => e.to_string(),
        }
    }

    fn iris_like() -> CsvSpec {
        CsvSpec {
            x: [Column::name("petal length"), Column::name("petal_width")],
            label: Column::name("species"),
            ..CsvSpec::default()
        }
    }

    #[test]
    fn a_regression_reads_real_targets_and_names_a_bad_one() {
        let spec = CsvSpec {
            regression: true,
            ..CsvSpec::default()
        };
        let a = load("x1,x2,label\n0,0,0.5\n1,1,-2\n2,0,3\n", &spec);
        assert_eq!(a.data.t, [0.5, -2.0, 3.0]);
        assert!(a.data.is_regression() && a.names.is_empty());
        let e = msg_with("x1,x2,label\n0,0,0.5\n1,1,cat\n", &spec);
        assert!(
            e.starts_with("d.csv:3: column label: target \"cat\" is not a finite number"),
            "{e}"
        );
        assert!(msg_with("x1,x2,label\n0,0,inf\n", &spec).contains("not a finite number"));
    }

    #[test]
    fn real_valued_labels_are_refused_not_read_as_names() {
        let e = msg("x1,x2,label\n0,0,0.5\n1,1,1\n");
        assert!(
            e.starts_with("d.csv:2: column label:")
                && e.contains("label 0.5 is not a class")
                && e.contains("regression"),
            "{e}"
        );
        // Names that happen to include a number stay names.
        let a = load("x1,x2,label\n0,0,cat\n1,1,2\n", &CsvSpec::default());
        assert_eq!(a.names, ["cat", "2"]);
    }

    #[test]
    fn header_is_optional_and_split_is_honoured() {
        let a = load(
            "x1,x2,label,split\n0,0,0,train\n1,1,1,test\n",
            &CsvSpec::default(),
        );
        assert_eq!(a.split, Some(vec![false, true]));
        let b = load("0,0,0\n1,1,1\n", &CsvSpec::default());
        assert_eq!(b.data.classes, 2);
        assert!(b.split.is_none());
        assert!(b.names.is_empty());
        let c = load(
            "# a comment\n\n0,0,0,test\n1,1,1,train\n",
            &CsvSpec::default(),
        );
        assert_eq!(c.split, Some(vec![true, false]));
    }

    #[test]
    fn quotes_semicolons_bom_crlf_and_text_labels() {
        let text = "\u{feff}\"petal length\";petal_width;\"species\"\r\n\
                    1,4;0,2;\"Iris setosa\"\r\n\
                    4,7;1,4;versicolor\r\n\
                    1,3;0,3;\"Iris setosa\"\r\n\
                    6,0;2,5;\"virginica; tall\"\r\n";
        // Decimal commas are not numbers here: the delimiter is found, the numbers refused.
        let e = msg_with(text, &iris_like());
        assert_eq!(
            e,
            "d.csv:2: column petal length: `1,4` is not a finite number"
        );
        let text = text.replace(
            "1,4;0,2;\"Iris setosa\"\r\n4,7;1,4;versicolor\r\n1,3;0,3;\"Iris setosa\"\r\n6,0;2,5;",
            "1.4;0.2;\"Iris setosa\"\r\n4.7;1.4;versicolor\r\n1.3;0.3;\"Iris setosa\"\r\n6.0;2.5;",
        );
        let a = load(&text, &iris_like());
        assert_eq!(a.data.x, [[1.4, 0.2], [4.7, 1.4], [1.3, 0.3], [6.0, 2.5]]);
        assert_eq!(a.data.y, [0, 1, 0, 2]);
        assert_eq!(a.names, ["Iris setosa", "versicolor", "virginica; tall"]);
        assert_eq!(a.columns, ["petal length", "petal_width"]);
        assert!(a.split.is_none());
    }

    #[test]
    fn tabs_and_indexed_columns_and_a_given_delimiter() {
        let text = "a\tb\tc\tkind\n9\t1\t2\tcat\n9\t3\t4\tdog\n";
        let spec = CsvSpec {
            x: [Column::Index(1), Column::Index(2)],
            label: Column::Index(3),
            ..CsvSpec::default()
        };
        let a = load(text, &spec);
        assert_eq!(a.data.x, [[1.0, 2.0], [3.0, 4.0]]);
        assert_eq!(a.names, ["cat", "dog"]);
        assert_eq!(a.columns, ["b", "c"]);
        // The same by index without a header.
        let a = load("9|1|2|cat\n9|3|4|dog\n", &spec);
        assert_eq!(a.data.y, [0, 1]);
        assert_eq!(a.columns, ["1", "2"]);
        // A given delimiter wins over the sniffed one.
        let spec = CsvSpec {
            delimiter: Some(b';'),
            ..CsvSpec::default()
        };
        let a = load("x1;x2;label\n1.5;2;0\n", &CsvSpec::default());
        assert_eq!(a.data.len(), 1);
        let e = msg_with("x1,x2,label\n1,2,0\n", &spec);
        assert!(e.contains("no column named `x1`"), "{e}");
        assert!(e.contains("delimiter `;`"), "{e}");
    }

    #[test]
    fn a_missing_column_lists_the_headers() {
        assert_eq!(
            msg_with(
                "sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,setosa\n",
                &iris_like()
            ),
            "d.csv:1: no column named `petal length` (for `data.x`); the header has \
             `sepal_length`, `sepal_width`, `petal_length`, `petal_width`, `species` (delimiter `,`)"
        );
        let spec = CsvSpec {
            split: Some(Column::name("fold")),
            ..CsvSpec::default()
        };
        assert!(
            msg_with("x1,x2,label\n0,0,0\n", &spec)
                .contains("no column named `fold` (for `data.split`)")
        );
    }

    #[test]
    fn errors_name_file_line_and_column() {
        assert_eq!(
            msg("x1,x2,label\n0,0,0\n1,abc,1\n"),
            "d.csv:3: column x2: `abc` is not a finite number"
        );
        assert_eq!(
            msg("0,0,0\n1,1\n"),
            "d.csv:2: 2 fields, but column label is wanted (delimiter `,`)"
        );
        assert_eq!(
            msg("0,0,0,train\n1,1,1,validate\n"),
            "d.csv:2: column split: `validate` is neither `train` nor `test`"
        );
        assert_eq!(
            msg("0,0,0\n1,1,2\n"),
            "d.csv: labels must be 0..2, but no row has label 1 (or use names as labels)"
        );
        assert_eq!(
            msg("x1,x2,label\n\"1\",\"2\",\"\"\n"),
            "d.csv:2: column label: the label is empty"
        );
        let spec = CsvSpec {
            x: [Column::name("a"), Column::name("b")],
            ..CsvSpec::default()
        };
        assert!(msg_with("0,0,0\n", &spec).contains("no header row"));
    }
}
