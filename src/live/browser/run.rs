//! One live run in the browser, from start to figures: the state machine the engine worker
//! feeds with what its chefs say and its timers, and asks what to do next. Pure: the
//! JavaScript only carries out [`Effect`]s and passes messages in, with the time.
//!
//! 1. **Warming**: as many chefs (Web Workers) as the program has threads in its first
//!    process are hired and must load; each one's boot is a measured worker start.
//! 2. **Calibrating**: one chef cooks [`CALIBRATION_TURNS`] alone, which gives this
//!    machine's wasm speed per turn. The program is scaled so a CPU step takes about
//!    [`STEP_S`] and the pasta boils [`BOIL_S`]: a run of a few seconds.
//! 3. **Running**: the live driver runs the scenario's own program at that size through the
//!    [`Kitchen`], on the real clock.
//! 4. **Done**: the measured trace (`source: browser`) and the prediction: the simulation
//!    of the same program at the same size on a machine with this browser's
//!    `hardwareConcurrency` and the measured costs (a turn of the step, a worker's start),
//!    with both totals and both speedups ([`super::figures`]).

use serde::{Deserialize, Serialize};

use super::figures;
use super::kitchen::{ChefSays, Effect, Kitchen, Transport};
use crate::core::clock::{from_secs, to_secs, Nanos};
use crate::core::profile::{Profile, MAX_CORES};
use crate::core::recorder::TraceHeader;
use crate::core::trace::{LaneKind, Source, Trace};
use crate::engine::protocol::live_cookable;
pub use crate::engine::protocol::{LiveRequest, LiveResult};
use crate::live::{Command, Driver, LiveError, Report};
use crate::python::natives;
use crate::python::runtime::Runtime;
use crate::scenarios::{self, Scenario, Size};

/// Turns of the calibration step (tens of milliseconds in wasm).
pub const CALIBRATION_TURNS: u64 = 20_000_000;
/// The calibration step is cooked this many times before the run and as many after it; the
/// median of all counts. One timing is at the mercy of whatever else the machine does at that
/// moment, and the run itself meets the machine as it usually is, not at its best.
pub const CALIBRATION_ROUNDS: u32 = 3;
/// About how long one CPU step of the scaled program takes here.
pub const STEP_S: f64 = 0.3;
/// How long the scaled program's pasta boils.
pub const BOIL_S: f64 = 0.6;
/// The run is stopped after this much real time.
pub const TIME_LIMIT_S: f64 = 60.0;

/// What the engine worker knows of its browser.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Browser {
    /// `navigator.hardwareConcurrency`.
    pub hardware_concurrency: u32,
    /// `crossOriginIsolated`: `SharedArrayBuffer` and `Atomics` can be used.
    pub isolated: bool,
}

enum Phase {
    Warming,
    /// Rounds of the calibration step done.
    Calibrating {
        rounds: u32,
    },
    Running(Box<Driver<Runtime>>),
    /// The run is over; the step is timed again on a quiet machine.
    Recalibrating {
        measured: Box<Trace>,
        rounds: u32,
    },
    Done(Box<LiveResult>),
}

pub struct LiveRun {
    scenario: &'static Scenario,
    request: LiveRequest,
    browser: Browser,
    kitchen: Kitchen,
    phase: Phase,
    /// When the run's clock started, on the engine worker's clock.
    t0: Nanos,
    size: Size,
    turn_s: f64,
    /// Turns of every CPU step handed out.
    turns: u64,
    warm_boots: Vec<Nanos>,
    started: Nanos,
    /// Every timing of the calibration step, in milliseconds.
    timings: Vec<f64>,
}

impl LiveRun {
    /// A run of `request` in `browser`, begun at `now` (the engine worker's clock): the
    /// chefs to hire first.
    pub fn new(
        request: LiveRequest,
        browser: Browser,
        now: Nanos,
    ) -> Result<(LiveRun, Vec<Effect>), String> {
        let scenario = scenarios::find(&request.scenario).map_err(|e| e.to_string())?;
        if !live_cookable(scenario) {
            return Err(format!(
                "“{}” has no CPU work to cook for real: its chefs only wait",
                scenario.title
            ));
        }
        let transport = if browser.isolated {
            Transport::SharedMemory
        } else {
            Transport::Messages
        };
        let interval = request.gil.then(|| Profile::default().switch_interval());
        let mut kitchen = Kitchen::new(interval, transport);
        let effects = kitchen.hire_warm(threads_of(scenario)?, now)?;
        let run = LiveRun {
            scenario,
            request,
            browser,
            kitchen,
            phase: Phase::Warming,
            t0: now,
            size: Size::default(),
            turn_s: 0.0,
            turns: 0,
            warm_boots: Vec::new(),
            started: now,
            timings: Vec::new(),
        };
        Ok((run, effects))
    }

    /// The result, once the run is over.
    pub fn result(&self) -> Option<&LiveResult> {
        match &self.phase {
            Phase::Done(r) => Some(r),
            _ => None,
        }
    }

    /// When the engine worker must call [`LiveRun::timer`] next (its own clock), if at all.
    pub fn next_wake(&self) -> Option<Nanos> {
        let Phase::Running(driver) = &self.phase else {
            return None;
        };
        let deadline = driver.next_deadline();
        let drop = self.kitchen.next_drop();
        let limit = Some(from_secs(TIME_LIMIT_S));
        [deadline, drop, limit]
            .into_iter()
            .flatten()
            .min()
            .map(|t| t + self.t0)
    }

    /// Chef `chef` said `says` at `now`.
    pub fn chef_said(
        &mut self,
        chef: usize,
        says: ChefSays,
        now: Nanos,
    ) -> Result<Vec<Effect>, String> {
        match &self.phase {
            Phase::Warming => {
                if says == ChefSays::Ready {
                    self.warm_boots.push(now.saturating_sub(self.started));
                }
                self.kitchen.chef_said(chef, says, now)?;
                if !self.kitchen.warm() {
                    return Ok(Vec::new());
                }
                self.phase = Phase::Calibrating { rounds: 0 };
                Ok(vec![self.calibration()?])
            }
            &Phase::Calibrating { rounds } => match says {
                ChefSays::Cooked { ms } => {
                    self.timings.push(ms);
                    if rounds + 1 < CALIBRATION_ROUNDS {
                        self.phase = Phase::Calibrating { rounds: rounds + 1 };
                        return Ok(vec![self.calibration()?]);
                    }
                    self.begin(median(&self.timings), now)
                }
                other => Err(format!("a Web Worker said {other:?} while calibrating")),
            },
            Phase::Recalibrating { .. } => match says {
                ChefSays::Cooked { ms } => self.recalibrated(ms),
                _ => Ok(Vec::new()),
            },
            Phase::Running(_) => {
                let t = now.saturating_sub(self.t0);
                let outcome = self.kitchen.chef_said(chef, says, t)?;
                self.apply(outcome.effects, outcome.reports, t)
            }
            Phase::Done(_) => Ok(Vec::new()),
        }
    }

    /// Thread `thread`'s sleep is over at `now`.
    pub fn slept(&mut self, thread: usize, now: Nanos) -> Result<Vec<Effect>, String> {
        let t = now.saturating_sub(self.t0);
        self.apply(Vec::new(), vec![Report::Slept { thread }], t)
    }

    /// The time [`LiveRun::next_wake`] named has come.
    pub fn timer(&mut self, now: Nanos) -> Result<Vec<Effect>, String> {
        let t = now.saturating_sub(self.t0);
        if !matches!(self.phase, Phase::Running(_)) {
            return Ok(Vec::new());
        }
        if t > from_secs(TIME_LIMIT_S) {
            return Err(format!(
                "stopped after {TIME_LIMIT_S:.0} s of real time (the live kitchen's time limit)"
            ));
        }
        let effects = self.kitchen.tick(t);
        let due = match &self.phase {
            Phase::Running(d) => d.next_deadline().is_some_and(|at| at <= t),
            _ => false,
        };
        let reports = if due { vec![Report::Timer] } else { Vec::new() };
        self.apply(effects, reports, t)
    }

    /// The calibration step, for an idle chef: in slices, as the run's steps are cooked.
    fn calibration(&self) -> Result<Effect, String> {
        let chef = self.kitchen.idle_chef().ok_or("no Web Worker is ready")?;
        Ok(Effect::Cook {
            chef,
            process: 0,
            turns: CALIBRATION_TURNS,
            slice: super::kitchen::SLICE_TURNS,
            gil: false,
        })
    }

    /// Calibrated: scales the program and starts the driver.
    fn begin(&mut self, calibration_ms: f64, now: Nanos) -> Result<Vec<Effect>, String> {
        let turn_s = (calibration_ms / 1e3 / CALIBRATION_TURNS as f64).max(1e-11);
        self.turn_s = turn_s;
        self.size = Size {
            boil_s: BOIL_S,
            cpu_iterations: ((STEP_S / turn_s) as u64).clamp(1_000_000, 2_000_000_000),
            ..Size::default()
        };
        let source = self.scenario.source(&self.size);
        let profile = self.profile();
        let (checked, _) = profile.clone().checked();
        let runtime = Runtime::new(&source, self.scenario.file, &checked, natives::install)
            .map_err(|e| e.to_string())?;
        let header = TraceHeader {
            scenario: self.scenario.id.to_string(),
            title: format!("{} (cooked live in this browser)", self.scenario.title),
            notes: Vec::new(),
            profile,
            code: Some(source),
        };
        let mut driver = Driver::new(runtime, header, Source::Browser);
        if self.request.gil {
            driver = driver.emulating_gil();
        }
        self.kitchen.seat_main()?;
        self.t0 = now;
        let commands = driver.start(0).map_err(|e| e.to_string())?;
        self.phase = Phase::Running(Box::new(driver));
        self.commands(commands, 0)
    }

    /// The machine the prediction simulates: this browser's cores, the step's measured
    /// speed, a worker's measured start; what the live run does at no cost (plain
    /// interpreter work, thread hand-overs, a worker's end) costs nothing there either.
    fn profile(&self) -> Profile {
        let boot_s = worker_start_ms(self.kitchen.boots(), &self.warm_boots) / 1e3;
        Profile {
            cores: self.browser.hardware_concurrency.clamp(1, MAX_CORES),
            loop_iteration_s: self.turn_s,
            for_iteration_s: self.turn_s,
            op_s: 1e-11,
            task_step_s: 0.0,
            thread_start_s: 0.0,
            process_start_s: 0.0,
            child_poll_s: 0.0,
            process_boot_s: boot_s,
            process_exit_s: 0.0,
            pickle_s: 0.0,
            pickle_byte_s: 0.0,
            ipc_s: 0.0,
            ..Profile::default()
        }
    }

    /// Feeds the kitchen's reports to the driver and carries out what comes of them.
    fn apply(
        &mut self,
        mut effects: Vec<Effect>,
        reports: Vec<Report>,
        t: Nanos,
    ) -> Result<Vec<Effect>, String> {
        let Phase::Running(driver) = &mut self.phase else {
            return Ok(effects);
        };
        let mut commands = Vec::new();
        for report in reports {
            commands.extend(
                driver
                    .completed(report, t)
                    .map_err(|e| live_error(driver, e))?,
            );
        }
        effects.extend(self.commands(commands, t)?);
        Ok(effects)
    }

    /// Carries out the driver's commands (and those that follow from reports at once).
    fn commands(&mut self, mut commands: Vec<Command>, t: Nanos) -> Result<Vec<Effect>, String> {
        let mut effects = Vec::new();
        while !commands.is_empty() {
            let mut more = Vec::new();
            for command in commands {
                if let Command::Compute { turns, .. } = &command {
                    self.turns += turns;
                }
                let outcome = self.kitchen.carry_out(command, t)?;
                effects.extend(outcome.effects);
                let Phase::Running(driver) = &mut self.phase else {
                    return Ok(effects);
                };
                for report in outcome.reports {
                    more.extend(
                        driver
                            .completed(report, t)
                            .map_err(|e| live_error(driver, e))?,
                    );
                }
            }
            commands = more;
        }
        if matches!(&self.phase, Phase::Running(d) if d.is_done()) {
            effects.extend(self.finish(t)?);
        }
        Ok(effects)
    }

    /// The run is over at `t`: its trace; the step is timed again before the figures.
    fn finish(&mut self, t: Nanos) -> Result<Vec<Effect>, String> {
        let phase = std::mem::replace(&mut self.phase, Phase::Warming);
        let Phase::Running(driver) = phase else {
            return Ok(Vec::new());
        };
        let (mut measured, mut runtime) = driver.finish(t);
        measured.notes.append(&mut runtime.take_notes());
        let Ok(cook) = self.calibration() else {
            return self.conclude(measured);
        };
        self.phase = Phase::Recalibrating {
            measured: Box::new(measured),
            rounds: 0,
        };
        Ok(vec![cook])
    }

    /// One round of the timing after the run: the median of the rounds before and after the
    /// run is the step's speed alone, which the prediction and the speedups use.
    fn recalibrated(&mut self, ms: f64) -> Result<Vec<Effect>, String> {
        self.timings.push(ms);
        let Phase::Recalibrating { rounds, .. } = &mut self.phase else {
            return Ok(Vec::new());
        };
        *rounds += 1;
        if *rounds < CALIBRATION_ROUNDS {
            return Ok(vec![self.calibration()?]);
        }
        let Phase::Recalibrating { measured, .. } =
            std::mem::replace(&mut self.phase, Phase::Warming)
        else {
            return Ok(Vec::new());
        };
        self.turn_s = (median(&self.timings) / 1e3 / CALIBRATION_TURNS as f64).max(1e-11);
        self.conclude(*measured)
    }

    /// The prediction and the figures.
    fn conclude(&mut self, mut measured: Trace) -> Result<Vec<Effect>, String> {
        measured.notes.extend(self.notes());
        let predicted = self
            .scenario
            .simulate_sized(self.profile(), &self.size)
            .map_err(|e| format!("the prediction failed: {e}"))?;
        let figures = figures::of(
            &measured,
            &predicted,
            figures::Setting {
                serial_s: self.turns as f64 * self.turn_s,
                turn_ns: self.turn_s * 1e9,
                step_turns: self.size.cpu_iterations,
                workers: self.kitchen.hired() as u32,
                hardware_concurrency: self.browser.hardware_concurrency,
                shared_memory: self.browser.isolated,
                gil: self.request.gil,
                worker_start_ms: worker_start_ms(self.kitchen.boots(), &self.warm_boots),
            },
        );
        let effects = self.kitchen.dismiss_all();
        self.phase = Phase::Done(Box::new(LiveResult { measured, figures }));
        Ok(effects)
    }

    fn notes(&self) -> Vec<String> {
        let transport = if self.browser.isolated {
            "a SharedArrayBuffer (this page is cross-origin isolated): the holder sees a drop request between slices of its work, waiters sleep in Atomics.wait"
        } else {
            "messages (this page is not cross-origin isolated, so no SharedArrayBuffer): the holder checks in when its turn is up"
        };
        let gil = if self.request.gil {
            format!("The threads of each process took turns on one GIL token by CPython's rules (switch interval 5 ms), handed over through {transport}.")
        } else {
            "No GIL: every thread cooked at once, as free-threaded Python would; CPython 3.11's threads cannot.".to_string()
        };
        vec![
            format!(
                "Cooked live in this browser: {} Web Workers, navigator.hardwareConcurrency = {}. Each CPU step is the real sum of squares in wasm, {} turns ({:.2} ns a turn here); the boils are real timers; plain interpreter work takes no time. A process is a fresh worker, whose start is measured; a thread is handed a worker started before the run.",
                self.kitchen.hired(),
                self.browser.hardware_concurrency,
                self.size.cpu_iterations,
                self.turn_s * 1e9
            ),
            gil,
            "Memory is not measured: a browser does not tell a page its workers' memory.".into(),
        ]
    }
}

/// How many chefs the program's first process needs: its main thread and the threads it
/// starts (counted in a tiny simulation of the same program).
fn threads_of(scenario: &Scenario) -> Result<usize, String> {
    let tiny = Size {
        boil_s: 0.001,
        cpu_iterations: 1000,
        ..Size::default()
    };
    let trace = scenario
        .simulate_sized(Profile::default(), &tiny)
        .map_err(|e| e.to_string())?;
    let threads = trace
        .lanes
        .iter()
        .filter(|l| {
            l.process == 0
                && matches!(
                    l.kind,
                    LaneKind::Main | LaneKind::Thread | LaneKind::PoolWorker
                )
        })
        .count();
    Ok(threads.max(1))
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    crate::core::sort::sort_by(&mut sorted, f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

fn mean_s(values: &[Nanos]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    to_secs(values.iter().sum::<Nanos>()) / values.len() as f64
}

/// A worker's start: the processes' boots if there were any, else the warm chefs'.
fn worker_start_ms(boots: &[Nanos], warm: &[Nanos]) -> f64 {
    let of = if boots.is_empty() { warm } else { boots };
    mean_s(of) * 1e3
}

fn live_error(driver: &mut Driver<Runtime>, e: LiveError) -> String {
    match e {
        LiveError::ProgramFailed => driver
            .interpreter_mut()
            .take_fatal()
            .map_or_else(|| "the program failed".into(), |e| e.to_string()),
        other => other.to_string(),
    }
}
