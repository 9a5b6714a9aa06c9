//! The pure core: the machine, the schedulers CPython's threads and processes run under, and
//! the trace they produce. No web, OS or Python dependency lives here; everything else in the
//! crate depends on this module and it depends on nothing of theirs, so it is tested natively
//! with `cargo test`.
//!
//! The flow is program → simulator → trace:
//! - [`interpreter`]: what a running program asks of the scheduler (compute, sleep, print,
//!   start a thread or process, block, wait for events), a trait the Python interpreter in
//!   `crate::python` implements; asyncio's event loop and the executors live there, in the
//!   program's own terms;
//! - [`simulator`]: advances simulated time ([`clock`]) on a machine ([`profile`]), with one
//!   [`gil`] per process and the machine's [`cores`], writing what happened through the
//!   [`recorder`] (asyncio tasks through [`task_lanes`]);
//! - [`trace`]: the result every view and runner shares; [`summary`] condenses it;
//! - [`workload`]: the real CPU step, which the runners time for real;
//! - [`fast_hash`]: a fast hasher for maps keyed by ids, names and dict keys;
//! - [`sort`]: one stable sort for every kind of thing the crate sorts (a small download);
//! - [`pretty_json`]: indents compact JSON, so that serde writes each type one way only.

pub mod clock;
pub mod cores;
pub mod fast_hash;
pub mod gil;
pub mod interpreter;
pub mod pretty_json;
pub mod profile;
pub mod recorder;
pub mod simulator;
pub mod sort;
pub mod summary;
pub mod task_lanes;
pub mod trace;
pub mod workload;
