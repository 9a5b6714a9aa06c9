//! `bytes`: immutable byte strings (`b"..."`, `"text".encode()`, `os.urandom(n)`), which
//! programs print, measure, index, slice, join and decode back to text.

use std::any::Any;
use std::rc::Rc;

use super::value::{Key, Object, Value};

/// A `bytes` value: `Value::Object` of this.
pub struct Bytes(pub Rc<[u8]>);

impl Object for Bytes {
    fn type_name(&self) -> &str {
        "bytes"
    }
    fn repr(&self) -> String {
        bytes_repr(&self.0)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn value_key(&self) -> Option<Key> {
        Some(Key::Bytes(self.0.to_vec()))
    }
}

/// A new bytes value.
pub fn new_bytes(data: Vec<u8>) -> Value {
    Value::Object(Rc::new(Bytes(Rc::from(data))))
}

/// The bytes inside `v`, if it is a bytes value.
pub fn bytes_of(v: &Value) -> Option<&[u8]> {
    v.downcast::<Bytes>().map(|b| &*b.0)
}

/// `repr(b)` as CPython writes it: `b'...'` (or `b"..."` when that needs fewer escapes),
/// printable ASCII as itself, `\t`, `\n`, `\r`, `\\`, and `\xNN` for the rest.
pub fn bytes_repr(data: &[u8]) -> String {
    let quote = if data.contains(&b'\'') && !data.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from("b");
    out.push(quote);
    for &c in data {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            c if c as char == quote => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..=0x7e => out.push(c as char),
            c => out.push_str(&format!("\\x{c:02x}")),
        }
    }
    out.push(quote);
    out
}
