//! What the main loop records: a GIF in progress (key `g`), GIFs being finished on their own
//! threads, and the last frame for a PNG (key `P`).

use crate::export::{ExportError, Saved};
use crate::screens::view::{Request, View};
use std::path::{Path, PathBuf};

/// Recordings the main loop owns: a GIF in progress, GIFs being finished, the last frame.
pub struct Recording {
    pub gif: Option<crate::export::Recorder>,
    pub finishing: Vec<std::thread::JoinHandle<Result<Saved, ExportError>>>,
    pub last: Option<ratatui::buffer::Buffer>,
}

impl Recording {
    pub fn status(&self) -> Option<String> {
        self.gif
            .as_ref()
            .map(|g| format!("REC {} frames → {}", g.frames, g.path.display()))
    }

    /// Takes finished GIFs and reports them.
    pub fn reap(&mut self, screen: &mut dyn View) {
        let (done, running): (Vec<_>, Vec<_>) =
            self.finishing.drain(..).partition(|h| h.is_finished());
        self.finishing = running;
        for h in done {
            let r = h.join();
            let failed = !matches!(r, Ok(Ok(_)));
            let msg = saved_message(r);
            if failed {
                screen.chrome_mut().warn(msg);
            } else {
                screen.chrome_mut().say(msg);
            }
        }
    }
}

/// The frame a GIF recording keeps: the screen without its own `● REC` badge, nor the
/// messages about the recording itself ("recording to …"), drawn off screen.
pub fn recorded_frame(
    screen: &mut dyn View,
    area: ratatui::layout::Rect,
) -> Option<ratatui::buffer::Buffer> {
    let badge = screen.chrome_mut().recording.take();
    let said = screen.chrome_mut().message.take_if(|m| m.unrecorded);
    let mut t =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(area.width, area.height)).ok();
    let clean = t
        .as_mut()
        .and_then(|t| t.draw(|f| crate::screens::view::draw(&*screen, f)).ok())
        .map(|d| d.buffer.clone());
    screen.chrome_mut().recording = badge;
    if said.is_some() {
        screen.chrome_mut().message = said;
    }
    clean
}

/// What a finished recording says: where it went, or why it failed.
pub fn saved_message(r: std::thread::Result<Result<Saved, ExportError>>) -> String {
    match r {
        Ok(Ok(s)) => format!(
            "saved {} ({} frames, {:.0} KB)",
            s.path.display(),
            s.frames,
            s.bytes as f64 / 1e3
        ),
        Ok(Err(e)) => format!("recording failed: {e}"),
        Err(_) => "recording failed: the encoder crashed".into(),
    }
}

/// Where a capture goes: a fresh name in the captures folder, made absolute so that the
/// status line names the whole path.
fn capture_path(dir: &Path, ext: &str) -> PathBuf {
    let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    crate::export::default_name_in(&dir, ext)
}

/// What a capture says on screen, kept out of the recording.
fn say_unrecorded(screen: &mut dyn View, text: String) {
    let chrome = screen.chrome_mut();
    chrome.say(text);
    if let Some(m) = &mut chrome.message {
        m.unrecorded = true;
    }
}

pub fn handle(
    req: Request,
    screen: &mut dyn View,
    rec: &mut Recording,
    gif_fps: Option<f64>,
    captures: &Path,
) {
    match req {
        Request::ToggleRecord => match rec.gif.take() {
            Some(g) => {
                // Finishing can take a moment (encoding the tail, writing); it happens on
                // its own thread while the app goes on.
                let path = g.path.display().to_string();
                if let Ok(h) = std::thread::Builder::new()
                    .name("nnbook-gif-finish".into())
                    .spawn(move || g.finish())
                {
                    rec.finishing.push(h);
                }
                screen
                    .chrome_mut()
                    .say(format!("recording stopped; writing {path}"));
            }
            None => {
                let path = capture_path(captures, "gif");
                match crate::export::check_writable(&path) {
                    Ok(()) => {
                        rec.gif = Some(crate::export::Recorder::start(path.clone(), gif_fps));
                        say_unrecorded(
                            screen,
                            format!("recording to {} (1×); g stops", path.display()),
                        );
                    }
                    Err(e) => screen.chrome_mut().warn(e.to_string()),
                }
            }
        },
        Request::NextChapter | Request::PreviousChapter | Request::ToggleLab => {}
        Request::Screenshot => {
            let Some(buf) = &rec.last else { return };
            let img = crate::export::raster::Rasterizer::new().rasterize(buf);
            let path = capture_path(captures, "png");
            match crate::export::save_png(&path, &img) {
                Ok(bytes) => screen.chrome_mut().say(format!(
                    "saved {} ({:.0} KB, 1×: nnbook export --scale 2 for slides)",
                    path.display(),
                    bytes as f64 / 1e3
                )),
                Err(e) => screen.chrome_mut().warn(e.to_string()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screens::{Driver, Open};

    fn text(buf: &ratatui::buffer::Buffer) -> String {
        buf.content.iter().map(|c| c.symbol()).collect()
    }

    /// `g` records into the captures folder, names the whole path on screen, and the
    /// recording's frames show neither its badge nor that message.
    #[test]
    fn recordings_go_to_the_captures_folder_and_leave_their_own_message_out() {
        let dir = std::env::temp_dir().join(format!("nnbook-captures-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let sc = crate::scenario::load("playground").expect("bundled");
        let how = Open {
            mode: crate::widgets::palette::ColorMode::Truecolor,
            driver: Driver::Inline,
            run: false,
            dir: None,
        };
        let mut screen = crate::screens::open(&sc, &how).expect("opens");
        let mut rec = Recording {
            gif: None,
            finishing: Vec::new(),
            last: None,
        };
        handle(
            Request::ToggleRecord,
            screen.as_mut(),
            &mut rec,
            Some(10.0),
            &dir,
        );
        let said = screen
            .chrome()
            .message
            .clone()
            .map(|m| m.text)
            .unwrap_or_default();
        let abs = std::path::absolute(&dir).expect("absolute");
        assert!(said.contains(&abs.display().to_string()), "{said}");
        screen.chrome_mut().recording = rec.status();
        let area = ratatui::layout::Rect::new(0, 0, 120, 40);
        let mut live =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).expect("terminal");
        let shown = live
            .draw(|f| crate::screens::view::draw(screen.as_ref(), f))
            .map(|d| d.buffer.clone())
            .expect("draw");
        assert!(text(&shown).contains("recording to"), "{}", text(&shown));
        let kept = recorded_frame(screen.as_mut(), area).expect("drawn");
        assert!(!text(&kept).contains("recording to"), "{}", text(&kept));
        assert!(!text(&kept).contains("REC"), "{}", text(&kept));
        // Put back for the screen itself.
        assert!(screen.chrome().message.is_some());
        if let Some(g) = &mut rec.gif {
            g.frame(&kept);
        }
        handle(
            Request::ToggleRecord,
            screen.as_mut(),
            &mut rec,
            Some(10.0),
            &dir,
        );
        for h in rec.finishing.drain(..) {
            let saved = h.join().expect("joined").expect("saved");
            assert!(saved.path.starts_with(&abs), "{}", saved.path.display());
            assert!(saved.path.exists());
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
