//! asyncio's event loop, run by the thread that called `asyncio.run`, iteration by iteration
//! as `BaseEventLoop._run_once` (3.11): with nothing ready it waits in `select()` for the
//! next timer, its timeout rounded *up* to whole milliseconds as `EpollSelector.select`
//! does (so it wakes up to a millisecond late), or for a wake-up from another thread; then
//! every timer that is due moves to the ready queue, and the iteration runs the callbacks
//! that were ready when it began, in order — what they schedule (the task a timer's future
//! wakes, the waiters of a semaphore a task released) runs in the next iteration. So tasks
//! whose timers end within the same millisecond all run before the tasks they wake. Tasks'
//! states are reported as [`TaskEvent`]s so the trace can draw each task as a lane. When
//! the main task is done, one more iteration runs (its done callback stops the loop), the
//! tasks still pending are cancelled and run until they end, and `asyncio.run` returns.

use std::cell::{Cell, RefCell};
use std::cmp::Reverse;
use std::rc::Rc;

use super::loop_state::{LoopPhase, Ready, TimerAction};
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
use crate::python::sync::ThreadId;
use crate::python::value::{ExcKind, Exception, Value};

impl Runtime {
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
                cancel_requests: Cell::new(0),
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
        l.ready.push_back(Ready::Step(task.clone()));
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
            l.timer_futures
                .insert(l.seq, TimerAction::Finish(fut, result));
        }
    }

    /// The event loop's next move when no task is running: the next callback of this
    /// iteration, or the start of the next iteration (`_run_once`).
    pub(super) fn loop_next(&mut self, tid: ThreadId) -> Result<Option<Action>, PyError> {
        loop {
            let l = self.threads[tid].event_loop.as_mut().expect("in a loop");
            if l.ntodo > 0 {
                l.ntodo -= 1;
                match l.ready.pop_front() {
                    Some(Ready::Timer(fut, result)) => self.complete(&fut, FutState::Done(result)),
                    Some(Ready::Step(task)) if !task.is_done() => {
                        return self.step_task(tid, task).map(|_| None);
                    }
                    Some(Ready::Step(_)) => {}
                    Some(Ready::Callback(h)) if !h.cancelled.get() => {
                        self.run_callback(tid, &h);
                        return Ok(None);
                    }
                    Some(Ready::Callback(_)) => {}
                    None => l.ntodo = 0,
                }
                continue;
            }
            if let Some(action) = self.next_iteration(tid)? {
                return Ok(action);
            }
        }
    }

    /// Between two iterations: stop or cancel when the main task is done, else wait in
    /// `select()` if nothing is ready, then move the due timers to the ready queue and start
    /// an iteration over what is ready. `Some(None)` when `asyncio.run` has returned.
    fn next_iteration(&mut self, tid: ThreadId) -> Result<Option<Option<Action>>, PyError> {
        let now = self.now;
        let l = self.threads[tid].event_loop.as_mut().expect("in a loop");
        if l.main.is_done() && !l.selected {
            match l.phase {
                LoopPhase::Running => l.phase = LoopPhase::Stopping,
                LoopPhase::Stopping if l.keep => {
                    // run_until_complete stops here: the other tasks wait for the next run.
                    self.finish_loop(tid);
                    return Ok(Some(None));
                }
                LoopPhase::Stopping => {
                    // `asyncio.run` cancels the tasks still running when main returns.
                    l.phase = LoopPhase::Cancelling;
                    let pending: Vec<_> =
                        l.tasks.iter().filter(|t| !t.is_done()).cloned().collect();
                    for t in pending {
                        self.cancel_task(&t);
                    }
                }
                LoopPhase::Cancelling => {}
            }
            let l = self.threads[tid].event_loop.as_mut().expect("in a loop");
            if l.phase == LoopPhase::Cancelling && l.tasks.iter().all(|t| t.is_done()) {
                self.finish_loop(tid);
                return Ok(Some(None));
            }
        }
        let l = self.threads[tid].event_loop.as_mut().expect("in a loop");
        l.drop_void_timers();
        let next_timer = l.timers.peek().map(|Reverse((w, _))| *w);
        let must_wait = l.ready.is_empty() && l.phase != LoopPhase::Stopping;
        if must_wait && !l.selected && next_timer.is_none_or(|when| when > now) {
            l.selected = true;
            let until = next_timer.map(|when| now.saturating_add(ceil_ms(when - now)));
            return Ok(Some(Some(Action::Select { until })));
        }
        l.selected = false;
        // Every timer due by now joins the ready queue, earliest first.
        while let Some(&Reverse((when, seq))) = l.timers.peek() {
            if when > now {
                break;
            }
            l.timers.pop();
            match l.timer_futures.remove(&seq) {
                Some(TimerAction::Finish(fut, result)) => {
                    l.ready.push_back(Ready::Timer(fut, result))
                }
                Some(TimerAction::Call(h)) => l.ready.push_back(Ready::Callback(h)),
                None => {}
            }
        }
        l.ntodo = l.ready.len();
        Ok(None)
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
                // Cancelled while it ran: what it now awaits is cancelled (`__step`).
                let must_cancel = task.task.as_ref().is_some_and(|t| t.must_cancel.get());
                if must_cancel && self.cancel_future(&fut) {
                    if let Some(t) = &task.task {
                        t.must_cancel.set(false);
                    }
                }
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
                    e.class_name(),
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

    /// `task.cancel()` (or a future's), as `Task.cancel` in 3.11: the request is counted
    /// (`cancelling()`); a task waiting for a future cancels that future (a task it awaits
    /// in turn, the children of a gather), and is woken when it is done, with
    /// `CancelledError`; otherwise `CancelledError` is thrown into it at its next step.
    pub fn cancel_task(&mut self, task: &Rc<Future>) -> bool {
        if task.is_done() {
            return false;
        }
        let Some(part) = &task.task else {
            return self.cancel_future(task);
        };
        part.cancel_requests.set(part.cancel_requests.get() + 1);
        let waiting = part.waiting_on.borrow().clone();
        if let Some(w) = waiting {
            if self.cancel_future(&w) {
                return true;
            }
        }
        part.must_cancel.set(true);
        true
    }

    /// `fut.cancel()` of what a task awaits: a task is cancelled in turn, a gather cancels
    /// its children, a plain future ends cancelled. False when nothing was cancelled.
    fn cancel_future(&mut self, fut: &Rc<Future>) -> bool {
        if fut.is_done() {
            return false;
        }
        if fut.task.is_some() {
            return self.cancel_task(fut);
        }
        if let Some(children) = self.gather_children(fut) {
            let mut any = false;
            for c in children {
                any |= self.cancel_future(&c);
            }
            return any;
        }
        self.complete(fut, FutState::Cancelled);
        true
    }

    /// Whether thread `tid` runs an event loop (is inside `asyncio.run`).
    pub fn in_event_loop(&self, tid: ThreadId) -> bool {
        self.threads[tid]
            .event_loop
            .as_ref()
            .is_some_and(|l| l.running)
    }

    /// Whether thread `tid` has an event loop, running or not (tasks can be made on it).
    pub fn has_loop(&self, tid: ThreadId) -> bool {
        self.threads[tid]
            .event_loop
            .as_ref()
            .is_some_and(|l| !l.closed)
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

/// A `select()` timeout as `epoll_wait` gets it: rounded up to whole milliseconds, so that
/// the loop waits *at least* until its timer (`EpollSelector.select` in Lib/selectors.py).
fn ceil_ms(ns: crate::core::clock::Nanos) -> crate::core::clock::Nanos {
    const MS: u64 = 1_000_000;
    ns.div_ceil(MS) * MS
}
