//! The OpenAPI document, served at /api/openapi.json and browsed at /api/docs.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "gallra", description = "A GDPR processor's register of processing, its instructions and their enforcement."),
    paths(
        super::register::list_services,
        super::register::get_service,
        super::register::list_versions,
        super::register::list_instructions,
        super::tokens::list_tokens,
        super::tokens::create_token,
        super::tokens::revoke_token,
        super::evidence::get_key,
        super::evidence::get_checkpoint,
        super::evidence::list_entries,
        super::evidence::get_entry,
        super::evidence::get_inclusion_proof,
        super::evidence::get_consistency_proof,
        super::evidence::get_tile,
        super::bundle::get_bundle,
        super::retention::list_rules,
        super::retention::create_run,
        super::retention::list_runs,
        super::retention::approve_run,
        super::retention::list_holds,
        super::retention::create_hold,
        super::retention::lift_hold,
        super::retention::list_breaches,
        super::reviews::list_campaigns,
        super::reviews::get_campaign,
        super::reviews::decide_item,
        super::reviews::close_campaign,
        super::reviews::open_campaign,
        super::exports::export_register,
    ),
    modifiers(&BearerAuth),
    tags((name = "register", description = "The register of processing (Art. 30(2))"), (name = "tokens", description = "API tokens"), (name = "evidence", description = "The signed Merkle log (RFC 6962, C2SP checkpoints)"), (name = "retention", description = "Retention rules, runs, approvals, legal holds, breaches"), (name = "reviews", description = "Review campaigns and decisions"), (name = "exports", description = "The register as of a date (CSV of Art. 30(2), HTML, JSON, fideslang) and the audit bundle"))
)]
pub struct ApiDoc;

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
