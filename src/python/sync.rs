//! What threads and processes share and wait on: the handle of a `threading.Thread` or
//! `multiprocessing.Process`, `threading.Lock`, and the queues between threads and between
//! processes. These are the data; what starting, joining, locking and queueing do is in the
//! natives of `threading`, `multiprocessing` and `queue`.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use super::value::{Object, Value};

/// The interpreter's number for one of its threads (a process's main thread included).
pub type ThreadId = usize;

/// Whether a thread or process is still running.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Life {
    Created,
    Running,
    Done,
}

/// A `threading.Thread` or `multiprocessing.Process`.
pub struct Handle {
    pub is_process: bool,
    pub name: RefCell<String>,
    pub target: Value,
    pub args: Vec<Value>,
    pub kwargs: Vec<(Rc<str>, Value)>,
    pub life: Cell<Life>,
    pub thread: Cell<Option<ThreadId>>,
    pub joiners: RefCell<Vec<ThreadId>>,
    pub exitcode: Cell<Option<i64>>,
    /// A process's simulated id, or a thread's `ident`: `None` until it is started.
    pub pid: Cell<Option<i64>>,
    /// A daemon thread or process ends with the program instead of keeping it alive.
    pub daemon: Cell<bool>,
    /// For the handle a program made: the started thread's own handle (what
    /// `current_thread()` gives inside it), which learns its exit code.
    pub started: RefCell<Option<Rc<Handle>>>,
    /// Attributes a program (or the prelude's `Timer`) set on it, as on any Python object.
    pub attrs: RefCell<HashMap<Rc<str>, Value>>,
}

impl Object for Handle {
    fn type_name(&self) -> &str {
        if self.is_process {
            "Process"
        } else {
            "Thread"
        }
    }
    fn repr(&self) -> String {
        let state = match self.life.get() {
            Life::Created => "initial",
            Life::Running => "started",
            Life::Done => "stopped",
        };
        format!("<{}({}, {state})>", self.type_name(), self.name.borrow())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `threading.Lock()` or `threading.RLock()`: a thread that finds it taken blocks (releasing
/// the GIL) until the holder releases it, and then gets it directly. An RLock may be taken
/// again by its holder; it is free once released as many times.
#[derive(Default)]
pub struct Lock {
    pub locked: Cell<bool>,
    /// The thread that holds it, so a waiter can be shown waiting for that thread.
    pub holder: Cell<Option<ThreadId>>,
    pub waiters: RefCell<VecDeque<ThreadId>>,
    pub reentrant: bool,
    /// How many times an RLock's holder has taken it.
    pub count: Cell<u32>,
    /// Waiters of an RLock that will hold it this many times once they get it
    /// (`Condition.wait` giving the lock back to its holder, `_acquire_restore`).
    pub restore: RefCell<Vec<(ThreadId, u32)>>,
}

impl Object for Lock {
    fn type_name(&self) -> &str {
        if self.reentrant {
            "RLock"
        } else {
            "lock"
        }
    }
    fn repr(&self) -> String {
        let state = if self.locked.get() {
            "locked"
        } else {
            "unlocked"
        };
        if self.reentrant {
            return format!(
                "<{state} _thread.RLock object owner={} count={}>",
                self.holder.get().map_or(0, |t| t as i64),
                self.count.get()
            );
        }
        format!("<{state} _thread.lock object>")
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A queue between threads of one process (`queue.Queue`, the executor's work queue), or
/// between processes (`multiprocessing.Queue`: items are pickled and travel through a pipe).
pub struct Channel {
    pub between_processes: bool,
    /// What a getter waits for, in the program's words (`queue.get()`, `Connection.recv()`).
    pub what: &'static str,
    pub items: RefCell<VecDeque<Value>>,
    /// For each item, the process that put it (pickled functions are looked up by name in
    /// the receiving process, so the sender must be known).
    pub origins: RefCell<VecDeque<usize>>,
    pub getters: RefCell<VecDeque<ThreadId>>,
}

impl Object for Channel {
    fn type_name(&self) -> &str {
        "Queue"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `threading.local()`: attributes of its own for each thread.
#[derive(Default)]
pub struct Local {
    pub per_thread: RefCell<HashMap<ThreadId, HashMap<Rc<str>, Value>>>,
}

impl Object for Local {
    fn type_name(&self) -> &str {
        "_thread._local"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}
