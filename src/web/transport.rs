//! The transport: play and pause, step to the previous and next moment, start and end, the
//! scrubber `#scrub` over the run, the speed (a multiple of real time, with how long the whole
//! run then takes to watch) and the clock `#clock`.

use yew::html::Scope;
use yew::prelude::*;

use crate::page::playback::{self, speed_label, SPEEDS};
use crate::page::steps;

use super::app::{select_value, App, Msg};

pub fn view(app: &App, link: &Scope<App>) -> Html {
    let p = &app.playback;
    let disabled = app.replay.is_none();
    let play_label = if p.playing {
        "Pause"
    } else if p.finished() && p.end_s > 0.0 {
        "Replay"
    } else {
        "Play"
    };
    let decimals = app
        .replay
        .as_ref()
        .map_or(3, |r| steps::decimals_at(&r.moments, p.now_s).min(6));
    let clock = playback::clock(p.now_s, p.end_s, decimals);
    // The scrubber runs over the timeline's axis, so folded sleeps take little of it.
    let axis = app.axis.clone();
    let position = axis.u(p.now_s);
    let on_scrub = link.callback(move |e: InputEvent| {
        let u = e
            .target_dyn_into::<web_sys::HtmlInputElement>()
            .and_then(|i| i.value().parse::<f64>().ok())
            .unwrap_or(0.0);
        Msg::Seek(axis.t(u))
    });
    let on_speed = link.callback(|e: Event| Msg::SetSpeed(select_value(&e).parse().unwrap_or(1.0)));
    let mut speeds: Vec<f64> = SPEEDS.to_vec();
    if !speeds.iter().any(|s| (s - p.speed).abs() < 1e-12) {
        speeds.push(p.speed);
        crate::core::sort::sort_by(&mut speeds, f64::total_cmp);
    }
    html! {
        <section class="transport" aria-label="player">
            <div class="buttons">
                <button id="play" class="primary" disabled={disabled} aria-keyshortcuts="Space"
                        onclick={link.callback(|_| Msg::TogglePlay)}>{ play_label }</button>
                <button id="rewind" disabled={disabled} aria-keyshortcuts="Home" title="Back to the start (Home)"
                        onclick={link.callback(|_| Msg::Start)}>{ "« Start" }</button>
                <button id="step-prev" disabled={disabled} aria-keyshortcuts="ArrowLeft" title="Previous moment (←)"
                        onclick={link.callback(|_| Msg::StepPrev)}>{ "◀ Step" }</button>
                <button id="step-next" disabled={disabled} aria-keyshortcuts="ArrowRight" title="Next moment (→)"
                        onclick={link.callback(|_| Msg::StepNext)}>{ "Step ▶" }</button>
                <button id="end" disabled={disabled} aria-keyshortcuts="End" title="Jump to the end (End)"
                        onclick={link.callback(|_| Msg::End)}>{ "End »" }</button>
                <label class="speed">{ "Speed " }
                    <select id="speed" onchange={on_speed} aria-keyshortcuts="+ -">
                        { for speeds.iter().map(|&s| html! {
                            <option value={s.to_string()} selected={(s - p.speed).abs() < 1e-12}>{ speed_label(s) }</option>
                        }) }
                    </select>
                </label>
                if app.loading { <span class="loading" id="loading" role="status">{ "cooking the trace…" }</span> }
            </div>
            <div class="scrubber">
                <label for="scrub" class="visually-hidden">{ "Moment in the run" }</label>
                <input type="range" id="scrub" min="0" max="1" step="any" disabled={disabled}
                       value={position.to_string()} oninput={on_scrub}
                       aria-valuetext={format!("{:.3} s of {:.3} s", p.now_s, p.end_s)} />
                <p class="clock" id="clock" aria-live="off">{ clock }</p>
                <span class="watch" id="watch-time">{ format!("whole run in {} of watching", crate::page::narration::duration(p.watch_seconds())) }</span>
            </div>
        </section>
    }
}
