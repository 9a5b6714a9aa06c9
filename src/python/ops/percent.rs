//! printf-style formatting, `str % args`, on the format specs' padding and number layout.

use num_traits::ToPrimitive;

use crate::python::value::{raise, ExcKind, Exception, Value};

use super::common::{big, float, float_to_int, is_int, small, R};
use super::format::{format_float, format_int, pad, spec_number, Spec, MAX_WIDTH};
use super::items::get_item;
use super::repr::{ascii_repr, repr, to_str};

/// `fmt % args`: printf-style formatting.
pub(super) fn percent_format(fmt: &str, args: &Value) -> R<Value> {
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
