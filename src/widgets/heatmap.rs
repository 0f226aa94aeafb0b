//! The decision boundary as a heatmap: the field as half-block cells (two shades a cell,
//! on the palette's diverging ramp: light where the model is unsure, darker towards each
//! class's colour), the boundary traced by marching squares at the 2×4 Braille dots of the
//! cells it may cross and drawn as a closed line of dots, and the data points as marks that
//! stand out from their own field.

use super::braille::{DOT, Frame2d, braille};
use super::palette::{Glyphs, LEVELS, Palette};
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

/// The field without colour and without Braille, by P(class 1): sparse to dense.
const DENSITY: [char; 6] = [' ', '.', ':', ';', '=', '%'];

/// A boundary cell's dots as one ASCII character that follows the line: `-` across, `|`
/// down, `/` and `\` on the diagonals (`.` for a lone dot).
fn line_char(bits: u8) -> char {
    let dots: Vec<(f32, f32)> = (0..2)
        .flat_map(|dx| (0..4).map(move |dy| (dx, dy)))
        .filter(|&(dx, dy)| bits & DOT[dx][dy] != 0)
        .map(|(dx, dy)| (dx as f32, dy as f32))
        .collect();
    let n = dots.len() as f32;
    if dots.len() <= 1 {
        return '.';
    }
    let (mx, my) = dots
        .iter()
        .fold((0.0, 0.0), |(a, b), &(x, y)| (a + x / n, b + y / n));
    let (sxx, syy, sxy) = dots.iter().fold((0.0, 0.0, 0.0), |(a, b, c), &(x, y)| {
        let (dx, dy) = (x - mx, (y - my) / 2.0);
        (a + dx * dx, b + dy * dy, c + dx * dy)
    });
    // Rows are half as wide as columns on screen: dy halved above. The line's direction is
    // the larger spread; its sign says which diagonal.
    if sxy.abs() * 2.0 < (sxx - syy).abs() || sxy == 0.0 {
        if sxx >= syy { '-' } else { '|' }
    } else if sxy > 0.0 {
        '\\'
    } else {
        '/'
    }
}

/// What the network says at a set of points: each point's class, confidence level and
/// P(class 1) (for multi-class, the class's place in [0, 1]), and the margins the boundary
/// is traced on.
#[derive(Clone, Default)]
struct Samples {
    cls: Vec<(usize, usize, f32)>,
    /// Per point, `margins` values: for one or two classes one, P(1) − 0.5 (or p1 − p0),
    /// positive on class 1's side; for more, each class's probability less the largest other.
    margin: Vec<f32>,
    margins: usize,
}

impl Samples {
    fn new(probs: &Array2<f32>) -> Self {
        let k = probs.ncols();
        let margins = if k <= 2 { 1 } else { k };
        let mut margin = Vec::with_capacity(probs.nrows() * margins);
        for r in probs.rows() {
            let ok = |v: f32| if v.is_finite() { v } else { 0.0 };
            match k {
                1 => margin.push(if r[0].is_finite() { r[0] - 0.5 } else { 0.0 }),
                2 => margin.push(ok(r[1]) - ok(r[0])),
                _ => {
                    for c in 0..k {
                        let other = (0..k)
                            .filter(|&j| j != c)
                            .map(|j| ok(r[j]))
                            .fold(f32::MIN, f32::max);
                        margin.push(ok(r[c]) - other);
                    }
                }
            }
        }
        Samples {
            cls: classify(probs),
            margin,
            margins,
        }
    }
}

/// The data points falling in one cell: the one drawn on top (a train point wins a shared
/// cell), its class, whether it is a test point and whether the network gets it wrong.
#[derive(Clone, Copy)]
struct PointCell {
    class: usize,
    /// A regression's point whose target is near the scale's middle (0): drawn in the
    /// neutral ink, neither side's.
    neutral: bool,
    test: bool,
    wrong: bool,
    /// Which half of the cell it is in (0 top, 1 bottom).
    half: usize,
    /// The Braille dots of all the cell's points: a train point lights the 2×2 dots of its
    /// half cell, a test point its part of a hollow 3×3 ring (without Braille in colour,
    /// two dots on a diagonal).
    dots: u8,
}

/// A traced level line, in Braille-dot coordinates of the field (x right, y down; dot
/// (i, j) covers [i, i+1)×[j, j+1)).
#[derive(Clone, Debug, PartialEq)]
pub struct Contour {
    pub points: Vec<(f64, f64)>,
    /// The line returns to its first point (false: it ends on the field's edge).
    pub closed: bool,
}

/// Marching squares: the zero level of `v` (a `gw`×`gh` grid, row-major, sample (x, y) at
/// dot coordinates (x + 0.5, y + 0.5)) as polylines, each followed from crossing to
/// crossing, so a line inside the grid always closes. Inside is `v > 0`; saddles are split
/// by the mean of their four corners.
pub fn trace_level(v: &[f32], gw: usize, gh: usize) -> Vec<Contour> {
    if gw < 2 || gh < 2 || v.len() < gw * gh {
        return Vec::new();
    }
    let at = |x: usize, y: usize| v[y * gw + x];
    let inside = |x: usize, y: usize| at(x, y) > 0.0;
    // Edges: horizontal (x, y)–(x+1, y) as 2·(y·gw + x), vertical (x, y)–(x, y+1) as that + 1.
    let h_edge = |x: usize, y: usize| 2 * (y * gw + x);
    let v_edge = |x: usize, y: usize| 2 * (y * gw + x) + 1;
    let crossing = |e: usize| -> (f64, f64) {
        let (k, vertical) = (e / 2, e % 2 == 1);
        let (x, y) = (k % gw, k / gw);
        let (x2, y2) = if vertical { (x, y + 1) } else { (x + 1, y) };
        let (a, b) = (at(x, y) as f64, at(x2, y2) as f64);
        let t = if (a - b).abs() > 1e-12 {
            (a / (a - b)).clamp(0.0, 1.0)
        } else {
            0.5
        };
        (
            x as f64 + 0.5 + t * (x2 as f64 - x as f64),
            y as f64 + 0.5 + t * (y2 as f64 - y as f64),
        )
    };
    // Each square's segments, as pairs of edges; and for each edge the segments ending there.
    let mut segs: Vec<[usize; 2]> = Vec::new();
    let mut ends: std::collections::HashMap<usize, Vec<usize>> = Default::default();
    for y in 0..gh - 1 {
        for x in 0..gw - 1 {
            let case = usize::from(inside(x, y))
                | usize::from(inside(x + 1, y)) << 1
                | usize::from(inside(x + 1, y + 1)) << 2
                | usize::from(inside(x, y + 1)) << 3;
            let (top, right, bottom, left) = (
                h_edge(x, y),
                v_edge(x + 1, y),
                h_edge(x, y + 1),
                v_edge(x, y),
            );
            let centre_in = (at(x, y) + at(x + 1, y) + at(x + 1, y + 1) + at(x, y + 1)) / 4.0 > 0.0;
            let pairs: &[[usize; 2]] = match case {
                0 | 15 => &[],
                1 | 14 => &[[left, top]],
                2 | 13 => &[[top, right]],
                3 | 12 => &[[left, right]],
                4 | 11 => &[[right, bottom]],
                6 | 9 => &[[top, bottom]],
                7 | 8 => &[[left, bottom]],
                // Saddles: the two inside corners joined through the middle, or kept apart.
                5 if centre_in => &[[left, bottom], [top, right]],
                5 => &[[left, top], [right, bottom]],
                10 if centre_in => &[[left, top], [right, bottom]],
                _ => &[[left, bottom], [top, right]],
            };
            for &p in pairs {
                let s = segs.len();
                segs.push(p);
                for e in p {
                    ends.entry(e).or_default().push(s);
                }
            }
        }
    }
    let mut used = vec![false; segs.len()];
    let mut out = Vec::new();
    // Open lines first, from an edge only one segment ends at, then the closed ones.
    let mut starts: Vec<usize> = (0..segs.len()).collect();
    starts.sort_by_key(|&s| {
        let lone = segs[s]
            .iter()
            .any(|e| ends.get(e).is_some_and(|l| l.len() == 1));
        !lone
    });
    for s0 in starts {
        if used[s0] {
            continue;
        }
        let [a, b] = segs[s0];
        // Start from the lone end when there is one.
        let (first, mut edge) = if ends.get(&b).is_some_and(|l| l.len() == 1) {
            (b, a)
        } else {
            (a, b)
        };
        used[s0] = true;
        let mut pts = vec![crossing(first), crossing(edge)];
        let mut closed = false;
        loop {
            if edge == first {
                closed = true;
                break;
            }
            let Some(&next) = ends.get(&edge).and_then(|l| l.iter().find(|&&s| !used[s])) else {
                break;
            };
            used[next] = true;
            let [p, q] = segs[next];
            edge = if p == edge { q } else { p };
            pts.push(crossing(edge));
        }
        out.push(Contour {
            points: pts,
            closed,
        });
    }
    out
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

/// The network's class probabilities at `points`, a row each.
fn predict(net: &Net, points: &[[f64; 2]], ws: &mut Workspace<f32>) -> Array2<f32> {
    if points.is_empty() {
        return Array2::zeros((0, net.arch.outputs.max(1)));
    }
    net.predict_points(points, ws).clone()
}

/// A regression's predicted values at `points`, as the probability-like value the field
/// draws: `data`'s [`Split::value_fraction`], its value scale mapped to [0, 1], the middle neutral.
fn regression_values(
    net: &Net,
    points: &[[f64; 2]],
    ws: &mut Workspace<f32>,
    data: &Split,
) -> Array2<f32> {
    if points.is_empty() {
        return Array2::zeros((0, 1));
    }
    let vals = net.values_of_points(points, ws);
    Array2::from_shape_fn((vals.len(), 1), |(i, _)| {
        data.value_fraction(vals[i]) as f32
    })
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
) -> Array2<f32> {
    if points.is_empty() {
        return Array2::zeros((0, 1));
    }
    let probs = net.predict_points(points, ws).clone();
    let (vals, act): (Vec<f32>, _) = if layer < net.arch.hidden.len() {
        let Some(a) = ws.layer(layer) else {
            return Array2::zeros((0, 1));
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
    Array2::from_shape_fn((vals.len(), 1), |(i, _)| {
        (((vals[i] - c) / sc).clamp(-1.0, 1.0) + 1.0) * 0.5
    })
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

/// The field sampled for drawing: each half cell (top and bottom, for half-block cells),
/// and the 2×4 Braille dots of the cells the boundary may cross.
struct Sampled {
    w: usize,
    h: usize,
    /// `w`×`2h`, row-major: half `(i, 2j)` is cell (i, j)'s top, `(i, 2j + 1)` its bottom.
    halves: Samples,
    /// Cells sampled at their 8 dots, in order (index `j·w + i`).
    refined: Vec<usize>,
    /// Their dots: cell `refined[k]`'s dot (dx, dy) at `8k + 2·dy + dx`.
    dots: Samples,
}

/// The field's values at the `gw`×`gh` grid of `point(i, j)`, evaluated on every other
/// column and row first; a point between four of those that agree on the class, all
/// confident, takes their bilinear mean (the network is smooth there and the shade is all
/// that shows), and every other point is evaluated. Where the boundary or an unsure band runs,
/// every point is the network's own; far from it, about a quarter are.
fn coarse_then_fine(
    gw: usize,
    gh: usize,
    point: impl Fn(usize, usize) -> [f64; 2],
    predict: &mut impl FnMut(&[[f64; 2]], &mut Workspace<f32>) -> Array2<f32>,
    ws: &mut Workspace<f32>,
) -> Array2<f32> {
    // Coarse columns 0, 2, 4, … and the last; the same for rows.
    let picks = |n: usize| -> Vec<usize> {
        let mut v: Vec<usize> = (0..n).step_by(2).collect();
        if n > 0 && v.last() != Some(&(n - 1)) {
            v.push(n - 1);
        }
        v
    };
    let (cols, rows) = (picks(gw), picks(gh));
    let coarse_pts: Vec<[f64; 2]> = rows
        .iter()
        .flat_map(|&j| cols.iter().map(move |&i| (i, j)))
        .map(|(i, j)| point(i, j))
        .collect();
    let coarse = predict(&coarse_pts, ws);
    let k = coarse.ncols();
    if coarse.nrows() != coarse_pts.len() || k == 0 {
        let all: Vec<[f64; 2]> = (0..gh)
            .flat_map(|j| (0..gw).map(move |i| (i, j)))
            .map(|(i, j)| point(i, j))
            .collect();
        return predict(&all, ws);
    }
    let cls = classify(&coarse);
    let cw = cols.len();
    let confident = LEVELS / 2;
    let mut out = Array2::<f32>::zeros((gw * gh, k));
    let mut exact: Vec<usize> = Vec::new();
    for j in 0..gh {
        // The coarse row at or above j, and the next one.
        let r0 = (j / 2).min(rows.len() - 1);
        let r1 = (r0 + 1).min(rows.len() - 1);
        for i in 0..gw {
            let c0 = (i / 2).min(cw - 1);
            let c1 = (c0 + 1).min(cw - 1);
            let idx = j * gw + i;
            if cols[c0] == i && rows[r0] == j {
                out.row_mut(idx).assign(&coarse.row(r0 * cw + c0));
                continue;
            }
            let corners = [r0 * cw + c0, r0 * cw + c1, r1 * cw + c0, r1 * cw + c1];
            let class = cls[corners[0]].0;
            if corners
                .iter()
                .all(|&c| cls[c].0 == class && cls[c].1 >= confident)
            {
                let span = |a: usize, b: usize, v: usize| {
                    if b > a {
                        (v - a) as f32 / (b - a) as f32
                    } else {
                        0.0
                    }
                };
                let (fx, fy) = (span(cols[c0], cols[c1], i), span(rows[r0], rows[r1], j));
                for c in 0..k {
                    let at = |n: usize| coarse[[corners[n], c]];
                    let top = at(0) * (1.0 - fx) + at(1) * fx;
                    let bottom = at(2) * (1.0 - fx) + at(3) * fx;
                    out[[idx, c]] = top * (1.0 - fy) + bottom * fy;
                }
            } else {
                exact.push(idx);
            }
        }
    }
    if !exact.is_empty() {
        let pts: Vec<[f64; 2]> = exact.iter().map(|&n| point(n % gw, n / gw)).collect();
        let fine = predict(&pts, ws);
        if fine.nrows() == pts.len() {
            for (r, &n) in exact.iter().enumerate() {
                out.row_mut(n).assign(&fine.row(r));
            }
        }
    }
    out
}

impl Sampled {
    /// `values`: a regression's data, whose value scale the field's predicted values are
    /// drawn on.
    fn take(
        net: &Net,
        frame: &Frame2d,
        of: FieldOf,
        refine: bool,
        values: Option<&Split>,
        ws: &mut Workspace<f32>,
    ) -> Sampled {
        let mut scale = None;
        let mut predict = |points: &[[f64; 2]], ws: &mut Workspace<f32>| match of {
            FieldOf::Output => match values {
                Some(data) => regression_values(net, points, ws, data),
                None => predict(net, points, ws),
            },
            FieldOf::Neuron { layer, index } => {
                neuron_values(net, (layer, index), points, ws, &mut scale)
            }
        };
        let (w, h) = (frame.w, frame.h);
        let half = |i: usize, jj: usize| {
            [
                frame.x[0] + (i as f64 + 0.5) / w as f64 * (frame.x[1] - frame.x[0]),
                frame.y[1] - (jj as f64 + 0.5) / (2 * h) as f64 * (frame.y[1] - frame.y[0]),
            ]
        };
        let halves = Samples::new(&coarse_then_fine(w, 2 * h, half, &mut predict, ws));
        let at = |i: usize, jj: usize| halves.cls[jj * w + i];
        // Cells the boundary may cross: unsure, or beside a half of another class.
        let mut refined = Vec::new();
        if refine && !halves.cls.is_empty() {
            for j in 0..h {
                for i in 0..w {
                    let (top, bottom) = (at(i, 2 * j), at(i, 2 * j + 1));
                    let c = top.0;
                    let differs = |i2: usize, jj: usize| at(i2, jj).0 != c;
                    let edge = top.1 <= 1
                        || bottom.1 <= 1
                        || bottom.0 != c
                        || (i > 0 && (differs(i - 1, 2 * j) || differs(i - 1, 2 * j + 1)))
                        || (i + 1 < w && (differs(i + 1, 2 * j) || differs(i + 1, 2 * j + 1)))
                        || (j > 0 && differs(i, 2 * j - 1))
                        || (j + 1 < h && differs(i, 2 * j + 2));
                    if edge {
                        refined.push(j * w + i);
                    }
                }
            }
        }
        let subs: Vec<[f64; 2]> = refined
            .iter()
            .flat_map(|&k| {
                let (i, j) = (k % w, k / w);
                (0..8).map(move |d| frame.sub_point(2 * i + d % 2, 4 * j + d / 2))
            })
            .collect();
        let dots = Samples::new(&predict(&subs, ws));
        Sampled {
            w,
            h,
            halves,
            refined,
            dots,
        }
    }

    /// Dot (sx, sy)'s sample: its own where its cell was refined, else its half cell's.
    fn dot(&self, sx: usize, sy: usize) -> (&Samples, usize) {
        let (i, j) = (sx / 2, sy / 4);
        match self.refined.binary_search(&(j * self.w + i)) {
            Ok(k) => (&self.dots, 8 * k + 2 * (sy % 4) + sx % 2),
            Err(_) => (&self.halves, (sy / 2) * self.w + i),
        }
    }

    /// The boundary: the zero level of each margin over the whole dot grid.
    fn contours(&self) -> Vec<Contour> {
        let (gw, gh) = (2 * self.w, 4 * self.h);
        let m = self.halves.margins;
        if self.halves.cls.is_empty() || m == 0 {
            return Vec::new();
        }
        let mut out = Vec::new();
        for c in 0..m {
            let mut v = vec![0f32; gw * gh];
            for sy in 0..gh {
                for sx in 0..gw {
                    let (s, k) = self.dot(sx, sy);
                    v[sy * gw + sx] = s.margin.get(k * m + c).copied().unwrap_or(0.0);
                }
            }
            out.extend(trace_level(&v, gw, gh));
        }
        out
    }
}

/// The traced boundary of `net` over `frame`: the 0.5 level (for several classes, where the
/// most likely class changes), in Braille-dot coordinates.
pub fn boundary(net: &Net, frame: &Frame2d) -> Vec<Contour> {
    if frame.w == 0 || frame.h == 0 {
        return Vec::new();
    }
    let mut ws = Workspace::default();
    Sampled::take(net, frame, FieldOf::Output, true, None, &mut ws).contours()
}

/// [`draw_field`] of the output or of one neuron.
///
/// Each cell not holding a point or the boundary is a half block `▀` (fg the top half's
/// shade, bg the bottom's; a space when both agree), so the field has twice the vertical
/// resolution. The boundary is traced at the 2×4 Braille dots and drawn as dots in a dark
/// neutral. Points are Braille marks (a 2×2 square for train, a diagonal pair for test) in
/// the ink of their class that stands out from the shade under them. In mono the field is
/// a dot density and the points are shapes, one per class (bold for train).
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
    let (w, h) = (frame.w, frame.h);
    if w == 0 || h == 0 {
        return;
    }
    let mono = !pal.colored();
    let mut ws = Workspace::default();
    // A regression's field is its predicted value on the two-class ramp; its points take
    // the side of their target.
    let regression = data.is_regression().then_some(data);
    let field = Sampled::take(
        net,
        frame,
        of,
        layers.boundary || (mono && layers.field),
        regression,
        &mut ws,
    );
    if field.halves.cls.len() < 2 * w * h {
        return;
    }
    let half = |i: usize, jj: usize| field.halves.cls[jj * w + i];

    // The boundary's dots, per cell (bits of its Braille glyph).
    let mut line_dots = vec![0u8; w * h];
    // A regression has no boundary (its zero level would wander over every flat zero).
    if layers.boundary && regression.is_none() {
        for c in field.contours() {
            for seg in c.points.windows(2) {
                super::braille::line(seg[0], seg[1], 2 * w as i64, 4 * h as i64, |sx, sy| {
                    line_dots[(sy / 4) * w + sx / 2] |= DOT[sx % 2][sy % 4]
                });
            }
        }
    }

    // Data points, per cell: the one on top. Test points are drawn first, as hollow rings of
    // dots where the field is Braille in colour, in a dark ink, and train points over them
    // as filled 2×2 squares in a light one: filled against hollow and light against dark,
    // as Playground outlines them white and black.
    let rings = !mono && pal.glyphs == Glyphs::Unicode;
    let (gx, gy) = (2 * w as i64, 4 * h as i64);
    let mut points: Vec<Option<PointCell>> = vec![None; w * h];
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
            let Some((sx, sy)) = frame.to_sub(*p) else {
                continue;
            };
            let (class, neutral) = match (regression, set.t.get(k)) {
                (Some(_), Some(&t)) => {
                    let f = data.value_fraction(t) as f32;
                    (usize::from(f > 0.5), (f - 0.5).abs() < 0.05)
                }
                _ => (y, false),
            };
            let wrong = predicted.get(k).is_some_and(|&c| c != y);
            let centre = (sy / 4) * w + sx / 2;
            let put = |points: &mut [Option<PointCell>], at: usize, half: usize, mark: u8| {
                let slot = &mut points[at];
                let dots = slot.map_or(0, |p| p.dots) | mark;
                *slot = Some(PointCell {
                    class,
                    neutral,
                    test,
                    wrong,
                    half,
                    dots,
                });
            };
            if test && rings {
                // A hollow ring of 8 dots around the point (it may span four cells), each
                // cell's shade taken from the half nearest the point.
                for dy in -1i64..=1 {
                    for dx in -1i64..=1 {
                        let (x, y) = (sx as i64 + dx, sy as i64 + dy);
                        if (dx, dy) == (0, 0) || x < 0 || y < 0 || x >= gx || y >= gy {
                            continue;
                        }
                        let (x, y) = (x as usize, y as usize);
                        let at = (y / 4) * w + x / 2;
                        let half = match (y / 4).cmp(&(sy / 4)) {
                            std::cmp::Ordering::Equal => (sy % 4) / 2,
                            std::cmp::Ordering::Less => 1,
                            std::cmp::Ordering::Greater => 0,
                        };
                        // A ring's dot joins the dots of another ring; train points come
                        // later and take the cells they fall in.
                        put(&mut points, at, half, DOT[x % 2][y % 4]);
                    }
                }
            } else {
                // A train point: the 2×2 dots of its half cell (a test point, where there
                // are no rings, two of them on a diagonal).
                let half = (sy % 4) / 2;
                let (a, b) = (DOT[0][2 * half], DOT[1][2 * half + 1]);
                let mark = if test {
                    a | b
                } else {
                    a | b | DOT[1][2 * half] | DOT[0][2 * half + 1]
                };
                // Train points on top: drawn under them, the rings of a dense test set
                // (the overfitting chapter's 1 900) turned the cloud into a dark mass and
                // hid the 100 points the network learns from. Where a train point takes a
                // ring's cell, the ring's other dots (dark ink) still say a test point is
                // there; `t` hides the train points and shows every ring whole.
                if !test && points[centre].is_some_and(|p| p.test) {
                    points[centre] = None;
                }
                put(&mut points, centre, half, mark);
            }
        }
    }

    for j in 0..h {
        for i in 0..w {
            let Some(cell) = buf.cell_mut((area.x + i as u16, area.y + j as u16)) else {
                continue;
            };
            let (top, bottom) = (half(i, 2 * j), half(i, 2 * j + 1));
            let shade = |s: (usize, usize, f32)| {
                if layers.field {
                    pal.shade(s.0, s.1)
                } else {
                    None
                }
            };
            let mut style = Style::default();
            let line = line_dots[j * w + i];
            // Where the boundary passes, it is drawn alone: a point there would hide it among
            // the points of a dense cloud (the line is what the eye follows).
            let pt = points[j * w + i].filter(|_| line == 0);
            if let Some(pt) = pt {
                // A point: on the shade of its half cell, in the ink of its class that
                // stands out from that shade; as Braille dots or, in mono and without
                // Braille, as its class's glyph.
                let under = if pt.half == 0 { top } else { bottom };
                let bg = shade(under);
                if let Some(bg) = bg {
                    style = style.bg(bg);
                }
                // In another class's region (past its first shades), the point in its own
                // class colour: a point on the wrong side says which class it is.
                let foreign = bg.is_some() && under.0 != pt.class && 2 * under.1 >= LEVELS;
                style = style.fg(if pt.wrong {
                    pal.warn()
                } else if pt.neutral {
                    pal.boundary()
                } else if foreign {
                    pal.point_on_other(pt.class, bg, pt.test)
                } else {
                    pal.point_on(pt.class, bg, pt.test)
                });
                if !pt.test {
                    style = style.add_modifier(Modifier::BOLD);
                }
                if mono && pt.wrong {
                    style = style.add_modifier(Modifier::REVERSED);
                }
                if mono || pal.glyphs != Glyphs::Unicode {
                    cell.set_char(pal.point_glyph(pt.class, pt.test));
                } else {
                    cell.set_char(braille(pt.dots));
                }
                cell.set_style(style);
                continue;
            }
            if line != 0 {
                // The boundary on the lighter (less sure) half's shade.
                let under = if top.1 <= bottom.1 { top } else { bottom };
                if let Some(bg) = shade(under) {
                    style = style.bg(bg);
                }
                cell.set_char(if pal.glyphs == Glyphs::Unicode {
                    braille(line)
                } else {
                    line_char(line)
                });
                cell.set_style(style.fg(pal.boundary()));
                continue;
            }
            if mono && pal.glyphs != Glyphs::Unicode {
                // No Braille: the density ramp, by P(class 1) of the cell's two halves.
                let ch = if layers.field {
                    let p = (top.2 + bottom.2) / 2.0;
                    DENSITY[((p * DENSITY.len() as f32) as usize).min(DENSITY.len() - 1)]
                } else {
                    ' '
                };
                cell.set_char(ch);
                cell.set_style(style);
                continue;
            }
            if mono {
                let mut bits = 0u8;
                if layers.field {
                    // Dot density: each dot lit where P(class 1) passes its threshold.
                    for dy in 0..4 {
                        for dx in 0..2 {
                            let (s, k) = field.dot(2 * i + dx, 4 * j + dy);
                            if s.cls.get(k).is_some_and(|c| c.2 > DITHER[dx][dy]) {
                                bits |= DOT[dx][dy];
                            }
                        }
                    }
                }
                if bits == 0 {
                    cell.set_symbol(" ");
                } else {
                    cell.set_char(braille(bits));
                }
                cell.set_style(style);
                continue;
            }
            // Two shades where the halves differ in class or by two steps or more; one where
            // they differ by a step of rounding (it would flicker, and cost bytes, for
            // nothing a reader can see).
            let split = top.0 != bottom.0 || top.1.abs_diff(bottom.1) >= 2;
            match (shade(top), shade(bottom)) {
                (Some(t), Some(b)) if t != b && split && pal.glyphs != Glyphs::Ascii => {
                    cell.set_char('▀');
                    cell.set_style(style.fg(t).bg(b));
                }
                (Some(t), _) => {
                    cell.set_symbol(" ");
                    cell.set_style(style.bg(t));
                }
                _ => {
                    cell.set_symbol(" ");
                    cell.set_style(style);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{self, Body};
    use crate::train::ClassifierRun;
    use crate::widgets::palette::ColorMode;

    /// Coarse first, fine where it matters: far from the boundary a quarter of the points are
    /// evaluated and the rest are their neighbours' mean; wherever the class changes or the
    /// field is unsure, every point is evaluated, so the boundary is the network's own.
    #[test]
    fn the_field_is_evaluated_in_full_only_near_the_boundary() {
        let (gw, gh) = (60, 40);
        let f = |p: [f64; 2]| 1.0 / (1.0 + (-(p[0] - 0.3 * p[1]) * 1.5).exp());
        let mut asked = 0;
        let mut predict = |pts: &[[f64; 2]], _: &mut Workspace<f32>| {
            asked += pts.len();
            Array2::from_shape_fn((pts.len(), 1), |(i, _)| f(pts[i]) as f32)
        };
        let point = |i: usize, j: usize| [i as f64 / 4.0 - 7.5, 5.0 - j as f64 / 4.0];
        let mut ws = Workspace::default();
        let out = coarse_then_fine(gw, gh, point, &mut predict, &mut ws);
        assert!(asked < gw * gh / 2, "{asked} of {} evaluated", gw * gh);
        let mut exact_near = 0;
        for j in 0..gh {
            for i in 0..gw {
                let (want, got) = (f(point(i, j)) as f32, out[[j * gw + i, 0]]);
                assert!((want - got).abs() < 0.03, "({i}, {j}): {want} vs {got}");
                // Unsure (within the lowest confidence levels): the network's own value.
                if (want - 0.5).abs() < 0.2 {
                    assert_eq!(want, got, "({i}, {j}) near the boundary");
                    exact_near += 1;
                }
            }
        }
        assert!(exact_near > gh, "{exact_near}");
    }

    #[test]
    fn a_level_inside_the_grid_is_traced_as_one_closed_line() {
        // A disc of radius 3 in a 12×10 grid: one line, closed, every point on the level.
        let (gw, gh) = (12, 10);
        let v: Vec<f32> = (0..gw * gh)
            .map(|k| {
                let (x, y) = ((k % gw) as f32 + 0.5 - 6.0, (k / gw) as f32 + 0.5 - 5.0);
                3.0 - (x * x + y * y).sqrt()
            })
            .collect();
        let lines = trace_level(&v, gw, gh);
        assert_eq!(lines.len(), 1);
        assert!(lines[0].closed);
        assert_eq!(lines[0].points.first(), lines[0].points.last());
        for &(x, y) in &lines[0].points {
            let r = ((x - 6.0).powi(2) + (y - 5.0).powi(2)).sqrt();
            assert!((r - 3.0).abs() < 0.35, "({x}, {y}) at r {r}");
        }
        // A level cut by the grid's edge is followed from edge to edge, not closed.
        let v: Vec<f32> = (0..gw * gh).map(|k| (k % gw) as f32 - 4.2).collect();
        let lines = trace_level(&v, gw, gh);
        assert_eq!(lines.len(), 1);
        assert!(!lines[0].closed);
        assert_eq!(lines[0].points.len(), gh);
    }

    /// The circles chapter (scenarios/02-circles.toml) trained to epoch 300.
    fn circles_at_300() -> ClassifierRun {
        let sc = scenario::load("circles").expect("bundled");
        let Body::Classifier(c) = sc.body else {
            panic!("circles is a classifier")
        };
        let mut run = ClassifierRun::new(c, sc.seed).expect("data");
        for _ in 0..300 {
            run.step_epoch();
        }
        run
    }

    #[test]
    fn the_boundary_around_the_circles_disc_closes() {
        let run = circles_at_300();
        let (vx, vy) = run.data.view();
        let frame = Frame2d::fit(vx, vy, 60, 30);
        let lines = boundary(&run.net, &frame);
        // A walk along the traced line around the inner disc returns to its start.
        let inner = lines
            .iter()
            .filter(|c| c.closed)
            .max_by_key(|c| c.points.len())
            .expect("a closed line");
        assert!(inner.points.len() > 40, "{} points", inner.points.len());
        assert_eq!(inner.points.first(), inner.points.last());
        // It goes around the origin: its winding number about the disc's centre is one.
        let (ox, oy) = (
            (0.0 - frame.x[0]) / (frame.x[1] - frame.x[0]) * 120.0,
            (frame.y[1] - 0.0) / (frame.y[1] - frame.y[0]) * 120.0,
        );
        let turn: f64 = inner
            .points
            .windows(2)
            .map(|s| {
                let a = (s[0].1 - oy).atan2(s[0].0 - ox);
                let b = (s[1].1 - oy).atan2(s[1].0 - ox);
                let mut d = b - a;
                while d > std::f64::consts::PI {
                    d -= 2.0 * std::f64::consts::PI;
                }
                while d < -std::f64::consts::PI {
                    d += 2.0 * std::f64::consts::PI;
                }
                d
            })
            .sum();
        assert!(
            (turn.abs() / std::f64::consts::TAU - 1.0).abs() < 1e-6,
            "turns {turn}"
        );

        // Drawn, with the points and the field off, the line's dots have no gaps: every dot
        // has at least two of its eight neighbours lit.
        let area = Rect::new(0, 0, 60, 30);
        let mut buf = Buffer::empty(area);
        let layers = Layers {
            field: false,
            train: false,
            test: false,
            ..Layers::default()
        };
        let pal = Palette::new(ColorMode::Truecolor);
        draw_field(&mut buf, area, &frame, &run.net, &run.data, layers, &pal);
        let lit = lit_dots(&buf, 60, 30);
        let dots: Vec<(usize, usize)> = (0..120 * 120)
            .filter(|&k| lit[k])
            .map(|k| (k % 120, k / 120))
            .collect();
        assert!(dots.len() > 60, "{} dots", dots.len());
        // (A line that leaves the field ends at its edge.)
        for &(x, y) in dots
            .iter()
            .filter(|&&(x, y)| x > 0 && y > 0 && x < 119 && y < 119)
        {
            let n = (-1i64..=1)
                .flat_map(|dy| (-1i64..=1).map(move |dx| (dx, dy)))
                .filter(|&(dx, dy)| (dx, dy) != (0, 0))
                .filter(|&(dx, dy)| {
                    let (nx, ny) = (x as i64 + dx, y as i64 + dy);
                    (0..120).contains(&nx)
                        && (0..120).contains(&ny)
                        && lit[ny as usize * 120 + nx as usize]
                })
                .count();
            assert!(n >= 2, "dot ({x}, {y}) is an end: a gap in the line");
        }
    }

    /// The Braille dots lit in a `w`×`h` buffer, as a `2w`×`4h` raster.
    fn lit_dots(buf: &Buffer, w: usize, h: usize) -> Vec<bool> {
        let mut lit = vec![false; 2 * w * 4 * h];
        for y in 0..h {
            for x in 0..w {
                let c = buf[(x as u16, y as u16)]
                    .symbol()
                    .chars()
                    .next()
                    .unwrap_or(' ') as u32;
                let bits = if (0x2800..0x2900).contains(&c) {
                    (c - 0x2800) as u8
                } else {
                    0
                };
                for (dx, col) in DOT.iter().enumerate() {
                    for (dy, &bit) in col.iter().enumerate() {
                        if bits & bit != 0 {
                            lit[(4 * y + dy) * 2 * w + 2 * x + dx] = true;
                        }
                    }
                }
            }
        }
        lit
    }

    /// How many 3×3 windows of the raster are hollow rings: eight dots lit round an unlit one.
    fn rings(lit: &[bool], gw: usize, gh: usize) -> usize {
        let at = |x: usize, y: usize| lit[y * gw + x];
        (1..gh - 1)
            .flat_map(|y| (1..gw - 1).map(move |x| (x, y)))
            .filter(|&(x, y)| {
                !at(x, y)
                    && (0..3)
                        .all(|dy| (0..3).all(|dx| (dx, dy) == (1, 1) || at(x + dx - 1, y + dy - 1)))
            })
            .count()
    }

    #[test]
    fn test_points_are_hollow_rings_and_train_points_filled_squares() {
        let run = circles_at_300();
        let (vx, vy) = run.data.view();
        let (w, h) = (60, 30);
        let frame = Frame2d::fit(vx, vy, w, h);
        let area = Rect::new(0, 0, w as u16, h as u16);
        let pal = Palette::new(ColorMode::Ansi256);
        let draw_on = |field: bool, train: bool, test: bool| {
            let layers = Layers {
                field,
                boundary: false,
                train,
                test,
                ..Layers::default()
            };
            let mut buf = Buffer::empty(area);
            draw_field(&mut buf, area, &frame, &run.net, &run.data, layers, &pal);
            buf
        };
        let draw = |train: bool, test: bool| draw_on(false, train, test);
        let only =
            |train: bool, test: bool| rings(&lit_dots(&draw(train, test), w, h), 2 * w, 4 * h);
        // The 200 test points alone: many whole rings (where two overlap, a ring may fill).
        let test = only(false, true);
        assert!(test > 40, "{test} rings");
        // The train points alone, 2×2 squares in half cells, never make one.
        assert_eq!(only(true, false), 0);
        // Both: a train point takes its cell whole, its square in the light ink, not merged
        // with a ring's dots into a blot; the rings keep their other cells, in the dark ink.
        let squares = |buf: &Buffer| {
            buf.content
                .iter()
                .filter(|c| matches!(c.symbol(), "⠛" | "⣤" | "⣿"))
                .count()
        };
        let (alone, both) = (squares(&draw(true, false)), squares(&draw(true, true)));
        assert!(
            both * 100 >= alone * 97,
            "{both} squares of {alone} with the test points"
        );
        let lightness = |c: ratatui::style::Color| {
            crate::widgets::palette::shown_rgb(c)
                .map_or(0.0, |c| crate::widgets::palette::lab(c)[0])
        };
        // Over the field (the inks are chosen against it).
        let buf = draw_on(true, true, true);
        let ink = |square: bool| {
            let l: Vec<f64> = buf
                .content
                .iter()
                .filter(|c| {
                    let braille = c
                        .symbol()
                        .chars()
                        .all(|ch| ('\u{2801}'..='\u{28ff}').contains(&ch));
                    braille && matches!(c.symbol(), "⠛" | "⣤" | "⣿") == square
                })
                .map(|c| lightness(c.fg))
                .collect();
            l.iter().sum::<f64>() / l.len().max(1) as f64
        };
        assert!(
            ink(true) > ink(false) + 20.0,
            "train L* {:.0}, test {:.0}",
            ink(true),
            ink(false)
        );
    }
}
