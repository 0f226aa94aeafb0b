//! The network's weights, layer by layer, as small heatmaps: blue for positive, orange for
//! negative, brighter for larger magnitude (relative to the layer's largest weight, or to a
//! shared scale when runs are compared, so that shrinking weights look darker).

use super::chrome::panel;
use super::palette::Palette;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

/// The mean |w| over every weight (not biases): how large the weights are overall.
pub fn mean_abs(net: &crate::train::Net) -> f32 {
    let (sum, n) = net.layers.iter().fold((0.0f32, 0usize), |(s, n), l| {
        (s + l.w.iter().map(|w| w.abs()).sum::<f32>(), n + l.w.len())
    });
    sum / n.max(1) as f32
}

/// Weight heatmaps of `net`; `scale` fixes the |w| that draws brightest (else each layer's max).
pub fn render_weights(
    frame: &mut Frame,
    area: Rect,
    net: &crate::train::Net,
    pal: &Palette,
    title: ratatui::text::Line<'_>,
    scale: Option<f32>,
) {
    let block = panel(title, false, pal);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let n = net.layers.len();
    if n == 0 || inner.width < (n as u16) * 3 || inner.height < 2 {
        return;
    }
    let mono = !pal.colored();
    // Width per layer in proportion to its outputs, at least 2 columns, 1 column gap.
    let outs: Vec<usize> = net.layers.iter().map(|l| l.w.ncols()).collect();
    let total: usize = outs.iter().sum();
    let avail = inner.width as usize - (n - 1);
    let mut widths: Vec<usize> = outs
        .iter()
        .map(|&o| (o * avail / total.max(1)).clamp(2, 4 * o.max(1)))
        .collect();
    while widths.iter().sum::<usize>() > avail {
        if let Some(m) = widths.iter_mut().max() {
            *m -= 1;
        }
    }
    let rows_px = (inner.height as usize - 1) * if mono { 1 } else { 2 };
    let buf = frame.buffer_mut();
    let mut x = inner.x;
    for (layer, &w) in net.layers.iter().zip(&widths) {
        let (fan_in, fan_out) = layer.w.dim();
        let label = format!("{fan_in}×{fan_out}");
        let label: String = label.chars().take(w).collect();
        buf.set_string(x, inner.y, &label, Style::default().fg(pal.dim()));
        let max = scale
            .unwrap_or_else(|| layer.w.iter().fold(0.0f32, |m, v| m.max(v.abs())))
            .max(1e-12);
        // Small matrices are drawn larger: up to two pixel rows a weight.
        let ph = rows_px.min(2 * fan_in.max(1));
        paint_matrix(buf, (x, inner.y + 1, w, ph), layer.w.view(), max, pal);
        x += w as u16 + 1;
    }
}

/// Paints matrix `m` (rows = fan-in, columns = fan-out) at `(x, y)`, `w` cells wide and `ph`
/// pixel rows tall (two a cell in colour, as half blocks; one in mono), each pixel the
/// strongest weight of its block, signed, over `max`: blue positive, orange negative.
fn paint_matrix(
    buf: &mut ratatui::buffer::Buffer,
    (x, y, w, ph): (u16, u16, usize, usize),
    m: ndarray::ArrayView2<f32>,
    max: f32,
    pal: &Palette,
) {
    let mono = !pal.colored();
    let (fan_in, fan_out) = m.dim();
    if w == 0 || ph == 0 || fan_in == 0 || fan_out == 0 {
        return;
    }
    let max = max.max(1e-12);
    // The strongest weight of each block, signed: small matrices map one to one.
    let sample = |px: usize, py: usize| -> f64 {
        let (c0, c1) = (
            px * fan_out / w,
            ((px + 1) * fan_out / w).max(px * fan_out / w + 1),
        );
        let (r0, r1) = (
            py * fan_in / ph,
            ((py + 1) * fan_in / ph).max(py * fan_in / ph + 1),
        );
        let mut best = 0.0f32;
        for r in r0..r1.min(fan_in) {
            for c in c0..c1.min(fan_out) {
                let v = m[[r, c]];
                if v.abs() > best.abs() {
                    best = v;
                }
            }
        }
        (best / max).clamp(-1.0, 1.0) as f64
    };
    let cell_rows = if mono { ph } else { ph.div_ceil(2) };
    for cy in 0..cell_rows {
        for px in 0..w {
            let Some(cell) = buf.cell_mut((x + px as u16, y + cy as u16)) else {
                continue;
            };
            if mono {
                let v = sample(px, cy);
                let ch = match v.abs() {
                    a if a < 0.15 => " ",
                    a if a < 0.4 => "·",
                    _ if v > 0.0 => "+",
                    _ => "-",
                };
                cell.set_symbol(ch);
                if v.abs() > 0.75 {
                    cell.set_style(Style::default().add_modifier(Modifier::BOLD));
                }
            } else {
                let top = sample(px, 2 * cy);
                let style = if 2 * cy + 1 < ph {
                    Style::default()
                        .fg(pal.weight(top))
                        .bg(pal.weight(sample(px, 2 * cy + 1)))
                } else {
                    Style::default().fg(pal.weight(top))
                };
                cell.set_symbol("▀");
                cell.set_style(style);
            }
        }
    }
}

/// The notebook's summary of one weight matrix: its smallest, largest and mean weight.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MatrixStats {
    pub min: f32,
    pub max: f32,
    pub mean: f32,
}

impl MatrixStats {
    pub fn of(m: ndarray::ArrayView2<f32>) -> MatrixStats {
        let n = m.len().max(1) as f32;
        MatrixStats {
            min: m.iter().copied().fold(f32::INFINITY, f32::min),
            max: m.iter().copied().fold(f32::NEG_INFINITY, f32::max),
            mean: m.iter().sum::<f32>() / n,
        }
    }

    /// `MIN -0.90 MAX 0.39 MEAN -0.01`, two decimals as the notebook rounds them.
    pub fn label(&self) -> String {
        format!(
            "MIN {} MAX {} MEAN {}",
            two(self.min),
            two(self.max),
            two(self.mean)
        )
    }
}

/// One layer's weight matrix filling the panel, its MIN, MAX and MEAN on the first line;
/// `scale` fixes the |w| that draws strongest (runs side by side share one), else its own.
pub fn render_layer(
    frame: &mut Frame,
    area: Rect,
    m: ndarray::ArrayView2<f32>,
    pal: &Palette,
    title: ratatui::text::Line<'_>,
    scale: Option<f32>,
) {
    let block = panel(title, false, pal);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width < 4 || inner.height < 2 {
        return;
    }
    let stats = MatrixStats::of(m);
    // The notebook's title where it fits, else shorter: the range and mean, the range alone.
    let candidates = [
        stats.label(),
        format!(
            "{} … {} · mean {}",
            two(stats.min),
            two(stats.max),
            two(stats.mean)
        ),
        format!("{} … {}", two(stats.min), two(stats.max)),
    ];
    let label = candidates
        .iter()
        .find(|l| l.chars().count() <= inner.width as usize)
        .unwrap_or(&candidates[2])
        .clone();
    let buf = frame.buffer_mut();
    buf.set_stringn(
        inner.x,
        inner.y,
        &label,
        inner.width as usize,
        Style::default().fg(pal.dim()),
    );
    let mono = !pal.colored();
    let rows_px = (inner.height as usize - 1) * if mono { 1 } else { 2 };
    let max = scale.unwrap_or_else(|| m.iter().fold(0.0f32, |a, v| a.max(v.abs())));
    paint_matrix(
        buf,
        (inner.x, inner.y + 1, inner.width as usize, rows_px),
        m,
        max,
        pal,
    );
}

/// Two decimals, a value that rounds to zero written `0.00` (not `-0.00`).
fn two(v: f32) -> String {
    let s = format!("{v:.2}");
    if s == "-0.00" { "0.00".into() } else { s }
}
