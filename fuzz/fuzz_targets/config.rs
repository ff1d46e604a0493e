//! `Config::from_json` on any text: never panics; reads as serde_json reads it (the same config or
//! the same message, see `consent_banner::reference`); an accepted config survives a JSON round
//! trip and resolves its texts in every language it names.
#![no_main]

use consent_banner::config::Config;
use consent_banner::texts::{resolve, BUILT_IN_LANGUAGES};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(difference) = consent_banner::reference::check_config(text) {
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
    for language in config
        .texts
        .keys()
        .map(String::as_str)
        .chain(BUILT_IN_LANGUAGES.iter().copied())
    {
        let texts = resolve(&config, language);
        assert_eq!(texts.categories.len(), config.categories.len());
    }
});
