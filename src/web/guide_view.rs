//! The decision guide as a page (`view=guide`, `#guide`): the course's flowchart, every
//! question with its answers, each answer leading to the next question or to advice whose
//! lessons are links (`?scenario=…`). The tree is [`crate::lessons::guide`]'s; the numbering
//! and the links are [`crate::page::guide_page`]'s.

use yew::prelude::*;

use crate::lessons::guide::{self, Leaf, Next, Node};
use crate::page::guide_page::{self, links};

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Links keep presenter mode.
    #[prop_or_default]
    pub present: bool,
}

#[function_component(GuideView)]
pub fn guide_view(props: &Props) -> Html {
    html! {
        <section id="guide" class="guide" aria-labelledby="guide-title">
            <h2 id="guide-title">{ "Which kitchen? The decision guide" }</h2>
            <p class="guide-intro">
                { "Start at question 1 and follow your answer down the page. Each piece of advice names the lessons that show why; open one to watch it happen." }
            </p>
            { for guide::nodes().into_iter().map(|n| node(n, props.present)) }
        </section>
    }
}

/// One question with its answers: each leads on to another question (a link down the page)
/// or ends at advice, shown under the answer.
fn node(n: &Node, present: bool) -> Html {
    let number = guide_page::number(n);
    html! {
        <section class="guide-node" id={format!("guide-q{number}")} aria-labelledby={format!("guide-q{number}-title")}>
            <h3 class="guide-question" id={format!("guide-q{number}-title")}>
                <span class="q-no">{ format!("Question {number}") }</span>{ n.question }
            </h3>
            <p class="guide-hint">{ n.hint }</p>
            <ul class="guide-answers">
                { for n.answers.iter().map(|b| html! {
                    <li class="guide-branch">
                        <p class="guide-answer">
                            <span class="answer">{ b.answer }</span>
                            <span class="arrow" aria-hidden="true">{ " → " }</span>
                            { match &b.next {
                                Next::Ask(next) => html! {
                                    <a class="leads" href={format!("#guide-q{}", guide_page::number(next))}>
                                        <span class="visually-hidden">{ "go to " }</span>{ guide_page::leads_to(&b.next) }
                                    </a>
                                },
                                Next::Advice(_) => html! { <span class="leads">{ "what to use:" }</span> },
                            } }
                        </p>
                        if let Next::Advice(leaf) = &b.next { { advice(leaf, present) } }
                    </li>
                }) }
            </ul>
        </section>
    }
}

fn advice(leaf: &Leaf, present: bool) -> Html {
    let links = links(leaf, present);
    html! {
        <div class="guide-leaf">
            <p class="advice">{ leaf.advice }</p>
            <p class="guide-links">{ "See: " }
                { for links.iter().enumerate().map(|(i, l)| html! {
                    <>
                        if i > 0 { { ", " } }
                        <a class="lesson-link" href={l.href.clone()} data-lesson={l.id}>{ l.title }</a>
                    </>
                }) }
            </p>
        </div>
    }
}
