//! The course: the lessons in order, what each says about its run, the questions it asks
//! first, and the decision guide at the end.
//!
//! A lesson is a built-in scenario (its program is in [`crate::scenarios`]) plus words: a
//! short text saying what to look at, a [`myths::Myth`] where the usual explanation is wrong,
//! and one to three [`predict::Question`]s. None of the numbers in those words is typed in:
//! each lesson has a function that measures its run ([`facts::Facts`]), and every text is a
//! template those facts fill. The page asks the engine for the run, then asks this module
//! what to say about it ([`explain`]); everything here is pure and reads only the trace, so
//! the page's UI can call it without the interpreter.
//!
//! The order of the course lives in one place, [`COURSE`]: the concepts first, then each
//! kitchen (asyncio, threads, processes), then the choices (the fair comparison and the
//! decision guide). `kitchen list` prints it, and the page's next/previous buttons follow it.

pub mod facts;
pub mod guide;
pub mod myths;
pub mod predict;

mod asyncio;
mod concepts;
mod processes;
mod threads;

use crate::core::trace::Trace;
use crate::scenarios::Size;

use facts::Facts;
use myths::{Answered, Myth};
use predict::{Posed, Question};

/// One stop of the course: a lesson (a scenario id) or one of the pages around them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    Lesson(&'static str),
    /// The four kitchens on one workload (`view=compare`, `kitchen compare`).
    Compare,
    /// The decision guide (`view=guide`).
    Guide,
}

pub struct Section {
    pub title: &'static str,
    pub stops: &'static [Stop],
}

use Stop::Lesson as L;

/// The course, in order.
pub const COURSE: &[Section] = &[
    Section {
        title: "Concepts",
        stops: &[
            L("concurrency-vs-parallelism"),
            L("await-vs-create-task"),
            L("process-lifecycle"),
        ],
    },
    Section {
        title: "asyncio: one chef and an event loop",
        stops: &[
            L("asyncio-blocking"),
            L("asyncio-to-thread"),
            L("to-thread-io"),
            L("restaurant-semaphore"),
        ],
    },
    Section {
        title: "threading: many chefs, one stove",
        stops: &[
            L("threads"),
            L("race-lost-update"),
            L("restaurant-pool"),
            L("thousand-threads"),
        ],
    },
    Section {
        title: "multiprocessing: many kitchens",
        stops: &[
            L("processes"),
            L("cpu-to-processes"),
            L("thousand-processes"),
        ],
    },
    Section {
        title: "Choosing a kitchen",
        stops: &[L("thousand-asyncio"), Stop::Compare, Stop::Guide],
    },
];

/// Every stop of the course, in order.
pub fn stops() -> impl Iterator<Item = Stop> {
    COURSE.iter().flat_map(|s| s.stops.iter().copied())
}

/// The lesson ids in course order.
pub fn lesson_ids() -> impl Iterator<Item = &'static str> {
    stops().filter_map(|s| match s {
        Stop::Lesson(id) => Some(id),
        _ => None,
    })
}

/// The stop after `stop`, if any (the page's "next" button and PageDown).
pub fn next(stop: Stop) -> Option<Stop> {
    let all: Vec<Stop> = stops().collect();
    let i = all.iter().position(|s| *s == stop)?;
    all.get(i + 1).copied()
}

/// The stop before `stop`, if any (the page's "previous" button and PageUp).
pub fn previous(stop: Stop) -> Option<Stop> {
    let all: Vec<Stop> = stops().collect();
    let i = all.iter().position(|s| *s == stop)?;
    i.checked_sub(1).map(|j| all[j])
}

/// The section a lesson is in.
pub fn section_of(id: &str) -> Option<&'static Section> {
    COURSE.iter().find(|s| {
        s.stops
            .iter()
            .any(|st| matches!(st, Stop::Lesson(l) if *l == id))
    })
}

/// A simulated run of a lesson's program and the size it ran at.
#[derive(Clone, Copy)]
pub struct Run<'a> {
    pub trace: &'a Trace,
    pub size: &'a Size,
}

impl Run<'_> {
    /// Seconds one CPU step (`sum(i * i for i in range(CPU_N))`) costs on the run's machine.
    pub fn step_s(&self) -> f64 {
        self.size.cpu_iterations as f64 * self.trace.profile.loop_iteration_s
    }

    /// The facts every lesson may use: the machine and the size (`cores`, `interval`, `boil`,
    /// `step`, `base_memory`) and the run's totals (`total`, `peak_memory`).
    pub fn setup(&self) -> Facts {
        let p = &self.trace.profile;
        let mut f = Facts::new();
        f.count("cores", p.cores as f64)
            .seconds("interval", p.switch_interval_s)
            .seconds("boil", self.size.boil_s)
            .seconds("step", self.step_s())
            .bytes("base_memory", p.base_memory_bytes as f64)
            .seconds("total", self.trace.makespan_s)
            .bytes("peak_memory", self.trace.peak_memory_bytes as f64);
        f
    }
}

pub struct Lesson {
    /// The scenario id.
    pub id: &'static str,
    /// What to look at and what it shows (a template of the facts).
    pub text: &'static str,
    /// Measures the run.
    pub facts: fn(&Run) -> Result<Facts, String>,
    pub myth: Option<Myth>,
    pub questions: &'static [Question],
}

/// Every lesson's words (in no particular order; [`COURSE`] orders them).
pub fn lessons() -> impl Iterator<Item = &'static Lesson> {
    concepts::LESSONS
        .iter()
        .chain(asyncio::LESSONS)
        .chain(threads::LESSONS)
        .chain(processes::LESSONS)
}

pub fn find(id: &str) -> Option<&'static Lesson> {
    lessons().find(|l| l.id == id)
}

/// What the page says about one run of a lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct Explained {
    pub text: String,
    /// The "what the posts get wrong" note, when the lesson has one and this run bears it out.
    pub myth: Option<Answered>,
    /// The questions this run decides (a question the run cannot decide is left out).
    pub questions: Vec<Posed>,
}

/// Why a lesson cannot be explained for a run.
#[derive(Debug, PartialEq)]
pub enum LessonError {
    /// No lesson has this id.
    Unknown(String),
    /// The run is not one this lesson's words can be about (another program, a missing line).
    Unfit { lesson: &'static str, why: String },
}

impl std::fmt::Display for LessonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LessonError::Unknown(id) => write!(f, "no lesson '{id}'"),
            LessonError::Unfit { lesson, why } => {
                write!(f, "the lesson {lesson} does not fit this run: {why}")
            }
        }
    }
}

impl std::error::Error for LessonError {}

impl Lesson {
    /// The run's facts, or why the run does not fit this lesson.
    pub fn measure(&self, run: &Run) -> Result<Facts, LessonError> {
        (self.facts)(run).map_err(|why| self.unfit(why))
    }

    fn unfit(&self, why: String) -> LessonError {
        LessonError::Unfit {
            lesson: self.id,
            why,
        }
    }

    /// The lesson's words for `run`.
    pub fn explain(&self, run: &Run) -> Result<Explained, LessonError> {
        let facts = self.measure(run)?;
        let text = facts.fill(self.text).map_err(|e| self.unfit(e))?;
        let myth = match &self.myth {
            Some(m) => m.answer(&facts).map_err(|e| self.unfit(e))?,
            None => None,
        };
        let questions = self
            .questions
            .iter()
            .filter_map(|q| q.pose(&facts).ok())
            .collect();
        Ok(Explained {
            text,
            myth,
            questions,
        })
    }
}

/// What lesson `id` says about `run`.
pub fn explain(id: &str, run: &Run) -> Result<Explained, LessonError> {
    find(id)
        .ok_or_else(|| LessonError::Unknown(id.to_string()))?
        .explain(run)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_course_steps_forward_and_back() {
        let first = stops().next().unwrap();
        assert_eq!(first, Stop::Lesson("concurrency-vs-parallelism"));
        assert_eq!(previous(first), None);
        assert_eq!(next(first), Some(Stop::Lesson("await-vs-create-task")));
        assert_eq!(previous(Stop::Lesson("await-vs-create-task")), Some(first));
        assert_eq!(next(Stop::Guide), None);
        assert_eq!(next(Stop::Lesson("no-such")), None);
        assert_eq!(
            section_of("threads").map(|s| s.title),
            Some("threading: many chefs, one stove")
        );
    }

    #[test]
    fn an_unknown_lesson_is_an_error_not_a_panic() {
        let trace = crate::core::trace::Trace {
            format: crate::core::trace::TRACE_FORMAT,
            scenario: String::new(),
            title: String::new(),
            source: crate::core::trace::Source::Simulated,
            profile: Default::default(),
            notes: vec![],
            code: None,
            makespan_s: 0.0,
            peak_memory_bytes: 0,
            lanes: vec![],
            gil: vec![],
            cores: vec![],
            prints: vec![],
            events: vec![],
            memory: vec![],
        };
        let size = Size::default();
        let run = Run {
            trace: &trace,
            size: &size,
        };
        assert!(matches!(
            explain("no-such", &run),
            Err(LessonError::Unknown(_))
        ));
        for id in lesson_ids() {
            assert!(
                matches!(explain(id, &run), Err(LessonError::Unfit { .. })),
                "{id} explained an empty run"
            );
        }
    }
}
