//! The program's classes and their instances, as data: a class is a namespace with bases (and
//! the method resolution order CPython computes from them), an instance a namespace with a
//! class, and a method is a function bound to the object it was looked up on.
//!
//! A class may derive from one of the library's classes (`Exception`, `threading.Thread`,
//! `queue.Queue`): its instances then carry the library's own object for it, their *native
//! part* (an exception's arguments, a thread's handle, a queue's channel), so the library's
//! methods work on them unchanged. What calling a class does, how an attribute is found and
//! how an operator reaches a dunder method is the runtime's (`runtime::classes`,
//! `runtime::vm::objects`); this file only holds the data and answers questions about it.

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

use super::objects::{Attrs, Function};
use super::value::{ExcKind, Exception, Object, Value};

/// Whether `v` is an instance of one of the program's classes.
pub fn is_instance(v: &Value) -> bool {
    matches!(v, Value::Object(o) if o.downcast::<Instance>().is_some())
}

/// Whether `v` is, or holds within a few levels of lists, tuples and dicts, an instance of
/// the program's classes (whose comparisons and reprs need the runtime).
pub fn holds_instances(v: &Value) -> bool {
    fn within(v: &Value, depth: u32) -> bool {
        if depth > 3 {
            return false;
        }
        match v {
            Value::Object(_) => is_instance(v),
            Value::List(l) => l.borrow().iter().any(|x| within(x, depth + 1)),
            Value::Tuple(t) => t.iter().any(|x| within(x, depth + 1)),
            Value::Dict(d) => d.borrow().values().iter().any(|x| within(x, depth + 1)),
            _ => false,
        }
    }
    within(v, 0)
}

/// A class the program defined with a `class` statement.
pub struct Class {
    pub name: Rc<str>,
    pub qualname: Rc<str>,
    /// The classes in the `class` statement's parentheses.
    pub bases: Vec<Value>,
    /// The method resolution order after the class itself, without `object` (which ends
    /// every one): the program's classes and the library's, as CPython's C3 orders them.
    pub mro: Vec<Value>,
    pub attrs: RefCell<Attrs>,
}

impl Class {
    /// The class itself and then its method resolution order (the value of the class itself
    /// must be passed in: a class does not hold a reference to itself).
    pub fn mro_with<'a>(&'a self, this: &'a Value) -> impl Iterator<Item = &'a Value> {
        std::iter::once(this).chain(self.mro.iter())
    }

    /// The attribute `name` as the program's classes in the method resolution order define
    /// it (the library's classes are the runtime's to ask), starting after `after` if given
    /// (what `super()` does).
    pub fn lookup(&self, this: &Value, name: &str, after: Option<&Value>) -> Option<Value> {
        let mut skipping = after.is_some();
        for c in self.mro_with(this) {
            if skipping {
                skipping = !after.is_some_and(|a| a.is(c));
                continue;
            }
            if let Some(cls) = c.downcast::<Class>() {
                if let Some(v) = cls.attrs.borrow().get(name) {
                    return Some(v.clone());
                }
            }
        }
        None
    }

    /// The first of the library's classes in the method resolution order, whose native part
    /// the instances carry (`None`: the class derives from `object` only).
    pub fn native_base(&self) -> Option<&Value> {
        self.mro.iter().find(|c| c.downcast::<Class>().is_none())
    }

    /// The built-in exception class this class derives from, if it is an exception class.
    pub fn exc_kind(&self) -> Option<ExcKind> {
        self.mro.iter().find_map(|c| match c {
            Value::ExcType(k) => Some(*k),
            _ => None,
        })
    }

    /// Whether this class (`this`) is `other` or derives from it.
    pub fn is_subclass(&self, this: &Value, other: &Value) -> bool {
        if other.downcast::<BuiltinClass>().is_some_and(|b| b.name == "object") {
            return true;
        }
        if let Value::ExcType(k) = other {
            return self.exc_kind().is_some_and(|mine| k.catches(mine));
        }
        self.mro_with(this).any(|c| c.is(other))
    }
}

impl Object for Class {
    fn type_name(&self) -> &str {
        "type"
    }
    fn repr(&self) -> String {
        format!("<class '__main__.{}'>", self.qualname)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// One of the library's classes that a program may derive from or call: `object`,
/// `threading.Thread`, `queue.Queue`. (Exception classes are [`Value::ExcType`].)
pub struct BuiltinClass {
    pub name: &'static str,
    pub module: &'static str,
    /// What `Cls(...)` itself makes: the library's own object (a thread's handle...).
    pub new: Value,
    /// `Cls.__init__(self, ...)` for an instance of a subclass: gives it its native part.
    pub init: Value,
}

impl Object for BuiltinClass {
    fn type_name(&self) -> &str {
        "type"
    }
    fn repr(&self) -> String {
        if self.module == "builtins" {
            format!("<class '{}'>", self.name)
        } else {
            format!("<class '{}.{}'>", self.module, self.name)
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// An instance of one of the program's classes.
pub struct Instance {
    /// Its class (a [`Class`]).
    pub class: Value,
    pub attrs: RefCell<Attrs>,
    /// What the library's base class keeps for it: a thread's handle, a queue's channel, an
    /// exception's arguments (a tuple); `None` before that class's `__init__` ran, and for
    /// instances of plain classes.
    pub native: RefCell<Value>,
    /// The instance's number in its run, for the address its default `repr` shows.
    pub serial: u64,
}

/// The address an object's default `repr` shows. CPython prints the object's address,
/// which changes from run to run; the kitchen's comes from the object's number in its run
/// (the instances made so far), so that a run is repeatable.
pub fn address(serial: u64) -> String {
    format!("0x7f{:010x}", 0x1000 + serial * 0x30)
}

impl Instance {
    pub fn new(class: Value, serial: u64) -> Instance {
        Instance {
            class,
            attrs: RefCell::new(Attrs::default()),
            native: RefCell::new(Value::None),
            serial,
        }
    }
    pub fn class(&self) -> &Class {
        self.class
            .downcast::<Class>()
            .expect("an instance's class is a class")
    }
    /// The arguments of an exception instance (`e.args`).
    pub fn exc_args(&self) -> Vec<Value> {
        match &*self.native.borrow() {
            Value::Tuple(t) => t.as_ref().clone(),
            _ => Vec::new(),
        }
    }
}

impl Object for Instance {
    fn type_name(&self) -> &str {
        &self.class().name
    }
    fn repr(&self) -> String {
        format!(
            "<__main__.{} object at {}>",
            self.class().qualname,
            address(self.serial)
        )
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn exception(&self, this: &Value) -> Option<Exception> {
        let kind = self.class().exc_kind()?;
        let args = self.exc_args();
        let message = match args.as_slice() {
            [] => String::new(),
            [one] => super::ops::to_str(one),
            many => super::ops::repr(&Value::tuple(many.to_vec())),
        };
        let mut e = Exception::new(kind, message);
        e.object = Some(super::value::ValueBox(this.clone()));
        Some(e)
    }
    fn hashable(&self) -> Option<bool> {
        // A class that defines `__eq__` without `__hash__` gets `__hash__ = None` (see
        // `Class::new`), as in CPython: its instances cannot be keys.
        match self.class().lookup(&self.class, "__hash__", None) {
            None => Some(true),
            Some(Value::None) => Some(false),
            Some(_) => None,
        }
    }
}

/// A function bound to the object it was looked up on (`obj.method`), or to the class for a
/// class method.
pub struct BoundMethod {
    pub this: Value,
    pub func: Value,
}

impl Object for BoundMethod {
    fn type_name(&self) -> &str {
        "method"
    }
    fn repr(&self) -> String {
        format!(
            "<bound method {}.{} of {}>",
            self.this.type_name(),
            function_name(&self.func),
            super::ops::repr(&self.this)
        )
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The name of a function-like value, for reprs and messages.
pub fn function_name(f: &Value) -> String {
    match f.downcast::<Function>() {
        Some(f) => f.name(),
        None => f.type_name().to_string(),
    }
}

/// `@staticmethod`: the function, not bound to anything when looked up.
pub struct StaticMethod(pub Value);

/// `@classmethod`: the function, bound to the class when looked up.
pub struct ClassMethod(pub Value);

impl Object for StaticMethod {
    fn type_name(&self) -> &str {
        "staticmethod"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Object for ClassMethod {
    fn type_name(&self) -> &str {
        "classmethod"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `@property`: reading the attribute calls `fget`, assigning it `fset`, deleting it `fdel`.
#[derive(Clone)]
pub struct Property {
    pub fget: Value,
    pub fset: Value,
    pub fdel: Value,
}

impl Object for Property {
    fn type_name(&self) -> &str {
        "property"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `super()`: attributes of `this` as the classes after `class` in its method resolution
/// order define them.
pub struct Super {
    pub class: Value,
    pub this: Value,
}

impl Object for Super {
    fn type_name(&self) -> &str {
        "super"
    }
    fn repr(&self) -> String {
        format!(
            "<super: <class '{}'>, <{} object>>",
            self.class
                .downcast::<Class>()
                .map_or("?".into(), |c| c.name.to_string()),
            self.this.type_name()
        )
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The method resolution order of a class with these bases (the class itself not included),
/// by CPython's C3 linearization; `None` when the bases allow no consistent order (CPython's
/// "Cannot create a consistent method resolution order").
pub fn c3_mro(bases: &[Value]) -> Option<Vec<Value>> {
    let mut seqs: Vec<Vec<Value>> = bases.iter().map(linearization).collect();
    seqs.push(bases.to_vec());
    let mut out: Vec<Value> = Vec::new();
    loop {
        seqs.retain(|s| !s.is_empty());
        let Some(head) = seqs.iter().find_map(|s| {
            let h = &s[0];
            let in_tail = seqs.iter().any(|t| t[1..].iter().any(|x| x.is(h)));
            (!in_tail).then(|| h.clone())
        }) else {
            return seqs.is_empty().then_some(out);
        };
        for s in &mut seqs {
            if s[0].is(&head) {
                s.remove(0);
            }
        }
        out.push(head);
    }
}

/// A class and its method resolution order (without `object`).
fn linearization(c: &Value) -> Vec<Value> {
    if let Some(cls) = c.downcast::<Class>() {
        return std::iter::once(c.clone()).chain(cls.mro.iter().cloned()).collect();
    }
    if let Value::ExcType(k) = c {
        let mut out = Vec::new();
        let mut kind = Some(*k);
        while let Some(k) = kind {
            out.push(Value::ExcType(k));
            kind = k.parent();
        }
        return out;
    }
    if c.downcast::<BuiltinClass>().is_some_and(|b| b.name == "object") {
        return Vec::new();
    }
    vec![c.clone()]
}

/// `NotImplemented`: what a dunder method returns to let the other operand try.
pub struct NotImplementedType;

impl Object for NotImplementedType {
    fn type_name(&self) -> &str {
        "NotImplementedType"
    }
    fn repr(&self) -> String {
        "NotImplemented".into()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}
