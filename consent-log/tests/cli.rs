//! The `consent-log` commands a site owner runs, on a SQLite log filled over HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::*;

fn cli(db: &Db, dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_consent-log"))
        .args(args)
        .current_dir(dir)
        .env("CONSENT_LOG_DATABASE_URL", &db.url)
        .env("CONSENT_LOG_LOG_FORMAT", "text")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_owner_adds_texts_shows_exports_verifies_and_finds_tampering() {
    let db = database("sqlite").await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("site.json"),
        r#"{"policyUrl":"/privacy","texts":{"en":{"title":"Our cookies"}}}"#,
    )
    .unwrap();
    let (code, out, err) = cli(
        &db,
        dir.path(),
        &["texts", "add", "--config", "site.json", "--language", "en"],
    );
    assert_eq!(code, 0, "{err}");
    let (sha, rest) = out.trim().split_once(' ').unwrap();
    assert_eq!(rest, "en added");
    let (server, _) = start(&config(&db)).await;
    for i in 0..3 {
        let sha = sha.to_string();
        let body = receipt(&format!("cli-{i}"), move |v| v["textsSha256"] = sha.into());
        assert_eq!(post(server.addr, &body).await.status, 204);
    }
    server.shutdown().await;

    let (code, out, _) = cli(&db, dir.path(), &["show", "cli-1"]);
    assert_eq!(code, 0);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        report["receipts"][0]["texts"]["shown"]["title"],
        "Our cookies"
    );
    assert_eq!(cli(&db, dir.path(), &["show", "nobody"]).0, 1);

    let (code, out, _) = cli(
        &db,
        dir.path(),
        &[
            "export",
            "--from",
            "2000-01-01",
            "--to",
            "2100-12-31",
            "--format",
            "csv",
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 4, "{out}");
    let (_, out, _) = cli(
        &db,
        dir.path(),
        &["export", "--from", "2000-01-01", "--to", "2000-01-02"],
    );
    assert_eq!(out, "");

    let (code, out, _) = cli(&db, dir.path(), &["verify"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("ok: 3 rows verify from seq 1 to the head; head 3:"),
        "{out}"
    );
    let head = out.trim().rsplit("head ").next().unwrap().to_string();
    assert_eq!(cli(&db, dir.path(), &["verify", "--head", &head]).0, 0);

    let store = consent_log::store::Store::open(&db.url, None)
        .await
        .unwrap();
    sqlx::query("UPDATE receipts SET action = 'accept' WHERE seq = 2")
        .execute(store.pool())
        .await
        .unwrap();
    let (code, out, _) = cli(&db, dir.path(), &["verify"]);
    assert_eq!(code, 1);
    assert_eq!(
        out.trim(),
        "FAILED: first bad row: seq 2: altered: consent id cli-1: the content does not match its hash"
    );
    // Cut the tail and rewrite the head to match: only the published head shows it.
    sqlx::query("UPDATE receipts SET action = 'custom' WHERE seq = 2")
        .execute(store.pool())
        .await
        .unwrap();
    sqlx::query("DELETE FROM receipts WHERE seq = 3")
        .execute(store.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE chain_head SET seq = 2, hash = (SELECT hash FROM receipts WHERE seq = 2)")
        .execute(store.pool())
        .await
        .unwrap();
    assert_eq!(cli(&db, dir.path(), &["verify"]).0, 0);
    let (code, out, _) = cli(&db, dir.path(), &["verify", "--head", &head]);
    assert_eq!(code, 1);
    assert!(out.contains("is not in the log"), "{out}");
}

#[test]
fn configuration_comes_from_a_file_and_the_environment_with_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("log.toml"),
        "retention_days = 30\nunknown = 1\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_consent-log"))
        .args(["--config", "log.toml", "verify"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown field `unknown`"));
    let out = Command::new(env!("CARGO_BIN_EXE_consent-log"))
        .args(["purge"])
        .current_dir(dir.path())
        .env("CONSENT_LOG_RETENTION_DAYS", "x")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "consent-log: CONSENT_LOG_RETENTION_DAYS: not a number: \"x\""
    );
    std::fs::write(dir.path().join("log.toml"), "retention_days = 30\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_consent-log"))
        .args(["purge"])
        .current_dir(dir.path())
        .env("CONSENT_LOG_CONFIG", "log.toml")
        .env("CONSENT_LOG_DATABASE_URL", "sqlite://fresh.db")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "purged 0 receipts older than 30 days"
    );
    assert!(
        dir.path().join("fresh.db").exists(),
        "the SQLite file is created"
    );
}
