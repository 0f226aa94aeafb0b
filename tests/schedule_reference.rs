//! Learning-rate schedules against `torch.optim.lr_scheduler`: the first 50 rates of every
//! case in `tests/data/lr-schedules.json` (written by PyTorch 2.15 with
//! `tests/data/lr_schedules.py`; this test needs no PyTorch), and against PyTorch's
//! documented closed-form formulas, written out here independently.

use nnbook::optim::Optimizer;
use nnbook::scenario::{self, Body};
use nnbook::train::{ClassifierRun, RaceRun};
use serde_json::Value;
use std::f64::consts::PI;

fn cases() -> Vec<Value> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/lr-schedules.json"
    ))
    .expect("reference file is in the repository");
    let v: Value = serde_json::from_str(&text).expect("reference file is JSON");
    v["cases"].as_array().expect("cases").clone()
}

/// The case's schedule as a scenario's inline table.
fn table(case: &Value) -> String {
    let params: Vec<String> = case["params"]
        .as_object()
        .expect("params")
        .iter()
        .map(|(k, v)| format!("{k} = {v}"))
        .collect();
    format!("{{ kind = {}, {} }}", case["kind"], params.join(", "))
}

fn optimizer_table(case: &Value) -> String {
    let lr = match case["lr"].as_f64() {
        Some(lr) => format!("lr = {lr}\n"),
        None => String::new(),
    };
    format!("kind = \"sgd\"\n{lr}schedule = {}\n", table(case))
}

fn torch_rates(case: &Value) -> Vec<f64> {
    case["rates"]
        .as_array()
        .expect("rates")
        .iter()
        .map(|v| v.as_f64().expect("a rate"))
        .collect()
}

/// PyTorch's documentation, formula by formula (the closed forms).
fn documented(case: &Value, k: usize) -> f64 {
    let p = &case["params"];
    let f = |n: &str| p[n].as_f64().expect(n);
    let k = k as f64;
    let lr = case["lr"].as_f64().unwrap_or(0.0);
    match case["kind"].as_str().expect("kind") {
        // StepLR: lr · γ^⌊k / step_size⌋
        "step" => lr * f("gamma").powf((k / f("step_size")).floor()),
        // ExponentialLR: lr · γ^k
        "exponential" => lr * f("gamma").powf(k),
        // CosineAnnealingLR: η_min + (η_max − η_min)(1 + cos(k π / T_max)) / 2
        "cosine" => {
            let (t, eta) = (f("T_max"), f("eta_min"));
            eta + (lr - eta) * (1.0 + (k * PI / t).cos()) / 2.0
        }
        // CyclicLR, triangular: a triangle wave from base_lr up to max_lr in step_size_up
        // steps and back down in step_size_down (default: step_size_up).
        "cyclic" => {
            let (lo, hi, up) = (f("base_lr"), f("max_lr"), f("step_size_up"));
            let down = p["step_size_down"].as_f64().unwrap_or(up);
            let pos = k % (up + down);
            let frac = if pos <= up {
                pos / up
            } else {
                1.0 - (pos - up) / down
            };
            lo + (hi - lo) * frac
        }
        other => panic!("unknown kind {other}"),
    }
}

fn parsed_optimizer(case: &Value) -> nnbook::optim::OptimizerConfig {
    let text = format!(
        "[data]\nkind = \"xor\"\nsamples = 40\n[optimizer]\n{}",
        optimizer_table(case)
    );
    let sc = scenario::parse(&text, "s.toml", None).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let Body::Classifier(c) = sc.body else {
        panic!("a classifier")
    };
    c.optimizer
}

#[test]
fn the_first_50_rates_equal_pytorchs_get_last_lr() {
    let mut worst: f64 = 0.0;
    for case in cases() {
        let mut opt = Optimizer::<f64>::new(parsed_optimizer(&case));
        let torch = torch_rates(&case);
        assert_eq!(torch.len(), 50);
        for (k, &want) in torch.iter().enumerate() {
            if k > 0 {
                opt.schedule_step();
            }
            let got = opt.lr();
            let rel = (got - want).abs() / want.abs().max(1e-300);
            worst = worst.max(rel);
            assert!(
                rel == 0.0, // bit for bit
                "{}: after {k} steps {got} vs PyTorch's {want}",
                table(&case)
            );
        }
    }
    assert_eq!(worst, 0.0);
}

#[test]
fn the_first_50_rates_follow_the_documented_formulas() {
    for case in cases() {
        let mut opt = Optimizer::<f64>::new(parsed_optimizer(&case));
        for k in 0..50 {
            if k > 0 {
                opt.schedule_step();
            }
            let want = documented(&case, k);
            // The chained (recursive) forms PyTorch steps with drift from the closed forms
            // by rounding only.
            assert!(
                (opt.lr() - want).abs() <= 1e-12 * want.abs().max(1e-6),
                "{}: after {k} steps {} vs the formula's {want}",
                table(&case),
                opt.lr()
            );
        }
    }
}

#[test]
fn a_network_steps_its_schedule_once_an_epoch_and_a_racer_once_a_step() {
    let case = cases()
        .into_iter()
        .find(|c| c["kind"] == "cosine")
        .expect("a cosine case");
    let torch = torch_rates(&case);
    let text = format!(
        "[data]\nkind = \"xor\"\nsamples = 64\n[model]\nhidden = [4]\n[optimizer]\n{}[train]\nbatch_size = 8\n",
        optimizer_table(&case)
    );
    let sc = scenario::parse(&text, "s.toml", None).unwrap_or_else(|e| panic!("{e}"));
    let Body::Classifier(c) = sc.body else {
        panic!()
    };
    let mut run = ClassifierRun::new(c, 1).unwrap_or_else(|e| panic!("{e}"));
    assert!(run.batches_per_epoch() > 1);
    for (k, &want) in torch.iter().enumerate().take(13).skip(1) {
        run.step_epoch();
        assert_eq!(run.optimizer.lr(), want, "after epoch {k}");
    }

    let race = format!(
        "[surface]\nkind = \"rosenbrock\"\n[[racers]]\n{}",
        optimizer_table(&case).replace("\"sgd\"", "\"adam\"")
    );
    let sc = scenario::parse(&race, "r.toml", None).unwrap_or_else(|e| panic!("{e}"));
    let Body::Race(r) = sc.body else { panic!() };
    let mut race = RaceRun::new(r);
    for (k, &want) in torch.iter().enumerate().take(13).skip(1) {
        race.step();
        assert_eq!(race.runners[0].optimizer.lr(), want, "after step {k}");
    }
}

#[test]
fn a_live_rate_change_scales_the_schedule_where_it_stands() {
    let case = cases()
        .into_iter()
        .find(|c| c["kind"] == "step")
        .expect("a step case");
    let cfg = parsed_optimizer(&case);
    let torch = torch_rates(&case);
    let mut opt = Optimizer::<f64>::new(cfg.clone());
    for _ in 0..10 {
        opt.schedule_step();
    }
    assert_eq!(opt.lr(), torch[10]);
    // `]` doubles the base rate: every rate from here is doubled, the schedule kept.
    let mut doubled = cfg.clone();
    doubled.lr *= 2.0;
    opt.set_config(doubled);
    assert_eq!(opt.schedule_steps(), 10);
    for (k, &t) in torch.iter().enumerate().take(49).skip(10) {
        assert!((opt.lr() - 2.0 * t).abs() < 1e-15, "step {k}");
        opt.schedule_step();
    }
}

#[test]
fn schedule_errors_name_the_option_and_pytorchs_class() {
    let err = |schedule: &str| -> String {
        let text = format!("[optimizer]\nschedule = {schedule}\n");
        match scenario::parse(&text, "s.toml", None) {
            Ok(_) => panic!("accepted {schedule}"),
            Err(e) => e.to_string(),
        }
    };
    assert_eq!(
        err("{ kind = \"step\", T_max = 3 }"),
        "s.toml:2:37: `optimizer.schedule.T_max`: torch.optim.lr_scheduler.StepLR takes no `T_max` (it takes step_size, gamma)"
    );
    assert!(err("{ kind = \"cosine\" }").contains("needs `T_max`"));
    assert!(err("{ kind = \"linear\" }").contains(
        "unknown value \"linear\"; expected one of \"step\", \"exponential\", \"cosine\", \"cyclic\""
    ));
    assert!(
        err("{ kind = \"cyclic\", base_lr = 0.1, max_lr = 1, mode = \"exp_range\" }")
            .contains("only mode \"triangular\"")
    );
}
