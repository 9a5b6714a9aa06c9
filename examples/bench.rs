//! Speed and size figures (`make bench`): how long each scenario takes to simulate natively,
//! how big its trace is, and how big the page's wasm is. It prints figures and asserts
//! nothing: timings on a shared 2-core machine are too noisy for pass/fail.

use std::time::Instant;

use kitchen::core::profile::Profile;
use kitchen::scenarios::SCENARIOS;

fn main() {
    println!(
        "{:<20} {:>12} {:>10} {:>12}",
        "scenario", "simulate ms", "lanes", "trace KiB"
    );
    for s in SCENARIOS {
        const RUNS: u32 = 5;
        let start = Instant::now();
        let mut trace = None;
        for _ in 0..RUNS {
            trace = Some(
                s.simulate(Profile::default())
                    .expect("built-in scenarios simulate"),
            );
        }
        let ms = start.elapsed().as_secs_f64() * 1e3 / RUNS as f64;
        let trace = trace.expect("at least one run");
        let kib = trace.to_json().len() as f64 / 1024.0;
        println!(
            "{:<20} {:>12.2} {:>10} {:>12.0}",
            s.id,
            ms,
            trace.lanes.len(),
            kib
        );
    }
    for file in ["dist/pkg/kitchen_bg.wasm", "dist/pkg/kitchen.js"] {
        match std::fs::metadata(file) {
            Ok(m) => println!("{file}: {:.0} KiB", m.len() as f64 / 1024.0),
            Err(_) => println!("{file}: not built (run `make dist`)"),
        }
    }
}
