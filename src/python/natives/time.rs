//! `time`: `sleep` (which releases the GIL) and the clocks, all on the simulated clock.
//! `time.time()` is that clock plus a fixed epoch, so runs stay deterministic.

use super::build::{err, namespace, native};
use crate::core::trace::WaitOn;
use crate::python::ops;
use crate::python::runtime::{Args, Outcome, Request, Runtime};
use crate::python::value::{ExcKind, Value};

/// Makes `time` importable; the loop's clock is the prelude's `_loop_time`.
pub(super) fn install(rt: &mut Runtime) {
    rt.add_builtin("_loop_time", native("_loop_time", now));
    let time = namespace(
        "module",
        vec![
            ("sleep", native("sleep", time_sleep)),
            ("time", native("time", wall_time)),
            ("perf_counter", native("perf_counter", now)),
            ("monotonic", native("monotonic", now)),
        ],
    );
    rt.add_module("time", time);
}

/// The longest sleep a program gets: a day of simulated time is plenty, longer would only
/// make the trace unreadable. Longer sleeps are clamped with a note in the trace.
const MAX_SLEEP_S: f64 = 86_400.0;

/// The seconds of a sleep: any number (a huge int included), clamped to [`MAX_SLEEP_S`] with a
/// note saying so; `None` for what is not a number.
pub(super) fn sleep_seconds(rt: &mut Runtime, v: Option<&Value>, what: &str) -> Option<f64> {
    use num_traits::ToPrimitive;
    let secs = match v? {
        Value::Int(i) => *i as f64,
        Value::BigInt(b) => b.to_f64().unwrap_or(f64::INFINITY),
        Value::Float(f) => *f,
        Value::Bool(b) => *b as i64 as f64,
        _ => return None,
    };
    if secs > MAX_SLEEP_S {
        rt.note(format!(
            "{what}({}) sleeps {MAX_SLEEP_S} s at most here: clamped",
            ops::to_str(v?)
        ));
        return Some(MAX_SLEEP_S);
    }
    Some(secs)
}

fn time_sleep(rt: &mut Runtime, a: Args) -> Outcome {
    let Some(secs) = sleep_seconds(rt, a.args.first(), "time.sleep") else {
        return err(ExcKind::TypeError, "time.sleep() needs a number of seconds");
    };
    if secs < 0.0 || secs.is_nan() {
        return err(ExcKind::ValueError, "sleep length must be non-negative");
    }
    Outcome::Suspend(
        vec![Request::Sleep {
            secs,
            label: format!("time.sleep({})", ops::to_str(&a.args[0])),
            on: WaitOn::Timer,
        }],
        Value::None,
    )
}

fn now(rt: &mut Runtime, a: Args) -> Outcome {
    Outcome::Value(Value::Float(rt.now_s(a.thread)))
}

/// `time.time()`: the simulated clock plus a fixed epoch, so it looks like a real date.
fn wall_time(rt: &mut Runtime, a: Args) -> Outcome {
    Outcome::Value(Value::Float(1_767_225_600.0 + rt.now_s(a.thread)))
}
