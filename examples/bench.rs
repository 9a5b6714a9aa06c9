//! Speed and size figures (`make bench`): how long each scenario takes to simulate natively
//! and how big its trace is; how the cost of a run grows with its work (thousands of threads,
//! a hundred thousand asyncio tasks, processes), in time and peak memory; how fast the
//! interpreter runs plain Python; and how big the page's three wasm modules are (the site's
//! every file is listed by `tests/e2e/bench-load.mjs`). It prints figures and
//! asserts nothing: timings on a shared 2-core machine are too noisy for pass/fail.
//!
//! Each scale case runs in a child process of its own (this program, re-run with `--case`), so
//! that its peak memory (`VmHWM`) is its own, not what an earlier case left behind. Wall time
//! is what a reader waits; CPU time is printed beside it because other jobs on a shared
//! machine stretch the wall time, not the CPU time.

use std::process::Command;
use std::time::Instant;

use kitchen::core::profile::Profile;
use kitchen::python::{self, Limits};
use kitchen::scenarios::SCENARIOS;

/// The interpreter's speed test, also run in the browser by `tests/e2e/bench-page.mjs`.
const SPEED_PROGRAM: &str = include_str!("interpreter_speed.py");

/// The scale cases: (name, size). Each doubles or grows its work; its cost should follow.
const SCALE: &[(&str, u64)] = &[
    ("threads", 2_000),
    ("threads", 4_000),
    ("threads", 8_000),
    ("threads", 10_000),
    ("tasks", 25_000),
    ("tasks", 50_000),
    ("tasks", 100_000),
    ("processes", 500),
    ("processes", 1_000),
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 4 && args[1] == "--case" {
        let size = args[3].parse().expect("a size");
        return run_case(&args[2], size);
    }
    scenarios();
    scale();
    interpreter_speed();
    sizes();
}

/// The program of a scale case: `n` threads (or tasks, or processes) that each sleep 1 s.
fn scale_program(case: &str, n: u64) -> String {
    match case {
        "threads" => format!(
            "import threading, time\n\ndef nap():\n    time.sleep(1)\n\n\
             threads = [threading.Thread(target=nap) for _ in range({n})]\n\
             for t in threads:\n    t.start()\nfor t in threads:\n    t.join()\nprint('done')\n"
        ),
        "tasks" => format!(
            "import asyncio\n\nasync def nap():\n    await asyncio.sleep(1)\n\n\
             async def main():\n    await asyncio.gather(*(nap() for _ in range({n})))\n    print('done')\n\n\
             asyncio.run(main())\n"
        ),
        "processes" => format!(
            "import multiprocessing, time\n\ndef nap():\n    time.sleep(1)\n\n\
             if __name__ == '__main__':\n    ps = [multiprocessing.Process(target=nap) for _ in range({n})]\n\
             \x20   for p in ps:\n        p.start()\n    for p in ps:\n        p.join()\n    print('done')\n"
        ),
        other => panic!("no scale case {other}"),
    }
}

/// In the child: runs one scale case and prints `wall_s cpu_s peak_kib ops lanes`.
fn run_case(case: &str, n: u64) {
    let source = scale_program(case, n);
    let start = Instant::now();
    let cpu_before = cpu_seconds();
    let (trace, progress) = python::run_with(&source, case, Profile::default(), Limits::default())
        .unwrap_or_else(|e| panic!("{case} {n}: {e}"));
    let wall = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds().map(|after| after - cpu_before.unwrap_or(0.0));
    let peak = status_kib("VmHWM");
    println!(
        "{wall} {} {} {} {}",
        cpu.map_or("-".into(), |c| format!("{c}")),
        peak.map_or("-".into(), |p| p.to_string()),
        progress.ops,
        trace.lanes.len()
    );
}

fn scale() {
    println!();
    println!("scale: N threads, asyncio tasks or processes that each sleep 1 s (`kitchen run`)");
    println!(
        "{:<10} {:>8} {:>9} {:>9} {:>11} {:>8}",
        "case", "N", "wall s", "CPU s", "peak MiB", "lanes"
    );
    let exe = std::env::current_exe().expect("the bench's own path");
    for &(case, n) in SCALE {
        let out = Command::new(&exe)
            .args(["--case", case, &n.to_string()])
            .output()
            .expect("the bench runs itself");
        let text = String::from_utf8_lossy(&out.stdout);
        let f: Vec<&str> = text.split_whitespace().collect();
        if !out.status.success() || f.len() != 5 {
            println!(
                "{case:<10} {n:>8}  failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            continue;
        }
        let num = |s: &str| s.parse::<f64>().ok();
        let mib = num(f[2]).map_or("-".into(), |k| format!("{:.1}", k / 1024.0));
        let cpu = num(f[1]).map_or("-".into(), |c| format!("{c:.2}"));
        println!(
            "{case:<10} {n:>8} {:>9.2} {cpu:>9} {mib:>11} {:>8}",
            num(f[0]).unwrap_or(f64::NAN),
            f[4]
        );
    }
    println!(
        "goal: 10,000 threads or 100,000 tasks in under 0.5 s and 100 MiB; cost in step with N"
    );
}

/// Interpreted operations a second on plain Python (`examples/interpreter_speed.py`).
fn interpreter_speed() {
    const RUNS: usize = 5;
    let mut best = f64::INFINITY;
    let mut best_cpu = f64::INFINITY;
    let mut ops = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let cpu_before = cpu_seconds();
        let (_, progress) = python::run_with(
            SPEED_PROGRAM,
            "interpreter_speed.py",
            Profile::default(),
            Limits::default(),
        )
        .expect("the speed test runs");
        best = best.min(start.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (cpu_before, cpu_seconds()) {
            best_cpu = best_cpu.min(b - a);
        }
        ops = progress.ops;
    }
    println!();
    println!(
        "interpreter, native: {ops} operations in {:.0} ms (best of {RUNS}): {:.1} million operations/s \
         ({:.0} ms of CPU)",
        best * 1e3,
        ops as f64 / best / 1e6,
        best_cpu * 1e3
    );
    println!(
        "operation budget: {} operations, {:.1} s at this speed",
        python::Limits::default().max_ops,
        python::Limits::default().max_ops as f64 / (ops as f64 / best)
    );
}

fn scenarios() {
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
}

fn sizes() {
    println!();
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

/// This process's CPU time (user + system), from `/proc/self/stat`; `None` off Linux.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name (which may hold spaces) closed by ')'.
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    // /proc counts in USER_HZ, 100 a second on Linux.
    Some(ticks / 100.0)
}

/// A `Vm…` line of `/proc/self/status`, in KiB.
fn status_kib(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
