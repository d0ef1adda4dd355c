//! `gallra evidence verify`: recompute every leaf and stored hash from the entries, rebuild the
//! root at every checkpoint's size, and check every signature. Memory stays O(log n).

use base64::Engine;
use entity::{evidence_checkpoints, evidence_entries};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use signed_note::{Note, VerifierList};
use tlog_tiles::checkpoint::Checkpoint;
use tlog_tiles::tlog::{self, Hash};

use super::stored::StoredHashes;
pub use super::verify_error::VerifyError;
use super::verify_error::{bad, joined, BATCH};
use super::{tree, Keys};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub entries: u64,
    pub checkpoints: usize,
    /// Events committed with their change but not yet in the tree (normally none; the next
    /// integration takes them). Not verified: they have no place in the tree yet.
    pub queued: u64,
}

/// The root of the tree whose perfect subtrees are `frontier` (largest first).
fn fold(frontier: &[(u8, Hash)]) -> Hash {
    let mut iter = frontier.iter().rev();
    let mut h = iter.next().map(|x| x.1).unwrap_or(tlog::EMPTY_HASH);
    for (_, left) in iter {
        h = tlog::node_hash(*left, h);
    }
    h
}

pub async fn verify(db: &DatabaseConnection, keys: &Keys) -> Result<Summary, VerifyError> {
    let size = tree::size(db).await?;
    let checkpoints = evidence_checkpoints::Entity::find()
        .order_by_asc(evidence_checkpoints::Column::Id)
        .all(db)
        .await?;
    // The signatures are checked on a thread of their own while the entries are walked (a job
    // run signs one checkpoint each, so a log can hold many); their errors are reported first,
    // as if they had been checked before the walk.
    let replaced: Vec<_> = super::replacements(db)
        .await?
        .into_iter()
        .filter(|r| r.key == "evidence-signing")
        .collect();
    let notes = {
        let (checkpoints, keys) = (checkpoints.clone(), keys.clone());
        tokio::task::spawn_blocking(move || check_notes(&checkpoints, &keys, &replaced, size))
    };
    let walked = walk(db, size, stored_roots(&checkpoints)?).await;
    notes.await.map_err(joined)??;
    walked?;
    Ok(Summary {
        entries: size,
        checkpoints: checkpoints.len(),
        queued: entity::evidence_queue::Entity::find().count(db).await?,
    })
}

/// Every checkpoint's note is signed by our key — or, for a tree from before a key replacement,
/// by the key it replaced — and matches its row, in increasing size, within the log.
fn check_notes(
    checkpoints: &[evidence_checkpoints::Model],
    keys: &Keys,
    replaced: &[super::Replacement],
    size: u64,
) -> Result<(), VerifyError> {
    // One verifier for all: building it decodes the public key's curve point.
    let verifier = keys
        .verifier()
        .map_err(|e| VerifyError::Bad(format!("verifier key: {e}")))?;
    let current = VerifierList::new(vec![Box::new(verifier)]);
    let earlier = earlier_verifiers(checkpoints, keys, &current, replaced)?;
    let mut last_size = 0;
    for c in checkpoints {
        let retired: Vec<&(i64, VerifierList)> = earlier
            .iter()
            .filter(|(at, _)| c.tree_size <= *at)
            .collect();
        let csize = check_note_under(c, keys, &current, &retired)?;
        if csize < last_size {
            return bad(format!(
                "checkpoint {}: size {csize} is smaller than the checkpoint before ({last_size})",
                c.id
            ));
        }
        if csize > size {
            return bad(format!(
                "checkpoint {}: size {csize} is beyond the log's {size} entries",
                c.id
            ));
        }
        last_size = csize;
    }
    Ok(())
}

/// The keys replacements retired, each with the index of its replacement: trusted only when a
/// checkpoint signed with the current key covers that entry (so the entry itself is signed).
fn earlier_verifiers(
    checkpoints: &[evidence_checkpoints::Model],
    keys: &Keys,
    current: &VerifierList,
    replaced: &[super::Replacement],
) -> Result<Vec<(i64, VerifierList)>, VerifyError> {
    if replaced.is_empty() {
        return Ok(Vec::new());
    }
    let signed_now = checkpoints
        .iter()
        .filter(|c| check_note(c, keys, current).is_ok())
        .map(|c| c.tree_size)
        .max()
        .unwrap_or(0);
    replaced
        .iter()
        .filter(|r| r.index < signed_now)
        .map(|r| {
            let v = signed_note::StandardVerifier::new(&r.old).map_err(|e| {
                VerifyError::Bad(format!(
                    "entry {}: the replaced verifier key is malformed ({e:?})",
                    r.index
                ))
            })?;
            Ok((r.index, VerifierList::new(vec![Box::new(v)])))
        })
        .collect()
}

/// The checkpoint's size, its note verified with the current key or one of `retired`.
fn check_note_under(
    c: &evidence_checkpoints::Model,
    keys: &Keys,
    current: &VerifierList,
    retired: &[&(i64, VerifierList)],
) -> Result<u64, VerifyError> {
    match check_note(c, keys, current) {
        Ok((size, _)) => Ok(size),
        Err(first) => retired
            .iter()
            .find_map(|(_, v)| check_note(c, keys, v).ok())
            .map(|(size, _)| size)
            .ok_or(first),
    }
}

/// The roots the checkpoints' rows hold (`check_note` ties each to its signed note), by size.
fn stored_roots(
    checkpoints: &[evidence_checkpoints::Model],
) -> Result<Vec<(u64, Hash, i32)>, VerifyError> {
    let mut roots = checkpoints
        .iter()
        .map(|c| {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(&c.root_hash)
                .ok();
            let root = bytes.and_then(|b| tree::to_hash(&b).ok()).ok_or_else(|| {
                VerifyError::Bad(format!("checkpoint {}: its stored root is malformed", c.id))
            })?;
            Ok((c.tree_size as u64, root, c.id))
        })
        .collect::<Result<Vec<_>, VerifyError>>()?;
    roots.sort_by_key(|x| x.0);
    Ok(roots)
}

/// Recompute every leaf and stored hash and the root at each checkpoint's size.
async fn walk(
    db: &DatabaseConnection,
    size: u64,
    roots: Vec<(u64, Hash, i32)>,
) -> Result<(), VerifyError> {
    let mut walk = Walk {
        roots,
        next_root: 0,
        frontier: Vec::new(),
        stored: StoredHashes::new(db.clone()),
        n: 0,
    };
    // The next batch is read and decoded by a task of its own, on another core, while this one
    // is hashed.
    let mut batch = fetch(db.clone(), 0).await?;
    while walk.n < size {
        let Some(last) = batch.last() else {
            return bad(format!(
                "entry {} is missing: the log holds {size} entries",
                walk.n
            ));
        };
        let next = tokio::spawn(fetch(db.clone(), last as u64 + 1));
        walk.batch(batch.rows()).await?;
        batch = next.await.map_err(joined)??;
    }
    Ok(())
}

/// A batch of entries: index and bytes only (decoding each row's time would cost more than
/// hashing it; the leaf hash is checked against the tree's own stored copy).
enum Entries {
    /// Contiguous entries from `lo`, their bytes joined by newlines: one row read instead of
    /// thousands. Canonical JSON holds no raw newline, so there is one line per entry.
    Joined { lo: i64, n: i64, text: String },
    /// Read row by row, where joining would not show each entry (a gap, a raw newline).
    Rows(Vec<(i64, String)>),
}

impl Entries {
    fn last(&self) -> Option<i64> {
        match self {
            Entries::Joined { lo, n, .. } => Some(lo + n - 1),
            Entries::Rows(rows) => rows.last().map(|r| r.0),
        }
    }

    fn rows(&self) -> Box<dyn Iterator<Item = (i64, &str)> + Send + '_> {
        match self {
            Entries::Joined { lo, text, .. } => Box::new(
                text.split('\n')
                    .enumerate()
                    .map(move |(i, body)| (lo + i as i64, body)),
            ),
            Entries::Rows(rows) => Box::new(rows.iter().map(|(i, b)| (*i, b.as_str()))),
        }
    }
}

/// Entries from `from`, up to `BATCH` of them.
async fn fetch(db: DatabaseConnection, from: u64) -> Result<Entries, VerifyError> {
    let b = db.get_database_backend();
    let (agg, p) = match b {
        sea_orm::DatabaseBackend::Postgres => ("string_agg(body, E'\\n' ORDER BY idx)", "$1"),
        _ => ("group_concat(body, char(10) ORDER BY idx)", "?"),
    };
    let sql = format!(
        "SELECT COUNT(*) AS n, COUNT(body) AS bodies, MIN(idx) AS lo, MAX(idx) AS hi, {agg} AS t FROM (SELECT idx, body FROM evidence_entries WHERE idx >= {p} ORDER BY idx LIMIT {BATCH}) s"
    );
    let row = db
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            b,
            sql,
            [(from as i64).into()],
        ))
        .await?;
    if let Some(row) = row {
        let n: i64 = row.try_get("", "n")?;
        // The aggregate skips a NULL body: then the lines could not be matched to the rows.
        let bodies: i64 = row.try_get("", "bodies")?;
        let lo: Option<i64> = row.try_get("", "lo")?;
        let hi: Option<i64> = row.try_get("", "hi")?;
        let text: Option<String> = row.try_get("", "t")?;
        match (lo, hi, text) {
            (None, _, _) => return Ok(Entries::Rows(Vec::new())),
            (Some(lo), Some(hi), Some(text))
                if hi - lo + 1 == n && bodies == n && text.split('\n').count() as i64 == n =>
            {
                return Ok(Entries::Joined { lo, n, text });
            }
            _ => {}
        }
    }
    Ok(Entries::Rows(
        evidence_entries::Entity::find()
            .select_only()
            .columns([
                evidence_entries::Column::Idx,
                evidence_entries::Column::Body,
            ])
            .filter(evidence_entries::Column::Idx.gte(from as i64))
            .order_by_asc(evidence_entries::Column::Idx)
            .limit(BATCH)
            .into_tuple()
            .all(&db)
            .await?,
    ))
}

/// The tree rebuilt leaf by leaf: its right edge, the stored hashes it must match, and the
/// checkpoints still to reach.
struct Walk {
    roots: Vec<(u64, Hash, i32)>,
    next_root: usize,
    frontier: Vec<(u8, Hash)>,
    stored: StoredHashes,
    n: u64,
}

impl Walk {
    async fn batch(&mut self, rows: impl Iterator<Item = (i64, &str)>) -> Result<(), VerifyError> {
        for (idx, body) in rows {
            let n = self.n;
            if idx as u64 != n {
                return bad(format!(
                    "entry {n} is missing: the next stored entry is {idx}"
                ));
            }
            let leaf = tlog::record_hash(body.as_bytes());
            self.stored
                .expect(tlog::stored_hash_index(0, n), leaf, n)
                .await?;
            let mut node = (0u8, leaf);
            while self.frontier.last().is_some_and(|top| top.0 == node.0) {
                let (level, left) = self.frontier.pop().unwrap_or(node);
                node = (level + 1, tlog::node_hash(left, node.1));
                self.stored
                    .expect(tlog::stored_hash_index(node.0, n >> node.0), node.1, n)
                    .await?;
            }
            self.frontier.push(node);
            self.n += 1;
            while let Some(&(csize, root, id)) =
                self.roots.get(self.next_root).filter(|r| r.0 == self.n)
            {
                if fold(&self.frontier) != root {
                    return bad(format!(
                        "checkpoint {id} (size {csize}): its root does not match the entries"
                    ));
                }
                self.next_root += 1;
            }
        }
        Ok(())
    }
}

/// A signed note by our key, whose body is a checkpoint of our origin matching its row.
fn check_note(
    c: &evidence_checkpoints::Model,
    keys: &Keys,
    verifiers: &VerifierList,
) -> Result<(u64, Hash), VerifyError> {
    let id = c.id;
    let note = Note::from_bytes(c.note.as_bytes())
        .map_err(|e| VerifyError::Bad(format!("checkpoint {id}: not a signed note ({e:?})")))?;
    note.verify(verifiers).map_err(|e| {
        VerifyError::Bad(format!(
            "checkpoint {id}: signature does not verify with the log's key ({e:?})"
        ))
    })?;
    let cp = Checkpoint::from_bytes(note.text())
        .map_err(|_| VerifyError::Bad(format!("checkpoint {id}: malformed checkpoint body")))?;
    if cp.origin() != keys.origin {
        return bad(format!(
            "checkpoint {id}: origin `{}` is not `{}`",
            cp.origin(),
            keys.origin
        ));
    }
    let row_root = base64::engine::general_purpose::STANDARD.encode(cp.hash().0);
    if cp.size() != c.tree_size as u64 || row_root != c.root_hash {
        return bad(format!(
            "checkpoint {id}: its signed body does not match its stored size or root"
        ));
    }
    Ok((cp.size(), *cp.hash()))
}
