//! What the main loop records: a GIF in progress (key `g`), GIFs being finished on their own
//! threads, and the last frame for a PNG (key `P`).

use crate::export::{ExportError, Saved};
use crate::screens::view::{Request, View};

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

pub fn handle(req: Request, screen: &mut dyn View, rec: &mut Recording, gif_fps: Option<f64>) {
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
                let path = crate::export::default_name("gif");
                match crate::export::check_writable(&path) {
                    Ok(()) => {
                        rec.gif = Some(crate::export::Recorder::start(path.clone(), gif_fps));
                        screen
                            .chrome_mut()
                            .say(format!("recording to {}; g stops", path.display()));
                    }
                    Err(e) => screen.chrome_mut().warn(e.to_string()),
                }
            }
        },
        Request::NextChapter | Request::PreviousChapter | Request::ToggleLab => {}
        Request::Screenshot => {
            let Some(buf) = &rec.last else { return };
            let img = crate::export::raster::Rasterizer::new().rasterize(buf);
            let path = crate::export::default_name("png");
            match crate::export::save_png(&path, &img) {
                Ok(bytes) => screen.chrome_mut().say(format!(
                    "saved {} ({:.0} KB)",
                    path.display(),
                    bytes as f64 / 1e3
                )),
                Err(e) => screen.chrome_mut().warn(e.to_string()),
            }
        }
    }
}
