//! Reading and writing variables: a local slot, a slot of an enclosing function's environment
//! (a closure), or a module global (falling back to the builtins when read).

use crate::python::bytecode::NameRef;
use crate::python::frame::Frame;
use crate::python::runtime::state::Runtime;
use crate::python::value::{raise, ExcKind, Exception, Value};

impl Runtime {
    pub(super) fn load(&self, frame: &Frame, name: &NameRef) -> Result<Value, Exception> {
        match name {
            NameRef::Local(slot) => frame
                .env
                .slots
                .borrow()
                .get(*slot as usize)
                .cloned()
                .flatten()
                .ok_or_else(|| {
                    let n = frame.code.locals.get(*slot as usize).map_or("?", |n| n);
                    Exception::new(
                        ExcKind::UnboundLocalError,
                        format!("cannot access local variable '{n}' where it is not associated with a value"),
                    )
                }),
            NameRef::Outer { depth, slot } => {
                let mut env = frame.env.clone();
                for _ in 0..*depth {
                    let Some(p) = env.parent.clone() else { break };
                    env = p;
                }
                let v = env.slots.borrow().get(*slot as usize).cloned().flatten();
                v.ok_or_else(|| {
                    Exception::new(
                        ExcKind::NameError,
                        "cannot access free variable where it is not associated with a value in enclosing scope",
                    )
                })
            }
            NameRef::Global(n) => {
                if let Some(v) = frame.globals.borrow().get(n) {
                    return Ok(v.clone());
                }
                self.builtins
                    .get(n)
                    .cloned()
                    .ok_or_else(|| Exception::new(ExcKind::NameError, format!("name '{n}' is not defined")))
            }
        }
    }

    pub(super) fn store(
        &self,
        frame: &Frame,
        name: &NameRef,
        value: Option<Value>,
    ) -> Result<(), Exception> {
        match name {
            NameRef::Local(slot) => {
                if let Some(s) = frame.env.slots.borrow_mut().get_mut(*slot as usize) {
                    *s = value;
                }
            }
            NameRef::Outer { depth, slot } => {
                let mut env = frame.env.clone();
                for _ in 0..*depth {
                    let Some(p) = env.parent.clone() else { break };
                    env = p;
                }
                let mut slots = env.slots.borrow_mut();
                if let Some(s) = slots.get_mut(*slot as usize) {
                    *s = value;
                }
            }
            NameRef::Global(n) => {
                let mut g = frame.globals.borrow_mut();
                match value {
                    Some(v) => {
                        g.insert(n.clone(), v);
                    }
                    None => {
                        if g.remove(n).is_none() {
                            return raise(ExcKind::NameError, format!("name '{n}' is not defined"));
                        }
                    }
                }
            }
        }
        Ok(())
    }
}
