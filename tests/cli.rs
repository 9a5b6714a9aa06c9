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
