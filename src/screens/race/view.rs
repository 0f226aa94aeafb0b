//! The optimizer race: the surface as a Braille-cell heatmap with level lines (log-spaced
//! when the surface spans decades), its minima, and every racer's trail at Braille
//! resolution; beside it a legend with live read-outs and a chart of f against step.

use super::contour::{ContourCache, surface_shade};
use super::state::{RaceView, STEP_SPEEDS, TRAILS};
use crate::surface::View;
use crate::widgets::braille::{DOT, braille, line, to_sub_f};
use crate::widgets::chart::{Plot, Trace, log_scale, nice_ceil, symlog, symlog_scale};
use crate::widgets::chrome::panel;
use crate::widgets::format::{axis_label, fig, group};
use crate::widgets::palette::{ColorMode, racer_color};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The key a cached contour layer is valid for.
fn cache_key(app: &RaceView, w: usize, h: usize) -> String {
    format!(
        "{:?}|{:?}|{w}x{h}",
        app.race.spec.surface, app.race.spec.view
    )
}

/// Draws the surface, minima and trails into `area`.
pub fn draw_race(buf: &mut Buffer, area: Rect, app: &RaceView) {
    let (w, h) = (area.width as usize, area.height as usize);
    if w == 0 || h == 0 {
        return;
    }
    let key = cache_key(app, w, h);
    let mut cache = app.contour.borrow_mut();
    if cache.as_ref().is_none_or(|c| c.key != key) {
        let mut c = ContourCache::compute(&app.race.surface, &app.race.spec.view, w, h);
        c.key = key;
        *cache = Some(c);
    }
    let Some(c) = cache.as_ref() else { return };
    let pal = &app.chrome.palette;
    let line_fg = match pal.mode {
        ColorMode::Mono => Color::Reset,
        ColorMode::Ansi16 => Color::DarkGray,
        _ => pal.dim(),
    };
    // Trails: per cell, the dots of the last racer to pass and which racer it was.
    let mut trail: Vec<(u8, Option<usize>)> = vec![(0, None); w * h];
    let f = &c.frame;
    let keep = TRAILS[app.trail];
    for (ri, r) in app.race.runners.iter().enumerate() {
        let mut prev: Option<(f64, f64)> = None;
        for p in r.path.tail(keep) {
            let sub = to_sub_f(f, *p);
            if let (Some(a), Some(b)) = (prev, sub) {
                line(a, b, (2 * w) as i64, (4 * h) as i64, |sx, sy| {
                    let cell = &mut trail[(sy / 4) * w + sx / 2];
                    if cell.1 != Some(ri) {
                        *cell = (0, Some(ri));
                    }
                    cell.0 |= DOT[sx % 2][sy % 4];
                });
            }
            prev = sub;
        }
    }
    for j in 0..h {
        for i in 0..w {
            let (shade, lines) = c.cells[j * w + i];
            let Some(cell) = buf.cell_mut((area.x + i as u16, area.y + j as u16)) else {
                continue;
            };
            let mut style = Style::default();
            if let Some(bg) = surface_shade(pal, shade) {
                style = style.bg(bg);
            }
            let (tbits, who) = trail[j * w + i];
            let bits = match who {
                Some(ri) => {
                    style = style.fg(racer_color(pal, ri)).add_modifier(Modifier::BOLD);
                    tbits
                }
                None => {
                    style = style.fg(line_fg);
                    lines
                }
            };
            if bits == 0 {
                cell.set_symbol(" ");
            } else {
                cell.set_char(braille(bits));
            }
            cell.set_style(style);
        }
    }
    let mut mark = |p: [f64; 2], sym: &str, fg: Color| {
        if let Some((sx, sy)) = f.to_sub(p)
            && let Some(cell) = buf.cell_mut((area.x + (sx / 2) as u16, area.y + (sy / 4) as u16))
        {
            cell.set_symbol(sym);
            cell.set_fg(fg);
            cell.modifier.insert(Modifier::BOLD);
        }
    };
    let white = if pal.colored() {
        Color::White
    } else {
        Color::Reset
    };
    for &m in app.race.surface.minima() {
        mark(m, "✕", white);
    }
    mark(app.race.spec.start, "○", white);
    for (ri, r) in app.race.runners.iter().enumerate() {
        let sym = if pal.colored() {
            "●".to_string()
        } else {
            (ri + 1).to_string()
        };
        mark(r.point, &sym, racer_color(pal, ri));
    }
}

/// The whole race screen.
///
/// ```text
/// ┌ title · surface · racers ───────────────────────────── step 240 ▶ ┐
/// │┌ surface ────────────────────────────┐┌ racers ─────────────────┐ │
/// ││ contour heatmap, level lines,       ││ ● name  optimizer        │ │
/// ││ minima ✕, start ○, trails, points ● ││   step · f · |∇f|        │ │
/// ││                                     │└──────────────────────────┘ │
/// ││                                     │┌ f − f* by step (log) ────┐ │
/// │└─────────────────────────────────────┘└──────────────────────────┘ │
/// └ status · key hints ─────────────────────────────────────────────────┘
/// ```
pub fn render(frame: &mut Frame, app: &RaceView) {
    let Some([title, body, status]) = app.chrome.rows(frame) else {
        return;
    };
    let side_w = (body.width * 36 / 100).clamp(30, 60);
    let [main, side] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(side_w)]).areas(body);
    let legend_h = (2 * app.race.runners.len() as u16 + 2).min(side.height / 2);
    let [legend, chart] =
        Layout::vertical([Constraint::Length(legend_h), Constraint::Fill(1)]).areas(side);

    let n = app.race.runners.len();
    let details = format!(
        "─ {} · {n} {} from ({}, {}) ",
        app.race.surface.kind().label(),
        if n == 1 { "racer" } else { "racers" },
        crate::optim::fmt_num(app.race.spec.start[0]),
        crate::optim::fmt_num(app.race.spec.start[1])
    );
    let state = if app.running { "▶" } else { "⏸" };
    app.chrome.draw_title(
        frame,
        title,
        details,
        format!("step {} {state} ", group(app.race.step)),
    );

    // The surface, with axes.
    let log = app.contour.borrow().as_ref().is_some_and(|c| c.log);
    let block = panel(
        format!(
            " {} {}",
            app.race.surface.kind().label(),
            if log { "· log-spaced levels " } else { "" }
        ),
        true,
        &app.chrome.palette,
    );
    let inner = block.inner(main);
    frame.render_widget(block, main);
    if inner.width >= 10 && inner.height >= 3 {
        let label_w = 6u16;
        let plot = Rect::new(
            inner.x + label_w,
            inner.y,
            inner.width - label_w,
            inner.height - 1,
        );
        draw_race(frame.buffer_mut(), plot, app);
        let v = match app.contour.borrow().as_ref() {
            Some(c) => View {
                x: c.frame.x,
                y: c.frame.y,
            },
            None => app.race.spec.view,
        };
        let dim = Style::default().fg(app.chrome.palette.dim());
        let buf = frame.buffer_mut();
        buf.set_string(inner.x, plot.y, format!("{:>5}", axis_label(v.y[1])), dim);
        buf.set_string(
            inner.x,
            plot.y + plot.height - 1,
            format!("{:>5}", axis_label(v.y[0])),
            dim,
        );
        let by = plot.y + plot.height;
        buf.set_string(plot.x, by, axis_label(v.x[0]), dim);
        let x1 = axis_label(v.x[1]);
        buf.set_string(
            (plot.x + plot.width).saturating_sub(x1.len() as u16),
            by,
            &x1,
            dim,
        );
    }

    // Legend and read-outs.
    let block = panel(" racers (tab selects) ", false, &app.chrome.palette);
    let inner = block.inner(legend);
    frame.render_widget(block, legend);
    let mut lines = Vec::new();
    for (i, r) in app.race.runners.iter().enumerate() {
        let sel = i == app.selected;
        let mut name = Style::default()
            .fg(racer_color(&app.chrome.palette, i))
            .add_modifier(Modifier::BOLD);
        if sel {
            name = name.add_modifier(Modifier::REVERSED);
        }
        let marker = if app.chrome.palette.colored() {
            "●".to_string()
        } else {
            (i + 1).to_string()
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{marker} {}", r.racer.name), name),
            Span::raw(format!(" {}", r.racer.optimizer.summary())),
        ]));
        let g = r.grad[0].hypot(r.grad[1]);
        let tail = if r.diverged {
            "  diverged".to_string()
        } else {
            String::new()
        };
        lines.push(Line::from(Span::styled(
            format!(
                "  step {} · f {} · |∇f| {}{tail}",
                group(r.path.step()),
                fig(r.value),
                fig(g)
            ),
            Style::default().fg(app.chrome.palette.dim()),
        )));
    }
    frame.render_widget(Paragraph::new(lines), inner);

    value_chart(frame, chart, app);

    // Status.
    let speed = match STEP_SPEEDS[app.speed] {
        Some(1.0) => "1 step/s".into(),
        Some(v) => format!("{v} steps/s"),
        None => "max".into(),
    };
    let trail = match TRAILS[app.trail] {
        0 => "whole".into(),
        n => format!("{n} steps"),
    };
    let spans = vec![
        Span::styled(
            if app.running {
                " ▶ racing "
            } else {
                " ⏸ paused "
            },
            Style::default().add_modifier(Modifier::BOLD),
        ),
        Span::styled(
            format!(
                "step {} · speed {speed} · trail {trail} ",
                group(app.race.step)
            ),
            Style::default().fg(app.chrome.palette.dim()),
        ),
    ];
    let hints = "space pause · ←↑↓→ start · [ ] lr · a/x racer · s surface · z/Z zoom · ? help ";
    app.chrome.draw_status(frame, status, spans, hints);
}

/// f against step for every racer: log of f − f* when the surface has a known minimum,
/// f on a symmetric log scale otherwise (saddles are unbounded below: a linear axis would
/// flatten every racer into a line at 0 once one has run off to −1e11).
fn value_chart(frame: &mut Frame, area: Rect, app: &RaceView) {
    let floor = app.race.floor();
    let y = |v: f64| match floor {
        Some(f0) => (v - f0).max(1e-16).log10(),
        None => symlog(v),
    };
    let max_points = (area.width as usize * 2).max(2);
    let series: Vec<Vec<(f64, f64)>> = app
        .race
        .runners
        .iter()
        .map(|r| {
            let n = r.values.len();
            let stride = n.div_ceil(max_points).max(1);
            (0..n)
                .step_by(stride)
                .chain(std::iter::once(n - 1))
                .map(|k| (r.values.steps()[k] as f64, y(r.values.points()[k])))
                .filter(|p| p.1.is_finite())
                .collect()
        })
        .collect();
    let (lo, hi) = series
        .iter()
        .flatten()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
            (a.min(p.1), b.max(p.1))
        });
    let ((y0, y1), y_ticks) = match floor {
        Some(_) => log_scale(lo, hi),
        None => symlog_scale(lo, hi),
    };
    let steps = nice_ceil(app.race.step as f64);
    let pal = &app.chrome.palette;
    let traces: Vec<Trace<'_>> = series
        .iter()
        .enumerate()
        .map(|(i, s)| Trace::new(s, racer_color(pal, i)))
        .collect();
    let title = if floor.is_some() {
        " f − f* by step (log) "
    } else {
        " f by step (symmetric log) "
    };
    let block = panel(title, false, pal);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    Plot {
        x: (0.0, steps),
        y: (y0, y1),
        y_ticks,
        x_ticks: Vec::new(),
        traces,
        cursor: None,
        axis: Style::default().fg(pal.dim()),
    }
    .render(inner, frame.buffer_mut());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surface::{Surface, SurfaceKind, SurfaceParams};

    #[test]
    fn rosenbrock_levels_are_log_spaced_and_the_saddle_linear() {
        let s = Surface::new(SurfaceParams {
            kind: SurfaceKind::Rosenbrock,
            ..SurfaceParams::default()
        });
        assert!(ContourCache::compute(&s, &s.default_view(), 40, 20).log);
        let s = Surface::new(SurfaceParams {
            kind: SurfaceKind::Saddle,
            ..SurfaceParams::default()
        });
        let c = ContourCache::compute(&s, &s.default_view(), 40, 20);
        assert!(!c.log);
        // Level lines cross the view.
        assert!(c.cells.iter().filter(|c| c.1 != 0).count() > 40);
    }

    #[test]
    fn lines_are_clipped_and_bounded() {
        let mut n = 0;
        line((-1e9, 5.0), (1e9, 5.0), 10, 10, |x, y| {
            assert!(x < 10 && y == 5);
            n += 1;
        });
        assert!(n > 0);
    }
}
