//! The builtins written in Rust: those over plain data (computed by `ops::builtin`), and
//! `print`, `iter`, `isinstance`, `type` and the prelude's helpers for objects and lazy
//! iterables. The builtins CPython itself writes in Python (`sorted`, `zip`, `min`...) come
//! from the prelude.

use std::cell::RefCell;
use std::rc::Rc;

use super::build::{err, native};
use crate::python::frame::Generator;
use crate::python::objects::{Namespace, NativeIter};
use crate::python::ops;
use crate::python::runtime::{Args, Native, NativeFn, Outcome, Request, Runtime};
use crate::python::value::{ExcKind, Value};

/// Builtins `ops::builtin` computes on plain data.
const PURE: &[&str] = &[
    "len", "str", "repr", "int", "float", "bool", "abs", "round", "_min", "_max", "sum", "_sorted",
    "list", "tuple", "dict", "range", "divmod", "pow", "chr", "ord", "hex", "bin", "oct", "any",
    "all", "reversed", "hash", "id",
];

/// Of those, the ones that read a whole iterable.
const READS_ITERABLES: &[&str] = &[
    "_min", "_max", "sum", "_sorted", "list", "tuple", "dict", "any", "all", "reversed",
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
        ("isinstance", isinstance),
        ("type", type_of),
        ("_object", object),
        ("_is_lazy", is_lazy),
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

fn pure_builtin(_: &mut Runtime, a: Args) -> Outcome {
    let name = a.name.trim_start_matches('_');
    match ops::builtin(name, &a.args, &a.kwargs) {
        Some(Ok(v)) => Outcome::Value(v),
        Some(Err(e)) => Outcome::Raise(e),
        None => err(ExcKind::NameError, format!("name '{name}' is not defined")),
    }
}

fn print(_: &mut Runtime, a: Args) -> Outcome {
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
    let text: Vec<String> = a.args.iter().map(ops::to_str).collect();
    let mut text = text.join(&sep);
    text.push_str(end.strip_suffix('\n').unwrap_or(&end));
    let requests = text
        .split('\n')
        .map(|l| Request::Print(l.to_string()))
        .collect();
    Outcome::Suspend(requests, Value::None)
}

fn iter(rt: &mut Runtime, a: Args) -> Outcome {
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
    let lazy = v.downcast::<Generator>().is_some() || v.downcast::<NativeIter>().is_some();
    Outcome::Value(Value::Bool(lazy))
}

fn isinstance(_: &mut Runtime, a: Args) -> Outcome {
    let (Some(x), Some(t)) = (a.args.first(), a.args.get(1)) else {
        return err(ExcKind::TypeError, "isinstance expected 2 arguments");
    };
    let types = match t {
        Value::Tuple(items) => items.as_ref().clone(),
        other => vec![other.clone()],
    };
    let hit = types.iter().any(|t| match t {
        Value::ExcType(k) => matches!(x, Value::Exception(e) if k.catches(e.kind)),
        Value::Object(_) => match t.downcast::<Native>() {
            Some(n) => {
                let tn = x.type_name();
                tn == n.name || (n.name == "int" && tn == "bool")
            }
            None => false,
        },
        _ => false,
    });
    Outcome::Value(Value::Bool(hit))
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
