//! The program's objects in the VM: attributes of instances and classes (a property's getter
//! or a setter runs as a call), operators that reach dunder methods (`a + b` calls
//! `__add__`, `a == b` `__eq__`, `x in c` `__contains__`, `c[k]` `__getitem__`), truth
//! (`__bool__`, `__len__`), and how the program's objects are shown (`__repr__`, `__str__`).
//!
//! Two ways to run a dunder method, chosen by what it may do. One that may wait (an
//! `__getitem__` that sleeps, a property doing I/O) is a call like any other: its frame is
//! pushed and its result lands on the caller's stack. One that only computes a value the
//! operator needs at once (an `__eq__` inside a list comparison, a `__repr__` inside a
//! list's repr, an `__add__` whose `NotImplemented` means "try the other operand") is run
//! to its end on the spot ([`Runtime::call_sync`]); such a method may not wait for another
//! thread (it gets a `RuntimeError` saying so), and whatever it prints is time-stamped when
//! the instruction that called it is done.

use super::top_frame;
use super::{Exit, Flow, Step};
use crate::python::bytecode::Op;
use crate::python::classes::{holds_instances, is_instance, Class, Instance, NotImplementedType};
use crate::python::frame::{Caller, Frame};
use crate::python::objects::Function;
use crate::python::ops::{self, BinOp, CmpOp, UnaryOp};
use crate::python::runtime::classes::Attr;
use crate::python::runtime::object_costs;
use crate::python::runtime::state::Runtime;
use crate::python::sync::ThreadId;
use crate::python::value::{raise, ExcKind, Exception, Value};

/// Whether `v` is the `NotImplemented` a dunder method returns to decline.
fn declined(v: &Value) -> bool {
    v.downcast::<NotImplementedType>().is_some()
}

/// The dunder methods of a binary operator: `(a.__op__(b), b.__rop__(a), a.__iop__(b))`.
fn binary_dunders(op: BinOp) -> (&'static str, &'static str, &'static str) {
    match op {
        BinOp::Add => ("__add__", "__radd__", "__iadd__"),
        BinOp::Sub => ("__sub__", "__rsub__", "__isub__"),
        BinOp::Mul => ("__mul__", "__rmul__", "__imul__"),
        BinOp::Div => ("__truediv__", "__rtruediv__", "__itruediv__"),
        BinOp::FloorDiv => ("__floordiv__", "__rfloordiv__", "__ifloordiv__"),
        BinOp::Mod => ("__mod__", "__rmod__", "__imod__"),
        BinOp::Pow => ("__pow__", "__rpow__", "__ipow__"),
        BinOp::LShift => ("__lshift__", "__rlshift__", "__ilshift__"),
        BinOp::RShift => ("__rshift__", "__rrshift__", "__irshift__"),
        BinOp::BitAnd => ("__and__", "__rand__", "__iand__"),
        BinOp::BitOr => ("__or__", "__ror__", "__ior__"),
        BinOp::BitXor => ("__xor__", "__rxor__", "__ixor__"),
    }
}

/// The dunder method of a comparison and of its reflection (`a < b` is also `b > a`).
fn compare_dunders(op: CmpOp) -> (&'static str, &'static str) {
    match op {
        CmpOp::Eq => ("__eq__", "__eq__"),
        CmpOp::NotEq => ("__ne__", "__ne__"),
        CmpOp::Lt => ("__lt__", "__gt__"),
        CmpOp::LtE => ("__le__", "__ge__"),
        CmpOp::Gt => ("__gt__", "__lt__"),
        CmpOp::GtE => ("__ge__", "__le__"),
    }
}

impl Runtime {
    /// The data instructions on the program's objects; `None` when `op`'s operands are not
    /// such objects (the plain instructions of `step` then run).
    pub(super) fn object_data_op(
        &mut self,
        tid: ThreadId,
        frames: &mut Vec<Frame>,
        op: &Op,
    ) -> Option<Step> {
        let stack = &top_frame(frames).stack;
        let at = |k: usize| stack.len().checked_sub(k).map(|i| &stack[i]);
        let objectish = |k: usize| matches!(at(k), Some(Value::Object(_)));
        let hit = match op {
            Op::LoadAttr(_) | Op::StoreAttr(_) => at(1).is_some_and(is_model_object),
            Op::Binary(_) | Op::InPlace(_) => {
                (objectish(1) || objectish(2))
                    && (at(1).is_some_and(is_instance) || at(2).is_some_and(is_instance))
            }
            Op::Compare(_) => at(1).is_some_and(holds_instances) || at(2).is_some_and(holds_instances),
            Op::Unary(_) => at(1).is_some_and(is_instance),
            Op::Contains(_) => {
                at(1).is_some_and(is_instance)
                    || (matches!(at(1), Some(Value::List(_) | Value::Tuple(_)))
                        && (at(2).is_some_and(is_instance) || at(1).is_some_and(holds_instances)))
            }
            Op::Subscript => at(2).is_some_and(is_instance),
            Op::StoreSubscript | Op::DeleteSubscript => at(2).is_some_and(is_instance),
            _ => false,
        };
        if !hit {
            return None;
        }
        Some(self.object_op(tid, frames, op))
    }

    fn object_op(&mut self, tid: ThreadId, frames: &mut Vec<Frame>, op: &Op) -> Step {
        let f = top_frame(frames);
        match op {
            Op::LoadAttr(name) => {
                let obj = f.pop();
                return self.load_object_attr(tid, frames, &obj, name);
            }
            Op::StoreAttr(name) => {
                let obj = f.pop();
                let v = f.pop();
                if let Some((setter, args)) = self.store_object_attr(&obj, name, v)? {
                    self.charge(tid, object_costs::PROPERTY);
                    return self.call_value(tid, frames, setter, args, Vec::new(), Caller::Discard);
                }
            }
            Op::Binary(bop) | Op::InPlace(bop) => {
                let b = f.pop();
                let a = f.pop();
                let inplace = matches!(op, Op::InPlace(_));
                let v = self.object_binary(tid, *bop, &a, &b, inplace)?;
                top_frame(frames).stack.push(v);
            }
            Op::Compare(cop) => {
                let b = f.pop();
                let a = f.pop();
                let v = self.compare_values(tid, *cop, &a, &b)?;
                top_frame(frames).stack.push(v);
            }
            Op::Unary(uop) => {
                let a = f.pop();
                let v = self.object_unary(tid, *uop, &a)?;
                top_frame(frames).stack.push(v);
            }
            Op::Contains(negate) => {
                let container = f.pop();
                let item = f.pop();
                let found = match &container {
                    Value::List(l) => {
                        let items = l.borrow().clone();
                        self.contains_value(tid, &items, &item)?
                    }
                    Value::Tuple(t) => self.contains_value(tid, t, &item)?,
                    _ => self.object_contains(tid, &container, &item)?,
                };
                top_frame(frames).stack.push(Value::Bool(found != *negate));
            }
            Op::Subscript => {
                let idx = f.pop();
                let obj = f.pop();
                let m = self.special(&obj, "__getitem__", "is not subscriptable")?;
                return self.call_value(tid, frames, m, vec![idx], Vec::new(), Caller::Call);
            }
            Op::StoreSubscript => {
                let idx = f.pop();
                let obj = f.pop();
                let v = f.pop();
                let m = self.special(&obj, "__setitem__", "does not support item assignment")?;
                return self.call_value(tid, frames, m, vec![idx, v], Vec::new(), Caller::Discard);
            }
            Op::DeleteSubscript => {
                let idx = f.pop();
                let obj = f.pop();
                let m = self.special(&obj, "__delitem__", "doesn't support item deletion")?;
                return self.call_value(tid, frames, m, vec![idx], Vec::new(), Caller::Discard);
            }
            other => unreachable!("{other:?} is not an instruction on objects"),
        }
        Ok(Flow::Next)
    }

    /// A jump on the truth of an instance (`if obj:`, `while queue:`, `a and b`).
    pub(super) fn object_jump(&mut self, tid: ThreadId, frames: &mut [Frame], op: Op) -> Step {
        let top = top_frame(frames).top();
        let (target, jump_if, keep) = match op {
            Op::Jump(t) => {
                top_frame(frames).pc = t;
                return Ok(Flow::Next);
            }
            Op::JumpIfFalse(t) => (t, false, false),
            Op::JumpIfTrue(t) => (t, true, false),
            Op::JumpIfFalseOrPop(t) => (t, false, true),
            Op::JumpIfTrueOrPop(t) => (t, true, true),
            other => unreachable!("{other:?} is not one of jumps"),
        };
        let truth = self.truth(tid, &top)?;
        let f = top_frame(frames);
        if truth == jump_if {
            f.pc = target;
            if !keep {
                f.pop();
            }
        } else {
            f.pop();
        }
        Ok(Flow::Next)
    }

    fn load_object_attr(
        &mut self,
        tid: ThreadId,
        frames: &mut Vec<Frame>,
        obj: &Value,
        name: &str,
    ) -> Step {
        match self.lookup_attr(obj, name)? {
            Attr::Value(v) => top_frame(frames).stack.push(v),
            Attr::ClassValue(v) => {
                self.charge(tid, object_costs::CLASS_ATTR);
                top_frame(frames).stack.push(v);
            }
            Attr::Call(f, args) => {
                self.charge(tid, object_costs::PROPERTY);
                return self.call_value(tid, frames, f, args, Vec::new(), Caller::Call);
            }
        }
        Ok(Flow::Next)
    }

    /// Charges `ops` interpreted operations to thread `tid`.
    pub(crate) fn charge(&mut self, tid: ThreadId, ops: u64) {
        self.threads[tid].cost += ops * self.op_ns;
    }

    /// The special method `name` of instance `obj`, bound to it, or CPython's `TypeError`
    /// (`'P' object {missing}`).
    fn special(&self, obj: &Value, name: &str, missing: &str) -> Result<Value, Exception> {
        self.dunder_of(obj, name).ok_or_else(|| {
            Exception::new(
                ExcKind::TypeError,
                format!("'{}' object {missing}", obj.type_name()),
            )
        })
    }

    /// The special method `name` of `obj` (looked up on its class, as CPython looks up
    /// special methods), bound to it; `None` if it is not an instance or has none.
    pub(crate) fn dunder_of(&self, obj: &Value, name: &str) -> Option<Value> {
        let inst = obj.downcast::<Instance>()?;
        if matches!(inst.class().lookup(&inst.class, name, None)?, Value::None) {
            // `__hash__ = None` and the like: the class says it has no such method.
            return None;
        }
        match self.lookup_attr(obj, name) {
            Ok(Attr::Value(v)) | Ok(Attr::ClassValue(v)) => Some(v),
            _ => None,
        }
    }

    /// Calls the special method `name` of `obj` with `args`, to its end (see the module's
    /// notes); `None` when `obj` has no such method.
    pub(crate) fn call_dunder(
        &mut self,
        tid: ThreadId,
        obj: &Value,
        name: &str,
        args: Vec<Value>,
    ) -> Result<Option<Value>, Exception> {
        let Some(m) = self.dunder_of(obj, name) else {
            return Ok(None);
        };
        self.charge(tid, object_costs::DUNDER_CALL);
        self.call_sync(tid, m, args).map(Some)
    }

    /// `a op b` with an instance among the operands: `a.__op__(b)`, else `b.__rop__(a)`
    /// (for `op=`, `a.__iop__(b)` first), each of which may decline with `NotImplemented`.
    pub(crate) fn object_binary(
        &mut self,
        tid: ThreadId,
        op: BinOp,
        a: &Value,
        b: &Value,
        inplace: bool,
    ) -> Result<Value, Exception> {
        let (name, rname, iname) = binary_dunders(op);
        if inplace {
            if let Some(r) = self.call_dunder(tid, a, iname, vec![b.clone()])? {
                if !declined(&r) {
                    return Ok(r);
                }
            }
        }
        if let Some(r) = self.call_dunder(tid, a, name, vec![b.clone()])? {
            if !declined(&r) {
                return Ok(r);
            }
        }
        if let Some(r) = self.call_dunder(tid, b, rname, vec![a.clone()])? {
            if !declined(&r) {
                return Ok(r);
            }
        }
        ops::binary(op, a, b)
    }

    /// `a op b` for comparisons with an instance among the operands: the dunder method of
    /// `a`, else the reflected one of `b`; `==` and `!=` then fall back to identity (`!=`
    /// inverts `__eq__` when the class has no `__ne__`, as `object.__ne__` does).
    pub(crate) fn object_compare(
        &mut self,
        tid: ThreadId,
        op: CmpOp,
        a: &Value,
        b: &Value,
    ) -> Result<Value, Exception> {
        let (name, reflected) = compare_dunders(op);
        if let Some(r) = self.call_dunder(tid, a, name, vec![b.clone()])? {
            if !declined(&r) {
                return Ok(r);
            }
        }
        if let Some(r) = self.call_dunder(tid, b, reflected, vec![a.clone()])? {
            if !declined(&r) {
                return Ok(r);
            }
        }
        match op {
            CmpOp::Eq | CmpOp::NotEq => {
                let mut equal = None;
                if op == CmpOp::NotEq {
                    for (x, y) in [(a, b), (b, a)] {
                        if let Some(r) = self.call_dunder(tid, x, "__eq__", vec![y.clone()])? {
                            if !declined(&r) {
                                equal = Some(self.truth(tid, &r)?);
                                break;
                            }
                        }
                    }
                }
                let equal = equal.unwrap_or_else(|| a.is(b));
                Ok(Value::Bool(equal == (op == CmpOp::Eq)))
            }
            _ => ops::compare(op, a, b).map(Value::Bool),
        }
    }

    /// `-a`, `+a`, `~a`, `not a` for an instance.
    fn object_unary(&mut self, tid: ThreadId, op: UnaryOp, a: &Value) -> Result<Value, Exception> {
        let name = match op {
            UnaryOp::Not => return Ok(Value::Bool(!self.truth(tid, a)?)),
            UnaryOp::Neg => "__neg__",
            UnaryOp::Pos => "__pos__",
            UnaryOp::Invert => "__invert__",
        };
        match self.call_dunder(tid, a, name, Vec::new())? {
            Some(v) => Ok(v),
            None => ops::unary(op, a),
        }
    }

    /// `item in container` for an instance container: `__contains__`, else its iteration
    /// is refused (CPython would loop over `__iter__`).
    fn object_contains(
        &mut self,
        tid: ThreadId,
        container: &Value,
        item: &Value,
    ) -> Result<bool, Exception> {
        match self.call_dunder(tid, container, "__contains__", vec![item.clone()])? {
            Some(r) => self.truth(tid, &r),
            None => raise(
                ExcKind::TypeError,
                format!(
                    "argument of type '{}' is not iterable (the kitchen needs __contains__ for 'in')",
                    container.type_name()
                ),
            ),
        }
    }

    /// The truth of `v`: for an instance, its `__bool__`, else its `__len__`, else true.
    pub(crate) fn truth(&mut self, tid: ThreadId, v: &Value) -> Result<bool, Exception> {
        if !is_instance(v) {
            return Ok(ops::truthy(v));
        }
        if let Some(r) = self.call_dunder(tid, v, "__bool__", Vec::new())? {
            return match r {
                Value::Bool(b) => Ok(b),
                other => raise(
                    ExcKind::TypeError,
                    format!("__bool__ should return bool, returned {}", other.type_name()),
                ),
            };
        }
        match self.call_dunder(tid, v, "__len__", Vec::new())? {
            Some(n) => Ok(self.len_result(&n)? != 0),
            None => Ok(true),
        }
    }

    /// What `__len__` returned, as `len()` checks it.
    pub(crate) fn len_result(&self, n: &Value) -> Result<i64, Exception> {
        match n {
            Value::Int(i) if *i >= 0 => Ok(*i),
            Value::Bool(b) => Ok(*b as i64),
            Value::Int(_) => raise(ExcKind::ValueError, "__len__() should return >= 0"),
            other => raise(
                ExcKind::TypeError,
                format!(
                    "'{}' object cannot be interpreted as an integer",
                    other.type_name()
                ),
            ),
        }
    }

    /// Runs `callee(*args)` to its end, on the spot, within the current instruction of
    /// thread `tid`, and gives its result. Its operations are charged to the thread; what it
    /// asks of the simulator (a print) waits until the instruction is done; a wait for
    /// another thread is refused with a `RuntimeError`.
    pub(crate) fn call_sync(
        &mut self,
        tid: ThreadId,
        callee: Value,
        args: Vec<Value>,
    ) -> Result<Value, Exception> {
        self.call_sync_kw(tid, callee, args, Vec::new())
    }

    /// [`Runtime::call_sync`] with keyword arguments.
    pub(crate) fn call_sync_kw(
        &mut self,
        tid: ThreadId,
        callee: Value,
        args: Vec<Value>,
        kwargs: Vec<(std::rc::Rc<str>, Value)>,
    ) -> Result<Value, Exception> {
        let mut frames: Vec<Frame> = Vec::new();
        match self.call_value(tid, &mut frames, callee, args, kwargs, Caller::Base)? {
            Flow::Exit(Exit::BaseReturn(v)) => return Ok(v),
            Flow::Exit(Exit::Suspended) if frames.is_empty() => {
                return self.after_sync_suspend(tid).map(|()| {
                    match self.threads[tid].resume.take() {
                        Some(Ok(v)) => v,
                        _ => Value::None,
                    }
                })
            }
            _ => {}
        }
        // The quantum is the outer instruction's business: the cost so far is put aside so
        // that the inner run does not stop for it, and given back after.
        let mut outer_cost = std::mem::take(&mut self.threads[tid].cost);
        let result = loop {
            let exit = match self.exec(tid, &mut frames) {
                Ok(exit) => exit,
                // Past the operation budget: the outer instruction's next step reports it.
                Err(_) => break raise(ExcKind::RuntimeError, "the program ran too long"),
            };
            match exit {
                Exit::BaseReturn(v) => break Ok(v),
                Exit::BaseRaise(e) => break Err(e),
                Exit::Quantum => outer_cost += std::mem::take(&mut self.threads[tid].cost),
                Exit::Suspended => {
                    if let Err(e) = self.after_sync_suspend(tid) {
                        break Err(e);
                    }
                }
                Exit::BaseYield(_) => {
                    break raise(ExcKind::RuntimeError, "a dunder method cannot yield")
                }
            }
        };
        self.threads[tid].cost += outer_cost;
        result
    }

    /// A function run on the spot stopped: fine if it only queued requests (a print), an
    /// error if it waits for another thread.
    fn after_sync_suspend(&mut self, tid: ThreadId) -> Result<(), Exception> {
        let t = &mut self.threads[tid];
        if let Some(label) = t.blocked.take() {
            t.waiting = None;
            t.resume = None;
            return raise(
                ExcKind::RuntimeError,
                format!(
                    "the kitchen cannot wait ({label}) inside a method that an operator, print() or str() calls"
                ),
            );
        }
        Ok(())
    }

    /// How `v` is shown inside `repr` (`as_str`: by `str`), if it is an instance of the
    /// program's classes: its `__repr__` (or `__str__`), else the library's default for it.
    fn show_instance(&mut self, tid: ThreadId, v: &Value, as_str: bool) -> Option<Result<String, Exception>> {
        let inst = v.downcast::<Instance>()?;
        let cls = inst.class();
        let name = if as_str && cls.lookup(&inst.class, "__str__", None).is_some() {
            "__str__"
        } else if cls.lookup(&inst.class, "__repr__", None).is_some() {
            "__repr__"
        } else {
            return exception_text(v, inst, as_str).map(Ok);
        };
        Some(self.call_dunder(tid, v, name, Vec::new()).and_then(|r| match r {
            Some(Value::Str(s)) => Ok(s.to_string()),
            Some(other) => raise(
                ExcKind::TypeError,
                format!("{name} returned non-string (type {})", other.type_name()),
            ),
            None => Ok(String::new()),
        }))
    }

    /// `repr(v)`, with the program's objects shown by their `__repr__`.
    pub fn repr_of(&mut self, tid: ThreadId, v: &Value) -> Result<String, Exception> {
        if !matches!(v, Value::Object(_) | Value::List(_) | Value::Tuple(_) | Value::Dict(_)) {
            return Ok(ops::repr(v));
        }
        ops::repr_with(v, &mut |x: &Value, s: bool| self.show_instance(tid, x, s))
    }

    /// `str(v)`, with the program's objects shown by their `__str__` (or `__repr__`).
    pub fn str_of(&mut self, tid: ThreadId, v: &Value) -> Result<String, Exception> {
        if !matches!(v, Value::Object(_) | Value::List(_) | Value::Tuple(_) | Value::Dict(_)) {
            return Ok(ops::to_str(v));
        }
        ops::to_str_with(v, &mut |x: &Value, s: bool| self.show_instance(tid, x, s))
    }
}

/// The text of an exception instance without `__repr__`/`__str__` of its own: `str` is its
/// message, `repr` is `MyError('message')`; `None` for other instances.
fn exception_text(v: &Value, inst: &Instance, as_str: bool) -> Option<String> {
    inst.class().exc_kind()?;
    let e = Exception::from_value(v)?;
    if as_str {
        return Some(e.message);
    }
    let args = inst.exc_args();
    let shown = match args.as_slice() {
        [one] => ops::repr(one),
        many => {
            let t = ops::repr(&Value::tuple(many.to_vec()));
            t.trim_start_matches('(').trim_end_matches(')').trim_end_matches(',').to_string()
        }
    };
    Some(format!("{}({shown})", inst.class().name))
}

/// Whether attribute instructions on `v` are the object model's: instances, classes,
/// `super()` objects, functions (which may carry attributes of their own).
fn is_model_object(v: &Value) -> bool {
    let Value::Object(o) = v else { return false };
    o.downcast::<Instance>().is_some()
        || o.downcast::<Class>().is_some()
        || o.downcast::<crate::python::classes::Super>().is_some()
        || o.downcast::<crate::python::classes::BuiltinClass>().is_some()
        || o.downcast::<Function>().is_some()
}
