//! `str.format`: templates, their replacement fields, and how the fields are numbered.

use crate::python::value::{raise, ExcKind, Exception, Value};

use super::call_args::{kw, Call};
use super::common::R;
use super::format::format_value;
use super::items::get_item;
use super::repr::{ascii_repr, repr, to_str};

/// How `str.format` numbers its fields: `{}` counts up, `{0}` names; one template may not mix them.
#[derive(Default)]
struct Numbering {
    next: usize,
    auto: Option<bool>,
}

/// `template.format(*args, **kwargs)`.
pub(super) fn str_format(template: &str, call: &Call) -> R<String> {
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
