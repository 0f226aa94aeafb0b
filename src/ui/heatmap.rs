//! The decision boundary as a Braille-cell heatmap. Each cell's background carries the
//! shaded probability of its most likely class; near the boundary the network is evaluated
//! at the 2×4 dots of a Braille glyph and the dots of the other class are lit, so the
//! boundary is drawn at sub-cell resolution; data points are lit dots in their class colour.

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
}

impl Default for Layers {
    fn default() -> Self {
        Layers {
            field: true,
            boundary: true,
            train: true,
            test: true,
        }
    }
}

/// Bit of Braille dot (column, row) within a cell, rows top to bottom (Unicode's numbering:
/// dots 1–3 and 7 down the left column, 4–6 and 8 down the right).
const DOT: [[u8; 4]; 2] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]];

/// Ordered-dither thresholds for the 8 dots (mono mode: dot density shows probability).
const DITHER: [[f32; 4]; 2] = [
    [0.0625, 0.5625, 0.3125, 0.8125],
    [0.6875, 0.1875, 0.9375, 0.4375],
];

pub fn braille(bits: u8) -> char {
    char::from_u32(0x2800 + bits as u32).unwrap_or(' ')
}

/// A rectangle of the data plane shown on a grid of `w`×`h` cells, with square Braille dots.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame2d {
    pub x: [f64; 2],
    pub y: [f64; 2],
    pub w: usize,
    pub h: usize,
}

impl Frame2d {
    /// Fits `x`×`y` into `w`×`h` cells, widening one axis so that a Braille dot (half a cell
    /// wide, a quarter high, and cells about twice as high as wide) is square.
    pub fn fit(x: [f64; 2], y: [f64; 2], w: usize, h: usize) -> Self {
        let (dx, dy) = ((x[1] - x[0]).max(1e-9), (y[1] - y[0]).max(1e-9));
        let (cx, cy) = ((x[0] + x[1]) / 2.0, (y[0] + y[1]) / 2.0);
        let s = (dx / (2 * w.max(1)) as f64).max(dy / (4 * h.max(1)) as f64);
        let hw = s * w as f64;
        let hh = s * 2.0 * h as f64;
        Frame2d {
            x: [cx - hw, cx + hw],
            y: [cy - hh, cy + hh],
            w,
            h,
        }
    }

    /// Data coordinates of sub-pixel (sx, sy) of a `2w`×`4h` grid, at its centre.
    pub fn sub_point(&self, sx: usize, sy: usize) -> [f64; 2] {
        [
            self.x[0] + (sx as f64 + 0.5) / (2 * self.w) as f64 * (self.x[1] - self.x[0]),
            self.y[1] - (sy as f64 + 0.5) / (4 * self.h) as f64 * (self.y[1] - self.y[0]),
        ]
    }

    pub fn cell_point(&self, i: usize, j: usize) -> [f64; 2] {
        [
            self.x[0] + (i as f64 + 0.5) / self.w as f64 * (self.x[1] - self.x[0]),
            self.y[1] - (j as f64 + 0.5) / self.h as f64 * (self.y[1] - self.y[0]),
        ]
    }

    /// The sub-pixel a data point falls in, if inside.
    pub fn to_sub(&self, p: [f64; 2]) -> Option<(usize, usize)> {
        let u = (p[0] - self.x[0]) / (self.x[1] - self.x[0]);
        let v = (self.y[1] - p[1]) / (self.y[1] - self.y[0]);
        if !(0.0..1.0).contains(&u) || !(0.0..1.0).contains(&v) {
            return None;
        }
        Some((
            (u * (2 * self.w) as f64) as usize,
            (v * (4 * self.h) as f64) as usize,
        ))
    }
}

/// The data points falling in one cell.
#[derive(Clone, Copy, Default)]
struct PointCell {
    /// Their dots.
    dots: u8,
    /// Which of those dots are class 0.
    zeros: u8,
    /// The point drawn on top: class, and whether it is a test point.
    top: Option<(usize, bool)>,
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
    let x = Array2::from_shape_fn((points.len(), 2), |(i, j)| points[i][j] as f32);
    classify(net.predict(x.view(), ws))
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
        for (p, &y) in set.x.iter().zip(&set.y) {
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
            } = point_dots[j * w + i];
            if mono {
                // No colour to tell classes by: a point sets its dot to its class's value
                // in the dot-density field (lit for class 1, dark for class 0), so points
                // the model gets wrong show as specks and holes.
                bits = (bits | (pbits & !zeros)) & !zeros;
            } else if let Some((y, test)) = pcls {
                bits = pbits;
                style = style.fg(if test {
                    pal.test_point(y)
                } else {
                    pal.class(y)
                });
                if !test {
                    style = style.add_modifier(Modifier::BOLD);
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

/// A point's Braille-dot coordinates, fractional and unclipped (for lines that leave the view).
pub fn to_sub_f(f: &Frame2d, p: [f64; 2]) -> Option<(f64, f64)> {
    if !(p[0].is_finite() && p[1].is_finite()) {
        return None;
    }
    let u = (p[0] - f.x[0]) / (f.x[1] - f.x[0]) * (2 * f.w) as f64;
    let v = (f.y[1] - p[1]) / (f.y[1] - f.y[0]) * (4 * f.h) as f64;
    Some((u, v))
}

/// Visits the dots on the segment a–b that fall inside `w`×`h` (a DDA walk, at most a few
/// thousand steps however far the ends lie).
pub fn line(a: (f64, f64), b: (f64, f64), w: i64, h: i64, mut put: impl FnMut(usize, usize)) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let n = dx
        .abs()
        .max(dy.abs())
        .ceil()
        .clamp(1.0, 4.0 * (w + h) as f64) as usize;
    for k in 0..=n {
        let t = k as f64 / n as f64;
        let (x, y) = ((a.0 + dx * t).floor() as i64, (a.1 + dy * t).floor() as i64);
        if (0..w).contains(&x) && (0..h).contains(&y) {
            put(x as usize, y as usize);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_keeps_dots_square() {
        let f = Frame2d::fit([-1.0, 1.0], [-1.0, 1.0], 40, 10);
        // 80 dots across, 40 down: x spans twice the y range.
        assert!(((f.x[1] - f.x[0]) / (f.y[1] - f.y[0]) - 2.0).abs() < 1e-9);
        assert_eq!(f.to_sub([f.x[0] + 1e-9, f.y[1] - 1e-9]), Some((0, 0)));
        assert_eq!(f.to_sub([f.x[1] + 1.0, 0.0]), None);
    }

    #[test]
    fn braille_bits_map_to_glyphs() {
        assert_eq!(braille(0), '⠀');
        assert_eq!(braille(0xff), '⣿');
        assert_eq!(braille(DOT[0][0] | DOT[1][3]), '⢁');
    }
}
