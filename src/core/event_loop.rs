//! asyncio's event loop: one thread, many tasks, taking turns only at `await`.
//!
//! Modelled on CPython's `BaseEventLoop._run_once`: tasks whose timers expired and tasks woken
//! by other threads (`call_soon_threadsafe`) join a FIFO ready queue; the loop resumes them one
//! at a time, each until its next `await` that has to wait. While a task runs plain code
//! (`time.sleep`, a CPU-heavy `sum`), nothing else on the loop runs: the loop is blocked. With
//! nothing ready, the loop's thread waits in `select()` for the next timer, releasing the GIL.
//!
//! The loop does not own a thread; the simulator asks it "what next?" ([`EventLoop::next`])
//! whenever its thread is free to go on, and carries out the [`LoopAction`] it answers.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use super::clock::{from_secs, Nanos};
use super::profile::Profile;
use super::program::{AsyncStep, Coroutine, Step};
use super::recorder::Recorder;
use super::trace::{EventKind, LaneKind, State};

/// What the loop's thread has to do next.
#[derive(Debug, PartialEq)]
pub enum LoopAction {
    /// Spend CPU time on the loop's own work (resuming a task, creating tasks).
    Overhead { ns: Nanos, label: String },
    /// Run a plain step of the current task on the loop's thread (blocking the loop).
    Blocking(Step),
    /// Hand `body` to the default executor; resume `task` when it is done.
    ToThread {
        task: usize,
        label: String,
        body: Vec<Step>,
    },
    /// Nothing is ready: wait until the given time (the next timer) or a wake-up.
    Wait { until: Option<Nanos> },
    /// The main coroutine returned: `asyncio.run` is over.
    Finished,
}

#[derive(Debug)]
struct Task {
    lane: usize,
    name: String,
    steps: Vec<AsyncStep>,
    pc: usize,
    /// Children of a `gather` still running.
    pending_children: usize,
    parent: Option<usize>,
}

#[derive(Debug)]
pub struct EventLoop {
    lane: usize,
    process: usize,
    tasks: Vec<Task>,
    ready: VecDeque<usize>,
    /// (when, sequence number, task): the sequence keeps equal deadlines in call order.
    timers: BinaryHeap<Reverse<(Nanos, u64, usize)>>,
    timer_seq: u64,
    current: Option<usize>,
    /// The default executor, once a `to_thread` created it (an index into the simulator's pools).
    pub pool: Option<usize>,
}

impl EventLoop {
    /// `asyncio.run(main)` on the thread drawn in `lane`: the main task is created, ready.
    pub fn new(
        lane: usize,
        process: usize,
        main: Coroutine,
        rec: &mut Recorder,
        now: Nanos,
    ) -> EventLoop {
        let mut event_loop = EventLoop {
            lane,
            process,
            tasks: Vec::new(),
            ready: VecDeque::new(),
            timers: BinaryHeap::new(),
            timer_seq: 0,
            current: None,
            pool: None,
        };
        event_loop.create_task(main, None, rec, now);
        event_loop
    }

    fn create_task(
        &mut self,
        coroutine: Coroutine,
        parent: Option<usize>,
        rec: &mut Recorder,
        now: Nanos,
    ) {
        let id = self.tasks.len();
        let lane = rec.add_lane(
            coroutine.name.clone(),
            LaneKind::Task,
            self.process,
            Some(self.lane),
        );
        rec.set(lane, now, State::Ready, "", None);
        rec.event(lane, now, EventKind::TaskCreated, coroutine.name.clone());
        self.tasks.push(Task {
            lane,
            name: coroutine.name,
            steps: coroutine.steps,
            pc: 0,
            pending_children: 0,
            parent,
        });
        self.ready.push_back(id);
    }

    /// A job for `task` finished on another thread (`call_soon_threadsafe`).
    pub fn wake(&mut self, task: usize, rec: &mut Recorder, now: Nanos) {
        self.make_ready(task, rec, now);
    }

    fn make_ready(&mut self, task: usize, rec: &mut Recorder, now: Nanos) {
        rec.set(self.tasks[task].lane, now, State::Ready, "", None);
        self.ready.push_back(task);
    }

    fn suspend(&mut self, task: usize, label: &str, rec: &mut Recorder, now: Nanos) {
        rec.set(self.tasks[task].lane, now, State::Awaiting, label, None);
        self.current = None;
    }

    /// Moves every task whose timer has expired by `now` to the ready queue, earliest first.
    fn fire_timers(&mut self, now: Nanos, rec: &mut Recorder) {
        while let Some(&Reverse((when, _, task))) = self.timers.peek() {
            if when > now {
                break;
            }
            self.timers.pop();
            self.make_ready(task, rec, now);
        }
    }

    /// The loop's next move, asked whenever its thread can go on.
    pub fn next(&mut self, now: Nanos, profile: &Profile, rec: &mut Recorder) -> LoopAction {
        loop {
            let Some(task) = self.current else {
                self.fire_timers(now, rec);
                let Some(task) = self.ready.pop_front() else {
                    let until = self.timers.peek().map(|Reverse((when, _, _))| *when);
                    return LoopAction::Wait { until };
                };
                self.current = Some(task);
                let name = self.tasks[task].name.clone();
                rec.set(self.tasks[task].lane, now, State::Running, "", None);
                return LoopAction::Overhead {
                    ns: profile.task_step(),
                    label: format!("resume {name}"),
                };
            };
            let t = &mut self.tasks[task];
            let Some(step) = t.steps.get(t.pc).cloned() else {
                if self.finish_task(task, rec, now) {
                    return LoopAction::Finished;
                }
                continue;
            };
            t.pc += 1;
            match step {
                AsyncStep::Blocking(step) => {
                    if let Step::Compute { label, .. } | Step::Sleep { label, .. } = &step {
                        rec.set(t.lane, now, State::Running, label, None);
                        rec.event(
                            self.lane,
                            now,
                            EventKind::LoopBlocked,
                            format!("{label} blocks the event loop"),
                        );
                    }
                    return LoopAction::Blocking(step);
                }
                AsyncStep::Sleep { secs, label } => {
                    self.timer_seq += 1;
                    self.timers.push(Reverse((
                        now.saturating_add(from_secs(secs)),
                        self.timer_seq,
                        task,
                    )));
                    self.suspend(task, &label, rec, now);
                }
                AsyncStep::ToThread { label, body } => {
                    self.suspend(task, &label, rec, now);
                    return LoopAction::ToThread { task, label, body };
                }
                AsyncStep::Gather(coroutines) => {
                    if coroutines.is_empty() {
                        continue;
                    }
                    let n = coroutines.len();
                    self.tasks[task].pending_children = n;
                    self.suspend(task, &format!("gather of {n} tasks"), rec, now);
                    for coroutine in coroutines {
                        self.create_task(coroutine, Some(task), rec, now);
                    }
                    return LoopAction::Overhead {
                        ns: profile.task_step().saturating_mul(n as u64),
                        label: format!("create {n} tasks"),
                    };
                }
            }
        }
    }

    /// Ends `task`; wakes its `gather` when it was the last child. True if it was the main task.
    fn finish_task(&mut self, task: usize, rec: &mut Recorder, now: Nanos) -> bool {
        self.current = None;
        let lane = self.tasks[task].lane;
        rec.close(lane, now);
        rec.event(
            lane,
            now,
            EventKind::TaskDone,
            self.tasks[task].name.clone(),
        );
        match self.tasks[task].parent {
            Some(parent) => {
                self.tasks[parent].pending_children -= 1;
                if self.tasks[parent].pending_children == 0 {
                    self.make_ready(parent, rec, now);
                }
                false
            }
            None => true,
        }
    }
}
