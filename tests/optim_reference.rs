//! Optimizer paths against `torch.optim` (float64) on Rosenbrock from (−2, 2): every point of
//! 100 steps, for every case in `tests/data/optimizer-paths.json` (a copy of
//! `shared/reference/optimizer-paths.json`, made by PyTorch 2.15).

use nnbook::optim::{Optimizer, OptimizerConfig, OptimizerKind};
use nnbook::scenario::{self, Body};
use nnbook::surface::{Surface, SurfaceKind, SurfaceParams};
use nnbook::train::RaceRun;
use serde_json::Value;

fn cases() -> Vec<Value> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/optimizer-paths.json"
    ))
    .expect("reference file is in the repository");
    let v: Value = serde_json::from_str(&text).expect("reference file is JSON");
    v["cases"].as_array().expect("cases").clone()
}

/// PyTorch's constructor arguments as our config: the kind's PyTorch defaults, overridden
/// by each named option.
fn config(case: &Value) -> OptimizerConfig {
    let kind = match case["optimizer"].as_str().expect("optimizer") {
        "sgd" => OptimizerKind::Sgd,
        "adagrad" => OptimizerKind::Adagrad,
        "rmsprop" => OptimizerKind::Rmsprop,
        "adam" => OptimizerKind::Adam,
        "adamw" => OptimizerKind::Adamw,
        "adamax" => OptimizerKind::Adamax,
        other => panic!("unknown optimizer {other}"),
    };
    let mut c = kind.defaults();
    for (k, v) in case["params"].as_object().expect("params") {
        match k.as_str() {
            "lr" => c.lr = v.as_f64().expect("lr"),
            "momentum" => c.momentum = v.as_f64().expect("momentum"),
            "nesterov" => c.nesterov = v.as_bool().expect("nesterov"),
            "weight_decay" => c.weight_decay = v.as_f64().expect("wd"),
            other => panic!("option {other} not mapped in this test"),
        }
    }
    c
}

#[test]
fn every_reference_path_is_followed_to_1e9() {
    let cases = cases();
    assert!(cases.len() >= 8);
    let surface = Surface::new(SurfaceParams {
        kind: SurfaceKind::Rosenbrock,
        ..SurfaceParams::default()
    });
    for case in &cases {
        assert_eq!(case["surface"], "rosenbrock");
        let path = case["path"].as_array().expect("path");
        let start = [
            path[0][0].as_f64().expect("x"),
            path[0][1].as_f64().expect("y"),
        ];
        let mut opt = Optimizer::<f64>::new(config(case));
        let mut p = start;
        let mut worst: f64 = 0.0;
        for (k, want) in path.iter().enumerate().skip(1) {
            let g = surface.grad(p);
            opt.step(&mut [(&mut p[..], &g[..])]);
            for d in 0..2 {
                let w = want[d].as_f64().expect("coordinate");
                let err = (p[d] - w).abs() / w.abs().max(1.0);
                worst = worst.max(err);
                assert!(
                    err <= 1e-9,
                    "{} {}: step {k} coordinate {d}: ours {} torch {w}",
                    case["optimizer"],
                    case["params"],
                    p[d]
                );
            }
        }
        eprintln!(
            "{} {}: worst relative error {worst:e}",
            case["optimizer"], case["params"]
        );
    }
}

/// The same paths through the scenario loader and the race runner, as `nnbook trace` sees
/// them: option names written as in PyTorch.
#[test]
fn racers_written_with_pytorch_names_follow_torch() {
    for case in cases() {
        let mut toml =
            String::from("[surface]\nkind = \"rosenbrock\"\nstart = [-2.0, 2.0]\n[[racers]]\n");
        toml += &format!("kind = \"{}\"\n", case["optimizer"].as_str().expect("kind"));
        for (k, v) in case["params"].as_object().expect("params") {
            toml += &format!("{k} = {v}\n");
        }
        let sc = scenario::parse(&toml, "case.toml", None).unwrap_or_else(|e| panic!("{e}"));
        let Body::Race(race) = sc.body else {
            panic!("not a race")
        };
        let mut run = RaceRun::new(race);
        let path = case["path"].as_array().expect("path");
        for _ in 1..path.len() {
            run.step();
        }
        let last = path.last().expect("path is not empty");
        let p = run.runners[0].point;
        for d in 0..2 {
            let w = last[d].as_f64().expect("coordinate");
            assert!(
                (p[d] - w).abs() <= 1e-9 * w.abs().max(1.0),
                "{toml}: {p:?} vs {last}"
            );
        }
    }
}
