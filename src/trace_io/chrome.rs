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
//!
//! The JSON is written directly, event by event (`Event`), rather than built as
//! `serde_json::Value`s: the same text, with far less code in the page's download.

use std::fmt::Write;

use crate::core::trace::{LaneKind, State, Trace};

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

/// Writes `text` as a JSON string.
fn write_str(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Writes `value` as a JSON number (`null` if it is not finite, as serde_json does).
fn write_num(out: &mut String, value: f64) {
    if value.is_finite() {
        let _ = write!(out, "{value}");
    } else {
        out.push_str("null");
    }
}

/// One JSON object being written into the document: `{"key":value,...}`.
struct Event<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Event<'a> {
    /// Starts an object (the document's events are separated by commas).
    fn start(out: &'a mut String) -> Event<'a> {
        if !out.ends_with('[') && !out.ends_with('{') && !out.ends_with(':') {
            out.push(',');
        }
        out.push('{');
        Event { out, first: true }
    }

    fn key(&mut self, key: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        write_str(self.out, key);
        self.out.push(':');
        self.out
    }

    fn str(mut self, key: &str, value: &str) -> Self {
        write_str(self.key(key), value);
        self
    }

    fn num(mut self, key: &str, value: f64) -> Self {
        write_num(self.key(key), value);
        self
    }

    /// A value already written as JSON.
    fn json(mut self, key: &str, value: &str) -> Self {
        self.key(key).push_str(value);
        self
    }

    fn int(mut self, key: &str, value: i64) -> Self {
        let _ = write!(self.key(key), "{value}");
        self
    }

    /// A nested object, written by `inner`.
    fn obj(mut self, key: &str, inner: impl FnOnce(Event) -> Event) -> Self {
        let out = self.key(key);
        out.push('{');
        inner(Event { out, first: true }).end();
        self
    }

    fn end(self) {
        self.out.push('}');
    }
}

/// The Chrome Trace Event JSON of `trace`.
pub fn export(trace: &Trace) -> String {
    let mut out = String::from("{\"traceEvents\":[");
    names(trace, &mut out);
    spans(trace, &mut out);
    gil(trace, &mut out);
    instants(trace, &mut out);
    flows(trace, &mut out);
    memory(trace, &mut out);
    cores(trace, &mut out);
    out.push_str("],\"displayTimeUnit\":\"ms\",\"otherData\":");
    let notes = serde_json::to_string(&trace.notes).unwrap_or_else(|_| "[]".into());
    Event::start(&mut out)
        .str("scenario", &trace.scenario)
        .str("title", &trace.title)
        .str("source", &format!("{:?}", trace.source).to_lowercase())
        .int("cores", i64::from(trace.profile.cores))
        .num("makespan_s", trace.makespan_s)
        .json("notes", &notes)
        .end();
    out.push('}');
    out
}

/// A metadata event (`ph: M`): a name or sort order of a process or thread track.
fn meta<'a>(out: &'a mut String, name: &str, pid: u64, tid: Option<u64>) -> Event<'a> {
    let e = Event::start(out)
        .str("ph", "M")
        .str("name", name)
        .int("pid", pid as i64);
    match tid {
        Some(tid) => e.int("tid", tid as i64),
        None => e,
    }
}

/// Process and thread names and sort orders.
fn names(trace: &Trace, out: &mut String) {
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
        meta(out, "process_name", pid(p), None)
            .obj("args", |a| a.str("name", &name))
            .end();
        meta(out, "process_sort_index", pid(p), None)
            .obj("args", |a| a.int("sort_index", p as i64))
            .end();
        let gil = GIL_TID + p as u64;
        meta(out, "thread_name", pid(p), Some(gil))
            .obj("args", |a| a.str("name", "GIL"))
            .end();
        meta(out, "thread_sort_index", pid(p), Some(gil))
            .obj("args", |a| a.int("sort_index", -1))
            .end();
    }
    for lane in &trace.lanes {
        let name = match lane.kind {
            LaneKind::Task => format!("task {}", lane.name),
            _ => lane.name.clone(),
        };
        let (p, t) = (pid(lane.process), Some(tid(lane.id)));
        meta(out, "thread_name", p, t)
            .obj("args", |a| a.str("name", &name))
            .end();
        meta(out, "thread_sort_index", p, t)
            .obj("args", |a| a.int("sort_index", lane.id as i64))
            .end();
    }
}

fn process_count(trace: &Trace) -> usize {
    let from_lanes = trace.lanes.iter().map(|l| l.process + 1).max().unwrap_or(0);
    from_lanes.max(trace.gil.len())
}

/// A state's name as the trace format writes it (`"waiting_gil"`).
fn state_name(state: State) -> String {
    serde_json::to_string(&state)
        .map(|s| s.trim_matches('"').to_string())
        .unwrap_or_default()
}

/// A complete slice (`ph: X`) from `start_s` to `end_s`; the caller adds its `args`, if any.
fn slice<'a>(
    out: &'a mut String,
    name: &str,
    cat: &str,
    track: (u64, u64),
    span: (f64, f64),
) -> Event<'a> {
    Event::start(out)
        .str("ph", "X")
        .str("name", name)
        .str("cat", cat)
        .int("pid", track.0 as i64)
        .int("tid", track.1 as i64)
        .num("ts", us(span.0))
        .num("dur", us(span.1 - span.0))
}

fn spans(trace: &Trace, out: &mut String) {
    for lane in &trace.lanes {
        for s in &lane.spans {
            let state = state_name(s.state);
            let name = if s.label.is_empty() { &state } else { &s.label };
            let track = (pid(lane.process), tid(lane.id));
            slice(out, name, &state, track, (s.start_s, s.end_s))
                .obj("args", |a| {
                    let mut a = a.str("state", &state);
                    if let Some(line) = s.line {
                        a = a.int("line", i64::from(line));
                    }
                    if let Some(core) = s.core {
                        a = a.int("core", core as i64);
                    }
                    if let Some(w) = &s.wait {
                        a = a.str("waits_for", &w.what);
                    }
                    a
                })
                .end();
        }
    }
}

fn lane_name(trace: &Trace, lane: usize) -> String {
    trace
        .lanes
        .get(lane)
        .map_or_else(|| format!("lane {lane}"), |l| l.name.clone())
}

fn gil(trace: &Trace, out: &mut String) {
    for g in &trace.gil {
        for h in &g.held {
            let track = (pid(g.process), GIL_TID + g.process as u64);
            slice(
                out,
                &lane_name(trace, h.lane),
                "gil",
                track,
                (h.start_s, h.end_s),
            )
            .end();
        }
    }
}

/// An instant event (`ph: i`) on a thread's track.
fn instant<'a>(
    out: &'a mut String,
    name: &str,
    cat: &str,
    track: (u64, u64),
    t_s: f64,
) -> Event<'a> {
    Event::start(out)
        .str("ph", "i")
        .str("s", "t")
        .str("name", name)
        .str("cat", cat)
        .int("pid", track.0 as i64)
        .int("tid", track.1 as i64)
        .num("ts", us(t_s))
}

fn instants(trace: &Trace, out: &mut String) {
    let process = |lane: usize| trace.lanes.get(lane).map_or(0, |l| l.process);
    for p in &trace.prints {
        let track = (pid(process(p.lane)), tid(p.lane));
        instant(out, &p.text, "print", track, p.t_s).end();
    }
    for e in &trace.events {
        let kind = serde_json::to_string(&e.kind).unwrap_or_default();
        let track = (pid(process(e.lane)), tid(e.lane));
        instant(out, kind.trim_matches('"'), "event", track, e.t_s)
            .obj("args", |a| a.str("detail", &e.detail))
            .end();
    }
}

/// Flow arrows from each waiting span to the lane that ends its wait.
fn flows(trace: &Trace, out: &mut String) {
    let mut id = 0i64;
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
            let ends = [("s", lane, s.start_s), ("f", waker, at)];
            for (ph, on, ts) in ends {
                let e = Event::start(out).str("ph", ph);
                let e = if ph == "f" { e.str("bp", "e") } else { e };
                e.int("id", id)
                    .str("name", "wakes")
                    .str("cat", "wait")
                    .int("pid", pid(on.process) as i64)
                    .int("tid", tid(on.id) as i64)
                    .num("ts", us(ts))
                    .end();
            }
        }
    }
}

fn memory(trace: &Trace, out: &mut String) {
    for m in &trace.memory {
        let (p, name) = match m.process {
            None => (0, "memory (all processes)"),
            Some(p) => (p, "resident set"),
        };
        Event::start(out)
            .str("ph", "C")
            .str("name", name)
            .int("pid", pid(p) as i64)
            .num("ts", us(m.t_s))
            .obj("args", |a| {
                a.num("MiB", m.bytes as f64 / (1u64 << 20) as f64)
            })
            .end();
    }
}

fn cores(trace: &Trace, out: &mut String) {
    if trace.cores.iter().all(Vec::is_empty) {
        return;
    }
    let cores_pid = pid(process_count(trace));
    meta(out, "process_name", cores_pid, None)
        .obj("args", |a| a.str("name", "cores"))
        .end();
    for (c, held) in trace.cores.iter().enumerate() {
        let t = c as u64 + 1;
        meta(out, "thread_name", cores_pid, Some(t))
            .obj("args", |a| a.str("name", &format!("core {c}")))
            .end();
        for h in held {
            let name = lane_name(trace, h.lane);
            slice(out, &name, "core", (cores_pid, t), (h.start_s, h.end_s)).end();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{write_num, write_str};

    #[test]
    fn strings_and_numbers_are_json() {
        let mut out = String::new();
        write_str(&mut out, "a \"b\" \\ \n\u{1}é");
        let back: String = serde_json::from_str(&out).unwrap();
        assert_eq!(back, "a \"b\" \\ \n\u{1}é");
        for v in [0.0, 1e6, 1.5e-7, -3.25, 1e300] {
            let mut out = String::new();
            write_num(&mut out, v);
            assert_eq!(out.parse::<f64>().unwrap(), v, "{out}");
        }
        let mut out = String::new();
        write_num(&mut out, f64::NAN);
        assert_eq!(out, "null");
    }
}
