//! `kitchen calibrate`: measures this machine's CPython and makes a [`Profile`] of it.
//!
//! The measuring is done by a Python script, `src/calibrate.py`, embedded in the binary as
//! [`SCRIPT`] so an installed `kitchen` works anywhere: [`run`] passes it to the chosen Python
//! with `-c`, lets its progress through to stderr, and reads the one JSON object it prints
//! (see [`from_output`]). Fields the script could not measure keep their defaults; the result
//! goes through [`Profile::from_json`], so it is checked like any profile file. The script's
//! docstring says how each value is timed.
//!
//! Why each number matters to the simulation:
//! - `cores`: how many chefs can cook at once. Threads beyond it (and processes, which each
//!   have a GIL of their own) wait for a core.
//! - `switch_interval_s`: how long a thread waiting for the GIL lets the holder run before
//!   asking it to drop the GIL; it sets the rhythm of CPU-bound threads taking turns.
//! - `loop_iteration_s`: the CPU step of every scenario, `sum(i * i for i in range(n))`, is
//!   `n` of these; it is most of a scenario's CPU time.
//! - `for_iteration_s` and `op_s`: what a pasted Python program's loops and other bytecode
//!   instructions cost, when the Python layer runs it.
//! - `thread_start_s`: charged, GIL held, for every `Thread.start()`; a thousand threads pay it
//!   a thousand times.
//! - `process_start_s` and `child_poll_s`: the parent's cost of `Process.start()`, which grows
//!   with every child still running; this is why a thousand processes start slower and slower.
//! - `process_boot_s`: how long a new process works before its target runs, so before its
//!   first print.
//! - `process_exit_s`: how long a process works after its target returned, before `join()`
//!   sees it gone; a thousand processes pay it on every core.
//! - `task_step_s`: each asyncio task creation and resumption costs this much of the event
//!   loop's one thread; a thousand tasks show it.
//! - `pickle_s`, `pickle_byte_s` and `ipc_s`: what an argument or a result pays to cross into
//!   another process (`Pool.map`, queues, `ProcessPoolExecutor`): pickling, and the pipe.
//! - `base_memory_bytes`, `thread_memory_bytes` and `process_memory_bytes`: the memory chart;
//!   a thread adds kilobytes, a forked process more than a mebibyte.
//! - `os_timeslice_s` is not measured (the kernel does not say it cheaply); it keeps its
//!   default.

use std::ffi::OsStr;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::core::profile::{Clamp, Profile};

/// The measuring script, run by [`run`] as `python -c SCRIPT`.
pub const SCRIPT: &str = include_str!("calibrate.py");

/// How long [`run`] lets the script work before it gives up; it normally takes a few seconds.
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// What a calibration found.
#[derive(Clone, Debug, PartialEq)]
pub struct Calibration {
    /// The measured profile; fields the script could not measure have their defaults.
    pub profile: Profile,
    /// The Python measured, e.g. "CPython 3.11.7".
    pub python: String,
    /// The platform it ran on, as Python's `platform.platform()` says.
    pub platform: String,
    /// The script's notes: measurements that failed or were skipped, and details of method.
    pub notes: Vec<String>,
    /// Measured values the profile had to clamp into range (normally none).
    pub clamps: Vec<Clamp>,
}

impl Calibration {
    /// The profile as pretty JSON, as a profile file holds it.
    pub fn profile_json(&self) -> String {
        serde_json::to_string_pretty(&self.profile).unwrap_or_default()
    }

    /// One line saying what was measured, with the most telling numbers.
    pub fn summary(&self) -> String {
        let p = &self.profile;
        format!(
            "{} on {} cores: a loop turn {:.0} ns, an instruction {:.1} ns, a thread start {:.0} µs, \
             a process start {:.2} ms, a pipe message {:.0} µs",
            self.python,
            p.cores,
            p.loop_iteration_s * 1e9,
            p.op_s * 1e9,
            p.thread_start_s * 1e6,
            p.process_start_s * 1e3,
            p.ipc_s * 1e6,
        )
    }
}

/// Why a calibration failed.
#[derive(Clone, Debug, PartialEq)]
pub enum CalibrateError {
    /// The Python could not be started at all (not installed, not executable...).
    Start { python: String, error: String },
    /// The script ran but failed; its own message went to stderr.
    Failed { python: String, status: String },
    /// The script did not finish within the timeout and was killed.
    TimedOut { python: String, after: Duration },
    /// The script's output is not the JSON object expected.
    Output(String),
}

impl std::fmt::Display for CalibrateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CalibrateError::Start { python, error } => write!(
                f,
                "cannot run `{python}` ({error}); calibrate needs Python 3: install it, or \
                 name it with --python PATH"
            ),
            CalibrateError::Failed { python, status } => write!(
                f,
                "the calibration script failed under `{python}` ({status}); see its message \
                 above"
            ),
            CalibrateError::TimedOut { python, after } => write!(
                f,
                "the calibration script under `{python}` did not finish in {} s and was stopped",
                after.as_secs_f64()
            ),
            CalibrateError::Output(why) => {
                write!(f, "the calibration script's output is unusable: {why}")
            }
        }
    }
}

impl std::error::Error for CalibrateError {}

/// Runs [`SCRIPT`] with `python` (a command name looked up on `PATH`, or a path) and makes a
/// profile of what it prints. The script's progress goes to this process's stderr. A script
/// still running after `timeout` is killed.
pub fn run(python: &OsStr, timeout: Duration) -> Result<Calibration, CalibrateError> {
    let name = python.to_string_lossy().into_owned();
    let mut child = Command::new(python)
        .arg("-c")
        .arg(SCRIPT)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| CalibrateError::Start {
            python: name.clone(),
            error: e.to_string(),
        })?;
    // Read stdout on the side, so a chatty script cannot fill the pipe and stall.
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let read = match stdout.as_mut() {
            Some(out) => out.read_to_string(&mut text).map(|_| ()),
            None => Ok(()),
        };
        read.map(|()| text)
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(CalibrateError::TimedOut {
                    python: name,
                    after: timeout,
                });
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => {
                let _ = child.kill();
                return Err(CalibrateError::Start {
                    python: name,
                    error: e.to_string(),
                });
            }
        }
    };
    if !status.success() {
        return Err(CalibrateError::Failed {
            python: name,
            status: status.to_string(),
        });
    }
    let text = match reader.join() {
        Ok(Ok(text)) => text,
        Ok(Err(e)) => return Err(CalibrateError::Output(format!("cannot read it: {e}"))),
        Err(_) => return Err(CalibrateError::Output("cannot read it".into())),
    };
    from_output(&text)
}

/// What the script prints: one JSON object on its last line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScriptOutput {
    python: String,
    #[serde(default)]
    platform: String,
    measured: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    notes: Vec<String>,
}

/// Makes a calibration of the script's stdout: one JSON object,
/// `{"python": ..., "platform": ..., "measured": {profile fields}, "notes": [...]}`, on the
/// last non-empty line (anything printed before it, e.g. by a `sitecustomize`, is ignored).
pub fn from_output(stdout: &str) -> Result<Calibration, CalibrateError> {
    let Some(line) = stdout.lines().rev().find(|l| !l.trim().is_empty()) else {
        return Err(CalibrateError::Output("it printed nothing".into()));
    };
    let out: ScriptOutput = serde_json::from_str(line).map_err(|e| {
        let shown: String = line.chars().take(200).collect();
        CalibrateError::Output(format!("{e} in {shown:?}"))
    })?;
    let measured = serde_json::Value::Object(out.measured).to_string();
    let (profile, clamps) = Profile::from_json(&measured)
        .map_err(|e| CalibrateError::Output(format!("the measured values: {e}")))?;
    Ok(Calibration {
        profile,
        python: out.python,
        platform: out.platform,
        notes: out.notes,
        clamps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unmeasured_fields_keep_their_defaults() {
        let c = from_output(
            "hello from sitecustomize\n\
             {\"python\": \"CPython 3.12.1\", \"measured\": {\"cores\": 8, \"op_s\": 4e-9}}\n",
        )
        .unwrap();
        assert_eq!(c.python, "CPython 3.12.1");
        assert_eq!(
            c.profile,
            Profile {
                cores: 8,
                op_s: 4e-9,
                ..Profile::default()
            }
        );
        assert!(c.notes.is_empty() && c.clamps.is_empty());
    }

    #[test]
    fn out_of_range_measurements_are_clamped_and_reported() {
        let c = from_output(r#"{"python": "x", "measured": {"loop_iteration_s": -1}}"#).unwrap();
        assert_eq!(c.profile.loop_iteration_s, 1e-10);
        assert_eq!(c.clamps.len(), 1);
        assert_eq!(c.clamps[0].field, "loop_iteration_s");
    }

    #[test]
    fn unusable_output_is_an_error() {
        for (text, says) in [
            ("", "printed nothing"),
            ("  \n\n", "printed nothing"),
            ("Traceback (most recent call last):", "expected value"),
            (r#"{"measured": {}}"#, "missing field `python`"),
            (
                r#"{"python": "x", "measured": {"speed": 1}}"#,
                "unknown profile field `speed`",
            ),
            (
                r#"{"python": "x", "measured": {"cores": "two"}}"#,
                "must be a whole number",
            ),
        ] {
            let e = from_output(text).unwrap_err();
            assert!(matches!(e, CalibrateError::Output(_)), "{text}: {e:?}");
            assert!(e.to_string().contains(says), "{text}: {e}");
        }
    }

    #[test]
    fn a_missing_python_is_reported() {
        let e = run(OsStr::new("/nonexistent/python3"), TIMEOUT).unwrap_err();
        assert!(matches!(e, CalibrateError::Start { .. }), "{e:?}");
        assert!(e.to_string().contains("--python"), "{e}");
    }

    #[test]
    fn the_script_is_embedded() {
        assert!(SCRIPT.contains("def main():") && SCRIPT.contains("\"measured\""));
    }
}
