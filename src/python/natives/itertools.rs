//! `itertools`: the module itself; its functions are the prelude's (`prelude/itertools.py`,
//! the Python equivalents CPython's documentation gives for its C code).

use super::build::namespace;
use crate::python::runtime::Runtime;

/// Makes `itertools` importable; the prelude fills it in.
pub(super) fn install(rt: &mut Runtime) {
    rt.add_module("itertools", namespace("module", Vec::new()));
}
