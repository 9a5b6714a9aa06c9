//! Methods of data values: which type has which (`has_method`), and `call_method`'s dispatch
//! to the modules that carry them out.

use std::rc::Rc;

use crate::python::value::{ExcKind, Exception, Value};

use super::call_args::{position, Call};
use super::common::{big, is_int, R};
use super::compare::eq;
use super::list_dict_methods::{dict_method, list_method};
use super::sets_bytes::{bytes_method, encode, set_method, BYTES_METHODS, SET_METHODS};
use super::str_methods::str_method;
use crate::python::bytes::bytes_of;
use crate::python::set::set_of;

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
    "encode",
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
        Value::Object(_) if set_of(this).is_some() => SET_METHODS,
        Value::Object(_) if bytes_of(this).is_some() => BYTES_METHODS,
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
    if set_of(this).is_some() {
        return Some(set_method(this, name, &call));
    }
    if let Some(data) = bytes_of(this) {
        return Some(bytes_method(data, name, &call));
    }
    match this {
        Value::Str(s) if name == "encode" => {
            let enc = call.get(0, "encoding").map(super::repr::to_str);
            Some(encode(s, enc.as_deref().unwrap_or("utf-8")))
        }
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
