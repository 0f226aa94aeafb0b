//! What the terminal shows: a classifier chapter or an optimizer race. The main loop talks to
//! either through this one type.

use crate::app::App;
use crate::event::Event;
use crate::race::RaceApp;
use ratatui::Frame;

/// How a chapter is presented: its place in a lecture, presenter mode, the notes overlay.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stage {
    /// (chapter, of how many) in lecture mode.
    pub chapter: Option<(usize, usize)>,
    /// Presenter mode: no parameter panel, no key hints, a large title.
    pub presenter: bool,
    /// The chapter's notes are shown over the view.
    pub show_notes: bool,
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

/// What a screen asks of the main loop, which owns the terminal and the recorders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request {
    ToggleRecord,
    Screenshot,
    NextChapter,
    PreviousChapter,
}

pub enum Screen {
    Classifier(Box<App>),
    Race(Box<RaceApp>),
    Compare(Box<crate::compare::CompareApp>),
    Attractor(Box<crate::attractor::AttractorApp>),
}

impl Screen {
    pub fn update(&mut self, ev: Event) {
        match self {
            Screen::Classifier(a) => a.update(ev),
            Screen::Race(r) => r.update(ev),
            Screen::Compare(c) => c.update(ev),
            Screen::Attractor(a) => a.update(ev),
        }
    }

    pub fn render(&self, frame: &mut Frame) {
        match self {
            Screen::Classifier(a) => crate::ui::render(frame, a),
            Screen::Race(r) => crate::ui::contour::render(frame, r),
            Screen::Compare(c) => crate::ui::compare::render(frame, c),
            Screen::Attractor(a) => crate::ui::attractor::render(frame, a),
        }
    }

    /// Something changed since the last frame.
    pub fn dirty(&self) -> bool {
        match self {
            Screen::Classifier(a) => a.dirty,
            Screen::Race(r) => r.dirty,
            Screen::Compare(c) => c.is_dirty(),
            Screen::Attractor(a) => a.dirty,
        }
    }

    pub fn drawn(&mut self) {
        match self {
            Screen::Classifier(a) => a.dirty = false,
            Screen::Race(r) => r.dirty = false,
            Screen::Compare(c) => c.drawn(),
            Screen::Attractor(a) => a.dirty = false,
        }
    }

    pub fn quit(&self) -> bool {
        match self {
            Screen::Classifier(a) => a.quit,
            Screen::Race(r) => r.quit,
            Screen::Compare(c) => c.quit,
            Screen::Attractor(a) => a.quit,
        }
    }

    /// Wants a tick every frame (the race advances on the UI thread).
    pub fn animating(&self) -> bool {
        match self {
            Screen::Classifier(_) => false,
            Screen::Race(r) => r.running,
            Screen::Compare(_) => false,
            Screen::Attractor(a) => a.running,
        }
    }

    /// A request for the main loop, taken once.
    pub fn take_request(&mut self) -> Option<Request> {
        match self {
            Screen::Classifier(a) => a.request.take(),
            Screen::Race(r) => r.request.take(),
            Screen::Compare(c) => c.request.take(),
            Screen::Attractor(a) => a.request.take(),
        }
    }

    /// What the status line says about a recording in progress.
    pub fn set_recording(&mut self, rec: Option<String>) {
        let (slot, dirty) = match self {
            Screen::Classifier(a) => (&mut a.recording, &mut a.dirty),
            Screen::Race(r) => (&mut r.recording, &mut r.dirty),
            Screen::Compare(c) => (&mut c.recording, &mut c.dirty),
            Screen::Attractor(a) => (&mut a.recording, &mut a.dirty),
        };
        if *slot != rec {
            *slot = rec;
            *dirty = true;
        }
    }

    pub fn say(&mut self, msg: impl Into<String>) {
        match self {
            Screen::Classifier(a) => a.say(msg),
            Screen::Race(r) => r.say(msg),
            Screen::Compare(c) => c.say(msg),
            Screen::Attractor(a) => a.say(msg),
        }
    }

    pub fn stage_mut(&mut self) -> &mut Stage {
        match self {
            Screen::Classifier(a) => &mut a.stage,
            Screen::Race(r) => &mut r.stage,
            Screen::Compare(c) => &mut c.stage,
            Screen::Attractor(a) => &mut a.stage,
        }
    }

    pub fn title(&self) -> &str {
        match self {
            Screen::Classifier(a) => &a.title,
            Screen::Race(r) => &r.title,
            Screen::Compare(c) => &c.title,
            Screen::Attractor(a) => &a.title,
        }
    }

    /// Why the screen had to stop, if it failed.
    pub fn error(&self) -> Option<String> {
        match self {
            Screen::Classifier(a) => a.error.clone(),
            Screen::Race(_) => None,
            Screen::Compare(c) => c.error(),
            Screen::Attractor(_) => None,
        }
    }
}
