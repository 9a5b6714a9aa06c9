//! What each waiting span waits for (`Span::wait`), pinned with numbers from small programs:
//! the page joins every parked task and blocked chef to what will wake it by these, so each
//! kind the simulator and the interpreter produce has a test here. Times use the default
//! profile.

use kitchen::core::profile::Profile;
use kitchen::core::trace::{EventKind, Lane, LaneKind, Span, State, Trace, Wait, WaitOn};
use kitchen::python::run;

fn trace(src: &str) -> Trace {
    run(src, "waits.py", Profile::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn lane<'a>(t: &'a Trace, name: &str) -> &'a Lane {
    t.lanes
        .iter()
        .find(|l| l.name == name)
        .unwrap_or_else(|| panic!("no lane {name}: {:?}", names(t)))
}

fn names(t: &Trace) -> Vec<&str> {
    t.lanes.iter().map(|l| l.name.as_str()).collect()
}

/// The first span of `lane` in `state`, with its wait.
fn first(lane: &Lane, state: State) -> (&Span, &Wait) {
    let span = lane
        .spans
        .iter()
        .find(|s| s.state == state)
        .unwrap_or_else(|| panic!("{} is never {state:?}: {:?}", lane.name, lane.spans));
    let wait = span
        .wait
        .as_ref()
        .unwrap_or_else(|| panic!("{}'s {state:?} span says no wait", lane.name));
    (span, wait)
}

fn lane_name(t: &Trace, id: Option<usize>) -> Option<&str> {
    id.map(|i| t.lanes[i].name.as_str())
}

/// Every waiting span of `t` says what it waits for.
fn all_waits_known(t: &Trace) {
    for l in &t.lanes {
        for s in &l.spans {
            let waiting = matches!(
                s.state,
                State::WaitingGil
                    | State::WaitingCore
                    | State::Sleeping
                    | State::Blocked
                    | State::Idle
                    | State::Awaiting
            );
            assert_eq!(waiting, s.wait.is_some(), "{}: {s:?}", l.name);
        }
    }
}

#[test]
fn a_task_awaiting_a_sleep_waits_for_its_timer_at_its_own_await() {
    let t = trace(
        "import asyncio\n\nasync def main():\n    await asyncio.sleep(2)\n    print('done')\n\nasyncio.run(main())\n",
    );
    all_waits_known(&t);
    let (span, wait) = first(lane(&t, "Task-1 main()"), State::Awaiting);
    assert_eq!(wait.on, WaitOn::Timer);
    assert_eq!(wait.what, "asyncio.sleep(2)");
    let until = wait.until_s.expect("a timer's end");
    // Two seconds after the await, which came a few microseconds of bookkeeping after 0.
    assert!(
        until > 2.0 && (until - span.start_s - 2.0).abs() < 1e-4,
        "{until} {span:?}"
    );
    assert!((t.prints[0].t_s - until).abs() < 1e-4);
    // The task is shown at line 4, its own `await`, not at `asyncio.run(main())` (line 7).
    assert_eq!(span.line, Some(4));
    // The loop meanwhile waits in select() for the same timer.
    let (_, idle) = first(lane(&t, "main"), State::Idle);
    assert_eq!((idle.on, idle.until_s), (WaitOn::Timer, Some(until)));
}

#[test]
fn awaiting_a_task_a_gather_and_a_wait_for_name_who_ends_the_wait() {
    let t = trace(
        r#"import asyncio

async def step(s):
    await asyncio.sleep(s)

async def main():
    helper = asyncio.create_task(step(1))
    await helper
    await asyncio.gather(step(1), step(2))
    try:
        await asyncio.wait_for(step(5), 0.5)
    except asyncio.TimeoutError:
        print("timed out")

asyncio.run(main())
"#,
    );
    all_waits_known(&t);
    let main = lane(&t, "Task-1 main()");
    let waits: Vec<&Span> = main
        .spans
        .iter()
        .filter(|s| s.state == State::Awaiting)
        .collect();
    let w = |i: usize| waits[i].wait.as_ref().expect("a wait");
    assert_eq!(
        (w(0).on, w(0).what.as_str()),
        (WaitOn::Task, "Task-2 step()")
    );
    assert_eq!(lane_name(&t, w(0).lane), Some("Task-2 step()"));
    assert_eq!(waits[0].line, Some(8));
    assert_eq!(
        (w(1).on, w(1).what.as_str()),
        (WaitOn::Gather, "asyncio.gather() of 2")
    );
    assert_eq!(waits[1].line, Some(9));
    // wait_for waits for the timeout and for the task it runs, whichever ends first.
    assert_eq!(w(2).on, WaitOn::Timer);
    assert_eq!(w(2).what, "asyncio.wait_for(…, 0.5)");
    let until = w(2).until_s.expect("the timeout");
    assert!(
        (until - waits[2].start_s - 0.5).abs() < 1e-4,
        "{until} {:?}",
        waits[2]
    );
    assert_eq!(lane_name(&t, w(2).lane), Some("Task-5 step()"));
}

#[test]
fn to_thread_and_run_in_executor_wait_for_the_helper_thread_that_runs_them() {
    let t = trace(
        r#"import asyncio, time

def work():
    time.sleep(0.2)

async def main():
    await asyncio.to_thread(work)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, work)

asyncio.run(main())
"#,
    );
    all_waits_known(&t);
    let task = lane(&t, "Task-1 main()");
    let waits: Vec<&Wait> = task.spans.iter().filter_map(|s| s.wait.as_ref()).collect();
    assert_eq!(waits.len(), 2, "{:?}", task.spans);
    assert_eq!(
        (waits[0].on, waits[0].what.as_str()),
        (WaitOn::Future, "asyncio.to_thread(work)")
    );
    assert_eq!(
        (waits[1].on, waits[1].what.as_str()),
        (WaitOn::Future, "loop.run_in_executor()")
    );
    for w in waits {
        let helper = &t.lanes[w.lane.expect("the helper thread")];
        assert_eq!(helper.kind, LaneKind::PoolWorker, "{}", helper.name);
        assert_eq!(helper.name, "asyncio_0");
    }
    // The helper itself sleeps in time.sleep on a timer.
    let (span, sleep) = first(lane(&t, "asyncio_0"), State::Sleeping);
    assert_eq!(
        (sleep.on, sleep.what.as_str()),
        (WaitOn::Timer, "time.sleep(0.2)")
    );
    assert!((sleep.until_s.unwrap() - span.start_s - 0.2).abs() < 1e-9);
}

#[test]
fn asyncio_locks_semaphores_events_and_queues_are_waited_on_by_name() {
    let t = trace(
        r#"import asyncio

async def main():
    sem = asyncio.Semaphore(2)
    lock = asyncio.Lock()
    ready = asyncio.Event()
    q = asyncio.Queue()

    async def holder():
        async with sem:
            async with lock:
                await asyncio.sleep(0.1)

    async def waiter():
        async with sem:
            await ready.wait()
            await q.get()

    async def locker():
        async with sem:
            async with lock:
                pass

    tasks = [asyncio.create_task(f()) for f in (holder, locker, waiter)]
    await asyncio.sleep(0.2)
    ready.set()
    await asyncio.sleep(0.1)
    q.put_nowait(1)
    await asyncio.gather(*tasks)

asyncio.run(main())
"#,
    );
    all_waits_known(&t);
    let kinds = |name: &str| -> Vec<(WaitOn, String)> {
        lane(&t, name)
            .spans
            .iter()
            .filter_map(|s| s.wait.as_ref().map(|w| (w.on, w.what.clone())))
            .collect()
    };
    assert_eq!(
        kinds("Task-3 locker()"),
        vec![(WaitOn::Lock, "Lock.acquire()".into())]
    );
    let waiter = kinds("Task-4 waiter()");
    assert_eq!(waiter[0], (WaitOn::Semaphore, "Semaphore(2)".into()));
    assert!(
        waiter.contains(&(WaitOn::Event, "Event.wait()".into())),
        "{waiter:?}"
    );
    assert!(
        waiter.contains(&(WaitOn::Queue, "Queue.get()".into())),
        "{waiter:?}"
    );
}

#[test]
fn threads_sleep_join_lock_queue_and_future_waits_name_their_waker() {
    let t = trace(
        r#"import threading, time, queue
from concurrent.futures import ThreadPoolExecutor

lock = threading.Lock()
q = queue.Queue()

def holder():
    with lock:
        time.sleep(0.3)

def taker():
    with lock:
        pass

def getter():
    q.get()

a = threading.Thread(target=holder, name="holder")
b = threading.Thread(target=taker, name="taker")
c = threading.Thread(target=getter, name="getter")
for th in (a, b, c):
    th.start()
time.sleep(0.1)
q.put(1)
a.join()
with ThreadPoolExecutor(max_workers=1) as ex:
    print(ex.submit(time.sleep, 0.1).result())
b.join()
c.join()
"#,
    );
    all_waits_known(&t);
    let (span, sleep) = first(lane(&t, "holder"), State::Sleeping);
    assert_eq!(
        (sleep.on, sleep.what.as_str()),
        (WaitOn::Timer, "time.sleep(0.3)")
    );
    assert!((sleep.until_s.unwrap() - span.start_s - 0.3).abs() < 1e-9);
    let (_, lock) = first(lane(&t, "taker"), State::Blocked);
    assert_eq!(
        (lock.on, lane_name(&t, lock.lane)),
        (WaitOn::Lock, Some("holder"))
    );
    let (_, get) = first(lane(&t, "getter"), State::Blocked);
    assert_eq!((get.on, get.what.as_str()), (WaitOn::Queue, "Queue.get()"));
    let main = lane(&t, "main");
    let blocked: Vec<&Wait> = main
        .spans
        .iter()
        .filter(|s| s.state == State::Blocked)
        .filter_map(|s| s.wait.as_ref())
        .collect();
    let join = blocked
        .iter()
        .find(|w| w.what == "holder.join()")
        .expect("a join");
    assert_eq!(
        (join.on, lane_name(&t, join.lane)),
        (WaitOn::Thread, Some("holder"))
    );
    let result = blocked
        .iter()
        .find(|w| w.on == WaitOn::Future)
        .expect("result()");
    assert_eq!(result.what, "Future.result()");
    assert_eq!(lane_name(&t, result.lane), Some("ThreadPoolExecutor-0_0"));
}

#[test]
fn a_process_join_and_a_pipe_are_waited_on() {
    let t = trace(
        r#"import multiprocessing as mp

import time

def child(q):
    q.put(42)
    time.sleep(0.1)

if __name__ == "__main__":
    q = mp.Queue()
    p = mp.Process(target=child, args=(q,))
    p.start()
    print(q.get())
    p.join()
"#,
    );
    all_waits_known(&t);
    let main = lane(&t, "main");
    let waits: Vec<&Wait> = main.spans.iter().filter_map(|s| s.wait.as_ref()).collect();
    let on: Vec<WaitOn> = waits.iter().map(|w| w.on).collect();
    assert!(
        on.contains(&WaitOn::Queue) && on.contains(&WaitOn::Pipe),
        "{waits:?}"
    );
    let join = waits
        .iter()
        .find(|w| w.on == WaitOn::Process)
        .expect("a join");
    assert_eq!(
        (join.what.as_str(), lane_name(&t, join.lane)),
        ("Process-1.join()", Some("Process-1"))
    );
}

const TWO_COOKS: &str = r#"import threading

def cook():
    total = 0
    for i in range(3000000):
        total += i * i

threads = [threading.Thread(target=cook, name=f"cook {k}") for k in (1, 2)]
for th in threads:
    th.start()
for th in threads:
    th.join()
"#;

#[test]
fn a_gil_wait_names_the_holder_at_its_start_and_drop_requests_come_every_interval() {
    let t = trace(TWO_COOKS);
    all_waits_known(&t);
    let gil = &t.gil[0].held;
    let holder_at = |time: f64| gil.iter().find(|h| h.start_s <= time && time < h.end_s);
    let mut checked = 0;
    for l in &t.lanes {
        for s in l.spans.iter().filter(|s| s.state == State::WaitingGil) {
            let w = s.wait.as_ref().expect("a wait");
            assert_eq!(w.on, WaitOn::Gil);
            let holder = holder_at(s.start_s).map(|h| h.lane);
            assert_eq!(w.lane, holder, "{}: {s:?}", l.name);
            checked += 1;
        }
    }
    assert!(checked > 10, "{checked}");
    // Starting the second cook waits until it runs, which is when the first lets go.
    let main = lane(&t, "main");
    let start = main
        .spans
        .iter()
        .filter_map(|s| s.wait.as_ref())
        .find(|w| w.what == "cook 2.start()")
        .expect("main waits for cook 2 to start");
    assert_eq!(
        (start.on, lane_name(&t, start.lane)),
        (WaitOn::Thread, Some("cook 2"))
    );
    // Each forced switch is asked for by the waiter when its 5 ms run out: the request and
    // the hand-off it causes come at the same moment, every switch interval.
    let requests: Vec<_> = t
        .events
        .iter()
        .filter(|e| e.kind == EventKind::GilDropRequest)
        .collect();
    let handoffs: Vec<_> = t
        .events
        .iter()
        .filter(|e| e.kind == EventKind::GilHandoff && e.detail.contains("switch interval"))
        .collect();
    assert_eq!(requests.len(), handoffs.len());
    assert!(requests.len() > 5, "{}", requests.len());
    for (r, h) in requests.iter().zip(&handoffs) {
        assert_eq!(r.t_s, h.t_s);
        let holder = &t.lanes[h.lane].name;
        assert!(
            r.detail.starts_with(&format!("{holder} has held the GIL")),
            "{}",
            r.detail
        );
        assert!(
            h.detail
                .starts_with(&format!("to {}", t.lanes[r.lane].name)),
            "{}",
            h.detail
        );
    }
    // A waiter asks when its 5 ms have run out since it began waiting (or since the last
    // switch): never sooner than an interval apart, and exactly that while the cooks alternate.
    let gaps: Vec<f64> = requests.windows(2).map(|p| p[1].t_s - p[0].t_s).collect();
    assert!(gaps.iter().all(|g| *g > 0.005 - 1e-9), "{gaps:?}");
    let exact = gaps.iter().filter(|g| (**g - 0.005).abs() < 1e-9).count();
    assert!(exact * 10 >= gaps.len() * 8, "{gaps:?}");
}

#[test]
fn a_process_waiting_for_a_core_is_shown_so_and_by_whom_it_was_preempted() {
    let src = r#"import multiprocessing as mp

def cook():
    total = 0
    for i in range(300000):
        total += i * i

if __name__ == "__main__":
    ps = [mp.Process(target=cook) for _ in range(2)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
"#;
    let t = run(
        src,
        "waits.py",
        Profile {
            cores: 1,
            ..Profile::default()
        },
    )
    .unwrap();
    all_waits_known(&t);
    let core_waits: Vec<&Wait> = t
        .lanes
        .iter()
        .flat_map(|l| &l.spans)
        .filter(|s| s.state == State::WaitingCore)
        .filter_map(|s| s.wait.as_ref())
        .collect();
    assert!(!core_waits.is_empty());
    assert!(core_waits
        .iter()
        .all(|w| w.on == WaitOn::Core && w.what == "a free core"));
    // A preempted process names the one that took its core.
    assert!(core_waits
        .iter()
        .any(|w| lane_name(&t, w.lane).is_some_and(|n| n.starts_with("Process-"))));
}

#[test]
fn every_waiting_span_of_every_scenario_says_what_it_waits_for() {
    for s in kitchen::scenarios::SCENARIOS {
        let t = s.simulate(Profile::default()).unwrap();
        all_waits_known(&t);
    }
}
