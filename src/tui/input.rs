//! Reading the terminal: keys, pastes and resizes, forwarded to the main loop as [`Event`]s.

use crate::event::Event;
use ratatui::crossterm::event::{self, Event as TermEvent, KeyEventKind};
use std::sync::mpsc::Sender;
use std::time::Duration;

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
