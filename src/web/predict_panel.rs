//! Predict, then run (`#predict`): a lesson's questions before it plays, the learner's
//! choices, and the reveal once the run has played. The state and its rules are
//! [`crate::page::quiz`]'s; the questions and their right answers, computed from the run,
//! [`crate::lessons::predict`]'s.

use yew::html::Scope;
use yew::prelude::*;

use crate::page::quiz::{letter, Phase, Quiz, Verdict};

use super::app::{App, Msg};

/// What the learner does with the questions.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum QuizMsg {
    Choose(usize, usize),
    /// "Run and see": lock the choices in and play.
    Lock,
    Skip,
    Reveal,
}

pub fn view(quiz: &Quiz, link: &Scope<App>) -> Html {
    let send = |m: QuizMsg| link.callback(move |_: MouseEvent| Msg::Quiz(m));
    let body = match quiz.phase {
        Phase::Skipped => {
            return html! {
                <section id="predict" class="predict skipped" aria-label="predict, then run">
                    <p>{ "You skipped the questions. " }
                        <button id="predict-reveal" onclick={send(QuizMsg::Reveal)}>
                            { "Show the questions with the run's answers" }
                        </button>
                    </p>
                </section>
            }
        }
        Phase::Asking => html! {
            <div class="predict-actions">
                <button id="predict-run" class="primary" onclick={send(QuizMsg::Lock)}>{ "Run and see ▶" }</button>
                <button id="predict-skip" onclick={send(QuizMsg::Skip)}>{ "Skip: just watch" }</button>
            </div>
        },
        Phase::Locked => {
            let picks: Vec<String> = quiz
                .chosen
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{}: {}", i + 1, c.map_or('–', letter)))
                .collect();
            html! {
                <p class="predict-status" role="status">
                    { format!("Your answers are in ({}). The run decides when it has played to its end. ", picks.join(", ")) }
                    <button id="predict-reveal" onclick={send(QuizMsg::Reveal)}>{ "Show the answers now" }</button>
                </p>
            }
        }
        Phase::Revealed => html! {
            <p class="predict-score" id="predict-score" role="status">{ quiz.score() }</p>
        },
    };
    let intro = match quiz.phase {
        Phase::Asking => "Answer first, then watch: the run decides who was right.",
        Phase::Locked => "",
        _ => "The right answers are computed from this run, not typed in.",
    };
    html! {
        <section id="predict" class={classes!("predict", format!("phase-{:?}", quiz.phase).to_lowercase())}
                 aria-labelledby="predict-title">
            <h3 id="predict-title">{ "Predict, then run" }</h3>
            if !intro.is_empty() { <p class="hint">{ intro }</p> }
            if quiz.phase != Phase::Locked {
                <div class="questions">
                    { for quiz.questions.iter().enumerate().map(|(i, _)| question(quiz, i, link)) }
                </div>
            }
            { body }
        </section>
    }
}

fn question(quiz: &Quiz, i: usize, link: &Scope<App>) -> Html {
    match quiz.phase {
        Phase::Asking => asked(quiz, i, link),
        _ => answered(quiz, i),
    }
}

/// An open question: its choices to pick from.
fn asked(quiz: &Quiz, i: usize, link: &Scope<App>) -> Html {
    let q = &quiz.questions[i];
    let choices = q.choices.iter().enumerate().map(|(c, text)| {
        let chosen = quiz.chosen[i] == Some(c);
        html! {
            <li class={classes!("choice", chosen.then_some("chosen"))}>
                <label>
                    <input type="radio" name={format!("predict-q{i}")} value={c.to_string()} checked={chosen}
                           onchange={link.callback(move |_: Event| Msg::Quiz(QuizMsg::Choose(i, c)))} />
                    <span class="letter" aria-hidden="true">{ letter(c) }</span>
                    <span class="choice-text">{ text.clone() }</span>
                </label>
            </li>
        }
    });
    html! {
        <fieldset class="question" id={format!("question-{}", i + 1)}>
            <legend>{ format!("{}. {}", i + 1, q.prompt) }</legend>
            <ul class="choices">{ for choices }</ul>
        </fieldset>
    }
}

/// A question after the choices are in: one line while the run plays (the learner's answer),
/// and once revealed the run's answer beside the learner's, with why.
fn answered(quiz: &Quiz, i: usize) -> Html {
    let q = &quiz.questions[i];
    let pick = |c: usize| format!("{}: {}", letter(c), q.choices[c]);
    let yours = quiz.chosen[i].map_or_else(|| "not answered".to_string(), pick);
    let (verdict, class) = match quiz.verdict(i) {
        _ if quiz.phase != Phase::Revealed => (String::new(), ""),
        Some(Verdict::Right) => (format!("✓ right: {}", pick(q.right)), "right"),
        Some(Verdict::Wrong { right }) => (format!("✗ the run says {}", pick(right)), "wrong"),
        Some(Verdict::Unanswered { .. }) | None => (format!("the run says {}", pick(q.right)), ""),
    };
    html! {
        <div class={classes!("question", "answered", class)} id={format!("question-{}", i + 1)}>
            <p class="prompt">{ format!("{}. {}", i + 1, q.prompt) }</p>
            <p class="yours">{ format!("Your answer: {yours}") }</p>
            if quiz.phase == Phase::Revealed {
                <p class="verdict">{ verdict }</p>
                <p class={classes!("reveal", class)}>{ q.reveal.clone() }</p>
            }
        </div>
    }
}
