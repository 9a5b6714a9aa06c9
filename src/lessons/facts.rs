//! The numbers a lesson says, taken from its run.
//!
//! A lesson's text, its "what the posts get wrong" note and its questions are templates with
//! `{name}` placeholders; a [`Facts`] table, computed from the simulated run by the lesson's
//! own function, fills them. So the numbers on the page are always the run's own: change the
//! cores or the size and the text follows, and a test can check each claim against the very
//! numbers the text shows.
//!
//! The second half of this module are the measurements those functions are made of: when a
//! line was printed, how many chefs computed at once, how often the GIL changed hands. They
//! read a [`Trace`] only, so they work on any run, simulated or pasted.

use crate::core::trace::{LaneKind, State, Trace};

/// One number of a run, with what it measures (which decides how it is written).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A duration: `32.4 s`, `3.9 ms`.
    Seconds(f64),
    /// A count: `3`, `1,000`.
    Count(f64),
    /// Memory: `13.2 MiB`.
    Bytes(f64),
    /// A part of a whole: `37 %`.
    Share(f64),
    /// A ratio: `3.0×`.
    Times(f64),
    /// Words from the run (a printed line, a chef's name).
    Text(String),
}

impl Value {
    /// The number, for the checks (`NaN` for text).
    pub fn number(&self) -> f64 {
        match self {
            Value::Seconds(x)
            | Value::Count(x)
            | Value::Bytes(x)
            | Value::Share(x)
            | Value::Times(x) => *x,
            Value::Text(_) => f64::NAN,
        }
    }

    /// The value as the text shows it.
    pub fn show(&self) -> String {
        match self {
            Value::Seconds(s) => seconds(*s),
            Value::Count(n) => count(*n),
            Value::Bytes(b) => mebibytes(*b),
            Value::Share(x) => format!("{:.0} %", x * 100.0),
            Value::Times(x) => format!("{x:.1}×"),
            Value::Text(t) => t.clone(),
        }
    }
}

/// A duration the way a reader wants it: `30,000 s`, `90 s`, `32.4 s`, `2.40 s`, `400 ms`,
/// `3.9 ms`, `95 µs`.
pub fn seconds(s: f64) -> String {
    let a = s.abs();
    if a >= 100.0 {
        format!("{} s", count(s.round()))
    } else if a >= 10.0 {
        let tenths = (s * 10.0).round();
        if tenths % 10.0 == 0.0 {
            format!("{:.0} s", tenths / 10.0)
        } else {
            format!("{s:.1} s")
        }
    } else if a >= 1.0 {
        format!("{s:.2} s")
    } else if a >= 0.1 {
        format!("{:.0} ms", s * 1e3)
    } else if a >= 1e-3 {
        format!("{:.1} ms", s * 1e3)
    } else if a == 0.0 {
        "0 s".to_string()
    } else {
        format!("{:.0} µs", s * 1e6)
    }
}

/// A count with thousands separators; a fraction keeps one decimal.
pub fn count(n: f64) -> String {
    if n.fract().abs() > 1e-9 {
        return format!("{n:.1}");
    }
    let digits = format!("{:.0}", n.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0.0 {
        out.insert(0, '-');
    }
    out
}

/// Bytes as MiB, the unit `kitchen simulate` prints (KiB below one MiB).
pub fn mebibytes(b: f64) -> String {
    let mib = b / (1u64 << 20) as f64;
    if mib >= 100.0 {
        format!("{} MiB", count(mib.round()))
    } else if mib >= 1.0 {
        format!("{mib:.1} MiB")
    } else {
        format!("{:.1} KiB", b / 1024.0)
    }
}

/// The named numbers of one run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts(Vec<(&'static str, Value)>);

impl Facts {
    pub fn new() -> Facts {
        Facts::default()
    }

    /// Adds (or replaces) a fact.
    pub fn set(&mut self, name: &'static str, value: Value) -> &mut Facts {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name, value)),
        }
        self
    }

    pub fn seconds(&mut self, name: &'static str, s: f64) -> &mut Facts {
        self.set(name, Value::Seconds(s))
    }
    pub fn count(&mut self, name: &'static str, n: f64) -> &mut Facts {
        self.set(name, Value::Count(n))
    }
    pub fn bytes(&mut self, name: &'static str, b: f64) -> &mut Facts {
        self.set(name, Value::Bytes(b))
    }
    pub fn share(&mut self, name: &'static str, x: f64) -> &mut Facts {
        self.set(name, Value::Share(x))
    }
    pub fn times(&mut self, name: &'static str, x: f64) -> &mut Facts {
        self.set(name, Value::Times(x))
    }
    pub fn text(&mut self, name: &'static str, t: &str) -> &mut Facts {
        self.set(name, Value::Text(t.to_string()))
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// The number behind `name`; `NaN` if there is none, which fails every comparison, so a
    /// check that names a missing fact is false rather than a panic.
    pub fn num(&self, name: &str) -> f64 {
        self.get(name).map_or(f64::NAN, Value::number)
    }

    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.iter().map(|(n, _)| *n)
    }

    /// `template` with every `{name}` replaced by that fact as shown. A name without a fact
    /// is an error naming it (a typo in a template must not reach the page as `{nmae}`);
    /// `{{` and `}}` stand for braces.
    pub fn fill(&self, template: &str) -> Result<String, String> {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(i) = rest.find(['{', '}']) {
            out.push_str(&rest[..i]);
            let (c, after) = (rest.as_bytes()[i], &rest[i + 1..]);
            if after.as_bytes().first() == Some(&c) {
                out.push(c as char);
                rest = &after[1..];
                continue;
            }
            if c == b'}' {
                return Err(format!("a lone '}}' in \"{template}\""));
            }
            let end = after
                .find('}')
                .ok_or_else(|| format!("an unclosed '{{' in \"{template}\""))?;
            let name = &after[..end];
            let value = self
                .get(name)
                .ok_or_else(|| format!("no fact '{name}' for \"{template}\""))?;
            out.push_str(&value.show());
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

// ----- measurements of a trace -----------------------------------------------------------

/// When the line `text` was first printed.
pub fn printed_at(trace: &Trace, text: &str) -> Result<f64, String> {
    trace
        .prints
        .iter()
        .find(|p| p.text == text)
        .map(|p| p.t_s)
        .ok_or_else(|| format!("the run never printed \"{text}\""))
}

/// The first printed line that starts with `prefix`, and when.
pub fn printed_starting<'t>(trace: &'t Trace, prefix: &str) -> Result<(f64, &'t str), String> {
    trace
        .prints
        .iter()
        .find(|p| p.text.starts_with(prefix))
        .map(|p| (p.t_s, p.text.as_str()))
        .ok_or_else(|| format!("the run printed no line starting \"{prefix}\""))
}

/// The last time a line starting with `prefix` was printed.
pub fn last_printed_starting(trace: &Trace, prefix: &str) -> Result<f64, String> {
    trace
        .prints
        .iter()
        .rev()
        .find(|p| p.text.starts_with(prefix))
        .map(|p| p.t_s)
        .ok_or_else(|| format!("the run printed no line starting \"{prefix}\""))
}

/// Which of `lines` the run printed first (its index in `lines`).
pub fn first_printed_of(trace: &Trace, lines: &[&str]) -> Result<usize, String> {
    trace
        .prints
        .iter()
        .find_map(|p| lines.iter().position(|l| *l == p.text))
        .ok_or_else(|| format!("the run printed none of {lines:?}"))
}

/// The whole numbers in a printed line, in order: `"read, serve, write: 5 of 15"` → 5, 15.
pub fn numbers_in(text: &str) -> Vec<f64> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse::<f64>().ok())
        .collect()
}

/// A stretch of time one chef spent in one state.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stretch {
    pub lane: usize,
    pub start_s: f64,
    pub end_s: f64,
}

impl Stretch {
    pub fn length(&self) -> f64 {
        self.end_s - self.start_s
    }
}

/// The running stretches of the chefs (threads and processes; asyncio tasks are drawn beneath
/// their loop and would count the loop's work twice) whose label contains `label`, by start.
/// Back-to-back running spans of one lane (a line change) are joined into one stretch.
pub fn running(trace: &Trace, label: &str) -> Vec<Stretch> {
    let mut out: Vec<Stretch> = Vec::new();
    for lane in trace.lanes.iter().filter(|l| l.kind != LaneKind::Task) {
        let mut open: Option<Stretch> = None;
        for s in &lane.spans {
            let counts = s.state == State::Running && s.label.contains(label);
            match (&mut open, counts) {
                (Some(o), true) if (s.start_s - o.end_s).abs() < 1e-9 => o.end_s = s.end_s,
                (_, true) => {
                    out.extend(open.take());
                    open = Some(Stretch {
                        lane: lane.id,
                        start_s: s.start_s,
                        end_s: s.end_s,
                    });
                }
                (_, false) if s.end_s > s.start_s => out.extend(open.take()),
                (_, false) => {}
            }
        }
        out.extend(open);
    }
    out.retain(|s| s.length() > 0.0);
    crate::core::sort::sort_by(&mut out, |a, b| a.start_s.total_cmp(&b.start_s));
    out
}

/// The most stretches under way at one moment.
pub fn most_at_once(stretches: &[Stretch]) -> usize {
    let mut edges: Vec<(f64, i32)> = stretches
        .iter()
        .flat_map(|s| [(s.start_s, 1), (s.end_s, -1)])
        .collect();
    crate::core::sort::sort_by(&mut edges, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let (mut now, mut most) = (0i32, 0i32);
    for (_, d) in edges {
        now += d;
        most = most.max(now);
    }
    most.max(0) as usize
}

/// Total length of the stretches.
pub fn total(stretches: &[Stretch]) -> f64 {
    stretches.iter().map(Stretch::length).sum()
}

/// From the first start to the last end (0 for none).
pub fn extent(stretches: &[Stretch]) -> (f64, f64) {
    let start = stretches
        .iter()
        .map(|s| s.start_s)
        .fold(f64::INFINITY, f64::min);
    let end = stretches.iter().map(|s| s.end_s).fold(0.0, f64::max);
    if start.is_finite() {
        (start, end)
    } else {
        (0.0, 0.0)
    }
}

/// How often process 0's GIL passed from one of `lanes` straight to another of them, between
/// `from_s` and `to_s`.
pub fn gil_handoffs_among(trace: &Trace, lanes: &[usize], from_s: f64, to_s: f64) -> usize {
    let Some(gil) = trace.gil.iter().find(|g| g.process == 0) else {
        return 0;
    };
    let held: Vec<_> = gil
        .held
        .iter()
        .filter(|h| h.end_s > h.start_s && h.start_s >= from_s && h.end_s <= to_s)
        .collect();
    held.windows(2)
        .filter(|w| {
            w[0].lane != w[1].lane
                && lanes.contains(&w[0].lane)
                && lanes.contains(&w[1].lane)
                && (w[1].start_s - w[0].end_s).abs() < 1e-9
        })
        .count()
}

/// The lanes whose name starts with `prefix`.
pub fn lanes_named(trace: &Trace, prefix: &str) -> Vec<usize> {
    trace
        .lanes
        .iter()
        .filter(|l| l.name.starts_with(prefix))
        .map(|l| l.id)
        .collect()
}

/// The lanes of one kind.
pub fn lanes_of_kind(trace: &Trace, kind: LaneKind) -> Vec<usize> {
    trace
        .lanes
        .iter()
        .filter(|l| l.kind == kind)
        .map(|l| l.id)
        .collect()
}

/// Time lane `lane` spent in spans of `state` whose label starts with `label`.
pub fn time_in(trace: &Trace, lane: usize, state: State, label: &str) -> f64 {
    trace.lanes.get(lane).map_or(0.0, |l| {
        l.spans
            .iter()
            .filter(|s| s.state == state && s.label.starts_with(label))
            .map(|s| s.end_s - s.start_s)
            .sum()
    })
}

/// Time every lane together spent in spans of `state` whose label starts with `label`.
pub fn time_in_all(trace: &Trace, state: State, label: &str) -> f64 {
    (0..trace.lanes.len())
        .map(|l| time_in(trace, l, state, label))
        .sum()
}

/// When a lane's first span of `state` with a label starting `label` began.
pub fn first_span(trace: &Trace, lane: usize, state: State, label: &str) -> Option<(f64, f64)> {
    trace.lanes.get(lane)?.spans.iter().find_map(|s| {
        (s.state == state && s.label.starts_with(label)).then_some((s.start_s, s.end_s))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_written_for_readers() {
        assert_eq!(seconds(90.0), "90 s");
        assert_eq!(seconds(30.007), "30 s");
        assert_eq!(seconds(30.121), "30.1 s");
        assert_eq!(seconds(120.0), "120 s");
        assert_eq!(seconds(30_000.0), "30,000 s");
        assert_eq!(seconds(32.4), "32.4 s");
        assert_eq!(seconds(2.4), "2.40 s");
        assert_eq!(seconds(0.404), "404 ms");
        assert_eq!(seconds(0.0503), "50.3 ms");
        assert_eq!(seconds(0.0039), "3.9 ms");
        assert_eq!(seconds(95e-6), "95 µs");
        assert_eq!(count(1000.0), "1,000");
        assert_eq!(count(3_000_000.0), "3,000,000");
        assert_eq!(count(5.0), "5");
        assert_eq!(count(2.5), "2.5");
        assert_eq!(mebibytes(1_653_800_000.0), "1,577 MiB");
        assert_eq!(mebibytes(13_800_000.0), "13.2 MiB");
        assert_eq!(mebibytes(14_600.0), "14.3 KiB");
        assert_eq!(Value::Share(0.375).show(), "38 %");
        assert_eq!(Value::Times(3.0).show(), "3.0×");
    }

    #[test]
    fn templates_fill_from_the_facts_and_refuse_unknown_names() {
        let mut f = Facts::new();
        f.seconds("total", 32.4).count("orders", 3.0);
        assert_eq!(
            f.fill("{orders} orders in {total} ({{braces}})").unwrap(),
            "3 orders in 32.4 s ({braces})"
        );
        assert!(f.fill("{nope}").unwrap_err().contains("nope"));
        assert!(f.fill("{open").is_err());
        assert!(f.fill("close}").is_err());
        assert!(f.num("nope").is_nan());
        assert_eq!(f.num("orders"), 3.0);
    }

    #[test]
    fn numbers_come_out_of_printed_lines() {
        assert_eq!(numbers_in("read, serve, write: 5 of 15"), [5.0, 15.0]);
        assert_eq!(
            numbers_in("tally += 1: 3000000 of 3000000"),
            [1.0, 3e6, 3e6]
        );
        assert!(numbers_in("done").is_empty());
    }

    #[test]
    fn stretches_overlap_counts() {
        let s = |lane, a, b| Stretch {
            lane,
            start_s: a,
            end_s: b,
        };
        let v = [s(0, 0.0, 1.0), s(1, 0.5, 1.5), s(2, 1.0, 2.0)];
        assert_eq!(most_at_once(&v), 2);
        assert_eq!(total(&v), 3.0);
        assert_eq!(extent(&v), (0.0, 2.0));
        assert_eq!(most_at_once(&[]), 0);
    }
}
