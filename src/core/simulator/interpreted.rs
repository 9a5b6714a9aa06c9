//! The simulator's side of the [`Interpreter`] contract: asking the interpreter what a
//! thread does next and carrying it out, waking the threads its work woke, drawing its
//! asyncio tasks as lanes, and turning what it says a thread or task waits for into the
//! trace's [`Wait`] (its thread and task numbers into lanes).

use super::{Phase, SimError, Simulator, Then, WaitKind};
use crate::core::clock::{to_secs, Nanos};
use crate::core::interpreter::{self, TaskEvent, WaitingFor};
use crate::core::trace::{LaneKind, State, Stream, Wait, WaitOn};

impl Simulator<'_> {
    /// Asks the interpreter what thread `t` does next, and does it.
    pub(super) fn next_action(&mut self, t: usize) -> Result<(), SimError> {
        let (id, lane, now) = (self.threads[t].id, self.threads[t].lane, self.now);
        let action = self.interpreter.next(id, now);
        let wakes = self.interpreter.take_wakes();
        let events = self.interpreter.take_task_events();
        self.apply_task_events(events);
        for killed in self.interpreter.take_killed() {
            self.kill_interpreted(killed);
        }
        let Some(action) = action else {
            return Err(SimError::ProgramFailed);
        };
        // Who waits for `t` to end goes on once it has ended (see `end`); the rest at once.
        let wakes = if matches!(action, interpreter::Action::Done) {
            wakes
        } else {
            self.wake_all(wakes);
            Vec::new()
        };
        match action {
            interpreter::Action::Compute {
                ns, label, line, ..
            } => {
                self.rec.line(lane, now, line);
                self.compute(t, ns, label, State::Running, Then::Continue);
            }
            interpreter::Action::Sleep { ns, label, line } => {
                self.rec.line(lane, now, line);
                let waiting = self.interpreter.waiting(id);
                self.sleep(t, ns, &label, waiting);
            }
            interpreter::Action::Print(text) => self.rec.print(lane, now, text),
            interpreter::Action::PrintErr(text) => {
                self.rec.print_to(lane, now, text, Stream::Stderr)
            }
            interpreter::Action::StartThread {
                child,
                name,
                helper,
            } => {
                let kind = if helper {
                    LaneKind::PoolWorker
                } else {
                    LaneKind::Thread
                };
                self.start_interpreted(t, child, name, kind);
            }
            interpreter::Action::StartProcess { child, name } => {
                self.start_interpreted(t, child, name, LaneKind::Process)
            }
            interpreter::Action::Block { label, line, until } => {
                self.rec.line(lane, now, line);
                let wait = self.interpreter.waiting(id).map(|w| self.trace_wait(w));
                self.wait(t, WaitKind::Interpreter { until }, &label, wait);
            }
            interpreter::Action::Select { until } => {
                let wait = select_wait(until);
                self.wait(
                    t,
                    WaitKind::Select { until },
                    "waiting for events",
                    Some(wait),
                )
            }
            interpreter::Action::Done => self.end(t, wakes),
        }
        Ok(())
    }

    /// `t` has nothing more to do; `wakes` came with that (the `join()`s waiting for it). A
    /// process still has its exit work to do, on a core, before it is gone and they go on.
    pub(super) fn end(&mut self, t: usize, wakes: Vec<usize>) {
        if self.threads[t].kind == LaneKind::Process {
            let exit = self.profile.process_exit();
            let then = Then::Exit { wakes };
            self.compute(t, exit, "process exit".into(), State::Spawning, then);
        } else {
            self.wake_all(wakes);
            self.finish(t);
        }
    }

    /// The interpreter says thread `id` has ended where it was (a daemon whose process
    /// ended): it leaves its core, the GIL and the GIL's queue, and its lane ends now.
    pub(super) fn kill_interpreted(&mut self, id: usize) {
        let Some(Some(t)) = self.interpreted.get(id).copied() else {
            return;
        };
        if matches!(self.threads[t].phase, Phase::Done) {
            return;
        }
        self.leave_core(t);
        let process = self.threads[t].process;
        self.processes[process].gil.withdraw(t);
        self.finish(t);
    }

    pub(super) fn wake_all(&mut self, wakes: Vec<usize>) {
        for id in wakes {
            self.wake_interpreted(id);
        }
    }

    /// The interpreter says thread `id`'s wait may be over: it asks for the GIL to see.
    pub(super) fn wake_interpreted(&mut self, id: usize) {
        let Some(Some(t)) = self.interpreted.get(id).copied() else {
            return;
        };
        if matches!(
            self.threads[t].phase,
            Phase::Wait(WaitKind::Interpreter { .. }) | Phase::Wait(WaitKind::Select { .. })
        ) {
            self.want_gil(t);
        }
    }

    pub(super) fn apply_task_events(&mut self, events: Vec<TaskEvent>) {
        let (threads, interpreted) = (&self.threads, &self.interpreted);
        let lanes = |id: usize| {
            let t = &threads[interpreted.get(id).copied().flatten()?];
            Some((t.process, t.lane))
        };
        self.task_lanes
            .apply(events, self.now, &mut self.rec, &lanes);
    }

    /// The trace's form of what the interpreter says a thread or task waits for.
    pub(super) fn trace_wait(&self, w: WaitingFor) -> Wait {
        let (threads, interpreted) = (&self.threads, &self.interpreted);
        let lanes = |id: usize| {
            let t = &threads[interpreted.get(id).copied().flatten()?];
            Some((t.process, t.lane))
        };
        self.task_lanes.wait(w, &lanes)
    }
}

/// An event loop in `select()`: until its next timer, or until another thread wakes it (a
/// `to_thread` call returning).
fn select_wait(until: Option<Nanos>) -> Wait {
    match until {
        Some(at) => Wait {
            on: WaitOn::Timer,
            what: "the loop's next timer".into(),
            until_s: Some(to_secs(at)),
            lane: None,
        },
        None => Wait {
            on: WaitOn::Future,
            what: "a wake-up from another thread".into(),
            until_s: None,
            lane: None,
        },
    }
}
