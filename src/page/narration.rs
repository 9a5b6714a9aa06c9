//! The run told in words: one plain sentence for each moment (what `#narration` says, and what
//! a screen reader hears), and the whole run as a text log in which long repetitions (a
//! thousand starts, hundreds of 5 ms GIL switches) are told once with a count.
//!
//! Every sentence is made from the trace: who, what state, what they wait for (through
//! [`super::waits`]), the times. Nothing is typed in per scenario.

use crate::core::trace::{LaneKind, State, WaitOn};

use super::replay::Replay;
use super::steps::{HandoffWhy, Happening, Moment, SLOW_STEP_S};
use super::waits::{number, wait_of};

/// The sentence for moment `m`: its most telling happening, in words.
pub fn sentence(replay: &Replay, m: &Moment) -> String {
    let Some(h) = best(replay, m) else {
        return String::new();
    };
    let text = tell(replay, m.t_s, h);
    let alike = m
        .happenings
        .iter()
        .filter(|o| same_kind(replay, o, h))
        .count();
    match alike {
        0 | 1 => text,
        n => format!("{text} {} more at the same moment.", n - 1),
    }
}

/// Whether two happenings read alike (two tasks created, two chefs starting to sleep).
fn same_kind(replay: &Replay, a: &Happening, b: &Happening) -> bool {
    let shape = |h: &Happening| match *h {
        Happening::Changed { lane, span } => {
            let l = replay.lane(lane)?;
            Some((1, Some(l.kind), l.spans.get(span).map(|s| s.state)))
        }
        Happening::Started { lane } => Some((2, replay.lane(lane).map(|l| l.kind), None)),
        Happening::Ended { lane } => Some((3, replay.lane(lane).map(|l| l.kind), None)),
        Happening::TimerDue { .. } => Some((4, None, None)),
        _ => None,
    };
    shape(a).is_some() && shape(a) == shape(b)
}

/// The sentence for the cursor at `t_s`: the current moment's, said as "since" when the
/// cursor has moved well past it (a long sleep after the last change).
pub fn at_cursor(replay: &Replay, t_s: f64) -> String {
    let Some(i) = super::steps::current(&replay.moments, t_s) else {
        return opening(replay);
    };
    let m = &replay.moments[i];
    let text = sentence(replay, m);
    if t_s - m.t_s > STILL_S {
        format!("Since {}: {text}", at(m.t_s))
    } else {
        text
    }
}

/// The cursor this far past a moment hears "since" in front of its sentence.
const STILL_S: f64 = 0.05;

/// What to say before anything has happened (the cursor before the first moment).
pub fn opening(replay: &Replay) -> String {
    format!(
        "{}: press Play, or step with → to see it happen moment by moment.",
        replay.trace.title
    )
}

/// The happening of `m` most worth telling: printed lines first, then GIL hand-offs, frozen
/// loops and late timers, then starts and ends, then other changes (a task's before its loop's).
pub fn best<'a>(replay: &Replay, m: &'a Moment) -> Option<&'a Happening> {
    m.happenings.iter().min_by_key(|h| rank(replay, h))
}

fn rank(replay: &Replay, h: &Happening) -> u8 {
    let kind_of = |lane: usize| replay.lane(lane).map(|l| l.kind);
    match h {
        Happening::Printed { .. } => 0,
        Happening::SlowStep { .. } => 1,
        Happening::Handoff { .. } => 2,
        Happening::TimerDue { .. } => 3,
        Happening::Changed { lane, span } => {
            let state = replay
                .lane(*lane)
                .and_then(|l| l.spans.get(*span))
                .map(|s| s.state);
            match (kind_of(*lane), state) {
                (Some(LaneKind::Task), Some(State::Awaiting)) => 4,
                (_, Some(State::Spawning)) => 5,
                (Some(LaneKind::Task), _) => 7,
                _ => 8,
            }
        }
        Happening::Ended { lane } if kind_of(*lane) == Some(LaneKind::Task) => 6,
        Happening::Started { .. } | Happening::Ended { .. } => 6,
    }
}

/// One happening in words.
pub fn tell(replay: &Replay, t_s: f64, h: &Happening) -> String {
    match *h {
        Happening::Printed { index } => printed(replay, index),
        Happening::Handoff {
            process,
            from,
            to,
            why,
        } => handoff(replay, t_s, process, (from, to), why),
        Happening::SlowStep { lane, since_s } => slow_step(replay, lane, since_s),
        Happening::TimerDue { lane, span } => timer_due(replay, lane, span, t_s),
        Happening::Started { lane } => started(replay, lane, t_s),
        Happening::Ended { lane } => ended(replay, lane),
        Happening::Changed { lane, span } => changed(replay, lane, span),
    }
}

fn printed(replay: &Replay, index: usize) -> String {
    let Some(p) = replay.trace.prints.get(index) else {
        return String::new();
    };
    format!("{} prints “{}”.", speaker(replay, p.lane, p.t_s), p.text)
}

/// Who is speaking for `lane` at `t_s`: on an event loop's thread, the task whose step runs.
fn speaker(replay: &Replay, lane: usize, t_s: f64) -> String {
    let task = replay
        .process_of(lane)
        .and_then(|p| p.loops.iter().find(|l| l.lane == lane))
        .and_then(|l| l.step_at(t_s).or_else(|| l.step_ending(t_s)));
    match task {
        Some((_, _, task)) => replay.name(task).to_string(),
        None => replay.name(lane).to_string(),
    }
}

fn handoff(
    replay: &Replay,
    t_s: f64,
    process: usize,
    (from, to): (usize, usize),
    why: HandoffWhy,
) -> String {
    let (a, b) = (replay.name(from), replay.name(to));
    // The holding that ended at `t_s` is the one before the holding that starts then.
    let held = replay
        .trace
        .gil
        .iter()
        .find(|g| g.process == process)
        .and_then(|g| {
            let i = g.held.partition_point(|h| h.start_s < t_s).checked_sub(1)?;
            let h = &g.held[i];
            (h.lane == from).then_some(t_s - h.start_s)
        });
    let what = || {
        let lane = replay.lane(from)?;
        let span = super::code_view::span_at(&lane.spans, t_s)?;
        let w = wait_of(&replay.trace, lane, span)?;
        Some(w.what)
    };
    match why {
        HandoffWhy::SwitchInterval => format!(
            "{a} has held the GIL for {} and must let {b} run: {b} asked for it after waiting the {} switch interval.",
            held.map_or_else(|| "a while".into(), duration),
            duration(replay.trace.profile.switch_interval_s)
        ),
        HandoffWhy::Sleeps => format!(
            "{a} releases the GIL to sleep in {}: {b} takes it.",
            what().unwrap_or_else(|| "a sleep".into())
        ),
        HandoffWhy::Waits => format!(
            "{a} releases the GIL to wait ({}): {b} takes it.",
            what().unwrap_or_else(|| "for another chef".into())
        ),
        HandoffWhy::Ends => format!("{a} ends and lets go of the GIL: {b} takes it."),
        HandoffWhy::NewThread => format!(
            "The new thread {b} takes the GIL to run, while {a} waits for it to start (Thread.start() waits until it runs)."
        ),
        HandoffWhy::Other => format!("The GIL passes from {a} to {b}."),
    }
}

fn slow_step(replay: &Replay, lane: usize, since_s: f64) -> String {
    let t = since_s + SLOW_STEP_S;
    let loop_lane = replay.lane(lane).and_then(|l| l.parent);
    let (work, line) = loop_lane
        .and_then(|l| replay.span_at(l, t))
        .map_or((String::new(), None), |s| (s.label.clone(), s.line));
    format!(
        "{} has run {} without an await: the event loop is frozen{}{} (asyncio's debug mode warns about any step over 100 ms). No other task can move.",
        replay.name(lane),
        duration(SLOW_STEP_S),
        if work.is_empty() { String::new() } else { format!(" in the plain call {work}") },
        line.map_or_else(String::new, |n| format!(" at line {n}")),
    )
}

fn timer_due(replay: &Replay, lane: usize, span: usize, t_s: f64) -> String {
    let end = replay
        .lane(lane)
        .and_then(|l| l.spans.get(span))
        .map_or(t_s, |s| s.end_s);
    let busy = replay
        .lane(lane)
        .and_then(|l| l.parent)
        .and_then(|loop_lane| {
            let l = replay
                .process_of(loop_lane)?
                .loops
                .iter()
                .find(|l| l.lane == loop_lane)?;
            l.step_at(t_s)
                .map(|(_, _, task)| replay.name(task).to_string())
        });
    format!(
        "{}'s timer runs out, but the loop is busy{}: the task waits until the loop comes round, at {}.",
        replay.name(lane),
        busy.map_or_else(String::new, |b| format!(" running {b}")),
        at(end)
    )
}

fn started(replay: &Replay, lane: usize, t_s: f64) -> String {
    let Some(l) = replay.lane(lane) else {
        return String::new();
    };
    match l.kind {
        LaneKind::Main if l.process == 0 => {
            format!("The program starts on the main thread, {}.", l.name)
        }
        LaneKind::Task => format!("{} is created: a task on the event loop.", l.name),
        LaneKind::Process => format!(
            "Process {} starts: a new kitchen is being built for it.",
            l.name
        ),
        LaneKind::PoolWorker => {
            format!("Helper thread {} starts (a thread pool's worker).", l.name)
        }
        _ if t_s == 0.0 => format!("{} starts.", l.name),
        _ => format!("Thread {} starts.", l.name),
    }
}

fn ended(replay: &Replay, lane: usize) -> String {
    let Some(l) = replay.lane(lane) else {
        return String::new();
    };
    match l.kind {
        LaneKind::Main if l.process == 0 => format!(
            "The program ends after {}.",
            duration(replay.trace.makespan_s)
        ),
        LaneKind::Task => format!("{} is done.", l.name),
        LaneKind::Process => format!("{}'s kitchen is closed: the process has ended.", l.name),
        _ => format!("{} ends.", l.name),
    }
}

fn changed(replay: &Replay, lane: usize, span: usize) -> String {
    let Some(l) = replay.lane(lane) else {
        return String::new();
    };
    let Some(s) = l.spans.get(span) else {
        return String::new();
    };
    let name = &l.name;
    let line = s.line.map_or_else(String::new, |n| format!(", line {n}"));
    let wait = wait_of(&replay.trace, l, s);
    let what = wait
        .as_ref()
        .map_or_else(|| s.label.clone(), |w| w.what.clone());
    match s.state {
        State::Running => running(replay, lane, s.start_s, &s.label, &line),
        State::Spawning => spawning(name, &s.label, s.end_s - s.start_s),
        State::WaitingGil => {
            let holder = wait
                .and_then(|w| w.lane)
                .map(|h| replay.name(h).to_string());
            format!(
                "{name} wants to run Python but {} holds the GIL: {name} queues for it{line}.",
                holder.unwrap_or_else(|| "another thread".into())
            )
        }
        State::WaitingCore => {
            format!("{name} holds its GIL, but every core is busy: it waits for a core.")
        }
        State::Sleeping => {
            let until = wait.as_ref().and_then(|w| w.until_s);
            format!(
                "{name} sleeps in {what}{}, which releases the GIL.",
                until.map_or_else(String::new, |u| format!(" until {}", at(u)))
            )
        }
        State::Blocked => format!(
            "{name} waits: {}{line}.",
            if what.is_empty() {
                "for another chef".into()
            } else {
                what
            }
        ),
        State::Idle => idle(replay, lane, s.start_s),
        State::Ready => {
            format!("{name} is ready: it waits on the ticket rail until the loop gets to it.")
        }
        State::Awaiting => awaiting(replay, lane, s.start_s, &what, wait.map(|w| w.on)),
    }
}

fn running(replay: &Replay, lane: usize, t_s: f64, work: &str, line: &str) -> String {
    let name = replay.name(lane);
    let task = replay
        .process_of(lane)
        .and_then(|p| p.loops.iter().find(|l| l.lane == lane))
        .and_then(|l| l.step_at(t_s));
    let work = if work.is_empty() {
        "its own code".to_string()
    } else {
        work.to_string()
    };
    match (replay.lane(lane).map(|l| l.kind), task) {
        (_, Some((_, _, task))) => {
            format!("The event loop runs {}: {work}{line}.", replay.name(task))
        }
        (Some(LaneKind::Task), _) => {
            let at_loop = replay
                .lane(lane)
                .and_then(|l| l.parent)
                .and_then(|l| replay.span_at(l, t_s))
                .filter(|s| !s.label.is_empty());
            match at_loop {
                Some(s) => format!(
                    "The event loop takes {name} from the rail and runs its next step: {}{}.",
                    s.label,
                    s.line.map_or_else(String::new, |n| format!(", line {n}"))
                ),
                None => {
                    format!("The event loop takes {name} from the rail and runs its next step.")
                }
            }
        }
        _ => format!("{name} runs {work}{line}."),
    }
}

fn spawning(name: &str, label: &str, secs: f64) -> String {
    match label {
        "process boot" => format!(
            "{name}'s kitchen is being built: the new process boots ({}).",
            duration(secs)
        ),
        "process exit" => format!(
            "{name}'s kitchen is torn down: the process exits ({}).",
            duration(secs)
        ),
        _ => match label.strip_prefix("start ") {
            Some(what) => format!(
                "{name} starts {what}: {} of work for the OS.",
                duration(secs)
            ),
            None => format!("{name} is busy starting something ({label})."),
        },
    }
}

fn idle(replay: &Replay, lane: usize, t_s: f64) -> String {
    let soonest = replay
        .process_of(lane)
        .and_then(|p| p.loops.iter().find(|l| l.lane == lane))
        .and_then(|l| {
            l.tasks
                .iter()
                .filter_map(|&task| {
                    let tl = replay.lane(task)?;
                    let span = super::code_view::span_at(&tl.spans, t_s)?;
                    let w = wait_of(&replay.trace, tl, span)?;
                    (w.on == WaitOn::Timer).then_some(w.until_s?)
                })
                .min_by(f64::total_cmp)
        });
    match soonest {
        Some(u) => format!(
            "Nothing is ready: the event loop waits for its next timer, due in {}.",
            duration(u - t_s)
        ),
        None => "Nothing is ready: the event loop waits for a wake-up from another thread.".into(),
    }
}

fn awaiting(replay: &Replay, lane: usize, t_s: f64, what: &str, on: Option<WaitOn>) -> String {
    let name = replay.name(lane);
    let what = match on {
        Some(WaitOn::Future) => format!("{what}, so the loop is free meanwhile"),
        _ if what.is_empty() => "something".to_string(),
        _ => what.to_string(),
    };
    let next = replay
        .lane(lane)
        .and_then(|l| l.parent)
        .and_then(|loop_lane| {
            replay
                .process_of(loop_lane)?
                .loops
                .iter()
                .find(|l| l.lane == loop_lane)
        })
        .map(|l| {
            // The loop's next step, if it comes before the loop falls idle.
            let next = l.next_step(t_s);
            let idle_at = replay.lane(l.lane).and_then(|ll| {
                let from = ll.spans.partition_point(|s| s.start_s < t_s);
                let before = next.map_or(f64::INFINITY, |n| n.0);
                ll.spans[from..]
                    .iter()
                    .take_while(|s| s.start_s <= before)
                    .find(|s| s.state == State::Idle)
                    .map(|s| s.start_s)
            });
            match next {
                Some((start, _, task)) if idle_at.is_none_or(|i| start < i) => {
                    format!("the loop turns to {}", replay.name(task))
                }
                _ => "nothing else is ready, so the loop waits".to_string(),
            }
        });
    match next {
        Some(next) => format!("{name} awaits {what}; {next}."),
        None => format!("{name} awaits {what}."),
    }
}

/// A time on the run's clock: `30.400 s`; early moments in finer units (`27 µs`).
pub fn at(t_s: f64) -> String {
    if t_s > 0.0 && t_s < 0.01 {
        duration(t_s)
    } else {
        format!("{t_s:.3} s")
    }
}

/// A length of time as a reader says it: `30 s`, `5 ms`, `3.3 µs`.
pub fn duration(secs: f64) -> String {
    let secs = secs.max(0.0);
    let (value, unit) = if secs >= 1.0 {
        (secs, "s")
    } else if secs >= 1e-3 {
        (secs * 1e3, "ms")
    } else if secs >= 1e-6 {
        (secs * 1e6, "µs")
    } else {
        (secs * 1e9, "ns")
    };
    let rounded = if value >= 100.0 {
        value.round()
    } else if value >= 10.0 {
        (value * 10.0).round() / 10.0
    } else {
        (value * 100.0).round() / 100.0
    };
    format!("{} {unit}", number(rounded))
}

/// One line of the text log: a moment's sentence, or a run of repeated moments told once.
#[derive(Clone, Debug, PartialEq)]
pub struct LogLine {
    /// The moment the line tells (the first of a repeated run).
    pub moment: usize,
    pub t_s: f64,
    pub text: String,
}

/// Repetitions shorter than this are told moment by moment.
const MIN_REPEATS: usize = 4;
/// The longest cycle of moments recognised as repeating (a start, a hand-off, a sleep…).
const MAX_CYCLE: usize = 4;

/// The whole run as a text log. A cycle of up to four kinds of moment that repeats three
/// times or more (a thousand threads started one after another, the GIL switching every
/// 5 ms) is told once, then summed up in one line.
///
/// The sentences are made when asked for: a thousand-lane run has thousands of moments.
pub fn log(replay: &Replay) -> Vec<LogLine> {
    let moments = &replay.moments;
    let keys: Vec<Key> = moments.iter().map(|m| key(replay, m)).collect();
    let line = |i: usize| LogLine {
        moment: i,
        t_s: moments[i].t_s,
        text: sentence(replay, &moments[i]),
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < moments.len() {
        let (cycle, repeats) = longest_repeat(&keys[i..]);
        if repeats < MIN_REPEATS {
            out.push(line(i));
            i += 1;
            continue;
        }
        out.extend((i..i + cycle).map(line));
        let last = i + cycle * repeats - 1;
        out.push(LogLine {
            moment: i + cycle,
            t_s: moments[i + cycle].t_s,
            text: format!(
                "… and the same {} more times, until {}. The last: {}",
                repeats - 1,
                at(moments[last].t_s),
                sentence(replay, &moments[last])
            ),
        });
        i = last + 1;
    }
    out
}

/// What kind of moment this is, without names: two moments with the same key read alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Key {
    happening: u8,
    detail: u8,
    main: bool,
}

fn key(replay: &Replay, m: &Moment) -> Key {
    let Some(h) = best(replay, m) else {
        return Key {
            happening: 255,
            detail: 0,
            main: false,
        };
    };
    let state_of = |lane: usize, span: usize| {
        replay
            .lane(lane)
            .and_then(|l| l.spans.get(span))
            .map_or(255, |s| {
                super::palette::STATES
                    .iter()
                    .position(|&x| x == s.state)
                    .unwrap_or(254) as u8
            })
    };
    let (happening, detail, lane) = match *h {
        Happening::Printed { index } => {
            (0, 0, replay.trace.prints.get(index).map_or(0, |p| p.lane))
        }
        Happening::Handoff { why, from, .. } => (1, why as u8, from),
        Happening::SlowStep { lane, .. } => (2, 0, lane),
        Happening::TimerDue { lane, .. } => (3, 0, lane),
        Happening::Started { lane } => (4, 0, lane),
        Happening::Ended { lane } => (5, 0, lane),
        Happening::Changed { lane, span } => (6, state_of(lane, span), lane),
    };
    let main = replay.lane(lane).is_some_and(|l| l.id == 0);
    Key {
        happening,
        detail,
        main,
    }
}

/// The cycle length (1 to [`MAX_CYCLE`]) whose back-to-back repetition from the start of
/// `keys` covers the most moments, and how many times it repeats.
fn longest_repeat(keys: &[Key]) -> (usize, usize) {
    let mut best = (1, 1);
    for cycle in 1..=MAX_CYCLE.min(keys.len()) {
        let mut repeats = 1;
        while (repeats + 1) * cycle <= keys.len()
            && keys[repeats * cycle..(repeats + 1) * cycle] == keys[..cycle]
        {
            repeats += 1;
        }
        if repeats >= MIN_REPEATS && cycle * repeats > best.0 * best.1 {
            best = (cycle, repeats);
        }
    }
    best
}
