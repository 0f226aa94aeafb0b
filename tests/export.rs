//! Exports as a user gets them: files that decode, frame counts and sizes, identical bytes for
//! the same seed, and failures that name the path and leave nothing under the target name.

use std::path::{Path, PathBuf};
use std::process::Command;

fn nnbook(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_nnbook"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nnbook-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

/// Frame count and size as Pillow (an independent decoder) reads them. `None` when Python or
/// Pillow is missing, unless `NNBOOK_REQUIRE_PILLOW` is set (CI installs it and sets it).
fn pillow(path: &Path) -> Option<(usize, usize, usize)> {
    let script = "import sys\nfrom PIL import Image, ImageSequence\nim = Image.open(sys.argv[1])\nn = 0\nfor f in ImageSequence.Iterator(im):\n    f.convert('RGB').load()\n    n += 1\nprint(n, im.size[0], im.size[1])\n";
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(path)
        .output();
    let required = std::env::var_os("NNBOOK_REQUIRE_PILLOW").is_some();
    match out {
        Ok(o) if o.status.success() => {
            let s = String::from_utf8_lossy(&o.stdout);
            let v: Vec<usize> = s
                .split_whitespace()
                .filter_map(|t| t.parse().ok())
                .collect();
            Some((v[0], v[1], v[2]))
        }
        Ok(o) if required => panic!(
            "Pillow could not read {}: {}",
            path.display(),
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) if required => panic!("python3 is needed: {e}"),
        _ => None,
    }
}

#[test]
fn headless_gif_has_the_frames_and_size_asked_for_and_is_reproducible() {
    let a = tmp("a.gif");
    let b = tmp("b.gif");
    for p in [&a, &b] {
        let o = nnbook(&[
            "export",
            "playground",
            "--out",
            p.to_str().expect("utf-8"),
            "--epochs",
            "40",
            "--every",
            "4",
            "--size",
            "100x30",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let bytes = std::fs::read(&a).expect("gif written");
    assert_eq!(&bytes[..6], b"GIF89a");
    assert_eq!(
        bytes,
        std::fs::read(&b).expect("second gif"),
        "same seed, same bytes"
    );
    // 40 epochs, a frame every 4, plus the first: 11 frames of 100×30 cells at 8×16 pixels.
    if let Some((frames, w, h)) = pillow(&a) {
        assert_eq!((frames, w, h), (11, 800, 480));
    }
    assert_eq!(
        parts_beside(&a),
        Vec::<String>::new(),
        "temporary files left"
    );
}

/// Temporary files left beside `path` (`NAME.*.part`).
fn parts_beside(path: &std::path::Path) -> Vec<String> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let dir = path.parent().expect("a folder");
    std::fs::read_dir(dir)
        .expect("read the folder")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|f| f.starts_with(name) && f.ends_with(".part"))
        .collect()
}

#[test]
fn an_export_never_touches_a_users_part_file() {
    let out = tmp("keep.png");
    let mine = out.with_file_name("keep.png.part");
    std::fs::write(&mine, b"my own notes").expect("write");
    let o = nnbook(&[
        "export",
        "numpy",
        "--out",
        out.to_str().expect("utf-8"),
        "--epochs",
        "2",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read(&mine).expect("still there"), b"my own notes");
    assert_eq!(parts_beside(&out), ["keep.png.part".to_string()]);
}

#[test]
fn race_and_figure_exports_decode() {
    let g = tmp("race.gif");
    let o = nnbook(&[
        "export",
        "race-saddle",
        "--out",
        g.to_str().expect("utf-8"),
        "--epochs",
        "20",
        "--every",
        "5",
        "--style",
        "figure",
        "--pixels",
        "640x400",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    if let Some((frames, w, h)) = pillow(&g) {
        assert_eq!((frames, w, h), (5, 640, 400));
    }
    let p = tmp("numpy.png");
    let o = nnbook(&[
        "export",
        "numpy",
        "--out",
        p.to_str().expect("utf-8"),
        "--epochs",
        "30",
        "--style",
        "figure",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = std::fs::read(&p).expect("png written");
    assert_eq!(&bytes[1..4], b"PNG");
    if let Some((frames, w, h)) = pillow(&p) {
        assert_eq!((frames, w, h), (1, 1280, 640));
    }
}

#[test]
fn the_last_frame_lands_on_the_last_epoch_and_side_by_side_figures_draw() {
    // 10 epochs, a frame every 4: epochs 0, 4, 8 and 10.
    let g = tmp("uneven.gif");
    let o = nnbook(&[
        "export",
        "numpy",
        "--out",
        g.to_str().expect("utf-8"),
        "--epochs",
        "10",
        "--every",
        "4",
        "--size",
        "80x24",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(said.contains("(4 frames"), "{said}");
    if let Some((frames, _, _)) = pillow(&g) {
        assert_eq!(frames, 4);
    }
    let p = tmp("sweep.png");
    let o = nnbook(&[
        "export",
        "regularization-sweep",
        "--out",
        p.to_str().expect("utf-8"),
        "--epochs",
        "2",
        "--style",
        "figure",
        "--pixels",
        "1000x600",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    if let Some((frames, w, h)) = pillow(&p) {
        assert_eq!((frames, w, h), (1, 1000, 600));
    }
    let l = tmp("lorenz.gif");
    let o = nnbook(&[
        "export",
        "lorenz",
        "--out",
        l.to_str().expect("utf-8"),
        "--epochs",
        "300",
        "--every",
        "100",
        "--style",
        "figure",
        "--pixels",
        "800x400",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    if let Some((frames, w, h)) = pillow(&l) {
        assert_eq!((frames, w, h), (4, 800, 400));
    }
}

#[test]
fn an_unwritable_path_is_named_and_nothing_is_left() {
    let o = nnbook(&[
        "export",
        "playground",
        "--out",
        "/nonexistent-dir/x.gif",
        "--epochs",
        "2",
    ]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cannot write /nonexistent-dir/x.gif"), "{err}");
    // The reason once, not once for the message and again for its cause.
    assert_eq!(err.matches("os error").count(), 1, "{err}");
    let o = nnbook(&["export", "playground", "--out", "x.bmp"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("must end in .gif or .png"));
    let o = nnbook(&[
        "export",
        "playground",
        "--out",
        "/tmp/x.gif",
        "--size",
        "10x5",
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("--size 10x5"));
}

#[test]
fn a_failed_write_leaves_no_file_under_the_target_name() {
    // A full disk in the middle of writing: the temporary file goes, the target never appears.
    let target = tmp("full.gif");
    let err = nnbook::export::write_atomically(&target, |w| {
        use std::io::Write;
        w.write_all(b"GIF89a")?;
        Err(std::io::Error::other(
            "No space left on device (os error 28)",
        ))
    })
    .expect_err("the write fails")
    .to_string();
    assert!(
        err.contains("cannot write") && err.contains("full.gif") && err.contains("No space left"),
        "{err}"
    );
    assert!(!target.exists());
    assert_eq!(parts_beside(&target), Vec::<String>::new());
}

#[test]
fn the_recorder_reports_an_unwritable_path_and_finishes_a_good_one() {
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    let mut bad =
        nnbook::export::Recorder::start(PathBuf::from("/nonexistent-dir/rec.gif"), Some(10.0));
    bad.frame(&Buffer::empty(Rect::new(0, 0, 10, 4)));
    let e = bad.finish().expect_err("unwritable").to_string();
    assert!(e.contains("/nonexistent-dir/rec.gif"), "{e}");

    let path = tmp("rec.gif");
    let mut rec = nnbook::export::Recorder::start(path.clone(), Some(10.0));
    for k in 0..5u16 {
        let mut b = Buffer::empty(Rect::new(0, 0, 10, 4));
        b.set_string(k, 1, "⣿", ratatui::style::Style::default());
        rec.frame(&b);
    }
    let saved = rec.finish().expect("saved");
    assert_eq!(saved.frames, 5);
    if let Some((frames, w, h)) = pillow(&path) {
        assert_eq!((frames, w, h), (5, 80, 64));
    }
}

#[test]
fn a_contact_sheet_is_a_grid_of_boundaries_at_evenly_spaced_epochs() {
    let out = tmp("sheet.png");
    let o = nnbook(&[
        "export",
        "circles",
        "--sheet",
        "4x3",
        "--epochs",
        "24",
        "--pixels",
        "800x400",
        "--out",
        out.to_str().expect("a path"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Square tiles, the sheet as wide as --pixels: 4 × 200 by 3 × 200.
    let png = std::fs::read(&out).expect("the sheet");
    let (w, h) = (
        u32::from_be_bytes(png[16..20].try_into().expect("IHDR")),
        u32::from_be_bytes(png[20..24].try_into().expect("IHDR")),
    );
    assert_eq!((w, h), (800, 600));
    if let Some(read) = pillow(&out) {
        assert_eq!(read, (1, 800, 600));
    }
    // Tiles are refused where they cannot be: a GIF, a race, more tiles than epochs.
    for (args, want) in [
        (
            vec!["circles", "--sheet", "2x2", "--out", "x.gif"],
            "write a .png",
        ),
        (
            vec!["race-rosenbrock", "--sheet", "2x2", "--out", "x.png"],
            "has none",
        ),
        (
            vec![
                "circles", "--sheet", "4x3", "--epochs", "5", "--out", "x.png",
            ],
            "12 tiles need at least 12 epochs",
        ),
        (
            vec!["circles", "--sheet", "4", "--out", "x.png"],
            "--sheet 4",
        ),
    ] {
        let mut a = vec!["export"];
        a.extend(args);
        let o = nnbook(&a);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success() && err.contains(want), "{a:?}: {err}");
    }
}
