//! The live kitchen, drawn: `#live-run` cooks the shown scenario for real in Web Workers
//! (threads with one GIL per process, or `#live-run-nogil` without one; processes as a
//! worker each), through the engine door; `#live-result` puts the measured total and
//! speedup beside the simulation's prediction, and the measured run replaces the shown
//! trace, so it plays in the same scene and timeline. What runs where is in
//! [`crate::live::browser`] (the engine worker's side); this component only asks and shows.

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::core::trace::Trace;
use crate::engine::protocol::{live_cookable, LiveRequest, LiveResult};
use crate::scenarios::Scenario;

use super::engine;

#[derive(Properties)]
pub struct Props {
    pub scenario: &'static Scenario,
    /// The measured run, to show in the scene and the timeline.
    pub on_show: Callback<Trace>,
}

impl PartialEq for Props {
    fn eq(&self, other: &Props) -> bool {
        self.scenario.id == other.scenario.id && self.on_show == other.on_show
    }
}

#[derive(Clone, PartialEq)]
enum Live {
    Idle,
    Running(bool),
    Done(Box<LiveResult>),
    Failed(String),
}

#[function_component(LiveKitchen)]
pub fn live_kitchen(props: &Props) -> Html {
    let state = use_state(|| Live::Idle);
    {
        // Another scenario: its own live run, not the last one's figures.
        let state = state.clone();
        use_effect_with(props.scenario.id, move |_| state.set(Live::Idle));
    }
    let scenario = props.scenario;
    if !live_cookable(scenario) {
        return html! {
            <section class="live" id="live">
                <h2>{ "Cook it for real" }</h2>
                <p>{ format!("“{}” has no CPU work to cook for real: its chefs only wait. Pick a scenario with chopping and sauce.", scenario.title) }</p>
            </section>
        };
    }
    let start = |gil: bool| {
        let state = state.clone();
        let on_show = props.on_show.clone();
        Callback::from(move |_: MouseEvent| {
            state.set(Live::Running(gil));
            let state = state.clone();
            let on_show = on_show.clone();
            let request = LiveRequest {
                scenario: scenario.id.to_string(),
                gil,
            };
            spawn_local(async move {
                match engine::live_run(request).await {
                    Ok(result) => {
                        on_show.emit(result.measured.clone());
                        state.set(Live::Done(Box::new(result)));
                    }
                    Err(why) => state.set(Live::Failed(why)),
                }
            });
        })
    };
    let threads = scenario.code.contains("threading") || scenario.code.contains("to_thread");
    let busy = matches!(*state, Live::Running(_));
    html! {
        <section class="live" id="live">
            <h2>{ "Cook it for real" }</h2>
            <p>{ explain(scenario, threads) }</p>
            <p class="live-buttons">
                <button id="live-run" disabled={busy} onclick={start(true)}>
                    { if threads { "Cook for real, one GIL (CPython)" } else { "Cook for real in Web Workers" } }
                </button>
                if threads {
                    { " " }
                    <button id="live-run-nogil" disabled={busy} onclick={start(false)}>
                        { "…and without a GIL" }
                    </button>
                }
            </p>
            { result_view(&state) }
        </section>
    }
}

fn explain(scenario: &Scenario, threads: bool) -> String {
    let kind = if scenario.code.contains("multiprocessing") {
        "Each process gets a Web Worker of its own, started when the program starts it (its start is measured): real parallel kitchens."
    } else if threads {
        "Each thread gets a Web Worker; with a GIL they must hold one token to compute, handed over every 5 ms of work as CPython does."
    } else {
        "The one chef cooks in a Web Worker, the steps one after another."
    };
    format!(
        "The animation is a simulation. This cooks the same program for real in this browser, scaled to a few seconds: the CPU steps are the real sum of squares in wasm, the boils real timers. {kind} The measured run then plays above, beside the prediction."
    )
}

fn result_view(state: &Live) -> Html {
    match state {
        Live::Idle => html! {},
        Live::Running(gil) => html! {
            <p id="live-status">{ format!(
                "Cooking for real{}… (Cancel stops it)",
                if *gil { "" } else { ", no GIL" }
            ) }</p>
        },
        Live::Done(result) => {
            let f = &result.figures;
            html! {
                <>
                    <p id="live-result" class="result">{ f.sentence() }</p>
                    <p class="live-detail">{ format!(
                        "A CPU step was {} turns, {:.2} ns a turn here; a Web Worker took {:.0} ms to start (the browser's process start). The run now shown is the measured one.",
                        f.setting.step_turns, f.setting.turn_ns, f.setting.worker_start_ms
                    ) }</p>
                </>
            }
        }
        Live::Failed(why) => {
            html! { <p id="live-result" class="error">{ format!("The live run failed: {why}") }</p> }
        }
    }
}
