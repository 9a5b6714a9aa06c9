//! asyncio tasks as lanes: what the interpreter says its tasks did ([`TaskEvent`]s), written
//! into the trace beneath the lane of the thread that runs their event loop.
//!
//! Both drivers of an interpreter need this, the simulator on its clock and the real-time
//! driver (`crate::live`) on a real one, and both must draw tasks alike, so it lives here once.

use std::collections::HashMap;

use super::clock::Nanos;
use super::interpreter::TaskEvent;
use super::recorder::Recorder;
use super::trace::{EventKind, LaneKind, State};

/// Which lane each of the interpreter's tasks has.
#[derive(Debug, Default)]
pub struct TaskLanes {
    lanes: HashMap<usize, usize>,
}

impl TaskLanes {
    /// Records `events` at `now`. `loop_thread(id)` gives the process and lane of the
    /// interpreter's thread `id`, where the driver knows it (a task's event loop runs there).
    pub fn apply(
        &mut self,
        events: Vec<TaskEvent>,
        now: Nanos,
        rec: &mut Recorder,
        loop_thread: impl Fn(usize) -> Option<(usize, usize)>,
    ) {
        for e in events {
            match e {
                TaskEvent::Created {
                    task,
                    name,
                    event_loop,
                } => {
                    let Some((process, parent)) = loop_thread(event_loop) else {
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
                } => {
                    if let Some(&lane) = self.lanes.get(&task) {
                        if line.is_some() {
                            rec.line(lane, now, line);
                        }
                        rec.set(lane, now, state, &label, None);
                    }
                }
                TaskEvent::Done { task } => {
                    if let Some(&lane) = self.lanes.get(&task) {
                        rec.close(lane, now);
                        rec.event(lane, now, EventKind::TaskDone, String::new());
                    }
                }
            }
        }
    }
}
