//! An event loop's life: made by `asyncio.run` (a new loop, closed when its main task is
//! done, the tasks still pending cancelled, the default executor shut down) or by
//! `get_event_loop()` outside a running loop (it holds its tasks until
//! `run_until_complete` runs it; it stays, with its other tasks pending, until `close()`),
//! and the loop object programs get. What the loop does while it runs is in
//! [`super::event_loop`].

use std::cell::RefCell;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::rc::Rc;

use super::loop_state::{EventLoop, LoopPhase};
use super::state::Runtime;
use crate::python::frame::Caller;
use crate::python::futures::{FutState, FutureObj};
use crate::python::objects::Namespace;
use crate::python::sync::ThreadId;
use crate::python::value::{ExcKind, Exception, Value};

impl Runtime {
    /// `asyncio.run(coro)` in thread `tid`, whose frames (`base` of them) wait for its result:
    /// a new loop, closed (its pending tasks cancelled) when `coro` is done.
    pub fn start_event_loop(
        &mut self,
        tid: ThreadId,
        base: usize,
        coro: Value,
    ) -> Result<(), Exception> {
        if self.in_event_loop(tid) {
            return crate::python::value::raise(
                ExcKind::RuntimeError,
                "asyncio.run() cannot be called from a running event loop",
            );
        }
        let mut l = self.new_loop(tid);
        l.base = base;
        l.running = true;
        self.threads[tid].event_loop = Some(l);
        let main = self.create_task(tid, coro, None)?;
        if let Some(l) = self.threads[tid].event_loop.as_mut() {
            l.main = main;
        }
        Ok(())
    }

    /// `loop.run_until_complete(aw)` on thread `tid`'s loop (made by `get_event_loop()` if
    /// there is none yet): runs it until `aw` is done, leaving its other tasks pending.
    pub fn run_until_complete(
        &mut self,
        tid: ThreadId,
        base: usize,
        aw: Value,
    ) -> Result<(), Exception> {
        if self.in_event_loop(tid) {
            return crate::python::value::raise(
                ExcKind::RuntimeError,
                "This event loop is already running",
            );
        }
        if self.threads[tid]
            .event_loop
            .as_ref()
            .is_some_and(|l| l.closed)
        {
            return crate::python::value::raise(ExcKind::RuntimeError, "Event loop is closed");
        }
        self.loop_of(tid);
        let main = match aw.downcast::<FutureObj>() {
            Some(f) => f.0.clone(),
            None => self.create_task(tid, aw, None)?,
        };
        if let Some(l) = self.threads[tid].event_loop.as_mut() {
            l.base = base;
            l.running = true;
            l.keep = true;
            l.phase = LoopPhase::Running;
            l.main = main;
        }
        Ok(())
    }

    /// The handle of thread `tid`'s loop, made (not running) if it has none:
    /// `asyncio.get_event_loop()` outside a running loop.
    pub fn loop_of(&mut self, tid: ThreadId) -> Value {
        if self.threads[tid].event_loop.is_none() {
            let l = self.new_loop(tid);
            self.threads[tid].event_loop = Some(l);
        }
        self.threads[tid]
            .event_loop
            .as_ref()
            .map_or(Value::None, |l| l.handle.clone())
    }

    /// `loop.close()`: its pending tasks are dropped; it cannot run again.
    pub fn close_loop(&mut self, tid: ThreadId) -> Result<(), Exception> {
        if self.in_event_loop(tid) {
            return crate::python::value::raise(
                ExcKind::RuntimeError,
                "Cannot close a running event loop",
            );
        }
        if let Some(l) = self.threads[tid].event_loop.as_mut() {
            l.closed = true;
            l.ready.clear();
            l.timers.clear();
            l.timer_futures.clear();
        }
        Ok(())
    }

    /// Thread `tid` forgets its loop (not running), for `new_event_loop()`.
    pub fn drop_loop(&mut self, tid: ThreadId) {
        if !self.in_event_loop(tid) {
            self.threads[tid].event_loop = None;
        }
    }

    /// Whether thread `tid` has a loop and it is closed.
    pub fn loop_closed(&self, tid: ThreadId) -> bool {
        self.threads[tid]
            .event_loop
            .as_ref()
            .is_some_and(|l| l.closed)
    }

    fn new_loop(&mut self, tid: ThreadId) -> EventLoop {
        let placeholder = self.new_future(Some(tid), "");
        EventLoop {
            base: 0,
            ready: VecDeque::new(),
            ntodo: 0,
            selected: false,
            timers: BinaryHeap::new(),
            timer_futures: HashMap::new(),
            seq: 0,
            current: None,
            main: placeholder,
            tasks: Vec::new(),
            default_executor: None,
            handle: self.loop_handle(),
            phase: LoopPhase::Running,
            running: false,
            keep: false,
            closed: false,
        }
    }

    /// `asyncio.run` returns: its main task's outcome goes to the code that called it, after
    /// the default executor is shut down (as `asyncio.run` does).
    pub(super) fn finish_loop(&mut self, tid: ThreadId) {
        let keep = self.threads[tid]
            .event_loop
            .as_ref()
            .is_some_and(|l| l.keep);
        let (main, executor) = if keep {
            // run_until_complete: the loop stays as it is for the next run; no shutdown.
            let l = self.threads[tid].event_loop.as_mut().expect("in a loop");
            l.running = false;
            l.keep = false;
            l.ntodo = 0;
            l.selected = false;
            (l.main.clone(), Value::None)
        } else {
            let l = self.threads[tid].event_loop.take().expect("in a loop");
            (l.main, l.default_executor.unwrap_or(Value::None))
        };
        let (ok, value) = match &*main.state.borrow() {
            FutState::Done(v) => (true, v.clone()),
            FutState::Failed(e) => (false, Value::Exception(Rc::new(e.clone()))),
            _ => (
                false,
                Value::Exception(Rc::new(Exception::new(ExcKind::CancelledError, ""))),
            ),
        };
        let finish = self.prelude_fn("_finish_run");
        self.threads[tid].start = None;
        let mut frames = std::mem::take(&mut self.threads[tid].frames);
        let r = self.call_value(
            tid,
            &mut frames,
            finish,
            vec![executor, Value::Bool(ok), value],
            Vec::new(),
            Caller::Call,
        );
        self.threads[tid].frames = frames;
        if let Err(e) = r {
            self.threads[tid].resume = Some(Err(e));
        }
    }

    /// The object `asyncio.get_running_loop()` returns.
    pub(super) fn loop_handle(&self) -> Value {
        let mut attrs = crate::core::fast_hash::FastMap::default();
        for (name, prelude_name) in [
            ("run_in_executor", "_run_in_executor"),
            ("create_task", "_loop_create_task"),
            ("create_future", "_loop_future"),
            ("time", "_loop_time"),
            ("call_soon", "_loop_call_soon"),
            ("call_soon_threadsafe", "_loop_call_soon"),
            ("call_later", "_loop_call_later"),
            ("call_at", "_loop_call_at"),
            ("run_until_complete", "_loop_run_until_complete"),
            ("run_forever", "_loop_run_forever"),
            ("close", "_loop_close"),
            ("is_running", "_loop_is_running"),
            ("is_closed", "_loop_is_closed"),
        ] {
            attrs.insert(Rc::from(name), self.prelude_fn(prelude_name));
        }
        Value::object(Namespace {
            type_name: Rc::from("_UnixSelectorEventLoop"),
            attrs: RefCell::new(attrs),
        })
    }
}
