//! Python programs on the simulated clock.
//!
//! A program is parsed by a real Python parser (`rustpython-parser`), compiled to a small
//! bytecode and run by an interpreter whose threads, processes and asyncio tasks are scheduled
//! by the core's simulator, so a pasted program produces the same kind of trace as a built-in
//! scenario.
//!
//! Where things are, from the bottom up: each line uses the lines above it, and no module
//! imports one that imports it back (`tests/architecture.rs` checks that).
//! - [`value`]: Python values; [`ops`]: arithmetic, comparison, `repr`, formatting and the
//!   methods of plain data; [`error`]: the error a run can end in.
//! - [`bytecode`] and [`compile`] (with [`fast_path`]): from source to instructions.
//! - [`frame`] (frames and generators), [`objects`] (functions, namespaces, iterators),
//!   [`classes`] (the program's classes, their instances, bound methods, properties),
//!   [`sync`] (thread and process handles, locks, queues), [`futures`] (futures and tasks),
//!   [`copy`] (values crossing a process boundary), [`random`] (CPython's generator).
//! - [`runtime`]: the interpreter proper — its state, the VM, threads, asyncio's event loop,
//!   and the answer to the simulator's question "what does this thread do next?".
//! - [`natives`]: the library written in Rust, one file per module (`time`, `threading`,
//!   `asyncio`, `multiprocessing`, `concurrent.futures`, `random`, `math`, `queue`), installed
//!   into the runtime when it is built; the rest of the library is `runtime/prelude.py`.
//! - [`run`], here: a program's whole run, from source to trace.

pub mod bytecode;
pub mod classes;
pub mod compile;
pub mod copy;
pub mod error;
pub mod fast_path;
pub mod frame;
pub mod futures;
pub mod natives;
pub mod objects;
pub mod ops;
pub mod random;
pub mod runtime;
pub mod sync;
pub mod value;

pub use error::{PyError, PyErrorKind};
pub use runtime::{time_limit, Limits, Progress, Watcher, OP_BUDGET, WATCH_EVERY};

use crate::core::profile::Profile;
use crate::core::recorder::TraceHeader;
use crate::core::simulator::{simulate, SimError};
use crate::core::trace::Trace;

/// Runs the Python program `source` (named `name`, e.g. its file name) on the machine
/// `profile` describes, and returns its trace.
///
/// The profile is user input (a URL parameter, a `--profile` file, `--cores`): it is checked
/// here, once, and the checked profile goes to the interpreter and the simulator alike, so the
/// program's `multiprocessing.cpu_count()` says the cores the simulation has. What had to be
/// clamped is noted in the trace. The run has the default [`Limits`]: the operation budget,
/// no watcher.
pub fn run(source: &str, name: &str, profile: Profile) -> Result<Trace, PyError> {
    run_with(source, name, profile, Limits::default()).map(|(trace, _)| trace)
}

/// [`run`] with `limits` of its own (a time limit, a watcher that reports progress); also says
/// how far the run came (the operations it took, the simulated time it reached).
pub fn run_with(
    source: &str,
    name: &str,
    profile: Profile,
    limits: Limits,
) -> Result<(Trace, Progress), PyError> {
    let (profile, clamps) = profile.checked();
    let mut rt = runtime::Runtime::new(source, name, &profile, natives::install)?;
    rt.set_limits(limits);
    let header = TraceHeader {
        scenario: name.to_string(),
        title: name.to_string(),
        profile: profile.profile().clone(),
        notes: clamps.iter().map(|c| c.to_string()).collect(),
        code: Some(source.to_string()),
    };
    match simulate(&mut rt, &profile, header) {
        Ok(mut trace) => {
            trace.notes.append(&mut rt.take_notes());
            let mut progress = rt.progress();
            progress.simulated_s = trace.makespan_s;
            Ok((trace, progress))
        }
        Err(SimError::ProgramFailed) => Err(rt.take_fatal().unwrap_or(PyError {
            kind: PyErrorKind::Uncaught,
            line: 0,
            column: 0,
            message: "the program failed".into(),
        })),
        Err(SimError::StepBudget { steps, at_s }) => Err(PyError {
            kind: PyErrorKind::StepBudget,
            line: rt.current_line(0).unwrap_or(0),
            column: 1,
            message: format!(
                "stopped after {steps} scheduling steps at {at_s:.3} s of simulated time: the program runs too long or never ends"
            ),
        }),
        Err(e @ SimError::Deadlock { .. }) => Err(PyError {
            kind: PyErrorKind::Deadlock,
            line: rt.current_line(0).unwrap_or(0),
            column: 1,
            message: match rt.last_note() {
                Some(why) => format!("{e} (after: {why})"),
                None => e.to_string(),
            },
        }),
    }
}
