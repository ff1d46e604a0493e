//! `consent-log`: the receipt collector and its commands. `consent-log help` lists them.

use std::io::Write;
use std::process::ExitCode;

use consent_log::config::Config;
use consent_log::server::{self, now_ms};
use consent_log::store::Store;
use consent_log::{export, texts};
use futures_util::StreamExt;

const USAGE: &str = "consent-log: keeps the consent banner's receipts and proves them

usage: consent-log [--config FILE] COMMAND
  serve                         receive receipts (POST /receipts), /health, /api/*
  verify [--head SEQ:HASH]      walk the chain; exit 1 at the first altered, inserted or deleted row
  show CONSENT_ID               every receipt of one consent id, with the texts shown (JSON)
  export --from DAY --to DAY [--format ndjson|csv]
                                receipts by decision day (YYYY-MM-DD, both inclusive), streamed
  texts add --config SITE.json [--lang-dir DIST/lang] [--language L]...
                                store the texts the banner shows for this site config, by hash
                                (the language files of your dist/: default ./dist/lang)
  purge [--days N]              remove receipts older than N days (default: retention_days)
  migrate                       create or update the schema, then exit

The config file (TOML; or CONSENT_LOG_CONFIG) and CONSENT_LOG_* variables set database_url,
listen, allowed_origins, admin_token, chain_key, retention_days, ... (README, \"Consent log\").";

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut config_path = std::env::var("CONSENT_LOG_CONFIG").ok();
    if args.first().map(String::as_str) == Some("--config") && args.len() >= 2 {
        config_path = Some(args.remove(1));
        args.remove(0);
    }
    if args.is_empty() || matches!(args[0].as_str(), "help" | "--help" | "-h") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let config = match Config::load(config_path.as_deref(), std::env::vars()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("consent-log: {e}");
            return ExitCode::from(2);
        }
    };
    init_logs(&config);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("consent-log: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(config, args)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("consent-log: {e}");
            ExitCode::FAILURE
        }
    }
}

fn init_logs(config: &Config) {
    let builder = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(tracing::Level::INFO);
    if config.log_format == "json" {
        builder.json().flatten_event(true).init();
    } else {
        builder.init();
    }
}

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn flags(args: &[String], name: &str) -> Vec<String> {
    args.windows(2)
        .filter(|w| w[0] == name)
        .map(|w| w[1].clone())
        .collect()
}

async fn open(config: &Config) -> Result<Store, String> {
    Store::open(&config.database_url, config.key())
        .await
        .map_err(|e| format!("database: {e}"))
}

async fn run(config: Config, args: Vec<String>) -> Result<ExitCode, String> {
    let rest = &args[1..];
    match args[0].as_str() {
        "serve" => serve(config).await,
        "migrate" => {
            open(&config).await?.close().await;
            println!("schema up to date");
            Ok(ExitCode::SUCCESS)
        }
        "verify" => {
            let store = open(&config).await?;
            let v = store.verify().await.map_err(|e| e.to_string())?;
            let mut ok = v.problem.is_none();
            if let Some(p) = &v.problem {
                println!("FAILED: first bad row: {p}");
            } else {
                println!(
                    "ok: {} rows verify from seq {} to the head; head {}:{}",
                    v.rows,
                    v.from_seq + 1,
                    v.head_seq,
                    v.head_hash
                );
            }
            if let Some(anchor) = flag(rest, "--head") {
                // A head published earlier must still be in the chain (or purged behind a checkpoint).
                let (seq, hash) = anchor
                    .split_once(':')
                    .ok_or("--head: SEQ:HASH, as verify printed it")?;
                let seq: i64 = seq.parse().map_err(|_| "--head: SEQ:HASH")?;
                let found = sqlx::query("SELECT hash FROM receipts WHERE seq = $1")
                    .bind(seq)
                    .fetch_optional(store.pool())
                    .await
                    .map_err(|e| e.to_string())?;
                let stored: Option<String> = found.map(|r| sqlx::Row::get(&r, "hash"));
                if seq <= v.from_seq {
                    println!(
                        "head {seq} was purged by retention (checkpoint {})",
                        v.from_seq
                    );
                } else if stored.as_deref() != Some(hash) {
                    ok = false;
                    println!("FAILED: the published head {seq}:{hash} is not in the log (rows deleted or rewritten)");
                } else {
                    println!("published head {seq} is in the chain");
                }
            }
            store.close().await;
            Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        "show" => {
            let id = rest.first().ok_or("show: CONSENT_ID")?;
            let store = open(&config).await?;
            let report = server::consent_report(&store, id)
                .await
                .map_err(|e| e.to_string())?;
            store.close().await;
            let found = report["receipts"].as_array().is_some_and(|r| !r.is_empty());
            println!(
                "{}",
                serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
            );
            Ok(if found {
                ExitCode::SUCCESS
            } else {
                eprintln!("consent-log: no receipt for {id}");
                ExitCode::FAILURE
            })
        }
        "export" => {
            let from = flag(rest, "--from").ok_or("export: --from DAY")?;
            let to = flag(rest, "--to").ok_or("export: --to DAY")?;
            let csv = match flag(rest, "--format").as_deref() {
                None | Some("ndjson") => false,
                Some("csv") => true,
                Some(f) => return Err(format!("export: --format ndjson or csv, not {f:?}")),
            };
            let (from, to) = server::range(&from, &to)?;
            let store = open(&config).await?;
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            if csv {
                out.write_all(export::CSV_HEADER.as_bytes())
                    .map_err(|e| e.to_string())?;
            }
            let mut rows = store.export(from, to);
            let mut n = 0u64;
            while let Some(row) = rows.next().await {
                let row = row.map_err(|e| e.to_string())?;
                let line = if csv {
                    export::csv(&row)
                } else {
                    export::json(&row).to_string() + "\n"
                };
                out.write_all(line.as_bytes()).map_err(|e| e.to_string())?;
                n += 1;
            }
            out.flush().map_err(|e| e.to_string())?;
            eprintln!("consent-log: exported {n} receipts");
            Ok(ExitCode::SUCCESS)
        }
        "texts" => {
            if rest.first().map(String::as_str) != Some("add") {
                return Err("texts add --config SITE.json".into());
            }
            let site = flag(rest, "--config").ok_or("texts add: --config SITE.json")?;
            let json = std::fs::read_to_string(&site).map_err(|e| format!("{site}: {e}"))?;
            // The language files: --lang-dir, else dist/lang when run from a checkout.
            let lang_dir = flag(rest, "--lang-dir")
                .map(std::path::PathBuf::from)
                .or_else(|| {
                    let dist = std::path::PathBuf::from("dist/lang");
                    dist.is_dir().then_some(dist)
                });
            if lang_dir.is_none() {
                eprintln!(
                    "consent-log: no --lang-dir: only English and the config's own languages \
                     (give the lang/ folder of your dist/ for the others)"
                );
            }
            let hashed = texts::hash_site(&json, &flags(rest, "--language"), lang_dir.as_deref())
                .map_err(|e| format!("{site}: {e}"))?;
            let store = open(&config).await?;
            for t in &hashed {
                let new = store
                    .add_texts(&t.sha256, &t.language, &t.body, now_ms())
                    .await
                    .map_err(|e| e.to_string())?;
                println!(
                    "{} {} {}",
                    t.sha256,
                    t.language,
                    if new { "added" } else { "already there" }
                );
            }
            store.close().await;
            Ok(ExitCode::SUCCESS)
        }
        "purge" => {
            let days = match flag(rest, "--days") {
                Some(d) => d.parse().map_err(|_| "purge: --days N")?,
                None => config.retention_days,
            };
            if days == 0 {
                return Err("purge: no retention (set retention_days or --days N)".into());
            }
            let store = open(&config).await?;
            let n = server::purge_now(&store, days)
                .await
                .ok_or("purge failed")?;
            store.close().await;
            println!("purged {n} receipts older than {days} days");
            Ok(ExitCode::SUCCESS)
        }
        other => Err(format!("unknown command {other:?} (consent-log help)")),
    }
}

async fn serve(config: Config) -> Result<ExitCode, String> {
    let running = server::start(config).await?;
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(|e| e.to_string())?;
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    tracing::info!("shutting down: finishing requests in flight");
    running.shutdown().await;
    Ok(ExitCode::SUCCESS)
}
