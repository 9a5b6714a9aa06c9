//! The real-time driver (`kitchen::live`), fed by hand: a virtual executor here carries out
//! its commands on a made-up clock (a turn costs 1 ns, a thread start 50 µs, a process
//! 1 ms to spawn and 2 ms to boot), so what the driver makes of the reports is checked
//! exactly, with no OS in the way. `tests/native.rs` runs the same driver for real.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use kitchen::core::clock::{Nanos, MILLI};
use kitchen::core::profile::Profile;
use kitchen::core::recorder::TraceHeader;
use kitchen::core::trace::{EventKind, LaneKind, Source, State, Trace};
use kitchen::live::{Command, Driver, LiveError, Report};
use kitchen::python::natives;
use kitchen::python::runtime::Runtime;
use kitchen::scenarios::{self, Size};

const THREAD_START: Nanos = 50_000;
const SPAWN: Nanos = MILLI;
const BOOT: Nanos = 2 * MILLI;
const EXIT: Nanos = MILLI;

fn driver(source: &str) -> Driver<Runtime> {
    let (profile, _) = Profile::default().checked();
    let rt = Runtime::new(source, "test.py", &profile, natives::install).expect("compiles");
    let header = TraceHeader {
        scenario: "test".into(),
        title: "test".into(),
        profile: Profile::default(),
        notes: Vec::new(),
        code: Some(source.to_string()),
    };
    Driver::new(rt, header, Source::Native)
}

/// Carries out every command on a virtual clock, every chef in parallel, until the run is
/// done; returns the trace.
fn run_virtually(mut d: Driver<Runtime>) -> Result<Trace, LiveError> {
    let mut queue: BinaryHeap<Reverse<(Nanos, u64, String)>> = BinaryHeap::new();
    let mut seq = 0;
    let mut push = |queue: &mut BinaryHeap<_>, at: Nanos, r: Report| {
        seq += 1;
        queue.push(Reverse((at, seq, serde_json::to_string(&r).unwrap())));
    };
    let mut now = 0;
    let mut commands = d.start(now)?;
    loop {
        for c in commands.drain(..) {
            match c {
                Command::StartThread { thread, .. } => push(
                    &mut queue,
                    now + THREAD_START,
                    Report::ThreadStarted { thread },
                ),
                Command::StartProcess { process, .. } => {
                    push(&mut queue, now + SPAWN, Report::ProcessSpawned { process });
                    push(
                        &mut queue,
                        now + SPAWN + BOOT,
                        Report::ProcessStarted { process },
                    );
                }
                Command::Compute { thread, turns, .. } => {
                    push(&mut queue, now + turns, Report::Computed { thread })
                }
                Command::Sleep { thread, ns, .. } => {
                    push(&mut queue, now + ns, Report::Slept { thread })
                }
                Command::EndThread { .. } => {}
                Command::EndProcess { process } => {
                    push(&mut queue, now + EXIT, Report::ProcessExited { process })
                }
            }
        }
        if d.is_done() {
            // A program that ended in an uncaught exception ran to its end (its other
            // threads too, as CPython's do); the runtime keeps the exception.
            let (trace, mut rt) = d.finish(now);
            if rt.take_uncaught().is_some() {
                return Err(LiveError::ProgramFailed);
            }
            return Ok(trace);
        }
        let next = queue.peek().map(|Reverse((at, _, _))| *at);
        let deadline = d.next_deadline();
        if next.is_some_and(|at| deadline.is_none_or(|t| at <= t)) {
            let Reverse((at, _, r)) = queue.pop().unwrap();
            now = at;
            commands = d.completed(serde_json::from_str(&r).unwrap(), now)?;
        } else {
            let t = deadline.expect("the driver waits for something");
            now = now.max(t);
            commands = d.completed(Report::Timer, now)?;
        }
    }
}

fn scenario(id: &str, size: &Size) -> Trace {
    let source = scenarios::find(id).unwrap().source(size);
    run_virtually(driver(&source)).unwrap()
}

fn small() -> Size {
    Size {
        boil_s: 0.05,
        cpu_iterations: 3_000_000,
        orders: 3,
        pots: 20,
    }
}

/// (start, end, lane) of the running spans that cook turns.
fn cooking(t: &Trace) -> Vec<(f64, f64, usize)> {
    t.lanes
        .iter()
        .filter(|l| l.kind != LaneKind::Task)
        .flat_map(|l| l.spans.iter().map(move |s| (l.id, s)))
        .filter(|(_, s)| s.state == State::Running && s.end_s - s.start_s >= 0.001)
        .map(|(lane, s)| (s.start_s, s.end_s, lane))
        .collect()
}

fn overlap(a: (f64, f64, usize), b: (f64, f64, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

#[test]
fn threads_cook_their_turns_in_parallel_and_the_boils_overlap() {
    let t = scenario("threads", &small());
    assert!(t.check().is_ok(), "{:?}", t.check());
    assert_eq!(t.source, Source::Native);
    assert_eq!(t.prints.len(), 9);
    assert_eq!(t.lanes.len(), 10);
    let steps = cooking(&t);
    assert_eq!(steps.len(), 6, "six CPU steps of 3 ms each: {steps:?}");
    assert!(steps.iter().all(|s| (s.1 - s.0 - 0.003).abs() < 1e-9));
    // Nothing made them take turns: the virtual executor has no GIL.
    assert!(overlap(steps[0], steps[1]));
    // Nine thread starts of 50 µs, then a boil of 50 ms.
    assert!(
        (t.makespan_s - (9.0 * 50e-6 + 0.05)).abs() < 1e-3,
        "{}",
        t.makespan_s
    );
    let main = &t.lanes[0];
    let starts = main.spans.iter().filter(|s| s.state == State::Spawning);
    assert_eq!(starts.count(), 9);
    assert_eq!(
        t.events
            .iter()
            .filter(|e| e.kind == EventKind::ThreadStarted)
            .count(),
        9
    );
}

#[test]
fn a_blocking_step_in_a_coroutine_freezes_the_loop() {
    let t = scenario("asyncio-blocking", &small());
    assert!(t.check().is_ok(), "{:?}", t.check());
    let steps = cooking(&t);
    assert_eq!(steps.len(), 6);
    assert!(steps.iter().all(|s| s.2 == 0), "all on the loop's thread");
    for pair in steps.windows(2) {
        assert!(pair[0].1 <= pair[1].0, "one after another: {pair:?}");
    }
    let at = |text: &str| t.prints.iter().find(|p| p.text == text).unwrap().t_s;
    // Order 2's pasta was ready at 50 ms, but its coroutine ran only after order 1's steps.
    // The loop woke a millisecond late: its timer was 50 ms and a few interpreted
    // operations away, and `select()` waits whole milliseconds, rounded up, as CPython's.
    assert!((at("order 2: pasta ready") - (0.051 + 0.006)).abs() < 1e-6);
    assert!((t.makespan_s - (0.051 + 0.018)).abs() < 1e-6);
    assert!(t.lanes.iter().filter(|l| l.kind == LaneKind::Task).count() >= 3);
}

#[test]
fn to_thread_cooks_on_helper_threads_while_the_loop_stays_free() {
    let t = scenario("asyncio-to-thread", &small());
    assert!(t.check().is_ok(), "{:?}", t.check());
    let steps = cooking(&t);
    assert_eq!(steps.len(), 6);
    assert!(steps
        .iter()
        .all(|s| t.lanes[s.2].kind == LaneKind::PoolWorker));
    for order in 1..=3 {
        let ready = t
            .prints
            .iter()
            .find(|p| p.text == format!("order {order}: pasta ready"))
            .unwrap();
        // 50 ms, and the loop's `select()` rounds its wait up to whole milliseconds.
        assert!(ready.t_s < 0.0515, "the loop was free: {}", ready.t_s);
    }
}

#[test]
fn processes_spawn_boot_and_exit_before_their_joiners_go_on() {
    let t = scenario("processes", &small());
    assert!(t.check().is_ok(), "{:?}", t.check());
    assert_eq!(t.gil.len(), 10, "a GIL timeline per process");
    let children: Vec<_> = t
        .lanes
        .iter()
        .filter(|l| l.kind == LaneKind::Process)
        .collect();
    assert_eq!(children.len(), 9);
    for lane in &children {
        let boot = &lane.spans[0];
        assert_eq!(
            (boot.state, boot.label.as_str()),
            (State::Spawning, "process boot")
        );
        assert!((boot.end_s - boot.start_s - 0.002).abs() < 1e-9);
        let exit = lane.spans.last().unwrap();
        assert_eq!(exit.label, "process exit");
    }
    // The main thread's last join returns when the last child has exited.
    let last_exit = children
        .iter()
        .map(|l| l.spans.last().unwrap().end_s)
        .fold(0.0, f64::max);
    assert!((t.lanes[0].spans.last().unwrap().end_s - last_exit).abs() < 1e-9);
}

#[test]
fn a_thousand_asyncio_pots_boil_on_the_loops_timers() {
    let t = scenario("thousand-asyncio", &small());
    assert_eq!(
        t.lanes.iter().filter(|l| l.kind == LaneKind::Task).count(),
        21
    );
    assert_eq!(t.prints.last().unwrap().text, "all 20 pots boiled");
    // One wake-up of the loop for all twenty timers, rounded up to the next millisecond.
    assert!((t.makespan_s - 0.051).abs() < 1e-6, "{}", t.makespan_s);
}

#[test]
fn a_deadlock_and_a_failing_program_are_errors() {
    let d = driver("import threading\nlock = threading.Lock()\nlock.acquire()\nlock.acquire()\n");
    assert!(matches!(run_virtually(d), Err(LiveError::Deadlock { .. })));
    let d = driver("print(1 / 0)\n");
    assert_eq!(run_virtually(d).unwrap_err(), LiveError::ProgramFailed);
}

#[test]
fn reports_that_do_not_fit_are_errors_not_panics() {
    let mut d = driver("import time\ntime.sleep(1)\n");
    let commands = d.start(0).unwrap();
    assert_eq!(
        commands,
        [Command::Sleep {
            thread: 0,
            process: 0,
            ns: 1_000_000_000
        }]
    );
    for bad in [
        Report::Computed { thread: 0 },
        Report::Slept { thread: 7 },
        Report::ThreadStarted { thread: 1 },
        Report::ProcessSpawned { process: 3 },
        Report::ProcessExited { process: 0 },
        Report::GilWait { thread: 0 },
        Report::Gil {
            process: 9,
            holder: None,
            dropped: false,
        },
        Report::Memory {
            process: 2,
            bytes: 1,
        },
    ] {
        let what = format!("{bad:?}");
        assert!(
            matches!(d.completed(bad, 10), Err(LiveError::Protocol(_))),
            "{what} was accepted"
        );
    }
    assert_eq!(
        d.completed(Report::Slept { thread: 0 }, 1_000_000_000)
            .unwrap(),
        [Command::EndThread {
            thread: 0,
            process: 0
        }]
    );
    assert!(d.is_done());
}

#[test]
fn gil_reports_become_waiting_spans_holdings_and_handoffs() {
    let source = "import threading\n\
                  def work():\n    sum(i * i for i in range(1000))\n\
                  a = threading.Thread(target=work, name='a')\n\
                  b = threading.Thread(target=work, name='b')\n\
                  a.start(); b.start(); a.join(); b.join()\n";
    let mut d = driver(source);
    let ms = MILLI;
    let mut out = d.start(0).unwrap();
    out.extend(
        d.completed(Report::ThreadStarted { thread: 1 }, ms)
            .unwrap(),
    );
    out.extend(
        d.completed(Report::ThreadStarted { thread: 2 }, 2 * ms)
            .unwrap(),
    );
    let computes = out
        .iter()
        .filter(|c| matches!(c, Command::Compute { turns: 1000, .. }))
        .count();
    assert_eq!(computes, 2, "{out:?}");
    let gil = |holder, dropped| Report::Gil {
        process: 0,
        holder,
        dropped,
    };
    d.completed(gil(Some(1), false), 2 * ms).unwrap();
    d.completed(Report::GilWait { thread: 2 }, 2 * ms).unwrap();
    d.completed(gil(Some(2), true), 7 * ms).unwrap();
    d.completed(gil(Some(1), true), 12 * ms).unwrap();
    d.completed(gil(Some(2), false), 13 * ms).unwrap();
    d.completed(Report::Computed { thread: 1 }, 13 * ms)
        .unwrap();
    d.completed(gil(None, false), 15 * ms).unwrap();
    d.completed(Report::Computed { thread: 2 }, 15 * ms)
        .unwrap();
    assert!(d.is_done());
    let (t, _) = d.finish(15 * ms);
    assert!(t.check().is_ok(), "{:?}", t.check());
    let held: Vec<(f64, f64, usize)> = t.gil[0]
        .held
        .iter()
        .map(|h| (h.start_s, h.end_s, h.lane))
        .collect();
    assert_eq!(
        held,
        [
            (0.002, 0.007, 1),
            (0.007, 0.012, 2),
            (0.012, 0.013, 1),
            (0.013, 0.015, 2)
        ]
    );
    let b = &t.lanes[2];
    let waits: f64 = b
        .spans
        .iter()
        .filter(|s| s.state == State::WaitingGil)
        .map(|s| s.end_s - s.start_s)
        .sum();
    assert!(
        (waits - 0.006).abs() < 1e-9,
        "b waited 5 ms, then 1 ms: {waits}"
    );
    let handoffs: Vec<&str> = t
        .events
        .iter()
        .filter(|e| e.kind == EventKind::GilHandoff)
        .map(|e| e.detail.as_str())
        .collect();
    assert_eq!(
        handoffs,
        [
            "to b: switch interval",
            "to a: switch interval",
            "to b: its CPU step ended"
        ]
    );
}

#[test]
fn memory_reports_give_each_process_and_the_total() {
    let mut d = driver("import time\ntime.sleep(0.01)\n");
    d.start(0).unwrap();
    d.completed(
        Report::Memory {
            process: 0,
            bytes: 5 << 20,
        },
        MILLI,
    )
    .unwrap();
    d.completed(
        Report::Memory {
            process: 0,
            bytes: 7 << 20,
        },
        2 * MILLI,
    )
    .unwrap();
    d.completed(Report::Slept { thread: 0 }, 10 * MILLI)
        .unwrap();
    let (t, _) = d.finish(10 * MILLI);
    assert_eq!(t.peak_memory_bytes, 7 << 20);
    assert_eq!(t.memory_of(Some(0)).count(), 2);
    assert_eq!(
        t.memory_of(None).map(|m| m.bytes).collect::<Vec<_>>(),
        [5 << 20, 7 << 20]
    );
}
