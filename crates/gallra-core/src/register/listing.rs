//! The register list served from a snapshot of the live services, rebuilt when the register
//! has changed since it was taken.
//!
//! The register changes only by `apply`, and every change an apply makes writes a version row
//! in the same transaction. The versions ever written only grow in number, and grow with every
//! such commit. So a snapshot taken at that number stays right until it changes, whichever
//! process changes it, and a list request counts the versions instead of reading a page, its
//! count and its terms. (It was keyed on the evidence log's size, which every run, hold,
//! decision and token also grows: under their load each list request read the register again.)

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use entity::{register_entries, service_terms};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Statement,
};

use super::query::ServiceFilter;
use super::record::SERVICE;
use super::views::{ServicePage, ServiceSummary};

/// The snapshot of one store, shared by the handlers of one application.
#[derive(Clone, Default)]
pub struct Listing {
    snapshot: Arc<RwLock<Option<Arc<Snapshot>>>>,
    /// Held while a snapshot is read: requests that find it stale together wait for one read
    /// instead of each making their own.
    reading: Arc<tokio::sync::Mutex<()>>,
}

/// Every live service in key order, with what the filters look at.
struct Snapshot {
    /// The register's [`generation`] when it was read.
    generation: i64,
    services: Vec<Listed>,
    /// The live services' instructions by how they are carried out.
    enforcement: Enforcement,
}

/// How many instructions of the live services a rule or review enforces, an owner carries out
/// by hand, or nothing carries out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Enforcement {
    pub enforced: u64,
    pub manual: u64,
    pub not_enforced: u64,
}

pub(super) struct Listed {
    pub(super) summary: ServiceSummary,
    /// Lower-cased text of the whole record, for `q`.
    pub(super) search_text: String,
    /// Every (term, value) of the record, for the other filters.
    pub(super) terms: Vec<(String, String)>,
}

impl Listing {
    /// One page of the live services `f` selects, in key order, and how many it selects.
    pub async fn page(
        &self,
        db: &impl ConnectionTrait,
        f: &ServiceFilter,
        limit: u64,
        offset: u64,
    ) -> Result<ServicePage, sea_orm::DbErr> {
        let snapshot = self.current(db).await?;
        Ok(select_page(&snapshot.services, f, limit, offset))
    }

    /// For each (term, value) of the services `f` selects, how many hold it: the counts a
    /// list of filters shows beside each choice.
    pub async fn facets(
        &self,
        db: &impl ConnectionTrait,
        f: &ServiceFilter,
    ) -> Result<Vec<(String, String, u64)>, sea_orm::DbErr> {
        let snapshot = self.current(db).await?;
        let filter = Filter::new(f);
        let mut counts: HashMap<(&str, &str), u64> = HashMap::new();
        for s in snapshot.services.iter().filter(|s| filter.selects(s)) {
            for (term, value) in &s.terms {
                *counts.entry((term, value)).or_default() += 1;
            }
        }
        let mut out: Vec<(String, String, u64)> = counts
            .into_iter()
            .map(|((t, v), n)| (t.to_owned(), v.to_owned(), n))
            .collect();
        out.sort();
        Ok(out)
    }

    /// The live services' instructions by enforcement, from the same snapshot as the list.
    pub async fn enforcement(
        &self,
        db: &impl ConnectionTrait,
    ) -> Result<Enforcement, sea_orm::DbErr> {
        Ok(self.current(db).await?.enforcement)
    }

    /// The snapshot of the register's current generation, read again if the register changed.
    async fn current(&self, db: &impl ConnectionTrait) -> Result<Arc<Snapshot>, sea_orm::DbErr> {
        let generation = generation(db).await?;
        let fresh_enough = |s: &Arc<Snapshot>| s.generation >= generation;
        if let Some(s) = self.read().filter(fresh_enough) {
            return Ok(s);
        }
        let _reading = self.reading.lock().await;
        if let Some(s) = self.read().filter(fresh_enough) {
            return Ok(s);
        }
        // The generation is read before the services: a change committed between the two is in
        // the snapshot but not in its generation, so it is read again next time, never missed.
        let fresh = Arc::new(Snapshot {
            generation,
            services: services(db).await?,
            enforcement: enforcement(db).await?,
        });
        if let Ok(mut slot) = self.snapshot.write() {
            *slot = Some(fresh.clone());
        }
        Ok(fresh)
    }

    fn read(&self) -> Option<Arc<Snapshot>> {
        self.snapshot.read().ok().and_then(|s| s.clone())
    }
}

/// The register's generation: how many versions were ever written. Every change to what the
/// snapshot holds (entries, their terms, instructions, rules) is made by `apply` with a version
/// row, and versions are never deleted, so the count grows with each committed change — also
/// when two applies commit out of their ids' order, which a `MAX(id)` would miss. Runs, holds,
/// decisions and tokens leave it alone: under their load the snapshot is not read again.
async fn generation(db: &impl ConnectionTrait) -> Result<i64, sea_orm::DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM register_versions",
        ))
        .await?;
    Ok(match row {
        Some(r) => r.try_get("", "n")?,
        None => 0,
    })
}

async fn enforcement(db: &impl ConnectionTrait) -> Result<Enforcement, sea_orm::DbErr> {
    use super::views::Enforcement as E;
    let mut counts = Enforcement::default();
    for i in super::query::list_instructions(db, None).await? {
        match i.enforcement {
            E::Enforced { .. } => counts.enforced += 1,
            E::Manual { owner, .. } if !owner.is_empty() => counts.manual += 1,
            E::Manual { .. } => counts.not_enforced += 1,
        }
    }
    Ok(counts)
}

/// Every live service with its terms, in key order.
async fn services(db: &impl ConnectionTrait) -> Result<Vec<Listed>, sea_orm::DbErr> {
    use register_entries::Column as C;
    type Row = (
        i32,
        String,
        String,
        i32,
        String,
        chrono::DateTime<chrono::Utc>,
        String,
    );
    let rows: Vec<Row> = register_entries::Entity::find()
        .select_only()
        .columns([
            C::Id,
            C::Key,
            C::Name,
            C::CurrentVersion,
            C::ContentHash,
            C::UpdatedAt,
            C::SearchText,
        ])
        .filter(C::Kind.eq(SERVICE))
        .filter(C::RetiredAt.is_null())
        .order_by_asc(C::Key)
        .into_tuple()
        .all(db)
        .await?;
    use service_terms::Column as T;
    let mut terms: HashMap<i32, Vec<(String, String)>> = HashMap::new();
    let all: Vec<(i32, String, String)> = service_terms::Entity::find()
        .select_only()
        .columns([T::EntryId, T::Term, T::Value])
        .order_by_asc(T::Id)
        .into_tuple()
        .all(db)
        .await?;
    for (entry, term, value) in all {
        terms.entry(entry).or_default().push((term, value));
    }
    Ok(rows
        .into_iter()
        .map(
            |(id, key, name, version, content_hash, updated_at, search_text)| {
                let terms = terms.remove(&id).unwrap_or_default();
                let of = |kind: &str| {
                    terms
                        .iter()
                        .filter(|t| t.0 == kind)
                        .map(|t| t.1.clone())
                        .collect::<Vec<_>>()
                };
                Listed {
                    summary: ServiceSummary {
                        evidence_index: None,
                        data_types: of("data_type"),
                        subjects: of("subject"),
                        controllers: of("controller"),
                        special_categories: of("special"),
                        sub_processors: of("sub_processor"),
                        transfer_countries: of("transfer_country"),
                        id: key,
                        name,
                        version,
                        content_hash,
                        updated_at,
                    },
                    search_text,
                    terms,
                }
            },
        )
        .collect())
}

/// One page of the services in `services` that `f` selects, and how many it selects.
pub(super) fn select_page(
    services: &[Listed],
    f: &ServiceFilter,
    limit: u64,
    offset: u64,
) -> ServicePage {
    let filter = Filter::new(f);
    let mut total = 0;
    let mut items = Vec::new();
    for s in services.iter().filter(|s| filter.selects(s)) {
        if total >= offset && (items.len() as u64) < limit {
            items.push(s.summary.clone());
        }
        total += 1;
    }
    ServicePage {
        items,
        total,
        limit,
        offset,
    }
}

/// A `ServiceFilter` made ready to test services: all its parts must hold.
struct Filter {
    /// Lower-cased free text.
    q: Option<String>,
    /// (term, value) pairs a service must have; an empty value, any value of that term.
    terms: Vec<(&'static str, String)>,
}

impl Filter {
    fn new(f: &ServiceFilter) -> Self {
        let mut terms = Vec::new();
        for (term, value) in [
            ("data_type", &f.data_type),
            ("subject", &f.subject),
            ("controller", &f.controller),
        ] {
            if let Some(v) = value {
                terms.push((term, v.clone()));
            }
        }
        if let Some(v) = &f.sub_processor {
            terms.push(("sub_processor", v.to_lowercase()));
        }
        if let Some(v) = &f.transfer_country {
            terms.push(("transfer_country", v.to_uppercase()));
        }
        if f.special_category == Some(true) {
            terms.push(("special", String::new()));
        }
        Filter {
            q: f.q
                .as_deref()
                .map(str::trim)
                .filter(|q| !q.is_empty())
                .map(str::to_lowercase),
            terms,
        }
    }

    fn selects(&self, s: &Listed) -> bool {
        self.q.as_ref().is_none_or(|q| s.search_text.contains(q))
            && self.terms.iter().all(|(term, value)| {
                s.terms
                    .iter()
                    .any(|(t, v)| t == term && (value.is_empty() || v == value))
            })
    }
}
