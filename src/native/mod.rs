//! The native comparison: a program cooked for real on this machine, recorded as the same
//! [`Trace`] the simulator writes, so the page and the CLI show a measured run like a
//! simulated one.
//!
//! The program is the scenario's own Python program (or any program the interpreter runs),
//! run by the kitchen's interpreter through the real-time driver of [`crate::live`]; what
//! takes time is done for real by the [`executor`]:
//! - each interpreted thread's CPU steps run on an OS thread of its own ([`chef`]): the real
//!   [`sum_of_squares`](crate::core::workload::sum_of_squares) of as many turns as the
//!   program's loop (`sum(i * i for i in range(n))`) has, in Rust. Plain interpreter work,
//!   everything but those turns, takes no time here;
//! - each process is a real child process ([`child`]: this binary re-run as `kitchen work`),
//!   so processes really run in parallel on the machine's cores and really cost a start;
//! - sleeps are real sleeps; asyncio's event loop is the interpreter's own, driven by real
//!   timers: a single thread, which a CPU step in a coroutine really freezes;
//! - the Rust chefs have no GIL: threads cook in parallel. With `--gil` the threads of each
//!   process take turns on an emulated GIL ([`gil`]) by CPython's rules, so the GIL's cost
//!   is measured on real threads;
//! - memory is the resident set the OS reports for each process ([`memory`]).
//!
//! [`cpython`] is the other real run: the program under the real `python3`, observed.

pub mod chef;
pub mod child;
pub mod clock;
pub mod cpython;
pub mod executor;
pub mod gil;
pub mod memory;
pub mod sink;

use std::path::Path;

use crate::core::clock::from_secs;
use crate::core::profile::Profile;
use crate::core::recorder::TraceHeader;
use crate::core::trace::{Source, Trace};
use crate::live::{Driver, LiveError};
use crate::python::natives;
use crate::python::runtime::Runtime;
use crate::python::PyError;
use crate::scenarios::{Scenario, Size};

/// Longest boil and biggest CPU step a measurement accepts: it runs for real.
pub const MAX_BOIL_S: f64 = 60.0;
pub const MAX_N: u64 = 2_000_000_000;
pub const MAX_ORDERS: usize = 100;
pub const MAX_POTS: usize = 2000;
/// A measured run is stopped after this much real time unless told otherwise.
pub const DEFAULT_TIME_LIMIT_S: f64 = 300.0;

/// A program to cook.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    /// The scenario's id, or the file's name.
    pub id: String,
    pub title: String,
    /// The file name, for error messages.
    pub file: String,
    pub source: String,
}

impl Program {
    /// A built-in scenario at `size` (its constants rewritten, as for the simulation).
    pub fn scenario(scenario: &Scenario, size: &Size) -> Program {
        Program {
            id: scenario.id.to_string(),
            title: scenario.title.to_string(),
            file: scenario.file.to_string(),
            source: scenario.source(size),
        }
    }

    /// A program from a file.
    pub fn file(name: &str, source: String) -> Program {
        Program {
            id: name.to_string(),
            title: name.to_string(),
            file: name.to_string(),
            source,
        }
    }
}

/// Checks a size before anything runs for real: a measurement takes what it says.
pub fn check_size(size: &Size) -> Result<(), MeasureError> {
    let bad = |why: String| Err(MeasureError::BadInput(why));
    if !(size.boil_s.is_finite() && (0.0..=MAX_BOIL_S).contains(&size.boil_s)) {
        return bad(format!(
            "--boil {} must be between 0 and {MAX_BOIL_S} seconds",
            size.boil_s
        ));
    }
    if size.cpu_iterations > MAX_N {
        return bad(format!(
            "--n {} is more than {MAX_N} loop turns",
            size.cpu_iterations
        ));
    }
    if !(1..=MAX_ORDERS).contains(&size.orders) {
        return bad(format!(
            "--orders {} must be 1 to {MAX_ORDERS}",
            size.orders
        ));
    }
    if !(1..=MAX_POTS).contains(&size.pots) {
        return bad(format!("--pots {} must be 1 to {MAX_POTS}", size.pots));
    }
    Ok(())
}

/// How to measure.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// Threads of a process take turns on an emulated GIL.
    pub gil: bool,
    /// Real seconds after which the run is stopped.
    pub time_limit_s: f64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            gil: false,
            time_limit_s: DEFAULT_TIME_LIMIT_S,
        }
    }
}

#[derive(Debug, PartialEq)]
pub enum MeasureError {
    /// The program does not run: its place in the source and why.
    Program(PyError),
    BadInput(String),
    /// The run stopped: a deadlock, the step budget, a thread or process that failed.
    Run(String),
}

impl std::fmt::Display for MeasureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MeasureError::Program(e) => write!(f, "{}:{}: {}", e.line, e.column, e.message),
            MeasureError::BadInput(why) | MeasureError::Run(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for MeasureError {}

/// This machine's cores.
pub fn cores() -> u32 {
    std::thread::available_parallelism()
        .map(|n| n.get() as u32)
        .unwrap_or(1)
}

/// Cooks `program` for real; child processes are `exe work ...`.
pub fn measure(program: &Program, options: &Options, exe: &Path) -> Result<Trace, MeasureError> {
    if !(options.time_limit_s.is_finite() && options.time_limit_s > 0.0) {
        return Err(MeasureError::BadInput(format!(
            "a time limit of {} s",
            options.time_limit_s
        )));
    }
    let profile = Profile {
        cores: cores(),
        ..Profile::default()
    };
    let interval = profile.switch_interval();
    let (checked, _) = profile.checked();
    let profile = checked.profile().clone();
    let runtime = Runtime::new(&program.source, &program.file, &checked, natives::install)
        .map_err(MeasureError::Program)?;
    let header = TraceHeader {
        scenario: program.id.clone(),
        title: format!("{} (measured natively)", program.title),
        notes: notes(options, &profile),
        profile,
        code: Some(program.source.clone()),
    };
    let mut driver = Driver::new(runtime, header, Source::Native);
    if options.gil {
        driver = driver.emulating_gil();
    }
    let setup = executor::Setup {
        exe,
        gil_interval: options.gil.then_some(interval),
        time_limit: from_secs(options.time_limit_s),
    };
    match executor::run(&mut driver, setup) {
        Ok(end) => {
            let (trace, mut runtime) = driver.finish(end);
            crate::python::finish_run(&mut runtime, trace).map_err(MeasureError::Program)
        }
        Err(executor::RunError::Live(LiveError::ProgramFailed)) => {
            let runtime = driver.interpreter_mut();
            Err(match runtime.take_fatal() {
                Some(e) => MeasureError::Program(e),
                None => MeasureError::Run("the program failed".into()),
            })
        }
        Err(executor::RunError::Live(e)) => Err(MeasureError::Run(e.to_string())),
        Err(executor::RunError::Os(why)) => Err(MeasureError::Run(why)),
    }
}

fn notes(options: &Options, profile: &Profile) -> Vec<String> {
    let mut notes = vec![format!(
        "Measured on this machine ({} cores): real OS threads, real processes (this binary \
         re-run as `kitchen work`), real sleeps. Each CPU step is the real sum of squares, in \
         Rust, of as many turns as the program's loop; plain interpreter work takes no time.",
        profile.cores
    )];
    notes.push(if options.gil {
        format!(
            "--gil: the threads of each process take turns on an emulated GIL (switch \
             interval {} ms, first come first served), by CPython's rules.",
            profile.switch_interval_s * 1e3
        )
    } else {
        "The Rust chefs have no GIL: CPU steps on threads run in parallel here, where \
         CPython makes them take turns (measure with --gil to emulate it)."
            .into()
    });
    notes.push(
        "Memory: each process's resident set (VmRSS) as the OS reports it; process 0 is the \
         kitchen itself, interpreter included."
            .into(),
    );
    notes
}
