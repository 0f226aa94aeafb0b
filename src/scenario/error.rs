//! What goes wrong loading a scenario: the [`ScenarioError`] a user reads (file, line and
//! column, key, message), and the `Problem` a check finds before it is given its place.

use std::fmt;

/// A scenario that failed to load or check.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioError {
    /// The file as the user named it (or `<bundled:NAME>`, `<editor>`).
    pub file: String,
    /// 1-based line and column, when the problem has a place.
    pub at: Option<(usize, usize)>,
    /// The offending key, dotted (`optimizer.lr`, `racers.2.betas`).
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some((line, col)) = self.at {
            write!(f, ":{line}:{col}")?;
        }
        write!(f, ": ")?;
        if let Some(key) = &self.key {
            write!(f, "`{key}`: ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for ScenarioError {}

/// A problem found while checking, before it is given a place in the file.
pub(super) struct Problem {
    pub(super) key: String,
    pub(super) message: String,
}

pub(super) type Checked<T> = Result<T, Problem>;

pub(super) fn problem(key: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem {
        key: key.into(),
        message: message.into(),
    }
}

/// 1-based line and column of a byte offset.
pub(super) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Where the value of a dotted key (`racers.1.lr`) sits in the text; falls back to the
/// nearest enclosing key that exists.
pub(super) fn locate(text: &str, key: &str) -> Option<(usize, usize)> {
    use toml::de::{DeTable, DeValue};
    let doc = DeTable::parse(text).ok()?;
    let root = DeValue::Table(doc.into_inner());
    let mut cur = &root;
    let mut best = None;
    for seg in key.split('.') {
        let next = match seg.parse::<usize>() {
            Ok(i) => cur.get(i),
            Err(_) => cur.get(seg),
        };
        match next {
            Some(v) => {
                best = Some(v.span().start);
                cur = v.get_ref();
            }
            None => break,
        }
    }
    best.map(|b| line_col(text, b))
}

/// The dotted key whose value (or key) holds byte `offset` — the deepest one — when the text
/// parses as TOML. (A table's span is its header only, so every table is searched.)
pub(super) fn key_at(text: &str, offset: usize) -> Option<String> {
    use toml::de::DeTable;
    let doc = DeTable::parse(text).ok()?;
    let mut path = Vec::new();
    find_in_table(doc.get_ref(), offset, &mut path).then(|| path.join("."))
}

fn find_in_table(t: &toml::de::DeTable<'_>, offset: usize, path: &mut Vec<String>) -> bool {
    for (k, v) in t.iter() {
        path.push(k.get_ref().to_string());
        if k.span().contains(&offset) || find_in_value(v, offset, path) {
            return true;
        }
        path.pop();
    }
    false
}

fn find_in_value(
    v: &toml::Spanned<toml::de::DeValue<'_>>,
    offset: usize,
    path: &mut Vec<String>,
) -> bool {
    use toml::de::DeValue;
    match v.get_ref() {
        DeValue::Table(t) => find_in_table(t, offset, path) || v.span().contains(&offset),
        DeValue::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(i.to_string());
                if find_in_value(x, offset, path) {
                    return true;
                }
                path.pop();
            }
            v.span().contains(&offset)
        }
        _ => v.span().contains(&offset),
    }
}

/// A number as a person writes it (`1e99`, not a hundred digits).
fn compact(number: &str) -> String {
    match number.parse::<f64>() {
        Ok(v) if number.len() > 12 => format!("{v:e}"),
        _ => number.to_string(),
    }
}

/// What a deserializer's type word means in a scenario.
fn kind_words(what: &str) -> String {
    let w = what.trim();
    if let Some(rest) = w.strip_prefix("floating point ") {
        return format!("the number {}", compact(rest.trim_matches('`')));
    }
    if let Some(rest) = w.strip_prefix("integer ") {
        return format!("the whole number {}", rest.trim_matches('`'));
    }
    if let Some(rest) = w.strip_prefix("string ") {
        return format!("the text {rest}");
    }
    if let Some(rest) = w.strip_prefix("boolean ") {
        return rest.trim_matches('`').to_string();
    }
    match w {
        "map" | "a map" => "a table".into(),
        "sequence" | "a sequence" => "a list like [8, 8]".into(),
        "a string" | "string" => "a text in quotes".into(),
        "a boolean" | "bool" => "true or false".into(),
        "a whole number" | "u8" | "u16" | "u32" | "u64" | "usize" | "i32" | "i64" => {
            "a whole number".into()
        }
        "a number" | "f32" | "f64" => "a number".into(),
        _ if w.starts_with("struct ") => "a table".into(),
        _ if w.starts_with("enum ") || w.starts_with("untagged enum ") => "a value".into(),
        _ => w.to_string(),
    }
}

/// The TOML library's and the deserializer's messages in a scenario's words: no Rust type
/// names (`untagged enum InitFile`, `expected u64`), the offending text quoted, what to write
/// instead. `at` is the problem's byte range in `text`.
pub(super) fn plain_words(message: &str, text: &str, at: Option<std::ops::Range<usize>>) -> String {
    let m = message.trim();
    let start = at.as_ref().map_or(0, |r| r.start.min(text.len()));
    // The line the problem is on, and what follows the problem there.
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = text[line_start..line_end].trim();
    let here = text[start..line_end].trim();
    let key_of_line = line.split(['=', ' ']).next().unwrap_or("").trim();
    let value_of_line = line.split_once('=').map_or(here, |(_, v)| v.trim());
    if let Some(rest) = m.strip_prefix("invalid type: ")
        && let Some((got, want)) = rest.split_once(", expected ")
    {
        return format!("expected {}, got {}", kind_words(want), kind_words(got));
    }
    if let Some(rest) = m.strip_prefix("invalid value: ")
        && let Some((got, want)) = rest.split_once(", expected ")
    {
        let want = kind_words(want);
        let want = if want == "a whole number" && got.contains('-') {
            "a whole number ≥ 0".to_string()
        } else {
            want
        };
        return format!("expected {want}, got {}", kind_words(got));
    }
    if m.contains("did not match any variant of untagged enum InitFile") {
        return "expected an initializer's name (\"normal\", \"xavier\", \"he\", \
                \"playground\") or a table like { kind = \"normal\", scale = 0.1 }"
            .into();
    }
    if m.contains("did not match any variant of untagged enum ActivationFile") {
        return "expected an activation's name (\"tanh\") or a list with one per hidden layer \
                ([\"tanh\", \"relu\"])"
            .into();
    }
    if m.contains("did not match any variant of untagged enum ColumnFile") {
        return "expected a column: its header name in quotes (\"species\") or its 0-based \
                index (2)"
            .into();
    }
    if m.contains("untagged enum") {
        return "this value has none of the forms this key takes".into();
    }
    if m.starts_with("duplicate key") {
        return if line.starts_with('[') {
            format!("the table {line} is given twice")
        } else {
            format!("`{key_of_line}` is given twice")
        };
    }
    if m.starts_with("string values must be quoted") {
        return if here.is_empty() || here.starts_with('#') {
            format!("`{key_of_line}` has no value after `=`")
        } else {
            // The parser cannot know which the key takes: say both forms.
            format!(
                "`{here}` is neither a number nor a text in quotes (a text is written \
                 `{key_of_line} = \"{here}\"`)"
            )
        };
    }
    if m.starts_with("key with no value") {
        return format!("`{key_of_line}` has no value: write `{key_of_line} = …`");
    }
    if m.starts_with("missing comma between array elements") || m.starts_with("unclosed array") {
        return "a list is not closed, or a comma is missing between its items: [25, 50]".into();
    }
    if m.starts_with("unclosed table") || m.starts_with("invalid table header") {
        return format!("a table header is not closed: `{line}` wants its `]`");
    }
    if m.starts_with("invalid basic string") || m.starts_with("invalid literal string") {
        return "a text in quotes is not closed (its closing `\"` is missing)".into();
    }
    if m.starts_with("invalid float") || m.starts_with("invalid integer") {
        let value = value_of_line
            .split_whitespace()
            .next()
            .unwrap_or(value_of_line);
        return format!("not a number: `{value}`");
    }
    if let Some(rest) = m.strip_prefix("unknown field `")
        && let Some((_, expected)) = rest.split_once("`, expected ")
    {
        let takes = expected.strip_prefix("one of ").unwrap_or(expected);
        return format!("no such key here; this table takes {takes}");
    }
    let m = m
        .replace("unknown field", "unknown key")
        .replace("missing field", "missing key")
        .replace("unknown variant", "unknown value");
    // Whatever else still names a Rust type.
    let mut out = String::new();
    for (i, word) in m.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(match word.trim_end_matches(',') {
            "u8" | "u16" | "u32" | "u64" | "usize" | "i32" | "i64" => "a whole number",
            "f32" | "f64" => "a number",
            _ => word,
        });
        if word.ends_with(',') && !out.ends_with(',') {
            out.push(',');
        }
    }
    out
}
