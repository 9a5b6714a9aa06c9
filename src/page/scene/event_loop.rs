//! An event loop at a moment: what its chef does (runs a task's step, waits for the next
//! timer, is stuck in a plain call), its pots (tasks sleeping on a timer), its ticket rail (the
//! ready queue, in order) and its parked tasks, each joined to what will wake it.
//!
//! The ready queue's order is the order the tasks became ready (asyncio's `_ready` is a FIFO
//! deque): the start of each task's ready span.

use crate::core::trace::{State, WaitOn};

use super::super::replay::{EventLoop, Life, Replay};
use super::super::steps::SLOW_STEP_S;
use super::super::waits::{gil_holder, wait_of};
use super::kitchen::{crowd, Crowd};
use super::{timer_of, who, Who, MAX_POTS};

/// The event loop at a moment.
#[derive(Clone, Debug, PartialEq)]
pub struct LoopScene {
    /// The lane of the thread running the loop.
    pub lane: usize,
    pub doing: LoopDoing,
    /// Set when the step running now has gone on longer than asyncio's slow-step threshold.
    pub frozen: Option<Frozen>,
    /// Sleeping tasks, soonest timer first (the first [`MAX_POTS`]).
    pub pots: Vec<Pot>,
    pub pots_total: usize,
    /// Pots whose timer has run out but whose task the loop has not taken up yet.
    pub pots_due: usize,
    /// The ready queue, in order (the first [`MAX_POTS`]).
    pub rail: Vec<Who>,
    pub rail_total: usize,
    /// Tasks parked on something other than a timer (the first [`MAX_POTS`]).
    pub parked: Vec<Parked>,
    pub parked_total: usize,
    /// All tasks, counted by state.
    pub tasks: Crowd,
}

/// What the loop's chef does.
#[derive(Clone, Debug, PartialEq)]
pub enum LoopDoing {
    NotStarted,
    Finished,
    /// Runs one step of `task`: its code up to its next `await`. `work` is the function the
    /// chef is in (a plain call inside the step shows here), at `line`.
    Step {
        task: Who,
        work: String,
        line: Option<u32>,
        /// How long the step has run so far.
        for_s: f64,
    },
    /// The loop's own code between steps (`asyncio.run`, picking the next task).
    OwnCode {
        line: Option<u32>,
    },
    /// Nothing is ready: the loop waits in `select()` for its soonest timer (seconds from
    /// now; `None` without timers) or a wake-up from another thread.
    Waiting {
        next_timer_s: Option<f64>,
    },
    /// The loop's thread waits for the GIL, held by another thread of the process.
    WaitingGil {
        holder: Option<Who>,
    },
    /// Something else: starting a helper thread, blocked on `join`…
    Other {
        state: State,
        what: String,
    },
}

/// The loop frozen by a long step.
#[derive(Clone, Debug, PartialEq)]
pub struct Frozen {
    pub task: Who,
    pub for_s: f64,
    pub work: String,
    pub line: Option<u32>,
}

/// A task sleeping on a timer.
#[derive(Clone, Debug, PartialEq)]
pub struct Pot {
    pub task: Who,
    pub what: String,
    pub until_s: f64,
    /// Since when the task has slept.
    pub since_s: f64,
    /// Seconds until the timer rings; negative once it has rung and the task still waits for
    /// the loop.
    pub left_s: f64,
}

/// A task parked on something other than a timer.
#[derive(Clone, Debug, PartialEq)]
pub struct Parked {
    pub task: Who,
    pub on: WaitOn,
    pub what: String,
    /// Who will wake it, where known.
    pub waker: Option<Who>,
}

/// The loop `l` of `replay` at `t_s`.
pub fn scene(replay: &Replay, l: &EventLoop, t_s: f64) -> LoopScene {
    let doing = doing(replay, l, t_s);
    let frozen = match &doing {
        LoopDoing::Step {
            task,
            work,
            line,
            for_s,
        } if *for_s > SLOW_STEP_S => Some(Frozen {
            task: task.clone(),
            for_s: *for_s,
            work: work.clone(),
            line: *line,
        }),
        _ => None,
    };
    let mut pots: Vec<(f64, usize, String, f64)> = Vec::new();
    let mut rail: Vec<(f64, usize)> = Vec::new();
    let mut parked: Vec<Parked> = Vec::new();
    for &task in &l.tasks {
        let Some(i) = replay.span_index_at(task, t_s) else {
            continue;
        };
        let lane = &replay.trace.lanes[task];
        let span = &lane.spans[i];
        match span.state {
            State::Ready => rail.push((replay.state_since(task, i), task)),
            State::Awaiting => {
                let wait = wait_of(&replay.trace, lane, span);
                match (timer_of(&wait), wait) {
                    (Some(until), Some(w)) => {
                        pots.push((until, task, w.what, replay.state_since(task, i)))
                    }
                    (_, w) => parked.push(Parked {
                        task: who(replay, task),
                        on: w.as_ref().map_or(WaitOn::Task, |w| w.on),
                        what: w.as_ref().map_or_else(String::new, |w| w.what.clone()),
                        waker: w.and_then(|w| w.lane).map(|x| who(replay, x)),
                    }),
                }
            }
            _ => {}
        }
    }
    crate::core::sort::sort_by(&mut pots, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    crate::core::sort::sort_by(&mut rail, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    // An idle loop sleeps until its soonest timer, unless a helper thread wakes it first.
    let doing = match doing {
        LoopDoing::Waiting { .. } => LoopDoing::Waiting {
            next_timer_s: pots.first().map(|p| p.0 - t_s),
        },
        other => other,
    };
    LoopScene {
        lane: l.lane,
        doing,
        frozen,
        pots_total: pots.len(),
        pots_due: pots.iter().filter(|p| p.0 <= t_s).count(),
        pots: pots
            .into_iter()
            .take(MAX_POTS)
            .map(|(until_s, task, what, since_s)| Pot {
                task: who(replay, task),
                what,
                until_s,
                since_s,
                left_s: until_s - t_s,
            })
            .collect(),
        rail_total: rail.len(),
        rail: rail
            .iter()
            .take(MAX_POTS)
            .map(|&(_, t)| who(replay, t))
            .collect(),
        parked_total: parked.len(),
        parked: parked.into_iter().take(MAX_POTS).collect(),
        tasks: crowd(replay, &l.tasks, t_s),
    }
}

fn doing(replay: &Replay, l: &EventLoop, t_s: f64) -> LoopDoing {
    let Some(span) = replay.span_at(l.lane, t_s) else {
        return match replay.life_at(l.lane, t_s) {
            Life::NotYet => LoopDoing::NotStarted,
            _ => LoopDoing::Finished,
        };
    };
    match span.state {
        State::Running => match l.step_at(t_s) {
            Some((start, _, task)) => LoopDoing::Step {
                task: who(replay, task),
                work: span.label.clone(),
                line: span.line,
                for_s: t_s - start,
            },
            None => LoopDoing::OwnCode { line: span.line },
        },
        State::Idle => LoopDoing::Waiting { next_timer_s: None },
        State::WaitingGil => {
            let process = replay.trace.lanes[l.lane].process;
            LoopDoing::WaitingGil {
                holder: gil_holder(&replay.trace, process, t_s).map(|h| who(replay, h)),
            }
        }
        state => LoopDoing::Other {
            state,
            what: span.label.clone(),
        },
    }
}
