//! The live kitchen in the browser (`#live-run`): a program's own threads and processes
//! cooked for real by Web Workers, driven by the same [`crate::live::Driver`] as the native
//! comparison, and recorded in the same trace format (`source: browser`).
//!
//! Pure and native-tested, like the driver: the engine worker's JavaScript
//! (`www/engine-worker.js`) hires the workers, posts their messages and keeps the timers,
//! and asks this module what to do at every turn.
//! - [`kitchen`]: the browser's executor, commands to effects on workers, workers' messages
//!   to reports, a GIL per process by CPython's rules (over shared memory or messages);
//! - [`run`]: one run from hiring the workers to the figures (calibration, scaling, the
//!   prediction);
//! - [`figures`]: totals and speedups, predicted and measured.

pub mod figures;
pub mod kitchen;
pub mod run;

pub use kitchen::{ChefSays, Effect, Kitchen, Transport};
pub use run::{Browser, LiveRequest, LiveResult, LiveRun};
