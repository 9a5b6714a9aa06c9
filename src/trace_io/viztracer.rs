//! A VizTracer file of a real Python run, read as a kitchen trace.
//!
//! VizTracer (`viztracer -o run.json program.py`) records every function call of every
//! thread and (forked) process as Chrome trace events: complete events (`ph: X`, `ts` and
//! `dur` in microseconds) named `function (file:line)` or `module.builtin`, and metadata
//! events (`ph: M`) naming processes and threads. Read here:
//! - each (process, thread) with calls is a lane: the first process's main thread is the
//!   kitchen's main lane, other processes' main threads are process lanes, the rest threads
//!   (pool workers where the name says so);
//! - the calls are the lane's stretches ([`super::stretches`]): the innermost call shows,
//!   `time.sleep` as sleeping, waits for a lock, a join or a child as blocked, the rest as
//!   running; calls shorter than [`MIN_CALL_US`] are folded into their callers (a generator
//!   of ten million turns is ten million calls);
//! - the GIL is not in the file: a running stretch is a thread in that call, whether it ran or
//!   waited for the GIL. The trace's notes say so.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::stretches::{self, Call};
use super::{check_size, us_to_ns, ImportError, MAX_EVENTS};
use crate::core::profile::Profile;
use crate::core::recorder::{Recorder, TraceHeader};
use crate::core::trace::{LaneKind, Source, State, Trace, MAX_LANES};

/// Calls shorter than this (µs) show as their caller's time.
pub const MIN_CALL_US: f64 = 20.0;

#[derive(Deserialize)]
struct File {
    #[serde(rename = "traceEvents")]
    events: Vec<Event>,
}

#[derive(Deserialize)]
struct Event {
    ph: String,
    #[serde(default)]
    name: String,
    pid: u64,
    #[serde(default)]
    tid: u64,
    #[serde(default)]
    ts: f64,
    #[serde(default)]
    dur: Option<f64>,
    #[serde(default)]
    args: Option<serde_json::Value>,
}

/// One thread of the file.
#[derive(Default)]
struct Thread {
    name: Option<String>,
    calls: Vec<(f64, f64, String)>,
}

/// Reads the VizTracer JSON `text` (of the file `name`) as a trace.
pub fn import(text: &str, name: &str) -> Result<Trace, ImportError> {
    check_size(text)?;
    let file: File = serde_json::from_str(text).map_err(|e| {
        if e.is_data() {
            ImportError::WrongShape(e.to_string())
        } else {
            ImportError::NotJson(e.to_string())
        }
    })?;
    if file.events.len() > MAX_EVENTS {
        return Err(ImportError::TooLarge(format!(
            "{} events (at most {MAX_EVENTS})",
            file.events.len()
        )));
    }
    let (processes, threads) = gather(file.events)?;
    build(&processes, threads, name)
}

type Threads = BTreeMap<(u64, u64), Thread>;

/// The file's threads by (pid, tid), and its process names.
fn gather(events: Vec<Event>) -> Result<(BTreeMap<u64, String>, Threads), ImportError> {
    let mut processes = BTreeMap::new();
    let mut threads: Threads = BTreeMap::new();
    for e in events {
        let arg_name = || {
            e.args
                .as_ref()
                .and_then(|a| a.get("name"))
                .and_then(|n| n.as_str())
                .map(str::to_string)
        };
        match e.ph.as_str() {
            "M" if e.name == "process_name" => {
                processes.insert(e.pid, arg_name().unwrap_or_default());
            }
            "M" if e.name == "thread_name" => {
                threads.entry((e.pid, e.tid)).or_default().name = arg_name();
            }
            "X" => {
                let dur = e.dur.ok_or_else(|| {
                    ImportError::WrongShape(format!("the call '{}' has no duration", e.name))
                })?;
                if !(e.ts.is_finite() && dur.is_finite() && dur >= 0.0) {
                    return Err(ImportError::WrongShape(format!(
                        "the call '{}' has a time of {} + {dur} µs",
                        e.name, e.ts
                    )));
                }
                if dur >= MIN_CALL_US {
                    let calls = &mut threads.entry((e.pid, e.tid)).or_default().calls;
                    calls.push((e.ts, e.ts + dur, e.name));
                }
            }
            _ => {}
        }
    }
    threads.retain(|_, t| !t.calls.is_empty());
    if threads.is_empty() {
        return Err(ImportError::Empty);
    }
    if threads.len() > MAX_LANES {
        return Err(ImportError::TooLarge(format!(
            "{} threads (at most {MAX_LANES})",
            threads.len()
        )));
    }
    Ok((processes, threads))
}

/// The lanes in the kitchen's order: the main process first, each process's main thread
/// before its other threads.
fn build(
    processes: &BTreeMap<u64, String>,
    threads: Threads,
    name: &str,
) -> Result<Trace, ImportError> {
    let origin = threads
        .values()
        .flat_map(|t| t.calls.iter().map(|c| c.0))
        .fold(f64::INFINITY, f64::min);
    let first_call = |pid: u64| {
        threads
            .iter()
            .filter(|((p, _), _)| *p == pid)
            .flat_map(|(_, t)| t.calls.iter().map(|c| c.0))
            .fold(f64::INFINITY, f64::min)
    };
    let mut pids: Vec<u64> = threads.keys().map(|(p, _)| *p).collect();
    pids.dedup();
    let main_pid = pids
        .iter()
        .copied()
        .find(|p| processes.get(p).is_some_and(|n| n == "MainProcess"))
        .unwrap_or(pids[0]);
    crate::core::sort::sort_by(&mut pids, |a, b| {
        (*a != main_pid)
            .cmp(&(*b != main_pid))
            .then(first_call(*a).total_cmp(&first_call(*b)))
    });
    let mut rec = Recorder::new(0);
    let mut end = 0;
    for (index, &pid) in pids.iter().enumerate() {
        rec.add_process();
        let mut own: Vec<(&(u64, u64), &Thread)> =
            threads.iter().filter(|((p, _), _)| *p == pid).collect();
        // The process's main thread first: the one named so, or the one whose id is the pid.
        crate::core::sort::sort_by_key(&mut own, |((_, tid), t)| {
            let main = t.name.as_deref() == Some("MainThread") || *tid == pid;
            (!main, *tid)
        });
        for (i, ((_, tid), thread)) in own.into_iter().enumerate() {
            let (lane_name, kind) = lane_of(index, i, pid, *tid, thread, processes);
            let lane = rec.add_lane(lane_name, kind, index, None);
            let calls = calls_of(thread, origin);
            end = calls.iter().map(|c| c.end).fold(end, u64::max);
            stretches::record(&mut rec, lane, calls);
        }
    }
    let header = TraceHeader {
        scenario: name.to_string(),
        title: format!("{name} (VizTracer, real CPython)"),
        // The file does not say what machine it ran on.
        profile: Profile {
            cores: 1,
            ..Profile::default()
        },
        notes: vec![
            "Read from a VizTracer file of a real CPython run: each stretch is the innermost call a thread was in.".into(),
            "The GIL cannot be observed there: a running stretch is a thread inside that call, whether it ran or waited for the GIL.".into(),
            format!("Calls shorter than {MIN_CALL_US} µs are shown as their callers' time."),
        ],
        code: None,
    };
    let mut trace = rec.finish(end, header);
    trace.source = Source::Cpython;
    trace
        .check()
        .map_err(|e| ImportError::WrongShape(e.to_string()))?;
    Ok(trace)
}

fn lane_of(
    process_index: usize,
    thread_index: usize,
    pid: u64,
    tid: u64,
    thread: &Thread,
    processes: &BTreeMap<u64, String>,
) -> (String, LaneKind) {
    let thread_name = thread
        .name
        .clone()
        .unwrap_or_else(|| format!("thread {tid}"));
    match (process_index, thread_index) {
        (0, 0) => ("main".into(), LaneKind::Main),
        (_, 0) => {
            let name = processes
                .get(&pid)
                .cloned()
                .unwrap_or_else(|| format!("process {pid}"));
            (name, LaneKind::Process)
        }
        _ => {
            let pool = thread_name.starts_with("ThreadPoolExecutor")
                || thread_name.starts_with("asyncio_");
            let kind = if pool {
                LaneKind::PoolWorker
            } else {
                LaneKind::Thread
            };
            (thread_name, kind)
        }
    }
}

fn calls_of(thread: &Thread, origin: f64) -> Vec<Call> {
    thread
        .calls
        .iter()
        .filter_map(|(start, end, name)| {
            Some(Call {
                start: us_to_ns(*start, origin)?,
                end: us_to_ns(*end, origin)?,
                state: state_of(name),
                label: short_name(name),
            })
        })
        .collect()
}

/// `boil (/tmp/prog.py:11)` → `boil`.
fn short_name(name: &str) -> String {
    match name.rfind(" (") {
        Some(i) if name.ends_with(')') => name[..i].to_string(),
        _ => name.to_string(),
    }
}

/// What a call means for the lane: sleeping, waiting for another chef, or running.
fn state_of(name: &str) -> State {
    let name = short_name(name);
    if name == "time.sleep" {
        return State::Sleeping;
    }
    let waits = [
        "_thread.lock.acquire",
        "posix.waitpid",
        "select.select",
        "select.poll",
    ];
    let waiting_methods = [".join", ".wait", "._wait_for_tstate_lock", ".acquire"];
    if waits.contains(&name.as_str()) || waiting_methods.iter().any(|m| name.ends_with(m)) {
        State::Blocked
    } else {
        State::Running
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_states_of_calls() {
        assert_eq!(short_name("boil (/tmp/prog.py:11)"), "boil");
        assert_eq!(short_name("time.sleep"), "time.sleep");
        assert_eq!(state_of("time.sleep"), State::Sleeping);
        assert_eq!(
            state_of("Thread.join (/usr/lib/python3.11/threading.py:1087)"),
            State::Blocked
        );
        assert_eq!(state_of("builtins.sum"), State::Running);
    }
}
