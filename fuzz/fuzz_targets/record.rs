//! `Stored::parse` and `valid_record` on any stored text, at several clocks: never panic; read as
//! serde_json reads them (see `consent_banner::reference`), and so are the API's choices; a record
//! re-reads as itself; a valid record decides every optional category.
#![no_main]

use consent_banner::config::Config;
use consent_banner::record::Stored;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for check in [
        consent_banner::reference::check_record,
        consent_banner::reference::check_choices,
    ] {
        if let Err(difference) = check(text) {
            panic!("{difference}");
        }
    }
    let config = Config::default();
    let stored = Stored::parse(Some(text));
    if let Stored::Record(record) = &stored {
        assert_eq!(Stored::parse(Some(&record.to_json())), stored, "round trip");
        for now in [
            0,
            1,
            record.given,
            record.updated,
            record.expires,
            1_800_000_000_000,
            u64::MAX,
        ] {
            if let Some(valid) = stored.valid_record(&config, now) {
                assert!(now < valid.expires && valid.given <= valid.updated);
                for category in config.categories.iter().filter(|c| !c.required) {
                    assert!(valid.categories.contains_key(&category.id));
                }
            }
        }
    }
});
