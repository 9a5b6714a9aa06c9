//! The classroom's part of the app: what the address asks of the views, the lesson's words
//! and questions for a run that arrives, going from one stop of the course to another, and the
//! views around the lessons (the comparison, the guide). Kept out of `app.rs`, which maps the
//! player's messages, so each file has one job.

use yew::prelude::*;

use crate::lessons::{self, Stop};
use crate::page::quiz::Quiz;
use crate::page::views::{self, Address, Mode, View};
use crate::scenarios::Size;

use super::app::{App, Msg, Origin};
use super::compare_view::CompareView;
use super::course_nav;
use super::embed::CopyEmbed;
use super::guide_view::GuideView;
use super::predict_panel::QuizMsg;
use super::url;

/// What the page's address asks of the views (checked: bad values are notes).
pub fn address() -> Address {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok();
    views::parse(|name| params.as_ref().and_then(|p| p.get(name)))
}

impl App {
    /// The lesson's words and questions for the run just shown. The questions are asked only
    /// when the run opens at its start and does not play by itself (a shared moment or an
    /// autoplaying embed is someone showing, not asking).
    pub(super) fn prepare_lesson(&mut self, play: bool, at: Option<f64>) {
        let Some(replay) = &self.replay else { return };
        let size = Size::default();
        let run = lessons::Run {
            trace: &replay.trace,
            size: &size,
        };
        let explained = lessons::explain(self.scenario.id, &run).map_err(|e| e.to_string());
        let chrome = views::chrome(self.address.mode);
        let ask = chrome.predict && self.address.predict && !play && at.is_none();
        self.quiz = match (&explained, ask) {
            (Ok(e), true) => Quiz::new(e.questions.clone()),
            _ => None,
        };
        self.explained = Some(explained);
    }

    /// Goes to `stop`; a lesson is loaded by the message returned.
    pub(super) fn go_to(&mut self, stop: Stop) -> Option<Msg> {
        for (key, value) in crate::page::course::address(stop) {
            url::remember(key, value);
        }
        url::remember("t", None);
        self.shown.set(match stop {
            Stop::Lesson(_) => View::Lesson,
            Stop::Compare => View::Compare,
            Stop::Guide => View::Guide,
        });
        match stop {
            Stop::Lesson(id) => {
                self.view = View::Lesson;
                Some(Msg::Pick(id.to_string()))
            }
            Stop::Compare | Stop::Guide => {
                self.view = if stop == Stop::Compare {
                    View::Compare
                } else {
                    View::Guide
                };
                self.playback.pause();
                None
            }
        }
    }

    pub(super) fn quiz_update(&mut self, m: QuizMsg) {
        let Some(q) = &mut self.quiz else { return };
        match m {
            QuizMsg::Choose(question, choice) => q.choose(question, choice),
            QuizMsg::Lock => {
                q.lock();
                if self.playback.finished() {
                    self.playback.seek(0.0);
                }
                if !self.playback.playing {
                    self.playback.toggle();
                }
            }
            QuizMsg::Skip => q.skip(),
            QuizMsg::Reveal => q.reveal(),
        }
    }

    /// The title and the notes about the address (left out in presenter mode and embeds,
    /// except the notes, which say why something asked for is not shown).
    pub(super) fn view_header(&self) -> Html {
        let chrome = views::chrome(self.address.mode);
        html! {
            <>
                if chrome.header {
                    <header>
                        <h1>{ "Concurrency Kitchen" }</h1>
                        <p class="tagline">{ "How Python really runs concurrent code: asyncio, threads and processes, cooking pasta." }</p>
                    </header>
                }
                { for self.notes.iter().map(|n| html! { <p class="note">{ n }</p> }) }
            </>
        }
    }

    /// `#copy-embed`, for a lesson's or a program's run.
    pub(super) fn view_copy_embed(&self) -> Html {
        if !views::chrome(self.address.mode).copy_embed || self.replay.is_none() {
            return html! {};
        }
        let title = match self.origin {
            Origin::Scenario => self.scenario.title.to_string(),
            _ => "a Python program".to_string(),
        };
        html! { <CopyEmbed title={title} t_s={self.playback.now_s} speed={self.playback.speed} /> }
    }

    /// The comparison or the guide, with the course around them.
    pub(super) fn view_other(&self, ctx: &Context<Self>) -> Html {
        let mode = self.address.mode;
        let chrome = views::chrome(mode);
        let body = match self.view {
            View::Compare => html! {
                <CompareView asked={self.address.workload.clone()} what_if={self.address.what_if} />
            },
            _ => html! { <GuideView present={mode == Mode::Present} /> },
        };
        html! {
            <main class={classes!("kitchen", views::mode_class(mode))}>
                { self.view_header() }
                if chrome.course {
                    <section class="controls" aria-label="what to show">
                        { course_nav::view(self, ctx.link()) }
                    </section>
                }
                { body }
            </main>
        }
    }
}
