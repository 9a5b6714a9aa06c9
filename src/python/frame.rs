//! Frames and generators: a frame is one call of a function being run (its code, program
//! counter, value stack and `try` blocks); a generator or coroutine is a frame put aside
//! between two resumptions. They are one file because each refers to the other: a running
//! generator's frame knows its generator, a suspended generator holds its frame.
//!
//! How a frame's result reaches the frame below it depends on how it was entered
//! ([`Caller`]); the VM (`runtime::vm`) carries that out.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::bytecode::{Code, CodeKind};
use super::value::{Object, Value};
use crate::core::fast_hash::FastMap;

/// A module's global variables.
pub type Globals = Rc<RefCell<FastMap<Rc<str>, Value>>>;

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

/// How a frame was entered: what happens to what it yields, returns or raises.
#[derive(Clone, Debug)]
pub enum Caller {
    /// A plain call: the return value is pushed on the caller's stack.
    Call,
    /// The bottom of a thread or of an asyncio task's step: the runtime takes the outcome.
    Base,
    /// A generator resumed by `ForIter`: a yield pushes the item; a return ends the loop.
    ForIter { exit: usize },
    /// A generator or coroutine resumed by `YieldFrom`: yields go on out through the caller.
    YieldFrom,
    /// A generator resumed by `gen.send(v)`, `gen.throw(e)` or `next(gen)`: a yield is the
    /// call's result; a return raises `StopIteration` in the caller.
    Send,
    /// An instance's `__next__` called by a `for` loop: its result is the next item; a
    /// `StopIteration` out of it ends the loop (jumping to `exit`).
    ForNext { exit: usize },
    /// A generator being closed (`gen.close()`): `GeneratorExit` or a return out of it ends
    /// the call with `None`; a yield is a `RuntimeError`.
    Close,
    /// A helper call whose result replaces the caller's stack slot `slot`, after which the
    /// caller re-runs its current instruction (used to turn generators into lists).
    Retry { slot: usize },
    /// A call whose result is dropped.
    Discard,
}

/// A `try` block: where to jump and how deep the stack was.
#[derive(Clone, Debug)]
pub struct Block {
    pub handler: usize,
    pub depth: usize,
}

pub struct Frame {
    pub code: Rc<Code>,
    pub pc: usize,
    pub stack: Vec<Value>,
    pub blocks: Vec<Block>,
    pub env: Rc<Env>,
    pub globals: Globals,
    pub caller: Caller,
    /// For generator and coroutine frames: the generator to put the frame back into.
    pub generator: Option<Rc<GenState>>,
}

impl Frame {
    pub fn new(code: Rc<Code>, env: Rc<Env>, globals: Globals, caller: Caller) -> Frame {
        Frame {
            code,
            pc: 0,
            stack: Vec::new(),
            blocks: Vec::new(),
            env,
            globals,
            caller,
            generator: None,
        }
    }
    /// The source line being executed.
    pub fn line(&self) -> u32 {
        let pc = self
            .pc
            .saturating_sub(1)
            .min(self.code.lines.len().saturating_sub(1));
        self.code.lines.get(pc).copied().unwrap_or(0)
    }
    /// The source line of the instruction to run next: where a frame stopped between two
    /// instructions is (after a jump, [`Frame::line`] would name the line before the target).
    pub fn next_line(&self) -> u32 {
        let pc = self.pc.min(self.code.lines.len().saturating_sub(1));
        self.code.lines.get(pc).copied().unwrap_or(0)
    }
    /// The column (1-based) of the expression being executed, or 0 if unknown.
    pub fn column(&self) -> u32 {
        let pc = self.pc.saturating_sub(1);
        self.code.columns.get(pc).copied().unwrap_or(0)
    }
    /// Pops the top of the value stack (`None` on an empty stack, which compiled code never
    /// pops).
    pub fn pop(&mut self) -> Value {
        self.stack.pop().unwrap_or(Value::None)
    }
    /// Pops when `cond`, else leaves the stack alone and gives `None`.
    pub fn pop_if(&mut self, cond: bool) -> Value {
        if cond {
            self.pop()
        } else {
            Value::None
        }
    }
    /// The top of the value stack, left in place.
    pub fn top(&self) -> Value {
        self.stack.last().cloned().unwrap_or(Value::None)
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
    /// For a coroutine made by the program: where to say so if it is dropped without
    /// ever being awaited, and the line it was made on.
    pub unawaited: Option<(Unawaited, u32)>,
}

/// Where dropped coroutines that were never awaited are listed (name, line), for the
/// runtime to warn about as CPython does.
pub type Unawaited = Rc<RefCell<Vec<(Rc<str>, u32)>>>;

impl Drop for GenState {
    fn drop(&mut self) {
        if let Some((sink, line)) = &self.unawaited {
            if !self.started.get() && !self.done.get() {
                sink.borrow_mut().push((self.name.clone(), *line));
            }
        }
    }
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
