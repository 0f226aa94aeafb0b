//! Runs side by side as a figure.

use super::state::CompareView;
use crate::export::plot::{CYCLE, Curve, canvas, curves, mix_rgb, text};
use crate::export::raster::Image;
use crate::screens::classifier::figure::boundary;

/// Runs side by side as a figure: every run's boundary in a row above shared loss and accuracy
/// charts with one colour per run (test thick, train thin), the notebook's comparison.
pub fn compare(c: &CompareView, w: u32, h: u32) -> Result<Image, Box<dyn std::error::Error>> {
    canvas(w, h, |root| {
        let epoch = c.runs.iter().map(|(_, a)| a.snap.epoch).max().unwrap_or(0);
        let title = format!("{} — epoch {epoch}", c.chrome.title);
        let root = root.titled(&title, text(h as f64 / 24.0))?;
        let rows = root.dim_in_pixel().1;
        let (top, bottom) = root.split_vertically(rows * 11 / 20);
        let panels = top.split_evenly((1, c.runs.len().max(1)));
        for ((name, app), area) in c.runs.iter().zip(&panels) {
            let caption = match app.history.last() {
                Some(r) => format!("{name} · test {:.3}", r.test_acc),
                None => name.clone(),
            };
            boundary(app, area, &caption)?;
        }
        let (left, right) = bottom.split_horizontally(w / 2);
        for (area, loss) in [(&left, true), (&right, false)] {
            let mut lines = Vec::new();
            for (i, (name, app)) in c.runs.iter().enumerate() {
                let recs = app.history.whole();
                let col = CYCLE[i % CYCLE.len()];
                lines.push(Curve::of(&recs, loss, false, "", mix_rgb(col, 0.45), 1));
                lines.push(Curve::of(&recs, loss, true, name, col, 2));
            }
            let caption = if loss {
                "loss (test thick, train thin)"
            } else {
                "accuracy (test thick, train thin)"
            };
            curves(area, caption, loss, lines)?;
        }
        Ok(())
    })
}
