//! Stored tree hashes, read in index order by a task of their own and compared with the ones
//! `verify` recomputes from the entries.

use entity::evidence_hashes;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use tlog_tiles::tlog::{self, Hash};

use super::verify_error::{bad, joined, VerifyError, BATCH};

/// A stored hash, or `None` where the store holds something that is not 32 bytes.
type StoredHash = Option<[u8; 32]>;

/// Stored hashes by index, in index order.
type HashBatch = Vec<(i64, StoredHash)>;

fn stored(bytes: &[u8]) -> StoredHash {
    bytes.try_into().ok()
}

/// Stored hashes read in index order, in batches, compared with recomputed ones. The next
/// batch is read by a task of its own while this one is compared.
pub(super) struct StoredHashes {
    db: DatabaseConnection,
    buf: std::collections::VecDeque<(i64, StoredHash)>,
    next: Option<tokio::task::JoinHandle<Result<HashBatch, VerifyError>>>,
}

impl StoredHashes {
    pub(super) fn new(db: DatabaseConnection) -> Self {
        let next = Some(tokio::spawn(Self::fill(db.clone(), 0)));
        StoredHashes {
            db,
            buf: Default::default(),
            next,
        }
    }

    pub(super) async fn expect(
        &mut self,
        index: u64,
        hash: Hash,
        entry: u64,
    ) -> Result<(), VerifyError> {
        if self.buf.is_empty() {
            if let Some(next) = self.next.take() {
                let rows = next.await.map_err(joined)??;
                if let Some(&(last, _)) = rows.last() {
                    self.next = Some(tokio::spawn(Self::fill(self.db.clone(), last + 1)));
                }
                self.buf.extend(rows);
            }
        }
        match self.buf.pop_front() {
            Some((idx, h)) if idx as u64 == index && h == Some(hash.0) => Ok(()),
            Some((idx, _)) if idx as u64 == index && index == tlog::stored_hash_index(0, entry) => {
                bad(format!(
                    "entry {entry}: its bytes do not match its stored leaf hash"
                ))
            }
            Some((idx, _)) if idx as u64 == index => bad(format!(
                "entry {entry}: stored tree hash {index} does not match the entries"
            )),
            _ => bad(format!(
                "entry {entry}: stored tree hash {index} is missing"
            )),
        }
    }

    /// The next batch as one aggregated row (count, first and last index, every hash in hex):
    /// one row instead of thousands. A batch with a gap is read row by row, to name it.
    async fn fill(db: DatabaseConnection, from: i64) -> Result<HashBatch, VerifyError> {
        let b = db.get_database_backend();
        let (agg, p) = match b {
            // The hashes' bytes end to end. SQLite's group_concat keeps a blob's bytes but types
            // the result text: it is cast back.
            sea_orm::DatabaseBackend::Postgres => (
                "COALESCE(string_agg(hash, ''::bytea ORDER BY idx), ''::bytea)",
                "$1",
            ),
            _ => (
                "CAST(COALESCE(group_concat(hash, '' ORDER BY idx), '') AS BLOB)",
                "?",
            ),
        };
        let sql = format!(
            "SELECT COUNT(*) AS n, MIN(idx) AS lo, MAX(idx) AS hi, {agg} AS h FROM (SELECT idx, hash FROM evidence_hashes WHERE idx >= {p} ORDER BY idx LIMIT {}) s",
            BATCH * 2
        );
        let row = db
            .query_one_raw(sea_orm::Statement::from_sql_and_values(
                b,
                sql,
                [from.into()],
            ))
            .await?;
        let Some(row) = row else {
            return Ok(Vec::new());
        };
        let (n, lo, hi): (i64, Option<i64>, Option<i64>) = (
            row.try_get("", "n")?,
            row.try_get("", "lo")?,
            row.try_get("", "hi")?,
        );
        let (Some(lo), Some(hi)) = (lo, hi) else {
            return Ok(Vec::new());
        };
        match row.try_get::<Vec<u8>>("", "h")? {
            bytes if hi - lo + 1 == n && bytes.len() as i64 == n * 32 => Ok(bytes
                .chunks_exact(32)
                .enumerate()
                .map(|(i, h)| (lo + i as i64, stored(h)))
                .collect()),
            _ => {
                let rows = evidence_hashes::Entity::find()
                    .filter(evidence_hashes::Column::Idx.gte(from))
                    .order_by_asc(evidence_hashes::Column::Idx)
                    .limit(BATCH * 2)
                    .all(&db)
                    .await?;
                Ok(rows.into_iter().map(|r| (r.idx, stored(&r.hash))).collect())
            }
        }
    }
}
