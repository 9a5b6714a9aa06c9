//! Replaying a trace: where the time cursor is, whether it moves, and how fast. The page maps
//! its buttons, keys and animation frames onto these calls; keeping the arithmetic here (no web
//! types) lets it be tested natively, like yew's game-of-life keeps `Conway` apart from its view.
//!
//! Speed is a multiple of real time: at 1× a second of the run takes a second to watch, at
//! 0.01× a 5 ms GIL turn takes half a second. A stretch where nothing but sleeping happens (the
//! 30 s boil) would take 30 s at 1×, so stretches the timeline folds are *skipped through* in
//! [`SKIP_SECONDS`] of watching each, whatever the speed; [`Playback::watch_seconds`] says how
//! long the whole run then takes, so the page can say it.

/// Slowest and fastest speeds, as multiples of real time.
pub const MIN_SPEED: f64 = 0.0001;
pub const MAX_SPEED: f64 = 1000.0;

/// The speeds the picker and the +/− keys offer.
pub const SPEEDS: [f64; 9] = [0.001, 0.01, 0.05, 0.1, 0.25, 1.0, 2.0, 10.0, 100.0];

/// Real seconds a skipped (folded) stretch takes to play through.
pub const SKIP_SECONDS: f64 = 1.0;

#[derive(Clone, Debug, PartialEq)]
pub struct Playback {
    /// Simulated seconds shown so far.
    pub now_s: f64,
    /// Simulated length of the run.
    pub end_s: f64,
    pub playing: bool,
    /// A multiple of real time.
    pub speed: f64,
    /// Stretches played through in [`SKIP_SECONDS`] each, in time order, not overlapping.
    skips: Vec<(f64, f64)>,
}

impl Playback {
    /// A stopped player at the start of a run of `end_s` simulated seconds, at real time.
    pub fn new(end_s: f64) -> Playback {
        let end_s = if end_s.is_finite() && end_s > 0.0 {
            end_s
        } else {
            0.0
        };
        Playback {
            now_s: 0.0,
            end_s,
            playing: false,
            speed: 1.0,
            skips: Vec::new(),
        }
    }

    /// Play from the start when finished; otherwise toggle between playing and paused.
    pub fn toggle(&mut self) {
        if self.finished() {
            self.now_s = 0.0;
            self.playing = true;
        } else {
            self.playing = !self.playing;
        }
    }

    pub fn pause(&mut self) {
        self.playing = false;
    }

    /// Moves the cursor by `real_s` seconds of watching; stops at the end.
    pub fn tick(&mut self, real_s: f64) {
        if !(self.playing && real_s.is_finite() && real_s > 0.0) {
            return;
        }
        let mut left = real_s;
        // At most one step per skip boundary crossed: the loop ends.
        for _ in 0..=self.skips.len() * 2 + 1 {
            if left <= 0.0 || self.finished() {
                break;
            }
            let (rate, boundary) = self.rate_here();
            let reach = self.now_s + left * rate;
            if reach < boundary {
                self.now_s = reach;
                left = 0.0;
            } else {
                left -= (boundary - self.now_s) / rate;
                self.now_s = boundary;
            }
        }
        self.now_s = self.now_s.min(self.end_s);
        if self.finished() {
            self.playing = false;
        }
    }

    /// The rate at the cursor (simulated seconds per real second) and where it next changes.
    fn rate_here(&self) -> (f64, f64) {
        let t = self.now_s;
        for &(a, b) in &self.skips {
            if t >= a && t < b {
                return (((b - a) / SKIP_SECONDS).max(self.speed), b);
            }
            if t < a {
                return (self.speed, a);
            }
        }
        (self.speed, self.end_s)
    }

    /// The stretches to skip through (the timeline's folds); bad ones are dropped.
    pub fn set_skips(&mut self, skips: &[(f64, f64)]) {
        let mut clean: Vec<(f64, f64)> = skips
            .iter()
            .copied()
            .filter(|(a, b)| a.is_finite() && b.is_finite() && a < b)
            .collect();
        crate::core::sort::sort_by(&mut clean, |x, y| x.0.total_cmp(&y.0));
        clean.dedup_by(|later, earlier| later.0 < earlier.1);
        self.skips = clean;
    }

    /// Real seconds the whole run takes to watch at the current speed, skips included.
    pub fn watch_seconds(&self) -> f64 {
        let skipped: f64 = self.skips.iter().map(|(a, b)| b - a).sum();
        let skip_time: f64 = self
            .skips
            .iter()
            .map(|(a, b)| ((b - a) / self.speed).min(SKIP_SECONDS))
            .sum();
        (self.end_s - skipped).max(0.0) / self.speed + skip_time
    }

    /// Jumps to `t_s` (clamped to the run).
    pub fn seek(&mut self, t_s: f64) {
        self.now_s = if t_s.is_finite() {
            t_s.clamp(0.0, self.end_s)
        } else {
            0.0
        };
    }

    /// Jumps to a fraction (0 to 1) of the run.
    pub fn seek_fraction(&mut self, fraction: f64) {
        let f = if fraction.is_finite() {
            fraction.clamp(0.0, 1.0)
        } else {
            0.0
        };
        self.now_s = f * self.end_s;
    }

    /// Jumps to the end: shows the whole run at once.
    pub fn skip_to_end(&mut self) {
        self.now_s = self.end_s;
        self.playing = false;
    }

    pub fn set_speed(&mut self, speed: f64) {
        self.speed = if speed.is_finite() {
            speed.clamp(MIN_SPEED, MAX_SPEED)
        } else {
            1.0
        };
    }

    /// One step faster (`up`) or slower along [`SPEEDS`].
    pub fn step_speed(&mut self, up: bool) {
        let next = if up {
            SPEEDS.iter().copied().find(|&s| s > self.speed * 1.0001)
        } else {
            SPEEDS
                .iter()
                .rev()
                .copied()
                .find(|&s| s < self.speed / 1.0001)
        };
        if let Some(s) = next {
            self.speed = s;
        }
    }

    pub fn finished(&self) -> bool {
        self.now_s >= self.end_s
    }

    /// How far through the run the cursor is, 0 to 1.
    pub fn fraction(&self) -> f64 {
        if self.end_s > 0.0 {
            self.now_s / self.end_s
        } else {
            1.0
        }
    }
}

/// A speed in words: `1× (real time)`, `0.01× (100 times slower)`, `10× (10 times faster)`.
pub fn speed_label(speed: f64) -> String {
    let x = super::waits::number(speed);
    if (speed - 1.0).abs() < 1e-9 {
        "1× (real time)".into()
    } else if speed < 1.0 {
        format!(
            "{x}× ({} times slower)",
            super::waits::number((1.0 / speed * 100.0).round() / 100.0)
        )
    } else {
        format!("{x}× ({x} times faster)")
    }
}

/// The clock: `t = 30.400 s of 32.400 s`, with `decimals` digits for the cursor and 3 for
/// the run's length. Before the end the two never read the same: `t = 32.400 s of 32.400 s`
/// while the last step still runs would say the run is over, so the length then gets the
/// digits that tell them apart (`t = 32.40000 s of 32.40004 s`), and the cursor at least as
/// many.
pub fn clock(now_s: f64, end_s: f64, decimals: usize) -> String {
    let mut end_digits = 3;
    while now_s < end_s
        && end_digits < 9
        && format!("{now_s:.end_digits$}") == format!("{end_s:.end_digits$}")
    {
        end_digits += 1;
    }
    let now_digits = if end_digits > 3 {
        decimals.max(end_digits)
    } else {
        decimals
    };
    format!("t = {now_s:.now_digits$} s of {end_s:.end_digits$} s")
}

/// A moment as the address writes it (`t=30.400023676`): nine digits at most, no trailing
/// zeros, so a link lands on the same moment.
pub fn t_param(t_s: f64) -> String {
    let s = format!("{:.9}", t_s.max(0.0));
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_never_reads_the_end_before_it() {
        assert_eq!(clock(30.4, 32.400041, 3), "t = 30.400 s of 32.400 s");
        // 41 µs before the end: more digits, not "32.400 s of 32.400 s".
        assert_eq!(clock(32.4, 32.400041, 3), "t = 32.40000 s of 32.40004 s");
        // At the start they differ, and at the end it is the end: the length keeps 3 digits.
        assert_eq!(clock(0.0, 32.400041, 6), "t = 0.000000 s of 32.400 s");
        assert_eq!(
            clock(32.400041, 32.400041, 6),
            "t = 32.400041 s of 32.400 s"
        );
    }

    #[test]
    fn one_x_is_real_time_and_stops_at_the_end() {
        let mut p = Playback::new(60.0);
        p.toggle();
        p.tick(30.0);
        assert!((p.now_s - 30.0).abs() < 1e-9);
        p.tick(31.0);
        assert_eq!(p.now_s, 60.0);
        assert!(!p.playing && p.finished());
        p.toggle();
        assert_eq!(p.now_s, 0.0);
        assert!(p.playing);
    }

    #[test]
    fn speed_scales_and_is_clamped() {
        let mut p = Playback::new(12.0);
        p.set_speed(0.01);
        p.toggle();
        p.tick(1.0);
        assert!((p.now_s - 0.01).abs() < 1e-12);
        p.set_speed(1e9);
        assert_eq!(p.speed, MAX_SPEED);
        p.set_speed(f64::NAN);
        assert_eq!(p.speed, 1.0);
        p.step_speed(true);
        assert_eq!(p.speed, 2.0);
        p.step_speed(false);
        p.step_speed(false);
        assert_eq!(p.speed, 0.25);
    }

    #[test]
    fn a_skipped_stretch_plays_in_a_second() {
        // 2 s of work, 28 s of boiling skipped, 2 s of work: 5 s to watch at 1×.
        let mut p = Playback::new(32.0);
        p.set_skips(&[(2.0, 30.0)]);
        assert!((p.watch_seconds() - 5.0).abs() < 1e-9);
        p.toggle();
        p.tick(2.5);
        assert!((p.now_s - 16.0).abs() < 1e-9, "{}", p.now_s);
        p.tick(1.5);
        assert!((p.now_s - 31.0).abs() < 1e-9, "{}", p.now_s);
        // Fast enough that the skip is no faster than the speed itself.
        p.set_speed(100.0);
        assert!((p.watch_seconds() - (4.0 / 100.0 + 0.28)).abs() < 1e-9);
    }

    #[test]
    fn labels_say_what_the_speed_is() {
        assert_eq!(speed_label(1.0), "1× (real time)");
        assert_eq!(speed_label(0.01), "0.01× (100 times slower)");
        assert_eq!(speed_label(10.0), "10× (10 times faster)");
    }

    #[test]
    fn bad_inputs_do_nothing_harmful() {
        let mut p = Playback::new(f64::NAN);
        assert_eq!(p.end_s, 0.0);
        p.toggle();
        p.tick(f64::INFINITY);
        p.seek_fraction(f64::NAN);
        p.seek(f64::NAN);
        p.set_skips(&[(f64::NAN, 1.0), (3.0, 2.0)]);
        assert_eq!(p.fraction(), 1.0);
    }
}
