//! The event loop's callbacks, as CPython's `Handle`s: `loop.call_soon`, `call_later` and
//! `call_at`, and the done callbacks of futures (`add_done_callback`), which the loop calls
//! soon after the future finishes, in the order they were added, among the other ready
//! callbacks. A callback runs on the loop's thread outside any task (`current_task()` is
//! `None` there); an exception it raises is noted, as CPython logs it, and the loop goes on.

use std::cell::Cell;
use std::rc::Rc;

use super::loop_state::{Ready, TimerAction};
use super::state::Runtime;
use crate::core::clock::{from_secs, Nanos};
use crate::python::frame::Caller;
use crate::python::futures::{CallbackHandle, Future, FutureObj};
use crate::python::ops;
use crate::python::sync::ThreadId;
use crate::python::value::Value;

impl Runtime {
    /// `loop.call_soon(f, *args)` on thread `tid`'s loop.
    pub fn call_soon(&mut self, tid: ThreadId, f: Value, args: Vec<Value>) -> Rc<CallbackHandle> {
        let h = Rc::new(CallbackHandle {
            f,
            args,
            cancelled: Cell::new(false),
            when: None,
        });
        if let Some(l) = self.threads[tid].event_loop.as_mut() {
            l.ready.push_back(Ready::Callback(h.clone()));
            self.wakes.push(tid);
        }
        h
    }

    /// `loop.call_at(when, f, *args)` on thread `tid`'s loop (`when` on the loop's clock).
    pub fn call_at(
        &mut self,
        tid: ThreadId,
        when: Nanos,
        f: Value,
        args: Vec<Value>,
    ) -> Rc<CallbackHandle> {
        let h = Rc::new(CallbackHandle {
            f,
            args,
            cancelled: Cell::new(false),
            when: Some(when),
        });
        if let Some(l) = self.threads[tid].event_loop.as_mut() {
            l.seq += 1;
            l.timers.push(std::cmp::Reverse((when, l.seq)));
            l.timer_futures.insert(l.seq, TimerAction::Call(h.clone()));
        }
        h
    }

    /// The loop's clock `secs` from thread `tid`'s now (`call_later`).
    pub fn loop_time_in(&self, tid: ThreadId, secs: f64) -> Nanos {
        self.now
            .saturating_add(self.threads[tid].cost)
            .saturating_add(from_secs(secs.max(0.0)))
    }

    /// `fut` finished: its done callback `f` is called soon, with `fut`, on its loop.
    pub(super) fn schedule_done_callback(&mut self, fut: &Rc<Future>, f: Value) {
        let Some(lt) = fut.event_loop else {
            return;
        };
        let arg = Value::object(FutureObj(fut.clone()));
        self.call_soon(lt, f, vec![arg]);
    }

    /// Calls callback `h` on the loop's thread `tid`, outside any task.
    pub(super) fn run_callback(&mut self, tid: ThreadId, h: &CallbackHandle) {
        if let Some(l) = self.threads[tid].event_loop.as_mut() {
            l.current = None;
        }
        let mut frames = std::mem::take(&mut self.threads[tid].frames);
        let r = self.call_value(
            tid,
            &mut frames,
            h.f.clone(),
            h.args.clone(),
            Vec::new(),
            Caller::Base,
        );
        self.threads[tid].frames = frames;
        if let Err(e) = r {
            self.notes.push(format!(
                "Exception in callback {}: {}: {}",
                ops::repr(&h.f),
                e.kind.name(),
                e.message
            ));
        }
    }
}
