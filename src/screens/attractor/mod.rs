//! The animated-graphs chapter: the Lorenz attractor from nearby starts, drawn as a rotating
//! 3-D projection with trails, so the audience sees the trajectories part.

pub mod figure;
pub mod keys;
pub mod state;
pub mod view;

pub use state::AttractorView;

use super::view::{Chrome, View};
use crate::export::raster::Image;
use crate::keymap::{Context, Section, section};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;

pub fn sections() -> Vec<Section> {
    vec![section(keys::BINDINGS, Context::Everywhere, "attractor")]
}

impl View for AttractorView {
    fn set_low_bandwidth(&mut self, on: bool) {
        let was = self.chrome.stage.low_bandwidth;
        self.chrome.stage.low_bandwidth = on;
        if on && !was && self.spin {
            // A turning figure redraws every cell of it every frame.
            self.spin = false;
            self.chrome
                .say("low-bandwidth mode: the spin is off (o turns it back on)");
        }
    }
    fn chrome(&self) -> &Chrome {
        &self.chrome
    }
    fn chrome_mut(&mut self) -> &mut Chrome {
        &mut self.chrome
    }
    fn key(&mut self, k: KeyEvent) {
        AttractorView::key(self, k);
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
    fn length(&self) -> usize {
        self.spec.steps
    }
    fn advance(&mut self, n: usize) {
        for _ in 0..n {
            self.flow.step();
        }
        // A steady turn per frame, so the export is reproducible.
        if self.spin {
            self.angle += 0.004;
        }
        self.chrome.dirty = true;
    }
    fn figure(&self, w: u32, h: u32) -> Result<Image, Box<dyn std::error::Error>> {
        figure::attractor(self, w, h)
    }
}
