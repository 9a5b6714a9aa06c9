//! Calling the object model's values: a class (making an instance and running its
//! `__init__`), a bound method (its function with the object first), an instance with
//! `__call__`, one of the library's classes, a static method.
//!
//! An instance's `__init__` runs as a call of its own: the new instance is put where the
//! call's result goes, and `__init__`'s own result is dropped (`Caller::Discard`), so an
//! `__init__` may start threads or sleep like any function.

use std::rc::Rc;

use super::Step;
use crate::python::classes::{BoundMethod, BuiltinClass, Class, Instance, StaticMethod};
use crate::python::frame::{Caller, Frame};
use crate::python::runtime::native::{Args, Native, Outcome};
use crate::python::runtime::object_costs;
use crate::python::runtime::state::Runtime;
use crate::python::sync::ThreadId;
use crate::python::value::{raise, ExcKind, Value};

type Kwargs = Vec<(Rc<str>, Value)>;

impl Runtime {
    /// Calls `callee` when it is none of the interpreter's own callables (functions,
    /// natives, methods of data): the object model's, else a `TypeError`.
    pub(super) fn call_object(
        &mut self,
        tid: ThreadId,
        frames: &mut Vec<Frame>,
        callee: Value,
        mut args: Vec<Value>,
        kwargs: Kwargs,
        caller: Caller,
    ) -> Step {
        if let Some(m) = callee.downcast::<BoundMethod>() {
            args.insert(0, m.this.clone());
            let func = m.func.clone();
            return self.call_value(tid, frames, func, args, kwargs, caller);
        }
        if callee.downcast::<Class>().is_some() {
            return self.instantiate(tid, frames, callee, args, kwargs, caller);
        }
        if let Some(b) = callee.downcast::<BuiltinClass>() {
            let new = b.new.clone();
            return self.call_value(tid, frames, new, args, kwargs, caller);
        }
        if let Some(s) = callee.downcast::<StaticMethod>() {
            let func = s.0.clone();
            return self.call_value(tid, frames, func, args, kwargs, caller);
        }
        if let Some(m) = self.dunder_of(&callee, "__call__") {
            self.charge(tid, object_costs::CALL_INSTANCE);
            return self.call_value(tid, frames, m, args, kwargs, caller);
        }
        raise(
            ExcKind::TypeError,
            format!("'{}' object is not callable", callee.type_name()),
        )
    }

    /// `Cls(*args, **kwargs)`: a new instance, initialised by the first `__init__` of its
    /// classes, or by its library base class's, or by `object`'s (which takes nothing).
    fn instantiate(
        &mut self,
        tid: ThreadId,
        frames: &mut Vec<Frame>,
        class: Value,
        args: Vec<Value>,
        kwargs: Kwargs,
        caller: Caller,
    ) -> Step {
        let cls = class.downcast::<Class>().expect("a class");
        self.charge(tid, object_costs::NEW_INSTANCE);
        let inst = Instance::new(class.clone(), self.next_serial());
        if cls.exc_kind().is_some() {
            // BaseException.__new__ keeps the arguments, whatever __init__ does.
            *inst.native.borrow_mut() = Value::tuple(args.clone());
        }
        let obj = Value::object(inst);
        if let Some(init) = cls.lookup(&class, "__init__", None) {
            self.charge(tid, object_costs::INIT_CALL);
            let mut all = Vec::with_capacity(args.len() + 1);
            all.push(obj.clone());
            all.extend(args);
            if matches!(caller, Caller::Call) && !frames.is_empty() {
                frames
                    .last_mut()
                    .expect("checked above")
                    .stack
                    .push(obj);
                return self.call_value(tid, frames, init, all, kwargs, Caller::Discard);
            }
            self.call_sync_kw(tid, init, all, kwargs)?;
            return self.give_result(frames, obj, caller);
        }
        match cls.native_base() {
            Some(base) if base.downcast::<BuiltinClass>().is_some() => {
                let init = base.downcast::<BuiltinClass>().map(|b| b.init.clone());
                if let Some(n) = init.as_ref().and_then(|v| v.downcast::<Native>()) {
                    let a = Args {
                        name: n.name,
                        thread: tid,
                        this: Some(obj.clone()),
                        args,
                        kwargs,
                    };
                    if let Outcome::Raise(e) = (n.f)(self, a) {
                        return Err(e);
                    }
                }
            }
            Some(_) => {}
            None if !args.is_empty() || !kwargs.is_empty() => {
                return raise(
                    ExcKind::TypeError,
                    format!("{}() takes no arguments", cls.name),
                )
            }
            None => {}
        }
        self.give_result(frames, obj, caller)
    }
}
