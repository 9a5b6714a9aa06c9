//! The methods of `list` and `dict`.

use std::cell::RefCell;

use crate::python::value::{raise, Dict, ExcKind, Exception, Value};

use super::call_args::{position, Call};
use super::common::{truthy, R};
use super::compare::{eq, sorted};
use super::items::{index, to_vec, Seq};
use super::repr::repr;

pub(super) fn list_method(l: &RefCell<Vec<Value>>, name: &str, call: &Call) -> Option<R<Value>> {
    let x = call.arg(0);
    Some(match name {
        "append" => {
            l.borrow_mut().push(x);
            Ok(Value::None)
        }
        "extend" => to_vec(&x).map(|items| {
            l.borrow_mut().extend(items);
            Value::None
        }),
        "insert" => call.int(0, "index", 0).map(|i| {
            let mut l = l.borrow_mut();
            let n = l.len() as i64;
            let i = if i < 0 {
                i.saturating_add(n).max(0)
            } else {
                i.min(n)
            };
            l.insert(i as usize, call.arg(1));
            Value::None
        }),
        "pop" => {
            let mut l = l.borrow_mut();
            if l.is_empty() {
                return Some(raise(ExcKind::IndexError, "pop from empty list"));
            }
            match call.args.first() {
                Some(v) => index(l.len(), v, Seq::ListPop).map(|i| l.remove(i)),
                None => Ok(l.pop().unwrap_or(Value::None)),
            }
        }
        "remove" => {
            let mut l = l.borrow_mut();
            match l.iter().position(|y| eq(y, &x)) {
                Some(i) => {
                    l.remove(i);
                    Ok(Value::None)
                }
                None => raise(ExcKind::ValueError, "list.remove(x): x not in list"),
            }
        }
        "index" => match position(&l.borrow(), call) {
            Ok(Some(i)) => Ok(Value::Int(i as i64)),
            Ok(None) => raise(ExcKind::ValueError, format!("{} is not in list", repr(&x))),
            Err(e) => Err(e),
        },
        "count" => Ok(Value::Int(
            l.borrow().iter().filter(|y| eq(y, &x)).count() as i64
        )),
        "reverse" => {
            l.borrow_mut().reverse();
            Ok(Value::None)
        }
        "copy" => Ok(Value::list(l.borrow().clone())),
        "clear" => {
            l.borrow_mut().clear();
            Ok(Value::None)
        }
        "sort" => {
            if call.kwarg("key").is_some() {
                // A key function is Python code, which this module cannot call.
                return Some(raise(
                    ExcKind::TypeError,
                    "list.sort(key=...) is not supported by the kitchen; use \
                     items = sorted(items, key=...)",
                ));
            }
            let reverse = call.kwarg("reverse").is_some_and(truthy);
            let items = l.borrow().clone();
            sorted(items, reverse).map(|v| {
                *l.borrow_mut() = v;
                Value::None
            })
        }
        _ => return None,
    })
}

pub(super) fn dict_method(d: &RefCell<Dict>, name: &str, call: &Call) -> Option<R<Value>> {
    let key = call.arg(0);
    Some(match name {
        "get" => d
            .borrow()
            .get(&key)
            .map(|v| v.unwrap_or_else(|| call.arg(1))),
        "keys" => Ok(Value::list(d.borrow().keys())),
        "values" => Ok(Value::list(d.borrow().values())),
        "items" => Ok(Value::list(
            d.borrow()
                .items()
                .map(|(k, v)| Value::tuple(vec![k.clone(), v.clone()]))
                .collect(),
        )),
        "pop" => match d.borrow_mut().remove(&key) {
            Ok(Some(v)) => Ok(v),
            Ok(None) if call.args.len() > 1 => Ok(call.arg(1)),
            Ok(None) => raise(ExcKind::KeyError, repr(&key)),
            Err(e) => Err(e),
        },
        "popitem" => {
            let last = d.borrow().items().last().map(|(k, _)| k.clone());
            match last {
                Some(k) => d
                    .borrow_mut()
                    .remove(&k)
                    .map(|v| Value::tuple(vec![k, v.unwrap_or(Value::None)])),
                None => raise(
                    ExcKind::KeyError,
                    repr(&Value::str("popitem(): dictionary is empty")),
                ),
            }
        }
        "setdefault" => {
            let existing = d.borrow().get(&key);
            match existing {
                Ok(Some(v)) => Ok(v),
                Ok(None) => d.borrow_mut().insert(key, call.arg(1)).map(|_| call.arg(1)),
                Err(e) => Err(e),
            }
        }
        "update" => {
            let mut pairs = match call.args.first() {
                Some(v) => match update_pairs(v) {
                    Ok(p) => p,
                    Err(e) => return Some(Err(e)),
                },
                None => Vec::new(),
            };
            pairs.extend(call.kwargs.iter().map(|(k, v)| (Value::str(k), v.clone())));
            d.borrow_mut().extend(pairs).map(|_| Value::None)
        }
        "copy" => Ok(Value::dict(d.borrow().clone())),
        "clear" => {
            *d.borrow_mut() = Dict::new();
            Ok(Value::None)
        }
        _ => return None,
    })
}

/// The pairs of `dict(v)` and `d.update(v)`: a dict's items, or an iterable of 2-item
/// iterables.
pub(super) fn update_pairs(v: &Value) -> R<Vec<(Value, Value)>> {
    if let Value::Dict(d) = v {
        return Ok(d.borrow().pairs());
    }
    let mut pairs = Vec::new();
    for (i, item) in to_vec(v)?.iter().enumerate() {
        let kv = to_vec(item).map_err(|_| {
            Exception::new(
                ExcKind::TypeError,
                format!("cannot convert dictionary update sequence element #{i} to a sequence"),
            )
        })?;
        match kv.as_slice() {
            [k, v] => pairs.push((k.clone(), v.clone())),
            other => {
                return raise(
                    ExcKind::ValueError,
                    format!(
                        "dictionary update sequence element #{i} has length {}; 2 is required",
                        other.len()
                    ),
                )
            }
        }
    }
    Ok(pairs)
}
