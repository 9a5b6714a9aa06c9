//! Methods of data values: which type has which (`has_method`), `call_method`'s dispatch, and
//! the reader of a call's arguments (`Call`) that the methods share.

use std::rc::Rc;

use num_traits::Signed;

use crate::python::value::{raise, ExcKind, Exception, Value};

use super::compare::eq;
use super::items::slice_number;
use super::list_dict_methods::{dict_method, list_method};
use super::str_methods::str_method;
use super::{big, is_int, small, R};

pub(super) fn kw<'a>(kwargs: &'a [(String, Value)], name: &str) -> Option<&'a Value> {
    kwargs.iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

/// A method call's arguments.
pub(super) struct Call<'a> {
    pub(super) args: &'a [Value],
    pub(super) kwargs: Vec<(String, Value)>,
}

impl Call<'_> {
    /// Argument `i`, given by position or as keyword `name`; `None` when absent or `None`.
    pub(super) fn get(&self, i: usize, name: &str) -> Option<&Value> {
        self.args
            .get(i)
            .or_else(|| kw(&self.kwargs, name))
            .filter(|v| !matches!(v, Value::None))
    }

    /// Keyword argument `name`; `None` when absent or `None`.
    pub(super) fn kwarg(&self, name: &str) -> Option<&Value> {
        kw(&self.kwargs, name).filter(|v| !matches!(v, Value::None))
    }

    /// Argument `i` (`None` when absent).
    pub(super) fn arg(&self, i: usize) -> Value {
        self.args.get(i).cloned().unwrap_or(Value::None)
    }

    /// Int argument `i` (or keyword `name`), `default` when absent.
    pub(super) fn int(&self, i: usize, name: &str, default: i64) -> R<i64> {
        match self.get(i, name) {
            None => Ok(default),
            Some(Value::BigInt(b)) => Ok(if b.is_negative() { i64::MIN } else { i64::MAX }),
            Some(v) => small(v).ok_or_else(|| not_an_int(v)),
        }
    }

    /// Str argument `i`, or CPython's `TypeError` (`must be str, not int`).
    pub(super) fn text(&self, i: usize, name: &str) -> R<&str> {
        match self.get(i, name) {
            Some(Value::Str(s)) => Ok(s),
            v => raise(
                ExcKind::TypeError,
                format!(
                    "must be str, not {}",
                    v.map_or("NoneType", |v| v.type_name())
                ),
            ),
        }
    }
}

pub(super) fn not_an_int(v: &Value) -> Exception {
    Exception::new(
        ExcKind::TypeError,
        format!(
            "'{}' object cannot be interpreted as an integer",
            v.type_name()
        ),
    )
}

const STR_METHODS: &[&str] = &[
    "upper",
    "lower",
    "swapcase",
    "title",
    "capitalize",
    "strip",
    "lstrip",
    "rstrip",
    "split",
    "rsplit",
    "splitlines",
    "join",
    "replace",
    "startswith",
    "endswith",
    "find",
    "rfind",
    "index",
    "rindex",
    "count",
    "center",
    "ljust",
    "rjust",
    "zfill",
    "isdigit",
    "isdecimal",
    "isalpha",
    "isalnum",
    "isspace",
    "islower",
    "isupper",
    "format",
    "partition",
    "rpartition",
    "removeprefix",
    "removesuffix",
];
const LIST_METHODS: &[&str] = &[
    "append", "extend", "insert", "pop", "remove", "index", "count", "reverse", "copy", "clear",
    "sort",
];
const DICT_METHODS: &[&str] = &[
    "get",
    "keys",
    "values",
    "items",
    "pop",
    "popitem",
    "setdefault",
    "update",
    "copy",
    "clear",
];
const TUPLE_METHODS: &[&str] = &["index", "count"];

/// Whether data value `this` has method `name`: an attribute it lacks is an `AttributeError`
/// when it is read, as in Python, not only when it is called.
pub fn has_method(this: &Value, name: &str) -> bool {
    let table: &[&str] = match this {
        Value::Str(_) => STR_METHODS,
        Value::List(_) => LIST_METHODS,
        Value::Dict(_) => DICT_METHODS,
        Value::Tuple(_) => TUPLE_METHODS,
        Value::Float(_) => &["is_integer"],
        v if is_int(v) => &["bit_length"],
        _ => &[],
    };
    table.contains(&name)
}

/// Methods of data values; `None` when the type has no such method.
pub fn call_method(
    this: &Value,
    name: &str,
    args: &[Value],
    kwargs: &[(Rc<str>, Value)],
) -> Option<R<Value>> {
    if !has_method(this, name) {
        return None;
    }
    let call = Call {
        args,
        kwargs: kwargs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    };
    match this {
        Value::Str(s) => str_method(s, name, &call),
        Value::List(l) => list_method(l, name, &call),
        Value::Dict(d) => dict_method(d, name, &call),
        Value::Tuple(t) => Some(match name {
            "index" => position(t, &call).and_then(|i| {
                i.map(|i| Value::Int(i as i64)).ok_or_else(|| {
                    Exception::new(ExcKind::ValueError, "tuple.index(x): x not in tuple")
                })
            }),
            _ => Ok(Value::Int(
                t.iter().filter(|x| eq(x, &call.arg(0))).count() as i64
            )),
        }),
        Value::Float(f) => Some(Ok(Value::Bool(f.fract() == 0.0))),
        v => Some(Ok(Value::Int(big(v).unwrap_or_default().bits() as i64))),
    }
}

/// Where `call.arg(0)` first is in `items[start:end]` (the call's arguments 1 and 2).
pub(super) fn position(items: &[Value], call: &Call) -> R<Option<usize>> {
    let len = items.len() as i64;
    let bound = |i: usize, default: i64| -> R<usize> {
        let v = match call.args.get(i) {
            None => default,
            Some(v) => slice_number(v)?.unwrap_or(default),
        };
        let v = if v < 0 {
            v.saturating_add(len).max(0)
        } else {
            v
        };
        Ok(v.min(len) as usize)
    };
    let (start, end) = (bound(1, 0)?, bound(2, len)?);
    let x = call.arg(0);
    Ok((start..end).find(|&i| eq(&items[i], &x)))
}
