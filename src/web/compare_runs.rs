//! The comparison's runs on one shared time axis, one above the other, drawn with the
//! timeline's own bars and labels ([`super::timeline`]); the axis and its folds are
//! [`crate::page::compare_page::shared_axis`]'s, the rows [`crate::page::timeline`]'s
//! (a few per run, the rest counted).

use std::rc::Rc;

use yew::prelude::*;

use crate::page::compare_page::shared_axis;
use crate::page::replay::Replay;
use crate::page::timeline::{self as model, Limits, View};

use super::patterns::svg_defs;
use super::timeline::{use_width, Bars, Labels};

const LABEL_W: f64 = 170.0;
const NARROW_LABEL_W: f64 = 112.0;

/// One run to draw: its kitchen's title and total, and its replay.
#[derive(Clone)]
pub struct Run {
    pub kitchen: &'static str,
    pub heading: String,
    pub replay: Rc<Replay>,
}

#[derive(Properties)]
pub struct Props {
    /// A new list is a new set of runs (compared by identity).
    pub runs: Rc<Vec<Run>>,
    pub fold: bool,
    pub on_fold: Callback<bool>,
}

impl PartialEq for Props {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.runs, &o.runs) && self.fold == o.fold
    }
}

#[function_component(CompareRuns)]
pub fn compare_runs(props: &Props) -> Html {
    let wrap = use_node_ref();
    let width = use_state(|| 900.0_f64);
    use_width(&wrap, &width);
    let axis = {
        let (runs, fold) = (props.runs.clone(), props.fold);
        use_memo((Rc::as_ptr(&runs) as usize, fold), move |_| {
            let replays: Vec<&Replay> = runs.iter().map(|r| r.replay.as_ref()).collect();
            Rc::new(shared_axis(&replays, fold))
        })
    };
    let label_w = if *width < 640.0 {
        NARROW_LABEL_W
    } else {
        LABEL_W
    };
    let plot_w = (*width - label_w - 8.0).max(60.0);
    let on_fold = {
        let (cb, fold) = (props.on_fold.clone(), props.fold);
        Callback::from(move |_: MouseEvent| cb.emit(!fold))
    };
    html! {
        <section class="compare-runs" ref={wrap} aria-labelledby="compare-runs-title">
            <div class="timeline-tools">
                <h3 id="compare-runs-title">{ "The runs on one time axis" }</h3>
                <button id="compare-fold" aria-pressed={props.fold.to_string()} onclick={on_fold}
                        title="Shorten the stretches where every kitchen only waits">
                    { if props.fold { "Folded: the wait they all share is shortened" } else { "Fold the shared wait" } }
                </button>
            </div>
            <svg class="defs" width="0" height="0" aria-hidden="true" focusable="false">{ svg_defs() }</svg>
            { for props.runs.iter().map(|run| {
                let layout = Rc::new(model::layout_limited(&run.replay, &axis, View::full(), plot_w, Limits::SMALL));
                let height = layout.height;
                html! {
                    <div class="compare-run" data-kitchen={run.kitchen}>
                        <h4>{ run.heading.clone() }</h4>
                        <svg class="timeline" width={width.to_string()} height={height.to_string()}
                             viewBox={format!("0 0 {} {height}", *width)} role="img"
                             aria-label={format!("timeline of {}", run.heading)}>
                            <g transform={format!("translate({label_w} 0)")}>
                                <Bars layout={layout.clone()} clip={None::<AttrValue>} />
                            </g>
                            <Labels layout={layout} label_w={label_w as u32} />
                        </svg>
                    </div>
                }
            }) }
        </section>
    }
}
