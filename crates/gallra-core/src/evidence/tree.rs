//! Reading the tree: stored hashes by Go tlog index, the root, and proofs in O(log n) reads.
//!
//! `tlog_tiles` asks for hashes through a synchronous `HashReader`, and which hashes it asks
//! for depends only on the sizes, not on the hash values. So each computation runs twice: once
//! to learn the indexes, then (after one async query) with the hashes.

use std::cell::RefCell;
use std::collections::HashMap;

use entity::{evidence_entries, evidence_hashes};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use serde::Serialize;
use tlog_tiles::tlog::{self, Hash, HashReader};

/// Records the indexes asked for and answers with zero hashes.
#[derive(Default)]
pub struct Wanted(RefCell<Vec<u64>>);

impl Wanted {
    pub fn indexes(self) -> Vec<u64> {
        let mut v = self.0.into_inner();
        v.sort_unstable();
        v.dedup();
        v
    }
}

impl HashReader for Wanted {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog::Error> {
        self.0.borrow_mut().extend_from_slice(indexes);
        Ok(vec![Hash([0; 32]); indexes.len()])
    }
}

/// Hashes already read (and, while appending, computed), by stored-hash index.
pub struct Known(pub HashMap<u64, Hash>);

impl HashReader for Known {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog::Error> {
        indexes
            .iter()
            .map(|i| {
                self.0
                    .get(i)
                    .copied()
                    .ok_or(tlog::Error::InvalidInput(format!(
                        "missing stored hash {i}"
                    )))
            })
            .collect()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TreeError {
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error("{0}")]
    Tlog(String),
    #[error("{0}")]
    Input(String),
    /// A proof between trees or of an entry the log does not hold (yet): no such proof, as
    /// a tlog-tiles server has no tile past its tree.
    #[error("{0}")]
    NoSuchProof(String),
}

impl From<tlog::Error> for TreeError {
    fn from(e: tlog::Error) -> Self {
        TreeError::Tlog(e.to_string())
    }
}

pub async fn read_hashes(
    db: &impl ConnectionTrait,
    indexes: &[u64],
) -> Result<HashMap<u64, Hash>, TreeError> {
    let ids: Vec<i64> = indexes.iter().map(|&i| i as i64).collect();
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        for row in evidence_hashes::Entity::find()
            .filter(evidence_hashes::Column::Idx.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            out.insert(row.idx as u64, to_hash(&row.hash)?);
        }
    }
    Ok(out)
}

pub fn to_hash(bytes: &[u8]) -> Result<Hash, TreeError> {
    let h: [u8; 32] = bytes
        .try_into()
        .map_err(|_| TreeError::Tlog(format!("a stored hash has {} bytes, not 32", bytes.len())))?;
    Ok(Hash(h))
}

/// Run a tlog computation against the store: learn its indexes, fetch them, compute.
pub async fn with_hashes<T>(
    db: &impl ConnectionTrait,
    f: impl Fn(&dyn HashReaderDyn) -> Result<T, tlog::Error>,
) -> Result<T, TreeError> {
    let wanted = Wanted::default();
    f(&wanted)?;
    let indexes = wanted.indexes();
    let known = Known(read_hashes(db, &indexes).await?);
    Ok(f(&known)?)
}

/// Object-safe view of `HashReader`, so one closure serves both passes.
pub trait HashReaderDyn {
    fn read(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog::Error>;
}

impl<R: HashReader> HashReaderDyn for R {
    fn read(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog::Error> {
        self.read_hashes(indexes)
    }
}

pub struct Dyn<'a>(pub &'a dyn HashReaderDyn);

impl HashReader for Dyn<'_> {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog::Error> {
        self.0.read(indexes)
    }
}

/// The number of entries in the log.
pub async fn size(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT size FROM evidence_head WHERE id = 1",
        ))
        .await?;
    Ok(row
        .map(|r| r.try_get::<i64>("", "size"))
        .transpose()?
        .unwrap_or(0) as u64)
}

pub async fn root(db: &impl ConnectionTrait, size: u64) -> Result<Hash, TreeError> {
    with_hashes(db, |r| tlog::tree_hash(size, &Dyn(r))).await
}

pub async fn entry(db: &impl ConnectionTrait, index: u64) -> Result<Option<String>, DbErr> {
    Ok(evidence_entries::Entity::find_by_id(index as i64)
        .one(db)
        .await?
        .map(|e| e.body))
}

/// Up to `limit` entries from index `from`, in order.
pub async fn entries(
    db: &impl ConnectionTrait,
    from: u64,
    limit: u64,
) -> Result<Vec<(u64, String)>, DbErr> {
    use sea_orm::{QueryOrder, QuerySelect};
    let rows = evidence_entries::Entity::find()
        .filter(evidence_entries::Column::Idx.gte(from as i64))
        .order_by_asc(evidence_entries::Column::Idx)
        .limit(limit)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|e| (e.idx as u64, e.body)).collect())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize)]
pub struct Proof {
    pub hashes: Vec<String>,
}

fn b64(h: &Hash) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(h.0)
}

/// RFC 6962 audit path for entry `index` in the tree of `size`, leaf upward; and the leaf hash.
pub async fn inclusion_proof(
    db: &impl ConnectionTrait,
    index: u64,
    size: u64,
) -> Result<(String, Proof), TreeError> {
    let current = self::size(db).await?;
    if index >= size || size > current {
        return Err(TreeError::NoSuchProof(format!(
            "no proof of entry {index} in a tree of size {size}: the log has {current} entries, and an entry is in trees larger than its index"
        )));
    }
    let path = with_hashes(db, |r| tlog::prove_record(size, index, &Dyn(r))).await?;
    let leaf = read_hashes(db, &[tlog::stored_hash_index(0, index)]).await?;
    let leaf = leaf
        .values()
        .next()
        .ok_or_else(|| TreeError::Tlog(format!("leaf {index} has no stored hash")))?;
    Ok((
        b64(leaf),
        Proof {
            hashes: path.iter().map(b64).collect(),
        },
    ))
}

/// RFC 6962 consistency proof between the trees of sizes `from` and `to`.
pub async fn consistency_proof(
    db: &impl ConnectionTrait,
    from: u64,
    to: u64,
) -> Result<Proof, TreeError> {
    let current = size(db).await?;
    if from == 0 {
        return Err(TreeError::Input("from must be at least 1".into()));
    }
    if from > to || to > current {
        return Err(TreeError::NoSuchProof(format!(
            "no consistency proof from size {from} to size {to}: the log has {current} entries, and a proof goes from a smaller tree to a larger"
        )));
    }
    let path = with_hashes(db, |r| tlog::prove_tree(to, from, &Dyn(r))).await?;
    Ok(Proof {
        hashes: path.iter().map(b64).collect(),
    })
}
