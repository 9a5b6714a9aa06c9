//! The decision guide: the course's flowchart as data.
//!
//! Which kitchen for which work? The guide asks what the work is (waiting or computing), how
//! much of it, whether the workers must share memory, and ends at advice that names the
//! lessons showing why (`?scenario=<id>`). The page draws it; a test checks that every leaf
//! names lessons that exist, so a renamed lesson cannot leave a dead link.

/// A question of the flowchart.
pub struct Node {
    pub question: &'static str,
    /// What to think of when answering (one or two sentences).
    pub hint: &'static str,
    pub answers: &'static [Branch],
}

pub struct Branch {
    pub answer: &'static str,
    pub next: Next,
}

pub enum Next {
    Ask(&'static Node),
    Advice(Leaf),
}

/// Where the guide ends: what to use, and the lessons that show it.
pub struct Leaf {
    pub advice: &'static str,
    /// Lesson ids, the first the one to open.
    pub lessons: &'static [&'static str],
}

pub const GUIDE: Node = Node {
    question: "Is the work mostly waiting, or mostly computing?",
    hint: "Waiting: for the network, a disk, a database, a sleep, another program. Computing: \
           Python code crunching numbers or text on the CPU.",
    answers: &[
        Branch {
            answer: "Mostly waiting",
            next: Next::Ask(&WAITING),
        },
        Branch {
            answer: "Mostly computing",
            next: Next::Ask(&COMPUTING),
        },
        Branch {
            answer: "Both: many waits, and some heavy computing",
            next: Next::Advice(Leaf {
                advice: "An event loop for the waits and a process pool for the computing: \
                         await loop.run_in_executor(pool, work, ...). The loop stays free and \
                         the computing runs on other cores.",
                lessons: &["cpu-to-processes", "asyncio-blocking"],
            }),
        },
    ],
};

const WAITING: Node = Node {
    question: "How many waits at the same time?",
    hint: "A handful of downloads is a few; a server with a connection per user, or a crawler, \
           is thousands.",
    answers: &[
        Branch {
            answer: "A few, up to dozens",
            next: Next::Ask(&STYLE),
        },
        Branch {
            answer: "Thousands",
            next: Next::Advice(Leaf {
                advice: "asyncio: a waiting task is a little memory and no thread. A thousand \
                         threads cost start time and stacks; a thousand processes cost seconds \
                         and gigabytes.",
                lessons: &["thousand-asyncio", "thousand-threads", "thousand-processes"],
            }),
        },
    ],
};

const STYLE: Node = Node {
    question: "Is the program built on asyncio?",
    hint: "async def and await all the way down, or ordinary functions that block until \
           their call returns.",
    answers: &[
        Branch {
            answer: "Yes",
            next: Next::Advice(Leaf {
                advice: "Tasks: create_task or gather, not one await after another (awaits in a \
                         row add their waits up). An asyncio.Semaphore caps how many run at \
                         once.",
                lessons: &["await-vs-create-task", "restaurant-semaphore"],
            }),
        },
        Branch {
            answer: "Yes, but one library call blocks (it has no async version)",
            next: Next::Advice(Leaf {
                advice: "Send that call to asyncio.to_thread: the loop stays free, and the \
                         waiting thread releases the GIL, so the waits overlap.",
                lessons: &["to-thread-io", "asyncio-blocking"],
            }),
        },
        Branch {
            answer: "No: plain functions that block",
            next: Next::Advice(Leaf {
                advice: "Threads, best through a ThreadPoolExecutor: a waiting thread releases \
                         the GIL, so the waits overlap.",
                lessons: &["restaurant-pool", "threads"],
            }),
        },
    ],
};

const COMPUTING: Node = Node {
    question: "How long does one piece of the work take?",
    hint: "Starting a process and ending it costs a few milliseconds; work smaller than that \
           gains nothing from another process.",
    answers: &[
        Branch {
            answer: "Milliseconds or less",
            next: Next::Advice(Leaf {
                advice: "Keep it in one process, or gather small pieces into big batches before \
                         sending them to other processes: a process's start, boot and exit \
                         cost more than the work.",
                lessons: &["process-lifecycle"],
            }),
        },
        Branch {
            answer: "Longer: tenths of a second and more",
            next: Next::Ask(&SHARING),
        },
    ],
};

const SHARING: Node = Node {
    question: "Must the workers change the same data while they work?",
    hint: "Processes do not share variables: arguments and results are copied (pickled) \
           across. Threads share everything, and one GIL.",
    answers: &[
        Branch {
            answer: "Yes, they update shared state",
            next: Next::Advice(Leaf {
                advice: "Threads can share it, but under the GIL they compute one at a time, \
                         and every read-modify-write needs a Lock. For speed, split the data, \
                         give each process its part and combine the results.",
                lessons: &["race-lost-update", "threads"],
            }),
        },
        Branch {
            answer: "No: each piece has its own inputs and one result",
            next: Next::Ask(&LOOP),
        },
    ],
};

const LOOP: Node = Node {
    question: "Does the program run an asyncio event loop?",
    hint: "A CPU step called directly inside a coroutine freezes the loop; to_thread keeps the \
           loop free but does not make the step parallel.",
    answers: &[
        Branch {
            answer: "Yes",
            next: Next::Advice(Leaf {
                advice: "loop.run_in_executor with a ProcessPoolExecutor: the loop awaits the \
                         processes like any other future.",
                lessons: &["cpu-to-processes", "asyncio-to-thread"],
            }),
        },
        Branch {
            answer: "No",
            next: Next::Advice(Leaf {
                advice: "Processes: a ProcessPoolExecutor or multiprocessing.Pool with about one \
                         worker per core. Each has its own GIL.",
                lessons: &["processes", "concurrency-vs-parallelism"],
            }),
        },
    ],
};

/// Every leaf of the guide, depth first.
pub fn leaves() -> Vec<&'static Leaf> {
    let mut out = Vec::new();
    collect(&GUIDE, &mut out);
    out
}

fn collect(node: &'static Node, out: &mut Vec<&'static Leaf>) {
    for b in node.answers {
        match &b.next {
            Next::Ask(n) => collect(n, out),
            Next::Advice(leaf) => out.push(leaf),
        }
    }
}

/// Every question node of the guide, depth first, the root first.
pub fn nodes() -> Vec<&'static Node> {
    fn walk(node: &'static Node, out: &mut Vec<&'static Node>) {
        out.push(node);
        for b in node.answers {
            if let Next::Ask(n) = &b.next {
                walk(n, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(&GUIDE, &mut out);
    out
}
