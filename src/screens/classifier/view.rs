//! Drawing the classifier screen: one function per region, each reading the state only.

use super::keys::{Action, BINDINGS, Focus};
use super::network::{self, Regions};
use super::params::{SPEEDS, speed_label};
use super::run::Run;
use super::state::ClassifierView;
use super::{activations, charts, confusion, landscape, params_panel};
use crate::data::Split;
use crate::keymap::keys_for;
use crate::optim::fmt_num;
use crate::train::{Health, Net};
use crate::widgets::chrome::panel;
use crate::widgets::format::{axis_label, fig, group};
use crate::widgets::heatmap::{FieldOf, Layers};
use crate::widgets::network::Node;
use crate::widgets::palette::Palette;
use crate::widgets::{braille::Frame2d, heatmap, weights};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

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
pub fn render(frame: &mut Frame, app: &ClassifierView) {
    let presenter = app.chrome.stage.presenter;
    let Some([title, body, status]) = app.chrome.rows(frame) else {
        return;
    };
    let bottom_h = (body.height / 3).clamp(7, 14);
    let [top, bottom] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(bottom_h)]).areas(body);
    let heat_w = (top.width * 45 / 100).max(24);
    let [heat, charts] =
        Layout::horizontal([Constraint::Length(heat_w), Constraint::Fill(1)]).areas(top);
    // Presenter mode hides the parameter panel, like Playground's hidden controls.
    let params_w = if presenter {
        0
    } else {
        34.min(bottom.width / 2)
    };
    let [params, weights] =
        Layout::horizontal([Constraint::Length(params_w), Constraint::Fill(1)]).areas(bottom);

    title_bar(frame, title, app);
    let mut regions = Regions {
        params: (!presenter).then_some(params),
        ..Regions::default()
    };
    regions.field = boundary(frame, heat, app);
    if !presenter {
        params_panel::render(frame, params, app);
    }
    // Playground's arrangement puts the network beside the field and the charts below it;
    // otherwise the charts are beside the field and the weights below.
    let (chart_area, side, direction) = if app.net.show {
        (weights, charts, ratatui::layout::Direction::Horizontal)
    } else {
        (charts, weights, ratatui::layout::Direction::Vertical)
    };
    let draw_landscape = |frame: &mut Frame, area: Rect| {
        landscape::render(
            frame,
            area,
            app.landscape.as_ref(),
            app.run.trajectory.len(),
            &app.chrome.palette,
        )
    };
    if app.net.show {
        regions.network = Some(side);
        regions.layout = network_panel(frame, side, app, regions.field.map(|f| f.1));
    } else if app.show_landscape {
        draw_landscape(frame, side);
    } else {
        let title = format!(" weights {} ", app.run.field.arch.shape_label());
        weights::render_weights(
            frame,
            side,
            &app.run.field,
            &app.chrome.palette,
            title.into(),
            None,
        );
    }
    if app.show_activations {
        activations::render(frame, chart_area, app);
    } else if app.show_confusion {
        confusion::render(frame, chart_area, app);
    } else if app.net.show && app.show_landscape {
        draw_landscape(frame, chart_area);
    } else {
        let [loss, acc] = Layout::default()
            .direction(direction)
            .constraints([Constraint::Fill(1), Constraint::Fill(1)])
            .areas(chart_area);
        charts::render(frame, loss, app, charts::Kind::Loss);
        charts::render(frame, acc, app, charts::Kind::Accuracy);
        (regions.loss, regions.accuracy) = (Some(loss), Some(acc));
    }
    *app.net.regions.borrow_mut() = regions;
    status_line(frame, status, app);
}

fn title_bar(frame: &mut Frame, area: Rect, app: &ClassifierView) {
    let s = app.spec();
    let net = &app.run.snap.net.arch;
    let batch = match s.train.batch_size {
        0 => "full batch".to_string(),
        b => format!("batch {b}"),
    };
    let details = format!(
        "─ {} {} · {} {} · {} · {} ",
        s.data.label(),
        app.run.snap.data.train.len() + app.run.snap.data.test.len(),
        net.shape_label(),
        net.activation_label(),
        s.optimizer.summary(),
        batch
    );
    let state = match app.run.snap.health {
        Health::Diverged { .. } => "✖",
        Health::Ok if app.run.snap.running => "▶",
        Health::Ok => "⏸",
    };
    let right = format!("epoch {} {state} ", group(app.run.snap.epoch));
    app.chrome.draw_title(frame, area, details, right);
}

/// The field panel: the output's decision boundary, or the selected neuron; the probe on it.
/// Returns the plot's area and the plane it shows.
fn boundary(frame: &mut Frame, area: Rect, app: &ClassifierView) -> Option<(Rect, Frame2d)> {
    let of = app.net.field_of();
    let title = match app.net.selected {
        Some(node @ Node::Neuron { .. }) if of != FieldOf::Output => {
            format!(" {} · Esc: output ", network::name(&app.run.field, node))
        }
        _ if app.draw.is_some() => app.draw.as_ref().map_or_else(String::new, |(d, _)| {
            let (tr, te) = d.counts();
            let side = if d.test { "test" } else { "train" };
            format!(" draw: {tr} train · {te} test · new points: {side} · d leaves ")
        }),
        _ if app.run.snap.data.is_regression() => {
            let [lo, hi] = app.run.snap.data.value_scale();
            format!(
                " predicted value ({} … {}) ",
                axis_label(lo),
                axis_label(hi)
            )
        }
        _ => match &app.viewing {
            Some(v) => format!(
                " decision boundary at epoch {} (cursor; Esc: now) ",
                group(v.epoch)
            ),
            None => " decision boundary ".into(),
        },
    };
    let placed = field_panel(
        frame,
        area,
        &app.run,
        app.viewing.as_ref().map_or(&app.run.field, |v| &v.net),
        app.shown.layers,
        &app.chrome.palette,
        title.into(),
        app.focus == Focus::Boundary,
        of,
        app.draw.as_ref().map(|(d, view)| (&d.shown, *view)),
    );
    let pal = &app.chrome.palette;
    if let (Some((plot, f)), Some(p)) = (placed, app.net.probe) {
        // The probe: a cross on its cell, its read-out in the bottom border.
        if let Some((sx, sy)) = f.to_sub(p) {
            let (cx, cy) = (plot.x + (sx / 2) as u16, plot.y + (sy / 4) as u16);
            if let Some(cell) = frame.buffer_mut().cell_mut((cx, cy)) {
                cell.set_symbol("╋");
                cell.set_fg(if pal.colored() {
                    Color::White
                } else {
                    Color::Reset
                });
                cell.modifier |= Modifier::BOLD;
            }
        }
        let acts = crate::widgets::network::activations_at(&app.run.field, p);
        let out = acts.last().cloned().unwrap_or_default();
        let pc = match out.len() {
            1 if app.run.snap.data.is_regression() => {
                let v = app
                    .run
                    .field
                    .values_of_points(&[p], &mut crate::nn::Workspace::default());
                format!("value {:.3}", v.first().copied().unwrap_or(f64::NAN))
            }
            1 => format!("p(class 1) {:.2}", out[0]),
            _ => {
                let (c, v) = out
                    .iter()
                    .enumerate()
                    .fold((0, f32::MIN), |b, (i, &v)| if v > b.1 { (i, v) } else { b });
                format!("p(class {c}) {v:.2}")
            }
        };
        let text = format!(
            " probe ({}, {}) · {pc} ",
            axis_label(p[0]),
            axis_label(p[1])
        );
        let w = (text.chars().count() as u16).min(area.width.saturating_sub(2));
        let line = Line::from(Span::styled(
            text,
            Style::default()
                .fg(pal.accent())
                .add_modifier(Modifier::BOLD),
        ));
        let buf = frame.buffer_mut();
        // In place of the legend.
        let y = area.y + area.height - 1;
        let border = buf.cell((area.x, y)).map(|c| c.style()).unwrap_or_default();
        for x in area.x + 1..area.x + area.width.saturating_sub(1) {
            if let Some(c) = buf.cell_mut((x, y)) {
                c.set_symbol("─");
                c.set_style(border);
            }
        }
        buf.set_line(area.x + 1, y, &line, w);
    }
    placed
}

/// The network panel beside the field; returns where it put each node.
fn network_panel(
    frame: &mut Frame,
    area: Rect,
    app: &ClassifierView,
    plane: Option<Frame2d>,
) -> crate::widgets::network::Layout {
    let net = &app.run.field;
    let pal = &app.chrome.palette;
    let focused = app.focus == Focus::Network;
    let title = format!(
        " network {} · {}{} ",
        net.arch.shape_label(),
        net.arch.activation_label(),
        if focused {
            " · ←→↑↓ Enter Esc"
        } else {
            " (tab)"
        }
    );
    let view = plane.map_or_else(|| field_view(&app.run.snap.data), |f| (f.x, f.y));
    let footer = match (app.net.probe, app.net.cursor) {
        (Some(p), _) => {
            // Every neuron's activation at the probe, layer by layer.
            let acts = crate::widgets::network::activations_at(net, p);
            let n = acts.len();
            let parts: Vec<String> = acts
                .iter()
                .enumerate()
                .map(|(l, a)| {
                    let name = if l + 1 == n {
                        "out".to_string()
                    } else {
                        format!("L{}", l + 1)
                    };
                    let vals: Vec<String> = a.iter().take(8).map(|&v| network::short(v)).collect();
                    format!(
                        "{name} {}{}",
                        vals.join(" "),
                        if a.len() > 8 { " …" } else { "" }
                    )
                })
                .collect();
            format!("probe: {}", parts.join(" · "))
        }
        (None, Some(node)) => network::describe(net, node),
        (None, None) => format!("{} · Tab here, ←→↑↓, Enter", pal.sign_key()),
    };
    let footer = Line::from(Span::styled(
        crate::widgets::format::printable(&footer),
        Style::default().fg(pal.dim()),
    ));
    let marks = crate::widgets::network::Marks {
        cursor: focused.then_some(app.net.cursor).flatten(),
        selected: app.net.selected,
        probe: app.net.probe_fraction(),
    };
    crate::widgets::network::render(
        frame,
        area,
        net,
        view,
        pal,
        title.into(),
        focused,
        marks,
        footer,
    )
}

/// A run's decision boundary in a titled panel, with axes and legend.
pub fn boundary_panel(
    frame: &mut Frame,
    area: Rect,
    run: &Run,
    layers: Layers,
    pal: &Palette,
    title: Line<'_>,
    focused: bool,
) {
    field_panel(
        frame,
        area,
        run,
        &run.field,
        layers,
        pal,
        title,
        focused,
        FieldOf::Output,
        None,
    );
}

/// [`boundary_panel`] of the output or of one neuron; the plot's area and plane, if drawn.
#[allow(clippy::too_many_arguments)]
pub fn field_panel(
    frame: &mut Frame,
    area: Rect,
    run: &Run,
    net: &Net,
    layers: Layers,
    pal: &Palette,
    title: Line<'_>,
    focused: bool,
    of: FieldOf,
    over: Option<(&Split, crate::data::View)>,
) -> Option<(Rect, Frame2d)> {
    let block = panel(title, focused, pal);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // Axes: y labels on the left, x labels on the last row. Draw mode keeps its own plane
    // and shows its points, taken by the run or not yet.
    let data: &Split = over.map_or(&run.snap.data, |o| o.0);
    let (vx, vy) = over.map_or_else(|| field_view(&run.snap.data), |o| o.1);
    if inner.width < 10 || inner.height < 3 {
        return None;
    }
    let label_w = 6u16;
    let plot = Rect::new(
        inner.x + label_w,
        inner.y,
        inner.width - label_w,
        inner.height - 1,
    );
    let f = Frame2d::fit(vx, vy, plot.width as usize, plot.height as usize);
    heatmap::draw_field_of(frame.buffer_mut(), plot, &f, net, data, layers, pal, of);
    let dim = Style::default().fg(pal.dim());
    let buf = frame.buffer_mut();
    // Round labels where their values fall: the view's ends, and 0 between them (else its
    // middle).
    let ticks = |lo: f64, hi: f64| -> Vec<f64> {
        let mid = if lo < 0.0 && hi > 0.0 {
            0.0
        } else {
            (lo + hi) / 2.0
        };
        vec![lo, mid, hi]
    };
    let mut last_row = None;
    for v in ticks(vy[0], vy[1]).into_iter().rev() {
        let t = (f.y[1] - v) / (f.y[1] - f.y[0]);
        let row = plot.y + ((t * plot.height as f64) as u16).min(plot.height - 1);
        if last_row.is_some_and(|r: u16| row <= r + 1) {
            continue;
        }
        last_row = Some(row);
        buf.set_string(inner.x, row, format!("{:>5}", round_label(v)), dim);
    }
    let by = plot.y + plot.height;
    let mut free = plot.x;
    for v in ticks(vx[0], vx[1]) {
        let s = round_label(v);
        let t = (v - f.x[0]) / (f.x[1] - f.x[0]);
        let col = plot.x + ((t * plot.width as f64) as u16).min(plot.width - 1);
        let len = s.chars().count() as u16;
        let at = col
            .saturating_sub(len / 2)
            .clamp(plot.x, (plot.x + plot.width).saturating_sub(len));
        if at < free {
            continue;
        }
        free = at + len + 2;
        buf.set_string(at, by, &s, dim);
    }
    // Legend, in the bottom border: what the dots are and which layers are on.
    let on = |b: bool, s: &'static str| if b { s } else { "" };
    let on_s = |b: bool, s: String| if b { s } else { String::new() };
    let points = if pal.colored() {
        // Train points as filled squares of dots, test points as hollow rings of them.
        let (train, test) = if pal.glyphs == crate::widgets::palette::Glyphs::Unicode {
            ("⣤ train", "○ test")
        } else {
            ("@ train", "o test")
        };
        vec![
            Span::styled(
                format!(" {}", on_s(layers.train, train.into())),
                Style::default().fg(pal.class(1)),
            ),
            Span::styled(
                format!(" {}", on_s(layers.test, test.into())),
                Style::default().fg(pal.test_point(1)),
            ),
        ]
    } else {
        // Without colour the shapes are the classes, their small forms the test points.
        let k = run.snap.data.classes().clamp(2, 8);
        let shapes: Vec<String> = (0..k)
            .map(|c| {
                format!(
                    "{} {}",
                    pal.point_glyph(c, false),
                    run.snap.data.class_name(c)
                )
            })
            .collect();
        let small: String = (0..k).map(|c| pal.point_glyph(c, true)).collect();
        let test = if layers.train && layers.test {
            format!(" · {small} test")
        } else {
            String::new()
        };
        vec![Span::raw(format!(" {}{test}", shapes.join(" ")))]
    };
    let layers_on = Span::styled(
        format!(
            " {}{} ",
            on(layers.field, "· field"),
            on(layers.boundary, " · boundary")
        ),
        dim,
    );
    // The whole legend where it fits, else without the layers, else nothing.
    let mut whole = Line::from(points.clone());
    whole.spans.push(layers_on);
    let mut short = Line::from(points);
    short.spans.push(Span::raw(" "));
    if let Some(legend) = [whole, short]
        .into_iter()
        .find(|l| l.width() as u16 + 2 < area.width)
    {
        let w = legend.width() as u16;
        buf.set_line(
            area.x + area.width - w - 1,
            area.y + area.height - 1,
            &legend,
            w,
        );
    }
    // A file's class names and coordinate columns, in the top border.
    let data = &run.snap.data;
    if !data.names.is_empty() || data.columns.is_some() {
        let mut spans = Vec::new();
        for (c, name) in data.names.iter().enumerate() {
            spans.push(Span::styled(
                format!(" {} {name}", pal.point_glyph(c, false)),
                Style::default().fg(pal.class(c)),
            ));
        }
        if let Some([x, y]) = &data.columns {
            spans.push(Span::styled(format!(" · x {x} · y {y}"), dim));
        }
        spans.push(Span::raw(" "));
        let mut names = Line::from(spans);
        // Too wide for the border: the class names alone.
        if names.width() as u16 + 22 >= area.width && data.columns.is_some() {
            let n = names.spans.len();
            names.spans.remove(n - 2);
        }
        let w = names.width() as u16;
        if w + 22 < area.width {
            buf.set_line(area.x + area.width - w - 1, area.y, &names, w);
        }
    }
    Some((plot, f))
}

/// The plane the field shows: the data's bounds rounded out to a round step (an eighth of
/// the wider span, rounded up to 1, 2, 2.5 or 5 times a power of ten), so the axes read in
/// round numbers; Playground's data, within ±6, comes out at ±6.
pub fn field_view(data: &crate::data::Split) -> ([f64; 2], [f64; 2]) {
    data.round_view()
}

/// A round axis value as few digits as it needs: `-6`, `0`, `1.5`, `0.25`.
fn round_label(v: f64) -> String {
    let s = format!("{:.2}", if v.abs() < 1e-9 { 0.0 } else { v });
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

fn status_line(frame: &mut Frame, area: Rect, app: &ClassifierView) {
    let pal = &app.chrome.palette;
    let mut spans = Vec::new();
    match app.run.snap.health {
        Health::Diverged { epoch, last_finite, restored } => spans.push(Span::styled(
            format!(
                " ✖ diverged in epoch {}{}; weights of epoch {} restored — lower the lr with [ or reset with r ",
                group(epoch),
                // Before any finite loss there is nothing to quote.
                if last_finite.is_finite() {
                    format!(" (last finite loss {})", fig(last_finite))
                } else {
                    String::new()
                },
                group(restored)
            ),
            Style::default().fg(pal.warn()).add_modifier(Modifier::BOLD),
        )),
        Health::Ok if app.run.snap.running => spans.push(Span::styled(" ▶ running ", Style::default().fg(pal.accent()).add_modifier(Modifier::BOLD))),
        Health::Ok if app.run.snap.epoch == 0 && app.run.snap.batch == 0 => {
            spans.push(Span::styled(" ⏸ paused ", Style::default().add_modifier(Modifier::BOLD)));
            spans.push(Span::styled("space starts · + trains faster · ", Style::default().fg(pal.accent())));
        }
        Health::Ok => spans.push(Span::styled(" ⏸ paused ", Style::default().add_modifier(Modifier::BOLD))),
    }
    // The chart cursor takes the field back to an earlier epoch; the run itself goes on.
    if let Some(v) = &app.viewing {
        let text = if app.run.snap.running {
            format!(
                "viewing epoch {}, training continues (Esc: now) · ",
                group(v.epoch)
            )
        } else {
            format!(
                "viewing epoch {} of {} (Esc: now) · ",
                group(v.epoch),
                group(app.run.snap.epoch)
            )
        };
        spans.push(Span::styled(
            text,
            Style::default()
                .fg(pal.accent())
                .add_modifier(Modifier::BOLD),
        ));
    }
    // Mid-epoch (after `,`), the mini-batches done so far.
    let snap = &app.run.snap;
    if snap.batch > 0 && snap.batches_per_epoch > 1 {
        spans.push(Span::styled(
            format!(
                "batch {}/{} of epoch {}{} · ",
                snap.batch,
                snap.batches_per_epoch,
                group(snap.epoch + 1),
                if snap.batch_loss.is_finite() {
                    format!(", its loss {}", fig(snap.batch_loss))
                } else {
                    String::new()
                }
            ),
            Style::default().fg(pal.accent()),
        ));
    }
    if let Some(r) = app.run.history.last() {
        spans.push(Span::raw(format!(
            "epoch {} · loss {} / {} · {} {} / {} ",
            group(r.epoch),
            fig(r.train_loss),
            fig(r.test_loss),
            if app.run.snap.data.is_regression() {
                "R²"
            } else {
                "acc"
            },
            fig(r.train_acc),
            fig(r.test_acc)
        )));
    } else {
        spans.push(Span::raw(format!("epoch {} ", group(app.run.snap.epoch))));
    }
    // With a schedule, the rate in use now and the schedule's kind; with early stopping, the
    // epochs since the best test loss (its patience runs out at `patience`).
    let lr = match app.spec().optimizer.schedule {
        Some(sch) => format!("{} ({})", fmt_num(snap.lr), sch.kind()),
        None => fmt_num(snap.lr),
    };
    let since_best = match app.spec().train.early_stopping {
        Some(e) if snap.best_test.epoch > 0 => {
            format!("· since best test {}/{} ", snap.best_test.wait, e.patience)
        }
        _ => String::new(),
    };
    spans.push(Span::styled(
        format!(
            "· {} ep/s · speed {} · lr {lr} {since_best}",
            if app.run.snap.running {
                format!("{:.0}", app.run.snap.epochs_per_sec)
            } else {
                "0".into()
            },
            speed_label(SPEEDS[app.run.speed]),
        ),
        Style::default().fg(pal.dim()),
    ));
    let hints = format!(
        "{} pause · {} step · {} lr · {} opt · {} edit · {} help ",
        keys_for(BINDINGS, Action::TogglePause),
        keys_for(BINDINGS, Action::StepEpoch),
        "[ ]",
        keys_for(BINDINGS, Action::NextOptimizer),
        keys_for(BINDINGS, Action::Edit),
        "?"
    );
    app.chrome.draw_status(frame, area, spans, &hints);
}
