//! Replaying a trace: where the time cursor is, whether it moves, and how fast. The page maps
//! its buttons and timer ticks onto these calls; keeping the arithmetic here (no web types)
//! lets it be tested natively, like yew's game-of-life keeps `Conway` apart from its view.

/// Real seconds a whole run takes to play at speed 1×, whatever its simulated length.
pub const DEFAULT_PLAY_SECONDS: f64 = 12.0;
/// Slowest and fastest speed factors offered.
pub const MIN_SPEED: f64 = 0.125;
pub const MAX_SPEED: f64 = 16.0;

#[derive(Clone, Debug, PartialEq)]
pub struct Playback {
    /// Simulated seconds shown so far.
    pub now_s: f64,
    /// Simulated length of the run.
    pub end_s: f64,
    pub playing: bool,
    /// 1.0 plays the whole run in [`DEFAULT_PLAY_SECONDS`].
    pub speed: f64,
}

impl Playback {
    /// A stopped player at the start of a run of `end_s` simulated seconds.
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

    /// Moves the cursor by `real_s` seconds of wall-clock time; stops at the end.
    pub fn tick(&mut self, real_s: f64) {
        if !(self.playing && real_s.is_finite() && real_s > 0.0) {
            return;
        }
        let rate = self.end_s / DEFAULT_PLAY_SECONDS * self.speed;
        self.now_s = (self.now_s + real_s * rate).min(self.end_s);
        if self.finished() {
            self.playing = false;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plays_whole_run_in_default_time_and_stops_at_end() {
        let mut p = Playback::new(60.0);
        p.toggle();
        p.tick(DEFAULT_PLAY_SECONDS / 2.0);
        assert!((p.now_s - 30.0).abs() < 1e-9);
        p.tick(DEFAULT_PLAY_SECONDS);
        assert_eq!(p.now_s, 60.0);
        assert!(!p.playing && p.finished());
        p.toggle();
        assert_eq!(p.now_s, 0.0);
        assert!(p.playing);
    }

    #[test]
    fn speed_scales_and_is_clamped() {
        let mut p = Playback::new(12.0);
        p.set_speed(2.0);
        p.toggle();
        p.tick(1.0);
        assert!((p.now_s - 2.0).abs() < 1e-9);
        p.set_speed(1e9);
        assert_eq!(p.speed, MAX_SPEED);
        p.set_speed(f64::NAN);
        assert_eq!(p.speed, 1.0);
    }

    #[test]
    fn bad_inputs_do_nothing_harmful() {
        let mut p = Playback::new(f64::NAN);
        assert_eq!(p.end_s, 0.0);
        p.toggle();
        p.tick(f64::INFINITY);
        p.seek_fraction(f64::NAN);
        assert_eq!(p.fraction(), 1.0);
    }
}
