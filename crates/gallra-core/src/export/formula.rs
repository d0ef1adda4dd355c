//! CSV cells a spreadsheet would run as a formula, kept as text: the one escaping every CSV
//! gallra writes goes through (the register's, the bundle's tables), and the bundle verifier
//! applies to what it expects.

use std::borrow::Cow;

/// What starts a formula in Excel, LibreOffice and Google Sheets (OWASP, "CSV Injection"):
/// `=`, `+`, `-`, `@`, and a tab or carriage return before one of them.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `cell` with a leading `'` when a spreadsheet would read it as a formula; as it is otherwise.
///
/// A plain decimal number (`-3`, `+2.5`) is left alone: a spreadsheet reads it as that number
/// and nothing else can hide in it, and a reader summing a column wants a number, not text.
/// The numeric columns gallra writes itself (counts, versions, evidence indexes, attempts) are
/// never negative, so in practice this only spares free text that happens to be a number.
pub fn defuse(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(TRIGGERS) && !is_plain_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// An optional sign, digits, and optionally a `.` and more digits: nothing else.
fn is_plain_number(s: &str) -> bool {
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && digits(fraction)
}

#[cfg(test)]
mod tests {
    use super::defuse;

    #[test]
    fn formula_starts_get_an_apostrophe_and_nothing_else_changes() {
        for (cell, want) in [
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
            ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
            ("\t=1+1", "'\t=1+1"),
            ("\r=1+1", "'\r=1+1"),
            ("-1+1", "'-1+1"),
            ("-2e5", "'-2e5"),
            ("-", "'-"),
            ("-.5", "'-.5"),
            ("=1", "'=1"),
        ] {
            assert_eq!(defuse(cell), want, "{cell:?}");
        }
        for plain in [
            "",
            "Anna",
            "a=b",
            " =1",
            "'=already text",
            "2026-11-23T09:00:00Z",
            "12",
            "-3",
            "+2.5",
            "-0.25",
        ] {
            assert_eq!(defuse(plain), plain, "{plain:?}");
        }
    }
}
