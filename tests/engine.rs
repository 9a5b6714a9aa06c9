//! The engine's side of the page's requests (`kitchen::engine::serve`), called as the engine
//! worker calls it: JSON text in, JSON text out. Every request has an answer, untrusted input
//! included, and what the page reads back is the trace the simulator writes.

use kitchen::core::profile::Profile;
use kitchen::core::trace::{Source, Trace};
use kitchen::engine::protocol::{live_cookable, Reply, Request, MAX_OPEN_BYTES};
use kitchen::engine::serve::{answer, answer_json};
use kitchen::python::PyErrorKind;
use kitchen::scenarios::{self, SCENARIOS};

fn ask(request: Request) -> Reply {
    // Through the text, as the worker passes it.
    Reply::from_json(&answer_json(&request.to_json()))
}

#[test]
fn a_scenario_is_the_simulators_trace() {
    let Reply::Trace { trace } = ask(Request::Simulate {
        scenario: "threads".into(),
        cores: 2,
    }) else {
        panic!("a trace");
    };
    let direct = scenarios::find("threads")
        .unwrap()
        .simulate(Profile {
            cores: 2,
            ..Profile::default()
        })
        .unwrap();
    assert_eq!(*trace, direct);
    let Reply::Refused { why } = ask(Request::Simulate {
        scenario: "pizza".into(),
        cores: 4,
    }) else {
        panic!("refused");
    };
    assert!(why.contains("unknown scenario 'pizza'"), "{why}");
}

#[test]
fn a_program_runs_or_fails_at_its_line() {
    let Reply::Trace { trace } = ask(Request::Run {
        source: "import time\ntime.sleep(1)\nprint('done')\n".into(),
        cores: 4,
    }) else {
        panic!("a trace");
    };
    assert_eq!(trace.prints[0].text, "done");
    assert!(trace.code.as_deref().unwrap().contains("time.sleep(1)"));
    let Reply::Failed { error } = ask(Request::Run {
        source: "x = 1\ndef (:\n".into(),
        cores: 4,
    }) else {
        panic!("failed");
    };
    assert_eq!(error.kind, PyErrorKind::Syntax);
    assert_eq!(error.line, 2);
}

#[test]
fn files_are_checked_kitchen_traces_or_viztracer_files() {
    let measured = include_str!("data/measured-threads.json");
    let Reply::Trace { trace } = ask(Request::Open {
        name: "m.json".into(),
        text: measured.into(),
    }) else {
        panic!("a trace");
    };
    assert_eq!(trace.source, Source::Native);
    let Reply::Trace { trace } = ask(Request::Open {
        name: "v.json".into(),
        text: include_str!("data/viztracer_kitchen.json").into(),
    }) else {
        panic!("a VizTracer trace");
    };
    assert_eq!(trace.source, Source::Cpython);
    for (text, expected) in [
        ("garbage", "it is not a kitchen trace"),
        ("{\"traceEvents\": 3}", "as a VizTracer file"),
        ("{\"format\": 99}", "not a kitchen trace"),
    ] {
        let Reply::Refused { why } = ask(Request::Open {
            name: "f.json".into(),
            text: text.into(),
        }) else {
            panic!("refused: {text}");
        };
        assert!(why.starts_with("f.json cannot be shown: "), "{why}");
        assert!(why.contains(expected), "{text}: {why}");
    }
    let mut wrong: Trace = Trace::from_json(measured).unwrap();
    wrong.lanes[0].spans[0].end_s = -1.0;
    let Reply::Refused { why } = ask(Request::Open {
        name: "w.json".into(),
        text: serde_json::to_string(&wrong).unwrap(),
    }) else {
        panic!("refused");
    };
    assert!(why.contains("inconsistent"), "{why}");
    let huge = " ".repeat(MAX_OPEN_BYTES + 1);
    let Reply::Refused { why } = answer(Request::Open {
        name: "h.json".into(),
        text: huge,
    }) else {
        panic!("refused");
    };
    assert!(why.contains("too large to open here"), "{why}");
}

#[test]
fn an_export_is_chrome_trace_json_and_a_bad_request_is_refused() {
    let trace = scenarios::find("processes")
        .unwrap()
        .simulate(Profile::default())
        .unwrap();
    let Reply::Text { text } = ask(Request::Export {
        trace: Box::new(trace),
    }) else {
        panic!("text");
    };
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(value["traceEvents"].as_array().unwrap().len() > 100);
    let reply = Reply::from_json(&answer_json("{\"ask\": \"bake\"}"));
    assert!(matches!(reply, Reply::Refused { why } if why.contains("could not read the request")));
    assert!(matches!(
        Reply::from_json("nonsense"),
        Reply::Refused { .. }
    ));
}

#[test]
fn the_live_kitchen_cooks_the_scenarios_with_cpu_steps() {
    let cookable: Vec<&str> = SCENARIOS
        .iter()
        .filter(|s| live_cookable(s))
        .map(|s| s.id)
        .collect();
    // The pasta kitchen's four with CPU steps, and the lessons that scale a CPU step
    // (tests/live_browser.rs cooks each to its end).
    assert_eq!(
        cookable,
        [
            "asyncio-blocking",
            "asyncio-to-thread",
            "threads",
            "processes",
            "concurrency-vs-parallelism",
            "process-lifecycle",
            "restaurant-pool",
            "cpu-to-processes"
        ]
    );
}

#[test]
fn the_site_build_precomputes_what_the_page_looks_for() {
    // src/web/opening.rs's PRECOMPUTED is wasm-only code: read it as text.
    let opening = include_str!("../src/web/opening.rs");
    let build = include_str!("../scripts/build-site.sh");
    let line = opening
        .lines()
        .find(|l| l.starts_with("pub const PRECOMPUTED"))
        .unwrap();
    let pairs: Vec<String> = line
        .split("(\"")
        .skip(1)
        .map(|p| {
            let (id, rest) = p.split_once("\", ").unwrap();
            let cores: String = rest.chars().take_while(char::is_ascii_digit).collect();
            format!("{id}:{cores}")
        })
        .collect();
    assert!(!pairs.is_empty());
    let listed = format!("PRECOMPUTED=\"{}\"", pairs.join(" "));
    assert!(build.contains(&listed), "build-site.sh should say {listed}");
    // The page opens the first scenario at 4 cores: that must be precomputed.
    assert!(pairs.contains(&format!("{}:4", SCENARIOS[0].id)));
}
