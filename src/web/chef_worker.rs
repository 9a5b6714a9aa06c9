//! What a chef worker of the live kitchen (`www/chef-worker.js`) calls: the real CPU step,
//! `sum(i * i for i in range(from, to))`, in wasm ([`crate::core::workload`], the same code
//! the native chefs run). A chef cooks a step in slices, between which a chef of a GIL run
//! checks whether it must pass the GIL on.

use wasm_bindgen::prelude::*;

/// `sum(i * i for i in range(from, to))`; the low 48 bits of the sum, so that the work is
/// used (and exact in a JavaScript number). Bounds are whole numbers below 2^53.
#[wasm_bindgen]
pub fn chef_cook(from: f64, to: f64) -> f64 {
    let sum = crate::core::workload::sum_of_squares_between(from as u64, to as u64);
    (sum & ((1u128 << 48) - 1)) as f64
}
