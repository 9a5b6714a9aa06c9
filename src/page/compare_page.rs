//! The comparison as a page (`view=compare`): its sliders, its table's cells, the shared time
//! axis of the four runs and how much of the chart the page simulates. The chart's drawing is
//! in [`super::compare_chart`].
//!
//! - **Sliders** move over a list of round values (1, 2, 3, 4, 5, 6, 8, 10… orders), so a drag
//!   lands on values worth comparing and the address stays short; a value from the address
//!   that is not on the list is used as it is and the slider stands at the nearest stop.
//! - **The shared axis**: the runs are drawn one above the other on one time axis, so their
//!   lengths compare at a glance. Folding shortens only what is quiet in *every* run (the boil
//!   they all wait through), so no run's work is hidden.
//! - **The budget**: the page simulates every kitchen for the workload asked, whatever it
//!   costs; the chart's other points (up to 1,000 orders of the same CPU steps) would take
//!   minutes on the largest workloads, since a run's simulation cost grows with its GIL turns
//!   and core time slices (a thousand threads computing 800 s of CPU hand the GIL over 160,000
//!   times). A point estimated above [`POINT_BUDGET`] turns is left out of the chart, and
//!   the page names what was left out and the command that computes it.

use crate::compare::{Kitchen, Table, Workload};
use crate::core::profile::Profile;
use crate::lessons::facts::{count, mebibytes, seconds};

use super::replay::Replay;
use super::timeline::{quiet_stretches, Axis, FOLD_MIN_S, FOLD_MIN_SHARE};

/// What a slider sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Knob {
    Orders,
    Cores,
    CpuStep,
    Boil,
}

pub const KNOBS: [Knob; 4] = [Knob::Orders, Knob::Cores, Knob::CpuStep, Knob::Boil];

const ORDER_STOPS: &[f64] = &[
    1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.0, 15.0, 20.0, 25.0, 30.0, 40.0, 50.0, 60.0, 80.0,
    100.0, 120.0, 150.0, 200.0, 250.0, 300.0, 400.0, 500.0, 600.0, 800.0, 1000.0,
];
const CORE_STOPS: &[f64] = &[
    1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0, 32.0, 48.0, 64.0,
];
const CPU_STOPS: &[f64] = &[
    0.0, 1e3, 3e3, 1e4, 3e4, 1e5, 3e5, 1e6, 3e6, 1e7, 3e7, 1e8, 3e8, 1e9,
];
const BOIL_STOPS: &[f64] = &[
    0.0, 0.1, 0.3, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0,
];

impl Knob {
    /// The slider's element id.
    pub fn id(self) -> &'static str {
        match self {
            Knob::Orders => "orders",
            Knob::Cores => "cores",
            Knob::CpuStep => "cpu-step",
            Knob::Boil => "boil",
        }
    }

    /// The address parameter.
    pub fn param(self) -> &'static str {
        match self {
            Knob::Orders => "orders",
            Knob::Cores => "cores",
            Knob::CpuStep => "cpu",
            Knob::Boil => "boil",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Knob::Orders => "Orders",
            Knob::Cores => "Cores",
            Knob::CpuStep => "CPU step",
            Knob::Boil => "Boil",
        }
    }

    pub fn stops(self) -> &'static [f64] {
        match self {
            Knob::Orders => ORDER_STOPS,
            Knob::Cores => CORE_STOPS,
            Knob::CpuStep => CPU_STOPS,
            Knob::Boil => BOIL_STOPS,
        }
    }

    pub fn value(self, w: &Workload) -> f64 {
        match self {
            Knob::Orders => w.orders as f64,
            Knob::Cores => w.cores as f64,
            Knob::CpuStep => w.cpu_n as f64,
            Knob::Boil => w.boil_s,
        }
    }

    /// `w` with this knob at the slider's stop `position` (a position past the end is the
    /// last stop).
    pub fn set(self, w: &Workload, position: usize) -> Workload {
        let stops = self.stops();
        let v = stops[position.min(stops.len() - 1)];
        let mut out = w.clone();
        match self {
            Knob::Orders => out.orders = v as u32,
            Knob::Cores => out.cores = v as u32,
            Knob::CpuStep => out.cpu_n = v as u64,
            Knob::Boil => out.boil_s = v,
        }
        out
    }

    /// The stop nearest to the workload's value (nearest by ratio; 0 only for 0).
    pub fn position(self, w: &Workload) -> usize {
        let v = self.value(w);
        let stops = self.stops();
        let far = |s: f64| {
            if s == v {
                0.0
            } else if s <= 0.0 || v <= 0.0 {
                f64::INFINITY
            } else {
                (s / v).ln().abs()
            }
        };
        (0..stops.len())
            .min_by(|&a, &b| far(stops[a]).total_cmp(&far(stops[b])))
            .unwrap_or(0)
    }

    /// The value as the slider says it: `3 orders`, `4 cores`, `10,000,000 turns (400 ms)`,
    /// `30 s`.
    pub fn text(self, w: &Workload) -> String {
        match self {
            Knob::Orders => plural(w.orders as f64, "order"),
            Knob::Cores => plural(w.cores as f64, "core"),
            Knob::CpuStep if w.cpu_n == 0 => "none (0 turns): the orders only wait".into(),
            Knob::CpuStep => format!(
                "{} turns ({} each)",
                count(w.cpu_n as f64),
                seconds(step_s(w))
            ),
            Knob::Boil => seconds(w.boil_s),
        }
    }
}

fn plural(n: f64, what: &str) -> String {
    format!("{} {what}{}", count(n), if n == 1.0 { "" } else { "s" })
}

/// Seconds one CPU step of `w` takes at CPython's measured speed.
pub fn step_s(w: &Workload) -> f64 {
    w.cpu_n as f64 * Profile::default().loop_iteration_s
}

/// The workload in one sentence, above the table.
pub fn describe(w: &Workload) -> String {
    let steps = if w.cpu_n == 0 {
        "then is done (no CPU steps)".to_string()
    } else {
        format!(
            "then does 2 CPU steps of {} turns ({} each)",
            count(w.cpu_n as f64),
            seconds(step_s(w))
        )
    };
    format!(
        "One workload in every kitchen: {}, each boils {} {steps}, on {}.",
        plural(w.orders as f64, "order"),
        seconds(w.boil_s),
        plural(w.cores as f64, "core")
    )
}

/// One row of the table as the page writes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Cells {
    pub kitchen: &'static str,
    pub title: &'static str,
    pub what_if: bool,
    pub total: String,
    pub speedup: String,
    pub cpu_busy: String,
    pub memory: String,
    pub overhead: String,
    /// The fastest of the kitchens measured against CPython (the what-if is not one).
    pub fastest: bool,
}

pub fn cells(table: &Table) -> Vec<Cells> {
    let best = table
        .rows
        .iter()
        .filter(|r| !r.what_if)
        .map(|r| r.makespan_s)
        .fold(f64::INFINITY, f64::min);
    table
        .rows
        .iter()
        .map(|r| Cells {
            kitchen: r.kitchen,
            title: r.title,
            what_if: r.what_if,
            total: seconds(r.makespan_s),
            speedup: format!("{:.2}×", r.speedup),
            cpu_busy: format!("{:.1} %", r.cpu_busy * 100.0),
            memory: mebibytes(r.peak_memory_bytes as f64),
            overhead: seconds(r.start_overhead_s),
            fastest: !r.what_if && r.makespan_s <= best * 1.002,
        })
        .collect()
}

/// What the table says, in one sentence: which kitchens are fastest and by how much.
pub fn verdict(table: &Table) -> String {
    let real: Vec<_> = table.rows.iter().filter(|r| !r.what_if).collect();
    let Some(best) = real
        .iter()
        .min_by(|a, b| a.makespan_s.total_cmp(&b.makespan_s))
    else {
        return String::new();
    };
    let tied: Vec<&str> = real
        .iter()
        .filter(|r| r.makespan_s <= best.makespan_s * 1.002)
        .map(|r| r.kitchen)
        .collect();
    if tied.len() == real.len() {
        return format!(
            "Every kitchen takes {}: for this workload the choice makes no difference to the time.",
            seconds(best.makespan_s)
        );
    }
    let who = match tied.as_slice() {
        [one] => format!("{one} is fastest"),
        many => format!("{} are fastest", many.join(" and ")),
    };
    format!(
        "{who}: {}, {:.2}× as fast as one chef.",
        seconds(best.makespan_s),
        best.speedup
    )
}

/// One time axis for runs drawn one above the other: as long as the longest, with the
/// stretches folded that are quiet in every run (a run that has ended is quiet).
pub fn shared_axis(replays: &[&Replay], fold: bool) -> Axis {
    let end = replays.iter().map(|r| r.end_s()).fold(0.0, f64::max);
    if !fold || replays.is_empty() {
        return Axis::linear(end);
    }
    let mut common: Option<Vec<(f64, f64)>> = None;
    for r in replays {
        let mut quiet = quiet_stretches(r);
        if r.end_s() < end {
            quiet.push((r.end_s(), end));
        }
        common = Some(match common {
            None => quiet,
            Some(c) => intersect(&c, &quiet),
        });
    }
    let min = FOLD_MIN_S.max(FOLD_MIN_SHARE * end);
    let folds: Vec<(f64, f64)> = common
        .unwrap_or_default()
        .into_iter()
        .filter(|(a, b)| b - a >= min)
        .collect();
    Axis::with_folds(end, &folds)
}

/// The stretches in both lists (each in time order, not overlapping itself).
fn intersect(a: &[(f64, f64)], b: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for &(a0, a1) in a {
        for &(b0, b1) in b {
            let (lo, hi) = (a0.max(b0), a1.min(b1));
            if hi > lo {
                out.push((lo, hi));
            }
        }
    }
    crate::core::sort::sort_by(&mut out, |x, y| x.0.total_cmp(&y.0));
    out
}

/// The most scheduling turns a chart point may cost to be simulated on the page.
pub const POINT_BUDGET: f64 = 25_000.0;

/// About how many turns (GIL hand-offs, core time slices) simulating `w` takes: its CPU
/// time cut into time slices, plus a few for each order's start and end.
pub fn cost(w: &Workload) -> f64 {
    let p = Profile::default();
    let slice = p.switch_interval_s.min(p.os_timeslice_s).max(1e-6);
    let cpu = w.orders as f64 * 2.0 * step_s(w);
    cpu / slice + 10.0 * w.orders as f64
}

/// The chart's points along `axis` for `w`: those the page simulates, and those it leaves
/// out as too costly.
pub fn chart_points(w: &Workload, axis: crate::compare::Axis) -> (Vec<u64>, Vec<u64>) {
    axis.points()
        .iter()
        .partition(|&&x| cost(&axis.at(w, x)) <= POINT_BUDGET)
}

/// The kitchens of the comparison (the what-if last, when asked for).
pub fn kitchens(what_if: bool) -> Vec<Kitchen> {
    let mut k = crate::compare::KITCHENS.to_vec();
    if what_if {
        k.push(Kitchen::ThreadsWithoutGil);
    }
    k
}

/// The command that prints what the page left out.
pub fn command(w: &Workload) -> String {
    format!(
        "kitchen compare --orders {} --cpu-n {} --boil {} --cores {} --chart",
        w.orders,
        w.cpu_n,
        super::waits::number(w.boil_s),
        w.cores
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::{Axis as ChartAxis, Figures};

    #[test]
    fn sliders_land_on_their_stops_and_find_the_nearest_for_other_values() {
        let w = Workload::default();
        assert_eq!(Knob::Orders.position(&w), 2, "3 orders");
        assert_eq!(Knob::Orders.set(&w, 27).orders, 1000);
        assert_eq!(
            Knob::Orders.set(&w, 999).orders,
            1000,
            "past the end: the last stop"
        );
        assert_eq!(Knob::Cores.set(&w, 0).cores, 1);
        assert_eq!(Knob::CpuStep.set(&w, 0).cpu_n, 0);
        let seven = Workload {
            orders: 7,
            ..w.clone()
        };
        assert_eq!(
            Knob::Orders.stops()[Knob::Orders.position(&seven)],
            8.0,
            "7 is nearer 8 than 6 by ratio"
        );
        let none = Workload {
            cpu_n: 0,
            ..w.clone()
        };
        assert_eq!(Knob::CpuStep.position(&none), 0);
        for k in KNOBS {
            let stops = k.stops();
            assert!(stops.windows(2).all(|p| p[0] < p[1]), "{k:?}");
            for i in 0..stops.len() {
                assert_eq!(k.position(&k.set(&w, i)), i, "{k:?} {i}");
            }
        }
        // The ends of each slider are the ends of the workload's ranges.
        assert_eq!(
            *ORDER_STOPS.last().unwrap(),
            crate::compare::MAX_ORDERS as f64
        );
        assert_eq!(
            *CORE_STOPS.last().unwrap(),
            crate::compare::MAX_CORES as f64
        );
        assert_eq!(*CPU_STOPS.last().unwrap(), crate::compare::MAX_CPU_N as f64);
        assert_eq!(*BOIL_STOPS.last().unwrap(), crate::compare::MAX_BOIL_S);
    }

    #[test]
    fn knobs_say_their_values() {
        let w = Workload::default();
        assert_eq!(Knob::Orders.text(&w), "3 orders");
        assert_eq!(
            Knob::Cores.text(&Workload {
                cores: 1,
                ..w.clone()
            }),
            "1 core"
        );
        assert_eq!(Knob::CpuStep.text(&w), "10,000,000 turns (400 ms each)");
        assert_eq!(Knob::Boil.text(&w), "30 s");
        assert!(
            describe(&w).starts_with("One workload in every kitchen: 3 orders, each boils 30 s")
        );
    }

    fn figures(total: f64) -> Figures {
        Figures {
            makespan_s: total,
            cpu_busy: 0.25,
            peak_memory_bytes: 13 << 20,
            start_overhead_s: 0.0003,
        }
    }

    #[test]
    fn the_table_marks_the_fastest_real_kitchen_and_says_so() {
        let w = Workload::default();
        let runs = [
            (Kitchen::AsyncioBlocking, figures(32.4)),
            (Kitchen::Threads, figures(32.4)),
            (Kitchen::Processes, figures(30.8)),
            (Kitchen::ThreadsWithoutGil, figures(20.0)),
        ];
        let table = Table::of_figures(&w, &runs, vec![]);
        let c = cells(&table);
        assert_eq!(c[0].total, "32.4 s");
        assert_eq!(c[0].speedup, "1.00×");
        assert_eq!(c[2].speedup, "1.05×");
        assert_eq!(c[0].cpu_busy, "25.0 %");
        assert_eq!(c[0].memory, "13.0 MiB");
        assert_eq!(c[0].overhead, "300 µs");
        let fastest: Vec<&str> = c.iter().filter(|r| r.fastest).map(|r| r.kitchen).collect();
        assert_eq!(
            fastest,
            ["processes"],
            "the what-if is a model, not a winner"
        );
        assert_eq!(
            verdict(&table),
            "processes is fastest: 30.8 s, 1.05× as fast as one chef."
        );
        let all_same = Table::of_figures(&w, &runs[..2], vec![]);
        assert!(verdict(&all_same).starts_with("Every kitchen takes 32.4 s"));
    }

    #[test]
    fn the_budget_keeps_the_default_chart_to_what_simulates_quickly() {
        let w = Workload::default();
        assert!(
            cost(&w) <= POINT_BUDGET,
            "the asked workload of the default is cheap"
        );
        let (kept, left) = chart_points(&w, ChartAxis::Cores);
        assert_eq!(
            (kept.len(), left.len()),
            (ChartAxis::Cores.points().len(), 0)
        );
        let (kept, left) = chart_points(&w, ChartAxis::Orders);
        assert!(kept.contains(&1) && kept.contains(&100), "{kept:?}");
        assert!(left.contains(&1000), "{left:?}");
        // Waiting orders cost little: the whole axis.
        let waits = Workload {
            cpu_n: 0,
            ..w.clone()
        };
        assert!(chart_points(&waits, ChartAxis::Orders).1.is_empty());
        assert_eq!(
            command(&w),
            "kitchen compare --orders 3 --cpu-n 10000000 --boil 30 --cores 4 --chart"
        );
    }

    #[test]
    fn intersections_keep_only_what_is_quiet_in_both() {
        let a = [(0.0, 10.0), (20.0, 30.0)];
        let b = [(5.0, 25.0)];
        assert_eq!(intersect(&a, &b), vec![(5.0, 10.0), (20.0, 25.0)]);
        assert!(intersect(&a, &[]).is_empty());
    }
}
