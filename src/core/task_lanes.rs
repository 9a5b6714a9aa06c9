//! asyncio tasks as lanes: what the interpreter says its tasks did ([`TaskEvent`]s), written
//! into the trace beneath the lane of the thread that runs their event loop, with what each
//! waits for ([`Wait`]) in the trace's terms.
//!
//! Both drivers of an interpreter need this, the simulator on its clock and the real-time
//! driver (`crate::live`) on a real one, and both must draw tasks alike, so it lives here once.

use super::clock::{to_secs, Nanos};
use super::fast_hash::FastMap;
use super::interpreter::{By, TaskEvent, WaitingFor};
use super::recorder::Recorder;
use super::trace::{EventKind, LaneKind, State, Wait};

/// Which lane each of the interpreter's tasks has.
#[derive(Debug, Default)]
pub struct TaskLanes {
    lanes: FastMap<usize, usize>,
}

/// What a driver knows of the interpreter's threads: the process and lane of thread `id`.
pub trait ThreadLanes {
    fn process_and_lane(&self, id: usize) -> Option<(usize, usize)>;
}

impl<F: Fn(usize) -> Option<(usize, usize)>> ThreadLanes for F {
    fn process_and_lane(&self, id: usize) -> Option<(usize, usize)> {
        self(id)
    }
}

impl TaskLanes {
    /// The lane of the interpreter's task `task`, once it was created.
    pub fn lane_of(&self, task: usize) -> Option<usize> {
        self.lanes.get(&task).copied()
    }

    /// The trace's form of what the interpreter says a thread or task waits for: its threads
    /// and tasks become lanes, its times seconds.
    pub fn wait(&self, w: WaitingFor, threads: &impl ThreadLanes) -> Wait {
        let lane = w.by.and_then(|by| match by {
            By::Thread(id) => threads.process_and_lane(id).map(|(_, lane)| lane),
            By::Task(id) => self.lane_of(id),
        });
        Wait {
            on: w.on,
            what: w.what,
            until_s: w.until.map(to_secs),
            lane,
        }
    }

    /// Records `events` at `now`; `threads` tells where the interpreter's threads are (a
    /// task's event loop runs on one).
    pub fn apply(
        &mut self,
        events: Vec<TaskEvent>,
        now: Nanos,
        rec: &mut Recorder,
        threads: &impl ThreadLanes,
    ) {
        for e in events {
            match e {
                TaskEvent::Created {
                    task,
                    name,
                    event_loop,
                } => {
                    let Some((process, parent)) = threads.process_and_lane(event_loop) else {
                        continue;
                    };
                    let lane = rec.add_lane(name.clone(), LaneKind::Task, process, Some(parent));
                    rec.set(lane, now, State::Ready, "", None);
                    rec.event(lane, now, EventKind::TaskCreated, name);
                    self.lanes.insert(task, lane);
                }
                TaskEvent::State {
                    task,
                    state,
                    label,
                    line,
                    wait,
                } => {
                    let Some(lane) = self.lane_of(task) else {
                        continue;
                    };
                    if line.is_some() {
                        rec.line(lane, now, line);
                    }
                    match wait.map(|w| self.wait(w, threads)) {
                        Some(w) => rec.set_waiting(lane, now, state, &label, w),
                        None => rec.set(lane, now, state, &label, None),
                    }
                }
                TaskEvent::WaitKnown { task, wait } => {
                    if let Some(lane) = self.lane_of(task) {
                        let wait = self.wait(wait, threads);
                        rec.update_wait(lane, wait);
                    }
                }
                TaskEvent::Done { task } => {
                    if let Some(lane) = self.lane_of(task) {
                        rec.close(lane, now);
                        rec.event(lane, now, EventKind::TaskDone, String::new());
                    }
                }
            }
        }
    }
}
