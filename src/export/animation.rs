//! GIF writing: frames are diffed against the last one written (only the changed rectangle
//! is encoded), each with its own palette of the colours it uses, and shown for as long as
//! it was on screen.

use super::raster::Image;
use std::collections::HashMap;
use std::io::Write;

/// Writes frames as they come; call [`GifWriter::finish`] to end the file.
pub struct GifWriter<W: Write> {
    enc: gif::Encoder<W>,
    width: usize,
    height: usize,
    /// The frame written last, as shown.
    shown: Option<Image>,
    /// A frame waiting for its display time (known when the next one arrives).
    pending: Option<(Image, f64)>,
    pub frames: usize,
}

fn to_u16(v: usize) -> u16 {
    v.min(u16::MAX as usize) as u16
}

impl<W: Write> GifWriter<W> {
    pub fn new(out: W, width: usize, height: usize) -> Result<Self, gif::EncodingError> {
        let mut enc = gif::Encoder::new(out, to_u16(width), to_u16(height), &[])?;
        enc.set_repeat(gif::Repeat::Infinite)?;
        Ok(GifWriter {
            enc,
            width,
            height,
            shown: None,
            pending: None,
            frames: 0,
        })
    }

    /// Adds a frame first shown at `at` seconds. A frame identical to the one before only
    /// lengthens that one's display.
    pub fn push(&mut self, img: Image, at: f64) -> Result<(), gif::EncodingError> {
        let img = self.fit(img);
        if let Some((prev, t0)) = self.pending.take() {
            if prev.pixels == img.pixels {
                self.pending = Some((prev, t0));
                return Ok(());
            }
            self.write(prev, at - t0)?;
        }
        self.pending = Some((img, at));
        Ok(())
    }

    /// Writes the last frame (shown for `last` seconds) and returns the output.
    pub fn finish(mut self, last: f64) -> Result<W, gif::EncodingError> {
        if let Some((img, _)) = self.pending.take() {
            self.write(img, last)?;
        }
        self.enc.into_inner()
    }

    /// Crops or pads a frame to the file's size (the terminal may have been resized).
    fn fit(&self, img: Image) -> Image {
        if img.width == self.width && img.height == self.height {
            return img;
        }
        let bg = super::raster::DEFAULT_BG;
        let fill = ((bg[0] as u32) << 16) | ((bg[1] as u32) << 8) | bg[2] as u32;
        let mut out = vec![fill; self.width * self.height];
        for y in 0..self.height.min(img.height) {
            for x in 0..self.width.min(img.width) {
                out[y * self.width + x] = img.pixels[y * img.width + x];
            }
        }
        Image {
            width: self.width,
            height: self.height,
            pixels: out,
        }
    }

    fn write(&mut self, img: Image, seconds: f64) -> Result<(), gif::EncodingError> {
        // The rectangle that changed since the frame shown before.
        let (mut x0, mut y0, mut x1, mut y1) = (0, 0, img.width, img.height);
        if let Some(prev) = &self.shown {
            let (mut a, mut b, mut c, mut d) = (usize::MAX, usize::MAX, 0, 0);
            for y in 0..img.height {
                let row = y * img.width;
                for x in 0..img.width {
                    if img.pixels[row + x] != prev.pixels[row + x] {
                        a = a.min(x);
                        b = b.min(y);
                        c = c.max(x + 1);
                        d = d.max(y + 1);
                    }
                }
            }
            if a == usize::MAX {
                // Nothing changed (a pending duplicate after all): a 1×1 frame keeps timing.
                (a, b, c, d) = (0, 0, 1, 1);
            }
            (x0, y0, x1, y1) = (a, b, c, d);
        }
        let (w, h) = (x1 - x0, y1 - y0);
        // Inside the rectangle, pixels that did not change are transparent: long runs of
        // one index, which LZW packs to almost nothing.
        let prev = self.shown.as_ref();
        let same = |i: usize| prev.is_some_and(|p| p.pixels[i] == img.pixels[i]);
        let mut counts: HashMap<u32, usize> = HashMap::new();
        // Neighbouring pixels mostly share a colour: count runs, not pixels.
        let mut run: Option<(u32, usize)> = None;
        for y in y0..y1 {
            for x in x0..x1 {
                let i = y * img.width + x;
                if same(i) {
                    continue;
                }
                let p = img.pixels[i];
                match &mut run {
                    Some((c, n)) if *c == p => *n += 1,
                    _ => {
                        if let Some((c, n)) = run.replace((p, 1)) {
                            *counts.entry(c).or_default() += n;
                        }
                    }
                }
            }
        }
        if let Some((c, n)) = run {
            *counts.entry(c).or_default() += n;
        }
        // The app uses far fewer than 255 colours; if a frame ever had more, the rarest map
        // to their nearest kept colour. One index is left for transparency.
        let mut colours: Vec<(u32, usize)> = counts.into_iter().collect();
        colours.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let kept: Vec<u32> = colours.iter().take(255).map(|c| c.0).collect();
        let mut index: HashMap<u32, u8> = HashMap::new();
        for (i, &c) in kept.iter().enumerate() {
            index.insert(c, i as u8);
        }
        let transparent = kept.len() as u8;
        let nearest = |p: u32| -> u8 {
            let d = |a: u32, b: u32| {
                let f = |s: u32| ((a >> s & 255) as i32 - (b >> s & 255) as i32).pow(2);
                f(16) + f(8) + f(0)
            };
            kept.iter()
                .enumerate()
                .min_by_key(|(_, k)| d(p, **k))
                .map_or(0, |(i, _)| i as u8)
        };
        let mut buffer = Vec::with_capacity(w * h);
        let mut last: (u32, u8) = (u32::MAX, 0);
        for y in y0..y1 {
            for x in x0..x1 {
                let i = y * img.width + x;
                buffer.push(if same(i) {
                    transparent
                } else {
                    let p = img.pixels[i];
                    if p != last.0 {
                        last = (p, index.get(&p).copied().unwrap_or_else(|| nearest(p)));
                    }
                    last.1
                });
            }
        }
        let mut palette: Vec<u8> = kept
            .iter()
            .flat_map(|&c| [(c >> 16) as u8, (c >> 8) as u8, c as u8])
            .collect();
        palette.extend([0, 0, 0]);
        // GIF palettes hold a power of two of colours, at least two.
        let size = (kept.len() + 1).max(2).next_power_of_two();
        palette.resize(size * 3, 0);
        let frame = gif::Frame {
            delay: (seconds * 100.0).round().clamp(2.0, 65535.0) as u16,
            dispose: gif::DisposalMethod::Keep,
            left: to_u16(x0),
            top: to_u16(y0),
            width: to_u16(w),
            height: to_u16(h),
            palette: Some(palette),
            transparent: prev.map(|_| transparent),
            buffer: std::borrow::Cow::Owned(buffer),
            ..gif::Frame::default()
        };
        self.enc.write_frame(&frame)?;
        self.frames += 1;
        self.shown = Some(img);
        Ok(())
    }
}
