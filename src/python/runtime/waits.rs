//! What waiting threads and tasks wait for, so the trace can join each waiter to what will
//! wake it (`Span::wait`): the wait a future stands for, and the line and words of a
//! suspended task's own `await`.
//!
//! None of this may cost anything: the prelude's code is interpreted and charged like the
//! program's, so it cannot be asked to pass more than it does. Instead the wait is read from
//! what is already there — the label a prelude future is made with (its vocabulary is
//! [`wait_of_label`]), and the task's suspended coroutines, whose frames and arguments stay
//! put while it waits ([`Runtime::awaited`]).

use std::rc::Rc;

use super::state::Runtime;
use crate::core::clock::Nanos;
use crate::core::interpreter::{By, TaskEvent, WaitingFor};
use crate::core::trace::WaitOn;
use crate::python::bytecode::Op;
use crate::python::frame::{Frame, Generator};
use crate::python::futures::{Future, FutureObj, Waker};
use crate::python::objects::Function;
use crate::python::ops;
use crate::python::runtime::native::Native;
use crate::python::sync::ThreadId;
use crate::python::value::Value;

/// A wait with no timer and nobody known to end it.
pub fn waiting_for(on: WaitOn, what: impl Into<String>) -> WaitingFor {
    WaitingFor {
        on,
        what: what.into(),
        until: None,
        by: None,
    }
}

/// What awaiting a future made with `label` waits for. The labels are the prelude's (its
/// `_loop_future("semaphore")` and friends) and the runtime's own.
pub(super) fn wait_of_label(label: &str) -> WaitingFor {
    let (on, what) = match label {
        "semaphore" => (WaitOn::Semaphore, "Semaphore"),
        "lock" => (WaitOn::Lock, "Lock.acquire()"),
        "event" => (WaitOn::Event, "Event.wait()"),
        "queue empty" => (WaitOn::Queue, "Queue.get()"),
        "queue full" => (WaitOn::Queue, "Queue.put()"),
        "wait_for" => (WaitOn::Timer, "asyncio.wait_for()"),
        "wait" => (WaitOn::Task, "asyncio.wait()"),
        "taskgroup" => (WaitOn::Task, "the TaskGroup's tasks"),
        "cancel" => (WaitOn::Task, "the cancelled task's end"),
        "in a thread" => (WaitOn::Future, "loop.run_in_executor()"),
        "result()" => (WaitOn::Future, "Future.result()"),
        "" | "future" => (WaitOn::Future, "a future"),
        other => (WaitOn::Future, other),
    };
    waiting_for(on, what)
}

/// One frame of a suspended coroutine chain, as [`Runtime::awaited`] finds it.
struct Link {
    user: bool,
    line: u32,
    code: Rc<str>,
    /// The frame's first local (its first parameter), and its closure's first one.
    first: Option<Value>,
    outer_first: Option<Value>,
}

impl Runtime {
    /// The frames of `task`'s suspended coroutine, outermost first, following each `await`
    /// into the coroutine it delegates to.
    fn chain(&self, task: &Future) -> Vec<Link> {
        let mut links = Vec::new();
        let Some(part) = &task.task else {
            return links;
        };
        let mut next = part.coro.downcast::<Generator>().map(|g| g.state.clone());
        while let Some(state) = next.take() {
            let frame = state.frame.borrow();
            let Some(frame) = frame.as_ref() else { break };
            links.push(self.link(frame));
            if matches!(frame.code.ops.get(frame.pc), Some(Op::YieldFrom)) {
                next = frame
                    .stack
                    .last()
                    .and_then(|d| d.downcast::<Generator>())
                    .map(|g| g.state.clone());
            }
        }
        links
    }

    fn link(&self, frame: &Frame) -> Link {
        let first = frame.env.slots.borrow().first().cloned().flatten();
        let outer_first = frame
            .env
            .parent
            .as_ref()
            .and_then(|p| p.slots.borrow().first().cloned().flatten());
        Link {
            user: self.is_user_frame(frame),
            line: frame.line(),
            code: frame.code.name.clone(),
            first,
            outer_first,
        }
    }

    /// The line `task` waits at (the innermost `await` of the program's own code) and what it
    /// waits for in the program's words, refining `wait` (from the awaited future) with what
    /// its suspended frames tell: `asyncio.to_thread(chop)`, `Semaphore(3)`.
    pub(super) fn awaited(&self, task: &Future, mut wait: WaitingFor) -> (Option<u32>, WaitingFor) {
        let chain = self.chain(task);
        let line = chain.iter().rev().find(|l| l.user).map(|l| l.line);
        if let Some(innermost) = chain.last().filter(|l| !l.user) {
            match (&*innermost.code, wait.on) {
                ("asyncio__to_thread", _) => {
                    let func = innermost.first.as_ref().map(callable_name);
                    wait.what = format!("asyncio.to_thread({})", func.unwrap_or_default());
                }
                ("acquire", WaitOn::Semaphore) if self.semaphore_takes_value_first() => {
                    if let Some(Value::Int(n)) = innermost.outer_first {
                        wait.what = format!("Semaphore({n})");
                    }
                }
                _ => {}
            }
        }
        (line, wait)
    }

    /// Whether the prelude's `asyncio.Semaphore(value)` has `value` as its first parameter,
    /// so that its `acquire`'s closure holds the semaphore's size first.
    fn semaphore_takes_value_first(&self) -> bool {
        self.prelude_fn("asyncio__Semaphore")
            .downcast::<Function>()
            .is_some_and(|f| f.template.params.first().is_some_and(|p| &**p == "value"))
    }

    /// `fut`'s timer is set to end at `when` (a sleep, a `wait_for`'s timeout of `secs`).
    pub(super) fn timer_set(&self, fut: &Future, when: Nanos, secs: f64) {
        if let Some(w) = fut.wait.borrow_mut().as_mut() {
            if w.on == WaitOn::Timer {
                w.until = Some(when);
                if fut.label == "wait_for" {
                    w.what = format!("asyncio.wait_for(…, {})", ops::to_str(&Value::Float(secs)));
                }
            }
        }
    }

    /// `waiter` finishes when `task` does (`wait_for`): awaiting it waits for that task too.
    pub fn waits_for_task(&self, waiter: &Future, task: &Rc<Future>) {
        if task.task.is_none() {
            return;
        }
        if let Some(w) = waiter.wait.borrow_mut().as_mut() {
            w.by = Some(By::Task(Future::id(task)));
        }
    }

    /// Thread `worker` took `item` from a queue. When it is a thread pool's work item, a
    /// `(future, fn, args, kwargs)` tuple, the call's future learns who runs it, and so do
    /// the tasks awaiting it through `to_thread` or `run_in_executor`.
    pub fn took_work(&mut self, item: &Value, worker: ThreadId) {
        let Value::Tuple(parts) = item else { return };
        let Some(cf) = parts.first().and_then(|f| f.downcast::<FutureObj>()) else {
            return;
        };
        let cf = cf.0.clone();
        if parts.len() != 4 || cf.event_loop.is_some() {
            return;
        }
        cf.runner.set(Some(worker));
        let chained: Vec<Rc<Future>> = cf
            .waiters
            .borrow()
            .iter()
            .filter_map(|w| match w {
                Waker::Chain(af) => Some(af.clone()),
                _ => None,
            })
            .collect();
        for af in chained {
            self.run_by(&af, worker);
        }
    }

    /// The asyncio future `af` is finished by thread `worker`'s work: its wait says so, and
    /// the tasks awaiting it hear it.
    fn run_by(&mut self, af: &Rc<Future>, worker: ThreadId) {
        let Some(wait) = af.wait.borrow_mut().as_mut().map(|w| {
            w.by = Some(By::Thread(worker));
            w.clone()
        }) else {
            return;
        };
        let tasks: Vec<Rc<Future>> = af
            .waiters
            .borrow()
            .iter()
            .filter_map(|w| match w {
                Waker::Task(t) => Some(t.clone()),
                _ => None,
            })
            .collect();
        for task in tasks {
            let awaits_af = task
                .task
                .as_ref()
                .and_then(|t| t.waiting_on.borrow().clone())
                .is_some_and(|w| Rc::ptr_eq(&w, af));
            if awaits_af {
                let (_, wait) = self.awaited(&task, wait.clone());
                self.task_events.push(TaskEvent::WaitKnown {
                    task: Future::id(&task),
                    wait,
                });
            }
        }
    }

    /// What thread `tid` waits for now (for the simulator, as it sleeps or blocks).
    pub fn waiting(&self, tid: ThreadId) -> Option<WaitingFor> {
        self.threads[tid].waiting.clone()
    }
}

/// A callable's name as the program wrote it (`chop`), for what a task waits for.
fn callable_name(v: &Value) -> String {
    if let Some(f) = v.downcast::<Function>() {
        return f.template.code.name.to_string();
    }
    if let Some(n) = v.downcast::<Native>() {
        return n.name.to_string();
    }
    ops::repr(v)
}
