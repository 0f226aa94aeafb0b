//! How runs are shown, the same for one run and for runs side by side: which layers of the
//! field are drawn, whether the loss is on a log scale, which epochs the charts span.

use super::keys::Action;
use crate::scenario::{Body, Scenario};
use crate::widgets::chart::ChartSpan;
use crate::widgets::heatmap::Layers;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shown {
    pub layers: Layers,
    pub log_loss: bool,
    pub span: ChartSpan,
    /// The charts' smoothing: the weight of an exponential moving average drawn over the raw
    /// series (`s` steps through [`SMOOTHING`]; `[train] smoothing` opens with one).
    pub smoothing: Option<f64>,
}

/// The smoothing weights `s` steps through, then off again (TensorBoard's slider, in steps).
pub const SMOOTHING: [f64; 3] = [0.6, 0.9, 0.97];

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
            smoothing: smoothing.filter(|&w| w > 0.0),
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
                self.smoothing = SMOOTHING
                    .iter()
                    .copied()
                    .find(|&w| self.smoothing.is_none_or(|s| w > s + 1e-9));
                return Some(Some(match self.smoothing {
                    Some(w) if w <= 0.6 => "charts smoothed 0.6, raw faint (s: more)",
                    Some(w) if w <= 0.9 => "charts smoothed 0.9 (s: more)",
                    Some(_) => "charts smoothed 0.97 (s: off)",
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
