//! Where a run's limits (`budget`) are checked: at checkpoints, every [`WATCH_EVERY`]
//! operations and at the budget's end, the VM stops the run past the budget or when a watcher
//! says so, with the line the program is on.

use super::budget::{Limits, Progress, WATCH_EVERY};
use super::state::Runtime;
use crate::python::error::{PyError, PyErrorKind};
use crate::python::frame::Frame;
use crate::python::sync::ThreadId;

impl Runtime {
    /// Replaces the run's limits (before it starts).
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
        self.next_check = self.next_checkpoint();
    }

    /// How far the run has come: what a watcher is told, and what a finished run did.
    pub fn progress(&self) -> Progress {
        Progress {
            ops: self.ops_done,
            simulated_s: crate::core::clock::to_secs(self.now),
        }
    }

    /// The operation count at which the VM next calls [`Runtime::check_limits`].
    pub(super) fn next_checkpoint(&self) -> u64 {
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
        self.next_check = self.next_checkpoint();
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
            .map_or(0, |(i, f)| {
                if i == running {
                    f.next_line()
                } else {
                    f.line()
                }
            });
        PyError::new(
            PyErrorKind::StepBudget,
            line,
            1,
            format!(
                "{why}, at {simulated_s:.3} s of simulated time: the program runs too long or never ends (big loops run fast only when they are sums of a polynomial, e.g. sum(i * i for i in range(n)))"
            ),
        )
    }
}
