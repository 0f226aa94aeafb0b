//! Figures in the notebooks' matplotlib look, drawn with plotters, for slides: the canvas,
//! fonts, Playground's field colours, matplotlib's colour cycle, and loss/accuracy curves.
//! Each screen draws its own figure with these (`screens/*/figure.rs`).

use super::raster::{FONT, Image};
use plotters::coord::CoordTranslate;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::{
    BLACK, BitMapBackend, Cartesian2d, ChartBuilder, ChartContext, Color as _, DrawingArea,
    IntoDrawingArea, IntoLogRange, LineSeries, PathElement, RGBColor, SeriesLabelPosition, WHITE,
};
use plotters::style::{FontStyle, IntoFont, TextStyle};
use std::sync::Once;

pub type Res = Result<(), Box<dyn std::error::Error>>;

static FONT_ONCE: Once = Once::new();

pub fn register_font() {
    FONT_ONCE.call_once(|| {
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
    });
}

pub const ORANGE: (f64, f64, f64) = (245.0, 147.0, 34.0);
pub const BLUE: (f64, f64, f64) = (8.0, 119.0, 189.0);

pub fn mix(a: (f64, f64, f64), b: (f64, f64, f64), t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    RGBColor(
        (a.0 + (b.0 - a.0) * t) as u8,
        (a.1 + (b.1 - a.1) * t) as u8,
        (a.2 + (b.2 - a.2) * t) as u8,
    )
}

/// Playground's field colours: orange below 0.5, blue above, white at the boundary, in the
/// notebooks' 25 filled bands (`contourf(…, 25)`): flat areas that also keep GIFs small.
pub fn field_color(p: f64) -> RGBColor {
    let p = ((p.clamp(0.0, 1.0) * 25.0).floor().min(24.0) + 0.5) / 25.0;
    let white = (255.0, 255.0, 255.0);
    if p < 0.5 {
        mix(white, ORANGE, (0.5 - p) * 2.0 * 0.75)
    } else {
        mix(white, BLUE, (p - 0.5) * 2.0 * 0.75)
    }
}

pub type Area<'a> = DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>;

/// A white `w`×`h` canvas handed to `draw`, returned as an image.
pub fn canvas(
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
pub fn legend<'a, CT: CoordTranslate>(
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

pub fn to_image(buf: Vec<u8>, w: u32, h: u32) -> Image {
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

pub fn text(size: f64) -> TextStyle<'static> {
    ("sans-serif", size).into_font().color(&BLACK)
}

/// `c` lightened towards white by `t`.
pub fn mix_rgb(c: RGBColor, t: f64) -> RGBColor {
    mix(
        (f64::from(c.0), f64::from(c.1), f64::from(c.2)),
        (255.0, 255.0, 255.0),
        t,
    )
}

/// One line of a loss or accuracy chart; an empty label keeps it out of the legend.
pub struct Curve {
    pub label: String,
    pub color: RGBColor,
    pub width: u32,
    pub points: Vec<(f64, f64)>,
}

impl Curve {
    /// The train or test loss or accuracy of a history, dropping values a log axis cannot show.
    pub fn of(
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
pub fn curves(area: &Area<'_>, caption: &str, loss: bool, lines: Vec<Curve>) -> Res {
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
pub fn draw_lines<'a, Y>(
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
pub const CYCLE: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];
