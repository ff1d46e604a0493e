//! The collector end to end, over HTTP, against SQLite (`sqlite_*`) and a real PostgreSQL
//! (`postgres_*`, with `CONSENT_LOG_TEST_POSTGRES`; scripts/consent-log-postgres.sh starts one).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use consent_log::chain::{self, Content};
use consent_log::config::StoreClient;
use consent_log::server::now_ms;
use consent_log::store::Store;

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite_ { $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { super::$name("sqlite").await } )* }
        mod postgres_ { $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { super::$name("postgres").await } )* }
    };
}

on_both!(
    a_receipt_as_the_banner_sends_it_is_stored_and_acknowledged,
    bad_bodies_get_a_4xx_and_store_nothing,
    only_configured_origins_may_send,
    each_client_is_limited_without_its_ip_being_stored,
    verify_finds_an_altered_row,
    verify_finds_a_deleted_row,
    verify_finds_an_inserted_row,
    verify_finds_rows_cut_from_the_end_or_appended,
    a_keyed_chain_cannot_be_rehashed_without_the_key,
    retention_purges_old_rows_and_the_rest_still_verifies,
    export_streams_a_date_range_as_ndjson_and_csv,
    show_answers_what_a_consent_id_agreed_to_with_the_texts_shown,
    a_restart_continues_the_chain,
    shutdown_under_load_loses_no_acknowledged_receipt,
    the_client_network_is_stored_only_when_turned_on,
    two_collectors_on_one_database_keep_one_chain,
    known_texts_only_refuses_a_hash_nobody_added,
    the_server_purges_past_the_retention_period_by_itself,
);

async fn the_server_purges_past_the_retention_period_by_itself(kind: &str) {
    let db = database(kind).await;
    let store = Store::open(&db.url, None).await.unwrap();
    let old = |id: &str, days_ago: i64| Content {
        consent_id: id.into(),
        time_ms: now_ms() - days_ago * 86_400_000,
        received_ms: now_ms() - days_ago * 86_400_000,
        revision: 1,
        action: "accept".into(),
        source: "banner".into(),
        categories: r#"{"essential":true}"#.into(),
        language: "en".into(),
        texts_sha256: "0".repeat(64),
        client: None,
    };
    store
        .append(&[old("a", 40), old("b", 35), old("c", 10)])
        .await
        .unwrap();
    store.close().await;
    let mut c = config(&db);
    c.retention_days = 30;
    let (server, store) = start(&c).await;
    // The first purge runs at start.
    for _ in 0..50 {
        if store.count().await.unwrap() == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(store.count().await.unwrap(), 1);
    assert_eq!(post(server.addr, &receipt("d", |_| {})).await.status, 204);
    let v = store.verify().await.unwrap();
    assert_eq!((v.problem, v.from_seq, v.rows), (None, 2, 2));
    server.shutdown().await;
}

async fn known_texts_only_refuses_a_hash_nobody_added(kind: &str) {
    let db = database(kind).await;
    let mut c = config(&db);
    c.known_texts_only = true;
    let (server, store) = start(&c).await;
    let hashed = consent_log::texts::hash_site("{}", &["en".to_string()], None).unwrap();
    store
        .add_texts(&hashed[0].sha256, "en", &hashed[0].body, now_ms())
        .await
        .unwrap();
    let unknown = post(server.addr, &receipt("t", |_| {})).await;
    assert_eq!(unknown.status, 422);
    assert!(
        unknown.text().contains("unknown texts"),
        "{}",
        unknown.text()
    );
    let sha = hashed[0].sha256.clone();
    let known = post(
        server.addr,
        &receipt("t", |v| v["textsSha256"] = sha.into()),
    )
    .await;
    assert_eq!(known.status, 204);
    assert_eq!(store.count().await.unwrap(), 1);
    server.shutdown().await;
}

async fn two_collectors_on_one_database_keep_one_chain(kind: &str) {
    let db = database(kind).await;
    let (a, _) = start(&config(&db)).await;
    let (b, _) = start(&config(&db)).await;
    let mut sends = Vec::new();
    for i in 0..60 {
        let addr = if i % 2 == 0 { a.addr } else { b.addr };
        sends.push(tokio::spawn(async move {
            post(addr, &receipt(&format!("two-{i}"), |_| {}))
                .await
                .status
        }));
    }
    for s in sends {
        assert_eq!(s.await.unwrap(), 204);
    }
    a.shutdown().await;
    b.shutdown().await;
    let store = Store::open(&db.url, None).await.unwrap();
    let v = store.verify().await.unwrap();
    assert_eq!((v.problem, v.rows, v.head_seq), (None, 60, 60));
}

async fn a_receipt_as_the_banner_sends_it_is_stored_and_acknowledged(kind: &str) {
    let db = database(kind).await;
    let (server, store) = start(&config(&db)).await;
    let r = post(
        server.addr,
        &receipt("3f0c1c9e-8a51-4c1e-9a8e-2b0a7f5d6e41", |_| {}),
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.text());
    assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
    let rows = store
        .by_consent_id("3f0c1c9e-8a51-4c1e-9a8e-2b0a7f5d6e41")
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].content.categories,
        r#"{"essential":true,"functional":false,"statistics":true}"#
    );
    assert_eq!(rows[0].content.client, None);
    let health = request(server.addr, "GET", "/health", &[], b"").await;
    assert_eq!(health.status, 200);
    assert!(
        health.text().contains("\"accepted\":1"),
        "{}",
        health.text()
    );
    server.shutdown().await;
}

async fn bad_bodies_get_a_4xx_and_store_nothing(kind: &str) {
    let db = database(kind).await;
    let (server, store) = start(&config(&db)).await;
    let cases: Vec<(Vec<u8>, u16)> = vec![
        (b"".to_vec(), 400),
        (b"not json".to_vec(), 400),
        (b"[1,2]".to_vec(), 400),
        (receipt("a", |v| v["v"] = 2.into()), 422),
        (receipt("a", |v| v["extra"] = true.into()), 400),
        (receipt("a b", |_| {}), 422),
        (receipt(&"x".repeat(65), |_| {}), 422),
        (
            receipt("a", |v| v["time"] = (now_ms() - 3 * 86_400_000).into()),
            422,
        ),
        (
            receipt("a", |v| v["time"] = (now_ms() + 3 * 86_400_000).into()),
            422,
        ),
        (receipt("a", |v| v["time"] = (-1).into()), 400),
        (
            receipt("a", |v| v["action"] = "DROP TABLE receipts".into()),
            422,
        ),
        (receipt("a", |v| v["source"] = "storage".into()), 422),
        (
            receipt("a", |v| {
                v["categories"] = serde_json::json!({"<img>": true})
            }),
            422,
        ),
        (
            receipt("a", |v| v["categories"] = serde_json::json!(["essential"])),
            400,
        ),
        (receipt("a", |v| v["language"] = "en\nX".into()), 422),
        (receipt("a", |v| v["textsSha256"] = "zz".into()), 422),
        (vec![b'{'; 5000], 413),
        (b"{\"v\":1,\"v\":1}".to_vec(), 400),
    ];
    for (body, status) in &cases {
        let r = post(server.addr, body).await;
        assert_eq!(
            r.status,
            *status,
            "{} -> {}",
            String::from_utf8_lossy(body),
            r.text()
        );
    }
    let wrong_type = request(
        server.addr,
        "POST",
        "/receipts",
        &[
            ("Origin", ORIGIN),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        &receipt("a", |_| {}),
    )
    .await;
    assert_eq!(wrong_type.status, 415);
    let get = request(server.addr, "GET", "/receipts", &[("Origin", ORIGIN)], b"").await;
    assert_eq!(get.status, 405);
    assert_eq!(store.count().await.unwrap(), 0);
    server.shutdown().await;
}

async fn only_configured_origins_may_send(kind: &str) {
    let db = database(kind).await;
    let (server, store) = start(&config(&db)).await;
    let body = receipt("a", |_| {});
    let other = request(
        server.addr,
        "POST",
        "/receipts",
        &[
            ("Origin", "http://evil.test"),
            ("Content-Type", "text/plain"),
        ],
        &body,
    )
    .await;
    assert_eq!(other.status, 403);
    assert_eq!(other.header("access-control-allow-origin"), None);
    let none = request(
        server.addr,
        "POST",
        "/receipts",
        &[("Content-Type", "text/plain")],
        &body,
    )
    .await;
    assert_eq!(none.status, 403);
    let preflight = request(
        server.addr,
        "OPTIONS",
        "/receipts",
        &[
            ("Origin", ORIGIN),
            ("Access-Control-Request-Method", "POST"),
        ],
        b"",
    )
    .await;
    assert_eq!(preflight.status, 204);
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some(ORIGIN)
    );
    assert_eq!(
        preflight.header("access-control-allow-methods"),
        Some("POST")
    );
    let bad_preflight = request(
        server.addr,
        "OPTIONS",
        "/receipts",
        &[("Origin", "http://evil.test")],
        b"",
    )
    .await;
    assert_eq!(bad_preflight.status, 403);
    assert_eq!(store.count().await.unwrap(), 0);
    assert_eq!(post(server.addr, &body).await.status, 204);
    assert_eq!(store.count().await.unwrap(), 1);
    server.shutdown().await;
}

async fn each_client_is_limited_without_its_ip_being_stored(kind: &str) {
    let db = database(kind).await;
    let mut c = config(&db);
    c.rate_per_minute = 60;
    c.rate_burst = 5;
    c.client_ip_header = Some("x-forwarded-for".into());
    let (server, store) = start(&c).await;
    let addr = server.addr;
    let send = move |ip: &'static str| {
        let body = receipt("limited", |_| {});
        async move {
            request(
                addr,
                "POST",
                "/receipts",
                &[
                    ("Origin", ORIGIN),
                    ("Content-Type", "text/plain"),
                    ("X-Forwarded-For", ip),
                ],
                &body,
            )
            .await
            .status
        }
    };
    let mut statuses = Vec::new();
    for _ in 0..7 {
        statuses.push(send("203.0.113.7").await);
    }
    assert_eq!(statuses, [204, 204, 204, 204, 204, 429, 429]);
    assert_eq!(
        send("198.51.100.1").await,
        204,
        "another client has its own budget"
    );
    assert_eq!(store.count().await.unwrap(), 6);
    let dump = dump_text(&store).await;
    assert!(!dump.contains("203.0.113") && !dump.contains("198.51.100"));
    server.shutdown().await;
}

/// Every text column of every row, for "is this string stored anywhere".
async fn dump_text(store: &Store) -> String {
    let mut out = String::new();
    for row in store.export(0, i64::MAX).collect_rows().await {
        out.push_str(&format!("{row:?}\n"));
    }
    out
}

trait CollectRows {
    async fn collect_rows(self) -> Vec<consent_log::store::Row>;
}
impl CollectRows
    for futures_util::stream::BoxStream<'static, Result<consent_log::store::Row, sqlx::Error>>
{
    async fn collect_rows(self) -> Vec<consent_log::store::Row> {
        use futures_util::TryStreamExt;
        self.try_collect().await.unwrap()
    }
}

async fn filled(kind: &str, n: usize) -> (Db, Store) {
    let db = database(kind).await;
    let (server, _) = start(&config(&db)).await;
    for i in 0..n {
        assert_eq!(
            post(server.addr, &receipt(&format!("id-{i}"), |_| {}))
                .await
                .status,
            204
        );
    }
    server.shutdown().await;
    let store = Store::open(&db.url, None).await.unwrap();
    assert_eq!(store.verify().await.unwrap().problem, None);
    (db, store)
}

async fn first_problem(store: &Store) -> (i64, &'static str) {
    let p = store.verify().await.unwrap().problem.expect("a problem");
    (p.seq, p.kind)
}

async fn exec(store: &Store, sql: &str) {
    sqlx::query(sql).execute(store.pool()).await.unwrap();
}

async fn verify_finds_an_altered_row(kind: &str) {
    let (_db, store) = filled(kind, 6).await;
    exec(
        &store,
        "UPDATE receipts SET categories = '{\"essential\":true,\"statistics\":true}' WHERE seq = 4",
    )
    .await;
    assert_eq!(first_problem(&store).await, (4, "altered"));
}

async fn verify_finds_a_deleted_row(kind: &str) {
    let (_db, store) = filled(kind, 6).await;
    exec(&store, "DELETE FROM receipts WHERE seq = 3").await;
    let p = store.verify().await.unwrap().problem.unwrap();
    assert_eq!((p.seq, p.kind), (4, "deleted"));
    assert_eq!(p.detail, "rows 3..3 are missing");
}

async fn verify_finds_an_inserted_row(kind: &str) {
    let (_db, store) = filled(kind, 6).await;
    // A forger who knows the scheme: rows 3.. move up one, a row linked to row 2 goes in at 3.
    exec(
        &store,
        "UPDATE receipts SET seq = seq + 1000 WHERE seq >= 3",
    )
    .await;
    exec(
        &store,
        "UPDATE receipts SET seq = seq - 999 WHERE seq >= 1000",
    )
    .await;
    let row2 = store.by_consent_id("id-1").await.unwrap().remove(0);
    let forged = Content {
        consent_id: "forged".into(),
        action: "accept".into(),
        ..row2.content.clone()
    };
    let hash = chain::link(None, &row2.hash, &forged);
    sqlx::query(
        "INSERT INTO receipts (seq, consent_id, time_ms, received_ms, revision, action, source, \
         categories, language, texts_sha256, client, prev_hash, hash) \
         VALUES (3, $1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10, $11)",
    )
    .bind(&forged.consent_id)
    .bind(forged.time_ms)
    .bind(forged.received_ms)
    .bind(forged.revision)
    .bind(&forged.action)
    .bind(&forged.source)
    .bind(&forged.categories)
    .bind(&forged.language)
    .bind(&forged.texts_sha256)
    .bind(&row2.hash)
    .bind(&hash)
    .execute(store.pool())
    .await
    .unwrap();
    assert_eq!(first_problem(&store).await, (3, "inserted"));
}

async fn verify_finds_rows_cut_from_the_end_or_appended(kind: &str) {
    let (_db, store) = filled(kind, 5).await;
    exec(&store, "DELETE FROM receipts WHERE seq >= 4").await;
    let p = store.verify().await.unwrap().problem.unwrap();
    assert_eq!((p.seq, p.kind), (4, "deleted"));
    assert_eq!(p.detail, "rows 4..5 are missing (the head is at 5)");

    let (_db, store) = filled(kind, 3).await;
    let last = store.by_consent_id("id-2").await.unwrap().remove(0);
    let forged = Content {
        consent_id: "late".into(),
        ..last.content.clone()
    };
    let hash = chain::link(None, &last.hash, &forged);
    sqlx::query(
        "INSERT INTO receipts (seq, consent_id, time_ms, received_ms, revision, action, source, \
         categories, language, texts_sha256, client, prev_hash, hash) \
         SELECT 4, 'late', time_ms, received_ms, revision, action, source, categories, language, \
         texts_sha256, client, hash, $1 FROM receipts WHERE seq = 3",
    )
    .bind(&hash)
    .execute(store.pool())
    .await
    .unwrap();
    assert_eq!(first_problem(&store).await, (4, "inserted"));
}

async fn a_keyed_chain_cannot_be_rehashed_without_the_key(kind: &str) {
    let db = database(kind).await;
    let mut c = config(&db);
    c.chain_key = Some("the operator's secret".into());
    let (server, _) = start(&c).await;
    for i in 0..4 {
        assert_eq!(
            post(server.addr, &receipt(&format!("k-{i}"), |_| {}))
                .await
                .status,
            204
        );
    }
    server.shutdown().await;
    let store = Store::open(&db.url, c.key()).await.unwrap();
    assert_eq!(store.verify().await.unwrap().problem, None);
    // Alter row 2 and recompute its hash as an unkeyed chain would: still found.
    let mut row = store.by_consent_id("k-1").await.unwrap().remove(0);
    row.content.action = "accept".into();
    let rehashed = chain::link(None, &row.prev_hash, &row.content);
    sqlx::query("UPDATE receipts SET action = 'accept', hash = $1 WHERE seq = 2")
        .bind(&rehashed)
        .execute(store.pool())
        .await
        .unwrap();
    assert_eq!(first_problem(&store).await, (2, "altered"));
    // And without the key, nothing verifies: the key matters.
    let unkeyed = Store::open(&db.url, None).await.unwrap();
    assert_eq!(first_problem(&unkeyed).await.1, "altered");
}

async fn retention_purges_old_rows_and_the_rest_still_verifies(kind: &str) {
    let db = database(kind).await;
    let (server, store) = start(&config(&db)).await;
    for i in 0..4 {
        assert_eq!(
            post(server.addr, &receipt(&format!("old-{i}"), |_| {}))
                .await
                .status,
            204
        );
    }
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let cutoff = now_ms();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    for i in 0..3 {
        assert_eq!(
            post(server.addr, &receipt(&format!("new-{i}"), |_| {}))
                .await
                .status,
            204
        );
    }
    assert_eq!(store.purge(cutoff, now_ms()).await.unwrap(), 4);
    assert_eq!(
        store.purge(cutoff, now_ms()).await.unwrap(),
        0,
        "twice is a no-op"
    );
    let v = store.verify().await.unwrap();
    assert_eq!((v.problem, v.rows, v.from_seq, v.head_seq), (None, 3, 4, 7));
    assert!(store.by_consent_id("old-0").await.unwrap().is_empty());
    // New receipts keep chaining after a purge.
    assert_eq!(
        post(server.addr, &receipt("after", |_| {})).await.status,
        204
    );
    assert_eq!(store.verify().await.unwrap().problem, None);
    server.shutdown().await;
    let store = Store::open(&db.url, None).await.unwrap();
    // A forged checkpoint (to hide more deleted rows) is found.
    exec(&store, "DELETE FROM receipts WHERE seq = 5").await;
    exec(&store, "UPDATE checkpoints SET seq = 5").await;
    assert_eq!(first_problem(&store).await.1, "checkpoint");
}

async fn export_streams_a_date_range_as_ndjson_and_csv(kind: &str) {
    let db = database(kind).await;
    let (server, _) = start(&config(&db)).await;
    let now = now_ms();
    let yesterday = now - 20 * 3_600_000;
    for i in 0..5 {
        let t = if i < 2 { yesterday } else { now };
        assert_eq!(
            post(
                server.addr,
                &receipt(&format!("e-{i}"), |v| v["time"] = t.into())
            )
            .await
            .status,
            204
        );
    }
    let auth = ("Authorization", "Bearer a-long-admin-token-for-tests");
    let path = format!(
        "/api/export?from={}&to={}",
        now - 3_600_000,
        now + 3_600_000
    );
    let nd = request(server.addr, "GET", &path, &[auth], b"").await;
    assert_eq!(nd.status, 200);
    assert_eq!(nd.header("content-type"), Some("application/x-ndjson"));
    let lines: Vec<serde_json::Value> = nd
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<&str> = lines
        .iter()
        .map(|l| l["consentId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["e-2", "e-3", "e-4"]);
    assert_eq!(lines[0]["categories"]["statistics"], true);
    let csv = request(
        server.addr,
        "GET",
        &format!("{path}&format=csv"),
        &[auth],
        b"",
    )
    .await;
    let text = csv.text();
    let mut csv_lines = text.lines();
    assert!(csv_lines
        .next()
        .unwrap()
        .starts_with("seq,consent_id,time,"));
    assert!(csv_lines.next().unwrap().contains(",e-2,"));
    assert_eq!(text.lines().count(), 4);
    assert!(text.contains("\"{\"\"essential\"\":true,"), "{text}");
    let all = request(
        server.addr,
        "GET",
        &format!("/api/export?from=0&to={}", now + 1),
        &[auth],
        b"",
    )
    .await;
    assert_eq!(all.text().lines().count(), 5);
    let denied = request(server.addr, "GET", &path, &[], b"").await;
    assert_eq!(denied.status, 401);
    let wrong = request(
        server.addr,
        "GET",
        &path,
        &[("Authorization", "Bearer a-long-admin-token-for-testz")],
        b"",
    )
    .await;
    assert_eq!(wrong.status, 401);
    let bad = request(server.addr, "GET", "/api/export?from=x&to=y", &[auth], b"").await;
    assert_eq!(bad.status, 400);
    server.shutdown().await;
}

async fn show_answers_what_a_consent_id_agreed_to_with_the_texts_shown(kind: &str) {
    let db = database(kind).await;
    let (server, store) = start(&config(&db)).await;
    let site = r#"{"policyUrl":"/privacy","texts":{"en":{"title":"Cookies here"}}}"#;
    let hashed = consent_log::texts::hash_site(site, &["en".to_string()], None).unwrap();
    assert!(store
        .add_texts(&hashed[0].sha256, "en", &hashed[0].body, now_ms())
        .await
        .unwrap());
    assert!(!store
        .add_texts(&hashed[0].sha256, "en", &hashed[0].body, now_ms())
        .await
        .unwrap());
    let sha = hashed[0].sha256.clone();
    let body = receipt("who", |v| v["textsSha256"] = sha.clone().into());
    assert_eq!(post(server.addr, &body).await.status, 204);
    let body = receipt("who", |v| {
        v["textsSha256"] = sha.clone().into();
        v["action"] = "withdraw".into();
        v["categories"]["statistics"] = false.into();
    });
    assert_eq!(post(server.addr, &body).await.status, 204);
    let auth = ("Authorization", "Bearer a-long-admin-token-for-tests");
    let r = request(server.addr, "GET", "/api/consents/who", &[auth], b"").await;
    assert_eq!(r.status, 200);
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    let receipts = v["receipts"].as_array().unwrap();
    assert_eq!(receipts.len(), 2);
    assert_eq!(receipts[1]["action"], "withdraw");
    assert_eq!(receipts[0]["texts"]["shown"]["title"], "Cookies here");
    assert_eq!(receipts[0]["texts"]["shown"]["policyUrl"], "/privacy");
    assert_eq!(
        request(server.addr, "GET", "/api/consents/nobody", &[auth], b"")
            .await
            .status,
        404
    );
    assert_eq!(
        request(server.addr, "GET", "/api/consents/who", &[], b"")
            .await
            .status,
        401
    );
    server.shutdown().await;
}

async fn a_restart_continues_the_chain(kind: &str) {
    let db = database(kind).await;
    let c = config(&db);
    for round in 0..3 {
        let (server, _) = start(&c).await;
        for i in 0..4 {
            assert_eq!(
                post(server.addr, &receipt(&format!("r{round}-{i}"), |_| {}))
                    .await
                    .status,
                204
            );
        }
        server.shutdown().await;
    }
    let store = Store::open(&db.url, None).await.unwrap();
    let v = store.verify().await.unwrap();
    assert_eq!((v.problem, v.rows, v.head_seq), (None, 12, 12));
}

async fn shutdown_under_load_loses_no_acknowledged_receipt(kind: &str) {
    let db = database(kind).await;
    let (server, _) = start(&config(&db)).await;
    let addr = server.addr;
    let mut senders = Vec::new();
    for t in 0..16 {
        senders.push(tokio::spawn(async move {
            let mut acked = Vec::new();
            for i in 0..200 {
                let id = format!("s{t}-{i}");
                let r = tokio::time::timeout(
                    std::time::Duration::from_secs(5),
                    try_post(addr, &receipt(&id, |_| {})),
                )
                .await;
                match r {
                    Ok(Some(204)) => acked.push(id),
                    Ok(Some(_)) | Ok(None) | Err(_) => break,
                }
            }
            acked
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    server.shutdown().await;
    let mut acked = Vec::new();
    for s in senders {
        acked.extend(s.await.unwrap());
    }
    assert!(!acked.is_empty());
    let store = Store::open(&db.url, None).await.unwrap();
    for id in &acked {
        assert_eq!(
            store.by_consent_id(id).await.unwrap().len(),
            1,
            "acked {id} is stored"
        );
    }
    assert_eq!(store.verify().await.unwrap().problem, None);
}

/// Like `post`, but a refused or cut connection is `None` instead of a panic.
async fn try_post(addr: std::net::SocketAddr, body: &[u8]) -> Option<u16> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await.ok()?;
    let head = format!(
        "POST /receipts HTTP/1.1\r\nHost: x\r\nConnection: close\r\nOrigin: {ORIGIN}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.ok()?;
    s.write_all(body).await.ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.ok()?;
    let text = String::from_utf8_lossy(&raw);
    text.split(' ').nth(1)?.parse().ok()
}

async fn the_client_network_is_stored_only_when_turned_on(kind: &str) {
    let db = database(kind).await;
    let mut c = config(&db);
    c.store_client = StoreClient::Truncated;
    let (server, store) = start(&c).await;
    assert_eq!(post(server.addr, &receipt("net", |_| {})).await.status, 204);
    let rows = store.by_consent_id("net").await.unwrap();
    assert_eq!(rows[0].content.client.as_deref(), Some("127.0.0.0/24"));
    server.shutdown().await;
}
