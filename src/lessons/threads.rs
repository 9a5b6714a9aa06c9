//! The threading kitchen: nine chefs on one GIL, a lost update, the restaurant on a thread
//! pool, and a thousand threads that wait.

use super::facts::{self, Facts};
use super::myths::Myth;
use super::predict::{Answer, Question};
use super::{Lesson, Run};
use crate::core::trace::{LaneKind, State, Trace};

pub const LESSONS: &[Lesson] = &[
    Lesson {
        id: "threads",
        text: "Nine chefs start one after another (each start waits for its turn on the GIL). \
               The three boils sleep without the GIL and end at {boil}. The {steps} CPU steps \
               share one GIL: on its row they hand it round every {interval}, {handoffs} times \
               in all, so each step runs in about {slices} slices, and they all end late and \
               together, between {first_done} and {last_done}, rather than one every {step}. \
               Here the CPU steps run during the boil, so the total is {total}; in the \
               asyncio kitchens they come after it. For the same recipe in every kitchen, see \
               the comparison.",
        facts: threads,
        myth: Some(Myth {
            claim: "Under the GIL one thread runs until it is done, then the next.",
            note: "The GIL changes hands every {interval} while threads compute: the {steps} \
                   steps ran in about {slices} slices each and finished within {spread} of each \
                   other ({first_done} to {last_done}). One at a time until done, the first \
                   would have finished at {step} and the others {step} apart.",
            holds: |f| f.num("spread") < f.num("step") && f.num("handoffs") >= f.num("steps"),
        }),
        questions: &[
            Question {
                prompt: "{steps} CPU steps of {step} each run in threads of one process, \
                         sharing one GIL. When does the first of them finish?",
                choices: &[
                    "after about {step}: it runs to its end, then the next one starts",
                    "near the end, at about {in_a_row}: they take turns every {interval}",
                ],
                answer: Answer::Nearest {
                    measure: |f| f.num("first_done"),
                    values: &[|f| f.num("step"), |f| f.num("in_a_row")],
                },
                reveal: "At {first_done}: every thread that wants the GIL gets it for \
                         {interval} in turn, so all {steps} progress together and end together.",
                reveal_explains: 1,
            },
            Question {
                prompt: "Three orders: a thread boils each pasta for {boil}, and {steps} more \
                         threads do the CPU steps at the same time. About how long does the \
                         kitchen take?",
                choices: &[
                    "about {boil}: the CPU steps fit inside the boil",
                    "about {boil_plus_steps}: the boil, then the steps",
                ],
                answer: Answer::Nearest {
                    measure: |f| f.num("total"),
                    values: &[|f| f.num("boil"), |f| f.num("boil_plus_steps")],
                },
                reveal: "{total}: sleeping threads hold no GIL, so the steps run while the \
                         pasta boils.",
                reveal_explains: 0,
            },
        ],
    },
    Lesson {
        id: "race-lost-update",
        text: "Watch the GIL row in the first kitchen: it passes between the chefs \
               {bare_handoffs} times while they count, yet the tally ends at {bare_got} of \
               {bare_all}. In CPython 3.11 a switch never falls between the read and the write \
               of `tally += 1`. In the second kitchen one does: each chef reads, sleeps while \
               serving (releasing the GIL) and writes back what it read plus one. All three \
               read the same number, so only {pause_got} of {pause_all} plates are counted. The \
               Lock in the third makes read-serve-write one chef's at a time: {lock_got} of \
               {lock_all}, in {lock} instead of {pause}.",
        facts: race_lost_update,
        myth: Some(Myth {
            claim: "The GIL makes `counter += 1` thread-safe (or, in other posts: this bare \
                    loop loses updates on every run).",
            note: "Neither is the whole story. The bare loop lost nothing here ({bare_got} of \
                   {bare_all}, through {bare_handoffs} hand-offs of the GIL), because CPython \
                   3.11 only switches at certain points; that is an implementation detail, not a \
                   promise (older CPythons and free-threaded builds do lose updates). One wait \
                   between the read and the write lost {lost} of {pause_all}. The GIL keeps \
                   Python's own objects intact; it does not make your read-modify-write atomic. \
                   Use a Lock.",
            holds: |f| {
                f.num("bare_got") == f.num("bare_all")
                    && f.num("bare_handoffs") >= 1.0
                    && f.num("pause_got") < f.num("pause_all")
                    && f.num("lock_got") == f.num("lock_all")
            },
        }),
        questions: &[
            Question {
                prompt: "{chefs} chefs each run `tally += 1` {plates} times on one shared \
                         tally. What does CPython 3.11 print?",
                choices: &[
                    "{bare_all} of {bare_all}: nothing is lost",
                    "fewer than {bare_all}: some updates are lost",
                ],
                answer: Answer::Holds(&[
                    |f| f.num("bare_got") == f.num("bare_all"),
                    |f| f.num("bare_got") < f.num("bare_all"),
                ]),
                reveal: "{bare_got} of {bare_all}: the GIL changed hands {bare_handoffs} times, \
                         but CPython 3.11 never switches between the read and the write of this \
                         one line. Luck of the implementation, not a guarantee.",
                reveal_explains: 0,
            },
            Question {
                prompt: "In the second kitchen each chef reads the tally, serves a plate (a \
                         sleep), then writes what it read plus one, {rounds} rounds each. What \
                         does the tally end at?",
                choices: &[
                    "{pause_all}: every plate counts",
                    "{rounds}: each round, the {chefs} updates count as one",
                    "somewhere in between",
                ],
                answer: Answer::Holds(&[
                    |f| f.num("pause_got") == f.num("pause_all"),
                    |f| f.num("pause_got") == f.num("rounds"),
                    |f| {
                        f.num("pause_got") > f.num("rounds")
                            && f.num("pause_got") < f.num("pause_all")
                    },
                ]),
                reveal: "{pause_got}: all {chefs} chefs read the same number before any of them \
                         wrote, every round.",
                reveal_explains: 1,
            },
            Question {
                prompt: "The third kitchen holds a Lock from the read to the write. How long \
                         does it take, against the second kitchen?",
                choices: &["about as long", "about {chefs} times as long"],
                answer: Answer::Nearest {
                    measure: |f| f.num("lock_over_pause"),
                    values: &[|_| 1.0, |f| f.num("chefs")],
                },
                reveal: "{lock} against {pause}: every plate counts, but the chefs now serve \
                         one at a time.",
                reveal_explains: 1,
            },
        ],
    },
    Lesson {
        id: "restaurant-pool",
        text: "All {orders} orders are taken in the first {last_ordered}: chefs.map reads the whole \
               pipeline before anything is served. On the {chefs} chef rows each dish is a \
               sleep (the GIL is free meanwhile) and a short plating step; a chef takes the \
               next ticket the moment it is done, so a chef with quick dishes cooks more of \
               them. map hands the dishes back in ticket order: {with_first} orders cooked \
               earlier wait for order 1 and are served with it, at {served_1}. {orders} \
               orders, {cooking} of cooking, done in {total} by {chefs} chefs.",
        facts: restaurant_pool,
        myth: Some(Myth {
            claim: "Executor.map works through its input lazily, taking the next item as you \
                    iterate.",
            note: "Executor.map takes every item at once: all {orders} orders were taken in \
                   the first {last_ordered}, before the first was served at {first_served}. Only the \
                   results come back one at a time, in order.",
            holds: |f| f.num("last_ordered") < f.num("first_served"),
        }),
        questions: &[
            Question {
                prompt: "chefs.map(cook, tickets({orders})) is given a generator. Which comes \
                         first?",
                choices: &[
                    "order {orders} is taken: map reads every order first",
                    "order 1 is served: map takes an order when a chef is free",
                ],
                answer: Answer::Holds(&[
                    |f| f.num("last_ordered") < f.num("first_served"),
                    |f| f.num("last_ordered") > f.num("first_served"),
                ]),
                reveal: "All {orders} were taken in the first {last_ordered}; the first was \
                         served at {first_served}.",
                reveal_explains: 0,
            },
            Question {
                prompt: "Order 1 is a {dish_1}, order 2 a {dish_2}, which cooks faster. When is \
                         order 2 served?",
                choices: &[
                    "as soon as it is cooked, before order 1",
                    "together with order 1, right after it",
                ],
                answer: Answer::Holds(&[
                    |f| f.num("served_2") < f.num("served_1") - 1e-3,
                    |f| (f.num("served_2") - f.num("served_1")).abs() <= 1e-3,
                ]),
                reveal: "At {served_2}, with order 1: map returns the results in the order of \
                         its input, whatever order they were cooked in.",
                reveal_explains: 1,
            },
        ],
    },
    Lesson {
        id: "thousand-threads",
        text: "A thread per pot. Sleeping threads hold no GIL, so all {pots} wait at once, but \
               the main thread starts them one by one: the last pot goes on at {last_start}, \
               and the run takes {total}. Memory peaks at {peak_memory}, {per_thread} a \
               thread: far cheaper than a process, dearer than an asyncio task.",
        facts: thousand_threads,
        myth: Some(Myth {
            claim: "Threads are no use in Python because of the GIL.",
            note: "They are when they wait: {pots} threads did {pots} waits of {boil} in \
                   {total}, not {pots_boils}; a sleeping thread releases the GIL.",
            holds: |f| f.num("total") < 1.5 * f.num("boil"),
        }),
        questions: &[
            Question {
                prompt: "{pots} pots boil for {boil}, a thread each. About how long?",
                choices: &[
                    "about {boil}: the threads wait together",
                    "about {pots_boils}: the GIL lets one thread at a time",
                ],
                answer: Answer::Nearest {
                    measure: |f| f.num("total"),
                    values: &[|f| f.num("boil"), |f| f.num("pots_boils")],
                },
                reveal: "{total}: a sleeping thread holds no GIL; only the starts take turns.",
                reveal_explains: 0,
            },
            Question {
                prompt: "How much memory do the {pots} threads need at the peak?",
                choices: &[
                    "about one process's {base_memory}, plus a little per thread",
                    "about {pots_interpreters}: an interpreter per thread",
                ],
                answer: Answer::Nearest {
                    measure: |f| f.num("peak_memory"),
                    values: &[|f| f.num("base_memory"), |f| f.num("pots_interpreters")],
                },
                reveal: "{peak_memory}: the threads share the process; each adds its stack and \
                         thread state, {per_thread}.",
                reveal_explains: 0,
            },
        ],
    },
];

/// The lanes whose spans include CPU work labelled `label`.
fn lanes_running(t: &Trace, label: &str) -> Vec<usize> {
    let mut lanes: Vec<usize> = facts::running(t, label).iter().map(|s| s.lane).collect();
    crate::core::sort::sort(&mut lanes);
    lanes.dedup();
    lanes
}

fn threads(run: &Run) -> Result<Facts, String> {
    let t = run.trace;
    let mut f = run.setup();
    let step = run.step_s();
    let mut cpu = facts::running(t, "chop");
    cpu.extend(facts::running(t, "sauce"));
    let mut lanes = lanes_running(t, "chop");
    lanes.extend(lanes_running(t, "sauce"));
    if lanes.is_empty() {
        return Err("no thread chopped or made sauce".into());
    }
    let ends: Vec<f64> = lanes
        .iter()
        .map(|&l| {
            cpu.iter()
                .filter(|s| s.lane == l)
                .map(|s| s.end_s)
                .fold(0.0, f64::max)
        })
        .collect();
    let first_done = ends.iter().copied().fold(f64::INFINITY, f64::min);
    let last_done = ends.iter().copied().fold(0.0, f64::max);
    let steps = lanes.len() as f64;
    f.count("steps", steps)
        .count(
            "handoffs",
            facts::gil_handoffs_among(t, &lanes, 0.0, t.makespan_s) as f64,
        )
        .count("slices", (cpu.len() as f64 / steps).round())
        .seconds("first_done", first_done)
        .seconds("last_done", last_done)
        .seconds("spread", last_done - first_done)
        .seconds("in_a_row", steps * step)
        .seconds("boil_plus_steps", run.size.boil_s + steps * step);
    Ok(f)
}

/// `(got, of)` from a line like `read, serve, write: 5 of 15`.
fn tally(t: &Trace, prefix: &str) -> Result<(f64, f64), String> {
    let (_, line) = facts::printed_starting(t, prefix)?;
    let after = line.get(prefix.len()..).unwrap_or("");
    match facts::numbers_in(after)[..] {
        [got, of] => Ok((got, of)),
        _ => Err(format!("\"{line}\" is not a tally")),
    }
}

fn race_lost_update(run: &Run) -> Result<Facts, String> {
    let t = run.trace;
    let mut f = run.setup();
    let (bare_got, bare_all) = tally(t, "tally += 1:")?;
    let (pause_got, pause_all) = tally(t, "read, serve, write:")?;
    let (lock_got, lock_all) = tally(t, "with a lock:")?;
    let bare_t = facts::printed_starting(t, "tally += 1:")?.0;
    let pause_t = facts::printed_starting(t, "read, serve, write:")?.0;
    let lock_t = facts::printed_starting(t, "with a lock:")?.0;
    // The chefs of the first kitchen, named `chef N (+=)`.
    let chef_lanes: Vec<usize> = facts::lanes_named(t, "chef ")
        .into_iter()
        .filter(|&l| t.lanes[l].name.ends_with("(+=)"))
        .collect();
    let chefs = chef_lanes.len() as f64;
    if chefs == 0.0 {
        return Err("no chef threads in the first kitchen".into());
    }
    let (pause, lock) = (pause_t - bare_t, lock_t - pause_t);
    f.count("chefs", chefs)
        .count("plates", bare_all / chefs)
        .count("rounds", pause_all / chefs)
        .count("bare_got", bare_got)
        .count("bare_all", bare_all)
        .count("pause_got", pause_got)
        .count("pause_all", pause_all)
        .count("lost", pause_all - pause_got)
        .count("lock_got", lock_got)
        .count("lock_all", lock_all)
        .count(
            "bare_handoffs",
            facts::gil_handoffs_among(t, &chef_lanes, 0.0, bare_t) as f64,
        )
        .seconds("bare", bare_t)
        .seconds("pause", pause)
        .seconds("lock", lock)
        .times("lock_over_pause", lock / pause);
    Ok(f)
}

fn restaurant_pool(run: &Run) -> Result<Facts, String> {
    let t = run.trace;
    let mut f = run.setup();
    let ordered: Vec<(f64, &str)> = t
        .prints
        .iter()
        .filter(|p| p.text.ends_with(" ordered"))
        .map(|p| (p.t_s, p.text.as_str()))
        .collect();
    let served: Vec<(f64, f64)> = t
        .prints
        .iter()
        .filter(|p| p.text.contains(" served, cooked by "))
        .filter_map(|p| facts::numbers_in(&p.text).first().map(|n| (*n, p.t_s)))
        .collect();
    let served_at = |n: f64| {
        served
            .iter()
            .find(|(m, _)| *m == n)
            .map(|(_, t)| *t)
            .ok_or_else(|| format!("order {n} was never served"))
    };
    let dish = |n: usize| {
        ordered
            .get(n)
            .and_then(|(_, line)| line.split(": ").nth(1))
            .and_then(|rest| rest.strip_suffix(" ordered"))
            .ok_or_else(|| format!("order {} was never taken", n + 1))
    };
    let (served_1, served_2) = (served_at(1.0)?, served_at(2.0)?);
    let workers = facts::lanes_of_kind(t, LaneKind::PoolWorker);
    let cooking: f64 = workers
        .iter()
        .map(|&l| facts::time_in(t, l, State::Sleeping, "time.sleep"))
        .sum();
    let with_first = served
        .iter()
        .filter(|(n, at)| *n > 1.0 && (at - served_1).abs() <= 1e-3)
        .count();
    f.count("orders", ordered.len() as f64)
        .count("chefs", workers.len() as f64)
        .seconds("last_ordered", ordered.last().map_or(f64::NAN, |o| o.0))
        .seconds("first_served", served.first().map_or(f64::NAN, |s| s.1))
        .seconds("served_1", served_1)
        .seconds("served_2", served_2)
        .count("with_first", with_first as f64)
        .seconds("cooking", cooking)
        .text("dish_1", dish(0)?)
        .text("dish_2", dish(1)?);
    Ok(f)
}

fn thousand_threads(run: &Run) -> Result<Facts, String> {
    let t = run.trace;
    let p = &t.profile;
    let mut f = run.setup();
    let pots = facts::lanes_of_kind(t, LaneKind::Thread).len() as f64;
    if pots == 0.0 {
        return Err("no threads".into());
    }
    let last_start = t.lanes[0]
        .spans
        .iter()
        .filter(|s| s.state == State::Spawning)
        .map(|s| s.end_s)
        .fold(0.0, f64::max);
    let boil = run.size.boil_s;
    f.count("pots", pots)
        .seconds("last_start", last_start)
        .seconds("pots_boils", pots * boil)
        .bytes(
            "per_thread",
            t.peak_memory_bytes.saturating_sub(p.base_memory_bytes) as f64 / pots,
        )
        .bytes("pots_interpreters", pots * p.base_memory_bytes as f64);
    Ok(f)
}
