//! Traces in and out: the Chrome Trace Event export, the VizTracer import and the reader of
//! `measure --python`'s log, on real traces and on garbage.

use std::path::Path;
use std::process::Command;

use kitchen::core::profile::Profile;
use kitchen::core::trace::{LaneKind, Source, State, Trace, Wait, WaitOn};
use kitchen::scenarios;
use kitchen::trace_io::{chrome, observed, viztracer, ImportError, MAX_INPUT_BYTES};
use serde_json::Value;

const VIZ_FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/viztracer_kitchen.json"
);
const VIZ_PROGRAM: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/viztracer_kitchen.py"
);

fn simulated(id: &str) -> Trace {
    scenarios::find(id)
        .unwrap()
        .simulate(Profile::default())
        .unwrap()
}

fn events(chrome_json: &str) -> Vec<Value> {
    let doc: Value = serde_json::from_str(chrome_json).expect("the export is JSON");
    doc["traceEvents"].as_array().expect("traceEvents").clone()
}

fn of_phase<'a>(events: &'a [Value], ph: &str) -> Vec<&'a Value> {
    events.iter().filter(|e| e["ph"] == ph).collect()
}

#[test]
fn chrome_export_has_a_named_track_per_lane_a_gil_track_and_the_prints() {
    let trace = simulated("threads");
    let events = events(&chrome::export(&trace));
    let thread_names: Vec<&Value> = of_phase(&events, "M")
        .into_iter()
        .filter(|e| e["name"] == "thread_name")
        .collect();
    for lane in &trace.lanes {
        let track = thread_names
            .iter()
            .find(|e| e["tid"] == lane.id as u64 + 1 && e["pid"] == lane.process as u64 + 1)
            .unwrap_or_else(|| panic!("no track for {}", lane.name));
        assert_eq!(track["args"]["name"], lane.name.as_str());
    }
    let sorted = of_phase(&events, "M")
        .into_iter()
        .filter(|e| e["name"] == "thread_sort_index")
        .count();
    assert_eq!(sorted, trace.lanes.len() + trace.gil.len());
    let gil_track = thread_names
        .iter()
        .find(|e| e["args"]["name"] == "GIL")
        .expect("a GIL track");
    let slices = of_phase(&events, "X");
    let gil_slices = slices
        .iter()
        .filter(|e| e["tid"] == gil_track["tid"] && e["cat"] == "gil")
        .count();
    assert_eq!(gil_slices, trace.gil[0].held.len());
    assert!(gil_slices > 100, "the GIL changed hands every 5 ms");
    let spans: usize = trace.lanes.iter().map(|l| l.spans.len()).sum();
    assert_eq!(
        slices.len(),
        spans + gil_slices + trace.cores.iter().map(Vec::len).sum::<usize>()
    );
    let prints: Vec<&Value> = of_phase(&events, "i")
        .into_iter()
        .filter(|e| e["cat"] == "print")
        .collect();
    assert_eq!(prints.len(), trace.prints.len());
    assert!(prints.iter().any(|e| e["name"] == "order 2: sauce ready"));
    for e in &slices {
        assert!(e["ts"].as_f64().unwrap() >= 0.0 && e["dur"].as_f64().unwrap() >= 0.0);
    }
}

#[test]
fn a_waiting_span_that_names_its_waker_gets_a_flow_arrow() {
    let mut trace = simulated("threads");
    // The simulator says who ends each wait it can: an arrow for each of those.
    let named: usize = trace
        .lanes
        .iter()
        .flat_map(|l| &l.spans)
        .filter(|s| s.wait.as_ref().is_some_and(|w| w.lane.is_some()))
        .count();
    let exported = events(&chrome::export(&trace));
    assert!(named > 0, "the simulated threads kitchen names its wakers");
    assert_eq!(
        of_phase(&exported, "s").len(),
        of_phase(&exported, "f").len()
    );
    assert!(!of_phase(&exported, "s").is_empty() && of_phase(&exported, "s").len() <= named);
    // Without waits, no arrows; then one wait of our own, placed and checked exactly.
    for span in trace.lanes.iter_mut().flat_map(|l| l.spans.iter_mut()) {
        span.wait = None;
    }
    assert!(
        of_phase(&events(&chrome::export(&trace)), "s").is_empty(),
        "no wait.lane, no arrow"
    );
    // The main thread's join of the first chef, as the interpreter will say it.
    let (waiter, waker) = (0, 1);
    let waker_end = trace.lanes[waker].spans.last().unwrap().end_s;
    let join = trace.lanes[waiter]
        .spans
        .iter_mut()
        .find(|s| s.state == State::Blocked && s.start_s < waker_end && waker_end <= s.end_s)
        .expect("main blocks in join() until the chef ends");
    join.wait = Some(Wait {
        on: WaitOn::Thread,
        what: "chef.join()".into(),
        until_s: None,
        lane: Some(waker),
    });
    let (wait_start, wait_end) = (join.start_s, join.end_s);
    let events = events(&chrome::export(&trace));
    let (starts, finishes) = (of_phase(&events, "s"), of_phase(&events, "f"));
    assert_eq!((starts.len(), finishes.len()), (1, 1));
    let (s, f) = (starts[0], finishes[0]);
    assert_eq!(s["id"], f["id"]);
    assert_eq!(s["tid"], waiter as u64 + 1);
    assert_eq!(f["tid"], waker as u64 + 1);
    assert!((s["ts"].as_f64().unwrap() - wait_start * 1e6).abs() < 1e-3);
    let lands = f["ts"].as_f64().unwrap() / 1e6;
    assert!(
        lands <= wait_end && lands < waker_end,
        "inside the waker's life: {lands}"
    );
}

fn check_viztracer_kitchen(trace: &Trace) {
    assert_eq!(trace.source, Source::Cpython);
    assert!(trace.check().is_ok(), "{:?}", trace.check());
    let lanes: Vec<(&str, LaneKind)> = trace
        .lanes
        .iter()
        .map(|l| (l.name.as_str(), l.kind))
        .collect();
    assert_eq!(lanes[0], ("main", LaneKind::Main));
    for (name, kind) in [
        ("order 1 · boil", LaneKind::Thread),
        ("order 1 · chop", LaneKind::Thread),
        ("order 2 · chop", LaneKind::Process),
    ] {
        assert!(lanes.contains(&(name, kind)), "{name}: {lanes:?}");
    }
    assert_eq!(trace.gil.len(), 2, "two processes");
    let boil = trace
        .lanes
        .iter()
        .find(|l| l.name == "order 1 · boil")
        .unwrap();
    assert!(boil
        .spans
        .iter()
        .any(|s| s.state == State::Sleeping && s.end_s - s.start_s >= 0.05));
    assert!(trace.lanes[0]
        .spans
        .iter()
        .any(|s| s.state == State::Blocked));
    let chop = trace
        .lanes
        .iter()
        .find(|l| l.name == "order 1 · chop")
        .unwrap();
    assert!(
        chop.spans.iter().any(|s| s.label.contains("sum")),
        "{:?}",
        chop.spans
    );
    assert!(trace
        .notes
        .iter()
        .any(|n| n.contains("GIL cannot be observed")));
    assert_eq!(Trace::from_json(&trace.to_json()).unwrap(), *trace);
}

#[test]
fn a_viztracer_file_of_a_real_run_imports() {
    let text = std::fs::read_to_string(VIZ_FILE).unwrap();
    check_viztracer_kitchen(&viztracer::import(&text, "viztracer_kitchen.json").unwrap());
}

#[test]
fn a_fresh_viztracer_run_imports_where_viztracer_is_installed() {
    let installed = Command::new("python3")
        .args(["-c", "import viztracer"])
        .status()
        .is_ok_and(|s| s.success());
    if !installed {
        eprintln!("viztracer is not installed: only the committed file was imported");
        return;
    }
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("viztracer_fresh.json");
    let status = Command::new("python3")
        .args(["-m", "viztracer", "--quiet", "--min_duration", "20", "-o"])
        .arg(&out)
        .arg(VIZ_PROGRAM)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(&out).unwrap();
    check_viztracer_kitchen(&viztracer::import(&text, "fresh.json").unwrap());
}

#[test]
fn garbage_huge_truncated_and_misshapen_files_are_clear_errors() {
    let real = std::fs::read_to_string(VIZ_FILE).unwrap();
    let huge = "x".repeat(MAX_INPUT_BYTES + 1);
    let many_threads: String = {
        let calls: Vec<String> = (0..20_001)
            .map(|t| format!(r#"{{"ph":"X","pid":1,"tid":{t},"ts":0,"dur":100,"name":"f"}}"#))
            .collect();
        format!(r#"{{"traceEvents":[{}]}}"#, calls.join(","))
    };
    let cases: Vec<(&str, String)> = vec![
        ("garbage", "this is not a trace".into()),
        ("empty", String::new()),
        ("huge", huge),
        ("truncated", real[..real.len() / 2].to_string()),
        ("no events", "{}".into()),
        ("events not a list", r#"{"traceEvents": 5}"#.into()),
        ("no calls", r#"{"traceEvents": []}"#.into()),
        ("no duration", r#"{"traceEvents":[{"ph":"X","pid":1,"tid":1,"ts":0,"name":"f"}]}"#.into()),
        ("time as text", r#"{"traceEvents":[{"ph":"X","pid":1,"tid":1,"ts":"soon","dur":5,"name":"f"}]}"#.into()),
        ("negative pid", r#"{"traceEvents":[{"ph":"X","pid":-1,"tid":1,"ts":0,"dur":50,"name":"f"}]}"#.into()),
        ("negative duration", r#"{"traceEvents":[{"ph":"X","pid":1,"tid":1,"ts":0,"dur":-50,"name":"f"}]}"#.into()),
        ("times too far", r#"{"traceEvents":[{"ph":"X","pid":1,"tid":1,"ts":0,"dur":50,"name":"f"},{"ph":"X","pid":1,"tid":1,"ts":1e300,"dur":50,"name":"g"}]}"#.into()),
        ("too many threads", many_threads),
    ];
    for (what, text) in cases {
        match viztracer::import(&text, "bad.json") {
            Err(e) => {
                let message = e.to_string();
                assert!(!message.is_empty(), "{what}");
                if what == "huge" {
                    assert!(matches!(e, ImportError::TooLarge(_)), "{what}: {e}");
                }
            }
            Ok(t) => {
                // A file with one sane call among absurd ones may import what is sane.
                assert_eq!(what, "times too far", "{what} was accepted");
                assert!(t.check().is_ok());
            }
        }
    }
}

#[test]
fn the_observers_log_reads_and_its_garbage_is_refused() {
    let log = r#"{"k": "begin", "t": 0, "pid": 10, "tid": 10, "rss": 20000000}
{"k": "call", "what": "start", "label": "start a", "t0": 1000, "t1": 2000, "child_tid": 11, "pid": 10, "tid": 10}
{"k": "call", "what": "sleep", "label": "time.sleep(0.01)", "t0": 3000, "t1": 10003000, "pid": 10, "tid": 11}
{"k": "print", "t": 10004000, "pid": 10, "tid": 11, "text": "a: done"}
{"k": "thread", "name": "a", "target": "boil", "t0": 2500, "t1": 10005000, "pid": 10, "tid": 11}
{"k": "call", "what": "join", "label": "a.join()", "t0": 2100, "t1": 10006000, "pid": 10, "tid": 10}
{"k": "end", "t": 10010000, "pid": 10, "tid": 10, "rss": 21000000}
"#;
    let t = observed::read(log, "prog", Some("print('hi')")).unwrap();
    assert!(t.check().is_ok(), "{:?}", t.check());
    assert_eq!(t.lanes.len(), 2);
    assert_eq!(t.lanes[1].kind, LaneKind::Thread);
    assert_eq!(t.prints[0].lane, 1);
    assert!(t.lanes[1]
        .spans
        .iter()
        .any(|s| s.state == State::Sleeping && s.label == "time.sleep(0.01)"));
    assert_eq!(t.peak_memory_bytes, 21_000_000);
    assert!((t.makespan_s - 0.01001).abs() < 1e-9);
    for bad in [
        "",
        "not json",
        "{\"k\": \"begin\"}",
        "{\"k\": \"dance\", \"t\": 1}",
        "[1, 2]",
    ] {
        assert!(observed::read(bad, "prog", None).is_err(), "{bad:?}");
    }
}

#[test]
fn a_memory_sample_of_a_process_that_is_not_there_is_refused() {
    let mut trace = simulated("processes");
    assert!(trace.check().is_ok());
    trace.memory.push(kitchen::core::trace::MemorySample {
        t_s: 1.0,
        bytes: 1,
        process: Some(99),
    });
    assert!(Trace::from_json(&trace.to_json()).is_err());
}
