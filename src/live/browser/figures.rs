//! The live run's figures beside the prediction's: the total time of each, and the speedup
//! of each over cooking every CPU step one after another on one chef.
//!
//! The speedup is `serial / in flight`: `serial` is how long the run's CPU steps take one
//! after another on one chef at the measured speed (every turn handed out, times the
//! calibrated time of a turn), and `in flight` is how long at least one CPU step was under
//! way (running, or waiting for the GIL), from the trace. Two kitchens cooking side by side
//! make it about 2; one stove shared by every chef makes it about 1, however many chefs.
//! Both traces are measured the same way, so the two speedups compare.

use crate::core::trace::{LaneKind, State, Trace};
pub use crate::engine::protocol::{Figures, Setting};

/// The figures of `measured` beside `predicted`.
pub fn of(measured: &Trace, predicted: &Trace, setting: Setting) -> Figures {
    Figures {
        predicted_total_s: predicted.makespan_s,
        measured_total_s: measured.makespan_s,
        predicted_speedup: speedup(setting.serial_s, in_flight_s(predicted)),
        measured_speedup: speedup(setting.serial_s, in_flight_s(measured)),
        setting,
    }
}

fn speedup(serial_s: f64, in_flight_s: f64) -> f64 {
    if in_flight_s > 0.0 {
        serial_s / in_flight_s
    } else {
        0.0
    }
}

/// How long at least one chef (not an asyncio task: its loop's thread is counted) was
/// running or waiting for the GIL.
pub fn in_flight_s(trace: &Trace) -> f64 {
    let mut stretches: Vec<(f64, f64)> = trace
        .lanes
        .iter()
        .filter(|l| l.kind != LaneKind::Task)
        .flat_map(|l| l.spans.iter())
        .filter(|s| matches!(s.state, State::Running | State::WaitingGil) && s.end_s > s.start_s)
        .map(|s| (s.start_s, s.end_s))
        .collect();
    crate::core::sort::sort_by(&mut stretches, |a, b| a.0.total_cmp(&b.0));
    let mut total = 0.0;
    let mut current: Option<(f64, f64)> = None;
    for (start, end) in stretches {
        current = match current {
            Some((a, b)) if start <= b => Some((a, b.max(end))),
            Some((a, b)) => {
                total += b - a;
                Some((start, end))
            }
            None => Some((start, end)),
        };
    }
    total + current.map_or(0.0, |(a, b)| b - a)
}
