//! The interpreter's plain objects: functions, methods of data values, namespaces (modules
//! and the prelude's objects) and iterators over data. The objects of concurrency are in
//! [`super::sync`] (threads, processes, locks, queues) and [`super::futures`]; functions
//! written in Rust are the runtime's (`runtime::Native`).

use crate::core::fast_hash::FastMap;
use std::any::Any;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::bytecode::FunctionTemplate;
use super::frame::{Env, Globals};
use super::value::{Object, Value};

/// A `def`, `lambda` or comprehension, bound to its defaults and surroundings.
pub struct Function {
    pub template: Rc<FunctionTemplate>,
    pub defaults: Vec<Value>,
    pub kwdefaults: Vec<(Rc<str>, Value)>,
    pub env: Option<Rc<Env>>,
    pub globals: Globals,
    /// Attributes the program set on the function (`wrapper.calls = 0`, and the
    /// `__name__`, `__doc__` and `__wrapped__` that `functools.wraps` copies).
    pub attrs: RefCell<Attrs>,
}

impl Function {
    /// `f.__qualname__`: where it was defined (`Order.__init__`), unless the program (or
    /// `functools.wraps`) changed it.
    pub fn qualname(&self) -> String {
        match self.attrs.borrow().get("__qualname__") {
            Some(Value::Str(s)) => s.to_string(),
            _ => self.template.code.qualname.to_string(),
        }
    }

    /// `f.__name__`: the name it was defined with, unless the program changed it.
    pub fn name(&self) -> String {
        match self.attrs.borrow().get("__name__") {
            Some(Value::Str(s)) => s.to_string(),
            _ => self.template.code.name.to_string(),
        }
    }
}

impl Object for Function {
    fn type_name(&self) -> &str {
        "function"
    }
    fn repr(&self) -> String {
        format!("<function {}>", self.name())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Attributes in the order they were first set (a function's, a class's or an instance's
/// `__dict__`). Objects have few attributes, so a list searched in order is both small and
/// fast.
#[derive(Clone, Default)]
pub struct Attrs(Vec<(Rc<str>, Value)>);

impl Attrs {
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| &**k == name).map(|(_, v)| v)
    }
    pub fn set(&mut self, name: Rc<str>, value: Value) {
        match self.0.iter_mut().find(|(k, _)| **k == *name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name, value)),
        }
    }
    /// Removes `name`; whether it was there.
    pub fn remove(&mut self, name: &str) -> bool {
        let before = self.0.len();
        self.0.retain(|(k, _)| &**k != name);
        self.0.len() != before
    }
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
    /// Names and values, in the order they were first set.
    pub fn items(&self) -> &[(Rc<str>, Value)] {
        &self.0
    }
}

/// A method of a data value (`"a".upper`, `items.append`), carried out by `ops::call_method`.
pub struct BoundData {
    pub this: Value,
    pub name: Rc<str>,
}

impl Object for BoundData {
    fn type_name(&self) -> &str {
        "builtin_function_or_method"
    }
    fn repr(&self) -> String {
        format!(
            "<built-in method {} of {} object>",
            self.name,
            self.this.type_name()
        )
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A module, or an object built by the prelude (an executor, a semaphore): named attributes.
pub struct Namespace {
    pub type_name: Rc<str>,
    pub attrs: RefCell<FastMap<Rc<str>, Value>>,
}

impl Object for Namespace {
    fn type_name(&self) -> &str {
        &self.type_name
    }
    fn repr(&self) -> String {
        format!("<{} object>", self.type_name)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// An iterator over a list, tuple, string, range or dict.
pub struct NativeIter {
    pub source: Value,
    pub index: Cell<u64>,
    /// For dicts: the keys when iteration began.
    pub keys: Option<Vec<Value>>,
}

impl Object for NativeIter {
    fn type_name(&self) -> &str {
        "iterator"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}
