//! Build script: the prelude's Python (`src/python/runtime/prelude/*.py`) as the interpreter
//! embeds it, with its comment lines emptied.
//!
//! The prelude is 80 KB of Python in the page's download, and about a tenth of it, gzipped,
//! is comments written for whoever reads the library. Each comment line becomes an empty
//! line, so every line number (in tracebacks, in the code a lane is on) stays what the file
//! in the source tree says. Only whole-line comments go: the prelude has no multi-line
//! strings, so a line that starts with `#` is always a comment.

use std::fs;
use std::path::Path;

fn main() {
    let from = Path::new("src/python/runtime/prelude");
    println!("cargo:rerun-if-changed={}", from.display());
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("prelude");
    fs::create_dir_all(&out).expect("OUT_DIR is writable");
    for entry in fs::read_dir(from).expect("the prelude's directory is there") {
        let path = entry.expect("the prelude's directory can be read").path();
        if path.extension().is_some_and(|e| e == "py") {
            let source = fs::read_to_string(&path).expect("a prelude file is UTF-8 text");
            let name = path.file_name().expect("a file has a name");
            fs::write(out.join(name), without_comment_lines(&source)).expect("OUT_DIR is writable");
        }
    }
}

fn without_comment_lines(source: &str) -> String {
    source
        .split_inclusive('\n')
        .map(|line| {
            if line.trim_start().starts_with('#') {
                if line.ends_with('\n') {
                    "\n"
                } else {
                    ""
                }
            } else {
                line
            }
        })
        .collect()
}
