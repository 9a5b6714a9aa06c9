//! Predict, then run: the questions a lesson asks before it plays.
//!
//! A question's right answer is never typed in. Each choice is a hypothesis a learner might
//! hold, made exact: a number a model predicts ("one boil", "six steps in a row") or a
//! condition on the run ("every plate counted"). The run then decides: the choice nearest to
//! what the run measured, or the one whose condition holds. So a change to the simulator, the
//! profile or the program cannot leave a stale answer on the page: the answer moves with the
//! run, and when the run no longer tells the choices apart clearly the question is withdrawn
//! (an error) rather than shown with a doubtful answer.
//!
//! Prompts and choices are templates filled from the lesson's [`Facts`]. A prompt must only use
//! facts of the setup (the boil, the CPU step, the cores), never of the outcome; the reveal
//! explains the outcome with the run's numbers.

use super::facts::Facts;

/// How the run picks the right choice.
pub enum Answer {
    /// Each choice predicts a number (`values`, one per choice); the run measures it
    /// (`measure`). The right choice is the nearest, and it must be clearly nearest: the
    /// measure lies within a quarter of the distance from the right value to any other.
    Nearest {
        measure: fn(&Facts) -> f64,
        values: &'static [fn(&Facts) -> f64],
    },
    /// Each choice is a condition on the run; exactly one must hold.
    Holds(&'static [fn(&Facts) -> bool]),
}

pub struct Question {
    /// Asked before the run plays (a template of setup facts).
    pub prompt: &'static str,
    /// The choices, in the order shown (templates).
    pub choices: &'static [&'static str],
    pub answer: Answer,
    /// Shown after the run: why the right choice is right (a template). It is written for
    /// one outcome, the choice `reveal_explains`; a run that picks another choice gets a
    /// plain statement of its answer instead, so the explanation is never shown beside an
    /// answer it does not explain.
    pub reveal: &'static str,
    pub reveal_explains: usize,
}

/// A question as the page shows it: every template filled, the right choice computed.
#[derive(Clone, Debug, PartialEq)]
pub struct Posed {
    pub prompt: String,
    pub choices: Vec<String>,
    /// Index into `choices`.
    pub right: usize,
    pub reveal: String,
}

/// How close the run must be to the right choice, as a share of the distance to the next.
const CLEAR: f64 = 0.25;

impl Question {
    /// The question for the run whose facts are `facts`, or why it cannot be asked of it.
    pub fn pose(&self, facts: &Facts) -> Result<Posed, String> {
        let right = self.right_choice(facts)?;
        let choices = self
            .choices
            .iter()
            .map(|c| facts.fill(c))
            .collect::<Result<Vec<_>, _>>()?;
        let explained = facts.fill(self.reveal)?;
        let reveal = if right == self.reveal_explains {
            explained
        } else {
            format!("This run says: {}.", choices[right])
        };
        Ok(Posed {
            prompt: facts.fill(self.prompt)?,
            choices,
            right,
            reveal,
        })
    }

    fn right_choice(&self, facts: &Facts) -> Result<usize, String> {
        let arity = match &self.answer {
            Answer::Nearest { values, .. } => values.len(),
            Answer::Holds(conditions) => conditions.len(),
        };
        if arity != self.choices.len() || arity < 2 {
            return Err(format!(
                "\"{}\": {} choices for {arity} answers",
                self.prompt,
                self.choices.len()
            ));
        }
        match &self.answer {
            Answer::Nearest { measure, values } => {
                let values: Vec<f64> = values.iter().map(|v| v(facts)).collect();
                nearest(measure(facts), &values)
                    .ok_or_else(|| format!("\"{}\": the run does not decide it", self.prompt))
            }
            Answer::Holds(conditions) => {
                let holding: Vec<usize> = (0..conditions.len())
                    .filter(|&i| conditions[i](facts))
                    .collect();
                match holding[..] {
                    [one] => Ok(one),
                    _ => Err(format!(
                        "\"{}\": {} choices hold for this run",
                        self.prompt,
                        holding.len()
                    )),
                }
            }
        }
    }
}

/// The value `measured` is clearly nearest to, if any: within a quarter of the distance
/// from that value to every other. Two equal values, or a `NaN`, decide nothing.
pub fn nearest(measured: f64, values: &[f64]) -> Option<usize> {
    if !measured.is_finite() || values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let best = (0..values.len()).min_by(|&a, &b| {
        (values[a] - measured)
            .abs()
            .total_cmp(&(values[b] - measured).abs())
    })?;
    let off = (values[best] - measured).abs();
    let clear = values
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != best)
        .all(|(_, v)| {
            let gap = (v - values[best]).abs();
            gap > 0.0 && off <= CLEAR * gap
        });
    clear.then_some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_value_wins_only_when_it_is_clearly_nearest() {
        assert_eq!(nearest(32.4, &[30.0, 32.4, 60.0]), Some(1));
        assert_eq!(nearest(32.0, &[30.0, 32.4, 60.0]), Some(1));
        // Half-way between 30 and 32.4: the run does not tell them apart.
        assert_eq!(nearest(31.2, &[30.0, 32.4, 60.0]), None);
        assert_eq!(nearest(0.0, &[0.0, 1.0, 2.0]), Some(0));
        assert_eq!(nearest(5.0, &[5.0, 5.0]), None);
        assert_eq!(nearest(f64::NAN, &[1.0, 2.0]), None);
    }

    fn five(_: &Facts) -> f64 {
        5.0
    }
    fn fifteen(_: &Facts) -> f64 {
        15.0
    }
    fn got(f: &Facts) -> f64 {
        f.num("got")
    }
    fn all(f: &Facts) -> bool {
        f.num("got") == 15.0
    }
    fn fewer(f: &Facts) -> bool {
        f.num("got") < 15.0
    }

    #[test]
    fn a_posed_question_fills_its_templates_and_names_the_right_choice() {
        let q = Question {
            prompt: "{chefs} chefs: what is the tally?",
            choices: &["{all}", "5"],
            answer: Answer::Nearest {
                measure: got,
                values: &[fifteen, five],
            },
            reveal: "It is {got}.",
            reveal_explains: 1,
        };
        let mut f = Facts::new();
        f.count("chefs", 3.0).count("all", 15.0).count("got", 5.0);
        let posed = q.pose(&f).unwrap();
        assert_eq!(posed.prompt, "3 chefs: what is the tally?");
        assert_eq!(posed.choices, ["15", "5"]);
        assert_eq!(posed.right, 1);
        assert_eq!(posed.reveal, "It is 5.");
        f.count("got", 15.0);
        let other = q.pose(&f).unwrap();
        assert_eq!(other.right, 0);
        assert_eq!(
            other.reveal, "This run says: 15.",
            "not the explanation of 5"
        );
    }

    #[test]
    fn conditions_must_single_out_one_choice() {
        let q = Question {
            prompt: "?",
            choices: &["all", "fewer"],
            answer: Answer::Holds(&[all, fewer]),
            reveal: "",
            reveal_explains: 0,
        };
        let mut f = Facts::new();
        f.count("got", 15.0);
        assert_eq!(q.pose(&f).unwrap().right, 0);
        let mut none = Facts::new();
        none.text("got", "?");
        assert!(q.pose(&none).is_err(), "no choice holds for NaN");
        let lopsided = Question {
            choices: &["only one"],
            ..q
        };
        assert!(lopsided.pose(&f).is_err());
    }
}
