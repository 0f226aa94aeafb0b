//! Overlays over a screen: the key help (from the screen's binding tables) and the chapter's
//! notes.

use super::palette::Palette;
use crate::keymap::Section;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// The key reference as help lines, a heading per section.
fn section_lines(sections: &[Section], pal: &Palette) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for sec in sections {
        lines.push(Line::from(Span::styled(
            sec.heading.clone(),
            Style::default()
                .fg(pal.accent())
                .add_modifier(Modifier::BOLD),
        )));
        for (keys, help) in &sec.rows {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("  {keys:<12}"),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::raw(*help),
            ]));
        }
    }
    lines
}

/// The help overlay: every section of a screen's keys, page `page` of those the screen holds
/// (space turns them). Returns how many pages there are.
pub fn help(
    frame: &mut Frame,
    area: Rect,
    sections: &[Section],
    pal: &Palette,
    page: usize,
    footer: Option<&str>,
) -> usize {
    help_box(frame, area, section_lines(sections, pal), pal, page, footer)
}

/// The help overlay for any list of lines.
fn help_box(
    frame: &mut Frame,
    area: Rect,
    lines: Vec<Line<'static>>,
    pal: &Palette,
    page: usize,
    footer: Option<&str>,
) -> usize {
    // Two columns when the screen is wide enough, split in the middle; pages when even that
    // is too tall for the screen.
    let two = area.width >= 100;
    let cols = if two { 2 } else { 1 };
    let fit = (area.height.saturating_sub(2) as usize).max(1);
    let pages = lines.len().div_ceil(fit * cols).max(1);
    let page = page.min(pages - 1);
    let per = lines.len().div_ceil(pages);
    let lines: Vec<Line<'static>> = lines.into_iter().skip(page * per).take(per).collect();
    let split = if two {
        lines.len().div_ceil(2)
    } else {
        lines.len()
    };
    let rows = split.max(lines.len() - split) as u16;
    let (w, h) = (if two { 100 } else { 50 }, rows + 2);
    let r = centered(area, w, h);
    frame.render_widget(Clear, r);
    let title = if pages > 1 && page + 1 == pages {
        format!(" keys {}/{pages} · any key closes ", page + 1)
    } else if pages > 1 {
        format!(
            " keys {}/{pages} · space: more · other keys close ",
            page + 1
        )
    } else {
        " keys — any key closes ".to_string()
    };
    let mut block = Block::bordered()
        .title(title)
        .border_style(Style::default().fg(pal.accent()));
    if let Some(f) = footer {
        let room = r.width.saturating_sub(4) as usize;
        let text: String = f.chars().take(room.saturating_sub(2)).collect();
        block = block.title_bottom(format!(" {text} "));
    }
    let inner = block.inner(r);
    frame.render_widget(block, r);
    if two {
        let [a, b] = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(inner);
        frame.render_widget(Paragraph::new(lines[..split].to_vec()), a);
        frame.render_widget(Paragraph::new(lines[split..].to_vec()), b);
    } else {
        frame.render_widget(Paragraph::new(lines), inner);
    }
    pages
}

/// The chapter's notes: what a lecturer would say, over the view until closed.
pub fn notes(frame: &mut Frame, area: Rect, title: &str, notes: &str, pal: &Palette) {
    let w = (area.width * 7 / 10).max(64).min(area.width);
    // Notes are written as wrapped paragraphs: single line breaks join, blank lines part.
    let text = if notes.trim().is_empty() {
        "(this chapter has no notes)".to_string()
    } else {
        notes
            .trim()
            .split("\n\n")
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    // Room for the text as it wraps, the title and the footer.
    let wrapped = super::format::wrap(&text, w.saturating_sub(4).max(1) as usize);
    let h = (wrapped.len() as u16 + 4).min(area.height);
    let r = centered(area, w, h);
    frame.render_widget(Clear, r);
    let block = Block::bordered()
        .title(Line::from(Span::styled(
            format!(" {title} "),
            Style::default().add_modifier(Modifier::BOLD),
        )))
        .title_bottom(Line::from(" space runs · i hides · n/p chapters ").right_aligned())
        .border_style(Style::default().fg(pal.accent()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let inner = Rect::new(
        inner.x + 1,
        inner.y + 1,
        inner.width.saturating_sub(2),
        inner.height.saturating_sub(1),
    );
    let text: Vec<Line> = wrapped.into_iter().map(Line::from).collect();
    frame.render_widget(Paragraph::new(text), inner);
}
