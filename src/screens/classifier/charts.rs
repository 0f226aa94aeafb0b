//! Scrolling charts of loss and accuracy: train and test series, the last epochs or the
//! whole run, loss on a log scale, and a cursor that reads exact values.

use super::keys::Focus;
use super::state::ClassifierView;
use crate::train::Record;
use crate::widgets::chart::{axes, y_bounds};
use crate::widgets::chrome::{panel, truncate};
use crate::widgets::format::{fig, group};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Chart, Dataset, GraphType};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Loss,
    Accuracy,
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
    let log = kind == Kind::Loss && app.shown.log_loss;
    let get = |r: &Record, test: bool| -> f64 {
        let v = match (kind, test) {
            (Kind::Loss, false) => r.train_loss,
            (Kind::Loss, true) => r.test_loss,
            (Kind::Accuracy, false) => r.train_acc,
            (Kind::Accuracy, true) => r.test_acc,
        };
        if log { v.max(1e-12).log10() } else { v }
    };
    let series = |test: bool| -> Vec<(f64, f64)> {
        recs.iter()
            .map(|r| (r.epoch as f64, get(r, test)))
            .filter(|p| p.1.is_finite())
            .collect()
    };
    let train = series(false);
    let test = series(true);
    let pal = &app.chrome.palette;
    let last = app.run.history.last().map_or(0, |r| r.epoch);
    let (x0, x1) = app.shown.span.epochs(last);
    let (x0, x1) = (x0 as f64, x1 as f64);
    let (mut lo, mut hi) = train
        .iter()
        .chain(&test)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.1), hi.max(p.1))
        });
    // A regression's score is R², which is negative while the fit is worse than the mean.
    let regression = app.run.snap.data.is_regression();
    let fraction = kind == Kind::Accuracy && !regression;
    (lo, hi) = if kind == Kind::Accuracy && regression && lo.is_finite() {
        // R² up to 1, from its lowest tenth (below −1 is clipped: a fit that bad reads as one).
        (((lo.max(-1.0) * 10.0).floor() / 10.0).min(0.9), 1.0)
    } else {
        y_bounds(lo, hi, fraction, log)
    };

    let name = match kind {
        Kind::Loss if log => "loss (log)",
        Kind::Loss => "loss",
        Kind::Accuracy if regression => "R²",
        Kind::Accuracy => "accuracy",
    };
    let shown = app.cursor_record();
    let mut title = vec![Span::raw(format!(" {name} "))];
    if let Some(r) = shown {
        let (a, b) = match kind {
            Kind::Loss => (r.train_loss, r.test_loss),
            Kind::Accuracy => (r.train_acc, r.test_acc),
        };
        title.push(Span::styled(
            format!("train {} ", fig(a)),
            Style::default().fg(pal.series(false)),
        ));
        title.push(Span::styled(
            format!("test {} ", fig(b)),
            Style::default().fg(pal.series(true)),
        ));
        let at = if app.cursor.is_some() {
            "cursor at"
        } else {
            "at"
        };
        title.push(Span::styled(
            format!("{at} epoch {} ", group(r.epoch)),
            Style::default().fg(pal.dim()),
        ));
    }
    let range = app.shown.span.label();
    let block = panel(
        truncate(Line::from(title), area.width.saturating_sub(2) as usize),
        app.focus == Focus::Charts,
        &app.chrome.palette,
    )
    .title_bottom(Line::from(range).right_aligned());

    let cursor_line: Vec<(f64, f64)> = match app.cursor {
        Some(e) => vec![(e as f64, lo), (e as f64, hi)],
        None => Vec::new(),
    };
    let mut datasets = vec![
        Dataset::default()
            .name("train")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(Style::default().fg(pal.series(false)))
            .data(&train),
        Dataset::default()
            .name("test")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(Style::default().fg(pal.series(true)))
            .data(&test),
    ];
    if !cursor_line.is_empty() {
        datasets.push(
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(Style::default().fg(pal.dim()))
                .data(&cursor_line),
        );
    }
    let (x_axis, y_axis) = axes(
        (x0 as usize, x1 as usize),
        (lo, hi),
        fraction,
        log,
        Style::default().fg(pal.dim()),
    );
    let chart = Chart::new(datasets)
        .block(block)
        .x_axis(x_axis)
        .y_axis(y_axis)
        .legend_position(None);
    frame.render_widget(chart, area);
}
