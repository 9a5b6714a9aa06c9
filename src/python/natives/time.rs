//! `time`: `sleep` (which releases the GIL) and the clocks, all on the simulated clock.
//! `time.time()` is that clock plus a fixed epoch (2026-01-01 00:00:00 UTC, see
//! [`super::calendar`]), so runs stay deterministic; the dates (`localtime`, `strftime`,
//! `ctime`) are of that clock, in UTC.

use super::build::{err, namespace, native};
use super::calendar::{asctime, broken_down, strftime, unix_time, StructTime, EPOCH_S};
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
            ("time_ns", native("time_ns", wall_time)),
            ("perf_counter", native("perf_counter", now)),
            ("perf_counter_ns", native("perf_counter_ns", now)),
            ("monotonic", native("monotonic", now)),
            ("monotonic_ns", native("monotonic_ns", now)),
            ("gmtime", native("gmtime", date)),
            ("localtime", native("localtime", date)),
            ("mktime", native("mktime", mktime)),
            ("strftime", native("strftime", time_strftime)),
            ("asctime", native("asctime", time_asctime)),
            ("ctime", native("ctime", ctime)),
            ("timezone", Value::Int(0)),
            ("altzone", Value::Int(0)),
            ("daylight", Value::Int(0)),
            (
                "tzname",
                Value::tuple(vec![Value::str("UTC"), Value::str("UTC")]),
            ),
        ],
    );
    rt.add_module("time", time);
    rt.add_attributes(struct_time_attributes);
}

/// `t.tm_year` and the other fields of a `struct_time`.
fn struct_time_attributes(obj: &Value, name: &str) -> Option<Value> {
    let t = obj.downcast::<StructTime>()?;
    if name == "tm_zone" {
        return Some(Value::str(if t.gmt { "GMT" } else { "UTC" }));
    }
    if name == "tm_gmtoff" {
        return Some(Value::Int(0));
    }
    let (_, v) = t.fields().into_iter().find(|(k, _)| *k == name)?;
    Some(Value::Int(v))
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

/// A clock in seconds, or in whole nanoseconds for the `_ns` ones.
fn clock(secs: f64, name: &str) -> Outcome {
    if name.ends_with("_ns") {
        Outcome::Value(Value::Int((secs * 1e9).round() as i64))
    } else {
        Outcome::Value(Value::Float(secs))
    }
}

fn now(rt: &mut Runtime, a: Args) -> Outcome {
    clock(rt.now_s(a.thread), a.name)
}

/// `time.time()`: the simulated clock plus a fixed epoch, so it looks like a real date.
fn wall_time(rt: &mut Runtime, a: Args) -> Outcome {
    clock(EPOCH_S + rt.now_s(a.thread), a.name)
}

/// The Unix time argument of `gmtime`, `localtime` and `ctime`: now when absent or `None`.
fn seconds_or_now(rt: &Runtime, a: &Args) -> Result<f64, Outcome> {
    use num_traits::ToPrimitive;
    match a.args.first() {
        None | Some(Value::None) => Ok(EPOCH_S + rt.now_s(a.thread)),
        Some(Value::Int(i)) => Ok(*i as f64),
        Some(Value::Bool(b)) => Ok(*b as i64 as f64),
        Some(Value::BigInt(b)) => b.to_f64().filter(|f| f.abs() < 1e15).ok_or_else(|| {
            err(
                ExcKind::OverflowError,
                "timestamp out of range for platform time_t",
            )
        }),
        Some(Value::Float(f)) if f.is_finite() && f.abs() < 1e15 => Ok(*f),
        Some(Value::Float(_)) => err_out(
            ExcKind::OverflowError,
            "timestamp out of range for platform time_t",
        ),
        Some(other) => err_out(
            ExcKind::TypeError,
            format!(
                "'{}' object cannot be interpreted as an integer",
                other.type_name()
            ),
        ),
    }
}

fn err_out<T>(kind: ExcKind, msg: impl Into<String>) -> Result<T, Outcome> {
    Err(err(kind, msg))
}

/// `gmtime([secs])` and `localtime([secs])` (the simulated machine is on UTC).
fn date(rt: &mut Runtime, a: Args) -> Outcome {
    match seconds_or_now(rt, &a) {
        Ok(secs) => Outcome::Value(Value::object(broken_down(secs, a.name == "gmtime"))),
        Err(e) => e,
    }
}

/// A `struct_time` argument (or a 9-tuple of ints); now's local date when absent.
fn struct_time_arg(rt: &Runtime, a: &Args, i: usize) -> Result<StructTime, Outcome> {
    let Some(v) = a.args.get(i).filter(|v| !matches!(v, Value::None)) else {
        return Ok(broken_down(EPOCH_S + rt.now_s(a.thread), false));
    };
    if let Some(t) = v.downcast::<StructTime>() {
        return Ok(*t);
    }
    let bad = || err(ExcKind::TypeError, "Tuple or struct_time argument required");
    let Value::Tuple(items) = v else {
        return Err(bad());
    };
    let ints: Vec<i64> = items
        .iter()
        .map(|x| match x {
            Value::Int(i) => Some(*i),
            _ => None,
        })
        .collect::<Option<_>>()
        .ok_or_else(bad)?;
    let [year, mon, mday, hour, min, sec, ..] = ints[..] else {
        return err_out(
            ExcKind::TypeError,
            format!(
                "time.struct_time() takes a 9-sequence ({}-sequence given)",
                ints.len()
            ),
        );
    };
    let t = StructTime {
        year,
        mon,
        mday,
        hour,
        min,
        sec,
        wday: 0,
        yday: 0,
        gmt: false,
    };
    // The weekday and day of the year follow from the date, as mktime works them out.
    Ok(broken_down(unix_time(&t), false))
}

fn mktime(rt: &mut Runtime, a: Args) -> Outcome {
    match struct_time_arg(rt, &a, 0) {
        Ok(t) => Outcome::Value(Value::Float(unix_time(&t))),
        Err(e) => e,
    }
}

fn time_strftime(rt: &mut Runtime, a: Args) -> Outcome {
    let Some(Value::Str(format)) = a.args.first() else {
        return err(ExcKind::TypeError, "strftime() argument 1 must be str");
    };
    let format = format.clone();
    match struct_time_arg(rt, &a, 1) {
        Ok(t) => Outcome::Value(Value::str(&strftime(&format, &t))),
        Err(e) => e,
    }
}

fn time_asctime(rt: &mut Runtime, a: Args) -> Outcome {
    match struct_time_arg(rt, &a, 0) {
        Ok(t) => Outcome::Value(Value::str(&asctime(&t))),
        Err(e) => e,
    }
}

fn ctime(rt: &mut Runtime, a: Args) -> Outcome {
    match seconds_or_now(rt, &a) {
        Ok(secs) => Outcome::Value(Value::str(&asctime(&broken_down(secs, false)))),
        Err(e) => e,
    }
}
