//! `threading`: `Thread` (see [`super::handles`]; a class a program may derive from),
//! `Lock` (a thread that finds it taken
//! blocks without the GIL until the holder releases it, and then gets it directly),
//! `current_thread` and `main_thread`.

use super::build::{bound, err, namespace, native};
use super::handles::{make_handle, subclass_init};
use crate::python::classes::BuiltinClass;
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
            ("Thread", thread_class()),
            ("Lock", native("Lock", lock_ctor)),
            ("RLock", native("RLock", lock_ctor)),
            ("current_thread", native("current_thread", current_thread)),
            ("main_thread", native("main_thread", main_thread)),
        ],
    );
    rt.add_module("threading", threading);
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

/// `threading.Thread`: called, a thread's handle; derived from (`class Worker(Thread)`), its
/// `__init__` gives the instance a handle that runs the subclass's `run`.
fn thread_class() -> Value {
    Value::object(BuiltinClass {
        name: "Thread",
        module: "threading",
        new: native("Thread", thread_ctor),
        init: native("__init__", thread_init),
    })
}

fn thread_init(rt: &mut Runtime, a: Args) -> Outcome {
    subclass_init(rt, a, false)
}

fn current_thread(rt: &mut Runtime, a: Args) -> Outcome {
    Outcome::Value(Value::Object(rt.thread_handle(a.thread)))
}

fn main_thread(rt: &mut Runtime, a: Args) -> Outcome {
    Outcome::Value(Value::Object(rt.main_thread_of(a.thread)))
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
