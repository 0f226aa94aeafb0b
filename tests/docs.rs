//! Documentation that must not drift from the code.

#[test]
fn keys_md_matches_the_binding_table() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/keys.md");
    let want = nnbook::screens::keys_markdown();
    let have = std::fs::read_to_string(path).unwrap_or_default();
    if have != want {
        if std::env::var_os("NNBOOK_WRITE_DOCS").is_some() {
            std::fs::write(path, &want).expect("write docs/keys.md");
        } else {
            panic!("docs/keys.md is out of date; run `NNBOOK_WRITE_DOCS=1 cargo test --test docs`");
        }
    }
}

#[test]
fn scenario_reference_documents_every_key() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/scenarios.md"))
        .expect("docs/scenarios.md exists");
    let keys = nnbook::scenario::accepted_keys();
    assert!(keys.len() > 40, "{keys:?}");
    let missing: Vec<_> = keys
        .iter()
        .filter(|k| !doc.contains(&format!("`{k}`")))
        .collect();
    assert!(missing.is_empty(), "docs/scenarios.md lacks {missing:?}");
}
