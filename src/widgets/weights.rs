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
                    let v = layer.w[[r, c]];
                    if v.abs() > best.abs() {
                        best = v;
                    }
                }
            }
            (best / max) as f64
        };
        let cell_rows = if mono { ph } else { ph.div_ceil(2) };
        for cy in 0..cell_rows {
            for px in 0..w {
                let Some(cell) = buf.cell_mut((x + px as u16, inner.y + 1 + cy as u16)) else {
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
        x += w as u16 + 1;
    }
}
