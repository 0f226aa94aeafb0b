//! The frame around every screen: the title row, the status line with its messages, panels,
//! presenter mode's banner, and the too-small notice. Knows no screen.

use super::format::wrap;
use super::palette::Palette;
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use std::time::{Duration, Instant};

/// Below this the layout cannot show its panels; a message says so instead.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// How long an info message stays.
pub const MESSAGE_FOR: Duration = Duration::from_secs(4);

/// A status-line message: info expires after [`MESSAGE_FOR`], an error stays until a key.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub text: String,
    pub at: Instant,
    pub error: bool,
    /// Kept out of GIF recordings (what the recording itself says: "recording to …").
    pub unrecorded: bool,
}

impl Message {
    pub fn info(text: impl Into<String>) -> Self {
        Message {
            text: text.into(),
            at: Instant::now(),
            error: false,
            unrecorded: false,
        }
    }

    pub fn error(text: impl Into<String>) -> Self {
        Message {
            error: true,
            ..Message::info(text)
        }
    }

    /// An info message shown long enough.
    pub fn expired(&self) -> bool {
        !self.error && self.at.elapsed() > MESSAGE_FOR
    }
}

/// The rows every screen shares — title (three rows in presenter mode), body, status line —
/// or `None`, after saying so, when the terminal is too small for any layout.
pub fn screen_rows(frame: &mut Frame, presenter: bool) -> Option<[Rect; 3]> {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area);
        return None;
    }
    Some(
        Layout::vertical([
            Constraint::Length(if presenter { 3 } else { 1 }),
            Constraint::Fill(1),
            Constraint::Length(1),
        ])
        .areas(area),
    )
}

pub fn too_small(frame: &mut Frame, area: Rect) {
    let msg = vec![
        Line::from("nnbook: the terminal is too small"),
        Line::from(format!(
            "{}×{} — needs at least {MIN_WIDTH}×{MIN_HEIGHT}",
            area.width, area.height
        )),
        Line::from("enlarge it, or press q to quit"),
    ];
    let h = (msg.len() as u16).min(area.height);
    let y = area.y + area.height.saturating_sub(h) / 2;
    frame.render_widget(
        Paragraph::new(msg).alignment(Alignment::Center),
        Rect::new(area.x, y, area.width, h),
    );
}

/// A panel's frame, its border lit when it has the focus.
pub fn panel<'a>(title: impl Into<Line<'a>>, focused: bool, pal: &Palette) -> Block<'a> {
    let style = if focused {
        Style::default()
            .fg(pal.accent())
            .add_modifier(Modifier::BOLD)
    } else {
        Style::default().fg(pal.dim())
    };
    Block::bordered().title(title).border_style(style)
}

/// Presenter mode's title: large, centred, framed, readable from the back of the room.
pub fn banner(frame: &mut Frame, area: Rect, title: &str, pal: &Palette) {
    let block = Block::bordered().border_style(Style::default().fg(pal.accent()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let big = letter_spaced(title);
    let text = if big.chars().count() as u16 <= inner.width {
        big
    } else {
        title.to_string()
    };
    frame.render_widget(
        Paragraph::new(Span::styled(
            text,
            Style::default()
                .fg(pal.accent())
                .add_modifier(Modifier::BOLD),
        ))
        .alignment(Alignment::Center),
        inner,
    );
}

/// Letter-spaced capitals, standing in for a larger font: the letters of a word spaced, words
/// three spaces apart, numbers kept whole (`3/18 · Optimizers` → `3/18   ·   O P T I M I Z E R S`).
pub fn letter_spaced(title: &str) -> String {
    let chars: Vec<char> = title.to_uppercase().chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        out.push(c);
        let next = chars.get(i + 1).copied();
        if c == ' ' {
            out.push_str("  ");
        } else if c.is_alphabetic() && next.is_some_and(|n| n.is_alphabetic()) {
            out.push(' ');
        }
    }
    out
}

/// `line` cut to at most `width` columns, ending in `…` when anything was cut.
pub fn truncate(line: Line<'_>, width: usize) -> Line<'_> {
    if line.width() <= width {
        return line;
    }
    let mut left = width.saturating_sub(1);
    let mut spans = Vec::new();
    for s in line.spans {
        if left == 0 {
            break;
        }
        let text: String = s.content.chars().take(left).collect();
        left -= text.chars().count();
        spans.push(Span::styled(text, s.style));
    }
    if width > 0 {
        spans.push(Span::raw("…"));
    }
    Line::from(spans)
}

/// The title row: `left` and, right-aligned, `right`; `left` is cut with an ellipsis rather
/// than run into `right`.
pub fn title_bar(frame: &mut Frame, area: Rect, left: Line<'_>, right: Line<'_>) {
    let rw = right.width() as u16;
    let room = area.width.saturating_sub(rw + 1) as usize;
    frame.render_widget(Paragraph::new(truncate(left, room)), area);
    frame.render_widget(Paragraph::new(right).alignment(Alignment::Right), area);
}

/// The recording badge of a status line.
pub fn rec_span(rec: &str, pal: &Palette) -> Span<'static> {
    Span::styled(
        format!("● {rec} "),
        Style::default().fg(pal.warn()).add_modifier(Modifier::BOLD),
    )
}

/// The classroom server's state in the lecturer's status line: `ssh -p 2222: 12 viewers, … · `.
pub fn serving_span(text: &str, pal: &Palette) -> Span<'static> {
    Span::styled(
        format!("{} · ", crate::widgets::format::printable(text)),
        Style::default().fg(pal.accent()),
    )
}

/// Ends a status line the same way in every view: the message after the state when it fits
/// (else the caller shows it whole with [`message_box`], over everything), then the key hints
/// on the right when they fit (and presenter mode does not hide them). The line is cut with an
/// ellipsis, never mid-word without one. Returns whether the message still needs its box.
pub fn status_bar(
    frame: &mut Frame,
    area: Rect,
    mut spans: Vec<Span<'_>>,
    message: Option<&Message>,
    hints: &str,
    presenter: bool,
    pal: &Palette,
) -> bool {
    let style = |m: &Message| {
        if m.error {
            Style::default().fg(pal.warn()).add_modifier(Modifier::BOLD)
        } else {
            Style::default().fg(pal.accent())
        }
    };
    let base = Line::from(spans.clone()).width();
    let mut boxed = None;
    if let Some(m) = message {
        let text = format!("· {} ", m.text);
        if !m.text.contains('\n') && base + text.chars().count() <= area.width as usize {
            spans.push(Span::styled(text, style(m)));
        } else {
            boxed = Some(m);
        }
    }
    let line = truncate(Line::from(spans), area.width as usize);
    let used = line.width() as u16;
    frame.render_widget(Paragraph::new(line), area);
    if !presenter && used + hints.chars().count() as u16 + 2 <= area.width {
        frame.render_widget(
            Paragraph::new(Span::styled(
                hints.to_string(),
                Style::default().fg(pal.dim()),
            ))
            .alignment(Alignment::Right),
            area,
        );
    }
    boxed.is_some()
}

/// A message too long for the status line, whole, in a box just above the screen's last row
/// (right-aligned), drawn over everything else.
pub fn message_box(frame: &mut Frame, m: &Message, pal: &Palette) {
    let screen = frame.area();
    let status = Rect::new(screen.x, screen.bottom().saturating_sub(1), screen.width, 1);
    let style = if m.error {
        Style::default().fg(pal.warn()).add_modifier(Modifier::BOLD)
    } else {
        Style::default().fg(pal.accent())
    };
    let w = (m.text.chars().count() as u16 + 4)
        .clamp(24.min(screen.width), screen.width.saturating_sub(2).max(1));
    let lines = wrap(&m.text, w.saturating_sub(4) as usize);
    let h = (lines.len() as u16 + 2).min(status.y.saturating_sub(screen.y));
    if h < 3 {
        return;
    }
    let r = Rect::new(screen.x + screen.width - w, status.y - h, w, h);
    frame.render_widget(Clear, r);
    let block = Block::bordered().border_style(if m.error {
        Style::default().fg(pal.warn())
    } else {
        Style::default().fg(pal.accent())
    });
    let text: Vec<Line> = lines
        .into_iter()
        .map(|l| Line::from(Span::styled(format!(" {l}"), style)))
        .collect();
    frame.render_widget(Paragraph::new(text).block(block), r);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_presenter_title_keeps_numbers_whole() {
        assert_eq!(
            letter_spaced("18/18 · The Lorenz attractor"),
            "18/18   ·   T H E   L O R E N Z   A T T R A C T O R"
        );
    }

    #[test]
    fn truncation_ends_in_an_ellipsis_and_keeps_styles() {
        let l = Line::from(vec![
            Span::raw("abc"),
            Span::styled("defgh", Style::default().bold()),
        ]);
        let t = truncate(l.clone(), 5);
        assert_eq!(t.width(), 5);
        assert_eq!(t.to_string(), "abcd…");
        assert_eq!(t.spans[1].style, Style::default().bold());
        assert_eq!(truncate(l, 20).to_string(), "abcdefgh");
    }
}
