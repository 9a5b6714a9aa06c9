//! The page's top component. It owns the shown [`Replay`] and a [`Playback`], and maps each
//! message (a click, a key, an animation frame, an engine answer) onto a call of those models.
//! Drawing is the job of [`super::scene`], [`super::timeline`], [`super::transport`],
//! [`super::narration`] and [`super::code_panel`]; every engine request goes through
//! [`super::engine`].

use std::rc::Rc;

use yew::prelude::*;

use crate::core::summary::Summary;
use crate::core::trace::Trace;
use crate::lessons::{Explained, Stop};
use crate::page::code_view;
use crate::page::keys::Command;
use crate::page::palette::{state_name, STATES};
use crate::page::playback::{self, Playback};
use crate::page::quiz::Quiz;
use crate::page::replay::Replay;
use crate::page::scene::Scene;
use crate::page::steps;
use crate::page::timeline::Axis;
use crate::page::views::{self, Address, View};
use crate::python::PyError;
use crate::scenarios::{self, Scenario, SCENARIOS};

use super::code_panel::{CodePanel, RunState, Share};
use super::engine;
use super::engine_status::EngineStatus;
use super::frames::FrameLoop;
use super::keyboard::KeyListener;
use super::live::LiveKitchen;
use super::patterns::swatch;
use super::timeline::Timeline;
use super::trace_files::TraceFiles;
use super::url::{self, Params};
use super::{course_nav, embed, lesson_panel, narration, predict_panel, scene, transport};

pub enum Msg {
    Pick(String),
    /// A scenario's trace (or why there is none) from the engine; `generation` tells a stale
    /// answer (another scenario was picked meanwhile) from the current one.
    Loaded {
        generation: u64,
        result: Result<Trace, String>,
        play: bool,
        at: Option<f64>,
    },
    TogglePlay,
    SetSpeed(f64),
    Frame(f64),
    Seek(f64),
    StepNext,
    StepPrev,
    Start,
    End,
    Key(Command),
    Fold(bool),
    ToggleLog,
    /// A trace from a file the reader opened (checked by the engine), or a live run's.
    Opened(Trace),
    /// The code panel asks to run a program.
    Run(String),
    Ran {
        source: AttrValue,
        result: Result<Trace, PyError>,
        play: bool,
    },
    /// Leave a program's run and show the picked scenario again.
    BackToScenario,
    /// Go to a stop of the course: a lesson, the comparison, the guide.
    GoTo(Stop),
    /// The learner answers, locks in, skips or asks for the answers (`#predict`).
    Quiz(predict_panel::QuizMsg),
}

/// What the shown trace is a run of.
#[derive(Clone, Copy, PartialEq)]
pub enum Origin {
    Scenario,
    /// A program from the code panel or the URL.
    Program,
    /// A trace from elsewhere: a file the reader opened, or the live kitchen's measured run.
    Trace,
}

pub struct App {
    pub(super) scenario: &'static Scenario,
    cores: u32,
    pub(super) origin: Origin,
    pub(super) replay: Option<Rc<Replay>>,
    load_error: Option<String>,
    pub(super) loading: bool,
    generation: u64,
    pub(super) axis: Rc<Axis>,
    pub(super) fold: bool,
    run: RunState,
    share: Share,
    pub(super) playback: Playback,
    frames: Option<FrameLoop>,
    last_frame_ms: Option<f64>,
    pub(super) notes: Vec<String>,
    pub(super) log: Option<Rc<Vec<crate::page::narration::LogLine>>>,
    _keys: Option<KeyListener>,
    /// What the address asks of the views: which one, presenter mode or embedding, the
    /// comparison's workload.
    pub(super) address: Address,
    pub(super) view: View,
    /// The view, for the keyboard listener (which decides at once whether it takes a key).
    pub(super) shown: Rc<std::cell::Cell<View>>,
    /// What the shown lesson says about its run (or why it cannot say it).
    pub(super) explained: Option<Result<Explained, String>>,
    /// The lesson's questions before it plays.
    pub(super) quiz: Option<Quiz>,
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
            t,
            fold,
            code,
            mut notes,
        } = params;
        let address = super::classroom::address();
        notes.extend(address.notes.iter().cloned());
        let reduced = reduced_motion();
        if autoplay && reduced {
            notes.push("autoplay is off because your system asks for reduced motion: press Play (or Space) to start".into());
        }
        let play = autoplay && !reduced;
        let scenario = scenarios::find(scenario).unwrap_or(&SCENARIOS[0]);
        let link = ctx.link().clone();
        let shown = Rc::new(std::cell::Cell::new(address.view));
        let keys = {
            let shown = shown.clone();
            KeyListener::start(move |c| {
                let course = matches!(c, Command::NextLesson | Command::PreviousLesson);
                let taken = course || shown.get() == View::Lesson;
                if taken {
                    link.send_message(Msg::Key(c));
                }
                taken
            })
        };
        let mut app = App {
            scenario,
            cores,
            origin: Origin::Scenario,
            replay: None,
            load_error: None,
            loading: false,
            generation: 0,
            axis: Rc::new(Axis::linear(1.0)),
            fold,
            run: RunState::Idle,
            share: Share::None,
            playback: Playback::new(0.0),
            frames: None,
            last_frame_ms: None,
            notes,
            log: None,
            _keys: keys,
            shown,
            view: address.view,
            address,
            explained: None,
            quiz: None,
        };
        app.playback.set_speed(speed);
        embed::report_on_resize();
        if app.view != View::Lesson {
            return app;
        }
        app.load(ctx, scenario, play && code.is_none(), t);
        if let Some(source) = code {
            // The scenario stays loaded underneath, shown if the program fails.
            app.start_run(ctx, source.into(), play);
        }
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Pick(id) => {
                if let Ok(s) = scenarios::find(&id) {
                    self.run = RunState::Idle;
                    self.load(ctx, s, false, None);
                    url::remember("scenario", Some(s.id));
                    url::remember("code", None);
                }
            }
            Msg::Loaded {
                generation,
                result,
                play,
                at,
            } => {
                if generation != self.generation {
                    return false;
                }
                self.loading = false;
                match result {
                    Ok(trace) => {
                        self.show(trace, Origin::Scenario, play);
                        if let Some(t) = at {
                            self.seek_to(t);
                        }
                        self.prepare_lesson(play, at);
                    }
                    Err(e) => self.load_error = Some(e),
                }
            }
            Msg::TogglePlay => {
                if !self.playback.playing {
                    let presenter = self.address.mode == views::Mode::Present;
                    if let Some(q) = &mut self.quiz {
                        q.on_play(presenter);
                    }
                }
                self.playback.toggle();
                self.remember_moment();
            }
            Msg::SetSpeed(s) => {
                self.playback.set_speed(s);
                url::remember(
                    "speed",
                    Some(&crate::page::waits::number(self.playback.speed)),
                );
            }
            Msg::Frame(ms) => {
                let dt = self.last_frame_ms.map_or(0.0, |last| (ms - last) / 1000.0);
                self.last_frame_ms = Some(ms);
                // A long gap (a hidden tab) does not jump the run ahead.
                self.playback.tick(dt.min(0.25));
                if !self.playback.playing {
                    self.remember_moment();
                }
            }
            Msg::Seek(t) => self.seek_to(t),
            Msg::StepNext => self.step(true),
            Msg::StepPrev => self.step(false),
            Msg::Start => self.seek_to(0.0),
            Msg::End => {
                self.playback.skip_to_end();
                self.remember_moment();
            }
            Msg::Key(c) => {
                let msg = course_nav::key(c, self).or_else(|| {
                    (self.view == View::Lesson)
                        .then(|| key_message(c, &self.playback))
                        .flatten()
                });
                return msg.is_some_and(|m| Component::update(self, ctx, m));
            }
            Msg::Fold(on) => {
                self.fold = on;
                self.axis = Rc::new(self.make_axis());
                self.playback.set_skips(&self.axis.folds());
                url::remember("fold", if on { None } else { Some("0") });
            }
            Msg::ToggleLog => {
                self.log = match (&self.log, &self.replay) {
                    (None, Some(r)) => Some(Rc::new(crate::page::narration::log(r))),
                    _ => None,
                };
            }
            Msg::Opened(trace) => {
                self.run = RunState::Idle;
                // A file's run is not in the address: the link goes back to the scenario.
                url::remember("code", None);
                self.show(trace, Origin::Trace, false);
            }
            Msg::Run(source) => self.start_run(ctx, source.into(), true),
            Msg::Ran {
                source,
                result,
                play,
            } => self.ran(source, result, play),
            Msg::BackToScenario => {
                self.run = RunState::Idle;
                self.load(ctx, self.scenario, false, None);
                url::remember("code", None);
            }
            Msg::GoTo(stop) => {
                if let Some(msg) = self.go_to(stop) {
                    return Component::update(self, ctx, msg);
                }
            }
            Msg::Quiz(m) => self.quiz_update(m),
        }
        let (finished, presenter) = (
            self.playback.finished(),
            self.address.mode == views::Mode::Present,
        );
        if let Some(q) = &mut self.quiz {
            q.on_progress(finished, presenter);
        }
        self.sync_frames(ctx);
        true
    }

    fn rendered(&mut self, _ctx: &Context<Self>, _first_render: bool) {
        embed::report_height();
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        if self.view != View::Lesson {
            return self.view_other(ctx);
        }
        let link = ctx.link();
        let chrome = views::chrome(self.address.mode);
        html! {
            <main class={classes!("kitchen", views::mode_class(self.address.mode))}>
                { self.view_header() }
                if chrome.course {
                    <section class="controls" aria-label="what to show">
                        { course_nav::view(self, link) }
                        { self.view_summary(ctx) }
                        { self.view_copy_embed() }
                    </section>
                }
                <EngineStatus />
                { lesson_panel::view(self, link) }
                if chrome.transport_buttons {
                    { transport::view(self, link) }
                } else {
                    { lesson_panel::presenter_bar(self) }
                }
                { self.view_show(ctx) }
                if chrome.code {
                    <section class="stage">
                        { self.view_code(ctx) }
                        { self.view_printed(ctx) }
                    </section>
                }
                if chrome.extras {
                    { narration::log_view(self, link) }
                    <LiveKitchen scenario={self.scenario} on_show={link.callback(Msg::Opened)} />
                    <TraceFiles replay={self.replay.clone()} on_open={link.callback(Msg::Opened)} />
                }
            </main>
        }
    }
}

impl App {
    /// Asks the engine for `scenario`'s trace; the answer arrives as [`Msg::Loaded`].
    pub(super) fn load(
        &mut self,
        ctx: &Context<Self>,
        scenario: &'static Scenario,
        play: bool,
        at: Option<f64>,
    ) {
        self.scenario = scenario;
        self.loading = true;
        self.load_error = None;
        self.generation += 1;
        let (generation, id, cores) = (self.generation, scenario.id, self.cores);
        ctx.link().send_future(async move {
            Msg::Loaded {
                generation,
                result: engine::simulate(id, cores).await,
                play,
                at,
            }
        });
    }

    /// Shows a new trace from its start.
    fn show(&mut self, trace: Trace, origin: Origin, play: bool) {
        let replay = Rc::new(Replay::new(trace));
        self.replay = Some(replay);
        self.origin = origin;
        self.share = Share::None;
        self.log = None;
        self.quiz = None;
        self.explained = None;
        self.axis = Rc::new(self.make_axis());
        let speed = self.playback.speed;
        self.playback = Playback::new(self.replay.as_ref().map_or(0.0, |r| r.end_s()));
        self.playback.set_speed(speed);
        self.playback.set_skips(&self.axis.folds());
        if play {
            self.playback.toggle();
        }
    }

    fn make_axis(&self) -> Axis {
        match (&self.replay, self.fold) {
            (Some(r), true) => Axis::folded(r),
            (Some(r), false) => Axis::linear(r.end_s()),
            (None, _) => Axis::linear(1.0),
        }
    }

    fn seek_to(&mut self, t: f64) {
        self.playback.pause();
        self.playback.seek(t);
        self.remember_moment();
    }

    /// Moves the cursor to the next (or previous) moment.
    fn step(&mut self, forward: bool) {
        let Some(r) = &self.replay else { return };
        let now = self.playback.now_s;
        let target = if forward {
            steps::next_after(&r.moments, now).map_or(r.end_s(), |i| r.moments[i].t_s)
        } else {
            steps::previous_before(&r.moments, now).map_or(0.0, |i| r.moments[i].t_s)
        };
        self.seek_to(target);
    }

    /// While paused, the address carries the cursor's moment, so a link shares it.
    fn remember_moment(&self) {
        if self.playback.playing {
            return;
        }
        let t = self.playback.now_s;
        let value = (t > 0.0).then(|| playback::t_param(t));
        url::remember("t", value.as_deref());
    }

    /// Shows "running…" for `source` and asks the engine to run it.
    fn start_run(&mut self, ctx: &Context<Self>, source: AttrValue, play: bool) {
        self.run = RunState::Running(source.clone());
        let cores = self.cores;
        ctx.link().send_future(async move {
            let result = engine::run_program(source.to_string(), cores).await;
            Msg::Ran {
                source,
                result,
                play,
            }
        });
    }

    /// A program's run came back. Success replaces the trace and restarts playback. An
    /// uncaught exception shows the run up to it (what it printed, then the traceback, as
    /// CPython's terminal shows them) and the error at its line; any other failure keeps the
    /// previous trace and shows the error at its line. Either way the address
    /// carries the program (when short enough), so the link reproduces what the reader sees.
    fn ran(&mut self, source: AttrValue, result: Result<Trace, PyError>, play: bool) {
        // A scenario picked while the run was under way wins over the run.
        if self.run != RunState::Running(source.clone()) {
            return;
        }
        match result {
            Ok(trace) => {
                self.run = RunState::Idle;
                self.show(trace, Origin::Program, play);
            }
            Err(mut error) => {
                if let Some(trace) = error.trace.take() {
                    self.show(*trace, Origin::Program, play);
                }
                self.run = RunState::Failed(source.clone(), error);
            }
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

    /// Keeps the frame loop running exactly while playing.
    fn sync_frames(&mut self, ctx: &Context<Self>) {
        if self.playback.playing && self.frames.is_none() {
            let link = ctx.link().clone();
            self.last_frame_ms = None;
            self.frames = Some(FrameLoop::start(move |ms| {
                link.send_message(Msg::Frame(ms))
            }));
        } else if !self.playback.playing {
            self.frames = None;
        }
    }

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
            Origin::Trace => html! {
                <p class="summary-line">
                    { self.replay.as_ref().map(|r| format!("Shown: {}. ", r.trace.title)).unwrap_or_default() }
                    <button id="back-to-scenario" onclick={ctx.link().callback(|_| Msg::BackToScenario)}>
                        { format!("Back to “{}”", self.scenario.title) }
                    </button>
                </p>
            },
        }
    }

    /// The narration, the scene, the timeline and the legend: what the trace shows now.
    fn view_show(&self, ctx: &Context<Self>) -> Html {
        let Some(replay) = &self.replay else {
            let text = match (&self.load_error, self.loading) {
                (Some(e), _) => html! { <p class="error">{ e }</p> },
                (None, _) => html! { <p class="loading">{ "Cooking the trace…" }</p> },
            };
            return text;
        };
        let now = self.playback.now_s;
        let link = ctx.link();
        html! {
            <>
                { narration::view(self, replay) }
                if let Some(e) = &self.load_error { <p class="error">{ e }</p> }
                { scene::view(&Scene::at(replay, now), &replay.trace.scenario) }
                <Timeline replay={replay.clone()} axis={self.axis.clone()} now_s={now} fold={self.fold}
                          on_fold={link.callback(Msg::Fold)} on_seek={link.callback(Msg::Seek)}
                          compact={!views::chrome(self.address.mode).full_timeline} />
                if views::chrome(self.address.mode).legend {
                <ul class="legend" aria-label="what the colours and patterns mean">
                    { for STATES.iter().map(|&s| html! { <li>{ swatch(s) }{ state_name(s) }</li> }) }
                    <li><span class="swatch held" aria-hidden="true"></span>{ "GIL or core held (the holder is named on hover)" }</li>
                </ul>
                }
                { self.view_result(replay) }
            </>
        }
    }

    fn view_code(&self, ctx: &Context<Self>) -> Html {
        let trace = self.replay.as_ref().map(|r| &r.trace);
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

    /// What the program printed up to the cursor; each line jumps to its moment.
    fn view_printed(&self, ctx: &Context<Self>) -> Html {
        let Some(replay) = &self.replay else {
            return html! {};
        };
        let now = self.playback.now_s;
        let printed = replay.trace.prints.iter().filter(|p| p.t_s <= now);
        html! {
            <section class="printed">
                <h2>{ "Printed" }</h2>
                <pre id="printed">{ for printed.map(|p| {
                    let t = p.t_s;
                    let stream = if p.stream.is_stdout() { None } else { Some("stderr") };
                    html! {
                        <>
                            <button class={classes!("print-line", stream)} title="Jump to this moment"
                                    onclick={ctx.link().callback(move |_| Msg::Seek(t))}>
                                { format!("{:>9.3} s  {}", p.t_s, p.text) }
                            </button>
                            { "\n" }
                        </>
                    }
                }) }</pre>
            </section>
        }
    }

    /// Total time and CPU-busy share, shown once the run has played to the end.
    fn view_result(&self, replay: &Replay) -> Html {
        if !self.playback.finished() {
            return html! {};
        }
        let trace = &replay.trace;
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
}

/// The message a player's keyboard command stands for (the course's keys are
/// [`course_nav::key`]'s).
fn key_message(c: Command, p: &Playback) -> Option<Msg> {
    Some(match c {
        Command::TogglePlay => Msg::TogglePlay,
        Command::StepNext => Msg::StepNext,
        Command::StepPrev => Msg::StepPrev,
        Command::Start => Msg::Start,
        Command::End => Msg::End,
        Command::Faster | Command::Slower => {
            let mut q = p.clone();
            q.step_speed(c == Command::Faster);
            Msg::SetSpeed(q.speed)
        }
        Command::NextLesson | Command::PreviousLesson => return None,
    })
}

pub(super) fn select_value(e: &Event) -> String {
    e.target_dyn_into::<web_sys::HtmlSelectElement>()
        .map(|s| s.value())
        .unwrap_or_default()
}

/// Whether the reader's system asks for reduced motion.
fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}
