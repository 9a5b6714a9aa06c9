//! Nested calls as a lane's spans: at each moment a lane shows the innermost call it is in.
//!
//! A tracer sees calls inside calls (`boil` calls `time.sleep`); a lane of the kitchen shows
//! one state at a time. So the calls of one thread are swept in time order with a stack: a
//! call shows from its start until its end, except where a call inside it shows. Calls that
//! overlap without nesting (a broken file) are cut to their caller's end; time in no call
//! stays a gap.

use crate::core::clock::Nanos;
use crate::core::recorder::Recorder;
use crate::core::trace::State;

/// One call a tracer saw: from `start` to `end`, in nanoseconds of the trace.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub start: Nanos,
    pub end: Nanos,
    pub state: State,
    pub label: String,
}

/// Writes `calls` (of one thread, in any order) into `lane` of `rec`.
pub fn record(rec: &mut Recorder, lane: usize, mut calls: Vec<Call>) {
    calls.retain(|c| c.end > c.start);
    // Outer calls first where two start together.
    crate::core::sort::sort_by(&mut calls, |a, b| {
        a.start.cmp(&b.start).then(b.end.cmp(&a.end))
    });
    let mut stack: Vec<Call> = Vec::new();
    for mut call in calls {
        unwind(rec, lane, &mut stack, call.start);
        if let Some(outer) = stack.last() {
            call.end = call.end.min(outer.end);
        }
        rec.set(lane, call.start, call.state, &call.label, None);
        stack.push(call);
    }
    unwind(rec, lane, &mut stack, Nanos::MAX);
}

/// Ends the calls on `stack` that are over by `until`, showing their callers again.
fn unwind(rec: &mut Recorder, lane: usize, stack: &mut Vec<Call>, until: Nanos) {
    while let Some(top) = stack.last() {
        if top.end > until {
            return;
        }
        let at = top.end;
        stack.pop();
        match stack.last() {
            Some(outer) => rec.set(lane, at, outer.state, &outer.label, None),
            None => rec.close(lane, at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::recorder::TraceHeader;
    use crate::core::trace::LaneKind;

    fn call(start: Nanos, end: Nanos, state: State, label: &str) -> Call {
        Call {
            start,
            end,
            state,
            label: label.into(),
        }
    }

    fn spans(calls: Vec<Call>) -> Vec<(f64, f64, State, String)> {
        let mut rec = Recorder::new(1);
        rec.add_process();
        let lane = rec.add_lane("t".into(), LaneKind::Main, 0, None);
        record(&mut rec, lane, calls);
        let header = TraceHeader {
            scenario: String::new(),
            title: String::new(),
            profile: Default::default(),
            notes: Vec::new(),
            code: None,
        };
        let trace = rec.finish(100, header);
        trace.lanes[0]
            .spans
            .iter()
            .map(|s| (s.start_s * 1e9, s.end_s * 1e9, s.state, s.label.clone()))
            .collect()
    }

    #[test]
    fn the_innermost_call_shows_and_gaps_stay_gaps() {
        let got = spans(vec![
            call(30, 40, State::Sleeping, "sleep"),
            call(10, 50, State::Running, "boil"),
            call(60, 70, State::Running, "late"),
        ]);
        let want = [
            (10.0, 30.0, State::Running, "boil"),
            (30.0, 40.0, State::Sleeping, "sleep"),
            (40.0, 50.0, State::Running, "boil"),
            (60.0, 70.0, State::Running, "late"),
        ];
        assert_eq!(got.len(), want.len(), "{got:?}");
        for (g, w) in got.iter().zip(want) {
            assert!(
                (g.0 - w.0).abs() < 1e-6 && (g.1 - w.1).abs() < 1e-6,
                "{got:?}"
            );
            assert_eq!((g.2, g.3.as_str()), (w.2, w.3));
        }
    }

    #[test]
    fn a_call_that_outlives_its_caller_is_cut() {
        let got = spans(vec![
            call(0, 20, State::Running, "outer"),
            call(10, 90, State::Blocked, "inner"),
        ]);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!((got[1].1 - 20.0).abs() < 1e-6, "{got:?}");
    }
}
