//! The terminal front end: setup and teardown (always restored, panics and signals
//! included), and the main loop — events in, `App::update`, at most one frame per tick.

use crate::app::App;
use crate::event::{self, Event};
use crate::race::RaceApp;
use crate::scenario::{Body, Scenario};
use crate::screen::{Request, Screen};
use crate::train::{Session, Trainer};
use crate::ui::palette::ColorMode;
use anyhow::{Context, Result, bail};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::{
    cursor,
    event::{DisableBracketedPaste, EnableBracketedPaste},
    execute, queue,
    terminal::{
        self, BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen,
        LeaveAlternateScreen,
    },
};
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How the app runs.
#[derive(Clone, Debug)]
pub struct Options {
    /// Frames per second at most.
    pub fps: f64,
    /// Forced colour mode; detected from the environment when `None`.
    pub color: Option<ColorMode>,
    /// Start paused instead of training at once.
    pub paused: bool,
    /// Record the session as an asciicast v2 file.
    pub cast: Option<PathBuf>,
    /// Time GIF recordings at this fixed rate instead of the real time between frames.
    pub gif_fps: Option<f64>,
    /// Presenter mode: no parameter panel, no key hints, a large title.
    pub presenter: bool,
}

/// Collects a frame's bytes and sends them in one write: ratatui's mid-frame flushes do
/// nothing, [`FrameWriter::commit`] writes. Counts what it sends.
pub struct FrameWriter<W: Write> {
    buf: Vec<u8>,
    out: W,
    pub bytes: u64,
    pub writes: u64,
    /// An asciicast recording that gets every frame as it is sent.
    pub cast: Option<crate::export::cast::Cast>,
}

impl<W: Write> FrameWriter<W> {
    pub fn new(out: W) -> Self {
        FrameWriter {
            buf: Vec::with_capacity(64 * 1024),
            out,
            bytes: 0,
            writes: 0,
            cast: None,
        }
    }

    /// Sends the frame: one `write_all`, one flush.
    pub fn commit(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        self.out.write_all(&self.buf)?;
        self.out.flush()?;
        if let Some(c) = &mut self.cast {
            c.output(&self.buf);
        }
        self.bytes += self.buf.len() as u64;
        self.writes += 1;
        self.buf.clear();
        Ok(())
    }
}

impl<W: Write> Write for FrameWriter<W> {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Draws one frame wrapped in synchronized output and sends it in one write.
/// Returns the frame as drawn (for recording).
pub fn draw_frame<W: Write>(
    terminal: &mut Terminal<CrosstermBackend<FrameWriter<W>>>,
    render: impl FnOnce(&mut ratatui::Frame),
) -> io::Result<ratatui::buffer::Buffer> {
    queue!(terminal.backend_mut().writer_mut(), BeginSynchronizedUpdate)?;
    let drawn = terminal.draw(render)?.buffer.clone();
    queue!(terminal.backend_mut().writer_mut(), EndSynchronizedUpdate)?;
    terminal.backend_mut().writer_mut().commit()?;
    Ok(drawn)
}

/// Puts the terminal back: raw mode off, main screen, cursor shown. Safe to call twice.
pub fn restore() {
    let _ = terminal::disable_raw_mode();
    let mut out = io::stdout();
    let _ = execute!(
        out,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
}

/// A chapter to show: a loaded scenario and the folder its data paths are relative to.
pub type Chapter = (Scenario, Option<PathBuf>);

/// What plays: one scenario, or a lecture's chapters in order.
struct Show {
    chapters: Vec<Chapter>,
    index: usize,
    lecture: bool,
}

/// The app on a scenario, until the user quits.
pub fn run(sc: Scenario, dir: Option<PathBuf>, opts: Options) -> Result<()> {
    play(vec![(sc, dir)], false, Vec::new(), opts)
}

/// Lecture mode: the chapters in order, each starting paused on its title and notes; `n` and
/// `p` move between them. `broken` lists files that could not be loaded (already reported
/// with their file, line and key); the rest play.
pub fn lecture(chapters: Vec<Chapter>, broken: Vec<String>, opts: Options) -> Result<()> {
    if chapters.is_empty() {
        bail!("no chapter could be loaded:\n{}", broken.join("\n"));
    }
    play(chapters, true, broken, opts)
}

fn not_a_terminal() -> anyhow::Error {
    anyhow::anyhow!(
        "stdout is not a terminal, and the live view needs one.\n\
         For scripts and pipes use the headless commands:\n  \
         nnbook train SCENARIO   (epochs as JSON lines or CSV)\n  \
         nnbook trace SCENARIO   (optimizer paths)\n  \
         nnbook export SCENARIO --out FILE.gif\n  \
         nnbook list             (bundled scenarios)"
    )
}

/// The screen for chapter `index` of `show`.
fn build_screen(
    show: &Show,
    opts: &Options,
    tx: &mpsc::Sender<Event>,
    mode: ColorMode,
) -> Result<Screen> {
    let (sc, dir) = &show.chapters[show.index];
    let paused = opts.paused || show.lecture;
    let mut screen = match sc.body.clone() {
        Body::Classifier(spec) => {
            let trainer = Trainer::new(spec, sc.seed)
                .with_context(|| format!("{}: making the data", sc.title))?;
            let notify = tx.clone();
            let session = Session::spawn(trainer, move || {
                let _ = notify.send(Event::Trained);
            });
            let mut app =
                App::new(sc, dir.clone(), session, mode).map_err(|e| anyhow::anyhow!(e))?;
            app.start(!paused);
            Screen::Classifier(Box::new(app))
        }
        Body::Race(race) => {
            let mut app = RaceApp::new(sc, race, dir.clone(), mode);
            app.running = !paused;
            Screen::Race(Box::new(app))
        }
        Body::Lorenz(spec) => {
            let mut app = crate::attractor::AttractorApp::new(sc, spec, mode);
            app.running = !paused;
            Screen::Attractor(Box::new(app))
        }
        Body::Compare(_) => {
            let mut sessions = Vec::new();
            for spec in crate::compare::CompareApp::specs(sc) {
                let trainer = Trainer::new(spec, sc.seed)
                    .with_context(|| format!("{}: making the data", sc.title))?;
                let notify = tx.clone();
                sessions.push(Session::spawn(trainer, move || {
                    let _ = notify.send(Event::Trained);
                }));
            }
            let mut app = crate::compare::CompareApp::new(sc, sessions, mode)
                .map_err(|e| anyhow::anyhow!(e))?;
            app.start(!paused);
            Screen::Compare(Box::new(app))
        }
    };
    let stage = screen.stage_mut();
    stage.presenter = opts.presenter;
    if show.lecture {
        stage.chapter = Some((show.index + 1, show.chapters.len()));
        // Each chapter opens paused on its title and notes, so the lecturer talks first.
        stage.show_notes = true;
    }
    Ok(screen)
}

fn play(chapters: Vec<Chapter>, lecture: bool, broken: Vec<String>, opts: Options) -> Result<()> {
    if !io::stdout().is_terminal() {
        return Err(not_a_terminal());
    }
    let mode = opts.color.unwrap_or_else(ColorMode::from_env);
    let (tx, rx) = mpsc::channel::<Event>();
    let mut show = Show {
        chapters,
        index: 0,
        lecture,
    };
    let mut screen = build_screen(&show, &opts, &tx, mode)?;
    for b in &broken {
        screen.say(format!("skipped {b}"));
    }

    let prev_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        prev_hook(info);
    }));
    spawn_signals(tx.clone());

    terminal::enable_raw_mode().context("cannot put the terminal in raw mode")?;
    let mut out = io::stdout();
    execute!(
        out,
        EnterAlternateScreen,
        EnableBracketedPaste,
        cursor::Hide
    )?;
    let mut notes: Vec<String> = broken.iter().map(|b| format!("skipped {b}")).collect();
    let result = main_loop(&mut screen, &rx, tx, &opts, &mut notes, &mut show, mode);
    restore();
    for n in notes {
        eprintln!("nnbook: {n}");
    }
    result?;
    if let Some(e) = screen.error() {
        bail!(e);
    }
    Ok(())
}

fn spawn_signals(tx: mpsc::Sender<Event>) {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    if let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP]) {
        let _ = std::thread::Builder::new()
            .name("nnbook-signals".into())
            .spawn(move || {
                if signals.forever().next().is_some() {
                    let _ = tx.send(Event::Terminate);
                }
            });
    }
}

/// Recordings the main loop owns: a GIF in progress, GIFs being finished, the last frame.
struct Recording {
    gif: Option<crate::export::Recorder>,
    finishing: Vec<std::thread::JoinHandle<Result<crate::export::Saved, String>>>,
    last: Option<ratatui::buffer::Buffer>,
}

impl Recording {
    fn status(&self) -> Option<String> {
        self.gif
            .as_ref()
            .map(|g| format!("REC {} frames → {}", g.frames, g.path.display()))
    }

    /// Takes finished GIFs and reports them.
    fn reap(&mut self, screen: &mut Screen) {
        let (done, running): (Vec<_>, Vec<_>) =
            self.finishing.drain(..).partition(|h| h.is_finished());
        self.finishing = running;
        for h in done {
            screen.say(saved_message(h.join()));
        }
    }
}

fn saved_message(r: std::thread::Result<Result<crate::export::Saved, String>>) -> String {
    match r {
        Ok(Ok(s)) => format!(
            "saved {} ({} frames, {:.0} KB)",
            s.path.display(),
            s.frames,
            s.bytes as f64 / 1e3
        ),
        Ok(Err(e)) => format!("recording failed: {e}"),
        Err(_) => "recording failed: the encoder crashed".into(),
    }
}

fn handle(req: Request, screen: &mut Screen, rec: &mut Recording, opts: &Options) {
    match req {
        Request::ToggleRecord => match rec.gif.take() {
            Some(g) => {
                // Finishing can take a moment (encoding the tail, writing); it happens on
                // its own thread while the app goes on.
                let path = g.path.display().to_string();
                if let Ok(h) = std::thread::Builder::new()
                    .name("nnbook-gif-finish".into())
                    .spawn(move || g.finish())
                {
                    rec.finishing.push(h);
                }
                screen.say(format!("recording stopped; writing {path}"));
            }
            None => {
                let path = crate::export::default_name("gif");
                match crate::export::check_writable(&path) {
                    Ok(()) => {
                        rec.gif = Some(crate::export::Recorder::start(path.clone(), opts.gif_fps));
                        screen.say(format!("recording to {}; g stops", path.display()));
                    }
                    Err(e) => screen.say(e),
                }
            }
        },
        Request::NextChapter | Request::PreviousChapter => {}
        Request::Screenshot => {
            let Some(buf) = &rec.last else { return };
            let img = crate::export::raster::Rasterizer::new().rasterize(buf);
            let path = crate::export::default_name("png");
            match crate::export::save_png(&path, &img) {
                Ok(bytes) => screen.say(format!(
                    "saved {} ({:.0} KB)",
                    path.display(),
                    bytes as f64 / 1e3
                )),
                Err(e) => screen.say(e),
            }
        }
    }
}

fn main_loop(
    screen: &mut Screen,
    rx: &mpsc::Receiver<Event>,
    tx: mpsc::Sender<Event>,
    opts: &Options,
    notes: &mut Vec<String>,
    show: &mut Show,
    mode: ColorMode,
) -> Result<()> {
    let backend = CrosstermBackend::new(FrameWriter::new(io::stdout()));
    let mut terminal = Terminal::new(backend)?;
    if let Some(path) = &opts.cast {
        let size = terminal.size()?;
        let cast = crate::export::cast::Cast::create(path, size.width, size.height, screen.title())
            .map_err(|e| anyhow::anyhow!(e))?;
        terminal.backend_mut().writer_mut().cast = Some(cast);
    }
    terminal.clear()?;
    terminal.backend_mut().writer_mut().commit()?;
    event::spawn_input(tx.clone());
    let mut rec = Recording {
        gif: None,
        finishing: Vec::new(),
        last: None,
    };
    let result = run_loop(screen, rx, opts, &mut terminal, &mut rec, show, &tx, mode);
    // Whatever ended the loop, recordings in progress are finished and put in place.
    if let Some(g) = rec.gif.take() {
        notes.push(saved_message(Ok(g.finish())));
    }
    for h in rec.finishing.drain(..) {
        notes.push(saved_message(h.join()));
    }
    if let Some(cast) = terminal.backend_mut().writer_mut().cast.take() {
        notes.push(match cast.finish() {
            Ok((path, events)) => format!("saved {} ({events} events)", path.display()),
            Err(e) => e,
        });
    }
    result
}

#[allow(clippy::too_many_arguments)]
fn run_loop(
    screen: &mut Screen,
    rx: &mpsc::Receiver<Event>,
    opts: &Options,
    terminal: &mut Terminal<CrosstermBackend<FrameWriter<io::Stdout>>>,
    rec: &mut Recording,
    show: &mut Show,
    tx: &mpsc::Sender<Event>,
    mode: ColorMode,
) -> Result<()> {
    let frame_every = Duration::from_secs_f64(1.0 / opts.fps.clamp(1.0, 240.0));
    let tick = Duration::from_millis(250);
    let mut last_frame = Instant::now() - frame_every;
    let mut last_tick = Instant::now();
    loop {
        if screen.dirty() && last_frame.elapsed() >= frame_every {
            let drawn = draw_frame(terminal, |f| screen.render(f))?;
            if let Some(g) = &mut rec.gif {
                g.frame(&drawn);
            }
            rec.last = Some(drawn);
            screen.drawn();
            last_frame = Instant::now();
        }
        // Wake for the next frame when there is something to draw (or a race to run),
        // otherwise for the next tick.
        let timeout = if screen.dirty() || screen.animating() {
            frame_every.saturating_sub(last_frame.elapsed())
        } else {
            tick.saturating_sub(last_tick.elapsed())
        };
        let ev = match rx.recv_timeout(timeout) {
            Ok(ev) => Some(ev),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
            Err(mpsc::RecvTimeoutError::Disconnected) => Some(Event::Terminate),
        };
        if let Some(ev) = ev {
            if let Event::Resize(w, h) = ev {
                // Redraw at once at the new size, whatever the frame cap says.
                terminal.autoresize()?;
                if let Some(c) = &mut terminal.backend_mut().writer_mut().cast {
                    c.resize(w, h);
                }
                last_frame = Instant::now() - frame_every;
            }
            screen.update(ev);
            // Take everything else already queued before drawing.
            while let Ok(ev) = rx.try_recv() {
                screen.update(ev);
            }
        }
        if screen.animating() || last_tick.elapsed() >= tick {
            screen.update(Event::Tick);
            last_tick = Instant::now();
            rec.reap(screen);
            if let Some(e) = rec.gif.as_mut().and_then(|g| g.failed()) {
                rec.gif = None;
                screen.say(format!("recording stopped: {e}"));
            }
        }
        match screen.take_request() {
            Some(Request::NextChapter | Request::PreviousChapter) if !show.lecture => {
                screen.say("n and p walk the chapters in lecture mode: nnbook lecture");
            }
            Some(req @ (Request::NextChapter | Request::PreviousChapter)) => {
                let n = show.chapters.len();
                let forward = req == Request::NextChapter;
                let from = show.index;
                // Chapters whose data cannot be made are skipped, with a message.
                let mut skipped = Vec::new();
                let mut next = None;
                let order: Vec<usize> = if forward {
                    (from + 1..n).collect()
                } else {
                    (0..from).rev().collect()
                };
                for i in order {
                    show.index = i;
                    match build_screen(show, opts, tx, mode) {
                        Ok(s) => {
                            next = Some(s);
                            break;
                        }
                        Err(e) => skipped.push(format!("{e:#}")),
                    }
                }
                match next {
                    Some(s) => {
                        *screen = s;
                        for e in skipped {
                            screen.say(format!("skipped: {e}"));
                        }
                        terminal.clear()?;
                        last_frame = Instant::now() - frame_every;
                    }
                    None => {
                        show.index = from;
                        screen.say(if forward {
                            "this is the last chapter"
                        } else {
                            "this is the first chapter"
                        });
                    }
                }
            }
            Some(req) => handle(req, screen, rec, opts),
            None => {}
        }
        screen.set_recording(rec.status());
        if screen.quit() {
            return Ok(());
        }
    }
}
