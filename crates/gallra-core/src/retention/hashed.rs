//! The mark of an anonymized value, shared by the hashing UPDATE and the post-condition.

/// What a hashed value starts with; the post-condition and the next run skip such values.
pub const HASHED: &str = "hmac-sha256:";
