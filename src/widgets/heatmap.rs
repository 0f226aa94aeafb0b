//! The decision boundary as a Braille-cell heatmap. Each cell's background carries the
//! shaded probability of its most likely class; near the boundary the network is evaluated
//! at the 2×4 dots of a Braille glyph and the dots of the other class are lit, so the
//! boundary is drawn at sub-cell resolution; data points are lit dots in their class colour.

use super::braille::{DOT, Frame2d, braille};
use super::palette::{LEVELS, Palette};
use crate::data::Split;
use crate::nn::Workspace;
use crate::train::Net;
use ndarray::Array2;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

/// Which layers are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layers {
    pub field: bool,
    pub boundary: bool,
    pub train: bool,
    pub test: bool,
    /// Misclassified points marked (in the warning colour).
    pub errors: bool,
}

impl Default for Layers {
    fn default() -> Self {
        Layers {
            field: true,
            boundary: true,
            train: true,
            test: true,
            errors: false,
        }
    }
}

/// Ordered-dither thresholds for the 8 dots (mono mode: dot density shows probability).
const DITHER: [[f32; 4]; 2] = [
    [0.0625, 0.5625, 0.3125, 0.8125],
    [0.6875, 0.1875, 0.9375, 0.4375],
];

/// The data points falling in one cell.
#[derive(Clone, Copy, Default)]
struct PointCell {
    /// Their dots.
    dots: u8,
    /// Which of those dots are class 0.
    zeros: u8,
    /// The point drawn on top: class, and whether it is a test point.
    top: Option<(usize, bool)>,
    /// A regression's point on top: its target's side of the scale's middle, and whether
    /// it is far from the middle (more than half way to an end).
    value: Option<(usize, bool)>,
    /// The dots of misclassified points (marked when `Layers::errors` is on).
    wrong: u8,
}

/// The class, confidence level and P(class 1) of each probability row.
fn classify(probs: &Array2<f32>) -> Vec<(usize, usize, f32)> {
    let k = probs.ncols();
    probs
        .rows()
        .into_iter()
        .map(|r| {
            if k == 1 {
                let p = r[0];
                let p = if p.is_finite() { p } else { 0.5 };
                let conf = ((p - 0.5).abs() * 2.0 * LEVELS as f32).round() as usize;
                (usize::from(p > 0.5), conf, p)
            } else {
                let (c, pm) = r
                    .iter()
                    .enumerate()
                    .fold(
                        (0, f32::MIN),
                        |(bi, bv), (i, &v)| {
                            if v > bv { (i, v) } else { (bi, bv) }
                        },
                    );
                let base = 1.0 / k as f32;
                let conf =
                    (((pm - base) / (1.0 - base)).clamp(0.0, 1.0) * LEVELS as f32).round() as usize;
                (c, conf, c as f32 / (k - 1) as f32)
            }
        })
        .collect()
}

fn predict(net: &Net, points: &[[f64; 2]], ws: &mut Workspace<f32>) -> Vec<(usize, usize, f32)> {
    if points.is_empty() {
        return Vec::new();
    }
    classify(net.predict_points(points, ws))
}

/// A regression's predicted values at `points`, as the probability-like value the field
/// draws: `scale` (the data's [`Split::value_scale`]) mapped to [0, 1], its middle neutral.
fn regression_values(
    net: &Net,
    points: &[[f64; 2]],
    ws: &mut Workspace<f32>,
    scale: [f64; 2],
) -> Vec<(usize, usize, f32)> {
    let vals = net.values_of_points(points, ws);
    let p = Array2::from_shape_fn((vals.len(), 1), |(i, _)| value_fraction(vals[i], scale));
    classify(&p)
}

/// `v` on `scale` as a fraction in [0, 1] (NaN at the middle).
fn value_fraction(v: f64, [lo, hi]: [f64; 2]) -> f32 {
    let f = ((v - lo) / (hi - lo)).clamp(0.0, 1.0) as f32;
    if f.is_finite() { f } else { 0.5 }
}

/// What the field shows: the network's output, or one neuron's activation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FieldOf {
    #[default]
    Output,
    /// Hidden neuron `index` of layer `layer` (or of the output layer, one unit of it).
    Neuron { layer: usize, index: usize },
}

/// One neuron's activation at `points`, as the probability-like value the field draws: its
/// normalized value in [-1, 1] mapped to [0, 1], so the field's ramp shows its sign and size
/// and the boundary drawn is where the neuron crosses its midpoint. `scale` is fixed by the
/// first call (the cell centres) so the finer samples share it.
fn neuron_values(
    net: &Net,
    (layer, index): (usize, usize),
    points: &[[f64; 2]],
    ws: &mut Workspace<f32>,
    scale: &mut Option<(f32, f32)>,
) -> Vec<(usize, usize, f32)> {
    if points.is_empty() {
        return Vec::new();
    }
    let probs = net.predict_points(points, ws).clone();
    let (vals, act): (Vec<f32>, _) = if layer < net.arch.hidden.len() {
        let Some(a) = ws.layer(layer) else {
            return Vec::new();
        };
        (
            a.column(index.min(a.ncols().saturating_sub(1))).to_vec(),
            Some(net.arch.activation(layer)),
        )
    } else {
        (
            probs
                .column(index.min(probs.ncols().saturating_sub(1)))
                .to_vec(),
            None,
        )
    };
    let (c, sc) = *scale.get_or_insert_with(|| super::network::normalizer(act, &vals));
    let p = Array2::from_shape_fn((vals.len(), 1), |(i, _)| {
        (((vals[i] - c) / sc).clamp(-1.0, 1.0) + 1.0) * 0.5
    });
    classify(&p)
}

/// Draws the heatmap of `net` over `frame` into `area` (which must be `frame.w`×`frame.h`).
pub fn draw_field(
    buf: &mut Buffer,
    area: Rect,
    frame: &Frame2d,
    net: &Net,
    data: &Split,
    layers: Layers,
    pal: &Palette,
) {
    draw_field_of(buf, area, frame, net, data, layers, pal, FieldOf::Output);
}

/// [`draw_field`] of the output or of one neuron.
#[allow(clippy::too_many_arguments)]
pub fn draw_field_of(
    buf: &mut Buffer,
    area: Rect,
    frame: &Frame2d,
    net: &Net,
    data: &Split,
    layers: Layers,
    pal: &Palette,
    of: FieldOf,
) {
    let mut scale = None;
    let regression = data.is_regression().then(|| data.value_scale());
    let mut predict = |net: &Net, points: &[[f64; 2]], ws: &mut Workspace<f32>| match of {
        FieldOf::Output => match regression {
            Some(r) => regression_values(net, points, ws, r),
            None => predict(net, points, ws),
        },
        FieldOf::Neuron { layer, index } => {
            neuron_values(net, (layer, index), points, ws, &mut scale)
        }
    };
    let (w, h) = (frame.w, frame.h);
    if w == 0 || h == 0 {
        return;
    }
    let mut ws = Workspace::default();
    let centres: Vec<[f64; 2]> = (0..h)
        .flat_map(|j| (0..w).map(move |i| (i, j)))
        .map(|(i, j)| frame.cell_point(i, j))
        .collect();
    let cells = predict(net, &centres, &mut ws);
    let at = |i: usize, j: usize| cells[j * w + i];

    // Cells the boundary may cross: a neighbour of another class, or undecided.
    let mono = !pal.colored();
    let mut refine = Vec::new();
    for j in 0..h {
        for i in 0..w {
            let (c, conf, _) = at(i, j);
            let edge = conf <= 1
                || (i > 0 && at(i - 1, j).0 != c)
                || (i + 1 < w && at(i + 1, j).0 != c)
                || (j > 0 && at(i, j - 1).0 != c)
                || (j + 1 < h && at(i, j + 1).0 != c);
            if edge && (layers.boundary || (mono && layers.field)) {
                refine.push(j * w + i);
            }
        }
    }
    let subs: Vec<[f64; 2]> = refine
        .iter()
        .flat_map(|&k| {
            let (i, j) = (k % w, k / w);
            (0..8).map(move |d| frame.sub_point(2 * i + d % 2, 4 * j + d / 2))
        })
        .collect();
    let sub_cls = predict(net, &subs, &mut ws);

    // Data points, per cell: their dots, which of those are class 0, and the colour of the
    // point drawn there (train points are drawn last, so they win a shared cell).
    let mut point_dots = vec![PointCell::default(); w * h];
    for (show, set, test) in [
        (layers.test, &data.test, true),
        (layers.train, &data.train, false),
    ] {
        if !show {
            continue;
        }
        // The network's class of each point, when misclassified points are marked.
        let predicted: Vec<usize> = if layers.errors && regression.is_none() {
            net.classes_of_points(&set.x, &mut ws)
        } else {
            Vec::new()
        };
        for (k, (p, &y)) in set.x.iter().zip(&set.y).enumerate() {
            if let Some((sx, sy)) = frame.to_sub(*p) {
                let cell = &mut point_dots[(sy / 4) * w + sx / 2];
                let dot = DOT[sx % 2][sy % 4];
                cell.dots |= dot;
                if y == 0 {
                    cell.zeros |= dot;
                } else {
                    cell.zeros &= !dot;
                }
                cell.top = Some((y, test));
                cell.value = regression.and_then(|r| {
                    let f = value_fraction(*set.t.get(k)?, r);
                    Some((usize::from(f > 0.5), (f - 0.5).abs() > 0.25))
                });
                if predicted.get(k).is_some_and(|&c| c != y) {
                    cell.wrong |= dot;
                } else {
                    cell.wrong &= !dot;
                }
            }
        }
    }

    for j in 0..h {
        for i in 0..w {
            let (c, conf, p) = at(i, j);
            let Some(cell) = buf.cell_mut((area.x + i as u16, area.y + j as u16)) else {
                continue;
            };
            let mut style = Style::default();
            if layers.field
                && let Some(bg) = pal.shade(c, conf)
            {
                style = style.bg(bg);
            }
            let mut bits = 0u8;
            if mono && layers.field {
                for (d, thresholds) in DITHER.iter().enumerate() {
                    for (r, &t) in thresholds.iter().enumerate() {
                        if p > t {
                            bits |= DOT[d][r];
                        }
                    }
                }
            }
            if let Ok(k) = refine.binary_search(&(j * w + i)) {
                let sub = &sub_cls[k * 8..k * 8 + 8];
                if mono && layers.field {
                    bits = 0;
                    for (d, s) in sub.iter().enumerate() {
                        if s.2 > DITHER[d % 2][d / 2] {
                            bits |= DOT[d % 2][d / 2];
                        }
                    }
                } else if layers.boundary {
                    // Light the dots that belong to another class than the cell's, in that
                    // class's colour: the boundary at 2×4 resolution.
                    if let Some(other) = sub.iter().map(|s| s.0).find(|&s| s != c) {
                        bits = 0;
                        for (d, s) in sub.iter().enumerate() {
                            if s.0 == other {
                                bits |= DOT[d % 2][d / 2];
                            }
                        }
                        style = style.fg(pal.class(other));
                    }
                }
            }
            let PointCell {
                dots: pbits,
                zeros,
                top: pcls,
                wrong,
                value,
            } = point_dots[j * w + i];
            if mono {
                // No colour to tell classes by: a point sets its dot to its class's value
                // in the dot-density field (lit for class 1, dark for class 0), so points
                // the model gets wrong show as specks and holes.
                bits = (bits | (pbits & !zeros)) & !zeros;
                if wrong != 0 {
                    style = style.add_modifier(Modifier::REVERSED);
                }
            } else if let Some((y, test)) = pcls {
                bits = pbits;
                style = style.fg(match value {
                    // A regression's point by its target: the side's full colour far from the
                    // middle, its pale tint near it (bright on the dim field either way).
                    Some((side, true)) => pal.class(side),
                    Some((side, false)) => pal.test_point(side),
                    None if test => pal.test_point(y),
                    None => pal.class(y),
                });
                if !test {
                    style = style.add_modifier(Modifier::BOLD);
                }
                if wrong != 0 {
                    // Misclassified points: only their dots, in the warning colour.
                    bits = wrong;
                    style = style.fg(pal.warn()).add_modifier(Modifier::BOLD);
                }
            }
            if bits == 0 {
                cell.set_symbol(" ");
            } else {
                cell.set_char(braille(bits));
            }
            cell.set_style(style);
        }
    }
}
