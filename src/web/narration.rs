//! The run said in words: `#narration`, one sentence for the moment at the cursor (an
//! `aria-live` region, announced when the reader steps or pauses, quiet while playing so a
//! screen reader is not flooded), and `#narration-log`, the whole run as a text log.

use yew::html::Scope;
use yew::prelude::*;

use crate::page::narration;
use crate::page::replay::Replay;

use super::app::{App, Msg};

pub fn view(app: &App, replay: &Replay) -> Html {
    let now = app.playback.now_s;
    let text = narration::at_cursor(replay, now);
    let live = if app.playback.playing {
        "off"
    } else {
        "polite"
    };
    html! {
        <p id="narration" class="narration" aria-live={live} aria-atomic="true">{ text }</p>
    }
}

/// The whole run's narration, opened on demand (a thousand-lane run has thousands of moments);
/// every line jumps to its moment.
pub fn log_view(app: &App, link: &Scope<App>) -> Html {
    if app.replay.is_none() {
        return html! {};
    }
    let open = app.log.is_some();
    html! {
        <section class="narration-log" aria-label="the whole run in words">
            <h2>
                <button id="narration-log-toggle" aria-expanded={open.to_string()} aria-controls="narration-log"
                        onclick={link.callback(|_| Msg::ToggleLog)}>
                    { if open { "Hide the whole run as text" } else { "Read the whole run as text" } }
                </button>
            </h2>
            if let Some(lines) = &app.log {
                <ol id="narration-log">
                    { for lines.iter().map(|l| {
                        let t = l.t_s;
                        html! {
                            <li>
                                <button class="log-time" onclick={link.callback(move |_| Msg::Seek(t))}
                                        title="Jump to this moment">{ format!("{:.6} s", l.t_s) }</button>
                                { " " }{ l.text.clone() }
                            </li>
                        }
                    }) }
                </ol>
            }
        </section>
    }
}
