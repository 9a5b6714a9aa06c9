//! Traces are what every producer writes and the page reads, and they also arrive from outside
//! (files, links). A trace must survive a round trip unchanged; a bad one must be refused with
//! a message, never a panic.

use kitchen::core::profile::Profile;
use kitchen::core::trace::{Trace, TraceError};
use kitchen::scenarios;

fn threads_trace() -> Trace {
    scenarios::find("threads")
        .unwrap()
        .simulate(Profile::default())
        .unwrap()
}

#[test]
fn a_trace_survives_a_json_round_trip() {
    let trace = threads_trace();
    let back = Trace::from_json(&trace.to_json()).expect("own traces are valid");
    assert_eq!(back, trace);
}

#[test]
fn garbage_is_refused_as_malformed() {
    for text in [
        "",
        "not json",
        "[]",
        "{\"format\": 1}",
        "{\"format\": \"x\"}",
    ] {
        let err = Trace::from_json(text).unwrap_err();
        assert!(
            matches!(err, TraceError::Malformed(_)),
            "{text:?} gave {err:?}"
        );
        assert!(err.to_string().starts_with("not a kitchen trace"));
    }
}

#[test]
fn a_future_format_is_named_in_the_message() {
    let mut trace = threads_trace();
    trace.format = 99;
    let err = Trace::from_json(&trace.to_json()).unwrap_err();
    assert_eq!(err, TraceError::UnknownFormat(99));
    assert!(err.to_string().contains("format 99"));
}

#[test]
fn inconsistent_traces_are_refused() {
    let mut backwards = threads_trace();
    backwards.lanes[1].spans[0].end_s = -1.0;
    let mut orphan_print = threads_trace();
    orphan_print.prints[0].lane = 10_000;
    let mut bad_gil = threads_trace();
    bad_gil.gil[0].held[0].lane = 77_777;
    let mut too_many_cores = threads_trace();
    too_many_cores.profile.cores = 4_000_000;
    for (what, trace) in [
        ("backwards", backwards),
        ("orphan print", orphan_print),
        ("bad gil", bad_gil),
        ("cores", too_many_cores),
    ] {
        let err = Trace::from_json(&trace.to_json());
        assert!(
            matches!(
                err,
                Err(TraceError::Inconsistent(_)) | Err(TraceError::TooLarge(_))
            ),
            "{what}: {err:?}"
        );
    }
}

#[test]
fn non_finite_times_cannot_sneak_in() {
    // JSON has no NaN; a huge exponent is the closest an attacker gets, and must not pass.
    let text = threads_trace()
        .to_json()
        .replacen("\"makespan_s\": ", "\"makespan_s\": 1e999", 1);
    assert!(Trace::from_json(&text).is_err());
}
