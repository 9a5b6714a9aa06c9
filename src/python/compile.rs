//! From Python source to bytecode: parsing with `rustpython-parser`, then one pass over its
//! syntax tree.
//!
//! Names are resolved here, as CPython's symbol table does: a name assigned anywhere in a
//! function is local to it (unless declared `global` or `nonlocal`), a name an enclosing
//! function binds is read through its environment (a closure), anything else is a global or a
//! builtin. Whatever the interpreter does not support is refused here, with its line and
//! column, rather than failing halfway through a run.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use rustpython_parser::ast::{self, Ranged};
use rustpython_parser::Parse;

use super::bytecode::{Code, CodeKind, FunctionTemplate, NameRef, Op};
use super::error::{PyError, PyErrorKind};
use super::fast_path::Poly;
use super::ops::{BinOp, CmpOp};
use super::value::Value;

/// Modules a program may import.
pub const MODULES: &[&str] = &[
    "asyncio",
    "time",
    "threading",
    "multiprocessing",
    "concurrent",
    "concurrent.futures",
    "random",
    "math",
    "queue",
];

/// Turns byte offsets into 1-based lines and columns.
pub struct Lines {
    starts: Vec<usize>,
    source: Rc<str>,
}

impl Lines {
    pub fn new(source: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        Lines {
            starts,
            source: Rc::from(source),
        }
    }
    pub fn line(&self, offset: usize) -> u32 {
        match self.starts.binary_search(&offset) {
            Ok(i) => i as u32 + 1,
            Err(i) => i as u32,
        }
    }
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let line = self.line(offset);
        let start = self.starts[(line - 1) as usize];
        let end = offset.min(self.source.len());
        let col = self.source.get(start..end).map_or(0, |s| s.chars().count());
        (line, col as u32 + 1)
    }
}

/// Compiles a whole program (module code).
pub fn compile_module(source: &str, name: &str) -> Result<Rc<Code>, PyError> {
    let lines = Lines::new(source);
    let suite = ast::Suite::parse(source, name).map_err(|e| {
        let (line, column) = lines.line_col(e.offset.to_usize());
        PyError {
            kind: PyErrorKind::Syntax,
            line,
            column,
            message: format!("invalid syntax: {}", e.error),
        }
    })?;
    let mut module_binds = HashSet::new();
    let mut ignore = (HashSet::new(), HashSet::new());
    for stmt in &suite {
        collect_bindings(stmt, &mut module_binds, &mut ignore);
    }
    let mut c = Compiler {
        lines,
        units: vec![Unit::new("<module>", CodeKind::Module, true)],
        module_binds,
    };
    c.body(&suite)?;
    c.emit(Op::Const(Value::None), 0);
    c.emit(Op::Return, 0);
    Ok(c.finish_unit())
}

type CResult<T = ()> = Result<T, PyError>;

/// Something between the current code position and the function's top that `return`,
/// `break` and `continue` must unwind.
#[derive(Clone)]
enum FBlock {
    /// A `for` loop: its iterator is on the stack.
    For {
        brk: Vec<usize>,
        cont: usize,
    },
    While {
        brk: Vec<usize>,
        cont: usize,
    },
    /// Inside a `try` body with `except` handlers.
    Try,
    /// Inside a `try` body with a `finally`: its body runs on the way out.
    Finally(Rc<Vec<ast::Stmt>>),
    /// Inside a `with` body: `__exit__` is on the stack.
    With {
        is_async: bool,
    },
    /// Inside an `except` handler: the exception is on the stack; `raise` re-raises `slot`.
    Handler(NameRef),
}

struct Unit {
    name: Rc<str>,
    kind: CodeKind,
    is_module: bool,
    ops: Vec<Op>,
    lines: Vec<u32>,
    locals: Vec<Rc<str>>,
    slots: HashMap<Rc<str>, u32>,
    declared_global: HashSet<String>,
    fblocks: Vec<FBlock>,
    /// Counter for hidden temporaries (`$exc1`, `$cmp2`...).
    hidden: u32,
}

impl Unit {
    fn new(name: &str, kind: CodeKind, is_module: bool) -> Unit {
        Unit {
            name: Rc::from(name),
            kind,
            is_module,
            ops: Vec::new(),
            lines: Vec::new(),
            locals: Vec::new(),
            slots: HashMap::new(),
            declared_global: HashSet::new(),
            fblocks: Vec::new(),
            hidden: 0,
        }
    }
    fn add_local(&mut self, name: &str) -> u32 {
        if let Some(&s) = self.slots.get(name) {
            return s;
        }
        let slot = self.locals.len() as u32;
        let name: Rc<str> = Rc::from(name);
        self.locals.push(name.clone());
        self.slots.insert(name, slot);
        slot
    }
}

struct Compiler {
    lines: Lines,
    units: Vec<Unit>,
    /// Names the module binds at top level (to know when `sum` or `range` is shadowed).
    module_binds: HashSet<String>,
}

fn unsupported<T>(lines: &Lines, node: &impl Ranged, what: &str) -> CResult<T> {
    let (line, column) = lines.line_col(node.start().to_usize());
    Err(PyError {
        kind: PyErrorKind::Unsupported,
        line,
        column,
        message: format!("{what} is not supported by the kitchen's Python"),
    })
}

/// Adds every name `stmt` binds in its scope to `binds` (without entering nested scopes), and
/// the names it declares `global` / `nonlocal`.
fn collect_bindings(
    stmt: &ast::Stmt,
    binds: &mut HashSet<String>,
    decl: &mut (HashSet<String>, HashSet<String>),
) {
    use ast::Stmt::*;
    let body = |stmts: &[ast::Stmt], binds: &mut HashSet<String>, decl: &mut _| {
        for s in stmts {
            collect_bindings(s, binds, decl);
        }
    };
    match stmt {
        FunctionDef(f) => {
            binds.insert(f.name.to_string());
        }
        AsyncFunctionDef(f) => {
            binds.insert(f.name.to_string());
        }
        ClassDef(c) => {
            binds.insert(c.name.to_string());
        }
        Assign(a) => a.targets.iter().for_each(|t| target_names(t, binds)),
        AugAssign(a) => target_names(&a.target, binds),
        AnnAssign(a) => target_names(&a.target, binds),
        For(f) => {
            target_names(&f.target, binds);
            body(&f.body, binds, decl);
            body(&f.orelse, binds, decl);
        }
        AsyncFor(f) => {
            target_names(&f.target, binds);
            body(&f.body, binds, decl);
        }
        While(w) => {
            body(&w.body, binds, decl);
            body(&w.orelse, binds, decl);
        }
        If(i) => {
            body(&i.body, binds, decl);
            body(&i.orelse, binds, decl);
        }
        With(w) => {
            for item in &w.items {
                if let Some(v) = &item.optional_vars {
                    target_names(v, binds);
                }
            }
            body(&w.body, binds, decl);
        }
        AsyncWith(w) => {
            for item in &w.items {
                if let Some(v) = &item.optional_vars {
                    target_names(v, binds);
                }
            }
            body(&w.body, binds, decl);
        }
        Try(t) => {
            body(&t.body, binds, decl);
            for h in &t.handlers {
                let ast::ExceptHandler::ExceptHandler(h) = h;
                if let Some(n) = &h.name {
                    binds.insert(n.to_string());
                }
                body(&h.body, binds, decl);
            }
            body(&t.orelse, binds, decl);
            body(&t.finalbody, binds, decl);
        }
        Import(i) => {
            for a in &i.names {
                let name = a.asname.as_ref().unwrap_or(&a.name).as_str();
                binds.insert(name.split('.').next().unwrap_or(name).to_string());
            }
        }
        ImportFrom(i) => {
            for a in &i.names {
                binds.insert(a.asname.as_ref().unwrap_or(&a.name).to_string());
            }
        }
        Delete(d) => d.targets.iter().for_each(|t| target_names(t, binds)),
        Global(g) => g.names.iter().for_each(|n| {
            decl.0.insert(n.to_string());
        }),
        Nonlocal(g) => g.names.iter().for_each(|n| {
            decl.1.insert(n.to_string());
        }),
        _ => {}
    }
}

fn target_names(target: &ast::Expr, binds: &mut HashSet<String>) {
    match target {
        ast::Expr::Name(n) => {
            binds.insert(n.id.to_string());
        }
        ast::Expr::Tuple(t) => t.elts.iter().for_each(|e| target_names(e, binds)),
        ast::Expr::List(t) => t.elts.iter().for_each(|e| target_names(e, binds)),
        ast::Expr::Starred(s) => target_names(&s.value, binds),
        _ => {}
    }
}

/// Whether a function body contains `yield` (making it a generator), not counting nested scopes.
fn contains_yield(stmts: &[ast::Stmt]) -> bool {
    struct Finder(bool);
    impl ast::Visitor for Finder {
        fn visit_expr_yield(&mut self, _: ast::ExprYield) {
            self.0 = true;
        }
        fn visit_expr_yield_from(&mut self, _: ast::ExprYieldFrom) {
            self.0 = true;
        }
        fn visit_stmt_function_def(&mut self, _: ast::StmtFunctionDef) {}
        fn visit_stmt_async_function_def(&mut self, _: ast::StmtAsyncFunctionDef) {}
        fn visit_stmt_class_def(&mut self, _: ast::StmtClassDef) {}
        fn visit_expr_lambda(&mut self, _: ast::ExprLambda) {}
        fn visit_expr_list_comp(&mut self, _: ast::ExprListComp) {}
        fn visit_expr_dict_comp(&mut self, _: ast::ExprDictComp) {}
        fn visit_expr_set_comp(&mut self, _: ast::ExprSetComp) {}
        fn visit_expr_generator_exp(&mut self, _: ast::ExprGeneratorExp) {}
    }
    let mut f = Finder(false);
    for s in stmts {
        ast::Visitor::visit_stmt(&mut f, s.clone());
    }
    f.0
}

fn bin_op(op: ast::Operator) -> Option<BinOp> {
    use ast::Operator as O;
    Some(match op {
        O::Add => BinOp::Add,
        O::Sub => BinOp::Sub,
        O::Mult => BinOp::Mul,
        O::Div => BinOp::Div,
        O::FloorDiv => BinOp::FloorDiv,
        O::Mod => BinOp::Mod,
        O::Pow => BinOp::Pow,
        O::LShift => BinOp::LShift,
        O::RShift => BinOp::RShift,
        O::BitAnd => BinOp::BitAnd,
        O::BitOr => BinOp::BitOr,
        O::BitXor => BinOp::BitXor,
        O::MatMult => return None,
    })
}

impl Compiler {
    fn unit(&mut self) -> &mut Unit {
        self.units.last_mut().expect("a unit is always open")
    }

    fn emit(&mut self, op: Op, line: u32) -> usize {
        let u = self.unit();
        u.ops.push(op);
        u.lines.push(line);
        u.ops.len() - 1
    }

    fn here(&mut self) -> usize {
        self.unit().ops.len()
    }

    /// Points the jump at `at` to `target`.
    fn patch(&mut self, at: usize, target: usize) {
        match &mut self.unit().ops[at] {
            Op::Jump(t)
            | Op::JumpIfFalse(t)
            | Op::JumpIfTrue(t)
            | Op::JumpIfFalseOrPop(t)
            | Op::JumpIfTrueOrPop(t)
            | Op::ForIter(t)
            | Op::SetupExcept(t) => *t = target,
            _ => unreachable!("patching a non-jump"),
        }
    }

    fn line_of(&self, node: &impl Ranged) -> u32 {
        self.lines.line(node.start().to_usize())
    }

    fn finish_unit(&mut self) -> Rc<Code> {
        let u = self.units.pop().expect("a unit is open");
        Rc::new(Code {
            name: u.name,
            ops: u.ops,
            lines: u.lines,
            locals: u.locals,
            kind: u.kind,
        })
    }

    fn hidden_local(&mut self, what: &str) -> NameRef {
        let u = self.unit();
        u.hidden += 1;
        let name = format!("${what}{}", u.hidden);
        if u.is_module {
            NameRef::Global(Rc::from(name.as_str()))
        } else {
            NameRef::Local(u.add_local(&name))
        }
    }

    /// Where `name` lives as seen from the current unit.
    fn resolve(&self, name: &str) -> NameRef {
        let cur = self.units.last().expect("a unit is open");
        if cur.is_module || cur.declared_global.contains(name) {
            return NameRef::Global(Rc::from(name));
        }
        if let Some(&slot) = cur.slots.get(name) {
            return NameRef::Local(slot);
        }
        // `depth` counts the enclosing functions outwards, from 1.
        for (depth, u) in (1u16..).zip(self.units.iter().rev().skip(1)) {
            if u.is_module {
                break;
            }
            if u.declared_global.contains(name) {
                break;
            }
            if let Some(&slot) = u.slots.get(name) {
                return NameRef::Outer { depth, slot };
            }
        }
        NameRef::Global(Rc::from(name))
    }

    /// Whether `name` surely means the builtin here (not rebound by the program).
    fn is_builtin(&self, name: &str) -> bool {
        matches!(self.resolve(name), NameRef::Global(_)) && !self.module_binds.contains(name)
    }

    // ----- statements ---------------------------------------------------------------------

    fn body(&mut self, stmts: &[ast::Stmt]) -> CResult {
        for s in stmts {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &ast::Stmt) -> CResult {
        use ast::Stmt::*;
        let line = self.line_of(s);
        match s {
            Expr(e) => {
                self.expr(&e.value)?;
                self.emit(Op::Pop, line);
            }
            Assign(a) => {
                self.expr(&a.value)?;
                for (i, t) in a.targets.iter().enumerate() {
                    if i + 1 < a.targets.len() {
                        self.emit(Op::Dup, line);
                    }
                    self.store(t)?;
                }
            }
            AnnAssign(a) => {
                if let Some(v) = &a.value {
                    self.expr(v)?;
                    self.store(&a.target)?;
                }
            }
            AugAssign(a) => self.aug_assign(a)?,
            If(i) => {
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
            }
            While(w) => {
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
            }
            For(f) => self.for_stmt(f)?,
            Break(_) => self.break_continue(true, line, s)?,
            Continue(_) => self.break_continue(false, line, s)?,
            Pass(_) => {}
            Return(r) => {
                if self.unit().is_module {
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
            }
            FunctionDef(f) => {
                self.decorators(&f.decorator_list)?;
                let kind = if contains_yield(&f.body) {
                    CodeKind::Generator
                } else {
                    CodeKind::Function
                };
                self.function(f.name.as_str(), &f.args, &f.body, kind, line)?;
                let target = self.resolve(f.name.as_str());
                self.emit(Op::Store(target), line);
            }
            AsyncFunctionDef(f) => {
                self.decorators(&f.decorator_list)?;
                if contains_yield(&f.body) {
                    return unsupported(&self.lines, s, "an async generator");
                }
                self.function(f.name.as_str(), &f.args, &f.body, CodeKind::Coroutine, line)?;
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
            Raise(r) => match &r.exc {
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
            },
            Assert(a) => {
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
            }
            Import(i) => {
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
            }
            ImportFrom(i) => {
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
            }
            Global(_) | Nonlocal(_) => {}
            Delete(d) => {
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
            }
            ClassDef(_) => return unsupported(&self.lines, s, "a class definition"),
            AsyncFor(_) => return unsupported(&self.lines, s, "'async for'"),
            Match(_) => return unsupported(&self.lines, s, "'match'"),
            TryStar(_) => return unsupported(&self.lines, s, "'except*'"),
            TypeAlias(_) => return unsupported(&self.lines, s, "'type' aliases"),
        }
        Ok(())
    }

    fn check_module(&self, module: &str, s: &ast::Stmt) -> CResult {
        if MODULES.contains(&module) {
            Ok(())
        } else {
            unsupported(&self.lines, s, &format!("module '{module}'"))
        }
    }

    fn decorators(&self, list: &[ast::Expr]) -> CResult {
        match list.first() {
            Some(d) => unsupported(&self.lines, d, "a decorator"),
            None => Ok(()),
        }
    }

    /// Emits what leaving `block` takes; `keep_top` when a return value sits on the stack.
    fn unwind(&mut self, block: &FBlock, keep_top: bool, line: u32) -> CResult {
        let pop_below = |c: &mut Compiler| {
            if keep_top {
                c.emit(Op::Rot2, line);
            }
            c.emit(Op::Pop, line);
        };
        match block {
            FBlock::For { .. } => pop_below(self),
            FBlock::While { .. } => {}
            FBlock::Try => {
                self.emit(Op::PopBlock, line);
            }
            FBlock::Finally(body) => {
                self.emit(Op::PopBlock, line);
                // The finally body is compiled outside its own block.
                let saved = self.unit().fblocks.clone();
                let pos = saved
                    .iter()
                    .rposition(|b| matches!(b, FBlock::Finally(f) if Rc::ptr_eq(f, body)))
                    .unwrap_or(saved.len());
                self.unit().fblocks.truncate(pos);
                self.body(body)?;
                self.unit().fblocks = saved;
            }
            FBlock::With { is_async } => {
                self.emit(Op::PopBlock, line);
                if keep_top {
                    self.emit(Op::Rot2, line);
                }
                self.emit(Op::WithExitNormal, line);
                if *is_async {
                    self.await_top(line);
                }
                self.emit(Op::Pop, line);
            }
            FBlock::Handler(_) => pop_below(self),
        }
        Ok(())
    }

    fn break_continue(&mut self, is_break: bool, line: u32, s: &ast::Stmt) -> CResult {
        let blocks = self.unit().fblocks.clone();
        let Some(loop_at) = blocks
            .iter()
            .rposition(|b| matches!(b, FBlock::For { .. } | FBlock::While { .. }))
        else {
            let what = if is_break { "'break'" } else { "'continue'" };
            return unsupported(&self.lines, s, &format!("{what} outside a loop"));
        };
        for b in blocks[loop_at + 1..].iter().rev() {
            self.unwind(b, false, line)?;
        }
        if is_break {
            if matches!(blocks[loop_at], FBlock::For { .. }) {
                self.emit(Op::Pop, line);
            }
            let j = self.emit(Op::Jump(0), line);
            match &mut self.unit().fblocks[loop_at] {
                FBlock::For { brk, .. } | FBlock::While { brk, .. } => brk.push(j),
                _ => unreachable!(),
            }
        } else {
            let cont = match &blocks[loop_at] {
                FBlock::For { cont, .. } | FBlock::While { cont, .. } => *cont,
                _ => unreachable!(),
            };
            self.emit(Op::Jump(cont), line);
        }
        Ok(())
    }

    fn aug_assign(&mut self, a: &ast::StmtAugAssign) -> CResult {
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
    fn store(&mut self, target: &ast::Expr) -> CResult {
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

    fn for_stmt(&mut self, f: &ast::StmtFor) -> CResult {
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
    fn accumulate_fast_path(&mut self, f: &ast::StmtFor) -> CResult<bool> {
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
    fn range_call<'a>(&self, e: &'a ast::Expr) -> Option<&'a [ast::Expr]> {
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

    fn try_stmt(&mut self, t: &ast::StmtTry, line: u32) -> CResult {
        if t.finalbody.is_empty() {
            return self.try_except(t, line);
        }
        let setup = self.emit(Op::SetupExcept(0), line);
        let body = Rc::new(t.finalbody.clone());
        self.unit().fblocks.push(FBlock::Finally(body));
        self.try_except(t, line)?;
        self.unit().fblocks.pop();
        self.emit(Op::PopBlock, line);
        self.body(&t.finalbody)?;
        let to_end = self.emit(Op::Jump(0), line);
        let handler = self.here();
        self.patch(setup, handler);
        // The exception is on the stack while the finally body runs, then is raised again.
        let slot = self.hidden_local("exc");
        self.emit(Op::Dup, line);
        self.emit(Op::Store(slot.clone()), line);
        self.unit().fblocks.push(FBlock::Handler(slot));
        self.body(&t.finalbody)?;
        self.unit().fblocks.pop();
        self.emit(Op::Raise, line);
        let end = self.here();
        self.patch(to_end, end);
        Ok(())
    }

    fn try_except(&mut self, t: &ast::StmtTry, line: u32) -> CResult {
        if t.handlers.is_empty() {
            self.body(&t.body)?;
            return self.body(&t.orelse);
        }
        let setup = self.emit(Op::SetupExcept(0), line);
        self.unit().fblocks.push(FBlock::Try);
        self.body(&t.body)?;
        self.unit().fblocks.pop();
        self.emit(Op::PopBlock, line);
        self.body(&t.orelse)?;
        let mut to_end = vec![self.emit(Op::Jump(0), line)];
        let handler = self.here();
        self.patch(setup, handler);
        let slot = self.hidden_local("exc");
        for h in &t.handlers {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            let hline = self.line_of(h);
            let mut next = None;
            if let Some(ty) = &h.type_ {
                self.emit(Op::Dup, hline);
                self.expr(ty)?;
                self.emit(Op::MatchExc, hline);
                next = Some(self.emit(Op::JumpIfFalse(0), hline));
            }
            self.emit(Op::Dup, hline);
            self.emit(Op::Store(slot.clone()), hline);
            if let Some(name) = &h.name {
                self.emit(Op::Dup, hline);
                let r = self.resolve(name.as_str());
                self.emit(Op::Store(r), hline);
            }
            self.unit().fblocks.push(FBlock::Handler(slot.clone()));
            self.body(&h.body)?;
            self.unit().fblocks.pop();
            self.emit(Op::Pop, hline);
            to_end.push(self.emit(Op::Jump(0), hline));
            if let Some(n) = next {
                let here = self.here();
                self.patch(n, here);
            }
        }
        // No clause matched: the exception goes on up.
        self.emit(Op::Raise, line);
        let end = self.here();
        for j in to_end {
            self.patch(j, end);
        }
        Ok(())
    }

    fn with_stmt(
        &mut self,
        items: &[ast::WithItem],
        body: &[ast::Stmt],
        is_async: bool,
        line: u32,
    ) -> CResult {
        let Some((item, rest)) = items.split_first() else {
            return self.body(body);
        };
        self.expr(&item.context_expr)?;
        self.emit(Op::WithEnter { is_async }, line);
        if is_async {
            self.await_top(line);
        }
        match &item.optional_vars {
            Some(v) => self.store(v)?,
            None => {
                self.emit(Op::Pop, line);
            }
        }
        let setup = self.emit(Op::SetupExcept(0), line);
        self.unit().fblocks.push(FBlock::With { is_async });
        self.with_stmt(rest, body, is_async, line)?;
        self.unit().fblocks.pop();
        self.emit(Op::PopBlock, line);
        self.emit(Op::WithExitNormal, line);
        if is_async {
            self.await_top(line);
        }
        self.emit(Op::Pop, line);
        let to_end = self.emit(Op::Jump(0), line);
        let handler = self.here();
        self.patch(setup, handler);
        self.emit(Op::WithExitExcept, line);
        if is_async {
            self.await_top(line);
        }
        let suppress = self.emit(Op::JumpIfTrue(0), line);
        self.emit(Op::Raise, line);
        let here = self.here();
        self.patch(suppress, here);
        self.emit(Op::Pop, line);
        let end = self.here();
        self.patch(to_end, end);
        Ok(())
    }

    fn await_top(&mut self, line: u32) {
        self.emit(Op::GetAwaitable, line);
        self.emit(Op::Const(Value::None), line);
        self.emit(Op::YieldFrom, line);
    }

    /// Compiles a function body into a template and emits `MakeFunction`.
    fn function(
        &mut self,
        name: &str,
        args: &ast::Arguments,
        body: &[ast::Stmt],
        kind: CodeKind,
        line: u32,
    ) -> CResult {
        if let Some(a) = args.posonlyargs.first() {
            return unsupported(&self.lines, &a.def, "positional-only parameters");
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
        sorted.sort();
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
        };
        self.emit(Op::MakeFunction(Rc::new(template)), line);
        Ok(())
    }

    // ----- expressions --------------------------------------------------------------------

    fn expr(&mut self, e: &ast::Expr) -> CResult {
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
            BoolOp(b) => {
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
            }
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
                    ast::UnaryOp::Not => super::ops::UnaryOp::Not,
                    ast::UnaryOp::USub => super::ops::UnaryOp::Neg,
                    ast::UnaryOp::UAdd => super::ops::UnaryOp::Pos,
                    ast::UnaryOp::Invert => super::ops::UnaryOp::Invert,
                };
                self.emit(Op::Unary(op), line);
            }
            Compare(c) => self.compare(c, line)?,
            IfExp(i) => {
                self.expr(&i.test)?;
                let to_else = self.emit(Op::JumpIfFalse(0), line);
                self.expr(&i.body)?;
                let to_end = self.emit(Op::Jump(0), line);
                let here = self.here();
                self.patch(to_else, here);
                self.expr(&i.orelse)?;
                let here = self.here();
                self.patch(to_end, here);
            }
            Lambda(l) => {
                let body = vec![ast::Stmt::Return(ast::StmtReturn {
                    range: l.range,
                    value: Some(l.body.clone()),
                })];
                let kind = if contains_yield(&body) {
                    CodeKind::Generator
                } else {
                    CodeKind::Function
                };
                self.function("<lambda>", &l.args, &body, kind, line)?;
            }
            List(l) => self.sequence(&l.elts, false, line)?,
            Tuple(t) => self.sequence(&t.elts, true, line)?,
            Dict(d) => {
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
            }
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
            Yield(y) => {
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
            }
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
            Slice(s) => {
                for part in [&s.lower, &s.upper, &s.step] {
                    match part {
                        Some(p) => self.expr(p)?,
                        None => {
                            self.emit(Op::Const(Value::None), line);
                        }
                    }
                }
                self.emit(Op::BuildSlice, line);
            }
            Starred(_) => return unsupported(&self.lines, e, "a starred expression here"),
            NamedExpr(_) => return unsupported(&self.lines, e, "the ':=' operator"),
        }
        Ok(())
    }

    fn constant(&self, c: &ast::Constant, node: &ast::Expr) -> CResult<Value> {
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

    fn formatted(&mut self, f: &ast::ExprFormattedValue, line: u32) -> CResult {
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

    fn sequence(&mut self, elts: &[ast::Expr], tuple: bool, line: u32) -> CResult {
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

    fn compare(&mut self, c: &ast::ExprCompare, line: u32) -> CResult {
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

    fn cmp_op(&mut self, op: ast::CmpOp, line: u32) {
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

    fn call(&mut self, c: &ast::ExprCall, line: u32) -> CResult {
        if self.sum_fast_path(c, line)? {
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
    fn sum_fast_path(&mut self, c: &ast::ExprCall, line: u32) -> CResult<bool> {
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

    fn comprehension(
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
            return unsupported(&self.lines, node, "an async comprehension");
        }
        // Inside `async def`, a list or dict comprehension may `await`: CPython then runs it
        // as a coroutine that the enclosing one awaits at once. Compiling every such
        // comprehension that way changes nothing for those without an `await`.
        let in_coroutine = self.unit().kind == CodeKind::Coroutine;
        let (name, kind) = match what {
            Comp::List(_) if in_coroutine => ("<listcomp>", CodeKind::Coroutine),
            Comp::Dict(..) if in_coroutine => ("<dictcomp>", CodeKind::Coroutine),
            Comp::List(_) => ("<listcomp>", CodeKind::Function),
            Comp::Dict(..) => ("<dictcomp>", CodeKind::Function),
            Comp::Gen(_) => ("<genexpr>", CodeKind::Generator),
        };
        let mut unit = Unit::new(name, kind, false);
        unit.add_local(".0");
        let mut binds = HashSet::new();
        for g in generators {
            target_names(&g.target, &mut binds);
        }
        let mut sorted: Vec<_> = binds.into_iter().collect();
        sorted.sort();
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

    fn comp_loop(
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

enum Comp<'a> {
    List(&'a ast::Expr),
    Dict(&'a ast::Expr, &'a ast::Expr),
    Gen(&'a ast::Expr),
}
