//! One process's Global Interpreter Lock, as CPython 3.2+ implements it (`Python/ceval_gil.c`).
//!
//! - A thread needs the GIL to run Python code; sleeping and blocking I/O release it.
//! - A thread that has to wait does not wait forever: after the switch interval (5 ms) it sets a
//!   drop request, and the holder lets go at its next check. So CPU-bound threads take turns
//!   every switch interval, and a thread that wakes from a sleep can wait up to that long.
//! - The thread that was made to drop the GIL queues behind the others (CPython's forced
//!   switching guarantees another thread gets it). Waiters are served first come, first served:
//!   the real order depends on the OS's condition variables, and FIFO is its usual outcome.
//!
//! When the drop request comes, checked against `take_gil` in `ceval_gil.c` (3.11): each
//! waiter waits on the GIL's condition variable for one interval at a time, and when a wait
//! times out with the GIL still taken and no switch since it began (`switch_number`
//! unchanged), it sets `gil_drop_request`. So the first request comes one interval after the
//! first waiter began to wait ([`Gil::request`] sets [`Gil::drop_at`] then), and while threads
//! alternate under forced switches every request comes one interval after the last switch
//! (the dropped holder starts its wait anew as it queues): the simulator's `drop_at` after
//! [`Gil::force_switch`], and where it records the request (`EventKind::GilDropRequest`).
//! One case differs: after a *voluntary* hand-off (the holder sleeps or blocks) the
//! remaining waiters' current waits were begun before it, so CPython asks between one and two
//! intervals after the hand-off, depending on when their wait began; [`Gil::release`] restarts
//! the count at the hand-off, which asks after exactly one.

use std::collections::VecDeque;

use super::clock::Nanos;

#[derive(Debug, Default)]
pub struct Gil {
    holder: Option<usize>,
    waiters: VecDeque<usize>,
    /// When the holder will be asked to drop the GIL, if anyone is waiting.
    drop_at: Option<Nanos>,
}

impl Gil {
    pub fn holder(&self) -> Option<usize> {
        self.holder
    }

    /// The threads queued for the GIL, first come first.
    pub fn waiters(&self) -> impl Iterator<Item = usize> + '_ {
        self.waiters.iter().copied()
    }

    /// Whether `thread` is queued for the GIL.
    pub fn is_waiting(&self, thread: usize) -> bool {
        self.waiters.contains(&thread)
    }

    pub fn drop_at(&self) -> Option<Nanos> {
        self.drop_at
    }

    /// `thread` asks for the GIL at `now`; true if it got it at once.
    pub fn request(&mut self, thread: usize, now: Nanos, interval: Nanos) -> bool {
        if self.holder.is_none() && self.waiters.is_empty() {
            self.holder = Some(thread);
            return true;
        }
        self.waiters.push_back(thread);
        if self.drop_at.is_none() {
            self.drop_at = Some(now.saturating_add(interval));
        }
        false
    }

    /// The holder lets go at `now` (it sleeps, blocks or ends). Returns the next holder.
    pub fn release(&mut self, now: Nanos, interval: Nanos) -> Option<usize> {
        self.holder = self.waiters.pop_front();
        // The remaining waiters start their switch-interval wait over against the new holder.
        self.drop_at = match (self.holder, self.waiters.is_empty()) {
            (Some(_), false) => Some(now.saturating_add(interval)),
            _ => None,
        };
        self.holder
    }

    /// `thread` leaves the queue for the GIL (it ended while waiting).
    pub fn withdraw(&mut self, thread: usize) {
        self.waiters.retain(|&w| w != thread);
        if self.waiters.is_empty() {
            self.drop_at = None;
        }
    }

    /// The drop request is due: the holder gives the GIL to the first waiter and queues up
    /// behind the others. Returns `(old holder, new holder)`.
    pub fn force_switch(&mut self, now: Nanos, interval: Nanos) -> Option<(usize, usize)> {
        let old = self.holder?;
        let new = self.waiters.pop_front()?;
        self.waiters.push_back(old);
        self.holder = Some(new);
        self.drop_at = Some(now.saturating_add(interval));
        Some((old, new))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Nanos = 1_000_000;

    #[test]
    fn free_gil_is_taken_at_once_and_waiters_queue() {
        let mut gil = Gil::default();
        assert!(gil.request(1, 0, 5 * MS));
        assert!(!gil.request(2, 2 * MS, 5 * MS));
        assert!(!gil.request(3, 3 * MS, 5 * MS));
        // The drop request counts from the first waiter.
        assert_eq!(gil.drop_at(), Some(7 * MS));
    }

    #[test]
    fn forced_switch_rotates_holders_every_interval() {
        let mut gil = Gil::default();
        gil.request(1, 0, 5 * MS);
        gil.request(2, 0, 5 * MS);
        gil.request(3, 0, 5 * MS);
        assert_eq!(gil.force_switch(5 * MS, 5 * MS), Some((1, 2)));
        assert_eq!(gil.drop_at(), Some(10 * MS));
        assert_eq!(gil.force_switch(10 * MS, 5 * MS), Some((2, 3)));
        assert_eq!(gil.force_switch(15 * MS, 5 * MS), Some((3, 1)));
    }

    #[test]
    fn release_hands_over_and_clears_request_when_nobody_else_waits() {
        let mut gil = Gil::default();
        gil.request(1, 0, 5 * MS);
        gil.request(2, MS, 5 * MS);
        assert_eq!(gil.release(2 * MS, 5 * MS), Some(2));
        assert_eq!(gil.drop_at(), None);
        assert_eq!(gil.release(3 * MS, 5 * MS), None);
        assert_eq!(gil.holder(), None);
    }
}
