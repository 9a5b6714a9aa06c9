//! An asyncio event loop's data: its ready queue, its timers and its tasks. The loop lives in
//! the thread that called `asyncio.run` (as in CPython), so the thread table holds it; what
//! the loop does with it is in [`super::event_loop`].

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::rc::Rc;

use crate::core::clock::Nanos;
use crate::python::futures::{CallbackHandle, Future};
use crate::python::value::Value;

/// A callback in the ready queue (CPython's `Handle`): a task's next step, or a timer that
/// is due (its callback finishes the future, which then schedules the task awaiting it).
pub(super) enum Ready {
    Step(Rc<Future>),
    Timer(Rc<Future>, Value),
    /// A callback of the program's or the library's (`call_soon`, a done callback).
    Callback(Rc<CallbackHandle>),
}

/// What a timer does when it is due: finish a future (a sleep, a timeout's waiter), or
/// call a callback (`call_later`).
pub(super) enum TimerAction {
    Finish(Rc<Future>, Value),
    Call(Rc<CallbackHandle>),
}

impl TimerAction {
    /// A timer that can no longer do anything: its future is done already (a `wait_for`
    /// whose task finished first) or its callback was cancelled. CPython cancels those
    /// timers; the loop drops them from the head of its queue before it computes how long
    /// to wait.
    pub(super) fn is_void(&self) -> bool {
        match self {
            TimerAction::Finish(fut, _) => fut.is_done(),
            TimerAction::Call(h) => h.cancelled.get(),
        }
    }
}

/// Where the loop is in `asyncio.run`'s life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum LoopPhase {
    /// Running the main task.
    Running,
    /// The main task is done: the iteration that runs its done callback is the last one of
    /// `run_until_complete` (`loop.stop()`).
    Stopping,
    /// The tasks still pending have been cancelled; the loop runs until they are done.
    Cancelling,
}

/// An asyncio event loop, living in the thread that called `asyncio.run`.
pub(super) struct EventLoop {
    /// Frames below this depth belong to the code that called `asyncio.run`.
    pub(super) base: usize,
    pub(super) ready: VecDeque<Ready>,
    /// Callbacks of the ready queue the current iteration still runs (CPython's `ntodo`):
    /// what they schedule waits for the next iteration.
    pub(super) ntodo: usize,
    /// Whether the loop has waited in `select()` for this iteration already.
    pub(super) selected: bool,
    pub(super) timers: BinaryHeap<Reverse<(Nanos, u64)>>,
    pub(super) timer_futures: HashMap<u64, TimerAction>,
    pub(super) seq: u64,
    pub(super) current: Option<Rc<Future>>,
    pub(super) main: Rc<Future>,
    pub(super) tasks: Vec<Rc<Future>>,
    pub(super) default_executor: Option<Value>,
    pub(super) handle: Value,
    pub(super) phase: LoopPhase,
    /// Whether the loop runs now (inside `asyncio.run` or `run_until_complete`); a loop
    /// from `get_event_loop()` outside them holds its tasks until it runs.
    pub(super) running: bool,
    /// A loop run by `run_until_complete`: it stays when the awaitable is done (its other
    /// tasks wait for the next run), and nothing is cancelled.
    pub(super) keep: bool,
    pub(super) closed: bool,
}

impl EventLoop {
    /// Drops the timers at the head of the queue that can no longer do anything.
    pub(super) fn drop_void_timers(&mut self) {
        while let Some(&Reverse((_, seq))) = self.timers.peek() {
            let void = self
                .timer_futures
                .get(&seq)
                .is_none_or(TimerAction::is_void);
            if !void {
                break;
            }
            self.timers.pop();
            self.timer_futures.remove(&seq);
        }
    }
}
