//! The scene's captions: what each station says in words beside its shapes. Made here, from
//! the scene's data, so the drawing only places them and the tests can read them.

use crate::core::trace::{LaneKind, State, WaitOn};

use super::super::narration::duration;
use super::super::palette::short_name;
use super::{
    Chef, Costs, Crowd, Kitchen, KitchenCrowd, KitchenPhase, LoopDoing, LoopScene, Machine, Memory,
    Pot, Stove, Tally,
};

impl LoopScene {
    /// What the loop's chef does now, in one line.
    pub fn headline(&self) -> String {
        match &self.doing {
            LoopDoing::NotStarted => "The event loop has not started yet.".into(),
            LoopDoing::Finished => "The event loop has finished: asyncio.run() returned.".into(),
            LoopDoing::Step {
                task,
                work,
                line,
                for_s,
            } => {
                let at = line.map_or_else(String::new, |n| format!(" at line {n}"));
                let work = if work.is_empty() {
                    "its code".to_string()
                } else {
                    work.clone()
                };
                format!(
                    "Runs a step of {}: {work}{at}, for {} so far.",
                    task.name,
                    duration(*for_s)
                )
            }
            LoopDoing::OwnCode { .. } => {
                "Runs its own code: picks the next ready task, checks the timers.".into()
            }
            LoopDoing::Waiting {
                next_timer_s: Some(s),
            } => {
                format!(
                    "Nothing is ready: waits for the next timer, due in {}.",
                    duration(*s)
                )
            }
            LoopDoing::Waiting { next_timer_s: None } => {
                "Nothing is ready: waits for a helper thread to hand back a result.".into()
            }
            LoopDoing::WaitingGil { holder } => format!(
                "Wants to run, but {} holds the GIL: the loop waits its turn at the stove.",
                holder
                    .as_ref()
                    .map_or("another thread", |h| h.name.as_str())
            ),
            LoopDoing::Other { state, what } => match (state, what.strip_prefix("start ")) {
                (State::Spawning, Some(name)) => format!("Starts the helper thread {name}."),
                _ if what.is_empty() => format!("Is {}.", short_name(*state)),
                _ => format!("Is {}: {what}.", short_name(*state)),
            },
        }
    }

    /// The frozen loop's warning, when a step has run longer than 100 ms.
    pub fn frozen_text(&self) -> Option<String> {
        let f = self.frozen.as_ref()?;
        let at = f.line.map_or_else(String::new, |n| format!(", line {n}"));
        Some(format!(
            "Frozen for {}: {} has not reached an await. It is in the plain call {}{at}, so no other task can run and no timer is noticed until it returns.",
            duration(f.for_s),
            f.task.name,
            if f.work.is_empty() { "of its step" } else { f.work.as_str() },
        ))
    }
}

impl Pot {
    /// `12.3 s left`, or how long ago the timer rang while the task still waits for the loop.
    pub fn timer_text(&self) -> String {
        if self.left_s > 0.0 {
            format!("{} left", duration(self.left_s))
        } else {
            format!(
                "timer rang {} ago: waits for the loop",
                duration(-self.left_s)
            )
        }
    }
}

impl Stove {
    /// Who holds the GIL and for how long, at `t_s`.
    pub fn holder_text(&self, t_s: f64) -> String {
        match &self.holder {
            Some(_) => format!("holds it, for {} so far", duration(t_s - self.held_since_s)),
            None => "Free: nobody runs Python in this kitchen now.".into(),
        }
    }

    /// What the stove means for the kitchen now: one chef cooks Python, the others wait.
    pub fn summary(&self) -> Option<String> {
        let cooks = self.holder.as_ref()?;
        Some(match self.queue_len {
            0 => format!("Only {} runs Python now; nobody waits for the GIL.", cooks.name),
            n => format!(
                "Only {} runs Python; {} wait for their turn. CPU work here takes turns: never two at once, whatever the cores.",
                cooks.name,
                super::plural(n, "chef")
            ),
        })
    }

    /// The coming switch request, at `t_s`.
    pub fn request_text(&self, t_s: f64) -> Option<String> {
        let r = self.request.as_ref()?;
        let holder = self.holder.as_ref()?;
        let left = r.at_s - t_s;
        Some(if left > 1e-12 {
            format!(
                "{} asks {} to drop the GIL in {} (after the 5 ms switch interval)",
                r.by.name,
                holder.name,
                duration(left)
            )
        } else {
            format!("{} has asked {} to drop the GIL", r.by.name, holder.name)
        })
    }
}

impl Chef {
    /// What the chef does, in a few words.
    pub fn doing_text(&self) -> String {
        let Some(state) = self.state else {
            return match self.life {
                super::super::replay::Life::NotYet => "not started yet".into(),
                _ => "done".into(),
            };
        };
        let work = self.work.as_str();
        match state {
            State::Running if work.is_empty() => "runs Python".into(),
            State::Running => format!("runs {work}"),
            State::Spawning => match work {
                "process boot" => "boots its new process".into(),
                "process exit" => "ends its process".into(),
                _ => work
                    .strip_prefix("start ")
                    .map_or_else(|| format!("starts {work}"), |w| format!("starts {w}")),
            },
            State::WaitingGil => match self.queue_place {
                Some(p) => format!("queues for the GIL (#{p})"),
                None => "queues for the GIL".into(),
            },
            State::WaitingCore => "waits for a free core".into(),
            State::Sleeping => match self.left_s {
                Some(left) => format!("asleep, {} left", duration(left.max(0.0))),
                None => "asleep".into(),
            },
            State::Blocked => "blocked".into(),
            State::Idle => "idle: the event loop waits for an event".into(),
            State::Ready => "ready".into(),
            State::Awaiting => "parked in await".into(),
        }
    }

    /// What it waits for and who will end the wait, if it waits.
    pub fn wait_text(&self) -> Option<String> {
        let w = self.wait.as_ref()?;
        let by = self.waker.as_ref().map(|b| b.name.as_str());
        Some(match (w.on, by) {
            (WaitOn::Gil, Some(b)) => format!("waits for the GIL, held by {b}"),
            (WaitOn::Gil, None) => "waits for the GIL".into(),
            (WaitOn::Core, _) => "every core is busy".into(),
            (WaitOn::Thread | WaitOn::Process, Some(b))
                if w.what.starts_with("join") || w.what.ends_with(".join()") =>
            {
                format!("waits until {b} ends (join)")
            }
            (_, Some(b)) => format!("waits for {}: {b} will end it", w.what),
            (_, None) => format!("waits for {}", w.what),
        })
    }

    /// `thread`, `helper thread`, `process`…
    pub fn kind_text(&self) -> &'static str {
        match self.kind {
            LaneKind::Main => "main thread",
            LaneKind::Thread => "thread",
            LaneKind::PoolWorker => "helper thread",
            LaneKind::Process => "main thread of its process",
            LaneKind::Task => "task",
            LaneKind::Worker => "worker",
        }
    }
}

impl Crowd {
    /// `987 more chefs: 985 asleep, 2 not started; the next wakes in 0.2 s`.
    pub fn text(&self, noun: &str) -> String {
        let parts: Vec<String> = self
            .counts
            .iter()
            .map(|(t, n)| format!("{n} {}", super::tally_name(*t)))
            .collect();
        let next = self.next_timer_s.map_or_else(String::new, |s| {
            if s >= 0.0 {
                format!("; the next timer rings in {}", duration(s))
            } else {
                format!("; a timer rang {} ago", duration(-s))
            }
        });
        format!("{} {noun}: {}{next}", self.total, parts.join(", "))
    }

    /// How many are in `tally`.
    pub fn count(&self, tally: Tally) -> usize {
        self.counts
            .iter()
            .find(|(t, _)| *t == tally)
            .map_or(0, |(_, n)| *n)
    }
}

impl KitchenCrowd {
    /// `990 more kitchens: 580 cooking, 1 being built, 409 not started`.
    pub fn text(&self) -> String {
        let parts: Vec<String> = [
            (self.cooking, "cooking"),
            (self.building, "being built"),
            (self.tearing_down, "being torn down"),
            (self.not_yet, "not started"),
            (self.closed, "closed"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        format!("{} more kitchens: {}", self.total, parts.join(", "))
    }
}

impl Kitchen {
    /// The kitchen's phase in words.
    pub fn phase_text(&self, t_s: f64) -> String {
        match self.phase {
            KitchenPhase::NotYet => "not started".into(),
            KitchenPhase::Building { since_s, until_s } => format!(
                "being built: {} of {}",
                duration(t_s - since_s),
                duration(until_s - since_s)
            ),
            KitchenPhase::Cooking => "cooking".into(),
            KitchenPhase::TearingDown { since_s, until_s } => format!(
                "being torn down: {} of {}",
                duration(t_s - since_s),
                duration(until_s - since_s)
            ),
            KitchenPhase::Closed => "closed".into(),
        }
    }
}

impl Machine {
    /// `1 of 4 cores busy`.
    pub fn text(&self) -> String {
        format!("{} of {} cores busy", self.busy, self.total)
    }
}

impl Memory {
    pub fn text(&self) -> String {
        let per = self.per_process_bytes.map_or_else(String::new, |b| {
            format!(" · each extra process {}", megabytes(b))
        });
        format!(
            "{} now · peak so far {} · whole run {}{per}",
            megabytes(self.now_bytes),
            megabytes(self.peak_so_far_bytes),
            megabytes(self.peak_bytes)
        )
    }
}

impl Costs {
    /// What starting chefs has cost so far, or `None` before any was started.
    pub fn text(&self) -> Option<String> {
        let mut started = Vec::new();
        if self.threads_started > 0 {
            started.push(plural(self.threads_started, "thread"));
        }
        if self.processes_started > 0 {
            started.push(plural(self.processes_started, "process"));
        }
        if started.is_empty() {
            return None;
        }
        let rest = self.spawning_s - self.starting_s;
        Some(format!(
            "{} started; {} spent in start() so far{}",
            started.join(" and "),
            duration(self.starting_s),
            if rest > 1e-9 {
                format!(
                    ", and {} of CPU booting and ending processes",
                    duration(rest)
                )
            } else {
                String::new()
            }
        ))
    }
}

/// `1 thread`, `9 processes`.
pub fn plural(n: usize, noun: &str) -> String {
    match (n, noun) {
        (1, _) => format!("1 {noun}"),
        (_, "process") => format!("{n} processes"),
        _ => format!("{n} {noun}s"),
    }
}

/// Bytes as `13.8 MB` or `1.65 GB` (decimal units, as the profile's figures are).
pub fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / 1e6;
    if mb >= 1000.0 {
        format!("{:.2} GB", mb / 1000.0)
    } else {
        format!("{mb:.1} MB")
    }
}
