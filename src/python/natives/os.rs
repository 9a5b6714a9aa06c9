//! `os`: the simulated process ids (`getpid`, `getppid`, the same ids `multiprocessing`
//! gives), the simulated machine's `cpu_count`, `urandom` (deterministic: a generator seeded
//! from the process and the moment of the call, so every run prints the same bytes and
//! `random`'s own sequence is left alone), and an empty environment. Files, paths and
//! the rest of the operating system are not part of the kitchen.

use super::build::{err, namespace, native};
use crate::python::bytes::new_bytes;
use crate::python::random::Random;
use crate::python::runtime::{Args, Outcome, Runtime};
use crate::python::value::{Dict, ExcKind, Value};

/// The most bytes one `os.urandom` call makes (a program asking for more is refused).
const MAX_URANDOM: i64 = 1 << 20;

/// Makes `os` importable.
pub(super) fn install(rt: &mut Runtime) {
    let os = namespace(
        "module",
        vec![
            ("getpid", native("getpid", getpid)),
            ("getppid", native("getppid", getppid)),
            ("cpu_count", native("cpu_count", cpu_count)),
            ("getenv", native("getenv", getenv)),
            ("urandom", native("urandom", urandom)),
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

/// `os.urandom(n)`: `n` bytes from a generator seeded with the process id, the operations run
/// so far and the simulated moment, which differ from call to call but not from run to run.
fn urandom(rt: &mut Runtime, a: Args) -> Outcome {
    let n = match a.get(0, "size") {
        Some(Value::Int(n)) if (0..=MAX_URANDOM).contains(n) => *n as usize,
        Some(Value::Int(n)) if *n < 0 => {
            return err(ExcKind::ValueError, "negative argument not allowed")
        }
        Some(Value::Int(_)) => {
            return err(
                ExcKind::ValueError,
                format!("os.urandom(): the kitchen makes at most {MAX_URANDOM} bytes at once"),
            )
        }
        _ => return err(ExcKind::TypeError, "os.urandom() takes an int"),
    };
    let pid = rt.pid(rt.process_of(a.thread)) as u64;
    let seed = (pid << 40) ^ rt.progress().ops ^ rt.now_s(a.thread).to_bits();
    let mut rng = Random::new(seed);
    let data = (0..n).map(|_| rng.next_u32() as u8).collect();
    Outcome::Value(new_bytes(data))
}
