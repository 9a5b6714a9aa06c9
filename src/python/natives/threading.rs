//! `threading`: `Thread` (see [`super::handles`]), `Lock` (a thread that finds it taken
//! blocks without the GIL until the holder releases it, and then gets it directly),
//! `current_thread` and `main_thread`.

use super::build::{bound, err, namespace, native};
use super::handles::{handle_list, make_handle};
use crate::core::interpreter::By;
use crate::core::trace::WaitOn;
use crate::python::ops;
use crate::python::runtime::{waiting_for, Args, NativeFn, Outcome, Runtime};
use crate::python::sync::Lock;
use crate::python::value::{ExcKind, Value};

/// Makes `threading` importable.
pub(super) fn install(rt: &mut Runtime) {
    let threading = namespace(
        "module",
        vec![
            ("Thread", native("Thread", thread_ctor)),
            ("Lock", native("Lock", lock_ctor)),
            ("RLock", native("RLock", lock_ctor)),
            ("current_thread", native("current_thread", current_thread)),
            ("main_thread", native("main_thread", main_thread)),
            ("get_ident", native("get_ident", get_ident)),
            ("enumerate", native("enumerate", enumerate_threads)),
            ("active_count", native("active_count", enumerate_threads)),
            ("get_native_id", native("get_native_id", get_ident)),
            ("_register_atexit", native("_register_atexit", register_atexit)),
        ],
    );
    rt.add_module("threading", threading);
    rt.add_builtin("_threads_to_join", native("_threads_to_join", threads_to_join));
    rt.add_builtin("_take_atexit", native("_take_atexit", take_atexit));
    rt.add_attributes(lock_attributes);
}

/// The methods of a lock.
const LOCK_METHODS: &[(&str, NativeFn)] = &[
    ("acquire", lock_acquire),
    ("__enter__", lock_acquire),
    ("release", lock_release),
    ("__exit__", lock_exit),
    ("locked", lock_locked),
];

fn lock_attributes(obj: &Value, name: &str) -> Option<Value> {
    obj.downcast::<Lock>()?;
    bound(LOCK_METHODS, obj, name)
}

fn thread_ctor(rt: &mut Runtime, a: Args) -> Outcome {
    make_handle(rt, a, false)
}

fn current_thread(rt: &mut Runtime, a: Args) -> Outcome {
    Outcome::Value(Value::Object(rt.thread_handle(a.thread)))
}

fn main_thread(rt: &mut Runtime, a: Args) -> Outcome {
    Outcome::Value(Value::Object(rt.main_thread_of(a.thread)))
}

fn get_ident(rt: &mut Runtime, a: Args) -> Outcome {
    let ident = rt.thread_handle(a.thread).pid.get();
    Outcome::Value(ident.map_or(Value::None, Value::Int))
}

/// `threading._register_atexit(fn)`: `fn()` runs when the main thread is done, before the
/// threads are joined (how the executors stop their workers at exit).
fn register_atexit(rt: &mut Runtime, a: Args) -> Outcome {
    match a.args.first() {
        Some(f) => {
            rt.register_at_exit(a.thread, f.clone());
            Outcome::Value(Value::None)
        }
        None => err(ExcKind::TypeError, "_register_atexit() needs a function"),
    }
}

/// `threading.enumerate()` and `threading.active_count()`.
fn enumerate_threads(rt: &mut Runtime, a: Args) -> Outcome {
    let alive = rt.alive_threads(a.thread);
    match a.name {
        "active_count" => Outcome::Value(Value::Int(alive.len() as i64)),
        _ => Outcome::Value(handle_list(alive)),
    }
}

fn threads_to_join(rt: &mut Runtime, a: Args) -> Outcome {
    Outcome::Value(handle_list(rt.threads_to_join(a.thread)))
}

fn take_atexit(rt: &mut Runtime, a: Args) -> Outcome {
    Outcome::Value(Value::list(rt.take_at_exit(a.thread)))
}

fn lock_ctor(_: &mut Runtime, _: Args) -> Outcome {
    Outcome::Value(Value::object(Lock::default()))
}

fn with_lock<R>(a: &Args, f: impl FnOnce(&Lock) -> R) -> Option<R> {
    match &a.this {
        Some(v) => v.downcast::<Lock>().map(f),
        None => None,
    }
}

fn lock_acquire(_: &mut Runtime, a: Args) -> Outcome {
    let blocking = a.get(0, "blocking").is_none_or(ops::truthy);
    let tid = a.thread;
    with_lock(&a, |l| {
        if !l.locked.get() {
            l.locked.set(true);
            l.holder.set(Some(tid));
            Outcome::Value(Value::Bool(true))
        } else if !blocking {
            Outcome::Value(Value::Bool(false))
        } else {
            l.waiters.borrow_mut().push_back(tid);
            let mut wait = waiting_for(WaitOn::Lock, "Lock.acquire()");
            wait.by = l.holder.get().map(By::Thread);
            Outcome::Block {
                label: "acquire lock".into(),
                wait,
            }
        }
    })
    .unwrap_or_else(|| err(ExcKind::TypeError, "not a lock"))
}

fn lock_release(rt: &mut Runtime, a: Args) -> Outcome {
    let next = with_lock(&a, |l| {
        if !l.locked.get() {
            return Err(());
        }
        let next = l.waiters.borrow_mut().pop_front();
        if next.is_none() {
            l.locked.set(false);
        }
        l.holder.set(next);
        Ok(next)
    });
    match next {
        Some(Ok(Some(waiter))) => {
            // Handed straight to the first waiter: the lock stays taken.
            rt.wake_thread(waiter, Ok(Value::Bool(true)));
            Outcome::Value(Value::None)
        }
        Some(Ok(None)) => Outcome::Value(Value::None),
        Some(Err(())) => err(ExcKind::RuntimeError, "release unlocked lock"),
        None => err(ExcKind::TypeError, "not a lock"),
    }
}

fn lock_exit(rt: &mut Runtime, a: Args) -> Outcome {
    match lock_release(rt, a) {
        Outcome::Value(_) => Outcome::Value(Value::Bool(false)),
        other => other,
    }
}

fn lock_locked(_: &mut Runtime, a: Args) -> Outcome {
    Outcome::Value(Value::Bool(
        with_lock(&a, |l| l.locked.get()).unwrap_or(false),
    ))
}
