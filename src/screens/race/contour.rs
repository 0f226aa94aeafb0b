//! The contour layer of a race: f evaluated at every Braille dot of the view, shaded, with
//! level lines (log-spaced when the surface spans decades). Computed once per surface, view
//! and size, and redrawn from the cache; and the coarser grid of f the 3-D view draws
//! ([`HeightGrid`]), on the same height scale ([`Heights`]).

use crate::surface::{Surface, View};
use crate::widgets::braille::{DOT, Frame2d};
use crate::widgets::palette::{ColorMode, Palette};
use ratatui::style::Color;

/// Level lines drawn across the surface's range.
pub const LINES: usize = 18;
/// Background shades, low to high f.
pub const SHADES: usize = 10;

/// The contour layer of one surface, view and size.
#[derive(Clone, Debug)]
pub struct ContourCache {
    /// The surface, view and size it was computed for.
    pub key: String,
    pub frame: Frame2d,
    /// Per cell: background shade (0 = lowest f) and the dots of level lines.
    pub cells: Vec<(u8, u8)>,
    /// Whether levels are log-spaced.
    pub log: bool,
}

impl ContourCache {
    /// Evaluates f at every Braille dot of a `w`×`h` grid over `view` (widened on one axis so
    /// that dots are square and the surface keeps its true shape).
    pub fn compute(surface: &Surface, view: &View, w: usize, h: usize) -> Self {
        let frame = Frame2d::fit(view.x, view.y, w, h);
        let (sw, sh) = (2 * w, 4 * h);
        // Closed-form surfaces are evaluated at every dot; a surface that costs a pass over
        // data per point (the curve fit) on a grid 4 dots apart, interpolated bilinearly.
        let stride = if surface.kind() == crate::surface::SurfaceKind::CurveFit {
            4
        } else {
            1
        };
        let (gw, gh) = (sw.div_ceil(stride) + 1, sh.div_ceil(stride) + 1);
        let mut grid = Vec::with_capacity(gw * gh);
        for gy in 0..gh {
            for gx in 0..gw {
                grid.push(surface.value(frame.sub_point(gx * stride, gy * stride)));
            }
        }
        let mut v = Vec::with_capacity(sw * sh);
        for sy in 0..sh {
            for sx in 0..sw {
                if stride == 1 {
                    v.push(grid[sy * gw + sx]);
                    continue;
                }
                let (gx, gy) = (sx / stride, sy / stride);
                let (fx, fy) = (
                    (sx % stride) as f64 / stride as f64,
                    (sy % stride) as f64 / stride as f64,
                );
                let at = |x: usize, y: usize| grid[y.min(gh - 1) * gw + x.min(gw - 1)];
                let top = at(gx, gy) * (1.0 - fx) + at(gx + 1, gy) * fx;
                let bottom = at(gx, gy + 1) * (1.0 - fx) + at(gx + 1, gy + 1) * fx;
                v.push(top * (1.0 - fy) + bottom * fy);
            }
        }
        let scale = Heights::of(&v);
        let level = |x: f64| -> usize {
            if !x.is_finite() || !scale.spans() {
                return 0;
            }
            ((scale.frac(x) * LINES as f64) as usize).min(LINES - 1)
        };
        let lv: Vec<usize> = v.iter().map(|&x| level(x)).collect();
        let mut cells = vec![(0u8, 0u8); w * h];
        for j in 0..h {
            for i in 0..w {
                let mut bits = 0u8;
                let mut sum = 0.0;
                for d in 0..8 {
                    let (sx, sy) = (2 * i + d % 2, 4 * j + d / 2);
                    let k = sy * sw + sx;
                    let here = lv[k];
                    let right = if sx + 1 < sw { lv[k + 1] } else { here };
                    let down = if sy + 1 < sh { lv[k + sw] } else { here };
                    if here != right || here != down {
                        bits |= DOT[d % 2][d / 2];
                    }
                    sum += if v[k].is_finite() && scale.spans() {
                        scale.frac(v[k])
                    } else {
                        1.0
                    };
                }
                let shade = ((sum / 8.0) * SHADES as f64).min(SHADES as f64 - 1.0) as u8;
                cells[j * w + i] = (shade, bits);
            }
        }
        ContourCache {
            key: String::new(),
            frame,
            cells,
            log: scale.log,
        }
    }
}

/// The surface sampled over the view for the 3-D view, cached per surface and view: the curve
/// fit costs a pass over its data per point.
#[derive(Clone, Debug)]
pub struct HeightGrid {
    pub key: String,
    pub n: usize,
    /// f on an `n`×`n` grid over the view, from the lowest y.
    pub values: Vec<f64>,
    pub scale: Heights,
}

/// Grid points each way: fine enough for a smooth shade at 120×40, cheap enough to redraw
/// every frame while the view turns.
const GRID: usize = 49;

impl HeightGrid {
    pub fn compute(surface: &Surface, v: &View) -> Self {
        let n = GRID;
        let mut values = Vec::with_capacity(n * n);
        for j in 0..n {
            for i in 0..n {
                let (fx, fy) = (i as f64 / (n - 1) as f64, j as f64 / (n - 1) as f64);
                values.push(surface.value([
                    v.x[0] + fx * (v.x[1] - v.x[0]),
                    v.y[0] + fy * (v.y[1] - v.y[0]),
                ]));
            }
        }
        HeightGrid {
            key: Self::key(surface, v),
            n,
            scale: Heights::of(&values),
            values,
        }
    }

    /// What a cached grid is valid for.
    pub fn key(surface: &Surface, v: &View) -> String {
        format!("{:?}|{v:?}", surface.params)
    }
}

/// How heights map onto [0, 1] for shading, levels and the 3-D view: linear, or log-spaced
/// when the surface spans decades (the lowest tenth of the values lies within a hundredth of
/// the range above the minimum).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Heights {
    pub lo: f64,
    pub hi: f64,
    pub log: bool,
    eps: f64,
    t0: f64,
    t1: f64,
}

impl Heights {
    /// The scale over the finite values of `v`.
    pub fn of(v: &[f64]) -> Self {
        let finite: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
        let (lo, hi) = finite
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                (a.min(x), b.max(x))
            });
        let spread = hi - lo;
        let mut above: Vec<f64> = finite.iter().map(|x| x - lo).collect();
        above.sort_by(f64::total_cmp);
        let p10 = above.get(above.len() / 10).copied().unwrap_or(0.0);
        let log = spread > 0.0 && spread > 100.0 * p10;
        let eps = (spread * 1e-5).max(1e-12);
        let mut h = Heights {
            lo,
            hi,
            log,
            eps,
            t0: 0.0,
            t1: 0.0,
        };
        (h.t0, h.t1) = (h.t(lo), h.t(hi));
        h
    }

    fn t(&self, x: f64) -> f64 {
        if self.log {
            (x - self.lo + self.eps).ln()
        } else {
            x
        }
    }

    /// Whether the values span any range at all (a flat view has no levels).
    pub fn spans(&self) -> bool {
        self.t1 > self.t0
    }

    /// Where `x` falls between the lowest value (0) and the highest (1); outside when `x`
    /// lies outside the values the scale was made of, NaN for a non-number.
    pub fn frac(&self, x: f64) -> f64 {
        if !self.spans() {
            return 0.5;
        }
        let t = if self.log {
            (x - self.lo + self.eps).max(self.eps * 1e-3).ln()
        } else {
            x
        };
        (t - self.t0) / (self.t1 - self.t0)
    }
}

/// The background shade of `level` (0 = lowest f).
pub fn surface_shade(pal: &Palette, level: u8) -> Option<Color> {
    // Dim, so that level lines and trails stand out: navy (low f) to dull amber (high f).
    const STOPS: [(u8, u8, u8); 4] = [(16, 22, 48), (24, 58, 72), (62, 78, 52), (104, 80, 40)];
    let t = level as f64 / (SHADES - 1) as f64 * (STOPS.len() - 1) as f64;
    let i = (t as usize).min(STOPS.len() - 2);
    let f = t - i as f64;
    let m = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * f).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    let rgb = (m(a.0, b.0), m(a.1, b.1), m(a.2, b.2));
    match pal.mode {
        ColorMode::Truecolor => Some(Color::Rgb(rgb.0, rgb.1, rgb.2)),
        // The cube has no dim hues between black and L* 35 (the nearest entries of the
        // truecolor stops were flat greys and one mustard patch): the grey ramp instead, one
        // step of it per level, lightness rising with f.
        ColorMode::Ansi256 => Some(Color::Indexed(232 + level.min(SHADES as u8 - 1))),
        // Sixteen colours: three steps that rise in lightness in xterm's palette (black L* 0,
        // blue 32, dark grey 53), none a racer's colour.
        ColorMode::Ansi16 => Some(match level {
            0..=3 => Color::Black,
            4..=6 => Color::Blue,
            _ => Color::DarkGray,
        }),
        ColorMode::Mono => None,
    }
}
