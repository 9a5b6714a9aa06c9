//! Python programs on the simulated clock.
//!
//! A program is parsed by a real Python parser (`rustpython-parser`), compiled to a small
//! bytecode and run by an interpreter whose threads, processes and asyncio tasks are scheduled
//! by the core's simulator, so a pasted program produces the same kind of trace as a built-in
//! scenario.
//!
//! Where things are, from the bottom up: each line uses the lines above it, and no module
//! imports one that imports it back (`tests/architecture.rs` checks that).
//! - [`value`]: Python values, with [`set`] (sets laid out as CPython's, and its hashes)
//!   and [`bytes`]; [`ops`]: arithmetic, comparison, `repr`, formatting and the methods of
//!   plain data; [`error`]: the error a run can end in.
//! - [`bytecode`] and [`compile`] (with [`fast_path`]): from source to instructions.
//! - [`frame`] (frames and generators), [`objects`] (functions, namespaces, iterators),
//!   [`classes`] (the program's classes, their instances, bound methods, properties),
//!   [`sync`] (thread and process handles, locks, queues), [`futures`] (futures and tasks),
//!   [`copy`] (values crossing a process boundary), [`random`] (CPython's generator).
//! - [`runtime`]: the interpreter proper — its state, the VM, threads, asyncio's event loop,
//!   and the answer to the simulator's question "what does this thread do next?".
//! - [`natives`]: the library written in Rust, one file per module (`time`, `threading`,
//!   `asyncio`, `multiprocessing`, `concurrent.futures`, `random`, `math`, `queue`), installed
//!   into the runtime when it is built; the rest of the library is `runtime/prelude/*.py`.
//! - [`run`], here: a program's whole run, from source to trace.

pub mod bytecode;
pub mod bytes;
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
pub mod set;
pub mod sync;
pub mod value;

pub use error::{PyError, PyErrorKind};
pub use runtime::{time_limit, Limits, Progress, Watcher, OP_BUDGET, WATCH_EVERY};

use crate::core::profile::Profile;
use crate::core::recorder::TraceHeader;
use crate::core::simulator::{simulate, SimError};
use crate::core::trace::{Printed, Stream, Trace};

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
        Ok(trace) => {
            let mut progress = rt.progress();
            progress.simulated_s = trace.makespan_s;
            finish_run(&mut rt, trace).map(|trace| (trace, progress))
        }
        Err(_) if rt.uncaught_pending() => Err(rt
            .take_uncaught()
            .expect("checked: the main thread's exception")),
        Err(SimError::ProgramFailed) => Err(rt
            .take_fatal()
            .unwrap_or(PyError::new(PyErrorKind::Uncaught, 0, 0, "the program failed"))),
        Err(SimError::StepBudget { steps, at_s }) => Err(PyError::new(
            PyErrorKind::StepBudget,
            rt.current_line(0).unwrap_or(0),
            1,
            format!(
                "stopped after {steps} scheduling steps at {at_s:.3} s of simulated time: the program runs too long or never ends"
            ),
        )),
        Err(e @ SimError::Deadlock { .. }) => Err(PyError::new(
            PyErrorKind::Deadlock,
            rt.current_line(0).unwrap_or(0),
            1,
            match rt.last_note() {
                Some(why) => format!("{e} (after: {why})"),
                None => e.to_string(),
            },
        )),
    }
}

/// A run's trace once every thread has ended, completed from the runtime: its notes, and
/// what it wrote to standard error among its printed lines; the uncaught exception the
/// main thread ended in, if it did, carrying that trace.
pub fn finish_run(rt: &mut runtime::Runtime, mut trace: Trace) -> Result<Trace, PyError> {
    trace.notes.append(&mut rt.take_notes());
    let stderr = rt.take_stderr();
    add_stderr(&mut trace, rt, stderr);
    match rt.take_uncaught() {
        Some(mut e) => {
            e.trace = Some(Box::new(trace));
            Err(e)
        }
        None => Ok(trace),
    }
}

/// The lines the run wrote to standard error join the printed ones, in time order (at
/// the same moment, after what was printed to standard output), each on the lane of the
/// thread that wrote it.
fn add_stderr(trace: &mut Trace, rt: &runtime::Runtime, lines: Vec<runtime::ErrLine>) {
    if lines.is_empty() {
        return;
    }
    let lane_of = |tid: usize| {
        if tid == 0 {
            return 0;
        }
        let name = rt.thread_name(tid);
        trace.lanes.iter().position(|l| l.name == name).unwrap_or(0)
    };
    let mut extra: Vec<Printed> = lines
        .into_iter()
        .map(|l| Printed {
            t_s: crate::core::clock::to_secs(l.at),
            lane: lane_of(l.thread),
            text: l.text,
            stream: Stream::Stderr,
        })
        .collect();
    let mut all = std::mem::take(&mut trace.prints);
    all.append(&mut extra);
    // A stable sort keeps each stream's own order. At a tie standard error goes first: it
    // was written within the instruction whose printed line the simulator time-stamps at
    // that instruction's end (a warning before the next print, a traceback before the line
    // left unfinished at exit).
    let err_first = |p: &Printed| p.stream.is_stdout();
    crate::core::sort::sort_by(&mut all, |a, b| {
        a.t_s
            .total_cmp(&b.t_s)
            .then(err_first(a).cmp(&err_first(b)))
    });
    trace.prints = all;
}
