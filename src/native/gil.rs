//! An emulated GIL for real threads: the threads of one process take turns on a token, by
//! the rules of CPython's GIL.
//!
//! Rust threads have no GIL, so without this they cook in parallel, which CPython's threads
//! cannot. With it (`kitchen measure --gil`), a thread must hold its process's token to cook
//! turns, and the rules are those the simulator models, from the same [`Gil`] type: a free
//! token is taken at once; a thread that must wait asks the holder to let go after the switch
//! interval (5 ms); the holder checks between slices of its work and, when the request is
//! due, hands the token to the first waiter and queues behind the others (FIFO). So the GIL's
//! cost is measured on real threads, not computed.
//!
//! Every change of holder is reported while the lock is held, so the reports of one
//! process's GIL are in the order the token really passed.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use super::clock::Clock;
use super::sink::Sink;
use crate::core::clock::Nanos;
use crate::core::gil::Gil;
use crate::live::Report;

pub struct EmulatedGil {
    process: usize,
    interval: Nanos,
    state: Mutex<Gil>,
    turn: Condvar,
    sink: Arc<dyn Sink>,
    clock: Clock,
}

impl EmulatedGil {
    pub fn new(process: usize, interval: Nanos, sink: Arc<dyn Sink>, clock: Clock) -> EmulatedGil {
        EmulatedGil {
            process,
            interval,
            state: Mutex::new(Gil::default()),
            turn: Condvar::new(),
            sink,
            clock,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Gil> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn passed(&self, holder: Option<usize>, dropped: bool) {
        self.sink.send(Report::Gil {
            process: self.process,
            holder,
            dropped,
        });
    }

    /// Blocks until `thread` holds the GIL.
    pub fn take(&self, thread: usize) {
        let mut gil = self.lock();
        if gil.request(thread, self.clock.now(), self.interval) {
            self.passed(Some(thread), false);
            return;
        }
        self.sink.send(Report::GilWait { thread });
        self.wait_for_turn(gil, thread);
    }

    fn wait_for_turn(&self, mut gil: MutexGuard<'_, Gil>, thread: usize) {
        while gil.holder() != Some(thread) {
            gil = self.turn.wait(gil).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Between two slices of work: if a waiter's drop request is due, `thread` (the holder)
    /// hands the GIL over and blocks until it is its turn again.
    pub fn check(&self, thread: usize) {
        let mut gil = self.lock();
        let now = self.clock.now();
        if gil.drop_at().is_none_or(|at| at > now) {
            return;
        }
        if let Some((_, new)) = gil.force_switch(now, self.interval) {
            self.passed(Some(new), true);
            self.turn.notify_all();
            self.wait_for_turn(gil, thread);
        }
    }

    /// `thread` is done cooking: the GIL goes to the first waiter, if any.
    pub fn release(&self, thread: usize) {
        let mut gil = self.lock();
        if gil.holder() != Some(thread) {
            return;
        }
        let next = gil.release(self.clock.now(), self.interval);
        self.passed(next, false);
        self.turn.notify_all();
    }
}
