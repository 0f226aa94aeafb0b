//! A height field drawn in 3-D at Braille resolution: the surface z = f(x, y) as lit,
//! height-shaded triangles in a depth buffer with one entry per Braille dot, a mesh of grid
//! lines over it (hidden where the surface is in front), paths drawn on it, its floor's outline
//! and axis names. The camera turns about the vertical axis (`angle`) and looks down from
//! `tilt` above the floor, as the Lorenz view's camera does.
//!
//! Everything lives in the unit cube: x and y across the field from 0 to 1, height from 0
//! (the field's lowest value) to 1 (its highest), so callers map their own ranges and scales
//! (log-spaced heights included) before they get here.

use super::braille::{DOT, braille, line_t};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};

/// Height of the drawn box relative to its width (matplotlib's 3-D box is 4 : 4 : 3).
const BOX_HEIGHT: f64 = 1.2;
/// How far in front of the surface a line must lie to be drawn over it, in box units.
const BIAS: f64 = 0.035;

/// Where the camera stands: turned `angle` radians about the vertical axis, `tilt` radians
/// above the floor (0 looks along the floor, π/2 straight down).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Orbit {
    pub angle: f64,
    pub tilt: f64,
}

impl Default for Orbit {
    /// About matplotlib's default 3-D view (elevation 30°), turned so the x axis runs along
    /// the front and the y axis recedes to the right.
    fn default() -> Self {
        Orbit {
            angle: 0.6,
            tilt: 0.55,
        }
    }
}

/// The lowest and highest tilt: the floor seen nearly edge-on, nearly from straight above.
pub const TILT: (f64, f64) = (0.05, 1.5);

impl Orbit {
    /// Turned by `d` radians.
    pub fn turned(self, d: f64) -> Self {
        Orbit {
            angle: (self.angle + d).rem_euclid(std::f64::consts::TAU),
            ..self
        }
    }

    /// Tilted by `d` radians, within [`TILT`].
    pub fn tilted(self, d: f64) -> Self {
        Orbit {
            tilt: (self.tilt + d).clamp(TILT.0, TILT.1),
            ..self
        }
    }

    /// A point of the unit cube on the screen plane: (across, up, distance from the viewer),
    /// in box units centred on the box.
    pub fn project(&self, [x, y, z]: [f64; 3]) -> (f64, f64, f64) {
        let (u, v, h) = (2.0 * x - 1.0, 2.0 * y - 1.0, (z - 0.5) * BOX_HEIGHT);
        let (s, c) = self.angle.sin_cos();
        let (across, depth) = (u * c - v * s, u * s + v * c);
        let (st, ct) = self.tilt.sin_cos();
        (across, h * ct + depth * st, depth * ct - h * st)
    }

    /// The light, in box coordinates: from over the viewer's left shoulder, so slopes that
    /// face the viewer are lit and the far side of a ridge falls into shadow.
    pub fn light(&self) -> [f64; 3] {
        let (s, c) = self.angle.sin_cos();
        let (st, ct) = self.tilt.sin_cos();
        // Towards the viewer, up, and to the left on screen.
        let toward = [-s * ct, -c * ct, st];
        let left = [-c, s, 0.0];
        let l = [
            toward[0] + 0.5 * left[0],
            toward[1] + 0.5 * left[1],
            toward[2] + 0.9,
        ];
        let n = (l[0] * l[0] + l[1] * l[1] + l[2] * l[2]).sqrt();
        l.map(|v| v / n)
    }

    /// The y of the floor edge nearer the viewer along x, and the x of the one along y, so the
    /// axis names sit on the visible edges, just outside the floor.
    pub fn front_edges(&self) -> (f64, f64) {
        let near = |p: [f64; 3]| self.project(p).2;
        let fx = if near([0.5, 0.0, 0.0]) <= near([0.5, 1.0, 0.0]) {
            -0.12
        } else {
            1.12
        };
        let fy = if near([0.0, 0.5, 0.0]) <= near([1.0, 0.5, 0.0]) {
            -0.12
        } else {
            1.12
        };
        (fx, fy)
    }

    /// The scale and centre (in box units) that fill a `sw`×`sh` canvas with the box as seen
    /// from here, the axis names' room beside the floor included.
    pub fn fill(&self, sw: f64, sh: f64) -> (f64, (f64, f64)) {
        let (mut a0, mut a1, mut u0, mut u1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for x in [-0.1, 1.1] {
            for y in [-0.1, 1.1] {
                for z in [0.0, 1.0] {
                    let (a, u, _) = self.project([x, y, z]);
                    (a0, a1, u0, u1) = (a0.min(a), a1.max(a), u0.min(u), u1.max(u));
                }
            }
        }
        let k = (sw / (a1 - a0).max(1e-9)).min(sh / (u1 - u0).max(1e-9)) * 0.98;
        (k, ((a0 + a1) / 2.0, (u0 + u1) / 2.0))
    }

    /// Box units to Braille dots (or pixels) for a `sw`×`sh` canvas of square dots: the same
    /// at every angle, so that the picture does not grow and shrink as it turns.
    pub fn scale(&self, sw: f64, sh: f64) -> f64 {
        let (st, ct) = self.tilt.sin_cos();
        let r = std::f64::consts::SQRT_2;
        let half_up = BOX_HEIGHT / 2.0 * ct + r * st;
        (sw / (2.08 * r)).min(sh / (2.08 * half_up))
    }
}

/// A line drawn over the surface: points in the unit cube (a non-number breaks the line).
pub struct Path3 {
    pub points: Vec<[f64; 3]>,
    pub color: Color,
}

/// A symbol at a point of the unit cube, drawn over everything.
pub struct Mark {
    pub at: [f64; 3],
    pub symbol: String,
    pub color: Color,
}

/// One picture: the field, how to colour it, what to draw on it.
pub struct Scene<'a> {
    /// Heights in [0, 1], `nx` across (x from 0 to 1) by `ny` (y from 0 to 1), row-major from
    /// the lowest y; a non-number leaves a hole.
    pub heights: &'a [f64],
    pub nx: usize,
    pub ny: usize,
    pub orbit: Orbit,
    /// The background of a cell the surface covers, from its height and light (0 = in shadow,
    /// 1 = facing the light); `None` draws no background (16 colours, mono) and leaves the
    /// mesh to show the shape.
    pub shade: &'a dyn Fn(f64, f64) -> Option<Color>,
    /// The mesh's colour over a cell of this height and light (so it can stand out from
    /// the shade beneath it).
    pub mesh: &'a dyn Fn(f64, f64) -> Color,
    /// Grid lines each way.
    pub mesh_lines: usize,
    pub paths: &'a [Path3],
    pub marks: &'a [Mark],
    /// The names of the x and y axes, written beside the floor's edges.
    pub axes: [&'a str; 2],
    /// The floor's outline and the axis names.
    pub frame_color: Color,
    /// The camera never turns: the box fills the area from this angle (else it is sized for
    /// every angle, so a turning picture keeps its size).
    pub still: bool,
}

/// What one Braille dot shows.
#[derive(Clone, Copy)]
struct Dot {
    /// Distance from the viewer of the nearest surface, infinite where there is none.
    dist: f64,
    height: f64,
    light: f64,
}

const EMPTY: Dot = Dot {
    dist: f64::INFINITY,
    height: 0.0,
    light: 0.0,
};

/// Per cell: which dots a line lights, and who drew it (`None`: the mesh or the frame).
#[derive(Clone, Copy, Default)]
struct Ink {
    bits: u8,
    who: Option<usize>,
    frame: bool,
}

impl Scene<'_> {
    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let (w, h) = (area.width as usize, area.height as usize);
        if w == 0 || h == 0 || self.nx < 2 || self.ny < 2 || self.heights.len() < self.nx * self.ny
        {
            return;
        }
        let (sw, sh) = (2 * w, 4 * h);
        let (k, centre) = if self.still {
            self.orbit.fill(sw as f64, sh as f64)
        } else {
            (self.orbit.scale(sw as f64, sh as f64), (0.0, 0.0))
        };
        let to_dots = |p: [f64; 3]| {
            let (a, u, d) = self.orbit.project(p);
            (
                sw as f64 / 2.0 + (a - centre.0) * k,
                sh as f64 / 2.0 - (u - centre.1) * k,
                d,
            )
        };
        let at = |i: usize, j: usize| {
            [
                i as f64 / (self.nx - 1) as f64,
                j as f64 / (self.ny - 1) as f64,
                self.heights[j * self.nx + i],
            ]
        };
        let light_dir = self.orbit.light();
        let mut dots = vec![EMPTY; sw * sh];
        for j in 0..self.ny - 1 {
            for i in 0..self.nx - 1 {
                let q = [at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1)];
                if q.iter().any(|p| !p[2].is_finite()) {
                    continue;
                }
                for tri in [[q[0], q[1], q[2]], [q[0], q[2], q[3]]] {
                    let light = lambert(tri, light_dir);
                    let v = tri.map(to_dots);
                    fill(
                        &mut dots,
                        sw,
                        sh,
                        v,
                        [tri[0][2], tri[1][2], tri[2][2]],
                        light,
                    );
                }
            }
        }
        let mut ink = vec![Ink::default(); w * h];
        let stroke = |ink: &mut Vec<Ink>, a: [f64; 3], b: [f64; 3], who: Option<usize>| {
            let (pa, pb) = (to_dots(a), to_dots(b));
            line_t(
                (pa.0, pa.1),
                (pb.0, pb.1),
                sw as i64,
                sh as i64,
                |x, y, t| {
                    let d = pa.2 + (pb.2 - pa.2) * t;
                    if d <= dots[y * sw + x].dist + BIAS {
                        let cell = &mut ink[(y / 4) * w + x / 2];
                        // A path outranks the mesh and the frame in its cell; the last path
                        // to pass a cell owns it.
                        if who.is_some() && cell.who != who {
                            *cell = Ink {
                                bits: 0,
                                who,
                                frame: false,
                            };
                        } else if who.is_none() && cell.who.is_some() {
                            return;
                        }
                        // A path is two dots wide, so it reads over the shade and the mesh.
                        cell.bits |= match who {
                            Some(_) => DOT[0][y % 4] | DOT[1][y % 4],
                            None => DOT[x % 2][y % 4],
                        };
                    }
                },
            );
        };
        // The floor's outline, then the mesh, then the paths over both.
        let floor = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]];
        for e in 0..4 {
            let (a, b) = (floor[e], floor[(e + 1) % 4]);
            let before = ink.clone();
            stroke(&mut ink, [a[0], a[1], 0.0], [b[0], b[1], 0.0], None);
            for (c, old) in ink.iter_mut().zip(&before) {
                if c.bits != old.bits {
                    c.frame = true;
                }
            }
        }
        let lines = self.mesh_lines.max(1);
        for l in 0..=lines {
            let j = l * (self.ny - 1) / lines;
            for i in 0..self.nx - 1 {
                let (a, b) = (at(i, j), at(i + 1, j));
                if a[2].is_finite() && b[2].is_finite() {
                    stroke(&mut ink, a, b, None);
                }
            }
            let i = l * (self.nx - 1) / lines;
            for j in 0..self.ny - 1 {
                let (a, b) = (at(i, j), at(i, j + 1));
                if a[2].is_finite() && b[2].is_finite() {
                    stroke(&mut ink, a, b, None);
                }
            }
        }
        for (pi, p) in self.paths.iter().enumerate() {
            for seg in p.points.windows(2) {
                let (a, b) = (seg[0], seg[1]);
                if a.iter().chain(&b).all(|v| v.is_finite()) {
                    // Lifted a little, so the path lies on the surface rather than in it.
                    let lift = |p: [f64; 3]| [p[0], p[1], p[2] + 0.01];
                    stroke(&mut ink, lift(a), lift(b), Some(pi));
                }
            }
        }

        for cj in 0..h {
            for ci in 0..w {
                let Some(cell) = buf.cell_mut((area.x + ci as u16, area.y + cj as u16)) else {
                    continue;
                };
                let (mut covered, mut hsum, mut lsum, mut bits) = (0, 0.0, 0.0, 0u8);
                for d in 0..8 {
                    let (x, y) = (2 * ci + d % 2, 4 * cj + d / 2);
                    let dot = dots[y * sw + x];
                    if dot.dist.is_finite() {
                        covered += 1;
                        hsum += dot.height;
                        lsum += dot.light;
                        bits |= DOT[d % 2][d / 2];
                    }
                }
                let (height, light) = if covered > 0 {
                    (hsum / covered as f64, lsum / covered as f64)
                } else {
                    (0.0, 0.0)
                };
                let fill = if covered > 0 {
                    (self.shade)(height, light)
                } else {
                    None
                };
                let mut style = Style::default();
                // A cell mostly on the surface takes its shade as background; an edge cell
                // draws the dots it covers in that shade, so the outline is as fine as a dot.
                let mut glyph_bits = 0u8;
                if let Some(bg) = fill {
                    if covered >= 5 {
                        style = style.bg(bg);
                    } else {
                        style = style.fg(bg);
                        glyph_bits = bits;
                    }
                }
                let c = ink[cj * w + ci];
                if c.bits != 0 {
                    glyph_bits = c.bits;
                    style = match c.who {
                        Some(pi) => style.fg(self.paths[pi].color).add_modifier(Modifier::BOLD),
                        None if c.frame && covered == 0 => style.fg(self.frame_color),
                        None => style.fg((self.mesh)(height, light)),
                    };
                }
                if glyph_bits == 0 {
                    cell.set_symbol(" ");
                } else {
                    cell.set_char(braille(glyph_bits));
                }
                cell.set_style(style);
            }
        }

        // The axis names beside the middle of the floor's front edges, then the marks.
        let mut put = |p: [f64; 3], s: &str, style: Style| {
            let (x, y, _) = to_dots(p);
            if x >= 0.0 && y >= 0.0 && x < sw as f64 && y < sh as f64 {
                let (cx, cy) = (
                    area.x + (x as usize / 2) as u16,
                    area.y + (y as usize / 4) as u16,
                );
                let room = (area.x + area.width).saturating_sub(cx) as usize;
                if room >= s.chars().count() {
                    buf.set_string(cx, cy, s, style);
                }
            }
        };
        let frame = Style::default().fg(self.frame_color);
        let (front_x, front_y) = self.orbit.front_edges();
        put([0.5, front_x, 0.0], self.axes[0], frame);
        put([front_y, 0.5, 0.0], self.axes[1], frame);
        for m in self.marks {
            if m.at.iter().all(|v| v.is_finite()) {
                let style = Style::default().fg(m.color).add_modifier(Modifier::BOLD);
                put(m.at, &m.symbol, style);
            }
        }
    }
}

/// How much a triangle (in the unit cube) faces the light, 0 to 1, either side.
pub fn lambert(t: [[f64; 3]; 3], light: [f64; 3]) -> f64 {
    let box_ = |p: [f64; 3]| [2.0 * p[0], 2.0 * p[1], p[2] * BOX_HEIGHT];
    let (a, b, c) = (box_(t[0]), box_(t[1]), box_(t[2]));
    let (e1, e2) = (
        [b[0] - a[0], b[1] - a[1], b[2] - a[2]],
        [c[0] - a[0], c[1] - a[1], c[2] - a[2]],
    );
    let n = [
        e1[1] * e2[2] - e1[2] * e2[1],
        e1[2] * e2[0] - e1[0] * e2[2],
        e1[0] * e2[1] - e1[1] * e2[0],
    ];
    let len = (n[0] * n[0] + n[1] * n[1] + n[2] * n[2]).sqrt();
    if len == 0.0 {
        return 0.5;
    }
    ((n[0] * light[0] + n[1] * light[1] + n[2] * light[2]) / len).abs()
}

/// Fills a projected triangle into the depth buffer: each dot whose centre it covers takes
/// its interpolated distance, height and the triangle's light, where nearer than what is there.
fn fill(
    dots: &mut [Dot],
    sw: usize,
    sh: usize,
    v: [(f64, f64, f64); 3],
    heights: [f64; 3],
    light: f64,
) {
    let (x0, x1) = (
        v.iter().map(|p| p.0).fold(f64::INFINITY, f64::min),
        v.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max),
    );
    let (y0, y1) = (
        v.iter().map(|p| p.1).fold(f64::INFINITY, f64::min),
        v.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max),
    );
    if !(x0.is_finite() && x1.is_finite() && y0.is_finite() && y1.is_finite()) {
        return;
    }
    let area = (v[1].0 - v[0].0) * (v[2].1 - v[0].1) - (v[2].0 - v[0].0) * (v[1].1 - v[0].1);
    if area.abs() < 1e-12 {
        return;
    }
    let xa = (x0 - 0.5).ceil().max(0.0) as usize;
    let xb = ((x1 - 0.5).floor().min(sw as f64 - 1.0)).max(-1.0);
    let ya = (y0 - 0.5).ceil().max(0.0) as usize;
    let yb = ((y1 - 0.5).floor().min(sh as f64 - 1.0)).max(-1.0);
    if xb < 0.0 || yb < 0.0 {
        return;
    }
    for y in ya..=yb as usize {
        for x in xa..=xb as usize {
            let (px, py) = (x as f64 + 0.5, y as f64 + 0.5);
            let edge = |a: (f64, f64, f64), b: (f64, f64, f64)| {
                ((b.0 - a.0) * (py - a.1) - (px - a.0) * (b.1 - a.1)) / area
            };
            let (w0, w1, w2) = (edge(v[1], v[2]), edge(v[2], v[0]), edge(v[0], v[1]));
            if w0 < -1e-9 || w1 < -1e-9 || w2 < -1e-9 {
                continue;
            }
            let dist = w0 * v[0].2 + w1 * v[1].2 + w2 * v[2].2;
            let d = &mut dots[y * sw + x];
            if dist < d.dist {
                *d = Dot {
                    dist,
                    height: w0 * heights[0] + w1 * heights[1] + w2 * heights[2],
                    light,
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bowl(n: usize) -> Vec<f64> {
        let mut v = Vec::new();
        for j in 0..n {
            for i in 0..n {
                let (x, y) = (
                    i as f64 / (n - 1) as f64 - 0.5,
                    j as f64 / (n - 1) as f64 - 0.5,
                );
                v.push(2.0 * (x * x + y * y));
            }
        }
        v
    }

    fn scene<'a>(
        heights: &'a [f64],
        n: usize,
        orbit: Orbit,
        paths: &'a [Path3],
        marks: &'a [Mark],
        shade: &'a dyn Fn(f64, f64) -> Option<Color>,
        mesh: &'a dyn Fn(f64, f64) -> Color,
    ) -> Scene<'a> {
        Scene {
            heights,
            nx: n,
            ny: n,
            orbit,
            shade,
            mesh,
            mesh_lines: 8,
            paths,
            marks,
            axes: ["x", "y"],
            frame_color: Color::Gray,
            still: false,
        }
    }

    #[test]
    fn nearer_points_have_smaller_distance_and_higher_points_draw_higher() {
        let o = Orbit::default();
        // The floor's corner nearest the viewer at angle 0 is the front (y = 0) edge.
        let flat = Orbit { angle: 0.0, ..o };
        assert!(flat.project([0.5, 0.0, 0.5]).2 < flat.project([0.5, 1.0, 0.5]).2);
        assert!(o.project([0.5, 0.5, 1.0]).1 > o.project([0.5, 0.5, 0.0]).1);
        // Turning a full circle comes back.
        let back = o.turned(std::f64::consts::TAU);
        let (a, b) = (o.project([0.2, 0.7, 0.3]), back.project([0.2, 0.7, 0.3]));
        assert!((a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9);
        assert_eq!(o.tilted(10.0).tilt, TILT.1);
    }

    #[test]
    fn the_surface_fills_the_middle_and_leaves_the_corners() {
        let n = 24;
        let h = bowl(n);
        let shade = |_: f64, l: f64| Some(Color::Rgb((255.0 * l) as u8, 0, 0));
        let mesh = |_: f64, _: f64| Color::White;
        let s = scene(&h, n, Orbit::default(), &[], &[], &shade, &mesh);
        let area = Rect::new(0, 0, 60, 24);
        let mut buf = Buffer::empty(area);
        s.render(area, &mut buf);
        let mid = &buf[(30, 12)];
        assert!(matches!(mid.bg, Color::Rgb(..)), "{mid:?}");
        let corner = &buf[(0, 0)];
        assert_eq!(corner.bg, Color::Reset);
        assert_eq!(corner.symbol(), " ");
        // The mesh is drawn on the surface.
        let meshed = buf
            .content()
            .iter()
            .filter(|c| c.fg == Color::White && c.symbol() != " ")
            .count();
        assert!(meshed > 100, "{meshed} mesh cells");
    }

    #[test]
    fn a_path_behind_a_hill_is_hidden_and_one_in_front_is_drawn() {
        // A ridge along x at y = 0.5, two paths on the floor either side of it, seen from the
        // front (y = 0 side), low.
        let n = 33;
        let mut h = Vec::new();
        for j in 0..n {
            for _ in 0..n {
                let y = j as f64 / (n - 1) as f64;
                h.push((1.0 - ((y - 0.5) / 0.08).powi(2)).max(0.0));
            }
        }
        let line = |y: f64, color: Color| Path3 {
            points: (0..=20).map(|i| [0.1 + 0.04 * i as f64, y, 0.0]).collect(),
            color,
        };
        let paths = [line(0.15, Color::Red), line(0.85, Color::Blue)];
        let shade = |_: f64, _: f64| Some(Color::DarkGray);
        let mesh = |_: f64, _: f64| Color::Gray;
        let s = scene(
            &h,
            n,
            Orbit {
                angle: 0.0,
                tilt: 0.12,
            },
            &paths,
            &[],
            &shade,
            &mesh,
        );
        let area = Rect::new(0, 0, 80, 30);
        let mut buf = Buffer::empty(area);
        s.render(area, &mut buf);
        let count = |c: Color| buf.content().iter().filter(|x| x.fg == c).count();
        assert!(count(Color::Red) > 10, "front path drawn");
        assert_eq!(count(Color::Blue), 0, "the path behind the ridge is hidden");
    }

    #[test]
    fn holes_and_tiny_areas_draw_without_panicking() {
        let n = 5;
        let mut h = bowl(n);
        h[7] = f64::NAN;
        let shade = |_: f64, _: f64| None;
        let mesh = |_: f64, _: f64| Color::Reset;
        let marks = [Mark {
            at: [0.5, 0.5, 0.0],
            symbol: "✕".into(),
            color: Color::Reset,
        }];
        for (w, hh) in [(1, 1), (2, 1), (3, 2), (40, 12)] {
            let s = scene(&h, n, Orbit::default(), &[], &marks, &shade, &mesh);
            let area = Rect::new(0, 0, w, hh);
            let mut buf = Buffer::empty(area);
            s.render(area, &mut buf);
        }
    }
}
