//! `kitchen calibrate`, run as a user runs it, and reading profile files with
//! `Profile::from_json`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;

use kitchen::core::profile::{Profile, ProfileError, MAX_CORES};

/// Held while writing an executable or starting a process: a process started while another
/// thread has a fresh script open for writing would keep it open, and running that script
/// would then fail with "Text file busy".
static SPAWN: Mutex<()> = Mutex::new(());

fn kitchen(args: &[&str]) -> Output {
    let child = {
        let _guard = SPAWN.lock().unwrap_or_else(|e| e.into_inner());
        Command::new(env!("CARGO_BIN_EXE_kitchen"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kitchen starts")
    };
    child.wait_with_output().expect("kitchen runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_file(&path);
    path
}

// --- the real calibration -----------------------------------------------------------------

#[test]
fn calibrate_measures_this_machine_into_a_profile_file() {
    let path = scratch("calibrated-profile.json");
    let started = std::time::Instant::now();
    let out = kitchen(&["calibrate", "--out", path.to_str().unwrap()]);
    let took = started.elapsed().as_secs_f64();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(took < 30.0, "calibrate took {took:.1} s");
    let said = stdout(&out);
    assert!(
        said.starts_with("wrote ") && said.contains("CPython 3.") && said.lines().count() == 1,
        "{said}"
    );
    assert!(!stderr(&out).contains("failed"), "{}", stderr(&out));

    let text = std::fs::read_to_string(&path).expect("the profile file was written");
    let (p, notes) = Profile::from_json(&text).expect("the file is a profile");
    assert!(notes.is_empty(), "{notes:?}");

    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as u32;
    assert!(
        p.cores >= 1 && p.cores >= cores.min(MAX_CORES),
        "{}",
        p.cores
    );
    assert_eq!(
        p.switch_interval_s, 0.005,
        "CPython's default switch interval"
    );
    let within = |name: &str, v: f64, lo: f64, hi: f64| {
        assert!(
            v > lo && v < hi,
            "{name} = {v:e} is not within ({lo:e}, {hi:e})"
        );
    };
    within("loop_iteration_s", p.loop_iteration_s, 1e-9, 1e-5);
    within("for_iteration_s", p.for_iteration_s, 1e-9, 1e-5);
    within("op_s", p.op_s, 1e-11, 1e-6);
    within("thread_start_s", p.thread_start_s, 1e-7, 0.1);
    within("process_start_s", p.process_start_s, 1e-6, 1.0);
    within("child_poll_s", p.child_poll_s, -1e-12, 1e-3);
    within("process_boot_s", p.process_boot_s, 1e-6, 1.0);
    // Measured, not the default: a process's end costs at least a few µs of CPU.
    within("process_exit_s", p.process_exit_s, 1e-6, 1.0);
    assert_ne!(p.process_exit_s, Profile::default().process_exit_s);
    within("task_step_s", p.task_step_s, 1e-8, 1e-3);
    within("pickle_s", p.pickle_s, 1e-8, 1e-3);
    within("pickle_byte_s", p.pickle_byte_s, -1e-15, 1e-6);
    within("ipc_s", p.ipc_s, 1e-7, 0.1);
    // An instruction is a fraction of a loop turn, which runs several.
    assert!(p.op_s < p.for_iteration_s, "{p:?}");
    let measured_something = p.loop_iteration_s != Profile::default().loop_iteration_s
        && p.op_s != Profile::default().op_s;
    assert!(measured_something, "{p:?}");
    if Path::new("/proc/self/status").exists() {
        assert!(p.base_memory_bytes > 1 << 20, "{}", p.base_memory_bytes);
        assert!(p.thread_memory_bytes > 0 && p.thread_memory_bytes < 1 << 20);
        assert!(p.process_memory_bytes > 4096 && p.process_memory_bytes < 1 << 30);
    }
}

#[test]
fn a_missing_python_is_a_clear_error() {
    let out = kitchen(&["calibrate", "--python", "/nonexistent"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("cannot run `/nonexistent`") && err.contains("--python PATH"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.stdout.is_empty());
}

// --- stand-ins for Python -------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn a_failing_script_is_a_clear_error() {
    // `false -c SCRIPT` exits with 1, as Python does on an exception.
    let out = kitchen(&["calibrate", "--python", "false"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("the calibration script failed under `false`"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[cfg(unix)]
#[test]
fn garbage_output_is_a_clear_error() {
    // `echo -c SCRIPT` prints the script instead of measurements.
    let out = kitchen(&["calibrate", "--python", "echo"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("output is unusable"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// A shell script standing in for Python, which ignores its arguments.
#[cfg(unix)]
fn fake_python(name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = scratch(name);
    let _guard = SPAWN.lock().unwrap_or_else(|e| e.into_inner());
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// The shell script body that prints `output`.
#[cfg(unix)]
fn printing(output: &str) -> String {
    format!("cat <<'EOF'\n{output}\nEOF")
}

#[cfg(unix)]
#[test]
fn the_profile_goes_to_stdout_with_defaults_for_what_was_not_measured() {
    let python = fake_python(
        "fake-python-good",
        &printing(
            r#"{"python": "CPython 3.99.0", "platform": "test", "measured": {"cores": 3, "op_s": 2e-9, "ipc_s": 1e-5}, "notes": ["fork is not available here"]}"#,
        ),
    );
    let out = kitchen(&["calibrate", "--python", python.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("note: fork is not available here"));
    let (p, notes) = Profile::from_json(&stdout(&out)).expect("stdout is a profile");
    assert!(notes.is_empty());
    assert_eq!(
        p,
        Profile {
            cores: 3,
            op_s: 2e-9,
            ipc_s: 1e-5,
            ..Profile::default()
        }
    );
    assert!(stdout(&out).contains("\n  \"cores\": 3,\n"), "pretty JSON");
}

#[cfg(unix)]
#[test]
fn out_of_range_measurements_are_clamped_with_a_note() {
    let python = fake_python(
        "fake-python-clamped",
        &printing(
            r#"{"python": "CPython 3.99.0", "measured": {"cores": 100000, "loop_iteration_s": 5}}"#,
        ),
    );
    let out = kitchen(&["calibrate", "--python", python.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("note: measured cores = 100000 is out of range; using 256")
            && err.contains("note: measured loop_iteration_s = 5"),
        "{err}"
    );
    let (p, _) = Profile::from_json(&stdout(&out)).unwrap();
    assert_eq!((p.cores, p.loop_iteration_s), (MAX_CORES, 1e-3));
}

#[cfg(unix)]
#[test]
fn an_unwritable_out_file_is_a_clear_error() {
    let python = fake_python(
        "fake-python-unwritable",
        &printing(r#"{"python": "CPython 3.99.0", "measured": {}}"#),
    );
    let out = kitchen(&[
        "calibrate",
        "--python",
        python.to_str().unwrap(),
        "--out",
        "/nonexistent/dir/profile.json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("cannot write /nonexistent/dir/profile.json"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn a_script_that_hangs_is_stopped() {
    use kitchen::calibrate::{run, CalibrateError};
    let python = fake_python("fake-python-hangs", "exec sleep 30");
    let started = std::time::Instant::now();
    let result = {
        let _guard = SPAWN.lock().unwrap_or_else(|e| e.into_inner());
        run(python.as_os_str(), std::time::Duration::from_millis(300))
    };
    assert!(
        matches!(result, Err(CalibrateError::TimedOut { .. })),
        "{result:?}"
    );
    assert!(started.elapsed().as_secs_f64() < 5.0);
    let message = result.unwrap_err().to_string();
    assert!(message.contains("did not finish in 0.3 s"), "{message}");
}

// --- Profile::from_json ---------------------------------------------------------------------

fn error(text: &str) -> String {
    match Profile::from_json(text) {
        Ok(p) => panic!("{text} was read as {p:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_default_profile_round_trips() {
    let text = serde_json::to_string_pretty(&Profile::default()).unwrap();
    assert_eq!(Profile::from_json(&text), Ok((Profile::default(), vec![])));
}

#[test]
fn a_partial_file_takes_defaults_for_the_rest() {
    let (p, notes) = Profile::from_json(r#"{"cores": 16, "switch_interval_s": 0.001}"#).unwrap();
    assert!(notes.is_empty());
    assert_eq!(
        p,
        Profile {
            cores: 16,
            switch_interval_s: 0.001,
            ..Profile::default()
        }
    );
    assert_eq!(Profile::from_json("{}"), Ok((Profile::default(), vec![])));
    // Whole numbers may be written as floats, seconds as integers.
    let (p, notes) = Profile::from_json(r#"{"cores": 8.0, "os_timeslice_s": 1}"#).unwrap();
    assert_eq!((p.cores, p.os_timeslice_s, notes.len()), (8, 1.0, 0));
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    for (text, says) in [
        ("", "not valid JSON (EOF while parsing"),
        (
            "cores = 4",
            "not valid JSON (expected value at line 1 column 1)",
        ),
        ("{\"cores\": 4", "not valid JSON"),
        (
            "{\"cores\": 4} trailing",
            "not valid JSON (trailing characters",
        ),
        (
            "[1, 2]",
            "a profile is a JSON object of fields, like {\"cores\": 4}, not an array",
        ),
        ("42", "not a number"),
        ("null", "not null"),
        ("\"NaN\"", "not a string"),
        (
            "{\"loop_iteration_s\": 1e999}",
            "not valid JSON (number out of range",
        ),
    ] {
        let e = error(text);
        assert!(e.contains(says), "{text:?}: {e}");
    }
    let deep = "[".repeat(100_000);
    assert!(error(&deep).contains("not valid JSON"));
}

#[test]
fn an_unknown_field_is_named() {
    let e = error(r#"{"cores": 4, "switch_intervall_s": 0.001}"#);
    assert!(
        e.contains("unknown profile field `switch_intervall_s`"),
        "{e}"
    );
    assert!(
        e.contains("switch_interval_s") && e.contains("process_memory_bytes"),
        "{e}"
    );
}

#[test]
fn a_value_of_the_wrong_kind_is_named() {
    for (text, says) in [
        (
            r#"{"cores": "4"}"#,
            "`cores` must be a whole number, not the string \"4\"",
        ),
        (
            r#"{"cores": 2.5}"#,
            "`cores` must be a whole number, not 2.5",
        ),
        (
            r#"{"cores": null}"#,
            "`cores` must be a whole number, not null",
        ),
        (
            r#"{"cores": NaN}"#,
            "`cores` must be a whole number, not NaN",
        ),
        (
            r#"{"thread_memory_bytes": [1]}"#,
            "must be a whole number, not an array",
        ),
        (
            r#"{"op_s": true}"#,
            "`op_s` must be a number of seconds, not true",
        ),
        (
            r#"{"op_s": {"ns": 4}}"#,
            "`op_s` must be a number of seconds, not an object",
        ),
        (
            r#"{"ipc_s": "Infinity"}"#,
            "`ipc_s` must be a number of seconds, not the string",
        ),
    ] {
        let e = error(text);
        assert!(e.contains(says), "{text}: {e}");
    }
    let long = format!(r#"{{"op_s": "{}"}}"#, "x".repeat(1000));
    assert!(error(&long).len() < 200, "{}", error(&long));
}

#[test]
fn negative_values_are_clamped_with_notes() {
    let (p, notes) = Profile::from_json(
        r#"{"cores": -3, "thread_start_s": -1e-6, "loop_iteration_s": 0, "thread_memory_bytes": -4096}"#,
    )
    .unwrap();
    assert_eq!(p.cores, 1);
    assert_eq!(p.thread_start_s, 0.0);
    assert_eq!(p.loop_iteration_s, 1e-10);
    assert_eq!(p.thread_memory_bytes, 0);
    let said: Vec<String> = notes.iter().map(|n| n.to_string()).collect();
    assert_eq!(
        said,
        [
            "cores = -3 is out of range; using 1",
            "loop_iteration_s = 0 is out of range; using 0.0000000001",
            "thread_start_s = -0.000001 is out of range; using 0",
            "thread_memory_bytes = -4096 is out of range; using 0",
        ]
    );
}

#[test]
fn non_finite_and_huge_values_are_clamped_with_notes() {
    // Python's json module writes NaN and Infinity; serde_json writes a NaN as null.
    let (p, notes) = Profile::from_json(
        r#"{"switch_interval_s": NaN, "ipc_s": Infinity, "task_step_s": -Infinity,
            "op_s": null, "pickle_s": 1e300, "cores": 1e12,
            "process_memory_bytes": 99999999999999999999999,
            "base_memory_bytes": Infinity}"#,
    )
    .unwrap();
    assert_eq!(p.switch_interval_s, 1e-6);
    assert_eq!(p.ipc_s, 1.0);
    assert_eq!(p.task_step_s, 0.0);
    assert_eq!(p.op_s, 1e-11);
    assert_eq!(p.pickle_s, 1.0);
    assert_eq!(p.cores, MAX_CORES);
    assert_eq!(p.process_memory_bytes, 64 << 30);
    assert_eq!(p.base_memory_bytes, 64 << 30);
    let given = |field: &str| {
        notes
            .iter()
            .find(|n| n.field == field)
            .unwrap_or_else(|| panic!("no note for {field}: {notes:?}"))
            .given
    };
    assert!(given("switch_interval_s").is_nan());
    assert_eq!(given("ipc_s"), f64::INFINITY);
    assert_eq!(given("task_step_s"), f64::NEG_INFINITY);
    assert!(given("op_s").is_nan());
    assert_eq!(given("pickle_s"), 1e300);
    assert_eq!(given("cores"), 1e12);
    assert_eq!(given("process_memory_bytes"), 1e23);
    assert_eq!(given("base_memory_bytes"), f64::INFINITY);
    assert_eq!(notes.len(), 8, "{notes:?}");
}

#[test]
fn non_finite_words_inside_strings_are_left_alone() {
    // "NaN" in a string is a string, and in a key it is an unknown field.
    assert!(error(r#"{"op_s": "NaN"}"#).contains("not the string \"NaN\""));
    assert!(error(r#"{"op_s": "a \" NaN"}"#).contains("not the string"));
    assert!(error(r#"{"NaN": 1}"#).contains("unknown profile field `NaN`"));
}

#[test]
fn profile_error_is_a_std_error() {
    let e: Box<dyn std::error::Error> = Box::new(Profile::from_json("[").unwrap_err());
    assert!(e.to_string().starts_with("not a profile"));
    assert!(matches!(
        Profile::from_json(r#"{"x": 1}"#),
        Err(ProfileError::UnknownField(f)) if f == "x"
    ));
}
