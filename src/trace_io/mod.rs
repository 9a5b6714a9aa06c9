//! Traces in and out: other tools' formats, as pure conversions.
//!
//! - [`chrome`]: a kitchen trace as Chrome's Trace Event JSON, which Perfetto and
//!   chrome://tracing open;
//! - [`viztracer`]: a VizTracer file of a real Python run, read as a kitchen trace;
//! - [`observed`]: what `kitchen measure --python` saw a real CPython run do, as a trace;
//! - [`stretches`]: the one piece both readers share, nested calls flattened into a lane's
//!   spans.
//!
//! Everything here works on text and values, with no file system or page in it, so the CLI
//! and the page (a file picker, an export button) call the same functions. Files from outside
//! are untrusted: each reader checks sizes and shapes and answers with an [`ImportError`],
//! never a panic.

pub mod chrome;
pub mod observed;
pub mod stretches;
pub mod viztracer;

/// The largest file a reader accepts (a VizTracer file of a few seconds of a busy program is
/// tens of MB).
pub const MAX_INPUT_BYTES: usize = 64 << 20;
/// The most events a file may hold.
pub const MAX_EVENTS: usize = 5_000_000;

/// Why a file could not be read as a trace.
#[derive(Debug, PartialEq)]
pub enum ImportError {
    TooLarge(String),
    /// Not JSON (or cut short).
    NotJson(String),
    /// JSON, but not the shape this reader expects.
    WrongShape(String),
    /// Nothing in it to show.
    Empty,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::TooLarge(what) => write!(f, "too large to read: {what}"),
            ImportError::NotJson(why) => write!(f, "not a JSON file (or cut short): {why}"),
            ImportError::WrongShape(why) => write!(f, "not the expected shape: {why}"),
            ImportError::Empty => write!(f, "no threads or calls in it"),
        }
    }
}

impl std::error::Error for ImportError {}

/// Refuses a text over [`MAX_INPUT_BYTES`].
pub fn check_size(text: &str) -> Result<(), ImportError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(ImportError::TooLarge(format!(
            "{} bytes (at most {MAX_INPUT_BYTES})",
            text.len()
        )));
    }
    Ok(())
}

/// Microseconds (as the trace formats count) from `origin` to nanoseconds, if sane.
pub fn us_to_ns(us: f64, origin: f64) -> Option<u64> {
    let ns = (us - origin) * 1e3;
    (ns.is_finite() && (0.0..1e18).contains(&ns)).then(|| ns.round() as u64)
}

/// Reads a file a user named, refusing one over [`MAX_INPUT_BYTES`] before reading it all.
#[cfg(not(target_arch = "wasm32"))]
pub fn read_file(path: &std::path::Path) -> Result<String, String> {
    use std::io::Read;
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(format!(
            "{}: larger than {MAX_INPUT_BYTES} bytes",
            path.display()
        ));
    }
    String::from_utf8(bytes).map_err(|_| format!("{}: not a UTF-8 text file", path.display()))
}
