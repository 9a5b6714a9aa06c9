//! The interpreter's instruction set: a small stack machine in the spirit of CPython's own.
//!
//! Python code is compiled to bytecode rather than walked as a tree because every simulated
//! thread, asyncio task and generator must be able to stop in the middle of an expression
//! (at a `time.sleep`, an `await`, a `yield`) and go on later. With bytecode a paused
//! computation is just data: a list of frames, each a code object, a program counter and a
//! value stack.

use std::rc::Rc;

use super::fast_path::Poly;
use super::ops::{BinOp, CmpOp, UnaryOp};
use super::value::Value;

/// Where a name lives, decided at compile time.
#[derive(Clone, Debug, PartialEq)]
pub enum NameRef {
    /// A local of the running function: a slot in its environment.
    Local(u32),
    /// A local of an enclosing function: `depth` environments up, slot `slot` (a closure).
    Outer { depth: u16, slot: u32 },
    /// A module global (or, when reading, a builtin).
    Global(Rc<str>),
}

#[derive(Clone, Debug)]
pub enum Op {
    Const(Value),
    Load(NameRef),
    Store(NameRef),
    Delete(NameRef),
    LoadAttr(Rc<str>),
    StoreAttr(Rc<str>),
    Subscript,
    StoreSubscript,
    DeleteSubscript,
    BuildSlice,
    Binary(BinOp),
    /// `x op= y`: like `Binary`, but lists are extended in place.
    InPlace(BinOp),
    Unary(UnaryOp),
    Compare(CmpOp),
    /// `in` (`false`) or `not in` (`true`).
    Contains(bool),
    /// `is` (`false`) or `is not` (`true`).
    Is(bool),
    Jump(usize),
    /// Pops; jumps if falsy.
    JumpIfFalse(usize),
    /// Pops; jumps if truthy.
    JumpIfTrue(usize),
    /// `and`: if falsy keep it and jump, else pop.
    JumpIfFalseOrPop(usize),
    /// `or`: if truthy keep it and jump, else pop.
    JumpIfTrueOrPop(usize),
    Pop,
    Dup,
    /// Swaps the two top values.
    Rot2,
    BuildList(u32),
    BuildTuple(u32),
    /// `n` key-value pairs, keys first.
    BuildDict(u32),
    /// Appends TOS to the list `depth` below it (list comprehensions, `[*a, b]`).
    ListAppend(u32),
    /// Extends the list below TOS with the iterable TOS (`[*a]`, `f(*a)`); may run a generator.
    ListExtend,
    /// Pops value then key; sets them in the dict `depth` below.
    DictSet(u32),
    /// Pops a mapping and merges it into the dict below (`f(**kw)`, `{**a}`).
    DictMerge,
    ListToTuple,
    UnpackSequence(u32),
    GetIter,
    /// Pushes the iterator's next item, or pops the iterator and jumps when it is exhausted.
    ForIter(usize),
    /// Calls the callable under `argc` positional and `kwnames.len()` keyword values.
    Call {
        argc: u32,
        kwnames: Rc<[Rc<str>]>,
    },
    /// Calls with a tuple of positional arguments and a dict of keyword arguments.
    CallEx,
    /// Makes a function from a template; pops its default values (`ndefaults`) first and a
    /// dict of keyword-only defaults if the template has any.
    MakeFunction(Rc<FunctionTemplate>),
    Return,
    /// Yields TOS to whoever resumed this generator; the value sent back is pushed.
    Yield,
    /// `yield from` / `await`: delegates to the iterator or awaitable under TOS (TOS is the
    /// value to send in); pushes its return value when it is done.
    YieldFrom,
    /// Turns TOS into something `await` can delegate to (coroutine, future, task).
    GetAwaitable,
    /// Starts a `try`: an exception before the matching `PopBlock` jumps to the handler with
    /// the exception pushed.
    SetupExcept(usize),
    PopBlock,
    /// Raises TOS (an exception instance or class).
    Raise,
    /// Pops an exception class (or tuple of them); pushes whether TOS (an exception) matches.
    MatchExc,
    /// `f"{x!r:>5}"`: pops the spec (if any) and the value; pushes the text.
    FormatValue {
        conversion: u8,
        has_spec: bool,
    },
    BuildString(u32),
    /// `import name`: pushes the module.
    Import(Rc<str>),
    /// `with`: pops the context manager, pushes its `__exit__` and then the result of calling
    /// its `__enter__` (`__aenter__` for `async with`; the caller awaits that result).
    WithEnter {
        is_async: bool,
    },
    /// Calls the `__exit__` under TOS-stack with three `None`s; pushes its result.
    WithExitNormal,
    /// In a `with` handler: TOS is the exception, below it `__exit__`; calls `__exit__` with
    /// the exception and pushes `(exception, result)` as two values.
    WithExitExcept,
    /// `sum(E for V in range(...))` with `E` a polynomial in `V`: computed in closed form, and
    /// charged what CPython would spend on every turn. Pops the range arguments.
    SumRange {
        argc: u32,
        poly: Rc<Poly>,
    },
    /// `for V in range(...): total += E ...` with every statement an accumulation of a
    /// polynomial: computed in closed form. Pops the range arguments.
    ForRangeAccumulate {
        argc: u32,
        var: NameRef,
        targets: Rc<[(NameRef, bool, Poly)]>,
        weight: u32,
    },
    /// The end of a class body: makes the class from the body's local variables (the bases
    /// are in local slot 0) and pushes it.
    BuildClass(Rc<ClassInfo>),
    /// Raises `AssertionError` with TOS (or no message, when `false`).
    AssertFail(bool),
    /// Raises a `RuntimeError` or similar: a construct that is only wrong at run time
    /// (e.g. a bare `raise` outside a handler).
    Fail(Rc<str>),
}

/// What a `class` statement says about its class besides its body's variables.
#[derive(Debug)]
pub struct ClassInfo {
    pub name: Rc<str>,
    /// `Outer.Inner`, `f.<locals>.Local`: where the class was defined.
    pub qualname: Rc<str>,
    /// The body's annotated names in order, with each annotation's source text
    /// (`x: int = 0` gives `("x", "int")`): what `@dataclass` makes fields of. Annotations
    /// are kept as text, as `from __future__ import annotations` keeps them.
    pub annotations: Vec<(Rc<str>, Rc<str>)>,
}

/// Compiled code of a module, function, lambda or comprehension.
#[derive(Debug)]
pub struct Code {
    pub name: Rc<str>,
    pub ops: Vec<Op>,
    /// Source line of each op.
    pub lines: Vec<u32>,
    /// Source column (1-based) of the expression each op belongs to, where an error it
    /// raises is reported.
    pub columns: Vec<u32>,
    /// Local variable names, by slot.
    pub locals: Vec<Rc<str>>,
    pub kind: CodeKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeKind {
    Module,
    Function,
    Generator,
    Coroutine,
}

/// What `def` or `lambda` compiles to: the code plus how to bind arguments.
#[derive(Debug)]
pub struct FunctionTemplate {
    pub code: Rc<Code>,
    /// Positional parameter names (slots 0..n).
    pub params: Vec<Rc<str>>,
    /// Number of trailing positional parameters with defaults.
    pub ndefaults: u32,
    /// Slot of `*args`, if any.
    pub varargs: Option<u32>,
    /// Keyword-only parameter names and slots.
    pub kwonly: Vec<(Rc<str>, u32)>,
    /// Whether a dict of keyword-only defaults is on the stack for `MakeFunction`.
    pub has_kwdefaults: bool,
    /// Slot of `**kwargs`, if any.
    pub varkw: Option<u32>,
}
