//! `try`/`except`/`finally` and `with`, and the unwinding that `return`, `break` and
//! `continue` do on their way out of them (popping handlers, running `finally` bodies,
//! calling `__exit__`). What is open at each point is the unit's stack of [`FBlock`]s.

use std::rc::Rc;

use rustpython_parser::ast;

use super::{unsupported, CResult, Compiler, FBlock};
use crate::python::bytecode::Op;

impl Compiler {
    /// Emits what leaving `block` takes; `keep_top` when a return value sits on the stack.
    pub(super) fn unwind(&mut self, block: &FBlock, keep_top: bool, line: u32) -> CResult {
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

    pub(super) fn break_continue(&mut self, is_break: bool, line: u32, s: &ast::Stmt) -> CResult {
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

    pub(super) fn try_stmt(&mut self, t: &ast::StmtTry, line: u32) -> CResult {
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

    pub(super) fn try_except(&mut self, t: &ast::StmtTry, line: u32) -> CResult {
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
                // `MatchExc` reads the exception below the type without popping it.
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

    pub(super) fn with_stmt(
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
}
