//! `os`: the simulated process ids (`getpid`, `getppid`, the same ids `multiprocessing`
//! gives), the simulated machine's `cpu_count`, and an empty environment. Files, paths and
//! the rest of the operating system are not part of the kitchen.

use super::build::{namespace, native};
use crate::python::runtime::{Args, Outcome, Runtime};
use crate::python::value::{Dict, Value};

/// Makes `os` importable.
pub(super) fn install(rt: &mut Runtime) {
    let os = namespace(
        "module",
        vec![
            ("getpid", native("getpid", getpid)),
            ("getppid", native("getppid", getppid)),
            ("cpu_count", native("cpu_count", cpu_count)),
            ("getenv", native("getenv", getenv)),
            ("environ", Value::dict(Dict::new())),
            ("name", Value::str("posix")),
            ("sep", Value::str("/")),
            ("linesep", Value::str("\n")),
        ],
    );
    rt.add_module("os", os);
}

fn getpid(rt: &mut Runtime, a: Args) -> Outcome {
    Outcome::Value(Value::Int(rt.pid(rt.process_of(a.thread))))
}

fn getppid(rt: &mut Runtime, a: Args) -> Outcome {
    Outcome::Value(Value::Int(rt.ppid(rt.process_of(a.thread))))
}

fn cpu_count(rt: &mut Runtime, _: Args) -> Outcome {
    Outcome::Value(Value::Int(rt.profile().cores as i64))
}

/// `os.getenv(key, default=None)`: the simulated environment is empty.
fn getenv(_: &mut Runtime, a: Args) -> Outcome {
    Outcome::Value(a.get(1, "default").cloned().unwrap_or(Value::None))
}
