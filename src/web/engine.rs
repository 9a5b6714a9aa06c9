//! The engine door: every request the page makes of the engine (the Python interpreter and the
//! simulator) goes through here, as an async call that answers with a [`Trace`] or an error.
//!
//! The engine is about to move into a Web Worker, loaded after the page's first paint, so that
//! the UI module stays small and a long run never freezes the page. Until then this door runs
//! the engine in the page's own thread, behind the same async API: a caller awaits
//! [`simulate`] or [`run_program`] and does not know where the work happens. Before running, the
//! door waits for the browser to paint, so "cooking…" is on screen while the engine works (a
//! click that seems to do nothing invites a second click).
//!
//! UI code must not call `crate::python` or `Scenario::simulate` itself: only this file does.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::core::profile::Profile;
use crate::core::trace::Trace;
use crate::python::{self, PyError};
use crate::scenarios;

/// The file name programs run under (it appears in the interpreter's messages).
pub const PROGRAM_NAME: &str = "program.py";

/// If no animation frame comes (a hidden tab or an off-screen iframe gets none), the work
/// starts after this many milliseconds anyway.
const FALLBACK_MS: u32 = 150;

/// Simulates the built-in scenario `id` on a machine with `cores` cores (the other costs
/// CPython's). An unknown id or a failed run answers with its message.
pub async fn simulate(id: &str, cores: u32) -> Result<Trace, String> {
    next_paint().await;
    let scenario = scenarios::find(id).map_err(|e| e.to_string())?;
    scenario.simulate(profile(cores)).map_err(|e| e.to_string())
}

/// Runs a pasted program on the page's simulated machine. The trace always carries the program
/// it is a run of, so the code panel can show it; an error keeps its line and column.
///
/// The run has the operation budget every run has (the same on every machine) and, as a guard
/// for slow machines, a limit of [`ENGINE_TIME_LIMIT_S`] of engine time on the browser's clock
/// (see `python::runtime::budget`).
pub async fn run_program(source: String, cores: u32) -> Result<Trace, PyError> {
    next_paint().await;
    let limits = python::Limits::default().watched_by(engine_time_guard());
    let (mut trace, _) = python::run_with(&source, PROGRAM_NAME, profile(cores), limits)?;
    if trace.code.is_none() {
        trace.code = Some(source);
    }
    Ok(trace)
}

/// Seconds of engine time a pasted program may take in the page before it is stopped, on a
/// machine so slow that the operation budget has not stopped it first.
pub const ENGINE_TIME_LIMIT_S: f64 = 30.0;

fn engine_time_guard() -> python::Watcher {
    python::time_limit(ENGINE_TIME_LIMIT_S, || js_sys::Date::now() / 1000.0)
}

/// `make bench`'s measure of the interpreter in the browser (`tests/e2e/bench-page.mjs` times
/// the call): runs `source` as the page would and returns the interpreted operations it took.
/// A failed run throws its message.
#[wasm_bindgen]
pub fn interpreted_operations(source: &str) -> Result<f64, JsValue> {
    let (_, progress) =
        python::run_with(source, PROGRAM_NAME, profile(4), python::Limits::default())
            .map_err(|e| JsValue::from_str(&e.to_string()))?;
    Ok(progress.ops as f64)
}

fn profile(cores: u32) -> Profile {
    Profile {
        cores,
        ..Profile::default()
    }
}

/// Resolves after the browser's next paint.
async fn next_paint() {
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
