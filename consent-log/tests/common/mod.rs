//! Helpers of the integration tests: a tiny HTTP/1.1 client and a fresh database per test.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};

use consent_log::config::Config;
use consent_log::server::{self, now_ms, Running};
use consent_log::store::Store;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const ORIGIN: &str = "http://site.test";

/// A response: status, lower-cased headers, body.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One request on its own connection (`Connection: close`), the body read to the end.
pub async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Response {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    parse_response(&raw)
}

pub fn parse_response(raw: &[u8]) -> Response {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v == "chunked")
    {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let line_end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let size = usize::from_str_radix(String::from_utf8_lossy(&rest[..line_end]).trim(), 16)
                .unwrap();
            rest = &rest[line_end + 2..];
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[..size]);
            rest = &rest[size + 2..];
        }
        body = out;
    }
    Response {
        status,
        headers,
        body,
    }
}

/// A receipt as the banner sends it, with `change` applied.
pub fn receipt(id: &str, change: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let mut v = serde_json::json!({"v":1,"id":id,"time":now_ms(),"revision":1,"action":"custom",
        "source":"banner","categories":{"essential":true,"functional":false,"statistics":true},
        "language":"en","textsSha256":"5d41".repeat(16)});
    change(&mut v);
    serde_json::to_vec(&v).unwrap()
}

/// POSTs a body as the banner's beacon does.
pub async fn post(addr: SocketAddr, body: &[u8]) -> Response {
    request(
        addr,
        "POST",
        "/receipts",
        &[
            ("Origin", ORIGIN),
            ("Content-Type", "text/plain;charset=UTF-8"),
        ],
        body,
    )
    .await
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A database of the kind under test, empty.
pub struct Db {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

pub async fn database(kind: &str) -> Db {
    match kind {
        "sqlite" => {
            let dir = tempfile::tempdir().unwrap();
            let url = format!("sqlite://{}", dir.path().join("log.db").display());
            Db {
                url,
                _dir: Some(dir),
            }
        }
        _ => {
            let base = std::env::var("CONSENT_LOG_TEST_POSTGRES").expect(
                "CONSENT_LOG_TEST_POSTGRES=postgres://user@host:port (scripts/consent-log-postgres.sh sets it)",
            );
            let name = format!(
                "cl_test_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            );
            sqlx::any::install_default_drivers();
            let admin = sqlx::AnyPool::connect(&format!("{base}/postgres"))
                .await
                .unwrap();
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
                .execute(&admin)
                .await
                .unwrap();
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&admin)
                .await
                .unwrap();
            admin.close().await;
            Db {
                url: format!("{base}/{name}"),
                _dir: None,
            }
        }
    }
}

pub fn config(db: &Db) -> Config {
    Config {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        database_url: db.url.clone(),
        allowed_origins: vec![ORIGIN.into()],
        admin_token: Some("a-long-admin-token-for-tests".into()),
        rate_per_minute: 0,
        ..Config::default()
    }
}

pub async fn start(config: &Config) -> (Running, Store) {
    let store = Store::open(&config.database_url, config.key())
        .await
        .unwrap();
    let running = server::start_with(config.clone(), store.clone())
        .await
        .unwrap();
    (running, store)
}
