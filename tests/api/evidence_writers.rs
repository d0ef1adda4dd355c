//! How events enter the evidence tree: with their change or not at all, straight in or through
//! the queue, in commit order, under concurrent writers and replicas, and after failures.

use gallra::auth::{token, Role};
use gallra::evidence;
use sea_orm::{ConnectionTrait, TransactionTrait};

use crate::evidence::cli_verify;
use crate::helpers::TestApp;

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

#[tokio::test]
async fn a_replica_with_another_key_or_none_is_refused_at_start() {
    let app = TestApp::spawn().await;
    let elsewhere = tempfile::tempdir().unwrap();
    let urls = std::collections::HashMap::new();
    let other = crate::helpers::settings(&app.database_url, elsewhere.path(), None, urls);
    let start = || gallra::context::open(&other, app.clock.clone());
    let key = elsewhere.path().join("installation.key");
    let signing = elsewhere.path().join("evidence-signing.key");
    // No key in its folder, on a store already used: refused, and no key is left there that
    // a second start would take.
    let refused = format!("{:#}", start().await.err().unwrap());
    assert!(refused.contains("no installation key at"), "{refused}");
    assert!(
        refused.contains("gallra keys rekey --installation"),
        "{refused}"
    );
    assert!(!key.exists() && !signing.exists());
    // Another key: refused.
    std::fs::write(&key, format!("{}\n", "ab".repeat(32))).unwrap();
    let refused = format!("{:#}", start().await.err().unwrap());
    assert!(
        refused.contains("is not the one this store was first used with"),
        "{refused}"
    );
    // The installation's own key (a copy), but no signing key: refused, and none left behind.
    std::fs::copy(app.dir.path().join("installation.key"), &key).unwrap();
    let refused = format!("{:#}", start().await.err().unwrap());
    assert!(refused.contains("no evidence signing key at"), "{refused}");
    assert!(!signing.exists());
    // Another signing key: refused.
    let (other_key, _) = signed_note::generate_key(&mut rand_core::OsRng, "gallra.local/evidence");
    std::fs::write(&signing, format!("{other_key}\n")).unwrap();
    let refused = format!("{:#}", start().await.err().unwrap());
    assert!(
        refused.contains("evidence signing key") && refused.contains("is not the one"),
        "{refused}"
    );
    // Both of the installation's own keys: taken.
    std::fs::copy(app.dir.path().join("evidence-signing.key"), &signing).unwrap();
    start().await.unwrap();
}
