//! The Lorenz attractor in Braille: every trajectory's trail projected from the current
//! viewing angle, in its own colour, with its current point marked, scaled to fill its
//! panel; below it, the distance between the trajectories on a log axis.

use super::state::{AttractorView, SPEEDS, TRAILS};
use crate::widgets::braille::{DOT, braille, line};
use crate::widgets::chart::{Plot, Trace, log_scale, nice_ceil};
use crate::widgets::chrome::panel;
use crate::widgets::format::{fig, group};
use crate::widgets::palette::racer_color;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

/// ```text
/// ┌ title · σ ρ β dt · t ─────────────────────────────────────────── step ▶ ┐
/// │┌ Lorenz attractor, rotating ─────────────────────────────────────────┐  │
/// ││ trails in Braille, one colour per start, ● current points           │  │
/// │└──────────────────────────────────────────────────────────────────────┘  │
/// │┌ largest distance between trajectories (log) ────────────────────────┐  │
/// │└──────────────────────────────────────────────────────────────────────┘  │
/// └ status: spread between trajectories · speed · trail · hints ─────────────┘
/// ```
pub fn render(frame: &mut Frame, app: &AttractorView) {
    let Some([title, body, status]) = app.chrome.rows(frame) else {
        return;
    };
    let l = &app.spec.system;
    let t = app.flow.steps as f64 * app.flow.dt;
    let details = format!(
        "─ σ {} · ρ {} · β {:.4} · dt {} · t = {t:.2} ",
        l.sigma, l.rho, l.beta, app.flow.dt
    );
    let right = format!(
        "step {} {} ",
        group(app.flow.steps),
        if app.running { "▶" } else { "⏸" }
    );
    app.chrome.draw_title(frame, title, details, right);
    let mut legend: Vec<Span> = vec![Span::raw(" ")];
    for (i, s) in app.flow.starts.iter().enumerate() {
        legend.push(Span::styled(
            format!(
                "{} ({}, {}, {}) ",
                head_glyph(&app.chrome.palette, i),
                s[0],
                s[1],
                s[2]
            ),
            Style::default().fg(racer_color(&app.chrome.palette, i)),
        ));
    }
    // The distance between the trajectories below the attractor, when there is room.
    let chart_h = if body.height >= 16 {
        (body.height / 4).clamp(6, 12)
    } else {
        0
    };
    let [body, below] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(chart_h)]).areas(body);
    let block = panel(" Lorenz attractor ", false, &app.chrome.palette)
        .title_bottom(Line::from(legend).right_aligned());
    let inner = block.inner(body);
    frame.render_widget(block, body);
    draw(frame, inner, app);
    if chart_h > 0 {
        distance_chart(frame, below, app);
    }

    let trail = match TRAILS[app.trail] {
        0 => "whole".to_string(),
        n => format!("{n} steps"),
    };
    let mut spans = vec![Span::styled(
        if app.running {
            " ▶ running "
        } else {
            " ⏸ paused "
        },
        Style::default().add_modifier(Modifier::BOLD),
    )];
    spans.push(Span::raw(format!(
        "largest distance between trajectories {} ",
        fig(app.flow.spread())
    )));
    spans.push(Span::styled(
        format!("· {} steps/s · trail {trail} ", SPEEDS[app.speed]),
        Style::default().fg(app.chrome.palette.dim()),
    ));
    let hints = "space pause · ←→ rotate · ↑↓ tilt · o spin · t/T trail · ? help ";
    app.chrome.draw_status(frame, status, spans, hints);
}

/// The trails, projected into `area` at Braille resolution.
pub fn draw(frame: &mut Frame, area: Rect, app: &AttractorView) {
    let (w, h) = (area.width as usize, area.height as usize);
    if w == 0 || h == 0 {
        return;
    }
    // Scaled to fill the panel: the extent of the trails drawn, under this tilt and over every
    // angle the spin turns through (so the scale does not pump as the view rotates; once the
    // trajectories are on the attractor a trail covers it and the scale settles), square
    // dots.
    let (sw, sh) = ((2 * w) as f64, (4 * h) as f64);
    let keep = TRAILS[app.trail];
    let zc = app.spec.system.rho - 1.0;
    let (st, ct) = app.tilt.sin_cos();
    // The largest |u| and |v| over 16 viewing angles, of at most a few thousand points.
    let angles: Vec<(f64, f64)> = (0..16)
        .map(|k| (k as f64 * std::f64::consts::TAU / 16.0).sin_cos())
        .collect();
    let (mut r, mut vmax) = (1.0f64, 1.0f64);
    for path in &app.flow.paths {
        let pts = path.tail(keep);
        let stride = pts.len().div_ceil(4000).max(1);
        for p in pts.iter().step_by(stride) {
            if !(p[0].is_finite() && p[1].is_finite() && p[2].is_finite()) {
                continue;
            }
            for &(sa, ca) in &angles {
                let (u, depth) = (p[0] * ca - p[1] * sa, p[0] * sa + p[1] * ca);
                r = r.max(u.abs());
                vmax = vmax.max(((p[2] - zc) * ct + depth * st).abs());
            }
        }
    }
    let scale = (sw / (2.1 * r)).min(sh / (2.1 * vmax));
    let to_px = |(u, v): (f64, f64)| (sw / 2.0 + u * scale, sh / 2.0 - v * scale);
    let mut cells: Vec<(u8, Option<usize>)> = vec![(0, None); w * h];
    // Segment by segment, all trajectories in turn: a cell shows whichever passed it last
    // in time, so no trajectory covers the others by being drawn last.
    let projected: Vec<Vec<(f64, f64)>> = app
        .flow
        .paths
        .iter()
        .map(|path| {
            path.tail(keep)
                .iter()
                .map(|p| to_px(app.project(*p)))
                .collect()
        })
        .collect();
    let longest = projected.iter().map(Vec::len).max().unwrap_or(0);
    for k in 1..longest {
        for (i, pts) in projected.iter().enumerate() {
            // Tails of different lengths end together (at the newest step).
            let off = longest - pts.len();
            if k <= off {
                continue;
            }
            let (a, q) = (pts[k - off - 1], pts[k - off]);
            line(a, q, sw as i64, sh as i64, |x, y| {
                let cell = &mut cells[(y / 4) * w + x / 2];
                if cell.1 != Some(i) {
                    *cell = (0, Some(i));
                }
                cell.0 |= DOT[x % 2][y % 4];
            });
        }
    }
    let buf = frame.buffer_mut();
    for j in 0..h {
        for i in 0..w {
            let (bits, who) = cells[j * w + i];
            let Some(cell) = buf.cell_mut((area.x + i as u16, area.y + j as u16)) else {
                continue;
            };
            if bits == 0 {
                cell.set_symbol(" ");
                cell.set_style(Style::default());
            } else {
                cell.set_char(braille(bits));
                cell.set_style(
                    Style::default()
                        .fg(who.map_or(Color::Reset, |k| racer_color(&app.chrome.palette, k))),
                );
            }
        }
    }
    for (k, path) in app.flow.paths.iter().enumerate() {
        if let Some(p) = path.last() {
            let (x, y) = to_px(app.project(*p));
            if x >= 0.0
                && y >= 0.0
                && x < sw
                && y < sh
                && let Some(cell) = buf.cell_mut((
                    area.x + (x as usize / 2) as u16,
                    area.y + (y as usize / 4) as u16,
                ))
            {
                cell.set_symbol(head_glyph(&app.chrome.palette, k));
                cell.set_style(
                    Style::default()
                        .fg(racer_color(&app.chrome.palette, k))
                        .add_modifier(Modifier::BOLD),
                );
            }
        }
    }
}

/// The `k`th trajectory's head, on the view and in its legend: a dot in colour, the start's
/// number in mono.
fn head_glyph(pal: &crate::widgets::palette::Palette, k: usize) -> &'static str {
    if pal.colored() {
        "●"
    } else {
        ["1", "2", "3", "4", "5", "6"][k % 6]
    }
}

/// The largest distance between the trajectories against time, on a log axis: nearby starts
/// part exponentially (a straight rise) until the distance reaches the attractor's size.
fn distance_chart(frame: &mut Frame, area: Rect, app: &AttractorView) {
    let flow = &app.flow;
    let n = flow.paths.iter().map(|p| p.len()).min().unwrap_or(0);
    let pal = &app.chrome.palette;
    let now = flow.spread();
    let block = panel(
        Line::from(vec![
            Span::raw(" largest distance between trajectories (log) "),
            Span::styled(
                format!("{} now ", fig(now)),
                Style::default().fg(pal.accent()),
            ),
        ]),
        false,
        pal,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if n == 0 || inner.width < 8 {
        return;
    }
    let steps = flow.paths.first().map(|p| p.steps()).unwrap_or(&[]);
    let stride = n.div_ceil(2 * inner.width as usize).max(1);
    let pts: Vec<(f64, f64)> = (0..n)
        .step_by(stride)
        .chain(std::iter::once(n - 1))
        .map(|k| {
            (
                steps.get(k).copied().unwrap_or(k) as f64 * flow.dt,
                flow.spread_at(k).max(1e-12).log10(),
            )
        })
        .filter(|p| p.1.is_finite())
        .collect();
    let (lo, hi) = pts
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
            (a.min(p.1), b.max(p.1))
        });
    let ((y0, y1), y_ticks) = log_scale(lo, hi);
    let t_end = (app.spec.steps.max(flow.steps) as f64 * flow.dt).max(flow.dt);
    Plot::new(
        (0.0, nice_ceil(t_end)),
        ((y0, y1), y_ticks),
        vec![Trace::new(&pts, pal.chart_series(true))],
        pal.dim(),
    )
    .render(inner, frame.buffer_mut());
}
