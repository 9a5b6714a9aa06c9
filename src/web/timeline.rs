//! Draws the timeline of [`crate::page::timeline`]: a row per lane (then the GILs and cores),
//! full width, with zoom (`#zoom-in`, `#zoom-out`, the wheel), pan (drag), the fold of quiet
//! stretches (`#fold`), and a description of the stretch under the pointer or, from the
//! keyboard, of the focused row at the cursor (↑/↓ pick a row while the timeline has focus).
//!
//! The bars are drawn by [`Bars`], a component whose only property is the layout: it is built
//! again only when zoom, pan, fold or the width change. Each frame only the cursor and the
//! clip that hides what has not happened yet move.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent, PointerEvent};
use yew::prelude::*;

use crate::page::describe;
use crate::page::palette::{self, HELD};
use crate::page::replay::Replay;
use crate::page::timeline::{self as model, Axis, Fill, Layout, Limits, View, ROW_H};

use super::patterns::{svg_defs, svg_fill};

/// Width of the label column, in pixels.
const LABEL_W: f64 = 170.0;
const NARROW_LABEL_W: f64 = 112.0;
/// A pointer that moves less than this between press and release clicked (seeks).
const CLICK_PX: f64 = 4.0;

#[derive(Properties)]
pub struct Props {
    pub replay: Rc<Replay>,
    pub axis: Rc<Axis>,
    pub now_s: f64,
    pub fold: bool,
    pub on_fold: Callback<bool>,
    pub on_seek: Callback<f64>,
    /// A small timeline (an embedded page): a few rows, no tools, no description line.
    #[prop_or_default]
    pub compact: bool,
}

impl PartialEq for Props {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.replay, &o.replay)
            && Rc::ptr_eq(&self.axis, &o.axis)
            && self.now_s == o.now_s
            && self.fold == o.fold
            && self.compact == o.compact
    }
}

/// A press in progress: where it started and the view then.
#[derive(Clone, Copy)]
struct Press {
    x: f64,
    view: View,
    moved: bool,
}

#[function_component(Timeline)]
pub fn timeline(props: &Props) -> Html {
    let wrap = use_node_ref();
    let svg_ref = use_node_ref();
    let total_w = use_state(|| 900.0_f64);
    let view = use_state(View::full);
    let hover = use_state(|| None::<(usize, f64)>);
    let focus_row = use_state(|| None::<usize>);
    let press = use_mut_ref(|| None::<Press>);
    use_width(&wrap, &total_w);
    {
        // A new axis (fold toggled, another trace) shows the whole run again.
        let view = view.clone();
        let key = (
            Rc::as_ptr(&props.axis) as usize,
            Rc::as_ptr(&props.replay) as usize,
        );
        use_effect_with(key, move |_| view.set(View::full()));
    }
    let label_w = if *total_w < 640.0 {
        NARROW_LABEL_W
    } else {
        LABEL_W
    };
    let plot_w = (*total_w - label_w - 8.0).max(60.0);
    let layout = {
        let (replay, axis) = (props.replay.clone(), props.axis.clone());
        let limits = if props.compact {
            Limits::EMBED
        } else {
            Limits::FULL
        };
        let key = (
            Rc::as_ptr(&replay) as usize,
            Rc::as_ptr(&axis) as usize,
            view.u0.to_bits(),
            view.u1.to_bits(),
            plot_w.to_bits(),
            props.compact,
        );
        let v = *view;
        use_memo(key, move |_| {
            model::layout_limited(&replay, &axis, v, plot_w, limits)
        })
    };
    use_wheel_zoom(&svg_ref, &view, layout.clone(), label_w);

    let now_x = layout.x(props.now_s).clamp(0.0, plot_w);
    let height = layout.height;
    let tip = tip_text(props, &layout, *hover, *focus_row);
    let cursor_visible = props.now_s >= layout.t(0.0) && props.now_s <= layout.t(plot_w);
    let zoom = |factor: f64| {
        let (view, layout, now) = (view.clone(), layout.clone(), props.now_s);
        Callback::from(move |_: MouseEvent| {
            let u_now = layout.axis.u(now);
            let about = if u_now >= view.u0 && u_now <= view.u1 {
                u_now
            } else {
                (view.u0 + view.u1) / 2.0
            };
            view.set(view.zoom(factor, about));
        })
    };
    let on_fold = {
        let (cb, fold) = (props.on_fold.clone(), props.fold);
        Callback::from(move |_: MouseEvent| cb.emit(!fold))
    };
    let pointer = pointer_handlers(
        &svg_ref,
        &view,
        &layout,
        &press,
        &hover,
        &props.on_seek,
        label_w,
    );
    let on_key = {
        let (focus_row, rows) = (focus_row.clone(), layout.rows.len());
        Callback::from(move |e: KeyboardEvent| {
            let next = match e.key().as_str() {
                "ArrowDown" => Some(focus_row.map_or(0, |r| (r + 1).min(rows.saturating_sub(1)))),
                "ArrowUp" => Some(focus_row.map_or(0, |r| r.saturating_sub(1))),
                _ => None,
            };
            if let Some(r) = next {
                e.prevent_default();
                focus_row.set(Some(r));
            }
        })
    };
    let on_blur = {
        let focus_row = focus_row.clone();
        Callback::from(move |_: FocusEvent| focus_row.set(None))
    };
    html! {
        <section class={classes!("timeline-wrap", props.compact.then_some("compact"))} ref={wrap} aria-label="timeline">
            if !props.compact {
            <div class="timeline-tools">
                <h2>{ "Timeline" }</h2>
                <button id="zoom-in" onclick={zoom(2.0)} title="Zoom in around the cursor">{ "Zoom in +" }</button>
                <button id="zoom-out" onclick={zoom(0.5)} disabled={view.is_full()} title="Zoom out">{ "Zoom out −" }</button>
                <button id="zoom-reset" onclick={{ let v = view.clone(); Callback::from(move |_: MouseEvent| v.set(View::full())) }} disabled={view.is_full()}>{ "Whole run" }</button>
                <button id="fold" aria-pressed={props.fold.to_string()} onclick={on_fold}
                        title="Shorten stretches where nothing but waiting happens">
                    { if props.fold { "Folded: quiet stretches shortened" } else { "Fold quiet stretches" } }
                </button>
                <span class="hint">{ "Drag to pan, wheel to zoom, click to jump; focus it and use ↑/↓ to read a row." }</span>
            </div>
            }
            <svg class="timeline" ref={svg_ref} width={total_w.to_string()} height={height.to_string()}
                 viewBox={format!("0 0 {} {height}", *total_w)} tabindex="0" role="group"
                 aria-label={format!("timeline of {} rows; ↑ and ↓ choose a row, the description follows the cursor", layout.rows.len())}
                 aria-describedby={(!props.compact).then_some("timeline-tip")}
                 onpointerdown={pointer.down} onpointermove={pointer.moved} onpointerup={pointer.up}
                 onpointerleave={pointer.leave} onkeydown={on_key} onblur={on_blur}>
                { svg_defs() }
                <clipPath id="tl-past"><rect x="0" y="0" width={format!("{now_x:.2}")} height={height.to_string()} /></clipPath>
                <g transform={format!("translate({label_w} 0)")}>
                    <Bars layout={layout.clone()} />
                    if cursor_visible {
                        <line class="cursor" x1={format!("{now_x:.2}")} x2={format!("{now_x:.2}")} y1="0" y2={(height - model::AXIS_H + 4.0).to_string()} />
                    }
                </g>
                <Labels layout={layout.clone()} label_w={label_w as u32} />
                if let Some(r) = focus_row.and_then(|r| layout.rows.get(r)) {
                    <rect class="row-focus" x="1" y={(r.y + 1.0).to_string()} width={(*total_w - 2.0).to_string()} height={(ROW_H - 2.0).to_string()} />
                }
            </svg>
            if !props.compact {
                <p class="timeline-tip" id="timeline-tip">{ tip }</p>
            }
        </section>
    }
}

fn tip_text(
    props: &Props,
    layout: &Layout,
    hover: Option<(usize, f64)>,
    focus: Option<usize>,
) -> String {
    let (row, t) = match (hover, focus) {
        (Some((r, t)), _) => (r, t),
        (None, Some(r)) => (r, props.now_s),
        (None, None) => return "Point at a stretch (or focus the timeline and press ↓) to read who, what, when and why.".into(),
    };
    layout
        .rows
        .get(row)
        .and_then(|r| describe::stretch(&props.replay, r.kind, t))
        .unwrap_or_else(|| {
            format!(
                "{}: nothing at {t:.6} s",
                layout.rows.get(row).map_or("", |r| r.label.as_str())
            )
        })
}

struct Pointer {
    down: Callback<PointerEvent>,
    moved: Callback<PointerEvent>,
    up: Callback<PointerEvent>,
    leave: Callback<PointerEvent>,
}

/// Press-drag pans; a press without a drag seeks; moving without a press describes.
fn pointer_handlers(
    svg: &NodeRef,
    view: &UseStateHandle<View>,
    layout: &Rc<Layout>,
    press: &Rc<std::cell::RefCell<Option<Press>>>,
    hover: &UseStateHandle<Option<(usize, f64)>>,
    on_seek: &Callback<f64>,
    label_w: f64,
) -> Pointer {
    let local = {
        let svg = svg.clone();
        move |e: &PointerEvent| -> Option<(f64, f64)> {
            let el = svg.cast::<Element>()?;
            let r = el.get_bounding_client_rect();
            Some((
                e.client_x() as f64 - r.left() - label_w,
                e.client_y() as f64 - r.top(),
            ))
        }
    };
    let down = {
        let (press, view, local) = (press.clone(), view.clone(), local.clone());
        Callback::from(move |e: PointerEvent| {
            if let Some((x, _)) = local(&e) {
                *press.borrow_mut() = Some(Press {
                    x,
                    view: *view,
                    moved: false,
                });
            }
        })
    };
    let moved = {
        let (press, view, layout, hover, local) = (
            press.clone(),
            view.clone(),
            layout.clone(),
            hover.clone(),
            local.clone(),
        );
        Callback::from(move |e: PointerEvent| {
            let Some((x, y)) = local(&e) else { return };
            let mut p = press.borrow_mut();
            if let Some(p) = p.as_mut() {
                if (x - p.x).abs() > CLICK_PX || p.moved {
                    p.moved = true;
                    view.set(p.view.pan(-(x - p.x) / layout.width * p.view.width()));
                    return;
                }
            }
            let row = layout.rows.iter().position(|r| y >= r.y && y < r.y + ROW_H);
            hover.set(
                row.filter(|_| x >= 0.0 && x <= layout.width)
                    .map(|r| (r, layout.t(x))),
            );
        })
    };
    let up = {
        let (press, layout, on_seek) = (press.clone(), layout.clone(), on_seek.clone());
        Callback::from(move |e: PointerEvent| {
            let Some(p) = press.borrow_mut().take() else {
                return;
            };
            if let (false, Some((x, _))) = (p.moved, local(&e)) {
                if x >= 0.0 && x <= layout.width {
                    on_seek.emit(layout.t(x));
                }
            }
        })
    };
    let leave = {
        let (press, hover) = (press.clone(), hover.clone());
        Callback::from(move |_: PointerEvent| {
            press.borrow_mut().take();
            hover.set(None);
        })
    };
    Pointer {
        down,
        moved,
        up,
        leave,
    }
}

/// Keeps `width` at the element's width, now and on every resize of the window.
#[hook]
pub(super) fn use_width(node: &NodeRef, width: &UseStateHandle<f64>) {
    let (node, width) = (node.clone(), width.clone());
    use_effect_with((), move |_| {
        let measure = {
            let (node, width) = (node.clone(), width.clone());
            move || {
                if let Some(el) = node.cast::<Element>() {
                    let w = el.client_width() as f64;
                    if w > 0.0 && (w - *width).abs() >= 1.0 {
                        width.set(w);
                    }
                }
            }
        };
        measure();
        let listener = Closure::<dyn Fn()>::new(measure);
        let window = web_sys::window();
        if let Some(w) = &window {
            let _ = w.add_event_listener_with_callback("resize", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(w) = window {
                let _ = w.remove_event_listener_with_callback(
                    "resize",
                    listener.as_ref().unchecked_ref(),
                );
            }
        }
    });
}

/// The wheel zooms about the pointer. Registered by hand, not passive, so the page does not
/// scroll while zooming.
#[hook]
fn use_wheel_zoom(svg: &NodeRef, view: &UseStateHandle<View>, layout: Rc<Layout>, label_w: f64) {
    let (svg, view) = (svg.clone(), view.clone());
    let key = (Rc::as_ptr(&layout) as usize, label_w.to_bits());
    use_effect_with(key, move |_| {
        let el = svg.cast::<Element>();
        let handler = Closure::<dyn Fn(web_sys::WheelEvent)>::new({
            let el = el.clone();
            move |e: web_sys::WheelEvent| {
                let Some(el) = &el else { return };
                let x = e.client_x() as f64 - el.get_bounding_client_rect().left() - label_w;
                if x < 0.0 || x > layout.width {
                    return;
                }
                e.prevent_default();
                let about = layout.view.u_at(x, layout.width);
                view.set(
                    layout
                        .view
                        .zoom(if e.delta_y() < 0.0 { 1.25 } else { 0.8 }, about),
                );
            }
        });
        if let Some(el) = &el {
            let options = web_sys::AddEventListenerOptions::new();
            options.set_passive(false);
            let _ = el.add_event_listener_with_callback_and_add_event_listener_options(
                "wheel",
                handler.as_ref().unchecked_ref(),
                &options,
            );
        }
        move || {
            if let Some(el) = el {
                let _ = el
                    .remove_event_listener_with_callback("wheel", handler.as_ref().unchecked_ref());
            }
        }
    });
}

#[derive(Properties)]
pub(super) struct LayoutProps {
    pub layout: Rc<Layout>,
    #[prop_or_default]
    pub label_w: u32,
    /// The clip that hides what has not happened yet; `None` draws the whole run.
    #[prop_or(Some(AttrValue::Static("url(#tl-past)")))]
    pub clip: Option<AttrValue>,
}

impl PartialEq for LayoutProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.layout, &o.layout) && self.label_w == o.label_w && self.clip == o.clip
    }
}

/// The bars, the break marks and the axis: drawn again only when the layout changes.
#[function_component(Bars)]
pub(super) fn bars(props: &LayoutProps) -> Html {
    let l = &props.layout;
    let axis_y = l.height - model::AXIS_H;
    html! {
        <>
            <g class="rows-bg">
                { for l.rows.iter().map(|r| html! {
                    <rect class="row-bg" x="0" y={r.y.to_string()} width={l.width.to_string()} height={ROW_H.to_string()} />
                }) }
            </g>
            <g class="bars" clip-path={props.clip.clone()}>
                { for l.rows.iter().map(|r| html! {
                    <g class="row" data-row={row_kind_name(r.kind)}>
                        { for r.bars.iter().map(|b| bar(b, r.y)) }
                    </g>
                }) }
            </g>
            { for l.breaks.iter().map(|b| html! {
                <g class="fold-mark">
                    <rect x={format!("{:.1}", b.x0)} y="0" width={format!("{:.1}", (b.x1 - b.x0).max(2.0))} height={axis_y.to_string()} />
                    <text x={format!("{:.1}", (b.x0 + b.x1) / 2.0)} y={(axis_y + 22.0).to_string()}>{ "≈" }</text>
                    <title>{ b.label.clone() }</title>
                </g>
            }) }
            <g class="axis">
                <line x1="0" x2={l.width.to_string()} y1={axis_y.to_string()} y2={axis_y.to_string()} />
                { for l.ticks.iter().map(|t| html! {
                    <>
                        <line x1={format!("{:.1}", t.x)} x2={format!("{:.1}", t.x)} y1={axis_y.to_string()} y2={(axis_y + 4.0).to_string()} />
                        <text x={format!("{:.1}", t.x)} y={(axis_y + 16.0).to_string()}>{ t.label.clone() }</text>
                    </>
                }) }
            </g>
        </>
    }
}

fn row_kind_name(kind: model::RowKind) -> String {
    match kind {
        model::RowKind::Lane(l) => format!("lane-{l}"),
        model::RowKind::More(_) => "more".into(),
        model::RowKind::Gil(p) => format!("gil-{p}"),
        model::RowKind::Core(c) => format!("core-{c}"),
        model::RowKind::MoreOf(what, _) => format!("more-{what}"),
    }
}

fn bar(b: &model::Bar, y: f64) -> Html {
    let (fill, class) = match b.fill {
        Fill::State(s) => (svg_fill(s), format!("s-{}", palette::slug(s))),
        Fill::Mixed(s) => (svg_fill(s), format!("s-{} mixed", palette::slug(s))),
        Fill::Held(_) | Fill::HeldMixed => (HELD.hex(), "held".to_string()),
    };
    let w = (b.x1 - b.x0).max(0.5);
    html! {
        <>
            <rect class={class} x={format!("{:.2}", b.x0)} y={(y + 3.0).to_string()} width={format!("{w:.2}")}
                  height={(ROW_H - 6.0).to_string()} fill={fill} />
        </>
    }
}

/// The label column: each row's name, with the lane's number badge.
#[function_component(Labels)]
pub(super) fn labels(props: &LayoutProps) -> Html {
    let l = &props.layout;
    let max_chars = (props.label_w as usize).saturating_sub(30) / 7;
    html! {
        <g class="labels">
            { for l.rows.iter().map(|r| {
                let mut text = r.label.clone();
                if text.chars().count() > max_chars {
                    text = text.chars().take(max_chars.saturating_sub(1)).collect::<String>() + "…";
                }
                html! {
                    <g class="label">
                        if let Some(b) = &r.badge {
                            <rect class="badge-bg" x="2" y={(r.y + 4.0).to_string()} width="24" height={(ROW_H - 8.0).to_string()} rx="3" />
                            <text class="badge-text" x="14" y={(r.y + 16.0).to_string()}>{ b.clone() }</text>
                        }
                        <text class="row-label" x="30" y={(r.y + 16.0).to_string()}>{ text }<title>{ r.label.clone() }</title></text>
                    </g>
                }
            }) }
        </g>
    }
}
