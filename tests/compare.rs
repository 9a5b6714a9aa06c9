//! The fair comparison (issue 10 §3): one workload in every kitchen, and `kitchen compare`.

use std::process::{Command, Output};

use kitchen::compare::{self, Asked, Axis, Kitchen, Table, Workload, KITCHENS};
use kitchen::core::profile::Profile;

fn table(w: &Workload, kitchens: &[Kitchen]) -> Table {
    let runs = compare::compare(w, kitchens, &Profile::default()).unwrap();
    Table::of(w, &runs, Vec::new())
}

fn total(t: &Table, k: Kitchen) -> f64 {
    t.row(k).unwrap().makespan_s
}

fn kitchen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kitchen"))
        .args(args)
        .output()
        .expect("kitchen runs")
}

#[test]
fn three_orders_of_cpu_work_on_four_cores_processes_beat_threads_which_match_one_chef() {
    let w = Workload {
        orders: 3,
        boil_s: 0.0,
        ..Workload::default()
    };
    let t = table(&w, &KITCHENS);
    let step = w.cpu_n as f64 * Profile::default().loop_iteration_s;
    let (blocking, threads, processes) = (
        total(&t, Kitchen::AsyncioBlocking),
        total(&t, Kitchen::Threads),
        total(&t, Kitchen::Processes),
    );
    assert!(processes < threads, "{processes} < {threads}");
    // Threads are no faster than one chef: the six steps share the GIL. They are slower only
    // by what starting the three threads cost.
    let starts = t.row(Kitchen::Threads).unwrap().start_overhead_s;
    assert!(
        threads <= blocking + starts + 1e-6,
        "{threads} ≤ {blocking} + {starts}"
    );
    assert!((blocking - 6.0 * step).abs() < 0.01 * blocking);
    assert!(
        (processes - 2.0 * step).abs() < 0.02 * processes,
        "{processes}"
    );
    let row = t.row(Kitchen::Processes).unwrap();
    assert!((row.speedup - blocking / processes).abs() < 1e-9);
    assert!(row.cpu_busy > 0.7 && row.start_overhead_s > 0.0);
}

#[test]
fn a_thousand_waiting_orders_cost_processes_more_than_one_loop() {
    let w = Workload {
        orders: 1000,
        cpu_n: 0,
        ..Workload::default()
    };
    let t = table(&w, &[Kitchen::AsyncioBlocking, Kitchen::Processes]);
    let (one_loop, processes) = (
        t.row(Kitchen::AsyncioBlocking).unwrap(),
        t.row(Kitchen::Processes).unwrap(),
    );
    assert!(processes.makespan_s > one_loop.makespan_s + 1.0);
    assert!(processes.peak_memory_bytes > 100 * one_loop.peak_memory_bytes);
    assert!(processes.start_overhead_s > 1.0);
    assert!(processes.speedup < 1.0);
}

#[test]
fn the_free_threaded_what_if_runs_threads_side_by_side_and_says_it_is_a_model() {
    let w = Workload {
        orders: 4,
        boil_s: 0.0,
        cpu_n: 1_000_000,
        cores: 4,
    };
    let t = table(&w, &[Kitchen::Threads, Kitchen::ThreadsWithoutGil]);
    let (gil, free) = (
        t.row(Kitchen::Threads).unwrap(),
        t.row(Kitchen::ThreadsWithoutGil).unwrap(),
    );
    assert!(free.what_if && !gil.what_if);
    assert!(free.title.contains("model"), "{}", free.title);
    assert!(free.makespan_s < gil.makespan_s / 3.0, "four cores at once");
    let trace = compare::cook(Kitchen::ThreadsWithoutGil, &w, &Profile::default()).unwrap();
    assert!(trace.profile.free_threaded);
    assert!(
        trace.gil.iter().all(|g| g.held.is_empty()),
        "no GIL to hold"
    );
}

#[test]
fn the_chart_finds_where_processes_overtake_the_others() {
    // 50 orders: for tiny CPU steps the starts of 50 processes cost more than the steps;
    // for big ones the cores pay them back.
    let w = Workload {
        orders: 50,
        ..Workload::default()
    };
    let kitchens = [Kitchen::AsyncioBlocking, Kitchen::Processes];
    let series = compare::series(
        &w,
        Axis::CpuN,
        &[1000, 100_000],
        &kitchens,
        &Profile::default(),
    )
    .unwrap();
    let crossings = compare::crossovers(&series);
    assert_eq!(crossings.len(), 1, "{crossings:?}");
    assert_eq!(crossings[0].faster, "processes");
    assert_eq!(crossings[0].slower, "asyncio-blocking");
    assert_eq!(crossings[0].between, (1000, 100_000));
}

#[test]
fn compare_json_has_a_row_per_kitchen() {
    let out = kitchen(&[
        "compare", "--orders", "2", "--cpu-n", "1000", "--boil", "0.5", "--cores", "2", "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v["rows"].as_array().unwrap();
    let ids: Vec<&str> = rows
        .iter()
        .map(|r| r["kitchen"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "asyncio-blocking",
            "asyncio-to-thread",
            "threads",
            "processes"
        ]
    );
    for r in rows {
        for field in ["makespan_s", "speedup", "cpu_busy", "start_overhead_s"] {
            assert!(
                r[field].as_f64().is_some_and(f64::is_finite),
                "{field}: {r}"
            );
        }
        assert!(r["peak_memory_bytes"].as_u64().is_some_and(|b| b > 0));
        assert!(r["makespan_s"].as_f64().unwrap() >= 0.5);
    }
    assert_eq!(rows[0]["speedup"].as_f64(), Some(1.0));
    assert_eq!(v["workload"]["cores"], 2);
}

#[test]
fn out_of_range_values_are_clamped_with_a_note_not_refused() {
    let out = kitchen(&[
        "compare", "--orders", "0", "--cores", "100", "--cpu-n", "-3", "--boil", "-1",
    ]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    for says in ["orders = 0", "cores = 100", "cpu-n = -3", "boil = -1"] {
        assert!(err.contains(says), "{says}: {err}");
    }
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(": 1 order, "), "{text}");
    assert!(text.contains("on 64 cores"), "{text}");
    let bad = kitchen(&["compare", "--orders", "many"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("invalid value"));
    let (w, notes) = Asked {
        orders: Some(5000),
        ..Asked::default()
    }
    .clamped();
    assert_eq!(w.orders, 1000);
    assert_eq!(notes.len(), 1);
}

#[test]
fn the_text_table_names_every_kitchen_and_the_what_if_as_a_model() {
    let out = kitchen(&[
        "compare",
        "--orders",
        "2",
        "--cpu-n",
        "1000",
        "--boil",
        "0.1",
        "--free-threaded",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    for id in [
        "asyncio-blocking",
        "asyncio-to-thread",
        "threads",
        "processes",
        "threads-without-gil",
    ] {
        assert!(text.lines().any(|l| l.starts_with(id)), "{id}:\n{text}");
    }
    assert!(text.contains("is a model"), "{text}");
}
