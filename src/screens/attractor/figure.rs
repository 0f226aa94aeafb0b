//! The Lorenz chapter as a figure.

use super::state::{AttractorView, TRAILS};
use crate::export::plot::{CYCLE, canvas, legend, text};
use crate::export::raster::Image;
use plotters::prelude::{
    BLACK, ChartBuilder, Circle, Color as _, IntoLogRange, LineSeries, PathElement,
    SeriesLabelPosition,
};

/// The Lorenz chapter as a figure: the trails from the terminal view's angle beside each
/// trajectory's x(t) and the distance between them on a log axis, where nearby starts are
/// seen to part exponentially until they span the attractor.
pub fn attractor(app: &AttractorView, w: u32, h: u32) -> Result<Image, Box<dyn std::error::Error>> {
    canvas(w, h, |root| {
        let flow = &app.flow;
        let t_end = flow.steps as f64 * flow.dt;
        let l = &app.spec.system;
        let title = format!(
            "{} — σ {} · ρ {} · β {:.4} · t = {t_end:.2}",
            app.chrome.title, l.sigma, l.rho, l.beta
        );
        let root = root.titled(&title, text(h as f64 / 26.0))?;
        let (left, right) = root.split_horizontally(w * 9 / 20);
        // The projection, scaled as the terminal view: about ±35 across, ±32 up and down.
        let mut chart = ChartBuilder::on(&left)
            .margin(16)
            .caption("rotating projection", text(16.0))
            .build_cartesian_2d(-35.0..35.0, -32.0..32.0)?;
        let keep = TRAILS[app.trail];
        for (i, path) in flow.paths.iter().enumerate() {
            let col = CYCLE[i % CYCLE.len()];
            let pts: Vec<(f64, f64)> = path.tail(keep).iter().map(|&p| app.project(p)).collect();
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
        let n = flow.paths.iter().map(|p| p.len()).min().unwrap_or(0);
        let step_of = |k: usize| flow.paths.first().map_or(k, |p| p.steps()[k]);
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
                steps
                    .iter()
                    .map(|&k| (step_of(k) as f64 * flow.dt, path.points()[k][0])),
                col.stroke_width(1),
            ))?;
        }
        let spread: Vec<(f64, f64)> = steps
            .iter()
            .map(|&k| (step_of(k) as f64 * flow.dt, flow.spread_at(k)))
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
