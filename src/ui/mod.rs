//! Drawing the app: one function per screen region, each reading `&App` only.

pub mod activations;
pub mod attractor;
pub mod charts;
pub mod compare;
pub mod contour;
pub mod heatmap;
pub mod landscape;
pub mod network;
pub mod overlay;
pub mod palette;
pub mod params;

use crate::app::{App, SPEEDS, speed_label};
use crate::keymap::{Action, Focus, keys_for};
use crate::optim::fmt_num;
use crate::train::Health;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

/// Below this the layout cannot show its panels; a message says so instead.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// The whole screen.
///
/// ```text
/// ┌ title · data · network · optimizer ─────────────────────────── epoch 1 240 ▶ ┐
/// │┌ decision boundary ───────┐┌ loss ─────────────────────────────────────────┐ │
/// ││ Braille heatmap          ││ train / test, scrolling                        │ │
/// ││ + train/test points      │└────────────────────────────────────────────────┘ │
/// ││                          │┌ accuracy ─────────────────────────────────────┐ │
/// │└──────────────────────────┘└────────────────────────────────────────────────┘ │
/// │┌ parameters ────────┐┌ weights ──────────────────────────────────────────────┐ │
/// │└────────────────────┘└────────────────────────────────────────────────────────┘ │
/// └ ▶ running · losses · accuracies · epochs/s · message · key hints ──────────────┘
/// ```
pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let presenter = app.stage.presenter;
    let Some([title, body, status]) = screen_rows(frame, app.stage.presenter) else {
        return;
    };
    let bottom_h = (body.height / 3).clamp(7, 14);
    let [top, bottom] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(bottom_h)]).areas(body);
    let heat_w = (top.width * 45 / 100).max(24);
    let [heat, charts] =
        Layout::horizontal([Constraint::Length(heat_w), Constraint::Fill(1)]).areas(top);
    let [loss, acc] = Layout::vertical([Constraint::Fill(1), Constraint::Fill(1)]).areas(charts);
    // Presenter mode hides the parameter panel, like Playground's hidden controls.
    let params_w = if presenter {
        0
    } else {
        34.min(bottom.width / 2)
    };
    let [params, weights] =
        Layout::horizontal([Constraint::Length(params_w), Constraint::Fill(1)]).areas(bottom);

    if presenter {
        banner(frame, title, &app.stage.title(&app.title), &app.palette);
    } else {
        title_bar(frame, title, app);
    }
    boundary(frame, heat, app);
    if app.show_activations {
        activations::render(frame, charts, app);
    } else {
        charts::render(frame, loss, app, charts::Kind::Loss);
        charts::render(frame, acc, app, charts::Kind::Accuracy);
    }
    if !presenter {
        params::render(frame, params, app);
    }
    if app.show_landscape {
        landscape::render(frame, weights, app);
    } else {
        network::render(frame, weights, app);
    }
    status_line(frame, status, app);

    if app.stage.show_notes {
        overlay::notes(
            frame,
            area,
            &app.stage.title(&app.title),
            &app.notes,
            &app.palette,
        );
    }
    if app.help {
        overlay::help(frame, area, app);
    }
    if let Some(ed) = &app.editor {
        overlay::editor(frame, area, &app.palette, ed);
    }
}

/// Presenter mode's title: large, centred, framed, readable from the back of the room.
pub fn banner(frame: &mut Frame, area: Rect, title: &str, pal: &palette::Palette) {
    let block = Block::bordered().border_style(Style::default().fg(pal.accent()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // Letter-spaced capitals stand in for a larger font.
    let big: String = title
        .to_uppercase()
        .chars()
        .flat_map(|c| [c, ' '])
        .collect();
    let text = if big.chars().count() as u16 <= inner.width {
        big
    } else {
        title.to_string()
    };
    frame.render_widget(
        Paragraph::new(Span::styled(
            text,
            Style::default()
                .fg(pal.accent())
                .add_modifier(Modifier::BOLD),
        ))
        .alignment(ratatui::layout::Alignment::Center),
        inner,
    );
}

/// The rows every screen shares — title (three rows in presenter mode), body, status line —
/// or `None`, after saying so, when the terminal is too small for any layout.
pub fn screen_rows(frame: &mut Frame, presenter: bool) -> Option<[Rect; 3]> {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area);
        return None;
    }
    Some(
        Layout::vertical([
            Constraint::Length(if presenter { 3 } else { 1 }),
            Constraint::Fill(1),
            Constraint::Length(1),
        ])
        .areas(area),
    )
}

pub fn too_small(frame: &mut Frame, area: Rect) {
    let msg = vec![
        Line::from("nnbook: the terminal is too small"),
        Line::from(format!(
            "{}×{} — needs at least {MIN_WIDTH}×{MIN_HEIGHT}",
            area.width, area.height
        )),
        Line::from("enlarge it, or press q to quit"),
    ];
    let h = (msg.len() as u16).min(area.height);
    let y = area.y + area.height.saturating_sub(h) / 2;
    frame.render_widget(
        Paragraph::new(msg).alignment(ratatui::layout::Alignment::Center),
        Rect::new(area.x, y, area.width, h),
    );
}

/// A panel's frame, its border lit when it has the focus.
pub fn panel<'a>(title: impl Into<Line<'a>>, focused: bool, pal: &palette::Palette) -> Block<'a> {
    let style = if focused {
        Style::default()
            .fg(pal.accent())
            .add_modifier(Modifier::BOLD)
    } else {
        Style::default().fg(pal.dim())
    };
    Block::bordered().title(title).border_style(style)
}

fn title_bar(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.spec();
    let net = &app.snap.net.arch;
    let batch = match s.train.batch_size {
        0 => "full batch".to_string(),
        b => format!("batch {b}"),
    };
    let left = Line::from(vec![
        Span::styled(
            format!(" {} ", app.stage.title(&app.title)),
            Style::default().add_modifier(Modifier::BOLD),
        ),
        Span::styled(
            format!(
                "─ {} {} · {} {} · {} · {} ",
                s.data.label(),
                app.snap.data.train.len() + app.snap.data.test.len(),
                net.shape_label(),
                net.activation.name(),
                s.optimizer.summary(),
                batch
            ),
            Style::default().fg(app.palette.dim()),
        ),
    ]);
    let state = match app.snap.health {
        Health::Diverged { .. } => "✖",
        Health::Ok if app.snap.running => "▶",
        Health::Ok => "⏸",
    };
    let right = Line::from(format!("epoch {} {state} ", group(app.snap.epoch)));
    frame.render_widget(Paragraph::new(left), area);
    frame.render_widget(
        Paragraph::new(right).alignment(ratatui::layout::Alignment::Right),
        area,
    );
}

/// `1 240 000`: thin groups, readable from the back of a lecture hall.
pub fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(ch);
    }
    out
}

/// A number for the status line: 4 significant digits, `–` when missing.
pub fn fig(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    if v != 0.0 && (v.abs() < 1e-3 || v.abs() >= 1e5) {
        format!("{v:.3e}")
    } else {
        format!("{v:.4}")
    }
}

fn boundary(frame: &mut Frame, area: Rect, app: &App) {
    boundary_panel(
        frame,
        area,
        app,
        " decision boundary ".into(),
        app.focus == Focus::Boundary,
    );
}

/// A run's decision boundary in a titled panel, with axes and legend.
pub fn boundary_panel(frame: &mut Frame, area: Rect, app: &App, title: Line<'_>, focused: bool) {
    let block = panel(title, focused, &app.palette);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // Axes: y labels on the left, x labels on the last row.
    let (vx, vy) = app.snap.data.view();
    if inner.width < 10 || inner.height < 3 {
        return;
    }
    let label_w = 6u16;
    let plot = Rect::new(
        inner.x + label_w,
        inner.y,
        inner.width - label_w,
        inner.height - 1,
    );
    let f = heatmap::Frame2d::fit(vx, vy, plot.width as usize, plot.height as usize);
    heatmap::draw_field(
        frame.buffer_mut(),
        plot,
        &f,
        &app.field,
        &app.snap.data,
        app.layers,
        &app.palette,
    );
    let dim = Style::default().fg(app.palette.dim());
    let buf = frame.buffer_mut();
    let yl = |v: f64| format!("{:>5}", axis_label(v));
    buf.set_string(inner.x, plot.y, yl(f.y[1]), dim);
    buf.set_string(
        inner.x,
        plot.y + plot.height / 2,
        yl((f.y[0] + f.y[1]) / 2.0),
        dim,
    );
    buf.set_string(inner.x, plot.y + plot.height - 1, yl(f.y[0]), dim);
    let by = plot.y + plot.height;
    let x0 = axis_label(f.x[0]);
    let x1 = axis_label(f.x[1]);
    let xm = axis_label((f.x[0] + f.x[1]) / 2.0);
    buf.set_string(plot.x, by, &x0, dim);
    buf.set_string(
        plot.x + plot.width / 2 - (xm.len() as u16) / 2,
        by,
        &xm,
        dim,
    );
    buf.set_string(
        (plot.x + plot.width).saturating_sub(x1.len() as u16),
        by,
        &x1,
        dim,
    );
    // Legend, in the bottom border: what the dots are and which layers are on.
    let on = |b: bool, s: &'static str| if b { s } else { "" };
    let legend = Line::from(vec![
        Span::styled(
            format!(" {}", if app.layers.train { "⣿ train" } else { "" }),
            Style::default().fg(app.palette.class(1)),
        ),
        Span::styled(
            format!(" {}", on(app.layers.test, "⣿ test")),
            Style::default().fg(app.palette.test_point(1)),
        ),
        Span::styled(
            format!(
                " {}{} ",
                on(app.layers.field, "· field"),
                on(app.layers.boundary, " · boundary")
            ),
            dim,
        ),
    ]);
    let w = legend.width() as u16;
    if w + 2 < area.width {
        buf.set_line(
            area.x + area.width - w - 1,
            area.y + area.height - 1,
            &legend,
            w,
        );
    }
}

/// The recording badge of a status line.
pub fn rec_span(rec: &str, pal: &palette::Palette) -> Span<'static> {
    Span::styled(
        format!("● {rec} "),
        Style::default().fg(pal.warn()).add_modifier(Modifier::BOLD),
    )
}

/// Ends a status line the same way in every view: the passing message, then the key hints on
/// the right when they fit (and presenter mode does not hide them).
pub fn status_bar(
    frame: &mut Frame,
    area: Rect,
    mut spans: Vec<Span<'_>>,
    message: &Option<(String, std::time::Instant)>,
    hints: &str,
    presenter: bool,
    pal: &palette::Palette,
) {
    if let Some((m, _)) = message {
        spans.push(Span::styled(
            format!("· {m} "),
            Style::default().fg(pal.accent()),
        ));
    }
    let line = Line::from(spans);
    let used = line.width() as u16;
    frame.render_widget(Paragraph::new(line), area);
    if !presenter && used + hints.chars().count() as u16 + 2 <= area.width {
        frame.render_widget(
            Paragraph::new(Span::styled(
                hints.to_string(),
                Style::default().fg(pal.dim()),
            ))
            .alignment(ratatui::layout::Alignment::Right),
            area,
        );
    }
}

/// One decimal, and never "-0.0".
pub fn axis_label(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    format!("{:.1}", if r == 0.0 { 0.0 } else { r })
}

fn status_line(frame: &mut Frame, area: Rect, app: &App) {
    let pal = &app.palette;
    let mut spans = Vec::new();
    match app.snap.health {
        Health::Diverged { epoch, last_finite, restored } => spans.push(Span::styled(
            format!(
                " ✖ diverged in epoch {} (last finite loss {}); weights of epoch {} restored — lower the lr with [ or reset with r ",
                group(epoch),
                fig(last_finite),
                group(restored)
            ),
            Style::default().fg(pal.warn()).add_modifier(Modifier::BOLD),
        )),
        Health::Ok if app.snap.running => spans.push(Span::styled(" ▶ running ", Style::default().fg(pal.accent()).add_modifier(Modifier::BOLD))),
        Health::Ok => spans.push(Span::styled(" ⏸ paused ", Style::default().add_modifier(Modifier::BOLD))),
    }
    if let Some(rec) = &app.recording {
        spans.push(rec_span(rec, pal));
    }
    if let Some(r) = app.history.last() {
        spans.push(Span::raw(format!(
            "epoch {} · loss {} / {} · acc {} / {} ",
            group(r.epoch),
            fig(r.train_loss),
            fig(r.test_loss),
            fig(r.train_acc),
            fig(r.test_acc)
        )));
    } else {
        spans.push(Span::raw(format!("epoch {} ", group(app.snap.epoch))));
    }
    spans.push(Span::styled(
        format!(
            "· {} ep/s · speed {} · lr {} ",
            if app.snap.running {
                format!("{:.0}", app.snap.epochs_per_sec)
            } else {
                "0".into()
            },
            speed_label(SPEEDS[app.speed]),
            fmt_num(app.spec().optimizer.lr)
        ),
        Style::default().fg(pal.dim()),
    ));
    let hints = format!(
        "{} pause · {} step · {} lr · {} opt · {} edit · {} help ",
        keys_for(Action::TogglePause),
        keys_for(Action::StepEpoch),
        "[ ]",
        keys_for(Action::NextOptimizer),
        keys_for(Action::Edit),
        keys_for(Action::Help)
    );
    status_bar(
        frame,
        area,
        spans,
        &app.message,
        &hints,
        app.stage.presenter,
        pal,
    );
}
