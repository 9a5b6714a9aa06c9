//! The colours and patterns of the states, in one place, with the arithmetic that checks them.
//!
//! A state is shown by a fill colour *and* a pattern, so that it reads in grey-scale, on a washed
//! out projector and for a reader with colour-blindness; who a lane is never uses these colours
//! (lanes are told apart by their label and number badge, see [`lane_badge`]). The page draws
//! every state swatch from these constants (the SVG patterns and the HTML swatches are both
//! generated from [`style`]), so the contrast checks below test what is on screen:
//! [`contrast_ratio`] is WCAG 2's formula, [`deuteranopia`] simulates the commonest
//! colour-blindness (Machado, Oliveira and Fernandes 2009, severity 1), and [`delta_e`] is the
//! CIE 1976 colour difference in L*a*b*.

use crate::core::trace::State;

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// The page behind drawings (the scene's and the timeline's panels stay light in dark mode too,
/// so one palette serves both).
pub const PAPER: Rgb = Rgb(0xff, 0xff, 0xff);
/// The background of a timeline row.
pub const ROW: Rgb = Rgb(0xf4, 0xf4, 0xf4);
/// The fill of a GIL or core row's stretch: who held it is written on it, not coloured.
pub const HELD: Rgb = Rgb(0x3b, 0x3b, 0x3b);
/// The frozen event loop (a step longer than asyncio's 100 ms slow-callback threshold).
pub const FROZEN: Rgb = Rgb(0x1f, 0x5f, 0x8f);

/// The marks drawn over a state's colour, in white.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pattern {
    /// No marks: running, the state the eye should find first.
    Solid,
    /// Thin lines both ways.
    Grid,
    /// Lines rising to the right, `/`.
    Rising,
    /// Lines both diagonal ways.
    Cross,
    /// Dots.
    Dots,
    /// Horizontal lines.
    Horizontal,
    /// Vertical lines.
    Vertical,
    /// Lines falling to the right, `\`.
    Falling,
    /// Small rings.
    Rings,
}

/// How one state is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    pub fill: Rgb,
    pub pattern: Pattern,
}

/// Every state, in the legend's order.
pub const STATES: [State; 9] = [
    State::Running,
    State::WaitingGil,
    State::WaitingCore,
    State::Spawning,
    State::Sleeping,
    State::Blocked,
    State::Idle,
    State::Ready,
    State::Awaiting,
];

/// The colour and pattern of `state`. The colours were chosen for at least 3:1 against
/// [`PAPER`] and [`ROW`] and a colour difference of at least 25 between any two, with normal
/// vision and with deuteranopia (the tests below hold them to that).
pub fn style(state: State) -> Style {
    let (fill, pattern) = match state {
        State::Running => (Rgb(0x3a, 0x9b, 0x46), Pattern::Solid),
        State::WaitingGil => (Rgb(0xd4, 0x50, 0x0f), Pattern::Rising),
        State::WaitingCore => (Rgb(0x42, 0x45, 0x14), Pattern::Cross),
        State::Spawning => (Rgb(0x4b, 0x38, 0x6f), Pattern::Grid),
        State::Sleeping => (Rgb(0x01, 0x40, 0xa1), Pattern::Dots),
        State::Blocked => (Rgb(0x46, 0x4b, 0x4b), Pattern::Horizontal),
        State::Idle => (Rgb(0x61, 0x84, 0xde), Pattern::Vertical),
        State::Ready => (Rgb(0xe3, 0x52, 0x8d), Pattern::Falling),
        State::Awaiting => (Rgb(0x6c, 0x8a, 0xad), Pattern::Rings),
    };
    Style { fill, pattern }
}

/// A short, stable name for CSS classes and SVG pattern ids: `running`, `waiting-gil`…
pub fn slug(state: State) -> &'static str {
    match state {
        State::Running => "running",
        State::Spawning => "spawning",
        State::WaitingGil => "waiting-gil",
        State::WaitingCore => "waiting-core",
        State::Sleeping => "sleeping",
        State::Blocked => "blocked",
        State::Idle => "idle",
        State::Ready => "ready",
        State::Awaiting => "awaiting",
    }
}

/// What a state means, in the kitchen's words, for the legend.
pub fn state_name(state: State) -> &'static str {
    match state {
        State::Running => "running Python (holds the GIL)",
        State::Spawning => "starting a thread or process",
        State::WaitingGil => "waiting for the GIL",
        State::WaitingCore => "waiting for a free core",
        State::Sleeping => "sleeping / I/O (GIL free)",
        State::Blocked => "blocked (join, lock, queue)",
        State::Idle => "event loop idle (waits for a timer)",
        State::Ready => "task ready, loop busy elsewhere",
        State::Awaiting => "task parked in await",
    }
}

/// A state in two or three words, for counts ("985 asleep").
pub fn short_name(state: State) -> &'static str {
    match state {
        State::Running => "running",
        State::Spawning => "starting others",
        State::WaitingGil => "waiting for the GIL",
        State::WaitingCore => "waiting for a core",
        State::Sleeping => "asleep",
        State::Blocked => "blocked",
        State::Idle => "idle",
        State::Ready => "ready",
        State::Awaiting => "parked in await",
    }
}

/// A lane's identity mark: its number, which the timeline's label, the scene's chef and the
/// code panel's tag all carry (lane 0 is the program's main thread).
pub fn lane_badge(lane: usize) -> String {
    lane.to_string()
}

/// WCAG 2 relative luminance, 0 (black) to 1 (white).
pub fn luminance(c: Rgb) -> f64 {
    let [r, g, b] = linear(c);
    0.2126 * r + 0.7152 * g + 0.0722 * b
}

/// WCAG 2 contrast ratio between two colours, 1 to 21.
pub fn contrast_ratio(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The colour as a reader with deuteranopia sees it, in linear RGB.
pub fn deuteranopia(c: Rgb) -> [f64; 3] {
    const M: [[f64; 3]; 3] = [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ];
    let v = linear(c);
    M.map(|row| (row[0] * v[0] + row[1] * v[1] + row[2] * v[2]).clamp(0.0, 1.0))
}

/// CIE 1976 ΔE between two colours given in linear RGB.
pub fn delta_e(a: [f64; 3], b: [f64; 3]) -> f64 {
    let (la, lb) = (lab(a), lab(b));
    ((la[0] - lb[0]).powi(2) + (la[1] - lb[1]).powi(2) + (la[2] - lb[2]).powi(2)).sqrt()
}

/// The sRGB colour in linear RGB, each 0 to 1.
pub fn linear(c: Rgb) -> [f64; 3] {
    [c.0, c.1, c.2].map(|v| {
        let v = v as f64 / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    })
}

/// Linear RGB to CIE L*a*b* (D65 white).
fn lab([r, g, b]: [f64; 3]) -> [f64; 3] {
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    let f = |t: f64| {
        if t > 0.008856 {
            t.cbrt()
        } else {
            7.787 * t + 16.0 / 116.0
        }
    };
    let (fx, fy, fz) = (f(x), f(y), f(z));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_of_known_pairs() {
        assert!((contrast_ratio(Rgb(0, 0, 0), Rgb(255, 255, 255)) - 21.0).abs() < 1e-9);
        assert!((contrast_ratio(PAPER, PAPER) - 1.0).abs() < 1e-12);
        // #777 on white is WCAG's well-known 4.48:1.
        assert!((contrast_ratio(Rgb(0x77, 0x77, 0x77), PAPER) - 4.48).abs() < 0.01);
    }

    #[test]
    fn deuteranopia_keeps_greys_and_merges_red_with_green() {
        let grey = Rgb(0x80, 0x80, 0x80);
        assert!(delta_e(deuteranopia(grey), linear(grey)) < 1.0);
        let (red, green) = (Rgb(0xd0, 0x30, 0x30), Rgb(0x70, 0x80, 0x30));
        assert!(delta_e(linear(red), linear(green)) > 40.0);
        assert!(delta_e(deuteranopia(red), deuteranopia(green)) < 20.0);
    }
}
