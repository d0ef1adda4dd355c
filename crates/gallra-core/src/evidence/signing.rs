//! Signing checkpoints: after each batch of appends and at least hourly while the log grew,
//! and only when consistent with the last one signed.

use base64::Engine;
use chrono::{DateTime, Utc};
use entity::evidence_checkpoints;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryOrder, TransactionTrait,
};
use signed_note::Note;
use tlog_tiles::checkpoint::Checkpoint;
use tlog_tiles::tlog;

use super::tree::{self, with_hashes, Dyn};
use super::Keys;

pub async fn latest_checkpoint(
    db: &impl ConnectionTrait,
) -> Result<Option<evidence_checkpoints::Model>, sea_orm::DbErr> {
    evidence_checkpoints::Entity::find()
        .order_by_desc(evidence_checkpoints::Column::Id)
        .one(db)
        .await
}

/// Put the queued events in the tree, then sign a checkpoint of it if it grew since the last
/// one; returns the note.
pub async fn sign_checkpoint(
    db: &DatabaseConnection,
    keys: &Keys,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<String>> {
    // Holding the head row's lock orders signers (and the tree's growth) across replicas:
    // checkpoints are stored in increasing size, each checked against the one before. The
    // queued events go into the tree first, so the checkpoint covers every committed event.
    let txn = crate::db::begin_write(db).await?;
    super::queue::integrate_locked(&txn).await?;
    // Signing in a savepoint: if it fails (an unreadable key, a refusal), the events still go
    // into the tree.
    let savepoint = txn.begin().await?;
    match sign_locked(&savepoint, keys, now).await {
        Ok(signed) => {
            savepoint.commit().await?;
            txn.commit().await?;
            Ok(signed)
        }
        Err(e) => {
            savepoint.rollback().await?;
            txn.commit().await?;
            Err(e)
        }
    }
}

async fn sign_locked(
    db: &impl ConnectionTrait,
    keys: &Keys,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<String>> {
    let size = tree::size(db).await?;
    let last = latest_checkpoint(db).await?;
    if size == 0 || last.as_ref().is_some_and(|c| c.tree_size as u64 >= size) {
        return Ok(None);
    }
    let root = tree::root(db, size).await?;
    if let Some(last) = &last {
        // Never sign a tree that does not extend the last signed one.
        let old =
            tree::to_hash(&base64::engine::general_purpose::STANDARD.decode(&last.root_hash)?)?;
        let from = last.tree_size as u64;
        let proof = with_hashes(db, |r| tlog::prove_tree(size, from, &Dyn(r))).await?;
        tlog::check_tree(&proof, size, root, from, old).map_err(|e| {
            anyhow::anyhow!(
                "refusing to sign: tree of {size} is not consistent with checkpoint {}: {e}",
                last.id
            )
        })?;
    }
    let body = Checkpoint::new(&keys.origin, size, root, "")
        .map_err(|_| anyhow::anyhow!("malformed checkpoint"))?
        .to_bytes();
    let mut note = Note::new(&body, &[]).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let signer = keys.signer()?;
    note.add_sigs(&[&signer])
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let text = String::from_utf8(note.to_bytes())?;
    evidence_checkpoints::ActiveModel {
        created_at: Set(now),
        tree_size: Set(size as i64),
        root_hash: Set(base64::engine::general_purpose::STANDARD.encode(root.0)),
        note: Set(text.clone()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Some(text))
}

/// Whether events are queued or in the tree without a checkpoint over them.
pub async fn unsigned(db: &impl ConnectionTrait) -> Result<bool, super::tree::TreeError> {
    if super::pending(db).await? > 0 {
        return Ok(true);
    }
    let signed = latest_checkpoint(db)
        .await?
        .map_or(0, |c| c.tree_size as u64);
    Ok(tree::size(db).await? > signed)
}
