//! The lesson beside its run (`#lesson`): where it stands in the course, its text, the
//! questions before it plays ([`super::predict_panel`]) and its "what the posts get wrong"
//! note (`#myth`) with the run's numbers. The words are [`crate::lessons`]'s, filled from the
//! shown run; while the questions are open the text waits, since it says the answers.

use yew::html::Scope;
use yew::prelude::*;

use crate::lessons::Stop;
use crate::page::course;
use crate::page::views::{self, View};

use super::app::{App, Origin};
use super::predict_panel;

pub fn view(app: &App, link: &Scope<App>) -> Html {
    let chrome = views::chrome(app.address.mode);
    if app.view != View::Lesson || app.origin != Origin::Scenario || !chrome.lesson {
        return html! {};
    }
    let stop = Stop::Lesson(app.scenario.id);
    let place = match (course::section(stop), course::position(stop)) {
        (Some(section), Some((n, of))) => format!("{section} · {n} of {of}"),
        _ => String::new(),
    };
    let quiz = app.quiz.as_ref().filter(|_| chrome.predict);
    let shown = quiz.is_none_or(|q| q.lesson_shown());
    let (text, myth) = match &app.explained {
        Some(Ok(e)) => (
            html! { <p class="lesson-text" id="lesson-text">{ e.text.clone() }</p> },
            e.myth.as_ref().map(|m| html! {
                <aside id="myth" class="myth" aria-labelledby="myth-title">
                    <h3 id="myth-title">{ "What the posts get wrong" }</h3>
                    <p class="claim"><span class="who">{ "They say: " }</span>{ format!("“{}”", m.claim) }</p>
                    <p class="answer"><span class="who">{ "This run: " }</span>{ m.note.clone() }</p>
                </aside>
            }),
        ),
        Some(Err(why)) => (html! { <p class="note">{ why.clone() }</p> }, None),
        None => (html! {}, None),
    };
    html! {
        <section id="lesson" class={classes!("lesson", (shown && myth.is_some()).then_some("with-myth"))} aria-labelledby="lesson-title">
            <div class="lesson-main">
                <p class="lesson-where">{ place }</p>
                <h2 id="lesson-title">{ app.scenario.title }</h2>
                if let Some(q) = quiz { { predict_panel::view(q, link) } }
                if shown {
                    { text }
                } else {
                    <p class="lesson-held">{ "The lesson's words follow the answers: they say the run's numbers." }</p>
                }
            </div>
            if shown { { myth.unwrap_or_default() } }
        </section>
    }
}

/// Presenter mode's stand-in for the transport: the clock, and the keys that drive the page.
pub fn presenter_bar(app: &App) -> Html {
    let p = &app.playback;
    let decimals = app.replay.as_ref().map_or(3, |r| {
        crate::page::steps::decimals_at(&r.moments, p.now_s).min(6)
    });
    html! {
        <section class="presenter-bar" aria-label="player">
            <p class="clock" id="clock" aria-live="off">{ crate::page::playback::clock(p.now_s, p.end_s, decimals) }</p>
            <p class="keys" id="presenter-keys">{ views::PRESENTER_KEYS }</p>
            if p.playing { <span class="playing">{ "▶ playing" }</span> }
        </section>
    }
}
