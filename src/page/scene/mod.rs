//! The kitchen scene at one moment, as data: where each chef is, what is on each station, what
//! is queued. The page draws it (`web::scene`); everything it shows is decided here, from the
//! trace, so it can be tested natively at chosen moments of each scenario.
//!
//! The scene speaks the kitchen's language:
//! - a **kitchen** is a process; its **stove** is the process's GIL: one chef cooks Python at a
//!   time, the others queue for it in order, and after the switch interval (5 ms) the first in
//!   the queue asks the holder to step aside;
//! - a **chef** is a thread; an **event loop** is one chef juggling tasks: its **pots** are tasks
//!   sleeping on a timer, its **ticket rail** the ready queue, and tasks **parked** on something
//!   else (a gather, a helper thread, a lock) are joined to what will wake them;
//! - the machine's **cores** are the work stations every kitchen shares.
//!
//! Runs of a thousand chefs or pots are not drawn one by one: the scene names the few that
//! matter at the moment and counts the rest by state ([`Crowd`]).

mod event_loop;
mod kitchen;
mod words;

use crate::core::trace::{LaneKind, State, WaitOn};

use super::replay::{KitchenKind, Life, Replay};
use super::waits::{holding_at, WaitInfo};

pub use event_loop::{Frozen, LoopDoing, LoopScene, Parked, Pot};
pub use kitchen::{
    crowd, Chef, Crowd, DropRequest, Kitchen, KitchenCrowd, KitchenPhase, Stove, Tally,
};
pub use words::{megabytes, plural};

/// Chefs drawn one by one in a kitchen of at most this many; a bigger kitchen is a crowd.
pub const MAX_CHEFS: usize = 12;
/// Chefs drawn one by one in a crowd (the main thread, the GIL's holder and queue first); the
/// rest are counted.
pub const MAX_CHEFS_IN_CROWD: usize = 6;
/// Kitchens drawn one by one; the rest are counted.
pub const MAX_KITCHENS: usize = 12;
/// Pots, tickets and parked tasks drawn one by one.
pub const MAX_POTS: usize = 8;
/// Threads named in a GIL queue.
pub const MAX_QUEUE: usize = 8;
/// Cores drawn one by one.
pub const MAX_CORES: usize = 16;

/// Someone on screen: a lane and its name.
#[derive(Clone, Debug, PartialEq)]
pub struct Who {
    pub lane: usize,
    pub name: String,
}

/// The whole scene at one moment.
#[derive(Clone, Debug, PartialEq)]
pub struct Scene {
    pub t_s: f64,
    pub kind: KitchenKind,
    /// The kitchens drawn one by one (all of them unless there are more than
    /// [`MAX_KITCHENS`]).
    pub kitchens: Vec<Kitchen>,
    /// The other kitchens, counted.
    pub more_kitchens: Option<KitchenCrowd>,
    pub machine: Machine,
    pub memory: Memory,
    pub costs: Costs,
}

/// The machine's cores: who runs where.
#[derive(Clone, Debug, PartialEq)]
pub struct Machine {
    /// The first [`MAX_CORES`] cores.
    pub cores: Vec<Station>,
    pub total: usize,
    /// Cores running someone now.
    pub busy: usize,
}

/// One core.
#[derive(Clone, Debug, PartialEq)]
pub struct Station {
    pub core: usize,
    /// Who runs on it, and in which state (running Python, or starting a thread or process).
    pub running: Option<(Who, State)>,
}

/// Memory now and at its highest.
#[derive(Clone, Debug, PartialEq)]
pub struct Memory {
    pub now_bytes: u64,
    pub peak_so_far_bytes: u64,
    pub peak_bytes: u64,
    /// What one more process adds, for a simulated run of several processes (its profile
    /// says).
    pub per_process_bytes: Option<u64>,
}

/// What starting chefs and kitchens has cost so far.
#[derive(Clone, Debug, PartialEq)]
pub struct Costs {
    pub threads_started: usize,
    pub processes_started: usize,
    /// CPU seconds spent starting threads and processes, booting and ending processes.
    pub spawning_s: f64,
    /// Of those, the seconds the starters spent in `start()` (the parent's share: while it
    /// starts the next chef it does nothing else).
    pub starting_s: f64,
}

impl Scene {
    /// The scene of `replay` at `t_s`.
    pub fn at(replay: &Replay, t_s: f64) -> Scene {
        let (kitchens, more_kitchens) = kitchen::kitchens(replay, t_s);
        Scene {
            t_s,
            kind: replay.kind,
            kitchens,
            more_kitchens,
            machine: machine(replay, t_s),
            memory: memory(replay, t_s),
            costs: costs(replay, t_s),
        }
    }
}

/// A counted state in words: `asleep`, `not started`.
pub fn tally_name(t: Tally) -> &'static str {
    match t {
        Tally::NotYet => "not started",
        Tally::Done => "done",
        Tally::In(s) => super::palette::short_name(s),
    }
}

fn who(replay: &Replay, lane: usize) -> Who {
    Who {
        lane,
        name: replay.name(lane).to_string(),
    }
}

fn machine(replay: &Replay, t_s: f64) -> Machine {
    let trace = &replay.trace;
    let total = (trace.profile.cores as usize).max(trace.cores.len());
    let running_on = |core: usize| {
        let h = holding_at(trace.cores.get(core)?, t_s)?;
        let state = replay
            .span_at(h.lane, t_s)
            .map_or(State::Running, |s| s.state);
        Some((who(replay, h.lane), state))
    };
    let busy = (0..trace.cores.len())
        .filter(|&c| holding_at(&trace.cores[c], t_s).is_some())
        .count();
    Machine {
        cores: (0..total.min(MAX_CORES))
            .map(|core| Station {
                core,
                running: running_on(core),
            })
            .collect(),
        total,
        busy,
    }
}

fn memory(replay: &Replay, t_s: f64) -> Memory {
    let samples = &replay.trace.memory;
    let upto = samples.partition_point(|m| m.t_s <= t_s);
    let seen = &samples[..upto];
    // What one more process costs, as the simulation charges it: shown for runs with several.
    let simulated =
        replay.trace.source == crate::core::trace::Source::Simulated && replay.processes.len() > 1;
    Memory {
        now_bytes: seen.last().map_or(0, |m| m.bytes),
        peak_so_far_bytes: seen.iter().map(|m| m.bytes).max().unwrap_or(0),
        peak_bytes: replay.trace.peak_memory_bytes,
        per_process_bytes: simulated.then_some(replay.trace.profile.process_memory_bytes),
    }
}

fn costs(replay: &Replay, t_s: f64) -> Costs {
    let mut c = Costs {
        threads_started: 0,
        processes_started: 0,
        spawning_s: 0.0,
        starting_s: 0.0,
    };
    for lane in &replay.trace.lanes {
        if replay.life_at(lane.id, t_s) != Life::NotYet {
            match lane.kind {
                LaneKind::Thread | LaneKind::PoolWorker => c.threads_started += 1,
                LaneKind::Process => c.processes_started += 1,
                _ => {}
            }
        }
        let (all, starting) = spawning_by(replay, lane.id, t_s);
        c.spawning_s += all;
        c.starting_s += starting;
    }
    c
}

/// Seconds `lane` has spent in the spawning state by `t_s`, and of those the seconds spent
/// starting others (spans labelled `start …`, the simulator's words).
fn spawning_by(replay: &Replay, lane: usize, t_s: f64) -> (f64, f64) {
    let Some(l) = replay.lane(lane) else {
        return (0.0, 0.0);
    };
    let mut sums = (0.0, 0.0);
    for s in l.spans.iter().take_while(|s| s.start_s < t_s) {
        if s.state == State::Spawning {
            let d = s.end_s.min(t_s) - s.start_s;
            sums.0 += d;
            if s.label.starts_with("start ") {
                sums.1 += d;
            }
        }
    }
    sums
}

/// A timer's wait: what and when, if `wait` is one.
fn timer_of(wait: &Option<WaitInfo>) -> Option<f64> {
    wait.as_ref()
        .filter(|w| w.on == WaitOn::Timer)
        .and_then(|w| w.until_s)
}
