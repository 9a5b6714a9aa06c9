//! The builtins written in Rust: those over plain data (computed by `ops::builtin`), and
//! `print`, `iter`, `isinstance`, `type` and the prelude's helpers for objects and lazy
//! iterables. The builtins CPython itself writes in Python (`sorted`, `zip`, `min`...) come
//! from the prelude.

use std::cell::RefCell;
use std::rc::Rc;

use super::build::{err, native};
use super::sys::{is_stderr, lines_to};
use crate::python::classes::{holds_instances, Instance};
use crate::python::frame::Generator;
use crate::python::objects::{Namespace, NativeIter};
use crate::python::ops;
use crate::python::runtime::{Args, Native, NativeFn, Outcome, Runtime};
use crate::python::value::{ExcKind, Value};

/// Builtins `ops::builtin` computes on plain data.
const PURE: &[&str] = &[
    "len",
    "str",
    "repr",
    "int",
    "float",
    "bool",
    "abs",
    "round",
    "_min",
    "_max",
    "sum",
    "_sorted",
    "list",
    "tuple",
    "dict",
    "range",
    "divmod",
    "pow",
    "chr",
    "ord",
    "hex",
    "bin",
    "oct",
    "any",
    "all",
    "reversed",
    "hash",
    "id",
    "set",
    "frozenset",
    "bytes",
];

/// Of those, the ones that read a whole iterable.
const READS_ITERABLES: &[&str] = &[
    "_min",
    "_max",
    "sum",
    "_sorted",
    "list",
    "tuple",
    "dict",
    "any",
    "all",
    "reversed",
    "set",
    "frozenset",
    "bytes",
];

/// Fills in the builtins: the pure ones, the rest, and the exception classes.
pub(super) fn install(rt: &mut Runtime) {
    for &name in PURE {
        let v = Value::object(Native {
            name,
            f: pure_builtin,
            this: None,
            materialize: READS_ITERABLES.contains(&name),
        });
        rt.add_builtin(name, v);
    }
    let more: [(&'static str, NativeFn); 6] = [
        ("print", print),
        ("iter", iter),
        ("type", type_of),
        ("_object", object),
        ("_is_lazy", is_lazy),
        ("_has_next", has_next),
    ];
    for (name, f) in more {
        rt.add_builtin(name, native(name, f));
    }
    for &kind in ExcKind::ALL {
        let name = match kind {
            ExcKind::CancelledError | ExcKind::InvalidStateError => continue,
            ExcKind::QueueEmpty | ExcKind::QueueFull => continue,
            k => k.name(),
        };
        rt.add_builtin(name, Value::ExcType(kind));
    }
}

fn pure_builtin(rt: &mut Runtime, a: Args) -> Outcome {
    let name = a.name.trim_start_matches('_');
    if let Some(outcome) = object_builtin(rt, name, &a) {
        return outcome;
    }
    match ops::builtin(name, &a.args, &a.kwargs) {
        Some(Ok(v)) => Outcome::Value(v),
        Some(Err(e)) => Outcome::Raise(e),
        None => err(ExcKind::NameError, format!("name '{name}' is not defined")),
    }
}

/// The pure builtins given one of the program's objects (or a container that may hold
/// some): `str`, `repr` and `len` ask the object; `None` for everything else.
fn object_builtin(rt: &mut Runtime, name: &str, a: &Args) -> Option<Outcome> {
    let x = a.args.first()?;
    if !matches!(
        x,
        Value::Object(_) | Value::List(_) | Value::Tuple(_) | Value::Dict(_)
    ) {
        return None;
    }
    let text = |r: Result<String, crate::python::value::Exception>| match r {
        Ok(s) => Outcome::Value(Value::str(&s)),
        Err(e) => Outcome::Raise(e),
    };
    let listed = |r: Result<Value, crate::python::value::Exception>| match r {
        Ok(v) => Outcome::Value(v),
        Err(e) => Outcome::Raise(e),
    };
    match name {
        "sorted" | "min" | "max" if holds_instances(x) && a.args.len() == 1 => {
            let items = match ops::to_vec(x) {
                Ok(items) => items,
                Err(e) => return Some(Outcome::Raise(e)),
            };
            let reverse = a
                .kwargs
                .iter()
                .any(|(k, v)| &**k == "reverse" && ops::truthy(v));
            Some(listed(match name {
                "sorted" => rt.sort_values(a.thread, items, reverse).map(Value::list),
                _ => rt.pick_value(a.thread, &items, name == "max"),
            }))
        }
        "str" if a.args.len() == 1 => Some(text(rt.str_of(a.thread, x))),
        "repr" => Some(text(rt.repr_of(a.thread, x))),
        "len" | "bool" | "hash" if x.downcast::<Instance>().is_some() => {
            Some(instance_builtin(rt, name, a.thread, x))
        }
        _ => None,
    }
}

/// `len(obj)`, `bool(obj)` and `hash(obj)` of an instance: its `__len__`, its truth, its
/// hash as a key (by identity; a class's own `__hash__` is called for `hash()` alone).
fn instance_builtin(rt: &mut Runtime, name: &str, tid: usize, x: &Value) -> Outcome {
    let r = match name {
        "len" => match rt.call_dunder(tid, x, "__len__", Vec::new()) {
            Ok(Some(n)) => rt.len_result(&n).map(Value::Int),
            Ok(None) => Err(crate::python::value::Exception::new(
                ExcKind::TypeError,
                format!("object of type '{}' has no len()", x.type_name()),
            )),
            Err(e) => Err(e),
        },
        "bool" => rt.truth(tid, x).map(Value::Bool),
        _ => match rt.call_dunder(tid, x, "__hash__", Vec::new()) {
            Ok(Some(h)) => Ok(h),
            Ok(None) => {
                crate::python::value::Key::of(x).map(|_| Value::Int((x.identity() >> 4) as i64))
            }
            Err(e) => Err(e),
        },
    };
    match r {
        Ok(v) => Outcome::Value(v),
        Err(e) => Outcome::Raise(e),
    }
}

fn print(rt: &mut Runtime, a: Args) -> Outcome {
    let kw = |k: &str| {
        a.kwargs
            .iter()
            .find(|(n, _)| &**n == k)
            .map(|(_, v)| v.clone())
    };
    let sep = match kw("sep") {
        Some(Value::Str(s)) => s.to_string(),
        _ => " ".into(),
    };
    let end = match kw("end") {
        Some(Value::Str(s)) => s.to_string(),
        _ => "\n".into(),
    };
    let stderr = match is_stderr(kw("file").as_ref()) {
        Ok(to_stderr) => to_stderr,
        Err(why) => return err(ExcKind::TypeError, why),
    };
    let mut text = Vec::with_capacity(a.args.len());
    for v in &a.args {
        match rt.str_of(a.thread, v) {
            Ok(s) => text.push(s),
            Err(e) => return Outcome::Raise(e),
        }
    }
    let mut text = text.join(&sep);
    text.push_str(&end);
    let requests = match stderr {
        true => lines_to(&text, true),
        false => rt.write_stdout(a.thread, &text),
    };
    if requests.is_empty() {
        return Outcome::Value(Value::None);
    }
    Outcome::Suspend(requests, Value::None)
}

fn iter(rt: &mut Runtime, a: Args) -> Outcome {
    if let Some(v) = a
        .args
        .first()
        .filter(|v| v.downcast::<Instance>().is_some())
    {
        return match rt.dunder_of(v, "__iter__") {
            Some(m) => Outcome::Call(m, Vec::new(), Vec::new()),
            None => err(
                ExcKind::TypeError,
                format!("'{}' object is not iterable", v.type_name()),
            ),
        };
    }
    match a.args.first() {
        Some(v) => match rt.get_iter(v.clone()) {
            Ok(it) => Outcome::Value(it),
            Err(e) => Outcome::Raise(e),
        },
        None => err(ExcKind::TypeError, "iter expected 1 argument, got 0"),
    }
}

fn is_lazy(_: &mut Runtime, a: Args) -> Outcome {
    let v = a.args.first().cloned().unwrap_or(Value::None);
    let lazy = v.downcast::<Generator>().is_some()
        || v.downcast::<NativeIter>().is_some()
        || v.downcast::<Instance>().is_some();
    Outcome::Value(Value::Bool(lazy))
}

/// Whether `next(x)` calls `x.__next__()`: a generator or an instance with `__next__`.
fn has_next(rt: &mut Runtime, a: Args) -> Outcome {
    let v = a.args.first().cloned().unwrap_or(Value::None);
    let yes = v.downcast::<Generator>().is_some() || rt.dunder_of(&v, "__next__").is_some();
    Outcome::Value(Value::Bool(yes))
}

/// `type(x)`: an exception's class, a built-in type (`int`, `str`...) where the kitchen has
/// one, else an object whose `__name__` is the type's name. Enough for `type(x).__name__`,
/// `type(e) is ValueError` and `type(x) == int`.
fn type_of(rt: &mut Runtime, a: Args) -> Outcome {
    let [x] = a.args.as_slice() else {
        return err(ExcKind::TypeError, "type() takes 1 argument in the kitchen");
    };
    if let Value::Exception(e) = x {
        return Outcome::Value(Value::ExcType(e.kind));
    }
    if let Some(inst) = x.downcast::<Instance>() {
        return Outcome::Value(inst.class.clone());
    }
    let name = x.type_name().to_string();
    if let Some(t) = rt.builtin(&name) {
        return Outcome::Value(t);
    }
    Outcome::Value(Value::object(Namespace {
        type_name: Rc::from("type"),
        attrs: RefCell::new(
            [(Rc::from("__name__"), Value::str(&name))]
                .into_iter()
                .collect(),
        ),
    }))
}

fn object(_: &mut Runtime, a: Args) -> Outcome {
    let name = a.args.first().map(ops::to_str).unwrap_or_default();
    Outcome::Value(Value::object(Namespace {
        type_name: Rc::from(name.as_str()),
        attrs: RefCell::new(a.kwargs.into_iter().collect()),
    }))
}
