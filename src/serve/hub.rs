//! The classroom's hub, on the lecturer's thread (the one that owns the screen): every viewer's
//! terminal as the hub knows it — its size and colour mode, what it shows, its flow control —
//! and the frames they get.
//!
//! The lecturer's view is drawn once per (size, colour mode, help shown) group into a buffer;
//! each viewer gets the difference between that buffer and what its terminal already shows,
//! followed by a status query (`ESC [ 5 n`, as the terminal loop does it), and nothing more
//! until its terminal answers: a slow or stalled viewer is sent the newest frame when it
//! answers, the ones in between are never queued for it, and it never slows the others.

use crate::event::Event;
use crate::screens::view::{self, View};
use crate::screens::{self, Driver, Open};
use crate::tui::Chapter;
use crate::tui::decode::{Decoder, Input};
use crate::tui::link::{self, Link};
use crate::tui::terminal::sgr16;
use crate::widgets::palette::{ColorMode, Palette};
use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend, TestBackend};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::crossterm::{
    cursor, queue, style,
    terminal::{BeginSynchronizedUpdate, Clear, ClearType, EndSynchronizedUpdate},
};
use ratatui::layout::Rect;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};
use tokio::sync::mpsc as tokio_mpsc;

pub type ViewerId = u64;

/// Wakes the loop that owns the hub (from any thread): something is waiting for it.
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// What a connection tells the hub.
#[derive(Debug)]
pub enum Inbound {
    /// A terminal session began (after its `pty-req` and `shell`): its size, the colour mode
    /// its `TERM` and `COLORTERM` say, and where its bytes go.
    Open {
        id: ViewerId,
        cols: u16,
        rows: u16,
        mode: ColorMode,
        peer: String,
        /// Authenticated with a presenter's key: its keys drive the lecture.
        presenter: bool,
        out: tokio_mpsc::Sender<Outbound>,
    },
    Resize {
        id: ViewerId,
        cols: u16,
        rows: u16,
    },
    /// Bytes the viewer's terminal sent: keys, and answers to the status queries.
    Input {
        id: ViewerId,
        bytes: Vec<u8>,
    },
    Closed {
        id: ViewerId,
    },
}

/// What the hub sends a connection.
#[derive(Debug)]
pub enum Outbound {
    Bytes(Vec<u8>),
    /// Close the session (after the bytes before it).
    Close,
}

/// Frames a connection's writer may hold: the one in flight and one more (a frame sent
/// after an answer is given up on); past that frames are dropped and the viewer redrawn
/// whole when it takes bytes again.
pub const OUTLET: usize = 2;

/// Terminals larger than this are drawn at this size (a frame is bounded).
pub const MAX_COLS: u16 = 400;
pub const MAX_ROWS: u16 = 200;

/// Asked of the terminal when nothing was sent for this long (or a third of the idle
/// timeout, if shorter), to know that it is alive.
const PROBE_AFTER: Duration = Duration::from_secs(20);

/// Enter the alternate screen, hide the cursor: sent before a viewer's first frame.
const ENTER: &[u8] = b"\x1b[?1049h\x1b[?25l";
/// Back to the main screen, cursor shown: sent before the session closes.
const LEAVE: &[u8] = b"\x1b[0m\x1b[?1049l\x1b[?25h";

/// What a viewer's screen is drawn as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Group {
    pub cols: u16,
    pub rows: u16,
    pub mode: ColorMode,
    pub help: bool,
    /// The presenter sees the lecturer's screen as it is (help, status line and all).
    pub presenter: bool,
}

/// A viewer's own run of the chapter in lab mode: its own trainer, every key its own.
struct Own {
    view: Box<dyn View>,
    /// The trainer published since the last look.
    trained: Arc<AtomicBool>,
    last_tick: Instant,
}

struct Viewer {
    presenter: bool,
    own: Option<Own>,
    /// Lab mode had no run left for this viewer (said once).
    turned_away: bool,
    cols: u16,
    rows: u16,
    mode: ColorMode,
    help: bool,
    out: tokio_mpsc::Sender<Outbound>,
    decoder: Decoder,
    link: Link,
    /// What the terminal shows once the bytes sent have arrived; `None`: unknown (the next
    /// frame clears the screen and draws everything).
    shown: Option<Rc<Buffer>>,
    /// The change count of the view that `shown` was drawn from.
    version: u64,
    /// The first frame has not been sent (the alternate screen is entered with it).
    fresh: bool,
    last_frame: Instant,
    /// When the terminal last sent anything.
    heard: Instant,
    /// When the frame in flight went out.
    in_flight_since: Option<Instant>,
    /// The time the last frame took to be answered.
    last_lag: Duration,
    bytes: u64,
    frames: u64,
    dropped: u64,
    since: Instant,
}

impl Viewer {
    fn group(&self) -> Group {
        Group {
            cols: self.cols,
            rows: self.rows,
            mode: shown_mode(self.mode, self.link.low_bandwidth()),
            help: self.help,
            presenter: self.presenter,
        }
    }

    /// Now, how far behind this viewer's terminal is: the age of the frame in flight, or the
    /// time the last one took.
    fn lag(&self, now: Instant) -> Duration {
        match self.in_flight_since {
            Some(t) => now.duration_since(t).max(self.last_lag),
            None => self.last_lag,
        }
    }
}

/// The colour mode a viewer is drawn in: 256 colours at most on a slow link.
fn shown_mode(mode: ColorMode, low_bandwidth: bool) -> ColorMode {
    if low_bandwidth && mode == ColorMode::Truecolor {
        ColorMode::Ansi256
    } else {
        mode
    }
}

/// What the hub tells the lecturer (the log, or the status line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Note {
    Joined {
        id: ViewerId,
        presenter: bool,
        peer: String,
        cols: u16,
        rows: u16,
        mode: ColorMode,
    },
    Left {
        id: ViewerId,
        why: &'static str,
    },
    /// Anything else worth a line in the log.
    Said(String),
}

/// A viewer's figures, for the lecturer and the load run.
#[derive(Clone, Debug)]
pub struct ViewerStats {
    pub id: ViewerId,
    pub group: Group,
    pub bytes: u64,
    pub frames: u64,
    pub dropped: u64,
    pub lag: Duration,
    pub seconds: f64,
}

/// A rendered group: the view's change count it shows and when it was drawn.
struct Drawn {
    version: u64,
    at: Instant,
    buffer: Rc<Buffer>,
}

pub struct Hub {
    inbox: mpsc::Receiver<Inbound>,
    viewers: HashMap<ViewerId, Viewer>,
    drawn: HashMap<Group, Drawn>,
    /// Counts the view's changes (the caller says when: [`Hub::touch`]).
    version: u64,
    fps: f64,
    idle: Duration,
    notes: Vec<Note>,
    /// Renders done (one per group and frame), for the figures.
    pub renders: u64,
    /// Lab mode: each viewer its own run, at most `lab_runs` at once.
    lab: bool,
    lab_runs: usize,
    wake: Waker,
}

/// How often a lab run's clock ticks (messages expire, the race advances).
const TICK: Duration = Duration::from_millis(250);

/// The time between a viewer's frames: `fps`, at most 4 a second on a slow link.
fn interval(fps: f64, low_bandwidth: bool) -> Duration {
    let fps = fps.clamp(1.0, 60.0);
    Duration::from_secs_f64(1.0 / if low_bandwidth { fps.min(4.0) } else { fps })
}

impl Hub {
    pub fn new(
        inbox: mpsc::Receiver<Inbound>,
        fps: f64,
        idle: Duration,
        lab_runs: usize,
        wake: Waker,
    ) -> Self {
        Hub {
            lab: false,
            lab_runs,
            wake,
            inbox,
            viewers: HashMap::new(),
            drawn: HashMap::new(),
            version: 1,
            fps,
            idle,
            notes: Vec::new(),
            renders: 0,
        }
    }

    /// The view changed: viewers get a new frame when their terminal may take one.
    pub fn touch(&mut self) {
        self.version += 1;
    }

    pub fn viewers(&self) -> usize {
        self.viewers.len()
    }

    /// What happened since the last call (joins and leaves).
    pub fn take_notes(&mut self) -> Vec<Note> {
        std::mem::take(&mut self.notes)
    }

    /// The slowest viewer's lag now.
    pub fn slowest(&self, now: Instant) -> Option<Duration> {
        self.viewers.values().map(|v| v.lag(now)).max()
    }

    pub fn stats(&self, now: Instant) -> Vec<ViewerStats> {
        let mut s: Vec<ViewerStats> = self
            .viewers
            .iter()
            .map(|(id, v)| ViewerStats {
                id: *id,
                group: v.group(),
                bytes: v.bytes,
                frames: v.frames,
                dropped: v.dropped,
                lag: v.lag(now),
                seconds: now.duration_since(v.since).as_secs_f64(),
            })
            .collect();
        s.sort_by_key(|v| v.id);
        s
    }

    /// One line for the log: viewers connected, the slowest link's lag, what a viewer is
    /// sent a second on average, frames dropped for stalled links.
    pub fn status(&self, now: Instant) -> String {
        let n = self.viewers.len();
        let lag = self
            .slowest(now)
            .map(|l| format!(" · slowest {:.0} ms behind", l.as_secs_f64() * 1e3))
            .unwrap_or_default();
        let stats = self.stats(now);
        let rate = stats
            .iter()
            .map(|s| s.bytes as f64 / s.seconds.max(1.0))
            .sum::<f64>()
            / stats.len().max(1) as f64;
        let dropped: u64 = stats.iter().map(|s| s.dropped).sum();
        format!(
            "{n} viewer{}{lag} · {:.1} KB/s each on average · {dropped} frames dropped",
            if n == 1 { "" } else { "s" },
            rate / 1e3
        )
    }

    /// [`Hub::status`] rounded (to 10 ms, or a tenth of a second past one), for the
    /// lecturer's status line, which then changes only when something does.
    pub fn status_rounded(&self, now: Instant) -> String {
        let n = self.viewers.len();
        let lag = match self.slowest(now).map(|l| l.as_secs_f64()) {
            Some(l) if l < 1.0 => format!(", slowest {:.0} ms behind", (l * 100.0).round() * 10.0),
            Some(l) => format!(", slowest {l:.1} s behind"),
            None => String::new(),
        };
        let lab = if self.lab {
            format!(" · lab {} runs", self.lab_runs_open())
        } else {
            String::new()
        };
        format!("{n} viewer{}{lag}{lab}", if n == 1 { "" } else { "s" })
    }

    /// Takes what the connections sent, then sends a frame to every viewer whose terminal
    /// may take one. Returns when it wants to be called again at the latest (a frame due).
    pub fn pump(
        &mut self,
        view: &mut dyn View,
        chapter: &Chapter,
        now: Instant,
    ) -> Option<Instant> {
        while let Ok(msg) = self.inbox.try_recv() {
            self.take(msg, view, now);
        }
        if view.dirty() {
            // A presenter's keys changed the view: the viewers see it in this pass.
            self.touch();
        }
        if self.lab {
            self.open_labs(chapter, now);
        }
        self.tend_labs(now);
        self.send_frames(view, now);
        self.tend(now);
        self.next_due(now)
    }

    pub fn lab(&self) -> bool {
        self.lab
    }

    /// Lab mode on (every viewer gets its own run of the chapter shown, as runs are free) or
    /// off (every viewer back to following the lecturer; their runs end).
    pub fn set_lab(&mut self, on: bool) {
        self.lab = on;
        if !on {
            for v in self.viewers.values_mut() {
                v.own = None;
                v.turned_away = false;
                v.version = 0;
            }
        }
    }

    fn lab_runs_open(&self) -> usize {
        self.viewers.values().filter(|v| v.own.is_some()).count()
    }

    /// Opens a run of `chapter` for every viewer without one, while runs are left.
    fn open_labs(&mut self, chapter: &Chapter, now: Instant) {
        let mut open = self.lab_runs_open();
        let mut ids: Vec<ViewerId> = self
            .viewers
            .iter()
            .filter(|(_, v)| v.own.is_none() && !v.turned_away && !v.presenter)
            .map(|(id, _)| *id)
            .collect();
        ids.sort();
        let (sc, file) = chapter;
        let dir = file
            .as_ref()
            .and_then(|f| f.parent())
            .map(|d| d.to_path_buf());
        for id in ids {
            let Some(v) = self.viewers.get_mut(&id) else {
                continue;
            };
            if open >= self.lab_runs {
                v.turned_away = true;
                self.notes.push(Note::Said(format!(
                    "viewer {id} follows the lecture: all {} lab runs are taken (--lab-runs)",
                    self.lab_runs
                )));
                continue;
            }
            let trained = Arc::new(AtomicBool::new(false));
            let (flag, wake) = (trained.clone(), self.wake.clone());
            let how = Open {
                mode: v.mode,
                driver: Driver::Threaded(Arc::new(move || {
                    flag.store(true, Ordering::SeqCst);
                    wake();
                })),
                run: true,
                dir: dir.clone(),
            };
            match screens::open(sc, &how) {
                Ok(mut own) => {
                    own.chrome_mut()
                        .say("lab: your own run of this chapter — every key works here; q leaves");
                    v.own = Some(Own {
                        view: own,
                        trained,
                        last_tick: now,
                    });
                    v.version = 0;
                    open += 1;
                }
                Err(e) => {
                    v.turned_away = true;
                    self.notes
                        .push(Note::Said(format!("viewer {id}: no lab run: {e}")));
                }
            }
        }
    }

    /// The lab runs' news and clocks; a run whose viewer quit ends the viewer's session.
    fn tend_labs(&mut self, now: Instant) {
        let mut leaving = Vec::new();
        for (id, v) in self.viewers.iter_mut() {
            let Some(own) = &mut v.own else { continue };
            if own.trained.swap(false, Ordering::SeqCst) {
                view::update(own.view.as_mut(), Event::Trained);
            }
            if own.view.animating() || now.duration_since(own.last_tick) >= TICK {
                view::update(own.view.as_mut(), Event::Tick);
                own.last_tick = now;
            }
            if !own.view.chrome_mut().take_requests().is_empty() {
                own.view
                    .chrome_mut()
                    .say("over ssh nothing is saved, and the lecturer picks the chapter");
            }
            if own.view.chrome().quit {
                leaving.push(*id);
            }
        }
        for id in leaving {
            self.drop_viewer(id, "pressed q");
        }
    }

    fn take(&mut self, msg: Inbound, view: &mut dyn View, now: Instant) {
        match msg {
            Inbound::Open {
                id,
                cols,
                rows,
                mode,
                peer,
                presenter,
                out,
            } => {
                let (cols, rows) = (cols.min(MAX_COLS), rows.min(MAX_ROWS));
                self.notes.push(Note::Joined {
                    id,
                    presenter,
                    peer,
                    cols,
                    rows,
                    mode,
                });
                self.viewers.insert(
                    id,
                    Viewer {
                        presenter,
                        own: None,
                        turned_away: false,
                        cols,
                        rows,
                        mode,
                        help: false,
                        out,
                        decoder: Decoder::default(),
                        link: Link::new(false),
                        shown: None,
                        version: 0,
                        fresh: true,
                        last_frame: now - Duration::from_secs(1),
                        heard: now,
                        in_flight_since: None,
                        last_lag: Duration::ZERO,
                        bytes: 0,
                        frames: 0,
                        dropped: 0,
                        since: now,
                    },
                );
            }
            Inbound::Resize { id, cols, rows } => {
                if let Some(v) = self.viewers.get_mut(&id) {
                    v.cols = cols.min(MAX_COLS);
                    v.rows = rows.min(MAX_ROWS);
                    // What a resized terminal shows is its own business: draw it all anew.
                    v.shown = None;
                    v.last_frame = now - Duration::from_secs(1);
                }
            }
            Inbound::Input { id, bytes } => {
                let Some(v) = self.viewers.get_mut(&id) else {
                    return;
                };
                v.heard = now;
                let mut leave = false;
                for input in v.decoder.feed(&bytes) {
                    match input {
                        Input::Answer => {
                            v.link.answered(now);
                            if let Some(t) = v.in_flight_since.take() {
                                v.last_lag = now.duration_since(t);
                            }
                        }
                        Input::Key(k) if v.presenter => {
                            // The presenter drives the lecture; q (or Ctrl-C) only leaves.
                            if is_leave(&k) {
                                leave = true;
                            } else {
                                view::update(view, Event::Key(k));
                            }
                        }
                        Input::Key(k) => match &mut v.own {
                            Some(own) => lab_key(own.view.as_mut(), k),
                            None => leave |= viewer_key(v, k),
                        },
                        // A paste would go to the editor, which is the lecturer's.
                        Input::Paste(_) => {}
                        // Viewers' terminals are not asked for mouse reports (their own
                        // selection keeps working); a stray one is dropped.
                        Input::Mouse(_) => {}
                    }
                }
                if leave {
                    self.drop_viewer(id, "pressed q");
                }
            }
            Inbound::Closed { id } => {
                if self.viewers.remove(&id).is_some() {
                    self.notes.push(Note::Left {
                        id,
                        why: "disconnected",
                    });
                }
            }
        }
    }

    /// Says goodbye to a viewer's terminal (main screen back, cursor shown) and closes it.
    fn drop_viewer(&mut self, id: ViewerId, why: &'static str) {
        if let Some(v) = self.viewers.remove(&id) {
            if !v.fresh {
                let _ = v.out.try_send(Outbound::Bytes(LEAVE.to_vec()));
            }
            let _ = v.out.try_send(Outbound::Close);
            self.notes.push(Note::Left { id, why });
        }
    }

    /// Every viewer let go, their terminals given back (the server is stopping).
    pub fn close_all(&mut self) {
        let ids: Vec<ViewerId> = self.viewers.keys().copied().collect();
        for id in ids {
            self.drop_viewer(id, "the server stopped");
        }
    }

    fn send_frames(&mut self, view: &mut dyn View, now: Instant) {
        let version = self.version;
        let fps = self.fps;
        let ready: Vec<ViewerId> = self
            .viewers
            .iter_mut()
            .filter(|(_, v)| {
                let behind = match &v.own {
                    Some(own) => own.view.dirty() || v.version == 0,
                    None => v.version < version,
                };
                (v.shown.is_none() || behind)
                    && now.duration_since(v.last_frame) >= interval(fps, v.link.low_bandwidth())
            })
            .filter_map(|(id, v)| v.link.may_send(now).then_some(*id))
            .collect();
        let mut closed = Vec::new();
        for id in ready {
            if let Some(v) = self.viewers.get_mut(&id)
                && v.out.capacity() == 0
            {
                // The connection has not taken the last frames (its link is stalled): this
                // one is not even drawn, and the screen is drawn whole once it takes bytes.
                v.dropped += 1;
                v.shown = None;
                v.last_frame = now;
                continue;
            }
            let Some(group) = self.viewers.get(&id).map(Viewer::group) else {
                continue;
            };
            let own = self.viewers.get_mut(&id).and_then(|v| v.own.as_mut());
            let buffer = match own {
                // A lab run is drawn for its viewer alone.
                Some(own) => {
                    let b = Rc::new(draw_own(own.view.as_mut(), group));
                    own.view.drawn();
                    self.renders += 1;
                    b
                }
                None => self.render(view, group, now),
            };
            let Some(v) = self.viewers.get_mut(&id) else {
                continue;
            };
            let mut bytes = Vec::new();
            if v.fresh {
                bytes.extend_from_slice(ENTER);
            }
            let Some(frame) = encode(v.shown.as_deref(), &buffer) else {
                // Nothing changed on this viewer's screen.
                v.version = version;
                continue;
            };
            bytes.extend(frame);
            bytes.extend_from_slice(link::QUERY);
            let n = bytes.len();
            match v.out.try_send(Outbound::Bytes(bytes)) {
                Ok(()) => {
                    v.link.sent(n, now);
                    v.in_flight_since.get_or_insert(now);
                    v.shown = Some(buffer);
                    v.version = version;
                    v.fresh = false;
                    v.bytes += n as u64;
                    v.frames += 1;
                }
                Err(tokio_mpsc::error::TrySendError::Full(_)) => {
                    // The connection has not taken the last frames: this one is dropped,
                    // and the screen is drawn whole once it takes bytes again.
                    v.dropped += 1;
                    v.shown = None;
                }
                Err(tokio_mpsc::error::TrySendError::Closed(_)) => closed.push(id),
            }
            v.last_frame = now;
        }
        for id in closed {
            if self.viewers.remove(&id).is_some() {
                self.notes.push(Note::Left {
                    id,
                    why: "disconnected",
                });
            }
        }
        // Groups nobody is in any more are let go.
        let groups: Vec<Group> = self
            .viewers
            .values()
            .filter(|v| v.own.is_none())
            .map(Viewer::group)
            .collect();
        self.drawn.retain(|g, _| groups.contains(g));
    }

    /// The view drawn for `group`: once per group and frame (a buffer drawn less than a frame
    /// ago is shared, even when the view changed since: it goes out with the next frame).
    fn render(&mut self, view: &mut dyn View, group: Group, now: Instant) -> Rc<Buffer> {
        let every = interval(self.fps, false);
        if let Some(d) = self.drawn.get(&group)
            && (d.version == self.version || now.duration_since(d.at) < every)
        {
            return d.buffer.clone();
        }
        let buffer = Rc::new(draw_for(view, group));
        self.renders += 1;
        self.drawn.insert(
            group,
            Drawn {
                version: self.version,
                at: now,
                buffer: buffer.clone(),
            },
        );
        buffer
    }

    /// Idle viewers are let go; quiet ones are asked whether they are still there.
    fn tend(&mut self, now: Instant) {
        let idle = self.idle;
        let gone: Vec<ViewerId> = self
            .viewers
            .iter()
            .filter(|(_, v)| now.duration_since(v.heard) >= idle)
            .map(|(id, _)| *id)
            .collect();
        for id in gone {
            self.drop_viewer(id, "its terminal stopped answering");
        }
        let mut closed = Vec::new();
        for (id, v) in self.viewers.iter_mut() {
            if v.out.is_closed() {
                closed.push(*id);
                continue;
            }
            if v.link.in_flight() == 0
                && !v.fresh
                && now.duration_since(v.last_frame) >= PROBE_AFTER.min(idle / 3)
                && v.out
                    .try_send(Outbound::Bytes(link::QUERY.to_vec()))
                    .is_ok()
            {
                v.link.sent(link::QUERY.len(), now);
                v.last_frame = now;
            }
        }
        for id in closed {
            self.viewers.remove(&id);
            self.notes.push(Note::Left {
                id,
                why: "disconnected",
            });
        }
    }

    /// When a frame is next due: the earliest time a viewer behind the view may get one.
    fn next_due(&self, now: Instant) -> Option<Instant> {
        self.viewers
            .values()
            .filter(|v| {
                v.shown.is_none()
                    || match &v.own {
                        Some(own) => own.view.dirty() || own.view.animating(),
                        None => v.version < self.version,
                    }
            })
            .map(|v| {
                let next = v.last_frame + interval(self.fps, v.link.low_bandwidth());
                match v.link.deadline() {
                    Some(d) if v.link.in_flight() > 0 => d.max(next),
                    _ => next,
                }
            })
            .min()
            .map(|t| t.max(now))
    }
}

/// A viewer's key: `q` (or Ctrl-C) leaves, `?` opens and closes its own help; nothing else
/// does anything (the lecturer alone drives). True when the viewer leaves.
fn viewer_key(v: &mut Viewer, k: KeyEvent) -> bool {
    if is_leave(&k) {
        return true;
    }
    let help = k.code == KeyCode::Char('?') && !v.help;
    if v.help != help {
        v.help = help;
        v.version = 0;
    }
    false
}

/// `q` or Ctrl-C: the viewer leaves.
fn is_leave(k: &KeyEvent) -> bool {
    let ctrl_c = k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL);
    k.code == KeyCode::Char('q') || ctrl_c
}

/// What a following viewer's `?` shows: its own keys (the lecturer's are not its to press).
const VIEWER_HELP: &[&str] = &[
    "You are following the lecture: the lecturer",
    "drives, and your screen shows it live.",
    "",
    "  q   leave",
    "  ?   close this",
    "",
    "Other keys do nothing here.",
];

fn viewer_help(f: &mut ratatui::Frame) {
    use ratatui::widgets::{Block, Borders, Clear, Paragraph};
    let area = f.area();
    let w = (VIEWER_HELP
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
        + 4) as u16;
    let h = VIEWER_HELP.len() as u16 + 2;
    if area.width < w || area.height < h {
        return;
    }
    let r = Rect::new((area.width - w) / 2, (area.height - h) / 2, w, h);
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(VIEWER_HELP.join("\n")).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" keys · nnbook serve "),
        ),
        r,
    );
}

/// A lab viewer's key: everything its own run takes, but the editor (a scenario names files
/// on the server's disk: that is the lecturer's).
fn lab_key(own: &mut dyn View, k: KeyEvent) {
    if k.code == KeyCode::Char('e') && k.modifiers.difference(KeyModifiers::SHIFT).is_empty() {
        own.chrome_mut()
            .say("the scenario editor is the lecturer's; every other key works here");
        return;
    }
    // W writes the setup to a file: never on the server's disk from a viewer.
    if k.code == KeyCode::Char('W') {
        own.chrome_mut()
            .say("over ssh nothing is saved: W works in your own nnbook");
        return;
    }
    view::update(own, Event::Key(k));
}

/// A lab run drawn at its viewer's size (it was opened in the viewer's colour mode).
fn draw_own(view: &mut dyn View, group: Group) -> Buffer {
    let area = Rect::new(0, 0, group.cols.max(1), group.rows.max(1));
    Terminal::new(TestBackend::new(area.width, area.height))
        .ok()
        .and_then(|mut t| {
            t.draw(|f| view::draw(&*view, f))
                .ok()
                .map(|d| d.buffer.clone())
        })
        .unwrap_or_else(|| Buffer::empty(area))
}

/// The view drawn for a group: in the group's colour mode, with the help overlay when the
/// group has it open, and without the lecturer's own overlays (help, serving status).
pub fn draw_for(view: &mut dyn View, group: Group) -> Buffer {
    let area = Rect::new(0, 0, group.cols.max(1), group.rows.max(1));
    if group.presenter {
        let c = view.chrome_mut();
        let palette = std::mem::replace(&mut c.palette, Palette::new(group.mode));
        let drawn = draw_own(view, group);
        view.chrome_mut().palette = palette;
        return drawn;
    }
    let c = view.chrome_mut();
    let palette = std::mem::replace(&mut c.palette, Palette::new(group.mode));
    let help = (c.help, c.help_page);
    (c.help, c.help_page) = (false, 0);
    let serving = c.stage.serving.take();
    let link = c.stage.link.take();
    let drawn = Terminal::new(TestBackend::new(area.width, area.height))
        .ok()
        .and_then(|mut t| {
            t.draw(|f| {
                view::draw(&*view, f);
                if group.help {
                    viewer_help(f);
                }
            })
            .ok()
            .map(|d| d.buffer.clone())
        })
        .unwrap_or_else(|| Buffer::empty(area));
    let c = view.chrome_mut();
    c.palette = palette;
    (c.help, c.help_page) = help;
    c.stage.serving = serving;
    c.stage.link = link;
    drawn
}

/// The bytes that take a terminal showing `shown` (unknown: `None`) to `next`, in one
/// synchronized update; `None` when nothing changed.
pub fn encode(shown: Option<&Buffer>, next: &Buffer) -> Option<Vec<u8>> {
    let mut out: Vec<u8> = Vec::with_capacity(16 * 1024);
    let _ = queue!(out, BeginSynchronizedUpdate);
    let blank;
    let prev = match shown {
        Some(p) if p.area == next.area => p,
        _ => {
            let _ = queue!(
                out,
                style::SetAttribute(style::Attribute::Reset),
                style::ResetColor,
                Clear(ClearType::All)
            );
            blank = Buffer::empty(next.area);
            &blank
        }
    };
    let updates = prev.diff(next);
    if updates.is_empty() && shown.is_some_and(|p| p.area == next.area) {
        return None;
    }
    {
        let mut backend = CrosstermBackend::new(&mut out);
        let _ = backend.draw(updates.into_iter());
    }
    let _ = queue!(out, cursor::Hide, EndSynchronizedUpdate);
    Some(sgr16(&out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buffer(w: u16, h: u16, text: &str) -> Buffer {
        let mut b = Buffer::empty(Rect::new(0, 0, w, h));
        b.set_string(0, 0, text, ratatui::style::Style::default());
        b
    }

    #[test]
    fn a_frame_is_the_difference_and_nothing_when_nothing_changed() {
        let a = buffer(20, 3, "epoch 1");
        let b = buffer(20, 3, "epoch 2");
        let first = encode(None, &a).unwrap();
        let text = String::from_utf8_lossy(&first);
        assert!(
            text.contains("\x1b[2J") && text.contains("epoch\x1b[1;7H1"),
            "{text:?}"
        );
        let next = encode(Some(&a), &b).unwrap();
        let text = String::from_utf8_lossy(&next);
        assert!(!text.contains("\x1b[2J") && text.contains('2') && !text.contains("epoch"));
        assert!(next.len() < first.len());
        assert_eq!(encode(Some(&b), &b), None);
        // Another size: cleared and drawn whole.
        let c = buffer(30, 3, "epoch 2");
        assert!(String::from_utf8_lossy(&encode(Some(&b), &c).unwrap()).contains("\x1b[2J"));
    }

    fn playground() -> (Box<dyn View>, Chapter) {
        let sc = crate::scenario::load("playground").unwrap();
        let how = Open {
            mode: ColorMode::Ansi256,
            driver: Driver::Inline,
            run: false,
            dir: None,
        };
        (screens::open(&sc, &how).unwrap(), (sc, None))
    }

    #[test]
    fn a_viewer_that_takes_nothing_has_two_frames_waiting_at_most_then_a_whole_redraw() {
        let (tx, rx) = mpsc::sync_channel(64);
        let mut hub = Hub::new(rx, 15.0, Duration::from_secs(300), 4, Arc::new(|| {}));
        let (mut view, chapter) = playground();
        let (out, mut writer) = tokio_mpsc::channel(OUTLET);
        tx.send(Inbound::Open {
            id: 1,
            cols: 100,
            rows: 30,
            mode: ColorMode::Ansi256,
            peer: "test".into(),
            presenter: false,
            out,
        })
        .unwrap();
        let mut now = Instant::now();
        // The terminal answers every frame, but its connection takes none of them.
        for _ in 0..50 {
            view.advance(1);
            hub.touch();
            hub.pump(view.as_mut(), &chapter, now);
            tx.send(Inbound::Input {
                id: 1,
                bytes: b"\x1b[0n".to_vec(),
            })
            .unwrap();
            now += Duration::from_millis(100);
        }
        let s = &hub.stats(now)[0];
        assert_eq!(s.frames, OUTLET as u64, "{s:?}");
        assert!(s.dropped > 40, "{s:?}");
        // The connection takes its bytes again: the next frame clears and draws all.
        while writer.try_recv().is_ok() {}
        view.advance(1);
        hub.touch();
        hub.pump(view.as_mut(), &chapter, now);
        let Ok(Outbound::Bytes(b)) = writer.try_recv() else {
            panic!("no frame after the connection drained");
        };
        assert!(String::from_utf8_lossy(&b).contains("\x1b[2J"));
    }

    #[test]
    fn viewers_of_one_size_and_mode_share_one_drawing() {
        let (tx, rx) = mpsc::sync_channel(64);
        let mut hub = Hub::new(rx, 15.0, Duration::from_secs(300), 4, Arc::new(|| {}));
        let (mut view, chapter) = playground();
        let mut writers = Vec::new();
        for (id, cols) in [(1, 100), (2, 100), (3, 100), (4, 80)] {
            let (out, w) = tokio_mpsc::channel(OUTLET);
            writers.push(w);
            tx.send(Inbound::Open {
                id,
                cols,
                rows: 30,
                mode: ColorMode::Ansi256,
                peer: "test".into(),
                presenter: false,
                out,
            })
            .unwrap();
        }
        hub.pump(view.as_mut(), &chapter, Instant::now());
        assert_eq!(hub.renders, 2, "one drawing per size");
        for w in &mut writers {
            assert!(matches!(w.try_recv(), Ok(Outbound::Bytes(_))));
        }
    }
}
