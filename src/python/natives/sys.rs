//! `sys`: the program's `argv`, `exit`, the streams `stdout` and `stderr` (what is written
//! to them becomes the trace's printed lines, each marked with its stream), and facts about
//! the interpreter the kitchen stands for (CPython 3.11 on Linux).

use std::any::Any;

use super::build::{bound, err, namespace, native};
use crate::python::ops;
use crate::python::runtime::{Args, NativeFn, Outcome, Request, Runtime};
use crate::python::value::{ExcKind, Exception, Object, Value, ValueBox};

/// `sys.stdout` or `sys.stderr`.
pub struct TextStream {
    pub stderr: bool,
}

impl Object for TextStream {
    fn type_name(&self) -> &str {
        "TextIOWrapper"
    }
    fn repr(&self) -> String {
        let name = if self.stderr { "<stderr>" } else { "<stdout>" };
        format!("<_io.TextIOWrapper name='{name}' mode='w' encoding='utf-8'>")
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Makes `sys` importable.
pub(super) fn install(rt: &mut Runtime) {
    let argv = Value::list(vec![Value::Str(rt.program_name())]);
    let version_info = Value::tuple(vec![
        Value::Int(3),
        Value::Int(11),
        Value::Int(7),
        Value::str("final"),
        Value::Int(0),
    ]);
    let sys = namespace(
        "module",
        vec![
            ("argv", argv),
            ("exit", native("exit", exit)),
            ("stdout", Value::object(TextStream { stderr: false })),
            ("stderr", Value::object(TextStream { stderr: true })),
            ("platform", Value::str("linux")),
            (
                "version",
                Value::str("3.11.7 (the kitchen's simulated CPython)"),
            ),
            ("version_info", version_info),
            ("executable", Value::str("/usr/bin/python3")),
            ("maxsize", Value::Int(i64::MAX)),
            ("byteorder", Value::str("little")),
            (
                "getrecursionlimit",
                native("getrecursionlimit", recursion_limit),
            ),
            (
                "getswitchinterval",
                native("getswitchinterval", switch_interval),
            ),
        ],
    );
    rt.add_module("sys", sys);
    rt.add_attributes(stream_attributes);
}

/// The printed lines `text` makes on a stream: one per line, the newline that ends the text
/// not making an empty one.
pub(super) fn lines_to(text: &str, stderr: bool) -> Vec<Request> {
    let text = text.strip_suffix('\n').unwrap_or(text);
    text.split('\n')
        .map(|l| match stderr {
            true => Request::PrintErr(l.to_string()),
            false => Request::Print(l.to_string()),
        })
        .collect()
}

/// Whether `file` (a `print(file=...)` argument) is standard error; a `TypeError` message
/// for what is not one of the two streams.
pub(super) fn is_stderr(file: Option<&Value>) -> Result<bool, String> {
    match file {
        None | Some(Value::None) => Ok(false),
        Some(f) => match f.downcast::<TextStream>() {
            Some(s) => Ok(s.stderr),
            None => Err(format!(
                "print(file={}): the kitchen writes only to sys.stdout and sys.stderr",
                ops::repr(f)
            )),
        },
    }
}

const STREAM_METHODS: &[(&str, NativeFn)] = &[
    ("write", stream_write),
    ("flush", stream_flush),
    ("isatty", stream_isatty),
];

fn stream_attributes(obj: &Value, name: &str) -> Option<Value> {
    let s = obj.downcast::<TextStream>()?;
    match name {
        "name" => Some(Value::str(if s.stderr { "<stderr>" } else { "<stdout>" })),
        "encoding" => Some(Value::str("utf-8")),
        _ => bound(STREAM_METHODS, obj, name),
    }
}

fn stream_write(rt: &mut Runtime, a: Args) -> Outcome {
    let stderr = a
        .this
        .as_ref()
        .and_then(|v| v.downcast::<TextStream>())
        .is_some_and(|s| s.stderr);
    let Some(Value::Str(text)) = a.args.first() else {
        let got = a.args.first().map_or("nothing", |v| v.type_name());
        return err(
            ExcKind::TypeError,
            format!("write() argument must be str, not {got}"),
        );
    };
    let n = text.chars().count() as i64;
    if text.is_empty() {
        return Outcome::Value(Value::Int(0));
    }
    // Standard output keeps a line without its newline for the next write, as a terminal
    // shows it.
    let requests = match stderr {
        true => lines_to(text, true),
        false => rt.write_stdout(a.thread, text),
    };
    if requests.is_empty() {
        return Outcome::Value(Value::Int(n));
    }
    Outcome::Suspend(requests, Value::Int(n))
}

fn stream_flush(_: &mut Runtime, _: Args) -> Outcome {
    Outcome::Value(Value::None)
}

fn stream_isatty(_: &mut Runtime, _: Args) -> Outcome {
    Outcome::Value(Value::Bool(false))
}

/// `sys.exit([status])`: raises `SystemExit`, which ends the program quietly when nothing
/// catches it (its status, when not 0 or None, is noted in the trace).
fn exit(_: &mut Runtime, a: Args) -> Outcome {
    let code = a.args.first().cloned().unwrap_or(Value::None);
    let message = match &code {
        Value::None => String::new(),
        v => ops::to_str(v),
    };
    let mut e = Exception::new(ExcKind::SystemExit, message);
    e.value = Some(ValueBox(code));
    Outcome::Raise(e)
}

fn recursion_limit(_: &mut Runtime, _: Args) -> Outcome {
    Outcome::Value(Value::Int(1000))
}

fn switch_interval(rt: &mut Runtime, _: Args) -> Outcome {
    Outcome::Value(Value::Float(rt.profile().switch_interval_s))
}
