//! The terminal itself: one write per frame (synchronized output around it), and putting the
//! terminal back however the program ends.

use crate::widgets::palette::Glyphs;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::{
    cursor,
    event::DisableBracketedPaste,
    execute, queue,
    terminal::{self, BeginSynchronizedUpdate, EndSynchronizedUpdate, LeaveAlternateScreen},
};
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

/// The app holds the terminal (raw mode, alternate screen): set by taking it, cleared by
/// giving it back, so that it is given back once, and never by a job that is not in the
/// foreground (a stopped app continued in the background, or killed there, must not touch
/// the terminal: the kernel would stop it again for that).
pub static HELD: AtomicBool = AtomicBool::new(false);

/// Whether this process is the terminal's foreground job. When stdin is not this session's
/// controlling terminal (a harness, a service) there is no job control and the answer is yes.
pub fn foreground() -> bool {
    use rustix::{process, termios};
    use std::os::fd::AsFd;
    let stdin = io::stdin();
    let fd = stdin.as_fd();
    let ours = matches!(
        (termios::tcgetsid(fd), process::getsid(None)),
        (Ok(a), Ok(b)) if a == b
    );
    if !ours {
        return true;
    }
    termios::tcgetpgrp(fd).is_ok_and(|p| p == process::getpgrp())
}

/// Collects a frame's bytes and sends them in one write: ratatui's mid-frame flushes do
/// nothing, [`FrameWriter::commit`] writes. Counts what it sends.
pub struct FrameWriter<W: Write> {
    buf: Vec<u8>,
    out: W,
    pub bytes: u64,
    pub writes: u64,
    /// An asciicast recording that gets every frame as it is sent.
    pub cast: Option<crate::export::cast::Cast>,
    /// When the last commit began writing, and how many bytes it sent.
    pub last_commit: Option<(std::time::Instant, usize)>,
    /// Bytes in the buffer that are for the terminal only, not for the recording (a status
    /// query at the end: a cast played back must not ask the player's terminal).
    unrecorded: usize,
}

impl<W: Write> FrameWriter<W> {
    pub fn new(out: W) -> Self {
        FrameWriter {
            buf: Vec::with_capacity(64 * 1024),
            out,
            bytes: 0,
            writes: 0,
            cast: None,
            last_commit: None,
            unrecorded: 0,
        }
    }

    /// Adds bytes for the terminal only (a status query), sent with the next commit but kept
    /// out of a recording.
    pub fn query(&mut self, q: &[u8]) {
        self.buf.extend_from_slice(q);
        self.unrecorded += q.len();
    }

    /// Sends the frame: one `write_all`, one flush.
    pub fn commit(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let at = std::time::Instant::now();
        let unrecorded = std::mem::take(&mut self.unrecorded);
        let split = self.buf.len() - unrecorded;
        let mut frame = sgr16(&self.buf[..split]);
        let glyphs = glyphs();
        if glyphs != Glyphs::Unicode {
            frame = transliterate(&frame, glyphs);
        }
        frame.extend_from_slice(&self.buf[split..]);
        self.buf = frame;
        let result = self.out.write_all(&self.buf).and_then(|_| self.out.flush());
        if let Some(c) = &mut self.cast {
            c.output(&self.buf[..self.buf.len() - unrecorded]);
        }
        self.last_commit = Some((at, self.buf.len()));
        self.bytes += self.buf.len() as u64;
        self.writes += 1;
        self.buf.clear();
        result
    }
}

/// What the terminal shows of Unicode, for [`FrameWriter::commit`]: 0 everything, 1 the
/// Linux console's blocks and box drawing, 2 ASCII.
static GLYPHS: AtomicU8 = AtomicU8::new(0);

/// Frames from now on are written for a terminal that shows `g`.
pub fn set_glyphs(g: Glyphs) {
    GLYPHS.store(g as u8, Ordering::Relaxed);
}

fn glyphs() -> Glyphs {
    match GLYPHS.load(Ordering::Relaxed) {
        1 => Glyphs::Block,
        2 => Glyphs::Ascii,
        _ => Glyphs::Unicode,
    }
}

/// A frame for a terminal without the whole of Unicode: each character it lacks becomes
/// ASCII of the same width (box drawing `+-|`, Braille by its dots ` .:#`, arrows `<>^v`,
/// the status signs `>` and `=`, any other `?`). `Block` keeps box drawing, block elements
/// and `·`, which the Linux console's font has.
pub fn transliterate(bytes: &[u8], g: Glyphs) -> Vec<u8> {
    use unicode_width::UnicodeWidthChar;
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        let keep = ch.is_ascii()
            || (g == Glyphs::Block
                && matches!(ch as u32, 0x2500..=0x259f | 0xb7 | 0x25a0 | 0x2022 | 0x25cb));
        if keep {
            out.push(ch);
            continue;
        }
        out.push(ascii_of(ch));
        for _ in 1..ch.width().unwrap_or(1) {
            out.push(' ');
        }
    }
    out.into_bytes()
}

/// The ASCII character nearest in look to `ch`.
fn ascii_of(ch: char) -> char {
    match ch as u32 {
        0x2800 => ' ',
        0x2801..=0x28ff => match (ch as u32 - 0x2800).count_ones() {
            1..=2 => '.',
            3..=4 => ':',
            _ => '#',
        },
        0x2500..=0x257f => match ch {
            '─' | '━' | '═' | '╌' | '┄' | '┈' => '-',
            '│' | '┃' | '║' | '╎' | '┆' | '┊' => '|',
            _ => '+',
        },
        0x2580..=0x259f => match ch {
            '▀' => '"',
            '▄' => '_',
            '░' => '.',
            '▒' => ':',
            _ => '#',
        },
        _ => match ch {
            '·' | '•' | '∙' | '…' => '.',
            '▶' | '►' | '→' | '⟶' | '›' | '»' | '≥' => '>',
            '◀' | '◄' | '←' | '‹' | '«' | '≤' => '<',
            '↑' | '▲' | '△' | '▴' => '^',
            '↓' | '▼' | '▽' | '▾' => 'v',
            '↔' | '⇄' => '=',
            '⏸' | '‖' => '=',
            '●' | '◆' | '■' | '▪' | '★' => '*',
            '○' | '◇' | '□' | '◦' | '°' => 'o',
            '✖' | '✕' | '×' | '✗' => 'x',
            '✔' | '✓' => 'v',
            '—' | '–' | '−' | '\u{23af}' => '-', // ⎯, written as an escape: it is read, never drawn
            '≈' | '∼' | '~' => '~',
            '±' => '+',
            '²' => '2',
            '³' => '3',
            '¹' => '1',
            '½' => '/',
            'α' => 'a',
            'β' => 'b',
            'γ' => 'g',
            'δ' | 'Δ' => 'd',
            'η' => 'n',
            'λ' => 'l',
            'μ' => 'u',
            'σ' => 's',
            'θ' => 't',
            'ε' => 'e',
            '∇' => 'V',
            '√' => 'V',
            'é' | 'è' | 'ê' => 'e',
            'ä' | 'à' | 'á' => 'a',
            'ö' | 'ó' => 'o',
            'ü' | 'ú' => 'u',
            '“' | '”' | '„' => '"',
            '‘' | '’' => '\'',
            _ => '?',
        },
    }
}

/// The first 16 colours in the SGR codes every terminal knows: crossterm writes them in the
/// 256-colour form (`38;5;9`), which real 16-colour terminals (the Linux console, old xterms,
/// serial terminals) misread; `91` is the same colour everywhere. Other sequences pass as
/// they are.
pub fn sgr16(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == 0x1b && bytes.get(i + 1) == Some(&b'[') {
            // A CSI sequence: parameters up to the final byte.
            let start = i + 2;
            let mut end = start;
            while end < bytes.len() && (0x30..=0x3f).contains(&bytes[end]) {
                end += 1;
            }
            if bytes.get(end) == Some(&b'm') {
                out.extend_from_slice(b"\x1b[");
                out.extend_from_slice(&sgr16_params(&bytes[start..end]));
                out.push(b'm');
                i = end + 1;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

fn sgr16_params(p: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(p);
    let parts: Vec<&str> = text.split(';').collect();
    let mut out: Vec<String> = Vec::with_capacity(parts.len());
    let mut k = 0;
    while k < parts.len() {
        if (parts[k] == "38" || parts[k] == "48")
            && parts.get(k + 1) == Some(&"5")
            && let Some(n) = parts.get(k + 2).and_then(|n| n.parse::<u8>().ok())
            && n < 16
        {
            let base = if parts[k] == "38" { 30 } else { 40 };
            out.push(
                if n < 8 {
                    base + n as u16
                } else {
                    base + 60 + (n as u16 - 8)
                }
                .to_string(),
            );
            k += 3;
            continue;
        }
        // A colour's own numbers are copied whole, never read as codes (`38;2;38;5;9` is
        // the RGB colour 38, 5, 9).
        let group = match (parts[k], parts.get(k + 1)) {
            ("38" | "48" | "58", Some(&"2")) => 5,
            ("38" | "48" | "58", Some(&"5")) => 3,
            _ => 1,
        };
        for p in parts.iter().skip(k).take(group) {
            out.push(p.to_string());
        }
        k += group;
    }
    out.join(";").into_bytes()
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

/// Draws one frame wrapped in synchronized output and sends it in one write, followed by
/// `query` (flow control's status query) when given. Returns the frame as drawn (for
/// recording).
pub fn draw_frame<W: Write>(
    terminal: &mut Terminal<CrosstermBackend<FrameWriter<W>>>,
    render: impl FnOnce(&mut ratatui::Frame),
    query: Option<&[u8]>,
) -> io::Result<ratatui::buffer::Buffer> {
    queue!(terminal.backend_mut().writer_mut(), BeginSynchronizedUpdate)?;
    let drawn = terminal.draw(render)?.buffer.clone();
    let w = terminal.backend_mut().writer_mut();
    queue!(w, EndSynchronizedUpdate)?;
    if let Some(q) = query {
        w.query(q);
    }
    w.commit()?;
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
    if !HELD.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = terminal::disable_raw_mode();
    // O_NONBLOCK on Linux: a full terminal queue drops the bytes instead of waiting.
    const O_NONBLOCK: i32 = 0o4000;
    // The controlling terminal, or (without one) a new non-blocking opening of stdout's
    // terminal — never stdout's own, whose blocking flag the shell shares.
    let open = |p: &str| {
        std::fs::OpenOptions::new()
            .write(true)
            .custom_flags(O_NONBLOCK)
            .open(p)
    };
    if let Ok(mut tty) = open("/dev/tty").or_else(|_| open("/proc/self/fd/1")) {
        let _ = tty.write_all(b"\x1b[?1006l\x1b[?1002l\x1b[?1000l\x1b[?2004l\x1b[?1049l\x1b[?25h");
    }
}

/// Mouse reports on: clicks, releases and drags with a button down (not every motion, which
/// would flood a slow link), in the SGR encoding (any column, unambiguous release).
pub const MOUSE_ON: &[u8] = b"\x1b[?1000h\x1b[?1002h\x1b[?1006h";
/// Mouse reports off (sent on every restore: harmless when they were never on).
pub const MOUSE_OFF: &[u8] = b"\x1b[?1006l\x1b[?1002l\x1b[?1000l";

/// Puts the terminal back: raw mode off, main screen, cursor shown. Safe to call twice.
pub fn restore() {
    if !HELD.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = terminal::disable_raw_mode();
    let mut out = io::stdout();
    let _ = out.write_all(MOUSE_OFF);
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
    fn the_first_16_colours_go_out_as_plain_sgr_codes() {
        let got =
            sgr16(b"a\x1b[38;5;9mb\x1b[48;5;4mc\x1b[38;5;196;48;5;15md\x1b[1;38;5;8me\x1b[2J");
        assert_eq!(
            String::from_utf8_lossy(&got),
            "a\x1b[91mb\x1b[44mc\x1b[38;5;196;107md\x1b[1;90me\x1b[2J"
        );
        // Truecolor and other sequences are left alone.
        let tc = b"\x1b[38;2;1;5;9m\x1b[38;2;38;5;9;48;2;48;5;1m\x1b[?2026h\x1b[5n";
        assert_eq!(sgr16(tc), tc);
    }

    #[test]
    fn without_unicode_every_character_becomes_ascii_of_its_width() {
        let frame = "\x1b[38;5;9m╭─ field ─╮\x1b[0m│⣿⠁⠀▀│ ⏸ paused · ▶ ●○ λ²…";
        let ascii = String::from_utf8(transliterate(frame.as_bytes(), Glyphs::Ascii))
            .expect("ascii is utf-8");
        assert!(ascii.is_ascii(), "{ascii}");
        assert_eq!(
            ascii,
            "\x1b[38;5;9m+- field -+\x1b[0m|#. \"| = paused . > *o l2."
        );
        assert_eq!(ascii.chars().count(), frame.chars().count());
        // The Linux console keeps its box drawing and blocks.
        let block =
            String::from_utf8(transliterate(frame.as_bytes(), Glyphs::Block)).expect("utf-8");
        assert!(
            block.contains("╭─ field ─╮") && block.contains("│#. ▀│"),
            "{block}"
        );
        assert!(block.contains("= paused · > *○"), "{block}");
    }

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
        draw_frame(&mut t, hello, None).unwrap();
        let first = t.backend().writer().bytes;
        // The same frame again sends (almost) nothing: only changes go out.
        draw_frame(&mut t, hello, None).unwrap();
        let same = t.backend().writer().bytes - first;
        clear_screen(&mut t).unwrap();
        draw_frame(&mut t, hello, None).unwrap();
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
