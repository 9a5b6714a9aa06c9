//! The state colours and patterns of [`crate::page::palette`], as the page draws them: SVG
//! `<pattern>`s for the timeline and the scene's shapes, CSS backgrounds for HTML swatches.
//! One source, so the legend, the timeline and the scene always agree.

use yew::prelude::*;

use crate::core::trace::State;
use crate::page::palette::{self, Pattern, STATES};

/// White marks over a colour, as CSS.
const MARK: &str = "rgba(255,255,255,.6)";

/// The SVG pattern id of a state's fill.
pub fn pattern_id(state: State) -> String {
    format!("p-{}", palette::slug(state))
}

/// `fill` for an SVG shape in `state`.
pub fn svg_fill(state: State) -> String {
    format!("url(#{})", pattern_id(state))
}

/// The CSS `background` of an HTML swatch in `state`.
pub fn css_background(state: State) -> String {
    let style = palette::style(state);
    let fill = style.fill.hex();
    let stripes = |deg: u32| {
        format!("repeating-linear-gradient({deg}deg, {MARK} 0 1.5px, transparent 1.5px 5px)")
    };
    let marks = match style.pattern {
        Pattern::Solid => String::new(),
        Pattern::Grid => format!("{}, {}, ", stripes(0), stripes(90)),
        Pattern::Rising => format!("{}, ", stripes(45)),
        Pattern::Falling => format!("{}, ", stripes(135)),
        Pattern::Cross => format!("{}, {}, ", stripes(45), stripes(135)),
        Pattern::Horizontal => format!("{}, ", stripes(0)),
        Pattern::Vertical => format!("{}, ", stripes(90)),
        Pattern::Dots => format!("radial-gradient({MARK} 1.2px, transparent 1.5px) 0 0 / 5px 5px, "),
        Pattern::Rings => format!(
            "radial-gradient(circle, transparent 1.1px, {MARK} 1.3px 2px, transparent 2.2px) 0 0 / 7px 7px, "
        ),
    };
    format!("background: {marks}{fill}")
}

/// A small square of a state's colour and pattern, with its name for screen readers left to
/// the text beside it.
pub fn swatch(state: State) -> Html {
    html! { <span class={classes!("swatch", format!("s-{}", palette::slug(state)))} style={css_background(state)} aria-hidden="true"></span> }
}

/// The `<defs>` with one pattern per state, for an SVG that uses [`svg_fill`].
pub fn svg_defs() -> Html {
    html! {
        <defs>
            { for STATES.iter().map(|&s| pattern(s)) }
        </defs>
    }
}

fn pattern(state: State) -> Html {
    let style = palette::style(state);
    let fill = style.fill.hex();
    let white = |x: &str, y: &str, w: &str, h: &str| {
        html! {
            <rect x={x.to_string()} y={y.to_string()} width={w.to_string()} height={h.to_string()} fill="#fff" fill-opacity="0.6" />
        }
    };
    let (size, rotate, marks) = match style.pattern {
        Pattern::Solid => (6, 0, html! {}),
        Pattern::Grid => (
            5,
            0,
            html! { <>{ white("0", "0", "5", "1.2") }{ white("0", "0", "1.2", "5") }</> },
        ),
        Pattern::Rising => (5, 45, white("0", "0", "1.6", "5")),
        Pattern::Falling => (5, -45, white("0", "0", "1.6", "5")),
        Pattern::Cross => (
            5,
            45,
            html! { <>{ white("0", "0", "1.4", "5") }{ white("0", "0", "5", "1.4") }</> },
        ),
        Pattern::Horizontal => (5, 0, white("0", "0", "5", "1.6")),
        Pattern::Vertical => (5, 0, white("0", "0", "1.6", "5")),
        Pattern::Dots => (
            5,
            0,
            html! { <circle cx="2.5" cy="2.5" r="1.2" fill="#fff" fill-opacity="0.7" /> },
        ),
        Pattern::Rings => (
            7,
            0,
            html! { <circle cx="3.5" cy="3.5" r="1.7" fill="none" stroke="#fff" stroke-opacity="0.7" stroke-width="0.8" /> },
        ),
    };
    html! {
        <pattern id={pattern_id(state)} width={size.to_string()} height={size.to_string()}
                 patternUnits="userSpaceOnUse" patternTransform={format!("rotate({rotate})")}>
            <rect width={size.to_string()} height={size.to_string()} fill={fill} />
            { marks }
        </pattern>
    }
}
