//! Policy source files and the errors that point into them as `path:line:column: message`.

use std::fmt;
use std::ops::Range;

use sha2::{Digest, Sha256};

/// One policy file as read: its display path, text and SHA-256.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub name: String,
    pub text: String,
    pub sha256: String,
}

impl SourceFile {
    pub fn new(path: String, name: String, text: String) -> Self {
        let sha256 = hex::encode(Sha256::digest(text.as_bytes()));
        Self {
            path,
            name,
            text,
            sha256,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn locate(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..floor_char_boundary(&self.text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }

    pub fn error(&self, span: Range<usize>, message: impl Into<String>) -> PolicyError {
        let (line, column) = self.locate(span.start);
        PolicyError {
            path: self.path.clone(),
            line,
            column,
            message: message.into(),
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path, self.line, self.column, self.message
        )
    }
}

/// Every error found in a policy set; the set is valid only when this is empty.
#[derive(Debug, Clone, Default)]
pub struct PolicyErrors(pub Vec<PolicyError>);

impl fmt::Display for PolicyErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PolicyErrors {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_counts_lines_and_characters() {
        let f = SourceFile::new(
            "p.toml".into(),
            "p.toml".into(),
            "a = 1\nnamn = \"möte\" x\n".into(),
        );
        assert_eq!(f.locate(0), (1, 1));
        let x = f.text.find('x').unwrap();
        assert_eq!(f.locate(x), (2, 15));
    }
}
