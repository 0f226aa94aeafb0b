//! The classifier screen's state: a run's trainer session, its history and what the screen
//! shows of it, and what each of its keys does. Drawing (`view.rs`) only reads it.

use super::keys::{Action, BINDINGS, Focus};
use super::landscape::{LANDSCAPE_EVERY, LANDSCAPE_GRID, LandscapeJob, LandscapeWorker};
use super::network::{self, NetPanel};
use super::params::{Change, Param, adjust};
use super::rewind::{self, Viewing};
use super::run::{self, Run};
use super::shown::Shown;
use crate::keymap;
use crate::scenario::{Body, Classifier, Scenario};
use crate::screens::editor::other_kind;
use crate::screens::view::Chrome;
use crate::train::landscape::{self, Landscape};
use crate::train::{Command, Record, Session, SessionError};
use crate::widgets::network::Node;
use crate::widgets::palette::ColorMode;
use ratatui::crossterm::event::{KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;
use std::path::PathBuf;
use std::time::Instant;

/// Everything the classifier screen shows: its run, and how the run is shown.
pub struct ClassifierView {
    /// Title, notes, messages, help, editor: what every screen has.
    pub chrome: Chrome,
    /// The run: trainer session, history, the weights drawn.
    pub run: Run,
    pub focus: Focus,
    /// Layers, loss scale, chart span.
    pub shown: Shown,
    /// The chart cursor, as an epoch.
    pub cursor: Option<usize>,
    /// The kept weights nearest the cursor, which the field shows while the cursor is on.
    pub viewing: Option<Viewing>,
    /// The selected row of the parameters panel.
    pub param: usize,
    /// Show the loss landscape instead of the weights.
    pub show_landscape: bool,
    pub landscape: Option<Landscape>,
    landscape_at: Option<Instant>,
    landscape_worker: Option<LandscapeWorker>,
    /// The activation-functions panel is shown over the charts.
    pub show_activations: bool,
    /// The confusion matrix is shown over the charts.
    pub show_confusion: bool,
    /// The network panel: cursor, the neuron the field draws, the probe, the last layout.
    pub net: NetPanel,
    /// Draw mode: the points as drawn, and the field's plane when it started (the view
    /// stays put while points are added).
    pub draw: Option<(super::draw::Draw, crate::data::View)>,
    /// The title and data the chapter opened with: the title follows the data kind.
    opened_as: (String, crate::data::DataKind),
}

impl ClassifierView {
    /// A screen on a scenario's session; the first snapshot must already be published.
    pub fn new(
        sc: &Scenario,
        dir: Option<PathBuf>,
        session: Session,
        mode: ColorMode,
    ) -> Result<Self, SessionError> {
        let run = Run::new(session)?;
        let sc_hidden = run.snap.spec.model.hidden.clone();
        Ok(ClassifierView {
            chrome: Chrome::new(sc, dir, mode),
            opened_as: (sc.title.clone(), run.snap.spec.data.kind),
            run,
            focus: Focus::Boundary,
            shown: Shown::opened(sc),
            cursor: None,
            viewing: None,
            param: 0,
            show_landscape: false,
            landscape: None,
            landscape_at: None,
            landscape_worker: None,
            show_activations: false,
            show_confusion: false,
            net: NetPanel::new(&sc_hidden),
            draw: None,
        })
    }

    /// Starts training unless told to wait.
    pub fn start(&mut self, run: bool) {
        self.run.start(run);
        self.took();
    }

    /// The run's settings as last asked for.
    pub fn spec(&self) -> &Classifier {
        self.run.spec()
    }

    /// The seed as last asked for.
    pub fn seed(&self) -> u64 {
        self.run.seed()
    }

    /// The trainer published something.
    pub fn trained(&mut self) {
        self.pull();
        self.tend_landscape();
    }

    /// Time passed: the landscape is tended.
    pub fn tick(&mut self) {
        self.tend_landscape();
    }

    /// Takes the trainer's news.
    pub fn pull(&mut self) {
        self.run.field_every = run::field_every(&self.chrome.stage);
        self.run.pull();
        self.took();
    }

    /// What the run did shows on screen: its messages, a fresh generation's new history.
    fn took(&mut self) {
        for m in self.run.take_said() {
            self.chrome.tell(m);
        }
        if std::mem::take(&mut self.run.fresh) {
            self.net.rebuilt(&self.run.snap.net);
            self.cursor = None;
            self.viewing = None;
            self.landscape = None;
            self.landscape_at = None;
        }
        if std::mem::take(&mut self.run.dirty) {
            self.chrome.dirty = true;
        }
        if let Some(e) = &self.run.error {
            self.chrome.warn(e.clone());
            self.chrome.quit = true;
        }
    }

    /// Starts a background landscape computation when one is due, and takes a finished one.
    pub fn tend_landscape(&mut self) {
        if !self.show_landscape {
            return;
        }
        if self.landscape_worker.is_none() {
            self.landscape_worker = LandscapeWorker::spawn();
        }
        let Some(w) = &mut self.landscape_worker else {
            return;
        };
        if let Ok(l) = w.rx.try_recv() {
            w.busy = false;
            self.landscape = Some(l);
            self.chrome.dirty = true;
        }
        let due = self
            .landscape_at
            .is_none_or(|t| t.elapsed() >= LANDSCAPE_EVERY);
        let run = &self.run;
        let grown = self
            .landscape
            .as_ref()
            .is_none_or(|l| l.epochs.last() != run.trajectory.last().map(|t| &t.0));
        if !w.busy && due && grown && run.trajectory.len() >= 3 {
            let job = LandscapeJob {
                net: run.field.clone(),
                traj: run.trajectory.clone(),
                x: run.train_set.0.clone(),
                y: run.train_set.1.clone(),
            };
            if w.tx.send(job).is_ok() {
                w.busy = true;
                self.landscape_at = Some(Instant::now());
            }
        }
    }

    /// Computes the landscape here and now (tests, benchmarks).
    pub fn landscape_now(&mut self) {
        let (nx, ny) = LANDSCAPE_GRID;
        let run = &self.run;
        self.landscape = landscape::compute(
            &run.field,
            &run.trajectory,
            run.train_set.0.view(),
            run.train_set.1.targets(),
            nx,
            ny,
        );
        self.chrome.dirty = true;
    }

    /// A key the chrome did not take: this screen's table, the focused panel first.
    pub fn key(&mut self, k: KeyEvent) {
        if let Some(action) = keymap::lookup(BINDINGS, &k, Some(self.focus.name())) {
            if action == Action::AddPoint {
                // The digit is the class.
                if let ratatui::crossterm::event::KeyCode::Char(c) = k.code
                    && let Some(class) = c.to_digit(10)
                {
                    self.add_point(None, class as usize);
                }
                return;
            }
            self.act(action);
        }
    }

    /// The plane the field shows: draw mode's, else the data's.
    pub fn field_view(&self) -> ([f64; 2], [f64; 2]) {
        match &self.draw {
            Some((_, view)) => *view,
            None => self.run.snap.data.round_view(),
        }
    }

    /// Draw mode on or off. It starts from the data on the field.
    fn toggle_draw(&mut self) {
        if let Some((d, _)) = self.draw.take() {
            let (tr, te) = d.counts();
            self.chrome.say(format!(
                "draw mode off: {tr} train and {te} test points (W writes them into the scenario)"
            ));
            return;
        }
        let view = self.run.snap.data.round_view();
        let d = super::draw::Draw::from_data(&self.spec().data, &self.run.snap.data);
        self.draw = Some((d, view));
        self.focus = Focus::Boundary;
        if self.net.probe.is_none() {
            self.net.probe = Some([(view.0[0] + view.0[1]) / 2.0, (view.1[0] + view.1[1]) / 2.0]);
        }
        self.chrome.say(
            "draw mode: arrows move the cursor, 0–7 add a point of that class (click: left 0, \
             right 1), Backspace removes the nearest (middle or shift-click), T: test/train, \
             C clears, S saves a CSV, d leaves",
        );
    }

    /// A point of `class` at `at` (or the cursor), and the run retrains on the points.
    fn add_point(&mut self, at: Option<[f64; 2]>, class: usize) {
        self.chrome.dirty = true;
        let view = self.field_view();
        let span = [view.0[1] - view.0[0], view.1[1] - view.1[0]];
        let Some(p) = at.or(self.net.probe) else {
            return;
        };
        let Some((d, _)) = self.draw.as_mut() else {
            self.chrome
                .say("press d for draw mode first: then 0–7 add points");
            return;
        };
        if let Err(e) = d.add(p, span, class) {
            self.chrome.say(e);
            return;
        }
        self.retrain_on_drawing();
    }

    /// Removes the point nearest `at` (or the cursor).
    fn remove_point(&mut self, at: Option<[f64; 2]>) {
        self.chrome.dirty = true;
        let view = self.field_view();
        let Some(p) = at.or(self.net.probe) else {
            return;
        };
        let Some((d, _)) = self.draw.as_mut() else {
            self.chrome.say("press d for draw mode first");
            return;
        };
        let span = [view.0[1] - view.0[0], view.1[1] - view.1[0]];
        if d.remove_nearest(p, span).is_none() {
            self.chrome.say("no point to remove");
            return;
        }
        self.retrain_on_drawing();
    }

    /// The run takes the drawn points: same network, new data (a fresh network only when
    /// the number of classes changes its output).
    fn retrain_on_drawing(&mut self) {
        let Some((d, _)) = &self.draw else { return };
        let (train, test) = d.counts();
        if train == 0 {
            self.chrome.say(
                "no training points: the run waits for one (0–7 or a click; T switches the side)",
            );
            return;
        }
        let mut spec = self.spec().clone();
        spec.data = d.spec(&spec.data);
        let classes = d.shown.classes();
        let (output, _) = spec.model.head(crate::data::Task::Classification, classes);
        if (classes > 2) != (output == crate::nn::Output::Softmax) {
            // Let the output follow the classes: sigmoid for two, softmax for more.
            spec.model.output = None;
            spec.model.loss = None;
        }
        self.run.send(Command::Redata {
            spec: Box::new(spec),
        });
        self.took();
        self.chrome.say(format!(
            "{train} train and {test} test points: training on them"
        ));
    }

    pub fn act(&mut self, action: Action) {
        self.chrome.dirty = true;
        if action == Action::TogglePause && self.chrome.stage.show_notes {
            // The lecturer has said their piece: the notes go, the chapter starts.
            self.chrome.stage.show_notes = false;
        }
        if self.run.act(action) {
            self.took();
            return;
        }
        let last = self.run.history.last().map_or(0, |r| r.epoch);
        if let Some(said) = self.shown.act(action, last) {
            if let Some(s) = said {
                self.chrome.say(s);
            }
            return;
        }
        match action {
            Action::FocusNext | Action::FocusPrev => {
                let order: Vec<Focus> = Focus::ORDER
                    .into_iter()
                    .filter(|&f| f != Focus::Network || self.net.show)
                    .collect();
                let n = order.len();
                let i = order.iter().position(|&f| f == self.focus).unwrap_or(0);
                let j = if action == Action::FocusNext {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                };
                self.focus = order[j];
            }
            Action::ToggleNetwork => {
                self.net.show = !self.net.show;
                if self.net.show {
                    self.focus = Focus::Network;
                    self.chrome.say("network panel: ←→↑↓ walk the neurons, Enter draws one in the field, N the weights panel");
                } else {
                    if self.focus == Focus::Network {
                        self.focus = Focus::Boundary;
                    }
                    self.net.selected = None;
                }
            }
            Action::NodeUp | Action::NodeDown | Action::NodeLeft | Action::NodeRight => {
                self.net.step(action);
            }
            Action::NodeEnter => {
                let Some(node) = self.net.cursor else {
                    self.net.step(Action::NodeUp);
                    return;
                };
                self.enter_node(node);
            }
            Action::NodeClear => self.net.selected = None,
            Action::ProbeLeft | Action::ProbeRight | Action::ProbeUp | Action::ProbeDown => {
                self.net.move_probe(action);
            }
            Action::ProbeOff => self.net.probe = None,
            Action::Edit => {
                let text = self.scenario().to_toml();
                self.chrome.open_editor(&text);
            }
            Action::ToggleActivations => {
                self.show_activations = !self.show_activations;
                self.show_confusion = false;
            }
            Action::ToggleDraw if self.run.snap.data.is_regression() => {
                self.chrome
                    .say("draw mode draws classes; a regression's points have values (use a CSV)");
            }
            Action::ToggleDraw => self.toggle_draw(),
            Action::AddPoint => {}
            Action::RemovePoint => self.remove_point(None),
            Action::DrawSide | Action::DrawClear | Action::DrawSave if self.draw.is_none() => {
                self.chrome.say("press d for draw mode first");
            }
            Action::DrawSide => {
                if let Some((d, _)) = self.draw.as_mut() {
                    d.test = !d.test;
                    let side = if d.test { "test" } else { "train" };
                    self.chrome.say(format!("new points go to the {side} set"));
                }
            }
            Action::DrawClear => {
                if let Some((d, _)) = self.draw.as_mut() {
                    d.clear();
                }
                self.chrome.say(
                    "the field is clear: 0–7 (or a click) add points, the run trains once there is one",
                );
            }
            Action::DrawSave => {
                if let Some((d, _)) = &self.draw {
                    let path = crate::export::default_name("csv");
                    let shown = std::path::absolute(&path).unwrap_or(path.clone());
                    match d.save_csv(&path) {
                        Ok(()) => self.chrome.say(format!(
                            "saved {} points to {} (x1,x2,label,split: [data] kind = \"csv\")",
                            d.points.len(),
                            shown.display()
                        )),
                        Err(e) => self.chrome.warn(e),
                    }
                }
            }
            Action::ToggleConfusion if self.run.snap.data.is_regression() => {
                self.chrome
                    .say("a regression has no classes, so no confusion matrix: the charts show R²");
            }
            Action::ToggleConfusion => {
                self.show_confusion = !self.show_confusion;
                self.show_activations = false;
            }
            Action::ToggleLandscape => {
                self.show_landscape = !self.show_landscape;
                if self.show_landscape {
                    self.chrome.say("loss landscape: the weight path on its two principal directions, recomputed every few seconds");
                    self.tend_landscape();
                }
            }
            Action::CursorLeft | Action::CursorRight => {
                let last = self.run.history.last().map_or(0, |r| r.epoch);
                if last == 0 {
                    return;
                }
                let first = self.shown.span.epochs(last).0.max(1);
                let span = last - first + 1;
                let stride = (span / 100).max(1);
                let c = self.cursor.unwrap_or(last);
                let c = if action == Action::CursorLeft {
                    c.saturating_sub(stride)
                } else {
                    c + stride
                };
                self.cursor = Some(c.clamp(first, last));
                self.viewing = self.cursor.and_then(|c| rewind::nearest(&self.run, c));
            }
            Action::CursorOff => {
                self.cursor = None;
                self.viewing = None;
            }
            Action::ParamUp => self.param = self.param.saturating_sub(1),
            Action::ParamDown => {
                let n = Param::rows(self.spec()).len();
                self.param = (self.param + 1).min(n - 1);
            }
            Action::ParamDec | Action::ParamInc => {
                let rows = Param::rows(self.spec());
                let p = rows[self.param.min(rows.len() - 1)];
                if let Some(c) = adjust(p, self.spec(), self.seed(), action == Action::ParamInc) {
                    self.run.apply(c);
                    self.took();
                    let (title, opened) = &self.opened_as;
                    self.chrome.title = crate::widgets::format::retitle(
                        title,
                        &[&opened.name().replace('_', " "), opened.name()],
                        &self.spec().data.kind.name().replace('_', " "),
                    );
                }
                let n = Param::rows(self.spec()).len();
                self.param = self.param.min(n - 1);
            }
            // The run's own actions were taken above.
            _ => {}
        }
    }

    /// Enter (or a click) on a node: a feature is turned on or off (a new network), a neuron
    /// is drawn in the field (again: the output is).
    pub fn enter_node(&mut self, node: Node) {
        self.net.cursor = Some(node);
        match node {
            Node::Feature(f) => match network::toggled(&self.spec().model.features, f) {
                Ok(features) => {
                    let mut s = self.spec().clone();
                    let on = features.contains(&f);
                    s.model.features = features;
                    self.run
                        .apply(Change::Reset(s, self.seed(), "input features"));
                    self.took();
                    self.chrome.say(format!(
                        "input {} {}: inputs are now {} — the run was reset",
                        f.label(),
                        if on { "added" } else { "left out" },
                        self.spec()
                            .model
                            .features
                            .iter()
                            .map(|f| f.label())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                Err(why) => self.chrome.say(why),
            },
            Node::Neuron { .. } => {
                if self.net.selected == Some(node) {
                    self.net.selected = None;
                } else {
                    self.net.selected = Some(node);
                    self.chrome.say(format!(
                        "the field shows {} — Esc (in the network panel) shows the output",
                        network::name(&self.run.field, node)
                    ));
                }
            }
        }
    }

    /// A click, a release or the wheel: what is under it decides.
    pub fn mouse(&mut self, m: MouseEvent) {
        let (x, y) = (m.column, m.row);
        let inside = |r: Option<Rect>| {
            r.is_some_and(|r| x >= r.x && y >= r.y && x < r.x + r.width && y < r.y + r.height)
        };
        let (network, loss, accuracy, params) = {
            let r = self.net.regions.borrow();
            (r.network, r.loss, r.accuracy, r.params)
        };
        match m.kind {
            // Draw mode: left adds class 0, right class 1, middle or shift-left removes.
            MouseEventKind::Down(button)
                if self.draw.is_some() && self.net.field_point(x, y).is_some() =>
            {
                let p = self.net.field_point(x, y);
                self.net.probe = p;
                self.focus = Focus::Boundary;
                let shift = m
                    .modifiers
                    .contains(ratatui::crossterm::event::KeyModifiers::SHIFT);
                match button {
                    MouseButton::Middle => self.remove_point(p),
                    MouseButton::Left if shift => self.remove_point(p),
                    MouseButton::Left => self.add_point(p, 0),
                    MouseButton::Right => self.add_point(p, 1),
                }
            }
            MouseEventKind::Down(MouseButton::Left) | MouseEventKind::Drag(MouseButton::Left) => {
                let drag = matches!(m.kind, MouseEventKind::Drag(_));
                if let Some(p) = self.net.field_point(x, y) {
                    self.net.probe = Some(p);
                    self.focus = Focus::Boundary;
                    self.chrome.dirty = true;
                } else if drag {
                } else if inside(network) {
                    self.focus = Focus::Network;
                    let node = self.net.regions.borrow().layout.hit(x, y);
                    if let Some(node) = node {
                        self.enter_node(node);
                    }
                    self.chrome.dirty = true;
                } else if inside(loss) || inside(accuracy) {
                    self.focus = Focus::Charts;
                    self.chrome.dirty = true;
                } else if inside(params) {
                    self.focus = Focus::Params;
                    self.chrome.dirty = true;
                }
            }
            MouseEventKind::Down(MouseButton::Right) if self.net.field_point(x, y).is_some() => {
                self.net.probe = None;
                self.chrome.dirty = true;
            }
            MouseEventKind::ScrollUp | MouseEventKind::ScrollDown
                if inside(loss) || inside(accuracy) =>
            {
                self.act(if m.kind == MouseEventKind::ScrollUp {
                    Action::ZoomIn
                } else {
                    Action::ZoomOut
                });
            }
            MouseEventKind::ScrollUp | MouseEventKind::ScrollDown if inside(params) => {
                self.focus = Focus::Params;
                self.act(if m.kind == MouseEventKind::ScrollUp {
                    Action::ParamUp
                } else {
                    Action::ParamDown
                });
            }
            _ => {}
        }
    }

    /// The scenario as it runs now.
    pub fn scenario(&self) -> Scenario {
        Scenario {
            title: self.chrome.title.clone(),
            seed: self.seed(),
            notes: self.chrome.notes.clone(),
            view: Default::default(),
            body: Body::Classifier(self.spec().clone()),
        }
    }

    /// Takes an edited scenario: the run is rebuilt from it (a rebuild that fails keeps the
    /// old run, and the editor says why).
    pub fn apply_edit(&mut self, sc: Scenario) -> Result<String, String> {
        match sc.body {
            Body::Classifier(spec) => {
                self.chrome.title = sc.title;
                self.chrome.notes = sc.notes;
                self.run.send(Command::Rebuild {
                    spec: Box::new(spec),
                    seed: sc.seed,
                });
                self.took();
                match self.run.snap.error.clone() {
                    Some(e) => Err(e),
                    None => Ok("scenario applied: the run was reset".into()),
                }
            }
            other => Err(other_kind(&other)),
        }
    }

    /// The record under the chart cursor, or the newest.
    pub fn cursor_record(&self) -> Option<Record> {
        match self.cursor {
            Some(e) => self.run.history.at(e).copied(),
            None => self.run.history.last().copied(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Event;
    use crate::nn::Activation;
    use crate::scenario;
    use crate::screens::view::update;
    use crate::train::Trainer;
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};
    use std::time::Duration;
    use tui_textarea::TextArea;

    pub fn app(name: &str) -> ClassifierView {
        let sc = scenario::load(name).unwrap();
        let Body::Classifier(c) = sc.body.clone() else {
            panic!()
        };
        let session = Session::inline(Trainer::new(c, sc.seed).unwrap());
        ClassifierView::new(&sc, None, session, ColorMode::Truecolor).unwrap()
    }

    fn press(app: &mut ClassifierView, code: KeyCode) {
        update(app, Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    #[test]
    fn drawn_points_train_the_network_and_are_kept_in_the_scenario() {
        let mut a = app("playground");
        press(&mut a, KeyCode::Char('d'));
        assert!(a.draw.is_some());
        // Draw mode starts from the data on the field; C clears it.
        assert_eq!(a.draw.as_ref().map(|d| d.0.points.len()), Some(500));
        press(&mut a, KeyCode::Char('C'));
        a.net.probe = Some([-3.0, -3.0]);
        press(&mut a, KeyCode::Char('0'));
        a.net.probe = Some([3.0, 3.0]);
        press(&mut a, KeyCode::Char('1'));
        a.pull();
        let d = a.run.snap.data.clone();
        assert_eq!((d.train.len(), d.test.len(), d.classes()), (2, 0, 2));
        assert_eq!(d.train.x, [[-3.0, -3.0], [3.0, 3.0]]);
        assert_eq!(d.train.y, [0, 1]);
        // Training goes on from the weights it has: a third point of a known class keeps
        // the network as it was.
        a.run.session.train_inline(5);
        a.pull();
        let net = a.run.snap.net.clone();
        a.net.probe = Some([-2.0, -3.0]);
        press(&mut a, KeyCode::Char('0'));
        a.pull();
        assert_eq!(a.run.snap.data.train.len(), 3);
        assert_eq!(a.run.snap.net.layers, net.layers);
        // A third class needs softmax: the output follows.
        press(&mut a, KeyCode::Char('T'));
        a.net.probe = Some([0.0, 4.0]);
        press(&mut a, KeyCode::Char('2'));
        a.pull();
        let d = a.run.snap.data.clone();
        assert_eq!((d.train.len(), d.test.len(), d.classes()), (3, 1, 3));
        assert_eq!(a.run.snap.net.arch.output, crate::nn::Output::Softmax);
        // Backspace removes the point nearest the cursor.
        a.net.probe = Some([2.8, 3.1]);
        press(&mut a, KeyCode::Backspace);
        a.pull();
        assert_eq!(a.run.snap.data.train.x, [[-3.0, -3.0], [-2.0, -3.0]]);
        // The scenario holds the points and reads back with them.
        let text = a.scenario().to_toml();
        let back =
            scenario::parse(&text, "<drawn>", None).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let Body::Classifier(c) = back.body else {
            panic!("a classifier")
        };
        assert_eq!(c.data.kind, crate::data::DataKind::Points);
        assert_eq!(c.data.points, a.spec().data.points);
        assert_eq!(c.data.points.len(), 3);
    }

    #[test]
    fn a_key_at_its_limit_says_why_nothing_changed() {
        let mut a = app("numpy");
        a.run.session.train_inline(50);
        a.pull();
        // The charts open on the whole run: zooming out has nowhere to go.
        press(&mut a, KeyCode::Char('Z'));
        let said = a.chrome.message.as_ref().map(|m| m.text.clone());
        assert_eq!(
            said.as_deref(),
            Some("the charts show the whole run already (z zooms in)")
        );
    }

    #[test]
    fn the_title_follows_the_data_kind() {
        let mut a = app("playground");
        assert_eq!(a.chrome.title, "Playground: the circle");
        let rows = Param::rows(a.spec());
        a.param = rows.iter().position(|p| *p == Param::Dataset).unwrap();
        a.act(Action::ParamInc);
        let kind = a.spec().data.kind;
        assert_ne!(kind, crate::data::DataKind::Circle);
        assert_eq!(a.chrome.title, format!("Playground: {}", kind.name()));
    }

    #[test]
    fn z_and_shift_z_walk_the_chart_windows_and_the_whole_run() {
        let mut a = app("numpy");
        a.run.session.train_inline(300);
        a.pull();
        assert!(a.shown.span.whole);
        assert_eq!(a.shown.span.epochs(300), (0, 500));
        // From the whole run (0–500) in: the widest window narrower than it.
        press(&mut a, KeyCode::Char('z'));
        assert_eq!((a.shown.span.whole, a.shown.span.window), (false, 250));
        assert_eq!(a.shown.span.epochs(300), (50, 300));
        press(&mut a, KeyCode::Char('z'));
        assert_eq!(a.shown.span.window, 100);
        // The window ends on a fifth of its width past the newest epoch, and never before 0.
        assert_eq!(a.shown.span.epochs(1234), (1140, 1240));
        assert_eq!(a.shown.span.epochs(30), (0, 100));
        for _ in 0..10 {
            press(&mut a, KeyCode::Char('z'));
        }
        assert_eq!(a.shown.span.window, 50, "the narrowest window stays");
        assert_eq!(a.shown.span.epochs(1234), (1190, 1240));
        // The cursor keeps to the window shown.
        a.focus = Focus::Charts;
        for _ in 0..200 {
            press(&mut a, KeyCode::Left);
        }
        assert_eq!(a.cursor, Some(250));
        // Out: 100, 250, then 500 would span the whole run so far, so the whole run.
        press(&mut a, KeyCode::Char('Z'));
        press(&mut a, KeyCode::Char('Z'));
        assert_eq!((a.shown.span.whole, a.shown.span.window), (false, 250));
        press(&mut a, KeyCode::Char('Z'));
        assert!(
            a.shown.span.whole,
            "a window as wide as the run gives way to the whole run"
        );
        press(&mut a, KeyCode::Char('Z'));
        assert!(a.shown.span.whole);
        // Long runs reach the widest window before the whole run.
        let mut long = crate::widgets::chart::ChartSpan::default();
        long.zoom(true, 100_000);
        assert_eq!((long.whole, long.window), (false, 4000));
        long.zoom(false, 100_000);
        assert!(long.whole);
    }

    #[test]
    fn space_pauses_and_dot_steps_one_epoch() {
        let mut a = app("playground");
        assert!(!a.run.snap.running);
        press(&mut a, KeyCode::Char(' '));
        assert!(a.run.snap.running);
        press(&mut a, KeyCode::Char(' '));
        assert!(!a.run.snap.running);
        press(&mut a, KeyCode::Char('.'));
        press(&mut a, KeyCode::Char('.'));
        assert_eq!(a.run.snap.epoch, 2);
        assert_eq!(a.run.history.last().map(|r| r.epoch), Some(2));
    }

    #[test]
    fn brackets_move_the_learning_rate_without_reset() {
        let mut a = app("playground");
        press(&mut a, KeyCode::Char('.'));
        press(&mut a, KeyCode::Char(']'));
        assert_eq!(a.spec().optimizer.lr, 0.1);
        press(&mut a, KeyCode::Char('['));
        press(&mut a, KeyCode::Char('['));
        assert_eq!(a.spec().optimizer.lr, 0.01);
        assert_eq!(a.run.snap.epoch, 1, "no reset");
        assert_eq!(a.run.generation, 0);
    }

    #[test]
    fn a_structural_change_says_so_and_resets() {
        let mut a = app("playground");
        press(&mut a, KeyCode::Char('.'));
        // Boundary, network, charts, parameters.
        for _ in 0..3 {
            press(&mut a, KeyCode::Tab);
        }
        assert_eq!(a.focus, Focus::Params);
        // lr, optimizer, momentum, inputs, activation
        for _ in 0..4 {
            press(&mut a, KeyCode::Down);
        }
        press(&mut a, KeyCode::Right);
        assert_eq!(a.spec().model.activations, vec![Activation::Sigmoid]);
        assert_eq!(a.run.snap.epoch, 0);
        assert!(a.chrome.message.as_ref().unwrap().text.contains("reset"));
    }

    #[test]
    fn no_hidden_layer_no_activation_row() {
        let a = app("playground-features");
        let rows = Param::rows(a.spec());
        assert!(!rows.contains(&Param::Activation), "{rows:?}");
        assert!(rows.contains(&Param::Features));
    }

    #[test]
    fn adding_a_layer_adds_a_row() {
        let a = app("playground");
        let spec = a.spec().clone();
        let Some(Change::Reset(s, _, _)) = adjust(Param::Layers, &spec, 1, true) else {
            panic!()
        };
        assert_eq!(s.model.hidden, vec![4, 2, 2]);
        // Its width and its activation.
        assert_eq!(Param::rows(&s).len(), Param::rows(&spec).len() + 2);
    }

    #[test]
    fn an_edit_with_a_typo_is_refused_and_training_goes_on() {
        let mut a = app("playground");
        press(&mut a, KeyCode::Char('.'));
        press(&mut a, KeyCode::Char('e'));
        let ed = a.chrome.editor.as_mut().unwrap();
        ed.text.move_cursor(tui_textarea::CursorMove::Top);
        ed.text.insert_str("bogus_key = 1\n");
        update(
            &mut a,
            Event::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
        );
        let err = a.chrome.editor.as_ref().unwrap().error.clone().unwrap();
        assert!(
            err.starts_with("<editor>:1:1: `bogus_key`: no such key here"),
            "{err}"
        );
        assert_eq!(a.run.snap.epoch, 1, "the run was not touched");
        // The edit is unsaved: the first Esc says so and keeps it, the second drops it.
        press(&mut a, KeyCode::Esc);
        assert!(a.chrome.editor.is_some());
        press(&mut a, KeyCode::Esc);
        assert!(a.chrome.editor.is_none());
    }

    #[test]
    fn a_good_edit_applies_and_resets() {
        let mut a = app("playground");
        press(&mut a, KeyCode::Char('e'));
        let ed = a.chrome.editor.as_mut().unwrap();
        let text = ed
            .text
            .lines()
            .join("\n")
            .replace("hidden = [\n    4,\n    2,\n]", "hidden = [3]");
        ed.text = TextArea::new(text.lines().map(str::to_string).collect());
        update(
            &mut a,
            Event::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
        );
        assert!(
            a.chrome.editor.is_none(),
            "{:?}",
            a.chrome.editor.as_ref().and_then(|e| e.error.clone())
        );
        assert_eq!(a.spec().model.hidden, vec![3]);
    }

    #[test]
    fn help_closes_on_any_key() {
        let mut a = app("playground");
        press(&mut a, KeyCode::Char('?'));
        assert!(a.chrome.help);
        press(&mut a, KeyCode::Char('x'));
        assert!(!a.chrome.help && !a.chrome.quit);
        press(&mut a, KeyCode::Char('q'));
        assert!(a.chrome.quit);
    }

    /// A screen whose trainer runs on its own thread, as in the app.
    fn threaded(name: &str) -> ClassifierView {
        let sc = scenario::load(name).unwrap();
        let Body::Classifier(c) = sc.body.clone() else {
            panic!()
        };
        let session = Session::spawn(crate::train::Trainer::new(c, sc.seed).unwrap(), || {});
        ClassifierView::new(&sc, None, session, ColorMode::Truecolor).unwrap()
    }

    /// Waits until the trainer has applied everything sent.
    fn settle(a: &mut ClassifierView) {
        for _ in 0..400 {
            a.pull();
            if a.run.settled() {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        panic!("the trainer never caught up");
    }

    #[test]
    fn quick_presses_add_up_however_far_behind_the_trainer_is() {
        let mut a = threaded("playground");
        settle(&mut a);
        assert_eq!(a.spec().optimizer.lr, 0.03);
        // Five presses before the trainer has published anything: five rungs.
        for _ in 0..5 {
            press(&mut a, KeyCode::Char(']'));
        }
        assert_eq!(
            a.spec().optimizer.lr,
            10.0,
            "the keys act on what was asked"
        );
        settle(&mut a);
        assert_eq!(
            a.run.snap.spec.optimizer.lr, 10.0,
            "and the trainer got all five"
        );
        // Space twice quickly: running, then paused again.
        press(&mut a, KeyCode::Char(' '));
        press(&mut a, KeyCode::Char(' '));
        settle(&mut a);
        assert!(!a.run.snap.running);
        // Two new seeds in a row are two seeds on.
        let seed = a.seed();
        press(&mut a, KeyCode::Char('R'));
        press(&mut a, KeyCode::Char('R'));
        settle(&mut a);
        assert_eq!(a.run.snap.seed, seed + 2);
    }
}
