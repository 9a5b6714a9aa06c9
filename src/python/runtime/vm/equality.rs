//! Comparisons that may reach the program's objects inside containers: `[p, q] == [p, q]`
//! calls `__eq__` on the items, `p in points` and `points.index(p)` too, and sorting a list
//! of instances (`sorted(cards)`, `max(cards)`, `cards.sort()`) calls their `__lt__`. Plain
//! data never comes here: the library's comparisons (`ops`) are used whenever no instance is
//! involved, which is checked first.

use crate::python::classes::{holds_instances, is_instance};
use crate::python::ops::{self, CmpOp};
use crate::python::runtime::state::Runtime;
use crate::python::sync::ThreadId;
use crate::python::value::{raise, ExcKind, Exception, Value};

type R<T> = Result<T, Exception>;

impl Runtime {
    /// `a == b`, calling `__eq__` wherever an instance is compared.
    pub(crate) fn eq_values(&mut self, tid: ThreadId, a: &Value, b: &Value) -> R<bool> {
        if is_instance(a) || is_instance(b) {
            let r = self.object_compare(tid, CmpOp::Eq, a, b)?;
            return self.truth(tid, &r);
        }
        match (a, b) {
            (Value::List(x), Value::List(y)) => {
                let (x, y) = (x.borrow().clone(), y.borrow().clone());
                self.eq_items(tid, &x, &y)
            }
            (Value::Tuple(x), Value::Tuple(y)) => self.eq_items(tid, x, y),
            (Value::Dict(x), Value::Dict(y)) => {
                let (x, y) = (x.borrow().clone(), y.borrow().clone());
                if x.len() != y.len() {
                    return Ok(false);
                }
                for (k, v) in x.pairs() {
                    match y.get(&k)? {
                        Some(w) if self.eq_values(tid, &v, &w)? => {}
                        _ => return Ok(false),
                    }
                }
                Ok(true)
            }
            _ => Ok(ops::eq(a, b)),
        }
    }

    fn eq_items(&mut self, tid: ThreadId, x: &[Value], y: &[Value]) -> R<bool> {
        if x.len() != y.len() {
            return Ok(false);
        }
        for (p, q) in x.iter().zip(y) {
            // Identity first, as CPython's containers do.
            if !p.is(q) && !self.eq_values(tid, p, q)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// `a op b` where an instance may be involved (at the top or inside sequences).
    pub(crate) fn compare_values(
        &mut self,
        tid: ThreadId,
        op: CmpOp,
        a: &Value,
        b: &Value,
    ) -> R<Value> {
        if is_instance(a) || is_instance(b) {
            return self.object_compare(tid, op, a, b);
        }
        match op {
            CmpOp::Eq => return self.eq_values(tid, a, b).map(Value::Bool),
            CmpOp::NotEq => return self.eq_values(tid, a, b).map(|e| Value::Bool(!e)),
            _ => {}
        }
        let (x, y) = match (a, b) {
            (Value::List(x), Value::List(y)) => (x.borrow().clone(), y.borrow().clone()),
            (Value::Tuple(x), Value::Tuple(y)) => (x.as_ref().clone(), y.as_ref().clone()),
            _ => return ops::compare(op, a, b).map(Value::Bool),
        };
        // Sequences compare at their first unequal items, else by length.
        for (p, q) in x.iter().zip(&y) {
            if !p.is(q) && !self.eq_values(tid, p, q)? {
                return self.compare_values(tid, op, p, q);
            }
        }
        ops::compare(op, &Value::Int(x.len() as i64), &Value::Int(y.len() as i64))
            .map(Value::Bool)
    }

    /// `a < b` as sorting asks it.
    fn less(&mut self, tid: ThreadId, a: &Value, b: &Value) -> R<bool> {
        let r = self.compare_values(tid, CmpOp::Lt, a, b)?;
        self.truth(tid, &r)
    }

    /// `item in items`, with `__eq__` where instances are compared.
    pub(crate) fn contains_value(&mut self, tid: ThreadId, items: &[Value], item: &Value) -> R<bool> {
        for x in items {
            if x.is(item) || self.eq_values(tid, x, item)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// `sorted(items, reverse=...)` with the items' own `__lt__`: a stable merge sort that
    /// asks only `<`, as CPython's sort does (it never fails on an inconsistent `__lt__`).
    pub(crate) fn sort_values(
        &mut self,
        tid: ThreadId,
        items: Vec<Value>,
        reverse: bool,
    ) -> R<Vec<Value>> {
        let mut items = items;
        if reverse {
            // CPython reverses, sorts stably, and reverses back: equal items keep their order.
            items.reverse();
        }
        let mut sorted = self.merge_sort(tid, items)?;
        if reverse {
            sorted.reverse();
        }
        Ok(sorted)
    }

    fn merge_sort(&mut self, tid: ThreadId, mut items: Vec<Value>) -> R<Vec<Value>> {
        if items.len() <= 1 {
            return Ok(items);
        }
        let right = items.split_off(items.len() / 2);
        let left = self.merge_sort(tid, items)?;
        let right = self.merge_sort(tid, right)?;
        let mut out = Vec::with_capacity(left.len() + right.len());
        let (mut i, mut j) = (0, 0);
        while i < left.len() && j < right.len() {
            // Take from the right only when it is strictly less: stable.
            if self.less(tid, &right[j], &left[i])? {
                out.push(right[j].clone());
                j += 1;
            } else {
                out.push(left[i].clone());
                i += 1;
            }
        }
        out.extend_from_slice(&left[i..]);
        out.extend_from_slice(&right[j..]);
        Ok(out)
    }

    /// `min(items)` or `max(items)` by `<` (the first of equal ones wins, as in CPython).
    pub(crate) fn pick_value(&mut self, tid: ThreadId, items: &[Value], max: bool) -> R<Value> {
        let Some(first) = items.first() else {
            let which = if max { "max" } else { "min" };
            return raise(
                ExcKind::ValueError,
                format!("{which}() arg is an empty sequence"),
            );
        };
        let mut best = first.clone();
        let op = if max { CmpOp::Gt } else { CmpOp::Lt };
        for x in &items[1..] {
            let r = self.compare_values(tid, op, x, &best)?;
            if self.truth(tid, &r)? {
                best = x.clone();
            }
        }
        Ok(best)
    }
}

impl Runtime {
    /// A list method that compares items (`sort`, `index`, `count`, `remove`), on a list
    /// holding instances or given one; `None` for everything else.
    pub(crate) fn list_method_on_objects(
        &mut self,
        tid: ThreadId,
        list: &Value,
        name: &str,
        args: &[Value],
        kwargs: &[(std::rc::Rc<str>, Value)],
    ) -> Option<R<Value>> {
        let Value::List(l) = list else { return None };
        if !matches!(name, "sort" | "index" | "count" | "remove") {
            return None;
        }
        if !holds_instances(list) && !args.first().is_some_and(holds_instances) {
            return None;
        }
        let items = l.borrow().clone();
        Some(match name {
            "sort" => {
                let reverse = kwargs
                    .iter()
                    .any(|(k, v)| &**k == "reverse" && ops::truthy(v));
                self.sort_values(tid, items, reverse).map(|sorted| {
                    *l.borrow_mut() = sorted;
                    Value::None
                })
            }
            _ => self.find_items(tid, l, &items, name, &args[..args.len().min(1)]),
        })
    }

    fn find_items(
        &mut self,
        tid: ThreadId,
        l: &std::cell::RefCell<Vec<Value>>,
        items: &[Value],
        name: &str,
        args: &[Value],
    ) -> R<Value> {
        let Some(x) = args.first() else {
            return raise(ExcKind::TypeError, format!("{name}() takes exactly one argument (0 given)"));
        };
        let mut count = 0;
        for (i, item) in items.iter().enumerate() {
            if item.is(x) || self.eq_values(tid, item, x)? {
                match name {
                    "index" => return Ok(Value::Int(i as i64)),
                    "remove" => {
                        l.borrow_mut().remove(i);
                        return Ok(Value::None);
                    }
                    _ => count += 1,
                }
            }
        }
        match name {
            "count" => Ok(Value::Int(count)),
            "index" => raise(ExcKind::ValueError, format!("{} is not in list", ops::repr(x))),
            _ => raise(ExcKind::ValueError, "list.remove(x): x not in list"),
        }
    }
}
