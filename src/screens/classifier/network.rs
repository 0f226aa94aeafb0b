//! The network panel's state and keys: which node the cursor is on, which neuron the field
//! draws, the probe on the field, and where everything was drawn (for the mouse).

use super::keys::Action;
use crate::nn::Feature;
use crate::train::Net;
use crate::widgets::braille::Frame2d;
use crate::widgets::heatmap::FieldOf;
use crate::widgets::network::{Layout, Node};
use ratatui::layout::Rect;
use std::cell::RefCell;

/// Where the last frame put each panel, for the mouse and the cursor's moves.
#[derive(Clone, Debug, Default)]
pub struct Regions {
    /// The field's plot area and the plane it shows.
    pub field: Option<(Rect, Frame2d)>,
    pub network: Option<Rect>,
    pub layout: Layout,
    pub loss: Option<Rect>,
    pub accuracy: Option<Rect>,
    pub params: Option<Rect>,
}

#[derive(Debug, Default)]
pub struct NetPanel {
    /// The network panel shows (else the weights panel).
    pub show: bool,
    /// The node under the keyboard cursor.
    pub cursor: Option<Node>,
    /// The neuron the field draws instead of the output.
    pub selected: Option<Node>,
    /// The probe, in data coordinates.
    pub probe: Option<[f64; 2]>,
    /// What the last frame drew where.
    pub regions: RefCell<Regions>,
}

/// Whether every layer of `hidden` fits the panel at 120×40 without leaving neurons out: the
/// panel is the default where it does.
pub fn fits(hidden: &[usize]) -> bool {
    hidden.iter().all(|&w| w <= 8)
}

impl NetPanel {
    pub fn new(hidden: &[usize]) -> Self {
        NetPanel {
            show: fits(hidden),
            ..NetPanel::default()
        }
    }

    /// What the field draws.
    pub fn field_of(&self) -> FieldOf {
        match self.selected {
            Some(Node::Neuron { layer, index }) => FieldOf::Neuron { layer, index },
            _ => FieldOf::Output,
        }
    }

    /// A new network (a reset or rebuild): a selection it no longer has is dropped.
    pub fn rebuilt(&mut self, net: &Net) {
        let has = |n: Option<Node>| match n {
            Some(Node::Neuron { layer, index }) => {
                net.layers.get(layer).is_some_and(|l| index < l.w.ncols())
            }
            _ => true,
        };
        if !has(self.selected) {
            self.selected = None;
        }
        if !has(self.cursor) {
            self.cursor = None;
        }
    }

    /// Moves the cursor through the last drawn layout; `None` when the action is not a move.
    pub fn step(&mut self, action: Action) -> Option<()> {
        let regions = self.regions.borrow();
        let lay = &regions.layout;
        if lay.columns.is_empty() {
            return Some(());
        }
        let Some((c, r)) = self.cursor.and_then(|n| lay.position(n)) else {
            // The first move lands on the first hidden neuron (or the output).
            let c = 1.min(lay.columns.len() - 1);
            if let Some(p) = lay.columns[c].nodes.first() {
                let node = p.node;
                drop(regions);
                self.cursor = Some(node);
            }
            return Some(());
        };
        let (c, r) = match action {
            Action::NodeUp => (c, r.saturating_sub(1)),
            Action::NodeDown => (c, r + 1),
            Action::NodeLeft => (c.saturating_sub(1), r),
            Action::NodeRight => ((c + 1).min(lay.columns.len() - 1), r),
            _ => return None,
        };
        let col = &lay.columns[c];
        if let Some(p) = col.nodes.get(r.min(col.nodes.len().saturating_sub(1))) {
            let node = p.node;
            drop(regions);
            self.cursor = Some(node);
        }
        Some(())
    }

    /// Moves the probe a twentieth of the view (placing it at the centre first).
    pub fn move_probe(&mut self, action: Action) {
        let regions = self.regions.borrow();
        let Some((_, f)) = regions.field else {
            return;
        };
        let (dx, dy) = ((f.x[1] - f.x[0]) / 40.0, (f.y[1] - f.y[0]) / 20.0);
        let p = self
            .probe
            .unwrap_or([(f.x[0] + f.x[1]) / 2.0, (f.y[0] + f.y[1]) / 2.0]);
        let p = match action {
            Action::ProbeLeft => [p[0] - dx, p[1]],
            Action::ProbeRight => [p[0] + dx, p[1]],
            Action::ProbeUp => [p[0], p[1] + dy],
            Action::ProbeDown => [p[0], p[1] - dy],
            _ => p,
        };
        let clamp = |v: f64, r: [f64; 2]| v.clamp(r[0], r[1]);
        let p = if self.probe.is_none() {
            // The first press places it in the middle.
            [(f.x[0] + f.x[1]) / 2.0, (f.y[0] + f.y[1]) / 2.0]
        } else {
            [clamp(p[0], f.x), clamp(p[1], f.y)]
        };
        drop(regions);
        self.probe = Some(p);
    }

    /// The probe's place as a fraction of the view, for the thumbnails.
    pub fn probe_fraction(&self) -> Option<[f64; 2]> {
        let regions = self.regions.borrow();
        let (_, f) = regions.field?;
        let p = self.probe?;
        Some([
            (p[0] - f.x[0]) / (f.x[1] - f.x[0]),
            (f.y[1] - p[1]) / (f.y[1] - f.y[0]),
        ])
    }

    /// The data point under a cell of the field, if the cell is in it.
    pub fn field_point(&self, x: u16, y: u16) -> Option<[f64; 2]> {
        let regions = self.regions.borrow();
        let (r, f) = regions.field?;
        if x < r.x || y < r.y || x >= r.x + r.width || y >= r.y + r.height {
            return None;
        }
        Some(f.cell_point((x - r.x) as usize, (y - r.y) as usize))
    }
}

/// `features` with `f` turned on or off: `None` (and why) when it would leave no input.
pub fn toggled(features: &[Feature], f: Feature) -> Result<Vec<Feature>, &'static str> {
    let mut out: Vec<Feature> = features.to_vec();
    if let Some(i) = out.iter().position(|g| *g == f) {
        if out.len() == 1 {
            return Err("the network needs at least one input");
        }
        out.remove(i);
    } else {
        out.push(f);
        out.sort_by_key(|g| Feature::ALL.iter().position(|h| h == g));
    }
    Ok(out)
}

/// A neuron's name: `layer 1 neuron 2 · tanh`, `output 1`.
pub fn name(net: &Net, node: Node) -> String {
    match node {
        Node::Feature(f) => format!("input {}", f.label()),
        Node::Neuron { layer, index } if layer == net.arch.hidden.len() => {
            format!("output {}", index + 1)
        }
        Node::Neuron { layer, index } => format!(
            "layer {} neuron {} · {}",
            layer + 1,
            index + 1,
            net.arch.activation(layer).name()
        ),
    }
}

/// A neuron described for the read-out: its layer, function, bias and incoming weights.
pub fn describe(net: &Net, node: Node) -> String {
    match node {
        Node::Feature(f) => {
            if net.arch.features.contains(&f) {
                format!(
                    "input {} · in use · Enter leaves it out (resets the run)",
                    f.label()
                )
            } else {
                format!(
                    "input {} · not used · Enter adds it (resets the run)",
                    f.label()
                )
            }
        }
        Node::Neuron { layer, index } => {
            let Some(l) = net.layers.get(layer) else {
                return String::new();
            };
            let what = name(net, node);
            let names: Vec<String> = if layer == 0 {
                net.arch
                    .features
                    .iter()
                    .map(|f| f.label().to_string())
                    .collect()
            } else {
                (1..=l.w.nrows()).map(|i| format!("n{i}")).collect()
            };
            let mut ins: Vec<(f32, String)> =
                l.w.column(index)
                    .iter()
                    .zip(names)
                    .map(|(&w, n)| (w, n))
                    .collect();
            // The strongest first, when there are many.
            if ins.len() > 6 {
                ins.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()));
                ins.truncate(6);
            }
            let ins: Vec<String> = ins
                .iter()
                .map(|(w, n)| format!("{n} {}", signed(*w)))
                .collect();
            format!(
                "{what} · bias {} · in: {}",
                signed(l.b[index]),
                ins.join(" ")
            )
        }
    }
}

/// `+0.53`, `−1.20`.
pub fn signed(v: f32) -> String {
    if v < 0.0 {
        format!("−{:.2}", -v)
    } else {
        format!("+{v:.2}")
    }
}

/// `+.53`, `−1.2`: three characters and a sign, for many values on one line.
pub fn short(v: f32) -> String {
    let s = if v < 0.0 { "−" } else { "+" };
    let a = v.abs();
    if a >= 9.95 {
        format!("{s}{a:.0}")
    } else if a >= 0.995 {
        format!("{s}{a:.1}")
    } else {
        format!("{s}{}", format!("{a:.2}").trim_start_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feature_toggles_in_playground_order_and_the_last_stays() {
        let f = Feature::plain();
        assert_eq!(
            toggled(&f, Feature::X1Squared),
            Ok(vec![Feature::X1, Feature::X2, Feature::X1Squared])
        );
        assert_eq!(toggled(&f, Feature::X1), Ok(vec![Feature::X2]));
        assert!(toggled(&[Feature::X2], Feature::X2).is_err());
    }

    #[test]
    fn short_values_keep_their_sign_in_four_characters() {
        assert_eq!(short(0.531), "+.53");
        assert_eq!(short(-0.994), "−.99");
        assert_eq!(short(-0.999), "−1.0");
        assert_eq!(short(3.21), "+3.2");
        assert_eq!(short(-12.0), "−12");
        assert_eq!(short(0.0), "+.00");
    }

    #[test]
    fn the_panel_is_the_default_where_every_layer_fits() {
        assert!(NetPanel::new(&[4, 2]).show);
        assert!(NetPanel::new(&[]).show);
        assert!(!NetPanel::new(&[25, 50, 50, 25]).show);
    }
}
