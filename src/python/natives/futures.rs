//! `concurrent.futures`' natives: the methods of futures (asyncio's and concurrent ones share
//! them), a thread blocking in `result()`, waiting for any of several futures
//! (`as_completed`), and numbering executors. The executors themselves are the prelude's.

use std::rc::Rc;

use super::build::{bound, err, namespace, native};
use crate::core::interpreter::By;
use crate::core::trace::WaitOn;
use crate::python::futures::{FutState, Future, FutureObj, Waker};
use crate::python::ops;
use crate::python::runtime::{waiting_for, Args, NativeFn, Outcome, Runtime};
use crate::python::value::{ExcKind, Exception, Value};

/// Makes `concurrent.futures` importable, with the prelude's helpers for executors.
pub(super) fn install(rt: &mut Runtime) {
    let helpers: [(&'static str, NativeFn); 4] = [
        ("_cfuture", cfuture),
        ("_wait_any", wait_any),
        ("_done_seq", done_seq),
        ("_next_executor_number", next_executor_number),
    ];
    for (name, f) in helpers {
        rt.add_builtin(name, native(name, f));
    }
    let futures = namespace(
        "module",
        vec![
            ("TimeoutError", Value::ExcType(ExcKind::TimeoutError)),
            ("CancelledError", Value::ExcType(ExcKind::CancelledError)),
        ],
    );
    rt.add_module("concurrent.futures", futures.clone());
    rt.add_module(
        "concurrent",
        namespace("module", vec![("futures", futures)]),
    );
    rt.add_attributes(future_attributes);
}

/// The methods of a future or task.
const FUTURE_METHODS: &[(&str, NativeFn)] = &[
    ("result", future_result),
    ("done", future_query),
    ("cancelled", future_query),
    ("running", future_query),
    ("set_running_or_notify_cancel", future_query),
    ("cancel", future_cancel),
    ("set_result", future_set),
    ("set_exception", future_set),
    ("exception", future_exception),
    ("get_name", future_name),
];

fn future_attributes(obj: &Value, name: &str) -> Option<Value> {
    obj.downcast::<FutureObj>()?;
    bound(FUTURE_METHODS, obj, name)
}

pub(super) fn future_value(f: Rc<Future>) -> Value {
    Value::object(FutureObj(f))
}

pub(super) fn futures_of(v: &Value) -> Result<Vec<Rc<Future>>, Exception> {
    ops::to_vec(v)?
        .iter()
        .map(|f| match f.downcast::<FutureObj>() {
            Some(f) => Ok(f.0.clone()),
            None => Err(Exception::new(ExcKind::TypeError, "expected futures")),
        })
        .collect()
}

fn this_future(a: &Args) -> Option<Rc<Future>> {
    a.this
        .as_ref()
        .and_then(|v| v.downcast::<FutureObj>())
        .map(|f| f.0.clone())
}

fn cfuture(rt: &mut Runtime, _: Args) -> Outcome {
    Outcome::Value(future_value(rt.new_future(None, "result()")))
}

fn future_result(_: &mut Runtime, a: Args) -> Outcome {
    let Some(f) = this_future(&a) else {
        return err(ExcKind::TypeError, "not a future");
    };
    let state = f.state.borrow().clone();
    match state {
        FutState::Done(v) => Outcome::Value(v),
        FutState::Failed(e) => Outcome::Raise(e),
        FutState::Cancelled => err(ExcKind::CancelledError, ""),
        FutState::Pending if f.event_loop.is_some() => {
            err(ExcKind::InvalidStateError, "Result is not set.")
        }
        FutState::Pending => {
            f.waiters.borrow_mut().push(Waker::Thread(a.thread));
            let mut wait = waiting_for(WaitOn::Future, "Future.result()");
            wait.by = f.runner.get().map(By::Thread);
            Outcome::Block {
                label: "future.result()".into(),
                wait,
            }
        }
    }
}

fn future_query(_: &mut Runtime, a: Args) -> Outcome {
    let Some(f) = this_future(&a) else {
        return err(ExcKind::TypeError, "not a future");
    };
    let state = f.state.borrow().clone();
    Outcome::Value(Value::Bool(match a.name {
        "done" => !matches!(state, FutState::Pending),
        "cancelled" => matches!(state, FutState::Cancelled),
        "running" => false,
        _ => !matches!(state, FutState::Cancelled),
    }))
}

fn future_cancel(rt: &mut Runtime, a: Args) -> Outcome {
    let Some(f) = this_future(&a) else {
        return err(ExcKind::TypeError, "not a future");
    };
    Outcome::Value(Value::Bool(rt.cancel_task(&f)))
}

fn future_set(rt: &mut Runtime, a: Args) -> Outcome {
    let Some(f) = this_future(&a) else {
        return err(ExcKind::TypeError, "not a future");
    };
    if f.is_done() {
        return err(ExcKind::InvalidStateError, "invalid state");
    }
    let v = a.args.first().cloned().unwrap_or(Value::None);
    let state = match (a.name, v) {
        ("set_exception", Value::ExcType(k)) => FutState::Failed(Exception::new(k, "")),
        ("set_exception", v) if Exception::from_value(&v).is_some() => {
            FutState::Failed(Exception::from_value(&v).expect("checked"))
        }
        (_, v) => FutState::Done(v),
    };
    rt.complete(&f, state);
    Outcome::Value(Value::None)
}

fn future_exception(_: &mut Runtime, a: Args) -> Outcome {
    let Some(f) = this_future(&a) else {
        return err(ExcKind::TypeError, "not a future");
    };
    let state = f.state.borrow().clone();
    match state {
        FutState::Failed(e) => Outcome::Value(e.into_value()),
        _ => Outcome::Value(Value::None),
    }
}

fn future_name(_: &mut Runtime, a: Args) -> Outcome {
    let name = this_future(&a)
        .and_then(|f| f.task.as_ref().map(|t| t.name.clone()))
        .unwrap_or_default();
    Outcome::Value(Value::str(&name))
}

fn wait_any(_: &mut Runtime, a: Args) -> Outcome {
    let fs = match a.args.first().map(futures_of) {
        Some(Ok(fs)) => fs,
        Some(Err(e)) => return Outcome::Raise(e),
        None => Vec::new(),
    };
    if fs.is_empty() || fs.iter().any(|f| f.is_done()) {
        return Outcome::Value(Value::None);
    }
    for f in &fs {
        f.waiters.borrow_mut().push(Waker::ThreadNone(a.thread));
    }
    Outcome::Block {
        label: "wait for futures".into(),
        wait: waiting_for(WaitOn::Future, "as_completed()"),
    }
}

fn done_seq(_: &mut Runtime, a: Args) -> Outcome {
    let seq = a
        .args
        .first()
        .and_then(|f| f.downcast::<FutureObj>())
        .map_or(0, |f| f.0.done_seq.get());
    Outcome::Value(Value::Int(seq as i64))
}

fn next_executor_number(rt: &mut Runtime, _: Args) -> Outcome {
    Outcome::Value(Value::Int(rt.next_executor_number() as i64))
}
