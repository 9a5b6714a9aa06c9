//! Queues: `queue.Queue` (a class a program may derive from) between threads of one process (also the executors' work queue), and
//! `multiprocessing.Queue` between processes, whose items are pickled (copied, at a cost
//! that grows with their size) and travel through a pipe.

use std::cell::RefCell;
use std::collections::VecDeque;

use super::build::{bound, err, namespace, native};
use crate::core::clock::from_secs;
use crate::core::trace::WaitOn;
use crate::python::classes::{BuiltinClass, Instance};
use crate::python::copy::{pickled_size, Copier};
use crate::python::ops;
use crate::python::runtime::{waiting_for, Args, NativeFn, Outcome, Request, Runtime};
use crate::python::sync::Channel;
use crate::python::value::{ExcKind, Exception, Value};

/// Makes `queue` importable, with the prelude's helpers for queues.
pub(super) fn install(rt: &mut Runtime) {
    rt.add_builtin("_thread_queue", native("_thread_queue", thread_queue));
    rt.add_builtin("_process_queue", native("_process_queue", process_queue));
    let queue = namespace(
        "module",
        vec![
            (
                "Queue",
                Value::object(BuiltinClass {
                    name: "Queue",
                    module: "queue",
                    new: native("Queue", thread_queue),
                    init: native("__init__", queue_init),
                }),
            ),
            ("SimpleQueue", native("SimpleQueue", thread_queue)),
            ("Empty", Value::ExcType(ExcKind::QueueEmpty)),
            ("Full", Value::ExcType(ExcKind::QueueFull)),
        ],
    );
    rt.add_module("queue", queue);
    rt.add_attributes(channel_attributes);
}

/// The methods of a queue.
const CHANNEL_METHODS: &[(&str, NativeFn)] = &[
    ("put", channel_put),
    ("put_nowait", channel_put),
    ("get", channel_get),
    ("get_nowait", channel_get),
    ("empty", channel_size),
    ("qsize", channel_size),
    ("full", channel_size),
    ("task_done", channel_noop),
    ("close", channel_noop),
    ("join_thread", channel_noop),
    ("cancel_join_thread", channel_noop),
];

fn channel_attributes(obj: &Value, name: &str) -> Option<Value> {
    obj.downcast::<Channel>()?;
    bound(CHANNEL_METHODS, obj, name)
}

/// Copies `v` into the globals of process `to` (from process `from`).
fn copy_between(
    rt: &Runtime,
    v: &Value,
    from: usize,
    to: usize,
    pickle: bool,
) -> Result<Value, Exception> {
    let mut c = Copier::new(rt.process_globals(from), rt.process_globals(to), pickle);
    c.copy(v)
}

/// Half of pickling-and-unpickling `v`: one side's CPU time.
fn pickle_half(rt: &Runtime, v: &Value) -> u64 {
    let s = pickled_size(v) as f64;
    let p = rt.profile();
    from_secs((p.pickle_s + s * p.pickle_byte_s) / 2.0)
}

fn new_channel(between_processes: bool) -> Value {
    Value::object(Channel {
        between_processes,
        items: RefCell::new(VecDeque::new()),
        origins: RefCell::new(VecDeque::new()),
        getters: RefCell::new(VecDeque::new()),
    })
}

fn thread_queue(_: &mut Runtime, _: Args) -> Outcome {
    Outcome::Value(new_channel(false))
}

/// `queue.Queue.__init__(self, maxsize=0)` for an instance of a subclass: its channel.
fn queue_init(_: &mut Runtime, a: Args) -> Outcome {
    let this = a.this.clone().or_else(|| a.args.first().cloned());
    match this.as_ref().and_then(|t| t.downcast::<Instance>()) {
        Some(inst) => {
            *inst.native.borrow_mut() = new_channel(false);
            Outcome::Value(Value::None)
        }
        None => err(ExcKind::TypeError, "Queue.__init__() needs an instance of a subclass"),
    }
}

pub(super) fn process_queue(_: &mut Runtime, _: Args) -> Outcome {
    Outcome::Value(new_channel(true))
}

fn channel_of(a: &Args) -> Option<&Channel> {
    a.this.as_ref().and_then(|v| v.downcast::<Channel>())
}

fn channel_put(rt: &mut Runtime, a: Args) -> Outcome {
    let Some(item) = a.args.first().cloned() else {
        return err(
            ExcKind::TypeError,
            "put() missing required argument: 'item'",
        );
    };
    let Some(ch) = channel_of(&a) else {
        return err(ExcKind::TypeError, "not a queue");
    };
    let from = rt.process_of(a.thread);
    let (item, cost) = if ch.between_processes {
        // Pickled now: later changes to the object do not travel.
        match copy_between(rt, &item, from, from, true) {
            Ok(v) => {
                let cost = pickle_half(rt, &v);
                (v, cost)
            }
            Err(e) => return Outcome::Raise(e),
        }
    } else {
        (item, 0)
    };
    let getter = ch.getters.borrow_mut().pop_front();
    match getter {
        Some(g) => {
            let delivered = if ch.between_processes {
                let to = rt.process_of(g);
                match copy_between(rt, &item, from, to, true) {
                    Ok(v) => {
                        let unpickle = pickle_half(rt, &v);
                        let ipc_s = rt.profile().ipc_s;
                        rt.queue_request(
                            g,
                            Request::Sleep {
                                secs: ipc_s,
                                label: "data through the pipe".into(),
                                on: WaitOn::Pipe,
                            },
                        );
                        rt.queue_request(
                            g,
                            Request::Compute {
                                ns: unpickle,
                                label: "unpickle".into(),
                            },
                        );
                        v
                    }
                    Err(e) => return Outcome::Raise(e),
                }
            } else {
                item
            };
            rt.took_work(&delivered, g);
            rt.wake_thread(g, Ok(delivered));
        }
        None => {
            ch.items.borrow_mut().push_back(item);
            ch.origins.borrow_mut().push_back(from);
        }
    }
    if cost > 0 {
        Outcome::Suspend(
            vec![Request::Compute {
                ns: cost,
                label: "pickle".into(),
            }],
            Value::None,
        )
    } else {
        Outcome::Value(Value::None)
    }
}

fn channel_get(rt: &mut Runtime, a: Args) -> Outcome {
    let Some(ch) = channel_of(&a) else {
        return err(ExcKind::TypeError, "not a queue");
    };
    let block = a.name == "get" && a.get(0, "block").is_none_or(ops::truthy);
    let item = ch.items.borrow_mut().pop_front();
    let origin = ch.origins.borrow_mut().pop_front();
    match item {
        Some(item) if ch.between_processes => {
            let to = rt.process_of(a.thread);
            match copy_between(rt, &item, origin.unwrap_or(to), to, true) {
                Ok(v) => {
                    let cost = pickle_half(rt, &v);
                    Outcome::Suspend(
                        vec![Request::Compute {
                            ns: cost,
                            label: "unpickle".into(),
                        }],
                        v,
                    )
                }
                Err(e) => Outcome::Raise(e),
            }
        }
        Some(item) => {
            rt.took_work(&item, a.thread);
            Outcome::Value(item)
        }
        None if !block => err(ExcKind::QueueEmpty, ""),
        None => {
            ch.getters.borrow_mut().push_back(a.thread);
            let what = if ch.between_processes {
                "multiprocessing.Queue.get()"
            } else {
                "queue.get()"
            };
            Outcome::Block {
                label: "queue.get()".into(),
                wait: waiting_for(WaitOn::Queue, what),
            }
        }
    }
}

fn channel_size(_: &mut Runtime, a: Args) -> Outcome {
    let n = channel_of(&a).map_or(0, |c| c.items.borrow().len());
    Outcome::Value(match a.name {
        "qsize" => Value::Int(n as i64),
        "full" => Value::Bool(false),
        _ => Value::Bool(n == 0),
    })
}

fn channel_noop(_: &mut Runtime, _: Args) -> Outcome {
    Outcome::Value(Value::None)
}
