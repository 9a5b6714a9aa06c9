//! The one error a program's run can end in, with the place in the source it concerns: what
//! the command line prints and the page's code panel marks.

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
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PyErrorKind {
    /// The source is not valid Python.
    Syntax,
    /// Valid Python that uses something outside the subset the kitchen runs.
    Unsupported,
    /// An exception nobody caught.
    Uncaught,
    /// The program ran past the step budget (an endless loop?).
    StepBudget,
    /// Every thread waits for another.
    Deadlock,
    /// Not the program's doing: the run was cancelled, or the engine (in its Web Worker)
    /// failed or could not be reached.
    Engine,
}

impl std::fmt::Display for PyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for PyError {}
