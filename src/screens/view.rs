//! The shared screen machinery: the [`View`] trait every kind of chapter implements, the
//! [`Chrome`] every screen owns once (title, notes, help, messages, recording badge, requests
//! to the shell, the editor) and the chrome's own keys. The terminal loop and the headless
//! export both drive a `Box<dyn View>` and nothing else.

use super::editor::{Editor, EditorOutcome};
use crate::data::DataError;
use crate::event::Event;
use crate::export::raster::Image;
use crate::keymap::{self, Binding, Context::Everywhere, Section, bind, ctrl, k};
use crate::scenario::Scenario;
use crate::train::SessionError;
use crate::widgets::chrome::{self as draw, Message};
use crate::widgets::overlay;
use crate::widgets::palette::{ColorMode, Palette};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use std::cell::Cell;
use std::path::PathBuf;

/// How a chapter is presented: its place in a lecture, presenter mode, the notes overlay.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stage {
    /// (chapter, of how many) in lecture mode.
    pub chapter: Option<(usize, usize)>,
    /// Presenter mode: no parameter panel, no key hints, a large title.
    pub presenter: bool,
    /// The chapter's notes are shown over the view.
    pub show_notes: bool,
    /// A slow link (or `--low-bandwidth`): the costliest regions refresh less often.
    pub low_bandwidth: bool,
    /// What the terminal loop measured of the link, for the help overlay.
    pub link: Option<String>,
    /// The classroom server's state for the lecturer (viewers, the slowest lag), in the
    /// status line; never drawn for the viewers.
    pub serving: Option<String>,
}

impl Stage {
    /// The title as the title bar shows it: `3/9 · A network in plain Rust`.
    pub fn title(&self, title: &str) -> String {
        match self.chapter {
            Some((i, n)) => format!("{i}/{n} · {title}"),
            None => title.to_string(),
        }
    }
}

/// What a screen asks of the shell, which owns the terminal and the recorders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request {
    ToggleRecord,
    Screenshot,
    NextChapter,
    PreviousChapter,
    /// The classroom server's lab mode on or off (`nnbook serve`).
    ToggleLab,
}

/// The keys every screen takes the same way, before its own table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChromeAction {
    Quit,
    Help,
    ToggleNotes,
    Record,
    Screenshot,
    NextChapter,
    PrevChapter,
    Save,
    Lab,
}

/// The chrome's table: the first section of every screen's help.
pub const CHROME_BINDINGS: &[Binding<ChromeAction>] = &[
    bind(&[k('q'), ctrl('c')], ChromeAction::Quit, "quit"),
    bind(&[k('?')], ChromeAction::Help, "help"),
    bind(
        &[k('i')],
        ChromeAction::ToggleNotes,
        "show / hide the chapter's notes",
    ),
    bind(
        &[k('g')],
        ChromeAction::Record,
        "start / stop GIF recording",
    ),
    bind(
        &[k('P')],
        ChromeAction::Screenshot,
        "save the screen as PNG",
    ),
    bind(
        &[k('n')],
        ChromeAction::NextChapter,
        "next chapter (lecture mode)",
    ),
    bind(
        &[k('p')],
        ChromeAction::PrevChapter,
        "previous chapter (lecture mode)",
    ),
    bind(&[k('W')], ChromeAction::Save, "save the setup to its file"),
    bind(
        &[k('L')],
        ChromeAction::Lab,
        "lab mode on / off (nnbook serve)",
    ),
];

/// Where the scenario on screen came from, for saving it.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Source {
    /// Nowhere to save (built in a test, or side by side).
    #[default]
    None,
    /// A scenario file.
    File(PathBuf),
    /// A bundled chapter, by name: saved to a new file in the current folder.
    Bundled(String),
}

/// Why a chapter could not open.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("{title}: making the data: {source}")]
    Data {
        title: String,
        #[source]
        source: DataError,
    },
    #[error("{title}: {source}")]
    Session {
        title: String,
        #[source]
        source: SessionError,
    },
    #[error("{title} is not {want}")]
    Kind { title: String, want: &'static str },
}

/// What every screen shows around its body, owned once per screen.
pub struct Chrome {
    pub title: String,
    pub notes: String,
    pub palette: Palette,
    /// The help overlay is open, at this page.
    pub help: bool,
    pub help_page: usize,
    /// How many pages the help took when last drawn.
    help_pages: Cell<usize>,
    /// The last status line had no room for the message: it is drawn in its box, on top.
    message_boxed: Cell<bool>,
    /// The message the status line shows (an info message expires; an error stays until a
    /// key is pressed).
    pub message: Option<Message>,
    /// The scenario editor, when open.
    pub editor: Option<Editor>,
    /// Where the scenario came from: relative data paths resolve against its folder.
    pub dir: Option<PathBuf>,
    /// The file (or bundled chapter) the setup is saved to.
    pub source: Source,
    pub quit: bool,
    /// Something on screen changed since the last frame.
    pub dirty: bool,
    /// The recording in progress, as the status line shows it.
    pub recording: Option<String>,
    /// Lecture place, presenter mode, notes overlay.
    pub stage: Stage,
    requests: Vec<Request>,
}

impl Chrome {
    pub fn new(sc: &Scenario, dir: Option<PathBuf>, mode: ColorMode) -> Self {
        Chrome {
            title: sc.title.clone(),
            notes: sc.notes.clone(),
            palette: Palette::new(mode),
            help: false,
            help_page: 0,
            help_pages: Cell::new(1),
            message_boxed: Cell::new(false),
            message: None,
            editor: None,
            dir,
            source: Source::None,
            quit: false,
            dirty: true,
            recording: None,
            stage: Stage::default(),
            requests: Vec::new(),
        }
    }

    /// Tells the user something in the status line for a few seconds.
    pub fn say(&mut self, msg: impl Into<String>) {
        self.message = Some(Message::info(msg));
        self.dirty = true;
    }

    /// Tells the user something went wrong; it stays until the next key.
    pub fn warn(&mut self, msg: impl Into<String>) {
        self.message = Some(Message::error(msg));
        self.dirty = true;
    }

    /// Shows `m` as it is: an info message or an error.
    pub fn tell(&mut self, m: Message) {
        if m.error {
            self.warn(m.text);
        } else {
            self.say(m.text);
        }
    }

    /// Asks the shell for something; requests are kept in order, none is lost.
    pub fn request(&mut self, r: Request) {
        self.requests.push(r);
    }

    /// The requests since the last call, oldest first.
    pub fn take_requests(&mut self) -> Vec<Request> {
        std::mem::take(&mut self.requests)
    }

    /// What the status line says about a recording in progress.
    pub fn set_recording(&mut self, rec: Option<String>) {
        if self.recording != rec {
            self.recording = rec;
            self.dirty = true;
        }
    }

    /// Opens the editor on `text` (the scenario as it runs now).
    pub fn open_editor(&mut self, text: &str) {
        self.message = None;
        self.editor = Some(Editor::open(text, &self.palette));
    }

    /// The title with its lecture place: `3/9 · A network in plain Rust`.
    pub fn full_title(&self) -> String {
        self.stage.title(&self.title)
    }

    /// The rows of the screen (title, body, status), or `None` after saying the terminal is
    /// too small.
    pub fn rows(&self, frame: &mut Frame) -> Option<[Rect; 3]> {
        draw::screen_rows(frame, self.stage.presenter)
    }

    /// The title row: the banner in presenter mode, else the title, `details` (cut before
    /// they reach `right`) and `right` (the counter and run state) on the right.
    pub fn draw_title(&self, frame: &mut Frame, area: Rect, details: String, right: String) {
        if self.stage.presenter {
            draw::banner(frame, area, &self.full_title(), &self.palette);
            return;
        }
        let left = Line::from(vec![
            Span::styled(
                format!(" {} ", self.full_title()),
                ratatui::style::Style::default().add_modifier(ratatui::style::Modifier::BOLD),
            ),
            Span::styled(
                details,
                ratatui::style::Style::default().fg(self.palette.dim()),
            ),
        ]);
        draw::title_bar(frame, area, left, Line::from(right));
    }

    /// The status line: `spans`, the recording badge, the message (on a line of its own when
    /// it does not fit) and the key hints.
    pub fn draw_status(
        &self,
        frame: &mut Frame,
        area: Rect,
        mut spans: Vec<Span<'_>>,
        hints: &str,
    ) {
        if let Some(rec) = &self.recording {
            spans.insert(1.min(spans.len()), draw::rec_span(rec, &self.palette));
        }
        if let Some(s) = &self.stage.serving {
            spans.insert(1.min(spans.len()), draw::serving_span(s, &self.palette));
        }
        let boxed = draw::status_bar(
            frame,
            area,
            spans,
            self.message.as_ref(),
            hints,
            self.stage.presenter,
            &self.palette,
        );
        self.message_boxed.set(boxed);
    }

    fn act(&mut self, a: ChromeAction) {
        match a {
            ChromeAction::Quit => self.quit = true,
            ChromeAction::Help => {
                self.help = true;
                self.help_page = 0;
            }
            ChromeAction::ToggleNotes => self.stage.show_notes = !self.stage.show_notes,
            ChromeAction::Record => self.request(Request::ToggleRecord),
            ChromeAction::Screenshot => self.request(Request::Screenshot),
            ChromeAction::NextChapter => self.request(Request::NextChapter),
            ChromeAction::PrevChapter => self.request(Request::PreviousChapter),
            // Needs the view's scenario: `key` does it.
            ChromeAction::Save => {}
            ChromeAction::Lab => self.request(Request::ToggleLab),
        }
    }
}

/// A kind of chapter on screen. The chrome's part (help, notes, messages, the editor, the
/// shell's requests) is done once, by [`update`] and [`draw`]; a view does its own part.
pub trait View {
    fn chrome(&self) -> &Chrome;
    fn chrome_mut(&mut self) -> &mut Chrome;
    /// A key the chrome did not take.
    fn key(&mut self, k: KeyEvent);
    /// A mouse event the chrome did not take (the screen knows where its panels are).
    fn mouse(&mut self, _m: MouseEvent) {}
    /// The trainer published something.
    fn trained(&mut self) {}
    /// Time passed (a race advances, the landscape is tended).
    fn tick(&mut self) {}
    /// The body: title row, panels, status line. The chrome draws its overlays on top.
    fn render(&self, frame: &mut Frame);
    /// The screen's own key reference, after the chrome's section.
    fn sections(&self) -> Vec<Section>;
    /// Wants a tick every frame (it advances on the UI thread).
    fn animating(&self) -> bool {
        false
    }
    fn dirty(&self) -> bool {
        self.chrome().dirty
    }
    fn drawn(&mut self) {
        self.chrome_mut().dirty = false;
    }
    /// Why the screen had to stop, if it failed.
    fn error(&self) -> Option<String> {
        None
    }
    /// Starts running, or leaves the view paused.
    fn start(&mut self, run: bool);
    /// The scenario as it runs now, if this view can edit it.
    fn scenario(&self) -> Option<Scenario> {
        None
    }
    /// Takes an edited scenario: a message saying what happened, or why it was refused (the
    /// view then runs on unchanged).
    fn apply(&mut self, _sc: Scenario) -> Result<String, String> {
        Err("this view has no editor".into())
    }
    /// Epochs or steps the scenario asks for (the export's default length).
    fn length(&self) -> usize;
    /// Headless: `n` epochs or steps, inline and reproducible, then shows the result.
    fn advance(&mut self, n: usize);
    /// The screen as a figure in the notebooks' look, `w`×`h` pixels.
    fn figure(&self, w: u32, h: u32) -> Result<Image, Box<dyn std::error::Error>>;
    /// One tile of a contact sheet (`export --sheet`): the boundary now, `w`×`h` pixels,
    /// captioned with the epoch and score. `None` where the screen has no boundary.
    fn tile(&self, _w: u32, _h: u32) -> Option<Result<Image, Box<dyn std::error::Error>>> {
        None
    }
    /// A slow link was measured (or the mode asked for): refresh the costliest parts less
    /// often. Screens with more to save (the attractor's spin) add to this.
    fn set_low_bandwidth(&mut self, on: bool) {
        self.chrome_mut().stage.low_bandwidth = on;
    }
}

/// Lines of a paste as the editor wants them: terminals send CR (or CR LF) between lines.
pub fn paste_lines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// The one entry point: every event goes through here, the chrome first.
pub fn update(view: &mut dyn View, ev: Event) {
    match ev {
        Event::Key(k) => key(view, k),
        Event::Paste(s) => {
            let c = view.chrome_mut();
            if let Some(ed) = &mut c.editor {
                ed.text.insert_str(paste_lines(&s));
                c.dirty = true;
            }
        }
        Event::Mouse(m) => {
            let c = view.chrome_mut();
            // Over the editor or an overlay the mouse does nothing but close the help.
            if c.editor.is_some() || c.stage.show_notes {
                return;
            }
            if c.help {
                if matches!(m.kind, MouseEventKind::Down(_)) {
                    c.help = false;
                    c.dirty = true;
                }
                return;
            }
            view.mouse(m);
        }
        Event::Resize(..) | Event::Resumed => view.chrome_mut().dirty = true,
        Event::Answered | Event::Suspend | Event::Remote => {}
        Event::Trained => view.trained(),
        Event::Tick => {
            view.tick();
            let c = view.chrome_mut();
            if c.message.as_ref().is_some_and(Message::expired) {
                c.message = None;
                c.dirty = true;
            }
        }
        Event::Terminate => view.chrome_mut().quit = true,
    }
}

fn key(view: &mut dyn View, k: KeyEvent) {
    let c = view.chrome_mut();
    c.dirty = true;
    if let Some(ed) = &mut c.editor {
        let dir = c.dir.clone();
        match ed.key(k, dir.as_deref()) {
            EditorOutcome::Editing => {}
            EditorOutcome::Quit => c.quit = true,
            EditorOutcome::Discard => {
                c.editor = None;
                c.say("edit discarded");
            }
            EditorOutcome::Parsed(sc, and_save) => match view.apply(*sc) {
                Ok(msg) => {
                    let c = view.chrome_mut();
                    c.editor = None;
                    c.say(msg);
                    if and_save {
                        save(view);
                    }
                }
                Err(e) => {
                    if let Some(ed) = &mut view.chrome_mut().editor {
                        ed.error = Some(e);
                    }
                }
            },
        }
        return;
    }
    // An error stays until the user has seen it and pressed a key.
    if c.message.as_ref().is_some_and(|m| m.error) {
        c.message = None;
    }
    let action = keymap::lookup(CHROME_BINDINGS, &k, None);
    if c.help {
        // Space turns the help's pages; any other key closes it; q and Ctrl-C still quit.
        if k.code == KeyCode::Char(' ') && c.help_page + 1 < c.help_pages.get() {
            c.help_page += 1;
            return;
        }
        c.help = false;
        if action == Some(ChromeAction::Quit) {
            c.quit = true;
        }
        return;
    }
    match action {
        Some(ChromeAction::Save) => save(view),
        Some(a) => c.act(a),
        None => view.key(k),
    }
}

/// Writes the setup on screen back to its scenario file (`W`, the editor's Ctrl-O) with
/// `toml_edit`, so the file keeps its comments and layout; a bundled chapter goes to a new
/// file in the current folder, which later saves update. The status names the full path.
pub fn save(view: &mut dyn View) {
    let Some(sc) = view.scenario() else {
        view.chrome_mut().warn(
            "this screen has no setup to save (runs side by side and the attractor: edit the file)",
        );
        return;
    };
    let c = view.chrome_mut();
    match save_to(&c.source, &sc) {
        Ok(path) => {
            let shown = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            c.say(format!("saved the setup to {}", shown.display()));
            c.dir = path.parent().map(|d| d.to_path_buf());
            c.source = Source::File(path);
        }
        Err(e) => c.warn(format!("not saved: {e}")),
    }
}

/// Writes `text` to `path` whole: a temporary file beside it, renamed into place.
fn write_whole(path: &std::path::Path, text: &str) -> Result<(), String> {
    let tmp = path.with_extension("toml.nnbook-tmp");
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn save_to(source: &Source, sc: &Scenario) -> Result<PathBuf, String> {
    use crate::scenario::{BUNDLED, DATA, save};
    match source {
        Source::None => Err("this setup has no scenario file to go to".into()),
        Source::File(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            let out = save::update(&text, sc, p.parent())?;
            if out != text {
                write_whole(p, &out)?;
            }
            Ok(p.clone())
        }
        Source::Bundled(name) => {
            let text = BUNDLED
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, t)| *t)
                .ok_or_else(|| format!("no bundled chapter \"{name}\""))?;
            let here = std::env::current_dir().map_err(|e| e.to_string())?;
            let out = save::update(text, sc, None)?;
            let path = save::new_file(&here, name);
            // The chapter's data goes beside it, where its relative path points.
            for (rel, data) in DATA {
                if out.contains(rel) && !here.join(rel).exists() {
                    let f = here.join(rel);
                    if let Some(d) = f.parent() {
                        std::fs::create_dir_all(d).map_err(|e| format!("{}: {e}", d.display()))?;
                    }
                    write_whole(&f, data)?;
                }
            }
            write_whole(&path, &out)?;
            Ok(path)
        }
    }
}

/// Every key reference of `view`: the chrome's, then its own.
pub fn help_sections(view: &dyn View) -> Vec<Section> {
    let mut s = vec![keymap::section(CHROME_BINDINGS, Everywhere, "every screen")];
    s.extend(view.sections());
    s
}

/// Draws `view` and the chrome's overlays (notes, help, editor) over it.
pub fn draw(view: &dyn View, frame: &mut Frame) {
    view.render(frame);
    let c = view.chrome();
    let area = frame.area();
    if area.width < draw::MIN_WIDTH || area.height < draw::MIN_HEIGHT {
        return;
    }
    if c.stage.show_notes {
        overlay::notes(frame, area, &c.full_title(), &c.notes, &c.palette);
    }
    if c.help {
        let pages = overlay::help(
            frame,
            area,
            &help_sections(view),
            &c.palette,
            c.help_page,
            c.stage.link.as_deref(),
        );
        c.help_pages.set(pages);
    }
    if let Some(ed) = &c.editor {
        ed.render(frame, area, &c.palette);
    }
    // A message that did not fit the status line goes over everything, whole.
    if let Some(m) = &c.message
        && c.message_boxed.get()
    {
        draw::message_box(frame, m, &c.palette);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paste_with_carriage_returns_keeps_its_lines() {
        assert_eq!(
            paste_lines("a = 1\rb = 2\r\nc = 3\n"),
            "a = 1\nb = 2\nc = 3\n"
        );
    }

    #[test]
    fn requests_queue_in_order() {
        let sc = crate::scenario::load("playground").unwrap();
        let mut c = Chrome::new(&sc, None, ColorMode::Mono);
        c.act(ChromeAction::PrevChapter);
        c.act(ChromeAction::PrevChapter);
        c.act(ChromeAction::Screenshot);
        assert_eq!(
            c.take_requests(),
            [
                Request::PreviousChapter,
                Request::PreviousChapter,
                Request::Screenshot
            ]
        );
        assert!(c.take_requests().is_empty());
    }
}
