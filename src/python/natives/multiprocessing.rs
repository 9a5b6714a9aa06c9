//! `multiprocessing`'s natives: `Process` (see [`super::handles`]), `Queue` (see
//! [`super::queue`]), `cpu_count` (the simulated machine's cores) and `current_process`;
//! `Pool` is the prelude's.

use super::build::{namespace, native};
use super::handles::{handle_list, make_handle, subclass_init};
use super::locks::lock_ctor;
use super::pipes::{connection_attributes, pipe};
use super::queue::process_queue;
use crate::python::classes::BuiltinClass;
use crate::python::ops;
use crate::python::runtime::{Args, Outcome, Runtime};
use crate::python::value::{ExcKind, Value};

/// Makes `multiprocessing` importable, with the prelude's helpers for pools.
pub(super) fn install(rt: &mut Runtime) {
    rt.add_builtin(
        "_next_process_number",
        native("_next_process_number", next_process_number),
    );
    rt.add_builtin("_start_process", native("_start_process", process_ctor));
    let mp = namespace(
        "module",
        vec![
            (
                "Process",
                Value::object(BuiltinClass {
                    name: "Process",
                    module: "multiprocessing",
                    new: native("Process", process_ctor),
                    init: native("__init__", process_init),
                }),
            ),
            ("Queue", native("Queue", process_queue)),
            ("cpu_count", native("cpu_count", cpu_count)),
            (
                "current_process",
                native("current_process", current_process),
            ),
            (
                "active_children",
                native("active_children", active_children),
            ),
            ("Pipe", native("Pipe", pipe)),
            ("Lock", native("Lock", lock_ctor)),
            ("RLock", native("RLock", lock_ctor)),
            ("TimeoutError", Value::ExcType(ExcKind::TimeoutError)),
            ("get_start_method", native("get_start_method", start_method)),
            ("set_start_method", native("set_start_method", start_method)),
        ],
    );
    rt.add_module("multiprocessing", mp);
    rt.add_attributes(connection_attributes);
    rt.add_builtin(
        "_child_processes",
        native("_child_processes", active_children),
    );
}

fn process_ctor(rt: &mut Runtime, a: Args) -> Outcome {
    make_handle(rt, a, true)
}

fn process_init(rt: &mut Runtime, a: Args) -> Outcome {
    subclass_init(rt, a, true)
}

fn current_process(rt: &mut Runtime, a: Args) -> Outcome {
    let p = rt.process_of(a.thread);
    let name = rt.process_name(a.thread);
    let pid = Value::Int(rt.pid(p));
    let daemon = p > 0 && rt.main_thread_of(a.thread).daemon.get();
    let kind = if p == 0 {
        "_MainProcess"
    } else {
        "ForkProcess"
    };
    Outcome::Value(namespace(
        kind,
        vec![
            ("name", Value::str(&name)),
            ("pid", pid.clone()),
            ("ident", pid),
            ("daemon", Value::Bool(daemon)),
        ],
    ))
}

fn cpu_count(rt: &mut Runtime, _: Args) -> Outcome {
    Outcome::Value(Value::Int(rt.profile().cores as i64))
}

fn next_process_number(rt: &mut Runtime, _: Args) -> Outcome {
    Outcome::Value(Value::Int(rt.next_process_number() as i64))
}

/// `multiprocessing.active_children()`: the child processes still running.
fn active_children(rt: &mut Runtime, a: Args) -> Outcome {
    Outcome::Value(handle_list(rt.child_processes(a.thread)))
}

/// `get_start_method()` is "fork", the kitchen's (and Linux's before 3.14);
/// `set_start_method(m)` takes "fork", and notes that it forks for any other.
fn start_method(rt: &mut Runtime, a: Args) -> Outcome {
    if a.name == "set_start_method" {
        let method = a.args.first().map(ops::to_str).unwrap_or_default();
        if method != "fork" {
            rt.note(format!(
                "multiprocessing.set_start_method({method:?}): the kitchen forks its processes (globals copied, not re-imported)"
            ));
        }
        return Outcome::Value(Value::None);
    }
    Outcome::Value(Value::str("fork"))
}
