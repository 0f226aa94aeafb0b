//! The network's own loss landscape: training loss over the plane of the weight path's two
//! principal directions, shaded, with the path drawn through it at Braille resolution.

use crate::train::landscape::{self, Landscape};
use crate::widgets::braille::{DOT, Frame2d, braille, line, to_sub_f};
use crate::widgets::chrome::panel;
use crate::widgets::palette::{ColorMode, Palette, to_256};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::Paragraph;
use std::time::Duration;

/// How often the loss landscape is recomputed (in the background) while it is shown.
pub const LANDSCAPE_EVERY: Duration = Duration::from_secs(3);
/// Weight snapshots kept for the landscape's PCA; past this, every other one is dropped.
pub const TRAJECTORY: usize = 160;
/// The landscape's grid.
pub const LANDSCAPE_GRID: (usize, usize) = (28, 14);

/// Computes landscapes on its own thread, so the UI never waits for one.
pub struct LandscapeWorker {
    pub tx: std::sync::mpsc::Sender<LandscapeJob>,
    pub rx: std::sync::mpsc::Receiver<Landscape>,
    pub busy: bool,
}

pub struct LandscapeJob {
    pub net: crate::train::Net,
    pub traj: Vec<(usize, Vec<f32>)>,
    pub x: std::sync::Arc<ndarray::Array2<f32>>,
    pub y: std::sync::Arc<crate::train::Labels>,
}

impl LandscapeWorker {
    pub fn spawn() -> Option<Self> {
        let (tx, jobs) = std::sync::mpsc::channel::<LandscapeJob>();
        let (done, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("nnbook-landscape".into())
            .spawn(move || {
                while let Ok(job) = jobs.recv() {
                    let (nx, ny) = LANDSCAPE_GRID;
                    if let Some(l) = landscape::compute(
                        &job.net,
                        &job.traj,
                        job.x.view(),
                        job.y.targets(),
                        nx,
                        ny,
                    ) && done.send(l).is_err()
                    {
                        return;
                    }
                }
            })
            .ok()?;
        Some(LandscapeWorker {
            tx,
            rx,
            busy: false,
        })
    }
}

fn shade(pal: &Palette, t: f64) -> Option<Color> {
    // Low loss dark teal, high loss dull amber: 10 steps.
    let t = (t.clamp(0.0, 1.0) * 9.0).round() / 9.0;
    let (a, b) = ((14.0, 40.0, 52.0), (120.0, 86.0, 38.0));
    let rgb = (
        (a.0 + (b.0 - a.0) * t) as u8,
        (a.1 + (b.1 - a.1) * t) as u8,
        (a.2 + (b.2 - a.2) * t) as u8,
    );
    match pal.mode {
        ColorMode::Truecolor => Some(Color::Rgb(rgb.0, rgb.1, rgb.2)),
        ColorMode::Ansi256 => Some(Color::Indexed(to_256(rgb))),
        ColorMode::Ansi16 => Some(if t < 0.5 { Color::Black } else { Color::Reset }),
        ColorMode::Mono => None,
    }
}

/// The panel: `l` over its plane, or how many of the 3 snapshots it needs are there.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    l: Option<&Landscape>,
    snapshots: usize,
    pal: &Palette,
) {
    let title = match l {
        Some(l) => format!(
            " loss landscape · PCA of the weight path ({:.1}% of its variance) · m: weights ",
            100.0 * l.explained
        ),
        None => " loss landscape · m: weights ".to_string(),
    };
    let block = panel(title, false, pal);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(l) = l else {
        let msg = format!(
            "collecting the weight path: {} of 3 snapshots needed; computed in the background",
            snapshots.min(3)
        );
        frame.render_widget(
            Paragraph::new(msg).style(Style::default().fg(pal.dim())),
            inner,
        );
        return;
    };
    let (w, h) = (inner.width as usize, inner.height as usize);
    if w == 0 || h == 0 {
        return;
    }
    let f = Frame2d::fit(l.a, l.b, w, h);
    // Log loss over the grid, normalized.
    let logs: Vec<f64> = l.loss.iter().map(|v| v.max(1e-12).ln()).collect();
    let (lo, hi) = logs
        .iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let sample = |p: [f64; 2]| -> Option<f64> {
        // Nearest grid cell of the computed (low-resolution) grid.
        let u = (p[0] - l.a[0]) / (l.a[1] - l.a[0]);
        let v = (l.b[1] - p[1]) / (l.b[1] - l.b[0]);
        if !(0.0..1.0).contains(&u) || !(0.0..1.0).contains(&v) {
            return None;
        }
        let (i, j) = ((u * l.nx as f64) as usize, (v * l.ny as f64) as usize);
        logs.get(j * l.nx + i).copied()
    };
    let mut path_bits = vec![0u8; w * h];
    for pair in l.path.windows(2) {
        if let (Some(a), Some(b)) = (to_sub_f(&f, pair[0]), to_sub_f(&f, pair[1])) {
            line(a, b, (2 * w) as i64, (4 * h) as i64, |sx, sy| {
                path_bits[(sy / 4) * w + sx / 2] |= DOT[sx % 2][sy % 4];
            });
        }
    }
    let buf = frame.buffer_mut();
    for j in 0..h {
        for i in 0..w {
            let Some(cell) = buf.cell_mut((inner.x + i as u16, inner.y + j as u16)) else {
                continue;
            };
            let mut style = Style::default();
            if let Some(v) = sample(f.cell_point(i, j))
                && hi > lo
                && let Some(bg) = shade(pal, (v - lo) / (hi - lo))
            {
                style = style.bg(bg);
            }
            let bits = path_bits[j * w + i];
            if bits != 0 {
                cell.set_char(braille(bits));
                style = style.fg(pal.accent());
            } else {
                cell.set_symbol(" ");
            }
            cell.set_style(style);
        }
    }
    // The shading's key: its own ramp, log loss from low to high.
    if inner.width >= 30 && inner.height >= 5 && hi > lo {
        let (x, y) = (inner.x, inner.y);
        buf.set_string(x, y, " loss: low ", Style::default().fg(pal.dim()));
        let mut cx = x + 11;
        for k in 0..6 {
            if let Some(cell) = buf.cell_mut((cx, y)) {
                cell.set_symbol(" ");
                match shade(pal, k as f64 / 5.0) {
                    Some(bg) => cell.set_bg(bg),
                    // Mono has no shading to key.
                    None => cell.set_symbol("·"),
                };
            }
            cx += 1;
        }
        buf.set_string(cx, y, " high (log) ", Style::default().fg(pal.dim()));
    }
    if let Some(last) = l.path.last()
        && let Some((sx, sy)) = f.to_sub(*last)
        && let Some(cell) = buf.cell_mut((inner.x + (sx / 2) as u16, inner.y + (sy / 4) as u16))
    {
        cell.set_symbol("●");
        cell.set_fg(if pal.colored() {
            Color::White
        } else {
            Color::Reset
        });
        cell.modifier.insert(Modifier::BOLD);
    }
    if let (Some(e0), Some(e1)) = (l.epochs.first(), l.epochs.last()) {
        let label = format!(
            " epochs {}–{} · ● the latest ",
            crate::widgets::format::group(*e0),
            crate::widgets::format::group(*e1)
        );
        let x = inner.x + inner.width.saturating_sub(label.chars().count() as u16);
        buf.set_string(
            x,
            inner.y + inner.height.saturating_sub(1),
            label,
            Style::default().fg(pal.dim()),
        );
    }
}
