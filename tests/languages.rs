//! The language files of `www/lang/` (issue 17): one file per language, each exactly the shape of
//! one `texts.<tag>` entry of the config. Every file parses as the config's texts of its language,
//! has every text and the three default categories, leaves nothing in English where the language
//! has its own word, and has a summary in the safe text format; the set of files is the list the
//! issue asks for, and `www/consent-banner.lang.schema.json` covers them.
//!
//! Native only: `cargo test --test languages`.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use consent_banner::config::Config;
use consent_banner::richtext::{self, Block, Inline};
use serde_json::Value;

/// The 23 official EU languages besides English, then the others of issue 17.
const REQUIRED: &[&str] = &[
    "bg", "cs", "da", "de", "el", "es", "et", "fi", "fr", "ga", "hr", "hu", "it", "lt", "lv", "mt",
    "nl", "pl", "pt", "ro", "sk", "sl", "sv", // EU
    "ca", "eu", "gl", "is", "nb", "sr", "tr", "uk", "ru", "ar", "he", "fa", "hi", "id", "ja", "ko",
    "th", "vi", "zh-Hans", "zh-Hant", "pt-BR",
];

/// The text fields of the config's `Texts`, in its order: the crate's own list, `categories`
/// (which follows them) aside.
fn fields() -> &'static [&'static str] {
    consent_banner::config::TEXTS_FIELDS
        .strip_suffix(&["categories"])
        .unwrap_or_else(|| panic!("categories is not last in TEXTS_FIELDS"))
}

/// The default categories, whose label and description every file translates.
const CATEGORIES: &[&str] = &["essential", "functional", "statistics"];

/// The buttons of the first layer's row and the preferences' save button: equal width, one row.
const BUTTONS: &[&str] = &["acceptAll", "rejectAll", "preferences", "save"];
const MAX_BUTTON_CHARS: usize = 40;

/// The languages written right to left. The config has no `dir` field: the UI decides from the
/// primary subtag (`src/core/texts.rs`, `RTL_LANGUAGES`).
const RTL: &[&str] = &["ar", "fa", "he"];

/// The built-in English texts (`src/core/texts.rs`), the reference for "left in English".
const ENGLISH: &[(&str, &str)] = &[
    ("title", "Your privacy"),
    (
        "summary",
        "We log your browser's IP address to count **usage statistics** and find **operational problems**, and traffic-log cookies show us which pages are used. Cookies also keep your **lists and queries** across sessions, and your **login** if you create an account.\n\nNone of this is used to identify you, and it is **never shared with third parties**. You can accept or decline; the site works either way, and you can change or withdraw your consent at any time.",
    ),
    ("acceptAll", "Accept all"),
    ("rejectAll", "Decline all"),
    ("preferences", "Preferences"),
    ("save", "Save choices"),
    ("close", "Close"),
    ("policyLink", "Read the full privacy policy"),
    ("preferencesTitle", "Privacy preferences"),
    ("alwaysOn", "Always on"),
    ("reopen", "Cookie preferences"),
    (
        "gpcNotice",
        "Your browser's privacy signal (Global Privacy Control) was honoured.",
    ),
];

/// Texts allowed to equal the English one exactly: `(language, field)`. None is needed today;
/// a language whose word is the English one (a label such as "Cookies") goes here.
const SAME_AS_ENGLISH: &[(&str, &str)] = &[];

/// English words (4 letters or more) that are also words of every language here, or a name.
const SHARED_WORDS: &[&str] = &["cookie", "cookies", "global", "privacy", "control"];

/// Words spelled as in English that are the language's own too: cognates ("signal", "pages") and
/// loanwords its usage has settled on ("browser", "login"). Exact: an unused entry fails.
const SAME_WORDS: &[(&str, &[&str])] = &[
    ("ca", &["sessions"]),
    ("da", &["login", "session"]),
    ("de", &["traffic"]), // "Traffic-Log-Cookies", as the built-in German has it
    ("fr", &["pages", "session", "signal", "site"]),
    ("hr", &["signal"]),
    ("id", &["data"]),
    ("it", &["account", "browser"]),
    ("mt", &["browser"]),
    ("nl", &["account", "browser", "site"]),
    ("pt-BR", &["site"]),
    ("ro", &["site"]),
    ("sl", &["signal"]),
    ("sv", &["session"]),
    ("tr", &["site"]),
];

/// Characters found only in simplified Chinese, and their traditional forms, for the texts used.
const SIMPLIFIED_ONLY: &str = "们设览录询择关会这绝启识问页统计户据时务对发选隐访现仅权认";
const TRADITIONAL_ONLY: &str = "們設覽錄詢擇關會這絕啟識問頁統計戶據時務對發選隱訪現僅權認";

struct LanguageFile {
    tag: String,
    raw: String,
    json: Value,
}

fn lang_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("www/lang")
}

fn read_dir_names() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(lang_dir())
        .unwrap_or_else(|e| panic!("www/lang: {e}"))
        .map(|entry| {
            let entry = entry.unwrap_or_else(|e| panic!("www/lang: {e}"));
            entry
                .file_name()
                .into_string()
                .unwrap_or_else(|name| panic!("www/lang: {name:?} is not UTF-8"))
        })
        .collect();
    names.sort();
    names
}

fn files() -> Vec<LanguageFile> {
    read_dir_names()
        .into_iter()
        .filter_map(|name| {
            let tag = name.strip_suffix(".json")?.to_string();
            let raw = fs::read_to_string(lang_dir().join(&name))
                .unwrap_or_else(|e| panic!("www/lang/{name}: {e}"));
            let json = serde_json::from_str(&raw)
                .unwrap_or_else(|e| panic!("www/lang/{name} is not JSON: {e}"));
            Some(LanguageFile { tag, raw, json })
        })
        .collect()
}

fn text<'a>(file: &'a LanguageFile, field: &str) -> &'a str {
    file.json[field]
        .as_str()
        .unwrap_or_else(|| panic!("{}: {field} is not a string", file.tag))
}

fn category_text<'a>(file: &'a LanguageFile, id: &str, key: &str) -> &'a str {
    file.json["categories"][id][key]
        .as_str()
        .unwrap_or_else(|| panic!("{}: categories.{id}.{key} is not a string", file.tag))
}

/// Every text of a file with its path: the twelve fields, then each category's label and
/// description.
fn all_texts(file: &LanguageFile) -> Vec<(String, &str)> {
    let mut out: Vec<(String, &str)> = fields()
        .iter()
        .map(|f| ((*f).to_string(), text(file, f)))
        .collect();
    for id in CATEGORIES {
        for key in ["label", "description"] {
            out.push((
                format!("categories.{id}.{key}"),
                category_text(file, id, key),
            ));
        }
    }
    out
}

fn english(field: &str) -> &'static str {
    ENGLISH
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, t)| *t)
        .unwrap_or_else(|| panic!("no English text for {field}"))
}

/// The config of a site in this language with this file as its texts.
fn config_of(file: &LanguageFile) -> Config {
    let config = format!(
        r#"{{"language":"{tag}","texts":{{"{tag}":{raw}}}}}"#,
        tag = file.tag,
        raw = file.raw
    );
    Config::from_json(&config).unwrap_or_else(|e| panic!("{}: {e}", file.tag))
}

/// A BCP 47 tag of the forms used here, in canonical case: `ll`/`lll`, then an optional script
/// (`Hans`), then an optional region (`BR`, `419`).
fn is_bcp47(tag: &str) -> bool {
    let mut parts = tag.split('-').peekable();
    let language = parts.next().unwrap_or("");
    if !(2..=3).contains(&language.len()) || !language.bytes().all(|b| b.is_ascii_lowercase()) {
        return false;
    }
    if let Some(script) = parts.peek() {
        let b = script.as_bytes();
        if b.len() == 4 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_lowercase) {
            parts.next();
        }
    }
    if let Some(region) = parts.peek() {
        let b = region.as_bytes();
        if (b.len() == 2 && b.iter().all(u8::is_ascii_uppercase))
            || (b.len() == 3 && b.iter().all(u8::is_ascii_digit))
        {
            parts.next();
        }
    }
    parts.next().is_none()
}

fn is_rtl_letter(c: char) -> bool {
    matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF)
}

#[test]
fn the_files_are_exactly_the_required_languages() {
    let names = read_dir_names();
    for name in &names {
        let tag = name
            .strip_suffix(".json")
            .unwrap_or_else(|| panic!("www/lang/{name}: only <tag>.json files belong here"));
        assert!(is_bcp47(tag), "www/lang/{name}: not a BCP 47 tag");
    }
    let found: BTreeSet<&str> = names
        .iter()
        .filter_map(|n| n.strip_suffix(".json"))
        .collect();
    let required: BTreeSet<&str> = REQUIRED.iter().copied().collect();
    assert_eq!(REQUIRED.len(), required.len(), "REQUIRED has a duplicate");
    assert_eq!(REQUIRED.len(), 44);
    let missing: Vec<_> = required.difference(&found).collect();
    let extra: Vec<_> = found.difference(&required).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}, not asked for {extra:?} (English stays built in)"
    );
    assert!(!found.contains("en"));
}

#[test]
fn the_tag_checker_knows_bcp47_from_near_misses() {
    for good in ["de", "pt-BR", "zh-Hans", "zh-Hant", "es-419", "fil"] {
        assert!(is_bcp47(good), "{good}");
    }
    for bad in [
        "", "DE", "pt-br", "pt_BR", "zh-hans", "zh-HANS", "english", "d", "de-",
    ] {
        assert!(!is_bcp47(bad), "{bad}");
    }
}

#[test]
fn the_field_list_is_the_configs() {
    // The crate's reader names every field it knows when it meets an unknown one.
    let expected = |json: &str| -> Vec<String> {
        let message = Config::from_json(json)
            .err()
            .unwrap_or_else(|| panic!("{json} was accepted"))
            .to_string();
        let list = message
            .split_once("expected")
            .unwrap_or_else(|| panic!("{message}"))
            .1;
        list.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    let mut names: Vec<String> = fields().iter().map(|f| (*f).to_string()).collect();
    names.push("categories".into());
    assert_eq!(expected(r#"{"texts":{"en":{"dir":"rtl"}}}"#), names);
    assert_eq!(
        expected(r#"{"texts":{"en":{"categories":{"essential":{"x":""}}}}}"#),
        ["label", "description"]
    );
    let defaults: Vec<String> = Config::from_json("")
        .unwrap_or_else(|e| panic!("{e}"))
        .categories
        .iter()
        .map(|c| c.id.clone())
        .collect();
    assert_eq!(defaults, CATEGORIES);
}

#[test]
fn every_file_parses_as_the_config_texts_of_its_language() {
    for file in files() {
        let config = config_of(&file);
        assert_eq!(config.language.as_deref(), Some(file.tag.as_str()));
        let texts = config
            .texts
            .get(&file.tag)
            .unwrap_or_else(|| panic!("{}: no texts", file.tag));
        let read = [
            &texts.title,
            &texts.summary,
            &texts.accept_all,
            &texts.reject_all,
            &texts.preferences,
            &texts.save,
            &texts.close,
            &texts.policy_link,
            &texts.preferences_title,
            &texts.always_on,
            &texts.reopen,
            &texts.gpc_notice,
        ];
        for (field, value) in fields().iter().zip(read) {
            assert_eq!(
                value.as_deref(),
                Some(text(&file, field)),
                "{}: {field} as the config reads it",
                file.tag
            );
        }
        let ids: Vec<&String> = texts.categories.keys().collect();
        assert_eq!(ids, CATEGORIES, "{}: categories", file.tag);
        for id in CATEGORIES {
            let category = texts.categories.get(id).unwrap_or_else(|| panic!("{id}"));
            assert_eq!(
                category.label.as_deref(),
                Some(category_text(&file, id, "label"))
            );
            assert_eq!(
                category.description.as_deref(),
                Some(category_text(&file, id, "description"))
            );
        }
    }
}

#[test]
fn every_text_and_category_is_present_and_non_empty() {
    for file in files() {
        let tag = &file.tag;
        let object = file
            .json
            .as_object()
            .unwrap_or_else(|| panic!("{tag}: not an object"));
        let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
        keys.sort_unstable();
        let mut expected: Vec<&str> = fields().to_vec();
        expected.push("categories");
        expected.sort_unstable();
        assert_eq!(keys, expected, "{tag}: the fields (no `dir`: see RTL)");
        let categories = file.json["categories"]
            .as_object()
            .unwrap_or_else(|| panic!("{tag}: categories is not an object"));
        let ids: BTreeSet<&str> = categories.keys().map(String::as_str).collect();
        assert_eq!(
            ids,
            CATEGORIES.iter().copied().collect(),
            "{tag}: categories"
        );
        for (id, entry) in categories {
            let entry = entry
                .as_object()
                .unwrap_or_else(|| panic!("{tag}: categories.{id}"));
            let mut keys: Vec<&str> = entry.keys().map(String::as_str).collect();
            keys.sort_unstable();
            assert_eq!(keys, ["description", "label"], "{tag}: categories.{id}");
        }
        for (path, value) in all_texts(&file) {
            assert!(!value.trim().is_empty(), "{tag}: {path} is empty");
            assert_eq!(value, value.trim(), "{tag}: {path} has outer whitespace");
            assert!(
                !value.contains("  ") && !value.contains('\t') && !value.contains('\r'),
                "{tag}: {path} has stray whitespace"
            );
            if path != "summary" {
                assert!(!value.contains('\n'), "{tag}: {path} spans lines");
            }
        }
    }
}

#[test]
fn the_files_are_written_alike() {
    for file in files() {
        let tag = &file.tag;
        assert!(
            !file.raw.starts_with('\u{feff}'),
            "{tag}: a byte order mark"
        );
        assert!(file.raw.ends_with("}\n"), "{tag}: ends with one newline");
        // The fields in the config's order, as a translator compares two files side by side.
        let positions: Vec<usize> = fields()
            .iter()
            .chain(&["categories"])
            .map(|f| {
                file.raw
                    .find(&format!("\n  \"{f}\": "))
                    .unwrap_or_else(|| panic!("{tag}: {f} is not a top-level line"))
            })
            .collect();
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "{tag}: fields out of order"
        );
    }
}

#[test]
fn nothing_is_left_in_english() {
    let mut english_words: BTreeSet<String> = BTreeSet::new();
    let defaults = Config::from_json("").unwrap_or_else(|e| panic!("{e}"));
    let english_texts = ENGLISH.iter().map(|(_, t)| *t).chain(
        defaults
            .categories
            .iter()
            .flat_map(|c| [c.label.as_str(), c.description.as_str()]),
    );
    for t in english_texts {
        english_words.extend(words(t).filter(|w| w.len() >= 4));
    }
    let mut failures = Vec::new();
    for file in files() {
        let tag = file.tag.as_str();
        for field in fields() {
            let value = text(&file, field);
            if value == english(field) && !SAME_AS_ENGLISH.contains(&(tag, field)) {
                failures.push(format!("{tag}: {field} is the English {value:?}"));
            }
        }
        for (id, category) in CATEGORIES.iter().zip(&defaults.categories) {
            for (key, english) in [
                ("label", &category.label),
                ("description", &category.description),
            ] {
                if category_text(&file, id, key) == english {
                    failures.push(format!("{tag}: categories.{id}.{key} is the English"));
                }
            }
        }
        let same_words: &[&str] = SAME_WORDS
            .iter()
            .find(|(t, _)| *t == tag)
            .map_or(&[], |(_, w)| w);
        for (path, value) in all_texts(&file) {
            // "Global Privacy Control" is a name, kept in every language.
            let value = value.replace("Global Privacy Control", "");
            for word in words(&value) {
                if english_words.contains(&word)
                    && !SHARED_WORDS.contains(&word.as_str())
                    && !same_words.contains(&word.as_str())
                {
                    failures.push(format!("{tag}: {path}: the English word {word:?}"));
                }
            }
        }
        assert!(
            text(&file, "gpcNotice").contains("Global Privacy Control"),
            "{tag}: gpcNotice names Global Privacy Control"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The lower-case ASCII words of a text (other scripts are never English).
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphabetic()))
        .map(str::to_ascii_lowercase)
}

#[test]
fn every_allow_list_entry_is_used() {
    // An allow-list entry nothing needs hides the next untranslated word: keep them exact.
    let files = files();
    for (tag, same_words) in SAME_WORDS {
        let file = files
            .iter()
            .find(|f| f.tag == *tag)
            .unwrap_or_else(|| panic!("{tag}"));
        let all: String = all_texts(file)
            .into_iter()
            .map(|(_, t)| t.to_ascii_lowercase() + " ")
            .collect();
        let used: BTreeSet<String> = words(&all).collect();
        for word in *same_words {
            assert!(used.contains(*word), "{tag}: {word} is allowed but unused");
        }
    }
    for (tag, field) in SAME_AS_ENGLISH {
        let file = files
            .iter()
            .find(|f| f.tag == *tag)
            .unwrap_or_else(|| panic!("{tag}"));
        assert_eq!(text(file, field), english(field), "{tag}: {field}");
    }
}

#[test]
fn the_summary_renders_with_the_safe_format() {
    let shape = |blocks: &[Block]| -> Vec<(bool, usize)> {
        blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(inlines) => (
                    false,
                    inlines
                        .iter()
                        .filter(|i| matches!(i, Inline::Bold(_)))
                        .count(),
                ),
                Block::List(items) => (true, items.len()),
            })
            .collect()
    };
    let english_blocks = richtext::parse(english("summary"));
    let english_shape = shape(&english_blocks);
    assert_eq!(english_shape, [(false, 4), (false, 1)]);
    for file in files() {
        let tag = &file.tag;
        let config = config_of(&file);
        let blocks = richtext::parse(text(&file, "summary"));
        assert_eq!(
            shape(&blocks),
            english_shape,
            "{tag}: the summary's paragraphs and bold runs follow the English"
        );
        let mut inlines = Vec::new();
        for block in &blocks {
            match block {
                Block::Paragraph(i) => inlines.extend(i),
                Block::List(items) => inlines.extend(items.iter().flatten()),
            }
        }
        for inline in inlines {
            let shown = match inline {
                Inline::Text(t) | Inline::Bold(t) => t,
                Inline::Link { text, href } => {
                    assert_eq!(href, &config.policy_url, "{tag}: links only to the policy");
                    text
                }
            };
            // Markup left over would show as text: a `**` or `[..](..)` that did not pair.
            for leftover in ["**", "](", "<", ">", "`", "__"] {
                assert!(
                    !shown.contains(leftover),
                    "{tag}: {leftover:?} shows as text in the summary: {shown:?}"
                );
            }
        }
        for (path, value) in all_texts(&file) {
            assert!(
                !value.contains('<') && !value.contains('>'),
                "{tag}: {path} has markup"
            );
        }
    }
}

#[test]
fn button_labels_fit_a_row() {
    let mut report = Vec::new();
    for file in files() {
        let longest = BUTTONS
            .iter()
            .map(|f| (text(&file, f).chars().count(), *f))
            .max()
            .unwrap_or_default();
        report.push(format!("{} {} ({})", file.tag, longest.0, longest.1));
        assert!(
            longest.0 <= MAX_BUTTON_CHARS,
            "{}: {} is {} characters, over {MAX_BUTTON_CHARS}",
            file.tag,
            longest.1,
            longest.0
        );
        // Reject as plain as accept: neither hides behind a much longer wording.
        let accept = text(&file, "acceptAll").chars().count();
        let reject = text(&file, "rejectAll").chars().count();
        assert!(
            accept.max(reject) <= 2 * accept.min(reject) + 4,
            "{}: accept {accept} and reject {reject} characters are not of equal weight",
            file.tag
        );
    }
    eprintln!("longest button label per file: {}", report.join(", "));
}

#[test]
fn right_to_left_languages_are_written_right_to_left_and_no_other() {
    for file in files() {
        let primary = file.tag.split('-').next().unwrap_or("");
        let letters: Vec<char> = all_texts(&file)
            .iter()
            .flat_map(|(_, t)| t.chars())
            .filter(|c| c.is_alphabetic())
            .collect();
        let rtl = letters.iter().filter(|c| is_rtl_letter(**c)).count();
        if RTL.contains(&primary) {
            assert!(
                rtl * 10 >= letters.len() * 9,
                "{}: {rtl} of {} letters are right to left",
                file.tag,
                letters.len()
            );
        } else {
            assert_eq!(rtl, 0, "{}: right-to-left letters", file.tag);
        }
    }
}

#[test]
fn scripts_and_variants_match_the_tag() {
    let files: BTreeMap<String, LanguageFile> =
        files().into_iter().map(|f| (f.tag.clone(), f)).collect();
    let joined = |tag: &str| -> String {
        all_texts(&files[tag])
            .into_iter()
            .map(|(_, t)| t.replace("Global Privacy Control", "") + "\n")
            .collect()
    };
    // Serbian in Cyrillic: no Latin letters besides "IP".
    let serbian = joined("sr").replace("IP", "");
    let latin: String = serbian.chars().filter(char::is_ascii_alphabetic).collect();
    assert!(latin.is_empty(), "sr: Latin letters {latin:?}");
    // Chinese: simplified in zh-Hans, traditional in zh-Hant.
    let hans = joined("zh-Hans");
    let hant = joined("zh-Hant");
    for c in TRADITIONAL_ONLY.chars() {
        assert!(!hans.contains(c), "zh-Hans: traditional {c}");
    }
    for c in SIMPLIFIED_ONLY.chars() {
        assert!(!hant.contains(c), "zh-Hant: simplified {c}");
    }
    // Variants are written for their country, not copied.
    for (a, b) in [
        ("pt", "pt-BR"),
        ("zh-Hans", "zh-Hant"),
        ("nb", "da"),
        ("sr", "hr"),
    ] {
        assert_ne!(
            text(&files[a], "summary"),
            text(&files[b], "summary"),
            "{a} and {b}"
        );
    }
}

#[test]
fn every_summary_is_its_own() {
    let files = files();
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for file in &files {
        for (path, value) in all_texts(file) {
            if path == "summary" || path.ends_with(".description") {
                if let Some(other) = seen.insert(value, &file.tag) {
                    assert_eq!(other, file.tag, "{path} of {} is {other}'s", file.tag);
                }
            }
        }
    }
}

// The JSON Schema of the language files. The project has no JSON Schema validator among its
// dev-dependencies, so the keywords the schema uses are checked here, and the schema may use no
// other (`schema_uses_only_the_checked_keywords`).

const CHECKED_KEYWORDS: &[&str] = &[
    "$schema",
    "title",
    "description",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "minLength",
    "maxLength",
    "$ref",
    "$defs",
];

fn schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("www/consent-banner.lang.schema.json");
    let raw = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&raw).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn resolve_ref<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r
                .strip_prefix("#/$defs/")
                .unwrap_or_else(|| panic!("only #/$defs/ references: {r}"));
            &root["$defs"][name]
        }
        None => schema,
    }
}

/// Validates `value` against `schema` (the keywords of [`CHECKED_KEYWORDS`]); the errors name
/// their path.
fn validate(root: &Value, schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let schema = resolve_ref(root, schema);
    match schema.get("type").and_then(Value::as_str) {
        Some("object") => {
            let Some(object) = value.as_object() else {
                errors.push(format!("{path}: not an object"));
                return;
            };
            let properties = schema.get("properties").and_then(Value::as_object);
            for name in schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if !object.contains_key(name) {
                    errors.push(format!("{path}: {name} is missing"));
                }
            }
            for (key, v) in object {
                let child = format!("{path}.{key}");
                match properties.and_then(|p| p.get(key)) {
                    Some(s) => validate(root, s, v, &child, errors),
                    None => match schema.get("additionalProperties") {
                        Some(Value::Bool(false)) => errors.push(format!("{child}: not allowed")),
                        Some(Value::Bool(true)) | None => {}
                        Some(s) => validate(root, s, v, &child, errors),
                    },
                }
            }
        }
        Some("string") => {
            let Some(s) = value.as_str() else {
                errors.push(format!("{path}: not a string"));
                return;
            };
            let n = s.chars().count() as u64;
            if let Some(min) = schema.get("minLength").and_then(Value::as_u64) {
                if n < min {
                    errors.push(format!("{path}: shorter than {min}"));
                }
            }
            if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
                if n > max {
                    errors.push(format!("{path}: longer than {max}"));
                }
            }
        }
        other => panic!("{path}: the schema's type {other:?} is not checked here"),
    }
}

fn schema_errors(value: &Value) -> Vec<String> {
    let root = schema();
    let mut errors = Vec::new();
    validate(&root, &root, value, "$", &mut errors);
    errors
}

#[test]
fn schema_uses_only_the_checked_keywords() {
    fn walk(schema: &Value, path: &str) {
        let Some(object) = schema.as_object() else {
            panic!("{path}: a schema is an object");
        };
        for (key, value) in object {
            assert!(
                CHECKED_KEYWORDS.contains(&key.as_str()),
                "{path}: keyword {key} is not checked by this test"
            );
            match key.as_str() {
                "properties" | "$defs" => {
                    for (name, s) in value.as_object().unwrap_or_else(|| panic!("{path}.{key}")) {
                        walk(s, &format!("{path}.{key}.{name}"));
                    }
                }
                "additionalProperties" if value.is_object() => {
                    walk(value, &format!("{path}.{key}"))
                }
                _ => {}
            }
        }
    }
    walk(&schema(), "$");
}

#[test]
fn the_schema_has_the_configs_fields() {
    let schema = schema();
    let mut expected: Vec<&str> = fields().to_vec();
    expected.push("categories");
    let properties: Vec<&str> = schema["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("properties"))
        .keys()
        .map(String::as_str)
        .collect();
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap_or_else(|| panic!("required"))
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let mut sorted = expected.clone();
    sorted.sort_unstable();
    let mut properties_sorted = properties.clone();
    properties_sorted.sort_unstable();
    assert_eq!(properties_sorted, sorted, "the schema's properties");
    assert_eq!(
        required, expected,
        "the schema's required list, in the config's order"
    );
    assert_eq!(schema["additionalProperties"], Value::Bool(false));
    for button in BUTTONS {
        assert_eq!(
            schema["properties"][button]["maxLength"].as_u64(),
            Some(MAX_BUTTON_CHARS as u64),
            "{button}"
        );
    }
}

#[test]
fn every_file_validates_against_the_schema() {
    for file in files() {
        let errors = schema_errors(&file.json);
        assert!(errors.is_empty(), "{}: {}", file.tag, errors.join("; "));
    }
}

#[test]
fn the_schema_rejects_what_the_files_must_not_be() {
    let file = files()
        .into_iter()
        .find(|f| f.tag == "de")
        .unwrap_or_else(|| panic!("de"));
    let broken = |edit: &dyn Fn(&mut Value)| -> Vec<String> {
        let mut value = file.json.clone();
        edit(&mut value);
        schema_errors(&value)
    };
    let remove =
        |key: &'static str| move |v: &mut Value| drop(v.as_object_mut().map(|o| o.remove(key)));
    assert_eq!(broken(&remove("reopen")), ["$: reopen is missing"]);
    assert_eq!(
        broken(&|v| v["dir"] = Value::from("rtl")),
        ["$.dir: not allowed"]
    );
    assert_eq!(
        broken(&|v| v["title"] = Value::from("")),
        ["$.title: shorter than 1"]
    );
    assert_eq!(
        broken(&|v| v["acceptAll"] = Value::from("x".repeat(41))),
        ["$.acceptAll: longer than 40"]
    );
    assert_eq!(
        broken(&|v| v["categories"]["statistics"]["label"] = Value::from(3)),
        ["$.categories.statistics.label: not a string"]
    );
    assert_eq!(
        broken(&|v| drop(
            v["categories"]
                .as_object_mut()
                .map(|o| o.remove("functional"))
        )),
        ["$.categories: functional is missing"]
    );
}
