//! Runs side by side: several networks trained at once on the same data, each with its own
//! trainer and boundary panel, sharing one pair of charts. Run controls (pause, step, reset,
//! speed, layers) act on all runs; optimizer keys act on the selected one (tab selects).
//! The one screen that uses another's parts: each run is a classifier run.

pub mod figure;
pub mod keys;
pub mod state;
pub mod view;

pub use state::CompareView;

use super::view::{Chrome, View};
use crate::export::raster::Image;
use crate::keymap::{Context, Section, section};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;

pub fn sections() -> Vec<Section> {
    vec![section(
        keys::BINDINGS,
        Context::Everywhere,
        "side by side: every run, or the selected one",
    )]
}

impl View for CompareView {
    fn chrome(&self) -> &Chrome {
        &self.chrome
    }
    fn chrome_mut(&mut self) -> &mut Chrome {
        &mut self.chrome
    }
    fn key(&mut self, k: KeyEvent) {
        CompareView::key(self, k);
    }
    fn trained(&mut self) {
        self.pull();
    }
    fn render(&self, frame: &mut Frame) {
        view::render(frame, self);
    }
    fn sections(&self) -> Vec<Section> {
        sections()
    }
    fn error(&self) -> Option<String> {
        CompareView::error(self)
    }
    fn start(&mut self, run: bool) {
        CompareView::start(self, run);
    }
    fn length(&self) -> usize {
        self.runs.first().map_or(0, |(_, a)| a.spec().train.epochs)
    }
    fn advance(&mut self, n: usize) {
        for (_, run) in &mut self.runs {
            run.train_inline(n);
        }
        self.pull();
    }
    fn figure(&self, w: u32, h: u32) -> Result<Image, Box<dyn std::error::Error>> {
        figure::compare(self, w, h)
    }
}
