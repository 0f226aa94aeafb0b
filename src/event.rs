//! The one way into the main loop: keys, resizes, training news, ticks and termination all
//! arrive as an [`Event`].

use ratatui::crossterm::event::KeyEvent;

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
