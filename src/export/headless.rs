//! `nnbook export`: the app's screen rendered without a terminal, frame by frame, into a GIF
//! (or the last frame into a PNG). Training runs inline, so the same seed gives the same bytes.

use super::animation::GifWriter;
use super::raster::{Image, Rasterizer};
use crate::app::App;
use crate::race::RaceApp;
use crate::scenario::{Body, Scenario};
use crate::train::{Command, Session, Trainer};
use crate::ui::{self, palette::ColorMode};
use anyhow::{Context, Result, bail};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
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
    pub progress: bool,
}

/// What was written.
#[derive(Debug)]
pub struct Exported {
    pub path: PathBuf,
    pub frames: usize,
    pub bytes: u64,
}

/// One frame source: the classifier app or the race, advanced and drawn.
enum Source {
    Classifier(Box<App>),
    Race(Box<RaceApp>),
    Compare(Box<crate::compare::CompareApp>),
    Attractor(Box<crate::attractor::AttractorApp>),
}

impl Source {
    fn advance(&mut self, n: usize) {
        match self {
            Source::Classifier(a) => {
                a.session.train_inline(n);
                a.pull();
                a.sync_field();
            }
            Source::Race(r) => {
                for _ in 0..n {
                    r.race.step();
                }
                r.dirty = true;
            }
            Source::Attractor(a) => {
                for _ in 0..n {
                    a.flow.step();
                }
                // A steady turn per frame, so the export is reproducible.
                if a.spin {
                    a.angle += 0.004;
                }
            }
            Source::Compare(c) => {
                for (_, a) in &mut c.runs {
                    a.session.train_inline(n);
                    a.pull();
                    a.sync_field();
                }
            }
        }
    }

    fn draw(&self, term: &mut Terminal<TestBackend>) -> Result<Buffer> {
        term.draw(|f| match self {
            Source::Classifier(a) => ui::render(f, a),
            Source::Race(r) => ui::contour::render(f, r),
            Source::Compare(c) => ui::compare::render(f, c),
            Source::Attractor(a) => ui::attractor::render(f, a),
        })?;
        Ok(term.backend().buffer().clone())
    }

    fn figure(&self, w: u32, h: u32) -> Result<Image> {
        match self {
            Source::Classifier(a) => super::figure::classifier(a, w, h),
            Source::Race(r) => super::figure::race(r, w, h),
            Source::Attractor(a) => super::figure::attractor(a, w, h),
            Source::Compare(c) => super::figure::compare(c, w, h),
        }
        .map_err(|e| anyhow::anyhow!("drawing the figure: {e}"))
    }
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
    if opts.cols < ui::MIN_WIDTH
        || opts.rows < ui::MIN_HEIGHT
        || opts.cols > 1000
        || opts.rows > 500
    {
        bail!(
            "--size {}x{}: needs at least {}x{} (and at most 1000x500)",
            opts.cols,
            opts.rows,
            ui::MIN_WIDTH,
            ui::MIN_HEIGHT
        );
    }
    if !(opts.fps.is_finite() && opts.fps > 0.0 && opts.fps <= 100.0) {
        bail!("--fps {}: must be above 0 and at most 100", opts.fps);
    }
    super::check_writable(&opts.out).map_err(|e| anyhow::anyhow!(e))?;
    let (mut source, total) = match &sc.body {
        Body::Classifier(spec) => {
            let trainer = Trainer::new(spec.clone(), sc.seed).context("making the data")?;
            let mut app = App::new(sc, None, Session::inline(trainer), opts.color)
                .map_err(|e| anyhow::anyhow!(e))?;
            app.session.send(Command::Resume);
            app.pull();
            (
                Source::Classifier(Box::new(app)),
                opts.epochs.unwrap_or(spec.train.epochs),
            )
        }
        Body::Race(race) => {
            let mut app = RaceApp::new(sc, race.clone(), None, opts.color);
            app.running = true;
            (
                Source::Race(Box::new(app)),
                opts.epochs.unwrap_or(race.steps),
            )
        }
        Body::Lorenz(spec) => {
            let mut app = crate::attractor::AttractorApp::new(sc, spec.clone(), opts.color);
            app.running = true;
            (
                Source::Attractor(Box::new(app)),
                opts.epochs.unwrap_or(spec.steps),
            )
        }
        Body::Compare(runs) => {
            let mut sessions = Vec::new();
            for (_, spec) in runs {
                sessions.push(Session::inline(
                    Trainer::new(spec.clone(), sc.seed).context("making the data")?,
                ));
            }
            let mut app = crate::compare::CompareApp::new(sc, sessions, opts.color)
                .map_err(|e| anyhow::anyhow!(e))?;
            for (_, a) in &mut app.runs {
                a.session.send(Command::Resume);
                a.pull();
            }
            let epochs = runs.first().map_or(0, |(_, c)| c.train.epochs);
            (
                Source::Compare(Box::new(app)),
                opts.epochs.unwrap_or(epochs),
            )
        }
    };
    let every = opts.every.unwrap_or(total.div_ceil(300)).max(1);
    // Frames at 0, every, 2·every, … and the last exactly at `total`.
    let frames = total.div_ceil(every) + 1;
    let mut term = Terminal::new(TestBackend::new(opts.cols, opts.rows))?;
    let mut raster = Rasterizer::new();
    let mut gif: Option<GifWriter<Vec<u8>>> = None;
    let mut last: Option<Image> = None;
    let show = opts.progress && std::io::stderr().is_terminal();
    let mut err = std::io::stderr();
    let mut done = 0;
    for k in 0..frames {
        if k > 0 {
            let n = every.min(total - done);
            source.advance(n);
            done += n;
        }
        if png && k + 1 < frames {
            continue;
        }
        let img = match opts.style {
            Style::Terminal => raster.rasterize(&source.draw(&mut term)?),
            Style::Figure => source.figure(opts.pixels.0, opts.pixels.1)?,
        };
        if png {
            last = Some(img);
        } else {
            let w = match &mut gif {
                Some(w) => w,
                None => gif.insert(GifWriter::new(Vec::new(), img.width, img.height)?),
            };
            w.push(img, k as f64 / opts.fps)?;
        }
        if show {
            let done = (k + 1) * 30 / frames;
            let _ = write!(
                err,
                "\r[{}{}] frame {}/{frames}",
                "#".repeat(done),
                ".".repeat(30 - done),
                k + 1
            );
        }
    }
    if show {
        let _ = writeln!(err);
    }
    let bytes = if png {
        let img = last.context("no frame was drawn")?;
        super::save_png(&opts.out, &img).map_err(|e| anyhow::anyhow!(e))?
    } else {
        let w = gif.context("no frame was drawn")?;
        let data = w.finish(2.0)?;
        super::write_atomically(&opts.out, |f| f.write_all(&data))
            .map_err(|e| anyhow::anyhow!(e))?
    };
    Ok(Exported {
        path: opts.out.clone(),
        frames: if png { 1 } else { frames },
        bytes,
    })
}
