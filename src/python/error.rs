//! The one error a program's run can end in, with the place in the source it concerns: what
//! the command line prints and the page's code panel marks. An uncaught exception also
//! carries its traceback (the frames it went through, as CPython prints them) and the run up
//! to its end: CPython's terminal shows what the program printed, then the traceback, and
//! the kitchen keeps both.

use crate::core::trace::Trace;

use serde::{Deserialize, Serialize};

/// Why a program could not be run to the end, with the place in the source it concerns.
/// (Serde: the engine worker sends it to the page.)
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PyError {
    pub kind: PyErrorKind,
    /// 1-based line; 0 when the error has no place in the source (e.g. a deadlock).
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    pub message: String,
    /// For an uncaught exception: the frames of the program it went through, outermost
    /// first, as CPython's `Traceback (most recent call last):` lists them.
    #[serde(default)]
    pub traceback: Vec<TracebackEntry>,
    /// For an uncaught exception: the run, to the end of the threads that went on after it
    /// (as CPython's do): what it printed (the traceback itself among its stderr lines, at
    /// the moment the exception ended the main thread), its lanes and times.
    #[serde(default)]
    pub trace: Option<Box<Trace>>,
}

/// One frame of a traceback: `File "t.py", line 7, in main` and that line's text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TracebackEntry {
    pub file: String,
    pub line: u32,
    pub function: String,
    /// The source line, without its indentation.
    pub source: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PyErrorKind {
    /// The source is not valid Python.
    Syntax,
    /// Valid Python that uses something outside the subset the kitchen runs.
    Unsupported,
    /// An exception nobody caught.
    Uncaught,
    /// The program ran past its limits (an endless loop?): the operation budget, the
    /// simulator's step budget, or a watcher's (a time limit), see `runtime::budget`.
    StepBudget,
    /// Every thread waits for another.
    Deadlock,
    /// Not the program's doing: the run was cancelled, or the engine (in its Web Worker)
    /// failed or could not be reached.
    Engine,
}

impl PyError {
    /// An error at `line`, `column`, without a traceback or a run.
    pub fn new(kind: PyErrorKind, line: u32, column: u32, message: impl Into<String>) -> PyError {
        PyError {
            kind,
            line,
            column,
            message: message.into(),
            traceback: Vec::new(),
            trace: None,
        }
    }

    /// What CPython's terminal would show for the error: for an uncaught exception, every
    /// line the program printed (stdout and stderr, the traceback among them); else the
    /// error's place and message.
    pub fn terminal_lines(&self) -> Vec<String> {
        match &self.trace {
            Some(t) if self.kind == PyErrorKind::Uncaught => {
                t.prints.iter().map(|p| p.text.clone()).collect()
            }
            _ => vec![self.to_string()],
        }
    }
}

/// The lines of CPython's traceback for `entries` ending in `exception` (`ValueError: x`).
pub fn traceback_lines(entries: &[TracebackEntry], exception: &str) -> Vec<String> {
    let mut out = vec!["Traceback (most recent call last):".to_string()];
    for e in entries {
        out.push(format!(
            "  File \"{}\", line {}, in {}",
            e.file, e.line, e.function
        ));
        if !e.source.is_empty() {
            out.push(format!("    {}", e.source));
        }
    }
    out.push(exception.to_string());
    out
}

impl std::fmt::Display for PyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for PyError {}
