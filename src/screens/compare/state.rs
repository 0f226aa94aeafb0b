//! Runs side by side: several networks trained at once on the same data, each with its own
//! trainer and boundary panel, sharing one pair of charts. Run controls (pause, step, reset,
//! speed, layers) act on all runs; optimizer keys act on the selected one (tab selects).

use super::keys::BINDINGS;
use crate::keymap;
use crate::scenario::{Body, Classifier, Scenario};
use crate::screens::classifier::keys::Action;
use crate::screens::classifier::run::Run;
use crate::screens::classifier::shown::Shown;
use crate::screens::view::{Chrome, OpenError};
use crate::train::Session;
use crate::widgets::palette::ColorMode;
use ratatui::crossterm::event::KeyEvent;

pub struct CompareView {
    /// Title, notes, messages, help: what every screen has.
    pub chrome: Chrome,
    /// Each run: its name and the run (trainer session, history, the weights drawn).
    pub runs: Vec<(String, Run)>,
    pub selected: usize,
    /// Layers (of every run's boundary panel), loss scale, chart span.
    pub shown: Shown,
    /// Show each run's weights (on one shared scale) instead of the charts.
    pub show_weights: bool,
    /// Each run's weight matrix of this layer (0-based) in place of its boundary, with its
    /// MIN, MAX and MEAN (`N` steps through the layers and back to the boundaries).
    pub weights_layer: Option<usize>,
    /// The weight matrices drawn as 3-D surfaces rather than heatmaps (`D`).
    pub weights_3d: bool,
}

impl CompareView {
    /// The newest epoch any run has reported.
    pub fn last_epoch(&self) -> usize {
        self.runs
            .iter()
            .filter_map(|(_, a)| a.history.last().map(|r| r.epoch))
            .max()
            .unwrap_or(0)
    }

    /// The epoch every run has reached (the slowest run's): what the header shows, and where
    /// the runs' numbers are compared.
    pub fn epoch(&self) -> usize {
        self.runs
            .iter()
            .map(|(_, a)| a.history.last().map_or(0, |r| r.epoch))
            .min()
            .unwrap_or(0)
    }

    /// `sessions` holds one started session per run of `sc`, in order.
    pub fn new(sc: &Scenario, sessions: Vec<Session>, mode: ColorMode) -> Result<Self, OpenError> {
        let Body::Compare(specs) = &sc.body else {
            return Err(OpenError::Kind {
                title: sc.title.clone(),
                want: "side-by-side runs",
            });
        };
        let mut runs = Vec::new();
        for ((name, _), session) in specs.iter().zip(sessions) {
            let run = Run::new(session).map_err(|source| OpenError::Session {
                title: sc.title.clone(),
                source,
            })?;
            runs.push((name.clone(), run));
        }
        Ok(CompareView {
            chrome: Chrome::new(sc, None, mode),
            runs,
            selected: 0,
            shown: Shown::opened(sc),
            show_weights: false,
            weights_layer: sc.view.weights_layer,
            weights_3d: sc.view.surface_3d,
        })
    }

    /// The specs of a side-by-side scenario, one per run.
    pub fn specs(sc: &Scenario) -> Vec<Classifier> {
        match &sc.body {
            Body::Compare(runs) => runs.iter().map(|(_, c)| c.clone()).collect(),
            _ => Vec::new(),
        }
    }

    /// Starts every run (or leaves them paused).
    pub fn start(&mut self, run: bool) {
        for (_, a) in &mut self.runs {
            a.start(run);
        }
        self.took();
    }

    pub fn running(&self) -> bool {
        self.runs.iter().any(|(_, a)| a.running())
    }

    pub fn error(&self) -> Option<String> {
        self.runs.iter().find_map(|(_, a)| a.error.clone())
    }

    /// Every run takes its trainer's news.
    pub fn pull(&mut self) {
        let every = crate::screens::classifier::run::field_every(&self.chrome.stage);
        for (_, a) in &mut self.runs {
            a.field_every = every;
            a.pull();
        }
        self.took();
    }

    /// What the runs did shows on screen: their messages, each with the run's name.
    fn took(&mut self) {
        for (name, a) in &mut self.runs {
            for mut m in a.take_said() {
                m.text = format!("{name}: {}", m.text);
                self.chrome.tell(m);
            }
            a.fresh = false;
            if std::mem::take(&mut a.dirty) {
                self.chrome.dirty = true;
            }
        }
        if let Some(e) = self.error() {
            self.chrome.warn(e);
            self.chrome.quit = true;
        }
    }

    /// A key the chrome did not take.
    pub fn key(&mut self, k: KeyEvent) {
        if let Some(a) = keymap::lookup(BINDINGS, &k, None) {
            self.act(a);
        }
    }

    /// The run's own action on every run; the first run's words say what it did.
    fn all(&mut self, a: Action) {
        let mut said = Vec::new();
        for (i, (_, run)) in self.runs.iter_mut().enumerate() {
            run.act(a);
            let s = run.take_said();
            if i == 0 {
                said = s;
            }
        }
        for m in said {
            self.chrome.tell(m);
        }
    }

    pub fn act(&mut self, a: Action) {
        self.chrome.dirty = true;
        self.act_on(a);
        self.took();
    }

    fn act_on(&mut self, a: Action) {
        match a {
            Action::TogglePause if self.chrome.stage.show_notes => {
                self.chrome.stage.show_notes = false;
                self.act_on(Action::TogglePause);
            }
            Action::TogglePause => {
                // Keep the runs in step: all pause, or all (that can) go.
                let pause = self.running();
                for (_, run) in &mut self.runs {
                    if run.running() == pause {
                        run.act(Action::TogglePause);
                    }
                }
            }
            Action::StepEpoch
            | Action::StepBatch
            | Action::Reset
            | Action::Reseed
            | Action::Faster
            | Action::Slower => self.all(a),
            Action::ToggleField
            | Action::ToggleBoundary
            | Action::ToggleTrain
            | Action::ToggleTest
            | Action::ToggleErrors
            | Action::ToggleLog
            | Action::ToggleWhole
            | Action::Smoothing
            | Action::ZoomIn
            | Action::ZoomOut => {
                let last = self.last_epoch();
                if let Some(Some(s)) = self.shown.act(a, last) {
                    self.chrome.say(s);
                }
            }
            Action::LrUp | Action::LrDown | Action::NextOptimizer => {
                let sel = self.selected;
                if let Some((name, run)) = self.runs.get_mut(sel) {
                    run.act(a);
                    run.take_said();
                    let msg = format!("{name}: {}", run.spec().optimizer.summary());
                    self.chrome.say(msg);
                }
            }
            Action::FocusNext | Action::FocusPrev => {
                let n = self.runs.len();
                self.selected = if a == Action::FocusNext {
                    (self.selected + 1) % n
                } else {
                    (self.selected + n - 1) % n
                };
                let msg = format!(
                    "selected {}: [ ] and o act on it",
                    self.runs[self.selected].0
                );
                self.chrome.say(msg);
            }
            Action::ToggleLandscape => self.show_weights = !self.show_weights,
            Action::ToggleNetwork => {
                // Boundaries, then layer 1, 2, … of every run (the fewest layers any run has),
                // then the boundaries again.
                let layers = self
                    .runs
                    .iter()
                    .map(|(_, r)| r.field.layers.len())
                    .min()
                    .unwrap_or(0);
                self.weights_layer = match self.weights_layer {
                    None if layers > 0 => Some(0),
                    Some(l) if l + 1 < layers => Some(l + 1),
                    _ => None,
                };
                let msg = match self.weights_layer {
                    Some(l) => {
                        let (i, o) = self.runs[0].1.field.layers[l].w.dim();
                        format!(
                            "each run's layer {} weights ({i}×{o}) on one scale: N next layer",
                            l + 1
                        )
                    }
                    None => "each run's boundary (N: its weights, layer by layer)".to_string(),
                };
                self.chrome.say(msg);
            }
            Action::WeightsSurface => {
                self.weights_3d = !self.weights_3d;
                if self.weights_layer.is_none()
                    && self.runs.iter().all(|(_, r)| !r.field.layers.is_empty())
                {
                    self.weights_layer = Some(0);
                }
                let l = self.weights_layer.map_or(1, |l| l + 1);
                self.chrome.say(if self.weights_3d {
                    format!("layer {l}'s weights as 3-D surfaces, one height scale for every run: D heatmaps, N next layer")
                } else {
                    format!("layer {l}'s weights as heatmaps: D surfaces, N next layer")
                });
            }
            Action::Edit
            | Action::ToggleActivations
            | Action::CursorLeft
            | Action::CursorRight
            | Action::CursorOff
            | Action::ParamUp
            | Action::ParamDown
            | Action::ParamDec
            | Action::ParamInc
            | Action::ToggleConfusion
            | Action::NodeUp
            | Action::NodeDown
            | Action::NodeLeft
            | Action::NodeRight
            | Action::NodeEnter
            | Action::NodeClear
            | Action::ProbeLeft
            | Action::ProbeRight
            | Action::ProbeUp
            | Action::ProbeDown
            | Action::ProbeOff
            | Action::ToggleDraw
            | Action::AddPoint
            | Action::RemovePoint
            | Action::DrawSide
            | Action::DrawClear
            | Action::DrawSave => {
                self.chrome.say("not in the side-by-side view: open a single run's scenario for the editor, parameters, network panel and landscape");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::Trainer;

    pub fn compare() -> CompareView {
        let text = r#"
title = "Side by side"
seed = 5
[data]
kind = "moons"
samples = 300
[model]
hidden = [8]
activation = "relu"
[optimizer]
kind = "sgd"
lr = 0.1
[[runs]]
name = "logistic"
model = { hidden = [] }
[[runs]]
name = "small net"
[[runs]]
name = "adam"
optimizer = { kind = "adam", lr = 0.01 }
"#;
        let sc = crate::scenario::parse(text, "cmp.toml", None).unwrap();
        let sessions = CompareView::specs(&sc)
            .into_iter()
            .map(|c| Session::inline(Trainer::new(c, sc.seed).unwrap()))
            .collect();
        CompareView::new(&sc, sessions, ColorMode::Truecolor).unwrap()
    }

    #[test]
    fn runs_share_the_data_and_differ_in_their_model() {
        let c = compare();
        assert_eq!(c.runs.len(), 3);
        assert_eq!(c.runs[0].1.snap.data, c.runs[1].1.snap.data);
        assert_eq!(c.runs[0].1.spec().model.hidden, Vec::<usize>::new());
        assert_eq!(c.runs[1].1.spec().model.hidden, vec![8]);
        assert_eq!(
            c.runs[2].1.spec().optimizer.kind,
            crate::optim::OptimizerKind::Adam
        );
        assert_eq!(c.runs[2].1.spec().optimizer.lr, 0.01);
    }

    #[test]
    fn steps_act_on_all_and_the_learning_rate_on_the_selected() {
        let mut c = compare();
        c.act(Action::StepEpoch);
        assert!(c.runs.iter().all(|(_, a)| a.snap.epoch == 1));
        c.act(Action::FocusNext);
        c.act(Action::LrUp);
        assert_eq!(c.runs[1].1.spec().optimizer.lr, 0.3);
        assert_eq!(c.runs[0].1.spec().optimizer.lr, 0.1);
        c.act(Action::TogglePause);
        assert!(c.runs.iter().all(|(_, a)| a.snap.running));
        c.act(Action::TogglePause);
        assert!(c.runs.iter().all(|(_, a)| !a.snap.running));
    }

    #[test]
    fn every_key_of_the_table_does_something_here() {
        // The table lists only what this view takes: none of its keys gets the refusal.
        for b in BINDINGS {
            let mut c = compare();
            c.act(b.action);
            let said = c.chrome.message.as_ref().map(|m| m.text.clone());
            assert!(
                !said.is_some_and(|m| m.starts_with("not in the side-by-side view")),
                "{:?} is bound but refused",
                b.action
            );
        }
        let help: Vec<&str> = super::super::sections()
            .into_iter()
            .flat_map(|s| s.rows.into_iter().map(|r| r.1))
            .collect();
        for refused in [
            "edit the scenario",
            "activation functions panel",
            "cursor back",
            "increase value",
        ] {
            assert!(!help.contains(&refused), "help lists {refused:?}");
        }
    }

    #[test]
    fn runs_side_by_side_go_in_step() {
        // One cheap run and one costly one, each on its own thread: the cheap one waits.
        let text = r#"
title = "In step"
seed = 5
[data]
kind = "moons"
samples = 2000
[model]
hidden = [128, 128, 128]
[optimizer]
kind = "adam"
lr = 0.01
[train]
batch_size = 8
epochs = 100000
[[runs]]
name = "logistic"
model = { hidden = [] }
[[runs]]
name = "deep"
"#;
        let sc = crate::scenario::parse(text, "step.toml", None).unwrap();
        let how = crate::screens::Open {
            mode: ColorMode::Mono,
            driver: crate::screens::Driver::Threaded(std::sync::Arc::new(|| {})),
            run: true,
            dir: None,
        };
        let Body::Compare(specs) = &sc.body else {
            panic!()
        };
        let gate = crate::train::Lockstep::new(specs.len());
        let sessions = specs
            .iter()
            .enumerate()
            .map(|(i, (_, c))| {
                Session::spawn(
                    Trainer::new(c.clone(), sc.seed)
                        .unwrap()
                        .in_lockstep(gate.clone(), i),
                    || {},
                )
            })
            .collect();
        let mut c = CompareView::new(&sc, sessions, how.mode).unwrap();
        c.start(true);
        let t0 = std::time::Instant::now();
        let mut widest = 0;
        while c.epoch() < 20 && t0.elapsed() < std::time::Duration::from_secs(60) {
            std::thread::sleep(std::time::Duration::from_millis(3));
            c.pull();
            let e: Vec<usize> = c.runs.iter().map(|(_, a)| a.snap.epoch).collect();
            widest = widest.max(e.iter().max().unwrap() - e.iter().min().unwrap());
        }
        assert!(c.epoch() >= 20, "the runs stalled at {}", c.epoch());
        // Free, the logistic run would be hundreds of epochs ahead. In step it is at most one
        // ahead; a snapshot is up to 16 ms older than its run, so the screen may see two.
        assert!(widest <= 2, "the runs drifted {widest} epochs apart");
    }
}
