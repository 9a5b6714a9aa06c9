//! The decision guide as a page (`view=guide`, `#guide`): the flowchart of
//! [`crate::lessons::guide`] with its questions numbered and each leaf's lessons as links.
//!
//! A link is a plain relative address, `?scenario=<id>`, so it works on any host and under any
//! sub-path, opens in a new tab when asked, and is what a teacher pastes into a handout. A
//! presenter's guide keeps presenter mode in its links.

use crate::lessons::guide::{self, Leaf, Next, Node};
use crate::scenarios;

/// A lesson a leaf names, as a link.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub id: &'static str,
    pub title: &'static str,
    pub href: String,
}

/// The address of lesson `id` (keeping presenter mode when `present`).
pub fn href(id: &str, present: bool) -> String {
    let mut h = format!("?scenario={}", super::embed::form_encode(id));
    if present {
        h.push_str("&present=1");
    }
    h
}

/// The links of a leaf, the lesson to open first first.
pub fn links(leaf: &Leaf, present: bool) -> Vec<Link> {
    leaf.lessons
        .iter()
        .map(|&id| Link {
            id,
            title: scenarios::find(id).map_or(id, |s| s.title),
            href: href(id, present),
        })
        .collect()
}

/// The number of question `node` (1 for the first question), depth first as the page lists
/// them. Questions are told apart by their words (the guide's nodes are constants, which have
/// no fixed address).
pub fn number(node: &Node) -> usize {
    guide::nodes()
        .iter()
        .position(|n| n.question == node.question)
        .map_or(0, |i| i + 1)
}

/// What an answer leads to, in words: "go to question 3", or the advice.
pub fn leads_to(next: &Next) -> String {
    match next {
        Next::Ask(n) => format!("Question {}", number(n)),
        Next::Advice(_) => "Advice".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::Stop;

    #[test]
    fn every_leaf_links_to_lessons_of_the_course() {
        let leaves = guide::leaves();
        assert!(leaves.len() >= 6);
        for leaf in leaves {
            let links = links(leaf, false);
            assert!(!links.is_empty(), "{}", leaf.advice);
            for l in links {
                assert!(scenarios::find(l.id).is_ok(), "{}", l.id);
                assert_eq!(l.href, format!("?scenario={}", l.id));
                assert!(super::super::course::from_value(l.id) == Some(Stop::Lesson(l.id)));
                assert_ne!(l.title, l.id, "a lesson's title, not its id");
            }
        }
        assert_eq!(href("threads", true), "?scenario=threads&present=1");
    }

    #[test]
    fn questions_are_numbered_depth_first_from_one() {
        assert_eq!(number(&guide::GUIDE), 1);
        let nodes = guide::nodes();
        for (i, n) in nodes.iter().enumerate() {
            assert_eq!(number(n), i + 1);
        }
        match &guide::GUIDE.answers[0].next {
            Next::Ask(n) => assert_eq!(
                leads_to(&guide::GUIDE.answers[0].next),
                format!("Question {}", number(n))
            ),
            Next::Advice(_) => panic!("the first answer asks on"),
        }
    }
}
