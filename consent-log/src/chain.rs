//! The tamper-evident chain. Each row's `hash` is SHA-256 (or HMAC-SHA-256 with the operator's
//! `chain_key`) over the previous row's hash and the row's own content, so changing, inserting or
//! removing a row breaks every link after it. With a `chain_key`, someone who can write the
//! database but not read the collector's config cannot recompute the links either.
//!
//! Retention removes a prefix of the chain; a checkpoint keeps the last removed row's hash, so the
//! rows that remain still verify from there.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The `prev_hash` of the very first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a row's hash covers (everything but its position `seq` and the hashes themselves).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content {
    /// The anonymous consent id.
    pub consent_id: String,
    /// Decision time (ms, the visitor's clock).
    pub time_ms: i64,
    /// When the collector received it (ms, the server's clock).
    pub received_ms: i64,
    /// Policy revision.
    pub revision: i64,
    /// Action name.
    pub action: String,
    /// Source name.
    pub source: String,
    /// Categories as compact JSON, as sent.
    pub categories: String,
    /// Language tag.
    pub language: String,
    /// SHA-256 of the texts shown.
    pub texts_sha256: String,
    /// The truncated client network, only when the operator turned it on.
    pub client: Option<String>,
}

impl Content {
    /// The canonical bytes: a compact JSON array of the fields in this order.
    pub fn canonical(&self) -> String {
        serde_json::json!([
            self.consent_id,
            self.time_ms,
            self.received_ms,
            self.revision,
            self.action,
            self.source,
            self.categories,
            self.language,
            self.texts_sha256,
            self.client,
        ])
        .to_string()
    }
}

fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    out
}

fn digest(key: Option<&[u8]>, parts: &[&[u8]]) -> String {
    match key {
        Some(key) => match Hmac::<Sha256>::new_from_slice(key) {
            Ok(mut mac) => {
                for p in parts {
                    mac.update(p);
                }
                hex(&mac.finalize().into_bytes())
            }
            // HMAC takes keys of any length; unreachable, but never an unkeyed hash by surprise.
            Err(_) => String::new(),
        },
        None => {
            let mut h = Sha256::new();
            for p in parts {
                h.update(p);
            }
            hex(&h.finalize())
        }
    }
}

/// The hash of a row whose predecessor's hash is `prev_hash`.
pub fn link(key: Option<&[u8]>, prev_hash: &str, content: &Content) -> String {
    digest(
        key,
        &[
            b"consent-log/1\n",
            prev_hash.as_bytes(),
            b"\n",
            content.canonical().as_bytes(),
        ],
    )
}

/// The MAC of a retention checkpoint: rows up to `seq` were removed, the last with `hash`.
pub fn checkpoint_mac(key: Option<&[u8]>, seq: i64, hash: &str) -> String {
    digest(
        key,
        &[
            b"consent-log/checkpoint\n",
            seq.to_string().as_bytes(),
            b"\n",
            hash.as_bytes(),
        ],
    )
}

/// SHA-256 of `data`, lowercase hex.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content() -> Content {
        Content {
            consent_id: "abc".into(),
            time_ms: 1,
            received_ms: 2,
            revision: 1,
            action: "accept".into(),
            source: "banner".into(),
            categories: r#"{"essential":true}"#.into(),
            language: "en".into(),
            texts_sha256: "a".repeat(64),
            client: None,
        }
    }

    #[test]
    fn any_change_of_content_or_predecessor_changes_the_hash() {
        let h = link(None, GENESIS, &content());
        assert_eq!(h.len(), 64);
        let mut other = content();
        other.action = "decline".into();
        assert_ne!(link(None, GENESIS, &other), h);
        assert_ne!(link(None, &h, &content()), h);
        assert_ne!(link(Some(b"key"), GENESIS, &content()), h);
    }

    #[test]
    fn canonical_form_is_a_json_array() {
        assert_eq!(
            content().canonical(),
            format!(
                "[\"abc\",1,2,1,\"accept\",\"banner\",\"{{\\\"essential\\\":true}}\",\"en\",\"{}\",null]",
                "a".repeat(64)
            )
        );
    }
}
