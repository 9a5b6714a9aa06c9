//! The state colours, computed from the palette constants the page draws with: each stands at
//! least 3:1 against the backgrounds it is drawn on, any two are told apart with normal vision
//! and with deuteranopia (CIE ΔE of at least 20), and each has a pattern of its own, so no
//! state is told by colour alone.

use std::collections::HashSet;

use kitchen::page::palette::{
    contrast_ratio, delta_e, deuteranopia, linear, style, HELD, PAPER, ROW, STATES,
};

#[test]
fn every_state_stands_out_from_the_paper_and_the_rows() {
    for s in STATES {
        let fill = style(s).fill;
        for (bg, name) in [(PAPER, "paper"), (ROW, "row")] {
            let ratio = contrast_ratio(fill, bg);
            assert!(
                ratio >= 3.0,
                "{s:?} {} on the {name}: {ratio:.2}:1",
                fill.hex()
            );
        }
    }
    assert!(contrast_ratio(HELD, ROW) >= 3.0);
}

#[test]
fn any_two_states_differ_with_normal_vision_and_with_deuteranopia() {
    let mut worst = (f64::INFINITY, f64::INFINITY);
    for (i, &a) in STATES.iter().enumerate() {
        for &b in &STATES[i + 1..] {
            let (fa, fb) = (style(a).fill, style(b).fill);
            let normal = delta_e(linear(fa), linear(fb));
            let deut = delta_e(deuteranopia(fa), deuteranopia(fb));
            assert!(normal >= 20.0, "{a:?} vs {b:?}: ΔE {normal:.1}");
            assert!(
                deut >= 20.0,
                "{a:?} vs {b:?} with deuteranopia: ΔE {deut:.1}"
            );
            worst = (worst.0.min(normal), worst.1.min(deut));
        }
    }
    // The numbers: running and waiting-for-the-GIL were 1.21:1 apart and identical
    // with deuteranopia. Now:
    let (run, gil) = (style(STATES[0]).fill, style(STATES[1]).fill);
    assert!(delta_e(deuteranopia(run), deuteranopia(gil)) > 25.0);
    assert!(worst.0 >= 20.0 && worst.1 >= 20.0, "{worst:?}");
}

#[test]
fn each_state_has_its_own_pattern() {
    let patterns: HashSet<_> = STATES.iter().map(|&s| style(s).pattern).collect();
    assert_eq!(patterns.len(), STATES.len());
}
