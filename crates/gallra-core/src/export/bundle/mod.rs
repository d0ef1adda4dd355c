//! The audit bundle (docs/evidence-and-bundle.md): a zip of the register, its versions, the runs and reviews of a
//! period, and their evidence as a static C2SP tlog-tiles snapshot with a signed checkpoint —
//! written from the store, and verified offline from its bytes alone.

mod collect;
mod error;
mod files;
pub mod manifest;
mod plan;
pub mod read;
mod readme;
pub mod rows;
pub mod tiles_needed;
pub mod verify;
mod verify_rows;
mod verify_tiles;
mod write;
mod zip_layout;

pub use error::{BundleError, ExportError};
pub use files::Files;
pub use plan::{Period, Plan};
pub use read::{read_zip, read_zip_signed};
pub use verify::{verify, Verified};
pub use write::{parse_from, parse_to, plan, register_files, sign_manifest, write, Written};

/// Plan and write a bundle with the stand-in register files, in one call.
pub async fn export<W: std::io::Write + std::io::Seek>(
    db: &sea_orm::DatabaseConnection,
    keys: &crate::evidence::Keys,
    period: Period,
    now: chrono::DateTime<chrono::Utc>,
    out: W,
) -> Result<(W, Plan, Written), ExportError> {
    let plan = plan(db, keys, period, now).await?;
    let register = register_files(db, &plan).await?;
    let (out, written) = write(db, keys, &plan, register, out).await?;
    Ok((out, plan, written))
}

/// The bundle of the period given as text (`from`, `to`: a day or an RFC 3339 instant; empty or
/// absent, open), built in memory, and its file name: what the JSON API and the web interface
/// serve as a download.
pub async fn to_bytes(
    db: &sea_orm::DatabaseConnection,
    keys: &crate::evidence::Keys,
    from: Option<&str>,
    to: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<super::Download, ExportError> {
    let bound = |text: Option<&str>, parse: fn(&str) -> Result<_, String>| {
        text.map(str::trim)
            .filter(|t| !t.is_empty())
            .map(parse)
            .transpose()
            .map_err(ExportError::Input)
    };
    let period = Period {
        from: bound(from, parse_from)?,
        to: bound(to, parse_to)?,
    };
    let out = std::io::Cursor::new(Vec::new());
    let (out, plan, _) = export(db, keys, period, now, out).await?;
    Ok(super::Download {
        bytes: out.into_inner(),
        content_type: "application/zip",
        file_name: match plan.span {
            Some(s) => format!("gallra-audit-bundle-{}-{}.zip", s.first, s.last),
            None => format!("gallra-audit-bundle-empty-{}.zip", plan.tree_size),
        },
    })
}
