//! Figures in the notebooks' matplotlib look, drawn with plotters, for slides: the decision
//! boundary as a smooth probability field with its 0.5 contour and the points beside the loss
//! and accuracy curves; races as filled contours with every optimizer's path.

use super::raster::{FONT, Image};
use crate::app::App;
use crate::attractor::AttractorApp;
use crate::compare::CompareApp;
use crate::nn::Workspace;
use crate::race::RaceApp;
use ndarray::Array2;
use plotters::coord::CoordTranslate;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::{
    BLACK, BitMapBackend, Cartesian2d, ChartBuilder, ChartContext, Circle, Color as _, Cross,
    DrawingArea, EmptyElement, IntoDrawingArea, IntoLogRange, LineSeries, PathElement, RGBColor,
    Rectangle, SeriesLabelPosition, ShapeStyle, WHITE,
};
use plotters::style::{FontStyle, IntoFont, TextStyle};
use std::sync::Once;

type Res = Result<(), Box<dyn std::error::Error>>;

static FONT_ONCE: Once = Once::new();

fn register_font() {
    FONT_ONCE.call_once(|| {
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
    });
}

const ORANGE: (f64, f64, f64) = (245.0, 147.0, 34.0);
const BLUE: (f64, f64, f64) = (8.0, 119.0, 189.0);

fn mix(a: (f64, f64, f64), b: (f64, f64, f64), t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    RGBColor(
        (a.0 + (b.0 - a.0) * t) as u8,
        (a.1 + (b.1 - a.1) * t) as u8,
        (a.2 + (b.2 - a.2) * t) as u8,
    )
}

/// Playground's field colours: orange below 0.5, blue above, white at the boundary, in the
/// notebooks' 25 filled bands (`contourf(…, 25)`): flat areas that also keep GIFs small.
fn field_color(p: f64) -> RGBColor {
    let p = ((p.clamp(0.0, 1.0) * 25.0).floor().min(24.0) + 0.5) / 25.0;
    let white = (255.0, 255.0, 255.0);
    if p < 0.5 {
        mix(white, ORANGE, (0.5 - p) * 2.0 * 0.75)
    } else {
        mix(white, BLUE, (p - 0.5) * 2.0 * 0.75)
    }
}

type Area<'a> = DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>;

/// A white `w`×`h` canvas handed to `draw`, returned as an image.
fn canvas(
    w: u32,
    h: u32,
    draw: impl FnOnce(&Area<'_>) -> Res,
) -> Result<Image, Box<dyn std::error::Error>> {
    register_font();
    let mut buf = vec![255u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        root.fill(&WHITE)?;
        draw(&root)?;
        root.present()?;
    }
    Ok(to_image(buf, w, h))
}

/// The legend box of a chart's labelled series.
fn legend<'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, BitMapBackend<'a>, CT>,
    position: SeriesLabelPosition,
) -> Res {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font(text(12.0))
        .draw()?;
    Ok(())
}

fn to_image(buf: Vec<u8>, w: u32, h: u32) -> Image {
    let pixels = buf
        .chunks_exact(3)
        .map(|c| ((c[0] as u32) << 16) | ((c[1] as u32) << 8) | c[2] as u32)
        .collect();
    Image {
        width: w as usize,
        height: h as usize,
        pixels,
    }
}

fn text(size: f64) -> TextStyle<'static> {
    ("sans-serif", size).into_font().color(&BLACK)
}

/// The classifier chapter as a figure of `w`×`h` pixels.
pub fn classifier(app: &App, w: u32, h: u32) -> Result<Image, Box<dyn std::error::Error>> {
    canvas(w, h, |root| {
        let title = format!("{} — epoch {}", app.title, app.snap.epoch);
        let root = root.titled(&title, text(h as f64 / 24.0))?;
        let (left, right) = root.split_horizontally(w / 2);
        boundary(app, &left, "decision boundary")?;
        let (top, bottom) = right.split_vertically(right.dim_in_pixel().1 / 2);
        let recs = app.history.whole();
        let red = RGBColor(214, 39, 40);
        let blue = RGBColor(31, 119, 180);
        for (area, loss) in [(&top, true), (&bottom, false)] {
            let lines = vec![
                Curve::of(&recs, loss, false, "train", blue, 2),
                Curve::of(&recs, loss, true, "test", red, 2),
            ];
            curves(area, if loss { "loss" } else { "accuracy" }, loss, lines)?;
        }
        Ok(())
    })
}

/// Runs side by side as a figure: every run's boundary in a row above shared loss and accuracy
/// charts with one colour per run (test thick, train thin), the notebook's comparison.
pub fn compare(c: &CompareApp, w: u32, h: u32) -> Result<Image, Box<dyn std::error::Error>> {
    canvas(w, h, |root| {
        let epoch = c.runs.iter().map(|(_, a)| a.snap.epoch).max().unwrap_or(0);
        let title = format!("{} — epoch {epoch}", c.title);
        let root = root.titled(&title, text(h as f64 / 24.0))?;
        let rows = root.dim_in_pixel().1;
        let (top, bottom) = root.split_vertically(rows * 11 / 20);
        let panels = top.split_evenly((1, c.runs.len().max(1)));
        for ((name, app), area) in c.runs.iter().zip(&panels) {
            let caption = match app.history.last() {
                Some(r) => format!("{name} · test {:.3}", r.test_acc),
                None => name.clone(),
            };
            boundary(app, area, &caption)?;
        }
        let (left, right) = bottom.split_horizontally(w / 2);
        for (area, loss) in [(&left, true), (&right, false)] {
            let mut lines = Vec::new();
            for (i, (name, app)) in c.runs.iter().enumerate() {
                let recs = app.history.whole();
                let col = CYCLE[i % CYCLE.len()];
                lines.push(Curve::of(&recs, loss, false, "", mix_rgb(col, 0.45), 1));
                lines.push(Curve::of(&recs, loss, true, name, col, 2));
            }
            let caption = if loss {
                "loss (test thick, train thin)"
            } else {
                "accuracy (test thick, train thin)"
            };
            curves(area, caption, loss, lines)?;
        }
        Ok(())
    })
}

/// `c` lightened towards white by `t`.
fn mix_rgb(c: RGBColor, t: f64) -> RGBColor {
    mix(
        (f64::from(c.0), f64::from(c.1), f64::from(c.2)),
        (255.0, 255.0, 255.0),
        t,
    )
}

fn boundary(app: &App, area: &Area<'_>, caption: &str) -> Res {
    let (vx, vy) = app.snap.data.view();
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(28)
        .y_label_area_size(40)
        .caption(caption, text(16.0))
        .build_cartesian_2d(vx[0]..vx[1], vy[0]..vy[1])?;
    chart
        .configure_mesh()
        .disable_mesh()
        .label_style(text(12.0))
        .draw()?;
    // The probability field on a fine grid.
    let n = 120usize;
    let (dx, dy) = ((vx[1] - vx[0]) / n as f64, (vy[1] - vy[0]) / n as f64);
    let pts: Vec<[f64; 2]> = (0..n)
        .flat_map(|j| {
            (0..n).map(move |i| [vx[0] + (i as f64 + 0.5) * dx, vy[0] + (j as f64 + 0.5) * dy])
        })
        .collect();
    let x = Array2::from_shape_fn((pts.len(), 2), |(i, k)| pts[i][k] as f32);
    let mut ws = Workspace::default();
    let probs = app.field.predict(x.view(), &mut ws);
    let k = probs.ncols();
    let p: Vec<f64> = probs
        .rows()
        .into_iter()
        .map(|r| {
            if k == 1 {
                r[0] as f64
            } else {
                1.0 - r[0] as f64
            }
        })
        .collect();
    chart.draw_series(pts.iter().zip(&p).map(|(q, &pv)| {
        Rectangle::new(
            [
                (q[0] - dx / 2.0, q[1] - dy / 2.0),
                (q[0] + dx / 2.0, q[1] + dy / 2.0),
            ],
            field_color(pv).filled(),
        )
    }))?;
    // The 0.5 contour: where neighbouring grid values straddle it, interpolated.
    let mut contour = Vec::new();
    for j in 0..n {
        for i in 0..n {
            let a = p[j * n + i];
            for (ni, nj, horizontal) in [(i + 1, j, true), (i, j + 1, false)] {
                if ni >= n || nj >= n {
                    continue;
                }
                let b = p[nj * n + ni];
                if (a - 0.5) * (b - 0.5) < 0.0 {
                    let t = (0.5 - a) / (b - a);
                    let q = pts[j * n + i];
                    contour.push(if horizontal {
                        (q[0] + t * dx, q[1])
                    } else {
                        (q[0], q[1] + t * dy)
                    });
                }
            }
        }
    }
    chart.draw_series(contour.iter().map(|&c| Circle::new(c, 1, BLACK.filled())))?;
    let class_color = |y: usize| {
        if y == 0 {
            mix(ORANGE, ORANGE, 0.0)
        } else {
            mix(BLUE, BLUE, 0.0)
        }
    };
    chart.draw_series(
        app.snap
            .data
            .train
            .x
            .iter()
            .zip(&app.snap.data.train.y)
            .map(|(q, &y)| {
                EmptyElement::at((q[0], q[1]))
                    + Circle::new((0, 0), 3, class_color(y).filled())
                    + Circle::new((0, 0), 3, WHITE.stroke_width(1))
            }),
    )?;
    chart.draw_series(
        app.snap
            .data
            .test
            .x
            .iter()
            .zip(&app.snap.data.test.y)
            .map(|(q, &y)| {
                Cross::new(
                    (q[0], q[1]),
                    3,
                    ShapeStyle::from(&class_color(y)).stroke_width(2),
                )
            }),
    )?;
    Ok(())
}

/// One line of a loss or accuracy chart; an empty label keeps it out of the legend.
struct Curve {
    label: String,
    color: RGBColor,
    width: u32,
    points: Vec<(f64, f64)>,
}

impl Curve {
    /// The train or test loss or accuracy of a history, dropping values a log axis cannot show.
    fn of(
        recs: &[crate::train::Record],
        loss: bool,
        test: bool,
        label: &str,
        color: RGBColor,
        width: u32,
    ) -> Curve {
        let points = recs
            .iter()
            .map(|r| {
                let v = match (loss, test) {
                    (true, false) => r.train_loss,
                    (true, true) => r.test_loss,
                    (false, false) => r.train_acc,
                    (false, true) => r.test_acc,
                };
                (r.epoch as f64, v)
            })
            .filter(|p| p.1.is_finite() && (!loss || p.1 > 0.0))
            .collect();
        Curve {
            label: label.into(),
            color,
            width,
            points,
        }
    }
}

/// A loss chart (log axis spanning at least a decade) or an accuracy chart (up to 1).
fn curves(area: &Area<'_>, caption: &str, loss: bool, lines: Vec<Curve>) -> Res {
    let all = || lines.iter().flat_map(|c| c.points.iter());
    let last = all().map(|p| p.0).fold(1.0f64, f64::max);
    let mut b = ChartBuilder::on(area);
    b.margin(12)
        .x_label_area_size(28)
        .y_label_area_size(52)
        .caption(caption, text(16.0));
    if loss {
        let (lo, hi) = all().fold((f64::INFINITY, 0.0f64), |(lo, hi), p| {
            (lo.min(p.1), hi.max(p.1))
        });
        let (lo, hi) = if lo.is_finite() && hi > lo {
            ((lo * 0.8).min(hi * 1.25 / 10.0), hi * 1.25)
        } else {
            (0.01, 1.0)
        };
        let chart = b.build_cartesian_2d(0.0..last, (lo..hi).log_scale())?;
        draw_lines(chart, lines, SeriesLabelPosition::UpperRight)
    } else {
        let lo = all().map(|p| p.1).fold(1.0f64, f64::min);
        let lo = (((lo - 0.05) * 10.0).floor() / 10.0).max(0.0);
        let chart = b.build_cartesian_2d(0.0..last, lo..1.0)?;
        draw_lines(chart, lines, SeriesLabelPosition::LowerRight)
    }
}

/// Axes, lines and legend on a chart whose y axis is linear or logarithmic.
fn draw_lines<'a, Y>(
    mut chart: ChartContext<'a, BitMapBackend<'a>, Cartesian2d<RangedCoordf64, Y>>,
    lines: Vec<Curve>,
    position: SeriesLabelPosition,
) -> Res
where
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    chart
        .configure_mesh()
        .label_style(text(12.0))
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.3}"))
        .x_desc("epoch")
        .draw()?;
    for c in lines {
        let (col, width) = (c.color, c.width);
        let drawn = chart.draw_series(LineSeries::new(c.points, col.stroke_width(width)))?;
        if !c.label.is_empty() {
            drawn.label(c.label).legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 16, y)], col.stroke_width(width))
            });
        }
    }
    legend(&mut chart, position)
}

/// Racer colours in matplotlib's default cycle.
const CYCLE: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];

/// An optimizer race as a figure: filled contours, level lines, paths, minima.
pub fn race(app: &RaceApp, w: u32, h: u32) -> Result<Image, Box<dyn std::error::Error>> {
    canvas(w, h, |root| {
        let v = app.race.spec.view;
        let title = format!("{} — step {}", app.title, app.race.step);
        // Filled contours from the same layer the terminal view uses, at a fine resolution;
        // its frame (the view widened to keep the surface's shape) sets the axes.
        let (nx, ny) = (160usize, 120usize);
        let c = crate::ui::contour::ContourCache::compute(&app.race.surface, &v, nx, ny);
        let (fx, fy) = (c.frame.x, c.frame.y);
        let (dx, dy) = ((fx[1] - fx[0]) / nx as f64, (fy[1] - fy[0]) / ny as f64);
        let mut chart = ChartBuilder::on(root)
            .margin(16)
            .caption(title, text(h as f64 / 26.0))
            .x_label_area_size(30)
            .y_label_area_size(44)
            .build_cartesian_2d(fx[0]..fx[1], fy[0]..fy[1])?;
        chart
            .configure_mesh()
            .disable_mesh()
            .label_style(text(12.0))
            .draw()?;
        let viridis = [
            (68.0, 1.0, 84.0),
            (59.0, 82.0, 139.0),
            (33.0, 145.0, 140.0),
            (94.0, 201.0, 98.0),
            (253.0, 231.0, 37.0),
        ];
        let shade = |s: u8| {
            let t = s as f64 / 9.0 * 4.0;
            let i = (t as usize).min(3);
            mix(viridis[i], viridis[i + 1], t - i as f64)
        };
        chart.draw_series(
            (0..ny)
                .flat_map(|j| (0..nx).map(move |i| (i, j)))
                .map(|(i, j)| {
                    let (x0, y1) = (fx[0] + i as f64 * dx, fy[1] - j as f64 * dy);
                    Rectangle::new(
                        [(x0, y1 - dy), (x0 + dx, y1)],
                        shade(c.cells[j * nx + i].0).filled(),
                    )
                }),
        )?;
        chart.draw_series(
            (0..ny)
                .flat_map(|j| (0..nx).map(move |i| (i, j)))
                .filter(|&(i, j)| c.cells[j * nx + i].1 != 0)
                .map(|(i, j)| {
                    Circle::new(
                        (fx[0] + (i as f64 + 0.5) * dx, fy[1] - (j as f64 + 0.5) * dy),
                        1,
                        WHITE.mix(0.6).filled(),
                    )
                }),
        )?;
        for &m in app.race.surface.minima() {
            chart.draw_series(std::iter::once(Cross::new(
                (m[0], m[1]),
                6,
                WHITE.stroke_width(3),
            )))?;
        }
        for (i, r) in app.race.runners.iter().enumerate() {
            let col = CYCLE[i % CYCLE.len()];
            let path: Vec<(f64, f64)> = r
                .path
                .iter()
                .filter(|p| p[0].is_finite() && p[1].is_finite())
                .map(|p| {
                    (
                        p[0].clamp(fx[0] - 1e3, fx[1] + 1e3),
                        p[1].clamp(fy[0] - 1e3, fy[1] + 1e3),
                    )
                })
                .collect();
            chart
                .draw_series(LineSeries::new(path, col.stroke_width(2)))?
                .label(format!(
                    "{} ({})",
                    r.racer.name,
                    r.racer.optimizer.summary()
                ))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 16, y)], col.stroke_width(3))
                });
            chart.draw_series(std::iter::once(Circle::new(
                (r.point[0], r.point[1]),
                5,
                col.filled(),
            )))?;
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        Ok(())
    })
}

/// The Lorenz chapter as a figure: the trails from the terminal view's angle beside each
/// trajectory's x(t) and the distance between them on a log axis, where nearby starts are
/// seen to part exponentially until they span the attractor.
pub fn attractor(app: &AttractorApp, w: u32, h: u32) -> Result<Image, Box<dyn std::error::Error>> {
    canvas(w, h, |root| {
        let flow = &app.flow;
        let t_end = flow.steps as f64 * flow.dt;
        let l = &app.spec.system;
        let title = format!(
            "{} — σ {} · ρ {} · β {:.4} · t = {t_end:.2}",
            app.title, l.sigma, l.rho, l.beta
        );
        let root = root.titled(&title, text(h as f64 / 26.0))?;
        let (left, right) = root.split_horizontally(w * 9 / 20);
        // The projection, scaled as the terminal view: about ±35 across, ±32 up and down.
        let mut chart = ChartBuilder::on(&left)
            .margin(16)
            .caption("rotating projection", text(16.0))
            .build_cartesian_2d(-35.0..35.0, -32.0..32.0)?;
        let keep = crate::attractor::TRAILS[app.trail];
        for (i, path) in flow.paths.iter().enumerate() {
            let col = CYCLE[i % CYCLE.len()];
            let from = if keep == 0 {
                0
            } else {
                path.len().saturating_sub(keep + 1)
            };
            let pts: Vec<(f64, f64)> = path[from..].iter().map(|&p| app.project(p)).collect();
            let s = flow.starts[i];
            chart
                .draw_series(LineSeries::new(pts, col.stroke_width(1)))?
                .label(format!("from ({}, {}, {})", s[0], s[1], s[2]))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 16, y)], col.stroke_width(2))
                });
            if let Some(&p) = path.last() {
                chart.draw_series(std::iter::once(Circle::new(
                    app.project(p),
                    5,
                    col.filled(),
                )))?;
            }
        }
        legend(&mut chart, SeriesLabelPosition::LowerRight)?;

        // Time series, thinned to a few thousand points each.
        let n = flow.paths.iter().map(Vec::len).min().unwrap_or(0);
        let stride = n.div_ceil(3000).max(1);
        let steps: Vec<usize> = (0..n)
            .step_by(stride)
            .chain((n > 0).then_some(n - 1))
            .collect();
        let t_max = (t_end).max(flow.dt);
        let (top, bottom) = right.split_vertically(right.dim_in_pixel().1 / 2);
        let mut xs = ChartBuilder::on(&top)
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(44)
            .caption("x(t)", text(16.0))
            .build_cartesian_2d(0.0..t_max, -25.0..25.0)?;
        xs.configure_mesh()
            .label_style(text(12.0))
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| format!("{v:.0}"))
            .draw()?;
        for (i, path) in flow.paths.iter().enumerate() {
            let col = CYCLE[i % CYCLE.len()];
            xs.draw_series(LineSeries::new(
                steps.iter().map(|&k| (k as f64 * flow.dt, path[k][0])),
                col.stroke_width(1),
            ))?;
        }
        let spread: Vec<(f64, f64)> = steps
            .iter()
            .map(|&k| (k as f64 * flow.dt, flow.spread_at(k)))
            .filter(|p| p.1 > 0.0)
            .collect();
        let lo = spread.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
        let lo = if lo.is_finite() { lo * 0.5 } else { 1e-3 };
        let mut ds = ChartBuilder::on(&bottom)
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(44)
            .caption("largest distance between the trajectories", text(16.0))
            .build_cartesian_2d(0.0..t_max, (lo..100.0).log_scale())?;
        ds.configure_mesh()
            .label_style(text(12.0))
            .x_label_formatter(&|v| format!("{v:.0}"))
            .x_desc("t")
            .draw()?;
        ds.draw_series(LineSeries::new(spread, BLACK.stroke_width(2)))?;
        Ok(())
    })
}
