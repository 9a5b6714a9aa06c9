//! `random`'s functions, on the generator of the calling thread's process (CPython's
//! Mersenne Twister, bit for bit: `python::random`).

use num_bigint::BigInt;

use super::build::{err, namespace, native};
use crate::python::ops;
use crate::python::random::Random;
use crate::python::runtime::{Args, Outcome, Runtime};
use crate::python::value::{ExcKind, Exception, Value};

/// Makes `random` importable.
pub(super) fn install(rt: &mut Runtime) {
    let names = [
        "seed",
        "random",
        "randint",
        "randrange",
        "choice",
        "shuffle",
        "uniform",
    ];
    let random = namespace(
        "module",
        names.iter().map(|&n| (n, native(n, random_fn))).collect(),
    );
    rt.add_module("random", random);
}

fn int_arg(v: Option<&Value>) -> Result<BigInt, Exception> {
    match v {
        Some(Value::Int(i)) => Ok(BigInt::from(*i)),
        Some(Value::BigInt(b)) => Ok((**b).clone()),
        Some(Value::Bool(b)) => Ok(BigInt::from(*b as i64)),
        Some(other) => Err(Exception::new(
            ExcKind::TypeError,
            format!(
                "'{}' object cannot be interpreted as an integer",
                other.type_name()
            ),
        )),
        None => Err(Exception::new(
            ExcKind::TypeError,
            "missing an integer argument",
        )),
    }
}

fn random_fn(rt: &mut Runtime, a: Args) -> Outcome {
    let mut rng = rt.random_of(a.thread).borrow_mut();
    let value_err = |m: String| Outcome::Raise(Exception::new(ExcKind::ValueError, m));
    match a.name {
        "seed" => match a.args.first() {
            None | Some(Value::None) => {
                *rng = Random::default();
                Outcome::Value(Value::None)
            }
            Some(v) => match int_arg(Some(v)) {
                Ok(b) => {
                    rng.seed_bigint(&b);
                    Outcome::Value(Value::None)
                }
                Err(_) => err(
                    ExcKind::TypeError,
                    "random.seed() in the kitchen takes an int",
                ),
            },
        },
        "random" => Outcome::Value(Value::Float(rng.random())),
        "uniform" => {
            let f = |v: Option<&Value>| match v {
                Some(Value::Int(i)) => *i as f64,
                Some(Value::Float(f)) => *f,
                _ => 0.0,
            };
            Outcome::Value(Value::Float(
                rng.uniform(f(a.args.first()), f(a.args.get(1))),
            ))
        }
        "randint" => match (int_arg(a.args.first()), int_arg(a.args.get(1))) {
            (Ok(x), Ok(y)) => match rng.randint(&x, &y) {
                Ok(v) => Outcome::Value(Value::from_bigint(v)),
                Err(m) => value_err(m),
            },
            (Err(e), _) | (_, Err(e)) => Outcome::Raise(e),
        },
        "randrange" => {
            let ints: Result<Vec<BigInt>, _> = a.args.iter().map(|v| int_arg(Some(v))).collect();
            let ints = match ints {
                Ok(i) => i,
                Err(e) => return Outcome::Raise(e),
            };
            let r = match ints.as_slice() {
                [stop] => rng.randrange(stop, None, None),
                [start, stop] => rng.randrange(start, Some(stop), None),
                [start, stop, step] => rng.randrange(start, Some(stop), Some(step)),
                _ => return err(ExcKind::TypeError, "randrange expected 1 to 3 arguments"),
            };
            match r {
                Ok(v) => Outcome::Value(Value::from_bigint(v)),
                Err(m) => value_err(m),
            }
        }
        "choice" => {
            let items = match a.args.first().map(ops::to_vec) {
                Some(Ok(v)) => v,
                Some(Err(e)) => return Outcome::Raise(e),
                None => return err(ExcKind::TypeError, "choice() missing argument"),
            };
            match rng.choice_index(items.len()) {
                Ok(i) => Outcome::Value(items[i].clone()),
                Err(m) => err(ExcKind::IndexError, m),
            }
        }
        "shuffle" => match a.args.first() {
            Some(Value::List(l)) => {
                rng.shuffle(&mut l.borrow_mut());
                Outcome::Value(Value::None)
            }
            _ => err(ExcKind::TypeError, "shuffle() needs a list"),
        },
        _ => err(
            ExcKind::AttributeError,
            "not supported by the kitchen's random",
        ),
    }
}
