//! An optimizer race as a figure: filled contours, level lines, paths, minima.

use super::contour::ContourCache;
use super::state::RaceView;
use crate::export::plot::{CYCLE, canvas, legend, mix, text};
use crate::export::raster::Image;
use plotters::prelude::{
    ChartBuilder, Circle, Color as _, Cross, LineSeries, PathElement, Rectangle,
    SeriesLabelPosition, WHITE,
};

/// An optimizer race as a figure: filled contours, level lines, paths, minima.
pub fn race(app: &RaceView, w: u32, h: u32) -> Result<Image, Box<dyn std::error::Error>> {
    canvas(w, h, |root| {
        let v = app.race.spec.view;
        let title = format!("{} — step {}", app.chrome.title, app.race.step);
        // Filled contours from the same layer the terminal view uses, at a fine resolution;
        // its frame (the view widened to keep the surface's shape) sets the axes.
        let (nx, ny) = (160usize, 120usize);
        let c = ContourCache::compute(&app.race.surface, &v, nx, ny);
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
