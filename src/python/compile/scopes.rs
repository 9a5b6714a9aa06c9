//! Which names a scope binds, found before it is compiled, as CPython's symbol table does: a
//! name assigned anywhere in a function is local to it unless declared `global` or
//! `nonlocal`; `yield` anywhere in a body (not in nested scopes) makes a generator.

use std::collections::HashSet;

use rustpython_parser::ast;

/// Adds every name `stmt` binds in its scope to `binds` (without entering nested scopes), and
/// the names it declares `global` / `nonlocal`.
pub(super) fn collect_bindings(
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

pub(super) fn target_names(target: &ast::Expr, binds: &mut HashSet<String>) {
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
pub(super) fn contains_yield(stmts: &[ast::Stmt]) -> bool {
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
