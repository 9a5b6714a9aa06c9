//! The animation-frame loop that drives playback: a callback once per frame the browser paints,
//! with the frame's timestamp, until the loop is dropped. Frames, not a fixed timer, so the
//! scene moves exactly as often as the screen can show it, and not at all in a hidden tab.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

type FrameFn = Closure<dyn FnMut(f64)>;

/// A running frame loop; dropping it stops the loop after the frame in flight.
pub struct FrameLoop {
    alive: Rc<RefCell<bool>>,
}

impl FrameLoop {
    /// Calls `on_frame(timestamp_ms)` every animation frame.
    pub fn start(mut on_frame: impl FnMut(f64) + 'static) -> FrameLoop {
        let alive = Rc::new(RefCell::new(true));
        let slot: Rc<RefCell<Option<FrameFn>>> = Rc::new(RefCell::new(None));
        let again = slot.clone();
        let still = alive.clone();
        *slot.borrow_mut() = Some(Closure::new(move |t: f64| {
            if !*still.borrow() {
                // Break the cycle so the closure can be freed.
                again.borrow_mut().take();
                return;
            }
            on_frame(t);
            if let Some(f) = again.borrow().as_ref() {
                request(f);
            }
        }));
        if let Some(f) = slot.borrow().as_ref() {
            request(f);
        }
        FrameLoop { alive }
    }
}

impl Drop for FrameLoop {
    fn drop(&mut self) {
        *self.alive.borrow_mut() = false;
    }
}

fn request(f: &FrameFn) {
    if let Some(w) = web_sys::window() {
        let _ = w.request_animation_frame(f.as_ref().unchecked_ref());
    }
}
