//! What `kitchen measure --python` saw a real CPython run do, as a kitchen trace.
//!
//! The observer (`src/native/observe.py`) writes one JSON record a line: the program's begin
//! and end, each printed line, each thread's and child process's life, and the calls that
//! wait or start something (`time.sleep`, `start`, `join`), all in nanoseconds since the
//! program started on one clock for every process. Read here into lanes as the simulator
//! draws them: the main thread, each thread and each process (in the order they started),
//! their lives as running stretches, with the observed calls inside as sleeping, blocked or
//! spawning stretches ([`super::stretches`]). What cannot be observed from inside, the GIL
//! and asyncio's tasks, is not made up: the notes say so.

use std::collections::HashMap;

use serde::Deserialize;

use super::stretches::{self, Call};
use super::{check_size, ImportError, MAX_EVENTS};
use crate::core::clock::Nanos;
use crate::core::profile::Profile;
use crate::core::recorder::{Recorder, TraceHeader};
use crate::core::trace::{LaneKind, MemorySample, Source, State, Trace, MAX_LANES};

#[derive(Deserialize)]
#[serde(tag = "k", rename_all = "snake_case")]
enum Record {
    Begin {
        pid: u64,
        tid: u64,
        rss: Option<u64>,
    },
    End {
        t: i64,
        pid: u64,
        rss: Option<u64>,
    },
    Print {
        t: i64,
        pid: u64,
        tid: u64,
        text: String,
    },
    Call {
        what: String,
        label: String,
        t0: i64,
        t1: i64,
        pid: u64,
        tid: u64,
        #[serde(default)]
        child: Option<u64>,
    },
    Thread {
        name: String,
        target: String,
        t0: i64,
        t1: i64,
        pid: u64,
        tid: u64,
    },
    Process {
        name: String,
        t0: i64,
        t1: i64,
        pid: u64,
        tid: u64,
        rss: Option<u64>,
    },
    Memory {
        t: i64,
        pid: u64,
        bytes: Option<u64>,
    },
}

fn ns(t: i64) -> Nanos {
    t.max(0) as Nanos
}

/// A lane to be: who, from when, and its life as the base stretch.
struct LaneSpec {
    key: (u64, u64),
    name: String,
    kind: LaneKind,
    pid: u64,
    life: Call,
}

/// What the records say, sorted out.
#[derive(Default)]
struct Run {
    main: Option<(u64, u64)>,
    end: Nanos,
    lanes: Vec<LaneSpec>,
    calls: HashMap<(u64, u64), Vec<Call>>,
    prints: Vec<(Nanos, (u64, u64), String)>,
    /// When the parent called a child process's `start()`, by the child's pid.
    spawned: HashMap<u64, Nanos>,
    memory: Vec<(Nanos, u64, u64)>,
    /// A child's end, by pid: its resident set is gone from the total after it.
    ended: HashMap<u64, Nanos>,
}

/// Reads the observer's log `text` of a run of `name` (the program, `source`) as a trace.
pub fn read(text: &str, name: &str, source: Option<&str>) -> Result<Trace, ImportError> {
    check_size(text)?;
    let mut run = Run::default();
    for (i, line) in text.lines().enumerate() {
        if i >= MAX_EVENTS {
            return Err(ImportError::TooLarge(format!(
                "more than {MAX_EVENTS} records"
            )));
        }
        let record: Record = serde_json::from_str(line)
            .map_err(|e| ImportError::WrongShape(format!("record {}: {e}", i + 1)))?;
        run.add(record);
    }
    let main = run.main.ok_or(ImportError::Empty)?;
    if run.lanes.len() > MAX_LANES {
        return Err(ImportError::TooLarge(format!(
            "{} threads and processes",
            run.lanes.len()
        )));
    }
    Ok(run.into_trace(main, name, source))
}

impl Run {
    fn add(&mut self, record: Record) {
        match record {
            Record::Begin { pid, tid, rss } => {
                self.main = Some((pid, tid));
                self.memory.extend(rss.map(|b| (0, pid, b)));
            }
            Record::End { t, pid, rss } => {
                self.end = self.end.max(ns(t));
                self.memory.extend(rss.map(|b| (ns(t), pid, b)));
            }
            Record::Print { t, pid, tid, text } => self.prints.push((ns(t), (pid, tid), text)),
            Record::Call {
                what,
                label,
                t0,
                t1,
                pid,
                tid,
                child,
            } => {
                let state = match what.as_str() {
                    "sleep" => State::Sleeping,
                    "start" => State::Spawning,
                    _ => State::Blocked,
                };
                if let Some(child) = child {
                    // From the call on: the child may run before `start()` returns.
                    self.spawned.insert(child, ns(t0));
                }
                let call = Call {
                    start: ns(t0),
                    end: ns(t1),
                    state,
                    label,
                };
                self.calls.entry((pid, tid)).or_default().push(call);
            }
            Record::Thread {
                name,
                target,
                t0,
                t1,
                pid,
                tid,
            } => {
                let label = if target.is_empty() {
                    String::new()
                } else {
                    format!("{target}()")
                };
                let kind = if name.starts_with("ThreadPoolExecutor") || name.starts_with("asyncio_")
                {
                    LaneKind::PoolWorker
                } else {
                    LaneKind::Thread
                };
                let life = Call {
                    start: ns(t0),
                    end: ns(t1),
                    state: State::Running,
                    label,
                };
                self.lanes.push(LaneSpec {
                    key: (pid, tid),
                    name,
                    kind,
                    pid,
                    life,
                });
            }
            Record::Process {
                name,
                t0,
                t1,
                pid,
                tid,
                rss,
            } => {
                self.memory.extend(rss.map(|b| (ns(t1), pid, b)));
                self.ended.insert(pid, ns(t1));
                let life = Call {
                    start: ns(t0),
                    end: ns(t1),
                    state: State::Running,
                    label: name.clone(),
                };
                self.lanes.push(LaneSpec {
                    key: (pid, tid),
                    name,
                    kind: LaneKind::Process,
                    pid,
                    life,
                });
            }
            Record::Memory { t, pid, bytes } => self.memory.extend(bytes.map(|b| (ns(t), pid, b))),
        }
    }

    fn into_trace(mut self, main: (u64, u64), name: &str, source: Option<&str>) -> Trace {
        let end = self
            .lanes
            .iter()
            .map(|l| l.life.end)
            .fold(self.end, Nanos::max);
        let main_life = Call {
            start: 0,
            end,
            state: State::Running,
            label: String::new(),
        };
        self.lanes.push(LaneSpec {
            key: main,
            name: "main".into(),
            kind: LaneKind::Main,
            pid: main.0,
            life: main_life,
        });
        // The main thread first, then in the order they started (a process from its spawn).
        let started = |l: &LaneSpec| match l.kind {
            LaneKind::Main => 0,
            LaneKind::Process => self.spawned.get(&l.pid).copied().unwrap_or(l.life.start),
            _ => l.life.start,
        };
        crate::core::sort::sort_by_key(&mut self.lanes, |l| (l.kind != LaneKind::Main, started(l)));
        let mut rec = Recorder::new(0);
        let mut process_of: HashMap<u64, usize> = HashMap::new();
        let mut lane_of: HashMap<(u64, u64), usize> = HashMap::new();
        for spec in &self.lanes {
            let next = process_of.len();
            let process = *process_of.entry(spec.pid).or_insert_with(|| {
                rec.add_process();
                next
            });
            let lane = rec.add_lane(spec.name.clone(), spec.kind, process, None);
            lane_of.insert(spec.key, lane);
            let mut calls = self.calls.remove(&spec.key).unwrap_or_default();
            if spec.kind == LaneKind::Process {
                if let Some(&at) = self.spawned.get(&spec.pid) {
                    calls.push(Call {
                        start: at,
                        end: spec.life.start,
                        state: State::Spawning,
                        label: "process boot".into(),
                    });
                }
            }
            calls.push(spec.life.clone());
            stretches::record(&mut rec, lane, calls);
        }
        for (t, who, text) in std::mem::take(&mut self.prints) {
            let lane = lane_of.get(&who).or_else(|| lane_of.get(&(who.0, who.0)));
            rec.print(lane.copied().unwrap_or(0), t, text);
        }
        let header = TraceHeader {
            scenario: name.to_string(),
            title: format!("{name} (observed in CPython)"),
            profile: Profile {
                cores: 1,
                ..Profile::default()
            },
            notes: notes(),
            code: source.map(str::to_string),
        };
        let mut trace = rec.finish(end, header);
        trace.source = Source::Cpython;
        crate::core::sort::sort_by(&mut trace.prints, |a, b| a.t_s.total_cmp(&b.t_s));
        self.memory_into(&mut trace, &process_of);
        trace
    }

    /// Each process's samples, and the total of the latest sample of every live process.
    fn memory_into(&mut self, trace: &mut Trace, process_of: &HashMap<u64, usize>) {
        crate::core::sort::sort_by_key(&mut self.memory, |m| m.0);
        let mut latest: HashMap<u64, u64> = HashMap::new();
        for &(t, pid, bytes) in &self.memory {
            let Some(&process) = process_of.get(&pid) else {
                continue;
            };
            latest.retain(|p, _| self.ended.get(p).is_none_or(|&e| e > t || *p == pid));
            latest.insert(pid, bytes);
            let t_s = crate::core::clock::to_secs(t);
            trace.memory.push(MemorySample {
                t_s,
                bytes,
                process: Some(process),
            });
            let total: u64 = latest.values().sum();
            trace.memory.push(MemorySample {
                t_s,
                bytes: total,
                process: None,
            });
            trace.peak_memory_bytes = trace.peak_memory_bytes.max(total);
        }
    }
}

fn notes() -> Vec<String> {
    vec![
        "Observed from inside a real CPython run: printed lines, the lives of threads and processes, and their time.sleep, start and join calls.".into(),
        "The GIL cannot be observed: a running stretch is a thread running Python code or waiting for the GIL. asyncio's tasks are not observed: an event loop shows as its thread.".into(),
        "Memory: each process's resident set (VmRSS) when it started and ended.".into(),
    ]
}
