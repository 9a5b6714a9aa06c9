//! `threading`: `Thread` (see [`super::handles`]; a class a program may derive from), `Lock` and `RLock` (see
//! [`super::locks`]), `current_thread`, `main_thread`, `enumerate` and the hooks of a
//! process's end; `Event`, `Condition`, `Semaphore`, `Timer`, `Barrier` and `local` are the
//! prelude's (`prelude/threading.py`), ported from CPython's `Lib/threading.py`.

use super::build::{err, namespace, native};
use super::handles::{handle_list, make_handle, subclass_init};
use super::locks::{lock_attributes, lock_ctor};
use crate::python::classes::BuiltinClass;
use crate::python::runtime::{Args, Outcome, Runtime};
use crate::python::sync::Local;
use crate::python::value::{ExcKind, Value};

/// Makes `threading` importable.
pub(super) fn install(rt: &mut Runtime) {
    let threading = namespace(
        "module",
        vec![
            ("Thread", thread_class()),
            ("Lock", native("Lock", lock_ctor)),
            ("RLock", native("RLock", lock_ctor)),
            ("_allocate_lock", native("Lock", lock_ctor)),
            ("current_thread", native("current_thread", current_thread)),
            ("main_thread", native("main_thread", main_thread)),
            ("get_ident", native("get_ident", get_ident)),
            ("enumerate", native("enumerate", enumerate_threads)),
            ("local", native("local", local)),
            ("active_count", native("active_count", enumerate_threads)),
            ("get_native_id", native("get_native_id", get_ident)),
            (
                "_register_atexit",
                native("_register_atexit", register_atexit),
            ),
        ],
    );
    rt.add_module("threading", threading);
    rt.add_builtin(
        "_threads_to_join",
        native("_threads_to_join", threads_to_join),
    );
    rt.add_builtin("_take_atexit", native("_take_atexit", take_atexit));
    rt.add_builtin(
        "_new_thread_name",
        native("_new_thread_name", new_thread_name),
    );
    rt.add_attributes(lock_attributes);
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

/// `threading.local()`: each thread sees the attributes it set itself.
fn local(_: &mut Runtime, _: Args) -> Outcome {
    Outcome::Value(Value::object(Local::default()))
}

/// The next `Thread-N` name, for a thread made without a target of the program's (`Timer`).
fn new_thread_name(rt: &mut Runtime, a: Args) -> Outcome {
    let n = rt.next_thread_number(a.thread);
    Outcome::Value(Value::str(&format!("Thread-{n}")))
}

fn threads_to_join(rt: &mut Runtime, a: Args) -> Outcome {
    Outcome::Value(handle_list(rt.threads_to_join(a.thread)))
}

fn take_atexit(rt: &mut Runtime, a: Args) -> Outcome {
    Outcome::Value(Value::list(rt.take_at_exit(a.thread)))
}
