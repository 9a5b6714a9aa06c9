//! Iteration: `iter(v)` of plain data is a native iterator; a `for` loop steps a native
//! iterator or resumes a generator.

use super::top_frame;
use super::{Flow, Step};
use crate::python::frame::{Caller, Frame, Generator};
use crate::python::objects::NativeIter;
use crate::python::runtime::object_costs;
use crate::python::runtime::state::Runtime;
use crate::python::sync::ThreadId;
use crate::python::value::{raise, ExcKind, Exception, Value};

impl Runtime {
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

    pub(super) fn for_iter(
        &mut self,
        tid: ThreadId,
        frames: &mut Vec<Frame>,
        exit: usize,
    ) -> Step {
        let f = top_frame(frames);
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
        if let Some(next) = self.dunder_of(&it, "__next__") {
            self.charge(tid, object_costs::DUNDER_CALL);
            return self.call_value(tid, frames, next, Vec::new(), Vec::new(), Caller::ForNext { exit });
        }
        raise(
            ExcKind::TypeError,
            format!("'{}' object is not an iterator", it.type_name()),
        )
    }

    /// `iter(obj)` for an instance: its `__iter__`, called like any method (it is often a
    /// generator); the result goes where the iterator should.
    pub(super) fn instance_iter(
        &mut self,
        tid: ThreadId,
        frames: &mut Vec<Frame>,
        obj: Value,
    ) -> Step {
        match self.dunder_of(&obj, "__iter__") {
            Some(m) => {
                self.charge(tid, object_costs::DUNDER_CALL);
                self.call_value(tid, frames, m, Vec::new(), Vec::new(), Caller::Call)
            }
            None => raise(
                ExcKind::TypeError,
                format!("'{}' object is not iterable", obj.type_name()),
            ),
        }
    }
}
