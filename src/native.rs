//! The native runner: cooks a scenario for real on this machine's threads and processes, and
//! writes what it timed as the same [`Trace`] the simulator writes, so the page and the CLI
//! show a measured run like a simulated one.
//!
//! The chefs are Rust, not Python: boiling is a real sleep and chopping is the real
//! [`sum_of_squares`], but Rust threads have no GIL. Set beside the simulation that is the
//! lesson: the same work on the same threads runs in parallel here, where CPython's GIL makes
//! it take turns. Processes are real too: this binary started again as `kitchen work ...`.
//!
//! Only the thread and process scenarios are measured; an asyncio kitchen is one thread, and
//! Rust has no asyncio to compare with.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::core::clock::Nanos;
use crate::core::profile::Profile;
use crate::core::recorder::{Recorder, TraceHeader};
use crate::core::trace::{LaneKind, Source, State, Trace};
use crate::core::workload::sum_of_squares;
use crate::scenarios::{Scenario, Size};

/// Longest boil and biggest CPU step a measurement accepts: it runs for real.
pub const MAX_BOIL_S: f64 = 60.0;
pub const MAX_N: u64 = 2_000_000_000;

/// How much real work each step does.
#[derive(Clone, Debug, PartialEq)]
pub struct Work {
    pub boil_s: f64,
    pub n: u64,
}

impl Work {
    pub fn new(boil_s: f64, n: u64) -> Result<Work, MeasureError> {
        if !(boil_s.is_finite() && (0.0..=MAX_BOIL_S).contains(&boil_s)) {
            return Err(MeasureError::BadWork(format!(
                "--boil {boil_s} must be between 0 and {MAX_BOIL_S} seconds"
            )));
        }
        if n > MAX_N {
            return Err(MeasureError::BadWork(format!(
                "--n {n} is more than {MAX_N} loop turns"
            )));
        }
        Ok(Work { boil_s, n })
    }
}

#[derive(Debug, PartialEq)]
pub enum MeasureError {
    /// The scenario has nothing to run natively (asyncio).
    NotMeasurable(String),
    BadWork(String),
    /// A thread or process could not be started or waited for.
    Os(String),
}

impl std::fmt::Display for MeasureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MeasureError::NotMeasurable(id) => {
                write!(f, "'{id}' cannot be measured natively: only the thread and process scenarios run for real")
            }
            MeasureError::BadWork(why) => write!(f, "{why}"),
            MeasureError::Os(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for MeasureError {}

/// One chef's job: sleep (boil) or compute (chop, sauce), then say so.
#[derive(Clone, Debug)]
struct Job {
    name: String,
    label: String,
    cpu: bool,
    done: Option<String>,
}

/// When one chef did what, relative to the start of the run.
struct Timed {
    spawn: (Duration, Duration),
    start: Duration,
    end: Duration,
}

/// Cooks `scenario` for real. Child processes are `child_exe work ...`.
pub fn measure(scenario: &Scenario, work: &Work, child_exe: &Path) -> Result<Trace, MeasureError> {
    let (jobs, processes) = match scenario.id {
        "threads" => (nine_chefs(), false),
        "processes" => (nine_chefs(), true),
        "thousand-threads" => (pots(Size::default().pots), false),
        "thousand-processes" => (pots(Size::default().pots), true),
        other => return Err(MeasureError::NotMeasurable(other.to_string())),
    };
    let start = Instant::now();
    let timed = if processes {
        run_processes(&jobs, work, child_exe, start)?
    } else {
        run_threads(&jobs, work, start)?
    };
    Ok(to_trace(
        scenario,
        &jobs,
        &timed,
        processes,
        start.elapsed(),
    ))
}

fn nine_chefs() -> Vec<Job> {
    (1..=3)
        .flat_map(|o| {
            [
                job(
                    format!("order {o} · boil"),
                    o,
                    "boil pasta",
                    false,
                    "pasta ready",
                ),
                job(
                    format!("order {o} · chop"),
                    o,
                    "chop veggies",
                    true,
                    "veggies chopped",
                ),
                job(
                    format!("order {o} · sauce"),
                    o,
                    "prepare sauce",
                    true,
                    "sauce ready",
                ),
            ]
        })
        .collect()
}

fn job(name: String, order: usize, what: &str, cpu: bool, done: &str) -> Job {
    Job {
        name,
        label: format!("order {order}: {what}"),
        cpu,
        done: Some(format!("order {order}: {done}")),
    }
}

fn pots(count: usize) -> Vec<Job> {
    (1..=count)
        .map(|o| Job {
            name: format!("pot {o}"),
            label: format!("order {o}: boil pasta"),
            cpu: false,
            done: None,
        })
        .collect()
}

fn do_job(cpu: bool, work: &Work) {
    if cpu {
        std::hint::black_box(sum_of_squares(work.n));
    } else {
        thread::sleep(Duration::from_secs_f64(work.boil_s));
    }
}

fn run_threads(jobs: &[Job], work: &Work, t0: Instant) -> Result<Vec<Timed>, MeasureError> {
    let mut handles = Vec::with_capacity(jobs.len());
    for job in jobs {
        let (cpu, work) = (job.cpu, work.clone());
        let before = t0.elapsed();
        let handle = thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(move || {
                let start = t0.elapsed();
                do_job(cpu, &work);
                (start, t0.elapsed())
            })
            .map_err(|e| MeasureError::Os(format!("could not start a thread: {e}")))?;
        handles.push(((before, t0.elapsed()), handle));
    }
    handles
        .into_iter()
        .map(|(spawn, h)| {
            let (start, end) = h
                .join()
                .map_err(|_| MeasureError::Os("a chef thread panicked".into()))?;
            Ok(Timed { spawn, start, end })
        })
        .collect()
}

fn run_processes(
    jobs: &[Job],
    work: &Work,
    exe: &Path,
    t0: Instant,
) -> Result<Vec<Timed>, MeasureError> {
    let (tx, rx) = mpsc::channel();
    let mut spawns = Vec::with_capacity(jobs.len());
    for (i, job) in jobs.iter().enumerate() {
        let mut command = Command::new(exe);
        command
            .arg("work")
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        if job.cpu {
            command.args(["--cpu", &work.n.to_string()]);
        } else {
            command.args(["--sleep", &work.boil_s.to_string()]);
        }
        let before = t0.elapsed();
        let mut child = command
            .spawn()
            .map_err(|e| MeasureError::Os(format!("could not start {}: {e}", exe.display())))?;
        spawns.push((before, t0.elapsed()));
        // A waiter per child notes when it really ended, in whatever order they end.
        let tx = tx.clone();
        thread::Builder::new()
            .stack_size(64 << 10)
            .spawn(move || {
                let status = child.wait();
                let _ = tx.send((
                    i,
                    t0.elapsed(),
                    status.map(|s| s.success()).unwrap_or(false),
                ));
            })
            .map_err(|e| MeasureError::Os(format!("could not start a waiter thread: {e}")))?;
    }
    drop(tx);
    let mut ends = vec![None; jobs.len()];
    for (i, end, ok) in rx {
        if !ok {
            return Err(MeasureError::Os(format!(
                "child process '{}' failed",
                jobs[i].name
            )));
        }
        ends[i] = Some(end);
    }
    spawns
        .into_iter()
        .zip(ends)
        .map(|(spawn, end)| {
            let end = end.ok_or_else(|| MeasureError::Os("a child process was lost".into()))?;
            Ok(Timed {
                spawn,
                start: spawn.1,
                end,
            })
        })
        .collect()
}

fn ns(d: Duration) -> Nanos {
    d.as_nanos().min(u64::MAX as u128) as Nanos
}

fn to_trace(
    scenario: &Scenario,
    jobs: &[Job],
    timed: &[Timed],
    processes: bool,
    total: Duration,
) -> Trace {
    let cores = thread::available_parallelism()
        .map(|n| n.get() as u32)
        .unwrap_or(1);
    let mut rec = Recorder::new(cores);
    rec.add_process();
    let main = rec.add_lane("main".into(), LaneKind::Main, 0, None);
    rec.set(main, 0, State::Running, "", None);
    for (job, t) in jobs.iter().zip(timed) {
        rec.set(
            main,
            ns(t.spawn.0),
            State::Spawning,
            &format!("start {}", job.name),
            None,
        );
        rec.set(main, ns(t.spawn.1), State::Running, "", None);
    }
    let last_spawn = timed.last().map(|t| ns(t.spawn.1)).unwrap_or(0);
    rec.set(main, last_spawn, State::Blocked, "join all", None);
    for (i, (job, t)) in jobs.iter().zip(timed).enumerate() {
        let process = if processes {
            rec.add_process();
            i + 1
        } else {
            0
        };
        let kind = if processes {
            LaneKind::Process
        } else {
            LaneKind::Thread
        };
        let lane = rec.add_lane(job.name.clone(), kind, process, None);
        let state = if job.cpu {
            State::Running
        } else {
            State::Sleeping
        };
        rec.set(lane, ns(t.start), state, &job.label, None);
        rec.close(lane, ns(t.end));
        if let Some(done) = &job.done {
            rec.print(lane, ns(t.end), done.clone());
        }
    }
    let header = TraceHeader {
        scenario: scenario.id.to_string(),
        title: format!("{} (measured natively)", scenario.title),
        profile: Profile { cores, ..Profile::default() },
        notes: vec![
            "Measured on this machine with Rust threads and processes. Rust has no GIL: CPU steps on threads run in parallel here, where CPython makes them take turns.".into(),
            "Memory was not measured.".into(),
        ],
        code: None,
    };
    let mut trace = rec.finish(ns(total), header);
    trace.source = Source::Native;
    trace.prints.sort_by(|a, b| a.t_s.total_cmp(&b.t_s));
    trace
}
