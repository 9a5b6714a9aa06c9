//! The interpreter's objects: functions, generators, native functions, namespaces, iterators,
//! and the concurrency objects (threads, locks, futures, queues, processes) that programs
//! create. Their behaviour lives in the runtime; these are the data.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use super::bytecode::{CodeKind, FunctionTemplate};
use super::runtime::{Outcome, Runtime, ThreadId};
use super::value::{Exception, Object, Value};
use super::vm::Frame;

/// A module's global variables.
pub type Globals = Rc<RefCell<HashMap<Rc<str>, Value>>>;

/// The names and values of `globals` at this moment, to go through while it may change.
pub fn snapshot(globals: &Globals) -> Vec<(Rc<str>, Value)> {
    globals
        .borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The local variables of one function call. Closures keep their defining call's `Env`.
#[derive(Debug, Default)]
pub struct Env {
    pub slots: RefCell<Vec<Option<Value>>>,
    pub parent: Option<Rc<Env>>,
}

impl Env {
    pub fn new(size: usize, parent: Option<Rc<Env>>) -> Rc<Env> {
        Rc::new(Env {
            slots: RefCell::new(vec![None; size]),
            parent,
        })
    }
}

/// A `def`, `lambda` or comprehension, bound to its defaults and surroundings.
pub struct Function {
    pub template: Rc<FunctionTemplate>,
    pub defaults: Vec<Value>,
    pub kwdefaults: Vec<(Rc<str>, Value)>,
    pub env: Option<Rc<Env>>,
    pub globals: Globals,
}

impl Object for Function {
    fn type_name(&self) -> &str {
        "function"
    }
    fn repr(&self) -> String {
        format!("<function {}>", self.template.code.name)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A generator or coroutine: a suspended frame and its state.
pub struct Generator {
    pub state: Rc<GenState>,
}

pub struct GenState {
    pub frame: RefCell<Option<Box<Frame>>>,
    pub started: Cell<bool>,
    pub running: Cell<bool>,
    pub done: Cell<bool>,
    pub kind: CodeKind,
    pub name: Rc<str>,
}

impl Object for Generator {
    fn type_name(&self) -> &str {
        match self.state.kind {
            CodeKind::Coroutine => "coroutine",
            _ => "generator",
        }
    }
    fn repr(&self) -> String {
        format!("<{} object {}>", self.type_name(), self.state.name)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// What a native function receives.
pub struct Args {
    /// The function's name (one Rust function may serve several builtins).
    pub name: &'static str,
    pub thread: ThreadId,
    /// The object a method was looked up on.
    pub this: Option<Value>,
    pub args: Vec<Value>,
    pub kwargs: Vec<(Rc<str>, Value)>,
}

impl Args {
    /// The `i`-th positional argument or the keyword `name`.
    pub fn get(&self, i: usize, name: &str) -> Option<&Value> {
        self.args.get(i).or_else(|| {
            self.kwargs
                .iter()
                .find(|(k, _)| &**k == name)
                .map(|(_, v)| v)
        })
    }
}

pub type NativeFn = fn(&mut Runtime, Args) -> Outcome;

/// A function written in Rust, possibly bound to an object (a method).
pub struct Native {
    pub name: &'static str,
    pub f: NativeFn,
    pub this: Option<Value>,
    /// Whether generators passed to it are first run to the end and turned into lists
    /// (`list(gen)`, `sum(gen)`, `", ".join(gen)`).
    pub materialize: bool,
}

impl Object for Native {
    fn type_name(&self) -> &str {
        "builtin_function_or_method"
    }
    fn repr(&self) -> String {
        format!("<built-in function {}>", self.name)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A method of a data value (`"a".upper`, `items.append`), carried out by `ops::call_method`.
pub struct BoundData {
    pub this: Value,
    pub name: Rc<str>,
}

impl Object for BoundData {
    fn type_name(&self) -> &str {
        "builtin_function_or_method"
    }
    fn repr(&self) -> String {
        format!(
            "<built-in method {} of {} object>",
            self.name,
            self.this.type_name()
        )
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A module, or an object built by the prelude (an executor, a semaphore): named attributes.
pub struct Namespace {
    pub type_name: Rc<str>,
    pub attrs: RefCell<HashMap<Rc<str>, Value>>,
}

impl Object for Namespace {
    fn type_name(&self) -> &str {
        &self.type_name
    }
    fn repr(&self) -> String {
        format!("<{} object>", self.type_name)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// An iterator over a list, tuple, string, range or dict.
pub struct NativeIter {
    pub source: Value,
    pub index: Cell<u64>,
    /// For dicts: the keys when iteration began.
    pub keys: Option<Vec<Value>>,
}

impl Object for NativeIter {
    fn type_name(&self) -> &str {
        "iterator"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

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
    pub pid: u32,
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

/// `threading.Lock()`: a thread that finds it taken blocks (releasing the GIL) until the
/// holder releases it, and then gets it directly.
#[derive(Default)]
pub struct Lock {
    pub locked: Cell<bool>,
    pub waiters: RefCell<VecDeque<ThreadId>>,
}

impl Object for Lock {
    fn type_name(&self) -> &str {
        "lock"
    }
    fn repr(&self) -> String {
        let state = if self.locked.get() {
            "locked"
        } else {
            "unlocked"
        };
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

/// Whether a future has finished, and how.
#[derive(Clone)]
pub enum FutState {
    Pending,
    Done(Value),
    Failed(Exception),
    Cancelled,
}

/// Who to tell when a future finishes.
#[derive(Clone)]
pub enum Waker {
    /// An asyncio task awaiting it: schedule the task's next step.
    Task(Rc<Future>),
    /// A thread blocked in `result()`: it gets the result.
    Thread(ThreadId),
    /// A thread waiting for any of several futures (`as_completed`): it just wakes.
    ThreadNone(ThreadId),
    /// Another future that mirrors this one (`wrap_future`: a concurrent future seen from
    /// asyncio).
    Chain(Rc<Future>),
    /// Another future that just learns that this one finished (result `None`).
    Notify(Rc<Future>),
    /// The `index`-th child of a `gather`.
    Gather(Rc<Future>, usize),
}

/// What makes a future an asyncio task.
pub struct TaskPart {
    pub coro: Value,
    pub lane: usize,
    pub name: String,
    /// Set by `cancel()`: the next step throws `CancelledError` into the coroutine.
    pub must_cancel: Cell<bool>,
    /// The future the task waits for, if any.
    pub waiting_on: RefCell<Option<Rc<Future>>>,
}

/// An asyncio future or task, or a `concurrent.futures.Future`.
/// A `gather`'s results so far (by position), how many are still missing, and whether
/// exceptions are returned as results.
pub type GatherState = (Vec<Option<Value>>, usize, bool);

pub struct Future {
    pub state: RefCell<FutState>,
    pub waiters: RefCell<Vec<Waker>>,
    /// The thread whose event loop an asyncio future belongs to; `None` for concurrent futures.
    pub event_loop: Option<ThreadId>,
    pub task: Option<TaskPart>,
    /// Order of completion, for `as_completed`.
    pub done_seq: Cell<u64>,
    /// For `gather`: children results, and how many are still pending.
    pub gather: Option<RefCell<GatherState>>,
    /// What a task awaiting this future is shown doing, e.g. `sleep 30 s`.
    pub label: String,
}

impl Future {
    pub fn is_done(&self) -> bool {
        !matches!(*self.state.borrow(), FutState::Pending)
    }
}

/// A value holding an `Rc<Future>`, so the runtime can keep and compare futures.
pub struct FutureObj(pub Rc<Future>);

impl Object for FutureObj {
    fn type_name(&self) -> &str {
        if self.0.task.is_some() {
            "Task"
        } else {
            "Future"
        }
    }
    fn repr(&self) -> String {
        let state = match &*self.0.state.borrow() {
            FutState::Pending => "pending",
            FutState::Done(_) | FutState::Failed(_) => "finished",
            FutState::Cancelled => "cancelled",
        };
        match &self.0.task {
            Some(t) => format!("<Task {state} name='{}'>", t.name),
            None => format!("<Future {state}>"),
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `asyncio.sleep(secs)`: starts its timer when first awaited, as CPython's coroutine does.
pub struct SleepAwaitable {
    pub secs: f64,
    pub result: Value,
    pub future: RefCell<Option<Rc<Future>>>,
}

impl Object for SleepAwaitable {
    fn type_name(&self) -> &str {
        "coroutine"
    }
    fn repr(&self) -> String {
        "<coroutine object sleep>".into()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}
