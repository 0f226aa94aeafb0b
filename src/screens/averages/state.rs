//! The moving-averages view's state: the noisy series, how much of it is shown, the averages.

use super::keys::{AvgAction, BINDINGS};
use crate::dynamics::averages::{ewa, noisy_walk};
use crate::keymap;
use crate::scenario::{AveragesSpec, Scenario};
use crate::screens::view::Chrome;
use crate::widgets::palette::ColorMode;
use ratatui::crossterm::event::KeyEvent;
use std::time::Instant;

/// Points a second the curves grow at.
pub const SPEEDS: [f64; 7] = [2.0, 5.0, 10.0, 20.0, 40.0, 80.0, 200.0];

pub struct AveragesView {
    /// Title, notes, messages, help, editor: what every screen has.
    pub chrome: Chrome,
    pub spec: AveragesSpec,
    pub seed: u64,
    /// The noisy series, all of it (drawn up to `shown`).
    pub xs: Vec<f64>,
    /// Points drawn so far (1 ..= the series' length; 0 before the first).
    pub shown: usize,
    pub corrected: bool,
    pub raw: bool,
    pub running: bool,
    pub speed: usize,
    allowance: f64,
    last_advance: Instant,
}

impl AveragesView {
    pub fn new(sc: &Scenario, spec: AveragesSpec, mode: ColorMode) -> Self {
        AveragesView {
            chrome: Chrome::new(sc, None, mode),
            xs: noisy_walk(spec.points, spec.noise, sc.seed),
            seed: sc.seed,
            corrected: spec.bias_correction,
            spec,
            shown: 1,
            raw: true,
            running: false,
            speed: 3,
            allowance: 0.0,
            last_advance: Instant::now(),
        }
    }

    /// Every average over the points shown, one per β: `v[i][t-1]` is v_t of `betas[i]`.
    pub fn averages(&self) -> Vec<Vec<f64>> {
        let xs = &self.xs[..self.shown.min(self.xs.len())];
        self.spec
            .betas
            .iter()
            .map(|&b| ewa(xs, b, self.corrected))
            .collect()
    }

    /// Grows the curves for the time since the last call; pauses at the series' end.
    pub fn play(&mut self) {
        let now = Instant::now();
        let dt = now.duration_since(self.last_advance).as_secs_f64().min(0.5);
        self.last_advance = now;
        if !self.running {
            return;
        }
        self.allowance += dt * SPEEDS[self.speed];
        while self.allowance >= 1.0 {
            self.allowance -= 1.0;
            if self.shown >= self.xs.len() {
                self.running = false;
                self.chrome
                    .say("every point is in; r starts again, R draws a new series");
                break;
            }
            self.shown += 1;
        }
        self.chrome.dirty = true;
    }

    /// A key the chrome did not take.
    pub fn key(&mut self, k: KeyEvent) {
        if let Some(a) = keymap::lookup(BINDINGS, &k, None) {
            self.act(a);
        }
    }

    pub fn act(&mut self, a: AvgAction) {
        self.chrome.dirty = true;
        match a {
            AvgAction::TogglePause if self.chrome.stage.show_notes => {
                self.chrome.stage.show_notes = false;
                self.act(AvgAction::TogglePause);
            }
            AvgAction::TogglePause => {
                if !self.running && self.shown >= self.xs.len() {
                    self.shown = 1;
                }
                self.running = !self.running;
                self.last_advance = Instant::now();
            }
            AvgAction::Step => {
                self.running = false;
                self.shown = (self.shown + 1).min(self.xs.len());
            }
            AvgAction::Back => {
                self.running = false;
                self.shown = self.shown.saturating_sub(1).max(1);
            }
            AvgAction::Restart => self.shown = 1,
            AvgAction::Reseed => {
                self.seed = self.seed.wrapping_add(1);
                self.xs = noisy_walk(self.spec.points, self.spec.noise, self.seed);
                self.shown = 1;
                self.chrome.say(format!("a new series, seed {}", self.seed));
            }
            AvgAction::Faster => self.speed = (self.speed + 1).min(SPEEDS.len() - 1),
            AvgAction::Slower => self.speed = self.speed.saturating_sub(1),
            AvgAction::ToggleCorrection => {
                self.corrected = !self.corrected;
                self.chrome.say(if self.corrected {
                    "bias corrected: v / (1 − βᵗ) starts at the data, as Adam's m̂ and v̂ do"
                } else {
                    "uncorrected: every average starts at 0 and lags, the larger β the longer"
                });
            }
            AvgAction::ToggleRaw => self.raw = !self.raw,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> AveragesView {
        let sc = crate::scenario::load("moving-averages").expect("bundled");
        let crate::scenario::Body::Averages(spec) = sc.body.clone() else {
            panic!("not an averages chapter")
        };
        AveragesView::new(&sc, spec, ColorMode::Mono)
    }

    #[test]
    fn the_curves_grow_point_by_point_and_pause_at_the_end() {
        let mut a = view();
        assert_eq!(a.shown, 1);
        a.act(AvgAction::Step);
        a.act(AvgAction::Step);
        assert_eq!(a.shown, 3);
        assert!(a.averages().iter().all(|v| v.len() == 3));
        a.act(AvgAction::Back);
        assert_eq!(a.shown, 2);
        a.speed = SPEEDS.len() - 1;
        a.running = true;
        while a.running {
            a.last_advance -= std::time::Duration::from_millis(500);
            a.play();
        }
        assert_eq!(a.shown, a.spec.points, "paused at the last point");
        // Space at the end starts again from the first point.
        a.act(AvgAction::TogglePause);
        assert!(a.running);
        assert_eq!(a.shown, 1);
    }

    #[test]
    fn the_correction_moves_the_start_and_not_the_end() {
        let mut a = view();
        a.shown = a.spec.points;
        a.corrected = false;
        let raw = a.averages();
        a.act(AvgAction::ToggleCorrection);
        let fixed = a.averages();
        // At the start the uncorrected average is pulled towards 0; the corrected one is the
        // first point itself. Late in the series the two agree (β^t has died away).
        for (u, c) in raw.iter().zip(&fixed) {
            assert!((c[0] - a.xs[0]).abs() < 1e-12);
            assert!(u[0].abs() < c[0].abs() || a.xs[0] == 0.0);
            let (ue, ce) = (u[u.len() - 1], c[c.len() - 1]);
            assert!((ue - ce).abs() <= 0.02 * ce.abs() + 1e-9, "{ue} {ce}");
        }
        a.act(AvgAction::Reseed);
        assert_eq!(a.shown, 1);
        assert_ne!(a.seed, 0);
    }
}
