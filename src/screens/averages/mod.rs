//! The moving-averages chapter: exponentially weighted averages of a noisy series for several
//! weights β, each curve growing point by point, with Adam's bias correction as a toggle —
//! the optimizers notebook's way into momentum (β) and Adam (β1, β2).

pub mod figure;
pub mod keys;
pub mod state;
pub mod view;

pub use state::AveragesView;

use super::view::{Chrome, View};
use crate::export::raster::Image;
use crate::keymap::{Context, Section, section};
use crate::scenario::{Body, Scenario};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;

pub fn sections() -> Vec<Section> {
    vec![section(
        keys::BINDINGS,
        Context::Everywhere,
        "moving averages",
    )]
}

impl View for AveragesView {
    fn chrome(&self) -> &Chrome {
        &self.chrome
    }
    fn chrome_mut(&mut self) -> &mut Chrome {
        &mut self.chrome
    }
    fn key(&mut self, k: KeyEvent) {
        AveragesView::key(self, k);
    }
    fn tick(&mut self) {
        self.play();
    }
    fn render(&self, frame: &mut Frame) {
        view::render(frame, self);
    }
    fn sections(&self) -> Vec<Section> {
        sections()
    }
    fn animating(&self) -> bool {
        self.running
    }
    fn start(&mut self, run: bool) {
        self.running = run;
    }
    fn scenario(&self) -> Option<Scenario> {
        Some(Scenario {
            title: self.chrome.title.clone(),
            seed: self.seed,
            notes: self.chrome.notes.clone(),
            view: Default::default(),
            body: Body::Averages(crate::scenario::AveragesSpec {
                bias_correction: self.corrected,
                ..self.spec.clone()
            }),
        })
    }
    fn length(&self) -> usize {
        self.spec.points
    }
    fn advance(&mut self, n: usize) {
        self.shown = (self.shown + n).min(self.spec.points);
        self.chrome.dirty = true;
    }
    fn figure(&self, w: u32, h: u32) -> Result<Image, Box<dyn std::error::Error>> {
        figure::averages(self, w, h)
    }
}
