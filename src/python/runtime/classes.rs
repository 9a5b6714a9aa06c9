//! The object model: making a class at the end of its body, and finding an attribute of an
//! instance, a class or a `super()` object as CPython does — data descriptors (properties)
//! first, then the instance's own attributes, then the class's (functions become bound
//! methods), then what the library's base class gives (a thread's `start`, an exception's
//! `args`), then `__getattr__`.
//!
//! The library's classes are not the runtime's to know: the natives register the methods
//! of `object` and `BaseException` ([`Runtime::add_base_attr`]), and a `BuiltinClass`
//! brings its own `__init__`; everything else an instance of a subclass has comes from its
//! native part, through the same lookups as the library's own objects.

use std::rc::Rc;

use super::native::Native;
use super::object_costs;
use super::state::Runtime;
use crate::python::bytecode::ClassInfo;
use crate::python::classes::{
    c3_mro, BoundMethod, BuiltinClass, Class, ClassMethod, Instance, Property, StaticMethod,
    Super,
};
use crate::python::frame::Frame;
use crate::python::objects::{Attrs, Function};
use crate::python::value::{raise, Dict, ExcKind, Exception, Value};

/// An attribute found: its value, or a function to call for it (a property's getter, a
/// `__getattr__`), whose result is the attribute.
pub enum Attr {
    Value(Value),
    /// A class attribute other than a method read through an instance, which CPython 3.11
    /// finds the slow way (see `object_costs::CLASS_ATTR`).
    ClassValue(Value),
    Call(Value, Vec<Value>),
}

impl Runtime {
    /// Lets `value` be attribute `name` of every instance whose class derives from `base`
    /// (`"object"` or `"BaseException"`), bound to the instance when looked up: how the
    /// natives give the library's base classes their methods.
    pub fn add_base_attr(&mut self, base: &'static str, name: &'static str, value: Value) {
        self.base_attrs.push((base, name, value));
    }

    fn base_attr(&self, base: &str, name: &str) -> Option<&Value> {
        self.base_attrs
            .iter()
            .find(|(b, n, _)| *b == base && *n == name)
            .map(|(_, _, v)| v)
    }

    /// The class a `class` statement's body (`frame`) defined: its variables are the
    /// attributes, its bases are in local slot 0. The class is also stored in the body's
    /// `__class__` variable, where `super()` in its methods finds it.
    pub(crate) fn build_class(
        &mut self,
        tid: usize,
        frame: &Frame,
        info: &ClassInfo,
    ) -> Result<Value, Exception> {
        let slots = frame.env.slots.borrow().clone();
        let bases: Vec<Value> = match slots.first() {
            Some(Some(Value::Tuple(t))) => t.as_ref().clone(),
            _ => Vec::new(),
        };
        check_bases(&bases)?;
        let Some(mro) = c3_mro(&bases) else {
            return raise(
                ExcKind::TypeError,
                "Cannot create a consistent method resolution order (MRO)",
            );
        };
        let mut attrs = Attrs::default();
        attrs.set(Rc::from("__module__"), Value::str("__main__"));
        for (name, value) in frame.code.locals.iter().zip(slots).skip(2) {
            if let Some(v) = value.filter(|_| !name.starts_with(['$', '.'])) {
                attrs.set(name.clone(), v);
            }
        }
        if attrs.contains("__eq__") && !attrs.contains("__hash__") {
            attrs.set(Rc::from("__hash__"), Value::None);
        }
        if !info.annotations.is_empty() {
            let mut d = Dict::new();
            for (n, a) in &info.annotations {
                d.insert(Value::Str(n.clone()), Value::Str(a.clone()))?;
            }
            attrs.set(Rc::from("__annotations__"), Value::dict(d));
        }
        let class = Value::object(Class {
            name: info.name.clone(),
            qualname: info.qualname.clone(),
            bases,
            mro,
            attrs: std::cell::RefCell::new(attrs),
        });
        if let Some(cell) = frame.env.slots.borrow_mut().get_mut(1) {
            *cell = Some(class.clone());
        }
        self.threads[tid].cost += object_costs::NEW_CLASS * self.op_ns;
        Ok(class)
    }

    /// `obj.name`, as the VM reads it (a property's getter is called by the VM).
    pub fn lookup_attr(&self, obj: &Value, name: &str) -> Result<Attr, Exception> {
        if let Some(inst) = obj.downcast::<Instance>() {
            return self.instance_attr(obj, inst, name);
        }
        if let Some(cls) = obj.downcast::<Class>() {
            return self.class_attr(obj, cls, name).map(Attr::Value);
        }
        if let Some(s) = obj.downcast::<Super>() {
            return self.super_attr(s, name);
        }
        if let Some(b) = obj.downcast::<BuiltinClass>() {
            return match name {
                "__init__" => Ok(Attr::Value(b.init.clone())),
                "__name__" | "__qualname__" => Ok(Attr::Value(Value::str(b.name))),
                "__module__" => Ok(Attr::Value(Value::str(b.module))),
                _ => raise(
                    ExcKind::AttributeError,
                    format!("type object '{}' has no attribute '{name}'", b.name),
                ),
            };
        }
        self.get_attr(obj, name).map(Attr::Value)
    }

    fn instance_attr(&self, obj: &Value, inst: &Instance, name: &str) -> Result<Attr, Exception> {
        let cls = inst.class();
        let class_attr = cls.lookup(&inst.class, name, None);
        if let Some(p) = class_attr.as_ref().and_then(|v| v.downcast::<Property>()) {
            return property_get(p, obj, name);
        }
        if let Some(v) = inst.attrs.borrow().get(name) {
            return Ok(Attr::Value(v.clone()));
        }
        if let Some(v) = class_attr {
            let is_method = v.downcast::<Function>().is_some();
            let v = bind(v, obj, &inst.class);
            return Ok(if is_method {
                Attr::Value(v)
            } else {
                Attr::ClassValue(v)
            });
        }
        match name {
            "__class__" => return Ok(Attr::Value(inst.class.clone())),
            "__dict__" => return Ok(Attr::Value(attrs_dict(&inst.attrs.borrow())?)),
            _ => {}
        }
        if let Some(v) = self.native_attr(obj, inst, name) {
            return Ok(Attr::Value(v));
        }
        if let Some(getattr) = cls.lookup(&inst.class, "__getattr__", None) {
            let f = bind(getattr, obj, &inst.class);
            return Ok(Attr::Call(f, vec![Value::str(name)]));
        }
        raise(
            ExcKind::AttributeError,
            format!("'{}' object has no attribute '{name}'", cls.name),
        )
    }

    /// What the library's base classes give an instance: an exception's `args`, the methods
    /// of its native part (a thread's `start`), the base classes' `__init__` and the
    /// methods of `object`, bound to the instance.
    fn native_attr(&self, obj: &Value, inst: &Instance, name: &str) -> Option<Value> {
        let cls = inst.class();
        for base in cls.mro.iter().filter(|c| c.downcast::<Class>().is_none()) {
            if let Some(v) = self.builtin_base_attr(base, obj, inst, name) {
                return Some(v);
            }
        }
        self.base_attr("object", name).map(|v| bind_native(v, obj))
    }

    fn builtin_base_attr(
        &self,
        base: &Value,
        obj: &Value,
        inst: &Instance,
        name: &str,
    ) -> Option<Value> {
        if let Value::ExcType(_) = base {
            if name == "args" {
                return Some(Value::tuple(inst.exc_args()));
            }
            return self
                .base_attr("BaseException", name)
                .map(|v| bind_native(v, obj));
        }
        let b = base.downcast::<BuiltinClass>()?;
        if name == "__init__" {
            return Some(bind_native(&b.init, obj));
        }
        let native = inst.native.borrow().clone();
        if matches!(native, Value::None) {
            return None;
        }
        self.attr_lookups.iter().find_map(|l| l(&native, name))
    }

    /// `Cls.name`: the class's own attributes and its bases'; functions stay plain functions.
    fn class_attr(&self, cv: &Value, cls: &Class, name: &str) -> Result<Value, Exception> {
        if let Some(v) = cls.lookup(cv, name, None) {
            return Ok(match v.downcast::<ClassMethod>() {
                Some(cm) => bound_method(cv, &cm.0),
                None => match v.downcast::<StaticMethod>() {
                    Some(sm) => sm.0.clone(),
                    None => v,
                },
            });
        }
        match name {
            "__name__" => return Ok(Value::Str(cls.name.clone())),
            "__qualname__" => return Ok(Value::Str(cls.qualname.clone())),
            "__bases__" => return Ok(Value::tuple(cls.bases.clone())),
            "__mro__" => {
                let mut all: Vec<Value> = cls.mro_with(cv).cloned().collect();
                all.extend(self.builtin("object"));
                return Ok(Value::tuple(all));
            }
            "__dict__" => return attrs_dict(&cls.attrs.borrow()),
            "__doc__" => return Ok(Value::None),
            _ => {}
        }
        for base in cls.mro.iter().filter(|c| c.downcast::<Class>().is_none()) {
            if let Some(b) = base.downcast::<BuiltinClass>() {
                if name == "__init__" {
                    return Ok(b.init.clone());
                }
            } else if let Some(v) = self.base_attr("BaseException", name) {
                return Ok(v.clone());
            }
        }
        if let Some(v) = self.base_attr("object", name) {
            return Ok(v.clone());
        }
        raise(
            ExcKind::AttributeError,
            format!("type object '{}' has no attribute '{name}'", cls.name),
        )
    }

    /// `super().name`: the attribute as the classes after `s.class` in the instance's method
    /// resolution order define it, bound to the instance.
    fn super_attr(&self, s: &Super, name: &str) -> Result<Attr, Exception> {
        let (class_value, inst) = match s.this.downcast::<Instance>() {
            Some(inst) => (inst.class.clone(), Some(inst)),
            None => (s.this.clone(), None),
        };
        let Some(cls) = class_value.downcast::<Class>() else {
            return raise(ExcKind::TypeError, "super(type, obj): obj must be an instance or subtype of type");
        };
        if let Some(v) = cls.lookup(&class_value, name, Some(&s.class)) {
            if let Some(p) = v.downcast::<Property>() {
                return property_get(p, &s.this, name);
            }
            return Ok(Attr::Value(bind(v, &s.this, &class_value)));
        }
        let found = match inst {
            Some(inst) => self.native_attr(&s.this, inst, name),
            None => self.class_attr(&class_value, cls, name).ok(),
        };
        found.map(Attr::Value).ok_or_else(|| {
            Exception::new(
                ExcKind::AttributeError,
                format!("'super' object has no attribute '{name}'"),
            )
        })
    }

    /// `obj.name = value` for instances and classes: a property's setter to call, if the
    /// class has a property of that name; else `None` once stored.
    pub fn store_object_attr(
        &self,
        obj: &Value,
        name: &Rc<str>,
        value: Value,
    ) -> Result<Option<(Value, Vec<Value>)>, Exception> {
        if let Some(inst) = obj.downcast::<Instance>() {
            let cls = inst.class();
            if let Some(p) = cls
                .lookup(&inst.class, name, None)
                .as_ref()
                .and_then(|v| v.downcast::<Property>())
            {
                if matches!(p.fset, Value::None) {
                    return raise(
                        ExcKind::AttributeError,
                        format!("property '{name}' of '{}' object has no setter", cls.name),
                    );
                }
                return Ok(Some((p.fset.clone(), vec![obj.clone(), value])));
            }
            inst.attrs.borrow_mut().set(name.clone(), value);
            return Ok(None);
        }
        if let Some(cls) = obj.downcast::<Class>() {
            cls.attrs.borrow_mut().set(name.clone(), value);
            return Ok(None);
        }
        if let Some(f) = obj.downcast::<Function>() {
            f.attrs.borrow_mut().set(name.clone(), value);
            return Ok(None);
        }
        raise(
            ExcKind::AttributeError,
            format!("'{}' object attribute '{name}' is read-only", obj.type_name()),
        )
    }

    /// The next instance number, for default reprs.
    pub(crate) fn next_serial(&mut self) -> u64 {
        self.instances_made += 1;
        self.instances_made
    }
}

/// Refuses bases the kitchen cannot derive from, with CPython's messages where it has them.
fn check_bases(bases: &[Value]) -> Result<(), Exception> {
    let mut natives = 0;
    for b in bases {
        let is_class = b.downcast::<Class>().is_some();
        let builtin = b.downcast::<BuiltinClass>();
        if !is_class && builtin.is_none() && !matches!(b, Value::ExcType(_)) {
            let what = match b.downcast::<Native>() {
                Some(n) => format!("subclassing '{}' is not supported by the kitchen", n.name),
                None => format!(
                    "a class can derive only from classes, not from {} ('{}')",
                    crate::python::ops::repr(b),
                    b.type_name()
                ),
            };
            return raise(ExcKind::TypeError, what);
        }
        if builtin.is_some_and(|b| b.name != "object") || matches!(b, Value::ExcType(_)) {
            natives += 1;
        }
    }
    if natives > 1 {
        return raise(
            ExcKind::TypeError,
            "multiple bases have instance lay-out conflict",
        );
    }
    Ok(())
}

/// A property's value: its getter to call.
fn property_get(p: &Property, obj: &Value, name: &str) -> Result<Attr, Exception> {
    if matches!(p.fget, Value::None) {
        return raise(
            ExcKind::AttributeError,
            format!("property '{name}' of '{}' object has no getter", obj.type_name()),
        );
    }
    Ok(Attr::Call(p.fget.clone(), vec![obj.clone()]))
}

/// A class attribute `v` as read through `obj` (an instance of `class`): functions become
/// methods bound to it, class methods methods bound to the class, static methods plain
/// functions; anything else is itself.
fn bind(v: Value, obj: &Value, class: &Value) -> Value {
    if v.downcast::<Function>().is_some() {
        return bound_method(obj, &v);
    }
    if let Some(cm) = v.downcast::<ClassMethod>() {
        return bound_method(class, &cm.0);
    }
    if let Some(sm) = v.downcast::<StaticMethod>() {
        return sm.0.clone();
    }
    v
}

fn bound_method(this: &Value, func: &Value) -> Value {
    Value::object(BoundMethod {
        this: this.clone(),
        func: func.clone(),
    })
}

/// A native method of a library base class, bound to the instance it was looked up on.
fn bind_native(v: &Value, obj: &Value) -> Value {
    match v.downcast::<Native>() {
        Some(n) => Value::object(Native {
            name: n.name,
            f: n.f,
            this: Some(obj.clone()),
            materialize: n.materialize,
        }),
        None => v.clone(),
    }
}

/// `obj.__dict__`: a copy of its attributes as a dict.
fn attrs_dict(attrs: &Attrs) -> Result<Value, Exception> {
    let mut d = Dict::new();
    for (k, v) in attrs.items() {
        d.insert(Value::Str(k.clone()), v.clone())?;
    }
    Ok(Value::dict(d))
}
