//! The classifier chapter: one network learning a 2-D problem, its decision boundary as a
//! Braille heatmap beside scrolling loss and accuracy charts, its parameters and weights.
//!
//! `state` holds the run and what each key does, `view` draws it (with `charts`,
//! `params_panel`, `landscape`, `activations`), `keys` is its binding table, `params` the
//! settings its panel steps through, `figure` the export's notebook-style picture.

pub mod activations;
pub mod charts;
pub mod confusion;
pub mod draw;
pub mod figure;
pub mod keys;
pub mod landscape;
pub mod network;
pub mod params;
pub mod params_panel;
pub mod rewind;
pub mod run;
pub mod shown;
pub mod state;
pub mod view;

pub use state::ClassifierView;

use super::view::{Chrome, View};
use crate::export::raster::Image;
use crate::keymap::{Context, Section, section};
use crate::scenario::Scenario;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, MouseEvent};

/// The classifier's key reference: screen-wide keys, then each panel's.
pub fn sections() -> Vec<Section> {
    vec![
        section(keys::BINDINGS, Context::Everywhere, "classifier"),
        section(
            keys::BINDINGS,
            Context::In(keys::BOUNDARY),
            "boundary panel",
        ),
        section(keys::BINDINGS, Context::In(keys::NETWORK), "network panel"),
        section(keys::BINDINGS, Context::In(keys::CHARTS), "charts"),
        section(
            keys::BINDINGS,
            Context::In(keys::PARAMS),
            "parameters panel",
        ),
    ]
}

impl View for ClassifierView {
    fn chrome(&self) -> &Chrome {
        &self.chrome
    }
    fn chrome_mut(&mut self) -> &mut Chrome {
        &mut self.chrome
    }
    fn key(&mut self, k: KeyEvent) {
        ClassifierView::key(self, k);
    }
    fn mouse(&mut self, m: MouseEvent) {
        ClassifierView::mouse(self, m);
    }
    fn trained(&mut self) {
        ClassifierView::trained(self);
    }
    fn tick(&mut self) {
        ClassifierView::tick(self);
    }
    fn render(&self, frame: &mut Frame) {
        view::render(frame, self);
    }
    fn sections(&self) -> Vec<Section> {
        sections()
    }
    fn error(&self) -> Option<String> {
        self.run.error.clone()
    }
    fn start(&mut self, run: bool) {
        ClassifierView::start(self, run);
    }
    fn scenario(&self) -> Option<Scenario> {
        Some(ClassifierView::scenario(self))
    }
    fn apply(&mut self, sc: Scenario) -> Result<String, String> {
        self.apply_edit(sc)
    }
    fn length(&self) -> usize {
        self.spec().train.epochs
    }
    fn advance(&mut self, n: usize) {
        self.run.train_inline(n);
        self.pull();
    }
    fn figure(&self, w: u32, h: u32) -> Result<Image, Box<dyn std::error::Error>> {
        figure::classifier(self, w, h)
    }
    fn tile(&self, w: u32, h: u32) -> Option<Result<Image, Box<dyn std::error::Error>>> {
        Some(figure::tile(self, w, h))
    }
}
