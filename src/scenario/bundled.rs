//! The scenarios shipped in `scenarios/`, compiled in, and loading one by its name.

use super::{Scenario, ScenarioError, parse};

/// The scenarios shipped in `scenarios/`, in reading order (the files' number prefixes),
/// compiled in so `nnbook list`, `nnbook run NAME` and `nnbook lecture` work from anywhere.
/// A bundled name is the file name without its number.
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "gradient-descent",
        include_str!("../../scenarios/01-gradient-descent.toml"),
    ),
    ("circles", include_str!("../../scenarios/02-circles.toml")),
    ("numpy", include_str!("../../scenarios/03-numpy.toml")),
    (
        "overfitting",
        include_str!("../../scenarios/04-overfitting.toml"),
    ),
    (
        "early-stopping",
        include_str!("../../scenarios/05-early-stopping.toml"),
    ),
    (
        "regularization-sweep",
        include_str!("../../scenarios/06-regularization-sweep.toml"),
    ),
    (
        "critical-monkey-saddle",
        include_str!("../../scenarios/07-critical-monkey-saddle.toml"),
    ),
    (
        "critical-peaks",
        include_str!("../../scenarios/08-critical-peaks.toml"),
    ),
    (
        "moving-averages",
        include_str!("../../scenarios/09-moving-averages.toml"),
    ),
    (
        "race-saddle",
        include_str!("../../scenarios/10-race-saddle.toml"),
    ),
    (
        "lr-pair-peaks",
        include_str!("../../scenarios/11-lr-pair-peaks.toml"),
    ),
    (
        "race-rosenbrock",
        include_str!("../../scenarios/12-race-rosenbrock.toml"),
    ),
    (
        "race-beale",
        include_str!("../../scenarios/13-race-beale.toml"),
    ),
    (
        "race-himmelblau",
        include_str!("../../scenarios/14-race-himmelblau.toml"),
    ),
    (
        "playground",
        include_str!("../../scenarios/15-playground.toml"),
    ),
    (
        "playground-xor",
        include_str!("../../scenarios/16-playground-xor.toml"),
    ),
    (
        "playground-gauss",
        include_str!("../../scenarios/17-playground-gauss.toml"),
    ),
    (
        "playground-spiral",
        include_str!("../../scenarios/18-playground-spiral.toml"),
    ),
    (
        "playground-features",
        include_str!("../../scenarios/19-playground-features.toml"),
    ),
    (
        "playground-spiral-sin",
        include_str!("../../scenarios/20-playground-spiral-sin.toml"),
    ),
    (
        "playground-plane",
        include_str!("../../scenarios/21-playground-plane.toml"),
    ),
    (
        "playground-multi-gauss",
        include_str!("../../scenarios/22-playground-multi-gauss.toml"),
    ),
    ("iris", include_str!("../../scenarios/23-iris.toml")),
    (
        "optimizers-network",
        include_str!("../../scenarios/24-optimizers-network.toml"),
    ),
    ("lorenz", include_str!("../../scenarios/25-lorenz.toml")),
];

/// The data files bundled chapters read, compiled in: (the path the chapter names, relative
/// to `scenarios/`, and the text).
pub const DATA: &[(&str, &str)] = &[(
    "data/iris.csv",
    include_str!("../../scenarios/data/iris.csv"),
)];

/// A bundled chapter's CSV is read from the copy compiled in, wherever the app runs.
pub(super) fn embed(sc: &mut Scenario) {
    let embed_one = |c: &mut super::Classifier| {
        if let Some(p) = &c.data.path
            && let Some((_, text)) = DATA.iter().find(|(n, _)| std::path::Path::new(n) == p)
        {
            c.data.embedded = Some(text);
        }
    };
    match &mut sc.body {
        super::Body::Classifier(c) => embed_one(c),
        super::Body::Compare(runs) => runs.iter_mut().for_each(|(_, c)| embed_one(c)),
        super::Body::Race(_) | super::Body::Lorenz(_) | super::Body::Averages(_) => {}
    }
}

/// The scenario `nnbook` opens with no arguments.
pub const DEFAULT: &str = "playground";

/// The bundled scenario called `name`; the error lists the names there are.
pub(super) fn load(name: &str) -> Result<Scenario, ScenarioError> {
    match BUNDLED.iter().find(|(n, _)| *n == name) {
        Some((n, text)) => parse(text, &format!("<bundled:{n}>"), None),
        None => Err(ScenarioError {
            file: name.to_string(),
            at: None,
            key: None,
            message: format!(
                "no such file, and no bundled scenario of that name (bundled: {})",
                BUNDLED
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_scenario_loads() {
        for (name, _) in BUNDLED {
            super::super::load(name).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}
