//! Reading the terminal: keys, pastes, resizes and the terminal's answers to status queries,
//! forwarded to the main loop as [`Event`]s. The bytes are read here and decoded by
//! [`decode`](super::decode) (crossterm's reader would swallow the answers).

use super::decode::{Decoder, Input};
use crate::event::Event;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use std::io::{IsTerminal, Read};
use std::sync::mpsc::Sender;

/// Where keys come from: standard input when it is the terminal, else the controlling
/// terminal (as crossterm chooses).
enum Source {
    Stdin(std::io::Stdin),
    Tty(std::fs::File),
}

impl Source {
    fn open() -> Option<Source> {
        if std::io::stdin().is_terminal() {
            return Some(Source::Stdin(std::io::stdin()));
        }
        std::fs::File::open("/dev/tty").ok().map(Source::Tty)
    }

    /// Waits up to `ms` for input; true when some is waiting.
    fn ready(&self, ms: i32) -> bool {
        use rustix::event::{PollFd, PollFlags, Timespec, poll};
        use std::os::fd::AsFd;
        let timeout = Timespec {
            tv_sec: 0,
            tv_nsec: i64::from(ms) * 1_000_000,
        };
        let ready = |fd: std::os::fd::BorrowedFd<'_>| {
            let mut fds = [PollFd::new(&fd, PollFlags::IN)];
            poll(&mut fds, Some(&timeout)).is_ok_and(|n| n > 0)
        };
        match self {
            Source::Stdin(s) => ready(s.as_fd()),
            Source::Tty(f) => ready(f.as_fd()),
        }
    }

    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Source::Stdin(s) => s.read(buf),
            Source::Tty(f) => f.read(buf),
        }
    }
}

/// Reads the terminal on its own thread and forwards what matters; a second thread turns
/// SIGWINCH into resizes.
pub fn spawn_input(tx: Sender<Event>) {
    spawn_resizes(tx.clone());
    let _ = std::thread::Builder::new()
        .name("nnbook-input".into())
        .spawn(move || {
            let Some(mut from) = Source::open() else {
                let _ = tx.send(Event::Terminate);
                return;
            };
            let mut decoder = Decoder::default();
            let mut buf = vec![0u8; 16 * 1024];
            loop {
                // Read only what is waiting, and only in the foreground: a background job
                // that reads the terminal is stopped by the kernel (SIGTTIN) — as when a
                // stopped app is killed from the shell, which continues it in the background.
                if !from.ready(250) {
                    continue;
                }
                if !super::terminal::foreground() {
                    std::thread::sleep(std::time::Duration::from_millis(100));
                    continue;
                }
                let n = match from.read(&mut buf) {
                    // The terminal is gone (hang-up, the pty closed).
                    Ok(0) => {
                        let _ = tx.send(Event::Terminate);
                        return;
                    }
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        std::thread::sleep(std::time::Duration::from_millis(10));
                        continue;
                    }
                    Err(_) => {
                        let _ = tx.send(Event::Terminate);
                        return;
                    }
                };
                for input in decoder.feed(&buf[..n]) {
                    if let Some(ev) = event(input)
                        && tx.send(ev).is_err()
                    {
                        return;
                    }
                }
            }
        });
}

/// What the main loop gets for one decoded input.
fn event(input: Input) -> Option<Event> {
    match input {
        // Raw mode reads Ctrl-Z as a key: it suspends, as in any terminal program.
        Input::Key(k)
            if k.code == KeyCode::Char('z') && k.modifiers.contains(KeyModifiers::CONTROL) =>
        {
            let _ = signal_hook::low_level::raise(signal_hook::consts::SIGTSTP);
            None
        }
        Input::Key(k) => Some(Event::Key(k)),
        Input::Paste(s) => Some(Event::Paste(s)),
        Input::Mouse(m) => Some(Event::Mouse(m)),
        Input::Answer => Some(Event::Answered),
    }
}

/// SIGWINCH → the terminal's new size (asked of the kernel, not of the terminal).
fn spawn_resizes(tx: Sender<Event>) {
    let Ok(mut signals) = signal_hook::iterator::Signals::new([signal_hook::consts::SIGWINCH])
    else {
        return;
    };
    let _ = std::thread::Builder::new()
        .name("nnbook-resize".into())
        .spawn(move || {
            for _ in signals.forever() {
                if let Ok((w, h)) = ratatui::crossterm::terminal::size()
                    && tx.send(Event::Resize(w, h)).is_err()
                {
                    return;
                }
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keymap::lookup;
    use crate::screens::view::CHROME_BINDINGS;

    fn keys(bytes: &[u8]) -> Vec<Event> {
        Decoder::default()
            .feed(bytes)
            .into_iter()
            .filter_map(event)
            .collect()
    }

    #[test]
    fn esc_then_alt_q_in_one_read_does_not_quit() {
        // `ESC ESC q`: Esc, then Alt-q (crossterm read a plain q, and the app quit).
        let evs = keys(b"\x1b\x1bq");
        assert_eq!(evs.len(), 2);
        let Event::Key(q) = &evs[1] else {
            panic!("{evs:?}")
        };
        assert_eq!(
            lookup(CHROME_BINDINGS, q, None),
            None,
            "Alt-q does not quit"
        );
        let Event::Key(q) = &keys(b"q")[0] else {
            panic!()
        };
        assert!(lookup(CHROME_BINDINGS, q, None).is_some(), "q quits");
    }

    #[test]
    fn the_terminal_answer_reaches_the_loop() {
        assert!(matches!(keys(b"\x1b[0n")[..], [Event::Answered]));
    }
}
