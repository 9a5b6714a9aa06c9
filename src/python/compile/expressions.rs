//! Expressions: names and constants, operators, comparisons (chained ones included), calls
//! (with `*args` and `**kwargs`, and the closed-form `sum` over a range), containers,
//! f-strings, attributes and subscripts, `await`, `yield` and `yield from`. Lambdas and
//! comprehensions compile to functions: see [`super::functions`].

use std::rc::Rc;

use rustpython_parser::ast::{self, Ranged};

use super::functions::Comp;
use super::scopes::contains_yield;
use super::{bin_op, unsupported, CResult, Compiler};
use crate::python::bytecode::{CodeKind, Op};
use crate::python::fast_path::Poly;
use crate::python::ops::{self, CmpOp};
use crate::python::value::Value;

impl Compiler {
    pub(super) fn await_top(&mut self, line: u32) {
        self.emit(Op::GetAwaitable, line);
        self.emit(Op::Const(Value::None), line);
        self.emit(Op::YieldFrom, line);
    }

    pub(super) fn expr(&mut self, e: &ast::Expr) -> CResult {
        let saved = self.at;
        self.at = e.start().to_usize();
        let r = self.expr_node(e);
        self.at = saved;
        r
    }

    fn expr_node(&mut self, e: &ast::Expr) -> CResult {
        use ast::Expr::*;
        let line = self.line_of(e);
        match e {
            Constant(c) => {
                let v = self.constant(&c.value, e)?;
                self.emit(Op::Const(v), line);
            }
            Name(n) => {
                let r = self.resolve(n.id.as_str());
                self.emit(Op::Load(r), line);
            }
            BoolOp(b) => self.bool_op(b, line)?,
            BinOp(b) => {
                let Some(op) = bin_op(b.op) else {
                    return unsupported(&self.lines, e, "the '@' operator");
                };
                self.expr(&b.left)?;
                self.expr(&b.right)?;
                self.emit(Op::Binary(op), line);
            }
            UnaryOp(u) => {
                self.expr(&u.operand)?;
                let op = match u.op {
                    ast::UnaryOp::Not => ops::UnaryOp::Not,
                    ast::UnaryOp::USub => ops::UnaryOp::Neg,
                    ast::UnaryOp::UAdd => ops::UnaryOp::Pos,
                    ast::UnaryOp::Invert => ops::UnaryOp::Invert,
                };
                self.emit(Op::Unary(op), line);
            }
            Compare(c) => self.compare(c, line)?,
            IfExp(i) => self.if_exp(i, line)?,
            Lambda(l) => self.lambda(l, line)?,
            List(l) => self.sequence(&l.elts, false, line)?,
            Tuple(t) => self.sequence(&t.elts, true, line)?,
            Dict(d) => self.dict(d, line)?,
            Set(_) | SetComp(_) => return unsupported(&self.lines, e, "a set"),
            ListComp(l) => self.comprehension(&l.generators, Comp::List(&l.elt), line, e)?,
            DictComp(d) => {
                self.comprehension(&d.generators, Comp::Dict(&d.key, &d.value), line, e)?
            }
            GeneratorExp(g) => self.comprehension(&g.generators, Comp::Gen(&g.elt), line, e)?,
            Await(a) => {
                if self.unit().kind != CodeKind::Coroutine {
                    return unsupported(&self.lines, e, "'await' outside an async function");
                }
                self.expr(&a.value)?;
                self.await_top(line);
            }
            Yield(y) => self.yield_value(y, line, e)?,
            YieldFrom(y) => {
                if self.unit().kind != CodeKind::Generator {
                    return unsupported(&self.lines, e, "'yield from' here");
                }
                self.expr(&y.value)?;
                self.emit(Op::GetIter, line);
                self.emit(Op::Const(Value::None), line);
                self.emit(Op::YieldFrom, line);
            }
            Call(c) => self.call(c, line)?,
            FormattedValue(f) => self.formatted(f, line)?,
            JoinedStr(j) => {
                for v in &j.values {
                    match v {
                        FormattedValue(f) => self.formatted(f, line)?,
                        other => self.expr(other)?,
                    }
                }
                self.emit(Op::BuildString(j.values.len() as u32), line);
            }
            Attribute(a) => {
                self.expr(&a.value)?;
                self.emit(Op::LoadAttr(Rc::from(a.attr.as_str())), line);
            }
            Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.emit(Op::Subscript, line);
            }
            Slice(s) => self.slice(s, line)?,
            Starred(_) => return unsupported(&self.lines, e, "a starred expression here"),
            NamedExpr(_) => return unsupported(&self.lines, e, "the ':=' operator"),
        }
        Ok(())
    }

    /// `a and b or c`: each operand but the last may end the expression with its own value.
    fn bool_op(&mut self, b: &ast::ExprBoolOp, line: u32) -> CResult {
        let mut jumps = Vec::new();
        for (i, v) in b.values.iter().enumerate() {
            self.expr(v)?;
            if i + 1 < b.values.len() {
                let op = match b.op {
                    ast::BoolOp::And => Op::JumpIfFalseOrPop(0),
                    ast::BoolOp::Or => Op::JumpIfTrueOrPop(0),
                };
                jumps.push(self.emit(op, line));
            }
        }
        let end = self.here();
        for j in jumps {
            self.patch(j, end);
        }
        Ok(())
    }

    /// `body if test else orelse`.
    fn if_exp(&mut self, i: &ast::ExprIfExp, line: u32) -> CResult {
        self.expr(&i.test)?;
        let to_else = self.emit(Op::JumpIfFalse(0), line);
        self.expr(&i.body)?;
        let to_end = self.emit(Op::Jump(0), line);
        let here = self.here();
        self.patch(to_else, here);
        self.expr(&i.orelse)?;
        let here = self.here();
        self.patch(to_end, here);
        Ok(())
    }

    /// `lambda args: body` is a function whose body returns `body`.
    fn lambda(&mut self, l: &ast::ExprLambda, line: u32) -> CResult {
        let body = vec![ast::Stmt::Return(ast::StmtReturn {
            range: l.range,
            value: Some(l.body.clone()),
        })];
        let kind = if contains_yield(&body) {
            CodeKind::Generator
        } else {
            CodeKind::Function
        };
        self.function("<lambda>", &l.args, &body, kind, line)
    }

    /// `{k: v, **other}`.
    fn dict(&mut self, d: &ast::ExprDict, line: u32) -> CResult {
        self.emit(Op::BuildDict(0), line);
        for (k, v) in d.keys.iter().zip(&d.values) {
            match k {
                Some(k) => {
                    self.expr(k)?;
                    self.expr(v)?;
                    self.emit(Op::DictSet(1), line);
                }
                None => {
                    self.expr(v)?;
                    self.emit(Op::DictMerge, line);
                }
            }
        }
        Ok(())
    }

    fn yield_value(&mut self, y: &ast::ExprYield, line: u32, e: &ast::Expr) -> CResult {
        if self.unit().kind != CodeKind::Generator {
            return unsupported(&self.lines, e, "'yield' here");
        }
        match &y.value {
            Some(v) => self.expr(v)?,
            None => {
                self.emit(Op::Const(Value::None), line);
            }
        }
        self.emit(Op::Yield, line);
        Ok(())
    }

    /// `lower:upper:step` inside `[]`; a missing part is `None`.
    fn slice(&mut self, s: &ast::ExprSlice, line: u32) -> CResult {
        for part in [&s.lower, &s.upper, &s.step] {
            match part {
                Some(p) => self.expr(p)?,
                None => {
                    self.emit(Op::Const(Value::None), line);
                }
            }
        }
        self.emit(Op::BuildSlice, line);
        Ok(())
    }

    pub(super) fn constant(&self, c: &ast::Constant, node: &ast::Expr) -> CResult<Value> {
        Ok(match c {
            ast::Constant::None => Value::None,
            ast::Constant::Bool(b) => Value::Bool(*b),
            ast::Constant::Str(s) => Value::str(s),
            ast::Constant::Int(i) => Value::from_bigint(i.clone()),
            ast::Constant::Float(f) => Value::Float(*f),
            ast::Constant::Tuple(items) => Value::tuple(
                items
                    .iter()
                    .map(|i| self.constant(i, node))
                    .collect::<CResult<_>>()?,
            ),
            ast::Constant::Bytes(_) => return unsupported(&self.lines, node, "bytes"),
            ast::Constant::Complex { .. } => {
                return unsupported(&self.lines, node, "complex numbers")
            }
            ast::Constant::Ellipsis => return unsupported(&self.lines, node, "'...'"),
        })
    }

    pub(super) fn formatted(&mut self, f: &ast::ExprFormattedValue, line: u32) -> CResult {
        self.expr(&f.value)?;
        if let Some(spec) = &f.format_spec {
            self.expr(spec)?;
        }
        let conversion = match f.conversion {
            ast::ConversionFlag::None => 0,
            ast::ConversionFlag::Str => b's',
            ast::ConversionFlag::Repr => b'r',
            ast::ConversionFlag::Ascii => b'a',
        };
        self.emit(
            Op::FormatValue {
                conversion,
                has_spec: f.format_spec.is_some(),
            },
            line,
        );
        Ok(())
    }

    pub(super) fn sequence(&mut self, elts: &[ast::Expr], tuple: bool, line: u32) -> CResult {
        if elts.iter().any(|e| e.is_starred_expr()) {
            self.emit(Op::BuildList(0), line);
            for e in elts {
                match e {
                    ast::Expr::Starred(s) => {
                        self.expr(&s.value)?;
                        self.emit(Op::ListExtend, line);
                    }
                    other => {
                        self.expr(other)?;
                        self.emit(Op::ListAppend(1), line);
                    }
                }
            }
            if tuple {
                self.emit(Op::ListToTuple, line);
            }
            return Ok(());
        }
        for e in elts {
            self.expr(e)?;
        }
        let n = elts.len() as u32;
        self.emit(
            if tuple {
                Op::BuildTuple(n)
            } else {
                Op::BuildList(n)
            },
            line,
        );
        Ok(())
    }

    pub(super) fn compare(&mut self, c: &ast::ExprCompare, line: u32) -> CResult {
        self.expr(&c.left)?;
        let mut cleanup = Vec::new();
        for (i, (op, right)) in c.ops.iter().zip(&c.comparators).enumerate() {
            self.expr(right)?;
            let last = i + 1 == c.ops.len();
            if !last {
                // Keep the right operand for the next comparison: [r, l, r] then compare.
                self.emit(Op::Dup, line);
                let tmp = self.hidden_local("cmp");
                self.emit(Op::Store(tmp.clone()), line);
                self.cmp_op(*op, line);
                cleanup.push(self.emit(Op::JumpIfFalseOrPop(0), line));
                self.emit(Op::Load(tmp), line);
            } else {
                self.cmp_op(*op, line);
            }
        }
        let end = self.here();
        for j in cleanup {
            self.patch(j, end);
        }
        Ok(())
    }

    pub(super) fn cmp_op(&mut self, op: ast::CmpOp, line: u32) {
        let op = match op {
            ast::CmpOp::Eq => Op::Compare(CmpOp::Eq),
            ast::CmpOp::NotEq => Op::Compare(CmpOp::NotEq),
            ast::CmpOp::Lt => Op::Compare(CmpOp::Lt),
            ast::CmpOp::LtE => Op::Compare(CmpOp::LtE),
            ast::CmpOp::Gt => Op::Compare(CmpOp::Gt),
            ast::CmpOp::GtE => Op::Compare(CmpOp::GtE),
            ast::CmpOp::In => Op::Contains(false),
            ast::CmpOp::NotIn => Op::Contains(true),
            ast::CmpOp::Is => Op::Is(false),
            ast::CmpOp::IsNot => Op::Is(true),
        };
        self.emit(op, line);
    }

    pub(super) fn call(&mut self, c: &ast::ExprCall, line: u32) -> CResult {
        if self.sum_fast_path(c, line)? || self.zero_arg_super(c, line)? {
            return Ok(());
        }
        self.expr(&c.func)?;
        let starred = c.args.iter().any(|a| a.is_starred_expr());
        let double = c.keywords.iter().any(|k| k.arg.is_none());
        if starred || double {
            self.sequence(&c.args, true, line)?;
            self.emit(Op::BuildDict(0), line);
            for k in &c.keywords {
                match &k.arg {
                    Some(name) => {
                        self.emit(Op::Const(Value::str(name.as_str())), line);
                        self.expr(&k.value)?;
                        self.emit(Op::DictSet(1), line);
                    }
                    None => {
                        self.expr(&k.value)?;
                        self.emit(Op::DictMerge, line);
                    }
                }
            }
            self.emit(Op::CallEx, line);
            return Ok(());
        }
        for a in &c.args {
            self.expr(a)?;
        }
        let mut names = Vec::new();
        for k in &c.keywords {
            self.expr(&k.value)?;
            names.push(Rc::from(k.arg.as_ref().map_or("", |a| a.as_str())));
        }
        self.emit(
            Op::Call {
                argc: c.args.len() as u32,
                kwnames: names.into(),
            },
            line,
        );
        Ok(())
    }

    /// `sum(E for V in range(...))` with `E` a polynomial in `V`.
    pub(super) fn sum_fast_path(&mut self, c: &ast::ExprCall, line: u32) -> CResult<bool> {
        let ast::Expr::Name(f) = &*c.func else {
            return Ok(false);
        };
        if f.id.as_str() != "sum" || !self.is_builtin("sum") || c.args.len() != 1 {
            return Ok(false);
        }
        if !c.keywords.is_empty() {
            return Ok(false);
        }
        let ast::Expr::GeneratorExp(g) = &c.args[0] else {
            return Ok(false);
        };
        let [gen] = &g.generators[..] else {
            return Ok(false);
        };
        if !gen.ifs.is_empty() || gen.is_async {
            return Ok(false);
        }
        let ast::Expr::Name(var) = &gen.target else {
            return Ok(false);
        };
        let Some(args) = self.range_call(&gen.iter) else {
            return Ok(false);
        };
        let Some(poly) = Poly::from_expr(&g.elt, var.id.as_str()) else {
            return Ok(false);
        };
        for a in args {
            self.expr(a)?;
        }
        self.emit(
            Op::SumRange {
                argc: args.len() as u32,
                poly: Rc::new(poly),
            },
            line,
        );
        Ok(true)
    }
}
