//! The page's pure models: everything the page decides that can be decided without a browser.
//! Each takes a [`crate::core::trace::Trace`] (through a [`replay::Replay`], the trace with
//! indices built once) and the player's cursor, and answers what to show; `crate::web` only
//! draws the answers. Keeping them here, without web types, lets them be tested natively with
//! `cargo test`, as yew's game of life keeps `Conway` apart from its view.
//!
//! - [`replay`]: a trace ready for replaying (its processes, loops, kitchen kind, moments);
//! - [`playback`]: the player (time cursor, real-time speed);
//! - [`steps`]: the moments at which what is shown changes (what ←/→ step to);
//! - [`scene`]: the kitchen at one moment (chefs, stoves, pots, queues, cores, memory);
//! - [`narration`]: one plain sentence per moment, and the whole run as a text log;
//! - [`timeline`]: the timeline's layout (rows, bars, zoom, pan, folded sleeps);
//! - [`keys`]: what each key does;
//! - [`describe`]: what hovering or focusing a stretch of the timeline says;
//! - [`waits`]: what a waiting chef waits for and who will wake it;
//! - [`palette`]: state colours and patterns, with the contrast arithmetic that checks them;
//! - [`code_view`]: what the code panel shows (the lines each lane is on, errors, links);
//! - [`views`]: which view the address asks for (a lesson, the comparison, the guide) and
//!   what presenter mode and embedding show of it;
//! - [`course`]: the course in the picker, next and previous;
//! - [`quiz`]: predict, then run: the questions before a lesson plays;
//! - [`compare_page`] and [`compare_chart`]: the comparison's sliders, table, shared axis and
//!   chart;
//! - [`guide_page`]: the decision guide's numbered questions and lesson links;
//! - [`embed`]: the `<iframe>` snippet of the current view and the height message;
//! - [`thin`]: a trace thinned for an overview (the comparison's four runs).

pub mod code_view;
pub mod compare_chart;
pub mod compare_page;
pub mod course;
pub mod describe;
pub mod embed;
pub mod guide_page;
pub mod keys;
pub mod narration;
pub mod palette;
pub mod playback;
pub mod quiz;
pub mod replay;
pub mod scene;
pub mod steps;
pub mod thin;
pub mod timeline;
pub mod views;
pub mod waits;
