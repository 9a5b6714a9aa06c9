//! The arithmetic operators (`binary`, `unary`) on ints, big ints, floats and sequences, as
//! CPython computes them, and `round`, `divmod` and `pow(a, b, m)`.

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, ToPrimitive, Zero};

use crate::python::value::{raise, ExcKind, Exception, Value};

use super::common::{
    big, float, float_to_int, int_to_float, is_int, small, truthy, BinOp, UnaryOp, MAX_ITEMS, R,
};
use super::percent::percent_format;

/// An int too large for the kitchen: Python's ints have no limit, but a page's memory has.
const MAX_INT_BITS: u64 = 1_000_000;

fn too_large<T>() -> R<T> {
    raise(ExcKind::OverflowError, "integer too large for the kitchen")
}

fn type_err(op: &str, a: &Value, b: &Value) -> Exception {
    Exception::new(
        ExcKind::TypeError,
        format!(
            "unsupported operand type(s) for {op}: '{}' and '{}'",
            a.type_name(),
            b.type_name()
        ),
    )
}

fn op_sym(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::Div => "/",
        BinOp::FloorDiv => "//",
        BinOp::Mod => "%",
        BinOp::Pow => "** or pow()",
        BinOp::LShift => "<<",
        BinOp::RShift => ">>",
        BinOp::BitAnd => "&",
        BinOp::BitOr => "|",
        BinOp::BitXor => "^",
    }
}

/// `items * n`; CPython cannot even count to an int beyond 64 bits, whatever its sign.
fn repeat<T: Clone>(items: &[T], n: &Value) -> R<Vec<T>> {
    let Some(n) = small(n) else {
        return raise(
            ExcKind::OverflowError,
            "cannot fit 'int' into an index-sized integer",
        );
    };
    let n = usize::try_from(n.max(0)).unwrap_or(usize::MAX);
    if items.len().saturating_mul(n) > MAX_ITEMS {
        return raise(ExcKind::OverflowError, "result too large for the kitchen");
    }
    Ok(items
        .iter()
        .cloned()
        .cycle()
        .take(items.len() * n)
        .collect())
}

/// `a op b`.
pub fn binary(op: BinOp, a: &Value, b: &Value) -> R<Value> {
    if is_int(a) && is_int(b) {
        return int_binary(op, a, b);
    }
    let either_float = matches!(a, Value::Float(_)) || matches!(b, Value::Float(_));
    match (float(a), float(b)) {
        (Some(x), Some(y)) if either_float => float_binary(op, a, b, x, y).map(Value::Float),
        _ => sequence_binary(op, a, b),
    }
}

/// `a op b` for ints: exact, in 64 bits while the result fits and in big ints beyond.
fn int_binary(op: BinOp, a: &Value, b: &Value) -> R<Value> {
    // `bool` overrides `&`, `|` and `^` to stay a bool (`True & True` is `True`).
    if let (Value::Bool(x), Value::Bool(y)) = (a, b) {
        match op {
            BinOp::BitAnd => return Ok(Value::Bool(x & y)),
            BinOp::BitOr => return Ok(Value::Bool(x | y)),
            BinOp::BitXor => return Ok(Value::Bool(x ^ y)),
            _ => {}
        }
    }
    if let (Some(x), Some(y)) = (small(a), small(b)) {
        if let Some(v) = small_int_binary(op, x, y) {
            return Ok(v);
        }
    }
    let (x, y) = (big(a).unwrap_or_default(), big(b).unwrap_or_default());
    Ok(Value::from_bigint(match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mul => {
            if x.bits() + y.bits() > MAX_INT_BITS {
                return too_large();
            }
            x * y
        }
        BinOp::Div => return int_true_div(&x, &y).map(Value::Float),
        BinOp::FloorDiv | BinOp::Mod => {
            if y.is_zero() {
                let m = if op == BinOp::Mod {
                    "integer modulo by zero"
                } else {
                    "integer division or modulo by zero"
                };
                return raise(ExcKind::ZeroDivisionError, m);
            }
            let (q, m) = x.div_mod_floor(&y);
            if op == BinOp::FloorDiv {
                q
            } else {
                m
            }
        }
        BinOp::Pow => return int_pow(&x, &y),
        BinOp::LShift | BinOp::RShift => shift(op, x, &y)?,
        BinOp::BitAnd => x & y,
        BinOp::BitOr => x | y,
        BinOp::BitXor => x ^ y,
    }))
}

/// `x op y` for ints that fit in 64 bits, when the result does too and no error is due: the
/// common case, without the big ints' allocations. `None` leaves it to the general path
/// (overflow, a zero divisor, a negative shift or power), which gives the same results.
fn small_int_binary(op: BinOp, x: i64, y: i64) -> Option<Value> {
    const EXACT: u64 = 1 << 53;
    Some(Value::Int(match op {
        BinOp::Add => x.checked_add(y)?,
        BinOp::Sub => x.checked_sub(y)?,
        BinOp::Mul => x.checked_mul(y)?,
        BinOp::FloorDiv | BinOp::Mod if y != 0 => {
            // Python rounds the quotient down; Rust's `/` rounds toward zero.
            let (q, r) = (x.checked_div(y)?, x.checked_rem(y)?);
            let down = r != 0 && ((r < 0) != (y < 0));
            match (op, down) {
                (BinOp::FloorDiv, true) => q - 1,
                (BinOp::FloorDiv, false) => q,
                (_, true) => r + y,
                (_, false) => r,
            }
        }
        // Both exact as floats: only the division rounds (as in `int_true_div`).
        BinOp::Div if y != 0 && x.unsigned_abs() < EXACT && y.unsigned_abs() < EXACT => {
            return Some(Value::Float(x as f64 / y as f64))
        }
        BinOp::BitAnd => x & y,
        BinOp::BitOr => x | y,
        BinOp::BitXor => x ^ y,
        BinOp::RShift if y >= 0 => x >> y.min(63),
        BinOp::LShift if (0..63).contains(&y) => {
            let r = x << y;
            if r >> y != x {
                return None;
            }
            r
        }
        BinOp::Pow if (0..=i64::from(u32::MAX)).contains(&y) => x.checked_pow(y as u32)?,
        _ => return None,
    }))
}

/// `x ** y` for ints: an int, or a float for a negative power, as in Python.
fn int_pow(x: &BigInt, y: &BigInt) -> R<Value> {
    if y.is_negative() {
        return float_pow(int_to_float(x)?, int_to_float(y)?).map(Value::Float);
    }
    // 0, 1 and -1 stay small whatever the power.
    if x.magnitude() <= &num_bigint::BigUint::from(1u32) {
        let one = y.is_zero() || (x.is_negative() && y.is_even());
        return Ok(Value::from_bigint(if one {
            BigInt::from(1)
        } else {
            x.clone()
        }));
    }
    match y.to_u32() {
        Some(e) if x.bits().saturating_mul(u64::from(e)) <= MAX_INT_BITS => {
            Ok(Value::from_bigint(x.pow(e)))
        }
        _ => too_large(),
    }
}

/// `x << y` and `x >> y`.
fn shift(op: BinOp, x: BigInt, y: &BigInt) -> R<BigInt> {
    if y.is_negative() {
        return raise(ExcKind::ValueError, "negative shift count");
    }
    let n = y.to_u64().unwrap_or(u64::MAX);
    if op == BinOp::RShift {
        // Past the last bit only the sign is left.
        return Ok(if n >= x.bits() {
            BigInt::from(if x.is_negative() { -1 } else { 0 })
        } else {
            x >> n
        });
    }
    if x.is_zero() {
        return Ok(x);
    }
    if x.bits().saturating_add(n) > MAX_INT_BITS {
        return too_large();
    }
    Ok(x << n)
}

/// `a / b` for ints, rounded once to the nearest float as CPython's `long_true_divide` does:
/// converting both to floats first would round three times, and give `nan` for huge ints.
fn int_true_div(a: &BigInt, b: &BigInt) -> R<f64> {
    if b.is_zero() {
        return raise(ExcKind::ZeroDivisionError, "division by zero");
    }
    if a.bits() <= 53 && b.bits() <= 53 {
        // Both are exact as floats: only the division rounds.
        return Ok(a.to_f64().unwrap_or(0.0) / b.to_f64().unwrap_or(1.0));
    }
    let negative = a.is_negative() != b.is_negative();
    let (n, d) = (a.magnitude(), b.magnitude());
    // Scale so the quotient has two or three bits below the float's last one: 53 bits, or
    // fewer where the result is below 2**-1022 and floats have fewer.
    let e = n.bits() as i64 - d.bits() as i64;
    let s = (53 - e).min(1074) + 2;
    let (q, r) = if s >= 0 {
        (n << s as u64).div_rem(d)
    } else {
        n.div_rem(&(d << s.unsigned_abs()))
    };
    let k = q.bits().saturating_sub(53).max(2);
    let low = (&q & ((num_bigint::BigUint::from(1u32) << k) - 1u32))
        .to_u64()
        .unwrap_or(0);
    let mut m = (q >> k).to_u64().unwrap_or(u64::MAX);
    // Round half to even; a nonzero remainder means "a little above" any half.
    let half = 1u64 << (k - 1);
    if low > half || (low == half && (!r.is_zero() || m % 2 == 1)) {
        m += 1;
    }
    let x = ldexp(m as f64, k as i64 - s);
    if x.is_infinite() {
        return raise(
            ExcKind::OverflowError,
            "integer division result too large for a float",
        );
    }
    Ok(if negative { -x } else { x })
}

/// `x * 2**exp` in steps that stay exact while the result is a float (only the last can
/// round, to infinity or below the smallest float).
fn ldexp(mut x: f64, mut exp: i64) -> f64 {
    let step = 2f64.powi(1000);
    while exp > 1000 && x.is_finite() {
        x *= step;
        exp -= 1000;
    }
    while exp < -1000 && x != 0.0 {
        x /= step;
        exp += 1000;
    }
    x * 2f64.powi(exp as i32)
}

/// `a op b` when either side is a float: `x` and `y` are the two as floats, converted only
/// for the operators floats have (`1.5 << 10**400` is a `TypeError`, not an `OverflowError`).
fn float_binary(op: BinOp, a: &Value, b: &Value, x: R<f64>, y: R<f64>) -> R<f64> {
    let zero = |message: &str| raise(ExcKind::ZeroDivisionError, message.to_string());
    Ok(match op {
        BinOp::Add => x? + y?,
        BinOp::Sub => x? - y?,
        BinOp::Mul => x? * y?,
        BinOp::Div => {
            let (x, y) = (x?, y?);
            if y == 0.0 {
                return zero("float division by zero");
            }
            x / y
        }
        BinOp::FloorDiv => {
            let (x, y) = (x?, y?);
            if y == 0.0 {
                return zero("float floor division by zero");
            }
            float_divmod(x, y).0
        }
        BinOp::Mod => {
            let (x, y) = (x?, y?);
            if y == 0.0 {
                return zero("float modulo");
            }
            float_divmod(x, y).1
        }
        BinOp::Pow => return float_pow(x?, y?),
        BinOp::LShift | BinOp::RShift | BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor => {
            return Err(type_err(op_sym(op), a, b))
        }
    })
}

/// `divmod(x, y)` for floats (`y != 0`), as CPython's `_float_div_mod` computes it: from the
/// exact remainder `fmod`, so `1 // 0.1` is 9.0 (0.1 is a little more than a tenth), with the
/// remainder's sign (zero's too) that of `y`.
fn float_divmod(x: f64, y: f64) -> (f64, f64) {
    let mut m = x % y;
    let mut div = (x - m) / y;
    if m != 0.0 {
        if (y < 0.0) != (m < 0.0) {
            m += y;
            div -= 1.0;
        }
    } else {
        m = 0f64.copysign(y);
    }
    let floor = if div != 0.0 {
        let f = div.floor();
        if div - f > 0.5 {
            f + 1.0
        } else {
            f
        }
    } else {
        0f64.copysign(x / y)
    };
    (floor, m)
}

/// `x ** y` for floats, with CPython's errors where C's `pow` gives infinity or nan.
fn float_pow(x: f64, y: f64) -> R<f64> {
    if x == 0.0 && y < 0.0 && y.is_finite() {
        return raise(
            ExcKind::ZeroDivisionError,
            "0.0 cannot be raised to a negative power",
        );
    }
    if x < 0.0 && x.is_finite() && y.is_finite() && y.fract() != 0.0 {
        return raise(
            ExcKind::ValueError,
            "complex numbers (a negative number to a fractional power) are not supported by \
             the kitchen",
        );
    }
    let r = x.powf(y);
    if r.is_infinite() && x.is_finite() && y.is_finite() {
        return raise(
            ExcKind::OverflowError,
            "(34, 'Numerical result out of range')",
        );
    }
    Ok(r)
}

/// `a op b` for strings, lists and tuples (and `str % args`).
fn sequence_binary(op: BinOp, a: &Value, b: &Value) -> R<Value> {
    let is_seq = |v: &Value| matches!(v, Value::Str(_) | Value::List(_) | Value::Tuple(_));
    match (op, a, b) {
        (BinOp::Add, Value::Str(x), Value::Str(y)) => Ok(Value::str(&format!("{x}{y}"))),
        (BinOp::Add, Value::List(x), Value::List(y)) => {
            let mut v = x.borrow().clone();
            v.extend(y.borrow().iter().cloned());
            Ok(Value::list(v))
        }
        (BinOp::Add, Value::Tuple(x), Value::Tuple(y)) => {
            let mut v = x.as_ref().clone();
            v.extend(y.iter().cloned());
            Ok(Value::tuple(v))
        }
        (BinOp::Add, x, y) if is_seq(x) => raise(
            ExcKind::TypeError,
            format!(
                "can only concatenate {t} (not \"{}\") to {t}",
                y.type_name(),
                t = x.type_name()
            ),
        ),
        (BinOp::Mul, Value::Str(s), n) | (BinOp::Mul, n, Value::Str(s)) if is_int(n) => {
            let chars: Vec<char> = s.chars().collect();
            Ok(Value::str(
                &repeat(&chars, n)?.into_iter().collect::<String>(),
            ))
        }
        (BinOp::Mul, Value::List(l), n) | (BinOp::Mul, n, Value::List(l)) if is_int(n) => {
            Ok(Value::list(repeat(&l.borrow(), n)?))
        }
        (BinOp::Mul, Value::Tuple(t), n) | (BinOp::Mul, n, Value::Tuple(t)) if is_int(n) => {
            Ok(Value::tuple(repeat(t, n)?))
        }
        (BinOp::Mul, x, y) if is_seq(x) || is_seq(y) => raise(
            ExcKind::TypeError,
            format!(
                "can't multiply sequence by non-int of type '{}'",
                if is_seq(x) { y } else { x }.type_name()
            ),
        ),
        (BinOp::Mod, Value::Str(fmt), args) => percent_format(fmt, args),
        _ => match super::sets_bytes::binary(op, a, b) {
            Some(r) => r,
            None => Err(type_err(op_sym(op), a, b)),
        },
    }
}

/// `op a`.
pub fn unary(op: UnaryOp, a: &Value) -> R<Value> {
    match (op, a) {
        (UnaryOp::Not, v) => Ok(Value::Bool(!truthy(v))),
        (UnaryOp::Neg, Value::Float(f)) => Ok(Value::Float(-f)),
        (UnaryOp::Pos, Value::Float(f)) => Ok(Value::Float(*f)),
        (UnaryOp::Neg, v) if is_int(v) => Ok(Value::from_bigint(-big(v).unwrap_or_default())),
        (UnaryOp::Pos, v) if is_int(v) => Ok(Value::from_bigint(big(v).unwrap_or_default())),
        (UnaryOp::Invert, v) if is_int(v) => {
            Ok(Value::from_bigint(-big(v).unwrap_or_default() - 1))
        }
        (op, v) => raise(
            ExcKind::TypeError,
            format!(
                "bad operand type for unary {}: '{}'",
                match op {
                    UnaryOp::Neg => "-",
                    UnaryOp::Pos => "+",
                    _ => "~",
                },
                v.type_name()
            ),
        ),
    }
}

/// `round(x)` and `round(x, ndigits)`: halves go to the even neighbour, judged on the exact
/// binary value as CPython does (`round(2.675, 2)` is 2.67: that float is below 2.675).
pub(super) fn round(x: &Value, ndigits: Option<&Value>) -> R<Value> {
    let ndigits = match ndigits {
        None | Some(Value::None) => None,
        Some(Value::BigInt(b)) => Some(if b.is_negative() { i64::MIN } else { i64::MAX }),
        Some(n) => Some(small(n).ok_or_else(|| {
            Exception::new(
                ExcKind::TypeError,
                format!(
                    "'{}' object cannot be interpreted as an integer",
                    n.type_name()
                ),
            )
        })?),
    };
    match (x, ndigits) {
        (Value::Float(f), None) => float_to_int(f.round_ties_even()).map(Value::from_bigint),
        (Value::Float(f), Some(n)) => round_float(*f, n).map(Value::Float),
        (v, n) if is_int(v) => Ok(Value::from_bigint(round_int(
            big(v).unwrap_or_default(),
            n.unwrap_or(0),
        ))),
        (v, _) => raise(
            ExcKind::TypeError,
            format!("type {} doesn't define __round__ method", v.type_name()),
        ),
    }
}

/// `round(x, n)` for a float.
fn round_float(x: f64, n: i64) -> R<f64> {
    // CPython's limits: past them every float is already round, or rounds to zero.
    if n > 323 || !x.is_finite() || x == 0.0 {
        return Ok(x);
    }
    if n < -308 {
        return Ok(0.0 * x);
    }
    if n >= 0 {
        // Rust writes the exact binary value rounded half to even, as CPython's dtoa does.
        return Ok(format!("{x:.*}", n as usize).parse().unwrap_or(x));
    }
    // To a multiple of 10**k, on the exact value mantissa * 2**exp.
    let bits = x.abs().to_bits();
    let (field, fraction) = ((bits >> 52) as i64, bits & ((1 << 52) - 1));
    let (mantissa, exp) = if field == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), field - 1075)
    };
    let unit = BigInt::from(10).pow(n.unsigned_abs() as u32);
    let (num, den) = if exp >= 0 {
        (BigInt::from(mantissa) << exp as u64, unit.clone())
    } else {
        (BigInt::from(mantissa), &unit << exp.unsigned_abs())
    };
    let r = div_round_even(&num, &den) * unit;
    match r.to_f64() {
        Some(f) if f.is_finite() => Ok(f.copysign(x)),
        _ => raise(
            ExcKind::OverflowError,
            "rounded value too large to represent",
        ),
    }
}

/// `round(v, n)` for an int: unchanged for `n >= 0`, else to a multiple of `10**-n`.
fn round_int(v: BigInt, n: i64) -> BigInt {
    if n >= 0 {
        return v;
    }
    let k = n.unsigned_abs();
    // 10**k > 2**(3k) > 2 * |v|: closer to 0 than to any other multiple.
    if k.saturating_mul(3) > v.bits() + 1 {
        return BigInt::zero();
    }
    let unit = BigInt::from(10).pow(k as u32);
    div_round_even(&v, &unit) * unit
}

/// `n / d` rounded to the nearest int, a half to the even one (`d > 0`).
fn div_round_even(n: &BigInt, d: &BigInt) -> BigInt {
    let (q, r) = n.div_mod_floor(d);
    let twice: BigInt = r * 2;
    if twice > *d || (twice == *d && q.is_odd()) {
        q + 1
    } else {
        q
    }
}

/// `divmod(a, b)`.
pub(super) fn divmod(a: &Value, b: &Value) -> R<Value> {
    if is_int(a) && is_int(b) {
        let q = int_binary(BinOp::FloorDiv, a, b)?;
        return Ok(Value::tuple(vec![q, int_binary(BinOp::Mod, a, b)?]));
    }
    match (float(a), float(b)) {
        (Some(x), Some(y)) => {
            let (x, y) = (x?, y?);
            if y == 0.0 {
                return raise(ExcKind::ZeroDivisionError, "float divmod()");
            }
            let (q, m) = float_divmod(x, y);
            Ok(Value::tuple(vec![Value::Float(q), Value::Float(m)]))
        }
        _ => Err(type_err("divmod()", a, b)),
    }
}

/// `pow(base, exp, modulus)`: for ints only; a negative `exp` inverts `base` first.
pub(super) fn pow_mod(base: &Value, exp: &Value, modulus: &Value) -> R<Value> {
    let (Some(b), Some(e), Some(m)) = (big(base), big(exp), big(modulus)) else {
        return raise(
            ExcKind::TypeError,
            "pow() 3rd argument not allowed unless all arguments are integers",
        );
    };
    if m.is_zero() {
        return raise(ExcKind::ValueError, "pow() 3rd argument cannot be 0");
    }
    let b = if e.is_negative() {
        b.modinv(&m).ok_or_else(|| {
            Exception::new(
                ExcKind::ValueError,
                "base is not invertible for the given modulus",
            )
        })?
    } else {
        b
    };
    Ok(Value::from_bigint(b.modpow(&e.abs(), &m)))
}
