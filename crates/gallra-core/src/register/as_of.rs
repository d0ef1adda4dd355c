//! Views of the register as it stood at an instant, built from the versions then in force: the
//! list, one record, and everything an export needs.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use super::history::{in_force, InForce};
use super::listing::{select_page, Listed};
use super::query::ServiceFilter;
use super::record::SERVICE;
use super::record::{from_body, search_text, service_from_body, service_terms, ORGANISATION};
use super::service_view::{self, StoredService};
use super::views::{ServicePage, ServiceSummary, ServiceView};
use crate::policy::spec::Organisation;

/// The register at one instant: its live services, and the organisations they name.
pub struct Register {
    pub as_of: DateTime<Utc>,
    pub services: Vec<ServiceView>,
    pub organisations: Vec<Organisation>,
}

/// The live services and organisations at `as_of`, services in id order.
pub async fn register(db: &impl ConnectionTrait, as_of: DateTime<Utc>) -> anyhow::Result<Register> {
    let organisations = organisations(db, as_of).await?;
    let mut services = Vec::new();
    for v in in_force(db, SERVICE, None, as_of).await? {
        if !v.retired {
            services.push(view(&v, &organisations)?);
        }
    }
    Ok(Register {
        as_of,
        services,
        organisations,
    })
}

/// One service as it stood at `as_of` (flagged `retired` once retired); `None` when it had
/// not been added by then.
pub async fn service(
    db: &impl ConnectionTrait,
    id: &str,
    as_of: DateTime<Utc>,
) -> anyhow::Result<Option<ServiceView>> {
    let Some(v) = in_force(db, SERVICE, Some(id), as_of).await?.pop() else {
        return Ok(None);
    };
    let organisations = organisations(db, as_of).await?;
    Ok(Some(view(&v, &organisations)?))
}

/// One page of the live services at `as_of` that `f` selects, with the same filters as today's.
pub async fn page(
    db: &impl ConnectionTrait,
    f: &ServiceFilter,
    as_of: DateTime<Utc>,
    limit: u64,
    offset: u64,
) -> anyhow::Result<ServicePage> {
    let mut listed = Vec::new();
    for v in in_force(db, SERVICE, None, as_of).await? {
        if v.retired {
            continue;
        }
        let spec = service_from_body(&v.body)?;
        let terms: Vec<(String, String)> = service_terms(&spec)
            .into_iter()
            .map(|(t, value)| (t.to_owned(), value))
            .collect();
        let of = |kind: &str| -> Vec<String> {
            terms
                .iter()
                .filter(|t| t.0 == kind)
                .map(|t| t.1.clone())
                .collect()
        };
        listed.push(Listed {
            summary: ServiceSummary {
                id: v.key.clone(),
                name: spec.service.name.clone(),
                version: v.version,
                content_hash: v.content_hash.clone(),
                evidence_index: v.evidence_index,
                updated_at: v.created_at,
                data_types: of("data_type"),
                subjects: of("subject"),
                controllers: of("controller"),
                special_categories: of("special"),
                sub_processors: of("sub_processor"),
                transfer_countries: of("transfer_country"),
            },
            search_text: search_text(SERVICE, &v.key, &spec.service.name, &v.body),
            terms,
        });
    }
    Ok(select_page(&listed, f, limit, offset))
}

/// Organisations in the register at `as_of` (retired ones left out).
pub async fn organisations(
    db: &impl ConnectionTrait,
    as_of: DateTime<Utc>,
) -> anyhow::Result<Vec<Organisation>> {
    let mut out = Vec::new();
    for v in in_force(db, ORGANISATION, None, as_of).await? {
        if !v.retired {
            out.push(from_body(&v.body)?);
        }
    }
    Ok(out)
}

fn view(v: &InForce, organisations: &[Organisation]) -> anyhow::Result<ServiceView> {
    let spec = service_from_body(&v.body)?;
    let stored = StoredService {
        spec: &spec,
        version: v.version,
        content_hash: &v.content_hash,
        evidence_index: v.evidence_index,
        updated_at: v.created_at,
        retired: v.retired,
    };
    Ok(service_view::build(stored, organisations))
}
