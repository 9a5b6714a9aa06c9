//! The pure core: the program model, the three kitchens' schedulers, and the trace they
//! produce. No web or OS dependency lives here; everything else in the crate depends on this
//! module and it depends on nothing of theirs, so it is tested natively with `cargo test`.
//!
//! The flow is program → simulator → trace:
//! - [`program`]: what a Python program does, as steps ([`scenarios`] are written in it);
//! - [`simulator`]: advances simulated time ([`clock`]) on a machine ([`profile`]), with one
//!   [`gil`] per process, the machine's [`cores`], asyncio's [`event_loop`] and the executor's
//!   [`thread_pool`], writing what happened through the [`recorder`];
//! - [`trace`]: the result every view and runner shares; [`summary`] condenses it;
//! - [`workload`]: the real CPU step, which the runners time for real.

pub mod clock;
pub mod cores;
pub mod event_loop;
pub mod gil;
pub mod interpreter;
pub mod profile;
pub mod program;
pub mod recorder;
pub mod scenarios;
pub mod simulator;
pub mod summary;
pub mod thread_pool;
pub mod trace;
pub mod workload;
