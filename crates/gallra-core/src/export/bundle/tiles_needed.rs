//! Which tiles a bundle holds: the entry bundles covering the entries it proves, and exactly the
//! hash tiles a tlog-tiles client (Go's `tlog.TileHashReader`) reads to prove each of them
//! against the checkpoint — at each level the tiles above those entries, and the partial tiles of
//! the tree's right edge, which authenticate the rest against the root. Pure.

use std::collections::BTreeSet;

use crate::evidence::tile_path::{TileId, HEIGHT, WIDTH};

/// The entry bundles holding the entries of these inclusive index ranges, in a tree of `size`.
pub fn entry_bundles(ranges: &[(u64, u64)], size: u64) -> Vec<TileId> {
    let mut out = BTreeSet::new();
    for &(lo, hi) in ranges {
        for n in lo / WIDTH..=hi.min(size.saturating_sub(1)) / WIDTH {
            if let Some(w) = width(size, n, WIDTH) {
                out.insert(TileId::entries(n, w as u32));
            }
        }
    }
    out.into_iter().collect()
}

/// The leaves each entry bundle holds, as inclusive ranges.
pub fn ranges_of(bundles: &[TileId]) -> Vec<(u64, u64)> {
    bundles
        .iter()
        .map(|b| (b.start(), b.start() + u64::from(b.width) - 1))
        .collect()
}

/// The hash tiles (height 8) that prove every leaf of `ranges` in the tree of `size`.
pub fn hash_tiles(ranges: &[(u64, u64)], size: u64) -> Vec<TileId> {
    tiles(HEIGHT, ranges, size)
        .into_iter()
        .map(|(l, n, w)| TileId::hashes(l, n, w))
        .collect()
}

/// The tiles of height `h` as (tile level, index, width).
fn tiles(h: u8, ranges: &[(u64, u64)], size: u64) -> BTreeSet<(u8, u64, u32)> {
    let full = 1u64 << h;
    let mut out = BTreeSet::new();
    let mut t = 0u8;
    while u32::from(h) * u32::from(t) < 64 && size >> (h * t) > 0 {
        let nodes = size >> (h * t);
        let shift = u32::from(h) * (u32::from(t) + 1);
        for &(lo, hi) in ranges {
            let (a, b) = (
                lo.checked_shr(shift).unwrap_or(0),
                hi.checked_shr(shift).unwrap_or(0),
            );
            for n in a..=b {
                if let Some(w) = width(nodes, n, full) {
                    out.insert((t, n, w as u32));
                }
            }
        }
        // The right edge's partial tile holds the roots the tree hash is folded from.
        if !nodes.is_multiple_of(full) {
            out.insert((t, nodes / full, (nodes % full) as u32));
        }
        t += 1;
    }
    out
}

/// The width of tile `n` over `nodes` nodes, if it has any.
fn width(nodes: u64, n: u64, full: u64) -> Option<u64> {
    let start = n.checked_mul(full)?;
    (nodes > start).then(|| (nodes - start).min(full))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::collections::HashMap;
    use tlog_tiles::tile::{Tile, TileHashReader, TileReader};
    use tlog_tiles::tlog::{self, Error, Hash, HashReader};

    struct Store(HashMap<u64, Hash>);
    impl HashReader for Store {
        fn read_hashes(&self, ix: &[u64]) -> Result<Vec<Hash>, Error> {
            Ok(ix.iter().map(|i| self.0[i]).collect())
        }
    }

    /// Serves tiles from a store of stored hashes and records which ones were asked for.
    struct Recorder<'a>(u8, &'a Store, RefCell<BTreeSet<(u8, u64, u32)>>);
    impl TileReader for Recorder<'_> {
        fn height(&self) -> u8 {
            self.0
        }
        fn read_tiles(&self, tiles: &[Tile]) -> Result<Vec<Vec<u8>>, Error> {
            let mut seen = self.2.borrow_mut();
            seen.extend(
                tiles
                    .iter()
                    .map(|t| (t.level(), t.level_index(), t.width())),
            );
            tiles.iter().map(|t| t.read_data(self.1)).collect()
        }
        fn save_tiles(&self, _: &[Tile], _: &[Vec<u8>]) {}
    }

    fn tree(size: u64) -> (Store, Hash) {
        let mut s = Store(HashMap::new());
        for n in 0..size {
            let stored = tlog::stored_hashes(n, &n.to_be_bytes(), &s).unwrap();
            for (j, h) in stored.into_iter().enumerate() {
                s.0.insert(tlog::stored_hash_index(0, n) + j as u64, h);
            }
        }
        let root = tlog::tree_hash(size, &s).unwrap();
        (s, root)
    }

    /// What Go's tile reader reads to read the leaves, prove each record and hash the tree.
    fn read_by_a_client(
        h: u8,
        store: &Store,
        root: Hash,
        size: u64,
        lo: u64,
        hi: u64,
    ) -> BTreeSet<(u8, u64, u32)> {
        let rec = Recorder(h, store, RefCell::new(BTreeSet::new()));
        let thr = TileHashReader::new(size, root, &rec);
        let leaves: Vec<u64> = (lo..=hi).map(|i| tlog::stored_hash_index(0, i)).collect();
        let got = thr.read_hashes(&leaves).unwrap();
        for (i, g) in (lo..=hi).zip(got) {
            assert_eq!(g, tlog::record_hash(&i.to_be_bytes()));
            let proof = tlog::prove_record(size, i, &thr).unwrap();
            tlog::check_record(&proof, size, root, i, g).unwrap();
        }
        assert_eq!(tlog::tree_hash(size, &thr).unwrap(), root);
        rec.2.into_inner()
    }

    #[test]
    fn exactly_the_tiles_a_client_reads_small_tiles_every_range() {
        for size in 1..=48u64 {
            let (store, root) = tree(size);
            for lo in 0..size {
                let mut his = vec![lo, (lo + 1).min(size - 1), (lo + size) / 2, size - 1];
                his.dedup();
                for hi in his {
                    assert_eq!(
                        tiles(2, &[(lo, hi)], size),
                        read_by_a_client(2, &store, root, size, lo, hi),
                        "size {size}, entries {lo}..={hi}"
                    );
                }
            }
        }
    }

    #[test]
    fn exactly_the_tiles_a_client_reads_height_8() {
        let (store, _) = tree(70_000);
        for (size, lo, hi) in [
            (1, 0, 0),
            (256, 0, 255),
            (257, 3, 256),
            (300, 256, 299),
            (65_536, 65_000, 65_535),
            (65_546, 65_536, 65_545),
            (70_000, 100, 300),
            (70_000, 65_530, 66_000),
        ] {
            let root = tlog::tree_hash(size, &store).unwrap();
            assert_eq!(
                tiles(8, &[(lo, hi)], size),
                read_by_a_client(8, &store, root, size, lo, hi),
                "size {size}, entries {lo}..={hi}"
            );
        }
    }

    #[test]
    fn a_period_costs_its_level_0_tiles_and_a_few_more() {
        // 1,000,000 entries of a tree of 1,000,000: 3,907 level-0 tiles, 62 above.
        let t = hash_tiles(&[(0, 999_999)], 1_000_000);
        let level0 = t
            .iter()
            .filter(|x| x.kind == crate::evidence::tile_path::TileKind::Hashes(0));
        assert_eq!(level0.count(), 3_907);
        assert!(t.len() < 3_907 + 20, "{}", t.len());
        // A single entry far from the edge: one tile per level on its path, plus the edge.
        let one = hash_tiles(&[(5, 5)], 1_000_000);
        assert!(one.len() <= 6, "{one:?}");
    }

    #[test]
    fn entry_bundles_cover_the_ranges_up_to_the_tree_size() {
        let b = entry_bundles(&[(10, 600), (300, 310)], 700);
        let paths: Vec<String> = b.iter().map(|t| t.path()).collect();
        assert_eq!(
            paths,
            [
                "tile/entries/000",
                "tile/entries/001",
                "tile/entries/002.p/188"
            ]
        );
        assert_eq!(ranges_of(&b), [(0, 255), (256, 511), (512, 699)]);
    }
}
