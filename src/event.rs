//! The one way into the main loop: keys, resizes, training news, ticks and termination all
//! arrive as an [`Event`].

use ratatui::crossterm::event::{KeyEvent, MouseEvent};

#[derive(Clone, Debug)]
pub enum Event {
    Key(KeyEvent),
    Paste(String),
    /// A click, release, drag or wheel turn, at a cell of the screen.
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// The trainer published a snapshot.
    Trained,
    /// Time passed (messages expire, the clock in the status line moves).
    Tick,
    /// A signal (SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1) or the input stream ended: leave
    /// cleanly.
    Terminate,
    /// SIGTSTP or Ctrl-Z: give the terminal back and stop (the terminal loop's own).
    Suspend,
    /// The app was stopped (SIGTSTP, Ctrl-Z) and continued: the screen must be drawn anew.
    Resumed,
    /// The terminal answered a status query: the frames sent before it have arrived (the
    /// terminal loop's flow control; screens never see it).
    Answered,
    /// A viewer of the classroom server (`nnbook serve`) sent something: the loop serves the
    /// viewers (screens never see it).
    Remote,
}
