//! The runtime's state: everything a Python program can see (its threads and their frames,
//! its processes' globals, builtins and modules) and the bookkeeping of a run (wakes and task
//! events for the simulator, notes for the trace, the run's limits). The rooms beside this
//! file add the runtime's behaviour; this one only holds the data.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use super::budget::Limits;
use super::loop_state::EventLoop;
use crate::core::clock::{to_secs, Nanos};
use crate::core::fast_hash::FastMap;
use crate::core::interpreter::{TaskEvent, WaitingFor};
use crate::core::profile::CheckedProfile;
use crate::core::trace::WaitOn;
use crate::python::error::PyError;
use crate::python::frame::{Frame, Globals};
use crate::python::random::Random;
use crate::python::sync::{Handle, ThreadId};
use crate::python::value::{Exception, Value};

/// Something a thread needs the simulator to do.
#[derive(Clone, Debug)]
pub enum Request {
    /// CPU work outside the interpreter loop (pickling, unpickling).
    Compute {
        ns: Nanos,
        label: String,
    },
    /// `time.sleep` or a wait for data in a pipe: releases the GIL. `on` says which
    /// ([`WaitOn::Timer`] or [`WaitOn::Pipe`]).
    Sleep {
        secs: f64,
        label: String,
        on: WaitOn,
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

/// How a library module gives the attributes of its own objects (a lock's `acquire`, a
/// thread's `name`): `None` when `obj` is not its kind of object or has no such attribute.
/// The natives register one per kind of object ([`Runtime::add_attributes`]), so the runtime
/// looks attributes up without knowing the library.
pub type AttrLookup = fn(obj: &Value, name: &str) -> Option<Value>;

/// One interpreter thread: a process's main thread, a `Thread`, or the thread a `Process`
/// runs in.
pub(super) struct PyThread {
    pub(super) frames: Vec<Frame>,
    pub(super) process: usize,
    pub(super) name: String,
    pub(super) handle: Rc<Handle>,
    pub(super) pending: VecDeque<Request>,
    pub(super) resume: Option<Result<Value, Exception>>,
    /// Set while the thread waits for a wake-up; the label says for what.
    pub(super) blocked: Option<String>,
    /// What the thread waits for while it sleeps or is blocked, for the trace.
    pub(super) waiting: Option<WaitingFor>,
    /// CPU time spent interpreting, not yet charged by the simulator.
    pub(super) cost: Nanos,
    /// Turns of fast-path loops within `cost` (the real work a real-time run does).
    pub(super) turns: u64,
    pub(super) event_loop: Option<EventLoop>,
    pub(super) done: bool,
    /// The call a new thread makes first (its target).
    pub(super) start: Option<StartCall>,
    /// The line shown while this thread's task is not running Python.
    pub(super) last_line: Option<u32>,
}

/// One process's interpreter state.
pub(super) struct ProcessState {
    pub(super) globals: Globals,
    pub(super) random: RefCell<Random>,
    /// Counter for `Thread-N` names.
    pub(super) thread_counter: Cell<u64>,
    pub(super) name: String,
}

/// Everything a running program can see, and the bookkeeping of its run. Its fields are the
/// runtime's own (its rooms in `runtime/` use them); the natives go through the methods.
pub struct Runtime {
    /// The machine, checked where the run began (see [`CheckedProfile`]).
    pub(super) profile: CheckedProfile,
    pub(super) op_ns: Nanos,
    pub(super) threads: Vec<PyThread>,
    pub(super) processes: Vec<ProcessState>,
    pub(super) builtins: FastMap<Rc<str>, Value>,
    pub(super) modules: HashMap<String, Value>,
    pub(super) attr_lookups: Vec<AttrLookup>,
    pub(super) prelude_globals: Globals,
    pub(super) wakes: Vec<ThreadId>,
    pub(super) task_events: Vec<TaskEvent>,
    pub(super) notes: Vec<String>,
    pub(super) now: Nanos,
    /// Interpreted operations done (the prelude's not counted).
    pub(super) ops_done: u64,
    /// The operation budget and the watchers (see `budget`).
    pub(super) limits: Limits,
    /// When `ops_done` reaches this, the VM checks the limits.
    pub(super) next_check: u64,
    /// Line where the exception being raised started, for error messages.
    pub(super) raise_line: Option<u32>,
    pub(super) done_seq: u64,
    /// Counter for the names of child processes (`Process-N`, `ForkPoolWorker-N`).
    pub(super) process_counter: u64,
    pub(super) executor_counter: u64,
    /// Why the program stopped, when it failed.
    pub(super) fatal: Option<PyError>,
    /// The methods of `object` and `BaseException` (by base, name), from the natives.
    pub(super) base_attrs: Vec<(&'static str, &'static str, Value)>,
    /// Instances made so far (their numbers give their default reprs' addresses).
    pub(super) instances_made: u64,
}

impl Runtime {
    /// The machine the program runs on.
    pub fn profile(&self) -> &CheckedProfile {
        &self.profile
    }

    /// Adds a note to the trace (a clamped value, an exception in a thread).
    pub fn note(&mut self, text: String) {
        self.notes.push(text);
    }

    /// The notes so far, taken out of the runtime (for the trace).
    pub fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }

    /// The latest note, if any.
    pub fn last_note(&self) -> Option<&str> {
        self.notes.last().map(String::as_str)
    }

    /// Why the program failed, once the simulator said it did.
    pub fn take_fatal(&mut self) -> Option<PyError> {
        self.fatal.take()
    }

    /// Makes `value` the builtin `name`.
    pub fn add_builtin(&mut self, name: &str, value: Value) {
        self.builtins.insert(Rc::from(name), value);
    }

    /// The builtin `name` (`int`, `print`...).
    pub fn builtin(&self, name: &str) -> Option<Value> {
        self.builtins.get(name).cloned()
    }

    /// Makes `module` importable as `name`.
    pub fn add_module(&mut self, name: &str, module: Value) {
        self.modules.insert(name.to_string(), module);
    }

    /// The module `name` (`concurrent.futures` and friends).
    pub fn module(&self, name: &str) -> Option<Value> {
        self.modules.get(name).cloned()
    }

    /// Lets `lookup` give the attributes of its kind of objects.
    pub fn add_attributes(&mut self, lookup: AttrLookup) {
        self.attr_lookups.push(lookup);
    }

    /// The process thread `tid` belongs to.
    pub fn process_of(&self, tid: ThreadId) -> usize {
        self.threads[tid].process
    }

    /// The globals of process `process`.
    pub fn process_globals(&self, process: usize) -> Globals {
        self.processes[process].globals.clone()
    }

    /// The name of thread `tid`'s process (`MainProcess`, `Process-1`...).
    pub fn process_name(&self, tid: ThreadId) -> String {
        self.processes[self.process_of(tid)].name.clone()
    }

    /// The `random` generator of thread `tid`'s process (a forked child has a copy).
    pub fn random_of(&self, tid: ThreadId) -> &RefCell<Random> {
        &self.processes[self.process_of(tid)].random
    }

    /// The next `N` of a `Thread-N` name in thread `tid`'s process.
    pub fn next_thread_number(&self, tid: ThreadId) -> u64 {
        let counter = &self.processes[self.process_of(tid)].thread_counter;
        counter.set(counter.get() + 1);
        counter.get()
    }

    /// The next `N` of a `Process-N` (or `ForkPoolWorker-N`) name.
    pub fn next_process_number(&mut self) -> u64 {
        self.process_counter += 1;
        self.process_counter
    }

    /// The next number of a `ThreadPoolExecutor-N` name (from 0).
    pub fn next_executor_number(&mut self) -> u64 {
        let n = self.executor_counter;
        self.executor_counter += 1;
        n
    }

    /// A new process, forked from the process of thread `parent`: empty globals (the caller
    /// copies the parent's in), a copy of its random generator.
    pub fn new_process(&mut self, parent: ThreadId, name: String) -> usize {
        let random = self.random_of(parent).borrow().clone();
        self.processes.push(ProcessState {
            globals: Rc::new(RefCell::new(FastMap::default())),
            random: RefCell::new(random),
            thread_counter: Cell::new(0),
            name,
        });
        self.processes.len() - 1
    }

    /// The simulated time thread `tid` is at, in seconds (its interpreting not yet charged
    /// included).
    pub fn now_s(&self, tid: ThreadId) -> f64 {
        to_secs(self.now.saturating_add(self.threads[tid].cost))
    }

    /// The handle (`threading.current_thread()`) of thread `tid`.
    pub fn thread_handle(&self, tid: ThreadId) -> Rc<Handle> {
        self.threads[tid].handle.clone()
    }

    /// Whether thread `tid` has finished its target.
    pub fn thread_done(&self, tid: ThreadId) -> bool {
        self.threads[tid].done
    }

    /// The main thread of thread `tid`'s process.
    pub fn main_thread_of(&self, tid: ThreadId) -> Rc<Handle> {
        let p = self.process_of(tid);
        let first = self
            .threads
            .iter()
            .position(|t| t.process == p)
            .unwrap_or(0);
        self.threads[first].handle.clone()
    }

    /// Thread `tid` will ask the simulator for `request` before it runs on.
    pub fn queue_request(&mut self, tid: ThreadId, request: Request) {
        self.threads[tid].pending.push_back(request);
    }

    /// What new thread `tid` calls first.
    pub fn set_start_call(&mut self, tid: ThreadId, call: StartCall) {
        self.threads[tid].start = Some(call);
    }
}
