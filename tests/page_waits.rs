//! What a waiting chef waits for: from `Span.wait` when the producer fills it (hand-built
//! traces here carry it, as the interpreter will), and from the labels and states when it does
//! not (today's traces, measured runs). The scene joins parked tasks and blocked chefs to their
//! wakers with it.

use kitchen::core::profile::Profile;
use kitchen::core::trace::{
    GilTimeline, Holding, Lane, LaneKind, Source, Span, State, Trace, Wait, WaitOn, TRACE_FORMAT,
};
use kitchen::page::replay::Replay;
use kitchen::page::scene::Scene;
use kitchen::page::waits::wait_of;

fn span(start_s: f64, end_s: f64, state: State, label: &str, wait: Option<Wait>) -> Span {
    Span {
        start_s,
        end_s,
        state,
        label: label.into(),
        core: None,
        line: Some(1),
        wait,
    }
}

fn lane(id: usize, name: &str, kind: LaneKind, parent: Option<usize>, spans: Vec<Span>) -> Lane {
    Lane {
        id,
        name: name.into(),
        kind,
        process: 0,
        parent,
        spans,
    }
}

fn wait(on: WaitOn, what: &str, until_s: Option<f64>, lane: Option<usize>) -> Option<Wait> {
    Some(Wait {
        on,
        what: what.into(),
        until_s,
        lane,
    })
}

/// An event loop (lane 0) with two tasks: Task-1 awaits a `to_thread` future that the helper
/// (lane 3) completes, Task-2 awaits `asyncio.sleep(2)` until 2.5 s; the helper waits for a
/// lock that lane 4 holds, then runs. Every wait is said in `Span.wait`, with labels that the
/// fallback could not read, so only `wait` can explain them.
fn with_waits() -> Trace {
    let trace = Trace {
        format: TRACE_FORMAT,
        scenario: "hand-built".into(),
        title: "hand-built".into(),
        source: Source::Simulated,
        profile: Profile::default(),
        notes: vec![],
        code: None,
        makespan_s: 4.0,
        peak_memory_bytes: 0,
        lanes: vec![
            lane(
                0,
                "main",
                LaneKind::Main,
                None,
                vec![
                    span(0.0, 0.5, State::Running, "", None),
                    span(
                        0.5,
                        4.0,
                        State::Idle,
                        "",
                        wait(WaitOn::Timer, "the next timer", Some(2.5), None),
                    ),
                ],
            ),
            lane(
                1,
                "Task-1 work()",
                LaneKind::Task,
                Some(0),
                vec![
                    span(0.0, 0.25, State::Running, "", None),
                    span(
                        0.25,
                        4.0,
                        State::Awaiting,
                        "x",
                        wait(WaitOn::Future, "asyncio.to_thread(chop)", None, Some(3)),
                    ),
                ],
            ),
            lane(
                2,
                "Task-2 nap()",
                LaneKind::Task,
                Some(0),
                vec![
                    span(0.25, 0.5, State::Running, "", None),
                    span(
                        0.5,
                        4.0,
                        State::Awaiting,
                        "y",
                        wait(WaitOn::Timer, "asyncio.sleep(2)", Some(2.5), None),
                    ),
                ],
            ),
            lane(
                3,
                "asyncio_0",
                LaneKind::PoolWorker,
                None,
                vec![
                    span(
                        0.3,
                        1.0,
                        State::Blocked,
                        "z",
                        wait(WaitOn::Lock, "lock.acquire()", None, Some(4)),
                    ),
                    span(1.0, 4.0, State::Running, "chop()", None),
                ],
            ),
            lane(
                4,
                "holder",
                LaneKind::Thread,
                None,
                vec![span(
                    0.0,
                    1.0,
                    State::Sleeping,
                    "w",
                    wait(WaitOn::Timer, "time.sleep(1)", Some(1.0), None),
                )],
            ),
        ],
        gil: vec![GilTimeline {
            process: 0,
            held: vec![Holding {
                start_s: 1.0,
                end_s: 4.0,
                lane: 3,
            }],
        }],
        cores: vec![],
        prints: vec![],
        events: vec![],
        memory: vec![],
    };
    trace.check().expect("a consistent hand-built trace");
    trace
}

#[test]
fn the_producers_wait_is_used_as_it_says() {
    let trace = with_waits();
    let w = wait_of(&trace, &trace.lanes[1], &trace.lanes[1].spans[1]).unwrap();
    assert_eq!(
        (w.on, w.what.as_str(), w.lane),
        (WaitOn::Future, "asyncio.to_thread(chop)", Some(3))
    );
    let r = Replay::new(trace);
    let scene = Scene::at(&r, 0.8);
    let k = &scene.kitchens[0];
    let l = k.event_loop.as_ref().unwrap();
    // The task parked on the future is joined to the helper thread that will complete it.
    assert_eq!(l.parked.len(), 1);
    assert_eq!(l.parked[0].task.name, "Task-1 work()");
    assert_eq!(l.parked[0].on, WaitOn::Future);
    assert_eq!(l.parked[0].waker.as_ref().unwrap().name, "asyncio_0");
    // The sleeping task is a pot with the timer the producer gave.
    assert_eq!(l.pots.len(), 1);
    assert_eq!(l.pots[0].until_s, 2.5);
    assert!((l.pots[0].left_s - 1.7).abs() < 1e-12);
    assert_eq!(l.pots[0].what, "asyncio.sleep(2)");
    // The helper blocked on a lock names who holds it.
    let helper = k.chefs.iter().find(|c| c.who.lane == 3).unwrap();
    assert_eq!(helper.wait.as_ref().unwrap().on, WaitOn::Lock);
    assert_eq!(helper.waker.as_ref().unwrap().name, "holder");
    assert_eq!(
        helper.wait_text().unwrap(),
        "waits for lock.acquire(): holder will end it"
    );
}

#[test]
fn without_wait_the_labels_still_say_what_is_awaited() {
    let mut trace = with_waits();
    for lane in &mut trace.lanes {
        for s in &mut lane.spans {
            s.wait = None;
        }
    }
    trace.lanes[2].spans[1].label = "sleep 2.0".into();
    trace.lanes[1].spans[1].label = "in a thread".into();
    trace.lanes[3].spans[0].label = "join holder".into();
    trace.lanes[4].spans[0].label = "time.sleep(1)".into();
    let at = |lane: usize, i: usize| {
        wait_of(&trace, &trace.lanes[lane], &trace.lanes[lane].spans[i]).unwrap()
    };
    let nap = at(2, 1);
    assert_eq!(
        (nap.on, nap.what.as_str(), nap.until_s),
        (WaitOn::Timer, "asyncio.sleep(2)", Some(2.5))
    );
    let helper = at(1, 1);
    assert_eq!(
        (helper.on, helper.lane),
        (WaitOn::Future, None),
        "the fallback cannot tell which helper"
    );
    let join = at(3, 0);
    assert_eq!(
        (join.on, join.lane),
        (WaitOn::Thread, Some(4)),
        "a join names its thread"
    );
    let sleep = at(4, 0);
    assert_eq!((sleep.on, sleep.until_s), (WaitOn::Timer, Some(1.0)));
    // A label the fallback does not know says nothing rather than something wrong.
    trace.lanes[3].spans[0].label = "something new".into();
    assert_eq!(
        wait_of(&trace, &trace.lanes[3], &trace.lanes[3].spans[0]),
        None
    );
}

#[test]
fn a_gil_waiter_is_joined_to_the_holder_of_the_moment() {
    let mut trace = with_waits();
    trace.lanes[4].spans = vec![
        span(0.0, 1.0, State::WaitingGil, "", None),
        span(1.0, 2.0, State::WaitingGil, "", None),
    ];
    trace.gil[0].held = vec![
        Holding {
            start_s: 0.0,
            end_s: 1.5,
            lane: 3,
        },
        Holding {
            start_s: 1.5,
            end_s: 4.0,
            lane: 0,
        },
    ];
    let r = Replay::new(trace);
    let waiter = |t: f64| {
        Scene::at(&r, t).kitchens[0]
            .chefs
            .iter()
            .find(|c| c.who.lane == 4)
            .unwrap()
            .waker
            .clone()
            .unwrap()
            .name
    };
    assert_eq!(waiter(1.2), "asyncio_0");
    assert_eq!(waiter(1.7), "main", "the holder changed during the wait");
}
