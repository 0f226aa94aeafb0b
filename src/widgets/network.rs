//! The network drawn as TensorFlow Playground draws it: a column per layer — the input
//! features, each hidden layer, the output — every neuron a small heatmap of what it computes
//! over the data plane, edges coloured by the weight's sign (blue positive, orange negative)
//! and drawn bolder the larger the weight, each neuron's bias a small square at its left.
//! Where a layer has more neurons than rows, the strongest are shown and the column says so.
//!
//! [`layout`] places the neurons (the screen uses it for the mouse too); [`render`] draws.

use super::braille::{DOT, braille, line};
use super::chrome::panel;
use super::palette::Palette;
use crate::nn::{Activation, Feature, Workspace};
use crate::train::Net;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;

/// A node of the drawn network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Node {
    /// An input feature (drawn whether the network uses it or not: Enter toggles it).
    Feature(Feature),
    /// Neuron `index` of layer `layer`: hidden layers first, then the output layer
    /// (`layer` = number of hidden layers).
    Neuron { layer: usize, index: usize },
}

/// One drawn node: what it is and where its thumbnail is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placed {
    pub node: Node,
    pub rect: Rect,
}

/// One column: its heading, its nodes, and how many the layer has in all.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub heading: String,
    pub nodes: Vec<Placed>,
    pub total: usize,
}

/// Where everything goes in a panel's inner area.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    pub columns: Vec<Column>,
    /// The row the read-out line goes on.
    pub footer: Option<Rect>,
    /// Whether every neuron of every layer has a place (else the strongest are shown).
    pub complete: bool,
}

impl Layout {
    /// The node whose thumbnail (or the label or bias square beside it) covers a cell.
    pub fn hit(&self, x: u16, y: u16) -> Option<Node> {
        self.columns.iter().flat_map(|c| &c.nodes).find_map(|p| {
            let r = p.rect;
            let left = r.x.saturating_sub(if matches!(p.node, Node::Feature(_)) {
                LABEL_W + 1
            } else {
                1
            });
            (y >= r.y && y < r.y + r.height && x >= left && x < r.x + r.width).then_some(p.node)
        })
    }

    /// The column and row of a node, if it is drawn.
    pub fn position(&self, node: Node) -> Option<(usize, usize)> {
        self.columns.iter().enumerate().find_map(|(c, col)| {
            col.nodes
                .iter()
                .position(|p| p.node == node)
                .map(|r| (c, r))
        })
    }
}

/// Width of the features' labels, left of their thumbnails.
const LABEL_W: u16 = 6;
/// Thumbnails are this many cells wide (two half-block pixels a cell, vertically).
const THUMB_W: u16 = 6;

/// A neuron's strength: the summed magnitude of the weights leaving it (for the output
/// layer, its incoming weights), by which the strongest neurons of a wide layer are chosen.
fn strength(net: &Net, layer: usize, index: usize) -> f32 {
    match net.layers.get(layer + 1) {
        Some(next) => next.w.row(index).iter().map(|w| w.abs()).sum(),
        None => net.layers[layer]
            .w
            .column(index)
            .iter()
            .map(|w| w.abs())
            .sum(),
    }
}

/// Thumbnail height and gap for `n` nodes in `rows` rows: as tall as fits, up to 3 rows.
fn fit_rows(n: usize, rows: u16) -> Option<(u16, u16)> {
    let n = n as u16;
    for (h, gap) in [(3, 1), (2, 1), (2, 0), (1, 1), (1, 0)] {
        if n * h + n.saturating_sub(1) * gap <= rows {
            return Some((h, gap));
        }
    }
    None
}

/// Lays the network out in `inner`: columns spread evenly, thumbnails centred in their
/// column's height, the strongest neurons where a layer is too tall.
pub fn layout(net: &Net, inner: Rect) -> Layout {
    let hidden = net.arch.hidden.len();
    let widths: Vec<usize> = net.layers.iter().map(|l| l.w.ncols()).collect();
    let ncols = net.layers.len() + 1;
    // Header row, thumbnails, footer row.
    if inner.height < 4
        || inner.width < LABEL_W + 1 + THUMB_W * ncols as u16 + 2 * (ncols as u16 - 1)
    {
        return Layout::default();
    }
    let rows = inner.height - 2;
    let top = inner.y + 1;
    // One column spare at the right for the selection's bracket.
    let used = LABEL_W + 1 + THUMB_W * ncols as u16 + 1;
    let gap = (inner.width - used) / (ncols as u16 - 1).max(1);
    let gap = gap.min(16);
    // Centre the drawing horizontally.
    let width = used + gap * (ncols as u16 - 1);
    let x0 = inner.x + (inner.width - width) / 2 + LABEL_W + 1;
    let mut complete = true;
    let mut columns = Vec::with_capacity(ncols);
    let place = |n: usize, x: u16, rows: u16| -> Vec<Rect> {
        let Some((h, g)) = fit_rows(n, rows) else {
            return Vec::new();
        };
        let total = n as u16 * h + (n as u16).saturating_sub(1) * g;
        let y0 = top + (rows - total) / 2;
        (0..n as u16)
            .map(|i| Rect::new(x, y0 + i * (h + g), THUMB_W, h))
            .collect()
    };
    // The features: all seven, so any can be turned on.
    let feats = place(Feature::ALL.len(), x0, rows);
    if feats.len() < Feature::ALL.len() {
        // Too short for seven rows: only the network's own inputs.
        let own = &net.arch.features;
        let rects = place(own.len(), x0, rows);
        complete &= rects.len() == own.len();
        columns.push(Column {
            heading: "inputs".into(),
            nodes: own
                .iter()
                .zip(rects)
                .map(|(&f, rect)| Placed {
                    node: Node::Feature(f),
                    rect,
                })
                .collect(),
            total: own.len(),
        });
    } else {
        columns.push(Column {
            heading: "features".into(),
            nodes: Feature::ALL
                .iter()
                .zip(feats)
                .map(|(&f, rect)| Placed {
                    node: Node::Feature(f),
                    rect,
                })
                .collect(),
            total: Feature::ALL.len(),
        });
    }
    let max_rows = rows.div_ceil(2) as usize;
    for (l, &n) in widths.iter().enumerate() {
        let x = x0 + (l as u16 + 1) * (THUMB_W + gap);
        // The neurons shown: all that fit, else the strongest, in their own order.
        let mut shown: Vec<usize> = (0..n).collect();
        if fit_rows(n, rows).is_none() {
            complete = false;
            let keep = max_rows.min(n);
            shown.sort_by(|&a, &b| strength(net, l, b).total_cmp(&strength(net, l, a)));
            shown.truncate(keep);
            shown.sort_unstable();
        }
        let rects = place(shown.len(), x, rows);
        let heading = if l == hidden {
            "output".to_string()
        } else if shown.len() < n {
            format!("{} of {n}", shown.len())
        } else {
            format!("{n} {}", net.arch.activation(l).name())
        };
        columns.push(Column {
            heading,
            nodes: shown
                .into_iter()
                .zip(rects)
                .map(|(index, rect)| Placed {
                    node: Node::Neuron { layer: l, index },
                    rect,
                })
                .collect(),
            total: n,
        });
    }
    Layout {
        columns,
        footer: Some(Rect::new(
            inner.x,
            inner.y + inner.height - 1,
            inner.width,
            1,
        )),
        complete,
    }
}

/// Maps a neuron's raw activations to [-1, 1] for colouring: tanh as it is, sigmoid (and
/// probabilities) around ½, unbounded functions by the largest magnitude over the plane.
pub fn normalizer(act: Option<Activation>, values: &[f32]) -> (f32, f32) {
    match act {
        Some(Activation::Tanh) => (0.0, 1.0),
        Some(Activation::Sigmoid) | None => (0.5, 0.5),
        Some(_) => (
            0.0,
            values
                .iter()
                .fold(
                    0.0f32,
                    |m, v| if v.is_finite() { m.max(v.abs()) } else { m },
                )
                .max(1e-6),
        ),
    }
}

/// What a node computes over a grid of raw points, in [-1, 1]: for a feature its value
/// scaled by its largest magnitude, for a neuron its activation normalized, for a one-unit
/// output P(class 1) around ½.
pub struct Values {
    /// Per layer (hidden layers, then the output), `(points, width)` normalized values.
    layers: Vec<ndarray::Array2<f32>>,
    features: Vec<Vec<f32>>,
}

impl Values {
    pub fn compute(net: &Net, points: &[[f64; 2]]) -> Values {
        let mut ws = Workspace::default();
        let probs = net.predict_points(points, &mut ws).clone();
        let hidden = net.arch.hidden.len();
        let mut layers = Vec::with_capacity(hidden + 1);
        for l in 0..hidden {
            let Some(a) = ws.layer(l) else { break };
            let mut a = a.clone();
            let act = net.arch.activation(l);
            for mut col in a.columns_mut() {
                let v: Vec<f32> = col.to_vec();
                let (c, s) = normalizer(Some(act), &v);
                col.mapv_inplace(|x| ((x - c) / s).clamp(-1.0, 1.0));
            }
            layers.push(a);
        }
        layers.push(probs.mapv(|p| ((p - 0.5) * 2.0).clamp(-1.0, 1.0)));
        let features = Feature::ALL
            .iter()
            .map(|f| {
                let v: Vec<f32> = points.iter().map(|p| f.value(p[0], p[1]) as f32).collect();
                let m = v.iter().fold(1e-6f32, |m, x| m.max(x.abs()));
                v.into_iter().map(|x| x / m).collect()
            })
            .collect();
        Values { layers, features }
    }

    /// The normalized value of `node` at point `k`.
    pub fn at(&self, node: Node, k: usize) -> f32 {
        match node {
            Node::Feature(f) => {
                let i = Feature::ALL.iter().position(|g| *g == f).unwrap_or(0);
                self.features[i].get(k).copied().unwrap_or(0.0)
            }
            Node::Neuron { layer, index } => self
                .layers
                .get(layer)
                .and_then(|a| a.get((k, index)))
                .copied()
                .unwrap_or(0.0),
        }
    }
}

/// What the panel shows besides the network.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Marks {
    /// The node under the keyboard cursor.
    pub cursor: Option<Node>,
    /// The node drawn large in the field panel.
    pub selected: Option<Node>,
    /// The probe, as a fraction of the view ((0, 0) top left, (1, 1) bottom right), and
    /// whether each thumbnail should mark it.
    pub probe: Option<[f64; 2]>,
}

/// Draws the network panel of `net` over the data view `view` (x range, y range).
#[allow(clippy::too_many_arguments)]
pub fn render(
    frame: &mut Frame,
    area: Rect,
    net: &Net,
    view: ([f64; 2], [f64; 2]),
    pal: &Palette,
    title: Line<'_>,
    focused: bool,
    marks: Marks,
    footer: Line<'_>,
) -> Layout {
    let block = panel(title, focused, pal);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lay = layout(net, inner);
    if lay.columns.is_empty() {
        // Wrapped, so that a narrow panel still says all of it.
        let msg = "too small for the network: N shows the weights";
        frame.render_widget(
            ratatui::widgets::Paragraph::new(msg)
                .wrap(ratatui::widgets::Wrap { trim: true })
                .style(Style::default().fg(pal.dim())),
            inner,
        );
        return lay;
    }
    // One grid of points for every thumbnail: a pixel is half a cell high.
    let th_max = lay
        .columns
        .iter()
        .flat_map(|c| &c.nodes)
        .map(|p| p.rect.height)
        .max()
        .unwrap_or(1);
    let (gw, gh) = (THUMB_W as usize, 2 * th_max as usize);
    let (vx, vy) = view;
    let points: Vec<[f64; 2]> = (0..gh)
        .flat_map(|j| (0..gw).map(move |i| (i, j)))
        .map(|(i, j)| {
            [
                vx[0] + (i as f64 + 0.5) / gw as f64 * (vx[1] - vx[0]),
                vy[1] - (j as f64 + 0.5) / gh as f64 * (vy[1] - vy[0]),
            ]
        })
        .collect();
    let values = Values::compute(net, &points);
    let buf = frame.buffer_mut();
    edges(buf, inner, &lay, net, pal);
    let dim = Style::default().fg(pal.dim());
    for (c, col) in lay.columns.iter().enumerate() {
        // Headings centred over their thumbnails.
        if let Some(first) = col.nodes.first() {
            let h: String = col.heading.chars().take(THUMB_W as usize + 4).collect();
            let w = h.chars().count() as u16;
            let x = (first.rect.x + THUMB_W / 2)
                .saturating_sub(w / 2)
                .max(inner.x);
            let x = if c == 0 {
                first.rect.x.saturating_sub(LABEL_W + 1).max(inner.x)
            } else {
                x
            };
            buf.set_stringn(x, inner.y, &h, (inner.x + inner.width - x) as usize, dim);
        }
        for p in &col.nodes {
            let on = match p.node {
                Node::Feature(f) => net.arch.features.contains(&f),
                Node::Neuron { .. } => true,
            };
            thumbnail(
                buf,
                p.rect,
                |i, j| {
                    // Sample the grid at this thumbnail's resolution.
                    let gj = j * gh / (2 * p.rect.height as usize);
                    values.at(p.node, gj * gw + i)
                },
                on,
                pal,
            );
            if let Some(probe) = marks.probe {
                // The probe's pixel on the thumbnail, and the value there.
                let px = ((probe[0] * THUMB_W as f64) as u16).min(THUMB_W - 1);
                let py = ((probe[1] * p.rect.height as f64) as u16).min(p.rect.height - 1);
                if on && let Some(cell) = buf.cell_mut((p.rect.x + px, p.rect.y + py)) {
                    cell.set_symbol("+");
                    cell.set_fg(if pal.colored() {
                        ratatui::style::Color::White
                    } else {
                        ratatui::style::Color::Reset
                    });
                }
            }
            match p.node {
                Node::Feature(f) => {
                    let style = if on {
                        Style::default().add_modifier(Modifier::BOLD)
                    } else {
                        dim
                    };
                    let x = p.rect.x.saturating_sub(LABEL_W + 1);
                    let y = p.rect.y + (p.rect.height - 1) / 2;
                    buf.set_stringn(x, y, format!("{:>6}", f.label()), LABEL_W as usize, style);
                }
                Node::Neuron { layer, index } => {
                    // The bias: a small square at the bottom left, by sign and size.
                    let b = net.layers[layer].b[index];
                    let bmax = net.layers[layer]
                        .b
                        .iter()
                        .fold(0.0f32, |m, v| m.max(v.abs()))
                        .max(1e-6);
                    if let Some(cell) = buf.cell_mut((p.rect.x - 1, p.rect.y + p.rect.height - 1)) {
                        if pal.colored() {
                            cell.set_symbol("▪");
                            cell.set_fg(pal.weight((b / bmax) as f64));
                        } else {
                            cell.set_symbol(if b >= 0.0 { "+" } else { "-" });
                        }
                    }
                }
            }
            let bracket = |buf: &mut Buffer, style: Style| {
                let y = p.rect.y + (p.rect.height - 1) / 2;
                buf.set_string(p.rect.x - 1, y, "[", style);
                buf.set_string(p.rect.x + p.rect.width, y, "]", style);
            };
            if marks.selected == Some(p.node) {
                bracket(
                    buf,
                    Style::default().fg(pal.warn()).add_modifier(Modifier::BOLD),
                );
            }
            if marks.cursor == Some(p.node) {
                bracket(
                    buf,
                    Style::default()
                        .fg(pal.accent())
                        .add_modifier(Modifier::BOLD | Modifier::REVERSED),
                );
            }
        }
    }
    if let Some(f) = lay.footer {
        buf.set_line(f.x, f.y, &footer, f.width);
    }
    lay
}

/// What every layer computes at one raw point, unnormalized: each hidden layer's
/// activations, then the output's class probabilities.
pub fn activations_at(net: &Net, point: [f64; 2]) -> Vec<Vec<f32>> {
    let mut ws = Workspace::default();
    let probs = net.predict_points(&[point], &mut ws).row(0).to_vec();
    let mut out: Vec<Vec<f32>> = (0..net.arch.hidden.len())
        .filter_map(|l| ws.layer(l).map(|a| a.row(0).to_vec()))
        .collect();
    out.push(probs);
    out
}

/// One thumbnail: half-block pixels coloured by value (blue positive, orange negative),
/// or in mono a density of dots; an unused feature is drawn dim.
fn thumbnail(
    buf: &mut Buffer,
    r: Rect,
    value: impl Fn(usize, usize) -> f32,
    on: bool,
    pal: &Palette,
) {
    for cy in 0..r.height {
        for cx in 0..r.width {
            let Some(cell) = buf.cell_mut((r.x + cx, r.y + cy)) else {
                continue;
            };
            let (top, bottom) = (
                value(cx as usize, 2 * cy as usize) as f64,
                value(cx as usize, 2 * cy as usize + 1) as f64,
            );
            if pal.colored() {
                let c = |v: f64| if on { pal.weight(v) } else { pal.faint(v) };
                cell.set_symbol("▀");
                cell.set_style(Style::default().fg(c(top)).bg(c(bottom)));
            } else {
                // Unused inputs: a quarter of the density.
                let k = if on { 0.5 } else { 0.125 };
                let v = (top + bottom) * k;
                // Dense for positive, sparse for negative, blank near zero.
                let bits = match v {
                    v if v > 0.6 => 0xff,
                    v if v > 0.2 => {
                        DOT[0][0] | DOT[1][1] | DOT[0][2] | DOT[1][3] | DOT[1][0] | DOT[0][3]
                    }
                    v if v < -0.6 => DOT[0][1] | DOT[1][3],
                    v if v < -0.2 => DOT[0][1],
                    _ => 0,
                };
                if bits == 0 {
                    cell.set_symbol(" ");
                } else {
                    cell.set_char(braille(bits));
                }
                cell.set_style(Style::default());
            }
        }
    }
}

/// The edges between shown nodes of neighbouring columns, as Braille lines in the gaps:
/// weakest first, so the strongest lie on top; strong ones two dots thick.
fn edges(buf: &mut Buffer, inner: Rect, lay: &Layout, net: &Net, pal: &Palette) {
    let (w, h) = (inner.width as usize, inner.height as usize);
    let mut bits = vec![0u8; w * h];
    let mut colour = vec![None; w * h];
    let mut all = Vec::new();
    for (l, layer) in net.layers.iter().enumerate() {
        let (from, to) = (&lay.columns[l], &lay.columns[l + 1]);
        let max = layer.w.iter().fold(1e-6f32, |m, v| m.max(v.abs()));
        let start = all.len();
        for a in &from.nodes {
            let i = match a.node {
                Node::Feature(f) => match net.arch.features.iter().position(|g| *g == f) {
                    Some(i) => i,
                    None => continue,
                },
                Node::Neuron { index, .. } => index,
            };
            for b in &to.nodes {
                let Node::Neuron { index: j, .. } = b.node else {
                    continue;
                };
                let v = layer.w[[i, j]] / max;
                all.push((v.abs(), v, a.rect, b.rect));
            }
        }
        // Between wide layers every edge would fill the gap solid: the strongest only, two
        // for each node drawn on either side.
        let cap = 2 * (from.nodes.len() + to.nodes.len());
        all[start..].sort_by(|a, b| b.0.total_cmp(&a.0));
        all.truncate(start + cap.min(all.len() - start));
    }
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (m, v, a, b) in all {
        if m < 0.05 {
            continue;
        }
        // Dots: 2 across a cell, 4 down.
        let from = (
            (a.x + a.width - inner.x) as f64 * 2.0 + 1.0,
            ((a.y - inner.y) as f64 + a.height as f64 / 2.0) * 4.0,
        );
        let to = (
            (b.x - inner.x) as f64 * 2.0 - 3.0,
            ((b.y - inner.y) as f64 + b.height as f64 / 2.0) * 4.0,
        );
        let c = pal.weight(v as f64);
        let thick = if m > 0.5 { 2 } else { 1 };
        // Without colour, a negative weight is a dotted line.
        let every = if !pal.colored() && v < 0.0 { 3 } else { 1 };
        for t in 0..thick {
            let mut n = 0usize;
            line(
                (from.0, from.1 - 1.0 + t as f64),
                (to.0, to.1 - 1.0 + t as f64),
                2 * w as i64,
                4 * h as i64,
                |x, y| {
                    n += 1;
                    if !n.is_multiple_of(every) {
                        return;
                    }
                    let k = (y / 4) * w + x / 2;
                    bits[k] |= DOT[x % 2][y % 4];
                    colour[k] = Some(c);
                },
            );
        }
    }
    for (k, (&b, c)) in bits.iter().zip(&colour).enumerate() {
        if b == 0 {
            continue;
        }
        let (x, y) = (inner.x + (k % w) as u16, inner.y + (k / w) as u16);
        if let Some(cell) = buf.cell_mut((x, y)) {
            cell.set_char(braille(b));
            if let Some(c) = c {
                cell.set_fg(*c);
            }
        }
    }
}
