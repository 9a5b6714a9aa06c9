//! Calls: binding a Python function's arguments into a new frame, running a native at once
//! and carrying out what it asks ([`Outcome`]), and the call instructions themselves.
//! Natives that read whole iterables get lists: a generator among their arguments is first
//! run to the end by the prelude's `_materialize`, and the call retried.

use std::rc::Rc;

use super::top_frame;
use super::{Exit, Flow, Step};
use crate::python::bytecode::{CodeKind, Op};
use crate::python::frame::{Caller, Env, Frame, GenState, Generator};
use crate::python::objects::{BoundData, Function, NativeIter};
use crate::python::ops::{self};
use crate::python::runtime::native::{Args, Native, Outcome};
use crate::python::runtime::prelude::prelude_export;
use crate::python::runtime::state::Runtime;
use crate::python::sync::ThreadId;
use crate::python::value::{raise, ExcKind, Exception, Value};

/// Deepest call stack allowed (CPython's default recursion limit is 1000).
const MAX_DEPTH: usize = 1000;

impl Runtime {
    /// One instruction of calls, functions and imports.
    pub(super) fn call_op(&mut self, tid: ThreadId, frames: &mut Vec<Frame>, op: Op) -> Step {
        let f = top_frame(frames);
        match op {
            Op::Call { argc, kwnames } => {
                let nkw = kwnames.len();
                let first_arg = f.stack.len() - argc as usize - nkw;
                if let Some(step) = self.materialize_first(tid, frames, first_arg) {
                    return step;
                }
                let f = top_frame(frames);
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
                    attrs: Default::default(),
                };
                f.stack.push(Value::object(func));
            }
            Op::Import(name) => {
                let m = self.module(&name).ok_or_else(|| {
                    Exception::new(ExcKind::NameError, format!("No module named '{name}'"))
                })?;
                f.stack.push(m);
            }
            other => unreachable!("{other:?} is not one of calls, functions and imports"),
        }
        Ok(Flow::Next)
    }

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
            if let Some(r) = self.list_method_on_objects(tid, &b.this, &b.name, &args, &kwargs) {
                return match r {
                    Ok(v) => self.give_result(frames, v, caller),
                    Err(e) => Err(e),
                };
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
            return self.call_object(tid, frames, callee, args, kwargs, caller);
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
            Outcome::Block { label, wait } => {
                let t = &mut self.threads[tid];
                t.blocked = Some(label);
                t.waiting = Some(wait);
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
        v.downcast::<Generator>().is_some()
            || v.downcast::<NativeIter>().is_some()
            || crate::python::classes::is_instance(v)
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
        let f = top_frame(frames);
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
}

/// A function's name as Python shows it: a prelude function `asyncio__sleep` is `sleep`, as
/// in CPython's `asyncio` (see `prelude.py`).
fn public_name(name: &Rc<str>) -> Rc<str> {
    match prelude_export(name) {
        Some((_, attr)) => Rc::from(attr),
        None => name.clone(),
    }
}
