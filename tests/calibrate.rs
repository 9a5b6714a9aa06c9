//! Reading profile files with `Profile::from_json`.

use kitchen::core::profile::{Profile, ProfileError, MAX_CORES};

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
