//! Simulated time.
//!
//! The simulation counts whole nanoseconds in a `u64`, never floating-point seconds: integer
//! arithmetic makes the same scenario give the same trace bit for bit on every machine and in
//! the browser. Seconds (`f64`) appear only at the edges: the profile a user writes and the
//! trace a user reads.

/// A point in, or a length of, simulated time, in nanoseconds.
pub type Nanos = u64;

/// Nanoseconds in one second.
pub const SECOND: Nanos = 1_000_000_000;
/// Nanoseconds in one millisecond.
pub const MILLI: Nanos = 1_000_000;
/// Nanoseconds in one microsecond.
pub const MICRO: Nanos = 1_000;

/// Seconds (as a user writes them) to nanoseconds, saturating instead of overflowing.
/// Negative and NaN inputs become zero: callers validate first and say why.
pub fn from_secs(secs: f64) -> Nanos {
    if secs.is_nan() || secs <= 0.0 {
        0
    } else {
        let ns = secs * SECOND as f64;
        if ns >= u64::MAX as f64 {
            u64::MAX
        } else {
            ns.round() as Nanos
        }
    }
}

/// Nanoseconds to seconds, for traces and summaries.
pub fn to_secs(ns: Nanos) -> f64 {
    ns as f64 / SECOND as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_both_ways_and_saturates() {
        assert_eq!(from_secs(1.5), 1_500_000_000);
        assert_eq!(from_secs(-3.0), 0);
        assert_eq!(from_secs(f64::NAN), 0);
        assert_eq!(from_secs(1e300), u64::MAX);
        assert_eq!(to_secs(250 * MILLI), 0.25);
    }
}
