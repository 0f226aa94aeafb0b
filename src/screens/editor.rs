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
    /// The text as opened: Esc and Ctrl-C drop it at once only while nothing changed.
    original: Vec<String>,
    /// The key (Esc or Ctrl-C) pressed once over unsaved changes: pressed again, it does
    /// what it says; any other key disarms it.
    armed: Option<KeyCode>,
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
            original: ta.lines().to_vec(),
            text: ta,
            error: None,
            armed: None,
        }
    }

    /// Whether the text differs from the text as opened.
    pub fn changed(&self) -> bool {
        self.text.lines() != self.original.as_slice()
    }

    /// What the side panel says while Esc or Ctrl-C waits for its second press.
    fn warning(&self) -> Option<String> {
        match self.armed {
            Some(KeyCode::Esc) => Some(
                "The edit is not applied. Esc again drops it; Ctrl-S applies it; any other key \
                 goes on editing."
                    .into(),
            ),
            Some(_) => Some(
                "The edit is not applied. Ctrl-C again quits nnbook and drops it; Ctrl-S \
                 applies it; any other key goes on editing."
                    .into(),
            ),
            None => None,
        }
    }

    /// Esc discards, Ctrl-S checks the text (Ctrl-O too, and then saves it) (a refused edit
    /// keeps its message and puts the cursor on the line it names), Ctrl-C quits, every other
    /// key edits. Over unsaved changes Esc and Ctrl-C first say what they would lose and act
    /// on a second press.
    pub fn key(&mut self, k: KeyEvent, dir: Option<&std::path::Path>) -> EditorOutcome {
        let ctrl_c = k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL);
        let losing = (k.code == KeyCode::Esc || ctrl_c).then_some(k.code);
        if losing.is_some() && self.changed() && self.armed != losing {
            self.armed = losing;
            return EditorOutcome::Editing;
        }
        self.armed = None;
        match (k.code, k.modifiers) {
            (KeyCode::Esc, _) => EditorOutcome::Discard,
            _ if ctrl_c => EditorOutcome::Quit,
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
        let (title, body, style) = match (ed.warning(), &ed.error) {
            (Some(w), _) => (" unsaved changes ", w, Style::default().fg(pal.warn())),
            (None, Some(e)) => (" not applied ", e.clone() + "\n\nThe run goes on unchanged. Fix the line named above and press Ctrl-S again, or Esc to discard.", Style::default().fg(pal.warn())),
            (None, None) => (" the editor ", "Every key, its default and its range: docs/scenarios.md.\n\nCtrl-S checks the text and, if it is valid, resets the run with it; Ctrl-O does the same and saves the setup into its scenario file (comments and layout kept). A refused edit changes nothing.".to_string(), Style::default().fg(pal.dim())),
        };
        let side = ed.error.is_some() || ed.armed.is_some() || inner.width >= 100;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::widgets::palette::ColorMode;

    fn press(e: &mut Editor, code: KeyCode, m: KeyModifiers) -> EditorOutcome {
        e.key(KeyEvent::new(code, m), None)
    }

    #[test]
    fn esc_and_ctrl_c_ask_before_dropping_an_edit() {
        let pal = Palette::new(ColorMode::Mono);
        // Nothing changed: Esc closes at once, Ctrl-C quits at once.
        let mut e = Editor::open("title = \"x\"", &pal);
        assert!(matches!(
            press(&mut e, KeyCode::Esc, KeyModifiers::NONE),
            EditorOutcome::Discard
        ));
        let mut e = Editor::open("title = \"x\"", &pal);
        assert!(matches!(
            press(&mut e, KeyCode::Char('c'), KeyModifiers::CONTROL),
            EditorOutcome::Quit
        ));
        // Changed: the first Esc warns and keeps editing, the second drops the edit.
        let mut e = Editor::open("title = \"x\"", &pal);
        press(&mut e, KeyCode::Char('y'), KeyModifiers::NONE);
        assert!(e.changed());
        assert!(matches!(
            press(&mut e, KeyCode::Esc, KeyModifiers::NONE),
            EditorOutcome::Editing
        ));
        assert!(
            e.warning()
                .is_some_and(|w| w.contains("Esc again drops it"))
        );
        assert!(matches!(
            press(&mut e, KeyCode::Esc, KeyModifiers::NONE),
            EditorOutcome::Discard
        ));
        // Ctrl-C likewise; a key between disarms it, and the edit goes on.
        let mut e = Editor::open("title = \"x\"", &pal);
        press(&mut e, KeyCode::Char('y'), KeyModifiers::NONE);
        let ctrl_c = |e: &mut Editor| press(e, KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert!(matches!(ctrl_c(&mut e), EditorOutcome::Editing));
        press(&mut e, KeyCode::Right, KeyModifiers::NONE);
        assert!(e.warning().is_none());
        assert!(matches!(ctrl_c(&mut e), EditorOutcome::Editing));
        // Esc after an armed Ctrl-C is a first Esc, not a second press of either.
        assert!(matches!(
            press(&mut e, KeyCode::Esc, KeyModifiers::NONE),
            EditorOutcome::Editing
        ));
        assert!(matches!(ctrl_c(&mut e), EditorOutcome::Editing));
        assert!(matches!(ctrl_c(&mut e), EditorOutcome::Quit));
        // Typed back to the text as opened: nothing to lose, Esc closes at once.
        let mut e = Editor::open("title = \"x\"", &pal);
        press(&mut e, KeyCode::Char('y'), KeyModifiers::NONE);
        press(&mut e, KeyCode::Backspace, KeyModifiers::NONE);
        assert!(!e.changed());
        assert!(matches!(
            press(&mut e, KeyCode::Esc, KeyModifiers::NONE),
            EditorOutcome::Discard
        ));
    }
}
