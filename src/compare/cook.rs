//! The engine's side of the comparison: each kitchen's program written out for a workload and
//! simulated. This is the part of [`crate::compare`] that runs the interpreter, kept apart so
//! that a build without the interpreter (the `ui` feature alone) can use the rest (the
//! workload, the rows, the series, the crossovers) on what the engine sends it.

use super::Axis;
use super::{CompareError, Cooked, Figures, Kitchen, Series, Workload};
use crate::core::profile::Profile;
use crate::core::trace::Trace;
use crate::python;

impl Kitchen {
    fn file(self) -> (&'static str, &'static str) {
        match self {
            Kitchen::AsyncioBlocking => (
                "compare/asyncio_blocking.py",
                include_str!("asyncio_blocking.py"),
            ),
            Kitchen::AsyncioToThread => (
                "compare/asyncio_to_thread.py",
                include_str!("asyncio_to_thread.py"),
            ),
            Kitchen::Threads | Kitchen::ThreadsWithoutGil => {
                ("compare/threads.py", include_str!("threads.py"))
            }
            Kitchen::Processes => ("compare/processes.py", include_str!("processes.py")),
        }
    }

    /// The workload as this kitchen's program: the file with its constants set.
    pub fn program(self, w: &Workload) -> String {
        let (_, code) = self.file();
        let value = |name: &str| match name {
            "BOIL_SECONDS" => Some(python::ops::float_repr(w.boil_s)),
            "CPU_N" => Some(w.cpu_n.to_string()),
            "ORDERS" => Some(w.orders.to_string()),
            _ => None,
        };
        let mut out = String::with_capacity(code.len());
        for line in code.lines() {
            let constant = line
                .split_once(" = ")
                .and_then(|(name, _)| value(name).map(|v| format!("{name} = {v}")));
            out.push_str(constant.as_deref().unwrap_or(line));
            out.push('\n');
        }
        out
    }
}

/// Simulates `kitchen` cooking `w` on `base` (with `w.cores`).
pub fn cook(kitchen: Kitchen, w: &Workload, base: &Profile) -> Result<Trace, CompareError> {
    let (file, _) = kitchen.file();
    let mut trace =
        python::run(&kitchen.program(w), file, kitchen.profile(w, base)).map_err(|error| {
            CompareError {
                kitchen: kitchen.id(),
                error,
            }
        })?;
    trace.scenario = kitchen.id().to_string();
    trace.title = kitchen.title().to_string();
    Ok(trace)
}

/// The workload in every kitchen of `kitchens` (the first is the baseline).
pub fn compare(
    w: &Workload,
    kitchens: &[Kitchen],
    base: &Profile,
) -> Result<Vec<(Kitchen, Trace)>, CompareError> {
    kitchens
        .iter()
        .map(|&k| cook(k, w, base).map(|t| (k, t)))
        .collect()
}

/// What the page asks for one kitchen: its row's figures, measured on the whole trace, and
/// the trace thinned for drawing ([`crate::page::thin`]: stretches shorter than a
/// `1 / resolution` of the run pooled), so that a run of 160,000 GIL turns does not cross to
/// the page as 170 MB.
pub fn cook_for_page(
    kitchen: Kitchen,
    w: &Workload,
    base: &Profile,
    resolution: u32,
) -> Result<Cooked, CompareError> {
    let trace = cook(kitchen, w, base)?;
    let figures = Figures::of(&trace);
    let step = trace.makespan_s / f64::from(resolution.max(1));
    Ok(Cooked {
        kitchen,
        figures,
        trace: crate::page::thin::thin(&trace, step),
    })
}

/// Each kitchen's total time with `w` varied along `axis` over `xs`.
pub fn series(
    w: &Workload,
    axis: Axis,
    xs: &[u64],
    kitchens: &[Kitchen],
    base: &Profile,
) -> Result<Vec<Series>, CompareError> {
    kitchens
        .iter()
        .map(|&k| {
            let points = xs
                .iter()
                .map(|&x| cook(k, &axis.at(w, x), base).map(|t| (x, t.makespan_s)))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Series {
                kitchen: k.id(),
                axis,
                points,
            })
        })
        .collect()
}
