//! Canonical JSON (sorted keys, compact, UTF-8) and its SHA-256: the content hash of a version.

use serde::Serialize;

/// Canonical bytes of a value. `serde_json::Value` keeps object keys sorted (no
/// `preserve_order`), so serializing through it yields one byte string per content.
pub fn to_canonical<T: Serialize>(value: &T) -> serde_json::Result<String> {
    let v = serde_json::to_value(value)?;
    serde_json::to_string(&v)
}

pub use crate::digest::sha256_hex;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_are_sorted_and_output_compact() {
        let a = to_canonical(&json!({"b": 1, "a": {"d": [1, 2], "c": "å"}})).unwrap();
        assert_eq!(a, r#"{"a":{"c":"å","d":[1,2]},"b":1}"#);
    }
}
