//! Predict, then run (`#predict`): the state of a lesson's questions on the page.
//!
//! Before a lesson plays, its questions ([`crate::lessons::predict`], whose right answers the
//! run computes) are asked with their choices. The learner picks, then runs; the run plays,
//! and when it has played to its end (or the learner asks early) the answers are revealed with
//! the reveal's explanation. The lesson's own text says the run's numbers, so it is held back
//! while the questions are open: it would give the answers away.
//!
//! Nobody is made to answer. "Skip" shows the lesson at once; pressing Play with nothing
//! chosen skips too (the reader just wants to watch), and with something chosen it locks the
//! choices in. In presenter mode the class answers out loud: Play locks in whatever is there
//! and the reveal comes at the end of the run.

use crate::lessons::predict::Posed;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// The questions are open.
    Asking,
    /// Answers locked in; the run plays; the reveal waits for its end.
    Locked,
    /// The answers are shown.
    Revealed,
    /// The reader chose to just watch.
    Skipped,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Quiz {
    pub questions: Vec<Posed>,
    /// The learner's choice per question.
    pub chosen: Vec<Option<usize>>,
    pub phase: Phase,
}

/// How one answered question came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Right,
    /// The learner chose another; `right` is the run's answer.
    Wrong {
        right: usize,
    },
    /// Not answered; `right` is the run's answer.
    Unanswered {
        right: usize,
    },
}

impl Quiz {
    /// The quiz of a lesson's questions; `None` when the run poses none.
    pub fn new(questions: Vec<Posed>) -> Option<Quiz> {
        if questions.is_empty() {
            return None;
        }
        let chosen = vec![None; questions.len()];
        Some(Quiz {
            questions,
            chosen,
            phase: Phase::Asking,
        })
    }

    /// The learner picks choice `choice` of question `question` (while the questions are open;
    /// out-of-range picks are ignored).
    pub fn choose(&mut self, question: usize, choice: usize) {
        let fits = self
            .questions
            .get(question)
            .is_some_and(|q| choice < q.choices.len());
        if self.phase == Phase::Asking && fits {
            self.chosen[question] = Some(choice);
        }
    }

    pub fn answered(&self) -> usize {
        self.chosen.iter().filter(|c| c.is_some()).count()
    }

    /// "Run": the choices are locked in and the run plays.
    pub fn lock(&mut self) {
        if self.phase == Phase::Asking {
            self.phase = Phase::Locked;
        }
    }

    pub fn skip(&mut self) {
        if self.phase == Phase::Asking {
            self.phase = Phase::Skipped;
        }
    }

    /// Play was pressed while the questions were open: lock in what was chosen, or skip when
    /// nothing was (in presenter mode the class answers aloud: always lock in).
    pub fn on_play(&mut self, presenter: bool) {
        if self.phase != Phase::Asking {
            return;
        }
        if presenter || self.answered() > 0 {
            self.lock();
        } else {
            self.skip();
        }
    }

    /// The run moved; once it is at its end the answers are revealed. A reader who reaches
    /// the end with the questions still open has seen the run: that counts as pressing Play
    /// (what was chosen is locked in and revealed; with nothing chosen, skipped).
    pub fn on_progress(&mut self, finished: bool, presenter: bool) {
        if !finished {
            return;
        }
        self.on_play(presenter);
        if self.phase == Phase::Locked {
            self.phase = Phase::Revealed;
        }
    }

    /// Shows the answers now (from any phase: also after skipping).
    pub fn reveal(&mut self) {
        self.phase = Phase::Revealed;
    }

    /// Whether the lesson's text (which says the run's numbers) may be shown.
    pub fn lesson_shown(&self) -> bool {
        matches!(self.phase, Phase::Revealed | Phase::Skipped)
    }

    pub fn verdict(&self, question: usize) -> Option<Verdict> {
        let right = self.questions.get(question)?.right;
        Some(match self.chosen[question] {
            Some(c) if c == right => Verdict::Right,
            Some(_) => Verdict::Wrong { right },
            None => Verdict::Unanswered { right },
        })
    }

    /// "2 of 3 right" once revealed, counting only the questions answered.
    pub fn score(&self) -> String {
        let right = (0..self.questions.len())
            .filter(|&q| self.verdict(q) == Some(Verdict::Right))
            .count();
        match self.answered() {
            0 => "You answered none of the questions; here is what the run says.".into(),
            n => format!("{right} of {n} answered right."),
        }
    }
}

/// The letter a choice goes by: A, B, C… (a presenter's class answers "B!").
pub fn letter(choice: usize) -> char {
    (b'A' + (choice % 26) as u8) as char
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posed(right: usize) -> Posed {
        Posed {
            prompt: "How long?".into(),
            choices: vec!["30 s".into(), "32.4 s".into(), "60 s".into()],
            right,
            reveal: "32.4 s: one boil, then the steps.".into(),
        }
    }

    #[test]
    fn no_questions_no_quiz() {
        assert_eq!(Quiz::new(vec![]), None);
    }

    #[test]
    fn answer_lock_play_to_the_end_and_the_answers_are_revealed() {
        let mut q = Quiz::new(vec![posed(1), posed(0)]).unwrap();
        assert!(!q.lesson_shown(), "the text would give the answers away");
        q.choose(0, 1);
        q.choose(1, 2);
        q.choose(1, 9); // not a choice: ignored
        q.choose(5, 0);
        assert_eq!(q.chosen, vec![Some(1), Some(2)]);
        q.lock();
        q.choose(0, 0);
        assert_eq!(q.chosen[0], Some(1), "locked in");
        q.on_progress(false, false);
        assert_eq!(q.phase, Phase::Locked);
        q.on_progress(true, false);
        assert_eq!(q.phase, Phase::Revealed);
        assert!(q.lesson_shown());
        assert_eq!(q.verdict(0), Some(Verdict::Right));
        assert_eq!(q.verdict(1), Some(Verdict::Wrong { right: 0 }));
        assert_eq!(q.score(), "1 of 2 answered right.");
    }

    #[test]
    fn a_reader_who_just_plays_is_not_held_up() {
        let mut q = Quiz::new(vec![posed(1)]).unwrap();
        q.on_play(false);
        assert_eq!(q.phase, Phase::Skipped);
        assert!(q.lesson_shown());
        q.reveal();
        assert_eq!(q.verdict(0), Some(Verdict::Unanswered { right: 1 }));
        assert!(q.score().contains("none"));

        let mut chose = Quiz::new(vec![posed(1)]).unwrap();
        chose.choose(0, 2);
        chose.on_play(false);
        assert_eq!(chose.phase, Phase::Locked, "a choice made is locked in");

        let mut class = Quiz::new(vec![posed(1)]).unwrap();
        class.on_play(true);
        assert_eq!(class.phase, Phase::Locked, "a class answers aloud");
    }

    #[test]
    fn reaching_the_end_with_the_questions_open_counts_as_playing() {
        let mut jumped = Quiz::new(vec![posed(1)]).unwrap();
        jumped.on_progress(true, false);
        assert_eq!(jumped.phase, Phase::Skipped, "nothing chosen: skipped");
        let mut chose = Quiz::new(vec![posed(1)]).unwrap();
        chose.choose(0, 1);
        chose.on_progress(true, false);
        assert_eq!(chose.phase, Phase::Revealed);
        let mut class = Quiz::new(vec![posed(1)]).unwrap();
        class.on_progress(true, true);
        assert_eq!(
            class.phase,
            Phase::Revealed,
            "the class saw the run to its end"
        );
    }

    #[test]
    fn letters() {
        assert_eq!(letter(0), 'A');
        assert_eq!(letter(2), 'C');
    }
}
