//! The kitchen scene model at chosen moments of each built-in scenario. Every expected value
//! is worked out here from the raw trace (its spans, GIL timeline, cores, memory samples), not
//! from the scene's own code, and never from a drawing.

use kitchen::core::profile::Profile;
use kitchen::core::trace::{LaneKind, Span, State, Trace, WaitOn};
use kitchen::page::replay::{KitchenKind, Replay};
use kitchen::page::scene::{KitchenPhase, LoopDoing, Scene, Tally, MAX_CHEFS_IN_CROWD, MAX_POTS};
use kitchen::scenarios::find;

fn replay(id: &str) -> Replay {
    Replay::new(find(id).unwrap().simulate(Profile::default()).unwrap())
}

/// The span of lane `lane` covering `t` (`[start, end)`), read off the trace by a plain scan.
fn span(trace: &Trace, lane: usize, t: f64) -> Option<&Span> {
    trace.lanes[lane]
        .spans
        .iter()
        .find(|s| s.start_s <= t && t < s.end_s)
}

fn lanes_in(trace: &Trace, state: State, t: f64) -> Vec<usize> {
    (0..trace.lanes.len())
        .filter(|&l| span(trace, l, t).is_some_and(|s| s.state == state))
        .collect()
}

fn gil_holder(trace: &Trace, process: usize, t: f64) -> Option<usize> {
    let gil = trace.gil.iter().find(|g| g.process == process)?;
    gil.held
        .iter()
        .find(|h| h.start_s <= t && t < h.end_s)
        .map(|h| h.lane)
}

/// When lane `lane`'s current run of `state` began (spans split at line changes joined).
fn run_start(trace: &Trace, lane: usize, t: f64) -> f64 {
    let spans = &trace.lanes[lane].spans;
    let mut i = spans
        .iter()
        .position(|s| s.start_s <= t && t < s.end_s)
        .unwrap();
    while i > 0 && spans[i - 1].state == spans[i].state {
        i -= 1;
    }
    spans[i].start_s
}

#[test]
fn asyncio_blocking_at_30_4_s_the_loop_is_frozen_in_a_plain_call() {
    let r = replay("asyncio-blocking");
    let t = 30.4;
    let trace = &r.trace;
    assert_eq!(r.kind, KitchenKind::Asyncio);
    let scene = Scene::at(&r, t);
    let l = scene.kitchens[0]
        .event_loop
        .as_ref()
        .expect("an event loop");
    // The task running at t is the one task lane in the running state.
    let running = lanes_in(trace, State::Running, t);
    let task = *running
        .iter()
        .find(|&&x| trace.lanes[x].kind == LaneKind::Task)
        .unwrap();
    let loop_span = span(trace, 0, t).unwrap();
    let step_start = span(trace, task, t).unwrap().start_s;
    match &l.doing {
        LoopDoing::Step {
            task: who,
            work,
            line,
            for_s,
        } => {
            assert_eq!(who.lane, task);
            assert_eq!(who.name, "Task-2 cook()");
            assert_eq!(work, &loop_span.label);
            assert_eq!(work, "chop_veggies()");
            assert_eq!(*line, loop_span.line);
            assert_eq!(*line, Some(17));
            assert!((for_s - (t - step_start)).abs() < 1e-12);
        }
        other => panic!("the loop should run a step: {other:?}"),
    }
    let frozen = l
        .frozen
        .as_ref()
        .expect("frozen: the step is longer than 100 ms");
    assert!(frozen.for_s > 0.1 && (frozen.for_s - 0.4).abs() < 1e-3);
    // The pots are empty: the three 30 s timers ended microseconds apart, so the loop's one
    // wake-up (its `select()` rounds up to whole milliseconds) moved them all to the ready
    // queue, and their callbacks made the other two tasks ready before this step began, as
    // CPython's `_run_once` does. They wait on the ticket rail, in order, while the loop is
    // frozen.
    let ready = lanes_in(trace, State::Ready, t);
    assert_eq!(ready.len(), 2);
    assert_eq!(l.pots_total, 0);
    assert_eq!(l.rail_total, 2);
    let rail: Vec<usize> = l.rail.iter().map(|w| w.lane).collect();
    assert_eq!(rail, ready);
    assert_eq!(l.rail[0].name, "Task-3 cook()");
    assert_eq!(l.parked_total, 1);
    assert_eq!(l.parked[0].task.name, "Task-1 main()");
    assert_eq!(l.parked[0].on, WaitOn::Gather);
    assert_eq!(scene.machine.busy, 1);
    assert!(l
        .frozen_text()
        .unwrap()
        .contains("plain call chop_veggies(), line 17"));
}

#[test]
fn asyncio_blocking_while_boiling_and_when_tasks_queue() {
    let r = replay("asyncio-blocking");
    let trace = &r.trace;
    let scene = Scene::at(&r, 1.0);
    let l = scene.kitchens[0].event_loop.as_ref().unwrap();
    assert_eq!(span(trace, 0, 1.0).unwrap().state, State::Idle);
    let first_due = l
        .pots
        .iter()
        .map(|p| p.until_s)
        .fold(f64::INFINITY, f64::min);
    assert_eq!(l.pots_total, 3);
    match l.doing {
        LoopDoing::Waiting {
            next_timer_s: Some(s),
        } => assert!((s - (first_due - 1.0)).abs() < 1e-9),
        ref other => panic!("{other:?}"),
    }
    assert_eq!(scene.machine.busy, 0, "a sleeping loop uses no core");
    // Just after Task-3's step began at 30.8 s, Task-4 waits on the rail: its ready span.
    let t = 30.9;
    let ready = lanes_in(trace, State::Ready, t);
    let l = Scene::at(&r, t).kitchens[0].event_loop.clone().unwrap();
    assert_eq!(l.rail.iter().map(|w| w.lane).collect::<Vec<_>>(), ready);
    assert_eq!(l.rail[0].name, "Task-4 cook()");
}

#[test]
fn asyncio_to_thread_the_helpers_queue_at_one_stove() {
    let r = replay("asyncio-to-thread");
    let trace = &r.trace;
    for t in [30.05, 30.7, 31.0, 32.0] {
        let scene = Scene::at(&r, t);
        let k = &scene.kitchens[0];
        assert_eq!(
            k.stove.holder.as_ref().map(|h| h.lane),
            gil_holder(trace, 0, t),
            "{t}"
        );
        let mut waiting = lanes_in(trace, State::WaitingGil, t);
        waiting.sort_by(|a, b| run_start(trace, *a, t).total_cmp(&run_start(trace, *b, t)));
        assert_eq!(
            k.stove.queue.iter().map(|w| w.lane).collect::<Vec<_>>(),
            waiting,
            "{t}"
        );
        // One runs Python at a time, whatever the cores: the lesson of to_thread.
        assert_eq!(lanes_in(trace, State::Running, t).len(), 1, "{t}");
        assert_eq!(scene.machine.busy, 1, "{t}");
        let l = k.event_loop.as_ref().unwrap();
        let helpers = l.parked.iter().filter(|p| p.on == WaitOn::Future).count();
        let in_thread = (0..trace.lanes.len())
            .filter(|&x| span(trace, x, t).is_some_and(|s| s.label == "in a thread"))
            .count();
        assert_eq!(helpers, in_thread, "{t}");
    }
}

#[test]
fn threads_one_chef_at_the_stove_and_the_queue_is_the_order_they_get_it() {
    let r = replay("threads");
    let trace = &r.trace;
    let held = &trace.gil[0].held;
    for t in [0.3, 0.5, 1.0, 1.7, 2.0] {
        let scene = Scene::at(&r, t);
        let stove = &scene.kitchens[0].stove;
        let i = held
            .iter()
            .position(|h| h.start_s <= t && t < h.end_s)
            .unwrap();
        assert_eq!(stove.holder.as_ref().unwrap().lane, held[i].lane);
        assert_eq!(stove.held_since_s, held[i].start_s);
        // The head of the queue is who gets the GIL next; its request to drop it comes when
        // the holder lets go (the forced switch after 5 ms).
        let head = &stove.queue[0];
        assert_eq!(head.lane, held[i + 1].lane, "{t}");
        let req = stove.request.as_ref().unwrap();
        assert_eq!(req.by.lane, head.lane);
        assert!(
            (req.at_s - held[i].end_s).abs() < 1e-9,
            "{t}: {} vs {}",
            req.at_s,
            held[i].end_s
        );
        // Each later place in the queue gets its turn later, in order.
        let turns: Vec<usize> = held[i + 1..].iter().map(|h| h.lane).collect();
        let firsts: Vec<usize> = stove
            .queue
            .iter()
            .map(|w| turns.iter().position(|&l| l == w.lane).unwrap())
            .collect();
        assert!(firsts.windows(2).all(|w| w[0] < w[1]), "{t}: {firsts:?}");
        assert_eq!(stove.queue_len, lanes_in(trace, State::WaitingGil, t).len());
        // Only the holder runs, on one of four cores.
        let chefs = &scene.kitchens[0].chefs;
        let running: Vec<usize> = chefs
            .iter()
            .filter(|c| c.state == Some(State::Running))
            .map(|c| c.who.lane)
            .collect();
        assert_eq!(running, vec![held[i].lane]);
        assert_eq!(scene.machine.busy, 1);
        assert_eq!(scene.machine.total, 4);
    }
}

#[test]
fn threads_while_boiling_chefs_sleep_and_main_waits_in_join() {
    let r = replay("threads");
    let trace = &r.trace;
    let t = 15.0;
    let scene = Scene::at(&r, t);
    let chefs = &scene.kitchens[0].chefs;
    assert_eq!(chefs.len(), 10);
    for c in chefs {
        let s = span(trace, c.who.lane, t);
        assert_eq!(c.state, s.map(|s| s.state), "{}", c.who.name);
        if c.state == Some(State::Sleeping) {
            // time.sleep(30) from its start: the timer ends the span.
            let s = s.unwrap();
            assert!((c.left_s.unwrap() - (s.end_s - t)).abs() < 1e-9);
        }
    }
    assert_eq!(
        chefs
            .iter()
            .filter(|c| c.state == Some(State::Sleeping))
            .count(),
        3
    );
    let main = &chefs[0];
    assert_eq!(main.state, Some(State::Blocked));
    let joined = span(trace, 0, t)
        .unwrap()
        .label
        .strip_prefix("join ")
        .unwrap()
        .to_string();
    assert_eq!(main.waker.as_ref().unwrap().name, joined);
    assert!(main.wait_text().unwrap().contains("ends (join)"));
    // The CPU chefs are done: their lanes ended before t.
    let done = chefs.iter().filter(|c| c.state.is_none()).count();
    let ended = trace
        .lanes
        .iter()
        .filter(|l| l.spans.last().unwrap().end_s <= t)
        .count();
    assert_eq!(done, ended);
    assert_eq!(scene.costs.threads_started, 9);
}

#[test]
fn processes_kitchens_are_built_cook_on_cores_and_cost_memory() {
    let r = replay("processes");
    let trace = &r.trace;
    assert_eq!(r.kind, KitchenKind::Processes);
    for t in [0.0101, 0.0166, 0.3, 30.0035] {
        let scene = Scene::at(&r, t);
        assert_eq!(scene.kitchens.len(), 10);
        for k in &scene.kitchens {
            let main = trace.lanes.iter().find(|l| l.process == k.process).unwrap();
            let s = span(trace, main.id, t);
            let expected = match s {
                None if main.spans[0].start_s > t => "not yet",
                None => "closed",
                Some(s) if k.process > 0 && s.label == "process boot" => "building",
                Some(s) if k.process > 0 && s.label == "process exit" => "tearing down",
                Some(_) => "cooking",
            };
            let got = match k.phase {
                KitchenPhase::NotYet => "not yet",
                KitchenPhase::Building { .. } => "building",
                KitchenPhase::Cooking => "cooking",
                KitchenPhase::TearingDown { .. } => "tearing down",
                KitchenPhase::Closed => "closed",
            };
            assert_eq!(got, expected, "{t} {}", k.name);
        }
        for station in &scene.machine.cores {
            let on = trace.cores[station.core]
                .iter()
                .find(|h| h.start_s <= t && t < h.end_s);
            assert_eq!(
                station.running.as_ref().map(|(w, _)| w.lane),
                on.map(|h| h.lane),
                "{t}"
            );
        }
        let sample = trace.memory.iter().rfind(|m| m.t_s <= t).unwrap();
        assert_eq!(scene.memory.now_bytes, sample.bytes);
    }
    // In the CPU part, all four cores run someone: the processes really run in parallel.
    assert_eq!(Scene::at(&r, 0.3).machine.busy, 4);
    assert_eq!(
        Scene::at(&r, 0.3).memory.per_process_bytes,
        Some(trace.profile.process_memory_bytes)
    );
}

#[test]
fn a_thousand_threads_are_a_crowd_counted_by_state() {
    let r = replay("thousand-threads");
    let trace = &r.trace;
    for t in [0.05, 15.0, 30.05] {
        let scene = Scene::at(&r, t);
        let k = &scene.kitchens[0];
        assert!(k.chefs.len() <= MAX_CHEFS_IN_CROWD);
        let crowd = k.more_chefs.as_ref().unwrap();
        assert_eq!(k.chefs.len() + crowd.total, 1001);
        assert_eq!(
            crowd.counts.iter().map(|(_, n)| n).sum::<usize>(),
            crowd.total
        );
        let shown: Vec<usize> = k.chefs.iter().map(|c| c.who.lane).collect();
        let hidden_asleep = lanes_in(trace, State::Sleeping, t)
            .iter()
            .filter(|l| !shown.contains(l))
            .count();
        assert_eq!(
            crowd.count(Tally::In(State::Sleeping)),
            hidden_asleep,
            "{t}"
        );
        let not_started = trace
            .lanes
            .iter()
            .filter(|l| l.spans[0].start_s > t && !shown.contains(&l.id))
            .count();
        assert_eq!(crowd.count(Tally::NotYet), not_started, "{t}");
        assert!(shown.contains(&0), "main is always drawn");
    }
}

#[test]
fn a_thousand_pots_on_one_loop() {
    let r = replay("thousand-asyncio");
    let trace = &r.trace;
    let t = 10.0;
    let l = Scene::at(&r, t).kitchens[0].event_loop.clone().unwrap();
    assert_eq!(l.pots_total, 1000);
    assert_eq!(l.pots.len(), MAX_POTS);
    let soonest = trace
        .lanes
        .iter()
        .filter_map(|lane| span(trace, lane.id, t).filter(|s| s.label.starts_with("sleep ")))
        .map(timer_of)
        .fold(f64::INFINITY, f64::min);
    assert!((l.pots[0].until_s - soonest).abs() < 1e-9);
    assert!(
        l.pots.windows(2).all(|w| w[0].until_s <= w[1].until_s),
        "soonest first"
    );
    assert_eq!(l.parked_total, 1, "main() waits in gather");
    assert_eq!(l.tasks.count(Tally::In(State::Awaiting)), 1001);
}

#[test]
fn a_thousand_processes_cost_start_time_and_memory() {
    let r = replay("thousand-processes");
    let trace = &r.trace;
    let t = 2.0;
    let scene = Scene::at(&r, t);
    let crowd = scene.more_kitchens.as_ref().unwrap();
    assert_eq!(scene.kitchens.len() + crowd.total, 1001);
    let not_started = trace
        .lanes
        .iter()
        .filter(|l| l.spans[0].start_s > t)
        .count();
    let drawn_not_started = scene
        .kitchens
        .iter()
        .filter(|k| k.phase == KitchenPhase::NotYet)
        .count();
    assert_eq!(crowd.not_yet + drawn_not_started, not_started);
    let started = trace
        .lanes
        .iter()
        .filter(|l| l.kind == LaneKind::Process && l.spans[0].start_s <= t)
        .count();
    assert_eq!(scene.costs.processes_started, started);
    let spawning: f64 = trace
        .lanes
        .iter()
        .flat_map(|l| l.spans.iter())
        .filter(|s| s.state == State::Spawning && s.start_s < t)
        .map(|s| s.end_s.min(t) - s.start_s)
        .sum();
    assert!((scene.costs.spawning_s - spawning).abs() < 1e-9);
    // The main thread's own share: it has done nothing but start processes since 0.
    let starting: f64 = trace.lanes[0]
        .spans
        .iter()
        .filter(|s| s.state == State::Spawning && s.start_s < t)
        .map(|s| s.end_s.min(t) - s.start_s)
        .sum();
    assert!((scene.costs.starting_s - starting).abs() < 1e-9);
    assert!(
        starting > 0.95 * t,
        "main spent {starting} s of {t} starting processes"
    );
    assert!(
        scene.costs.spawning_s > 1.5,
        "starting kitchens has cost seconds: {}",
        scene.costs.spawning_s
    );
    let sample = trace.memory.iter().rfind(|m| m.t_s <= t).unwrap();
    assert_eq!(scene.memory.now_bytes, sample.bytes);
    assert_eq!(scene.memory.peak_bytes, trace.peak_memory_bytes);
    assert!(
        Scene::at(&r, trace.makespan_s - 1.0)
            .memory
            .peak_so_far_bytes
            > 1_500_000_000
    );
}

/// When a 30 s sleep's timer rings: the time the trace says it is due, or (in traces that do
/// not say what a span waits for) 30 s after the sleep began.
fn timer_of(s: &Span) -> f64 {
    s.wait
        .as_ref()
        .and_then(|w| w.until_s)
        .unwrap_or(s.start_s + 30.0)
}

#[test]
fn the_stove_shows_the_drop_request_the_trace_records_and_none_where_the_holder_lets_go_first() {
    use kitchen::core::trace::EventKind;
    let mut trace = find("threads")
        .unwrap()
        .simulate(Profile::default())
        .unwrap();
    let requests: Vec<(f64, usize)> = trace
        .events
        .iter()
        .filter(|e| e.kind == EventKind::GilDropRequest)
        .map(|e| (e.t_s, e.lane))
        .collect();
    let r = Replay::new(trace.clone());
    let held = trace.gil[0].held.clone();
    let (mut asked, mut let_go) = (0, 0);
    for h in &held {
        let t = (h.start_s + h.end_s) / 2.0;
        let stove = Scene::at(&r, t).kitchens[0].stove.clone();
        if stove.queue_len == 0 {
            continue;
        }
        match requests.iter().find(|q| q.0 > h.start_s && q.0 <= h.end_s) {
            Some(&(at, lane)) => {
                let req = stove.request.as_ref().expect("a recorded request is shown");
                assert_eq!((req.at_s, req.by.lane), (at, lane), "{t}");
                asked += 1;
            }
            None => {
                assert_eq!(
                    stove.request, None,
                    "{t}: the holder lets go before anyone asks"
                );
                let_go += 1;
            }
        }
    }
    assert!(asked > 400 && let_go >= 1, "asked {asked}, let go {let_go}");
    // Without the recorded requests the stove derives one for every holding with a queue.
    trace.events.retain(|e| e.kind != EventKind::GilDropRequest);
    let derived = Replay::new(trace);
    let h = held
        .iter()
        .find(|h| {
            let t = (h.start_s + h.end_s) / 2.0;
            let s = &Scene::at(&r, t).kitchens[0].stove;
            s.queue_len > 0 && s.request.is_none()
        })
        .unwrap();
    let t = (h.start_s + h.end_s) / 2.0;
    let stove = &Scene::at(&derived, t).kitchens[0].stove;
    assert!(stove.request.is_some(), "derived at {t}");
}
