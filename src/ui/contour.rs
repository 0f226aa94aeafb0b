//! The optimizer race: the surface as a Braille-cell heatmap with level lines (log-spaced
//! when the surface spans decades), its minima, and every racer's trail at Braille
//! resolution; beside it a legend with live read-outs and a chart of f against step.

use super::heatmap::{Frame2d, braille, line, to_sub_f};
use super::palette::{ColorMode, Palette};
use super::{axis_label, fig, group, panel};
use crate::race::{RaceApp, STEP_SPEEDS, TRAILS};
use crate::surface::{Surface, View};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph};

/// Level lines drawn across the surface's range.
const LINES: usize = 18;
/// Background shades, low to high f.
const SHADES: usize = 10;
const DOT: [[u8; 4]; 2] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]];

/// The contour layer of one surface, view and size.
#[derive(Clone, Debug)]
pub struct ContourCache {
    key: String,
    pub frame: Frame2d,
    /// Per cell: background shade (0 = lowest f) and the dots of level lines.
    pub cells: Vec<(u8, u8)>,
    /// Whether levels are log-spaced.
    pub log: bool,
}

impl ContourCache {
    /// Evaluates f at every Braille dot of a `w`×`h` grid over `view` (widened on one axis so
    /// that dots are square and the surface keeps its true shape).
    pub fn compute(surface: &Surface, view: &View, w: usize, h: usize) -> Self {
        let frame = Frame2d::fit(view.x, view.y, w, h);
        let (sw, sh) = (2 * w, 4 * h);
        // Closed-form surfaces are evaluated at every dot; a surface that costs a pass over
        // data per point (the curve fit) on a grid 4 dots apart, interpolated bilinearly.
        let stride = if surface.kind() == crate::surface::SurfaceKind::CurveFit {
            4
        } else {
            1
        };
        let (gw, gh) = (sw.div_ceil(stride) + 1, sh.div_ceil(stride) + 1);
        let mut grid = Vec::with_capacity(gw * gh);
        for gy in 0..gh {
            for gx in 0..gw {
                grid.push(surface.value(frame.sub_point(gx * stride, gy * stride)));
            }
        }
        let mut v = Vec::with_capacity(sw * sh);
        for sy in 0..sh {
            for sx in 0..sw {
                if stride == 1 {
                    v.push(grid[sy * gw + sx]);
                    continue;
                }
                let (gx, gy) = (sx / stride, sy / stride);
                let (fx, fy) = (
                    (sx % stride) as f64 / stride as f64,
                    (sy % stride) as f64 / stride as f64,
                );
                let at = |x: usize, y: usize| grid[y.min(gh - 1) * gw + x.min(gw - 1)];
                let top = at(gx, gy) * (1.0 - fx) + at(gx + 1, gy) * fx;
                let bottom = at(gx, gy + 1) * (1.0 - fx) + at(gx + 1, gy + 1) * fx;
                v.push(top * (1.0 - fy) + bottom * fy);
            }
        }
        let finite: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
        let (lo, hi) = finite
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                (a.min(x), b.max(x))
            });
        let spread = hi - lo;
        // Log-spaced when the surface spans decades: the lowest tenth of the view lies within
        // a hundredth of the range above the minimum.
        let mut above: Vec<f64> = finite.iter().map(|x| x - lo).collect();
        above.sort_by(f64::total_cmp);
        let p10 = above.get(above.len() / 10).copied().unwrap_or(0.0);
        let log = spread > 0.0 && spread > 100.0 * p10;
        let eps = (spread * 1e-5).max(1e-12);
        let t = |x: f64| if log { (x - lo + eps).ln() } else { x };
        let (t0, t1) = (t(lo), t(hi));
        let level = |x: f64| -> usize {
            if !x.is_finite() || t1 <= t0 {
                return 0;
            }
            (((t(x) - t0) / (t1 - t0) * LINES as f64) as usize).min(LINES - 1)
        };
        let lv: Vec<usize> = v.iter().map(|&x| level(x)).collect();
        let mut cells = vec![(0u8, 0u8); w * h];
        for j in 0..h {
            for i in 0..w {
                let mut bits = 0u8;
                let mut sum = 0.0;
                for d in 0..8 {
                    let (sx, sy) = (2 * i + d % 2, 4 * j + d / 2);
                    let k = sy * sw + sx;
                    let here = lv[k];
                    let right = if sx + 1 < sw { lv[k + 1] } else { here };
                    let down = if sy + 1 < sh { lv[k + sw] } else { here };
                    if here != right || here != down {
                        bits |= DOT[d % 2][d / 2];
                    }
                    sum += if v[k].is_finite() && t1 > t0 {
                        (t(v[k]) - t0) / (t1 - t0)
                    } else {
                        1.0
                    };
                }
                let shade = ((sum / 8.0) * SHADES as f64).min(SHADES as f64 - 1.0) as u8;
                cells[j * w + i] = (shade, bits);
            }
        }
        ContourCache {
            key: String::new(),
            frame,
            cells,
            log,
        }
    }
}

/// The key a cached contour layer is valid for.
fn cache_key(app: &RaceApp, w: usize, h: usize) -> String {
    format!(
        "{:?}|{:?}|{w}x{h}",
        app.race.spec.surface, app.race.spec.view
    )
}

fn surface_shade(pal: &Palette, level: u8) -> Option<Color> {
    // Dim, so that level lines and trails stand out: navy (low f) to dull amber (high f).
    const STOPS: [(u8, u8, u8); 4] = [(16, 22, 48), (24, 58, 72), (62, 78, 52), (104, 80, 40)];
    let t = level as f64 / (SHADES - 1) as f64 * (STOPS.len() - 1) as f64;
    let i = (t as usize).min(STOPS.len() - 2);
    let f = t - i as f64;
    let m = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * f).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    let rgb = (m(a.0, b.0), m(a.1, b.1), m(a.2, b.2));
    match pal.mode {
        ColorMode::Truecolor => Some(Color::Rgb(rgb.0, rgb.1, rgb.2)),
        ColorMode::Ansi256 => Some(Color::Indexed(super::palette::to_256(rgb))),
        ColorMode::Ansi16 => Some(match level {
            0..=2 => Color::Black,
            3..=6 => Color::Reset,
            _ => Color::Black,
        }),
        ColorMode::Mono => None,
    }
}

/// A racer's colour.
pub fn racer_color(pal: &Palette, i: usize) -> Color {
    const RGB: [(u8, u8, u8); 8] = [
        (255, 99, 99),
        (255, 214, 80),
        (90, 220, 255),
        (230, 120, 255),
        (120, 235, 120),
        (255, 160, 60),
        (240, 240, 240),
        (110, 150, 255),
    ];
    const C16: [Color; 8] = [
        Color::LightRed,
        Color::LightYellow,
        Color::LightCyan,
        Color::LightMagenta,
        Color::LightGreen,
        Color::Yellow,
        Color::White,
        Color::LightBlue,
    ];
    let c = RGB[i % 8];
    match pal.mode {
        ColorMode::Truecolor => Color::Rgb(c.0, c.1, c.2),
        ColorMode::Ansi256 => Color::Indexed(super::palette::to_256(c)),
        ColorMode::Ansi16 => C16[i % 8],
        ColorMode::Mono => Color::Reset,
    }
}

/// Draws the surface, minima and trails into `area`.
pub fn draw_race(buf: &mut Buffer, area: Rect, app: &RaceApp) {
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
    let pal = &app.palette;
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
        let from = if keep == 0 {
            0
        } else {
            r.path.len().saturating_sub(keep + 1)
        };
        let mut prev: Option<(f64, f64)> = None;
        for p in &r.path[from..] {
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
pub fn render(frame: &mut Frame, app: &RaceApp) {
    let area = frame.area();
    let Some([title, body, status]) = super::screen_rows(frame, app.stage.presenter) else {
        return;
    };
    let side_w = (body.width * 36 / 100).clamp(30, 60);
    let [main, side] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(side_w)]).areas(body);
    let legend_h = (2 * app.race.runners.len() as u16 + 2).min(side.height / 2);
    let [legend, chart] =
        Layout::vertical([Constraint::Length(legend_h), Constraint::Fill(1)]).areas(side);

    if app.stage.presenter {
        super::banner(frame, title, &app.stage.title(&app.title), &app.palette);
    } else {
        let state = if app.running { "▶" } else { "⏸" };
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(
                    format!(" {} ", app.stage.title(&app.title)),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::styled(
                    format!(
                        "─ {} · {} racers from ({}, {}) ",
                        app.race.surface.kind().name(),
                        app.race.runners.len(),
                        crate::optim::fmt_num(app.race.spec.start[0]),
                        crate::optim::fmt_num(app.race.spec.start[1])
                    ),
                    Style::default().fg(app.palette.dim()),
                ),
            ])),
            title,
        );
        frame.render_widget(
            Paragraph::new(format!("step {} {state} ", group(app.race.step)))
                .alignment(ratatui::layout::Alignment::Right),
            title,
        );
    }

    // The surface, with axes.
    let log = app.contour.borrow().as_ref().is_some_and(|c| c.log);
    let block = panel(
        format!(
            " {} {}",
            app.race.surface.kind().name(),
            if log { "· log-spaced levels " } else { "" }
        ),
        true,
        &app.palette,
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
        let dim = Style::default().fg(app.palette.dim());
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
    let block = panel(" racers (tab selects) ", false, &app.palette);
    let inner = block.inner(legend);
    frame.render_widget(block, legend);
    let mut lines = Vec::new();
    for (i, r) in app.race.runners.iter().enumerate() {
        let sel = i == app.selected;
        let mut name = Style::default()
            .fg(racer_color(&app.palette, i))
            .add_modifier(Modifier::BOLD);
        if sel {
            name = name.add_modifier(Modifier::REVERSED);
        }
        let marker = if app.palette.colored() {
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
                group(r.path.len() - 1),
                fig(r.value),
                fig(g)
            ),
            Style::default().fg(app.palette.dim()),
        )));
    }
    frame.render_widget(Paragraph::new(lines), inner);

    value_chart(frame, chart, app);

    // Status.
    let speed = match STEP_SPEEDS[app.speed] {
        Some(v) => format!("{v} steps/s"),
        None => "max".into(),
    };
    let trail = match TRAILS[app.trail] {
        0 => "whole".into(),
        n => format!("{n} steps"),
    };
    let mut spans = vec![
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
            Style::default().fg(app.palette.dim()),
        ),
    ];
    if let Some(rec) = &app.recording {
        spans.insert(1, super::rec_span(rec, &app.palette));
    }
    let hints = "space pause · ←↑↓→ start · [ ] lr · a/x racer · s surface · z/Z zoom · ? help ";
    super::status_bar(
        frame,
        status,
        spans,
        &app.message,
        hints,
        app.stage.presenter,
        &app.palette,
    );

    if app.stage.show_notes {
        super::overlay::notes(
            frame,
            area,
            &app.stage.title(&app.title),
            &app.notes,
            &app.palette,
        );
    }
    if app.help {
        let lines = super::overlay::table_lines(
            crate::keymap::RACE_BINDINGS,
            &[(crate::keymap::Context::Everywhere, "optimizer race")],
            &app.palette,
        );
        super::overlay::help_box(frame, area, lines, &app.palette);
    }
    if let Some(ed) = &app.editor {
        super::overlay::editor(frame, area, &app.palette, ed);
    }
}

/// f against step for every racer: log of f − f* when the surface has a known minimum,
/// plain f otherwise (saddles are unbounded below).
fn value_chart(frame: &mut Frame, area: Rect, app: &RaceApp) {
    let floor = app.race.floor();
    let y = |v: f64| match floor {
        Some(f0) => (v - f0).max(1e-16).log10(),
        None => v,
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
                .map(|k| (k as f64, y(r.values[k])))
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
    let (lo, hi) = if lo.is_finite() && hi > lo {
        if floor.is_some() {
            (lo.floor(), hi.ceil())
        } else {
            (lo, hi)
        }
    } else {
        (lo.min(0.0) - 1.0, hi.max(0.0) + 1.0)
    };
    let steps = crate::app::nice_ceil(app.race.step as f64);
    let datasets: Vec<Dataset> = series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(Style::default().fg(racer_color(&app.palette, i)))
                .data(s)
        })
        .collect();
    let label = |v: f64| {
        if floor.is_some() {
            format!("1e{}", v as i32)
        } else {
            fig(v)
        }
    };
    let title = if floor.is_some() {
        " f − f* by step (log) "
    } else {
        " f by step "
    };
    let dim = Style::default().fg(app.palette.dim());
    let chart = Chart::new(datasets)
        .block(panel(title, false, &app.palette))
        .x_axis(
            Axis::default()
                .bounds([0.0, steps])
                .style(dim)
                .labels(["0".to_string(), group(steps as usize)]),
        )
        .y_axis(
            Axis::default()
                .bounds([lo, hi])
                .style(dim)
                .labels([label(lo), label(hi)]),
        )
        .legend_position(None);
    frame.render_widget(chart, area);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surface::{SurfaceKind, SurfaceParams};

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
