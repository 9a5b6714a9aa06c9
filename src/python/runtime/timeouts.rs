//! Waits with a timeout: a thread blocked in `lock.acquire(timeout=1)`, `t.join(2)`,
//! `q.get(timeout=0.5)` or `f.result(timeout=3)` goes on when it is woken or when its time
//! is up, whichever comes first. The native that blocks sets a [`Deadline`]: when it is
//! reached (the simulator asks the thread again then, see `Action::Block::until`), the
//! thread leaves the waiters it had joined and its call returns the timeout's result
//! (`False`, `None`) or raises (`queue.Empty`, `TimeoutError`).

use super::state::{Deadline, Runtime, Timed};
use crate::core::clock::{from_secs, Nanos};
use crate::python::futures::Waker;
use crate::python::sync::{Channel, Lock, ThreadId};
use crate::python::value::{Exception, Value};

impl Runtime {
    /// Thread `tid` is about to block for at most `secs` (from its own now): when the time
    /// is up, it leaves `leaves` and its call gives `result`.
    pub fn block_for(
        &mut self,
        tid: ThreadId,
        secs: f64,
        result: Result<Value, Exception>,
        leaves: Timed,
    ) {
        let at = self
            .now
            .saturating_add(self.threads[tid].cost)
            .saturating_add(from_secs(secs.max(0.0)));
        self.threads[tid].deadline = Some(Deadline { at, result, leaves });
    }

    /// When thread `tid`'s wait times out, if it has a timeout.
    pub(super) fn deadline_of(&self, tid: ThreadId) -> Option<Nanos> {
        self.threads[tid].deadline.as_ref().map(|d| d.at)
    }

    /// If thread `tid` is blocked and its time is up: it stops waiting, with the timeout's
    /// result. True when it timed out.
    pub(super) fn time_out(&mut self, tid: ThreadId) -> bool {
        let t = &mut self.threads[tid];
        let due = t.blocked.is_some() && t.deadline.as_ref().is_some_and(|d| d.at <= self.now);
        if !due {
            return false;
        }
        let Some(d) = t.deadline.take() else {
            return false;
        };
        t.blocked = None;
        t.waiting = None;
        t.resume = Some(d.result);
        leave(tid, d.leaves);
        true
    }
}

fn leave(tid: ThreadId, leaves: Timed) {
    match leaves {
        Timed::Lock(v) => {
            if let Some(l) = v.downcast::<Lock>() {
                l.waiters.borrow_mut().retain(|&w| w != tid);
            }
        }
        Timed::Join(h) => h.joiners.borrow_mut().retain(|&w| w != tid),
        Timed::Queue(v) => {
            if let Some(c) = v.downcast::<Channel>() {
                c.getters.borrow_mut().retain(|&w| w != tid);
            }
        }
        Timed::Futures(fs) => {
            for f in fs {
                f.waiters
                    .borrow_mut()
                    .retain(|w| !matches!(w, Waker::Thread(t) | Waker::ThreadNone(t) if *t == tid));
            }
        }
    }
}
