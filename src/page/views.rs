//! Which page the address asks for, and what of it to show: decided without a browser.
//!
//! Three views: a lesson's run (the default), the comparison (`view=compare`) and the decision
//! guide (`view=guide`). Three ways of showing them: the full page; presenter mode
//! (`present=1`: large type for a projector, no editor or other chrome, driven by the keyboard);
//! and embedding (`embed=1`: compact, fitting an 800×500 iframe without scrolling: the scene,
//! the transport, a small timeline). [`chrome`] says which parts each way shows, so the rule
//! is one table, tested here, rather than conditions spread through the drawing.
//!
//! The parameters are untrusted like every other: an unusable value is named in a note and
//! replaced by the default, never a broken page. The comparison's workload (`orders`, `cpu`,
//! `boil`, `cores`) is checked by [`crate::compare::Asked::clamped`].

use crate::compare::Asked;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Lesson,
    Compare,
    Guide,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Full,
    Present,
    Embed,
}

/// What the address asks of the views (beside the player's own parameters, which
/// `web::url` reads).
#[derive(Clone, Debug, PartialEq)]
pub struct Address {
    pub view: View,
    pub mode: Mode,
    /// `predict=0`: no questions before the run.
    pub predict: bool,
    /// The comparison's workload as asked (checked when the comparison opens).
    pub workload: Asked,
    /// `whatif=0`: the comparison without the free-threaded what-if row.
    pub what_if: bool,
    pub notes: Vec<String>,
}

/// What the address asks for, from a lookup of its parameters.
pub fn parse(get: impl Fn(&str) -> Option<String>) -> Address {
    let mut notes = Vec::new();
    let view = match get("view").as_deref() {
        None | Some("") | Some("lesson") => View::Lesson,
        Some("compare") => View::Compare,
        Some("guide") => View::Guide,
        Some(other) => {
            notes.push(format!(
                "view={} is not a view (lesson, compare or guide); showing the lesson",
                short(other)
            ));
            View::Lesson
        }
    };
    let present = flag(&get, "present", &mut notes);
    let embed = flag(&get, "embed", &mut notes);
    let mode = match (embed, present) {
        (true, true) => {
            notes.push("present=1 is ignored in an embedded page (embed=1)".into());
            Mode::Embed
        }
        (true, false) => Mode::Embed,
        (false, true) => Mode::Present,
        (false, false) => Mode::Full,
    };
    let predict = !get("predict").is_some_and(|v| v == "0" || v == "false");
    let what_if = !get("whatif").is_some_and(|v| v == "0" || v == "false");
    let workload = Asked {
        orders: number(&get, "orders", &mut notes).map(|x| x as i64),
        cpu_n: number(&get, "cpu", &mut notes).map(|x| x as i64),
        boil_s: number(&get, "boil", &mut notes),
        cores: if view == View::Compare {
            number(&get, "cores", &mut notes).map(|x| x as i64)
        } else {
            None
        },
    };
    Address {
        view,
        mode,
        predict,
        workload,
        what_if,
        notes,
    }
}

/// A `0`/`1` parameter; anything else is a note and off.
fn flag(get: &impl Fn(&str) -> Option<String>, name: &str, notes: &mut Vec<String>) -> bool {
    match get(name).as_deref() {
        None | Some("0") | Some("false") => false,
        Some("1") | Some("true") | Some("") => true,
        Some(other) => {
            notes.push(format!("{name}={} is not 0 or 1; ignored", short(other)));
            false
        }
    }
}

/// A number parameter: `None` when absent; a note when not a number.
fn number(
    get: &impl Fn(&str) -> Option<String>,
    name: &str,
    notes: &mut Vec<String>,
) -> Option<f64> {
    let raw = get(name)?;
    match parse_number(&raw) {
        Some(x) => Some(x),
        None => {
            notes.push(format!(
                "{name}={} is not a number; using the default",
                short(&raw)
            ));
            None
        }
    }
}

/// A finite number, also written as a power of ten (`10**7`, as the programs write it).
pub fn parse_number(raw: &str) -> Option<f64> {
    let raw = raw.trim();
    let x = match raw.split_once("**") {
        Some((base, exp)) => {
            let (b, e) = (
                base.trim().parse::<f64>().ok()?,
                exp.trim().parse::<i32>().ok()?,
            );
            b.powi(e.clamp(-30, 30))
        }
        None => raw.parse::<f64>().ok()?,
    };
    x.is_finite().then_some(x)
}

fn short(value: &str) -> String {
    let cut: String = value.chars().take(40).collect();
    if cut.len() < value.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

/// Which parts of the page a mode shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chrome {
    /// The title, the tagline and the notes about the address.
    pub header: bool,
    /// The course picker with previous / next.
    pub course: bool,
    /// The lesson's text and its "what the posts get wrong" note.
    pub lesson: bool,
    /// The questions before the run.
    pub predict: bool,
    /// The play / step / speed buttons and the scrubber (the clock is always shown).
    pub transport_buttons: bool,
    /// A line saying which keys drive the page, in place of the buttons.
    pub key_hint: bool,
    /// The code panel with its editor, and what the program printed.
    pub code: bool,
    /// The timeline's tools (zoom, fold) and its full height; else a small timeline.
    pub full_timeline: bool,
    /// The legend of states.
    pub legend: bool,
    /// The whole run as text, the live kitchen, trace files and other extras.
    pub extras: bool,
    /// The "copy embed code" button.
    pub copy_embed: bool,
}

pub fn chrome(mode: Mode) -> Chrome {
    match mode {
        Mode::Full => Chrome {
            header: true,
            course: true,
            lesson: true,
            predict: true,
            transport_buttons: true,
            key_hint: false,
            code: true,
            full_timeline: true,
            legend: true,
            extras: true,
            copy_embed: true,
        },
        Mode::Present => Chrome {
            header: false,
            course: false,
            lesson: true,
            predict: true,
            transport_buttons: false,
            key_hint: true,
            code: false,
            full_timeline: true,
            legend: true,
            extras: false,
            copy_embed: false,
        },
        Mode::Embed => Chrome {
            header: false,
            course: false,
            lesson: false,
            predict: false,
            transport_buttons: true,
            key_hint: false,
            code: false,
            full_timeline: false,
            legend: false,
            extras: false,
            copy_embed: false,
        },
    }
}

/// The class the page's `<main>` carries in a mode (the style sheet sizes type by it).
pub fn mode_class(mode: Mode) -> &'static str {
    match mode {
        Mode::Full => "mode-full",
        Mode::Present => "mode-present",
        Mode::Embed => "mode-embed",
    }
}

/// The keys of presenter mode, said once on the page.
pub const PRESENTER_KEYS: &str =
    "Space play / pause · ← → step · Home / End · + − speed · PageUp / PageDown lesson";

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn asked(query: &[(&str, &str)]) -> Address {
        let map: HashMap<String, String> = query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        parse(|k| map.get(k).cloned())
    }

    #[test]
    fn the_default_is_the_full_lesson_page() {
        let a = asked(&[]);
        assert_eq!(
            (a.view, a.mode, a.predict, a.what_if),
            (View::Lesson, Mode::Full, true, true)
        );
        assert!(a.notes.is_empty());
        assert_eq!(a.workload, Asked::default());
    }

    #[test]
    fn views_and_modes_from_the_address() {
        assert_eq!(asked(&[("view", "compare")]).view, View::Compare);
        assert_eq!(asked(&[("view", "guide")]).view, View::Guide);
        assert_eq!(asked(&[("present", "1")]).mode, Mode::Present);
        assert_eq!(asked(&[("embed", "1")]).mode, Mode::Embed);
        let both = asked(&[("embed", "1"), ("present", "1")]);
        assert_eq!(both.mode, Mode::Embed);
        assert_eq!(both.notes.len(), 1);
        assert!(!asked(&[("predict", "0")]).predict);
        assert!(!asked(&[("whatif", "0")]).what_if);
    }

    #[test]
    fn bad_values_are_notes_not_failures() {
        let a = asked(&[("view", "<script>"), ("present", "yes"), ("orders", "many")]);
        assert_eq!((a.view, a.mode), (View::Lesson, Mode::Full));
        assert_eq!(a.notes.len(), 3, "{:?}", a.notes);
        assert!(a.notes[0].contains("view=<script> is not a view"));
        assert_eq!(a.workload.orders, None);
        let long = "x".repeat(500);
        let a = asked(&[("view", long.as_str())]);
        assert!(a.notes[0].chars().count() < 120, "{}", a.notes[0]);
    }

    #[test]
    fn the_workload_is_read_as_asked_and_clamped_later() {
        let a = asked(&[
            ("view", "compare"),
            ("orders", "5000"),
            ("cpu", "10**6"),
            ("boil", "2.5"),
            ("cores", "8"),
        ]);
        assert_eq!(a.workload.orders, Some(5000));
        assert_eq!(a.workload.cpu_n, Some(1_000_000));
        assert_eq!(a.workload.boil_s, Some(2.5));
        assert_eq!(a.workload.cores, Some(8));
        let (w, notes) = a.workload.clamped();
        assert_eq!(w.orders, 1000);
        assert_eq!(notes.len(), 1);
        // On a lesson, cores= is the lesson machine's (web::url reads it), not the workload's.
        assert_eq!(asked(&[("cores", "8")]).workload.cores, None);
        assert_eq!(parse_number("1e400"), None);
        assert_eq!(parse_number("nan"), None);
        assert_eq!(parse_number(" 10**3 "), Some(1000.0));
    }

    #[test]
    fn each_mode_shows_what_it_is_for() {
        let full = chrome(Mode::Full);
        assert!(full.code && full.transport_buttons && full.copy_embed && full.predict);
        let present = chrome(Mode::Present);
        assert!(!present.code, "no editor in presenter mode");
        assert!(
            !present.transport_buttons && present.key_hint,
            "keyboard only"
        );
        assert!(!present.header && !present.extras);
        assert!(present.lesson && present.predict);
        let embed = chrome(Mode::Embed);
        assert!(
            embed.transport_buttons,
            "scene, transport and a small timeline"
        );
        assert!(!embed.full_timeline && !embed.code && !embed.lesson && !embed.predict);
        assert!(!embed.header && !embed.legend);
    }
}
