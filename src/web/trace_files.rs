//! Traces in and out of the page: open a trace file (the picker `#open-trace`, or a file
//! dropped anywhere on the page) and save the shown run, as the kitchen's own JSON
//! (`#save-trace`) or as Chrome's Trace Event JSON for Perfetto (`#export-chrome`).
//!
//! An opened file is untrusted. Its size is checked before it is read (a file over
//! [`MAX_OPEN_BYTES`] is refused unread); the engine reads it ([`engine::open_file`]:
//! `Trace::from_json` checks a kitchen trace, a VizTracer file is converted) and answers with
//! a trace or a message, which is shown here; the page never breaks on a file.

use std::rc::Rc;

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{Blob, BlobPropertyBag, DragEvent, File, HtmlAnchorElement, HtmlInputElement, Url};
use yew::prelude::*;

use crate::core::trace::Trace;
use crate::engine::protocol::MAX_OPEN_BYTES;
use crate::page::replay::Replay;

use super::engine;

#[derive(Properties)]
pub struct Props {
    /// The shown run, which the save and export buttons write.
    #[prop_or_default]
    pub replay: Option<Rc<Replay>>,
    /// An opened file's trace, to show.
    pub on_open: Callback<Trace>,
}

impl PartialEq for Props {
    /// The same run is the same trace object (a replay is never changed once made).
    fn eq(&self, other: &Props) -> bool {
        let same = match (&self.replay, &other.replay) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (a, b) => a.is_none() && b.is_none(),
        };
        same && self.on_open == other.on_open
    }
}

#[function_component(TraceFiles)]
pub fn trace_files(props: &Props) -> Html {
    let message = use_state(|| None::<(bool, String)>);
    let open = {
        let message = message.clone();
        let on_open = props.on_open.clone();
        Callback::from(move |file: File| read_file(file, message.clone(), on_open.clone()))
    };
    use_drop_anywhere(open.clone());
    let picked = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let input = e.target_dyn_into::<HtmlInputElement>();
            if let Some(file) = input
                .as_ref()
                .and_then(|i| i.files())
                .and_then(|f| f.get(0))
            {
                open.emit(file);
            }
            // The same file can be picked again.
            if let Some(i) = input {
                i.set_value("");
            }
        })
    };
    let save = save_callback(props.replay.clone(), message.clone(), false);
    let export = save_callback(props.replay.clone(), message.clone(), true);
    let shown = props.replay.is_some();
    html! {
        <section class="trace-files" aria-label="trace files">
            <label class="file-button">
                { "Open a trace file…" }
                <input id="open-trace" type="file" accept=".json,application/json" onchange={picked} />
            </label>
            <button id="save-trace" disabled={!shown} onclick={save}>{ "Save this run's trace" }</button>
            <button id="export-chrome" disabled={!shown} onclick={export}
                    title="Chrome's Trace Event JSON: open it in ui.perfetto.dev or chrome://tracing">
                { "Export for Perfetto" }
            </button>
            <span class="hint">{ " or drop a trace file anywhere on the page (a kitchen trace, measured or simulated, or a VizTracer file)" }</span>
            if let Some((ok, text)) = &*message {
                <p id="file-message" class={if *ok { "note" } else { "error" }}>{ text.clone() }</p>
            }
        </section>
    }
}

/// Reads `file` (after checking its size) and hands it to the engine.
fn read_file(
    file: File,
    message: UseStateHandle<Option<(bool, String)>>,
    on_open: Callback<Trace>,
) {
    let name = file.name();
    let size = file.size();
    if size > MAX_OPEN_BYTES as f64 {
        message.set(Some((
            false,
            format!(
                "{name} is too large to open here: {:.0} MB (at most {} MB).",
                size / (1u64 << 20) as f64,
                MAX_OPEN_BYTES >> 20
            ),
        )));
        return;
    }
    message.set(Some((true, format!("Reading {name}…"))));
    spawn_local(async move {
        let text: Promise = file.text();
        let text = match JsFuture::from(text).await.ok().and_then(|t| t.as_string()) {
            Some(t) => t,
            None => {
                message.set(Some((false, format!("{name} could not be read as text."))));
                return;
            }
        };
        match engine::open_file(name.clone(), text).await {
            Ok(trace) => {
                let what = format!(
                    "Showing {name}: {} ({}, {} lanes).",
                    trace.title,
                    source_name(&trace),
                    trace.lanes.len()
                );
                on_open.emit(trace);
                message.set(Some((true, what)));
            }
            Err(why) => message.set(Some((false, why))),
        }
    });
}

/// How the trace files name a trace's source (`simulated`, `native`, `browser`, `cpython`).
fn source_name(trace: &Trace) -> String {
    serde_json::to_value(trace.source)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The save (`chrome`: false) or export (`chrome`: true) button's click.
fn save_callback(
    replay: Option<Rc<Replay>>,
    message: UseStateHandle<Option<(bool, String)>>,
    chrome: bool,
) -> Callback<MouseEvent> {
    Callback::from(move |_| {
        let Some(replay) = replay.clone() else { return };
        let message = message.clone();
        let trace = replay.trace.clone();
        let stem = file_stem(&trace.scenario);
        if !chrome {
            let done = download(&format!("{stem}.kitchen.json"), &trace.to_json());
            message.set(done.err().map(|why| (false, why)));
            return;
        }
        spawn_local(async move {
            let result = match engine::export_chrome(trace).await {
                Ok(text) => download(&format!("{stem}.chrome.json"), &text),
                Err(why) => Err(why),
            };
            message.set(result.err().map(|why| (false, why)));
        });
    })
}

/// A file name from a scenario id or a file name (letters, digits, `-`, `_` and `.`).
fn file_stem(scenario: &str) -> String {
    let stem: String = scenario
        .trim_end_matches(".py")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '-'
            }
        })
        .take(60)
        .collect();
    if stem.is_empty() {
        "trace".into()
    } else {
        stem
    }
}

/// Offers `text` as a download named `name`.
fn download(name: &str, text: &str) -> Result<(), String> {
    let fail = |e: JsValue| format!("the file could not be saved: {e:?}");
    let parts = Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: HtmlAnchorElement = document
        .create_element("a")
        .map_err(fail)?
        .dyn_into()
        .map_err(|_| "no link element".to_string())?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // The download has its own copy once it has started.
    gloo_timers::callback::Timeout::new(10_000, move || {
        let _ = Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// A file dropped anywhere on the page is opened (and the browser does not navigate to it).
#[hook]
fn use_drop_anywhere(open: Callback<File>) {
    use_effect_with((), move |_| {
        let document = web_sys::window().and_then(|w| w.document());
        let over = Closure::<dyn FnMut(DragEvent)>::new(|e: DragEvent| e.prevent_default());
        let drop = Closure::<dyn FnMut(DragEvent)>::new(move |e: DragEvent| {
            e.prevent_default();
            let file = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0));
            if let Some(file) = file {
                open.emit(file);
            }
        });
        if let Some(d) = &document {
            let _ = d.add_event_listener_with_callback("dragover", over.as_ref().unchecked_ref());
            let _ = d.add_event_listener_with_callback("drop", drop.as_ref().unchecked_ref());
        }
        move || {
            if let Some(d) = &document {
                let _ = d
                    .remove_event_listener_with_callback("dragover", over.as_ref().unchecked_ref());
                let _ =
                    d.remove_event_listener_with_callback("drop", drop.as_ref().unchecked_ref());
            }
        }
    });
}
