//! The runtime: the interpreter's threads, processes and asyncio event loops, and the one
//! question the simulator asks of it — "what does this thread do next?" ([`Runtime::next`]).
//!
//! The split of work: the simulator owns time, cores and each process's GIL; the runtime owns
//! everything a Python program can see (variables, locks, queues, futures, tasks). A thread
//! runs bytecode until it needs the simulator (CPU time to be charged, a sleep, a print to
//! time-stamp, a thread or process to start, a wait); the runtime answers with an [`Action`]
//! and lists the threads its work woke up ([`Runtime::take_wakes`]).
//!
//! An asyncio event loop lives in the thread that called `asyncio.run`, as in CPython: the
//! runtime resumes its tasks one at a time, each until its next `await` that has to wait,
//! and reports each task's state as a [`TaskEvent`] so the trace can draw tasks as lanes.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::rc::Rc;

use super::bytecode::Code;
use super::compile::compile_module;
use super::error::{PyError, PyErrorKind};
use super::frame::{Caller, Env, Frame, Globals};
use super::futures::{FutState, Future, FutureObj, TaskPart, Waker};
use super::objects::Namespace;
use super::sync::{Handle, Life};
use super::value::{ExcKind, Exception, Object, Value};
use super::vm::Exit;
use crate::core::clock::{from_secs, Nanos};
use crate::core::profile::Profile;
use crate::core::trace::State;

pub use super::sync::ThreadId;

/// Most interpreted operations a run may take (an endless loop must not freeze a tab).
pub const OP_BUDGET: u64 = 5_000_000;

/// What a native function did.
pub enum Outcome {
    Value(Value),
    Raise(Exception),
    /// The thread must wait for the simulator to carry out `requests`; then `value` is the
    /// call's result.
    Suspend(Vec<Request>, Value),
    /// The thread waits until another thread wakes it with the call's result.
    Block(String),
    /// Call this instead, and give its result as this call's result.
    Call(Value, Vec<Value>, Vec<(Rc<str>, Value)>),
    /// `asyncio.run(coro)`: this thread becomes an event loop running `coro` as its main task.
    RunLoop(Value),
}

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

pub use crate::core::interpreter::{Action, TaskEvent};

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
    pub random: RefCell<super::random::Random>,
    /// Counter for `Thread-N` names.
    pub thread_counter: Cell<u64>,
    pub name: String,
}

/// An asyncio event loop, living in the thread that called `asyncio.run`.
pub struct EventLoop {
    /// Frames below this depth belong to the code that called `asyncio.run`.
    pub base: usize,
    pub ready: VecDeque<Rc<Future>>,
    pub timers: BinaryHeap<Reverse<(Nanos, u64)>>,
    pub timer_futures: HashMap<u64, (Rc<Future>, Value)>,
    pub seq: u64,
    pub current: Option<Rc<Future>>,
    pub main: Rc<Future>,
    pub tasks: Vec<Rc<Future>>,
    pub default_executor: Option<Value>,
    pub handle: Value,
    pub cancelling: bool,
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

const PRELUDE: &str = include_str!("prelude.py");

impl Runtime {
    /// Compiles `source` and sets up its main thread; nothing runs yet.
    pub fn new(source: &str, name: &str, profile: Profile) -> Result<Runtime, PyError> {
        let prelude = compile_module(PRELUDE, "<prelude>").map_err(|e| PyError {
            message: format!("the kitchen's prelude does not compile: {}", e.message),
            ..e
        })?;
        let code = compile_module(source, name)?;
        let op_ns = from_secs(profile.op_s).max(1);
        let mut rt = Runtime {
            profile,
            op_ns,
            threads: Vec::new(),
            processes: Vec::new(),
            builtins: HashMap::new(),
            modules: HashMap::new(),
            prelude_globals: Rc::new(RefCell::new(HashMap::new())),
            wakes: Vec::new(),
            task_events: Vec::new(),
            notes: Vec::new(),
            now: 0,
            ops_done: 0,
            op_budget: OP_BUDGET,
            raise_line: None,
            done_seq: 0,
            process_counter: 0,
            executor_counter: 0,
            fatal: None,
        };
        rt.install_natives();
        rt.run_prelude(prelude)?;
        let globals: Globals = Rc::new(RefCell::new(HashMap::new()));
        globals
            .borrow_mut()
            .insert(Rc::from("__name__"), Value::str("__main__"));
        rt.processes.push(ProcessState {
            globals: globals.clone(),
            random: RefCell::new(super::random::Random::default()),
            thread_counter: Cell::new(0),
            name: "MainProcess".into(),
        });
        let env = Env::new(code.locals.len(), None);
        let frame = Frame::new(code, env, globals, Caller::Base);
        let tid = rt.new_thread(0, "MainThread".into(), false, None);
        rt.threads[tid].frames.push(frame);
        Ok(rt)
    }

    /// Whether thread `tid` runs a function of the prelude (an executor's worker or manager)
    /// rather than one of the program's.
    fn started_by_library(&self, tid: ThreadId) -> bool {
        let Some((target, _, _)) = &self.threads[tid].start else {
            return false;
        };
        target
            .downcast::<super::objects::Function>()
            .is_some_and(|f| Rc::ptr_eq(&f.globals, &self.prelude_globals))
    }

    /// Runs the prelude's module code to define its functions (no threads involved).
    fn run_prelude(&mut self, code: Rc<Code>) -> Result<(), PyError> {
        let env = Env::new(code.locals.len(), None);
        let frame = Frame::new(code, env, self.prelude_globals.clone(), Caller::Base);
        self.processes.push(ProcessState {
            globals: self.prelude_globals.clone(),
            random: RefCell::new(super::random::Random::default()),
            thread_counter: Cell::new(0),
            name: "prelude".into(),
        });
        let tid = self.new_thread(0, "prelude".into(), false, None);
        self.threads[tid].frames.push(frame);
        let exit = self.run_thread(tid)?;
        if !matches!(exit, Exit::BaseReturn(_)) {
            return Err(PyError {
                kind: PyErrorKind::Unsupported,
                line: 0,
                column: 0,
                message: "the kitchen's prelude failed to load".into(),
            });
        }
        self.threads.clear();
        self.processes.clear();
        self.ops_done = 0;
        self.install_prelude_exports();
        Ok(())
    }

    pub fn new_thread(
        &mut self,
        process: usize,
        name: String,
        is_process: bool,
        handle: Option<Rc<Handle>>,
    ) -> ThreadId {
        let tid = self.threads.len();
        let handle = handle.unwrap_or_else(|| {
            Rc::new(Handle {
                is_process,
                name: RefCell::new(name.clone()),
                target: Value::None,
                args: Vec::new(),
                kwargs: Vec::new(),
                life: Cell::new(Life::Running),
                thread: Cell::new(Some(tid)),
                joiners: RefCell::new(Vec::new()),
                exitcode: Cell::new(None),
                pid: 1000 + tid as u32,
            })
        });
        self.threads.push(PyThread {
            frames: Vec::new(),
            process,
            name,
            handle,
            pending: VecDeque::new(),
            resume: None,
            blocked: None,
            cost: 0,
            event_loop: None,
            done: false,
            start: None,
            last_line: None,
        });
        tid
    }

    /// The threads woken since the last call, for the simulator to reschedule.
    pub fn take_wakes(&mut self) -> Vec<ThreadId> {
        std::mem::take(&mut self.wakes)
    }

    pub fn take_task_events(&mut self) -> Vec<TaskEvent> {
        std::mem::take(&mut self.task_events)
    }

    /// Wakes a blocked thread with `result` as the value of the call it blocked in.
    pub fn wake_thread(&mut self, tid: ThreadId, result: Result<Value, Exception>) {
        let t = &mut self.threads[tid];
        if t.blocked.take().is_some() {
            t.resume = Some(result);
            self.wakes.push(tid);
        }
    }

    /// The source line thread `tid` is executing (the innermost frame of the program itself).
    pub fn current_line(&self, tid: ThreadId) -> Option<u32> {
        let t = &self.threads[tid];
        t.frames
            .iter()
            .rev()
            .find(|f| self.is_user_frame(f))
            .map(|f| f.line())
            .or(t.last_line)
    }

    /// What the function being run is called, for labels.
    fn current_label(&self, tid: ThreadId) -> String {
        let t = &self.threads[tid];
        match t.frames.iter().rev().find(|f| self.is_user_frame(f)) {
            Some(f) if &*f.code.name != "<module>" => format!("{}()", f.code.name),
            _ => String::new(),
        }
    }

    /// The next thing thread `tid` does, at simulated time `now`.
    pub fn next(&mut self, tid: ThreadId, now: Nanos) -> Result<Action, PyError> {
        self.now = now;
        loop {
            let line = self.current_line(tid);
            if line.is_some() {
                self.threads[tid].last_line = line;
            }
            let t = &mut self.threads[tid];
            if t.cost > 0 {
                let ns = std::mem::take(&mut t.cost);
                let label = self.current_label(tid);
                return Ok(Action::Compute { ns, label, line });
            }
            if let Some(req) = t.pending.pop_front() {
                return Ok(match req {
                    Request::Compute { ns, label } => Action::Compute { ns, label, line },
                    Request::Sleep { secs, label } => Action::Sleep {
                        ns: from_secs(secs),
                        label,
                        line,
                    },
                    Request::Print(text) => Action::Print(text),
                    Request::StartThread { child } => Action::StartThread {
                        child,
                        name: self.threads[child].name.clone(),
                        helper: self.started_by_library(child),
                    },
                    Request::StartProcess { child } => Action::StartProcess {
                        child,
                        name: self.threads[child].name.clone(),
                    },
                });
            }
            if let Some(label) = &t.blocked {
                return Ok(Action::Block {
                    label: label.clone(),
                    line,
                });
            }
            if t.done {
                self.ended(tid);
                return Ok(Action::Done);
            }
            if let Some((callee, args, kwargs)) = t.start.take() {
                self.start_call(tid, callee, args, kwargs)?;
                continue;
            }
            let in_loop = t.event_loop.as_ref().map(|l| l.base);
            if let Some(base) = in_loop {
                if t.frames.len() <= base {
                    if let Some(action) = self.loop_next(tid)? {
                        return Ok(action);
                    }
                    continue;
                }
            } else if t.frames.is_empty() {
                self.thread_finished(tid, Ok(Value::None))?;
                continue;
            }
            match self.run_thread(tid)? {
                Exit::Suspended | Exit::Quantum => {}
                Exit::BaseYield(v) => self.after_task_step(tid, v),
                Exit::BaseReturn(v) => {
                    if self.threads[tid].event_loop.is_some() {
                        self.task_finished(tid, FutState::Done(v));
                    } else {
                        self.thread_finished(tid, Ok(v))?;
                    }
                }
                Exit::BaseRaise(e) => {
                    if self.threads[tid].event_loop.is_some() {
                        let state = if e.kind == ExcKind::CancelledError {
                            FutState::Cancelled
                        } else {
                            FutState::Failed(e)
                        };
                        self.task_finished(tid, state);
                    } else {
                        self.thread_finished(tid, Err(e))?;
                    }
                }
            }
        }
    }

    /// A new thread's first call: its target.
    fn start_call(
        &mut self,
        tid: ThreadId,
        callee: Value,
        args: Vec<Value>,
        kwargs: Vec<(Rc<str>, Value)>,
    ) -> Result<(), PyError> {
        let mut frames = std::mem::take(&mut self.threads[tid].frames);
        let r = self.call_value(tid, &mut frames, callee, args, kwargs, Caller::Base);
        self.threads[tid].frames = frames;
        match r {
            Err(e) => self.thread_finished(tid, Err(e)),
            Ok(_)
                if self.threads[tid].frames.is_empty()
                    && self.threads[tid].pending.is_empty()
                    && self.threads[tid].blocked.is_none() =>
            {
                self.thread_finished(tid, Ok(Value::None))
            }
            Ok(_) => Ok(()),
        }
    }

    fn thread_finished(
        &mut self,
        tid: ThreadId,
        result: Result<Value, Exception>,
    ) -> Result<(), PyError> {
        if let Err(e) = &result {
            let is_main_thread = tid == 0;
            let message = format!("{}: {}", e.kind.name(), e.message);
            if is_main_thread {
                return Err(PyError {
                    kind: PyErrorKind::Uncaught,
                    line: self.raise_line.unwrap_or(0),
                    column: 1,
                    message: format!("uncaught exception: {message}"),
                });
            }
            let name = self.threads[tid].name.clone();
            let at = self
                .raise_line
                .map_or(String::new(), |l| format!(" (line {l})"));
            self.notes
                .push(format!("Exception in {name}{at}: {message}"));
            self.threads[tid].handle.exitcode.set(Some(1));
        } else if self.threads[tid].handle.exitcode.get().is_none() {
            self.threads[tid].handle.exitcode.set(Some(0));
        }
        self.raise_line = None;
        let t = &mut self.threads[tid];
        t.done = true;
        t.frames.clear();
        Ok(())
    }

    /// Thread `tid` is gone: it has done what was pending (a last print, a last computation)
    /// and says [`Action::Done`]. Only now do `join()`s return, with its wakes coming with that
    /// action: the simulator lets a process end (its exit work) before they go on.
    fn ended(&mut self, tid: ThreadId) {
        let handle = self.threads[tid].handle.clone();
        handle.life.set(Life::Done);
        let joiners: Vec<_> = handle.joiners.borrow_mut().drain(..).collect();
        for j in joiners {
            self.wake_thread(j, Ok(Value::None));
        }
    }

    // ----- futures --------------------------------------------------------------------------

    pub fn new_future(&mut self, event_loop: Option<ThreadId>, label: &str) -> Rc<Future> {
        Rc::new(Future {
            state: RefCell::new(FutState::Pending),
            waiters: RefCell::new(Vec::new()),
            event_loop,
            task: None,
            done_seq: Cell::new(0),
            gather: None,
            label: label.to_string(),
        })
    }

    /// Finishes `fut` (if it is not finished yet) and tells everyone waiting for it.
    pub fn complete(&mut self, fut: &Rc<Future>, state: FutState) {
        if fut.is_done() {
            return;
        }
        self.done_seq += 1;
        fut.done_seq.set(self.done_seq);
        *fut.state.borrow_mut() = state.clone();
        let waiters: Vec<Waker> = fut.waiters.borrow_mut().drain(..).collect();
        for w in waiters {
            match w {
                Waker::Task(task) => {
                    let waiting = task
                        .task
                        .as_ref()
                        .and_then(|t| t.waiting_on.borrow().clone());
                    if waiting.is_some_and(|w| Rc::ptr_eq(&w, fut)) {
                        if let Some(t) = &task.task {
                            *t.waiting_on.borrow_mut() = None;
                        }
                        self.make_ready(&task);
                    }
                }
                Waker::Thread(tid) => {
                    let result = match &state {
                        FutState::Done(v) => Ok(v.clone()),
                        FutState::Failed(e) => Err(e.clone()),
                        FutState::Cancelled => Err(Exception::new(ExcKind::CancelledError, "")),
                        FutState::Pending => Ok(Value::None),
                    };
                    self.wake_thread(tid, result);
                }
                Waker::ThreadNone(tid) => self.wake_thread(tid, Ok(Value::None)),
                Waker::Chain(other) => self.complete(&other, state.clone()),
                Waker::Notify(other) => self.complete(&other, FutState::Done(Value::None)),
                Waker::Gather(outer, index) => self.gather_child_done(&outer, index, &state),
            }
        }
    }

    fn gather_child_done(&mut self, outer: &Rc<Future>, index: usize, state: &FutState) {
        if outer.is_done() {
            return;
        }
        let Some(g) = &outer.gather else { return };
        let return_exceptions = g.borrow().2;
        let value = match state {
            FutState::Done(v) => v.clone(),
            FutState::Failed(e) if return_exceptions => Value::Exception(Rc::new(e.clone())),
            FutState::Cancelled if return_exceptions => {
                Value::Exception(Rc::new(Exception::new(ExcKind::CancelledError, "")))
            }
            FutState::Failed(e) => {
                let e = e.clone();
                self.complete(outer, FutState::Failed(e));
                return;
            }
            FutState::Cancelled => {
                let e = Exception::new(ExcKind::CancelledError, "");
                self.complete(outer, FutState::Failed(e));
                return;
            }
            FutState::Pending => return,
        };
        let finished = {
            let mut g = g.borrow_mut();
            if let Some(slot) = g.0.get_mut(index) {
                *slot = Some(value);
            }
            g.1 -= 1;
            (g.1 == 0).then(|| {
                g.0.iter()
                    .map(|v| v.clone().unwrap_or(Value::None))
                    .collect()
            })
        };
        if let Some(results) = finished {
            self.complete(outer, FutState::Done(Value::list(results)));
        }
    }

    /// `asyncio.gather`'s outer future over `children` (futures or tasks).
    pub fn gather(
        &mut self,
        tid: ThreadId,
        children: Vec<Rc<Future>>,
        return_exceptions: bool,
    ) -> Rc<Future> {
        let n = children.len();
        let outer = Rc::new(Future {
            state: RefCell::new(FutState::Pending),
            waiters: RefCell::new(Vec::new()),
            event_loop: Some(tid),
            task: None,
            done_seq: Cell::new(0),
            gather: Some(RefCell::new((vec![None; n], n, return_exceptions))),
            label: format!("gather of {n}"),
        });
        if n == 0 {
            self.complete(&outer, FutState::Done(Value::list(Vec::new())));
        }
        for (i, c) in children.iter().enumerate() {
            let state = c.state.borrow().clone();
            match state {
                FutState::Pending => c.waiters.borrow_mut().push(Waker::Gather(outer.clone(), i)),
                done => self.gather_child_done(&outer, i, &done),
            }
        }
        outer
    }

    // ----- asyncio ---------------------------------------------------------------------------

    /// `asyncio.run(coro)` in thread `tid`, whose frames (`base` of them) wait for its result.
    pub fn start_event_loop(
        &mut self,
        tid: ThreadId,
        base: usize,
        coro: Value,
    ) -> Result<(), Exception> {
        if self.threads[tid].event_loop.is_some() {
            return super::value::raise(
                ExcKind::RuntimeError,
                "asyncio.run() cannot be called from a running event loop",
            );
        }
        let placeholder = self.new_future(Some(tid), "");
        let handle = self.loop_handle();
        self.threads[tid].event_loop = Some(EventLoop {
            base,
            ready: VecDeque::new(),
            timers: BinaryHeap::new(),
            timer_futures: HashMap::new(),
            seq: 0,
            current: None,
            main: placeholder,
            tasks: Vec::new(),
            default_executor: None,
            handle,
            cancelling: false,
        });
        let main = self.create_task(tid, coro, None)?;
        if let Some(l) = self.threads[tid].event_loop.as_mut() {
            l.main = main;
        }
        Ok(())
    }

    /// `loop.create_task(coro)`.
    pub fn create_task(
        &mut self,
        tid: ThreadId,
        coro: Value,
        name: Option<String>,
    ) -> Result<Rc<Future>, Exception> {
        let Some(g) = coro.downcast::<super::frame::Generator>() else {
            return super::value::raise(
                ExcKind::TypeError,
                format!("a coroutine was expected, got {}", super::ops::repr(&coro)),
            );
        };
        if g.state.kind != super::bytecode::CodeKind::Coroutine {
            return super::value::raise(
                ExcKind::TypeError,
                format!("a coroutine was expected, got {}", super::ops::repr(&coro)),
            );
        }
        let number = self.threads[tid]
            .event_loop
            .as_ref()
            .map_or(0, |l| l.tasks.len() + 1);
        let name = name.unwrap_or_else(|| format!("Task-{number} {}()", g.state.name));
        let task = Rc::new(Future {
            state: RefCell::new(FutState::Pending),
            waiters: RefCell::new(Vec::new()),
            event_loop: Some(tid),
            task: Some(TaskPart {
                coro,
                lane: 0,
                name: name.clone(),
                must_cancel: Cell::new(false),
                waiting_on: RefCell::new(None),
            }),
            done_seq: Cell::new(0),
            gather: None,
            label: format!("await {name}"),
        });
        let id = Rc::as_ptr(&task) as usize;
        self.task_events.push(TaskEvent::Created {
            task: id,
            name,
            event_loop: tid,
        });
        let Some(l) = self.threads[tid].event_loop.as_mut() else {
            return super::value::raise(ExcKind::RuntimeError, "no running event loop");
        };
        l.tasks.push(task.clone());
        self.make_ready(&task);
        // Creating a task costs the loop a step of bookkeeping.
        self.threads[tid].cost += from_secs(self.profile.task_step_s);
        Ok(task)
    }

    fn make_ready(&mut self, task: &Rc<Future>) {
        let Some(lt) = task.event_loop else { return };
        let Some(l) = self.threads[lt].event_loop.as_mut() else {
            return;
        };
        l.ready.push_back(task.clone());
        self.task_events.push(TaskEvent::State {
            task: Rc::as_ptr(task) as usize,
            state: State::Ready,
            label: String::new(),
            line: None,
        });
        self.wakes.push(lt);
    }

    /// A future on `tid`'s loop that finishes with `result` after `secs` (from now).
    pub fn sleep_future(
        &mut self,
        tid: ThreadId,
        secs: f64,
        result: Value,
    ) -> Result<Rc<Future>, Exception> {
        if self.threads[tid].event_loop.is_none() {
            return super::value::raise(ExcKind::RuntimeError, "no running event loop");
        }
        let label = format!("sleep {}", super::ops::to_str(&Value::Float(secs)));
        let fut = self.new_future(Some(tid), &label);
        self.call_later(tid, secs, fut.clone(), result);
        Ok(fut)
    }

    /// Finishes `fut` with `result` after `secs`, on `tid`'s loop.
    pub fn call_later(&mut self, tid: ThreadId, secs: f64, fut: Rc<Future>, result: Value) {
        let when = self
            .now
            .saturating_add(self.threads[tid].cost)
            .saturating_add(from_secs(secs.max(0.0)));
        if let Some(l) = self.threads[tid].event_loop.as_mut() {
            l.seq += 1;
            l.timers.push(Reverse((when, l.seq)));
            l.timer_futures.insert(l.seq, (fut, result));
        }
    }

    /// The event loop's next move when no task is running.
    fn loop_next(&mut self, tid: ThreadId) -> Result<Option<Action>, PyError> {
        let now = self.now;
        // Timers that are due finish their futures (earliest first).
        loop {
            let l = self.threads[tid].event_loop.as_mut().expect("in a loop");
            let Some(&Reverse((when, seq))) = l.timers.peek() else {
                break;
            };
            if when > now {
                break;
            }
            l.timers.pop();
            if let Some((fut, result)) = l.timer_futures.remove(&seq) {
                self.complete(&fut, FutState::Done(result));
            }
        }
        let l = self.threads[tid].event_loop.as_mut().expect("in a loop");
        while let Some(task) = l.ready.pop_front() {
            if task.is_done() {
                continue;
            }
            return self.step_task(tid, task).map(|_| None);
        }
        if l.main.is_done() {
            let pending: Vec<_> = l.tasks.iter().filter(|t| !t.is_done()).cloned().collect();
            if !pending.is_empty() && !l.cancelling {
                // asyncio.run cancels the tasks still running when main returns.
                l.cancelling = true;
                for t in pending {
                    self.cancel_task(&t);
                }
                return Ok(None);
            }
            self.finish_loop(tid);
            return Ok(None);
        }
        let until = l.timers.peek().map(|Reverse((w, _))| *w);
        Ok(Some(Action::Select { until }))
    }

    /// Resumes `task` on its loop's thread until its next suspension.
    fn step_task(&mut self, tid: ThreadId, task: Rc<Future>) -> Result<(), PyError> {
        let part = task.task.as_ref().expect("a task");
        let id = Rc::as_ptr(&task) as usize;
        self.task_events.push(TaskEvent::State {
            task: id,
            state: State::Running,
            label: String::new(),
            line: None,
        });
        self.threads[tid].cost += from_secs(self.profile.task_step_s);
        let Some(g) = part.coro.downcast::<super::frame::Generator>() else {
            return Ok(());
        };
        let state = g.state.clone();
        let must_cancel = part.must_cancel.replace(false);
        if let Some(l) = self.threads[tid].event_loop.as_mut() {
            l.current = Some(task.clone());
        }
        let Some(mut frame) = state.frame.borrow_mut().take() else {
            return Ok(());
        };
        state.running.set(true);
        frame.caller = Caller::Base;
        frame.generator = Some(state.clone());
        let started = state.started.get();
        let t = &mut self.threads[tid];
        if must_cancel {
            t.resume = Some(Err(Exception::new(ExcKind::CancelledError, "")));
        } else if started {
            t.resume = Some(Ok(Value::None));
        }
        t.frames.push(*frame);
        Ok(())
    }

    /// The task that was running on `tid`'s loop, now that its step is over.
    fn take_current_task(&mut self, tid: ThreadId) -> Option<Rc<Future>> {
        self.threads[tid].event_loop.as_mut()?.current.take()
    }

    /// The running task yielded `v`, usually the future it waits for.
    fn after_task_step(&mut self, tid: ThreadId, v: Value) {
        let line = self.current_line(tid);
        let Some(task) = self.take_current_task(tid) else {
            return;
        };
        let id = Rc::as_ptr(&task) as usize;
        match v.downcast::<FutureObj>() {
            Some(f) if !f.0.is_done() => {
                let fut = f.0.clone();
                fut.waiters.borrow_mut().push(Waker::Task(task.clone()));
                if let Some(t) = &task.task {
                    *t.waiting_on.borrow_mut() = Some(fut.clone());
                }
                self.task_events.push(TaskEvent::State {
                    task: id,
                    state: State::Awaiting,
                    label: fut.label.clone(),
                    line,
                });
            }
            _ => self.make_ready(&task),
        }
    }

    fn task_finished(&mut self, tid: ThreadId, state: FutState) {
        let Some(task) = self.take_current_task(tid) else {
            return;
        };
        if let FutState::Failed(e) = &state {
            if let Some(t) = &task.task {
                self.notes.push(format!(
                    "Task {} raised {}: {}",
                    t.name,
                    e.kind.name(),
                    e.message
                ));
            }
        }
        self.task_events.push(TaskEvent::Done {
            task: Rc::as_ptr(&task) as usize,
        });
        self.raise_line = None;
        self.complete(&task, state);
    }

    /// `task.cancel()`.
    pub fn cancel_task(&mut self, task: &Rc<Future>) -> bool {
        if task.is_done() {
            return false;
        }
        let Some(part) = &task.task else {
            self.complete(task, FutState::Cancelled);
            return true;
        };
        part.must_cancel.set(true);
        let waiting = part.waiting_on.borrow_mut().take();
        if let Some(w) = waiting {
            if w.task.is_none() && w.gather.is_none() {
                self.complete(&w, FutState::Cancelled);
            }
            self.make_ready(task);
        }
        true
    }

    /// `asyncio.run` returns: its main task's outcome goes to the code that called it, after
    /// the default executor is shut down (as `asyncio.run` does).
    fn finish_loop(&mut self, tid: ThreadId) {
        let l = self.threads[tid].event_loop.take().expect("in a loop");
        let (ok, value) = match &*l.main.state.borrow() {
            FutState::Done(v) => (true, v.clone()),
            FutState::Failed(e) => (false, Value::Exception(Rc::new(e.clone()))),
            _ => (
                false,
                Value::Exception(Rc::new(Exception::new(ExcKind::CancelledError, ""))),
            ),
        };
        let finish = self.prelude_fn("_finish_run");
        let executor = l.default_executor.unwrap_or(Value::None);
        self.threads[tid].start = None;
        let mut frames = std::mem::take(&mut self.threads[tid].frames);
        let r = self.call_value(
            tid,
            &mut frames,
            finish,
            vec![executor, Value::Bool(ok), value],
            Vec::new(),
            Caller::Call,
        );
        self.threads[tid].frames = frames;
        if let Err(e) = r {
            self.threads[tid].resume = Some(Err(e));
        }
    }

    /// The object `asyncio.get_running_loop()` returns.
    fn loop_handle(&self) -> Value {
        let mut attrs = HashMap::new();
        for (name, prelude_name) in [
            ("run_in_executor", "_run_in_executor"),
            ("create_task", "_loop_create_task"),
            ("create_future", "_loop_future"),
            ("time", "_loop_time"),
        ] {
            attrs.insert(Rc::from(name), self.prelude_fn(prelude_name));
        }
        Value::object(Namespace {
            type_name: Rc::from("_UnixSelectorEventLoop"),
            attrs: RefCell::new(attrs),
        })
    }

    /// A function defined by the prelude.
    pub fn prelude_fn(&self, name: &str) -> Value {
        self.prelude_globals
            .borrow()
            .get(name)
            .cloned()
            .or_else(|| self.builtins.get(name).cloned())
            .unwrap_or(Value::None)
    }

    /// The module `name` (`concurrent.futures` and friends).
    pub fn module(&self, name: &str) -> Option<Value> {
        self.modules.get(name).cloned()
    }
}

impl crate::core::interpreter::Interpreter for Runtime {
    fn next(&mut self, thread: usize, now: Nanos) -> Option<Action> {
        match Runtime::next(self, thread, now) {
            Ok(a) => Some(a),
            Err(e) => {
                self.fatal = Some(e);
                None
            }
        }
    }
    fn take_wakes(&mut self) -> Vec<usize> {
        Runtime::take_wakes(self)
    }
    fn take_task_events(&mut self) -> Vec<TaskEvent> {
        Runtime::take_task_events(self)
    }
}
