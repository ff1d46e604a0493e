//! The HTTP side: intake of receipts, health, and the authenticated API (show, export).
//!
//! A receipt is acknowledged (204) only after the transaction that holds it committed: handlers
//! hand their row to one writer task, which commits whatever is waiting as one batch (group
//! commit) and then answers each handler.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use futures_util::StreamExt;
use serde::Deserialize;
use tokio::sync::{mpsc, oneshot, Notify};

use crate::chain::Content;
use crate::config::{Config, StoreClient};
use crate::export;
use crate::receipt::{self, categories_json, Limits, ReceiptError};
use crate::store::Store;

/// ms since the Unix epoch, by the server's clock.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

struct Pending {
    content: Content,
    done: oneshot::Sender<bool>,
}

/// Counters, shown by `/health`.
#[derive(Default)]
pub struct Counters {
    accepted: AtomicU64,
    rejected: AtomicU64,
    limited: AtomicU64,
    failed: AtomicU64,
}

/// Token buckets per client, keyed by a keyed hash of its address (the key is random per process
/// and never stored), so the IP itself is kept nowhere, not even in memory.
pub struct Limiter {
    per_ms: f64,
    burst: f64,
    hasher: RandomState,
    buckets: Mutex<HashMap<u64, (f64, i64)>>,
}

impl Limiter {
    fn new(per_minute: u32, burst: u32) -> Limiter {
        Limiter {
            per_ms: f64::from(per_minute) / 60_000.0,
            burst: f64::from(burst.max(1)),
            hasher: RandomState::new(),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    fn allow(&self, client: IpAddr, now: i64) -> bool {
        if self.per_ms == 0.0 {
            return true;
        }
        // An IPv6 client usually owns a /64: count it as one.
        let key = match client {
            IpAddr::V4(a) => self.hasher.hash_one(a.octets()),
            IpAddr::V6(a) => self.hasher.hash_one(&a.octets()[..8]),
        };
        let Ok(mut buckets) = self.buckets.lock() else {
            return true;
        };
        if buckets.len() > 200_000 {
            let (per_ms, burst) = (self.per_ms, self.burst);
            buckets.retain(|_, (tokens, last)| *tokens + (now - *last) as f64 * per_ms < burst);
        }
        let (tokens, last) = buckets.entry(key).or_insert((self.burst, now));
        *tokens = (*tokens + (now - *last).max(0) as f64 * self.per_ms).min(self.burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

struct App {
    config: Config,
    limits: Limits,
    store: Store,
    writer: mpsc::Sender<Pending>,
    limiter: Limiter,
    counters: Counters,
    known_texts: Mutex<std::collections::HashSet<String>>,
}

/// A running collector.
pub struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
    stop: Arc<Notify>,
    task: tokio::task::JoinHandle<()>,
}

impl Running {
    /// Stops taking connections, finishes the requests in flight (each acknowledged receipt is
    /// committed), commits what the writer holds, closes the database.
    pub async fn shutdown(self) {
        self.stop.notify_one();
        let _ = self.task.await;
    }

    /// Waits until the server ends by itself (it does not, unless shut down).
    pub async fn wait(self) {
        let _ = self.task.await;
    }
}

/// Opens the store, binds `config.listen` and serves until [`Running::shutdown`].
///
/// # Errors
///
/// When the database cannot be opened or the address bound.
pub async fn start(config: Config) -> Result<Running, String> {
    let store = Store::open(&config.database_url, config.key())
        .await
        .map_err(|e| format!("database: {e}"))?;
    start_with(config, store).await
}

/// As [`start`], with an opened store.
///
/// # Errors
///
/// When the address cannot be bound.
pub async fn start_with(config: Config, store: Store) -> Result<Running, String> {
    if !store.last_row_matches_key().await.unwrap_or(true) {
        tracing::error!(
            "the last row's hash does not match this chain_key: was the key changed, or the row \
             altered? (consent-log verify)"
        );
    }
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("listen {}: {e}", config.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let (tx, rx) = mpsc::channel::<Pending>(65_536);
    let writer_stop = Arc::new(Notify::new());
    let writer = tokio::spawn(write_batches(
        store.clone(),
        rx,
        config.batch_max,
        writer_stop.clone(),
    ));
    let app = Arc::new(App {
        limits: config.limits(),
        limiter: Limiter::new(config.rate_per_minute, config.rate_burst),
        store: store.clone(),
        writer: tx,
        counters: Counters::default(),
        known_texts: Mutex::new(Default::default()),
        config,
    });
    let retention = (app.config.retention_days > 0).then(|| {
        let app = app.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(3600));
            loop {
                tick.tick().await;
                purge_now(&app.store, app.config.retention_days).await;
            }
        })
    });
    let router = Router::new()
        .route(
            &app.config.intake_path,
            post(intake).options(preflight).fallback(not_allowed),
        )
        .route("/health", get(health))
        .route("/api/consents/{id}", get(show))
        .route("/api/export", get(export_route))
        // The body limit of the intake route: bigger bodies get 413 before they are read whole.
        .layer(DefaultBodyLimit::max(app.config.max_body_bytes))
        .with_state(app.clone());
    let stop = Arc::new(Notify::new());
    let stop_wait = stop.clone();
    tracing::info!(
        listen = %addr,
        database = ?store.backend(),
        origins = ?app.config.allowed_origins,
        retention_days = app.config.retention_days,
        "consent-log listening"
    );
    let task = tokio::spawn(async move {
        let served = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move { stop_wait.notified().await })
        .await;
        if let Err(e) = served {
            tracing::error!(error = %e, "server error");
        }
        if let Some(r) = retention {
            r.abort();
        }
        // Every handler has returned: what they sent is committed. Drain the rest and stop.
        writer_stop.notify_one();
        drop(app);
        let _ = writer.await;
        store.close().await;
        tracing::info!("consent-log stopped: every acknowledged receipt is committed");
    });
    Ok(Running { addr, stop, task })
}

/// Purges receipts older than `days`; logs what it did.
pub async fn purge_now(store: &Store, days: u32) -> Option<i64> {
    let now = now_ms();
    match store.purge(now - i64::from(days) * 86_400_000, now).await {
        Ok(n) => {
            if n > 0 {
                tracing::info!(purged = n, retention_days = days, "retention purge");
            }
            Some(n)
        }
        Err(e) => {
            tracing::error!(error = %e, "retention purge failed");
            None
        }
    }
}

async fn write_batches(
    store: Store,
    mut rx: mpsc::Receiver<Pending>,
    batch_max: usize,
    stop: Arc<Notify>,
) {
    let mut batch: Vec<Pending> = Vec::with_capacity(batch_max);
    loop {
        let n = tokio::select! {
            n = rx.recv_many(&mut batch, batch_max) => n,
            () = stop.notified() => {
                rx.close();
                continue;
            }
        };
        if n == 0 {
            break;
        }
        let contents: Vec<Content> = batch.iter().map(|p| p.content.clone()).collect();
        let started = std::time::Instant::now();
        let committed = match store.append(&contents).await {
            Ok(_) => {
                let took = started.elapsed();
                if took > Duration::from_millis(100) {
                    tracing::warn!(
                        rows = contents.len(),
                        ms = took.as_millis() as u64,
                        "slow commit"
                    );
                }
                true
            }
            Err(e) => {
                tracing::error!(error = %e, rows = contents.len(), "commit failed: nothing acknowledged");
                false
            }
        };
        for p in batch.drain(..) {
            let _ = p.done.send(committed);
        }
    }
}

fn cors(app: &App, headers: &HeaderMap) -> Result<Option<HeaderValue>, ()> {
    match headers.get(header::ORIGIN) {
        None if app.config.allow_missing_origin => Ok(None),
        None => Err(()),
        Some(origin) => {
            let allowed = app
                .config
                .allowed_origins
                .iter()
                .any(|o| o == "*" || o.as_bytes() == origin.as_bytes());
            if allowed {
                Ok(Some(origin.clone()))
            } else {
                Err(())
            }
        }
    }
}

fn with_cors(mut response: Response, origin: Option<HeaderValue>) -> Response {
    let h = response.headers_mut();
    h.insert(header::VARY, HeaderValue::from_static("Origin"));
    if let Some(origin) = origin {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
    response
}

fn problem(status: StatusCode, message: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::json!({ "error": message }).to_string(),
    )
        .into_response()
}

fn client_ip(app: &App, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
    app.config
        .client_ip_header
        .as_deref()
        .and_then(|name| headers.get_all(name).iter().next_back())
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(peer.ip())
}

/// The client's network, for `store_client = "truncated"`: IPv4 /24, IPv6 /48.
pub fn truncate_ip(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(a) => {
            let o = a.octets();
            format!("{}.{}.{}.0/24", o[0], o[1], o[2])
        }
        IpAddr::V6(a) => {
            let s = a.segments();
            format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
        }
    }
}

async fn intake(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Ok(origin) = cors(&app, &headers) else {
        app.counters.rejected.fetch_add(1, Ordering::Relaxed);
        return with_cors(
            problem(StatusCode::FORBIDDEN, "origin not allowed".into()),
            None,
        );
    };
    let now = now_ms();
    let ip = client_ip(&app, peer, &headers);
    if !app.limiter.allow(ip, now) {
        app.counters.limited.fetch_add(1, Ordering::Relaxed);
        let mut r = with_cors(
            problem(StatusCode::TOO_MANY_REQUESTS, "too many receipts".into()),
            origin,
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        return r;
    }
    let media = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    if !matches!(media.as_deref(), Some("text/plain" | "application/json")) {
        app.counters.rejected.fetch_add(1, Ordering::Relaxed);
        return with_cors(
            problem(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "expected text/plain or application/json".into(),
            ),
            origin,
        );
    }
    let parsed = match receipt::parse(&body, now, &app.limits) {
        Ok(r) => r,
        Err(e) => {
            app.counters.rejected.fetch_add(1, Ordering::Relaxed);
            let status = match e {
                ReceiptError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
                ReceiptError::Syntax(_) => StatusCode::BAD_REQUEST,
                ReceiptError::Invalid(..) => StatusCode::UNPROCESSABLE_ENTITY,
            };
            tracing::debug!(error = %e, "receipt refused");
            return with_cors(problem(status, e.to_string()), origin);
        }
    };
    if app.config.known_texts_only && !known_texts(&app, &parsed.texts_sha256).await {
        app.counters.rejected.fetch_add(1, Ordering::Relaxed);
        return with_cors(
            problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "textsSha256: unknown texts (consent-log texts add)".into(),
            ),
            origin,
        );
    }
    let content = Content {
        consent_id: parsed.id,
        time_ms: parsed.time,
        received_ms: now,
        revision: parsed.revision,
        action: parsed.action,
        source: parsed.source,
        categories: categories_json(&parsed.categories),
        language: parsed.language,
        texts_sha256: parsed.texts_sha256,
        client: (app.config.store_client == StoreClient::Truncated).then(|| truncate_ip(ip)),
    };
    let (done, committed) = oneshot::channel();
    let sent = app.writer.send(Pending { content, done }).await.is_ok();
    if sent && committed.await == Ok(true) {
        app.counters.accepted.fetch_add(1, Ordering::Relaxed);
        with_cors(StatusCode::NO_CONTENT.into_response(), origin)
    } else {
        app.counters.failed.fetch_add(1, Ordering::Relaxed);
        with_cors(
            problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "not stored, try again".into(),
            ),
            origin,
        )
    }
}

async fn known_texts(app: &App, sha: &str) -> bool {
    if app.known_texts.lock().is_ok_and(|k| k.contains(sha)) {
        return true;
    }
    let found = matches!(app.store.texts(sha).await, Ok(Some(_)));
    if found {
        if let Ok(mut k) = app.known_texts.lock() {
            k.insert(sha.to_string());
        }
    }
    found
}

async fn preflight(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    match cors(&app, &headers) {
        Ok(Some(origin)) => {
            let mut r = with_cors(StatusCode::NO_CONTENT.into_response(), Some(origin));
            let h = r.headers_mut();
            h.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("POST"),
            );
            h.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static("content-type"),
            );
            h.insert(
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static("86400"),
            );
            r
        }
        _ => with_cors(
            problem(StatusCode::FORBIDDEN, "origin not allowed".into()),
            None,
        ),
    }
}

async fn not_allowed() -> Response {
    let mut r = problem(StatusCode::METHOD_NOT_ALLOWED, "POST a receipt".into());
    r.headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("POST, OPTIONS"));
    r
}

async fn health(State(app): State<Arc<App>>) -> Response {
    let ok = app.store.ping().await;
    let c = &app.counters;
    let body = serde_json::json!({
        "status": if ok { "ok" } else { "database unreachable" },
        "database": format!("{:?}", app.store.backend()).to_lowercase(),
        "accepted": c.accepted.load(Ordering::Relaxed),
        "rejected": c.rejected.load(Ordering::Relaxed),
        "rateLimited": c.limited.load(Ordering::Relaxed),
        "failed": c.failed.load(Ordering::Relaxed),
    });
    (
        if ok {
            StatusCode::OK
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        },
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn authorized(app: &App, headers: &HeaderMap) -> Result<(), Box<Response>> {
    let Some(token) = app.config.admin_token.as_deref() else {
        return Err(Box::new(problem(
            StatusCode::NOT_FOUND,
            "the API is off (no admin_token)".into(),
        )));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    // Constant time over the token's length.
    let same = given.len() == token.len()
        && given
            .bytes()
            .zip(token.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if same {
        Ok(())
    } else {
        let mut r = problem(StatusCode::UNAUTHORIZED, "bearer token required".into());
        r.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        Err(Box::new(r))
    }
}

/// Everything known about one consent id: its receipts, oldest first, each with the texts shown.
///
/// # Errors
///
/// On a database error.
pub async fn consent_report(store: &Store, id: &str) -> Result<serde_json::Value, sqlx::Error> {
    let rows = store.by_consent_id(id).await?;
    let mut receipts = Vec::new();
    for row in &rows {
        let mut value = export::json(row);
        let texts = store.texts(&row.content.texts_sha256).await?;
        value["texts"] = match texts {
            Some((language, body)) => serde_json::json!({
                "language": language,
                "shown": serde_json::from_str::<serde_json::Value>(&body).unwrap_or_default(),
            }),
            None => serde_json::Value::Null,
        };
        receipts.push(value);
    }
    Ok(serde_json::json!({ "consentId": id, "receipts": receipts }))
}

async fn show(State(app): State<Arc<App>>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Err(r) = authorized(&app, &headers) {
        return *r;
    }
    match consent_report(&app.store, &id).await {
        Ok(v) if v["receipts"].as_array().is_some_and(|r| !r.is_empty()) => {
            ([(header::CONTENT_TYPE, "application/json")], v.to_string()).into_response()
        }
        Ok(_) => problem(
            StatusCode::NOT_FOUND,
            "no receipt for this consent id".into(),
        ),
        Err(e) => problem(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
    }
}

#[derive(Deserialize)]
struct ExportQuery {
    from: String,
    to: String,
    #[serde(default)]
    format: Option<String>,
}

/// `[from, to)` in ms from two days, `to` inclusive (`2026-01-01`..`2026-01-31` is January).
///
/// # Errors
///
/// When a day is not `YYYY-MM-DD` or ms.
pub fn range(from: &str, to: &str) -> Result<(i64, i64), String> {
    let from_ms = export::parse_day(from)?;
    let to_ms = export::parse_day(to)?;
    let to_ms = if to.contains('-') {
        to_ms + 86_400_000
    } else {
        to_ms
    };
    Ok((from_ms, to_ms))
}

async fn export_route(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<ExportQuery>,
) -> Response {
    if let Err(r) = authorized(&app, &headers) {
        return *r;
    }
    let (from, to) = match range(&q.from, &q.to) {
        Ok(r) => r,
        Err(e) => return problem(StatusCode::BAD_REQUEST, e),
    };
    let csv = match q.format.as_deref() {
        None | Some("ndjson") => false,
        Some("csv") => true,
        Some(other) => {
            return problem(
                StatusCode::BAD_REQUEST,
                format!("format: ndjson or csv, not {other:?}"),
            )
        }
    };
    let rows = app.store.export(from, to);
    let header_line = futures_util::stream::iter(
        csv.then(|| Ok::<Bytes, sqlx::Error>(Bytes::from_static(export::CSV_HEADER.as_bytes()))),
    );
    let lines = rows.map(move |r| {
        r.map(|row| {
            Bytes::from(if csv {
                export::csv(&row)
            } else {
                export::json(&row).to_string() + "\n"
            })
        })
    });
    let content_type = if csv {
        "text/csv; charset=utf-8"
    } else {
        "application/x-ndjson"
    };
    (
        [(header::CONTENT_TYPE, content_type)],
        Body::from_stream(header_line.chain(lines)),
    )
        .into_response()
}
