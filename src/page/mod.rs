//! The page's pure models: everything the page decides that can be decided without a browser.
//! Each takes a [`crate::core::trace::Trace`] (through a [`replay::Replay`], the trace with
//! indices built once) and the player's cursor, and answers what to show; `crate::web` only
//! draws the answers. Keeping them here, without web types, lets them be tested natively with
//! `cargo test`, as yew's game of life keeps `Conway` apart from its view.
//!
//! - [`playback`]: the player (time cursor, speed);
//! - [`palette`]: state colours and patterns, with the contrast arithmetic that checks them;
//! - [`code_view`]: what the code panel shows (the lines each lane is on, errors, links).

pub mod code_view;
pub mod palette;
pub mod playback;
