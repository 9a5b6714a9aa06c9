//! Generators and coroutines: their frames move between the thread's stack (while running)
//! and their generator object (while suspended). A `yield` goes out through the frames that
//! delegate to it (`yield from`, `await`); a return goes to whoever entered the frame, as its
//! [`Caller`] says; awaiting a future that is not done hands it out to the task's driver.

use std::rc::Rc;

use crate::python::classes::is_instance;
use super::top_frame;
use super::{Exit, Flow, Step};
use crate::python::bytecode::{CodeKind, Op};
use crate::python::frame::{Caller, Frame, GenState, Generator};
use crate::python::futures::{FutState, FutureObj, SleepAwaitable};
use crate::python::objects::NativeIter;
use crate::python::runtime::state::Runtime;
use crate::python::sync::ThreadId;
use crate::python::value::{raise, ExcKind, Exception, Value};

impl Runtime {
    /// One instruction of iteration, returns, yields and awaits.
    pub(super) fn generator_op(&mut self, tid: ThreadId, frames: &mut Vec<Frame>, op: Op) -> Step {
        let f = top_frame(frames);
        match op {
            Op::GetIter => {
                let v = f.pop();
                if is_instance(&v) {
                    return self.instance_iter(tid, frames, v);
                }
                let it = self.get_iter(v)?;
                top_frame(frames).stack.push(it);
            }
            Op::ForIter(exit) => return self.for_iter(tid, frames, exit),
            Op::Return => {
                let v = f.pop();
                return self.deliver_return(frames, v);
            }
            Op::Yield => {
                let v = f.pop();
                return Ok(self.deliver_yield(frames, v));
            }
            Op::YieldFrom => return self.yield_from(tid, frames),
            Op::GetAwaitable => {
                let v = f.top();
                let ok = match v.downcast::<Generator>() {
                    Some(g) => g.state.kind == CodeKind::Coroutine,
                    None => {
                        v.downcast::<FutureObj>().is_some()
                            || v.downcast::<SleepAwaitable>().is_some()
                    }
                };
                if !ok {
                    return raise(
                        ExcKind::TypeError,
                        format!(
                            "object {} can't be used in 'await' expression",
                            v.type_name()
                        ),
                    );
                }
            }
            other => unreachable!("{other:?} is not one of iteration, returns, yields and awaits"),
        }
        Ok(Flow::Next)
    }

    /// Moves a suspended generator's frame onto the stack.
    pub(super) fn enter_generator(
        &mut self,
        state: &Rc<GenState>,
        caller: Caller,
    ) -> Result<Frame, Exception> {
        if state.running.get() {
            return raise(ExcKind::RuntimeError, "generator already executing");
        }
        let Some(mut frame) = state.frame.borrow_mut().take() else {
            return raise(ExcKind::StopIteration, "");
        };
        state.running.set(true);
        frame.caller = caller;
        frame.generator = Some(state.clone());
        Ok(*frame)
    }

    /// Puts a generator frame back into its generator object.
    pub(super) fn leave_generator(&mut self, frame: Frame, finished: bool) {
        if let Some(state) = frame.generator.clone() {
            state.running.set(false);
            if finished {
                state.done.set(true);
            } else {
                state.started.set(true);
                *state.frame.borrow_mut() = Some(Box::new(frame));
            }
        }
    }

    /// Delivers a generator frame's `yield`, passing it out through delegating frames.
    pub(super) fn deliver_yield(&mut self, frames: &mut Vec<Frame>, value: Value) -> Flow {
        loop {
            let frame = frames.pop().expect("a generator frame is running");
            let caller = frame.caller.clone();
            self.leave_generator(frame, false);
            match caller {
                Caller::ForIter { .. } | Caller::Send | Caller::ForNext { .. } => {
                    if let Some(f) = frames.last_mut() {
                        f.stack.push(value);
                    }
                    return Flow::Next;
                }
                Caller::Close => {
                    // A generator that yields when closed (CPython raises "generator
                    // ignored GeneratorExit") just ends the `close()` here.
                    if let Some(f) = frames.last_mut() {
                        f.stack.push(Value::None);
                    }
                    return Flow::Next;
                }
                Caller::YieldFrom => {
                    // The delegating frame yields the same value, and will delegate again
                    // when resumed.
                    let f = top_frame(frames);
                    f.pc -= 1;
                    if f.generator.is_none() {
                        return Flow::Exit(Exit::BaseYield(value));
                    }
                }
                Caller::Base => return Flow::Exit(Exit::BaseYield(value)),
                Caller::Call | Caller::Retry { .. } | Caller::Discard => {
                    return Flow::Exit(Exit::BaseYield(value))
                }
            }
        }
    }

    /// Delivers a frame's return value to whoever entered it.
    pub(super) fn deliver_return(
        &mut self,
        frames: &mut Vec<Frame>,
        value: Value,
    ) -> Result<Flow, Exception> {
        let frame = frames.pop().expect("a frame is returning");
        let caller = frame.caller.clone();
        self.leave_generator(frame, true);
        let Some(f) = frames.last_mut() else {
            return Ok(Flow::Exit(Exit::BaseReturn(value)));
        };
        match caller {
            Caller::Call => f.stack.push(value),
            Caller::Base => return Ok(Flow::Exit(Exit::BaseReturn(value))),
            Caller::ForIter { exit } => {
                f.stack.pop();
                f.pc = exit;
            }
            Caller::YieldFrom => {
                f.stack.pop();
                f.stack.push(value);
            }
            Caller::Send => {
                let mut e = Exception::new(ExcKind::StopIteration, "");
                if !matches!(value, Value::None) {
                    e.message = crate::python::ops::to_str(&value);
                }
                e.value = Some(crate::python::value::ValueBox(value));
                return Err(e);
            }
            Caller::ForNext { .. } => f.stack.push(value),
            Caller::Close => f.stack.push(Value::None),
            Caller::Retry { slot } => {
                if let Some(s) = f.stack.get_mut(slot) {
                    *s = value;
                }
            }
            Caller::Discard => {}
        }
        Ok(Flow::Next)
    }

    /// `yield from` / `await`: stack is `[delegate, value to send]`.
    pub(super) fn yield_from(&mut self, tid: ThreadId, frames: &mut Vec<Frame>) -> Step {
        let f = top_frame(frames);
        let sent = f.pop();
        let delegate = f.top();
        if let Some(g) = delegate.downcast::<Generator>() {
            let state = g.state.clone();
            if state.done.get() {
                return raise(
                    ExcKind::RuntimeError,
                    "cannot reuse already awaited coroutine",
                );
            }
            let mut frame = self.enter_generator(&state, Caller::YieldFrom)?;
            if state.started.get() {
                frame.stack.push(sent);
            }
            frames.push(frame);
            return Ok(Flow::Next);
        }
        if let Some(fut) = delegate.downcast::<FutureObj>() {
            let fut = fut.0.clone();
            return self.await_future(frames, &delegate, &fut);
        }
        if let Some(s) = delegate.downcast::<SleepAwaitable>() {
            let existing = s.future.borrow().clone();
            let fut = match existing {
                Some(fut) => fut,
                None => {
                    let fut = self.sleep_future(tid, s.secs, &s.delay, s.result.clone())?;
                    *s.future.borrow_mut() = Some(fut.clone());
                    fut
                }
            };
            if s.secs <= 0.0 && !fut.is_done() {
                // `asyncio.sleep(0)` yields once without a future: the task goes to the back
                // of the ready queue.
                fut.state.replace(FutState::Done(s.result.clone()));
                let f = top_frame(frames);
                f.pc -= 1;
                return Ok(self.yield_out(frames, Value::None));
            }
            return self.await_future(frames, &delegate, &fut);
        }
        if let Some(n) = delegate.downcast::<NativeIter>() {
            return match Self::native_next(n) {
                Some(v) => {
                    let f = top_frame(frames);
                    f.pc -= 1;
                    Ok(self.yield_out(frames, v))
                }
                None => {
                    let f = top_frame(frames);
                    f.pop();
                    f.stack.push(Value::None);
                    Ok(Flow::Next)
                }
            };
        }
        raise(
            ExcKind::TypeError,
            format!(
                "object {} can't be used in 'await' expression",
                delegate.type_name()
            ),
        )
    }

    /// Awaiting a future: its result if done, else the future travels out to the task.
    pub(super) fn await_future(
        &mut self,
        frames: &mut Vec<Frame>,
        delegate: &Value,
        fut: &Rc<crate::python::futures::Future>,
    ) -> Step {
        let state = fut.state.borrow().clone();
        let f = top_frame(frames);
        match state {
            FutState::Pending => {
                f.pc -= 1;
                // The task's driver waits on what comes out: the future itself, also when
                // the awaitable was a sleep that made it (anything else means "run again").
                let out = if delegate.downcast::<FutureObj>().is_some() {
                    delegate.clone()
                } else {
                    Value::object(FutureObj(fut.clone()))
                };
                Ok(self.yield_out(frames, out))
            }
            FutState::Done(v) => {
                f.pop();
                f.stack.push(v);
                Ok(Flow::Next)
            }
            FutState::Failed(e) => {
                f.pop();
                Err(e)
            }
            FutState::Cancelled => {
                f.pop();
                raise(ExcKind::CancelledError, "")
            }
        }
    }

    /// The running frame (a generator, or a coroutine at the task's base) yields `v` out.
    pub(super) fn yield_out(&mut self, frames: &mut Vec<Frame>, v: Value) -> Flow {
        let top = top_frame(frames);
        if top.generator.is_some() {
            self.deliver_yield(frames, v)
        } else {
            Flow::Exit(Exit::BaseYield(v))
        }
    }
}
