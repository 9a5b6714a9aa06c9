//! The seven pasta-kitchen scenarios, pinned down with numbers.
//!
//! Each test first states what real CPython did. The figures come from the scaled-down kitchen
//! in `tests/cpython/pasta.py` (boil `b` = 0.5 s, CPU step `sum(i * i for i in range(10**6))`,
//! thousand-pot runs with `b` = 1.0 s), run with CPython 3.11.7 on a 2-core Linux machine:
//!
//! ```text
//! python3 tests/cpython/pasta.py MODE --boil 0.5 --n 1000000
//! python3 tests/cpython/pasta.py thousand-MODE --boil 1.0
//! ```
//!
//! The simulation of the same sizes on a 2-core profile, whose CPU step costs what that run's
//! CPU step cost, must land within 15 % of those times and in the same order. The tests at the
//! end check the full-size scenarios against the formulas of the walking-skeleton issue.

use kitchen::core::profile::Profile;
use kitchen::core::trace::{LaneKind, State, Trace};
use kitchen::scenarios::{self, Size, SCENARIOS};

/// Loop turns of one scaled-down CPU step.
const N: u64 = 1_000_000;

/// A 2-core machine on which one CPU step of `N` turns takes `step_s`.
fn two_cores(step_s: f64) -> Profile {
    Profile {
        cores: 2,
        loop_iteration_s: step_s / N as f64,
        ..Profile::default()
    }
}

fn run(id: &str, profile: Profile, size: &Size) -> Trace {
    scenarios::find(id)
        .unwrap()
        .simulate_sized(profile, size)
        .unwrap()
}

fn small(boil_s: f64) -> Size {
    Size {
        boil_s,
        cpu_iterations: N,
        ..Size::default()
    }
}

/// Time of the first printed line with exactly this text.
fn printed_at(trace: &Trace, text: &str) -> f64 {
    trace
        .prints
        .iter()
        .find(|p| p.text == text)
        .unwrap_or_else(|| panic!("nothing printed '{text}'"))
        .t_s
}

fn texts(trace: &Trace) -> Vec<&str> {
    trace.prints.iter().map(|p| p.text.as_str()).collect()
}

#[track_caller]
fn assert_close(what: &str, simulated: f64, cpython: f64, tolerance: f64) {
    let off = (simulated - cpython).abs() / cpython;
    assert!(
        off <= tolerance,
        "{what}: simulated {simulated:.4} s, CPython {cpython:.4} s ({:.1} % off)",
        off * 100.0
    );
}

/// Running spans of CPU work (chopping or sauce) of the chefs (threads and processes, not the
/// asyncio tasks drawn beneath their loop) as (start, end, lane).
fn cpu_spans(trace: &Trace) -> Vec<(f64, f64, usize)> {
    let mut spans: Vec<(f64, f64, usize)> = trace
        .lanes
        .iter()
        .filter(|l| l.kind != LaneKind::Task)
        .flat_map(|l| l.spans.iter().map(move |s| (l.id, s)))
        .filter(|(_, s)| {
            s.state == State::Running && (s.label.contains("chop") || s.label.contains("sauce"))
        })
        .map(|(lane, s)| (s.start_s, s.end_s, lane))
        .collect();
    spans.sort_by(|a, b| a.partial_cmp(b).unwrap());
    spans
}

/// The most CPU spans running at the same moment.
fn most_at_once(spans: &[(f64, f64, usize)]) -> usize {
    let mut edges: Vec<(f64, i32)> = spans
        .iter()
        .flat_map(|&(s, e, _)| [(s, 1), (e, -1)])
        .collect();
    edges.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap().then(a.1.cmp(&b.1)));
    let (mut now, mut most) = (0i32, 0i32);
    for (_, d) in edges {
        now += d;
        most = most.max(now);
    }
    most as usize
}

fn busy_s(trace: &Trace) -> f64 {
    cpu_spans(trace).iter().map(|(s, e, _)| e - s).sum()
}

// ----- against CPython ---------------------------------------------------------------------

#[test]
fn asyncio_blocking_matches_cpython() {
    // CPython (c ≈ 0.049 s from the gaps between its lines):
    //   0.5015 order 1: pasta ready     0.6982 order 3: pasta ready
    //   0.5514 order 1: veggies chopped 0.7459 order 3: veggies chopped
    //   0.5991 order 1: sauce ready     0.7925 order 3: sauce ready   = b + 6c
    //   0.5992 order 2: pasta ready     (orders 2 and 3 wait for order 1's blocking steps)
    let t = run("asyncio-blocking", two_cores(0.049), &small(0.5));
    assert_eq!(
        texts(&t),
        [
            "order 1: pasta ready",
            "order 1: veggies chopped",
            "order 1: sauce ready",
            "order 2: pasta ready",
            "order 2: veggies chopped",
            "order 2: sauce ready",
            "order 3: pasta ready",
            "order 3: veggies chopped",
            "order 3: sauce ready",
        ]
    );
    assert_close(
        "order 2: pasta ready",
        printed_at(&t, "order 2: pasta ready"),
        0.5992,
        0.15,
    );
    assert_close(
        "order 3: pasta ready",
        printed_at(&t, "order 3: pasta ready"),
        0.6982,
        0.15,
    );
    assert_close("total", t.makespan_s, 0.7925, 0.15);
}

#[test]
fn asyncio_to_thread_matches_cpython() {
    // CPython (one CPU step alone: 0.050 s):
    //   0.5013 / 0.5087 / 0.5194  pasta ready 1, 2, 3   (the loop stays free)
    //   0.6517 / 0.6870 / 0.7023  veggies chopped       (three workers share one GIL)
    //   0.7946 / 0.8072 / 0.8491  sauce ready           = not faster than blocking
    let t = run("asyncio-to-thread", two_cores(0.050), &small(0.5));
    for (order, cpython) in [(1, 0.5013), (2, 0.5087), (3, 0.5194)] {
        let text = format!("order {order}: pasta ready");
        assert_close(&text, printed_at(&t, &text), cpython, 0.15);
    }
    for (order, cpython) in [(1, 0.6517), (2, 0.6870), (3, 0.7023)] {
        let text = format!("order {order}: veggies chopped");
        assert_close(&text, printed_at(&t, &text), cpython, 0.15);
    }
    assert_close("total", t.makespan_s, 0.8506, 0.15);
}

#[test]
fn threads_match_cpython() {
    // CPython (one CPU step alone: 0.053 s):
    //   0.1772  all 9 started (each start() waits for the new thread to get the GIL)
    //   0.0900 .. 0.2856  the six CPU steps end, taking turns on one GIL
    //   0.5007 / 0.5814 / 0.6363  pasta ready 1, 2, 3 (boils started late, behind the GIL)
    let t = run("threads", two_cores(0.053), &small(0.5));
    let last_cpu = t
        .prints
        .iter()
        .filter(|p| !p.text.contains("pasta"))
        .map(|p| p.t_s)
        .fold(0.0, f64::max);
    assert_close("last CPU step done", last_cpu, 0.2856, 0.15);
    assert_close(
        "order 1: pasta ready",
        printed_at(&t, "order 1: pasta ready"),
        0.5007,
        0.15,
    );
    assert_close("total", t.makespan_s, 0.6363, 0.15);
    // The boils overlap: the kitchen takes far less than three boils.
    assert!(t.makespan_s < 2.0 * 0.5);
}

#[test]
fn processes_match_cpython() {
    // CPython (one CPU step alone: 0.050 s):
    //   0.0079  all 9 started
    //   0.0543 .. 0.1507  the six CPU steps end: 3 steps' time on 2 cores
    //   0.5038 / 0.5071 / 0.5124  pasta ready 1, 2, 3; done 0.5133
    let t = run("processes", two_cores(0.050), &small(0.5));
    let last_cpu = t
        .prints
        .iter()
        .filter(|p| !p.text.contains("pasta"))
        .map(|p| p.t_s)
        .fold(0.0, f64::max);
    assert_close("last CPU step done", last_cpu, 0.1507, 0.15);
    assert_close("total", t.makespan_s, 0.5133, 0.15);
}

#[test]
fn thousand_pots_match_cpython() {
    // CPython, 1,000 pots boiling 1.0 s each:
    //   asyncio:   done 1.0108 s
    //   threads:   all 1000 started in 0.1044 s, done 1.1131 s
    //   processes: all 1000 started in 2.6321 s, done 3.6447 s
    let size = Size {
        boil_s: 1.0,
        ..Size::default()
    };
    let asyncio = run("thousand-asyncio", two_cores(0.05), &size);
    let threads = run("thousand-threads", two_cores(0.05), &size);
    let processes = run("thousand-processes", two_cores(0.05), &size);
    assert_close("asyncio total", asyncio.makespan_s, 1.0108, 0.15);
    assert_close("threads total", threads.makespan_s, 1.1131, 0.15);
    assert_close("processes total", processes.makespan_s, 3.6447, 0.15);
}

// ----- the formulas of the issue, at full size ---------------------------------------------

/// The CPU step at full size on the default machine.
fn step_s() -> f64 {
    Profile::default().loop_iteration_s * Size::default().cpu_iterations as f64
}

#[test]
fn asyncio_blocking_is_boil_plus_six_steps_one_after_another() {
    let (b, c) = (Size::default().boil_s, step_s());
    let t = scenarios::find("asyncio-blocking")
        .unwrap()
        .simulate(Profile::default())
        .unwrap();
    assert!(
        (t.makespan_s - (b + 6.0 * c)).abs() < 0.01,
        "took {} s, b + 6c = {} s",
        t.makespan_s,
        b + 6.0 * c
    );
    let spans = cpu_spans(&t);
    assert_eq!(most_at_once(&spans), 1, "blocking steps never overlap");
    assert!(
        spans.iter().all(|&(_, _, lane)| lane == 0),
        "all CPU work runs on the event loop's thread"
    );
    assert!((busy_s(&t) - 6.0 * c).abs() < 1e-6);
}

#[test]
fn asyncio_to_thread_frees_the_loop_but_is_not_faster() {
    let (b, c) = (Size::default().boil_s, step_s());
    let blocking = scenarios::find("asyncio-blocking")
        .unwrap()
        .simulate(Profile::default())
        .unwrap();
    let t = scenarios::find("asyncio-to-thread")
        .unwrap()
        .simulate(Profile::default())
        .unwrap();
    for order in 1..=3 {
        let ready = printed_at(&t, &format!("order {order}: pasta ready"));
        assert!(
            ready - b < 0.05,
            "pasta {order} ready at {ready} s: the loop was not free"
        );
    }
    assert_eq!(
        most_at_once(&cpu_spans(&t)),
        1,
        "the GIL lets one CPU step run at a time"
    );
    assert!(cpu_spans(&t)
        .iter()
        .all(|&(_, _, lane)| t.lanes[lane].kind == LaneKind::PoolWorker));
    assert!(
        t.makespan_s >= b + 6.0 * c - 1e-9,
        "six steps on one GIL take at least 6c"
    );
    assert!(
        t.makespan_s >= blocking.makespan_s - 0.01,
        "to_thread is not faster for CPU work"
    );
}

#[test]
fn threads_overlap_the_boils_and_share_one_gil() {
    let (b, c) = (Size::default().boil_s, step_s());
    let t = scenarios::find("threads")
        .unwrap()
        .simulate(Profile::default())
        .unwrap();
    assert!(t.makespan_s < b + 1.0, "boils overlap: {} s", t.makespan_s);
    let spans = cpu_spans(&t);
    assert_eq!(
        most_at_once(&spans),
        1,
        "one GIL: one CPU step at a time, even on 4 cores"
    );
    let last = spans.iter().map(|s| s.1).fold(0.0, f64::max);
    assert!(
        last >= 6.0 * c,
        "six CPU steps on one GIL take at least 6c, ended at {last}"
    );
    // Several threads took turns: the GIL changed hands many times.
    let handoffs = t.gil[0].held.len();
    assert!(
        handoffs as f64 > 6.0 * c / Profile::default().switch_interval_s * 0.8,
        "only {handoffs} GIL turns"
    );
}

#[test]
fn processes_run_cpu_steps_cores_at_a_time() {
    let c = step_s();
    for cores in [1, 2, 4, 8] {
        let profile = Profile {
            cores,
            ..Profile::default()
        };
        let t = scenarios::find("processes")
            .unwrap()
            .simulate(profile)
            .unwrap();
        let spans = cpu_spans(&t);
        assert_eq!(most_at_once(&spans), cores.min(6) as usize, "{cores} cores");
        let last = spans.iter().map(|s| s.1).fold(0.0, f64::max);
        let waves = 6.0 / cores.min(6) as f64;
        assert!(
            last >= waves * c && last < waves * c + 0.1,
            "{cores} cores: CPU done at {last} s"
        );
    }
}

#[test]
fn a_thousand_pots_cost_processes_start_time_and_memory() {
    let b = Size::default().boil_s;
    let sim = |id| {
        scenarios::find(id)
            .unwrap()
            .simulate(Profile::default())
            .unwrap()
    };
    let (asyncio, threads, processes) = (
        sim("thousand-asyncio"),
        sim("thousand-threads"),
        sim("thousand-processes"),
    );
    assert!(asyncio.makespan_s < b * 1.01 && threads.makespan_s < b * 1.01);
    assert!(
        processes.makespan_s > b + 1.0,
        "1,000 process starts cost over a second"
    );
    let p = Profile::default();
    let thousand_processes = 1000.0 * p.process_memory_bytes as f64;
    assert!(processes.peak_memory_bytes as f64 >= thousand_processes);
    assert!(threads.peak_memory_bytes < processes.peak_memory_bytes / 10);
    assert!(asyncio.peak_memory_bytes <= threads.peak_memory_bytes);
}

#[test]
fn every_scenario_is_deterministic_bit_for_bit() {
    for s in SCENARIOS {
        let a = s.simulate(Profile::default()).unwrap().to_json();
        let b = s.simulate(Profile::default()).unwrap().to_json();
        assert_eq!(a, b, "{} differs between two runs", s.id);
    }
}

#[test]
fn one_gil_holder_at_a_time_and_lanes_tile_time() {
    for s in SCENARIOS {
        let t = s.simulate(Profile::default()).unwrap();
        for gil in &t.gil {
            for pair in gil.held.windows(2) {
                assert!(
                    pair[0].end_s <= pair[1].start_s + 1e-12,
                    "{}: GIL held twice at {}",
                    s.id,
                    pair[1].start_s
                );
            }
        }
        for lane in &t.lanes {
            for pair in lane.spans.windows(2) {
                assert!(
                    (pair[0].end_s - pair[1].start_s).abs() < 1e-9,
                    "{}: gap in {}",
                    s.id,
                    lane.name
                );
            }
        }
        assert!(t.check().is_ok(), "{}: {:?}", s.id, t.check());
    }
}
