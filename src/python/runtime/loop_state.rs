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
pub struct EventLoop {
    /// Frames below this depth belong to the code that called `asyncio.run`.
    pub base: usize,
    pub ready: VecDeque<Rc<Future>>,
    pub timers: BinaryHeap<Reverse<(Nanos, u64)>>,
    pub timer_futures: HashMap<u64, (Rc<Future>, Value)>,
    pub seq: u64,
    pub current: Option<Rc<Future>>,
    pub main: Rc<Future>,
    pub tasks: Vec<Rc<Future>>,
    pub default_executor: Option<Value>,
    pub handle: Value,
    pub cancelling: bool,
}
