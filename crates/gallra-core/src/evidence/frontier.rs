//! The tree's right edge: the roots of its perfect subtrees, largest first. Kept in the head
//! row, it gives an append every earlier hash it needs without reading the tree.

use std::collections::HashMap;

use tlog_tiles::tlog::{self, Hash};

/// Decode a stored frontier for a tree of `size` leaves; `None` when absent or not matching.
pub fn decode(size: u64, bytes: Option<&[u8]>) -> Option<Vec<Hash>> {
    let bytes = bytes?;
    if bytes.len() as u32 != size.count_ones() * 32 {
        return None;
    }
    Some(
        bytes
            .chunks(32)
            .map(|c| Hash(c.try_into().unwrap_or([0; 32])))
            .collect(),
    )
}

pub fn encode(frontier: &[Hash]) -> Vec<u8> {
    frontier.iter().flat_map(|h| h.0).collect()
}

/// The frontier's hashes by stored-hash index: the subtree at level L is the last complete one
/// of that level, index (size >> L) − 1.
pub fn known(size: u64, frontier: &[Hash]) -> HashMap<u64, Hash> {
    let levels = (0..64u8).rev().filter(|l| size >> l & 1 == 1);
    levels
        .zip(frontier)
        .map(|(l, h)| (tlog::stored_hash_index(l, (size >> l) - 1), *h))
        .collect()
}

/// The frontier after appending leaves with these hashes to a tree of `size` leaves.
pub fn extend(size: u64, frontier: &[Hash], leaves: &[Hash]) -> Vec<Hash> {
    let mut levels: Vec<(u8, Hash)> = (0..64u8)
        .rev()
        .filter(|l| size >> l & 1 == 1)
        .zip(frontier.iter().copied())
        .collect();
    for leaf in leaves {
        let mut node = (0u8, *leaf);
        while levels.last().is_some_and(|top| top.0 == node.0) {
            let Some((level, left)) = levels.pop() else {
                break;
            };
            node = (level + 1, tlog::node_hash(left, node.1));
        }
        levels.push(node);
    }
    levels.into_iter().map(|(_, h)| h).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frontier_folds_to_the_tree_hash() {
        struct Map(HashMap<u64, Hash>);
        impl tlog::HashReader for Map {
            fn read_hashes(&self, ix: &[u64]) -> Result<Vec<Hash>, tlog::Error> {
                Ok(ix.iter().map(|i| self.0[i]).collect())
            }
        }
        let mut all = Map(HashMap::new());
        let mut frontier = Vec::new();
        for n in 0..37u64 {
            let leaf = tlog::record_hash(format!("entry {n}").as_bytes());
            // The frontier answers every read an append makes.
            let stored = tlog::stored_hashes(
                n,
                format!("entry {n}").as_bytes(),
                &Map(known(n, &frontier)),
            )
            .unwrap();
            for (j, h) in stored.iter().enumerate() {
                all.0.insert(tlog::stored_hash_index(0, n) + j as u64, *h);
            }
            frontier = extend(n, &frontier, &[leaf]);
            let mut root = *frontier.last().unwrap();
            for h in frontier.iter().rev().skip(1) {
                root = tlog::node_hash(*h, root);
            }
            assert_eq!(
                root,
                tlog::tree_hash(n + 1, &all).unwrap(),
                "size {}",
                n + 1
            );
            assert_eq!(
                decode(n + 1, Some(&encode(&frontier))),
                Some(frontier.clone())
            );
        }
    }
}
