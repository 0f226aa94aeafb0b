//! Whole screens on ratatui's `TestBackend`, snapshotted with their colours (the `Buffer`'s
//! Debug output carries every cell's style; its Display would drop them). Training is driven
//! inline, so every frame is reproducible.

use nnbook::event::Event;
use nnbook::scenario::{self, Body, Scenario, Smoothing};
use nnbook::screens::attractor::{AttractorView, keys::FlowAction};
use nnbook::screens::classifier::{self, ClassifierView as App};
use nnbook::screens::compare::CompareView;
use nnbook::screens::race::{RaceView, keys::RaceAction};
use nnbook::screens::view;
use nnbook::train::{Session, Trainer};
use nnbook::widgets::palette::ColorMode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;

fn app_for(sc: &Scenario, mode: ColorMode) -> App {
    let Body::Classifier(c) = sc.body.clone() else {
        panic!("not a classifier")
    };
    let session = Session::inline(Trainer::new(c, sc.seed).expect("data"));
    App::new(sc, None, session, mode).expect("first snapshot")
}

fn app(name: &str, mode: ColorMode) -> App {
    app_for(&scenario::load(name).expect("bundled"), mode)
}

fn draw(app: &App, w: u16, h: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    t.draw(|f| view::draw(app, f)).expect("draw");
    t.backend().buffer().clone()
}

fn text(buf: &Buffer) -> String {
    let mut s = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            s.push_str(buf[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

fn press(app: &mut App, code: KeyCode, mods: KeyModifiers) {
    view::update(app, Event::Key(KeyEvent::new(code, mods)));
}

fn trained(name: &str, mode: ColorMode, epochs: usize) -> App {
    let mut a = app(name, mode);
    a.run.session.train_inline(epochs);
    a.pull();
    a
}

#[test]
fn main_screen_120x40_truecolor() {
    let a = trained("playground", ColorMode::Truecolor, 60);
    let buf = draw(&a, 120, 40);
    let t = text(&buf);
    for want in [
        "decision boundary",
        // Both series with their marks ("(log)" gives way to them: the axis says it).
        "loss ○ train 0.3280 ━ test 0.3400",
        "accuracy ○ train",
        "parameters",
        "network 2-4-2-1",
        "features",
        "sin x2",
        "output",
        "epoch 60",
        "⏸ paused",
    ] {
        assert!(t.contains(want), "missing {want:?}:\n{t}");
    }
    insta::assert_snapshot!(format!("{buf:?}"));
}

#[test]
fn main_screen_80x24_256_colours() {
    let a = trained("numpy", ColorMode::Ansi256, 30);
    let buf = draw(&a, 80, 24);
    let t = text(&buf);
    assert!(
        t.contains("decision boundary") && t.contains("parameters") && t.contains("epoch 30"),
        "{t}"
    );
    // The title is cut with an ellipsis before the counter, never runs into it.
    let top = t.lines().next().unwrap_or_default();
    assert!(top.trim_end().ends_with("… epoch 30 ⏸"), "{top:?}");
    insta::assert_snapshot!(format!("{buf:?}"));
}

#[test]
fn mono_still_shows_the_field_as_dot_density() {
    let a = trained("playground", ColorMode::Mono, 200);
    let buf = draw(&a, 120, 40);
    // The circle's inner class is dense Braille and hollow marks (○ train, ◦ test) in the
    // middle of the heatmap, the outer class filled marks (● train, • test) on the sparse
    // field around it.
    let count = |s: &[&str]| {
        (2..38u16)
            .flat_map(|y| (8..50u16).map(move |x| (x, y)))
            .filter(|&(x, y)| s.contains(&buf[(x, y)].symbol()))
            .count()
    };
    let inner = count(&["⣿", "○", "◦"]);
    assert!(
        inner > 60,
        "only {inner} full or hollow cells:\n{}",
        text(&buf)
    );
    let outer = count(&["●", "•"]);
    assert!(outer > 60, "only {outer} filled marks:\n{}", text(&buf));
    // No colour anywhere.
    for c in buf.content() {
        assert_eq!(
            (c.fg, c.bg),
            (ratatui::style::Color::Reset, ratatui::style::Color::Reset)
        );
    }
}

#[test]
fn help_overlay_lists_the_binding_table() {
    let mut a = trained("playground", ColorMode::Truecolor, 5);
    press(&mut a, KeyCode::Char('?'), KeyModifiers::NONE);
    let buf = draw(&a, 120, 40);
    let t = text(&buf);
    for sec in view::help_sections(&a) {
        for (_, help) in sec.rows {
            assert!(t.contains(help), "help lacks {help:?}:\n{t}");
        }
    }
    insta::assert_snapshot!(format!("{buf:?}"));
}

#[test]
fn editor_shows_a_refused_edit_beside_the_text() {
    let mut a = trained("playground", ColorMode::Truecolor, 5);
    press(&mut a, KeyCode::Char('e'), KeyModifiers::NONE);
    // A typo in a value: "tahn" for "tanh", on the activation line.
    let ed = a.chrome.editor.as_mut().expect("editor open");
    let fixed: Vec<String> = ed
        .text
        .lines()
        .iter()
        .map(|l| l.replace("\"tanh\"", "\"tahn\""))
        .collect();
    ed.text = tui_textarea::TextArea::new(fixed);
    press(&mut a, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let buf = draw(&a, 120, 40);
    let t = text(&buf);
    assert!(t.contains("not applied"), "{t}");
    assert!(t.contains("`model.activation`"), "{t}");
    assert_eq!(a.run.snap.epoch, 5, "the run carried on untouched");
    // The cursor stands where the error is: `<editor>:LINE:COL: …`.
    let ed = a.chrome.editor.as_ref().expect("still open");
    let err = ed.error.clone().unwrap_or_default();
    let at: Vec<usize> = err
        .split(':')
        .skip(1)
        .take(2)
        .map(|n| n.parse().expect("line and column"))
        .collect();
    assert_eq!(ed.text.cursor(), (at[0] - 1, at[1] - 1), "{err}");
    assert!(at[1] > 1, "the error is inside its line: {err}");
    insta::assert_snapshot!(format!("{buf:?}"));
}

#[test]
fn diverged_run_pauses_and_says_so() {
    let text_sc = r#"
title = "Too hot"
seed = 3
[data]
kind = "moons"
samples = 200
[model]
hidden = [8]
activation = "linear"
output = "linear"
loss = "mse"
[optimizer]
kind = "sgd"
lr = 10.0
"#;
    let sc = scenario::parse(text_sc, "hot.toml", None).expect("valid");
    let mut a = app_for(&sc, ColorMode::Truecolor);
    press(&mut a, KeyCode::Char(' '), KeyModifiers::NONE);
    a.run.session.train_inline(50);
    a.pull();
    assert!(
        matches!(a.run.snap.health, nnbook::train::Health::Diverged { .. }),
        "{:?}",
        a.run.snap.health
    );
    assert!(!a.run.snap.running);
    assert!(
        a.run.snap.net.is_finite(),
        "the heatmap draws the last finite weights"
    );
    let buf = draw(&a, 120, 40);
    let t = text(&buf);
    assert!(t.contains("diverged in epoch"), "{t}");
    insta::assert_snapshot!(format!("{buf:?}"));
    // A lower learning rate recovers.
    for _ in 0..6 {
        press(&mut a, KeyCode::Char('['), KeyModifiers::NONE);
    }
    press(&mut a, KeyCode::Char('.'), KeyModifiers::NONE);
    assert_eq!(a.run.snap.health, nnbook::train::Health::Ok);
}

#[test]
fn too_small_a_terminal_gets_a_message() {
    let a = app("playground", ColorMode::Truecolor);
    let t = text(&draw(&a, 40, 12));
    assert!(t.contains("too small") && t.contains("40×12"), "{t}");
}

/// Every panel at every size from 0×0 to 3×3, and the whole screen: nothing panics.
#[test]
fn tiny_sizes_never_panic() {
    let mut a = trained("numpy", ColorMode::Truecolor, 3);
    for w in 0..=3u16 {
        for h in 0..=3u16 {
            let mut t = Terminal::new(TestBackend::new(w.max(1), h.max(1))).expect("terminal");
            t.draw(|f| {
                let r = Rect::new(0, 0, w, h);
                classifier::charts::render(f, r, &a, classifier::charts::Kind::Loss);
                classifier::charts::render(f, r, &a, classifier::charts::Kind::Accuracy);
                classifier::params_panel::render(f, r, &a);
                nnbook::widgets::weights::render_weights(
                    f,
                    r,
                    &a.run.field,
                    &a.chrome.palette,
                    "w".into(),
                    None,
                );
                nnbook::widgets::overlay::help(
                    f,
                    r,
                    &view::help_sections(&a),
                    &a.chrome.palette,
                    0,
                    None,
                );
                let frame = nnbook::widgets::braille::Frame2d::fit(
                    [-1.0, 1.0],
                    [-1.0, 1.0],
                    w as usize,
                    h as usize,
                );
                nnbook::widgets::heatmap::draw_field(
                    f.buffer_mut(),
                    r,
                    &frame,
                    &a.run.snap.net,
                    &a.run.snap.data,
                    Default::default(),
                    &a.chrome.palette,
                );
                view::draw(&a, f);
            })
            .expect("draw");
        }
    }
    press(&mut a, KeyCode::Char('e'), KeyModifiers::NONE);
    for (w, h) in [(1, 1), (2, 3), (3, 3), (61, 16)] {
        draw(&a, w, h);
    }
}

fn race_app(name: &str, mode: ColorMode) -> RaceView {
    let sc = scenario::load(name).expect("bundled");
    let Body::Race(r) = sc.body.clone() else {
        panic!("not a race")
    };
    RaceView::new(&sc, r, None, mode)
}

fn draw_race(app: &RaceView, w: u16, h: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    t.draw(|f| view::draw(app, f)).expect("draw");
    t.backend().buffer().clone()
}

#[test]
fn race_halfway_120x40() {
    let mut a = race_app("race-saddle", ColorMode::Truecolor);
    // The contour map (the chapter opens in 3-D: `v`).
    a.act(RaceAction::ToggleView);
    assert!(!a.three_d);
    for _ in 0..a.race.spec.steps / 2 {
        a.act(RaceAction::Step);
    }
    let buf = draw_race(&a, 120, 40);
    let t = text(&buf);
    for want in [
        "saddle",
        "gd",
        "momentum",
        "nesterov",
        "rmsprop",
        "adam",
        "step 60",
        "f by step",
    ] {
        assert!(t.contains(want), "missing {want:?}:\n{t}");
    }
    // At 60×20 the racers' list has one line each, every racer with its number (the mark
    // of its line on the chart) and its value.
    let small = text(&draw_race(&a, 60, 20));
    for (i, name) in ["gd", "momentum", "nesterov", "rmsprop", "adam"]
        .iter()
        .enumerate()
    {
        assert!(
            small.contains(&format!("● {} {name} f ", i + 1)),
            "racer {name}:\n{small}"
        );
    }
    insta::assert_snapshot!(format!("{buf:?}"));
}

#[test]
fn race_fits_80x24_with_legend_and_trails() {
    let mut a = race_app("race-rosenbrock", ColorMode::Ansi256);
    for _ in 0..100 {
        a.act(RaceAction::Step);
    }
    let t = text(&draw_race(&a, 80, 24));
    for want in ["Rosenbrock", "momentum", "adam", "✕", "●"] {
        assert!(t.contains(want), "missing {want:?}:\n{t}");
    }
    let top = t.lines().next().unwrap_or_default();
    assert!(top.trim_end().ends_with("step 100 ⏸"), "{top:?}");
}

/// The read-outs beside the race are the numbers `nnbook trace` prints.
#[test]
fn race_read_outs_match_trace() {
    let mut a = race_app("race-beale", ColorMode::Truecolor);
    for _ in 0..40 {
        a.act(RaceAction::Step);
    }
    let sc = scenario::load("race-beale").expect("bundled");
    let mut out = Vec::new();
    nnbook::commands::trace(&sc, Some(40), nnbook::commands::Format::Jsonl, &mut out)
        .expect("trace");
    reads_out_what_trace_printed(&a, &String::from_utf8(out).expect("utf-8"), 40);
}

/// Each racer's f at `step` is the number `nnbook trace` printed (`trace`, JSON lines), and
/// the legend shows it.
fn reads_out_what_trace_printed(a: &RaceView, trace: &str, step: usize) {
    let t = text(&draw_race(a, 120, 40));
    for r in &a.race.runners {
        let line = trace
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .find(|v| v["step"] == step && v["optimizer"] == r.racer.name.as_str())
            .expect("trace has the racer");
        assert_eq!(line["f"].as_f64(), Some(r.value), "{}", r.racer.name);
        let shown = nnbook::widgets::format::fig(r.value);
        assert!(
            t.contains(&format!("f {shown}")),
            "{} f {shown} not on screen:\n{t}",
            r.racer.name
        );
    }
}

/// The gradient-descent chapter draws the curve its (a, b) makes over the 200 points, and
/// the curve follows the racer.
#[test]
fn curve_fit_shows_the_fitted_curve_over_the_data() {
    let mut a = race_app("gradient-descent", ColorMode::Ansi256);
    a.act(RaceAction::ToggleView);
    for _ in 0..300 {
        a.act(RaceAction::Step);
    }
    let buf = draw_race(&a, 120, 40);
    let t = text(&buf);
    let [pa, pb] = a.race.runners[0].point;
    for want in [
        "the curve fit's error over (a, b)".to_string(),
        format!("y = sin(b·cos(a·x)), a {pa:.2} b {pb:.2}"),
    ] {
        assert!(t.contains(&want), "missing {want:?}:\n{t}");
    }
    // The axes are the model's parameters.
    assert!(t.contains("a across, b up"), "{t}");
    insta::assert_snapshot!(format!("{buf:?}"));
    // Another point in (a, b), another curve.
    a.act(RaceAction::Step);
    let before = text(&draw_race(&a, 120, 40));
    for _ in 0..200 {
        a.act(RaceAction::Step);
    }
    assert_ne!(before, text(&draw_race(&a, 120, 40)));
}

/// Cells whose ink is racer `i`'s colour, in the surface panel (left of the legend).
fn racer_cells(app: &RaceView, buf: &Buffer, i: usize) -> usize {
    let c = nnbook::widgets::palette::racer_color(&app.chrome.palette, i);
    let side = buf.area.width * 64 / 100;
    (2..buf.area.height - 2)
        .flat_map(|y| (1..side).map(move |x| (x, y)))
        .filter(|&(x, y)| {
            let cell = &buf[(x, y)];
            cell.fg == c && cell.symbol() != " "
        })
        .count()
}

/// The saddle race opens on its surface in 3-D, as the notebook drew it, every racer's path
/// on it; at 80x24 too.
#[test]
fn race_in_3d_120x40_and_80x24() {
    let mut a = race_app("race-saddle", ColorMode::Truecolor);
    assert!(a.three_d, "the chapter opens in 3-D");
    for _ in 0..a.race.spec.steps / 2 {
        a.act(RaceAction::Step);
    }
    let buf = draw_race(&a, 120, 40);
    let t = text(&buf);
    for want in ["saddle", "3-D", "←→ turn", "gd", "adam", "step 60"] {
        assert!(t.contains(want), "missing {want:?}:\n{t}");
    }
    // Shaded: most of the panel's middle has a background.
    let shaded = (8..30)
        .flat_map(|y| (10..70).map(move |x| (x, y)))
        .filter(|&(x, y)| buf[(x, y)].bg != ratatui::style::Color::Reset)
        .count();
    assert!(shaded > 22 * 60 / 3, "{shaded} shaded cells");
    // Each racer's path is drawn on it in its own colour (gd has barely left the ridge).
    for i in 1..a.race.runners.len() {
        assert!(racer_cells(&a, &buf, i) >= 2, "racer {i}'s path:\n{t}");
    }
    insta::assert_snapshot!("race_in_3d_120x40", format!("{buf:?}"));
    let mut b = race_app("race-saddle", ColorMode::Ansi256);
    for _ in 0..a.race.spec.steps / 2 {
        b.act(RaceAction::Step);
    }
    let small = draw_race(&b, 80, 24);
    let t = text(&small);
    assert!(t.contains("3-D") && t.contains("adam"), "{t}");
    insta::assert_snapshot!("race_in_3d_80x24_256", format!("{small:?}"));
}

/// In 3-D the arrows turn and tilt the surface and leave the start where it is; on the
/// contour map they move the start.
#[test]
fn arrows_turn_the_3d_view_and_move_the_start_on_the_map() {
    let mut a = race_app("critical-peaks", ColorMode::Ansi256);
    assert!(a.three_d);
    let (start, orbit) = (a.race.spec.start, a.orbit);
    let before = text(&draw_race(&a, 100, 30));
    a.key(KeyEvent::new(KeyCode::Right, KeyModifiers::NONE));
    a.key(KeyEvent::new(KeyCode::Up, KeyModifiers::NONE));
    assert_eq!(a.race.spec.start, start, "the start stays");
    assert!(a.orbit.angle != orbit.angle && a.orbit.tilt > orbit.tilt);
    assert_ne!(before, text(&draw_race(&a, 100, 30)), "the picture turned");
    // o spins it: the view animates while spinning, though the race is paused.
    a.key(KeyEvent::new(KeyCode::Char('o'), KeyModifiers::NONE));
    assert!(nnbook::screens::view::View::animating(&a));
    a.key(KeyEvent::new(KeyCode::Char('v'), KeyModifiers::NONE));
    assert!(!a.three_d);
    assert!(!nnbook::screens::view::View::animating(&a));
    a.key(KeyEvent::new(KeyCode::Right, KeyModifiers::NONE));
    assert_ne!(
        a.race.spec.start, start,
        "on the map the arrows move the start"
    );
    // The help lists the 3-D keys.
    let help = nnbook::screens::race::sections();
    assert!(help.iter().any(|s| s.heading.starts_with("3-D view")
        && s.rows.iter().any(|(k, h)| k == "←" && h.contains("turn"))));
}

/// The 3-D view races the same racers to the same numbers as the contour map and as
/// `nnbook trace`: its read-outs are trace's figures, and the scenario it saves keeps the view.
#[test]
fn the_3d_view_reads_out_what_trace_prints() {
    let mut a = race_app("race-saddle", ColorMode::Truecolor);
    let mut flat = race_app("race-saddle", ColorMode::Truecolor);
    flat.act(RaceAction::ToggleView);
    for _ in 0..40 {
        a.act(RaceAction::Step);
        flat.act(RaceAction::Step);
    }
    let sc = scenario::load("race-saddle").expect("bundled");
    let mut out = Vec::new();
    nnbook::commands::trace(&sc, Some(40), nnbook::commands::Format::Jsonl, &mut out)
        .expect("trace");
    let mut flat_sc = sc.clone();
    flat_sc.view.surface_3d = false;
    let mut flat_out = Vec::new();
    nnbook::commands::trace(
        &flat_sc,
        Some(40),
        nnbook::commands::Format::Jsonl,
        &mut flat_out,
    )
    .expect("trace");
    assert_eq!(out, flat_out, "trace is the same whichever view opens");
    for (r, q) in a.race.runners.iter().zip(&flat.race.runners) {
        assert_eq!((r.point, r.value), (q.point, q.value), "{}", r.racer.name);
    }
    reads_out_what_trace_printed(&a, &String::from_utf8(out).expect("utf-8"), 40);
    let saved = a.scenario().to_toml();
    assert!(saved.contains("surface = \"3d\""), "{saved}");
    let again = scenario::parse(&saved, "saved.toml", None).expect("saved scenario parses");
    assert!(again.view.surface_3d);
    assert!(!flat.scenario().to_toml().contains("3d"));
}

#[test]
fn race_survives_tiny_sizes() {
    let mut a = race_app("gradient-descent", ColorMode::Mono);
    for _ in 0..2 {
        a.act(RaceAction::ToggleView);
        race_survives_tiny_sizes_in(&a);
    }
}

fn race_survives_tiny_sizes_in(a: &RaceView) {
    for w in 0..=3u16 {
        for h in 0..=3u16 {
            let mut t = Terminal::new(TestBackend::new(w.max(1), h.max(1))).expect("terminal");
            t.draw(|f| {
                nnbook::screens::race::view::draw_race(f.buffer_mut(), Rect::new(0, 0, w, h), a);
                view::draw(a, f);
            })
            .expect("draw");
        }
    }
}

#[test]
fn landscape_panel_shows_the_weight_path() {
    let mut a = app("numpy", ColorMode::Truecolor);
    view::update(
        &mut a,
        Event::Key(KeyEvent::new(KeyCode::Char('m'), KeyModifiers::NONE)),
    );
    assert!(a.show_landscape);
    // Four snapshots of the weight path, 150 epochs apart.
    for _ in 0..4 {
        a.run.session.train_inline(150);
        a.pull();
    }
    assert!(a.run.trajectory.len() >= 4, "{}", a.run.trajectory.len());
    a.landscape_now();
    let l = a.landscape.as_mut().expect("a landscape");
    assert!(l.explained > 0.5 && l.explained <= 1.0);
    // The panel shows how long the computation took; pin it so the snapshot is stable.
    l.millis = 0.0;
    // The message that `m` gave would cover the panel; it has been read.
    a.chrome.message = None;
    let buf = draw(&a, 120, 40);
    let t = text(&buf);
    assert!(t.contains("loss landscape · PCA of the weight path"), "{t}");
    assert!(t.contains('●'), "{t}");
    // The snapshot holds the panel only, with its colours.
    let panel = Rect::new(34, 27, 86, 12);
    let mut crop = Buffer::empty(Rect::new(0, 0, panel.width, panel.height));
    for y in 0..panel.height {
        for x in 0..panel.width {
            crop[(x, y)] = buf[(panel.x + x, panel.y + y)].clone();
        }
    }
    insta::assert_snapshot!(format!("{crop:?}"));
}

#[test]
fn notes_panel_in_presenter_mode() {
    let mut a = app("numpy", ColorMode::Truecolor);
    a.chrome.stage.presenter = true;
    a.chrome.stage.chapter = Some((3, 15));
    view::update(
        &mut a,
        Event::Key(KeyEvent::new(KeyCode::Char('i'), KeyModifiers::NONE)),
    );
    assert!(a.chrome.stage.show_notes);
    let buf = draw(&a, 120, 40);
    let t = text(&buf);
    assert!(t.contains("3/15 · A network in plain Rust"), "{t}");
    assert!(
        t.contains("3/15   ·   A   N E T W O R K"),
        "the presenter banner:\n{t}"
    );
    assert!(t.contains("perceptron with ReLU hidden layers"), "{t}");
    assert!(
        !t.contains("parameters"),
        "presenter mode hides the parameter panel:\n{t}"
    );
    insta::assert_snapshot!(format!("{buf:?}"));
    // Space closes the notes and starts the chapter.
    view::update(
        &mut a,
        Event::Key(KeyEvent::new(KeyCode::Char(' '), KeyModifiers::NONE)),
    );
    assert!(!a.chrome.stage.show_notes && a.run.snap.running);
}

#[test]
fn side_by_side_chapter_120x40() {
    let text_sc = r#"
title = "Side by side"
seed = 5
notes = "Three runs."
[data]
kind = "moons"
samples = 300
noise = 0.3
[model]
hidden = [8, 8]
activation = "relu"
[optimizer]
kind = "adam"
lr = 0.01
[train]
batch_size = 32
[[runs]]
name = "logistic"
model = { hidden = [] }
[[runs]]
name = "deep"
[[runs]]
name = "deep + L2"
model = { regularization = "l2", regularization_rate = 0.01 }
"#;
    let sc = scenario::parse(text_sc, "cmp.toml", None).expect("valid");
    let sessions = CompareView::specs(&sc)
        .into_iter()
        .map(|c| Session::inline(Trainer::new(c, sc.seed).expect("data")))
        .collect();
    let mut a = CompareView::new(&sc, sessions, ColorMode::Truecolor).expect("app");
    for (_, r) in &mut a.runs {
        r.train_inline(40);
    }
    let mut t = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    t.draw(|f| view::draw(&a, f)).expect("draw");
    let buf = t.backend().buffer().clone();
    let s = text(&buf);
    for want in [
        "● logistic",
        "● deep ",
        "● deep + L2",
        "loss (log)",
        "accuracy",
        "2-1 ",
        "2-8-8-1",
    ] {
        assert!(s.contains(want), "missing {want:?}:\n{s}");
    }
    insta::assert_snapshot!(format!("{buf:?}"));
}

#[test]
fn lorenz_view_after_ten_time_units() {
    let sc = scenario::load("lorenz").expect("bundled");
    let Body::Lorenz(spec) = sc.body.clone() else {
        panic!("not the attractor")
    };
    let mut a = AttractorView::new(&sc, spec, ColorMode::Truecolor);
    for _ in 0..100 {
        a.act(FlowAction::Step);
    }
    assert_eq!(a.flow.steps, 1000);
    assert!(a.flow.spread() > 1e-3);
    let mut t = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    t.draw(|f| view::draw(&a, f)).expect("draw");
    let buf = t.backend().buffer().clone();
    let s = text(&buf);
    for want in [
        "Lorenz attractor",
        "σ 10",
        "ρ 28",
        "t = 10.00",
        "(0, 1, 1.05)",
        "(0, 1, 1.07)",
        "●",
    ] {
        assert!(s.contains(want), "missing {want:?}:\n{s}");
    }
    insta::assert_snapshot!(format!("{buf:?}"));
    // Turning the view changes the picture, not the trajectories.
    let before = a.flow.paths.clone();
    a.act(FlowAction::RotateRight);
    t.draw(|f| view::draw(&a, f)).expect("draw");
    assert_ne!(t.backend().buffer().clone(), buf);
    assert_eq!(a.flow.paths, before);
}

#[test]
fn activation_functions_panel_shows_all_four_with_derivatives() {
    let mut a = app("circles", ColorMode::Truecolor);
    view::update(
        &mut a,
        Event::Key(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE)),
    );
    let t = text(&draw(&a, 120, 40));
    for want in [
        " sigmoid ",
        " tanh ",
        " relu ",
        "leaky relu (slope 0.1)",
        "this network's",
    ] {
        assert!(t.contains(want), "missing {want:?}:\n{t}");
    }
    // The curves are the functions: sigmoid(0) = 0.5, its slope there 0.25.
    let (f, d) = classifier::activations::curves(nnbook::nn::Activation::Sigmoid, 10);
    assert_eq!(f[5], (0.0, 0.5));
    assert_eq!(d[5], (0.0, 0.25));
}

/// A message too long for the status line shows whole, above it; an info message expires,
/// an error stays until a key is pressed.
#[test]
fn long_messages_are_never_cut_and_errors_stay_until_a_key() {
    let mut a = trained("numpy", ColorMode::Ansi256, 3);
    let long = "skipped chapters/broken.toml:3:9: unknown field `hiden`, expected one of `hidden`, `activation`, `output`";
    a.chrome.warn(long);
    let t = text(&draw(&a, 80, 24));
    let flat: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
    for word in long.split(' ') {
        assert!(flat.contains(word), "{word:?} missing:\n{t}");
    }
    // Time passes: the error is still there.
    if let Some(m) = &mut a.chrome.message {
        m.at -= std::time::Duration::from_secs(60);
    }
    view::update(&mut a, Event::Tick);
    assert!(a.chrome.message.is_some(), "an error does not expire");
    press(&mut a, KeyCode::Char('l'), KeyModifiers::NONE);
    assert!(a.chrome.message.is_none(), "a key dismisses it");
    // An info message goes by itself.
    a.chrome.say("learning rate 0.1");
    if let Some(m) = &mut a.chrome.message {
        m.at -= std::time::Duration::from_secs(60);
    }
    view::update(&mut a, Event::Tick);
    assert!(a.chrome.message.is_none());
}

/// Side by side, the header and the charts compare the runs at the epoch all have reached.
#[test]
fn side_by_side_numbers_name_the_epoch_all_runs_reached() {
    let sc = scenario::load("overfitting").expect("bundled");
    let sessions = CompareView::specs(&sc)
        .into_iter()
        .map(|c| Session::inline(Trainer::new(c, sc.seed).expect("data")))
        .collect();
    let mut a = CompareView::new(&sc, sessions, ColorMode::Truecolor).expect("app");
    for (i, (_, r)) in a.runs.iter_mut().enumerate() {
        r.train_inline(if i == 0 { 12 } else { 7 });
    }
    assert_eq!(a.epoch(), 7);
    let mut t = Terminal::new(TestBackend::new(160, 45)).expect("terminal");
    t.draw(|f| view::draw(&a, f)).expect("draw");
    let s = text(t.backend().buffer());
    let top = s.lines().next().unwrap_or_default();
    assert!(top.contains("epoch 7 "), "{top}");
    assert!(s.contains("at epoch 7"), "{s}");
    let acc7 = a.runs[0].1.history.at(7).expect("epoch 7").test_acc;
    assert!(
        s.contains(&format!("test acc {}", nnbook::widgets::format::fig(acc7))),
        "run 1's panel shows its epoch-7 accuracy:\n{s}"
    );
}

/// `,` steps one mini-batch, and the status line counts them.
#[test]
fn mini_batch_steps_are_counted_in_the_status_line() {
    let mut a = app("playground", ColorMode::Truecolor);
    for _ in 0..3 {
        press(&mut a, KeyCode::Char(','), KeyModifiers::NONE);
    }
    let n = a.run.snap.batches_per_epoch;
    assert!(n > 3, "{n}");
    let t = text(&draw(&a, 120, 40));
    let status = t.lines().last().unwrap_or_default();
    assert!(
        status.contains(&format!("batch 3/{n} of epoch 1")),
        "{status}"
    );
}

/// At 80×24 the help does not fit on one page: space turns the pages, and every binding is on
/// one of them.
#[test]
fn help_pages_hold_every_binding_at_80x24() {
    let mut a = trained("playground", ColorMode::Ansi256, 2);
    press(&mut a, KeyCode::Char('?'), KeyModifiers::NONE);
    let mut seen = String::new();
    let mut pages = 0;
    while a.chrome.help && pages < 10 {
        let t = text(&draw(&a, 80, 24));
        if pages == 0 {
            assert!(t.contains("space: more"), "{t}");
        }
        seen += &t;
        pages += 1;
        press(&mut a, KeyCode::Char(' '), KeyModifiers::NONE);
    }
    assert!(pages >= 2 && !a.chrome.help, "{pages} pages, then closed");
    for sec in view::help_sections(&a) {
        for (_, help) in sec.rows {
            assert!(seen.contains(help), "{help:?} on no page");
        }
    }
}

/// At 80×24 the notes show whole, and an error message stays readable over them.
#[test]
fn notes_and_an_error_both_read_whole_at_80x24() {
    let mut a = app("numpy", ColorMode::Truecolor);
    a.chrome.stage.show_notes = true;
    a.chrome.stage.chapter = Some((4, 18));
    let t = text(&draw(&a, 80, 24));
    let last_word = a
        .chrome
        .notes
        .split_whitespace()
        .last()
        .expect("the chapter has notes")
        .to_string();
    assert!(t.contains(&last_word), "{last_word:?} cut:\n{t}");
    assert!(t.contains("space runs · i hides · n/p chapters"), "{t}");
    let err = "skipped /tmp/broken.toml:8:14: unknown variant `tahn`, expected one of `relu`, `tanh`, `sigmoid`, `linear`, `leaky_relu`";
    a.chrome.warn(err);
    let t = text(&draw(&a, 80, 24));
    let flat: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
    for word in err.split(' ') {
        assert!(flat.contains(word), "{word:?} hidden:\n{t}");
    }
}

fn click(app: &mut App, kind: MouseEventKind, column: u16, row: u16) {
    view::update(
        app,
        Event::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }),
    );
}

/// N turns the network panel into the weights panel and back.
#[test]
fn n_switches_the_network_panel_and_the_weights_panel() {
    let mut a = trained("playground", ColorMode::Truecolor, 20);
    assert!(a.net.show, "the network panel is the default where it fits");
    press(&mut a, KeyCode::Char('N'), KeyModifiers::SHIFT);
    let t = text(&draw(&a, 120, 40));
    assert!(
        t.contains("weights 2-4-2-1") && !t.contains("network 2-4-2-1"),
        "{t}"
    );
    press(&mut a, KeyCode::Char('N'), KeyModifiers::SHIFT);
    let t = text(&draw(&a, 120, 40));
    assert!(t.contains("network 2-4-2-1"), "{t}");
    // Wide layers do not fit: the weights panel opens, N shows the strongest neurons.
    let mut n = trained("numpy", ColorMode::Truecolor, 2);
    assert!(!n.net.show);
    press(&mut n, KeyCode::Char('N'), KeyModifiers::SHIFT);
    let t = text(&draw(&n, 120, 40));
    assert!(t.contains("of 25") && t.contains("of 50"), "{t}");
}

/// A neuron chosen with the keys is drawn in the field, with its weights read out; the
/// probe reads every neuron at its point. Snapshot with colours.
#[test]
fn a_selected_neuron_fills_the_field_and_the_probe_reads_out() {
    let mut a = trained("playground", ColorMode::Truecolor, 80);
    // Tab to the network panel, the first hidden neuron, down to the second, Enter.
    press(&mut a, KeyCode::Tab, KeyModifiers::NONE);
    draw(&a, 120, 40);
    press(&mut a, KeyCode::Down, KeyModifiers::NONE);
    press(&mut a, KeyCode::Down, KeyModifiers::NONE);
    press(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    let t = text(&draw(&a, 120, 40));
    assert!(t.contains("layer 1 neuron 2 · tanh · Esc: output"), "{t}");
    assert!(
        t.contains("layer 1 neuron 2 · tanh · bias"),
        "the read-out: {t}"
    );
    // The field draws the neuron: not the output's picture.
    let out = {
        let mut b = trained("playground", ColorMode::Truecolor, 80);
        b.net.show = true;
        draw(&b, 120, 40)
    };
    let now = draw(&a, 120, 40);
    let differ = (1..50u16)
        .flat_map(|x| (2..25u16).map(move |y| (x, y)))
        .filter(|&(x, y)| now[(x, y)].bg != out[(x, y)].bg)
        .count();
    assert!(differ > 100, "only {differ} field cells changed");
    // The probe: back to the field, an arrow places it in the middle.
    press(&mut a, KeyCode::BackTab, KeyModifiers::NONE);
    press(&mut a, KeyCode::Up, KeyModifiers::NONE);
    press(&mut a, KeyCode::Left, KeyModifiers::NONE);
    let buf = draw(&a, 120, 40);
    let t = text(&buf);
    assert!(t.contains("probe (") && t.contains("p(class 1)"), "{t}");
    assert!(
        t.contains("probe: L1 ") && t.contains(" · L2 ") && t.contains(" · out "),
        "{t}"
    );
    assert!(t.contains('╋'), "the probe's cross on the field: {t}");
    insta::assert_snapshot!(format!("{buf:?}"));
    // Esc in the network panel: the output again.
    press(&mut a, KeyCode::Tab, KeyModifiers::NONE);
    press(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(a.net.selected, None);
}

/// Enter on a feature turns it on (a new network takes it as an input) and says so.
#[test]
fn a_feature_toggled_in_the_panel_rebuilds_the_network() {
    let mut a = trained("playground", ColorMode::Ansi256, 3);
    press(&mut a, KeyCode::Tab, KeyModifiers::NONE);
    draw(&a, 120, 40);
    // First hidden neuron, left to the features (x1), down twice to x1².
    press(&mut a, KeyCode::Down, KeyModifiers::NONE);
    press(&mut a, KeyCode::Left, KeyModifiers::NONE);
    press(&mut a, KeyCode::Down, KeyModifiers::NONE);
    press(&mut a, KeyCode::Down, KeyModifiers::NONE);
    press(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(
        a.spec().model.features,
        vec![
            nnbook::nn::Feature::X1,
            nnbook::nn::Feature::X2,
            nnbook::nn::Feature::X1Squared
        ]
    );
    assert_eq!(a.run.snap.net.layers[0].w.nrows(), 3);
    assert_eq!(a.run.snap.epoch, 0, "a new input resets the run");
    let t = text(&draw(&a, 120, 40));
    assert!(t.contains("input x1² added"), "{t}");
}

/// The mouse: a click on a neuron selects it, on the field places the probe, the wheel over
/// a chart zooms it, a click on the parameters focuses them.
#[test]
fn mouse_events_go_to_the_panel_under_them() {
    let mut a = trained("playground", ColorMode::Truecolor, 300);
    draw(&a, 120, 40);
    let node = {
        let r = a.net.regions.borrow();
        r.layout.columns[2].nodes[1]
    };
    click(
        &mut a,
        MouseEventKind::Down(MouseButton::Left),
        node.rect.x + 2,
        node.rect.y,
    );
    assert_eq!(a.net.selected, Some(node.node));
    assert_eq!(a.focus, classifier::keys::Focus::Network);
    // The field: the probe lands on the clicked cell's point.
    click(&mut a, MouseEventKind::Down(MouseButton::Left), 30, 12);
    let p = a.net.probe.expect("probe placed");
    let (plot, f) = a.net.regions.borrow().field.expect("field drawn");
    assert_eq!(
        Some(p),
        Some(f.cell_point((30 - plot.x) as usize, (12 - plot.y) as usize))
    );
    assert_eq!(a.focus, classifier::keys::Focus::Boundary);
    click(&mut a, MouseEventKind::Down(MouseButton::Right), 30, 12);
    assert_eq!(a.net.probe, None);
    // The wheel over the loss chart zooms it in.
    let loss = a.net.regions.borrow().loss.expect("loss drawn");
    let before = a.shown.span;
    click(&mut a, MouseEventKind::ScrollUp, loss.x + 5, loss.y + 3);
    assert_ne!(a.shown.span, before, "the wheel zoomed");
    // A click on the parameters focuses them.
    let params = a.net.regions.borrow().params.expect("params drawn");
    click(
        &mut a,
        MouseEventKind::Down(MouseButton::Left),
        params.x + 3,
        params.y + 3,
    );
    assert_eq!(a.focus, classifier::keys::Focus::Params);
}

/// The network panel in every colour mode keeps its signs: mono draws negative edges dotted
/// and biases as + and -, 16 colours use the class hues.
#[test]
fn the_network_panel_reads_in_mono_and_16_colours() {
    for mode in [ColorMode::Mono, ColorMode::Ansi16] {
        let a = trained("playground", mode, 40);
        let buf = draw(&a, 120, 40);
        let t = text(&buf);
        assert!(t.contains("network 2-4-2-1"), "{t}");
        // The key says how signs read in this mode.
        let key = if mode == ColorMode::Mono {
            "dense > 0 · sparse < 0"
        } else {
            "blue > 0 · yellow < 0"
        };
        assert!(t.contains(key), "{t}");
        if mode == ColorMode::Mono {
            assert!(
                buf.content()
                    .iter()
                    .all(|c| c.fg == ratatui::style::Color::Reset
                        && c.bg == ratatui::style::Color::Reset)
            );
        } else {
            assert!(buf.content().iter().any(|c| matches!(
                c.bg,
                ratatui::style::Color::Blue
                    | ratatui::style::Color::LightBlue
                    | ratatui::style::Color::Yellow
                    | ratatui::style::Color::LightYellow
            )));
        }
    }
}

/// c shows the test set's confusion matrix with per-class accuracy; x marks the points the
/// network gets wrong.
#[test]
fn the_confusion_overlay_and_misclassified_marks() {
    let mut a = trained("playground", ColorMode::Truecolor, 40);
    press(&mut a, KeyCode::Char('c'), KeyModifiers::NONE);
    let buf = draw(&a, 120, 40);
    let t = text(&buf);
    assert!(t.contains("confusion matrix (test set)"), "{t}");
    let m = classifier::confusion::matrix(&a, true);
    // Rows sum to the test set's class counts.
    for (c, row) in m.iter().enumerate() {
        let n = a.run.snap.data.test.y.iter().filter(|&&y| y == c).count();
        assert_eq!(row.iter().sum::<usize>(), n);
    }
    let wrong = m[0][1] + m[1][0];
    assert!(
        t.contains(&format!("{wrong} of 250 test points wrong")),
        "{t}"
    );
    insta::assert_snapshot!(format!("{buf:?}"));
    press(&mut a, KeyCode::Char('c'), KeyModifiers::NONE);
    // x: misclassified points are drawn in the warning colour.
    let before = draw(&a, 120, 40);
    let warn = ratatui::style::Color::Rgb(255, 95, 90);
    let marked = |b: &Buffer| {
        b.content()[..120 * 26]
            .iter()
            .filter(|c| c.fg == warn && c.symbol() != " ")
            .count()
    };
    press(&mut a, KeyCode::Char('x'), KeyModifiers::NONE);
    let after = draw(&a, 120, 40);
    assert!(marked(&after) > marked(&before), "no point marked");
    assert!(wrong > 0, "a 40-epoch run gets some wrong");
}

/// What a screen sends to the terminal, through the app's own frame writer.
fn sent(app: &App, w: u16, h: u16) -> String {
    use std::sync::{Arc, Mutex};
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Shared {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("lock").extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let out = Shared::default();
    let backend = ratatui::backend::CrosstermBackend::new(nnbook::tui::terminal::FrameWriter::new(
        out.clone(),
    ));
    let mut t = Terminal::with_options(
        backend,
        ratatui::TerminalOptions {
            viewport: ratatui::Viewport::Fixed(Rect::new(0, 0, w, h)),
        },
    )
    .expect("terminal");
    nnbook::tui::terminal::draw_frame(&mut t, |f| view::draw(app, f), None).expect("draw");
    String::from_utf8_lossy(&out.0.lock().expect("lock")).to_string()
}

/// The parameters of every SGR sequence (`ESC [ … m`) in `s`.
fn sgr_params(s: &str) -> Vec<u32> {
    let mut out = Vec::new();
    for part in s.split("\x1b[").skip(1) {
        let end = part.find(|c: char| !(c.is_ascii_digit() || c == ';'));
        if let Some(e) = end
            && part[e..].starts_with('m')
        {
            out.extend(part[..e].split(';').filter_map(|p| p.parse::<u32>().ok()));
        }
    }
    out
}

#[test]
fn sixteen_colours_send_plain_sgr_codes_and_mono_sends_none() {
    let a = trained("playground", ColorMode::Ansi16, 40);
    let s = sent(&a, 120, 40);
    for long in ["38;5;", "48;5;", "38;2;", "48;2;"] {
        assert!(!s.contains(long), "16 colours sent {long:?}");
    }
    let p = sgr_params(&s);
    // The field's light middle (grey, 47) and the classes' backgrounds go out as 40–47/100–107.
    assert!(p.contains(&47), "no grey background");
    assert!(
        p.iter()
            .any(|&c| (30..=37).contains(&c) || (90..=97).contains(&c))
    );
    let a = trained("playground", ColorMode::Mono, 40);
    let s = sent(&a, 120, 40);
    let colours: Vec<u32> = sgr_params(&s)
        .into_iter()
        .filter(|&c| matches!(c, 30..=38 | 40..=48 | 90..=97 | 100..=107))
        .collect();
    assert!(colours.is_empty(), "mono sent colour codes {colours:?}");
}

/// Without Unicode (a locale that is not UTF-8, a VT100, the Linux console) the field still
/// shows its shades, the points and the boundary, in ASCII.
#[test]
fn the_ascii_field_shows_the_field_the_points_and_the_boundary() {
    use nnbook::widgets::palette::{Glyphs, Palette};
    let a = trained("playground", ColorMode::Ansi256, 200);
    let (w, h) = (60u16, 30u16);
    let frame =
        nnbook::widgets::braille::Frame2d::fit([-6.0, 6.0], [-6.0, 6.0], w as usize, h as usize);
    let draw = |pal: &Palette| {
        let area = Rect::new(0, 0, w, h);
        let mut buf = Buffer::empty(area);
        nnbook::widgets::heatmap::draw_field(
            &mut buf,
            area,
            &frame,
            &a.run.snap.net,
            &a.run.snap.data,
            Default::default(),
            pal,
        );
        buf
    };
    for glyphs in [Glyphs::Ascii, Glyphs::Block] {
        let buf = draw(&Palette::with_glyphs(ColorMode::Ansi256, glyphs));
        let t = text(&buf);
        let allowed = |c: char| c.is_ascii() || (glyphs == Glyphs::Block && c == '▀');
        assert!(t.chars().all(allowed), "{glyphs:?}:\n{t}");
        assert!(t.contains('@') && t.contains('o'), "points:\n{t}");
        assert!(t.chars().any(|c| "-|/\\.".contains(c)), "boundary:\n{t}");
        let shades: std::collections::HashSet<_> = buf.content().iter().map(|c| c.bg).collect();
        assert!(shades.len() >= 6, "{} shades", shades.len());
        if glyphs == Glyphs::Block {
            assert!(t.contains('▀'), "half blocks:\n{t}");
        }
    }
    // No colour and no Unicode: the density ramp, classes as letters.
    let buf = draw(&Palette::with_glyphs(ColorMode::Mono, Glyphs::Ascii));
    let t = text(&buf);
    assert!(t.is_ascii(), "{t}");
    assert!(t.contains('X') && t.contains('O') && t.contains('%'), "{t}");
    assert!(
        buf.content()
            .iter()
            .all(|c| c.fg == ratatui::style::Color::Reset && c.bg == ratatui::style::Color::Reset)
    );
}

/// The chart cursor takes the field back to the kept weights nearest its epoch and says so,
/// while the header and status keep the run's own epoch; Esc brings the newest back.
#[test]
fn the_chart_cursor_shows_that_epochs_boundary() {
    let mut a = app("playground", ColorMode::Truecolor);
    // Ten epochs at a time, each pulled: the weights of epochs 10, 20, … 60 are kept.
    for _ in 0..6 {
        a.run.session.train_inline(10);
        a.pull();
    }
    let now = draw(&a, 120, 40);
    a.focus = classifier::keys::Focus::Charts;
    // Back from 60 by one step (at most 100 steps across the run) until epoch 20.
    while a.cursor.is_none_or(|c| c > 20) {
        press(&mut a, KeyCode::Left, KeyModifiers::NONE);
    }
    let viewing = a.viewing.as_ref().map(|v| v.epoch);
    assert_eq!(viewing, Some(20), "cursor {:?}", a.cursor);
    let buf = draw(&a, 120, 40);
    let t = text(&buf);
    assert!(t.contains("decision boundary at epoch 20"), "{t}");
    assert!(t.contains("viewing epoch 20 of 60"), "{t}");
    assert!(
        t.contains("epoch 60 ⏸"),
        "the header keeps the run's epoch:\n{t}"
    );
    // The field itself differs from the newest one.
    let field = |b: &Buffer| -> Vec<String> {
        (3..20)
            .flat_map(|y| (8..50).map(move |x| (x, y)))
            .map(|p| format!("{:?}", b[p]))
            .collect()
    };
    assert_ne!(field(&buf), field(&now), "the field did not go back");
    press(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    assert!(a.viewing.is_none());
    assert_eq!(field(&draw(&a, 120, 40)), field(&now));
}

/// `s` smooths the charts: a moving average over the raw series, which stay, faint.
#[test]
fn smoothing_draws_the_average_over_the_faint_raw_series() {
    let mut a = trained("playground", ColorMode::Truecolor, 80);
    let raw = draw(&a, 120, 40);
    press(&mut a, KeyCode::Char('s'), KeyModifiers::NONE);
    press(&mut a, KeyCode::Char('s'), KeyModifiers::NONE);
    assert_eq!(a.shown.smoothing, Some(Smoothing::Ema(0.9)));
    let buf = draw(&a, 120, 40);
    assert!(text(&buf).contains("smoothed 0.9"), "{}", text(&buf));
    let faint = |b: &Buffer| {
        b.content
            .iter()
            .filter(|c| c.fg == ratatui::style::Color::Rgb(112, 114, 122))
            .count()
    };
    assert_eq!(faint(&raw), 0);
    assert!(faint(&buf) > 10, "no faint raw series");
    // Then the notebooks' 10-epoch trailing mean, drawn and named; off again after it.
    press(&mut a, KeyCode::Char('s'), KeyModifiers::NONE);
    press(&mut a, KeyCode::Char('s'), KeyModifiers::NONE);
    assert_eq!(a.shown.smoothing, Some(Smoothing::Trailing(10)));
    a.chrome.message = None;
    let mean = draw(&a, 120, 40);
    assert!(text(&mean).contains("10-epoch mean"), "{}", text(&mean));
    assert!(faint(&mean) > 10, "no faint raw series under the mean");
    assert_ne!(text(&mean), text(&buf));
    press(&mut a, KeyCode::Char('s'), KeyModifiers::NONE);
    assert_eq!(a.shown.smoothing, None);
}

/// The early-stopping chapter opens with the notebook's 10-epoch trailing mean on its charts.
#[test]
fn early_stopping_opens_with_the_ten_epoch_mean() {
    let a = trained("early-stopping", ColorMode::Truecolor, 12);
    assert_eq!(a.shown.smoothing, Some(Smoothing::Trailing(10)));
    assert!(text(&draw(&a, 120, 40)).contains("10-epoch mean"));
}

/// The λ sweep: seven runs in a grid of four over three, each panel the run's layer-3 weight
/// matrix on one colour scale, titled with its MIN, MAX and MEAN; `N` steps through the
/// layers and back to the boundaries.
#[test]
fn regularization_sweep_shows_seven_weight_matrices_with_their_min_max_mean() {
    let sc = scenario::load("regularization-sweep").expect("bundled");
    assert_eq!(sc.view.weights_layer, Some(2));
    let sessions = CompareView::specs(&sc)
        .into_iter()
        .map(|c| Session::inline(Trainer::new(c, sc.seed).expect("data")))
        .collect();
    let mut a = CompareView::new(&sc, sessions, ColorMode::Ansi256).expect("app");
    assert_eq!(a.runs.len(), 7);
    for (_, r) in &mut a.runs {
        r.train_inline(1);
    }
    let mut t = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    t.draw(|f| view::draw(&a, f)).expect("draw");
    let buf = t.backend().buffer().clone();
    let s = text(&buf);
    for want in [
        "● none",
        "● λ 1e-5",
        "● λ 1e-4",
        "● λ 1e-3",
        "● λ 0.01",
        "● λ 0.1",
        "● λ 1 ",
    ] {
        assert!(s.contains(want), "missing {want:?}:\n{s}");
    }
    // Each panel's first line: that run's MIN, MAX and MEAN, as `nnbook train` prints them.
    let stats = |i: usize| {
        let w = &a.runs[i].1.field.layers[2].w;
        nnbook::widgets::weights::MatrixStats::of(w.view())
    };
    assert_eq!(a.runs[0].1.field.layers[2].w.dim(), (32, 128));
    let lines = s.lines().filter(|l| l.contains("MIN ")).count()
        + s.lines().filter(|l| l.contains("… ")).count();
    assert!(lines >= 2, "two rows of panels with their stats:\n{s}");
    let shown = stats(0);
    assert!(
        s.contains(&format!("{:.2}", shown.min)) && s.contains(&format!("{:.2}", shown.max)),
        "{shown:?}\n{s}"
    );
    // Four panels across the top row, three below, all as wide.
    let top_row = s.lines().find(|l| l.contains("● none")).unwrap_or_default();
    assert_eq!(top_row.matches('●').count(), 4, "{top_row}");
    insta::assert_snapshot!(format!("{buf:?}"));
    // D: the same matrices as 3-D surfaces on one height scale, as the notebook draws them
    // (that a shrunken matrix lies flat is tested with the widget).
    view::update(
        &mut a,
        Event::Key(KeyEvent::new(KeyCode::Char('D'), KeyModifiers::NONE)),
    );
    assert!(a.weights_3d);
    a.chrome.message = None;
    t.draw(|f| view::draw(&a, f)).expect("draw");
    let surf = t.backend().buffer().clone();
    let st = text(&surf);
    assert!(st.contains("MIN ") && st.contains("out"), "{st}");
    insta::assert_snapshot!("regularization_sweep_as_surfaces", format!("{surf:?}"));
    view::update(
        &mut a,
        Event::Key(KeyEvent::new(KeyCode::Char('D'), KeyModifiers::NONE)),
    );
    assert!(!a.weights_3d);
    // N: layer 4, …, then back to the boundaries.
    let layers = a.runs[0].1.field.layers.len();
    for _ in 2..layers {
        view::update(
            &mut a,
            Event::Key(KeyEvent::new(KeyCode::Char('N'), KeyModifiers::NONE)),
        );
    }
    assert_eq!(a.weights_layer, None);
    t.draw(|f| view::draw(&a, f)).expect("draw");
    let boundaries = text(t.backend().buffer());
    assert!(!boundaries.contains("MIN "), "{boundaries}");
}

/// The moving-averages chapter: the noisy points and four curves growing point by point,
/// the legend reading each average now; `c` switches to the bias-corrected averages.
#[test]
fn moving_averages_grow_point_by_point() {
    use nnbook::screens::averages::{AveragesView, keys::AvgAction};
    let sc = scenario::load("moving-averages").expect("bundled");
    let Body::Averages(spec) = sc.body.clone() else {
        panic!("not the averages chapter")
    };
    let mut a = AveragesView::new(&sc, spec, ColorMode::Truecolor);
    for _ in 0..119 {
        a.act(AvgAction::Step);
    }
    assert_eq!(a.shown, 120);
    for (w, h) in [(120, 40), (80, 24)] {
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        t.draw(|f| view::draw(&a, f)).expect("draw");
        let buf = t.backend().buffer().clone();
        let s = text(&buf);
        for want in ["t 120", "β 0.8", "β 0.98", "from v_0 = 0"] {
            assert!(s.contains(want), "{w}x{h} missing {want:?}:\n{s}");
        }
        // Each curve in its own colour.
        let colours: std::collections::HashSet<_> = buf
            .content
            .iter()
            .filter(|c| {
                c.symbol()
                    .chars()
                    .any(|ch| ('\u{2801}'..='\u{28ff}').contains(&ch))
            })
            .map(|c| c.fg)
            .collect();
        assert!(colours.len() >= 5, "{w}x{h}: {colours:?}");
        insta::assert_snapshot!(format!("moving_averages_{w}x{h}"), format!("{buf:?}"));
    }
    let v = a.averages();
    let mut t = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    a.act(AvgAction::ToggleCorrection);
    t.draw(|f| view::draw(&a, f)).expect("draw");
    let s = text(t.backend().buffer());
    assert!(s.contains("bias corrected"), "{s}");
    assert_ne!(a.averages(), v);
}
