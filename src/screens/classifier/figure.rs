//! The classifier chapter as a figure: the boundary as a smooth probability field with its
//! 0.5 contour and the points, beside the loss and accuracy curves.

use super::run::Run;
use super::state::ClassifierView;
use crate::export::plot::{
    Area, BLUE, Curve, ORANGE, Res, canvas, curves, field_color, fill_smooth, level_segments, mix,
    span, text, tick,
};
use crate::export::raster::Image;
use crate::nn::Workspace;
use plotters::prelude::{
    BLACK, ChartBuilder, Circle, Color as _, Cross, EmptyElement, PathElement, RGBColor,
    ShapeStyle, WHITE,
};

/// The classifier chapter as a figure of `w`×`h` pixels.
pub fn classifier(
    app: &ClassifierView,
    w: u32,
    h: u32,
) -> Result<Image, Box<dyn std::error::Error>> {
    canvas(w, h, |root| {
        let title = format!("{} — epoch {}", app.chrome.title, app.run.snap.epoch);
        let root = root.titled(&title, text(h as f64 / 24.0))?;
        let (left, right) = root.split_horizontally(w / 2);
        let caption = if app.run.snap.data.is_regression() {
            "predicted value"
        } else {
            "decision boundary"
        };
        boundary(&app.run, &left, caption)?;
        let (top, bottom) = right.split_vertically(right.dim_in_pixel().1 / 2);
        let recs = app.run.history.whole();
        let red = RGBColor(214, 39, 40);
        let blue = RGBColor(31, 119, 180);
        for (area, loss) in [(&top, true), (&bottom, false)] {
            let lines = vec![
                Curve::of(&recs, loss, false, "train", blue, 2),
                Curve::of(&recs, loss, true, "test", red, 2),
            ];
            let name = match (loss, app.run.snap.data.is_regression()) {
                (true, _) => "loss",
                (false, true) => "R²",
                (false, false) => "accuracy",
            };
            curves(area, name, loss, lines)?;
        }
        Ok(())
    })
}

/// A contact sheet's tile: the boundary now, captioned `epoch 120 · test acc 0.93` (R² in
/// a regression; the train figure when there is no test set).
pub fn tile(app: &ClassifierView, w: u32, h: u32) -> Result<Image, Box<dyn std::error::Error>> {
    let run = &app.run;
    let score = if run.snap.data.is_regression() {
        "R²"
    } else {
        "acc"
    };
    let caption = match run.history.last() {
        Some(r) if r.test_acc.is_finite() => {
            format!("epoch {} · test {score} {:.3}", r.epoch, r.test_acc)
        }
        Some(r) => format!("epoch {} · train {score} {:.3}", r.epoch, r.train_acc),
        None => format!("epoch {}", run.snap.epoch),
    };
    canvas(w, h, |root| boundary(run, root, &caption))
}

pub fn boundary(run: &Run, area: &Area<'_>, caption: &str) -> Res {
    let (vx, vy) = run.snap.data.view();
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .margin_right(24)
        .x_label_area_size(40)
        .y_label_area_size(48)
        .caption(caption, text(16.0))
        .build_cartesian_2d(span(vx[0], vx[1])?, span(vy[0], vy[1])?)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .label_style(text(12.0))
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&|v| tick(*v))
        .y_label_formatter(&|v| tick(*v))
        .x_desc("x1")
        .y_desc("x2")
        .draw()?;
    // The probability field on a fine grid.
    let n = 120usize;
    let (dx, dy) = ((vx[1] - vx[0]) / n as f64, (vy[1] - vy[0]) / n as f64);
    let pts: Vec<[f64; 2]> = (0..n)
        .flat_map(|j| {
            (0..n).map(move |i| [vx[0] + (i as f64 + 0.5) * dx, vy[0] + (j as f64 + 0.5) * dy])
        })
        .collect();
    let mut ws = Workspace::default();
    // A regression's value on its scale, mapped to [0, 1] (the middle neutral).
    let data = &run.snap.data;
    let frac = |v: f64| data.value_fraction(v);
    let p: Vec<f64> = if data.is_regression() {
        run.field
            .values_of_points(&pts, &mut ws)
            .into_iter()
            .map(frac)
            .collect()
    } else {
        let probs = run.field.predict_points(&pts, &mut ws);
        let k = probs.ncols();
        probs
            .rows()
            .into_iter()
            .map(|r| {
                if k == 1 {
                    r[0] as f64
                } else {
                    1.0 - r[0] as f64
                }
            })
            .collect()
    };
    // The field pixel by pixel, interpolated between the grid's samples: the bands'
    // edges are smooth curves.
    fill_smooth(
        &chart,
        (vx[0], vx[1]),
        (vy[0], vy[1]),
        (&p, n, n),
        field_color,
    )?;
    // The 0.5 contour as a line (marching squares over the grid); a regression has none.
    let to_plane = |g: (f64, f64)| (vx[0] + (g.0 + 0.5) * dx, vy[0] + (g.1 + 0.5) * dy);
    if !data.is_regression() {
        chart.draw_series(level_segments(&p, n, n, 0.5).into_iter().map(|(a, b)| {
            PathElement::new(vec![to_plane(a), to_plane(b)], BLACK.stroke_width(2))
        }))?;
    }
    // A regression's points in their target's colour on the field's ramp.
    let point_color = |set: &crate::data::Dataset, k: usize, y: usize| match set.t.get(k) {
        Some(&t) => field_color(frac(t)),
        None => class_color(y),
    };
    chart.draw_series(
        data.train
            .x
            .iter()
            .zip(&data.train.y)
            .enumerate()
            .map(|(k, (q, &y))| {
                EmptyElement::at((q[0], q[1]))
                    + Circle::new((0, 0), 3, point_color(&data.train, k, y).filled())
                    + Circle::new((0, 0), 3, WHITE.stroke_width(1))
            }),
    )?;
    chart.draw_series(
        data.test
            .x
            .iter()
            .zip(&data.test.y)
            .enumerate()
            .map(|(k, (q, &y))| {
                Cross::new(
                    (q[0], q[1]),
                    3,
                    ShapeStyle::from(&point_color(&data.test, k, y)).stroke_width(2),
                )
            }),
    )?;
    Ok(())
}

fn class_color(y: usize) -> RGBColor {
    if y == 0 {
        mix(ORANGE, ORANGE, 0.0)
    } else {
        mix(BLUE, BLUE, 0.0)
    }
}
