//! Operations on plain Python data: arithmetic, comparison, `repr`/`str`, formatting.

use super::value::Value;

use std::rc::Rc;

use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive, Zero};

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

fn float(v: &Value) -> Option<f64> {
    match v {
        Value::Float(f) => Some(*f),
        Value::Int(i) => Some(*i as f64),
        Value::Bool(b) => Some(*b as i64 as f64),
        Value::BigInt(b) => b.to_f64(),
        _ => None,
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

fn repeat<T: Clone>(items: &[T], n: &Value) -> R<Vec<T>> {
    let n = big(n).and_then(|b| b.to_i64()).unwrap_or(0).max(0) as usize;
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
        return Ok(match op {
            BinOp::Add => Value::from_bigint(x + y),
            BinOp::Sub => Value::from_bigint(x - y),
            BinOp::Mul => {
                if x.bits() + y.bits() > 1_000_000 {
                    return raise(ExcKind::OverflowError, "integer too large for the kitchen");
                }
                Value::from_bigint(x * y)
            }
            BinOp::Div => {
                if y.is_zero() {
                    return raise(ExcKind::ZeroDivisionError, "division by zero");
                }
                Value::Float(x.to_f64().unwrap_or(f64::NAN) / y.to_f64().unwrap_or(f64::NAN))
            }
            BinOp::FloorDiv | BinOp::Mod => {
                if y.is_zero() {
                    let m = if op == BinOp::Mod {
                        "integer modulo by zero"
                    } else {
                        "integer division or modulo by zero"
                    };
                    return raise(ExcKind::ZeroDivisionError, m);
                }
                let q = num_integer::Integer::div_floor(&x, &y);
                if op == BinOp::FloorDiv {
                    Value::from_bigint(q)
                } else {
                    Value::from_bigint(x - q * y)
                }
            }
            BinOp::Pow => {
                if y.is_negative() {
                    let (xf, yf) = (x.to_f64().unwrap_or(0.0), y.to_f64().unwrap_or(0.0));
                    if xf == 0.0 {
                        return raise(
                            ExcKind::ZeroDivisionError,
                            "0.0 cannot be raised to a negative power",
                        );
                    }
                    return Ok(Value::Float(xf.powf(yf)));
                }
                let e = y.to_u32().unwrap_or(u32::MAX);
                if (x.bits() as f64) * e as f64 > 1_000_000.0 {
                    return raise(ExcKind::OverflowError, "integer too large for the kitchen");
                }
                Value::from_bigint(num_traits::pow(x, e as usize))
            }
            BinOp::LShift => {
                let s = y.to_u32().unwrap_or(u32::MAX);
                if s > 1_000_000 {
                    return raise(ExcKind::OverflowError, "integer too large for the kitchen");
                }
                Value::from_bigint(x << s)
            }
            BinOp::RShift => Value::from_bigint(x >> y.to_u32().unwrap_or(u32::MAX).min(1_000_000)),
            BinOp::BitAnd => Value::from_bigint(x & y),
            BinOp::BitOr => Value::from_bigint(x | y),
            BinOp::BitXor => Value::from_bigint(x ^ y),
        });
    }
    if let (Some(x), Some(y), true) = (
        float(a),
        float(b),
        matches!(a, Value::Float(_)) || matches!(b, Value::Float(_)),
    ) {
        return Ok(Value::Float(match op {
            BinOp::Add => x + y,
            BinOp::Sub => x - y,
            BinOp::Mul => x * y,
            BinOp::Div => {
                if y == 0.0 {
                    return raise(ExcKind::ZeroDivisionError, "float division by zero");
                }
                x / y
            }
            BinOp::FloorDiv => {
                if y == 0.0 {
                    return raise(ExcKind::ZeroDivisionError, "float floor division by zero");
                }
                (x / y).floor()
            }
            BinOp::Mod => {
                if y == 0.0 {
                    return raise(ExcKind::ZeroDivisionError, "float modulo");
                }
                let m = x % y;
                if m != 0.0 && (m < 0.0) != (y < 0.0) {
                    m + y
                } else {
                    m
                }
            }
            BinOp::Pow => {
                if x == 0.0 && y < 0.0 {
                    return raise(
                        ExcKind::ZeroDivisionError,
                        "0.0 cannot be raised to a negative power",
                    );
                }
                x.powf(y)
            }
            _ => return Err(type_err(op_sym(op), a, b)),
        }));
    }
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

/// `a == b`.
pub fn eq(a: &Value, b: &Value) -> bool {
    if is_int(a) && is_int(b) {
        return big(a) == big(b);
    }
    if let (Some(x), Some(y)) = (float(a), float(b)) {
        if matches!(a, Value::Float(_)) || matches!(b, Value::Float(_)) {
            return x == y;
        }
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

fn order(a: &Value, b: &Value) -> R<std::cmp::Ordering> {
    use std::cmp::Ordering;
    if is_int(a) && is_int(b) {
        return Ok(big(a).cmp(&big(b)));
    }
    if let (Some(x), Some(y)) = (float(a), float(b)) {
        return Ok(x.partial_cmp(&y).unwrap_or(Ordering::Equal));
    }
    let seq = |x: &[Value], y: &[Value]| -> R<Ordering> {
        for (p, q) in x.iter().zip(y.iter()) {
            if !eq(p, q) {
                return order(p, q);
            }
        }
        Ok(x.len().cmp(&y.len()))
    };
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => Ok(x.cmp(y)),
        (Value::List(x), Value::List(y)) => seq(&x.borrow(), &y.borrow()),
        (Value::Tuple(x), Value::Tuple(y)) => seq(x, y),
        _ => raise(
            ExcKind::TypeError,
            format!(
                "'<' not supported between instances of '{}' and '{}'",
                a.type_name(),
                b.type_name()
            ),
        ),
    }
}

/// `a op b` for comparisons.
pub fn compare(op: CmpOp, a: &Value, b: &Value) -> R<bool> {
    use std::cmp::Ordering::*;
    Ok(match op {
        CmpOp::Eq => eq(a, b),
        CmpOp::NotEq => !eq(a, b),
        CmpOp::Lt => order(a, b)? == Less,
        CmpOp::LtE => order(a, b)? != Greater,
        CmpOp::Gt => order(a, b)? == Greater,
        CmpOp::GtE => order(a, b)? != Less,
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
            let x = float(v).unwrap_or(0.0);
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
    items.sort_by(|a, b| match order(a, b) {
        Ok(o) => o,
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

fn int_of(v: &Value, base: u32) -> R<Value> {
    match v {
        Value::Float(f) if f.is_finite() => Ok(Value::from_bigint(BigInt::from(f.trunc() as i128))),
        Value::Float(_) => raise(
            ExcKind::OverflowError,
            "cannot convert float infinity to integer",
        ),
        Value::Str(s) => {
            let t = s.trim().replace('_', "");
            BigInt::parse_bytes(t.as_bytes(), base)
                .map(Value::from_bigint)
                .ok_or_else(|| {
                    Exception::new(
                        ExcKind::ValueError,
                        format!("invalid literal for int() with base {base}: {}", repr(v)),
                    )
                })
        }
        v if is_int(v) => Ok(Value::from_bigint(big(v).unwrap_or_default())),
        other => raise(
            ExcKind::TypeError,
            format!(
                "int() argument must be a string, a bytes-like object or a real number, not '{}'",
                other.type_name()
            ),
        ),
    }
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
            Some(v) => int_of(
                v,
                args.get(1).and_then(small).unwrap_or(10).clamp(2, 36) as u32,
            ),
        },
        "float" => match &arg(0) {
            Value::None if args.is_empty() => Ok(Value::Float(0.0)),
            Value::Str(s) => match s.trim().to_lowercase().as_str() {
                "inf" | "+inf" | "infinity" => Ok(Value::Float(f64::INFINITY)),
                "-inf" | "-infinity" => Ok(Value::Float(f64::NEG_INFINITY)),
                "nan" => Ok(Value::Float(f64::NAN)),
                t => t.parse::<f64>().map(Value::Float).map_err(|_| {
                    Exception::new(
                        ExcKind::ValueError,
                        format!("could not convert string to float: {}", repr(&arg(0))),
                    )
                }),
            },
            v => float(v).map(Value::Float).ok_or_else(|| {
                Exception::new(
                    ExcKind::TypeError,
                    format!(
                        "float() argument must be a string or a real number, not '{}'",
                        v.type_name()
                    ),
                )
            }),
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
        "round" => {
            let x = arg(0);
            match (args.get(1), &x) {
                (None | Some(Value::None), Value::Float(f)) => {
                    let r = f.round_ties_even();
                    if !r.is_finite() {
                        return Some(raise(
                            ExcKind::OverflowError,
                            "cannot convert float infinity to integer",
                        ));
                    }
                    Ok(Value::from_bigint(BigInt::from(r as i128)))
                }
                (Some(n), Value::Float(f)) => {
                    let n = small(n).unwrap_or(0).clamp(-300, 300) as i32;
                    let m = 10f64.powi(n);
                    let r = (f * m).round_ties_even() / m;
                    // Use the decimal formatter for the exact nearest value where it matters.
                    Ok(Value::Float(if n >= 0 {
                        format!("{f:.*}", n as usize).parse().unwrap_or(r)
                    } else {
                        r
                    }))
                }
                (_, v) if is_int(v) => Ok(v.clone()),
                (_, v) => raise(
                    ExcKind::TypeError,
                    format!("type {} doesn't define __round__ method", v.type_name()),
                ),
            }
        }
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
        "divmod" => binary(BinOp::FloorDiv, &arg(0), &arg(1))
            .and_then(|q| binary(BinOp::Mod, &arg(0), &arg(1)).map(|m| Value::tuple(vec![q, m]))),
        "pow" => binary(BinOp::Pow, &arg(0), &arg(1)),
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
