//! The terminal itself: one write per frame (synchronized output around it), and putting the
//! terminal back however the program ends.

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::{
    cursor,
    event::DisableBracketedPaste,
    execute, queue,
    terminal::{self, BeginSynchronizedUpdate, EndSynchronizedUpdate, LeaveAlternateScreen},
};
use std::io::{self, Write};

/// Collects a frame's bytes and sends them in one write: ratatui's mid-frame flushes do
/// nothing, [`FrameWriter::commit`] writes. Counts what it sends.
pub struct FrameWriter<W: Write> {
    buf: Vec<u8>,
    out: W,
    pub bytes: u64,
    pub writes: u64,
    /// An asciicast recording that gets every frame as it is sent.
    pub cast: Option<crate::export::cast::Cast>,
}

impl<W: Write> FrameWriter<W> {
    pub fn new(out: W) -> Self {
        FrameWriter {
            buf: Vec::with_capacity(64 * 1024),
            out,
            bytes: 0,
            writes: 0,
            cast: None,
        }
    }

    /// Sends the frame: one `write_all`, one flush.
    pub fn commit(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        self.out.write_all(&self.buf)?;
        self.out.flush()?;
        if let Some(c) = &mut self.cast {
            c.output(&self.buf);
        }
        self.bytes += self.buf.len() as u64;
        self.writes += 1;
        self.buf.clear();
        Ok(())
    }
}

impl<W: Write> Write for FrameWriter<W> {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Draws one frame wrapped in synchronized output and sends it in one write.
/// Returns the frame as drawn (for recording).
pub fn draw_frame<W: Write>(
    terminal: &mut Terminal<CrosstermBackend<FrameWriter<W>>>,
    render: impl FnOnce(&mut ratatui::Frame),
) -> io::Result<ratatui::buffer::Buffer> {
    queue!(terminal.backend_mut().writer_mut(), BeginSynchronizedUpdate)?;
    let drawn = terminal.draw(render)?.buffer.clone();
    queue!(terminal.backend_mut().writer_mut(), EndSynchronizedUpdate)?;
    terminal.backend_mut().writer_mut().commit()?;
    Ok(drawn)
}

/// Clears the screen and makes the next frame a whole redraw, without asking the terminal
/// anything (ratatui's `Terminal::clear` asks for the cursor position, a reply a lagging link
/// may not deliver in time, and the app then died). Sent with the next commit.
pub fn clear_screen<W: Write>(
    terminal: &mut Terminal<CrosstermBackend<FrameWriter<W>>>,
) -> io::Result<()> {
    queue!(
        terminal.backend_mut().writer_mut(),
        terminal::Clear(terminal::ClearType::All)
    )?;
    // Both buffers empty: the next draw sends every cell that is not blank.
    terminal.swap_buffers();
    Ok(())
}

/// Puts the terminal back from any thread, never blocking: raw mode off, then the screen,
/// paste and cursor sequences written to the terminal device without waiting (a stalled link
/// keeps what it cannot take). For when the main thread cannot be waited for.
pub fn restore_without_waiting() {
    use std::os::unix::fs::OpenOptionsExt;
    let _ = terminal::disable_raw_mode();
    // O_NONBLOCK on Linux: a full terminal queue drops the bytes instead of waiting.
    const O_NONBLOCK: i32 = 0o4000;
    if let Ok(mut tty) = std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(O_NONBLOCK)
        .open("/dev/tty")
    {
        let _ = tty.write_all(b"\x1b[?2004l\x1b[?1049l\x1b[?25h");
    }
}

/// Puts the terminal back: raw mode off, main screen, cursor shown. Safe to call twice.
pub fn restore() {
    let _ = terminal::disable_raw_mode();
    let mut out = io::stdout();
    let _ = execute!(
        out,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clearing_asks_the_terminal_nothing_and_redraws_everything() {
        let backend = CrosstermBackend::new(FrameWriter::new(Vec::new()));
        let mut t = Terminal::with_options(
            backend,
            ratatui::TerminalOptions {
                viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, 20, 3)),
            },
        )
        .unwrap();
        let hello = |f: &mut ratatui::Frame| f.render_widget("hello", f.area());
        draw_frame(&mut t, hello).unwrap();
        let first = t.backend().writer().bytes;
        // The same frame again sends (almost) nothing: only changes go out.
        draw_frame(&mut t, hello).unwrap();
        let same = t.backend().writer().bytes - first;
        clear_screen(&mut t).unwrap();
        draw_frame(&mut t, hello).unwrap();
        let after = t.backend().writer().bytes - first - same;
        let sent = String::from_utf8_lossy(&t.backend().writer().out).to_string();
        assert!(
            !sent.contains("\x1b[6n"),
            "a cursor position query was sent"
        );
        assert!(sent.contains("\x1b[2J"), "the screen was cleared");
        assert!(
            after > same + 5,
            "the whole frame was sent again: {after} vs {same}"
        );
    }
}
