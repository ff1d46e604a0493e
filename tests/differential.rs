//! The hand-written JSON reader and writer (`src/json/`) against serde_json (`support/reference.rs`):
//! the same texts accepted, the same values, the same messages (but for the documented
//! differences), the same bytes written.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/reference.rs"]
mod reference;

use consent_banner::events::{ConsentDetail, ErrorDetail, ErrorKind};
use consent_banner::map::Map;
use consent_banner::receipt::{Receipt, ReceiptAction};
use consent_banner::record::{ConsentRecord, Source};
use proptest::prelude::*;
use reference::{check_choices, check_config, check_record};

/// A JSON value as text, built from pieces so that whitespace can vary.
#[derive(Debug, Clone)]
enum J {
    Raw(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

fn raw(text: &str) -> J {
    J::Raw(text.to_string())
}

/// Renders `j`; `spacing` picks the whitespace between tokens.
fn render(j: &J, spacing: &mut impl Iterator<Item = u8>, out: &mut String) {
    fn space(spacing: &mut impl Iterator<Item = u8>, out: &mut String) {
        out.push_str(match spacing.next().unwrap_or(0) % 8 {
            0 => " ",
            1 => "\n  ",
            2 => "\t",
            3 => "\r\n",
            _ => "",
        })
    }
    match j {
        J::Raw(text) => out.push_str(text),
        J::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                space(spacing, out);
                render(item, spacing, out);
            }
            space(spacing, out);
            out.push(']');
        }
        J::Obj(entries) => {
            out.push('{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                space(spacing, out);
                out.push_str(key);
                space(spacing, out);
                out.push(':');
                space(spacing, out);
                render(value, spacing, out);
            }
            space(spacing, out);
            out.push('}');
        }
    }
}

/// Strings: plain, escaped, and broken in every way serde_json names.
fn string() -> impl Strategy<Value = J> {
    prop_oneof![
        4 => "[a-z]{0,6}".prop_map(|s| J::Raw(format!("\"{s}\""))),
        2 => any::<String>().prop_map(|s| J::Raw(serde_json::to_string(&s).unwrap())),
        1 => prop::sample::select(vec![
            r#""a\"b""#, r#""\\""#, r#""\/""#, r#""\b\f\n\r\t""#, r#""\u0041\u00e9""#,
            r#""\ud83d\ude00""#, r#""\ud800""#, r#""\udc00x""#, r#""\ud800\u0041""#,
            r#""\ud800x""#, r#""\ud800\x""#, r#""\x""#, r#""\u12""#, r#""\u12g4""#,
            "\"a\u{1}b\"", "\"tab\there\"", r#""unterminated"#, "\"é\u{301}\u{200b}'\"",
            r#""javascript:alert(1)""#, r#""x at line 1 column 2""#, r#""\ud800\ud800""#,
        ])
        .prop_map(raw),
    ]
}

/// Numbers of every kind serde_json tells apart, and a few that are not numbers.
fn number() -> impl Strategy<Value = J> {
    prop_oneof![
        3 => (0u64..400).prop_map(|n| J::Raw(n.to_string())),
        1 => any::<u64>().prop_map(|n| J::Raw(n.to_string())),
        1 => any::<i64>().prop_map(|n| J::Raw(n.to_string())),
        2 => prop::sample::select(vec![
            "0", "-0", "1", "-1", "10000", "10001", "4294967295", "4294967296",
            "18446744073709551615", "18446744073709551616", "99999999999999999999999",
            "-9223372036854775808", "-9223372036854775809", "1.5", "2.50", "-0.0", "1e3",
            "1E+2", "1e-2", "0.1e1", "1e308", "1.7976931348623157e308", "1.8e308", "1e309",
            "1e400", "0e999999999999", "1e99999999999", "1e-99999999999", "-1e400",
            "123456789012345678901234567890e280", "18446744073709551615.5e289",
            "1844674407370955161.5e289", "01", "1.", "1.e3", "1e", "1e+", "-", "-a", ".5",
            "+1", "1.5.5", "0x10", "NaN", "Infinity",
        ])
        .prop_map(raw),
    ]
}

fn scalar() -> impl Strategy<Value = J> {
    prop_oneof![
        3 => number(),
        3 => string(),
        1 => prop::sample::select(vec![
            "true", "false", "null", "[]", "{}", "nul", "tru", "fals", "nulx", "t", "[1]",
            "{\"a\":1}", "[\"a\"]", "{\"Lax\":null}", "]", "}", ",", ":",
        ])
        .prop_map(raw),
    ]
}

fn key(name: &'static str) -> String {
    format!("\"{name}\"")
}

/// An object of some of `fields`, each from its strategy, sometimes with an unknown key or a
/// key twice.
fn object(fields: Vec<(&'static str, BoxedStrategy<J>)>) -> BoxedStrategy<J> {
    let names: Vec<&'static str> = fields.iter().map(|(n, _)| *n).collect();
    let values: Vec<BoxedStrategy<J>> = fields.into_iter().map(|(_, s)| s).collect();
    let entry = (0..names.len()).prop_flat_map(move |i| {
        let name = names[i];
        values[i].clone().prop_map(move |v| (key(name), v))
    });
    let extra = prop_oneof![
        8 => Just(None),
        1 => (prop::sample::select(vec![
            "\"revison\"", "\"Revision\"", "\"x\\\"y\"", "\"\"", "\"label \"", "\"ip\"",
            "5", "\"acceptAl\"", "\"requred\"", "\"rev\\u0069sion\"",
        ]), scalar())
            .prop_map(|(k, v)| Some((k.to_string(), v))),
    ];
    (prop::collection::vec(entry, 0..5), extra, any::<usize>())
        .prop_map(|(mut entries, extra, at)| {
            if let Some(extra) = extra {
                let at = at % (entries.len() + 1);
                entries.insert(at, extra);
            }
            J::Obj(entries)
        })
        .boxed()
}

/// Mostly `good`, sometimes anything.
fn or_scalar(good: impl Strategy<Value = J> + 'static) -> BoxedStrategy<J> {
    prop_oneof![6 => good, 1 => scalar()].boxed()
}

fn names(list: &[&'static str]) -> BoxedStrategy<J> {
    or_scalar(prop::sample::select(list.to_vec()).prop_map(|n| J::Raw(format!("\"{n}\""))))
}

fn array(element: BoxedStrategy<J>, max: usize) -> BoxedStrategy<J> {
    or_scalar(prop::collection::vec(element, 0..max).prop_map(J::Arr))
}

fn map(keys: &[&'static str], value: BoxedStrategy<J>) -> BoxedStrategy<J> {
    let keys = keys.to_vec();
    or_scalar(
        prop::collection::vec((prop::sample::select(keys), value), 0..4)
            .prop_map(|entries| J::Obj(entries.into_iter().map(|(k, v)| (key(k), v)).collect())),
    )
}

const IDS: &[&str] = &[
    "essential",
    "functional",
    "statistics",
    "ads",
    "x",
    "Bad",
    "",
];

fn boolean() -> BoxedStrategy<J> {
    or_scalar(prop::sample::select(vec!["true", "false"]).prop_map(raw))
}

fn small_number() -> BoxedStrategy<J> {
    or_scalar((0u32..20_000).prop_map(|n| J::Raw(n.to_string())))
}

fn text() -> BoxedStrategy<J> {
    or_scalar(string())
}

fn optional(strategy: BoxedStrategy<J>) -> BoxedStrategy<J> {
    prop_oneof![5 => strategy, 1 => Just(raw("null"))].boxed()
}

fn category() -> BoxedStrategy<J> {
    object(vec![
        ("id", names(IDS)),
        ("label", text()),
        ("description", text()),
        ("required", boolean()),
        ("cookies", array(names(&["_ga*", "sid", "x=y", "*", ""]), 3)),
        ("sharesData", boolean()),
        (
            "storage",
            array(names(&["ph_*", "__mpq_x", "a b", "consent*", "*", ""]), 3),
        ),
    ])
}

fn texts() -> BoxedStrategy<J> {
    let mut entries: Vec<(&'static str, BoxedStrategy<J>)> = consent_banner::texts::TEXTS_FIELDS
        .iter()
        .filter(|f| **f != "categories")
        .map(|f| (*f, optional(text())))
        .collect();
    let category_text = object(vec![
        ("label", optional(text())),
        ("description", optional(text())),
    ]);
    entries.push(("categories", map(IDS, category_text)));
    object(entries)
}

fn config_value() -> BoxedStrategy<J> {
    let categories = array(category(), 4);
    let cookie = optional(object(vec![
        ("name", names(&["consent", "a;b", "c*", ""])),
        ("domain", optional(names(&[".example.org", "x y", ""]))),
        ("path", names(&["/", "/app", "x", "/a;b"])),
        ("sameSite", names(&["Lax", "Strict", "None", "lax", ""])),
        ("secure", optional(boolean())),
    ]));
    let consent_types = array(
        names(&[
            "analytics_storage",
            "ad_storage",
            "analytic_storage",
            "AD_STORAGE",
        ]),
        3,
    );
    let consent_mode = optional(object(vec![
        ("map", map(IDS, consent_types)),
        ("waitForUpdate", small_number()),
        ("region", array(names(&["DE", "US-CA", "usa"]), 3)),
        ("adsDataRedaction", boolean()),
        ("urlPassthrough", boolean()),
    ]));
    object(vec![
        ("revision", small_number()),
        ("categories", categories),
        (
            "policyUrl",
            names(&["/privacy", "https://x.org", "javascript:x", "/\\x.org"]),
        ),
        ("acceptDays", small_number()),
        ("rejectDays", small_number()),
        ("storageKey", names(&["k", "", "consent-banner"])),
        ("cookie", cookie),
        ("language", optional(names(&["en", "de", "xx", "nl"]))),
        (
            "texts",
            map(&["en", "de", "nl", "english", "pt-BR"], texts()),
        ),
        ("floatingButton", boolean()),
        ("floatingButtonPosition", names(&["left", "right", "start"])),
        (
            "layout",
            names(&["bottom", "top", "corner", "center", "sideways"]),
        ),
        ("blocking", boolean()),
        ("theme", names(&["auto", "light", "dark", "Dark"])),
        ("reloadOnWithdraw", boolean()),
        ("googleConsentMode", consent_mode),
        ("gpc", boolean()),
        ("receiptEndpoint", optional(names(&["/r", "mailto:x@y"]))),
        ("markupDecisions", boolean()),
    ])
}

/// A rendered value, sometimes cut short or with one character changed.
fn mutated(value: BoxedStrategy<J>) -> impl Strategy<Value = String> {
    let edit = prop_oneof![
        6 => Just(None),
        1 => (any::<usize>(), Just(None)).prop_map(Some),
        2 => (any::<usize>(), prop::sample::select(vec![
            "", "\"", ",", "}", "]", "{", "[", ":", " ", "\\", "1", "-", "n", "\u{0}", "é",
        ]).prop_map(Some))
            .prop_map(Some),
    ];
    (value, prop::collection::vec(any::<u8>(), 64), edit).prop_map(|(j, spacing, edit)| {
        let mut text = String::new();
        render(&j, &mut spacing.into_iter().cycle(), &mut text);
        if let Some((at, insert)) = edit {
            let mut at = at % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            match insert {
                // Cut short.
                None => text.truncate(at),
                // Replace the character at `at`.
                Some(insert) => {
                    let next = text[at..].chars().next().map_or(0, char::len_utf8);
                    text.replace_range(at..at + next, insert);
                }
            }
        }
        text
    })
}

/// Arbitrary short texts of JSON's characters.
fn noise() -> impl Strategy<Value = String> {
    "[ \\n{}\\[\\]\":,0-9a-z\\\\.eE+-]{0,24}"
}

fn record_value() -> BoxedStrategy<J> {
    let time = or_scalar(prop_oneof![
        (1_799_000_000_000u64..1_810_000_000_000).prop_map(|n| J::Raw(n.to_string())),
        number(),
    ]);
    let fields = vec![
        (
            "v",
            or_scalar(prop::sample::select(vec!["1", "1", "0", "2", "1.0", "\"1\""]).prop_map(raw)),
        ),
        ("revision", small_number()),
        ("categories", map(IDS, boolean())),
        ("given", time.clone()),
        ("updated", time.clone()),
        ("expires", time),
        ("id", text()),
        (
            "source",
            names(&["banner", "api", "gpc", "storage", "tracker", "Banner"]),
        ),
    ];
    // Mostly every field, in any order: most texts get past "missing field".
    let complete: Vec<BoxedStrategy<(String, J)>> = fields
        .iter()
        .map(|(name, value)| {
            let name = *name;
            value.clone().prop_map(move |v| (key(name), v)).boxed()
        })
        .collect();
    prop_oneof![
        3 => complete.prop_shuffle().prop_map(J::Obj),
        1 => object(fields),
    ]
    .boxed()
}

fn same_config(text: &str) -> Result<(), TestCaseError> {
    check_config(text).map_err(TestCaseError::fail)
}

fn same_record(text: &str) -> Result<(), TestCaseError> {
    check_record(text).map_err(TestCaseError::fail)
}

fn same_choices(text: &str) -> Result<(), TestCaseError> {
    check_choices(text).map_err(TestCaseError::fail)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(3000), ..ProptestConfig::default() })]

    #[test]
    fn configs_read_as_serde_json_reads_them(text in mutated(config_value())) {
        same_config(&text)?;
    }

    #[test]
    fn any_short_text_reads_as_serde_json_reads_it(text in noise()) {
        same_config(&text)?;
        same_record(&text)?;
        same_choices(&text)?;
    }

    #[test]
    fn records_read_as_serde_json_reads_them(text in mutated(record_value())) {
        same_record(&text)?;
    }

    #[test]
    fn choices_read_as_serde_json_reads_them(text in mutated(map(IDS, boolean()))) {
        same_choices(&text)?;
    }

    #[test]
    fn records_events_and_receipts_are_written_as_serde_json_writes_them(
        categories in prop::collection::btree_map(any::<String>(), any::<bool>(), 0..4),
        id in any::<String>(),
        times in any::<(u64, u64, u64, u32, u32)>(),
        source in prop::sample::select(vec![Source::Banner, Source::Api, Source::Gpc, Source::Storage]),
        action in prop::sample::select(vec![
            ReceiptAction::Accept, ReceiptAction::Decline, ReceiptAction::Custom,
            ReceiptAction::Withdraw, ReceiptAction::Gpc,
        ]),
        changed in prop::collection::vec(any::<String>(), 0..3),
        flags in any::<(bool, bool, bool)>(),
    ) {
        let (given, updated, expires, v, revision) = times;
        let map: Map<bool> = categories.clone().into_iter().collect();
        let record = ConsentRecord {
            v, revision, categories: map, given, updated, expires,
            id: id.clone(), source,
        };
        prop_assert_eq!(record.to_json(), serde_json::to_string(&record).unwrap());
        let categories: Map<bool> = categories.into_iter().collect();
        let detail = ConsentDetail {
            decided: flags.0,
            categories: categories.clone(),
            revision,
            given: flags.1.then_some(given),
            updated: flags.1.then_some(updated),
            expires: flags.2.then_some(expires),
            id: flags.2.then(|| id.clone()),
            source: flags.1.then_some(source),
            changed,
            persisted: flags.2,
        };
        prop_assert_eq!(detail.to_json(), serde_json::to_string(&detail).unwrap());
        let receipt = Receipt {
            v, id: id.clone(), time: given, revision, action, source, categories,
            language: id.clone(), texts_sha256: id.clone(),
        };
        prop_assert_eq!(receipt.to_json(), serde_json::to_string(&receipt).unwrap());
        let error = ErrorDetail { kind: ErrorKind::Record, message: id };
        prop_assert_eq!(error.to_json(), serde_json::to_string(&error).unwrap());
    }
}

#[test]
fn every_record_vector_reads_as_serde_json_reads_it() {
    let text = std::fs::read_to_string("tests/vectors/records.json").unwrap();
    let vectors: serde_json::Value = serde_json::from_str(&text).unwrap();
    for case in vectors["cases"].as_array().unwrap() {
        if let Some(stored) = case["stored"].as_str() {
            same_record(stored).unwrap();
        }
    }
}
