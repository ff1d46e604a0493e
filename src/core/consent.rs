//! The decision model: from the current record and an act of the user (or the host page) to the
//! next record. Pure: the clock and the new consent id are parameters.

use crate::core::config::Config;
use crate::core::map::{Map, Set};
use crate::core::record::{ConsentRecord, Source, FORMAT_VERSION};

const DAY_MS: u64 = 24 * 60 * 60 * 1000;

/// An act that decides.
///
/// ```
/// use consent_banner::config::Config;
/// use consent_banner::consent::{decide, Action};
/// use consent_banner::map::Map;
/// use consent_banner::record::Source;
///
/// let config = Config::default();
/// let custom = Action::Set(Map::from([("statistics", true)]));
/// let record = decide(&config, None, &custom, 1_800_000_000_000, "id-1", Source::Banner);
/// assert_eq!(record.categories["statistics"], true);
/// assert_eq!(record.categories["functional"], false); // no earlier decision: declined
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Accept every category.
    AcceptAll,
    /// Decline every optional category (also a withdrawal of earlier consent).
    RejectAll,
    /// Set the given categories; others keep their current decision, or are declined when there is
    /// none. Unknown and required ids are ignored.
    Set(Map<bool>),
}

/// The categories in effect: required ones always, optional ones only when `record` is valid and
/// accepts them. Unknown categories in a record never grant anything.
///
/// ```
/// use consent_banner::config::Config;
/// use consent_banner::consent::{accepted, decide, ids, Action};
/// use consent_banner::record::Source;
///
/// let config = Config::default();
/// let now = 1_800_000_000_000;
/// assert_eq!(accepted(&config, None, now), ids(["essential".to_string()]));
/// let record = decide(&config, None, &Action::AcceptAll, now, "id-1", Source::Banner);
/// assert!(accepted(&config, Some(&record), now).contains("statistics"));
/// // Expired: only the required category again.
/// assert_eq!(accepted(&config, Some(&record), record.expires).iter().count(), 1);
/// ```
pub fn accepted(config: &Config, record: Option<&ConsentRecord>, now: u64) -> Set {
    let valid = record.filter(|r| r.is_valid_at(now, config));
    ids(config
        .categories
        .iter()
        .filter(|c| c.required || valid.is_some_and(|r| r.categories.get(&c.id) == Some(&true)))
        .map(|c| c.id.clone()))
}

/// A decision per category id.
///
/// ```
/// use consent_banner::consent::decisions;
///
/// let map = decisions([("statistics".to_string(), true), ("functional".to_string(), false)]);
/// assert_eq!(map.keys().collect::<Vec<_>>(), ["functional", "statistics"]);
/// ```
pub fn decisions(pairs: impl IntoIterator<Item = (String, bool)>) -> Map<bool> {
    pairs.into_iter().collect()
}

/// A set of category ids.
///
/// ```
/// use consent_banner::consent::ids;
///
/// let set = ids(["statistics".to_string(), "essential".to_string()]);
/// assert_eq!(set.iter().collect::<Vec<_>>(), ["essential", "statistics"]);
/// ```
pub fn ids(items: impl IntoIterator<Item = String>) -> Set {
    items.into_iter().collect()
}

/// The record that `action` makes. `previous` counts only when it is valid at `now`; its id and
/// first-decision time are kept. `new_id` is used when there is no valid previous record.
///
/// ```
/// use consent_banner::config::Config;
/// use consent_banner::consent::{decide, Action};
/// use consent_banner::record::Source;
///
/// let config = Config::default();
/// let now = 1_800_000_000_000;
/// let yes = decide(&config, None, &Action::AcceptAll, now, "id-1", Source::Banner);
/// let no = decide(&config, Some(&yes), &Action::RejectAll, now + 1000, "id-2", Source::Api);
/// assert_eq!(no.id, "id-1", "the consent id is kept");
/// assert_eq!((no.given, no.updated), (now, now + 1000));
/// assert_eq!(no.categories["statistics"], false);
/// ```
pub fn decide(
    config: &Config,
    previous: Option<&ConsentRecord>,
    action: &Action,
    now: u64,
    new_id: &str,
    source: Source,
) -> ConsentRecord {
    let previous = previous.filter(|r| r.is_valid_at(now, config));
    let categories = decisions(config.categories.iter().map(|c| {
        let on = c.required
            || match action {
                Action::AcceptAll => true,
                Action::RejectAll => false,
                Action::Set(changes) => changes.get(&c.id).copied().unwrap_or_else(|| {
                    previous.is_some_and(|r| r.categories.get(&c.id) == Some(&true))
                }),
            };
        (c.id.clone(), on)
    }));
    let any_optional = config
        .categories
        .iter()
        .any(|c| !c.required && categories[&c.id]);
    let days = if any_optional {
        config.accept_days
    } else {
        config.reject_days
    };
    ConsentRecord {
        v: FORMAT_VERSION,
        revision: config.revision,
        categories,
        given: previous.map_or(now, |r| r.given.min(now)),
        updated: now,
        expires: now.saturating_add(u64::from(days) * DAY_MS),
        id: previous.map_or_else(|| new_id.to_string(), |r| r.id.clone()),
        source,
    }
}

/// The category ids whose effective state differs between two accepted sets, sorted.
///
/// ```
/// use consent_banner::consent::{changed, ids};
///
/// let before = ids(["essential".to_string(), "statistics".to_string()]);
/// let after = ids(["essential".to_string(), "functional".to_string()]);
/// assert_eq!(changed(&before, &after), ["functional", "statistics"]);
/// ```
pub fn changed(before: &Set, after: &Set) -> Vec<String> {
    ids(before
        .difference(after)
        .chain(after.difference(before))
        .cloned())
    .into_iter()
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(not(target_arch = "wasm32"))]
    use proptest::prelude::*;

    const NOW: u64 = 1_800_000_000_000;

    fn set(pairs: &[(&str, bool)]) -> Action {
        Action::Set(pairs.iter().map(|(k, v)| ((*k).to_string(), *v)).collect())
    }

    #[test]
    fn accept_all_grants_every_category_and_reject_all_only_the_required() {
        let config = Config::default();
        let yes = decide(
            &config,
            None,
            &Action::AcceptAll,
            NOW,
            "id1",
            Source::Banner,
        );
        assert_eq!(
            accepted(&config, Some(&yes), NOW),
            ids(["essential", "functional", "statistics"].map(String::from))
        );
        let no = decide(
            &config,
            Some(&yes),
            &Action::RejectAll,
            NOW + 5,
            "id2",
            Source::Banner,
        );
        assert_eq!(
            accepted(&config, Some(&no), NOW + 5),
            ["essential".to_string()].into()
        );
        assert_eq!(no.id, "id1", "the consent id is kept across changes");
        assert_eq!(no.given, NOW);
        assert_eq!(no.updated, NOW + 5);
    }

    #[test]
    fn set_ignores_unknown_and_required_ids() {
        let config = Config::default();
        let r = decide(
            &config,
            None,
            &set(&[
                ("essential", false),
                ("statistics", true),
                ("__proto__", true),
            ]),
            NOW,
            "x",
            Source::Api,
        );
        assert_eq!(
            accepted(&config, Some(&r), NOW),
            ["essential".to_string(), "statistics".to_string()].into()
        );
        assert!(!r.categories.contains_key("__proto__"));
    }

    #[test]
    fn expired_record_grants_nothing_optional() {
        let config = Config::default();
        let r = decide(&config, None, &Action::AcceptAll, NOW, "x", Source::Banner);
        let later = r.expires;
        assert_eq!(
            accepted(&config, Some(&r), later),
            ["essential".to_string()].into()
        );
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[derive(Debug, Clone)]
    enum Step {
        Act(Action),
        BumpRevision,
        Advance(u64),
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn step() -> impl Strategy<Value = Step> {
        let id = prop_oneof![
            Just("essential"),
            Just("functional"),
            Just("statistics"),
            Just("other")
        ];
        prop_oneof![
            Just(Step::Act(Action::AcceptAll)),
            Just(Step::Act(Action::RejectAll)),
            proptest::collection::vec((id, any::<bool>()), 0..4).prop_map(|pairs| Step::Act(
                Action::Set(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            )),
            Just(Step::BumpRevision),
            (0u64..400).prop_map(|days| Step::Advance(days * DAY_MS)),
        ]
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest! {
        /// Required always on; an optional category is on only when the last explicit act since the
        /// last revision bump or expiry granted it.
        #[test]
        fn nothing_is_granted_without_an_explicit_act(steps in proptest::collection::vec(step(), 0..24)) {
            let mut config = Config::default();
            let mut now = NOW;
            let mut record: Option<ConsentRecord> = None;
            // The reference model: what the user explicitly granted, forgotten on bump/expiry.
            let mut granted = std::collections::BTreeSet::new();
            for step in steps {
                match step {
                    Step::Act(action) => {
                        let valid = record.as_ref().is_some_and(|r| r.is_valid_at(now, &config));
                        if !valid {
                            granted.clear();
                        }
                        for c in config.categories.iter().filter(|c| !c.required) {
                            let on = match &action {
                                Action::AcceptAll => true,
                                Action::RejectAll => false,
                                Action::Set(m) => m.get(&c.id).copied().unwrap_or(granted.contains(&c.id)),
                            };
                            if on { granted.insert(c.id.clone()); } else { granted.remove(&c.id); }
                        }
                        let next = decide(&config, record.as_ref(), &action, now, "new", Source::Api);
                        prop_assert!(next.is_valid_at(now, &config));
                        prop_assert!(next.to_json().len() < 1024);
                        record = Some(next);
                    }
                    Step::BumpRevision => { config.revision += 1; granted.clear(); }
                    Step::Advance(ms) => { now += ms; }
                }
                let effective = accepted(&config, record.as_ref(), now);
                let valid = record.as_ref().is_some_and(|r| r.is_valid_at(now, &config));
                for c in &config.categories {
                    let expected = c.required || (valid && granted.contains(&c.id));
                    prop_assert_eq!(effective.contains(&c.id), expected, "category {}", c.id);
                }
                prop_assert!(!effective.contains("other"));
            }
        }
    }
}
