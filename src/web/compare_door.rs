//! The comparison's requests of the engine: one kitchen cooked for the table and the timelines,
//! or one point of the chart. Like [`super::engine`], the door every other engine request goes
//! through, these are async calls whose callers do not know where the engine runs.
//!
//! Today they run the engine in the page's own thread, after the browser's next paint (so the
//! progress line is on screen while a kitchen cooks). When the engine moves into its Web
//! Worker they become two requests of its protocol answered by the same pure functions,
//! [`crate::compare::cook::cook_for_page`] and the kitchen's total from
//! [`crate::compare::cook::cook`], with [`Cooked`] (plain data) as the reply. Each request is
//! one kitchen, so the page paints between them and a newer workload can overtake an older
//! one's remaining kitchens.
//!
//! UI code asks here, never `crate::compare::cook` itself.

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::compare::{cook, Cooked, Kitchen, Workload};
use crate::core::profile::Profile;

/// Stretches shorter than this share of a run are pooled before the trace comes back: the
/// comparison draws whole runs, about a thousand pixels wide.
pub const RESOLUTION: u32 = 3000;

/// `kitchen` cooking `w`: its figures and its trace thinned for drawing.
pub async fn cook_kitchen(kitchen: Kitchen, w: Workload) -> Result<Cooked, String> {
    next_paint().await;
    cook::cook_for_page(kitchen, &w, &Profile::default(), RESOLUTION).map_err(|e| e.to_string())
}

/// `kitchen`'s total time for `w`, in seconds (a point of the chart).
pub async fn total(kitchen: Kitchen, w: Workload) -> Result<f64, String> {
    next_paint().await;
    cook::cook(kitchen, &w, &Profile::default())
        .map(|t| t.makespan_s)
        .map_err(|e| e.to_string())
}

/// Resolves after the browser's next paint.
async fn next_paint() {
    let promise = Promise::new(&mut |resolve, _reject| {
        super::engine::after_repaint(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
    });
    let _ = JsFuture::from(promise).await;
}
