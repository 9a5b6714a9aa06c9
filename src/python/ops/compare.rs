//! Equality and order of values (`==`, `<`, ...), exact between ints and floats, and sorting
//! by them.

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_traits::FromPrimitive;

use crate::python::bytes::bytes_of;
use crate::python::set::{set_of, subset};
use crate::python::value::{raise, ExcKind, Value};

use super::common::{big, small, CmpOp, R};

/// The order of two numbers as CPython finds it (an int is never rounded to a float first:
/// `2**53 + 1 > 2.0**53`): `None` if either is not a number, `Some(None)` if either is nan.
fn number_order(a: &Value, b: &Value) -> Option<Option<Ordering>> {
    /// Ints below this are exact as floats, so comparing them as floats is exact.
    const EXACT: u64 = 1 << 53;
    Some(match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y),
        (Value::Float(x), Value::Int(i)) if i.unsigned_abs() < EXACT => x.partial_cmp(&(*i as f64)),
        (Value::Int(i), Value::Float(y)) if i.unsigned_abs() < EXACT => (*i as f64).partial_cmp(y),
        (Value::Float(x), i) => int_float_order(&big(i)?, *x).map(Ordering::reverse),
        (i, Value::Float(y)) => int_float_order(&big(i)?, *y),
        (x, y) => match (small(x), small(y)) {
            (Some(x), Some(y)) => Some(x.cmp(&y)),
            _ => Some(big(x)?.cmp(&big(y)?)),
        },
    })
}

/// Compares int `i` with float `f` exactly: with `f`'s whole part as an int, then its fraction.
fn int_float_order(i: &BigInt, f: f64) -> Option<Ordering> {
    if f.is_infinite() {
        return Some(if f > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    }
    let whole = f.trunc();
    let w = BigInt::from_f64(whole)?;
    Some(
        i.cmp(&w)
            .then_with(|| 0.0.partial_cmp(&(f - whole)).unwrap_or(Ordering::Equal)),
    )
}

/// `a == b`.
pub fn eq(a: &Value, b: &Value) -> bool {
    if let Some(o) = number_order(a, b) {
        return o == Some(Ordering::Equal);
    }
    match (a, b) {
        (Value::None, Value::None) => true,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| eq(p, q))
        }
        (Value::Tuple(x), Value::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| eq(p, q))
        }
        (Value::Dict(x), Value::Dict(y)) => {
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len()
                && x.items()
                    .all(|(k, v)| y.get(k).ok().flatten().is_some_and(|w| eq(v, &w)))
        }
        (Value::Range(x), Value::Range(y)) => x == y,
        (Value::ExcType(x), Value::ExcType(y)) => x == y,
        (Value::Object(_), _) | (_, Value::Object(_)) => {
            sets_bytes_eq(a, b).unwrap_or_else(|| a.is(b))
        }
        _ => a.is(b),
    }
}

/// The order of `a` and `b` for comparison `op` (`None`: unordered, a nan); a `TypeError`
/// naming `op` for values that have no order.
fn order(a: &Value, b: &Value, op: CmpOp) -> R<Option<Ordering>> {
    if let Some(o) = number_order(a, b) {
        return Ok(o);
    }
    // Sequences compare at their first unequal items, else by length.
    let seq = |x: &[Value], y: &[Value]| -> R<Option<Ordering>> {
        for (p, q) in x.iter().zip(y.iter()) {
            if !eq(p, q) {
                return order(p, q, op);
            }
        }
        Ok(Some(x.len().cmp(&y.len())))
    };
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => Ok(Some(x.cmp(y))),
        (Value::List(x), Value::List(y)) => seq(&x.borrow(), &y.borrow()),
        (Value::Tuple(x), Value::Tuple(y)) => seq(x, y),
        _ => raise(
            ExcKind::TypeError,
            format!(
                "'{}' not supported between instances of '{}' and '{}'",
                op.symbol(),
                a.type_name(),
                b.type_name()
            ),
        ),
    }
}

/// `a op b` for comparisons.
pub fn compare(op: CmpOp, a: &Value, b: &Value) -> R<bool> {
    use Ordering::*;
    if matches!(a, Value::Object(_)) && !matches!(op, CmpOp::Eq | CmpOp::NotEq) {
        if let Some(r) = sets_bytes_compare(op, a, b) {
            return r;
        }
    }
    Ok(match op {
        CmpOp::Eq => eq(a, b),
        CmpOp::NotEq => !eq(a, b),
        CmpOp::Lt => order(a, b, op)? == Some(Less),
        CmpOp::LtE => matches!(order(a, b, op)?, Some(Less | Equal)),
        CmpOp::Gt => order(a, b, op)? == Some(Greater),
        CmpOp::GtE => matches!(order(a, b, op)?, Some(Greater | Equal)),
    })
}

pub(super) fn sorted(mut items: Vec<Value>, reverse: bool) -> R<Vec<Value>> {
    let mut error = None;
    // Python sorts with `<` alone: unordered pairs (nan) count as equal.
    items.sort_by(|a, b| match order(a, b, CmpOp::Lt) {
        Ok(o) => o.unwrap_or(Ordering::Equal),
        Err(e) => {
            error.get_or_insert(e);
            std::cmp::Ordering::Equal
        }
    });
    if let Some(e) = error {
        return Err(e);
    }
    if reverse {
        // Stable reverse: equal items keep their original order, as in CPython.
        items.reverse();
        let mut out: Vec<Value> = Vec::with_capacity(items.len());
        let mut i = 0;
        while i < items.len() {
            let mut j = i + 1;
            while j < items.len() && eq(&items[i], &items[j]) {
                j += 1;
            }
            out.extend(items[i..j].iter().rev().cloned());
            i = j;
        }
        items = out;
    }
    Ok(items)
}

/// `a == b` for sets and bytes; `None` when they are not both one.
fn sets_bytes_eq(a: &Value, b: &Value) -> Option<bool> {
    if let (Some(x), Some(y)) = (set_of(a), set_of(b)) {
        let (x, y) = (x.borrow(), y.borrow());
        return Some(x.len() == y.len() && subset(&x, &y).unwrap_or(false));
    }
    match (bytes_of(a), bytes_of(b)) {
        (Some(x), Some(y)) => Some(x == y),
        _ => None,
    }
}

/// `a op b` for the orders: subsets for sets, bytewise for bytes.
fn sets_bytes_compare(op: CmpOp, a: &Value, b: &Value) -> Option<R<bool>> {
    if let (Some(x), Some(y)) = (set_of(a), set_of(b)) {
        let (x, y) = (x.borrow(), y.borrow());
        let r = match op {
            CmpOp::LtE => subset(&x, &y),
            CmpOp::Lt => subset(&x, &y).map(|s| s && x.len() < y.len()),
            CmpOp::GtE => subset(&y, &x),
            CmpOp::Gt => subset(&y, &x).map(|s| s && y.len() < x.len()),
            _ => return None,
        };
        return Some(r);
    }
    let (x, y) = (bytes_of(a)?, bytes_of(b)?);
    let o = x.cmp(y);
    Some(Ok(match op {
        CmpOp::Lt => o == Ordering::Less,
        CmpOp::LtE => o != Ordering::Greater,
        CmpOp::Gt => o == Ordering::Greater,
        CmpOp::GtE => o != Ordering::Less,
        CmpOp::Eq => o == Ordering::Equal,
        CmpOp::NotEq => o != Ordering::Equal,
    }))
}
