//! `repr` and `str` of values: CPython's shortest float repr, and its quoting and escapes
//! for strings.

use crate::python::set::set_of;
use crate::python::value::Value;

use super::common::R;

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
    // A whole number below 1e16 (`1.0`, `30.0`): its digits and `.0`, the common case.
    if f.fract() == 0.0 && f.abs() < 1e16 {
        return format!("{}.0", f as i64);
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

/// `c` as codec errors show it: `'\xe9'`, ASCII as itself.
pub(super) fn char_escape(c: char) -> String {
    if c.is_ascii() {
        str_repr(&c.to_string())
    } else {
        format!("'{}'", escape(c))
    }
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
pub(super) fn ascii_repr(v: &Value) -> String {
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

/// How the runtime shows the objects of the program's classes inside `repr` and `str`: given
/// an object and whether its `str` (rather than its `repr`) is wanted, the text — or `None`
/// for an object that shows itself ([`Object::repr`](crate::python::value::Object::repr)).
/// `ops` cannot run Python code; the runtime can, and lends it through this.
pub type ShowHook<'a> = dyn FnMut(&Value, bool) -> Option<R<String>> + 'a;

fn repr_depth(v: &Value, depth: u32, hook: &mut ShowHook) -> R<String> {
    if depth > 100 {
        return Ok("...".into());
    }
    let items = |xs: &[Value], hook: &mut ShowHook| -> R<String> {
        let mut parts = Vec::with_capacity(xs.len());
        for x in xs {
            parts.push(repr_depth(x, depth + 1, hook)?);
        }
        Ok(parts.join(", "))
    };
    Ok(match v {
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
        Value::List(l) => {
            let l = l.borrow().clone();
            format!("[{}]", items(&l, hook)?)
        }
        Value::Tuple(t) if t.len() == 1 => format!("({},)", repr_depth(&t[0], depth + 1, hook)?),
        Value::Tuple(t) => format!("({})", items(t, hook)?),
        Value::Dict(d) => {
            let pairs = d.borrow().pairs();
            let mut parts = Vec::with_capacity(pairs.len());
            for (k, v) in &pairs {
                parts.push(format!(
                    "{}: {}",
                    repr_depth(k, depth + 1, hook)?,
                    repr_depth(v, depth + 1, hook)?
                ));
            }
            format!("{{{}}}", parts.join(", "))
        }
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
        Value::Object(o) => {
            if let Some(r) = set_repr(v, &mut |x| repr_depth(x, depth + 1, hook)) {
                return r;
            }
            match hook(v, false) {
                Some(r) => r?,
                None => o.repr(),
            }
        }
    })
}

fn no_hook(_: &Value, _: bool) -> Option<R<String>> {
    None
}

/// `repr(v)`.
pub fn repr(v: &Value) -> String {
    repr_depth(v, 0, &mut no_hook).unwrap_or_default()
}

/// `repr(v)`, showing the program's objects as `hook` says.
pub fn repr_with(v: &Value, hook: &mut ShowHook) -> R<String> {
    repr_depth(v, 0, hook)
}

/// `str(v)`.
pub fn to_str(v: &Value) -> String {
    to_str_with(v, &mut no_hook).unwrap_or_default()
}

/// `str(v)`, showing the program's objects as `hook` says.
pub fn to_str_with(v: &Value, hook: &mut ShowHook) -> R<String> {
    match v {
        Value::Str(s) => Ok(s.to_string()),
        Value::Exception(e) => Ok(e.message.clone()),
        Value::Object(o) => match hook(v, true) {
            Some(r) => r,
            None => match o.text() {
                Some(t) => Ok(t),
                None => repr_depth(v, 0, hook),
            },
        },
        other => repr_depth(other, 0, hook),
    }
}

/// `{:?}` of a value is its Python `repr`. It lives here rather than beside [`Value`] so that
/// `value` needs nothing of `ops`.
impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&repr(self))
    }
}

/// The repr of a set: `{1, 2}`, `set()`, `frozenset({1, 2})`, with `item` showing each member.
fn set_repr(v: &Value, item: &mut dyn FnMut(&Value) -> R<String>) -> Option<R<String>> {
    let s = set_of(v)?;
    let (items, frozen) = {
        let s = s.borrow();
        (s.items(), s.frozen)
    };
    let name = if frozen { "frozenset" } else { "set" };
    if items.is_empty() {
        return Some(Ok(format!("{name}()")));
    }
    let mut parts = Vec::with_capacity(items.len());
    for x in &items {
        match item(x) {
            Ok(p) => parts.push(p),
            Err(e) => return Some(Err(e)),
        }
    }
    let body = format!("{{{}}}", parts.join(", "));
    Some(Ok(if frozen {
        format!("frozenset({body})")
    } else {
        body
    }))
}
