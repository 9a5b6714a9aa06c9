//! Numbers a reader takes away from a trace: how long it took, how busy the cores were, and
//! where each chef's time went. The CLI prints them; the page shows them at the end of a run.

use super::trace::{LaneKind, State, Trace};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LaneSummary {
    pub lane: usize,
    pub name: String,
    /// Running or spawning: using a core.
    pub busy_s: f64,
    pub gil_wait_s: f64,
    pub core_wait_s: f64,
    /// Sleeping, or an idle event loop.
    pub sleep_s: f64,
    /// Waiting for another chef (join, start, empty queue).
    pub blocked_s: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub makespan_s: f64,
    /// CPU time used / (cores × makespan).
    pub cpu_busy_share: f64,
    pub peak_memory_bytes: u64,
    /// One per chef (asyncio tasks are not chefs: their time is their loop's).
    pub lanes: Vec<LaneSummary>,
}

impl Summary {
    pub fn of(trace: &Trace) -> Summary {
        let lanes: Vec<LaneSummary> = trace
            .lanes
            .iter()
            .filter(|l| l.kind != LaneKind::Task)
            .map(|lane| {
                let mut s = LaneSummary {
                    lane: lane.id,
                    name: lane.name.clone(),
                    ..LaneSummary::default()
                };
                for span in &lane.spans {
                    let d = span.end_s - span.start_s;
                    match span.state {
                        State::Running | State::Spawning => s.busy_s += d,
                        State::WaitingGil => s.gil_wait_s += d,
                        State::WaitingCore => s.core_wait_s += d,
                        State::Sleeping | State::Idle => s.sleep_s += d,
                        State::Blocked | State::Ready | State::Awaiting => s.blocked_s += d,
                    }
                }
                s
            })
            .collect();
        let busy: f64 = lanes.iter().map(|l| l.busy_s).sum();
        let capacity = trace.profile.cores.max(1) as f64 * trace.makespan_s;
        Summary {
            makespan_s: trace.makespan_s,
            cpu_busy_share: if capacity > 0.0 {
                (busy / capacity).min(1.0)
            } else {
                0.0
            },
            peak_memory_bytes: trace.peak_memory_bytes,
            lanes,
        }
    }
}
