//! Every kind of chapter as a screen over the shared machinery in `view`: one folder per kind
//! (state, keys, drawing, figure), and [`open`], the one place a scenario's body becomes a
//! screen. The terminal loop and the headless export both hold a `Box<dyn View>`.

pub mod attractor;
pub mod averages;
pub mod classifier;
pub mod compare;
pub mod editor;
pub mod ladder;
pub mod race;
pub mod view;

use crate::keymap::{self, Section};
use crate::scenario::{Body, Scenario};
use crate::train::{Lockstep, Session, Trainer};
use crate::widgets::palette::ColorMode;
use std::path::PathBuf;
use std::sync::Arc;
pub use view::OpenError;
use view::View;

/// How a trainer is driven: on its own thread (calling `notify` when it publishes), or inline
/// by the caller (export and tests: the same seed gives the same frames).
#[derive(Clone)]
pub enum Driver {
    Threaded(Arc<dyn Fn() + Send + Sync>),
    Inline,
}

/// How a chapter opens.
#[derive(Clone)]
pub struct Open {
    pub mode: ColorMode,
    pub driver: Driver,
    /// Start running at once (else paused).
    pub run: bool,
    /// Where the scenario's relative paths resolve (its folder).
    pub dir: Option<PathBuf>,
}

/// A session on `spec`; runs side by side pass their gate and place in it.
fn session(
    sc: &Scenario,
    spec: crate::scenario::Classifier,
    how: &Open,
    lockstep: Option<(&Lockstep, usize)>,
) -> Result<Session, OpenError> {
    let mut trainer = Trainer::new(spec, sc.seed).map_err(|source| OpenError::Data {
        title: sc.title.clone(),
        source,
    })?;
    // A run alone keeps to one core here: the UI thread drawing beside it needs the other
    // (a split batch's second thread would compete with it; `nnbook train` splits).
    if let Some((gate, slot)) = lockstep {
        trainer = trainer.in_lockstep(gate.clone(), slot);
    }
    Ok(match &how.driver {
        Driver::Inline => Session::inline(trainer),
        Driver::Threaded(notify) => {
            let notify = notify.clone();
            Session::spawn(trainer, move || notify())
        }
    })
}

/// The screen for a scenario: the one place its body is matched.
pub fn open(sc: &Scenario, how: &Open) -> Result<Box<dyn View>, OpenError> {
    let session_error = |source| OpenError::Session {
        title: sc.title.clone(),
        source,
    };
    let mut view: Box<dyn View> = match &sc.body {
        Body::Classifier(spec) => {
            let s = session(sc, spec.clone(), how, None)?;
            Box::new(
                classifier::ClassifierView::new(sc, how.dir.clone(), s, how.mode)
                    .map_err(session_error)?,
            )
        }
        Body::Compare(runs) => {
            // Each run on its own thread, all in step epoch by epoch.
            let gate = Lockstep::new(runs.len());
            let mut sessions = Vec::new();
            for (i, (_, spec)) in runs.iter().enumerate() {
                sessions.push(session(sc, spec.clone(), how, Some((&gate, i)))?);
            }
            Box::new(compare::CompareView::new(sc, sessions, how.mode)?)
        }
        Body::Race(race) => Box::new(race::RaceView::new(
            sc,
            race.clone(),
            how.dir.clone(),
            how.mode,
        )),
        Body::Lorenz(spec) => Box::new(attractor::AttractorView::new(sc, spec.clone(), how.mode)),
        Body::Averages(spec) => Box::new(averages::AveragesView::new(sc, spec.clone(), how.mode)),
    };
    view.start(how.run);
    Ok(view)
}

/// The key reference of every screen as Markdown, for `docs/keys.md` (a test keeps the file
/// in step): the chrome's keys, then each screen's own.
pub fn keys_markdown() -> String {
    let chrome = keymap::section(
        view::CHROME_BINDINGS,
        keymap::Context::Everywhere,
        "Every screen",
    );
    let screens: [(&str, Vec<Section>); 4] = [
        ("Classifier chapters", classifier::sections()),
        ("Side-by-side chapters", compare::sections()),
        ("Optimizer races", race::sections()),
        ("The attractor", attractor::sections()),
    ];
    let mut s = String::from(
        "# Keys\n\nGenerated from the binding tables (`src/screens/view.rs` for every screen's\n\
         chrome, `src/screens/*/keys.rs` for each screen's own); the same tables drive the\n\
         keyboard, the `?` overlay and the key hints, and `tests/docs.rs` fails when this file\n\
         falls behind.\n",
    );
    s += &keymap::markdown(&[chrome], "##");
    for (name, sections) in screens {
        s += &format!("\n## {name}\n");
        s += &keymap::markdown(&sections, "###");
    }
    s += "\nIn the editor (`e`): `Ctrl-S` checks and applies the scenario, `Ctrl-O` applies it and\n\
          saves it into its file (`W` outside the editor), `Esc` discards the edit; everything else\n\
          edits the text. Over unsaved changes, `Esc` and `Ctrl-C` (quit) first say what they\n\
          would drop and act on a second press. Any key closes the help overlay; an error\n\
          message stays until the next key.\n";
    s
}
