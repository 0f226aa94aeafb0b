//! The in-app scenario editor: the scenario as TOML, checked on Ctrl-S with the same
//! messages `nnbook check` gives; a refused edit keeps the run and puts the cursor on the
//! error.

use crate::scenario::{self, Body, Scenario};
use crate::widgets::format::wrap;
use crate::widgets::palette::Palette;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use tui_textarea::TextArea;

/// The in-app scenario editor.
pub struct Editor {
    pub text: TextArea<'static>,
    /// The last refused edit's message, shown beside the text.
    pub error: Option<String>,
}

/// What a key did in the editor.
pub enum EditorOutcome {
    /// Still editing.
    Editing,
    /// Esc: the edit is dropped.
    Discard,
    /// Ctrl-C: the user wants out of the app.
    Quit,
    /// Ctrl-S (or Ctrl-O, which also saves: `true`) with a valid scenario: the view applies
    /// it, or refuses it.
    Parsed(Box<Scenario>, bool),
}

impl Editor {
    /// An editor holding `text`.
    pub fn open(text: &str, pal: &Palette) -> Self {
        let mut ta = TextArea::new(text.lines().map(str::to_string).collect());
        ta.set_line_number_style(ratatui::style::Style::default().fg(pal.dim()));
        Editor {
            text: ta,
            error: None,
        }
    }

    /// Esc discards, Ctrl-S checks the text (Ctrl-O too, and then saves it) (a refused edit keeps its message and puts the
    /// cursor on the line it names), Ctrl-C quits, every other key edits.
    pub fn key(&mut self, k: KeyEvent, dir: Option<&std::path::Path>) -> EditorOutcome {
        match (k.code, k.modifiers) {
            (KeyCode::Esc, _) => EditorOutcome::Discard,
            (KeyCode::Char('c'), m) if m.contains(KeyModifiers::CONTROL) => EditorOutcome::Quit,
            (KeyCode::Char(c @ ('s' | 'o')), m) if m.contains(KeyModifiers::CONTROL) => {
                match scenario::parse(&self.text.lines().join("\n"), "<editor>", dir) {
                    Ok(sc) => EditorOutcome::Parsed(Box::new(sc), c == 'o'),
                    Err(e) => {
                        // The cursor goes where the error is: its line and its column.
                        if let Some((line, col)) = e.at {
                            self.text.move_cursor(tui_textarea::CursorMove::Jump(
                                line.saturating_sub(1).min(u16::MAX as usize) as u16,
                                col.saturating_sub(1).min(u16::MAX as usize) as u16,
                            ));
                        }
                        self.error = Some(e.to_string());
                        EditorOutcome::Editing
                    }
                }
            }
            _ => {
                self.text.input(k);
                EditorOutcome::Editing
            }
        }
    }

    /// The editor over the screen, with the refusal (or a hint) beside the text.
    pub fn render(&self, frame: &mut Frame, area: Rect, pal: &Palette) {
        let ed = self;
        // Between the title bar and the status line, edge to edge (inset, the panels'
        // borders beneath showed beside its own).
        let r = Rect::new(
            area.x,
            area.y + 1,
            area.width,
            area.height.saturating_sub(2),
        );
        frame.render_widget(Clear, r);
        let block = Block::bordered()
            .title(" edit the scenario — Ctrl-S apply · Ctrl-O apply and save · Esc discard ")
            .border_style(Style::default().fg(pal.accent()));
        let inner = block.inner(r);
        frame.render_widget(block, r);
        let (title, body, style) = match &ed.error {
            Some(e) => (" not applied ", e.clone() + "\n\nThe run goes on unchanged. Fix the line named above and press Ctrl-S again, or Esc to discard.", Style::default().fg(pal.warn())),
            None => (" the editor ", "Every key, its default and its range: docs/scenarios.md.\n\nCtrl-S checks the text and, if it is valid, resets the run with it; Ctrl-O does the same and saves the setup into its scenario file (comments and layout kept). A refused edit changes nothing.".to_string(), Style::default().fg(pal.dim())),
        };
        let side = ed.error.is_some() || inner.width >= 100;
        let (text_area, side_area) = if !side {
            (inner, None)
        } else if inner.width >= 80 {
            let [a, b] =
                Layout::horizontal([Constraint::Fill(3), Constraint::Fill(2)]).areas(inner);
            (a, Some(b))
        } else {
            // Below the text, as tall as the message needs (at most half the editor).
            let need = wrap(&body, inner.width.saturating_sub(2) as usize).len() as u16 + 2;
            let [a, b] = Layout::vertical([
                Constraint::Fill(1),
                Constraint::Length(need.min(inner.height / 2)),
            ])
            .areas(inner);
            (a, Some(b))
        };
        frame.render_widget(&ed.text, text_area);
        if let Some(s) = side_area {
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
}

/// Why a valid scenario of another kind than the view shows is refused.
pub fn other_kind(body: &Body) -> String {
    let what = match body {
        Body::Classifier(_) => "a single classifier",
        Body::Compare(_) => "side-by-side runs",
        Body::Race(_) => "a surface race",
        Body::Lorenz(_) => "the attractor",
        Body::Averages(_) => "the moving averages",
    };
    format!("{what} opens in its own view (nnbook run FILE); this view keeps its kind")
}
