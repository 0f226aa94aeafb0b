//! Figures in the notebooks' matplotlib look, drawn with plotters, for slides: the canvas,
//! fonts, Playground's field colours, matplotlib's colour cycle, and loss/accuracy curves.
//! Each screen draws its own figure with these (`screens/*/figure.rs`).

use super::raster::{FONT, Image};
use plotters::coord::combinators::BindKeyPoints;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::{CoordTranslate, ReverseCoordTranslate};
use plotters::prelude::{
    BLACK, BitMapBackend, Cartesian2d, ChartBuilder, ChartContext, Color as _, DrawingArea,
    IntoDrawingArea, IntoLogRange, LineSeries, PathElement, RGBColor, SeriesLabelPosition,
    TRANSPARENT, WHITE,
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
    // The axes move in round steps only (epochs to 1, 2 or 5 × 10^k, the loss to the
    // 1-2-5 grid), so that between steps an animation's frames differ only by the newest
    // points: GIFs a fraction of the size.
    let last = all().map(|p| p.0).fold(1.0f64, f64::max);
    let last = if last.is_finite() && last > 0.0 {
        let d = 10f64.powf(last.log10().floor());
        [1.0, 2.0, 5.0, 10.0]
            .map(|m| m * d)
            .into_iter()
            .find(|&s| s >= last)
            .unwrap_or(10.0 * d)
    } else {
        last
    };
    let mut b = ChartBuilder::on(area);
    // Room on the right for the last tick's label, which is centred on the axis' end.
    b.margin(12)
        .margin_right(30)
        .x_label_area_size(40)
        .y_label_area_size(56)
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
        let grid = |v: f64, up: bool| {
            if !(v.is_finite() && v > 0.0) {
                return v;
            }
            let d = 10f64.powf(v.log10().floor());
            let steps = [1.0, 2.0, 5.0, 10.0].map(|m| m * d);
            if up {
                steps.into_iter().find(|&s| s >= v).unwrap_or(10.0 * d)
            } else {
                steps.into_iter().rev().find(|&s| s <= v).unwrap_or(d)
            }
        };
        let (lo, hi) = (grid(lo, false), grid(hi, true));
        let (lo, hi) = (span(lo, hi)?.start.max(1e-300), hi);
        // Ticks at 1, 2 and 5 of each decade in range: a loss spanning one decade still has
        // several.
        let keys: Vec<f64> = (lo.log10().floor() as i32..=hi.log10().ceil() as i32)
            .flat_map(|d| [1.0, 2.0, 5.0].map(|m| m * 10f64.powi(d)))
            .filter(|v| (lo..=hi).contains(v))
            .collect();
        let chart = b.build_cartesian_2d(
            0.0..span(0.0, last)?.end,
            (lo..hi).log_scale().with_key_points(keys),
        )?;
        draw_lines(chart, lines, SeriesLabelPosition::UpperRight)
    } else {
        let lo = all().map(|p| p.1).fold(1.0f64, f64::min);
        let lo = (((lo - 0.05) * 10.0).floor() / 10.0).max(0.0);
        let chart = b.build_cartesian_2d(0.0..span(0.0, last)?.end, span(lo, 1.0)?)?;
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
        .light_line_style(TRANSPARENT)
        .bold_line_style(BLACK.mix(0.12))
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| tick(*v))
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

/// An axis range plotters can draw: both ends finite and their distance too (a range as wide
/// as ±1.7e308 is refused with a message instead of spinning in the tick search); an empty
/// range is widened around its value.
pub fn span(lo: f64, hi: f64) -> Result<std::ops::Range<f64>, Box<dyn std::error::Error>> {
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    if !(lo.is_finite() && hi.is_finite() && (hi - lo).is_finite() && (hi - lo) < 1e200) {
        return Err(format!("the range {lo:e} to {hi:e} is too wide to draw").into());
    }
    if hi - lo <= f64::EPSILON * lo.abs().max(1.0) {
        let pad = (lo.abs() * 0.05).max(0.5);
        return Ok(lo - pad..hi + pad);
    }
    Ok(lo..hi)
}

/// A tick label: two decimals, or scientific when that would read 0.00 or run long.
pub fn tick(v: f64) -> String {
    if v != 0.0 && (v.abs() < 0.005 || v.abs() >= 1e5) {
        format!("{v:.1e}")
    } else {
        format!("{v:.2}")
    }
}

/// Marching squares over an `nx`×`ny` grid (row-major, row 0 at the bottom): the segments
/// where the values cross `level`, in grid coordinates (x = column, y = row), joined cell by
/// cell so they draw as continuous lines.
pub fn level_segments(
    v: &[f64],
    nx: usize,
    ny: usize,
    level: f64,
) -> Vec<((f64, f64), (f64, f64))> {
    let mut out = Vec::new();
    if nx < 2 || ny < 2 || v.len() < nx * ny {
        return out;
    }
    for j in 0..ny - 1 {
        for i in 0..nx - 1 {
            let c = [
                v[j * nx + i],
                v[j * nx + i + 1],
                v[(j + 1) * nx + i + 1],
                v[(j + 1) * nx + i],
            ];
            if c.iter().any(|x| !x.is_finite()) {
                continue;
            }
            let corner = [
                (i as f64, j as f64),
                (i as f64 + 1.0, j as f64),
                (i as f64 + 1.0, j as f64 + 1.0),
                (i as f64, j as f64 + 1.0),
            ];
            // The crossing on each edge (bottom, right, top, left) that has one.
            let mut cross = Vec::with_capacity(4);
            for e in 0..4 {
                let (a, b) = (c[e], c[(e + 1) % 4]);
                if (a < level) != (b < level) {
                    let t = (level - a) / (b - a);
                    let (p, q) = (corner[e], corner[(e + 1) % 4]);
                    cross.push((p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1)));
                }
            }
            match cross.len() {
                2 => out.push((cross[0], cross[1])),
                4 => {
                    // A saddle cell: pair the crossings by the centre's side.
                    let centre = c.iter().sum::<f64>() / 4.0;
                    if (centre < level) == (c[0] < level) {
                        out.push((cross[0], cross[3]));
                        out.push((cross[1], cross[2]));
                    } else {
                        out.push((cross[0], cross[1]));
                        out.push((cross[2], cross[3]));
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// A value at fractional grid position (x, y) of an `nx`×`ny` grid, bilinearly.
pub fn bilinear(v: &[f64], nx: usize, ny: usize, x: f64, y: f64) -> f64 {
    let x = x.clamp(0.0, (nx - 1) as f64);
    let y = y.clamp(0.0, (ny - 1) as f64);
    let (i, j) = ((x as usize).min(nx - 2), (y as usize).min(ny - 2));
    let (fx, fy) = (x - i as f64, y - j as f64);
    let at = |a: usize, b: usize| v[b * nx + a];
    let bottom = at(i, j) * (1.0 - fx) + at(i + 1, j) * fx;
    let top = at(i, j + 1) * (1.0 - fx) + at(i + 1, j + 1) * fx;
    bottom * (1.0 - fy) + top * fy
}

/// Fills a chart's plotting area pixel by pixel from a grid sampled over the chart's range
/// (`nx`×`ny`, row 0 at the bottom, samples at cell centres), interpolated bilinearly: band
/// edges come out as smooth curves, not as the grid's steps.
pub fn fill_smooth<'a>(
    chart: &ChartContext<'a, BitMapBackend<'a>, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    x: (f64, f64),
    y: (f64, f64),
    (v, nx, ny): (&[f64], usize, usize),
    colour: impl Fn(f64) -> RGBColor,
) -> Res {
    let area = chart.plotting_area();
    let (px, py) = area.get_pixel_range();
    let spec = area.as_coord_spec();
    for yy in py.clone() {
        for xx in px.clone() {
            let Some((cx, cy)) = spec.reverse_translate((xx, yy)) else {
                continue;
            };
            let gx = (cx - x.0) / (x.1 - x.0) * nx as f64 - 0.5;
            let gy = (cy - y.0) / (y.1 - y.0) * ny as f64 - 0.5;
            let c = colour(bilinear(v, nx, ny, gx, gy));
            area.draw_pixel((cx, cy), &c)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_have_two_decimals() {
        assert_eq!(tick(0.5), "0.50");
        assert_eq!(tick(0.125), "0.12");
        assert_eq!(tick(0.001), "1.0e-3");
        assert_eq!(tick(0.0), "0.00");
    }

    #[test]
    fn a_circle_level_is_one_closed_loop() {
        let n = 40;
        let v: Vec<f64> = (0..n * n)
            .map(|k| {
                let (x, y) = ((k % n) as f64 - 19.5, (k / n) as f64 - 19.5);
                (x * x + y * y).sqrt()
            })
            .collect();
        let segs = level_segments(&v, n, n, 10.0);
        assert!(segs.len() > 40, "{}", segs.len());
        // Every end is shared by exactly two segments: the line has no gaps.
        let key = |p: (f64, f64)| ((p.0 * 1e6).round() as i64, (p.1 * 1e6).round() as i64);
        let mut ends = std::collections::HashMap::new();
        for (a, b) in &segs {
            *ends.entry(key(*a)).or_insert(0) += 1;
            *ends.entry(key(*b)).or_insert(0) += 1;
        }
        assert!(ends.values().all(|&c| c == 2));
    }

    /// However wide the range, the figure draws or says why, and soon.
    #[test]
    fn the_widest_finite_range_ends_within_ten_seconds() {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let r = canvas(400, 300, |root| {
                let line = Curve {
                    label: "f".into(),
                    color: BLACK,
                    width: 1,
                    points: vec![(0.0, -1.7e308), (1.7e308, 1.7e308)],
                };
                curves(root, "accuracy", false, vec![line])
            });
            let _ = tx.send(r.map(|_| ()).map_err(|e| e.to_string()));
        });
        let r = rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("the figure hung");
        if let Err(e) = r {
            assert!(e.contains("too wide"), "{e}");
        }
        assert!(span(-1.7e308, 1.7e308).is_err());
        assert_eq!(span(2.0, 2.0).ok(), Some(1.5..2.5));
    }
}
