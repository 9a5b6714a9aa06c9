//! Runs the real CPU step in a Web Worker and times it.
//!
//! A Web Worker is the browser's stand-in for a thread or a process: it runs beside the page
//! without freezing it. `www/worker.js` loads this same wasm module, runs
//! [`super::cpu_step`] and posts back how long it took, measured inside the worker with
//! `performance.now()`. The worker is a module worker at `./worker.js`, relative to the page,
//! so the site works under any sub-path.

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

/// What one timed run in a worker reported.
#[derive(Clone, Debug, PartialEq)]
pub struct Measured {
    /// Loop turns: `range(n)`.
    pub n: u32,
    /// Wall-clock milliseconds inside the worker.
    pub ms: f64,
    /// The sum, as decimal text (to show the work was really done).
    pub result: String,
}

/// Starts a worker, asks it for `sum(i * i for i in range(n))`, and waits for its answer.
pub async fn time_cpu_step(n: u32) -> Result<Measured, String> {
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let worker = Worker::new_with_options("./worker.js", &options).map_err(|e| describe(&e))?;
    let answer = answer_of(&worker);
    let request = Object::new();
    Reflect::set(&request, &"n".into(), &n.into()).map_err(|e| describe(&e))?;
    worker.post_message(&request).map_err(|e| describe(&e))?;
    let reply = JsFuture::from(answer).await;
    worker.terminate();
    let reply = reply.map_err(|e| describe(&e))?;
    let field = |name: &str| Reflect::get(&reply, &name.into()).ok();
    let ms = field("ms")
        .and_then(|v| v.as_f64())
        .ok_or("the worker's answer has no time")?;
    let result = field("result")
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    Ok(Measured { n, ms, result })
}

/// A promise of the worker's first message (or its first error).
fn answer_of(worker: &Worker) -> Promise {
    let worker = worker.clone();
    Promise::new(&mut move |resolve, reject| {
        let on_message = Closure::once_into_js(move |event: MessageEvent| {
            let _ = resolve.call1(&JsValue::NULL, &event.data());
        });
        let on_error = Closure::once_into_js(move |event: ErrorEvent| {
            let message = format!("the worker failed: {}", event.message());
            let _ = reject.call1(&JsValue::NULL, &message.into());
        });
        worker.set_onmessage(Some(on_message.unchecked_ref()));
        worker.set_onerror(Some(on_error.unchecked_ref()));
    })
}

/// A JavaScript error as text for the page.
fn describe(value: &JsValue) -> String {
    value
        .as_string()
        .or_else(|| {
            value
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| format!("{value:?}"))
}
