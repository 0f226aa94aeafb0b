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
