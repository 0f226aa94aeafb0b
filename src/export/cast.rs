//! asciicast v2 recording (`nnbook run --cast FILE.cast`): a header with the size, the title
//! and `env.TERM`, one `"o"` event per frame with its timestamp, an `"r"` event per resize.
//! Written under a temporary name and renamed into place when the session ends.

use super::ExportError;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

pub struct Cast {
    out: BufWriter<File>,
    path: PathBuf,
    start: Instant,
    pub events: usize,
    error: Option<std::io::Error>,
}

impl Cast {
    pub fn create(path: &Path, width: u16, height: u16, title: &str) -> Result<Self, ExportError> {
        let tmp = super::part_path(path);
        let failed = |source| ExportError::Write {
            path: path.to_path_buf(),
            source,
        };
        let file = File::create(&tmp).map_err(failed)?;
        let mut out = BufWriter::new(file);
        let timestamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let header = serde_json::json!({
            "version": 2,
            "width": width,
            "height": height,
            "timestamp": timestamp,
            "title": title,
            "env": { "TERM": std::env::var("TERM").unwrap_or_else(|_| "xterm-256color".into()), "SHELL": "nnbook" },
        });
        writeln!(out, "{header}").map_err(failed)?;
        Ok(Cast {
            out,
            path: path.to_path_buf(),
            start: Instant::now(),
            events: 0,
            error: None,
        })
    }

    fn event(&mut self, kind: &str, data: &str) {
        if self.error.is_some() {
            return;
        }
        let t = self.start.elapsed().as_secs_f64();
        let line = serde_json::json!([(t * 1e6).round() / 1e6, kind, data]);
        if let Err(e) = writeln!(self.out, "{line}") {
            self.error = Some(e);
        } else {
            self.events += 1;
        }
    }

    /// One frame's bytes, as the terminal received them.
    pub fn output(&mut self, bytes: &[u8]) {
        self.event("o", &String::from_utf8_lossy(bytes));
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.event("r", &format!("{width}x{height}"));
    }

    /// Flushes and moves the file into place.
    pub fn finish(mut self) -> Result<(PathBuf, usize), ExportError> {
        let path = self.path.clone();
        let failed = |source| ExportError::Write {
            path: path.clone(),
            source,
        };
        if let Some(e) = self.error.take() {
            let _ = std::fs::remove_file(super::part_path(&self.path));
            return Err(failed(e));
        }
        self.out.flush().map_err(failed)?;
        std::fs::rename(super::part_path(&self.path), &self.path).map_err(failed)?;
        Ok((self.path, self.events))
    }
}
