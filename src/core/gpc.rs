//! Global Privacy Control: the browser's opt-out of the sale and sharing of personal data
//! (`navigator.globalPrivacyControl`). Pure: the signal is a parameter.
//!
//! While the user has not decided, the categories marked `sharesData` in the config are declined
//! and the banner says that the signal was honoured. Nothing is stored: it is not the user's own
//! choice, and any explicit choice (Accept all included) overrides it.

use crate::core::config::Config;
use crate::core::events::ConsentDetail;
use crate::core::record::Source;

/// The optional categories the signal declines: those marked `sharesData`, when the config
/// honours the signal (`gpc`, on by default) and the browser sends it. Empty otherwise.
///
/// ```
/// use consent_banner::config::{Category, Config};
/// use consent_banner::gpc;
///
/// let config = Config {
///     categories: vec![
///         Category::new("statistics", "Statistics"),
///         Category::new("ads", "Ads").shares_data(),
///     ],
///     ..Config::default()
/// };
/// assert_eq!(gpc::declined(&config, true), ["ads"]);
/// assert!(gpc::declined(&config, false).is_empty());
/// assert!(gpc::declined(&Config { gpc: false, ..config }, true).is_empty());
/// ```
pub fn declined(config: &Config, signal: bool) -> Vec<String> {
    if !(signal && config.gpc) {
        return Vec::new();
    }
    config
        .categories
        .iter()
        .filter(|c| c.shares_data && !c.required)
        .map(|c| c.id.clone())
        .collect()
}

/// The state the signal leaves: no decision (so only required categories are on), source `gpc`.
///
/// ```
/// use consent_banner::config::Config;
/// use consent_banner::record::Source;
///
/// let detail = consent_banner::gpc::detail(&Config::default(), true);
/// assert!(!detail.decided);
/// assert_eq!(detail.source, Some(Source::Gpc));
/// assert_eq!(detail.categories["statistics"], false);
/// ```
pub fn detail(config: &Config, persisted: bool) -> ConsentDetail {
    ConsentDetail {
        source: Some(Source::Gpc),
        ..ConsentDetail::new(config, None, Vec::new(), persisted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(json: &str) -> Config {
        Config::from_json(json).unwrap_or_else(|e| panic!("{e}"))
    }

    const ADS: &str = r#"{"categories":[{"id":"essential","label":"E","required":true},
        {"id":"statistics","label":"S"},{"id":"ads","label":"A","sharesData":true}]}"#;

    #[test]
    fn signal_declines_only_categories_that_share_data() {
        assert_eq!(declined(&config(ADS), true), ["ads"]);
        assert!(declined(&config(ADS), false).is_empty(), "no signal");
        assert!(
            declined(&Config::default(), true).is_empty(),
            "the seed policy shares nothing"
        );
    }

    #[test]
    fn signal_is_ignored_when_the_config_turns_it_off() {
        let off = ADS.replacen('{', r#"{"gpc":false,"#, 1);
        assert!(declined(&config(&off), true).is_empty());
    }

    #[test]
    fn gpc_state_is_no_decision_with_source_gpc() {
        let detail = detail(&config(ADS), true);
        assert!(!detail.decided, "not stored as the user's choice");
        assert_eq!(detail.source, Some(Source::Gpc));
        assert!(!detail.categories["ads"] && detail.categories["essential"]);
        assert!(detail.to_json().contains(r#""source":"gpc""#));
    }
}
