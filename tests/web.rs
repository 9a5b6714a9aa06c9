//! wasm tests, run in headless Chromium by `wasm-bindgen-test-runner` (`make test`).
//! They check what only the browser build can: the Yew app mounts and renders the picker and
//! the timeline, the live kitchen's CPU step is right in wasm, and bad input does not panic there;
//! the code panel lists a program, highlights where each lane of a hand-built trace is at a
//! time, and shows a failed run's error at its line.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use kitchen::core::profile::Profile;
use kitchen::core::trace::Trace;
use kitchen::scenarios::SCENARIOS;
use kitchen::web::app::App;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Waits (up to 20 s) until `selector` matches under `root`: the app asks the engine door for
/// its trace asynchronously, after a paint.
async fn wait_for(root: &web_sys::Element, selector: &str) -> web_sys::Element {
    for _ in 0..400 {
        if let Some(found) = root.query_selector(selector).unwrap() {
            return found;
        }
        yew::platform::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{selector} never appeared");
}

#[wasm_bindgen_test]
async fn the_app_mounts_with_every_scenario_a_scene_and_a_timeline() {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    wait_for(&root, "#scene").await;

    // The picker lists the course: every scenario as a lesson, then the comparison and the guide.
    let options = root.query_selector_all("#scenario option").unwrap();
    assert_eq!(options.length() as usize, SCENARIOS.len() + 2);
    assert_eq!(options.length() as usize, kitchen::lessons::stops().count());
    assert!(root.query_selector("svg.timeline").unwrap().is_some());
    let scene = root.query_selector("#scene").unwrap().unwrap();
    assert_eq!(scene.get_attribute("data-kind").as_deref(), Some("asyncio"));
    assert!(
        root.query_selector("#event-loop").unwrap().is_some(),
        "an event loop is drawn"
    );
    // One thread: its GIL is its own running time, drawn in its lane, not in a row of its own.
    let gil_rows = root
        .query_selector_all(".timeline g.row[data-row^='gil-']")
        .unwrap()
        .length();
    assert_eq!(gil_rows, 0, "asyncio-blocking runs one thread");
    let clock = root
        .query_selector("#clock")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    // At the start; as many digits as tell the first moments apart.
    assert!(
        clock.starts_with("t = 0.000") && clock.contains(" s of 32.400 s"),
        "{clock}"
    );

    // Skip to the end: the total and the CPU-busy share appear.
    let end: web_sys::HtmlElement = root
        .query_selector("#end")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    end.click();
    let result = wait_for(&root, "#result").await.text_content().unwrap();
    assert!(
        result.contains("Total time 32.400 s") && result.contains("CPU busy"),
        "{result}"
    );
}

#[wasm_bindgen_test]
fn the_cpu_step_is_the_real_sum_in_wasm() {
    // The live kitchen's chefs cook `sum(i * i for i in range(a, b))`; they report its low
    // 48 bits (333333283333335000000 mod 2**48).
    assert_eq!(
        kitchen::web::chef_worker::chef_cook(0.0, 10_000_000.0),
        201338437870528.0
    );
    assert_eq!(kitchen::web::chef_worker::chef_cook(0.0, 0.0), 0.0);
    assert_eq!(kitchen::web::chef_worker::chef_cook(3.0, 5.0), 25.0);
}

#[wasm_bindgen_test]
fn simulations_and_bad_traces_do_not_panic_in_wasm() {
    for s in SCENARIOS {
        assert!(
            s.simulate(Profile {
                cores: 2,
                ..Profile::default()
            })
            .is_ok(),
            "{}",
            s.id
        );
    }
    assert!(Trace::from_json("{\"format\": 1, \"lanes\": 7}").is_err());
}

// --- The code panel ------------------------------------------------------------------------

use kitchen::core::trace::{Lane, LaneKind, Source, Span, State, TRACE_FORMAT};
use kitchen::page::code_view;
use kitchen::web::code_panel::{CodePanel, Props as CodePanelProps, RunState};
use kitchen::web::url;

/// A fresh element in the page to mount a component on.
fn mount_point() -> web_sys::Element {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    root
}

fn texts(root: &web_sys::Element, selector: &str) -> Vec<String> {
    let found = root.query_selector_all(selector).unwrap();
    (0..found.length())
        .filter_map(|i| found.item(i))
        .map(|n| n.text_content().unwrap_or_default())
        .collect()
}

fn attributes(root: &web_sys::Element, selector: &str, name: &str) -> Vec<String> {
    let found = root.query_selector_all(selector).unwrap();
    (0..found.length())
        .filter_map(|i| found.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .filter_map(|e| e.get_attribute(name))
        .collect()
}

fn click(root: &web_sys::Element, selector: &str) {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("{selector} not found"))
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap()
        .click();
}

const PROGRAM: &str = "import threading

def work():
    sum(i * i for i in range(10**6))

t = threading.Thread(target=work)
t.start()
t.join()
";

/// A trace of [`PROGRAM`] built by hand, as the interpreter will write one: the main thread
/// runs lines 6 and 7, then waits in `join` on line 8; the thread runs line 4, and waits for the
/// GIL there for a while.
fn hand_built_trace() -> Trace {
    let span = |start_s: f64, end_s: f64, state: State, line: u32| Span {
        start_s,
        end_s,
        state,
        label: String::new(),
        core: None,
        line: Some(line),
        wait: None,
    };
    let lane = |id: usize, name: &str, kind: LaneKind, spans: Vec<Span>| Lane {
        id,
        name: name.into(),
        kind,
        process: 0,
        parent: None,
        spans,
    };
    Trace {
        format: TRACE_FORMAT,
        scenario: "program.py".into(),
        title: "program.py".into(),
        source: Source::Simulated,
        profile: Profile::default(),
        notes: vec![],
        code: Some(PROGRAM.into()),
        makespan_s: 3.0,
        peak_memory_bytes: 0,
        lanes: vec![
            lane(
                0,
                "MainThread",
                LaneKind::Main,
                vec![
                    span(0.0, 0.5, State::Running, 6),
                    span(0.5, 1.0, State::Running, 7),
                    span(1.0, 3.0, State::Blocked, 8),
                ],
            ),
            lane(
                1,
                "Thread-1",
                LaneKind::Thread,
                vec![
                    span(1.0, 2.0, State::Running, 4),
                    span(2.0, 3.0, State::WaitingGil, 4),
                ],
            ),
        ],
        gil: vec![],
        cores: vec![],
        prints: vec![],
        events: vec![],
        memory: vec![],
    }
}

async fn render_panel(props: CodePanelProps) -> web_sys::Element {
    let root = mount_point();
    yew::Renderer::<CodePanel>::with_root_and_props(root.clone(), props).render();
    yew::platform::time::sleep(Duration::from_millis(30)).await;
    root
}

#[wasm_bindgen_test]
async fn the_code_panel_lists_the_program_with_line_numbers() {
    let root = render_panel(CodePanelProps {
        code: Some(PROGRAM.into()),
        active: vec![],
        run: RunState::Idle,
        share: kitchen::web::code_panel::Share::None,
        on_run: Default::default(),
    })
    .await;
    assert_eq!(
        texts(&root, ".code-line .line-no"),
        ["1", "2", "3", "4", "5", "6", "7", "8"]
    );
    assert_eq!(
        texts(&root, ".code-line .line-text"),
        PROGRAM.lines().collect::<Vec<_>>()
    );
    assert!(texts(&root, ".active-line").is_empty());
    assert!(root.query_selector("#code-error").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn the_code_panel_highlights_where_each_lane_is_at_a_time() {
    let trace = hand_built_trace();
    let panel_at = |t_s: f64| CodePanelProps {
        code: trace.code.clone().map(Into::into),
        active: code_view::active_lines(&trace, t_s),
        run: RunState::Idle,
        share: kitchen::web::code_panel::Share::None,
        on_run: Default::default(),
    };

    // At 0.25 s only the main thread runs, on line 6.
    let root = render_panel(panel_at(0.25)).await;
    assert_eq!(attributes(&root, ".active-line", "data-line"), ["6"]);
    // A tag is the lane's number badge and its name.
    assert_eq!(texts(&root, ".active-line .lane-tag"), ["0MainThread"]);

    // At 1.5 s main waits in join (line 8) while the thread runs line 4: two lines, each
    // tagged with its lane, with a swatch of its state.
    let root = render_panel(panel_at(1.5)).await;
    assert_eq!(attributes(&root, ".active-line", "data-line"), ["4", "8"]);
    assert_eq!(
        texts(&root, ".active-line .lane-tag"),
        ["1Thread-1", "0MainThread"]
    );
    // Each tag carries its lane's number badge (identity), not a colour.
    assert_eq!(texts(&root, ".active-line .lane-tag .badge"), ["1", "0"]);
    assert_eq!(attributes(&root, ".lane-tag", "data-lane"), ["1", "0"]);
    assert!(root
        .query_selector("[data-line='8'] .lane-tag .swatch.s-blocked")
        .unwrap()
        .is_some());

    // At 2.5 s the thread waits for the GIL on line 4; after the end nothing is highlighted.
    let root = render_panel(panel_at(2.5)).await;
    assert!(root
        .query_selector("[data-line='4'] .swatch.s-waiting-gil")
        .unwrap()
        .is_some());
    let root = render_panel(panel_at(3.0)).await;
    assert!(texts(&root, ".active-line").is_empty());
}

#[wasm_bindgen_test]
async fn a_failed_run_shows_its_error_at_its_line_and_keeps_the_trace() {
    let original_url = web_sys::window().unwrap().location().href().unwrap();
    let root = mount_point();
    yew::Renderer::<App>::with_root(root.clone()).render();
    wait_for(&root, "#code-listing").await;
    assert!(
        root.query_selector("#code-empty").unwrap().is_none(),
        "a scenario shows its program"
    );
    assert!(
        texts(&root, "#code-listing")
            .join("")
            .contains("asyncio.run(main())"),
        "the first scenario's code is shown"
    );
    let clock_before = texts(&root, "#clock");

    click(&root, "#edit-code");
    yew::platform::time::sleep(Duration::from_millis(30)).await;
    let source = "x = 1\ndef (:\n";
    let editor: web_sys::HtmlTextAreaElement = root
        .query_selector("#code-editor")
        .unwrap()
        .expect("the editor opens")
        .dyn_into()
        .unwrap();
    assert_eq!(editor.get_attribute("spellcheck").as_deref(), Some("false"));
    editor.set_value(source);
    let input = web_sys::Event::new_with_event_init_dict("input", &{
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        init
    })
    .unwrap();
    editor.dispatch_event(&input).unwrap();
    yew::platform::time::sleep(Duration::from_millis(30)).await;
    click(&root, "#run-code");
    wait_for(&root, "#code-error").await;

    // Whatever the interpreter says (today a placeholder, later a syntax error), the page shows
    // it as `line L, column C: message` and marks line L.
    let expected = kitchen::python::run(source, "program.py", Profile::default())
        .expect_err("not valid Python");
    assert_eq!(
        texts(&root, "#code-error"),
        [code_view::describe_error(&expected)]
    );
    assert!(texts(&root, "#code-error")[0].starts_with("line "));
    assert_eq!(
        attributes(&root, ".error-line", "data-line"),
        [expected.line.to_string()]
    );
    assert_eq!(
        texts(&root, ".code-line .line-text")[..2],
        ["x = 1", "def (:"]
    );
    assert_eq!(
        texts(&root, "#clock"),
        clock_before,
        "the previous trace stays"
    );
    assert!(root.query_selector("svg.timeline").unwrap().is_some());
    let address = web_sys::window().unwrap().location().search().unwrap();
    assert!(address.contains("code=x+%3D+1%0Adef"), "{address}");

    // Other tests mount the app too: leave the address as it was.
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&original_url))
        .unwrap();
}

#[wasm_bindgen_test]
fn the_code_parameter_is_read_and_checked() {
    let p = url::parse("?code=print(%22hi%22)%0Ax+%3D+1&scenario=threads");
    assert_eq!(p.code.as_deref(), Some("print(\"hi\")\nx = 1"));
    assert_eq!(p.scenario, "threads");
    assert!(p.notes.is_empty(), "{:?}", p.notes);

    let p = url::parse("?code=");
    assert_eq!(p.code, None);
    assert!(p.notes[0].contains("empty"), "{:?}", p.notes);

    // Broken percent-encoding and invalid UTF-8 are decoded leniently, and named.
    let p = url::parse("?code=print(%FF%ZZ)");
    assert!(p.code.is_some());
    assert!(p.notes[0].contains("not valid UTF-8"), "{:?}", p.notes);

    let long = "x".repeat(code_view::MAX_SHARED_CODE_BYTES + 1);
    let p = url::parse(&format!("?code={long}"));
    assert_eq!(p.code, None);
    assert!(p.notes[0].contains("more than the 16384"), "{:?}", p.notes);
}
