//! The kitchen's stand-in for `unicode_names2` (wired in by `[patch.crates-io]` in the
//! crate's Cargo.toml).
//!
//! `rustpython-parser` calls [`character`] for one thing only: a `\N{NAME}` escape in a
//! string literal. The real crate carries the names of every Unicode character, about
//! 1 MB of tables that made up half of the engine's wasm download (measured with twiggy
//! and gzip, see README.md's "The page's size"), for an escape that teaching programs about
//! concurrency do not use. So the kitchen knows no character names: `\N{...}` is a syntax
//! error at its string (on the page and on the command line alike), and everything else
//! parses as before. `\u`, `\U` and `\x` escapes are unaffected.

/// The character named `name`: none is known here.
pub fn character(name: &str) -> Option<char> {
    let _ = name;
    None
}
