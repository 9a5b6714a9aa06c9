//! Runs a pasted Python program for the page.
//!
//! The interpreter ([`crate::python::run`]) works synchronously on the page's only thread. It
//! stops itself at a step budget, but a long program still takes a moment, and a click that
//! seems to do nothing invites a second click. So the page first shows "running…" and starts the
//! run with [`after_repaint`], once the browser has painted that.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::profile::Profile;
use crate::core::trace::Trace;
use crate::python::{self, PyError};

/// The file name programs run under (it appears in the interpreter's messages).
pub const PROGRAM_NAME: &str = "program.py";

/// If no animation frame comes (a hidden tab or an off-screen iframe gets none), the run starts
/// after this many milliseconds anyway.
const FALLBACK_MS: u32 = 150;

/// Runs `source` on the page's simulated machine (`cores` cores, the other costs CPython's).
/// The trace always carries the program it is a run of, so the code panel can show it.
pub fn run(source: &str, cores: u32) -> Result<Trace, PyError> {
    let profile = Profile {
        cores,
        ..Profile::default()
    };
    let mut trace = python::run(source, PROGRAM_NAME, profile)?;
    if trace.code.is_none() {
        trace.code = Some(source.to_string());
    }
    Ok(trace)
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
