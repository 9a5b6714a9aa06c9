//! The page's URL parameters, e.g. `?scenario=threads&cores=2&speed=0.01&t=0.0123`, so that a blogger
//! can link or embed one exact view. They are untrusted input: every value is checked, and
//! anything unusable is replaced by the default with a note the page shows.
//!
//! `code` carries a whole Python program, percent-encoded as `URLSearchParams` writes it
//! (`encodeURIComponent` gives an equivalent value): `?code=print(%22hi%22)`. The page shows it
//! and runs it instead of the scenario; see [`crate::page::code_view::read_shared_code`] for the checks.

use crate::core::profile::{Profile, MAX_CORES};
use crate::page::code_view;
use crate::page::playback::{MAX_SPEED, MIN_SPEED};
use crate::scenarios;

/// What the URL asks for, after checking.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    pub scenario: &'static str,
    pub cores: u32,
    pub speed: f64,
    pub autoplay: bool,
    /// The moment to open at (seconds; clamped to the run once it is known).
    pub t: Option<f64>,
    /// Whether the timeline folds quiet stretches (and playback skips through them).
    pub fold: bool,
    /// A Python program to show and run instead of the scenario.
    pub code: Option<String>,
    /// One message per parameter that was not usable as given.
    pub notes: Vec<String>,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            scenario: scenarios::SCENARIOS[0].id,
            cores: Profile::default().cores,
            speed: 1.0,
            autoplay: false,
            t: None,
            fold: true,
            code: None,
            notes: Vec::new(),
        }
    }
}

/// Reads `?scenario=…&cores=…&speed=…&t=…&fold=0&autoplay=1&code=…` from a query string.
/// `speed` is a multiple of real time; `t` a moment in seconds.
pub fn parse(query: &str) -> Params {
    let mut p = Params::default();
    let Ok(search) = web_sys::UrlSearchParams::new_with_str(query) else {
        return p;
    };
    if let Some(id) = search.get("scenario") {
        match scenarios::find(&id) {
            Ok(s) => p.scenario = s.id,
            Err(e) => p.notes.push(e.to_string()),
        }
    }
    if let Some(cores) = search.get("cores") {
        match cores.trim().parse::<u64>() {
            Ok(c) if (1..=MAX_CORES as u64).contains(&c) => p.cores = c as u32,
            Ok(c) => {
                let used = c.clamp(1, MAX_CORES as u64) as u32;
                p.notes.push(format!(
                    "cores={c} is out of range (1 to {MAX_CORES}); using {used}"
                ));
                p.cores = used;
            }
            Err(_) => p.notes.push(format!(
                "cores={} is not a whole number; using {}",
                short(&cores),
                p.cores
            )),
        }
    }
    if let Some(speed) = search.get("speed") {
        match speed.trim().parse::<f64>() {
            Ok(s) if s.is_finite() && (MIN_SPEED..=MAX_SPEED).contains(&s) => p.speed = s,
            Ok(s) if s.is_finite() => {
                p.speed = s.clamp(MIN_SPEED, MAX_SPEED);
                p.notes.push(format!(
                    "speed={s} is out of range ({MIN_SPEED} to {MAX_SPEED}); using {}",
                    p.speed
                ));
            }
            _ => p
                .notes
                .push(format!("speed={} is not a number; using 1", short(&speed))),
        }
    }
    if let Some(t) = search.get("t") {
        match t.trim().parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => p.t = Some(v),
            _ => p.notes.push(format!(
                "t={} is not a time in seconds (a number from 0); starting at 0",
                short(&t)
            )),
        }
    }
    if let Some(fold) = search.get("fold") {
        match fold.as_str() {
            "1" | "true" => p.fold = true,
            "0" | "false" => p.fold = false,
            other => p
                .notes
                .push(format!("fold={} is not 0 or 1; folding", short(other))),
        }
    }
    p.autoplay = search
        .get("autoplay")
        .is_some_and(|v| v == "1" || v == "true");
    if let Some(code) = search.get("code") {
        let shared = code_view::read_shared_code(&code);
        p.code = shared.program;
        p.notes.extend(shared.note);
    }
    p
}

/// Sets (or, with `None`, removes) one parameter in the address bar without reloading, so the
/// address always links to what the page shows.
pub fn remember(key: &str, value: Option<&str>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let search = window.location().search().unwrap_or_default();
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return;
    };
    match value {
        Some(v) => params.set(key, v),
        None => params.delete(key),
    }
    let query = String::from(params.to_string());
    let address = if query.is_empty() {
        window.location().pathname().unwrap_or_default()
    } else {
        format!("?{query}")
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&address));
    }
}

/// The page's current address, for a "link to this" anchor.
pub fn current_address() -> Option<String> {
    web_sys::window().and_then(|w| w.location().href().ok())
}

/// At most 40 characters of a value, for messages (a URL can be very long).
fn short(value: &str) -> String {
    let cut: String = value.chars().take(40).collect();
    if cut.len() < value.len() {
        format!("{cut}…")
    } else {
        cut
    }
}
