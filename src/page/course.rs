//! The course on the page: the picker's groups in course order, which stop the picker's value
//! or the address names, and where "next" and "previous" lead.
//!
//! The order itself lives in one place, [`crate::lessons::COURSE`]; this module only says how
//! the page shows it. A stop is a lesson (a scenario, `?scenario=<id>`) or one of the two
//! pages around the lessons: the comparison (`?view=compare`) and the decision guide
//! (`?view=guide`). The picker lists all of them, grouped by the course's sections, so the
//! lessons are met in the order they build on each other.

use crate::lessons::{self, Stop};
use crate::scenarios;

/// One group of the picker: a section of the course.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub title: &'static str,
    pub choices: Vec<Choice>,
}

/// One entry of the picker.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// The `<option>`'s value: the scenario id, or `compare` / `guide`.
    pub value: &'static str,
    pub label: String,
    pub stop: Stop,
}

/// The picker's value of the comparison and of the guide (no scenario has these ids).
pub const COMPARE: &str = "compare";
pub const GUIDE: &str = "guide";

/// The picker: every stop of the course, grouped by section, numbered in course order.
pub fn picker() -> Vec<Group> {
    let mut n = 0;
    lessons::COURSE
        .iter()
        .map(|section| Group {
            title: section.title,
            choices: section
                .stops
                .iter()
                .map(|&stop| {
                    n += 1;
                    Choice {
                        value: value(stop),
                        label: format!("{n}. {}", title(stop)),
                        stop,
                    }
                })
                .collect(),
        })
        .collect()
}

/// The picker's value for `stop`.
pub fn value(stop: Stop) -> &'static str {
    match stop {
        Stop::Lesson(id) => id,
        Stop::Compare => COMPARE,
        Stop::Guide => GUIDE,
    }
}

/// The stop a picker value names, if any.
pub fn from_value(value: &str) -> Option<Stop> {
    match value {
        COMPARE => Some(Stop::Compare),
        GUIDE => Some(Stop::Guide),
        id => lessons::stops().find(|s| matches!(s, Stop::Lesson(l) if *l == id)),
    }
}

/// What a stop is called.
pub fn title(stop: Stop) -> &'static str {
    match stop {
        Stop::Lesson(id) => scenarios::find(id).map_or(id, |s| s.title),
        Stop::Compare => "The four kitchens side by side, on one workload",
        Stop::Guide => "Which kitchen? The decision guide",
    }
}

/// The course's section a stop belongs to.
pub fn section(stop: Stop) -> Option<&'static str> {
    lessons::COURSE
        .iter()
        .find(|s| s.stops.contains(&stop))
        .map(|s| s.title)
}

/// Where `stop` stands in the course: (its number from 1, how many stops there are).
pub fn position(stop: Stop) -> Option<(usize, usize)> {
    let all: Vec<Stop> = lessons::stops().collect();
    let i = all.iter().position(|s| *s == stop)?;
    Some((i + 1, all.len()))
}

/// The address parameters that name `stop`: the view, and the scenario (left in the address
/// on the comparison and the guide, so that "previous" from there returns to it).
pub fn address(stop: Stop) -> [(&'static str, Option<&'static str>); 2] {
    match stop {
        Stop::Lesson(id) => [("view", None), ("scenario", Some(id))],
        Stop::Compare => [("view", Some(COMPARE)), ("code", None)],
        Stop::Guide => [("view", Some(GUIDE)), ("code", None)],
    }
}

/// The "previous" and "next" buttons of a stop: where each leads and what it says.
#[derive(Clone, Debug, PartialEq)]
pub struct Neighbours {
    pub previous: Option<(Stop, String)>,
    pub next: Option<(Stop, String)>,
}

pub fn neighbours(stop: Stop) -> Neighbours {
    let label = |s: Stop| (s, title(s).to_string());
    Neighbours {
        previous: lessons::previous(stop).map(label),
        next: lessons::next(stop).map(label),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_picker_lists_every_stop_once_in_course_order() {
        let groups = picker();
        assert_eq!(groups.len(), lessons::COURSE.len());
        assert_eq!(groups[0].title, "Concepts");
        let stops: Vec<Stop> = groups
            .iter()
            .flat_map(|g| g.choices.iter().map(|c| c.stop))
            .collect();
        assert_eq!(stops, lessons::stops().collect::<Vec<_>>());
        // Every scenario is a lesson in the picker, and every value leads back to its stop.
        for s in scenarios::SCENARIOS {
            assert!(stops.contains(&Stop::Lesson(s.id)), "{}", s.id);
        }
        for c in groups.iter().flat_map(|g| &g.choices) {
            assert_eq!(from_value(c.value), Some(c.stop), "{}", c.value);
        }
        assert_eq!(groups[0].choices[0].label, "1. Concurrency vs parallelism");
        let last = groups.last().unwrap().choices.last().unwrap();
        assert_eq!(last.stop, Stop::Guide);
        assert!(
            last.label.starts_with(&format!("{}. ", stops.len())),
            "{}",
            last.label
        );
    }

    #[test]
    fn unknown_values_name_no_stop() {
        assert_eq!(from_value("pizza"), None);
        assert_eq!(from_value(""), None);
        assert_eq!(from_value("threads"), Some(Stop::Lesson("threads")));
    }

    #[test]
    fn next_and_previous_follow_the_course_and_stop_at_its_ends() {
        let first = lessons::stops().next().unwrap();
        let n = neighbours(first);
        assert_eq!(n.previous, None);
        assert_eq!(n.next.as_ref().map(|x| x.0), lessons::next(first));
        let before_compare = neighbours(Stop::Compare).previous.unwrap();
        assert_eq!(before_compare.0, Stop::Lesson("thousand-asyncio"));
        assert_eq!(neighbours(Stop::Compare).next.unwrap().0, Stop::Guide);
        assert_eq!(neighbours(Stop::Guide).next, None);
        assert_eq!(position(Stop::Guide).map(|p| p.0 == p.1), Some(true));
        assert_eq!(position(first), Some((1, lessons::stops().count())));
        assert_eq!(
            section(Stop::Lesson("threads")),
            Some("threading: many chefs, one stove")
        );
    }

    #[test]
    fn the_address_names_the_stop() {
        assert_eq!(
            address(Stop::Lesson("threads")),
            [("view", None), ("scenario", Some("threads"))]
        );
        assert_eq!(address(Stop::Compare)[0], ("view", Some("compare")));
        assert_eq!(address(Stop::Guide)[0], ("view", Some("guide")));
    }
}
