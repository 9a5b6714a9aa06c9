//! The opening scenario's trace, precomputed when the site is built, so the page draws its
//! first scene without the engine, before its worker has loaded.
//!
//! `scripts/build-site.sh` writes `traces/ID.cCORES.json` with the native binary (`kitchen
//! simulate ID --cores CORES --json`: the same simulation the engine would run, and it is
//! deterministic) for each pair in [`PRECOMPUTED`]. The page fetches such a file instead of
//! asking the engine, reads it as untrusted like any trace (it is only a file on a host), and
//! falls back to the engine if it is missing or wrong. Once it is drawn, the engine's worker
//! is started (after the paint) for whatever the reader does next.

use js_sys::Promise;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::core::trace::Trace;

/// The (scenario, cores) pairs whose traces the site carries: the page's opening view
/// (the first scenario at the default 4 cores). `tests/site_build.rs` holds
/// scripts/build-site.sh to the same list.
pub const PRECOMPUTED: &[(&str, u32)] = &[("asyncio-blocking", 4)];

/// Where the site keeps the trace of `id` on `cores` cores, relative to the page.
pub fn address(id: &str, cores: u32) -> String {
    format!("./traces/{id}.c{cores}.json")
}

/// The precomputed trace of `id` on `cores` cores, if the site has one and it reads.
pub async fn precomputed(id: &str, cores: u32) -> Option<Trace> {
    // With the engine in the page's thread (the wasm tests) there is no site to fetch from.
    if !PRECOMPUTED.contains(&(id, cores)) || cfg!(feature = "page-engine") {
        return None;
    }
    let text = fetch_text(&address(id, cores)).await?;
    let trace = Trace::from_json(&text).ok()?;
    (trace.scenario == id && trace.profile.cores == cores).then(|| {
        super::engine::after_repaint(super::engine_link::warm_up);
        trace
    })
}

async fn fetch_text(url: &str) -> Option<String> {
    let window = web_sys::window()?;
    let response = JsFuture::from(window.fetch_with_str(url)).await.ok()?;
    let response: web_sys::Response = response.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    let text: Promise = response.text().ok()?;
    JsFuture::from(text).await.ok()?.as_string()
}
