//! The bytecode interpreter: runs one simulated thread's frames until it has to wait for the
//! scheduler (a sleep, a lock, a print to time-stamp, its CPU quantum used up) or its bottom
//! frame yields, returns or raises.
//!
//! Generators and coroutines are frames that move between the thread's frame stack (while
//! running) and their generator object (while suspended). How a frame's result reaches the
//! frame below it depends on how it was entered (its `Caller`, see `python::frame`): a plain
//! call pushes the return value, a `for` loop over a generator jumps out when it returns, a
//! `yield from` / `await` passes each yielded value further out, and a *base* frame (a
//! thread's target, an asyncio task's coroutine) hands its outcome to the runtime.
//!
//! The rooms of the VM: this file runs the loop (one instruction after another, with the CPU
//! quantum and the checkpoints of the run's limits, `runtime::budget`); `step.rs` carries out one instruction, by family;
//! `names.rs` reads and writes variables; `calls.rs` enters functions and natives;
//! `generators.rs` and `iteration.rs` move frames in and out of generators and loops;
//! `exceptions.rs` unwinds to handlers; `fast_paths.rs` computes closed-form loops;
//! `instances.rs` calls classes, methods and instances; `equality.rs` compares and sorts
//! where the program's objects are involved; `objects.rs` carries out the instructions on the program's objects (attributes, dunder
//! methods) and runs a function to its end on the spot when an operator needs its result.

mod calls;
mod equality;
mod exceptions;
mod fast_paths;
mod generators;
mod instances;
mod iteration;
mod names;
mod objects;
mod step;

use std::rc::Rc;

use super::state::Runtime;
use crate::python::error::PyError;
use crate::python::frame::Frame;
use crate::python::sync::ThreadId;
use crate::python::value::{ExcKind, Exception, Value};

/// Why the interpreter stopped running a thread's frames.
pub enum Exit {
    /// The thread waits for the runtime (it queued requests or blocked).
    Suspended,
    /// It used up its CPU quantum; the runtime charges the time and lets it go on.
    Quantum,
    BaseYield(Value),
    BaseReturn(Value),
    BaseRaise(Exception),
}

/// What an instruction does to the flow of control.
pub(crate) enum Flow {
    Next,
    Exit(Exit),
}

pub(crate) type Step = Result<Flow, Exception>;

/// CPU time one thread may run before the runtime charges it and others get a look in.
const QUANTUM_NS: u64 = 200_000;

/// The frame that is running: the top of a thread's stack. The VM only runs instructions
/// while a frame is on it, so it is always there.
fn top_frame(frames: &mut [Frame]) -> &mut Frame {
    frames.last_mut().expect("a frame is running")
}

impl Runtime {
    /// Runs thread `tid` until it stops for one of the reasons in [`Exit`].
    pub(in crate::python::runtime) fn run_thread(
        &mut self,
        tid: ThreadId,
    ) -> Result<Exit, PyError> {
        let mut frames = std::mem::take(&mut self.threads[tid].frames);
        let exit = self.exec(tid, &mut frames);
        self.threads[tid].frames = frames;
        if !self.unawaited.borrow().is_empty() {
            self.warn_unawaited(tid);
        }
        exit
    }

    pub(super) fn exec(&mut self, tid: ThreadId, frames: &mut Vec<Frame>) -> Result<Exit, PyError> {
        let mut pending: Option<Exception> = None;
        match self.threads[tid].resume.take() {
            Some(Ok(v)) => {
                if let Some(f) = frames.last_mut() {
                    f.stack.push(v);
                }
            }
            Some(Err(e)) => pending = Some(self.throw_into(frames, e)),
            None => {}
        }
        let op_ns = self.op_ns;
        loop {
            if let Some(exc) = pending.take() {
                match self.unwind(frames, exc) {
                    Ok(()) => {}
                    Err(exit) => return Ok(exit),
                }
                continue;
            }
            if frames.is_empty() {
                return Ok(Exit::BaseReturn(Value::None));
            }
            self.ops_done += 1;
            if self.ops_done >= self.next_check {
                self.check_limits(tid, frames)?;
            }
            if self.threads[tid].cost >= QUANTUM_NS {
                return Ok(Exit::Quantum);
            }
            self.threads[tid].cost += op_ns;
            let frame = top_frame(frames);
            let Some(op) = frame.code.ops.get(frame.pc).cloned() else {
                // Falling off the end cannot happen: every code object ends in Return.
                pending = Some(Exception::new(
                    ExcKind::RuntimeError,
                    "ran past the end of code",
                ));
                continue;
            };
            frame.pc += 1;
            match self.step(tid, frames, op) {
                Ok(Flow::Next) => {}
                Ok(Flow::Exit(e)) => return Ok(e),
                Err(exc) => {
                    if self.raise_line.is_none() {
                        self.raise_line = frames
                            .iter()
                            .rev()
                            .find(|f| self.is_user_frame(f))
                            .map(|f| f.line());
                    }
                    pending = Some(exc)
                }
            }
        }
    }

    /// Whether `frame` runs the user's program (not the prelude).
    pub fn is_user_frame(&self, frame: &Frame) -> bool {
        !Rc::ptr_eq(&frame.globals, &self.prelude_globals)
    }
}
