//! The evidence ledger: an append-only RFC 6962 Merkle log of canonical JSON events, signed
//! C2SP checkpoints, inclusion and consistency proofs, and full offline verification.

mod event;
mod frontier;
mod grow;
pub mod health;
mod keys;
mod queue;
mod replaced;
mod sequencer;
mod signing;
mod stored;
pub mod tile_path;
pub mod tiles;
pub mod tree;
pub mod verify;
mod verify_error;

pub use event::Event;
pub use keys::Keys;
pub use queue::{append, append_all, append_all_for, append_for, integrate, pending, Subject};
pub use replaced::{replacements, Replacement};
pub use sequencer::Sequencer;
pub use signing::{latest_checkpoint, sign_checkpoint, unsigned};
pub use tree::{consistency_proof, entries, entry, inclusion_proof, size, Proof};
