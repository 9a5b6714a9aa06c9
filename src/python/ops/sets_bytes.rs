//! Sets and bytes: their operators (`|`, `&`, `-`, `^`; `+`, `*` on bytes), their methods
//! (`add`, `discard`, `union`...; `decode`, `hex`, `join`...), `str.encode` and the `set`,
//! `frozenset` and `bytes` builtins. Their equality and order are in `compare`, membership,
//! items and indexing in `items`, their reprs in `repr` (which sit below this module). The
//! tables themselves are [`crate::python::set`] and [`crate::python::bytes`].

use crate::python::bytes::{bytes_of, new_bytes};
use crate::python::set::{combine, new_set, set_of, subset, PySet, SetObject};
use crate::python::value::{raise, ExcKind, Value};

use super::call_args::Call;
use super::common::{is_int, small, BinOp, R};
use super::items::to_vec;
use super::repr::repr;

/// Set methods, and the ones that only read (a frozenset has those).
pub(super) const SET_METHODS: &[&str] = &[
    "add",
    "discard",
    "remove",
    "pop",
    "clear",
    "update",
    "copy",
    "union",
    "intersection",
    "difference",
    "symmetric_difference",
    "issubset",
    "issuperset",
    "isdisjoint",
    "intersection_update",
    "difference_update",
];
pub(super) const BYTES_METHODS: &[&str] = &[
    "decode",
    "hex",
    "join",
    "startswith",
    "endswith",
    "upper",
    "lower",
    "strip",
    "split",
    "count",
    "find",
];

fn set_value(s: PySet) -> Value {
    Value::Object(std::rc::Rc::new(SetObject(std::cell::RefCell::new(s))))
}

/// `a op b` for sets and bytes; `None` when neither is one.
pub(super) fn binary(op: BinOp, a: &Value, b: &Value) -> Option<R<Value>> {
    if let (Some(x), Some(y)) = (set_of(a), set_of(b)) {
        let sym = match op {
            BinOp::BitOr => '|',
            BinOp::BitAnd => '&',
            BinOp::Sub => '-',
            BinOp::BitXor => '^',
            _ => return None,
        };
        let (x, y) = (x.borrow(), y.borrow());
        return Some(combine(sym, &x, &y).map(set_value));
    }
    match (op, bytes_of(a), bytes_of(b)) {
        (BinOp::Add, Some(x), Some(y)) => Some(Ok(new_bytes([x, y].concat()))),
        (BinOp::Add, Some(_), None) => Some(raise(
            ExcKind::TypeError,
            format!("can't concat {} to bytes", b.type_name()),
        )),
        (BinOp::Mul, Some(x), None) if is_int(b) => Some(Ok(new_bytes(x.repeat(count(b))))),
        (BinOp::Mul, None, Some(y)) if is_int(a) => Some(Ok(new_bytes(y.repeat(count(a))))),
        _ => None,
    }
}

fn count(n: &Value) -> usize {
    small(n).unwrap_or(0).clamp(0, 50_000_000) as usize
}

/// `len(v)` of a set or bytes.
pub(super) fn len(v: &Value) -> Option<usize> {
    set_of(v)
        .map(|s| s.borrow().len())
        .or_else(|| bytes_of(v).map(<[u8]>::len))
}

/// The set a set method's argument makes (any iterable).
fn as_set(v: &Value) -> R<PySet> {
    match set_of(v) {
        Some(s) => Ok(PySet::copy_of(&s.borrow(), false)),
        None => {
            let mut s = PySet::new(false);
            for x in to_vec(v)? {
                s.add(x)?;
            }
            Ok(s)
        }
    }
}

/// `s |= other`, for any iterable: a set is merged, anything else added item by item (as
/// CPython's `set_update_internal`).
fn update(s: &mut PySet, other: &Value) -> R<()> {
    match set_of(other) {
        Some(o) => s.merge(&o.borrow()),
        None => {
            for x in to_vec(other)? {
                s.add(x)?;
            }
            Ok(())
        }
    }
}

/// `s & other` (`keep`) or `s - other` for any iterable: with a set, the operators' way;
/// else walking `other` (keeping what `s` has, or discarding it from a copy).
fn narrow(keep: bool, s: &PySet, other: &Value) -> R<PySet> {
    if let Some(o) = set_of(other) {
        return combine(if keep { '&' } else { '-' }, s, &o.borrow());
    }
    let items = to_vec(other)?;
    if keep {
        let mut out = PySet::new(s.frozen);
        for x in items {
            if s.contains(&x)? {
                out.add(x)?;
            }
        }
        Ok(out)
    } else {
        let mut out = PySet::copy_of(s, s.frozen);
        for x in items {
            out.discard(&x)?;
        }
        Ok(out)
    }
}

/// The methods of sets.
pub(super) fn set_method(this: &Value, name: &str, call: &Call) -> R<Value> {
    let cell = set_of(this).expect("a set");
    let frozen = cell.borrow().frozen;
    let changes = !matches!(
        name,
        "copy"
            | "union"
            | "intersection"
            | "difference"
            | "symmetric_difference"
            | "issubset"
            | "issuperset"
            | "isdisjoint"
    );
    if frozen && changes {
        return raise(
            ExcKind::AttributeError,
            format!("'frozenset' object has no attribute '{name}'"),
        );
    }
    let copy = || PySet::copy_of(&cell.borrow(), frozen);
    Ok(match name {
        "add" => {
            cell.borrow_mut().add(call.arg(0))?;
            Value::None
        }
        "discard" => {
            cell.borrow_mut().discard(&call.arg(0))?;
            Value::None
        }
        "remove" => {
            if !cell.borrow_mut().discard(&call.arg(0))? {
                return raise(ExcKind::KeyError, repr(&call.arg(0)));
            }
            Value::None
        }
        "pop" => match cell.borrow_mut().pop() {
            Some(v) => v,
            None => return raise(ExcKind::KeyError, "'pop from an empty set'"),
        },
        "clear" => {
            cell.borrow_mut().clear();
            Value::None
        }
        "update" => {
            for o in call.args {
                update(&mut cell.borrow_mut(), o)?;
            }
            Value::None
        }
        "intersection_update" | "difference_update" => {
            let mut r = copy();
            for o in call.args {
                r = narrow(name == "intersection_update", &r, o)?;
            }
            *cell.borrow_mut() = r;
            Value::None
        }
        "copy" => set_value(copy()),
        "union" => {
            let mut r = copy();
            for o in call.args {
                update(&mut r, o)?;
            }
            set_value(r)
        }
        "intersection" | "difference" => {
            let mut r = copy();
            for o in call.args {
                r = narrow(name == "intersection", &r, o)?;
            }
            set_value(r)
        }
        "symmetric_difference" => set_value(combine('^', &cell.borrow(), &as_set(&call.arg(0))?)?),
        "issubset" => Value::Bool(subset(&cell.borrow(), &as_set(&call.arg(0))?)?),
        "issuperset" => Value::Bool(subset(&as_set(&call.arg(0))?, &cell.borrow())?),
        _ => {
            let other = as_set(&call.arg(0))?;
            Value::Bool(combine('&', &cell.borrow(), &other)?.is_empty())
        }
    })
}

/// The methods of bytes.
pub(super) fn bytes_method(data: &[u8], name: &str, call: &Call) -> R<Value> {
    let other = |i: usize| -> R<Vec<u8>> {
        match bytes_of(&call.arg(i)) {
            Some(b) => Ok(b.to_vec()),
            None => raise(
                ExcKind::TypeError,
                format!(
                    "a bytes-like object is required, not '{}'",
                    call.arg(i).type_name()
                ),
            ),
        }
    };
    Ok(match name {
        "decode" => {
            let encoding = call.get(0, "encoding").map(super::repr::to_str);
            decode(data, encoding.as_deref().unwrap_or("utf-8"))?
        }
        "hex" => Value::str(&data.iter().map(|b| format!("{b:02x}")).collect::<String>()),
        "join" => {
            let mut out = Vec::new();
            for (i, part) in to_vec(&call.arg(0))?.iter().enumerate() {
                if i > 0 {
                    out.extend_from_slice(data);
                }
                match bytes_of(part) {
                    Some(p) => out.extend_from_slice(p),
                    None => {
                        return raise(
                            ExcKind::TypeError,
                            format!(
                                "sequence item {i}: expected a bytes-like object, {} found",
                                part.type_name()
                            ),
                        )
                    }
                }
            }
            new_bytes(out)
        }
        "startswith" => Value::Bool(data.starts_with(&other(0)?)),
        "endswith" => Value::Bool(data.ends_with(&other(0)?)),
        "upper" => new_bytes(data.to_ascii_uppercase()),
        "lower" => new_bytes(data.to_ascii_lowercase()),
        "strip" => new_bytes(data.trim_ascii().to_vec()),
        "split" => {
            let parts: Vec<Value> = match call.get(0, "sep") {
                None => data
                    .split(|c| c.is_ascii_whitespace())
                    .filter(|p| !p.is_empty())
                    .map(|p| new_bytes(p.to_vec()))
                    .collect(),
                Some(_) => split_on(data, &other(0)?)?,
            };
            Value::list(parts)
        }
        "count" => {
            let sub = other(0)?;
            Value::Int(if sub.is_empty() {
                data.len() as i64 + 1
            } else {
                split_on(data, &sub)?.len() as i64 - 1
            })
        }
        _ => {
            let sub = other(0)?;
            let at =
                (0..=data.len().saturating_sub(sub.len())).find(|&i| data[i..].starts_with(&sub));
            Value::Int(at.map_or(-1, |i| i as i64))
        }
    })
}

fn split_on(data: &[u8], sep: &[u8]) -> R<Vec<Value>> {
    if sep.is_empty() {
        return raise(ExcKind::ValueError, "empty separator");
    }
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + sep.len() <= data.len() {
        if &data[i..i + sep.len()] == sep {
            parts.push(new_bytes(data[start..i].to_vec()));
            i += sep.len();
            start = i;
        } else {
            i += 1;
        }
    }
    parts.push(new_bytes(data[start..].to_vec()));
    Ok(parts)
}

/// `b.decode(encoding)` for UTF-8, ASCII and Latin-1.
fn decode(data: &[u8], encoding: &str) -> R<Value> {
    match encoding.to_ascii_lowercase().replace('_', "-").as_str() {
        "utf-8" | "utf8" => match std::str::from_utf8(data) {
            Ok(s) => Ok(Value::str(s)),
            Err(e) => raise(
                ExcKind::ValueError,
                format!(
                    "'utf-8' codec can't decode byte 0x{:02x} in position {}: invalid start byte",
                    data[e.valid_up_to()],
                    e.valid_up_to()
                ),
            ),
        },
        "ascii" => match data.iter().position(|&b| b >= 0x80) {
            None => Ok(Value::str(&String::from_utf8_lossy(data))),
            Some(i) => raise(
                ExcKind::ValueError,
                format!(
                    "'ascii' codec can't decode byte 0x{:02x} in position {i}: ordinal not in range(128)",
                    data[i]
                ),
            ),
        },
        "latin-1" | "latin1" | "iso-8859-1" => {
            Ok(Value::str(&data.iter().map(|&b| b as char).collect::<String>()))
        }
        other => raise(
            ExcKind::ValueError,
            format!("the '{other}' encoding is not supported by the kitchen"),
        ),
    }
}

/// `s.encode(encoding)`.
pub(super) fn encode(s: &str, encoding: &str) -> R<Value> {
    match encoding.to_ascii_lowercase().replace('_', "-").as_str() {
        "utf-8" | "utf8" => Ok(new_bytes(s.as_bytes().to_vec())),
        "ascii" | "latin-1" | "latin1" | "iso-8859-1" => {
            let limit = if encoding.eq_ignore_ascii_case("ascii") {
                0x80
            } else {
                0x100
            };
            let mut out = Vec::with_capacity(s.len());
            for (i, c) in s.chars().enumerate() {
                if (c as u32) < limit {
                    out.push(c as u8);
                } else {
                    let codec = if limit == 0x80 { "ascii" } else { "latin-1" };
                    return raise(
                        ExcKind::ValueError,
                        format!(
                            "'{codec}' codec can't encode character {} in position {i}: ordinal not in range({limit})",
                            super::repr::char_escape(c)
                        ),
                    );
                }
            }
            Ok(new_bytes(out))
        }
        other => raise(
            ExcKind::ValueError,
            format!("the '{other}' encoding is not supported by the kitchen"),
        ),
    }
}

/// `set(iterable)`, `frozenset(iterable)`, `bytes(...)` builtins.
pub(super) fn construct(name: &str, args: &[Value]) -> R<Value> {
    let frozen = name == "frozenset";
    match (name, args.first()) {
        ("set" | "frozenset", None) => new_set(Vec::new(), frozen),
        ("set" | "frozenset", Some(v)) => match set_of(v) {
            Some(s) => Ok(set_value(PySet::copy_of(&s.borrow(), frozen))),
            None => new_set(to_vec(v)?, frozen),
        },
        (_, None) => Ok(new_bytes(Vec::new())),
        (_, Some(Value::Str(s))) => match args.get(1) {
            Some(Value::Str(enc)) => encode(s, enc),
            _ => raise(ExcKind::TypeError, "string argument without an encoding"),
        },
        (_, Some(n)) if is_int(n) => Ok(new_bytes(vec![0; count(n)])),
        (_, Some(v)) => {
            let mut out = Vec::new();
            for x in to_vec(v)? {
                match small(&x) {
                    Some(b @ 0..=255) => out.push(b as u8),
                    _ => return raise(ExcKind::ValueError, "bytes must be in range(0, 256)"),
                }
            }
            Ok(new_bytes(out))
        }
    }
}
