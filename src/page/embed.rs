//! Embedding the page in a post: the `<iframe>` snippet of the current view (`#copy-embed`),
//! and the message that tells the host page how tall the content is.
//!
//! The snippet opens exactly what the reader sees: the address's own parameters (scenario or
//! program, cores, fold, view), the cursor's moment and the speed, with `embed=1`, the compact
//! layout made for an 800×500 frame.
//!
//! ## The height message
//! An embedded page posts its content height to the parent window whenever it changes:
//!
//! ```text
//! window.parent.postMessage({ type: "concurrency-kitchen:height", height: 612 }, "*")
//! ```
//!
//! `height` is in CSS pixels, a whole number. The message carries nothing else and nothing
//! private, so it goes to any parent (`"*"`); a host that wants it checks `event.source` is its
//! iframe's window and sets the iframe's height (the README shows the lines).

use super::playback;
use super::waits::number;

/// The `type` of the height message.
pub const HEIGHT_MESSAGE: &str = "concurrency-kitchen:height";

/// The frame the snippet asks for, in CSS pixels: what the compact layout is made to fit.
pub const FRAME_W: u32 = 800;
pub const FRAME_H: u32 = 500;

/// Parameters the snippet sets itself, so the address's own values are dropped.
const OWN: &[&str] = &["embed", "present", "t", "speed", "autoplay"];

/// The query of the embedded view: `pairs` (the address's parameters, in order) without the
/// ones the snippet sets, then the moment `t_s` (left out at 0), the speed (left out at 1×) and
/// `embed=1`. Encoded as `URLSearchParams` writes it.
pub fn query(pairs: &[(String, String)], t_s: f64, speed: f64) -> String {
    let mut out: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| !OWN.contains(&k.as_str()))
        .cloned()
        .collect();
    if t_s.is_finite() && t_s > 0.0 {
        out.push(("t".into(), playback::t_param(t_s)));
    }
    if speed.is_finite() && speed > 0.0 && speed != 1.0 {
        out.push(("speed".into(), number(speed)));
    }
    out.push(("embed".into(), "1".into()));
    out.iter()
        .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The `<iframe>` for `page` (the address without its query) showing `query`.
pub fn snippet(page: &str, query: &str, title: &str) -> String {
    let src = format!("{page}?{query}");
    format!(
        "<iframe src=\"{}\" width=\"{FRAME_W}\" height=\"{FRAME_H}\" style=\"border:0;max-width:100%\" \
         title=\"{}\" loading=\"lazy\"></iframe>",
        attribute(&src),
        attribute(&format!("Concurrency Kitchen: {title}"))
    )
}

/// `application/x-www-form-urlencoded`, as `URLSearchParams` writes it: letters, digits and
/// `*-._` as they are, a space as `+`, every other byte of the UTF-8 as `%XX`.
pub fn form_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Text safe inside a double-quoted HTML attribute.
fn attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The height to post for content `px` tall: whole CSS pixels, rounded up; nothing for a
/// height that is not a positive number.
pub fn height_to_post(px: f64) -> Option<u32> {
    (px.is_finite() && px > 0.0).then(|| px.ceil().min(u32::MAX as f64) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_query_keeps_the_view_and_sets_moment_speed_and_embed() {
        let q = query(
            &pairs(&[
                ("scenario", "threads"),
                ("t", "3"),
                ("present", "1"),
                ("fold", "0"),
            ]),
            1.25,
            0.05,
        );
        assert_eq!(q, "scenario=threads&fold=0&t=1.25&speed=0.05&embed=1");
        assert_eq!(query(&[], 0.0, 1.0), "embed=1");
    }

    #[test]
    fn a_program_travels_encoded() {
        let q = query(&pairs(&[("code", "print(\"hi\") # é&x")]), 0.0, 1.0);
        assert_eq!(q, "code=print%28%22hi%22%29+%23+%C3%A9%26x&embed=1");
    }

    #[test]
    fn the_snippet_is_an_iframe_with_escaped_attributes() {
        let s = snippet(
            "https://example.org/kitchen/",
            "scenario=threads&embed=1",
            "A \"quoted\" <title>",
        );
        assert_eq!(
            s,
            "<iframe src=\"https://example.org/kitchen/?scenario=threads&amp;embed=1\" width=\"800\" \
             height=\"500\" style=\"border:0;max-width:100%\" title=\"Concurrency Kitchen: A &quot;quoted&quot; \
             &lt;title&gt;\" loading=\"lazy\"></iframe>"
        );
    }

    #[test]
    fn heights_are_whole_positive_pixels() {
        assert_eq!(height_to_post(499.2), Some(500));
        assert_eq!(height_to_post(0.0), None);
        assert_eq!(height_to_post(f64::NAN), None);
    }
}
