//! `math`: `sqrt`, `floor`, `ceil`, `pi` and `e`.

use super::build::{err, namespace, native};
use crate::python::runtime::{Args, Outcome, Runtime};
use crate::python::value::{ExcKind, Value};

/// Makes `math` importable.
pub(super) fn install(rt: &mut Runtime) {
    let math = namespace(
        "module",
        vec![
            ("sqrt", native("sqrt", math_fn)),
            ("floor", native("floor", math_fn)),
            ("ceil", native("ceil", math_fn)),
            ("pi", Value::Float(std::f64::consts::PI)),
            ("e", Value::Float(std::f64::consts::E)),
        ],
    );
    rt.add_module("math", math);
}

fn math_fn(_: &mut Runtime, a: Args) -> Outcome {
    let x = match a.args.first() {
        Some(Value::Int(i)) => *i as f64,
        Some(Value::Float(f)) => *f,
        _ => return err(ExcKind::TypeError, "must be real number"),
    };
    match a.name {
        "sqrt" if x < 0.0 => err(ExcKind::ValueError, "math domain error"),
        "sqrt" => Outcome::Value(Value::Float(x.sqrt())),
        "floor" => Outcome::Value(Value::Int(x.floor() as i64)),
        _ => Outcome::Value(Value::Int(x.ceil() as i64)),
    }
}
