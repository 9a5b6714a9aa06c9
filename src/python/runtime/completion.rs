//! Finishing a future and telling everyone who waits for it: the asyncio tasks awaiting it,
//! threads blocked in `result()`, futures chained to it, and the `gather` it belongs to.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::state::Runtime;
use super::waits::{wait_of_label, waiting_for};
use crate::core::trace::WaitOn;
use crate::python::futures::{FutState, Future, Waker};
use crate::python::sync::ThreadId;
use crate::python::value::{ExcKind, Exception, Value};

impl Runtime {
    pub fn new_future(&mut self, event_loop: Option<ThreadId>, label: &str) -> Rc<Future> {
        Rc::new(Future {
            state: RefCell::new(FutState::Pending),
            waiters: RefCell::new(Vec::new()),
            event_loop,
            task: None,
            done_seq: Cell::new(0),
            gather: None,
            label: label.to_string(),
            wait: RefCell::new(Some(wait_of_label(label))),
            runner: Cell::new(None),
        })
    }

    /// Finishes `fut` (if it is not finished yet) and tells everyone waiting for it.
    pub fn complete(&mut self, fut: &Rc<Future>, state: FutState) {
        if fut.is_done() {
            return;
        }
        self.done_seq += 1;
        fut.done_seq.set(self.done_seq);
        *fut.state.borrow_mut() = state.clone();
        let waiters: Vec<Waker> = fut.waiters.borrow_mut().drain(..).collect();
        for w in waiters {
            match w {
                Waker::Task(task) => {
                    let waiting = task
                        .task
                        .as_ref()
                        .and_then(|t| t.waiting_on.borrow().clone());
                    if waiting.is_some_and(|w| Rc::ptr_eq(&w, fut)) {
                        if let Some(t) = &task.task {
                            *t.waiting_on.borrow_mut() = None;
                        }
                        self.make_ready(&task);
                    }
                }
                Waker::Thread(tid) => {
                    let result = match &state {
                        FutState::Done(v) => Ok(v.clone()),
                        FutState::Failed(e) => Err(e.clone()),
                        FutState::Cancelled => Err(Exception::new(ExcKind::CancelledError, "")),
                        FutState::Pending => Ok(Value::None),
                    };
                    self.wake_thread(tid, result);
                }
                Waker::ThreadNone(tid) => self.wake_thread(tid, Ok(Value::None)),
                Waker::Chain(other) => self.complete(&other, state.clone()),
                Waker::Notify(other) => self.complete(&other, FutState::Done(Value::None)),
                Waker::Gather(outer, index) => self.gather_child_done(&outer, index, &state),
            }
        }
    }

    pub(super) fn gather_child_done(&mut self, outer: &Rc<Future>, index: usize, state: &FutState) {
        if outer.is_done() {
            return;
        }
        let Some(g) = &outer.gather else { return };
        let return_exceptions = g.borrow().2;
        let value = match state {
            FutState::Done(v) => v.clone(),
            FutState::Failed(e) if return_exceptions => e.to_value(),
            FutState::Cancelled if return_exceptions => {
                Value::Exception(Rc::new(Exception::new(ExcKind::CancelledError, "")))
            }
            FutState::Failed(e) => {
                let e = e.clone();
                self.complete(outer, FutState::Failed(e));
                return;
            }
            FutState::Cancelled => {
                let e = Exception::new(ExcKind::CancelledError, "");
                self.complete(outer, FutState::Failed(e));
                return;
            }
            FutState::Pending => return,
        };
        let finished = {
            let mut g = g.borrow_mut();
            if let Some(slot) = g.0.get_mut(index) {
                *slot = Some(value);
            }
            g.1 -= 1;
            (g.1 == 0).then(|| {
                g.0.iter()
                    .map(|v| v.clone().unwrap_or(Value::None))
                    .collect()
            })
        };
        if let Some(results) = finished {
            self.complete(outer, FutState::Done(Value::list(results)));
        }
    }

    /// `asyncio.gather`'s outer future over `children` (futures or tasks).
    pub fn gather(
        &mut self,
        tid: ThreadId,
        children: Vec<Rc<Future>>,
        return_exceptions: bool,
    ) -> Rc<Future> {
        let n = children.len();
        let outer = Rc::new(Future {
            state: RefCell::new(FutState::Pending),
            waiters: RefCell::new(Vec::new()),
            event_loop: Some(tid),
            task: None,
            done_seq: Cell::new(0),
            gather: Some(RefCell::new((vec![None; n], n, return_exceptions))),
            label: format!("gather of {n}"),
            wait: RefCell::new(Some(waiting_for(
                WaitOn::Gather,
                format!("asyncio.gather() of {n}"),
            ))),
            runner: Cell::new(None),
        });
        if n == 0 {
            self.complete(&outer, FutState::Done(Value::list(Vec::new())));
        }
        for (i, c) in children.iter().enumerate() {
            let state = c.state.borrow().clone();
            match state {
                FutState::Pending => c.waiters.borrow_mut().push(Waker::Gather(outer.clone(), i)),
                done => self.gather_child_done(&outer, i, &done),
            }
        }
        outer
    }
}
