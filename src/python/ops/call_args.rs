//! The reader of a method call's arguments (`Call`), shared by the modules that carry out
//! data methods (`str_methods`, `list_dict_methods`, `str_format`, `builtins`). It sits below
//! them and below `methods`, which dispatches to them.

use num_traits::Signed;

use crate::python::value::{raise, ExcKind, Exception, Value};

use super::common::{small, R};
use super::compare::eq;
use super::items::slice_number;

pub(super) fn kw<'a>(kwargs: &'a [(String, Value)], name: &str) -> Option<&'a Value> {
    kwargs.iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

/// A method call's arguments.
pub(super) struct Call<'a> {
    pub(super) args: &'a [Value],
    pub(super) kwargs: Vec<(String, Value)>,
}

impl Call<'_> {
    /// Argument `i`, given by position or as keyword `name`; `None` when absent or `None`.
    pub(super) fn get(&self, i: usize, name: &str) -> Option<&Value> {
        self.args
            .get(i)
            .or_else(|| kw(&self.kwargs, name))
            .filter(|v| !matches!(v, Value::None))
    }

    /// Keyword argument `name`; `None` when absent or `None`.
    pub(super) fn kwarg(&self, name: &str) -> Option<&Value> {
        kw(&self.kwargs, name).filter(|v| !matches!(v, Value::None))
    }

    /// Argument `i` (`None` when absent).
    pub(super) fn arg(&self, i: usize) -> Value {
        self.args.get(i).cloned().unwrap_or(Value::None)
    }

    /// Int argument `i` (or keyword `name`), `default` when absent.
    pub(super) fn int(&self, i: usize, name: &str, default: i64) -> R<i64> {
        match self.get(i, name) {
            None => Ok(default),
            Some(Value::BigInt(b)) => Ok(if b.is_negative() { i64::MIN } else { i64::MAX }),
            Some(v) => small(v).ok_or_else(|| not_an_int(v)),
        }
    }

    /// Str argument `i`, or CPython's `TypeError` (`must be str, not int`).
    pub(super) fn text(&self, i: usize, name: &str) -> R<&str> {
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

pub(super) fn not_an_int(v: &Value) -> Exception {
    Exception::new(
        ExcKind::TypeError,
        format!(
            "'{}' object cannot be interpreted as an integer",
            v.type_name()
        ),
    )
}

/// Where `call.arg(0)` first is in `items[start:end]` (the call's arguments 1 and 2).
pub(super) fn position(items: &[Value], call: &Call) -> R<Option<usize>> {
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
