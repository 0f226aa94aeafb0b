//! Turns a ratatui `Buffer` into pixels exactly as seen: Braille dots, block and box-drawing
//! glyphs drawn as shapes, text from an embedded monospace font (DejaVu Sans Mono, licence in
//! `src/export/font/LICENSE`), thresholded so that every pixel is a colour of the app's own
//! palette — nothing is dithered or quantized.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use std::collections::HashMap;

pub const FONT: &[u8] = include_bytes!("font/DejaVuSansMono.ttf");

/// Pixels per cell.
pub const CELL_W: usize = 8;
pub const CELL_H: usize = 16;

/// The colours a terminal shows for `Reset`.
pub const DEFAULT_FG: [u8; 3] = [220, 222, 226];
pub const DEFAULT_BG: [u8; 3] = [18, 20, 24];

/// An RGB image.
#[derive(Clone, Debug, PartialEq)]
pub struct Image {
    pub width: usize,
    pub height: usize,
    /// `0xRRGGBB` per pixel, row-major.
    pub pixels: Vec<u32>,
}

impl Image {
    pub fn rgb_bytes(&self) -> Vec<u8> {
        self.pixels
            .iter()
            .flat_map(|&p| [(p >> 16) as u8, (p >> 8) as u8, p as u8])
            .collect()
    }
}

/// The xterm colour of a 256-palette index.
pub fn xterm(i: u8) -> [u8; 3] {
    const BASE: [[u8; 3]; 16] = [
        [0, 0, 0],
        [205, 49, 49],
        [13, 188, 121],
        [229, 229, 16],
        [36, 114, 200],
        [188, 63, 188],
        [17, 168, 205],
        [229, 229, 229],
        [102, 102, 102],
        [241, 76, 76],
        [35, 209, 139],
        [245, 245, 67],
        [59, 142, 234],
        [214, 112, 214],
        [41, 184, 219],
        [255, 255, 255],
    ];
    match i {
        0..=15 => BASE[i as usize],
        16..=231 => {
            let n = i - 16;
            let s = [0u8, 95, 135, 175, 215, 255];
            [
                s[(n / 36) as usize],
                s[((n / 6) % 6) as usize],
                s[(n % 6) as usize],
            ]
        }
        _ => {
            let g = 8 + 10 * (i - 232);
            [g, g, g]
        }
    }
}

/// A ratatui colour as RGB, `Reset` as the given default.
pub fn rgb(c: Color, default: [u8; 3]) -> [u8; 3] {
    match c {
        Color::Reset => default,
        Color::Rgb(r, g, b) => [r, g, b],
        Color::Indexed(i) => xterm(i),
        Color::Black => xterm(0),
        Color::Red => xterm(1),
        Color::Green => xterm(2),
        Color::Yellow => xterm(3),
        Color::Blue => xterm(4),
        Color::Magenta => xterm(5),
        Color::Cyan => xterm(6),
        Color::Gray => xterm(7),
        Color::DarkGray => xterm(8),
        Color::LightRed => xterm(9),
        Color::LightGreen => xterm(10),
        Color::LightYellow => xterm(11),
        Color::LightBlue => xterm(12),
        Color::LightMagenta => xterm(13),
        Color::LightCyan => xterm(14),
        Color::White => xterm(15),
    }
}

fn pack(c: [u8; 3]) -> u32 {
    ((c[0] as u32) << 16) | ((c[1] as u32) << 8) | c[2] as u32
}

/// The point marks' outlines.
#[derive(Clone, Copy)]
enum Shape {
    Circle,
    Triangle,
    Square,
    Diamond,
}

/// A point mark's shape, whether filled, and whether the large (train) form.
fn point_shape(ch: char) -> Option<(Shape, bool, bool)> {
    Some(match ch {
        '●' => (Shape::Circle, true, true),
        '○' => (Shape::Circle, false, true),
        '▲' => (Shape::Triangle, true, true),
        '△' => (Shape::Triangle, false, true),
        '■' => (Shape::Square, true, true),
        '□' => (Shape::Square, false, true),
        '◆' => (Shape::Diamond, true, true),
        '◇' => (Shape::Diamond, false, true),
        '•' => (Shape::Circle, true, false),
        '◦' => (Shape::Circle, false, false),
        '▴' => (Shape::Triangle, true, false),
        '▵' => (Shape::Triangle, false, false),
        '▪' => (Shape::Square, true, false),
        '▫' => (Shape::Square, false, false),
        '⬩' => (Shape::Diamond, true, false),
        '⬫' => (Shape::Diamond, false, false),
        _ => return None,
    })
}

/// Box-drawing characters as the arms they have: left, right, up, down.
fn box_arms(ch: char) -> Option<[bool; 4]> {
    Some(match ch {
        '─' | '━' => [true, true, false, false],
        '│' | '┃' => [false, false, true, true],
        '┌' | '╭' => [false, true, false, true],
        '┐' | '╮' => [true, false, false, true],
        '└' | '╰' => [false, true, true, false],
        '┘' | '╯' => [true, false, true, false],
        '├' => [false, true, true, true],
        '┤' => [true, false, true, true],
        '┬' => [true, true, false, true],
        '┴' => [true, true, true, false],
        '┼' => [true, true, true, true],
        _ => return None,
    })
}

/// Rasterizes buffers; glyph coverage masks are cached per character.
pub struct Rasterizer {
    font: FontRef<'static>,
    glyphs: HashMap<char, Vec<bool>>,
    scale: usize,
    /// The buffer rasterized last and its pixels.
    last: Option<(Buffer, Vec<u32>)>,
}

impl Default for Rasterizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Rasterizer {
    pub fn new() -> Self {
        Self::with_scale(1)
    }

    /// `scale`× the pixels of every cell (2: 16×32 a cell, a 120×40 screen 1920×1280), the
    /// glyphs drawn at that size, not enlarged.
    pub fn with_scale(scale: usize) -> Self {
        Rasterizer {
            font: FontRef::try_from_slice(FONT)
                .unwrap_or_else(|_| unreachable!("the embedded font parses")),
            glyphs: HashMap::new(),
            scale: scale.clamp(1, 4),
            last: None,
        }
    }

    /// Pixels per cell at this scale.
    pub fn cell(&self) -> (usize, usize) {
        (CELL_W * self.scale, CELL_H * self.scale)
    }

    /// The cell-sized mask of a character from the font (`None` if the font lacks it).
    fn glyph(&mut self, ch: char) -> Option<&Vec<bool>> {
        let (cw, chh) = self.cell();
        if !self.glyphs.contains_key(&ch) {
            let id = self.font.glyph_id(ch);
            if id.0 == 0 {
                return None;
            }
            let scale = PxScale::from(chh as f32 * 0.86);
            let scaled = self.font.as_scaled(scale);
            let baseline = (chh as f32 * 0.5 + (scaled.ascent() + scaled.descent()) / 2.0).round();
            let advance = scaled.h_advance(id);
            let x0 = ((cw as f32 - advance) / 2.0).max(0.0);
            let glyph = id.with_scale_and_position(scale, point(x0, baseline));
            let mut mask = vec![false; cw * chh];
            if let Some(outline) = self.font.outline_glyph(glyph) {
                let b = outline.px_bounds();
                outline.draw(|x, y, c| {
                    let (px, py) = (b.min.x as i32 + x as i32, b.min.y as i32 + y as i32);
                    if c > 0.45 && (0..cw as i32).contains(&px) && (0..chh as i32).contains(&py) {
                        mask[py as usize * cw + px as usize] = true;
                    }
                });
            }
            self.glyphs.insert(ch, mask);
        }
        self.glyphs.get(&ch)
    }

    /// The whole buffer as an image of `cw`×`chh` pixels per cell. Only the cells that
    /// differ from the buffer rasterized last are drawn anew (an animation's frames change a
    /// fraction of the screen); the rest are the last image's pixels.
    pub fn rasterize(&mut self, buf: &Buffer) -> Image {
        let (cw, chh) = self.cell();
        let (cols, rows) = (buf.area.width as usize, buf.area.height as usize);
        let (w, h) = (cols * cw, rows * chh);
        let last = self
            .last
            .take()
            .filter(|(b, p)| b.area == buf.area && p.len() == w * h);
        let (mut pixels, before) = match last {
            Some((b, p)) => (p, Some(b)),
            None => (vec![pack(DEFAULT_BG); w * h], None),
        };
        for row in 0..rows {
            for col in 0..cols {
                let at = (buf.area.x + col as u16, buf.area.y + row as u16);
                let cell = &buf[at];
                if before.as_ref().is_some_and(|b| b[at] == *cell) {
                    continue;
                }
                self.draw_cell(&mut pixels, w, (col * cw, row * chh), cell);
            }
        }
        self.last = Some((buf.clone(), pixels.clone()));
        Image {
            width: w,
            height: h,
            pixels,
        }
    }

    /// One cell into `pixels` (`w` wide) at pixel `(ox, oy)`.
    fn draw_cell(
        &mut self,
        pixels: &mut [u32],
        w: usize,
        (ox, oy): (usize, usize),
        cell: &ratatui::buffer::Cell,
    ) {
        let (cw, chh) = self.cell();
        let k = self.scale;
        let (mut fg, mut bg) = (rgb(cell.fg, DEFAULT_FG), rgb(cell.bg, DEFAULT_BG));
        if cell.modifier.contains(Modifier::DIM) {
            // Dim as terminals draw it: the ink halfway to the background.
            for (f, b) in fg.iter_mut().zip(bg) {
                *f = ((u16::from(*f) + u16::from(b)) / 2) as u8;
            }
        }
        if cell.modifier.contains(Modifier::REVERSED) {
            std::mem::swap(&mut fg, &mut bg);
        }
        let (fg, bg) = (pack(fg), pack(bg));
        fn put_row(row: &mut [u32], c: u32) {
            row.fill(c);
        }
        for y in 0..chh {
            let row = (oy + y) * w + ox;
            put_row(&mut pixels[row..row + cw], bg);
        }
        let mut put = |x: usize, y: usize, c: u32| {
            if x < cw && y < chh {
                pixels[(oy + y) * w + ox + x] = c;
            }
        };
        let ch = cell.symbol().chars().next().unwrap_or(' ');
        let code = ch as u32;
        if ch == ' ' {
            return;
        }
        if (0x2800..=0x28ff).contains(&code) {
            // Braille: 2×4 dots, each a 2×2 square.
            let bits = code - 0x2800;
            const POS: [(usize, usize); 8] = [
                (0, 0),
                (0, 1),
                (0, 2),
                (1, 0),
                (1, 1),
                (1, 2),
                (0, 3),
                (1, 3),
            ];
            for (bit, &(cx, cy)) in POS.iter().enumerate() {
                if bits >> bit & 1 == 1 {
                    let (x0, y0) = ((1 + cx * 4) * k, (1 + cy * 4) * k);
                    for dy in 0..2 * k {
                        for dx in 0..2 * k {
                            put(x0 + dx, y0 + dy, fg);
                        }
                    }
                }
            }
            return;
        }
        let fill =
            |put: &mut dyn FnMut(usize, usize, u32), x0: usize, y0: usize, x1: usize, y1: usize| {
                for y in y0..y1 {
                    for x in x0..x1 {
                        put(x, y, fg);
                    }
                }
            };
        match ch {
            '▀' => {
                fill(&mut put, 0, 0, cw, chh / 2);
                return;
            }
            '▄' => {
                fill(&mut put, 0, chh / 2, cw, chh);
                return;
            }
            '█' => {
                fill(&mut put, 0, 0, cw, chh);
                return;
            }
            // The font's hyphen comes out 2–3 pixels wide at 8×16, like a middle dot beside the
            // real ones ("2·4" for "2-4"): drawn as a bar half the cell wide.
            '-' | '−' => {
                let y0 = chh * 9 / 16;
                fill(&mut put, cw / 4, y0, cw - cw / 4, y0 + k);
                return;
            }
            // Not in the font: the pause sign drawn as its two bars.
            '⏸' => {
                let (y0, y1) = (chh / 4, chh * 3 / 4);
                fill(&mut put, cw / 8, y0, cw * 3 / 8, y1);
                fill(&mut put, cw * 5 / 8, y0, cw * 7 / 8, y1);
                return;
            }
            _ => {}
        }
        if let Some((shape, filled, big)) = point_shape(ch) {
            // The point marks as shapes: at 8×16 the font's thin outlines, thresholded,
            // broke the hollow circle into two chevrons.
            let (cx, cy) = (cw as f32 / 2.0, chh as f32 / 2.0);
            let r = cw as f32 * if big { 0.42 } else { 0.27 };
            let inside = |x: f32, y: f32| {
                let (dx, dy) = (x - cx, y - cy);
                match shape {
                    Shape::Circle => dx * dx + dy * dy <= r * r,
                    Shape::Square => dx.abs() <= r * 0.9 && dy.abs() <= r * 0.9,
                    Shape::Diamond => dx.abs() + dy.abs() <= r * 1.15,
                    Shape::Triangle => {
                        let (top, base) = (-r * 1.05, r * 0.85);
                        dy >= top && dy <= base && dx.abs() <= r * (dy - top) / (base - top)
                    }
                }
            };
            let t = k as f32;
            for y in 0..chh {
                for x in 0..cw {
                    let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
                    if !inside(px, py) {
                        continue;
                    }
                    // Hollow: only the pixels with a neighbour, one line width away, outside.
                    let edge = !inside(px - t, py)
                        || !inside(px + t, py)
                        || !inside(px, py - t)
                        || !inside(px, py + t);
                    if filled || edge {
                        put(x, y, fg);
                    }
                }
            }
            return;
        }
        if let Some([l, r, u, d]) = box_arms(ch) {
            // Lines one pixel (of the scale) thick through the cell's middle.
            let (cx, cy) = (cw / 2 - k, chh / 2 - k);
            if l {
                fill(&mut put, 0, cy, cx + k, cy + k);
            }
            if r {
                fill(&mut put, cx, cy, cw, cy + k);
            }
            if u {
                fill(&mut put, cx, 0, cx + k, cy + k);
            }
            if d {
                fill(&mut put, cx, cy, cx + k, chh);
            }
            return;
        }
        match self.glyph(ch) {
            Some(mask) => {
                for (i, &on) in mask.iter().enumerate() {
                    if on {
                        put(i % cw, i / cw, fg);
                    }
                }
            }
            None => {
                // A character the font lacks: an outlined box, as terminals show.
                fill(&mut put, k, 3 * k, cw - k, 4 * k);
                fill(&mut put, k, chh - 4 * k, cw - k, chh - 3 * k);
                fill(&mut put, k, 3 * k, 2 * k, chh - 3 * k);
                fill(&mut put, cw - 2 * k, 3 * k, cw - k, chh - 3 * k);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    #[test]
    fn braille_dots_and_text_land_where_they_should() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 3, 1));
        buf.set_string(
            0,
            0,
            "⠁A─",
            Style::default()
                .fg(Color::Rgb(255, 0, 0))
                .bg(Color::Rgb(0, 0, 255)),
        );
        let img = Rasterizer::new().rasterize(&buf);
        assert_eq!((img.width, img.height), (24, 16));
        let px = |x: usize, y: usize| img.pixels[y * img.width + x];
        // Dot 1 of the Braille cell: top-left 2×2 square at (1, 1).
        assert_eq!(px(1, 1), 0xff0000);
        assert_eq!(px(5, 1), 0x0000ff);
        // Some of the "A" cell is ink, most of it background.
        let ink = (8..16)
            .flat_map(|x| (0..16).map(move |y| (x, y)))
            .filter(|&(x, y)| px(x, y) == 0xff0000)
            .count();
        assert!((10..80).contains(&ink), "{ink}");
        // The box-drawing line runs across its cell at mid-height.
        assert!((16..24).all(|x| px(x, 7) == 0xff0000));
    }

    #[test]
    fn a_frame_drawn_over_the_last_is_the_frame_drawn_afresh() {
        let style = |fg, bg| Style::default().fg(fg).bg(bg);
        let mut a = Buffer::empty(Rect::new(0, 0, 6, 2));
        a.set_string(0, 0, "⣿ab─▀x", style(Color::Red, Color::Blue));
        a.set_string(0, 1, "┌⏸ ●", style(Color::Indexed(214), Color::Reset));
        let mut b = a.clone();
        // A glyph, a colour, a modifier and a blank changed; the rest is the same.
        b.set_string(1, 0, "Z", style(Color::Red, Color::Blue));
        b.set_string(4, 0, "▀", style(Color::Green, Color::Blue));
        b.set_string(
            1,
            1,
            "⏸",
            style(Color::Indexed(214), Color::Reset).reversed(),
        );
        b.set_string(0, 1, " ", Style::default());
        let mut r = Rasterizer::new();
        let first = r.rasterize(&a);
        let second = r.rasterize(&b);
        assert_eq!(second, Rasterizer::new().rasterize(&b));
        assert_ne!(first, second);
        // A buffer of another size starts afresh.
        let small = Buffer::empty(Rect::new(0, 0, 2, 1));
        assert_eq!(r.rasterize(&small), Rasterizer::new().rasterize(&small));
        assert_eq!(r.rasterize(&a), first);
    }

    #[test]
    fn a_hyphen_is_a_bar_not_a_dot() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 2, 1));
        buf.set_string(0, 0, "-·", Style::default().fg(Color::Rgb(255, 255, 255)));
        let img = Rasterizer::new().rasterize(&buf);
        let ink = |x0: usize| {
            (0..16)
                .flat_map(|y| (x0..x0 + 8).map(move |x| (x, y)))
                .filter(|&(x, y)| img.pixels[y * img.width + x] == 0xffffff)
                .map(|(x, _)| x)
                .collect::<Vec<_>>()
        };
        let (hyphen, dot) = (ink(0), ink(8));
        let width = |v: &[usize]| {
            v.iter()
                .max()
                .zip(v.iter().min())
                .map_or(0, |(a, b)| a - b + 1)
        };
        assert!(width(&hyphen) >= 4, "hyphen {} px wide", width(&hyphen));
        assert!(width(&hyphen) > width(&dot) + 1, "{hyphen:?} vs {dot:?}");
    }

    #[test]
    fn the_status_glyphs_are_drawn_not_boxed() {
        let mut r = Rasterizer::new();
        // Every glyph the chrome and the status lines use: in the font, or drawn here.
        for ch in "⏸▶●✕✖⚠·…—↑↓←→▀▄█│─┌┐└┘".chars() {
            let special = matches!(ch, '⏸' | '▀' | '▄' | '█') || box_arms(ch).is_some();
            assert!(special || r.glyph(ch).is_some(), "the font lacks {ch:?}");
        }
        let mut buf = Buffer::empty(Rect::new(0, 0, 1, 1));
        buf.set_string(0, 0, "⏸", Style::default().fg(Color::Rgb(255, 255, 255)));
        let img = r.rasterize(&buf);
        let px = |x: usize, y: usize| img.pixels[y * img.width + x];
        // Two bars with a gap between them, no box outline at the top.
        assert_eq!(px(2, 8), 0xffffff);
        assert_eq!(px(5, 8), 0xffffff);
        assert_ne!(px(4, 8), 0xffffff);
        assert_ne!(px(4, 3), 0xffffff);
    }

    #[test]
    fn twice_the_scale_is_twice_the_pixels_drawn_not_enlarged() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 2, 1));
        buf.set_string(0, 0, "⠁A", Style::default().fg(Color::Rgb(255, 0, 0)));
        let one = Rasterizer::new().rasterize(&buf);
        let two = Rasterizer::with_scale(2).rasterize(&buf);
        assert_eq!((two.width, two.height), (32, 32));
        let px = |img: &Image, x: usize, y: usize| img.pixels[y * img.width + x];
        // The Braille dot: a 4×4 square at (2, 2).
        assert!((2..6).all(|x| (2..6).all(|y| px(&two, x, y) == 0xff0000)));
        assert_ne!(px(&two, 6, 2), 0xff0000);
        // The letter is drawn at the larger size: not the 1× mask doubled pixel for pixel.
        let doubled =
            (0..32).all(|y| (16..32).all(|x| px(&two, x, y) == px(&one, 8 + (x - 16) / 2, y / 2)));
        assert!(!doubled, "the glyph was enlarged, not drawn");
    }

    #[test]
    fn every_pixel_is_a_cell_colour() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 4, 1));
        buf.set_string(
            0,
            0,
            "a●✕g",
            Style::default()
                .fg(Color::Indexed(196))
                .bg(Color::Indexed(17)),
        );
        let img = Rasterizer::new().rasterize(&buf);
        let allowed = [pack(xterm(196)), pack(xterm(17))];
        assert!(img.pixels.iter().all(|p| allowed.contains(p)));
    }

    /// Every non-ASCII character in the program's code (comments left out): what the UI can
    /// emit in text, tables and glyph constants, plus every Braille pattern and the eighth
    /// blocks the weights panel builds at run time.
    fn emitted() -> std::collections::BTreeSet<char> {
        fn walk(dir: &std::path::Path, out: &mut std::collections::BTreeSet<char>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    let text = std::fs::read_to_string(&p).unwrap_or_default();
                    for line in text.lines() {
                        let code = line.trim_start();
                        if code.starts_with("//") {
                            continue;
                        }
                        // A trailing comment: from " //" on, unless inside a string.
                        let code = match line.find(" // ") {
                            Some(i) if line[..i].matches('"').count() % 2 == 0 => &line[..i],
                            _ => line,
                        };
                        out.extend(code.chars().filter(|c| !c.is_ascii()));
                    }
                }
            }
        }
        let mut out = std::collections::BTreeSet::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut out,
        );
        out.extend((0x2800..=0x28ffu32).filter_map(char::from_u32));
        out.extend('▁'..='█');
        out.extend('▉'..='▏');
        out
    }

    #[test]
    fn every_character_the_ui_emits_is_drawn_not_boxed() {
        let mut r = Rasterizer::new();
        let one = |r: &mut Rasterizer, ch: char| {
            let mut buf = Buffer::empty(Rect::new(0, 0, 1, 1));
            buf.set_string(
                0,
                0,
                ch.to_string(),
                Style::default().fg(Color::Rgb(255, 255, 255)),
            );
            r.rasterize(&buf).pixels
        };
        // A private-use character no font has: the missing-glyph box.
        let missing = one(&mut r, '\u{e000}');
        assert!(missing.contains(&0xffffff), "the box is drawn");
        let chars = emitted();
        assert!(chars.len() > 300, "only {} characters found", chars.len());
        for must in ['⏸', '▶', '●', '·', '…', '━', '⣿'] {
            assert!(chars.contains(&must), "{must:?} not collected");
        }
        let boxed: String = chars
            .iter()
            .copied()
            .filter(|&ch| one(&mut r, ch) == missing)
            .collect();
        assert!(boxed.is_empty(), "drawn as a missing-glyph box: {boxed}");
    }
}
