//! The OpenAPI document, served at /api/openapi.json and browsed at /api/docs.

use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use super::openapi_text::TextBounds;

#[derive(OpenApi)]
#[openapi(
    info(title = "gallra", description = "A GDPR processor's register of processing, its instructions and their enforcement."),
    tags((name = "register", description = "The register of processing (Art. 30(2))"), (name = "tokens", description = "API tokens"), (name = "evidence", description = "The signed Merkle log (RFC 6962, C2SP checkpoints)"), (name = "retention", description = "Retention rules, runs, approvals, legal holds, breaches"), (name = "reviews", description = "Review campaigns and decisions"), (name = "exports", description = "The register as of a date (CSV of Art. 30(2), HTML, JSON, fideslang) and the audit bundle"))
)]
pub struct ApiDoc;

/// The served document: `ApiDoc`'s info and tags with the operations the router collected from
/// the handlers, then the edits that need every operation and schema in place (modifiers named
/// in `#[openapi]` would run before the router's paths are merged, on none of them).
pub fn document(collected: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi().merge_from(collected);
    let modifiers: [&dyn Modify; 4] = [
        &BearerAuth,
        &ErrorResponses,
        &NullableOpenValues,
        &TextBounds,
    ];
    for modifier in modifiers {
        modifier.modify(&mut doc);
    }
    doc
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The failures every operation under `/api/v1` can answer with, declared on each with the
/// JSON error body (an operation's own wording of a status is kept): 400 for a malformed
/// query, path or body (the extractors' rejections), 401 without a valid token, 403 when its
/// role may not, 404 for an unknown id in the path, 503 while the store does not answer, and
/// 408 past the 30 s request timeout, 413 for a body over 2 MiB, 429 after too many wrong tokens.
struct ErrorResponses;

impl Modify for ErrorResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            if !path.starts_with("/api/v1/") {
                continue;
            }
            let has_path_params = path.contains('{');
            for op in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                let has_body = op.request_body.is_some();
                add_errors(op, has_path_params, has_body);
            }
        }
    }
}

fn add_errors(op: &mut Operation, has_path_params: bool, has_body: bool) {
    let mut statuses = vec![
        (
            "400",
            "malformed query, path or body, or a value out of range",
        ),
        ("401", "a valid bearer token is required"),
        ("403", "the token's role may not do this"),
        ("408", "the request took longer than 30 s"),
        ("503", "the store is unavailable"),
    ];
    if has_path_params {
        statuses.push(("404", "no such resource"));
    }
    if has_body {
        statuses.push(("413", "the request body is larger than 2 MiB"));
    }
    statuses.push((
        "429",
        "too many wrong credentials from this address: wait `Retry-After` seconds",
    ));
    for (status, description) in statuses {
        match op.responses.responses.get_mut(status) {
            Some(RefOr::T(r)) => {
                if r.content.is_empty() {
                    *r = error_response(if r.description.is_empty() {
                        description
                    } else {
                        &r.description
                    });
                }
            }
            Some(RefOr::Ref(_)) => {}
            None => {
                op.responses
                    .responses
                    .insert(status.to_string(), RefOr::T(error_response(description)));
            }
        }
    }
    // Statuses an operation declares (409, 502, …) without a body carry the error body too.
    for (status, r) in op.responses.responses.iter_mut() {
        if let RefOr::T(resp) = r {
            if (status.starts_with('4') || status.starts_with('5')) && resp.content.is_empty() {
                let d = resp.description.clone();
                *resp = error_response(&d);
            }
        }
    }
}

fn error_response(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
}

/// `OpenValue<T>`'s `value` is `null` while the value is open; utoipa inlines the generic `T`
/// without saying so.
struct NullableOpenValues;

impl Modify for NullableOpenValues {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, Type};
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        for (name, schema) in components.schemas.iter_mut() {
            if !name.starts_with("OpenValue") {
                continue;
            }
            if let RefOr::T(Schema::Object(object)) = schema {
                if let Some(value) = object.properties.remove("value") {
                    let nullable = OneOfBuilder::new()
                        .item(ObjectBuilder::new().schema_type(Type::Null))
                        .item(value)
                        .build();
                    object
                        .properties
                        .insert("value".into(), RefOr::T(Schema::OneOf(nullable)));
                }
            }
        }
        // The export's `format` is an `Option` only to name it in its 400; it is required.
        if let Some(op) = openapi
            .paths
            .paths
            .get_mut("/api/v1/exports/register")
            .and_then(|item| item.get.as_mut())
        {
            for p in op.parameters.iter_mut().flatten() {
                if p.name == "format" {
                    p.required = utoipa::openapi::Required::True;
                }
            }
        }
    }
}
