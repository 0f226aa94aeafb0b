//! The moving-averages chapter on screen: the noisy points and every β's average over them,
//! growing point by point, on one chart; each average's value now in the legend.

use super::state::{AveragesView, SPEEDS};
use crate::dynamics::averages::span;
use crate::widgets::chart::{Plot, Trace, linear_scale, nice_ceil, run_mark, run_sample};
use crate::widgets::chrome::panel;
use crate::widgets::format::{fig, group};
use crate::widgets::palette::racer_color;
use ratatui::Frame;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

/// ```text
/// ┌ title · n points · β 0.8 0.9 0.95 0.98 ─────────────────────────── t 120 ▶ ┐
/// │┌ v_t = β·v_{t−1} + (1 − β)·x_t · bias corrected ──────────────────────────┐ │
/// ││ raw points (dim dots), one curve per β in its colour and line style      │ │
/// │└ ━━ β 0.8 (≈5 points) 1.23  ╍╍ β 0.9 (≈10) 1.10 … ───────────────────────┘ │
/// └ status · speed · hints ─────────────────────────────────────────────────────┘
/// ```
pub fn render(frame: &mut Frame, app: &AveragesView) {
    let Some([title, body, status]) = app.chrome.rows(frame) else {
        return;
    };
    let pal = &app.chrome.palette;
    let betas: Vec<String> = app.spec.betas.iter().map(|b| b.to_string()).collect();
    let details = format!(
        "─ {} noisy points · β {} ",
        group(app.spec.points),
        betas.join(" ")
    );
    let right = format!(
        "t {} {} ",
        group(app.shown),
        if app.running { "▶" } else { "⏸" }
    );
    app.chrome.draw_title(frame, title, details, right);

    let vs = app.averages();
    let t = app.shown;
    // Each average's value now; on a narrow screen without the span each remembers.
    let full = |short: bool| -> Vec<Span> {
        let mut legend: Vec<Span> = vec![Span::raw(" ")];
        for (i, (b, v)) in app.spec.betas.iter().zip(&vs).enumerate() {
            let now = v.last().map_or("–".to_string(), |x| fig(*x));
            let text = if short {
                format!("{} β {b} {now} ", run_sample(i))
            } else {
                format!("{} β {b} (≈{:.0} points) {now} ", run_sample(i), span(*b))
            };
            legend.push(Span::styled(text, Style::default().fg(racer_color(pal, i))));
        }
        legend
    };
    let long = full(false);
    let width: usize = long.iter().map(|s| s.width()).sum();
    let legend = if width + 2 > body.width as usize {
        full(true)
    } else {
        long
    };
    let heading = if app.corrected {
        " v_t = β·v_{t−1} + (1 − β)·x_t, bias corrected: v_t / (1 − βᵗ) "
    } else {
        " v_t = β·v_{t−1} + (1 − β)·x_t, from v_0 = 0 "
    };
    let block = panel(heading, false, pal).title_bottom(Line::from(legend));
    let inner = block.inner(body);
    frame.render_widget(block, body);

    // The y scale from the whole series (steady as the curves grow); x to the last point.
    let (lo, hi) = app
        .xs
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        });
    let ((y0, y1), y_ticks) = linear_scale(lo, hi, inner.height.saturating_sub(1) as usize);
    let raw: Vec<(f64, f64)> = app.xs[..t.min(app.xs.len())]
        .iter()
        .enumerate()
        .map(|(i, &x)| ((i + 1) as f64, x))
        .collect();
    let curves: Vec<Vec<(f64, f64)>> = vs
        .iter()
        .map(|v| {
            v.iter()
                .enumerate()
                .map(|(i, &y)| ((i + 1) as f64, y))
                .collect()
        })
        .collect();
    let mut traces = Vec::new();
    if app.raw {
        traces.push(
            Trace::new(&raw, pal.chart_series(false))
                .scatter()
                .modifier(Modifier::DIM),
        );
    }
    for (i, c) in curves.iter().enumerate() {
        traces.push(
            Trace::new(c, racer_color(pal, i))
                .modifier(Modifier::BOLD)
                .marker(run_mark(i)),
        );
    }
    Plot::new(
        (1.0, nice_ceil(app.spec.points as f64).max(2.0)),
        ((y0, y1), y_ticks),
        traces,
        pal.dim(),
    )
    .render(inner, frame.buffer_mut());

    let mut spans = vec![Span::styled(
        if app.running {
            " ▶ running "
        } else {
            " ⏸ paused "
        },
        Style::default().add_modifier(Modifier::BOLD),
    )];
    if let Some(x) = app.xs.get(t.saturating_sub(1)) {
        spans.push(Span::raw(format!("x_{t} = {} ", fig(*x))));
    }
    spans.push(Span::styled(
        format!(
            "· {} points/s · {} ",
            SPEEDS[app.speed],
            if app.corrected {
                "bias corrected"
            } else {
                "uncorrected"
            }
        ),
        Style::default().fg(pal.dim()),
    ));
    let hints = "space play · ←→ step · c bias correction · x raw · R new series · ? help ";
    app.chrome.draw_status(frame, status, spans, hints);
}
