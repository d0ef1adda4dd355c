//! Reading the register: the list's filters, one record, its versions, and the instructions.
//! The list itself is served by `listing`.

use std::collections::HashMap;

use entity::{instructions, register_entries, register_versions};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};

use super::record::{service_from_body, ORGANISATION, SERVICE};
use super::service_view::{self, StoredService};
use super::views::{Enforcement, ServiceView};
use crate::policy::spec::Organisation;

/// Filters of `GET /api/v1/services`; each narrows the list, all must hold.
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[derive(Debug, Default, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ServiceFilter {
    /// Free text over ids, names, purposes and every other text of the record.
    pub q: Option<String>,
    /// A personal-data type id, e.g. `national-id-number`.
    pub data_type: Option<String>,
    /// A data-subject category id, e.g. `residents`.
    pub subject: Option<String>,
    /// `true`: only services holding (or possibly holding) Art. 9/10 data.
    pub special_category: Option<bool>,
    /// An organisation id acting as controller.
    pub controller: Option<String>,
    /// A sub-processor or system, by organisation id or name.
    pub sub_processor: Option<String>,
    /// A country personal data is transferred to (ISO 3166 code, e.g. `US`).
    pub transfer_country: Option<String>,
    /// Page size, 1–500 (default 50).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 500))]
    pub limit: Option<u64>,
    /// Rows to skip (default 0).
    #[cfg_attr(feature = "openapi", param(maximum = 9223372036854775807_u64))]
    pub offset: Option<u64>,
    /// The register as it stood at this instant (RFC 3339, or a date: the end of that day,
    /// UTC), each service with the evidence index of its version.
    #[cfg_attr(feature = "openapi", param(schema_with = crate::register::history::as_of_schema))]
    pub as_of: Option<String>,
}

async fn entry(
    db: &impl ConnectionTrait,
    kind: &str,
    key: &str,
) -> Result<Option<register_entries::Model>, sea_orm::DbErr> {
    register_entries::Entity::find()
        .filter(register_entries::Column::Kind.eq(kind))
        .filter(register_entries::Column::Key.eq(key))
        .one(db)
        .await
}

pub async fn organisations(db: &impl ConnectionTrait) -> anyhow::Result<Vec<Organisation>> {
    let rows = register_entries::Entity::find()
        .filter(register_entries::Column::Kind.eq(ORGANISATION))
        .all(db)
        .await?;
    let mut orgs = Vec::with_capacity(rows.len());
    for r in rows {
        orgs.push(super::record::from_body(&r.body)?);
    }
    Ok(orgs)
}

/// One service's record, retired or not; `None` when no such service was ever applied.
pub async fn get_service(
    db: &impl ConnectionTrait,
    id: &str,
) -> anyhow::Result<Option<ServiceView>> {
    let Some(e) = entry(db, SERVICE, id).await? else {
        return Ok(None);
    };
    let spec = service_from_body(&e.body)?;
    let orgs = organisations(db).await?;
    let evidence_index =
        super::history::evidence_index(db, SERVICE, id, e.id, e.current_version).await?;
    let stored = StoredService {
        spec: &spec,
        version: e.current_version,
        content_hash: &e.content_hash,
        evidence_index,
        updated_at: e.updated_at,
        retired: e.retired_at.is_some(),
    };
    Ok(Some(service_view::build(stored, &orgs)))
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize)]
pub struct VersionView {
    pub version: i32,
    pub content_hash: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub author: String,
    pub reason: String,
    pub source_file: Option<String>,
    pub source_hash: Option<String>,
    pub retired: bool,
    /// The evidence entry that recorded this version (none while its event is still queued).
    pub evidence_index: Option<i64>,
}

pub async fn service_versions(
    db: &impl ConnectionTrait,
    id: &str,
) -> Result<Option<Vec<VersionView>>, sea_orm::DbErr> {
    let Some(e) = entry(db, SERVICE, id).await? else {
        return Ok(None);
    };
    let versions = register_versions::Entity::find()
        .filter(register_versions::Column::EntryId.eq(e.id))
        .order_by_asc(register_versions::Column::Version)
        .all(db)
        .await?;
    let mut views = Vec::with_capacity(versions.len());
    for v in versions {
        // Versions written before the index was kept on their row find their entry in the log.
        let evidence_index = match v.evidence_index {
            Some(i) => Some(i),
            None => super::history::evidence_index(db, SERVICE, id, e.id, v.version).await?,
        };
        views.push(VersionView {
            version: v.version,
            content_hash: v.content_hash,
            created_at: v.created_at,
            author: v.author,
            reason: v.reason,
            source_file: v.source_file,
            source_hash: v.source_hash,
            retired: v.retired,
            evidence_index,
        });
    }
    Ok(Some(views))
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize)]
pub struct InstructionRow {
    pub service: String,
    pub id: String,
    pub source: String,
    pub text: String,
    pub enforcement: Enforcement,
}

/// Instructions of current services; `enforced = Some(false)` gives those no rule carries out.
pub async fn list_instructions(
    db: &impl ConnectionTrait,
    enforced: Option<bool>,
) -> Result<Vec<InstructionRow>, sea_orm::DbErr> {
    let services: HashMap<i32, String> = register_entries::Entity::find()
        .filter(register_entries::Column::Kind.eq(SERVICE))
        .filter(register_entries::Column::RetiredAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.key))
        .collect();
    let mut select = instructions::Entity::find().order_by_asc(instructions::Column::Id);
    select = match enforced {
        Some(true) => select.filter(instructions::Column::EnforcedBy.is_not_null()),
        Some(false) => select.filter(instructions::Column::EnforcedBy.is_null()),
        None => select,
    };
    let mut rows: Vec<InstructionRow> = select
        .all(db)
        .await?
        .into_iter()
        .filter_map(|i| {
            let service = services.get(&i.entry_id)?.clone();
            let manual = i
                .manual_owner
                .map(|owner| crate::policy::spec::Manual { owner, note: None });
            Some(InstructionRow {
                service,
                enforcement: Enforcement::from_parts(i.enforced_by.as_deref(), manual.as_ref()),
                id: i.instruction_id,
                source: i.source,
                text: i.text,
            })
        })
        .collect();
    rows.sort_by(|a, b| (&a.service, &a.id).cmp(&(&b.service, &b.id)));
    Ok(rows)
}

/// The stored body of version `version` of service `id`, pretty-printed JSON.
pub async fn service_version_body(
    db: &impl ConnectionTrait,
    id: &str,
    version: i32,
) -> anyhow::Result<Option<String>> {
    let Some(e) = entry(db, SERVICE, id).await? else {
        return Ok(None);
    };
    let v = register_versions::Entity::find()
        .filter(register_versions::Column::EntryId.eq(e.id))
        .filter(register_versions::Column::Version.eq(version))
        .one(db)
        .await?;
    Ok(match v {
        Some(v) => {
            let json: serde_json::Value = serde_json::from_str(&v.body)?;
            Some(serde_json::to_string_pretty(&json)?)
        }
        None => None,
    })
}
