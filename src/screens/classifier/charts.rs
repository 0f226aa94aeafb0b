//! Scrolling charts of loss and accuracy: train and test series, the last epochs or the
//! whole run, loss on a log scale, smoothing (an exponential moving average over the raw
//! series), and a cursor that reads exact values and takes the boundary back to its epoch.

use super::keys::Focus;
use super::state::ClassifierView;
use crate::train::Record;
use crate::widgets::chart::{Dash, Plot, Trace, linear_scale, log_scale, y_bounds};
use crate::widgets::chrome::{panel, truncate};
use crate::widgets::format::{fig, group};
use crate::widgets::palette::Palette;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Loss,
    Accuracy,
    /// A regression's score in place of the accuracy: 1 − SS_res/SS_tot, below 0 while the
    /// fit is worse than the mean.
    R2,
}

/// The records a chart shows: those in the window, or the whole run thinned.
pub fn records(app: &ClassifierView) -> Vec<Record> {
    let last = app.run.history.last().map_or(0, |r| r.epoch);
    let (first, _) = app.shown.span.epochs(last);
    if app.shown.span.whole {
        app.run.history.whole()
    } else {
        app.run
            .history
            .recent(app.shown.span.window)
            .filter(|r| r.epoch > first)
            .copied()
            .collect()
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &ClassifierView, kind: Kind) {
    let recs = records(app);
    let kind = if kind == Kind::Accuracy && app.run.snap.data.is_regression() {
        Kind::R2
    } else {
        kind
    };
    let log = kind == Kind::Loss && app.shown.log_loss;
    let series = |test: bool| -> Vec<(f64, f64)> {
        recs.iter()
            .map(|r| (r.epoch as f64, value(r, kind, test, log)))
            .filter(|p| p.1.is_finite())
            .collect()
    };
    let train = series(false);
    let test = series(true);
    let pal = &app.chrome.palette;
    let last = app.run.history.last().map_or(0, |r| r.epoch);
    let (x0, x1) = app.shown.span.epochs(last);

    let name = match kind {
        Kind::Loss if log => "loss (log)",
        Kind::Loss => "loss",
        Kind::Accuracy => "accuracy",
        Kind::R2 => "R²",
    };
    let shown = app.cursor_record();
    let mut title = vec![Span::raw(format!(" {name} "))];
    if let Some(r) = shown {
        let (a, b) = match kind {
            Kind::Loss => (r.train_loss, r.test_loss),
            Kind::Accuracy | Kind::R2 => (r.train_acc, r.test_acc),
        };
        title.push(Span::styled(
            format!("{TRAIN_MARK} train {} ", fig(a)),
            Style::default().fg(pal.chart_series(false)),
        ));
        title.push(Span::styled(
            format!("━ test {} ", fig(b)),
            Style::default()
                .fg(pal.chart_series(true))
                .add_modifier(Modifier::BOLD),
        ));
        let at = if app.cursor.is_some() {
            "cursor at"
        } else {
            "at"
        };
        let room = area.width.saturating_sub(2) as usize;
        let used: usize = title.iter().map(|s| s.width()).sum();
        let long = format!("{at} epoch {} ", group(r.epoch));
        // Where "at epoch N" would be cut to "at …", the epoch alone: "· 5 959".
        // Where that is cut too, nothing: the epoch is in the status line (a cursor's as
        // "viewing epoch N").
        let short = format!("· {} ", group(r.epoch));
        let at = if used + long.chars().count() <= room {
            Some(long)
        } else {
            Some(short).filter(|s| used + s.chars().count() <= room)
        };
        if let Some(at) = at {
            title.push(Span::styled(at, Style::default().fg(pal.dim())));
        }
        // A narrow chart (80×24): the name and the test value, whole, rather than the
        // train value cut off ("test" said where it fits).
        let fits = |t: &[Span]| t.iter().take(3).map(|s| s.width()).sum::<usize>() < room;
        // First without "(log)" (the axis says it), keeping both series and their marks.
        if !fits(&title) && log {
            title[0] = Span::raw(" loss ");
        }
        if !fits(&title) {
            let head = format!(" {name} ");
            let labelled = format!("test {} ", fig(b));
            let value = if head.chars().count() + labelled.chars().count() <= room {
                labelled
            } else {
                format!("{} ", fig(b))
            };
            title = vec![
                Span::raw(head),
                Span::styled(
                    value,
                    Style::default()
                        .fg(pal.chart_series(true))
                        .add_modifier(Modifier::BOLD),
                ),
            ];
        }
    }
    let range = range_label(app.shown.smoothing, app.shown.span, area.width);
    let block = panel(
        truncate(Line::from(title), area.width.saturating_sub(2) as usize),
        app.focus == Focus::Charts,
        &app.chrome.palette,
    )
    .title_bottom(Line::from(range).right_aligned());
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let traces = SeriesPair {
        train: &train,
        test: &test,
    };
    let smoothed = app
        .shown
        .smoothing
        .map(|w| (w.apply(&train), w.apply(&test)));
    let plot = Plot {
        cursor: app.cursor.map(|e| e as f64),
        ..pair_plot(
            traces,
            smoothed
                .as_ref()
                .map(|(a, b)| SeriesPair { train: a, test: b }),
            (x0 as f64, x1 as f64),
            scale(
                kind,
                log,
                &train,
                &test,
                inner.height.saturating_sub(1) as usize,
            ),
            pal,
        )
    };
    plot.render(inner, frame.buffer_mut());
}

/// The charts' bottom label: the span with its keys, or without them, or only the smoothing
/// and span's first words, whichever fits in a panel `width` wide.
pub fn range_label(
    smoothing: Option<crate::scenario::Smoothing>,
    span: crate::widgets::chart::ChartSpan,
    width: u16,
) -> String {
    let room = width.saturating_sub(4) as usize;
    let candidates = match smoothing {
        Some(w) => vec![
            format!(" {} ·{}", w.label(), span.short_label()),
            format!(" {} ", w.label()),
        ],
        None => vec![span.label(), span.short_label()],
    };
    candidates
        .iter()
        .find(|c| c.chars().count() <= room)
        .or(candidates.last())
        .cloned()
        .unwrap_or_default()
}

/// A record's value on a chart: train or test, loss or accuracy, log10 on a log axis.
fn value(r: &Record, kind: Kind, test: bool, log: bool) -> f64 {
    let v = match (kind, test) {
        (Kind::Loss, false) => r.train_loss,
        (Kind::Loss, true) => r.test_loss,
        (Kind::Accuracy | Kind::R2, false) => r.train_acc,
        (Kind::Accuracy | Kind::R2, true) => r.test_acc,
    };
    if log { v.max(1e-12).log10() } else { v }
}

/// A chart's y range and ticks: accuracy up to 1 and log loss in decades (both from the
/// coarse grid of [`y_bounds`], so the axes stay put between frames), linear loss from 0.
pub fn scale(
    kind: Kind,
    log: bool,
    a: &[(f64, f64)],
    b: &[(f64, f64)],
    rows: usize,
) -> ((f64, f64), Vec<(f64, String)>) {
    let (lo, hi) = a
        .iter()
        .chain(b)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.1), hi.max(p.1))
        });
    let (lo, hi) = if kind == Kind::R2 && lo.is_finite() {
        // R² up to 1, from its lowest tenth (below −1 is clipped: a fit that bad reads as one).
        (((lo.max(-1.0) * 10.0).floor() / 10.0).min(0.9), 1.0)
    } else {
        y_bounds(lo, hi, kind == Kind::Accuracy, log)
    };
    if log {
        log_scale(lo, hi)
    } else {
        linear_scale(lo, hi, rows)
    }
}

/// A chart's train and test series.
#[derive(Clone, Copy)]
pub struct SeriesPair<'a> {
    pub train: &'a [(f64, f64)],
    pub test: &'a [(f64, f64)],
}

/// The mark on the train series: what tells it from the test series in mono (and where the
/// two lines run together).
pub const TRAIN_MARK: char = '○';

/// The plot of a train and test pair: the test series bold on top, the train series under it
/// with a mark every few columns (where they meet, a cell shows both lines' dots and the
/// colours take turns); with smoothing, the raw series faint and the smoothed ones over
/// them. The mark reads in every colour mode, mono too, not only grey against white.
pub fn pair_plot<'a>(
    raw: SeriesPair<'a>,
    smoothed: Option<SeriesPair<'a>>,
    x: (f64, f64),
    ((y0, y1), y_ticks): ((f64, f64), Vec<(f64, String)>),
    pal: &Palette,
) -> Plot<'a> {
    let mut traces = Vec::new();
    let lines = match smoothed {
        Some(s) => {
            traces.push(Trace::new(raw.train, pal.chart_raw(false)).dash(Dash::Dotted));
            traces.push(Trace::new(raw.test, pal.chart_raw(true)).dash(Dash::Dotted));
            s
        }
        None => raw,
    };
    traces.push(Trace::new(lines.train, pal.chart_series(false)).marker(TRAIN_MARK));
    traces.push(Trace::new(lines.test, pal.chart_series(true)).modifier(Modifier::BOLD));
    Plot::new(x, ((y0, y1), y_ticks), traces, pal.dim())
}
