//! `nnbook export`: a chapter's screen rendered without a terminal, frame by frame, into a GIF
//! (or the last frame into a PNG). Training runs inline, so the same seed gives the same bytes.

use crate::export::{
    self,
    animation::GifWriter,
    raster::{Image, Rasterizer},
};
use crate::scenario::Scenario;
use crate::screens::view;
use crate::screens::{self, Driver, Open};
use crate::widgets::chrome::{MIN_HEIGHT, MIN_WIDTH};
use crate::widgets::palette::ColorMode;
use anyhow::{Context, Result, bail};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// How the frames look.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Style {
    /// Exactly the terminal screen.
    Terminal,
    /// Smooth plots in the notebooks' matplotlib look, for slides.
    Figure,
}

#[derive(Clone, Debug)]
pub struct Options {
    pub out: PathBuf,
    /// Epochs (classifier) or steps (race); the scenario's own by default.
    pub epochs: Option<usize>,
    /// A frame every this many epochs or steps; by default about 300 frames in all.
    pub every: Option<usize>,
    pub cols: u16,
    pub rows: u16,
    pub fps: f64,
    pub style: Style,
    pub color: ColorMode,
    /// Figure size in pixels.
    pub pixels: (u32, u32),
    /// Pixels per cell, times 8×16 (terminal style): 2 for a projector.
    pub scale: usize,
    pub progress: bool,
    /// A contact sheet of columns × rows tiles: the boundary at evenly spaced epochs.
    pub sheet: Option<(usize, usize)>,
}

/// A frame on its way to the encoder: terminal cells (rasterized there) or a figure.
enum Frame {
    Cells(ratatui::buffer::Buffer),
    Pixels(Image),
}

/// What the encoder made.
enum Encoded {
    Gif(Vec<u8>),
    Png(Image),
}

/// What was written.
#[derive(Debug)]
pub struct Exported {
    pub path: PathBuf,
    pub frames: usize,
    pub bytes: u64,
}

pub fn export(sc: &Scenario, opts: &Options) -> Result<Exported> {
    let ext = opts
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let png = match ext.as_deref() {
        Some("gif") => false,
        Some("png") => true,
        _ => bail!(
            "{}: the output must end in .gif or .png",
            opts.out.display()
        ),
    };
    if opts.cols < MIN_WIDTH || opts.rows < MIN_HEIGHT || opts.cols > 1000 || opts.rows > 500 {
        bail!(
            "--size {}x{}: needs at least {}x{} (and at most 1000x500)",
            opts.cols,
            opts.rows,
            MIN_WIDTH,
            MIN_HEIGHT
        );
    }
    if !(opts.fps.is_finite() && (0.1..=100.0).contains(&opts.fps)) {
        bail!(
            "--fps {:?}: must be from 0.1 to 100 frames a second",
            opts.fps
        );
    }
    export::check_writable(&opts.out)?;
    let how = Open {
        mode: opts.color,
        driver: Driver::Inline,
        run: true,
        dir: None,
    };
    let mut view = screens::open(sc, &how)?;
    if let Some(grid) = opts.sheet {
        if !png {
            bail!(
                "{}: a contact sheet is one image: write a .png",
                opts.out.display()
            );
        }
        return sheet(view.as_mut(), grid, opts);
    }
    let total = opts.epochs.unwrap_or_else(|| view.length());
    // About 300 frames; a figure (a whole notebook plot a frame, far costlier to encode) 200.
    let budget = match opts.style {
        Style::Terminal => 300,
        Style::Figure => 200,
    };
    let every = opts.every.unwrap_or(total.div_ceil(budget)).max(1);
    // Frames at 0, every, 2·every, … and the last exactly at `total`.
    let frames = total.div_ceil(every) + 1;
    let mut term = Terminal::new(TestBackend::new(opts.cols, opts.rows))?;
    if !(1..=4).contains(&opts.scale) {
        bail!("--scale {}: must be 1, 2, 3 or 4", opts.scale);
    }
    // Rasterizing and GIF encoding run on their own thread, beside the training and drawing
    // here: a frame costs the export little more than drawing the screen (`nnbook bench`
    // measures it against `nnbook train`).
    let scale = opts.scale;
    let (tx, rx) = std::sync::mpsc::sync_channel::<(Frame, f64)>(8);
    let encoder = std::thread::Builder::new()
        .name("nnbook-export-encode".into())
        .spawn(move || -> Result<Option<Encoded>> {
            let mut raster = Rasterizer::with_scale(scale);
            let mut gif: Option<GifWriter<Vec<u8>>> = None;
            let mut last: Option<Image> = None;
            for (frame, at) in rx {
                let img = match frame {
                    Frame::Cells(buf) => raster.rasterize(&buf),
                    Frame::Pixels(img) => img,
                };
                if png {
                    last = Some(img);
                } else {
                    let w = match &mut gif {
                        Some(w) => w,
                        None => gif.insert(GifWriter::new(Vec::new(), img.width, img.height)?),
                    };
                    w.push(img, at)?;
                }
            }
            Ok(match (gif, last) {
                (Some(w), _) => Some(Encoded::Gif(w.finish(2.0)?)),
                (None, Some(img)) => Some(Encoded::Png(img)),
                (None, None) => None,
            })
        })?;
    let show = opts.progress && std::io::stderr().is_terminal();
    let bar = super::progress_bar(show, frames as u64, "frame {pos}/{len} · {eta} left");
    let mut done = 0;
    for k in 0..frames {
        if k > 0 {
            let n = every.min(total - done);
            view.advance(n);
            done += n;
        }
        if png && k + 1 < frames {
            continue;
        }
        let frame = match opts.style {
            Style::Terminal => {
                // A status message about keys ("space trains on") means nothing in a file and,
                // too long for the status line, would sit in a box over the charts: only an
                // error is kept.
                let chrome = view.chrome_mut();
                if chrome.message.as_ref().is_some_and(|m| !m.error) {
                    chrome.message = None;
                }
                term.draw(|f| view::draw(view.as_ref(), f))?;
                Frame::Cells(term.backend().buffer().clone())
            }
            Style::Figure => Frame::Pixels(
                view.figure(opts.pixels.0, opts.pixels.1)
                    .map_err(|e| anyhow::anyhow!("drawing the figure: {e}"))?,
            ),
        };
        if tx.send((frame, k as f64 / opts.fps)).is_err() {
            // The encoder stopped early: its error is reported below.
            break;
        }
        bar.inc(1);
    }
    drop(tx);
    bar.finish_and_clear();
    let encoded = encoder
        .join()
        .map_err(|_| anyhow::anyhow!("the encoder crashed"))??;
    let bytes = match encoded.context("no frame was drawn")? {
        Encoded::Png(img) => export::save_png(&opts.out, &img)?,
        Encoded::Gif(data) => export::write_atomically(&opts.out, |f| f.write_all(&data))?,
    };
    Ok(Exported {
        path: opts.out.clone(),
        frames: if png { 1 } else { frames },
        bytes,
    })
}

/// `--sheet CxR`: the boundary at C·R evenly spaced epochs (the last at the run's end), in a
/// grid read left to right, top to bottom, each tile captioned with its epoch and score.
fn sheet(
    view: &mut dyn view::View,
    (cols, rows): (usize, usize),
    opts: &Options,
) -> Result<Exported> {
    let n = cols * rows;
    if !(1..=8).contains(&cols) || !(1..=8).contains(&rows) {
        bail!("--sheet {cols}x{rows}: 1 to 8 columns and rows");
    }
    let total = opts.epochs.unwrap_or_else(|| view.length());
    if total < n {
        bail!("--sheet {cols}x{rows}: {n} tiles need at least {n} epochs, not {total}");
    }
    // Square tiles, the sheet as wide as --pixels.
    let side = (opts.pixels.0 as usize / cols).max(120);
    let mut out = Image {
        width: side * cols,
        height: side * rows,
        pixels: vec![0xffffff; side * cols * side * rows],
    };
    let show = opts.progress && std::io::stderr().is_terminal();
    let bar = super::progress_bar(show, n as u64, "tile {pos}/{len} · {eta} left");
    let mut done = 0;
    for k in 0..n {
        let at = total * (k + 1) / n;
        view.advance(at - done);
        done = at;
        let tile = view
            .tile(side as u32, side as u32)
            .context("a contact sheet draws a classifier's boundary: this chapter has none")?
            .map_err(|e| anyhow::anyhow!("drawing tile {}: {e}", k + 1))?;
        let (x0, y0) = ((k % cols) * side, (k / cols) * side);
        for y in 0..tile.height.min(side) {
            let row = &tile.pixels[y * tile.width..y * tile.width + tile.width.min(side)];
            let o = (y0 + y) * out.width + x0;
            out.pixels[o..o + row.len()].copy_from_slice(row);
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    let bytes = export::save_png(&opts.out, &out)?;
    Ok(Exported {
        path: opts.out.clone(),
        frames: n,
        bytes,
    })
}
