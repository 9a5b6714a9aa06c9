//! The bytecode interpreter: runs one simulated thread's frames until it has to wait for the
//! scheduler (a sleep, a lock, a print to time-stamp, its CPU quantum used up) or its bottom
//! frame yields, returns or raises.
//!
//! Generators and coroutines are frames that move between the thread's frame stack (while
//! running) and their generator object (while suspended). How a frame's result reaches the
//! frame below it depends on how it was entered ([`Caller`]): a plain call pushes the return
//! value, a `for` loop over a generator jumps out when it returns, a `yield from` / `await`
//! passes each yielded value further out, and a *base* frame (a thread's target, an asyncio
//! task's coroutine) hands its outcome to the runtime.

use std::rc::Rc;

use super::native::{Args, Native, Outcome};
use super::prelude::prelude_export;
use super::state::Runtime;
use crate::core::clock::from_secs;
use crate::python::bytecode::{CodeKind, NameRef, Op};
use crate::python::frame::{Block, Caller, Env, Frame, GenState, Generator};
use crate::python::futures::{FutState, FutureObj, SleepAwaitable};
use crate::python::objects::{BoundData, Function, Namespace, NativeIter};
use crate::python::ops::{self, BinOp};
use crate::python::sync::ThreadId;
use crate::python::value::{raise, ExcKind, Exception, Value};

/// Why the interpreter stopped running a thread's frames.
pub enum Exit {
    /// The thread waits for the runtime (it queued requests or blocked).
    Suspended,
    /// It used up its CPU quantum; the runtime charges the time and lets it go on.
    Quantum,
    BaseYield(Value),
    BaseReturn(Value),
    BaseRaise(Exception),
}

/// What an instruction does to the flow of control.
pub(crate) enum Flow {
    Next,
    Exit(Exit),
}

pub(crate) type Step = Result<Flow, Exception>;

/// CPU time one thread may run before the runtime charges it and others get a look in.
const QUANTUM_NS: u64 = 200_000;

/// Deepest call stack allowed (CPython's default recursion limit is 1000).
const MAX_DEPTH: usize = 1000;

impl Runtime {
    /// Runs thread `tid` until it stops for one of the reasons in [`Exit`].
    pub fn run_thread(&mut self, tid: ThreadId) -> Result<Exit, crate::python::error::PyError> {
        let mut frames = std::mem::take(&mut self.threads[tid].frames);
        let exit = self.exec(tid, &mut frames);
        self.threads[tid].frames = frames;
        exit
    }

    pub(super) fn exec(
        &mut self,
        tid: ThreadId,
        frames: &mut Vec<Frame>,
    ) -> Result<Exit, crate::python::error::PyError> {
        let mut pending: Option<Exception> = None;
        match self.threads[tid].resume.take() {
            Some(Ok(v)) => {
                if let Some(f) = frames.last_mut() {
                    f.stack.push(v);
                }
            }
            Some(Err(e)) => pending = Some(self.throw_into(frames, e)),
            None => {}
        }
        let op_ns = self.op_ns;
        loop {
            if let Some(exc) = pending.take() {
                match self.unwind(frames, exc) {
                    Ok(()) => {}
                    Err(exit) => return Ok(exit),
                }
                continue;
            }
            if frames.is_empty() {
                return Ok(Exit::BaseReturn(Value::None));
            }
            self.ops_done += 1;
            if self.ops_done > self.op_budget {
                return Err(self.budget_error(frames));
            }
            if self.threads[tid].cost >= QUANTUM_NS {
                return Ok(Exit::Quantum);
            }
            self.threads[tid].cost += op_ns;
            let frame = frames.last_mut().expect("checked above");
            let Some(op) = frame.code.ops.get(frame.pc).cloned() else {
                // Falling off the end cannot happen: every code object ends in Return.
                pending = Some(Exception::new(
                    ExcKind::RuntimeError,
                    "ran past the end of code",
                ));
                continue;
            };
            frame.pc += 1;
            match self.step(tid, frames, op) {
                Ok(Flow::Next) => {}
                Ok(Flow::Exit(e)) => return Ok(e),
                Err(exc) => {
                    if self.raise_line.is_none() {
                        self.raise_line = frames
                            .iter()
                            .rev()
                            .find(|f| self.is_user_frame(f))
                            .map(|f| f.line());
                    }
                    pending = Some(exc)
                }
            }
        }
    }

    pub(super) fn budget_error(&self, frames: &[Frame]) -> crate::python::error::PyError {
        let line = frames
            .iter()
            .rev()
            .find(|f| self.is_user_frame(f))
            .map_or(0, |f| f.line());
        crate::python::error::PyError {
            kind: crate::python::error::PyErrorKind::StepBudget,
            line,
            column: 1,
            message: format!(
                "stopped after {} interpreted operations: the program runs too long or never ends (big loops run fast only when they are sums of a polynomial, e.g. sum(i * i for i in range(n)))",
                self.op_budget
            ),
        }
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

    /// Delivers a generator frame's `yield`, passing it out through delegating frames.
    pub(super) fn deliver_yield(&mut self, frames: &mut Vec<Frame>, value: Value) -> Flow {
        loop {
            let frame = frames.pop().expect("a generator frame is running");
            let caller = frame.caller.clone();
            self.leave_generator(frame, false);
            match caller {
                Caller::ForIter { .. } | Caller::Next { .. } => {
                    if let Some(f) = frames.last_mut() {
                        f.stack.push(value);
                    }
                    return Flow::Next;
                }
                Caller::YieldFrom => {
                    // The delegating frame yields the same value, and will delegate again
                    // when resumed.
                    let f = frames.last_mut().expect("a delegating frame");
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
            Caller::Next { default } => {
                f.stack.pop();
                match default {
                    Some(d) => f.stack.push(d),
                    None => {
                        let mut e = Exception::new(ExcKind::StopIteration, "");
                        e.value = Some(crate::python::value::ValueBox(value));
                        return Err(e);
                    }
                }
            }
            Caller::Retry { slot } => {
                if let Some(s) = f.stack.get_mut(slot) {
                    *s = value;
                }
            }
            Caller::Discard => {}
        }
        Ok(Flow::Next)
    }

    /// Whether `frame` runs the user's program (not the prelude).
    pub fn is_user_frame(&self, frame: &Frame) -> bool {
        !Rc::ptr_eq(&frame.globals, &self.prelude_globals)
    }

    // ----- names --------------------------------------------------------------------------

    pub(super) fn load(&self, frame: &Frame, name: &NameRef) -> Result<Value, Exception> {
        match name {
            NameRef::Local(slot) => frame
                .env
                .slots
                .borrow()
                .get(*slot as usize)
                .cloned()
                .flatten()
                .ok_or_else(|| {
                    let n = frame.code.locals.get(*slot as usize).map_or("?", |n| n);
                    Exception::new(
                        ExcKind::UnboundLocalError,
                        format!("cannot access local variable '{n}' where it is not associated with a value"),
                    )
                }),
            NameRef::Outer { depth, slot } => {
                let mut env = frame.env.clone();
                for _ in 0..*depth {
                    let Some(p) = env.parent.clone() else { break };
                    env = p;
                }
                let v = env.slots.borrow().get(*slot as usize).cloned().flatten();
                v.ok_or_else(|| {
                    Exception::new(
                        ExcKind::NameError,
                        "cannot access free variable where it is not associated with a value in enclosing scope",
                    )
                })
            }
            NameRef::Global(n) => {
                if let Some(v) = frame.globals.borrow().get(n) {
                    return Ok(v.clone());
                }
                self.builtins
                    .get(n)
                    .cloned()
                    .ok_or_else(|| Exception::new(ExcKind::NameError, format!("name '{n}' is not defined")))
            }
        }
    }

    pub(super) fn store(
        &self,
        frame: &Frame,
        name: &NameRef,
        value: Option<Value>,
    ) -> Result<(), Exception> {
        match name {
            NameRef::Local(slot) => {
                if let Some(s) = frame.env.slots.borrow_mut().get_mut(*slot as usize) {
                    *s = value;
                }
            }
            NameRef::Outer { depth, slot } => {
                let mut env = frame.env.clone();
                for _ in 0..*depth {
                    let Some(p) = env.parent.clone() else { break };
                    env = p;
                }
                let mut slots = env.slots.borrow_mut();
                if let Some(s) = slots.get_mut(*slot as usize) {
                    *s = value;
                }
            }
            NameRef::Global(n) => {
                let mut g = frame.globals.borrow_mut();
                match value {
                    Some(v) => {
                        g.insert(n.clone(), v);
                    }
                    None => {
                        if g.remove(n).is_none() {
                            return raise(ExcKind::NameError, format!("name '{n}' is not defined"));
                        }
                    }
                }
            }
        }
        Ok(())
    }

    // ----- calls --------------------------------------------------------------------------

    /// Makes the frame for calling a Python function, binding its arguments.
    pub fn function_frame(
        &self,
        f: &Function,
        mut args: Vec<Value>,
        kwargs: Vec<(Rc<str>, Value)>,
        caller: Caller,
    ) -> Result<Frame, Exception> {
        let t = &f.template;
        let code = &t.code;
        let env = Env::new(code.locals.len(), f.env.clone());
        let name = &code.name;
        {
            let mut slots = env.slots.borrow_mut();
            let np = t.params.len();
            if args.len() > np && t.varargs.is_none() {
                return raise(
                    ExcKind::TypeError,
                    format!(
                        "{name}() takes {np} positional argument{} but {} were given",
                        if np == 1 { "" } else { "s" },
                        args.len()
                    ),
                );
            }
            let extra: Vec<Value> = if args.len() > np {
                args.split_off(np)
            } else {
                Vec::new()
            };
            for (i, a) in args.into_iter().enumerate() {
                slots[i] = Some(a);
            }
            if let Some(s) = t.varargs {
                slots[s as usize] = Some(Value::tuple(extra));
            }
            let mut extra_kw = crate::python::value::Dict::new();
            for (k, v) in kwargs {
                if let Some(i) = t.params.iter().position(|p| **p == *k) {
                    if slots[i].is_some() {
                        return raise(
                            ExcKind::TypeError,
                            format!("{name}() got multiple values for argument '{k}'"),
                        );
                    }
                    slots[i] = Some(v);
                } else if let Some((_, s)) = t.kwonly.iter().find(|(n, _)| **n == *k) {
                    slots[*s as usize] = Some(v);
                } else if t.varkw.is_some() {
                    extra_kw.insert(Value::Str(k.clone()), v)?;
                } else {
                    return raise(
                        ExcKind::TypeError,
                        format!("{name}() got an unexpected keyword argument '{k}'"),
                    );
                }
            }
            if let Some(s) = t.varkw {
                slots[s as usize] = Some(Value::dict(extra_kw));
            }
            let first_default = np - t.ndefaults as usize;
            for i in 0..np {
                if slots[i].is_none() {
                    if i >= first_default {
                        slots[i] = Some(f.defaults[i - first_default].clone());
                    } else {
                        return raise(
                            ExcKind::TypeError,
                            format!(
                                "{name}() missing required positional argument: '{}'",
                                t.params[i]
                            ),
                        );
                    }
                }
            }
            for (k, s) in &t.kwonly {
                if slots[*s as usize].is_none() {
                    match f.kwdefaults.iter().find(|(n, _)| n == k) {
                        Some((_, v)) => slots[*s as usize] = Some(v.clone()),
                        None => {
                            return raise(
                                ExcKind::TypeError,
                                format!("{name}() missing required keyword-only argument: '{k}'"),
                            )
                        }
                    }
                }
            }
        }
        Ok(Frame::new(code.clone(), env, f.globals.clone(), caller))
    }

    /// Calls `callee`: pushes a frame for Python functions, runs natives at once.
    pub(crate) fn call_value(
        &mut self,
        tid: ThreadId,
        frames: &mut Vec<Frame>,
        callee: Value,
        args: Vec<Value>,
        kwargs: Vec<(Rc<str>, Value)>,
        caller: Caller,
    ) -> Step {
        if let Some(f) = callee.downcast::<Function>() {
            self.threads[tid].cost += 2 * self.op_ns;
            let frame = self.function_frame(f, args, kwargs, caller.clone())?;
            match f.template.code.kind {
                CodeKind::Generator | CodeKind::Coroutine => {
                    let state = Rc::new(GenState {
                        frame: std::cell::RefCell::new(Some(Box::new(frame))),
                        started: std::cell::Cell::new(false),
                        running: std::cell::Cell::new(false),
                        done: std::cell::Cell::new(false),
                        kind: f.template.code.kind,
                        name: public_name(&f.template.code.name),
                    });
                    let gen = Value::object(Generator { state });
                    return self.give_result(frames, gen, caller);
                }
                _ => {
                    if frames.len() >= MAX_DEPTH {
                        return raise(ExcKind::RecursionError, "maximum recursion depth exceeded");
                    }
                    frames.push(frame);
                    return Ok(Flow::Next);
                }
            }
        }
        let outcome = if let Some(n) = callee.downcast::<Native>() {
            let a = Args {
                name: n.name,
                thread: tid,
                this: n.this.clone(),
                args,
                kwargs,
            };
            (n.f)(self, a)
        } else if let Some(b) = callee.downcast::<BoundData>() {
            if let Some(sort) = self.sort_with_key(b, &kwargs) {
                // `list.sort(key=...)` calls Python code: the prelude's `_list_sort` does it.
                let mut all = vec![b.this.clone()];
                all.extend(args);
                return self.call_value(tid, frames, sort, all, kwargs, caller);
            }
            match ops::call_method(&b.this, &b.name, &args, &kwargs) {
                Some(Ok(v)) => Outcome::Value(v),
                Some(Err(e)) => Outcome::Raise(e),
                None => Outcome::Raise(Exception::new(
                    ExcKind::AttributeError,
                    format!(
                        "'{}' object has no attribute '{}'",
                        b.this.type_name(),
                        b.name
                    ),
                )),
            }
        } else if let Value::ExcType(kind) = callee {
            let message = match args.first() {
                Some(Value::Str(s)) => s.to_string(),
                Some(v) => ops::to_str(v),
                None => String::new(),
            };
            Outcome::Value(Value::Exception(Rc::new(Exception::new(kind, message))))
        } else {
            return raise(
                ExcKind::TypeError,
                format!("'{}' object is not callable", callee.type_name()),
            );
        };
        self.handle_outcome(tid, frames, outcome, caller)
    }

    /// The prelude's `_list_sort`, when `b` is `list.sort` called with a `key`.
    pub(super) fn sort_with_key(
        &self,
        b: &BoundData,
        kwargs: &[(Rc<str>, Value)],
    ) -> Option<Value> {
        let keyed = kwargs
            .iter()
            .any(|(k, v)| &**k == "key" && !matches!(v, Value::None));
        if &*b.name != "sort" || !keyed || !matches!(b.this, Value::List(_)) {
            return None;
        }
        self.prelude_globals.borrow().get("_list_sort").cloned()
    }

    /// Gives a value produced without a frame to whoever asked for it.
    pub(super) fn give_result(
        &mut self,
        frames: &mut [Frame],
        value: Value,
        caller: Caller,
    ) -> Step {
        match caller {
            Caller::Call => {
                if let Some(f) = frames.last_mut() {
                    f.stack.push(value);
                }
                Ok(Flow::Next)
            }
            Caller::Base => Ok(Flow::Exit(Exit::BaseReturn(value))),
            Caller::Retry { slot } => {
                if let Some(s) = frames.last_mut().and_then(|f| f.stack.get_mut(slot)) {
                    *s = value;
                }
                Ok(Flow::Next)
            }
            Caller::Discard => Ok(Flow::Next),
            _ => Ok(Flow::Next),
        }
    }

    pub(super) fn handle_outcome(
        &mut self,
        tid: ThreadId,
        frames: &mut Vec<Frame>,
        outcome: Outcome,
        caller: Caller,
    ) -> Step {
        match outcome {
            Outcome::Value(v) => self.give_result(frames, v, caller),
            Outcome::Raise(e) => Err(e),
            Outcome::Suspend(requests, value) => {
                let t = &mut self.threads[tid];
                t.pending.extend(requests);
                t.resume = Some(Ok(value));
                Ok(Flow::Exit(Exit::Suspended))
            }
            Outcome::Block(label) => {
                let t = &mut self.threads[tid];
                t.blocked = Some(label);
                Ok(Flow::Exit(Exit::Suspended))
            }
            Outcome::Call(callee, args, kwargs) => {
                self.call_value(tid, frames, callee, args, kwargs, caller)
            }
            Outcome::RunLoop(coro) => {
                self.start_event_loop(tid, frames.len(), coro)?;
                Ok(Flow::Exit(Exit::Suspended))
            }
        }
    }

    /// Whether `v` is a lazy iterator that natives cannot read directly.
    pub(super) fn is_lazy(v: &Value) -> bool {
        v.downcast::<Generator>().is_some() || v.downcast::<NativeIter>().is_some()
    }

    /// Before a native that reads whole iterables runs, generators among its arguments are
    /// turned into lists by the prelude's `_materialize`; the call is then retried.
    pub(super) fn materialize_first(
        &mut self,
        tid: ThreadId,
        frames: &mut Vec<Frame>,
        first_arg: usize,
    ) -> Option<Step> {
        let f = frames.last()?;
        let callee = f.stack.get(first_arg.checked_sub(1)?)?;
        let wants = match callee {
            Value::Object(_) => {
                callee.downcast::<Native>().is_some_and(|n| n.materialize)
                    || callee
                        .downcast::<BoundData>()
                        .is_some_and(|b| matches!(&*b.name, "join" | "extend" | "update"))
            }
            _ => false,
        };
        if !wants {
            return None;
        }
        let slot = (first_arg..f.stack.len()).find(|&i| Self::is_lazy(&f.stack[i]))?;
        Some(self.retry_with_list(tid, frames, slot))
    }

    /// Replaces stack slot `slot` (a lazy iterable) with a list and re-runs this instruction.
    pub(super) fn retry_with_list(
        &mut self,
        tid: ThreadId,
        frames: &mut Vec<Frame>,
        slot: usize,
    ) -> Step {
        let f = frames.last_mut().expect("a frame is running");
        f.pc -= 1;
        let it = f.stack[slot].clone();
        let helper = self.prelude_fn("_materialize");
        self.call_value(
            tid,
            frames,
            helper,
            vec![it],
            Vec::new(),
            Caller::Retry { slot },
        )
    }

    // ----- one instruction ----------------------------------------------------------------

    pub(super) fn step(&mut self, tid: ThreadId, frames: &mut Vec<Frame>, op: Op) -> Step {
        let f = frames.last_mut().expect("a frame is running");
        match op {
            Op::Const(v) => f.stack.push(v),
            Op::Load(n) => {
                let v = self.load(f, &n)?;
                f.stack.push(v);
            }
            Op::Store(n) => {
                let v = f.pop();
                self.store(f, &n, Some(v))?;
            }
            Op::Delete(n) => self.store(f, &n, None)?,
            Op::LoadAttr(name) => {
                let obj = f.pop();
                let v = self.get_attr(&obj, &name)?;
                frames.last_mut().expect("running").stack.push(v);
            }
            Op::StoreAttr(name) => {
                let obj = f.pop();
                let v = f.pop();
                match obj.downcast::<Namespace>() {
                    Some(ns) => {
                        ns.attrs.borrow_mut().insert(name, v);
                    }
                    None => {
                        return raise(
                            ExcKind::AttributeError,
                            format!(
                                "'{}' object attribute '{name}' is read-only",
                                obj.type_name()
                            ),
                        )
                    }
                }
            }
            Op::Subscript => {
                let idx = f.pop();
                let obj = f.pop();
                f.stack.push(ops::get_item(&obj, &idx)?);
            }
            Op::StoreSubscript => {
                let idx = f.pop();
                let obj = f.pop();
                let v = f.pop();
                ops::set_item(&obj, &idx, v)?;
            }
            Op::DeleteSubscript => {
                let idx = f.pop();
                let obj = f.pop();
                ops::del_item(&obj, &idx)?;
            }
            Op::BuildSlice => {
                let step = f.pop();
                let upper = f.pop();
                let lower = f.pop();
                f.stack.push(Value::Slice(Rc::new([lower, upper, step])));
            }
            Op::Binary(op) => {
                let b = f.pop();
                let a = f.pop();
                f.stack.push(ops::binary(op, &a, &b)?);
            }
            Op::InPlace(op) => {
                let b = f.pop();
                let a = f.pop();
                if let (Value::List(l), BinOp::Add) = (&a, op) {
                    if Self::is_lazy(&b) {
                        f.stack.push(a.clone());
                        f.stack.push(b);
                        let slot = f.stack.len() - 1;
                        return self.retry_with_list(tid, frames, slot);
                    }
                    let items = ops::to_vec(&b)?;
                    l.borrow_mut().extend(items);
                    f.stack.push(a);
                } else {
                    f.stack.push(ops::binary(op, &a, &b)?);
                }
            }
            Op::Unary(op) => {
                let a = f.pop();
                f.stack.push(ops::unary(op, &a)?);
            }
            Op::Compare(op) => {
                let b = f.pop();
                let a = f.pop();
                f.stack.push(Value::Bool(ops::compare(op, &a, &b)?));
            }
            Op::Contains(negate) => {
                let container = f.pop();
                let item = f.pop();
                let found = ops::contains(&container, &item)?;
                f.stack.push(Value::Bool(found != negate));
            }
            Op::Is(negate) => {
                let b = f.pop();
                let a = f.pop();
                f.stack.push(Value::Bool(a.is(&b) != negate));
            }
            Op::Jump(t) => f.pc = t,
            Op::JumpIfFalse(t) => {
                if !ops::truthy(&f.pop()) {
                    f.pc = t;
                }
            }
            Op::JumpIfTrue(t) => {
                if ops::truthy(&f.pop()) {
                    f.pc = t;
                }
            }
            Op::JumpIfFalseOrPop(t) => {
                if ops::truthy(&f.top()) {
                    f.pop();
                } else {
                    f.pc = t;
                }
            }
            Op::JumpIfTrueOrPop(t) => {
                if ops::truthy(&f.top()) {
                    f.pc = t;
                } else {
                    f.pop();
                }
            }
            Op::Pop => {
                f.pop();
            }
            Op::Dup => {
                let v = f.top();
                f.stack.push(v);
            }
            Op::Rot2 => {
                let n = f.stack.len();
                if n >= 2 {
                    f.stack.swap(n - 1, n - 2);
                }
            }
            Op::BuildList(n) => {
                let items = f.stack.split_off(f.stack.len() - n as usize);
                f.stack.push(Value::list(items));
            }
            Op::BuildTuple(n) => {
                let items = f.stack.split_off(f.stack.len() - n as usize);
                f.stack.push(Value::tuple(items));
            }
            Op::BuildDict(n) => {
                let items = f.stack.split_off(f.stack.len() - 2 * n as usize);
                let mut d = crate::python::value::Dict::new();
                for pair in items.chunks(2) {
                    d.insert(pair[0].clone(), pair[1].clone())?;
                }
                f.stack.push(Value::dict(d));
            }
            Op::ListAppend(depth) => {
                let v = f.pop();
                let at = f.stack.len() - depth as usize;
                if let Value::List(l) = &f.stack[at] {
                    l.borrow_mut().push(v);
                }
            }
            Op::ListExtend => {
                if Self::is_lazy(&f.top()) {
                    let slot = f.stack.len() - 1;
                    return self.retry_with_list(tid, frames, slot);
                }
                let it = f.pop();
                let items = ops::to_vec(&it)?;
                if let Some(Value::List(l)) = f.stack.last() {
                    l.borrow_mut().extend(items);
                }
            }
            Op::DictSet(depth) => {
                let v = f.pop();
                let k = f.pop();
                let at = f.stack.len() - depth as usize;
                if let Value::Dict(d) = &f.stack[at] {
                    d.borrow_mut().insert(k, v)?;
                }
            }
            Op::DictMerge => {
                let m = f.pop();
                let Value::Dict(src) = &m else {
                    return raise(
                        ExcKind::TypeError,
                        format!("'{}' object is not a mapping", m.type_name()),
                    );
                };
                if let Some(Value::Dict(d)) = f.stack.last() {
                    let pairs = src.borrow().pairs();
                    d.borrow_mut().extend(pairs)?;
                }
            }
            Op::ListToTuple => {
                if let Value::List(l) = f.pop() {
                    let items = l.borrow().clone();
                    f.stack.push(Value::tuple(items));
                }
            }
            Op::UnpackSequence(n) => {
                if Self::is_lazy(&f.top()) {
                    let slot = f.stack.len() - 1;
                    return self.retry_with_list(tid, frames, slot);
                }
                let seq = f.pop();
                let items = ops::to_vec(&seq).map_err(|_| {
                    Exception::new(
                        ExcKind::TypeError,
                        format!("cannot unpack non-iterable {} object", seq.type_name()),
                    )
                })?;
                if items.len() != n as usize {
                    let msg = if items.len() < n as usize {
                        format!(
                            "not enough values to unpack (expected {n}, got {})",
                            items.len()
                        )
                    } else {
                        format!("too many values to unpack (expected {n})")
                    };
                    return raise(ExcKind::ValueError, msg);
                }
                f.stack.extend(items.into_iter().rev());
            }
            Op::GetIter => {
                let v = f.pop();
                let it = self.get_iter(v)?;
                frames.last_mut().expect("running").stack.push(it);
            }
            Op::ForIter(exit) => return self.for_iter(frames, exit),
            Op::Call { argc, kwnames } => {
                let nkw = kwnames.len();
                let first_arg = f.stack.len() - argc as usize - nkw;
                if let Some(step) = self.materialize_first(tid, frames, first_arg) {
                    return step;
                }
                let f = frames.last_mut().expect("running");
                let kwvals = f.stack.split_off(f.stack.len() - nkw);
                let args = f.stack.split_off(f.stack.len() - argc as usize);
                let callee = f.pop();
                let kwargs = kwnames.iter().cloned().zip(kwvals).collect();
                return self.call_value(tid, frames, callee, args, kwargs, Caller::Call);
            }
            Op::CallEx => {
                let kw = f.pop();
                let args = f.pop();
                let callee = f.pop();
                let args = match args {
                    Value::Tuple(t) => t.as_ref().clone(),
                    other => ops::to_vec(&other)?,
                };
                let kwargs = match kw {
                    Value::Dict(d) => d
                        .borrow()
                        .items()
                        .map(|(k, v)| match k {
                            Value::Str(s) => Ok((s.clone(), v.clone())),
                            _ => raise(ExcKind::TypeError, "keywords must be strings"),
                        })
                        .collect::<Result<Vec<_>, _>>()?,
                    _ => Vec::new(),
                };
                // Natives that read whole iterables get lists, as with `Call`.
                if callee.downcast::<Native>().is_some_and(|n| n.materialize)
                    && args.iter().any(Self::is_lazy)
                {
                    let mut kwd = crate::python::value::Dict::new();
                    for (k, v) in &kwargs {
                        kwd.insert(Value::Str(k.clone()), v.clone())?;
                    }
                    let helper = self.prelude_fn("_call_materialized");
                    let args = vec![callee, Value::tuple(args), Value::dict(kwd)];
                    return self.call_value(tid, frames, helper, args, Vec::new(), Caller::Call);
                }
                return self.call_value(tid, frames, callee, args, kwargs, Caller::Call);
            }
            Op::MakeFunction(t) => {
                let kwdefaults = match (t.has_kwdefaults, f.pop_if(t.has_kwdefaults)) {
                    (true, Value::Dict(d)) => d.borrow().str_items(),
                    _ => Vec::new(),
                };
                let defaults = f.stack.split_off(f.stack.len() - t.ndefaults as usize);
                let env = (f.code.kind != CodeKind::Module).then(|| f.env.clone());
                let func = Function {
                    template: t,
                    defaults,
                    kwdefaults,
                    env,
                    globals: f.globals.clone(),
                };
                f.stack.push(Value::object(func));
            }
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
            Op::FormatValue {
                conversion,
                has_spec,
            } => {
                let spec = if has_spec {
                    ops::to_str(&f.pop())
                } else {
                    String::new()
                };
                let v = f.pop();
                let v = match conversion {
                    b'r' | b'a' => Value::str(&ops::repr(&v)),
                    b's' => Value::str(&ops::to_str(&v)),
                    _ => v,
                };
                f.stack.push(Value::str(&ops::format_value(&v, &spec)?));
            }
            Op::BuildString(n) => {
                let parts = f.stack.split_off(f.stack.len() - n as usize);
                let s: String = parts.iter().map(ops::to_str).collect();
                f.stack.push(Value::str(&s));
            }
            Op::Import(name) => {
                let m = self.module(&name).ok_or_else(|| {
                    Exception::new(ExcKind::NameError, format!("No module named '{name}'"))
                })?;
                f.stack.push(m);
            }
            Op::WithEnter { is_async } => {
                let ctx = f.pop();
                let (enter, exit) = if is_async {
                    ("__aenter__", "__aexit__")
                } else {
                    ("__enter__", "__exit__")
                };
                let exit_fn = self.get_attr(&ctx, exit)?;
                let enter_fn = self.get_attr(&ctx, enter)?;
                frames.last_mut().expect("running").stack.push(exit_fn);
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
            Op::SumRange { argc, poly } => {
                let args = f.stack.split_off(f.stack.len() - argc as usize);
                let r = ops::range_from(&args)?;
                let n = r.len();
                let sum = poly.sum_over(r.start, r.step, n);
                f.stack.push(Value::from_bigint(sum));
                let per_turn =
                    self.profile.loop_iteration_s + (poly.weight as f64 - 3.0) * self.profile.op_s;
                let per_turn = per_turn.max(self.profile.loop_iteration_s * 0.2);
                self.threads[tid].cost += from_secs(per_turn * n as f64);
            }
            Op::ForRangeAccumulate {
                argc,
                var,
                targets,
                weight,
            } => {
                let args = f.stack.split_off(f.stack.len() - argc as usize);
                let r = ops::range_from(&args)?;
                let n = r.len();
                for (target, add, poly) in targets.iter() {
                    let current = self.load(f, target)?;
                    let sum = Value::from_bigint(poly.sum_over(r.start, r.step, n));
                    let op = if *add { BinOp::Add } else { BinOp::Sub };
                    let new = ops::binary(op, &current, &sum)?;
                    self.store(f, target, Some(new))?;
                }
                if n > 0 {
                    self.store(f, &var, Some(Value::Int(r.get(n - 1))))?;
                }
                let per_turn =
                    self.profile.for_iteration_s + (weight as f64 - 5.0) * self.profile.op_s;
                let per_turn = per_turn.max(self.profile.for_iteration_s * 0.2);
                self.threads[tid].cost += from_secs(per_turn * n as f64);
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
        }
        Ok(Flow::Next)
    }

    /// `iter(v)`.
    pub fn get_iter(&self, v: Value) -> Result<Value, Exception> {
        if v.downcast::<Generator>().is_some() || v.downcast::<NativeIter>().is_some() {
            return Ok(v);
        }
        let keys = match &v {
            Value::List(_) | Value::Tuple(_) | Value::Str(_) | Value::Range(_) => None,
            Value::Dict(d) => Some(d.borrow().keys()),
            other => {
                return raise(
                    ExcKind::TypeError,
                    format!("'{}' object is not iterable", other.type_name()),
                )
            }
        };
        Ok(Value::object(NativeIter {
            source: v,
            index: std::cell::Cell::new(0),
            keys,
        }))
    }

    /// The next item of a native iterator, or `None` at the end.
    pub fn native_next(it: &NativeIter) -> Option<Value> {
        let i = it.index.get();
        it.index.set(i + 1);
        let i_us = usize::try_from(i).ok()?;
        match &it.source {
            Value::List(l) => l.borrow().get(i_us).cloned(),
            Value::Tuple(t) => t.get(i_us).cloned(),
            Value::Str(s) => s.chars().nth(i_us).map(|c| Value::str(&c.to_string())),
            Value::Range(r) => (i < r.len()).then(|| Value::Int(r.get(i))),
            Value::Dict(_) => it.keys.as_ref().and_then(|k| k.get(i_us).cloned()),
            _ => None,
        }
    }

    pub(super) fn for_iter(&mut self, frames: &mut Vec<Frame>, exit: usize) -> Step {
        let f = frames.last_mut().expect("running");
        let it = f.top();
        if let Some(n) = it.downcast::<NativeIter>() {
            match Self::native_next(n) {
                Some(v) => f.stack.push(v),
                None => {
                    f.pop();
                    f.pc = exit;
                }
            }
            return Ok(Flow::Next);
        }
        if let Some(g) = it.downcast::<Generator>() {
            let state = g.state.clone();
            if state.done.get() {
                f.pop();
                f.pc = exit;
                return Ok(Flow::Next);
            }
            let mut frame = self.enter_generator(&state, Caller::ForIter { exit })?;
            if state.started.get() {
                frame.stack.push(Value::None);
            }
            frames.push(frame);
            return Ok(Flow::Next);
        }
        raise(
            ExcKind::TypeError,
            format!("'{}' object is not an iterator", it.type_name()),
        )
    }

    /// `yield from` / `await`: stack is `[delegate, value to send]`.
    pub(super) fn yield_from(&mut self, tid: ThreadId, frames: &mut Vec<Frame>) -> Step {
        let f = frames.last_mut().expect("running");
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
                    let fut = self.sleep_future(tid, s.secs, s.result.clone())?;
                    *s.future.borrow_mut() = Some(fut.clone());
                    fut
                }
            };
            if s.secs <= 0.0 && !fut.is_done() {
                // `asyncio.sleep(0)` yields once without a future: the task goes to the back
                // of the ready queue.
                fut.state.replace(FutState::Done(s.result.clone()));
                let f = frames.last_mut().expect("running");
                f.pc -= 1;
                return Ok(self.yield_out(frames, Value::None));
            }
            return self.await_future(frames, &delegate, &fut);
        }
        if let Some(n) = delegate.downcast::<NativeIter>() {
            return match Self::native_next(n) {
                Some(v) => {
                    let f = frames.last_mut().expect("running");
                    f.pc -= 1;
                    Ok(self.yield_out(frames, v))
                }
                None => {
                    let f = frames.last_mut().expect("running");
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
        let f = frames.last_mut().expect("running");
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
        let top = frames.last().expect("running");
        if top.generator.is_some() {
            self.deliver_yield(frames, v)
        } else {
            Flow::Exit(Exit::BaseYield(v))
        }
    }
}

/// A function's name as Python shows it: a prelude function `asyncio__sleep` is `sleep`, as
/// in CPython's `asyncio` (see `prelude.py`).
fn public_name(name: &Rc<str>) -> Rc<str> {
    match prelude_export(name) {
        Some((_, attr)) => Rc::from(attr),
        None => name.clone(),
    }
}
