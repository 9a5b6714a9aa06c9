//! wasm tests, run in headless Chromium by `wasm-bindgen-test-runner` (`make test`).
//! They check what only the browser build can: the Yew app mounts and renders the picker and
//! the timeline, the exported CPU step is right in wasm, and bad input does not panic there.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use kitchen::core::profile::Profile;
use kitchen::core::scenarios::SCENARIOS;
use kitchen::core::trace::Trace;
use kitchen::web::app::App;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

#[wasm_bindgen_test]
async fn the_app_mounts_with_every_scenario_and_a_timeline() {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::platform::time::sleep(Duration::from_millis(50)).await;

    let options = root.query_selector_all("#scenario option").unwrap();
    assert_eq!(options.length() as usize, SCENARIOS.len());
    assert!(root.query_selector("svg.timeline").unwrap().is_some());
    let gil_rows = root
        .query_selector_all(".timeline .row.gil")
        .unwrap()
        .length();
    assert_eq!(gil_rows, 1, "asyncio-blocking runs in one process");
    let clock = root
        .query_selector("#clock")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(clock.starts_with("t = 0.000 s"), "{clock}");

    // Skip to the end: the total and the CPU-busy share appear.
    let end: web_sys::HtmlElement = root
        .query_selector("#end")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    end.click();
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    let result = root
        .query_selector("#result")
        .unwrap()
        .expect("result shown")
        .text_content()
        .unwrap();
    assert!(
        result.contains("Total time 32.400 s") && result.contains("CPU busy"),
        "{result}"
    );
}

#[wasm_bindgen_test]
fn the_cpu_step_is_the_real_sum_in_wasm() {
    assert_eq!(kitchen::web::cpu_step(10_000_000), "333333283333335000000");
    assert_eq!(kitchen::web::cpu_step(0), "0");
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
