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
use crate::python::classes::is_instance;
use crate::python::classes::{Class, Instance};
use crate::python::runtime::object_costs;
use crate::python::value::{raise, ExcKind, Exception, TbEntry, Value};

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
                return Err(self.raised_by(tid, v)?);
            }
            Op::MatchExc => {
                let ty = f.pop();
                let top = f.top();
                let hit = exception_matches(&top, &ty)?;
                top_frame(frames).stack.push(Value::Bool(hit));
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
                if is_instance(&ctx) {
                    self.charge(tid, 2 * object_costs::WITH_INSTANCE);
                }
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
                    Value::Object(_) => match exc.downcast::<Instance>() {
                        Some(inst) => inst.class.clone(),
                        None => Value::None,
                    },
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
    pub(super) fn unwind(
        &mut self,
        frames: &mut Vec<Frame>,
        mut exc: Exception,
    ) -> Result<(), Exit> {
        loop {
            let Some(frame) = frames.last_mut() else {
                return Err(Exit::BaseRaise(exc));
            };
            if self.is_user_frame(frame) {
                record_frame(&mut exc, frame);
            }
            if let Some(block) = frame.blocks.pop() {
                frame.stack.truncate(block.depth);
                frame.stack.push(exc.into_value());
                frame.pc = block.handler;
                return Ok(());
            }
            let frame = frames.pop().expect("checked above");
            let caller = frame.caller.clone();
            self.leave_generator(frame, true);
            match caller {
                Caller::Base => return Err(Exit::BaseRaise(exc)),
                Caller::ForNext { exit } if exc.kind == ExcKind::StopIteration => {
                    // The iterator is exhausted: the loop ends.
                    if let Some(f) = frames.last_mut() {
                        f.stack.pop();
                        f.pc = exit;
                    }
                    return Ok(());
                }
                Caller::Close
                    if matches!(exc.kind, ExcKind::GeneratorExit | ExcKind::StopIteration) =>
                {
                    if let Some(f) = frames.last_mut() {
                        f.stack.push(Value::None);
                    }
                    return Ok(());
                }
                Caller::ForIter { .. } | Caller::YieldFrom => {
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

impl Runtime {
    /// What `raise v` raises: `v` itself if it is an exception, a new instance if it is an
    /// exception class, else CPython's `TypeError`.
    fn raised_by(&mut self, tid: ThreadId, v: Value) -> Result<Exception, Exception> {
        let v = match &v {
            Value::ExcType(k) => return Ok(Exception::new(*k, "")),
            Value::Object(_) if v.downcast::<Class>().is_some_and(|c| c.exc_kind().is_some()) => {
                self.call_sync(tid, v, Vec::new())?
            }
            _ => v,
        };
        Exception::from_value(&v).ok_or_else(|| {
            Exception::new(
                ExcKind::TypeError,
                "exceptions must derive from BaseException",
            )
        })
    }
}

/// Whether the exception value `exc` is caught by `except ty` (a class or a tuple of them).
fn exception_matches(exc: &Value, ty: &Value) -> Result<bool, Exception> {
    let (kind, class) = match exc {
        Value::Exception(e) => (e.kind, None),
        v => match v.downcast::<Instance>() {
            Some(inst) => match inst.class().exc_kind() {
                Some(k) => (k, Some(inst)),
                None => return Ok(false),
            },
            None => return Ok(false),
        },
    };
    let one = |t: &Value| -> Result<bool, Exception> {
        match t {
            Value::ExcType(k) => Ok(k.catches(kind)),
            t if t.downcast::<Class>().is_some_and(|c| c.exc_kind().is_some()) => {
                Ok(class.is_some_and(|inst| inst.class().is_subclass(&inst.class, t)))
            }
            other => Err(Exception::new(
                ExcKind::TypeError,
                format!(
                    "catching classes that do not inherit from BaseException is not allowed (got {})",
                    other.type_name()
                ),
            )),
        }
    };
    match ty {
        Value::Tuple(items) => {
            for t in items.iter() {
                if one(t)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        t => one(t),
    }
}

/// Adds `frame` to the frames `exc` went through, once per frame (a re-raise in the same
/// frame keeps the line of the first raise, as CPython's traceback does).
fn record_frame(exc: &mut Exception, frame: &Frame) {
    let id = Rc::as_ptr(&frame.env) as usize;
    if exc.traceback.last().is_some_and(|e| e.frame == id) {
        return;
    }
    exc.traceback.push(TbEntry {
        function: frame.code.name.clone(),
        line: frame.line(),
        column: frame.column(),
        frame: id,
    });
}
