//! The log as C2SP `tlog-tiles` read from the store: hash tiles (level 0 from the entries' leaf
//! hashes, higher levels from the stored interior hashes) and entry bundles. Shared by the audit
//! bundle and the live tile routes.

use entity::evidence_entries;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use tlog_tiles::tlog;

use super::tile_path::{TileId, TileKind, HEIGHT};
use super::tree::{read_hashes, TreeError};

/// Contiguous entries from `start`: their canonical bytes and their leaf hashes end to end.
pub struct Leaves {
    pub start: u64,
    pub bodies: Vec<String>,
    pub hashes: Vec<u8>,
}

/// `count` entries from `start`, in one read; an error names the first one missing.
pub async fn read_leaves(
    db: &impl ConnectionTrait,
    start: u64,
    count: u64,
) -> Result<Leaves, TreeError> {
    let rows: Vec<(i64, String, Vec<u8>)> = evidence_entries::Entity::find()
        .select_only()
        .columns([
            evidence_entries::Column::Idx,
            evidence_entries::Column::Body,
            evidence_entries::Column::LeafHash,
        ])
        .filter(evidence_entries::Column::Idx.gte(start as i64))
        .filter(evidence_entries::Column::Idx.lt((start + count) as i64))
        .order_by_asc(evidence_entries::Column::Idx)
        .into_tuple()
        .all(db)
        .await?;
    let mut leaves = Leaves {
        start,
        bodies: Vec::with_capacity(rows.len()),
        hashes: Vec::with_capacity(rows.len() * 32),
    };
    for (k, (idx, body, hash)) in rows.into_iter().enumerate() {
        let expected = start + k as u64;
        if idx as u64 != expected || hash.len() != 32 {
            return Err(TreeError::Tlog(format!(
                "entry {expected} is missing or malformed"
            )));
        }
        leaves.bodies.push(body);
        leaves.hashes.extend_from_slice(&hash);
    }
    if (leaves.bodies.len() as u64) < count {
        let missing = start + leaves.bodies.len() as u64;
        return Err(TreeError::Tlog(format!("entry {missing} is missing")));
    }
    Ok(leaves)
}

/// An entry bundle: each entry as a big-endian uint16 length and its bytes.
pub fn entry_bundle<S: AsRef<str>>(bodies: &[S]) -> Result<Vec<u8>, TreeError> {
    let mut out = Vec::with_capacity(bodies.iter().map(|b| b.as_ref().len() + 2).sum());
    for b in bodies {
        let b = b.as_ref().as_bytes();
        let len = u16::try_from(b.len()).map_err(|_| {
            TreeError::Tlog(format!(
                "an entry of {} bytes does not fit a bundle",
                b.len()
            ))
        })?;
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(b);
    }
    Ok(out)
}

/// Whether the tile exists in the tree of `size` entries: its `width` nodes are all there.
pub fn in_tree(tile: TileId, size: u64) -> bool {
    let level = match tile.kind {
        TileKind::Hashes(l) => l,
        TileKind::Entries => 0,
    };
    let nodes = size
        .checked_shr(u32::from(HEIGHT) * u32::from(level))
        .unwrap_or(0);
    tile.start()
        .checked_add(u64::from(tile.width))
        .is_some_and(|end| end <= nodes)
}

/// The tile's bytes: `width` hashes of 32 bytes, or an entry bundle. The caller checks
/// `in_tree` first.
pub async fn read_tile(db: &impl ConnectionTrait, tile: TileId) -> Result<Vec<u8>, TreeError> {
    match tile.kind {
        TileKind::Entries => entry_bundle(
            &read_leaves(db, tile.start(), u64::from(tile.width))
                .await?
                .bodies,
        ),
        TileKind::Hashes(0) => Ok(read_leaves(db, tile.start(), u64::from(tile.width))
            .await?
            .hashes),
        TileKind::Hashes(l) => upper_tile(db, l, tile).await,
    }
}

/// A tile above level 0: the stored hashes at tree level `8 * level`.
async fn upper_tile(
    db: &impl ConnectionTrait,
    level: u8,
    tile: TileId,
) -> Result<Vec<u8>, TreeError> {
    let indexes: Vec<u64> = (0..u64::from(tile.width))
        .map(|k| tlog::stored_hash_index(HEIGHT * level, tile.start() + k))
        .collect();
    let found = read_hashes(db, &indexes).await?;
    let mut out = Vec::with_capacity(indexes.len() * 32);
    for i in indexes {
        let h = found
            .get(&i)
            .ok_or_else(|| TreeError::Tlog(format!("stored hash {i} is missing")))?;
        out.extend_from_slice(&h.0);
    }
    Ok(out)
}
