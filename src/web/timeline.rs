//! Draws a trace as it stands at one moment: one row per chef, then who holds each GIL, then
//! what each core runs. Everything after `now_s` is left out, so the rows fill as time plays.
//!
//! Big runs (1,000 chefs) would make a page of thin lines and a slow redraw, so only the first
//! [`MAX_LANES`] lanes, GILs and cores are drawn, with a row saying how many more there are.

use yew::prelude::*;

use crate::core::trace::{Holding, Lane, LaneKind, Span, State, Trace};

/// Rows of each kind drawn at most.
pub const MAX_LANES: usize = 14;
pub const MAX_GILS: usize = 10;
pub const MAX_CORES: usize = 16;

const LABEL_W: f64 = 190.0;
const PLOT_W: f64 = 800.0;
const ROW_H: f64 = 22.0;
const GAP: f64 = 14.0;

/// A CSS class per state, so the legend and the rows share colours (see `www/style.css`).
pub fn state_class(state: State) -> &'static str {
    match state {
        State::Running => "s-running",
        State::Spawning => "s-spawning",
        State::WaitingGil => "s-waiting-gil",
        State::WaitingCore => "s-waiting-core",
        State::Sleeping => "s-sleeping",
        State::Blocked => "s-blocked",
        State::Idle => "s-idle",
        State::Ready => "s-ready",
        State::Awaiting => "s-awaiting",
    }
}

pub fn state_name(state: State) -> &'static str {
    match state {
        State::Running => "running Python",
        State::Spawning => "starting a thread/process",
        State::WaitingGil => "waiting for the GIL",
        State::WaitingCore => "waiting for a core",
        State::Sleeping => "sleeping / I/O (GIL free)",
        State::Blocked => "blocked (join, start)",
        State::Idle => "event loop idle",
        State::Ready => "task ready, loop busy",
        State::Awaiting => "task awaiting",
    }
}

pub const LEGEND: [State; 9] = [
    State::Running,
    State::Spawning,
    State::WaitingGil,
    State::WaitingCore,
    State::Sleeping,
    State::Blocked,
    State::Idle,
    State::Ready,
    State::Awaiting,
];

/// One drawn row.
struct Row<'a> {
    label: String,
    class: &'static str,
    /// For a lane's row: the lane, whose colour marks the row (as in the GIL and core rows and
    /// the code panel's lane tags).
    lane: Option<usize>,
    bars: Vec<Bar<'a>>,
}

enum Bar<'a> {
    Span(&'a Span),
    /// A stretch during which a lane held a GIL or a core, coloured by that lane.
    Held(&'a Holding, &'a str),
}

/// The trace at `now_s`, as SVG.
pub fn view(trace: &Trace, now_s: f64) -> Html {
    let rows = rows(trace);
    let end = if trace.makespan_s > 0.0 {
        trace.makespan_s
    } else {
        1.0
    };
    let x = |t: f64| LABEL_W + (t.clamp(0.0, end) / end) * PLOT_W;
    let height = rows.iter().map(|(gap, _)| gap + ROW_H).sum::<f64>() + 24.0;
    let mut y = 0.0;
    let drawn: Html = rows
        .iter()
        .map(|(gap, row)| {
            y += gap;
            let html = draw_row(row, y, now_s, &x);
            y += ROW_H;
            html
        })
        .collect();
    let cursor = x(now_s);
    html! {
        <svg class="timeline" viewBox={format!("0 0 {} {height}", LABEL_W + PLOT_W + 10.0)}
             preserveAspectRatio="xMinYMin meet" role="img"
             aria-label={format!("timeline of {} at {:.3} s", trace.title, now_s)}>
            { drawn }
            <line class="cursor" x1={cursor.to_string()} x2={cursor.to_string()} y1="0" y2={(height - 20.0).to_string()} />
            <text class="axis" x={LABEL_W.to_string()} y={(height - 6.0).to_string()}>{ "0 s" }</text>
            <text class="axis end" x={(LABEL_W + PLOT_W).to_string()} y={(height - 6.0).to_string()}>
                { format!("{:.3} s", trace.makespan_s) }
            </text>
        </svg>
    }
}

fn draw_row(row: &Row, y: f64, now_s: f64, x: &dyn Fn(f64) -> f64) -> Html {
    let bars: Html = row
        .bars
        .iter()
        .filter_map(|bar| {
            let (start, end, class, title, style) = match bar {
                Bar::Span(s) => (s.start_s, s.end_s, state_class(s.state), tip(state_name(s.state), &s.label), None),
                Bar::Held(h, name) => (h.start_s, h.end_s, "held", name.to_string(), Some(lane_colour(h.lane))),
            };
            if start >= now_s || end <= start {
                return None;
            }
            let (x0, x1) = (x(start), x(end.min(now_s)));
            Some(html! {
                <rect class={class} x={x0.to_string()} y={(y + 2.0).to_string()}
                      width={(x1 - x0).max(0.4).to_string()} height={(ROW_H - 4.0).to_string()} style={style}>
                    <title>{ title }</title>
                </rect>
            })
        })
        .collect();
    html! {
        <g class={classes!("row", row.class)}>
            if let Some(lane) = row.lane {
                <rect class="lane-mark" x="0" y={(y + 3.0).to_string()} width="5" height={(ROW_H - 6.0).to_string()}
                      style={lane_colour(lane)} />
            }
            <text class="row-label" x="9" y={(y + ROW_H * 0.7).to_string()}>{ row.label.clone() }</text>
            <rect class="row-bg" x={LABEL_W.to_string()} y={y.to_string()} width={PLOT_W.to_string()} height={ROW_H.to_string()} />
            { bars }
        </g>
    }
}

fn tip(state: &str, label: &str) -> String {
    if label.is_empty() {
        state.to_string()
    } else {
        format!("{label}: {state}")
    }
}

/// A steady colour per lane, so a chef looks the same in the GIL and core rows and in the code
/// panel's lane tags.
pub fn lane_hsl(lane: usize) -> String {
    format!("hsl({}, 65%, 48%)", (lane * 137) % 360)
}

/// [`lane_hsl`] as an SVG fill.
pub fn lane_colour(lane: usize) -> String {
    format!("fill: {}", lane_hsl(lane))
}

/// All rows with the gap above each: lanes, then GILs, then cores.
fn rows(trace: &Trace) -> Vec<(f64, Row<'_>)> {
    let lanes = trace.lanes.iter().enumerate().map(|(i, lane)| Row {
        label: lane_label(lane),
        class: "lane",
        lane: Some(i),
        bars: lane.spans.iter().map(Bar::Span).collect(),
    });
    let gils = trace.gil.iter().map(|gil| {
        let owner = trace
            .lanes
            .iter()
            .find(|l| l.process == gil.process)
            .map_or("?", |l| l.name.as_str());
        let label = if trace.gil.len() == 1 {
            "GIL".to_string()
        } else {
            format!("GIL · {owner}")
        };
        Row {
            label,
            class: "gil",
            lane: None,
            bars: held(trace, &gil.held),
        }
    });
    let cores = trace.cores.iter().enumerate().map(|(i, core)| Row {
        label: format!("core {i}"),
        class: "core",
        lane: None,
        bars: held(trace, core),
    });
    let mut rows = Vec::new();
    section(&mut rows, 0.0, lanes, trace.lanes.len(), MAX_LANES, "lanes");
    section(&mut rows, GAP, gils, trace.gil.len(), MAX_GILS, "GILs");
    section(&mut rows, GAP, cores, trace.cores.len(), MAX_CORES, "cores");
    rows
}

/// Bars for stretches during which lanes held a GIL or a core, named after those lanes.
fn held<'a>(trace: &'a Trace, holdings: &'a [Holding]) -> Vec<Bar<'a>> {
    let name = |lane: usize| trace.lanes.get(lane).map_or("?", |l| l.name.as_str());
    holdings
        .iter()
        .map(|h| Bar::Held(h, name(h.lane)))
        .collect()
}

/// Appends at most `max` of a section's `count` rows, the first after a gap, and a row saying
/// how many more there are.
fn section<'a>(
    rows: &mut Vec<(f64, Row<'a>)>,
    gap: f64,
    items: impl Iterator<Item = Row<'a>>,
    count: usize,
    max: usize,
    what: &str,
) {
    for (i, row) in items.take(max).enumerate() {
        rows.push((if i == 0 { gap } else { 0.0 }, row));
    }
    if count > max {
        let label = format!("… {} more {what}", count - max);
        rows.push((
            0.0,
            Row {
                label,
                class: "more",
                lane: None,
                bars: Vec::new(),
            },
        ));
    }
}

fn lane_label(lane: &Lane) -> String {
    match lane.kind {
        LaneKind::Task => format!("  ↳ task {}", lane.name),
        LaneKind::Main => format!("{} (main thread)", lane.name),
        LaneKind::PoolWorker => format!("{} (pool)", lane.name),
        _ => lane.name.clone(),
    }
}
