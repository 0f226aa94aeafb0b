//! The side-by-side screen: one boundary panel per run, one pair of charts with a series per
//! run (its colour and line style; test bright, train dim), one status line.

use super::keys::BINDINGS;
use super::state::CompareView;
use crate::keymap::keys_for;
use crate::screens::classifier::keys::Action;
use crate::screens::classifier::params::{SPEEDS, speed_label};
use crate::screens::classifier::view::boundary_panel;
use crate::train::{Health, Record};
use crate::widgets::chart::{Plot, Trace, linear_scale, log_scale, run_mark, run_sample, y_bounds};
use crate::widgets::chrome::{panel, truncate};
use crate::widgets::format::{fig, group};
use crate::widgets::palette::racer_color;
use crate::widgets::weights;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

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
    let cols = grid(top, app.runs.len());
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

    // One scale for every run's matrix of the chosen layer, so the penalty's shrinking shows.
    let layer_scale = app.weights_layer.map(|l| {
        app.runs
            .iter()
            .filter_map(|(_, r)| r.field.layers.get(l))
            .flat_map(|layer| layer.w.iter().map(|w| w.abs()))
            .fold(0.0f32, f32::max)
    });
    for (i, ((name, run), area)) in app.runs.iter().zip(cols.iter()).enumerate() {
        // The run's test accuracy at the epoch every run has reached, so the panels compare
        // like with like; most important first, cut with an ellipsis rather than mid-number.
        // Where the name and "test acc 0.8500" do not fit, "acc 0.8500", then the value.
        let room = area.width.saturating_sub(2) as usize;
        let name_w = name.chars().count() + 4;
        let acc = run
            .history
            .at(epoch)
            .map(|r| {
                let what = if run.snap.data.is_regression() {
                    "R²"
                } else {
                    "acc"
                };
                let v = fig(r.test_acc);
                [
                    format!("test {what} {v} · "),
                    format!("{what} {v} · "),
                    format!("{v} · "),
                ]
                .into_iter()
                .find(|t| name_w + t.chars().count() - 2 <= room)
                .unwrap_or_else(|| format!("{v} · "))
            })
            .unwrap_or_default();
        let diverged = matches!(run.snap.health, Health::Diverged { .. });
        // A name too long for even the value beside it: cut, the value kept whole.
        let keep = room.saturating_sub(acc.chars().count().saturating_sub(2) + 4);
        let name = if !diverged && keep > 1 {
            truncate(Line::raw(name.as_str()), keep).to_string()
        } else {
            name.clone()
        };
        let head = [
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
        ];
        // The network and optimizer after the name and accuracy, as much as fits whole: the
        // shape and optimizer, the shape, the depth ("7 hidden layers"), nothing.
        let used: usize = head.iter().map(|s| s.content.chars().count()).sum();
        let arch = &run.snap.net.arch;
        let shape = arch.shape_label();
        let hidden = arch.sizes().len().saturating_sub(2);
        let tail = [
            format!("{shape} · {} ", run.spec().optimizer.summary()),
            format!("{shape} "),
            format!(
                "{hidden} hidden layer{} ",
                if hidden == 1 { "" } else { "s" }
            ),
            format!("{hidden} hidden "),
        ]
        .into_iter()
        .find(|t| used + t.chars().count() <= room);
        let mut spans = head.to_vec();
        match tail {
            Some(tail) => spans.push(Span::raw(tail)),
            // Nothing after the accuracy: no separator either.
            None => {
                if let Some(last) = spans.last_mut() {
                    last.content = last.content.trim_end_matches("· ").to_string().into();
                }
            }
        }
        let t = truncate(Line::from(spans), room);
        match app.weights_layer.and_then(|l| run.field.layers.get(l)) {
            Some(layer) => {
                let draw = if app.weights_3d {
                    weights::render_layer_surface
                } else {
                    weights::render_layer
                };
                draw(
                    frame,
                    *area,
                    layer.w.view(),
                    &app.chrome.palette,
                    t,
                    layer_scale,
                );
            }
            None => boundary_panel(
                frame,
                *area,
                run,
                app.shown.layers,
                &app.chrome.palette,
                t,
                i == app.selected,
            ),
        }
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

/// The runs' panels: one row of up to four, else two rows (seven runs: four over three, each
/// panel as wide as in the top row).
fn grid(area: Rect, runs: usize) -> Vec<Rect> {
    let n = runs.max(1);
    let per_row = if n <= 4 { n } else { n.div_ceil(2) };
    let rows = n.div_ceil(per_row);
    let row_areas =
        Layout::vertical((0..rows).map(|_| Constraint::Ratio(1, rows as u32))).split(area);
    let mut out = Vec::with_capacity(n);
    for (r, row) in row_areas.iter().enumerate() {
        let cols = Layout::horizontal((0..per_row).map(|_| Constraint::Ratio(1, per_row as u32)))
            .split(*row);
        out.extend(cols.iter().take(n - r * per_row));
    }
    out
}

/// Loss or accuracy of every run, each in its colour and its own line style (solid, dashed,
/// dotted, dash-dot): test series bright, train series dim. Smoothed, the test series'
/// moving average is drawn over its raw series (dim), and the train series is smoothed.
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
    let (lo, hi) = series
        .iter()
        .flat_map(|(a, b)| a.iter().chain(b))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.1), hi.max(p.1))
        });
    let (lo, hi) = y_bounds(lo, hi, !loss, log);
    let rows = area.height.saturating_sub(3) as usize;
    let ((y0, y1), y_ticks) = if log {
        log_scale(lo, hi)
    } else {
        linear_scale(lo, hi, rows)
    };
    let smoothed: Vec<(Series, Series)> = match app.shown.smoothing {
        Some(w) => series
            .iter()
            .map(|(a, b)| (w.apply(a), w.apply(b)))
            .collect(),
        None => Vec::new(),
    };
    let pal = &app.chrome.palette;
    let mut traces = Vec::new();
    for (i, (train, test)) in series.iter().enumerate() {
        let c = racer_color(pal, i);
        let dim = Modifier::DIM;
        // The run's mark on its test line (the one the legend's value reads).
        let mark = run_mark(i);
        match smoothed.get(i) {
            // Smoothed, the two smoothed lines alone: with several runs the raw series
            // under them were the tangle the smoothing is there to undo (the classifier's
            // two-series chart keeps them faint).
            Some((s_train, s_test)) => {
                traces.push(Trace::new(s_train, c).modifier(dim));
                traces.push(Trace::new(s_test, c).modifier(Modifier::BOLD).marker(mark));
            }
            None => {
                traces.push(Trace::new(train, c).modifier(dim));
                traces.push(Trace::new(test, c).marker(mark));
            }
        }
    }
    let regression = app
        .runs
        .first()
        .is_some_and(|(_, r)| r.snap.data.is_regression());
    let name = match (loss, log) {
        (true, true) => "loss (log)",
        (true, false) => "loss",
        (false, _) if regression => "R²",
        (false, _) => "accuracy",
    };
    // Every run's value at the one epoch all have reached, that epoch first.
    let at = app.epoch();
    // The key to the lines where it fits whole.
    let head = format!(" {name} at epoch {} ", group(at));
    let key = "· test bright, train dim ";
    let mut title = vec![Span::raw(head.clone())];
    if head.chars().count() + key.chars().count() <= area.width.saturating_sub(2) as usize {
        title.push(Span::styled(key, Style::default().fg(pal.dim())));
    }
    let title = Line::from(title);
    let title = truncate(title, area.width.saturating_sub(2) as usize);
    // The runs' legend on a row of its own (in the title it was cut off after the first
    // run): each run's line style, name and value, or without the values where they would
    // not all fit.
    // `cut`: each name cut to that many characters (with an ellipsis), so that every run's
    // mark shows on a narrow chart.
    let legend_of = |values: bool, cut: Option<usize>| -> Vec<Span<'static>> {
        app.runs
            .iter()
            .enumerate()
            .filter_map(|(i, (n, a))| {
                let r = a.history.at(at)?;
                let v = if loss { r.test_loss } else { r.test_acc };
                let n = match cut {
                    Some(k) => truncate(Line::raw(n.as_str()), k).to_string(),
                    None => n.clone(),
                };
                let text = if values {
                    format!("{} {n} {}  ", run_sample(i), fig(v))
                } else {
                    format!("{} {n}  ", run_sample(i))
                };
                Some(Span::styled(text, Style::default().fg(racer_color(pal, i))))
            })
            .collect()
    };
    let width = |spans: &[Span]| {
        spans
            .iter()
            .map(|s| s.content.chars().count())
            .sum::<usize>()
    };
    let room = area.width.saturating_sub(2) as usize + 2;
    let mut legend = legend_of(true, None);
    if width(&legend) > room {
        legend = legend_of(false, None);
    }
    // Each run's share of the row, less its mark and the spaces: where every name keeps
    // 4 characters or more, each is cut to it (else the row is cut at its end).
    let share = (room / app.runs.len().max(1)).saturating_sub(6);
    if width(&legend) > room && share >= 4 {
        legend = legend_of(false, Some(share));
    }
    let range = crate::screens::classifier::charts::range_label(
        app.shown.smoothing,
        app.shown.span,
        area.width,
    );
    let block = panel(title, false, pal).title_bottom(Line::from(range).right_aligned());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let inner = if inner.height > 4 && !legend.is_empty() {
        let row = Rect { height: 1, ..inner };
        let legend = truncate(Line::from(legend), row.width as usize);
        frame.render_widget(legend, row);
        Rect {
            y: inner.y + 1,
            height: inner.height - 1,
            ..inner
        }
    } else {
        inner
    };
    Plot::new(
        (x0 as f64, x1 as f64),
        ((y0, y1), y_ticks),
        traces,
        pal.dim(),
    )
    .render(inner, frame.buffer_mut());
}
