//! The mathematics chapter's figure: sigmoid, tanh, ReLU and leaky ReLU with their
//! derivatives, on [−5, 5]; the network's own activation is highlighted.

use super::state::ClassifierView;
use crate::nn::Activation;
use crate::widgets::chrome::panel;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Clear, Dataset, GraphType};

pub const SHOWN: [Activation; 4] = [
    Activation::Sigmoid,
    Activation::Tanh,
    Activation::Relu,
    Activation::LeakyRelu(0.1),
];

/// Points of a curve.
pub type Points = Vec<(f64, f64)>;

/// f and f′ sampled on [−5, 5].
pub fn curves(a: Activation, n: usize) -> (Points, Points) {
    let xs = (0..=n).map(|i| -5.0 + 10.0 * i as f64 / n as f64);
    (
        xs.clone().map(|x| (x, a.apply(x))).collect(),
        xs.map(|x| (x, a.derivative(x))).collect(),
    )
}

pub fn render(frame: &mut Frame, area: Rect, app: &ClassifierView) {
    frame.render_widget(Clear, area);
    let rows = Layout::vertical([Constraint::Fill(1), Constraint::Fill(1)]).split(area);
    let pal = &app.chrome.palette;
    let acts = &app.run.snap.net.arch.activations;
    for (k, a) in SHOWN.iter().enumerate() {
        let cols =
            Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).split(rows[k / 2]);
        let cell = cols[k % 2];
        let (f, d) = curves(*a, (cell.width as usize * 2).max(8));
        let ours = acts.iter().any(|b| b.name() == a.name());
        let label = match a {
            Activation::LeakyRelu(s) => format!("leaky relu (slope {s})"),
            other => other.name().to_string(),
        };
        let title = Line::from(vec![
            Span::styled(
                format!(" {label} "),
                Style::default().add_modifier(Modifier::BOLD),
            ),
            Span::styled("f ", Style::default().fg(pal.series(false))),
            Span::styled("f′ ", Style::default().fg(pal.series(true))),
            Span::raw(if ours { "· this network's " } else { "" }),
            Span::raw(if k == 0 { "· a hides " } else { "" }),
        ]);
        let (lo, hi) = match a {
            Activation::Relu | Activation::LeakyRelu(_) => (-1.0, 5.0),
            _ => (-1.1, 1.1),
        };
        let dim = Style::default().fg(pal.dim());
        let chart = Chart::new(vec![
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(Style::default().fg(pal.series(false)))
                .data(&f),
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(Style::default().fg(pal.series(true)))
                .data(&d),
        ])
        .block(panel(title, ours, pal))
        .x_axis(
            Axis::default()
                .bounds([-5.0, 5.0])
                .style(dim)
                .labels(["-5", "0", "5"]),
        )
        .y_axis(
            Axis::default()
                .bounds([lo, hi])
                .style(dim)
                .labels([format!("{lo}"), format!("{hi}")]),
        )
        .legend_position(None);
        frame.render_widget(chart, cell);
    }
}
