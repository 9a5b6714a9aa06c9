//! The page's requests of the engine and the engine's replies: plain data, sent as JSON text
//! between the page and the engine worker (`www/engine-worker.js` passes the text through
//! unchanged, with a request number of its own to pair replies with requests).

use serde::{Deserialize, Serialize};

use crate::compare::{Cooked, Kitchen, Workload};
use crate::core::trace::Trace;
use crate::python::PyError;
use crate::scenarios::Scenario;

/// The largest trace file the page reads. Smaller than the converters' own limit
/// ([`crate::trace_io::MAX_INPUT_BYTES`] natively): the page must also parse what the engine
/// sends back, on its own thread, and a trace this big already takes a while to draw.
pub const MAX_OPEN_BYTES: usize = 32 << 20;

/// Something the page asks of the engine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
// Externally tagged (`{"simulate": {...}}`): an internally tagged enum makes serde buffer the
// whole message (a trace, a 30 MB file) before reading it, and doubles the reading code.
#[serde(rename_all = "snake_case")]
pub enum Request {
    /// The built-in scenario `scenario` on a simulated machine with `cores` cores.
    Simulate { scenario: String, cores: u32 },
    /// A program from the code panel or the URL on a simulated machine with `cores` cores.
    Run { source: String, cores: u32 },
    /// A file the reader opened (by picker or drop), untrusted: a kitchen trace (simulated,
    /// measured natively or in a browser, observed from CPython) or a VizTracer file.
    Open { name: String, text: String },
    /// The shown trace as Chrome's Trace Event JSON, for Perfetto and chrome://tracing.
    Export { trace: Box<Trace> },
    /// The comparison: `kitchen` cooking `workload`, its figures and its trace thinned to
    /// about `resolution` stretches across the run (`view=compare`'s table and timelines).
    Cook {
        kitchen: Kitchen,
        workload: Workload,
        resolution: u32,
    },
    /// The comparison's chart: `kitchen`'s total time for `workload`, in seconds.
    Total {
        kitchen: Kitchen,
        workload: Workload,
    },
}

/// What the engine answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    /// The run, or the file read, as a trace to replay.
    Trace { trace: Box<Trace> },
    /// The program cannot run: where and why.
    Failed { error: PyError },
    /// The request could not be answered (an unknown scenario, a file that is not a trace).
    Refused { why: String },
    /// Text the page saves as a file (an export).
    Text { text: String },
    /// A live run's measured trace and its figures beside the prediction.
    Live { result: Box<LiveResult> },
    /// A kitchen of the comparison, cooked.
    Cooked { cooked: Box<Cooked> },
    /// A total time, in seconds.
    Seconds { seconds: f64 },
}

impl Reply {
    /// Reads a reply. Coming from our own worker it should always read; if it does not, the
    /// reason is the page's message.
    pub fn from_json(text: &str) -> Reply {
        serde_json::from_str(text).unwrap_or_else(|e| Reply::Refused {
            why: format!("the engine's answer could not be read: {e}"),
        })
    }

    pub fn to_json(&self) -> String {
        // Plain data: serializing cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl Request {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

// ----- the live kitchen ------------------------------------------------------------------

/// Whether `scenario` has CPU work to cook for real in the live kitchen: its program scales
/// a CPU step (`CPU_N`).
pub fn live_cookable(scenario: &Scenario) -> bool {
    scenario.code.lines().any(|l| l.starts_with("CPU_N = "))
}

/// What the page asks the live kitchen for (posted as `{id, live}`: not an [`Request`], since
/// a live run is not one answer but Web Workers cooking on a real clock).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LiveRequest {
    /// A built-in scenario with CPU work ([`live_cookable`]).
    pub scenario: String,
    /// The threads of each process take turns on a GIL (CPython); false: they cook at once.
    pub gil: bool,
}

/// A finished live run: the measured trace (`source: browser`) and the figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LiveResult {
    pub measured: Trace,
    pub figures: Figures,
}

/// What the run was, for the figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Setting {
    /// The run's CPU steps one after another, at the measured speed, in seconds.
    pub serial_s: f64,
    /// The measured time of one turn of the step, in nanoseconds.
    pub turn_ns: f64,
    /// Turns of one CPU step of the scaled program.
    pub step_turns: u64,
    /// Web Workers hired.
    pub workers: u32,
    pub hardware_concurrency: u32,
    /// The GIL (if any) was handed over through a `SharedArrayBuffer`.
    pub shared_memory: bool,
    /// The threads of a process took turns on a GIL.
    pub gil: bool,
    /// A worker's start (the processes' if any, else the warm workers'), in milliseconds.
    pub worker_start_ms: f64,
}

/// Predicted and measured, side by side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub predicted_total_s: f64,
    pub measured_total_s: f64,
    pub predicted_speedup: f64,
    pub measured_speedup: f64,
    pub setting: Setting,
}

impl Figures {
    /// The sentence `#live-result` shows.
    pub fn sentence(&self) -> String {
        let model = if self.setting.gil {
            "CPython"
        } else {
            "CPython 3.11, which has a GIL,"
        };
        format!(
            "predicted {:.2} s, {:.1}× as fast as one chef ({model} on {} cores) · measured {:.2} s, {:.1}× ({} Web Workers{})",
            self.predicted_total_s,
            self.predicted_speedup,
            self.setting.hardware_concurrency,
            self.measured_total_s,
            self.measured_speedup,
            self.setting.workers,
            if self.setting.gil { ", one GIL per process" } else { ", no GIL" },
        )
    }
}
