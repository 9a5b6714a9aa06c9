//! The code panel: the Python program beside the timeline, with the lines the lanes are on at the
//! playback time highlighted and tagged with the lanes' names, and an editor to change the
//! program and run it again.
//!
//! What to highlight, where an error points and how Tab indents are decided by
//! [`crate::page::code_view`]; this component draws them and keeps the one thing that is the panel's
//! own business, the text being edited. Running is the app's job: the panel only asks for it
//! through [`Props::on_run`].

use web_sys::{HtmlTextAreaElement, KeyboardEvent};
use yew::prelude::*;

use crate::page::code_view::{self, ActiveLine, LaneAt};
use crate::python::PyError;

use crate::page::palette::state_name;

use super::patterns::swatch;

/// Lane names shown at one line at most; the rest are counted ("+997 more").
const MAX_TAGS: usize = 4;

/// Where the program the panel shows stands.
#[derive(Clone, Debug, PartialEq)]
pub enum RunState {
    /// Nothing running: the panel shows the trace's own program.
    Idle,
    /// This program is about to run or running.
    Running(AttrValue),
    /// This program failed; the previous trace is still shown.
    Failed(AttrValue, PyError),
}

/// How the address bar relates to the shown program.
#[derive(Clone, Debug, PartialEq)]
pub enum Share {
    /// The program is not in the address (a built-in scenario).
    None,
    /// The address carries the program: a link to it.
    Link(AttrValue),
    /// The program is too long for a link; why.
    TooLong(AttrValue),
}

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The program the shown trace is a run of; `None` when the trace has no source.
    #[prop_or_default]
    pub code: Option<AttrValue>,
    /// The lines lanes are on at the playback time, from [`code_view::active_lines`].
    #[prop_or_default]
    pub active: Vec<ActiveLine>,
    #[prop_or(RunState::Idle)]
    pub run: RunState,
    #[prop_or(Share::None)]
    pub share: Share,
    /// Asked to run a program (the edited text, or the shown one again).
    #[prop_or_default]
    pub on_run: Callback<String>,
}

impl Props {
    /// The text the panel lists: the program running or failed, else the trace's.
    fn shown(&self) -> Option<&AttrValue> {
        match &self.run {
            RunState::Running(source) | RunState::Failed(source, _) => Some(source),
            RunState::Idle => self.code.as_ref(),
        }
    }
}

#[function_component(CodePanel)]
pub fn code_panel(props: &Props) -> Html {
    let shown = props.shown().cloned();
    let editing = use_state(|| false);
    // The text being edited. It starts as the shown program and follows it when another one is
    // shown (a run, a scenario picked), so Edit always starts from what is on screen; edits
    // survive switching between editing and viewing.
    let draft = use_state_eq(|| start_text(shown.as_ref()));
    {
        let draft = draft.clone();
        use_effect_with(shown.clone(), move |shown| {
            draft.set(start_text(shown.as_ref()));
        });
    }

    let running = matches!(props.run, RunState::Running(_));
    let on_toggle = {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(!*editing))
    };
    let on_run = {
        let (editing, draft, shown) = (editing.clone(), draft.clone(), shown.clone());
        let ask = props.on_run.clone();
        Callback::from(move |_: MouseEvent| {
            let source = if *editing {
                Some((*draft).clone())
            } else {
                shown.as_ref().map(|s| s.to_string())
            };
            if let Some(source) = source {
                editing.set(false);
                ask.emit(source);
            }
        })
    };
    let can_run = !running && (*editing || shown.is_some());

    let body = if *editing {
        editor(&draft)
    } else {
        match &shown {
            Some(text) => listing(text, props),
            None => html! {
                <p class="code-empty" id="code-empty">
                    { "This run carries no program (a run measured for real, or a trace file without code). Press Edit to write or paste a program, then Run it." }
                </p>
            },
        }
    };
    html! {
        <section class="code-panel" id="code-panel" aria-label="the program">
            <div class="code-head">
                <h2>{ "The program" }</h2>
                <button id="edit-code" aria-pressed={(*editing).to_string()} onclick={on_toggle}>
                    { if *editing { "View" } else { "Edit" } }
                </button>
                <button id="run-code" disabled={!can_run} onclick={on_run}>{ "Run ▶" }</button>
                if running {
                    <span id="code-status" class="code-status" role="status">{ "running…" }</span>
                }
            </div>
            if let RunState::Failed(_, error) = &props.run {
                <p id="code-error" class="error" role="alert">{ code_view::describe_error(error) }</p>
            }
            { body }
            { share_line(&props.share) }
        </section>
    }
}

fn start_text(shown: Option<&AttrValue>) -> String {
    shown.map_or_else(|| code_view::EXAMPLE_PROGRAM.to_string(), |s| s.to_string())
}

/// The program, numbered, with the active lines and the error line marked.
fn listing(text: &str, props: &Props) -> Html {
    // Highlights belong to the trace's own program; a running or failed one is another text.
    let active: &[ActiveLine] = match props.run {
        RunState::Idle => &props.active,
        _ => &[],
    };
    let error = match &props.run {
        RunState::Failed(_, e) => code_view::error_line(e).map(|line| (line, e.column)),
        _ => None,
    };
    let lines = code_view::numbered_lines(text).map(|(n, line)| {
        let here = active
            .binary_search_by_key(&n, |a| a.line)
            .ok()
            .map(|i| &active[i]);
        let is_error = error.is_some_and(|(line, _)| line == n);
        let class = classes!(
            "code-line",
            here.map(|_| "active-line"),
            is_error.then_some("error-line")
        );
        let caret = match error {
            Some((line, column)) if line == n => error_caret(column),
            _ => html! {},
        };
        html! {
            <>
                <div class={class} data-line={n.to_string()}>
                    <span class="line-no" aria-hidden="true">{ n }</span>
                    <span class="line-body">
                        <span class="line-text">{ line }</span>
                        { for here.map(|a| lane_tags(&a.lanes)) }
                    </span>
                </div>
                { caret }
            </>
        }
    });
    html! { <div class="code" id="code-listing">{ for lines }</div> }
}

/// A `^` under the column an error points at, as Python's own messages do.
fn error_caret(column: u32) -> Html {
    let pad = " ".repeat(column.saturating_sub(1).min(500) as usize);
    html! {
        <div class="error-caret" aria-hidden="true">
            <span class="line-no"></span>
            <span class="line-body"><span class="line-text">{ format!("{pad}^") }</span></span>
        </div>
    }
}

/// The lanes on one line, each with its number badge (as in the scene and the timeline) and a
/// swatch of what it is doing there.
fn lane_tags(lanes: &[LaneAt]) -> Html {
    let more = lanes.len().saturating_sub(MAX_TAGS);
    html! {
        <span class="lane-tags">
            { for lanes.iter().take(MAX_TAGS).map(|l| html! {
                <span class="lane-tag" data-lane={l.lane.to_string()}
                      title={format!("{}: {}", l.name, state_name(l.state))}>
                    <span class="badge" aria-hidden="true">{ l.lane }</span>
                    { swatch(l.state) }
                    { l.name.clone() }
                </span>
            }) }
            if more > 0 {
                <span class="lane-tag more">{ format!("+{more} more") }</span>
            }
        </span>
    }
}

/// The editor: a plain textarea where Tab indents (Escape, then Tab, leaves it by keyboard).
fn editor(draft: &UseStateHandle<String>) -> Html {
    let on_input = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                draft.set(area.value());
            }
        })
    };
    let on_key = {
        let draft = draft.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() else {
                return;
            };
            match e.key().as_str() {
                "Escape" => {
                    let _ = area.blur();
                }
                "Tab" if !(e.shift_key() || e.ctrl_key() || e.alt_key() || e.meta_key()) => {
                    e.prevent_default();
                    let start = area.selection_start().ok().flatten().unwrap_or(0);
                    let end = area.selection_end().ok().flatten().unwrap_or(start);
                    let (text, caret) = code_view::insert_indent(&area.value(), start, end);
                    area.set_value(&text);
                    let _ = area.set_selection_range(caret, caret);
                    draft.set(text);
                }
                _ => {}
            }
        })
    };
    let rows = (code_view::numbered_lines(draft).count() + 2).clamp(12, 40);
    html! {
        <>
            <textarea id="code-editor" class="code" spellcheck="false" autocomplete="off"
                      autocapitalize="off" wrap="off" rows={rows.to_string()}
                      aria-label="Python program" value={(**draft).clone()}
                      oninput={on_input} onkeydown={on_key} />
            <p class="hint">{ "Tab indents by 4 spaces; press Escape, then Tab, to leave the editor." }</p>
        </>
    }
}

fn share_line(share: &Share) -> Html {
    match share {
        Share::None => html! {},
        Share::Link(href) => html! {
            <p class="share">
                <a id="code-link" href={href.clone()} target="_blank" rel="noopener">{ "Link to this program" }</a>
                { " (the address carries the code, for sharing or an iframe)" }
            </p>
        },
        Share::TooLong(why) => html! { <p class="share note" id="code-link-note">{ why }</p> },
    }
}
