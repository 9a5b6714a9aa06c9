//! `class` statements, decorators and the zero-argument `super()`.
//!
//! A class body is compiled as CPython compiles it: into code of its own, run once when the
//! `class` statement runs. Its variables are slots like a function's; the body ends in
//! `BuildClass`, which makes the class from them (the bases arrive as the body's one
//! argument). Functions defined in the body do not see those variables (see
//! `Compiler::resolve`), but they share the body's environment, where the hidden variable
//! `__class__` holds the finished class: that is how `super()` without arguments finds the
//! class it was written in, as CPython's `__class__` cell does.

use std::collections::HashSet;
use std::rc::Rc;

use rustpython_parser::ast::{self, Ranged};

use super::scopes::collect_bindings;
use super::{unsupported, CResult, Compiler, Unit};
use crate::python::bytecode::{ClassInfo, CodeKind, FunctionTemplate, NameRef, Op};
use crate::python::value::Value;

/// The hidden variable of a class body holding the class, for `super()`.
const CLASS_CELL: &str = "__class__";

impl Compiler {
    /// `class Name(bases): body`, with its decorators.
    pub(super) fn class_def(&mut self, c: &ast::StmtClassDef, line: u32) -> CResult {
        if let Some(k) = c.keywords.first() {
            return unsupported(&self.lines, k, "class keywords (metaclass=...)");
        }
        if let Some(t) = c.type_params.first() {
            return unsupported(&self.lines, t, "type parameters");
        }
        for d in &c.decorator_list {
            self.expr(d)?;
        }
        let qualname = self.qualname_of(c.name.as_str());
        let mut unit = Unit::new(c.name.as_str(), CodeKind::Function, false);
        unit.is_class = true;
        unit.add_local(".bases");
        unit.add_local(CLASS_CELL);
        let mut decl = (HashSet::new(), HashSet::new());
        for s in &c.body {
            // Slots in the order the body first binds them: the class's attributes keep the
            // order of its source, as CPython's class namespace does.
            let mut binds = HashSet::new();
            collect_bindings(s, &mut binds, &mut decl);
            let mut names: Vec<_> = binds.into_iter().collect();
            crate::core::sort::sort(&mut names);
            for n in names {
                unit.add_local(&n);
            }
        }
        unit.declared_global = decl.0;
        let annotations = class_annotations(&c.body, &self.lines);
        self.units.push(unit);
        if let Some(doc) = docstring(&c.body) {
            self.emit(Op::Const(Value::str(doc)), line);
            let slot = self.unit().add_local("__doc__");
            self.emit(Op::Store(NameRef::Local(slot)), line);
        }
        self.body(&c.body)?;
        let info = ClassInfo {
            name: Rc::from(c.name.as_str()),
            qualname: Rc::from(qualname.as_str()),
            annotations,
        };
        self.emit(Op::BuildClass(Rc::new(info)), line);
        self.emit(Op::Return, line);
        let code = self.finish_unit();
        let template = FunctionTemplate {
            code,
            params: vec![Rc::from(".bases")],
            ndefaults: 0,
            varargs: None,
            kwonly: Vec::new(),
            has_kwdefaults: false,
            varkw: None,
            doc: None,
        };
        self.emit(Op::MakeFunction(Rc::new(template)), line);
        for b in &c.bases {
            if b.is_starred_expr() {
                return unsupported(&self.lines, b, "starred bases ('class A(*bases)')");
            }
            self.expr(b)?;
        }
        self.emit(Op::BuildTuple(c.bases.len() as u32), line);
        self.emit(call(1), line);
        self.apply_decorators(c.decorator_list.len(), line);
        let target = self.resolve(c.name.as_str());
        self.emit(Op::Store(target), line);
        Ok(())
    }

    /// Calls the decorators evaluated before the definition, innermost first.
    pub(super) fn apply_decorators(&mut self, n: usize, line: u32) {
        for _ in 0..n {
            self.emit(call(1), line);
        }
    }

    /// `Outer.Inner` or `f.<locals>.Name` for `name` defined in the current unit.
    pub(super) fn qualname_of(&self, name: &str) -> String {
        let mut parts: Vec<String> = Vec::new();
        for u in self.units.iter().filter(|u| !u.is_module) {
            if u.is_class {
                parts.push(u.name.to_string());
            } else {
                parts.push(format!("{}.<locals>", u.name));
            }
        }
        parts.push(name.to_string());
        parts.join(".")
    }

    /// `super()` with no arguments: `super(__class__, first_parameter)`, where `__class__` is
    /// the class the call was written in. Returns whether `c` was such a call.
    pub(super) fn zero_arg_super(&mut self, c: &ast::ExprCall, line: u32) -> CResult<bool> {
        let ast::Expr::Name(f) = &*c.func else {
            return Ok(false);
        };
        if f.id.as_str() != "super" || !c.args.is_empty() || !c.keywords.is_empty() {
            return Ok(false);
        }
        if !self.is_builtin("super") {
            return Ok(false);
        }
        let n = self.units.len();
        let Some(class_at) = self.units.iter().rposition(|u| u.is_class) else {
            return unsupported(&self.lines, c, "super() outside a method");
        };
        if class_at + 1 >= n || self.units[class_at + 1..].iter().any(|u| u.is_class) {
            return unsupported(&self.lines, c, "super() here");
        }
        let depth = (n - 1 - class_at) as u16;
        let slot = self.units[class_at].slots[CLASS_CELL];
        let Some(first) = self.units[class_at + 1].locals.first().cloned() else {
            self.emit(Op::Fail(Rc::from("super(): no arguments")), line);
            return Ok(true);
        };
        let sup = self.resolve("super");
        self.emit(Op::Load(sup), line);
        self.emit(Op::Load(NameRef::Outer { depth, slot }), line);
        let this = self.resolve(&first);
        self.emit(Op::Load(this), line);
        self.emit(call(2), line);
        Ok(true)
    }
}

/// A call of `argc` positional arguments.
fn call(argc: u32) -> Op {
    Op::Call {
        argc,
        kwnames: Rc::from(Vec::new()),
    }
}

/// The body's docstring: a string literal as its first statement.
pub(super) fn docstring(body: &[ast::Stmt]) -> Option<&str> {
    let ast::Stmt::Expr(e) = body.first()? else {
        return None;
    };
    match &*e.value {
        ast::Expr::Constant(ast::ExprConstant {
            value: ast::Constant::Str(s),
            ..
        }) => Some(s.as_str()),
        _ => None,
    }
}

/// The annotated names at the top of a class body, in order, with their annotations' text.
fn class_annotations(body: &[ast::Stmt], lines: &super::Lines) -> Vec<(Rc<str>, Rc<str>)> {
    body.iter()
        .filter_map(|s| match s {
            ast::Stmt::AnnAssign(a) => match &*a.target {
                ast::Expr::Name(n) => {
                    let r = a.annotation.range();
                    let text = lines.text(r.start().to_usize(), r.end().to_usize());
                    Some((Rc::from(n.id.as_str()), Rc::from(text)))
                }
                _ => None,
            },
            _ => None,
        })
        .collect()
}
