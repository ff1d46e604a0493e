//! Any body: the parser answers Ok or Err, never panics, and what it accepts is a receipt that
//! reads back the same from its stored form (only checked values reach the log).
#![no_main]

use libfuzzer_sys::fuzz_target;

// The parser itself, without the server's dependencies (it needs only serde and serde_json).
#[path = "../../src/receipt.rs"]
#[allow(dead_code)]
mod receipt;

const NOW: i64 = 1_796_000_000_000;

fuzz_target!(|data: &[u8]| {
    let limits = receipt::Limits::default();
    let Ok(r) = receipt::parse(data, NOW, &limits) else {
        return;
    };
    assert!(data.len() <= limits.max_body_bytes);
    assert!(receipt::is_consent_id(&r.id));
    assert!(r.categories.iter().all(|(id, _)| receipt::is_category_id(id)));
    assert!((NOW - limits.max_age_ms..=NOW + limits.max_future_ms).contains(&r.time));
    // The stored categories JSON is valid JSON with the same decisions, in the same order.
    let stored = receipt::categories_json(&r.categories);
    assert!(serde_json::from_str::<serde_json::Value>(&stored).is_ok_and(|v| v.is_object()));
    let rebuilt = format!(
        r#"{{"v":1,"id":{},"time":{},"revision":{},"action":{},"source":{},"categories":{stored},"language":{},"textsSha256":{}}}"#,
        serde_json::Value::from(r.id.as_str()),
        r.time,
        r.revision,
        serde_json::Value::from(r.action.as_str()),
        serde_json::Value::from(r.source.as_str()),
        serde_json::Value::from(r.language.as_str()),
        serde_json::Value::from(r.texts_sha256.as_str()),
    );
    let again = receipt::parse(rebuilt.as_bytes(), NOW, &limits).expect("reads back");
    assert_eq!(again, r);
});
