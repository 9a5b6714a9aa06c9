//! Fidelity: `kitchen run` against real CPython, program by program.
//!
//! Every program in `tests/fidelity/` (and every built-in scenario in `src/scenarios/`, scaled
//! down) is run twice over: by the interpreter on its simulated clock,
//!
//! ```text
//! kitchen run PROGRAM.py --profile <target tmpdir>/fidelity-profile.json
//! ```
//!
//! and by real CPython, `python3 tests/fidelity/stamp.py PROGRAM.py`, which stamps each printed
//! line with the seconds since the program started (see the docstring of `stamp.py`). Both print
//! `<seconds>\t<text>` lines. The profile is measured once per test run on this very machine by
//! `kitchen calibrate --out <target tmpdir>/fidelity-profile.json` (cost of a loop turn, of a
//! thread and process start, of pickling; cores = `os.cpu_count()`), so the simulation
//! pretends to be the machine CPython runs on.
//!
//! # The rules
//!
//! Tags. A program puts a tag at the start of each line it prints: the text before the first
//! `:` (`order 2: sauce ready` has the tag `order 2`). A tag names one *task*: one coroutine,
//! thread or process, whose own lines come in program order. Lines without a `:` (the final
//! `done`) share the tag `(untagged)`, the main program's.
//!
//! (a) Same lines: the multiset of printed texts must be equal.
//!
//! (b) Same order within each task: for every tag, the lines with that tag come in the same
//!     order. CPython's order within one task is fixed by the program, so this holds for
//!     every program whose tags name tasks. The scaled-down `threads` and `processes`
//!     scenarios print `order N:` from three workers each (boil, chop, sauce), so there (b) is
//!     not checked; the test says so on stderr.
//!
//! (c) Same total order, for the programs where CPython's order is deterministic: those with a
//!     line `# fidelity: total-order` (single-threaded asyncio programs whose events are far
//!     enough apart, programs where only the main thread prints). Any other `# fidelity:`
//!     line is an error, so a typo cannot switch a check off.
//!
//! (d) Same total time: the timestamp of the last line (the programs in `tests/fidelity/` end by
//!     printing `done`; a scenario's last line ends it too) must be within 15 % of CPython's:
//!     |kitchen − cpython| ≤ 0.15 × cpython, for a simulation that used the CPU time the
//!     CPython run used (below). This is the check of the scheduling: given the work, does the
//!     kitchen put it on the clock as CPython does (one core under the GIL, every core for
//!     processes, sleeps that overlap, process starts in turn)?
//!
//! (e) Same CPU time, roughly: the simulation at the machine's probed speed must use the CPU
//!     time the CPython run used (its own and its children's, `stamp.py`'s `cpu`), within
//!     50 %. This is the guard on the costs, which (d) takes as measured: a kitchen that
//!     charged half of what CPython spends (a fast path that forgot a factor, a cost left
//!     out) fails here. It cannot be tighter on these machines: the probes and the
//!     calibration are short samples of a speed that moves (below), and the medians of this
//!     check moved between -17 % and +33 % from one test run to the next for the same
//!     program (`thousand_processes`, whose CPU is mostly process starts and ends), and up
//!     to ±20 % for CPU-bound ones; each run's figure is printed. Programs using less than
//!     [`MIN_CPU_S`] (the sleep-only asyncio programs) are exempt: their CPU time is
//!     CPython's own bookkeeping, which the kitchen does not model in detail. A program
//!     whose CPU the kitchen is known to undercharge says so and why (`same_cpu`).
//!
//! # Noise: the machine's speed, probed at every run
//!
//! The simulation is deterministic, CPython's run is real and noisy. On the 2-core virtual
//! machines this project is built on, the noise is large and has two time scales. From one
//! 10 ms try to the next, the same loop (timed in the thread's own CPU time) took about 43 or
//! about 70 ns a turn, and a program computing for half a second ran at the mix of both,
//! 20-30 % slower than the fastest try. Over minutes, the mix itself changes (the host's other
//! guests; the guest does not see it as steal time). Twelve runs of the same 12-million-turn
//! CPU loop in a row took between 0.547 s and 0.767 s.
//!
//! So `kitchen calibrate` measures CPU costs as the mean of many short tries (the speed a
//! computing program gets), and the test follows the machine's phases run by run: `stamp.py`
//! probes the speed before and after each CPython run the same way (the mean of ten short
//! runs of the loop `kitchen calibrate` times for `for_iteration_s`), and each run is
//! compared with its own simulation, whose interpreter costs ([`CPU_COSTS`]) are the
//! calibrated ones times that run's probes over the calibrated `for_iteration_s`: a profile
//! calibrated on the same machine at the same moment. The OS's share of `Process.start()`
//! follows a probe of its own, the CPU time of a fork, against the same probe taken right
//! after the calibration ([`FORK_COSTS`]). Waiting (sleeps, pipe latency) and thread starts
//! are not scaled. That simulation is the one rule (e) compares.
//!
//! The probes are 50 ms samples before and after a run, not the run: in a clean-clone CI run
//! the all-core probes said 1.24 to 1.34 times the calibrated cost for fifteen runs of
//! `pool_map.py` in a row while the program itself ran at about the calibrated speed, and
//! its simulation was 19-21 % slow. Rule (d) therefore does not rest on the probes: the CPU
//! time of the run itself says how fast the machine was while the program ran. The
//! probed simulation's CPU and wall-clock costs ([`CPU_COSTS`], [`FORK_COSTS`]) are scaled
//! once more, by CPython's CPU time over that simulation's, and the simulation run again; its
//! total time is what (d) compares. With it, the medians of (d) were within ±7 % for every
//! program in two test runs, where the probes alone had left `pool_map` and
//! `thousand_processes` at +11 to +19 %.
//!
//! Programs that start processes are matched with the probe run on every core at once (one
//! probe process per core). Their CPython times were bimodal (`mp_queue.py`: 0.20-0.25 s or
//! 0.35-0.40 s, `process_pool.py`: 0.71 s or 1.1 s) while the one-core probe saw nothing: for
//! stretches, the host gave the two virtual cores the time of about one, which only a probe
//! on both cores notices.
//!
//! The test takes the **median of the five comparisons**: one or two outliers, in either
//! direction, cannot decide it. Where it still misses, the program gets five more runs, and
//! five more, and the median of all comparisons so far decides each time: more data, less
//! noise, the same rule. A simulation that is really 20 % off misses on fifteen runs as on
//! five; every miss is reported on stderr all the same.
//!
//! Checks (a) to (c) are made against every CPython run, and each CPython run is also compared
//! with the first one by the same rules: if CPython disagrees with itself, the test fails
//! blaming the program (it is not deterministic where it claims to be), not the interpreter.
//!
//! All runs of the test binary (calibration, kitchen, CPython) go through one lock: tests run
//! in parallel threads, and a CPU-bound program next to another would measure the contention,
//! not itself.
//!
//! A timing failure names the machine's load average: on a machine busy with other work,
//! CPython's CPU-bound runs are slowed by a varying amount that no repeat count removes; run
//! the suite on a quiet machine (CI's is).
//!
//! Nothing is skipped: without `python3` (or `$KITCHEN_PYTHON`) the tests fail and say so. On
//! failure the message shows both outputs side by side, rows whose texts differ marked `*`.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use kitchen::core::summary::Summary;
use kitchen::core::trace::Trace;

/// Allowed relative difference of the total time (rule (d)).
const TOLERANCE: f64 = 0.15;
/// Allowed relative difference of the CPU time at the probed speed (rule (e)).
const CPU_TOLERANCE: f64 = 0.5;
/// Programs that use less CPU than this in CPython are not held to rule (e), and their
/// simulation is not scaled to their CPU time (a few milliseconds of bookkeeping say nothing
/// about the machine's speed).
const MIN_CPU_S: f64 = 0.05;
/// CPython runs whose median is compared with the simulation (see the module doc).
const CPYTHON_RUNS: usize = 5;
/// Rounds of [`CPYTHON_RUNS`] runs a program gets while its total time misses (see the module
/// doc), each judged on all the runs so far.
const MEASURE_ROUNDS: usize = 3;
/// Longest a single run (calibration included) may take before it is killed.
const RUN_LIMIT: Duration = Duration::from_secs(300);
/// The directive that marks a program whose printed order CPython always keeps.
const TOTAL_ORDER: &str = "total-order";

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");
const KITCHEN: &str = env!("CARGO_BIN_EXE_kitchen");
const TMP: &str = env!("CARGO_TARGET_TMPDIR");

// ---------------------------------------------------------------------------------------------
// The programs

/// Every program in `tests/fidelity/` (besides `stamp.py`) has a test of the same name below;
/// `every_program_has_a_test` keeps this list and the directory in step.
const PROGRAMS: &[&str] = &[
    "event_lock.py",
    "gather_blocking.py",
    "mp_queue.py",
    "nine_processes.py",
    "nine_threads.py",
    "pool_map.py",
    "process_pool.py",
    "queue_pipeline.py",
    "seeded_menu.py",
    "semaphore.py",
    "sequential_vs_tasks.py",
    "thread_pool_pipeline.py",
    "to_thread.py",
    "wait_for.py",
];

#[test]
fn gather_blocking() {
    check_program("gather_blocking.py");
}

#[test]
fn sequential_vs_tasks() {
    check_program("sequential_vs_tasks.py");
}

#[test]
fn semaphore() {
    check_program("semaphore.py");
}

#[test]
fn to_thread() {
    check_program("to_thread.py");
}

#[test]
fn nine_threads() {
    check_program("nine_threads.py");
}

#[test]
fn thread_pool_pipeline() {
    check_program("thread_pool_pipeline.py");
}

#[test]
fn nine_processes() {
    check_program("nine_processes.py");
}

#[test]
fn pool_map() {
    check_program("pool_map.py");
}

#[test]
fn seeded_menu() {
    check_program("seeded_menu.py");
}

#[test]
fn queue_pipeline() {
    check_program("queue_pipeline.py");
}

#[test]
fn wait_for() {
    check_program("wait_for.py");
}

#[test]
fn process_pool() {
    check_program("process_pool.py");
}

#[test]
fn event_lock() {
    check_program("event_lock.py");
}

#[test]
fn mp_queue() {
    check_program("mp_queue.py");
}

// ---------------------------------------------------------------------------------------------
// The built-in scenarios, scaled down

/// A built-in scenario of `src/scenarios/`, with the constants its test rewrites (the lines
/// `NAME = value` at its top) and the checks that apply.
struct Scenario {
    file: &'static str,
    constants: &'static [(&'static str, &'static str)],
    /// (b) applies: each tag names one task. `Err` says why it does not.
    per_task: Result<(), &'static str>,
    /// (c) applies: CPython always prints the lines in one order.
    total_order: bool,
    /// (e) applies: the kitchen charges the CPU time CPython spends. `Err` says why not.
    same_cpu: Result<(), &'static str>,
}

const THREAD_LIVES: &str = "CPython spends about 220 µs of CPU on each of 1,000 threads that \
     sleep together (a new thread's bootstrap, its end, and the GIL hand-offs of 1,000 threads \
     waking at once); the kitchen charges the 95 µs of a thread start, so it uses 55-65 % less \
     CPU; the total time, which that CPU is spread under, is still checked";

const SHARED_TAGS: &str = "three workers (boil, chop, sauce) print `order N:` each; \
     whether an order's chop or its sauce ends first is up to the GIL or the OS";

const SCENARIOS: &[Scenario] = &[
    Scenario {
        file: "asyncio_blocking.py",
        constants: &[("BOIL_SECONDS", "0.3"), ("CPU_N", "10**6")],
        per_task: Ok(()),
        total_order: true,
        same_cpu: Ok(()),
    },
    Scenario {
        file: "asyncio_to_thread.py",
        constants: &[("BOIL_SECONDS", "0.3"), ("CPU_N", "2 * 10**6")],
        per_task: Ok(()),
        total_order: false,
        same_cpu: Ok(()),
    },
    Scenario {
        file: "threads.py",
        constants: &[("BOIL_SECONDS", "0.1"), ("CPU_N", "2 * 10**6")],
        per_task: Err(SHARED_TAGS),
        total_order: false,
        same_cpu: Ok(()),
    },
    Scenario {
        file: "processes.py",
        constants: &[("BOIL_SECONDS", "0.1"), ("CPU_N", "3 * 10**6")],
        per_task: Err(SHARED_TAGS),
        total_order: false,
        same_cpu: Ok(()),
    },
    Scenario {
        file: "thousand_asyncio.py",
        constants: &[("BOIL_SECONDS", "0.5"), ("POTS", "1000")],
        per_task: Ok(()),
        total_order: true,
        same_cpu: Ok(()),
    },
    Scenario {
        file: "thousand_threads.py",
        constants: &[("BOIL_SECONDS", "0.5"), ("POTS", "1000")],
        per_task: Ok(()),
        total_order: true,
        same_cpu: Err(THREAD_LIVES),
    },
    Scenario {
        file: "thousand_processes.py",
        constants: &[("BOIL_SECONDS", "0.5"), ("POTS", "200")],
        per_task: Ok(()),
        total_order: true,
        same_cpu: Ok(()),
    },
    // The lessons of the course (issue 10).
    Scenario {
        file: "concurrency_vs_parallelism.py",
        // Four kitchens on the 2-core test machines: Linux cannot share 2 cores evenly among
        // 3 CPU-bound processes (README, known differences), 4 it can.
        constants: &[
            ("CPU_N", "10**6"),
            ("DISHES", r#"["soup", "risotto", "curry", "stew"]"#),
        ],
        per_task: Ok(()),
        total_order: false,
        same_cpu: Ok(()),
    },
    Scenario {
        file: "await_vs_create_task.py",
        constants: &[("BOIL_SECONDS", "0.3")],
        per_task: Ok(()),
        total_order: true,
        same_cpu: Ok(()),
    },
    Scenario {
        file: "process_lifecycle.py",
        constants: &[("CPU_N", "10**6")],
        per_task: Ok(()),
        total_order: true,
        same_cpu: Ok(()),
    },
    Scenario {
        file: "to_thread_io.py",
        constants: &[("BOIL_SECONDS", "0.2")],
        per_task: Ok(()),
        total_order: false,
        same_cpu: Ok(()),
    },
    Scenario {
        file: "restaurant_semaphore.py",
        constants: &[("BOIL_SECONDS", "0.3")],
        per_task: Ok(()),
        total_order: true,
        same_cpu: Ok(()),
    },
    Scenario {
        file: "race_lost_update.py",
        constants: &[("PLATES", "300000")],
        per_task: Ok(()),
        total_order: true,
        same_cpu: Ok(()),
    },
    Scenario {
        file: "restaurant_pool.py",
        // A plating step short beside the gaps between the dishes' ends, so that which chef
        // takes which ticket is the same on every run.
        constants: &[("BOIL_SECONDS", "0.3"), ("CPU_N", "10**5")],
        per_task: Ok(()),
        total_order: true,
        same_cpu: Ok(()),
    },
    Scenario {
        file: "cpu_to_processes.py",
        // Four orders and four workers on the 2-core test machines (see above).
        constants: &[("CPU_N", "10**6"), ("ORDERS", "4")],
        per_task: Ok(()),
        total_order: true,
        same_cpu: Ok(()),
    },
];

#[test]
fn scenario_asyncio_blocking() {
    check_scenario("asyncio_blocking.py");
}

#[test]
fn scenario_asyncio_to_thread() {
    check_scenario("asyncio_to_thread.py");
}

#[test]
fn scenario_threads() {
    check_scenario("threads.py");
}

#[test]
fn scenario_processes() {
    check_scenario("processes.py");
}

#[test]
fn scenario_thousand_asyncio() {
    check_scenario("thousand_asyncio.py");
}

#[test]
fn scenario_thousand_threads() {
    check_scenario("thousand_threads.py");
}

#[test]
fn scenario_thousand_processes() {
    check_scenario("thousand_processes.py");
}

#[test]
fn scenario_concurrency_vs_parallelism() {
    check_scenario("concurrency_vs_parallelism.py");
}

#[test]
fn scenario_await_vs_create_task() {
    check_scenario("await_vs_create_task.py");
}

#[test]
fn scenario_process_lifecycle() {
    check_scenario("process_lifecycle.py");
}

#[test]
fn scenario_to_thread_io() {
    check_scenario("to_thread_io.py");
}

#[test]
fn scenario_restaurant_semaphore() {
    check_scenario("restaurant_semaphore.py");
}

#[test]
fn scenario_race_lost_update() {
    check_scenario("race_lost_update.py");
}

#[test]
fn scenario_restaurant_pool() {
    check_scenario("restaurant_pool.py");
}

#[test]
fn scenario_cpu_to_processes() {
    check_scenario("cpu_to_processes.py");
}

// ---------------------------------------------------------------------------------------------
// Checks of the suite itself (these need CPython only)

/// A new program in `tests/fidelity/` or `src/scenarios/` without a test would be skipped
/// silently; so would a program whose last line is not `done`.
#[test]
fn every_program_has_a_test() {
    let listed = |dir: &str| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(Path::new(MANIFEST_DIR).join(dir))
            .unwrap_or_else(|e| panic!("cannot list {dir}: {e}"))
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".py") && name != "stamp.py")
            .collect();
        names.sort();
        names
    };
    let mut programs: Vec<String> = PROGRAMS.iter().map(|p| p.to_string()).collect();
    programs.sort();
    assert_eq!(
        listed("tests/fidelity"),
        programs,
        "PROGRAMS and tests/fidelity/ differ"
    );
    let mut scenarios: Vec<String> = SCENARIOS.iter().map(|s| s.file.to_string()).collect();
    scenarios.sort();
    assert_eq!(
        listed("src/scenarios"),
        scenarios,
        "SCENARIOS and src/scenarios/ differ"
    );

    let this_file = std::fs::read_to_string(Path::new(MANIFEST_DIR).join("tests/fidelity.rs"))
        .expect("tests/fidelity.rs is readable");
    for program in PROGRAMS {
        let call = format!("check_program(\"{program}\")");
        assert!(this_file.contains(&call), "no test calls {call}");
        let source = read(&program_path(program));
        assert!(
            source.contains("print(\"done\")"),
            "{program} must end by printing `done`"
        );
        directives(program, &source);
    }
    for scenario in SCENARIOS {
        let call = format!("check_scenario(\"{}\")", scenario.file);
        assert!(this_file.contains(&call), "no test calls {call}");
    }
}

/// `stamp.py` stamps lines from the main thread, a thread and a forked process with one clock,
/// in time order, counts the child's CPU time in the program's, and passes on a failing
/// program's exit status and traceback.
#[test]
fn stamp_py_stamps_threads_and_processes() {
    let dir = Path::new(TMP).join("fidelity-stamp");
    std::fs::create_dir_all(&dir).unwrap();
    let program = dir.join("three_voices.py");
    std::fs::write(
        &program,
        r#"import multiprocessing
import threading
import time

def cook():
    sum(i * i for i in range(2 * 10**6))
    time.sleep(0.2)
    print("child: done boiling")

def helper():
    time.sleep(0.15)
    print("helper: plates warm", "twice", sep=", ")

if __name__ == "__main__":
    print("main: start")
    p = multiprocessing.Process(target=cook)
    t = threading.Thread(target=helper)
    p.start()
    t.start()
    t.join()
    p.join()
    print("done")
"#,
    )
    .unwrap();
    let run = {
        let _machine = machine();
        run_cpython(&program)
    };
    let lines = run.lines.unwrap_or_else(|e| panic!("{e}"));
    let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "main: start",
            "helper: plates warm, twice",
            "child: done boiling",
            "done"
        ],
        "{}",
        show(&lines)
    );
    let t: Vec<f64> = lines.iter().map(|l| l.t).collect();
    assert!(t[0] < 0.1, "{}", show(&lines));
    assert!((0.15..0.6).contains(&t[1]), "{}", show(&lines));
    assert!((0.25..0.9).contains(&t[2]), "{}", show(&lines));
    assert!(t[3] >= t[2] && t[3] < 1.5, "{}", show(&lines));
    // The child's 2 million turns take about 0.1 s; the rest of the program a few ms.
    assert!(
        (0.05..1.0).contains(&run.cpu_s),
        "CPU time {} s: the child's is missing, or the sleeps are counted",
        run.cpu_s
    );

    let failing = dir.join("burnt.py");
    std::fs::write(
        &failing,
        "print(\"chef: oops\")\nraise ValueError(\"burnt\")\n",
    )
    .unwrap();
    let run = {
        let _machine = machine();
        run_cpython(&failing)
    };
    let err = run.lines.expect_err("a failing program fails");
    assert!(err.contains("0.0") && err.contains("chef: oops"), "{err}");
    assert!(
        err.contains("burnt.py\", line 2") && err.contains("ValueError: burnt"),
        "{err}"
    );
    assert!(!err.contains("runpy"), "stamp.py's own frames leak: {err}");
}

// ---------------------------------------------------------------------------------------------
// The harness

/// One printed line: seconds since the program started, and the text.
#[derive(Clone, Debug, PartialEq)]
struct Line {
    t: f64,
    text: String,
}

/// What is checked for one program.
struct Case {
    /// The name in messages.
    name: String,
    /// The program as both runners get it.
    path: PathBuf,
    per_task: Result<(), &'static str>,
    total_order: bool,
    same_cpu: Result<(), &'static str>,
    /// The program starts processes, which keep several cores busy at once: its runs are
    /// matched with the probes taken on every core at once (see `stamp.py`).
    parallel: bool,
}

/// Whether a program starts processes (`multiprocessing`, `ProcessPoolExecutor`).
fn starts_processes(source: &str) -> bool {
    source.contains("multiprocessing") || source.contains("ProcessPoolExecutor")
}

fn check_program(file: &str) {
    let path = program_path(file);
    let source = read(&path);
    let total_order = directives(file, &source).iter().any(|d| d == TOTAL_ORDER);
    check(&Case {
        name: file.to_string(),
        path,
        per_task: Ok(()),
        total_order,
        same_cpu: Ok(()),
        parallel: starts_processes(&source),
    });
}

fn check_scenario(file: &str) {
    let scenario = SCENARIOS
        .iter()
        .find(|s| s.file == file)
        .unwrap_or_else(|| panic!("{file} is not in SCENARIOS"));
    let source = read(&Path::new(MANIFEST_DIR).join("src/scenarios").join(file));
    let scaled = with_constants(file, &source, scenario.constants);
    let dir = Path::new(TMP).join("fidelity-scenarios");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(file);
    std::fs::write(&path, scaled).unwrap();
    check(&Case {
        name: format!("src/scenarios/{file} (scaled: {:?})", scenario.constants),
        path,
        per_task: scenario.per_task,
        total_order: scenario.total_order,
        same_cpu: scenario.same_cpu,
        parallel: starts_processes(&source),
    });
}

fn program_path(file: &str) -> PathBuf {
    Path::new(MANIFEST_DIR).join("tests/fidelity").join(file)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The `# fidelity: ...` directives of a program; unknown ones are an error.
fn directives(file: &str, source: &str) -> Vec<String> {
    source
        .lines()
        .filter_map(|line| line.trim().strip_prefix("# fidelity:"))
        .map(|d| {
            let d = d.trim().to_string();
            assert!(
                d == TOTAL_ORDER,
                "{file}: unknown directive `# fidelity: {d}`"
            );
            d
        })
        .collect()
}

/// `source` with each `NAME = value` line of `constants` rewritten; a name without such a
/// line is an error, so a renamed constant cannot leave a test at full size.
fn with_constants(file: &str, source: &str, constants: &[(&str, &str)]) -> String {
    let mut lines: Vec<String> = source.lines().map(str::to_string).collect();
    for (name, value) in constants {
        let prefix = format!("{name} = ");
        let line = lines
            .iter_mut()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("{file} has no line `{name} = ...` to rewrite"));
        *line = format!("{name} = {value}");
    }
    lines.join("\n") + "\n"
}

/// Runs both sides and asserts rules (a) to (d).
fn check(case: &Case) {
    if let Err(why) = case.per_task {
        eprintln!("{}: order within tasks (b) not checked: {why}", case.name);
    }
    if let Err(why) = case.same_cpu {
        eprintln!("{}: CPU time (e) not checked: {why}", case.name);
    }
    let mut measured = Measured::default();
    let mut misses = Vec::new();
    for _ in 0..MEASURE_ROUNDS {
        measured = measure(case, measured);
        match judge(case, &measured) {
            Ok(report) => return eprintln!("{}: {report}", case.name),
            Err(failure) => {
                eprintln!(
                    "{}: off by more than the tolerance on {} runs ({}); measuring more",
                    case.name,
                    measured.runs.len(),
                    failure.report
                );
                misses.push(failure);
            }
        }
    }
    let last = misses.last().expect("at least one round");
    let reports: Vec<&str> = misses.iter().map(|m| m.report.as_str()).collect();
    panic!(
        "{}: more than {:.0} % off on 5, 10 and 15 runs: {}; {}\n{}",
        case.name,
        TOLERANCE * 100.0,
        reports.join("; then "),
        machine_load(),
        last.shown,
    );
}

/// A timing comparison outside the tolerance.
struct Failure {
    report: String,
    /// Both outputs side by side.
    shown: String,
}

/// CPython runs of a program, each with the machine's speed probed around it (seconds per
/// turn of the probe loop, the mean of before and after).
#[derive(Default)]
struct Measured {
    runs: Vec<Vec<Line>>,
    probes: Vec<f64>,
    /// The fork probes, the mean of before and after each run.
    forks: Vec<f64>,
    /// CPU seconds each run used, its children's included.
    cpu: Vec<f64>,
}

/// Five more CPython runs, added to `so_far`. Rules (a) to (c) are not noise: a run that
/// breaks them against the first panics at once.
fn measure(case: &Case, mut so_far: Measured) -> Measured {
    let _machine = machine();
    for _ in 0..CPYTHON_RUNS {
        let number = so_far.runs.len() + 1;
        let run = run_cpython(&case.path);
        let lines = match run.lines {
            Ok(lines) => lines,
            Err(e) => panic!("{}: CPython run {number} failed: {e}", case.name),
        };
        if let Some(first) = so_far.runs.first() {
            if let Some(problem) = order_problem(case, first, &lines) {
                panic!(
                    "{}: CPython disagrees with itself ({problem}): the program is not \
                     deterministic where the test expects it to be; fix the program\n{}",
                    case.name,
                    side_by_side(
                        ("CPython run 1", first),
                        (&format!("CPython run {number}"), &lines)
                    )
                );
            }
        }
        let probes = if case.parallel {
            run.probes_all_cores
        } else {
            run.probes
        };
        so_far.probes.push(mean(&probes));
        so_far.forks.push(mean(&run.probes_fork));
        so_far.cpu.push(run.cpu_s);
        so_far.runs.push(lines);
    }
    so_far
}

/// One CPython run against its simulations.
struct Comparison {
    /// Rule (d): (simulated − CPython) / CPython total time, for the simulation that used the
    /// run's CPU time.
    time_off: f64,
    /// Rule (e): (simulated − CPython) / CPython CPU time at the probed speed; `None` for a
    /// program using less than [`MIN_CPU_S`].
    cpu_off: Option<f64>,
    simulated: f64,
    /// The factor of the calibrated CPU costs the probes gave, and the one the run's CPU time
    /// gave.
    probed: f64,
    used: f64,
    run: usize,
}

/// Each run against the simulation at the speed probed around it (rule (e)) and at the speed
/// its own CPU time says (rule (d)); `Ok` with the figures when the medians of those
/// comparisons are within the tolerances.
fn judge(case: &Case, measured: &Measured) -> Result<String, Failure> {
    let calibrated = profile();
    // The simulations are deterministic, but they take CPU time (seconds for the bigger
    // programs in a debug build): run beside another test's CPython run, they would slow it.
    let _machine = machine();
    let mut comparisons = Vec::new();
    let mut shown = String::new();
    for run in 0..measured.runs.len() {
        let (comparison, kitchen) = compare(case, &calibrated, measured, run);
        if shown.is_empty() {
            shown = side_by_side(("CPython", &measured.runs[run]), ("kitchen", &kitchen));
        }
        comparisons.push(comparison);
    }
    let (time, time_off) = median_by(&comparisons, |c| Some(c.time_off)).expect("at least one run");
    let cpu = median_by(&comparisons, |c| c.cpu_off);
    let percents = |f: fn(&Comparison) -> Option<f64>| -> String {
        let mut v: Vec<f64> = comparisons.iter().filter_map(f).collect();
        v.sort_by(f64::total_cmp);
        let v: Vec<String> = v.iter().map(|x| format!("{:+.0}", x * 100.0)).collect();
        v.join(" ")
    };
    let mut report = format!(
        "median of {} runs: total time {:.3} s simulated at {:.2}x the calibrated CPU costs \
         (the run's CPU time; probed {:.2}x) vs CPython's {:.3} s ({:+.1} %; all runs, %: {})",
        comparisons.len(),
        time.simulated,
        time.used,
        time.probed,
        total(&measured.runs[time.run]),
        time_off * 100.0,
        percents(|c| Some(c.time_off)),
    );
    match cpu {
        Some((_, off)) => {
            report += &format!(
                "; CPU time at the probed speed {:+.1} % (all runs, %: {})",
                off * 100.0,
                percents(|c| c.cpu_off)
            )
        }
        None if case.same_cpu.is_err() => report += "; CPU time not compared (see above)",
        None => report += "; CPU time below 50 ms, not compared",
    }
    let cpu_ok = cpu.is_none_or(|(_, off)| off.abs() <= CPU_TOLERANCE);
    if time_off.abs() <= TOLERANCE && cpu_ok {
        Ok(report)
    } else {
        Err(Failure { report, shown })
    }
}

/// CPython run `run` against its simulation at the probed speed (rule (e)) and, where its CPU
/// time says something, at the speed that CPU time gives (rule (d)); also the lines of the
/// simulation (d) compares.
fn compare(
    case: &Case,
    calibrated: &Calibrated,
    measured: &Measured,
    run: usize,
) -> (Comparison, Vec<Line>) {
    let lines = &measured.runs[run];
    let probed = (measured.probes[run] / calibrated.for_iteration_s).clamp(0.25, 4.0);
    let fork = (measured.forks[run] / calibrated.fork_s).clamp(0.25, 4.0);
    let at_probes = simulate(case, calibrated, probed, fork, lines, run);
    let cpython_cpu = measured.cpu[run];
    let cpu_checked = case.same_cpu.is_ok() && cpython_cpu >= MIN_CPU_S;
    let cpu_off = cpu_checked.then(|| (at_probes.cpu_s - cpython_cpu) / cpython_cpu);
    let (used, kitchen) = if cpu_checked && at_probes.cpu_s >= MIN_CPU_S {
        let by_cpu = (cpython_cpu / at_probes.cpu_s).clamp(0.25, 4.0);
        let used = probed * by_cpu;
        (
            used,
            simulate(case, calibrated, used, fork * by_cpu, lines, run).lines,
        )
    } else {
        (probed, at_probes.lines)
    };
    let (simulated, cpython) = (total(&kitchen), total(lines));
    let comparison = Comparison {
        time_off: (simulated - cpython) / cpython,
        cpu_off,
        simulated,
        probed,
        used,
        run,
    };
    (comparison, kitchen)
}

/// The comparison with the median value of `key` among those that have one, and that value.
fn median_by(
    all: &[Comparison],
    key: fn(&Comparison) -> Option<f64>,
) -> Option<(&Comparison, f64)> {
    let mut with: Vec<(&Comparison, f64)> =
        all.iter().filter_map(|c| key(c).map(|k| (c, k))).collect();
    with.sort_by(|a, b| a.1.total_cmp(&b.1));
    with.get(with.len() / 2).copied()
}

/// The program's simulation with the CPU costs times `cpu` and the process starts times
/// `fork`, checked against CPython run `run` by rules (a) to (c).
fn simulate(
    case: &Case,
    calibrated: &Calibrated,
    cpu: f64,
    fork: f64,
    lines: &[Line],
    run: usize,
) -> Simulated {
    let profile = calibrated.scaled(cpu, fork, &case.path);
    let kitchen = match run_kitchen(&case.path, &profile) {
        Ok(kitchen) => kitchen,
        Err(e) => panic!("{}: kitchen run failed: {e}", case.name),
    };
    if let Some(problem) = order_problem(case, lines, &kitchen.lines) {
        panic!(
            "{}: {problem}\n{}",
            case.name,
            side_by_side(
                (&format!("CPython run {}", run + 1), lines),
                ("kitchen", &kitchen.lines)
            )
        );
    }
    kitchen
}

/// Time of the last printed line.
fn total(lines: &[Line]) -> f64 {
    lines.last().map_or(0.0, |l| l.t)
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// The first way `other` breaks rules (a) to (c) against `reference`, if any.
fn order_problem(case: &Case, reference: &[Line], other: &[Line]) -> Option<String> {
    let texts = |lines: &[Line]| -> Vec<String> { lines.iter().map(|l| l.text.clone()).collect() };
    let (a, b) = (texts(reference), texts(other));
    if a.is_empty() || b.is_empty() {
        return Some("nothing printed".into());
    }
    // (a) the same multiset of lines
    let mut count: BTreeMap<&str, i64> = BTreeMap::new();
    for t in &a {
        *count.entry(t).or_default() += 1;
    }
    for t in &b {
        *count.entry(t).or_default() -= 1;
    }
    let missing: Vec<String> = count
        .iter()
        .filter(|(_, &c)| c != 0)
        .map(|(t, c)| {
            if *c > 0 {
                format!("{c}× only left: {t:?}")
            } else {
                format!("{}× only right: {t:?}", -c)
            }
        })
        .collect();
    if !missing.is_empty() {
        return Some(format!("(a) different lines: {}", missing.join("; ")));
    }
    // (b) the same order within each task
    if case.per_task.is_ok() {
        let (ta, tb) = (by_tag(&a), by_tag(&b));
        for (tag, left) in &ta {
            let right = &tb[tag];
            if left != right {
                return Some(format!(
                    "(b) task `{tag}` prints in another order: left {left:?}, right {right:?}"
                ));
            }
        }
    }
    // (c) the same total order
    if case.total_order && a != b {
        let i = a.iter().zip(&b).position(|(x, y)| x != y).unwrap();
        return Some(format!(
            "(c) total order differs from line {}: left {:?}, right {:?}",
            i + 1,
            a[i],
            b[i]
        ));
    }
    None
}

/// A line's task: the text before its first `:`, or `(untagged)`.
fn tag(text: &str) -> &str {
    text.split_once(':')
        .map_or("(untagged)", |(tag, _)| tag.trim())
}

fn by_tag(texts: &[String]) -> BTreeMap<&str, Vec<&str>> {
    let mut tags: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for t in texts {
        tags.entry(tag(t)).or_default().push(t);
    }
    tags
}

fn show(lines: &[Line]) -> String {
    lines
        .iter()
        .map(|l| format!("  {:7.3}  {}\n", l.t, l.text))
        .collect()
}

/// Two outputs in two columns, rows whose texts differ marked with `*`.
fn side_by_side(left: (&str, &[Line]), right: (&str, &[Line])) -> String {
    let cell = |l: Option<&Line>| l.map_or(String::new(), |l| format!("{:7.3}  {}", l.t, l.text));
    let width = left
        .1
        .iter()
        .map(|l| cell(Some(l)).chars().count())
        .chain([left.0.len()])
        .max()
        .unwrap_or(0);
    let mut out = format!("    {:width$} | {}\n", left.0, right.0);
    for i in 0..left.1.len().max(right.1.len()) {
        let (l, r) = (left.1.get(i), right.1.get(i));
        let differs = l.map(|l| &l.text) != r.map(|r| &r.text);
        out += &format!(
            "  {} {:width$} | {}\n",
            if differs { '*' } else { ' ' },
            cell(l),
            cell(r)
        );
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Running things

/// The lock every run of this test binary takes (see the module doc).
fn machine() -> MutexGuard<'static, ()> {
    static MACHINE: Mutex<()> = Mutex::new(());
    // A test that panicked while holding it left nothing half-done: the lock guards no data.
    MACHINE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The machine's load, for timing failures: CPython's times are only as good as the machine
/// is quiet (other builds or tests running at the same time slow CPU-bound programs down).
fn machine_load() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    match std::fs::read_to_string("/proc/loadavg") {
        Ok(avg) => format!(
            "load average {} on {cores} cores (above {cores}, CPython's times are skewed by other work)",
            avg.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
        ),
        Err(_) => format!("{cores} cores"),
    }
}

/// The profile of this machine, calibrated by the first test that needs it.
/// The fields of the profile that are the interpreter's CPU time, scaled by the machine's
/// probed speed. Waiting (switch interval, pipe latency, time slice), sizes and thread starts
/// are not scaled; process starts follow their own probe ([`FORK_COSTS`]).
const CPU_COSTS: &[&str] = &[
    "loop_iteration_s",
    "for_iteration_s",
    "op_s",
    "task_step_s",
    "pickle_s",
    "pickle_byte_s",
];

/// The fields of the profile that are the OS's work in `Process.start()` (fork, a child's
/// boot), scaled by the fork probe of the run over the fork probe taken right after the
/// calibration. They do not follow the loop's speed: the 200-process scenario took 0.73-0.80 s
/// in CPython whether the loop probes said 0.9 or 1.45 times the calibrated cost, and right
/// after a long build fork cost twice as much for a while (calibrated 2.2 ms a start instead
/// of 1.0) while loops ran at full speed.
const FORK_COSTS: &[&str] = &[
    "process_start_s",
    "child_poll_s",
    "process_boot_s",
    "process_exit_s",
];

/// The profile `kitchen calibrate` measured at the start of the test run.
#[derive(Clone)]
struct Calibrated {
    json: serde_json::Map<String, serde_json::Value>,
    for_iteration_s: f64,
    /// `stamp.py --probe`'s fork probe, taken right after the calibration.
    fork_s: f64,
}

impl Calibrated {
    /// A profile file for one program: the CPU costs times `slowdown`, the process starts
    /// times `fork_slowdown`.
    fn scaled(&self, slowdown: f64, fork_slowdown: f64, program: &Path) -> PathBuf {
        let mut json = self.json.clone();
        for (fields, factor) in [(CPU_COSTS, slowdown), (FORK_COSTS, fork_slowdown)] {
            for field in fields {
                if let Some(v) = json.get(*field).and_then(|v| v.as_f64()) {
                    json.insert(field.to_string(), serde_json::Value::from(v * factor));
                }
            }
        }
        let name = program
            .file_stem()
            .map_or("program".into(), |s| s.to_string_lossy());
        let path = Path::new(TMP).join(format!("fidelity-profile-{name}.json"));
        std::fs::write(&path, serde_json::Value::Object(json).to_string())
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        path
    }
}

fn profile() -> Calibrated {
    static PROFILE: OnceLock<Result<Calibrated, String>> = OnceLock::new();
    PROFILE
        .get_or_init(|| {
            let path = Path::new(TMP).join("fidelity-profile.json");
            let _ = std::fs::remove_file(&path);
            let _machine = machine();
            let out = run(Command::new(KITCHEN)
                .arg("calibrate")
                .arg("--out")
                .arg(&path))?;
            if !out.success {
                return Err(format!("kitchen calibrate failed:\n{}", out.stderr));
            }
            let json = std::fs::read_to_string(&path)
                .map_err(|e| format!("kitchen calibrate wrote no {}: {e}", path.display()))?;
            let value: serde_json::Value = serde_json::from_str(&json)
                .map_err(|e| format!("kitchen calibrate wrote invalid JSON ({e}):\n{json}"))?;
            let serde_json::Value::Object(json) = value else {
                return Err(format!("kitchen calibrate wrote no JSON object:\n{json}"));
            };
            let for_iteration_s = json
                .get("for_iteration_s")
                .and_then(|v| v.as_f64())
                .filter(|v| *v > 0.0)
                .ok_or("kitchen calibrate measured no for_iteration_s")?;
            let mut forks = Vec::new();
            for _ in 0..3 {
                let out = run(Command::new(python())
                    .arg(Path::new(MANIFEST_DIR).join("tests/fidelity/stamp.py"))
                    .arg("--probe"))?;
                let probes = probe_values(&out.stderr).ok_or_else(|| {
                    format!("stamp.py --probe printed no probes:\n{}", out.stderr)
                })?;
                forks.extend_from_slice(&probes[4..]);
            }
            Ok(Calibrated {
                json,
                for_iteration_s,
                fork_s: mean(&forks),
            })
        })
        .clone()
        .unwrap_or_else(|e| panic!("no calibrated profile: {e}"))
}

/// What the kitchen printed, and the CPU time its simulation used.
struct Simulated {
    lines: Vec<Line>,
    cpu_s: f64,
}

/// `kitchen run PROGRAM --profile PROFILE --json`: the trace gives both the printed lines (as
/// `kitchen run` prints them, 3 decimals) and the CPU time the chefs used.
fn run_kitchen(program: &Path, profile: &Path) -> Result<Simulated, String> {
    let out = run(Command::new(KITCHEN)
        .arg("run")
        .arg(program)
        .arg("--profile")
        .arg(profile)
        .arg("--json"))?;
    if !out.success {
        return Err(format!("{}\n{}", out.status, out.stderr));
    }
    let trace = Trace::from_json(&out.stdout).map_err(|e| format!("not a trace: {e}"))?;
    let lines = trace
        .prints
        .iter()
        .map(|p| Line {
            t: (p.t_s * 1000.0).round() / 1000.0,
            text: p.text.clone(),
        })
        .collect();
    let cpu_s = Summary::of(&trace).lanes.iter().map(|l| l.busy_s).sum();
    Ok(Simulated { lines, cpu_s })
}

struct CpythonRun {
    /// The stamped lines, or why there are none (with what was printed).
    lines: Result<Vec<Line>, String>,
    /// Seconds per turn of `stamp.py`'s probe loop, before and after the run.
    probes: Vec<f64>,
    /// The same, with the probe running on every core at once.
    probes_all_cores: Vec<f64>,
    /// The CPU seconds of a fork, before and after the run.
    probes_fork: Vec<f64>,
    /// CPU seconds the program used, its children's included (0 when it failed).
    cpu_s: f64,
}

fn python() -> String {
    std::env::var("KITCHEN_PYTHON").unwrap_or_else(|_| "python3".into())
}

fn run_cpython(program: &Path) -> CpythonRun {
    let stamp = Path::new(MANIFEST_DIR).join("tests/fidelity/stamp.py");
    let python = python();
    let out = match run(Command::new(&python).arg(&stamp).arg(program)) {
        Ok(out) => out,
        Err(e) => panic!(
            "cannot run CPython as `{python}` ({e}); the fidelity tests need python3 \
             (or set KITCHEN_PYTHON)"
        ),
    };
    let lines = if out.success {
        parse(&out.stdout).map_err(|e| format!("{e}\nstdout:\n{}", out.stdout))
    } else {
        Err(format!(
            "{}\nstdout:\n{}stderr:\n{}",
            out.status, out.stdout, out.stderr
        ))
    };
    let probes = match (&lines, probe_values(&out.stderr)) {
        (Err(_), _) => Vec::new(),
        (Ok(_), Some(probes)) => probes,
        (Ok(_), None) => panic!("stamp.py printed no probe line; stderr:\n{}", out.stderr),
    };
    CpythonRun {
        cpu_s: match (&lines, cpu_used(&out.stderr)) {
            (Err(_), _) => 0.0,
            (Ok(_), Some(cpu)) => cpu,
            (Ok(_), None) => panic!("stamp.py printed no cpu line; stderr:\n{}", out.stderr),
        },
        lines,
        probes_all_cores: probes.get(2..4).unwrap_or_default().to_vec(),
        probes_fork: probes.get(4..).unwrap_or_default().to_vec(),
        probes: probes.get(..2).unwrap_or_default().to_vec(),
    }
}

/// The six numbers of `stamp.py`'s probe line (see its docstring), if it printed one.
fn probe_values(stderr: &str) -> Option<Vec<f64>> {
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("stamp.py: probe "))
        .and_then(|p| {
            let v: Vec<f64> = p.split(' ').filter_map(|x| x.parse().ok()).collect();
            (v.len() == 6 && v.iter().all(|x| *x > 0.0)).then_some(v)
        })
}

/// The number of `stamp.py`'s `cpu` line, if it printed one.
fn cpu_used(stderr: &str) -> Option<f64> {
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("stamp.py: cpu "))
        .and_then(|x| x.trim().parse().ok())
        .filter(|x: &f64| x.is_finite() && *x >= 0.0)
}

/// `<seconds>\t<text>` lines.
fn parse(stdout: &str) -> Result<Vec<Line>, String> {
    stdout
        .lines()
        .map(|line| {
            let (t, text) = line
                .split_once('\t')
                .ok_or_else(|| format!("not `<seconds>\\t<text>`: {line:?}"))?;
            let t: f64 = t
                .parse()
                .map_err(|_| format!("not a number of seconds: {line:?}"))?;
            Ok(Line {
                t,
                text: text.to_string(),
            })
        })
        .collect()
}

struct Output {
    success: bool,
    status: String,
    stdout: String,
    stderr: String,
}

/// Runs `command` to its end, or kills it after [`RUN_LIMIT`].
fn run(command: &mut Command) -> Result<Output, String> {
    let shown = format!("{command:?}");
    let mut child = command
        .current_dir(MANIFEST_DIR)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {shown}: {e}"))?;
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if started.elapsed() > RUN_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "{shown} ran longer than {RUN_LIMIT:?} and was killed"
            ));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Ok(Output {
        success: status.success(),
        status: format!("{shown}: {status}"),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    })
}
