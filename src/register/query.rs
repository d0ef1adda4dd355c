//! Reading the register: the filtered list, one record, its versions, and the instructions.

use std::collections::HashMap;

use entity::{instructions, register_entries, register_versions, service_terms};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    Select,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::record::{service_from_body, ORGANISATION, SERVICE};
use super::service_view::{self, StoredService};
use super::views::{Enforcement, ServicePage, ServiceSummary, ServiceView};
use crate::policy::spec::Organisation;

/// Filters of `GET /api/v1/services`; each narrows the list, all must hold.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
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
    /// Page size, 1–500 (default 50).
    pub limit: Option<u64>,
    /// Rows to skip (default 0).
    pub offset: Option<u64>,
}

fn with_term(
    select: Select<register_entries::Entity>,
    term: &str,
    value: &str,
) -> Select<register_entries::Entity> {
    let mut sub = Query::select();
    sub.column(service_terms::Column::EntryId)
        .from(service_terms::Entity)
        .and_where(service_terms::Column::Term.eq(term));
    if !value.is_empty() {
        sub.and_where(service_terms::Column::Value.eq(value));
    }
    select.filter(register_entries::Column::Id.in_subquery(sub.to_owned()))
}

fn filtered(f: &ServiceFilter) -> Select<register_entries::Entity> {
    let mut select = register_entries::Entity::find()
        .filter(register_entries::Column::Kind.eq(SERVICE))
        .filter(register_entries::Column::RetiredAt.is_null());
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let escaped = q
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let like = LikeExpr::new(format!("%{escaped}%")).escape('\\');
        select = select.filter(Expr::col(register_entries::Column::SearchText).like(like));
    }
    for (term, value) in [
        ("data_type", &f.data_type),
        ("subject", &f.subject),
        ("controller", &f.controller),
    ] {
        if let Some(v) = value {
            select = with_term(select, term, v);
        }
    }
    if let Some(v) = &f.sub_processor {
        select = with_term(select, "sub_processor", &v.to_lowercase());
    }
    if f.special_category == Some(true) {
        select = with_term(select, "special", "");
    }
    select
}

/// A list row: id, key, name, current version, content hash, updated at.
type SummaryRow = (
    i32,
    String,
    String,
    i32,
    String,
    chrono::DateTime<chrono::Utc>,
);

pub async fn list_services(
    db: &impl ConnectionTrait,
    f: &ServiceFilter,
    limit: u64,
    offset: u64,
) -> Result<ServicePage, sea_orm::DbErr> {
    use register_entries::Column as C;
    // Only the summary's columns: a record's body and search text are most of its row.
    let total = filtered(f)
        .select_only()
        .column_as(C::Id.count(), "n")
        .into_tuple::<i64>()
        .one(db)
        .await?
        .unwrap_or(0) as u64;
    // The page's ids first, from the listing index alone; then only those rows are read (an
    // OFFSET over whole rows reads every row it skips).
    let page = filtered(f)
        .select_only()
        .column(C::Id)
        .order_by_asc(C::Key)
        .limit(limit)
        .offset(offset)
        .into_query();
    let entries: Vec<SummaryRow> = register_entries::Entity::find()
        .select_only()
        .columns([
            C::Id,
            C::Key,
            C::Name,
            C::CurrentVersion,
            C::ContentHash,
            C::UpdatedAt,
        ])
        .filter(C::Id.in_subquery(page))
        .order_by_asc(C::Key)
        .into_tuple()
        .all(db)
        .await?;
    let ids: Vec<i32> = entries.iter().map(|e| e.0).collect();
    // As plain tuples: a summary shows some of each entry's terms.
    let mut terms: HashMap<i32, Vec<(String, String)>> = HashMap::new();
    if !ids.is_empty() {
        use service_terms::Column as T;
        let rows: Vec<(i32, String, String)> = service_terms::Entity::find()
            .select_only()
            .columns([T::EntryId, T::Term, T::Value])
            .filter(T::EntryId.is_in(ids))
            .order_by_asc(T::Id)
            .into_tuple()
            .all(db)
            .await?;
        for (entry, term, value) in rows {
            terms.entry(entry).or_default().push((term, value));
        }
    }
    let items = entries
        .into_iter()
        .map(|(id, key, name, version, content_hash, updated_at)| {
            let ts = terms.remove(&id).unwrap_or_default();
            let of = |kind: &str| {
                ts.iter()
                    .filter(|t| t.0 == kind)
                    .map(|t| t.1.clone())
                    .collect::<Vec<_>>()
            };
            ServiceSummary {
                data_types: of("data_type"),
                subjects: of("subject"),
                controllers: of("controller"),
                special_categories: of("special"),
                id: key,
                name,
                version,
                content_hash,
                updated_at,
            }
        })
        .collect();
    Ok(ServicePage {
        items,
        total,
        limit,
        offset,
    })
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
    let stored = StoredService {
        spec: &spec,
        version: e.current_version,
        content_hash: &e.content_hash,
        updated_at: e.updated_at,
        retired: e.retired_at.is_some(),
    };
    Ok(Some(service_view::build(stored, &orgs)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionView {
    pub version: i32,
    pub content_hash: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub author: String,
    pub reason: String,
    pub source_file: Option<String>,
    pub source_hash: Option<String>,
    pub retired: bool,
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
    Ok(Some(
        versions
            .into_iter()
            .map(|v| VersionView {
                version: v.version,
                content_hash: v.content_hash,
                created_at: v.created_at,
                author: v.author,
                reason: v.reason,
                source_file: v.source_file,
                source_hash: v.source_hash,
                retired: v.retired,
            })
            .collect(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
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
