//! The moving-averages chapter as a figure, as the notebook draws it: the noisy points as
//! dots and each β's average as a line over them.

use super::state::AveragesView;
use crate::export::plot::{CYCLE, canvas, legend, span, text, tick};
use crate::export::raster::Image;
use plotters::prelude::{
    BLACK, ChartBuilder, Circle, Color as _, LineSeries, PathElement, SeriesLabelPosition,
};

pub fn averages(app: &AveragesView, w: u32, h: u32) -> Result<Image, Box<dyn std::error::Error>> {
    canvas(w, h, |root| {
        let t = app.shown.min(app.xs.len());
        let title = format!(
            "{} — t = {t}{}",
            app.chrome.title,
            if app.corrected {
                ", bias corrected"
            } else {
                ""
            }
        );
        let root = root.titled(&title, text(h as f64 / 26.0))?;
        let (lo, hi) = app
            .xs
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                (a.min(x), b.max(x))
            });
        let pad = 0.05 * (hi - lo).abs().max(1e-9);
        let mut chart = ChartBuilder::on(&root)
            .margin(16)
            .x_label_area_size(32)
            .y_label_area_size(52)
            .build_cartesian_2d(0.0..app.spec.points as f64 + 1.0, span(lo - pad, hi + pad)?)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .disable_y_mesh()
            .label_style(text(13.0))
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| tick(*v))
            .x_desc("t")
            .draw()?;
        chart
            .draw_series(
                app.xs[..t]
                    .iter()
                    .enumerate()
                    .map(|(i, &x)| Circle::new(((i + 1) as f64, x), 2, BLACK.mix(0.35).filled())),
            )?
            .label("x_t")
            .legend(|(x, y)| Circle::new((x + 8, y), 3, BLACK.mix(0.35).filled()));
        for (i, (b, v)) in app.spec.betas.iter().zip(app.averages()).enumerate() {
            let col = CYCLE[i % CYCLE.len()];
            chart
                .draw_series(LineSeries::new(
                    v.iter().enumerate().map(|(k, &y)| ((k + 1) as f64, y)),
                    col.stroke_width(2),
                ))?
                .label(format!("β = {b}"))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 16, y)], col.stroke_width(2))
                });
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        Ok(())
    })
}
