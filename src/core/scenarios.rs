//! The built-in scenarios: the pasta kitchen cooked seven ways.
//!
//! Three orders; each order is *boil pasta* (30 s of waiting), *chop veggies* and *prepare
//! sauce* (each the CPU work `sum(i * i for i in range(10**7))`). The thousand-order scenarios
//! only boil: one chef juggling 1,000 pots against 1,000 chefs or 1,000 kitchens.
//!
//! `tests/cpython/pasta.py` is the same kitchen in real Python; the tests compare the two.

use super::profile::Profile;
use super::program::{AsyncStep, Coroutine, Program, Step};
use super::simulator::{simulate, SimError};
use super::trace::Trace;

/// How big the kitchen is. The page and the CLI use [`Size::default`]; tests shrink it to the
/// scaled-down runs of `tests/cpython/pasta.py` they compare against.
#[derive(Clone, Debug, PartialEq)]
pub struct Size {
    /// How long the pasta boils, in seconds (30).
    pub boil_s: f64,
    /// Loop turns of one CPU step: `sum(i * i for i in range(10**7))`.
    pub cpu_iterations: u64,
    /// Orders in the three-order scenarios (3).
    pub orders: usize,
    /// Orders in the thousand-order scenarios (1,000).
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
    build: fn(&Size) -> Program,
}

impl Scenario {
    pub fn program(&self, size: &Size) -> Program {
        (self.build)(size)
    }

    /// The scenario at its full size on the machine `profile` describes.
    pub fn simulate(&self, profile: Profile) -> Result<Trace, SimError> {
        self.simulate_sized(profile, &Size::default())
    }

    pub fn simulate_sized(&self, profile: Profile, size: &Size) -> Result<Trace, SimError> {
        simulate(&self.program(size), profile, self.id, self.title)
    }
}

pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        id: "asyncio-blocking",
        title: "asyncio, blocking steps",
        summary: "one chef, event loop; chopping and sauce are plain calls that freeze the whole kitchen",
        build: asyncio_blocking,
    },
    Scenario {
        id: "asyncio-to-thread",
        title: "asyncio with to_thread",
        summary: "chopping and sauce go to helper threads: the loop stays free, the CPU work still shares one GIL",
        build: asyncio_to_thread,
    },
    Scenario {
        id: "threads",
        title: "threading: 9 threads",
        summary: "a thread per step per order; boiling overlaps, CPU steps take turns on one GIL",
        build: threads,
    },
    Scenario {
        id: "processes",
        title: "multiprocessing: 9 processes",
        summary: "a process per step per order; CPU steps run in parallel, one per core",
        build: processes,
    },
    Scenario {
        id: "thousand-asyncio",
        title: "1,000 pots, one chef (asyncio)",
        summary: "1,000 orders that only boil: 1,000 tasks on one event loop",
        build: thousand_asyncio,
    },
    Scenario {
        id: "thousand-threads",
        title: "1,000 pots, 1,000 chefs (threads)",
        summary: "1,000 orders that only boil: a thread each",
        build: thousand_threads,
    },
    Scenario {
        id: "thousand-processes",
        title: "1,000 pots, 1,000 kitchens (processes)",
        summary: "1,000 orders that only boil: a process each, paying start time and memory 1,000 times",
        build: thousand_processes,
    },
];

/// A scenario id that names no scenario.
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

fn label(order: usize, what: &str) -> String {
    format!("order {order}: {what}")
}

/// `time.sleep(boil); print("order N: pasta ready")`
fn boil(size: &Size, order: usize) -> Vec<Step> {
    vec![
        Step::sleep(size.boil_s, label(order, "boil pasta")),
        Step::print(label(order, "pasta ready")),
    ]
}

/// `sum(i * i for i in range(n)); print("order N: veggies chopped")`
fn chop(size: &Size, order: usize) -> Vec<Step> {
    vec![
        Step::compute(size.cpu_iterations, label(order, "chop veggies")),
        Step::print(label(order, "veggies chopped")),
    ]
}

/// `sum(i * i for i in range(n)); print("order N: sauce ready")`
fn sauce(size: &Size, order: usize) -> Vec<Step> {
    vec![
        Step::compute(size.cpu_iterations, label(order, "prepare sauce")),
        Step::print(label(order, "sauce ready")),
    ]
}

/// `await asyncio.sleep(boil); print("order N: pasta ready")`
fn async_boil(size: &Size, order: usize) -> Vec<AsyncStep> {
    vec![
        AsyncStep::Sleep {
            secs: size.boil_s,
            label: label(order, "boil pasta"),
        },
        AsyncStep::Blocking(Step::print(label(order, "pasta ready"))),
    ]
}

/// `asyncio.run(main())` where `main` gathers `orders`.
fn gather_main(orders: Vec<Coroutine>, last_words: Option<String>) -> Program {
    let mut steps = vec![AsyncStep::Gather(orders)];
    steps.extend(last_words.map(|w| AsyncStep::Blocking(Step::print(w))));
    Program {
        main: vec![Step::AsyncioRun(Coroutine {
            name: "main".into(),
            steps,
        })],
    }
}

fn asyncio_blocking(size: &Size) -> Program {
    let orders = (1..=size.orders)
        .map(|o| {
            let mut steps = async_boil(size, o);
            steps.extend(
                chop(size, o)
                    .into_iter()
                    .chain(sauce(size, o))
                    .map(AsyncStep::Blocking),
            );
            Coroutine {
                name: format!("order {o}"),
                steps,
            }
        })
        .collect();
    gather_main(orders, None)
}

fn asyncio_to_thread(size: &Size) -> Program {
    let orders = (1..=size.orders)
        .map(|o| {
            let mut steps = async_boil(size, o);
            steps.push(AsyncStep::ToThread {
                label: label(o, "chop veggies"),
                body: chop(size, o),
            });
            steps.push(AsyncStep::ToThread {
                label: label(o, "prepare sauce"),
                body: sauce(size, o),
            });
            Coroutine {
                name: format!("order {o}"),
                steps,
            }
        })
        .collect();
    gather_main(orders, None)
}

/// Starts one chef per (name, body), then joins them all, as `pasta.py` does.
fn start_and_join(
    chefs: Vec<(String, Vec<Step>)>,
    process: bool,
    last_words: Option<String>,
) -> Program {
    let n = chefs.len();
    let mut main: Vec<Step> = chefs
        .into_iter()
        .map(|(name, body)| {
            if process {
                Step::StartProcess { name, body }
            } else {
                Step::StartThread { name, body }
            }
        })
        .collect();
    main.extend((0..n).map(|child| Step::Join { child }));
    main.extend(last_words.map(Step::Print));
    Program { main }
}

fn nine_chefs(size: &Size) -> Vec<(String, Vec<Step>)> {
    (1..=size.orders)
        .flat_map(|o| {
            [
                (format!("order {o} · boil"), boil(size, o)),
                (format!("order {o} · chop"), chop(size, o)),
                (format!("order {o} · sauce"), sauce(size, o)),
            ]
        })
        .collect()
}

fn threads(size: &Size) -> Program {
    start_and_join(nine_chefs(size), false, None)
}

fn processes(size: &Size) -> Program {
    start_and_join(nine_chefs(size), true, None)
}

fn pots(size: &Size) -> Vec<(String, Vec<Step>)> {
    (1..=size.pots)
        .map(|o| {
            (
                format!("pot {o}"),
                vec![Step::sleep(size.boil_s, label(o, "boil pasta"))],
            )
        })
        .collect()
}

fn all_boiled(size: &Size) -> Option<String> {
    Some(format!("all {} pots boiled", size.pots))
}

fn thousand_asyncio(size: &Size) -> Program {
    let pots = (1..=size.pots)
        .map(|o| Coroutine {
            name: format!("pot {o}"),
            steps: vec![AsyncStep::Sleep {
                secs: size.boil_s,
                label: label(o, "boil pasta"),
            }],
        })
        .collect();
    gather_main(pots, all_boiled(size))
}

fn thousand_threads(size: &Size) -> Program {
    start_and_join(pots(size), false, all_boiled(size))
}

fn thousand_processes(size: &Size) -> Program {
    start_and_join(pots(size), true, all_boiled(size))
}
