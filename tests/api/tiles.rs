//! The live log in C2SP tlog-tiles layout: hash tiles and entry bundles, for any width the tree
//! already holds.

use gallra::auth::Role;
use tlog_tiles::tile::Tile;
use tlog_tiles::tlog;

use crate::helpers::TestApp;

async fn tile(app: &TestApp, token: &str, path: &str) -> (u16, Vec<u8>) {
    let r = app
        .get(&format!("/api/v1/evidence/tile/{path}"), token)
        .await;
    (r.status().as_u16(), r.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn hash_tiles_and_entry_bundles_serve_the_log() {
    let app = TestApp::spawn().await;
    let now = gallra::clock::Clock::now(&*app.clock);
    let events: Vec<_> = (0..300)
        .map(|i| gallra::evidence::Event::TokenRevoked { token_id: i })
        .collect();
    let txn = gallra::db::begin_write(&app.db).await.unwrap();
    gallra::evidence::append_all(&txn, &events, now)
        .await
        .unwrap();
    txn.commit().await.unwrap();
    let auditor = app.token(Role::Auditor).await;
    let size = gallra::evidence::size(&app.db).await.unwrap();
    let entries = gallra::evidence::entries(&app.db, 0, 256).await.unwrap();

    let (status, level0) = tile(&app, &auditor, "0/000").await;
    assert_eq!((status, level0.len()), (200, 256 * 32));
    for (i, (_, e)) in entries.iter().enumerate() {
        assert_eq!(
            &level0[i * 32..i * 32 + 32],
            &tlog::record_hash(e.as_bytes()).0,
            "leaf {i}"
        );
    }
    let (status, bundle) = tile(&app, &auditor, "entries/000").await;
    assert_eq!(status, 200);
    let mut rest = &bundle[..];
    for (_, e) in &entries {
        let len = u16::from_be_bytes([rest[0], rest[1]]) as usize;
        assert_eq!(&rest[2..2 + len], e.as_bytes());
        rest = &rest[2 + len..];
    }
    assert!(rest.is_empty());
    // Level 1 holds the level-8 nodes: the first is the hash of the first full level-0 tile.
    let (status, level1) = tile(&app, &auditor, "1/000.p/1").await;
    assert_eq!(
        (status, &level1[..]),
        (200, &Tile::subtree_hash(&level0).0[..])
    );
    let (status, edge) = tile(&app, &auditor, &format!("0/001.p/{}", size - 256)).await;
    assert_eq!((status, edge.len() as u64), (200, (size - 256) * 32));
    let (status, narrower) = tile(&app, &auditor, "0/001.p/3").await;
    assert_eq!(
        (status, &narrower[..]),
        (200, &edge[..96]),
        "a partial tile of an older size"
    );

    for missing in [
        format!("0/001.p/{}", size - 255),
        "0/001".into(),
        "2/000.p/1".into(),
        "entries/002.p/1".into(),
    ] {
        assert_eq!(tile(&app, &auditor, &missing).await.0, 404, "{missing}");
    }
    for bad in ["0/0", "8/0/000", "0/000.p/256", "data/000", "0/x000/000"] {
        assert_eq!(tile(&app, &auditor, bad).await.0, 404, "{bad}");
    }
    let reviewer = app.token(Role::Reviewer).await;
    assert_eq!(tile(&app, &reviewer, "0/000").await.0, 403);
    assert_eq!(
        app.client
            .get(format!("{}/api/v1/evidence/tile/0/000", app.address))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
}
