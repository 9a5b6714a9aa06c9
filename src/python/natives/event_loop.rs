//! The methods of asyncio's event loop object (`asyncio.get_event_loop()`,
//! `get_running_loop()`) that are not the prelude's: running it (`run_until_complete`),
//! closing it, its callbacks (`call_soon`, `call_later`, `call_at`, and the handles they
//! return, which `cancel()` stops) and the done callbacks of futures. The loop itself is the
//! runtime's (`runtime::event_loop`, `runtime::loop_calls`).

use std::rc::Rc;

use super::build::{bound, err, native};
use crate::python::futures::{CallbackHandle, FutureObj, Waker};
use crate::python::objects::Function;
use crate::python::runtime::{Args, NativeFn, Outcome, Runtime};
use crate::python::value::{ExcKind, Value};

/// Registers the loop's methods (the prelude's loop object finds them by name) and the
/// attributes of callback handles.
pub(super) fn install(rt: &mut Runtime) {
    let methods: [(&'static str, NativeFn); 8] = [
        ("_loop_call_soon", call_soon),
        ("_loop_call_later", call_later),
        ("_loop_call_at", call_later),
        ("_loop_run_until_complete", run_until_complete),
        ("_loop_run_forever", run_forever),
        ("_loop_close", close),
        ("_loop_is_running", is_running),
        ("_loop_is_closed", is_running),
    ];
    for (name, f) in methods {
        rt.add_builtin(name, native(name, f));
    }
    rt.add_attributes(handle_attributes);
}

/// `asyncio.get_event_loop()`: the running loop, or this thread's loop (made if needed).
pub(super) fn get_event_loop(rt: &mut Runtime, a: Args) -> Outcome {
    Outcome::Value(rt.loop_of(a.thread))
}

/// `asyncio.new_event_loop()`: a fresh loop for this thread (the old one, not running, is
/// dropped); `set_event_loop(loop)` has nothing to do then.
pub(super) fn new_event_loop(rt: &mut Runtime, a: Args) -> Outcome {
    if !rt.in_event_loop(a.thread) {
        let _ = rt.close_loop(a.thread);
        rt.drop_loop(a.thread);
    }
    Outcome::Value(rt.loop_of(a.thread))
}

pub(super) fn set_event_loop(_: &mut Runtime, _: Args) -> Outcome {
    Outcome::Value(Value::None)
}

fn running(rt: &Runtime, a: &Args) -> Result<(), Outcome> {
    if rt.in_event_loop(a.thread) {
        Ok(())
    } else {
        Err(err(ExcKind::RuntimeError, "no running event loop"))
    }
}

fn handle_value(h: Rc<CallbackHandle>) -> Value {
    Value::Object(h)
}

/// `loop.call_soon(callback, *args)`.
fn call_soon(rt: &mut Runtime, a: Args) -> Outcome {
    if !rt.has_loop(a.thread) {
        return err(ExcKind::RuntimeError, "Event loop is closed");
    }
    let mut args = a.args.into_iter();
    let Some(f) = args.next() else {
        return err(
            ExcKind::TypeError,
            "call_soon() missing 1 required positional argument: 'callback'",
        );
    };
    Outcome::Value(handle_value(rt.call_soon(a.thread, f, args.collect())))
}

/// `loop.call_later(delay, callback, *args)` and `loop.call_at(when, callback, *args)`.
fn call_later(rt: &mut Runtime, a: Args) -> Outcome {
    if !rt.has_loop(a.thread) {
        return err(ExcKind::RuntimeError, "Event loop is closed");
    }
    let mut args = a.args.into_iter();
    let secs = match args.next() {
        Some(Value::Int(i)) => i as f64,
        Some(Value::Float(f)) => f,
        _ => {
            return err(
                ExcKind::TypeError,
                format!("{}() needs a number of seconds", a.name),
            )
        }
    };
    let Some(f) = args.next() else {
        return err(
            ExcKind::TypeError,
            format!("{}() missing the callback", a.name),
        );
    };
    let when = if a.name == "_loop_call_at" {
        crate::core::clock::from_secs(secs.max(0.0))
    } else {
        rt.loop_time_in(a.thread, secs)
    };
    Outcome::Value(handle_value(rt.call_at(a.thread, when, f, args.collect())))
}

/// `loop.run_until_complete(coro_or_future)`.
fn run_until_complete(_: &mut Runtime, a: Args) -> Outcome {
    match a.args.into_iter().next() {
        Some(aw) => Outcome::RunUntilComplete(aw),
        None => err(
            ExcKind::TypeError,
            "run_until_complete() missing 1 required positional argument: 'future'",
        ),
    }
}

fn run_forever(_: &mut Runtime, _: Args) -> Outcome {
    err(
        ExcKind::NotImplementedError,
        "loop.run_forever() is not supported by the kitchen: use run_until_complete() or asyncio.run()",
    )
}

fn close(rt: &mut Runtime, a: Args) -> Outcome {
    match rt.close_loop(a.thread) {
        Ok(()) => Outcome::Value(Value::None),
        Err(e) => Outcome::Raise(e),
    }
}

fn is_running(rt: &mut Runtime, a: Args) -> Outcome {
    let answer = match a.name {
        "_loop_is_closed" => rt.loop_closed(a.thread),
        _ => running(rt, &a).is_ok(),
    };
    Outcome::Value(Value::Bool(answer))
}

const HANDLE_METHODS: &[(&str, NativeFn)] = &[
    ("cancel", handle_cancel),
    ("cancelled", handle_cancelled),
    ("when", handle_when),
];

fn handle_attributes(obj: &Value, name: &str) -> Option<Value> {
    obj.downcast::<CallbackHandle>()?;
    bound(HANDLE_METHODS, obj, name)
}

fn this_handle(a: &Args) -> Option<&CallbackHandle> {
    a.this.as_ref().and_then(|v| v.downcast::<CallbackHandle>())
}

fn handle_cancel(_: &mut Runtime, a: Args) -> Outcome {
    if let Some(h) = this_handle(&a) {
        h.cancelled.set(true);
    }
    Outcome::Value(Value::None)
}

fn handle_cancelled(_: &mut Runtime, a: Args) -> Outcome {
    Outcome::Value(Value::Bool(
        this_handle(&a).is_some_and(|h| h.cancelled.get()),
    ))
}

fn handle_when(_: &mut Runtime, a: Args) -> Outcome {
    let when = this_handle(&a).and_then(|h| h.when);
    Outcome::Value(when.map_or(Value::None, |w| {
        Value::Float(crate::core::clock::to_secs(w))
    }))
}

/// `fut.add_done_callback(fn)`: `fn(fut)` is called soon after `fut` is done (at once, soon,
/// when it is done already).
pub(super) fn add_done_callback(rt: &mut Runtime, a: Args) -> Outcome {
    let (Some(f), Some(cb)) = (
        a.this.as_ref().and_then(|v| v.downcast::<FutureObj>()),
        a.args.first(),
    ) else {
        return err(ExcKind::TypeError, "add_done_callback() needs a callback");
    };
    let fut = f.0.clone();
    if fut.event_loop.is_none() {
        return err(
            ExcKind::NotImplementedError,
            "add_done_callback() on a concurrent.futures.Future is not supported by the kitchen",
        );
    }
    if fut.is_done() {
        let lt = fut.event_loop.unwrap_or(a.thread);
        rt.call_soon(lt, cb.clone(), vec![a.this.clone().unwrap_or(Value::None)]);
    } else {
        fut.waiters.borrow_mut().push(Waker::Callback(cb.clone()));
    }
    Outcome::Value(Value::None)
}

/// `fut.remove_done_callback(fn)`: how many were removed.
pub(super) fn remove_done_callback(_: &mut Runtime, a: Args) -> Outcome {
    let (Some(f), Some(cb)) = (
        a.this.as_ref().and_then(|v| v.downcast::<FutureObj>()),
        a.args.first(),
    ) else {
        return err(
            ExcKind::TypeError,
            "remove_done_callback() needs a callback",
        );
    };
    let mut waiters = f.0.waiters.borrow_mut();
    let before = waiters.len();
    waiters.retain(|w| !matches!(w, Waker::Callback(c) if same_callable(c, cb)));
    Outcome::Value(Value::Int((before - waiters.len()) as i64))
}

/// Whether two callbacks are the same (`is`, or the same function of the same closure).
fn same_callable(a: &Value, b: &Value) -> bool {
    if a.is(b) {
        return true;
    }
    match (a.downcast::<Function>(), b.downcast::<Function>()) {
        (Some(x), Some(y)) => {
            Rc::ptr_eq(&x.template, &y.template)
                && match (&x.env, &y.env) {
                    (Some(p), Some(q)) => Rc::ptr_eq(p, q),
                    (None, None) => true,
                    _ => false,
                }
        }
        _ => false,
    }
}
