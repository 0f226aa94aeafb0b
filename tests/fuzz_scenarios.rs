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
