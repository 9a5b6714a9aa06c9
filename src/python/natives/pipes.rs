//! `multiprocessing.Pipe()`: two connections, each sending into the other's receiving end.
//! What is sent is pickled and travels as through a `multiprocessing.Queue` (the same
//! native queues, [`super::queue`]): `send` pays the pickling, `recv` waits for data through
//! the pipe and pays the unpickling. `Pipe(duplex=False)` gives a receiving and a sending end.

use std::any::Any;

use super::build::{bound, err};
use super::queue::{channel_get, channel_put, new_channel};
use crate::python::ops;
use crate::python::runtime::{Args, NativeFn, Outcome, Runtime};
use crate::python::value::{ExcKind, Object, Value};

/// One end of a pipe.
pub struct Connection {
    /// Where `send` puts (`None`: a receiving end only).
    send: Option<Value>,
    /// Where `recv` takes from (`None`: a sending end only).
    recv: Option<Value>,
}

impl Object for Connection {
    fn type_name(&self) -> &str {
        "Connection"
    }
    fn repr(&self) -> String {
        "<multiprocessing.connection.Connection object>".into()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `multiprocessing.Pipe(duplex=True)`.
pub(super) fn pipe(_: &mut Runtime, a: Args) -> Outcome {
    let duplex = a.get(0, "duplex").is_none_or(ops::truthy);
    let there = new_channel(true, "Connection.recv()");
    let back = new_channel(true, "Connection.recv()");
    let (first, second) = if duplex {
        (
            Connection {
                send: Some(there.clone()),
                recv: Some(back.clone()),
            },
            Connection {
                send: Some(back),
                recv: Some(there),
            },
        )
    } else {
        (
            Connection {
                send: None,
                recv: Some(there.clone()),
            },
            Connection {
                send: Some(there),
                recv: None,
            },
        )
    };
    Outcome::Value(Value::tuple(vec![
        Value::object(first),
        Value::object(second),
    ]))
}

const CONNECTION_METHODS: &[(&str, NativeFn)] = &[
    ("send", send),
    ("recv", recv),
    ("poll", poll),
    ("close", close),
];

pub(super) fn connection_attributes(obj: &Value, name: &str) -> Option<Value> {
    obj.downcast::<Connection>()?;
    bound(CONNECTION_METHODS, obj, name)
}

fn this(a: &Args) -> Option<&Connection> {
    a.this.as_ref().and_then(|v| v.downcast::<Connection>())
}

fn send(rt: &mut Runtime, a: Args) -> Outcome {
    let Some(ch) = this(&a).and_then(|c| c.send.clone()) else {
        return err(ExcKind::OSError, "connection is read-only");
    };
    channel_put(
        rt,
        Args {
            name: "put",
            this: Some(ch),
            ..a
        },
    )
}

fn recv(rt: &mut Runtime, a: Args) -> Outcome {
    let Some(ch) = this(&a).and_then(|c| c.recv.clone()) else {
        return err(ExcKind::OSError, "connection is write-only");
    };
    channel_get(
        rt,
        Args {
            name: "get",
            this: Some(ch),
            args: Vec::new(),
            kwargs: Vec::new(),
            ..a
        },
    )
}

/// `conn.poll()`: whether there is something to receive now (a timeout is not waited: the
/// answer is the one at the call).
fn poll(_: &mut Runtime, a: Args) -> Outcome {
    let Some(ch) = this(&a).and_then(|c| c.recv.clone()) else {
        return err(ExcKind::OSError, "connection is write-only");
    };
    let ready = ch
        .downcast::<crate::python::sync::Channel>()
        .is_some_and(|c| !c.items.borrow().is_empty());
    Outcome::Value(Value::Bool(ready))
}

fn close(_: &mut Runtime, _: Args) -> Outcome {
    Outcome::Value(Value::None)
}
