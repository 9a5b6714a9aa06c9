//! One kitchen (a process) at a moment: its stove (the GIL), its chefs (threads) and, when it
//! runs one, its event loop; and the count of kitchens too many to draw.

use crate::core::trace::{LaneKind, State};

use super::super::replay::{Life, Process, Replay};
use super::super::waits::{gil_holder, wait_of, WaitInfo};
use super::event_loop::{self, LoopScene};
use super::{timer_of, who, Who, MAX_CHEFS, MAX_CHEFS_IN_CROWD, MAX_KITCHENS, MAX_QUEUE};

/// A kitchen: one process.
#[derive(Clone, Debug, PartialEq)]
pub struct Kitchen {
    pub process: usize,
    /// Its main thread's name (`main` for the program's first process).
    pub name: String,
    pub phase: KitchenPhase,
    pub stove: Stove,
    /// The chefs drawn one by one, in lane order.
    pub chefs: Vec<Chef>,
    /// The other chefs, counted.
    pub more_chefs: Option<Crowd>,
    /// The event loop the process runs, if any (its thread is also among the chefs).
    pub event_loop: Option<LoopScene>,
}

/// Where a kitchen is in its life.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum KitchenPhase {
    /// Its process has not been started yet.
    NotYet,
    /// The process boots (the work after `fork` before it runs its target).
    Building {
        since_s: f64,
        until_s: f64,
    },
    Cooking,
    /// The process ends: exit handlers and the kernel tearing down its memory.
    TearingDown {
        since_s: f64,
        until_s: f64,
    },
    Closed,
}

/// The stove: one process's GIL.
#[derive(Clone, Debug, PartialEq)]
pub struct Stove {
    /// Who holds the GIL now.
    pub holder: Option<Who>,
    /// Since when the holder has held it.
    pub held_since_s: f64,
    /// The first [`MAX_QUEUE`] threads waiting for it, first come first.
    pub queue: Vec<Who>,
    pub queue_len: usize,
    /// The coming request to drop the GIL, when someone waits.
    pub request: Option<DropRequest>,
    /// Threads of the process alive now.
    pub threads_alive: usize,
}

/// A thread waiting for the GIL asks the holder to drop it once it has waited the switch
/// interval (CPython's `gil_drop_request`); the holder lets go at its next check.
#[derive(Clone, Debug, PartialEq)]
pub struct DropRequest {
    pub by: Who,
    /// When the waiter started counting its switch interval.
    pub from_s: f64,
    /// When the request is (or was) made.
    pub at_s: f64,
}

/// A chef: one thread.
#[derive(Clone, Debug, PartialEq)]
pub struct Chef {
    pub who: Who,
    pub kind: LaneKind,
    pub life: Life,
    /// What it is doing while alive.
    pub state: Option<State>,
    /// The work it is on: the function running, or what it starts (`start order 2 · boil`).
    pub work: String,
    pub line: Option<u32>,
    /// Since when it has been in this state.
    pub since_s: f64,
    /// What it waits for, when waiting.
    pub wait: Option<WaitInfo>,
    /// Who will end the wait, where known.
    pub waker: Option<Who>,
    /// Seconds until its timer rings (a sleep).
    pub left_s: Option<f64>,
    /// CPU seconds it has used so far.
    pub cpu_s: f64,
    /// Its place in the GIL queue, from 1.
    pub queue_place: Option<usize>,
}

/// Chefs (or tasks) counted rather than drawn: how many are in each state.
#[derive(Clone, Debug, PartialEq)]
pub struct Crowd {
    pub total: usize,
    /// Counts, largest first.
    pub counts: Vec<(Tally, usize)>,
    /// The soonest timer among them, seconds from now.
    pub next_timer_s: Option<f64>,
}

/// What a counted chef is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tally {
    NotYet,
    Done,
    In(State),
}

/// Kitchens counted rather than drawn, by phase.
#[derive(Clone, Debug, PartialEq)]
pub struct KitchenCrowd {
    pub total: usize,
    pub not_yet: usize,
    pub building: usize,
    pub cooking: usize,
    pub tearing_down: usize,
    pub closed: usize,
    /// The chefs of the counted kitchens, by state.
    pub chefs: Crowd,
}

/// The kitchens at `t_s`: those drawn and the count of the rest.
pub fn kitchens(replay: &Replay, t_s: f64) -> (Vec<Kitchen>, Option<KitchenCrowd>) {
    let all = &replay.processes;
    if all.len() <= MAX_KITCHENS {
        let drawn = all.iter().map(|p| kitchen(replay, p, t_s)).collect();
        return (drawn, None);
    }
    // The first kitchen always; then those where something happens (building, tearing down,
    // someone on a core); then the first of the others, to fill the places.
    let phases: Vec<KitchenPhase> = all.iter().map(|p| phase(replay, p, t_s)).collect();
    let busy = |i: usize| {
        matches!(
            phases[i],
            KitchenPhase::Building { .. } | KitchenPhase::TearingDown { .. }
        ) || all[i]
            .chefs
            .iter()
            .any(|&c| replay.span_at(c, t_s).is_some_and(|s| s.state.on_cpu()))
    };
    let mut picked: Vec<usize> = vec![0];
    picked.extend((1..all.len()).filter(|&i| busy(i)).take(MAX_KITCHENS - 1));
    let rest: Vec<usize> = (1..all.len())
        .filter(|i| !picked.contains(i) && phases[*i] != KitchenPhase::NotYet)
        .collect();
    let room = MAX_KITCHENS.min(all.len()).saturating_sub(picked.len());
    picked.extend(rest.into_iter().take(room));
    crate::core::sort::sort(&mut picked);
    let drawn = picked
        .iter()
        .map(|&i| kitchen(replay, &all[i], t_s))
        .collect();
    let others: Vec<usize> = (0..all.len()).filter(|i| !picked.contains(i)).collect();
    (
        drawn,
        Some(crowd_of_kitchens(replay, &others, &phases, t_s)),
    )
}

fn crowd_of_kitchens(
    replay: &Replay,
    others: &[usize],
    phases: &[KitchenPhase],
    t_s: f64,
) -> KitchenCrowd {
    let mut c = KitchenCrowd {
        total: others.len(),
        not_yet: 0,
        building: 0,
        cooking: 0,
        tearing_down: 0,
        closed: 0,
        chefs: Crowd {
            total: 0,
            counts: Vec::new(),
            next_timer_s: None,
        },
    };
    for &i in others {
        match phases[i] {
            KitchenPhase::NotYet => c.not_yet += 1,
            KitchenPhase::Building { .. } => c.building += 1,
            KitchenPhase::Cooking => c.cooking += 1,
            KitchenPhase::TearingDown { .. } => c.tearing_down += 1,
            KitchenPhase::Closed => c.closed += 1,
        }
    }
    let lanes: Vec<usize> = others
        .iter()
        .flat_map(|&i| replay.processes[i].chefs.iter().copied())
        .collect();
    c.chefs = crowd(replay, &lanes, t_s);
    c
}

/// One kitchen at `t_s`.
pub fn kitchen(replay: &Replay, process: &Process, t_s: f64) -> Kitchen {
    let stove = stove(replay, process, t_s);
    let (shown, rest) = pick_chefs(replay, process, &stove, t_s);
    Kitchen {
        process: process.index,
        name: process.chefs.first().map_or_else(
            || format!("process {}", process.index),
            |&l| replay.name(l).to_string(),
        ),
        phase: phase(replay, process, t_s),
        chefs: shown
            .iter()
            .map(|&l| chef(replay, l, &stove, t_s))
            .collect(),
        more_chefs: (!rest.is_empty()).then(|| crowd(replay, &rest, t_s)),
        event_loop: process
            .loops
            .first()
            .map(|l| event_loop::scene(replay, l, t_s)),
        stove,
    }
}

/// The phase of a process, from its main thread's spans: a spawning span labelled
/// `process boot` or `process exit` (the simulator's words) is the building or the tearing down.
fn phase(replay: &Replay, process: &Process, t_s: f64) -> KitchenPhase {
    let Some(&main) = process.chefs.first() else {
        return KitchenPhase::Closed;
    };
    match replay.life_at(main, t_s) {
        Life::NotYet => return KitchenPhase::NotYet,
        Life::Done => return KitchenPhase::Closed,
        Life::Alive => {}
    }
    if process.index == 0 {
        return KitchenPhase::Cooking;
    }
    let Some(span) = replay.span_at(main, t_s) else {
        return KitchenPhase::Cooking;
    };
    let spans = &replay.trace.lanes[main].spans;
    // A boot or exit may be split by waits for a core; its stretch runs over all its spans.
    let stretch = |label: &str| {
        let first = spans.iter().position(|s| s.label == label)?;
        let last = spans.iter().rposition(|s| s.label == label)?;
        Some((spans[first].start_s, spans[last].end_s))
    };
    match span.label.as_str() {
        "process boot" => {
            stretch("process boot").map_or(KitchenPhase::Cooking, |(a, b)| KitchenPhase::Building {
                since_s: a,
                until_s: b,
            })
        }
        "process exit" => stretch("process exit").map_or(KitchenPhase::Cooking, |(a, b)| {
            KitchenPhase::TearingDown {
                since_s: a,
                until_s: b,
            }
        }),
        _ => KitchenPhase::Cooking,
    }
}

/// The process's GIL at `t_s`: its holder from the GIL timeline, its queue from the threads
/// waiting for it (first come, first served: the order their waits began, as the simulator
/// and, usually, CPython serve them).
fn stove(replay: &Replay, process: &Process, t_s: f64) -> Stove {
    let holding = replay
        .trace
        .gil
        .iter()
        .find(|g| g.process == process.index)
        .and_then(|g| super::super::waits::holding_at(&g.held, t_s));
    let mut waiting: Vec<(f64, usize)> = process
        .chefs
        .iter()
        .filter_map(|&lane| {
            let i = replay.span_index_at(lane, t_s)?;
            let span = &replay.trace.lanes[lane].spans[i];
            (span.state == State::WaitingGil).then(|| (replay.state_since(lane, i), lane))
        })
        .collect();
    crate::core::sort::sort_by(&mut waiting, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let held_since_s = holding.map_or(t_s, |h| h.start_s);
    let interval = replay.trace.profile.switch_interval_s;
    let request = match (holding, &replay.drop_requests) {
        // The trace says when a waiter asked: the request that ends this holding, if any
        // (a holder that lets go first, to sleep or wait, is never asked). A request at the
        // holding's start is the one that ended the holding before.
        (Some(h), Some(requests)) => {
            let from = requests.partition_point(|r| r.0 <= h.start_s);
            requests[from..]
                .iter()
                .take_while(|r| r.0 <= h.end_s)
                .find(|r| replay.lane(r.1).is_some_and(|l| l.process == process.index))
                .map(|&(at_s, lane)| DropRequest {
                    by: who(replay, lane),
                    from_s: (at_s - interval).max(h.start_s),
                    at_s,
                })
        }
        // A trace without them: the first waiter asks once it has waited the interval.
        (Some(_), None) => waiting.first().map(|&(since, lane)| {
            let from_s = since.max(held_since_s);
            DropRequest {
                by: who(replay, lane),
                from_s,
                at_s: from_s + interval,
            }
        }),
        (None, _) => None,
    };
    Stove {
        holder: holding.map(|h| who(replay, h.lane)),
        held_since_s,
        queue_len: waiting.len(),
        queue: waiting
            .iter()
            .take(MAX_QUEUE)
            .map(|&(_, l)| who(replay, l))
            .collect(),
        request,
        threads_alive: process
            .chefs
            .iter()
            .filter(|&&l| replay.life_at(l, t_s) == Life::Alive)
            .count(),
    }
}

/// Which chefs to draw: all when few; otherwise the main thread, the GIL's holder and queue,
/// chefs on a core or starting others, then the first of the rest, up to [`MAX_CHEFS`].
fn pick_chefs(
    replay: &Replay,
    process: &Process,
    stove: &Stove,
    t_s: f64,
) -> (Vec<usize>, Vec<usize>) {
    let chefs = &process.chefs;
    if chefs.len() <= MAX_CHEFS {
        return (chefs.clone(), Vec::new());
    }
    // A crowd: a few chefs drawn, the rest counted, so the count is what the eye meets.
    let room = MAX_CHEFS_IN_CROWD;
    let mut picked: Vec<usize> = vec![chefs[0]];
    let add = |lane: usize, picked: &mut Vec<usize>| {
        if picked.len() < room && !picked.contains(&lane) {
            picked.push(lane);
        }
    };
    for w in stove.holder.iter().chain(stove.queue.iter()) {
        add(w.lane, &mut picked);
    }
    for &lane in chefs {
        if replay
            .span_at(lane, t_s)
            .is_some_and(|s| super::super::replay::is_active(s.state))
        {
            add(lane, &mut picked);
        }
    }
    for &lane in chefs {
        if replay.life_at(lane, t_s) == Life::Alive {
            add(lane, &mut picked);
        }
    }
    crate::core::sort::sort(&mut picked);
    let rest = chefs
        .iter()
        .copied()
        .filter(|l| !picked.contains(l))
        .collect();
    (picked, rest)
}

/// One chef at `t_s`.
fn chef(replay: &Replay, lane: usize, stove: &Stove, t_s: f64) -> Chef {
    let l = &replay.trace.lanes[lane];
    let life = replay.life_at(lane, t_s);
    let index = replay.span_index_at(lane, t_s);
    let span = index.map(|i| &l.spans[i]);
    let wait = span.and_then(|s| wait_of(&replay.trace, l, s));
    // A GIL waiter is woken by whoever holds the GIL now, not by who held it when it began.
    let waker = match span.map(|s| s.state) {
        Some(State::WaitingGil) => gil_holder(&replay.trace, l.process, t_s),
        _ => wait.as_ref().and_then(|w| w.lane),
    }
    .map(|w| who(replay, w));
    Chef {
        who: who(replay, lane),
        kind: l.kind,
        life,
        state: span.map(|s| s.state),
        work: span.map(|s| s.label.clone()).unwrap_or_default(),
        line: span.and_then(|s| s.line),
        since_s: index.map_or(t_s, |i| replay.state_since(lane, i)),
        left_s: timer_of(&wait).map(|until| until - t_s),
        wait,
        waker,
        cpu_s: replay.cpu_by(lane, t_s),
        queue_place: stove
            .queue
            .iter()
            .position(|w| w.lane == lane)
            .map(|p| p + 1),
    }
}

/// Counts of what `lanes` are doing at `t_s`, largest first (ties in the order of
/// [`super::super::palette::STATES`]).
pub fn crowd(replay: &Replay, lanes: &[usize], t_s: f64) -> Crowd {
    let mut counts: Vec<(Tally, usize)> = Vec::new();
    let mut next_timer_s: Option<f64> = None;
    for &lane in lanes {
        let tally = match replay.life_at(lane, t_s) {
            Life::NotYet => Tally::NotYet,
            Life::Done => Tally::Done,
            Life::Alive => match replay.span_at(lane, t_s) {
                Some(span) => {
                    let l = &replay.trace.lanes[lane];
                    if let Some(until) = timer_of(&wait_of(&replay.trace, l, span)) {
                        let left = until - t_s;
                        next_timer_s = Some(next_timer_s.map_or(left, |n: f64| n.min(left)));
                    }
                    Tally::In(span.state)
                }
                None => Tally::Done,
            },
        };
        match counts.iter_mut().find(|(t, _)| *t == tally) {
            Some((_, n)) => *n += 1,
            None => counts.push((tally, 1)),
        }
    }
    crate::core::sort::sort_by_key(&mut counts, |&(t, n)| (std::cmp::Reverse(n), tally_rank(t)));
    Crowd {
        total: lanes.len(),
        counts,
        next_timer_s,
    }
}

fn tally_rank(t: Tally) -> usize {
    match t {
        Tally::In(s) => super::super::palette::STATES
            .iter()
            .position(|&x| x == s)
            .unwrap_or(0),
        Tally::NotYet => 100,
        Tally::Done => 101,
    }
}
