//! Indents compact JSON the way `serde_json::to_string_pretty` does (two spaces, `": "`,
//! `[]` and `{}` for empty containers), byte for byte.
//!
//! Why not `to_string_pretty` itself: serde generates the writing code of every serialized
//! type once per output format, so writing traces both compact (the engine's replies) and
//! pretty (`kitchen simulate --json`, the page's download) doubled it in the page's download.
//! Writing compact and indenting the text after costs one small function instead.

/// `compact` (JSON as `serde_json::to_string` writes it: no whitespace outside strings),
/// indented.
pub fn indent(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() + compact.len() / 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = compact.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                let close = if c == '{' { '}' } else { ']' };
                out.push(c);
                if chars.peek() == Some(&close) {
                    chars.next();
                    out.push(close);
                } else {
                    depth += 1;
                    new_line(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                new_line(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                new_line(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

fn new_line(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("  ");
    }
}

#[cfg(test)]
mod tests {
    use super::indent;

    #[test]
    fn indents_as_serde_json_does() {
        let value = serde_json::json!({
            "name": "a \"quoted\" {name}, [with] : marks\\",
            "empty": [], "none": {}, "nested": [[1, 2], {"k": [true, null]}],
            "float": 1.5e-7, "unicode": "é ✓",
        });
        let compact = serde_json::to_string(&value).unwrap();
        assert_eq!(
            indent(&compact),
            serde_json::to_string_pretty(&value).unwrap()
        );
    }
}
