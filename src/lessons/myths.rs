//! What the posts get wrong, said beside the run that shows it.
//!
//! The usual explanations of Python's concurrency (including the one this course grew from)
//! are wrong or loose in a few places: `to_thread` does not make CPU work parallel under the
//! GIL; a thread switch every 5 ms is not "one thread at a time until done"; a thousand
//! processes for a thousand waits cost seconds and hundreds of megabytes; threads *do* help
//! when they wait. A lesson that corrects one carries a [`Myth`]: the claim as the posts put it,
//! and a note that answers it with the run's own numbers.
//!
//! The note is a template plus a check: [`Myth::holds`] states, in numbers, what the note
//! says (at most one CPU step at a time, a spread smaller than one step...), and the note is
//! only shown for a run it holds for. On a one-core machine processes run no faster than
//! threads, and a note saying they do would be false there; so it is left out, and the tests
//! check that every note holds for the run it cites at the page's size.

use super::facts::Facts;

pub struct Myth {
    /// What the posts say, in their words.
    pub claim: &'static str,
    /// What the run shows instead (a template of the lesson's facts).
    pub note: &'static str,
    /// The note's claim, checked against the run's facts.
    pub holds: fn(&Facts) -> bool,
}

/// A myth answered for one run.
#[derive(Clone, Debug, PartialEq)]
pub struct Answered {
    pub claim: String,
    pub note: String,
}

impl Myth {
    /// The note for the run whose facts are `facts`: `Ok(None)` when this run does not bear it
    /// out (it is then not shown), an error when the template names a fact the run lacks.
    pub fn answer(&self, facts: &Facts) -> Result<Option<Answered>, String> {
        let note = facts.fill(self.note)?;
        Ok((self.holds)(facts).then(|| Answered {
            claim: self.claim.to_string(),
            note,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_at_a_time(f: &Facts) -> bool {
        f.num("at_once") <= 1.0
    }

    #[test]
    fn a_note_is_shown_only_for_a_run_it_holds_for() {
        let myth = Myth {
            claim: "to_thread makes CPU work parallel",
            note: "at most {at_once} step at a time",
            holds: one_at_a_time,
        };
        let mut f = Facts::new();
        f.count("at_once", 1.0);
        let answered = myth.answer(&f).unwrap().unwrap();
        assert_eq!(answered.note, "at most 1 step at a time");
        f.count("at_once", 2.0);
        assert_eq!(myth.answer(&f), Ok(None));
        assert!(myth.answer(&Facts::new()).is_err());
    }
}
