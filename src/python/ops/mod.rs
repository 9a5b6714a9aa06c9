//! Operations on plain Python data: arithmetic, comparison, `repr`/`str`, formatting.
//!
//! The rest of the interpreter uses the items re-exported here. Each submodule holds one
//! concern, with the private helpers that only it uses:
//!
//! - `repr`: `repr` and `str`, CPython's float repr and string escapes (shared by errors,
//!   `print` and the formatters).
//! - `arith`: the binary and unary operators on ints, big ints, floats and sequences, and
//!   `round`, `divmod` and `pow(a, b, m)`, which share their int and float division.
//! - `compare`: `==` and the orders (exact between ints and floats), and sorting by them.
//! - `items`: indexing and slicing, item assignment and deletion, `in`, and an iterable's
//!   items: everything that resolves an index or a slice against a length.
//! - `format`: the format-spec mini language of `format()`, f-strings and `str.format`.
//! - `percent`: `str % args`, which reuses the format specs' padding and number layout.
//! - `str_format`: `str.format`'s templates and fields, on top of `format`.
//! - `methods`: which data type has which method, `call_method`'s dispatch, and the argument
//!   reader (`Call`) that the method modules share.
//! - `str_methods`, `list_dict_methods`: the methods of `str`, and of `list` and `dict`.
//! - `builtins`: builtin functions over plain data (`len`, `int`, `min`, `sum`, ...).
//!
//! This file keeps what all of them use: the conversions between Python's number types,
//! truthiness, and the operator enums that the compiler and the VM share.

mod arith;
mod builtins;
mod compare;
mod format;
mod items;
mod list_dict_methods;
mod methods;
mod percent;
mod repr;
mod str_format;
mod str_methods;

pub use arith::{binary, unary};
pub use builtins::{builtin, range_from};
pub use compare::{compare, eq};
pub use format::format_value;
pub use items::{contains, del_item, get_item, set_item, to_vec};
pub use methods::{call_method, has_method};
pub use repr::{float_repr, repr, to_str};

use num_bigint::BigInt;
use num_traits::{FromPrimitive, ToPrimitive, Zero};

use super::value::{raise, ExcKind, Exception, Value};

type R<T> = Result<T, Exception>;

fn big(v: &Value) -> Option<BigInt> {
    match v {
        Value::Int(i) => Some(BigInt::from(*i)),
        Value::Bool(b) => Some(BigInt::from(*b as i64)),
        Value::BigInt(b) => Some((**b).clone()),
        _ => None,
    }
}

fn small(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(*b as i64),
        _ => None,
    }
}

/// A number as a float, as CPython converts it (`None` for other values).
fn float(v: &Value) -> Option<R<f64>> {
    match v {
        Value::Float(f) => Some(Ok(*f)),
        Value::Int(i) => Some(Ok(*i as f64)),
        Value::Bool(b) => Some(Ok(*b as i64 as f64)),
        Value::BigInt(b) => Some(int_to_float(b)),
        _ => None,
    }
}

/// An int as the nearest float (num-bigint rounds correctly), and CPython's `OverflowError`
/// past the largest float, where converting would give infinity.
fn int_to_float(b: &BigInt) -> R<f64> {
    match b.to_f64() {
        Some(f) if f.is_finite() => Ok(f),
        _ => raise(ExcKind::OverflowError, "int too large to convert to float"),
    }
}

/// A float's whole part as an int, with CPython's errors for nan and the infinities.
fn float_to_int(f: f64) -> R<BigInt> {
    if f.is_nan() {
        return raise(ExcKind::ValueError, "cannot convert float NaN to integer");
    }
    BigInt::from_f64(f.trunc()).ok_or_else(|| {
        Exception::new(
            ExcKind::OverflowError,
            "cannot convert float infinity to integer",
        )
    })
}

fn is_int(v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::Bool(_) | Value::BigInt(_))
}

/// Python's truth value.
pub fn truthy(v: &Value) -> bool {
    match v {
        Value::None => false,
        Value::Bool(b) => *b,
        Value::Int(i) => *i != 0,
        Value::BigInt(b) => !b.is_zero(),
        Value::Float(f) => *f != 0.0,
        Value::Str(s) => !s.is_empty(),
        Value::List(l) => !l.borrow().is_empty(),
        Value::Tuple(t) => !t.is_empty(),
        Value::Dict(d) => !d.borrow().is_empty(),
        Value::Range(r) => !r.is_empty(),
        _ => true,
    }
}

/// The most items a list, tuple or string may have in the kitchen (`items * n`, `list(range)`).
const MAX_ITEMS: usize = 50_000_000;

/// Binary operators (`a + b`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    BitAnd,
    BitOr,
    BitXor,
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Pos,
    Not,
    Invert,
}

/// Comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    NotEq,
    Lt,
    LtE,
    Gt,
    GtE,
}

impl CmpOp {
    /// The operator as written, for error messages.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::NotEq => "!=",
            CmpOp::Lt => "<",
            CmpOp::LtE => "<=",
            CmpOp::Gt => ">",
            CmpOp::GtE => ">=",
        }
    }
}
