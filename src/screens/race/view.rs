//! The optimizer race: the surface as a Braille-cell heatmap with level lines (log-spaced
//! when the surface spans decades), its minima, and every racer's trail at Braille
//! resolution; beside it a legend with live read-outs and a chart of f against step.

use super::contour::{ContourCache, surface_shade};
use super::state::{RaceView, STEP_SPEEDS, TRAILS};
use super::three_d;
use crate::surface::View;
use crate::widgets::braille::{DOT, braille, line, to_sub_f};
use crate::widgets::chart::{Plot, Trace, log_scale, nice_ceil, symlog, symlog_scale};
use crate::widgets::chrome::panel;
use crate::widgets::format::{fig, group};
use crate::widgets::palette::{ColorMode, racer_color};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph};

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
        // Lighter than the lightest shade under them (dark grey 8 in sixteen colours, grey
        // 241 in 256), darker than the racers' colours.
        ColorMode::Ansi16 => Color::Gray,
        ColorMode::Ansi256 => Color::Indexed(247),
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
                // Without colour the level lines are thinned to every other dot (a
                // checkerboard) and dim, so the racers' solid trails stand out from them.
                None if pal.mode == ColorMode::Mono => {
                    style = style.add_modifier(Modifier::DIM);
                    lines & MONO_LEVEL_DOTS
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

/// The Braille dots kept of a level line in mono: those with `dx + dy` even (dots 1, 3, 5, 8).
const MONO_LEVEL_DOTS: u8 = 0x01 | 0x04 | 0x10 | 0x80;

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
    let [legend, rest] =
        Layout::vertical([Constraint::Length(legend_h), Constraint::Fill(1)]).areas(side);
    // The curve fit's data and the curve each racer's (a, b) draws, above the chart of f.
    let fit = app.race.surface.kind() == crate::surface::SurfaceKind::CurveFit && rest.height >= 12;
    let [fit_area, chart] = if fit {
        Layout::vertical([Constraint::Percentage(55), Constraint::Fill(1)]).areas(rest)
    } else {
        [Rect::default(), rest]
    };

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
    let curve_fit = app.race.surface.kind() == crate::surface::SurfaceKind::CurveFit;
    let log = if app.three_d {
        app.heights.borrow().as_ref().is_some_and(|g| g.scale.log)
    } else {
        app.contour.borrow().as_ref().is_some_and(|c| c.log)
    };
    let block = panel(
        format!(
            " {} {}{}",
            app.race.surface.kind().label(),
            // The plane is the model's parameters.
            match (curve_fit, app.three_d) {
                (true, false) => "· a across, b up ",
                (_, true) => "· 3-D ",
                _ => "",
            },
            match (log, app.three_d) {
                (true, false) => "· log-spaced levels ",
                (true, true) => "· log height ",
                _ => "",
            }
        ),
        true,
        &app.chrome.palette,
    );
    let inner = block.inner(main);
    frame.render_widget(block, main);
    if app.three_d {
        three_d::draw(frame.buffer_mut(), inner, app);
    } else if inner.width >= 10 && inner.height >= 3 {
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
        // Round numbers where they fall (the view's edges are wherever the square dots put
        // them): multiples of 1, 2 or 5 × 10ᵏ, about three an axis.
        let mut last_row = None;
        for t in round_ticks(v.y[0], v.y[1]).into_iter().rev() {
            let f = (v.y[1] - t) / (v.y[1] - v.y[0]);
            let row = plot.y + ((f * plot.height as f64) as u16).min(plot.height.saturating_sub(1));
            if last_row.is_some_and(|r: u16| row <= r + 1) {
                continue;
            }
            last_row = Some(row);
            buf.set_string(inner.x, row, format!("{:>5}", round_label(t)), dim);
        }
        let by = plot.y + plot.height;
        let mut free = plot.x;
        for t in round_ticks(v.x[0], v.x[1]) {
            let s = round_label(t);
            let len = s.chars().count() as u16;
            let f = (t - v.x[0]) / (v.x[1] - v.x[0]);
            let col = plot.x + ((f * plot.width as f64) as u16).min(plot.width.saturating_sub(1));
            let at = col.saturating_sub(len / 2).clamp(
                plot.x,
                (plot.x + plot.width).saturating_sub(len).max(plot.x),
            );
            if at < free {
                continue;
            }
            free = at + len + 2;
            buf.set_string(at, by, &s, dim);
        }
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
        // The racer's head on the map (a dot in colour, its number in mono) and its number,
        // which marks its line on the chart.
        let marker = if app.chrome.palette.colored() {
            format!("● {}", i + 1)
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
    // Too short for two lines a racer: one each, its value beside its name; still too short,
    // as many as fit and how many more there are.
    let rows = inner.height as usize;
    if lines.len() > rows {
        let n = app.race.runners.len();
        let mut short: Vec<Line> = lines
            .chunks(2)
            .zip(&app.race.runners)
            .map(|(pair, r)| {
                let mut head = pair[0]
                    .spans
                    .first()
                    .cloned()
                    .map_or_else(Vec::new, |s| vec![s]);
                head.push(Span::styled(
                    format!(" f {}", fig(r.value)),
                    Style::default().fg(app.chrome.palette.dim()),
                ));
                Line::from(head)
            })
            .collect();
        if short.len() > rows && rows > 0 {
            short.truncate(rows - 1);
            short.push(Line::from(Span::styled(
                format!("+{} more", n - (rows - 1)),
                Style::default().fg(app.chrome.palette.dim()),
            )));
        }
        lines = short;
    }
    frame.render_widget(Paragraph::new(lines), inner);

    if fit {
        fit_chart(frame, fit_area, app);
    }
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
    let hints = if app.three_d {
        "space pause · ←→ turn · ↑↓ tilt · o spin · v map · ? help "
    } else {
        "space pause · ←↑↓→ start · [ ] lr · a/x racer · s surface · v 3-D · z/Z zoom · ? help "
    };
    app.chrome.draw_status(frame, status, spans, hints);
}

/// Two decimals, for a title that must stay short.
fn fmt_short(v: f64) -> String {
    format!("{v:.2}")
}

/// The curve fit: its data points, and y = sin(b·cos(a·x)) at each racer's (a, b), moving as
/// the racer steps.
fn fit_chart(frame: &mut Frame, area: Rect, app: &RaceView) {
    let pal = &app.chrome.palette;
    let data: Vec<(f64, f64)> = app.race.surface.data().to_vec();
    let n = (area.width as usize * 2).max(8);
    let curves: Vec<Vec<(f64, f64)>> = app
        .race
        .runners
        .iter()
        .map(|r| {
            let [a, b] = r.point;
            (0..=n)
                .map(|i| {
                    let x = -1.0 + 2.0 * i as f64 / n as f64;
                    (x, crate::surface::Surface::fitted(a, b, x))
                })
                .collect()
        })
        .collect();
    let sel = app.race.runners.get(app.selected);
    let title = match sel {
        Some(r) => format!(
            " y = sin(b·cos(a·x)), a {} b {} ",
            fmt_short(r.point[0]),
            fmt_short(r.point[1])
        ),
        None => " y = sin(b·cos(a·x)) ".into(),
    };
    let mut sets = vec![
        Dataset::default()
            .name("data")
            .marker(Marker::Dot)
            .graph_type(GraphType::Scatter)
            .style(Style::default().fg(pal.dim()))
            .data(&data),
    ];
    for (i, c) in curves.iter().enumerate() {
        sets.push(
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(Style::default().fg(racer_color(pal, i)))
                .data(c),
        );
    }
    let dim = Style::default().fg(pal.dim());
    let chart = Chart::new(sets)
        .block(panel(title, false, pal))
        .x_axis(
            Axis::default()
                .bounds([-1.0, 1.0])
                .labels(["-1", "x", "1"])
                .style(dim),
        )
        .y_axis(
            Axis::default()
                .bounds([-1.2, 1.2])
                .labels(["-1", "y", "1"])
                .style(dim),
        )
        .legend_position(None);
    frame.render_widget(chart, area);
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
        // Each line marked with its racer's number, as its head on the map is (what tells
        // the lines apart in mono).
        .map(|(i, s)| {
            Trace::new(s, racer_color(pal, i))
                .marker(char::from_digit((i as u32 + 1) % 10, 10).unwrap_or('?'))
        })
        .collect();
    let title = if floor.is_some() {
        " f − f* by step (log) "
    } else {
        " f by step (symmetric log) "
    };
    let block = panel(title, false, pal);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    Plot::new((0.0, steps), ((y0, y1), y_ticks), traces, pal.dim())
        .render(inner, frame.buffer_mut());
}

/// Round values inside [lo, hi]: the multiples of the largest step of 1, 2 or 5 × 10ᵏ that
/// gives at least three of them.
fn round_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) {
        return Vec::new();
    }
    let p = 10f64.powf(span.log10().floor());
    let ticks = |s: f64| {
        (
            (lo / s - 1e-9).ceil() as i64,
            (hi / s + 1e-9).floor() as i64,
        )
    };
    let step = [5.0, 2.0, 1.0, 0.5, 0.2, 0.1]
        .iter()
        .map(|m| m * p)
        .find(|&s| {
            let (a, b) = ticks(s);
            b - a >= 2
        })
        .unwrap_or(0.1 * p);
    let (a, b) = ticks(step);
    (a..=b.min(a + 12)).map(|k| k as f64 * step).collect()
}

/// A round value in as few digits as it needs.
fn round_label(v: f64) -> String {
    let s = format!("{:.3}", if v.abs() < 1e-9 { 0.0 } else { v });
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
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

    #[test]
    fn race_axes_are_labelled_in_round_numbers() {
        assert_eq!(super::round_ticks(-2.5, 2.0), vec![-2.0, 0.0, 2.0]);
        assert_eq!(
            super::round_ticks(-1.3, 3.3),
            vec![-1.0, 0.0, 1.0, 2.0, 3.0]
        );
        assert_eq!(
            super::round_ticks(0.0, 0.3),
            vec![0.0, 0.1, 0.2, 0.30000000000000004]
        );
        assert!(super::round_ticks(1.0, 1.0).is_empty());
        assert_eq!(super::round_label(-2.0), "-2");
    }
}
