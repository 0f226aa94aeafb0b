//! Overlays: the help (generated from the binding table) and the scenario editor.

use crate::app::{App, Editor};
use crate::keymap::{BINDINGS, Binding, Context, Focus, label};
use crate::ui::palette::Palette;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Every binding of the classifier view, grouped by where it applies.
pub fn help_lines(app: &App) -> Vec<Line<'static>> {
    let groups = [
        (Context::Everywhere, "everywhere"),
        (Context::In(Focus::Boundary), "boundary panel"),
        (Context::In(Focus::Charts), "charts"),
        (Context::In(Focus::Params), "parameters panel"),
    ];
    table_lines(BINDINGS, &groups, &app.palette)
}

/// A binding table as help lines, one heading per group.
pub fn table_lines<A>(
    table: &[Binding<A>],
    groups: &[(Context, &'static str)],
    pal: &Palette,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for &(ctx, name) in groups {
        lines.push(Line::from(Span::styled(
            name,
            Style::default()
                .fg(pal.accent())
                .add_modifier(Modifier::BOLD),
        )));
        for b in table.iter().filter(|b| b.context == ctx) {
            let keys = b.keys.iter().map(label).collect::<Vec<_>>().join(" ");
            lines.push(Line::from(vec![
                Span::styled(
                    format!("  {keys:<12}"),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::raw(b.help),
            ]));
        }
    }
    lines
}

pub fn help(frame: &mut Frame, area: Rect, app: &App) {
    help_box(frame, area, help_lines(app), &app.palette);
}

/// The help overlay for any list of lines.
pub fn help_box(frame: &mut Frame, area: Rect, lines: Vec<Line<'static>>, pal: &Palette) {
    // Two columns when the screen is wide enough, split in the middle.
    let two = area.width >= 100;
    let split = if two {
        lines.len().div_ceil(2)
    } else {
        lines.len()
    };
    let rows = split.max(lines.len() - split) as u16;
    let (w, h) = (if two { 100 } else { 50 }, rows + 2);
    let r = centered(area, w, h);
    frame.render_widget(Clear, r);
    let block = Block::bordered()
        .title(" keys — any key closes ")
        .border_style(Style::default().fg(pal.accent()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    if two {
        let [a, b] = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(inner);
        frame.render_widget(Paragraph::new(lines[..split].to_vec()), a);
        frame.render_widget(Paragraph::new(lines[split..].to_vec()), b);
    } else {
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

pub fn editor(frame: &mut Frame, area: Rect, pal: &Palette, ed: &Editor) {
    let r = Rect::new(
        area.x + 1,
        area.y + 1,
        area.width.saturating_sub(2),
        area.height.saturating_sub(2),
    );
    frame.render_widget(Clear, r);
    let block = Block::bordered()
        .title(" edit the scenario — Ctrl-S apply · Esc discard ")
        .border_style(Style::default().fg(pal.accent()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let side = ed.error.is_some() || inner.width >= 100;
    let (text_area, side_area) = if !side {
        (inner, None)
    } else if inner.width >= 80 {
        let [a, b] = Layout::horizontal([Constraint::Fill(3), Constraint::Fill(2)]).areas(inner);
        (a, Some(b))
    } else {
        let [a, b] = Layout::vertical([Constraint::Fill(1), Constraint::Length(6)]).areas(inner);
        (a, Some(b))
    };
    frame.render_widget(&ed.text, text_area);
    if let Some(s) = side_area {
        let (title, body, style) = match &ed.error {
            Some(e) => (" not applied ", e.clone() + "\n\nThe run goes on unchanged. Fix the line named above and press Ctrl-S again, or Esc to discard.", Style::default().fg(pal.warn())),
            None => (" ", "Every key, its default and its range: docs/scenarios.md.\n\nCtrl-S checks the text and, if it is valid, resets the run with it. A refused edit changes nothing.".to_string(), Style::default().fg(pal.dim())),
        };
        let block = Block::bordered().title(title).border_style(style);
        frame.render_widget(
            Paragraph::new(body)
                .style(style)
                .wrap(Wrap { trim: false })
                .block(block),
            s,
        );
    }
}

/// The chapter's notes: what a lecturer would say, over the view until closed.
pub fn notes(frame: &mut Frame, area: Rect, title: &str, notes: &str, pal: &Palette) {
    let w = (area.width * 7 / 10).max(40).min(area.width);
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
    // Room for the wrapped text, the title and the footer.
    let lines = text
        .lines()
        .map(|l| {
            (l.chars().count() as u16)
                .div_ceil(w.saturating_sub(4).max(1))
                .max(1)
        })
        .sum::<u16>();
    let h = (lines + 6).min(area.height);
    let r = centered(area, w, h);
    frame.render_widget(Clear, r);
    let block = Block::bordered()
        .title(Line::from(Span::styled(
            format!(" {title} "),
            Style::default().add_modifier(Modifier::BOLD),
        )))
        .title_bottom(
            Line::from(" space runs or pauses · i hides the notes · n/p chapters ").right_aligned(),
        )
        .border_style(Style::default().fg(pal.accent()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let inner = Rect::new(
        inner.x + 1,
        inner.y + 1,
        inner.width.saturating_sub(2),
        inner.height.saturating_sub(1),
    );
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), inner);
}
