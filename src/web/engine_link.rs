//! The page's side of the engine worker: starts `./engine-worker.js`, posts requests to it,
//! pairs its replies with the requests by number, and keeps the [`Status`] the page shows
//! (what is under way and since when, whether the engine has loaded, what went wrong).
//!
//! The worker is a module worker at a relative URL, so the site works under a blog's
//! sub-path. It is started after the page's first paint (or by the first request), and runs
//! the page's own module, which the page hands it compiled. When it fails (it could not load, a
//! panic or an out-of-memory trap in the engine, an uncaught error) every request under way
//! is answered with the reason, the reason is shown on the page, and the next request gets a
//! fresh worker: the page stays usable. [`cancel`] stops whatever runs by terminating the
//! worker, and starts a fresh one.
//!
//! With the `page-engine` feature (the wasm tests) the engine runs in the page's thread and
//! there is no worker: only [`Busy`] and the status are used.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;

/// What the page shows about the engine.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Status {
    /// What is under way (the latest request), and since when (`performance.now()` ms).
    pub busy: Option<(String, f64)>,
    /// The engine's worker has loaded the engine.
    pub ready: bool,
    /// The engine runs in a worker that [`cancel`] can stop.
    pub cancellable: bool,
    /// What last went wrong with the engine itself (not a program's error).
    pub trouble: Option<String>,
}

type Watcher = Rc<dyn Fn(&Status)>;

#[derive(Default)]
struct Shared {
    status: Status,
    /// Requests under way: their number and what they are.
    under_way: Vec<(u32, String, f64)>,
    watchers: Vec<(u32, Watcher)>,
    next_watcher: u32,
    next_busy: u32,
}

thread_local! {
    static SHARED: RefCell<Shared> = RefCell::new(Shared::default());
}

/// Tells the watchers the status changed.
fn changed(edit: impl FnOnce(&mut Shared)) {
    let (status, watchers) = SHARED.with(|s| {
        let mut s = s.borrow_mut();
        edit(&mut s);
        s.status.busy = s
            .under_way
            .last()
            .map(|(_, what, since)| (what.clone(), *since));
        let watchers: Vec<Watcher> = s.watchers.iter().map(|(_, w)| w.clone()).collect();
        (s.status.clone(), watchers)
    });
    for w in watchers {
        w(&status);
    }
}

/// The status now.
pub fn status() -> Status {
    SHARED.with(|s| s.borrow().status.clone())
}

/// Calls `watcher` with every change of the status, until the returned [`Watch`] is dropped.
pub fn watch(watcher: impl Fn(&Status) + 'static) -> Watch {
    SHARED.with(|s| {
        let mut s = s.borrow_mut();
        let id = s.next_watcher;
        s.next_watcher += 1;
        s.watchers.push((id, Rc::new(watcher)));
        Watch(id)
    })
}

pub struct Watch(u32);

impl Drop for Watch {
    fn drop(&mut self) {
        let id = self.0;
        // The page may be going away; a failed borrow only means nobody watches any more.
        let _ = SHARED.try_with(|s| {
            if let Ok(mut s) = s.try_borrow_mut() {
                s.watchers.retain(|(w, _)| *w != id);
            }
        });
    }
}

fn now_ms() -> f64 {
    js_sys::global()
        .dyn_into::<web_sys::Window>()
        .ok()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// A request under way, shown while it lives.
pub struct Busy(u32);

impl Busy {
    pub fn start(what: String) -> Busy {
        let mut id = 0;
        changed(|s| {
            // Numbered apart from the worker's requests, which count up from 1.
            s.next_busy += 1;
            id = u32::MAX - s.next_busy;
            s.under_way.push((id, what, now_ms()));
        });
        Busy(id)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        let id = self.0;
        changed(|s| s.under_way.retain(|(i, _, _)| *i != id));
    }
}

#[cfg(not(feature = "page-engine"))]
pub use worker::{ask, ask_live, cancel, warm_up};

#[cfg(feature = "page-engine")]
/// Nothing to stop: the engine runs in the page's own thread.
pub fn cancel() {}

#[cfg(feature = "page-engine")]
/// Nothing to load: the engine is linked in.
pub fn warm_up() {}

#[cfg(not(feature = "page-engine"))]
mod worker {
    use std::cell::RefCell;
    use std::collections::HashMap;

    use js_sys::{Function, Object, Promise, Reflect};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

    use super::{changed, now_ms};
    use crate::engine::protocol::LiveRequest;
    use crate::engine::{Reply, Request};

    /// Where the engine worker is, relative to the page.
    const WORKER_URL: &str = "./engine-worker.js";

    struct Pending {
        resolve: Function,
    }

    #[derive(Default)]
    struct Link {
        worker: Option<Worker>,
        next_id: u32,
        pending: HashMap<u32, Pending>,
        /// Keeps the worker's handlers alive as long as the worker.
        _handlers: Vec<Closure<dyn FnMut(JsValue)>>,
    }

    thread_local! {
        static LINK: RefCell<Link> = RefCell::new(Link::default());
    }

    /// Starts the engine worker if none runs (after the first scene, so that its download
    /// does not compete with what the first scene needs).
    pub fn warm_up() {
        if let Err(why) = LINK.with(|l| ensure_worker(&mut l.borrow_mut()).map(|_| ())) {
            changed(|s| s.status.trouble = Some(why));
        }
    }

    fn ensure_worker(link: &mut Link) -> Result<Worker, String> {
        if let Some(w) = &link.worker {
            return Ok(w.clone());
        }
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(WORKER_URL, &options)
            .map_err(|e| format!("the engine's worker could not start: {}", describe(&e)))?;
        let on_message = Closure::<dyn FnMut(JsValue)>::new(|event: JsValue| {
            if let Some(event) = event.dyn_ref::<MessageEvent>() {
                received(event.data());
            }
        });
        let on_error = Closure::<dyn FnMut(JsValue)>::new(|event: JsValue| {
            // Handled here: shown on the page, not left to the console.
            if let Some(e) = event.dyn_ref::<web_sys::Event>() {
                e.prevent_default();
            }
            let why = match event.dyn_ref::<ErrorEvent>() {
                Some(e) if !e.message().is_empty() => e.message(),
                _ => "its script did not load or stopped with an error".to_string(),
            };
            failed(format!("the engine's worker failed: {why}"), false);
        });
        let on_message_error = Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {
            failed(
                "a message from the engine's worker could not be read".into(),
                false,
            );
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        worker.set_onmessageerror(Some(on_message_error.as_ref().unchecked_ref()));
        link._handlers = vec![on_message, on_error, on_message_error];
        hand_over_module(&worker);
        link.worker = Some(worker.clone());
        changed(|s| {
            s.status.cancellable = true;
            s.status.ready = false;
        });
        Ok(worker)
    }

    /// Posts the page's own compiled wasm module to the worker, its first message: the
    /// worker runs the same module (www/engine-worker.js), which then needs no second
    /// download (a host may send no cache headers) and no second compile. If it cannot be
    /// posted, `null` says so and the worker fetches the module itself.
    fn hand_over_module(worker: &Worker) {
        let hello = Object::new();
        let _ = Reflect::set(&hello, &"module".into(), &wasm_bindgen::module());
        if worker.post_message(&hello).is_err() {
            let _ = Reflect::set(&hello, &"module".into(), &JsValue::NULL);
            let _ = worker.post_message(&hello);
        }
    }

    /// Asks the engine worker; the reply, or why there is none, as a [`Reply`].
    pub async fn ask(request: Request, what: String) -> Reply {
        send("text", request.to_json(), what).await
    }

    /// Asks the engine worker for a live run (posted as `{id, live}`); its reply comes
    /// when the run is over.
    pub async fn ask_live(request: &LiveRequest, what: String) -> Reply {
        let text = serde_json::to_string(request).unwrap_or_default();
        send("live", text, what).await
    }

    async fn send(key: &'static str, text: String, what: String) -> Reply {
        let mut posted: Result<u32, String> = Err(String::new());
        let promise = Promise::new(&mut |resolve, _reject| {
            posted = LINK.with(|l| post(&mut l.borrow_mut(), key, &text, resolve));
        });
        let id = match posted {
            Ok(id) => id,
            Err(why) => return Reply::Refused { why },
        };
        changed(|s| s.under_way.push((id, what, now_ms())));
        let answer = JsFuture::from(promise).await;
        changed(|s| s.under_way.retain(|(i, _, _)| *i != id));
        match answer.ok().and_then(|v| v.as_string()) {
            Some(text) => Reply::from_json(&text),
            None => Reply::Refused {
                why: "the engine gave no answer".into(),
            },
        }
    }

    fn post(link: &mut Link, key: &str, text: &str, resolve: Function) -> Result<u32, String> {
        let worker = ensure_worker(link)?;
        link.next_id += 1;
        let id = link.next_id;
        let message = Object::new();
        let set = |k: &str, v: &JsValue| Reflect::set(&message, &k.into(), v).map(|_| ());
        set("id", &id.into())
            .and_then(|()| set(key, &text.into()))
            .map_err(|e| describe(&e))?;
        worker
            .post_message(&message)
            .map_err(|e| format!("the engine's worker took no request: {}", describe(&e)))?;
        link.pending.insert(id, Pending { resolve });
        Ok(id)
    }

    /// A message from the worker: a reply `{id, text}`, a fatal failure of a request
    /// `{id, fatal}`, `{ready}` once the engine has loaded, or `{trouble}`.
    fn received(data: JsValue) {
        let field = |k: &str| {
            Reflect::get(&data, &k.into())
                .ok()
                .filter(|v| !v.is_undefined())
        };
        if field("ready").is_some() {
            changed(|s| s.status.ready = true);
            return;
        }
        if let Some(trouble) = field("trouble") {
            failed(text_of(&trouble), false);
            return;
        }
        let id = field("id").and_then(|v| v.as_f64()).map(|v| v as u32);
        if let Some(fatal) = field("fatal") {
            failed(format!("the engine failed: {}", text_of(&fatal)), true);
            return;
        }
        let Some(id) = id else { return };
        let pending = LINK.with(|l| l.borrow_mut().pending.remove(&id));
        if let (Some(p), Some(text)) = (pending, field("text")) {
            let _ = p.resolve.call1(&JsValue::NULL, &text);
        }
    }

    /// The worker is unusable: every request under way is answered with `why`, the worker
    /// goes, and `why` is shown. `restart`: start a fresh one at once (after a failure the
    /// worker itself reported; one that could not even load waits for the next request).
    fn failed(why: String, restart: bool) {
        end_worker(&why);
        changed(|s| s.status.trouble = Some(why));
        if restart {
            super::super::engine::after_repaint(warm_up);
        }
    }

    /// Stops whatever the engine is doing: the worker is terminated and a fresh one started.
    pub fn cancel() {
        end_worker("cancelled: the engine was stopped");
        changed(|s| s.status.trouble = None);
        warm_up();
    }

    fn end_worker(why: &str) {
        let (worker, pending) = LINK.with(|l| {
            let mut l = l.borrow_mut();
            let pending: Vec<Pending> = l.pending.drain().map(|(_, p)| p).collect();
            (l.worker.take(), pending)
        });
        if let Some(w) = worker {
            w.terminate();
        }
        let reply = JsValue::from(Reply::Refused { why: why.into() }.to_json());
        for p in pending {
            let _ = p.resolve.call1(&JsValue::NULL, &reply);
        }
        changed(|s| s.status.ready = false);
    }

    fn text_of(value: &JsValue) -> String {
        value.as_string().unwrap_or_else(|| describe(value))
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
}
