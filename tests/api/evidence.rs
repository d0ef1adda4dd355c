//! The evidence ledger: entries per change, signed checkpoints an independent verifier accepts,
//! proofs that check against them, atomicity with the change, tampering caught by index.

use base64::Engine;
use gallra::auth::Role;
use gallra::evidence;
use sea_orm::ConnectionTrait;
use sha2::{Digest, Sha256};
use signed_note::{Note, StandardVerifier, VerifierList};

use crate::helpers::TestApp;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

fn node(l: &[u8], r: &[u8]) -> [u8; 32] {
    Sha256::new()
        .chain_update([1u8])
        .chain_update(l)
        .chain_update(r)
        .finalize()
        .into()
}

/// RFC 9162 §2.1.3.2, written here independently of the server's tree code.
fn root_from_inclusion(
    index: u64,
    size: u64,
    leaf: [u8; 32],
    path: &[[u8; 32]],
) -> Option<[u8; 32]> {
    if index >= size {
        return None;
    }
    let (mut f_n, mut s_n, mut r) = (index, size - 1, leaf);
    for p in path {
        if s_n == 0 {
            return None;
        }
        if f_n & 1 == 1 || f_n == s_n {
            r = node(p, &r);
            while f_n & 1 == 0 && f_n != 0 {
                f_n >>= 1;
                s_n >>= 1;
            }
        } else {
            r = node(&r, p);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    (s_n == 0).then_some(r)
}

fn decode32(s: &str) -> [u8; 32] {
    B64.decode(s).unwrap().try_into().unwrap()
}

/// Parse and verify a checkpoint note with the served verifier key: (size, root).
fn open_checkpoint(note: &str, vkey: &str) -> (u64, [u8; 32]) {
    let verifier = StandardVerifier::new(vkey.trim()).expect("verifier key in note form");
    let note = Note::from_bytes(note.as_bytes()).expect("a signed note");
    note.verify(&VerifierList::new(vec![Box::new(verifier)]))
        .expect("signature verifies");
    let body = std::str::from_utf8(note.text()).unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines[0], "gallra.local/evidence", "origin line");
    (lines[1].parse().unwrap(), decode32(lines[2]))
}

async fn text(app: &TestApp, path: &str, token: &str) -> String {
    let r = app.get(path, token).await;
    assert_eq!(r.status(), 200, "{path}");
    r.text().await.unwrap()
}

#[tokio::test]
async fn every_entry_is_provably_in_the_signed_checkpoint() {
    let app = TestApp::spawn().await;
    let t = app.token(Role::Auditor).await;
    let vkey = text(&app, "/api/v1/evidence/key", &t).await;
    let parts: Vec<&str> = vkey.trim().split('+').collect();
    assert_eq!(parts[0], "gallra.local/evidence");
    assert_eq!(parts[1].len(), 8, "hex key id");
    let note = text(&app, "/api/v1/evidence/checkpoint", &t).await;
    let (size, root) = open_checkpoint(&note, &vkey);
    assert!(size >= 25, "one entry per applied version, got {size}");

    for index in 0..size {
        let entry = text(&app, &format!("/api/v1/evidence/entries/{index}"), &t).await;
        let leaf: [u8; 32] = Sha256::new()
            .chain_update([0u8])
            .chain_update(entry.as_bytes())
            .finalize()
            .into();
        let proof = app
            .get_json(&format!(
                "/api/v1/evidence/proof/inclusion?index={index}&size={size}"
            ))
            .await;
        assert_eq!(
            decode32(proof["leaf_hash"].as_str().unwrap()),
            leaf,
            "entry {index}"
        );
        let path: Vec<[u8; 32]> = proof["hashes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| decode32(h.as_str().unwrap()))
            .collect();
        assert_eq!(
            root_from_inclusion(index, size, leaf, &path),
            Some(root),
            "entry {index}"
        );
    }
    // A proof that would be accepted for the wrong index is not.
    let proof = app
        .get_json(&format!(
            "/api/v1/evidence/proof/inclusion?index=0&size={size}"
        ))
        .await;
    let path: Vec<[u8; 32]> = proof["hashes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| decode32(h.as_str().unwrap()))
        .collect();
    assert_ne!(
        root_from_inclusion(
            1,
            size,
            decode32(proof["leaf_hash"].as_str().unwrap()),
            &path
        ),
        Some(root)
    );
}

#[tokio::test]
async fn a_later_checkpoint_is_consistent_with_an_earlier_one() {
    let app = TestApp::spawn().await;
    let t = app.token(Role::Admin).await;
    let vkey = text(&app, "/api/v1/evidence/key", &t).await;
    let (old_size, old_root) =
        open_checkpoint(&text(&app, "/api/v1/evidence/checkpoint", &t).await, &vkey);
    let created = app
        .post_json(
            "/api/v1/tokens",
            &t,
            serde_json::json!({"name": "n", "role": "dpo"}),
        )
        .await;
    assert_eq!(created.status(), 201);
    // A token's creation is in the tree at once; the next job run or the minute's background
    // check signs a checkpoint over it, and only then.
    assert!(gallra::app::checkpoint_if_unsigned(&app.state)
        .await
        .unwrap());
    assert!(!gallra::app::checkpoint_if_unsigned(&app.state)
        .await
        .unwrap());
    let (new_size, new_root) =
        open_checkpoint(&text(&app, "/api/v1/evidence/checkpoint", &t).await, &vkey);
    assert!(
        new_size > old_size,
        "a token creation is signed into a new checkpoint"
    );
    let proof = app
        .get_json(&format!(
            "/api/v1/evidence/proof/consistency?from={old_size}&to={new_size}"
        ))
        .await;
    let hashes: Vec<tlog_tiles::tlog::Hash> = proof["hashes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| tlog_tiles::tlog::Hash(decode32(h.as_str().unwrap())))
        .collect();
    tlog_tiles::tlog::check_tree(
        &hashes,
        new_size,
        tlog_tiles::tlog::Hash(new_root),
        old_size,
        tlog_tiles::tlog::Hash(old_root),
    )
    .expect("consistent");
    let bad = app
        .get(
            &format!("/api/v1/evidence/proof/consistency?from={new_size}&to={old_size}"),
            &t,
        )
        .await;
    // No proof goes from a larger tree to a smaller: there is no such proof (issue 25 §13).
    assert_eq!(bad.status(), 404);
}

#[tokio::test]
async fn entries_hold_ids_and_hashes_never_content_or_secrets() {
    let app = TestApp::spawn().await;
    let t = app.token(Role::Auditor).await;
    let size = evidence::size(&app.db).await.unwrap();
    let mut kinds = Vec::new();
    for index in 0..size {
        let e = text(&app, &format!("/api/v1/evidence/entries/{index}"), &t).await;
        assert!(
            !e.contains("Digitalt möte") && !e.contains("Gallra") && !e.contains("gallra_"),
            "entry {index}: {e}"
        );
        let v: serde_json::Value = serde_json::from_str(&e).unwrap();
        assert_eq!(v["schema"], 1);
        kinds.push(v["kind"].as_str().unwrap().to_owned());
    }
    assert!(kinds.contains(&"register_version".to_string()));
    let page = app
        .get_json("/api/v1/evidence/entries?from=1&limit=2")
        .await;
    let page = page.as_array().unwrap();
    assert_eq!(page.len(), 2);
    assert_eq!(page[0]["index"], 1);
    assert_eq!(
        page[1]["entry"],
        text(&app, "/api/v1/evidence/entries/2", &t).await
    );
    assert!(kinds.contains(&"token_created".to_string()));
}

/// Run `gallra evidence verify` against the app's store and key.
pub(crate) fn cli_verify(app: &TestApp) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gallra"))
        .args(["evidence", "verify"])
        .env("GALLRA_DATABASE_URL", &app.database_url)
        .env("GALLRA_DATA_DIR", app.dir.path())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn tampering_is_caught_and_named_by_index() {
    let cases: &[(&str, &str)] = &[
        ("UPDATE evidence_entries SET body = replace(body, '\"version\":1', '\"version\":2') WHERE idx = 2", "entry 2:"),
        ("DELETE FROM evidence_entries WHERE idx = 3", "entry 3 is missing"),
        // A raw newline: entries are read joined by newlines, so this one must not split in two.
        ("UPDATE evidence_entries SET body = body || '\n' || body WHERE idx = 2", "entry 2:"),
        (
            "UPDATE evidence_entries SET body = CASE idx WHEN 4 THEN (SELECT body FROM evidence_entries WHERE idx = 5) ELSE (SELECT body FROM evidence_entries WHERE idx = 4) END, leaf_hash = CASE idx WHEN 4 THEN (SELECT leaf_hash FROM evidence_entries WHERE idx = 5) ELSE (SELECT leaf_hash FROM evidence_entries WHERE idx = 4) END WHERE idx IN (4, 5)",
            "entry 4:",
        ),
        ("UPDATE evidence_checkpoints SET root_hash = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' WHERE id = 1", "checkpoint 1"),
        ("UPDATE evidence_hashes SET hash = (SELECT h.hash FROM (SELECT hash FROM evidence_hashes WHERE idx = 0) h) WHERE idx = 5", "stored tree hash 5 does not match"),
        ("DELETE FROM evidence_hashes WHERE idx = 6", "stored tree hash 6 is missing"),
    ];
    for (sql, named) in cases {
        let app = TestApp::spawn().await;
        assert!(cli_verify(&app).0, "an untouched log verifies");
        app.db.execute_unprepared(sql).await.unwrap();
        let (ok, stderr) = cli_verify(&app);
        assert!(!ok, "{sql}");
        assert!(
            stderr.contains(named),
            "{sql}: expected `{named}` in {stderr}"
        );
    }
}

#[tokio::test]
async fn a_checkpoint_signed_with_another_key_is_caught() {
    let app = TestApp::spawn().await;
    let (other, _) = signed_note::generate_key(&mut rand_core::OsRng, "gallra.local/evidence");
    let other = gallra::evidence::Keys::from_signer_key(&other).unwrap();
    let size = evidence::size(&app.db).await.unwrap();
    let latest = evidence::latest_checkpoint(&app.db).await.unwrap().unwrap();
    let body = latest.note.split("\n\n").next().unwrap().to_owned() + "\n";
    let mut forged = Note::new(body.as_bytes(), &[]).unwrap();
    forged.add_sigs(&[&other.signer().unwrap()]).unwrap();
    let forged = String::from_utf8(forged.to_bytes())
        .unwrap()
        .replace('\'', "''");
    app.db
        .execute_unprepared(&format!(
            "UPDATE evidence_checkpoints SET note = '{forged}' WHERE id = {}",
            latest.id
        ))
        .await
        .unwrap();
    let (ok, stderr) = cli_verify(&app);
    assert!(!ok);
    assert!(
        stderr.contains(&format!("checkpoint {}: signature", latest.id)),
        "{stderr} (size {size})"
    );
}

#[cfg(unix)]
#[tokio::test]
async fn the_signing_and_installation_keys_are_private_files() {
    use std::os::unix::fs::PermissionsExt;
    let app = TestApp::spawn_with(None).await;
    for name in ["evidence-signing.key", "installation.key"] {
        let mode = std::fs::metadata(app.dir.path().join(name))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{name}");
    }
}

#[tokio::test]
async fn appends_without_a_stored_right_edge_read_it_from_the_tree() {
    let app = TestApp::spawn().await;
    app.db
        .execute_unprepared("UPDATE evidence_head SET frontier = NULL")
        .await
        .unwrap();
    let admin = app.token(Role::Admin).await; // appends without the stored edge
    let created = app
        .post_json(
            "/api/v1/tokens",
            &admin,
            serde_json::json!({"name": "after", "role": "dpo"}),
        )
        .await;
    assert_eq!(created.status(), 201);
    evidence::verify::verify(&app.db, &app.keys)
        .await
        .expect("the tree stays one tree");
}
