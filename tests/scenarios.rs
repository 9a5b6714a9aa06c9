//! The seven pasta-kitchen scenarios, pinned down with relations the simulation must satisfy.
//!
//! How close the simulation comes to real CPython is `tests/fidelity.rs`'s business: it runs
//! every scenario, scaled down, under CPython and `kitchen run` and compares lines, order and
//! total time. Here the simulation is held to what the lesson of each scenario says, at a
//! small size on a 2-core machine whose CPU step costs a given `c`, and at full size against
//! the formulas of the walking-skeleton issue (one boil plus six steps for blocking asyncio,
//! one GIL for threads, cores at a time for processes, the cost of a thousand processes).

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

// ----- relations at a small size ------------------------------------------------------------

#[test]
fn asyncio_blocking_orders_wait_for_each_others_blocking_steps() {
    let c = 0.049;
    let t = run("asyncio-blocking", two_cores(c), &small(0.5));
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
    // Order 2's pasta was ready at b, but its coroutine runs only once order 1's two blocking
    // steps have returned: it is "ready" when order 1's sauce is, and order 3 after order 2's.
    for (order, before) in [(2, 1), (3, 2)] {
        let ready = printed_at(&t, &format!("order {order}: pasta ready"));
        let sauce = printed_at(&t, &format!("order {before}: sauce ready"));
        assert!(
            (ready - sauce).abs() < 0.001,
            "order {order} at {ready}, sauce at {sauce}"
        );
        let expected = 0.5 + 2.0 * (order - 1) as f64 * c;
        assert!(
            (ready - expected).abs() < 0.05 * expected,
            "order {order} at {ready}"
        );
    }
}

#[test]
fn threads_each_start_waits_for_the_gil_so_later_boils_end_late() {
    let t = run("threads", two_cores(0.053), &small(0.5));
    let interval = Profile::default().switch_interval_s;
    let starts: Vec<&kitchen::core::trace::Span> = t.lanes[0]
        .spans
        .iter()
        .filter(|s| s.state == State::Spawning)
        .collect();
    assert_eq!(starts.len(), 9);
    // Once a CPU-bound chef runs, every start() waits for the new thread to get the GIL, and
    // then for the main thread's own turn: at least a switch interval each.
    for pair in starts[2..].windows(2) {
        assert!(
            pair[1].start_s - pair[0].start_s >= interval,
            "{} came {:.4} s after {}",
            pair[1].label,
            pair[1].start_s - pair[0].start_s,
            pair[0].label
        );
    }
    let boil_started = |order: usize| {
        starts
            .iter()
            .find(|s| s.label == format!("start order {order} · boil"))
            .unwrap()
            .start_s
    };
    let ready: Vec<f64> = (1..=3)
        .map(|o| printed_at(&t, &format!("order {o}: pasta ready")))
        .collect();
    assert!(ready[0] < ready[1] && ready[1] < ready[2], "{ready:?}");
    for order in 2..=3 {
        assert!(
            ready[order - 1] >= 0.5 + boil_started(order),
            "order {order}'s boil began late, behind the GIL"
        );
    }
    assert!(boil_started(3) >= 10.0 * interval);
    // The boils overlap: the kitchen takes far less than three boils.
    assert!(t.makespan_s < 2.0 * 0.5);
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
