//! What every chart shares: the epoch window it spans ([`ChartSpan`], stepped by `z`/`Z`),
//! round axis ends, and y ranges on a coarse grid so axes stay put between frames.

use super::braille::{DOT, braille, line};
use super::format::group;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};

/// The chart windows `z` and `Z` step through, in epochs; past the widest comes the whole run.
/// The widest fits in the history's full-resolution part (4096 epochs).
pub const WINDOWS: [usize; 7] = [50, 100, 250, 500, 1000, 2000, 4000];

/// The smallest 1, 2 or 5 × 10^k at least `v` (and at least 10).
pub fn nice_ceil(v: f64) -> f64 {
    let v = v.max(10.0);
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|&c| c >= v)
        .unwrap_or(10.0 * p)
}

/// What the loss and accuracy charts span: the whole run, or a window of the last epochs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChartSpan {
    pub whole: bool,
    /// Epochs in the window (one of `WINDOWS`).
    pub window: usize,
}

impl Default for ChartSpan {
    fn default() -> Self {
        ChartSpan {
            whole: true,
            window: 500,
        }
    }
}

impl ChartSpan {
    /// The epochs shown, `(first, last)`: the whole run out to a round number, or the window,
    /// which jumps ahead a fifth of its width at a time so that between jumps only the newest
    /// points change on screen (cheap over SSH).
    pub fn epochs(self, last: usize) -> (usize, usize) {
        if self.whole {
            (0, nice_ceil(last as f64) as usize)
        } else {
            let step = (self.window / 5).max(1);
            let end = (last.div_ceil(step).max(1) * step).max(self.window);
            (end - self.window, end)
        }
    }

    pub fn toggle_whole(&mut self) {
        self.whole = !self.whole;
    }

    /// `z` (in) narrows the window, from the whole run to the widest window narrower than
    /// it; `Z` (out) widens it, and once a window would span the whole run so far, shows the
    /// whole run. `last` is the newest epoch.
    /// Returns whether the span changed (false at either end).
    pub fn zoom(&mut self, inward: bool, last: usize) -> bool {
        let before = *self;
        let whole_end = ChartSpan {
            whole: true,
            ..*self
        }
        .epochs(last)
        .1;
        if inward {
            let limit = if self.whole { whole_end } else { self.window };
            if let Some(&w) = WINDOWS.iter().rev().find(|&&w| w < limit) {
                self.whole = false;
                self.window = w;
            }
        } else if !self.whole {
            match WINDOWS.iter().find(|&&w| w > self.window) {
                Some(&w) if w < whole_end => self.window = w,
                _ => self.whole = true,
            }
        }
        *self != before
    }

    /// The span alone, without the key hints (where a smoothing label needs the room).
    pub fn short_label(self) -> String {
        if self.whole {
            " whole run ".into()
        } else {
            format!(" last {} epochs ", group(self.window))
        }
    }

    /// The charts' bottom label.
    pub fn label(self) -> String {
        if self.whole {
            " whole run (w: last epochs · z zooms) ".into()
        } else {
            format!(
                " last {} epochs (w: whole run · z/Z zoom) ",
                group(self.window)
            )
        }
    }
}

/// A chart's y range from its data's, on a coarse grid so that the axes (and every point
/// drawn against them) stay put from frame to frame: accuracy in steps of 0.05 up to 1, log
/// loss in whole decades, linear loss from 0 to a round number.
pub fn y_bounds(lo: f64, hi: f64, accuracy: bool, log: bool) -> (f64, f64) {
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    if accuracy {
        ((((lo - 0.01) * 20.0).floor() / 20.0).clamp(0.0, 0.95), 1.0)
    } else if log {
        // [`log_scale`] snaps a log range to its own grid.
        (lo, hi)
    } else {
        (
            0.0,
            if hi > 0.0 {
                nice_ceil(hi * 1e6) / 1e6
            } else {
                1.0
            },
        )
    }
}

/// How a series' line is drawn: solid, or broken in a pattern (the faint raw series under
/// a smoothed one). Runs side by side are told apart by their marks ([`run_mark`]): on a
/// noisy line a dash pattern only reads as more noise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dash {
    Solid,
    Dashed,
    Dotted,
    DashDot,
}

impl Dash {
    /// Whether the `k`th dot along the line is drawn.
    fn on(self, k: usize) -> bool {
        match self {
            Dash::Solid => true,
            Dash::Dashed => k % 7 < 4,
            Dash::Dotted => k.is_multiple_of(3),
            Dash::DashDot => matches!(k % 10, 0..=4 | 7),
        }
    }
}

/// The marks that tell runs side by side apart where colour cannot (mono, or two runs whose
/// noisy lines cross every few epochs): one glyph per run, drawn on its line every few
/// columns (ASCII `o ^ * x * v + o` where Unicode is not shown).
pub const RUN_MARKS: [char; 8] = ['○', '▲', '■', '×', '◆', '▼', '+', '□'];

/// The `i`th run's mark.
pub fn run_mark(i: usize) -> char {
    RUN_MARKS[i % RUN_MARKS.len()]
}

/// The `i`th run's line as its legend draws it: a solid line with its mark in the middle.
pub fn run_sample(i: usize) -> String {
    format!("━{}━", run_mark(i))
}

/// The columns between two marks of one series.
const MARK_EVERY: usize = 8;

/// One series of a [`Plot`].
#[derive(Clone, Copy, Debug)]
pub struct Trace<'a> {
    pub points: &'a [(f64, f64)],
    pub color: Color,
    pub modifier: Modifier,
    pub dash: Dash,
    /// Each point a dot of its own, not joined (a scatter of raw data under its averages).
    pub scatter: bool,
    /// A glyph drawn on the line every few columns, over every line: what tells this series
    /// apart in mono, and keeps it visible where another series runs over it.
    pub marker: Option<char>,
}

impl<'a> Trace<'a> {
    pub fn new(points: &'a [(f64, f64)], color: Color) -> Self {
        Trace {
            points,
            color,
            modifier: Modifier::empty(),
            dash: Dash::Solid,
            scatter: false,
            marker: None,
        }
    }

    /// A mark on the line every few columns.
    pub fn marker(self, marker: char) -> Self {
        Trace {
            marker: Some(marker),
            ..self
        }
    }

    /// The points as dots, not joined.
    pub fn scatter(self) -> Self {
        Trace {
            scatter: true,
            ..self
        }
    }

    pub fn dash(self, dash: Dash) -> Self {
        Trace { dash, ..self }
    }

    pub fn modifier(self, modifier: Modifier) -> Self {
        Trace { modifier, ..self }
    }
}

/// A line chart on a Braille grid: y tick labels down the left, epoch labels along the
/// bottom, the series drawn in order (the last on top; where several pass through the same
/// cells, they take turns column by column, each in its own colour), an optional cursor column.
#[derive(Clone, Debug)]
pub struct Plot<'a> {
    pub x: (f64, f64),
    pub y: (f64, f64),
    pub y_ticks: Vec<(f64, String)>,
    /// Epoch labels; empty: the ends and round epochs between, as many as fit.
    pub x_ticks: Vec<(f64, String)>,
    pub traces: Vec<Trace<'a>>,
    pub cursor: Option<f64>,
    pub axis: Style,
}

impl<'a> Plot<'a> {
    /// A plot over `x` on the scale `(y range, y ticks)` (from [`linear_scale`] or
    /// [`log_scale`]), epoch labels chosen to fit, no cursor, the axes in `axis`.
    pub fn new(
        x: (f64, f64),
        (y, y_ticks): ((f64, f64), Vec<(f64, String)>),
        traces: Vec<Trace<'a>>,
        axis: Color,
    ) -> Self {
        Plot {
            x,
            y,
            y_ticks,
            x_ticks: Vec::new(),
            traces,
            cursor: None,
            axis: Style::default().fg(axis),
        }
    }

    /// Draws into `area` (inside the panel's border).
    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let label_w = self
            .y_ticks
            .iter()
            .map(|t| t.1.chars().count())
            .max()
            .unwrap_or(0) as u16;
        if area.width < label_w + 4 || area.height < 2 {
            return;
        }
        let plot = Rect::new(
            area.x + label_w + 1,
            area.y,
            area.width - label_w - 1,
            area.height - 1,
        );
        let (pw, ph) = (plot.width as usize, plot.height as usize);
        let (gw, gh) = (2 * pw, 4 * ph);
        let (x0, x1) = self.x;
        let (y0, y1) = self.y;
        let sx = |x: f64| (x - x0) / (x1 - x0).max(1e-300) * (gw - 1) as f64 + 0.5;
        let sy = |y: f64| (y1 - y) / (y1 - y0).max(1e-300) * (gh - 1) as f64 + 0.5;
        let row_of = |y: f64| (sy(y).floor().clamp(0.0, (gh - 1) as f64) as usize) / 4;

        // Left axis with a tick at each labelled value.
        let rows = thin_rows(&self.y_ticks, ph, row_of);
        for r in 0..ph {
            let tick = rows.iter().find(|(row, _)| *row == r);
            let y = plot.y + r as u16;
            buf.set_string(
                area.x + label_w,
                y,
                if tick.is_some() { "┤" } else { "│" },
                self.axis,
            );
            if let Some((_, label)) = tick {
                let w = label.chars().count() as u16;
                buf.set_string(area.x + label_w - w, y, label, self.axis);
            }
        }
        buf.set_string(area.x + label_w, plot.y + plot.height, "└", self.axis);

        // Epoch labels along the bottom row, none overlapping.
        let x_ticks = if self.x_ticks.is_empty() {
            epoch_ticks(self.x, pw)
        } else {
            self.x_ticks.clone()
        };
        let mut free = plot.x;
        let bottom = plot.y + plot.height;
        let n = x_ticks.len();
        for (i, (v, label)) in x_ticks.iter().enumerate() {
            let w = label.chars().count() as u16;
            let col = plot.x + (sx(*v).floor().max(0.0) as u16 / 2).min(plot.width - 1);
            // The last label ends at the right edge; the others centre on their epoch.
            let start = if i + 1 == n && n > 1 {
                (plot.x + plot.width).saturating_sub(w)
            } else {
                col.saturating_sub(w / 2).max(plot.x)
            };
            if start < free || start + w > plot.x + plot.width {
                continue;
            }
            buf.set_string(start, bottom, label, self.axis);
            free = start + w + 2;
        }

        // Series into Braille grids, one per trace (the cursor first, under everything).
        let cursor_pts;
        let mut traces: Vec<Trace<'_>> = Vec::new();
        if let Some(c) = self.cursor {
            cursor_pts = [(c, y0), (c, y1)];
            traces.push(Trace::new(
                &cursor_pts,
                self.axis.fg.unwrap_or(Color::Reset),
            ));
        }
        traces.extend(self.traces.iter().copied());
        // Each trace's points on the dot grid, and the dots its line lights, per cell.
        let screen: Vec<Vec<(f64, f64)>> = traces
            .iter()
            .map(|t| {
                t.points
                    .iter()
                    .filter(|p| p.0.is_finite() && p.1.is_finite())
                    .map(|&(x, y)| (sx(x), sy(y)))
                    .collect()
            })
            .collect();
        let grids: Vec<Vec<u8>> = traces
            .iter()
            .zip(&screen)
            .map(|(t, pts)| {
                let mut g = vec![0u8; pw * ph];
                let mut k = 0usize;
                let mut put = |x: usize, y: usize| {
                    if t.dash.on(k) {
                        g[(y / 4) * pw + x / 2] |= DOT[x % 2][y % 4];
                    }
                    k += 1;
                };
                if t.scatter {
                    for p in pts {
                        line(*p, *p, gw as i64, gh as i64, &mut put);
                    }
                } else {
                    if let [only] = pts.as_slice() {
                        line(*only, *only, gw as i64, gh as i64, &mut put);
                    }
                    for w in pts.windows(2) {
                        line(w[0], w[1], gw as i64, gh as i64, &mut put);
                    }
                }
                g
            })
            .collect();
        for j in 0..ph {
            for i in 0..pw {
                let at = j * pw + i;
                // Where several series pass through a cell, the cell shows all their dots
                // (every line whole, no gaps) in the colour of one of them, taking turns
                // column by column (the top series in the first): along a stretch two lines
                // share, the colours alternate, so the one under stays visible; its marks,
                // drawn over every line, say which it is.
                let passing = (0..traces.len()).rev().filter(|&t| grids[t][at] != 0);
                let n = passing.clone().count();
                let Some(top) = passing.clone().nth(i % n.max(1)) else {
                    continue;
                };
                let dots = passing.fold(0u8, |d, t| d | grids[t][at]);
                if let Some(cell) = buf.cell_mut((plot.x + i as u16, plot.y + j as u16)) {
                    let t = &traces[top];
                    cell.set_char(braille(dots));
                    cell.set_fg(t.color);
                    cell.modifier.insert(t.modifier);
                }
            }
        }
        // The marks, every few columns along each marked series, staggered so that two
        // series' marks never share a column.
        let marked: Vec<usize> = (0..traces.len())
            .filter(|&t| traces[t].marker.is_some())
            .collect();
        for (slot, &t) in marked.iter().enumerate() {
            let (tr, pts) = (&traces[t], &screen[t]);
            let Some(mark) = tr.marker else { continue };
            let phase = 2 + slot * MARK_EVERY / marked.len().max(1);
            for i in (phase..pw).step_by(MARK_EVERY) {
                let Some(y) = y_at(pts, 2.0 * i as f64 + 1.0, tr.scatter) else {
                    continue;
                };
                let row = (y.floor().clamp(0.0, (gh - 1) as f64) as usize) / 4;
                if let Some(cell) = buf.cell_mut((plot.x + i as u16, plot.y + row as u16)) {
                    cell.set_char(mark);
                    cell.set_fg(tr.color);
                    cell.modifier.insert(tr.modifier);
                }
            }
        }
    }
}

/// Where a line through `pts` (on the dot grid, x rising) crosses the column at `x`: the
/// value between its two neighbours; for a scatter, the nearest point within a cell.
fn y_at(pts: &[(f64, f64)], x: f64, scatter: bool) -> Option<f64> {
    if scatter {
        return pts
            .iter()
            .filter(|p| (p.0 - x).abs() <= 1.0)
            .min_by(|a, b| (a.0 - x).abs().total_cmp(&(b.0 - x).abs()))
            .map(|p| p.1);
    }
    let k = pts.partition_point(|p| p.0 < x);
    match (k.checked_sub(1).and_then(|j| pts.get(j)), pts.get(k)) {
        (Some(a), Some(b)) if b.0 > a.0 => Some(a.1 + (b.1 - a.1) * (x - a.0) / (b.0 - a.0)),
        (_, Some(b)) if (b.0 - x).abs() <= 1.0 => Some(b.1),
        (Some(a), _) if (a.0 - x).abs() <= 1.0 => Some(a.1),
        _ => None,
    }
}

/// The ticks' rows, thinned (every other one dropped, ends kept first) until no two share a
/// row.
fn thin_rows(
    ticks: &[(f64, String)],
    rows: usize,
    row_of: impl Fn(f64) -> usize,
) -> Vec<(usize, String)> {
    let mut keep: Vec<(usize, String)> =
        ticks.iter().map(|(v, l)| (row_of(*v), l.clone())).collect();
    let clash = |k: &[(usize, String)]| k.windows(2).any(|w| w[0].0.abs_diff(w[1].0) < 1);
    while keep.len() > 2 && (clash(&keep) || keep.len() > rows.max(2)) {
        let last = keep.len() - 1;
        keep = keep
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % 2 == 0 || *i == last)
            .map(|(_, t)| t)
            .collect();
        if keep.len() >= 2 && keep[keep.len() - 2].0.abs_diff(keep[keep.len() - 1].0) < 1 {
            let n = keep.len();
            keep.remove(n - 2);
        }
    }
    keep
}

/// Round epochs from `x.0` to `x.1`, as many as fit in `cols` columns with room between.
pub fn epoch_ticks(x: (f64, f64), cols: usize) -> Vec<(f64, String)> {
    let span = (x.1 - x.0).max(1.0);
    let widest = group(x.1.max(0.0) as usize).chars().count() + 3;
    let fit = (cols / widest.max(1)).clamp(1, 8) as f64;
    let step = nice_step(span / fit, span / fit);
    let step = step.max(1.0);
    let mut out = Vec::new();
    let mut v = (x.0 / step).ceil() * step;
    while v <= x.1 + step * 1e-9 {
        out.push((v, group(v.round() as usize)));
        v += step;
    }
    if out.first().is_none_or(|t| t.0 > x.0) {
        out.insert(0, (x.0, group(x.0.max(0.0) as usize)));
    }
    out
}

/// The smallest 1, 2, 2.5 or 5 × 10^k at least `v` (`_min` is the step the caller needs at
/// least: both are the same here, kept apart for readability at the call sites).
fn nice_step(v: f64, _min: f64) -> f64 {
    let v = v.abs().max(1e-300);
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|&c| c >= v * (1.0 - 1e-12))
        .unwrap_or(10.0 * p)
}

/// A round linear scale over `lo..hi`: the range widened to whole steps of 1, 2, 2.5 or 5 ×
/// 10^k, the widest step that still gives at least 4 ticks (fewer only when `rows` cannot
/// hold 4). Returns the range and the ticks, labelled with as many decimals as the step needs.
pub fn linear_scale(lo: f64, hi: f64, rows: usize) -> ((f64, f64), Vec<(f64, String)>) {
    let (lo, hi) = if lo.is_finite() && hi.is_finite() && hi > lo {
        (lo, hi)
    } else if lo.is_finite() {
        (lo - 1.0, lo + 1.0)
    } else {
        (0.0, 1.0)
    };
    let want = rows.clamp(2, 4) as f64;
    // The widest step with at least `want` ticks: start from span / (want - 1) and go down.
    let mut step = nice_step((hi - lo) / (want - 1.0), 0.0);
    let count = |s: f64| ((hi / s - 1e-9).ceil() - (lo / s + 1e-9).floor()) as i64 + 1;
    for _ in 0..8 {
        if count(step) >= want as i64 {
            break;
        }
        step = nice_step(step * 0.999 / 2.0, 0.0).min(step * 0.5);
    }
    // Multiples of the step, rounded to 12 significant digits (17 × 0.05 is 0.8500000000000001).
    let snap = |v: f64| format!("{v:.11e}").parse::<f64>().unwrap_or(v);
    let ka = (lo / step + 1e-9).floor();
    let kb = (hi / step - 1e-9).ceil();
    let (a, b) = (snap(ka * step), snap(kb * step));
    let n = (kb - ka).max(0.0) as usize;
    let ticks = (0..=n.min(50))
        .map(|i| {
            let v = snap((ka + i as f64) * step);
            (v, tick_label(v, step))
        })
        .collect();
    ((a, b), ticks)
}

/// A log scale over log10 values `lo..hi`, its ends snapped to a grid as fine as the range
/// needs (so the data fills the height and the axes stay put between frames): whole decades
/// over 3 decades or more, 1-2-5 over 0.6 decades or more, 1, 2 … 9 below (widened until it
/// holds 4 ticks). The ticks are the grid's values (`0.05`, `1e-6`), at least 4.
pub fn log_scale(lo: f64, hi: f64) -> ((f64, f64), Vec<(f64, String)>) {
    let (lo, hi) = if lo.is_finite() && hi.is_finite() {
        (lo.min(hi), lo.max(hi))
    } else {
        (-2.0, 0.0)
    };
    let span = hi - lo;
    let mults: &[f64] = if span >= 3.0 {
        &[1.0]
    } else if span >= 0.6 {
        &[1.0, 2.0, 5.0]
    } else {
        &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]
    };
    // The grid's values as log10, from a decade below `lo` to one above `hi`.
    let grid: Vec<f64> = ((lo.floor() as i64 - 1)..=(hi.ceil() as i64 + 1))
        .flat_map(|d| mults.iter().map(move |m| m.log10() + d as f64))
        .collect();
    let eps = 1e-9;
    let mut ia = grid.iter().rposition(|&g| g <= lo + eps).unwrap_or(0);
    let mut ib = grid
        .iter()
        .position(|&g| g >= hi - eps)
        .unwrap_or(grid.len() - 1)
        .max(ia + 1)
        .min(grid.len() - 1);
    // At least 4 ticks: widen, the top first (a loss falls towards the bottom).
    while ib - ia < 3 {
        if ib + 1 < grid.len() {
            ib += 1;
        } else if ia > 0 {
            ia -= 1;
        } else {
            break;
        }
    }
    let mut ticks: Vec<(f64, String)> = grid[ia..=ib]
        .iter()
        .map(|&g| (g, value_label(10f64.powf(g))))
        .collect();
    // Very many: every other, ends kept.
    while ticks.len() > 8 {
        let last = ticks.len() - 1;
        ticks = ticks
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % 2 == 0 || *i == last)
            .map(|(_, t)| t)
            .collect();
    }
    ((grid[ia], grid[ib]), ticks)
}

/// A value on a log axis: plain when short (`0.05`, `20`), else `2e-5`.
fn value_label(v: f64) -> String {
    if (1e-3..1e5).contains(&v.abs()) {
        let s = format!("{v:.3}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        s.to_string()
    } else {
        let e = v.abs().log10().floor();
        let m = (v / 10f64.powf(e)).round();
        format!("{m}e{e}")
    }
}

/// A tick on a linear axis with as many decimals as the step has.
fn tick_label(v: f64, step: f64) -> String {
    let v = if v.abs() < step * 1e-6 { 0.0 } else { v };
    if v != 0.0 && (v.abs() >= 1e6 || step < 1e-4) {
        return format!("{v:.1e}");
    }
    let mut decimals = 0usize;
    while decimals < 6
        && ((step * 10f64.powi(decimals as i32)).round() - step * 10f64.powi(decimals as i32)).abs()
            > 1e-6
    {
        decimals += 1;
    }
    format!("{v:.decimals$}")
}

/// A symmetric log: `sign(v) · log10(1 + |v|)`, linear near 0, logarithmic far from it, so
/// values from −1e12 to 1e3 share one readable axis.
pub fn symlog(v: f64) -> f64 {
    v.signum() * v.abs().ln_1p() / std::f64::consts::LN_10
}

/// A scale over symlog values `lo..hi` (the ends widened to whole units): ticks at 0 and at
/// ±1, ±10, ±100 … inside it (every other one when there are many), labelled as the values.
pub fn symlog_scale(lo: f64, hi: f64) -> ((f64, f64), Vec<(f64, String)>) {
    let (lo, hi) = if lo.is_finite() && hi.is_finite() && hi > lo {
        (lo, hi)
    } else if lo.is_finite() {
        (lo - 1.0, lo + 1.0)
    } else {
        (-1.0, 1.0)
    };
    let (a, b) = (lo.floor(), hi.ceil());
    let mut ticks: Vec<(f64, String)> = Vec::new();
    for j in (0..=308).rev() {
        let v = -(10f64.powi(j));
        if (a..=b).contains(&symlog(v)) {
            ticks.push((symlog(v), signed_value_label(v)));
        }
    }
    if (a..=b).contains(&0.0) {
        ticks.push((0.0, "0".into()));
    }
    for j in 0..=308 {
        let v = 10f64.powi(j);
        if (a..=b).contains(&symlog(v)) {
            ticks.push((symlog(v), signed_value_label(v)));
        }
    }
    while ticks.len() > 8 {
        let last = ticks.len() - 1;
        ticks = ticks
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % 2 == 0 || *i == last)
            .map(|(_, t)| t)
            .collect();
    }
    ((a, b), ticks)
}

fn signed_value_label(v: f64) -> String {
    let l = value_label(v.abs());
    if v < 0.0 { format!("-{l}") } else { l }
}

#[cfg(test)]
mod plot_tests {
    use super::*;

    fn values(t: &[(f64, String)]) -> Vec<String> {
        t.iter().map(|t| t.1.clone()).collect()
    }

    #[test]
    fn linear_scales_are_round_with_at_least_four_ticks() {
        let ((a, b), t) = linear_scale(0.0, 0.73, 12);
        assert_eq!((a, b), (0.0, 0.75));
        assert_eq!(values(&t), ["0.00", "0.25", "0.50", "0.75"]);
        let ((a, b), t) = linear_scale(0.85, 1.0, 12);
        assert_eq!((a, b), (0.85, 1.0));
        assert_eq!(values(&t), ["0.85", "0.90", "0.95", "1.00"]);
        let (_, t) = linear_scale(0.0, 1.0, 12);
        assert!(t.len() >= 4, "{t:?}");
        let (_, t) = linear_scale(-7.3e11, 2.0e11, 12);
        assert!(t.len() >= 4 && t.len() <= 12, "{t:?}");
        // Whatever the range, at least 4 ticks, each label distinct.
        for (lo, hi) in [(0.0, 0.013), (3.0, 1234.5), (0.5, 0.51), (-1.0, 1.0)] {
            let (_, t) = linear_scale(lo, hi, 12);
            let v = values(&t);
            assert!(v.len() >= 4, "{lo}..{hi}: {v:?}");
            let set: std::collections::HashSet<_> = v.iter().collect();
            assert_eq!(set.len(), v.len(), "{v:?}");
        }
    }

    #[test]
    fn log_scales_have_at_least_four_ticks() {
        // 0.025 .. 0.126 (0.7 decades): on the 1-2-5 grid.
        let ((a, b), t) = log_scale(-1.6, -0.9);
        assert!((a - 0.02f64.log10()).abs() < 1e-12 && (b - 0.2f64.log10()).abs() < 1e-12);
        assert_eq!(values(&t), ["0.02", "0.05", "0.1", "0.2"]);
        // 0.032 .. 0.063 (0.3 decades): 1, 2 … 9, the data filling most of the height.
        let (_, t) = log_scale(-1.5, -1.2);
        assert_eq!(values(&t), ["0.03", "0.04", "0.05", "0.06", "0.07"]);
        // The overfitting chapter's losses, 0.28 .. 0.62: 0.2 .. 0.7, not 0.1 .. 1.
        let ((a, b), t) = log_scale(0.28f64.log10(), 0.62f64.log10());
        assert_eq!(values(&t), ["0.2", "0.3", "0.4", "0.5", "0.6", "0.7"]);
        assert!((b - a - (0.7f64 / 0.2).log10()).abs() < 1e-12);
        // A very narrow range widens to 4 ticks.
        let (_, t) = log_scale(0.0141f64.log10(), 0.0146f64.log10());
        assert_eq!(values(&t), ["0.01", "0.02", "0.03", "0.04"]);
        let (_, t) = log_scale(-9.0, 0.0);
        assert!(t.len() >= 4 && t.len() <= 8, "{t:?}");
        assert!(values(&t).contains(&"1e-9".to_string()), "{t:?}");
        // The ends are always ticks, and every tick inside the range.
        for (lo, hi) in [(-3.2, -0.1), (-0.5, 0.4), (-12.0, 3.0), (1.0, 1.0)] {
            let ((a, b), t) = log_scale(lo, hi);
            assert!(a <= lo + 1e-9 && b >= hi - 1e-9, "{lo}..{hi}: {a}..{b}");
            assert!(t.len() >= 4, "{lo}..{hi}: {t:?}");
            assert!(t.iter().all(|x| x.0 >= a - 1e-9 && x.0 <= b + 1e-9));
        }
    }

    #[test]
    fn the_series_under_another_shows_through_it() {
        // Train just below test, in the same row of cells: every cell shows both lines'
        // dots (the top dot row for test, ⠉, and the second for train, ⠒: ⠛), its colour
        // alternating column by column between the two series, and no cell gets a
        // background.
        let a = [(0.0, 0.45), (10.0, 0.45)];
        let b = [(0.0, 0.5), (10.0, 0.5)];
        let plot = Plot {
            x: (0.0, 10.0),
            y: (0.0, 1.0),
            y_ticks: linear_scale(0.0, 1.0, 8).1,
            x_ticks: Vec::new(),
            traces: vec![Trace::new(&a, Color::Gray), Trace::new(&b, Color::White)],
            cursor: None,
            axis: Style::default(),
        };
        let area = Rect::new(0, 0, 30, 9);
        let mut buf = Buffer::empty(area);
        plot.render(area, &mut buf);
        let count = |fg: Color, sym: &str| {
            buf.content
                .iter()
                .filter(|c| c.fg == fg && c.symbol() == sym)
                .count()
        };
        let (test, train) = (count(Color::White, "⠛"), count(Color::Gray, "⠛"));
        assert_eq!(count(Color::White, "⠉") + count(Color::Gray, "⠒"), 0);
        assert!(test > 10 && train > 10, "test {test}, train {train}");
        assert!(buf.content.iter().all(|c| c.bg == Color::Reset));
        // Four y labels, the epochs below.
        let text: String = buf.content.iter().map(|c| c.symbol()).collect();
        for l in ["0.00", "0.25", "0.50", "0.75", "1.00"] {
            assert!(text.contains(l), "{l} missing");
        }
        assert!(text.contains("10"), "{text}");
    }

    #[test]
    fn marks_sit_on_the_dots_of_their_line() {
        // Lines of many slopes and offsets, smooth and noisy: each mark lands in a cell the
        // line itself lights, never a row off it.
        let mut n = 0;
        for k in 0..40 {
            let (a, slope) = (0.05 + 0.02 * k as f64, 0.003 * (k % 7) as f64 - 0.009);
            let noise = if k % 3 == 0 { 0.15 } else { 0.0 };
            let pts: Vec<(f64, f64)> = (0..60)
                .map(|e| {
                    let jump = if e % 2 == 0 { noise } else { -noise };
                    (e as f64, (a + slope * e as f64 + jump).clamp(0.0, 1.0))
                })
                .collect();
            let render = |marked: bool| {
                let t = Trace::new(&pts, Color::Gray);
                let t = if marked { t.marker('○') } else { t };
                let plot = Plot::new(
                    (0.0, 60.0),
                    linear_scale(0.0, 1.0, 12),
                    vec![t],
                    Color::DarkGray,
                );
                let area = Rect::new(0, 0, 70, 13);
                let mut buf = Buffer::empty(area);
                plot.render(area, &mut buf);
                buf
            };
            let (with, without) = (render(true), render(false));
            for y in 0..13u16 {
                for x in 0..70u16 {
                    if with[(x, y)].symbol() == "○" {
                        n += 1;
                        let under = without[(x, y)].symbol().chars().next().unwrap_or(' ');
                        assert!(
                            ('\u{2801}'..='\u{28ff}').contains(&under),
                            "line {k}: mark at {x},{y} off the line"
                        );
                    }
                }
            }
        }
        assert!(n >= 200, "{n} marks");
    }

    #[test]
    fn marks_sit_on_their_line_and_over_every_line() {
        // Two flat lines in one row of cells, the marked one under: its marks show every
        // few columns in its colour, on its row, over the other line.
        let under = [(0.0, 0.5), (40.0, 0.5)];
        let over = [(0.0, 0.52), (40.0, 0.52)];
        let plot = Plot::new(
            (0.0, 40.0),
            linear_scale(0.0, 1.0, 8),
            vec![
                Trace::new(&under, Color::Gray).marker('○'),
                Trace::new(&over, Color::White),
            ],
            Color::DarkGray,
        );
        let area = Rect::new(0, 0, 50, 9);
        let mut buf = Buffer::empty(area);
        plot.render(area, &mut buf);
        let marks: Vec<(u16, u16)> = (0..9)
            .flat_map(|y| (0..50).map(move |x| (x, y)))
            .filter(|&(x, y)| buf[(x, y)].symbol() == "○")
            .collect();
        assert!(marks.len() >= 4, "{marks:?}");
        assert!(
            marks
                .iter()
                .all(|&(x, y)| y == marks[0].1 && buf[(x, y)].fg == Color::Gray)
        );
        let gaps: Vec<u16> = marks.windows(2).map(|w| w[1].0 - w[0].0).collect();
        assert!(gaps.iter().all(|&g| g as usize == MARK_EVERY), "{gaps:?}");
        // Between the marks the row is the two lines' dots, whole: no empty Braille cell.
        let row = marks[0].1;
        let plotted = (marks[0].0..marks[marks.len() - 1].0).filter(|&x| {
            let s = buf[(x, row)].symbol().chars().next().unwrap_or(' ');
            s == '○' || ('\u{2801}'..='\u{28ff}').contains(&s)
        });
        assert_eq!(
            plotted.count(),
            (marks[marks.len() - 1].0 - marks[0].0) as usize
        );
    }
}
