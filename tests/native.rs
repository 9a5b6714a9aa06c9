//! The native runner cooks for real: real sleeps, real sums, real threads and processes
//! (`kitchen work` children), written as the same trace format the simulator writes.

use std::path::Path;

use kitchen::core::trace::{LaneKind, Source, State, Trace};
use kitchen::native::{measure, MeasureError, Work};
use kitchen::scenarios;

const BOIL: f64 = 0.3;

fn measured(id: &str) -> Trace {
    let work = Work::new(BOIL, 2_000_000).unwrap();
    measure(
        scenarios::find(id).unwrap(),
        &work,
        Path::new(env!("CARGO_BIN_EXE_kitchen")),
    )
    .unwrap()
}

fn check_kitchen(trace: &Trace, kind: LaneKind) {
    assert_eq!(trace.source, Source::Native);
    assert!(trace.check().is_ok(), "{:?}", trace.check());
    assert_eq!(trace.lanes.len(), 10);
    assert!(trace.lanes[1..].iter().all(|l| l.kind == kind));
    assert_eq!(trace.prints.len(), 9);
    // Real boils really took the boil time, and they overlapped.
    assert!(trace.makespan_s >= BOIL, "took {} s", trace.makespan_s);
    assert!(
        trace.makespan_s < 3.0 * BOIL,
        "boils did not overlap: {} s",
        trace.makespan_s
    );
    let boiled = trace
        .lanes
        .iter()
        .flat_map(|l| &l.spans)
        .filter(|s| s.state == State::Sleeping);
    // A child may start sleeping before `spawn()` returns to the parent (on a loaded machine
    // the parent is often descheduled right after the fork), so its measured span can be a
    // little shorter than the real sleep.
    assert!(
        boiled.clone().count() == 3
            && boiled
                .into_iter()
                .all(|s| s.end_s - s.start_s >= BOIL * 0.8)
    );
    // The trace reads back as the page would read it.
    assert_eq!(Trace::from_json(&trace.to_json()).unwrap(), *trace);
}

#[test]
fn threads_are_real_threads() {
    check_kitchen(&measured("threads"), LaneKind::Thread);
}

#[test]
fn processes_are_real_processes() {
    let trace = measured("processes");
    check_kitchen(&trace, LaneKind::Process);
    assert_eq!(trace.gil.len(), 10, "each process its own");
}

#[test]
fn asyncio_and_bad_work_are_refused_with_a_message() {
    let exe = Path::new(env!("CARGO_BIN_EXE_kitchen"));
    let err = measure(
        scenarios::find("asyncio-blocking").unwrap(),
        &Work::new(0.1, 10).unwrap(),
        exe,
    )
    .unwrap_err();
    assert!(matches!(err, MeasureError::NotMeasurable(_)));
    assert!(err
        .to_string()
        .contains("only the thread and process scenarios"));
    assert!(Work::new(f64::NAN, 10).is_err());
    assert!(Work::new(1e9, 10).is_err());
    assert!(Work::new(1.0, u64::MAX).is_err());
}
