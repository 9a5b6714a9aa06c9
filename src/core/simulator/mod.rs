//! The simulator: CPython's threads, processes and GILs on a machine's cores, advanced event by
//! event on a simulated clock.
//!
//! What each simulated thread does next is up to an [`Interpreter`] (the Python interpreter in
//! `crate::python`, which the core knows only through that trait): compute for a while, sleep,
//! print, start a thread or process, block until woken, wait in an event loop's `select()`.
//! The simulator owns the rules no program may bend: Python code needs its process's GIL
//! ([`Gil`]), computing needs a core ([`Cores`]), sleeping and waiting release the GIL, and
//! starting threads and processes, and ending a process, costs what the [`Profile`] says.
//!
//! The main loop alternates two phases until every thread has ended:
//! 1. *settle*: let every thread that holds the GIL and is free to go on run its instant
//!    actions (print, start, join...) until it computes, sleeps or waits;
//! 2. *advance*: jump to the earliest next event (a computation ending, a sleep ending, a GIL
//!    drop request, a time slice ending) and apply what happens then.
//!
//! Ties are broken by core and thread number, so the same program always gives the same trace.
//!
//! Every waiting span says what it waits for (`Span::wait`), so a view can join the waiter to
//! what will wake it: the GIL and its holder, a core, a thread being started, the loop's next
//! timer are the simulator's to say; what an interpreted thread or task waits for (a sleep, a
//! lock, a join, an `await`) the interpreter says, and `interpreted.rs` turns its threads and
//! tasks into lanes. When a GIL waiter's switch interval runs out, the trace records its drop
//! request (`EventKind::GilDropRequest`) at the moment of the forced switch it causes.

mod interpreted;
mod timers;

use std::collections::VecDeque;

use super::clock::{to_secs, Nanos};
use super::cores::Cores;
use super::gil::Gil;
use super::interpreter::{Interpreter, WaitingFor};
use super::profile::{CheckedProfile, Profile};
use super::recorder::{Recorder, TraceHeader};
use super::task_lanes::TaskLanes;
use super::trace::{EventKind, LaneKind, State, Trace, Wait, WaitOn};
use timers::{DropRequests, Timers};

/// Most actions a run may take before it is stopped (an endless program must not freeze a tab).
pub const STEP_BUDGET: u64 = 5_000_000;

/// Why a simulation stopped without a trace.
#[derive(Debug, PartialEq)]
pub enum SimError {
    /// The program took more than [`STEP_BUDGET`] actions.
    StepBudget { steps: u64, at_s: f64 },
    /// Every remaining thread waits for another: nothing can ever happen again.
    Deadlock { at_s: f64, waiting: Vec<String> },
    /// The interpreted program failed (the interpreter knows why).
    ProgramFailed,
}

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SimError::StepBudget { steps, at_s } => write!(
                f,
                "stopped after {steps} steps at {at_s:.3} s of simulated time: the program runs too long or never ends"
            ),
            SimError::Deadlock { at_s, waiting } => {
                write!(f, "deadlock at {at_s:.3} s: {} wait forever", waiting.join(", "))
            }
            SimError::ProgramFailed => write!(f, "the program failed"),
        }
    }
}

impl std::error::Error for SimError {}

/// What kind of work a computation is, for the trace.
#[derive(Clone, Debug)]
enum Then {
    /// Plain Python work.
    Continue,
    /// The OS part of `Thread.start()`; the thread is created when it is done.
    StartThread {
        name: String,
        id: usize,
        kind: LaneKind,
    },
    /// The `fork` of `Process.start()`; the process exists when it is done.
    StartProcess { name: String, id: usize },
    /// A process's end after its target returned; then it is gone, and the interpreter
    /// threads its end woke (a `join()`) go on.
    Exit { wakes: Vec<usize> },
}

#[derive(Clone, Debug)]
enum WaitKind {
    /// `Thread.start()` waits until the new thread has run (CPython's `_started` event).
    Started,
    /// An event loop in `select()`, until a timer (or forever) or a wake-up.
    Select { until: Option<Nanos> },
    /// An interpreted thread waiting for the interpreter to wake it (a lock, a join...),
    /// or until `until` when its wait has a timeout.
    Interpreter { until: Option<Nanos> },
}

#[derive(Clone, Debug)]
enum Phase {
    /// Needs the GIL to go on.
    WantGil,
    /// Holds the GIL and goes on with what the interpreter says.
    Go,
    Compute {
        remaining: Nanos,
        label: String,
        state: State,
        then: Then,
    },
    Sleep {
        until: Nanos,
    },
    Wait(WaitKind),
    Done,
}

struct Thread {
    lane: usize,
    name: String,
    kind: LaneKind,
    process: usize,
    phase: Phase,
    holds_gil: bool,
    /// The interpreter's number for this thread.
    id: usize,
    /// The thread that started this process, for a process's main thread.
    parent: Option<usize>,
    /// Child processes this thread started that have not ended (a fork costs more with each).
    live_children: usize,
    /// The thread blocked in `start()` until this one runs.
    started_by: Option<usize>,
    /// CPU time the new process spends booting before its target runs.
    boot: Nanos,
}

struct Process {
    gil: Gil,
}

pub struct Simulator<'a> {
    profile: Profile,
    interpreter: &'a mut dyn Interpreter,
    /// Interpreter thread → simulator thread.
    interpreted: Vec<Option<usize>>,
    /// Interpreter task → its lane.
    task_lanes: TaskLanes,
    now: Nanos,
    threads: Vec<Thread>,
    processes: Vec<Process>,
    cores: Cores,
    rec: Recorder,
    runnable: VecDeque<usize>,
    /// When sleeping threads and waiting event loops wake.
    timers: Timers,
    /// When each process's GIL holder will be asked to drop it.
    drop_requests: DropRequests,
    /// Threads not yet ended.
    live: usize,
    steps: u64,
    memory: u64,
}

/// Runs an interpreted program (its thread 0 is the main thread) on the machine `profile`
/// describes, and returns its trace. The profile was checked where it entered the run (see
/// [`CheckedProfile`]), so the interpreter sees the same machine; `header.profile` is set to it.
pub fn simulate(
    interpreter: &mut dyn Interpreter,
    profile: &CheckedProfile,
    mut header: TraceHeader,
) -> Result<Trace, SimError> {
    header.profile = profile.profile().clone();
    let mut sim = Simulator::new(profile.profile().clone(), interpreter);
    sim.start_main();
    sim.run()?;
    Ok(sim.rec.finish(sim.now, header))
}

impl<'a> Simulator<'a> {
    fn new(profile: Profile, interpreter: &'a mut dyn Interpreter) -> Simulator<'a> {
        Simulator {
            interpreter,
            interpreted: Vec::new(),
            task_lanes: TaskLanes::default(),
            cores: Cores::new(profile.cores),
            rec: Recorder::new(profile.cores),
            memory: profile.base_memory_bytes,
            profile,
            now: 0,
            threads: Vec::new(),
            processes: Vec::new(),
            runnable: VecDeque::new(),
            timers: Timers::default(),
            drop_requests: DropRequests::default(),
            live: 0,
            steps: 0,
        }
    }

    fn start_main(&mut self) {
        self.new_process();
        self.rec.memory(0, self.memory);
        let t = self.new_thread("main".into(), LaneKind::Main, 0, 0);
        self.want_gil(t);
    }

    fn new_process(&mut self) -> usize {
        self.processes.push(Process {
            gil: Gil::default(),
        });
        self.rec.add_process();
        self.processes.len() - 1
    }

    fn new_thread(&mut self, name: String, kind: LaneKind, process: usize, id: usize) -> usize {
        let lane = self.rec.add_lane(name.clone(), kind, process, None);
        if self.interpreted.len() <= id {
            self.interpreted.resize(id + 1, None);
        }
        self.interpreted[id] = Some(self.threads.len());
        self.threads.push(Thread {
            lane,
            name,
            kind,
            process,
            phase: Phase::WantGil,
            holds_gil: false,
            id,
            parent: None,
            live_children: 0,
            started_by: None,
            boot: 0,
        });
        self.live += 1;
        self.threads.len() - 1
    }

    fn set_memory(&mut self, bytes: u64) {
        self.memory = bytes;
        self.rec.memory(self.now, bytes);
    }

    fn run(&mut self) -> Result<(), SimError> {
        loop {
            while let Some(t) = self.runnable.pop_front() {
                self.go(t)?;
            }
            if self.live == 0 {
                return Ok(());
            }
            let Some(next) = self.next_event() else {
                return Err(self.deadlock());
            };
            self.steps += 1;
            if self.steps > STEP_BUDGET {
                return Err(SimError::StepBudget {
                    steps: self.steps,
                    at_s: super::clock::to_secs(self.now),
                });
            }
            self.advance(next);
            self.fire_events();
        }
    }

    fn deadlock(&self) -> SimError {
        let waiting = self
            .threads
            .iter()
            .filter(|t| !matches!(t.phase, Phase::Done))
            .map(|t| t.name.clone())
            .collect();
        SimError::Deadlock {
            at_s: super::clock::to_secs(self.now),
            waiting,
        }
    }

    // ----- the GIL ------------------------------------------------------------------------

    fn want_gil(&mut self, t: usize) {
        // Already holding or queued (e.g. woken twice before it ran): one request is enough.
        if self.threads[t].holds_gil || self.processes[self.threads[t].process].gil.is_waiting(t) {
            return;
        }
        self.threads[t].phase = Phase::WantGil;
        let (process, lane) = (self.threads[t].process, self.threads[t].lane);
        let interval = self.profile.switch_interval();
        // The free-threaded what-if has no GIL to wait for (and none to record).
        let before = self.processes[process].gil.drop_at();
        let granted = self.profile.free_threaded
            || self.processes[process].gil.request(t, self.now, interval);
        self.drop_requests
            .moved(process, before, self.processes[process].gil.drop_at());
        if granted {
            self.granted_gil(t);
        } else {
            let wait = self.gil_wait(process);
            self.rec
                .set_waiting(lane, self.now, State::WaitingGil, "", wait);
        }
    }

    /// Waiting for `process`'s GIL, held by its holder now.
    fn gil_wait(&self, process: usize) -> Wait {
        let holder = self.processes[process].gil.holder();
        Wait {
            on: WaitOn::Gil,
            what: "the GIL".into(),
            until_s: None,
            lane: holder.map(|h| self.threads[h].lane),
        }
    }

    fn granted_gil(&mut self, t: usize) {
        let thread = &mut self.threads[t];
        thread.holds_gil = true;
        let (process, lane) = (thread.process, thread.lane);
        if !self.profile.free_threaded {
            self.rec.gil_holder(process, self.now, Some(lane));
        }
        match thread.phase {
            Phase::Compute { .. } => self.take_core(t),
            _ => {
                thread.phase = Phase::Go;
                self.runnable.push_back(t);
            }
        }
        // Who began waiting for the GIL at this instant waits for its new holder.
        for w in self.processes[process].gil.waiters() {
            self.rec
                .rewait_opened_now(self.threads[w].lane, self.now, lane);
        }
    }

    fn release_gil(&mut self, t: usize, why: &str) {
        if !std::mem::take(&mut self.threads[t].holds_gil) || self.profile.free_threaded {
            return;
        }
        let process = self.threads[t].process;
        let before = self.processes[process].gil.drop_at();
        let next = self.processes[process]
            .gil
            .release(self.now, self.profile.switch_interval());
        self.drop_requests
            .moved(process, before, self.processes[process].gil.drop_at());
        self.rec.gil_holder(process, self.now, None);
        if let Some(next) = next {
            let lane = self.threads[t].lane;
            self.rec.event(
                lane,
                self.now,
                EventKind::GilHandoff,
                format!("to {}: {why}", self.threads[next].name),
            );
            self.granted_gil(next);
        }
    }

    // ----- cores --------------------------------------------------------------------------

    /// `t` holds the GIL and has CPU work: onto a core, or into the core queue.
    fn take_core(&mut self, t: usize) {
        let slice = self.profile.os_timeslice();
        match self.cores.request(t, self.now, slice) {
            Some(core) => self.show_on_core(t, core),
            None => {
                let (lane, label) = (self.threads[t].lane, self.compute_label(t));
                let wait = core_wait(None);
                self.rec
                    .set_waiting(lane, self.now, State::WaitingCore, &label, wait);
            }
        }
    }

    fn show_on_core(&mut self, t: usize, core: u32) {
        let lane = self.threads[t].lane;
        let (state, label) = match &self.threads[t].phase {
            Phase::Compute { state, label, .. } => (*state, label.clone()),
            _ => (State::Running, String::new()),
        };
        self.rec.set(lane, self.now, state, &label, Some(core));
        self.rec.core_user(core, self.now, Some(lane));
    }

    fn compute_label(&self, t: usize) -> String {
        match &self.threads[t].phase {
            Phase::Compute { label, .. } => label.clone(),
            _ => String::new(),
        }
    }

    /// `t` stops computing: its core (if any) goes to the next queued thread.
    fn leave_core(&mut self, t: usize) {
        if let Some((core, next)) = self.cores.release(t, self.now, self.profile.os_timeslice()) {
            match next {
                Some(next) => self.show_on_core(next, core),
                None => self.rec.core_user(core, self.now, None),
            }
        }
    }

    // ----- running a thread's actions ----------------------------------------------------

    /// Runs `t`'s instant actions until it computes, sleeps, waits or ends.
    fn go(&mut self, t: usize) -> Result<(), SimError> {
        // It may have lost the GIL to a forced switch since it was queued to go on.
        if !self.threads[t].holds_gil || !matches!(self.threads[t].phase, Phase::Go) {
            return Ok(());
        }
        if let Some(parent) = self.threads[t].started_by.take() {
            self.want_gil(parent);
        }
        let boot = std::mem::take(&mut self.threads[t].boot);
        if boot > 0 {
            self.compute(
                t,
                boot,
                "process boot".into(),
                State::Spawning,
                Then::Continue,
            );
            return Ok(());
        }
        while matches!(self.threads[t].phase, Phase::Go) {
            self.steps += 1;
            if self.steps > STEP_BUDGET {
                return Err(SimError::StepBudget {
                    steps: self.steps,
                    at_s: super::clock::to_secs(self.now),
                });
            }
            self.next_action(t)?;
        }
        Ok(())
    }

    /// `time.sleep`: the GIL is free until the sleep ends. `waiting` says what for, as the
    /// interpreter knows it (a sleep, or data through a pipe).
    fn sleep(&mut self, t: usize, ns: Nanos, label: &str, waiting: Option<WaitingFor>) {
        self.release_gil(t, "sleeping releases the GIL");
        let until = self.now.saturating_add(ns);
        self.threads[t].phase = Phase::Sleep { until };
        self.timers.add(until, t);
        let lane = self.threads[t].lane;
        let mut wait = match waiting {
            Some(w) => self.trace_wait(w),
            None => Wait {
                on: WaitOn::Timer,
                what: label.to_string(),
                until_s: None,
                lane: None,
            },
        };
        wait.until_s = Some(to_secs(until));
        self.rec
            .set_waiting(lane, self.now, State::Sleeping, label, wait);
    }

    /// `Process.start()`: the fork costs more the more children still run.
    fn start_process(&mut self, t: usize, name: String, id: usize) {
        let live = self.threads[t].live_children;
        let cost = self.profile.process_start_with(live);
        let label = format!("start {name}");
        let then = Then::StartProcess { name, id };
        self.compute(t, cost, label, State::Spawning, then);
    }

    fn start_interpreted(&mut self, t: usize, child: usize, name: String, kind: LaneKind) {
        if kind == LaneKind::Process {
            return self.start_process(t, name, child);
        }
        let then = Then::StartThread {
            name: name.clone(),
            id: child,
            kind,
        };
        let cost = self.profile.thread_start();
        self.compute(t, cost, format!("start {name}"), State::Spawning, then);
    }

    /// `t` computes for `ns` (holding the GIL), then does `then`.
    fn compute(&mut self, t: usize, ns: Nanos, label: String, state: State, then: Then) {
        if ns == 0 {
            self.threads[t].phase = Phase::Go;
            self.computed(t, then);
            return;
        }
        self.threads[t].phase = Phase::Compute {
            remaining: ns,
            label,
            state,
            then,
        };
        self.take_core(t);
    }

    /// A computation of `t` ended; carry out what it was for.
    fn computed(&mut self, t: usize, then: Then) {
        self.threads[t].phase = Phase::Go;
        match then {
            Then::Continue => self.runnable.push_back(t),
            Then::Exit { wakes } => {
                self.wake_all(wakes);
                self.finish(t);
            }
            Then::StartThread { name, id, kind } => {
                let process = self.threads[t].process;
                let child = self.new_thread(name.clone(), kind, process, id);
                self.threads[child].started_by = Some(t);
                self.rec.event(
                    self.threads[t].lane,
                    self.now,
                    EventKind::ThreadStarted,
                    name.clone(),
                );
                self.set_memory(self.memory + self.profile.thread_memory_bytes);
                let started = Wait {
                    on: WaitOn::Thread,
                    what: format!("{name}.start()"),
                    until_s: None,
                    lane: Some(self.threads[child].lane),
                };
                self.wait(
                    t,
                    WaitKind::Started,
                    &format!("wait for {name} to start"),
                    Some(started),
                );
                self.want_gil(child);
            }
            Then::StartProcess { name, id } => {
                let process = self.new_process();
                let child = self.new_thread(name.clone(), LaneKind::Process, process, id);
                self.threads[child].boot = self.profile.process_boot();
                self.threads[child].parent = Some(t);
                self.threads[t].live_children += 1;
                self.rec.event(
                    self.threads[t].lane,
                    self.now,
                    EventKind::ProcessStarted,
                    name,
                );
                self.set_memory(self.memory + self.profile.process_memory_bytes);
                self.want_gil(child);
                self.runnable.push_back(t);
            }
        }
    }

    /// `t` waits (without the GIL) in a way of `kind`, for what `wait` says when known.
    fn wait(&mut self, t: usize, kind: WaitKind, label: &str, wait: Option<Wait>) {
        let state = if matches!(kind, WaitKind::Select { .. }) {
            State::Idle
        } else {
            State::Blocked
        };
        self.release_gil(t, "waiting releases the GIL");
        if let WaitKind::Select { until: Some(until) }
        | WaitKind::Interpreter { until: Some(until) } = kind
        {
            self.timers.add(until, t);
        }
        self.threads[t].phase = Phase::Wait(kind);
        let lane = self.threads[t].lane;
        match wait {
            Some(wait) => self.rec.set_waiting(lane, self.now, state, label, wait),
            None => self.rec.set(lane, self.now, state, label, None),
        }
    }

    fn finish(&mut self, t: usize) {
        self.release_gil(t, "thread ended");
        self.threads[t].phase = Phase::Done;
        self.live -= 1;
        if let Some(parent) = self.threads[t].parent {
            self.threads[parent].live_children -= 1;
        }
        let lane = self.threads[t].lane;
        self.rec.close(lane, self.now);
        self.rec.event(
            lane,
            self.now,
            EventKind::LaneDone,
            self.threads[t].name.clone(),
        );
        let freed = match self.threads[t].kind {
            LaneKind::Process => self.profile.process_memory_bytes,
            LaneKind::Main => 0,
            _ => self.profile.thread_memory_bytes,
        };
        self.set_memory(self.memory.saturating_sub(freed));
    }

    // ----- advancing time ---------------------------------------------------------------

    /// Until when thread `t` sleeps or its event loop waits, if it does.
    fn waits_until(threads: &[Thread], t: usize) -> Option<Nanos> {
        match &threads[t].phase {
            Phase::Sleep { until } => Some(*until),
            Phase::Wait(WaitKind::Select { until }) => *until,
            Phase::Wait(WaitKind::Interpreter { until }) => *until,
            _ => None,
        }
    }

    fn next_event(&mut self) -> Option<Nanos> {
        let threads = &self.threads;
        let timer = self.timers.next(|t| Self::waits_until(threads, t));
        let computing = self
            .cores
            .running()
            .filter_map(|(_, t)| match &self.threads[t].phase {
                Phase::Compute { remaining, .. } => Some(self.now.saturating_add(*remaining)),
                _ => None,
            });
        let drops = self.drop_requests.next();
        computing
            .chain(timer)
            .chain(drops)
            .chain(self.cores.next_preemption())
            .min()
    }

    fn advance(&mut self, to: Nanos) {
        let dt = to.saturating_sub(self.now);
        let running: Vec<usize> = self.cores.running().map(|(_, t)| t).collect();
        for t in running {
            if let Phase::Compute { remaining, .. } = &mut self.threads[t].phase {
                *remaining = remaining.saturating_sub(dt);
            }
        }
        self.now = to;
    }

    fn fire_events(&mut self) {
        let now = self.now;
        let finished: Vec<usize> = self
            .cores
            .running()
            .filter(|&(_, t)| matches!(self.threads[t].phase, Phase::Compute { remaining: 0, .. }))
            .map(|(_, t)| t)
            .collect();
        for t in finished {
            self.leave_core(t);
            if let Phase::Compute { then, .. } =
                std::mem::replace(&mut self.threads[t].phase, Phase::Go)
            {
                self.computed(t, then);
            }
        }
        let threads = &self.threads;
        for t in self.timers.due(now, |t| Self::waits_until(threads, t)) {
            self.want_gil(t);
        }
        for p in self.drop_requests.due(now) {
            if self.processes[p].gil.drop_at().is_some_and(|at| at <= now) {
                self.force_gil_switch(p);
            }
        }
        for (core, old, new) in self.cores.preempt(now, self.profile.os_timeslice()) {
            let (lane, label) = (self.threads[old].lane, self.compute_label(old));
            let wait = core_wait(Some(self.threads[new].lane));
            self.rec
                .set_waiting(lane, now, State::WaitingCore, &label, wait);
            self.show_on_core(new, core);
        }
    }

    /// The switch interval ran out: the holder drops the GIL for the next waiter.
    fn force_gil_switch(&mut self, p: usize) {
        let interval = self.profile.switch_interval();
        let before = self.processes[p].gil.drop_at();
        let switched = self.processes[p].gil.force_switch(self.now, interval);
        self.drop_requests
            .moved(p, before, self.processes[p].gil.drop_at());
        let Some((old, new)) = switched else {
            return;
        };
        self.threads[old].holds_gil = false;
        if matches!(self.threads[old].phase, Phase::Go) {
            // Between two actions: it goes on once it has the GIL back.
            self.threads[old].phase = Phase::WantGil;
        }
        self.leave_core(old);
        let (lane, label) = (self.threads[old].lane, self.compute_label(old));
        // The first waiter's switch interval ran out: it asked the holder to drop the GIL.
        let request = format!(
            "{} has held the GIL for the switch interval of {} ms",
            self.threads[old].name,
            self.profile.switch_interval_s * 1e3
        );
        let waiter = self.threads[new].lane;
        self.rec
            .event(waiter, self.now, EventKind::GilDropRequest, request);
        let wait = Wait {
            on: WaitOn::Gil,
            what: "the GIL".into(),
            until_s: None,
            lane: Some(waiter),
        };
        self.rec
            .set_waiting(lane, self.now, State::WaitingGil, &label, wait);
        let detail = format!(
            "to {}: switch interval of {} ms",
            self.threads[new].name,
            self.profile.switch_interval_s * 1e3
        );
        self.rec
            .event(lane, self.now, EventKind::GilHandoff, detail);
        self.granted_gil(new);
    }
}

/// Waiting for a free core; `taken_by` is the lane that took this thread's core, if one did.
fn core_wait(taken_by: Option<usize>) -> Wait {
    Wait {
        on: WaitOn::Core,
        what: "a free core".into(),
        until_s: None,
        lane: taken_by,
    }
}
