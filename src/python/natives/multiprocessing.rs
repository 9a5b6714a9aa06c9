//! `multiprocessing`'s natives: `Process` (see [`super::handles`]), `Queue` (see
//! [`super::queue`]), `cpu_count` (the simulated machine's cores) and `current_process`;
//! `Pool` is the prelude's.

use super::build::{namespace, native};
use super::handles::{handle_list, make_handle};
use super::queue::process_queue;
use crate::python::runtime::{Args, Outcome, Runtime};
use crate::python::value::Value;

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
            ("Process", native("Process", process_ctor)),
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
        ],
    );
    rt.add_module("multiprocessing", mp);
    rt.add_builtin(
        "_child_processes",
        native("_child_processes", active_children),
    );
}

fn process_ctor(rt: &mut Runtime, a: Args) -> Outcome {
    make_handle(rt, a, true)
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
