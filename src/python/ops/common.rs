//! What every operation module uses: the conversions between Python's number types,
//! truthiness, and the operator enums that the compiler and the VM share. It sits below the
//! other modules of `ops` (they all import it; it imports none of them).

use num_bigint::BigInt;
use num_traits::{FromPrimitive, ToPrimitive, Zero};

use crate::python::value::{raise, ExcKind, Exception, Value};

pub(super) type R<T> = Result<T, Exception>;

pub(super) fn big(v: &Value) -> Option<BigInt> {
    match v {
        Value::Int(i) => Some(BigInt::from(*i)),
        Value::Bool(b) => Some(BigInt::from(*b as i64)),
        Value::BigInt(b) => Some((**b).clone()),
        _ => None,
    }
}

pub(super) fn small(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(*b as i64),
        _ => None,
    }
}

/// A number as a float, as CPython converts it (`None` for other values).
pub(super) fn float(v: &Value) -> Option<R<f64>> {
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
pub(super) fn int_to_float(b: &BigInt) -> R<f64> {
    match b.to_f64() {
        Some(f) if f.is_finite() => Ok(f),
        _ => raise(ExcKind::OverflowError, "int too large to convert to float"),
    }
}

/// A float's whole part as an int, with CPython's errors for nan and the infinities.
pub(super) fn float_to_int(f: f64) -> R<BigInt> {
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

pub(super) fn is_int(v: &Value) -> bool {
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
        Value::Object(_) => match crate::python::set::set_of(v) {
            Some(s) => !s.borrow().is_empty(),
            None => crate::python::bytes::bytes_of(v).is_none_or(|b| !b.is_empty()),
        },
        _ => true,
    }
}

/// The most items a list, tuple or string may have in the kitchen (`items * n`, `list(range)`).
pub(super) const MAX_ITEMS: usize = 50_000_000;

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
