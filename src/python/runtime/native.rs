//! What a function written in Rust (a native) receives and returns: the interface between the
//! runtime and the natives of each module (`python::natives`), which the runtime calls without
//! knowing them.

use std::any::Any;
use std::rc::Rc;

use super::state::{Request, Runtime};
use crate::core::interpreter::WaitingFor;
use crate::python::sync::ThreadId;
use crate::python::value::{Exception, Object, Value};

/// What a native function did.
pub enum Outcome {
    Value(Value),
    Raise(Exception),
    /// The thread must wait for the simulator to carry out `requests`; then `value` is the
    /// call's result.
    Suspend(Vec<Request>, Value),
    /// The thread waits until another thread wakes it with the call's result: `label` is
    /// what its lane shows, `wait` what it waits for.
    Block {
        label: String,
        wait: WaitingFor,
    },
    /// Call this instead, and give its result as this call's result.
    Call(Value, Vec<Value>, Vec<(Rc<str>, Value)>),
    /// `asyncio.run(coro)`: this thread becomes an event loop running `coro` as its main task.
    RunLoop(Value),
    /// `loop.run_until_complete(aw)`: this thread's loop runs until `aw` is done.
    RunUntilComplete(Value),
}

/// What a native function receives.
pub struct Args {
    /// The function's name (one Rust function may serve several builtins).
    pub name: &'static str,
    pub thread: ThreadId,
    /// The object a method was looked up on.
    pub this: Option<Value>,
    pub args: Vec<Value>,
    pub kwargs: Vec<(Rc<str>, Value)>,
}

impl Args {
    /// The `i`-th positional argument or the keyword `name`.
    pub fn get(&self, i: usize, name: &str) -> Option<&Value> {
        self.args.get(i).or_else(|| {
            self.kwargs
                .iter()
                .find(|(k, _)| &**k == name)
                .map(|(_, v)| v)
        })
    }
}

pub type NativeFn = fn(&mut Runtime, Args) -> Outcome;

/// A function written in Rust, possibly bound to an object (a method).
pub struct Native {
    pub name: &'static str,
    pub f: NativeFn,
    pub this: Option<Value>,
    /// Whether generators passed to it are first run to the end and turned into lists
    /// (`list(gen)`, `sum(gen)`, `", ".join(gen)`).
    pub materialize: bool,
}

impl Object for Native {
    fn type_name(&self) -> &str {
        "builtin_function_or_method"
    }
    fn repr(&self) -> String {
        format!("<built-in function {}>", self.name)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}
