//! The evidence ledger: entries per change, signed checkpoints an independent verifier accepts,
//! proofs that check against them, atomicity with the change, tampering caught by index.

use base64::Engine;
use gallra::auth::{token, Role};
use gallra::evidence;
use sea_orm::{ConnectionTrait, TransactionTrait};
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
    assert_eq!(bad.status(), 400);
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

#[tokio::test]
async fn a_change_and_its_evidence_commit_together_or_not_at_all() {
    let app = TestApp::spawn_with(None).await;
    let now = gallra::clock::Clock::now(&*app.clock);
    // Rolled back after the evidence was appended: neither stays.
    let txn = app.db.begin().await.unwrap();
    token::create(&txn, "rolled-back", Role::Dpo, now)
        .await
        .unwrap();
    txn.rollback().await.unwrap();
    assert_eq!(evidence::size(&app.db).await.unwrap(), 0);
    assert!(token::list(&app.db).await.unwrap().is_empty());
    // Committed: the event is in the tree with the change.
    let txn = app.db.begin().await.unwrap();
    token::create(&txn, "kept", Role::Dpo, now).await.unwrap();
    txn.commit().await.unwrap();
    assert_eq!(evidence::size(&app.db).await.unwrap(), 1);
    // Recording the event fails midway: the change does not stay either.
    app.db
        .execute_unprepared("ALTER TABLE evidence_hashes RENAME TO evidence_hashes_away")
        .await
        .unwrap();
    let txn = app.db.begin().await.unwrap();
    assert!(token::create(&txn, "no-evidence", Role::Dpo, now)
        .await
        .is_err());
    drop(txn);
    let names: Vec<String> = token::list(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, ["kept"]);
    assert_eq!(evidence::size(&app.db).await.unwrap(), 1);
}

/// On PostgreSQL a transaction that finds the tree's head taken queues its event instead of
/// waiting. A queued event that fails to enter the tree stays queued, and the next process to
/// start takes it. (SQLite's writers take turns, so there an event always goes straight in.)
#[tokio::test]
async fn a_queued_event_survives_a_failed_integration() {
    let app = TestApp::spawn_with(None).await;
    if app.db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return;
    }
    let now = gallra::clock::Clock::now(&*app.clock);
    let holder = app.db.begin().await.unwrap();
    holder
        .execute_unprepared("SELECT size FROM evidence_head WHERE id = 1 FOR UPDATE")
        .await
        .unwrap();
    let txn = app.db.begin().await.unwrap();
    token::create(&txn, "queued", Role::Dpo, now).await.unwrap();
    txn.commit().await.unwrap();
    holder.rollback().await.unwrap();
    // The head is free now, but an event committed earlier waits: a later one queues behind it
    // instead of overtaking it into the tree.
    let txn = app.db.begin().await.unwrap();
    token::create(&txn, "later", Role::Dpo, now).await.unwrap();
    txn.commit().await.unwrap();
    assert_eq!(evidence::pending(&app.db).await.unwrap(), 2);
    assert_eq!(evidence::size(&app.db).await.unwrap(), 0);
    let rename = |from: &str, to: &str| format!("ALTER TABLE {from} RENAME TO {to}");
    let away = |t: &str| rename(t, &format!("{t}_away"));
    let back = |t: &str| rename(&format!("{t}_away"), t);
    app.db
        .execute_unprepared(&away("evidence_hashes"))
        .await
        .unwrap();
    assert!(evidence::integrate(&app.db).await.is_err());
    assert_eq!(evidence::pending(&app.db).await.unwrap(), 2);
    assert_eq!(evidence::size(&app.db).await.unwrap(), 0);
    app.db
        .execute_unprepared(&back("evidence_hashes"))
        .await
        .unwrap();
    // Verification says what is queued: committed, not in the tree yet.
    let summary = evidence::verify::verify(&app.db, &app.keys)
        .await
        .expect("verifies");
    assert_eq!((summary.entries, summary.queued), (0, 2));
    // Signing fails: the events still go into the tree, in the order they committed.
    app.db
        .execute_unprepared(&away("evidence_checkpoints"))
        .await
        .unwrap();
    assert!(evidence::sign_checkpoint(&app.db, &app.keys, now)
        .await
        .is_err());
    app.db
        .execute_unprepared(&back("evidence_checkpoints"))
        .await
        .unwrap();
    assert_eq!(evidence::pending(&app.db).await.unwrap(), 0);
    assert_eq!(evidence::size(&app.db).await.unwrap(), 2);
    // Tokens are listed by id: "queued", then "later".
    let ids: Vec<String> = token::list(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|t| format!("\"token_id\":{}", t.id))
        .collect();
    for (index, id) in ids.iter().enumerate() {
        let entry = evidence::entry(&app.db, index as u64)
            .await
            .unwrap()
            .unwrap();
        assert!(entry.contains(id.as_str()), "entry {index}: {entry}");
    }
    // As if this process had stopped: the next one to start signs.
    let (_replica, _) = app.spawn_replica().await;
    let signed = evidence::latest_checkpoint(&app.db).await.unwrap().unwrap();
    assert_eq!(signed.tree_size, 2);
    evidence::verify::verify(&app.db, &app.keys)
        .await
        .expect("verifies");
}

/// Two logs in one process, events recorded in transactions that commit or roll back: only the
/// committed ones reach each store's tree, and each tree stays one tree.
#[tokio::test]
async fn only_committed_events_reach_the_tree() {
    let (a, b) = (
        TestApp::spawn_with(None).await,
        TestApp::spawn_with(None).await,
    );
    let now = gallra::clock::Clock::now(&*a.clock);
    for i in 0..40 {
        let app = if i % 2 == 0 { &a } else { &b };
        let txn = app.db.begin().await.unwrap();
        token::create(&txn, &format!("t{i}"), Role::Auditor, now)
            .await
            .unwrap();
        if i % 7 == 3 {
            txn.rollback().await.unwrap();
        } else {
            txn.commit().await.unwrap();
        }
    }
    for app in [&a, &b] {
        evidence::sign_checkpoint(&app.db, &app.keys, now)
            .await
            .unwrap();
        let summary = evidence::verify::verify(&app.db, &app.keys)
            .await
            .expect("one consistent tree per store");
        assert_eq!(summary.entries, evidence::size(&app.db).await.unwrap());
        assert!(cli_verify(app).0);
    }
    let kept = (0..40).filter(|i| i % 7 != 3).count() as u64;
    let total = evidence::size(&a.db).await.unwrap() + evidence::size(&b.db).await.unwrap();
    assert_eq!(total, kept);
}

#[tokio::test]
async fn concurrent_writers_keep_the_log_contiguous_and_verifiable() {
    let app = TestApp::spawn_with(None).await;
    let now = gallra::clock::Clock::now(&*app.clock);
    let mut tasks = Vec::new();
    for i in 0..16 {
        let db = app.db.clone();
        tasks.push(tokio::spawn(async move {
            for j in 0..5 {
                let txn = db.begin().await.unwrap();
                token::create(&txn, &format!("w{i}-{j}"), Role::Auditor, now)
                    .await
                    .unwrap();
                txn.commit().await.unwrap();
                // As after every commit that recorded evidence: integrations race each other.
                evidence::integrate(&db).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(evidence::size(&app.db).await.unwrap(), 80);
    assert_eq!(evidence::pending(&app.db).await.unwrap(), 0);
    evidence::sign_checkpoint(&app.db, &app.keys, now)
        .await
        .unwrap();
    let summary = evidence::verify::verify(&app.db, &app.keys)
        .await
        .expect("verifies");
    assert_eq!(summary.entries, 80);
}

/// Callers that commit at once share integrations, yet each returns only once its own event is
/// in the tree under a signed checkpoint.
#[tokio::test]
async fn each_caller_returns_with_its_event_in_a_signed_tree() {
    let app = TestApp::spawn_with(None).await;
    let now = gallra::clock::Clock::now(&*app.clock);
    let sequencer = evidence::Sequencer::default();
    let mut tasks = Vec::new();
    for i in 0..12 {
        let (db, keys, sequencer) = (app.db.clone(), app.keys.clone(), sequencer.clone());
        tasks.push(tokio::spawn(async move {
            for j in 0..4 {
                let txn = db.begin().await.unwrap();
                let (view, _) = token::create(&txn, &format!("c{i}-{j}"), Role::Auditor, now)
                    .await
                    .unwrap();
                sequencer
                    .commit_and_sign(txn, &db, &keys, now)
                    .await
                    .unwrap();
                let signed = evidence::latest_checkpoint(&db).await.unwrap().unwrap();
                let entries = evidence::entries(&db, 0, signed.tree_size as u64)
                    .await
                    .unwrap();
                let mine = format!("\"token_id\":{}", view.id);
                assert!(
                    entries.iter().any(|(_, body)| body.contains(&mine)),
                    "token {} is not in the signed tree of {}",
                    view.id,
                    signed.tree_size
                );
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(evidence::size(&app.db).await.unwrap(), 48);
    assert_eq!(evidence::pending(&app.db).await.unwrap(), 0);
    let summary = evidence::verify::verify(&app.db, &app.keys)
        .await
        .expect("verifies");
    assert_eq!(summary.entries, 48);
}

#[tokio::test]
async fn two_replicas_on_one_store_extend_one_tree() {
    let app = TestApp::spawn().await;
    let (replica, _) = app.spawn_replica().await;
    let admin = app.token(Role::Admin).await;
    let before = evidence::size(&app.db).await.unwrap();
    let mut requests = Vec::new();
    for i in 0..24 {
        let base = if i % 2 == 0 {
            app.address.clone()
        } else {
            replica.clone()
        };
        let (client, admin) = (app.client.clone(), admin.clone());
        requests.push(tokio::spawn(async move {
            let body = serde_json::json!({"name": format!("r{i}"), "role": "auditor"});
            client
                .post(format!("{base}/api/v1/tokens"))
                .bearer_auth(admin)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    for r in requests {
        assert_eq!(r.await.unwrap(), 201);
    }
    assert_eq!(evidence::size(&app.db).await.unwrap(), before + 24);
    let summary = evidence::verify::verify(&app.db, &app.keys)
        .await
        .expect("one consistent tree");
    assert!(summary.checkpoints >= 2);
    assert!(cli_verify(&app).0);
}

/// Run `gallra evidence verify` against the app's store and key.
fn cli_verify(app: &TestApp) -> (bool, String) {
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
