//! The timeline's layout: the folded axis, zoom and pan, bars that match the trace's spans
//! and stay few, and what hovering a stretch says.

use kitchen::core::profile::Profile;
use kitchen::core::trace::State;
use kitchen::page::describe;
use kitchen::page::replay::Replay;
use kitchen::page::timeline::{
    layout, quiet_stretches, Axis, Fill, RowKind, View, FOLD_SHARE, MAX_LANE_ROWS, MIN_BAR_PX,
};
use kitchen::scenarios::find;

fn replay(id: &str) -> Replay {
    Replay::new(find(id).unwrap().simulate(Profile::default()).unwrap())
}

#[test]
fn the_boil_is_folded_so_the_cpu_part_gets_the_room() {
    let r = replay("threads");
    let quiet = quiet_stretches(&r);
    assert_eq!(quiet.len(), 1);
    // From the last CPU step's end to the first wake-up from the boil.
    let cpu_end = r
        .trace
        .lanes
        .iter()
        .filter(|l| l.name.contains("chop") || l.name.contains("sauce"))
        .map(|l| l.spans.last().unwrap().end_s)
        .fold(0.0, f64::max);
    let first_wake = r
        .trace
        .lanes
        .iter()
        .filter(|l| l.name.contains("boil"))
        .map(|l| {
            l.spans
                .iter()
                .find(|s| s.state == State::Sleeping)
                .unwrap()
                .end_s
        })
        .fold(f64::INFINITY, f64::min);
    assert!(
        (quiet[0].0 - cpu_end).abs() < 1e-9 && (quiet[0].1 - first_wake).abs() < 1e-9,
        "{quiet:?} {cpu_end} {first_wake}"
    );
    let axis = Axis::folded(&r);
    let fold = axis.segments.iter().find(|s| s.folded).unwrap();
    assert!((fold.u1 - fold.u0 - FOLD_SHARE).abs() < 1e-12);
    // The CPU part, 0 to 2.4 s of 30.1, gets most of the width instead of 8 %.
    assert!(axis.u(cpu_end) > 0.9, "{}", axis.u(cpu_end));
    for t in [0.0, 0.5, 2.0, 10.0, 29.0, 30.05, r.end_s()] {
        assert!((axis.t(axis.u(t)) - t).abs() < 1e-9, "round trip at {t}");
    }
    assert!(Axis::linear(r.end_s()).segments.len() == 1);
}

#[test]
fn zoom_and_pan_stay_within_the_run() {
    let v = View::full().zoom(4.0, 0.5);
    assert!((v.width() - 0.25).abs() < 1e-12 && (v.u0 - 0.375).abs() < 1e-12);
    let p = v.pan(10.0);
    assert_eq!((p.u0, p.u1), (0.75, 1.0));
    let back = p.zoom(0.1, 0.9);
    assert_eq!((back.u0, back.u1), (0.0, 1.0));
    assert!(View::full().zoom(1e12, 0.3).width() >= 0.999e-6);
    assert_eq!(View::full().zoom(f64::NAN, 0.5), View::full());
}

#[test]
fn bars_follow_the_spans_and_never_outnumber_the_pixels() {
    for id in [
        "threads",
        "asyncio-to-thread",
        "thousand-threads",
        "thousand-processes",
    ] {
        let r = replay(id);
        let axis = Axis::folded(&r);
        let width = 900.0;
        let l = layout(&r, &axis, View::full(), width);
        let lane_rows = l
            .rows
            .iter()
            .filter(|row| matches!(row.kind, RowKind::Lane(_)))
            .count();
        assert!(lane_rows <= MAX_LANE_ROWS);
        let total: usize = l.rows.iter().map(|row| row.bars.len()).sum();
        for row in &l.rows {
            assert!(
                row.bars.len() as f64 <= width / MIN_BAR_PX + 2.0,
                "{id}: {:?} has {} bars",
                row.kind,
                row.bars.len()
            );
            assert!(
                row.bars.windows(2).all(|w| w[0].x1 <= w[1].x0 + 1e-9),
                "{id}: bars in order"
            );
            let RowKind::Lane(lane) = row.kind else {
                continue;
            };
            for bar in row.bars.iter().filter(|b| matches!(b.fill, Fill::State(_))) {
                let Fill::State(state) = bar.fill else {
                    unreachable!()
                };
                let mid = (bar.t0 + bar.t1) / 2.0;
                let span = r.span_at(lane, mid).unwrap();
                assert_eq!(span.state, state, "{id}: lane {lane} at {mid}");
            }
        }
        assert!(total < 2500, "{id}: {total} bars");
        if r.trace.lanes.len() > MAX_LANE_ROWS {
            assert!(l.rows.iter().any(|row| matches!(row.kind, RowKind::More(n) if n == r.trace.lanes.len() - MAX_LANE_ROWS)));
        }
    }
}

#[test]
fn a_zoomed_view_draws_the_five_ms_turns_one_by_one() {
    let r = replay("threads");
    let axis = Axis::linear(r.end_s());
    // 1.0 to 1.1 s: twenty 5 ms turns on the GIL row, each a bar of its own.
    let u0 = axis.u(1.0);
    let view = View {
        u0,
        u1: axis.u(1.1),
    };
    let l = layout(&r, &axis, view, 1000.0);
    let gil = l
        .rows
        .iter()
        .find(|row| matches!(row.kind, RowKind::Gil(0)))
        .unwrap();
    let held: Vec<_> = gil
        .bars
        .iter()
        .filter(|b| matches!(b.fill, Fill::Held(_)) && b.x1 > 0.0 && b.x0 < 1000.0)
        .collect();
    let expected = r.trace.gil[0]
        .held
        .iter()
        .filter(|h| h.end_s > 1.0 && h.start_s < 1.1)
        .count();
    assert_eq!(held.len(), expected);
    assert!((19..=22).contains(&expected), "{expected}");
    for b in &held {
        assert!((b.x1 - b.x0) > 40.0 || b.x0 <= 0.0 || b.x1 >= 1000.0);
    }
}

#[test]
fn hovering_a_stretch_says_who_what_when_and_why() {
    let r = replay("threads");
    let lane = r
        .trace
        .lanes
        .iter()
        .find(|l| l.name == "order 1 · chop")
        .unwrap()
        .id;
    let span = r.trace.lanes[lane]
        .spans
        .iter()
        .find(|s| s.state == State::WaitingGil && s.start_s > 1.0)
        .unwrap();
    let mid = (span.start_s + span.end_s) / 2.0;
    let holder = r.trace.gil[0]
        .held
        .iter()
        .find(|h| h.start_s <= mid && mid < h.end_s)
        .unwrap()
        .lane;
    let text = describe::stretch(&r, RowKind::Lane(lane), mid).unwrap();
    assert!(
        text.starts_with("order 1 · chop · waiting for the GIL · "),
        "{text}"
    );
    assert!(text.contains("line 24"), "{text}");
    assert!(
        text.ends_with(&format!("waits for the GIL, held by {}", r.name(holder))),
        "{text}"
    );
    let gil = describe::stretch(&r, RowKind::Gil(0), mid).unwrap();
    assert!(
        gil.starts_with(&format!("GIL · held by {}", r.name(holder))),
        "{gil}"
    );
    assert_eq!(
        describe::stretch(&r, RowKind::Core(3), mid),
        None,
        "core 3 is idle"
    );
}
