//! Operations on plain Python data: arithmetic, comparison, `repr`/`str`, formatting.

use super::value::Value;

/// `repr(v)`.
pub fn repr(v: &Value) -> String {
    match v {
        Value::Object(o) => o.repr(),
        _ => format!("<{}>", v.type_name()),
    }
}
