//! A trace made ready for replaying: the trace itself plus what every view asks about it again
//! and again, worked out once when a trace arrives rather than at every frame.
//!
//! The page shows a trace at many moments a second; the scene, the narration and the timeline
//! all need to know which lanes make up each process, which tasks belong to which event loop,
//! what kind of kitchen this is and how much CPU a lane had used by some moment. [`Replay::new`]
//! answers those once, so that a view at one moment only does binary searches.

use crate::core::trace::{EventKind, Lane, LaneKind, Span, State, Trace};

use super::code_view::span_at;
use super::steps::{self, Moment};

/// Which of Python's three kitchens a trace shows; it decides the scene's layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KitchenKind {
    /// One process whose main thread runs an event loop with tasks.
    Asyncio,
    /// One process, several threads.
    Threads,
    /// Several processes.
    Processes,
}

/// One process: a kitchen of its own, with its own GIL (stove).
#[derive(Clone, Debug, PartialEq)]
pub struct Process {
    pub index: usize,
    /// Its chefs: every lane of the process that is not an asyncio task, in lane order. The
    /// first is the process's main thread.
    pub chefs: Vec<usize>,
    /// The event loops running in it.
    pub loops: Vec<EventLoop>,
}

/// An event loop: the thread running it and its tasks.
#[derive(Clone, Debug, PartialEq)]
pub struct EventLoop {
    /// The lane of the thread that runs the loop.
    pub lane: usize,
    /// The lanes of its tasks, in lane order (the order they were created).
    pub tasks: Vec<usize>,
    /// Every step the loop ran, in time order: a task's running stretch, `(start, end, task)`.
    pub steps: Vec<(f64, f64, usize)>,
}

impl EventLoop {
    /// The task whose step the loop is running at `t_s`, with that step's start and end.
    pub fn step_at(&self, t_s: f64) -> Option<(f64, f64, usize)> {
        let i = self.steps.partition_point(|s| s.0 <= t_s).checked_sub(1)?;
        let step = self.steps[i];
        (t_s < step.1).then_some(step)
    }

    /// The step that ends exactly at `t_s` (what the task did last, e.g. print as it ended).
    pub fn step_ending(&self, t_s: f64) -> Option<(f64, f64, usize)> {
        let i = self.steps.partition_point(|s| s.0 < t_s).checked_sub(1)?;
        let step = self.steps[i];
        (step.1 == t_s).then_some(step)
    }

    /// The first step that starts at or after `t_s`.
    pub fn next_step(&self, t_s: f64) -> Option<(f64, f64, usize)> {
        let i = self.steps.partition_point(|s| s.0 < t_s);
        self.steps.get(i).copied()
    }
}

/// A trace with its indices.
#[derive(Debug)]
pub struct Replay {
    pub trace: Trace,
    pub kind: KitchenKind,
    pub processes: Vec<Process>,
    /// Every moment at which what is shown changes, in time order: the steps of ←/→.
    pub moments: Vec<Moment>,
    /// The GIL drop requests the trace records (`EventKind::GilDropRequest`): when, and the
    /// waiter that asked, in time order. `None` for a trace that records none (a measured
    /// run, a trace from before they were recorded): the views then derive them.
    pub drop_requests: Option<Vec<(f64, usize)>>,
    /// Per lane, the CPU seconds (running or spawning) used before each of its spans.
    cpu_before: Vec<Vec<f64>>,
}

impl Replay {
    pub fn new(trace: Trace) -> Replay {
        let processes = processes_of(&trace);
        let kind = if processes.len() > 1 {
            KitchenKind::Processes
        } else if processes.iter().any(|p| !p.loops.is_empty()) {
            KitchenKind::Asyncio
        } else {
            KitchenKind::Threads
        };
        let cpu_before = trace.lanes.iter().map(|l| cpu_prefix(&l.spans)).collect();
        let drop_requests = drop_requests(&trace);
        let mut replay = Replay {
            trace,
            kind,
            processes,
            moments: Vec::new(),
            drop_requests,
            cpu_before,
        };
        replay.moments = steps::moments(&replay);
        replay
    }

    pub fn end_s(&self) -> f64 {
        self.trace.makespan_s
    }

    pub fn lane(&self, lane: usize) -> Option<&Lane> {
        self.trace.lanes.get(lane)
    }

    /// A lane's name, or `?` for an index out of range (a trace from outside).
    pub fn name(&self, lane: usize) -> &str {
        self.lane(lane).map_or("?", |l| l.name.as_str())
    }

    /// The span of `lane` covering `t_s`, if the lane is alive then.
    pub fn span_at(&self, lane: usize, t_s: f64) -> Option<&Span> {
        span_at(&self.lane(lane)?.spans, t_s)
    }

    /// The index of that span in its lane.
    pub fn span_index_at(&self, lane: usize, t_s: f64) -> Option<usize> {
        let spans = &self.lane(lane)?.spans;
        let i = spans.partition_point(|s| s.start_s <= t_s).checked_sub(1)?;
        (t_s < spans[i].end_s).then_some(i)
    }

    /// Where a lane stands at `t_s`: not started yet, alive, or done.
    pub fn life_at(&self, lane: usize, t_s: f64) -> Life {
        let Some(l) = self.lane(lane) else {
            return Life::Done;
        };
        match (l.spans.first(), l.spans.last()) {
            (Some(first), _) if t_s < first.start_s => Life::NotYet,
            (Some(_), Some(last)) if t_s >= last.end_s => Life::Done,
            (None, _) | (_, None) => Life::Done,
            _ => Life::Alive,
        }
    }

    /// CPU seconds `lane` has used (running or spawning) by `t_s`.
    pub fn cpu_by(&self, lane: usize, t_s: f64) -> f64 {
        let (Some(l), Some(before)) = (self.lane(lane), self.cpu_before.get(lane)) else {
            return 0.0;
        };
        let i = l.spans.partition_point(|s| s.start_s <= t_s);
        let Some(last) = i.checked_sub(1) else {
            return 0.0;
        };
        let s = &l.spans[last];
        let partial = if s.state.on_cpu() {
            (t_s.min(s.end_s) - s.start_s).max(0.0)
        } else {
            0.0
        };
        before[last] + partial
    }

    /// Where the `span_index`-th span of `lane` began its current state: the start of the run
    /// of spans in the same state it belongs to (the interpreter splits a state's stretch at
    /// every line or label change).
    pub fn state_since(&self, lane: usize, span_index: usize) -> f64 {
        let Some(l) = self.lane(lane) else { return 0.0 };
        let Some(span) = l.spans.get(span_index) else {
            return 0.0;
        };
        let mut since = span.start_s;
        for s in l.spans[..span_index].iter().rev() {
            if s.state != span.state || s.end_s < since {
                break;
            }
            since = s.start_s;
        }
        since
    }

    /// The process lane `lane` lives in.
    pub fn process_of(&self, lane: usize) -> Option<&Process> {
        let p = self.lane(lane)?.process;
        self.processes.iter().find(|pr| pr.index == p)
    }
}

/// The trace's recorded GIL drop requests in time order, or `None` when it records none.
fn drop_requests(trace: &Trace) -> Option<Vec<(f64, usize)>> {
    let mut requests: Vec<(f64, usize)> = trace
        .events
        .iter()
        .filter(|e| e.kind == EventKind::GilDropRequest && e.t_s.is_finite())
        .map(|e| (e.t_s, e.lane))
        .collect();
    if requests.is_empty() {
        return None;
    }
    crate::core::sort::sort_by(&mut requests, |a, b| a.0.total_cmp(&b.0));
    Some(requests)
}

/// Where a lane stands at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Life {
    NotYet,
    Alive,
    Done,
}

fn cpu_prefix(spans: &[Span]) -> Vec<f64> {
    let mut sum = 0.0;
    spans
        .iter()
        .map(|s| {
            let before = sum;
            if s.state.on_cpu() {
                sum += s.end_s - s.start_s;
            }
            before
        })
        .collect()
}

/// The processes of a trace, in order of their index, with their chefs and loops.
fn processes_of(trace: &Trace) -> Vec<Process> {
    let mut processes: Vec<Process> = Vec::new();
    for lane in &trace.lanes {
        let p = match processes.iter().position(|p| p.index == lane.process) {
            Some(i) => i,
            None => {
                processes.push(Process {
                    index: lane.process,
                    chefs: Vec::new(),
                    loops: Vec::new(),
                });
                processes.len() - 1
            }
        };
        let process = &mut processes[p];
        match (lane.kind, lane.parent) {
            (LaneKind::Task, Some(parent)) => {
                match process.loops.iter_mut().find(|l| l.lane == parent) {
                    Some(l) => l.tasks.push(lane.id),
                    None => process.loops.push(EventLoop {
                        lane: parent,
                        tasks: vec![lane.id],
                        steps: Vec::new(),
                    }),
                }
            }
            _ => process.chefs.push(lane.id),
        }
    }
    crate::core::sort::sort_by_key(&mut processes, |p| p.index);
    for l in processes.iter_mut().flat_map(|p| p.loops.iter_mut()) {
        l.steps = l
            .tasks
            .iter()
            .flat_map(|&t| running_stretches(&trace.lanes[t].spans).map(move |(a, b)| (a, b, t)))
            .collect();
        crate::core::sort::sort_by(&mut l.steps, |a, b| a.0.total_cmp(&b.0));
    }
    processes
}

/// The stretches a lane spends running, adjacent running spans joined (a task's step may be
/// split at each line it runs).
fn running_stretches(spans: &[Span]) -> impl Iterator<Item = (f64, f64)> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < spans.len() && spans[i].state != State::Running {
            i += 1;
        }
        let start = spans.get(i)?.start_s;
        let mut end = spans[i].end_s;
        i += 1;
        while i < spans.len() && spans[i].state == State::Running && spans[i].start_s <= end {
            end = spans[i].end_s;
            i += 1;
        }
        Some((start, end))
    })
    .filter(|(a, b)| b > a)
}

/// Whether a state keeps a lane busy in a way the timeline's fold must not hide.
pub fn is_active(state: State) -> bool {
    matches!(
        state,
        State::Running | State::Spawning | State::WaitingGil | State::WaitingCore | State::Ready
    )
}
