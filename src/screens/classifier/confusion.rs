//! The classification read-out: the confusion matrix of the test set (rows the true class,
//! columns the predicted one) and each class's accuracy on the train and test sets, for the
//! weights the field shows.

use super::state::ClassifierView;
use crate::nn::{Workspace, confusion};
use crate::widgets::chrome::panel;
use crate::widgets::format::fig;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// The confusion matrix of one set under the field's weights.
pub fn matrix(app: &ClassifierView, test: bool) -> Vec<Vec<usize>> {
    let data = &app.run.snap.data;
    let set = if test { &data.test } else { &data.train };
    let net = &app.run.field;
    let pred = net.classes_of_points(&set.x, &mut Workspace::default());
    confusion(&set.y, &pred, data.classes())
}

/// Each class's accuracy: the diagonal over the row's count (NaN for a class with no point).
pub fn per_class(m: &[Vec<usize>]) -> Vec<f64> {
    m.iter()
        .enumerate()
        .map(|(c, row)| {
            let n: usize = row.iter().sum();
            if n == 0 {
                f64::NAN
            } else {
                row[c] as f64 / n as f64
            }
        })
        .collect()
}

pub fn render(frame: &mut Frame, area: Rect, app: &ClassifierView) {
    frame.render_widget(Clear, area);
    let pal = &app.chrome.palette;
    let block = panel(" confusion matrix (test set) · c closes ", false, pal);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let test = matrix(app, true);
    let train = per_class(&matrix(app, false));
    let acc = per_class(&test);
    let k = test.len();
    let dim = Style::default().fg(pal.dim());
    let w = 7usize;
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{:<12}", "true \\ pred"), dim),
        Span::styled(
            (0..k)
                .map(|c| format!("{:>w$}", format!("c{c}")))
                .collect::<String>(),
            dim,
        ),
        Span::styled(format!("{:>9}{:>9}", "test acc", "train"), dim),
    ])];
    for (c, row) in test.iter().enumerate() {
        let mut spans = vec![Span::styled(
            format!("{:<12}", format!("class {c}")),
            Style::default()
                .fg(pal.class(c))
                .add_modifier(Modifier::BOLD),
        )];
        for (p, &n) in row.iter().enumerate() {
            let style = if p == c {
                Style::default().add_modifier(Modifier::BOLD)
            } else if n > 0 {
                Style::default().fg(pal.warn())
            } else {
                dim
            };
            spans.push(Span::styled(format!("{n:>w$}"), style));
        }
        spans.push(Span::raw(format!("{:>9}{:>9}", fig(acc[c]), fig(train[c]))));
        lines.push(Line::from(spans));
    }
    let wrong: usize = test
        .iter()
        .enumerate()
        .map(|(c, r)| r.iter().sum::<usize>() - r[c])
        .sum();
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        format!(
            "{wrong} of {} test points wrong · x marks them on the field",
            test.iter().flatten().sum::<usize>()
        ),
        dim,
    )));
    frame.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_class_accuracy_is_the_diagonal_over_the_row() {
        let acc = per_class(&[vec![8, 2], vec![1, 9], vec![0, 0]]);
        assert_eq!(acc[0], 0.8);
        assert_eq!(acc[1], 0.9);
        assert!(acc[2].is_nan());
    }
}
