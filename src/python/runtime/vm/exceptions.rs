//! Exceptions: `try` blocks, raising and matching, `with` (its `__enter__` and `__exit__`), and
//! unwinding to the nearest handler, frame by frame; an exception thrown into a delegating
//! frame goes to the innermost delegate, as in CPython.

use std::rc::Rc;

use super::top_frame;
use super::{Exit, Flow, Step};
use crate::python::bytecode::Op;
use crate::python::frame::{Block, Caller, Frame, Generator};
use crate::python::ops::{self};
use crate::python::runtime::state::Runtime;
use crate::python::sync::ThreadId;
use crate::python::value::{raise, ExcKind, Exception, Value};

impl Runtime {
    /// One instruction of try blocks, raising and with.
    pub(super) fn exception_op(&mut self, tid: ThreadId, frames: &mut Vec<Frame>, op: Op) -> Step {
        let f = top_frame(frames);
        match op {
            Op::SetupExcept(h) => {
                let depth = f.stack.len();
                f.blocks.push(Block { handler: h, depth });
            }
            Op::PopBlock => {
                f.blocks.pop();
            }
            Op::Raise => {
                let v = f.pop();
                self.raise_line = None;
                return Err(match v {
                    Value::Exception(e) => (*e).clone(),
                    Value::ExcType(k) => Exception::new(k, ""),
                    other => Exception::new(
                        ExcKind::TypeError,
                        format!(
                            "exceptions must derive from BaseException, not {}",
                            other.type_name()
                        ),
                    ),
                });
            }
            Op::MatchExc => {
                let ty = f.pop();
                let Value::Exception(e) = f.top() else {
                    f.stack.push(Value::Bool(false));
                    return Ok(Flow::Next);
                };
                let kinds = match &ty {
                    Value::ExcType(k) => vec![*k],
                    Value::Tuple(t) => t
                        .iter()
                        .filter_map(|v| match v {
                            Value::ExcType(k) => Some(*k),
                            _ => None,
                        })
                        .collect(),
                    other => {
                        return raise(
                            ExcKind::TypeError,
                            format!(
                                "catching classes that do not inherit from BaseException is not allowed (got {})",
                                other.type_name()
                            ),
                        )
                    }
                };
                let hit = kinds.iter().any(|k| k.catches(e.kind));
                f.stack.push(Value::Bool(hit));
            }
            Op::AssertFail(has_msg) => {
                let msg = if has_msg {
                    ops::to_str(&f.pop())
                } else {
                    String::new()
                };
                return raise(ExcKind::AssertionError, msg);
            }
            Op::Fail(msg) => return raise(ExcKind::RuntimeError, msg.to_string()),
            Op::WithEnter { is_async } => {
                let ctx = f.pop();
                let (enter, exit) = if is_async {
                    ("__aenter__", "__aexit__")
                } else {
                    ("__enter__", "__exit__")
                };
                let exit_fn = self.get_attr(&ctx, exit)?;
                let enter_fn = self.get_attr(&ctx, enter)?;
                top_frame(frames).stack.push(exit_fn);
                return self.call_value(
                    tid,
                    frames,
                    enter_fn,
                    Vec::new(),
                    Vec::new(),
                    Caller::Call,
                );
            }
            Op::WithExitNormal => {
                let exit = f.pop();
                let args = vec![Value::None, Value::None, Value::None];
                return self.call_value(tid, frames, exit, args, Vec::new(), Caller::Call);
            }
            Op::WithExitExcept => {
                let exc = f.pop();
                let exit = f.pop();
                f.stack.push(exc.clone());
                let ty = match &exc {
                    Value::Exception(e) => Value::ExcType(e.kind),
                    _ => Value::None,
                };
                let args = vec![ty, exc, Value::None];
                return self.call_value(tid, frames, exit, args, Vec::new(), Caller::Call);
            }
            other => unreachable!("{other:?} is not one of try blocks, raising and with"),
        }
        Ok(Flow::Next)
    }

    /// A thread resumed with an exception (a task being cancelled, `gen.throw`): if the top
    /// frame is delegating (`await`/`yield from` on a coroutine), the exception goes to the
    /// innermost delegate, as in CPython.
    pub(super) fn throw_into(&mut self, frames: &mut Vec<Frame>, exc: Exception) -> Exception {
        loop {
            let Some(top) = frames.last() else { return exc };
            let at_yield_from = matches!(top.code.ops.get(top.pc), Some(Op::YieldFrom));
            let delegate = top.stack.last().cloned();
            let Some(gen) = at_yield_from.then_some(delegate).flatten() else {
                return exc;
            };
            let Some(g) = gen.downcast::<Generator>() else {
                return exc;
            };
            let state = g.state.clone();
            match self.enter_generator(&state, Caller::YieldFrom) {
                Ok(frame) => frames.push(frame),
                Err(_) => return exc,
            }
        }
    }

    /// Finds the handler for `exc`, popping frames that have none.
    pub(super) fn unwind(&mut self, frames: &mut Vec<Frame>, exc: Exception) -> Result<(), Exit> {
        loop {
            let Some(frame) = frames.last_mut() else {
                return Err(Exit::BaseRaise(exc));
            };
            if let Some(block) = frame.blocks.pop() {
                frame.stack.truncate(block.depth);
                frame.stack.push(Value::Exception(Rc::new(exc)));
                frame.pc = block.handler;
                return Ok(());
            }
            let frame = frames.pop().expect("checked above");
            let caller = frame.caller.clone();
            self.leave_generator(frame, true);
            match caller {
                Caller::Base => return Err(Exit::BaseRaise(exc)),
                Caller::ForIter { .. } | Caller::YieldFrom | Caller::Next { .. } => {
                    // The generator is finished; its exception goes on in the caller, whose
                    // stack still holds the generator.
                    if let Some(f) = frames.last_mut() {
                        f.stack.pop();
                        if matches!(caller, Caller::YieldFrom) {
                            // Resuming at YieldFrom again would re-delegate: move past it.
                            f.pc += 1;
                        }
                    }
                }
                _ => {}
            }
        }
    }
}
