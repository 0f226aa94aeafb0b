//! The parameters panel: every setting of the run, the selected one changed with ←/→.

use super::keys::Focus;
use super::params::Param;
use super::state::ClassifierView;
use crate::widgets::chrome::panel;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(frame: &mut Frame, area: Rect, app: &ClassifierView) {
    let focused = app.focus == Focus::Params;
    let title = if focused {
        " parameters ↑↓ ←→ "
    } else {
        " parameters (tab) "
    };
    let block = panel(title, focused, &app.chrome.palette);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let spec = app.spec();
    let rows = Param::rows(spec);
    let sel = app.param.min(rows.len().saturating_sub(1));
    let h = inner.height as usize;
    // Keep the selected row in view.
    let first = sel
        .saturating_sub(h.saturating_sub(1) / 2)
        .min(rows.len().saturating_sub(h));
    let label_w = rows
        .iter()
        .map(|p| p.label(spec).chars().count())
        .max()
        .unwrap_or(0)
        + 1;
    let lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .skip(first)
        .take(h)
        .map(|(i, p)| {
            let label = format!("{:<label_w$}", p.label(spec));
            let value = p.value(spec, app.seed());
            let mut style = Style::default();
            if i == sel && focused {
                style = style.add_modifier(Modifier::REVERSED);
            }
            Line::from(vec![
                Span::styled(label, Style::default().fg(app.chrome.palette.dim())),
                Span::styled(format!("{value} "), style.add_modifier(Modifier::BOLD)),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
