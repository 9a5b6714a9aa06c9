//! Operations on plain Python data: arithmetic, comparison, `repr`/`str`, formatting.
//!
//! The rest of the interpreter uses the items re-exported here. Each submodule holds one
//! concern, with the private helpers that only it uses:
//!
//! - `repr`: `repr` and `str`, CPython's float repr and string escapes (shared by errors,
//!   `print` and the formatters).
//! - `arith`: the binary and unary operators on ints, big ints, floats and sequences, and
//!   `round`, `divmod` and `pow(a, b, m)`, which share their int and float division.
//! - `compare`: `==` and the orders (exact between ints and floats), and sorting by them.
//! - `items`: indexing and slicing, item assignment and deletion, `in`, and an iterable's
//!   items: everything that resolves an index or a slice against a length.
//! - `format`: the format-spec mini language of `format()`, f-strings and `str.format`.
//! - `percent`: `str % args`, which reuses the format specs' padding and number layout.
//! - `str_format`: `str.format`'s templates and fields, on top of `format`.
//! - `methods`: which data type has which method, and `call_method`'s dispatch.
//! - `call_args`: the reader of a method call's arguments (`Call`) that the method modules
//!   share; it sits below them so that `methods` can dispatch to them without a circle.
//! - `str_methods`, `list_dict_methods`: the methods of `str`, and of `list` and `dict`.
//! - `builtins`: builtin functions over plain data (`len`, `int`, `min`, `sum`, ...).
//!
//! - `common`: what all of them use: the conversions between Python's number types,
//!   truthiness, and the operator enums that the compiler and the VM share.
//!
//! This file only names the modules and re-exports what the rest of the interpreter uses;
//! the modules import each other directly, never through it, so no import goes in a circle.

mod arith;
mod builtins;
mod call_args;
mod common;
mod compare;
mod format;
mod items;
mod list_dict_methods;
mod methods;
mod percent;
mod repr;
mod str_format;
mod str_methods;

pub use arith::{binary, unary};
pub use builtins::{builtin, range_from};
pub use common::{truthy, BinOp, CmpOp, UnaryOp};
pub use compare::{compare, eq};
pub use format::format_value;
pub use items::{contains, del_item, get_item, set_item, to_vec};
pub use methods::{call_method, has_method};
pub use repr::{float_repr, repr, repr_with, to_str, to_str_with, ShowHook};
