//! The collector's configuration: a TOML file (`--config consent-log.toml` or
//! `CONSENT_LOG_CONFIG`), then environment variables `CONSENT_LOG_<FIELD>` over it (lists
//! comma-separated). Every field has a default; unknown fields are an error.

use std::net::SocketAddr;

use serde::Deserialize;

use crate::receipt::Limits;

/// What the operator may store about the client besides the receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreClient {
    /// Nothing (the default).
    None,
    /// The client's network: IPv4 to /24, IPv6 to /48.
    Truncated,
}

/// The whole configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address to listen on. Default `127.0.0.1:8787`.
    pub listen: SocketAddr,
    /// `sqlite://consent-log.db` (the default: one file, created when missing) or
    /// `postgres://user:password@host/db`.
    pub database_url: String,
    /// Origins whose pages may send receipts (`https://www.example.org`); `*` allows any (for
    /// trying it out). Default: none, so every browser receipt is refused until set.
    pub allowed_origins: Vec<String>,
    /// Accept a request without an `Origin` header (not a browser's beacon). Default `false`.
    pub allow_missing_origin: bool,
    /// Bearer token for `/api/*` (show, export). Default: none, the API is off.
    pub admin_token: Option<String>,
    /// Secret key: the chain's links become HMAC-SHA-256, which someone who can write the database
    /// but not read this key cannot recompute. Default: none (plain SHA-256).
    pub chain_key: Option<String>,
    /// Days a receipt is kept; older ones are purged once an hour. Default `0`: kept for ever.
    pub retention_days: u32,
    /// `none` (default) or `truncated` (the client's /24 or /48 network is stored with the row).
    pub store_client: StoreClient,
    /// Take the client address from this header's last value (set by your reverse proxy), e.g.
    /// `x-forwarded-for`. Default: the TCP peer.
    pub client_ip_header: Option<String>,
    /// Receipts one client may send per minute, on average. `0` turns limiting off. Default `60`.
    pub rate_per_minute: u32,
    /// Receipts one client may send at once before the average applies. Default `20`.
    pub rate_burst: u32,
    /// Largest body in bytes. Default `4096`.
    pub max_body_bytes: usize,
    /// How old (hours, by the server's clock) a receipt's `time` may be. Default `24`.
    pub max_age_hours: u32,
    /// How far ahead (hours) a receipt's `time` may be. Default `24`.
    pub max_future_hours: u32,
    /// When not empty, the only category ids accepted. Default: any well-formed id.
    pub categories: Vec<String>,
    /// Refuse receipts whose `textsSha256` was not added with `consent-log texts add`.
    /// Default `false`.
    pub known_texts_only: bool,
    /// Most receipts committed in one transaction (group commit). Default `1024`.
    pub batch_max: usize,
    /// `json` (default) or `text` log lines on stderr.
    pub log_format: String,
    /// Path of the intake endpoint. Default `/receipts`.
    pub intake_path: String,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8787)),
            database_url: "sqlite://consent-log.db".into(),
            allowed_origins: Vec::new(),
            allow_missing_origin: false,
            admin_token: None,
            chain_key: None,
            retention_days: 0,
            store_client: StoreClient::None,
            client_ip_header: None,
            rate_per_minute: 60,
            rate_burst: 20,
            max_body_bytes: 4096,
            max_age_hours: 24,
            max_future_hours: 24,
            categories: Vec::new(),
            known_texts_only: false,
            batch_max: 1024,
            log_format: "json".into(),
            intake_path: "/receipts".into(),
        }
    }
}

const FIELDS: &[&str] = &[
    "listen",
    "database_url",
    "allowed_origins",
    "allow_missing_origin",
    "admin_token",
    "chain_key",
    "retention_days",
    "store_client",
    "client_ip_header",
    "rate_per_minute",
    "rate_burst",
    "max_body_bytes",
    "max_age_hours",
    "max_future_hours",
    "categories",
    "known_texts_only",
    "batch_max",
    "log_format",
    "intake_path",
];
const LISTS: &[&str] = &["allowed_origins", "categories"];
const NUMBERS: &[&str] = &[
    "retention_days",
    "rate_per_minute",
    "rate_burst",
    "max_body_bytes",
    "max_age_hours",
    "max_future_hours",
    "batch_max",
];
const BOOLS: &[&str] = &["allow_missing_origin", "known_texts_only"];

impl Config {
    /// Reads the file at `path` (when given), then applies `env` (`CONSENT_LOG_*` pairs).
    ///
    /// # Errors
    ///
    /// A message naming the file or variable and the field.
    pub fn load(
        path: Option<&str>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, String> {
        let mut table = match path {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
                text.parse::<toml::Table>()
                    .map_err(|e| format!("{path}: {e}"))?
            }
            None => toml::Table::new(),
        };
        for (name, value) in env {
            let Some(field) = name.strip_prefix("CONSENT_LOG_") else {
                continue;
            };
            let field = field.to_ascii_lowercase();
            // CONSENT_LOG_CONFIG names the file; CONSENT_LOG_TEST_* belong to the test scripts.
            if field == "config" || field.starts_with("test_") {
                continue;
            }
            if !FIELDS.contains(&field.as_str()) {
                return Err(format!("{name}: unknown setting"));
            }
            let parsed = if LISTS.contains(&field.as_str()) {
                toml::Value::Array(
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(|s| toml::Value::String(s.to_string()))
                        .collect(),
                )
            } else if NUMBERS.contains(&field.as_str()) {
                toml::Value::Integer(
                    value
                        .trim()
                        .parse()
                        .map_err(|_| format!("{name}: not a number: {value:?}"))?,
                )
            } else if BOOLS.contains(&field.as_str()) {
                toml::Value::Boolean(match value.trim() {
                    "1" | "true" | "yes" => true,
                    "0" | "false" | "no" | "" => false,
                    _ => return Err(format!("{name}: not true or false: {value:?}")),
                })
            } else {
                toml::Value::String(value)
            };
            table.insert(field, parsed);
        }
        let config: Config = toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| format!("config: {}", e.message()))?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), String> {
        for origin in &self.allowed_origins {
            let ok = origin == "*"
                || ((origin.starts_with("https://") || origin.starts_with("http://"))
                    && !origin.ends_with('/')
                    && origin.matches('/').count() == 2);
            if !ok {
                return Err(format!(
                    "allowed_origins: {origin:?} is not an origin like https://www.example.org"
                ));
            }
        }
        if !self.database_url.starts_with("sqlite:")
            && !self.database_url.starts_with("postgres://")
            && !self.database_url.starts_with("postgresql://")
        {
            return Err("database_url: sqlite://FILE or postgres://…".into());
        }
        if self.admin_token.as_deref().is_some_and(|t| t.len() < 16) {
            return Err("admin_token: at least 16 characters".into());
        }
        if self.batch_max == 0 {
            return Err("batch_max: at least 1".into());
        }
        if !self.intake_path.starts_with('/') {
            return Err("intake_path: must start with /".into());
        }
        if self.log_format != "json" && self.log_format != "text" {
            return Err("log_format: json or text".into());
        }
        Ok(())
    }

    /// The receipt checks this config asks for.
    pub fn limits(&self) -> Limits {
        Limits {
            max_body_bytes: self.max_body_bytes,
            max_age_ms: i64::from(self.max_age_hours) * 3_600_000,
            max_future_ms: i64::from(self.max_future_hours) * 3_600_000,
            categories: self.categories.clone(),
        }
    }

    /// The chain key's bytes, when set.
    pub fn key(&self) -> Option<Vec<u8>> {
        self.chain_key
            .as_ref()
            .filter(|k| !k.is_empty())
            .map(|k| k.as_bytes().to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn environment_overrides_the_file_and_lists_split_on_commas() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(
            &path,
            "listen = \"127.0.0.1:9000\"\nallowed_origins = [\"https://a.example\"]\nrate_per_minute = 5\n",
        )
        .unwrap();
        let c = Config::load(
            path.to_str(),
            env(&[
                (
                    "CONSENT_LOG_ALLOWED_ORIGINS",
                    "https://b.example, https://c.example",
                ),
                ("CONSENT_LOG_RETENTION_DAYS", "365"),
                ("PATH", "/bin"),
            ]),
        )
        .unwrap();
        assert_eq!(c.listen.port(), 9000);
        assert_eq!(
            c.allowed_origins,
            ["https://b.example", "https://c.example"]
        );
        assert_eq!(c.rate_per_minute, 5);
        assert_eq!(c.retention_days, 365);
    }

    #[test]
    fn the_example_file_is_a_valid_config() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/consent-log.example.toml");
        let c = Config::load(Some(path), env(&[])).unwrap();
        assert_eq!(c.retention_days, 400);
        assert_eq!(c.allowed_origins.len(), 2);
    }

    #[test]
    fn mistakes_name_the_setting() {
        assert_eq!(
            Config::load(None, env(&[("CONSENT_LOG_RETENTION", "1")])).err(),
            Some("CONSENT_LOG_RETENTION: unknown setting".into())
        );
        assert_eq!(
            Config::load(None, env(&[("CONSENT_LOG_ALLOWED_ORIGINS", "https://a.example/")]))
                .err(),
            Some(
                "allowed_origins: \"https://a.example/\" is not an origin like https://www.example.org"
                    .into()
            )
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "retention = 3\n").unwrap();
        let e = Config::load(path.to_str(), env(&[]))
            .err()
            .unwrap_or_default();
        assert!(e.contains("unknown field `retention`"), "{e}");
    }
}
