//! Child processes: each process the program starts is a real process, this binary re-run as
//! `kitchen work`, which cooks for its threads.
//!
//! The parent ([`Child::spawn`]) writes the driver's [`Command`]s for that process to the
//! child's standard input, one JSON line each; the child ([`work`]) runs a chef per thread
//! (and its own emulated GIL with `--gil`: each process has its own, as in CPython) and
//! writes its reports to standard output, stamped on the run's clock. A reader thread in the
//! parent forwards them into the executor's channel. Closing the child's input ends it: that
//! is how a process whose main thread has ended exits, and the parent reaps it and reports
//! the exit when its output closes.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{ChildStdin, Stdio};
use std::sync::mpsc::Sender;
use std::sync::Arc;

use super::chef::{self, ChefHandle, Job};
use super::clock::Clock;
use super::gil::EmulatedGil;
use super::sink::{Incoming, PipeSink, Sink, Stamped};
use crate::core::clock::Nanos;
use crate::live::{Command, Report};

/// Longest line a child may send (a report is far shorter).
const MAX_LINE: usize = 4096;

/// How a `kitchen work` child is set up (its command-line arguments).
#[derive(Clone, Debug, PartialEq)]
pub struct WorkArgs {
    pub process: usize,
    /// The interpreted thread that is the process's main thread.
    pub main: usize,
    /// Wall-clock start of the run, in nanoseconds since 1970 ([`Clock::joined`]).
    pub run_epoch_ns: u128,
    /// The GIL's switch interval, if the threads take turns on one.
    pub gil_interval: Option<Nanos>,
}

impl WorkArgs {
    pub fn to_args(&self) -> Vec<String> {
        let mut args = vec![
            "work".to_string(),
            "--process".into(),
            self.process.to_string(),
            "--main".into(),
            self.main.to_string(),
            "--epoch-ns".into(),
            self.run_epoch_ns.to_string(),
        ];
        if let Some(ns) = self.gil_interval {
            args.extend(["--gil-interval-ns".into(), ns.to_string()]);
        }
        args
    }
}

/// The parent's side of a child process.
pub struct Child {
    process: std::process::Child,
    stdin: Option<ChildStdin>,
}

impl Child {
    /// Starts `exe work ...`; returns once the OS has started it (the parent's share of a
    /// process start). Its reports arrive in `tx`.
    pub fn spawn(exe: &Path, args: &WorkArgs, tx: Sender<Incoming>) -> Result<Child, String> {
        let mut process = std::process::Command::new(exe)
            .args(args.to_args())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("could not start {}: {e}", exe.display()))?;
        let stdin = process.stdin.take();
        let stdout = process.stdout.take().ok_or("a child without output")?;
        let number = args.process;
        std::thread::Builder::new()
            .name(format!("reader {number}"))
            .stack_size(64 << 10)
            .spawn(move || forward(BufReader::new(stdout), number, &tx))
            .map_err(|e| format!("could not start a reader thread: {e}"))?;
        Ok(Child { process, stdin })
    }

    pub fn pid(&self) -> u32 {
        self.process.id()
    }

    /// Hands `command` to the child.
    pub fn send(&mut self, command: &Command) -> Result<(), String> {
        let line = serde_json::to_string(command).unwrap_or_default();
        let stdin = self.stdin.as_mut().ok_or("the process has been ended")?;
        writeln!(stdin, "{line}")
            .and_then(|()| stdin.flush())
            .map_err(|e| format!("a child process stopped listening: {e}"))
    }

    /// Closes the child's input: it exits.
    pub fn end(&mut self) {
        self.stdin = None;
    }

    /// Waits for the child to be gone (after its output closed).
    pub fn reap(&mut self) -> Result<(), String> {
        let status = self
            .process
            .wait()
            .map_err(|e| format!("could not wait for a child process: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("a child process failed ({status})"))
        }
    }
}

impl Drop for Child {
    /// A run that stops early takes its children with it.
    fn drop(&mut self) {
        if let Ok(None) = self.process.try_wait() {
            let _ = self.process.kill();
            let _ = self.process.wait();
        }
    }
}

/// The parent's reader thread: the child's report lines into the executor's channel.
fn forward(out: impl BufRead, process: usize, tx: &Sender<Incoming>) {
    for line in out.lines() {
        let message = match line {
            Ok(line) if line.len() > MAX_LINE => {
                Incoming::Failed(format!("process {process} sent a line too long"))
            }
            Ok(line) => match serde_json::from_str::<Stamped>(&line) {
                Ok(stamped) => Incoming::Report(stamped),
                Err(e) => Incoming::Failed(format!("process {process} sent '{line}': {e}")),
            },
            Err(e) => Incoming::Failed(format!("reading process {process}: {e}")),
        };
        let failed = matches!(message, Incoming::Failed(_));
        if tx.send(message).is_err() || failed {
            return;
        }
    }
    let _ = tx.send(Incoming::ChildClosed { process });
}

/// `kitchen work`: the child's side. Reads commands until its input closes.
pub fn work(args: &WorkArgs) -> Result<(), String> {
    let clock = Clock::joined(args.run_epoch_ns);
    let sink: Arc<dyn Sink> = Arc::new(PipeSink::new(clock));
    let gil = args
        .gil_interval
        .map(|ns| Arc::new(EmulatedGil::new(args.process, ns, sink.clone(), clock)));
    let start = |thread, announce| {
        chef::spawn(thread, gil.clone(), sink.clone(), announce)
            .map_err(|e| format!("could not start a thread: {e}"))
    };
    let mut chefs: HashMap<usize, ChefHandle> = HashMap::new();
    chefs.insert(args.main, start(args.main, false)?);
    sink.send(Report::ProcessStarted {
        process: args.process,
    });
    for line in std::io::stdin().lock().lines() {
        let line = line.map_err(|e| format!("reading commands: {e}"))?;
        let command: Command =
            serde_json::from_str(&line).map_err(|e| format!("a command '{line}': {e}"))?;
        match command {
            Command::StartThread { thread, .. } => {
                chefs.insert(thread, start(thread, true)?);
            }
            Command::Compute { thread, turns, .. } => give(&chefs, thread, Job::Compute(turns))?,
            Command::Sleep { thread, ns, .. } => give(&chefs, thread, Job::Sleep(ns))?,
            Command::EndThread { thread, .. } => {
                chefs.remove(&thread);
            }
            Command::StartProcess { .. } | Command::EndProcess { .. } => {
                return Err(format!("'{line}' is for the parent"));
            }
        }
    }
    Ok(())
}

fn give(chefs: &HashMap<usize, ChefHandle>, thread: usize, job: Job) -> Result<(), String> {
    match chefs.get(&thread) {
        Some(chef) if chef.give(job) => Ok(()),
        _ => Err(format!("no thread {thread} here")),
    }
}
