//! `asyncio`'s natives: `run` (the calling thread becomes the loop), `sleep`, tasks,
//! `get_running_loop`, and the helpers the prelude's asyncio is built on (futures of the
//! loop, `gather`'s outer future, timers, wrapping a concurrent future, the default
//! executor). The loop itself is the runtime's (`runtime::event_loop`); `Semaphore`,
//! `Queue`, `wait_for`... are the prelude's.

use std::cell::RefCell;

use super::build::{err, namespace, native};
use super::event_loop::{get_event_loop, new_event_loop, set_event_loop};
use super::futures::{future_value, futures_of};
use super::time::sleep_seconds;
use crate::core::interpreter::By;
use crate::python::futures::{FutState, FutureObj, SleepAwaitable, Waker};
use crate::python::ops;
use crate::python::runtime::{Args, NativeFn, Outcome, Runtime};
use crate::python::value::{ExcKind, Value};

/// Makes `asyncio` importable, with the prelude's helpers for it.
pub(super) fn install(rt: &mut Runtime) {
    let helpers: [(&'static str, NativeFn); 8] = [
        ("_loop_future", loop_future),
        ("_gather", gather),
        ("_call_later", call_later),
        ("_notify_when_done", notify_when_done),
        ("_wrap_future", wrap_future),
        ("_get_default_executor", get_default_executor),
        ("_set_default_executor", set_default_executor),
        ("_loop_create_task", create_task),
    ];
    for (name, f) in helpers {
        rt.add_builtin(name, native(name, f));
    }
    let asyncio = namespace(
        "module",
        vec![
            ("run", native("run", asyncio_run)),
            ("_sleep", native("sleep", asyncio_sleep)),
            ("create_task", native("create_task", create_task)),
            ("ensure_future", native("ensure_future", ensure_future)),
            ("current_task", native("current_task", current_task)),
            ("get_running_loop", native("get_running_loop", running_loop)),
            ("get_event_loop", native("get_event_loop", get_event_loop)),
            ("new_event_loop", native("new_event_loop", new_event_loop)),
            ("set_event_loop", native("set_event_loop", set_event_loop)),
            ("CancelledError", Value::ExcType(ExcKind::CancelledError)),
            ("TimeoutError", Value::ExcType(ExcKind::TimeoutError)),
            ("QueueEmpty", Value::ExcType(ExcKind::QueueEmpty)),
            ("QueueFull", Value::ExcType(ExcKind::QueueFull)),
            (
                "InvalidStateError",
                Value::ExcType(ExcKind::InvalidStateError),
            ),
        ],
    );
    rt.add_module("asyncio", asyncio);
}

fn asyncio_run(_: &mut Runtime, a: Args) -> Outcome {
    let Some(coro) = a.args.first().cloned() else {
        return err(
            ExcKind::TypeError,
            "run() missing required argument: 'main'",
        );
    };
    Outcome::RunLoop(coro)
}

fn asyncio_sleep(rt: &mut Runtime, a: Args) -> Outcome {
    let Some(secs) = sleep_seconds(rt, a.get(0, "delay"), "asyncio.sleep") else {
        return err(
            ExcKind::TypeError,
            "asyncio.sleep() needs a number of seconds",
        );
    };
    // CPython treats a negative or NaN delay as no delay at all.
    let secs = if secs.is_nan() { 0.0 } else { secs };
    let result = a.get(1, "result").cloned().unwrap_or(Value::None);
    let delay = a.get(0, "delay").map(ops::to_str).unwrap_or_default();
    Outcome::Value(Value::object(SleepAwaitable {
        secs,
        delay,
        result,
        future: RefCell::new(None),
    }))
}

fn create_task(rt: &mut Runtime, a: Args) -> Outcome {
    let Some(coro) = a.args.first().cloned() else {
        return err(
            ExcKind::TypeError,
            "create_task() missing required argument: 'coro'",
        );
    };
    let name = a
        .kwargs
        .iter()
        .find(|(k, _)| &**k == "name")
        .filter(|(_, v)| !matches!(v, Value::None))
        .map(|(_, v)| ops::to_str(v));
    // A loop's own create_task (and ensure_future) may make tasks on a loop not running yet.
    let loop_method = a.name == "_loop_create_task" || a.name == "ensure_future";
    let may = rt.in_event_loop(a.thread) || (loop_method && rt.has_loop(a.thread));
    if !may {
        return err(ExcKind::RuntimeError, "no running event loop");
    }
    match rt.create_task(a.thread, coro, name) {
        Ok(t) => Outcome::Value(future_value(t)),
        Err(e) => Outcome::Raise(e),
    }
}

fn ensure_future(rt: &mut Runtime, a: Args) -> Outcome {
    match a.args.first() {
        Some(v) if v.downcast::<FutureObj>().is_some() => Outcome::Value(v.clone()),
        _ => {
            // Outside a running loop, the thread's loop (made if needed) gets the task.
            if !rt.in_event_loop(a.thread) {
                rt.loop_of(a.thread);
            }
            create_task(rt, a)
        }
    }
}

fn current_task(rt: &mut Runtime, a: Args) -> Outcome {
    let t = rt.current_task(a.thread);
    Outcome::Value(t.map_or(Value::None, future_value))
}

fn running_loop(rt: &mut Runtime, a: Args) -> Outcome {
    match rt.running_loop(a.thread) {
        Some(handle) => Outcome::Value(handle),
        None => err(ExcKind::RuntimeError, "no running event loop"),
    }
}

fn loop_future(rt: &mut Runtime, a: Args) -> Outcome {
    if !rt.has_loop(a.thread) {
        return err(ExcKind::RuntimeError, "no running event loop");
    }
    let label = a
        .args
        .first()
        .map(ops::to_str)
        .unwrap_or_else(|| "future".into());
    Outcome::Value(future_value(rt.new_future(Some(a.thread), &label)))
}

fn gather(rt: &mut Runtime, a: Args) -> Outcome {
    let children = match a.args.first().map(futures_of) {
        Some(Ok(c)) => c,
        Some(Err(e)) => return Outcome::Raise(e),
        None => Vec::new(),
    };
    let return_exceptions = a.args.get(1).is_some_and(ops::truthy);
    Outcome::Value(future_value(rt.gather(
        a.thread,
        children,
        return_exceptions,
    )))
}

fn call_later(rt: &mut Runtime, a: Args) -> Outcome {
    let secs = match a.args.first() {
        Some(Value::Int(i)) => *i as f64,
        Some(Value::Float(f)) => *f,
        _ => 0.0,
    };
    let Some(fut) = a.args.get(1).and_then(|f| f.downcast::<FutureObj>()) else {
        return err(ExcKind::TypeError, "_call_later needs a future");
    };
    let value = a.args.get(2).cloned().unwrap_or(Value::None);
    let fut = fut.0.clone();
    rt.call_later(a.thread, secs, fut, value);
    Outcome::Value(Value::None)
}

fn notify_when_done(rt: &mut Runtime, a: Args) -> Outcome {
    let (Some(src), Some(dst)) = (
        a.args.first().and_then(|f| f.downcast::<FutureObj>()),
        a.args.get(1).and_then(|f| f.downcast::<FutureObj>()),
    ) else {
        return err(ExcKind::TypeError, "_notify_when_done needs two futures");
    };
    let (src, dst) = (src.0.clone(), dst.0.clone());
    rt.waits_for_task(&dst, &src);
    if src.is_done() {
        rt.complete(&dst, FutState::Done(Value::None));
    } else {
        src.waiters.borrow_mut().push(Waker::Notify(dst));
    }
    Outcome::Value(Value::None)
}

fn wrap_future(rt: &mut Runtime, a: Args) -> Outcome {
    let Some(cf) = a.args.first().and_then(|f| f.downcast::<FutureObj>()) else {
        return err(ExcKind::TypeError, "_wrap_future needs a future");
    };
    let cf = cf.0.clone();
    let label = a
        .args
        .get(1)
        .map(ops::to_str)
        .unwrap_or_else(|| "thread".into());
    let af = rt.new_future(Some(a.thread), &label);
    // A thread pool's worker may have taken the call already: awaiting `af` waits for it.
    if let (Some(worker), Some(w)) = (cf.runner.get(), af.wait.borrow_mut().as_mut()) {
        w.by = Some(By::Thread(worker));
    }
    let state = cf.state.borrow().clone();
    match state {
        FutState::Pending => cf.waiters.borrow_mut().push(Waker::Chain(af.clone())),
        done => rt.complete(&af, done),
    }
    Outcome::Value(future_value(af))
}

fn get_default_executor(rt: &mut Runtime, a: Args) -> Outcome {
    let ex = rt.default_executor(a.thread);
    Outcome::Value(ex.unwrap_or(Value::None))
}

fn set_default_executor(rt: &mut Runtime, a: Args) -> Outcome {
    rt.set_default_executor(a.thread, a.args.first().cloned());
    Outcome::Value(Value::None)
}
