//! The document states the one text check of `crate::text` for every text field it takes: a
//! length in characters, the characters refused, not blank; and a decision's justification is
//! required for `keep` and `revoke` only (`oneOf`), so a request the document allows is one
//! the server accepts.

use serde_json::{json, Value};
use utoipa::openapi::{RefOr, Schema};
use utoipa::Modify;

use crate::text::{self, Field};

pub struct TextBounds;

/// (component, property, rule); `[]` after a property: each item of its array.
const FIELDS: [(&str, &str, Field); 4] = [
    ("NewToken", "name", text::TOKEN_NAME),
    ("NewHold", "reason", text::REASON),
    ("NewHold", "keys[]", text::HOLD_KEY),
    ("Approval", "reason", text::REASON),
];

impl Modify for TextBounds {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        for (component, property, field) in FIELDS {
            let Some(schema) = components.schemas.get_mut(component) else {
                continue;
            };
            edit(schema, |v| {
                let (name, items) = match property.strip_suffix("[]") {
                    Some(name) => (name, true),
                    None => (property, false),
                };
                let mut target = &mut v["properties"][name];
                if items {
                    target = &mut target["items"];
                }
                bound(target, field);
            });
        }
        if let Some(schema) = components.schemas.get_mut("NewDecision") {
            *schema = decision();
        }
        // An accounts CSV, when one is sent, is not empty.
        let csv = openapi
            .paths
            .paths
            .get_mut("/api/v1/reviews/policies/{id}/campaigns")
            .and_then(|item| item.post.as_mut())
            .and_then(|op| op.request_body.as_mut())
            .and_then(|body| body.content.get_mut("text/csv"))
            .and_then(|content| content.schema.as_mut());
        if let Some(schema) = csv {
            edit(schema, |v| {
                v["minLength"] = json!(1);
            });
        }
    }
}

fn bound(target: &mut Value, field: Field) {
    if let Some(o) = target.as_object_mut() {
        o.insert("minLength".into(), json!(1));
        o.insert("maxLength".into(), json!(field.max_chars));
        o.insert("pattern".into(), json!(field.pattern()));
    }
}

/// `keep` and `revoke` with their justification; `unsure` with one or none.
fn decision() -> RefOr<Schema> {
    let mut given = json!({ "type": "string" });
    bound(&mut given, text::JUSTIFICATION);
    let optional =
        json!({ "type": ["string", "null"], "maxLength": text::JUSTIFICATION.max_chars });
    let schema = json!({
        "description": "A decision: `keep` and `revoke` need a justification (the work-related need for access, or why not); `unsure` does not.",
        "oneOf": [
            {
                "type": "object",
                "required": ["decision", "justification"],
                "additionalProperties": false,
                "properties": { "decision": { "type": "string", "enum": ["keep", "revoke"] }, "justification": given }
            },
            {
                "type": "object",
                "required": ["decision"],
                "additionalProperties": false,
                "properties": { "decision": { "type": "string", "enum": ["unsure"] }, "justification": optional }
            }
        ]
    });
    serde_json::from_value(schema).unwrap_or_else(|_| RefOr::T(Schema::default()))
}

/// Edit a schema as JSON (utoipa's builders cannot reach into a built schema's properties).
fn edit(schema: &mut RefOr<Schema>, f: impl FnOnce(&mut Value)) {
    let Ok(mut v) = serde_json::to_value(&*schema) else {
        return;
    };
    f(&mut v);
    if let Ok(edited) = serde_json::from_value(v) {
        *schema = edited;
    }
}
