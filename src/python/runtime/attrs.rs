//! `obj.name`: the attributes of exceptions, of data values (their methods, carried out by
//! `ops::call_method`), of modules and namespaces and functions; and of the library's own
//! objects (a lock's `acquire`, a thread's `name`), which the natives registered
//! ([`Runtime::add_attributes`]) so that the runtime need not know them.

use std::rc::Rc;

use super::classes::Attr;
use super::native::Native;
use crate::python::classes::{Class, Instance, Super};
use super::state::Runtime;
use crate::python::frame::Generator;
use crate::python::objects::{BoundData, Function, Namespace};
use crate::python::ops;
use crate::python::value::{ExcKind, Exception, Value};

impl Runtime {
    /// `obj.name`.
    pub fn get_attr(&self, obj: &Value, name: &str) -> Result<Value, Exception> {
        let missing = || {
            Exception::new(
                ExcKind::AttributeError,
                format!("'{}' object has no attribute '{name}'", obj.type_name()),
            )
        };
        match obj {
            Value::Object(_) => {}
            Value::Exception(e) => {
                return match name {
                    "args" => Ok(Value::tuple(vec![Value::str(&e.message)])),
                    "value" => Ok(e.value.as_ref().map_or(Value::None, |b| b.0.clone())),
                    _ => Err(missing()),
                }
            }
            Value::ExcType(k) if name == "__name__" => return Ok(Value::str(k.name())),
            v if !ops::has_method(v, name) => return Err(missing()),
            _ => {
                return Ok(Value::object(BoundData {
                    this: obj.clone(),
                    name: Rc::from(name),
                }))
            }
        }
        if let Some(ns) = obj.downcast::<Namespace>() {
            return ns.attrs.borrow().get(name).cloned().ok_or_else(|| {
                if &*ns.type_name == "module" {
                    Exception::new(
                        ExcKind::AttributeError,
                        format!("'{name}' is not supported by the kitchen's Python"),
                    )
                } else {
                    missing()
                }
            });
        }
        if let Some(f) = obj.downcast::<Function>() {
            if let Some(v) = f.attrs.borrow().get(name) {
                return Ok(v.clone());
            }
            return match name {
                "__name__" | "__qualname__" => Ok(Value::str(&f.name())),
                "__module__" => Ok(Value::str("__main__")),
                "__doc__" => Ok(Value::None),
                "__dict__" => {
                    let mut d = crate::python::value::Dict::new();
                    for (k, v) in f.attrs.borrow().items() {
                        d.insert(Value::Str(k.clone()), v.clone())?;
                    }
                    Ok(Value::dict(d))
                }
                _ => Err(missing()),
            };
        }
        if obj.downcast::<Instance>().is_some()
            || obj.downcast::<Class>().is_some()
            || obj.downcast::<Super>().is_some()
        {
            return match self.lookup_attr(obj, name)? {
                Attr::Value(v) | Attr::ClassValue(v) => Ok(v),
                Attr::Call(..) => Err(Exception::new(
                    ExcKind::TypeError,
                    format!("the kitchen cannot read the property '{name}' here"),
                )),
            };
        }
        for lookup in &self.attr_lookups {
            if let Some(v) = lookup(obj, name) {
                return Ok(v);
            }
        }
        if obj.downcast::<Generator>().is_some() && name == "__name__" {
            return Ok(Value::str(obj.type_name()));
        }
        if let Some(n) = obj.downcast::<Native>() {
            if name == "__name__" {
                return Ok(Value::str(n.name));
            }
        }
        Err(missing())
    }
}
