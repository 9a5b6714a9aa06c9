//! A trace thinned for an overview: stretches shorter than a step pooled into one.
//!
//! The comparison (`view=compare`) draws four whole runs one above the other, never zoomed in.
//! A thousand threads computing for 800 s hand the GIL over 160,000 times, and the full
//! trace of that is 170 MB of JSON: too much to send from the engine to the page, or to
//! index there, for a drawing whose pixels are each a tenth of a second wide. Thinning pools
//! neighbouring stretches shorter than `step_s` until the pool is `step_s` long, and keeps
//! the pool as one stretch in the state (or with the holder) that took most of it, as the
//! timeline's own layout does per pixel ([`super::timeline`]). Stretches of `step_s` or more
//! are kept as they are, so a run with few stretches comes out unchanged.
//!
//! What the comparison's table says is measured on the whole trace before it is thinned
//! ([`crate::compare::Figures`]); a thinned trace is for drawing only, and its notes say so.

use crate::core::trace::{EventKind, Holding, Lane, Span, State, Trace};

/// What a pooled stretch is: a lane's state, or who held a GIL or core.
trait Stretch: Clone {
    type Key: PartialEq + Copy;
    fn start(&self) -> f64;
    fn end(&self) -> f64;
    fn key(&self) -> Self::Key;
    /// This stretch standing for the pool `[start, end)`, mixed or not.
    fn standing_for(&self, start: f64, end: f64, mixed: bool) -> Self;
}

impl Stretch for Span {
    type Key = State;
    fn start(&self) -> f64 {
        self.start_s
    }
    fn end(&self) -> f64 {
        self.end_s
    }
    fn key(&self) -> State {
        self.state
    }
    fn standing_for(&self, start: f64, end: f64, mixed: bool) -> Span {
        Span {
            start_s: start,
            end_s: end,
            // What a mixed pool waited for is not one thing.
            wait: if mixed { None } else { self.wait.clone() },
            ..self.clone()
        }
    }
}

impl Stretch for Holding {
    type Key = usize;
    fn start(&self) -> f64 {
        self.start_s
    }
    fn end(&self) -> f64 {
        self.end_s
    }
    fn key(&self) -> usize {
        self.lane
    }
    fn standing_for(&self, start: f64, end: f64, _mixed: bool) -> Holding {
        Holding {
            start_s: start,
            end_s: end,
            lane: self.lane,
        }
    }
}

/// `trace` with its stretches shorter than `step_s` pooled. A step that is not a positive
/// number leaves the trace as it is.
pub fn thin(trace: &Trace, step_s: f64) -> Trace {
    if !(step_s.is_finite() && step_s > 0.0) {
        return trace.clone();
    }
    let lanes = trace
        .lanes
        .iter()
        .map(|l| Lane {
            spans: pool(&l.spans, step_s),
            ..l.clone()
        })
        .collect();
    let mut gil = trace.gil.clone();
    for g in &mut gil {
        g.held = pool(&g.held, step_s);
    }
    let before = stretches(trace);
    let mut thinned = Trace {
        lanes,
        gil,
        cores: trace.cores.iter().map(|c| pool(c, step_s)).collect(),
        // The hand-offs and drop requests are the many; what they said is in the pooled GIL.
        events: trace
            .events
            .iter()
            .filter(|e| !matches!(e.kind, EventKind::GilHandoff | EventKind::GilDropRequest))
            .cloned()
            .collect(),
        ..trace.clone()
    };
    if stretches(&thinned) < before {
        thinned.notes.push(format!(
            "thinned for drawing: stretches shorter than {} pooled ({} stretches drawn of {})",
            super::narration::duration(step_s),
            stretches(&thinned),
            before
        ));
    }
    thinned
}

/// Spans, GIL holdings and core holdings in all.
fn stretches(trace: &Trace) -> usize {
    trace.lanes.iter().map(|l| l.spans.len()).sum::<usize>()
        + trace.gil.iter().map(|g| g.held.len()).sum::<usize>()
        + trace.cores.iter().map(Vec::len).sum::<usize>()
}

/// Pools neighbouring stretches shorter than `step` (in time order; a gap of `step` or more
/// between two ends a pool).
fn pool<S: Stretch>(items: &[S], step: f64) -> Vec<S> {
    let mut out: Vec<S> = Vec::with_capacity(items.len().min(4096));
    let mut pooled: Vec<&S> = Vec::new();
    for item in items {
        let gap = pooled
            .last()
            .is_some_and(|last| item.start() - last.end() >= step);
        if gap || item.end() - item.start() >= step {
            flush(&mut pooled, &mut out);
        }
        if item.end() - item.start() >= step {
            out.push(item.clone());
            continue;
        }
        pooled.push(item);
        if pooled.last().map_or(0.0, |l| l.end()) - pooled[0].start() >= step {
            flush(&mut pooled, &mut out);
        }
    }
    flush(&mut pooled, &mut out);
    out
}

/// The pool as one stretch: the key that took most of it, represented by its longest item.
fn flush<S: Stretch>(pooled: &mut Vec<&S>, out: &mut Vec<S>) {
    let (Some(first), Some(last)) = (pooled.first(), pooled.last()) else {
        return;
    };
    let (start, end) = (first.start(), last.end());
    let mut totals: Vec<(S::Key, f64)> = Vec::new();
    for item in pooled.iter() {
        let d = item.end() - item.start();
        match totals.iter_mut().find(|(k, _)| *k == item.key()) {
            Some((_, t)) => *t += d,
            None => totals.push((item.key(), d)),
        }
    }
    let top = totals
        .iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(k, _)| *k);
    let representative = pooled
        .iter()
        .filter(|i| Some(i.key()) == top)
        .max_by(|a, b| (a.end() - a.start()).total_cmp(&(b.end() - b.start())));
    if let Some(r) = representative {
        out.push(r.standing_for(start, end, totals.len() > 1));
    }
    pooled.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(a: f64, b: f64, state: State) -> Span {
        Span {
            start_s: a,
            end_s: b,
            state,
            label: format!("{state:?}"),
            core: None,
            line: None,
            wait: None,
        }
    }

    #[test]
    fn short_neighbours_pool_into_the_state_that_took_most_of_them() {
        // Turns of 5 ms: 3 ms running, 2 ms waiting, ten times; then a long sleep.
        let mut spans = Vec::new();
        let ms = |n: i32| f64::from(n) / 1000.0;
        for i in 0..10 {
            spans.push(span(ms(5 * i), ms(5 * i + 3), State::Running));
            spans.push(span(ms(5 * i + 3), ms(5 * i + 5), State::WaitingGil));
        }
        spans.push(span(0.05, 1.0, State::Sleeping));
        let pooled = pool(&spans, 0.02);
        let got: Vec<(f64, f64, State)> = pooled
            .iter()
            .map(|s| (s.start_s, s.end_s, s.state))
            .collect();
        assert_eq!(got.len(), 4, "{got:?}");
        assert_eq!(got[3], (0.05, 1.0, State::Sleeping), "long spans stay");
        assert!(got[..3].iter().all(|g| g.2 == State::Running), "{got:?}");
        // The pools tile what they replace: no gap, no overlap.
        for w in got.windows(2) {
            assert_eq!(w[0].1, w[1].0);
        }
        assert_eq!(got[0].0, 0.0);
        // A step shorter than every span changes nothing.
        assert_eq!(pool(&spans, 0.001), spans);
    }

    #[test]
    fn a_gap_ends_a_pool_of_holdings() {
        let h = |a: f64, b: f64, lane: usize| Holding {
            start_s: a,
            end_s: b,
            lane,
        };
        let held = [h(0.0, 0.001, 1), h(0.001, 0.002, 2), h(0.5, 0.501, 3)];
        let pooled = pool(&held, 0.01);
        assert_eq!(pooled.len(), 2, "{pooled:?}");
        assert_eq!((pooled[0].start_s, pooled[0].end_s), (0.0, 0.002));
        assert_eq!(pooled[1], h(0.5, 0.501, 3));
    }

    #[test]
    fn a_bad_step_leaves_the_trace_alone() {
        let trace = crate::scenarios::find("threads")
            .unwrap()
            .simulate_sized(
                Default::default(),
                &crate::scenarios::Size {
                    boil_s: 0.1,
                    cpu_iterations: 100_000,
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(thin(&trace, f64::NAN), trace);
        assert_eq!(thin(&trace, 0.0), trace);
        let thinned = thin(&trace, trace.makespan_s / 50.0);
        assert!(stretches(&thinned) < stretches(&trace));
        assert!(thinned.notes.iter().any(|n| n.contains("thinned")));
        assert_eq!(thinned.makespan_s, trace.makespan_s);
        for (a, b) in thinned.lanes.iter().zip(&trace.lanes) {
            assert_eq!(
                a.spans.first().map(|s| s.start_s),
                b.spans.first().map(|s| s.start_s)
            );
            assert_eq!(
                a.spans.last().map(|s| s.end_s),
                b.spans.last().map(|s| s.end_s)
            );
        }
    }
}
