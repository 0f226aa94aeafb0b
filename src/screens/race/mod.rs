//! The optimizer race: optimizers stepping over a 2-D surface from one start, drawn over its
//! contour map with a legend of live read-outs and a chart of f by step. Steps are cheap, so
//! the race runs time-sliced on the UI thread.

pub mod contour;
pub mod figure;
pub mod keys;
pub mod state;
pub mod three_d;
pub mod view;

pub use state::RaceView;

use super::view::{Chrome, View};
use crate::export::raster::Image;
use crate::keymap::{Context, Section, section};
use crate::scenario::Scenario;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;

pub fn sections() -> Vec<Section> {
    vec![
        section(keys::BINDINGS, Context::Everywhere, "optimizer race"),
        section(
            keys::BINDINGS,
            Context::In(keys::THREE_D),
            "3-D view (v; its keys win while it is shown)",
        ),
    ]
}

impl View for RaceView {
    fn chrome(&self) -> &Chrome {
        &self.chrome
    }
    fn chrome_mut(&mut self) -> &mut Chrome {
        &mut self.chrome
    }
    fn key(&mut self, k: KeyEvent) {
        RaceView::key(self, k);
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
        self.running || (self.three_d && self.spin)
    }
    fn start(&mut self, run: bool) {
        self.running = run;
    }
    fn scenario(&self) -> Option<Scenario> {
        Some(RaceView::scenario(self))
    }
    fn apply(&mut self, sc: Scenario) -> Result<String, String> {
        self.apply_edit(sc)
    }
    fn length(&self) -> usize {
        self.race.spec.steps
    }
    fn advance(&mut self, n: usize) {
        for _ in 0..n {
            self.race.step();
        }
        self.chrome.dirty = true;
    }
    fn figure(&self, w: u32, h: u32) -> Result<Image, Box<dyn std::error::Error>> {
        figure::race(self, w, h)
    }
}
