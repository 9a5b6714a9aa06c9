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
//! This file says what the limits are; `checkpoints` checks them. Checking is one comparison
//! per operation: the VM compares the operations done with the next checkpoint.

/// Most interpreted operations a run may take: 50 million, about 2.5 s of engine time natively
/// and 5 s in the browser at the speeds `make bench` measured on this project's 2-core
/// machines (about 20 and 10 million operations a second), 25 times what the race demo of two
/// threads making 100,000 increments each takes (1.8 million). An endless loop stops here,
/// with its line. (At the profile's 3.4 ns an operation, it is 0.17 s of CPython's own time:
/// the kitchen interprets about fifteen times slower than CPython, and charges CPython's.)
pub const OP_BUDGET: u64 = 50_000_000;

/// Watchers are called every this many operations (a few milliseconds of engine time).
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
