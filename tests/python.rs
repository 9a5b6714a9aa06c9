//! The Python interpreter on the simulated clock: what programs print, when, and the errors
//! they get. Timings use the default profile; the fidelity suite (tests/fidelity.rs) compares
//! against real CPython.

use kitchen::core::profile::Profile;
use kitchen::python::{run, PyErrorKind};

fn profile(cores: u32) -> Profile {
    Profile {
        cores,
        ..Profile::default()
    }
}

/// (time, text) of every printed line.
fn prints(src: &str) -> Vec<(f64, String)> {
    let trace = run(src, "test.py", profile(4)).unwrap_or_else(|e| panic!("{e}"));
    trace.prints.into_iter().map(|p| (p.t_s, p.text)).collect()
}

fn texts(src: &str) -> Vec<String> {
    prints(src).into_iter().map(|(_, t)| t).collect()
}

#[test]
fn gather_overlaps_sleeps_and_blocking_steps_run_one_after_another() {
    let src = r#"
import asyncio

def chop(n):
    return sum(i * i for i in range(n))

async def order(k):
    await asyncio.sleep(1)
    print(f"order {k}: {chop(10**7)}")

async def main():
    await asyncio.gather(order(1), order(2), order(3))
    print("done")

asyncio.run(main())
"#;
    let p = prints(src);
    let expected: Vec<String> = (1..=3)
        .map(|k| format!("order {k}: 333333283333335000000"))
        .chain(["done".to_string()])
        .collect();
    assert_eq!(
        p.iter().map(|(_, t)| t.clone()).collect::<Vec<_>>(),
        expected
    );
    // One boil of 1 s for all three, then three CPU steps one after another on the loop.
    let c = Profile::default().loop_iteration_s * 1e7;
    assert!((p[0].0 - (1.0 + c)).abs() < 0.02, "{p:?}");
    assert!((p[2].0 - (1.0 + 3.0 * c)).abs() < 0.03, "{p:?}");
}

#[test]
fn threads_share_one_gil_for_cpu_work_but_sleep_together() {
    let src = r#"
import threading, time

def cook(k):
    time.sleep(1)
    total = 0
    for i in range(10**7):
        total += i * i
    print(f"cook {k}: {total % 1000}")

threads = [threading.Thread(target=cook, args=(k,)) for k in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("all done")
"#;
    let p = prints(src);
    assert_eq!(p.len(), 5);
    assert!(p[..4].iter().all(|(_, t)| t.ends_with(": 0")), "{p:?}");
    // Four CPU loops on one GIL take four times one loop, even with four cores.
    let c = Profile::default().for_iteration_s * 1e7;
    let end = p[4].0;
    assert!(
        end > 1.0 + 3.8 * c && end < 1.0 + 4.3 * c,
        "{end} vs c = {c}"
    );
}

#[test]
fn processes_compute_in_parallel_and_do_not_share_globals() {
    let src = r#"
import multiprocessing as mp

results = []

def cook(k):
    results.append(k)
    print(f"cook {k}: {sum(i * i for i in range(10**7)) % 7} {len(results)}")

if __name__ == "__main__":
    ps = [mp.Process(target=cook, args=(k,)) for k in range(4)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print("parent sees", len(results))
"#;
    let p = prints(src);
    assert_eq!(p.last().unwrap().1, "parent sees 0");
    assert!(p[..4].iter().all(|(_, t)| t.ends_with(" 1")), "{p:?}");
    let c = Profile::default().loop_iteration_s * 1e7;
    // Four cores: about one CPU step plus process start-up, not four.
    assert!(p.last().unwrap().0 < 1.5 * c, "{p:?}");
}

#[test]
fn to_thread_keeps_the_loop_free_but_cpu_work_still_takes_turns() {
    let src = r#"
import asyncio

def chop():
    return sum(i * i for i in range(10**7)) % 10

async def heartbeat():
    for _ in range(3):
        print("tick")
        await asyncio.sleep(0.1)

async def main():
    r = await asyncio.gather(asyncio.to_thread(chop), asyncio.to_thread(chop), heartbeat())
    print("chopped", r[0], r[1])

asyncio.run(main())
"#;
    let p = prints(src);
    let ticks: Vec<f64> = p
        .iter()
        .filter(|(_, t)| t == "tick")
        .map(|(s, _)| *s)
        .collect();
    assert_eq!(ticks.len(), 3);
    // The loop ticks while the threads compute...
    let c = Profile::default().loop_iteration_s * 1e7;
    assert!(ticks[2] < c, "{p:?}");
    // ...but the two CPU steps share one GIL: about 2c, not c.
    assert!(p.last().unwrap().0 > 1.9 * c, "{p:?}");
}

#[test]
fn semaphore_limits_concurrency() {
    let src = r#"
import asyncio

async def worker(sem, k):
    async with sem:
        print(f"start {k}")
        await asyncio.sleep(1)

async def main():
    sem = asyncio.Semaphore(3)
    await asyncio.gather(*(worker(sem, k) for k in range(7)))
    print("done")

asyncio.run(main())
"#;
    let p = prints(src);
    let starts: Vec<f64> = p
        .iter()
        .filter(|(_, t)| t.starts_with("start"))
        .map(|(s, _)| *s)
        .collect();
    assert_eq!(starts.len(), 7);
    assert!(starts[..3].iter().all(|s| *s < 0.01));
    assert!(
        starts[3..6].iter().all(|s| (*s - 1.0).abs() < 0.01),
        "{starts:?}"
    );
    assert!((starts[6] - 2.0).abs() < 0.01);
    assert!((p.last().unwrap().0 - 3.0).abs() < 0.01);
}

#[test]
fn executors_pools_queues_and_generators() {
    let src = r#"
from concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor, as_completed
import multiprocessing as mp

def numbers(n):
    for i in range(n):
        yield i

def squares(it):
    yield from (x * x for x in it)

def double(x):
    return 2 * x

if __name__ == "__main__":
    with ThreadPoolExecutor(max_workers=3) as ex:
        print(list(ex.map(double, squares(numbers(5)))))
    with ProcessPoolExecutor(max_workers=2) as ex:
        fs = [ex.submit(double, k) for k in range(3)]
        print(sorted(f.result() for f in as_completed(fs)))
    with mp.Pool(2) as pool:
        print(pool.map(double, range(6)))
    q = mp.Queue()
    p = mp.Process(target=q.put, args=({"k": [1, 2]},))
    p.start()
    print(q.get())
    p.join()
"#;
    assert_eq!(
        texts(src),
        [
            "[0, 2, 8, 18, 32]",
            "[0, 2, 4]",
            "[0, 2, 4, 6, 8, 10]",
            "{'k': [1, 2]}"
        ]
    );
}

#[test]
fn seeded_random_gives_cpythons_numbers() {
    // python3 -c "import random; random.seed(42); print(random.randint(1, 6), random.random()); x = list(range(6)); random.shuffle(x); print(x, random.choice('abc'))"
    let src = "import random\nrandom.seed(42)\nprint(random.randint(1, 6), random.random())\nx = list(range(6))\nrandom.shuffle(x)\nprint(x, random.choice('abc'))\n";
    assert_eq!(
        texts(src),
        ["6 0.11133106816568039", "[3, 4, 0, 1, 2, 5] c"]
    );
}

#[test]
fn language_features() {
    let src = r#"
def f(a, b=2, *rest, c=3, **kw):
    return (a, b, rest, c, sorted(kw))
print(f(1), f(1, 5, 6, 7, c=4, z=1))
print([x * 2 for x in range(5) if x % 2], {k: v for k, v in zip("ab", [1, 2])})
adders = [lambda y, k=k: y + k for k in range(3)]
print([g(10) for g in adders])
def outer():
    n = 0
    def inc():
        nonlocal n
        n += 1
        return n
    inc(); inc()
    return n
print(outer(), max([3, 1, 2], key=lambda v: -v), min(4, 2, 8), len("héllo"))
try:
    {}["missing"]
except KeyError as e:
    print("KeyError", e)
finally:
    print("cleanup")
for i, word in enumerate(["a", "b"], start=1):
    if i == 2:
        break
    print(i, word)
else:
    print("no break")
print(f"{3.14159:.2f}|{42:>5}|{7:03d}|{1234567:,}|{0.5:.0%}", 10**20, 7 // -2, -7 % 3, 1e-7)
"#;
    assert_eq!(
        texts(src),
        [
            "(1, 2, (), 3, []) (1, 5, (6, 7), 4, ['z'])",
            "[2, 6] {'a': 1, 'b': 2}",
            "[10, 11, 12]",
            "2 1 2 5",
            "KeyError 'missing'",
            "cleanup",
            "1 a",
            "3.14|   42|007|1,234,567|50% 100000000000000000000 -4 2 1e-07",
        ]
    );
}

/// (An endless loop's error, at the operation budget, is in `tests/budget.rs`.)
#[test]
fn errors_name_the_place_and_never_panic() {
    let cases = [
        ("def (:\n", PyErrorKind::Syntax, 1),
        (
            "x = 1\nmatch x:\n    case 1:\n        pass\n",
            PyErrorKind::Unsupported,
            2,
        ),
        ("import socket\n", PyErrorKind::Unsupported, 1),
        ("x = 1\ny = x / 0\n", PyErrorKind::Uncaught, 2),
        (
            "import threading\nl = threading.Lock()\nl.acquire()\nl.acquire()\n",
            PyErrorKind::Deadlock,
            4,
        ),
    ];
    for (src, kind, line) in cases {
        let e = run(src, "t.py", profile(2)).expect_err(src);
        assert_eq!((e.kind, e.line), (kind, line), "{src}: {e}");
    }
}

#[test]
fn a_program_is_deterministic() {
    let src = "import asyncio\nasync def a(k):\n    await asyncio.sleep(k / 10)\n    print(k)\nasync def main():\n    await asyncio.gather(*(a(k) for k in range(5, 0, -1)))\nasyncio.run(main())\n";
    let one = run(src, "t.py", profile(2)).unwrap();
    let two = run(src, "t.py", profile(2)).unwrap();
    assert_eq!(one, two);
    assert_eq!(texts(src), ["1", "2", "3", "4", "5"]);
    // Every lane of a Python program points at code.
    assert!(one.code.is_some());
    assert!(one
        .lanes
        .iter()
        .any(|l| l.spans.iter().any(|s| s.line.is_some())));
}

/// A task waiting on `asyncio.sleep` is parked on its timer, not polled: a 30 s sleep is a
/// handful of spans, however long it is. (It once went back to the ready queue after every
/// step and hit the step budget after 4 s of simulated time.)
#[test]
fn a_sleeping_task_waits_on_its_timer_without_polling() {
    let src = r#"
import asyncio

async def main():
    await asyncio.sleep(30)
    print("pasta ready")

asyncio.run(main())
"#;
    let trace = run(src, "test.py", profile(4)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(trace.prints.len(), 1);
    assert!(
        (trace.prints[0].t_s - 30.0).abs() < 0.01,
        "{:?}",
        trace.prints
    );
    let spans: usize = trace.lanes.iter().map(|l| l.spans.len()).sum();
    assert!(spans < 20, "{spans} spans for one sleep");
}

/// What CPython prints running `tests/programs/<name>`, line by line (`KITCHEN_PYTHON`
/// names the interpreter, `python3` by default).
fn cpython_prints(name: &str) -> Vec<String> {
    let path = format!("{}/tests/programs/{name}", env!("CARGO_MANIFEST_DIR"));
    let python = std::env::var("KITCHEN_PYTHON").unwrap_or_else(|_| "python3".into());
    let out = std::process::Command::new(&python)
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("this test needs CPython as `{python}`: {e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// Runs the tour `tests/programs/<name>` in the kitchen and under CPython: the printed lines
/// must be the same, line for line.
fn assert_tour_prints_what_cpython_prints(name: &str) {
    let path = format!("{}/tests/programs/{name}", env!("CARGO_MANIFEST_DIR"));
    let src = std::fs::read_to_string(&path).unwrap();
    let kitchen = texts(&src);
    let cpython = cpython_prints(name);
    for (i, (k, c)) in kitchen.iter().zip(&cpython).enumerate() {
        assert_eq!(k, c, "{name}: line {} of the output differs", i + 1);
    }
    assert_eq!(kitchen.len(), cpython.len(), "{name}: {kitchen:?}");
}

/// The subset tour (`tests/programs/subset_tour.py`) prints what CPython prints, line for line.
#[test]
fn the_subset_tour_prints_what_cpython_prints() {
    assert_tour_prints_what_cpython_prints("subset_tour.py");
}

/// Classes as tutorials write them (`tests/programs/classes_tour.py`).
#[test]
fn the_classes_tour_prints_what_cpython_prints() {
    assert_tour_prints_what_cpython_prints("classes_tour.py");
}

/// A huge sleep is clamped to a day, with a note in the trace, not an error or a frozen run.
#[test]
fn a_huge_sleep_is_clamped_with_a_note() {
    let src = "import time\ntime.sleep(10**100)\nprint('awake')\n";
    let trace = run(src, "test.py", profile(4)).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        (trace.prints[0].t_s - 86_400.0).abs() < 1e-3,
        "{:?}",
        trace.prints
    );
    assert!(
        trace.notes.iter().any(|n| n.contains("clamped")),
        "{:?}",
        trace.notes
    );
}

/// A process ends with work of its own (exit handlers, the kernel freeing its memory), on a
/// core, and `join()` returns only after it: CPython's `join` waits for the process to be gone.
#[test]
fn join_waits_for_a_process_to_end() {
    let src = r#"
import multiprocessing as mp

def cook():
    print("child: done")

if __name__ == "__main__":
    p = mp.Process(target=cook)
    p.start()
    p.join()
    print("parent: joined")
"#;
    let costs = Profile {
        process_start_s: 0.001,
        process_boot_s: 0.002,
        process_exit_s: 0.030,
        child_poll_s: 0.0,
        ..profile(2)
    };
    let trace = run(src, "test.py", costs).unwrap_or_else(|e| panic!("{e}"));
    let at = |text: &str| trace.prints.iter().find(|p| p.text == text).unwrap().t_s;
    let (done, joined) = (at("child: done"), at("parent: joined"));
    assert!((done - 0.003).abs() < 0.001, "{done}");
    assert!((joined - done - 0.030).abs() < 0.001, "{done} {joined}");
    let exit = trace
        .lanes
        .iter()
        .flat_map(|l| &l.spans)
        .find(|s| s.label == "process exit")
        .expect("an exit span");
    assert!(exit.state.on_cpu() && (exit.end_s - exit.start_s - 0.030).abs() < 1e-9);
}

#[test]
fn the_program_sees_the_cores_the_simulation_has_even_when_clamped() {
    let src = "import multiprocessing\nprint(multiprocessing.cpu_count())\n";
    for (asked, used) in [(0, 1), (3, 3), (100_000, 256)] {
        let trace = run(src, "test.py", profile(asked)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(trace.prints[0].text, used.to_string(), "--cores {asked}");
        assert_eq!(trace.profile.cores, used, "--cores {asked}");
        let noted = trace.notes.iter().any(|n| n.starts_with("cores = "));
        assert_eq!(noted, asked != used, "{:?}", trace.notes);
    }
}
