//! Making the values the natives hand to programs: a native function, a method bound to its
//! object, a module or object with named attributes, a raised exception, and the lookup of a
//! kind of object's methods in its table.

use std::cell::RefCell;
use std::rc::Rc;

use crate::python::objects::Namespace;
use crate::python::runtime::{Native, NativeFn, Outcome};
use crate::python::value::{ExcKind, Exception, Value};

pub(super) fn native(name: &'static str, f: NativeFn) -> Value {
    Value::object(Native {
        name,
        f,
        this: None,
        materialize: false,
    })
}

pub(super) fn method(name: &'static str, f: NativeFn, this: &Value) -> Value {
    Value::object(Native {
        name,
        f,
        this: Some(this.clone()),
        materialize: false,
    })
}

pub(super) fn err(kind: ExcKind, msg: impl Into<String>) -> Outcome {
    Outcome::Raise(Exception::new(kind, msg))
}

pub(super) fn namespace(type_name: &str, attrs: Vec<(&str, Value)>) -> Value {
    Value::object(Namespace {
        type_name: Rc::from(type_name),
        attrs: RefCell::new(attrs.into_iter().map(|(k, v)| (Rc::from(k), v)).collect()),
    })
}

/// `obj.name` when `name` is in `table`: the method bound to `obj`.
pub(super) fn bound(table: &[(&'static str, NativeFn)], obj: &Value, name: &str) -> Option<Value> {
    let &(name, f) = table.iter().find(|(n, _)| *n == name)?;
    Some(method(name, f, obj))
}
