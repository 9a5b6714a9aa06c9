//! `concurrent.futures.ThreadPoolExecutor`, as asyncio's default executor uses it for
//! `asyncio.to_thread`.
//!
//! CPython's rules (`concurrent/futures/thread.py`, `_adjust_thread_count`): a submitted job
//! goes on a queue; if a worker is idle (the "idle semaphore") no thread is started, otherwise a
//! new worker is started while there are fewer than `max_workers`, which for asyncio's default
//! executor is `min(32, os.cpu_count() + 4)`. Workers take jobs first come, first served.
//! The workers are ordinary threads: they need the GIL for every bit of Python they run.

use std::collections::VecDeque;

use super::program::Step;

/// Where a finished job's result goes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Reply {
    /// Resume `task` of event loop `event_loop` (`loop.call_soon_threadsafe`).
    Task { event_loop: usize, task: usize },
}

#[derive(Clone, Debug)]
pub struct Job {
    pub label: String,
    pub body: Vec<Step>,
    pub reply: Reply,
}

/// What the submitter has to do after a submit.
#[derive(Debug, Default, PartialEq)]
pub struct AfterSubmit {
    /// A worker blocked on the empty queue that now wakes up.
    pub wake: Option<usize>,
    /// Name of a new worker thread the submitter must start.
    pub start: Option<String>,
}

#[derive(Debug)]
pub struct ThreadPool {
    max_workers: usize,
    started: usize,
    /// Workers that finished a job and have not been handed a new one (the idle semaphore).
    idle: usize,
    queue: VecDeque<Job>,
    waiting: VecDeque<usize>,
    shut_down: bool,
    name_prefix: String,
}

impl ThreadPool {
    /// asyncio's default executor for a machine with `cores` cores.
    pub fn asyncio_default(cores: u32) -> ThreadPool {
        ThreadPool::new((cores as usize + 4).min(32), "asyncio")
    }

    pub fn new(max_workers: usize, name_prefix: &str) -> ThreadPool {
        ThreadPool {
            max_workers: max_workers.max(1),
            started: 0,
            idle: 0,
            queue: VecDeque::new(),
            waiting: VecDeque::new(),
            shut_down: false,
            name_prefix: name_prefix.to_string(),
        }
    }

    pub fn max_workers(&self) -> usize {
        self.max_workers
    }

    pub fn submit(&mut self, job: Job) -> AfterSubmit {
        self.queue.push_back(job);
        let wake = self.waiting.pop_front();
        let start = if self.idle > 0 {
            self.idle -= 1;
            None
        } else if self.started < self.max_workers {
            let name = format!("{}_{}", self.name_prefix, self.started);
            self.started += 1;
            Some(name)
        } else {
            None
        };
        AfterSubmit { wake, start }
    }

    /// The next job for a worker, if any is queued.
    pub fn take(&mut self) -> Option<Job> {
        self.queue.pop_front()
    }

    /// A worker finished a job.
    pub fn job_done(&mut self) {
        self.idle += 1;
    }

    /// A worker found the queue empty and blocks until a submit wakes it.
    pub fn wait(&mut self, worker: usize) {
        self.waiting.push_back(worker);
    }

    /// `executor.shutdown()`: waiting workers are woken to exit; returns them.
    pub fn shut_down(&mut self) -> Vec<usize> {
        self.shut_down = true;
        self.waiting.drain(..).collect()
    }

    pub fn is_shut_down(&self) -> bool {
        self.shut_down
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job() -> Job {
        Job {
            label: String::new(),
            body: Vec::new(),
            reply: Reply::Task {
                event_loop: 0,
                task: 0,
            },
        }
    }

    #[test]
    fn default_size_follows_cpython() {
        assert_eq!(ThreadPool::asyncio_default(2).max_workers(), 6);
        assert_eq!(ThreadPool::asyncio_default(64).max_workers(), 32);
    }

    #[test]
    fn starts_workers_until_one_is_idle_then_reuses_it() {
        let mut pool = ThreadPool::new(2, "asyncio");
        assert_eq!(pool.submit(job()).start.as_deref(), Some("asyncio_0"));
        assert_eq!(pool.submit(job()).start.as_deref(), Some("asyncio_1"));
        // Both busy and the pool is full: the third job just queues.
        assert_eq!(pool.submit(job()), AfterSubmit::default());
        pool.take();
        pool.job_done();
        pool.wait(7);
        // An idle worker: the job wakes it and no thread is started.
        assert_eq!(
            pool.submit(job()),
            AfterSubmit {
                wake: Some(7),
                start: None
            }
        );
    }
}
