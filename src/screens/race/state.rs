//! The optimizer race view's state and its `update`: racers stepping over a surface, steered
//! from the keyboard. Steps are cheap, so the race runs time-sliced on the UI thread.

use super::contour::{ContourCache, HeightGrid};
use super::keys::{BINDINGS, RaceAction, THREE_D};
use crate::keymap;
use crate::optim::{OptimizerConfig, OptimizerKind, fmt_num};
use crate::scenario::{Body, Race, Racer, Scenario};
use crate::screens::editor::other_kind;
use crate::screens::ladder::{LR_LADDER, PER_SECOND, ladder};
use crate::screens::view::Chrome;
use crate::surface::{SurfaceKind, SurfaceParams, View};
use crate::train::RaceRun;
use crate::widgets::palette::ColorMode;
use crate::widgets::surface3d::Orbit;
use ratatui::crossterm::event::KeyEvent;
use std::cell::RefCell;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Steps per second; `None` is as fast as a frame's time slice allows.
pub const STEP_SPEEDS: [Option<f64>; 11] = PER_SECOND;
/// Trail lengths in steps; 0 draws the whole path.
pub const TRAILS: [usize; 6] = [10, 30, 100, 300, 1000, 0];
const MOMENTA: [f64; 7] = [0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999];

pub struct RaceView {
    /// Title, notes, messages, help, editor: what every screen has.
    pub chrome: Chrome,
    pub race: RaceRun,
    pub running: bool,
    pub speed: usize,
    allowance: f64,
    last_advance: Instant,
    pub selected: usize,
    pub trail: usize,
    /// The contour layer for the current surface, view and size: costly for the curve-fit
    /// surface, so it is computed once and redrawn from here.
    pub contour: RefCell<Option<ContourCache>>,
    /// The surface drawn in 3-D (`v`) rather than as a contour map, from `orbit`, turning
    /// slowly while `spin` is on.
    pub three_d: bool,
    pub orbit: Orbit,
    pub spin: bool,
    /// The surface sampled for the 3-D view, per surface and view.
    pub heights: RefCell<Option<HeightGrid>>,
    /// The title and surface the chapter opened with: the title follows the surface.
    opened_as: (String, crate::surface::SurfaceKind),
}

impl RaceView {
    pub fn new(sc: &Scenario, race: Race, dir: Option<PathBuf>, mode: ColorMode) -> Self {
        RaceView {
            chrome: Chrome::new(sc, dir, mode),
            running: false,
            speed: 4,
            allowance: 0.0,
            last_advance: Instant::now(),
            selected: 0,
            trail: TRAILS.len() - 1,
            contour: RefCell::new(None),
            three_d: sc.view.surface_3d,
            orbit: Orbit::default(),
            spin: false,
            heights: RefCell::new(None),
            opened_as: (sc.title.clone(), race.surface.kind),
            race: RaceRun::new(race),
        }
    }

    /// Runs the race for the time since the last call, at the set speed.
    pub fn play(&mut self) {
        let now = Instant::now();
        let dt = now.duration_since(self.last_advance).as_secs_f64();
        self.last_advance = now;
        if self.three_d && self.spin {
            self.orbit = self.orbit.turned(0.25 * dt.min(0.5));
            self.chrome.dirty = true;
        }
        if !self.running {
            return;
        }
        let before = self.race.step;
        match STEP_SPEEDS[self.speed] {
            Some(sps) => {
                self.allowance = (self.allowance + dt * sps).min(sps.max(1.0));
                // Stop at once when a step paused the race (its steps reached, all diverged).
                while self.allowance >= 1.0 && self.running {
                    self.step();
                    self.allowance -= 1.0;
                }
            }
            None => {
                let t0 = Instant::now();
                while t0.elapsed() < Duration::from_millis(8) && self.running {
                    self.step();
                }
            }
        }
        if self.race.step != before {
            self.chrome.dirty = true;
        }
    }

    fn step(&mut self) {
        self.race.step();
        if self.race.step == self.race.spec.steps && self.running {
            self.running = false;
            self.chrome.say(format!(
                "reached the scenario's {} steps; space races on",
                self.race.spec.steps
            ));
        }
        if self.race.runners.iter().all(|r| r.diverged) {
            self.running = false;
            self.chrome
                .say("every racer diverged: lower a learning rate ([) and restart (r)");
        }
    }

    /// A key the chrome did not take.
    pub fn key(&mut self, k: KeyEvent) {
        let focus = self.three_d.then_some(THREE_D);
        if let Some(a) = keymap::lookup(BINDINGS, &k, focus) {
            self.act(a);
        }
    }

    fn selected_config(&self) -> Option<OptimizerConfig> {
        self.race
            .runners
            .get(self.selected)
            .map(|r| r.racer.optimizer.clone())
    }

    fn restart_at(&mut self, start: [f64; 2]) {
        self.race.restart(start);
        self.allowance = 0.0;
    }

    pub fn act(&mut self, a: RaceAction) {
        self.chrome.dirty = true;
        let view = self.race.spec.view;
        let (dx, dy) = (
            (view.x[1] - view.x[0]) / 40.0,
            (view.y[1] - view.y[0]) / 20.0,
        );
        match a {
            RaceAction::TogglePause if self.chrome.stage.show_notes => {
                // The lecturer has said their piece: the notes go, the chapter starts.
                self.chrome.stage.show_notes = false;
                self.act(RaceAction::TogglePause);
            }
            RaceAction::TogglePause => {
                self.running = !self.running;
                self.last_advance = Instant::now();
                self.allowance = 0.0;
            }
            RaceAction::Step => {
                self.running = false;
                self.race.step();
            }
            RaceAction::Restart => {
                let s = self.race.spec.start;
                self.restart_at(s);
            }
            RaceAction::Faster => self.speed = (self.speed + 1).min(STEP_SPEEDS.len() - 1),
            RaceAction::Slower => self.speed = self.speed.saturating_sub(1),
            RaceAction::StartLeft
            | RaceAction::StartRight
            | RaceAction::StartUp
            | RaceAction::StartDown => {
                let [x, y] = self.race.spec.start;
                // Steps of a round size, landing on its multiples: (−1.9, 2), not (−1.8875, 2).
                let (sx, sy) = (round_step(dx), round_step(dy));
                let on = |v: f64, step: f64| (v / step).round() * step;
                let s = match a {
                    RaceAction::StartLeft => [on(x - sx, sx), y],
                    RaceAction::StartRight => [on(x + sx, sx), y],
                    RaceAction::StartUp => [x, on(y + sy, sy)],
                    _ => [x, on(y - sy, sy)],
                };
                // Rounding must not print −0.
                let s = s.map(|v| if v == 0.0 { 0.0 } else { v });
                self.restart_at(s);
                self.chrome.say(format!(
                    "start ({}, {}): every racer restarts",
                    fmt_num(s[0]),
                    fmt_num(s[1])
                ));
            }
            RaceAction::LrUp | RaceAction::LrDown => {
                if let Some(mut c) = self.selected_config() {
                    c.lr = ladder(&LR_LADDER, c.lr, a == RaceAction::LrUp);
                    self.chrome.say(format!(
                        "{}: {}",
                        self.race.runners[self.selected].racer.name,
                        c.summary()
                    ));
                    self.race.set_racer(self.selected, c);
                }
            }
            RaceAction::MomentumUp | RaceAction::MomentumDown => {
                if let Some(mut c) = self.selected_config() {
                    let up = a == RaceAction::MomentumUp;
                    let Some(v) = c.momentum_value() else {
                        self.chrome
                            .say(format!("{} has no momentum", c.kind.name()));
                        return;
                    };
                    c.set_momentum_value(ladder(&MOMENTA, v, up));
                    self.chrome.say(format!(
                        "{}: {}",
                        self.race.runners[self.selected].racer.name,
                        c.summary()
                    ));
                    self.race.set_racer(self.selected, c);
                }
            }
            RaceAction::NextRacer | RaceAction::PrevRacer => {
                let n = self.race.runners.len().max(1);
                self.selected = if a == RaceAction::NextRacer {
                    (self.selected + 1) % n
                } else {
                    (self.selected + n - 1) % n
                };
                if let Some(r) = self.race.runners.get(self.selected) {
                    self.chrome.say(format!(
                        "selected {} ([ ] its learning rate, {{ }} its momentum)",
                        r.racer.name
                    ));
                }
            }
            RaceAction::AddRacer => {
                if self.race.runners.len() >= 8 {
                    self.chrome.say("at most 8 racers");
                    return;
                }
                let base = self.selected_config().unwrap_or_default();
                let used: Vec<OptimizerKind> = self
                    .race
                    .runners
                    .iter()
                    .map(|r| r.racer.optimizer.kind)
                    .collect();
                let kind = OptimizerKind::ALL
                    .iter()
                    .copied()
                    .find(|k| !used.contains(k))
                    .unwrap_or(OptimizerKind::Adam);
                let mut name = kind.name().to_string();
                let mut n = 2;
                while self.race.runners.iter().any(|r| r.racer.name == name) {
                    name = format!("{}{n}", kind.name());
                    n += 1;
                }
                let optimizer = OptimizerConfig {
                    lr: base.lr,
                    ..kind.defaults()
                };
                self.chrome.say(format!(
                    "added {name}: {}; the race restarts",
                    optimizer.summary()
                ));
                self.race.add_racer(Racer { name, optimizer });
                self.selected = self.race.runners.len() - 1;
            }
            RaceAction::RemoveRacer => {
                if self.race.runners.len() <= 1 {
                    self.chrome.say("the last racer stays");
                    return;
                }
                let name = self.race.runners[self.selected].racer.name.clone();
                self.race.remove_racer(self.selected);
                self.selected = self.selected.min(self.race.runners.len() - 1);
                self.chrome.say(format!("removed {name}"));
            }
            RaceAction::NextSurface | RaceAction::PrevSurface => {
                let all = SurfaceKind::ALL;
                let i = all
                    .iter()
                    .position(|&k| k == self.race.surface.kind())
                    .unwrap_or(0);
                let n = all.len();
                let kind = all[if a == RaceAction::NextSurface {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                }];
                let params = SurfaceParams {
                    kind,
                    ..self.race.spec.surface.clone()
                };
                self.race.set_surface(params, None);
                let (title, opened) = &self.opened_as;
                let spaced = opened.name().replace('_', " ");
                self.chrome.title = crate::widgets::format::retitle(
                    title,
                    &[opened.label(), opened.name(), &spaced],
                    if kind == *opened {
                        opened.label()
                    } else {
                        kind.label()
                    },
                );
                self.chrome
                    .say(format!("surface: {} (`{}`)", kind.label(), kind.name()));
            }
            RaceAction::ZoomIn | RaceAction::ZoomOut => {
                let f = if a == RaceAction::ZoomIn { 0.8 } else { 1.25 };
                // About the selected racer where it is in view (it stays put on screen, as a
                // map zooms about its cursor), else about the view's centre.
                let inside = |p: [f64; 2]| {
                    (view.x[0]..=view.x[1]).contains(&p[0])
                        && (view.y[0]..=view.y[1]).contains(&p[1])
                };
                let [cx, cy] = self
                    .race
                    .runners
                    .get(self.selected)
                    .map(|r| r.point)
                    .filter(|&p| inside(p))
                    .unwrap_or([(view.x[0] + view.x[1]) / 2.0, (view.y[0] + view.y[1]) / 2.0]);
                let about = |lo: f64, hi: f64, c: f64| [c + (lo - c) * f, c + (hi - c) * f];
                let (x, y) = (
                    about(view.x[0], view.x[1], cx),
                    about(view.y[0], view.y[1], cy),
                );
                let (wx, wy) = (x[1] - x[0], y[1] - y[0]);
                if wx > 2e-9 && wy > 2e-9 && wx < 2e9 && wy < 2e9 {
                    self.race.spec.view = View { x, y };
                }
            }
            RaceAction::PanLeft
            | RaceAction::PanRight
            | RaceAction::PanUp
            | RaceAction::PanDown => {
                let (sx, sy) = match a {
                    RaceAction::PanLeft => (-4.0 * dx, 0.0),
                    RaceAction::PanRight => (4.0 * dx, 0.0),
                    RaceAction::PanUp => (0.0, 4.0 * dy),
                    _ => (0.0, -4.0 * dy),
                };
                self.race.spec.view = View {
                    x: [view.x[0] + sx, view.x[1] + sx],
                    y: [view.y[0] + sy, view.y[1] + sy],
                };
            }
            RaceAction::TrailLonger if self.trail + 1 == TRAILS.len() => self
                .chrome
                .say("the trail is the whole path already (T shortens it)"),
            RaceAction::TrailShorter if self.trail == 0 => self.chrome.say(format!(
                "the trail is at its shortest, {} steps (t lengthens it)",
                TRAILS[0]
            )),
            RaceAction::TrailLonger => self.trail += 1,
            RaceAction::TrailShorter => self.trail -= 1,
            RaceAction::Edit => {
                let text = self.scenario().to_toml();
                self.chrome.open_editor(&text);
            }
            RaceAction::ToggleView => {
                self.three_d = !self.three_d;
                self.chrome.say(if self.three_d {
                    "3-D surface: ←→ turn it, ↑↓ tilt it, o spins it; v back to the contour map"
                } else {
                    "contour map: ←↑↓→ move the start; v back to the 3-D surface"
                });
            }
            RaceAction::TurnLeft => self.orbit = self.orbit.turned(-0.15),
            RaceAction::TurnRight => self.orbit = self.orbit.turned(0.15),
            RaceAction::TiltUp => self.orbit = self.orbit.tilted(0.1),
            RaceAction::TiltDown => self.orbit = self.orbit.tilted(-0.1),
            RaceAction::ToggleSpin => {
                self.spin = !self.spin;
                self.last_advance = Instant::now();
                self.chrome.say(if self.spin {
                    "spin on: the surface turns slowly (←→ turn it by hand)"
                } else {
                    "spin off: the surface holds still (←→ turn it, ↑↓ tilt it)"
                });
            }
        }
    }

    /// The race as it is set up now (start, view, racers), as a scenario.
    pub fn scenario(&self) -> Scenario {
        Scenario {
            title: self.chrome.title.clone(),
            seed: self.race.spec.surface.seed,
            notes: self.chrome.notes.clone(),
            view: crate::scenario::ViewSpec {
                surface_3d: self.three_d,
                ..Default::default()
            },
            body: Body::Race(self.race.spec.clone()),
        }
    }

    /// Takes an edited scenario: the race restarts from it.
    pub fn apply_edit(&mut self, sc: Scenario) -> Result<String, String> {
        match sc.body {
            Body::Race(r) => {
                self.chrome.title = sc.title;
                self.chrome.notes = sc.notes;
                self.three_d = sc.view.surface_3d;
                self.race = RaceRun::new(r);
                self.selected = 0;
                Ok("scenario applied: the race restarts".into())
            }
            other => Err(other_kind(&other)),
        }
    }
}

/// The round step (1, 2, 2.5 or 5 × 10ᵏ) nearest to `v` on a log scale.
fn round_step(v: f64) -> f64 {
    if !(v.is_finite() && v > 0.0) {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .min_by(|a, b| (a / v).ln().abs().total_cmp(&(b / v).ln().abs()))
        .unwrap_or(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario;

    fn app() -> RaceView {
        let sc = scenario::load("race-rosenbrock").unwrap();
        let Body::Race(r) = sc.body.clone() else {
            panic!()
        };
        RaceView::new(&sc, r, None, ColorMode::Truecolor)
    }

    #[test]
    fn the_title_and_panel_follow_the_surface() {
        let mut a = app();
        a.act(RaceAction::NextSurface);
        assert_eq!(a.race.surface.kind(), crate::surface::SurfaceKind::Beale);
        assert_eq!(a.chrome.title, "Optimizers race on Beale");
        a.act(RaceAction::PrevSurface);
        assert_eq!(a.chrome.title, "Optimizers race on Rosenbrock");
    }

    #[test]
    fn arrows_move_the_start_and_restart_everyone() {
        let mut a = app();
        for _ in 0..5 {
            a.act(RaceAction::Step);
        }
        assert_eq!(a.race.step, 5);
        a.act(RaceAction::StartRight);
        assert_eq!(a.race.step, 0);
        let s = a.race.spec.start;
        assert!(s[0] > -2.0 && s[1] == 2.0);
        // A round step, landing on a round value.
        let shown = crate::optim::fmt_num(s[0]);
        assert!(shown.len() <= 4, "start x {shown}");
        assert_eq!(round_step(0.1125), 0.1);
        assert_eq!(round_step(0.23), 0.25);
        assert!(a.race.runners.iter().all(|r| r.path.points() == [s]));
    }

    #[test]
    fn learning_rate_changes_live_for_the_selected_racer() {
        let mut a = app();
        a.act(RaceAction::Step);
        a.act(RaceAction::NextRacer);
        a.act(RaceAction::LrUp);
        assert_eq!(a.race.runners[1].racer.optimizer.lr, 3e-4);
        assert_eq!(a.race.runners[0].racer.optimizer.lr, 2e-4);
        assert_eq!(a.race.step, 1, "no restart");
        a.act(RaceAction::MomentumUp);
        assert_eq!(a.race.runners[1].racer.optimizer.momentum, 0.95);
    }

    #[test]
    fn racers_come_and_go_and_surfaces_switch() {
        let mut a = app();
        let n = a.race.runners.len();
        a.act(RaceAction::AddRacer);
        assert_eq!(a.race.runners.len(), n + 1);
        assert_eq!(
            a.race.runners[n].racer.optimizer.kind,
            OptimizerKind::Adagrad
        );
        a.act(RaceAction::RemoveRacer);
        assert_eq!(a.race.runners.len(), n);
        a.act(RaceAction::NextSurface);
        assert_eq!(a.race.surface.kind(), SurfaceKind::Beale);
        assert_eq!(a.race.spec.start, a.race.surface.default_start());
    }

    #[test]
    fn the_race_pauses_at_the_scenario_steps() {
        let mut a = app();
        a.speed = STEP_SPEEDS.len() - 1;
        a.running = true;
        while a.running {
            a.play();
        }
        assert_eq!(a.race.step, a.race.spec.steps);
        // At a set speed too, a slice of many steps stops on the scenario's steps exactly.
        let mut b = app();
        b.speed = 9;
        b.running = true;
        while b.running {
            b.last_advance -= Duration::from_millis(700);
            b.play();
        }
        assert_eq!(b.race.step, b.race.spec.steps);
        // Space races on past the scenario's steps, and keeps going (it paused once only).
        a.act(RaceAction::TogglePause);
        for _ in 0..3 {
            a.play();
        }
        assert!(a.running, "paused again after {} steps", a.race.step);
        assert!(a.race.step > a.race.spec.steps + 1, "{}", a.race.step);
    }

    #[test]
    fn zoom_keeps_the_selected_racer_where_it_is_on_screen() {
        let mut a = app();
        for _ in 0..30 {
            a.act(RaceAction::Step);
        }
        let v = a.race.spec.view;
        let p = a.race.runners[0].point;
        let rel = |v: View| {
            (
                (p[0] - v.x[0]) / (v.x[1] - v.x[0]),
                (p[1] - v.y[0]) / (v.y[1] - v.y[0]),
            )
        };
        a.act(RaceAction::ZoomIn);
        let w = a.race.spec.view;
        assert!((w.x[1] - w.x[0]) < (v.x[1] - v.x[0]), "zoomed in");
        let (before, after) = (rel(v), rel(w));
        assert!((before.0 - after.0).abs() < 1e-9 && (before.1 - after.1).abs() < 1e-9);
    }
}
