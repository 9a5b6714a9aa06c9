//! What the page's code panel shows, as pure functions: the program's lines, which lines the
//! lanes are on at a moment of the replay, where an error points, how the editor indents, and
//! what a `code=` URL value gives.
//!
//! The panel itself (`web::code_panel`) only draws what these return. Keeping the decisions here,
//! without web types, lets them be tested natively, as [`crate::page::playback`] is for the player.

use crate::core::trace::{Lane, Span, State, Trace};
use crate::python::PyError;

/// Most bytes of program text a `code=` URL parameter may carry. A link is for a short teaching
/// program; longer ones make links that hosts and chat apps cut or refuse.
pub const MAX_SHARED_CODE_BYTES: usize = 16 * 1024;

/// Spaces the editor inserts for the Tab key (PEP 8 indentation).
pub const INDENT: &str = "    ";

/// A program to start from when the shown trace has none (the built-in scenarios do not carry
/// their Python source yet).
pub const EXAMPLE_PROGRAM: &str = r#"import threading
import time

def boil(order):
    time.sleep(3)
    print(f"order {order}: pasta ready")

def chop(order):
    sum(i * i for i in range(10**6))
    print(f"order {order}: veggies chopped")

threads = []
for order in range(1, 4):
    for step in (boil, chop):
        t = threading.Thread(target=step, args=(order,))
        t.start()
        threads.append(t)
for t in threads:
    t.join()
"#;

/// The program's lines, numbered from 1 as Python numbers them (`\n` and `\r\n` both end one).
pub fn numbered_lines(code: &str) -> impl Iterator<Item = (u32, &str)> {
    code.lines().zip(1u32..).map(|(text, n)| (n, text))
}

/// One lane at a line: who it is and what it is doing there (running, waiting for the GIL…).
#[derive(Clone, Debug, PartialEq)]
pub struct LaneAt {
    /// Index of the lane in the trace (its colour on the page follows from it).
    pub lane: usize,
    pub name: String,
    pub state: State,
}

/// A source line some lanes are on at one moment.
#[derive(Clone, Debug, PartialEq)]
pub struct ActiveLine {
    /// 1-based.
    pub line: u32,
    /// In lane order.
    pub lanes: Vec<LaneAt>,
}

/// The span of a lane covering time `t_s`, if any. Spans cover `[start_s, end_s)`: at the
/// instant one span ends and the next starts, the next is current; after a lane's last span it
/// has finished and nothing is current.
///
/// Spans tile a lane's life in time order, so this is a binary search (a lane of a long program
/// has many spans and the page asks every frame). A trace whose spans are out of order gives a
/// wrong answer here, never a panic.
pub fn span_at(spans: &[Span], t_s: f64) -> Option<&Span> {
    let after = spans.partition_point(|s| s.start_s <= t_s);
    let span = spans.get(after.checked_sub(1)?)?;
    (t_s < span.end_s).then_some(span)
}

/// The lines the lanes of `trace` are on at time `t_s`, in line order, each with the lanes
/// there. Lanes whose current span has no line (or that are not alive at `t_s`) are left out.
pub fn active_lines(trace: &Trace, t_s: f64) -> Vec<ActiveLine> {
    let mut active: Vec<ActiveLine> = Vec::new();
    for (index, lane) in trace.lanes.iter().enumerate() {
        let Some((line, state)) = line_of(lane, t_s) else {
            continue;
        };
        let at = LaneAt {
            lane: index,
            name: lane.name.clone(),
            state,
        };
        match active.binary_search_by_key(&line, |a| a.line) {
            Ok(i) => active[i].lanes.push(at),
            Err(i) => active.insert(
                i,
                ActiveLine {
                    line,
                    lanes: vec![at],
                },
            ),
        }
    }
    active
}

fn line_of(lane: &Lane, t_s: f64) -> Option<(u32, State)> {
    let span = span_at(&lane.spans, t_s)?;
    Some((span.line?, span.state))
}

/// An error as the page shows it: `line L, column C: message`, or only the message when the
/// error has no place in the source (a deadlock, say).
pub fn describe_error(error: &PyError) -> String {
    if error.line == 0 {
        error.message.clone()
    } else {
        format!(
            "line {}, column {}: {}",
            error.line, error.column, error.message
        )
    }
}

/// The line to mark for `error`, if it points at one.
pub fn error_line(error: &PyError) -> Option<u32> {
    (error.line > 0).then_some(error.line)
}

/// Text and caret after pressing Tab in the editor: [`INDENT`] replaces the selection.
///
/// `start` and `end` are the textarea's `selectionStart`/`selectionEnd`, which count UTF-16
/// code units, not bytes; the returned caret counts the same way. Out-of-range or reversed
/// positions (the browser is not ours to trust) are clamped.
pub fn insert_indent(text: &str, start: u32, end: u32) -> (String, u32) {
    let a = byte_offset(text, start.min(end));
    let b = byte_offset(text, start.max(end));
    let mut out = String::with_capacity(text.len() + INDENT.len());
    out.push_str(&text[..a]);
    out.push_str(INDENT);
    out.push_str(&text[b..]);
    let caret = text[..a].encode_utf16().count() + INDENT.len();
    (out, caret as u32)
}

/// The byte offset of the UTF-16 position `units` in `text`, rounded down to a character
/// boundary and clamped to the end.
fn byte_offset(text: &str, units: u32) -> usize {
    let mut seen = 0u32;
    for (byte, c) in text.char_indices() {
        let next = seen + c.len_utf16() as u32;
        if next > units {
            return byte;
        }
        seen = next;
    }
    text.len()
}

/// What a `code=` URL value gives: a program to show and run, and a note for the reader when the
/// value was not usable as given. The value arrives percent-decoded by the browser.
#[derive(Clone, Debug, PartialEq)]
pub struct SharedCode {
    pub program: Option<String>,
    pub note: Option<String>,
}

/// Checks a `code=` value from the URL, which anyone can write: empty and oversized values are
/// refused with a note; broken percent-encoding (which the browser decodes to U+FFFD) is kept
/// but named, so a reader knows why the program looks odd.
pub fn read_shared_code(value: &str) -> SharedCode {
    let program = value.replace("\r\n", "\n");
    if program.trim().is_empty() {
        return SharedCode {
            program: None,
            note: Some("code= is empty; showing the scenario".into()),
        };
    }
    if program.len() > MAX_SHARED_CODE_BYTES {
        return SharedCode {
            program: None,
            note: Some(format!(
                "code= holds {} bytes, more than the {} a link may carry; showing the scenario",
                program.len(),
                MAX_SHARED_CODE_BYTES
            )),
        };
    }
    let note = program.contains('\u{FFFD}').then(|| {
        "code= is not valid UTF-8 percent-encoding; unreadable characters are shown as \u{FFFD}"
            .to_string()
    });
    SharedCode {
        program: Some(program),
        note,
    }
}

/// Whether `program` fits in a link; the note to show when it does not.
pub fn shareable(program: &str) -> Result<(), String> {
    if program.len() > MAX_SHARED_CODE_BYTES {
        Err(format!(
            "This program is too long for a link ({} bytes; at most {} KiB), so the address does not carry it.",
            program.len(),
            MAX_SHARED_CODE_BYTES / 1024
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::profile::Profile;
    use crate::core::trace::{LaneKind, Source, TRACE_FORMAT};
    use crate::python::PyErrorKind;

    fn span(start_s: f64, end_s: f64, state: State, line: Option<u32>) -> Span {
        Span {
            start_s,
            end_s,
            state,
            label: String::new(),
            core: None,
            line,
            wait: None,
        }
    }

    fn lane(id: usize, name: &str, spans: Vec<Span>) -> Lane {
        Lane {
            id,
            name: name.into(),
            kind: if id == 0 {
                LaneKind::Main
            } else {
                LaneKind::Thread
            },
            process: 0,
            parent: None,
            spans,
        }
    }

    /// Two threads: main starts at line 1, then joins at line 4; the worker runs line 2 and then
    /// waits for the GIL at line 3 while main holds it.
    fn trace() -> Trace {
        Trace {
            format: TRACE_FORMAT,
            scenario: "test".into(),
            title: "test".into(),
            source: Source::Simulated,
            profile: Profile::default(),
            notes: vec![],
            code: Some("a = 1\nb = 2\nc = 3\nt.join()\n".into()),
            makespan_s: 3.0,
            peak_memory_bytes: 0,
            lanes: vec![
                lane(
                    0,
                    "main",
                    vec![
                        span(0.0, 1.0, State::Running, Some(1)),
                        span(1.0, 3.0, State::Blocked, Some(4)),
                    ],
                ),
                lane(
                    1,
                    "Thread-1",
                    vec![
                        span(1.0, 2.0, State::Running, Some(2)),
                        span(2.0, 2.5, State::WaitingGil, Some(3)),
                        span(2.5, 2.5, State::Running, Some(3)),
                        span(2.5, 3.0, State::Running, None),
                    ],
                ),
            ],
            gil: vec![],
            cores: vec![],
            prints: vec![],
            events: vec![],
            memory: vec![],
        }
    }

    fn lines_at(t: &Trace, t_s: f64) -> Vec<(u32, Vec<&'static str>, Vec<State>)> {
        active_lines(t, t_s)
            .into_iter()
            .map(|a| {
                let names = a
                    .lanes
                    .iter()
                    .map(|l| if l.lane == 0 { "main" } else { "Thread-1" })
                    .collect();
                (a.line, names, a.lanes.iter().map(|l| l.state).collect())
            })
            .collect()
    }

    #[test]
    fn numbers_lines_from_one() {
        let lines: Vec<_> = numbered_lines("a\r\nb\n\nc").collect();
        assert_eq!(lines, vec![(1, "a"), (2, "b"), (3, ""), (4, "c")]);
        assert_eq!(numbered_lines("").count(), 0);
    }

    #[test]
    fn the_span_starting_at_t_is_current_and_nothing_after_the_end() {
        let t = trace();
        let spans = &t.lanes[0].spans;
        assert_eq!(span_at(spans, 0.0).and_then(|s| s.line), Some(1));
        assert_eq!(span_at(spans, 0.999).and_then(|s| s.line), Some(1));
        assert_eq!(span_at(spans, 1.0).and_then(|s| s.line), Some(4));
        assert_eq!(span_at(spans, 3.0), None, "finished");
        assert_eq!(span_at(spans, -1.0), None, "not started");
        assert_eq!(span_at(&t.lanes[1].spans, 0.5), None, "thread not started");
        assert_eq!(span_at(&[], 1.0), None);
        assert_eq!(span_at(spans, f64::NAN), None);
    }

    #[test]
    fn several_lanes_on_their_own_lines() {
        let t = trace();
        assert_eq!(
            lines_at(&t, 0.5),
            vec![(1, vec!["main"], vec![State::Running])]
        );
        assert_eq!(
            lines_at(&t, 1.5),
            vec![
                (2, vec!["Thread-1"], vec![State::Running]),
                (4, vec!["main"], vec![State::Blocked]),
            ]
        );
        assert_eq!(
            lines_at(&t, 2.2),
            vec![
                (3, vec!["Thread-1"], vec![State::WaitingGil]),
                (4, vec!["main"], vec![State::Blocked]),
            ]
        );
        // The zero-length span at 2.5 is never current; the next span has no line.
        assert_eq!(
            lines_at(&t, 2.5),
            vec![(4, vec!["main"], vec![State::Blocked])]
        );
        assert!(lines_at(&t, 3.0).is_empty(), "all finished");
    }

    #[test]
    fn lanes_on_the_same_line_are_grouped_in_lane_order() {
        let mut t = trace();
        t.lanes[1].spans[0].line = Some(1);
        t.lanes[0].spans[1].line = Some(1);
        let active = active_lines(&t, 1.5);
        assert_eq!(active.len(), 1);
        assert_eq!(active[0].line, 1);
        let names: Vec<_> = active[0].lanes.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["main", "Thread-1"]);
    }

    #[test]
    fn spans_out_of_order_do_not_panic() {
        let mut t = trace();
        t.lanes[0].spans.reverse();
        for i in 0..40 {
            let _ = active_lines(&t, i as f64 * 0.1 - 0.5);
        }
    }

    #[test]
    fn errors_read_line_column_message() {
        let e = PyError::new(PyErrorKind::Syntax, 3, 5, "invalid syntax");
        assert_eq!(describe_error(&e), "line 3, column 5: invalid syntax");
        assert_eq!(error_line(&e), Some(3));
        let deadlock = PyError::new(
            PyErrorKind::Deadlock,
            0,
            0,
            "every thread waits for another",
        );
        assert_eq!(describe_error(&deadlock), "every thread waits for another");
        assert_eq!(error_line(&deadlock), None);
    }

    #[test]
    fn tab_replaces_the_selection_with_four_spaces() {
        assert_eq!(insert_indent("ab", 1, 1), ("a    b".into(), 5));
        assert_eq!(insert_indent("abcd", 1, 3), ("a    d".into(), 5));
        assert_eq!(
            insert_indent("abcd", 3, 1),
            ("a    d".into(), 5),
            "reversed"
        );
        assert_eq!(insert_indent("", 0, 0), ("    ".into(), 4));
        assert_eq!(insert_indent("ab", 99, 99), ("ab    ".into(), 6), "clamped");
    }

    #[test]
    fn tab_counts_positions_in_utf16_units() {
        // "é" is 2 bytes and 1 unit; "🍝" is 4 bytes and 2 units.
        let (text, caret) = insert_indent("é🍝x", 3, 3);
        assert_eq!(text, "é🍝    x");
        assert_eq!(caret, 7);
        // A position inside a surrogate pair rounds down to the character's start.
        let (text, caret) = insert_indent("🍝x", 1, 1);
        assert_eq!(text, "    🍝x");
        assert_eq!(caret, 4);
    }

    #[test]
    fn shared_code_is_checked() {
        let ok = read_shared_code("print('hi')\r\nx = 1");
        assert_eq!(ok.program.as_deref(), Some("print('hi')\nx = 1"));
        assert_eq!(ok.note, None);

        let empty = read_shared_code("  \n ");
        assert_eq!(empty.program, None);
        assert!(empty.note.unwrap().contains("empty"));

        let huge = read_shared_code(&"x".repeat(MAX_SHARED_CODE_BYTES + 1));
        assert_eq!(huge.program, None);
        assert!(huge.note.unwrap().contains("16385 bytes"));
        assert!(read_shared_code(&"x".repeat(MAX_SHARED_CODE_BYTES))
            .program
            .is_some());

        let broken = read_shared_code("print('\u{FFFD}')");
        assert!(broken.program.is_some());
        assert!(broken.note.unwrap().contains("not valid UTF-8"));
    }

    #[test]
    fn long_programs_are_not_shareable() {
        assert!(shareable(EXAMPLE_PROGRAM).is_ok());
        assert!(shareable(&"x".repeat(MAX_SHARED_CODE_BYTES + 1))
            .unwrap_err()
            .contains("too long for a link"));
    }
}
