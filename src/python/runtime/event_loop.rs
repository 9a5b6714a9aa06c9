//! asyncio's event loop, run by the thread that called `asyncio.run`: each turn fires the
//! timers that are due, then resumes the next ready task until its next `await` that must
//! wait; with nothing ready it waits in `select()` for the next timer or a wake-up. Tasks'
//! states are reported as [`TaskEvent`]s so the trace can draw each task as a lane. When the
//! main task is done, the tasks still running are cancelled and `asyncio.run` returns.

use std::cell::{Cell, RefCell};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::rc::Rc;

use super::loop_state::EventLoop;
use super::state::Runtime;
use super::waits::{wait_of_label, waiting_for};
use crate::core::clock::from_secs;
use crate::core::interpreter::{Action, TaskEvent};
use crate::core::interpreter::{By, WaitingFor};
use crate::core::trace::State;
use crate::core::trace::WaitOn;
use crate::python::error::PyError;
use crate::python::frame::Caller;
use crate::python::futures::{FutState, Future, FutureObj, TaskPart, Waker};
use crate::python::objects::Namespace;
use crate::python::sync::ThreadId;
use crate::python::value::{ExcKind, Exception, Value};

impl Runtime {
    /// `asyncio.run(coro)` in thread `tid`, whose frames (`base` of them) wait for its result.
    pub fn start_event_loop(
        &mut self,
        tid: ThreadId,
        base: usize,
        coro: Value,
    ) -> Result<(), Exception> {
        if self.threads[tid].event_loop.is_some() {
            return crate::python::value::raise(
                ExcKind::RuntimeError,
                "asyncio.run() cannot be called from a running event loop",
            );
        }
        let placeholder = self.new_future(Some(tid), "");
        let handle = self.loop_handle();
        self.threads[tid].event_loop = Some(EventLoop {
            base,
            ready: VecDeque::new(),
            timers: BinaryHeap::new(),
            timer_futures: HashMap::new(),
            seq: 0,
            current: None,
            main: placeholder,
            tasks: Vec::new(),
            default_executor: None,
            handle,
            cancelling: false,
        });
        let main = self.create_task(tid, coro, None)?;
        if let Some(l) = self.threads[tid].event_loop.as_mut() {
            l.main = main;
        }
        Ok(())
    }

    /// `loop.create_task(coro)`.
    pub fn create_task(
        &mut self,
        tid: ThreadId,
        coro: Value,
        name: Option<String>,
    ) -> Result<Rc<Future>, Exception> {
        let Some(g) = coro.downcast::<crate::python::frame::Generator>() else {
            return crate::python::value::raise(
                ExcKind::TypeError,
                format!(
                    "a coroutine was expected, got {}",
                    crate::python::ops::repr(&coro)
                ),
            );
        };
        if g.state.kind != crate::python::bytecode::CodeKind::Coroutine {
            return crate::python::value::raise(
                ExcKind::TypeError,
                format!(
                    "a coroutine was expected, got {}",
                    crate::python::ops::repr(&coro)
                ),
            );
        }
        let number = self.threads[tid]
            .event_loop
            .as_ref()
            .map_or(0, |l| l.tasks.len() + 1);
        let name = name.unwrap_or_else(|| format!("Task-{number} {}()", g.state.name));
        let task = Rc::new(Future {
            state: RefCell::new(FutState::Pending),
            waiters: RefCell::new(Vec::new()),
            event_loop: Some(tid),
            task: Some(TaskPart {
                coro,
                lane: 0,
                name: name.clone(),
                must_cancel: Cell::new(false),
                waiting_on: RefCell::new(None),
            }),
            done_seq: Cell::new(0),
            gather: None,
            label: format!("await {name}"),
            wait: RefCell::new(None),
            runner: Cell::new(None),
        });
        *task.wait.borrow_mut() = Some(WaitingFor {
            on: WaitOn::Task,
            what: name.clone(),
            until: None,
            by: Some(By::Task(Future::id(&task))),
        });
        let id = Rc::as_ptr(&task) as usize;
        self.task_events.push(TaskEvent::Created {
            task: id,
            name,
            event_loop: tid,
        });
        let Some(l) = self.threads[tid].event_loop.as_mut() else {
            return crate::python::value::raise(ExcKind::RuntimeError, "no running event loop");
        };
        l.tasks.push(task.clone());
        self.make_ready(&task);
        // Creating a task costs the loop a step of bookkeeping.
        self.threads[tid].cost += from_secs(self.profile.task_step_s);
        Ok(task)
    }

    pub(super) fn make_ready(&mut self, task: &Rc<Future>) {
        let Some(lt) = task.event_loop else { return };
        let Some(l) = self.threads[lt].event_loop.as_mut() else {
            return;
        };
        l.ready.push_back(task.clone());
        self.task_events.push(TaskEvent::State {
            task: Rc::as_ptr(task) as usize,
            state: State::Ready,
            label: String::new(),
            line: None,
            wait: None,
        });
        self.wakes.push(lt);
    }

    /// A future on `tid`'s loop that finishes with `result` after `secs` (from now).
    /// `delay` is the delay as the program wrote it, for what an awaiting task is shown
    /// waiting for (`asyncio.sleep(30)`).
    pub fn sleep_future(
        &mut self,
        tid: ThreadId,
        secs: f64,
        delay: &str,
        result: Value,
    ) -> Result<Rc<Future>, Exception> {
        if self.threads[tid].event_loop.is_none() {
            return crate::python::value::raise(ExcKind::RuntimeError, "no running event loop");
        }
        let label = format!("sleep {}", crate::python::ops::to_str(&Value::Float(secs)));
        let fut = self.new_future(Some(tid), &label);
        *fut.wait.borrow_mut() = Some(waiting_for(
            WaitOn::Timer,
            format!("asyncio.sleep({delay})"),
        ));
        self.call_later(tid, secs, fut.clone(), result);
        Ok(fut)
    }

    /// Finishes `fut` with `result` after `secs`, on `tid`'s loop.
    pub fn call_later(&mut self, tid: ThreadId, secs: f64, fut: Rc<Future>, result: Value) {
        let when = self
            .now
            .saturating_add(self.threads[tid].cost)
            .saturating_add(from_secs(secs.max(0.0)));
        self.timer_set(&fut, when, secs);
        if let Some(l) = self.threads[tid].event_loop.as_mut() {
            l.seq += 1;
            l.timers.push(Reverse((when, l.seq)));
            l.timer_futures.insert(l.seq, (fut, result));
        }
    }

    /// The event loop's next move when no task is running.
    pub(super) fn loop_next(&mut self, tid: ThreadId) -> Result<Option<Action>, PyError> {
        let now = self.now;
        // Timers that are due finish their futures (earliest first).
        loop {
            let l = self.threads[tid].event_loop.as_mut().expect("in a loop");
            let Some(&Reverse((when, seq))) = l.timers.peek() else {
                break;
            };
            if when > now {
                break;
            }
            l.timers.pop();
            if let Some((fut, result)) = l.timer_futures.remove(&seq) {
                self.complete(&fut, FutState::Done(result));
            }
        }
        let l = self.threads[tid].event_loop.as_mut().expect("in a loop");
        while let Some(task) = l.ready.pop_front() {
            if task.is_done() {
                continue;
            }
            return self.step_task(tid, task).map(|_| None);
        }
        if l.main.is_done() {
            let pending: Vec<_> = l.tasks.iter().filter(|t| !t.is_done()).cloned().collect();
            if !pending.is_empty() && !l.cancelling {
                // asyncio.run cancels the tasks still running when main returns.
                l.cancelling = true;
                for t in pending {
                    self.cancel_task(&t);
                }
                return Ok(None);
            }
            self.finish_loop(tid);
            return Ok(None);
        }
        let until = l.timers.peek().map(|Reverse((w, _))| *w);
        Ok(Some(Action::Select { until }))
    }

    /// Resumes `task` on its loop's thread until its next suspension.
    pub(super) fn step_task(&mut self, tid: ThreadId, task: Rc<Future>) -> Result<(), PyError> {
        let part = task.task.as_ref().expect("a task");
        let id = Rc::as_ptr(&task) as usize;
        self.task_events.push(TaskEvent::State {
            task: id,
            state: State::Running,
            label: String::new(),
            line: None,
            wait: None,
        });
        self.threads[tid].cost += from_secs(self.profile.task_step_s);
        let Some(g) = part.coro.downcast::<crate::python::frame::Generator>() else {
            return Ok(());
        };
        let state = g.state.clone();
        let must_cancel = part.must_cancel.replace(false);
        if let Some(l) = self.threads[tid].event_loop.as_mut() {
            l.current = Some(task.clone());
        }
        let Some(mut frame) = state.frame.borrow_mut().take() else {
            return Ok(());
        };
        state.running.set(true);
        frame.caller = Caller::Base;
        frame.generator = Some(state.clone());
        let started = state.started.get();
        let t = &mut self.threads[tid];
        if must_cancel {
            t.resume = Some(Err(Exception::new(ExcKind::CancelledError, "")));
        } else if started {
            t.resume = Some(Ok(Value::None));
        }
        t.frames.push(*frame);
        Ok(())
    }

    /// The task that was running on `tid`'s loop, now that its step is over.
    pub(super) fn take_current_task(&mut self, tid: ThreadId) -> Option<Rc<Future>> {
        self.threads[tid].event_loop.as_mut()?.current.take()
    }

    /// The running task yielded `v`, usually the future it waits for.
    pub(super) fn after_task_step(&mut self, tid: ThreadId, v: Value) {
        let line = self.current_line(tid);
        let Some(task) = self.take_current_task(tid) else {
            return;
        };
        let id = Rc::as_ptr(&task) as usize;
        match v.downcast::<FutureObj>() {
            Some(f) if !f.0.is_done() => {
                let fut = f.0.clone();
                fut.waiters.borrow_mut().push(Waker::Task(task.clone()));
                if let Some(t) = &task.task {
                    *t.waiting_on.borrow_mut() = Some(fut.clone());
                }
                // The task is shown at its own `await` (the loop's thread is back at
                // `asyncio.run`), waiting for what the future stands for.
                let wait = fut.wait.borrow().clone();
                let wait = wait.unwrap_or_else(|| wait_of_label(&fut.label));
                let (own_line, wait) = self.awaited(&task, wait);
                self.task_events.push(TaskEvent::State {
                    task: id,
                    state: State::Awaiting,
                    label: fut.label.clone(),
                    line: own_line.or(line),
                    wait: Some(wait),
                });
            }
            _ => self.make_ready(&task),
        }
    }

    pub(super) fn task_finished(&mut self, tid: ThreadId, state: FutState) {
        let Some(task) = self.take_current_task(tid) else {
            return;
        };
        if let FutState::Failed(e) = &state {
            if let Some(t) = &task.task {
                self.notes.push(format!(
                    "Task {} raised {}: {}",
                    t.name,
                    e.kind.name(),
                    e.message
                ));
            }
        }
        self.task_events.push(TaskEvent::Done {
            task: Rc::as_ptr(&task) as usize,
        });
        self.raise_line = None;
        self.complete(&task, state);
    }

    /// `task.cancel()`.
    pub fn cancel_task(&mut self, task: &Rc<Future>) -> bool {
        if task.is_done() {
            return false;
        }
        let Some(part) = &task.task else {
            self.complete(task, FutState::Cancelled);
            return true;
        };
        part.must_cancel.set(true);
        let waiting = part.waiting_on.borrow_mut().take();
        if let Some(w) = waiting {
            if w.task.is_none() && w.gather.is_none() {
                self.complete(&w, FutState::Cancelled);
            }
            self.make_ready(task);
        }
        true
    }

    /// `asyncio.run` returns: its main task's outcome goes to the code that called it, after
    /// the default executor is shut down (as `asyncio.run` does).
    pub(super) fn finish_loop(&mut self, tid: ThreadId) {
        let l = self.threads[tid].event_loop.take().expect("in a loop");
        let (ok, value) = match &*l.main.state.borrow() {
            FutState::Done(v) => (true, v.clone()),
            FutState::Failed(e) => (false, Value::Exception(Rc::new(e.clone()))),
            _ => (
                false,
                Value::Exception(Rc::new(Exception::new(ExcKind::CancelledError, ""))),
            ),
        };
        let finish = self.prelude_fn("_finish_run");
        let executor = l.default_executor.unwrap_or(Value::None);
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
        ] {
            attrs.insert(Rc::from(name), self.prelude_fn(prelude_name));
        }
        Value::object(Namespace {
            type_name: Rc::from("_UnixSelectorEventLoop"),
            attrs: RefCell::new(attrs),
        })
    }

    /// Whether thread `tid` runs an event loop (is inside `asyncio.run`).
    pub fn in_event_loop(&self, tid: ThreadId) -> bool {
        self.threads[tid].event_loop.is_some()
    }

    /// The task running on thread `tid`'s loop (`asyncio.current_task()`).
    pub fn current_task(&self, tid: ThreadId) -> Option<Rc<Future>> {
        self.threads[tid].event_loop.as_ref()?.current.clone()
    }

    /// The object `asyncio.get_running_loop()` gives on thread `tid`.
    pub fn running_loop(&self, tid: ThreadId) -> Option<Value> {
        Some(self.threads[tid].event_loop.as_ref()?.handle.clone())
    }

    /// The executor `run_in_executor(None, ...)` uses on thread `tid`'s loop, once made.
    pub fn default_executor(&self, tid: ThreadId) -> Option<Value> {
        self.threads[tid]
            .event_loop
            .as_ref()?
            .default_executor
            .clone()
    }

    /// Sets the executor `run_in_executor(None, ...)` uses on thread `tid`'s loop.
    pub fn set_default_executor(&mut self, tid: ThreadId, executor: Option<Value>) {
        if let Some(l) = self.threads[tid].event_loop.as_mut() {
            l.default_executor = executor;
        }
    }
}
