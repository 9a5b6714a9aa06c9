//! The page's keyboard: which key does what, decided without a browser. Space plays and
//! pauses, ← and → step to the previous and next moment, Home and End jump to the start and
//! the end, + and − change the speed, PageUp and PageDown go to the previous and next stop of
//! the course.
//!
//! Keys typed into a text field (the code editor) or a menu are theirs, not the player's, and
//! Space on a focused button presses that button; shortcuts with Ctrl, Alt or ⌘ stay the
//! browser's.

/// What a key asks of the player.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    TogglePlay,
    StepNext,
    StepPrev,
    Start,
    End,
    Faster,
    Slower,
    /// The previous stop of the course (a lesson, the comparison, the guide).
    PreviousLesson,
    NextLesson,
}

/// Where the key was pressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A textarea, a text input or a select: it takes every key.
    Text,
    /// A button or link: Space and Enter press it.
    Button,
    /// The scrubber (a range input): arrows step moments rather than nudging it.
    Range,
    /// Anywhere else.
    Other,
}

/// The command for `key` (a `KeyboardEvent.key` value) pressed on `target`, if any.
pub fn command(key: &str, modified: bool, target: Target) -> Option<Command> {
    if modified || target == Target::Text {
        return None;
    }
    match key {
        " " | "Spacebar" if target != Target::Button => Some(Command::TogglePlay),
        "k" | "K" => Some(Command::TogglePlay),
        "ArrowRight" => Some(Command::StepNext),
        "ArrowLeft" => Some(Command::StepPrev),
        "Home" => Some(Command::Start),
        "End" => Some(Command::End),
        "+" | "=" => Some(Command::Faster),
        "-" | "_" | "−" => Some(Command::Slower),
        // A slider's own big step (the comparison's sliders, the scrubber).
        "PageUp" if target != Target::Range => Some(Command::PreviousLesson),
        "PageDown" if target != Target::Range => Some(Command::NextLesson),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_player_keys() {
        assert_eq!(
            command(" ", false, Target::Other),
            Some(Command::TogglePlay)
        );
        assert_eq!(
            command("ArrowRight", false, Target::Range),
            Some(Command::StepNext)
        );
        assert_eq!(
            command("ArrowLeft", false, Target::Other),
            Some(Command::StepPrev)
        );
        assert_eq!(command("Home", false, Target::Button), Some(Command::Start));
        assert_eq!(command("End", false, Target::Other), Some(Command::End));
        assert_eq!(command("+", false, Target::Other), Some(Command::Faster));
        assert_eq!(command("-", false, Target::Other), Some(Command::Slower));
        assert_eq!(
            command("PageDown", false, Target::Button),
            Some(Command::NextLesson)
        );
        assert_eq!(
            command("PageUp", false, Target::Other),
            Some(Command::PreviousLesson)
        );
        assert_eq!(
            command("PageUp", false, Target::Range),
            None,
            "the slider's"
        );
        assert_eq!(
            command("PageDown", false, Target::Text),
            None,
            "the editor scrolls"
        );
    }

    #[test]
    fn keys_that_belong_to_others() {
        assert_eq!(
            command(" ", false, Target::Button),
            None,
            "Space presses the button"
        );
        assert_eq!(
            command("ArrowRight", false, Target::Text),
            None,
            "the editor's caret"
        );
        assert_eq!(command(" ", false, Target::Text), None);
        assert_eq!(
            command("ArrowLeft", true, Target::Other),
            None,
            "browser shortcut"
        );
        assert_eq!(command("x", false, Target::Other), None);
    }
}
