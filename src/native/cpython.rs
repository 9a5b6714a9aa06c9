//! `kitchen measure --python`: the program under the real `python3`, observed from inside.
//!
//! The observer script ([`OBSERVER`], `src/native/observe.py`) runs the program as
//! `__main__` and logs what can be seen without a profiler: printed lines, thread and process
//! lives, sleeps, starts and joins, resident memory. The log is read into a trace by
//! [`crate::trace_io::observed`], labelled `Source::Cpython`. The program is scaled as for the
//! other runs ([`super::Program`]); what it prints goes into the trace, not to the terminal.

use std::ffi::OsStr;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{cores, MeasureError, Program};
use crate::core::trace::Trace;
use crate::trace_io::observed;

/// The observer, run as `python3 -c OBSERVER LOG PROGRAM`.
pub const OBSERVER: &str = include_str!("observe.py");

/// Runs `program` under `python` (e.g. `python3`) and returns what was observed.
pub fn observe(
    program: &Program,
    python: &OsStr,
    time_limit_s: f64,
) -> Result<Trace, MeasureError> {
    if !(time_limit_s.is_finite() && time_limit_s > 0.0) {
        return Err(MeasureError::BadInput(format!(
            "a time limit of {time_limit_s} s"
        )));
    }
    let dir = scratch_dir()?;
    let result = observe_in(&dir, program, python, time_limit_s);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn scratch_dir() -> Result<std::path::PathBuf, MeasureError> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let dir = std::env::temp_dir().join(format!("kitchen-observe-{}-{stamp}", std::process::id()));
    std::fs::create_dir_all(&dir)
        .map_err(|e| MeasureError::Run(format!("cannot make {}: {e}", dir.display())))?;
    Ok(dir)
}

fn observe_in(
    dir: &std::path::Path,
    program: &Program,
    python: &OsStr,
    time_limit_s: f64,
) -> Result<Trace, MeasureError> {
    let file_name = std::path::Path::new(&program.file)
        .file_name()
        .map_or_else(|| "program.py".into(), |n| n.to_os_string());
    let script = dir.join(file_name);
    let log = dir.join("observed.jsonl");
    std::fs::write(&script, &program.source)
        .map_err(|e| MeasureError::Run(format!("cannot write {}: {e}", script.display())))?;
    let mut child = Command::new(python)
        .arg("-c")
        .arg(OBSERVER)
        .arg(&log)
        .arg(&script)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| MeasureError::Run(format!("cannot run {}: {e}", python.to_string_lossy())))?;
    let mut stderr = child.stderr.take();
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(s) = stderr.as_mut() {
            let _ = s.take(1 << 20).read_to_string(&mut text);
        }
        text
    });
    let status = wait_within(&mut child, Duration::from_secs_f64(time_limit_s))?;
    let errors = errors.join().unwrap_or_default();
    if !status.success() {
        let tail: Vec<&str> = errors.lines().rev().take(12).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(MeasureError::Run(format!(
            "{} failed under {} ({status}):\n{}",
            program.file,
            python.to_string_lossy(),
            tail.join("\n")
        )));
    }
    let text = crate::trace_io::read_file(&log).map_err(MeasureError::Run)?;
    let mut trace = observed::read(&text, &program.id, Some(&program.source))
        .map_err(|e| MeasureError::Run(format!("the observer's log: {e}")))?;
    trace.title = format!("{} (observed in CPython)", program.title);
    trace.profile.cores = cores();
    Ok(trace)
}

fn wait_within(
    child: &mut std::process::Child,
    limit: Duration,
) -> Result<std::process::ExitStatus, MeasureError> {
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) if start.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(MeasureError::Run(format!(
                    "stopped after {:.1} s of real time (the time limit)",
                    limit.as_secs_f64()
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(MeasureError::Run(format!("cannot wait for python: {e}"))),
        }
    }
}
