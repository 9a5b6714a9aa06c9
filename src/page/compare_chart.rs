//! The comparison's chart: each kitchen's total time against orders, or against cores, where
//! the crossovers show. This is its layout in pixels; `web::compare_chart` draws it as SVG.
//!
//! Both axes are logarithmic where the values span a wide range (orders 1 to 1,000, cores 1
//! to 64; times from 30 s to over 800 s), so a doubling looks the same everywhere. Lines are
//! told apart by a dash pattern and a marker shape as well as colour, and each is named at
//! its end; lines that coincide (three kitchens that take the same time) share one label,
//! "asyncio-blocking = threads", rather than hiding one another unnamed. A crossover is drawn
//! as a band between the two points where the lead changes, numbered, and said in words.

use crate::compare::{crossovers, Axis, Series};
use crate::lessons::facts::{count, seconds};

/// Room around the plot, in pixels: axis labels left and below, line names right.
const LEFT: f64 = 64.0;
const RIGHT: f64 = 190.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 44.0;
/// Line names closer than this (in pixels) are merged or pushed apart.
const LABEL_GAP: f64 = 15.0;

#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub at: f64,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
    pub value: u64,
    pub total_s: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub kitchen: &'static str,
    /// Index into [`STYLES`].
    pub style: usize,
    pub what_if: bool,
    pub points: Vec<Point>,
}

/// The names at the right end of one line, or of several that end at the same total (one
/// name under the other, the second and later marked "=").
#[derive(Clone, Debug, PartialEq)]
pub struct EndLabel {
    /// The first name's baseline centre.
    pub y: f64,
    /// Each kitchen named, with its style (its marker beside the name).
    pub names: Vec<(&'static str, usize)>,
}

impl EndLabel {
    /// The names as one text: "asyncio-blocking = threads".
    pub fn text(&self) -> String {
        self.names
            .iter()
            .map(|n| n.0)
            .collect::<Vec<_>>()
            .join(" = ")
    }

    fn height(&self) -> f64 {
        self.names.len() as f64 * NAME_H
    }
}

/// The height of one name in an end label.
pub const NAME_H: f64 = 14.0;

#[derive(Clone, Debug, PartialEq)]
pub struct Crossing {
    pub number: usize,
    pub x0: f64,
    pub x1: f64,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub axis: Axis,
    pub width: f64,
    pub height: f64,
    /// The plot's left, top, right and bottom edges.
    pub plot: (f64, f64, f64, f64),
    pub lines: Vec<Line>,
    pub labels: Vec<EndLabel>,
    pub x_ticks: Vec<Tick>,
    pub y_ticks: Vec<Tick>,
    pub crossings: Vec<Crossing>,
    /// Where the workload asked for stands on the x axis.
    pub current: Option<f64>,
    pub x_title: String,
}

/// How a kitchen's line looks: stroke colour, dash pattern, marker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    pub colour: &'static str,
    pub dash: &'static str,
    pub marker: Marker,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
    Cross,
}

/// One style per kitchen of [`crate::compare::KITCHENS`], the what-if last. Dark colours
/// (each at least 4.5:1 on white) that differ in dash and marker as well.
pub const STYLES: [Style; 5] = [
    Style {
        colour: "#1d1d1f",
        dash: "",
        marker: Marker::Circle,
    },
    Style {
        colour: "#0b57d0",
        dash: "7 4",
        marker: Marker::Square,
    },
    Style {
        colour: "#a33a00",
        dash: "2 3",
        marker: Marker::Triangle,
    },
    Style {
        colour: "#1e6b2e",
        dash: "10 3 2 3",
        marker: Marker::Diamond,
    },
    Style {
        colour: "#6a1b9a",
        dash: "1 5",
        marker: Marker::Cross,
    },
];

/// The style of kitchen `id`.
pub fn style_of(id: &str) -> usize {
    let mut all = crate::compare::KITCHENS.to_vec();
    all.push(crate::compare::Kitchen::ThreadsWithoutGil);
    all.iter().position(|k| k.id() == id).unwrap_or(0)
}

/// Lays out `series` (one per kitchen, all along `axis`) in `width` × `height` pixels;
/// `current` is the asked workload's value on the axis.
pub fn chart(series: &[Series], axis: Axis, current: u64, width: f64, height: f64) -> Chart {
    let (x0, x1) = log_range(axis.points());
    let plot = (
        LEFT,
        TOP,
        (width - RIGHT).max(LEFT + 50.0),
        (height - BOTTOM).max(TOP + 50.0),
    );
    let totals: Vec<f64> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .filter(|t| t.is_finite() && *t > 0.0)
        .collect();
    let lo = totals.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = totals.iter().copied().fold(0.0, f64::max);
    let y_scale = YScale::new(lo, hi);
    let px = |v: f64| plot.0 + (v.max(1.0).ln() - x0) / (x1 - x0).max(1e-9) * (plot.2 - plot.0);
    let py = |t: f64| plot.3 - y_scale.fraction(t) * (plot.3 - plot.1);
    let lines: Vec<Line> = series
        .iter()
        .map(|s| Line {
            kitchen: s.kitchen,
            style: style_of(s.kitchen),
            what_if: s.kitchen == crate::compare::Kitchen::ThreadsWithoutGil.id(),
            points: s
                .points
                .iter()
                .map(|&(value, total_s)| Point {
                    x: px(value as f64),
                    y: py(total_s),
                    value,
                    total_s,
                })
                .collect(),
        })
        .collect();
    let crossings = crossovers(series)
        .into_iter()
        .enumerate()
        .map(|(i, c)| Crossing {
            number: i + 1,
            x0: px(c.between.0 as f64),
            x1: px(c.between.1 as f64),
            text: format!(
                "{} overtakes {} between {} and {} {}",
                c.faster,
                c.slower,
                count(c.between.0 as f64),
                count(c.between.1 as f64),
                axis.name()
            ),
        })
        .collect();
    Chart {
        axis,
        width,
        height,
        plot,
        labels: end_labels(&lines, plot),
        x_ticks: axis
            .points()
            .iter()
            .map(|&v| Tick {
                at: px(v as f64),
                label: count(v as f64),
            })
            .collect(),
        y_ticks: y_scale
            .ticks()
            .into_iter()
            .map(|t| Tick {
                at: py(t),
                label: seconds(t),
            })
            .collect(),
        crossings,
        current: (current >= 1).then(|| px(current as f64)),
        lines,
        x_title: match axis {
            Axis::Orders => "orders (the other knobs as set)".into(),
            Axis::Cores => "cores (the other knobs as set)".into(),
            Axis::CpuN => "CPU step, loop turns".into(),
        },
    }
}

/// `ln` of the first and last point (at least 1).
fn log_range(points: &[u64]) -> (f64, f64) {
    let first = points.first().copied().unwrap_or(1).max(1) as f64;
    let last = points.last().copied().unwrap_or(10).max(2) as f64;
    (first.ln(), last.ln().max(first.ln() + 1e-9))
}

/// Total time on the y axis: logarithmic when the times span more than five times, else
/// linear from zero.
struct YScale {
    log: bool,
    lo: f64,
    hi: f64,
}

impl YScale {
    fn new(lo: f64, hi: f64) -> YScale {
        if !(lo.is_finite() && hi.is_finite() && hi > 0.0) {
            return YScale {
                log: false,
                lo: 0.0,
                hi: 1.0,
            };
        }
        if hi / lo > 5.0 {
            YScale {
                log: true,
                lo: lo * 0.9,
                hi: hi * 1.1,
            }
        } else {
            let step = nice_ceiling(hi * 1.05 / 5.0);
            YScale {
                log: false,
                lo: 0.0,
                hi: (hi * 1.05 / step).ceil() * step,
            }
        }
    }

    fn fraction(&self, t: f64) -> f64 {
        let f = if self.log {
            (t.max(1e-12).ln() - self.lo.ln()) / (self.hi.ln() - self.lo.ln())
        } else {
            (t - self.lo) / (self.hi - self.lo)
        };
        f.clamp(0.0, 1.0)
    }

    fn ticks(&self) -> Vec<f64> {
        if self.log {
            let mut out = Vec::new();
            let mut p = 10f64.powf(self.lo.log10().floor());
            while p <= self.hi && out.len() < 40 {
                for m in [1.0, 2.0, 5.0] {
                    let t = m * p;
                    if t >= self.lo && t <= self.hi {
                        out.push(t);
                    }
                }
                p *= 10.0;
            }
            out
        } else {
            let step = nice_ceiling(self.hi / 5.0 * (1.0 - 1e-9));
            (0..=6)
                .map(|i| i as f64 * step)
                .filter(|t| *t <= self.hi * (1.0 + 1e-9))
                .collect()
        }
    }
}

/// The smallest 1, 2 or 5 times a power of ten at or above `x`.
fn nice_ceiling(x: f64) -> f64 {
    if !(x.is_finite() && x > 0.0) {
        return 1.0;
    }
    let p = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|v| *v >= x * (1.0 - 1e-12))
        .unwrap_or(10.0 * p)
}

/// Names at the lines' right ends: lines that end at the same total (within the comparison's
/// tie, 0.2 %) share a name; the names are then pushed apart to stay readable.
fn end_labels(lines: &[Line], plot: (f64, f64, f64, f64)) -> Vec<EndLabel> {
    let mut ends: Vec<(&Point, &Line)> = lines
        .iter()
        .filter_map(|l| l.points.last().map(|p| (p, l)))
        .collect();
    crate::core::sort::sort_by(&mut ends, |a, b| a.0.y.total_cmp(&b.0.y));
    let mut labels: Vec<(f64, f64, Vec<&Line>)> = Vec::new();
    for (p, line) in ends {
        match labels.last_mut() {
            Some((_, total, group))
                if (p.total_s - *total).abs() <= 0.002 * total.max(p.total_s) =>
            {
                group.push(line)
            }
            _ => labels.push((p.y, p.total_s, vec![line])),
        }
    }
    let mut out: Vec<EndLabel> = labels
        .into_iter()
        .map(|(y, _, group)| EndLabel {
            y,
            names: group.iter().map(|l| (l.kitchen, l.style)).collect(),
        })
        .collect();
    for i in 1..out.len() {
        let min = out[i - 1].y + out[i - 1].height() + LABEL_GAP - NAME_H;
        if out[i].y < min {
            out[i].y = min;
        }
    }
    if let Some(last) = out.last() {
        let over = last.y + last.height() - NAME_H - (plot.3 + 10.0);
        if over > 0.0 {
            for l in &mut out {
                l.y -= over;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(kitchen: &'static str, points: &[(u64, f64)]) -> Series {
        Series {
            kitchen,
            axis: Axis::Orders,
            points: points.to_vec(),
        }
    }

    #[test]
    fn lines_rise_with_time_and_crossings_are_numbered_bands() {
        let a = s("asyncio-blocking", &[(1, 30.8), (10, 38.0), (100, 110.0)]);
        let p = s("processes", &[(1, 31.0), (10, 31.5), (100, 50.0)]);
        let c = chart(&[a, p], Axis::Orders, 3, 800.0, 300.0);
        let (left, top, right, bottom) = c.plot;
        assert!(left < right && top < bottom);
        let l = &c.lines[0];
        assert!(
            l.points
                .windows(2)
                .all(|w| w[0].x < w[1].x && w[0].y > w[1].y),
            "longer is higher"
        );
        assert!(
            (l.points[0].x - left).abs() < 1e-9,
            "1 order at the left edge"
        );
        assert!(c
            .lines
            .iter()
            .all(|l| l.points.iter().all(|p| p.y >= top && p.y <= bottom)));
        assert_eq!(c.crossings.len(), 1);
        let x = &c.crossings[0];
        assert_eq!(x.number, 1);
        assert_eq!(
            x.text,
            "processes overtakes asyncio-blocking between 1 and 10 orders"
        );
        assert!(x.x0 < x.x1);
        let cur = c.current.unwrap();
        assert!(
            cur > l.points[0].x && cur < l.points[1].x,
            "3 orders between 1 and 10"
        );
        assert_eq!(c.x_ticks.len(), Axis::Orders.points().len());
        assert_eq!(c.x_ticks[0].label, "1");
        assert_eq!(c.x_ticks.last().unwrap().label, "1,000");
        assert_ne!(c.lines[0].style, c.lines[1].style);
    }

    #[test]
    fn coinciding_lines_share_a_name_and_names_do_not_overlap() {
        let same = [(1, 30.0), (2, 31.0)];
        let lines = [
            s("asyncio-blocking", &same),
            s("threads", &same),
            s("processes", &[(1, 30.2), (2, 30.3)]),
            s("asyncio-to-thread", &[(1, 60.0), (2, 90.0)]),
        ];
        let c = chart(&lines, Axis::Orders, 1, 800.0, 300.0);
        let texts: Vec<String> = c.labels.iter().map(|l| l.text()).collect();
        assert!(
            texts.contains(&"asyncio-blocking = threads".to_string()),
            "{texts:?}"
        );
        assert!(
            c.labels
                .windows(2)
                .all(|w| w[1].y - (w[0].y + w[0].height() - NAME_H) >= LABEL_GAP - 1e-9),
            "{:?}",
            c.labels
        );
    }

    #[test]
    fn times_over_a_wide_range_get_a_logarithmic_axis() {
        let wide = YScale::new(30.0, 830.0);
        assert!(wide.log);
        let ticks = wide.ticks();
        assert!(
            ticks.contains(&50.0) && ticks.contains(&100.0) && ticks.contains(&500.0),
            "{ticks:?}"
        );
        let narrow = YScale::new(30.0, 32.4);
        assert!(!narrow.log);
        assert_eq!(narrow.ticks().first(), Some(&0.0));
        assert_eq!(narrow.hi, 40.0);
        assert!(narrow.fraction(32.4) < 1.0 && narrow.fraction(32.4) > 0.75);
        assert_eq!(narrow.ticks(), vec![0.0, 10.0, 20.0, 30.0, 40.0]);
        let empty = chart(&[], Axis::Cores, 4, 600.0, 300.0);
        assert!(empty.lines.is_empty() && empty.labels.is_empty());
        assert_eq!(nice_ceiling(34.0), 50.0);
        assert_eq!(nice_ceiling(10.0), 10.0);
    }
}
