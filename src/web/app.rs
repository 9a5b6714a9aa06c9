//! The page's top component. It owns a trace and a [`Playback`], and maps each message onto
//! a call of those models; drawing is [`super::timeline`]'s and [`super::code_panel`]'s job,
//! scheduling the core's, running a pasted program [`super::runner`]'s.

use std::rc::Rc;

use gloo_timers::callback::Interval;
use yew::prelude::*;

use crate::core::profile::Profile;
use crate::core::summary::Summary;
use crate::core::trace::Trace;
use crate::page::code_view;
use crate::page::playback::Playback;
use crate::scenarios::{self, Scenario, Size, SCENARIOS};

use super::code_panel::{CodePanel, RunState, Share};
use super::runner;
use super::timeline;
use super::url::{self, Params};
use super::worker::{self, Measured};

/// Timer period while playing.
const TICK_MS: u32 = 40;
/// Speeds offered in the picker.
const SPEEDS: [f64; 6] = [0.25, 0.5, 1.0, 2.0, 4.0, 16.0];

pub enum Msg {
    Pick(String),
    TogglePlay,
    Speed(String),
    Tick,
    SkipToEnd,
    Rewind,
    TimeWorker,
    Timed(Result<Measured, String>),
    /// The code panel asks to run a program: show "running…", then [`Msg::Execute`] it.
    Run(String),
    /// Run the program now (the page has painted "running…"); `play` starts playback after.
    Execute {
        source: AttrValue,
        play: bool,
    },
    /// Leave a program's run and show the picked scenario again.
    BackToScenario,
}

/// What the shown trace is a run of.
#[derive(Clone, Copy, PartialEq)]
enum Origin {
    Scenario,
    /// A program from the code panel or the URL.
    Program,
}

pub struct App {
    scenario: &'static Scenario,
    cores: u32,
    trace: Result<Rc<Trace>, String>,
    origin: Origin,
    /// The code panel's program run: idle, running, or failed (with the previous trace kept).
    run: RunState,
    share: Share,
    playback: Playback,
    /// Runs while playing; dropping it stops the timer.
    ticker: Option<Interval>,
    last_tick_ms: f64,
    notes: Vec<String>,
    worker: WorkerRun,
}

enum WorkerRun {
    NotYet,
    Running,
    Done(Measured),
    Failed(String),
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let params = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .map(|q| url::parse(&q))
            .unwrap_or_default();
        let Params {
            scenario,
            cores,
            speed,
            autoplay,
            code,
            notes,
        } = params;
        let scenario = scenarios::find(scenario).unwrap_or(&SCENARIOS[0]);
        let mut app = App {
            scenario,
            cores,
            trace: Err(String::new()),
            origin: Origin::Scenario,
            run: RunState::Idle,
            share: Share::None,
            playback: Playback::new(0.0),
            ticker: None,
            last_tick_ms: 0.0,
            notes,
            worker: WorkerRun::NotYet,
        };
        app.load(scenario);
        app.playback.set_speed(speed);
        match code {
            // The scenario stays loaded underneath, shown if the program fails.
            Some(source) => app.start_run(ctx, source.into(), autoplay),
            None if autoplay => {
                app.playback.toggle();
                app.sync_ticker(ctx);
            }
            None => {}
        }
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Pick(id) => {
                if let Ok(s) = scenarios::find(&id) {
                    self.load(s);
                    url::remember("scenario", Some(s.id));
                    url::remember("code", None);
                }
            }
            Msg::TogglePlay => self.playback.toggle(),
            Msg::Speed(text) => {
                if let Ok(speed) = text.parse::<f64>() {
                    self.playback.set_speed(speed);
                }
            }
            Msg::Tick => {
                let now = now_ms();
                self.playback.tick((now - self.last_tick_ms) / 1000.0);
            }
            Msg::SkipToEnd => self.playback.skip_to_end(),
            Msg::Rewind => self.playback.seek_fraction(0.0),
            Msg::TimeWorker => {
                self.worker = WorkerRun::Running;
                let n = Size::default().cpu_iterations as u32;
                ctx.link()
                    .send_future(async move { Msg::Timed(worker::time_cpu_step(n).await) });
            }
            Msg::Timed(result) => {
                self.worker = match result {
                    Ok(m) => WorkerRun::Done(m),
                    Err(e) => WorkerRun::Failed(e),
                }
            }
            Msg::Run(source) => self.start_run(ctx, source.into(), true),
            Msg::Execute { source, play } => self.execute(source, play),
            Msg::BackToScenario => {
                self.load(self.scenario);
                url::remember("code", None);
            }
        }
        self.sync_ticker(ctx);
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let on_pick = link.callback(|e: Event| Msg::Pick(select_value(&e)));
        let on_speed = link.callback(|e: Event| Msg::Speed(select_value(&e)));
        let play_label = if self.playback.playing {
            "Pause"
        } else if self.playback.finished() {
            "Replay"
        } else {
            "Play"
        };
        html! {
            <main class="kitchen">
                <header>
                    <h1>{ "Concurrency Kitchen" }</h1>
                    <p class="tagline">{ "How Python really runs concurrent code: asyncio, threads and processes, cooking pasta." }</p>
                </header>
                { for self.notes.iter().map(|n| html! { <p class="note">{ n }</p> }) }
                <section class="controls">
                    <label>{ "Scenario " }
                        <select id="scenario" onchange={on_pick}>
                            { for SCENARIOS.iter().map(|s| html! {
                                <option value={s.id} selected={s.id == self.scenario.id}>{ s.title }</option>
                            }) }
                        </select>
                    </label>
                    <button id="play" onclick={link.callback(|_| Msg::TogglePlay)}>{ play_label }</button>
                    <button id="rewind" onclick={link.callback(|_| Msg::Rewind)}>{ "« Start" }</button>
                    <button id="end" onclick={link.callback(|_| Msg::SkipToEnd)}>{ "End »" }</button>
                    <label>{ "Speed " }
                        <select id="speed" onchange={on_speed}>
                            { for SPEEDS.iter().map(|&s| html! {
                                <option value={s.to_string()} selected={s == self.playback.speed}>{ format!("{s}×") }</option>
                            }) }
                        </select>
                    </label>
                </section>
                { self.view_summary(ctx) }
                <section class="stage">
                    <div class="run">{ self.view_run() }</div>
                    { self.view_code(ctx) }
                </section>
                { self.view_printed() }
                { self.view_worker(ctx) }
            </main>
        }
    }
}

impl App {
    /// Simulates `scenario` and rewinds the player. A failed simulation shows its message.
    fn load(&mut self, scenario: &'static Scenario) {
        self.scenario = scenario;
        self.origin = Origin::Scenario;
        self.run = RunState::Idle;
        self.share = Share::None;
        let profile = Profile {
            cores: self.cores,
            ..Profile::default()
        };
        self.trace = scenario
            .simulate(profile)
            .map(Rc::new)
            .map_err(|e| e.to_string());
        self.rewind();
    }

    /// A stopped player at the start of the current trace, at the speed picked.
    fn rewind(&mut self) {
        let speed = self.playback.speed;
        self.playback = Playback::new(self.trace.as_ref().map(|t| t.makespan_s).unwrap_or(0.0));
        self.playback.set_speed(speed);
    }

    /// Shows "running…" for `source` and runs it once that is on screen.
    fn start_run(&mut self, ctx: &Context<Self>, source: AttrValue, play: bool) {
        self.run = RunState::Running(source.clone());
        let link = ctx.link().clone();
        runner::after_repaint(move || link.send_message(Msg::Execute { source, play }));
    }

    /// Runs a program. Success replaces the trace and restarts playback; failure keeps the
    /// previous trace and shows the error at its line. Either way the address carries the
    /// program (when short enough), so the link reproduces what the reader sees.
    fn execute(&mut self, source: AttrValue, play: bool) {
        // A scenario picked while the run was waiting for its repaint wins over the run.
        if self.run != RunState::Running(source.clone()) {
            return;
        }
        match runner::run(&source, self.cores) {
            Ok(trace) => {
                self.trace = Ok(Rc::new(trace));
                self.origin = Origin::Program;
                self.run = RunState::Idle;
                self.rewind();
                if play {
                    self.playback.toggle();
                }
            }
            Err(error) => self.run = RunState::Failed(source.clone(), error),
        }
        self.share = match code_view::shareable(&source) {
            Ok(()) => {
                url::remember("code", Some(&source));
                url::current_address().map_or(Share::None, |a| Share::Link(a.into()))
            }
            Err(why) => {
                url::remember("code", None);
                Share::TooLong(why.into())
            }
        };
    }

    /// Keeps a timer running exactly while playing.
    fn sync_ticker(&mut self, ctx: &Context<Self>) {
        if self.playback.playing && self.ticker.is_none() {
            let link = ctx.link().clone();
            self.ticker = Some(Interval::new(TICK_MS, move || link.send_message(Msg::Tick)));
        } else if !self.playback.playing {
            self.ticker = None;
        }
        self.last_tick_ms = now_ms();
    }

    /// What is shown: the scenario's one-line summary, or a way back to it from a program.
    fn view_summary(&self, ctx: &Context<Self>) -> Html {
        match self.origin {
            Origin::Scenario => html! { <p class="summary-line">{ self.scenario.summary }</p> },
            Origin::Program => html! {
                <p class="summary-line">
                    { format!("Your program, on a simulated machine with {} cores. ", self.cores) }
                    <button id="back-to-scenario" onclick={ctx.link().callback(|_| Msg::BackToScenario)}>
                        { format!("Back to “{}”", self.scenario.title) }
                    </button>
                </p>
            },
        }
    }

    fn view_code(&self, ctx: &Context<Self>) -> Html {
        let trace = self.trace.as_ref().ok();
        let code = trace.and_then(|t| t.code.clone()).map(AttrValue::from);
        let active = trace
            .filter(|t| t.code.is_some())
            .map(|t| code_view::active_lines(t, self.playback.now_s))
            .unwrap_or_default();
        html! {
            <CodePanel {code} {active} run={self.run.clone()} share={self.share.clone()}
                       on_run={ctx.link().callback(Msg::Run)} />
        }
    }

    fn view_run(&self) -> Html {
        let trace = match &self.trace {
            Ok(t) => t,
            Err(e) => return html! { <p class="error">{ e }</p> },
        };
        let now = self.playback.now_s;
        html! {
            <>
                <p class="clock" id="clock">{ format!("t = {now:.3} s of {:.3} s", trace.makespan_s) }</p>
                { timeline::view(trace, now) }
                <ul class="legend">
                    { for timeline::LEGEND.iter().map(|&s| html! {
                        <li><span class={classes!("swatch", timeline::state_class(s))}></span>{ timeline::state_name(s) }</li>
                    }) }
                </ul>
                { self.view_result(trace) }
            </>
        }
    }

    /// What the program printed up to the playback time.
    fn view_printed(&self) -> Html {
        let Ok(trace) = &self.trace else {
            return html! {};
        };
        let now = self.playback.now_s;
        let printed = trace.prints.iter().filter(|p| p.t_s <= now);
        html! {
            <section class="printed">
                <h2>{ "Printed" }</h2>
                <pre id="printed">{ for printed.map(|p| format!("{:>9.3} s  {}\n", p.t_s, p.text)) }</pre>
            </section>
        }
    }

    /// Total time and CPU-busy share, shown once the run has played to the end.
    fn view_result(&self, trace: &Trace) -> Html {
        if !self.playback.finished() {
            return html! {};
        }
        let s = Summary::of(trace);
        html! {
            <p class="result" id="result">
                { format!(
                    "Total time {:.3} s · CPU busy {:.1} % of {} cores · peak memory {:.1} MiB",
                    s.makespan_s,
                    s.cpu_busy_share * 100.0,
                    trace.profile.cores,
                    s.peak_memory_bytes as f64 / (1u64 << 20) as f64
                ) }
            </p>
        }
    }

    fn view_worker(&self, ctx: &Context<Self>) -> Html {
        let n = Size::default().cpu_iterations;
        let cpython_ms = Profile::default().loop_iteration_s * n as f64 * 1e3;
        let status = match &self.worker {
            WorkerRun::NotYet => html! {},
            WorkerRun::Running => {
                html! { <p id="worker-result">{ "Working in a Web Worker…" }</p> }
            }
            WorkerRun::Done(m) => html! {
                <p id="worker-result">{ format!(
                    "sum(i * i for i in range({})) = {} took {:.1} ms in wasm in a Web Worker (CPython: about {:.0} ms).",
                    m.n, m.result, m.ms, cpython_ms
                ) }</p>
            },
            WorkerRun::Failed(e) => html! { <p id="worker-result" class="error">{ e }</p> },
        };
        let busy = matches!(self.worker, WorkerRun::Running);
        html! {
            <section class="worker">
                <h2>{ "The real work" }</h2>
                <p>{ "The animation is a simulation. This runs one real CPU step in a Web Worker, a browser thread beside the page, and times it." }</p>
                <button id="time-worker" disabled={busy} onclick={ctx.link().callback(|_| Msg::TimeWorker)}>
                    { "Time the CPU step in a Web Worker" }
                </button>
                { status }
            </section>
        }
    }
}

fn select_value(e: &Event) -> String {
    e.target_dyn_into::<web_sys::HtmlSelectElement>()
        .map(|s| s.value())
        .unwrap_or_default()
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}
