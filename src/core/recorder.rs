//! Builds a [`Trace`] while the simulator runs. The simulator says "lane 3 is now waiting for
//! the GIL" at simulated time `t`; the recorder closes the lane's previous span and opens the
//! next, and keeps the GIL and core timelines the same way. Keeping this bookkeeping out of the
//! simulator leaves the simulator with only scheduling decisions.

use super::clock::{to_secs, Nanos};
use super::profile::Profile;
use super::trace::{
    Event, EventKind, GilTimeline, Holding, Lane, LaneKind, MemorySample, Printed, Source, Span,
    State, Stream, Trace, Wait, TRACE_FORMAT,
};

/// The span a lane is in now, not yet closed.
#[derive(Clone, Debug, PartialEq)]
struct Open {
    since: Nanos,
    state: State,
    label: String,
    core: Option<u32>,
    line: Option<u32>,
    /// What a waiting span waits for, as known when it opened (or learnt later, see
    /// [`Recorder::update_wait`]).
    wait: Option<Wait>,
}

#[derive(Default)]
pub struct Recorder {
    lanes: Vec<Lane>,
    open: Vec<Option<Open>>,
    /// Per lane: the source line it is executing now, stamped on the spans it opens.
    lines: Vec<Option<u32>>,
    /// Per process: (holder lane, since).
    gil_open: Vec<Option<(usize, Nanos)>>,
    gil: Vec<GilTimeline>,
    /// Per core: (lane, since).
    core_open: Vec<Option<(usize, Nanos)>>,
    cores: Vec<Vec<Holding>>,
    prints: Vec<Printed>,
    events: Vec<Event>,
    memory: Vec<MemorySample>,
    peak_memory: u64,
}

impl Recorder {
    pub fn new(cores: u32) -> Recorder {
        Recorder {
            core_open: vec![None; cores as usize],
            cores: vec![Vec::new(); cores as usize],
            ..Recorder::default()
        }
    }

    /// Adds a lane and returns its id.
    pub fn add_lane(
        &mut self,
        name: String,
        kind: LaneKind,
        process: usize,
        parent: Option<usize>,
    ) -> usize {
        let id = self.lanes.len();
        self.lanes.push(Lane {
            id,
            name,
            kind,
            process,
            parent,
            spans: Vec::new(),
        });
        self.open.push(None);
        self.lines.push(None);
        id
    }

    /// Adds a process's GIL timeline.
    pub fn add_process(&mut self) {
        let process = self.gil.len();
        self.gil.push(GilTimeline {
            process,
            held: Vec::new(),
        });
        self.gil_open.push(None);
    }

    /// From `now` on, `lane` is in `state`. Repeating the current state changes nothing.
    pub fn set(&mut self, lane: usize, now: Nanos, state: State, label: &str, core: Option<u32>) {
        self.open_span(lane, now, state, label, core, None);
    }

    /// From `now` on, `lane` waits in `state` for `wait`. Repeating the current state changes
    /// nothing: a span keeps the wait it began with (a GIL wait names the holder at its start).
    pub fn set_waiting(&mut self, lane: usize, now: Nanos, state: State, label: &str, wait: Wait) {
        self.open_span(lane, now, state, label, None, Some(wait));
    }

    fn open_span(
        &mut self,
        lane: usize,
        now: Nanos,
        state: State,
        label: &str,
        core: Option<u32>,
        wait: Option<Wait>,
    ) {
        let line = self.lines[lane];
        if let Some(open) = &self.open[lane] {
            if open.state == state && open.label == label && open.core == core && open.line == line
            {
                return;
            }
        }
        self.close(lane, now);
        self.open[lane] = Some(Open {
            since: now,
            state,
            label: label.to_string(),
            core,
            line,
            wait,
        });
    }

    /// `lane`'s open span, if it opened at `now`, waits for `lane_waited`'s instead: at one
    /// instant several things can happen (a thread ends, waking its joiner, and then hands
    /// the GIL on), and a wait that began then names who it waits for after them all.
    pub fn rewait_opened_now(&mut self, lane: usize, now: Nanos, lane_waited: usize) {
        if let Some(open) = self.open[lane].as_mut().filter(|o| o.since == now) {
            if let Some(w) = open.wait.as_mut() {
                w.lane = Some(lane_waited);
            }
        }
    }

    /// What `lane`'s open span waits for became clearer (the helper thread of a `to_thread`
    /// call is now known): the span, still the same one, says so.
    pub fn update_wait(&mut self, lane: usize, wait: Wait) {
        if let Some(open) = self.open[lane].as_mut() {
            if open.wait.is_some() {
                open.wait = Some(wait);
            }
        }
    }

    /// From now on `lane` executes source line `line`: spans it opens carry that line, and
    /// the open span is split there if it showed another line.
    pub fn line(&mut self, lane: usize, now: Nanos, line: Option<u32>) {
        if self.lines[lane] == line {
            return;
        }
        self.lines[lane] = line;
        if let Some(open) = self.open[lane].clone() {
            self.open_span(lane, now, open.state, &open.label, open.core, open.wait);
        }
    }

    /// The lane's life ends at `now`.
    pub fn close(&mut self, lane: usize, now: Nanos) {
        if let Some(open) = self.open[lane].take() {
            if now > open.since {
                let spans = &mut self.lanes[lane].spans;
                // Merge with an identical span that ended where this one starts (it keeps the
                // wait it began with).
                if let Some(last) = spans.last_mut() {
                    if last.state == open.state
                        && last.label == open.label
                        && last.core == open.core
                        && last.line == open.line
                        && last.end_s == to_secs(open.since)
                    {
                        last.end_s = to_secs(now);
                        return;
                    }
                }
                spans.push(Span {
                    start_s: to_secs(open.since),
                    end_s: to_secs(now),
                    state: open.state,
                    label: open.label,
                    core: open.core,
                    line: open.line,
                    wait: open.wait,
                });
            }
        }
    }

    /// `lane` (or nobody) holds `process`'s GIL from `now` on.
    pub fn gil_holder(&mut self, process: usize, now: Nanos, lane: Option<usize>) {
        if let Some((held_by, since)) = self.gil_open[process].take() {
            if now > since {
                self.gil[process].held.push(Holding {
                    start_s: to_secs(since),
                    end_s: to_secs(now),
                    lane: held_by,
                });
            }
        }
        self.gil_open[process] = lane.map(|l| (l, now));
    }

    /// `lane` (or nobody) runs on `core` from `now` on.
    pub fn core_user(&mut self, core: u32, now: Nanos, lane: Option<usize>) {
        let core = core as usize;
        if let Some((user, since)) = self.core_open[core].take() {
            if now > since {
                self.cores[core].push(Holding {
                    start_s: to_secs(since),
                    end_s: to_secs(now),
                    lane: user,
                });
            }
        }
        self.core_open[core] = lane.map(|l| (l, now));
    }

    /// A line printed to standard output.
    pub fn print(&mut self, lane: usize, now: Nanos, text: String) {
        self.print_to(lane, now, text, Stream::Stdout);
    }

    /// A line printed to `stream`.
    pub fn print_to(&mut self, lane: usize, now: Nanos, text: String, stream: Stream) {
        self.prints.push(Printed {
            t_s: to_secs(now),
            lane,
            text,
            stream,
        });
    }

    pub fn event(&mut self, lane: usize, now: Nanos, kind: EventKind, detail: String) {
        self.events.push(Event {
            t_s: to_secs(now),
            lane,
            kind,
            detail,
        });
    }

    pub fn memory(&mut self, now: Nanos, bytes: u64) {
        self.peak_memory = self.peak_memory.max(bytes);
        let t_s = to_secs(now);
        match self.memory.last_mut() {
            Some(last) if last.t_s == t_s => last.bytes = bytes,
            _ => self.memory.push(MemorySample {
                t_s,
                bytes,
                process: None,
            }),
        }
    }

    /// Closes everything still open at `end` and returns the trace.
    pub fn finish(mut self, end: Nanos, header: TraceHeader) -> Trace {
        for lane in 0..self.lanes.len() {
            self.close(lane, end);
        }
        for process in 0..self.gil.len() {
            self.gil_holder(process, end, None);
        }
        for core in 0..self.cores.len() {
            self.core_user(core as u32, end, None);
        }
        Trace {
            format: TRACE_FORMAT,
            scenario: header.scenario,
            title: header.title,
            source: Source::Simulated,
            profile: header.profile,
            notes: header.notes,
            code: header.code,
            makespan_s: to_secs(end),
            peak_memory_bytes: self.peak_memory,
            lanes: self.lanes,
            gil: self.gil,
            cores: self.cores,
            prints: self.prints,
            events: self.events,
            memory: self.memory,
        }
    }
}

/// What a trace says about itself, apart from what happened.
pub struct TraceHeader {
    pub scenario: String,
    pub title: String,
    pub profile: Profile,
    pub notes: Vec<String>,
    /// The program's source, for traces of Python programs.
    pub code: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::trace::WaitOn;

    fn timer(until_s: f64) -> Wait {
        Wait {
            on: WaitOn::Timer,
            what: "time.sleep(1)".into(),
            until_s: Some(until_s),
            lane: None,
        }
    }

    fn spans(rec: Recorder) -> Vec<Span> {
        let header = TraceHeader {
            scenario: String::new(),
            title: String::new(),
            profile: Profile::default(),
            notes: Vec::new(),
            code: None,
        };
        rec.finish(40, header).lanes.remove(0).spans
    }

    #[test]
    fn a_waiting_span_keeps_the_wait_it_began_with_across_a_line_change() {
        let mut rec = Recorder::new(1);
        let lane = rec.add_lane("main".into(), LaneKind::Main, 0, None);
        rec.set_waiting(lane, 0, State::Sleeping, "nap", timer(1.0));
        // The same state again, with another wait: still the first span, first wait.
        rec.set_waiting(lane, 5, State::Sleeping, "nap", timer(9.0));
        rec.line(lane, 10, Some(3));
        rec.set(lane, 20, State::Running, "", Some(0));
        let s = spans(rec);
        assert_eq!(s.len(), 3, "{s:?}");
        assert_eq!(s[0].wait, Some(timer(1.0)));
        assert_eq!((s[1].start_s, s[1].line), (10e-9, Some(3)));
        assert_eq!(s[1].wait, Some(timer(1.0)));
        assert_eq!(s[2].wait, None);
    }

    #[test]
    fn a_wait_learnt_later_or_at_the_same_instant_is_the_open_spans_own() {
        let mut rec = Recorder::new(1);
        let lane = rec.add_lane("task".into(), LaneKind::Task, 0, None);
        let mut wait = timer(1.0);
        wait.on = WaitOn::Gil;
        rec.set_waiting(lane, 7, State::WaitingGil, "", wait.clone());
        rec.rewait_opened_now(lane, 8, 4);
        rec.rewait_opened_now(lane, 7, 5);
        wait.lane = Some(6);
        rec.update_wait(lane, wait.clone());
        rec.set(lane, 30, State::Running, "", Some(0));
        let s = spans(rec);
        assert_eq!(s[0].wait, Some(wait));
        // A span without a wait learns none.
        let mut rec = Recorder::new(1);
        let lane = rec.add_lane("main".into(), LaneKind::Main, 0, None);
        rec.set(lane, 0, State::Running, "", Some(0));
        rec.update_wait(lane, timer(1.0));
        assert_eq!(spans(rec)[0].wait, None);
    }
}
