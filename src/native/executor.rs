//! The native executor: carries out the live driver's commands with this machine's threads
//! and processes, and feeds the driver what happened, stamped with the real time.
//!
//! - A thread of process 0 (the kitchen itself) gets a chef: an OS thread of this process.
//! - A process is a child (`kitchen work`, [`Child`]) whose threads get chefs there.
//! - An event loop's timers are the driver's deadlines: the executor waits for reports no
//!   longer than until the next one is due.
//! - Memory: every [`SAMPLE_EVERY`] the resident set of some of the live processes (all of
//!   them when they are few, [`SAMPLES_PER_ROUND`] in turn when there are many), and of each
//!   process right after it booted and right before it is ended.

use std::collections::HashMap;
use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::Duration;

use super::chef::{self, ChefHandle, Job};
use super::child::{Child, WorkArgs};
use super::clock::Clock;
use super::gil::EmulatedGil;
use super::memory::resident_bytes;
use super::sink::{Incoming, LocalSink, Sink};
use crate::core::clock::Nanos;
use crate::core::interpreter::Interpreter;
use crate::live::{Command, Driver, Report};

const SAMPLE_EVERY: Duration = Duration::from_millis(10);
const SAMPLES_PER_ROUND: usize = 16;

/// How the executor cooks.
#[derive(Clone, Debug)]
pub struct Setup<'a> {
    /// This binary, run again as `kitchen work` for each process.
    pub exe: &'a Path,
    /// The GIL's switch interval, if the threads of a process take turns on one.
    pub gil_interval: Option<Nanos>,
    /// Real time after which the run is stopped.
    pub time_limit: Nanos,
}

/// Why a run stopped.
#[derive(Debug)]
pub enum RunError {
    Live(crate::live::LiveError),
    Os(String),
}

impl From<crate::live::LiveError> for RunError {
    fn from(e: crate::live::LiveError) -> RunError {
        RunError::Live(e)
    }
}

struct Executor<'a> {
    setup: Setup<'a>,
    clock: Clock,
    run_epoch_ns: u128,
    sink: Arc<dyn Sink>,
    tx: mpsc::Sender<Incoming>,
    gil: Option<Arc<EmulatedGil>>,
    /// The chefs of process 0's threads.
    chefs: HashMap<usize, ChefHandle>,
    children: HashMap<usize, Child>,
    /// Where the next memory round starts among the live processes.
    sample_from: usize,
}

/// Runs `driver` to the end on this machine; returns the run time it ended at.
pub fn run<I: Interpreter>(driver: &mut Driver<I>, setup: Setup<'_>) -> Result<Nanos, RunError> {
    let (clock, run_epoch_ns) = Clock::start();
    let (tx, rx) = mpsc::channel();
    let sink: Arc<dyn Sink> = Arc::new(LocalSink::new(tx.clone(), clock));
    let gil = setup
        .gil_interval
        .map(|ns| Arc::new(EmulatedGil::new(0, ns, sink.clone(), clock)));
    let mut ex = Executor {
        setup,
        clock,
        run_epoch_ns,
        sink,
        tx,
        gil,
        chefs: HashMap::new(),
        children: HashMap::new(),
        sample_from: 0,
    };
    ex.add_chef(0, false)?;
    let mut commands = driver.start(clock.now())?;
    ex.sample(driver, 0, &mut commands)?;
    let mut next_sample = clock.now() + SAMPLE_EVERY.as_nanos() as Nanos;
    loop {
        for command in std::mem::take(&mut commands) {
            ex.carry_out(command, driver, &mut commands)?;
        }
        if !commands.is_empty() {
            continue;
        }
        if driver.is_done() {
            return Ok(clock.now());
        }
        let now = clock.now();
        if now > ex.setup.time_limit {
            return Err(RunError::Os(format!(
                "stopped after {:.1} s of real time (the time limit)",
                now as f64 / 1e9
            )));
        }
        let until = driver
            .next_deadline()
            .unwrap_or(Nanos::MAX)
            .min(next_sample);
        ex.receive(&rx, until, driver, &mut commands)?;
        let now = clock.now();
        if driver.next_deadline().is_some_and(|t| t <= now) {
            commands.extend(driver.completed(Report::Timer, now)?);
        }
        if now >= next_sample {
            ex.sample_round(driver, &mut commands)?;
            next_sample = now + SAMPLE_EVERY.as_nanos() as Nanos;
        }
    }
}

impl Executor<'_> {
    fn add_chef(&mut self, thread: usize, announce: bool) -> Result<(), RunError> {
        let chef = chef::spawn(thread, self.gil.clone(), self.sink.clone(), announce)
            .map_err(|e| RunError::Os(format!("could not start a thread: {e}")))?;
        self.chefs.insert(thread, chef);
        Ok(())
    }

    fn give(&self, thread: usize, job: Job) -> Result<(), RunError> {
        match self.chefs.get(&thread) {
            Some(chef) if chef.give(job) => Ok(()),
            _ => Err(RunError::Os(format!("thread {thread} has no chef"))),
        }
    }

    fn child(&mut self, process: usize) -> Result<&mut Child, RunError> {
        self.children
            .get_mut(&process)
            .ok_or_else(|| RunError::Os(format!("process {process} is not running")))
    }

    /// Does `command`; reports that come of it at once go to the driver, their commands
    /// into `more`.
    fn carry_out<I: Interpreter>(
        &mut self,
        command: Command,
        driver: &mut Driver<I>,
        more: &mut Vec<Command>,
    ) -> Result<(), RunError> {
        match &command {
            Command::StartProcess {
                process, thread, ..
            } => {
                let args = WorkArgs {
                    process: *process,
                    main: *thread,
                    run_epoch_ns: self.run_epoch_ns,
                    gil_interval: self.setup.gil_interval,
                };
                let child =
                    Child::spawn(self.setup.exe, &args, self.tx.clone()).map_err(RunError::Os)?;
                self.children.insert(*process, child);
                let report = Report::ProcessSpawned { process: *process };
                more.extend(driver.completed(report, self.clock.now())?);
            }
            Command::EndProcess { process } => {
                self.sample(driver, *process, more)?;
                self.child(*process)?.end();
            }
            Command::StartThread {
                thread, process: 0, ..
            } => self.add_chef(*thread, true)?,
            Command::Compute {
                thread,
                process: 0,
                turns,
            } => self.give(*thread, Job::Compute(*turns))?,
            Command::Sleep {
                thread,
                process: 0,
                ns,
            } => self.give(*thread, Job::Sleep(*ns))?,
            Command::EndThread { thread, process: 0 } => {
                self.chefs.remove(thread);
            }
            Command::StartThread { process, .. }
            | Command::Compute { process, .. }
            | Command::Sleep { process, .. }
            | Command::EndThread { process, .. } => {
                self.child(*process)?.send(&command).map_err(RunError::Os)?
            }
        }
        Ok(())
    }

    /// Waits for a report until run time `until` at the latest, and hands what came to the
    /// driver.
    fn receive<I: Interpreter>(
        &mut self,
        rx: &Receiver<Incoming>,
        until: Nanos,
        driver: &mut Driver<I>,
        more: &mut Vec<Command>,
    ) -> Result<(), RunError> {
        let wait = Duration::from_nanos(until.saturating_sub(self.clock.now()));
        let incoming = match rx.recv_timeout(wait) {
            Ok(incoming) => incoming,
            Err(RecvTimeoutError::Timeout) => return Ok(()),
            Err(RecvTimeoutError::Disconnected) => {
                return Err(RunError::Os("every chef is gone".into()))
            }
        };
        match incoming {
            Incoming::Report(stamped) => {
                let booted = match stamped.what {
                    Report::ProcessStarted { process } => Some(process),
                    _ => None,
                };
                more.extend(driver.completed(stamped.what, stamped.at)?);
                if let Some(process) = booted {
                    self.sample(driver, process, more)?;
                }
            }
            Incoming::ChildClosed { process } => {
                if let Some(mut child) = self.children.remove(&process) {
                    child.reap().map_err(RunError::Os)?;
                }
                let report = Report::ProcessExited { process };
                more.extend(driver.completed(report, self.clock.now())?);
            }
            Incoming::Failed(why) => return Err(RunError::Os(why)),
        }
        Ok(())
    }

    /// Reports the resident set of `process` (0: this process) if the OS tells it.
    fn sample<I: Interpreter>(
        &mut self,
        driver: &mut Driver<I>,
        process: usize,
        more: &mut Vec<Command>,
    ) -> Result<(), RunError> {
        let pid = match process {
            0 => Some(std::process::id()),
            p => self.children.get(&p).map(Child::pid),
        };
        if let Some(bytes) = pid.and_then(resident_bytes) {
            let report = Report::Memory { process, bytes };
            more.extend(driver.completed(report, self.clock.now())?);
        }
        Ok(())
    }

    /// One round of memory samples: this process and some of the children, in turn.
    fn sample_round<I: Interpreter>(
        &mut self,
        driver: &mut Driver<I>,
        more: &mut Vec<Command>,
    ) -> Result<(), RunError> {
        self.sample(driver, 0, more)?;
        let mut live: Vec<usize> = self.children.keys().copied().collect();
        live.sort_unstable();
        if live.is_empty() {
            return Ok(());
        }
        let count = live.len().min(SAMPLES_PER_ROUND);
        let from = self.sample_from % live.len();
        for i in 0..count {
            let process = live[(from + i) % live.len()];
            self.sample(driver, process, more)?;
        }
        self.sample_from = from + count;
        Ok(())
    }
}
