//! The headless commands as a user runs them: the real binary, its output and exit codes.

use std::path::Path;
use std::process::{Command, Output};

fn nnbook(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nnbook"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn train_prints_the_documented_keys_then_a_summary() {
    let o = nnbook(&["train", "playground", "--epochs", "30", "--every", "10"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 4, "epochs 10, 20, 30 and the summary");
    for (i, l) in lines[..3].iter().enumerate() {
        let keys: Vec<&str> = l
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            ["epoch", "train_loss", "test_loss", "train_acc", "test_acc"]
        );
        assert_eq!(l["epoch"], 10 * (i + 1));
    }
    assert_eq!(lines[3]["summary"], true);
    assert_eq!(lines[3]["epochs"], 30);
    assert_eq!(lines[3]["status"], "ok");
    // The test set's confusion matrix: rows are the true classes (250 test points, half of
    // each class), and its diagonal is the test accuracy.
    let m: Vec<Vec<u64>> =
        serde_json::from_value(lines[3]["confusion"].clone()).expect("a matrix of counts");
    assert_eq!(m.len(), 2);
    let total: u64 = m.iter().flatten().sum();
    assert_eq!(total, 250);
    let right = (m[0][0] + m[1][1]) as f64 / total as f64;
    let acc = lines[3]["test_acc"].as_f64().expect("test_acc");
    assert!((right - acc).abs() < 1e-9, "{right} vs {acc}");
    // Progress goes to stderr only when it is a terminal; here it is a pipe.
    assert_eq!(stderr(&o), "");
}

#[test]
fn same_seed_gives_byte_identical_output() {
    for args in [
        &["train", "numpy", "--epochs", "40", "--every", "1"][..],
        &["train", "playground", "--epochs", "20", "--format", "csv"][..],
        &["trace", "race-rosenbrock", "--steps", "50"][..],
    ] {
        let a = nnbook(args);
        let b = nnbook(args);
        assert!(a.status.success(), "{}", stderr(&a));
        assert!(!a.stdout.is_empty());
        assert_eq!(a.stdout, b.stdout, "{args:?}");
    }
}

#[test]
fn one_core_or_two_train_to_the_same_numbers() {
    // The NumPy chapter's 900 points are a split batch: two halves, on two threads or one.
    let one = nnbook(&[
        "train", "numpy", "--epochs", "300", "--every", "1", "--cores", "1",
    ]);
    let two = nnbook(&[
        "train", "numpy", "--epochs", "300", "--every", "1", "--cores", "2",
    ]);
    assert!(one.status.success(), "{}", stderr(&one));
    assert_eq!(stdout(&one).lines().count(), 301);
    assert_eq!(one.stdout, two.stdout);
    let bad = nnbook(&["train", "numpy", "--cores", "3"]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("--cores"), "{}", stderr(&bad));
}

#[test]
fn csv_format_has_a_header_and_a_summary_comment() {
    let o = nnbook(&[
        "train",
        "playground",
        "--epochs",
        "5",
        "--every",
        "1",
        "--format",
        "csv",
    ]);
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "epoch,train_loss,test_loss,train_acc,test_acc");
    assert_eq!(lines.len(), 7);
    assert!(lines[1].starts_with("1,"));
    assert!(lines[6].starts_with("# summary: epochs=5 status=ok"));
}

#[test]
fn trace_starts_at_step_zero_with_every_racer() {
    let o = nnbook(&["trace", "race-rosenbrock", "--steps", "3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(lines.len(), 4 * 5);
    let first = &lines[0];
    let keys: Vec<&str> = first
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["step", "optimizer", "x", "y", "f"]);
    assert_eq!(first["step"], 0);
    assert_eq!(first["optimizer"], "gd");
    assert_eq!(
        (first["x"].as_f64(), first["y"].as_f64()),
        (Some(-2.0), Some(2.0))
    );
    // f(−2, 2) = (1 + 2)² + 100·(2 − 4)² = 409
    assert_eq!(first["f"].as_f64(), Some(409.0));
    // torch.optim.SGD(lr=2e-4), first step: (−1.6788, 2.08) (reference file, path[1]).
    let gd1 = &lines[5];
    assert_eq!(gd1["step"], 1);
    assert!((gd1["x"].as_f64().unwrap_or(0.0) + 1.6788).abs() < 1e-12);
}

#[test]
fn wrong_commands_say_what_is_wrong() {
    let o = nnbook(&["train", "no/such.toml"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("no/such.toml: cannot read the scenario file"),
        "{}",
        stderr(&o)
    );
    let o = nnbook(&["trace", "numpy"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("use `nnbook train`"), "{}", stderr(&o));
    let o = nnbook(&["train", "race-rosenbrock"]);
    assert!(stderr(&o).contains("use `nnbook trace`"), "{}", stderr(&o));
}

#[test]
fn a_diverging_run_says_so_and_fails() {
    let dir = std::env::temp_dir().join(format!("nnbook-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let f = dir.join("hot.toml");
    std::fs::write(
        &f,
        "[model]\nhidden = [16]\nactivation = \"linear\"\noutput = \"linear\"\nloss = \"mse\"\n[optimizer]\nkind = \"sgd\"\nlr = 10.0\n[data]\nnoise = 0.0\n",
    )
    .expect("write");
    let o = nnbook(&["train", f.to_str().expect("utf-8 path"), "--epochs", "200"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("diverged"), "{}", stderr(&o));
    let last = stdout(&o).lines().last().unwrap_or_default().to_string();
    assert!(last.contains("\"status\":\"diverged\""), "{last}");
}

#[test]
fn check_reports_every_broken_file_with_its_place() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/invalid_scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 15);
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read");
        let want = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{} lacks a `# expect:` line", f.display()));
        let o = nnbook(&["check", f.to_str().expect("utf-8 path")]);
        assert!(!o.status.success(), "{} passed the check", f.display());
        let out = stdout(&o);
        assert!(
            out.contains(want),
            "{}:\n want: {want}\n got:  {out}",
            f.display()
        );
    }
}

#[test]
fn check_and_list_accept_every_bundled_scenario() {
    let mut files: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"))
            .expect("scenarios/")
            .filter_map(|e| e.ok())
            .map(|e| format!("scenarios/{}", e.file_name().to_string_lossy()))
            .filter(|f| f.ends_with(".toml"))
            .collect();
    files.sort();
    let mut args = vec!["check"];
    args.extend(files.iter().map(String::as_str));
    let o = nnbook(&args);
    assert!(o.status.success(), "{}", stdout(&o));
    assert_eq!(
        stdout(&o).lines().filter(|l| l.starts_with("ok")).count(),
        files.len()
    );
    let listed = stdout(&nnbook(&["list"]));
    for f in &files {
        let stem = f.trim_start_matches("scenarios/").trim_end_matches(".toml");
        // `03-numpy.toml` is bundled as `numpy`: the number is the reading order.
        let name = stem
            .split_once('-')
            .filter(|(n, _)| n.chars().all(|c| c.is_ascii_digit()))
            .map_or(stem, |(_, rest)| rest);
        assert!(
            listed.lines().any(|l| l.starts_with(name)),
            "{name} is not bundled:\n{listed}"
        );
    }
}

#[test]
fn trace_is_deterministic_on_every_bundled_race() {
    let listed = stdout(&nnbook(&["list"]));
    let races: Vec<&str> = listed
        .lines()
        .filter(|l| l.split_whitespace().nth(1) == Some("race"))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(races.len() >= 8, "{listed}");
    for name in races {
        let a = nnbook(&["trace", name, "--steps", "200"]);
        let b = nnbook(&["trace", name, "--steps", "200"]);
        assert!(a.status.success(), "{name}: {}", stderr(&a));
        assert_eq!(a.stdout, b.stdout, "{name}");
    }
}

#[test]
fn a_lecture_reports_a_broken_chapter_by_file_and_line_and_keeps_the_rest() {
    let o = nnbook(&[
        "lecture",
        "tests/invalid_scenarios/bad-activation.toml",
        "scenarios/03-numpy.toml",
    ]);
    let err = stderr(&o);
    assert!(
        err.contains(
            "skipping tests/invalid_scenarios/bad-activation.toml:3:14: `model.activation`"
        ),
        "{err}"
    );
    // The remaining chapter would play; here stdout is a pipe, so the app says so instead.
    assert!(err.contains("stdout is not a terminal"), "{err}");
    let o = nnbook(&["lecture", "tests/invalid_scenarios/bad-activation.toml"]);
    assert!(
        stderr(&o).contains("no chapter could be loaded"),
        "{}",
        stderr(&o)
    );
}

/// `check` builds every run side by side, so a run that `train` would refuse halfway is
/// refused by `check`, by name.
#[test]
fn check_builds_every_run_side_by_side() {
    let dir = std::env::temp_dir().join(format!("nnbook-check-runs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut csv = String::from("x1,x2,label\n");
    for i in 0..30 {
        csv += &format!("{},{},{}\n", i % 7, i % 5, i % 3);
    }
    std::fs::write(dir.join("three.csv"), csv).expect("csv");
    let toml = dir.join("runs.toml");
    std::fs::write(
        &toml,
        "title = \"Runs\"\n[data]\nkind = \"csv\"\npath = \"three.csv\"\n[model]\nhidden = [4]\n\
         [[runs]]\nname = \"fine\"\n[[runs]]\nname = \"two-class output\"\n\
         model = { output = \"sigmoid\", loss = \"bce\" }\n",
    )
    .expect("toml");
    let o = nnbook(&["check", toml.to_str().expect("utf-8 path")]);
    let out = stdout(&o);
    assert!(!o.status.success(), "{out}");
    assert!(
        out.contains("run \"two-class output\"") && out.contains("3 classes"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A scenario's title cannot act on the terminal that prints it.
#[test]
fn check_shows_control_characters_escaped() {
    let path = std::env::temp_dir().join(format!("nnbook-evil-{}.toml", std::process::id()));
    std::fs::write(
        &path,
        "title = \"evil\\u001b]2;PWNED\\u0007 title\"\n[data]\nkind = \"moons\"\n",
    )
    .expect("write");
    let o = nnbook(&["check", path.to_str().expect("utf-8 path")]);
    let out = stdout(&o);
    assert!(o.status.success(), "{out}{}", stderr(&o));
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    assert!(out.contains("evil\\x1b]2;PWNED\\x07 title"), "{out}");
    let _ = std::fs::remove_file(&path);
}

#[test]
fn completions_and_a_man_page_are_generated() {
    for (shell, mark) in [
        ("bash", "complete -F _nnbook"),
        ("zsh", "#compdef nnbook"),
        ("fish", "complete -c nnbook"),
    ] {
        let o = nnbook(&["completions", shell]);
        assert!(
            o.status.success(),
            "{shell}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let text = stdout(&o);
        assert!(text.contains(mark), "{shell}: no {mark:?}");
        // Every subcommand is offered.
        for sub in ["train", "trace", "check", "export", "lecture", "bench"] {
            assert!(text.contains(sub), "{shell}: no {sub}");
        }
    }
    let o = nnbook(&["man"]);
    assert!(o.status.success());
    let man = stdout(&o);
    assert!(
        man.starts_with(".ie") || man.contains(".TH nnbook 1"),
        "{man:.200}"
    );
    assert!(man.contains("lecture"));
    let o = nnbook(&["completions", "tcsh"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("possible values"));
}

#[test]
fn train_says_why_early_stopping_ended_the_run_and_predict_reads_the_saved_model() {
    let dir = std::env::temp_dir().join(format!("nnbook-cli-model-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let model = dir.join("iris.json");
    let model_arg = model.to_str().expect("a UTF-8 path");
    let o = nnbook(&[
        "train",
        "iris",
        "--every",
        "1000",
        "--save-model",
        model_arg,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let summary: serde_json::Value =
        serde_json::from_str(out.lines().last().expect("a summary")).expect("JSON");
    assert_eq!(summary["status"], "early_stopping");
    assert_eq!(summary["stopped_at"], 147);
    assert_eq!(summary["epochs"], 147);
    assert_eq!(summary["best_epoch"], 117);
    assert_eq!(summary["restored_best"], true);
    assert_eq!(
        summary["classes"],
        serde_json::json!(["setosa", "versicolor", "virginica"])
    );
    assert!(
        stderr(&o).contains("early stopping after epoch 147"),
        "{}",
        stderr(&o)
    );
    // Points on stdin, by the data's column names.
    let mut child = Command::new(env!("CARGO_BIN_EXE_nnbook"))
        .args(["predict", model_arg])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("predict runs");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(b"petal_width,petal_length\n0.2,1.4\n2.3,6.0\n")
            .expect("write the points");
    }
    let o = child.wait_with_output().expect("predict ends");
    assert!(o.status.success(), "{}", stderr(&o));
    let rows: Vec<String> = stdout(&o).lines().map(String::from).collect();
    assert_eq!(rows[0], "x1,x2,p_setosa,p_versicolor,p_virginica,class");
    // The header's order was petal_width first: the model's columns are picked by name.
    assert!(
        rows[1].starts_with("1.4,0.2,") && rows[1].ends_with(",setosa"),
        "{rows:?}"
    );
    assert!(
        rows[2].starts_with("6.0,2.3,") && rows[2].ends_with(",virginica"),
        "{rows:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
