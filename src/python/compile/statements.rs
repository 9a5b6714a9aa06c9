//! Statements: expression statements, assignments (plain, augmented, to targets), `if`,
//! `while`, `for` (with its closed-form fast path for accumulating loops over a range),
//! `return`, `def`, `raise`, `assert`, imports and `del`. `try` and `with` are in
//! [`super::blocks`], function bodies in [`super::functions`].

use std::rc::Rc;

use rustpython_parser::ast::{self, Ranged};

use super::scopes::contains_yield;
use super::{bin_op, unsupported, CResult, Compiler, FBlock, MODULES};
use crate::python::bytecode::{CodeKind, Op};
use crate::python::fast_path::Poly;
use crate::python::value::Value;

impl Compiler {
    pub(super) fn body(&mut self, stmts: &[ast::Stmt]) -> CResult {
        for s in stmts {
            self.stmt(s)?;
        }
        Ok(())
    }

    pub(super) fn stmt(&mut self, s: &ast::Stmt) -> CResult {
        let saved = self.at;
        self.at = s.start().to_usize();
        let r = self.stmt_node(s);
        self.at = saved;
        r
    }

    fn stmt_node(&mut self, s: &ast::Stmt) -> CResult {
        use ast::Stmt::*;
        let line = self.line_of(s);
        match s {
            Expr(e) => {
                self.expr(&e.value)?;
                self.emit(Op::Pop, line);
            }
            Assign(a) => self.assign(a, line)?,
            AnnAssign(a) => {
                if let Some(v) = &a.value {
                    self.expr(v)?;
                    self.store(&a.target)?;
                }
            }
            AugAssign(a) => self.aug_assign(a)?,
            If(i) => self.if_stmt(i, line)?,
            While(w) => self.while_stmt(w, line)?,
            For(f) => self.for_stmt(f)?,
            Break(_) => self.break_continue(true, line, s)?,
            Continue(_) => self.break_continue(false, line, s)?,
            Pass(_) => {}
            Return(r) => self.return_stmt(r, line, s)?,
            FunctionDef(f) => {
                self.decorators(&f.decorator_list)?;
                let kind = if contains_yield(&f.body) {
                    CodeKind::Generator
                } else {
                    CodeKind::Function
                };
                self.function(f.name.as_str(), &f.args, &f.body, kind, line)?;
                self.apply_decorators(f.decorator_list.len(), line);
                let target = self.resolve(f.name.as_str());
                self.emit(Op::Store(target), line);
            }
            AsyncFunctionDef(f) => {
                if contains_yield(&f.body) {
                    return unsupported(&self.lines, s, "async generators");
                }
                self.decorators(&f.decorator_list)?;
                self.function(f.name.as_str(), &f.args, &f.body, CodeKind::Coroutine, line)?;
                self.apply_decorators(f.decorator_list.len(), line);
                let target = self.resolve(f.name.as_str());
                self.emit(Op::Store(target), line);
            }
            Try(t) => self.try_stmt(t, line)?,
            With(w) => self.with_stmt(&w.items, &w.body, false, line)?,
            AsyncWith(w) => {
                if self.unit().kind != CodeKind::Coroutine {
                    return unsupported(&self.lines, s, "'async with' outside an async function");
                }
                self.with_stmt(&w.items, &w.body, true, line)?
            }
            Raise(r) => self.raise_stmt(r, line)?,
            Assert(a) => self.assert_stmt(a, line)?,
            Import(i) => self.import(i, line, s)?,
            ImportFrom(i) => self.import_from(i, line, s)?,
            Global(_) | Nonlocal(_) => {}
            Delete(d) => self.delete(d, line)?,
            ClassDef(c) => self.class_def(c, line)?,
            AsyncFor(_) => return unsupported(&self.lines, s, "'async for'"),
            Match(_) => return unsupported(&self.lines, s, "'match'"),
            TryStar(_) => return unsupported(&self.lines, s, "'except*'"),
            TypeAlias(_) => return unsupported(&self.lines, s, "'type' aliases"),
        }
        Ok(())
    }

    /// `a = b = value`: the value is computed once and stored into each target in turn.
    fn assign(&mut self, a: &ast::StmtAssign, line: u32) -> CResult {
        self.expr(&a.value)?;
        for (i, t) in a.targets.iter().enumerate() {
            if i + 1 < a.targets.len() {
                self.emit(Op::Dup, line);
            }
            self.store(t)?;
        }
        Ok(())
    }

    fn if_stmt(&mut self, i: &ast::StmtIf, line: u32) -> CResult {
        self.expr(&i.test)?;
        let to_else = self.emit(Op::JumpIfFalse(0), line);
        self.body(&i.body)?;
        if i.orelse.is_empty() {
            let here = self.here();
            self.patch(to_else, here);
        } else {
            let to_end = self.emit(Op::Jump(0), line);
            let here = self.here();
            self.patch(to_else, here);
            self.body(&i.orelse)?;
            let here = self.here();
            self.patch(to_end, here);
        }
        Ok(())
    }

    fn while_stmt(&mut self, w: &ast::StmtWhile, line: u32) -> CResult {
        let start = self.here();
        self.expr(&w.test)?;
        let exit = self.emit(Op::JumpIfFalse(0), line);
        self.unit().fblocks.push(FBlock::While {
            brk: Vec::new(),
            cont: start,
        });
        self.body(&w.body)?;
        self.emit(Op::Jump(start), line);
        let Some(FBlock::While { brk, .. }) = self.unit().fblocks.pop() else {
            unreachable!()
        };
        let here = self.here();
        self.patch(exit, here);
        self.body(&w.orelse)?;
        let end = self.here();
        for b in brk {
            self.patch(b, end);
        }
        Ok(())
    }

    /// `return`: the value goes on the stack, then every open block is unwound around it.
    fn return_stmt(&mut self, r: &ast::StmtReturn, line: u32, s: &ast::Stmt) -> CResult {
        if self.unit().is_module || self.unit().is_class {
            return unsupported(&self.lines, s, "'return' outside a function");
        }
        match &r.value {
            Some(v) => self.expr(v)?,
            None => {
                self.emit(Op::Const(Value::None), line);
            }
        }
        let blocks = self.unit().fblocks.clone();
        for b in blocks.iter().rev() {
            self.unwind(b, true, line)?;
        }
        self.emit(Op::Return, line);
        Ok(())
    }

    /// `raise e [from cause]`, or a bare `raise` re-raising the handled exception.
    fn raise_stmt(&mut self, r: &ast::StmtRaise, line: u32) -> CResult {
        match &r.exc {
            Some(e) => {
                self.expr(e)?;
                if let Some(cause) = &r.cause {
                    self.expr(cause)?;
                    self.emit(Op::Pop, line);
                }
                self.emit(Op::Raise, line);
            }
            None => {
                let handler = self.unit().fblocks.iter().rev().find_map(|b| match b {
                    FBlock::Handler(slot) => Some(slot.clone()),
                    _ => None,
                });
                match handler {
                    Some(slot) => {
                        self.emit(Op::Load(slot), line);
                        self.emit(Op::Raise, line);
                    }
                    None => {
                        self.emit(Op::Fail(Rc::from("No active exception to reraise")), line);
                    }
                }
            }
        }
        Ok(())
    }

    fn assert_stmt(&mut self, a: &ast::StmtAssert, line: u32) -> CResult {
        self.expr(&a.test)?;
        let ok = self.emit(Op::JumpIfTrue(0), line);
        match &a.msg {
            Some(m) => {
                self.expr(m)?;
                self.emit(Op::AssertFail(true), line);
            }
            None => {
                self.emit(Op::AssertFail(false), line);
            }
        }
        let here = self.here();
        self.patch(ok, here);
        Ok(())
    }

    /// `import a.b [as c]`: without an alias, the top package's name is bound.
    fn import(&mut self, i: &ast::StmtImport, line: u32, s: &ast::Stmt) -> CResult {
        for a in &i.names {
            let module = a.name.as_str();
            self.check_module(module, s)?;
            match &a.asname {
                Some(alias) => {
                    self.emit(Op::Import(Rc::from(module)), line);
                    let t = self.resolve(alias.as_str());
                    self.emit(Op::Store(t), line);
                }
                None => {
                    let top = module.split('.').next().unwrap_or(module);
                    self.emit(Op::Import(Rc::from(top)), line);
                    let t = self.resolve(top);
                    self.emit(Op::Store(t), line);
                }
            }
        }
        Ok(())
    }

    fn import_from(&mut self, i: &ast::StmtImportFrom, line: u32, s: &ast::Stmt) -> CResult {
        let Some(module) = &i.module else {
            return unsupported(&self.lines, s, "a relative import");
        };
        if i.level.is_some_and(|l| l.to_u32() > 0) {
            return unsupported(&self.lines, s, "a relative import");
        }
        self.check_module(module.as_str(), s)?;
        for a in &i.names {
            if a.name.as_str() == "*" {
                return unsupported(&self.lines, s, "'import *'");
            }
            self.emit(Op::Import(Rc::from(module.as_str())), line);
            self.emit(Op::LoadAttr(Rc::from(a.name.as_str())), line);
            let t = self.resolve(a.asname.as_ref().unwrap_or(&a.name).as_str());
            self.emit(Op::Store(t), line);
        }
        Ok(())
    }

    fn delete(&mut self, d: &ast::StmtDelete, line: u32) -> CResult {
        for t in &d.targets {
            match t {
                ast::Expr::Name(n) => {
                    let r = self.resolve(n.id.as_str());
                    self.emit(Op::Delete(r), line);
                }
                ast::Expr::Subscript(sub) => {
                    self.expr(&sub.value)?;
                    self.expr(&sub.slice)?;
                    self.emit(Op::DeleteSubscript, line);
                }
                other => return unsupported(&self.lines, other, "this kind of 'del'"),
            }
        }
        Ok(())
    }

    pub(super) fn check_module(&self, module: &str, s: &ast::Stmt) -> CResult {
        if MODULES.contains(&module) {
            Ok(())
        } else {
            unsupported(&self.lines, s, &format!("module '{module}'"))
        }
    }

    /// Evaluates a definition's decorators, outermost first; they are called once the
    /// function exists (`apply_decorators`).
    pub(super) fn decorators(&mut self, list: &[ast::Expr]) -> CResult {
        for d in list {
            self.expr(d)?;
        }
        Ok(())
    }

    pub(super) fn aug_assign(&mut self, a: &ast::StmtAugAssign) -> CResult {
        let line = self.line_of(a);
        let Some(op) = bin_op(a.op) else {
            return unsupported(&self.lines, a, "the '@' operator");
        };
        match &*a.target {
            ast::Expr::Name(n) => {
                let r = self.resolve(n.id.as_str());
                self.emit(Op::Load(r.clone()), line);
                self.expr(&a.value)?;
                self.emit(Op::InPlace(op), line);
                self.emit(Op::Store(r), line);
            }
            ast::Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.emit(Op::Rot2, line);
                self.emit(Op::Dup, line);
                // [idx, obj, obj] -> want [obj, idx, obj[idx]]
                let tmp_obj = self.hidden_local("obj");
                let tmp_idx = self.hidden_local("idx");
                self.emit(Op::Store(tmp_obj.clone()), line);
                self.emit(Op::Pop, line);
                self.emit(Op::Store(tmp_idx.clone()), line);
                self.emit(Op::Load(tmp_obj.clone()), line);
                self.emit(Op::Load(tmp_idx.clone()), line);
                self.emit(Op::Subscript, line);
                self.expr(&a.value)?;
                self.emit(Op::InPlace(op), line);
                self.emit(Op::Load(tmp_obj), line);
                self.emit(Op::Load(tmp_idx), line);
                self.emit(Op::StoreSubscript, line);
            }
            ast::Expr::Attribute(at) => {
                self.expr(&at.value)?;
                self.emit(Op::Dup, line);
                self.emit(Op::LoadAttr(Rc::from(at.attr.as_str())), line);
                self.expr(&a.value)?;
                self.emit(Op::InPlace(op), line);
                self.emit(Op::Rot2, line);
                self.emit(Op::StoreAttr(Rc::from(at.attr.as_str())), line);
            }
            other => return unsupported(&self.lines, other, "this augmented assignment target"),
        }
        Ok(())
    }

    /// Stores TOS into `target`.
    pub(super) fn store(&mut self, target: &ast::Expr) -> CResult {
        let line = self.line_of(target);
        match target {
            ast::Expr::Name(n) => {
                let r = self.resolve(n.id.as_str());
                self.emit(Op::Store(r), line);
            }
            ast::Expr::Tuple(ast::ExprTuple { elts, .. })
            | ast::Expr::List(ast::ExprList { elts, .. }) => {
                if let Some(star) = elts.iter().find(|e| e.is_starred_expr()) {
                    return unsupported(&self.lines, star, "starred assignment ('a, *b = ...')");
                }
                self.emit(Op::UnpackSequence(elts.len() as u32), line);
                for e in elts {
                    self.store(e)?;
                }
            }
            ast::Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.emit(Op::StoreSubscript, line);
            }
            ast::Expr::Attribute(a) => {
                self.expr(&a.value)?;
                self.emit(Op::StoreAttr(Rc::from(a.attr.as_str())), line);
            }
            other => return unsupported(&self.lines, other, "this assignment target"),
        }
        Ok(())
    }

    pub(super) fn for_stmt(&mut self, f: &ast::StmtFor) -> CResult {
        let line = self.line_of(f);
        if self.accumulate_fast_path(f)? {
            return Ok(());
        }
        self.expr(&f.iter)?;
        self.emit(Op::GetIter, line);
        let top = self.emit(Op::ForIter(0), line);
        self.unit().fblocks.push(FBlock::For {
            brk: Vec::new(),
            cont: top,
        });
        self.store(&f.target)?;
        self.body(&f.body)?;
        self.emit(Op::Jump(top), line);
        let Some(FBlock::For { brk, .. }) = self.unit().fblocks.pop() else {
            unreachable!()
        };
        let here = self.here();
        self.patch(top, here);
        self.body(&f.orelse)?;
        let end = self.here();
        for b in brk {
            self.patch(b, end);
        }
        Ok(())
    }

    /// `for V in range(...): NAME += poly(V) ...`: compiled to a closed form when every
    /// statement of the body is such an accumulation. Returns whether it applied.
    pub(super) fn accumulate_fast_path(&mut self, f: &ast::StmtFor) -> CResult<bool> {
        let ast::Expr::Name(var) = &*f.target else {
            return Ok(false);
        };
        let Some(range_args) = self.range_call(&f.iter) else {
            return Ok(false);
        };
        if !f.orelse.is_empty() || f.body.is_empty() {
            return Ok(false);
        }
        let v = var.id.as_str();
        let mut targets = Vec::new();
        let mut weight = 0;
        for s in &f.body {
            match s {
                ast::Stmt::Pass(_) => weight += 1,
                ast::Stmt::AugAssign(a) => {
                    let ast::Expr::Name(t) = &*a.target else {
                        return Ok(false);
                    };
                    let add = match a.op {
                        ast::Operator::Add => true,
                        ast::Operator::Sub => false,
                        _ => return Ok(false),
                    };
                    if t.id.as_str() == v {
                        return Ok(false);
                    }
                    let Some(p) = Poly::from_expr(&a.value, v) else {
                        return Ok(false);
                    };
                    weight += 2 + p.weight;
                    targets.push((self.resolve(t.id.as_str()), add, p));
                }
                _ => return Ok(false),
            }
        }
        let line = self.line_of(f);
        let argc = range_args.len() as u32;
        for a in range_args {
            self.expr(a)?;
        }
        let var = self.resolve(v);
        self.emit(
            Op::ForRangeAccumulate {
                argc,
                var,
                targets: targets.into(),
                weight,
            },
            line,
        );
        Ok(true)
    }

    /// The arguments of `range(...)` when `e` is a plain call of the builtin `range`.
    pub(super) fn range_call<'a>(&self, e: &'a ast::Expr) -> Option<&'a [ast::Expr]> {
        let ast::Expr::Call(c) = e else { return None };
        let ast::Expr::Name(n) = &*c.func else {
            return None;
        };
        let ok = n.id.as_str() == "range"
            && self.is_builtin("range")
            && c.keywords.is_empty()
            && (1..=3).contains(&c.args.len())
            && !c.args.iter().any(|a| a.is_starred_expr());
        ok.then_some(&c.args[..])
    }
}
