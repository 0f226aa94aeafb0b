//! The side-by-side screen: one boundary panel per run, one pair of charts with a series per
//! run (test bold, train faint), one status line.

use super::keys::BINDINGS;
use super::state::CompareView;
use crate::keymap::keys_for;
use crate::screens::classifier::keys::Action;
use crate::screens::classifier::params::{SPEEDS, speed_label};
use crate::screens::classifier::view::boundary_panel;
use crate::train::{Health, Record};
use crate::widgets::chart::{axes, y_bounds};
use crate::widgets::chrome::{panel, truncate};
use crate::widgets::format::{fig, group};
use crate::widgets::palette::racer_color;
use crate::widgets::weights;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Chart, Dataset, GraphType};

/// ```text
/// ┌ title · data · N runs ──────────────────────────────────── epoch 240 ▶ ┐
/// │┌ run 1 ──────────┐┌ run 2 ──────────┐┌ run 3 ──────────┐              │
/// ││ boundary        ││ boundary        ││ boundary        │              │
/// │└─────────────────┘└─────────────────┘└─────────────────┘              │
/// │┌ loss, a series per run ─────────┐┌ accuracy, a series per run ──────┐ │
/// │└─────────────────────────────────┘└──────────────────────────────────┘ │
/// └ status · selected run · key hints ──────────────────────────────────────┘
/// ```
pub fn render(frame: &mut Frame, app: &CompareView) {
    let Some([title, body, status]) = app.chrome.rows(frame) else {
        return;
    };
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(58), Constraint::Fill(1)]).areas(body);
    let n = app.runs.len().max(1) as u32;
    let cols = Layout::horizontal((0..n).map(|_| Constraint::Ratio(1, n))).split(top);
    let [loss, acc] = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(bottom);

    // Runs go in step; the header and every number compared name the epoch all have reached.
    let epoch = app.epoch();
    if let Some((_, first)) = app.runs.first() {
        let s = first.spec();
        let details = format!(
            "─ {} {} · {} runs side by side ",
            s.data.label(),
            first.snap.data.train.len() + first.snap.data.test.len(),
            app.runs.len()
        );
        let state = if app.running() { "▶" } else { "⏸" };
        app.chrome.draw_title(
            frame,
            title,
            details,
            format!("epoch {} {state} ", group(epoch)),
        );
    }

    for (i, ((name, run), area)) in app.runs.iter().zip(cols.iter()).enumerate() {
        // The run's test accuracy at the epoch every run has reached, so the panels compare
        // like with like; most important first, cut with an ellipsis rather than mid-number.
        let acc = run
            .history
            .at(epoch)
            .map(|r| format!("test acc {} · ", fig(r.test_acc)))
            .unwrap_or_default();
        let diverged = matches!(run.snap.health, Health::Diverged { .. });
        let t = Line::from(vec![
            Span::styled(
                format!(" ● {name} "),
                Style::default()
                    .fg(racer_color(&app.chrome.palette, i))
                    .add_modifier(Modifier::BOLD),
            ),
            Span::styled(
                if diverged {
                    "✖ diverged · ".to_string()
                } else {
                    acc
                },
                Style::default().fg(app.chrome.palette.dim()),
            ),
            Span::raw(format!(
                "{} · {} ",
                run.snap.net.arch.shape_label(),
                run.spec().optimizer.summary()
            )),
        ]);
        let t = truncate(t, area.width.saturating_sub(2) as usize);
        boundary_panel(
            frame,
            *area,
            run,
            app.shown.layers,
            &app.chrome.palette,
            t,
            i == app.selected,
        );
    }
    if app.show_weights {
        // One scale for all runs: the largest |w| anywhere, so smaller weights look darker.
        let scale = app
            .runs
            .iter()
            .flat_map(|(_, a)| {
                a.field
                    .layers
                    .iter()
                    .flat_map(|l| l.w.iter().map(|w| w.abs()))
            })
            .fold(0.0f32, f32::max);
        let cols = Layout::horizontal((0..n).map(|_| Constraint::Ratio(1, n))).split(bottom);
        for (i, ((name, run), area)) in app.runs.iter().zip(cols.iter()).enumerate() {
            let t = Line::from(vec![
                Span::styled(
                    format!(" ● {name} "),
                    Style::default().fg(racer_color(&app.chrome.palette, i)),
                ),
                Span::raw(format!(
                    "mean |w| {} ",
                    fig(weights::mean_abs(&run.field) as f64)
                )),
            ]);
            weights::render_weights(
                frame,
                *area,
                &run.field,
                &app.chrome.palette,
                t,
                Some(scale),
            );
        }
    } else {
        runs_chart(frame, loss, app, true);
        runs_chart(frame, acc, app, false);
    }

    let mut spans = vec![Span::styled(
        if app.running() {
            " ▶ running "
        } else {
            " ⏸ paused "
        },
        Style::default().add_modifier(Modifier::BOLD),
    )];
    if let Some((_, first)) = app.runs.first() {
        spans.push(Span::raw(format!(
            "epoch {} · speed {} · ",
            group(epoch),
            speed_label(SPEEDS[first.speed])
        )));
    }
    if let Some((name, run)) = app.runs.get(app.selected) {
        spans.push(Span::styled(
            format!("selected {name}: {} ", run.spec().optimizer.summary()),
            Style::default().fg(app.chrome.palette.dim()),
        ));
    }
    let hints = format!(
        "{} pause · {} step · tab select · [ ] lr · {} opt · m weights · ? help ",
        keys_for(BINDINGS, Action::TogglePause),
        keys_for(BINDINGS, Action::StepEpoch),
        keys_for(BINDINGS, Action::NextOptimizer),
    );
    app.chrome.draw_status(frame, status, spans, &hints);
}

/// Loss or accuracy of every run: test series bold, train series faint, in the run's colour.
fn runs_chart(frame: &mut Frame, area: Rect, app: &CompareView, loss: bool) {
    let (x0, x1) = app.shown.span.epochs(app.last_epoch());
    let log = loss && app.shown.log_loss;
    let get = |r: &Record, test: bool| {
        let v = match (loss, test) {
            (true, false) => r.train_loss,
            (true, true) => r.test_loss,
            (false, false) => r.train_acc,
            (false, true) => r.test_acc,
        };
        if log { v.max(1e-12).log10() } else { v }
    };
    // Per run: (train, test) points.
    type Series = Vec<(f64, f64)>;
    let series: Vec<(Series, Series)> = app
        .runs
        .iter()
        .map(|(_, a)| {
            let recs: Vec<Record> = if app.shown.span.whole {
                a.history.whole()
            } else {
                a.history
                    .recent(app.shown.span.window)
                    .filter(|r| r.epoch > x0)
                    .copied()
                    .collect()
            };
            let s = |test: bool| {
                recs.iter()
                    .map(|r| (r.epoch as f64, get(r, test)))
                    .filter(|p| p.1.is_finite())
                    .collect()
            };
            (s(false), s(true))
        })
        .collect();
    let (mut lo, mut hi) = series
        .iter()
        .flat_map(|(a, b)| a.iter().chain(b))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.1), hi.max(p.1))
        });
    (lo, hi) = y_bounds(lo, hi, !loss, log);
    let mut datasets = Vec::new();
    for (i, (train, test)) in series.iter().enumerate() {
        let c = racer_color(&app.chrome.palette, i);
        datasets.push(
            Dataset::default()
                .marker(Marker::Dot)
                .graph_type(GraphType::Line)
                .style(Style::default().fg(c).add_modifier(Modifier::DIM))
                .data(train),
        );
        datasets.push(
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(Style::default().fg(c))
                .data(test),
        );
    }
    let name = match (loss, log) {
        (true, true) => "loss (log)",
        (true, false) => "loss",
        (false, _) => "accuracy",
    };
    // Every run's value at the one epoch all have reached, that epoch first.
    let at = app.epoch();
    let mut title = vec![
        Span::raw(format!(" {name} at epoch {} ", group(at))),
        Span::styled(
            "· test ⣿, train · ",
            Style::default().fg(app.chrome.palette.dim()),
        ),
    ];
    for (i, (n, a)) in app.runs.iter().enumerate() {
        if let Some(r) = a.history.at(at) {
            let v = if loss { r.test_loss } else { r.test_acc };
            title.push(Span::styled(
                format!("{n} {} ", fig(v)),
                Style::default().fg(racer_color(&app.chrome.palette, i)),
            ));
        }
    }
    let title = truncate(Line::from(title), area.width.saturating_sub(2) as usize);
    let (x_axis, y_axis) = axes(
        (x0, x1),
        (lo, hi),
        !loss,
        log,
        Style::default().fg(app.chrome.palette.dim()),
    );
    let chart = Chart::new(datasets)
        .block(
            panel(title, false, &app.chrome.palette)
                .title_bottom(Line::from(app.shown.span.label()).right_aligned()),
        )
        .x_axis(x_axis)
        .y_axis(y_axis)
        .legend_position(None);
    frame.render_widget(chart, area);
}
