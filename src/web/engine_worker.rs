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

/// The last panic's message, if the engine panicked.
#[wasm_bindgen]
pub fn engine_last_panic() -> Option<String> {
    LAST_PANIC.with(|p| p.try_borrow().ok().and_then(|p| p.clone()))
}

fn keep_panic_messages() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let message = info.to_string();
            LAST_PANIC.with(|p| {
                if let Ok(mut p) = p.try_borrow_mut() {
                    *p = Some(message);
                }
            });
        }));
    });
}
