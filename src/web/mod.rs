//! The page (wasm32 only): a Yew app that replays traces, and the Web Worker runner.
//!
//! Nothing here schedules anything or decides what to show: the app asks the engine door for a
//! trace and draws, at the time [`crate::page::playback`] says, what the page models in
//! [`crate::page`] decide. The pieces:
//! - [`app`]: the component; maps clicks, keys and frames onto model calls;
//! - [`engine`]: the engine door, the only way to the interpreter and the simulator (async, so
//!   it can move into a Web Worker without changing its callers);
//! - [`scene`]: draws the kitchen at the cursor (chefs, stove, pots, queues, cores, memory);
//! - [`timeline`]: the timeline with zoom, pan, fold and descriptions of its stretches;
//! - [`transport`]: play, step, scrub, speed, clock;
//! - [`narration`]: the sentence for the current moment and the whole run's text log;
//! - [`keyboard`]: Space, ←/→, Home/End, +/− anywhere on the page;
//! - [`frames`]: the animation-frame loop that moves the player;
//! - [`patterns`]: state colours and patterns as SVG and CSS;
//! - [`code_panel`]: the Python program beside it, the lines each lane is on, and the editor;
//! - [`url`]: reads the page's URL parameters, which are untrusted input, and keeps the address
//!   in step with what is shown;
//! - [`worker`]: runs the real CPU step in a Web Worker (`www/worker.js`) and times it;
//! - the classroom (issue 10): [`classroom`] (the views around the player, going from stop to
//!   stop), [`course_nav`] (the picker in course order, previous / next), [`lesson_panel`]
//!   (the lesson's text and "what the posts get wrong" note), [`predict_panel`] (predict, then
//!   run), [`compare_view`] with [`compare_runs`], [`compare_chart`] and [`compare_door`] (the
//!   comparison and its engine requests), [`guide_view`] (the decision guide) and [`embed`]
//!   (the embed snippet and the height message).
//!
//! The module exports [`run_app`] rather than a wasm `start` function, so that `worker.js` can
//! load the same wasm without starting a page inside the worker.

pub mod app;
pub mod classroom;
pub mod code_panel;
pub mod compare_chart;
pub mod compare_door;
pub mod compare_runs;
pub mod compare_view;
pub mod course_nav;
pub mod embed;
pub mod engine;
pub mod frames;
pub mod guide_view;
pub mod keyboard;
pub mod lesson_panel;
pub mod narration;
pub mod patterns;
pub mod predict_panel;
pub mod scene;
pub mod timeline;
pub mod transport;
pub mod url;
pub mod worker;

use wasm_bindgen::prelude::*;

/// Mounts the app on the element with id `app` (or the body when there is none).
#[wasm_bindgen]
pub fn run_app() {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => yew::Renderer::<app::App>::with_root(root).render(),
        None => yew::Renderer::<app::App>::new().render(),
    };
}

/// The real CPU step, `sum(i * i for i in range(n))`, for `worker.js`. The result is returned
/// as decimal text: it does not fit in a JavaScript number.
#[wasm_bindgen]
pub fn cpu_step(n: u32) -> String {
    crate::core::workload::sum_of_squares(n as u64).to_string()
}
