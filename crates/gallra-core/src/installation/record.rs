//! The store's record of the installation's keys (one row): the installation key's fingerprint
//! and the evidence verifier key, written at first use and compared at every later open.

use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement, Value};

use super::error::KeyError;
use crate::evidence::Keys;
use crate::key_file::Found;
use crate::secrets::InstallationKey;

/// What the store holds for the installation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub key_fingerprint: String,
    /// `None` on a store first used before the verifier key was recorded.
    pub verifier_key: Option<String>,
}

const INSTALLATION: (&str, &str, &str) = (
    "installation key",
    "GALLRA_INSTALLATION_KEY",
    "installation",
);
const SIGNING: (&str, &str, &str) = ("evidence signing key", "GALLRA_EVIDENCE_KEY", "evidence");

pub(super) async fn check_or_record(
    db: &DatabaseConnection,
    signing: &Found<Keys>,
    hashing: &Found<InstallationKey>,
) -> Result<(), KeyError> {
    let fingerprint = hashing.key.fingerprint();
    let verifier = signing.key.verifier_key.clone();
    let recorded = match read(db).await? {
        Some(r) => r,
        None => {
            // Nothing recorded: only a key that nothing in the store can depend on may be new.
            if hashing.made && hashed_anything(db).await? {
                return Err(missing(
                    INSTALLATION,
                    &hashing.path,
                    "holds runs or closed reviews whose keyed hashes were made with one",
                ));
            }
            if signing.made && signed_anything(db).await? {
                return Err(missing(
                    SIGNING,
                    &signing.path,
                    "holds checkpoints signed with one",
                ));
            }
            // Two processes opening a new store at once: the first row written stands.
            exec(db, "INSERT INTO installation (id, key_fingerprint, verifier_key) VALUES ({1}, {2}, {3}) ON CONFLICT (id) DO NOTHING",
                [1.into(), fingerprint.clone().into(), verifier.clone().into()]).await?;
            read(db)
                .await?
                .ok_or_else(|| anyhow::anyhow!("the installation row is missing"))?
        }
    };
    if recorded.key_fingerprint != fingerprint {
        return Err(if hashing.made {
            missing(INSTALLATION, &hashing.path, "was first used with one")
        } else {
            different(
                INSTALLATION,
                &hashing.path,
                "keyed hashes made with it would not match those already made",
            )
        });
    }
    let recorded_verifier = match recorded.verifier_key {
        Some(v) => v,
        None => {
            // A store first used before verifier keys were recorded: the key that signed its
            // checkpoints is the one to record, and a new one cannot be.
            if signing.made && signed_anything(db).await? {
                return Err(missing(
                    SIGNING,
                    &signing.path,
                    "holds checkpoints signed with one",
                ));
            }
            exec(
                db,
                "UPDATE installation SET verifier_key = {1} WHERE id = 1 AND verifier_key IS NULL",
                [verifier.clone().into()],
            )
            .await?;
            read(db)
                .await?
                .and_then(|r| r.verifier_key)
                .unwrap_or_default()
        }
    };
    if recorded_verifier != verifier {
        return Err(if signing.made {
            missing(SIGNING, &signing.path, "was first used with one")
        } else {
            different(
                SIGNING,
                &signing.path,
                "its checkpoints would not verify with the published verifier key",
            )
        });
    }
    Ok(())
}

fn missing(
    (what, var, flag): (&'static str, &'static str, &'static str),
    path: &std::path::Path,
    why: &'static str,
) -> KeyError {
    KeyError::Missing {
        what,
        var,
        flag,
        path: path.display().to_string(),
        why,
    }
}

fn different(
    (what, var, _): (&'static str, &'static str, &'static str),
    path: &std::path::Path,
    consequence: &'static str,
) -> KeyError {
    KeyError::Different {
        what,
        var,
        path: path.display().to_string(),
        consequence,
    }
}

/// The installation row, if any.
pub async fn read(db: &impl ConnectionTrait) -> Result<Option<Recorded>, sea_orm::DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT key_fingerprint, verifier_key FROM installation WHERE id = 1",
        ))
        .await?;
    row.map(|r| {
        Ok(Recorded {
            key_fingerprint: r.try_get("", "key_fingerprint")?,
            verifier_key: r.try_get("", "verifier_key")?,
        })
    })
    .transpose()
}

/// Whether any run or closed review exists: their keyed hashes (anonymized values, decision
/// commitments) were made with the installation key.
async fn hashed_anything(db: &impl ConnectionTrait) -> Result<bool, sea_orm::DbErr> {
    any(db, "SELECT 1 AS x FROM retention_runs UNION ALL SELECT 1 AS x FROM review_campaigns WHERE status <> 'open'").await
}

/// Whether any checkpoint was signed.
async fn signed_anything(db: &impl ConnectionTrait) -> Result<bool, sea_orm::DbErr> {
    any(db, "SELECT 1 AS x FROM evidence_checkpoints").await
}

async fn any(db: &impl ConnectionTrait, select: &str) -> Result<bool, sea_orm::DbErr> {
    let sql = format!("SELECT COUNT(*) AS n FROM ({select} LIMIT 1) s");
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    Ok(row
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0)
        > 0)
}

/// Run `sql`, its `{n}` placeholders made the backend's.
pub(super) async fn exec(
    db: &impl ConnectionTrait,
    sql: &str,
    values: impl IntoIterator<Item = Value>,
) -> Result<u64, sea_orm::DbErr> {
    let backend = db.get_database_backend();
    let mut sql = sql.to_owned();
    for n in 1..=4 {
        let p = match backend {
            DatabaseBackend::Postgres => format!("${n}"),
            _ => "?".to_owned(),
        };
        sql = sql.replace(&format!("{{{n}}}"), &p);
    }
    Ok(db
        .execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?
        .rows_affected())
}
