//! A document's words written into a draft's TOML: as a basic string that stays one line and
//! means exactly those words, or as comment text that cannot end its comment. Every phrase,
//! file name and label a draft carries goes through one of the two.

/// A TOML basic string on one line: `"`, `\` and every control character escaped, so the value
/// reads back as `s` and a line break in `s` never starts a line of TOML.
pub fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c.is_control() || is_break(c) => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text to follow a `#`: each line break of `s` continues the comment on a new line that starts
/// with `# `, and every other control character (TOML allows none in a comment) becomes a space.
pub fn comment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            continue;
        }
        if c == '\n' || c == '\r' || is_break(c) {
            out.push_str("\n# ");
        } else if c.is_control() {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// Characters an editor shows as a line break though TOML does not count them as one.
fn is_break(c: char) -> bool {
    matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_comments_hold_their_breaks() {
        assert_eq!(q("a\"b\\c\nd\u{1}"), r#""a\"b\\c\nd\u0001""#);
        assert_eq!(comment("a\r\n[[x]]\u{7}"), "a\n# [[x]] ");
    }
}
