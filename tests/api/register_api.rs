//! The register through the API: every seed service round-trips with its fields; search works.

use gallra::policy::load_dir;
use serde_json::Value;

use crate::helpers::{seed_policies, TestApp};

fn ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn every_seed_service_round_trips_with_its_fields() {
    let app = TestApp::spawn().await;
    let set = load_dir(&seed_policies()).unwrap();
    assert!(
        set.services.len() >= 5,
        "the seeds hold at least five services"
    );
    for s in set.services.iter().map(|l| &l.item) {
        let id = s.service.id.get_ref();
        let v = app.get_json(&format!("/api/v1/services/{id}")).await;
        assert_eq!(v["name"], s.service.name, "{id}");
        assert_eq!(v["processor"]["id"], *s.service.processor.get_ref(), "{id}");
        assert_eq!(
            v["processing"]["subject_matter"], s.processing.subject_matter,
            "{id}"
        );
        assert_eq!(
            v["processing"]["purposes"],
            serde_json::json!(s.processing.purposes.get_ref()),
            "{id}"
        );
        let subjects: Vec<&str> = v["subjects"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["category"].as_str().unwrap())
            .collect();
        let expected: Vec<&str> = s
            .subjects
            .iter()
            .map(|x| x.category.get_ref().as_str())
            .collect();
        assert_eq!(subjects, expected, "{id}");
        for (got, want) in v["subjects"].as_array().unwrap().iter().zip(&s.subjects) {
            let types: Vec<&str> = got["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["id"].as_str().unwrap())
                .collect();
            let want: Vec<&str> = want
                .data
                .get_ref()
                .iter()
                .map(|d| d.get_ref().as_str())
                .collect();
            assert_eq!(types, want, "{id}");
        }
        let instructions = v["instructions"].as_array().unwrap();
        assert_eq!(instructions.len(), s.instructions.len(), "{id}");
        for (got, want) in instructions.iter().zip(&s.instructions) {
            assert_eq!(got["id"], *want.id.get_ref());
            assert_eq!(got["text"], want.text);
            let status = if want.enforced_by.is_some() {
                "enforced"
            } else {
                "manual"
            };
            assert_eq!(
                got["enforcement"]["status"],
                status,
                "{id}/{}",
                want.id.get_ref()
            );
        }
        let subs: Vec<&str> = v["sub_processors"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            subs,
            s.sub_processors
                .iter()
                .map(|x| x.name.as_str())
                .collect::<Vec<_>>(),
            "{id}"
        );
        assert_eq!(
            v["controllers"]["items"].as_array().unwrap().len(),
            s.controllers.len(),
            "{id}"
        );
        assert_eq!(v["version"], 1);
        assert_eq!(v["content_hash"].as_str().unwrap().len(), 64);
    }
}

#[tokio::test]
async fn digitalt_mote_states_its_purge_instruction_and_open_fields() {
    let app = TestApp::spawn().await;
    let v = app.get_json("/api/v1/services/digitalt-mote").await;
    let purge = v["instructions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "purge-participants")
        .unwrap();
    assert_eq!(purge["source"], "6.2 p.4");
    assert_eq!(
        purge["enforcement"],
        serde_json::json!({"status": "enforced", "kind": "retention", "rule": "meeting-participants"})
    );
    assert_eq!(v["transfers"]["status"], "not_stated");
    assert_eq!(v["processing"]["duration"]["kind"], "until-further-notice");
    let special: Vec<&str> = v["special_categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert!(special.contains(&"health"), "{special:?}");
    assert_eq!(
        v["retention_rules"],
        serde_json::json!(["meeting-participants"])
    );
}

#[tokio::test]
async fn search_by_data_type_subject_controller_and_sub_processor() {
    let app = TestApp::spawn().await;
    let by_pnr = ids(&app
        .get_json("/api/v1/services?data_type=national-id-number&limit=500")
        .await);
    assert!(by_pnr.contains(&"digitalt-mote".to_string()), "{by_pnr:?}");
    assert!(!by_pnr.contains(&"e-klient".to_string()), "{by_pnr:?}");

    let special = ids(&app
        .get_json("/api/v1/services?special_category=true&limit=500")
        .await);
    assert!(special.contains(&"digitalt-mote".to_string()));
    assert!(!special.contains(&"e-klient".to_string()));

    let residents = ids(&app
        .get_json("/api/v1/services?subject=residents&limit=500")
        .await);
    assert!(residents.contains(&"digitalt-mote".to_string()));

    let inera = ids(&app
        .get_json("/api/v1/services?controller=inera-kunder&limit=500")
        .await);
    assert!(inera.contains(&"digitalt-mote".to_string()));

    let rocket = ids(&app
        .get_json("/api/v1/services?sub_processor=RocketChat")
        .await);
    assert_eq!(rocket, vec!["e-klient".to_string()]);

    let text = ids(&app.get_json("/api/v1/services?q=videomöten").await);
    assert!(text.contains(&"digitalt-mote".to_string()), "{text:?}");

    let both = ids(&app
        .get_json("/api/v1/services?data_type=national-id-number&sub_processor=RocketChat")
        .await);
    assert!(both.is_empty(), "filters combine with AND: {both:?}");
}

#[tokio::test]
async fn the_list_is_paged() {
    let app = TestApp::spawn().await;
    let all = app.get_json("/api/v1/services?limit=500").await;
    let total = all["total"].as_u64().unwrap();
    assert_eq!(all["items"].as_array().unwrap().len() as u64, total);
    let page = app.get_json("/api/v1/services?limit=2&offset=1").await;
    assert_eq!(page["total"], total);
    assert_eq!(ids(&page), ids(&all)[1..3].to_vec());
}

#[tokio::test]
async fn unenforced_instructions_are_listed() {
    let app = TestApp::spawn().await;
    let open = app.get_json("/api/v1/instructions?enforced=false").await;
    let open = open.as_array().unwrap();
    assert!(open
        .iter()
        .any(|i| i["service"] == "digitalt-mote" && i["id"] == "secure-meetings"));
    assert!(open.iter().all(|i| i["enforcement"]["status"] == "manual"));
    assert!(!open.iter().any(|i| i["id"] == "purge-participants"));
    let all = app.get_json("/api/v1/instructions").await;
    assert!(all
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["id"] == "purge-participants"));
}
