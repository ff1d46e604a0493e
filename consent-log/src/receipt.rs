//! The banner's receipt, parsed strictly at the edge (README "Consent receipts"):
//!
//! ```json
//! {"v":1,"id":"3f0c1c9e-8a51-4c1e-9a8e-2b0a7f5d6e41","time":1796000000000,"revision":1,
//!  "action":"custom","source":"banner","categories":{"essential":true,"statistics":false},
//!  "language":"en","textsSha256":"5d41…(64 hex digits)"}
//! ```
//!
//! Every field is required, no other field is allowed, a field given twice is an error, and each
//! value is checked ([`Limits`]). A body that fails gets a 4xx and nothing is stored.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

/// The receipt format this collector reads.
pub const RECEIPT_VERSION: u32 = 1;
/// Longest consent id (the banner's `record::MAX_ID_LEN`).
pub const MAX_ID_LEN: usize = 64;
/// Most categories in one receipt.
pub const MAX_CATEGORIES: usize = 64;
/// Longest category id (the banner's config rule).
pub const MAX_CATEGORY_ID_LEN: usize = 32;
/// Longest language tag.
pub const MAX_LANGUAGE_LEN: usize = 35;

/// What kinds of decision a receipt records.
pub const ACTIONS: &[&str] = &["accept", "decline", "custom", "withdraw", "gpc"];
/// Who made the decision.
pub const SOURCES: &[&str] = &["banner", "api", "gpc"];

/// A receipt that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The anonymous consent id.
    pub id: String,
    /// When the decision was made, ms since the Unix epoch (the visitor's clock).
    pub time: i64,
    /// The policy revision the decision answers.
    pub revision: i64,
    /// `accept`, `decline`, `custom`, `withdraw` or `gpc`.
    pub action: String,
    /// `banner`, `api` or `gpc`.
    pub source: String,
    /// The decision per category, in the order sent.
    pub categories: Vec<(String, bool)>,
    /// The language of the texts shown.
    pub language: String,
    /// SHA-256 (lowercase hex) of the texts shown.
    pub texts_sha256: String,
}

/// What the checks allow besides the format itself.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest body, in bytes.
    pub max_body_bytes: usize,
    /// How far in the past (ms, against the server's clock) a decision's time may be.
    pub max_age_ms: i64,
    /// How far in the future (ms) a decision's time may be (the visitor's clock runs ahead).
    pub max_future_ms: i64,
    /// When not empty, the only category ids accepted.
    pub categories: Vec<String>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_body_bytes: 4096,
            max_age_ms: 24 * 3600 * 1000,
            max_future_ms: 24 * 3600 * 1000,
            categories: Vec::new(),
        }
    }
}

/// Why a body is not a receipt. The message names the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReceiptError {
    /// Larger than [`Limits::max_body_bytes`] (HTTP 413).
    TooLarge(usize),
    /// Not JSON of the receipt's shape (HTTP 400).
    Syntax(String),
    /// A field with a value out of range (HTTP 422).
    Invalid(&'static str, String),
}

impl fmt::Display for ReceiptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReceiptError::TooLarge(n) => write!(f, "body too large ({n} bytes)"),
            ReceiptError::Syntax(m) => write!(f, "not a receipt: {m}"),
            ReceiptError::Invalid(field, m) => write!(f, "{field}: {m}"),
        }
    }
}

impl std::error::Error for ReceiptError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Wire {
    v: u32,
    id: String,
    time: u64,
    revision: u32,
    action: String,
    source: String,
    categories: Categories,
    language: String,
    texts_sha256: String,
}

/// A JSON object of booleans, order kept, a key given twice refused.
struct Categories(Vec<(String, bool)>);

impl<'de> Deserialize<'de> for Categories {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Categories, D::Error> {
        struct Object;
        impl<'de> Visitor<'de> for Object {
            type Value = Categories;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of booleans")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Categories, A::Error> {
                let mut out: Vec<(String, bool)> = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, bool>()? {
                    if out.len() >= MAX_CATEGORIES {
                        return Err(de::Error::custom("categories: too many"));
                    }
                    if out.iter().any(|(k, _)| *k == key) {
                        return Err(de::Error::custom(format!("categories: duplicate {key:?}")));
                    }
                    out.push((key, value));
                }
                Ok(Categories(out))
            }
        }
        deserializer.deserialize_map(Object)
    }
}

/// A category id as the banner's config allows it: `a-z`, `0-9`, `_`, `-`, starting with a letter,
/// at most 32.
pub fn is_category_id(id: &str) -> bool {
    let mut bytes = id.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z'))
        && id.len() <= MAX_CATEGORY_ID_LEN
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-'))
}

/// A consent id: `crypto.randomUUID()` or the banner's hex fallback, so letters, digits and `-`.
pub fn is_consent_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn is_language(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= MAX_LANGUAGE_LEN
        && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !tag.starts_with('-')
}

fn is_sha256_hex(hex: &str) -> bool {
    hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Parses and checks one body, as received, at server time `now` (ms).
///
/// # Errors
///
/// [`ReceiptError`] naming the first problem.
pub fn parse(body: &[u8], now: i64, limits: &Limits) -> Result<Receipt, ReceiptError> {
    if body.len() > limits.max_body_bytes {
        return Err(ReceiptError::TooLarge(body.len()));
    }
    let wire: Wire =
        serde_json::from_slice(body).map_err(|e| ReceiptError::Syntax(e.to_string()))?;
    if wire.v != RECEIPT_VERSION {
        return Err(ReceiptError::Invalid(
            "v",
            format!("unknown receipt format {}", wire.v),
        ));
    }
    if !is_consent_id(&wire.id) {
        return Err(ReceiptError::Invalid(
            "id",
            "1 to 64 letters, digits or -".into(),
        ));
    }
    let time = i64::try_from(wire.time).unwrap_or(i64::MAX);
    if time < now.saturating_sub(limits.max_age_ms) {
        return Err(ReceiptError::Invalid("time", "too far in the past".into()));
    }
    if time > now.saturating_add(limits.max_future_ms) {
        return Err(ReceiptError::Invalid("time", "in the future".into()));
    }
    if wire.revision == 0 {
        return Err(ReceiptError::Invalid(
            "revision",
            "must be at least 1".into(),
        ));
    }
    if !ACTIONS.contains(&wire.action.as_str()) {
        return Err(ReceiptError::Invalid(
            "action",
            format!("unknown action {:?}", truncate(&wire.action)),
        ));
    }
    if !SOURCES.contains(&wire.source.as_str()) {
        return Err(ReceiptError::Invalid(
            "source",
            format!("unknown source {:?}", truncate(&wire.source)),
        ));
    }
    if (wire.action == "gpc") != (wire.source == "gpc") {
        return Err(ReceiptError::Invalid(
            "source",
            "the gpc action comes with the gpc source, and only with it".into(),
        ));
    }
    let categories = wire.categories.0;
    if categories.is_empty() {
        return Err(ReceiptError::Invalid("categories", "empty".into()));
    }
    for (id, _) in &categories {
        if !is_category_id(id) {
            return Err(ReceiptError::Invalid(
                "categories",
                format!("not a category id: {:?}", truncate(id)),
            ));
        }
        if !limits.categories.is_empty() && !limits.categories.iter().any(|c| c == id) {
            return Err(ReceiptError::Invalid(
                "categories",
                format!("not a category of this site: {id:?}"),
            ));
        }
    }
    if !is_language(&wire.language) {
        return Err(ReceiptError::Invalid(
            "language",
            "1 to 35 letters, digits or -".into(),
        ));
    }
    if !is_sha256_hex(&wire.texts_sha256) {
        return Err(ReceiptError::Invalid(
            "textsSha256",
            "64 lowercase hex digits".into(),
        ));
    }
    Ok(Receipt {
        id: wire.id,
        time,
        revision: i64::from(wire.revision),
        action: wire.action,
        source: wire.source,
        categories,
        language: wire.language,
        texts_sha256: wire.texts_sha256,
    })
}

fn truncate(text: &str) -> String {
    text.chars().take(40).collect()
}

/// The categories as compact JSON, in the order sent (`{"essential":true,"statistics":false}`).
pub fn categories_json(categories: &[(String, bool)]) -> String {
    let mut out = String::from("{");
    for (i, (id, on)) in categories.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        // Category ids are plain tokens (checked): no escaping needed.
        out.push('"');
        out.push_str(id);
        out.push_str("\":");
        out.push_str(if *on { "true" } else { "false" });
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_796_000_000_000;

    fn body(change: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
        let mut v = serde_json::json!({"v":1,"id":"3f0c1c9e-8a51-4c1e-9a8e-2b0a7f5d6e41","time":NOW,
            "revision":1,"action":"custom","source":"banner",
            "categories":{"essential":true,"functional":false,"statistics":true},
            "language":"en","textsSha256":"a".repeat(64)});
        change(&mut v);
        serde_json::to_vec(&v).unwrap_or_default()
    }

    fn error(b: &[u8]) -> String {
        match parse(b, NOW, &Limits::default()) {
            Ok(r) => panic!("accepted {r:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn the_readme_receipt_is_accepted_with_its_category_order() {
        let r = parse(&body(|_| {}), NOW, &Limits::default()).unwrap();
        assert_eq!(r.action, "custom");
        assert_eq!(
            categories_json(&r.categories),
            r#"{"essential":true,"functional":false,"statistics":true}"#
        );
    }

    #[test]
    fn every_field_is_checked_and_named() {
        assert_eq!(
            error(&body(|v| v["v"] = 2.into())),
            "v: unknown receipt format 2"
        );
        assert_eq!(
            error(&body(|v| v["id"] = "a b".into())),
            "id: 1 to 64 letters, digits or -"
        );
        assert_eq!(
            error(&body(|v| v["time"] = (NOW - 2 * 86_400_000).into())),
            "time: too far in the past"
        );
        assert_eq!(
            error(&body(|v| v["time"] = (NOW + 2 * 86_400_000).into())),
            "time: in the future"
        );
        assert_eq!(
            error(&body(|v| v["revision"] = 0.into())),
            "revision: must be at least 1"
        );
        assert_eq!(
            error(&body(|v| v["action"] = "maybe".into())),
            "action: unknown action \"maybe\""
        );
        assert_eq!(
            error(&body(|v| v["source"] = "gpc".into())),
            "source: the gpc action comes with the gpc source, and only with it"
        );
        assert_eq!(
            error(&body(
                |v| v["categories"] = serde_json::json!({"Stats": true})
            )),
            "categories: not a category id: \"Stats\""
        );
        assert_eq!(
            error(&body(|v| v["categories"] = serde_json::json!({}))),
            "categories: empty"
        );
        assert_eq!(
            error(&body(|v| v["language"] = "<script>".into())),
            "language: 1 to 35 letters, digits or -"
        );
        assert_eq!(
            error(&body(|v| v["textsSha256"] = "A".repeat(64).into())),
            "textsSha256: 64 lowercase hex digits"
        );
    }

    #[test]
    fn shape_errors_are_syntax_errors() {
        assert!(error(&body(|v| v["extra"] = 1.into())).starts_with("not a receipt: unknown field"));
        assert!(error(br#"{"v":1,"v":1}"#).starts_with("not a receipt: duplicate field"));
        assert!(error(&body(|v| v["time"] = 1.5.into())).starts_with("not a receipt"));
        assert!(
            error(&body(|v| v["categories"] = serde_json::json!({"a": 1})))
                .starts_with("not a receipt")
        );
        let dup = String::from_utf8(body(|_| {})).unwrap_or_default().replace(
            "\"essential\":true",
            "\"essential\":true,\"essential\":false",
        );
        assert!(
            error(dup.as_bytes()).contains("duplicate \\\"essential\\\"")
                || error(dup.as_bytes()).contains("duplicate")
        );
        assert!(error(b"").starts_with("not a receipt"));
        assert!(error(b"[]").starts_with("not a receipt"));
    }

    #[test]
    fn oversized_bodies_are_refused_before_parsing() {
        let big = vec![b' '; 5000];
        assert_eq!(error(&big), "body too large (5000 bytes)");
    }

    #[test]
    fn a_site_category_list_refuses_others() {
        let limits = Limits {
            categories: vec!["essential".into(), "functional".into()],
            ..Limits::default()
        };
        let e = parse(&body(|_| {}), NOW, &limits)
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("categories: not a category of this site: \"statistics\"")
        );
    }
}
