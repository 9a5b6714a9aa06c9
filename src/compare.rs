//! The fair comparison: one workload cooked in each kitchen, side by side.
//!
//! The seven pasta scenarios are not one workload (in `threads` and `processes` the CPU steps
//! run during the boil, in the asyncio ones after it), so comparing their totals misleads. Here
//! one recipe, a [`Workload`] (orders, the CPU step's size, the boil, the cores), is written out
//! in each kitchen's own idiom ([`Kitchen::program`], the programs in `src/compare/`): every
//! order boils, then does two CPU steps (chop and sauce). Each program is simulated on the same
//! machine, and the [`Table`] says what each kitchen made of it: total time, speedup over one
//! chef (the blocking asyncio kitchen), the CPU busy share, peak memory, and what starting and
//! ending the chefs cost. [`series`] re-runs the workload over a range of orders, cores or CPU
//! step sizes for a chart, and [`crossovers`] finds where one kitchen overtakes another.
//!
//! Everything in this file is pure and needs no interpreter: turning runs into rows
//! ([`Table::of`], [`Table::of_figures`]), the chart's axes and [`crossovers`], so the page
//! can use it on what the engine worker sends. Running the programs is [`cook`]'s, the
//! engine's side ([`compare`], [`series`], and [`cook::cook_for_page`], a kitchen's figures
//! with its trace thinned for drawing).
//!
//! A fifth kitchen is a what-if: the threads program on a simulated machine without a GIL
//! ([`Profile::free_threaded`], CPython's free-threaded build). It is a model, not a
//! measurement: no free-threaded CPython was available to check it against, and it keeps the
//! GIL build's costs (the real build's single-thread speed differs).

use serde::{Deserialize, Serialize};

use crate::core::profile::Profile;
use crate::core::summary::Summary;
use crate::core::trace::{State, Trace};
use crate::python::PyError;

/// The engine's side: runs the programs (needs the interpreter).
#[cfg(feature = "engine")]
pub mod cook;
#[cfg(feature = "engine")]
pub use cook::{compare, cook, series};

/// The recipe every kitchen cooks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Workload {
    pub orders: u32,
    /// Loop turns of one CPU step, `sum(i * i for i in range(cpu_n))`.
    pub cpu_n: u64,
    pub boil_s: f64,
    pub cores: u32,
}

impl Default for Workload {
    fn default() -> Workload {
        Workload {
            orders: 3,
            cpu_n: 10_000_000,
            boil_s: 30.0,
            cores: 4,
        }
    }
}

pub const MAX_ORDERS: i64 = 1000;
pub const MAX_CORES: i64 = 64;
/// A step of 10**9 turns is about 40 s of CPU; more would only make runs longer.
pub const MAX_CPU_N: i64 = 1_000_000_000;
pub const MAX_BOIL_S: f64 = 3600.0;

/// A workload as asked for (a URL, the command line): any numbers, checked by [`Asked::clamped`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Asked {
    pub orders: Option<i64>,
    pub cpu_n: Option<i64>,
    pub boil_s: Option<f64>,
    pub cores: Option<i64>,
}

impl Asked {
    /// The workload with every value in its range, and a note for each one that was not.
    pub fn clamped(&self) -> (Workload, Vec<String>) {
        let d = Workload::default();
        let mut notes = Vec::new();
        let mut int = |name: &str, given: Option<i64>, lo: i64, hi: i64, default: i64| {
            let v = given.unwrap_or(default);
            let used = v.clamp(lo, hi);
            if used != v {
                notes.push(format!(
                    "{name} = {v} is out of range ({lo} to {hi}); using {used}"
                ));
            }
            used
        };
        let orders = int("orders", self.orders, 1, MAX_ORDERS, d.orders as i64) as u32;
        let cores = int("cores", self.cores, 1, MAX_CORES, d.cores as i64) as u32;
        let cpu_n = int("cpu-n", self.cpu_n, 0, MAX_CPU_N, d.cpu_n as i64) as u64;
        let boil = self.boil_s.unwrap_or(d.boil_s);
        let boil_s = if boil.is_nan() {
            0.0
        } else {
            boil.clamp(0.0, MAX_BOIL_S)
        };
        if boil_s != boil {
            notes.push(format!(
                "boil = {boil} is out of range (0 to {MAX_BOIL_S} s); using {boil_s}"
            ));
        }
        let w = Workload {
            orders,
            cpu_n,
            boil_s,
            cores,
        };
        (w, notes)
    }
}

/// The kitchens of the comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kitchen {
    AsyncioBlocking,
    AsyncioToThread,
    Threads,
    Processes,
    /// The threads program on a machine without a GIL: a model, see the module doc.
    ThreadsWithoutGil,
}

pub const KITCHENS: [Kitchen; 4] = [
    Kitchen::AsyncioBlocking,
    Kitchen::AsyncioToThread,
    Kitchen::Threads,
    Kitchen::Processes,
];

impl Kitchen {
    /// The scenario id of the kitchen (the what-if has an id of its own).
    pub fn id(self) -> &'static str {
        match self {
            Kitchen::AsyncioBlocking => "asyncio-blocking",
            Kitchen::AsyncioToThread => "asyncio-to-thread",
            Kitchen::Threads => "threads",
            Kitchen::Processes => "processes",
            Kitchen::ThreadsWithoutGil => "threads-without-gil",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Kitchen::AsyncioBlocking => "asyncio, blocking steps (one chef)",
            Kitchen::AsyncioToThread => "asyncio with to_thread",
            Kitchen::Threads => "a thread per order",
            Kitchen::Processes => "a process per order",
            Kitchen::ThreadsWithoutGil => {
                "threads without a GIL (free-threaded build, what-if: a model, not checked \
                 against a real free-threaded CPython)"
            }
        }
    }

    /// Whether the row is a model of a machine this project could not measure.
    pub fn what_if(self) -> bool {
        self == Kitchen::ThreadsWithoutGil
    }

    /// The machine this kitchen runs on for `w`.
    pub fn profile(self, w: &Workload, base: &Profile) -> Profile {
        Profile {
            cores: w.cores,
            free_threaded: self == Kitchen::ThreadsWithoutGil,
            ..base.clone()
        }
    }
}

/// One kitchen's result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// The scenario id (`asyncio-blocking`, ...).
    pub kitchen: &'static str,
    pub title: &'static str,
    pub what_if: bool,
    pub makespan_s: f64,
    /// The blocking asyncio kitchen's total time over this one's.
    pub speedup: f64,
    /// CPU time used over what the cores could give in the total time.
    pub cpu_busy: f64,
    pub peak_memory_bytes: u64,
    /// CPU time spent starting and ending chefs: thread and process starts, process boots
    /// and exits.
    pub start_overhead_s: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Table {
    pub workload: Workload,
    pub rows: Vec<Row>,
    /// Values that were clamped, and other things the reader should know.
    pub notes: Vec<String>,
}

/// What one kitchen's run measured: a row of the table before the speedup, which needs the
/// baseline. Plain data, so the engine can send it to the page without the trace it was
/// measured on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub makespan_s: f64,
    pub cpu_busy: f64,
    pub peak_memory_bytes: u64,
    pub start_overhead_s: f64,
}

impl Figures {
    pub fn of(trace: &Trace) -> Figures {
        let start_overhead_s = trace
            .lanes
            .iter()
            .flat_map(|l| &l.spans)
            .filter(|s| s.state == State::Spawning)
            .map(|s| s.end_s - s.start_s)
            .fold(0.0, |a, b| a + b);
        Figures {
            makespan_s: trace.makespan_s,
            cpu_busy: Summary::of(trace).cpu_busy_share,
            peak_memory_bytes: trace.peak_memory_bytes,
            start_overhead_s,
        }
    }
}

/// One kitchen's run as the page gets it: the figures of the whole run and a trace thinned
/// for drawing ([`cook::cook_for_page`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cooked {
    pub kitchen: Kitchen,
    pub figures: Figures,
    pub trace: Trace,
}

impl Row {
    /// The row for `trace`, a run of `kitchen`; `baseline_s` is one chef's total time.
    pub fn of(kitchen: Kitchen, trace: &Trace, baseline_s: f64) -> Row {
        Row::from_figures(kitchen, &Figures::of(trace), baseline_s)
    }

    pub fn from_figures(kitchen: Kitchen, f: &Figures, baseline_s: f64) -> Row {
        Row {
            kitchen: kitchen.id(),
            title: kitchen.title(),
            what_if: kitchen.what_if(),
            makespan_s: f.makespan_s,
            speedup: if f.makespan_s > 0.0 {
                baseline_s / f.makespan_s
            } else {
                1.0
            },
            cpu_busy: f.cpu_busy,
            peak_memory_bytes: f.peak_memory_bytes,
            start_overhead_s: f.start_overhead_s,
        }
    }
}

impl Table {
    /// The table of runs of `workload`; the first run is the baseline (one chef).
    pub fn of(workload: &Workload, runs: &[(Kitchen, Trace)], notes: Vec<String>) -> Table {
        let figures: Vec<(Kitchen, Figures)> =
            runs.iter().map(|(k, t)| (*k, Figures::of(t))).collect();
        Table::of_figures(workload, &figures, notes)
    }

    /// The same from each run's figures (what the page has).
    pub fn of_figures(
        workload: &Workload,
        runs: &[(Kitchen, Figures)],
        notes: Vec<String>,
    ) -> Table {
        let baseline = runs.first().map_or(0.0, |(_, f)| f.makespan_s);
        Table {
            workload: workload.clone(),
            rows: runs
                .iter()
                .map(|(k, f)| Row::from_figures(*k, f, baseline))
                .collect(),
            notes,
        }
    }

    pub fn row(&self, kitchen: Kitchen) -> Option<&Row> {
        self.rows.iter().find(|r| r.kitchen == kitchen.id())
    }

    pub fn to_json(&self) -> String {
        crate::core::pretty_json::indent(&serde_json::to_string(self).unwrap_or_default())
    }
}

/// Why a kitchen could not be cooked.
#[derive(Debug, PartialEq)]
pub struct CompareError {
    pub kitchen: &'static str,
    pub error: PyError,
}

impl std::fmt::Display for CompareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the {} kitchen failed at line {}: {}",
            self.kitchen, self.error.line, self.error.message
        )
    }
}

impl std::error::Error for CompareError {}

/// What a chart varies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Axis {
    Orders,
    Cores,
    /// The CPU step's loop turns: where waiting turns into computing.
    CpuN,
}

/// The points of a chart along each axis.
pub const ORDER_POINTS: &[u64] = &[1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
pub const CORE_POINTS: &[u64] = &[1, 2, 4, 8, 16, 32, 64];
pub const CPU_N_POINTS: &[u64] = &[0, 1000, 10_000, 100_000, 1_000_000, 10_000_000];

impl Axis {
    pub fn name(self) -> &'static str {
        match self {
            Axis::Orders => "orders",
            Axis::Cores => "cores",
            Axis::CpuN => "cpu-n",
        }
    }

    /// The chart's points along this axis.
    pub fn points(self) -> &'static [u64] {
        match self {
            Axis::Orders => ORDER_POINTS,
            Axis::Cores => CORE_POINTS,
            Axis::CpuN => CPU_N_POINTS,
        }
    }

    /// `w` with this axis's value set to `x` (clamped to the workload's ranges).
    pub fn at(self, w: &Workload, x: u64) -> Workload {
        let mut at = w.clone();
        match self {
            Axis::Orders => at.orders = x.clamp(1, MAX_ORDERS as u64) as u32,
            Axis::Cores => at.cores = x.clamp(1, MAX_CORES as u64) as u32,
            Axis::CpuN => at.cpu_n = x.min(MAX_CPU_N as u64),
        }
        at
    }
}

/// One kitchen's total time along an axis.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Series {
    pub kitchen: &'static str,
    pub axis: Axis,
    /// (the axis's value, total time in seconds)
    pub points: Vec<(u64, f64)>,
}

/// Where one kitchen overtakes another along a chart's axis.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Crossover {
    pub axis: Axis,
    /// The kitchen that is faster after the crossing.
    pub faster: &'static str,
    /// The kitchen it overtakes.
    pub slower: &'static str,
    /// The crossing lies between these two points of the axis.
    pub between: (u64, u64),
}

/// Totals closer than this share (0.2 %) count as a tie, not a lead.
const TIE: f64 = 0.002;

/// Every crossing in `series`: a pair of kitchens whose lead changes between two points
/// (ties skipped, so a crossing through a tie is found between the points either side).
pub fn crossovers(series: &[Series]) -> Vec<Crossover> {
    let mut out = Vec::new();
    for (i, a) in series.iter().enumerate() {
        for b in &series[i + 1..] {
            let leads: Vec<(u64, i8)> = a
                .points
                .iter()
                .zip(&b.points)
                .filter(|((xa, _), (xb, _))| xa == xb)
                .filter_map(|(&(x, ta), &(_, tb))| lead(ta, tb).map(|l| (x, l)))
                .collect();
            for w in leads.windows(2) {
                let ((x0, l0), (x1, l1)) = (w[0], w[1]);
                if l0 != l1 {
                    let (faster, slower) = if l1 < 0 {
                        (a.kitchen, b.kitchen)
                    } else {
                        (b.kitchen, a.kitchen)
                    };
                    out.push(Crossover {
                        axis: a.axis,
                        faster,
                        slower,
                        between: (x0, x1),
                    });
                }
            }
        }
    }
    out
}

/// -1 when `a` is faster, 1 when `b` is, `None` for a tie.
fn lead(a: f64, b: f64) -> Option<i8> {
    if (a - b).abs() <= TIE * a.max(b) {
        None
    } else if a < b {
        Some(-1)
    } else {
        Some(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_range_values_are_clamped_with_a_note() {
        let asked = Asked {
            orders: Some(0),
            cpu_n: Some(-5),
            boil_s: Some(f64::NAN),
            cores: Some(1000),
        };
        let (w, notes) = asked.clamped();
        assert_eq!(
            w,
            Workload {
                orders: 1,
                cpu_n: 0,
                boil_s: 0.0,
                cores: 64
            }
        );
        assert_eq!(notes.len(), 4, "{notes:?}");
        assert!(notes[0].contains("orders = 0"), "{notes:?}");
        let (w, notes) = Asked::default().clamped();
        assert_eq!(w, Workload::default());
        assert!(notes.is_empty());
        let (w, _) = Asked {
            orders: Some(5000),
            boil_s: Some(f64::INFINITY),
            ..Asked::default()
        }
        .clamped();
        assert_eq!((w.orders, w.boil_s), (1000, MAX_BOIL_S));
    }

    #[test]
    fn every_kitchen_cooks_the_same_recipe() {
        let w = Workload {
            orders: 7,
            cpu_n: 1234,
            boil_s: 0.25,
            cores: 2,
        };
        for k in KITCHENS {
            let code = k.program(&w);
            for line in ["ORDERS = 7", "CPU_N = 1234", "BOIL_SECONDS = 0.25"] {
                assert!(code.lines().any(|l| l == line), "{}: {line}", k.id());
            }
            // Defined once, used twice: chop and sauce.
            assert_eq!(code.matches("cpu_step").count(), 3, "{}", k.id());
            assert!(crate::scenarios::find(k.id()).is_ok());
        }
    }

    fn line(kitchen: &'static str, points: &[(u64, f64)]) -> Series {
        Series {
            kitchen,
            axis: Axis::Orders,
            points: points.to_vec(),
        }
    }

    #[test]
    fn a_crossover_is_where_the_lead_changes() {
        let a = line("a", &[(1, 1.0), (10, 2.0), (100, 10.0)]);
        let b = line("b", &[(1, 2.0), (10, 2.0), (100, 5.0)]);
        assert_eq!(
            crossovers(&[a, b]),
            [Crossover {
                axis: Axis::Orders,
                faster: "b",
                slower: "a",
                between: (1, 100),
            }]
        );
        let same = line("c", &[(1, 1.0), (10, 1.0)]);
        assert!(crossovers(&[same.clone(), same]).is_empty());
    }
}
