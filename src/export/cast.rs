//! asciicast v2 recording (`nnbook run --cast FILE.cast`): a header with the size, the title
//! and `env.TERM`, one `"o"` event per frame with its timestamp, an `"r"` event per resize.
//! Written under a temporary name and renamed into place when the session ends.

use super::ExportError;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What the app sends a terminal before its first frame and after its last.
const OPENING: &[u8] = b"\x1b[?1049h\x1b[?2004h\x1b[?25l";
const CLOSING: &[u8] = b"\x1b[?2004l\x1b[?1049l\x1b[?25h";

pub struct Cast {
    out: BufWriter<File>,
    path: PathBuf,
    /// The temporary file it is written to until `finish`.
    tmp: PathBuf,
    start: Instant,
    pub events: usize,
    error: Option<std::io::Error>,
}

impl Cast {
    pub fn create(path: &Path, width: u16, height: u16, title: &str) -> Result<Self, ExportError> {
        let failed = |source| ExportError::Write {
            path: path.to_path_buf(),
            error: source,
        };
        let (tmp, file) = super::create_part(path).map_err(failed)?;
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
        if let Err(e) = writeln!(out, "{header}") {
            let _ = std::fs::remove_file(&tmp);
            return Err(failed(e));
        }
        let mut cast = Cast {
            out,
            path: path.to_path_buf(),
            tmp,
            start: Instant::now(),
            events: 0,
            error: None,
        };
        // As the terminal saw it: the alternate screen, bracketed paste, no cursor.
        cast.output(OPENING);
        Ok(cast)
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

    /// Closes the session as the terminal saw it closed, flushes and moves the file into place.
    pub fn finish(mut self) -> Result<(PathBuf, usize), ExportError> {
        self.output(CLOSING);
        let path = self.path.clone();
        let failed = |source| ExportError::Write {
            path: path.clone(),
            error: source,
        };
        if let Some(e) = self.error.take() {
            let _ = std::fs::remove_file(&self.tmp);
            return Err(failed(e));
        }
        self.out.flush().map_err(failed)?;
        std::fs::rename(&self.tmp, &self.path).map_err(failed)?;
        Ok((self.path, self.events))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cast_opens_and_closes_as_the_terminal_did() {
        let path = std::env::temp_dir().join(format!("nnbook-cast-{}.cast", std::process::id()));
        let mut c = Cast::create(&path, 80, 24, "t").unwrap();
        c.output(b"frame");
        let (p, events) = c.finish().unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(events, 3);
        assert!(
            lines[1].contains("\\u001b[?1049h") && lines[1].contains("[?25l"),
            "{}",
            lines[1]
        );
        assert!(lines[2].contains("frame"));
        let last = lines.last().unwrap();
        assert!(
            last.contains("\\u001b[?1049l") && last.contains("[?25h"),
            "{last}"
        );
        let _ = std::fs::remove_file(&p);
    }
}
