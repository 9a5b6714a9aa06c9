//! The comparison's requests of the engine: one kitchen cooked for the table and the timelines,
//! or one point of the chart. They go through [`super::engine`], the door every engine request
//! goes through, as two requests of its protocol (`Request::Cook`, `Request::Total`),
//! answered in the engine worker by [`crate::compare`]'s `cook` (the site) or in the page's
//! own thread (a build with the engine linked in). Each request is one kitchen, so the page
//! paints between them and a newer workload can overtake an older one's remaining kitchens.
//!
//! UI code asks here, never the engine's `compare::cook` itself.

use crate::compare::{Cooked, Kitchen, Workload};

/// Stretches shorter than this share of a run are pooled before the trace comes back: the
/// comparison draws whole runs, about a thousand pixels wide.
pub const RESOLUTION: u32 = 3000;

/// `kitchen` cooking `w`: its figures and its trace thinned for drawing.
pub async fn cook_kitchen(kitchen: Kitchen, w: Workload) -> Result<Cooked, String> {
    super::engine::cook_kitchen(kitchen, w, RESOLUTION).await
}

/// `kitchen`'s total time for `w`, in seconds (a point of the chart).
pub async fn total(kitchen: Kitchen, w: Workload) -> Result<f64, String> {
    super::engine::total(kitchen, w).await
}
