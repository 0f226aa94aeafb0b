//! How runs are shown, the same for one run and for runs side by side: which layers of the
//! field are drawn, whether the loss is on a log scale, which epochs the charts span.

use super::keys::Action;
use crate::widgets::chart::ChartSpan;
use crate::widgets::heatmap::Layers;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shown {
    pub layers: Layers,
    pub log_loss: bool,
    pub span: ChartSpan,
}

impl Default for Shown {
    fn default() -> Self {
        Shown {
            layers: Layers::default(),
            log_loss: true,
            span: ChartSpan::default(),
        }
    }
}

impl Shown {
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
