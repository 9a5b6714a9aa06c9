//! An asyncio event loop's data: its ready queue, its timers and its tasks. The loop lives in
//! the thread that called `asyncio.run` (as in CPython), so the thread table holds it; what
//! the loop does with it is in [`super::event_loop`].

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::rc::Rc;

use crate::core::clock::Nanos;
use crate::python::futures::Future;
use crate::python::value::Value;

/// An asyncio event loop, living in the thread that called `asyncio.run`.
pub(super) struct EventLoop {
    /// Frames below this depth belong to the code that called `asyncio.run`.
    pub(super) base: usize,
    pub(super) ready: VecDeque<Rc<Future>>,
    pub(super) timers: BinaryHeap<Reverse<(Nanos, u64)>>,
    pub(super) timer_futures: HashMap<u64, (Rc<Future>, Value)>,
    pub(super) seq: u64,
    pub(super) current: Option<Rc<Future>>,
    pub(super) main: Rc<Future>,
    pub(super) tasks: Vec<Rc<Future>>,
    pub(super) default_executor: Option<Value>,
    pub(super) handle: Value,
    pub(super) cancelling: bool,
}
