//! One check for every text a person gives gallra — token names, reasons, justifications, held
//! keys, authors — the same at every edge (JSON API, web forms, command line), because the
//! domain function each edge calls runs it: bounded in characters (never bytes: a name of
//! emoji is as long as it looks), and free of control characters except the line breaks and
//! tabs of a field that may hold several lines.

use std::borrow::Cow;

/// What one kind of field accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The name a person sees in the error (the form's or the request's field).
    pub name: &'static str,
    pub max_chars: usize,
    /// Whether line breaks (and tabs) are part of the text.
    pub lines: bool,
}

/// A token's name: one line, as `gallra token list` prints it.
pub const TOKEN_NAME: Field = Field::line("name", 100);
/// Why a hold was placed, a run approved, a key replaced, a register changed.
pub const REASON: Field = Field::lines("reason", 2_000);
/// A reviewer's justification of a decision.
pub const JUSTIFICATION: Field = Field::lines("justification", 2_000);
/// One key a legal hold lists (a datasource's key value, as text).
pub const HOLD_KEY: Field = Field::line("keys", 256);
/// Who wrote a register version (`gallra apply --author`).
pub const AUTHOR: Field = Field::line("author", 200);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("{field} must not be blank")]
    Blank { field: &'static str },
    #[error("{field} must be at most {max} characters ({given} given)")]
    TooLong {
        field: &'static str,
        max: usize,
        given: usize,
    },
    #[error("{field} must not hold control or direction-override characters (U+{code:04X} at character {at})")]
    Control {
        field: &'static str,
        code: u32,
        at: usize,
    },
}

impl Field {
    pub const fn line(name: &'static str, max_chars: usize) -> Self {
        Field {
            name,
            max_chars,
            lines: false,
        }
    }

    pub const fn lines(name: &'static str, max_chars: usize) -> Self {
        Field {
            name,
            max_chars,
            lines: true,
        }
    }

    /// The text trimmed, its line breaks as `\n`; or why it is refused. Blank is refused.
    pub fn check(self, value: &str) -> Result<String, TextError> {
        let text = value.trim();
        if text.is_empty() {
            return Err(TextError::Blank { field: self.name });
        }
        self.check_chars(text)?;
        Ok(if self.lines {
            text.replace("\r\n", "\n").replace('\r', "\n")
        } else {
            text.to_owned()
        })
    }

    /// As `check`, but an absent or blank text is `None` rather than refused.
    pub fn check_optional(self, value: Option<&str>) -> Result<Option<String>, TextError> {
        match value.map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => self.check(v).map(Some),
        }
    }

    fn check_chars(self, text: &str) -> Result<(), TextError> {
        let mut given = 0;
        for c in text.chars() {
            given += 1;
            let allowed = match c {
                '\n' | '\t' | '\r' => self.lines,
                c => !refused(c),
            };
            if !allowed {
                return Err(TextError::Control {
                    field: self.name,
                    code: c as u32,
                    at: given,
                });
            }
        }
        if given > self.max_chars {
            return Err(TextError::TooLong {
                field: self.name,
                max: self.max_chars,
                given,
            });
        }
        Ok(())
    }
}

impl Field {
    /// The same rule as an ECMA-262 pattern, for the OpenAPI document: at least one character
    /// that is not white space, and none that [`Field::check`] refuses.
    pub fn pattern(self) -> String {
        // Tab, line feed and carriage return are outside the refused ranges; a one-line field
        // refuses them too.
        let ok = format!(
            r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069{}]",
            if self.lines { "" } else { r"\t\n\r" }
        );
        format!(r"^{ok}*\S{ok}*$")
    }
}

/// Control characters (C0, DEL, C1) and the bidirectional overrides and isolates, which make
/// text read otherwise than it is stored (a name shown reversed in a list or a CSV).
fn refused(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Text stored before this check (or from elsewhere) made safe to print on a terminal: each
/// refused character shown as its escape, the rest as it is.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(refused) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if refused(c) {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        let emoji = "😀".repeat(26);
        assert_eq!(TOKEN_NAME.check(&emoji).unwrap(), emoji);
        let long = "😀".repeat(101);
        assert_eq!(
            TOKEN_NAME.check(&long),
            Err(TextError::TooLong {
                field: "name",
                max: 100,
                given: 101
            })
        );
    }

    #[test]
    fn control_characters_are_refused_except_line_breaks_where_lines_are_allowed() {
        for bad in [
            "a\0b",
            "a\u{1b}[31mb",
            "a\u{7f}",
            "a\u{85}b",
            "a\u{202E}b",
            "a\nb",
        ] {
            assert!(
                matches!(TOKEN_NAME.check(bad), Err(TextError::Control { .. })),
                "{bad:?}"
            );
        }
        assert_eq!(
            REASON.check(" one\r\ntwo\tthree\rfour ").unwrap(),
            "one\ntwo\tthree\nfour"
        );
        assert!(matches!(
            REASON.check("a\0b"),
            Err(TextError::Control { at: 2, .. })
        ));
    }

    #[test]
    fn blank_is_refused_or_absent() {
        assert_eq!(
            REASON.check(" \n "),
            Err(TextError::Blank { field: "reason" })
        );
        assert_eq!(JUSTIFICATION.check_optional(Some("  ")), Ok(None));
        assert_eq!(JUSTIFICATION.check_optional(None), Ok(None));
        assert_eq!(
            JUSTIFICATION.check_optional(Some(" x ")),
            Ok(Some("x".into()))
        );
    }

    #[test]
    fn the_documented_pattern_is_the_check() {
        assert_eq!(
            TOKEN_NAME.pattern(),
            r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\t\n\r]*\S[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\t\n\r]*$"
        );
        assert!(!REASON.pattern().contains(r"\t\n\r]"));
    }

    #[test]
    fn printable_escapes_only_what_is_refused() {
        assert_eq!(printable("plain åäö"), "plain åäö");
        assert_eq!(printable("a\u{1b}b\0"), "a\\u{1b}b\\u{0}");
    }
}
