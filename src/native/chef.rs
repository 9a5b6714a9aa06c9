//! A chef: the real OS thread of one interpreted thread, which cooks and sleeps for it.
//!
//! The driver decides what each interpreted thread does; the work that takes time runs on
//! that thread's own chef, so threads really run side by side (and, with an
//! [`EmulatedGil`], really take turns). A chef waits for [`Job`]s and reports each when done.
//! The CPU work is [`sum_of_squares`], cut into slices between which a chef holding the GIL
//! checks whether it must pass it on, as CPython's eval loop checks its drop request.

use std::sync::mpsc::{self, Sender};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use super::gil::EmulatedGil;
use super::sink::Sink;
use crate::core::clock::Nanos;
use crate::core::workload::{sum_of_squares, sum_of_squares_between};
use crate::live::Report;

/// Loop turns between two GIL checks: some tens of microseconds of work.
const SLICE_TURNS: u64 = 20_000;
/// A chef's stack: it only loops and sleeps.
const STACK_BYTES: usize = 256 << 10;

pub enum Job {
    Compute(u64),
    Sleep(Nanos),
}

/// The way to a chef; dropping it lets the chef's thread end.
pub struct ChefHandle {
    jobs: Sender<Job>,
}

impl ChefHandle {
    /// Hands `job` over; false if the chef is gone.
    pub fn give(&self, job: Job) -> bool {
        self.jobs.send(job).is_ok()
    }
}

/// Starts the chef of interpreted thread `thread`. `announce`: it reports
/// [`Report::ThreadStarted`] first thing (a thread the program started; the main threads'
/// chefs are there from the start).
pub fn spawn(
    thread: usize,
    gil: Option<Arc<EmulatedGil>>,
    sink: Arc<dyn Sink>,
    announce: bool,
) -> std::io::Result<ChefHandle> {
    let (jobs, inbox) = mpsc::channel();
    thread::Builder::new()
        .name(format!("chef {thread}"))
        .stack_size(STACK_BYTES)
        .spawn(move || {
            if announce {
                sink.send(Report::ThreadStarted { thread });
            }
            for job in inbox {
                match job {
                    Job::Compute(turns) => {
                        cook(thread, turns, gil.as_deref());
                        sink.send(Report::Computed { thread });
                    }
                    Job::Sleep(ns) => {
                        thread::sleep(Duration::from_nanos(ns));
                        sink.send(Report::Slept { thread });
                    }
                }
            }
        })?;
    Ok(ChefHandle { jobs })
}

/// `sum(i * i for i in range(turns))`, for real; under `gil`, holding it.
fn cook(thread: usize, turns: u64, gil: Option<&EmulatedGil>) {
    let Some(gil) = gil else {
        std::hint::black_box(sum_of_squares(turns));
        return;
    };
    gil.take(thread);
    let mut done = 0;
    while done < turns {
        let to = done.saturating_add(SLICE_TURNS).min(turns);
        std::hint::black_box(sum_of_squares_between(done, to));
        done = to;
        if done < turns {
            gil.check(thread);
        }
    }
    gil.release(thread);
}
