//! What the engine worker (`www/engine-worker.js`) calls: the engine's answer to a page's
//! request ([`crate::engine::serve`]), and the message of the last panic.
//!
//! The site's release build aborts on a panic (smaller and faster code), which in wasm is a
//! trap: the worker's call throws, the worker reports the failure and the page replaces the
//! worker. The panic hook keeps the panic's message first, so that the page can say what
//! went wrong rather than only "unreachable".

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Answers one request of the page (JSON text in, JSON text out).
#[wasm_bindgen]
pub fn engine_answer(request: &str) -> String {
    keep_panic_messages();
    crate::engine::serve::answer_json(request)
}

/// `make bench`'s measure of the interpreter in the browser (`tests/e2e/bench-page.mjs` times
/// the call): runs `source` as the page would and returns the interpreted operations it took.
/// A failed run throws its message.
#[wasm_bindgen]
pub fn interpreted_operations(source: &str) -> Result<f64, JsValue> {
    let profile = crate::core::profile::Profile {
        cores: 4,
        ..Default::default()
    };
    let limits = crate::python::Limits::default();
    let (_, progress) =
        crate::python::run_with(source, crate::engine::serve::PROGRAM_NAME, profile, limits)
            .map_err(|e| JsValue::from_str(&e.to_string()))?;
    Ok(progress.ops as f64)
}

/// The last panic's message, if the engine panicked.
#[wasm_bindgen]
pub fn engine_last_panic() -> Option<String> {
    LAST_PANIC.with(|p| p.try_borrow().ok().and_then(|p| p.clone()))
}

fn keep_panic_messages() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            // The site's module is built without panic locations (build-site.sh, for its
            // size): then the message alone, not "<redacted>:0:0".
            let message = match info.location() {
                Some(at) if at.line() > 0 => info.to_string(),
                _ => {
                    let payload = info.payload();
                    let text = payload
                        .downcast_ref::<String>()
                        .map(String::as_str)
                        .or_else(|| payload.downcast_ref::<&str>().copied())
                        .unwrap_or("a bug");
                    format!("the engine panicked: {text}")
                }
            };
            LAST_PANIC.with(|p| {
                if let Ok(mut p) = p.try_borrow_mut() {
                    *p = Some(message);
                }
            });
        }));
    });
}
