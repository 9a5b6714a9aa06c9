//! The concepts: concurrency against parallelism, `await` against `create_task`, and the life
//! of a process. Each lesson's words, and the function that measures its run.

use super::facts::{self, Facts};
use super::myths::Myth;
use super::predict::{Answer, Question};
use super::{Lesson, Run};
use crate::core::trace::{LaneKind, State};

pub const LESSONS: &[Lesson] = &[
    Lesson {
        id: "concurrency-vs-parallelism",
        text: "One chef first: the {dishes} dishes take turns, a stir each, and the code \
               panel's highlight hops from dish to dish. That is concurrency, several things in \
               progress at once. But the chef's row never runs two stirs at a time \
               ({chef_at_once} at most), and the {stirs} stirs take {one_chef}, as long as \
               {stirs} stirs in a row. Then each dish gets a kitchen of its own, a process with \
               its own GIL: that is parallelism, several things done at the same moment. The \
               kitchens stir up to {kitchens_at_once} at a time on {cores} cores and take \
               {kitchens}, {speedup} faster. With one core they would take turns as well.",
        facts: concurrency_vs_parallelism,
        myth: Some(Myth {
            claim: "Concurrency means things run at the same time, so async code is faster.",
            note: "Concurrency is not parallelism. The event loop kept {dishes} dishes going \
                   at once, yet at most {chef_at_once} stir ran at any moment, and the {stirs} \
                   stirs took {one_chef}, the same as one after another ({stirs_in_a_row}). \
                   Only separate processes on separate cores stirred {kitchens_at_once} at once.",
            holds: |f| {
                f.num("chef_at_once") == 1.0
                    && (f.num("one_chef") - f.num("stirs_in_a_row")).abs()
                        <= 0.05 * f.num("stirs_in_a_row")
                    && f.num("kitchens_at_once") >= 2.0
            },
        }),
        questions: &[
            Question {
                prompt: "One chef cooks {dishes} dishes of {stirs_per_dish} stirs each, \
                         switching to the next dish after every stir. A stir is {step} of CPU \
                         work. About how long until all {dishes} are done?",
                choices: &[
                    "about {one_dish}: the dishes cook side by side",
                    "about {stirs_in_a_row}: one stir after another",
                ],
                answer: Answer::Nearest {
                    measure: |f| f.num("one_chef"),
                    values: &[|f| f.num("one_dish"), |f| f.num("stirs_in_a_row")],
                },
                reveal: "{one_chef}. Switching keeps every dish moving, but the chef does one \
                         stir at a time: concurrency without parallelism.",
                reveal_explains: 1,
            },
            Question {
                prompt: "Then each dish gets its own process, on {cores} cores. About how long \
                         do the {dishes} dishes take now?",
                choices: &[
                    "about {side_by_side}: the kitchens stir at the same time",
                    "about {stirs_in_a_row}: no faster than the one chef",
                ],
                answer: Answer::Nearest {
                    measure: |f| f.num("kitchens"),
                    values: &[|f| f.num("side_by_side"), |f| f.num("stirs_in_a_row")],
                },
                reveal: "{kitchens}: every process has its own GIL and runs on a core of its \
                         own, up to {kitchens_at_once} at once; opening the kitchens added \
                         {kitchen_overhead}.",
                reveal_explains: 0,
            },
        ],
    },
    Lesson {
        id: "await-vs-create-task",
        text: "First half: `await cook(...)` runs each dish to its end before the next line \
               starts, so the loop never has more than one dish and the waits add up: \
               {one_by_one} for {pasta} + {sauce} + {salad}. Second half: create_task puts all \
               three on the loop before any of them starts (the line saying so comes first). \
               From main's first await they wait side by side, and the half takes {tasks}, the \
               longest dish. {first_task} is ready first although main awaits the pasta first: \
               awaiting a task only collects its result.",
        facts: await_vs_create_task,
        myth: Some(Myth {
            claim: "`await` makes a call run in the background.",
            note: "`await` waits. The three awaited dishes took {one_by_one}, the sum of their \
                   waits; the same three as tasks took {tasks}, the longest wait. Concurrency in \
                   asyncio comes from tasks (create_task, gather), not from the word await.",
            holds: |f| {
                (f.num("one_by_one") - f.num("sum_waits")).abs() <= 0.01 * f.num("sum_waits")
                    && (f.num("tasks") - f.num("longest")).abs() <= 0.01 * f.num("longest")
            },
        }),
        questions: &[
            Question {
                prompt: "The first half awaits the pasta ({pasta}), the sauce ({sauce}) and the \
                         salad ({salad}) one after another. About how long does it take?",
                choices: &[
                    "about {longest}: the waits overlap",
                    "about {sum_waits}: the waits add up",
                ],
                answer: Answer::Nearest {
                    measure: |f| f.num("one_by_one"),
                    values: &[|f| f.num("longest"), |f| f.num("sum_waits")],
                },
                reveal: "{one_by_one}: each await runs its dish to the end before the next \
                         line puts the next one on.",
                reveal_explains: 1,
            },
            Question {
                prompt: "The second half creates the three dishes as tasks, then awaits the \
                         pasta, the sauce and the salad in that order. Which is ready first?",
                choices: &["the pasta", "the sauce", "the salad"],
                answer: Answer::Nearest {
                    measure: |f| f.num("first_task_index"),
                    values: &[|_| 0.0, |_| 1.0, |_| 2.0],
                },
                reveal: "{first_task}, after {first_task_after}: the tasks all run from main's \
                         first await and each ends when its own wait does; `await pasta` only \
                         decides when main collects it.",
                reveal_explains: 2,
            },
            Question {
                prompt: "And about how long does the second half take?",
                choices: &[
                    "about {longest}: the waits overlap",
                    "about {sum_waits}: the waits add up",
                ],
                answer: Answer::Nearest {
                    measure: |f| f.num("tasks"),
                    values: &[|f| f.num("longest"), |f| f.num("sum_waits")],
                },
                reveal: "{tasks}, the longest dish: the three waits overlap.",
                reveal_explains: 0,
            },
        ],
    },
    Lesson {
        id: "process-lifecycle",
        text: "Creating the Process object costs nothing: nothing runs and it is not alive. \
               start() is a fork: {start} of main's time (its spawning stretch). The child's \
               row begins with {boot} of booting before `cook` runs, so main says it started \
               before the kitchen says a word. The child cooks for {step}, then spends {exit} \
               shutting down, and join() returns only after that. In all the process cost \
               {overhead} on top of its work, and {child_memory} more memory while it lived: \
               little beside {step} of work, a lot for a job of a millisecond.",
        facts: process_lifecycle,
        myth: None,
        questions: &[
            Question {
                prompt: "Which line is printed first?",
                choices: &["main: started, alive: True", "kitchen: cooking soup"],
                answer: Answer::Nearest {
                    measure: |f| f.num("first_line_index"),
                    values: &[|_| 0.0, |_| 1.0],
                },
                reveal: "\"{first_line}\": the child needs {boot} to boot before it runs \
                         cook, while main goes straight on after start().",
                reveal_explains: 0,
            },
            Question {
                prompt: "The child cooks for {step}. How much longer than that does main wait, \
                         from calling start() to join() returning?",
                choices: &[
                    "nothing to speak of",
                    "a few milliseconds (fork, boot and exit: about {model_overhead})",
                    "about as long again ({step})",
                ],
                answer: Answer::Nearest {
                    measure: |f| f.num("overhead"),
                    values: &[|_| 0.0, |f| f.num("model_overhead"), |f| f.num("step")],
                },
                reveal: "{overhead}: the fork ({start}), the child's boot ({boot}) and its \
                         shutdown ({exit}).",
                reveal_explains: 1,
            },
        ],
    },
];

fn concurrency_vs_parallelism(run: &Run) -> Result<Facts, String> {
    let t = run.trace;
    let mut f = run.setup();
    let step = run.step_s();
    let chef_end = facts::last_printed_starting(t, "one chef,")?;
    let kitchens_s = facts::last_printed_starting(t, "own kitchen,")? - chef_end;
    let stirs = t
        .prints
        .iter()
        .filter(|p| p.text.starts_with("one chef,"))
        .count() as f64;
    let dishes = facts::lanes_of_kind(t, LaneKind::Process).len() as f64;
    if dishes == 0.0 {
        return Err("no dish got a kitchen of its own".into());
    }
    let (chef, kitchens): (Vec<_>, Vec<_>) = facts::running(t, "stir")
        .into_iter()
        .partition(|s| t.lanes[s.lane].process == 0);
    let parallel = dishes.min(t.profile.cores as f64);
    f.count("stirs", stirs)
        .count("dishes", dishes)
        .count("stirs_per_dish", stirs / dishes)
        .seconds("one_chef", chef_end)
        .seconds("kitchens", kitchens_s)
        .seconds("one_dish", stirs / dishes * step)
        .seconds("stirs_in_a_row", stirs * step)
        .seconds("side_by_side", stirs * step / parallel)
        .seconds("kitchen_overhead", kitchens_s - stirs * step / parallel)
        .count("chef_at_once", facts::most_at_once(&chef) as f64)
        .count("kitchens_at_once", facts::most_at_once(&kitchens) as f64)
        .times("speedup", chef_end / kitchens_s);
    Ok(f)
}

const TASK_LINES: [&str; 3] = [
    "tasks, pasta: ready",
    "tasks, sauce: ready",
    "tasks, salad: ready",
];

fn await_vs_create_task(run: &Run) -> Result<Facts, String> {
    let t = run.trace;
    let mut f = run.setup();
    let boil = run.size.boil_s;
    let one_by_one = facts::printed_at(t, "one by one: all three ready")?
        - facts::printed_at(t, "one by one: start")?;
    let tasks_start = facts::printed_at(t, "tasks: start")?;
    let tasks = facts::printed_at(t, "tasks: all three ready")? - tasks_start;
    let first = facts::first_printed_of(t, &TASK_LINES)?;
    let dish = ["The pasta", "The sauce", "The salad"][first];
    f.seconds("pasta", boil)
        .seconds("sauce", boil * 2.0 / 3.0)
        .seconds("salad", boil / 3.0)
        .seconds("sum_waits", 2.0 * boil)
        .seconds("longest", boil)
        .seconds("one_by_one", one_by_one)
        .seconds("tasks", tasks)
        .count("first_task_index", first as f64)
        .text("first_task", dish)
        .seconds(
            "first_task_after",
            facts::printed_at(t, TASK_LINES[first])? - tasks_start,
        );
    Ok(f)
}

const LIFE_LINES: [&str; 2] = ["main: started, alive: True", "kitchen: cooking soup"];

fn process_lifecycle(run: &Run) -> Result<Facts, String> {
    let t = run.trace;
    let p = &t.profile;
    let mut f = run.setup();
    let (fork_from, fork_to) =
        facts::first_span(t, 0, State::Spawning, "start").ok_or("main never started a process")?;
    let child = *facts::lanes_of_kind(t, LaneKind::Process)
        .first()
        .ok_or("no child process")?;
    let boot = facts::time_in(t, child, State::Spawning, "process boot");
    let exit = facts::time_in(t, child, State::Spawning, "process exit");
    let joined = facts::printed_at(t, "main: joined, alive: False")?;
    let first = facts::first_printed_of(t, &LIFE_LINES)?;
    f.seconds("start", fork_to - fork_from)
        .seconds("boot", boot)
        .seconds("exit", exit)
        .seconds("overhead", joined - fork_from - run.step_s())
        .seconds(
            "model_overhead",
            p.process_start_s + p.process_boot_s + p.process_exit_s,
        )
        .bytes(
            "child_memory",
            t.peak_memory_bytes.saturating_sub(p.base_memory_bytes) as f64,
        )
        .count("first_line_index", first as f64)
        .text("first_line", LIFE_LINES[first]);
    Ok(f)
}
