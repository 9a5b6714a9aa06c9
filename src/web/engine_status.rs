//! What the engine is doing, drawn: while a request is under way, what it is and for how long
//! (a progress line that ticks every tenth of a second), with `#cancel-run` to stop it; and
//! what last went wrong with the engine itself (it failed, ran out of memory, could not load),
//! so that no worker error passes unseen. The state is [`super::engine_link::Status`].

use gloo_timers::callback::Interval;
use yew::prelude::*;

use super::engine_link::{self, Status};

/// How often the elapsed time is redrawn while something runs.
const TICK_MS: u32 = 100;
/// A request shorter than this shows no progress line (most simulations take milliseconds).
const SHOW_AFTER_MS: f64 = 250.0;

#[function_component(EngineStatus)]
pub fn engine_status() -> Html {
    let status = use_state(engine_link::status);
    let now = use_state(now_ms);
    {
        let status = status.clone();
        use_effect_with((), move |_| {
            let watch = engine_link::watch(move |s: &Status| status.set(s.clone()));
            move || drop(watch)
        });
    }
    let busy = status.busy.is_some();
    {
        let now = now.clone();
        use_effect_with(busy, move |busy| {
            let tick = busy.then(|| Interval::new(TICK_MS, move || now.set(now_ms())));
            move || drop(tick)
        });
    }
    let cancel = Callback::from(|_: MouseEvent| engine_link::cancel());
    let progress = status.busy.as_ref().and_then(|(what, since)| {
        let elapsed = (*now - since).max(0.0);
        (elapsed >= SHOW_AFTER_MS).then(|| (what.clone(), elapsed / 1000.0))
    });
    html! {
        <section class="engine-status" aria-live="polite">
            if let Some((what, seconds)) = progress {
                <p id="engine-progress" class="progress">
                    <span class="spinner" aria-hidden="true"></span>
                    { format!("{what}… {seconds:.1} s") }
                    if status.cancellable {
                        { " " }
                        <button id="cancel-run" onclick={cancel}>{ "Cancel" }</button>
                    }
                </p>
            }
            if let Some(why) = &status.trouble {
                <p id="engine-trouble" class="error">
                    { format!("{why}. The page goes on; the next request starts a fresh engine.") }
                </p>
            }
        </section>
    }
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}
