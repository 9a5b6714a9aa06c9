//! The asyncio kitchen: blocking calls, `to_thread` for computing and for waiting, the
//! restaurant on a semaphore, and a thousand pots on one loop.

use super::facts::{self, Facts};
use super::myths::Myth;
use super::predict::{Answer, Question};
use super::{Lesson, Run};
use crate::core::trace::{LaneKind, State, Trace};

pub const LESSONS: &[Lesson] = &[
    Lesson {
        id: "asyncio-blocking",
        text: "All {orders} pots go on at once and boil together: waiting is what the event \
               loop is good at. Then order 1 chops and makes its sauce with plain calls, and \
               the loop is frozen. Order 2, whose pasta is long done, cannot even say so until \
               {order2_pasta}, and the last order until {last_pasta}. Total {total}: one boil, \
               then the {steps} CPU steps one after another ({steps} × {step}).",
        facts: asyncio_blocking,
        myth: Some(Myth {
            claim: "Code inside an async function runs in the background.",
            note: "Only an await lets other tasks run. A plain call inside a coroutine holds \
                   the loop's one thread: the last pasta was ready at {boil}, but its coroutine \
                   could not run until {last_pasta}, {late} late, while the other orders \
                   computed.",
            holds: |f| f.num("late") >= f.num("step"),
        }),
        questions: &[
            Question {
                prompt: "{orders} orders boil for {boil} (await asyncio.sleep), then each does \
                         two CPU steps of {step} as plain calls. About how long does the \
                         kitchen take?",
                choices: &[
                    "about {boil}: the CPU steps hide in the waiting",
                    "about {boil_plus_steps}: one boil, then the {steps} steps in a row",
                    "about {orders_in_a_row}: the orders one after another",
                ],
                answer: Answer::Nearest {
                    measure: |f| f.num("total"),
                    values: &[
                        |f| f.num("boil"),
                        |f| f.num("boil_plus_steps"),
                        |f| f.num("orders_in_a_row"),
                    ],
                },
                reveal: "{total}: the boils overlap, the CPU steps cannot, and nothing else \
                         moves while one runs.",
                reveal_explains: 1,
            },
            Question {
                prompt: "When does order 2 say its pasta is ready?",
                choices: &[
                    "at {boil}, with the others",
                    "after order 1's two CPU steps, at about {boil_two_steps}",
                ],
                answer: Answer::Nearest {
                    measure: |f| f.num("order2_pasta"),
                    values: &[|f| f.num("boil"), |f| f.num("boil_two_steps")],
                },
                reveal: "At {order2_pasta}: its timer was due at {boil}, but the loop was \
                         busy inside order 1's plain calls.",
                reveal_explains: 1,
            },
        ],
    },
    Lesson {
        id: "asyncio-to-thread",
        text: "Now every pasta is ready by {last_pasta}: the loop is never frozen, because \
               the steps run in helper threads. But the helpers are threads of one process \
               and take turns on its one GIL (watch the GIL row): at most {at_once} step runs \
               at any moment, the {steps} steps take {cpu_span} from the first to the last, \
               and the kitchen takes {total}, as long as with blocking calls. to_thread keeps \
               the loop free; it does not make computing faster.",
        facts: asyncio_to_thread,
        myth: Some(Myth {
            claim: "asyncio.to_thread runs CPU-bound work in parallel.",
            note: "Not under the GIL. The {steps} CPU steps ran from {cpu_from} to {cpu_to}, \
                   {cpu_span}: as long as {steps} steps in a row ({in_a_row}), never more than \
                   {at_once} at a time on {cores} cores.",
            holds: |f| {
                f.num("at_once") == 1.0
                    && (f.num("cpu_span") - f.num("in_a_row")).abs() <= 0.05 * f.num("in_a_row")
            },
        }),
        questions: &[
            Question {
                prompt: "The same kitchen, but every CPU step goes through \
                         await asyncio.to_thread(...). About how long does it take on {cores} \
                         cores?",
                choices: &[
                    "about {boil_two_steps}: the orders' steps run side by side",
                    "about {boil_plus_steps}: as long as with plain calls",
                ],
                answer: Answer::Nearest {
                    measure: |f| f.num("total"),
                    values: &[|f| f.num("boil_two_steps"), |f| f.num("boil_plus_steps")],
                },
                reveal: "{total}: the helper threads share one GIL, so the {steps} steps still \
                         run one at a time.",
                reveal_explains: 1,
            },
            Question {
                prompt: "When does the last order say its pasta is ready?",
                choices: &[
                    "right after the boil, at about {boil}",
                    "after another order's steps, at about {boil_two_steps}",
                ],
                answer: Answer::Nearest {
                    measure: |f| f.num("last_pasta"),
                    values: &[|f| f.num("boil"), |f| f.num("boil_two_steps")],
                },
                reveal: "At {last_pasta}: while the helpers compute, the loop itself is free \
                         to run the other orders.",
                reveal_explains: 0,
            },
        ],
    },
    Lesson {
        id: "to-thread-io",
        text: "The first gather calls the blocking wait directly: the loop is stuck in each \
               call in turn, and the orders are ready one after another, the last at {plain} \
               ({orders} × {boil}). The second sends the same wait to helper threads: the \
               {orders} threads sleep at once (a sleeping thread does not hold the GIL), and \
               all are ready {threaded} later. For a wait that has no async version, to_thread \
               is the tool; for computing it is not (see asyncio-to-thread).",
        facts: to_thread_io,
        myth: Some(Myth {
            claim: "Because of the GIL, Python threads never make anything faster.",
            note: "They do when they wait: the {orders} blocking waits took {plain} as plain \
                   calls and {threaded} in helper threads, {speedup} faster. A thread releases \
                   the GIL while it sleeps or waits for a file or the network.",
            holds: |f| f.num("speedup") >= 1.5,
        }),
        questions: &[
            Question {
                prompt: "First each of {orders} orders calls a blocking wait of {boil} directly \
                         inside its coroutine. About how long for all of them?",
                choices: &["about {boil}", "about {all_boils}"],
                answer: Answer::Nearest {
                    measure: |f| f.num("plain"),
                    values: &[|f| f.num("boil"), |f| f.num("all_boils")],
                },
                reveal: "{plain}: a blocking call freezes the loop, so the waits queue up.",
                reveal_explains: 1,
            },
            Question {
                prompt: "Then the same waits go through await asyncio.to_thread(...). About how \
                         long now?",
                choices: &["about {boil}", "about {all_boils}"],
                answer: Answer::Nearest {
                    measure: |f| f.num("threaded"),
                    values: &[|f| f.num("boil"), |f| f.num("all_boils")],
                },
                reveal: "{threaded}: the helper threads sleep side by side, and sleeping \
                         releases the GIL.",
                reveal_explains: 0,
            },
        ],
    },
    Lesson {
        id: "restaurant-semaphore",
        text: "All {orders} tasks start at once and say they wait for a burner; {at_once} get \
               one straight away. Every later order goes on the moment a burner frees: order \
               4 at {order4_on}, when the first dish is done, not when the first three are. \
               Never more than {at_once} cook at a time, and the {orders} orders, {cooking} of \
               cooking between them, take {total} with one chef who only waits. gather hands \
               the dishes back in the order the tasks were made, however they finished.",
        facts: restaurant_semaphore,
        myth: Some(Myth {
            claim: "asyncio.Semaphore(3) runs the tasks in batches of three.",
            note: "Not in batches: order 4 went on at {order4_on}, as soon as one burner was \
                   free, while the other two still cooked; the restaurant took {total}, where \
                   batches of three would take {in_batches}.",
            holds: |f| {
                f.num("order4_on") < f.num("batch_end") && f.num("total") < f.num("in_batches")
            },
        }),
        questions: &[
            Question {
                prompt: "Three burners, {orders} orders, and the first three go straight on. \
                         When does order 4 get a burner?",
                choices: &[
                    "as soon as any burner is free: the first dish is done at {first_free}",
                    "when the first three are all done, at {batch_end}",
                ],
                answer: Answer::Nearest {
                    measure: |f| f.num("order4_on"),
                    values: &[|f| f.num("first_free"), |f| f.num("batch_end")],
                },
                reveal: "At {order4_on}: a semaphore is a count of free burners, not a batch.",
                reveal_explains: 0,
            },
            Question {
                prompt: "In what order does gather return the dishes?",
                choices: &[
                    "in the order the tasks were created",
                    "in the order they finished cooking",
                ],
                answer: Answer::Holds(&[
                    |f| f.num("served_in_creation_order") == 1.0,
                    |f| f.num("served_in_finish_order") == 1.0,
                ]),
                reveal: "In creation order: gather keeps the order of its arguments; they \
                         finished in the order {finish_order}.",
                reveal_explains: 0,
            },
        ],
    },
    Lesson {
        id: "thousand-asyncio",
        text: "{pots} tasks on one event loop: a task is a little memory and no thread. The \
               loop puts every pot on within {all_on_within} and wakes each when its timer is \
               due; the last is done {overhead} after one boil, at {total}, and memory peaks \
               at {peak_memory}. For a thousand waits this is the cheapest kitchen: compare \
               thousand-threads and thousand-processes.",
        facts: thousand_asyncio,
        myth: None,
        questions: &[Question {
            prompt: "{pots} pots boil for {boil} each, as tasks on one event loop. About how \
                     long?",
            choices: &[
                "about {boil}: one boil",
                "about {pots_boils}: one pot after another",
            ],
            answer: Answer::Nearest {
                measure: |f| f.num("total"),
                values: &[|f| f.num("boil"), |f| f.num("pots_boils")],
            },
            reveal: "{total}: the waits all overlap, and the loop needs only microseconds per \
                     pot.",
            reveal_explains: 0,
        }],
    },
];

fn count_prints(t: &Trace, needle: &str) -> f64 {
    t.prints.iter().filter(|p| p.text.contains(needle)).count() as f64
}

fn asyncio_blocking(run: &Run) -> Result<Facts, String> {
    let t = run.trace;
    let mut f = run.setup();
    let (boil, step) = (run.size.boil_s, run.step_s());
    let orders = count_prints(t, ": pasta ready");
    let steps = count_prints(t, ": veggies chopped") + count_prints(t, ": sauce ready");
    let last_pasta = last_line_containing(t, ": pasta ready")?;
    f.count("orders", orders)
        .count("steps", steps)
        .seconds(
            "order2_pasta",
            facts::printed_at(t, "order 2: pasta ready")?,
        )
        .seconds("last_pasta", last_pasta)
        .seconds("late", last_pasta - boil)
        .seconds("boil_plus_steps", boil + steps * step)
        .seconds("boil_two_steps", boil + 2.0 * step)
        .seconds("orders_in_a_row", orders * (boil + 2.0 * step));
    Ok(f)
}

fn last_line_containing(t: &Trace, needle: &str) -> Result<f64, String> {
    t.prints
        .iter()
        .rev()
        .find(|p| p.text.contains(needle))
        .map(|p| p.t_s)
        .ok_or_else(|| format!("the run printed no line with \"{needle}\""))
}

fn asyncio_to_thread(run: &Run) -> Result<Facts, String> {
    let mut f = asyncio_blocking(run)?;
    let t = run.trace;
    let mut cpu = facts::running(t, "chop");
    cpu.extend(facts::running(t, "sauce"));
    let (from, to) = facts::extent(&cpu);
    let in_a_row = f.num("steps") * run.step_s();
    f.count("at_once", facts::most_at_once(&cpu) as f64)
        .seconds("cpu_from", from)
        .seconds("cpu_to", to)
        .seconds("cpu_span", to - from)
        .seconds("in_a_row", in_a_row);
    Ok(f)
}

fn to_thread_io(run: &Run) -> Result<Facts, String> {
    let t = run.trace;
    let mut f = run.setup();
    let orders = count_prints(t, "plain call, order");
    let plain = last_line_containing(t, "plain call, order")?;
    let threaded = last_line_containing(t, "to_thread, order")? - plain;
    f.count("orders", orders)
        .seconds("plain", plain)
        .seconds("threaded", threaded)
        .seconds("all_boils", orders * run.size.boil_s)
        .times("speedup", plain / threaded);
    Ok(f)
}

/// One order of the restaurant: when it went on a burner and when it was cooked.
struct Cooked {
    number: u32,
    on_s: f64,
    cooked_s: f64,
}

fn cooked_orders(t: &Trace) -> Vec<Cooked> {
    let when = |number: u32, what: &str| {
        t.prints
            .iter()
            .find(|p| p.text.starts_with(&format!("order {number}: ")) && p.text.ends_with(what))
            .map(|p| p.t_s)
    };
    (1..)
        .map_while(|n| {
            Some(Cooked {
                number: n,
                on_s: when(n, " on a burner")?,
                cooked_s: when(n, " cooked")?,
            })
        })
        .collect()
}

fn restaurant_semaphore(run: &Run) -> Result<Facts, String> {
    let t = run.trace;
    let mut f = run.setup();
    let orders = cooked_orders(t);
    if orders.len() < 4 {
        return Err("fewer than four orders were cooked".into());
    }
    let burners: Vec<facts::Stretch> = orders
        .iter()
        .map(|o| facts::Stretch {
            lane: o.number as usize,
            start_s: o.on_s,
            end_s: o.cooked_s,
        })
        .collect();
    let cooking = facts::total(&burners);
    let first_free = orders
        .iter()
        .map(|o| o.cooked_s)
        .fold(f64::INFINITY, f64::min);
    let batch_end = orders[..3].iter().map(|o| o.cooked_s).fold(0.0, f64::max);
    let in_batches: f64 = orders
        .chunks(3)
        .map(|b| b.iter().map(|o| o.cooked_s - o.on_s).fold(0.0, f64::max))
        .sum();
    let mut finish: Vec<&Cooked> = orders.iter().collect();
    crate::core::sort::sort_by(&mut finish, |a, b| a.cooked_s.total_cmp(&b.cooked_s));
    let finish: Vec<f64> = finish.iter().map(|o| o.number as f64).collect();
    let (_, served) = facts::printed_starting(t, "kitchen: served")?;
    let served: Vec<f64> = served
        .split('#')
        .skip(1)
        .filter_map(|s| facts::numbers_in(s).first().copied())
        .collect();
    let created: Vec<f64> = orders.iter().map(|o| o.number as f64).collect();
    let order_list: Vec<String> = finish.iter().map(|n| n.to_string()).collect();
    f.count("orders", orders.len() as f64)
        .count("at_once", facts::most_at_once(&burners) as f64)
        .seconds("cooking", cooking)
        .seconds("order4_on", orders[3].on_s)
        .seconds("first_free", first_free)
        .seconds("batch_end", batch_end)
        .seconds("in_batches", in_batches)
        .count("served_in_creation_order", (served == created) as u8 as f64)
        .count("served_in_finish_order", (served == finish) as u8 as f64)
        .text("finish_order", &order_list.join(", "));
    Ok(f)
}

fn thousand_asyncio(run: &Run) -> Result<Facts, String> {
    let t = run.trace;
    let mut f = run.setup();
    let pots = facts::lanes_of_kind(t, LaneKind::Task)
        .into_iter()
        .filter(|&l| t.lanes[l].name.contains("boil"))
        .collect::<Vec<_>>();
    if pots.is_empty() {
        return Err("no pot was a task".into());
    }
    let all_on = pots
        .iter()
        .filter_map(|&l| facts::first_span(t, l, State::Awaiting, ""))
        .map(|(start, _)| start)
        .fold(0.0, f64::max);
    let boil = run.size.boil_s;
    f.count("pots", pots.len() as f64)
        .seconds("all_on_within", all_on)
        .seconds("overhead", t.makespan_s - boil)
        .seconds("pots_boils", pots.len() as f64 * boil);
    Ok(f)
}
