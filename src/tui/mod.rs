//! The terminal front end: setup and teardown (always restored, panics and signals
//! included), and the main loop — events in, `view::update`, at most one frame per tick.

pub mod decode;
pub mod input;
pub mod link;
pub mod recording;
pub mod terminal;

use crate::event::Event;
use crate::scenario::Scenario;
use crate::screens::view::{self, Request, View};
use crate::screens::{self, Driver, Open};
use crate::widgets::palette::{ColorMode, Glyphs};
use anyhow::{Context, Result, bail};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::{
    cursor,
    event::EnableBracketedPaste,
    execute,
    terminal::{self as term, EnterAlternateScreen},
};
use recording::{Recording, saved_message};
use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};
use terminal::{FrameWriter, clear_screen, draw_frame, restore};

/// How the app runs.
#[derive(Clone, Debug)]
pub struct Options {
    /// Frames per second at most.
    pub fps: f64,
    /// Forced colour mode; detected from the environment when `None`.
    pub color: Option<ColorMode>,
    /// Forced glyph set; detected from the locale and `TERM` when `None`.
    pub glyphs: Option<Glyphs>,
    /// Start paused instead of training at once.
    pub paused: bool,
    /// Record the session as an asciicast v2 file.
    pub cast: Option<PathBuf>,
    /// Time GIF recordings at this fixed rate instead of the real time between frames.
    pub gif_fps: Option<f64>,
    /// The folder `g` recordings and `P` screenshots are written to.
    pub captures: PathBuf,
    /// Presenter mode: no parameter panel, no key hints, a large title.
    pub presenter: bool,
    /// Low-bandwidth mode from the start (it also turns on by itself on a slow link).
    pub low_bandwidth: bool,
    /// Open on the chapter's notes, paused (the first run: `nnbook` with no argument).
    pub notes: bool,
    /// Mouse reports on (clicks select, the wheel zooms); off leaves the terminal's own text
    /// selection working.
    pub mouse: bool,
}

/// Something that follows the screen as it runs (the classroom server, `nnbook serve`),
/// served on every pass of the loop, from the loop's thread.
pub trait Mirror {
    /// The loop's events: send [`Event::Remote`] to wake it when there is something to serve.
    fn attach(&mut self, events: mpsc::Sender<Event>);
    /// Serves from `screen` (`changed`: it changed since it was last drawn); returns when it
    /// wants to be called again at the latest.
    fn serve(
        &mut self,
        screen: &mut dyn View,
        chapter: &Chapter,
        changed: bool,
        now: Instant,
    ) -> Option<Instant>;
    /// What the lecturer's status line says of it.
    fn status(&self, now: Instant) -> Option<String>;
    /// The lecturer's key for lab mode: on or off; what to say about it.
    fn toggle_lab(&mut self) -> String;
    /// The loop is ending: let everyone go.
    fn close(&mut self);
}

/// A chapter to show: a loaded scenario and its file (`None` for a bundled one); its data
/// paths are relative to the file's folder.
pub type Chapter = (Scenario, Option<PathBuf>);

/// What plays: one scenario, or a lecture's chapters in order.
struct Show {
    chapters: Vec<Chapter>,
    index: usize,
    lecture: bool,
}

/// What the main loop keeps besides the screen: the chapters, how they open, the recorders.
struct Shell {
    show: Show,
    opts: Options,
    mode: ColorMode,
    tx: mpsc::Sender<Event>,
    rec: Recording,
    /// Flow control and what it measured of the link.
    link: link::Link,
    /// The classroom server following the screen, if serving.
    mirror: Option<Box<dyn Mirror>>,
}

/// The chapters to try, in order, for a move of `moves` from chapter `from` of `n`: the one
/// asked for first, then on in the same direction past any that cannot be opened.
fn chapter_order(from: usize, moves: isize, n: usize) -> Vec<usize> {
    if n == 0 || moves == 0 {
        return Vec::new();
    }
    let want = (from as isize + moves).clamp(0, n as isize - 1) as usize;
    let order: Vec<usize> = if moves > 0 {
        (want..n).collect()
    } else {
        (0..=want).rev().collect()
    };
    order.into_iter().filter(|&i| i != from).collect()
}

/// The app on a scenario (from `file`, `None` for a bundled one), until the user quits.
pub fn run(sc: Scenario, file: Option<PathBuf>, opts: Options) -> Result<()> {
    play(vec![(sc, file)], false, Vec::new(), opts, None)
}

/// Lecture mode: the chapters in order, each starting paused on its title and notes; `n` and
/// `p` move between them. `broken` lists files that could not be loaded (already reported
/// with their file, line and key); the rest play.
pub fn lecture(chapters: Vec<Chapter>, broken: Vec<String>, opts: Options) -> Result<()> {
    if chapters.is_empty() {
        // Each file's error was printed as it was skipped.
        bail!(
            "no chapter could be loaded ({} file{} skipped)",
            broken.len(),
            if broken.len() == 1 { "" } else { "s" }
        );
    }
    play(chapters, true, broken, opts, None)
}

/// Lecture mode with the screen mirrored (the classroom server's lecturer at this terminal).
pub fn lecture_mirrored(
    chapters: Vec<Chapter>,
    broken: Vec<String>,
    opts: Options,
    mirror: Box<dyn Mirror>,
) -> Result<()> {
    if chapters.is_empty() {
        bail!("no chapter could be loaded ({} skipped)", broken.len());
    }
    play(chapters, true, broken, opts, Some(mirror))
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

fn dumb_terminal() -> anyhow::Error {
    anyhow::anyhow!(
        "TERM is \"dumb\": this terminal cannot move the cursor, and the live view needs to.\n\
         Run it in a terminal emulator (TERM=xterm-256color or the like), or use the headless\n\
         commands:\n  \
         nnbook train SCENARIO   (epochs as JSON lines or CSV)\n  \
         nnbook export SCENARIO --out FILE.png\n  \
         nnbook list             (bundled scenarios)"
    )
}

impl Shell {
    /// The screen for the current chapter.
    fn open(&self) -> Result<Box<dyn View>> {
        let (show, opts, mode) = (&self.show, &self.opts, self.mode);
        let (sc, file) = &show.chapters[show.index];
        let dir = file
            .as_ref()
            .and_then(|f| f.parent())
            .map(|d| d.to_path_buf());
        let notify = self.tx.clone();
        let how = Open {
            mode: shown_mode(mode, self.link.low_bandwidth()),
            driver: Driver::Threaded(Arc::new(move || {
                let _ = notify.send(Event::Trained);
            })),
            run: !(opts.paused || show.lecture || opts.notes),
            dir,
        };
        let mut screen = screens::open(sc, &how)?;
        // Where `W` saves the setup: its file, or a new one for a bundled chapter.
        screen.chrome_mut().source = match file {
            Some(f) => screens::view::Source::File(f.clone()),
            None => crate::scenario::BUNDLED
                .iter()
                .find(|(n, _)| crate::scenario::load(n).ok().as_ref() == Some(sc))
                .map_or(screens::view::Source::None, |(n, _)| {
                    screens::view::Source::Bundled(n.to_string())
                }),
        };
        let stage = &mut screen.chrome_mut().stage;
        stage.presenter = opts.presenter;
        stage.link = Some(self.link.describe());
        if show.lecture {
            stage.chapter = Some((show.index + 1, show.chapters.len()));
            // Each chapter opens paused on its title and notes, so the lecturer talks first.
            stage.show_notes = true;
        }
        stage.show_notes |= opts.notes;
        if self.link.low_bandwidth() {
            screen.set_low_bandwidth(true);
        }
        Ok(screen)
    }

    /// Moves `moves` chapters (in lecture mode), skipping chapters that cannot open, saying so;
    /// true when the screen changed.
    fn move_chapter(&mut self, screen: &mut Box<dyn View>, moves: isize) -> bool {
        if !self.show.lecture {
            screen
                .chrome_mut()
                .say("n and p walk the chapters in lecture mode: nnbook lecture");
            return false;
        }
        let from = self.show.index;
        let mut skipped = Vec::new();
        for i in chapter_order(from, moves, self.show.chapters.len()) {
            self.show.index = i;
            match self.open() {
                Ok(s) => {
                    *screen = s;
                    for e in skipped {
                        screen.chrome_mut().warn(format!("skipped: {e}"));
                    }
                    return true;
                }
                Err(e) => skipped.push(format!("{e:#}")),
            }
        }
        self.show.index = from;
        screen.chrome_mut().say(if moves > 0 {
            "this is the last chapter"
        } else {
            "this is the first chapter"
        });
        false
    }
}

fn play(
    chapters: Vec<Chapter>,
    lecture: bool,
    broken: Vec<String>,
    opts: Options,
    mut mirror: Option<Box<dyn Mirror>>,
) -> Result<()> {
    if !io::stdout().is_terminal() {
        return Err(not_a_terminal());
    }
    if std::env::var("TERM").is_ok_and(|t| t == "dumb") {
        return Err(dumb_terminal());
    }
    let mode = opts.color.unwrap_or_else(ColorMode::from_env);
    let glyphs = opts.glyphs.unwrap_or_else(Glyphs::from_env);
    Glyphs::set_for_process(glyphs);
    terminal::set_glyphs(glyphs);
    let (tx, rx) = mpsc::channel::<Event>();
    if let Some(m) = &mut mirror {
        m.attach(tx.clone());
    }
    let mut shell = Shell {
        link: link::Link::new(opts.low_bandwidth),
        show: Show {
            chapters,
            index: 0,
            lecture,
        },
        opts,
        mode,
        tx: tx.clone(),
        mirror,
        rec: Recording {
            gif: None,
            finishing: Vec::new(),
            last: None,
        },
    };
    let mut screen = shell.open()?;
    if !broken.is_empty() {
        // Every file that could not be loaded, in one message that stays until a key.
        let all: Vec<String> = broken.iter().map(|b| format!("skipped {b}")).collect();
        screen.chrome_mut().warn(all.join("\n"));
    }

    let prev_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        prev_hook(info);
    }));
    spawn_signals(tx.clone());

    MOUSE.store(shell.opts.mouse, Ordering::SeqCst);
    enter()?;
    let mut notes: Vec<String> = broken.iter().map(|b| format!("skipped {b}")).collect();
    let result = main_loop(&mut shell, &mut screen, &rx, &mut notes);
    if let Some(m) = &mut shell.mirror {
        m.close();
    }
    restore();
    for n in notes {
        eprintln!("nnbook: {}", crate::widgets::format::printable(&n));
    }
    result?;
    if let Some(e) = screen.error() {
        bail!(e);
    }
    Ok(())
}

/// The signal that ended the app, if one did (0: none).
static SIGNALLED: AtomicI32 = AtomicI32::new(0);
/// The main loop has seen the end and is leaving (finishing recordings, restoring).
static LEAVING: AtomicBool = AtomicBool::new(false);
/// The main loop has taken a stop request (it gives the terminal back and stops itself).
static STOP_TAKEN: AtomicBool = AtomicBool::new(false);

/// The signal that ended the last live view, if one did: the binary exits with 128 + it.
pub fn signalled() -> Option<i32> {
    match SIGNALLED.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

/// How long a signal waits for the main loop before the terminal is restored from the signal
/// thread and the process exits (the loop may be stuck writing to a stalled link).
const SIGNAL_GRACE: Duration = Duration::from_secs(1);

/// Signals end the app cleanly, or, when the main loop does not answer within
/// [`SIGNAL_GRACE`], restore the terminal and exit with 128 + the signal; SIGTSTP (and Ctrl-Z)
/// restores the terminal, stops, and on SIGCONT takes the terminal back and redraws.
fn spawn_signals(tx: mpsc::Sender<Event>) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGUSR1};
    let Ok(mut signals) =
        signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGTSTP])
    else {
        return;
    };
    let _ = std::thread::Builder::new()
        .name("nnbook-signals".into())
        .spawn(move || {
            for sig in signals.forever() {
                if sig == SIGTSTP {
                    // The main loop stops the app itself, between frames, once the answers
                    // in flight are in (so that nothing is drawn or echoed onto the shell).
                    STOP_TAKEN.store(false, Ordering::SeqCst);
                    let _ = tx.send(Event::Suspend);
                    let t0 = Instant::now();
                    while t0.elapsed() < SIGNAL_GRACE && !STOP_TAKEN.load(Ordering::SeqCst) {
                        std::thread::sleep(Duration::from_millis(10));
                    }
                    if STOP_TAKEN.load(Ordering::SeqCst) {
                        continue;
                    }
                    // The loop is stuck (a stalled link): give the terminal back from here.
                    terminal::restore_without_waiting();
                    let _ = signal_hook::low_level::raise(signal_hook::consts::SIGSTOP);
                    let _ = tx.send(Event::Resumed);
                    continue;
                }
                let _ = SIGNALLED.compare_exchange(0, sig, Ordering::SeqCst, Ordering::SeqCst);
                let _ = tx.send(Event::Terminate);
                let t0 = Instant::now();
                while t0.elapsed() < SIGNAL_GRACE {
                    if LEAVING.load(Ordering::SeqCst) {
                        // The loop has it: recordings are being finished; let it end.
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                // The main thread may hold stdout, blocked on a stalled link: restore
                // through the terminal device, without waiting for it.
                terminal::restore_without_waiting();
                std::process::exit(128 + sig);
            }
        });
}

/// Mouse reports are asked for (`--no-mouse` leaves the terminal's own selection working).
static MOUSE: AtomicBool = AtomicBool::new(true);

/// Takes the terminal: raw mode, the alternate screen, bracketed paste, mouse reports, no
/// cursor.
fn enter() -> Result<()> {
    use std::io::Write;
    term::enable_raw_mode().context("cannot put the terminal in raw mode")?;
    terminal::HELD.store(true, Ordering::SeqCst);
    let mut out = io::stdout();
    execute!(
        out,
        EnterAlternateScreen,
        EnableBracketedPaste,
        cursor::Hide
    )?;
    if MOUSE.load(Ordering::SeqCst) {
        out.write_all(terminal::MOUSE_ON)?;
        out.flush()?;
    }
    Ok(())
}

fn main_loop(
    shell: &mut Shell,
    screen: &mut Box<dyn View>,
    rx: &mpsc::Receiver<Event>,
    notes: &mut Vec<String>,
) -> Result<()> {
    let backend = CrosstermBackend::new(FrameWriter::new(io::stdout()));
    let mut terminal = Terminal::new(backend)?;
    if let Some(path) = &shell.opts.cast {
        let size = terminal.size()?;
        let cast = crate::export::cast::Cast::create(
            path,
            size.width,
            size.height,
            &screen.chrome().title.clone(),
        )?;
        terminal.backend_mut().writer_mut().cast = Some(cast);
    }
    clear_screen(&mut terminal)?;
    terminal.backend_mut().writer_mut().commit()?;
    input::spawn_input(shell.tx.clone());
    let result = run_loop(shell, screen, rx, &mut terminal);
    LEAVING.store(true, Ordering::SeqCst);
    let rec = &mut shell.rec;
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
            Err(e) => e.to_string(),
        });
    }
    result
}

/// The screen drawn into a buffer of `area`'s size, off the terminal.
/// What low-bandwidth mode changes, as the status line says it.
const LOW_BANDWIDTH_DOES: &str =
    "at most 4 frames a second, the field every 1.5 s, 256 colours at most, no spin";

/// The time between frames: the `--fps` cap, and at most 4 a second on a slow link.
fn frame_interval(fps: f64, low_bandwidth: bool) -> Duration {
    let fps = fps.clamp(1.0, 240.0);
    Duration::from_secs_f64(1.0 / if low_bandwidth { fps.min(4.0) } else { fps })
}

/// The colour mode shown: 256 colours at most on a slow link (a truecolor cell costs twice
/// the bytes).
fn shown_mode(mode: ColorMode, low_bandwidth: bool) -> ColorMode {
    if low_bandwidth && mode == ColorMode::Truecolor {
        ColorMode::Ansi256
    } else {
        mode
    }
}

fn run_loop(
    shell: &mut Shell,
    screen: &mut Box<dyn View>,
    rx: &mpsc::Receiver<Event>,
    terminal: &mut Terminal<CrosstermBackend<FrameWriter<io::Stdout>>>,
) -> Result<()> {
    let fps = shell.opts.fps;
    let tick = Duration::from_millis(250);
    let mut last_frame = Instant::now() - Duration::from_secs(1);
    let mut last_tick = Instant::now();
    let mut slow = shell.link.low_bandwidth();
    if slow {
        screen.chrome_mut().say(format!(
            "low-bandwidth mode (--low-bandwidth): {LOW_BANDWIDTH_DOES}"
        ));
    }
    // The first frame goes out at once, its query after it: a terminal that never answers
    // shows it at once, and moves on to the fixed rate after `SILENT_AFTER`.
    let mut mirror_due: Option<Instant> = None;
    let mut mirror_said = Instant::now() - Duration::from_secs(1);
    loop {
        let frame_every = frame_interval(fps, slow);
        if let Some(m) = &mut shell.mirror {
            let now = Instant::now();
            let changed = screen.dirty();
            let chapter = &shell.show.chapters[shell.show.index];
            mirror_due = m.serve(screen.as_mut(), chapter, changed, now);
            // The lecturer's status line: viewers and the slowest lag, once a second.
            if now.duration_since(mirror_said) >= Duration::from_secs(1) {
                mirror_said = now;
                let status = m.status(now);
                let stage = &mut screen.chrome_mut().stage;
                if stage.serving != status {
                    stage.serving = status;
                    screen.chrome_mut().dirty = true;
                }
            }
        }
        let held = terminal::HELD.load(Ordering::SeqCst);
        if held
            && screen.dirty()
            && last_frame.elapsed() >= frame_every
            && shell.link.may_send(Instant::now())
        {
            if screen.chrome().help {
                // What the help overlay says of the link, as of this frame.
                screen.chrome_mut().stage.link = Some(shell.link.describe());
            }
            let drawn = draw_frame(
                terminal,
                |f| view::draw(screen.as_ref(), f),
                Some(link::QUERY),
            )?;
            if let Some((at, bytes)) = terminal.backend().writer().last_commit {
                shell.link.sent(bytes, at);
            }
            if let Some(g) = &mut shell.rec.gif {
                let clean = recording::recorded_frame(screen.as_mut(), drawn.area);
                g.frame(clean.as_ref().unwrap_or(&drawn));
            }
            shell.rec.last = Some(drawn);
            screen.drawn();
            last_frame = Instant::now();
        }
        // Wake for the next frame when there is something to draw (or a race to run) — or,
        // with a frame in flight, when its answer is overdue; otherwise for the next tick.
        // An answer wakes the loop by itself.
        let until_tick = tick.saturating_sub(last_tick.elapsed());
        let timeout = if screen.dirty() || screen.animating() {
            let now = Instant::now();
            if shell.link.may_send(now) {
                frame_every.saturating_sub(last_frame.elapsed())
            } else {
                let due = shell
                    .link
                    .deadline()
                    .map(|d| d.saturating_duration_since(now));
                due.unwrap_or(until_tick).min(until_tick)
            }
        } else {
            until_tick
        };
        let timeout = match mirror_due {
            Some(d) => timeout.min(d.saturating_duration_since(Instant::now())),
            None => timeout,
        };
        let ev = match rx.recv_timeout(timeout) {
            Ok(ev) => Some(ev),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
            Err(mpsc::RecvTimeoutError::Disconnected) => Some(Event::Terminate),
        };
        if let Some(ev) = ev {
            // Take everything else already queued before drawing.
            for ev in std::iter::once(ev).chain(std::iter::from_fn(|| rx.try_recv().ok())) {
                match &ev {
                    Event::Answered => shell.link.answered(Instant::now()),
                    Event::Suspend | Event::Resumed => {
                        if matches!(ev, Event::Suspend) {
                            STOP_TAKEN.store(true, Ordering::SeqCst);
                            wait_for_answers(shell, rx);
                            restore();
                            // Stop as SIGTSTP's default action would; on from here after
                            // SIGCONT.
                            let _ = signal_hook::low_level::raise(signal_hook::consts::SIGSTOP);
                        }
                        // Back from a stop: the terminal shows the shell's screen; draw ours
                        // anew. Answers due while stopped went to the shell.
                        shell.link.forget();
                        if take_back(terminal)? {
                            last_frame = Instant::now() - frame_every;
                        }
                    }
                    Event::Resize(w, h) => {
                        // Redraw at once at the new size, whatever the frame cap says.
                        terminal.autoresize()?;
                        if let Some(c) = &mut terminal.backend_mut().writer_mut().cast {
                            c.resize(*w, *h);
                        }
                        last_frame = Instant::now() - frame_every;
                    }
                    _ => {}
                }
                view::update(screen.as_mut(), ev);
            }
        }
        if shell.link.low_bandwidth() != slow {
            slow = !slow;
            set_low_bandwidth(shell, screen.as_mut(), slow);
        }
        if screen.animating() || last_tick.elapsed() >= tick {
            // Continued in the background (`bg`) and brought back (`fg`): take the terminal.
            if !terminal::HELD.load(Ordering::SeqCst) && take_back(terminal)? {
                last_frame = Instant::now() - frame_every;
            }
            view::update(screen.as_mut(), Event::Tick);
            last_tick = Instant::now();
            shell.rec.reap(screen.as_mut());
            if let Some(e) = shell.rec.gif.as_mut().and_then(|g| g.failed()) {
                shell.rec.gif = None;
                screen.chrome_mut().warn(format!("recording stopped: {e}"));
            }
        }
        // Every request, in order; chapter moves in a row add up (`p p` goes back two).
        let mut moves = 0isize;
        for req in screen.chrome_mut().take_requests() {
            match req {
                Request::NextChapter => moves += 1,
                Request::PreviousChapter => moves -= 1,
                Request::ToggleLab => {
                    let said = match &mut shell.mirror {
                        Some(m) => m.toggle_lab(),
                        None => "L turns lab mode on and off when serving: nnbook serve".into(),
                    };
                    screen.chrome_mut().say(said);
                }
                other => recording::handle(
                    other,
                    screen.as_mut(),
                    &mut shell.rec,
                    shell.opts.gif_fps,
                    &shell.opts.captures,
                ),
            }
        }
        if moves != 0 && shell.move_chapter(screen, moves) {
            clear_screen(terminal)?;
            last_frame = Instant::now() - frame_every;
        }
        screen.chrome_mut().set_recording(shell.rec.status());
        if screen.chrome().quit {
            if terminal::HELD.load(Ordering::SeqCst) {
                wait_for_answers(shell, rx);
            }
            return Ok(());
        }
    }
}

/// Low-bandwidth mode on or off, for the screen shown (the chapters opened later get it in
/// [`Shell::open`]).
fn set_low_bandwidth(shell: &Shell, screen: &mut dyn View, on: bool) {
    screen.set_low_bandwidth(on);
    let c = screen.chrome_mut();
    c.palette = crate::widgets::palette::Palette::new(shown_mode(shell.mode, on));
    c.dirty = true;
    let rate = shell
        .link
        .estimate()
        .rate
        .map(|r| format!(" (≈ {:.1} KB/s)", r / 1e3))
        .unwrap_or_default();
    if on {
        c.say(format!(
            "slow link{rate}: low-bandwidth mode — {LOW_BANDWIDTH_DOES}"
        ));
    } else {
        c.say(format!(
            "the link is fast again{rate}: low-bandwidth mode off"
        ));
    }
}

/// Takes the terminal back after a stop, when this is the foreground job (continued with
/// `bg`, or to be killed, it leaves the terminal to the shell); true when it did.
fn take_back(terminal: &mut Terminal<CrosstermBackend<FrameWriter<io::Stdout>>>) -> Result<bool> {
    if terminal::HELD.load(Ordering::SeqCst) || !terminal::foreground() {
        return Ok(false);
    }
    enter()?;
    clear_screen(terminal)?;
    Ok(true)
}

/// Before the terminal is given back, the answers still on their way are let in: once out of
/// raw mode, the terminal would echo them onto the shell's prompt. As long as the link needs
/// for what is in flight (up to 3 s), less than the signal grace when a signal ends the app.
fn wait_for_answers(shell: &mut Shell, rx: &mpsc::Receiver<Event>) {
    if shell.link.silent() {
        return;
    }
    let most = if SIGNALLED.load(Ordering::SeqCst) != 0 {
        SIGNAL_GRACE.mul_f64(0.7)
    } else {
        Duration::from_secs(3)
    };
    let until = Instant::now() + shell.link.drain_time().min(most);
    while shell.link.in_flight() > 0 {
        let left = until.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(Event::Answered) => shell.link.answered(Instant::now()),
            Ok(_) => {}
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::chapter_order;

    #[test]
    fn chapter_moves_add_up_and_skip_on_in_their_direction() {
        // `p p` from chapter 3 of 5 (index 2): chapter 1 first.
        assert_eq!(chapter_order(2, -2, 5), [0]);
        assert_eq!(chapter_order(2, -1, 5), [1, 0]);
        assert_eq!(chapter_order(3, 1, 5), [4]);
        assert_eq!(chapter_order(1, 2, 5), [3, 4]);
        // Past either end: the end, or nothing when already there.
        assert_eq!(chapter_order(1, -5, 5), [0]);
        assert_eq!(chapter_order(0, -1, 5), Vec::<usize>::new());
        assert_eq!(chapter_order(4, 3, 5), Vec::<usize>::new());
    }
}
