//! `nnbook serve`: a classroom over SSH. One process, one port: every student connects with
//! `ssh` and follows the lecturer's chapter live in their own terminal, at its own size and
//! colour mode, with flow control of its own; the lecturer alone drives.
//!
//! - `ssh`: the SSH server (russh on a small tokio runtime, only inside this command): keys,
//!   authentication, one terminal session per connection, refusing everything else;
//! - `hub`: on the lecturer's thread, which owns the screen: the viewers, the view drawn once
//!   per (size, colour mode) group, the difference to what each terminal shows sent only when
//!   that terminal has answered the last frame;
//! - `keys`: the host key (made on the first start) and the authorized keys.
//!
//! The lecturer is the terminal that ran `serve` (the usual live view, mirrored), or, without
//! a terminal (a service, output to a log), nobody: the chapter plays on its own.
//!
//! Sits above `tui` (it drives the terminal loop for the local lecturer and reuses its input
//! decoder and flow control) and below `commands`.

pub mod hub;
pub mod keys;
pub mod ssh;

use crate::event::Event;
use crate::screens::view::{self, Request, View};
use crate::screens::{self, Driver, Open};
use crate::tui::Chapter;
use crate::widgets::format::printable;
use crate::widgets::palette::ColorMode;
use anyhow::{Context, Result, bail};
use hub::{Hub, Note};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// How the server runs.
#[derive(Clone, Debug)]
pub struct Options {
    /// Address to listen on, `HOST:PORT` (port 0: any free port, said on stderr).
    pub listen: String,
    /// The host key file (made on the first start).
    pub host_key: PathBuf,
    /// Anyone may connect, with no authentication.
    pub open: bool,
    /// Only the keys in this file may connect.
    pub authorized_keys: Option<PathBuf>,
    /// Keys that connect as the presenter (`ssh -t presenter@HOST`) and drive the lecture.
    pub presenter_keys: Option<PathBuf>,
    pub max_viewers: usize,
    /// A viewer whose terminal sends nothing (keys or answers) this long is let go.
    pub idle: Duration,
    /// Frames per second at most, for each viewer.
    pub fps: f64,
    /// Run without the local terminal even when there is one.
    pub headless: bool,
    /// Lab mode from the start: each viewer its own run of the chapter.
    pub lab: bool,
    /// Lab runs at once, at most (each has its trainer thread); viewers beyond follow.
    pub lab_runs: usize,
    /// The lecturer's live view at the local terminal.
    pub view: crate::tui::Options,
}

/// Inputs waiting in the hub's inbox, at most (a flood is dropped, not queued).
const INBOX: usize = 4096;
/// How often the headless server logs its viewers and their lag.
const LOG_EVERY: Duration = Duration::from_secs(30);

/// Serves `chapters` (the first one; a lecturer at the local terminal walks them) until
/// stopped.
pub fn serve(chapters: Vec<Chapter>, broken: Vec<String>, opts: Options) -> Result<()> {
    if chapters.is_empty() {
        bail!("no chapter could be loaded ({} skipped)", broken.len());
    }
    let access = match (&opts.authorized_keys, opts.open) {
        (Some(_), true) => bail!("--open and --authorized-keys: choose one"),
        (None, false) => bail!(
            "who may connect? --open (anyone who reaches the port, no password) or \
             --authorized-keys FILE (the public keys in FILE)"
        ),
        (None, true) => keys::Access::Open,
        (Some(path), false) => keys::Access::Keys(keys::authorized_keys(path)?),
    };
    if !(opts.fps.is_finite() && opts.fps > 0.0) {
        bail!("--fps must be a positive number, got {:?}", opts.fps);
    }
    let presenters = match &opts.presenter_keys {
        Some(path) => keys::authorized_keys(path)?,
        None => Vec::new(),
    };
    let (host_key, made) = keys::host_key(&opts.host_key)?;
    let fingerprint = keys::fingerprint(&host_key);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("nnbook-ssh")
        .enable_all()
        .build()
        .context("cannot start the network runtime")?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(&opts.listen))
        .with_context(|| format!("--listen {}: cannot listen there", opts.listen))?;
    let addr = listener.local_addr()?;

    let (inbox_tx, inbox) = mpsc::sync_channel(INBOX);
    // The loop to wake: the headless one, or the terminal's (once it has started).
    let slot: Slot = Arc::new(Mutex::new(None));
    let pending = Arc::new(AtomicBool::new(false));
    let wake: hub::Waker = {
        let (slot, pending) = (slot.clone(), pending.clone());
        Arc::new(move || {
            if !pending.swap(true, Ordering::SeqCst)
                && let Ok(s) = slot.lock()
                && let Some(tx) = s.as_ref()
            {
                let _ = tx.send(Event::Remote);
            }
        })
    };
    let wake_hub = wake.clone();
    let n_presenters = presenters.len();
    let shared = Arc::new(ssh::Shared::new(
        access.clone(),
        presenters,
        opts.max_viewers,
        inbox_tx,
        wake,
    ));
    let config = Arc::new(ssh::config(host_key, &access, opts.idle));
    runtime.spawn(ssh::listen(listener, config, shared));

    log(&format!(
        "listening on {addr} ({}), host key {} {fingerprint}{}",
        match access {
            keys::Access::Open => "open to anyone".to_string(),
            keys::Access::Keys(k) => format!("{} authorized keys", k.len()),
        },
        opts.host_key.display(),
        if made { " (new)" } else { "" }
    ));
    let port = addr.port();
    log(&format!(
        "students type: ssh -t -p {port} {} (q leaves, ? shows the keys)",
        if addr.ip().is_unspecified() {
            "THIS-HOST".to_string()
        } else {
            addr.ip().to_string()
        }
    ));
    if n_presenters > 0 {
        log(&format!(
            "the presenter drives with: ssh -t -p {port} {}@HOST ({n_presenters} key{})",
            ssh::PRESENTER,
            if n_presenters == 1 { "" } else { "s" }
        ));
    }
    for b in &broken {
        log(&format!("skipped {b}"));
    }
    let mut hub = Hub::new(inbox, opts.fps, opts.idle, opts.lab_runs, wake_hub);
    if opts.lab {
        hub.set_lab(true);
        log(&format!(
            "lab mode: each viewer its own run of the chapter, {} at most",
            opts.lab_runs
        ));
    }
    let result = if is_headless(&opts) {
        let (events, rx) = mpsc::channel::<Event>();
        if let Ok(mut s) = slot.lock() {
            *s = Some(events.clone());
        }
        headless(&chapters, hub, &events, &rx, &pending, opts.fps)
    } else {
        crate::tui::lecture_mirrored(
            chapters,
            broken,
            opts.view.clone(),
            Box::new(Classroom {
                hub,
                slot,
                pending,
                port,
            }),
        )
    };
    runtime.shutdown_timeout(Duration::from_millis(500));
    result
}

/// Where the wake-ups go: the loop's events, once it runs.
type Slot = Arc<Mutex<Option<mpsc::Sender<Event>>>>;

/// The hub following the local lecturer's screen.
struct Classroom {
    hub: Hub,
    slot: Slot,
    pending: Arc<AtomicBool>,
    port: u16,
}

impl crate::tui::Mirror for Classroom {
    fn attach(&mut self, events: mpsc::Sender<Event>) {
        if let Ok(mut s) = self.slot.lock() {
            *s = Some(events);
        }
    }

    fn serve(
        &mut self,
        screen: &mut dyn View,
        chapter: &Chapter,
        changed: bool,
        now: Instant,
    ) -> Option<Instant> {
        if changed {
            self.hub.touch();
        }
        self.pending.store(false, Ordering::SeqCst);
        let due = self.hub.pump(screen, chapter, now);
        // Joins and leaves are in the status line's count; the terminal is the lecturer's.
        let _ = self.hub.take_notes();
        due
    }

    fn status(&self, now: Instant) -> Option<String> {
        Some(format!(
            "ssh -p {}: {}",
            self.port,
            self.hub.status_rounded(now)
        ))
    }

    fn toggle_lab(&mut self) -> String {
        let on = !self.hub.lab();
        self.hub.set_lab(on);
        if on {
            "lab mode: each viewer gets its own run of this chapter (L brings everyone back)".into()
        } else {
            "follow mode: every viewer follows your screen again".into()
        }
    }

    fn close(&mut self) {
        self.hub.close_all();
        // The writers send the goodbyes.
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// A line for the log (stderr), escaped.
fn log(line: &str) {
    eprintln!("nnbook serve: {}", printable(line));
}

fn log_note(n: &Note) {
    match n {
        Note::Joined {
            id,
            presenter,
            peer,
            cols,
            rows,
            mode,
        } => log(&format!(
            "{} {id} joined from {peer} ({cols}x{rows}, {} colours)",
            if *presenter { "presenter" } else { "viewer" },
            mode.name()
        )),
        Note::Left { id, why } => log(&format!("viewer {id} left ({why})")),
        Note::Said(s) => log(s),
    }
}

/// Whether serve runs without its terminal: asked for, or there is none.
pub fn is_headless(opts: &Options) -> bool {
    opts.headless || !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal())
}

/// Stops on SIGTERM, SIGINT and SIGHUP: viewers get their terminals back first.
fn spawn_signals(tx: mpsc::Sender<Event>) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP]) else {
        return;
    };
    let _ = std::thread::Builder::new()
        .name("nnbook-signals".into())
        .spawn(move || {
            if signals.forever().next().is_some() {
                let _ = tx.send(Event::Terminate);
            }
        });
}

/// Chapter `i` of `chapters` as the headless server shows it: running at once (the first),
/// or paused on its notes (moved to by a presenter).
fn open_chapter(
    chapters: &[Chapter],
    i: usize,
    events: &mpsc::Sender<Event>,
    run: bool,
) -> Result<Box<dyn View>> {
    let (sc, file) = &chapters[i];
    let dir = file
        .as_ref()
        .and_then(|f| f.parent())
        .map(|d| d.to_path_buf());
    let notify = events.clone();
    let how = Open {
        mode: ColorMode::Truecolor,
        driver: Driver::Threaded(Arc::new(move || {
            let _ = notify.send(Event::Trained);
        })),
        run,
        dir,
    };
    let mut screen = screens::open(sc, &how)?;
    let stage = &mut screen.chrome_mut().stage;
    if chapters.len() > 1 {
        stage.chapter = Some((i + 1, chapters.len()));
    }
    stage.show_notes = !run;
    Ok(screen)
}

/// No lecturer at a terminal: the chapter plays on its own and every viewer follows it.
fn headless(
    chapters: &[Chapter],
    mut hub: Hub,
    events: &mpsc::Sender<Event>,
    rx: &mpsc::Receiver<Event>,
    pending: &AtomicBool,
    fps: f64,
) -> Result<()> {
    let mut index = 0;
    let mut screen = open_chapter(chapters, index, events, true)?;
    log(&format!("playing {}", screen.chrome().title));
    spawn_signals(events.clone());
    let tick = Duration::from_millis(250);
    let frame = Duration::from_secs_f64(1.0 / fps.clamp(1.0, 60.0));
    let mut last_tick = Instant::now();
    let mut last_log = Instant::now();
    loop {
        let now = Instant::now();
        if screen.dirty() {
            hub.touch();
            screen.drawn();
        }
        pending.store(false, Ordering::SeqCst);
        let due = hub.pump(screen.as_mut(), &chapters[index], now);
        for n in hub.take_notes() {
            log_note(&n);
        }
        if last_log.elapsed() >= LOG_EVERY && hub.viewers() > 0 {
            log(&hub.status(now));
            last_log = now;
        }
        let mut timeout = tick.saturating_sub(last_tick.elapsed());
        if screen.animating() {
            timeout = timeout.min(frame);
        }
        if let Some(d) = due {
            timeout = timeout.min(d.saturating_duration_since(now));
        }
        match rx.recv_timeout(timeout) {
            Ok(ev) => {
                for ev in std::iter::once(ev).chain(std::iter::from_fn(|| rx.try_recv().ok())) {
                    view::update(screen.as_mut(), ev);
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        if screen.animating() || last_tick.elapsed() >= tick {
            view::update(screen.as_mut(), Event::Tick);
            last_tick = Instant::now();
        }
        // A presenter's chapter moves (each chapter opens paused on its notes, as in a
        // lecture); recordings and lab mode are the local lecturer's.
        let mut moves = 0isize;
        for r in screen.chrome_mut().take_requests() {
            match r {
                Request::NextChapter => moves += 1,
                Request::PreviousChapter => moves -= 1,
                _ => {}
            }
        }
        let to = (index as isize + moves).clamp(0, chapters.len() as isize - 1) as usize;
        if to != index {
            match open_chapter(chapters, to, events, false) {
                Ok(s) => {
                    screen = s;
                    index = to;
                    log(&format!("chapter {}: {}", to + 1, screen.chrome().title));
                }
                Err(e) => screen.chrome_mut().warn(format!("skipped: {e:#}")),
            }
        }
        if screen.chrome().quit {
            break;
        }
    }
    log("stopping: every viewer gets its terminal back");
    hub.close_all();
    // The writers send the goodbyes.
    std::thread::sleep(Duration::from_millis(300));
    if let Some(e) = screen.error() {
        bail!(e);
    }
    Ok(())
}
