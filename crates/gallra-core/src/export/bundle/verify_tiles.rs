//! The evidence of a bundle against its checkpoint: the hash tiles are exactly those needed,
//! the right edge's tiles hash to the root, every other tile to its place in its parent, and
//! every entry of every entry bundle to its leaf in a level-0 tile. O(entries + tiles).

use std::collections::BTreeMap;

use tlog_tiles::tile::Tile;
use tlog_tiles::tlog::{self, Hash};

use super::error::{bad, BundleError};
use super::manifest::Span;
use super::tiles_needed::{entry_bundles, hash_tiles, ranges_of};
use crate::evidence::tile_path::{TileId, TileKind, HEIGHT, WIDTH};
use crate::evidence::tiles::in_tree;

/// The bundle's entries by index, each proven in the tree of `size` with `root`.
pub fn verify_evidence(
    files: &BTreeMap<String, Vec<u8>>,
    size: u64,
    root: Hash,
    span: Option<Span>,
) -> Result<BTreeMap<u64, &[u8]>, BundleError> {
    let (bundles, hashes) = tiles_of(files)?;
    let period: Vec<(u64, u64)> = span.map(Span::range).into_iter().collect();
    for b in entry_bundles(&period, size) {
        if !bundles.contains_key(&b) {
            return bad(format!(
                "{} is missing: it holds entries of the period",
                b.path()
            ));
        }
    }
    for b in bundles.keys() {
        if !in_tree(*b, size) {
            return bad(format!(
                "{}: not in the checkpoint's tree of {size}",
                b.path()
            ));
        }
    }
    let ids: Vec<TileId> = bundles.keys().copied().collect();
    let needed = hash_tiles(&ranges_of(&ids), size);
    for t in &needed {
        match hashes.get(t) {
            None => {
                return bad(format!(
                    "{} is missing: it proves the bundle's entries",
                    t.path()
                ))
            }
            Some(d) if d.len() != t.width as usize * 32 => {
                return bad(format!(
                    "{}: {} bytes, not {}",
                    t.path(),
                    d.len(),
                    t.width * 32
                ))
            }
            Some(_) => {}
        }
    }
    if let Some(extra) = hashes.keys().find(|t| needed.binary_search(t).is_err()) {
        return bad(format!(
            "{}: not needed to prove the bundle's entries",
            extra.path()
        ));
    }
    authenticate(&hashes, size, root)?;
    entries(&bundles, &hashes)
}

type ByTile<'a> = BTreeMap<TileId, &'a [u8]>;

/// The entry bundles and hash tiles among the files; any other file under `tile/` is an error.
fn tiles_of(files: &BTreeMap<String, Vec<u8>>) -> Result<(ByTile<'_>, ByTile<'_>), BundleError> {
    let (mut bundles, mut hashes) = (ByTile::new(), ByTile::new());
    for (path, data) in files
        .range("tile/".to_owned()..)
        .take_while(|(p, _)| p.starts_with("tile/"))
    {
        let tile = TileId::parse(path)
            .ok_or_else(|| BundleError::Bad(format!("{path}: not a tile path")))?;
        let set = if tile.kind == TileKind::Entries {
            &mut bundles
        } else {
            &mut hashes
        };
        if set.insert(tile, data.as_slice()).is_some() {
            return bad(format!("{path}: a second copy of tile {}", tile.path()));
        }
    }
    Ok((bundles, hashes))
}

fn go_tile(t: TileId) -> Tile {
    let TileKind::Hashes(l) = t.kind else {
        unreachable!("hash tiles only")
    };
    Tile::new(HEIGHT, l, t.n, t.width, false)
}

fn ours(t: Tile) -> TileId {
    TileId::hashes(t.level(), t.level_index(), t.width())
}

/// The edge tiles against the root, then each other tile against its parent, top down, so the
/// first mismatch names the tile that was changed.
fn authenticate(hashes: &ByTile<'_>, size: u64, root: Hash) -> Result<(), BundleError> {
    let stx = tlog::sub_tree_index(0, size, vec![]);
    let mut edge = Vec::new();
    let mut folded: Option<Hash> = None;
    for &x in stx.iter().rev() {
        let Some(t) = Tile::from_index(HEIGHT, x).parent(0, size) else {
            return bad(format!("no tile holds stored hash {x}"));
        };
        let data = hashes.get(&ours(t)).copied().unwrap_or_default();
        let h = t
            .hash_at_index(data, x)
            .map_err(|e| BundleError::Bad(format!("{}: {e}", ours(t).path())))?;
        folded = Some(folded.map_or(h, |right| tlog::node_hash(h, right)));
        edge.push(ours(t));
    }
    if folded != Some(root) {
        edge.dedup();
        let names: Vec<String> = edge.iter().map(|t| t.path()).collect();
        return bad(format!(
            "the right edge's hash tiles ({}) do not hash to the checkpoint's root",
            names.join(", ")
        ));
    }
    let mut order: Vec<&TileId> = hashes.keys().filter(|t| !edge.contains(t)).collect();
    order.sort_by_key(|t| std::cmp::Reverse(t.kind));
    for t in order {
        let Some(parent) = go_tile(*t).parent(1, size) else {
            return bad(format!("{}: has no parent in the tree of {size}", t.path()));
        };
        let pdata = hashes.get(&ours(parent)).copied().unwrap_or_default();
        let TileKind::Hashes(l) = t.kind else {
            continue;
        };
        let want = parent
            .hash_at_index(pdata, tlog::stored_hash_index(HEIGHT * (l + 1), t.n))
            .map_err(|e| BundleError::Bad(format!("{}: {e}", ours(parent).path())))?;
        if !t.is_full() || Tile::subtree_hash(hashes[t]) != want {
            return bad(format!(
                "{} does not match its parent {}",
                t.path(),
                ours(parent).path()
            ));
        }
    }
    Ok(())
}

/// Every entry of every bundle, hashed, against its leaf in the level-0 tiles.
fn entries<'a>(
    bundles: &ByTile<'a>,
    hashes: &ByTile<'_>,
) -> Result<BTreeMap<u64, &'a [u8]>, BundleError> {
    let mut out = BTreeMap::new();
    for (b, data) in bundles {
        let leaves = hashes
            .get(&TileId::hashes(0, b.n, b.width))
            .ok_or_else(|| {
                BundleError::Bad(format!("{}: no level-0 tile holds its leaves", b.path()))
            })?;
        let split = split_bundle(data, b)?;
        for (k, entry) in split.into_iter().enumerate() {
            let i = b.start() + k as u64;
            if tlog::record_hash(entry).0 != leaves[k * 32..k * 32 + 32] {
                return bad(format!(
                    "entry {i} ({}) does not match its leaf hash in {}",
                    b.path(),
                    TileId::hashes(0, b.n, b.width).path()
                ));
            }
            out.insert(i, entry);
        }
    }
    Ok(out)
}

/// An entry bundle's entries: uint16 big-endian length, bytes; exactly `width` of them.
fn split_bundle<'a>(mut data: &'a [u8], b: &TileId) -> Result<Vec<&'a [u8]>, BundleError> {
    let mut out = Vec::with_capacity(WIDTH as usize);
    while !data.is_empty() {
        let i = b.start() + out.len() as u64;
        let Some((len, rest)) = data.split_first_chunk::<2>() else {
            return bad(format!("entry {i} ({}): truncated length", b.path()));
        };
        let len = u16::from_be_bytes(*len) as usize;
        if rest.len() < len {
            return bad(format!("entry {i} ({}): truncated", b.path()));
        }
        out.push(&rest[..len]);
        data = &rest[len..];
    }
    if out.len() != b.width as usize {
        return bad(format!(
            "{}: holds {} entries, not {}",
            b.path(),
            out.len(),
            b.width
        ));
    }
    Ok(out)
}
