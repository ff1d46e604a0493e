//! The shared vectors (tests/vectors/*.json), as the Rust side reads them. The loader's e2e tests
//! read the same files: both sides agree on what a valid record is (records.json), which configs
//! fail closed (configs.json), and which cookies and storage keys are deleted (cookies.json).
#![cfg(not(target_arch = "wasm32"))]

use consent_banner::config::Config;
use consent_banner::consent::accepted;
use consent_banner::record::Stored;
use serde_json::Value;

#[test]
fn every_record_vector_reads_as_specified() {
    let text = std::fs::read_to_string("tests/vectors/records.json").expect("vectors file");
    let vectors: Value = serde_json::from_str(&text).expect("vectors JSON");
    let config = Config::from_json(&vectors["config"].to_string()).expect("vector config");
    let now = vectors["now"].as_u64().expect("now");
    let cases = vectors["cases"].as_array().expect("cases");
    assert!(cases.len() >= 30);
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        let stored = Stored::parse(case["stored"].as_str());
        let record = stored.valid_record(&config, now);
        assert_eq!(
            record.is_some(),
            case["valid"].as_bool().unwrap(),
            "{name}: {stored:?}"
        );
        let expected: Vec<&str> = case["accepted"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let got: Vec<String> = accepted(&config, record, now).into_iter().collect();
        assert_eq!(got, expected, "{name}");
    }
}

#[test]
fn loader_defaults_match_the_rust_defaults() {
    let loader = std::fs::read_to_string("www/consent-banner.js").expect("loader");
    let start = loader.find("/*defaults*/").expect("defaults marker") + "/*defaults*/".len();
    let end = loader.find("/*end*/").expect("end marker");
    let defaults: Value = serde_json::from_str(&loader[start..end]).expect("defaults JSON");
    let config = Config::default();
    assert_eq!(defaults["revision"], config.revision);
    assert_eq!(defaults["storageKey"], config.storage_key.as_str());
    let categories: Vec<(String, bool)> = defaults["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["required"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    let expected: Vec<(String, bool)> = config
        .categories
        .iter()
        .map(|c| (c.id.clone(), c.required))
        .collect();
    assert_eq!(categories, expected);
}

#[test]
fn loader_record_constants_match_the_rust_constants() {
    use consent_banner::record::{
        CLOCK_SKEW_MS, FORMAT_VERSION, MAX_LIFETIME_MS, MAX_RECORD_BYTES,
    };
    let loader = std::fs::read_to_string("www/consent-banner.js").expect("loader");
    let value = |name: &str| -> f64 {
        let line = loader
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("var {name} =")))
            .expect(name);
        let expr = line.split('=').nth(1).unwrap().trim().trim_end_matches(';');
        expr.split('*')
            .map(|n| n.trim().parse::<f64>().expect(expr))
            .product()
    };
    assert_eq!(value("FORMAT"), f64::from(FORMAT_VERSION));
    assert_eq!(value("MAX_RECORD"), MAX_RECORD_BYTES as f64);
    assert_eq!(value("SKEW"), CLOCK_SKEW_MS as f64);
    assert_eq!(value("MAX_LIFE"), MAX_LIFETIME_MS as f64);
}

#[test]
fn every_config_vector_gets_the_verdict_it_names() {
    let text = std::fs::read_to_string("tests/vectors/configs.json").expect("vectors file");
    let vectors: Value = serde_json::from_str(&text).expect("vectors JSON");
    let cases = vectors["cases"].as_array().expect("cases");
    assert!(cases.len() >= 40);
    let mut both = 0;
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let loader = case["loader"].as_str().expect("loader verdict");
        assert!(loader == "ok" || loader == "error", "{name}: {loader}");
        let expected = if case["both"] == true {
            both += 1;
            loader
        } else {
            case["rust"].as_str().expect("rust verdict")
        };
        let verdict = Config::from_json(&case["config"].to_string());
        assert_eq!(
            if verdict.is_ok() { "ok" } else { "error" },
            expected,
            "{name}: {verdict:?}"
        );
    }
    assert!(both >= 40, "most cases are shared");
}

#[test]
fn every_deletion_vector_deletes_exactly_what_it_names() {
    use consent_banner::consent::{decide, Action};
    use consent_banner::cookies::{deletions, names, storage_deletions};
    use consent_banner::record::Source;
    use std::collections::BTreeSet;

    let text = std::fs::read_to_string("tests/vectors/cookies.json").expect("vectors file");
    let vectors: Value = serde_json::from_str(&text).expect("vectors JSON");
    let cases = vectors["cases"].as_array().expect("cases");
    assert!(cases.len() >= 10);
    let strings = |value: &Value| -> Vec<String> {
        value
            .as_array()
            .expect("a list")
            .iter()
            .map(|s| s.as_str().expect("a string").to_string())
            .collect()
    };
    let now = 1_800_000_000_000;
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let config = Config::from_json(&case["config"].to_string()).expect(name);
        let accepted = match case["decisions"].as_object() {
            None => accepted(&config, None, now),
            Some(decisions) => {
                let choices = decisions
                    .iter()
                    .map(|(id, on)| (id.clone(), on.as_bool().expect("a boolean")))
                    .collect();
                let record = decide(
                    &config,
                    None,
                    &Action::Set(choices),
                    now,
                    "id",
                    Source::Banner,
                );
                accepted(&config, Some(&record), now)
            }
        };
        let present = names(&strings(&case["present"]).join("=1; "));
        let (host, path) = (
            case["host"].as_str().unwrap(),
            case["path"].as_str().unwrap(),
        );
        let lines = deletions(&config, &accepted, &present, host, path);
        let deleted: BTreeSet<&str> = lines
            .iter()
            .map(|line| line.split('=').next().unwrap())
            .collect();
        let expected = strings(&case["deleted"]);
        let expected: BTreeSet<&str> = expected.iter().map(String::as_str).collect();
        assert_eq!(deleted, expected, "{name}");
        let paths: BTreeSet<&str> = lines
            .iter()
            .map(|line| {
                line.split("; Path=")
                    .nth(1)
                    .unwrap()
                    .split("; ")
                    .next()
                    .unwrap()
            })
            .collect();
        let want = strings(&case["paths"]);
        if !deleted.is_empty() {
            assert_eq!(paths, want.iter().map(String::as_str).collect(), "{name}");
        }
        for cookie in &deleted {
            for p in &want {
                let line = format!("{cookie}=; Max-Age=0; Path={p}");
                assert!(lines.contains(&line), "{name}: {line}");
            }
        }
        if let Some(keys) = case.get("storageKeys") {
            let keys = strings(keys);
            assert_eq!(
                storage_deletions(&config, &accepted, &keys),
                strings(&case["storageDeleted"]),
                "{name}"
            );
        }
    }
}

#[test]
fn loader_reopen_labels_match_the_built_in_texts() {
    use consent_banner::texts::{resolve, BUILT_IN_LANGUAGES};
    let loader = std::fs::read_to_string("www/consent-banner.js").expect("loader");
    let start = loader.find("/*reopen*/").expect("reopen marker") + "/*reopen*/".len();
    let end = start + loader[start..].find("/*end*/").expect("end marker");
    let labels: Value = serde_json::from_str(&loader[start..end]).expect("labels JSON");
    let labels = labels.as_object().expect("an object");
    // English at least (the other languages' names come from their files in dist/lang/).
    assert!(labels.contains_key("en"), "{labels:?}");
    for (language, label) in labels {
        assert!(
            BUILT_IN_LANGUAGES.contains(&language.as_str()),
            "{language}"
        );
        let texts = resolve(&Config::default(), language);
        assert_eq!(label, texts.reopen.as_str(), "{language}");
    }
}

#[test]
fn language_choice_follows_the_shared_vectors() {
    use consent_banner::texts::{choose_language, LANGUAGE_FILES};
    let vectors: Value =
        serde_json::from_str(&std::fs::read_to_string("tests/vectors/languages.json").unwrap())
            .unwrap();
    for case in vectors["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let mut texts = serde_json::Map::new();
        for key in case["texts"].as_array().unwrap() {
            texts.insert(key.as_str().unwrap().into(), serde_json::json!({}));
        }
        let mut config = serde_json::json!({ "texts": texts });
        if let Some(language) = case.get("language") {
            config["language"] = language.clone();
        }
        let config = Config::from_json(&config.to_string()).unwrap();
        let browser: Vec<String> = case["browser"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b.as_str().unwrap().to_string())
            .collect();
        let chosen = choose_language(&config, case["page"].as_str(), &browser, LANGUAGE_FILES);
        assert_eq!(chosen, case["chosen"].as_str().unwrap(), "{name}");
    }
}

#[test]
fn the_loader_knows_the_same_language_files() {
    use consent_banner::texts::LANGUAGE_FILES;
    let loader = std::fs::read_to_string("www/consent-banner.js").expect("loader");
    let start = loader.find("/*languages*/'").expect("languages marker") + "/*languages*/'".len();
    let end = start + loader[start..].find("'/*end*/").expect("end marker");
    let listed: Vec<&str> = loader[start..end].split(' ').collect();
    assert_eq!(listed, LANGUAGE_FILES);
    let mut files: Vec<String> = std::fs::read_dir("www/lang")
        .unwrap()
        .map(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .replace(".json", "")
        })
        .collect();
    files.sort();
    let mut expected: Vec<String> = LANGUAGE_FILES.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(files, expected, "www/lang/ holds exactly the listed files");
}

#[test]
fn the_loader_knows_the_texts_of_a_language() {
    use consent_banner::texts::TEXTS_FIELDS;
    let loader = std::fs::read_to_string("www/consent-banner.js").expect("loader");
    let start = loader.find("/*texts*/'").expect("texts marker") + "/*texts*/'".len();
    let end = start + loader[start..].find("'/*end*/").expect("end marker");
    let listed: Vec<&str> = loader[start..end].split(' ').collect();
    let fields: Vec<&str> = TEXTS_FIELDS
        .iter()
        .copied()
        .filter(|f| *f != "categories")
        .collect();
    assert_eq!(listed, fields);
}

#[cfg(feature = "ssr")]
#[test]
fn every_snippet_hash_vector_matches_the_prerendered_snippet() {
    use consent_banner::prerender::{embed_config, render, snippet_hash, Loader, RenderOptions};
    let text = std::fs::read_to_string("tests/vectors/prerender.json").expect("vectors file");
    let vectors: Value = serde_json::from_str(&text).expect("vectors JSON");
    assert_eq!(
        vectors["version"],
        env!("CARGO_PKG_VERSION"),
        "the hash starts with the crate version: regenerate the vectors for the new one"
    );
    let cases = vectors["cases"].as_array().expect("cases");
    assert!(cases.len() >= 8);
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        let language = case["language"].as_str().expect("language");
        let config = case["config"].as_str().expect("config");
        let hash = case["hash"].as_str().expect("hash");
        assert_eq!(embed_config(config), config, "{name}: written as embedded");
        assert_eq!(snippet_hash(language, config), hash, "{name}");
        let snippets = render(&RenderOptions {
            language: Some(language),
            ..RenderOptions::new(config, Loader::External(b""))
        })
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            (snippets.language.as_str(), snippets.hash.as_str()),
            (language, hash),
            "{name}"
        );
        assert!(
            snippets
                .body
                .starts_with(&format!("<consent-banner data-prerendered=\"{hash}\" ")),
            "{name}"
        );
    }
}

#[test]
fn the_loader_carries_the_crate_version_when_it_marks_it() {
    // `/*version*/'0.1.0'/*end*/`: the first line of the snippet hash the loader computes.
    for entry in std::fs::read_dir("www").expect("www/") {
        let path = entry.expect("www/ entry").path();
        if path.extension().is_none_or(|e| e != "js") {
            continue;
        }
        let loader = std::fs::read_to_string(&path).expect("loader");
        let Some(start) = loader.find("/*version*/") else {
            continue;
        };
        let rest = &loader[start + "/*version*/".len()..];
        let end = rest.find("/*end*/").expect("the version marker's end");
        let version = rest[..end].trim().trim_matches(|c| c == '\'' || c == '"');
        assert_eq!(
            version,
            env!("CARGO_PKG_VERSION"),
            "{}: the version in the snippet hash",
            path.display()
        );
    }
}
