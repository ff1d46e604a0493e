//! consent-log-bench: load, hostile bodies and acked-receipt checks for bench/consent-log/run.sh.
//!   load    --port P --seconds S --max N --conns C [--acked FILE]   receipts/s and ack latency
//!   hostile --port P --count N                                     only 4xx for bad bodies
//!   check   --acked FILE --export NDJSON                             every acked id is in the log
//! Every request goes to 127.0.0.1; every loop stops at its count or its time.

use std::collections::HashSet;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn arg(args: &[String], name: &str, default: &str) -> String {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| default.to_string())
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// One keep-alive connection to 127.0.0.1.
struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    async fn open(port: u16) -> std::io::Result<Conn> {
        let stream = TcpStream::connect(("127.0.0.1", port)).await?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream,
            buf: Vec::with_capacity(4096),
        })
    }

    /// Sends one POST, returns the status (the connection stays open unless the server closed it).
    async fn post(&mut self, headers: &str, body: &[u8]) -> std::io::Result<(u16, bool)> {
        let head = format!(
            "POST /receipts HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}Content-Length: {}\r\n\r\n",
            body.len()
        );
        let mut req = head.into_bytes();
        req.extend_from_slice(body);
        // A server that refuses a large body answers before reading it and closes: a failed
        // write still leaves its answer to read.
        let written = self.stream.write_all(&req).await;
        self.buf.clear();
        let mut chunk = [0u8; 4096];
        loop {
            if let Some(end) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&self.buf[..end]).to_ascii_lowercase();
                let status: u16 = head
                    .split(' ')
                    .nth(1)
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
                let length: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0);
                let close = head.contains("connection: close");
                while self.buf.len() < end + 4 + length {
                    let n = self.stream.read(&mut chunk).await?;
                    if n == 0 {
                        return Err(std::io::ErrorKind::UnexpectedEof.into());
                    }
                    self.buf.extend_from_slice(&chunk[..n]);
                }
                return Ok((status, close));
            }
            let n = match self.stream.read(&mut chunk).await {
                Ok(n) => n,
                Err(e) => return Err(written.err().unwrap_or(e)),
            };
            if n == 0 {
                return Err(written
                    .err()
                    .unwrap_or_else(|| std::io::ErrorKind::UnexpectedEof.into()));
            }
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }
}

fn receipt(id: &str) -> String {
    format!(
        r#"{{"v":1,"id":"{id}","time":{},"revision":1,"action":"custom","source":"banner","categories":{{"essential":true,"functional":false,"statistics":true}},"language":"en","textsSha256":"{}"}}"#,
        now_ms(),
        "5d41".repeat(16)
    )
}

const BEACON: &str = "Origin: http://bench.test\r\nContent-Type: text/plain;charset=UTF-8\r\n";

async fn load(args: &[String]) {
    let port: u16 = arg(args, "--port", "8787").parse().unwrap_or(8787);
    let seconds: u64 = arg(args, "--seconds", "10").parse().unwrap_or(10).min(120);
    let max: u64 = arg(args, "--max", "200000")
        .parse()
        .unwrap_or(200_000)
        .min(2_000_000);
    let conns: usize = arg(args, "--conns", "32").parse().unwrap_or(32).min(512);
    let acked_path = arg(args, "--acked", "");
    // --rate R: an open loop, R receipts/s in all, each connection on its own schedule; latency
    // counts from the scheduled time, so a slow answer is not hidden by the sends it delayed.
    let rate: f64 = arg(args, "--rate", "0").parse().unwrap_or(0.0);
    let interval = (rate > 0.0).then(|| Duration::from_secs_f64(conns as f64 / rate));
    let run = format!("{:x}", now_ms());
    let sent = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..conns {
        let (sent, stop, run) = (sent.clone(), stop.clone(), run.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies: Vec<u32> = Vec::new();
            let mut acked: Vec<String> = Vec::new();
            let mut errors = 0u64;
            let mut other = 0u64;
            let mut conn: Option<Conn> = None;
            let mut i = 0u64;
            while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                if sent.fetch_add(1, Ordering::Relaxed) >= max {
                    break;
                }
                if conn.is_none() {
                    match Conn::open(port).await {
                        Ok(c) => conn = Some(c),
                        Err(_) => {
                            errors += 1;
                            tokio::time::sleep(Duration::from_millis(20)).await;
                            continue;
                        }
                    }
                }
                let id = format!("{run}-{c}-{i}");
                let t = match interval {
                    Some(every) => {
                        let at =
                            start + every * (i as u32) + every.mul_f64(c as f64 / conns as f64);
                        tokio::time::sleep_until(at.into()).await;
                        at
                    }
                    None => Instant::now(),
                };
                i += 1;
                let body = receipt(&id);
                let Some(open) = conn.as_mut() else { continue };
                match open.post(BEACON, body.as_bytes()).await {
                    Ok((204, close)) => {
                        latencies.push(t.elapsed().as_micros() as u32);
                        acked.push(id);
                        if close {
                            conn = None;
                        }
                    }
                    Ok((_, _)) => {
                        other += 1;
                        conn = None;
                    }
                    Err(_) => {
                        errors += 1;
                        conn = None;
                    }
                }
            }
            (latencies, acked, errors, other)
        }));
    }
    let mut latencies = Vec::new();
    let mut acked = Vec::new();
    let (mut errors, mut other) = (0, 0);
    for t in tasks {
        if let Ok((l, a, e, o)) = t.await {
            latencies.extend(l);
            acked.extend(a);
            errors += e;
            other += o;
        }
    }
    stop.store(true, Ordering::Relaxed);
    let elapsed = start.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let pct = |p: f64| -> f64 {
        if latencies.is_empty() {
            return 0.0;
        }
        let i = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1;
        f64::from(latencies[i]) / 1000.0
    };
    if !acked_path.is_empty() {
        if let Ok(mut f) = std::fs::File::create(&acked_path) {
            for id in &acked {
                let _ = writeln!(f, "{id}");
            }
        }
    }
    println!(
        "{}",
        serde_json::json!({
            "acked": acked.len(),
            "seconds": (elapsed * 100.0).round() / 100.0,
            "receiptsPerSecond": (acked.len() as f64 / elapsed).round(),
            "p50Ms": pct(0.50), "p99Ms": pct(0.99), "maxMs": pct(1.0),
            "connections": conns, "targetRate": rate, "ioErrors": errors, "otherStatus": other,
        })
    );
}

/// 10,000 (or --count) malformed, oversized and hostile requests, each on a fresh connection
/// when the server closes it; every answer must be a 4xx.
async fn hostile(args: &[String]) {
    let port: u16 = arg(args, "--port", "8787").parse().unwrap_or(8787);
    let count: usize = arg(args, "--count", "10000")
        .parse()
        .unwrap_or(10_000)
        .min(100_000);
    let good = receipt("hostile-0");
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut rand = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut statuses = std::collections::BTreeMap::<u16, u64>::new();
    let mut failures = Vec::new();
    let mut conn: Option<Conn> = None;
    let started = Instant::now();
    for i in 0..count {
        if started.elapsed() > Duration::from_secs(120) {
            failures.push("time limit reached".to_string());
            break;
        }
        let r = rand();
        let (headers, body): (String, Vec<u8>) = match i % 16 {
            0 => (
                BEACON.into(),
                (0..(r % 600)).map(|_| (rand() & 0xff) as u8).collect(),
            ),
            1 => {
                let mut b = good.clone().into_bytes();
                let cut = (r as usize) % b.len();
                b.truncate(cut);
                (BEACON.into(), b)
            }
            2 => {
                let mut b = good.clone().into_bytes();
                let at = (r as usize) % b.len();
                b[at] = (rand() & 0xff) as u8;
                // A flip that still parses is a valid receipt: make it a sure 4xx by a bad field.
                let text = String::from_utf8_lossy(&b).replace("\"v\":1", "\"v\":9");
                (BEACON.into(), text.into_bytes())
            }
            3 => (BEACON.into(), vec![b'['; 3000]),
            4 => (
                BEACON.into(),
                format!("{{\"v\":1,\"id\":\"{}\"}}", "a".repeat(5000)).into_bytes(),
            ),
            5 => (
                BEACON.into(),
                good.replace("\"v\":1", "\"v\":1,\"v\":1").into_bytes(),
            ),
            6 => (
                BEACON.into(),
                good.replace("\"custom\"", "\"<script>alert(1)</script>\"")
                    .into_bytes(),
            ),
            7 => (
                BEACON.into(),
                good.replace("\"essential\"", "\"essential\\u0000\"")
                    .into_bytes(),
            ),
            8 => (
                BEACON.into(),
                good.replace("\"time\":", "\"time\":99999999999999999999999")
                    .into_bytes(),
            ),
            9 => (
                BEACON.into(),
                good.replace("\"en\"", "\"'; DROP TABLE receipts; --\"")
                    .into_bytes(),
            ),
            10 => (BEACON.into(), vec![0xff, 0xfe, b'{', 0xc3, 0x28]),
            11 => (
                "Origin: http://evil.test\r\nContent-Type: text/plain\r\n".into(),
                good.clone().into_bytes(),
            ),
            12 => (
                "Content-Type: text/plain\r\n".into(),
                good.clone().into_bytes(),
            ),
            13 => (
                "Origin: http://bench.test\r\nContent-Type: multipart/form-data\r\n".into(),
                good.clone().into_bytes(),
            ),
            14 => (
                BEACON.into(),
                good.replace(
                    "\"categories\":{",
                    &format!(
                        "\"categories\":{{{}",
                        (0..70)
                            .map(|k| format!("\"c{k}\":true,"))
                            .collect::<String>()
                    ),
                )
                .into_bytes(),
            ),
            _ => (BEACON.into(), vec![b' '; 64 * 1024]),
        };
        if conn.is_none() {
            conn = Conn::open(port).await.ok();
        }
        let Some(open) = conn.as_mut() else {
            failures.push(format!("#{i}: cannot connect (server down?)"));
            break;
        };
        match open.post(&headers, &body).await {
            Ok((status, close)) => {
                *statuses.entry(status).or_default() += 1;
                if !(400..500).contains(&status) {
                    failures.push(format!(
                        "#{i}: status {status} for {:?}",
                        String::from_utf8_lossy(&body[..body.len().min(120)])
                    ));
                }
                if close {
                    conn = None;
                }
            }
            Err(_) => {
                // The server may close a connection after refusing a large body: that is a refusal.
                conn = None;
                *statuses.entry(0).or_default() += 1;
            }
        }
    }
    println!(
        "{}",
        serde_json::json!({
            "sent": count, "statuses": statuses.iter().map(|(k, v)| (k.to_string(), serde_json::Value::from(*v))).collect::<serde_json::Map<_, _>>(),
            "non4xx": failures.len(), "firstFailures": failures.iter().take(5).collect::<Vec<_>>(),
        })
    );
    if !failures.is_empty() {
        std::process::exit(1);
    }
}

fn check(args: &[String]) {
    let acked = std::fs::read_to_string(arg(args, "--acked", "")).unwrap_or_default();
    let export = std::fs::read_to_string(arg(args, "--export", "")).unwrap_or_default();
    let stored: HashSet<String> = export
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["consentId"].as_str().map(String::from))
        .collect();
    let acked: Vec<&str> = acked.lines().collect();
    let missing: Vec<&&str> = acked.iter().filter(|id| !stored.contains(**id)).collect();
    println!(
        "{}",
        serde_json::json!({"acked": acked.len(), "stored": stored.len(), "ackedMissing": missing.len(),
            "firstMissing": missing.iter().take(5).collect::<Vec<_>>()})
    );
    if !missing.is_empty() {
        std::process::exit(1);
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("load") => load(&args).await,
        Some("hostile") => hostile(&args).await,
        Some("check") => check(&args),
        _ => {
            eprintln!(
                "usage: consent-log-bench load|hostile|check ... (see bench/consent-log/run.sh)"
            );
            std::process::exit(2);
        }
    }
}
