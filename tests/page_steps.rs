//! The moments ←/→ step to, and the narration of each: checked against the raw trace of the
//! built-in scenarios (span boundaries, prints, the GIL timeline, the simulator's events).

use kitchen::core::profile::Profile;
use kitchen::core::trace::{EventKind, State};
use kitchen::page::narration;
use kitchen::page::replay::Replay;
use kitchen::page::steps::{self, HandoffWhy, Happening};
use kitchen::scenarios::{find, SCENARIOS};

fn replay(id: &str) -> Replay {
    Replay::new(find(id).unwrap().simulate(Profile::default()).unwrap())
}

#[test]
fn moments_are_in_order_and_cover_every_change_and_print() {
    for id in [
        "asyncio-blocking",
        "asyncio-to-thread",
        "threads",
        "processes",
    ] {
        let r = replay(id);
        let times: Vec<f64> = r.moments.iter().map(|m| m.t_s).collect();
        assert!(
            times.windows(2).all(|w| w[0] < w[1]),
            "{id}: strictly increasing"
        );
        let has = |t: f64| times.binary_search_by(|x| x.total_cmp(&t)).is_ok();
        for p in &r.trace.prints {
            assert!(has(p.t_s), "{id}: the print at {} is a moment", p.t_s);
        }
        for lane in &r.trace.lanes {
            for w in lane.spans.windows(2) {
                if w[1].state != w[0].state && w[1].end_s > w[1].start_s {
                    assert!(
                        has(w[1].start_s),
                        "{id}: {} changes state at {}",
                        lane.name,
                        w[1].start_s
                    );
                }
            }
            assert!(has(lane.spans[0].start_s) && has(lane.spans.last().unwrap().end_s));
        }
        // Stepping from each moment lands on the next one, and back.
        for i in 0..r.moments.len() - 1 {
            assert_eq!(steps::next_after(&r.moments, times[i]), Some(i + 1));
            assert_eq!(steps::previous_before(&r.moments, times[i + 1]), Some(i));
            assert_eq!(steps::current(&r.moments, times[i]), Some(i));
        }
    }
}

#[test]
fn gil_switches_read_off_the_timeline_agree_with_the_simulators_events() {
    for id in ["threads", "asyncio-to-thread"] {
        let r = replay(id);
        let forced: Vec<f64> = r
            .moments
            .iter()
            .flat_map(|m| m.happenings.iter().map(move |h| (m.t_s, h)))
            .filter(|(_, h)| {
                matches!(
                    h,
                    Happening::Handoff {
                        why: HandoffWhy::SwitchInterval,
                        ..
                    }
                )
            })
            .map(|(t, _)| t)
            .collect();
        let said: Vec<f64> = r
            .trace
            .events
            .iter()
            .filter(|e| e.kind == EventKind::GilHandoff && e.detail.contains("switch interval"))
            .map(|e| e.t_s)
            .collect();
        assert_eq!(forced, said, "{id}");
        assert!(
            forced.len() > 400,
            "{id}: hundreds of 5 ms turns ({})",
            forced.len()
        );
    }
}

#[test]
fn asyncio_blocking_has_late_timers_and_slow_steps() {
    let r = replay("asyncio-blocking");
    let all: Vec<(f64, Happening)> = r
        .moments
        .iter()
        .flat_map(|m| m.happenings.iter().map(move |h| (m.t_s, *h)))
        .collect();
    let due: Vec<(f64, &str)> = all
        .iter()
        .filter_map(|(t, h)| match h {
            Happening::TimerDue { lane, .. } => Some((*t, r.name(*lane))),
            _ => None,
        })
        .collect();
    // The three orders' 30 s timers end microseconds apart: the loop's one wake-up (its
    // `select()` waits whole milliseconds) moves them all to the ready queue, as CPython's
    // `_run_once` does, so Task-3 and Task-4 are ready, not parked past their timers, while
    // Task-2's blocking steps run: no timer rings late.
    assert!(due.is_empty(), "{due:?}");
    let ready_at = |name: &str| {
        let lane = r.trace.lanes.iter().find(|l| l.name == name).unwrap();
        lane.spans
            .iter()
            .find(|s| s.state == State::Ready && s.start_s > 1.0)
            .unwrap()
            .start_s
    };
    let woke = ready_at("Task-3 cook()");
    assert!((30.0..30.001).contains(&woke), "{woke}");
    assert_eq!(ready_at("Task-4 cook()"), woke);
    let slow: Vec<f64> = all
        .iter()
        .filter_map(|(t, h)| matches!(h, Happening::SlowStep { .. }).then_some(*t))
        .collect();
    assert_eq!(slow.len(), 3, "each order's blocking step passes 100 ms");
    for t in slow {
        let m = &r.moments[steps::current(&r.moments, t).unwrap()];
        assert!(narration::sentence(&r, m).contains("frozen"));
    }
}

#[test]
fn the_narration_tells_each_kind_of_moment_in_the_kitchens_words() {
    let r = replay("asyncio-blocking");
    let say = |t: f64| narration::sentence(&r, &r.moments[steps::current(&r.moments, t).unwrap()]);
    let task2_await = r.trace.lanes[2]
        .spans
        .iter()
        .find(|s| s.state == State::Awaiting)
        .unwrap()
        .start_s;
    assert_eq!(
        say(task2_await),
        "Task-2 cook() awaits asyncio.sleep(30); the loop turns to Task-3 cook()."
    );
    assert_eq!(
        say(r.trace.prints[0].t_s),
        "Task-2 cook() prints “order 1: pasta ready”."
    );
    assert!(say(1.0).starts_with("Nothing is ready: the event loop waits for its next timer"));

    let r = replay("threads");
    let say = |t: f64| narration::sentence(&r, &r.moments[steps::current(&r.moments, t).unwrap()]);
    let held = &r.trace.gil[0].held;
    // A forced switch: the old holder held it 5 ms; the new one asked.
    let i = held.iter().position(|h| h.start_s > 1.0).unwrap();
    let (a, b) = (r.name(held[i - 1].lane), r.name(held[i].lane));
    assert_eq!(
        say(held[i].start_s),
        format!("{a} has held the GIL for 5 ms and must let {b} run: {b} asked for it after waiting the 5 ms switch interval.")
    );
    // Far past the last change (the boil), the sentence says since when it holds.
    let last = &r.moments[steps::current(&r.moments, 15.0).unwrap()];
    assert_eq!(
        narration::at_cursor(&r, 15.0),
        format!(
            "Since {}: {}",
            narration::at(last.t_s),
            narration::sentence(&r, last)
        )
    );
    assert_eq!(
        narration::at_cursor(&r, last.t_s),
        narration::sentence(&r, last)
    );
    let first_start = r.trace.lanes[1].spans[0].start_s;
    assert!(
        say(first_start).contains("The new thread order 1 · boil takes the GIL"),
        "{}",
        say(first_start)
    );

    let r = replay("thousand-processes");
    let say = |t: f64| narration::sentence(&r, &r.moments[steps::current(&r.moments, t).unwrap()]);
    let last_start = r.trace.lanes[0]
        .spans
        .iter()
        .rev()
        .find(|s| s.state == State::Spawning)
        .unwrap();
    assert_eq!(
        say(last_start.start_s),
        format!(
            "main starts pot 1000: {} of work for the OS.",
            narration::duration(last_start.end_s - last_start.start_s)
        )
    );
}

#[test]
fn every_moment_of_every_scenario_has_a_sentence_and_the_log_sums_up_repeats() {
    for s in SCENARIOS {
        let r = replay(s.id);
        for m in &r.moments {
            assert!(
                !narration::sentence(&r, m).is_empty(),
                "{} at {}",
                s.id,
                m.t_s
            );
        }
        let log = narration::log(&r);
        let times: Vec<f64> = r.moments.iter().map(|m| m.t_s).collect();
        assert!(
            log.iter().all(|l| times.contains(&l.t_s)),
            "{}: log lines are moments",
            s.id
        );
        assert!(log.windows(2).all(|w| w[0].t_s <= w[1].t_s));
        if s.id.starts_with("thousand") {
            assert!(
                log.len() < 40,
                "{}: {} lines for {} moments",
                s.id,
                log.len(),
                r.moments.len()
            );
            assert!(log
                .iter()
                .any(|l| l.text.contains("the same") && l.text.contains("more times")));
        }
    }
}

/// The times of the forced switches ←/→ step to.
fn forced_switches(r: &Replay) -> Vec<f64> {
    r.moments
        .iter()
        .flat_map(|m| m.happenings.iter().map(move |h| (m.t_s, h)))
        .filter(|(_, h)| {
            matches!(
                h,
                Happening::Handoff {
                    why: HandoffWhy::SwitchInterval,
                    ..
                }
            )
        })
        .map(|(t, _)| t)
        .collect()
}

#[test]
fn forced_switches_are_the_traces_drop_requests_and_derived_only_without_them() {
    for id in ["threads", "asyncio-to-thread"] {
        let mut trace = find(id).unwrap().simulate(Profile::default()).unwrap();
        let requests: Vec<f64> = trace
            .events
            .iter()
            .filter(|e| e.kind == EventKind::GilDropRequest)
            .map(|e| e.t_s)
            .collect();
        assert!(requests.len() > 400, "{id}: {}", requests.len());
        // Without the hand-off events' words, the drop requests say which switches were forced.
        trace.events.retain(|e| e.kind != EventKind::GilHandoff);
        let r = Replay::new(trace.clone());
        assert!(r.drop_requests.is_some());
        assert_eq!(forced_switches(&r), requests, "{id}");
        // A trace that records neither (a measured run): derived from the timeline, and the
        // derivation finds the same switches here.
        trace.events.retain(|e| e.kind != EventKind::GilDropRequest);
        let derived = Replay::new(trace);
        assert!(derived.drop_requests.is_none());
        assert_eq!(forced_switches(&derived), requests, "{id}: derived");
    }
}
