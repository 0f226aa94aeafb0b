//! Saving a scenario back into its own file with `toml_edit`: only the values that changed
//! are rewritten, so the user's comments, key order and layout survive byte for byte. Floats
//! are written as a person would (`0.3`, never `0.30000000000000004`).

use super::{Scenario, parse};
use std::path::Path;
use toml_edit::{DocumentMut, Item, Value};

/// `v` as the shortest decimal a few ulps from it: what the user meant by a value that
/// arithmetic left a few ulps off (`0.1 + 0.2`).
pub fn human_float(v: f64) -> f64 {
    if !v.is_finite() || v == 0.0 {
        return v;
    }
    // Within four units in the last place: rounding noise, not a value anyone typed.
    for digits in 1..=15 {
        if let Ok(r) = format!("{:.*e}", digits - 1, v).parse::<f64>()
            && (r - v).abs() <= 4.0 * f64::EPSILON * v.abs()
        {
            return r;
        }
    }
    v
}

/// Rounds every float of `item` to its human form.
fn humanize(item: &mut Item) {
    fn value(v: &mut Value) {
        match v {
            Value::Float(f) => {
                let h = human_float(*f.value());
                if h != *f.value() {
                    let decor = f.decor().clone();
                    *f = toml_edit::Formatted::new(h);
                    *f.decor_mut() = decor;
                }
            }
            Value::Array(a) => a.iter_mut().for_each(value),
            Value::InlineTable(t) => t.iter_mut().for_each(|(_, v)| value(v)),
            _ => {}
        }
    }
    match item {
        Item::Value(v) => value(v),
        Item::Table(t) => t.iter_mut().for_each(|(_, i)| humanize(i)),
        Item::ArrayOfTables(a) => a
            .iter_mut()
            .for_each(|t| t.iter_mut().for_each(|(_, i)| humanize(i))),
        Item::None => {}
    }
}

/// Two values are the same setting when they read the same (`1` and `1.0` are not merged
/// into each other: the user's spelling stays).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => x.value() == y.value(),
        (Value::String(x), Value::String(y)) => x.value() == y.value(),
        (Value::Integer(x), Value::Integer(y)) => x.value() == y.value(),
        (Value::Boolean(x), Value::Boolean(y)) => x.value() == y.value(),
        (Value::Integer(x), Value::Float(y)) | (Value::Float(y), Value::Integer(x)) => {
            *x.value() as f64 == *y.value()
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(a, b)| same(a, b))
        }
        (Value::InlineTable(x), Value::InlineTable(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a.to_string().trim() == b.to_string().trim(),
    }
}

/// A value for the file, with the decor (spaces, comment) of the one it replaces.
fn replace_value(old: &mut Value, new: &Value) {
    let decor = old.decor().clone();
    *old = tidy(new.clone());
    *old.decor_mut() = decor;
}

/// Lists and inline tables on one line, spaced as people write them (`[16, 8, 4]`).
fn tidy(mut v: Value) -> Value {
    match &mut v {
        // A list of lists (drawn points): one inner list a line.
        Value::Array(a) if !a.is_empty() && a.iter().all(Value::is_array) => {
            for item in a.iter_mut() {
                if let Value::Array(inner) = item {
                    inner.fmt();
                }
                item.decor_mut().set_prefix("\n    ");
                item.decor_mut().set_suffix("");
            }
            a.set_trailing_comma(true);
            a.set_trailing("\n");
            a.decor_mut().clear();
        }
        Value::Array(a) => {
            a.fmt();
            a.decor_mut().clear();
        }
        Value::InlineTable(t) => {
            t.fmt();
            t.decor_mut().clear();
        }
        _ => {}
    }
    v
}

/// Puts `new`'s settings into `old`, key by key: equal values are left as written, changed
/// ones replaced in place, missing ones appended to their table.
fn merge_table(old: &mut dyn toml_edit::TableLike, new: &dyn toml_edit::TableLike) {
    for (k, n) in new.iter() {
        match (old.get_mut(k), n) {
            (Some(o), n) if o.is_table_like() && n.is_table_like() => {
                if let (Some(ot), Some(nt)) = (o.as_table_like_mut(), n.as_table_like()) {
                    merge_table(ot, nt);
                }
            }
            (Some(Item::Value(o)), Item::Value(n)) => {
                if !same(o, n) {
                    replace_value(o, n);
                }
            }
            (Some(Item::ArrayOfTables(o)), Item::ArrayOfTables(n)) if o.len() == n.len() => {
                for (ot, nt) in o.iter_mut().zip(n.iter()) {
                    merge_table(ot, nt);
                }
            }
            (Some(o), n) => {
                // A table grew to a list of them, or changed shape: the new form wins.
                *o = n.clone();
            }
            (None, n) => {
                let n = match n {
                    Item::Value(v) => {
                        let mut v = tidy(v.clone());
                        v.decor_mut().clear();
                        Item::Value(v)
                    }
                    other => other.clone(),
                };
                old.insert(k, n);
            }
        }
    }
}

/// Every dotted path to a plain value in `t` (`model.dropout`, `runs.0.name`).
fn leaves(t: &dyn toml_edit::TableLike, prefix: &str, out: &mut Vec<String>) {
    for (k, v) in t.iter() {
        let path = if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            Item::Table(_) => {
                if let Some(t) = v.as_table_like() {
                    leaves(t, &path, out);
                }
            }
            Item::Value(Value::InlineTable(it)) => leaves(it, &path, out),
            Item::ArrayOfTables(a) => {
                for (i, t) in a.iter().enumerate() {
                    leaves(t, &format!("{path}.{i}"), out);
                }
            }
            _ => out.push(path),
        }
    }
}

/// Removes the value at a dotted path; true when there was one.
fn remove(t: &mut dyn toml_edit::TableLike, path: &[&str]) -> bool {
    match path {
        [] => false,
        [k] => t.remove(k).is_some(),
        [k, rest @ ..] => match t.get_mut(k) {
            Some(Item::ArrayOfTables(a)) => match rest {
                [i, rest @ ..] => match i.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
                    Some(t) => remove(t, rest),
                    None => false,
                },
                [] => false,
            },
            Some(item) => item.as_table_like_mut().is_some_and(|t| remove(t, rest)),
            None => false,
        },
    }
}

/// `text` (a scenario file) changed to say `new`: only the values that differ are rewritten.
/// `dir` resolves data paths as the file's own folder does. Fails, changing nothing, when the
/// text does not parse as TOML or the result would not read back as `new`.
pub fn update(text: &str, new: &Scenario, dir: Option<&Path>) -> Result<String, String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| format!("the file is not valid TOML: {e}"))?;
    // Data paths as the file gives them: relative to its folder.
    let mut rel = new.clone();
    if let Some(d) = dir {
        let unresolve = |c: &mut super::Classifier| {
            if let Some(r) = c.data.path.as_ref().and_then(|p| p.strip_prefix(d).ok()) {
                c.data.path = Some(r.to_path_buf());
            }
        };
        match &mut rel.body {
            super::Body::Classifier(c) => unresolve(c),
            super::Body::Compare(runs) => runs.iter_mut().for_each(|(_, c)| unresolve(c)),
            _ => {}
        }
    }
    let mut written: DocumentMut = rel
        .to_toml()
        .parse()
        .map_err(|e| format!("cannot write this scenario: {e}"))?;
    humanize(written.as_item_mut());
    let before: Vec<String> = {
        let mut v = Vec::new();
        leaves(doc.as_table(), "", &mut v);
        v
    };
    merge_table(doc.as_table_mut(), written.as_table());
    // A key the new form leaves out is at its default there: a key the file still gives
    // goes only when it holds another value (an explicit default stays as written).
    let mut kept_out = Vec::new();
    leaves(written.as_table(), "", &mut kept_out);
    let read = |d: &DocumentMut| parse(&d.to_string(), "<saved>", dir);
    for path in before.iter().filter(|p| !kept_out.contains(p)) {
        let parts: Vec<&str> = path.split('.').collect();
        let mut without = doc.clone();
        if !remove(without.as_table_mut(), &parts) {
            continue;
        }
        let (with, wo) = (read(&doc), read(&without));
        if with.as_ref().ok() != wo.as_ref().ok() {
            doc = without;
        }
    }
    // A key the file did not have goes in only when it changes what the file says (the
    // written form spells out defaults such as `batch_size = 0`).
    let mut after = Vec::new();
    leaves(doc.as_table(), "", &mut after);
    for path in after.iter().filter(|p| !before.contains(p)) {
        let parts: Vec<&str> = path.split('.').collect();
        let mut without = doc.clone();
        if !remove(without.as_table_mut(), &parts) {
            continue;
        }
        let (with, wo) = (read(&doc), read(&without));
        if with.is_ok() && with.as_ref().ok() == wo.as_ref().ok() {
            doc = without;
        }
    }
    // Tables the pruning left empty and the file did not have go too.
    let emptied: Vec<String> = doc
        .as_table()
        .iter()
        .filter(|(k, v)| {
            v.as_table_like().is_some_and(|t| t.is_empty()) && !text_has_table(text, k)
        })
        .map(|(k, _)| k.to_string())
        .collect();
    for k in emptied {
        doc.as_table_mut().remove(&k);
    }
    let out = doc.to_string();
    // What the new form reads as from this folder (its data paths resolved there).
    let want = parse(&rel.to_toml(), "<saved>", dir).unwrap_or_else(|_| new.clone());
    match parse(&out, "<saved>", dir) {
        Ok(sc) if sc == want || same_but_rounding(&sc, &want) => Ok(out),
        Ok(_) => Err("the saved file would not read back as the setup on screen".into()),
        Err(e) => Err(format!("the saved file would not read back: {e}")),
    }
}

/// Whether the original text has a table `name` (then an empty one stays).
fn text_has_table(text: &str, name: &str) -> bool {
    text.parse::<DocumentMut>()
        .ok()
        .is_some_and(|d| d.as_table().contains_key(name))
}

/// Equal once every float is written as a person would (the file holds `0.3` where the run
/// had 0.30000000000000004).
fn same_but_rounding(a: &Scenario, b: &Scenario) -> bool {
    let norm = |s: &Scenario| -> Option<DocumentMut> {
        let mut d: DocumentMut = s.to_toml().parse().ok()?;
        humanize(d.as_item_mut());
        Some(d)
    };
    match (norm(a), norm(b)) {
        (Some(x), Some(y)) => x.to_string() == y.to_string(),
        _ => false,
    }
}

/// Where a bundled chapter is saved: `NAME.toml` in `dir`, or `NAME-2.toml`, … when taken.
pub fn new_file(dir: &Path, name: &str) -> std::path::PathBuf {
    let mut p = dir.join(format!("{name}.toml"));
    let mut n = 2;
    while p.exists() {
        p = dir.join(format!("{name}-{n}.toml"));
        n += 1;
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Body;

    const COMMENTED: &str = "# My experiment, keep these notes.\n\
title = \"moons, my way\"   # the title\n\
seed = 3\n\
\n\
[data]\n\
kind = \"moons\"\n\
# fewer points than the default\n\
samples = 300\n\
noise = 0.25      # a bit noisy\n\
test_ratio = 0.2\n\
\n\
[model]\n\
hidden = [ 8, 8 ]     # two layers\n\
activation = \"tanh\"\n\
dropout = 0.1\n\
\n\
[optimizer]\n\
kind = \"sgd\"\n\
lr = 0.1          # the rate\n\
momentum = 0      # explicit default, kept\n\
\n\
[train]\n\
epochs = 500\n";

    fn classifier(sc: &mut Scenario) -> &mut crate::scenario::Classifier {
        match &mut sc.body {
            Body::Classifier(c) => c,
            _ => panic!("a classifier"),
        }
    }

    #[test]
    fn only_the_changed_value_changes_byte_for_byte() {
        let mut sc = parse(COMMENTED, "s.toml", None).unwrap();
        classifier(&mut sc).optimizer.lr = 0.03;
        let out = update(COMMENTED, &sc, None).unwrap();
        assert_eq!(
            out,
            COMMENTED.replace(
                "lr = 0.1          # the rate",
                "lr = 0.03          # the rate"
            )
        );
        // Unchanged, the file is written back exactly as it was.
        let same = parse(COMMENTED, "s.toml", None).unwrap();
        assert_eq!(update(COMMENTED, &same, None).unwrap(), COMMENTED);
    }

    #[test]
    fn floats_are_written_as_the_user_would() {
        let mut sc = parse(COMMENTED, "s.toml", None).unwrap();
        classifier(&mut sc).data.test_ratio = 0.1 + 0.2;
        let out = update(COMMENTED, &sc, None).unwrap();
        assert!(out.contains("test_ratio = 0.3\n"), "{out}");
        assert!(!out.contains("0.30000000000000004"));
        assert_eq!(human_float(0.1 + 0.2), 0.3);
        assert_eq!(human_float(1e-5 * 3.0), 3e-5);
        assert_eq!(human_float(1.0 / 3.0), 1.0 / 3.0);
    }

    #[test]
    fn new_keys_are_added_and_values_back_at_default_removed() {
        let mut sc = parse(COMMENTED, "s.toml", None).unwrap();
        let c = classifier(&mut sc);
        c.model.dropout = 0.0;
        c.train.batch_size = 32;
        c.model.hidden = vec![16, 8, 4];
        let out = update(COMMENTED, &sc, None).unwrap();
        assert!(!out.contains("dropout"), "{out}");
        assert!(out.contains("batch_size = 32"), "{out}");
        assert!(
            out.contains("hidden = [16, 8, 4]     # two layers"),
            "{out}"
        );
        assert!(
            out.contains("momentum = 0      # explicit default, kept"),
            "{out}"
        );
        assert!(out.starts_with("# My experiment, keep these notes.\n"));
        assert_eq!(parse(&out, "s.toml", None).unwrap(), sc);
    }

    #[test]
    fn drawn_points_round_trip_through_save_and_load() {
        let text = crate::scenario::BUNDLED
            .iter()
            .find(|(n, _)| *n == "playground")
            .unwrap()
            .1;
        let mut sc = crate::scenario::load("playground").unwrap();
        let c = classifier(&mut sc);
        c.data.kind = crate::data::DataKind::Points;
        (c.data.samples, c.data.noise) = (3, 0.0);
        c.data.points = vec![
            crate::data::DrawnPoint {
                x: [-2.72, 1.98],
                label: 0,
                test: false,
            },
            crate::data::DrawnPoint {
                x: [2.4, -3.15],
                label: 1,
                test: false,
            },
            crate::data::DrawnPoint {
                x: [0.5, 0.25],
                label: 1,
                test: true,
            },
        ];
        let out = update(text, &sc, None).unwrap();
        // The user's comments and other keys stay; one point a line.
        assert!(
            out.contains("# Slow enough to watch the boundary form"),
            "{out}"
        );
        assert!(
            out.contains("kind = \"points\"\n")
                && out.contains("points = [\n    [-2.72, 1.98, 0.0],\n    [2.4, -3.15, 1.0],\n]")
                && out.contains("test_points = [\n    [0.5, 0.25, 1.0],\n]"),
            "{out}"
        );
        let back = parse(&out, "<saved>", None).unwrap();
        assert_eq!(back, sc);
    }

    #[test]
    fn a_saved_bundled_chapter_saves_again_from_its_new_folder() {
        let iris = crate::scenario::BUNDLED
            .iter()
            .find(|(n, _)| *n == "iris")
            .unwrap()
            .1;
        let mut sc = crate::scenario::load("iris").unwrap();
        classifier(&mut sc).optimizer.lr = 0.1;
        let out = update(iris, &sc, Some(Path::new("/somewhere"))).unwrap();
        assert_eq!(out, iris.replace("lr = 0.05\n", "lr = 0.1\n"));
    }

    #[test]
    fn a_new_file_for_a_bundled_chapter_does_not_overwrite() {
        let dir = std::env::temp_dir().join(format!("nnbook-save-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let a = new_file(&dir, "iris");
        assert_eq!(a, dir.join("iris.toml"));
        std::fs::write(&a, "").unwrap();
        assert_eq!(new_file(&dir, "iris"), dir.join("iris-2.toml"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
