//! The `kitchen` binary, run as a user runs it.

use std::process::{Command, Output};

fn kitchen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kitchen"))
        .args(args)
        .output()
        .expect("kitchen runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn list_names_all_seven_scenarios() {
    let out = kitchen(&["list"]);
    assert!(out.status.success());
    let text = stdout(&out);
    for id in [
        "asyncio-blocking",
        "asyncio-to-thread",
        "threads",
        "processes",
        "thousand-asyncio",
        "thousand-threads",
        "thousand-processes",
    ] {
        assert!(
            text.lines()
                .any(|l| l.starts_with(id) && l.len() > id.len() + 10),
            "{id} missing or undescribed:\n{text}"
        );
    }
}

#[test]
fn simulate_prints_a_summary() {
    let out = kitchen(&["simulate", "asyncio-blocking"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("total time   32.400 s"), "{text}");
    assert!(text.contains("GIL wait") && text.contains("peak memory"));
    assert!(text.contains("30.000 s  order 1: pasta ready"));
}

#[test]
fn simulate_json_has_makespan_and_timed_prints() {
    let out = kitchen(&["simulate", "processes", "--cores", "2", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let makespan = json["makespan_s"].as_f64().expect("a number");
    assert!(makespan > 30.0 && makespan < 31.0, "{makespan}");
    assert_eq!(json["profile"]["cores"], 2);
    let prints = json["prints"].as_array().unwrap();
    assert_eq!(prints.len(), 9);
    assert!(prints
        .iter()
        .all(|p| p["t_s"].is_f64() && p["text"].is_string()));
}

#[test]
fn cores_out_of_range_are_clamped_with_a_note() {
    let out = kitchen(&["simulate", "threads", "--cores", "0"]);
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("cores = 0 is out of range; using 1"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unknown_scenario_is_a_clear_error() {
    let out = kitchen(&["simulate", "pizza"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("unknown scenario 'pizza'") && err.contains("asyncio-blocking"),
        "{err}"
    );
    assert!(stdout(&out).is_empty());
}

#[test]
fn bad_flags_are_a_clear_error() {
    for args in [
        &["simulate", "threads", "--cores", "many"][..],
        &["simulate", "threads", "--color"],
        &["cook"],
    ] {
        let out = kitchen(args);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(
            stderr(&out).contains("error:"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

/// Runs `args` with standard output read for `keep` bytes and then closed, as `| head` does.
fn with_closed_pipe(args: &[&str], keep: usize) -> (std::process::ExitStatus, String) {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_kitchen"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kitchen runs");
    let mut stdout = child.stdout.take().unwrap();
    let mut first = vec![0; keep];
    stdout.read_exact(&mut first).expect("some output");
    drop(stdout);
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (child.wait().unwrap(), err)
}

#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    // Each prints far more than a pipe holds, so it writes after the reader has gone.
    for args in [
        &["simulate", "thousand-threads", "--json"][..],
        &["export", "thousand-threads"],
        &["run", "tests/programs/subset_tour.py", "--json"],
    ] {
        let (status, err) = with_closed_pipe(args, 100);
        assert!(status.success(), "{args:?}: {status}\n{err}");
        assert!(
            !err.contains("panicked") && !err.contains("kitchen:"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn measure_cooks_any_scenario_or_file_for_real() {
    let out = kitchen(&[
        "measure",
        "asyncio-blocking",
        "--boil",
        "0.05",
        "--n",
        "100000",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(json["source"], "native");
    assert_eq!(json["prints"].as_array().unwrap().len(), 9);
    assert!(stderr(&out).contains("no GIL"));

    let out = kitchen(&[
        "measure", "threads", "--boil", "0.05", "--n", "100000", "--gil",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("(Native, "), "{}", stdout(&out));
    assert!(stdout(&out).contains("resident set per process"));

    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let file = dir.join("measure_me.py");
    std::fs::write(&file, "import time\ntime.sleep(0.02)\nprint('slept')\n").unwrap();
    let out = kitchen(&["measure", "--file", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("s  slept"), "{}", stdout(&out));

    let out = kitchen(&[
        "measure",
        "processes",
        "--python",
        "--boil",
        "0.05",
        "--n",
        "10000",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("(Cpython, "), "{}", stdout(&out));
    assert!(stderr(&out).contains("GIL cannot be observed"));
}

#[test]
fn measure_refuses_what_it_cannot_cook_with_a_message() {
    for (args, says) in [
        (&["measure", "pizza"][..], "unknown scenario 'pizza'"),
        (&["measure", "threads", "--boil=-1"], "--boil -1"),
        (&["measure", "threads", "--pots", "0"], "--pots 0"),
        (&["measure", "--file", "/no/such/file.py"], "cannot read"),
        (&["measure"], "error:"),
    ] {
        let out = kitchen(args);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
    }
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let file = dir.join("broken.py");
    std::fs::write(&file, "print('a')\nprint(undefined)\n").unwrap();
    let out = kitchen(&["measure", "--file", file.to_str().unwrap()]);
    let err = stderr(&out);
    assert!(
        err.contains("broken.py:2:") && err.contains("undefined"),
        "{err}"
    );
}

#[test]
fn export_writes_chrome_trace_json_from_a_scenario_a_program_or_a_trace() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let out_file = dir.join("threads.chrome.json");
    let out = kitchen(&[
        "export",
        "threads",
        "--format",
        "chrome",
        "--out",
        out_file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    assert!(doc["traceEvents"].as_array().unwrap().len() > 100);

    let measured = kitchen(&[
        "measure", "threads", "--boil", "0.02", "--n", "1000", "--json",
    ]);
    let trace_file = dir.join("measured.json");
    std::fs::write(&trace_file, &measured.stdout).unwrap();
    let out = kitchen(&["export", "--trace", trace_file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["otherData"]["source"], "native");

    let out = kitchen(&["export", "--file", "tests/fidelity/to_thread.py"]);
    assert!(out.status.success(), "{}", stderr(&out));

    let garbage = dir.join("garbage.json");
    std::fs::write(&garbage, "{\"format\": 1").unwrap();
    let out = kitchen(&["export", "--trace", garbage.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("not a kitchen trace"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn import_reads_a_viztracer_file_and_refuses_garbage() {
    let out = kitchen(&["import", "tests/data/viztracer_kitchen.json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("order 1 · boil") && text.contains("order 2 · chop"),
        "{text}"
    );
    assert!(stderr(&out).contains("GIL cannot be observed"));
    let out = kitchen(&["import", "tests/data/viztracer_kitchen.json", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(json["source"], "cpython");

    let out = kitchen(&["import", "tests/data/viztracer_kitchen.py"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not a JSON file"), "{}", stderr(&out));
}

#[test]
fn run_with_zero_cores_simulates_one_and_the_program_is_told_one() {
    let dir = std::env::temp_dir().join(format!("kitchen-cli-cores-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let file = dir.join("cores.py");
    std::fs::write(
        &file,
        "import multiprocessing\nprint(multiprocessing.cpu_count())\n",
    )
    .expect("the program is written");
    let out = kitchen(&[
        "run",
        file.to_str().expect("a UTF-8 path"),
        "--cores",
        "0",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let trace = kitchen::core::trace::Trace::from_json(&stdout(&out)).expect("a trace");
    assert_eq!(trace.prints[0].text, "1");
    assert_eq!(trace.profile.cores, 1);
    assert!(
        trace
            .notes
            .iter()
            .any(|n| n.contains("cores = 0 is out of range; using 1")),
        "{:?}",
        trace.notes
    );
    std::fs::remove_dir_all(&dir).ok();
}
