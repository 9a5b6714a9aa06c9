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
use crate::python::frame::{Frame, Globals, Unawaited};
use crate::python::futures::Future;
use crate::python::random::Random;
use crate::python::sync::{Handle, ThreadId};
use crate::python::value::{Exception, Value};

/// The simulated process id of the program's first process.
const FIRST_PID: i64 = 1000;

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
    /// A line to standard error.
    PrintErr(String),
    StartThread {
        child: ThreadId,
    },
    StartProcess {
        child: ThreadId,
    },
}

/// A line written to standard error: when, by which thread, what.
#[derive(Clone, Debug)]
pub struct ErrLine {
    pub at: Nanos,
    pub thread: ThreadId,
    pub text: String,
}

/// What a new thread or process calls first: `target(*args, **kwargs)`.
pub type StartCall = (Value, Vec<Value>, Vec<(Rc<str>, Value)>);

/// How a library module gives the attributes of its own objects (a lock's `acquire`, a
/// thread's `name`): `None` when `obj` is not its kind of object or has no such attribute.
/// The natives register one per kind of object ([`Runtime::add_attributes`]), so the runtime
/// looks attributes up without knowing the library.
pub type AttrLookup = fn(obj: &Value, name: &str) -> Option<Value>;

/// How a library module sets an attribute of its own objects (`t.daemon = True`): `None`
/// when `obj` is not its kind of object or the attribute is not one it lets be set.
pub type AttrSetter = fn(obj: &Value, name: &str, value: &Value) -> Option<Result<(), Exception>>;

/// The waiters a thread whose wait timed out leaves (see `timeouts.rs`).
pub enum Timed {
    Lock(Value),
    Join(Rc<Handle>),
    Queue(Value),
    Futures(Vec<Rc<Future>>),
}

/// When a blocked thread's wait ends if nobody wakes it, and how.
pub struct Deadline {
    pub at: Nanos,
    pub result: Result<Value, Exception>,
    pub leaves: Timed,
}

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
    /// A process's main thread that has begun its shutdown (see `shutdown.rs`).
    pub(super) exiting: bool,
    /// When a blocked thread's wait times out (see `timeouts.rs`).
    pub(super) deadline: Option<Deadline>,
}

/// One process's interpreter state.
pub(super) struct ProcessState {
    pub(super) globals: Globals,
    /// Standard output printed since the last newline (see `output`).
    pub(super) partial: RefCell<String>,
    pub(super) random: RefCell<Random>,
    /// Counter for `Thread-N` names.
    pub(super) thread_counter: Cell<u64>,
    pub(super) name: String,
    /// The process that started this one (`None` for the first).
    pub(super) parent: Option<usize>,
    /// What runs when the process's main thread is done, before its threads are joined
    /// (`threading._register_atexit`: the executors shut down their workers), last first.
    pub(super) at_exit: Vec<Value>,
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
    pub(super) attr_setters: Vec<AttrSetter>,
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
    /// The program's file name as it was given (`sys.argv[0]`).
    pub(super) program: Rc<str>,
    /// Threads that ended abruptly (daemons at their process's end, a terminated process),
    /// for the simulator to stop wherever they are.
    pub(super) killed: Vec<ThreadId>,
    /// The thread the runtime is running now (whose `threading.local()` attributes an
    /// attribute lookup sees).
    pub(super) running: ThreadId,
    /// The methods of `object` and `BaseException` (by base, name), from the natives.
    pub(super) base_attrs: Vec<(&'static str, &'static str, Value)>,
    /// Instances made so far (their numbers give their default reprs' addresses).
    pub(super) instances_made: u64,
    /// The program's file name and source, for tracebacks and warnings.
    pub(super) program_name: Rc<str>,
    pub(super) program_source: Rc<str>,
    /// What the run wrote to standard error (see `output`).
    pub(super) stderr: Vec<ErrLine>,
    /// The exception the main thread ended in, once it did.
    pub(super) uncaught: Option<PyError>,
    /// Coroutines dropped without being awaited (their names and lines), reported as
    /// warnings after the instruction that dropped them.
    pub(super) unawaited: Unawaited,
    /// Functions being run on the spot within each other (see `vm::objects::call_sync`).
    pub(super) sync_depth: u32,
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

    /// Lets `setter` set the attributes of its kind of objects.
    pub fn add_attr_setter(&mut self, setter: AttrSetter) {
        self.attr_setters.push(setter);
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

    /// The program's file name as it was given (`sys.argv[0]`).
    pub fn program_name(&self) -> Rc<str> {
        self.program.clone()
    }

    /// The simulated process id (`os.getpid()`, `Process.pid`) of process `process`: the
    /// first process is 1000, its children follow in the order they were made, so a run's
    /// ids are the same every time.
    pub fn pid(&self, process: usize) -> i64 {
        FIRST_PID + process as i64
    }

    /// The simulated id of process `process`'s parent (`os.getppid()`); the first process's
    /// parent is the shell that started it, one below.
    pub fn ppid(&self, process: usize) -> i64 {
        match self.processes.get(process).and_then(|p| p.parent) {
            Some(parent) => self.pid(parent),
            None => FIRST_PID - 1,
        }
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
        let parent = Some(self.process_of(parent));
        self.processes.push(ProcessState {
            globals: Rc::new(RefCell::new(FastMap::default())),
            partial: RefCell::new(String::new()),
            random: RefCell::new(random),
            thread_counter: Cell::new(0),
            name,
            parent,
            at_exit: Vec::new(),
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
