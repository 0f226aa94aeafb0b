//! The side-by-side screen: one boundary panel per run, one pair of charts with a series per
//! run (test bold, train faint), one status line.

use super::contour::racer_color;
use super::{fig, group, overlay, panel};
use crate::compare::CompareApp;
use crate::keymap::{Action, keys_for};
use crate::train::{Health, Record};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph};

/// ```text
/// ┌ title · data · N runs ──────────────────────────────────── epoch 240 ▶ ┐
/// │┌ run 1 ──────────┐┌ run 2 ──────────┐┌ run 3 ──────────┐              │
/// ││ boundary        ││ boundary        ││ boundary        │              │
/// │└─────────────────┘└─────────────────┘└─────────────────┘              │
/// │┌ loss, a series per run ─────────┐┌ accuracy, a series per run ──────┐ │
/// │└─────────────────────────────────┘└──────────────────────────────────┘ │
/// └ status · selected run · key hints ──────────────────────────────────────┘
/// ```
pub fn render(frame: &mut Frame, app: &CompareApp) {
    let area = frame.area();
    let presenter = app.stage.presenter;
    let Some([title, body, status]) = super::screen_rows(frame, app.stage.presenter) else {
        return;
    };
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(58), Constraint::Fill(1)]).areas(body);
    let n = app.runs.len().max(1) as u32;
    let cols = Layout::horizontal((0..n).map(|_| Constraint::Ratio(1, n))).split(top);
    let [loss, acc] = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(bottom);

    let epoch = app
        .runs
        .iter()
        .map(|(_, a)| a.snap.epoch)
        .max()
        .unwrap_or(0);
    if presenter {
        super::banner(frame, title, &app.stage.title(&app.title), &app.palette);
    } else if let Some((_, first)) = app.runs.first() {
        let s = first.spec();
        let left = Line::from(vec![
            Span::styled(
                format!(" {} ", app.stage.title(&app.title)),
                Style::default().add_modifier(Modifier::BOLD),
            ),
            Span::styled(
                format!(
                    "─ {} {} · {} runs side by side ",
                    s.data.label(),
                    first.snap.data.train.len() + first.snap.data.test.len(),
                    app.runs.len()
                ),
                Style::default().fg(app.palette.dim()),
            ),
        ]);
        frame.render_widget(Paragraph::new(left), title);
        let state = if app.running() { "▶" } else { "⏸" };
        frame.render_widget(
            Paragraph::new(format!("epoch {} {state} ", group(epoch)))
                .alignment(ratatui::layout::Alignment::Right),
            title,
        );
    }

    for (i, ((name, run), area)) in app.runs.iter().zip(cols.iter()).enumerate() {
        let acc = run
            .history
            .last()
            .map(|r| format!("test acc {} ", fig(r.test_acc)))
            .unwrap_or_default();
        let diverged = matches!(run.snap.health, Health::Diverged { .. });
        let t = Line::from(vec![
            Span::styled(
                format!(" ● {name} "),
                Style::default()
                    .fg(racer_color(&app.palette, i))
                    .add_modifier(Modifier::BOLD),
            ),
            Span::raw(format!(
                "{} · {} ",
                run.snap.net.arch.shape_label(),
                run.spec().optimizer.summary()
            )),
            Span::styled(
                if diverged {
                    "✖ diverged ".to_string()
                } else {
                    acc
                },
                Style::default().fg(app.palette.dim()),
            ),
        ]);
        super::boundary_panel(frame, *area, run, t, i == app.selected);
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
                    Style::default().fg(racer_color(&app.palette, i)),
                ),
                Span::raw(format!(
                    "mean |w| {} ",
                    fig(super::network::mean_abs(&run.field) as f64)
                )),
            ]);
            super::network::render_weights(frame, *area, &run.field, &app.palette, t, Some(scale));
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
    if let Some(rec) = &app.recording {
        spans.push(super::rec_span(rec, &app.palette));
    }
    if let Some((name, run)) = app.runs.get(app.selected) {
        spans.push(Span::styled(
            format!(
                "epoch {} · selected {name}: {} ",
                group(epoch),
                run.spec().optimizer.summary()
            ),
            Style::default().fg(app.palette.dim()),
        ));
    }
    let hints = format!(
        "{} pause · {} step · tab select · [ ] lr · {} opt · m weights · {} help ",
        keys_for(Action::TogglePause),
        keys_for(Action::StepEpoch),
        keys_for(Action::NextOptimizer),
        keys_for(Action::Help)
    );
    super::status_bar(
        frame,
        status,
        spans,
        &app.message,
        &hints,
        presenter,
        &app.palette,
    );
    if app.stage.show_notes {
        overlay::notes(
            frame,
            area,
            &app.stage.title(&app.title),
            &app.notes,
            &app.palette,
        );
    }
    if app.help {
        let mut lines = vec![Line::from(
            "side by side: tab selects a run; [ ] and o act on it; the rest on all runs",
        )];
        lines.extend(overlay::table_lines(
            crate::keymap::BINDINGS,
            &[(crate::keymap::Context::Everywhere, "keys")],
            &app.palette,
        ));
        overlay::help_box(frame, area, lines, &app.palette);
    }
}

/// Loss or accuracy of every run: test series bold, train series faint, in the run's colour.
fn runs_chart(frame: &mut Frame, area: Rect, app: &CompareApp, loss: bool) {
    let (x0, x1) = app.span.epochs(app.last_epoch());
    let log = loss && app.log_loss;
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
            let recs: Vec<Record> = if app.span.whole {
                a.history.whole()
            } else {
                a.history
                    .recent(app.span.window)
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
    (lo, hi) = super::charts::y_bounds(lo, hi, !loss, log);
    let mut datasets = Vec::new();
    for (i, (train, test)) in series.iter().enumerate() {
        let c = racer_color(&app.palette, i);
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
        (true, true) => " loss (log) · test ⣿, train · ",
        (true, false) => " loss · test ⣿, train · ",
        (false, _) => " accuracy · test ⣿, train · ",
    };
    let mut title = vec![Span::raw(name)];
    for (i, (n, a)) in app.runs.iter().enumerate() {
        if let Some(r) = a.history.last() {
            let v = if loss { r.test_loss } else { r.test_acc };
            title.push(Span::styled(
                format!("{n} {} ", fig(v)),
                Style::default().fg(racer_color(&app.palette, i)),
            ));
        }
    }
    let dim = Style::default().fg(app.palette.dim());
    let ylabel = |v: f64| {
        if log {
            format!("1e{}", v as i32)
        } else if !loss {
            format!("{v:.2}")
        } else {
            fig(v)
        }
    };
    let chart = Chart::new(datasets)
        .block(
            panel(Line::from(title), false, &app.palette)
                .title_bottom(Line::from(app.span.label()).right_aligned()),
        )
        .x_axis(
            Axis::default()
                .bounds([x0 as f64, x1 as f64])
                .style(dim)
                .labels([group(x0), group(x1)]),
        )
        .y_axis(
            Axis::default()
                .bounds([lo, hi])
                .style(dim)
                .labels([ylabel(lo), ylabel(hi)]),
        )
        .legend_position(None);
    frame.render_widget(chart, area);
}
