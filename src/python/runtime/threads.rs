//! A thread's life in the runtime: created (for a `Thread`, a `Process` or the main thread),
//! started on its target, woken from a wait, finished (with its exception noted), and ended,
//! which is when its `join()`s return.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use super::state::{PyThread, Request, Runtime};
use crate::python::error::PyError;
use crate::python::frame::Caller;
use crate::python::sync::{Handle, Life, ThreadId};
use crate::python::value::{ExcKind, Exception, Value};

/// The `ident` of interpreter thread `tid`: a number like CPython's (an address there), the
/// same on every run.
pub fn thread_ident(tid: ThreadId) -> i64 {
    140_000_000_000_000 + 4096 * tid as i64
}

impl Runtime {
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
                pid: Cell::new(Some(thread_ident(tid))),
                daemon: Cell::new(false),
                started: RefCell::new(None),
                attrs: RefCell::new(HashMap::new()),
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
            waiting: None,
            cost: 0,
            turns: 0,
            event_loop: None,
            done: false,
            start: None,
            last_line: None,
            exiting: false,
            deadline: None,
        });
        tid
    }

    /// Wakes a blocked thread with `result` as the value of the call it blocked in.
    pub fn wake_thread(&mut self, tid: ThreadId, result: Result<Value, Exception>) {
        let t = &mut self.threads[tid];
        if t.blocked.take().is_some() {
            t.waiting = None;
            t.deadline = None;
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
    pub(super) fn current_label(&self, tid: ThreadId) -> String {
        let t = &self.threads[tid];
        match t.frames.iter().rev().find(|f| self.is_user_frame(f)) {
            Some(f) if &*f.code.name != "<module>" => format!("{}()", f.code.name),
            _ => String::new(),
        }
    }

    /// Whether thread `tid` runs a function of the prelude (an executor's worker or manager)
    /// rather than one of the program's.
    pub(super) fn started_by_library(&self, tid: ThreadId) -> bool {
        let Some((target, _, _)) = &self.threads[tid].start else {
            return false;
        };
        target
            .downcast::<crate::python::objects::Function>()
            .is_some_and(|f| Rc::ptr_eq(&f.globals, &self.prelude_globals))
    }

    /// A new thread's first call: its target.
    pub(super) fn start_call(
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

    pub(super) fn thread_finished(
        &mut self,
        tid: ThreadId,
        result: Result<Value, Exception>,
    ) -> Result<(), PyError> {
        let result = match result {
            Err(e) if e.kind == ExcKind::SystemExit => {
                self.system_exit(tid, &e);
                Ok(Value::None)
            }
            other => other,
        };
        if let Err(e) = &result {
            if tid == 0 {
                self.main_thread_failed(tid, e);
            } else {
                self.thread_failed(tid, e);
                let message = format!("{}: {}", e.class_name(), e.message);
                let name = self.threads[tid].name.clone();
                let at = e
                    .traceback
                    .first()
                    .map(|t| t.line)
                    .or(self.raise_line)
                    .map_or(String::new(), |l| format!(" (line {l})"));
                self.notes
                    .push(format!("Exception in {name}{at}: {message}"));
            }
            self.threads[tid].handle.exitcode.set(Some(1));
        } else if self.threads[tid].handle.exitcode.get().is_none() {
            self.threads[tid].handle.exitcode.set(Some(0));
        }
        self.raise_line = None;
        if self.begin_shutdown(tid) {
            return Ok(());
        }
        self.flush_stdout(tid);
        let t = &mut self.threads[tid];
        t.done = true;
        t.frames.clear();
        self.end_process(tid);
        Ok(())
    }

    /// `SystemExit` ended thread `tid`'s target: the program (or, in a thread, the thread)
    /// ends quietly, as in CPython. A status other than 0 is noted; a message goes to
    /// stderr, as CPython prints it.
    fn system_exit(&mut self, tid: ThreadId, e: &Exception) {
        let code = match &e.value {
            Some(b) => b.0.clone(),
            None if e.message.is_empty() => Value::None,
            None => match e.message.parse::<i64>() {
                Ok(i) => Value::Int(i),
                Err(_) => Value::str(&e.message),
            },
        };
        let status = match &code {
            Value::None => 0,
            Value::Int(i) => *i,
            Value::Bool(b) => *b as i64,
            other => {
                let text = crate::python::ops::to_str(other);
                self.threads[tid].pending.push_back(Request::PrintErr(text));
                1
            }
        };
        self.threads[tid].handle.exitcode.set(Some(status));
        if status != 0 && self.threads[tid].process == 0 && tid == 0 {
            self.notes
                .push(format!("the program ended with sys.exit({status})"));
        }
    }

    /// Thread `tid` is gone: it has done what was pending (a last print, a last computation)
    /// and says [`Action::Done`]. Only now do `join()`s return, with its wakes coming with that
    /// action: the simulator lets a process end (its exit work) before they go on.
    pub(super) fn ended(&mut self, tid: ThreadId) {
        let handle = self.threads[tid].handle.clone();
        handle.life.set(Life::Done);
        let joiners: Vec<_> = handle.joiners.borrow_mut().drain(..).collect();
        for j in joiners {
            self.wake_thread(j, Ok(Value::None));
        }
    }
}
