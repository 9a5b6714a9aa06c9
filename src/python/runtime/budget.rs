//! How long a run may go on, and who watches it while it runs.
//!
//! An endless loop must stop with a message naming its line, and a long run must not freeze
//! the page; yet a program must not pass on a fast machine and fail on a slow one (in CI, or
//! on a reader's phone). So a run has two limits, for two different jobs:
//!
//! - **A budget of interpreted operations** ([`OP_BUDGET`]), the same on every machine: it
//!   decides which programs run, deterministically. It is sized to several seconds of engine
//!   time at the speed `make bench` measures (see the constant), which is far more than the
//!   classroom programs need: two threads making 100,000 increments each take about 2 million.
//! - **Watchers** ([`Limits::watchers`]), called every [`WATCH_EVERY`] operations with the
//!   run's [`Progress`] (operations done, simulated time reached). A watcher may report the
//!   progress (the page's engine worker posts it) and may stop the run with a reason; the
//!   wall-clock guard [`time_limit`] stops a run after a number of seconds of engine time. It
//!   is a guard, not the rule: the budget ends a runaway program long before it on any
//!   machine of the kind this is built on, so it only fires on a machine many times slower,
//!   and then it says so, with the line.
//!
//! Checking is one comparison per operation: the VM compares the operations done with the
//! next checkpoint ([`Runtime::check_limits`] runs there).

use super::state::Runtime;
use crate::python::error::{PyError, PyErrorKind};
use crate::python::frame::Frame;
use crate::python::sync::ThreadId;

/// Most interpreted operations a run may take: 200 million, about 4 s of engine time natively
/// and 8 s in the browser at the speeds `make bench` measured (about 50 and 25 million
/// operations a second), and about 3 s of CPython's own time (14 ns an operation). An endless
/// loop stops here, with its line.
pub const OP_BUDGET: u64 = 200_000_000;

/// Watchers are called every this many operations (about a millisecond of engine time).
pub const WATCH_EVERY: u64 = 1 << 16;

/// How far a run has come.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Progress {
    /// Interpreted operations done.
    pub ops: u64,
    /// The simulated time reached, in seconds.
    pub simulated_s: f64,
}

/// Looks at a run's progress; `Err(reason)` stops the run, and the reason becomes the start of
/// its message ("stopped after 30 s of engine time").
pub type Watcher = Box<dyn FnMut(&Progress) -> Result<(), String>>;

/// The limits of one run.
pub struct Limits {
    /// The operation budget (see [`OP_BUDGET`]).
    pub max_ops: u64,
    /// Called in order every [`WATCH_EVERY`] operations; the first `Err` stops the run.
    pub watchers: Vec<Watcher>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_ops: OP_BUDGET,
            watchers: Vec::new(),
        }
    }
}

impl Limits {
    /// These limits, with `watcher` called as the run goes.
    pub fn watched_by(mut self, watcher: Watcher) -> Limits {
        self.watchers.push(watcher);
        self
    }
}

/// The wall-clock guard: stops a run after `limit_s` seconds of engine time, as told by `now`
/// (seconds since any fixed moment: `Instant` natively, `performance.now()` in a browser; the
/// interpreter itself has no clock, so that it runs the same everywhere).
pub fn time_limit(limit_s: f64, now: impl Fn() -> f64 + 'static) -> Watcher {
    let start = now();
    Box::new(move |_| {
        let spent = now() - start;
        if spent > limit_s {
            Err(format!(
                "stopped after {spent:.1} s of engine time (the limit is {limit_s} s)"
            ))
        } else {
            Ok(())
        }
    })
}

impl Runtime {
    /// Replaces the run's limits (before it starts).
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
        self.next_check = self.first_checkpoint();
    }

    /// How far the run has come: what a watcher is told, and what a finished run did.
    pub fn progress(&self) -> Progress {
        Progress {
            ops: self.ops_done,
            simulated_s: crate::core::clock::to_secs(self.now),
        }
    }

    /// The operation count at which the VM next calls [`Runtime::check_limits`].
    pub(super) fn first_checkpoint(&self) -> u64 {
        (self.ops_done + WATCH_EVERY).min(self.limits.max_ops.saturating_add(1))
    }

    /// At a checkpoint: past the budget, or a watcher says stop, the run ends with an error at
    /// the line thread `tid` is on (the innermost frame of the program's own code).
    pub(super) fn check_limits(&mut self, tid: ThreadId, frames: &[Frame]) -> Result<(), PyError> {
        let progress = Progress {
            ops: self.ops_done,
            simulated_s: self.now_s(tid),
        };
        if self.ops_done > self.limits.max_ops {
            let why = format!(
                "stopped after {} interpreted operations",
                self.limits.max_ops
            );
            return Err(self.stopped(frames, why, progress.simulated_s));
        }
        for watch in &mut self.limits.watchers {
            if let Err(why) = watch(&progress) {
                return Err(self.stopped(frames, why, progress.simulated_s));
            }
        }
        self.next_check = self.first_checkpoint();
        Ok(())
    }

    fn stopped(&self, frames: &[Frame], why: String, simulated_s: f64) -> PyError {
        // The VM stops between two instructions: the running frame is at the one it would
        // run next; a frame below it, at the call it made.
        let running = frames.len().saturating_sub(1);
        let line = frames
            .iter()
            .enumerate()
            .rev()
            .find(|(_, f)| self.is_user_frame(f))
            .map_or(0, |(i, f)| if i == running { f.next_line() } else { f.line() });
        PyError {
            kind: PyErrorKind::StepBudget,
            line,
            column: 1,
            message: format!(
                "{why}, at {simulated_s:.3} s of simulated time: the program runs too long or never ends (big loops run fast only when they are sums of a polynomial, e.g. sum(i * i for i in range(n)))"
            ),
        }
    }
}
