//! Concurrency Kitchen: see how Python runs concurrent code.
//!
//! Python's three concurrency models as a restaurant kitchen: asyncio (one chef with an event
//! loop), threading (many chefs sharing one stove, the GIL) and multiprocessing (many kitchens).
//!
//! The crate is layered so that each part can be understood and tested on its own:
//! - [`core`]: a pure, deterministic simulation of CPython's scheduling that turns a program
//!   into a [`core::trace::Trace`]. No web dependencies; tested natively.
//! - [`python`]: a Python interpreter whose threads, processes and asyncio tasks the core
//!   schedules, so a program's run is a trace too; [`scenarios`] are the built-in programs.
//! - [`lessons`]: the course, pure: the lessons' order, what each says about its run (numbers
//!   measured from the trace), its predict questions and the decision guide.
//! - [`compare`]: one workload cooked in each kitchen, the table and the chart's series.
//! - [`live`]: the same programs on a real clock: a sans-IO driver of the interpreter that
//!   hands the real work (CPU turns, sleeps, thread and process starts) to an executor.
//! - [`page`]: the page's pure models (the player, the code panel, and what else the page
//!   decides from a trace), tested natively.
//! - [`trace_io`]: traces in and out of other tools (Chrome's trace format, VizTracer), pure.
//! - `web` (wasm32 only): the Yew page, which draws traces and never schedules anything itself,
//!   and the Web Worker runner, which times the real CPU work in the browser.
//! - `native` (not wasm32): the executor of [`live`] runs that cooks on real OS threads and
//!   processes (`kitchen measure`), and the observer of real CPython runs.
//! - `calibrate` (not wasm32): measures this machine's CPython into a [`core::profile::Profile`].
//! - [`engine`]: what the page asks of the engine and the engine's answers, as plain data,
//!   and the engine's side that answers them (the engine worker calls it).
//!
//! Cargo features say what a build holds (see Cargo.toml): `ui` (the page: `web`'s drawing,
//! [`page`], the trace types and the scenario catalog), `engine` (the parser, interpreter,
//! simulator, live driver and converters) and `chef` (the real CPU step, for the live run's
//! workers). The site is two wasm modules: `ui` and `engine` together, which the page runs
//! and its engine Web Worker runs too (the code both need is downloaded once), and `chef`.
//! The default, natively and in the wasm tests, is everything, with `page-engine` (the
//! engine answers in the page's thread). Without `engine` the crate has no interpreter:
//! [`python`] is then only its error type, which the page shows.

pub mod compare;
pub mod core;
pub mod engine;
pub mod lessons;
pub mod page;
pub mod scenarios;

#[cfg(feature = "engine")]
pub mod live;
#[cfg(feature = "engine")]
pub mod python;
#[cfg(feature = "engine")]
pub mod trace_io;

/// The interpreter's error type alone, for a build without the engine (the `ui` feature alone):
/// the code panel shows a program's error, which the engine worker sends it.
#[cfg(not(feature = "engine"))]
pub mod python {
    #[path = "error.rs"]
    pub mod error;
    pub use error::{PyError, PyErrorKind};
}

#[cfg(all(not(target_arch = "wasm32"), feature = "engine"))]
pub mod calibrate;
#[cfg(all(not(target_arch = "wasm32"), feature = "engine"))]
pub mod native;
#[cfg(target_arch = "wasm32")]
pub mod web;
