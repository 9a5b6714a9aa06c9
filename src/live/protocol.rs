//! What the real-time driver and an executor say to each other.
//!
//! The driver ([`super::Driver`]) decides *what* happens: it runs the interpreter and hands
//! out [`Command`]s. An executor decides *how*: real OS threads and processes natively
//! (`crate::native`), Web Workers and timers in a browser. It carries each command out and
//! answers with [`Report`]s, stamped with the real time they happened at. Both are plain
//! data (and serde), so a report can cross a pipe from a child process or a `postMessage`
//! from a worker unchanged.
//!
//! Threads are named by the interpreter's thread numbers (0 is the main thread of process 0),
//! processes by their number in the trace (0 is the first).

use serde::{Deserialize, Serialize};

use crate::core::clock::Nanos;

/// Something the executor must do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum Command {
    /// Give thread `thread` of process `process` a chef of its own (an OS thread, a worker)
    /// and report [`Report::ThreadStarted`] once that chef runs.
    StartThread {
        thread: usize,
        process: usize,
        name: String,
    },
    /// Start process `process`, whose main thread is `thread`: report
    /// [`Report::ProcessSpawned`] when the start call returns to the parent and
    /// [`Report::ProcessStarted`] when the new process has booted and can cook.
    StartProcess {
        process: usize,
        thread: usize,
        name: String,
    },
    /// `thread` cooks `sum(i * i for i in range(turns))` for real
    /// ([`crate::core::workload::sum_of_squares`]), holding its process's GIL if the executor
    /// emulates one; then [`Report::Computed`].
    Compute {
        thread: usize,
        process: usize,
        turns: u64,
    },
    /// `thread` sleeps `ns` for real (without the GIL); then [`Report::Slept`].
    Sleep {
        thread: usize,
        process: usize,
        ns: Nanos,
    },
    /// `thread` has ended: its chef may go. Nothing is reported.
    EndThread { thread: usize, process: usize },
    /// The main thread of `process` has ended: let the process exit and report
    /// [`Report::ProcessExited`] once it is gone.
    EndProcess { process: usize },
}

/// Something that happened, reported by the executor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "report", rename_all = "snake_case")]
pub enum Report {
    /// The chef of a [`Command::StartThread`] runs.
    ThreadStarted {
        thread: usize,
    },
    /// The start of a [`Command::StartProcess`] returned to the parent.
    ProcessSpawned {
        process: usize,
    },
    /// The new process has booted.
    ProcessStarted {
        process: usize,
    },
    ProcessExited {
        process: usize,
    },
    Computed {
        thread: usize,
    },
    Slept {
        thread: usize,
    },
    /// `thread` wants its process's GIL for a [`Command::Compute`] and waits for it.
    GilWait {
        thread: usize,
    },
    /// From now on `holder` holds `process`'s GIL (`None`: nobody). `dropped`: the previous
    /// holder was made to let go after the switch interval and waits for it again.
    Gil {
        process: usize,
        holder: Option<usize>,
        dropped: bool,
    },
    /// The resident memory of `process` now.
    Memory {
        process: usize,
        bytes: u64,
    },
    /// A time [`super::Driver::next_deadline`] named has come (an event loop's timer).
    Timer,
}
