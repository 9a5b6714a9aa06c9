//! The one error a program's run can end in, with the place in the source it concerns: what
//! the command line prints and the page's code panel marks.

/// Why a program could not be run to the end, with the place in the source it concerns.
#[derive(Clone, Debug, PartialEq)]
pub struct PyError {
    pub kind: PyErrorKind,
    /// 1-based line; 0 when the error has no place in the source (e.g. a deadlock).
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
}

impl std::fmt::Display for PyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for PyError {}
