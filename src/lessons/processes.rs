//! The multiprocessing kitchen: nine processes, CPU work from asyncio in a process pool, and
//! a thousand processes that only wait.

use super::facts::{self, Facts};
use super::myths::Myth;
use super::predict::{Answer, Question};
use super::{Lesson, Run};
use crate::core::trace::{LaneKind, State, Trace};

pub const LESSONS: &[Lesson] = &[
    Lesson {
        id: "processes",
        text: "Nine processes start one after another: main's spawning stretches add up to \
               {starts}. Each process has its own GIL, so the {steps} CPU steps run up to \
               {at_once} at a time on {cores} cores and are all done by {cpu_done}; the three \
               pots, boiling in three more processes, are ready at {boil}. Total {total}, with \
               {peak_memory} of memory at the peak against {base_memory} for one process. The \
               CPU steps run during the boil here; for the same recipe in every kitchen, see \
               the comparison.",
        facts: processes,
        myth: None,
        questions: &[Question {
            prompt: "{steps} CPU steps of {step}, a process each, on {cores} cores. When are \
                     they all done?",
            choices: &[
                "at about {side_by_side}: up to {parallel} at a time",
                "at about {in_a_row}: one after another",
            ],
            answer: Answer::Nearest {
                measure: |f| f.num("cpu_done"),
                values: &[|f| f.num("side_by_side"), |f| f.num("in_a_row")],
            },
            reveal: "By {cpu_done}: every process has its own GIL, and the cores run them side \
                     by side.",
            reveal_explains: 0,
        }],
    },
    Lesson {
        id: "cpu-to-processes",
        text: "First half: helper threads, one GIL. On the GIL row the threads take turns \
               every {interval}, at most {threads_at_once} computing at a time, and the \
               {steps} steps take {threads}, as long as {steps} in a row ({in_a_row}). Second \
               half: worker processes, each with its own GIL, compute {pool_at_once} at a time \
               on {cores} cores, and the half takes {pool}: {pool_speedup} faster, {overhead} \
               of it the pool's start and the pickling of arguments and results.",
        facts: cpu_to_processes,
        myth: Some(Myth {
            claim: "Handing CPU work to asyncio.to_thread (or any thread pool) makes it run in \
                    parallel.",
            note: "Only processes do that under the GIL. In threads the {steps} steps took \
                   {threads}, as long as one after another ({in_a_row}); in the process pool \
                   they took {pool}, {pool_at_once} at a time.",
            holds: |f| {
                f.num("threads_at_once") == 1.0
                    && (f.num("threads") - f.num("in_a_row")).abs() <= 0.05 * f.num("in_a_row")
                    && f.num("pool") < f.num("threads")
            },
        }),
        questions: &[
            Question {
                prompt: "{orders} orders, each two CPU steps of {step}, go to \
                         asyncio.to_thread. About how long do they take?",
                choices: &[
                    "about {two_steps}: the orders compute side by side",
                    "about {in_a_row}: one step after another",
                ],
                answer: Answer::Nearest {
                    measure: |f| f.num("threads"),
                    values: &[|f| f.num("two_steps"), |f| f.num("in_a_row")],
                },
                reveal: "{threads}: the threads take turns on one GIL.",
                reveal_explains: 1,
            },
            Question {
                prompt: "Then the same orders go to a ProcessPoolExecutor of {orders} workers \
                         on {cores} cores. About how long?",
                choices: &[
                    "about {side_by_side}: the workers compute side by side",
                    "about {in_a_row}: no faster than the threads",
                ],
                answer: Answer::Nearest {
                    measure: |f| f.num("pool"),
                    values: &[|f| f.num("side_by_side"), |f| f.num("in_a_row")],
                },
                reveal: "{pool}: each worker has its own GIL and core; starting the pool and \
                         pickling added {overhead}.",
                reveal_explains: 0,
            },
        ],
    },
    Lesson {
        id: "thousand-processes",
        text: "A process per pot. Waiting needs no CPU, so the {cores} cores buy nothing, and \
               every start is a fork that main pays for, dearer the more children are \
               running: the starts keep main busy for {starts}, so the last pot goes on the \
               stove only at {last_start}, and the run takes {total}. Memory peaks at {peak_memory}, about {per_process} a kitchen. \
               One event loop does the same thousand waits in about one boil \
               (thousand-asyncio).",
        facts: thousand_processes,
        myth: Some(Myth {
            claim: "Processes get around the GIL, so use them for everything.",
            note: "For waiting they are the dearest way: {pots} processes for {pots} waits took \
                   {overhead} longer than one boil and {peak_memory} of memory at the peak, \
                   about {per_process} each. One event loop needs one process's {base_memory} \
                   for the same waits.",
            holds: |f| f.num("overhead") >= 1.0 && f.num("peak_memory") >= 100.0 * 1048576.0,
        }),
        questions: &[
            Question {
                prompt: "{pots} pots boil for {boil}, a process each, on {cores} cores. About \
                         how long?",
                choices: &[
                    "about {boil}: they all boil at once",
                    "a few seconds more than one boil: about {model_total}",
                ],
                answer: Answer::Nearest {
                    measure: |f| f.num("total"),
                    values: &[|f| f.num("boil"), |f| f.num("model_total")],
                },
                reveal: "{total}: main forks {pots} times, and each fork first checks on every \
                         child still running.",
                reveal_explains: 1,
            },
            Question {
                prompt: "How much memory do the {pots} processes need at the peak?",
                choices: &[
                    "about {base_memory}: waiting needs nothing",
                    "about {model_memory}: every process has pages of its own",
                ],
                answer: Answer::Nearest {
                    measure: |f| f.num("peak_memory"),
                    values: &[|f| f.num("base_memory"), |f| f.num("model_memory")],
                },
                reveal: "{peak_memory}: a forked child shares the parent's pages only until \
                         either writes to them.",
                reveal_explains: 1,
            },
        ],
    },
];

/// Total time main spent starting chefs, and when its last start ended.
fn starts(t: &Trace) -> (f64, f64) {
    let spawning: Vec<_> = t.lanes[0]
        .spans
        .iter()
        .filter(|s| s.state == State::Spawning && s.label.starts_with("start"))
        .collect();
    let total = spawning.iter().map(|s| s.end_s - s.start_s).sum();
    let last = spawning.iter().map(|s| s.end_s).fold(0.0, f64::max);
    (total, last)
}

fn processes(run: &Run) -> Result<Facts, String> {
    let t = run.trace;
    let mut f = run.setup();
    let step = run.step_s();
    let mut cpu = facts::running(t, "chop");
    cpu.extend(facts::running(t, "sauce"));
    if cpu.is_empty() {
        return Err("no process chopped or made sauce".into());
    }
    let mut lanes: Vec<usize> = cpu.iter().map(|s| s.lane).collect();
    crate::core::sort::sort(&mut lanes);
    lanes.dedup();
    let steps = lanes.len() as f64;
    let parallel = steps.min(t.profile.cores as f64);
    f.count("steps", steps)
        .seconds("starts", starts(t).0)
        .count("at_once", facts::most_at_once(&cpu) as f64)
        .count("parallel", parallel)
        .seconds("cpu_done", facts::extent(&cpu).1)
        .seconds("side_by_side", steps * step / parallel)
        .seconds("in_a_row", steps * step);
    Ok(f)
}

fn cpu_to_processes(run: &Run) -> Result<Facts, String> {
    let t = run.trace;
    let mut f = run.setup();
    let step = run.step_s();
    let (threads_t, line) = facts::printed_starting(t, "to_thread:")?;
    let orders = line.matches("'order ").count() as f64;
    let pool = facts::printed_starting(t, "process pool:")?.0 - threads_t;
    let (in_threads, in_pool): (Vec<_>, Vec<_>) = facts::running(t, "prepare")
        .into_iter()
        .partition(|s| t.lanes[s.lane].process == 0);
    if orders == 0.0 || in_pool.is_empty() {
        return Err("no orders went to the process pool".into());
    }
    let steps = 2.0 * orders;
    let side_by_side = steps * step / orders.min(t.profile.cores as f64);
    f.count("orders", orders)
        .count("steps", steps)
        .seconds("threads", threads_t)
        .seconds("pool", pool)
        .count("threads_at_once", facts::most_at_once(&in_threads) as f64)
        .count("pool_at_once", facts::most_at_once(&in_pool) as f64)
        .seconds("two_steps", 2.0 * step)
        .seconds("in_a_row", steps * step)
        .seconds("side_by_side", side_by_side)
        .seconds("overhead", pool - side_by_side)
        .times("pool_speedup", threads_t / pool);
    Ok(f)
}

fn thousand_processes(run: &Run) -> Result<Facts, String> {
    let t = run.trace;
    let p = &t.profile;
    let mut f = run.setup();
    let pots = facts::lanes_of_kind(t, LaneKind::Process).len() as f64;
    if pots == 0.0 {
        return Err("no processes".into());
    }
    let (starts_s, last_start) = starts(t);
    let boil = run.size.boil_s;
    // Start k polls the k children already running (multiprocessing's _cleanup).
    let model_starts = pots * p.process_start_s + p.child_poll_s * pots * (pots - 1.0) / 2.0;
    f.count("pots", pots)
        .seconds("starts", starts_s)
        .seconds("last_start", last_start)
        .seconds("overhead", t.makespan_s - boil)
        .seconds("model_total", boil + model_starts)
        .bytes(
            "per_process",
            t.peak_memory_bytes.saturating_sub(p.base_memory_bytes) as f64 / pots,
        )
        .bytes(
            "model_memory",
            p.base_memory_bytes as f64 + pots * p.process_memory_bytes as f64,
        );
    Ok(f)
}
