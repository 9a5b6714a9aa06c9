//! The one question the simulator asks the runtime — "what does this thread do next?" — and
//! the [`Interpreter`] trait that asks it. A thread runs bytecode until it needs the
//! simulator (CPU time to be charged, a sleep, a print to time-stamp, a thread or process to
//! start, a wait); the answer is an [`Action`], and the threads its work woke are listed for
//! the simulator to reschedule.

use super::state::{Request, Runtime};
use super::vm::Exit;
use super::waits::waiting_for;
use crate::core::clock::{from_secs, Nanos};
use crate::core::interpreter::{Action, Interpreter, TaskEvent, WaitingFor};
use crate::python::error::PyError;
use crate::python::futures::FutState;
use crate::python::sync::ThreadId;
use crate::python::value::{ExcKind, Value};

impl Runtime {
    /// The threads woken since the last call, for the simulator to reschedule.
    pub fn take_wakes(&mut self) -> Vec<ThreadId> {
        std::mem::take(&mut self.wakes)
    }

    pub fn take_task_events(&mut self) -> Vec<TaskEvent> {
        std::mem::take(&mut self.task_events)
    }

    /// The next thing thread `tid` does, at simulated time `now`.
    pub fn next(&mut self, tid: ThreadId, now: Nanos) -> Result<Action, PyError> {
        self.now = now;
        self.running = tid;
        loop {
            let line = self.current_line(tid);
            if line.is_some() {
                self.threads[tid].last_line = line;
            }
            let t = &mut self.threads[tid];
            if t.cost > 0 {
                let ns = std::mem::take(&mut t.cost);
                let turns = Some(std::mem::take(&mut t.turns)).filter(|&n| n > 0);
                let label = self.current_label(tid);
                return Ok(Action::Compute {
                    ns,
                    label,
                    line,
                    turns,
                });
            }
            if let Some(req) = t.pending.pop_front() {
                return Ok(match req {
                    Request::Compute { ns, label } => Action::Compute {
                        ns,
                        label,
                        line,
                        turns: None,
                    },
                    Request::Sleep { secs, label, on } => {
                        t.waiting = Some(waiting_for(on, label.clone()));
                        Action::Sleep {
                            ns: from_secs(secs),
                            label,
                            line,
                        }
                    }
                    Request::Print(text) => Action::Print(text),
                    Request::PrintErr(text) => Action::PrintErr(text),
                    Request::StartThread { child } => Action::StartThread {
                        child,
                        name: self.threads[child].name.clone(),
                        helper: self.started_by_library(child),
                    },
                    Request::StartProcess { child } => Action::StartProcess {
                        child,
                        name: self.threads[child].name.clone(),
                    },
                });
            }
            if self.time_out(tid) {
                continue;
            }
            let t = &mut self.threads[tid];
            if let Some(label) = &t.blocked {
                return Ok(Action::Block {
                    label: label.clone(),
                    line,
                    until: self.deadline_of(tid),
                });
            }
            if t.done {
                self.ended(tid);
                return Ok(Action::Done);
            }
            if let Some((callee, args, kwargs)) = t.start.take() {
                self.start_call(tid, callee, args, kwargs)?;
                continue;
            }
            let in_loop = t.event_loop.as_ref().filter(|l| l.running).map(|l| l.base);
            if let Some(base) = in_loop {
                if t.frames.len() <= base {
                    if let Some(action) = self.loop_next(tid)? {
                        return Ok(action);
                    }
                    continue;
                }
            } else if t.frames.is_empty() {
                self.thread_finished(tid, Ok(Value::None))?;
                continue;
            }
            match self.run_thread(tid)? {
                Exit::Suspended | Exit::Quantum => {}
                Exit::BaseYield(v) => self.after_task_step(tid, v),
                Exit::BaseReturn(v) => {
                    if self.threads[tid].event_loop.is_some() {
                        self.task_finished(tid, FutState::Done(v));
                    } else {
                        self.thread_finished(tid, Ok(v))?;
                    }
                }
                Exit::BaseRaise(e) => {
                    if self.threads[tid].event_loop.is_some() {
                        let state = if e.kind == ExcKind::CancelledError {
                            FutState::Cancelled
                        } else {
                            FutState::Failed(e)
                        };
                        self.task_finished(tid, state);
                    } else {
                        self.thread_finished(tid, Err(e))?;
                    }
                }
            }
        }
    }
}

impl Interpreter for Runtime {
    fn next(&mut self, thread: usize, now: Nanos) -> Option<Action> {
        match Runtime::next(self, thread, now) {
            Ok(a) => Some(a),
            Err(e) => {
                self.fatal = Some(e);
                None
            }
        }
    }
    fn take_wakes(&mut self) -> Vec<usize> {
        Runtime::take_wakes(self)
    }
    fn take_task_events(&mut self) -> Vec<TaskEvent> {
        Runtime::take_task_events(self)
    }
    fn take_killed(&mut self) -> Vec<usize> {
        Runtime::take_killed(self)
    }
    fn waiting(&self, thread: usize) -> Option<WaitingFor> {
        Runtime::waiting(self, thread)
    }
}
