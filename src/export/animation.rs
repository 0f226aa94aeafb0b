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

    /// The rectangle `(x0, y0, x1, y1)` that changed since `prev`, `None` if nothing did:
    /// whole rows compared first (a memory compare), then the changed rows from both ends.
    fn changed(img: &Image, prev: &Image) -> Option<(usize, usize, usize, usize)> {
        let w = img.width;
        fn row(im: &Image, y: usize) -> &[u32] {
            &im.pixels[y * im.width..(y + 1) * im.width]
        }
        let differs = |y: usize| row(img, y) != row(prev, y);
        let y0 = (0..img.height).find(|&y| differs(y))?;
        let y1 = (y0..img.height)
            .rev()
            .find(|&y| differs(y))
            .map_or(y0, |y| y)
            + 1;
        let (mut x0, mut x1) = (w, 0);
        for y in y0..y1 {
            let (a, b) = (row(img, y), row(prev, y));
            if a == b {
                continue;
            }
            if let Some(l) = a.iter().zip(b).position(|(p, q)| p != q) {
                x0 = x0.min(l);
            }
            if let Some(r) = a.iter().zip(b).rposition(|(p, q)| p != q) {
                x1 = x1.max(r + 1);
            }
        }
        Some((x0, y0, x1.max(x0 + 1), y1))
    }

    fn write(&mut self, img: Image, seconds: f64) -> Result<(), gif::EncodingError> {
        // The rectangle that changed since the frame shown before (a pending duplicate after
        // all: a 1×1 frame keeps the timing).
        let (x0, y0, x1, y1) = match &self.shown {
            Some(prev) => Self::changed(&img, prev).unwrap_or((0, 0, 1, 1)),
            None => (0, 0, img.width, img.height),
        };
        let (w, h) = (x1 - x0, y1 - y0);
        // Inside the rectangle, pixels that did not change are transparent (index 0): long
        // runs of one index, which LZW packs to almost nothing. The other colours get an
        // index as they first appear; the app uses far fewer than 255.
        let prev = self.shown.as_ref();
        let mut buffer = Vec::with_capacity(w * h);
        let mut index: HashMap<u32, u8> = HashMap::new();
        let mut kept: Vec<u32> = Vec::new();
        let mut last: (u32, u8) = (u32::MAX, 0);
        let mut overflow = false;
        for y in y0..y1 {
            let at = y * img.width;
            let now = &img.pixels[at + x0..at + x1];
            let before = prev.map(|p| &p.pixels[at + x0..at + x1]);
            for (k, &p) in now.iter().enumerate() {
                if before.is_some_and(|b| b[k] == p) {
                    buffer.push(0);
                    continue;
                }
                if p != last.0 {
                    let i = match index.get(&p) {
                        Some(&i) => i,
                        None if kept.len() < 255 => {
                            kept.push(p);
                            let i = kept.len() as u8;
                            index.insert(p, i);
                            i
                        }
                        None => {
                            overflow = true;
                            1
                        }
                    };
                    last = (p, i);
                }
                buffer.push(last.1);
            }
        }
        if overflow {
            // More than 255 colours (never from the app's own palette): the rarest map to
            // their nearest kept colour.
            (buffer, kept) = Self::quantized(&img, prev, (x0, y0, x1, y1));
        }
        let transparent = 0u8;
        let mut palette: Vec<u8> = vec![0, 0, 0];
        palette.extend(
            kept.iter()
                .flat_map(|&c| [(c >> 16) as u8, (c >> 8) as u8, c as u8]),
        );
        // GIF palettes hold a power of two of colours, at least two.
        let size = (kept.len() + 1).max(2).next_power_of_two();
        palette.resize(size * 3, 0);
        // LZW here rather than in the `gif` crate: its general encoder looks up every one of
        // the transparent pixels, which are nearly all of a frame (super::lzw).
        let mut lzw = Vec::with_capacity(buffer.len() / 8 + 16);
        super::lzw::encode(
            &buffer,
            super::lzw::min_code_size(kept.len() as u8),
            &mut lzw,
        );
        let frame = gif::Frame {
            delay: (seconds * 100.0).round().clamp(2.0, 65535.0) as u16,
            dispose: gif::DisposalMethod::Keep,
            left: to_u16(x0),
            top: to_u16(y0),
            width: to_u16(w),
            height: to_u16(h),
            palette: Some(palette),
            transparent: prev.map(|_| transparent),
            buffer: std::borrow::Cow::Owned(lzw),
            ..gif::Frame::default()
        };
        self.enc.write_lzw_pre_encoded_frame(&frame)?;
        self.frames += 1;
        self.shown = Some(img);
        Ok(())
    }

    /// A frame's changed rectangle with at most 255 colours: the most frequent kept, the
    /// others mapped to their nearest kept colour; index 0 is transparent.
    fn quantized(
        img: &Image,
        prev: Option<&Image>,
        (x0, y0, x1, y1): (usize, usize, usize, usize),
    ) -> (Vec<u8>, Vec<u32>) {
        let same = |i: usize| prev.is_some_and(|p| p.pixels[i] == img.pixels[i]);
        let mut counts: HashMap<u32, usize> = HashMap::new();
        for y in y0..y1 {
            for x in x0..x1 {
                let i = y * img.width + x;
                if !same(i) {
                    *counts.entry(img.pixels[i]).or_default() += 1;
                }
            }
        }
        let mut colours: Vec<(u32, usize)> = counts.into_iter().collect();
        colours.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let kept: Vec<u32> = colours.iter().take(255).map(|c| c.0).collect();
        let index: HashMap<u32, u8> = kept
            .iter()
            .enumerate()
            .map(|(i, &c)| (c, i as u8 + 1))
            .collect();
        let nearest = |p: u32| -> u8 {
            let d = |a: u32, b: u32| {
                let f = |s: u32| ((a >> s & 255) as i32 - (b >> s & 255) as i32).pow(2);
                f(16) + f(8) + f(0)
            };
            kept.iter()
                .enumerate()
                .min_by_key(|(_, k)| d(p, **k))
                .map_or(1, |(i, _)| i as u8 + 1)
        };
        let mut buffer = Vec::with_capacity((x1 - x0) * (y1 - y0));
        for y in y0..y1 {
            for x in x0..x1 {
                let i = y * img.width + x;
                buffer.push(if same(i) {
                    0
                } else {
                    let p = img.pixels[i];
                    index.get(&p).copied().unwrap_or_else(|| nearest(p))
                });
            }
        }
        (buffer, kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes a GIF and composes its frames (disposal Keep) into full images.
    fn decode(data: &[u8]) -> Vec<Vec<u32>> {
        let mut opts = gif::DecodeOptions::new();
        opts.set_color_output(gif::ColorOutput::RGBA);
        let mut d = opts.read_info(data).expect("a GIF");
        let (w, h) = (d.width() as usize, d.height() as usize);
        let mut canvas = vec![0u32; w * h];
        let mut out = Vec::new();
        while let Some(f) = d.read_next_frame().expect("a frame") {
            for y in 0..f.height as usize {
                for x in 0..f.width as usize {
                    let px = &f.buffer[(y * f.width as usize + x) * 4..][..4];
                    if px[3] != 0 {
                        let at = (f.top as usize + y) * w + f.left as usize + x;
                        canvas[at] = (px[0] as u32) << 16 | (px[1] as u32) << 8 | px[2] as u32;
                    }
                }
            }
            out.push(canvas.clone());
        }
        out
    }

    #[test]
    fn frames_decode_to_what_was_pushed() {
        let (w, h) = (40, 30);
        let img = |f: &dyn Fn(usize, usize) -> u32| Image {
            width: w,
            height: h,
            pixels: (0..w * h).map(|i| f(i % w, i / w)).collect(),
        };
        let a = img(&|x, _| if x < 20 { 0x112233 } else { 0xff8800 });
        // A change in a corner, a colour that is also the background's.
        let mut b = a.clone();
        for y in 20..25 {
            for x in 30..35 {
                b.pixels[y * w + x] = 0x112233;
            }
        }
        b.pixels[3] = 0x00ff00;
        // More than 255 colours: the rarest are approximated, the rest exact.
        let c = img(&|x, y| ((x * 7 + y * 40) as u32) << 8 | 0x40);
        let mut g = GifWriter::new(Vec::new(), w, h).expect("writer");
        for (k, im) in [a.clone(), b.clone(), a.clone(), c.clone()]
            .into_iter()
            .enumerate()
        {
            g.push(im, k as f64 * 0.1).expect("push");
        }
        let frames = decode(&g.finish(1.0).expect("finish"));
        assert_eq!(frames.len(), 4);
        assert_eq!(frames[0], a.pixels);
        assert_eq!(frames[1], b.pixels);
        assert_eq!(frames[2], a.pixels);
        let exact = frames[3]
            .iter()
            .zip(&c.pixels)
            .filter(|(p, q)| p == q)
            .count();
        assert!(exact >= 255, "{exact} exact pixels");
    }
}
