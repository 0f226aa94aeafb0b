//! A trained network as a file (`nnbook train --save-model`, read by `nnbook predict`), and
//! as a standalone PyTorch script (`--save-torch`). The JSON schema is documented in
//! `docs/model-format.md`: version, input features, layer sizes, one activation per hidden
//! layer, output function, loss, class names, and each layer's `weight` (PyTorch's
//! `nn.Linear` layout, out × in) and `bias`.

use super::{Activation, Architecture, Dense, Feature, Init, Loss, Mlp, Output, Penalty};
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

/// The `format` field every model file carries.
pub const FORMAT: &str = "nnbook-model";
/// The schema version this build writes and reads.
pub const VERSION: u32 = 1;

/// The names of the network's input features, in input order (`x1`, `x1^2`, `sin(x2)`…, as
/// a scenario writes them).
pub fn features(arch: &Architecture) -> Vec<String> {
    arch.features.iter().map(|f| f.name().to_string()).collect()
}

/// One activation per hidden layer, first to last.
pub fn activations(arch: &Architecture) -> Vec<Activation> {
    (0..arch.hidden.len()).map(|l| arch.activation(l)).collect()
}

/// Feature `name` of the point `p` (`None` for a name this build does not know).
pub fn feature(name: &str, p: [f64; 2]) -> Option<f64> {
    Feature::ALL
        .iter()
        .find(|f| f.name() == name)
        .map(|f| f.value(p[0], p[1]))
}

/// One layer: `y = x · weightᵀ + bias`, `weight` of shape (outputs, inputs).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerFile {
    pub weight: Vec<Vec<f32>>,
    pub bias: Vec<f32>,
}

/// A trained network, as `docs/model-format.md` describes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    pub format: String,
    pub version: u32,
    /// The inputs by name, in order (`x1`, `x2`).
    pub features: Vec<String>,
    /// The data's columns the features were read from, when a file named them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub columns: Option<Vec<String>>,
    /// Units per layer, inputs first, outputs last.
    pub sizes: Vec<usize>,
    /// One per hidden layer: sigmoid, tanh, relu, leaky_relu, linear.
    pub activations: Vec<String>,
    /// leaky_relu's negative slope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leaky_slope: Option<f64>,
    /// sigmoid, tanh, linear or softmax.
    pub output: String,
    /// bce, cce or mse (what it was trained with).
    pub loss: String,
    /// The classes' names, class 0 first (empty in a regression).
    pub classes: Vec<String>,
    /// The network was fitted to real values (`[data] task = "regression"`, `plane`,
    /// `multi_gauss`): its one output is the predicted value, and `classes` is empty.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub regression: bool,
    pub layers: Vec<LayerFile>,
}

fn by_name<T: Copy>(
    what: &str,
    value: &str,
    options: &[T],
    name: fn(T) -> &'static str,
) -> Result<T, String> {
    options
        .iter()
        .copied()
        .find(|&o| name(o) == value)
        .ok_or_else(|| {
            format!(
                "`{what}`: unknown value \"{value}\"; expected one of {}",
                options
                    .iter()
                    .map(|&o| format!("\"{}\"", name(o)))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
}

impl ModelFile {
    /// The file as text: one field a line, each layer on its own line, numbers in their
    /// shortest form (an f32 reads back to the same bits).
    pub fn to_text(&self) -> String {
        let v = match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(m)) => m,
            _ => return String::new(),
        };
        let mut lines = Vec::new();
        for (k, v) in &v {
            let key = serde_json::Value::from(k.as_str());
            match v {
                serde_json::Value::Array(_) if k == "layers" => {
                    // From the f32s themselves: their shortest form, not an f64's.
                    let inner: Vec<String> = self
                        .layers
                        .iter()
                        .map(|l| format!("    {}", serde_json::to_string(l).unwrap_or_default()))
                        .collect();
                    lines.push(format!("  {key}: [\n{}\n  ]", inner.join(",\n")));
                }
                v => lines.push(format!("  {key}: {v}")),
            }
        }
        format!("{{\n{}\n}}\n", lines.join(",\n"))
    }

    /// The file of a trained network; `classes` names its classes (numbers when empty).
    pub fn of(net: &Mlp<f32>, classes: &[String], columns: Option<&[String; 2]>) -> ModelFile {
        let arch = &net.arch;
        let n_classes = match arch.output {
            Output::Softmax => arch.outputs,
            _ => 2,
        };
        let acts = activations(arch);
        ModelFile {
            format: FORMAT.into(),
            version: VERSION,
            features: features(arch),
            columns: columns.map(|c| c.to_vec()),
            sizes: arch.sizes(),
            activations: acts.iter().map(|a| a.name().to_string()).collect(),
            leaky_slope: acts.iter().find_map(|a| match a {
                Activation::LeakyRelu(s) => Some(*s),
                _ => None,
            }),
            output: arch.output.name().into(),
            loss: arch.loss.name().into(),
            classes: (0..n_classes)
                .map(|c| classes.get(c).cloned().unwrap_or_else(|| c.to_string()))
                .collect(),
            regression: false,
            layers: net
                .layers
                .iter()
                .map(|l| LayerFile {
                    weight: l.w.t().rows().into_iter().map(|r| r.to_vec()).collect(),
                    bias: l.b.to_vec(),
                })
                .collect(),
        }
    }

    /// The file of a network fitted to real values: no classes, one value out.
    pub fn for_regression(mut self) -> ModelFile {
        self.regression = true;
        self.classes.clear();
        self
    }

    /// The network the file describes; every shape and name checked, the message naming
    /// the field.
    pub fn network(&self) -> Result<Mlp<f32>, String> {
        if self.format != FORMAT {
            return Err(format!("`format` is \"{}\", not \"{FORMAT}\"", self.format));
        }
        if self.version != VERSION {
            return Err(format!(
                "`version` {} is not the version {VERSION} this build reads",
                self.version
            ));
        }
        let n = self.sizes.len();
        if n < 2 || self.sizes.contains(&0) {
            return Err(
                "`sizes` needs the inputs, any hidden layers and the outputs, none 0".into(),
            );
        }
        if self.features.len() != self.sizes[0] {
            return Err(format!(
                "{} `features` for {} inputs",
                self.features.len(),
                self.sizes[0]
            ));
        }
        if let Some(f) = self
            .features
            .iter()
            .find(|f| feature(f, [0.0; 2]).is_none())
        {
            return Err(format!(
                "`features`: this build does not know the feature \"{f}\""
            ));
        }
        if self.activations.len() != n - 2 {
            return Err(format!(
                "{} `activations` for {} hidden layers",
                self.activations.len(),
                n - 2
            ));
        }
        let mut acts = Vec::new();
        for a in &self.activations {
            let mut act = by_name("activations", a, &Activation::ALL, Activation::name)?;
            if let (Activation::LeakyRelu(_), Some(s)) = (act, self.leaky_slope) {
                act = Activation::LeakyRelu(s);
            }
            acts.push(act);
        }
        let output = by_name("output", &self.output, &Output::ALL, Output::name)?;
        let loss = by_name("loss", &self.loss, &Loss::ALL, Loss::name)?;
        if self.layers.len() != n - 1 {
            return Err(format!(
                "{} `layers` for {} sizes (one layer between each two)",
                self.layers.len(),
                n
            ));
        }
        let mut layers = Vec::new();
        for (i, l) in self.layers.iter().enumerate() {
            let (inp, out) = (self.sizes[i], self.sizes[i + 1]);
            if l.weight.len() != out || l.weight.iter().any(|r| r.len() != inp) {
                return Err(format!(
                    "`layers.{i}.weight` must be {out} rows of {inp} (outputs × inputs)"
                ));
            }
            if l.bias.len() != out {
                return Err(format!("`layers.{i}.bias` must hold {out} numbers"));
            }
            if l.weight
                .iter()
                .flatten()
                .chain(&l.bias)
                .any(|v| !v.is_finite())
            {
                return Err(format!(
                    "`layers.{i}`: every weight and bias must be finite"
                ));
            }
            let w = Array2::from_shape_fn((inp, out), |(r, c)| l.weight[c][r]);
            layers.push(Dense {
                gw: Array2::zeros((inp, out)),
                gb: Array1::zeros(out),
                b: Array1::from(l.bias.clone()),
                w,
            });
        }
        let classes = match output {
            _ if self.regression => 0,
            Output::Softmax => self.sizes[n - 1],
            _ => 2,
        };
        if self.regression && (output == Output::Softmax || self.sizes[n - 1] != 1) {
            return Err(format!(
                "a regression's network has one output unit (not softmax), not {} \"{}\"",
                self.sizes[n - 1],
                output.name()
            ));
        }
        if !self.regression && self.classes.len() != classes {
            return Err(format!(
                "{} `classes` for {classes} classes",
                self.classes.len()
            ));
        }
        if output.units(classes) != self.sizes[n - 1] {
            return Err(format!(
                "output \"{}\" has {} units, not {}",
                output.name(),
                output.units(classes),
                self.sizes[n - 1]
            ));
        }
        let arch = Architecture {
            features: self
                .features
                .iter()
                .filter_map(|f| Feature::ALL.iter().copied().find(|g| g.name() == f))
                .collect(),
            hidden: self.sizes[1..n - 1].to_vec(),
            outputs: self.sizes[n - 1],
            activations: acts.clone(),
            output,
            loss,
            init: Init::Xavier,
            penalty: Penalty::None,
            penalty_rate: 0.0,
            penalized: Vec::new(),
            dropout: 0.0,
        };
        Ok(Mlp { arch, layers })
    }

    /// A standalone PyTorch script: the same network in `torch.nn`, these weights, and
    /// points read from stdin printed as `nnbook predict` prints them.
    pub fn torch_script(&self) -> String {
        let n = self.sizes.len();
        let mut modules = Vec::new();
        for i in 0..n - 1 {
            modules.push(format!(
                "    nn.Linear({}, {}),",
                self.sizes[i],
                self.sizes[i + 1]
            ));
            if i < n - 2 {
                let a = match self.activations[i].as_str() {
                    "sigmoid" => "nn.Sigmoid()".to_string(),
                    "tanh" => "nn.Tanh()".to_string(),
                    "relu" => "nn.ReLU()".to_string(),
                    "leaky_relu" => {
                        format!("nn.LeakyReLU({})", self.leaky_slope.unwrap_or(0.01))
                    }
                    _ => "nn.Identity()".to_string(),
                };
                modules.push(format!("    {a},"));
            }
        }
        let head = match self.output.as_str() {
            "sigmoid" => "nn.Sigmoid()",
            "tanh" => "nn.Tanh()",
            "softmax" => "nn.Softmax(dim=1)",
            _ => "nn.Identity()",
        };
        modules.push(format!("    {head},"));
        let weights: Vec<String> = self
            .layers
            .iter()
            .map(|l| {
                format!(
                    "    ({}, {}),",
                    serde_json::to_string(&l.weight).unwrap_or_default(),
                    serde_json::to_string(&l.bias).unwrap_or_default()
                )
            })
            .collect();
        // One output unit gives P(class 1) (tanh and linear mapped into [0, 1] as the app
        // does); softmax gives every class's probability.
        let probs = match self.output.as_str() {
            "softmax" => "out",
            "tanh" => "torch.cat([1 - (out + 1) / 2, (out + 1) / 2], dim=1)",
            "linear" => "torch.cat([1 - out.clamp(0, 1), out.clamp(0, 1)], dim=1)",
            _ => "torch.cat([1 - out, out], dim=1)",
        };
        format!(
            r##"#!/usr/bin/env python3
"""The network nnbook trained, rebuilt with torch.nn (written by `nnbook train --save-torch`).

    python3 model.py < points.csv

reads points (`x1,x2` rows, a header optional) from stdin and prints, like `nnbook predict`,
each point with every class's probability and the most probable class.
"""
import csv
import math
import struct
import sys
from decimal import Decimal

import torch
from torch import nn

CLASSES = {classes}
# Fitted to real values: one value a point, no classes.
REGRESSION = {regression}
FEATURES = {features}
# Each input feature from the raw point (a, b) = (x1, x2), as nnbook computes it.
FUNCTIONS = {{
    "x1": lambda a, b: a,
    "x2": lambda a, b: b,
    "x1^2": lambda a, b: a * a,
    "x2^2": lambda a, b: b * b,
    "x1*x2": lambda a, b: a * b,
    "sin(x1)": lambda a, b: math.sin(a),
    "sin(x2)": lambda a, b: math.sin(b),
}}

model = nn.Sequential(
{modules}
)

# (weight, bias) per nn.Linear: weight is outputs x inputs, as torch.nn.Linear keeps it.
WEIGHTS = [
{weights}
]
with torch.no_grad():
    linears = [m for m in model if isinstance(m, nn.Linear)]
    for layer, (w, b) in zip(linears, WEIGHTS):
        layer.weight.copy_(torch.tensor(w, dtype=torch.float32))
        layer.bias.copy_(torch.tensor(b, dtype=torch.float32))
model.eval()


def shortest(v):
    """The shortest decimal that reads back to the same float32, without an exponent (as
    nnbook prints it)."""
    for digits in range(1, 10):
        s = "%.*g" % (digits, v)
        if struct.unpack("f", struct.pack("f", float(s)))[0] == v:
            break
    return format(Decimal(s), "f")


def main():
    rows = [r for r in csv.reader(sys.stdin) if r and not r[0].lstrip().startswith("#")]
    if rows and not _is_number(rows[0][0]):
        rows = rows[1:]
    texts = [[r[0].strip(), r[1].strip()] for r in rows]
    if REGRESSION:
        print("x1,x2,value")
    else:
        print(",".join(["x1", "x2"] + ["p_" + c for c in CLASSES] + ["class"]))
    if not texts:
        return
    points = [[float(a), float(b)] for a, b in texts]
    inputs = [[FUNCTIONS[f](a, b) for f in FEATURES] for a, b in points]
    with torch.no_grad():
        out = model(torch.tensor(inputs, dtype=torch.float32))
        if REGRESSION:
            for p, row in zip(texts, out.tolist()):
                print(",".join(p + [shortest(row[0])]))
            return
        probs = {probs}
    for p, row in zip(texts, probs.tolist()):
        best = max(range(len(row)), key=lambda k: row[k])
        print(",".join(p + [shortest(v) for v in row] + [CLASSES[best]]))


def _is_number(s):
    try:
        float(s)
        return True
    except ValueError:
        return False


if __name__ == "__main__":
    main()
"##,
            classes = serde_json::to_string(&self.classes).unwrap_or_default(),
            regression = if self.regression { "True" } else { "False" },
            features = serde_json::to_string(&self.features).unwrap_or_default(),
            modules = modules.join("\n"),
            weights = weights.join("\n"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SeedRng;
    use rand::SeedableRng;

    fn net(output: Output, outputs: usize) -> Mlp<f32> {
        let arch = Architecture {
            features: Feature::plain(),
            hidden: vec![3, 4],
            outputs,
            activations: vec![Activation::LeakyRelu(0.2); 2],
            output,
            loss: if output == Output::Softmax {
                Loss::Cce
            } else {
                Loss::Bce
            },
            init: Init::Xavier,
            penalty: Penalty::None,
            penalty_rate: 0.0,
            penalized: Vec::new(),
            dropout: 0.0,
        };
        Mlp::new(arch, &mut SeedRng::seed_from_u64(5))
    }

    #[test]
    fn a_network_survives_the_file_bit_for_bit() {
        for (output, k) in [(Output::Sigmoid, 1), (Output::Softmax, 3)] {
            let n = net(output, k);
            let f = ModelFile::of(&n, &[], None);
            assert_eq!(f.features, ["x1", "x2"]);
            assert_eq!(f.activations, ["leaky_relu", "leaky_relu"]);
            assert_eq!(f.layers[0].weight.len(), 3, "outputs × inputs");
            let text = f.to_text();
            let back: ModelFile = serde_json::from_str(&text).unwrap();
            assert_eq!(back, f);
            let m = back.network().unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(m.arch.activations, vec![Activation::LeakyRelu(0.2); 2]);
            for (a, b) in n.layers.iter().zip(&m.layers) {
                assert_eq!(a.w, b.w);
                assert_eq!(a.b, b.b);
            }
        }
    }

    #[test]
    fn features_and_mixed_activations_survive_the_file() {
        let mut n = net(Output::Sigmoid, 1);
        n.arch.activations = vec![Activation::Tanh, Activation::Relu];
        let f = ModelFile::of(&n, &[], None);
        assert_eq!(f.activations, ["tanh", "relu"]);
        let back = f.network().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.arch.activations, n.arch.activations);
        assert_eq!(feature("x1*x2", [2.0, -3.0]), Some(-6.0));
        assert_eq!(feature("sin(x2)", [0.0, 1.0]), Some(1f64.sin()));
        assert_eq!(feature("x3", [0.0, 0.0]), None);
    }

    #[test]
    fn a_broken_file_is_refused_naming_the_field() {
        let f = ModelFile::of(&net(Output::Sigmoid, 1), &[], None);
        let mut g = f.clone();
        g.layers[1].weight.pop();
        assert_eq!(
            g.network().unwrap_err(),
            "`layers.1.weight` must be 4 rows of 3 (outputs × inputs)"
        );
        let mut g = f.clone();
        g.features[1] = "sin_x9".into();
        assert!(g.network().unwrap_err().contains("\"sin_x9\""));
        let mut g = f;
        g.output = "softplus".into();
        assert!(
            g.network()
                .unwrap_err()
                .starts_with("`output`: unknown value")
        );
    }

    #[test]
    fn the_torch_script_names_the_layers_and_weights() {
        let f = ModelFile::of(
            &net(Output::Softmax, 3),
            &["a".into(), "b".into(), "c".into()],
            None,
        );
        let s = f.torch_script();
        for want in [
            "nn.Linear(2, 3),",
            "nn.LeakyReLU(0.2),",
            "nn.Linear(4, 3),",
            "nn.Softmax(dim=1),",
            "CLASSES = [\"a\",\"b\",\"c\"]",
        ] {
            assert!(s.contains(want), "{want} missing:\n{s}");
        }
        let w = serde_json::to_string(&f.layers[2].weight).unwrap();
        assert!(s.contains(&w));
    }
}
