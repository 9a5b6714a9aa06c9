//! The built-in scenarios: the programs of the course, each a plain Python program.
//!
//! The pasta kitchen, seven ways: three orders; each order is *boil pasta* (30 s of
//! waiting), *chop veggies* and *prepare sauce* (each the CPU work
//! `sum(i * i for i in range(10**7))`). The thousand-order scenarios only boil: one chef
//! juggling 1,000 pots against 1,000 chefs or 1,000 kitchens. Beside them, the lessons of the
//! course (issue 10): concurrency against parallelism, `await` against `create_task`, a
//! process's life, `to_thread` for waiting, the restaurant on a semaphore and on a thread
//! pool, a lost update, CPU work from asyncio. Their order, texts and questions are in
//! [`crate::lessons`]; this module is the catalog of programs.
//!
//! Every scenario is a program in `src/scenarios/*.py`, run by the same interpreter as a
//! pasted program ([`crate::python`]): the page shows its code, and every lane of the
//! animation maps to the line it is on. The programs are plain Python; `tests/fidelity.rs`
//! runs them, scaled down, under real CPython and holds the simulation to it.
//!
//! Scaling works on the programs' constants: a [`Size`] rewrites the lines `BOIL_SECONDS = `,
//! `CPU_N = `, `ORDERS = ` and `POTS = ` that differ from the full size, so the code shown at
//! full size is exactly the file. Each scenario names the constants it has
//! ([`Scenario::scales`]); a field of the size equal to its default leaves the program's own
//! value (the restaurants have `ORDERS = 8`).

#[cfg(feature = "engine")]
use crate::core::profile::Profile;
#[cfg(feature = "engine")]
use crate::core::trace::Trace;
#[cfg(feature = "engine")]
use crate::python::{self, PyError};

/// How big the kitchen is. The page and the CLI use [`Size::default`]; tests shrink it.
#[derive(Clone, Debug, PartialEq)]
pub struct Size {
    /// How long the pasta boils, in seconds (30): `BOIL_SECONDS`.
    pub boil_s: f64,
    /// Loop turns of one CPU step, `sum(i * i for i in range(CPU_N))` (10**7).
    pub cpu_iterations: u64,
    /// Orders (3): `ORDERS`. The default keeps each program's own number (the restaurants
    /// take 8); any other value replaces it.
    pub orders: usize,
    /// Orders in the thousand-order scenarios (1,000): `POTS`.
    pub pots: usize,
}

impl Default for Size {
    fn default() -> Size {
        Size {
            boil_s: 30.0,
            cpu_iterations: 10_000_000,
            orders: 3,
            pots: 1000,
        }
    }
}

pub struct Scenario {
    pub id: &'static str,
    pub title: &'static str,
    /// One line for `kitchen list` and the page's picker.
    pub summary: &'static str,
    /// The program's file name under `src/scenarios/`.
    pub file: &'static str,
    /// The program at full size.
    pub code: &'static str,
    /// The constants of [`Size`] the program has (`BOIL_SECONDS`, `CPU_N`, `ORDERS`, `POTS`):
    /// the knobs that scale it.
    pub scales: &'static [&'static str],
}

/// Running a scenario needs the interpreter: without `engine` a build has only the catalog.
#[cfg(feature = "engine")]
impl Scenario {
    /// The program at `size`: the file with the constants that differ rewritten.
    pub fn source(&self, size: &Size) -> String {
        let full = Size::default();
        let mut changes: Vec<(&str, String)> = Vec::new();
        if size.boil_s != full.boil_s {
            changes.push(("BOIL_SECONDS", python::ops::float_repr(size.boil_s)));
        }
        if size.cpu_iterations != full.cpu_iterations {
            changes.push(("CPU_N", size.cpu_iterations.to_string()));
        }
        if size.orders != full.orders {
            changes.push(("ORDERS", size.orders.to_string()));
        }
        if size.pots != full.pots {
            changes.push(("POTS", size.pots.to_string()));
        }
        with_constants(self.code, &changes)
    }

    /// The scenario at its full size on the machine `profile` describes.
    pub fn simulate(&self, profile: Profile) -> Result<Trace, PyError> {
        self.simulate_sized(profile, &Size::default())
    }

    pub fn simulate_sized(&self, profile: Profile, size: &Size) -> Result<Trace, PyError> {
        let mut trace = python::run(&self.source(size), self.file, profile)?;
        trace.scenario = self.id.to_string();
        trace.title = self.title.to_string();
        Ok(trace)
    }
}

#[cfg(feature = "engine")]
/// `code` with each `NAME = value` line named in `changes` given the new value. A program
/// without such a line keeps its code: the constant does not concern it.
fn with_constants(code: &str, changes: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(code.len());
    for line in code.lines() {
        let changed = changes.iter().find(|(name, _)| {
            line.strip_prefix(name)
                .is_some_and(|rest| rest.starts_with(" = "))
        });
        match changed {
            Some((name, value)) => out.push_str(&format!("{name} = {value}")),
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        id: "asyncio-blocking",
        title: "asyncio, blocking steps",
        summary: "one chef, event loop; chopping and sauce are plain calls that freeze the whole kitchen",
        file: "asyncio_blocking.py",
        code: include_str!("scenarios/asyncio_blocking.py"),
        scales: &["BOIL_SECONDS", "CPU_N", "ORDERS"],
    },
    Scenario {
        id: "asyncio-to-thread",
        title: "asyncio with to_thread",
        summary: "chopping and sauce go to helper threads: the loop stays free, the CPU work still shares one GIL",
        file: "asyncio_to_thread.py",
        code: include_str!("scenarios/asyncio_to_thread.py"),
        scales: &["BOIL_SECONDS", "CPU_N", "ORDERS"],
    },
    Scenario {
        id: "threads",
        title: "threading: 9 threads",
        summary: "a thread per step per order; boiling overlaps, CPU steps take turns on one GIL",
        file: "threads.py",
        code: include_str!("scenarios/threads.py"),
        scales: &["BOIL_SECONDS", "CPU_N", "ORDERS"],
    },
    Scenario {
        id: "processes",
        title: "multiprocessing: 9 processes",
        summary: "a process per step per order; CPU steps run in parallel, one per core",
        file: "processes.py",
        code: include_str!("scenarios/processes.py"),
        scales: &["BOIL_SECONDS", "CPU_N", "ORDERS"],
    },
    Scenario {
        id: "thousand-asyncio",
        title: "1,000 pots, one chef (asyncio)",
        summary: "1,000 orders that only boil: 1,000 tasks on one event loop",
        file: "thousand_asyncio.py",
        code: include_str!("scenarios/thousand_asyncio.py"),
        scales: &["BOIL_SECONDS", "POTS"],
    },
    Scenario {
        id: "thousand-threads",
        title: "1,000 pots, 1,000 chefs (threads)",
        summary: "1,000 orders that only boil: a thread each",
        file: "thousand_threads.py",
        code: include_str!("scenarios/thousand_threads.py"),
        scales: &["BOIL_SECONDS", "POTS"],
    },
    Scenario {
        id: "thousand-processes",
        title: "1,000 pots, 1,000 kitchens (processes)",
        summary: "1,000 orders that only boil: a process each, paying start time and memory 1,000 times",
        file: "thousand_processes.py",
        code: include_str!("scenarios/thousand_processes.py"),
        scales: &["BOIL_SECONDS", "POTS"],
    },
    Scenario {
        id: "concurrency-vs-parallelism",
        title: "Concurrency vs parallelism",
        summary: "one chef switching among three dishes, then three kitchens cooking at once",
        file: "concurrency_vs_parallelism.py",
        code: include_str!("scenarios/concurrency_vs_parallelism.py"),
        scales: &["CPU_N"],
    },
    Scenario {
        id: "await-vs-create-task",
        title: "await one by one, or create tasks first",
        summary: "three dishes awaited one after another (the waits add up), then as tasks created first (the waits overlap)",
        file: "await_vs_create_task.py",
        code: include_str!("scenarios/await_vs_create_task.py"),
        scales: &["BOIL_SECONDS"],
    },
    Scenario {
        id: "process-lifecycle",
        title: "The life of a process",
        summary: "a process created, started, running, joined and gone, with its start and exit costs",
        file: "process_lifecycle.py",
        code: include_str!("scenarios/process_lifecycle.py"),
        scales: &["CPU_N"],
    },
    Scenario {
        id: "to-thread-io",
        title: "to_thread for a blocking wait",
        summary: "a blocking wait inside async code, as a plain call and through to_thread: here to_thread helps",
        file: "to_thread_io.py",
        code: include_str!("scenarios/to_thread_io.py"),
        scales: &["BOIL_SECONDS", "ORDERS"],
    },
    Scenario {
        id: "restaurant-semaphore",
        title: "The restaurant on asyncio: three burners",
        summary: "eight orders from a seeded menu, a task each; asyncio.Semaphore(3) lets three cook at once",
        file: "restaurant_semaphore.py",
        code: include_str!("scenarios/restaurant_semaphore.py"),
        scales: &["BOIL_SECONDS", "ORDERS"],
    },
    Scenario {
        id: "race-lost-update",
        title: "A lost update, and the Lock that prevents it",
        summary: "three chefs keep one tally: tally += 1, then read-serve-write without and with a threading.Lock",
        file: "race_lost_update.py",
        code: include_str!("scenarios/race_lost_update.py"),
        scales: &[],
    },
    Scenario {
        id: "restaurant-pool",
        title: "The restaurant with a pool of three chefs",
        summary: "orders flow through a generator pipeline into a ThreadPoolExecutor(max_workers=3)",
        file: "restaurant_pool.py",
        code: include_str!("scenarios/restaurant_pool.py"),
        scales: &["BOIL_SECONDS", "CPU_N", "ORDERS"],
    },
    Scenario {
        id: "cpu-to-processes",
        title: "CPU work from asyncio: to_thread or a process pool",
        summary: "two CPU steps per order, sent to helper threads, then to a ProcessPoolExecutor with run_in_executor",
        file: "cpu_to_processes.py",
        code: include_str!("scenarios/cpu_to_processes.py"),
        scales: &["CPU_N", "ORDERS"],
    },
];

#[derive(Debug, PartialEq)]
pub struct UnknownScenario(pub String);

impl std::fmt::Display for UnknownScenario {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = SCENARIOS.iter().map(|s| s.id).collect();
        write!(
            f,
            "unknown scenario '{}'; the scenarios are: {}",
            self.0,
            ids.join(", ")
        )
    }
}

impl std::error::Error for UnknownScenario {}

pub fn find(id: &str) -> Result<&'static Scenario, UnknownScenario> {
    SCENARIOS
        .iter()
        .find(|s| s.id == id)
        .ok_or_else(|| UnknownScenario(id.to_string()))
}

#[cfg(all(test, feature = "engine"))]
mod tests {
    use super::*;

    #[test]
    fn full_size_is_the_file_itself() {
        for s in SCENARIOS {
            assert_eq!(s.source(&Size::default()), s.code, "{}", s.id);
        }
    }

    #[test]
    fn a_smaller_size_rewrites_only_the_constants_that_differ() {
        let threads = find("threads").unwrap();
        let size = Size {
            boil_s: 0.5,
            cpu_iterations: 1000,
            ..Size::default()
        };
        let code = threads.source(&size);
        assert!(code.contains("\nBOIL_SECONDS = 0.5\n"), "{code}");
        assert!(code.contains("\nCPU_N = 1000\n"), "{code}");
        assert!(code.contains("\nORDERS = 3\n"), "{code}");
        let changed = code
            .lines()
            .zip(threads.code.lines())
            .filter(|(a, b)| a != b)
            .count();
        assert_eq!(changed, 2);
    }

    #[test]
    fn every_scenario_has_exactly_the_constants_it_says_it_scales() {
        for s in SCENARIOS {
            for name in ["BOIL_SECONDS", "CPU_N", "ORDERS", "POTS"] {
                let has = s.code.lines().any(|l| l.starts_with(&format!("{name} = ")));
                assert_eq!(has, s.scales.contains(&name), "{}: {name}", s.id);
            }
        }
    }

    #[test]
    fn ids_and_files_are_unique() {
        for (i, a) in SCENARIOS.iter().enumerate() {
            for b in &SCENARIOS[i + 1..] {
                assert!(a.id != b.id && a.file != b.file, "{} / {}", a.id, b.id);
            }
        }
    }
}
