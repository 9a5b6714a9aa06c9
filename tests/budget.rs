//! The limits of a run (`python::runtime::budget`): an endless loop stops with a message that
//! names its line, whether the operation budget or a watcher (the wall-clock guard) stops it;
//! the classroom race demo runs well within the budget; watchers see the run's progress.
//!
//! The endless loops here run against small budgets: the default one is several seconds of
//! an optimised build's time, minutes of a debug build's. That the default budget leaves room
//! is checked by counting what the demo takes.

use std::cell::Cell;
use std::rc::Rc;

use kitchen::core::profile::Profile;
use kitchen::python::{
    run_with, time_limit, Limits, Progress, PyErrorKind, Watcher, OP_BUDGET, WATCH_EVERY,
};

const SPIN: &str =
    "def spin():\n    n = 0\n    while True:\n        n += 1\n\nprint('start')\nspin()\n";

fn budget(max_ops: u64) -> Limits {
    Limits {
        max_ops,
        ..Limits::default()
    }
}

#[test]
fn an_endless_loop_stops_at_the_budget_on_its_own_line() {
    let e = run_with(SPIN, "spin.py", Profile::default(), budget(1_000_000)).unwrap_err();
    assert_eq!(e.kind, PyErrorKind::StepBudget, "{e}");
    // The loop's body or its `while`: the line inside `spin`, not the call at line 7.
    assert!(matches!(e.line, 3 | 4), "{e}");
    assert!(
        e.message
            .starts_with("stopped after 1000000 interpreted operations, at "),
        "{e}"
    );
    assert!(e.message.contains("never ends"), "{e}");
}

#[test]
fn the_budget_is_the_same_on_every_run() {
    // Deterministic: the same program stops at the same operation, line and simulated time.
    let one = run_with(SPIN, "spin.py", Profile::default(), budget(300_000)).unwrap_err();
    let two = run_with(SPIN, "spin.py", Profile::default(), budget(300_000)).unwrap_err();
    assert_eq!(one, two);
}

/// The race demo of every threading lesson, as tutorials write it (the read and the write on
/// lines of their own, so that it is not one closed-form loop).
const RACE: &str = r#"
import threading

counter = 0

def increment(n):
    global counter
    for _ in range(n):
        current = counter
        counter = current + 1

threads = [threading.Thread(target=increment, args=(100_000,)) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"counter = {counter}")
"#;

#[test]
fn two_threads_of_100000_increments_run_well_within_the_default_budget() {
    let (trace, progress) = run_with(RACE, "race.py", Profile::default(), Limits::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        trace.prints.last().map(|p| p.text.as_str()),
        Some("counter = 200000")
    );
    // About 1.8 million operations (nine a turn): a small part of the budget, so ten times
    // as many increments would still run.
    assert!(progress.ops > 1_000_000, "{progress:?}");
    assert!(progress.ops * 10 < OP_BUDGET, "{progress:?}");
    assert!(progress.simulated_s > 0.0, "{progress:?}");
}

#[test]
fn watchers_see_the_progress_and_can_stop_the_run_at_its_line() {
    let seen: Rc<std::cell::RefCell<Vec<Progress>>> = Rc::default();
    let log = seen.clone();
    let watcher: Watcher = Box::new(move |p: &Progress| {
        log.borrow_mut().push(*p);
        if log.borrow().len() == 3 {
            Err("stopped by the test".into())
        } else {
            Ok(())
        }
    });
    let limits = Limits::default().watched_by(watcher);
    let e = run_with(SPIN, "spin.py", Profile::default(), limits).unwrap_err();
    assert_eq!(e.kind, PyErrorKind::StepBudget);
    assert!(matches!(e.line, 3 | 4), "{e}");
    assert!(e.message.starts_with("stopped by the test, at "), "{e}");
    let seen = seen.borrow();
    assert_eq!(seen.len(), 3);
    // Every WATCH_EVERY operations, with the simulated time reached going forward.
    for (i, p) in seen.iter().enumerate() {
        assert_eq!(p.ops, WATCH_EVERY * (i as u64 + 1), "{seen:?}");
    }
    assert!(
        seen[0].simulated_s > 0.0 && seen[2].simulated_s > seen[0].simulated_s,
        "{seen:?}"
    );
}

#[test]
fn the_time_limit_stops_a_run_after_its_seconds_of_engine_time() {
    // A clock that moves a second each time it is read: the guard reads it once when made
    // and once at every checkpoint, so it stops the run at the third checkpoint.
    let ticks = Rc::new(Cell::new(0.0));
    let clock = ticks.clone();
    let guard = time_limit(2.5, move || {
        clock.set(clock.get() + 1.0);
        clock.get()
    });
    let limits = Limits::default().watched_by(guard);
    let e = run_with(SPIN, "spin.py", Profile::default(), limits).unwrap_err();
    assert_eq!(e.kind, PyErrorKind::StepBudget);
    assert!(matches!(e.line, 3 | 4), "{e}");
    assert!(
        e.message
            .starts_with("stopped after 3.0 s of engine time (the limit is 2.5 s), at "),
        "{e}"
    );
    assert_eq!(ticks.get(), 4.0);
    // A program that ends in time is not stopped, and the guard costs it nothing it prints.
    let ticks = Rc::new(Cell::new(0.0));
    let guard = time_limit(2.5, move || ticks.get());
    let limits = Limits::default().watched_by(guard);
    let (trace, _) = run_with(RACE, "race.py", Profile::default(), limits).unwrap();
    assert_eq!(trace.prints.len(), 1);
}

#[test]
fn the_prelude_loads_on_a_slow_machine_too() {
    // The prelude runs to its end before the program, however many CPU quanta it takes: on a
    // machine 300 times slower than CPython's default op cost it takes many.
    let profile = Profile {
        op_s: Profile::default().op_s * 300.0,
        ..Profile::default()
    };
    let trace = kitchen::python::run("print('hello')\n", "slow.py", profile).expect("it runs");
    assert_eq!(trace.prints.len(), 1);
    assert_eq!(trace.prints[0].text, "hello");
}
