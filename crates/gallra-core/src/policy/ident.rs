//! Ids of register objects and SQL identifiers: what is allowed, checked in one place.

/// Register ids: lower-case kebab-case, so they are safe in URLs, file names and env names.
pub fn check_id(id: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(format!("invalid id `{id}`: use lower-case letters, digits and `-` (at most 64), not starting with `-`"))
    }
}

/// SQL identifiers in rules: validated here and always quoted where used.
pub fn check_ident(name: &str) -> Result<(), String> {
    let mut bytes = name.bytes();
    let ok = name.len() <= 63
        && bytes
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(format!("invalid SQL identifier `{name}`: use letters, digits and `_` (at most 63), starting with a letter or `_`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(check_id("digitalt-mote").is_ok());
        assert!(check_id("Digitalt").is_err());
        assert!(check_id("-x").is_err());
        assert!(check_id("").is_err());
    }

    #[test]
    fn sql_identifiers() {
        assert!(check_ident("registered_at").is_ok());
        assert!(check_ident("x\"; DROP TABLE t; --").is_err());
        assert!(check_ident("1abc").is_err());
    }
}
