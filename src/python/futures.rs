//! Futures and tasks: an asyncio future or task, or a `concurrent.futures.Future`, with who
//! to tell when it finishes ([`Waker`]), and the awaitable `asyncio.sleep` returns. Completing
//! a future and waking its waiters is the runtime's (`runtime::futures`).

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::sync::ThreadId;
use super::value::{Exception, Object, Value};
use crate::core::clock::Nanos;
use crate::core::interpreter::WaitingFor;

/// Whether a future has finished, and how.
#[derive(Clone)]
pub enum FutState {
    Pending,
    Done(Value),
    Failed(Exception),
    Cancelled,
}

/// Who to tell when a future finishes.
#[derive(Clone)]
pub enum Waker {
    /// An asyncio task awaiting it: schedule the task's next step.
    Task(Rc<Future>),
    /// A thread blocked in `result()`: it gets the result.
    Thread(ThreadId),
    /// A thread waiting for any of several futures (`as_completed`): it just wakes.
    ThreadNone(ThreadId),
    /// Another future that mirrors this one (`wrap_future`: a concurrent future seen from
    /// asyncio).
    Chain(Rc<Future>),
    /// Another future that just learns that this one finished (result `None`).
    Notify(Rc<Future>),
    /// The `index`-th child of a `gather`.
    Gather(Rc<Future>, usize),
    /// A done callback (`fut.add_done_callback(f)`): the loop calls `f(fut)` soon after.
    Callback(Value),
}

/// A callback the event loop will call (`loop.call_soon`, `call_later`, `call_at`, a done
/// callback): CPython's `Handle` and `TimerHandle`, which `cancel()` stops.
pub struct CallbackHandle {
    pub f: Value,
    pub args: Vec<Value>,
    pub cancelled: Cell<bool>,
    /// When a timer's callback is due (the loop's clock), `None` for `call_soon`.
    pub when: Option<Nanos>,
}

impl Object for CallbackHandle {
    fn type_name(&self) -> &str {
        if self.when.is_some() {
            "TimerHandle"
        } else {
            "Handle"
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// What makes a future an asyncio task.
pub struct TaskPart {
    pub coro: Value,
    pub lane: usize,
    pub name: String,
    /// Set by `cancel()`: the next step throws `CancelledError` into the coroutine.
    pub must_cancel: Cell<bool>,
    /// The future the task waits for, if any.
    pub waiting_on: RefCell<Option<Rc<Future>>>,
    /// `cancel()` requests not yet taken back by `uncancel()` (`Task.cancelling()`).
    pub cancel_requests: Cell<u32>,
}

/// A `gather`'s results so far (by position), how many are still missing, whether
/// exceptions are returned as results, and its children (which cancelling it cancels).
pub type GatherState = (Vec<Option<Value>>, usize, bool, Vec<Rc<Future>>);

/// An asyncio future or task, or a `concurrent.futures.Future`.
pub struct Future {
    pub state: RefCell<FutState>,
    pub waiters: RefCell<Vec<Waker>>,
    /// The thread whose event loop an asyncio future belongs to; `None` for concurrent futures.
    pub event_loop: Option<ThreadId>,
    pub task: Option<TaskPart>,
    /// Order of completion, for `as_completed`.
    pub done_seq: Cell<u64>,
    /// For `gather`: children results, and how many are still pending.
    pub gather: Option<RefCell<GatherState>>,
    /// What a task awaiting this future is shown doing, e.g. `sleep 30 s`.
    pub label: String,
    /// What awaiting this future waits for, as far as it is known: set by whoever made it (a
    /// sleep, a task, a lock...) and filled in as more is learnt (the timer of a `wait_for`,
    /// the helper thread that runs a `to_thread` call). See `runtime::waits`.
    pub wait: RefCell<Option<WaitingFor>>,
    /// For a concurrent future of a thread pool: the worker thread that took its call.
    pub runner: Cell<Option<ThreadId>>,
}

impl Future {
    pub fn is_done(&self) -> bool {
        !matches!(*self.state.borrow(), FutState::Pending)
    }

    /// The number the runtime reports a task by (in its task events).
    pub fn id(this: &Rc<Future>) -> usize {
        Rc::as_ptr(this) as usize
    }
}

/// A value holding an `Rc<Future>`, so the runtime can keep and compare futures.
pub struct FutureObj(pub Rc<Future>);

impl Object for FutureObj {
    fn type_name(&self) -> &str {
        if self.0.task.is_some() {
            "Task"
        } else {
            "Future"
        }
    }
    fn repr(&self) -> String {
        let state = match &*self.0.state.borrow() {
            FutState::Pending => "pending",
            FutState::Done(_) | FutState::Failed(_) => "finished",
            FutState::Cancelled => "cancelled",
        };
        match &self.0.task {
            Some(t) => format!("<Task {state} name='{}'>", t.name),
            None => format!("<Future {state}>"),
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn identity(&self) -> Option<usize> {
        Some(Rc::as_ptr(&self.0) as usize)
    }
}

/// `asyncio.sleep(secs)`: starts its timer when first awaited, as CPython's coroutine does.
pub struct SleepAwaitable {
    pub secs: f64,
    /// The delay as the program gave it (`30`, `0.5`), for what the task is shown waiting for.
    pub delay: String,
    pub result: Value,
    pub future: RefCell<Option<Rc<Future>>>,
}

impl Object for SleepAwaitable {
    fn type_name(&self) -> &str {
        "coroutine"
    }
    fn repr(&self) -> String {
        "<coroutine object sleep>".into()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}
