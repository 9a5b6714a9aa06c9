//! The runtime: the interpreter's threads, processes and asyncio event loops, run by the
//! simulator one question at a time — "what does this thread do next?".
//!
//! The split of work: the simulator owns time, cores and each process's GIL; the runtime owns
//! everything a Python program can see (variables, locks, queues, futures, tasks). Its rooms:
//! - `state`: the data — threads, processes, builtins, modules, the run's bookkeeping;
//! - `budget`: how long a run may go on (an operation budget, watchers such as a time limit),
//!   and `checkpoints`, where the VM checks it;
//! - `scheduling`: what a thread does next (the [`crate::core::interpreter::Interpreter`]
//!   the simulator drives);
//! - `vm`: the bytecode interpreter that runs a thread's frames;
//! - `threads`: a thread's life from creation to its end;
//! - `shutdown`: a process's end (joining its threads and children, daemons ending with it);
//! - `timeouts`: waits with a timeout (`acquire(timeout=)`, `join(t)`, `get(timeout=)`);
//! - `event_loop` (with its data in `loop_state`): asyncio's loop and its tasks;
//!   `loop_calls`: its callbacks (`call_soon`, `call_later`, done callbacks);
//!   `loop_life`: its making, running by `asyncio.run` or `run_until_complete`, closing;
//! - `completion`: finishing futures and waking who waits for them;
//! - `waits`: what each waiting thread and task waits for, for the trace;
//! - `native`: what functions written in Rust receive and return;
//! - `attrs`: `obj.name`, with the library's objects' attributes as the natives registered;
//! - `classes`: the object model — making a class, the attributes of instances, classes and
//!   `super()`; `object_costs`: what CPython charges for it beyond the instructions;
//! - `output`: standard output kept as terminal lines, tracebacks and warnings on standard
//!   error;
//! - `prelude`: `prelude/*.py`, the library CPython writes in Python, and where its
//!   functions go;
//! - `setup`: building a runtime for a program (the prelude loaded, the main thread ready).
//!
//! This file only names the rooms and re-exports what the rest of the interpreter uses; the
//! rooms import each other directly, never through it.

mod attrs;
mod budget;
mod checkpoints;
mod classes;
mod completion;
mod event_loop;
mod loop_calls;
mod loop_life;
mod loop_state;
mod native;
pub mod object_costs;
mod output;
mod prelude;
mod scheduling;
mod setup;
mod shutdown;
mod state;
mod threads;
mod timeouts;
mod vm;
mod waits;

pub use crate::python::sync::ThreadId;
pub use budget::{time_limit, Limits, Progress, Watcher, OP_BUDGET, WATCH_EVERY};
pub use classes::Attr;
pub use native::{Args, Native, NativeFn, Outcome};
pub use state::{AttrLookup, AttrSetter, ErrLine, Request, Runtime, StartCall, Timed};
pub use threads::thread_ident;
pub use waits::waiting_for;
