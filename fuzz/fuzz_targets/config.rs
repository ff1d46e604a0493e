//! `Config::from_json` on any text: never panics; reads as serde_json reads it (the same config or
//! the same message, see `tests/support/reference.rs`); an accepted config survives a JSON round
//! trip, and what the loader and the banner compare (the category signature) names each category
//! once, so a config the two read differently can never look the same.
#![no_main]

#[path = "../../tests/support/reference.rs"]
mod reference;

use consent_banner::category_signature;
use consent_banner::config::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(difference) = reference::check_config(text) {
        panic!("{difference}");
    }
    let Ok(config) = Config::from_json(text) else {
        return;
    };
    let json = serde_json::to_string(&config).expect("a config serializes");
    assert_eq!(
        Config::from_json(&json).as_ref(),
        Ok(&config),
        "round trip of {json}"
    );
    // The signature splits back into the ids, in order, each required one marked.
    let signature = category_signature(&config);
    let read: Vec<(&str, bool)> = signature
        .split(',')
        .map(|part| match part.strip_suffix('*') {
            Some(id) => (id, true),
            None => (part, false),
        })
        .collect();
    let expected: Vec<(&str, bool)> = config
        .categories
        .iter()
        .map(|c| (c.id.as_str(), c.required))
        .collect();
    assert_eq!(read, expected, "{signature}");
});
