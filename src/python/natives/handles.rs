//! The handles of `threading.Thread` and `multiprocessing.Process`: one kind of object with
//! the same `start`, `join` and `is_alive`. Starting a `Process` forks: the child gets a copy
//! of the parent's globals (and of its target and arguments), as `fork` gives it a copy of
//! the parent's memory.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::build::{bound, err};
use crate::core::interpreter::By;
use crate::core::trace::WaitOn;
use crate::python::copy::Copier;
use crate::python::classes::Instance;
use crate::python::objects::Function;
use crate::python::ops;
use crate::python::runtime::{waiting_for, Args, NativeFn, Outcome, Request, Runtime, StartCall};
use crate::python::sync::{Handle, Life, ThreadId};
use crate::python::value::{ExcKind, Exception, Object, Value};

/// The methods of a thread or process handle.
const HANDLE_METHODS: &[(&str, NativeFn)] = &[
    ("start", handle_start),
    ("join", handle_join),
    ("is_alive", handle_is_alive),
    ("run", handle_run),
];

/// The attributes of a thread or process handle (see [`Runtime::add_attributes`]).
pub(super) fn attributes(obj: &Value, name: &str) -> Option<Value> {
    let h = obj.downcast::<Handle>()?;
    match name {
        "name" => Some(Value::str(&h.name.borrow())),
        "pid" | "ident" | "native_id" => Some(Value::Int(h.pid as i64)),
        "exitcode" => Some(h.exitcode.get().map_or(Value::None, Value::Int)),
        "daemon" => Some(Value::Bool(false)),
        _ => bound(HANDLE_METHODS, obj, name),
    }
}

fn target_name(target: &Value) -> String {
    match target.downcast::<Function>() {
        Some(f) => f.template.code.name.to_string(),
        None => String::new(),
    }
}

fn args_tuple(v: Option<&Value>) -> Result<Vec<Value>, Exception> {
    match v {
        None | Some(Value::None) => Ok(Vec::new()),
        Some(v) => ops::to_vec(v),
    }
}

fn kwargs_dict(v: Option<&Value>) -> Vec<(Rc<str>, Value)> {
    match v {
        Some(Value::Dict(d)) => d.borrow().str_items(),
        _ => Vec::new(),
    }
}

pub(super) fn make_handle(rt: &mut Runtime, a: Args, is_process: bool) -> Outcome {
    let kw = |k: &str| {
        a.kwargs
            .iter()
            .find(|(n, _)| &**n == k)
            .map(|(_, v)| v.clone())
    };
    if a.args.len() > 1 || a.args.first().is_some_and(|g| !matches!(g, Value::None)) {
        return err(
            ExcKind::TypeError,
            "pass the target as a keyword: Thread(target=f, args=(...))",
        );
    }
    let target = kw("target").unwrap_or(Value::None);
    let args = match args_tuple(kw("args").as_ref()) {
        Ok(v) => v,
        Err(e) => return Outcome::Raise(e),
    };
    let kwargs = kwargs_dict(kw("kwargs").as_ref());
    let name = match kw("name") {
        Some(Value::Str(s)) => s.to_string(),
        _ if is_process => format!("Process-{}", rt.next_process_number()),
        _ => {
            let n = rt.next_thread_number(a.thread);
            let t = target_name(&target);
            if t.is_empty() {
                format!("Thread-{n}")
            } else {
                format!("Thread-{n} ({t})")
            }
        }
    };
    Outcome::Value(Value::object(Handle {
        is_process,
        name: RefCell::new(name),
        target,
        args,
        kwargs,
        life: Cell::new(Life::Created),
        thread: Cell::new(None),
        joiners: RefCell::new(Vec::new()),
        exitcode: Cell::new(None),
        pid: 0,
    }))
}

/// `Thread.__init__(self, ...)` (or `Process.__init__`) for an instance of a subclass, as
/// `super().__init__(...)` calls it: the instance gets a handle of its own, whose target is
/// the subclass's `run` when it overrides it (CPython's `start()` calls `self.run()`, whose
/// default calls the target).
pub(super) fn subclass_init(rt: &mut Runtime, mut a: Args, is_process: bool) -> Outcome {
    let this = match a.this.take() {
        Some(t) => t,
        None if !a.args.is_empty() => a.args.remove(0),
        None => return err(ExcKind::TypeError, "__init__() needs the instance"),
    };
    let Some(inst) = this.downcast::<Instance>() else {
        return err(ExcKind::TypeError, "__init__() needs an instance of a subclass");
    };
    if let Some(run) = rt.dunder_of(&this, "run") {
        a.kwargs.retain(|(k, _)| !matches!(&**k, "target" | "args" | "kwargs"));
        a.kwargs.push((Rc::from("target"), run));
    }
    match make_handle(rt, a, is_process) {
        Outcome::Value(handle) => {
            *inst.native.borrow_mut() = handle;
            Outcome::Value(Value::None)
        }
        other => other,
    }
}

fn this_handle(a: &Args) -> Option<Rc<dyn Object>> {
    match &a.this {
        Some(Value::Object(o)) => Some(o.clone()),
        _ => None,
    }
}

/// What a new thread runs: its process, its target and the target's arguments. A process is
/// forked: a new process with a copy of the parent's globals, target and arguments.
fn child_of(
    rt: &mut Runtime,
    h: &Handle,
    parent: ThreadId,
) -> Result<(usize, StartCall), Exception> {
    if !h.is_process {
        let call = (h.target.clone(), h.args.clone(), h.kwargs.clone());
        return Ok((rt.process_of(parent), call));
    }
    let child = rt.new_process(parent, h.name.borrow().clone());
    let mut c = Copier::new(
        rt.process_globals(rt.process_of(parent)),
        rt.process_globals(child),
        false,
    );
    c.fork_globals()?;
    let target = c.copy(&h.target)?;
    let mut args = Vec::new();
    for v in &h.args {
        args.push(c.copy(v)?);
    }
    let mut kwargs = Vec::new();
    for (k, v) in &h.kwargs {
        kwargs.push((k.clone(), c.copy(v)?));
    }
    Ok((child, (target, args, kwargs)))
}

fn handle_start(rt: &mut Runtime, a: Args) -> Outcome {
    let Some(obj) = this_handle(&a) else {
        return err(ExcKind::TypeError, "start() needs a thread");
    };
    let Some(h) = obj.downcast::<Handle>() else {
        return err(ExcKind::TypeError, "start() needs a thread");
    };
    if h.life.get() != Life::Created {
        return err(ExcKind::RuntimeError, "threads can only be started once");
    }
    let name = h.name.borrow().clone();
    let (process, start) = match child_of(rt, h, a.thread) {
        Ok(child) => child,
        Err(e) => return Outcome::Raise(e),
    };
    // The Handle object itself is the one the parent holds; the child thread shares it.
    let handle: Rc<Handle> = Rc::new(Handle {
        is_process: h.is_process,
        name: RefCell::new(name.clone()),
        target: Value::None,
        args: Vec::new(),
        kwargs: Vec::new(),
        life: Cell::new(Life::Running),
        thread: Cell::new(None),
        joiners: RefCell::new(Vec::new()),
        exitcode: Cell::new(None),
        pid: 0,
    });
    let tid = rt.new_thread(process, name, h.is_process, Some(handle));
    h.thread.set(Some(tid));
    h.life.set(Life::Running);
    rt.set_start_call(tid, start);
    let request = if h.is_process {
        Request::StartProcess { child: tid }
    } else {
        Request::StartThread { child: tid }
    };
    Outcome::Suspend(vec![request], Value::None)
}

fn handle_join(rt: &mut Runtime, a: Args) -> Outcome {
    let Some(obj) = this_handle(&a) else {
        return err(ExcKind::TypeError, "join() needs a thread");
    };
    let Some(h) = obj.downcast::<Handle>() else {
        return err(ExcKind::TypeError, "join() needs a thread");
    };
    let Some(tid) = h.thread.get() else {
        return err(
            ExcKind::RuntimeError,
            "cannot join thread before it is started",
        );
    };
    if tid == a.thread {
        return err(ExcKind::RuntimeError, "cannot join current thread");
    }
    let inner = rt.thread_handle(tid);
    if inner.life.get() == Life::Done {
        h.life.set(Life::Done);
        h.exitcode.set(inner.exitcode.get());
        return Outcome::Value(Value::None);
    }
    inner.joiners.borrow_mut().push(a.thread);
    let on = if h.is_process {
        WaitOn::Process
    } else {
        WaitOn::Thread
    };
    let mut wait = waiting_for(on, format!("{}.join()", h.name.borrow()));
    wait.by = Some(By::Thread(tid));
    Outcome::Block {
        label: format!("join {}", h.name.borrow()),
        wait,
    }
}

fn handle_is_alive(rt: &mut Runtime, a: Args) -> Outcome {
    let alive = this_handle(&a)
        .and_then(|o| o.downcast::<Handle>().and_then(|h| h.thread.get()))
        .is_some_and(|tid| !rt.thread_done(tid));
    Outcome::Value(Value::Bool(alive))
}

/// `t.run()`: the target, called in the calling thread (what `start()` makes a new thread
/// do; calling `run()` directly is the classic mistake of running it in the current one).
fn handle_run(_: &mut Runtime, a: Args) -> Outcome {
    let Some(obj) = this_handle(&a) else {
        return err(ExcKind::TypeError, "run() needs a thread");
    };
    let Some(h) = obj.downcast::<Handle>() else {
        return err(ExcKind::TypeError, "run() needs a thread");
    };
    if matches!(h.target, Value::None) {
        return Outcome::Value(Value::None);
    }
    Outcome::Call(h.target.clone(), h.args.clone(), h.kwargs.clone())
}
