//! The database: SQLite (one file, the default) or PostgreSQL, through sqlx's `Any` driver, so one
//! set of queries serves both. Every append locks the chain head in its transaction, so several
//! collectors on one PostgreSQL database keep one chain.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use futures_util::stream::BoxStream;
use futures_util::{StreamExt, TryStreamExt};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, Executor, Row as _};

use crate::chain::{self, Content, GENESIS};

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `sqlite://FILE`.
    Sqlite,
    /// `postgres://…`.
    Postgres,
}

/// One stored receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Position in the chain (1, 2, …).
    pub seq: i64,
    /// What the hash covers.
    pub content: Content,
    /// The previous row's hash.
    pub prev_hash: String,
    /// This row's hash.
    pub hash: String,
}

/// The first problem `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The row (seq) where it shows.
    pub seq: i64,
    /// `altered`, `inserted`, `deleted`, `broken` (altered and rehashed, or deleted and
    /// renumbered) or `checkpoint`.
    pub kind: &'static str,
    /// What was seen.
    pub detail: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "seq {}: {}: {}", self.seq, self.kind, self.detail)
    }
}

/// What `verify` saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Rows walked.
    pub rows: i64,
    /// Retention checkpoint the walk started from (seq of the last purged row; 0: none).
    pub from_seq: i64,
    /// The head: the last row's seq and hash. Publish it elsewhere to make truncation evident.
    pub head_seq: i64,
    /// The head's hash.
    pub head_hash: String,
    /// The first problem, if any.
    pub problem: Option<Finding>,
}

/// The store.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    key: Option<Vec<u8>>,
}

const COLUMNS: &str = "seq, consent_id, time_ms, received_ms, revision, action, source, \
                       categories, language, texts_sha256, client, prev_hash, hash";

fn migrator(backend: Backend) -> Migrator {
    let sql = match backend {
        Backend::Sqlite => include_str!("../migrations/sqlite/0001_init.sql"),
        Backend::Postgres => include_str!("../migrations/postgres/0001_init.sql"),
    };
    Migrator {
        migrations: Cow::Owned(vec![Migration::new(
            1,
            Cow::Borrowed("init"),
            MigrationType::Simple,
            Cow::Borrowed(sql),
            false,
        )]),
        ..Migrator::DEFAULT
    }
}

fn row(r: &AnyRow) -> Result<Row, sqlx::Error> {
    Ok(Row {
        seq: r.try_get("seq")?,
        content: Content {
            consent_id: r.try_get("consent_id")?,
            time_ms: r.try_get("time_ms")?,
            received_ms: r.try_get("received_ms")?,
            revision: r.try_get("revision")?,
            action: r.try_get("action")?,
            source: r.try_get("source")?,
            categories: r.try_get("categories")?,
            language: r.try_get("language")?,
            texts_sha256: r.try_get("texts_sha256")?,
            client: r.try_get("client")?,
        },
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
    })
}

/// The backend of `url`.
pub fn backend_of(url: &str) -> Backend {
    if url.starts_with("sqlite:") {
        Backend::Sqlite
    } else {
        Backend::Postgres
    }
}

impl Store {
    /// Connects (creating the SQLite file when missing) and runs the migrations.
    ///
    /// # Errors
    ///
    /// When the database cannot be reached or migrated.
    pub async fn open(url: &str, key: Option<Vec<u8>>) -> Result<Store, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let backend = backend_of(url);
        let url = match backend {
            Backend::Sqlite if !url.contains('?') => format!("{url}?mode=rwc"),
            _ => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 8 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL + FULL: a commit is on disk when it returns; readers never block the
                        // writer. busy_timeout: a second process (a CLI purge) waits its turn.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = FULL").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        migrator(backend).run(&pool).await?;
        Ok(Store { pool, backend, key })
    }

    /// The database kind.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes the pool (SQLite checkpoints its WAL).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// Appends `batch` to the chain in one transaction; returns each row's seq. When this returns
    /// `Ok`, the rows are committed (durably: WAL with `synchronous = FULL`, or PostgreSQL's commit).
    ///
    /// # Errors
    ///
    /// When the transaction fails; then nothing of the batch is stored.
    pub async fn append(&self, batch: &[Content]) -> Result<Vec<i64>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        // Takes the write lock first (SQLite) or the head row's lock (PostgreSQL).
        sqlx::query("UPDATE chain_head SET id = id WHERE id = 1")
            .execute(&mut *tx)
            .await?;
        let head = sqlx::query("SELECT seq, hash FROM chain_head WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
        let mut seq: i64 = head.try_get("seq")?;
        let mut prev: String = head.try_get("hash")?;
        let mut seqs = Vec::with_capacity(batch.len());
        let mut rows = Vec::with_capacity(batch.len());
        for content in batch {
            seq += 1;
            let hash = chain::link(self.key.as_deref(), &prev, content);
            rows.push((
                seq,
                content,
                std::mem::replace(&mut prev, hash.clone()),
                hash,
            ));
            seqs.push(seq);
        }
        for chunk in rows.chunks(64) {
            let mut sql = format!("INSERT INTO receipts ({COLUMNS}) VALUES ");
            for i in 0..chunk.len() {
                if i > 0 {
                    sql.push(',');
                }
                sql.push('(');
                for j in 0..13 {
                    if j > 0 {
                        sql.push(',');
                    }
                    sql.push('$');
                    sql.push_str(&(i * 13 + j + 1).to_string());
                }
                sql.push(')');
            }
            let mut query = sqlx::query(&sql);
            for (seq, c, prev_hash, hash) in chunk {
                query = query
                    .bind(*seq)
                    .bind(c.consent_id.as_str())
                    .bind(c.time_ms)
                    .bind(c.received_ms)
                    .bind(c.revision)
                    .bind(c.action.as_str())
                    .bind(c.source.as_str())
                    .bind(c.categories.as_str())
                    .bind(c.language.as_str())
                    .bind(c.texts_sha256.as_str())
                    .bind(c.client.as_deref())
                    .bind(prev_hash.as_str())
                    .bind(hash.as_str());
            }
            query.execute(&mut *tx).await?;
        }
        sqlx::query("UPDATE chain_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(seq)
            .bind(prev.as_str())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(seqs)
    }

    /// Number of stored receipts.
    ///
    /// # Errors
    ///
    /// On a database error.
    pub async fn count(&self) -> Result<i64, sqlx::Error> {
        sqlx::query("SELECT COUNT(*) AS n FROM receipts")
            .fetch_one(&self.pool)
            .await?
            .try_get("n")
    }

    /// Every receipt of one consent id, oldest first.
    ///
    /// # Errors
    ///
    /// On a database error.
    pub async fn by_consent_id(&self, id: &str) -> Result<Vec<Row>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM receipts WHERE consent_id = $1 ORDER BY seq"
        ))
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(row).collect()
    }

    /// The receipts whose decision time is in `[from, to)` (ms), in chain order, as a stream.
    pub fn export(&self, from: i64, to: i64) -> BoxStream<'static, Result<Row, sqlx::Error>> {
        let pool = self.pool.clone();
        let sql = format!(
            "SELECT {COLUMNS} FROM receipts WHERE time_ms >= $1 AND time_ms < $2 ORDER BY seq"
        );
        // The query borrows its SQL and pool: own them in the stream.
        async_stream(pool, sql, from, to)
    }

    /// Stores the texts `body` (the exact JSON hashed) under `sha256`; `false` when already there.
    ///
    /// # Errors
    ///
    /// On a database error.
    pub async fn add_texts(
        &self,
        sha256: &str,
        language: &str,
        body: &str,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "INSERT INTO texts (sha256, language, body, added_ms) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(sha256)
        .bind(language)
        .bind(body)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The texts stored under `sha256`: `(language, body)`.
    ///
    /// # Errors
    ///
    /// On a database error.
    pub async fn texts(&self, sha256: &str) -> Result<Option<(String, String)>, sqlx::Error> {
        let found = sqlx::query("SELECT language, body FROM texts WHERE sha256 = $1")
            .bind(sha256)
            .fetch_optional(&self.pool)
            .await?;
        found
            .map(|r| Ok((r.try_get("language")?, r.try_get("body")?)))
            .transpose()
    }

    /// Purges the oldest receipts, those received before `cutoff_ms` (a prefix of the chain), and
    /// records a checkpoint so the rest still verifies. Returns the number of rows purged.
    ///
    /// # Errors
    ///
    /// On a database error; then nothing is purged.
    pub async fn purge(&self, cutoff_ms: i64, now: i64) -> Result<i64, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE chain_head SET id = id WHERE id = 1")
            .execute(&mut *tx)
            .await?;
        let head_seq: i64 = sqlx::query("SELECT seq FROM chain_head WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?
            .try_get("seq")?;
        let first_kept: Option<i64> =
            sqlx::query("SELECT MIN(seq) AS s FROM receipts WHERE received_ms >= $1")
                .bind(cutoff_ms)
                .fetch_one(&mut *tx)
                .await?
                .try_get("s")?;
        let upto = first_kept.map_or(head_seq, |s| s - 1);
        let last = sqlx::query("SELECT hash FROM receipts WHERE seq = $1")
            .bind(upto)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(last) = last else {
            return Ok(0);
        };
        let hash: String = last.try_get("hash")?;
        let purged = sqlx::query("DELETE FROM receipts WHERE seq <= $1")
            .bind(upto)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let purged = i64::try_from(purged).unwrap_or(i64::MAX);
        sqlx::query(
            "INSERT INTO checkpoints (seq, hash, purged_ms, purged_rows, mac) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(upto)
        .bind(hash.as_str())
        .bind(now)
        .bind(purged)
        .bind(chain::checkpoint_mac(self.key.as_deref(), upto, &hash))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(purged)
    }

    /// Walks the chain from the last retention checkpoint to the head and reports the first row
    /// that was altered, inserted or deleted.
    ///
    /// # Errors
    ///
    /// On a database error.
    pub async fn verify(&self) -> Result<Verification, sqlx::Error> {
        let key = self.key.as_deref();
        let checkpoint =
            sqlx::query("SELECT seq, hash, mac FROM checkpoints ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&self.pool)
                .await?;
        let (from_seq, mut expected) = match &checkpoint {
            Some(c) => (c.try_get::<i64, _>("seq")?, c.try_get::<String, _>("hash")?),
            None => (0, GENESIS.to_string()),
        };
        let head = sqlx::query("SELECT seq, hash FROM chain_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        let head_seq: i64 = head.try_get("seq")?;
        let head_hash: String = head.try_get("hash")?;
        let mut out = Verification {
            rows: 0,
            from_seq,
            head_seq,
            head_hash: head_hash.clone(),
            problem: None,
        };
        if let Some(c) = &checkpoint {
            let mac: String = c.try_get("mac")?;
            if mac != chain::checkpoint_mac(key, from_seq, &expected) {
                out.problem = Some(Finding {
                    seq: from_seq,
                    kind: "checkpoint",
                    detail: "the retention checkpoint does not match its MAC".into(),
                });
                return Ok(out);
            }
        }
        let sql = format!("SELECT {COLUMNS} FROM receipts ORDER BY seq");
        let mut rows = sqlx::query(&sql).fetch(&self.pool);
        let mut current: Option<Row> = match rows.try_next().await? {
            Some(r) => Some(row(&r)?),
            None => None,
        };
        let mut last_seq = from_seq;
        while let Some(r) = current.take() {
            let next = match rows.try_next().await? {
                Some(n) => Some(row(&n)?),
                None => None,
            };
            out.rows += 1;
            let recomputed = chain::link(key, &r.prev_hash, &r.content);
            let skipped = next.as_ref().is_some_and(|n| n.prev_hash == expected);
            let problem = if r.seq <= from_seq {
                Some((
                    "inserted",
                    "a row before the retention checkpoint".to_string(),
                ))
            } else if skipped {
                Some((
                    "inserted",
                    "not part of the chain: the next row links to the one before it".into(),
                ))
            } else if recomputed != r.hash {
                Some((
                    "altered",
                    format!(
                        "consent id {}: the content does not match its hash",
                        r.content.consent_id
                    ),
                ))
            } else if r.prev_hash != expected {
                if r.seq != last_seq + 1 {
                    Some((
                        "deleted",
                        format!("rows {}..{} are missing", last_seq + 1, r.seq - 1),
                    ))
                } else {
                    Some((
                        "broken",
                        format!(
                            "does not link to row {last_seq}: a row before it was deleted (and the \
                             rest renumbered), or row {last_seq} was altered and rehashed"
                        ),
                    ))
                }
            } else {
                None
            };
            if let Some((kind, detail)) = problem {
                out.problem = Some(Finding {
                    seq: r.seq,
                    kind,
                    detail,
                });
                return Ok(out);
            }
            expected = r.hash;
            last_seq = r.seq;
            current = next;
        }
        if expected != head_hash {
            out.problem = Some(if head_seq > last_seq {
                Finding {
                    seq: last_seq + 1,
                    kind: "deleted",
                    detail: format!(
                        "rows {}..{head_seq} are missing (the head is at {head_seq})",
                        last_seq + 1
                    ),
                }
            } else if head_seq < last_seq {
                Finding {
                    seq: head_seq + 1,
                    kind: "inserted",
                    detail: format!("rows after the head ({head_seq}) are not part of the chain"),
                }
            } else {
                Finding {
                    seq: last_seq,
                    kind: "altered",
                    detail: "the last row's hash does not match the head".into(),
                }
            });
        }
        Ok(out)
    }

    /// Whether the last row's hash is what this collector's key computes (a changed or missing
    /// `chain_key` shows here at start, rather than at the next `verify`). `true` for an empty log.
    ///
    /// # Errors
    ///
    /// On a database error.
    pub async fn last_row_matches_key(&self) -> Result<bool, sqlx::Error> {
        let last = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM receipts ORDER BY seq DESC LIMIT 1"
        ))
        .fetch_optional(&self.pool)
        .await?;
        Ok(match last {
            Some(r) => {
                let r = row(&r)?;
                chain::link(self.key.as_deref(), &r.prev_hash, &r.content) == r.hash
            }
            None => true,
        })
    }

    /// The pool, for tests that tamper with rows.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }
}

fn async_stream(
    pool: AnyPool,
    sql: String,
    from: i64,
    to: i64,
) -> BoxStream<'static, Result<Row, sqlx::Error>> {
    // A channel decouples the borrowed query stream from the response body that drains it.
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Row, sqlx::Error>>(256);
    tokio::spawn(async move {
        let mut rows = sqlx::query(&sql).bind(from).bind(to).fetch(&pool);
        loop {
            let item = match rows.try_next().await {
                Ok(Some(r)) => row(&r),
                Ok(None) => break,
                Err(e) => Err(e),
            };
            let stop = item.is_err();
            if tx.send(item).await.is_err() || stop {
                break;
            }
        }
    });
    futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    })
    .boxed()
}
