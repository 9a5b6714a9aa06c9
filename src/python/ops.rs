//! Operations on plain Python data: arithmetic, comparison, `repr`/`str`, formatting.

use super::value::Value;

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
            c => out.push(c),
        }
    }
    out.push(quote);
    out
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

fn percent_format(fmt: &str, args: &Value) -> R<Value> {
    let args: Vec<Value> = match args {
        Value::Tuple(t) => t.as_ref().clone(),
        other => vec![other.clone()],
    };
    let mut out = String::new();
    let mut it = args.iter();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = String::new();
        while let Some(&n) = chars.peek() {
            chars.next();
            if n.is_ascii_alphabetic() || n == '%' {
                spec.push(n);
                break;
            }
            spec.push(n);
        }
        let Some(kind) = spec.pop() else { break };
        if kind == '%' {
            out.push('%');
            continue;
        }
        let arg = it.next().cloned().unwrap_or(Value::None);
        let arg = match kind {
            's' => Value::str(&to_str(&arg)),
            'r' => Value::str(&repr(&arg)),
            _ => arg,
        };
        let k = match kind {
            's' | 'r' => String::new(),
            'i' | 'u' => "d".into(),
            k => k.to_string(),
        };
        out.push_str(&format_value(
            &arg,
            &format!("{spec}{k}").replace('-', "<"),
        )?);
    }
    Ok(Value::str(&out))
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
            _ => raise(
                ExcKind::TypeError,
                "'in <string>' requires string as left operand",
            ),
        },
        Value::Dict(d) => Ok(d.borrow().get(item)?.is_some()),
        Value::List(l) => Ok(l.borrow().iter().any(|x| eq(x, item))),
        Value::Tuple(t) => Ok(t.iter().any(|x| eq(x, item))),
        Value::Range(r) => Ok(to_vec(&Value::Range(*r))?.iter().any(|x| eq(x, item))),
        other => raise(
            ExcKind::TypeError,
            format!("argument of type '{}' is not iterable", other.type_name()),
        ),
    }
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

fn pad(s: String, fill: char, align: char, width: usize) -> String {
    let n = s.chars().count();
    if n >= width {
        return s;
    }
    let gap = width - n;
    let f = |k: usize| std::iter::repeat_n(fill, k).collect::<String>();
    match align {
        '<' => format!("{s}{}", f(gap)),
        '^' => format!("{}{s}{}", f(gap / 2), f(gap - gap / 2)),
        '=' => {
            let (sign, rest) = if s.starts_with(['-', '+']) {
                s.split_at(1)
            } else {
                ("", s.as_str())
            };
            format!("{sign}{}{rest}", f(gap))
        }
        _ => format!("{}{s}", f(gap)),
    }
}

fn group(int_part: &str, sep: char) -> String {
    let (sign, digits) = if let Some(d) = int_part.strip_prefix('-') {
        ("-", d)
    } else {
        ("", int_part)
    };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

/// `format(v, spec)`: the format-spec mini language of f-strings.
pub fn format_value(v: &Value, spec: &str) -> R<String> {
    if spec.is_empty() {
        return Ok(to_str(v));
    }
    let chars: Vec<char> = spec.chars().collect();
    let mut i = 0;
    let (mut fill, mut align) = (' ', None);
    if chars.len() >= 2 && "<>^=".contains(chars[1]) {
        fill = chars[0];
        align = Some(chars[1]);
        i = 2;
    } else if !chars.is_empty() && "<>^=".contains(chars[0]) {
        align = Some(chars[0]);
        i = 1;
    }
    let mut sign = '-';
    if i < chars.len() && "+- ".contains(chars[i]) {
        sign = chars[i];
        i += 1;
    }
    if i < chars.len() && chars[i] == '0' {
        fill = '0';
        align = align.or(Some('='));
        i += 1;
    }
    let mut width = 0usize;
    while i < chars.len() && chars[i].is_ascii_digit() {
        width = width * 10 + chars[i].to_digit(10).unwrap_or(0) as usize;
        i += 1;
    }
    let mut grouping = None;
    if i < chars.len() && (chars[i] == ',' || chars[i] == '_') {
        grouping = Some(chars[i]);
        i += 1;
    }
    let mut precision = None;
    if i < chars.len() && chars[i] == '.' {
        i += 1;
        let mut p = 0usize;
        while i < chars.len() && chars[i].is_ascii_digit() {
            p = p * 10 + chars[i].to_digit(10).unwrap_or(0) as usize;
            i += 1;
        }
        precision = Some(p.min(100));
    }
    let kind = chars.get(i).copied();
    if i + usize::from(kind.is_some()) != chars.len() || width > 10_000 {
        return raise(ExcKind::ValueError, "Invalid format specifier");
    }
    let numeric = matches!(v, Value::Int(_) | Value::BigInt(_) | Value::Float(_))
        || (matches!(v, Value::Bool(_)) && kind.is_some());
    let body = match (v, kind) {
        (Value::Str(s), None | Some('s')) => {
            let s: String = match precision {
                Some(p) => s.chars().take(p).collect(),
                None => s.to_string(),
            };
            return Ok(pad(s, fill, align.unwrap_or('<'), width));
        }
        (Value::Str(_), Some(k)) => {
            return raise(
                ExcKind::ValueError,
                format!("Unknown format code '{k}' for object of type 'str'"),
            )
        }
        (v, None) if !numeric => return Ok(pad(to_str(v), fill, align.unwrap_or('<'), width)),
        (v, Some('d' | 'n')) if is_int(v) => big(v).unwrap_or_default().to_string(),
        (v, Some('x')) if is_int(v) => big(v).unwrap_or_default().to_str_radix(16),
        (v, Some('X')) if is_int(v) => big(v).unwrap_or_default().to_str_radix(16).to_uppercase(),
        (v, Some('b')) if is_int(v) => big(v).unwrap_or_default().to_str_radix(2),
        (v, Some('o')) if is_int(v) => big(v).unwrap_or_default().to_str_radix(8),
        (v, None) if is_int(v) => big(v).unwrap_or_default().to_string(),
        (v, Some(k @ ('f' | 'F' | 'e' | 'E' | '%' | 'g' | 'G')))
        | (v @ Value::Float(_), Some(k @ 'n'))
            if float(v).is_some() =>
        {
            let x = float(v).unwrap_or(Ok(0.0))?;
            let p = precision.unwrap_or(6);
            match k {
                'f' | 'F' | 'n' => format!("{x:.p$}"),
                '%' => format!("{:.p$}%", x * 100.0),
                'e' | 'E' => {
                    let s = format!("{x:.p$e}");
                    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
                    let e: i32 = e.parse().unwrap_or(0);
                    let s = format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
                    if k == 'E' {
                        s.to_uppercase()
                    } else {
                        s
                    }
                }
                _ => {
                    let p = p.max(1);
                    let exp = if x == 0.0 {
                        0
                    } else {
                        x.abs().log10().floor() as i32
                    };
                    if exp < -4 || exp >= p as i32 {
                        let s = format!("{:.*e}", p - 1, x);
                        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
                        let m = if m.contains('.') {
                            m.trim_end_matches('0').trim_end_matches('.')
                        } else {
                            m
                        };
                        let e: i32 = e.parse().unwrap_or(0);
                        format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
                    } else {
                        let d = (p as i32 - 1 - exp).max(0) as usize;
                        let s = format!("{x:.d$}");
                        if s.contains('.') {
                            s.trim_end_matches('0').trim_end_matches('.').to_string()
                        } else {
                            s
                        }
                    }
                }
            }
        }
        (Value::Float(x), None) => match precision {
            Some(p) => {
                let p = p.max(1);
                return format_value(
                    &Value::Float(*x),
                    &format!(
                        "{}{}.{p}g",
                        if width > 0 {
                            width.to_string()
                        } else {
                            String::new()
                        },
                        grouping.map(String::from).unwrap_or_default()
                    ),
                );
            }
            None => float_repr(*x),
        },
        (v, Some(k)) => {
            return raise(
                ExcKind::ValueError,
                format!(
                    "Unknown format code '{k}' for object of type '{}'",
                    v.type_name()
                ),
            )
        }
        (v, None) => to_str(v),
    };
    let body = match grouping {
        Some(sep) => {
            let (int_part, rest) = match body.find(|c: char| c == '.' || c == 'e' || c == '%') {
                Some(i) => body.split_at(i),
                None => (body.as_str(), ""),
            };
            format!("{}{rest}", group(int_part, sep))
        }
        None => body,
    };
    let body = if sign != '-' && !body.starts_with('-') {
        format!("{sign}{body}")
    } else {
        body
    };
    Ok(pad(body, fill, align.unwrap_or('>'), width))
}

fn kw<'a>(kwargs: &'a [(String, Value)], name: &str) -> Option<&'a Value> {
    kwargs.iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

/// Methods of data values; `None` when the type has no such method.
pub fn call_method(
    this: &Value,
    name: &str,
    args: &[Value],
    kwargs: &[(Rc<str>, Value)],
) -> Option<R<Value>> {
    let kwargs: Vec<(String, Value)> = kwargs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::None);
    let s_arg = |i: usize| match args.get(i) {
        Some(Value::Str(s)) => Some(s.to_string()),
        _ => None,
    };
    Some(match (this, name) {
        (Value::Str(s), _) => match name {
            "upper" => Ok(Value::str(&s.to_uppercase())),
            "lower" => Ok(Value::str(&s.to_lowercase())),
            "strip" => Ok(Value::str(s.trim())),
            "lstrip" => Ok(Value::str(s.trim_start())),
            "rstrip" => Ok(Value::str(s.trim_end())),
            "title" | "capitalize" => {
                let mut c = s.chars();
                Ok(Value::str(
                    &c.next()
                        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                        .unwrap_or_default(),
                ))
            }
            "split" => {
                let parts: Vec<Value> = match s_arg(0) {
                    Some(sep) => s.split(sep.as_str()).map(Value::str).collect(),
                    None => s.split_whitespace().map(Value::str).collect(),
                };
                Ok(Value::list(parts))
            }
            "join" => match to_vec(&arg(0)) {
                Ok(items) => {
                    let mut out = Vec::new();
                    for (i, it) in items.iter().enumerate() {
                        match it {
                            Value::Str(x) => out.push(x.to_string()),
                            other => {
                                return Some(raise(
                                    ExcKind::TypeError,
                                    format!(
                                        "sequence item {i}: expected str instance, {} found",
                                        other.type_name()
                                    ),
                                ))
                            }
                        }
                    }
                    Ok(Value::str(&out.join(s)))
                }
                Err(e) => Err(e),
            },
            "replace" => match (s_arg(0), s_arg(1)) {
                (Some(a), Some(b)) => Ok(Value::str(&s.replace(&a, &b))),
                _ => raise(ExcKind::TypeError, "replace() arguments must be str"),
            },
            "startswith" => Ok(Value::Bool(s_arg(0).is_some_and(|p| s.starts_with(&p)))),
            "endswith" => Ok(Value::Bool(s_arg(0).is_some_and(|p| s.ends_with(&p)))),
            "find" => Ok(Value::Int(
                s_arg(0)
                    .and_then(|p| s.find(&p))
                    .map_or(-1, |i| s[..i].chars().count() as i64),
            )),
            "count" => Ok(Value::Int(s_arg(0).map_or(0, |p| {
                if p.is_empty() {
                    s.chars().count() + 1
                } else {
                    s.matches(&p).count()
                }
            }) as i64)),
            "center" | "ljust" | "rjust" => {
                let w = small(&arg(0)).unwrap_or(0).clamp(0, 10_000) as usize;
                let f = s_arg(1).and_then(|f| f.chars().next()).unwrap_or(' ');
                Ok(Value::str(&pad(
                    s.to_string(),
                    f,
                    match name {
                        "center" => '^',
                        "ljust" => '<',
                        _ => '>',
                    },
                    w,
                )))
            }
            "zfill" => {
                let w = small(&arg(0)).unwrap_or(0).clamp(0, 10_000) as usize;
                Ok(Value::str(&pad(s.to_string(), '0', '=', w)))
            }
            "isdigit" => Ok(Value::Bool(
                !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()),
            )),
            "isalpha" => Ok(Value::Bool(
                !s.is_empty() && s.chars().all(char::is_alphabetic),
            )),
            "format" => {
                let mut out = String::new();
                let mut auto = 0;
                let mut rest = s.as_ref();
                while let Some(open) = rest.find('{') {
                    out.push_str(&rest[..open]);
                    if rest[open..].starts_with("{{") {
                        out.push('{');
                        rest = &rest[open + 2..];
                        continue;
                    }
                    let Some(close) = rest[open..].find('}') else {
                        break;
                    };
                    let field = &rest[open + 1..open + close];
                    let (name, spec) = field.split_once(':').unwrap_or((field, ""));
                    let v = if name.is_empty() {
                        auto += 1;
                        arg(auto - 1)
                    } else if let Ok(i) = name.parse::<usize>() {
                        arg(i)
                    } else {
                        kw(&kwargs, name).cloned().unwrap_or(Value::None)
                    };
                    match format_value(&v, spec) {
                        Ok(t) => out.push_str(&t),
                        Err(e) => return Some(Err(e)),
                    }
                    rest = &rest[open + close + 1..];
                }
                out.push_str(&rest.replace("}}", "}"));
                Ok(Value::str(&out))
            }
            _ => return None,
        },
        (Value::List(l), _) => match name {
            "append" => {
                l.borrow_mut().push(arg(0));
                Ok(Value::None)
            }
            "extend" => match to_vec(&arg(0)) {
                Ok(items) => {
                    l.borrow_mut().extend(items);
                    Ok(Value::None)
                }
                Err(e) => Err(e),
            },
            "insert" => {
                let mut l = l.borrow_mut();
                let n = l.len() as i64;
                let i = small(&arg(0)).unwrap_or(0);
                let i = if i < 0 { (i + n).max(0) } else { i.min(n) } as usize;
                l.insert(i, arg(1));
                Ok(Value::None)
            }
            "pop" => {
                let mut l = l.borrow_mut();
                if l.is_empty() {
                    return Some(raise(ExcKind::IndexError, "pop from empty list"));
                }
                let i = match args.first() {
                    Some(v) => match index(l.len(), v, Seq::ListPop) {
                        Ok(i) => i,
                        Err(e) => return Some(Err(e)),
                    },
                    None => l.len() - 1,
                };
                Ok(l.remove(i))
            }
            "remove" => {
                let mut l = l.borrow_mut();
                match l.iter().position(|x| eq(x, &arg(0))) {
                    Some(i) => {
                        l.remove(i);
                        Ok(Value::None)
                    }
                    None => raise(ExcKind::ValueError, "list.remove(x): x not in list"),
                }
            }
            "index" => match l.borrow().iter().position(|x| eq(x, &arg(0))) {
                Some(i) => Ok(Value::Int(i as i64)),
                None => raise(
                    ExcKind::ValueError,
                    format!("{} is not in list", repr(&arg(0))),
                ),
            },
            "count" => Ok(Value::Int(
                l.borrow().iter().filter(|x| eq(x, &arg(0))).count() as i64,
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
                let reverse = kw(&kwargs, "reverse").is_some_and(truthy);
                let items = l.borrow().clone();
                match sorted(items, reverse) {
                    Ok(v) => {
                        *l.borrow_mut() = v;
                        Ok(Value::None)
                    }
                    Err(e) => Err(e),
                }
            }
            _ => return None,
        },
        (Value::Dict(d), _) => match name {
            "get" => d.borrow().get(&arg(0)).map(|v| v.unwrap_or_else(|| arg(1))),
            "keys" => Ok(Value::list(d.borrow().keys())),
            "values" => Ok(Value::list(d.borrow().values())),
            "items" => Ok(Value::list(
                d.borrow()
                    .items()
                    .map(|(k, v)| Value::tuple(vec![k.clone(), v.clone()]))
                    .collect(),
            )),
            "pop" => match d.borrow_mut().remove(&arg(0)) {
                Ok(Some(v)) => Ok(v),
                Ok(None) if args.len() > 1 => Ok(arg(1)),
                Ok(None) => raise(ExcKind::KeyError, repr(&arg(0))),
                Err(e) => Err(e),
            },
            "setdefault" => {
                let existing = d.borrow().get(&arg(0));
                match existing {
                    Ok(Some(v)) => Ok(v),
                    Ok(None) => d.borrow_mut().insert(arg(0), arg(1)).map(|_| arg(1)),
                    Err(e) => Err(e),
                }
            }
            "update" => {
                let mut pairs = match arg(0) {
                    Value::Dict(src) => src.borrow().pairs(),
                    _ => Vec::new(),
                };
                pairs.extend(kwargs.iter().map(|(k, v)| (Value::str(k), v.clone())));
                d.borrow_mut().extend(pairs).map(|_| Value::None)
            }
            "copy" => Ok(Value::dict(d.borrow().clone())),
            "clear" => {
                *d.borrow_mut() = Dict::new();
                Ok(Value::None)
            }
            _ => return None,
        },
        (Value::Tuple(t), "index") => match t.iter().position(|x| eq(x, &arg(0))) {
            Some(i) => Ok(Value::Int(i as i64)),
            None => raise(ExcKind::ValueError, "tuple.index(x): x not in tuple"),
        },
        (Value::Tuple(t), "count") => Ok(Value::Int(
            t.iter().filter(|x| eq(x, &arg(0))).count() as i64
        )),
        (Value::Float(f), "is_integer") => Ok(Value::Bool(f.fract() == 0.0)),
        (v, "bit_length") if is_int(v) => Ok(Value::Int(big(v).unwrap_or_default().bits() as i64)),
        _ => return None,
    })
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
            let mut d = Dict::new();
            match args.first() {
                Some(Value::Dict(src)) => d = src.borrow().clone(),
                Some(v) => match to_vec(v) {
                    Ok(pairs) => {
                        for p in pairs {
                            match to_vec(&p) {
                                Ok(kv) if kv.len() == 2 => {
                                    if let Err(e) = d.insert(kv[0].clone(), kv[1].clone()) {
                                        return Some(Err(e));
                                    }
                                }
                                _ => {
                                    return Some(raise(
                                        ExcKind::ValueError,
                                        "dictionary update sequence element has wrong length",
                                    ))
                                }
                            }
                        }
                    }
                    Err(e) => return Some(Err(e)),
                },
                None => {}
            }
            for (k, v) in &kwargs {
                if let Err(e) = d.insert(Value::str(k), v.clone()) {
                    return Some(Err(e));
                }
            }
            Ok(Value::dict(d))
        }
        "range" => range_from(args).map(Value::Range),
        "divmod" => divmod(&arg(0), &arg(1)),
        "pow" => match args.get(2).or_else(|| kw(&kwargs, "mod")) {
            None | Some(Value::None) => binary(BinOp::Pow, &arg(0), &arg(1)),
            Some(m) => pow_mod(&arg(0), &arg(1), m),
        },
        "chr" => Ok(Value::str(
            &small(&arg(0))
                .and_then(|c| char::from_u32(c as u32))
                .unwrap_or('\u{fffd}')
                .to_string(),
        )),
        "ord" => match &arg(0) {
            Value::Str(s) if s.chars().count() == 1 => {
                Ok(Value::Int(s.chars().next().map_or(0, |c| c as i64)))
            }
            _ => raise(ExcKind::TypeError, "ord() expected a character"),
        },
        "hex" | "bin" | "oct" => {
            let b = big(&arg(0)).unwrap_or_default();
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
