//! The events dispatched on `window`, and the `detail` they carry. Pure: the wasm edge turns a
//! [`ConsentDetail`] into a JavaScript object.

use crate::config::Config;
use crate::json;
use crate::map::Map;
use crate::record::{ConsentRecord, Source};

/// The decision is known on page load (stored, or none).
pub const READY: &str = "consent:ready";
/// The user or the API changed the decision.
pub const CHANGE: &str = "consent:change";
/// The banner or the preferences opened.
pub const SHOW: &str = "consent:show";
/// The banner and the preferences closed.
pub const HIDE: &str = "consent:hide";
/// Something went wrong; gated tags stay inert.
pub const ERROR: &str = "consent:error";

/// The whole consent state, as carried by `consent:ready` and `consent:change`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(any(test, feature = "serde"), derive(serde::Serialize))]
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
    pub fn new(
        config: &Config,
        record: Option<&ConsentRecord>,
        changed: Vec<String>,
        persisted: bool,
    ) -> ConsentDetail {
        let categories = crate::consent::decisions(config.categories.iter().map(|c| {
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

/// The `detail` of `consent:error`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(any(test, feature = "serde"), derive(serde::Serialize))]
pub struct ErrorDetail {
    /// A stable machine-readable kind: `config`, `storage`, `record`, `load`, `panic`.
    pub kind: &'static str,
    /// The human-readable message, also logged to the console.
    pub message: String,
}

impl ErrorDetail {
    /// The detail as JSON: `{"kind":"config","message":"..."}`.
    pub fn to_json(&self) -> String {
        let mut out = "{\"kind\":".to_string();
        json::push_str(&mut out, self.kind);
        out.push_str(",\"message\":");
        json::push_str(&mut out, &self.message);
        out.push('}');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consent::{decide, Action};

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
