//! What every chart shares: the epoch window it spans ([`ChartSpan`], stepped by `z`/`Z`),
//! round axis ends, and y ranges on a coarse grid so axes stay put between frames.

use super::format::{fig, group};
use ratatui::style::Style;
use ratatui::widgets::Axis;

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
        (lo.floor(), hi.ceil().max(lo.floor() + 1.0))
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

/// A loss or accuracy chart's axes: epochs `x` below, `y` on the left, labelled at the ends
/// (log loss in decades, accuracy to two places).
pub fn axes(
    x: (usize, usize),
    y: (f64, f64),
    accuracy: bool,
    log: bool,
    style: Style,
) -> (Axis<'static>, Axis<'static>) {
    let label = |v: f64| {
        if log {
            format!("1e{}", v as i32)
        } else if accuracy {
            format!("{v:.2}")
        } else {
            fig(v)
        }
    };
    (
        Axis::default()
            .bounds([x.0 as f64, x.1 as f64])
            .style(style)
            .labels([group(x.0), group(x.1)]),
        Axis::default()
            .bounds([y.0, y.1])
            .style(style)
            .labels([label(y.0), label(y.1)]),
    )
}
