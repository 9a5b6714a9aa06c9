//! When sleeping threads wake, and when each process's GIL holder is asked to drop it: the
//! simulator's timers, kept so that finding the next one and the ones due now costs `log n`
//! rather than a look at every thread or every process.
//!
//! Ten thousand threads that each sleep made the simulator look at all ten thousand at every
//! event, ten thousand events long (quadratic: 2 s for 10,000 threads). A heap answers "when
//! is the next timer?" and "whose timers are due?" without the look.
//!
//! Timers are never taken out early: a thread woken before its timer (an event loop's
//! `select()` ended by another thread) simply no longer waits for it. Whoever pops a timer
//! checks that its thread still waits until that moment ([`Timers::due`] takes the check), and
//! drops it otherwise, so a timer is pushed once and popped once.
//!
//! A process's drop request moves with every change of its GIL ([`DropRequests::moved`]),
//! so the set holds exactly one entry per process whose GIL has waiters: a thousand processes
//! no longer cost a look at each of them at every event.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

use crate::core::clock::Nanos;

/// Pending wake-ups: (when, thread).
#[derive(Debug, Default)]
pub(super) struct Timers {
    heap: BinaryHeap<Reverse<(Nanos, usize)>>,
}

impl Timers {
    /// Thread `thread` wakes at `at` (unless it is woken otherwise before).
    pub(super) fn add(&mut self, at: Nanos, thread: usize) {
        self.heap.push(Reverse((at, thread)));
    }

    /// The earliest timer that still counts (`waits_until(thread)` says until when a thread
    /// waits now, if it does); timers that no longer count are dropped on the way.
    pub(super) fn next(&mut self, waits_until: impl Fn(usize) -> Option<Nanos>) -> Option<Nanos> {
        while let Some(&Reverse((at, thread))) = self.heap.peek() {
            if waits_until(thread) == Some(at) {
                return Some(at);
            }
            self.heap.pop();
        }
        None
    }

    /// The threads whose timers are due at `now` and still count, by thread number (the
    /// simulator's tie-break), each once.
    pub(super) fn due(
        &mut self,
        now: Nanos,
        waits_until: impl Fn(usize) -> Option<Nanos>,
    ) -> Vec<usize> {
        let mut due = Vec::new();
        while let Some(&Reverse((at, thread))) = self.heap.peek() {
            if at > now {
                break;
            }
            self.heap.pop();
            if waits_until(thread) == Some(at) {
                due.push(thread);
            }
        }
        crate::core::sort::sort(&mut due);
        due.dedup();
        due
    }
}

/// Each process's coming GIL drop request: (when, process), for the processes that have one.
#[derive(Debug, Default)]
pub(super) struct DropRequests {
    set: BTreeSet<(Nanos, usize)>,
}

impl DropRequests {
    /// Process `process`'s drop request moved from `before` to `after` (either may be none).
    pub(super) fn moved(&mut self, process: usize, before: Option<Nanos>, after: Option<Nanos>) {
        if before == after {
            return;
        }
        if let Some(at) = before {
            self.set.remove(&(at, process));
        }
        if let Some(at) = after {
            self.set.insert((at, process));
        }
    }

    /// The earliest drop request.
    pub(super) fn next(&self) -> Option<Nanos> {
        self.set.first().map(|&(at, _)| at)
    }

    /// The processes whose drop requests are due at `now`, by process number (the
    /// simulator's tie-break). They stay until their GIL moves them.
    pub(super) fn due(&self, now: Nanos) -> Vec<usize> {
        let mut due: Vec<usize> = self
            .set
            .iter()
            .take_while(|&&(at, _)| at <= now)
            .map(|&(_, p)| p)
            .collect();
        crate::core::sort::sort(&mut due);
        due
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_timers_come_by_thread_number_and_stale_ones_are_dropped() {
        let mut timers = Timers::default();
        let waits = [Some(30), Some(10), None, Some(10)];
        let until = |t: usize| waits[t];
        timers.add(30, 0);
        timers.add(10, 3);
        timers.add(10, 1);
        timers.add(20, 2); // thread 2 no longer waits: its timer does not count
        timers.add(10, 1); // the same timer twice wakes the thread once
        assert_eq!(timers.next(until), Some(10));
        assert_eq!(timers.due(25, until), vec![1, 3]);
        assert_eq!(timers.next(until), Some(30));
        assert_eq!(timers.due(29, until), Vec::<usize>::new());
        assert_eq!(timers.due(30, until), vec![0]);
        assert_eq!(timers.next(until), None);
    }

    #[test]
    fn drop_requests_follow_their_gil_and_come_by_process_number() {
        let mut drops = DropRequests::default();
        drops.moved(2, None, Some(50));
        drops.moved(0, None, Some(50));
        drops.moved(1, None, Some(80));
        assert_eq!(drops.next(), Some(50));
        assert_eq!(drops.due(60), vec![0, 2]);
        // Process 0's holder was made to drop it: its next request is later.
        drops.moved(0, Some(50), Some(100));
        drops.moved(2, Some(50), None);
        assert_eq!(drops.next(), Some(80));
        assert_eq!(drops.due(100), vec![0, 1]);
    }
}
