//! The program model: what a Python program does, reduced to the steps that matter for
//! scheduling. A built-in scenario is written directly in this model; the Python interpreter
//! (a later layer) will produce the same steps from source code.
//!
//! Two levels mirror Python's two kinds of code:
//! - [`Step`]: plain synchronous code a thread or process runs (compute, `time.sleep`, start and
//!   join other chefs, `asyncio.run`).
//! - [`AsyncStep`]: what an `async def` does between its `await`s; plain code inside a coroutine
//!   is [`AsyncStep::Blocking`], and it blocks the whole event loop, as it does in CPython.

/// One step of a synchronous script.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Python code that turns a loop `iterations` times: CPU work, GIL held throughout.
    Compute { iterations: u64, label: String },
    /// `time.sleep(secs)` or blocking I/O: the GIL is released while waiting.
    Sleep { secs: f64, label: String },
    /// `print(text)`.
    Print(String),
    /// `threading.Thread(target=body, name=name).start()`.
    StartThread { name: String, body: Vec<Step> },
    /// `multiprocessing.Process(target=body, name=name).start()` (fork on Linux).
    StartProcess { name: String, body: Vec<Step> },
    /// `.join()` on the `child`-th thread or process this chef started (counting from 0).
    Join { child: usize },
    /// `asyncio.run(main)`: this thread becomes an event loop until `main` returns.
    AsyncioRun(Coroutine),
}

/// The body of an `async def`, called and ready to be awaited or wrapped in a task.
#[derive(Clone, Debug, PartialEq)]
pub struct Coroutine {
    pub name: String,
    pub steps: Vec<AsyncStep>,
}

/// One step of a coroutine.
#[derive(Clone, Debug, PartialEq)]
pub enum AsyncStep {
    /// Plain code called from a coroutine: runs on the event loop's thread; no other task runs
    /// until it returns.
    Blocking(Step),
    /// `await asyncio.sleep(secs)`: the task is suspended, the loop runs others.
    Sleep { secs: f64, label: String },
    /// `await asyncio.to_thread(body)`: `body` runs on the loop's default thread pool; the task
    /// is suspended until it returns. The worker still needs the GIL for CPU work.
    ToThread { label: String, body: Vec<Step> },
    /// `await asyncio.gather(*coros)`: each coroutine becomes a task; resumes when all finish.
    Gather(Vec<Coroutine>),
}

/// A whole program: the script of the first process's main thread.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    pub main: Vec<Step>,
}

impl Step {
    pub fn compute(iterations: u64, label: impl Into<String>) -> Step {
        Step::Compute {
            iterations,
            label: label.into(),
        }
    }
    pub fn sleep(secs: f64, label: impl Into<String>) -> Step {
        Step::Sleep {
            secs,
            label: label.into(),
        }
    }
    pub fn print(text: impl Into<String>) -> Step {
        Step::Print(text.into())
    }
}
