//! `logging`: the module, filled in by its Python code (`prelude/logging.py`, ported from
//! CPython's `Lib/logging/__init__.py`); where a logging call was made (CPython reads its
//! caller's frame) is the builtin `_caller()`, which the VM answers, as it sees the frames.

use super::build::{namespace, native};
use crate::python::runtime::{Args, Outcome, Runtime};
use crate::python::value::Value;

/// Makes `logging` importable; the prelude fills it in.
pub(super) fn install(rt: &mut Runtime) {
    rt.add_builtin("_caller", native("_caller", caller));
    rt.add_module("logging", namespace("module", Vec::new()));
}

/// Only reached if the VM did not answer the call itself: no frame known.
fn caller(rt: &mut Runtime, _: Args) -> Outcome {
    Outcome::Value(Value::tuple(vec![
        Value::Str(rt.program_name()),
        Value::Int(0),
        Value::str("<module>"),
    ]))
}
