//! Draws a chart of [`crate::page::compare_chart`] as SVG: a line per kitchen (colour, dash
//! and marker), the crossovers as numbered bands, the workload asked for as a dashed rule,
//! the names at the lines' ends; and beside it, for every reader, the crossovers in words and
//! the chart's numbers in a table that opens on demand.

use yew::prelude::*;

use crate::compare::Series;
use crate::lessons::facts::{count, seconds};
use crate::page::compare_chart::{Chart, Marker, NAME_H, STYLES};

pub fn view(chart: &Chart, series: &[Series], id: &str, title: &str) -> Html {
    let (left, top, right, bottom) = chart.plot;
    html! {
        <figure class="compare-chart" id={id.to_string()}>
            <figcaption>{ title.to_string() }</figcaption>
            <svg viewBox={format!("0 0 {} {}", chart.width, chart.height)} role="img"
                 aria-label={format!("{title}: {}", summary(chart))}>
                <rect class="plot" x={left.to_string()} y={top.to_string()} width={(right - left).to_string()} height={(bottom - top).to_string()} />
                { for chart.crossings.iter().map(|c| html! {
                    <g class="crossing">
                        <rect x={format!("{:.1}", c.x0)} y={top.to_string()} width={format!("{:.1}", (c.x1 - c.x0).max(2.0))} height={(bottom - top).to_string()} />
                        <text x={format!("{:.1}", (c.x0 + c.x1) / 2.0)} y={(top + 14.0).to_string()}>{ c.number }</text>
                    </g>
                }) }
                { for chart.y_ticks.iter().map(|t| html! {
                    <g class="tick">
                        <line x1={left.to_string()} x2={right.to_string()} y1={format!("{:.1}", t.at)} y2={format!("{:.1}", t.at)} />
                        <text class="y" x={(left - 6.0).to_string()} y={format!("{:.1}", t.at + 4.0)}>{ t.label.clone() }</text>
                    </g>
                }) }
                { for chart.x_ticks.iter().map(|t| html! {
                    <text class="x" x={format!("{:.1}", t.at)} y={(bottom + 16.0).to_string()}>{ t.label.clone() }</text>
                }) }
                <text class="axis-title" x={((left + right) / 2.0).to_string()} y={(bottom + 36.0).to_string()}>{ chart.x_title.clone() }</text>
                if let Some(x) = chart.current {
                    <line class="current" x1={format!("{x:.1}")} x2={format!("{x:.1}")} y1={top.to_string()} y2={bottom.to_string()} />
                }
                { for chart.lines.iter().map(|l| {
                    let style = STYLES[l.style % STYLES.len()];
                    let points: Vec<String> = l.points.iter().map(|p| format!("{:.1},{:.1}", p.x, p.y)).collect();
                    html! {
                        <g class={classes!("line", l.what_if.then_some("what-if"))} data-kitchen={l.kitchen}>
                            <polyline points={points.join(" ")} stroke={style.colour} stroke-dasharray={style.dash} />
                            { for l.points.iter().map(|p| marker(style.marker, p.x, p.y, style.colour)) }
                        </g>
                    }
                }) }
                { for chart.labels.iter().map(|lab| html! {
                    <g class="end-label">
                        { for lab.names.iter().enumerate().map(|(i, (name, s))| {
                            let style = STYLES[s % STYLES.len()];
                            let y = lab.y + i as f64 * NAME_H;
                            html! {
                                <>
                                    { marker(style.marker, right + 10.0, y, style.colour) }
                                    <text x={(right + 18.0).to_string()} y={format!("{:.1}", y + 4.0)} fill={style.colour}>
                                        { if i == 0 { name.to_string() } else { format!("= {name}") } }
                                    </text>
                                </>
                            }
                        }) }
                    </g>
                }) }
            </svg>
            if !chart.crossings.is_empty() {
                <ol class="crossings">
                    { for chart.crossings.iter().map(|c| html! { <li value={c.number.to_string()}>{ c.text.clone() }</li> }) }
                </ol>
            }
            { numbers(series, chart) }
        </figure>
    }
}

/// The chart in one line, for a screen reader.
fn summary(chart: &Chart) -> String {
    if chart.lines.iter().all(|l| l.points.is_empty()) {
        return "no points yet".into();
    }
    match chart.crossings.len() {
        0 => "no kitchen overtakes another along this axis".into(),
        n => format!(
            "{n} crossover{}: {}",
            if n == 1 { "" } else { "s" },
            chart
                .crossings
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        ),
    }
}

fn marker(m: Marker, x: f64, y: f64, colour: &'static str) -> Html {
    let (x, y) = (format!("{x:.1}"), format!("{y:.1}"));
    match m {
        Marker::Circle => html! { <circle cx={x} cy={y} r="3.5" fill={colour} /> },
        Marker::Square => {
            html! { <rect x={x} y={y} width="7" height="7" transform="translate(-3.5 -3.5)" fill={colour} /> }
        }
        Marker::Triangle => {
            html! { <path d="M0 -4.5 L4 3 L-4 3 Z" transform={format!("translate({x} {y})")} fill={colour} /> }
        }
        Marker::Diamond => {
            html! { <path d="M0 -4.5 L4.5 0 L0 4.5 L-4.5 0 Z" transform={format!("translate({x} {y})")} fill={colour} /> }
        }
        Marker::Cross => {
            html! { <path d="M-4 -4 L4 4 M-4 4 L4 -4" transform={format!("translate({x} {y})")} stroke={colour} stroke-width="2" fill="none" /> }
        }
    }
}

/// Every point as numbers, in a table that opens on demand.
fn numbers(series: &[Series], chart: &Chart) -> Html {
    let xs: Vec<u64> = chart
        .axis
        .points()
        .iter()
        .copied()
        .filter(|x| series.iter().any(|s| s.points.iter().any(|p| p.0 == *x)))
        .collect();
    if xs.is_empty() {
        return html! {};
    }
    html! {
        <details class="chart-numbers">
            <summary>{ "The chart's numbers" }</summary>
            <table>
                <thead><tr><th scope="col">{ chart.axis.name() }</th>
                    { for series.iter().map(|s| html! { <th scope="col">{ s.kitchen }</th> }) }</tr></thead>
                <tbody>
                    { for xs.iter().map(|&x| html! {
                        <tr><th scope="row">{ count(x as f64) }</th>
                            { for series.iter().map(|s| {
                                let p = s.points.iter().find(|p| p.0 == x);
                                html! {
                                    <td data-s={p.map(|p| p.1.to_string())}>{ p.map_or("–".to_string(), |p| seconds(p.1)) }</td>
                                }
                            }) }</tr>
                    }) }
                </tbody>
            </table>
        </details>
    }
}
