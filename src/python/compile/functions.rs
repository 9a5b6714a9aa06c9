//! Code of its own: a `def` or `lambda` body becomes a [`FunctionTemplate`] (its parameters,
//! defaults and locals), and a comprehension becomes a small function called at once on the
//! first iterable, as in CPython (inside `async def`, a list or dict comprehension is a
//! coroutine, so it may `await`).

use std::collections::HashSet;
use std::rc::Rc;

use rustpython_parser::ast;

use super::scopes::{collect_bindings, target_names};
use super::{unsupported, CResult, Compiler, Unit};
use crate::python::bytecode::{CodeKind, FunctionTemplate, NameRef, Op};
use crate::python::value::Value;

impl Compiler {
    /// Compiles a function body into a template and emits `MakeFunction`.
    pub(super) fn function(
        &mut self,
        name: &str,
        args: &ast::Arguments,
        body: &[ast::Stmt],
        kind: CodeKind,
        line: u32,
    ) -> CResult {
        if let Some(a) = args.posonlyargs.first() {
            return unsupported(&self.lines, &a.def, "positional-only parameters ('/')");
        }
        // Defaults are evaluated where the function is defined.
        let mut ndefaults = 0;
        for a in &args.args {
            if let Some(d) = &a.default {
                self.expr(d)?;
                ndefaults += 1;
            } else if ndefaults > 0 {
                return unsupported(
                    &self.lines,
                    &a.def,
                    "a parameter without default after one with",
                );
            }
        }
        let has_kwdefaults = args.kwonlyargs.iter().any(|a| a.default.is_some());
        if has_kwdefaults {
            self.emit(Op::BuildDict(0), line);
            for a in &args.kwonlyargs {
                if let Some(d) = &a.default {
                    self.emit(Op::Const(Value::str(a.def.arg.as_str())), line);
                    self.expr(d)?;
                    self.emit(Op::DictSet(1), line);
                }
            }
        }
        let mut unit = Unit::new(name, kind, false);
        let mut params = Vec::new();
        for a in &args.args {
            unit.add_local(a.def.arg.as_str());
            params.push(Rc::from(a.def.arg.as_str()));
        }
        let varargs = args.vararg.as_ref().map(|v| unit.add_local(v.arg.as_str()));
        let kwonly = args
            .kwonlyargs
            .iter()
            .map(|a| {
                (
                    Rc::from(a.def.arg.as_str()),
                    unit.add_local(a.def.arg.as_str()),
                )
            })
            .collect();
        let varkw = args.kwarg.as_ref().map(|v| unit.add_local(v.arg.as_str()));
        let mut binds = HashSet::new();
        let mut decl = (HashSet::new(), HashSet::new());
        for s in body {
            collect_bindings(s, &mut binds, &mut decl);
        }
        unit.declared_global = decl.0.clone();
        let mut sorted: Vec<_> = binds.into_iter().collect();
        crate::core::sort::sort(&mut sorted);
        for b in sorted {
            if !decl.0.contains(&b) && !decl.1.contains(&b) {
                unit.add_local(&b);
            }
        }
        self.units.push(unit);
        self.body(body)?;
        self.emit(Op::Const(Value::None), line);
        self.emit(Op::Return, line);
        let code = self.finish_unit();
        let template = FunctionTemplate {
            code,
            params,
            ndefaults,
            varargs,
            kwonly,
            has_kwdefaults,
            varkw,
            doc: super::classes::docstring(body).map(Rc::from),
        };
        self.emit(Op::MakeFunction(Rc::new(template)), line);
        Ok(())
    }

    pub(super) fn comprehension(
        &mut self,
        generators: &[ast::Comprehension],
        what: Comp,
        line: u32,
        node: &ast::Expr,
    ) -> CResult {
        let Some(first) = generators.first() else {
            return unsupported(&self.lines, node, "an empty comprehension");
        };
        if generators.iter().any(|g| g.is_async) {
            return unsupported(
                &self.lines,
                node,
                "async comprehensions ('async for' inside [...])",
            );
        }
        // Inside `async def`, a list or dict comprehension may `await`: CPython then runs it
        // as a coroutine that the enclosing one awaits at once. Compiling every such
        // comprehension that way changes nothing for those without an `await`.
        let in_coroutine = self.unit().kind == CodeKind::Coroutine;
        let (name, kind) = match what {
            Comp::List(_) if in_coroutine => ("<listcomp>", CodeKind::Coroutine),
            Comp::Dict(..) if in_coroutine => ("<dictcomp>", CodeKind::Coroutine),
            Comp::Set(_) if in_coroutine => ("<setcomp>", CodeKind::Coroutine),
            Comp::List(_) => ("<listcomp>", CodeKind::Function),
            Comp::Dict(..) => ("<dictcomp>", CodeKind::Function),
            Comp::Set(_) => ("<setcomp>", CodeKind::Function),
            Comp::Gen(_) => ("<genexpr>", CodeKind::Generator),
        };
        let mut unit = Unit::new(name, kind, false);
        unit.add_local(".0");
        let mut binds = HashSet::new();
        for g in generators {
            target_names(&g.target, &mut binds);
        }
        let mut sorted: Vec<_> = binds.into_iter().collect();
        crate::core::sort::sort(&mut sorted);
        for b in sorted {
            unit.add_local(&b);
        }
        self.units.push(unit);
        match what {
            Comp::List(_) => {
                self.emit(Op::BuildList(0), line);
            }
            Comp::Dict(..) => {
                self.emit(Op::BuildDict(0), line);
            }
            Comp::Set(_) => {
                self.emit(Op::BuildSet(0), line);
            }
            Comp::Gen(_) => {}
        }
        self.comp_loop(generators, 0, &what, line)?;
        if let Comp::Gen(_) = what {
            self.emit(Op::Const(Value::None), line);
        }
        self.emit(Op::Return, line);
        let code = self.finish_unit();
        let template = FunctionTemplate {
            code,
            params: vec![Rc::from(".0")],
            ndefaults: 0,
            varargs: None,
            kwonly: Vec::new(),
            has_kwdefaults: false,
            varkw: None,
            doc: None,
        };
        self.emit(Op::MakeFunction(Rc::new(template)), line);
        self.expr(&first.iter)?;
        self.emit(Op::GetIter, line);
        self.emit(
            Op::Call {
                argc: 1,
                kwnames: Rc::from(Vec::new()),
            },
            line,
        );
        if kind == CodeKind::Coroutine {
            self.await_top(line);
        }
        Ok(())
    }

    pub(super) fn comp_loop(
        &mut self,
        generators: &[ast::Comprehension],
        depth: usize,
        what: &Comp,
        line: u32,
    ) -> CResult {
        let Some(g) = generators.get(depth) else {
            // The innermost body: produce one element.
            match what {
                Comp::List(elt) => {
                    self.expr(elt)?;
                    self.emit(Op::ListAppend(depth as u32 + 1), line);
                }
                Comp::Dict(k, v) => {
                    self.expr(k)?;
                    self.expr(v)?;
                    self.emit(Op::DictSet(depth as u32 + 1), line);
                }
                Comp::Set(elt) => {
                    self.expr(elt)?;
                    self.emit(Op::SetAdd(depth as u32 + 1), line);
                }
                Comp::Gen(elt) => {
                    self.expr(elt)?;
                    self.emit(Op::Yield, line);
                    self.emit(Op::Pop, line);
                }
            }
            return Ok(());
        };
        if depth == 0 {
            self.emit(Op::Load(NameRef::Local(0)), line);
        } else {
            self.expr(&g.iter)?;
            self.emit(Op::GetIter, line);
        }
        let top = self.emit(Op::ForIter(0), line);
        self.store(&g.target)?;
        for cond in &g.ifs {
            self.expr(cond)?;
            self.emit(Op::JumpIfFalse(top), line);
        }
        self.comp_loop(generators, depth + 1, what, line)?;
        self.emit(Op::Jump(top), line);
        let end = self.here();
        self.patch(top, end);
        Ok(())
    }
}

/// What a comprehension builds.
pub(super) enum Comp<'a> {
    List(&'a ast::Expr),
    Dict(&'a ast::Expr, &'a ast::Expr),
    Set(&'a ast::Expr),
    Gen(&'a ast::Expr),
}
