//! The decision vectors (tests/vectors/decisions.json): the record, the cookie mirror and the
//! receipt that Accept all and Decline all write on a first visit, for a config, a clock and an id.
//! The UI writes them with `consent::decide`, `cookies::mirror` and `Receipt::decision`; the
//! prerendered layer's loader (www/consent-banner.js, blocks /*+prerender*/) writes them in
//! JavaScript, and tests/e2e/prerender.test.mjs replays every case through it and compares the
//! bytes. `BLESS=1 cargo test --test decisions` rewrites the expected bytes from the Rust side
//! (then review the diff: the loader must follow).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use consent_banner::config::Config;
use consent_banner::consent::{accepted, decide, Action};
use consent_banner::cookies::mirror;
use consent_banner::receipt::{texts_sha256, Receipt, Shown};
use consent_banner::record::Source;
use consent_banner::texts::resolve;
use serde_json::Value;

const FILE: &str = "tests/vectors/decisions.json";

/// What the UI writes for `case`: (record, cookie, receipt, textsSha256).
fn written(case: &Value) -> (String, Value, String, String) {
    let config = Config::from_json(case["config"].as_str().expect("config text"))
        .unwrap_or_else(|e| panic!("{}: {e}", case["name"]));
    let now = case["now"].as_u64().expect("now");
    let id = case["id"].as_str().expect("id");
    let action = match case["action"].as_str() {
        Some("accept") => Action::AcceptAll,
        Some("decline") => Action::RejectAll,
        other => panic!("action {other:?}"),
    };
    let record = decide(&config, None, &action, now, id, Source::Banner);
    let cookie = config
        .cookie
        .as_ref()
        .and_then(|m| mirror(m, &record, now, case["https"].as_bool().unwrap_or(false)))
        .map_or(Value::Null, Value::String);
    let texts = resolve(&config, "en");
    let shown = Shown::new(&config, &texts);
    let receipt = Receipt::decision(&config, &shown, &record, &accepted(&config, None, now));
    (
        record.to_json(),
        cookie,
        receipt.to_json(),
        texts_sha256(&config, &texts),
    )
}

#[test]
fn first_decisions_write_the_pinned_record_cookie_and_receipt() {
    let text = std::fs::read_to_string(FILE).expect("vectors file");
    let mut vectors: Value = serde_json::from_str(&text).expect("vectors JSON");
    let bless = std::env::var_os("BLESS").is_some();
    let cases = vectors["cases"].as_array_mut().expect("cases");
    assert!(cases.len() >= 4);
    for case in cases.iter_mut() {
        let (record, cookie, receipt, sha) = written(case);
        if bless {
            case["record"] = record.into();
            case["cookie"] = cookie;
            case["receipt"] = receipt.into();
            case["textsSha256"] = sha.into();
            continue;
        }
        let name = &case["name"];
        assert_eq!(case["record"], record.as_str(), "{name}: record");
        assert_eq!(case["cookie"], cookie, "{name}: cookie");
        assert_eq!(case["receipt"], receipt.as_str(), "{name}: receipt");
        assert_eq!(case["textsSha256"], sha.as_str(), "{name}: texts digest");
    }
    if bless {
        let text = serde_json::to_string_pretty(&vectors).expect("JSON") + "\n";
        std::fs::write(FILE, text).expect("write vectors");
    }
}
