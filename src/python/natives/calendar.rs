//! `time`'s calendar: dates of the simulated clock as `time.struct_time`, and `strftime`.
//!
//! The simulated clock starts at a fixed moment, [`EPOCH_S`] (2026-01-01 00:00:00), so a
//! program that prints the date or time prints the same thing on every run; the simulated
//! machine's time zone is UTC, so `localtime` and `gmtime` agree. The conversions are the
//! proleptic Gregorian calendar's (days from civil dates, Howard Hinnant's algorithm), and
//! `strftime` writes what glibc's does in the C locale, which is what CPython calls on Linux.

use std::any::Any;

use crate::python::value::Object;

/// The Unix time the simulated clock starts at: 2026-01-01 00:00:00 UTC (a Thursday).
pub(super) const EPOCH_S: f64 = 1_767_225_600.0;

const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `time.struct_time`: a broken-down date, `tm_wday` 0 for Monday, `tm_yday` from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StructTime {
    pub year: i64,
    pub mon: i64,
    pub mday: i64,
    pub hour: i64,
    pub min: i64,
    pub sec: i64,
    pub wday: i64,
    pub yday: i64,
    /// Whether the date came from `gmtime` (its zone is "GMT") rather than `localtime`.
    pub gmt: bool,
}

impl StructTime {
    /// The fields in `struct_time`'s order, with their names.
    pub fn fields(&self) -> [(&'static str, i64); 9] {
        [
            ("tm_year", self.year),
            ("tm_mon", self.mon),
            ("tm_mday", self.mday),
            ("tm_hour", self.hour),
            ("tm_min", self.min),
            ("tm_sec", self.sec),
            ("tm_wday", self.wday),
            ("tm_yday", self.yday),
            ("tm_isdst", 0),
        ]
    }

    fn zone(&self) -> &'static str {
        if self.gmt {
            "GMT"
        } else {
            "UTC"
        }
    }
}

impl Object for StructTime {
    fn type_name(&self) -> &str {
        "struct_time"
    }
    fn repr(&self) -> String {
        let fields: Vec<String> = self
            .fields()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        format!("time.struct_time({})", fields.join(", "))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Days since 1970-01-01 of a civil date.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The date of Unix time `secs` (fractions dropped, as `gmtime` does).
pub fn broken_down(secs: f64, gmt: bool) -> StructTime {
    let s = secs.floor() as i64;
    let days = s.div_euclid(86_400);
    let rem = s.rem_euclid(86_400);
    let (year, mon, mday) = civil_from_days(days);
    StructTime {
        year,
        mon,
        mday,
        hour: rem / 3600,
        min: rem % 3600 / 60,
        sec: rem % 60,
        // 1970-01-01 was a Thursday (3 counting from Monday).
        wday: (days + 3).rem_euclid(7),
        yday: days - days_from_civil(year, 1, 1) + 1,
        gmt,
    }
}

/// `time.mktime(t)` in UTC: the Unix time of a date.
pub fn unix_time(t: &StructTime) -> f64 {
    let days = days_from_civil(t.year, t.mon, t.mday);
    (days * 86_400 + t.hour * 3600 + t.min * 60 + t.sec) as f64
}

/// `time.asctime(t)`: `Thu Jan  1 00:00:00 2026`.
pub fn asctime(t: &StructTime) -> String {
    format!(
        "{} {} {:>2} {:02}:{:02}:{:02} {}",
        short(DAYS[t.wday.rem_euclid(7) as usize]),
        short(MONTHS[(t.mon - 1).rem_euclid(12) as usize]),
        t.mday,
        t.hour,
        t.min,
        t.sec,
        t.year
    )
}

fn short(name: &str) -> &str {
    &name[..3]
}

/// Week of the year with weeks starting on `first` (0 Sunday, 1 Monday), as `%U`/`%W`.
fn week_number(t: &StructTime, first: i64) -> i64 {
    let wday_from_sunday = (t.wday + 1) % 7;
    let offset = (wday_from_sunday - first).rem_euclid(7);
    (t.yday - 1 + 7 - offset) / 7
}

/// `time.strftime(format, t)` in the C locale. An unknown directive is kept as written, as
/// glibc does.
pub fn strftime(format: &str, t: &StructTime) -> String {
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let Some(d) = chars.next() else {
            out.push('%');
            break;
        };
        directive(&mut out, d, t);
    }
    out
}

fn directive(out: &mut String, d: char, t: &StructTime) {
    let day = DAYS[t.wday.rem_euclid(7) as usize];
    let month = MONTHS[(t.mon - 1).rem_euclid(12) as usize];
    let hour12 = match t.hour % 12 {
        0 => 12,
        h => h,
    };
    let text = match d {
        'a' => short(day).to_string(),
        'A' => day.to_string(),
        'b' | 'h' => short(month).to_string(),
        'B' => month.to_string(),
        'c' => asctime(t),
        'C' => format!("{:02}", t.year.div_euclid(100)),
        'd' => format!("{:02}", t.mday),
        'D' | 'x' => format!("{:02}/{:02}/{:02}", t.mon, t.mday, t.year.rem_euclid(100)),
        'e' => format!("{:>2}", t.mday),
        'F' => format!("{}-{:02}-{:02}", t.year, t.mon, t.mday),
        'H' => format!("{:02}", t.hour),
        'I' => format!("{hour12:02}"),
        'j' => format!("{:03}", t.yday),
        'm' => format!("{:02}", t.mon),
        'M' => format!("{:02}", t.min),
        'n' => "\n".into(),
        'p' => if t.hour < 12 { "AM" } else { "PM" }.into(),
        'R' => format!("{:02}:{:02}", t.hour, t.min),
        's' => format!("{}", unix_time(t) as i64),
        'S' => format!("{:02}", t.sec),
        't' => "\t".into(),
        'T' | 'X' => format!("{:02}:{:02}:{:02}", t.hour, t.min, t.sec),
        'u' => format!("{}", t.wday + 1),
        'U' => format!("{:02}", week_number(t, 0)),
        'w' => format!("{}", (t.wday + 1) % 7),
        'W' => format!("{:02}", week_number(t, 1)),
        'y' => format!("{:02}", t.year.rem_euclid(100)),
        'Y' => format!("{}", t.year),
        'z' => "+0000".into(),
        'Z' => t.zone().into(),
        '%' => "%".into(),
        other => format!("%{other}"),
    };
    out.push_str(&text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_simulated_clock_starts_on_new_years_day_2026() {
        let t = broken_down(EPOCH_S, false);
        assert_eq!((t.year, t.mon, t.mday, t.wday, t.yday), (2026, 1, 1, 3, 1));
        assert_eq!(asctime(&t), "Thu Jan  1 00:00:00 2026");
        assert_eq!(unix_time(&t), EPOCH_S);
    }

    /// Figures printed by CPython 3.11 (`time.strftime(..., time.gmtime(1767225600.5))`).
    #[test]
    fn strftime_writes_what_glibc_writes() {
        let t = broken_down(EPOCH_S + 0.5, true);
        let f = "%a %b %d %H:%M:%S %Y %c|%x|%X|%j|%p|%I|%Z|%z|%e|%T|%D|%F|%R|%y|%A|%B|%w|%u|%U|%W";
        assert_eq!(
            strftime(f, &t),
            "Thu Jan 01 00:00:00 2026 Thu Jan  1 00:00:00 2026|01/01/26|00:00:00|001|AM|12|GMT|\
             +0000| 1|00:00:00|01/01/26|2026-01-01|00:00|26|Thursday|January|4|4|00|00"
        );
        // A leap day and an afternoon.
        let t = broken_down(
            unix_time(&StructTime {
                year: 2028,
                mon: 2,
                mday: 29,
                hour: 15,
                min: 4,
                sec: 5,
                wday: 0,
                yday: 0,
                gmt: false,
            }),
            false,
        );
        assert_eq!(
            strftime("%Y-%m-%d %I:%M %p %a %j %U %W", &t),
            "2028-02-29 03:04 PM Tue 060 09 09"
        );
    }
}
