//! Handlers for the evidence log: verifier key, checkpoint, entries and proofs (docs/api.md).

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};
use utoipa_axum::routes;

use super::extract::Bearer;
use super::extract::{self, Path, Query};
use super::{ApiError, AppState};
use crate::auth::Permission;
use crate::evidence::tile_path::TileId;
use crate::evidence::{self, tiles};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_key))
        .routes(routes!(get_checkpoint))
        .routes(routes!(list_entries))
        .routes(routes!(get_entry))
        .routes(routes!(get_inclusion_proof))
        .routes(routes!(get_consistency_proof))
        .merge(rest_of_path(routes!(get_tile)))
}

/// A route whose last path parameter takes the rest of the path, slashes and all (a tile's
/// `x001/x234/067`): OpenAPI has no such parameter, so the document keeps `{path}` and only the
/// router's template becomes axum's `{*path}`.
fn rest_of_path(
    (schemas, paths, method_router): UtoipaMethodRouter<AppState>,
) -> OpenApiRouter<AppState> {
    let mut router = OpenApiRouter::new();
    for template in paths.paths.keys() {
        let (head, last) = template
            .rsplit_once("/{")
            .expect("a rest-of-path route ends in a parameter");
        router = router.route(&format!("{head}/{{*{last}"), method_router.clone());
    }
    let doc = router.get_openapi_mut();
    doc.paths.merge(paths);
    doc.components
        .get_or_insert_with(Default::default)
        .schemas
        .extend(schemas);
    router
}

const TEXT: [(axum::http::HeaderName, &str); 1] = [(CONTENT_TYPE, "text/plain; charset=utf-8")];

/// The verifier key in note form: `<name>+<hex key id>+<base64(0x01‖ed25519 public key)>`.
#[utoipa::path(get, path = "/evidence/key", tag = "evidence", responses((status = 200, body = String, content_type = "text/plain")), security(("bearer" = [])))]
pub async fn get_key(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
) -> Result<impl IntoResponse, ApiError> {
    auth.require(Permission::ReadEvidence)?;
    Ok((TEXT, format!("{}\n", s.keys.verifier_key)))
}

/// The latest signed checkpoint (C2SP signed note).
#[utoipa::path(get, path = "/evidence/checkpoint", tag = "evidence", responses((status = 200, body = String, content_type = "text/plain"), (status = 404)), security(("bearer" = [])))]
pub async fn get_checkpoint(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
) -> Result<impl IntoResponse, ApiError> {
    auth.require(Permission::ReadEvidence)?;
    let latest = evidence::latest_checkpoint(&s.db).await?;
    let c = latest.ok_or_else(|| ApiError::NotFound("no checkpoint has been signed yet".into()))?;
    Ok((TEXT, c.note))
}

/// The entry's canonical bytes (JSON).
#[utoipa::path(get, path = "/evidence/entries/{index}", params(("index" = u64, Path)), tag = "evidence", responses((status = 200, content_type = "application/json"), (status = 404)), security(("bearer" = [])))]
pub async fn get_entry(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
    Path(index): Path<u64>,
) -> Result<impl IntoResponse, ApiError> {
    auth.require(Permission::ReadEvidence)?;
    let body = evidence::entry(&s.db, index)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no entry {index}")))?;
    Ok(([(CONTENT_TYPE, "application/json")], body))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntryRange {
    /// First index (default 0).
    #[param(maximum = 9223372036854775807_u64)]
    pub from: Option<u64>,
    /// At most this many entries, 1–1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EntryView {
    pub index: u64,
    /// The entry's canonical bytes, as a string.
    pub entry: String,
}

/// A page of entries in index order.
#[utoipa::path(get, path = "/evidence/entries", params(EntryRange), tag = "evidence", responses((status = 200, body = Vec<EntryView>), (status = 400)), security(("bearer" = [])))]
pub async fn list_entries(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
    Query(q): Query<EntryRange>,
) -> Result<Json<Vec<EntryView>>, ApiError> {
    auth.require(Permission::ReadEvidence)?;
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::BadRequest(
            "limit must be between 1 and 1000".into(),
        ));
    }
    let from = extract::position(q.from, "from")?;
    let rows = evidence::entries(&s.db, from, limit).await?;
    Ok(Json(
        rows.into_iter()
            .map(|(index, entry)| EntryView { index, entry })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InclusionQuery {
    /// Less than `size`.
    pub index: u64,
    /// At least 1, at most the log's current size.
    #[param(minimum = 1)]
    pub size: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InclusionProof {
    pub index: u64,
    pub tree_size: u64,
    /// Base64 SHA-256(0x00‖entry).
    pub leaf_hash: String,
    /// Base64 hashes of the RFC 6962 audit path, leaf upward.
    pub hashes: Vec<String>,
}

/// RFC 6962 inclusion proof of entry `index` in the tree of `size` entries.
#[utoipa::path(get, path = "/evidence/proof/inclusion", params(InclusionQuery), tag = "evidence", responses((status = 200, body = InclusionProof), (status = 404, description = "no such proof: `index` is not below `size`, or `size` is past the log's")), security(("bearer" = [])))]
pub async fn get_inclusion_proof(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
    Query(q): Query<InclusionQuery>,
) -> Result<Json<InclusionProof>, ApiError> {
    auth.require(Permission::ReadEvidence)?;
    let (leaf_hash, proof) = evidence::inclusion_proof(&s.db, q.index, q.size).await?;
    Ok(Json(InclusionProof {
        index: q.index,
        tree_size: q.size,
        leaf_hash,
        hashes: proof.hashes,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConsistencyQuery {
    /// At least 1, at most `to`.
    #[param(minimum = 1)]
    pub from: u64,
    /// At most the log's current size.
    #[param(minimum = 1)]
    pub to: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsistencyProof {
    pub from: u64,
    pub to: u64,
    pub hashes: Vec<String>,
}

/// RFC 6962 consistency proof between the trees of `from` and `to` entries.
#[utoipa::path(get, path = "/evidence/proof/consistency", params(ConsistencyQuery), tag = "evidence", responses((status = 200, body = ConsistencyProof), (status = 404, description = "no such proof: `from` is past `to`, or `to` past the log's size")), security(("bearer" = [])))]
pub async fn get_consistency_proof(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
    Query(q): Query<ConsistencyQuery>,
) -> Result<Json<ConsistencyProof>, ApiError> {
    auth.require(Permission::ReadEvidence)?;
    let proof = evidence::consistency_proof(&s.db, q.from, q.to).await?;
    Ok(Json(ConsistencyProof {
        from: q.from,
        to: q.to,
        hashes: proof.hashes,
    }))
}

/// A tile of the log in C2SP tlog-tiles layout: `tile/<L>/<N>[.p/<W>]` (hash tiles of height 8)
/// or `tile/entries/<N>[.p/<W>]` (entry bundles), for any width the tree already holds.
#[utoipa::path(get, path = "/evidence/tile/{path}", params(("path" = String, Path, description = "`<L>/<N>[.p/<W>]` or `entries/<N>[.p/<W>]`, N in groups of three digits (`x001/x234/067`)")), tag = "evidence", responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 404)), security(("bearer" = [])))]
pub async fn get_tile(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
    axum::extract::Path(path): axum::extract::Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    auth.require(Permission::ReadEvidence)?;
    let tile = TileId::parse(&format!("tile/{path}"))
        .ok_or_else(|| ApiError::NotFound(format!("tile/{path}: not a tile path")))?;
    if !tiles::in_tree(tile, evidence::size(&s.db).await?) {
        return Err(ApiError::NotFound(format!(
            "{}: not in the tree yet",
            tile.path()
        )));
    }
    let data = tiles::read_tile(&s.db, tile).await?;
    // A tile never changes once the tree holds it: a wider one has another path.
    Ok((
        [
            (CONTENT_TYPE, "application/octet-stream"),
            (CACHE_CONTROL, "private, max-age=31536000, immutable"),
        ],
        data,
    ))
}
