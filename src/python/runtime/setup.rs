//! Building a runtime for a program: compiling the program and the prelude, loading the
//! prelude (its functions become builtins and module attributes), and setting up the main
//! thread. Nothing of the program runs yet.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use super::prelude::PRELUDE;
use super::state::{ProcessState, Runtime, OP_BUDGET};
use super::vm::Exit;
use crate::core::clock::from_secs;
use crate::core::profile::Profile;
use crate::python::bytecode::Code;
use crate::python::compile::compile_module;
use crate::python::error::{PyError, PyErrorKind};
use crate::python::frame::{Caller, Env, Frame, Globals};
use crate::python::value::Value;

impl Runtime {
    /// Compiles `source` and sets up its main thread; nothing runs yet.
    pub fn new(source: &str, name: &str, profile: Profile) -> Result<Runtime, PyError> {
        let prelude = compile_module(PRELUDE, "<prelude>").map_err(|e| PyError {
            message: format!("the kitchen's prelude does not compile: {}", e.message),
            ..e
        })?;
        let code = compile_module(source, name)?;
        let op_ns = from_secs(profile.op_s).max(1);
        let mut rt = Runtime {
            profile,
            op_ns,
            threads: Vec::new(),
            processes: Vec::new(),
            builtins: HashMap::new(),
            modules: HashMap::new(),
            prelude_globals: Rc::new(RefCell::new(HashMap::new())),
            wakes: Vec::new(),
            task_events: Vec::new(),
            notes: Vec::new(),
            now: 0,
            ops_done: 0,
            op_budget: OP_BUDGET,
            raise_line: None,
            done_seq: 0,
            process_counter: 0,
            executor_counter: 0,
            fatal: None,
        };
        rt.install_natives();
        rt.run_prelude(prelude)?;
        let globals: Globals = Rc::new(RefCell::new(HashMap::new()));
        globals
            .borrow_mut()
            .insert(Rc::from("__name__"), Value::str("__main__"));
        rt.processes.push(ProcessState {
            globals: globals.clone(),
            random: RefCell::new(crate::python::random::Random::default()),
            thread_counter: Cell::new(0),
            name: "MainProcess".into(),
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
            random: RefCell::new(crate::python::random::Random::default()),
            thread_counter: Cell::new(0),
            name: "prelude".into(),
        });
        let tid = self.new_thread(0, "prelude".into(), false, None);
        self.threads[tid].frames.push(frame);
        let exit = self.run_thread(tid)?;
        if !matches!(exit, Exit::BaseReturn(_)) {
            return Err(PyError {
                kind: PyErrorKind::Unsupported,
                line: 0,
                column: 0,
                message: "the kitchen's prelude failed to load".into(),
            });
        }
        self.threads.clear();
        self.processes.clear();
        self.ops_done = 0;
        self.install_prelude_exports();
        Ok(())
    }
}
