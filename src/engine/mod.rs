//! What the page asks of the engine, and how the engine answers.
//!
//! The page draws; the engine (the parser, the interpreter, the simulator, the converters)
//! runs in a Web Worker, from the same wasm module (see the crate's docs), so that a long run
//! never freezes the page. The two talk in plain data, which this module defines:
//! - [`protocol`]: the [`Request`]s the page's engine door (`web::engine`) sends and the
//!   [`Reply`]s it gets back, as JSON text over `postMessage`;
//! - [`serve`] (with the `engine` feature): the engine's side, a pure function from a
//!   request to its reply, which the engine worker calls and native tests call alike.
//!
//! The live kitchen (`#live-run`) has its own plain-data conversation, in [`crate::live`]'s
//! browser executor: it is not one request and one reply but a run on a real clock.

pub mod protocol;
#[cfg(feature = "engine")]
pub mod serve;

pub use protocol::{Reply, Request};
