//! The browser's executor of the live driver, as a pure state machine: it turns the driver's
//! [`Command`]s into [`Effect`]s on Web Workers (hire one, tell it to cook, hand it the
//! GIL, sleep on a timer, let it go) and what the workers say ([`ChefSays`]) into the
//! driver's [`Report`]s. The JavaScript of the engine worker (`www/engine-worker.js`) only
//! carries the effects out; every decision is here, tested natively.
//!
//! - A *chef* is a Web Worker (`www/chef-worker.js`) that cooks the real CPU step, the sum of
//!   squares, in wasm. A process is a chef hired when it starts: a fresh worker, whose boot
//!   (from `new Worker` to its first message, its wasm loaded) is the browser's process
//!   start, measured. A thread gets a chef hired before the run began (a warm worker): a
//!   thread start in a browser is a hand-over, as an OS thread start is cheap.
//! - Sleeps (the pasta boiling) are timers in the engine worker; no chef is busy.
//! - With a GIL, each process's threads take turns on one token by CPython's rules, the
//!   same [`Gil`] type the simulator and the native emulation use: a free GIL is taken at
//!   once; a waiter makes the holder let go one switch interval (5 ms) after it began to
//!   wait; the holder queues behind the others. The holder looks between slices of its work
//!   ([`SLICE_TURNS`]) whether it must let go. How it learns that is the [`Transport`]: with
//!   shared memory (a cross-origin isolated page) the drop request is a flag in a
//!   `SharedArrayBuffer` ([`Effect::AskDrop`]) and the GIL's holder a slot that waiting chefs
//!   `Atomics.wait` on; without it, a chef holds the GIL for a time given with each grant and
//!   then checks in by message ([`ChefSays::Yielded`]), and the answer is the next grant.
//!
//! Chefs are numbered in the order they are hired; threads by the interpreter's numbers.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::core::clock::{to_secs, Nanos, MILLI};
use crate::core::gil::Gil;
use crate::live::{Command, Report};

/// The most Web Workers one live run hires.
pub const MAX_CHEFS: usize = 32;
/// Loop turns a chef cooks between two looks at the GIL: some tens of microseconds in wasm.
pub const SLICE_TURNS: u64 = 20_000;

/// How a chef learns that it must let the GIL go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transport {
    /// A `SharedArrayBuffer`: the holder checks a flag between slices; waiters sleep in
    /// `Atomics.wait` until the holder slot names them.
    SharedMemory,
    /// Messages: the holder holds for the time its grant says, then checks in.
    Messages,
}

/// Something the engine worker's JavaScript does.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum Effect {
    /// Start chef worker `chef`; it says [`ChefSays::Ready`] once its wasm has loaded.
    Hire { chef: usize },
    /// `chef` cooks `turns` turns of the sum of squares in slices of `slice`; with `gil`, only
    /// while it holds process `process`'s GIL (it waits for a [`Effect::Grant`] first).
    Cook {
        chef: usize,
        process: usize,
        turns: u64,
        slice: u64,
        gil: bool,
    },
    /// `chef` holds process `process`'s GIL from now on. `hold_ms` (messages only): how long
    /// before it checks in.
    Grant {
        chef: usize,
        process: usize,
        hold_ms: Option<f64>,
    },
    /// Shared memory: ask process `process`'s GIL holder to let go at its next look.
    AskDrop { process: usize },
    /// Report the sleep of `thread` over after `ms` (a timer).
    Sleep { thread: usize, ms: f64 },
    /// `chef` is not needed any more: terminate its worker.
    Dismiss { chef: usize },
}

/// What a chef worker says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "says", rename_all = "snake_case")]
pub enum ChefSays {
    /// Its wasm has loaded: it can cook.
    Ready,
    /// It has cooked what it was told; `ms` is how long that took, timed inside the worker.
    Cooked { ms: f64 },
    /// It holds the GIL and has reached the end of its hold (messages) or seen the drop
    /// request (shared memory): it waits for the next grant.
    Yielded,
}

/// What one chef is there for.
#[derive(Clone, Debug, PartialEq)]
enum Role {
    /// Hired before the run, not yet ready.
    Warming,
    /// Ready, waiting to be given a thread.
    Idle,
    /// Booting as the main thread of process `process`.
    BootingProcess {
        process: usize,
        thread: usize,
    },
    /// Booting for a thread (no warm chef was left).
    BootingThread {
        thread: usize,
    },
    /// Cooks for interpreter thread `thread` of process `process`.
    Serving {
        thread: usize,
        process: usize,
    },
    Gone,
}

/// The browser's executor: chefs, their threads, and a GIL per process.
pub struct Kitchen {
    gil_interval: Option<Nanos>,
    transport: Transport,
    roles: Vec<Role>,
    hired_at: Vec<Nanos>,
    /// Interpreter thread → its chef.
    chef_of: HashMap<usize, usize>,
    gils: Vec<Gil>,
    /// Per process: whether the holder has been asked to drop (shared memory).
    asked: Vec<bool>,
    /// How long each process's worker took to boot.
    boots: Vec<Nanos>,
}

/// What came of one step: effects for the JavaScript, reports for the driver (in order).
#[derive(Debug, Default, PartialEq)]
pub struct Outcome {
    pub effects: Vec<Effect>,
    pub reports: Vec<Report>,
}

impl Kitchen {
    /// A kitchen whose processes' threads take turns on a GIL with a switch interval of
    /// `gil_interval`, if given.
    pub fn new(gil_interval: Option<Nanos>, transport: Transport) -> Kitchen {
        Kitchen {
            gil_interval,
            transport,
            roles: Vec::new(),
            hired_at: Vec::new(),
            chef_of: HashMap::new(),
            gils: vec![Gil::default()],
            asked: vec![false],
            boots: Vec::new(),
        }
    }

    /// Chefs hired so far (workers started).
    pub fn hired(&self) -> usize {
        self.roles.len()
    }

    /// How long each process's worker took to boot, in the order they booted.
    pub fn boots(&self) -> &[Nanos] {
        &self.boots
    }

    /// Whether every chef hired before the run is ready.
    pub fn warm(&self) -> bool {
        !self.roles.contains(&Role::Warming)
    }

    fn hire(&mut self, role: Role, now: Nanos) -> Result<Effect, String> {
        if self.roles.len() >= MAX_CHEFS {
            return Err(format!(
                "the live kitchen stops at {MAX_CHEFS} Web Workers, and this program wants more"
            ));
        }
        self.roles.push(role);
        self.hired_at.push(now);
        Ok(Effect::Hire {
            chef: self.roles.len() - 1,
        })
    }

    /// Hires `count` chefs before the run, for the threads it will start.
    pub fn hire_warm(&mut self, count: usize, now: Nanos) -> Result<Vec<Effect>, String> {
        (0..count).map(|_| self.hire(Role::Warming, now)).collect()
    }

    /// A ready chef not serving anyone: `chef`, for a one-off job (the calibration).
    pub fn idle_chef(&self) -> Option<usize> {
        self.roles.iter().position(|r| *r == Role::Idle)
    }

    /// Gives the run's main thread (thread 0 of process 0) a warm chef.
    pub fn seat_main(&mut self) -> Result<(), String> {
        self.seat(0, 0).map(|_| ())
    }

    fn seat(&mut self, thread: usize, process: usize) -> Result<usize, String> {
        let chef = self
            .idle_chef()
            .ok_or_else(|| "no Web Worker is ready for the main thread".to_string())?;
        self.roles[chef] = Role::Serving { thread, process };
        self.chef_of.insert(thread, chef);
        Ok(chef)
    }

    fn chef(&self, thread: usize) -> Result<usize, String> {
        self.chef_of
            .get(&thread)
            .copied()
            .ok_or_else(|| format!("thread {thread} has no Web Worker"))
    }

    fn gil(&mut self, process: usize) -> &mut Gil {
        if self.gils.len() <= process {
            self.gils.resize_with(process + 1, Gil::default);
            self.asked.resize(process + 1, false);
        }
        &mut self.gils[process]
    }

    /// Carries out one command of the driver at `now`.
    pub fn carry_out(&mut self, command: Command, now: Nanos) -> Result<Outcome, String> {
        let mut out = Outcome::default();
        match command {
            Command::StartThread {
                thread, process, ..
            } => match self.idle_chef() {
                Some(chef) => {
                    self.roles[chef] = Role::Serving { thread, process };
                    self.chef_of.insert(thread, chef);
                    out.reports.push(Report::ThreadStarted { thread });
                }
                None => out
                    .effects
                    .push(self.hire(Role::BootingThread { thread }, now)?),
            },
            Command::StartProcess {
                process, thread, ..
            } => {
                self.gil(process);
                out.effects
                    .push(self.hire(Role::BootingProcess { process, thread }, now)?);
                // `new Worker()` has returned: the parent's share of the start is over.
                out.reports.push(Report::ProcessSpawned { process });
            }
            Command::Compute {
                thread,
                process,
                turns,
            } => self.compute(thread, process, turns, now, &mut out)?,
            Command::Sleep { thread, ns, .. } => out.effects.push(Effect::Sleep {
                thread,
                ms: ns as f64 / MILLI as f64,
            }),
            Command::EndThread { thread, .. } => {
                // Its worker stays warm for the next thread.
                if let Some(chef) = self.chef_of.remove(&thread) {
                    self.roles[chef] = Role::Idle;
                }
            }
            Command::EndProcess { process } => {
                let leaving: Vec<(usize, usize)> = self
                    .chef_of
                    .iter()
                    .filter(|(_, &c)| matches!(self.roles[c], Role::Serving { process: p, .. } if p == process))
                    .map(|(&t, &c)| (t, c))
                    .collect();
                for (thread, chef) in leaving {
                    self.chef_of.remove(&thread);
                    self.roles[chef] = Role::Gone;
                    out.effects.push(Effect::Dismiss { chef });
                }
                // `terminate()` ends a worker at once.
                out.reports.push(Report::ProcessExited { process });
            }
        }
        Ok(out)
    }

    fn compute(
        &mut self,
        thread: usize,
        process: usize,
        turns: u64,
        now: Nanos,
        out: &mut Outcome,
    ) -> Result<(), String> {
        let chef = self.chef(thread)?;
        let Some(interval) = self.gil_interval else {
            out.effects.push(Effect::Cook {
                chef,
                process,
                turns,
                slice: SLICE_TURNS,
                gil: false,
            });
            return Ok(());
        };
        out.effects.push(Effect::Cook {
            chef,
            process,
            turns,
            slice: SLICE_TURNS,
            gil: true,
        });
        if self.gil(process).request(thread, now, interval) {
            out.reports.push(Report::Gil {
                process,
                holder: Some(thread),
                dropped: false,
            });
            out.effects.push(self.grant(chef, process, now));
        } else {
            out.reports.push(Report::GilWait { thread });
        }
        Ok(())
    }

    /// The effect that hands `process`'s GIL to `chef`.
    fn grant(&mut self, chef: usize, process: usize, now: Nanos) -> Effect {
        self.asked[process] = false;
        let hold_ms = match self.transport {
            Transport::SharedMemory => None,
            Transport::Messages => {
                let interval = self.gil_interval.unwrap_or(5 * MILLI);
                let until = self.gils[process]
                    .drop_at()
                    .unwrap_or(now + interval)
                    .min(now + interval);
                Some(until.saturating_sub(now) as f64 / MILLI as f64)
            }
        };
        Effect::Grant {
            chef,
            process,
            hold_ms,
        }
    }

    /// What chef `chef` said at `now`.
    pub fn chef_said(
        &mut self,
        chef: usize,
        says: ChefSays,
        now: Nanos,
    ) -> Result<Outcome, String> {
        let role = self
            .roles
            .get(chef)
            .cloned()
            .ok_or_else(|| format!("Web Worker {chef} was never started"))?;
        let mut out = Outcome::default();
        match (says, role) {
            (ChefSays::Ready, Role::Warming) => self.roles[chef] = Role::Idle,
            (ChefSays::Ready, Role::BootingProcess { process, thread }) => {
                self.boots.push(now.saturating_sub(self.hired_at[chef]));
                self.roles[chef] = Role::Serving { thread, process };
                self.chef_of.insert(thread, chef);
                out.reports.push(Report::ProcessStarted { process });
            }
            (ChefSays::Ready, Role::BootingThread { thread }) => {
                let process = 0;
                self.roles[chef] = Role::Serving { thread, process };
                self.chef_of.insert(thread, chef);
                out.reports.push(Report::ThreadStarted { thread });
            }
            (ChefSays::Cooked { .. }, Role::Serving { thread, process }) => {
                if let Some(interval) = self.gil_interval {
                    if self.gil(process).holder() == Some(thread) {
                        let next = self.gils[process].release(now, interval);
                        out.reports.push(Report::Gil {
                            process,
                            holder: next,
                            dropped: false,
                        });
                        if let Some(next) = next {
                            let next_chef = self.chef(next)?;
                            out.effects.push(self.grant(next_chef, process, now));
                        }
                    }
                }
                out.reports.push(Report::Computed { thread });
            }
            (ChefSays::Yielded, Role::Serving { thread, process }) => {
                self.yielded(chef, thread, process, now, &mut out)?
            }
            (says, role) => {
                return Err(format!(
                    "Web Worker {chef} said {says:?} while {}",
                    describe(&role)
                ))
            }
        }
        Ok(out)
    }

    /// The holder reached a look at the GIL: it lets go if the drop request is due, and is
    /// granted the GIL again otherwise.
    fn yielded(
        &mut self,
        chef: usize,
        thread: usize,
        process: usize,
        now: Nanos,
        out: &mut Outcome,
    ) -> Result<(), String> {
        let interval = self
            .gil_interval
            .ok_or("a Web Worker yielded a GIL this run does not have")?;
        let gil = self.gil(process);
        if gil.holder() != Some(thread) {
            return Err(format!("thread {thread} yielded a GIL it does not hold"));
        }
        let due = gil.drop_at().is_some_and(|at| at <= now);
        match due.then(|| gil.force_switch(now, interval)).flatten() {
            Some((_, new)) => {
                out.reports.push(Report::Gil {
                    process,
                    holder: Some(new),
                    dropped: true,
                });
                let new_chef = self.chef(new)?;
                out.effects.push(self.grant(new_chef, process, now));
            }
            None => out.effects.push(self.grant(chef, process, now)),
        }
        Ok(())
    }

    /// Shared memory: when a drop request next falls due (the engine worker wakes then and
    /// calls [`Kitchen::tick`]).
    pub fn next_drop(&self) -> Option<Nanos> {
        if self.transport != Transport::SharedMemory {
            return None;
        }
        self.gils
            .iter()
            .zip(&self.asked)
            .filter(|(g, asked)| !**asked && g.holder().is_some())
            .filter_map(|(g, _)| g.drop_at())
            .min()
    }

    /// Shared memory: asks each holder whose drop request is due at `now` to let go.
    pub fn tick(&mut self, now: Nanos) -> Vec<Effect> {
        if self.transport != Transport::SharedMemory {
            return Vec::new();
        }
        let mut effects = Vec::new();
        for (process, gil) in self.gils.iter().enumerate() {
            let due = gil.holder().is_some() && gil.drop_at().is_some_and(|at| at <= now);
            if due && !self.asked[process] {
                self.asked[process] = true;
                effects.push(Effect::AskDrop { process });
            }
        }
        effects
    }

    /// Every chef still hired, to let go at the end of a run.
    pub fn dismiss_all(&mut self) -> Vec<Effect> {
        let mut effects = Vec::new();
        for (chef, role) in self.roles.iter_mut().enumerate() {
            if *role != Role::Gone {
                *role = Role::Gone;
                effects.push(Effect::Dismiss { chef });
            }
        }
        self.chef_of.clear();
        effects
    }
}

fn describe(role: &Role) -> String {
    match role {
        Role::Warming => "starting".into(),
        Role::Idle => "idle".into(),
        Role::BootingProcess { process, .. } => format!("booting as process {process}"),
        Role::BootingThread { thread } => format!("starting for thread {thread}"),
        Role::Serving { thread, .. } => format!("serving thread {thread}"),
        Role::Gone => "dismissed".into(),
    }
}

/// Milliseconds as the trace's seconds, for messages.
pub fn ms(ns: Nanos) -> f64 {
    to_secs(ns) * 1e3
}
