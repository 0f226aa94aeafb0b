//! `nnbook serve` as students meet it: the binary started headless on 127.0.0.1 (any free
//! port), SSH clients (russh) with terminals of their own (vt100 parses what they are sent,
//! and they answer the server's status queries as a terminal does).

#![allow(clippy::unwrap_used)]

use russh::client;
use russh::keys::{Algorithm, PrivateKey, PrivateKeyWithHashAlg};
use russh::{ChannelMsg, Disconnect};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;

/// The server, stopped and its folder removed when dropped.
struct Server {
    child: Child,
    port: u16,
    dir: PathBuf,
    log: Arc<Mutex<String>>,
}

static DIRS: AtomicU64 = AtomicU64::new(0);

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "nnbook-serve-test-{}-{}",
        std::process::id(),
        DIRS.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

impl Server {
    fn start(dir: PathBuf, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_nnbook"))
            .arg("serve")
            .args(args)
            .args(["--listen", "127.0.0.1:0", "--host-key"])
            .arg(dir.join("host_key"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (port_tx, port_rx) = std::sync::mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        let kept = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(rest) = line.split("listening on 127.0.0.1:").nth(1) {
                    let port: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
                    let _ = port_tx.send(port.parse::<u16>().unwrap());
                }
                let mut l = kept.lock().unwrap();
                l.push_str(&line);
                l.push('\n');
            }
        });
        let port = port_rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("the server did not start: {}", log.lock().unwrap()));
        Server {
            child,
            port,
            dir,
            log,
        }
    }

    fn running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// What a viewer's terminal shows, and when frames arrived.
struct Screen {
    parser: vt100::Parser,
    bytes: usize,
    /// When each status query (one per frame) arrived.
    frames: Vec<Instant>,
    tail: Vec<u8>,
    closed: bool,
}

const QUERY: &[u8] = b"\x1b[5n";

impl Screen {
    /// Takes bytes; returns how many status queries they held.
    fn feed(&mut self, data: &[u8]) -> usize {
        self.parser.process(data);
        self.bytes += data.len();
        let mut all = std::mem::take(&mut self.tail);
        all.extend_from_slice(data);
        let n = all.windows(QUERY.len()).filter(|w| *w == QUERY).count();
        let keep = all.len().min(QUERY.len() - 1);
        self.tail = all[all.len() - keep..].to_vec();
        let now = Instant::now();
        self.frames.extend(std::iter::repeat_n(now, n));
        n
    }

    fn text(&self) -> String {
        self.parser.screen().contents()
    }

    fn row(&self, r: u16) -> String {
        let (_, cols) = self.parser.screen().size();
        (0..u16::from(cols))
            .map(|c| {
                self.parser
                    .screen()
                    .cell(r, c)
                    .map(|c| c.contents().to_string())
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| " ".into())
            })
            .collect()
    }

    /// The epoch the title bar shows.
    fn epoch(&self) -> Option<u64> {
        let top = self.row(0);
        let after = top.rsplit("epoch ").next()?;
        let digits: String = after
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ' ')
            .filter(|c| c.is_ascii_digit())
            .collect();
        digits.parse().ok()
    }
}

struct Client;

impl client::Handler for Client {
    type Error = russh::Error;
    async fn check_server_key(
        &mut self,
        _key: &russh::keys::PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

/// A student at a terminal of `cols`×`rows`.
struct Viewer {
    handle: client::Handle<Client>,
    keys: russh::ChannelWriteHalf<client::Msg>,
    screen: Arc<Mutex<Screen>>,
    /// Cleared: the terminal stops reading (and so answering).
    reading: Arc<AtomicBool>,
}

async fn connect(port: u16, key: Option<PrivateKey>) -> Result<client::Handle<Client>, String> {
    connect_as(port, "student", key).await
}

async fn connect_as(
    port: u16,
    user: &str,
    key: Option<PrivateKey>,
) -> Result<client::Handle<Client>, String> {
    let config = Arc::new(client::Config::default());
    let mut handle = client::connect(config, ("127.0.0.1", port), Client)
        .await
        .map_err(|e| e.to_string())?;
    let ok = match key {
        Some(k) => handle
            .authenticate_publickey(user, PrivateKeyWithHashAlg::new(Arc::new(k), None))
            .await
            .map_err(|e| e.to_string())?
            .success(),
        None => handle
            .authenticate_none(user)
            .await
            .map_err(|e| e.to_string())?
            .success(),
    };
    if ok {
        Ok(handle)
    } else {
        Err("authentication refused".into())
    }
}

async fn viewer(port: u16, cols: u16, rows: u16, key: Option<PrivateKey>) -> Viewer {
    viewer_as(port, "student", cols, rows, key).await
}

async fn viewer_as(port: u16, user: &str, cols: u16, rows: u16, key: Option<PrivateKey>) -> Viewer {
    let handle = connect_as(port, user, key).await.unwrap();
    let channel = handle.channel_open_session().await.unwrap();
    channel
        .request_pty(true, "xterm-256color", cols as u32, rows as u32, 0, 0, &[])
        .await
        .unwrap();
    channel.request_shell(true).await.unwrap();
    let (mut read, keys) = channel.split();
    let screen = Arc::new(Mutex::new(Screen {
        parser: vt100::Parser::new(
            std::num::NonZeroU16::new(rows).unwrap(),
            std::num::NonZeroU16::new(cols).unwrap(),
            0,
        ),
        bytes: 0,
        frames: Vec::new(),
        tail: Vec::new(),
        closed: false,
    }));
    let reading = Arc::new(AtomicBool::new(true));
    let mut answer = keys.make_writer();
    let (s, r) = (screen.clone(), reading.clone());
    tokio::spawn(async move {
        loop {
            if !r.load(Ordering::SeqCst) {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
            match read.wait().await {
                Some(ChannelMsg::Data { data }) => {
                    let n = s.lock().unwrap().feed(&data);
                    for _ in 0..n {
                        if answer.write_all(b"\x1b[0n").await.is_err() {
                            break;
                        }
                    }
                    let _ = answer.flush().await;
                }
                Some(ChannelMsg::Close) | None => {
                    s.lock().unwrap().closed = true;
                    break;
                }
                Some(_) => {}
            }
        }
    });
    Viewer {
        handle,
        keys,
        screen,
        reading,
    }
}

impl Viewer {
    /// Waits until the screen passes `test`, at most `secs`.
    async fn until(&self, secs: f64, what: &str, test: impl Fn(&Screen) -> bool) {
        let t0 = Instant::now();
        while t0.elapsed().as_secs_f64() < secs {
            if test(&self.screen.lock().unwrap()) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!(
            "{what}: not within {secs} s; the screen:\n{}",
            self.screen.lock().unwrap().text()
        );
    }

    fn epoch(&self) -> Option<u64> {
        self.screen.lock().unwrap().epoch()
    }

    async fn press(&self, keys: &[u8]) {
        self.keys.data_bytes(keys.to_vec()).await.unwrap();
    }
}

const TITLE: &str = "Playground: the circle";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn viewers_follow_the_chapter_live_each_at_its_own_size() {
    let s = Server::start(temp_dir(), &["playground", "--open"]);
    let wide = viewer(s.port, 110, 34, None).await;
    let small = viewer(s.port, 80, 24, None).await;
    for (v, cols, rows) in [(&wide, 110u16, 34u16), (&small, 80, 24)] {
        v.until(10.0, "the title", |sc| sc.row(0).contains(TITLE))
            .await;
        // The screen fills the terminal exactly: the panels' corners in its corners, the
        // status line on its last row.
        v.until(5.0, "the panels' corners", |sc| {
            let (top, bottom) = (sc.row(1), sc.row(rows - 2));
            top.chars().count() == cols as usize
                && top.starts_with('┌')
                && top.ends_with('┐')
                && bottom.starts_with('└')
                && bottom.ends_with('┘')
                && sc.row(rows - 1).contains("running")
        })
        .await;
    }
    let e0 = wide.epoch().unwrap();
    wide.until(10.0, "the epoch advancing", |sc| sc.epoch() > Some(e0))
        .await;
    small
        .until(10.0, "the epoch advancing", |sc| sc.epoch() > Some(e0))
        .await;
    assert!(s.log().contains("viewer 1 joined"), "{}", s.log());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewers_keys_cannot_pause_the_run_and_its_help_is_its_own() {
    let s = Server::start(temp_dir(), &["playground", "--open"]);
    let a = viewer(s.port, 100, 30, None).await;
    let b = viewer(s.port, 100, 30, None).await;
    a.until(10.0, "a number in the title", |sc| sc.epoch().is_some())
        .await;
    // Space pauses the lecturer's run; `.` steps, `r` resets, `n` moves on: none of it here.
    a.press(b" ").await;
    a.press(b"r").await;
    a.press(b"n").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let e0 = a.epoch().unwrap();
    a.until(10.0, "the run going on", |sc| sc.epoch() > Some(e0 + 1))
        .await;
    assert!(!a.screen.lock().unwrap().row(0).contains("⏸"));
    // `?` shows this viewer the keys, and only this viewer.
    a.press(b"?").await;
    a.until(5.0, "the help", |sc| {
        sc.text().contains("You are following the lecture")
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !b.screen
            .lock()
            .unwrap()
            .text()
            .contains("You are following")
    );
    // q leaves: the session closes, the server goes on for the others.
    a.press(b"q").await;
    a.until(5.0, "the session closed", |sc| sc.closed).await;
    let e1 = b.epoch().unwrap();
    b.until(5.0, "the run going on", |sc| sc.epoch() > Some(e1))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_authorized_keys_get_in_when_keys_are_required() {
    let dir = temp_dir();
    let student = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519).unwrap();
    let stranger = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519).unwrap();
    let file = dir.join("authorized_keys");
    std::fs::write(
        &file,
        format!("{}\n", student.public_key().to_openssh().unwrap()),
    )
    .unwrap();
    let file = file.display().to_string();
    let s = Server::start(dir, &["playground", "--authorized-keys", &file]);
    assert!(
        connect(s.port, None).await.is_err(),
        "no authentication got in"
    );
    assert!(
        connect(s.port, Some(stranger)).await.is_err(),
        "an unknown key got in"
    );
    let v = viewer(s.port, 90, 28, Some(student)).await;
    v.until(10.0, "the title", |sc| sc.row(0).contains(TITLE))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_and_a_disconnect_mid_frame_leave_the_server_running() {
    let mut s = Server::start(temp_dir(), &["playground", "--open"]);
    let rude = viewer(s.port, 200, 60, None).await;
    rude.until(10.0, "bytes", |sc| sc.bytes > 0).await;
    let mut junk: Vec<u8> = (0..=255u8).collect();
    junk.extend(b"\x1b[999999999;99999999R\x1b[200~unterminated paste\x1b\x1b[");
    rude.press(&junk).await;
    // More channels than the one screen: refused, the connection goes on.
    assert!(rude.handle.channel_open_session().await.is_err());
    // Gone without a word while a large frame is on its way.
    rude.reading.store(false, Ordering::SeqCst);
    drop(rude);
    // A session that asks for a command, and one without a terminal, get no shell.
    let h = connect(s.port, None).await.unwrap();
    let ch = h.channel_open_session().await.unwrap();
    ch.exec(true, "cat /etc/passwd").await.unwrap();
    let (mut read, _w) = ch.split();
    let mut said = Vec::new();
    while let Ok(Some(m)) = tokio::time::timeout(Duration::from_secs(5), read.wait()).await {
        match m {
            ChannelMsg::Data { data } => said.extend_from_slice(&data),
            ChannelMsg::Close => break,
            _ => {}
        }
    }
    assert!(!String::from_utf8_lossy(&said).contains("root:"));
    let _ = h.disconnect(Disconnect::ByApplication, "", "en").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(s.running(), "{}", s.log());
    let next = viewer(s.port, 80, 24, None).await;
    next.until(10.0, "the title", |sc| sc.row(0).contains(TITLE))
        .await;
    assert!(s.log().contains("left"), "{}", s.log());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_viewer_does_not_hold_back_the_others() {
    let s = Server::start(temp_dir(), &["playground", "--open", "--fps", "10"]);
    let live = viewer(s.port, 100, 30, None).await;
    let stuck = viewer(s.port, 100, 30, None).await;
    stuck
        .until(10.0, "a first frame", |sc| sc.epoch().is_some())
        .await;
    live.until(10.0, "a first frame", |sc| sc.epoch().is_some())
        .await;
    stuck.reading.store(false, Ordering::SeqCst);
    let t0 = Instant::now();
    let before = live.screen.lock().unwrap().frames.len();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let frames: Vec<Instant> = live.screen.lock().unwrap().frames[before..].to_vec();
    // 10 frames a second while the other terminal is stuck: at least half of them, and no
    // gap longer than a few frames (a loaded machine) — never a wait for the stuck one.
    assert!(frames.len() >= 15, "{} frames in 3 s", frames.len());
    let mut last = t0;
    let mut gap = Duration::ZERO;
    for f in &frames {
        gap = gap.max(f.duration_since(last));
        last = *f;
    }
    assert!(gap < Duration::from_millis(600), "a gap of {gap:?}");
    // Reading again, the stuck terminal is brought up to date at once: the newest frame, not
    // the backlog.
    let now = live.epoch().unwrap();
    stuck.reading.store(true, Ordering::SeqCst);
    stuck
        .until(3.0, "the newest frame", |sc| sc.epoch() >= Some(now))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_lab_mode_every_viewer_has_a_run_of_its_own() {
    let s = Server::start(temp_dir(), &["playground", "--open", "--lab"]);
    let a = viewer(s.port, 100, 30, None).await;
    let b = viewer(s.port, 100, 30, None).await;
    for v in [&a, &b] {
        v.until(10.0, "its own run", |sc| {
            sc.text().contains("lab: your own run") && sc.epoch().is_some_and(|e| e > 2)
        })
        .await;
    }
    // Space pauses a's run, and only a's.
    a.press(b" ").await;
    a.until(5.0, "a paused", |sc| sc.row(0).contains("⏸")).await;
    let paused = a.epoch().unwrap();
    let e = b.epoch().unwrap();
    b.until(5.0, "b going on", |sc| sc.epoch() > Some(e + 2))
        .await;
    assert!(!b.screen.lock().unwrap().row(0).contains("⏸"));
    assert_eq!(a.epoch(), Some(paused), "a's paused run moved");
    // A reset starts b's run again from epoch 0; a's stays where it was.
    b.press(b"r").await;
    b.until(5.0, "b reset", |sc| sc.epoch().is_some_and(|e| e < 3))
        .await;
    assert_eq!(a.epoch(), Some(paused));
    // The editor (it would read files on the server) is not a viewer's.
    a.press(b"e").await;
    a.until(5.0, "the editor refused", |sc| {
        sc.text().contains("editor is the lecturer's")
    })
    .await;
    assert!(s.log().contains("lab mode"), "{}", s.log());
}

/// A number from the environment, or `default`.
fn env_or(key: &str, default: f64) -> f64 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The server's CPU seconds so far (user + system) and its resident memory now and at most
/// (kB), from /proc.
fn proc_figures(pid: u32) -> (f64, u64, u64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The fields after the command's closing parenthesis; utime and stime are the 12th and
    // 13th of those (14th and 15th in all), in clock ticks of 1/100 s.
    let rest = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    let cpu = (ticks(11) + ticks(12)) / 100.0;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (cpu, kb("VmRSS:"), kb("VmHWM:"))
}

/// The load run for the issue's note (not part of `cargo test`):
/// `NNBOOK_LOAD_VIEWERS=50 NNBOOK_LOAD_SECONDS=60 cargo test --test serve load_run -- --ignored --nocapture`
/// (`NNBOOK_LOAD_LAB=1` for lab mode). Viewers at 120x40, 80x24 and 200x60 (2:1:1), all
/// 256 colours, on the playground chapter; prints the server's CPU and memory, the bytes
/// each viewer got per second, the longest wait between two of a viewer's frames, and how
/// far behind the newest screen the slowest viewer was.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn load_run() {
    let n = env_or("NNBOOK_LOAD_VIEWERS", 50.0) as usize;
    let secs = env_or("NNBOOK_LOAD_SECONDS", 60.0).min(600.0);
    let lab = env_or("NNBOOK_LOAD_LAB", 0.0) > 0.0;
    let mut args = vec!["playground", "--open", "--max-viewers", "100"];
    if lab {
        args.extend(["--lab", "--lab-runs", "60"]);
    }
    let mut s = Server::start(temp_dir(), &args);
    let sizes = [(120u16, 40u16), (80, 24), (120, 40), (200, 60)];
    let mut viewers = Vec::new();
    for i in 0..n {
        let (c, r) = sizes[i % sizes.len()];
        viewers.push((c, r, viewer(s.port, c, r, None).await));
    }
    for (_, _, v) in &viewers {
        v.until(30.0, "a first frame", |sc| sc.epoch().is_some())
            .await;
    }
    let pid = s.child.id();
    let (cpu0, _, _) = proc_figures(pid);
    let t0 = Instant::now();
    let start: Vec<(usize, usize)> = viewers
        .iter()
        .map(|(_, _, v)| {
            let sc = v.screen.lock().unwrap();
            (sc.bytes, sc.frames.len())
        })
        .collect();
    // Once a second: how many epochs the slowest viewer shows behind the newest one.
    let mut worst_behind = 0u64;
    let mut rss_max = 0;
    while t0.elapsed().as_secs_f64() < secs {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let epochs: Vec<u64> = viewers.iter().filter_map(|(_, _, v)| v.epoch()).collect();
        if !lab && let (Some(hi), Some(lo)) = (epochs.iter().max(), epochs.iter().min()) {
            worst_behind = worst_behind.max(hi - lo);
        }
        rss_max = rss_max.max(proc_figures(pid).1);
    }
    let elapsed = t0.elapsed().as_secs_f64();
    let (cpu1, rss, hwm) = proc_figures(pid);
    let mut per_size: std::collections::BTreeMap<(u16, u16), Vec<f64>> = Default::default();
    let mut worst_gap = Duration::ZERO;
    let mut frames = 0;
    for ((c, r, v), (b0, f0)) in viewers.iter().zip(&start) {
        let sc = v.screen.lock().unwrap();
        per_size
            .entry((*c, *r))
            .or_default()
            .push((sc.bytes - b0) as f64 / elapsed);
        let mine = &sc.frames[*f0..];
        frames += mine.len();
        for w in mine.windows(2) {
            worst_gap = worst_gap.max(w[1].duration_since(w[0]));
        }
        assert!(!sc.closed, "a viewer was let go");
    }
    assert!(s.running());
    println!(
        "load run: {n} viewers, {} mode, {elapsed:.0} s",
        if lab { "lab" } else { "follow" }
    );
    println!(
        "server: CPU {:.0} % of one core, RSS {} MB now, {} MB at most (peak VmHWM {} MB)",
        100.0 * (cpu1 - cpu0) / elapsed,
        rss / 1024,
        rss_max / 1024,
        hwm / 1024
    );
    for ((c, r), rates) in &per_size {
        let mean = rates.iter().sum::<f64>() / rates.len() as f64;
        let max = rates.iter().cloned().fold(0.0, f64::max);
        println!(
            "  {c}x{r}: {} viewers, {:.1} KB/s each on average, {:.1} KB/s at most",
            rates.len(),
            mean / 1e3,
            max / 1e3
        );
    }
    println!(
        "frames: {:.1} a second per viewer; the longest wait between two frames of a viewer {:.0} ms",
        frames as f64 / elapsed / n as f64,
        worst_gap.as_secs_f64() * 1e3
    );
    if !lab {
        println!("slowest viewer: at most {worst_behind} epochs behind the newest (20 epochs/s)");
    }
    let log = s.log();
    for l in log.lines().filter(|l| l.contains("slowest")) {
        println!("server says: {l}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_presenter_key_drives_the_lecture_for_everyone() {
    let dir = temp_dir();
    let key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519).unwrap();
    let file = dir.join("presenters");
    std::fs::write(
        &file,
        format!("{}\n", key.public_key().to_openssh().unwrap()),
    )
    .unwrap();
    let file = file.display().to_string();
    let s = Server::start(dir, &["playground", "--open", "--presenter-key", &file]);
    // The presenter's name without the key: refused (anyone else gets in without one).
    assert!(connect_as(s.port, "presenter", None).await.is_err());
    let other = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519).unwrap();
    assert!(connect_as(s.port, "presenter", Some(other)).await.is_err());
    let student = viewer(s.port, 100, 30, None).await;
    let presenter = viewer_as(s.port, "presenter", 120, 40, Some(key)).await;
    student
        .until(10.0, "the run", |sc| sc.epoch().is_some_and(|e| e > 1))
        .await;
    // The presenter's space pauses the run everyone sees.
    presenter.press(b" ").await;
    student
        .until(5.0, "paused by the presenter", |sc| sc.row(0).contains("⏸"))
        .await;
    let e = student.epoch().unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(student.epoch(), Some(e), "the paused run moved");
    // And space again runs it; the presenter's q only ends the presenter's session.
    presenter.press(b" ").await;
    student
        .until(5.0, "running again", |sc| sc.epoch() > Some(e))
        .await;
    presenter.press(b"q").await;
    // Generous: the session closes after the server's next frame, late on a loaded machine.
    presenter
        .until(20.0, "the presenter left", |sc| sc.closed)
        .await;
    let e = student.epoch().unwrap();
    student
        .until(5.0, "the run going on", |sc| sc.epoch() > Some(e))
        .await;
    assert!(
        s.log()
            .lines()
            .any(|l| l.contains(": presenter ") && l.contains(" joined")),
        "{}",
        s.log()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_terminal_silent_past_the_idle_timeout_is_let_go() {
    let s = Server::start(temp_dir(), &["playground", "--open", "--idle-timeout", "2"]);
    let live = viewer(s.port, 80, 24, None).await;
    let gone = viewer(s.port, 80, 24, None).await;
    gone.until(10.0, "a first frame", |sc| sc.epoch().is_some())
        .await;
    gone.reading.store(false, Ordering::SeqCst);
    let t0 = Instant::now();
    while !s.log().contains("stopped answering") && t0.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(s.log().contains("stopped answering"), "{}", s.log());
    // The one that answers stays, well past the timeout.
    let e = live.epoch().unwrap();
    live.until(5.0, "the run going on", |sc| sc.epoch() > Some(e + 2))
        .await;
    assert!(!live.screen.lock().unwrap().closed);
    assert_eq!(s.log().matches("left").count(), 1, "{}", s.log());
}

/// The lecturer's terminal: `nnbook serve` in a pseudo-terminal of `cols`×`rows`, this test
/// its terminal (it answers the status queries, keeps what it was sent).
struct Lecturer {
    child: Child,
    keys: std::fs::File,
    screen: Arc<Mutex<vt100::Parser>>,
    seen: Arc<Mutex<Vec<u8>>>,
    dir: PathBuf,
}

impl Lecturer {
    fn start(dir: PathBuf, args: &[&str], cols: u16, rows: u16) -> Lecturer {
        use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
        use std::io::{Read, Write};
        let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).unwrap();
        grantpt(&master).unwrap();
        unlockpt(&master).unwrap();
        let name = ptsname(&master, Vec::new()).unwrap();
        let slave: rustix::fd::OwnedFd = std::fs::File::options()
            .read(true)
            .write(true)
            .open(name.to_str().unwrap())
            .unwrap()
            .into();
        rustix::termios::tcsetwinsize(
            &slave,
            rustix::termios::Winsize {
                ws_row: rows,
                ws_col: cols,
                ws_xpixel: 0,
                ws_ypixel: 0,
            },
        )
        .unwrap();
        let io = |fd: &rustix::fd::OwnedFd| Stdio::from(fd.try_clone().unwrap());
        let child = Command::new(env!("CARGO_BIN_EXE_nnbook"))
            .arg("serve")
            .args(args)
            .args(["--listen", "127.0.0.1:0", "--host-key"])
            .arg(dir.join("host_key"))
            .env("TERM", "xterm-256color")
            .stdin(io(&slave))
            .stdout(io(&slave))
            .stderr(io(&slave))
            .spawn()
            .unwrap();
        let master = std::fs::File::from(master);
        let mut read = master.try_clone().unwrap();
        let mut answer = master.try_clone().unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(rows).unwrap(),
            std::num::NonZeroU16::new(cols).unwrap(),
            0,
        )));
        let seen: Arc<Mutex<Vec<u8>>> = Arc::default();
        let (s, all) = (screen.clone(), seen.clone());
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 65536];
            let mut tail: Vec<u8> = Vec::new();
            loop {
                let n = match read.read(&mut buf) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => n,
                };
                s.lock().unwrap().process(&buf[..n]);
                all.lock().unwrap().extend_from_slice(&buf[..n]);
                tail.extend_from_slice(&buf[..n]);
                let queries = tail.windows(4).filter(|w| *w == QUERY).count();
                let keep = tail.len().saturating_sub(3);
                tail.drain(..keep);
                for _ in 0..queries {
                    let _ = answer.write_all(b"\x1b[0n");
                }
            }
        });
        Lecturer {
            child,
            keys: master,
            screen,
            seen,
            dir,
        }
    }

    /// The port the server said it listens on.
    fn port(&self) -> u16 {
        let t0 = Instant::now();
        while t0.elapsed() < Duration::from_secs(30) {
            let text = String::from_utf8_lossy(&self.seen.lock().unwrap()).to_string();
            if let Some(rest) = text.split("listening on 127.0.0.1:").nth(1) {
                let port: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
                return port.parse().unwrap();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("no port said");
    }

    fn key(&mut self, k: &str) {
        use std::io::Write;
        self.keys.write_all(k.as_bytes()).unwrap();
    }

    async fn until(&self, secs: f64, what: &str, test: impl Fn(&str) -> bool) {
        let t0 = Instant::now();
        while t0.elapsed().as_secs_f64() < secs {
            if test(&self.screen.lock().unwrap().screen().contents()) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!(
            "{what}: not within {secs} s; the lecturer's screen:\n{}",
            self.screen.lock().unwrap().screen().contents()
        );
    }
}

impl Drop for Lecturer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lecturer_drives_from_the_terminal_that_ran_serve() {
    let mut l = Lecturer::start(temp_dir(), &["playground", "--open"], 120, 40);
    let port = l.port();
    let v = viewer(port, 100, 30, None).await;
    // A lecture: the chapter opens paused on its notes, for the viewer as for the lecturer.
    v.until(10.0, "the chapter's notes", |sc| {
        sc.text().contains("Playground's opening")
    })
    .await;
    // The lecturer's status line: the port, one viewer, the slowest lag.
    l.until(10.0, "the status line", |t| {
        t.contains(&format!("ssh -p {port}: 1 viewer, slowest"))
    })
    .await;
    let e0 = v.epoch().unwrap_or(0);
    // The lecturer's space starts the run that the viewer follows.
    l.key(" ");
    v.until(10.0, "the lecturer's run going", |sc| {
        sc.epoch() > Some(e0 + 2)
    })
    .await;
    // L: lab mode, the viewer's own run; L again: back to following.
    l.key("L");
    v.until(10.0, "a lab run", |sc| {
        sc.text().contains("lab: your own run")
    })
    .await;
    l.until(5.0, "the lab in the status line", |t| {
        t.contains("lab 1 runs")
    })
    .await;
    l.key("L");
    l.until(5.0, "follow mode again", |t| !t.contains("lab 1 runs"))
        .await;
    // q ends the class: the viewer's session is closed.
    l.key("q");
    v.until(10.0, "the session closed", |sc| sc.closed).await;
    let t0 = Instant::now();
    while l.child.try_wait().unwrap().is_none() && t0.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(l.child.try_wait().unwrap().is_some_and(|s| s.success()));
}
