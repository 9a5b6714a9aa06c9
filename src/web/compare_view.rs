//! The comparison (`view=compare`, `#compare`): one workload cooked in every kitchen, its
//! table (`#compare table`), the runs on one time axis ([`super::compare_runs`]) and the
//! charts of total time against orders and cores ([`super::compare_chart`]), with sliders that
//! re-run everything.
//!
//! A slider changes the workload at once (its label, the address) and re-runs after a short
//! pause, so a drag does not queue a run per pixel. The kitchens cook one request at a time
//! through [`super::compare_door`]: first the table's, then the chart's points, cheapest
//! first, so both charts fill in while the dearest points are still cooking. Each answer
//! carries the generation it was asked for; an answer for an older workload is dropped, and
//! with it the rest of its queue.

use std::collections::VecDeque;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::compare::{Asked, Axis as ChartAxis, Cooked, Kitchen, Series, Table, Workload};
use crate::lessons::facts::{count, seconds};
use crate::page::compare_chart;
use crate::page::compare_page::{self as model, Knob, KNOBS};
use crate::page::replay::Replay;

use super::compare_chart as chart_view;
use super::compare_door;
use super::compare_runs::{CompareRuns, Run};

/// How long a slider must rest before the kitchens cook again, in milliseconds.
const DEBOUNCE_MS: u32 = 220;
const CHART_AXES: [ChartAxis; 2] = [ChartAxis::Orders, ChartAxis::Cores];

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The workload the address asks for (checked here).
    pub asked: Asked,
    /// Whether the what-if row (threads without a GIL) is shown.
    pub what_if: bool,
}

pub enum Msg {
    Slide(Knob, usize),
    Go(u64),
    WhatIf(bool),
    Fold(bool),
    Cooked {
        generation: u64,
        index: usize,
        result: Box<Result<Cooked, String>>,
    },
    Point {
        generation: u64,
        axis: ChartAxis,
        index: usize,
        x: u64,
        result: Result<f64, String>,
    },
}

pub struct CompareView {
    workload: Workload,
    notes: Vec<String>,
    what_if: bool,
    kitchens: Vec<Kitchen>,
    cooked: Vec<Option<Result<Cooked, String>>>,
    runs: Rc<Vec<Run>>,
    /// Per chart axis, a series per kitchen.
    series: Vec<(ChartAxis, Vec<Series>)>,
    queue: VecDeque<(ChartAxis, usize, u64)>,
    left_out: Vec<(ChartAxis, Vec<u64>)>,
    chart_error: Option<String>,
    generation: u64,
    fold: bool,
    _debounce: Option<Timeout>,
}

impl Component for CompareView {
    type Message = Msg;
    type Properties = Props;

    fn create(ctx: &Context<Self>) -> Self {
        let (workload, notes) = ctx.props().asked.clamped();
        let mut view = CompareView {
            workload,
            notes,
            what_if: ctx.props().what_if,
            kitchens: Vec::new(),
            cooked: Vec::new(),
            runs: Rc::new(Vec::new()),
            series: Vec::new(),
            queue: VecDeque::new(),
            left_out: Vec::new(),
            chart_error: None,
            generation: 0,
            fold: true,
            _debounce: None,
        };
        view.start(ctx);
        view
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Slide(knob, position) => {
                self.workload = knob.set(&self.workload, position);
                self.notes.clear();
                let value = crate::page::waits::number(knob.value(&self.workload));
                super::url::remember(knob.param(), Some(&value));
                self.generation += 1;
                let (link, generation) = (ctx.link().clone(), self.generation);
                self._debounce = Some(Timeout::new(DEBOUNCE_MS, move || {
                    link.send_message(Msg::Go(generation))
                }));
            }
            Msg::Go(generation) => {
                if generation == self.generation {
                    self.start(ctx);
                }
            }
            Msg::WhatIf(on) => {
                self.what_if = on;
                super::url::remember("whatif", if on { None } else { Some("0") });
                self.start(ctx);
            }
            Msg::Fold(on) => self.fold = on,
            Msg::Cooked {
                generation,
                index,
                result,
            } => {
                if generation != self.generation {
                    return false;
                }
                self.cooked[index] = Some(*result);
                self.runs = Rc::new(self.runs_now());
                if index + 1 < self.kitchens.len() {
                    self.cook(ctx, index + 1);
                } else {
                    self.next_point(ctx);
                }
            }
            Msg::Point {
                generation,
                axis,
                index,
                x,
                result,
            } => {
                if generation != self.generation {
                    return false;
                }
                match result {
                    Ok(total) => {
                        if let Some((_, s)) = self.series.iter_mut().find(|(a, _)| *a == axis) {
                            let points = &mut s[index].points;
                            let at = points.partition_point(|p| p.0 < x);
                            points.insert(at, (x, total));
                        }
                        self.next_point(ctx);
                    }
                    Err(e) => self.chart_error = Some(e),
                }
            }
        }
        true
    }

    fn rendered(&mut self, _ctx: &Context<Self>, _first: bool) {
        super::embed::report_height();
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        html! {
            <section id="compare" class="compare" aria-labelledby="compare-title">
                <h2 id="compare-title">{ "The four kitchens side by side, on one workload" }</h2>
                <p class="compare-intro" id="compare-workload">{ model::describe(&self.workload) }</p>
                { self.view_sliders(ctx) }
                <label class="what-if-toggle">
                    <input type="checkbox" id="what-if" checked={self.what_if}
                           onchange={link.callback(|e: Event| Msg::WhatIf(e.target_dyn_into::<web_sys::HtmlInputElement>().is_some_and(|i| i.checked())))} />
                    { " Add the what-if row: threads without a GIL (the free-threaded build, a model)" }
                </label>
                { for self.notes.iter().map(|n| html! { <p class="note">{ n }</p> }) }
                { self.view_table() }
                { self.view_charts() }
                if !self.runs.is_empty() {
                    <CompareRuns runs={self.runs.clone()} fold={self.fold} on_fold={link.callback(Msg::Fold)} />
                }
            </section>
        }
    }
}

impl CompareView {
    /// Cooks the workload afresh: every kitchen for the table, then the chart's points.
    fn start(&mut self, ctx: &Context<Self>) {
        self.generation += 1;
        self.kitchens = model::kitchens(self.what_if);
        self.cooked = vec![None; self.kitchens.len()];
        self.runs = Rc::new(Vec::new());
        self.chart_error = None;
        let series_of = |axis| {
            self.kitchens
                .iter()
                .map(|k| Series {
                    kitchen: k.id(),
                    axis,
                    points: Vec::new(),
                })
                .collect::<Vec<_>>()
        };
        self.series = CHART_AXES.iter().map(|&a| (a, series_of(a))).collect();
        let mut queue: Vec<(f64, ChartAxis, usize, u64)> = Vec::new();
        self.left_out.clear();
        for axis in CHART_AXES {
            let (kept, left) = model::chart_points(&self.workload, axis);
            for &x in &kept {
                let cost = model::cost(&axis.at(&self.workload, x));
                for i in 0..self.kitchens.len() {
                    queue.push((cost, axis, i, x));
                }
            }
            self.left_out.push((axis, left));
        }
        crate::core::sort::sort_by(&mut queue, |a, b| a.0.total_cmp(&b.0));
        self.queue = queue.into_iter().map(|(_, a, i, x)| (a, i, x)).collect();
        self.cook(ctx, 0);
    }

    fn cook(&self, ctx: &Context<Self>, index: usize) {
        let (generation, kitchen, w) =
            (self.generation, self.kitchens[index], self.workload.clone());
        ctx.link().send_future(async move {
            Msg::Cooked {
                generation,
                index,
                result: Box::new(compare_door::cook_kitchen(kitchen, w).await),
            }
        });
    }

    fn next_point(&mut self, ctx: &Context<Self>) {
        let Some((axis, index, x)) = self.queue.pop_front() else {
            return;
        };
        let (generation, kitchen) = (self.generation, self.kitchens[index]);
        let w = axis.at(&self.workload, x);
        ctx.link().send_future(async move {
            Msg::Point {
                generation,
                axis,
                index,
                x,
                result: compare_door::total(kitchen, w).await,
            }
        });
    }

    fn runs_now(&self) -> Vec<Run> {
        self.cooked
            .iter()
            .flatten()
            .filter_map(|c| c.as_ref().ok())
            .map(|c| Run {
                kitchen: c.kitchen.id(),
                heading: format!("{} · {}", c.kitchen.title(), seconds(c.figures.makespan_s)),
                replay: Rc::new(Replay::new(c.trace.clone())),
            })
            .collect()
    }

    fn done(&self) -> usize {
        self.cooked.iter().filter(|c| c.is_some()).count()
    }

    fn view_sliders(&self, ctx: &Context<Self>) -> Html {
        html! {
            <div class="sliders" role="group" aria-label="the workload">
                { for KNOBS.iter().map(|&knob| {
                    let stops = knob.stops().len();
                    let text = knob.text(&self.workload);
                    let on_input = ctx.link().callback(move |e: InputEvent| {
                        let p = e.target_dyn_into::<web_sys::HtmlInputElement>()
                            .and_then(|i| i.value().parse::<usize>().ok())
                            .unwrap_or(0);
                        Msg::Slide(knob, p)
                    });
                    html! {
                        <div class="slider">
                            <label for={knob.id()}>{ knob.label() }</label>
                            <input type="range" id={knob.id()} min="0" max={(stops - 1).to_string()} step="1"
                                   value={knob.position(&self.workload).to_string()} aria-valuetext={text.clone()}
                                   oninput={on_input} />
                            <output for={knob.id()} id={format!("{}-value", knob.id())}>{ text }</output>
                        </div>
                    }
                }) }
            </div>
        }
    }

    fn view_table(&self) -> Html {
        let figures: Vec<(Kitchen, crate::compare::Figures)> = self
            .cooked
            .iter()
            .flatten()
            .filter_map(|c| c.as_ref().ok())
            .map(|c| (c.kitchen, c.figures.clone()))
            .collect();
        let table = Table::of_figures(&self.workload, &figures, Vec::new());
        let cells = model::cells(&table);
        let errors: Vec<&String> = self
            .cooked
            .iter()
            .flatten()
            .filter_map(|c| c.as_ref().err())
            .collect();
        let status = if self.done() < self.kitchens.len() {
            format!(
                "Cooking the kitchens: {} of {} done…",
                self.done(),
                self.kitchens.len()
            )
        } else {
            model::verdict(&table)
        };
        html! {
            <>
                <p class="compare-status" id="compare-status" role="status">{ status }</p>
                { for errors.iter().map(|e| html! { <p class="error">{ e.to_string() }</p> }) }
                <table class="compare-table" aria-busy={(self.done() < self.kitchens.len()).to_string()}>
                    <caption>{ "Each kitchen's run of the workload (speedup: one chef's total, asyncio with blocking steps, over this kitchen's)" }</caption>
                    <thead><tr>
                        <th scope="col">{ "kitchen" }</th><th scope="col">{ "total" }</th>
                        <th scope="col">{ "speedup over one chef" }</th><th scope="col">{ "CPU busy" }</th>
                        <th scope="col">{ "peak memory" }</th><th scope="col">{ "start overhead" }</th>
                    </tr></thead>
                    <tbody>
                        { for cells.iter().map(|c| html! {
                            <tr data-kitchen={c.kitchen} class={classes!(c.fastest.then_some("fastest"), c.what_if.then_some("what-if"))}>
                                <th scope="row">
                                    <span class="kitchen-id">{ c.kitchen }</span>
                                    <span class="kitchen-title">{ c.title }</span>
                                    if c.fastest { <span class="tag">{ " fastest" }</span> }
                                    if c.what_if { <span class="tag model">{ " a model" }</span> }
                                </th>
                                <td class="total">{ c.total.clone() }</td><td>{ c.speedup.clone() }</td>
                                <td>{ c.cpu_busy.clone() }</td><td>{ c.memory.clone() }</td><td>{ c.overhead.clone() }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                if self.what_if {
                    <p class="hint">{ "The what-if row is a model: the simulator's GIL switched off, this machine's other costs. No free-threaded CPython was available to check it, and the real build runs single threads somewhat slower." }</p>
                }
            </>
        }
    }

    fn view_charts(&self) -> Html {
        html! {
            <section class="compare-charts" aria-labelledby="compare-charts-title">
                <h3 id="compare-charts-title">{ "Total time against orders, and against cores" }</h3>
                <p class="hint">{ "Each point is the same workload with one knob changed, cooked in every kitchen. Where two lines cross, one kitchen overtakes another." }</p>
                <div class="chart-row">
                    { for self.series.iter().map(|(axis, series)| {
                        let current = match axis {
                            ChartAxis::Orders => self.workload.orders as u64,
                            _ => self.workload.cores as u64,
                        };
                        let chart = compare_chart::chart(series, *axis, current, 560.0, 320.0);
                        let (id, title) = match axis {
                            ChartAxis::Orders => ("chart-orders", "Total time against orders"),
                            _ => ("chart-cores", "Total time against cores"),
                        };
                        chart_view::view(&chart, series, id, title)
                    }) }
                </div>
                if let Some(e) = &self.chart_error { <p class="error">{ e.clone() }</p> }
                { self.view_left_out() }
            </section>
        }
    }

    fn view_left_out(&self) -> Html {
        let left: Vec<String> = self
            .left_out
            .iter()
            .filter(|(_, xs)| !xs.is_empty())
            .map(|(axis, xs)| {
                let list: Vec<String> = xs.iter().map(|&x| count(x as f64)).collect();
                format!("{} {}", list.join(", "), axis.name())
            })
            .collect();
        if left.is_empty() {
            return html! {};
        }
        html! {
            <p class="note" id="chart-left-out">
                { format!("Not simulated on the page: {} (each takes over {} GIL turns and time slices to simulate, seconds per kitchen). This prints them: ", left.join("; "), count(model::POINT_BUDGET)) }
                <code>{ model::command(&self.workload) }</code>
            </p>
        }
    }
}
