//! The events dispatched on `window`, and the `detail` they carry. Pure: the wasm edge turns a
//! [`ConsentDetail`] into a JavaScript object.

use crate::core::config::Config;
use crate::core::map::Map;
use crate::core::record::{ConsentRecord, Source};
use crate::json;

/// The user or the API changed the decision.
pub const CHANGE: &str = "consent:change";
/// The banner or the preferences opened.
pub const SHOW: &str = "consent:show";
/// The banner and the preferences closed.
pub const HIDE: &str = "consent:hide";
/// Something went wrong; gated tags stay inert.
pub const ERROR: &str = "consent:error";

/// The whole consent state, as carried by `consent:ready` and `consent:change`.
///
/// ```
/// use consent_banner::config::Config;
/// use consent_banner::events::ConsentDetail;
///
/// // No decision yet: only the required category is on.
/// let detail = ConsentDetail::new(&Config::default(), None, Vec::new(), true);
/// assert!(!detail.decided);
/// assert_eq!(detail.categories["essential"], true);
/// assert_eq!(detail.categories["statistics"], false);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ConsentDetail {
    /// `true` when a valid decision exists.
    pub decided: bool,
    /// Effective state per category id (required ones always `true`).
    pub categories: Map<bool>,
    /// The policy revision.
    pub revision: u32,
    /// First decision time (ms), or `null`.
    pub given: Option<u64>,
    /// Last change time (ms), or `null`.
    pub updated: Option<u64>,
    /// Expiry (ms), or `null`.
    pub expires: Option<u64>,
    /// The anonymous consent id, or `null`.
    pub id: Option<String>,
    /// Where the state came from: `banner`, `api`, `gpc`, `storage`, or `null` with no decision.
    pub source: Option<Source>,
    /// Category ids whose effective state changed with this event.
    pub changed: Vec<String>,
    /// `false` when the decision could not be stored (blocked or full storage).
    pub persisted: bool,
}

impl ConsentDetail {
    /// The detail for a valid record (or none), with the effective state of every category.
    ///
    /// ```
    /// use consent_banner::config::Config;
    /// use consent_banner::consent::{decide, Action};
    /// use consent_banner::events::ConsentDetail;
    /// use consent_banner::record::Source;
    ///
    /// let config = Config::default();
    /// let now = 1_800_000_000_000;
    /// let record = decide(&config, None, &Action::AcceptAll, now, "id-1", Source::Banner);
    /// let detail = ConsentDetail::new(&config, Some(&record), vec!["statistics".into()], true);
    /// assert!(detail.decided && detail.categories["statistics"]);
    /// assert_eq!(detail.id.as_deref(), Some("id-1"));
    /// ```
    pub fn new(
        config: &Config,
        record: Option<&ConsentRecord>,
        changed: Vec<String>,
        persisted: bool,
    ) -> ConsentDetail {
        let categories = crate::core::consent::decisions(config.categories.iter().map(|c| {
            let on = c.required || record.is_some_and(|r| r.categories.get(&c.id) == Some(&true));
            (c.id.clone(), on)
        }));
        ConsentDetail {
            decided: record.is_some(),
            categories,
            revision: config.revision,
            given: record.map(|r| r.given),
            updated: record.map(|r| r.updated),
            expires: record.map(|r| r.expires),
            id: record.map(|r| r.id.clone()),
            source: record.map(|r| r.source),
            changed,
            persisted,
        }
    }

    /// The detail as JSON.
    ///
    /// ```
    /// # use consent_banner::{config::Config, events::ConsentDetail};
    /// let detail = ConsentDetail::new(&Config::default(), None, Vec::new(), true);
    /// assert_eq!(
    ///     detail.to_json(),
    ///     r#"{"decided":false,"categories":{"essential":true,"functional":false,"statistics":false},"revision":1,"given":null,"updated":null,"expires":null,"id":null,"source":null,"changed":[],"persisted":true}"#
    /// );
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = "{\"decided\":".to_string();
        json::push_bool(&mut out, self.decided);
        out.push_str(",\"categories\":");
        json::push_decisions(&mut out, &self.categories);
        out.push_str(",\"revision\":");
        json::push_u64(&mut out, self.revision.into());
        out.push_str(",\"given\":");
        json::push_optional_u64(&mut out, self.given);
        out.push_str(",\"updated\":");
        json::push_optional_u64(&mut out, self.updated);
        out.push_str(",\"expires\":");
        json::push_optional_u64(&mut out, self.expires);
        out.push_str(",\"id\":");
        match &self.id {
            Some(id) => json::push_str(&mut out, id),
            None => out.push_str("null"),
        }
        out.push_str(",\"source\":");
        match self.source {
            Some(source) => json::push_str(&mut out, source.name()),
            None => out.push_str("null"),
        }
        out.push_str(",\"changed\":");
        json::push_strings(&mut out, self.changed.iter().map(String::as_str));
        out.push_str(",\"persisted\":");
        json::push_bool(&mut out, self.persisted);
        out.push('}');
        out
    }
}

/// What went wrong, as `consent:error`'s `detail.kind` says it: one name per kind, shared by the UI
/// and the loader (which reports `load` and `markup` itself).
///
/// ```
/// use consent_banner::config::Config;
/// use consent_banner::events::{ErrorDetail, ErrorKind};
///
/// let error: ErrorDetail = Config::from_json(r#"{"revision": 0}"#).unwrap_err().into();
/// assert_eq!(error.kind, ErrorKind::Config);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum ErrorKind {
    /// The config is not valid (see [`crate::config::ConfigError`]).
    Config,
    /// The decision could not be stored (see [`StorageError`]).
    Storage,
    /// The stored record is corrupt or too large: ignored.
    Record,
    /// A file of the banner could not be loaded (the loader's).
    Load,
    /// An internal error: the banner stopped.
    Panic,
    /// A gated element was refused (the loader's: a missing nonce, Trusted Types).
    Markup,
}

impl ErrorKind {
    /// The name in `detail.kind` (`"storage"`).
    ///
    /// ```
    /// # use consent_banner::events::ErrorKind;
    /// assert_eq!(ErrorKind::Storage.name(), "storage");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Config => "config",
            ErrorKind::Storage => "storage",
            ErrorKind::Record => "record",
            ErrorKind::Load => "load",
            ErrorKind::Panic => "panic",
            ErrorKind::Markup => "markup",
        }
    }
}

/// The `detail` of `consent:error`, and the one shape of every error the banner reports: the
/// message is also logged to the console (`consent-banner: <message>`).
///
/// ```
/// use consent_banner::events::{ErrorDetail, ErrorKind, StorageError};
///
/// let error = ErrorDetail::from(StorageError::Unavailable);
/// assert_eq!(error.kind, ErrorKind::Storage);
/// assert!(error.message.starts_with("storage: localStorage is unavailable"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ErrorDetail {
    /// What went wrong, as a stable machine-readable kind.
    pub kind: ErrorKind,
    /// The human-readable message, also logged to the console.
    pub message: String,
}

impl ErrorDetail {
    /// The detail as JSON: `{"kind":"config","message":"..."}`.
    ///
    /// ```
    /// use consent_banner::events::{ErrorDetail, ErrorKind};
    ///
    /// let error = ErrorDetail { kind: ErrorKind::Record, message: "record: ignored".into() };
    /// assert_eq!(error.to_json(), r#"{"kind":"record","message":"record: ignored"}"#);
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = "{\"kind\":".to_string();
        json::push_str(&mut out, self.kind.name());
        out.push_str(",\"message\":");
        json::push_str(&mut out, &self.message);
        out.push('}');
        out
    }
}

/// Why a decision could not be stored: it then holds for the page only (`persisted: false`).
///
/// ```
/// use consent_banner::events::StorageError;
///
/// let error = StorageError::Write("QuotaExceededError".into());
/// assert_eq!(
///     error.to_string(),
///     "storage: could not save the choice (QuotaExceededError); it holds for this page only"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageError {
    /// localStorage is missing or throws on access.
    Unavailable,
    /// Writing failed (quota exceeded, or storage became unavailable).
    Write(String),
}

impl StorageError {
    /// The message, as `Display` shows it (built without `core::fmt`).
    ///
    /// ```
    /// # use consent_banner::events::StorageError;
    /// assert_eq!(
    ///     StorageError::Unavailable.message(),
    ///     "storage: localStorage is unavailable; the choice holds for this page only"
    /// );
    /// ```
    pub fn message(&self) -> String {
        match self {
            StorageError::Unavailable => {
                "storage: localStorage is unavailable; the choice holds for this page only".into()
            }
            StorageError::Write(reason) => {
                "storage: could not save the choice (".to_string()
                    + reason
                    + "); it holds for this page only"
            }
        }
    }
}

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl From<StorageError> for ErrorDetail {
    fn from(error: StorageError) -> ErrorDetail {
        ErrorDetail {
            kind: ErrorKind::Storage,
            message: error.message(),
        }
    }
}

impl From<crate::core::config::ConfigError> for ErrorDetail {
    fn from(error: crate::core::config::ConfigError) -> ErrorDetail {
        ErrorDetail {
            kind: ErrorKind::Config,
            message: error.message(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::consent::{decide, Action};

    #[test]
    fn detail_carries_the_whole_state() {
        let config = Config::default();
        let r = decide(&config, None, &Action::RejectAll, 7, "id", Source::Banner);
        let json =
            ConsentDetail::new(&config, Some(&r), vec!["statistics".into()], false).to_json();
        assert_eq!(
            json,
            r#"{"decided":true,"categories":{"essential":true,"functional":false,"statistics":false},"revision":1,"given":7,"updated":7,"expires":15724800007,"id":"id","source":"banner","changed":["statistics"],"persisted":false}"#
        );
    }

    #[test]
    fn no_decision_grants_only_required() {
        let detail = ConsentDetail::new(&Config::default(), None, vec![], true);
        assert!(!detail.decided);
        assert!(detail.categories["essential"]);
        assert!(!detail.categories["statistics"]);
        assert_eq!(detail.source, None);
    }
}
