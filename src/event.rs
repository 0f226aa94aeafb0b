//! The one way into the main loop: keys, resizes, training news, ticks and termination all
//! arrive as an [`Event`].

use ratatui::crossterm::event::{self, Event as TermEvent, KeyEvent, KeyEventKind};
use std::sync::mpsc::Sender;
use std::time::Duration;

#[derive(Clone, Debug)]
pub enum Event {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    /// The trainer published a snapshot.
    Trained,
    /// Time passed (messages expire, the clock in the status line moves).
    Tick,
    /// SIGTERM, SIGHUP or the input stream ended: leave cleanly.
    Terminate,
}

/// Reads the terminal on its own thread and forwards what matters.
pub fn spawn_input(tx: Sender<Event>) {
    let _ = std::thread::Builder::new()
        .name("nnbook-input".into())
        .spawn(move || {
            loop {
                let ev = match event::poll(Duration::from_millis(250)) {
                    Ok(true) => match event::read() {
                        Ok(e) => e,
                        Err(_) => {
                            let _ = tx.send(Event::Terminate);
                            return;
                        }
                    },
                    Ok(false) => continue,
                    Err(_) => {
                        let _ = tx.send(Event::Terminate);
                        return;
                    }
                };
                let out = match ev {
                    TermEvent::Key(k) if k.kind != KeyEventKind::Release => Event::Key(k),
                    TermEvent::Resize(w, h) => Event::Resize(w, h),
                    TermEvent::Paste(s) => Event::Paste(s),
                    _ => continue,
                };
                if tx.send(out).is_err() {
                    return;
                }
            }
        });
}
