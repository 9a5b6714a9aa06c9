//! The prelude (`prelude/*.py`): the parts of the library CPython itself writes in Python,
//! ported so that they cost and schedule as there. Its naming convention decides where each
//! function goes (`asyncio__gather` is `asyncio.gather`); [`super::setup`] loads it.

use super::state::Runtime;
use crate::python::value::Value;

/// The prelude's source: its files, one per part of the library, run as one module in
/// this order (each may use what the files before it define).
pub(super) const PRELUDE: &str = concat!(
    include_str!("prelude/builtins.py"),
    include_str!("prelude/executors.py"),
    include_str!("prelude/asyncio.py"),
    include_str!("prelude/itertools.py"),
    include_str!("prelude/logging.py"),
    include_str!("prelude/threading.py"),
    include_str!("prelude/queue.py"),
    include_str!("prelude/multiprocessing.py"),
    include_str!("prelude/asyncio_tasks.py"),
);

impl Runtime {
    /// A function defined by the prelude.
    pub fn prelude_fn(&self, name: &str) -> Value {
        self.prelude_globals
            .borrow()
            .get(name)
            .cloned()
            .or_else(|| self.builtins.get(name).cloned())
            .unwrap_or(Value::None)
    }
}

/// Where a prelude function is exported (see `prelude/`): `asyncio__gather` is
/// `asyncio.gather`, `futures__` is concurrent.futures, `mp__` multiprocessing, and
/// `threading__`, `queue__`, `itertools__`, `logging__` their modules. `None` for
/// the prelude's builtins and private helpers.
pub fn prelude_export(name: &str) -> Option<(&'static str, &str)> {
    let (prefix, attr) = name.split_once("__")?;
    let module = match prefix {
        "asyncio" => "asyncio",
        "futures" => "concurrent.futures",
        "mp" => "multiprocessing",
        "threading" => "threading",
        "queue" => "queue",
        "itertools" => "itertools",
        "logging" => "logging",
        _ => return None,
    };
    (!attr.is_empty()).then_some((module, attr))
}
