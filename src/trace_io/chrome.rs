//! A kitchen trace as Chrome's Trace Event JSON, the format Perfetto (ui.perfetto.dev) and
//! chrome://tracing open.
//!
//! The mapping: each process of the trace is a Chrome process (pid = process + 1) and each
//! lane a thread track in it (tid = lane + 1), named and sorted as the kitchen shows them;
//! every span is a complete slice (`ph: X`) named by its label (or state), with the state as
//! its category. Who held the process's GIL is a track of its own per process, "GIL", with a
//! slice per holding named by the holder. Printed lines and the trace's events are instant
//! events (`ph: i`) on their lane; memory is a counter (`ph: C`). A waiting span that says
//! which lane will end the wait (`Span.wait.lane`) gets a flow arrow (`ph: s` on the waiting
//! span, `ph: f` on the waker's track when the wait ends); where the trace does not say, there
//! is no arrow. What ran on each core, where the trace knows, is a process "cores" of its own.

use serde_json::{json, Value};

use crate::core::trace::{LaneKind, Trace};

/// Thread ids of the GIL tracks: far above any lane's.
const GIL_TID: u64 = 1_000_000;

fn us(s: f64) -> f64 {
    s * 1e6
}

fn pid(process: usize) -> u64 {
    process as u64 + 1
}

fn tid(lane: usize) -> u64 {
    lane as u64 + 1
}

/// The Chrome Trace Event JSON of `trace`.
pub fn export(trace: &Trace) -> String {
    let mut events = Vec::new();
    names(trace, &mut events);
    spans(trace, &mut events);
    gil(trace, &mut events);
    instants(trace, &mut events);
    flows(trace, &mut events);
    memory(trace, &mut events);
    cores(trace, &mut events);
    let doc = json!({
        "traceEvents": events,
        "displayTimeUnit": "ms",
        "otherData": {
            "scenario": trace.scenario,
            "title": trace.title,
            "source": format!("{:?}", trace.source).to_lowercase(),
            "cores": trace.profile.cores,
            "makespan_s": trace.makespan_s,
            "notes": trace.notes,
        },
    });
    // Plain values only: serializing cannot fail.
    serde_json::to_string(&doc).unwrap_or_default()
}

fn meta(name: &str, pid: u64, tid: Option<u64>, args: Value) -> Value {
    let mut e = json!({ "ph": "M", "name": name, "pid": pid, "args": args });
    if let Some(tid) = tid {
        e["tid"] = json!(tid);
    }
    e
}

/// Process and thread names and sort orders.
fn names(trace: &Trace, out: &mut Vec<Value>) {
    let processes = process_count(trace);
    for p in 0..processes {
        let main = trace
            .lanes
            .iter()
            .find(|l| l.process == p && matches!(l.kind, LaneKind::Main | LaneKind::Process));
        let name = match main {
            Some(l) => format!("process {p}: {}", l.name),
            None => format!("process {p}"),
        };
        out.push(meta("process_name", pid(p), None, json!({ "name": name })));
        out.push(meta(
            "process_sort_index",
            pid(p),
            None,
            json!({ "sort_index": p }),
        ));
        let gil = GIL_TID + p as u64;
        out.push(meta(
            "thread_name",
            pid(p),
            Some(gil),
            json!({ "name": "GIL" }),
        ));
        out.push(meta(
            "thread_sort_index",
            pid(p),
            Some(gil),
            json!({ "sort_index": -1 }),
        ));
    }
    for lane in &trace.lanes {
        let name = match lane.kind {
            LaneKind::Task => format!("task {}", lane.name),
            _ => lane.name.clone(),
        };
        let (p, t) = (pid(lane.process), Some(tid(lane.id)));
        out.push(meta("thread_name", p, t, json!({ "name": name })));
        out.push(meta(
            "thread_sort_index",
            p,
            t,
            json!({ "sort_index": lane.id }),
        ));
    }
}

fn process_count(trace: &Trace) -> usize {
    let from_lanes = trace.lanes.iter().map(|l| l.process + 1).max().unwrap_or(0);
    from_lanes.max(trace.gil.len())
}

fn spans(trace: &Trace, out: &mut Vec<Value>) {
    for lane in &trace.lanes {
        for s in &lane.spans {
            let state = serde_json::to_value(s.state).unwrap_or_default();
            let name = if s.label.is_empty() {
                state.as_str().unwrap_or("").to_string()
            } else {
                s.label.clone()
            };
            let mut args = json!({ "state": state });
            if let Some(line) = s.line {
                args["line"] = json!(line);
            }
            if let Some(core) = s.core {
                args["core"] = json!(core);
            }
            if let Some(w) = &s.wait {
                args["waits_for"] = json!(w.what);
            }
            out.push(json!({
                "ph": "X", "name": name, "cat": state, "pid": pid(lane.process),
                "tid": tid(lane.id), "ts": us(s.start_s), "dur": us(s.end_s - s.start_s),
                "args": args,
            }));
        }
    }
}

fn lane_name(trace: &Trace, lane: usize) -> String {
    trace
        .lanes
        .get(lane)
        .map_or_else(|| format!("lane {lane}"), |l| l.name.clone())
}

fn gil(trace: &Trace, out: &mut Vec<Value>) {
    for g in &trace.gil {
        for h in &g.held {
            out.push(json!({
                "ph": "X", "name": lane_name(trace, h.lane), "cat": "gil",
                "pid": pid(g.process), "tid": GIL_TID + g.process as u64,
                "ts": us(h.start_s), "dur": us(h.end_s - h.start_s),
            }));
        }
    }
}

fn instants(trace: &Trace, out: &mut Vec<Value>) {
    let process = |lane: usize| trace.lanes.get(lane).map_or(0, |l| l.process);
    for p in &trace.prints {
        out.push(json!({
            "ph": "i", "s": "t", "name": p.text, "cat": "print", "pid": pid(process(p.lane)),
            "tid": tid(p.lane), "ts": us(p.t_s),
        }));
    }
    for e in &trace.events {
        let kind = serde_json::to_value(e.kind).unwrap_or_default();
        out.push(json!({
            "ph": "i", "s": "t", "name": kind, "cat": "event", "pid": pid(process(e.lane)),
            "tid": tid(e.lane), "ts": us(e.t_s), "args": { "detail": e.detail },
        }));
    }
}

/// Flow arrows from each waiting span to the lane that ends its wait.
fn flows(trace: &Trace, out: &mut Vec<Value>) {
    let mut id = 0u64;
    for lane in &trace.lanes {
        for s in &lane.spans {
            let Some(waker) = s
                .wait
                .as_ref()
                .and_then(|w| w.lane)
                .and_then(|l| trace.lanes.get(l))
            else {
                continue;
            };
            // The arrow lands inside a slice of the waker's: at the wait's end, or at the
            // waker's own end if it ended first (a joined thread).
            let waker_end = waker.spans.last().map_or(s.end_s, |w| w.end_s);
            let at = (s.end_s.min(waker_end) - 1e-6).max(s.start_s);
            id += 1;
            out.push(json!({
                "ph": "s", "id": id, "name": "wakes", "cat": "wait",
                "pid": pid(lane.process), "tid": tid(lane.id), "ts": us(s.start_s),
            }));
            out.push(json!({
                "ph": "f", "bp": "e", "id": id, "name": "wakes", "cat": "wait",
                "pid": pid(waker.process), "tid": tid(waker.id), "ts": us(at),
            }));
        }
    }
}

fn memory(trace: &Trace, out: &mut Vec<Value>) {
    for m in &trace.memory {
        let (p, name) = match m.process {
            None => (0, "memory (all processes)"),
            Some(p) => (p, "resident set"),
        };
        out.push(json!({
            "ph": "C", "name": name, "pid": pid(p), "ts": us(m.t_s),
            "args": { "MiB": m.bytes as f64 / (1u64 << 20) as f64 },
        }));
    }
}

fn cores(trace: &Trace, out: &mut Vec<Value>) {
    if trace.cores.iter().all(Vec::is_empty) {
        return;
    }
    let cores_pid = pid(process_count(trace));
    out.push(meta(
        "process_name",
        cores_pid,
        None,
        json!({ "name": "cores" }),
    ));
    for (c, held) in trace.cores.iter().enumerate() {
        let t = Some(c as u64 + 1);
        out.push(meta(
            "thread_name",
            cores_pid,
            t,
            json!({ "name": format!("core {c}") }),
        ));
        for h in held {
            out.push(json!({
                "ph": "X", "name": lane_name(trace, h.lane), "cat": "core", "pid": cores_pid,
                "tid": c as u64 + 1, "ts": us(h.start_s), "dur": us(h.end_s - h.start_s),
            }));
        }
    }
}
