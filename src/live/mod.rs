//! Live runs: the same program the simulator schedules, cooked for real on a real clock.
//!
//! The simulator answers "what would CPython do?" on a simulated machine. A live run answers
//! "what does this machine do?": the program is run by the same interpreter, through the same
//! [`Interpreter`](crate::core::interpreter::Interpreter) trait, but its CPU turns are really
//! computed, its sleeps really slept, its threads and processes really started, and the
//! trace records when those things really happened.
//!
//! This module is the half that decides, with no OS, clock or browser in it (sans-IO):
//! - [`protocol`]: the [`Command`]s the driver hands out and the [`Report`]s it gets back;
//! - [`driver`]: the state machine that owns the interpreter and writes the trace.
//!
//! The other half is an executor that carries the commands out: `crate::native` with OS
//! threads, child processes and an emulated GIL; [`browser`] with Web Workers and timers
//! (the page's live kitchen), sharing the driver unchanged. An executor's loop is:
//!
//! ```text
//! commands = driver.start(now)
//! until driver.is_done():
//!     carry out commands
//!     wait for a report, or until driver.next_deadline() (then report Timer)
//!     commands = driver.completed(report, time it happened)
//! trace = driver.finish(now)
//! ```

pub mod browser;
pub mod driver;
pub mod protocol;

pub use driver::{Driver, LiveError};
pub use protocol::{Command, Report};
