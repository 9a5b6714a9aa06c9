//! The moments of a run at which something shown changes: where ←/→ step to, and what the
//! narration tells. A moment is anything a reader could see happen: a chef changes state or
//! starts other work, the GIL passes from one thread to another, a line is printed, a chef or
//! task starts or ends, a timer runs out while the loop is too busy to notice, a task's step
//! passes asyncio's 100 ms slow-callback threshold.
//!
//! Everything here is read off the trace. Two things the trace only implies are derived:
//! - a GIL hand-off is a change of holder in the trace's GIL timeline at one instant; it is a
//!   forced switch (the 5 ms drop request) when the trace records a drop request by the new
//!   holder then (`EventKind::GilDropRequest`), or, in a trace that records none (a measured
//!   run), when the old holder had held it the switch interval and waits for it again;
//! - a timer that ran out while its task stayed parked is a `wait.until_s` (or a sleep's start
//!   plus its length) earlier than the end of the wait.

use crate::core::trace::{EventKind, Holding, LaneKind, State, WaitOn};

use super::replay::Replay;
use super::waits::wait_of;

/// asyncio's debug-mode threshold for a slow step (`loop.slow_callback_duration`).
pub const SLOW_STEP_S: f64 = 0.1;

/// A timer that rang less than this before its task moved is not worth a step of its own.
const NOTICEABLE_LATE_S: f64 = 1e-3;

/// Something that happened at a moment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Happening {
    /// The `index`-th printed line of the trace.
    Printed { index: usize },
    /// The GIL of `process` passed from `from` to `to`.
    Handoff {
        process: usize,
        from: usize,
        to: usize,
        why: HandoffWhy,
    },
    /// A lane's first span begins.
    Started { lane: usize },
    /// A lane's last span ends.
    Ended { lane: usize },
    /// Span `span` of `lane` begins in another state, or on other work, than the one before.
    Changed { lane: usize, span: usize },
    /// The timer of an awaiting task's span `span` runs out while the task stays parked.
    TimerDue { lane: usize, span: usize },
    /// A task's step that began at `since_s` reaches [`SLOW_STEP_S`].
    SlowStep { lane: usize, since_s: f64 },
}

/// Why the GIL changed hands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HandoffWhy {
    /// The holder was asked to drop it: another thread had waited the switch interval.
    SwitchInterval,
    /// The holder went to sleep (`time.sleep`, I/O).
    Sleeps,
    /// The holder waits for something (join, a lock, a queue, a thread starting).
    Waits,
    /// The holder's thread ended.
    Ends,
    /// The holder started a thread, which takes the GIL at once while the starter waits for
    /// it (`Thread.start()` waits until the new thread runs).
    NewThread,
    /// Something else (a measured trace, a state the page does not know).
    Other,
}

/// One moment: a time and what happened then.
#[derive(Clone, Debug, PartialEq)]
pub struct Moment {
    pub t_s: f64,
    pub happenings: Vec<Happening>,
}

/// Every moment of the replay's trace, in time order.
pub fn moments(replay: &Replay) -> Vec<Moment> {
    let mut all: Vec<(f64, Happening)> = Vec::new();
    lane_changes(replay, &mut all);
    handoffs(replay, &mut all);
    loop_moments(replay, &mut all);
    for (index, p) in replay.trace.prints.iter().enumerate() {
        all.push((p.t_s, Happening::Printed { index }));
    }
    all.retain(|(t, _)| t.is_finite());
    crate::core::sort::sort_by(&mut all, |a, b| a.0.total_cmp(&b.0));
    let mut moments: Vec<Moment> = Vec::new();
    for (t_s, h) in all {
        match moments.last_mut() {
            Some(m) if m.t_s == t_s => m.happenings.push(h),
            _ => moments.push(Moment {
                t_s,
                happenings: vec![h],
            }),
        }
    }
    moments
}

/// Starts, ends, and spans that begin a new state or new work.
fn lane_changes(replay: &Replay, out: &mut Vec<(f64, Happening)>) {
    for lane in &replay.trace.lanes {
        let (Some(first), Some(last)) = (lane.spans.first(), lane.spans.last()) else {
            continue;
        };
        out.push((first.start_s, Happening::Started { lane: lane.id }));
        for (i, pair) in lane.spans.windows(2).enumerate() {
            let (before, span) = (&pair[0], &pair[1]);
            let new_work = span.state != before.state || span.label != before.label;
            if span.end_s > span.start_s && new_work {
                out.push((
                    span.start_s,
                    Happening::Changed {
                        lane: lane.id,
                        span: i + 1,
                    },
                ));
            }
        }
        out.push((last.end_s, Happening::Ended { lane: lane.id }));
    }
}

/// Changes of a GIL's holder at one instant. Why it changed hands is what the producer said
/// in a `GilHandoff` event, where there is one, or else what the old holder does next.
fn handoffs(replay: &Replay, out: &mut Vec<(f64, Happening)>) {
    let said: Vec<(f64, usize, &str)> = replay
        .trace
        .events
        .iter()
        .filter(|e| e.kind == EventKind::GilHandoff)
        .map(|e| (e.t_s, e.lane, e.detail.as_str()))
        .collect();
    for gil in &replay.trace.gil {
        for pair in gil.held.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            if a.lane == b.lane || b.start_s != a.end_s {
                continue;
            }
            let t = b.start_s;
            let reason = said
                .iter()
                .find(|(et, lane, _)| *et == t && *lane == a.lane)
                .map(|(_, _, detail)| *detail);
            out.push((
                t,
                Happening::Handoff {
                    process: gil.process,
                    from: a.lane,
                    to: b.lane,
                    why: why(replay, a, b, reason),
                },
            ));
        }
    }
}

fn why(replay: &Replay, a: &Holding, b: &Holding, said: Option<&str>) -> HandoffWhy {
    let reason = said.and_then(|d| d.split_once(": ")).map(|(_, why)| why);
    match reason {
        Some(r) if r.starts_with("switch interval") => return HandoffWhy::SwitchInterval,
        Some(r) if r.starts_with("sleeping") => return HandoffWhy::Sleeps,
        Some(r) if r.starts_with("waiting") => return HandoffWhy::Waits,
        _ => {}
    }
    let t = b.start_s;
    let requested = replay.drop_requests.as_ref().map(|requests| {
        let i = requests.partition_point(|r| r.0 < t);
        requests[i..]
            .iter()
            .take_while(|r| r.0 == t)
            .any(|r| r.1 == b.lane)
    });
    let newcomer = replay
        .lane(b.lane)
        .and_then(|l| l.spans.first())
        .is_some_and(|s| s.start_s == t);
    let interval = replay.trace.profile.switch_interval_s;
    let held_the_interval = t - a.start_s >= interval * 0.999;
    match replay.span_at(a.lane, t).map(|s| s.state) {
        _ if newcomer => HandoffWhy::NewThread,
        _ if requested == Some(true) => HandoffWhy::SwitchInterval,
        Some(State::WaitingGil) if requested.is_none() && held_the_interval => {
            HandoffWhy::SwitchInterval
        }
        Some(State::Sleeping) => HandoffWhy::Sleeps,
        Some(State::Blocked | State::Awaiting | State::Idle) => HandoffWhy::Waits,
        None => HandoffWhy::Ends,
        Some(_) => HandoffWhy::Other,
    }
}

/// What only an event loop's tasks have: timers that ring while the loop is busy, and steps
/// that pass the slow-step threshold.
fn loop_moments(replay: &Replay, out: &mut Vec<(f64, Happening)>) {
    for l in replay.processes.iter().flat_map(|p| p.loops.iter()) {
        for &(start, end, task) in &l.steps {
            if end - start > SLOW_STEP_S {
                out.push((
                    start + SLOW_STEP_S,
                    Happening::SlowStep {
                        lane: task,
                        since_s: start,
                    },
                ));
            }
        }
    }
    for lane in replay
        .trace
        .lanes
        .iter()
        .filter(|l| l.kind == LaneKind::Task)
    {
        for (i, span) in lane.spans.iter().enumerate() {
            if span.state != State::Awaiting {
                continue;
            }
            let Some(w) = wait_of(&replay.trace, lane, span) else {
                continue;
            };
            let Some(due) = w.until_s.filter(|_| w.on == WaitOn::Timer) else {
                continue;
            };
            if due > span.start_s && span.end_s - due > NOTICEABLE_LATE_S {
                out.push((
                    due,
                    Happening::TimerDue {
                        lane: lane.id,
                        span: i,
                    },
                ));
            }
        }
    }
}

/// The index of the moment shown at `t_s`: the last one at or before it.
pub fn current(moments: &[Moment], t_s: f64) -> Option<usize> {
    moments.partition_point(|m| m.t_s <= t_s).checked_sub(1)
}

/// The first moment after `t_s`.
pub fn next_after(moments: &[Moment], t_s: f64) -> Option<usize> {
    let i = moments.partition_point(|m| m.t_s <= t_s);
    (i < moments.len()).then_some(i)
}

/// The last moment before `t_s`.
pub fn previous_before(moments: &[Moment], t_s: f64) -> Option<usize> {
    moments.partition_point(|m| m.t_s < t_s).checked_sub(1)
}

/// Digits after the point that tell the moment at `t_s` from its neighbours: 3 (ms) for
/// moments far apart, up to 9 (ns) where moments crowd.
pub fn decimals_at(moments: &[Moment], t_s: f64) -> usize {
    let Some(c) = current(moments, t_s) else {
        return 3;
    };
    // Between moments, milliseconds say enough; on one, as many digits as set it apart.
    if t_s != moments[c].t_s {
        return 3;
    }
    let gap_to = |j: Option<usize>| {
        let m = moments.get(j?)?;
        Some((m.t_s - moments[c].t_s).abs())
    };
    let gap = [gap_to(c.checked_sub(1)), gap_to(Some(c + 1))]
        .into_iter()
        .flatten()
        .filter(|g| *g > 0.0)
        .fold(f64::INFINITY, f64::min);
    if !gap.is_finite() {
        return 3;
    }
    ((-gap.log10()).ceil() as i64).clamp(3, 9) as usize
}
