//! The builtins of the object model: `object`, `super`, `property`, `staticmethod`,
//! `classmethod`, `isinstance`, `issubclass`, `callable`, `hasattr`, `getattr`, `setattr`,
//! `delattr`, `vars`, `dir` and `NotImplemented`; and the methods every instance gets from
//! `object` and every exception instance from `BaseException` (registered with the runtime,
//! which binds them to the instance they are looked up on).

use std::rc::Rc;

use super::build::{bound, err, namespace, native};
use crate::python::classes::{
    BuiltinClass, Class, ClassMethod, Instance, NotImplementedType, Property, StaticMethod, Super,
};
use crate::python::objects::Namespace;
use crate::python::ops;
use crate::python::runtime::object_costs;
use crate::python::runtime::{Args, Attr, Native, NativeFn, Outcome, Runtime};
use crate::python::value::{ExcKind, Exception, Value};

/// What `dir()` lists for any instance of a plain class, besides its own attributes: the
/// attributes of `object` and of a class statement's namespace, as CPython 3.11 lists them.
const OBJECT_DIR: &[&str] = &[
    "__class__",
    "__delattr__",
    "__dict__",
    "__dir__",
    "__doc__",
    "__eq__",
    "__format__",
    "__ge__",
    "__getattribute__",
    "__getstate__",
    "__gt__",
    "__hash__",
    "__init__",
    "__init_subclass__",
    "__le__",
    "__lt__",
    "__module__",
    "__ne__",
    "__new__",
    "__reduce__",
    "__reduce_ex__",
    "__repr__",
    "__setattr__",
    "__sizeof__",
    "__str__",
    "__subclasshook__",
    "__weakref__",
];

/// Fills in the object model's builtins and the methods of `object` and `BaseException`.
pub(super) fn install(rt: &mut Runtime) {
    let object = Value::object(BuiltinClass {
        name: "object",
        module: "builtins",
        new: native("object", object_new),
        init: native("__init__", object_init),
    });
    rt.add_builtin("object", object);
    rt.add_builtin("NotImplemented", Value::object(NotImplementedType));
    let builtins: [(&'static str, NativeFn); 13] = [
        ("super", super_new),
        ("property", property_new),
        ("staticmethod", staticmethod_new),
        ("classmethod", classmethod_new),
        ("isinstance", isinstance),
        ("issubclass", issubclass),
        ("callable", callable),
        ("hasattr", hasattr),
        ("getattr", getattr),
        ("setattr", setattr),
        ("delattr", delattr),
        ("vars", vars),
        ("dir", dir),
    ];
    for (name, f) in builtins {
        rt.add_builtin(name, native(name, f));
    }
    let object_methods: [(&'static str, NativeFn); 6] = [
        ("__init__", object_init),
        ("__repr__", object_repr),
        ("__str__", object_str),
        ("__eq__", object_eq),
        ("__ne__", object_ne),
        ("__hash__", object_hash),
    ];
    for (name, f) in object_methods {
        rt.add_base_attr("object", name, native(name, f));
    }
    let exception_methods: [(&'static str, NativeFn); 3] = [
        ("__init__", exception_init),
        ("__str__", exception_str),
        ("__repr__", exception_repr),
    ];
    for (name, f) in exception_methods {
        rt.add_base_attr("BaseException", name, native(name, f));
    }
    rt.add_attributes(wrapper_attributes);
    // Filled by the prelude (`functools__wraps`, `dataclasses__dataclass`...).
    rt.add_module("functools", namespace("module", Vec::new()));
    rt.add_module("dataclasses", namespace("module", Vec::new()));
    rt.add_builtin("_exec", native("_exec", exec));
    rt.add_builtin("_charge", native("_charge", charge));
}

/// `_exec(source, name)`: runs `source` in the prelude's globals (the prelude's `exec`, for
/// the code `@dataclass` writes) and gives what it defined as `name`.
fn exec(rt: &mut Runtime, a: Args) -> Outcome {
    let (Some(Value::Str(src)), Some(Value::Str(name))) = (a.args.first(), a.args.get(1)) else {
        return err(ExcKind::TypeError, "_exec() needs source text and a name");
    };
    let run = rt
        .compile_for_prelude(src)
        .and_then(|f| rt.call_sync(a.thread, f, Vec::new()));
    match run {
        Ok(_) => value(rt.prelude_fn(name)),
        Err(e) => raised(e),
    }
}

/// `_charge(name)`: charges what CPython spends on `name` beyond the code the prelude runs
/// for it (see `runtime::object_costs`).
fn charge(rt: &mut Runtime, a: Args) -> Outcome {
    let ops = match a.args.first() {
        Some(Value::Str(s)) if &**s == "dataclass" => object_costs::DATACLASS,
        _ => 0,
    };
    rt.charge(a.thread, ops);
    value(Value::None)
}

/// The instance a method of `object` or `BaseException` works on, and its other arguments:
/// bound (`obj.__init__(...)`, `super().__init__(...)`) or not (`Exception.__init__(self)`).
fn this_and_args(a: &Args) -> (Value, Vec<Value>) {
    match &a.this {
        Some(t) => (t.clone(), a.args.clone()),
        None => {
            let mut args = a.args.clone();
            let this = if args.is_empty() {
                Value::None
            } else {
                args.remove(0)
            };
            (this, args)
        }
    }
}

fn value(v: Value) -> Outcome {
    Outcome::Value(v)
}

fn raised(e: Exception) -> Outcome {
    Outcome::Raise(e)
}

fn object_new(_: &mut Runtime, a: Args) -> Outcome {
    if !a.args.is_empty() || !a.kwargs.is_empty() {
        return err(ExcKind::TypeError, "object() takes no arguments");
    }
    value(Value::object(Namespace {
        type_name: Rc::from("object"),
        attrs: Default::default(),
    }))
}

fn object_init(_: &mut Runtime, _: Args) -> Outcome {
    value(Value::None)
}

/// `object.__repr__`: `<__main__.P object at 0x...>`.
fn object_repr(_: &mut Runtime, a: Args) -> Outcome {
    let (this, _) = this_and_args(&a);
    match &this {
        Value::Object(o) => value(Value::str(&o.repr())),
        other => value(Value::str(&ops::repr(other))),
    }
}

/// `object.__str__`: the object's `repr`, by its class's `__repr__`.
fn object_str(rt: &mut Runtime, a: Args) -> Outcome {
    let (this, _) = this_and_args(&a);
    match rt.repr_of(a.thread, &this) {
        Ok(s) => value(Value::str(&s)),
        Err(e) => raised(e),
    }
}

fn object_eq(_: &mut Runtime, a: Args) -> Outcome {
    let (this, args) = this_and_args(&a);
    match args.first() {
        Some(other) if other.is(&this) => value(Value::Bool(true)),
        _ => value(Value::object(NotImplementedType)),
    }
}

fn object_ne(_: &mut Runtime, a: Args) -> Outcome {
    let (this, args) = this_and_args(&a);
    match args.first() {
        Some(other) if other.is(&this) => value(Value::Bool(false)),
        _ => value(Value::object(NotImplementedType)),
    }
}

fn object_hash(_: &mut Runtime, a: Args) -> Outcome {
    let (this, _) = this_and_args(&a);
    value(Value::Int((this.identity() >> 4) as i64))
}

/// `BaseException.__init__(self, *args)`: the arguments `e.args` and `str(e)` show.
fn exception_init(_: &mut Runtime, a: Args) -> Outcome {
    let (this, args) = this_and_args(&a);
    if let Some(inst) = this.downcast::<Instance>() {
        *inst.native.borrow_mut() = Value::tuple(args);
    }
    value(Value::None)
}

fn exception_str(_: &mut Runtime, a: Args) -> Outcome {
    let (this, _) = this_and_args(&a);
    match Exception::from_value(&this) {
        Some(e) => value(Value::str(&e.message)),
        None => value(Value::str("")),
    }
}

fn exception_repr(_: &mut Runtime, a: Args) -> Outcome {
    let (this, _) = this_and_args(&a);
    let Some(inst) = this.downcast::<Instance>() else {
        return value(Value::str(&ops::repr(&this)));
    };
    let args = inst.exc_args();
    let shown: Vec<String> = args.iter().map(ops::repr).collect();
    value(Value::str(&format!(
        "{}({})",
        inst.class().name,
        shown.join(", ")
    )))
}

/// `super(cls, obj)` (the compiler writes `super()` as that).
fn super_new(rt: &mut Runtime, a: Args) -> Outcome {
    let [class, this] = a.args.as_slice() else {
        return err(
            ExcKind::RuntimeError,
            "super(): the kitchen needs super() inside a method, or super(Class, obj)",
        );
    };
    if class.downcast::<Class>().is_none() {
        return err(ExcKind::TypeError, "super() argument 1 must be a type");
    }
    rt.charge(a.thread, object_costs::SUPER);
    value(Value::object(Super {
        class: class.clone(),
        this: this.clone(),
    }))
}

fn property_new(_: &mut Runtime, a: Args) -> Outcome {
    let arg = |i: usize, k: &str| a.get(i, k).cloned().unwrap_or(Value::None);
    value(Value::object(Property {
        fget: arg(0, "fget"),
        fset: arg(1, "fset"),
        fdel: arg(2, "fdel"),
    }))
}

fn staticmethod_new(_: &mut Runtime, a: Args) -> Outcome {
    match a.args.first() {
        Some(f) => value(Value::object(StaticMethod(f.clone()))),
        None => err(
            ExcKind::TypeError,
            "staticmethod expected 1 argument, got 0",
        ),
    }
}

fn classmethod_new(_: &mut Runtime, a: Args) -> Outcome {
    match a.args.first() {
        Some(f) => value(Value::object(ClassMethod(f.clone()))),
        None => err(ExcKind::TypeError, "classmethod expected 1 argument, got 0"),
    }
}

/// The methods of properties (`@x.setter`) and the wrapped function of a static or class
/// method (`__func__`).
fn wrapper_attributes(obj: &Value, name: &str) -> Option<Value> {
    if let Some(p) = obj.downcast::<Property>() {
        const METHODS: &[(&str, NativeFn)] = &[
            ("setter", property_with),
            ("getter", property_with),
            ("deleter", property_with),
        ];
        return match name {
            "fget" => Some(p.fget.clone()),
            "fset" => Some(p.fset.clone()),
            "fdel" => Some(p.fdel.clone()),
            _ => bound(METHODS, obj, name),
        };
    }
    if name == "__func__" {
        if let Some(s) = obj.downcast::<StaticMethod>() {
            return Some(s.0.clone());
        }
        if let Some(c) = obj.downcast::<ClassMethod>() {
            return Some(c.0.clone());
        }
    }
    None
}

/// `@prop.setter` (and `.getter`, `.deleter`): a copy of the property with one function
/// replaced.
fn property_with(_: &mut Runtime, a: Args) -> Outcome {
    let (Some(p), Some(f)) = (
        a.this.as_ref().and_then(|t| t.downcast::<Property>()),
        a.args.first(),
    ) else {
        return err(ExcKind::TypeError, "a property method needs a function");
    };
    let mut p = p.clone();
    match a.name {
        "setter" => p.fset = f.clone(),
        "getter" => p.fget = f.clone(),
        _ => p.fdel = f.clone(),
    }
    value(Value::object(p))
}

/// Whether `x` is an instance of the class (or type) `t`.
fn instance_of(x: &Value, t: &Value) -> bool {
    if let Some(inst) = x.downcast::<Instance>() {
        return inst.class().is_subclass(&inst.class, t);
    }
    match t {
        Value::ExcType(k) => matches!(x, Value::Exception(e) if k.catches(e.kind)),
        Value::Object(_) => {
            if let Some(b) = t.downcast::<BuiltinClass>() {
                return b.name == "object" || x.type_name() == b.name;
            }
            match t.downcast::<Native>() {
                Some(n) => {
                    let tn = x.type_name();
                    tn == n.name || (n.name == "int" && tn == "bool")
                }
                None => false,
            }
        }
        _ => false,
    }
}

fn is_type(t: &Value) -> bool {
    matches!(t, Value::ExcType(_))
        || t.downcast::<Class>().is_some()
        || t.downcast::<BuiltinClass>().is_some()
        || t.downcast::<Native>().is_some()
}

/// The types a class-or-tuple argument names.
fn types_of(t: &Value, which: &str) -> Result<Vec<Value>, Exception> {
    let types = match t {
        Value::Tuple(items) => items.as_ref().clone(),
        other => vec![other.clone()],
    };
    if types.iter().all(is_type) {
        Ok(types)
    } else {
        Err(Exception::new(
            ExcKind::TypeError,
            format!("{which}() arg 2 must be a type, a tuple of types, or a union"),
        ))
    }
}

fn isinstance(_: &mut Runtime, a: Args) -> Outcome {
    let (Some(x), Some(t)) = (a.args.first(), a.args.get(1)) else {
        return err(ExcKind::TypeError, "isinstance expected 2 arguments");
    };
    match types_of(t, "isinstance") {
        Ok(types) => value(Value::Bool(types.iter().any(|t| instance_of(x, t)))),
        Err(e) => raised(e),
    }
}

fn issubclass(_: &mut Runtime, a: Args) -> Outcome {
    let (Some(c), Some(t)) = (a.args.first(), a.args.get(1)) else {
        return err(ExcKind::TypeError, "issubclass expected 2 arguments");
    };
    if !is_type(c) {
        return err(ExcKind::TypeError, "issubclass() arg 1 must be a class");
    }
    let types = match types_of(t, "issubclass") {
        Ok(t) => t,
        Err(e) => return raised(e),
    };
    let hit = types.iter().any(|t| {
        if let Some(cls) = c.downcast::<Class>() {
            return cls.is_subclass(c, t);
        }
        match (c, t) {
            (Value::ExcType(k), Value::ExcType(j)) => j.catches(*k),
            _ => {
                c.is(t)
                    || t.downcast::<BuiltinClass>()
                        .is_some_and(|b| b.name == "object")
            }
        }
    });
    value(Value::Bool(hit))
}

fn callable(rt: &mut Runtime, a: Args) -> Outcome {
    let Some(x) = a.args.first() else {
        return err(
            ExcKind::TypeError,
            "callable() takes exactly one argument (0 given)",
        );
    };
    let yes = match x {
        Value::ExcType(_) => true,
        Value::Object(_) if x.downcast::<Instance>().is_some() => {
            rt.dunder_of(x, "__call__").is_some()
        }
        Value::Object(o) => matches!(
            o.type_name(),
            "function" | "builtin_function_or_method" | "method" | "type" | "staticmethod"
        ),
        _ => false,
    };
    value(Value::Bool(yes))
}

/// The name argument of `getattr` and friends.
fn attr_name(a: &Args, which: &str) -> Result<(Value, Rc<str>), Exception> {
    match (a.args.first(), a.args.get(1)) {
        (Some(obj), Some(Value::Str(n))) => Ok((obj.clone(), n.clone())),
        (Some(_), Some(other)) => Err(Exception::new(
            ExcKind::TypeError,
            format!("attribute name must be string, not '{}'", other.type_name()),
        )),
        _ => Err(Exception::new(
            ExcKind::TypeError,
            format!(
                "{which} expected at least 2 arguments, got {}",
                a.args.len()
            ),
        )),
    }
}

fn hasattr(rt: &mut Runtime, a: Args) -> Outcome {
    let (obj, name) = match attr_name(&a, "hasattr") {
        Ok(x) => x,
        Err(e) => return raised(e),
    };
    match rt.lookup_attr(&obj, &name) {
        Ok(_) => value(Value::Bool(true)),
        Err(e) if e.kind == ExcKind::AttributeError => value(Value::Bool(false)),
        Err(e) => raised(e),
    }
}

fn getattr(rt: &mut Runtime, a: Args) -> Outcome {
    let (obj, name) = match attr_name(&a, "getattr") {
        Ok(x) => x,
        Err(e) => return raised(e),
    };
    match rt.lookup_attr(&obj, &name) {
        Ok(Attr::Value(v)) | Ok(Attr::ClassValue(v)) => value(v),
        Ok(Attr::Call(f, args)) => Outcome::Call(f, args, Vec::new()),
        Err(e) if e.kind == ExcKind::AttributeError && a.args.len() > 2 => value(a.args[2].clone()),
        Err(e) => raised(e),
    }
}

fn setattr(rt: &mut Runtime, a: Args) -> Outcome {
    let (obj, name) = match attr_name(&a, "setattr") {
        Ok(x) => x,
        Err(e) => return raised(e),
    };
    let v = a.args.get(2).cloned().unwrap_or(Value::None);
    if let Some(ns) = obj.downcast::<Namespace>() {
        ns.attrs.borrow_mut().insert(name, v);
        return value(Value::None);
    }
    match rt.store_object_attr(&obj, &name, v) {
        Ok(None) => value(Value::None),
        Ok(Some((setter, args))) => Outcome::Call(setter, args, Vec::new()),
        Err(e) => raised(e),
    }
}

fn delattr(rt: &mut Runtime, a: Args) -> Outcome {
    let (obj, name) = match attr_name(&a, "delattr") {
        Ok(x) => x,
        Err(e) => return raised(e),
    };
    match rt.delete_attr(&obj, &name) {
        Ok(()) => value(Value::None),
        Err(e) => raised(e),
    }
}

fn vars(rt: &mut Runtime, a: Args) -> Outcome {
    let Some(obj) = a.args.first() else {
        return err(
            ExcKind::TypeError,
            "vars() without an argument is not supported by the kitchen",
        );
    };
    match rt.lookup_attr(obj, "__dict__") {
        Ok(Attr::Value(v)) => value(v),
        _ => err(
            ExcKind::TypeError,
            "vars() argument must have __dict__ attribute",
        ),
    }
}

/// `dir(obj)`: its attribute names, sorted, as CPython lists them for instances and classes
/// of plain classes and for modules.
fn dir(_: &mut Runtime, a: Args) -> Outcome {
    let Some(obj) = a.args.first() else {
        return err(
            ExcKind::TypeError,
            "dir() without an argument is not supported by the kitchen",
        );
    };
    let mut names: Vec<String> = Vec::new();
    let class_value = match obj.downcast::<Instance>() {
        Some(inst) => {
            names.extend(
                inst.attrs
                    .borrow()
                    .items()
                    .iter()
                    .map(|(k, _)| k.to_string()),
            );
            Some(inst.class.clone())
        }
        None => obj.downcast::<Class>().map(|_| obj.clone()),
    };
    if let Some(cv) = &class_value {
        names.extend(OBJECT_DIR.iter().map(|s| s.to_string()));
        if let Some(cls) = cv.downcast::<Class>() {
            for c in cls.mro_with(cv) {
                if let Some(c) = c.downcast::<Class>() {
                    let attrs = c.attrs.borrow();
                    names.extend(attrs.items().iter().map(|(k, _)| k.to_string()));
                }
            }
        }
    } else if let Some(ns) = obj.downcast::<Namespace>() {
        names.extend(ns.attrs.borrow().keys().map(|k| k.to_string()));
    } else {
        return err(
            ExcKind::TypeError,
            format!(
                "dir() of '{}' objects is not supported by the kitchen",
                obj.type_name()
            ),
        );
    }
    crate::core::sort::sort(&mut names);
    names.dedup();
    value(Value::list(names.iter().map(|n| Value::str(n)).collect()))
}
