//! The machine the simulation pretends to be: how many cores, how often CPython switches
//! threads, and what each kind of work costs.
//!
//! The defaults were measured with CPython 3.11.7 on Linux (x86_64, 2 cores) by
//! `python3 tests/cpython/measure_costs.py`; only `cores` is a typical laptop's 4 rather than
//! the 2 of the measuring machine. A profile is user input (a URL parameter, a `--profile` file), so
//! it is checked: values outside a sane range are clamped, and each clamp is reported as a
//! [`Clamp`] instead of being silently applied or crashing the page.

use serde::{Deserialize, Serialize};

use super::clock::{from_secs, Nanos};

/// Costs and sizes of the simulated machine. Times are in seconds, memory in bytes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    /// CPU cores shared by every thread of every process.
    pub cores: u32,
    /// `sys.getswitchinterval()`: how long a thread waiting for the GIL lets the holder run
    /// before asking it to drop the GIL. CPython's default is 5 ms.
    pub switch_interval_s: f64,
    /// CPU time of one iteration of `sum(i * i for i in range(n))` in CPython.
    pub loop_iteration_s: f64,
    /// CPU time `Thread.start()` spends creating an OS thread (GIL held).
    pub thread_start_s: f64,
    /// CPU time the parent spends in `Process.start()` (a `fork` on Linux, GIL held).
    pub process_start_s: f64,
    /// CPU time `Process.start()` spends on each child still running: it first calls
    /// `multiprocessing.process._cleanup()`, which polls every child with `waitpid`, so
    /// starting the 1,000th process costs more than starting the first.
    pub child_poll_s: f64,
    /// CPU time a new process spends before it runs its target (bootstrap after `fork`).
    pub process_boot_s: f64,
    /// CPU time of one asyncio step: creating a task, or resuming one from the ready queue.
    pub task_step_s: f64,
    /// CPU time of one interpreted Python operation (about one bytecode instruction).
    pub op_s: f64,
    /// CPU time of one turn of `for i in range(n): total += i * i` inside a function.
    pub for_iteration_s: f64,
    /// CPU time to pickle and unpickle a small argument or result (a few ints) that crosses a
    /// process boundary (`Pool.map`, `multiprocessing.Queue`, `ProcessPoolExecutor`).
    pub pickle_s: f64,
    /// Extra pickling time per byte of pickled data, for big arguments.
    pub pickle_byte_s: f64,
    /// Time a message takes through a pipe to another process (`os.write` to `os.read`,
    /// including the wake-up of the reader), not counting pickling.
    pub ipc_s: f64,
    /// How long the OS lets a thread run on a core while others wait for one.
    pub os_timeslice_s: f64,
    /// Resident memory of the Python interpreter before the program starts more chefs.
    pub base_memory_bytes: u64,
    /// Extra resident memory of one more thread (its stack pages and thread state).
    pub thread_memory_bytes: u64,
    /// Extra resident memory of one more process (pages a forked child owns alone).
    pub process_memory_bytes: u64,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            cores: 4,
            switch_interval_s: 0.005,
            loop_iteration_s: 57e-9,
            thread_start_s: 96e-6,
            process_start_s: 0.9e-3,
            child_poll_s: 4e-6,
            process_boot_s: 1.6e-3,
            task_step_s: 5e-6,
            op_s: 15e-9,
            for_iteration_s: 40e-9,
            pickle_s: 3e-6,
            pickle_byte_s: 2e-9,
            ipc_s: 30e-6,
            os_timeslice_s: 0.004,
            base_memory_bytes: 10 << 20,
            thread_memory_bytes: 12 << 10,
            process_memory_bytes: 3 << 19,
        }
    }
}

/// One value of a profile that was out of range and was replaced, with the reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Clamp {
    pub field: &'static str,
    pub given: f64,
    pub used: f64,
}

impl std::fmt::Display for Clamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} = {} is out of range; using {}",
            self.field, self.given, self.used
        )
    }
}

/// The largest number of cores a profile may ask for; more only makes traces huge.
pub const MAX_CORES: u32 = 256;

impl Profile {
    /// This profile with every value brought into its sane range, and a note per change.
    pub fn clamped(mut self) -> (Profile, Vec<Clamp>) {
        let mut notes = Vec::new();
        let cores = self.cores.clamp(1, MAX_CORES);
        if cores != self.cores {
            notes.push(Clamp {
                field: "cores",
                given: self.cores as f64,
                used: cores as f64,
            });
            self.cores = cores;
        }
        let seconds: [(&'static str, &mut f64, f64, f64); 13] = [
            ("switch_interval_s", &mut self.switch_interval_s, 1e-6, 1.0),
            ("loop_iteration_s", &mut self.loop_iteration_s, 1e-10, 1e-3),
            ("thread_start_s", &mut self.thread_start_s, 0.0, 1.0),
            ("process_start_s", &mut self.process_start_s, 0.0, 10.0),
            ("child_poll_s", &mut self.child_poll_s, 0.0, 0.1),
            ("process_boot_s", &mut self.process_boot_s, 0.0, 10.0),
            ("task_step_s", &mut self.task_step_s, 0.0, 1.0),
            ("os_timeslice_s", &mut self.os_timeslice_s, 1e-5, 1.0),
            ("op_s", &mut self.op_s, 1e-11, 1e-3),
            ("for_iteration_s", &mut self.for_iteration_s, 1e-10, 1e-3),
            ("pickle_s", &mut self.pickle_s, 0.0, 1.0),
            ("pickle_byte_s", &mut self.pickle_byte_s, 0.0, 1e-3),
            ("ipc_s", &mut self.ipc_s, 0.0, 1.0),
        ];
        for (field, value, lo, hi) in seconds {
            let used = if value.is_nan() {
                lo
            } else {
                value.clamp(lo, hi)
            };
            if used != *value {
                notes.push(Clamp {
                    field,
                    given: *value,
                    used,
                });
                *value = used;
            }
        }
        const GIB: u64 = 1 << 30;
        for (field, value) in [
            ("base_memory_bytes", &mut self.base_memory_bytes),
            ("thread_memory_bytes", &mut self.thread_memory_bytes),
            ("process_memory_bytes", &mut self.process_memory_bytes),
        ] {
            if *value > 64 * GIB {
                notes.push(Clamp {
                    field,
                    given: *value as f64,
                    used: (64 * GIB) as f64,
                });
                *value = 64 * GIB;
            }
        }
        (self, notes)
    }

    /// Simulated CPU time of `iterations` turns of a Python loop.
    pub fn loop_cost(&self, iterations: u64) -> Nanos {
        from_secs(self.loop_iteration_s * iterations as f64)
    }

    pub fn switch_interval(&self) -> Nanos {
        from_secs(self.switch_interval_s)
    }
    pub fn thread_start(&self) -> Nanos {
        from_secs(self.thread_start_s)
    }
    pub fn process_start(&self) -> Nanos {
        from_secs(self.process_start_s)
    }
    /// CPU time of `Process.start()` while `live_children` earlier children still run.
    pub fn process_start_with(&self, live_children: usize) -> Nanos {
        from_secs(self.process_start_s + self.child_poll_s * live_children as f64)
    }
    pub fn process_boot(&self) -> Nanos {
        from_secs(self.process_boot_s)
    }
    pub fn task_step(&self) -> Nanos {
        from_secs(self.task_step_s)
    }
    pub fn os_timeslice(&self) -> Nanos {
        from_secs(self.os_timeslice_s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_profile_needs_no_clamp() {
        let (p, notes) = Profile::default().clamped();
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(p, Profile::default());
    }

    #[test]
    fn absurd_values_are_clamped_with_a_note() {
        let p = Profile {
            cores: 1_000_000,
            switch_interval_s: f64::NAN,
            thread_memory_bytes: u64::MAX,
            ..Profile::default()
        };
        let (p, notes) = p.clamped();
        assert_eq!(p.cores, MAX_CORES);
        assert_eq!(p.switch_interval_s, 1e-6);
        assert_eq!(p.thread_memory_bytes, 64 << 30);
        let fields: Vec<_> = notes.iter().map(|n| n.field).collect();
        assert_eq!(
            fields,
            ["cores", "switch_interval_s", "thread_memory_bytes"]
        );
        assert!(notes[0]
            .to_string()
            .contains("cores = 1000000 is out of range; using 256"));
    }

    #[test]
    fn zero_cores_becomes_one() {
        let (p, notes) = Profile {
            cores: 0,
            ..Profile::default()
        }
        .clamped();
        assert_eq!(p.cores, 1);
        assert_eq!(notes.len(), 1);
    }
}
