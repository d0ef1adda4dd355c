//! The files of a bundle by path, as read from its archive and verified.

use std::collections::BTreeMap;

/// Files of a bundle by path.
pub type Files = BTreeMap<String, Vec<u8>>;
