//! The engine's side of the page's requests: one pure function, [`answer`], from a
//! [`Request`] to its [`Reply`]. The engine worker calls it for each message; the native tests
//! call it directly, so what the page gets is tested without a browser.
//!
//! Everything the page sends is untrusted (a URL's program, a dropped file): every path ends
//! in a reply, never a panic.

use super::protocol::{Reply, Request, MAX_OPEN_BYTES};
use crate::compare::cook;
use crate::core::profile::Profile;
use crate::core::trace::{Trace, TraceError};
use crate::python;
use crate::scenarios;
use crate::trace_io;

/// The file name programs run under (it appears in the interpreter's messages).
pub const PROGRAM_NAME: &str = "program.py";

/// Answers one request.
pub fn answer(request: Request) -> Reply {
    match request {
        Request::Simulate { scenario, cores } => simulate(&scenario, cores),
        Request::Run { source, cores } => run(source, cores),
        Request::Open { name, text } => open(&name, &text),
        Request::Export { trace } => Reply::Text {
            text: trace_io::chrome::export(&trace),
        },
        Request::Cook {
            kitchen,
            workload,
            resolution,
        } => match cook::cook_for_page(kitchen, &workload, &Profile::default(), resolution) {
            Ok(cooked) => Reply::Cooked {
                cooked: Box::new(cooked),
            },
            Err(e) => Reply::Refused { why: e.to_string() },
        },
        Request::Total { kitchen, workload } => {
            match cook::cook(kitchen, &workload, &Profile::default()) {
                Ok(trace) => Reply::Seconds {
                    seconds: trace.makespan_s,
                },
                Err(e) => Reply::Refused { why: e.to_string() },
            }
        }
    }
}

/// [`answer`] for JSON text in and out, as the worker passes it.
pub fn answer_json(text: &str) -> String {
    let reply = match serde_json::from_str::<Request>(text) {
        Ok(request) => answer(request),
        Err(e) => Reply::Refused {
            why: format!("the engine could not read the request: {e}"),
        },
    };
    reply.to_json()
}

fn profile(cores: u32) -> Profile {
    Profile {
        cores,
        ..Profile::default()
    }
}

fn simulate(id: &str, cores: u32) -> Reply {
    let scenario = match scenarios::find(id) {
        Ok(s) => s,
        Err(e) => return Reply::Refused { why: e.to_string() },
    };
    match scenario.simulate(profile(cores)) {
        Ok(trace) => Reply::Trace {
            trace: Box::new(trace),
        },
        Err(error) => Reply::Failed { error },
    }
}

/// Seconds of engine time a pasted program may take before it is stopped, on a machine so
/// slow that the operation budget has not stopped it first (see `python::runtime::budget`).
pub const ENGINE_TIME_LIMIT_S: f64 = 30.0;

/// Seconds since a fixed moment, on the engine's clock: the browser's in wasm, `Instant`
/// natively. The interpreter has no clock of its own, so that it runs the same everywhere.
fn engine_clock() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now() / 1000.0
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
        START
            .get_or_init(std::time::Instant::now)
            .elapsed()
            .as_secs_f64()
    }
}

/// A program's run, with the operation budget every run has (the same on every machine) and
/// a limit of [`ENGINE_TIME_LIMIT_S`] of engine time. The trace always carries the program it
/// is a run of, so the code panel can show it; an error keeps its line and column.
fn run(source: String, cores: u32) -> Reply {
    let guard = python::time_limit(ENGINE_TIME_LIMIT_S, engine_clock);
    let limits = python::Limits::default().watched_by(guard);
    match python::run_with(&source, PROGRAM_NAME, profile(cores), limits).map(|(t, _)| t) {
        Ok(mut trace) => {
            if trace.code.is_none() {
                trace.code = Some(source);
            }
            Reply::Trace {
                trace: Box::new(trace),
            }
        }
        Err(error) => Reply::Failed { error },
    }
}

/// A file the reader opened: a kitchen trace, or else a VizTracer file.
fn open(name: &str, text: &str) -> Reply {
    if text.len() > MAX_OPEN_BYTES {
        return Reply::Refused {
            why: format!(
                "{name} is too large to open here: {} MB (at most {} MB)",
                text.len() >> 20,
                MAX_OPEN_BYTES >> 20
            ),
        };
    }
    let refused = |why: String| Reply::Refused {
        why: format!("{name} cannot be shown: {why}"),
    };
    match Trace::from_json(text) {
        Ok(trace) => Reply::Trace {
            trace: Box::new(trace),
        },
        // Not a kitchen trace's shape: perhaps a VizTracer file (Chrome's format, with
        // `traceEvents`).
        Err(TraceError::Malformed(kitchen_why)) => {
            if !looks_like_chrome_events(text) {
                return refused(format!(
                    "it is not a kitchen trace ({kitchen_why}) nor a VizTracer file"
                ));
            }
            match trace_io::viztracer::import(text, name) {
                Ok(trace) => Reply::Trace {
                    trace: Box::new(trace),
                },
                Err(e) => refused(format!("as a VizTracer file, {e}")),
            }
        }
        Err(e) => refused(e.to_string()),
    }
}

/// Whether `text` may be Chrome's Trace Event JSON (an object with `traceEvents`).
fn looks_like_chrome_events(text: &str) -> bool {
    text.trim_start().starts_with('{') && text.contains("\"traceEvents\"")
}
