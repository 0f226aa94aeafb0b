//! An optimizer race as a figure: filled contours, level lines, paths, minima.

use super::contour::{ContourCache, LINES};
use super::state::RaceView;
use crate::export::plot::{
    Area, CYCLE, Res, canvas, fill_smooth, legend, level_segments, mix, span, text, tick,
};
use crate::export::raster::Image;
use plotters::prelude::{
    ChartBuilder, Circle, Color as _, Cross, LineSeries, PathElement, Rectangle,
    SeriesLabelPosition, WHITE,
};

/// An optimizer race as a figure: filled contours, level lines, paths, minima; or, where the
/// live view shows the surface in 3-D, the surface from the same angle with the paths on it.
pub fn race(app: &RaceView, w: u32, h: u32) -> Result<Image, Box<dyn std::error::Error>> {
    if app.three_d {
        return race_3d(app, w, h);
    }
    canvas(w, h, |root| {
        let v = app.race.spec.view;
        let title = format!("{} — step {}", app.chrome.title, app.race.step);
        // Filled contours from the same layer the terminal view uses, at a fine resolution;
        // its frame (the view widened to keep the surface's shape) sets the axes.
        let (nx, ny) = (160usize, 120usize);
        let c = ContourCache::compute(&app.race.surface, &v, nx, ny);
        let (fx, fy) = (c.frame.x, c.frame.y);
        let (dx, dy) = ((fx[1] - fx[0]) / nx as f64, (fy[1] - fy[0]) / ny as f64);
        // f on a grid at the cells' centres, row 0 at the bottom; shaded and lined in
        // log(f − min) when the surface spans decades (as the terminal view does).
        let f: Vec<f64> = (0..ny)
            .flat_map(|j| (0..nx).map(move |i| (i, j)))
            .map(|(i, j)| {
                app.race
                    .surface
                    .value([fx[0] + (i as f64 + 0.5) * dx, fy[0] + (j as f64 + 0.5) * dy])
            })
            .collect();
        let lo = f
            .iter()
            .copied()
            .filter(|x| x.is_finite())
            .fold(f64::INFINITY, f64::min);
        let hi = f
            .iter()
            .copied()
            .filter(|x| x.is_finite())
            .fold(f64::NEG_INFINITY, f64::max);
        let eps = ((hi - lo) * 1e-5).max(1e-12);
        let log = c.log;
        let to_t = move |x: f64| if log { (x - lo + eps).ln() } else { x };
        let from_t = move |t: f64| if log { t.exp() + lo - eps } else { t };
        let t: Vec<f64> = f.iter().map(|&x| to_t(x)).collect();
        let (t0, t1) = (to_t(lo), to_t(hi));
        let t1 = if t1 > t0 { t1 } else { t0 + 1.0 };
        let (main, bar) = root.split_horizontally(w.saturating_sub(110));
        let mut chart = ChartBuilder::on(&main)
            .margin(16)
            .margin_right(24)
            .caption(title, text(h as f64 / 26.0))
            .x_label_area_size(40)
            .y_label_area_size(52)
            .build_cartesian_2d(span(fx[0], fx[1])?, span(fy[0], fy[1])?)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .label_style(text(12.0))
            .x_labels(8)
            .y_labels(8)
            .x_label_formatter(&|v| tick(*v))
            .y_label_formatter(&|v| tick(*v))
            .x_desc("x")
            .y_desc("y")
            .draw()?;
        // Ten filled bands, as matplotlib's contourf.
        let shade = move |tv: f64| {
            let u = ((tv - t0) / (t1 - t0)).clamp(0.0, 1.0);
            let band = (u * 10.0).floor().min(9.0) / 9.0;
            let x = band * 4.0;
            let i = (x as usize).min(3);
            mix(VIRIDIS[i], VIRIDIS[i + 1], x - i as f64)
        };
        fill_smooth(&chart, (fx[0], fx[1]), (fy[0], fy[1]), (&t, nx, ny), shade)?;
        // Level lines as lines, evenly spaced in the shading's scale.
        let to_plane = |g: (f64, f64)| (fx[0] + (g.0 + 0.5) * dx, fy[0] + (g.1 + 0.5) * dy);
        for k in 1..LINES {
            let level = t0 + (t1 - t0) * k as f64 / LINES as f64;
            chart.draw_series(level_segments(&t, nx, ny, level).into_iter().map(|(a, b)| {
                PathElement::new(
                    vec![to_plane(a), to_plane(b)],
                    WHITE.mix(0.55).stroke_width(1),
                )
            }))?;
        }
        colour_bar(&bar, (t0, t1), &shade, &from_t)?;
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
                .points()
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

/// The colour bar beside a race: the bands from low f (bottom) to high, labelled in f.
fn colour_bar(
    area: &Area<'_>,
    (t0, t1): (f64, f64),
    shade: &dyn Fn(f64) -> plotters::prelude::RGBColor,
    from_t: &dyn Fn(f64) -> f64,
) -> Res {
    let mut chart = ChartBuilder::on(area)
        .margin_top(60)
        .margin_bottom(56)
        .margin_right(8)
        .y_label_area_size(64)
        .caption("f", text(14.0))
        .build_cartesian_2d(0.0..1.0, span(t0, t1)?)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .label_style(text(11.0))
        .y_labels(8)
        .y_label_formatter(&|t| {
            let v = from_t(*t);
            if v.abs() >= 1e5 || v.abs() < 0.005 {
                tick(v)
            } else if v.abs() >= 100.0 {
                format!("{v:.0}")
            } else {
                tick(v)
            }
        })
        .draw()?;
    let n = 200;
    chart.draw_series((0..n).map(|k| {
        let a = t0 + (t1 - t0) * k as f64 / n as f64;
        let b = t0 + (t1 - t0) * (k + 1) as f64 / n as f64;
        Rectangle::new([(0.0, a), (1.0, b)], shade((a + b) / 2.0).filled())
    }))?;
    Ok(())
}

/// matplotlib's viridis, low to high: the figure's contour bands and its 3-D surfaces.
const VIRIDIS: [(f64, f64, f64); 5] = [
    (68.0, 1.0, 84.0),
    (59.0, 82.0, 139.0),
    (33.0, 145.0, 140.0),
    (94.0, 201.0, 98.0),
    (253.0, 231.0, 37.0),
];

fn viridis(u: f64) -> (f64, f64, f64) {
    let x = u.clamp(0.0, 1.0) * 4.0;
    let i = (x as usize).min(3);
    let c = mix(VIRIDIS[i], VIRIDIS[i + 1], x - i as f64);
    (f64::from(c.0), f64::from(c.1), f64::from(c.2))
}

/// The race in 3-D as matplotlib's `plot_surface` draws it: the surface's facets far to near
/// (the painter's order), each in viridis by height and lit as the terminal view lights it, a
/// thin mesh, the floor's outline, every racer's path on top, a legend.
fn race_3d(app: &RaceView, w: u32, h: u32) -> Result<Image, Box<dyn std::error::Error>> {
    use crate::widgets::surface3d::lambert;
    use plotters::prelude::{BLACK, Polygon, RGBColor, Text};
    canvas(w, h, |root| {
        let g = super::contour::HeightGrid::compute(&app.race.surface, &app.race.spec.view);
        let n = g.n;
        let v = app.race.spec.view;
        let orbit = app.orbit;
        let top = (h as f64 / 12.0).max(30.0);
        let (pw, ph) = (w as f64, h as f64 - top);
        let k = orbit.scale(pw, ph);
        let px = |p: [f64; 3]| {
            let (a, u, d) = orbit.project(p);
            (
                (pw / 2.0 + a * k) as i32,
                (top + ph / 2.0 - u * k) as i32,
                d,
            )
        };
        let heights: Vec<f64> = g.values.iter().map(|&x| g.scale.frac(x)).collect();
        let at = |i: usize, j: usize| {
            [
                i as f64 / (n - 1) as f64,
                j as f64 / (n - 1) as f64,
                heights[j * n + i],
            ]
        };
        let light = orbit.light();
        let mut facets = Vec::with_capacity((n - 1) * (n - 1));
        for j in 0..n - 1 {
            for i in 0..n - 1 {
                let q = [at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1)];
                if q.iter().any(|p| !p[2].is_finite()) {
                    continue;
                }
                let depth = q.iter().map(|p| px(*p).2).sum::<f64>() / 4.0;
                let height = q.iter().map(|p| p[2]).sum::<f64>() / 4.0;
                let lit =
                    (lambert([q[0], q[1], q[2]], light) + lambert([q[0], q[2], q[3]], light)) / 2.0;
                facets.push((depth, height, lit, q));
            }
        }
        // The floor's outline first, behind the surface.
        let floor = [
            [0.0, 0.0, 0.0],
            [1.0, 0.0, 0.0],
            [1.0, 1.0, 0.0],
            [0.0, 1.0, 0.0],
        ];
        let mut ring: Vec<(i32, i32)> = floor.iter().map(|p| (px(*p).0, px(*p).1)).collect();
        ring.push(ring[0]);
        root.draw(&PathElement::new(ring, BLACK.mix(0.35).stroke_width(1)))?;
        facets.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (_, height, lit, q) in &facets {
            let (r, gg, b) = viridis(*height);
            let f = 0.5 + 0.6 * lit;
            let c = |x: f64| (x * f).round().clamp(0.0, 255.0) as u8;
            let fill = RGBColor(c(r), c(gg), c(b));
            let pts: Vec<(i32, i32)> = q.iter().map(|p| (px(*p).0, px(*p).1)).collect();
            root.draw(&Polygon::new(pts.clone(), fill.filled()))?;
            let mut ring = pts;
            ring.push(ring[0]);
            root.draw(&PathElement::new(ring, fill.mix(0.9).stroke_width(1)))?;
        }
        // The axis names beside the floor's front edges.
        let (fx, fy) = orbit.front_edges();
        let names = if app.race.surface.kind() == crate::surface::SurfaceKind::CurveFit {
            ["a", "b"]
        } else {
            ["x", "y"]
        };
        for (p, name, lo, hi) in [
            ([0.5, fx, 0.0], names[0], v.x[0], v.x[1]),
            ([fy, 0.5, 0.0], names[1], v.y[0], v.y[1]),
        ] {
            let (x, y, _) = px(p);
            root.draw(&Text::new(
                format!("{name}  {} … {}", tick(lo), tick(hi)),
                (x - 30, y),
                text(14.0),
            ))?;
        }
        let to_unit = |p: [f64; 2], f: f64| {
            let u = (p[0] - v.x[0]) / (v.x[1] - v.x[0]);
            let w = (p[1] - v.y[0]) / (v.y[1] - v.y[0]);
            ((0.0..=1.0).contains(&u) && (0.0..=1.0).contains(&w) && f.is_finite())
                .then(|| [u, w, g.scale.frac(f).clamp(0.0, 1.0) + 0.01])
        };
        for (i, r) in app.race.runners.iter().enumerate() {
            let col = CYCLE[i % CYCLE.len()];
            // Unbroken runs of the path inside the view.
            let mut run: Vec<(i32, i32)> = Vec::new();
            let pts = r.path.points().iter().zip(r.values.points());
            for p in pts.map(Some).chain(std::iter::once(None)) {
                match p.and_then(|(p, f)| to_unit(*p, *f)) {
                    Some(u) => run.push((px(u).0, px(u).1)),
                    None => {
                        if run.len() > 1 {
                            root.draw(&PathElement::new(run.clone(), col.stroke_width(3)))?;
                        }
                        run.clear();
                    }
                }
            }
            if let Some(u) = to_unit(r.point, r.value) {
                root.draw(&Circle::new((px(u).0, px(u).1), 6, col.filled()))?;
            }
            // The legend, top left under the title.
            let y = (top + 10.0 + 22.0 * i as f64) as i32;
            root.draw(&PathElement::new(
                vec![(16, y), (40, y)],
                col.stroke_width(4),
            ))?;
            root.draw(&Text::new(
                format!("{} ({})", r.racer.name, r.racer.optimizer.summary()),
                (48, y - 8),
                text(15.0),
            ))?;
        }
        for &m in app.race.surface.minima() {
            if let Some(u) = to_unit(m, app.race.surface.value(m)) {
                root.draw(&Cross::new((px(u).0, px(u).1), 6, WHITE.stroke_width(3)))?;
            }
        }
        let title = format!(
            "{} — step {}{}",
            app.chrome.title,
            app.race.step,
            if g.scale.log { " (log height)" } else { "" }
        );
        root.draw(&Text::new(title, (16, 8), text(h as f64 / 26.0)))?;
        Ok(())
    })
}
