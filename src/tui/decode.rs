//! Terminal input bytes → keys, pastes and the terminal's answers to our status queries.
//!
//! crossterm's reader keeps a terminal's replies (cursor position, device attributes) in a
//! private queue that only its own blocking queries drain, and drops a Device Status Report
//! reply; flow control asks the terminal after every frame, so the app reads the terminal
//! itself and decodes the bytes here, into crossterm's key types (the rest of the app, the
//! editor included, is unchanged). The decoding follows crossterm's for every key it knows.

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

/// One thing the terminal sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Key(KeyEvent),
    Paste(String),
    /// A mouse report (SGR 1006 encoding: `ESC [ < b ; x ; y M` or `m`).
    Mouse(MouseEvent),
    /// The reply to a Device Status Report (`ESC [ 5 n` → `ESC [ 0 n`) or Primary Device
    /// Attributes query: every byte sent before the query has reached the terminal.
    Answer,
}

/// A pasted text larger than this is cut (a paste is a scenario, not a disk image).
const PASTE_MAX: usize = 1 << 20;
/// An escape sequence longer than this is garbage and dropped.
const SEQUENCE_MAX: usize = 64;

/// Decodes a byte stream read in chunks; a sequence split between two reads is kept until
/// the rest arrives.
#[derive(Debug, Default)]
pub struct Decoder {
    pending: Vec<u8>,
    /// Inside a bracketed paste: the text so far.
    paste: Option<Vec<u8>>,
}

/// What one attempt at the front of the buffer gave.
enum Step {
    /// `n` bytes made this input.
    Done(usize, Option<Input>),
    /// The sequence is not complete yet.
    More,
}

impl Decoder {
    /// Everything complete in what was read so far. `bytes` is one read: a lone Esc at its
    /// end is the Esc key (as in crossterm: a key's sequence arrives in one read).
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Input> {
        self.pending.extend_from_slice(bytes);
        let mut out = Vec::new();
        let mut at = 0;
        while at < self.pending.len() {
            if let Some(text) = &mut self.paste {
                let rest = &self.pending[at..];
                match rest.windows(END_PASTE.len()).position(|w| w == END_PASTE) {
                    Some(end) => {
                        keep_pasted(text, &rest[..end]);
                        out.push(Input::Paste(String::from_utf8_lossy(text).into_owned()));
                        self.paste = None;
                        at += end + END_PASTE.len();
                    }
                    None => {
                        // Keep back only what may be the start of the end marker.
                        let upto = (self.pending.len() + 1).saturating_sub(END_PASTE.len());
                        let upto = upto.max(at);
                        keep_pasted(text, &self.pending[at..upto]);
                        at = upto;
                        break;
                    }
                }
                continue;
            }
            match step(&self.pending[at..]) {
                Step::Done(n, input) => {
                    at += n;
                    match input {
                        Some(Input::Paste(_)) => self.paste = Some(Vec::new()),
                        Some(i) => out.push(i),
                        None => {}
                    }
                }
                Step::More => break,
            }
        }
        self.pending.drain(..at);
        out
    }
}

const END_PASTE: &[u8] = b"\x1b[201~";

fn keep_pasted(text: &mut Vec<u8>, chunk: &[u8]) {
    let room = PASTE_MAX.saturating_sub(text.len());
    text.extend_from_slice(&chunk[..chunk.len().min(room)]);
}

fn key(code: KeyCode, modifiers: KeyModifiers) -> Option<Input> {
    Some(Input::Key(KeyEvent::new_with_kind(
        code,
        modifiers,
        KeyEventKind::Press,
    )))
}

/// A character key; an upper-case letter carries Shift, as crossterm reports it.
fn char_key(c: char, mut modifiers: KeyModifiers) -> Option<Input> {
    if c.is_uppercase() {
        modifiers |= KeyModifiers::SHIFT;
    }
    key(KeyCode::Char(c), modifiers)
}

/// Decodes the input at the front of `b`.
fn step(b: &[u8]) -> Step {
    let none = KeyModifiers::NONE;
    match b[0] {
        0x1b => {
            if b.len() == 1 {
                // A lone Esc at the end of a read is the key itself.
                return Step::Done(1, key(KeyCode::Esc, none));
            }
            match b[1] {
                // `ESC [` or `ESC O` ending a read is Alt-[ or Alt-O typed: a key's own
                // sequence arrives in one read (waiting would swallow the next keys typed).
                b'[' | b'O' if b.len() == 2 => {
                    Step::Done(2, key(KeyCode::Char(b[1] as char), KeyModifiers::ALT))
                }
                b'[' => csi(b),
                b'O' => {
                    let code = final_key(b[2]);
                    Step::Done(3, code.and_then(|c| key(c, none)))
                }
                0x1b => Step::Done(1, key(KeyCode::Esc, none)),
                _ => match plain(&b[1..]) {
                    Step::Done(n, Some(Input::Key(mut k))) => {
                        k.modifiers |= KeyModifiers::ALT;
                        Step::Done(n + 1, Some(Input::Key(k)))
                    }
                    Step::Done(n, other) => Step::Done(n + 1, other),
                    Step::More => Step::More,
                },
            }
        }
        _ => plain(b),
    }
}

/// A byte that is not Esc: a control key or a UTF-8 character.
fn plain(b: &[u8]) -> Step {
    let none = KeyModifiers::NONE;
    let ctrl = KeyModifiers::CONTROL;
    let input = match b[0] {
        b'\r' => key(KeyCode::Enter, none),
        b'\t' => key(KeyCode::Tab, none),
        0x7f => key(KeyCode::Backspace, none),
        0 => key(KeyCode::Char(' '), ctrl),
        c @ 0x01..=0x1a => key(KeyCode::Char((c - 1 + b'a') as char), ctrl),
        c @ 0x1c..=0x1f => key(KeyCode::Char((c - 0x1c + b'4') as char), ctrl),
        0x1b => key(KeyCode::Esc, none),
        c if c < 0x80 => char_key(c as char, none),
        c => {
            let len = match c {
                0xc2..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf4 => 4,
                // A byte that starts no character: skipped.
                _ => return Step::Done(1, None),
            };
            if b.len() < len {
                return Step::More;
            }
            return match std::str::from_utf8(&b[..len]) {
                Ok(s) => Step::Done(len, s.chars().next().and_then(|c| char_key(c, none))),
                Err(_) => Step::Done(1, None),
            };
        }
    };
    Step::Done(1, input)
}

/// `ESC [` params intermediates final.
fn csi(b: &[u8]) -> Step {
    let mut end = 2;
    loop {
        let Some(&c) = b.get(end) else {
            return Step::More;
        };
        match c {
            // A run of parameters longer than any real sequence: garbage, dropped.
            0x20..=0x3f if end > SEQUENCE_MAX => return Step::Done(end, None),
            0x20..=0x3f => end += 1,
            0x40..=0x7e => break,
            // Not a CSI after all: drop what was read of it.
            _ => return Step::Done(end, None),
        }
    }
    let n = end + 1;
    let body = &b[2..end];
    let last = b[end];
    let text = std::str::from_utf8(body).unwrap_or("");
    if text.starts_with('?') {
        // `ESC [ ? … c`: device attributes, our fallback query's reply.
        return Step::Done(n, (last == b'c').then_some(Input::Answer));
    }
    if let Some(m) = text.strip_prefix('<') {
        return Step::Done(n, sgr_mouse(m, last).map(Input::Mouse));
    }
    if text.starts_with('>') || text.starts_with('=') {
        // Other private replies: not asked for.
        return Step::Done(n, None);
    }
    let params: Vec<Option<u16>> = text.split(';').map(|p| p.parse().ok()).collect();
    let first = params.first().copied().flatten();
    // `1;m`: m − 1 is the modifier bits (Shift 1, Alt 2, Ctrl 4).
    let mods = params
        .get(1)
        .copied()
        .flatten()
        .map(modifiers)
        .unwrap_or(KeyModifiers::NONE);
    let code = match last {
        // `ESC [ 1 ; m R` is F3 with modifiers; we never ask for the cursor position.
        b'A'..=b'D' | b'H' | b'F' | b'P'..=b'S' => final_key(last),
        b'Z' => return Step::Done(n, key(KeyCode::BackTab, KeyModifiers::SHIFT)),
        b'n' => return Step::Done(n, Some(Input::Answer)),
        b'~' => match first {
            Some(200) => return Step::Done(n, Some(Input::Paste(String::new()))),
            Some(1 | 7) => Some(KeyCode::Home),
            Some(2) => Some(KeyCode::Insert),
            Some(3) => Some(KeyCode::Delete),
            Some(4 | 8) => Some(KeyCode::End),
            Some(5) => Some(KeyCode::PageUp),
            Some(6) => Some(KeyCode::PageDown),
            Some(f @ 11..=15) => Some(KeyCode::F((f - 10) as u8)),
            Some(f @ 17..=21) => Some(KeyCode::F((f - 11) as u8)),
            Some(f @ 23..=26) => Some(KeyCode::F((f - 12) as u8)),
            Some(f @ 28..=29) => Some(KeyCode::F((f - 13) as u8)),
            Some(f @ 31..=34) => Some(KeyCode::F((f - 14) as u8)),
            _ => None,
        },
        _ => None,
    };
    Step::Done(n, code.and_then(|c| key(c, mods)))
}

/// An SGR mouse report's body `b;x;y` and final `M` (press, drag) or `m` (release), with
/// 1-based cell coordinates as the terminal sends them; `None` for what is not a report.
fn sgr_mouse(body: &str, last: u8) -> Option<MouseEvent> {
    let mut it = body.split(';').map(|p| p.parse::<u16>().ok());
    let (b, x, y) = (it.next()??, it.next()??, it.next()??);
    if it.next().is_some() || x == 0 || y == 0 || !matches!(last, b'M' | b'm') {
        return None;
    }
    let mut modifiers = KeyModifiers::NONE;
    if b & 4 != 0 {
        modifiers |= KeyModifiers::SHIFT;
    }
    if b & 8 != 0 {
        modifiers |= KeyModifiers::ALT;
    }
    if b & 16 != 0 {
        modifiers |= KeyModifiers::CONTROL;
    }
    let button = match b & 3 {
        0 => MouseButton::Left,
        1 => MouseButton::Middle,
        2 => MouseButton::Right,
        _ => MouseButton::Left,
    };
    let kind = if b & 64 != 0 {
        match b & 3 {
            0 => MouseEventKind::ScrollUp,
            1 => MouseEventKind::ScrollDown,
            2 => MouseEventKind::ScrollLeft,
            _ => MouseEventKind::ScrollRight,
        }
    } else if b & 32 != 0 {
        if b & 3 == 3 {
            MouseEventKind::Moved
        } else {
            MouseEventKind::Drag(button)
        }
    } else if last == b'm' {
        MouseEventKind::Up(button)
    } else {
        MouseEventKind::Down(button)
    };
    Some(MouseEvent {
        kind,
        column: x - 1,
        row: y - 1,
        modifiers,
    })
}

/// The key a final byte names after `ESC O` or `ESC [ 1 ; m`: arrows, Home, End, F1–F4.
fn final_key(b: u8) -> Option<KeyCode> {
    match b {
        b'A' => Some(KeyCode::Up),
        b'B' => Some(KeyCode::Down),
        b'C' => Some(KeyCode::Right),
        b'D' => Some(KeyCode::Left),
        b'H' => Some(KeyCode::Home),
        b'F' => Some(KeyCode::End),
        c @ b'P'..=b'S' => Some(KeyCode::F(1 + c - b'P')),
        _ => None,
    }
}

fn modifiers(m: u16) -> KeyModifiers {
    let bits = m.saturating_sub(1);
    let mut out = KeyModifiers::NONE;
    if bits & 1 != 0 {
        out |= KeyModifiers::SHIFT;
    }
    if bits & 2 != 0 {
        out |= KeyModifiers::ALT;
    }
    if bits & 4 != 0 {
        out |= KeyModifiers::CONTROL;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(code: KeyCode, m: KeyModifiers) -> Input {
        Input::Key(KeyEvent::new_with_kind(code, m, KeyEventKind::Press))
    }
    fn c(ch: char) -> Input {
        k(KeyCode::Char(ch), KeyModifiers::NONE)
    }
    const NONE: KeyModifiers = KeyModifiers::NONE;

    #[test]
    fn sgr_mouse_reports_decode_to_cells_from_zero() {
        let mut d = Decoder::default();
        let m = |kind, column, row, modifiers| {
            Input::Mouse(MouseEvent {
                kind,
                column,
                row,
                modifiers,
            })
        };
        assert_eq!(
            d.feed(
                b"\x1b[<0;10;5M\x1b[<0;10;5m\x1b[<64;3;4M\x1b[<65;3;4M\x1b[<6;1;1M\x1b[<32;2;2Mq"
            ),
            [
                m(MouseEventKind::Down(MouseButton::Left), 9, 4, NONE),
                m(MouseEventKind::Up(MouseButton::Left), 9, 4, NONE),
                m(MouseEventKind::ScrollUp, 2, 3, NONE),
                m(MouseEventKind::ScrollDown, 2, 3, NONE),
                m(
                    MouseEventKind::Down(MouseButton::Right),
                    0,
                    0,
                    KeyModifiers::SHIFT
                ),
                m(MouseEventKind::Drag(MouseButton::Left), 1, 1, NONE),
                c('q'),
            ]
        );
        // Split between reads, and garbage that is no report.
        assert_eq!(d.feed(b"\x1b[<1;7"), []);
        assert_eq!(
            d.feed(b";8M"),
            [m(MouseEventKind::Down(MouseButton::Middle), 6, 7, NONE)]
        );
        assert_eq!(
            d.feed(b"\x1b[<0;0;5M\x1b[<0;1M\x1b[<0;1;1;1M\x1b[<99999;1;1Mq"),
            [c('q')]
        );
    }

    #[test]
    fn plain_keys_decode_as_crossterm_decodes_them() {
        let mut d = Decoder::default();
        assert_eq!(
            d.feed(b"q \r\t\x7f\x03\x1aA"),
            [
                c('q'),
                c(' '),
                k(KeyCode::Enter, NONE),
                k(KeyCode::Tab, NONE),
                k(KeyCode::Backspace, NONE),
                k(KeyCode::Char('c'), KeyModifiers::CONTROL),
                k(KeyCode::Char('z'), KeyModifiers::CONTROL),
                k(KeyCode::Char('A'), KeyModifiers::SHIFT),
            ]
        );
        assert_eq!(d.feed("λ→".as_bytes()), [c('λ'), c('→')]);
    }

    #[test]
    fn sequences_decode_with_their_modifiers() {
        let mut d = Decoder::default();
        assert_eq!(
            d.feed(b"\x1b[A\x1bOB\x1b[1;5C\x1b[1;2D\x1b[5~\x1b[6~\x1b[3~\x1b[Z\x1b[15~\x1bOP"),
            [
                k(KeyCode::Up, NONE),
                k(KeyCode::Down, NONE),
                k(KeyCode::Right, KeyModifiers::CONTROL),
                k(KeyCode::Left, KeyModifiers::SHIFT),
                k(KeyCode::PageUp, NONE),
                k(KeyCode::PageDown, NONE),
                k(KeyCode::Delete, NONE),
                k(KeyCode::BackTab, KeyModifiers::SHIFT),
                k(KeyCode::F(5), NONE),
                k(KeyCode::F(1), NONE),
            ]
        );
    }

    #[test]
    fn esc_alone_in_a_read_is_the_key_and_esc_before_a_key_is_alt() {
        let mut d = Decoder::default();
        assert_eq!(d.feed(b"\x1b"), [k(KeyCode::Esc, NONE)]);
        assert_eq!(d.feed(b"\x1bq"), [k(KeyCode::Char('q'), KeyModifiers::ALT)]);
        // Esc then Alt-q arriving together (a lagging link): Esc, then Alt-q, not a plain q.
        assert_eq!(
            d.feed(b"\x1b\x1bq"),
            [
                k(KeyCode::Esc, NONE),
                k(KeyCode::Char('q'), KeyModifiers::ALT)
            ]
        );
    }

    #[test]
    fn a_sequence_split_between_reads_waits_for_its_end() {
        let mut d = Decoder::default();
        assert_eq!(d.feed(b"\x1b[1;"), []);
        assert_eq!(d.feed(b"5A"), [k(KeyCode::Up, KeyModifiers::CONTROL)]);
        assert_eq!(d.feed(&"é".as_bytes()[..1]), []);
        assert_eq!(d.feed(&"é".as_bytes()[1..]), [c('é')]);
    }

    #[test]
    fn alt_bracket_typed_by_hand_swallows_nothing() {
        let mut d = Decoder::default();
        assert_eq!(d.feed(b"\x1b["), [k(KeyCode::Char('['), KeyModifiers::ALT)]);
        assert_eq!(d.feed(b"."), [c('.')]);
        assert_eq!(d.feed(b"\x1bO"), [k(KeyCode::Char('O'), KeyModifiers::ALT)]);
        assert_eq!(d.feed(b"q"), [c('q')]);
    }

    #[test]
    fn status_replies_are_answers_not_keys() {
        let mut d = Decoder::default();
        assert_eq!(
            d.feed(b"a\x1b[0nb\x1b[?62;22cc"),
            [c('a'), Input::Answer, c('b'), Input::Answer, c('c')]
        );
    }

    #[test]
    fn pastes_arrive_whole_even_across_reads() {
        let mut d = Decoder::default();
        assert_eq!(d.feed(b"x\x1b[200~[model]\r\nhid"), [c('x')]);
        assert_eq!(d.feed(b"den = [8]\x1b[20"), []);
        assert_eq!(
            d.feed(b"1~y"),
            [Input::Paste("[model]\r\nhidden = [8]".into()), c('y')]
        );
    }

    #[test]
    fn garbage_never_blocks_what_follows() {
        let mut d = Decoder::default();
        // An unknown sequence, a stray continuation byte, an over-long sequence.
        let mut junk = b"\x1b[99;99X\x80".to_vec();
        junk.extend(b"\x1b[".iter().chain([b'1'; 100].iter()));
        junk.extend(b"q");
        let out = d.feed(&junk);
        assert_eq!(out.last(), Some(&c('q')));
        assert!(d.feed(b"r").contains(&c('r')));
    }
}
