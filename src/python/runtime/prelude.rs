//! The prelude (`prelude/*.py`): the parts of the library CPython itself writes in Python,
//! ported so that they cost and schedule as there. Its naming convention decides where each
//! function goes (`asyncio__gather` is `asyncio.gather`); [`super::setup`] loads it.

use std::rc::Rc;

use super::state::Runtime;
use crate::python::bytecode::FunctionTemplate;
use crate::python::compile::compile_module;
use crate::python::objects::Function;
use crate::python::value::{ExcKind, Exception, Value};

/// The prelude's source: its files, one per part of the library, run as one module in
/// this order (each may use what the files before it define). As embedded: the build script
/// (`build.rs`) empties their comment lines, which the page need not download.
pub(super) const PRELUDE: &str = concat!(
    include_str!(concat!(env!("OUT_DIR"), "/prelude/builtins.py")),
    include_str!(concat!(env!("OUT_DIR"), "/prelude/executors.py")),
    include_str!(concat!(env!("OUT_DIR"), "/prelude/asyncio.py")),
    include_str!(concat!(env!("OUT_DIR"), "/prelude/itertools.py")),
    include_str!(concat!(env!("OUT_DIR"), "/prelude/logging.py")),
    include_str!(concat!(env!("OUT_DIR"), "/prelude/threading.py")),
    include_str!(concat!(env!("OUT_DIR"), "/prelude/queue.py")),
    include_str!(concat!(env!("OUT_DIR"), "/prelude/multiprocessing.py")),
    include_str!(concat!(env!("OUT_DIR"), "/prelude/asyncio_tasks.py")),
    include_str!(concat!(env!("OUT_DIR"), "/prelude/functools.py")),
);

impl Runtime {
    /// Python source written at run time by the prelude (what `@dataclass` generates, as
    /// CPython's `exec` runs it), compiled into a function that runs it in the prelude's
    /// globals: calling it defines what the source defines there.
    pub fn compile_for_prelude(&self, source: &str) -> Result<Value, Exception> {
        let code = compile_module(source, "<string>").map_err(|e| {
            Exception::new(
                ExcKind::RuntimeError,
                format!("generated code does not compile: {e}"),
            )
        })?;
        let template = FunctionTemplate {
            code,
            params: Vec::new(),
            ndefaults: 0,
            varargs: None,
            kwonly: Vec::new(),
            has_kwdefaults: false,
            varkw: None,
            doc: None,
        };
        Ok(Value::object(Function {
            template: Rc::new(template),
            defaults: Vec::new(),
            kwdefaults: Vec::new(),
            env: None,
            globals: self.prelude_globals.clone(),
            attrs: Default::default(),
        }))
    }

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
/// `threading__`, `queue__`, `itertools__`, `logging__`, `functools__`, `dataclasses__` their
/// modules. `None` for the prelude's builtins and private helpers.
pub fn prelude_export(name: &str) -> Option<(&'static str, &str)> {
    let (prefix, attr) = name.split_once("__")?;
    let module = match prefix {
        "asyncio" => "asyncio",
        "futures" => "concurrent.futures",
        "mp" => "multiprocessing",
        "functools" => "functools",
        "dataclasses" => "dataclasses",
        "threading" => "threading",
        "queue" => "queue",
        "itertools" => "itertools",
        "logging" => "logging",
        _ => return None,
    };
    (!attr.is_empty()).then_some((module, attr))
}
