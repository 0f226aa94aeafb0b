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

/// The panel of one layer's matrix: its frame and, on the first line, its MIN, MAX and MEAN
/// (shorter where narrow). Returns what is left below the line, if anything.
fn layer_panel(
    frame: &mut Frame,
    area: Rect,
    m: ndarray::ArrayView2<f32>,
    pal: &Palette,
    title: ratatui::text::Line<'_>,
) -> Option<Rect> {
    let block = panel(title, false, pal);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width < 4 || inner.height < 2 {
        return None;
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
    frame.buffer_mut().set_stringn(
        inner.x,
        inner.y,
        &label,
        inner.width as usize,
        Style::default().fg(pal.dim()),
    );
    Some(Rect::new(
        inner.x,
        inner.y + 1,
        inner.width,
        inner.height - 1,
    ))
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
    let Some(rest) = layer_panel(frame, area, m, pal, title) else {
        return;
    };
    let mono = !pal.colored();
    let rows_px = rest.height as usize * if mono { 1 } else { 2 };
    let max = scale.unwrap_or_else(|| m.iter().fold(0.0f32, |a, v| a.max(v.abs())));
    paint_matrix(
        frame.buffer_mut(),
        (rest.x, rest.y, rest.width as usize, rows_px),
        m,
        max,
        pal,
    );
}

/// One layer's weight matrix as a 3-D surface, as the notebook draws it: across are the
/// layer's outputs, into the picture its inputs, up the weight (on `scale`, shared by runs side
/// by side, so a penalized run's matrix lies flat), coloured as the heatmap colours it (blue
/// positive, orange negative); MIN, MAX and MEAN on the first line.
pub fn render_layer_surface(
    frame: &mut Frame,
    area: Rect,
    m: ndarray::ArrayView2<f32>,
    pal: &Palette,
    title: ratatui::text::Line<'_>,
    scale: Option<f32>,
) {
    use super::palette::ColorMode;
    use super::surface3d::{Orbit, Scene};
    let Some(rest) = layer_panel(frame, area, m, pal, title) else {
        return;
    };
    let (fan_in, fan_out) = m.dim();
    if fan_in == 0 || fan_out == 0 {
        return;
    }
    let max = scale
        .unwrap_or_else(|| m.iter().fold(0.0f32, |a, v| a.max(v.abs())))
        .max(1e-12);
    // A single input or output still spans the floor: its row drawn twice.
    let (nx, ny) = (fan_out.max(2), fan_in.max(2));
    let heights: Vec<f64> = (0..ny)
        .flat_map(|j| (0..nx).map(move |i| (j, i)))
        .map(|(j, i)| {
            let w = m[[j.min(fan_in - 1), i.min(fan_out - 1)]];
            0.5 + 0.5 * f64::from((w / max).clamp(-1.0, 1.0))
        })
        .collect();
    let signed = |h: f64| (h - 0.5) * 2.0;
    let shade = |h: f64, _: f64| match pal.mode {
        ColorMode::Truecolor | ColorMode::Ansi256 => Some(pal.weight(signed(h))),
        ColorMode::Ansi16 | ColorMode::Mono => None,
    };
    let mesh = |h: f64, _: f64| match pal.mode {
        ColorMode::Mono => ratatui::style::Color::Reset,
        // Without backgrounds the mesh shows the sign.
        ColorMode::Ansi16 => pal.weight(signed(h).signum() * 0.7),
        _ => pal.dim(),
    };
    Scene {
        heights: &heights,
        nx,
        ny,
        // Low, so that a wide, short panel holds the picture large.
        orbit: Orbit {
            angle: 0.45,
            tilt: 0.3,
        },
        shade: &shade,
        mesh: &mesh,
        mesh_lines: 8,
        paths: &[],
        marks: &[],
        axes: ["out", "in"],
        frame_color: pal.dim(),
        still: true,
    }
    .render(rest, frame.buffer_mut());
}

/// Two decimals, a value that rounds to zero written `0.00` (not `-0.00`).
fn two(v: f32) -> String {
    let s = format!("{v:.2}");
    if s == "-0.00" { "0.00".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::widgets::palette::ColorMode;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    /// Rows of the panel the surface reaches into, and its cells with a strong weight's shade.
    fn drawn(m: &ndarray::Array2<f32>, scale: f32) -> (usize, usize) {
        let pal = Palette::with_glyphs(
            ColorMode::Truecolor,
            crate::widgets::palette::Glyphs::Unicode,
        );
        let mut t = Terminal::new(TestBackend::new(40, 16)).unwrap();
        t.draw(|f| {
            render_layer_surface(f, f.area(), m.view(), &pal, "w".into(), Some(scale));
        })
        .unwrap();
        let buf = t.backend().buffer();
        let strong = [
            pal.weight(1.0),
            pal.weight(-1.0),
            pal.weight(0.8),
            pal.weight(-0.8),
        ];
        let rows = (2..15u16)
            .filter(|&y| {
                (1..39u16).any(|x| {
                    buf[(x, y)].symbol() != " " || buf[(x, y)].bg != ratatui::style::Color::Reset
                })
            })
            .count();
        let bright = buf
            .content()
            .iter()
            .filter(|c| strong.contains(&c.bg))
            .count();
        (rows, bright)
    }

    /// On one height scale, a shrunken matrix lies flat and dark, as the λ sweep's strongly
    /// penalized runs should; the full-sized one rises into the panel in strong shades.
    #[test]
    fn a_shrunken_matrix_lies_flat_on_the_shared_scale() {
        let m = ndarray::Array2::from_shape_fn((8, 24), |(i, j)| ((i * 7 + j * 3) as f32).sin());
        let small = m.mapv(|w| w * 0.02);
        let (rows, bright) = drawn(&m, 1.0);
        let (flat_rows, flat_bright) = drawn(&small, 1.0);
        assert!(bright > 10 && flat_bright == 0, "{bright} vs {flat_bright}");
        assert!(rows > flat_rows, "{rows} rows vs {flat_rows}");
    }
}
