//! The SHA-256 of bytes in lowercase hex: content hashes of the register's versions, the
//! hashes of tokens and sessions, of holds' keys and approvals' reasons.

use sha2::{Digest, Sha256};

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}
