//! The Braille canvas every picture is drawn on: a terminal cell holds a 2×4 grid of dots,
//! [`Frame2d`] maps a rectangle of the plane onto a grid of cells with square dots, [`line`]
//! walks a segment dot by dot. One dot table for the whole program.

/// Bit of Braille dot (column, row) within a cell, rows top to bottom (Unicode's numbering:
/// dots 1–3 and 7 down the left column, 4–6 and 8 down the right).
pub const DOT: [[u8; 4]; 2] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]];

pub fn braille(bits: u8) -> char {
    char::from_u32(0x2800 + bits as u32).unwrap_or(' ')
}

/// A rectangle of the data plane shown on a grid of `w`×`h` cells, with square Braille dots.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame2d {
    pub x: [f64; 2],
    pub y: [f64; 2],
    pub w: usize,
    pub h: usize,
}

impl Frame2d {
    /// Fits `x`×`y` into `w`×`h` cells, widening one axis so that a Braille dot (half a cell
    /// wide, a quarter high, and cells about twice as high as wide) is square.
    pub fn fit(x: [f64; 2], y: [f64; 2], w: usize, h: usize) -> Self {
        let (dx, dy) = ((x[1] - x[0]).max(1e-9), (y[1] - y[0]).max(1e-9));
        let (cx, cy) = ((x[0] + x[1]) / 2.0, (y[0] + y[1]) / 2.0);
        let s = (dx / (2 * w.max(1)) as f64).max(dy / (4 * h.max(1)) as f64);
        let hw = s * w as f64;
        let hh = s * 2.0 * h as f64;
        Frame2d {
            x: [cx - hw, cx + hw],
            y: [cy - hh, cy + hh],
            w,
            h,
        }
    }

    /// Data coordinates of sub-pixel (sx, sy) of a `2w`×`4h` grid, at its centre.
    pub fn sub_point(&self, sx: usize, sy: usize) -> [f64; 2] {
        [
            self.x[0] + (sx as f64 + 0.5) / (2 * self.w) as f64 * (self.x[1] - self.x[0]),
            self.y[1] - (sy as f64 + 0.5) / (4 * self.h) as f64 * (self.y[1] - self.y[0]),
        ]
    }

    pub fn cell_point(&self, i: usize, j: usize) -> [f64; 2] {
        [
            self.x[0] + (i as f64 + 0.5) / self.w as f64 * (self.x[1] - self.x[0]),
            self.y[1] - (j as f64 + 0.5) / self.h as f64 * (self.y[1] - self.y[0]),
        ]
    }

    /// The sub-pixel a data point falls in, if inside.
    pub fn to_sub(&self, p: [f64; 2]) -> Option<(usize, usize)> {
        let u = (p[0] - self.x[0]) / (self.x[1] - self.x[0]);
        let v = (self.y[1] - p[1]) / (self.y[1] - self.y[0]);
        if !(0.0..1.0).contains(&u) || !(0.0..1.0).contains(&v) {
            return None;
        }
        Some((
            (u * (2 * self.w) as f64) as usize,
            (v * (4 * self.h) as f64) as usize,
        ))
    }
}

/// A point's Braille-dot coordinates, fractional and unclipped (for lines that leave the view).
pub fn to_sub_f(f: &Frame2d, p: [f64; 2]) -> Option<(f64, f64)> {
    if !(p[0].is_finite() && p[1].is_finite()) {
        return None;
    }
    let u = (p[0] - f.x[0]) / (f.x[1] - f.x[0]) * (2 * f.w) as f64;
    let v = (f.y[1] - p[1]) / (f.y[1] - f.y[0]) * (4 * f.h) as f64;
    Some((u, v))
}

/// Visits the dots on the segment a–b that fall inside `w`×`h` (a DDA walk, at most a few
/// thousand steps however far the ends lie).
pub fn line(a: (f64, f64), b: (f64, f64), w: i64, h: i64, mut put: impl FnMut(usize, usize)) {
    line_t(a, b, w, h, |x, y, _| put(x, y));
}

/// [`line`], each dot visited with how far along the segment it lies (0 at a, 1 at b), for
/// what varies along it (a depth, a colour).
pub fn line_t(
    a: (f64, f64),
    b: (f64, f64),
    w: i64,
    h: i64,
    mut put: impl FnMut(usize, usize, f64),
) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    if !(dx.is_finite() && dy.is_finite()) {
        return;
    }
    let n = dx
        .abs()
        .max(dy.abs())
        .ceil()
        .clamp(1.0, 4.0 * (w + h) as f64) as usize;
    for k in 0..=n {
        let t = k as f64 / n as f64;
        let (x, y) = ((a.0 + dx * t).floor() as i64, (a.1 + dy * t).floor() as i64);
        if (0..w).contains(&x) && (0..h).contains(&y) {
            put(x as usize, y as usize, t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_keeps_dots_square() {
        let f = Frame2d::fit([-1.0, 1.0], [-1.0, 1.0], 40, 10);
        // 80 dots across, 40 down: x spans twice the y range.
        assert!(((f.x[1] - f.x[0]) / (f.y[1] - f.y[0]) - 2.0).abs() < 1e-9);
        assert_eq!(f.to_sub([f.x[0] + 1e-9, f.y[1] - 1e-9]), Some((0, 0)));
        assert_eq!(f.to_sub([f.x[1] + 1.0, 0.0]), None);
    }

    #[test]
    fn braille_bits_map_to_glyphs() {
        assert_eq!(braille(0), '⠀');
        assert_eq!(braille(0xff), '⣿');
        assert_eq!(braille(DOT[0][0] | DOT[1][3]), '⢁');
    }
}
