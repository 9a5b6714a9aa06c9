//! Draws the kitchen scene of [`crate::page::scene`] at the player's cursor: the event loop with
//! its pots, ticket rail and parked tasks; the stove (GIL) with its holder and queue; the chefs;
//! the kitchens of a multi-process run; the machine's cores; memory and start costs.
//!
//! Everything shown, shapes and words, comes from the [`Scene`]; this only lays it out. Lanes
//! are told apart by their number badge and name, never by the state colours.

use yew::prelude::*;

use crate::core::trace::State;
use crate::page::narration::duration;
use crate::page::replay::KitchenKind;
use crate::page::scene::{Chef, Kitchen, KitchenPhase, LoopScene, Machine, Scene, Stove, Who};

use super::patterns::{svg_defs, svg_fill, swatch};

/// The scene at one moment of the trace `trace` (its scenario id, or the program's name).
pub fn view(scene: &Scene, trace: &str) -> Html {
    let kind = match scene.kind {
        KitchenKind::Asyncio => "asyncio",
        KitchenKind::Threads => "threads",
        KitchenKind::Processes => "processes",
    };
    let body = match scene.kind {
        KitchenKind::Processes => processes(scene),
        _ => single_kitchen(scene),
    };
    html! {
        <section id="scene" class={classes!("scene", format!("kind-{kind}"))} data-kind={kind} data-trace={trace.to_string()}
                 aria-label={format!("the kitchen at {:.6} s", scene.t_s)}>
            <svg class="defs" width="0" height="0" aria-hidden="true" focusable="false">{ svg_defs() }</svg>
            <div class="scene-main">{ body }</div>
            { machine(scene) }
        </section>
    }
}

fn badge(who: &Who) -> Html {
    html! { <span class="badge" title={format!("lane {}", who.lane)}>{ who.lane }</span> }
}

fn named(who: &Who) -> Html {
    html! { <span class="who">{ badge(who) }<span class="name">{ who.name.clone() }</span></span> }
}

/// The one kitchen of an asyncio or threading run.
fn single_kitchen(scene: &Scene) -> Html {
    let Some(k) = scene.kitchens.first() else {
        return html! {};
    };
    let show_stove = k.chefs.len() > 1 || k.more_chefs.is_some() || k.event_loop.is_none();
    let t = scene.t_s;
    html! {
        <>
            if let Some(l) = &k.event_loop {
                { event_loop(l, t) }
            }
            if show_stove {
                <div class="station-row">
                    { stove(&k.stove, t, scene.kind == KitchenKind::Threads) }
                    { chefs(k, t) }
                </div>
            }
        </>
    }
}

fn event_loop(l: &LoopScene, t_s: f64) -> Html {
    let frozen = l.frozen_text();
    html! {
        <div class={classes!("station", "loop", frozen.is_some().then_some("frozen"))} id="event-loop">
            <h3>{ "The event loop: one chef for every task" }</h3>
            <p class="loop-doing" id="loop-doing">{ chef_icon(loop_state(l)) }{ l.headline() }</p>
            if let Some(text) = frozen {
                <p class="frozen-banner" id="frozen" role="note"><span aria-hidden="true">{ "❄ " }</span>{ text }</p>
            }
            <div class="loop-parts">
                if l.pots_total > 0 { { pots(l) } }
                if l.rail_total > 0 { { rail(l) } }
                if l.parked_total > 0 { { parked(l) } }
            </div>
            if l.pots_total == 0 || l.rail_total == 0 {
                <p class="tally" id="loop-empty">{ empty_parts(l) }</p>
            }
            <p class="tally">{ l.tasks.text("tasks") }</p>
            <span class="t-now" hidden=true>{ format!("{t_s}") }</span>
        </div>
    }
}

/// The empty stations in one line, so they take no room.
fn empty_parts(l: &LoopScene) -> String {
    match (l.pots_total, l.rail_total) {
        (0, 0) => "No pots on the stove (no task sleeps on a timer); the ticket rail (ready queue) is empty.".into(),
        (0, _) => "No pots on the stove: no task sleeps on a timer.".into(),
        _ => "The ticket rail (ready queue) is empty.".into(),
    }
}

fn loop_state(l: &LoopScene) -> Option<State> {
    use crate::page::scene::LoopDoing;
    match &l.doing {
        LoopDoing::Step { .. } | LoopDoing::OwnCode { .. } => Some(State::Running),
        LoopDoing::Waiting { .. } => Some(State::Idle),
        LoopDoing::WaitingGil { .. } => Some(State::WaitingGil),
        LoopDoing::Other { state, .. } => Some(*state),
        _ => None,
    }
}

fn pots(l: &LoopScene) -> Html {
    let more = l.pots_total.saturating_sub(l.pots.len());
    html! {
        <div class="part pots" id="pots">
            <h4>{ format!("Pots on the stove: {} sleeping", l.pots_total) }
                if l.pots_due > 0 { <span class="due">{ format!(" · {} timers rang, not yet noticed", l.pots_due) }</span> }
            </h4>
            <ul>
                { for l.pots.iter().map(|p| {
                    let due = p.left_s <= 0.0;
                    html! {
                        <li class={classes!("pot", due.then_some("due"))}>
                            { pot_icon(p.left_s, p.until_s - p.since_s) }
                            { named(&p.task) }
                            <span class="what">{ p.what.clone() }</span>
                            <span class="timer">{ p.timer_text() }</span>
                        </li>
                    }
                }) }
            </ul>
            if more > 0 {
                <p class="more">{ format!("{more} more pots boiling") }</p>
            }
        </div>
    }
}

fn rail(l: &LoopScene) -> Html {
    let more = l.rail_total.saturating_sub(l.rail.len());
    html! {
        <div class="part rail" id="rail">
            <h4>{ format!("Ticket rail (ready queue): {}", l.rail_total) }</h4>
            <ol>
                { for l.rail.iter().enumerate().map(|(i, w)| html! { <li class="ticket"><span class="place">{ format!("{}.", i + 1) }</span>{ swatch(State::Ready) }{ named(w) }</li> }) }
            </ol>
            if more > 0 { <p class="more">{ format!("{more} more tickets") }</p> }
        </div>
    }
}

fn parked(l: &LoopScene) -> Html {
    let more = l.parked_total.saturating_sub(l.parked.len());
    html! {
        <div class="part parked" id="parked">
            <h4>{ format!("Parked on something else: {}", l.parked_total) }</h4>
            <ul>
                { for l.parked.iter().map(|p| html! {
                    <li class="parked-task">
                        { swatch(State::Awaiting) }{ named(&p.task) }
                        <span class="join" aria-hidden="true">{ " ⟶ " }</span>
                        <span class="what">{ if p.what.is_empty() { "waits".to_string() } else { format!("waits for {}", p.what) } }</span>
                        if let Some(w) = &p.waker {
                            <span class="waker">{ " · woken by " }{ named(w) }</span>
                        }
                    </li>
                }) }
            </ul>
            if more > 0 { <p class="more">{ format!("{more} more parked") }</p> }
        </div>
    }
}

fn stove(s: &Stove, t_s: f64, big: bool) -> Html {
    let request = s.request_text(t_s);
    let progress = s.request.as_ref().map(|r| {
        let span = (r.at_s - r.from_s).max(1e-12);
        ((t_s - r.from_s) / span).clamp(0.0, 1.0)
    });
    html! {
        <div class={classes!("station", "stove", big.then_some("big"))} id="stove">
            <h3>{ "The stove: this kitchen's GIL" }</h3>
            <div class="stove-top">
                { stove_icon(s.holder.is_some()) }
                <p class="holder" id="gil-holder">
                    if let Some(h) = &s.holder { { named(h) } }
                    <span class="text">{ s.holder_text(t_s) }</span>
                </p>
            </div>
            if let Some(text) = s.summary() { <p class="stove-summary">{ text }</p> }
            if let Some(text) = request {
                <p class="request" id="gil-request">
                    <span class="meter" aria-hidden="true"><span style={format!("width: {:.0}%", progress.unwrap_or(0.0) * 100.0)}></span></span>
                    { text }
                </p>
            }
            <div class="queue">
                <h4>{ format!("Queue for the GIL: {}", s.queue_len) }</h4>
                <ol id="gil-queue">
                    { for s.queue.iter().enumerate().map(|(i, w)| html! { <li><span class="place">{ format!("{}.", i + 1) }</span>{ swatch(State::WaitingGil) }{ named(w) }</li> }) }
                </ol>
                if s.queue_len > s.queue.len() {
                    <p class="more">{ format!("{} more waiting", s.queue_len - s.queue.len()) }</p>
                }
            </div>
        </div>
    }
}

fn chefs(k: &Kitchen, t_s: f64) -> Html {
    html! {
        <div class="station chefs" id="chefs">
            <h3>{ format!("Chefs: {}", crate::page::scene::plural(k.chefs.len() + k.more_chefs.as_ref().map_or(0, |c| c.total), "thread")) }</h3>
            <ul class="chef-grid">
                { for k.chefs.iter().map(|c| chef_card(c, t_s)) }
            </ul>
            if let Some(c) = &k.more_chefs {
                <p class="more" id="more-chefs">{ c.text("more chefs") }</p>
            }
        </div>
    }
}

fn chef_card(c: &Chef, _t_s: f64) -> Html {
    let state_class = c
        .state
        .map(|s| format!("s-{}", crate::page::palette::slug(s)));
    html! {
        <li class={classes!("chef", state_class, c.state.is_none().then_some("absent"))} data-lane={c.who.lane.to_string()}>
            <p class="chef-head">{ chef_icon(c.state) }{ named(&c.who) }</p>
            <p class="chef-doing">
                if let Some(s) = c.state { { swatch(s) } }
                { c.doing_text() }
                if let Some(n) = c.line { <span class="line">{ format!(" · line {n}") }</span> }
            </p>
            if let Some(w) = c.wait_text().filter(|_| c.state != Some(State::Sleeping)) {
                <p class="chef-wait">{ w }</p>
            }
            if c.cpu_s >= 1e-3 {
                <p class="chef-cpu">{ format!("CPU so far {}", duration(c.cpu_s)) }</p>
            }
        </li>
    }
}

/// The kitchens of a multi-process run.
fn processes(scene: &Scene) -> Html {
    html! {
        <div class="station kitchens" id="kitchens">
            <h3>{ format!("Kitchens: {} processes, each with its own stove (GIL)", scene.kitchens.len() + scene.more_kitchens.as_ref().map_or(0, |c| c.total)) }</h3>
            // What they cost, first: on a small screen the machine's panel is further down.
            <p class="cost-line">
                { format!("Memory {}", crate::page::scene::megabytes(scene.memory.now_bytes)) }
                if let Some(c) = scene.costs.text() { { format!(" · {c}") } }
            </p>
            <ul class="kitchen-grid">
                { for scene.kitchens.iter().map(|k| kitchen_card(k, scene.t_s)) }
            </ul>
            if let Some(c) = &scene.more_kitchens {
                <p class="more" id="more-kitchens">{ c.text() }</p>
                <p class="more">{ c.chefs.text("chefs in them") }</p>
            }
        </div>
    }
}

fn kitchen_card(k: &Kitchen, t_s: f64) -> Html {
    let phase = match k.phase {
        KitchenPhase::NotYet => "not-yet",
        KitchenPhase::Building { .. } => "building",
        KitchenPhase::Cooking => "cooking",
        KitchenPhase::TearingDown { .. } => "tearing-down",
        KitchenPhase::Closed => "closed",
    };
    html! {
        <li class={classes!("kitchen", format!("phase-{phase}"))} data-process={k.process.to_string()}>
            <p class="kitchen-head">{ stove_icon(k.stove.holder.is_some()) }<span class="name">{ k.name.clone() }</span>
                <span class="phase">{ k.phase_text(t_s) }</span></p>
            { for k.chefs.iter().take(3).map(|c| html! {
                <p class="kitchen-chef">
                    { badge(&c.who) }
                    if let Some(s) = c.state { { swatch(s) } }
                    { c.doing_text() }
                </p>
            }) }
            if let Some(more) = &k.more_chefs { <p class="more">{ more.text("more threads") }</p> }
        </li>
    }
}

fn machine(scene: &Scene) -> Html {
    let m: &Machine = &scene.machine;
    html! {
        <aside class="station machine" id="machine" aria-label="the machine">
            <h3>{ format!("The machine: {}", m.text()) }</h3>
            <ol class="cores" id="cores">
                { for m.cores.iter().map(|c| html! {
                    <li class={classes!("core", c.running.is_some().then_some("busy"))}>
                        <span class="core-name">{ format!("core {}", c.core) }</span>
                        { match &c.running {
                            Some((w, s)) => html! { <>{ swatch(*s) }{ named(w) }</> },
                            None => html! { <span class="idle">{ "idle" }</span> },
                        } }
                    </li>
                }) }
            </ol>
            if m.total > m.cores.len() { <p class="more">{ format!("{} more cores", m.total - m.cores.len()) }</p> }
            <p class="memory" id="memory">{ format!("Memory: {}", scene.memory.text()) }</p>
            if let Some(c) = scene.costs.text() { <p class="costs" id="costs">{ c }</p> }
        </aside>
    }
}

/// A chef: a head and a body, the body in the state's colour and pattern.
fn chef_icon(state: Option<State>) -> Html {
    let body = state.map_or_else(|| "#bbb".to_string(), svg_fill);
    html! {
        <svg class="icon chef-icon" viewBox="0 0 20 24" aria-hidden="true" focusable="false">
            <rect x="5" y="0" width="10" height="5" rx="2" fill="#fff" stroke="#333" stroke-width="1" />
            <circle cx="10" cy="8" r="4" fill="#f1d3b3" stroke="#333" stroke-width="1" />
            <rect x="3" y="13" width="14" height="10" rx="3" fill={body} stroke="#333" stroke-width="1" />
        </svg>
    }
}

/// A stove: its flame lit while someone holds the GIL.
fn stove_icon(lit: bool) -> Html {
    html! {
        <svg class={classes!("icon", "stove-icon", lit.then_some("lit"))} viewBox="0 0 24 20" aria-hidden="true" focusable="false">
            if lit {
                <path class="flame" d="M12 2 C15 6 16 8 12 11 C8 8 9 6 12 2 Z" fill="#e8590c" stroke="#333" stroke-width="0.8" />
            }
            <rect x="2" y="11" width="20" height="8" rx="1.5" fill="#555" stroke="#222" stroke-width="1" />
            <circle cx="7" cy="15" r="1.5" fill="#ddd" />
            <circle cx="17" cy="15" r="1.5" fill="#ddd" />
        </svg>
    }
}

/// A pot with its timer: the ring fills as the sleep goes on; a rung timer is all filled.
fn pot_icon(left_s: f64, length_s: f64) -> Html {
    let total = length_s.max(1e-9);
    let done = (1.0 - left_s / total).clamp(0.0, 1.0);
    let circumference = 2.0 * std::f64::consts::PI * 7.0;
    html! {
        <svg class="icon pot-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <circle cx="12" cy="12" r="7" fill="none" stroke="#ddd" stroke-width="3" />
            <circle cx="12" cy="12" r="7" fill="none" stroke={if left_s <= 0.0 { "#d4500f" } else { "#0140a1" }}
                    stroke-width="3" stroke-dasharray={format!("{:.2} {:.2}", done * circumference, circumference)}
                    transform="rotate(-90 12 12)" />
        </svg>
    }
}
