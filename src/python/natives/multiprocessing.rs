//! `multiprocessing`'s natives: `Process` (see [`super::handles`]), `Queue` (see
//! [`super::queue`]), `cpu_count` (the simulated machine's cores) and `current_process`;
//! `Pool` is the prelude's.

use super::build::{namespace, native};
use super::handles::{make_handle, subclass_init};
use crate::python::classes::BuiltinClass;
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
        ],
    );
    rt.add_module("multiprocessing", mp);
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
    Outcome::Value(namespace(
        "Process",
        vec![
            ("name", Value::str(&name)),
            ("pid", Value::Int(1000 + p as i64)),
        ],
    ))
}

fn cpu_count(rt: &mut Runtime, _: Args) -> Outcome {
    Outcome::Value(Value::Int(rt.profile().cores as i64))
}

fn next_process_number(rt: &mut Runtime, _: Args) -> Outcome {
    Outcome::Value(Value::Int(rt.next_process_number() as i64))
}
