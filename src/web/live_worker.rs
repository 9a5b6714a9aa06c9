//! What the engine worker's JavaScript calls for a live run: a [`LiveRun`] behind
//! wasm-bindgen, with JSON text for the effects and the chefs' messages, and the engine
//! worker's clock in milliseconds (`performance.now()`). Every decision is in
//! [`crate::live::browser`]; this only converts.

use wasm_bindgen::prelude::*;

use crate::core::clock::Nanos;
use crate::engine::Reply;
use crate::live::browser::{Browser, ChefSays, Effect, LiveRequest, LiveRun};

/// One live run, for `www/engine-worker.js`.
#[wasm_bindgen]
pub struct LiveKitchen {
    run: LiveRun,
    first: Vec<Effect>,
}

fn ns(ms: f64) -> Nanos {
    (ms.max(0.0) * 1e6) as Nanos
}

fn effects(result: Result<Vec<Effect>, String>) -> Result<String, JsError> {
    let effects = result.map_err(|e| JsError::new(&e))?;
    serde_json::to_string(&effects).map_err(|e| JsError::new(&e.to_string()))
}

#[wasm_bindgen]
impl LiveKitchen {
    /// A run of `request` (JSON [`LiveRequest`]) begun at `now_ms`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        request: &str,
        hardware_concurrency: u32,
        isolated: bool,
        now_ms: f64,
    ) -> Result<LiveKitchen, JsError> {
        let request: LiveRequest =
            serde_json::from_str(request).map_err(|e| JsError::new(&e.to_string()))?;
        let browser = Browser {
            hardware_concurrency,
            isolated,
        };
        let (run, first) =
            LiveRun::new(request, browser, ns(now_ms)).map_err(|e| JsError::new(&e))?;
        Ok(LiveKitchen { run, first })
    }

    /// The effects to begin with (the workers to hire).
    pub fn begin(&mut self) -> Result<String, JsError> {
        effects(Ok(std::mem::take(&mut self.first)))
    }

    /// Chef `chef` said `message` (JSON [`ChefSays`]) at `now_ms`.
    pub fn chef(&mut self, chef: usize, message: &str, now_ms: f64) -> Result<String, JsError> {
        let says: ChefSays = serde_json::from_str(message)
            .map_err(|e| JsError::new(&format!("a Web Worker said '{message}': {e}")))?;
        effects(self.run.chef_said(chef, says, ns(now_ms)))
    }

    pub fn slept(&mut self, thread: usize, now_ms: f64) -> Result<String, JsError> {
        effects(self.run.slept(thread, ns(now_ms)))
    }

    pub fn timer(&mut self, now_ms: f64) -> Result<String, JsError> {
        effects(self.run.timer(ns(now_ms)))
    }

    /// When to call [`LiveKitchen::timer`] next, in the worker's milliseconds (or -1).
    pub fn next_wake_ms(&self) -> f64 {
        self.run.next_wake().map_or(-1.0, |t| t as f64 / 1e6)
    }

    /// The reply to the page ([`Reply::Live`], JSON) once the run is over.
    pub fn result(&self) -> Option<String> {
        let result = self.run.result()?.clone();
        Some(
            Reply::Live {
                result: Box::new(result),
            }
            .to_json(),
        )
    }
}
