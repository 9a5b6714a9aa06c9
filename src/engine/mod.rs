//! What the page asks of the engine, and how the engine answers.
//!
//! The page is two wasm modules (see the crate's docs): the UI, which draws, and the engine
//! (the parser, the interpreter, the simulator, the converters), which runs in a Web Worker
//! so that a long run never freezes the page and the page can draw before the engine has
//! even loaded. The two talk in plain data, which this module defines:
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
