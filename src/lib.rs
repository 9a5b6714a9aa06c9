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

pub mod compare;
pub mod core;
pub mod lessons;
pub mod live;
pub mod page;
pub mod python;
pub mod scenarios;
pub mod trace_io;

#[cfg(not(target_arch = "wasm32"))]
pub mod calibrate;
#[cfg(not(target_arch = "wasm32"))]
pub mod native;
#[cfg(target_arch = "wasm32")]
pub mod web;
