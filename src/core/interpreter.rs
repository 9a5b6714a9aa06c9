//! The contract between the simulator and an interpreter that runs a real program (the
//! Python interpreter in `crate::python`): the simulator asks what a thread does next and
//! carries it out on its clock, cores and GILs; the interpreter says which threads its work
//! woke and what its asyncio tasks did, and what a waiting thread or task waits for
//! ([`WaitingFor`]). The core stays free of any Python knowledge.

use super::clock::Nanos;
use super::trace::{State, WaitOn};

/// What an interpreted thread does next.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Run code for `ns` of CPU time, holding the GIL.
    Compute {
        ns: Nanos,
        label: String,
        line: Option<u32>,
        /// Turns of a big pure loop (`sum(i * i for i in range(n))`) this stretch includes,
        /// which a real-time run cooks for real as [`super::workload::sum_of_squares`]; the
        /// rest of `ns` is plain interpreter work. The simulator charges `ns` and ignores it.
        turns: Option<u64>,
    },
    /// Sleep or wait for I/O without the GIL.
    Sleep {
        ns: Nanos,
        label: String,
        line: Option<u32>,
    },
    /// A line to standard output.
    Print(String),
    /// A line to standard error (`logging`, `print(..., file=sys.stderr)`).
    PrintErr(String),
    /// Start thread `child` of the interpreter, in this process. `helper`: the library starts
    /// it for itself (an executor's worker), not the program; it gets a pool worker's lane.
    StartThread {
        child: usize,
        name: String,
        helper: bool,
    },
    /// Fork a process whose main thread is the interpreter's thread `child`.
    StartProcess {
        child: usize,
        name: String,
    },
    /// Wait (without the GIL) until the interpreter wakes this thread, or until `until`
    /// when the wait has a timeout (`lock.acquire(timeout=1)`): then ask the thread again.
    Block {
        label: String,
        line: Option<u32>,
        until: Option<Nanos>,
    },
    /// An event loop with nothing ready: wait until `until` or a wake-up.
    Select {
        until: Option<Nanos>,
    },
    Done,
}

/// What a waiting thread or task waits for, in the interpreter's terms; the simulator turns
/// it into the trace's [`super::trace::Wait`] (thread and task numbers into lanes).
#[derive(Clone, Debug, PartialEq)]
pub struct WaitingFor {
    pub on: WaitOn,
    /// The thing waited on in the program's words: `asyncio.sleep(30)`, `Semaphore(3)`.
    pub what: String,
    /// When a timer ends the wait, if one does.
    pub until: Option<Nanos>,
    /// Whose progress ends the wait, where the interpreter knows it.
    pub by: Option<By>,
}

/// A thread or a task of the interpreter, as a [`WaitingFor`] names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    /// The interpreter's thread number (as in [`Interpreter::next`]).
    Thread(usize),
    /// The interpreter's task number (as in [`TaskEvent::Created`]).
    Task(usize),
}

/// What happened to an asyncio task, for its lane in the trace.
#[derive(Clone, Debug, PartialEq)]
pub enum TaskEvent {
    Created {
        task: usize,
        name: String,
        event_loop: usize,
    },
    State {
        task: usize,
        state: State,
        label: String,
        line: Option<u32>,
        /// For an awaiting task: what it awaits.
        wait: Option<WaitingFor>,
    },
    /// What an awaiting task waits for became clearer since its state said (the helper
    /// thread that runs its `to_thread` call took the call): it applies to the same wait.
    WaitKnown {
        task: usize,
        wait: WaitingFor,
    },
    Done {
        task: usize,
    },
}

/// A program the simulator runs thread by thread. Thread 0 is the main thread.
pub trait Interpreter {
    /// What thread `thread` does next at simulated time `now`; `None` when the program
    /// failed (the interpreter keeps the reason).
    fn next(&mut self, thread: usize, now: Nanos) -> Option<Action>;
    /// Threads woken since the last call (their waits are over: ask them again).
    fn take_wakes(&mut self) -> Vec<usize>;
    fn take_task_events(&mut self) -> Vec<TaskEvent>;
    /// Threads that ended abruptly since the last call (daemon threads when their process
    /// ends, the threads of a terminated process): stop them wherever they are; they are
    /// not asked again.
    fn take_killed(&mut self) -> Vec<usize> {
        Vec::new()
    }
    /// What thread `thread` waits for, asked right after its action was a [`Action::Sleep`]
    /// or an [`Action::Block`]. `None` when the interpreter does not say.
    fn waiting(&self, thread: usize) -> Option<WaitingFor> {
        let _ = thread;
        None
    }
}
