//! Mutated scenario files, a few thousand of them from a fixed seed: the checker never panics
//! and never hangs, and what it refuses it refuses with a message that names the file and a
//! place (a line and column, or the key). Cases per run: `NNBOOK_FUZZ_CASES` (default 10 000).

use nnbook::scenario;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use std::time::{Duration, Instant};

/// Pieces a mutation inserts: TOML syntax, extreme and wrong values, other keys.
const PIECES: &[&str] = &[
    "=",
    "\"",
    "[",
    "]",
    "{",
    "}",
    ",",
    "\n",
    "#",
    ".",
    "-",
    "0",
    "1e308",
    "-1e308",
    "nan",
    "inf",
    "-1",
    "0.0",
    "1e-320",
    "18446744073709551616",
    "true",
    "\"x\"",
    "[[runs]]\n",
    "[model]\n",
    "hidden = [0]\n",
    "samples = 0\n",
    "lr = -1\n",
    "kind = \"csv\"\n",
    "path = \"/dev/zero\"\n",
    "betas = [1, 1]\n",
    "\u{1b}[2J",
    "\u{0}",
    "é",
    "hidden = []\n",
    "steps = 0\n",
    "x_range = [1, 0]\n",
    "[[racers]]\n",
    "random_state = -5\n",
];

fn mutate(text: &str, rng: &mut ChaCha8Rng) -> String {
    let mut s: Vec<char> = text.chars().collect();
    for _ in 0..rng.random_range(1..4) {
        let at = rng.random_range(0..=s.len());
        match rng.random_range(0..5) {
            0 if !s.is_empty() => {
                let end = (at + rng.random_range(1..8)).min(s.len());
                s.drain(at.min(end)..end);
            }
            1 | 2 => {
                let p = PIECES[rng.random_range(0..PIECES.len())];
                s.splice(at..at, p.chars());
            }
            3 => {
                // A whole line repeated (duplicate keys and tables).
                let lines: Vec<String> = s
                    .iter()
                    .collect::<String>()
                    .lines()
                    .map(String::from)
                    .collect();
                if !lines.is_empty() {
                    let l = &lines[rng.random_range(0..lines.len())];
                    let line = format!("{l}\n");
                    s.splice(at..at, line.chars());
                }
            }
            _ => {
                // A number replaced by an extreme one.
                if let Some(i) = (at..s.len()).find(|&i| s[i].is_ascii_digit()) {
                    let j = (i..s.len())
                        .find(|&j| !s[j].is_ascii_digit() && s[j] != '.')
                        .unwrap_or(s.len());
                    let v = [
                        "1e308",
                        "-1e308",
                        "0",
                        "-0",
                        "4294967296",
                        "1e-400",
                        "999999999999",
                    ][rng.random_range(0..7)];
                    s.splice(i..j, v.chars());
                }
            }
        }
    }
    s.into_iter().collect()
}

/// Builds what a scenario describes, as `nnbook check` does; errors are fine, panics are not.
fn build(sc: &scenario::Scenario) {
    use nnbook::train::{ClassifierRun, RaceRun};
    match &sc.body {
        scenario::Body::Classifier(c) => {
            let _ = ClassifierRun::new(c.clone(), sc.seed);
        }
        scenario::Body::Compare(runs) => {
            for (_, c) in runs {
                let _ = ClassifierRun::new(c.clone(), sc.seed);
            }
        }
        scenario::Body::Race(r) => {
            let mut race = RaceRun::new(r.clone());
            race.step();
        }
        scenario::Body::Lorenz(l) => {
            let mut f = nnbook::dynamics::Flow::new(l.system, l.dt, l.starts.clone());
            f.step();
        }
        scenario::Body::Averages(a) => {
            let xs = nnbook::dynamics::averages::noisy_walk(a.points, a.noise, sc.seed);
            for &b in &a.betas {
                let _ = nnbook::dynamics::averages::ewa(&xs, b, a.bias_correction);
            }
        }
    }
}

#[test]
fn mutated_scenarios_are_refused_with_a_place_and_never_panic() {
    let cases: usize = std::env::var("NNBOOK_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let (mut refused, mut accepted) = (0, 0);
    let start = Instant::now();
    for k in 0..cases {
        let (name, original) = scenario::BUNDLED[k % scenario::BUNDLED.len()];
        let text = mutate(original, &mut rng);
        let t0 = Instant::now();
        let got = std::panic::catch_unwind(|| scenario::parse(&text, "fuzz.toml", None));
        let took = t0.elapsed();
        assert!(
            took < Duration::from_secs(2),
            "case {k} (from {name}) took {took:?}:\n{text}"
        );
        match got {
            Err(_) => panic!("case {k} (from {name}) panicked:\n{text}"),
            Ok(Ok(sc)) => {
                accepted += 1;
                // What check does next: make the data and the network (or the race).
                let built = std::panic::catch_unwind(|| build(&sc));
                assert!(
                    built.is_ok(),
                    "case {k} (from {name}) panicked building:\n{text}"
                );
            }
            Ok(Err(e)) => {
                refused += 1;
                let msg = e.to_string();
                assert!(msg.starts_with("fuzz.toml"), "case {k}: {msg}");
                assert!(
                    e.at.is_some() || e.key.is_some(),
                    "case {k} (from {name}) names no place: {msg}\n{text}"
                );
            }
        }
    }
    eprintln!(
        "{cases} mutated scenarios: {refused} refused with a place, {accepted} accepted, in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    assert!(
        refused > cases / 4 && accepted > 0,
        "{refused} refused, {accepted} accepted"
    );
}

/// Pieces a CSV mutation inserts: separators, quotes, line ends, a BOM, odd numbers, labels.
const CSV_PIECES: &[&str] = &[
    ",",
    "\"",
    "\r\n",
    "\n",
    "\u{feff}",
    "nan",
    "inf",
    "-inf",
    "1e309",
    "-",
    "label",
    "split",
    "train",
    "test",
    "val",
    "99999999999999999999",
    "0.5",
    "-1",
    ";",
    "\t",
    "\u{0}",
    "é",
    "\u{1b}[2J",
    "x1,x2,label\n",
    "#",
    " ",
    "1,2,3,4,5\n",
];

#[test]
fn mutated_csv_files_are_refused_with_file_and_line_and_never_panic() {
    let cases: usize = std::env::var("NNBOOK_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(2_000, |n: usize| n / 5);
    let original = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/sklearn-circles-201.csv"
    ))
    .expect("the test CSV");
    // Small files mutate faster and reach the header and the ends more often.
    let original: String = original
        .lines()
        .take(12)
        .map(|l| format!("{l}\n"))
        .collect();
    let dir = std::env::temp_dir().join(format!("nnbook-fuzz-csv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("fuzz.csv");
    let mut rng = ChaCha8Rng::seed_from_u64(2027);
    let (mut refused, mut accepted) = (0, 0);
    let start = Instant::now();
    for k in 0..cases {
        let mut s: Vec<char> = original.chars().collect();
        for _ in 0..rng.random_range(1..4) {
            let at = rng.random_range(0..=s.len());
            if rng.random_range(0..3) == 0 && !s.is_empty() {
                let end = (at + rng.random_range(1..6)).min(s.len());
                s.drain(at.min(end)..end);
            } else {
                let p = CSV_PIECES[rng.random_range(0..CSV_PIECES.len())];
                s.splice(at..at, p.chars());
            }
        }
        let text: String = s.into_iter().collect();
        std::fs::write(&path, &text).expect("write the mutant");
        let got = std::panic::catch_unwind(|| nnbook::data::load_csv(&path, &Default::default()));
        match got {
            Err(_) => panic!("CSV case {k} panicked:\n{text}"),
            Ok(Ok(_)) => accepted += 1,
            Ok(Err(e)) => {
                refused += 1;
                let msg = e.to_string();
                assert!(
                    msg.starts_with(&path.display().to_string()),
                    "CSV case {k}: the message names no file: {msg}"
                );
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!(
        "{cases} mutated CSV files: {refused} refused naming the file, {accepted} accepted, in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    assert!(
        refused > 0 && accepted > 0,
        "{refused} refused, {accepted} accepted"
    );
}
