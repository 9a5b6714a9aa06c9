//! An asyncio event loop's data: its ready queue, its timers and its tasks. The loop lives in
//! the thread that called `asyncio.run` (as in CPython), so the thread table holds it; what
//! the loop does with it is in [`super::event_loop`].

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::rc::Rc;

use crate::core::clock::Nanos;
use crate::python::futures::Future;
use crate::python::value::Value;

/// A callback in the ready queue (CPython's `Handle`): a task's next step, or a timer that
/// is due (its callback finishes the future, which then schedules the task awaiting it).
pub(super) enum Ready {
    Step(Rc<Future>),
    Timer(Rc<Future>, Value),
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
    pub(super) timer_futures: HashMap<u64, (Rc<Future>, Value)>,
    pub(super) seq: u64,
    pub(super) current: Option<Rc<Future>>,
    pub(super) main: Rc<Future>,
    pub(super) tasks: Vec<Rc<Future>>,
    pub(super) default_executor: Option<Value>,
    pub(super) handle: Value,
    pub(super) phase: LoopPhase,
}
