//! Builtin functions over plain data (`len`, `int`, `float`, `min`, `sum`, `chr`, ...), with
//! Python's rules for reading numbers from strings, and `range(...)`'s arguments.

use std::rc::Rc;

use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive};

use crate::python::value::{raise, Dict, ExcKind, Exception, Range, Value};

use super::arith::{binary, divmod, pow_mod, round};
use super::call_args::{kw, not_an_int};
use super::common::{big, float, float_to_int, is_int, small, truthy, BinOp, CmpOp, R};
use super::compare::{compare, sorted};
use super::items::to_vec;
use super::list_dict_methods::update_pairs;
use super::repr::{repr, to_str};

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
                "surrogate code points are not supported by the kitchen",
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
        "len" => len(&arg(0)),
        "str" => Ok(Value::str(&args.first().map(to_str).unwrap_or_default())),
        "repr" => Ok(Value::str(&repr(&arg(0)))),
        "int" => match args.first() {
            None => Ok(Value::Int(0)),
            Some(v) => int_of(v, args.get(1).or_else(|| kw(&kwargs, "base"))),
        },
        "float" => float_of(args),
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
        "min" | "max" => min_max(name, args, &kwargs),
        "sum" => sum(args, &kwargs),
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
        "dict" => dict(args, &kwargs),
        "range" => range_from(args).map(|r| Value::Range(Rc::new(r))),
        "divmod" => divmod(&arg(0), &arg(1)),
        "pow" => match args.get(2).or_else(|| kw(&kwargs, "mod")) {
            None | Some(Value::None) => binary(BinOp::Pow, &arg(0), &arg(1)),
            Some(m) => pow_mod(&arg(0), &arg(1), m),
        },
        "chr" => chr(&arg(0)),
        "ord" => ord(&arg(0)),
        "hex" | "bin" | "oct" => radix_text(name, &arg(0)),
        "any" => to_vec(&arg(0)).map(|v| Value::Bool(v.iter().any(truthy))),
        "all" => to_vec(&arg(0)).map(|v| Value::Bool(v.iter().all(truthy))),
        "reversed" => to_vec(&arg(0)).map(|mut v| {
            v.reverse();
            Value::list(v)
        }),
        "hash" => crate::python::set::hash(&arg(0)).map(Value::Int),
        "set" | "frozenset" | "bytes" => super::sets_bytes::construct(name, args),
        "id" => Ok(Value::Int(arg(0).identity() as i64)),
        _ => return None,
    })
}

fn len(v: &Value) -> R<Value> {
    match v {
        Value::Str(s) => Ok(Value::Int(s.chars().count() as i64)),
        Value::List(l) => Ok(Value::Int(l.borrow().len() as i64)),
        Value::Tuple(t) => Ok(Value::Int(t.len() as i64)),
        Value::Dict(d) => Ok(Value::Int(d.borrow().len() as i64)),
        Value::Range(r) => Ok(Value::Int(r.len() as i64)),
        other => match super::sets_bytes::len(other) {
            Some(n) => Ok(Value::Int(n as i64)),
            None => raise(
                ExcKind::TypeError,
                format!("object of type '{}' has no len()", other.type_name()),
            ),
        },
    }
}

/// `float(x)`: of a number or a string; `float()` is `0.0`.
fn float_of(args: &[Value]) -> R<Value> {
    let arg = args.first().cloned().unwrap_or(Value::None);
    match &arg {
        Value::None if args.is_empty() => Ok(Value::Float(0.0)),
        Value::Str(s) => parse_float(s).map(Value::Float).ok_or_else(|| {
            Exception::new(
                ExcKind::ValueError,
                format!("could not convert string to float: {}", repr(&arg)),
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
    }
}

/// `min` and `max` without `key` (the prelude handles `key`): of one iterable or of the
/// arguments; `default` for an empty iterable.
fn min_max(name: &str, args: &[Value], kwargs: &[(String, Value)]) -> R<Value> {
    let items = if args.len() == 1 {
        to_vec(&args[0])?
    } else {
        args.to_vec()
    };
    if items.is_empty() {
        return match kw(kwargs, "default") {
            Some(d) => Ok(d.clone()),
            None => raise(
                ExcKind::ValueError,
                format!("{name}() arg is an empty sequence"),
            ),
        };
    }
    let mut best = items[0].clone();
    for x in &items[1..] {
        let better = if name == "min" {
            compare(CmpOp::Lt, x, &best)?
        } else {
            compare(CmpOp::Gt, x, &best)?
        };
        if better {
            best = x.clone();
        }
    }
    Ok(best)
}

/// `sum(iterable, start=0)`; strings are refused, as CPython does.
fn sum(args: &[Value], kwargs: &[(String, Value)]) -> R<Value> {
    let items = to_vec(&args.first().cloned().unwrap_or(Value::None))?;
    let mut total = args
        .get(1)
        .cloned()
        .or_else(|| kw(kwargs, "start").cloned())
        .unwrap_or(Value::Int(0));
    if let Value::Str(_) = total {
        return raise(
            ExcKind::TypeError,
            "sum() can't sum strings [use ''.join(seq) instead]",
        );
    }
    for x in &items {
        total = binary(BinOp::Add, &total, x)?;
    }
    Ok(total)
}

/// `dict(pairs_or_mapping, **kwargs)`.
fn dict(args: &[Value], kwargs: &[(String, Value)]) -> R<Value> {
    let mut pairs = match args.first() {
        Some(v) => update_pairs(v)?,
        None => Vec::new(),
    };
    pairs.extend(kwargs.iter().map(|(k, v)| (Value::str(k), v.clone())));
    let mut d = Dict::new();
    d.extend(pairs).map(|_| Value::dict(d))
}

fn ord(v: &Value) -> R<Value> {
    match v {
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
    }
}

/// `hex`, `bin` and `oct`.
fn radix_text(name: &str, v: &Value) -> R<Value> {
    let Some(b) = big(v) else {
        return Err(not_an_int(v));
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
