//! Where a chef's reports go, each stamped with the run's time as it is sent.
//!
//! In the kitchen's own process a report goes straight into the executor's channel
//! ([`LocalSink`]); in a child process it is written as a line of JSON to the child's standard
//! output ([`PipeSink`]), which a reader thread in the parent turns back into a channel
//! message. Either way the executor receives [`Incoming`] messages in one channel.

use std::io::Write;
use std::sync::mpsc::Sender;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::clock::Clock;
use crate::core::clock::Nanos;
use crate::live::Report;

/// A report and the run time it happened at: one line on a child's standard output.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamped {
    pub at: Nanos,
    pub what: Report,
}

/// What the executor's channel carries.
#[derive(Debug)]
pub enum Incoming {
    Report(Stamped),
    /// Child process `process` closed its output: it is exiting.
    ChildClosed {
        process: usize,
    },
    /// Something went wrong where it cannot be returned as an error (a reader thread).
    Failed(String),
}

pub trait Sink: Send + Sync {
    /// Stamps `report` with the time now and sends it on.
    fn send(&self, report: Report);
}

pub struct LocalSink {
    tx: Sender<Incoming>,
    clock: Clock,
}

impl LocalSink {
    pub fn new(tx: Sender<Incoming>, clock: Clock) -> LocalSink {
        LocalSink { tx, clock }
    }
}

impl Sink for LocalSink {
    fn send(&self, report: Report) {
        let at = self.clock.now();
        // The executor has stopped listening only when the run is over or failed.
        let _ = self.tx.send(Incoming::Report(Stamped { at, what: report }));
    }
}

/// Reports as JSON lines on this process's standard output (in a `kitchen work` child).
pub struct PipeSink {
    out: Mutex<std::io::Stdout>,
    clock: Clock,
}

impl PipeSink {
    pub fn new(clock: Clock) -> PipeSink {
        PipeSink {
            out: Mutex::new(std::io::stdout()),
            clock,
        }
    }
}

impl Sink for PipeSink {
    fn send(&self, report: Report) {
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        let at = self.clock.now();
        let line = serde_json::to_string(&Stamped { at, what: report }).unwrap_or_default();
        // A parent that stopped reading has ended the run: the child ends with its input.
        let _ = writeln!(out, "{line}").and_then(|()| out.flush());
    }
}
