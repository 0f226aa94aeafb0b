//! The animated-graphs chapter: the Lorenz attractor from nearby starts, drawn as a rotating
//! 3-D projection with trails, so the audience sees the trajectories part.

use super::keys::{BINDINGS, FlowAction};
use crate::dynamics::Flow;
use crate::keymap;
use crate::scenario::{LorenzSpec, Scenario};
use crate::screens::view::Chrome;
use crate::widgets::palette::ColorMode;
use ratatui::crossterm::event::KeyEvent;
use std::time::Instant;

/// Integration steps per second (one time unit is 100 steps at dt 0.01).
pub const SPEEDS: [f64; 8] = [10.0, 25.0, 50.0, 100.0, 200.0, 400.0, 800.0, 1600.0];
/// Trail lengths in steps; 0 draws the whole path.
pub const TRAILS: [usize; 6] = [100, 300, 1000, 3000, 10_000, 0];
/// Steps per `.` press.
const FRAME_STEPS: usize = 10;

pub struct AttractorView {
    /// Title, notes, messages, help, editor: what every screen has.
    pub chrome: Chrome,
    pub spec: LorenzSpec,
    pub flow: Flow,
    pub running: bool,
    pub speed: usize,
    allowance: f64,
    last_advance: Instant,
    /// Rotation about the vertical (z) axis and the view's elevation, in radians.
    pub angle: f64,
    pub tilt: f64,
    pub spin: bool,
    pub trail: usize,
}

impl AttractorView {
    pub fn new(sc: &Scenario, spec: LorenzSpec, mode: ColorMode) -> Self {
        AttractorView {
            chrome: Chrome::new(sc, None, mode),
            flow: Flow::new(spec.system, spec.dt, spec.starts.clone()),
            spec,
            running: false,
            speed: 3,
            allowance: 0.0,
            last_advance: Instant::now(),
            angle: 0.3,
            tilt: 0.25,
            spin: true,
            trail: 2,
        }
    }

    /// Integrates for the time since the last call; the view turns slowly while it runs.
    pub fn play(&mut self) {
        let now = Instant::now();
        let dt = now.duration_since(self.last_advance).as_secs_f64().min(0.5);
        self.last_advance = now;
        if !self.running {
            return;
        }
        let sps = SPEEDS[self.speed];
        self.allowance += dt * sps;
        while self.allowance >= 1.0 {
            self.flow.step();
            self.allowance -= 1.0;
            if self.flow.steps == self.spec.steps {
                self.running = false;
                self.chrome.say(format!(
                    "reached the scenario's {} steps; space goes on",
                    self.spec.steps
                ));
                break;
            }
        }
        if self.spin {
            self.angle += 0.25 * dt;
        }
        self.chrome.dirty = true;
    }

    /// A key the chrome did not take.
    pub fn key(&mut self, k: KeyEvent) {
        if let Some(a) = keymap::lookup(BINDINGS, &k, None) {
            self.act(a);
        }
    }

    pub fn act(&mut self, a: FlowAction) {
        self.chrome.dirty = true;
        match a {
            FlowAction::TogglePause if self.chrome.stage.show_notes => {
                self.chrome.stage.show_notes = false;
                self.act(FlowAction::TogglePause);
            }
            FlowAction::TogglePause => {
                self.running = !self.running;
                self.last_advance = Instant::now();
            }
            FlowAction::Step => {
                self.running = false;
                for _ in 0..FRAME_STEPS {
                    self.flow.step();
                }
            }
            FlowAction::Restart => self.flow.restart(),
            FlowAction::Faster => self.speed = (self.speed + 1).min(SPEEDS.len() - 1),
            FlowAction::Slower => self.speed = self.speed.saturating_sub(1),
            FlowAction::RotateLeft => self.angle -= 0.15,
            FlowAction::RotateRight => self.angle += 0.15,
            FlowAction::TiltUp => self.tilt = (self.tilt + 0.1).min(1.45),
            FlowAction::TiltDown => self.tilt = (self.tilt - 0.1).max(-1.45),
            FlowAction::ToggleSpin => {
                self.spin = !self.spin;
                self.chrome.say(if self.spin {
                    "spin on: the view turns slowly (←→ turn it by hand)"
                } else {
                    "spin off: the view holds still (←→ turn it, ↑↓ tilt it)"
                });
            }
            FlowAction::TrailLonger if self.trail + 1 == TRAILS.len() => self
                .chrome
                .say("the trail is the whole path already (T shortens it)"),
            FlowAction::TrailShorter if self.trail == 0 => self.chrome.say(format!(
                "the trail is at its shortest, {} steps (t lengthens it)",
                TRAILS[0]
            )),
            FlowAction::TrailLonger => self.trail += 1,
            FlowAction::TrailShorter => self.trail -= 1,
        }
    }

    /// A point projected on the screen plane: rotated by `angle` about z, viewed from
    /// `tilt` above the xy plane. Returns (horizontal, vertical).
    pub fn project(&self, [x, y, z]: [f64; 3]) -> (f64, f64) {
        let (s, c) = self.angle.sin_cos();
        let (u, depth) = (x * c - y * s, x * s + y * c);
        let (st, ct) = self.tilt.sin_cos();
        // The attractor's centre (z ≈ ρ − 1) sits mid-screen.
        let zc = z - (self.spec.system.rho - 1.0);
        (u, zc * ct + depth * st)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn space_goes_on_past_the_scenario_steps() {
        let sc = crate::scenario::load("lorenz").unwrap();
        let crate::scenario::Body::Lorenz(mut spec) = sc.body.clone() else {
            panic!()
        };
        spec.steps = 30;
        let mut a = AttractorView::new(&sc, spec, ColorMode::Mono);
        a.speed = SPEEDS.len() - 1;
        a.running = true;
        while a.running {
            a.last_advance -= std::time::Duration::from_millis(100);
            a.play();
        }
        assert_eq!(a.flow.steps, 30, "paused at the scenario's steps");
        a.act(FlowAction::TogglePause);
        for _ in 0..3 {
            a.last_advance -= std::time::Duration::from_millis(100);
            a.play();
        }
        assert!(a.running, "paused again at step {}", a.flow.steps);
        assert!(a.flow.steps > 31, "{}", a.flow.steps);
    }
}
