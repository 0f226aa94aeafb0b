//! Export: what is on screen as GIF (from a key, or headless), PNG and asciicast; figures in
//! the notebooks' style through plotters.

pub mod animation;
pub mod cast;
pub mod lzw;
pub mod plot;
pub mod raster;

use animation::GifWriter;
use raster::{Image, Rasterizer};
use ratatui::buffer::Buffer;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;
use std::time::Instant;

/// Why an export or a recording failed; the message names the file.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    // The reason is in the message and not a `source` too: a report of the error's chain
    // (`{e:#}`) said it twice.
    #[error("cannot write {}: {error}", path.display())]
    Write {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("encoding {what}: {message}")]
    Encode { what: &'static str, message: String },
    #[error("nothing recorded: {} not written", .0.display())]
    Empty(PathBuf),
    #[error("the GIF encoder stopped unexpectedly")]
    EncoderGone,
}

impl ExportError {
    fn gif(e: gif::EncodingError) -> Self {
        ExportError::Encode {
            what: "the GIF",
            message: e.to_string(),
        }
    }

    fn png(e: png::EncodingError) -> Self {
        ExportError::Encode {
            what: "the PNG",
            message: e.to_string(),
        }
    }
}

/// Creates the temporary file `path` is written under before it is renamed into place: a
/// name of its own (`out.gif.4711-0.part`: the process, a count), created new, so that no file
/// of the user's — an `out.gif.part` of their own, another export's — is ever overwritten or
/// removed.
pub fn create_part(path: &Path) -> std::io::Result<(PathBuf, File)> {
    let base = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    for k in 0..10_000 {
        let mut name = base.clone();
        name.push(format!(".{}-{k}.part", std::process::id()));
        let tmp = path.with_file_name(name);
        match File::options().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        "no free temporary name beside it",
    ))
}

/// Writes `path` through a temporary file and a rename, so that a failure (a full disk, an
/// interrupted run) never leaves a half-written file under the target name.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> Result<u64, ExportError> {
    let (tmp, file) = create_part(path).map_err(|source| ExportError::Write {
        path: path.to_path_buf(),
        error: source,
    })?;
    let result = (|| -> std::io::Result<u64> {
        let mut w = BufWriter::new(file);
        write(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        let len = file.metadata()?.len();
        std::fs::rename(&tmp, path)?;
        Ok(len)
    })();
    result.map_err(|source| {
        let _ = std::fs::remove_file(&tmp);
        ExportError::Write {
            path: path.to_path_buf(),
            error: source,
        }
    })
}

/// Whether a file can be created at `path` (tried under its temporary name, then removed).
pub fn check_writable(path: &Path) -> Result<(), ExportError> {
    let (tmp, _file) = create_part(path).map_err(|source| ExportError::Write {
        path: path.to_path_buf(),
        error: source,
    })?;
    let _ = std::fs::remove_file(&tmp);
    Ok(())
}

/// Encodes an image as PNG bytes.
pub fn png_bytes(img: &Image) -> Result<Vec<u8>, ExportError> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, img.width as u32, img.height as u32);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().map_err(ExportError::png)?;
        w.write_image_data(&img.rgb_bytes())
            .map_err(ExportError::png)?;
    }
    Ok(out)
}

/// Saves an image as a PNG file, atomically.
pub fn save_png(path: &Path, img: &Image) -> Result<u64, ExportError> {
    let bytes = png_bytes(img)?;
    write_atomically(path, |w| w.write_all(&bytes))
}

/// A file name in the current folder that says what and when: `nnbook-20261127-0455.gif`.
pub fn default_name(ext: &str) -> PathBuf {
    default_name_in(Path::new(""), ext)
}

/// [`default_name`] in a folder: a name no file in `dir` has yet.
pub fn default_name_in(dir: &Path, ext: &str) -> PathBuf {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let stem = format!(
        "nnbook-{y:04}{m:02}{d:02}-{:02}{:02}{:02}",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    );
    // Two files in one second get distinct names rather than overwrite each other, also
    // while the first is still being written (not on disk under its name yet).
    static GIVEN: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
    let mut given = GIVEN.lock().unwrap_or_else(|e| e.into_inner());
    let mut path = dir.join(format!("{stem}.{ext}"));
    let mut k = 2;
    while path.exists() || given.contains(&path) {
        path = dir.join(format!("{stem}-{k}.{ext}"));
        k += 1;
    }
    given.push(path.clone());
    path
}

enum Msg {
    Frame(Box<Buffer>, f64),
    Finish,
}

/// How a recording ended.
#[derive(Debug, Clone)]
pub struct Saved {
    pub path: PathBuf,
    pub frames: usize,
    pub bytes: u64,
}

/// Records frames to a GIF on a background thread: the UI only clones its buffer.
pub struct Recorder {
    pub path: PathBuf,
    /// Frames handed over so far.
    pub frames: usize,
    tx: Sender<Msg>,
    done: Receiver<Result<Saved, ExportError>>,
    thread: Option<JoinHandle<()>>,
    started: Instant,
    /// Fixed frames per second for the file's timing, instead of the real time between frames.
    fps: Option<f64>,
}

impl Recorder {
    pub fn start(path: PathBuf, fps: Option<f64>) -> Self {
        let (tx, rx) = mpsc::channel::<Msg>();
        let (done_tx, done) = mpsc::channel();
        let target = path.clone();
        let thread = std::thread::Builder::new()
            .name("nnbook-gif".into())
            .spawn(move || {
                let _ = done_tx.send(encode(&target, rx));
            })
            .ok();
        Recorder {
            path,
            frames: 0,
            tx,
            done,
            thread,
            started: Instant::now(),
            fps,
        }
    }

    /// Hands a frame to the encoder.
    pub fn frame(&mut self, buf: &Buffer) {
        let at = match self.fps {
            Some(f) => self.frames as f64 / f,
            None => self.started.elapsed().as_secs_f64(),
        };
        if self.tx.send(Msg::Frame(Box::new(buf.clone()), at)).is_ok() {
            self.frames += 1;
        }
    }

    /// A failure that ended the recording early, if one did (without waiting).
    pub fn failed(&mut self) -> Option<ExportError> {
        match self.done.try_recv() {
            Ok(Err(e)) => Some(e),
            _ => None,
        }
    }

    /// Ends the recording and waits for the file to be in place.
    pub fn finish(mut self) -> Result<Saved, ExportError> {
        let _ = self.tx.send(Msg::Finish);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        self.done.recv().unwrap_or(Err(ExportError::EncoderGone))
    }
}

fn encode(path: &Path, rx: Receiver<Msg>) -> Result<Saved, ExportError> {
    let mut raster = Rasterizer::new();
    let mut frames = 0;
    let mut last_at = 0.0;
    let mut gap = 0.1;
    let mut writer: Option<GifWriter<Vec<u8>>> = None;
    // Frames are encoded into memory as they come (a few MB at most) and written with one
    // atomic rename at the end, so a failure never leaves a partial file behind. The folder
    // is checked at once, so an unwritable path is reported at the start, not the end.
    check_writable(path)?;
    for msg in rx {
        match msg {
            Msg::Frame(buf, at) => {
                let img = raster.rasterize(&buf);
                let w = match &mut writer {
                    Some(w) => w,
                    None => writer.insert(
                        GifWriter::new(Vec::new(), img.width, img.height)
                            .map_err(ExportError::gif)?,
                    ),
                };
                if frames > 0 {
                    gap = (at - last_at).max(0.02);
                }
                w.push(img, at).map_err(ExportError::gif)?;
                last_at = at;
                frames += 1;
            }
            Msg::Finish => break,
        }
    }
    let Some(w) = writer else {
        return Err(ExportError::Empty(path.to_path_buf()));
    };
    let bytes = w.finish(gap).map_err(ExportError::gif)?;
    let len = write_atomically(path, |f| f.write_all(&bytes))?;
    Ok(Saved {
        path: path.to_path_buf(),
        frames,
        bytes: len,
    })
}
