//! `Stored::parse` on any stored text (any script on the origin can write it), at several clocks:
//! never panics; reads as serde_json reads it (see `tests/support/reference.rs`), and so do the
//! API's choices; a record re-reads as itself. What a visitor sees: a valid decision survives
//! saving the preferences untouched (same choices, same consent id), and a record that is not
//! valid lends nothing to the next decision (a fresh id, nothing accepted that was not chosen).
#![no_main]

#[path = "../../tests/support/reference.rs"]
mod reference;

use consent_banner::config::Config;
use consent_banner::consent::{accepted, decide, Action};
use consent_banner::map::Map;
use consent_banner::record::{Source, Stored};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for check in [reference::check_record, reference::check_choices] {
        if let Err(difference) = check(text) {
            panic!("{difference}");
        }
    }
    let config = Config::default();
    let stored = Stored::parse(Some(text));
    let Stored::Record(record) = &stored else {
        return;
    };
    assert_eq!(Stored::parse(Some(&record.to_json())), stored, "round trip");
    for now in [
        0,
        1,
        record.given,
        record.updated,
        record.expires,
        1_800_000_000_000,
    ] {
        // A browser's clock, not the year 140,000 (where a new decision's expiry would pass 2^53).
        if now >= 1 << 52 {
            continue;
        }
        let untouched = Action::Set(Map::new());
        let next = decide(
            &config,
            Some(record),
            &untouched,
            now,
            "fresh",
            Source::Banner,
        );
        match stored.valid_record(&config, now) {
            Some(valid) => {
                assert_eq!(next.id, valid.id, "the consent id is kept");
                assert_eq!(
                    accepted(&config, Some(&next), now),
                    accepted(&config, Some(valid), now),
                    "saving untouched preferences changes nothing"
                );
            }
            None => {
                assert_eq!(next.id, "fresh", "an invalid record's id is never reused");
                assert_eq!(
                    accepted(&config, Some(&next), now),
                    accepted(&config, None, now),
                    "nothing optional without a choice"
                );
            }
        }
    }
});
