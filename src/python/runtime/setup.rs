//! Building a runtime for a program: compiling the program and the prelude, loading the
//! prelude (its functions become builtins and module attributes), and setting up the main
//! thread. Nothing of the program runs yet.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use super::budget::{Limits, WATCH_EVERY};
use super::prelude::{prelude_export, PRELUDE};
use super::state::{ProcessState, Runtime};
use super::vm::Exit;
use crate::core::clock::from_secs;
use crate::core::fast_hash::FastMap;
use crate::core::profile::CheckedProfile;
use crate::python::bytecode::Code;
use crate::python::compile::compile_module;
use crate::python::error::{PyError, PyErrorKind};
use crate::python::frame::{snapshot, Caller, Env, Frame, Globals};
use crate::python::objects::Namespace;
use crate::python::random::Random;
use crate::python::value::Value;

thread_local! {
    /// The prelude's bytecode, compiled once per thread: every run loads the same code, and
    /// parsing and compiling its 80 KB of Python was most of a small run's time. Code is
    /// immutable (its constants too), so runs sharing it cannot see each other.
    static PRELUDE_CODE: RefCell<Option<Rc<Code>>> = const { RefCell::new(None) };
}

/// The prelude, compiled (once per thread).
fn prelude_code() -> Result<Rc<Code>, PyError> {
    if let Some(code) = PRELUDE_CODE.with(|c| c.borrow().clone()) {
        return Ok(code);
    }
    let code = compile_module(PRELUDE, "<prelude>").map_err(|e| PyError {
        message: format!("the kitchen's prelude does not compile: {}", e.message),
        ..e
    })?;
    PRELUDE_CODE.with(|c| *c.borrow_mut() = Some(code.clone()));
    Ok(code)
}

impl Runtime {
    /// Compiles `source` and sets up its main thread; nothing runs yet. `install` fills in the
    /// builtins and modules written in Rust (`python::natives::install`) before the prelude,
    /// which uses them, runs.
    pub fn new(
        source: &str,
        name: &str,
        profile: &CheckedProfile,
        install: fn(&mut Runtime),
    ) -> Result<Runtime, PyError> {
        let prelude = prelude_code()?;
        let code = compile_module(source, name)?;
        let op_ns = from_secs(profile.op_s).max(1);
        let mut rt = Runtime {
            profile: profile.clone(),
            op_ns,
            threads: Vec::new(),
            processes: Vec::new(),
            builtins: FastMap::default(),
            modules: HashMap::new(),
            attr_lookups: Vec::new(),
            attr_setters: Vec::new(),
            prelude_globals: Rc::new(RefCell::new(FastMap::default())),
            wakes: Vec::new(),
            task_events: Vec::new(),
            notes: Vec::new(),
            now: 0,
            ops_done: 0,
            limits: Limits::default(),
            next_check: WATCH_EVERY,
            raise_line: None,
            done_seq: 0,
            process_counter: 0,
            executor_counter: 0,
            fatal: None,
            program: Rc::from(name),
            killed: Vec::new(),
            running: 0,
            base_attrs: Vec::new(),
            instances_made: 0,
            program_name: Rc::from(name),
            program_source: Rc::from(source),
            stderr: Vec::new(),
            uncaught: None,
            unawaited: Default::default(),
            sync_depth: 0,
        };
        install(&mut rt);
        rt.run_prelude(prelude)?;
        let globals: Globals = Rc::new(RefCell::new(FastMap::default()));
        globals
            .borrow_mut()
            .insert(Rc::from("__name__"), Value::str("__main__"));
        globals
            .borrow_mut()
            .insert(Rc::from("__file__"), Value::str(name));
        rt.processes.push(ProcessState {
            globals: globals.clone(),
            partial: RefCell::new(String::new()),
            random: RefCell::new(Random::default()),
            thread_counter: Cell::new(0),
            name: "MainProcess".into(),
            parent: None,
            at_exit: Vec::new(),
        });
        let env = Env::new(code.locals.len(), None);
        let frame = Frame::new(code, env, globals, Caller::Base);
        let tid = rt.new_thread(0, "MainThread".into(), false, None);
        rt.threads[tid].frames.push(frame);
        Ok(rt)
    }

    /// Runs the prelude's module code to define its functions (no threads involved).
    pub(super) fn run_prelude(&mut self, code: Rc<Code>) -> Result<(), PyError> {
        let env = Env::new(code.locals.len(), None);
        let frame = Frame::new(code, env, self.prelude_globals.clone(), Caller::Base);
        self.processes.push(ProcessState {
            globals: self.prelude_globals.clone(),
            partial: RefCell::new(String::new()),
            random: RefCell::new(Random::default()),
            thread_counter: Cell::new(0),
            name: "prelude".into(),
            parent: None,
            at_exit: Vec::new(),
        });
        let tid = self.new_thread(0, "prelude".into(), false, None);
        self.threads[tid].frames.push(frame);
        // The prelude is not timed: it runs to its end, however many CPU quanta it takes on
        // the machine the profile describes (a slower machine's op cost makes more of them).
        let exit = loop {
            match self.run_thread(tid)? {
                Exit::Quantum => self.threads[tid].cost = 0,
                exit => break exit,
            }
        };
        if !matches!(exit, Exit::BaseReturn(_)) {
            let why = match exit {
                Exit::BaseRaise(e) => format!(": {}: {}", e.kind.name(), e.message),
                _ => String::new(),
            };
            return Err(PyError::new(
                PyErrorKind::Unsupported,
                0,
                0,
                format!("the kitchen's prelude failed to load{why}"),
            ));
        }
        self.threads.clear();
        self.processes.clear();
        self.ops_done = 0;
        self.next_check = self.next_checkpoint();
        self.install_prelude_exports();
        Ok(())
    }

    /// After the prelude ran: its public functions join the builtins and the modules.
    /// A prelude function `asyncio__gather` becomes `asyncio.gather`.
    fn install_prelude_exports(&mut self) {
        let items = snapshot(&self.prelude_globals);
        for (name, value) in items {
            match prelude_export(&name) {
                Some((module, attr)) => {
                    if let Some(ns) = self
                        .modules
                        .get(module)
                        .and_then(|m| m.downcast::<Namespace>())
                    {
                        ns.attrs.borrow_mut().insert(Rc::from(attr), value);
                    }
                }
                _ => {
                    if !name.starts_with('_') {
                        self.builtins.insert(name, value);
                    }
                }
            }
        }
    }
}
