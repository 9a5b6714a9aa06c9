//! A process's end, as CPython's. When a process's main thread is done, the process does
//! not stop at once: `threading._shutdown` runs the functions registered with
//! `threading._register_atexit` (the executors stop their workers) and joins every thread
//! that is not a daemon; `multiprocessing`'s exit function terminates the daemonic child
//! processes and joins the others (a child process does that first, then the threads).
//! That work is the prelude's `_shutdown`, run by the main thread only when there is some
//! (so a program that joined everything costs nothing more). Whatever still runs then, the
//! daemon threads, ends with the process: the runtime marks them done and lists them for the
//! simulator to stop wherever they are ([`Runtime::take_killed`]). `Process.terminate()`
//! ends a process's threads the same way.

use super::state::Runtime;
use crate::python::sync::{Handle, Life, ThreadId};
use crate::python::value::Value;
use std::rc::Rc;

/// The exit code of a process ended by `terminate()` (SIGTERM).
const TERMINATED: i64 = -15;

impl Runtime {
    /// Whether thread `tid` is its process's main thread.
    pub(super) fn is_process_main(&self, tid: ThreadId) -> bool {
        tid == 0 || self.threads[tid].handle.is_process
    }

    /// Thread `tid` finished its target. When it is a process's main thread with shutdown
    /// work to do, its next call is the prelude's `_shutdown` and it is not done yet: true.
    pub(super) fn begin_shutdown(&mut self, tid: ThreadId) -> bool {
        if self.threads[tid].exiting || !self.is_process_main(tid) {
            return false;
        }
        self.threads[tid].exiting = true;
        if !self.has_shutdown_work(tid) {
            return false;
        }
        let shutdown = self.prelude_fn("_shutdown");
        let first_threads = Value::Bool(tid == 0);
        let t = &mut self.threads[tid];
        t.frames.clear();
        t.start = Some((shutdown, vec![first_threads], Vec::new()));
        true
    }

    fn has_shutdown_work(&self, tid: ThreadId) -> bool {
        let p = self.threads[tid].process;
        !self.processes[p].at_exit.is_empty()
            || !self.threads_to_join(tid).is_empty()
            || !self.child_processes(tid).is_empty()
    }

    /// The started threads of `tid`'s process, other than `tid`, that are not daemons and
    /// not done: what `threading._shutdown` joins.
    pub fn threads_to_join(&self, tid: ThreadId) -> Vec<Rc<Handle>> {
        let p = self.threads[tid].process;
        self.threads
            .iter()
            .enumerate()
            .filter(|&(i, t)| i != tid && t.process == p && !t.done)
            .filter(|(_, t)| !t.handle.daemon.get() && !t.handle.is_process)
            .map(|(_, t)| t.handle.clone())
            .collect()
    }

    /// The threads of `tid`'s process that are alive, in the order they were made
    /// (`threading.enumerate()`).
    pub fn alive_threads(&self, tid: ThreadId) -> Vec<Rc<Handle>> {
        let p = self.threads[tid].process;
        self.threads
            .iter()
            .filter(|t| t.process == p && !t.done)
            .map(|t| t.handle.clone())
            .collect()
    }

    /// The child processes of `tid`'s process still running (`active_children()`).
    pub fn child_processes(&self, tid: ThreadId) -> Vec<Rc<Handle>> {
        let p = Some(self.threads[tid].process);
        self.threads
            .iter()
            .filter(|t| t.handle.is_process && !t.done)
            .filter(|t| self.processes[t.process].parent == p)
            .map(|t| t.handle.clone())
            .collect()
    }

    /// `threading._register_atexit(fn)` in thread `tid`'s process.
    pub fn register_at_exit(&mut self, tid: ThreadId, f: Value) {
        let p = self.threads[tid].process;
        self.processes[p].at_exit.push(f);
    }

    /// The registered exit functions of `tid`'s process, last registered first, taken out.
    pub fn take_at_exit(&mut self, tid: ThreadId) -> Vec<Value> {
        let p = self.threads[tid].process;
        let mut fs = std::mem::take(&mut self.processes[p].at_exit);
        fs.reverse();
        fs
    }

    /// Thread `tid`, its process's main thread, is gone: the threads its process still has
    /// (daemons) end with it.
    pub(super) fn end_process(&mut self, tid: ThreadId) {
        if !self.is_process_main(tid) {
            return;
        }
        let p = self.threads[tid].process;
        let rest: Vec<ThreadId> = (0..self.threads.len())
            .filter(|&i| i != tid && self.threads[i].process == p && !self.threads[i].done)
            .collect();
        for t in rest {
            self.kill(t);
        }
    }

    /// `Process.terminate()` of the process whose main thread is `tid`: every thread of it
    /// ends now, the exit code is -15 (SIGTERM), its joiners go on.
    pub fn terminate_process(&mut self, tid: ThreadId) {
        let p = self.threads[tid].process;
        let all: Vec<ThreadId> = (0..self.threads.len())
            .filter(|&i| self.threads[i].process == p && !self.threads[i].done)
            .collect();
        if all.is_empty() {
            return;
        }
        self.threads[tid].handle.exitcode.set(Some(TERMINATED));
        for t in all {
            self.kill(t);
        }
    }

    /// Thread `t` ends where it is, as a thread does when its process is gone.
    fn kill(&mut self, t: ThreadId) {
        let th = &mut self.threads[t];
        th.done = true;
        th.frames.clear();
        th.pending.clear();
        th.blocked = None;
        th.waiting = None;
        th.deadline = None;
        th.resume = None;
        th.start = None;
        th.event_loop = None;
        th.cost = 0;
        self.killed.push(t);
        self.ended(t);
        let h = &self.threads[t].handle;
        if h.exitcode.get().is_none() {
            h.exitcode.set(Some(TERMINATED));
        }
        h.life.set(Life::Done);
    }

    /// The threads that ended abruptly since the last call, for the simulator to stop.
    pub fn take_killed(&mut self) -> Vec<ThreadId> {
        std::mem::take(&mut self.killed)
    }
}
