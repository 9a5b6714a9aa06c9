//! The engine door: every request the page makes of the engine (the Python interpreter, the
//! simulator, the trace converters) goes through here, as an async call that answers with a
//! [`Trace`] or an error.
//!
//! Where the engine runs depends on the build, and callers do not know which:
//! - in the site (without the `page-engine` feature) the door posts each request to the engine
//!   worker (`./engine-worker.js`, [`super::engine_link`]) and awaits its reply, so a long run
//!   never freezes the page and `#cancel-run` can stop it. The worker runs the same wasm module
//!   as the page (one module: the code both need is downloaded once). The opening scenario's
//!   trace is precomputed at build time ([`super::opening`]): the first scene needs no engine;
//! - with `page-engine` (the wasm tests, which have no worker script) the engine answers in the
//!   page's own thread, after the next paint, so "cooking…" is on screen while it works.
//!
//! UI code must not call `crate::python` or `Scenario::simulate` itself: only the engine does.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::compare::{Cooked, Kitchen, Workload};
use crate::core::trace::Trace;
use crate::engine::protocol::{LiveRequest, LiveResult};
use crate::engine::{Reply, Request};
use crate::python::{PyError, PyErrorKind};

/// The file name programs run under (it appears in the interpreter's messages).
pub const PROGRAM_NAME: &str = "program.py";

/// If no animation frame comes (a hidden tab or an off-screen iframe gets none), the work
/// starts after this many milliseconds anyway.
const FALLBACK_MS: u32 = 150;

/// Simulates the built-in scenario `id` on a machine with `cores` cores (the other costs
/// CPython's). An unknown id or a failed run answers with its message.
pub async fn simulate(id: &str, cores: u32) -> Result<Trace, String> {
    if let Some(trace) = super::opening::precomputed(id, cores).await {
        return Ok(trace);
    }
    let request = Request::Simulate {
        scenario: id.to_string(),
        cores,
    };
    match ask(request, format!("Simulating “{id}”")).await {
        Reply::Trace { trace } => Ok(*trace),
        Reply::Failed { error } => Err(crate::page::code_view::describe_error(&error)),
        other => Err(unexpected(other)),
    }
}

/// Runs a pasted program on the page's simulated machine. The trace always carries the program
/// it is a run of, so the code panel can show it; an error keeps its line and column.
///
/// The engine runs it with the operation budget every run has and, as a guard for slow
/// machines, a limit of engine time (`engine::serve::ENGINE_TIME_LIMIT_S`).
pub async fn run_program(source: String, cores: u32) -> Result<Trace, PyError> {
    match ask(
        Request::Run { source, cores },
        "Running your program".into(),
    )
    .await
    {
        Reply::Trace { trace } => Ok(*trace),
        Reply::Failed { error } => Err(error),
        other => Err(PyError::new(PyErrorKind::Engine, 0, 0, unexpected(other))),
    }
}

/// Reads a file the reader opened (a kitchen trace or a VizTracer file), untrusted.
pub async fn open_file(name: String, text: String) -> Result<Trace, String> {
    let what = format!("Reading {name}");
    match ask(Request::Open { name, text }, what).await {
        Reply::Trace { trace } => Ok(*trace),
        other => Err(unexpected(other)),
    }
}

/// The trace as Chrome's Trace Event JSON (Perfetto, chrome://tracing).
pub async fn export_chrome(trace: Trace) -> Result<String, String> {
    let request = Request::Export {
        trace: Box::new(trace),
    };
    match ask(request, "Converting the trace".into()).await {
        Reply::Text { text } => Ok(text),
        other => Err(unexpected(other)),
    }
}

/// Cooks `request` for real in the live kitchen: Web Workers, started by the engine worker.
pub async fn live_run(request: LiveRequest) -> Result<LiveResult, String> {
    let what = format!("Cooking “{}” for real in Web Workers", request.scenario);
    match ask_live(&request, what).await {
        Reply::Live { result } => Ok(*result),
        other => Err(unexpected(other)),
    }
}

/// What a reply that is not the one asked for says.
/// The comparison: `kitchen` cooking `workload`, its figures and its trace thinned to about
/// `resolution` stretches.
pub async fn cook_kitchen(
    kitchen: Kitchen,
    workload: Workload,
    resolution: u32,
) -> Result<Cooked, String> {
    let what = format!("Cooking the comparison in the {} kitchen", kitchen.id());
    let request = Request::Cook {
        kitchen,
        workload,
        resolution,
    };
    match ask(request, what).await {
        Reply::Cooked { cooked } => Ok(*cooked),
        other => Err(unexpected(other)),
    }
}

/// The comparison's chart: `kitchen`'s total time for `workload`, in seconds.
pub async fn total(kitchen: Kitchen, workload: Workload) -> Result<f64, String> {
    let what = format!("Timing the {} kitchen for the chart", kitchen.id());
    match ask(Request::Total { kitchen, workload }, what).await {
        Reply::Seconds { seconds } => Ok(seconds),
        other => Err(unexpected(other)),
    }
}

fn unexpected(reply: Reply) -> String {
    match reply {
        Reply::Refused { why } => why,
        Reply::Failed { error } => crate::page::code_view::describe_error(&error),
        Reply::Trace { .. }
        | Reply::Text { .. }
        | Reply::Live { .. }
        | Reply::Cooked { .. }
        | Reply::Seconds { .. } => "the engine answered something else".into(),
    }
}

/// Sends `request` to wherever the engine runs; `what` names it while it is under way.
#[cfg(not(feature = "page-engine"))]
async fn ask(request: Request, what: String) -> Reply {
    super::engine_link::ask(request, what).await
}

#[cfg(not(feature = "page-engine"))]
async fn ask_live(request: &LiveRequest, what: String) -> Reply {
    super::engine_link::ask_live(request, what).await
}

/// With the engine linked in there is no engine worker to start the chefs' workers.
#[cfg(feature = "page-engine")]
async fn ask_live(_: &LiveRequest, _: String) -> Reply {
    Reply::Refused {
        why: "the live kitchen needs the site's engine worker".into(),
    }
}

/// With the engine linked in: answered here, after the next paint.
#[cfg(feature = "page-engine")]
async fn ask(request: Request, what: String) -> Reply {
    let _busy = super::engine_link::Busy::start(what);
    next_paint().await;
    crate::engine::serve::answer(request)
}

/// Resolves after the browser's next paint.
pub async fn next_paint() {
    let promise = Promise::new(&mut |resolve, _reject| {
        after_repaint(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
    });
    let _ = JsFuture::from(promise).await;
}

/// Calls `job` once, after the browser's next paint.
///
/// An animation-frame callback runs just *before* a paint, so it sets a zero-delay timer, which
/// runs after it. A fallback timer covers pages that get no frames; whichever comes first runs
/// the job, the other finds it gone.
pub fn after_repaint(job: impl FnOnce() + 'static) {
    let job = Rc::new(RefCell::new(Some(job)));
    let run_once = {
        let job = job.clone();
        move || {
            let taken = job.borrow_mut().take();
            if let Some(f) = taken {
                f();
            }
        }
    };
    let on_frame = {
        let run_once = run_once.clone();
        Closure::once_into_js(move || Timeout::new(0, run_once).forget())
    };
    let framed = web_sys::window()
        .map(|w| w.request_animation_frame(on_frame.unchecked_ref()).is_ok())
        .unwrap_or(false);
    let fallback_ms = if framed { FALLBACK_MS } else { 0 };
    Timeout::new(fallback_ms, run_once).forget();
}
