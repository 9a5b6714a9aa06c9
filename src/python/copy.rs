//! Values crossing a process boundary.
//!
//! A forked child gets a *copy* of its parent's memory, so a child process that changes a
//! global list changes its own copy, not the parent's — one of the surprises
//! multiprocessing lessons are about. Arguments and results sent through a pipe
//! (`multiprocessing.Queue`, `Pool.map`) are pickled: copied too, at a cost that grows with
//! their size, and functions travel by name, so a lambda or a nested function cannot be sent.

use std::cell::RefCell;
use std::rc::Rc;

use super::classes::{BoundMethod, Class, Instance};
use super::frame::{Env, Globals};
use super::objects::{Attrs, Function};
use super::set::{new_set, set_of};
use super::value::{raise, Dict, ExcKind, Exception, Value};
use crate::core::fast_hash::FastMap;

/// Copies values from one process's memory into another's.
pub struct Copier {
    from: Globals,
    to: Globals,
    /// Pickling (by a pipe) rather than forking: functions go by name.
    pickle: bool,
    /// What was copied already, by identity, so that shared objects stay shared in the copy.
    /// Only objects the copy makes anew are kept (lists, dicts, tuples, functions): the rest
    /// (strings, locks, handles...) are the same objects on both sides.
    memo: FastMap<usize, Value>,
    envs: FastMap<usize, Rc<Env>>,
}

impl Copier {
    pub fn new(from: Globals, to: Globals, pickle: bool) -> Copier {
        Copier {
            from,
            to,
            pickle,
            memo: FastMap::default(),
            envs: FastMap::default(),
        }
    }

    /// A fork's copy of all of `from`'s globals into `to`.
    pub fn fork_globals(&mut self) -> Result<(), Exception> {
        let items = super::frame::snapshot(&self.from);
        for (k, v) in items {
            let c = self.copy(&v)?;
            self.to.borrow_mut().insert(k, c);
        }
        Ok(())
    }

    pub fn copy(&mut self, v: &Value) -> Result<Value, Exception> {
        let made_anew = match v {
            Value::List(_) | Value::Tuple(_) | Value::Dict(_) => true,
            Value::Object(_) => v.downcast::<Function>().is_some(),
            _ => false,
        };
        if !made_anew {
            return Ok(v.clone());
        }
        let id = v.identity();
        if id != 0 {
            if let Some(done) = self.memo.get(&id) {
                return Ok(done.clone());
            }
        }
        let copied = match v {
            Value::List(l) => {
                let new = Value::list(Vec::new());
                self.memo.insert(id, new.clone());
                // Copying reads values and never runs code, so the list can stay borrowed.
                let items = l.borrow();
                let mut out = Vec::with_capacity(items.len());
                for i in items.iter() {
                    out.push(self.copy(i)?);
                }
                drop(items);
                if let Value::List(n) = &new {
                    *n.borrow_mut() = out;
                }
                return Ok(new);
            }
            Value::Tuple(t) => {
                let mut out = Vec::with_capacity(t.len());
                for i in t.iter() {
                    out.push(self.copy(i)?);
                }
                Value::tuple(out)
            }
            Value::Dict(d) => {
                let new = Value::dict(Dict::new());
                self.memo.insert(id, new.clone());
                let pairs: Vec<_> = d
                    .borrow()
                    .items()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                for (k, val) in pairs {
                    let (k, val) = (self.copy(&k)?, self.copy(&val)?);
                    if let Value::Dict(n) = &new {
                        n.borrow_mut().insert(k, val)?;
                    }
                }
                return Ok(new);
            }
            Value::Object(_) => match v.downcast::<Function>() {
                Some(f) => self.copy_function(f)?,
                // The program's classes and objects, sets; everything else (queues, locks,
                // handles) stands for something shared outside the process's memory, or is
                // too rare to matter: kept as is.
                None => return self.copy_object(v),
            },
            other => other.clone(),
        };
        if id != 0 {
            self.memo.insert(id, copied.clone());
        }
        Ok(copied)
    }

    fn copy_function(&mut self, f: &Function) -> Result<Value, Exception> {
        let name = f.template.code.name.clone();
        let in_module = Rc::ptr_eq(&f.globals, &self.from);
        if self.pickle {
            // Pickle sends a function as "module.name"; the other side looks it up.
            if f.env.is_some() || &*name == "<lambda>" || !in_module {
                return raise(
                    ExcKind::AttributeError,
                    format!("Can't pickle local object '{name}' (only functions defined at the top of the module can be sent to another process)"),
                );
            }
            return match self.to.borrow().get(&name) {
                Some(found) if found.downcast::<Function>().is_some() => Ok(found.clone()),
                _ => raise(
                    ExcKind::AttributeError,
                    format!("Can't get attribute '{name}' on <module '__main__'>"),
                ),
            };
        }
        let env = match &f.env {
            Some(e) => Some(self.copy_env(e)?),
            None => None,
        };
        let mut defaults = Vec::new();
        for d in &f.defaults {
            defaults.push(self.copy(d)?);
        }
        Ok(Value::object(Function {
            template: f.template.clone(),
            defaults,
            kwdefaults: f.kwdefaults.clone(),
            env,
            globals: if in_module {
                self.to.clone()
            } else {
                f.globals.clone()
            },
            attrs: RefCell::new(f.attrs.borrow().clone()),
        }))
    }

    fn copy_env(&mut self, env: &Rc<Env>) -> Result<Rc<Env>, Exception> {
        let id = Rc::as_ptr(env) as usize;
        if let Some(done) = self.envs.get(&id) {
            return Ok(done.clone());
        }
        let parent = match &env.parent {
            Some(p) => Some(self.copy_env(p)?),
            None => None,
        };
        let slots = env.slots.borrow().clone();
        let new = Env::new(slots.len(), parent);
        self.envs.insert(id, new.clone());
        let mut out = Vec::with_capacity(slots.len());
        for s in &slots {
            out.push(match s {
                Some(v) => Some(self.copy(v)?),
                None => None,
            });
        }
        *new.slots.borrow_mut() = out;
        Ok(new)
    }
}

impl Copier {
    /// A copy of one of the program's classes, instances, bound methods or sets (anything
    /// else is itself). A forked child gets its own copy of a class (its methods then see
    /// the child's globals); pickling sends a class by name, as it sends functions.
    fn copy_object(&mut self, v: &Value) -> Result<Value, Exception> {
        let id = v.identity();
        if let Some(cls) = v.downcast::<Class>() {
            if self.pickle {
                return Ok(match self.to.borrow().get(&cls.name) {
                    Some(found) if found.downcast::<Class>().is_some() => found.clone(),
                    _ => v.clone(),
                });
            }
            return self.copy_class(v, cls);
        }
        if let Some(inst) = v.downcast::<Instance>() {
            let new = Value::object(Instance::new(self.copy(&inst.class)?, inst.serial));
            self.memo.insert(id, new.clone());
            let attrs = inst.attrs.borrow().clone();
            let native = inst.native.borrow().clone();
            let n = new.downcast::<Instance>().expect("an instance");
            for (k, x) in attrs.items() {
                let x = self.copy(x)?;
                n.attrs.borrow_mut().set(k.clone(), x);
            }
            *n.native.borrow_mut() = self.copy(&native)?;
            return Ok(new);
        }
        if let Some(m) = v.downcast::<BoundMethod>() {
            return Ok(Value::object(BoundMethod {
                this: self.copy(&m.this)?,
                func: self.copy(&m.func)?,
            }));
        }
        if let Some(s) = set_of(v) {
            let (items, frozen) = {
                let s = s.borrow();
                (s.items(), s.frozen)
            };
            let mut out = Vec::with_capacity(items.len());
            for x in &items {
                out.push(self.copy(x)?);
            }
            return new_set(out, frozen);
        }
        Ok(v.clone())
    }

    /// A forked copy of a class: its bases first (they cannot lead back to it), then the
    /// class, then its attributes (which may: a method's defaults, an instance of itself).
    fn copy_class(&mut self, v: &Value, cls: &Class) -> Result<Value, Exception> {
        let mut bases = Vec::with_capacity(cls.bases.len());
        for b in &cls.bases {
            bases.push(self.copy(b)?);
        }
        let mut mro = Vec::with_capacity(cls.mro.len());
        for c in &cls.mro {
            mro.push(self.copy(c)?);
        }
        let new = Value::object(Class {
            name: cls.name.clone(),
            qualname: cls.qualname.clone(),
            bases,
            mro,
            attrs: RefCell::new(Attrs::default()),
        });
        self.memo.insert(v.identity(), new.clone());
        let attrs = cls.attrs.borrow().clone();
        for (k, x) in attrs.items() {
            let x = self.copy(x)?;
            if let Some(c) = new.downcast::<Class>() {
                c.attrs.borrow_mut().set(k.clone(), x);
            }
        }
        Ok(new)
    }
}

/// Roughly how many bytes `pickle.dumps(v)` would produce, to cost the pickling.
pub fn pickled_size(v: &Value) -> u64 {
    fn size(v: &Value, depth: u32) -> u64 {
        if depth > 50 {
            return 8;
        }
        match v {
            Value::None | Value::Bool(_) => 1,
            Value::Int(i) => {
                if i.unsigned_abs() < 256 {
                    2
                } else {
                    5
                }
            }
            Value::BigInt(b) => 2 + b.bits() / 8,
            Value::Float(_) => 9,
            Value::Str(s) => 5 + s.len() as u64,
            Value::List(l) => {
                4 + l
                    .borrow()
                    .iter()
                    .map(|i| size(i, depth + 1) + 1)
                    .sum::<u64>()
            }
            Value::Tuple(t) => 2 + t.iter().map(|i| size(i, depth + 1)).sum::<u64>(),
            Value::Dict(d) => {
                4 + d
                    .borrow()
                    .items()
                    .map(|(k, v)| size(k, depth + 1) + size(v, depth + 1) + 1)
                    .sum::<u64>()
            }
            _ => 30,
        }
    }
    size(v, 0) + 14
}
