//! The stored consent record: format version 1, the contract between the loader and the UI.
//!
//! One localStorage key holds one small JSON object:
//!
//! ```json
//! {"v":1,"revision":1,"categories":{"essential":true,"functional":false,"statistics":true},
//!  "given":1796000000000,"updated":1796000000000,"expires":1811724800000,
//!  "id":"3f0c1c9e-8a51-4c1e-9a8e-2b0a7f5d6e41","source":"banner"}
//! ```
//!
//! Times are integer milliseconds since the Unix epoch. `id` is a random, anonymous consent id.
//! Nothing else is stored: no IP, user agent, URL or login.
//!
//! The loader (`www/consent-banner.js`) repeats [`ConsentRecord::is_valid_at`]; the shared vectors
//! in `tests/vectors/records.json` prove that both agree.

use crate::core::config::Config;
use crate::core::map::Map;
use crate::json::{self, Reader};

/// The record format this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// Stored text longer than this is not parsed: it is not a record of ours.
pub const MAX_RECORD_BYTES: usize = 4096;
/// A record whose times lie further than this in the future is not trusted.
pub const CLOCK_SKEW_MS: u64 = 24 * 60 * 60 * 1000;
/// No record lives longer than this (13 months), whatever it says.
pub const MAX_LIFETIME_MS: u64 = 396 * 24 * 60 * 60 * 1000;
/// The consent id is at most this long.
pub const MAX_ID_LEN: usize = 64;
/// Largest integer that JavaScript represents exactly; times above it are rejected on both sides.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Where the last change of a decision came from.
///
/// ```
/// use consent_banner::config::Config;
/// use consent_banner::consent::{decide, Action};
/// use consent_banner::record::Source;
///
/// let now = 1_800_000_000_000;
/// let record = decide(&Config::default(), None, &Action::AcceptAll, now, "id", Source::Api);
/// assert_eq!(record.source, Source::Api);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Source {
    /// The user, through the banner or the preferences.
    Banner,
    /// The host page, through the JavaScript API.
    Api,
    /// The browser's Global Privacy Control signal (never stored as the user's choice).
    Gpc,
    /// Another tab of the same site.
    Storage,
}

const SOURCES: &[(&str, Source)] = &[
    ("banner", Source::Banner),
    ("api", Source::Api),
    ("gpc", Source::Gpc),
    ("storage", Source::Storage),
];

impl Source {
    /// The name in the record and in events (`"banner"`).
    ///
    /// ```
    /// # use consent_banner::record::Source;
    /// assert_eq!(Source::Storage.name(), "storage");
    /// ```
    pub fn name(self) -> &'static str {
        SOURCES
            .iter()
            .find(|(_, s)| *s == self)
            .map_or("", |(name, _)| name)
    }
}

/// One stored decision.
///
/// ```
/// use consent_banner::config::Config;
/// use consent_banner::record::Stored;
///
/// let text = r#"{"v":1,"revision":1,"categories":{"essential":true,"functional":false,"statistics":true},"given":1796000000000,"updated":1796000000000,"expires":1811724800000,"id":"3f0c1c9e","source":"banner"}"#;
/// let Stored::Record(record) = Stored::parse(Some(text)) else { panic!("not a record") };
/// assert_eq!(record.categories["statistics"], true);
/// assert!(record.is_valid_at(1_800_000_000_000, &Config::default()));
/// assert_eq!(record.to_json(), text);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ConsentRecord {
    /// Format version, [`FORMAT_VERSION`].
    pub v: u32,
    /// The policy revision the user answered.
    pub revision: u32,
    /// The decision per category id.
    pub categories: Map<bool>,
    /// When the user first decided (ms).
    pub given: u64,
    /// When the user last changed the decision (ms).
    pub updated: u64,
    /// When the decision must be asked again (ms).
    pub expires: u64,
    /// Random anonymous consent id.
    pub id: String,
    /// Source of the last change.
    pub source: Source,
}

/// What the stored text turned out to be.
///
/// ```
/// use consent_banner::record::Stored;
///
/// assert_eq!(Stored::parse(None), Stored::Empty);
/// assert_eq!(Stored::parse(Some(r#"{"v":2,"anything":[]}"#)), Stored::Newer(2));
/// assert!(matches!(Stored::parse(Some("{")), Stored::Corrupt(_)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// Nothing stored.
    Empty,
    /// A record of this format (not yet checked against the config or the clock).
    Record(ConsentRecord),
    /// A record of a newer format: no decision, and not to be overwritten until the user acts.
    Newer(u32),
    /// Anything else: no decision. The reason is for the console.
    Corrupt(String),
}

impl Stored {
    /// Reads the stored text, never failing: anything unreadable is [`Stored::Corrupt`].
    ///
    /// ```
    /// # use consent_banner::record::Stored;
    /// let Stored::Corrupt(reason) = Stored::parse(Some("[]")) else { panic!() };
    /// assert!(reason.starts_with("not a consent record: "));
    /// ```
    pub fn parse(text: Option<&str>) -> Stored {
        let Some(text) = text else {
            return Stored::Empty;
        };
        if text.len() > MAX_RECORD_BYTES {
            let mut reason = "record too large (".to_string();
            json::push_u64(&mut reason, text.len() as u64);
            reason.push_str(" bytes)");
            return Stored::Corrupt(reason);
        }
        // The version first: a newer format may have any shape.
        let version = json::parse(text, |r| {
            let mut v = 0;
            r.object("struct Version", &["v"], 1, false, &mut |r, _| {
                v = r.u64()?;
                Ok(())
            })?;
            Ok(v)
        });
        match version {
            Ok(v) if v > u64::from(FORMAT_VERSION) => {
                return Stored::Newer(u32::try_from(v).unwrap_or(u32::MAX))
            }
            Ok(v) if v < u64::from(FORMAT_VERSION) => {
                let mut reason = "unknown record version ".to_string();
                json::push_u64(&mut reason, v);
                return Stored::Corrupt(reason);
            }
            Ok(_) => {}
            Err(e) => return Stored::Corrupt("not a consent record: ".to_string() + &e.message),
        }
        match json::parse(text, read) {
            Ok(record) => Stored::Record(record),
            Err(e) => Stored::Corrupt("not a consent record: ".to_string() + &e.message),
        }
    }

    /// The record, when it is one of ours and valid for `config` at `now`.
    ///
    /// ```
    /// use consent_banner::config::Config;
    /// use consent_banner::consent::{decide, Action};
    /// use consent_banner::record::{Source, Stored};
    ///
    /// let config = Config::default();
    /// let now = 1_800_000_000_000;
    /// let record = decide(&config, None, &Action::AcceptAll, now, "id-1", Source::Banner);
    /// let stored = Stored::parse(Some(&record.to_json()));
    /// assert_eq!(stored.valid_record(&config, now), Some(&record));
    /// // A new revision of the policy asks again.
    /// let revised = Config { revision: 2, ..Config::default() };
    /// assert_eq!(stored.valid_record(&revised, now), None);
    /// ```
    pub fn valid_record(&self, config: &Config, now: u64) -> Option<&ConsentRecord> {
        match self {
            Stored::Record(record) if record.is_valid_at(now, config) => Some(record),
            _ => None,
        }
    }
}

impl ConsentRecord {
    /// The validity rule, shared with the loader: known version, current revision, not expired,
    /// times that are plausible (given <= updated <= expires, not in the future beyond
    /// [`CLOCK_SKEW_MS`], lifetime at most [`MAX_LIFETIME_MS`]), an id of at most [`MAX_ID_LEN`]
    /// characters, and a decision for every non-required category of the config.
    ///
    /// ```
    /// use consent_banner::config::Config;
    /// use consent_banner::consent::{decide, Action};
    /// use consent_banner::record::Source;
    ///
    /// let config = Config::default();
    /// let now = 1_800_000_000_000;
    /// let record = decide(&config, None, &Action::RejectAll, now, "id-1", Source::Banner);
    /// assert!(record.is_valid_at(now, &config));
    /// assert!(!record.is_valid_at(record.expires, &config));
    /// ```
    pub fn is_valid_at(&self, now: u64, config: &Config) -> bool {
        self.v == FORMAT_VERSION
            && self.revision == config.revision
            && self.expires <= MAX_SAFE_INTEGER
            && self.given <= self.updated
            && self.updated <= now.saturating_add(CLOCK_SKEW_MS)
            && now < self.expires
            && self
                .expires
                .checked_sub(self.updated)
                .is_some_and(|life| life <= MAX_LIFETIME_MS)
            && !self.id.is_empty()
            && self.id.chars().count() <= MAX_ID_LEN
            && config
                .categories
                .iter()
                .filter(|c| !c.required)
                .all(|c| self.categories.contains_key(&c.id))
    }

    /// The record as stored.
    ///
    /// ```
    /// use consent_banner::config::Config;
    /// use consent_banner::consent::{decide, Action};
    /// use consent_banner::record::Source;
    ///
    /// let config = Config::default();
    /// let record = decide(&config, None, &Action::AcceptAll, 7, "id-1", Source::Banner);
    /// assert_eq!(
    ///     record.to_json(),
    ///     r#"{"v":1,"revision":1,"categories":{"essential":true,"functional":true,"statistics":true},"given":7,"updated":7,"expires":15724800007,"id":"id-1","source":"banner"}"#
    /// );
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = "{\"v\":".to_string();
        json::push_u64(&mut out, self.v.into());
        out.push_str(",\"revision\":");
        json::push_u64(&mut out, self.revision.into());
        out.push_str(",\"categories\":");
        json::push_decisions(&mut out, &self.categories);
        out.push_str(",\"given\":");
        json::push_u64(&mut out, self.given);
        out.push_str(",\"updated\":");
        json::push_u64(&mut out, self.updated);
        out.push_str(",\"expires\":");
        json::push_u64(&mut out, self.expires);
        out.push_str(",\"id\":");
        json::push_str(&mut out, &self.id);
        out.push_str(",\"source\":");
        json::push_str(&mut out, self.source.name());
        out.push('}');
        out
    }
}

/// Reads a [`ConsentRecord`]: every field required, unknown fields are errors.
fn read(r: &mut Reader) -> Result<ConsentRecord, json::Error> {
    let mut record = ConsentRecord {
        v: 0,
        revision: 0,
        categories: Map::new(),
        given: 0,
        updated: 0,
        expires: 0,
        id: String::new(),
        source: Source::Banner,
    };
    let fields = &[
        "v",
        "revision",
        "categories",
        "given",
        "updated",
        "expires",
        "id",
        "source",
    ];
    r.object("struct ConsentRecord", fields, 0xff, true, &mut |r, i| {
        match i {
            0 => record.v = r.u32()?,
            1 => record.revision = r.u32()?,
            2 => record.categories = read_decisions(r)?,
            3 => record.given = r.u64()?,
            4 => record.updated = r.u64()?,
            5 => record.expires = r.u64()?,
            6 => record.id = r.string()?,
            _ => record.source = r.variant(SOURCES)?,
        }
        Ok(())
    })?;
    Ok(record)
}

/// Reads the API's choices, `{"category": true|false, ...}` (`ConsentBanner.set`; a repeated id
/// keeps its last value).
///
/// # Errors
///
/// serde_json's message for the text, with its position.
///
/// ```
/// use consent_banner::record::read_choices;
///
/// let choices = read_choices(r#"{"statistics": true, "functional": false}"#)?;
/// assert_eq!(choices["statistics"], true);
/// assert!(read_choices(r#"{"statistics": "yes"}"#).is_err());
/// # Ok::<(), String>(())
/// ```
pub fn read_choices(text: &str) -> Result<Map<bool>, String> {
    json::parse(text, read_decisions).map_err(|e| e.message)
}

/// Reads `{"category": true|false, ...}` (a repeated id keeps its last value).
pub(crate) fn read_decisions(r: &mut Reader) -> Result<Map<bool>, json::Error> {
    let mut decisions = Map::new();
    r.map(&mut |r, id| {
        decisions.insert(id, r.bool()?);
        Ok(())
    })?;
    Ok(decisions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> ConsentRecord {
        ConsentRecord {
            v: 1,
            revision: 1,
            categories: [
                ("functional".to_string(), false),
                ("statistics".to_string(), true),
            ]
            .into_iter()
            .collect(),
            given: 1_000,
            updated: 2_000,
            expires: 3_000,
            id: "abc".into(),
            source: Source::Banner,
        }
    }

    #[test]
    fn record_round_trips_through_its_json() {
        let r = record();
        assert_eq!(Stored::parse(Some(&r.to_json())), Stored::Record(r.clone()));
        assert!(r.to_json().len() < 1024);
    }

    #[test]
    fn unknown_or_older_version_reads_as_no_decision() {
        let config = Config::default();
        let old = r#"{"v":0,"revision":1,"categories":{},"given":1,"updated":1,"expires":9,"id":"a","source":"api"}"#;
        assert_eq!(
            Stored::parse(Some(old)),
            Stored::Corrupt("unknown record version 0".into())
        );
        let newer = r#"{"v":2,"whatever":true}"#;
        assert_eq!(Stored::parse(Some(newer)), Stored::Newer(2));
        assert_eq!(Stored::parse(Some(newer)).valid_record(&config, 5), None);
        assert!(matches!(
            Stored::parse(Some("not json")),
            Stored::Corrupt(_)
        ));
        assert_eq!(Stored::parse(None), Stored::Empty);
        // A unit enum is a string only (serde_json also took `{"banner": null}`; the loader never).
        let source_as_map = r#"{"v":1,"revision":2,"categories":{},"given":1,"updated":1,"expires":2,"id":"x","source":{"banner":null}}"#;
        assert!(matches!(
            Stored::parse(Some(source_as_map)),
            Stored::Corrupt(_)
        ));
    }

    #[test]
    fn valid_only_within_lifetime_and_revision() {
        let config = Config::default();
        let r = record();
        assert!(r.is_valid_at(2_500, &config));
        assert!(!r.is_valid_at(3_000, &config), "expired at expires");
        let mut bumped = config.clone();
        bumped.revision = 2;
        assert!(!r.is_valid_at(2_500, &bumped), "revision bump asks again");
        let mut partial = r.clone();
        partial.categories = [("statistics".to_string(), true)].into();
        assert!(
            !partial.is_valid_at(2_500, &config),
            "a missing category asks again"
        );
    }
}
