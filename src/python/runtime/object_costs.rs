//! What CPython 3.11 charges for the object model, in the kitchen's currency: interpreted
//! operations of the profile's `op_s` each.
//!
//! The kitchen already charges every instruction it runs (a method call is a call, `self.x`
//! is one attribute instruction, the body of a dunder method is interpreted like any code).
//! These are the *extra* operations where CPython does more work in C than the instructions
//! show: making an instance, calling a dunder method from an operator, a `super()` lookup, a
//! property, a class statement. Each was measured with CPython 3.11.7 on the 2-core machine
//! of the profile (`scripts/measure-class-costs.py`: the CPU time per statement in a
//! loop, minus the loop's own, the lowest of 15 runs, three rounds), then divided by 3.4 ns
//! (the profile's `op_s`) after taking off what the kitchen charges for the same statement's
//! instructions:
//!
//! | statement                 | CPython  | the kitchen's instructions | extra |
//! |---------------------------|----------|----------------------------|-------|
//! | `f()`  (a plain call)     | 22 ns    | 6 ops (20 ns)              | 0     |
//! | `o.m()`                   | 24 ns    | 7 ops (24 ns)              | 0     |
//! | `y = o.x` (instance attr) | 6 ns     | 3 ops                      | 0     |
//! | `E()` (no `__init__`)     | 112 ns   | 3 ops                      | 30    |
//! | `P0()` (empty `__init__`) | 148 ns   | 6 ops                      | 30+10 |
//! | `P(1, 2)` (two attrs)     | 205 ns   | 14 ops                     | 30+10 |
//! | `S(1, 2)` with `super()`  | 350 ns   | 27 ops                     | +25   |
//! | `o == o` (`__eq__`)       | 45 ns    | 7 ops                      | 6     |
//! | `str(o)` (`__str__`)      | 50 ns    | 7 ops                      | 6     |
//! | `o[1]` (`__getitem__`)    | 29 ns    | 7 ops                      | 0     |
//! | `o()` (`__call__`)        | 72 ns    | 6 ops                      | 15    |
//! | `o.k` (a class attribute) | 25 ns    | 3 ops                      | 6     |
//! | `y = o.px` (a property)   | 51 ns    | 8 ops                      | 7     |
//! | `with o: pass`            | 190 ns   | 14 ops                     | 2×20  |
//! | `class A: def m(self)...` | 7-11 µs  | 6 ops                      | 2,500 |
//! | `@dataclass` (2 fields)   | 330 µs   | (the decorator's own code) | 95,000|
//!
//! `@dataclass` is slow in CPython because it writes the class's methods as source text and
//! compiles it; the kitchen's port does the same work but compiles faster, so it charges the
//! rest.

/// Making an instance: the type's call, the allocation, and its freeing later.
pub const NEW_INSTANCE: u64 = 30;
/// Calling a Python `__init__` from the type's call (C calling Python).
pub const INIT_CALL: u64 = 10;
/// Calling a dunder method from an operator or a builtin (`==`, `+`, `str()`, `len()`).
pub const DUNDER_CALL: u64 = 6;
/// Calling an instance (`__call__`, which CPython 3.11 does not specialize).
pub const CALL_INSTANCE: u64 = 15;
/// `super()` and the attribute looked up through it.
pub const SUPER: u64 = 25;
/// A class attribute (or an inherited one) read through an instance or the class.
pub const CLASS_ATTR: u64 = 6;
/// Reading a property (its getter called from C).
pub const PROPERTY: u64 = 7;
/// Entering or leaving a `with` block on an instance of the program's classes.
pub const WITH_INSTANCE: u64 = 20;
/// A `class` statement: making the type object from the namespace.
pub const NEW_CLASS: u64 = 2_500;
/// `@dataclass` on a class, besides what its port in the prelude runs.
pub const DATACLASS: u64 = 95_000;
