//! `obj.name`: the attributes of exceptions, of data values (their methods, carried out by
//! `ops::call_method`), of modules and namespaces and functions; and of the library's own
//! objects (a lock's `acquire`, a thread's `name`), which the natives registered
//! ([`Runtime::add_attributes`]) so that the runtime need not know them.

use std::rc::Rc;

use super::classes::Attr;
use super::native::Native;
use super::state::Runtime;
use crate::python::classes::{Class, Instance, Super};
use crate::python::frame::Generator;
use crate::python::objects::{BoundData, Function, Namespace};
use crate::python::ops;
use crate::python::sync::Local;
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
            Value::Object(_) if ops::has_method(obj, name) => {
                return Ok(Value::object(BoundData {
                    this: obj.clone(),
                    name: Rc::from(name),
                }))
            }
            Value::Object(_) => {}
            Value::Exception(e) => {
                return match name {
                    "args" => Ok(Value::tuple(vec![Value::str(&e.message)])),
                    "value" => Ok(e.value.as_ref().map_or(Value::None, |b| b.0.clone())),
                    "__class__" => Ok(Value::ExcType(e.kind)),
                    "__cause__" | "__context__" | "__traceback__" => Ok(Value::None),
                    "code" if e.kind == ExcKind::SystemExit => {
                        Ok(e.value.as_ref().map_or(Value::None, |b| b.0.clone()))
                    }
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
        if let Some(l) = obj.downcast::<Local>() {
            let per_thread = l.per_thread.borrow();
            let mine = per_thread.get(&self.running).and_then(|a| a.get(name));
            return mine.cloned().ok_or_else(missing);
        }
        if let Some(ns) = obj.downcast::<Namespace>() {
            return ns.attrs.borrow().get(name).cloned().ok_or_else(|| {
                if &*ns.type_name == "module" {
                    Exception::new(
                        ExcKind::AttributeError,
                        format!("'{name}' is not supported by the kitchen"),
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
                "__name__" => Ok(Value::str(&f.name())),
                "__qualname__" => Ok(Value::str(&f.qualname())),
                "__module__" => Ok(Value::str("__main__")),
                "__doc__" => Ok(f
                    .template
                    .doc
                    .as_ref()
                    .map_or(Value::None, |d| Value::Str(d.clone()))),
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
        if let Some(g) = obj.downcast::<Generator>() {
            return match name {
                "__name__" | "__qualname__" => Ok(Value::Str(g.state.name.clone())),
                "send" | "throw" | "close" | "__next__" => Ok(Value::object(BoundData {
                    this: obj.clone(),
                    name: Rc::from(name),
                })),
                _ => Err(missing()),
            };
        }
        if let Some(n) = obj.downcast::<Native>() {
            if name == "__name__" {
                return Ok(Value::str(n.name));
            }
        }
        Err(missing())
    }

    /// `obj.name = value` on an object of the library (a namespace takes any attribute; the
    /// library's own objects the ones their module lets be set).
    pub fn set_library_attr(&self, obj: &Value, name: &str, value: Value) -> Result<(), Exception> {
        if let Some(ns) = obj.downcast::<Namespace>() {
            ns.attrs.borrow_mut().insert(Rc::from(name), value);
            return Ok(());
        }
        if let Some(l) = obj.downcast::<Local>() {
            let mut per_thread = l.per_thread.borrow_mut();
            let mine = per_thread.entry(self.running).or_default();
            mine.insert(Rc::from(name), value);
            return Ok(());
        }
        for setter in &self.attr_setters {
            if let Some(done) = setter(obj, name, &value) {
                return done;
            }
        }
        Err(Exception::new(
            ExcKind::AttributeError,
            format!(
                "'{}' object attribute '{name}' is read-only",
                obj.type_name()
            ),
        ))
    }
}
