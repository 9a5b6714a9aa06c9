//! The real-time driver: runs a program through the [`Interpreter`] trait, as the simulator
//! does, but on a real clock, handing the work to an executor.
//!
//! The simulator asks the interpreter what a thread does next and carries it out on its own
//! clock, cores and GILs. This driver asks the same questions and hands what takes time to
//! an executor instead: CPU turns to cook, sleeps to sleep, threads and processes to start.
//! It is sans-IO, a state machine with no clock, thread or OS of its own: [`Driver::start`]
//! and [`Driver::completed`] take the time it is now and return the [`Command`]s to carry
//! out; [`Driver::next_deadline`] says when an event loop's timer is due. The native
//! executor and a browser one share it, and tests feed it reports by hand.
//!
//! What is instant here: everything but the real work. A `Compute` of plain interpreter
//! work (no fast-path loop turns) costs no time, and the GIL, where the executor emulates
//! one, is only taken for the turns. The trace records what the executor reports: when a
//! thread started, cooked, waited for the GIL, slept; the interpreter's own lines, prints
//! and asyncio tasks, as in a simulated trace.

use std::collections::{HashMap, VecDeque};

use super::protocol::{Command, Report};
use crate::core::clock::{to_secs, Nanos};
use crate::core::interpreter::{Action, Interpreter};
use crate::core::recorder::{Recorder, TraceHeader};
use crate::core::simulator::STEP_BUDGET;
use crate::core::task_lanes::TaskLanes;
use crate::core::trace::{EventKind, LaneKind, MemorySample, Source, State, Stream, Trace};

/// Why a real-time run stopped without a trace.
#[derive(Debug, PartialEq)]
pub enum LiveError {
    /// The program took more than [`STEP_BUDGET`] actions.
    StepBudget { steps: u64, at_s: f64 },
    /// Every remaining thread waits for another and nothing is under way.
    Deadlock { at_s: f64, waiting: Vec<String> },
    /// The interpreted program failed (the interpreter knows why).
    ProgramFailed,
    /// The executor reported something that does not fit (a thread it was not asked for).
    Protocol(String),
}

impl std::fmt::Display for LiveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LiveError::StepBudget { steps, at_s } => write!(
                f,
                "stopped after {steps} steps at {at_s:.3} s: the program runs too long or never ends"
            ),
            LiveError::Deadlock { at_s, waiting } => {
                write!(f, "deadlock at {at_s:.3} s: {} wait forever", waiting.join(", "))
            }
            LiveError::ProgramFailed => write!(f, "the program failed"),
            LiveError::Protocol(why) => write!(f, "the executor reported {why}"),
        }
    }
}

impl std::error::Error for LiveError {}

/// Where a chef is in its life.
#[derive(Clone, Debug, PartialEq)]
enum Phase {
    /// Its next action is due.
    Ready,
    /// Cooking turns (a [`Command::Compute`] is out).
    Computing,
    Sleeping,
    /// Waiting for the chef it starts to run.
    StartingThread,
    /// Waiting for the start of a process to return.
    SpawningProcess,
    /// A new process's main thread while the process boots.
    Booting,
    /// Waiting for the interpreter to wake it.
    Blocked,
    /// An event loop in `select()`, until a timer (or forever) or a wake-up.
    Select(Option<Nanos>),
    /// A process's main thread that has ended, while the process exits; then `wakes` go on.
    Exiting(Vec<usize>),
    Done,
}

impl Phase {
    /// Whether the executor owes a report for this chef.
    fn awaits_executor(&self) -> bool {
        matches!(
            self,
            Phase::Computing
                | Phase::Sleeping
                | Phase::StartingThread
                | Phase::SpawningProcess
                | Phase::Booting
                | Phase::Exiting(_)
        )
    }
}

/// One interpreted thread and its lane.
struct Chef {
    lane: usize,
    name: String,
    kind: LaneKind,
    process: usize,
    phase: Phase,
    /// What it cooks now, for its running and GIL-waiting spans.
    label: String,
}

/// A thread or process asked for and not yet reported started.
struct Starting {
    name: String,
    kind: LaneKind,
    process: usize,
    parent: usize,
}

pub struct Driver<I: Interpreter> {
    interpreter: I,
    header: TraceHeader,
    source: Source,
    /// The executor makes the threads of a process take turns on a GIL for their turns.
    gil: bool,
    rec: Recorder,
    now: Nanos,
    /// Interpreter thread → its chef, once it exists.
    chefs: Vec<Option<Chef>>,
    starting: HashMap<usize, Starting>,
    /// Per process: its main thread, and who holds its GIL as the executor reported.
    process_main: Vec<usize>,
    gil_holder: Vec<Option<usize>>,
    runnable: VecDeque<usize>,
    tasks: TaskLanes,
    steps: u64,
    /// Per process: its last reported resident set (0 once it is gone).
    resident: Vec<u64>,
    memory: Vec<MemorySample>,
}

impl<I: Interpreter> Driver<I> {
    /// A driver for `interpreter`, whose thread 0 is the main thread, writing a trace with
    /// `header` and `source`.
    pub fn new(interpreter: I, header: TraceHeader, source: Source) -> Driver<I> {
        Driver {
            interpreter,
            rec: Recorder::new(header.profile.cores),
            header,
            source,
            gil: false,
            now: 0,
            chefs: Vec::new(),
            starting: HashMap::new(),
            process_main: Vec::new(),
            gil_holder: Vec::new(),
            runnable: VecDeque::new(),
            tasks: TaskLanes::default(),
            steps: 0,
            resident: Vec::new(),
            memory: Vec::new(),
        }
    }

    /// Says that the executor emulates a GIL: a thread given turns to cook waits for the GIL
    /// until the executor reports it holds it ([`Report::Gil`]).
    pub fn emulating_gil(mut self) -> Driver<I> {
        self.gil = true;
        self
    }

    pub fn interpreter(&self) -> &I {
        &self.interpreter
    }

    pub fn interpreter_mut(&mut self) -> &mut I {
        &mut self.interpreter
    }

    /// Starts the main thread at `now`. The executor's chef for thread 0 of process 0
    /// exists already (it is the program's own main thread).
    pub fn start(&mut self, now: Nanos) -> Result<Vec<Command>, LiveError> {
        self.now = now;
        self.new_process(0);
        let lane = self.rec.add_lane("main".into(), LaneKind::Main, 0, None);
        self.put_chef(0, lane, "main".into(), LaneKind::Main, 0);
        self.runnable.push_back(0);
        self.settle()
    }

    /// The executor reports `report`, which happened at `now`.
    pub fn completed(&mut self, report: Report, now: Nanos) -> Result<Vec<Command>, LiveError> {
        // Reports from different threads may arrive a little out of order: time only moves on.
        self.now = self.now.max(now);
        self.apply(report)?;
        self.settle()
    }

    /// When an event loop's timer is due, if one waits: report [`Report::Timer`] then.
    pub fn next_deadline(&self) -> Option<Nanos> {
        self.chefs
            .iter()
            .flatten()
            .filter_map(|c| match c.phase {
                Phase::Select(until) => until,
                _ => None,
            })
            .min()
    }

    /// Whether every thread has ended.
    pub fn is_done(&self) -> bool {
        self.starting.is_empty()
            && self
                .chefs
                .iter()
                .flatten()
                .all(|c| matches!(c.phase, Phase::Done))
    }

    /// The trace of the run, ended at `now`, and the interpreter.
    pub fn finish(self, now: Nanos) -> (Trace, I) {
        let end = self.now.max(now);
        let mut trace = self.rec.finish(end, self.header);
        trace.source = self.source;
        trace.peak_memory_bytes = self
            .memory
            .iter()
            .filter(|m| m.process.is_none())
            .map(|m| m.bytes)
            .max()
            .unwrap_or(0);
        trace.memory = self.memory;
        (trace, self.interpreter)
    }

    // ----- chefs ----------------------------------------------------------------------

    fn new_process(&mut self, main: usize) -> usize {
        self.rec.add_process();
        self.process_main.push(main);
        self.gil_holder.push(None);
        self.resident.push(0);
        self.process_main.len() - 1
    }

    fn put_chef(&mut self, id: usize, lane: usize, name: String, kind: LaneKind, process: usize) {
        if self.chefs.len() <= id {
            self.chefs.resize_with(id + 1, || None);
        }
        self.chefs[id] = Some(Chef {
            lane,
            name,
            kind,
            process,
            phase: Phase::Ready,
            label: String::new(),
        });
    }

    fn chef(&self, id: usize) -> Result<&Chef, LiveError> {
        self.chefs
            .get(id)
            .and_then(Option::as_ref)
            .ok_or_else(|| LiveError::Protocol(format!("thread {id}, which does not run")))
    }

    fn chef_mut(&mut self, id: usize) -> Result<&mut Chef, LiveError> {
        self.chefs
            .get_mut(id)
            .and_then(Option::as_mut)
            .ok_or_else(|| LiveError::Protocol(format!("thread {id}, which does not run")))
    }

    /// Thread `id` was in `expected`: its next action is due.
    fn resume(&mut self, id: usize, expected: &[Phase], what: &str) -> Result<(), LiveError> {
        let chef = self.chef_mut(id)?;
        if chef.phase == Phase::Done {
            // It ended while the executor worked for it (a daemon thread whose process ended).
            return Ok(());
        }
        if !expected.contains(&chef.phase) {
            return Err(LiveError::Protocol(format!(
                "{what} for thread {id}, which is {:?}",
                chef.phase
            )));
        }
        chef.phase = Phase::Ready;
        self.runnable.push_back(id);
        Ok(())
    }

    fn set(&mut self, id: usize, phase: Phase, state: State, label: &str) {
        let now = self.now;
        if let Some(chef) = self.chefs.get_mut(id).and_then(Option::as_mut) {
            chef.phase = phase;
            self.rec.set(chef.lane, now, state, label, None);
        }
    }

    fn wake_all(&mut self, wakes: Vec<usize>) {
        for id in wakes {
            let Some(chef) = self.chefs.get_mut(id).and_then(Option::as_mut) else {
                continue;
            };
            if matches!(chef.phase, Phase::Blocked | Phase::Select(_)) {
                chef.phase = Phase::Ready;
                self.runnable.push_back(id);
            }
        }
    }

    fn end_chef(&mut self, id: usize) {
        let now = self.now;
        if let Some(chef) = self.chefs.get_mut(id).and_then(Option::as_mut) {
            chef.phase = Phase::Done;
            self.rec.close(chef.lane, now);
            let name = chef.name.clone();
            self.rec.event(chef.lane, now, EventKind::LaneDone, name);
        }
    }

    // ----- the interpreter ------------------------------------------------------------

    /// Runs every chef whose next action is due until it waits for the executor or for
    /// another chef; returns the commands that came of it.
    fn settle(&mut self) -> Result<Vec<Command>, LiveError> {
        let mut commands = Vec::new();
        while let Some(id) = self.runnable.pop_front() {
            while self.chef(id)?.phase == Phase::Ready {
                self.steps += 1;
                if self.steps > STEP_BUDGET {
                    return Err(LiveError::StepBudget {
                        steps: self.steps,
                        at_s: to_secs(self.now),
                    });
                }
                if let Some(command) = self.next_action(id)? {
                    commands.push(command);
                }
            }
        }
        if !self.is_done() && self.stuck() {
            return Err(self.deadlock());
        }
        Ok(commands)
    }

    /// Nothing is due, under way or timed: nothing can ever happen again.
    fn stuck(&self) -> bool {
        self.next_deadline().is_none()
            && self
                .chefs
                .iter()
                .flatten()
                .all(|c| !c.phase.awaits_executor() && c.phase != Phase::Ready)
    }

    fn deadlock(&self) -> LiveError {
        LiveError::Deadlock {
            at_s: to_secs(self.now),
            waiting: self
                .chefs
                .iter()
                .flatten()
                .filter(|c| c.phase != Phase::Done)
                .map(|c| c.name.clone())
                .collect(),
        }
    }

    /// Asks the interpreter what thread `id` does next and does it: at once if it takes no
    /// time, or by a command to the executor.
    fn next_action(&mut self, id: usize) -> Result<Option<Command>, LiveError> {
        let now = self.now;
        let action = self.interpreter.next(id, now);
        let wakes = self.interpreter.take_wakes();
        let events = self.interpreter.take_task_events();
        for killed in self.interpreter.take_killed() {
            // Ended where it was (a daemon thread at its process's end): what the executor
            // still does for it is no longer waited for.
            self.end_chef(killed);
        }
        let chefs = &self.chefs;
        let loop_thread = |t: usize| {
            let c = chefs.get(t)?.as_ref()?;
            Some((c.process, c.lane))
        };
        self.tasks.apply(events, now, &mut self.rec, &loop_thread);
        let action = action.ok_or(LiveError::ProgramFailed)?;
        // Who waits for a thread to end goes on once it has ended (a process: after its exit).
        let wakes = if action == Action::Done {
            wakes
        } else {
            self.wake_all(wakes);
            Vec::new()
        };
        let (lane, process) = {
            let c = self.chef(id)?;
            (c.lane, c.process)
        };
        let command = match action {
            Action::Compute {
                label, line, turns, ..
            } => {
                self.rec.line(lane, now, line);
                let Some(turns) = turns.filter(|&t| t > 0) else {
                    return Ok(None);
                };
                self.chef_mut(id)?.label = label.clone();
                let state = if self.gil {
                    State::WaitingGil
                } else {
                    State::Running
                };
                self.set(id, Phase::Computing, state, &label);
                Command::Compute {
                    thread: id,
                    process,
                    turns,
                }
            }
            Action::Sleep { ns, label, line } => {
                self.rec.line(lane, now, line);
                self.set(id, Phase::Sleeping, State::Sleeping, &label);
                Command::Sleep {
                    thread: id,
                    process,
                    ns,
                }
            }
            Action::Print(text) => {
                self.rec.print(lane, now, text);
                return Ok(None);
            }
            Action::PrintErr(text) => {
                self.rec.print_to(lane, now, text, Stream::Stderr);
                return Ok(None);
            }
            Action::StartThread {
                child,
                name,
                helper,
            } => {
                let kind = if helper {
                    LaneKind::PoolWorker
                } else {
                    LaneKind::Thread
                };
                self.start_thread(id, child, name, kind)
            }
            Action::StartProcess { child, name } => self.start_process(id, child, name),
            Action::Block { label, line, until } => {
                self.rec.line(lane, now, line);
                // A wait with a timeout is asked again at its end, as a loop's timer is.
                let phase = match until {
                    Some(t) if t <= now => Phase::Ready,
                    Some(t) => Phase::Select(Some(t)),
                    None => Phase::Blocked,
                };
                self.set(id, phase, State::Blocked, &label);
                return Ok(None);
            }
            Action::Select { until } => {
                let phase = match until {
                    Some(t) if t <= now => Phase::Ready,
                    _ => Phase::Select(until),
                };
                self.set(id, phase, State::Idle, "waiting for events");
                return Ok(None);
            }
            Action::Done => return Ok(self.end(id, wakes)),
        };
        Ok(Some(command))
    }

    fn start_thread(
        &mut self,
        parent: usize,
        child: usize,
        name: String,
        kind: LaneKind,
    ) -> Command {
        let process = self.chefs[parent].as_ref().map_or(0, |c| c.process);
        let label = format!("start {name}");
        self.set(parent, Phase::StartingThread, State::Spawning, &label);
        self.starting.insert(
            child,
            Starting {
                name: name.clone(),
                kind,
                process,
                parent,
            },
        );
        Command::StartThread {
            thread: child,
            process,
            name,
        }
    }

    fn start_process(&mut self, parent: usize, child: usize, name: String) -> Command {
        let process = self.new_process(child);
        let label = format!("start {name}");
        self.set(parent, Phase::SpawningProcess, State::Spawning, &label);
        self.starting.insert(
            child,
            Starting {
                name: name.clone(),
                kind: LaneKind::Process,
                process,
                parent,
            },
        );
        Command::StartProcess {
            process,
            thread: child,
            name,
        }
    }

    /// Thread `id` has nothing more to do. A process's main thread still has its process to
    /// end; `wakes` (its joiners) go on once it is gone.
    fn end(&mut self, id: usize, wakes: Vec<usize>) -> Option<Command> {
        let (kind, process) = match self.chefs[id].as_ref() {
            Some(c) => (c.kind, c.process),
            None => return None,
        };
        if kind == LaneKind::Process {
            self.set(id, Phase::Exiting(wakes), State::Spawning, "process exit");
            return Some(Command::EndProcess { process });
        }
        self.wake_all(wakes);
        self.end_chef(id);
        Some(Command::EndThread {
            thread: id,
            process,
        })
    }

    // ----- reports --------------------------------------------------------------------

    fn apply(&mut self, report: Report) -> Result<(), LiveError> {
        match report {
            Report::ThreadStarted { thread } => self.thread_started(thread),
            Report::ProcessSpawned { process } => self.process_spawned(process),
            Report::ProcessStarted { process } => {
                let main = self.main_of(process)?;
                self.resume(main, &[Phase::Booting], "a process start")
            }
            Report::ProcessExited { process } => self.process_exited(process),
            Report::Computed { thread } => {
                self.resume(thread, &[Phase::Computing], "a computation")
            }
            Report::Slept { thread } => self.resume(thread, &[Phase::Sleeping], "a sleep"),
            Report::GilWait { thread } => {
                let chef = self.chef(thread)?;
                if chef.phase != Phase::Computing {
                    return Err(LiveError::Protocol(format!(
                        "a GIL wait for thread {thread}, which does not compute"
                    )));
                }
                let label = chef.label.clone();
                self.set(thread, Phase::Computing, State::WaitingGil, &label);
                Ok(())
            }
            Report::Gil {
                process,
                holder,
                dropped,
            } => self.gil_passed(process, holder, dropped),
            Report::Memory { process, bytes } => {
                self.main_of(process)?;
                self.resident_set(process, bytes);
                Ok(())
            }
            Report::Timer => {
                let now = self.now;
                for (id, chef) in self.chefs.iter_mut().enumerate() {
                    if let Some(chef) = chef {
                        if matches!(chef.phase, Phase::Select(Some(t)) if t <= now) {
                            chef.phase = Phase::Ready;
                            self.runnable.push_back(id);
                        }
                    }
                }
                Ok(())
            }
        }
    }

    fn main_of(&self, process: usize) -> Result<usize, LiveError> {
        self.process_main
            .get(process)
            .copied()
            .ok_or_else(|| LiveError::Protocol(format!("process {process}, which was not started")))
    }

    fn thread_started(&mut self, thread: usize) -> Result<(), LiveError> {
        let s = self
            .starting
            .remove(&thread)
            .filter(|s| s.kind != LaneKind::Process)
            .ok_or_else(|| LiveError::Protocol(format!("thread {thread} started unasked")))?;
        let lane = self.rec.add_lane(s.name.clone(), s.kind, s.process, None);
        let parent_lane = self.chef(s.parent)?.lane;
        self.rec.event(
            parent_lane,
            self.now,
            EventKind::ThreadStarted,
            s.name.clone(),
        );
        self.put_chef(thread, lane, s.name, s.kind, s.process);
        self.runnable.push_back(thread);
        self.resume(s.parent, &[Phase::StartingThread], "a thread start")
    }

    fn process_spawned(&mut self, process: usize) -> Result<(), LiveError> {
        let main = self.main_of(process)?;
        let s = self
            .starting
            .remove(&main)
            .ok_or_else(|| LiveError::Protocol(format!("process {process} spawned twice")))?;
        let lane = self
            .rec
            .add_lane(s.name.clone(), LaneKind::Process, process, None);
        let parent_lane = self.chef(s.parent)?.lane;
        self.rec.event(
            parent_lane,
            self.now,
            EventKind::ProcessStarted,
            s.name.clone(),
        );
        self.put_chef(main, lane, s.name, LaneKind::Process, process);
        self.set(main, Phase::Booting, State::Spawning, "process boot");
        self.resume(s.parent, &[Phase::SpawningProcess], "a process spawn")
    }

    fn process_exited(&mut self, process: usize) -> Result<(), LiveError> {
        let main = self.main_of(process)?;
        let Phase::Exiting(wakes) = self.chef(main)?.phase.clone() else {
            return Err(LiveError::Protocol(format!(
                "process {process} exited before its main thread ended"
            )));
        };
        self.wake_all(wakes);
        // Whatever else still ran in it is gone with it.
        let inside: Vec<usize> = (0..self.chefs.len())
            .filter(|&id| {
                self.chefs[id]
                    .as_ref()
                    .is_some_and(|c| c.process == process && c.phase != Phase::Done)
            })
            .collect();
        for id in inside {
            self.end_chef(id);
        }
        self.gil_holder[process] = None;
        self.rec.gil_holder(process, self.now, None);
        self.resident_set(process, 0);
        Ok(())
    }

    fn gil_passed(
        &mut self,
        process: usize,
        holder: Option<usize>,
        dropped: bool,
    ) -> Result<(), LiveError> {
        self.main_of(process)?;
        let old = std::mem::replace(&mut self.gil_holder[process], holder);
        let new_lane = match holder {
            Some(t) => Some(self.chef(t)?.lane),
            None => None,
        };
        self.rec.gil_holder(process, self.now, new_lane);
        if let Some(old) = old.filter(|&o| Some(o) != holder) {
            // Made to let go, it waits again; letting go of its own, its step is over (the
            // report that it computed follows).
            let (state, label) = if dropped {
                (State::WaitingGil, self.chef(old)?.label.clone())
            } else {
                (State::Running, String::new())
            };
            if self.chef(old)?.phase == Phase::Computing {
                self.set(old, Phase::Computing, state, &label);
            }
        }
        if let Some(new) = holder {
            let chef = self.chef(new)?;
            if chef.phase != Phase::Computing {
                return Err(LiveError::Protocol(format!(
                    "the GIL given to thread {new}, which does not compute"
                )));
            }
            let label = chef.label.clone();
            self.set(new, Phase::Computing, State::Running, &label);
            if let Some(old) = old.filter(|&o| o != new) {
                let why = if dropped {
                    "switch interval"
                } else {
                    "its CPU step ended"
                };
                let detail = format!("to {}: {why}", self.chef(new)?.name);
                let old_lane = self.chef(old)?.lane;
                self.rec
                    .event(old_lane, self.now, EventKind::GilHandoff, detail);
            }
        }
        Ok(())
    }

    /// `process`'s resident set is `bytes` now: its own sample, and the program's total.
    fn resident_set(&mut self, process: usize, bytes: u64) {
        let t_s = to_secs(self.now);
        self.resident[process] = bytes;
        self.memory.push(MemorySample {
            t_s,
            bytes,
            process: Some(process),
        });
        let total = self.resident.iter().sum();
        let last_total = self.memory.iter().rev().find(|m| m.process.is_none());
        if last_total.is_none_or(|m| m.bytes != total) {
            self.memory.push(MemorySample {
                t_s,
                bytes: total,
                process: None,
            });
        }
    }
}
