//! Speed and size figures (`make bench`): how long each scenario takes to simulate natively,
//! how big its trace is, and how big the page's three wasm modules are (the site's every file
//! is listed by `tests/e2e/bench-load.mjs`). It prints figures and asserts nothing: timings
//! on a shared 2-core machine are too noisy for pass/fail.

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
    // dist/sizes.txt: file, bytes, gzipped bytes (scripts/build-site.sh writes it).
    let Ok(sizes) = std::fs::read_to_string("dist/sizes.txt") else {
        println!("dist/sizes.txt: not built (run `make dist`)");
        return;
    };
    for line in sizes.lines().filter(|l| l.contains("_bg.wasm")) {
        let parts: Vec<&str> = line.split('\t').collect();
        if let [file, raw, gz] = parts[..] {
            let kib = |s: &str| s.parse::<f64>().unwrap_or(0.0) / 1024.0;
            println!(
                "dist/{file}: {:.0} KiB ({:.0} KiB gzipped)",
                kib(raw),
                kib(gz)
            );
        }
    }
}
