//! Reading the terminal: keys, pastes and resizes, forwarded to the main loop as [`Event`]s.

use crate::event::Event;
use ratatui::crossterm::event::{
    self, Event as TermEvent, KeyCode, KeyEvent, KeyEventKind, KeyModifiers,
};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// Reads the terminal on its own thread and forwards what matters.
pub fn spawn_input(tx: Sender<Event>) {
    let _ = std::thread::Builder::new()
        .name("nnbook-input".into())
        .spawn(move || {
            let mut escape = EscapeMerge::default();
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
                    // Raw mode reads Ctrl-Z as a key: it suspends, as in any terminal program.
                    TermEvent::Key(k)
                        if k.code == KeyCode::Char('z')
                            && k.modifiers.contains(KeyModifiers::CONTROL) =>
                    {
                        let _ = signal_hook::low_level::raise(signal_hook::consts::SIGTSTP);
                        continue;
                    }
                    TermEvent::Key(k) if k.kind != KeyEventKind::Release => {
                        // Whether more input is already waiting, read before the next key.
                        let buffered = || event::poll(Duration::ZERO).unwrap_or(false);
                        Event::Key(escape.key(k, buffered))
                    }
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

/// Esc then an Alt-key arriving together (`ESC ESC q`: a lagging link, a paste, tmux) is
/// read by crossterm as Esc and a *plain* `q`; a key that was already waiting behind a bare
/// Esc gets its Alt back, so `Esc Alt-q` does not quit and `Esc Alt-r` does not reset. A key
/// typed after an Esc by hand comes later and stays as it is.
#[derive(Debug, Default)]
pub struct EscapeMerge {
    alt_next: bool,
}

impl EscapeMerge {
    /// The key as meant; `buffered` says whether more input is waiting right now.
    pub fn key(&mut self, mut k: KeyEvent, buffered: impl FnOnce() -> bool) -> KeyEvent {
        if std::mem::take(&mut self.alt_next)
            && matches!(k.code, KeyCode::Char(_))
            && !k.modifiers.contains(KeyModifiers::CONTROL)
        {
            k.modifiers |= KeyModifiers::ALT;
        }
        if k.code == KeyCode::Esc && k.modifiers.is_empty() {
            self.alt_next = buffered();
        }
        k
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keymap::lookup;
    use crate::screens::view::CHROME_BINDINGS;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn esc_with_a_key_waiting_behind_it_gives_the_key_its_alt_back() {
        let mut m = EscapeMerge::default();
        // `ESC ESC q` in one read: Esc, then what crossterm calls a plain q.
        assert_eq!(m.key(key(KeyCode::Esc), || true), key(KeyCode::Esc));
        let q = m.key(key(KeyCode::Char('q')), || false);
        assert_eq!(q.modifiers, KeyModifiers::ALT);
        assert_eq!(
            lookup(CHROME_BINDINGS, &q, None),
            None,
            "Alt-q does not quit"
        );
        // The next q is a plain q again.
        let q = m.key(key(KeyCode::Char('q')), || false);
        assert!(lookup(CHROME_BINDINGS, &q, None).is_some());
    }

    #[test]
    fn esc_then_a_key_typed_later_stays_plain() {
        let mut m = EscapeMerge::default();
        m.key(key(KeyCode::Esc), || false);
        let r = m.key(key(KeyCode::Char('r')), || false);
        assert_eq!(r.modifiers, KeyModifiers::NONE);
        // Esc followed by an arrow (already parsed as one key) is left alone.
        m.key(key(KeyCode::Esc), || true);
        assert_eq!(m.key(key(KeyCode::Left), || false), key(KeyCode::Left));
    }
}
