//! What a waiting chef waits for, and who will end the wait: the join the scene draws between
//! a parked task or a blocked chef and its waker, and the "why" of the timeline's descriptions.
//!
//! The trace says it in [`Span::wait`] when the producer knows. Where it does not (traces from
//! builds before `wait` was filled, measured runs), the span's label and state still say a lot:
//! the interpreter labels a sleep `sleep 30.0` or `time.sleep(30)`, a join `join order 1 ·
//! boil`, a gather `gather of 3`. [`wait_of`] reads those as a fallback, and the GIL's holder
//! comes from the trace's GIL timeline, so views work the same on both kinds of trace.

use crate::core::trace::{Holding, Lane, LaneKind, Span, State, Trace, WaitOn};

/// What a waiting span waits for, as the page uses it.
#[derive(Clone, Debug, PartialEq)]
pub struct WaitInfo {
    pub on: WaitOn,
    /// In the program's words: `asyncio.sleep(30)`, `t.join()`, `a helper thread`.
    pub what: String,
    /// When a timer ends the wait.
    pub until_s: Option<f64>,
    /// The lane whose progress ends the wait, where known.
    pub lane: Option<usize>,
}

/// What the lane `lane` waits for during `span`, from `span.wait` or, failing that, from its
/// label and state. `None` for a span that is not waiting or says nothing usable.
pub fn wait_of(trace: &Trace, lane: &Lane, span: &Span) -> Option<WaitInfo> {
    if let Some(w) = &span.wait {
        return Some(WaitInfo {
            on: w.on,
            what: w.what.clone(),
            until_s: w.until_s,
            lane: w.lane,
        });
    }
    match span.state {
        State::WaitingGil => Some(WaitInfo {
            on: WaitOn::Gil,
            what: "the GIL".into(),
            until_s: None,
            lane: gil_holder(trace, lane.process, span.start_s),
        }),
        State::WaitingCore => Some(WaitInfo {
            on: WaitOn::Core,
            what: "a free core".into(),
            until_s: None,
            lane: None,
        }),
        State::Sleeping | State::Awaiting | State::Blocked | State::Idle => from_label(trace, span),
        State::Running | State::Spawning | State::Ready => None,
    }
}

/// The fallback: the interpreter's and the simulator's labels read back.
fn from_label(trace: &Trace, span: &Span) -> Option<WaitInfo> {
    let label = span.label.as_str();
    let info = |on: WaitOn, what: &str, lane: Option<usize>| {
        Some(WaitInfo {
            on,
            what: what.to_string(),
            until_s: None,
            lane,
        })
    };
    if let Some(secs) = label.strip_prefix("sleep ").and_then(seconds) {
        return Some(timer(
            span,
            format!("asyncio.sleep({})", number(secs)),
            secs,
        ));
    }
    if let Some(secs) = label
        .strip_prefix("time.sleep(")
        .and_then(|r| r.strip_suffix(')'))
        .and_then(seconds)
    {
        return Some(timer(span, label.to_string(), secs));
    }
    if let Some(name) = label.strip_prefix("join ") {
        let lane = lane_named(trace, name);
        let on = match lane.map(|l| trace.lanes[l].kind) {
            Some(LaneKind::Process) => WaitOn::Process,
            _ => WaitOn::Thread,
        };
        return info(on, &format!("join {name}"), lane);
    }
    if let Some(name) = label
        .strip_prefix("wait for ")
        .and_then(|r| r.strip_suffix(" to start"))
    {
        return info(
            WaitOn::Thread,
            &format!("{name} to start"),
            lane_named(trace, name),
        );
    }
    if let Some(name) = label.strip_prefix("await ") {
        return info(
            WaitOn::Task,
            &format!("await {name}"),
            lane_named(trace, name),
        );
    }
    if let Some(n) = label.strip_prefix("gather of ") {
        return info(WaitOn::Gather, &format!("asyncio.gather of {n}"), None);
    }
    match label {
        "in a thread" => info(WaitOn::Future, "a helper thread (to_thread)", None),
        "semaphore" => info(WaitOn::Semaphore, "a semaphore", None),
        "lock" | "acquire lock" => info(WaitOn::Lock, "a lock", None),
        "event" => info(WaitOn::Event, "an event", None),
        "queue full" => info(WaitOn::Queue, "room in a full queue", None),
        "queue empty" | "queue.get()" => info(WaitOn::Queue, "an item from a queue", None),
        "future.result()" | "wait for futures" => info(WaitOn::Future, "a future's result", None),
        "wait_for" => info(WaitOn::Task, "wait_for", None),
        "waiting for events" => Some(WaitInfo {
            on: WaitOn::Timer,
            what: "the next timer or a wake-up".into(),
            until_s: Some(span.end_s),
            lane: None,
        }),
        _ => None,
    }
}

fn timer(span: &Span, what: String, secs: f64) -> WaitInfo {
    WaitInfo {
        on: WaitOn::Timer,
        what,
        until_s: Some(span.start_s + secs),
        lane: None,
    }
}

fn seconds(text: &str) -> Option<f64> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
}

/// `30.0` as `30`, `0.5` as `0.5`: a number as a reader writes it.
pub fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// The lane called `name`, if exactly one is.
pub fn lane_named(trace: &Trace, name: &str) -> Option<usize> {
    let mut found = trace.lanes.iter().filter(|l| l.name == name);
    let first = found.next()?;
    found.next().is_none().then_some(first.id)
}

/// Who held process `process`'s GIL at `t_s`, from the trace's GIL timeline.
pub fn gil_holder(trace: &Trace, process: usize, t_s: f64) -> Option<usize> {
    let gil = trace.gil.iter().find(|g| g.process == process)?;
    holding_at(&gil.held, t_s).map(|h| h.lane)
}

/// The stretch of `held` covering `t_s` (`[start, end)`), by binary search.
pub fn holding_at(held: &[Holding], t_s: f64) -> Option<&Holding> {
    let after = held.partition_point(|h| h.start_s <= t_s);
    let h = held.get(after.checked_sub(1)?)?;
    (t_s < h.end_s).then_some(h)
}
