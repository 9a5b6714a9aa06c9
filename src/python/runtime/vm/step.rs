//! One instruction: [`Runtime::step`] hands each family of instructions to a method of its
//! own; this file has the families that only touch the running frame (the value stack and
//! names, jumps, attributes and items and operators, building containers). Calls,
//! generators, exceptions and the fast paths are in the files named after them.

use std::rc::Rc;

use super::top_frame;
use super::{Flow, Step};
use crate::python::bytecode::Op;
use crate::python::frame::Frame;
use crate::python::objects::BoundData;
use crate::python::ops::{self, BinOp};
use crate::python::runtime::state::Runtime;
use crate::python::sync::ThreadId;
use crate::python::value::{raise, ExcKind, Exception, Value};

impl Runtime {
    /// Carries out one instruction: each family of instructions has a method of its own.
    pub(super) fn step(&mut self, tid: ThreadId, frames: &mut Vec<Frame>, op: Op) -> Step {
        match op {
            Op::Const(_)
            | Op::Load(_)
            | Op::Store(_)
            | Op::Delete(_)
            | Op::Pop
            | Op::Dup
            | Op::Rot2 => self.stack_op(frames, op),
            Op::Jump(_)
            | Op::JumpIfFalse(_)
            | Op::JumpIfTrue(_)
            | Op::JumpIfFalseOrPop(_)
            | Op::JumpIfTrueOrPop(_) => self.jump_op(tid, frames, op),
            Op::LoadAttr(_)
            | Op::StoreAttr(_)
            | Op::DeleteAttr(_)
            | Op::Subscript
            | Op::StoreSubscript
            | Op::DeleteSubscript
            | Op::BuildSlice
            | Op::Binary(_)
            | Op::InPlace(_)
            | Op::Unary(_)
            | Op::Compare(_)
            | Op::Contains(_)
            | Op::Is(_) => self.data_op(tid, frames, op),
            Op::BuildList(_)
            | Op::BuildTuple(_)
            | Op::BuildDict(_)
            | Op::ListAppend(_)
            | Op::ListExtend
            | Op::DictSet(_)
            | Op::DictMerge
            | Op::ListToTuple
            | Op::BuildSet(_)
            | Op::SetAdd(_)
            | Op::SetUpdate
            | Op::UnpackSequence(_)
            | Op::UnpackEx { .. }
            | Op::FormatValue { .. }
            | Op::BuildString(_) => self.build_op(tid, frames, op),
            Op::Call { .. } | Op::CallEx | Op::MakeFunction(_) | Op::Import(_) => {
                self.call_op(tid, frames, op)
            }
            Op::GetIter
            | Op::ForIter(_)
            | Op::Return
            | Op::Yield
            | Op::YieldFrom
            | Op::GetAwaitable => self.generator_op(tid, frames, op),
            Op::SetupExcept(_)
            | Op::PopBlock
            | Op::Raise
            | Op::MatchExc
            | Op::AssertFail(_)
            | Op::Fail(_)
            | Op::WithEnter { .. }
            | Op::WithExitNormal
            | Op::WithExitExcept => self.exception_op(tid, frames, op),
            Op::SumRange { .. } | Op::ForRangeAccumulate { .. } => {
                self.fast_path_op(tid, frames, op)
            }
            Op::BuildClass(info) => {
                let f = top_frame(frames);
                let class = self.build_class(tid, f, &info)?;
                top_frame(frames).stack.push(class);
                Ok(Flow::Next)
            }
        }
    }

    /// One instruction of the value stack and names.
    pub(super) fn stack_op(&mut self, frames: &mut [Frame], op: Op) -> Step {
        let f = top_frame(frames);
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
            other => unreachable!("{other:?} is not one of the value stack and names"),
        }
        Ok(Flow::Next)
    }

    /// One instruction of jumps.
    pub(super) fn jump_op(&mut self, tid: ThreadId, frames: &mut [Frame], op: Op) -> Step {
        if top_frame(frames)
            .stack
            .last()
            .is_some_and(crate::python::classes::is_instance)
        {
            return self.object_jump(tid, frames, op);
        }
        let f = top_frame(frames);
        match op {
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
            other => unreachable!("{other:?} is not one of jumps"),
        }
        Ok(Flow::Next)
    }

    /// One instruction of attributes, items and operators.
    pub(super) fn data_op(&mut self, tid: ThreadId, frames: &mut Vec<Frame>, op: Op) -> Step {
        if let Some(step) = self.object_data_op(tid, frames, &op) {
            return step;
        }
        let f = top_frame(frames);
        match op {
            Op::LoadAttr(name) => {
                let obj = f.pop();
                let v = match obj {
                    // A method of plain data (`items.append`), bound with the instruction's
                    // own name: the common case, without copying the name.
                    Value::Str(_) | Value::List(_) | Value::Dict(_) | Value::Tuple(_)
                        if ops::has_method(&obj, &name) =>
                    {
                        Value::object(BoundData { this: obj, name })
                    }
                    _ => self.get_attr(&obj, &name)?,
                };
                top_frame(frames).stack.push(v);
            }
            Op::StoreAttr(name) => {
                let obj = f.pop();
                let v = f.pop();
                self.set_library_attr(&obj, &name, v)?;
            }
            Op::DeleteAttr(name) => {
                let obj = f.pop();
                self.delete_attr(&obj, &name)?;
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
            other => unreachable!("{other:?} is not one of attributes, items and operators"),
        }
        Ok(Flow::Next)
    }

    /// One instruction of building containers and strings.
    pub(super) fn build_op(&mut self, tid: ThreadId, frames: &mut Vec<Frame>, op: Op) -> Step {
        let f = top_frame(frames);
        match op {
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
            Op::BuildSet(_)
            | Op::SetAdd(_)
            | Op::SetUpdate
            | Op::UnpackSequence(_)
            | Op::UnpackEx { .. } => return self.set_and_unpack_op(tid, frames, op),
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
                    b'r' | b'a' => Value::str(&self.repr_of(tid, &v)?),
                    b's' => Value::str(&self.str_of(tid, &v)?),
                    _ => v,
                };
                let text = match &v {
                    Value::Object(_) if spec.is_empty() => self.str_of(tid, &v)?,
                    Value::List(_) | Value::Tuple(_) | Value::Dict(_) if spec.is_empty() => {
                        self.str_of(tid, &v)?
                    }
                    _ => ops::format_value(&v, &spec)?,
                };
                top_frame(frames).stack.push(Value::str(&text));
            }
            Op::BuildString(n) => {
                let parts = f.stack.split_off(f.stack.len() - n as usize);
                let s: String = parts.iter().map(ops::to_str).collect();
                f.stack.push(Value::str(&s));
            }
            other => unreachable!("{other:?} is not one of building containers and strings"),
        }
        Ok(Flow::Next)
    }

    /// One instruction of sets and of unpacking into targets.
    fn set_and_unpack_op(&mut self, tid: ThreadId, frames: &mut Vec<Frame>, op: Op) -> Step {
        let f = top_frame(frames);
        match op {
            Op::BuildSet(n) => {
                let items = f.stack.split_off(f.stack.len() - n as usize);
                f.stack.push(crate::python::set::new_set(items, false)?);
            }
            Op::SetAdd(depth) => {
                let v = f.pop();
                let at = f.stack.len() - depth as usize;
                if let Some(s) = crate::python::set::set_of(&f.stack[at]) {
                    s.borrow_mut().add(v)?;
                }
            }
            Op::SetUpdate => {
                if Self::is_lazy(&f.top()) {
                    let slot = f.stack.len() - 1;
                    return self.retry_with_list(tid, frames, slot);
                }
                let it = f.pop();
                if let Some(s) = f.stack.last().and_then(crate::python::set::set_of) {
                    match crate::python::set::set_of(&it) {
                        Some(other) => s.borrow_mut().merge(&other.borrow())?,
                        None => {
                            let items = ops::to_vec(&it)?;
                            let mut s = s.borrow_mut();
                            for v in items {
                                s.add(v)?;
                            }
                        }
                    }
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
            Op::UnpackEx { before, after } => {
                if Self::is_lazy(&f.top()) {
                    let slot = f.stack.len() - 1;
                    return self.retry_with_list(tid, frames, slot);
                }
                let seq = f.pop();
                let mut items = ops::to_vec(&seq).map_err(|_| {
                    Exception::new(
                        ExcKind::TypeError,
                        format!("cannot unpack non-iterable {} object", seq.type_name()),
                    )
                })?;
                let (before, after) = (before as usize, after as usize);
                if items.len() < before + after {
                    return raise(
                        ExcKind::ValueError,
                        format!(
                            "not enough values to unpack (expected at least {}, got {})",
                            before + after,
                            items.len()
                        ),
                    );
                }
                let tail = items.split_off(items.len() - after);
                let middle = items.split_off(before);
                f.stack.extend(tail.into_iter().rev());
                f.stack.push(Value::list(middle));
                f.stack.extend(items.into_iter().rev());
            }
            other => unreachable!("{other:?} is not one of sets and unpacking"),
        }
        Ok(Flow::Next)
    }
}
