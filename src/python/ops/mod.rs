//! Operations on plain Python data: arithmetic, comparison, `repr`/`str`, formatting.

use super::value::Value;

use std::cell::RefCell;
use std::rc::Rc;

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{FromPrimitive, Signed, ToPrimitive, Zero};

use super::value::{raise, Dict, ExcKind, Exception, Range};

type R<T> = Result<T, Exception>;

fn big(v: &Value) -> Option<BigInt> {
    match v {
        Value::Int(i) => Some(BigInt::from(*i)),
        Value::Bool(b) => Some(BigInt::from(*b as i64)),
        Value::BigInt(b) => Some((**b).clone()),
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

/// `repr(f)` for floats, as CPython writes them.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    let e = format!("{f:e}");
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if (-4..16).contains(&exp) {
        let s = format!("{f}");
        if s.contains('.') {
            s
        } else {
            format!("{s}.0")
        }
    } else {
        let sign = if exp < 0 { "-" } else { "+" };
        format!("{mant}e{sign}{:02}", exp.abs())
    }
}

/// Whether `repr` shows `c` as itself (Python's `str.isprintable`): not a control, format,
/// separator (but the space), private-use or noncharacter code point. Python also escapes
/// unassigned code points, which would take Unicode's tables; those are shown as they are.
fn is_printable(c: char) -> bool {
    let u = c as u32;
    !(u < 0x20
        || (0x7f..=0xa0).contains(&u)
        || matches!(
            u,
            0xad | 0x600..=0x605
                | 0x61c
                | 0x6dd
                | 0x70f
                | 0x890..=0x891
                | 0x8e2
                | 0x1680
                | 0x180e
                | 0x2000..=0x200f
                | 0x2028..=0x202f
                | 0x205f..=0x206f
                | 0x3000
                | 0xe000..=0xf8ff
                | 0xfdd0..=0xfdef
                | 0xfeff
                | 0xfff9..=0xfffb
                | 0x110bd
                | 0x110cd
                | 0x13430..=0x1343f
                | 0x1bca0..=0x1bca3
                | 0x1d173..=0x1d17a
                | 0xe0001
                | 0xe0020..=0xe007f
                | 0xf0000..
        )
        || u & 0xfffe == 0xfffe)
}

/// `c` as a `\x`, `\u` or `\U` escape.
fn escape(c: char) -> String {
    match c as u32 {
        u @ 0..=0xff => format!("\\x{u:02x}"),
        u @ 0x100..=0xffff => format!("\\u{u:04x}"),
        u => format!("\\U{u:08x}"),
    }
}

fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c)
            }
            c if !is_printable(c) => out.push_str(&escape(c)),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// `ascii(v)`: `repr(v)` with every non-ASCII char escaped.
fn ascii_repr(v: &Value) -> String {
    repr(v)
        .chars()
        .map(|c| {
            if c.is_ascii() {
                c.to_string()
            } else {
                escape(c)
            }
        })
        .collect()
}

fn repr_depth(v: &Value, depth: u32) -> String {
    if depth > 100 {
        return "...".into();
    }
    let items = |xs: &[Value]| {
        xs.iter()
            .map(|x| repr_depth(x, depth + 1))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match v {
        Value::None => "None".into(),
        Value::Bool(b) => {
            if *b {
                "True".into()
            } else {
                "False".into()
            }
        }
        Value::Int(i) => i.to_string(),
        Value::BigInt(b) => b.to_string(),
        Value::Float(f) => float_repr(*f),
        Value::Str(s) => str_repr(s),
        Value::List(l) => format!("[{}]", items(&l.borrow())),
        Value::Tuple(t) if t.len() == 1 => format!("({},)", repr_depth(&t[0], depth + 1)),
        Value::Tuple(t) => format!("({})", items(t)),
        Value::Dict(d) => format!(
            "{{{}}}",
            d.borrow()
                .items()
                .map(|(k, v)| format!("{}: {}", repr_depth(k, depth + 1), repr_depth(v, depth + 1)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Range(r) if r.step == 1 => format!("range({}, {})", r.start, r.stop),
        Value::Range(r) => format!("range({}, {}, {})", r.start, r.stop, r.step),
        Value::Slice(s) => format!("slice({}, {}, {})", repr(&s[0]), repr(&s[1]), repr(&s[2])),
        Value::ExcType(k) => format!("<class '{}'>", k.name()),
        Value::Exception(e) => format!(
            "{}({})",
            e.kind.name(),
            if e.message.is_empty() {
                String::new()
            } else {
                str_repr(&e.message)
            }
        ),
        Value::Object(o) => o.repr(),
    }
}

/// `repr(v)`.
pub fn repr(v: &Value) -> String {
    repr_depth(v, 0)
}

/// `str(v)`.
pub fn to_str(v: &Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        Value::Exception(e) => e.message.clone(),
        other => repr(other),
    }
}

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

const MAX_ITEMS: usize = 50_000_000;

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
    if let (Some(x), Some(y)) = (small(a), small(b)) {
        let r = match op {
            BinOp::Add => x.checked_add(y),
            BinOp::Sub => x.checked_sub(y),
            BinOp::Mul => x.checked_mul(y),
            _ => None,
        };
        if let Some(r) = r {
            return Ok(Value::Int(r));
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
             the kitchen's Python",
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
        _ => Err(type_err(op_sym(op), a, b)),
    }
}

fn small(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(*b as i64),
        _ => None,
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

/// The order of two numbers as CPython finds it (an int is never rounded to a float first:
/// `2**53 + 1 > 2.0**53`): `None` if either is not a number, `Some(None)` if either is nan.
fn number_order(a: &Value, b: &Value) -> Option<Option<Ordering>> {
    Some(match (a, b) {
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y),
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
    Ok(match op {
        CmpOp::Eq => eq(a, b),
        CmpOp::NotEq => !eq(a, b),
        CmpOp::Lt => order(a, b, op)? == Some(Less),
        CmpOp::LtE => matches!(order(a, b, op)?, Some(Less | Equal)),
        CmpOp::Gt => order(a, b, op)? == Some(Greater),
        CmpOp::GtE => matches!(order(a, b, op)?, Some(Greater | Equal)),
    })
}

/// `item in container`.
pub fn contains(container: &Value, item: &Value) -> R<bool> {
    match container {
        Value::Str(s) => match item {
            Value::Str(i) => Ok(s.contains(&**i)),
            other => raise(
                ExcKind::TypeError,
                format!(
                    "'in <string>' requires string as left operand, not {}",
                    other.type_name()
                ),
            ),
        },
        Value::Dict(d) => Ok(d.borrow().get(item)?.is_some()),
        Value::List(l) => Ok(l.borrow().iter().any(|x| eq(x, item))),
        Value::Tuple(t) => Ok(t.iter().any(|x| eq(x, item))),
        Value::Range(r) => match small(item) {
            Some(i) => Ok(range_contains(r, i)),
            None if is_int(item) => Ok(false),
            // Other values (`3.0 in range(5)`) are compared with each number, as in Python.
            None => Ok(to_vec(&Value::Range(*r))?.iter().any(|x| eq(x, item))),
        },
        other => raise(
            ExcKind::TypeError,
            format!("argument of type '{}' is not iterable", other.type_name()),
        ),
    }
}

/// `i in r` for an int, by arithmetic (`10**9 in range(10**12)` lists nothing).
fn range_contains(r: &Range, i: i64) -> bool {
    let (start, stop, step) = (r.start as i128, r.stop as i128, r.step as i128);
    let i = i as i128;
    let inside = if step > 0 {
        start <= i && i < stop
    } else {
        stop < i && i <= start
    };
    inside && step != 0 && (i - start) % step == 0
}

/// What an index points into: CPython words its index errors differently for each.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Seq {
    List,
    /// `l[i] = v` and `del l[i]`.
    ListAssign,
    /// `l.pop(i)`.
    ListPop,
    Tuple,
    Str,
    Range,
}

impl Seq {
    fn not_an_index(self, i: &Value) -> Exception {
        let t = i.type_name();
        let message = match self {
            Seq::List | Seq::ListAssign => {
                format!("list indices must be integers or slices, not {t}")
            }
            Seq::Tuple => format!("tuple indices must be integers or slices, not {t}"),
            Seq::Range => format!("range indices must be integers or slices, not {t}"),
            Seq::Str => format!("string indices must be integers, not '{t}'"),
            Seq::ListPop => format!("'{t}' object cannot be interpreted as an integer"),
        };
        Exception::new(ExcKind::TypeError, message)
    }

    fn out_of_range(self) -> Exception {
        let message = match self {
            Seq::List => "list index out of range",
            Seq::ListAssign => "list assignment index out of range",
            Seq::ListPop => "pop index out of range",
            Seq::Tuple => "tuple index out of range",
            Seq::Str => "string index out of range",
            Seq::Range => "range object index out of range",
        };
        Exception::new(ExcKind::IndexError, message)
    }
}

/// The position `i` names in a sequence of `len` items (negative counts from the end).
fn index(len: usize, i: &Value, seq: Seq) -> R<usize> {
    let i = match i {
        // CPython cannot even turn an int this big into an index; a range says it is out.
        Value::BigInt(_) if seq == Seq::Range => return Err(seq.out_of_range()),
        Value::BigInt(_) => {
            return raise(
                ExcKind::IndexError,
                "cannot fit 'int' into an index-sized integer",
            )
        }
        i => small(i).ok_or_else(|| seq.not_an_index(i))?,
    };
    let len = i64::try_from(len).unwrap_or(i64::MAX);
    let j = if i < 0 { i.saturating_add(len) } else { i };
    if j < 0 || j >= len {
        return Err(seq.out_of_range());
    }
    Ok(j as usize)
}

/// A slice resolved against a sequence's length, as CPython's `PySlice_AdjustIndices`
/// resolves it: bounds past either end are clipped, so `start` and `stop` lie in `-1..=len`.
#[derive(Clone, Copy, Debug)]
struct Bounds {
    start: i64,
    stop: i64,
    step: i64,
}

impl Bounds {
    /// Resolves `s` (the `[start, stop, step]` of a slice) for a sequence of `len` items.
    fn of(len: usize, s: &[Value; 3]) -> R<Bounds> {
        let step = slice_number(&s[2])?.unwrap_or(1);
        if step == 0 {
            return raise(ExcKind::ValueError, "slice step cannot be zero");
        }
        // As in CPython, so that `-step` cannot overflow.
        let step = step.max(-i64::MAX);
        let len = i64::try_from(len).unwrap_or(i64::MAX);
        let back = step < 0;
        let adjust = |v: Option<i64>, default: i64| match v {
            None => default,
            Some(v) if v < 0 => match v.saturating_add(len) {
                v if v < 0 => {
                    if back {
                        -1
                    } else {
                        0
                    }
                }
                v => v,
            },
            Some(v) if v >= len => {
                if back {
                    len - 1
                } else {
                    len
                }
            }
            Some(v) => v,
        };
        Ok(Bounds {
            start: adjust(slice_number(&s[0])?, if back { len - 1 } else { 0 }),
            stop: adjust(slice_number(&s[1])?, if back { -1 } else { len }),
            step,
        })
    }

    /// How many items the slice takes.
    fn len(self) -> usize {
        let n = if self.step < 0 && self.stop < self.start {
            (self.start - self.stop - 1) / -self.step + 1
        } else if self.step > 0 && self.start < self.stop {
            (self.stop - self.start - 1) / self.step + 1
        } else {
            0
        };
        n as usize
    }

    /// The positions the slice takes, in its order.
    fn indices(self) -> impl Iterator<Item = usize> {
        (0..self.len() as i64).map(move |k| (self.start + k * self.step) as usize)
    }
}

/// A slice bound: `None`, or an int (ints too big for an index clip to the largest one).
fn slice_number(v: &Value) -> R<Option<i64>> {
    match v {
        Value::None => Ok(None),
        Value::BigInt(b) if b.is_negative() => Ok(Some(i64::MIN)),
        Value::BigInt(_) => Ok(Some(i64::MAX)),
        v => small(v).map(Some).ok_or_else(|| {
            Exception::new(
                ExcKind::TypeError,
                "slice indices must be integers or None or have an __index__ method",
            )
        }),
    }
}

/// `items[s]` for a list, tuple or string's items.
fn slice_of<T: Clone>(items: &[T], s: &[Value; 3]) -> R<Vec<T>> {
    Ok(Bounds::of(items.len(), s)?
        .indices()
        .map(|i| items[i].clone())
        .collect())
}

/// `r[s]`: a range again, as in CPython.
fn slice_range(r: &Range, s: &[Value; 3]) -> R<Range> {
    let n = usize::try_from(r.len()).unwrap_or(usize::MAX);
    let b = Bounds::of(n, s)?;
    let at = |k: i64| i64::try_from(r.start as i128 + k as i128 * r.step as i128).ok();
    match (at(b.start), at(b.stop), r.step.checked_mul(b.step)) {
        (Some(start), Some(stop), Some(step)) => Ok(Range { start, stop, step }),
        _ => raise(
            ExcKind::OverflowError,
            "range slice too large for the kitchen (at most 2**63)",
        ),
    }
}

/// `container[index]`.
pub fn get_item(container: &Value, idx: &Value) -> R<Value> {
    match (container, idx) {
        (Value::Dict(d), k) => d
            .borrow()
            .get(k)?
            .ok_or_else(|| Exception::new(ExcKind::KeyError, repr(k))),
        (Value::List(l), Value::Slice(s)) => Ok(Value::list(slice_of(&l.borrow(), s)?)),
        (Value::Tuple(t), Value::Slice(s)) => Ok(Value::tuple(slice_of(t, s)?)),
        (Value::Str(st), Value::Slice(s)) => {
            let chars: Vec<char> = st.chars().collect();
            Ok(Value::str(
                &slice_of(&chars, s)?.into_iter().collect::<String>(),
            ))
        }
        (Value::Range(r), Value::Slice(s)) => Ok(Value::Range(slice_range(r, s)?)),
        (Value::List(l), i) => {
            let l = l.borrow();
            Ok(l[index(l.len(), i, Seq::List)?].clone())
        }
        (Value::Tuple(t), i) => Ok(t[index(t.len(), i, Seq::Tuple)?].clone()),
        (Value::Str(s), i) => {
            let chars: Vec<char> = s.chars().collect();
            Ok(Value::str(
                &chars[index(chars.len(), i, Seq::Str)?].to_string(),
            ))
        }
        (Value::Range(r), i) => {
            let n = usize::try_from(r.len()).unwrap_or(usize::MAX);
            Ok(Value::Int(r.get(index(n, i, Seq::Range)? as u64)))
        }
        (c, _) => raise(
            ExcKind::TypeError,
            format!("'{}' object is not subscriptable", c.type_name()),
        ),
    }
}

/// `l[s] = new`: a plain slice (step 1) is replaced by any number of items, an extended
/// one item by item, so the counts must agree.
fn assign_slice(l: &mut Vec<Value>, s: &[Value; 3], new: Vec<Value>) -> R<()> {
    let b = Bounds::of(l.len(), s)?;
    if b.step == 1 {
        let (start, stop) = (b.start as usize, b.stop.max(b.start) as usize);
        l.splice(start..stop, new);
        return Ok(());
    }
    if b.len() != new.len() {
        return raise(
            ExcKind::ValueError,
            format!(
                "attempt to assign sequence of size {} to extended slice of size {}",
                new.len(),
                b.len()
            ),
        );
    }
    for (i, v) in b.indices().zip(new) {
        l[i] = v;
    }
    Ok(())
}

/// `del l[s]`.
fn delete_slice(l: &mut Vec<Value>, s: &[Value; 3]) -> R<()> {
    let b = Bounds::of(l.len(), s)?;
    let mut doomed = vec![false; l.len()];
    for i in b.indices() {
        doomed[i] = true;
    }
    let mut k = 0;
    l.retain(|_| {
        k += 1;
        !doomed[k - 1]
    });
    Ok(())
}

/// `container[index] = value`.
pub fn set_item(container: &Value, idx: &Value, value: Value) -> R<()> {
    match (container, idx) {
        (Value::Dict(d), k) => d.borrow_mut().insert(k.clone(), value),
        (Value::List(l), Value::Slice(s)) => {
            // The new items first: `l[:] = l` reads the list it replaces.
            let new = to_vec(&value)?;
            assign_slice(&mut l.borrow_mut(), s, new)
        }
        (Value::List(l), i) => {
            let mut l = l.borrow_mut();
            let j = index(l.len(), i, Seq::ListAssign)?;
            l[j] = value;
            Ok(())
        }
        (c, _) => raise(
            ExcKind::TypeError,
            format!(
                "'{}' object does not support item assignment",
                c.type_name()
            ),
        ),
    }
}

/// `del container[index]`.
pub fn del_item(container: &Value, idx: &Value) -> R<()> {
    match (container, idx) {
        (Value::Dict(d), k) => match d.borrow_mut().remove(k)? {
            Some(_) => Ok(()),
            None => raise(ExcKind::KeyError, repr(k)),
        },
        (Value::List(l), Value::Slice(s)) => delete_slice(&mut l.borrow_mut(), s),
        (Value::List(l), i) => {
            let mut l = l.borrow_mut();
            let j = index(l.len(), i, Seq::ListAssign)?;
            l.remove(j);
            Ok(())
        }
        (c, _) => raise(
            ExcKind::TypeError,
            format!("'{}' object doesn't support item deletion", c.type_name()),
        ),
    }
}

/// The items of an iterable data value.
pub fn to_vec(v: &Value) -> R<Vec<Value>> {
    match v {
        Value::List(l) => Ok(l.borrow().clone()),
        Value::Tuple(t) => Ok(t.as_ref().clone()),
        Value::Str(s) => Ok(s.chars().map(|c| Value::str(&c.to_string())).collect()),
        Value::Dict(d) => Ok(d.borrow().keys()),
        Value::Range(r) => {
            if r.len() > MAX_ITEMS as u64 {
                return raise(
                    ExcKind::OverflowError,
                    "range too large to list in the kitchen",
                );
            }
            Ok((0..r.len()).map(|i| Value::Int(r.get(i))).collect())
        }
        other => raise(
            ExcKind::TypeError,
            format!("'{}' object is not iterable", other.type_name()),
        ),
    }
}

// ----- format specs -------------------------------------------------------------------------

/// The widest padding the kitchen writes (Python's limit is memory).
const MAX_WIDTH: usize = 10_000_000;

/// A parsed format spec: `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`.
#[derive(Clone, Debug, Default)]
struct Spec {
    fill: Option<char>,
    align: Option<char>,
    /// `+`, `-` or ` `.
    sign: Option<char>,
    /// `z`: no minus sign on a zero (Python 3.11).
    no_negative_zero: bool,
    /// `#`: `0x` prefixes, a point always.
    alternate: bool,
    /// `0` before the width: zero padding after the sign.
    zero: bool,
    width: usize,
    /// `,` or `_`.
    grouping: Option<char>,
    precision: Option<usize>,
    kind: Option<char>,
}

/// The decimal number at `chars[i..]` (0 when there is none) and the index after it.
fn spec_number(chars: &[char], mut i: usize) -> R<(usize, usize)> {
    let mut n = 0usize;
    while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
        n = n.saturating_mul(10).saturating_add(d as usize);
        i += 1;
    }
    if n > MAX_WIDTH {
        return raise(
            ExcKind::ValueError,
            "format width too large for the kitchen",
        );
    }
    Ok((n, i))
}

impl Spec {
    fn parse(spec: &str, type_name: &str) -> R<Spec> {
        let chars: Vec<char> = spec.chars().collect();
        let mut s = Spec::default();
        let is_align = |c: &char| "<>=^".contains(*c);
        let mut i = 0;
        if chars.get(1).is_some_and(is_align) {
            (s.fill, s.align, i) = (Some(chars[0]), Some(chars[1]), 2);
        } else if chars.first().is_some_and(is_align) {
            (s.align, i) = (Some(chars[0]), 1);
        }
        if let Some(&c @ ('+' | '-' | ' ')) = chars.get(i) {
            (s.sign, i) = (Some(c), i + 1);
        }
        if chars.get(i) == Some(&'z') {
            (s.no_negative_zero, i) = (true, i + 1);
        }
        if chars.get(i) == Some(&'#') {
            (s.alternate, i) = (true, i + 1);
        }
        if chars.get(i) == Some(&'0') {
            (s.zero, i) = (true, i + 1);
        }
        (s.width, i) = spec_number(&chars, i)?;
        if let Some(&c @ (',' | '_')) = chars.get(i) {
            (s.grouping, i) = (Some(c), i + 1);
        }
        if chars.get(i) == Some(&'.') {
            let (p, j) = spec_number(&chars, i + 1)?;
            if j == i + 1 {
                return raise(ExcKind::ValueError, "Format specifier missing precision");
            }
            (s.precision, i) = (Some(p), j);
        }
        if chars.len() > i + 1 {
            return raise(
                ExcKind::ValueError,
                format!("Invalid format specifier '{spec}' for object of type '{type_name}'"),
            );
        }
        s.kind = chars.get(i).copied();
        Ok(s)
    }

    fn unknown_kind<T>(&self, type_name: &str) -> R<T> {
        raise(
            ExcKind::ValueError,
            format!(
                "Unknown format code '{}' for object of type '{type_name}'",
                self.kind.unwrap_or(' ')
            ),
        )
    }

    /// The grouping error CPython gives for type `kind`.
    fn no_grouping(&self, kind: char) -> R<()> {
        match self.grouping {
            Some(g) => raise(
                ExcKind::ValueError,
                format!("Cannot specify '{g}' with '{kind}'."),
            ),
            None => Ok(()),
        }
    }
}

/// `format(v, spec)`: the format-spec mini language of f-strings and `str.format`.
pub fn format_value(v: &Value, spec: &str) -> R<String> {
    if spec.is_empty() {
        return Ok(to_str(v));
    }
    let s = Spec::parse(spec, v.type_name())?;
    match v {
        Value::Str(text) => format_str(text, &s),
        Value::Float(f) => format_float(*f, &s),
        v if is_int(v) => format_int(&big(v).unwrap_or_default(), &s, v.type_name(), 0),
        // Other types have only `object.__format__`, which takes no spec.
        v => raise(
            ExcKind::TypeError,
            format!(
                "unsupported format string passed to {}.__format__",
                v.type_name()
            ),
        ),
    }
}

/// `text` padded to `width`, `align` one of `<`, `>`, `^`.
fn pad(text: String, fill: char, align: char, width: usize) -> String {
    let n = text.chars().count();
    if n >= width {
        return text;
    }
    let gap = width - n;
    let left = match align {
        '<' => 0,
        '^' => gap / 2,
        _ => gap,
    };
    let f = |k: usize| std::iter::repeat_n(fill, k).collect::<String>();
    format!("{}{text}{}", f(left), f(gap - left))
}

fn format_str(text: &str, s: &Spec) -> R<String> {
    let refuse = |what: &str| {
        raise(
            ExcKind::ValueError,
            format!("{what} not allowed in string format specifier"),
        )
    };
    if s.sign.is_some() {
        return refuse("Sign");
    }
    if s.alternate {
        return refuse("Alternate form (#)");
    }
    if s.align == Some('=') {
        return refuse("'=' alignment");
    }
    if !matches!(s.kind, None | Some('s')) {
        return s.unknown_kind("str");
    }
    s.no_grouping('s')?;
    let text: String = match s.precision {
        Some(p) => text.chars().take(p).collect(),
        None => text.to_string(),
    };
    let fill = s.fill.unwrap_or(if s.zero { '0' } else { ' ' });
    Ok(pad(text, fill, s.align.unwrap_or('<'), s.width))
}

/// Formats int `n` (`min_digits`: `%`-formatting's precision, zeros in front).
fn format_int(n: &BigInt, s: &Spec, type_name: &str, min_digits: usize) -> R<String> {
    let (radix, prefix) = match s.kind {
        None | Some('d' | 'n') => (10, ""),
        Some('b') => (2, "0b"),
        Some('o') => (8, "0o"),
        Some('x') => (16, "0x"),
        Some('X') => (16, "0X"),
        Some('c') => return format_char(n, s),
        Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%') => return format_float(int_to_float(n)?, s),
        Some(_) => return s.unknown_kind(type_name),
    };
    if s.precision.is_some() {
        return raise(
            ExcKind::ValueError,
            "Precision not allowed in integer format specifier",
        );
    }
    match (s.kind, s.grouping) {
        (Some(k @ 'n'), _) | (Some(k @ ('b' | 'o' | 'x' | 'X')), Some(',')) => s.no_grouping(k)?,
        _ => {}
    }
    let mut digits = n.magnitude().to_str_radix(radix);
    if s.kind == Some('X') {
        digits.make_ascii_uppercase();
    }
    if digits.len() < min_digits {
        digits.insert_str(0, &"0".repeat(min_digits - digits.len()));
    }
    let prefix = if s.alternate { prefix } else { "" };
    let every = if radix == 10 { 3 } else { 4 };
    Ok(layout_number(
        n.is_negative(),
        prefix,
        &digits,
        "",
        s,
        every,
    ))
}

/// The `c` type: the character with code `n`.
fn format_char(n: &BigInt, s: &Spec) -> R<String> {
    let refuse = |what: &str| {
        raise(
            ExcKind::ValueError,
            format!("{what} not allowed with integer format specifier 'c'"),
        )
    };
    if s.sign.is_some() {
        return refuse("Sign");
    }
    if s.alternate {
        return refuse("Alternate form (#)");
    }
    let c = n
        .to_u32()
        .and_then(char::from_u32)
        .ok_or_else(|| Exception::new(ExcKind::OverflowError, "%c arg not in range(0x110000)"))?;
    let fill = s.fill.unwrap_or(if s.zero { '0' } else { ' ' });
    let align = match s.align {
        Some('=') | None => '>',
        Some(a) => a,
    };
    Ok(pad(c.to_string(), fill, align, s.width))
}

/// Formats float `x` by `s` (types `e f g %`, `n`, or none: `repr`, or like `g` given a
/// precision).
fn format_float(x: f64, s: &Spec) -> R<String> {
    let upper = matches!(s.kind, Some('E' | 'F' | 'G'));
    let p = s.precision.unwrap_or(6);
    let a = x.abs();
    let mut body = if !x.is_finite() {
        let word = if x.is_nan() { "nan" } else { "inf" };
        let word = if upper {
            word.to_uppercase()
        } else {
            word.to_string()
        };
        match s.kind {
            Some('%') => format!("{word}%"),
            _ => word,
        }
    } else {
        match s.kind {
            Some('f' | 'F') => fixed(a, p, s.alternate),
            Some('e' | 'E') => scientific(a, p, s.alternate, upper),
            Some('%') => format!("{}%", fixed(a * 100.0, p, s.alternate)),
            Some('g' | 'G') => general(a, p, s.alternate, upper, false),
            Some('n') => {
                s.no_grouping('n')?;
                general(a, p, s.alternate, upper, false)
            }
            None => match s.precision {
                None => float_repr(a),
                Some(p) => general(a, p, s.alternate, false, true),
            },
            Some(_) => return s.unknown_kind("float"),
        }
    };
    // `z` (and a nan, which has no sign in Python's output) drops a minus from a zero.
    let zero = body
        .split(['e', 'E', '%'])
        .next()
        .is_some_and(|m| m.chars().all(|c| c == '0' || c == '.'));
    let negative = x.is_sign_negative() && !x.is_nan() && !(s.no_negative_zero && zero);
    let split = body.find(['.', 'e', 'E', '%']).unwrap_or(body.len());
    let rest = body.split_off(split);
    Ok(layout_number(negative, "", &body, &rest, s, 3))
}

/// `x` (finite, not negative) with `p` decimals; `alternate` keeps the point of `p == 0`.
fn fixed(x: f64, p: usize, alternate: bool) -> String {
    let s = format!("{x:.p$}");
    if alternate && p == 0 {
        s + "."
    } else {
        s
    }
}

/// The mantissa and exponent of `x` written with `p` decimals (Rust rounds the exact value
/// half to even, as CPython's dtoa does).
fn mantissa_exponent(x: f64, p: usize) -> (String, i32) {
    let s = format!("{x:.p$e}");
    match s.split_once('e') {
        Some((m, e)) => (m.to_string(), e.parse().unwrap_or(0)),
        None => (s, 0),
    }
}

fn scientific(x: f64, p: usize, alternate: bool, upper: bool) -> String {
    let (m, e) = mantissa_exponent(x, p);
    let point = if alternate && p == 0 { "." } else { "" };
    let e_char = if upper { 'E' } else { 'e' };
    format!(
        "{m}{point}{e_char}{}{:02}",
        if e < 0 { '-' } else { '+' },
        e.abs()
    )
}

/// The `g` type: `p` significant digits, in scientific notation when the exponent is below
/// -4 or not below `p`, trailing zeros dropped (unless `alternate`). `add_dot_0` is the type
/// left out: scientific from an exponent of `p - 1`, and a point and a zero on a whole number.
fn general(x: f64, p: usize, alternate: bool, upper: bool, add_dot_0: bool) -> String {
    let p = p.max(1);
    // The exponent after rounding to `p` digits (9.9999 to 3 digits is 10.0, exponent 1).
    let (_, exp) = mantissa_exponent(x, p - 1);
    let limit = if add_dot_0 { p as i32 - 1 } else { p as i32 };
    let trim = |s: String| {
        if alternate || !s.contains('.') {
            s
        } else {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
    };
    if exp < -4 || exp >= limit {
        let (m, e) = mantissa_exponent(x, p - 1);
        let m = trim(m);
        let point = if alternate && !m.contains('.') {
            "."
        } else {
            ""
        };
        let e_char = if upper { 'E' } else { 'e' };
        return format!(
            "{m}{point}{e_char}{}{:02}",
            if e < 0 { '-' } else { '+' },
            e.abs()
        );
    }
    let decimals = (p as i32 - 1 - exp).max(0) as usize;
    let s = trim(format!("{x:.decimals$}"));
    if alternate && !s.contains('.') {
        s + "."
    } else if add_dot_0 && !s.contains('.') {
        s + ".0"
    } else {
        s
    }
}

/// Puts a number together: sign, prefix (`0x`), the integer digits grouped every `every`,
/// `rest` (fraction, exponent, `%`), padded as `s` says. With `0` padding the zeros go after
/// the sign, and are grouped too (`00,001,234`), as in CPython.
fn layout_number(
    negative: bool,
    prefix: &str,
    digits: &str,
    rest: &str,
    s: &Spec,
    every: usize,
) -> String {
    let sign = match (negative, s.sign) {
        (true, _) => "-",
        (false, Some('+')) => "+",
        (false, Some(' ')) => " ",
        _ => "",
    };
    let fill = s.fill.unwrap_or(if s.zero { '0' } else { ' ' });
    let align = s.align.unwrap_or(if s.zero { '=' } else { '>' });
    let head = format!("{sign}{prefix}");
    let mut digits = digits.to_string();
    // Zero padding is grouped too (`00,001,234`); `inf` and `nan` have no digits to group.
    let zeros_grouped = s.grouping.is_some()
        && (align, fill) == ('=', '0')
        && digits.bytes().all(|c| c.is_ascii_hexdigit());
    if zeros_grouped {
        let want = s
            .width
            .saturating_sub(head.chars().count() + rest.chars().count());
        let grouped_len = |d: usize| d + d.saturating_sub(1) / every;
        let mut d = digits.len();
        while grouped_len(d) < want {
            d += 1;
        }
        digits.insert_str(0, &"0".repeat(d - digits.len()));
    }
    let body = match s.grouping {
        Some(sep) => format!("{}{rest}", group(&digits, sep, every)),
        None => format!("{digits}{rest}"),
    };
    if align == '=' {
        let n = head.chars().count() + body.chars().count();
        let gap = s.width.saturating_sub(n);
        format!(
            "{head}{}{body}",
            std::iter::repeat_n(fill, gap).collect::<String>()
        )
    } else {
        pad(format!("{head}{body}"), fill, align, s.width)
    }
}

/// `digits` with `sep` between every `every` of them, from the right.
fn group(digits: &str, sep: char, every: usize) -> String {
    let n = digits.chars().count();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i) % every == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

// ----- % formatting -------------------------------------------------------------------------

/// `fmt % args`: printf-style formatting.
fn percent_format(fmt: &str, args: &Value) -> R<Value> {
    let (items, mapping) = match args {
        Value::Tuple(t) => (t.as_ref().clone(), None),
        Value::Dict(_) => (vec![args.clone()], Some(args)),
        other => (vec![other.clone()], None),
    };
    let mut next = 0;
    let mut take = || -> R<Value> {
        next += 1;
        items.get(next - 1).cloned().ok_or_else(|| {
            Exception::new(ExcKind::TypeError, "not enough arguments for format string")
        })
    };
    let chars: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != '%' {
            out.push(c);
            continue;
        }
        let key = match chars.get(i) {
            Some('(') => {
                let (key, after) = percent_key(&chars, i)?;
                i = after;
                Some(key)
            }
            _ => None,
        };
        let mut spec = Spec::default();
        let mut left = false;
        while let Some(&f) = chars.get(i) {
            match f {
                '-' => left = true,
                '+' => spec.sign = Some('+'),
                ' ' if spec.sign.is_none() => spec.sign = Some(' '),
                ' ' => {}
                '#' => spec.alternate = true,
                '0' => spec.zero = true,
                _ => break,
            }
            i += 1;
        }
        if chars.get(i) == Some(&'*') {
            let w = star_number(&take()?)?;
            left |= w < 0;
            spec.width = usize::try_from(w.unsigned_abs()).unwrap_or(usize::MAX);
            if spec.width > MAX_WIDTH {
                return raise(
                    ExcKind::ValueError,
                    "format width too large for the kitchen",
                );
            }
            i += 1;
        } else {
            (spec.width, i) = spec_number(&chars, i)?;
        }
        if chars.get(i) == Some(&'.') {
            i += 1;
            if chars.get(i) == Some(&'*') {
                spec.precision = Some(star_number(&take()?)?.clamp(0, MAX_WIDTH as i64) as usize);
                i += 1;
            } else {
                let (p, j) = spec_number(&chars, i)?;
                (spec.precision, i) = (Some(p), j);
            }
        }
        while matches!(chars.get(i), Some('h' | 'l' | 'L')) {
            i += 1;
        }
        let Some(&kind) = chars.get(i) else {
            return raise(ExcKind::ValueError, "incomplete format");
        };
        i += 1;
        if kind == '%' {
            out.push('%');
            continue;
        }
        let arg = match (key, mapping) {
            (Some(k), Some(m)) => get_item(m, &Value::str(&k))?,
            (Some(_), None) => return raise(ExcKind::TypeError, "format requires a mapping"),
            (None, _) => take()?,
        };
        if left {
            (spec.align, spec.zero) = (Some('<'), false);
        } else {
            spec.align = Some(if spec.zero { '=' } else { '>' });
        }
        out.push_str(&percent_one(kind, &arg, spec, i - 1)?);
    }
    if mapping.is_none() && next < items.len() {
        return raise(
            ExcKind::TypeError,
            "not all arguments converted during string formatting",
        );
    }
    Ok(Value::str(&out))
}

/// The key of `%(key)s` starting at the `(` at `chars[i]`, and the index after its `)`.
fn percent_key(chars: &[char], i: usize) -> R<(String, usize)> {
    let mut depth = 0;
    for (j, &c) in chars.iter().enumerate().skip(i) {
        match c {
            '(' => depth += 1,
            ')' if depth == 1 => return Ok((chars[i + 1..j].iter().collect(), j + 1)),
            ')' => depth -= 1,
            _ => {}
        }
    }
    raise(ExcKind::ValueError, "incomplete format key")
}

/// A `*` width or precision.
fn star_number(v: &Value) -> R<i64> {
    small(v).ok_or_else(|| Exception::new(ExcKind::TypeError, "* wants int"))
}

/// One `%` conversion of `arg` (`at`: the conversion's index, for errors).
fn percent_one(kind: char, arg: &Value, mut spec: Spec, at: usize) -> R<String> {
    let text = |t: String| -> R<String> {
        let t: String = match spec.precision {
            Some(p) => t.chars().take(p).collect(),
            None => t,
        };
        let align = if spec.align == Some('<') { '<' } else { '>' };
        Ok(pad(t, ' ', align, spec.width))
    };
    match kind {
        's' => text(to_str(arg)),
        'r' => text(repr(arg)),
        'a' => text(ascii_repr(arg)),
        'd' | 'i' | 'u' => {
            let n = match arg {
                Value::Float(f) => float_to_int(*f)?,
                v => big(v).ok_or_else(|| {
                    Exception::new(
                        ExcKind::TypeError,
                        format!(
                            "%{kind} format: a real number is required, not {}",
                            v.type_name()
                        ),
                    )
                })?,
            };
            let digits = spec.precision.take().unwrap_or(0);
            format_int(&n, &spec, "int", digits)
        }
        'x' | 'X' | 'o' => {
            let n = big(arg).ok_or_else(|| {
                Exception::new(
                    ExcKind::TypeError,
                    format!(
                        "%{kind} format: an integer is required, not {}",
                        arg.type_name()
                    ),
                )
            })?;
            let digits = spec.precision.take().unwrap_or(0);
            spec.kind = Some(kind);
            format_int(&n, &spec, "int", digits)
        }
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
            let x = match float(arg) {
                Some(x) => x?,
                None => {
                    return raise(
                        ExcKind::TypeError,
                        format!("must be real number, not {}", arg.type_name()),
                    )
                }
            };
            spec.kind = Some(kind);
            format_float(x, &spec)
        }
        'c' => match arg {
            Value::Str(s) if s.chars().count() == 1 => text(s.to_string()),
            v if is_int(v) => {
                let c = big(v)
                    .and_then(|n| n.to_u32())
                    .and_then(char::from_u32)
                    .ok_or_else(|| {
                        Exception::new(ExcKind::OverflowError, "%c arg not in range(0x110000)")
                    })?;
                text(c.to_string())
            }
            _ => raise(ExcKind::TypeError, "%c requires int or char"),
        },
        other => raise(
            ExcKind::ValueError,
            format!(
                "unsupported format character '{other}' ({:#x}) at index {at}",
                other as u32
            ),
        ),
    }
}

// ----- str.format ---------------------------------------------------------------------------

/// How `str.format` numbers its fields: `{}` counts up, `{0}` names; one template may not mix them.
#[derive(Default)]
struct Numbering {
    next: usize,
    auto: Option<bool>,
}

/// `template.format(*args, **kwargs)`.
fn str_format(template: &str, call: &Call) -> R<String> {
    format_template(template, call, &mut Numbering::default())
}

fn format_template(template: &str, call: &Call, numbering: &mut Numbering) -> R<String> {
    let chars: Vec<char> = template.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        match (chars[i], chars.get(i + 1)) {
            ('{', Some('{')) | ('}', Some('}')) => {
                out.push(chars[i]);
                i += 2;
            }
            ('}', _) => {
                return raise(
                    ExcKind::ValueError,
                    "Single '}' encountered in format string",
                )
            }
            ('{', None) => {
                return raise(
                    ExcKind::ValueError,
                    "Single '{' encountered in format string",
                )
            }
            ('{', _) => {
                // The field ends at its matching `}`: a spec may hold fields of its own.
                let mut depth = 0;
                let end = (i..chars.len()).find(|&j| {
                    match chars[j] {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                });
                let Some(end) = end else {
                    return raise(ExcKind::ValueError, "expected '}' before end of string");
                };
                let field: String = chars[i + 1..end].iter().collect();
                out.push_str(&format_field(&field, call, numbering)?);
                i = end + 1;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(out)
}

/// One replacement field: `name[!conversion][:spec]`.
fn format_field(field: &str, call: &Call, numbering: &mut Numbering) -> R<String> {
    let (head, spec) = field.split_once(':').unwrap_or((field, ""));
    let (name, conversion) = match head.split_once('!') {
        Some((name, c)) => (name, Some(c)),
        None => (head, None),
    };
    let v = field_value(name, call, numbering)?;
    let v = match conversion {
        None => v,
        Some("r") => Value::str(&repr(&v)),
        Some("s") => Value::str(&to_str(&v)),
        Some("a") => Value::str(&ascii_repr(&v)),
        Some(c) => {
            return raise(
                ExcKind::ValueError,
                format!("Unknown conversion specifier {c}"),
            )
        }
    };
    let spec = if spec.contains('{') {
        format_template(spec, call, numbering)?
    } else {
        spec.to_string()
    };
    format_value(&v, &spec)
}

/// The value a field names: `{}`, `{0}` or `{name}`, then any `[key]` items.
fn field_value(name: &str, call: &Call, numbering: &mut Numbering) -> R<Value> {
    let split = name.find(['[', '.']).unwrap_or(name.len());
    let (first, mut rest) = name.split_at(split);
    let positional = |k: usize| {
        call.args.get(k).cloned().ok_or_else(|| {
            Exception::new(
                ExcKind::IndexError,
                format!("Replacement index {k} out of range for positional args tuple"),
            )
        })
    };
    let switch = |from: &str, to: &str| {
        raise(
            ExcKind::ValueError,
            format!("cannot switch from {from} to {to}"),
        )
    };
    let mut v = if first.is_empty() {
        if numbering.auto == Some(false) {
            return switch("manual field specification", "automatic field numbering");
        }
        numbering.auto = Some(true);
        numbering.next += 1;
        positional(numbering.next - 1)?
    } else if let Ok(k) = first.parse::<usize>() {
        if numbering.auto == Some(true) {
            return switch("automatic field numbering", "manual field specification");
        }
        numbering.auto = Some(false);
        positional(k)?
    } else {
        kw(&call.kwargs, first)
            .cloned()
            .ok_or_else(|| Exception::new(ExcKind::KeyError, repr(&Value::str(first))))?
    };
    while !rest.is_empty() {
        let Some(inner) = rest.strip_prefix('[') else {
            let attr = rest.trim_start_matches('.');
            return raise(
                ExcKind::AttributeError,
                format!("'{}' object has no attribute '{attr}'", v.type_name()),
            );
        };
        let Some((key, after)) = inner.split_once(']') else {
            return raise(ExcKind::ValueError, "Missing ']' in format string");
        };
        let key = match key.parse::<i64>() {
            Ok(k) => Value::Int(k),
            Err(_) => Value::str(key),
        };
        v = get_item(&v, &key)?;
        rest = after;
    }
    Ok(v)
}

// ----- methods ------------------------------------------------------------------------------

fn kw<'a>(kwargs: &'a [(String, Value)], name: &str) -> Option<&'a Value> {
    kwargs.iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

/// A method call's arguments.
struct Call<'a> {
    args: &'a [Value],
    kwargs: Vec<(String, Value)>,
}

impl Call<'_> {
    /// Argument `i`, given by position or as keyword `name`; `None` when absent or `None`.
    fn get(&self, i: usize, name: &str) -> Option<&Value> {
        self.args
            .get(i)
            .or_else(|| kw(&self.kwargs, name))
            .filter(|v| !matches!(v, Value::None))
    }

    /// Keyword argument `name`; `None` when absent or `None`.
    fn kwarg(&self, name: &str) -> Option<&Value> {
        kw(&self.kwargs, name).filter(|v| !matches!(v, Value::None))
    }

    /// Argument `i` (`None` when absent).
    fn arg(&self, i: usize) -> Value {
        self.args.get(i).cloned().unwrap_or(Value::None)
    }

    /// Int argument `i` (or keyword `name`), `default` when absent.
    fn int(&self, i: usize, name: &str, default: i64) -> R<i64> {
        match self.get(i, name) {
            None => Ok(default),
            Some(Value::BigInt(b)) => Ok(if b.is_negative() { i64::MIN } else { i64::MAX }),
            Some(v) => small(v).ok_or_else(|| not_an_int(v)),
        }
    }

    /// Str argument `i`, or CPython's `TypeError` (`must be str, not int`).
    fn text(&self, i: usize, name: &str) -> R<&str> {
        match self.get(i, name) {
            Some(Value::Str(s)) => Ok(s),
            v => raise(
                ExcKind::TypeError,
                format!(
                    "must be str, not {}",
                    v.map_or("NoneType", |v| v.type_name())
                ),
            ),
        }
    }
}

fn not_an_int(v: &Value) -> Exception {
    Exception::new(
        ExcKind::TypeError,
        format!(
            "'{}' object cannot be interpreted as an integer",
            v.type_name()
        ),
    )
}

const STR_METHODS: &[&str] = &[
    "upper",
    "lower",
    "swapcase",
    "title",
    "capitalize",
    "strip",
    "lstrip",
    "rstrip",
    "split",
    "rsplit",
    "splitlines",
    "join",
    "replace",
    "startswith",
    "endswith",
    "find",
    "rfind",
    "index",
    "rindex",
    "count",
    "center",
    "ljust",
    "rjust",
    "zfill",
    "isdigit",
    "isdecimal",
    "isalpha",
    "isalnum",
    "isspace",
    "islower",
    "isupper",
    "format",
    "partition",
    "rpartition",
    "removeprefix",
    "removesuffix",
];
const LIST_METHODS: &[&str] = &[
    "append", "extend", "insert", "pop", "remove", "index", "count", "reverse", "copy", "clear",
    "sort",
];
const DICT_METHODS: &[&str] = &[
    "get",
    "keys",
    "values",
    "items",
    "pop",
    "popitem",
    "setdefault",
    "update",
    "copy",
    "clear",
];
const TUPLE_METHODS: &[&str] = &["index", "count"];

/// Whether data value `this` has method `name`: an attribute it lacks is an `AttributeError`
/// when it is read, as in Python, not only when it is called.
pub fn has_method(this: &Value, name: &str) -> bool {
    let table: &[&str] = match this {
        Value::Str(_) => STR_METHODS,
        Value::List(_) => LIST_METHODS,
        Value::Dict(_) => DICT_METHODS,
        Value::Tuple(_) => TUPLE_METHODS,
        Value::Float(_) => &["is_integer"],
        v if is_int(v) => &["bit_length"],
        _ => &[],
    };
    table.contains(&name)
}

/// Methods of data values; `None` when the type has no such method.
pub fn call_method(
    this: &Value,
    name: &str,
    args: &[Value],
    kwargs: &[(Rc<str>, Value)],
) -> Option<R<Value>> {
    if !has_method(this, name) {
        return None;
    }
    let call = Call {
        args,
        kwargs: kwargs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    };
    match this {
        Value::Str(s) => str_method(s, name, &call),
        Value::List(l) => list_method(l, name, &call),
        Value::Dict(d) => dict_method(d, name, &call),
        Value::Tuple(t) => Some(match name {
            "index" => position(t, &call).and_then(|i| {
                i.map(|i| Value::Int(i as i64)).ok_or_else(|| {
                    Exception::new(ExcKind::ValueError, "tuple.index(x): x not in tuple")
                })
            }),
            _ => Ok(Value::Int(
                t.iter().filter(|x| eq(x, &call.arg(0))).count() as i64
            )),
        }),
        Value::Float(f) => Some(Ok(Value::Bool(f.fract() == 0.0))),
        v => Some(Ok(Value::Int(big(v).unwrap_or_default().bits() as i64))),
    }
}

/// Where `call.arg(0)` first is in `items[start:end]` (the call's arguments 1 and 2).
fn position(items: &[Value], call: &Call) -> R<Option<usize>> {
    let len = items.len() as i64;
    let bound = |i: usize, default: i64| -> R<usize> {
        let v = match call.args.get(i) {
            None => default,
            Some(v) => slice_number(v)?.unwrap_or(default),
        };
        let v = if v < 0 {
            v.saturating_add(len).max(0)
        } else {
            v
        };
        Ok(v.min(len) as usize)
    };
    let (start, end) = (bound(1, 0)?, bound(2, len)?);
    let x = call.arg(0);
    Ok((start..end).find(|&i| eq(&items[i], &x)))
}

// ----- str methods --------------------------------------------------------------------------

/// Python's whitespace (`str.isspace`): Unicode's, and the four ASCII separators `\x1c`-`\x1f`.
fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// A char with case (Python's "cased").
fn is_cased(c: char) -> bool {
    c.is_lowercase() || c.is_uppercase()
}

fn str_method(s: &str, name: &str, call: &Call) -> Option<R<Value>> {
    let text = |t: String| Ok(Value::str(&t));
    let flag = |b: bool| Ok(Value::Bool(b));
    let all = |f: fn(char) -> bool| !s.is_empty() && s.chars().all(f);
    Some(match name {
        "upper" => text(s.to_uppercase()),
        "lower" => text(s.to_lowercase()),
        "swapcase" => text(s.chars().map(swap_case).collect()),
        "title" => text(title(s)),
        "capitalize" => {
            let mut c = s.chars();
            text(
                c.next()
                    .map(|f| {
                        f.to_uppercase()
                            .chain(c.as_str().to_lowercase().chars())
                            .collect()
                    })
                    .unwrap_or_default(),
            )
        }
        "strip" | "lstrip" | "rstrip" => strip(s, name, call),
        "split" | "rsplit" => split(s, name == "rsplit", call),
        "splitlines" => Ok(Value::list(
            split_lines(s, call.get(0, "keepends").is_some_and(truthy))
                .into_iter()
                .map(Value::str)
                .collect(),
        )),
        "join" => join(s, &call.arg(0)),
        "replace" => replace(s, call),
        "startswith" | "endswith" => affix(s, name, call),
        "find" | "rfind" | "index" | "rindex" | "count" => search(s, name, call),
        "center" | "ljust" | "rjust" => justify(s, name, call),
        "zfill" => call.int(0, "width", 0).map(|w| {
            let w = usize::try_from(w).unwrap_or(0).min(MAX_WIDTH);
            let n = s.chars().count();
            if n >= w {
                return Value::str(s);
            }
            let (sign, digits) = match s.strip_prefix(['+', '-']) {
                Some(rest) => (&s[..1], rest),
                None => ("", s),
            };
            Value::str(&format!("{sign}{}{digits}", "0".repeat(w - n)))
        }),
        "isdigit" | "isdecimal" => flag(all(|c| c.is_ascii_digit())),
        "isalpha" => flag(all(char::is_alphabetic)),
        "isalnum" => flag(all(char::is_alphanumeric)),
        "isspace" => flag(all(is_space)),
        "islower" => flag(s.chars().any(is_cased) && !s.chars().any(char::is_uppercase)),
        "isupper" => flag(s.chars().any(is_cased) && !s.chars().any(char::is_lowercase)),
        "format" => str_format(s, call).map(|t| Value::str(&t)),
        "partition" | "rpartition" => partition(s, name == "rpartition", call),
        "removeprefix" => call
            .text(0, "prefix")
            .map(|p| Value::str(s.strip_prefix(p).unwrap_or(s))),
        "removesuffix" => call
            .text(0, "suffix")
            .map(|p| Value::str(s.strip_suffix(p).unwrap_or(s))),
        _ => return None,
    })
}

fn swap_case(c: char) -> char {
    // Single chars only: a change of length (ß to SS) would need a string.
    let swapped: Vec<char> = if c.is_uppercase() {
        c.to_lowercase().collect()
    } else {
        c.to_uppercase().collect()
    };
    match swapped.as_slice() {
        [one] => *one,
        _ => c,
    }
}

/// `str.title`: a cased char after an uncased one starts a word (`they're` gives `They'Re`).
fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_word = false;
    for c in s.chars() {
        if in_word {
            out.extend(c.to_lowercase());
        } else {
            out.extend(c.to_uppercase());
        }
        in_word = is_cased(c);
    }
    out
}

fn strip(s: &str, name: &str, call: &Call) -> R<Value> {
    let chars: Option<Vec<char>> = match call.get(0, "chars") {
        None => None,
        Some(Value::Str(c)) => Some(c.chars().collect()),
        Some(_) => {
            return raise(
                ExcKind::TypeError,
                format!("{name} arg must be None or str"),
            )
        }
    };
    let strip = |c: char| match &chars {
        Some(set) => set.contains(&c),
        None => is_space(c),
    };
    Ok(Value::str(match name {
        "lstrip" => s.trim_start_matches(strip),
        "rstrip" => s.trim_end_matches(strip),
        _ => s.trim_matches(strip),
    }))
}

/// `s.split(sep, maxsplit)` and `s.rsplit(...)`.
fn split(s: &str, from_right: bool, call: &Call) -> R<Value> {
    let max = usize::try_from(call.int(1, "maxsplit", -1)?).ok();
    let parts: Vec<&str> = match call.get(0, "sep") {
        None => split_whitespace(s, from_right, max),
        Some(Value::Str(sep)) if sep.is_empty() => {
            return raise(ExcKind::ValueError, "empty separator")
        }
        Some(Value::Str(sep)) => match (from_right, max) {
            (false, None) => s.split(&**sep).collect(),
            (false, Some(m)) => s.splitn(m.saturating_add(1), &**sep).collect(),
            (true, None) => s.split(&**sep).collect(),
            (true, Some(m)) => {
                let mut v: Vec<&str> = s.rsplitn(m.saturating_add(1), &**sep).collect();
                v.reverse();
                v
            }
        },
        Some(v) => {
            return raise(
                ExcKind::TypeError,
                format!("must be str or None, not {}", v.type_name()),
            )
        }
    };
    Ok(Value::list(parts.into_iter().map(Value::str).collect()))
}

/// Splitting on runs of whitespace, none kept at the ends; after `max` splits the rest is
/// one part, with its whitespace on the far side kept (`' a b '.split(None, 1)` is
/// `['a', 'b ']`).
fn split_whitespace(s: &str, from_right: bool, max: Option<usize>) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = if from_right {
        s.trim_end_matches(is_space)
    } else {
        s.trim_start_matches(is_space)
    };
    while !rest.is_empty() {
        if max.is_some_and(|m| out.len() >= m) {
            out.push(rest);
            break;
        }
        if from_right {
            let start = rest
                .char_indices()
                .rev()
                .find(|&(_, c)| is_space(c))
                .map_or(0, |(i, c)| i + c.len_utf8());
            out.push(&rest[start..]);
            rest = rest[..start].trim_end_matches(is_space);
        } else {
            let end = rest.find(is_space).unwrap_or(rest.len());
            out.push(&rest[..end]);
            rest = rest[end..].trim_start_matches(is_space);
        }
    }
    if from_right {
        out.reverse();
    }
    out
}

/// `s.splitlines(keepends)`: at `\n`, `\r`, `\r\n` and Python's other line boundaries.
fn split_lines(s: &str, keep_ends: bool) -> Vec<&str> {
    let is_break = |c: char| {
        matches!(
            c,
            '\n' | '\r'
                | '\x0b'
                | '\x0c'
                | '\x1c'
                | '\x1d'
                | '\x1e'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        )
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !is_break(c) {
            continue;
        }
        let mut end = i + c.len_utf8();
        if c == '\r' && chars.peek().is_some_and(|&(_, n)| n == '\n') {
            chars.next();
            end += 1;
        }
        out.push(&s[start..if keep_ends { end } else { i }]);
        start = end;
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

fn join(sep: &str, items: &Value) -> R<Value> {
    let items = to_vec(items)?;
    let mut parts = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match item {
            Value::Str(x) => parts.push(x.to_string()),
            other => {
                return raise(
                    ExcKind::TypeError,
                    format!(
                        "sequence item {i}: expected str instance, {} found",
                        other.type_name()
                    ),
                )
            }
        }
    }
    Ok(Value::str(&parts.join(sep)))
}

fn replace(s: &str, call: &Call) -> R<Value> {
    let arg = |i: usize| match call.args.get(i) {
        Some(Value::Str(t)) => Ok(t.to_string()),
        v => raise(
            ExcKind::TypeError,
            format!(
                "replace() argument {} must be str, not {}",
                i + 1,
                v.map_or("NoneType", |v| v.type_name())
            ),
        ),
    };
    let (old, new) = (arg(0)?, arg(1)?);
    Ok(Value::str(
        &match usize::try_from(call.int(2, "count", -1)?) {
            Ok(n) => s.replacen(&old, &new, n),
            Err(_) => s.replace(&old, &new),
        },
    ))
}

/// The part `s[start:end]` that CPython's string searches look in (the call's arguments 1
/// and 2, in chars), and how many chars come before it; `None` for a start past the end,
/// where not even `''` is found.
fn search_range<'a>(s: &'a str, call: &Call) -> R<Option<(usize, &'a str)>> {
    if call.args.len() < 2 {
        return Ok(Some((0, s)));
    }
    let len = s.chars().count() as i64;
    let bound = |i: usize, default: i64| -> R<i64> {
        let v = match call.args.get(i) {
            None | Some(Value::None) => default,
            Some(v) => slice_number(v)?.unwrap_or(default),
        };
        Ok(if v < 0 {
            v.saturating_add(len).max(0)
        } else {
            v
        })
    };
    let (start, end) = (bound(1, 0)?, bound(2, len)?.min(len));
    if start > len || end < start {
        return Ok(None);
    }
    let byte = |k: i64| s.char_indices().nth(k as usize).map_or(s.len(), |(b, _)| b);
    Ok(Some((start as usize, &s[byte(start)..byte(end)])))
}

/// `startswith` / `endswith`, with a str or a tuple of them.
fn affix(s: &str, name: &str, call: &Call) -> R<Value> {
    let Some((_, part)) = search_range(s, call)? else {
        return Ok(Value::Bool(false));
    };
    let test = |a: &str| {
        if name == "startswith" {
            part.starts_with(a)
        } else {
            part.ends_with(a)
        }
    };
    match call.args.first() {
        Some(Value::Str(a)) => Ok(Value::Bool(test(a))),
        Some(Value::Tuple(options)) => {
            for o in options.iter() {
                match o {
                    Value::Str(a) if test(a) => return Ok(Value::Bool(true)),
                    Value::Str(_) => {}
                    other => {
                        return raise(
                            ExcKind::TypeError,
                            format!(
                                "tuple for {name} must only contain str, not {}",
                                other.type_name()
                            ),
                        )
                    }
                }
            }
            Ok(Value::Bool(false))
        }
        v => raise(
            ExcKind::TypeError,
            format!(
                "{name} first arg must be str or a tuple of str, not {}",
                v.map_or("NoneType", |v| v.type_name())
            ),
        ),
    }
}

/// `find`, `rfind`, `index`, `rindex` and `count` of a substring in `s[start:end]`.
fn search(s: &str, name: &str, call: &Call) -> R<Value> {
    let sub = call.text(0, "sub")?;
    let found = match search_range(s, call)? {
        None if name == "count" => return Ok(Value::Int(0)),
        None => None,
        Some((start, part)) => {
            let at = |byte: usize| start + part[..byte].chars().count();
            match name {
                "count" if sub.is_empty() => {
                    return Ok(Value::Int(part.chars().count() as i64 + 1))
                }
                "count" => return Ok(Value::Int(part.matches(sub).count() as i64)),
                "find" | "index" => part.find(sub).map(at),
                _ => part.rfind(sub).map(at),
            }
        }
    };
    match (found, name) {
        (Some(i), _) => Ok(Value::Int(i as i64)),
        (None, "find" | "rfind") => Ok(Value::Int(-1)),
        (None, _) => raise(ExcKind::ValueError, "substring not found"),
    }
}

/// `center`, `ljust` and `rjust`.
fn justify(s: &str, name: &str, call: &Call) -> R<Value> {
    let width = usize::try_from(call.int(0, "width", 0)?).unwrap_or(0);
    if width > MAX_WIDTH {
        return raise(ExcKind::OverflowError, "result too large for the kitchen");
    }
    let fill = match call.get(1, "fillchar") {
        None => ' ',
        Some(Value::Str(f)) if f.chars().count() == 1 => f.chars().next().unwrap_or(' '),
        Some(Value::Str(_)) => {
            return raise(
                ExcKind::TypeError,
                "The fill character must be exactly one character long",
            )
        }
        Some(v) => {
            return raise(
                ExcKind::TypeError,
                format!(
                    "The fill character must be a unicode character, not {}",
                    v.type_name()
                ),
            )
        }
    };
    let n = s.chars().count();
    let gap = width.saturating_sub(n);
    let left = match name {
        "ljust" => 0,
        "rjust" => gap,
        // CPython's centring puts the odd space on the left when the width is odd.
        _ => gap / 2 + (gap & width & 1),
    };
    let f = |k: usize| std::iter::repeat_n(fill, k).collect::<String>();
    Ok(Value::str(&format!("{}{s}{}", f(left), f(gap - left))))
}

fn partition(s: &str, from_right: bool, call: &Call) -> R<Value> {
    let sep = call.text(0, "sep")?;
    if sep.is_empty() {
        return raise(ExcKind::ValueError, "empty separator");
    }
    let found = if from_right {
        s.rfind(sep)
    } else {
        s.find(sep)
    };
    let parts = match found {
        Some(i) => [&s[..i], sep, &s[i + sep.len()..]],
        None if from_right => ["", "", s],
        None => [s, "", ""],
    };
    Ok(Value::tuple(parts.into_iter().map(Value::str).collect()))
}

// ----- list and dict methods ----------------------------------------------------------------

fn list_method(l: &RefCell<Vec<Value>>, name: &str, call: &Call) -> Option<R<Value>> {
    let x = call.arg(0);
    Some(match name {
        "append" => {
            l.borrow_mut().push(x);
            Ok(Value::None)
        }
        "extend" => to_vec(&x).map(|items| {
            l.borrow_mut().extend(items);
            Value::None
        }),
        "insert" => call.int(0, "index", 0).map(|i| {
            let mut l = l.borrow_mut();
            let n = l.len() as i64;
            let i = if i < 0 {
                i.saturating_add(n).max(0)
            } else {
                i.min(n)
            };
            l.insert(i as usize, call.arg(1));
            Value::None
        }),
        "pop" => {
            let mut l = l.borrow_mut();
            if l.is_empty() {
                return Some(raise(ExcKind::IndexError, "pop from empty list"));
            }
            match call.args.first() {
                Some(v) => index(l.len(), v, Seq::ListPop).map(|i| l.remove(i)),
                None => Ok(l.pop().unwrap_or(Value::None)),
            }
        }
        "remove" => {
            let mut l = l.borrow_mut();
            match l.iter().position(|y| eq(y, &x)) {
                Some(i) => {
                    l.remove(i);
                    Ok(Value::None)
                }
                None => raise(ExcKind::ValueError, "list.remove(x): x not in list"),
            }
        }
        "index" => match position(&l.borrow(), call) {
            Ok(Some(i)) => Ok(Value::Int(i as i64)),
            Ok(None) => raise(ExcKind::ValueError, format!("{} is not in list", repr(&x))),
            Err(e) => Err(e),
        },
        "count" => Ok(Value::Int(
            l.borrow().iter().filter(|y| eq(y, &x)).count() as i64
        )),
        "reverse" => {
            l.borrow_mut().reverse();
            Ok(Value::None)
        }
        "copy" => Ok(Value::list(l.borrow().clone())),
        "clear" => {
            l.borrow_mut().clear();
            Ok(Value::None)
        }
        "sort" => {
            if call.kwarg("key").is_some() {
                // A key function is Python code, which this module cannot call.
                return Some(raise(
                    ExcKind::TypeError,
                    "list.sort(key=...) is not supported by the kitchen's Python; use \
                     items = sorted(items, key=...)",
                ));
            }
            let reverse = call.kwarg("reverse").is_some_and(truthy);
            let items = l.borrow().clone();
            sorted(items, reverse).map(|v| {
                *l.borrow_mut() = v;
                Value::None
            })
        }
        _ => return None,
    })
}

fn dict_method(d: &RefCell<Dict>, name: &str, call: &Call) -> Option<R<Value>> {
    let key = call.arg(0);
    Some(match name {
        "get" => d
            .borrow()
            .get(&key)
            .map(|v| v.unwrap_or_else(|| call.arg(1))),
        "keys" => Ok(Value::list(d.borrow().keys())),
        "values" => Ok(Value::list(d.borrow().values())),
        "items" => Ok(Value::list(
            d.borrow()
                .items()
                .map(|(k, v)| Value::tuple(vec![k.clone(), v.clone()]))
                .collect(),
        )),
        "pop" => match d.borrow_mut().remove(&key) {
            Ok(Some(v)) => Ok(v),
            Ok(None) if call.args.len() > 1 => Ok(call.arg(1)),
            Ok(None) => raise(ExcKind::KeyError, repr(&key)),
            Err(e) => Err(e),
        },
        "popitem" => {
            let last = d.borrow().items().last().map(|(k, _)| k.clone());
            match last {
                Some(k) => d
                    .borrow_mut()
                    .remove(&k)
                    .map(|v| Value::tuple(vec![k, v.unwrap_or(Value::None)])),
                None => raise(
                    ExcKind::KeyError,
                    repr(&Value::str("popitem(): dictionary is empty")),
                ),
            }
        }
        "setdefault" => {
            let existing = d.borrow().get(&key);
            match existing {
                Ok(Some(v)) => Ok(v),
                Ok(None) => d.borrow_mut().insert(key, call.arg(1)).map(|_| call.arg(1)),
                Err(e) => Err(e),
            }
        }
        "update" => {
            let mut pairs = match call.args.first() {
                Some(v) => match update_pairs(v) {
                    Ok(p) => p,
                    Err(e) => return Some(Err(e)),
                },
                None => Vec::new(),
            };
            pairs.extend(call.kwargs.iter().map(|(k, v)| (Value::str(k), v.clone())));
            d.borrow_mut().extend(pairs).map(|_| Value::None)
        }
        "copy" => Ok(Value::dict(d.borrow().clone())),
        "clear" => {
            *d.borrow_mut() = Dict::new();
            Ok(Value::None)
        }
        _ => return None,
    })
}

/// The pairs of `dict(v)` and `d.update(v)`: a dict's items, or an iterable of 2-item
/// iterables.
fn update_pairs(v: &Value) -> R<Vec<(Value, Value)>> {
    if let Value::Dict(d) = v {
        return Ok(d.borrow().pairs());
    }
    let mut pairs = Vec::new();
    for (i, item) in to_vec(v)?.iter().enumerate() {
        let kv = to_vec(item).map_err(|_| {
            Exception::new(
                ExcKind::TypeError,
                format!("cannot convert dictionary update sequence element #{i} to a sequence"),
            )
        })?;
        match kv.as_slice() {
            [k, v] => pairs.push((k.clone(), v.clone())),
            other => {
                return raise(
                    ExcKind::ValueError,
                    format!(
                        "dictionary update sequence element #{i} has length {}; 2 is required",
                        other.len()
                    ),
                )
            }
        }
    }
    Ok(pairs)
}

fn sorted(mut items: Vec<Value>, reverse: bool) -> R<Vec<Value>> {
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

/// `int(v)` and `int(v, base)`.
fn int_of(v: &Value, base: Option<&Value>) -> R<Value> {
    let base = match base {
        None => None,
        Some(b) => match small(b) {
            Some(b @ (0 | 2..=36)) => Some(b as u32),
            Some(_) | None if is_int(b) => {
                return raise(
                    ExcKind::ValueError,
                    "int() base must be >= 2 and <= 36, or 0",
                )
            }
            _ => {
                return raise(
                    ExcKind::TypeError,
                    format!(
                        "'{}' object cannot be interpreted as an integer",
                        b.type_name()
                    ),
                )
            }
        },
    };
    match (v, base) {
        (Value::Str(s), base) => {
            let base = base.unwrap_or(10);
            parse_int(s, base).map(Value::from_bigint).ok_or_else(|| {
                Exception::new(
                    ExcKind::ValueError,
                    format!("invalid literal for int() with base {base}: {}", repr(v)),
                )
            })
        }
        (_, Some(_)) => raise(
            ExcKind::TypeError,
            "int() can't convert non-string with explicit base",
        ),
        (Value::Float(f), None) => float_to_int(*f).map(Value::from_bigint),
        (v, None) if is_int(v) => Ok(Value::from_bigint(big(v).unwrap_or_default())),
        (other, None) => raise(
            ExcKind::TypeError,
            format!(
                "int() argument must be a string, a bytes-like object or a real number, not '{}'",
                other.type_name()
            ),
        ),
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

/// Whether every `_` in `s` stands between two digits, as Python's number syntax wants
/// (`prefix_ok`: also right after a base prefix, `0x_1f`, which `s` then starts with).
fn underscores_ok(s: &str, prefix_ok: bool) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().all(|(i, &c)| {
        c != b'_'
            || ((i > 0 && b[i - 1].is_ascii_alphanumeric() || prefix_ok && i == 0)
                && b.get(i + 1).is_some_and(u8::is_ascii_alphanumeric))
    })
}

/// `int(s, base)` by Python's rules: spaces around, a sign, the base's prefix (`0x` for 16;
/// base 0 reads the prefix, and takes no leading zeros in decimal), digits with single
/// underscores between them.
fn parse_int(s: &str, given_base: u32) -> Option<BigInt> {
    let t = s.trim();
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let named = match t.get(..2).map(str::to_ascii_lowercase).as_deref() {
        Some("0x") => 16,
        Some("0o") => 8,
        Some("0b") => 2,
        _ => 0,
    };
    let (base, digits, prefixed) = match given_base {
        0 if named != 0 => (named, &t[2..], true),
        0 => (10, t, false),
        b if b == named => (b, &t[2..], true),
        b => (b, t, false),
    };
    if digits.is_empty() || !underscores_ok(digits, prefixed) {
        return None;
    }
    let digits: String = digits.chars().filter(|&c| c != '_').collect();
    if !digits.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    // Python 2 read base 0's `010` as octal; Python 3 refuses it (zeros alone are fine).
    if given_base == 0 && !prefixed && digits.starts_with('0') && digits.bytes().any(|c| c != b'0')
    {
        return None;
    }
    let n = BigInt::parse_bytes(digits.as_bytes(), base)?;
    Some(if negative { -n } else { n })
}

/// `float(s)` by Python's rules, which Rust's parser follows once the single underscores
/// between digits are gone (both read `inf`, `infinity` and `nan` in any case, signed).
fn parse_float(s: &str) -> Option<f64> {
    let t = s.trim();
    let b = t.as_bytes();
    let between_digits = |i: usize| {
        i > 0 && b[i - 1].is_ascii_digit() && b.get(i + 1).is_some_and(u8::is_ascii_digit)
    };
    if (0..b.len()).any(|i| b[i] == b'_' && !between_digits(i)) {
        return None;
    }
    t.replace('_', "").parse().ok()
}

/// `round(x)` and `round(x, ndigits)`: halves go to the even neighbour, judged on the exact
/// binary value as CPython does (`round(2.675, 2)` is 2.67: that float is below 2.675).
fn round(x: &Value, ndigits: Option<&Value>) -> R<Value> {
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
fn divmod(a: &Value, b: &Value) -> R<Value> {
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
fn pow_mod(base: &Value, exp: &Value, modulus: &Value) -> R<Value> {
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

/// `range(...)` from its 1 to 3 int arguments (also used by the closed-form loops).
pub fn range_from(args: &[Value]) -> R<Range> {
    if args.iter().any(|a| matches!(a, Value::BigInt(_))) {
        return raise(
            ExcKind::OverflowError,
            "range() arguments too large for the kitchen (at most 2**63)",
        );
    }
    let mut ints = Vec::with_capacity(args.len());
    for a in args {
        match small(a) {
            Some(i) => ints.push(i),
            None => {
                return raise(
                    ExcKind::TypeError,
                    format!(
                        "'{}' object cannot be interpreted as an integer",
                        a.type_name()
                    ),
                )
            }
        }
    }
    let (start, stop, step) = match ints.as_slice() {
        [stop] => (0, *stop, 1),
        [start, stop] => (*start, *stop, 1),
        [start, stop, step] => (*start, *stop, *step),
        _ => {
            return raise(
                ExcKind::TypeError,
                format!("range expected 1 to 3 arguments, got {}", ints.len()),
            )
        }
    };
    if step == 0 {
        return raise(ExcKind::ValueError, "range() arg 3 must not be zero");
    }
    Ok(Range { start, stop, step })
}

/// `chr(i)`.
fn chr(i: &Value) -> R<Value> {
    let Some(n) = big(i) else {
        return Err(not_an_int(i));
    };
    match n.to_u32() {
        Some(u) if u < 0x110000 => match char::from_u32(u) {
            Some(c) => Ok(Value::str(&c.to_string())),
            None => raise(
                ExcKind::ValueError,
                "surrogate code points are not supported by the kitchen's Python",
            ),
        },
        _ => raise(ExcKind::ValueError, "chr() arg not in range(0x110000)"),
    }
}

/// Builtin functions over plain data; `None` for names this module does not know.
pub fn builtin(name: &str, args: &[Value], kwargs: &[(Rc<str>, Value)]) -> Option<R<Value>> {
    let kwargs: Vec<(String, Value)> = kwargs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::None);
    Some(match name {
        "len" => match &arg(0) {
            Value::Str(s) => Ok(Value::Int(s.chars().count() as i64)),
            Value::List(l) => Ok(Value::Int(l.borrow().len() as i64)),
            Value::Tuple(t) => Ok(Value::Int(t.len() as i64)),
            Value::Dict(d) => Ok(Value::Int(d.borrow().len() as i64)),
            Value::Range(r) => Ok(Value::Int(r.len() as i64)),
            other => raise(
                ExcKind::TypeError,
                format!("object of type '{}' has no len()", other.type_name()),
            ),
        },
        "str" => Ok(Value::str(&args.first().map(to_str).unwrap_or_default())),
        "repr" => Ok(Value::str(&repr(&arg(0)))),
        "int" => match args.first() {
            None => Ok(Value::Int(0)),
            Some(v) => int_of(v, args.get(1).or_else(|| kw(&kwargs, "base"))),
        },
        "float" => match &arg(0) {
            Value::None if args.is_empty() => Ok(Value::Float(0.0)),
            Value::Str(s) => parse_float(s).map(Value::Float).ok_or_else(|| {
                Exception::new(
                    ExcKind::ValueError,
                    format!("could not convert string to float: {}", repr(&arg(0))),
                )
            }),
            v => match float(v) {
                Some(f) => f.map(Value::Float),
                None => raise(
                    ExcKind::TypeError,
                    format!(
                        "float() argument must be a string or a real number, not '{}'",
                        v.type_name()
                    ),
                ),
            },
        },
        "bool" => Ok(Value::Bool(truthy(&arg(0)))),
        "abs" => match &arg(0) {
            Value::Float(f) => Ok(Value::Float(f.abs())),
            v if is_int(v) => Ok(Value::from_bigint(big(v).unwrap_or_default().abs())),
            v => raise(
                ExcKind::TypeError,
                format!("bad operand type for abs(): '{}'", v.type_name()),
            ),
        },
        "round" => round(&arg(0), args.get(1).or_else(|| kw(&kwargs, "ndigits"))),
        "min" | "max" => {
            let items = if args.len() == 1 {
                match to_vec(&arg(0)) {
                    Ok(v) => v,
                    Err(e) => return Some(Err(e)),
                }
            } else {
                args.to_vec()
            };
            if items.is_empty() {
                return Some(match kw(&kwargs, "default") {
                    Some(d) => Ok(d.clone()),
                    None => raise(
                        ExcKind::ValueError,
                        format!("{name}() arg is an empty sequence"),
                    ),
                });
            }
            let mut best = items[0].clone();
            for x in &items[1..] {
                let better = if name == "min" {
                    compare(CmpOp::Lt, x, &best)
                } else {
                    compare(CmpOp::Gt, x, &best)
                };
                match better {
                    Ok(true) => best = x.clone(),
                    Ok(false) => {}
                    Err(e) => return Some(Err(e)),
                }
            }
            Ok(best)
        }
        "sum" => {
            let items = match to_vec(&arg(0)) {
                Ok(v) => v,
                Err(e) => return Some(Err(e)),
            };
            let mut total = args
                .get(1)
                .cloned()
                .or_else(|| kw(&kwargs, "start").cloned())
                .unwrap_or(Value::Int(0));
            if let Value::Str(_) = total {
                return Some(raise(
                    ExcKind::TypeError,
                    "sum() can't sum strings [use ''.join(seq) instead]",
                ));
            }
            for x in &items {
                total = match binary(BinOp::Add, &total, x) {
                    Ok(t) => t,
                    Err(e) => return Some(Err(e)),
                };
            }
            Ok(total)
        }
        "sorted" => to_vec(&arg(0))
            .and_then(|v| sorted(v, kw(&kwargs, "reverse").is_some_and(truthy)))
            .map(Value::list),
        "list" => {
            if args.is_empty() {
                Ok(Value::list(Vec::new()))
            } else {
                to_vec(&arg(0)).map(Value::list)
            }
        }
        "tuple" => {
            if args.is_empty() {
                Ok(Value::tuple(Vec::new()))
            } else {
                to_vec(&arg(0)).map(Value::tuple)
            }
        }
        "dict" => {
            let mut pairs = match args.first() {
                Some(v) => match update_pairs(v) {
                    Ok(p) => p,
                    Err(e) => return Some(Err(e)),
                },
                None => Vec::new(),
            };
            pairs.extend(kwargs.iter().map(|(k, v)| (Value::str(k), v.clone())));
            let mut d = Dict::new();
            d.extend(pairs).map(|_| Value::dict(d))
        }
        "range" => range_from(args).map(Value::Range),
        "divmod" => divmod(&arg(0), &arg(1)),
        "pow" => match args.get(2).or_else(|| kw(&kwargs, "mod")) {
            None | Some(Value::None) => binary(BinOp::Pow, &arg(0), &arg(1)),
            Some(m) => pow_mod(&arg(0), &arg(1), m),
        },
        "chr" => chr(&arg(0)),
        "ord" => match &arg(0) {
            Value::Str(s) => match s.chars().collect::<Vec<_>>().as_slice() {
                [c] => Ok(Value::Int(*c as i64)),
                cs => raise(
                    ExcKind::TypeError,
                    format!(
                        "ord() expected a character, but string of length {} found",
                        cs.len()
                    ),
                ),
            },
            v => raise(
                ExcKind::TypeError,
                format!(
                    "ord() expected string of length 1, but {} found",
                    v.type_name()
                ),
            ),
        },
        "hex" | "bin" | "oct" => {
            let Some(b) = big(&arg(0)) else {
                return Some(Err(not_an_int(&arg(0))));
            };
            let (radix, prefix) = match name {
                "hex" => (16, "0x"),
                "bin" => (2, "0b"),
                _ => (8, "0o"),
            };
            let s = b.abs().to_str_radix(radix);
            Ok(Value::str(&format!(
                "{}{prefix}{s}",
                if b.is_negative() { "-" } else { "" }
            )))
        }
        "any" => to_vec(&arg(0)).map(|v| Value::Bool(v.iter().any(truthy))),
        "all" => to_vec(&arg(0)).map(|v| Value::Bool(v.iter().all(truthy))),
        "reversed" => to_vec(&arg(0)).map(|mut v| {
            v.reverse();
            Value::list(v)
        }),
        "hash" => super::value::Key::of(&arg(0)).map(|_| Value::Int(0)),
        "id" => Ok(Value::Int(arg(0).identity() as i64)),
        _ => return None,
    })
}

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
