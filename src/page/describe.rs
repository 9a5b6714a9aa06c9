//! What the timeline says about the stretch under the pointer or the keyboard's focus: who,
//! what state, from when to when, the line of code, and why ("waits for the GIL, held by
//! order 2 · chop").

use crate::core::trace::State;

use super::narration::duration;
use super::palette::state_name;
use super::replay::Replay;
use super::timeline::RowKind;
use super::waits::{holding_at, wait_of};

/// The stretch of row `row` at `t_s`, in words; `None` where the row has nothing then.
pub fn stretch(replay: &Replay, row: RowKind, t_s: f64) -> Option<String> {
    match row {
        RowKind::Lane(lane) => lane_stretch(replay, lane, t_s),
        RowKind::Gil(process) => gil_stretch(replay, process, t_s),
        RowKind::Core(core) => core_stretch(replay, core, t_s),
        RowKind::More(_) | RowKind::MoreOf(..) => crowd(replay, row, t_s),
    }
}

fn between(a: f64, b: f64) -> String {
    format!("{a:.6} s to {b:.6} s ({})", duration(b - a))
}

fn lane_stretch(replay: &Replay, lane: usize, t_s: f64) -> Option<String> {
    let l = replay.lane(lane)?;
    let i = replay.span_index_at(lane, t_s)?;
    let span = &l.spans[i];
    let since = replay.state_since(lane, i);
    let until = l.spans[i..]
        .iter()
        .take_while(|s| s.state == span.state)
        .last()
        .map_or(span.end_s, |s| s.end_s);
    let mut text = format!(
        "{} · {} · {}",
        l.name,
        state_name(span.state),
        between(since, until)
    );
    if let Some(line) = span.line {
        text.push_str(&format!(" · line {line}"));
    }
    if !span.label.is_empty() && span.state == State::Running {
        text.push_str(&format!(" · in {}", span.label));
    }
    if let Some(why) = why(replay, lane, span, t_s) {
        text.push_str(&format!(" · {why}"));
    }
    Some(text)
}

/// Why a lane is in its state: what it waits for and who will end the wait.
fn why(replay: &Replay, lane: usize, span: &crate::core::trace::Span, t_s: f64) -> Option<String> {
    let l = replay.lane(lane)?;
    let w = wait_of(&replay.trace, l, span)?;
    let by = w.lane.map(|b| replay.name(b).to_string());
    Some(match span.state {
        State::WaitingGil => {
            // Whoever holds the GIL at the moment described: it changes during a long wait.
            let now = super::waits::gil_holder(&replay.trace, l.process, t_s)
                .map(|h| replay.name(h).to_string());
            format!(
                "waits for the GIL, held by {}",
                now.or(by).unwrap_or_else(|| "another thread".into())
            )
        }
        State::WaitingCore => "holds its GIL, but every core is busy".to_string(),
        _ => {
            let mut s = format!("waits for {}", w.what);
            if let Some(u) = w.until_s {
                s.push_str(&format!(" (timer due at {u:.3} s)"));
            }
            if let Some(b) = by {
                s.push_str(&format!("; {b} will end the wait"));
            }
            s
        }
    })
}

fn gil_stretch(replay: &Replay, process: usize, t_s: f64) -> Option<String> {
    let gil = replay.trace.gil.iter().find(|g| g.process == process)?;
    let h = holding_at(&gil.held, t_s)?;
    Some(format!(
        "GIL · held by {} · {}",
        replay.name(h.lane),
        between(h.start_s, h.end_s)
    ))
}

fn core_stretch(replay: &Replay, core: usize, t_s: f64) -> Option<String> {
    let h = holding_at(replay.trace.cores.get(core)?, t_s)?;
    Some(format!(
        "core {core} · runs {} · {}",
        replay.name(h.lane),
        between(h.start_s, h.end_s)
    ))
}

fn crowd(replay: &Replay, row: RowKind, t_s: f64) -> Option<String> {
    let RowKind::More(n) = row else {
        return None;
    };
    let lanes: Vec<usize> = (replay.trace.lanes.len() - n..replay.trace.lanes.len()).collect();
    let c = super::scene::crowd(replay, &lanes, t_s);
    let parts: Vec<String> = c
        .counts
        .iter()
        .map(|(t, n)| format!("{n} {}", super::scene::tally_name(*t)))
        .collect();
    Some(format!(
        "{n} more lanes at {t_s:.3} s: {}",
        parts.join(", ")
    ))
}
