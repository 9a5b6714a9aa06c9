//! The browser's live kitchen (`kitchen::live::browser`), with a virtual engine worker: the
//! effects the run asks for are carried out here on a made-up clock (a worker boots in
//! 20 ms, a turn of the step takes 1 ns, every worker has a core of its own), as
//! `www/engine-worker.js` and `www/chef-worker.js` carry them out in Chromium. What the run
//! makes of it is checked exactly: the GIL is held by one thread of a process at a time and
//! passes every 5 ms under both transports; processes and GIL-less threads cook at once;
//! the figures compare the measured run with its prediction. `tests/e2e/live.test.js` runs
//! the same in a real browser.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use kitchen::core::clock::{Nanos, MILLI};
use kitchen::core::trace::{LaneKind, Source, State, Trace};
use kitchen::live::browser::figures::in_flight_s;
use kitchen::live::browser::kitchen::{ChefSays, Effect, Kitchen, Transport};
use kitchen::live::browser::{Browser, LiveRequest, LiveResult, LiveRun};
use kitchen::live::{Command, Report};

const BOOT: Nanos = 20 * MILLI;
/// Nanoseconds a turn of the step takes on the virtual machine.
const TURN: Nanos = 1;

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Event {
    Said(usize, String),
    Slept(usize),
    Timer,
}

/// A chef worker of the virtual browser: what it cooks and whether it holds the GIL.
#[derive(Default)]
struct Chef {
    /// Turns left, its process, whether it needs the GIL.
    cooking: Option<(u64, usize, bool)>,
    holds_until: Option<Nanos>,
    /// When its current stretch of cooking began (to count the turns done).
    since: Nanos,
    /// Shared memory: the holder was asked to drop.
    asked: bool,
    /// A pending "done or yielded" event's sequence number, to cancel a stale one.
    epoch: u64,
    /// When it was told to cook (its `ms` when done is timed from there, as in the worker).
    told: Nanos,
}

struct Virtual {
    now: Nanos,
    queue: BinaryHeap<Reverse<(Nanos, u64, Event)>>,
    seq: u64,
    chefs: HashMap<usize, Chef>,
    transport: Transport,
    timer_at: Option<Nanos>,
    /// Who held each process's GIL from when: (process, chef, from, to).
    holdings: Vec<(usize, usize, Nanos, Nanos)>,
}

impl Virtual {
    fn new(transport: Transport) -> Virtual {
        Virtual {
            now: 0,
            queue: BinaryHeap::new(),
            seq: 0,
            chefs: HashMap::new(),
            transport,
            timer_at: None,
            holdings: Vec::new(),
        }
    }

    fn at(&mut self, t: Nanos, e: Event) {
        self.seq += 1;
        self.queue.push(Reverse((t, self.seq, e)));
    }

    fn says(&mut self, t: Nanos, chef: usize, says: &ChefSays) {
        let text = serde_json::to_string(says).unwrap();
        self.at(t, Event::Said(chef, text));
    }

    /// Counts the turns chef `c` has cooked since its last stretch began (it cooks only while
    /// it holds the GIL, if it needs one).
    fn progress(&mut self, c: usize) {
        let now = self.now;
        let chef = self.chefs.get_mut(&c).unwrap();
        if let Some((left, p, gil)) = chef.cooking {
            if !gil || chef.holds_until.is_some() {
                let done = (now - chef.since) / TURN;
                chef.cooking = Some((left.saturating_sub(done), p, gil));
            }
        }
        chef.since = now;
    }

    /// Plans chef `c`'s next event: done, or (holding a GIL) its look at the end of its hold.
    fn plan(&mut self, c: usize) {
        let now = self.now;
        let chef = self.chefs.get_mut(&c).unwrap();
        let Some((left, _, gil)) = chef.cooking else {
            return;
        };
        chef.epoch += 1;
        let done = now + left * TURN;
        let stop = match (gil, chef.holds_until) {
            (false, _) => done,
            (true, None) => return, // waits for a grant
            (true, Some(until)) => done.min(until),
        };
        let epoch = chef.epoch;
        let text = if stop == done { "done" } else { "look" };
        self.at(stop, Event::Said(c, format!("#{epoch} {text}")));
    }

    fn carry_out(&mut self, effects: Vec<Effect>) {
        for e in effects {
            match e {
                Effect::Hire { chef } => {
                    self.chefs.insert(chef, Chef::default());
                    let t = self.now + BOOT;
                    self.says(t, chef, &ChefSays::Ready);
                }
                Effect::Cook {
                    chef,
                    process,
                    turns,
                    gil,
                    ..
                } => {
                    let now = self.now;
                    let c = self.chefs.get_mut(&chef).expect("cooks for a hired chef");
                    c.cooking = Some((turns, process, gil));
                    c.told = now;
                    self.plan(chef);
                }
                Effect::Grant {
                    chef,
                    process,
                    hold_ms,
                } => {
                    let until = match (self.transport, hold_ms) {
                        (Transport::Messages, Some(ms)) => self.now + (ms * 1e6) as Nanos,
                        (Transport::SharedMemory, None) => Nanos::MAX / 2,
                        other => panic!("a grant of {other:?}"),
                    };
                    let now = self.now;
                    self.holdings.push((process, chef, now, Nanos::MAX));
                    self.progress(chef);
                    let c = self.chefs.get_mut(&chef).unwrap();
                    c.holds_until = Some(until);
                    c.asked = false;
                    self.plan(chef);
                }
                Effect::AskDrop { process } => {
                    assert_eq!(self.transport, Transport::SharedMemory);
                    let now = self.now;
                    let holder = self.chefs.iter_mut().find(|(_, c)| {
                        c.holds_until.is_some() && c.cooking.is_some_and(|(_, p, _)| p == process)
                    });
                    if let Some(id) = holder.map(|(&id, _)| id) {
                        self.progress(id);
                        let c = self.chefs.get_mut(&id).unwrap();
                        c.holds_until = Some(now + 30 * 1000); // its next look, 30 µs on
                        c.asked = true;
                        self.plan(id);
                    }
                }
                Effect::Sleep { thread, ms } => {
                    let t = self.now + (ms * 1e6) as Nanos;
                    self.at(t, Event::Slept(thread));
                }
                Effect::Dismiss { chef } => {
                    self.chefs.remove(&chef);
                }
            }
        }
    }

    /// A chef's own event (done or a look at the GIL) becomes what it says.
    fn chef_event(&mut self, c: usize, text: &str) -> Option<ChefSays> {
        let now = self.now;
        let (epoch, what) = text.trim_start_matches('#').split_once(' ')?;
        if epoch.parse::<u64>().ok()? != self.chefs.get(&c)?.epoch {
            return None; // replanned since
        }
        self.progress(c);
        let chef = self.chefs.get_mut(&c)?;
        let (left, process, gil) = chef.cooking?;
        let says = if what == "done" {
            chef.cooking = None;
            ChefSays::Cooked {
                ms: (now - chef.told) as f64 / 1e6,
            }
        } else {
            chef.cooking = Some((left, process, gil));
            ChefSays::Yielded
        };
        let held = chef.holds_until.take().is_some();
        if gil && held {
            if let Some(h) = self
                .holdings
                .iter_mut()
                .rev()
                .find(|h| h.0 == process && h.1 == c)
            {
                h.3 = now;
            }
        }
        Some(says)
    }
}

fn request(scenario: &str, gil: bool) -> LiveRequest {
    LiveRequest {
        scenario: scenario.into(),
        gil,
    }
}

/// Runs `req` on the virtual browser with `cores` reported and `transport`; returns the result
/// and the GIL's holdings.
fn run(req: LiveRequest, transport: Transport) -> (LiveResult, Vec<(usize, usize, Nanos, Nanos)>) {
    let browser = Browser {
        hardware_concurrency: 2,
        isolated: transport == Transport::SharedMemory,
    };
    let mut v = Virtual::new(transport);
    let (mut live, first) = LiveRun::new(req, browser, 0).expect("a live run");
    v.carry_out(first);
    for _ in 0..2_000_000 {
        if let Some(result) = live.result() {
            return (result.clone(), v.holdings);
        }
        if let Some(t) = live.next_wake() {
            if v.timer_at != Some(t) {
                v.timer_at = Some(t);
                v.at(t, Event::Timer);
            }
        }
        let Reverse((t, _, event)) = v.queue.pop().expect("something is under way");
        v.now = v.now.max(t);
        let effects = match event {
            Event::Said(c, text) if text.starts_with('#') => match v.chef_event(c, &text) {
                Some(says) => live.chef_said(c, says, v.now),
                None => continue,
            },
            Event::Said(c, text) => {
                let says: ChefSays = serde_json::from_str(&text).unwrap();
                live.chef_said(c, says, v.now)
            }
            Event::Slept(thread) => live.slept(thread, v.now),
            Event::Timer => {
                if v.timer_at != Some(t) {
                    continue;
                }
                v.timer_at = None;
                live.timer(v.now)
            }
        };
        v.carry_out(effects.expect("the run goes on"));
    }
    panic!(
        "the run did not end: at {} ns, {} queued, timer {:?}",
        v.now,
        v.queue.len(),
        v.timer_at
    );
}

/// Spans (start, end) during which `lane` computed (ran or waited for the GIL in a step).
fn computing(trace: &Trace, kind: LaneKind, state: State) -> Vec<(f64, f64)> {
    trace
        .lanes
        .iter()
        .filter(|l| l.kind == kind)
        .flat_map(|l| l.spans.iter())
        .filter(|s| s.state == state && s.end_s - s.start_s > 0.01)
        .map(|s| (s.start_s, s.end_s))
        .collect()
}

fn overlap(spans: &[(f64, f64)]) -> bool {
    spans
        .iter()
        .enumerate()
        .any(|(i, a)| spans[i + 1..].iter().any(|b| a.0 < b.1 && b.0 < a.1))
}

#[test]
fn threads_with_a_gil_take_turns_every_switch_interval_over_shared_memory_and_messages() {
    for transport in [Transport::SharedMemory, Transport::Messages] {
        let (result, holdings) = run(request("threads", true), transport);
        let trace = &result.measured;
        assert_eq!(trace.source, Source::Browser);
        // One holder at a time: no two holdings of process 0's GIL overlap.
        let mut held: Vec<(Nanos, Nanos)> = holdings
            .iter()
            .filter(|h| h.0 == 0)
            .map(|h| (h.2, h.3))
            .collect();
        held.sort();
        assert!(
            held.len() > 100,
            "{transport:?}: the GIL passed {} times",
            held.len()
        );
        for pair in held.windows(2) {
            assert!(
                pair[0].1 <= pair[1].0,
                "{transport:?}: two holders at once: {pair:?}"
            );
        }
        // The six CPU steps (0.3 s each alone) take turns: about 1.8 s of computing, never
        // two at once.
        let running = computing(trace, LaneKind::Thread, State::Running);
        let turns: Vec<f64> = running.iter().map(|s| s.1 - s.0).collect();
        assert!(
            turns.iter().all(|d| *d < 0.0101),
            "{transport:?}: turns of at most 5 ms (+ a look): {turns:?}"
        );
        let f = &result.figures;
        assert!(
            (f.measured_speedup - 1.0).abs() < 0.05,
            "{transport:?}: {f:?}"
        );
        assert!(
            (f.predicted_speedup - 1.0).abs() < 0.05,
            "{transport:?}: {f:?}"
        );
        assert!(
            (f.measured_total_s - f.predicted_total_s).abs() < 0.1,
            "{transport:?}: {f:?}"
        );
        assert!(f.setting.gil);
        assert!(f.sentence().starts_with("predicted 1."), "{}", f.sentence());
    }
}

#[test]
fn without_a_gil_the_threads_cook_at_once() {
    let (result, holdings) = run(request("threads", false), Transport::SharedMemory);
    assert!(holdings.is_empty(), "no GIL to hold");
    let running = computing(&result.measured, LaneKind::Thread, State::Running);
    assert_eq!(
        running.len(),
        6,
        "six CPU steps, each one stretch: {running:?}"
    );
    assert!(overlap(&running));
    let f = &result.figures;
    // Every worker has a core of its own here: the six steps at once.
    assert!(f.measured_speedup > 5.0, "{f:?}");
    assert!(f.sentence().contains("no GIL"), "{}", f.sentence());
}

#[test]
fn processes_are_fresh_workers_whose_start_is_measured_and_that_cook_side_by_side() {
    let (result, _) = run(request("processes", true), Transport::Messages);
    let trace = &result.measured;
    let processes = trace
        .lanes
        .iter()
        .filter(|l| l.kind == LaneKind::Process)
        .count();
    assert_eq!(processes, 9);
    let running = computing(trace, LaneKind::Process, State::Running);
    assert!(overlap(&running), "{running:?}");
    let f = &result.figures;
    assert!((f.setting.worker_start_ms - 20.0).abs() < 0.01, "{f:?}");
    // One worker for the main thread, one per process.
    assert_eq!(f.setting.workers, 10);
    assert!(f.measured_speedup > 5.0, "{f:?}");
    // The prediction runs the same six steps on hardwareConcurrency = 2 cores.
    assert!((f.predicted_speedup - 2.0).abs() < 0.1, "{f:?}");
}

#[test]
fn the_prediction_is_the_same_program_at_the_same_size() {
    let (result, _) = run(request("asyncio-blocking", true), Transport::Messages);
    let f = &result.figures;
    // One chef: boil 0.6 s, then six steps of 0.3 s one after another.
    assert!((f.predicted_total_s - 2.4).abs() < 0.01, "{f:?}");
    assert!((f.measured_total_s - 2.4).abs() < 0.01, "{f:?}");
    assert!((f.measured_speedup - 1.0).abs() < 0.01, "{f:?}");
    assert_eq!(f.setting.step_turns, 300_000_000);
    assert!(result
        .measured
        .notes
        .iter()
        .any(|n| n.contains("navigator.hardwareConcurrency = 2")));
    assert!(in_flight_s(&result.measured) > 1.7);
}

#[test]
fn scenarios_without_cpu_work_and_unknown_ones_are_refused_with_a_reason() {
    let browser = Browser {
        hardware_concurrency: 2,
        isolated: false,
    };
    let err = LiveRun::new(request("thousand-threads", true), browser, 0)
        .err()
        .unwrap();
    assert!(err.contains("no CPU work"), "{err}");
    let err = LiveRun::new(request("pizza", true), browser, 0)
        .err()
        .unwrap();
    assert!(err.contains("unknown scenario"), "{err}");
}

#[test]
fn the_kitchen_refuses_more_workers_than_its_limit_and_reports_out_of_turn_messages() {
    let mut k = Kitchen::new(None, Transport::Messages);
    assert!(k.hire_warm(33, 0).is_err());
    let mut k = Kitchen::new(Some(5 * MILLI), Transport::Messages);
    k.hire_warm(1, 0).unwrap();
    let err = k.chef_said(0, ChefSays::Yielded, 0).unwrap_err();
    assert!(err.contains("said Yielded while starting"), "{err}");
    let err = k.chef_said(7, ChefSays::Ready, 0).unwrap_err();
    assert!(err.contains("never started"), "{err}");
    k.chef_said(0, ChefSays::Ready, 0).unwrap();
    let err = k
        .carry_out(
            Command::Compute {
                thread: 3,
                process: 0,
                turns: 10,
            },
            0,
        )
        .unwrap_err();
    assert!(err.contains("thread 3 has no Web Worker"), "{err}");
    // A thread start is a hand-over to the warm worker.
    let out = k
        .carry_out(
            Command::StartThread {
                thread: 1,
                process: 0,
                name: "t".into(),
            },
            0,
        )
        .unwrap();
    assert_eq!(out.reports, vec![Report::ThreadStarted { thread: 1 }]);
}

#[test]
fn every_lesson_with_cpu_work_cooks_live_to_its_end() {
    use kitchen::scenarios::SCENARIOS;
    for s in SCENARIOS
        .iter()
        .filter(|s| kitchen::engine::protocol::live_cookable(s))
    {
        for transport in [Transport::SharedMemory, Transport::Messages] {
            let (result, _) = run(request(s.id, true), transport);
            let f = &result.figures;
            assert!(
                f.measured_total_s > 0.0 && f.predicted_total_s > 0.0,
                "{} {transport:?}: {f:?}",
                s.id
            );
            assert_eq!(result.measured.source, Source::Browser, "{}", s.id);
        }
    }
}
