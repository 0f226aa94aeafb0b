//! The layout holds: imports between the files of `src/` run one way, from the binary down to
//! the engine, with no cycle, and a screen uses no other screen (but compare, which is made of
//! classifier runs). Read from the source's own paths (`crate::…`, `super::…`, `nnbook::…`),
//! so moving a line that breaks the layering fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, highest first: a part may import its own layer and those below it.
const LAYERS: &[&[&str]] = &[
    &["main"],
    &["commands"],
    // The classroom server drives the terminal loop (the local lecturer) and reuses its input
    // decoder and flow control: above `tui`, below the commands.
    &["serve"],
    &["tui"],
    &["screens"],
    &["widgets"],
    &["export"],
    &["keymap", "event"],
    &["train"],
    &["scenario"],
    &["nn", "optim", "data", "surface", "dynamics"],
    &["real"],
];

fn rank(part: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&part))
}

/// Every `.rs` file under `dir`.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read src")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a file: `src/screens/race/view.rs` → `[screens, race, view]`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).expect("under src");
    let mut m: Vec<String> = rel
        .iter()
        .map(|c| c.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if m.last().is_some_and(|l| l == "mod" || l == "lib") {
        m.pop();
    }
    m
}

/// The file that defines the deepest module named by `path` (a module path from the crate
/// root), if any.
fn resolve(src: &Path, path: &[String]) -> Option<PathBuf> {
    let mut dir = src.to_path_buf();
    let mut found = None;
    for seg in path {
        let file = dir.join(format!("{seg}.rs"));
        let folder = dir.join(seg);
        if folder.join("mod.rs").is_file() {
            found = Some(folder.join("mod.rs"));
        } else if file.is_file() {
            found = Some(file);
        } else {
            break;
        }
        dir = folder;
    }
    found
}

/// Paths written after `prefix` (`crate::`, `nnbook::`, `super::`), braces expanded one
/// level at a time: `crate::a::{b, c::d}` gives `a::b` and `a::c::d`.
fn paths_after(text: &str, prefix: &str) -> Vec<Vec<String>> {
    fn expand(s: &str, base: &[String], out: &mut Vec<Vec<String>>) {
        let mut path = base.to_vec();
        let mut rest = s.trim_start();
        loop {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            if end == 0 {
                break;
            }
            path.push(rest[..end].to_string());
            rest = &rest[end..];
            if let Some(r) = rest.strip_prefix("::") {
                rest = r;
                if let Some(group) = rest.strip_prefix('{') {
                    // Split the group at its top-level commas.
                    let (mut depth, mut start) = (0, 0);
                    for (i, c) in group.char_indices() {
                        match c {
                            '{' => depth += 1,
                            '}' if depth == 0 => {
                                expand(&group[start..i], &path, out);
                                return;
                            }
                            '}' => depth -= 1,
                            ',' if depth == 0 => {
                                expand(&group[start..i], &path, out);
                                start = i + 1;
                            }
                            _ => {}
                        }
                    }
                    return;
                }
            } else {
                break;
            }
        }
        if path.len() > base.len() {
            out.push(path);
        }
    }
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(prefix) {
        let at = from + i;
        let before = text[..at].chars().last();
        if !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            expand(&text[at + prefix.len()..], &[], &mut out);
        }
        from = at + prefix.len();
    }
    out
}

/// Each file of `src/` (as a path relative to `src/`) with the files it imports.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let name = |p: &Path| {
        p.strip_prefix(&src)
            .expect("under src")
            .display()
            .to_string()
    };
    let mut g = BTreeMap::new();
    for f in &all {
        let text = std::fs::read_to_string(f).expect("read");
        // Tests inside a file may reach anywhere; the layering is about the code.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let module = module_of(&src, f);
        let mut targets = Vec::new();
        for p in paths_after(code, "crate::")
            .into_iter()
            .chain(paths_after(code, "nnbook::"))
        {
            targets.extend(resolve(&src, &p));
        }
        // `super::x` from a file's module: its parent module, then `x`.
        let parent = module[..module.len().saturating_sub(1)].to_vec();
        for p in paths_after(code, "super::") {
            let mut full = parent.clone();
            full.extend(p);
            targets.extend(resolve(&src, &full));
        }
        let me = name(f);
        let set: BTreeSet<String> = targets
            .iter()
            .map(|t| name(t))
            .filter(|t| *t != me && t != "lib.rs")
            .collect();
        g.insert(me, set);
    }
    g
}

/// The top-level part of a file: `screens/race/view.rs` → `screens`, `main.rs` → `main`.
fn part(file: &str) -> String {
    file.split('/')
        .next()
        .unwrap_or_default()
        .trim_end_matches(".rs")
        .to_string()
}

#[test]
fn the_path_reader_reads_braces_and_nesting() {
    let text = "use crate::a::{b, c::{d, e}};\nlet x = crate::f::g(1); use nnbook::h;";
    let got = paths_after(text, "crate::");
    let want: Vec<Vec<String>> = [
        vec!["a", "b"],
        vec!["a", "c", "d"],
        vec!["a", "c", "e"],
        vec!["f", "g"],
    ]
    .iter()
    .map(|v| v.iter().map(|s| s.to_string()).collect())
    .collect();
    assert_eq!(got, want);
}

#[test]
fn every_file_is_known_and_the_graph_is_not_empty() {
    let g = graph();
    for f in g.keys() {
        let p = part(f);
        assert!(
            p == "lib" || rank(&p).is_some(),
            "{f}: `{p}` is in no layer of tests/architecture.rs"
        );
    }
    let edges: usize = g.values().map(BTreeSet::len).sum();
    assert!(
        edges > 100,
        "only {edges} imports read: the reader is broken"
    );
    assert!(g["screens/classifier/state.rs"].contains("screens/view.rs"));
}

#[test]
fn imports_run_down_the_layers() {
    let mut wrong = Vec::new();
    for (from, tos) in graph() {
        let Some(rf) = rank(&part(&from)) else {
            continue;
        };
        for to in tos {
            if let Some(rt) = rank(&part(&to))
                && rt < rf
            {
                wrong.push(format!("{from} imports {to}, a higher layer"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_screen_uses_no_other_screen_but_compare_its_classifier_runs() {
    let screen = |f: &str| -> Option<String> {
        let mut it = f.split('/');
        (it.next() == Some("screens"))
            .then(|| it.next().map(str::to_string))
            .flatten()
            .filter(|s| !s.ends_with(".rs"))
    };
    let mut wrong = Vec::new();
    for (from, tos) in graph() {
        let Some(a) = screen(&from) else { continue };
        for to in tos {
            if let Some(b) = screen(&to)
                && a != b
                && !(a == "compare" && b == "classifier")
            {
                wrong.push(format!("{from} imports {to}"));
            }
            if to == "screens/mod.rs" {
                wrong.push(format!("{from} imports the screens' opener, {to}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_import_cycle_among_the_files() {
    let g = graph();
    // Depth-first search with colours: grey on the stack, black done.
    fn visit<'a>(
        n: &'a str,
        g: &'a BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<&'a str, u8>,
        stack: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        state.insert(n, 1);
        stack.push(n);
        for m in g.get(n).into_iter().flatten() {
            match state.get(m.as_str()) {
                Some(1) => {
                    let i = stack.iter().position(|s| *s == m.as_str()).unwrap_or(0);
                    let mut c: Vec<String> = stack[i..].iter().map(|s| s.to_string()).collect();
                    c.push(m.clone());
                    return Some(c);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(m, g, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(n, 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in g.keys() {
        if !state.contains_key(n.as_str()) {
            let mut stack = Vec::new();
            if let Some(c) = visit(n, &g, &mut state, &mut stack) {
                panic!("import cycle: {}", c.join(" -> "));
            }
        }
    }
}
