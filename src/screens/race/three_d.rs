//! The race in 3-D: the surface over the view as a lit height field (log-spaced heights when
//! the surface spans decades, as the contour's levels are), every racer's path on it in its
//! colour, its minima and the start marked. `v` switches between this and the contour map.

use super::contour::HeightGrid;
use super::state::{RaceView, TRAILS};
use crate::surface::SurfaceKind;
use crate::widgets::palette::{ColorMode, Palette, racer_color, to_256};
use crate::widgets::surface3d::{Mark, Path3, Scene};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;

/// The height ramp, low to high: matplotlib's viridis (the notebooks' surfaces), dimmed so
/// that the racers' bright colours stand out on it.
const RAMP: [(u8, u8, u8); 5] = [
    (50, 8, 70),
    (42, 62, 108),
    (24, 108, 106),
    (70, 150, 74),
    (180, 166, 40),
];

fn ramp(h: f64) -> (f64, f64, f64) {
    let t = h.clamp(0.0, 1.0) * (RAMP.len() - 1) as f64;
    let i = (t as usize).min(RAMP.len() - 2);
    let f = t - i as f64;
    let m = |a: u8, b: u8| a as f64 + (b as f64 - a as f64) * f;
    let (a, b) = (RAMP[i], RAMP[i + 1]);
    (m(a.0, b.0), m(a.1, b.1), m(a.2, b.2))
}

fn rgb(pal: &Palette, (r, g, b): (f64, f64, f64), k: f64) -> Option<Color> {
    let c = |v: f64| (v * k).round().clamp(0.0, 255.0) as u8;
    let (r, g, b) = (c(r), c(g), c(b));
    match pal.mode {
        ColorMode::Truecolor => Some(Color::Rgb(r, g, b)),
        ColorMode::Ansi256 => Some(Color::Indexed(to_cube((r, g, b)))),
        ColorMode::Ansi16 | ColorMode::Mono => None,
    }
}

/// The nearest entry of xterm's 6×6×6 colour cube, never its grey ramp: a surface keeps its
/// hue in shadow.
fn to_cube((r, g, b): (u8, u8, u8)) -> u8 {
    let i = to_256((r, g, b));
    if i < 232 {
        return i;
    }
    const STEPS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    let near = |v: u8| {
        (0..6)
            .min_by_key(|&k| (STEPS[k] as i32 - v as i32).abs())
            .unwrap_or(0) as u8
    };
    16 + 36 * near(r) + 6 * near(g) + near(b)
}

/// The shade of a cell on the surface: its height's colour, darker in shadow. In 256 colours
/// the light varies less and the colours sit higher, where the colour cube has more entries
/// than at its dark end (which would round to greys).
pub fn shade(pal: &Palette, height: f64, light: f64) -> Option<Color> {
    match pal.mode {
        ColorMode::Ansi256 => rgb(pal, ramp(height), 1.0 + 0.45 * light),
        _ => rgb(pal, ramp(height), 0.45 + 0.75 * light),
    }
}

/// The mesh over a cell: lighter than a shadowed shade, darker than a lit one.
pub fn mesh(pal: &Palette, height: f64, light: f64) -> Color {
    let k = 0.45 + 0.75 * light;
    let k = if k < 0.8 { k + 0.55 } else { k - 0.5 };
    match pal.mode {
        ColorMode::Mono => Color::Reset,
        // Without backgrounds the mesh carries the shape: coloured by height.
        ColorMode::Ansi16 => match (height * 4.0) as usize {
            0 => Color::Blue,
            1 => Color::Cyan,
            2 => Color::Green,
            _ => Color::Yellow,
        },
        ColorMode::Ansi256 => {
            rgb(pal, ramp(height), if light > 0.5 { 0.7 } else { 1.9 }).unwrap_or(Color::Reset)
        }
        _ => rgb(pal, ramp(height), k).unwrap_or(Color::Reset),
    }
}

/// Draws the race in 3-D into `area`.
pub fn draw(buf: &mut Buffer, area: Rect, app: &RaceView) {
    let mut cache = app.heights.borrow_mut();
    let (surface, view) = (&app.race.surface, &app.race.spec.view);
    if cache
        .as_ref()
        .is_none_or(|c| c.key != HeightGrid::key(surface, view))
    {
        *cache = Some(HeightGrid::compute(surface, view));
    }
    let Some(g) = cache.as_ref() else { return };
    let heights: Vec<f64> = g.values.iter().map(|&v| g.scale.frac(v)).collect();
    let v = app.race.spec.view;
    let unit = |p: [f64; 2], f: f64| -> [f64; 3] {
        let (x, y) = (
            (p[0] - v.x[0]) / (v.x[1] - v.x[0]),
            (p[1] - v.y[0]) / (v.y[1] - v.y[0]),
        );
        if (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y) && f.is_finite() {
            [x, y, g.scale.frac(f).clamp(0.0, 1.0)]
        } else {
            [f64::NAN; 3]
        }
    };
    let keep = TRAILS[app.trail];
    let pal = &app.chrome.palette;
    let paths: Vec<Path3> = app
        .race
        .runners
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let (pts, vals) = (r.path.tail(keep), r.values.tail(keep));
            Path3 {
                points: pts.iter().zip(vals).map(|(p, f)| unit(*p, *f)).collect(),
                color: racer_color(pal, i),
            }
        })
        .collect();
    let white = if pal.colored() {
        Color::White
    } else {
        Color::Reset
    };
    let s = &app.race.surface;
    let mut marks: Vec<Mark> = s
        .minima()
        .iter()
        .map(|&m| Mark {
            at: unit(m, s.value(m)),
            symbol: "✕".into(),
            color: white,
        })
        .collect();
    let start = app.race.spec.start;
    marks.push(Mark {
        at: unit(start, s.value(start)),
        symbol: "○".into(),
        color: white,
    });
    for (i, r) in app.race.runners.iter().enumerate() {
        marks.push(Mark {
            at: unit(r.point, r.value),
            symbol: if pal.colored() {
                "●".into()
            } else {
                (i + 1).to_string()
            },
            color: racer_color(pal, i),
        });
    }
    let axes = if s.kind() == SurfaceKind::CurveFit {
        ["a", "b"]
    } else {
        ["x", "y"]
    };
    let shade_of = |h: f64, l: f64| shade(pal, h, l);
    let mesh_of = |h: f64, l: f64| mesh(pal, h, l);
    Scene {
        heights: &heights,
        nx: g.n,
        ny: g.n,
        orbit: app.orbit,
        shade: &shade_of,
        mesh: &mesh_of,
        // Without a shaded background the mesh alone shows the shape: denser.
        mesh_lines: if pal.mode == ColorMode::Ansi16 || pal.mode == ColorMode::Mono {
            16
        } else {
            12
        },
        paths: &paths,
        marks: &marks,
        axes,
        frame_color: pal.dim(),
        still: false,
    }
    .render(area, buf);
}
