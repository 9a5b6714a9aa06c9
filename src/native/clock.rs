//! One clock for a run and all its processes.
//!
//! Reports from the kitchen's own threads and from its child processes must land on one time
//! line. Within a process, [`Instant`] is the clock (monotonic). A child process cannot read
//! its parent's `Instant`, so the parent passes the wall-clock time the run started at, and the
//! child reads the wall clock once, when it boots, to know where on the run's time line it
//! is; from then on it too counts with its own `Instant`. The wall clock is read once per
//! process, so a clock adjustment during the run cannot make time run backwards.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::core::clock::Nanos;

#[derive(Clone, Copy, Debug)]
pub struct Clock {
    start: Instant,
    /// Run time at `start`.
    offset: Nanos,
}

impl Clock {
    /// The clock of a new run, which starts now; and the wall-clock time of that start, for
    /// child processes ([`Clock::joined`]).
    pub fn start() -> (Clock, u128) {
        let clock = Clock {
            start: Instant::now(),
            offset: 0,
        };
        (clock, epoch_ns())
    }

    /// The clock of the run that started at wall-clock time `run_epoch_ns`, in a child.
    pub fn joined(run_epoch_ns: u128) -> Clock {
        let start = Instant::now();
        let since = epoch_ns().saturating_sub(run_epoch_ns);
        Clock {
            start,
            offset: since.min(Nanos::MAX as u128) as Nanos,
        }
    }

    /// Nanoseconds since the run started.
    pub fn now(&self) -> Nanos {
        let elapsed = self.start.elapsed().as_nanos().min(Nanos::MAX as u128) as Nanos;
        self.offset.saturating_add(elapsed)
    }
}

fn epoch_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}
