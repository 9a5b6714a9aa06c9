//! The simulator: CPython's threads, processes and GILs on a machine's cores, advanced event by
//! event on a simulated clock.
//!
//! Each simulated thread has a *driver* that says what it does next: a plain script, an event
//! loop ([`EventLoop`]) or a pool worker ([`ThreadPool`]). The simulator owns the rules that no
//! driver may bend: Python code needs its process's GIL ([`Gil`]), computing needs a core
//! ([`Cores`]), sleeping and waiting release the GIL, and starting threads and processes costs
//! what the [`Profile`] says.
//!
//! The main loop alternates two phases until every thread has ended:
//! 1. *settle*: let every thread that holds the GIL and is free to go on run its instant
//!    actions (print, start, join...) until it computes, sleeps or waits;
//! 2. *advance*: jump to the earliest next event (a computation ending, a sleep ending, a GIL
//!    drop request, a time slice ending) and apply what happens then.
//!
//! Ties are broken by core and thread number, so the same program always gives the same trace.

use std::collections::VecDeque;

use super::clock::{from_secs, Nanos};
use super::cores::Cores;
use super::event_loop::{EventLoop, LoopAction};
use super::gil::Gil;
use super::interpreter::{self, Interpreter, TaskEvent};
use super::profile::Profile;
use super::program::{Program, Step};
use super::recorder::{Recorder, TraceHeader};
use super::thread_pool::{Job, Reply, ThreadPool};
use super::trace::{EventKind, LaneKind, State, Trace};

/// Most actions a run may take before it is stopped (an endless program must not freeze a tab).
pub const STEP_BUDGET: u64 = 5_000_000;

/// Why a simulation stopped without a trace.
#[derive(Debug, PartialEq)]
pub enum SimError {
    /// The program took more than [`STEP_BUDGET`] actions.
    StepBudget { steps: u64, at_s: f64 },
    /// Every remaining thread waits for another: nothing can ever happen again.
    Deadlock { at_s: f64, waiting: Vec<String> },
    /// A `join` named a child that was never started.
    NoSuchChild { lane: String, child: usize },
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
            SimError::NoSuchChild { lane, child } => {
                write!(f, "{lane} joins child #{child}, which it never started")
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
        kind: LaneKind,
        driver: Driver,
    },
    /// The `fork` of `Process.start()`; the process exists when it is done.
    StartProcess { name: String, driver: Driver },
}

#[derive(Clone, Debug)]
enum Wait {
    Join,
    /// `Thread.start()` waits until the new thread has run (CPython's `_started` event).
    Started,
    /// An event loop in `select()`, until a timer (or forever) or a wake-up.
    Select {
        until: Option<Nanos>,
    },
    /// A pool worker on an empty queue.
    Work,
    /// An interpreted thread waiting for the interpreter to wake it (a lock, a join...).
    Interpreter,
}

#[derive(Clone, Debug)]
enum Phase {
    /// Needs the GIL to go on.
    WantGil,
    /// Holds the GIL and goes on with its driver.
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
    Wait(Wait),
    Done,
}

/// A script being run, step by step.
#[derive(Clone, Debug)]
struct Script {
    steps: Vec<Step>,
    pc: usize,
}

impl Script {
    fn new(steps: Vec<Step>) -> Script {
        Script { steps, pc: 0 }
    }
    fn next(&mut self) -> Option<Step> {
        let step = self.steps.get(self.pc).cloned();
        self.pc += 1;
        step
    }
}

#[derive(Clone, Debug)]
enum Driver {
    Script(Script),
    /// Inside `asyncio.run`; `after` is the rest of the script once the loop ends.
    Loop {
        event_loop: usize,
        after: Script,
    },
    Worker {
        pool: usize,
        job: Option<(Script, Reply)>,
    },
    /// A thread of an interpreted program: the interpreter says what it does.
    Interpreted(usize),
}

/// What a driver asks for next.
enum Action {
    Compute {
        ns: Nanos,
        label: String,
    },
    Step(Step),
    ToThread {
        event_loop: usize,
        task: usize,
        label: String,
        body: Vec<Step>,
    },
    Wait(Wait, String),
    /// Start a thread or process of the interpreted program.
    StartInterpreted {
        child: usize,
        name: String,
        process: bool,
    },
    /// The interpreted program failed.
    Fail,
    Done,
}

struct Thread {
    lane: usize,
    name: String,
    kind: LaneKind,
    process: usize,
    phase: Phase,
    holds_gil: bool,
    driver: Driver,
    children: Vec<usize>,
    joiners: Vec<usize>,
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
    interpreter: Option<&'a mut dyn Interpreter>,
    /// Interpreter thread → simulator thread.
    interpreted: Vec<Option<usize>>,
    /// Interpreter task → its lane.
    task_lanes: std::collections::HashMap<usize, usize>,
    now: Nanos,
    threads: Vec<Thread>,
    processes: Vec<Process>,
    cores: Cores,
    loops: Vec<EventLoop>,
    pools: Vec<ThreadPool>,
    rec: Recorder,
    runnable: VecDeque<usize>,
    steps: u64,
    memory: u64,
}

/// Runs `program` on the machine `profile` describes and returns its trace.
pub fn simulate(
    program: &Program,
    profile: Profile,
    scenario: &str,
    title: &str,
) -> Result<Trace, SimError> {
    let (profile, clamps) = profile.clamped();
    let notes = clamps.iter().map(|c| c.to_string()).collect();
    let mut sim = Simulator::new(profile.clone());
    sim.start_main(Driver::Script(Script::new(program.main.clone())));
    sim.run()?;
    let header = TraceHeader {
        scenario: scenario.to_string(),
        title: title.to_string(),
        profile,
        notes,
        code: None,
    };
    Ok(sim.rec.finish(sim.now, header))
}

/// Runs an interpreted program (its thread 0 is the main thread) on the machine `profile`
/// describes, and returns its trace. `header.profile` is replaced by the clamped profile.
pub fn simulate_interpreted(
    interpreter: &mut dyn Interpreter,
    profile: Profile,
    mut header: TraceHeader,
) -> Result<Trace, SimError> {
    let (profile, clamps) = profile.clamped();
    header.notes.extend(clamps.iter().map(|c| c.to_string()));
    header.profile = profile.clone();
    let mut sim = Simulator::new(profile);
    sim.interpreter = Some(interpreter);
    sim.start_main(Driver::Interpreted(0));
    sim.run()?;
    Ok(sim.rec.finish(sim.now, header))
}

impl<'a> Simulator<'a> {
    fn new(profile: Profile) -> Simulator<'a> {
        Simulator {
            interpreter: None,
            interpreted: Vec::new(),
            task_lanes: std::collections::HashMap::new(),
            cores: Cores::new(profile.cores),
            rec: Recorder::new(profile.cores),
            memory: profile.base_memory_bytes,
            profile,
            now: 0,
            threads: Vec::new(),
            processes: Vec::new(),
            loops: Vec::new(),
            pools: Vec::new(),
            runnable: VecDeque::new(),
            steps: 0,
        }
    }

    fn start_main(&mut self, driver: Driver) {
        self.new_process();
        self.rec.memory(0, self.memory);
        let t = self.new_thread("main".into(), LaneKind::Main, 0, driver);
        self.want_gil(t);
    }

    fn new_process(&mut self) -> usize {
        self.processes.push(Process {
            gil: Gil::default(),
        });
        self.rec.add_process();
        self.processes.len() - 1
    }

    fn new_thread(
        &mut self,
        name: String,
        kind: LaneKind,
        process: usize,
        driver: Driver,
    ) -> usize {
        let lane = self.rec.add_lane(name.clone(), kind, process, None);
        if let Driver::Interpreted(id) = driver {
            if self.interpreted.len() <= id {
                self.interpreted.resize(id + 1, None);
            }
            self.interpreted[id] = Some(self.threads.len());
        }
        self.threads.push(Thread {
            lane,
            name,
            kind,
            process,
            phase: Phase::WantGil,
            holds_gil: false,
            driver,
            children: Vec::new(),
            joiners: Vec::new(),
            started_by: None,
            boot: 0,
        });
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
            if self.threads.iter().all(|t| matches!(t.phase, Phase::Done)) {
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
        if self.processes[process].gil.request(t, self.now, interval) {
            self.granted_gil(t);
        } else {
            self.rec.set(lane, self.now, State::WaitingGil, "", None);
        }
    }

    fn granted_gil(&mut self, t: usize) {
        let thread = &mut self.threads[t];
        thread.holds_gil = true;
        let (process, lane) = (thread.process, thread.lane);
        self.rec.gil_holder(process, self.now, Some(lane));
        match thread.phase {
            Phase::Compute { .. } => self.take_core(t),
            _ => {
                thread.phase = Phase::Go;
                self.runnable.push_back(t);
            }
        }
    }

    fn release_gil(&mut self, t: usize, why: &str) {
        if !std::mem::take(&mut self.threads[t].holds_gil) {
            return;
        }
        let process = self.threads[t].process;
        let next = self.processes[process]
            .gil
            .release(self.now, self.profile.switch_interval());
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
                self.rec
                    .set(lane, self.now, State::WaitingCore, &label, None);
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
            let action = self.next_action(t);
            self.perform(t, action)?;
        }
        Ok(())
    }

    fn perform(&mut self, t: usize, action: Action) -> Result<(), SimError> {
        match action {
            Action::Compute { ns, label } => {
                self.compute(t, ns, label, State::Running, Then::Continue)
            }
            Action::Step(step) => self.step(t, step)?,
            Action::ToThread {
                event_loop,
                task,
                label,
                body,
            } => self.to_thread(t, event_loop, task, label, body),
            Action::Wait(wait, label) => self.wait(t, wait, &label),
            Action::StartInterpreted {
                child,
                name,
                process,
            } => self.start_interpreted(t, child, name, process),
            Action::Fail => return Err(SimError::ProgramFailed),
            Action::Done => self.finish(t),
        }
        Ok(())
    }

    fn step(&mut self, t: usize, step: Step) -> Result<(), SimError> {
        let lane = self.threads[t].lane;
        match step {
            Step::Compute { iterations, label } => {
                let ns = self.profile.loop_cost(iterations);
                self.compute(t, ns, label, State::Running, Then::Continue);
            }
            Step::Sleep { secs, label } => {
                self.release_gil(t, "sleeping releases the GIL");
                self.threads[t].phase = Phase::Sleep {
                    until: self.now.saturating_add(from_secs(secs)),
                };
                self.rec.set(lane, self.now, State::Sleeping, &label, None);
            }
            Step::Print(text) => self.rec.print(lane, self.now, text),
            Step::StartThread { name, body } => {
                let then = Then::StartThread {
                    name: name.clone(),
                    kind: LaneKind::Thread,
                    driver: Driver::Script(Script::new(body)),
                };
                self.compute(
                    t,
                    self.profile.thread_start(),
                    format!("start {name}"),
                    State::Spawning,
                    then,
                );
            }
            Step::StartProcess { name, body } => {
                self.start_process(t, name, Driver::Script(Script::new(body)))
            }
            Step::Join { child } => {
                let Some(&target) = self.threads[t].children.get(child) else {
                    return Err(SimError::NoSuchChild {
                        lane: self.threads[t].name.clone(),
                        child,
                    });
                };
                if !matches!(self.threads[target].phase, Phase::Done) {
                    self.threads[target].joiners.push(t);
                    let label = format!("join {}", self.threads[target].name);
                    self.wait(t, Wait::Join, &label);
                }
            }
            Step::AsyncioRun(main) => {
                let Driver::Script(rest) = self.threads[t].driver.clone() else {
                    unreachable!("only a script can call asyncio.run")
                };
                let process = self.threads[t].process;
                let event_loop = EventLoop::new(lane, process, main, &mut self.rec, self.now);
                self.loops.push(event_loop);
                self.threads[t].driver = Driver::Loop {
                    event_loop: self.loops.len() - 1,
                    after: rest,
                };
            }
        }
        Ok(())
    }

    /// `Process.start()`: the fork costs more the more children still run.
    fn start_process(&mut self, t: usize, name: String, driver: Driver) {
        let live = self.threads[t]
            .children
            .iter()
            .filter(|&&c| {
                self.threads[c].kind == LaneKind::Process
                    && !matches!(self.threads[c].phase, Phase::Done)
            })
            .count();
        let cost = self.profile.process_start_with(live);
        let label = format!("start {name}");
        let then = Then::StartProcess { name, driver };
        self.compute(t, cost, label, State::Spawning, then);
    }

    fn start_interpreted(&mut self, t: usize, child: usize, name: String, process: bool) {
        if process {
            return self.start_process(t, name, Driver::Interpreted(child));
        }
        let then = Then::StartThread {
            name: name.clone(),
            kind: LaneKind::Thread,
            driver: Driver::Interpreted(child),
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
            Then::StartThread { name, kind, driver } => {
                let process = self.threads[t].process;
                let child = self.new_thread(name.clone(), kind, process, driver);
                self.threads[child].started_by = Some(t);
                self.threads[t].children.push(child);
                self.rec.event(
                    self.threads[t].lane,
                    self.now,
                    EventKind::ThreadStarted,
                    name.clone(),
                );
                self.set_memory(self.memory + self.profile.thread_memory_bytes);
                self.wait(t, Wait::Started, &format!("wait for {name} to start"));
                self.want_gil(child);
            }
            Then::StartProcess { name, driver } => {
                let process = self.new_process();
                let child = self.new_thread(name.clone(), LaneKind::Process, process, driver);
                self.threads[child].boot = self.profile.process_boot();
                self.threads[t].children.push(child);
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

    fn wait(&mut self, t: usize, wait: Wait, label: &str) {
        let state = if matches!(wait, Wait::Select { .. }) {
            State::Idle
        } else {
            State::Blocked
        };
        self.release_gil(t, "waiting releases the GIL");
        self.threads[t].phase = Phase::Wait(wait);
        self.rec
            .set(self.threads[t].lane, self.now, state, label, None);
    }

    fn finish(&mut self, t: usize) {
        self.release_gil(t, "thread ended");
        self.threads[t].phase = Phase::Done;
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
        for joiner in std::mem::take(&mut self.threads[t].joiners) {
            self.want_gil(joiner);
        }
    }

    // ----- drivers --------------------------------------------------------------------------

    fn next_action(&mut self, t: usize) -> Action {
        if let Driver::Interpreted(id) = self.threads[t].driver {
            return self.interpreted_action(t, id);
        }
        match &mut self.threads[t].driver {
            Driver::Script(script) => match script.next() {
                Some(step) => Action::Step(step),
                None => Action::Done,
            },
            Driver::Loop { event_loop, .. } => {
                let id = *event_loop;
                self.loop_action(t, id)
            }
            Driver::Worker { pool, job } => {
                let pool = *pool;
                if let Some((script, reply)) = job {
                    if let Some(step) = script.next() {
                        return Action::Step(step);
                    }
                    let reply = *reply;
                    self.threads[t].driver = Driver::Worker { pool, job: None };
                    self.pools[pool].job_done();
                    self.deliver(reply);
                }
                match self.pools[pool].take() {
                    Some(Job { body, reply, .. }) => {
                        self.threads[t].driver = Driver::Worker {
                            pool,
                            job: Some((Script::new(body), reply)),
                        };
                        Action::Compute {
                            ns: 0,
                            label: String::new(),
                        }
                    }
                    None if self.pools[pool].is_shut_down() => Action::Done,
                    None => {
                        self.pools[pool].wait(t);
                        Action::Wait(Wait::Work, "waiting for work".into())
                    }
                }
            }
            Driver::Interpreted(_) => unreachable!("handled above"),
        }
    }

    /// Asks the interpreter what its thread `id` (our thread `t`) does next.
    fn interpreted_action(&mut self, t: usize, id: usize) -> Action {
        let now = self.now;
        let Some(interpreter) = self.interpreter.as_mut() else {
            return Action::Fail;
        };
        let action = interpreter.next(id, now);
        let wakes = interpreter.take_wakes();
        let events = interpreter.take_task_events();
        self.apply_task_events(events);
        let lane = self.threads[t].lane;
        let action = match action {
            None => Action::Fail,
            Some(interpreter::Action::Compute { ns, label, line }) => {
                self.rec.line(lane, now, line);
                Action::Compute { ns, label }
            }
            Some(interpreter::Action::Sleep { ns, label, line }) => {
                self.rec.line(lane, now, line);
                Action::Step(Step::Sleep {
                    secs: super::clock::to_secs(ns),
                    label,
                })
            }
            Some(interpreter::Action::Print(text)) => Action::Step(Step::Print(text)),
            Some(interpreter::Action::StartThread { child, name }) => Action::StartInterpreted {
                child,
                name,
                process: false,
            },
            Some(interpreter::Action::StartProcess { child, name }) => Action::StartInterpreted {
                child,
                name,
                process: true,
            },
            Some(interpreter::Action::Block { label, line }) => {
                self.rec.line(lane, now, line);
                Action::Wait(Wait::Interpreter, label)
            }
            Some(interpreter::Action::Select { until }) => {
                Action::Wait(Wait::Select { until }, "waiting for events".into())
            }
            Some(interpreter::Action::Done) => Action::Done,
        };
        for id in wakes {
            self.wake_interpreted(id);
        }
        action
    }

    /// The interpreter says thread `id`'s wait may be over: it asks for the GIL to see.
    fn wake_interpreted(&mut self, id: usize) {
        let Some(Some(t)) = self.interpreted.get(id).copied() else {
            return;
        };
        if matches!(
            self.threads[t].phase,
            Phase::Wait(Wait::Interpreter) | Phase::Wait(Wait::Select { .. })
        ) {
            self.want_gil(t);
        }
    }

    fn apply_task_events(&mut self, events: Vec<TaskEvent>) {
        let now = self.now;
        for e in events {
            match e {
                TaskEvent::Created {
                    task,
                    name,
                    event_loop,
                } => {
                    let Some(Some(lt)) = self.interpreted.get(event_loop).copied() else {
                        continue;
                    };
                    let (process, parent) = (self.threads[lt].process, self.threads[lt].lane);
                    let lane =
                        self.rec
                            .add_lane(name.clone(), LaneKind::Task, process, Some(parent));
                    self.rec.set(lane, now, State::Ready, "", None);
                    self.rec.event(lane, now, EventKind::TaskCreated, name);
                    self.task_lanes.insert(task, lane);
                }
                TaskEvent::State {
                    task,
                    state,
                    label,
                    line,
                } => {
                    if let Some(&lane) = self.task_lanes.get(&task) {
                        if line.is_some() {
                            self.rec.line(lane, now, line);
                        }
                        self.rec.set(lane, now, state, &label, None);
                    }
                }
                TaskEvent::Done { task } => {
                    if let Some(&lane) = self.task_lanes.get(&task) {
                        self.rec.close(lane, now);
                        self.rec
                            .event(lane, now, EventKind::TaskDone, String::new());
                    }
                }
            }
        }
    }

    fn loop_action(&mut self, t: usize, id: usize) -> Action {
        match self.loops[id].next(self.now, &self.profile, &mut self.rec) {
            LoopAction::Overhead { ns, label } => Action::Compute { ns, label },
            LoopAction::Blocking(step) => Action::Step(step),
            LoopAction::ToThread { task, label, body } => Action::ToThread {
                event_loop: id,
                task,
                label,
                body,
            },
            LoopAction::Wait { until } => {
                Action::Wait(Wait::Select { until }, "waiting for events".into())
            }
            LoopAction::Finished => {
                if let Some(pool) = self.loops[id].pool {
                    for worker in self.pools[pool].shut_down() {
                        self.want_gil(worker);
                    }
                }
                let Driver::Loop { after, .. } = self.threads[t].driver.clone() else {
                    unreachable!()
                };
                self.threads[t].driver = Driver::Script(after);
                Action::Compute {
                    ns: 0,
                    label: String::new(),
                }
            }
        }
    }

    /// `asyncio.to_thread`: submit to the loop's default executor, starting a worker if needed.
    fn to_thread(
        &mut self,
        t: usize,
        event_loop: usize,
        task: usize,
        label: String,
        body: Vec<Step>,
    ) {
        let pool = match self.loops[event_loop].pool {
            Some(pool) => pool,
            None => {
                self.pools
                    .push(ThreadPool::asyncio_default(self.profile.cores));
                self.loops[event_loop].pool = Some(self.pools.len() - 1);
                self.pools.len() - 1
            }
        };
        let after = self.pools[pool].submit(Job {
            label,
            body,
            reply: Reply::Task { event_loop, task },
        });
        if let Some(worker) = after.wake {
            self.want_gil(worker);
        }
        match after.start {
            Some(name) => {
                let then = Then::StartThread {
                    name: name.clone(),
                    kind: LaneKind::PoolWorker,
                    driver: Driver::Worker { pool, job: None },
                };
                self.compute(
                    t,
                    self.profile.thread_start(),
                    format!("start {name}"),
                    State::Spawning,
                    then,
                );
            }
            None => self.runnable.push_back(t),
        }
    }

    /// A pool job finished: wake whoever waits for it.
    fn deliver(&mut self, reply: Reply) {
        let Reply::Task { event_loop, task } = reply;
        self.loops[event_loop].wake(task, &mut self.rec, self.now);
        let loop_thread = self.threads.iter().position(
            |th| matches!(&th.driver, Driver::Loop { event_loop: l, .. } if *l == event_loop),
        );
        if let Some(lt) = loop_thread {
            if matches!(self.threads[lt].phase, Phase::Wait(Wait::Select { .. })) {
                self.want_gil(lt);
            }
        }
    }

    // ----- advancing time ---------------------------------------------------------------

    fn next_event(&self) -> Option<Nanos> {
        let computing = self
            .cores
            .running()
            .filter_map(|(_, t)| match &self.threads[t].phase {
                Phase::Compute { remaining, .. } => Some(self.now.saturating_add(*remaining)),
                _ => None,
            });
        let timers = self.threads.iter().filter_map(|t| match &t.phase {
            Phase::Sleep { until } => Some(*until),
            Phase::Wait(Wait::Select { until }) => *until,
            _ => None,
        });
        let drops = self.processes.iter().filter_map(|p| p.gil.drop_at());
        computing
            .chain(timers)
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
        for t in 0..self.threads.len() {
            let wakes = match &self.threads[t].phase {
                Phase::Sleep { until } => *until <= now,
                Phase::Wait(Wait::Select { until: Some(until) }) => *until <= now,
                _ => false,
            };
            if wakes {
                self.want_gil(t);
            }
        }
        for p in 0..self.processes.len() {
            if self.processes[p].gil.drop_at().is_some_and(|at| at <= now) {
                self.force_gil_switch(p);
            }
        }
        for (core, old, new) in self.cores.preempt(now, self.profile.os_timeslice()) {
            let (lane, label) = (self.threads[old].lane, self.compute_label(old));
            self.rec.set(lane, now, State::WaitingCore, &label, None);
            self.show_on_core(new, core);
        }
    }

    /// The switch interval ran out: the holder drops the GIL for the next waiter.
    fn force_gil_switch(&mut self, p: usize) {
        let interval = self.profile.switch_interval();
        let Some((old, new)) = self.processes[p].gil.force_switch(self.now, interval) else {
            return;
        };
        self.threads[old].holds_gil = false;
        if matches!(self.threads[old].phase, Phase::Go) {
            // Between two actions: it goes on once it has the GIL back.
            self.threads[old].phase = Phase::WantGil;
        }
        self.leave_core(old);
        let (lane, label) = (self.threads[old].lane, self.compute_label(old));
        self.rec
            .set(lane, self.now, State::WaitingGil, &label, None);
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
