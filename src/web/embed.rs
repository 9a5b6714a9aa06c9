//! Embedding: the `#copy-embed` button, which copies an `<iframe>` snippet of the current view
//! to the clipboard (with a text box to copy from where the browser refuses the clipboard),
//! and the height message an embedded page posts to its host (the message's shape is
//! documented in [`crate::page::embed`]). The snippet's text is [`crate::page::embed`]'s.

use std::cell::Cell;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use crate::page::embed;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// What the view shows, for the iframe's title.
    pub title: AttrValue,
    /// The cursor's moment and the speed, which the snippet opens at.
    pub t_s: f64,
    pub speed: f64,
}

#[derive(Clone, PartialEq)]
enum Copy {
    Idle,
    Copied,
    /// The clipboard was refused: the snippet to copy by hand, and why.
    Refused(String, String),
}

#[function_component(CopyEmbed)]
pub fn copy_embed(props: &Props) -> Html {
    let state = use_state(|| Copy::Idle);
    let area = use_node_ref();
    let on_click = {
        let (state, title, t_s, speed) =
            (state.clone(), props.title.clone(), props.t_s, props.speed);
        Callback::from(move |_: MouseEvent| {
            let snippet = snippet_now(&title, t_s, speed);
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match write_clipboard(&snippet).await {
                    Ok(()) => state.set(Copy::Copied),
                    Err(why) => state.set(Copy::Refused(snippet, why)),
                }
            });
        })
    };
    {
        // Selected at once, so Ctrl+C copies it.
        let area = area.clone();
        use_effect_with((*state).clone(), move |s| {
            if let (Copy::Refused(..), Some(a)) = (s, area.cast::<web_sys::HtmlTextAreaElement>()) {
                let _ = a.focus();
                a.select();
            }
        });
    }
    html! {
        <div class="copy-embed">
            <button id="copy-embed" onclick={on_click}
                    title="Copy an <iframe> of this view (scenario or program, moment, speed) for a blog post">
                { "Copy embed code" }
            </button>
            <span class="copy-status" id="copy-status" role="status">
                { if *state == Copy::Copied { "Copied: paste it into your post." } else { "" } }
            </span>
            if let Copy::Refused(snippet, why) = &*state {
                <div class="embed-fallback" id="embed-fallback">
                    <label for="embed-snippet">
                        { format!("The browser did not let the page use the clipboard ({why}). Copy the snippet from here (Ctrl+C or ⌘C):") }
                    </label>
                    <textarea id="embed-snippet" ref={area} readonly=true rows="3" spellcheck="false"
                              value={snippet.clone()} />
                </div>
            }
        </div>
    }
}

/// The snippet of the page as it is now: its address's parameters, the moment and the speed.
fn snippet_now(title: &str, t_s: f64, speed: f64) -> String {
    let location = web_sys::window().map(|w| w.location());
    let page = location
        .as_ref()
        .and_then(|l| Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?)))
        .unwrap_or_default();
    let search = location.and_then(|l| l.search().ok()).unwrap_or_default();
    let query = embed::query(&pairs(&search), t_s, speed);
    embed::snippet(&page, &query, title)
}

/// The parameters of a query string, in order.
fn pairs(search: &str) -> Vec<(String, String)> {
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(search) else {
        return Vec::new();
    };
    let Ok(Some(entries)) = js_sys::try_iter(&params) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| {
            let pair: js_sys::Array = e.dyn_into().ok()?;
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

/// `navigator.clipboard.writeText(text)`, or why it could not be done.
async fn write_clipboard(text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let field = |of: &JsValue, name: &str| {
        Reflect::get(of, &name.into())
            .ok()
            .filter(|v| !v.is_undefined())
    };
    let clipboard = field(&window, "navigator")
        .and_then(|n| field(&n, "clipboard"))
        .ok_or("this page has no clipboard access here")?;
    let write: Function = field(&clipboard, "writeText")
        .and_then(|f| f.dyn_into().ok())
        .ok_or("this browser cannot write text to the clipboard")?;
    let promise: Promise = write
        .call1(&clipboard, &text.into())
        .map_err(|e| describe(&e))?
        .dyn_into()
        .map_err(|_| "the clipboard did not answer".to_string())?;
    JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|e| describe(&e))
}

fn describe(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "refused".into())
}

thread_local! {
    static LAST_POSTED: Cell<u32> = const { Cell::new(0) };
}

/// Whether the page is inside another page's frame.
pub fn embedded() -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    match w.parent() {
        Ok(Some(parent)) => JsValue::from(parent) != JsValue::from(w),
        _ => false,
    }
}

/// Posts the content height to the parent window when it has changed since the last post.
pub fn report_height() {
    if !embedded() {
        return;
    }
    let Some(w) = web_sys::window() else { return };
    let Some(body) = w.document().and_then(|d| d.body()) else {
        return;
    };
    let Some(px) = embed::height_to_post(body.get_bounding_client_rect().height()) else {
        return;
    };
    if LAST_POSTED.with(|l| l.replace(px)) == px {
        return;
    }
    let message = Object::new();
    let _ = Reflect::set(&message, &"type".into(), &embed::HEIGHT_MESSAGE.into());
    let _ = Reflect::set(&message, &"height".into(), &px.into());
    if let Ok(Some(parent)) = w.parent() {
        let _ = parent.post_message(&message, "*");
    }
}

/// Reports the height again whenever the window is resized (the frame's width changes what
/// wraps), for as long as the page lives.
pub fn report_on_resize() {
    if !embedded() {
        return;
    }
    let Some(w) = web_sys::window() else { return };
    let on_resize = Closure::<dyn Fn()>::new(report_height);
    let _ = w.add_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref());
    on_resize.forget();
}
