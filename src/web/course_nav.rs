//! The course in the controls row: the picker (`#scenario`) with the lessons in course order,
//! grouped by section, the comparison and the guide at the end; and the previous / next
//! buttons (`#prev-lesson`, `#next-lesson`; PageUp / PageDown do the same). What the picker
//! lists and where the buttons lead is [`crate::page::course`]'s.

use yew::html::Scope;
use yew::prelude::*;

use crate::lessons::Stop;
use crate::page::course;
use crate::page::views::View;

use super::app::{select_value, App, Msg, Origin};

/// The stop the page shows now.
pub fn current(app: &App) -> Stop {
    match app.view {
        View::Lesson => Stop::Lesson(app.scenario.id),
        View::Compare => Stop::Compare,
        View::Guide => Stop::Guide,
    }
}

/// The picker's entry shown when the run is not a lesson's (a program, a file).
fn placeholder(app: &App) -> Option<&'static str> {
    match (app.view, app.origin) {
        (View::Lesson, Origin::Program) => Some("Your program"),
        _ => None,
    }
}

pub fn view(app: &App, link: &Scope<App>) -> Html {
    let here = current(app);
    let placeholder = placeholder(app);
    let selected = |stop: Stop| placeholder.is_none() && stop == here;
    let on_pick =
        link.batch_callback(|e: Event| course::from_value(&select_value(&e)).map(Msg::GoTo));
    let near = course::neighbours(here);
    let button = |id: &'static str,
                  to: Option<(Stop, String)>,
                  text: &'static str,
                  key: &'static str| {
        let title = to.as_ref().map_or_else(
            || "The end of the course".to_string(),
            |(_, t)| format!("{text}: {t} ({key})"),
        );
        let what = to
            .as_ref()
            .map_or_else(String::new, |(_, t)| format!(": {t}"));
        let stop = to.map(|(s, _)| s);
        html! {
            <button id={id} disabled={stop.is_none()} title={title}
                    aria-keyshortcuts={key} onclick={link.batch_callback(move |_| stop.map(Msg::GoTo))}>
                { if id == "prev-lesson" { "◀ Previous" } else { "Next ▶" } }
                <span class="visually-hidden">{ what }</span>
            </button>
        }
    };
    html! {
        <div class="course-nav">
            <label for="scenario">{ "Lesson" }</label>
            <select id="scenario" onchange={on_pick}>
                if let Some(text) = placeholder {
                    <option value="" selected=true disabled=true>{ text }</option>
                }
                { for course::picker().into_iter().map(|g| html! {
                    <optgroup label={g.title}>
                        { for g.choices.into_iter().map(|c| html! {
                            <option value={c.value} selected={selected(c.stop)}>{ c.label }</option>
                        }) }
                    </optgroup>
                }) }
            </select>
            { button("prev-lesson", near.previous, "Previous", "PageUp") }
            { button("next-lesson", near.next, "Next", "PageDown") }
        </div>
    }
}

/// What PageUp / PageDown ask for: the previous or next stop of the course.
pub fn key(c: crate::page::keys::Command, app: &App) -> Option<Msg> {
    use crate::page::keys::Command;
    let here = current(app);
    match c {
        Command::NextLesson => crate::lessons::next(here).map(Msg::GoTo),
        Command::PreviousLesson => crate::lessons::previous(here).map(Msg::GoTo),
        _ => None,
    }
}
