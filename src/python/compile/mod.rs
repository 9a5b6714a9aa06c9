//! From Python source to bytecode: parsing with `rustpython-parser`, then one pass over its
//! syntax tree.
//!
//! Names are resolved here, as CPython's symbol table does: a name assigned anywhere in a
//! function is local to it (unless declared `global` or `nonlocal`), a name an enclosing
//! function binds is read through its environment (a closure), anything else is a global or a
//! builtin. Whatever the interpreter does not support is refused here, with its line and
//! column, rather than failing halfway through a run.
//!
//! One `Compiler` walks the tree; its methods are grouped by what they compile:
//! - this file: the compiler's state (a stack of code units being built), emitting and
//!   patching instructions, and where a name lives;
//! - `scopes`: which names a scope binds (found before the scope is compiled);
//! - `statements`: simple statements, assignments, `if`, loops, imports;
//! - `blocks`: `try`, `with`, and what `return`, `break` and `continue` unwind on the way out;
//! - `expressions`: expressions, calls, f-strings, `await`;
//! - `functions`: `def`, `lambda` and comprehensions, each compiled into code of its own;
//! - `classes`: `class` statements (a body compiled like a function whose variables become
//!   the class's attributes), decorators, and the zero-argument `super()`.
//!
//! The children extend `Compiler` and import from this file; this file imports only
//! `scopes`, so the imports go one way.

mod blocks;
mod classes;
mod expressions;
mod functions;
mod scopes;
mod statements;

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use rustpython_parser::ast::{self, Ranged};
use rustpython_parser::Parse;

use super::bytecode::{Code, CodeKind, NameRef, Op};
use super::error::{PyError, PyErrorKind};
use super::ops::BinOp;
use super::value::Value;
use scopes::collect_bindings;

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
    "functools",
    "dataclasses",
    "sys",
    "os",
    "itertools",
    "logging",
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
    /// The source between two byte offsets.
    pub fn text(&self, start: usize, end: usize) -> &str {
        self.source.get(start..end).unwrap_or("")
    }
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let line = self.line(offset);
        let start = self.starts[(line - 1) as usize];
        let end = offset.min(self.source.len());
        let col = self.source.get(start..end).map_or(0, |s| s.chars().count());
        (line, col as u32 + 1)
    }
}

/// What the page and the CLI say about a parse error.
fn syntax_message(error: &rustpython_parser::ParseErrorType) -> String {
    use rustpython_parser::{lexer::LexicalErrorType, ParseErrorType};
    match error {
        // A malformed `\u`/`\U` escape, or any `\N{...}`: the kitchen leaves out the table
        // of character names (crates/no-unicode-names).
        ParseErrorType::Lexical(LexicalErrorType::UnicodeError) => {
            "invalid syntax: a malformed \\u or \\U escape, or a \\N{...} escape (the kitchen knows no Unicode character names: write \\uXXXX)".into()
        }
        other => format!("invalid syntax: {other}"),
    }
}

/// Compiles a whole program (module code).
pub fn compile_module(source: &str, name: &str) -> Result<Rc<Code>, PyError> {
    let lines = Lines::new(source);
    let suite = ast::Suite::parse(source, name).map_err(|e| {
        let (line, column) = lines.line_col(e.offset.to_usize());
        PyError::new(PyErrorKind::Syntax, line, column, syntax_message(&e.error))
    })?;
    let mut module_binds = HashSet::new();
    let mut ignore = (HashSet::new(), HashSet::new());
    for stmt in &suite {
        collect_bindings(stmt, &mut module_binds, &mut ignore);
    }
    let mut c = Compiler {
        lines,
        units: vec![Unit::new("<module>", CodeKind::Module, true)],
        at: 0,
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
    /// A class body: its variables are the class's attributes, and the functions inside it
    /// do not see them (names skip a class's scope, as in CPython).
    is_class: bool,
    ops: Vec<Op>,
    lines: Vec<u32>,
    /// Source offset of the expression or statement each op belongs to.
    offsets: Vec<u32>,
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
            is_class: false,
            ops: Vec::new(),
            lines: Vec::new(),
            offsets: Vec::new(),
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
    /// Where in the source the node being compiled starts (for the columns of errors).
    at: usize,
    /// Names the module binds at top level (to know when `sum` or `range` is shadowed).
    module_binds: HashSet<String>,
}

impl Compiler {
    /// A compile error at source offset `at` (a constant that cannot be built, say).
    fn error_at(&self, at: usize, message: &str) -> PyError {
        let (line, column) = self.lines.line_col(at);
        PyError::new(PyErrorKind::Syntax, line, column, message)
    }
}

/// CPython's own `SyntaxError` for valid-looking code in the wrong place (`'return'
/// outside function`, `'await' outside async function`).
fn syntax_error<T>(lines: &Lines, node: &impl Ranged, message: &str) -> CResult<T> {
    let (line, column) = lines.line_col(node.start().to_usize());
    Err(PyError::new(PyErrorKind::Syntax, line, column, message))
}

/// Valid Python the kitchen does not run, named: `'match' statements are not supported by
/// the kitchen`.
fn unsupported<T>(lines: &Lines, node: &impl Ranged, what: &str) -> CResult<T> {
    let (line, column) = lines.line_col(node.start().to_usize());
    // "'match' statements are ...", "the module 'socket' is ...".
    let head = what.split(" (").next().unwrap_or(what);
    let plural = head.ends_with('s') && !head.ends_with("'s");
    let verb = if plural { "are" } else { "is" };
    Err(PyError::new(
        PyErrorKind::Unsupported,
        line,
        column,
        format!("{what} {verb} not supported by the kitchen"),
    ))
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
        let at = self.at as u32;
        let u = self.unit();
        u.ops.push(op);
        u.lines.push(line);
        u.offsets.push(at);
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
        let columns = u
            .offsets
            .iter()
            .map(|&o| self.lines.line_col(o as usize).1)
            .collect();
        let qualname = Rc::from(self.qualname_of(&u.name).as_str());
        Rc::new(Code {
            qualname,
            name: u.name,
            ops: u.ops,
            lines: u.lines,
            columns,
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
            if u.is_class {
                // A class's variables are not visible in the functions inside it (but its
                // environment is still one of theirs, so it counts).
                continue;
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
}
