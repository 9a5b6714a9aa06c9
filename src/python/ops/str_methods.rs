//! The methods of `str`.

use crate::python::value::{raise, ExcKind, Value};

use super::call_args::Call;
use super::common::{truthy, R};
use super::format::MAX_WIDTH;
use super::items::{slice_number, to_vec};
use super::str_format::str_format;

/// Python's whitespace (`str.isspace`): Unicode's, and the four ASCII separators `\x1c`-`\x1f`.
fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// A char with case (Python's "cased").
fn is_cased(c: char) -> bool {
    c.is_lowercase() || c.is_uppercase()
}

pub(super) fn str_method(s: &str, name: &str, call: &Call) -> Option<R<Value>> {
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
