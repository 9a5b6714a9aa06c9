//! The timeline's layout: which rows, which bars where, the time axis with its ticks, folds and
//! zoom. `web::timeline` draws exactly this.
//!
//! - **Axis**: time maps to a position on an axis from 0 to 1. Folded, stretches where nothing
//!   but waiting happens (no lane running, starting, ready or queued for the GIL or a core:
//!   the 30 s boil) shrink to [`FOLD_SHARE`] of the width each, behind a break mark, so the
//!   CPU part gets the room.
//! - **View**: the part of the axis on screen; zoom and pan change it.
//! - **Rows**: the first lanes, a row counting the rest, the GILs of processes with more than
//!   one thread (a single-threaded process's GIL is its thread's running time), the cores.
//! - **Bars**: a span narrower than a pixel is merged with its neighbours into one bar of the
//!   state that took most of that pixel, so a row never has more bars than pixels.

use crate::core::trace::{Holding, LaneKind, State};

use super::replay::{is_active, Replay};

/// A folded stretch's share of the axis.
pub const FOLD_SHARE: f64 = 0.04;
/// A quiet stretch is folded when at least this long and this share of the run.
pub const FOLD_MIN_S: f64 = 0.01;
pub const FOLD_MIN_SHARE: f64 = 0.1;
/// Folds at most (the longest quiet stretches).
pub const MAX_FOLDS: usize = 6;

/// Rows of each kind drawn at most.
pub const MAX_LANE_ROWS: usize = 12;
pub const MAX_GIL_ROWS: usize = 4;
pub const MAX_CORE_ROWS: usize = 8;

/// How many rows of each kind a layout draws (the rest are counted in a row of their own).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub lanes: usize,
    pub gils: usize,
    pub cores: usize,
}

impl Limits {
    /// The page's timeline.
    pub const FULL: Limits = Limits {
        lanes: MAX_LANE_ROWS,
        gils: MAX_GIL_ROWS,
        cores: MAX_CORE_ROWS,
    };
    /// A small timeline: four runs one above the other (the comparison).
    pub const SMALL: Limits = Limits {
        lanes: 5,
        gils: 1,
        cores: 4,
    };
    /// An embedded page's: the lanes only (its scene shows the GIL and the cores).
    pub const EMBED: Limits = Limits {
        lanes: 3,
        gils: 0,
        cores: 0,
    };
}

pub const ROW_H: f64 = 24.0;
pub const SECTION_GAP: f64 = 12.0;
pub const AXIS_H: f64 = 28.0;
/// Bars narrower than this (in pixels) are merged with their neighbours.
pub const MIN_BAR_PX: f64 = 2.0;
/// Columns of the row that counts the lanes not drawn, in pixels.
const CROWD_COLUMN_PX: f64 = 6.0;

/// One stretch of the axis: linear, or folded.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Segment {
    pub t0: f64,
    pub t1: f64,
    pub u0: f64,
    pub u1: f64,
    pub folded: bool,
}

/// Time to axis position and back.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    pub segments: Vec<Segment>,
}

impl Axis {
    /// Plain time, 0 to `end_s`.
    pub fn linear(end_s: f64) -> Axis {
        let end = if end_s > 0.0 { end_s } else { 1.0 };
        Axis {
            segments: vec![Segment {
                t0: 0.0,
                t1: end,
                u0: 0.0,
                u1: 1.0,
                folded: false,
            }],
        }
    }

    /// With the replay's quiet stretches folded.
    pub fn folded(replay: &Replay) -> Axis {
        Axis::with_folds(replay.end_s(), &quiet_stretches(replay))
    }

    /// From 0 to `end_s` with `folds` (quiet stretches in time order, not overlapping) folded:
    /// each takes [`FOLD_SHARE`] of the axis, the rest is shared by time.
    pub fn with_folds(end: f64, folds: &[(f64, f64)]) -> Axis {
        let folds: Vec<(f64, f64)> = folds
            .iter()
            .copied()
            .filter(|(a, b)| a.is_finite() && b.is_finite() && *a >= 0.0 && b > a && *b <= end)
            .collect();
        if folds.is_empty() || end <= 0.0 {
            return Axis::linear(end);
        }
        let quiet: f64 = folds.iter().map(|(a, b)| b - a).sum();
        let n = folds.len() as f64;
        let fold_w = FOLD_SHARE;
        if fold_w * n >= 1.0 {
            return Axis::linear(end);
        }
        let per_s = (1.0 - fold_w * n) / (end - quiet);
        let mut segments = Vec::new();
        let (mut t, mut u) = (0.0, 0.0);
        for (a, b) in folds {
            if a > t {
                let u1 = u + (a - t) * per_s;
                segments.push(Segment {
                    t0: t,
                    t1: a,
                    u0: u,
                    u1,
                    folded: false,
                });
                u = u1;
            }
            segments.push(Segment {
                t0: a,
                t1: b,
                u0: u,
                u1: u + fold_w,
                folded: true,
            });
            u += fold_w;
            t = b;
        }
        if end > t {
            segments.push(Segment {
                t0: t,
                t1: end,
                u0: u,
                u1: 1.0,
                folded: false,
            });
        }
        if let Some(last) = segments.last_mut() {
            last.u1 = 1.0;
        }
        Axis { segments }
    }

    /// The folded stretches, `(start, end)` in seconds.
    pub fn folds(&self) -> Vec<(f64, f64)> {
        self.segments
            .iter()
            .filter(|s| s.folded)
            .map(|s| (s.t0, s.t1))
            .collect()
    }

    /// Axis position of time `t_s`.
    pub fn u(&self, t_s: f64) -> f64 {
        let i = self.segments.partition_point(|s| s.t1 < t_s);
        let Some(s) = self.segments.get(i) else {
            return 1.0;
        };
        if t_s <= s.t0 || s.t1 <= s.t0 {
            return s.u0;
        }
        s.u0 + (t_s - s.t0) / (s.t1 - s.t0) * (s.u1 - s.u0)
    }

    /// Time at axis position `u`.
    pub fn t(&self, u: f64) -> f64 {
        let i = self.segments.partition_point(|s| s.u1 < u);
        let Some(s) = self.segments.get(i).or(self.segments.last()) else {
            return 0.0;
        };
        if s.u1 <= s.u0 {
            return s.t0;
        }
        (s.t0 + (u - s.u0) / (s.u1 - s.u0) * (s.t1 - s.t0)).clamp(s.t0, s.t1)
    }
}

/// Stretches longer than the fold thresholds during which no lane is active, longest
/// [`MAX_FOLDS`], in time order.
pub fn quiet_stretches(replay: &Replay) -> Vec<(f64, f64)> {
    let end = replay.end_s();
    let mut active: Vec<(f64, f64)> = replay
        .trace
        .lanes
        .iter()
        .flat_map(|l| l.spans.iter())
        .filter(|s| is_active(s.state) && s.end_s > s.start_s)
        .map(|s| (s.start_s, s.end_s))
        .collect();
    crate::core::sort::sort_by(&mut active, |a, b| a.0.total_cmp(&b.0));
    let min = FOLD_MIN_S.max(FOLD_MIN_SHARE * end);
    let mut quiet = Vec::new();
    let mut covered = 0.0_f64;
    for (a, b) in active {
        if a - covered >= min {
            quiet.push((covered, a));
        }
        covered = covered.max(b);
    }
    if end - covered >= min {
        quiet.push((covered, end));
    }
    crate::core::sort::sort_by(&mut quiet, |x, y| (y.1 - y.0).total_cmp(&(x.1 - x.0)));
    quiet.truncate(MAX_FOLDS);
    crate::core::sort::sort_by(&mut quiet, |x, y| x.0.total_cmp(&y.0));
    quiet
}

/// The part of the axis on screen, `u0` to `u1` within 0 to 1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    pub u0: f64,
    pub u1: f64,
}

/// The narrowest view: a millionth of the axis.
pub const MIN_VIEW: f64 = 1e-6;

impl View {
    pub fn full() -> View {
        View { u0: 0.0, u1: 1.0 }
    }

    pub fn width(&self) -> f64 {
        self.u1 - self.u0
    }

    pub fn is_full(&self) -> bool {
        self.u0 <= 0.0 && self.u1 >= 1.0
    }

    /// Zooms by `factor` (2 shows half as much) keeping axis position `about` where it is.
    pub fn zoom(&self, factor: f64, about: f64) -> View {
        if !(factor.is_finite() && factor > 0.0 && about.is_finite()) {
            return *self;
        }
        let w = (self.width() / factor).clamp(MIN_VIEW, 1.0);
        let about = about.clamp(self.u0, self.u1);
        let share = if self.width() > 0.0 {
            (about - self.u0) / self.width()
        } else {
            0.5
        };
        View {
            u0: about - share * w,
            u1: about - share * w + w,
        }
        .clamped()
    }

    /// Moves the view by `du` of the axis.
    pub fn pan(&self, du: f64) -> View {
        if !du.is_finite() {
            return *self;
        }
        View {
            u0: self.u0 + du,
            u1: self.u1 + du,
        }
        .clamped()
    }

    /// The view moved (not resized) so that it lies within 0 to 1.
    fn clamped(self) -> View {
        let w = self.width().clamp(MIN_VIEW, 1.0);
        if w > 1.0 - 1e-9 {
            return View::full();
        }
        let u0 = self.u0.clamp(0.0, 1.0 - w);
        View { u0, u1: u0 + w }
    }

    /// Pixel of axis position `u` in a plot `width` pixels wide.
    pub fn x(&self, u: f64, width: f64) -> f64 {
        (u - self.u0) / self.width() * width
    }

    /// Axis position at pixel `x`.
    pub fn u_at(&self, x: f64, width: f64) -> f64 {
        self.u0 + x / width * self.width()
    }
}

/// What a row shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RowKind {
    Lane(usize),
    /// The lanes not drawn one by one: how many.
    More(usize),
    Gil(usize),
    Core(usize),
    /// GILs or cores not drawn.
    MoreOf(&'static str, usize),
}

/// How a bar is filled.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Fill {
    State(State),
    /// Narrow spans merged: the state that took most of the bar.
    Mixed(State),
    /// A GIL or core held by this lane.
    Held(usize),
    /// Narrow holdings of several lanes merged.
    HeldMixed,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bar {
    pub x0: f64,
    pub x1: f64,
    pub t0: f64,
    pub t1: f64,
    pub fill: Fill,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub kind: RowKind,
    pub label: String,
    /// The lane's number badge, for lane rows.
    pub badge: Option<String>,
    pub y: f64,
    pub bars: Vec<Bar>,
}

/// An axis tick.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub x: f64,
    pub label: String,
}

/// A folded stretch on screen.
#[derive(Clone, Debug, PartialEq)]
pub struct Break {
    pub x0: f64,
    pub x1: f64,
    pub label: String,
}

/// The whole drawing.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub rows: Vec<Row>,
    pub ticks: Vec<Tick>,
    pub breaks: Vec<Break>,
    /// Plot width in pixels (the label column is the drawer's).
    pub width: f64,
    pub height: f64,
    pub axis: Axis,
    pub view: View,
}

impl Layout {
    /// Pixel of time `t_s`.
    pub fn x(&self, t_s: f64) -> f64 {
        self.view.x(self.axis.u(t_s), self.width)
    }

    /// Time at pixel `x`.
    pub fn t(&self, x: f64) -> f64 {
        self.axis.t(self.view.u_at(x, self.width))
    }

    /// The row at height `y`.
    pub fn row_at(&self, y: f64) -> Option<&Row> {
        self.rows.iter().find(|r| y >= r.y && y < r.y + ROW_H)
    }
}

/// Lays out `replay` on `axis`, showing `view`, in a plot `width` pixels wide.
pub fn layout(replay: &Replay, axis: &Axis, view: View, width: f64) -> Layout {
    layout_limited(replay, axis, view, width, Limits::FULL)
}

/// [`layout`] with at most `limits` rows of each kind.
pub fn layout_limited(
    replay: &Replay,
    axis: &Axis,
    view: View,
    width: f64,
    limits: Limits,
) -> Layout {
    let width = if width.is_finite() && width >= 50.0 {
        width
    } else {
        50.0
    };
    let x = |t: f64| view.x(axis.u(t), width);
    let mut rows = Vec::new();
    let mut y = 0.0;
    let mut push = |rows: &mut Vec<Row>, kind, label: String, badge, bars, gap: bool| {
        if gap && !rows.is_empty() {
            y += SECTION_GAP;
        }
        rows.push(Row {
            kind,
            label,
            badge,
            y,
            bars,
        });
        y += ROW_H;
    };
    let lanes = &replay.trace.lanes;
    let Limits {
        lanes: max_lanes,
        gils: max_gils,
        cores: max_cores,
    } = limits;
    for lane in lanes.iter().take(max_lanes) {
        let bars = span_bars(
            lane.spans.iter().map(|s| (s.start_s, s.end_s, s.state)),
            &x,
            width,
        );
        push(
            &mut rows,
            RowKind::Lane(lane.id),
            lane_label(lane),
            Some(lane.id.to_string()),
            bars,
            false,
        );
    }
    if lanes.len() > max_lanes {
        let hidden: Vec<usize> = (max_lanes..lanes.len()).collect();
        let bars = crowd_bars(replay, &hidden, axis, view, width);
        push(
            &mut rows,
            RowKind::More(hidden.len()),
            format!("{} more lanes", hidden.len()),
            None,
            bars,
            false,
        );
    }
    let gils: Vec<_> = replay
        .trace
        .gil
        .iter()
        .filter(|g| {
            replay
                .processes
                .iter()
                .any(|p| p.index == g.process && p.chefs.len() > 1)
        })
        .collect();
    for (i, gil) in gils.iter().take(max_gils).enumerate() {
        let owner = replay
            .processes
            .iter()
            .find(|p| p.index == gil.process)
            .and_then(|p| p.chefs.first());
        let label = match owner {
            Some(&o) if gils.len() > 1 => format!("GIL of {}", replay.name(o)),
            _ => "GIL (the stove)".to_string(),
        };
        push(
            &mut rows,
            RowKind::Gil(gil.process),
            label,
            None,
            held_bars(&gil.held, &x, width),
            i == 0,
        );
    }
    // A limit of 0 leaves the kind out, with no row counting it.
    if max_gils > 0 && gils.len() > max_gils {
        let n = gils.len() - max_gils;
        push(
            &mut rows,
            RowKind::MoreOf("GILs", n),
            format!("{n} more GILs"),
            None,
            Vec::new(),
            false,
        );
    }
    let cores = &replay.trace.cores;
    for (i, core) in cores.iter().take(max_cores).enumerate() {
        push(
            &mut rows,
            RowKind::Core(i),
            format!("core {i}"),
            None,
            held_bars(core, &x, width),
            i == 0,
        );
    }
    if max_cores > 0 && cores.len() > max_cores {
        let n = cores.len() - max_cores;
        push(
            &mut rows,
            RowKind::MoreOf("cores", n),
            format!("{n} more cores"),
            None,
            Vec::new(),
            false,
        );
    }
    let plot_h = rows.last().map_or(0.0, |r| r.y + ROW_H);
    Layout {
        ticks: ticks(axis, view, width),
        breaks: breaks(axis, view, width),
        rows,
        width,
        height: plot_h + AXIS_H,
        axis: axis.clone(),
        view,
    }
}

fn lane_label(lane: &crate::core::trace::Lane) -> String {
    match lane.kind {
        LaneKind::Task => format!("↳ {}", lane.name),
        LaneKind::Main => format!("{} (main thread)", lane.name),
        LaneKind::PoolWorker => format!("{} (helper)", lane.name),
        LaneKind::Process => format!("{} (process)", lane.name),
        _ => lane.name.clone(),
    }
}

/// Bars of stretches `(start, end, state)` in time order, narrow ones merged.
fn span_bars(
    spans: impl Iterator<Item = (f64, f64, State)>,
    x: &dyn Fn(f64) -> f64,
    width: f64,
) -> Vec<Bar> {
    let mut merger = Merger::new(width);
    for (t0, t1, state) in spans {
        merger.add(x(t0), x(t1), t0, t1, Key::State(state));
    }
    merger.finish()
}

fn held_bars(held: &[Holding], x: &dyn Fn(f64) -> f64, width: f64) -> Vec<Bar> {
    let mut merger = Merger::new(width);
    for h in held {
        merger.add(
            x(h.start_s),
            x(h.end_s),
            h.start_s,
            h.end_s,
            Key::Held(h.lane),
        );
    }
    merger.finish()
}

#[derive(Clone, Copy, PartialEq)]
enum Key {
    State(State),
    Held(usize),
}

/// Gathers stretches into bars: a wide stretch is a bar of its own; narrow neighbours are
/// pooled until they fill [`MIN_BAR_PX`], then drawn as the key that took most of the pool.
struct Merger {
    width: f64,
    bars: Vec<Bar>,
    pool: Option<(f64, f64, f64, f64)>,
    pooled: Vec<(Key, f64)>,
}

impl Merger {
    fn new(width: f64) -> Merger {
        Merger {
            width,
            bars: Vec::new(),
            pool: None,
            pooled: Vec::new(),
        }
    }

    fn add(&mut self, x0: f64, x1: f64, t0: f64, t1: f64, key: Key) {
        if x1 <= 0.0 || x0 >= self.width || t1 <= t0 {
            return;
        }
        let (x0, x1) = (x0.max(0.0), x1.min(self.width));
        if x1 - x0 >= MIN_BAR_PX {
            self.flush();
            self.push(Bar {
                x0,
                x1,
                t0,
                t1,
                fill: fill(key, false),
            });
            return;
        }
        let pool = self.pool.get_or_insert((x0, x1, t0, t1));
        pool.1 = x1;
        pool.3 = t1;
        match self.pooled.iter_mut().find(|(k, _)| *k == key) {
            Some((_, d)) => *d += t1 - t0,
            None => self.pooled.push((key, t1 - t0)),
        }
        if pool.1 - pool.0 >= MIN_BAR_PX {
            self.flush();
        }
    }

    fn flush(&mut self) {
        let Some((x0, x1, t0, t1)) = self.pool.take() else {
            return;
        };
        let mixed = self.pooled.len() > 1;
        let top = self
            .pooled
            .iter()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(k, _)| *k);
        self.pooled.clear();
        if let Some(key) = top {
            self.push(Bar {
                x0,
                x1,
                t0,
                t1,
                fill: fill(key, mixed),
            });
        }
    }

    /// Adds a bar, or lengthens the last one when it touches it with the same fill (a second
    /// of 5 ms turns drawn as mixed pools is one bar, not hundreds).
    fn push(&mut self, bar: Bar) {
        if let Some(last) = self.bars.last_mut() {
            if last.fill == bar.fill && bar.x0 - last.x1 < 0.01 {
                last.x1 = bar.x1;
                last.t1 = bar.t1;
                return;
            }
        }
        self.bars.push(bar);
    }

    fn finish(mut self) -> Vec<Bar> {
        self.flush();
        self.bars
    }
}

fn fill(key: Key, mixed: bool) -> Fill {
    match (key, mixed) {
        (Key::State(s), false) => Fill::State(s),
        (Key::State(s), true) => Fill::Mixed(s),
        (Key::Held(l), false) => Fill::Held(l),
        (Key::Held(_), true) => Fill::HeldMixed,
    }
}

/// The row counting the lanes not drawn: in each column, the state most of them are in.
fn crowd_bars(replay: &Replay, lanes: &[usize], axis: &Axis, view: View, width: f64) -> Vec<Bar> {
    let columns = (width / CROWD_COLUMN_PX).ceil() as usize;
    let mut merger = Merger::new(width);
    for c in 0..columns {
        let (x0, x1) = (
            c as f64 * CROWD_COLUMN_PX,
            ((c + 1) as f64 * CROWD_COLUMN_PX).min(width),
        );
        let (t0, t1) = (axis.t(view.u_at(x0, width)), axis.t(view.u_at(x1, width)));
        let mid = (t0 + t1) / 2.0;
        let mut counts: Vec<(State, usize)> = Vec::new();
        for &lane in lanes {
            if let Some(s) = replay.span_at(lane, mid) {
                match counts.iter_mut().find(|(st, _)| *st == s.state) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((s.state, 1)),
                }
            }
        }
        if let Some(&(state, _)) = counts.iter().max_by_key(|(_, n)| *n) {
            merger.add(x0, x1, t0, t1, Key::State(state));
        }
    }
    merger.finish()
}

/// Ticks every 1, 2 or 5 of some power of ten seconds, about every 110 pixels, in the
/// unfolded segments on screen.
fn ticks(axis: &Axis, view: View, width: f64) -> Vec<Tick> {
    let mut out = Vec::new();
    for s in axis.segments.iter().filter(|s| !s.folded) {
        let (x0, x1) = (view.x(s.u0, width), view.x(s.u1, width));
        let (a, b) = (x0.max(0.0), x1.min(width));
        if b - a < 1.0 || s.t1 <= s.t0 {
            continue;
        }
        let secs_per_px = (s.t1 - s.t0) / (x1 - x0);
        let step = nice_step(secs_per_px * 110.0);
        let digits = (-step.log10().floor()).max(0.0) as usize;
        let (t_a, t_b) = (axis.t(view.u_at(a, width)), axis.t(view.u_at(b, width)));
        let mut k = (t_a / step).ceil();
        while k * step <= t_b && out.len() < 200 {
            let t = k * step;
            let x = view.x(axis.u(t), width);
            if out.last().is_none_or(|last: &Tick| x - last.x > 60.0) {
                out.push(Tick {
                    x,
                    label: format!("{t:.digits$} s"),
                });
            }
            k += 1.0;
        }
    }
    out
}

fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let p = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * p)
}

fn breaks(axis: &Axis, view: View, width: f64) -> Vec<Break> {
    axis.segments
        .iter()
        .filter(|s| s.folded)
        .map(|s| Break {
            x0: view.x(s.u0, width),
            x1: view.x(s.u1, width),
            label: format!(
                "{} folded: only waiting",
                super::narration::duration(s.t1 - s.t0)
            ),
        })
        .filter(|b| b.x1 > 0.0 && b.x0 < width)
        .collect()
}
