//! The Lorenz attractor in Braille: every trajectory's trail projected from the current
//! viewing angle, in its own colour, with its current point marked.

use super::state::{AttractorView, SPEEDS, TRAILS};
use crate::widgets::braille::{DOT, braille, line};
use crate::widgets::chrome::panel;
use crate::widgets::format::{fig, group};
use crate::widgets::palette::racer_color;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

/// ```text
/// ┌ title · σ ρ β dt · t ─────────────────────────────────────────── step ▶ ┐
/// │┌ Lorenz attractor, rotating ─────────────────────────────────────────┐  │
/// ││ trails in Braille, one colour per start, ● current points           │  │
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
            format!("● ({}, {}, {}) ", s[0], s[1], s[2]),
            Style::default().fg(racer_color(&app.chrome.palette, i)),
        ));
    }
    let block = panel(" Lorenz attractor ", false, &app.chrome.palette)
        .title_bottom(Line::from(legend).right_aligned());
    let inner = block.inner(body);
    frame.render_widget(block, body);
    draw(frame, inner, app);

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
    // A fixed scale for the attractor's extent (about ±30 across, ±30 up and down), with
    // square dots: horizontal and vertical units are the same on screen.
    let (sw, sh) = ((2 * w) as f64, (4 * h) as f64);
    let scale = (sw / 70.0).min(sh / 64.0);
    let to_px = |(u, v): (f64, f64)| (sw / 2.0 + u * scale, sh / 2.0 - v * scale);
    let mut cells: Vec<(u8, Option<usize>)> = vec![(0, None); w * h];
    let keep = TRAILS[app.trail];
    for (i, path) in app.flow.paths.iter().enumerate() {
        let mut prev: Option<(f64, f64)> = None;
        for p in path.tail(keep) {
            let q = to_px(app.project(*p));
            if let Some(a) = prev {
                line(a, q, sw as i64, sh as i64, |x, y| {
                    let cell = &mut cells[(y / 4) * w + x / 2];
                    if cell.1 != Some(i) {
                        *cell = (0, Some(i));
                    }
                    cell.0 |= DOT[x % 2][y % 4];
                });
            }
            prev = Some(q);
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
                cell.set_symbol(if app.chrome.palette.colored() {
                    "●"
                } else {
                    ["1", "2", "3", "4", "5", "6"][k % 6]
                });
                cell.set_style(
                    Style::default()
                        .fg(racer_color(&app.chrome.palette, k))
                        .add_modifier(Modifier::BOLD),
                );
            }
        }
    }
}
