//! The runtime's state: everything a Python program can see (its threads and their frames,
//! its processes' globals, builtins and modules) and the bookkeeping of a run (wakes and task
//! events for the simulator, notes for the trace, the operation budget). The rooms beside this
//! file add the runtime's behaviour; this one only holds the data.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use super::loop_state::EventLoop;
use crate::core::clock::Nanos;
use crate::core::interpreter::TaskEvent;
use crate::core::profile::Profile;
use crate::python::error::PyError;
use crate::python::frame::{Frame, Globals};
use crate::python::sync::{Handle, ThreadId};
use crate::python::value::{Exception, Value};

/// Most interpreted operations a run may take (an endless loop must not freeze a tab).
pub const OP_BUDGET: u64 = 5_000_000;

/// Something a thread needs the simulator to do.
#[derive(Clone, Debug)]
pub enum Request {
    /// CPU work outside the interpreter loop (pickling, unpickling).
    Compute {
        ns: Nanos,
        label: String,
    },
    /// `time.sleep` or a wait for data in a pipe: releases the GIL.
    Sleep {
        secs: f64,
        label: String,
    },
    Print(String),
    StartThread {
        child: ThreadId,
    },
    StartProcess {
        child: ThreadId,
    },
}

/// What a new thread or process calls first: `target(*args, **kwargs)`.
pub type StartCall = (Value, Vec<Value>, Vec<(Rc<str>, Value)>);

pub struct PyThread {
    pub frames: Vec<Frame>,
    pub process: usize,
    pub name: String,
    pub handle: Rc<Handle>,
    pub pending: VecDeque<Request>,
    pub resume: Option<Result<Value, Exception>>,
    /// Set while the thread waits for a wake-up; the label says for what.
    pub blocked: Option<String>,
    /// CPU time spent interpreting, not yet charged by the simulator.
    pub cost: Nanos,
    pub event_loop: Option<EventLoop>,
    pub done: bool,
    /// The call a new thread makes first (its target).
    pub start: Option<StartCall>,
    /// The line shown while this thread's task is not running Python.
    pub last_line: Option<u32>,
}

/// One process's interpreter state.
pub struct ProcessState {
    pub globals: Globals,
    pub random: RefCell<crate::python::random::Random>,
    /// Counter for `Thread-N` names.
    pub thread_counter: Cell<u64>,
    pub name: String,
}

pub struct Runtime {
    pub profile: Profile,
    pub op_ns: Nanos,
    pub threads: Vec<PyThread>,
    pub processes: Vec<ProcessState>,
    pub builtins: HashMap<Rc<str>, Value>,
    pub modules: HashMap<String, Value>,
    pub prelude_globals: Globals,
    pub wakes: Vec<ThreadId>,
    pub task_events: Vec<TaskEvent>,
    pub notes: Vec<String>,
    pub now: Nanos,
    pub ops_done: u64,
    pub op_budget: u64,
    /// Line where the exception being raised started, for error messages.
    pub raise_line: Option<u32>,
    pub done_seq: u64,
    /// Counter for the names of child processes (`Process-N`, `ForkPoolWorker-N`).
    pub process_counter: u64,
    pub executor_counter: u64,
    /// Why the program stopped, when it failed.
    pub fatal: Option<PyError>,
}

impl Runtime {
    /// The module `name` (`concurrent.futures` and friends).
    pub fn module(&self, name: &str) -> Option<Value> {
        self.modules.get(name).cloned()
    }
}
