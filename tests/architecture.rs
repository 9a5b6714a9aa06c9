//! The standards that keep the source readable, checked on the source itself (see the
//! developers' guide): no module of `src/python` imports one that imports it back, directly or
//! through others; no source file in `src/` is over 800 lines; no function is over 150 lines.
//!
//! An import is any path a file names: a `use` declaration or a path in the code
//! (`super::ops::repr(..)`, `crate::python::value::Value`, a child module's `arith::binary`).
//! It is an edge from the file to the module the path ends in (the longest prefix that is a
//! module). Declaring a child (`mod vm;`) is containment, not an import. So a parent may use
//! its children or its children may use it, never both; `mod.rs` files that re-export their
//! children (`pub use ...`) are importing them.
//!
//! The parsing is deliberately small: comments, strings and char literals are blanked out,
//! then the code is split into identifiers and punctuation. It is enough for this crate's
//! code, and a mistake shows up as a cycle that is not there, never hides one that is.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 800;
const MAX_FUNCTION_LINES: usize = 150;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The code with comments, string literals and char literals replaced by spaces (newlines
/// kept, so line numbers stay right).
fn blank_out(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r' && (next == Some('#') || next == Some('"')) && !ident_before(&chars, i) {
            // A raw string: r"..." or r#"..."#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (0..hashes).all(|h| chars.get(j + 1 + h) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            for &ch in &chars[i..j.min(chars.len())] {
                out.push(blank(ch));
            }
            i = j;
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\'', '\u{1F600}'), or else a lifetime ('a).
            let end = if next == Some('\\') {
                (i + 2..chars.len().min(i + 12)).find(|&j| chars[j] == '\'')
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(end) => {
                    for _ in i..=end {
                        out.push(' ');
                    }
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident_before(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

/// Identifiers and single punctuation characters; `::` is one token.
fn tokens(code: &str) -> Vec<String> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push("::".into());
            i += 2;
        } else {
            if !c.is_whitespace() {
                out.push(c.to_string());
            }
            i += 1;
        }
    }
    out
}

/// The module path of a file under `src/`: `src/python/ops/mod.rs` is `python::ops`.
fn module_of(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src()).expect("a file under src/");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().expect("a file name");
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" && stem != "main" {
        parts.push(stem.to_string());
    }
    parts
}

/// Expands a `use` tree (`a::{b, c::{d, self}}`) into full paths.
fn expand_use(tokens: &[String], prefix: &[String], out: &mut Vec<Vec<String>>) {
    // Split the top level at commas.
    let mut items: Vec<&[String]> = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, t) in tokens.iter().enumerate() {
        match t.as_str() {
            "{" => depth += 1,
            "}" => depth -= 1,
            "," if depth == 0 => {
                items.push(&tokens[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&tokens[start..]);
    for item in items {
        let mut path = prefix.to_vec();
        let mut i = 0;
        while i < item.len() {
            match item[i].as_str() {
                "::" => {}
                "{" => {
                    let inner = &item[i + 1..item.len() - 1];
                    expand_use(inner, &path, out);
                    path.clear();
                    break;
                }
                "as" => break,
                "*" => break,
                "self" if !path.is_empty() => {}
                seg => path.push(seg.to_string()),
            }
            i += 1;
        }
        if !path.is_empty() {
            out.push(path);
        }
    }
}

/// The module `path` (as written in module `here`) refers to: the longest prefix that is a
/// known module, or `None` when the path leads outside the known modules.
fn resolve(
    here: &[String],
    path: &[String],
    modules: &BTreeSet<Vec<String>>,
) -> Option<Vec<String>> {
    let mut base: Vec<String> = here.to_vec();
    let mut rest = path;
    match path.first().map(String::as_str) {
        Some("crate") => {
            base.clear();
            rest = &path[1..];
        }
        Some("self") => rest = &path[1..],
        Some("super") => {
            while rest.first().map(String::as_str) == Some("super") {
                base.pop()?;
                rest = &rest[1..];
            }
        }
        Some(first) => {
            let mut child = here.to_vec();
            child.push(first.to_string());
            if !modules.contains(&child) {
                return None;
            }
        }
        None => return None,
    }
    let mut found = base.clone();
    for seg in rest {
        base.push(seg.clone());
        if modules.contains(&base) {
            found = base.clone();
        } else {
            break;
        }
    }
    modules.contains(&found).then_some(found)
}

fn is_ident(t: &str) -> bool {
    t.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// Every module each file of `files` imports.
fn imports(files: &[PathBuf]) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_of(f)).collect();
    let mut graph = BTreeMap::new();
    for f in files {
        let here = module_of(f);
        let text = fs::read_to_string(f).expect("a readable source file");
        let toks = tokens(&blank_out(&text));
        let mut targets = BTreeSet::new();
        // Inline modules (`mod tests { .. }`) change what `super` and `self` mean.
        let mut inline: Vec<(String, i32)> = Vec::new();
        let mut depth = 0;
        let mut i = 0;
        while i < toks.len() {
            let scope: Vec<String> = here
                .iter()
                .cloned()
                .chain(inline.iter().map(|(m, _)| m.clone()))
                .collect();
            let mut paths: Vec<Vec<String>> = Vec::new();
            match toks[i].as_str() {
                "{" => depth += 1,
                "}" => {
                    depth -= 1;
                    if inline.last().is_some_and(|(_, d)| *d == depth) {
                        inline.pop();
                    }
                }
                "mod" if toks.get(i + 2).map(String::as_str) == Some("{") => {
                    inline.push((toks[i + 1].clone(), depth));
                    depth += 1;
                    i += 3;
                    continue;
                }
                "use" => {
                    let end = (i..toks.len())
                        .find(|&j| toks[j] == ";")
                        .unwrap_or(toks.len());
                    expand_use(&toks[i + 1..end], &[], &mut paths);
                    i = end;
                }
                t if is_ident(t) && toks.get(i + 1).map(String::as_str) == Some("::") => {
                    let mut path = vec![toks[i].clone()];
                    let mut j = i + 1;
                    while toks.get(j).map(String::as_str) == Some("::")
                        && toks.get(j + 1).is_some_and(|t| is_ident(t))
                    {
                        path.push(toks[j + 1].clone());
                        j += 2;
                    }
                    paths.push(path);
                    i = j - 1;
                }
                _ => {}
            }
            for p in &paths {
                if let Some(t) = resolve(&scope, p, &modules) {
                    if t != here {
                        targets.insert(t);
                    }
                }
            }
            i += 1;
        }
        graph.insert(here, targets);
    }
    graph
}

/// A cycle through `start`, if there is one.
fn cycle_from(
    graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
    start: &Vec<String>,
) -> Option<Vec<Vec<String>>> {
    let mut stack = vec![(start.clone(), vec![start.clone()])];
    let mut seen = BTreeSet::new();
    while let Some((node, path)) = stack.pop() {
        for next in graph.get(&node).into_iter().flatten() {
            if next == start {
                let mut cycle = path.clone();
                cycle.push(start.clone());
                return Some(cycle);
            }
            if seen.insert(next.clone()) {
                let mut p = path.clone();
                p.push(next.clone());
                stack.push((next.clone(), p));
            }
        }
    }
    None
}

#[test]
fn no_module_of_the_interpreter_imports_one_that_imports_it_back() {
    let mut files = Vec::new();
    rust_files(&src().join("python"), &mut files);
    let graph = imports(&files);
    let cycles: Vec<String> = graph
        .keys()
        .filter_map(|m| cycle_from(&graph, m))
        .map(|c| {
            c.iter()
                .map(|m| m.join("::"))
                .collect::<Vec<_>>()
                .join(" → ")
        })
        .collect();
    assert!(cycles.is_empty(), "import circles:\n{}", cycles.join("\n"));
}

#[test]
fn the_import_reader_sees_the_paths_this_crate_writes() {
    let modules: BTreeSet<Vec<String>> = [
        "python",
        "python::ops",
        "python::ops::repr",
        "python::value",
    ]
    .iter()
    .map(|m| m.split("::").map(String::from).collect())
    .collect();
    let m = |s: &str| -> Vec<String> { s.split("::").map(String::from).collect() };
    let toks = tokens(&blank_out(
        "super::{value::Value, ops::{self, repr}} // ops::x",
    ));
    let mut paths = Vec::new();
    expand_use(&toks, &[], &mut paths);
    let got: Vec<_> = paths
        .iter()
        .filter_map(|p| resolve(&m("python::ops"), p, &modules))
        .collect();
    assert_eq!(
        got,
        vec![m("python::value"), m("python::ops"), m("python::ops::repr")]
    );
    assert_eq!(
        resolve(&m("python::ops"), &m("repr::float_repr"), &modules),
        Some(m("python::ops::repr"))
    );
    assert_eq!(resolve(&m("python"), &m("ast::Stmt"), &modules), None);
    let text = "let s = \"super::x\"; let c = '\"'; // super::y\nz /* super::w */";
    let blanked = blank_out(text);
    assert_eq!(blanked.len(), text.len());
    assert!(
        !blanked.contains("super") && !blanked.contains('"'),
        "{blanked}"
    );
    assert!(blanked.starts_with("let s =") && blanked.contains("\nz "));
}

#[test]
fn no_source_file_is_over_800_lines() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let long: Vec<String> = files
        .iter()
        .map(|f| (f, fs::read_to_string(f).expect("readable").lines().count()))
        .filter(|(_, n)| *n > MAX_FILE_LINES)
        .map(|(f, n)| format!("{}: {n} lines", f.display()))
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_FILE_LINES} lines:\n{}",
        long.join("\n")
    );
}

/// Each function in `text` (a `fn` item with a body) with its first line and length in lines.
fn functions(text: &str) -> Vec<(String, usize, usize)> {
    let code = blank_out(text);
    let lines: Vec<&str> = code.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let toks = tokens(line);
        let Some(at) = toks.iter().position(|t| t == "fn") else {
            continue;
        };
        // `fn name`: an item (a `fn(..)` pointer type has no name).
        let Some(name) = toks
            .get(at + 1)
            .filter(|t| t.chars().all(|c| c.is_alphanumeric() || c == '_'))
        else {
            continue;
        };
        let mut depth = 0i32;
        let mut opened = false;
        for (j, l) in lines.iter().enumerate().skip(i) {
            for c in l.chars() {
                match c {
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            if !opened && l.trim_end().ends_with(';') {
                break;
            }
            if opened && depth <= 0 {
                out.push((name.clone(), i + 1, j - i + 1));
                break;
            }
        }
    }
    out
}

#[test]
fn no_function_is_over_150_lines() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut long = Vec::new();
    for f in &files {
        let text = fs::read_to_string(f).expect("readable");
        for (name, line, n) in functions(&text) {
            if n > MAX_FUNCTION_LINES {
                long.push(format!("{}:{line}: {name} is {n} lines", f.display()));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FUNCTION_LINES} lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_function_reader_measures_what_it_sees() {
    let text = "fn a() {\n    let x = '{';\n}\npub(crate) fn b(\n    y: u8,\n) -> u8 {\n    y\n}\nfn c();\n";
    assert_eq!(
        functions(text),
        vec![("a".to_string(), 1, 3), ("b".to_string(), 4, 5)]
    );
}
