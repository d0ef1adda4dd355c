//! The evidence ledger: an append-only RFC 6962 Merkle log of canonical JSON events, signed
//! C2SP checkpoints, inclusion and consistency proofs, and full offline verification.

mod append;
mod event;
mod frontier;
mod hint;
mod keys;
mod signing;
mod stored;
pub mod tree;
pub mod verify;

pub use append::{append, append_all};
pub use event::Event;
pub use keys::Keys;
pub use signing::{commit_and_sign, latest_checkpoint, sign_checkpoint};
pub use tree::{consistency_proof, entries, entry, inclusion_proof, size, Proof};
