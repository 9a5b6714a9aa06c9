//! What a program's terminal shows besides what the simulator time-stamps for it: standard
//! output kept as lines, tracebacks and warnings on standard error.
//!
//! **Lines.** A printed line in the trace is a terminal line. CPython's standard output to a
//! terminal is line-buffered, so text printed without a newline (`print(x, end=" ")`,
//! `sys.stdout.write`) appears with the rest of its line, when the newline comes: the kitchen
//! keeps such text per process and prints the line then, time-stamped at its newline. A line
//! never finished is printed when its process ends (CPython flushes standard output at
//! exit). `flush=True` does not change this: the trace's unit is the line.
//!
//! **Standard error.** An uncaught exception's traceback (`Traceback (most recent call
//! last):`, a `File "t.py", line 7, in f` and source line per frame of the program, then
//! `ValueError: ...`), `Exception in thread ...` for a thread's, and `RuntimeWarning:
//! coroutine 'f' was never awaited` are written at the moment they happen, and join the
//! trace's printed lines as `stderr` lines (see `python::run`). The library's own frames
//! (asyncio's runner, threading's bootstrap) are left out of tracebacks.

use std::rc::Rc;

use super::state::{ErrLine, Request, Runtime};
use crate::python::classes::Instance;
use crate::python::error::{traceback_lines, PyError, PyErrorKind, TracebackEntry};
use crate::python::sync::ThreadId;
use crate::python::value::{ExcKind, Exception};

impl Runtime {
    /// Writes `text` to thread `tid`'s standard output: the lines it completes are printed
    /// (in the requests returned, in order), the rest waits for its newline.
    pub fn write_stdout(&mut self, tid: ThreadId, text: &str) -> Vec<Request> {
        if !self.unawaited.borrow().is_empty() {
            // A warning already due goes first, as on CPython's terminal.
            self.warn_unawaited(tid);
        }
        let p = self.process_of(tid);
        let mut partial = self.processes[p].partial.borrow_mut();
        partial.push_str(text);
        let Some(last) = partial.rfind('\n') else {
            return Vec::new();
        };
        let rest = partial.split_off(last + 1);
        let done = std::mem::replace(&mut *partial, rest);
        done[..done.len() - 1]
            .split('\n')
            .map(|l| Request::Print(l.to_string()))
            .collect()
    }

    /// At the end of thread `tid`: if it was its process's last, the line its process
    /// left unfinished is printed.
    pub(super) fn flush_stdout(&mut self, tid: ThreadId) {
        let p = self.process_of(tid);
        let others = self
            .threads
            .iter()
            .enumerate()
            .any(|(i, t)| i != tid && t.process == p && !t.done);
        if others {
            return;
        }
        let rest = std::mem::take(&mut *self.processes[p].partial.borrow_mut());
        if !rest.is_empty() {
            self.queue_request(tid, Request::Print(rest));
        }
    }

    /// Writes `lines` to standard error for thread `tid`, now.
    pub fn write_stderr(&mut self, tid: ThreadId, lines: Vec<String>) {
        let at = self.now.saturating_add(self.threads[tid].cost);
        for text in lines {
            self.stderr.push(ErrLine {
                at,
                thread: tid,
                text,
            });
        }
    }

    /// What the run wrote to standard error, taken out of the runtime (for the trace).
    pub fn take_stderr(&mut self) -> Vec<ErrLine> {
        std::mem::take(&mut self.stderr)
    }

    /// Whether the main thread has ended in an uncaught exception.
    pub fn uncaught_pending(&self) -> bool {
        self.uncaught.is_some()
    }

    /// The uncaught exception the main thread ended in, if it did (taken out).
    pub fn take_uncaught(&mut self) -> Option<PyError> {
        self.uncaught.take()
    }

    /// The name of thread `tid` (`MainThread`, `Thread-1 (work)`).
    pub fn thread_name(&self, tid: ThreadId) -> &str {
        &self.threads[tid].name
    }

    /// The frames of the program exception `e` went through, outermost first.
    pub(super) fn traceback_of(&self, e: &Exception) -> Vec<TracebackEntry> {
        e.traceback
            .iter()
            .rev()
            .map(|t| TracebackEntry {
                file: self.program_name.to_string(),
                line: t.line,
                function: t.function.to_string(),
                source: self.source_line(t.line),
            })
            .collect()
    }

    /// Line `n` of the program, without its indentation.
    fn source_line(&self, n: u32) -> String {
        let n = n as usize;
        if n == 0 {
            return String::new();
        }
        self.program_source
            .lines()
            .nth(n - 1)
            .map_or(String::new(), |l| l.trim().to_string())
    }

    /// The last line of a traceback: `ValueError: bad`, `MyError: bad`, or the class alone
    /// when the message is empty; a class's own `__str__` is asked (on thread `tid`).
    pub(super) fn exception_line(&mut self, tid: ThreadId, e: &Exception) -> String {
        let (name, message) = match e.object.as_ref().map(|b| b.0.clone()) {
            Some(obj) => {
                let name = obj
                    .downcast::<Instance>()
                    .map_or(e.kind.name().to_string(), |i| {
                        i.class().qualname.to_string()
                    });
                let message = self
                    .str_of(tid, &obj)
                    .unwrap_or_else(|_| "<exception str() failed>".to_string());
                (name, message)
            }
            None => (qualified(e.kind), e.message.clone()),
        };
        if message.is_empty() {
            name
        } else {
            format!("{name}: {message}")
        }
    }

    /// The main thread ended in exception `e`: its traceback goes to standard error now, as
    /// CPython prints it, and the run goes on until the other threads are done (as CPython
    /// waits for them); then the run ends in this error.
    pub(super) fn main_thread_failed(&mut self, tid: ThreadId, e: &Exception) {
        let traceback = self.traceback_of(e);
        let exception = self.exception_line(tid, e);
        self.write_stderr(tid, traceback_lines(&traceback, &exception));
        let (line, column) = e
            .traceback
            .first()
            .map_or((self.raise_line.unwrap_or(0), 1), |t| {
                (t.line, t.column.max(1))
            });
        let mut err = PyError::new(
            PyErrorKind::Uncaught,
            line,
            column,
            format!("uncaught exception: {exception}"),
        );
        err.traceback = traceback;
        self.uncaught.get_or_insert(err);
    }

    /// Another thread ended in exception `e`: `Exception in thread NAME:` and its traceback
    /// (a process's main thread: `Process NAME:`), as CPython's threading and
    /// multiprocessing print them.
    pub(super) fn thread_failed(&mut self, tid: ThreadId, e: &Exception) {
        let traceback = self.traceback_of(e);
        let exception = self.exception_line(tid, e);
        let name = self.threads[tid].name.clone();
        let first = if self.threads[tid].handle.is_process {
            format!("Process {name}:")
        } else {
            format!("Exception in thread {name}:")
        };
        let mut lines = vec![first];
        lines.extend(traceback_lines(&traceback, &exception));
        self.write_stderr(tid, lines);
    }

    /// Coroutines dropped without ever being awaited since the last look: CPython's
    /// `RuntimeWarning`, at the line where each was made.
    pub(super) fn warn_unawaited(&mut self, tid: ThreadId) {
        let dropped: Vec<(Rc<str>, u32)> = std::mem::take(&mut *self.unawaited.borrow_mut());
        for (name, line) in dropped {
            let lines = vec![
                format!(
                    "{}:{line}: RuntimeWarning: coroutine '{name}' was never awaited",
                    self.program_name
                ),
                format!("  {}", self.source_line(line)),
                "RuntimeWarning: Enable tracemalloc to get the object allocation traceback"
                    .to_string(),
            ];
            self.write_stderr(tid, lines);
        }
    }
}

/// An exception class's name as a traceback writes it (with its module where that is not
/// `builtins`).
fn qualified(kind: ExcKind) -> String {
    match kind {
        ExcKind::CancelledError => "asyncio.exceptions.CancelledError".into(),
        ExcKind::InvalidStateError => "asyncio.exceptions.InvalidStateError".into(),
        ExcKind::QueueEmpty => "_queue.Empty".into(),
        ExcKind::QueueFull => "queue.Full".into(),
        k => k.name().to_string(),
    }
}
