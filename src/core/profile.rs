//! The machine the simulation pretends to be: how many cores, how often CPython switches
//! threads, and what each kind of work costs.
//!
//! The defaults were measured with CPython 3.11.7 on Linux (x86_64, 2 cores) by
//! `kitchen calibrate`: the median of five runs, rounded to two significant figures, on a
//! machine busy with other builds (CPU costs are CPU time, which that barely moves). Only
//! `cores` is a typical laptop's 4 rather than the 2 of the measuring machine, and
//! `os_timeslice_s` is not measured. A profile is user input (a URL parameter, a `--profile` file), so
//! it is checked: values outside a sane range are clamped, and each clamp is reported as a
//! [`Clamp`] instead of being silently applied or crashing the page.

use serde::{Deserialize, Serialize};

use super::clock::{from_secs, Nanos};

/// Costs and sizes of the simulated machine. Times are in seconds, memory in bytes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    /// CPU cores shared by every thread of every process.
    pub cores: u32,
    /// `sys.getswitchinterval()`: how long a thread waiting for the GIL lets the holder run
    /// before asking it to drop the GIL. CPython's default is 5 ms.
    pub switch_interval_s: f64,
    /// CPU time of one iteration of `sum(i * i for i in range(n))` in CPython.
    pub loop_iteration_s: f64,
    /// CPU time `Thread.start()` spends creating an OS thread (GIL held).
    pub thread_start_s: f64,
    /// CPU time the parent spends in `Process.start()` (a `fork` on Linux, GIL held).
    pub process_start_s: f64,
    /// CPU time `Process.start()` spends on each child still running: it first calls
    /// `multiprocessing.process._cleanup()`, which polls every child with `waitpid`, so
    /// starting the 1,000th process costs more than starting the first.
    pub child_poll_s: f64,
    /// CPU time a new process spends before it runs its target (bootstrap after `fork`).
    pub process_boot_s: f64,
    /// CPU time a process spends ending after its target returned: `multiprocessing`'s exit
    /// handlers and the kernel tearing down its copy of the parent's memory. `join()` returns
    /// only after it.
    pub process_exit_s: f64,
    /// CPU time of one asyncio step: creating a task, or resuming one from the ready queue.
    pub task_step_s: f64,
    /// CPU time of one interpreted Python operation (about one bytecode instruction).
    pub op_s: f64,
    /// CPU time of one turn of `for i in range(n): total += i * i` inside a function.
    pub for_iteration_s: f64,
    /// CPU time to pickle and unpickle a small argument or result (a few ints) that crosses a
    /// process boundary (`Pool.map`, `multiprocessing.Queue`, `ProcessPoolExecutor`).
    pub pickle_s: f64,
    /// Extra pickling time per byte of pickled data, for big arguments.
    pub pickle_byte_s: f64,
    /// Time a message takes through a pipe to another process (`os.write` to `os.read`,
    /// including the wake-up of the reader), not counting pickling.
    pub ipc_s: f64,
    /// How long the OS lets a thread run on a core while others wait for one.
    pub os_timeslice_s: f64,
    /// Resident memory of the Python interpreter before the program starts more chefs.
    pub base_memory_bytes: u64,
    /// Extra resident memory of one more thread (its stack pages and thread state).
    pub thread_memory_bytes: u64,
    /// Extra resident memory of one more process (pages a forked child owns alone).
    pub process_memory_bytes: u64,
    /// A what-if, not a measured machine: threads need no GIL, as in CPython's free-threaded
    /// build (PEP 703), with this profile's costs otherwise. Set only by `kitchen compare`'s
    /// model row; left out of the JSON when false, so profiles and traces read as before.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub free_threaded: bool,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            cores: 4,
            switch_interval_s: 0.005,
            loop_iteration_s: 40e-9,
            thread_start_s: 100e-6,
            process_start_s: 1.5e-3,
            child_poll_s: 3.8e-6,
            process_boot_s: 1.7e-3,
            process_exit_s: 0.7e-3,
            task_step_s: 3.3e-6,
            op_s: 3.4e-9,
            for_iteration_s: 43e-9,
            pickle_s: 0.4e-6,
            pickle_byte_s: 12e-9,
            ipc_s: 16e-6,
            os_timeslice_s: 0.004,
            base_memory_bytes: 13_800_000,
            thread_memory_bytes: 14_600,
            process_memory_bytes: 1_640_000,
            free_threaded: false,
        }
    }
}

/// One value of a profile that was out of range and was replaced, with the reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Clamp {
    pub field: &'static str,
    pub given: f64,
    pub used: f64,
}

impl std::fmt::Display for Clamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} = {} is out of range; using {}",
            self.field, self.given, self.used
        )
    }
}

/// The largest number of cores a profile may ask for; more only makes traces huge.
pub const MAX_CORES: u32 = 256;

impl Profile {
    /// This profile with every value brought into its sane range, and a note per change.
    pub fn clamped(mut self) -> (Profile, Vec<Clamp>) {
        let mut notes = Vec::new();
        let cores = self.cores.clamp(1, MAX_CORES);
        if cores != self.cores {
            notes.push(Clamp {
                field: "cores",
                given: self.cores as f64,
                used: cores as f64,
            });
            self.cores = cores;
        }
        let seconds: [(&'static str, &mut f64, f64, f64); 14] = [
            ("switch_interval_s", &mut self.switch_interval_s, 1e-6, 1.0),
            ("loop_iteration_s", &mut self.loop_iteration_s, 1e-10, 1e-3),
            ("thread_start_s", &mut self.thread_start_s, 0.0, 1.0),
            ("process_start_s", &mut self.process_start_s, 0.0, 10.0),
            ("child_poll_s", &mut self.child_poll_s, 0.0, 0.1),
            ("process_boot_s", &mut self.process_boot_s, 0.0, 10.0),
            ("process_exit_s", &mut self.process_exit_s, 0.0, 10.0),
            ("task_step_s", &mut self.task_step_s, 0.0, 1.0),
            ("os_timeslice_s", &mut self.os_timeslice_s, 1e-5, 1.0),
            ("op_s", &mut self.op_s, 1e-11, 1e-3),
            ("for_iteration_s", &mut self.for_iteration_s, 1e-10, 1e-3),
            ("pickle_s", &mut self.pickle_s, 0.0, 1.0),
            ("pickle_byte_s", &mut self.pickle_byte_s, 0.0, 1e-3),
            ("ipc_s", &mut self.ipc_s, 0.0, 1.0),
        ];
        for (field, value, lo, hi) in seconds {
            let used = if value.is_nan() {
                lo
            } else {
                value.clamp(lo, hi)
            };
            if used != *value {
                notes.push(Clamp {
                    field,
                    given: *value,
                    used,
                });
                *value = used;
            }
        }
        const GIB: u64 = 1 << 30;
        for (field, value) in [
            ("base_memory_bytes", &mut self.base_memory_bytes),
            ("thread_memory_bytes", &mut self.thread_memory_bytes),
            ("process_memory_bytes", &mut self.process_memory_bytes),
        ] {
            if *value > 64 * GIB {
                notes.push(Clamp {
                    field,
                    given: *value as f64,
                    used: (64 * GIB) as f64,
                });
                *value = 64 * GIB;
            }
        }
        (self, notes)
    }

    /// Reads a profile file (JSON, as `kitchen calibrate` writes it), which is untrusted input.
    ///
    /// Fields left out keep their defaults. What cannot be a profile is an error naming the
    /// problem: text that is not JSON, JSON that is not an object, an unknown field (a typo
    /// would otherwise be ignored), or a value of the wrong kind (a string of seconds, a
    /// fractional core count). Numbers that are merely out of range are not errors: they are
    /// clamped like [`Profile::clamped`] does and reported as [`Clamp`] notes. That includes
    /// negative core counts and memory sizes, numbers too big for their field, and `NaN`,
    /// `Infinity` and `-Infinity`, which Python's `json` writes although JSON has no such
    /// values, and `null` for seconds (how `serde_json` writes a NaN).
    pub fn from_json(text: &str) -> Result<(Profile, Vec<Clamp>), ProfileError> {
        use serde_json::Value;

        let value: Value = serde_json::from_str(&mark_non_finite(text))
            .map_err(|e| ProfileError::Json(e.to_string()))?;
        let Value::Object(given) = value else {
            return Err(ProfileError::NotAnObject(json_kind(&value)));
        };
        let defaults = match serde_json::to_value(Profile::default()) {
            Ok(Value::Object(defaults)) => defaults,
            _ => serde_json::Map::new(),
        };
        let mut fields = serde_json::Map::new();
        // Values replaced before deserializing: (field, value given, value substituted).
        let mut replaced: Vec<(String, f64, f64)> = Vec::new();
        for (field, value) in given {
            let Some(default) = defaults.get(&field) else {
                return Err(ProfileError::UnknownField(field));
            };
            let wrong = |expected| ProfileError::WrongType {
                field: field.clone(),
                expected,
                found: describe(&value),
            };
            let special = non_finite(&value);
            let value = if default.is_u64() {
                // A whole number: cores (u32) or a memory size (u64).
                const WHOLE: &str = "a whole number";
                let max = if field == "cores" {
                    u64::from(u32::MAX)
                } else {
                    u64::MAX
                };
                let given = match (&value, special) {
                    (Value::Number(n), _) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                        (Some(u), _, _) if u <= max => {
                            fields.insert(field, value);
                            continue;
                        }
                        (Some(u), _, _) => u as f64,
                        (None, Some(i), _) => i as f64,
                        (None, None, Some(f)) if f.fract() == 0.0 => f,
                        _ => return Err(wrong(WHOLE)),
                    },
                    (_, Some(f)) if !f.is_nan() => f,
                    _ => return Err(wrong(WHOLE)),
                };
                let used = if given < 0.0 {
                    0
                } else if given > max as f64 {
                    max
                } else {
                    given as u64
                };
                if used as f64 != given {
                    replaced.push((field.clone(), given, used as f64));
                }
                Value::from(used)
            } else {
                // Seconds. Non-finite values become the most extreme finite ones, which
                // `clamped` always brings into range (a NaN to the bottom, as it does).
                match (&value, special) {
                    (Value::Number(_), _) => value,
                    (Value::Null, _) | (_, Some(_)) => {
                        let given = special.unwrap_or(f64::NAN);
                        let used = if given == f64::INFINITY {
                            f64::MAX
                        } else {
                            -f64::MAX
                        };
                        replaced.push((field.clone(), given, used));
                        Value::from(used)
                    }
                    _ => return Err(wrong("a number of seconds")),
                }
            };
            fields.insert(field, value);
        }
        let profile: Profile = serde_json::from_value(Value::Object(fields))
            .map_err(|e| ProfileError::Invalid(e.to_string()))?;
        let (profile, mut notes) = profile.clamped();
        for (field, given, used) in replaced {
            if let Some(note) = notes.iter_mut().find(|n| n.field == field) {
                note.given = given;
            } else if let Some(name) = WHOLE_FIELDS.iter().find(|f| **f == field) {
                notes.push(Clamp {
                    field: name,
                    given,
                    used,
                });
            }
        }
        Ok((profile, notes))
    }

    /// Simulated CPU time of `iterations` turns of a Python loop.
    pub fn loop_cost(&self, iterations: u64) -> Nanos {
        from_secs(self.loop_iteration_s * iterations as f64)
    }

    pub fn switch_interval(&self) -> Nanos {
        from_secs(self.switch_interval_s)
    }
    pub fn thread_start(&self) -> Nanos {
        from_secs(self.thread_start_s)
    }
    pub fn process_start(&self) -> Nanos {
        from_secs(self.process_start_s)
    }
    /// CPU time of `Process.start()` while `live_children` earlier children still run.
    pub fn process_start_with(&self, live_children: usize) -> Nanos {
        from_secs(self.process_start_s + self.child_poll_s * live_children as f64)
    }
    pub fn process_boot(&self) -> Nanos {
        from_secs(self.process_boot_s)
    }
    pub fn process_exit(&self) -> Nanos {
        from_secs(self.process_exit_s)
    }
    pub fn task_step(&self) -> Nanos {
        from_secs(self.task_step_s)
    }
    pub fn os_timeslice(&self) -> Nanos {
        from_secs(self.os_timeslice_s)
    }
}

/// A profile whose values are all in range, made only by [`Profile::checked`]. It is what the
/// simulator and the interpreter take, so a profile is checked once, where it enters a run,
/// and both see the same machine: `kitchen run x.py --cores 0` simulates one core and the
/// program's `multiprocessing.cpu_count()` says 1, with the clamp noted in the trace.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedProfile(Profile);

impl CheckedProfile {
    /// The checked values, as a plain profile (for a trace's header).
    pub fn profile(&self) -> &Profile {
        &self.0
    }
}

impl std::ops::Deref for CheckedProfile {
    type Target = Profile;
    fn deref(&self) -> &Profile {
        &self.0
    }
}

impl Profile {
    /// This profile checked: every value brought into its range ([`Profile::clamped`]), with
    /// a note per change.
    pub fn checked(self) -> (CheckedProfile, Vec<Clamp>) {
        let (profile, clamps) = self.clamped();
        (CheckedProfile(profile), clamps)
    }
}

/// Why a profile file could not be read (see [`Profile::from_json`]). Values that are merely
/// out of range are not errors but [`Clamp`] notes.
#[derive(Clone, Debug, PartialEq)]
pub enum ProfileError {
    /// The text is not JSON; the message has the line and column.
    Json(String),
    /// JSON, but not an object of fields; holds what it is instead ("an array", ...).
    NotAnObject(&'static str),
    /// A field no profile has.
    UnknownField(String),
    /// A known field whose value is of the wrong kind.
    WrongType {
        field: String,
        expected: &'static str,
        found: String,
    },
    /// Anything else serde rejected (not expected once the fields are checked).
    Invalid(String),
}

impl std::fmt::Display for ProfileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProfileError::Json(e) => write!(f, "not a profile: not valid JSON ({e})"),
            ProfileError::NotAnObject(kind) => write!(
                f,
                "not a profile: a profile is a JSON object of fields, like {{\"cores\": 4}}, \
                 not {kind}"
            ),
            ProfileError::UnknownField(field) => {
                let known = match serde_json::to_value(Profile::default()) {
                    Ok(serde_json::Value::Object(m)) => m.keys().cloned().collect::<Vec<_>>(),
                    _ => Vec::new(),
                };
                write!(
                    f,
                    "unknown profile field `{field}`; the fields are {}",
                    known.join(", ")
                )
            }
            ProfileError::WrongType {
                field,
                expected,
                found,
            } => write!(f, "profile field `{field}` must be {expected}, not {found}"),
            ProfileError::Invalid(e) => write!(f, "not a profile: {e}"),
        }
    }
}

impl std::error::Error for ProfileError {}

/// The profile's whole-number fields, for the notes [`Profile::from_json`] writes itself (a
/// negative memory size has no out-of-range value of its type for `clamped` to see).
const WHOLE_FIELDS: [&str; 4] = [
    "cores",
    "base_memory_bytes",
    "thread_memory_bytes",
    "process_memory_bytes",
];

/// What a JSON value is, for messages.
fn json_kind(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(s) if s.starts_with(NON_FINITE_MARK) => "a non-finite number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A JSON value as a message shows it: scalars as written (long strings cut), containers by kind.
fn describe(value: &serde_json::Value) -> String {
    use serde_json::Value;
    if let Some(f) = non_finite(value) {
        return format!("{f}");
    }
    match value {
        Value::String(s) if s.chars().count() > 40 => {
            let cut: String = s.chars().take(40).collect();
            format!("the string {}...", Value::String(cut))
        }
        Value::String(_) => format!("the string {value}"),
        Value::Array(_) | Value::Object(_) => json_kind(value).to_string(),
        scalar => scalar.to_string(),
    }
}

/// Starts the strings that stand in for the non-finite numbers JSON lacks.
const NON_FINITE_MARK: &str = "\u{0}non-finite ";

/// `text` with each bare `NaN`, `Infinity` and `-Infinity` (as Python's `json` writes them)
/// replaced by a marked string, so that it parses and the value can be reported.
fn mark_non_finite(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("NaN") && !text.contains("Infinity") {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let (mut in_string, mut escaped) = (false, false);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if !in_string {
            if let Some(word) = ["NaN", "Infinity", "-Infinity"]
                .into_iter()
                .find(|w| rest.starts_with(w))
            {
                out.push_str(&format!("\"\\u0000non-finite {word}\""));
                rest = &rest[word.len()..];
                continue;
            }
            in_string = c == '"';
        } else if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '"' {
            in_string = false;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out.into()
}

/// The non-finite number a marked string stands for.
fn non_finite(value: &serde_json::Value) -> Option<f64> {
    match value.as_str()?.strip_prefix(NON_FINITE_MARK)? {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_profile_needs_no_clamp() {
        let (p, notes) = Profile::default().clamped();
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(p, Profile::default());
    }

    #[test]
    fn absurd_values_are_clamped_with_a_note() {
        let p = Profile {
            cores: 1_000_000,
            switch_interval_s: f64::NAN,
            thread_memory_bytes: u64::MAX,
            ..Profile::default()
        };
        let (p, notes) = p.clamped();
        assert_eq!(p.cores, MAX_CORES);
        assert_eq!(p.switch_interval_s, 1e-6);
        assert_eq!(p.thread_memory_bytes, 64 << 30);
        let fields: Vec<_> = notes.iter().map(|n| n.field).collect();
        assert_eq!(
            fields,
            ["cores", "switch_interval_s", "thread_memory_bytes"]
        );
        assert!(notes[0]
            .to_string()
            .contains("cores = 1000000 is out of range; using 256"));
    }

    #[test]
    fn whole_fields_are_the_integer_fields() {
        let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(Profile::default()) else {
            panic!("a profile serializes to an object");
        };
        let whole: Vec<&str> = fields
            .iter()
            .filter(|(_, v)| v.is_u64())
            .map(|(k, _)| k.as_str())
            .collect();
        let mut expected = WHOLE_FIELDS;
        expected.sort();
        assert_eq!(whole, expected, "serde_json's map is sorted");
    }

    #[test]
    fn non_finite_words_are_marked_outside_strings_only() {
        assert_eq!(mark_non_finite(r#"{"a": 1}"#), r#"{"a": 1}"#);
        assert_eq!(
            mark_non_finite(r#"{"NaN \" Infinity": -Infinity}"#),
            r#"{"NaN \" Infinity": "\u0000non-finite -Infinity"}"#
        );
    }

    #[test]
    fn zero_cores_becomes_one() {
        let (p, notes) = Profile {
            cores: 0,
            ..Profile::default()
        }
        .clamped();
        assert_eq!(p.cores, 1);
        assert_eq!(notes.len(), 1);
    }
}
