//! How runs are shown, the same for one run and for runs side by side: which layers of the
//! field are drawn, whether the loss is on a log scale, which epochs the charts span.

use super::keys::Action;
use crate::scenario::{Body, Scenario, Smoothing};
use crate::widgets::chart::ChartSpan;
use crate::widgets::heatmap::Layers;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shown {
    pub layers: Layers,
    pub log_loss: bool,
    pub span: ChartSpan,
    /// The charts' smoothing drawn over the raw series: an exponential moving average or a
    /// trailing mean (`s` steps through [`SMOOTHING`]; `[train] smoothing` or
    /// `moving_average` opens with one).
    pub smoothing: Option<Smoothing>,
}

/// What `s` steps through, then off again: TensorBoard's slider in steps, then the notebooks'
/// 10-epoch trailing mean.
pub const SMOOTHING: [Smoothing; 4] = [
    Smoothing::Ema(0.6),
    Smoothing::Ema(0.9),
    Smoothing::Ema(0.97),
    Smoothing::Trailing(10),
];

impl Default for Shown {
    fn default() -> Self {
        Shown {
            layers: Layers::default(),
            log_loss: true,
            span: ChartSpan::default(),
            smoothing: None,
        }
    }
}

impl Shown {
    /// As a chapter opens: smoothing as its scenario says (`[train] smoothing`; side by side,
    /// the first run's).
    pub fn opened(sc: &Scenario) -> Self {
        let smoothing = match &sc.body {
            Body::Classifier(c) => c.train.smoothing,
            Body::Compare(runs) => runs.first().and_then(|(_, c)| c.train.smoothing),
            _ => None,
        };
        Shown {
            smoothing: smoothing.filter(|s| *s != Smoothing::Ema(0.0)),
            ..Shown::default()
        }
    }

    /// Takes a key that changes what is shown (`last` is the newest epoch, for the zoom):
    /// `None` when `action` is not one of those, else what to say (a zoom at its end says why
    /// nothing changed).
    pub fn act(&mut self, action: Action, last: usize) -> Option<Option<&'static str>> {
        let l = &mut self.layers;
        match action {
            Action::ToggleField => l.field = !l.field,
            Action::ToggleBoundary => l.boundary = !l.boundary,
            Action::ToggleTrain => l.train = !l.train,
            Action::ToggleTest => l.test = !l.test,
            Action::ToggleErrors => l.errors = !l.errors,
            Action::ToggleLog => self.log_loss = !self.log_loss,
            Action::ToggleWhole => self.span.toggle_whole(),
            Action::Smoothing => {
                // The next step after the one shown (a scenario's own, not in the list, goes
                // back to the start of it).
                self.smoothing = match self.smoothing {
                    None => Some(SMOOTHING[0]),
                    Some(s) => match SMOOTHING.iter().position(|&x| x == s) {
                        Some(i) => SMOOTHING.get(i + 1).copied(),
                        None => Some(SMOOTHING[0]),
                    },
                };
                return Some(Some(match self.smoothing {
                    Some(Smoothing::Ema(w)) if w <= 0.6 => {
                        "charts smoothed 0.6, raw faint (s: more)"
                    }
                    Some(Smoothing::Ema(w)) if w <= 0.9 => "charts smoothed 0.9 (s: more)",
                    Some(Smoothing::Ema(_)) => "charts smoothed 0.97 (s: 10-epoch mean)",
                    Some(Smoothing::Trailing(_)) => {
                        "charts: mean of the last 10 epochs, as the notebooks plot it (s: off)"
                    }
                    None => "charts: raw series",
                }));
            }
            Action::ZoomIn | Action::ZoomOut => {
                let inward = action == Action::ZoomIn;
                if !self.span.zoom(inward, last) {
                    return Some(Some(if inward {
                        "the charts show as few epochs as they can (Z zooms out)"
                    } else {
                        "the charts show the whole run already (z zooms in)"
                    }));
                }
            }
            _ => return None,
        }
        Some(None)
    }
}
