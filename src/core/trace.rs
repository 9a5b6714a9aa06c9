//! The trace: what happened, lane by lane, in seconds. It is the one format every producer
//! writes (the simulator, the native runner's measured runs, the page's live kitchen in Web
//! Workers, [`Source::Browser`]) and the one thing the page draws, so a simulated and a
//! measured run replay alike.
//!
//! A lane is one chef: a process's main thread, a thread, a pool worker, or (drawn beneath its
//! event loop) an asyncio task. Each lane is a list of [`Span`]s that tile its life. Besides the
//! lanes, a trace records who held each process's GIL, what ran on each core, the lines the
//! program printed, point [`Event`]s and memory over time.
//!
//! Traces also arrive from outside (a file, another tab), so [`Trace::from_json`] checks one
//! before anything draws it and answers with a [`TraceError`] rather than a panic.

use serde::{Deserialize, Serialize};

use super::profile::Profile;

/// Version of this format; bumped when a reader of the old one would misread the new one.
pub const TRACE_FORMAT: u32 = 1;

/// Limits on traces read from outside, so a hostile file cannot exhaust the page's memory.
pub const MAX_LANES: usize = 20_000;
pub const MAX_SPANS: usize = 2_000_000;
pub const MAX_TRACE_BYTES: usize = 256 << 20;

/// Who produced a trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The deterministic simulation of CPython's scheduling.
    Simulated,
    /// Real work timed in Web Workers in the browser: the page's live kitchen
    /// (`crate::live::browser`), the program's threads and processes cooked by workers.
    Browser,
    /// Real work timed on real threads and processes by the native binary.
    Native,
    /// A real CPython run, observed from inside (`kitchen measure --python`, or a VizTracer
    /// file read by `kitchen import`): printed lines, thread and process lifetimes, the calls
    /// a tracer saw. Who held the GIL cannot be observed there.
    Cpython,
}

/// What kind of chef a lane is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LaneKind {
    /// The main thread of the program's first process.
    Main,
    /// A `threading.Thread`.
    Thread,
    /// A worker thread of a thread pool (`asyncio.to_thread`, `ThreadPoolExecutor`).
    PoolWorker,
    /// The main thread of a child process.
    Process,
    /// An asyncio task; `parent` is the lane of its event loop.
    Task,
    /// Reserved for a Web Worker that is not one of the program's own threads or processes.
    /// Not produced: the live kitchen in the browser cooks each thread and process in a Web
    /// Worker of its own and keeps the program's lane kinds (`Thread`, `Process`), as the
    /// native runner does, so the scene draws a measured run as it draws a simulated one.
    Worker,
}

/// What a lane was doing during a span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Executing Python code on a core (holding its process's GIL).
    Running,
    /// Starting a thread or process: the OS work of `start()`.
    Spawning,
    /// Wants to run Python code but another thread holds the GIL.
    WaitingGil,
    /// Holds the GIL but every core is busy with other processes.
    WaitingCore,
    /// `time.sleep`, blocking I/O: the GIL is released.
    Sleeping,
    /// Waiting for another chef: `join()`, a thread starting, an empty work queue.
    Blocked,
    /// An event loop with nothing ready, waiting in `select()` for a timer or a wake-up.
    Idle,
    /// A task that could run but waits for its event loop to get round to it.
    Ready,
    /// A task suspended in `await` (a sleep, a thread, other tasks).
    Awaiting,
}

impl State {
    /// Whether the lane uses a core in this state.
    pub fn on_cpu(self) -> bool {
        matches!(self, State::Running | State::Spawning)
    }
}

/// One stretch of a lane's life in one state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Span {
    pub start_s: f64,
    pub end_s: f64,
    pub state: State,
    /// What the chef is working on, e.g. `order 2: chop veggies`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// The core it ran on, for running and spawning spans of simulated traces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub core: Option<u32>,
    /// The line of the program's source the lane was executing (traces of Python programs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// For a waiting span (sleeping, blocked, awaiting, waiting for the GIL): what it waits
    /// for, so a view can join the waiter to what will wake it. Absent where the producer
    /// does not know (measured runs, traces from older builds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait: Option<Wait>,
}

/// What a waiting lane waits for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Wait {
    pub on: WaitOn,
    /// The thing waited on in the program's words: `asyncio.sleep(30)`, `Semaphore(3)`,
    /// `queue.get()`, `t.join()`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub what: String,
    /// When a timer ends the wait (simulated seconds), for sleeps and timeouts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until_s: Option<f64>,
    /// The lane whose progress ends the wait, where one is known: the thread joined, the
    /// helper thread running a `to_thread` call, the task awaited, the GIL's holder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lane: Option<usize>,
}

/// The kinds of thing a chef can wait for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaitOn {
    /// A timer: `time.sleep`, `asyncio.sleep`, a timeout.
    Timer,
    /// Blocking I/O standing for a file or network read.
    Io,
    /// Another asyncio task (`await task`).
    Task,
    /// `asyncio.gather` of several awaitables.
    Gather,
    /// A future that another thread or process completes (`to_thread`, `run_in_executor`,
    /// `Future.result()`).
    Future,
    /// `Thread.join()`, or `Thread.start()` waiting for the new thread to run.
    Thread,
    /// `Process.join()`.
    Process,
    Lock,
    Semaphore,
    Event,
    Condition,
    /// `queue.get()` / `put()` on a full or empty queue (threading, asyncio or
    /// multiprocessing).
    Queue,
    /// A pipe between processes.
    Pipe,
    /// The process's GIL, held by another thread.
    Gil,
    /// A free core (the GIL is held but every core is busy).
    Core,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lane {
    pub id: usize,
    pub name: String,
    pub kind: LaneKind,
    /// Index of the process this lane lives in (0 is the first process).
    pub process: usize,
    /// For tasks: the lane of their event loop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<usize>,
    pub spans: Vec<Span>,
}

/// A stretch of time during which one lane held a process's GIL.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Holding {
    pub start_s: f64,
    pub end_s: f64,
    pub lane: usize,
}

/// Who held one process's GIL, over time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GilTimeline {
    pub process: usize,
    pub held: Vec<Holding>,
}

/// A line the program printed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Printed {
    pub t_s: f64,
    pub lane: usize,
    pub text: String,
    /// Where it went: standard output (absent in the JSON) or standard error (`logging`,
    /// `print(..., file=sys.stderr)`, warnings), which a terminal shows interleaved but a
    /// page may set apart.
    #[serde(default, skip_serializing_if = "Stream::is_stdout")]
    pub stream: Stream,
}

/// The stream a printed line went to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stream {
    #[default]
    Stdout,
    Stderr,
}

impl Stream {
    pub fn is_stdout(&self) -> bool {
        *self == Stream::Stdout
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    TaskCreated,
    TaskDone,
    ThreadStarted,
    ProcessStarted,
    LaneDone,
    /// The GIL passed from one thread to another; `detail` says why.
    GilHandoff,
    /// A blocking call inside a coroutine froze the event loop.
    LoopBlocked,
    /// A thread waiting for the GIL waited the switch interval (5 ms) and asked the holder to
    /// drop it (CPython's `gil_drop_request`); `lane` is the waiter, `detail` names the holder.
    GilDropRequest,
}

/// Something that happened at one instant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub t_s: f64,
    pub lane: usize,
    pub kind: EventKind,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// Resident memory from `t_s` on: of the whole program, or of one process.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemorySample {
    pub t_s: f64,
    pub bytes: u64,
    /// `None`: the whole program (every sample of a simulated trace). A measured run also
    /// records each process's own resident set (`Some(process)`), beside the totals; see
    /// [`Trace::memory_of`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<usize>,
}

/// Everything one run produced.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    pub format: u32,
    pub scenario: String,
    pub title: String,
    pub source: Source,
    pub profile: Profile,
    /// Things the reader should know, e.g. values that were clamped.
    #[serde(default)]
    pub notes: Vec<String>,
    /// The Python program the trace is a run of, so the page can show its code beside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Time from start to the last lane's end.
    pub makespan_s: f64,
    pub peak_memory_bytes: u64,
    pub lanes: Vec<Lane>,
    #[serde(default)]
    pub gil: Vec<GilTimeline>,
    /// What ran on each core: `cores[i]` lists the lanes core `i` ran, in time order.
    #[serde(default)]
    pub cores: Vec<Vec<Holding>>,
    #[serde(default)]
    pub prints: Vec<Printed>,
    #[serde(default)]
    pub events: Vec<Event>,
    #[serde(default)]
    pub memory: Vec<MemorySample>,
}

/// Why a trace from outside was refused.
#[derive(Debug, PartialEq)]
pub enum TraceError {
    /// Not JSON, or not the shape of a trace.
    Malformed(String),
    /// A trace of a format this build cannot read.
    UnknownFormat(u32),
    /// Too large to draw safely.
    TooLarge(String),
    /// Shaped like a trace but inconsistent (e.g. a span ending before it starts).
    Inconsistent(String),
}

impl std::fmt::Display for TraceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TraceError::Malformed(why) => write!(f, "not a kitchen trace: {why}"),
            TraceError::UnknownFormat(v) => {
                write!(
                    f,
                    "trace format {v} is not supported (this page reads format {TRACE_FORMAT})"
                )
            }
            TraceError::TooLarge(what) => write!(f, "trace too large to show: {what}"),
            TraceError::Inconsistent(why) => write!(f, "trace is inconsistent: {why}"),
        }
    }
}

impl std::error::Error for TraceError {}

impl Trace {
    /// The memory samples of one process (`Some(p)`) or of the whole program (`None`).
    pub fn memory_of(&self, process: Option<usize>) -> impl Iterator<Item = &MemorySample> {
        self.memory.iter().filter(move |m| m.process == process)
    }

    /// Reads and checks a trace from untrusted JSON.
    pub fn from_json(text: &str) -> Result<Trace, TraceError> {
        if text.len() > MAX_TRACE_BYTES {
            return Err(TraceError::TooLarge(format!(
                "{} bytes (at most {MAX_TRACE_BYTES})",
                text.len()
            )));
        }
        let trace: Trace =
            serde_json::from_str(text).map_err(|e| TraceError::Malformed(e.to_string()))?;
        trace.check()?;
        Ok(trace)
    }

    /// The trace as pretty JSON.
    pub fn to_json(&self) -> String {
        // A trace holds only plain data: serializing it cannot fail.
        super::pretty_json::indent(&serde_json::to_string(self).unwrap_or_default())
    }

    /// Checks what a drawing relies on: a known format, sane sizes, finite times, spans that
    /// do not run backwards, lane references that exist.
    pub fn check(&self) -> Result<(), TraceError> {
        if self.format != TRACE_FORMAT {
            return Err(TraceError::UnknownFormat(self.format));
        }
        if self.lanes.len() > MAX_LANES {
            return Err(TraceError::TooLarge(format!(
                "{} lanes (at most {MAX_LANES})",
                self.lanes.len()
            )));
        }
        let spans: usize = self.lanes.iter().map(|l| l.spans.len()).sum();
        if spans > MAX_SPANS {
            return Err(TraceError::TooLarge(format!(
                "{spans} spans (at most {MAX_SPANS})"
            )));
        }
        let max_cores = super::profile::MAX_CORES as usize;
        if self.profile.cores as usize > max_cores || self.cores.len() > max_cores {
            return Err(TraceError::TooLarge(format!(
                "{} cores (at most {max_cores})",
                self.profile.cores
            )));
        }
        if !self.makespan_s.is_finite() || self.makespan_s < 0.0 {
            return Err(TraceError::Inconsistent(format!(
                "makespan_s is {}",
                self.makespan_s
            )));
        }
        for (i, lane) in self.lanes.iter().enumerate() {
            if lane.id != i {
                return Err(TraceError::Inconsistent(format!(
                    "lane {i} has id {}",
                    lane.id
                )));
            }
            if lane.parent.is_some_and(|p| p >= self.lanes.len()) {
                return Err(TraceError::Inconsistent(format!(
                    "lane {i} has no parent lane"
                )));
            }
            for s in &lane.spans {
                if let Some(w) = &s.wait {
                    if w.lane.is_some_and(|l| l >= self.lanes.len())
                        || w.until_s.is_some_and(|t| !t.is_finite())
                    {
                        return Err(TraceError::Inconsistent(format!(
                            "lane {i} waits for something out of range"
                        )));
                    }
                }
                if !(s.start_s.is_finite()
                    && s.end_s.is_finite()
                    && s.start_s >= 0.0
                    && s.start_s <= s.end_s)
                {
                    return Err(TraceError::Inconsistent(format!(
                        "lane {i} has a span from {} to {}",
                        s.start_s, s.end_s
                    )));
                }
            }
        }
        let lane_ok = |l: usize| l < self.lanes.len();
        let holdings = self
            .gil
            .iter()
            .flat_map(|g| g.held.iter())
            .chain(self.cores.iter().flatten());
        for h in holdings {
            let sane = h.start_s.is_finite() && h.end_s.is_finite() && h.start_s <= h.end_s;
            if !(lane_ok(h.lane) && sane) {
                return Err(TraceError::Inconsistent(
                    "a GIL or core record is out of range".into(),
                ));
            }
        }
        if self
            .prints
            .iter()
            .any(|p| !lane_ok(p.lane) || !p.t_s.is_finite())
            || self
                .events
                .iter()
                .any(|e| !lane_ok(e.lane) || !e.t_s.is_finite())
        {
            return Err(TraceError::Inconsistent(
                "a printed line or event names no lane".into(),
            ));
        }
        let processes = self
            .lanes
            .iter()
            .map(|l| l.process + 1)
            .max()
            .unwrap_or(0)
            .max(self.gil.len());
        if self.memory.iter().any(|m| {
            !(m.t_s.is_finite() && m.t_s >= 0.0) || m.process.is_some_and(|p| p >= processes)
        }) {
            return Err(TraceError::Inconsistent(
                "a memory sample is out of range".into(),
            ));
        }
        Ok(())
    }
}
