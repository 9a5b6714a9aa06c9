//! The page (wasm32 only): a Yew app that replays traces, and the entry points of the
//! workers that run the engine and the live kitchen's chefs.
//!
//! Nothing here schedules anything or decides what to show: the app asks the engine door for a
//! trace and draws, at the time [`crate::page::playback`] says, what the page models in
//! [`crate::page`] decide. The pieces:
//! - [`app`]: the component; maps clicks, keys and frames onto model calls;
//! - [`engine`]: the engine door, the only way to the interpreter and the simulator (async;
//!   in the site it posts to the engine's Web Worker through [`engine_link`]), with
//!   [`opening`] (the first scene's trace, precomputed at build time) and [`engine_status`]
//!   (what the engine is doing, `#cancel-run`, what went wrong);
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
//! - [`live`]: the live kitchen (`#live-run`), the scenario cooked for real in Web Workers;
//! - [`trace_files`]: open a trace file (picker or drop) and export the shown run for Perfetto;
//! - [`engine_worker`] and [`live_worker`] (the `engine` feature): what `www/engine-worker.js`
//!   calls, for requests and for a live run;
//! - [`chef_worker`] (the `chef` feature): what the live kitchen's `www/chef-worker.js` calls.
//! - the classroom (issue 10): [`classroom`] (the views around the player, going from stop to
//!   stop), [`course_nav`] (the picker in course order, previous / next), [`lesson_panel`]
//!   (the lesson's text and "what the posts get wrong" note), [`predict_panel`] (predict, then
//!   run), [`compare_view`] with [`compare_runs`], [`compare_chart`] and [`compare_door`] (the
//!   comparison and its engine requests), [`guide_view`] (the decision guide) and [`embed`]
//!   (the embed snippet and the height message).
//!
//! Which of these a module holds is the cargo feature it is built with (`ui`, `engine`,
//! `chef`): the site's main module has both the drawing and the engine, for the page and its
//! engine worker alike. It exports [`run_app`] rather than a wasm `start` function, so the
//! worker, which runs the same module, starts nothing by itself.

#[cfg(feature = "ui")]
pub mod app;
#[cfg(feature = "ui")]
pub mod classroom;
#[cfg(feature = "ui")]
pub mod code_panel;
#[cfg(feature = "ui")]
pub mod compare_chart;
#[cfg(feature = "ui")]
pub mod compare_door;
#[cfg(feature = "ui")]
pub mod compare_runs;
#[cfg(feature = "ui")]
pub mod compare_view;
#[cfg(feature = "ui")]
pub mod course_nav;
#[cfg(feature = "ui")]
pub mod embed;
#[cfg(feature = "ui")]
pub mod engine;
#[cfg(feature = "ui")]
pub mod engine_link;
#[cfg(feature = "ui")]
pub mod engine_status;
#[cfg(feature = "ui")]
pub mod frames;
#[cfg(feature = "ui")]
pub mod guide_view;
#[cfg(feature = "ui")]
pub mod keyboard;
#[cfg(feature = "ui")]
pub mod lesson_panel;
#[cfg(feature = "ui")]
pub mod live;
#[cfg(feature = "ui")]
pub mod narration;
#[cfg(feature = "ui")]
pub mod opening;
#[cfg(feature = "ui")]
pub mod patterns;
#[cfg(feature = "ui")]
pub mod predict_panel;
#[cfg(feature = "ui")]
pub mod scene;
#[cfg(feature = "ui")]
pub mod timeline;
#[cfg(feature = "ui")]
pub mod trace_files;
#[cfg(feature = "ui")]
pub mod transport;
#[cfg(feature = "ui")]
pub mod url;

#[cfg(feature = "chef")]
pub mod chef_worker;
#[cfg(feature = "engine")]
pub mod engine_worker;
#[cfg(feature = "engine")]
pub mod live_worker;

#[cfg(feature = "ui")]
use wasm_bindgen::prelude::*;

/// Mounts the app on the element with id `app` (or the body when there is none).
#[cfg(feature = "ui")]
#[wasm_bindgen]
pub fn run_app() {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    if let Some(root) = &root {
        // The "Loading the kitchen…" placeholder goes: the app draws from here on.
        root.set_text_content(None);
    }
    match root {
        Some(root) => yew::Renderer::<app::App>::with_root(root).render(),
        None => yew::Renderer::<app::App>::new().render(),
    };
}
