//! UI texts: English built in, the language files, the site owner's overrides, and the choice of
//! language.
//!
//! A text missing in the chosen language falls back to its language file (when the loader fetched
//! one, see [`add_language_file`]), then to the site owner's English text, then to the built-in
//! English. A raw key is never shown.

use crate::core::config::{default_categories, Config};
pub use crate::core::config::{
    read_language_file, CategoryText, Texts, BUILT_IN_LANGUAGES, LANGUAGE_FILES, TEXTS_FIELDS,
};

/// Languages written right to left.
const RTL_LANGUAGES: &[&str] = &["ar", "fa", "he", "ur", "yi", "ps", "sd", "ug", "dv", "ku"];

/// Every UI text resolved for one language.
///
/// ```
/// use consent_banner::config::Config;
/// use consent_banner::texts::resolve;
///
/// let texts = resolve(&Config::default(), "en");
/// assert_eq!((texts.title.as_str(), texts.accept_all.as_str()), ("Your privacy", "Accept all"));
/// assert_eq!(texts.categories[0].0, "Essential");
/// assert!(!texts.rtl);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedTexts {
    /// The language tag, for `lang` on the banner root.
    pub language: String,
    /// `true` for right-to-left languages, for `dir` on the banner root.
    pub rtl: bool,
    /// Heading of the banner.
    pub title: String,
    /// The policy summary (safe text format).
    pub summary: String,
    /// Accept all.
    pub accept_all: String,
    /// Decline all.
    pub reject_all: String,
    /// Open the preferences.
    pub preferences: String,
    /// Save the switches.
    pub save: String,
    /// Close the preferences.
    pub close: String,
    /// Link to the full policy.
    pub policy_link: String,
    /// Heading of the preferences.
    pub preferences_title: String,
    /// Beside a required category.
    pub always_on: String,
    /// Floating reopen button.
    pub reopen: String,
    /// GPC notice.
    pub gpc_notice: String,
    /// `(label, description)` per category, in config order.
    pub categories: Vec<(String, String)>,
}

struct BuiltIn {
    title: &'static str,
    summary: &'static str,
    accept_all: &'static str,
    reject_all: &'static str,
    preferences: &'static str,
    save: &'static str,
    close: &'static str,
    policy_link: &'static str,
    preferences_title: &'static str,
    always_on: &'static str,
    reopen: &'static str,
    gpc_notice: &'static str,
}

const EN: BuiltIn = BuiltIn {
    title: "Your privacy",
    summary: "We log your browser's IP address to count **usage statistics** and find **operational problems**, and traffic-log cookies show us which pages are used. Cookies also keep your **lists and queries** across sessions, and your **login** if you create an account.\n\nNone of this is used to identify you, and it is **never shared with third parties**. You can accept or decline; the site works either way, and you can change or withdraw your consent at any time.",
    accept_all: "Accept all",
    reject_all: "Decline all",
    preferences: "Preferences",
    save: "Save choices",
    close: "Close",
    policy_link: "Read the full privacy policy",
    preferences_title: "Privacy preferences",
    always_on: "Always on",
    reopen: "Cookie preferences",
    gpc_notice: "Your browser's privacy signal (Global Privacy Control) was honoured.",
};

fn built_in(language: &str) -> Option<&'static BuiltIn> {
    (language == "en").then_some(&EN)
}

/// Tags people use for languages whose file has another name: Chinese by region, Norwegian.
const ALIASES: &[(&str, &str)] = &[
    ("zh", "zh-Hans"),
    ("zh-tw", "zh-Hant"),
    ("zh-hk", "zh-Hant"),
    ("zh-mo", "zh-Hant"),
    ("no", "nb"),
    ("nn", "nb"),
];

/// Picks the language: the config's `language`, then the page's `<html lang>`, then the browser's
/// languages. Each is matched without regard to case against the config's `texts`, `files` (the
/// embed passes [`LANGUAGE_FILES`]; a Yew app that has no files, nothing) and English; then
/// without its last subtag (`de-AT` is `de`, `pt-BR-x` is `pt-BR`), each step through the
/// aliases (`zh-TW` is `zh-Hant`, `no` is `nb`). English when nothing matches. The loader makes
/// the same choice (`tests/vectors/languages.json` pins both).
///
/// ```
/// use consent_banner::config::Config;
/// use consent_banner::texts::{choose_language, LANGUAGE_FILES};
///
/// let config = Config::default();
/// let browser = ["de-AT".to_string(), "en".to_string()];
/// // The embed, with the language files: German for an Austrian browser.
/// assert_eq!(choose_language(&config, None, &browser, LANGUAGE_FILES), "de");
/// // The page's `<html lang>` comes first; a Yew app without files gets English.
/// assert_eq!(choose_language(&config, Some("fr"), &browser, LANGUAGE_FILES), "fr");
/// assert_eq!(choose_language(&config, None, &browser, &[]), "en");
/// ```
pub fn choose_language(
    config: &Config,
    page_lang: Option<&str>,
    browser: &[String],
    files: &[&str],
) -> String {
    let known = || {
        config
            .texts
            .keys()
            .map(String::as_str)
            .chain(files.iter().copied())
            .chain(["en"])
    };
    let candidates = config
        .language
        .as_deref()
        .into_iter()
        .chain(page_lang)
        .chain(browser.iter().map(String::as_str));
    for candidate in candidates {
        let mut tag = candidate.trim().to_ascii_lowercase();
        while !tag.is_empty() {
            let want = ALIASES
                .iter()
                .find(|(alias, _)| *alias == tag)
                .map_or(tag.as_str(), |(_, to)| to);
            if let Some(hit) = known().find(|k| k.eq_ignore_ascii_case(want)) {
                return hit.to_string();
            }
            let cut = tag.rfind('-').unwrap_or(0);
            tag.truncate(cut);
        }
    }
    "en".into()
}

/// `true` when the banner shows `language` with its file from `dist/lang/`: a language with a file
/// ([`LANGUAGE_FILES`]) for which the config does not give every text (the loader's rule: it
/// fetches the file then, and the UI adds it with [`add_language_file`]).
///
/// ```
/// use consent_banner::config::Config;
/// use consent_banner::texts::needs_language_file;
///
/// let config = Config::default();
/// assert!(needs_language_file(&config, "de"));
/// assert!(!needs_language_file(&config, "en")); // built in
/// assert!(!needs_language_file(&config, "tlh")); // no file
/// ```
pub fn needs_language_file(config: &Config, language: &str) -> bool {
    LANGUAGE_FILES.contains(&language)
        && config
            .texts
            .get(language)
            .is_none_or(|t| t.missing_text().is_some())
}

/// Adds the chosen language's file (read by [`read_language_file`]) under the site owner's own
/// texts for that language: the site's texts win. The file's summary and category texts describe
/// the default policy (InterMine's), so they apply only while the config keeps it: no summary of
/// its own in any language, and the default categories.
///
/// ```
/// use consent_banner::config::{Config, Texts};
/// use consent_banner::texts::{add_language_file, resolve};
///
/// let mut config = Config::default();
/// config.texts.insert("de".into(), Texts { save: Some("Speichern!".into()), ..Texts::default() });
/// // The file, as `read_language_file` reads `dist/lang/de.json` (two texts shown here).
/// let file = Texts {
///     save: Some("Auswahl speichern".into()),
///     accept_all: Some("Alle akzeptieren".into()),
///     ..Texts::default()
/// };
/// add_language_file(&mut config, "de", file);
/// let german = resolve(&config, "de");
/// assert_eq!(german.save, "Speichern!"); // the site's own text wins
/// assert_eq!(german.accept_all, "Alle akzeptieren");
/// ```
pub fn add_language_file(config: &mut Config, language: &str, file: Texts) {
    let own_summary = config.texts.iter().any(|(_, t)| t.summary.is_some());
    let default_categories = config.categories == default_categories();
    let mut texts = config.texts.get(language).cloned().unwrap_or_default();
    let Texts {
        title,
        summary,
        accept_all,
        reject_all,
        preferences,
        save,
        close,
        policy_link,
        preferences_title,
        always_on,
        reopen,
        gpc_notice,
        categories,
    } = file;
    for (mine, theirs) in [
        (&mut texts.title, title),
        (&mut texts.accept_all, accept_all),
        (&mut texts.reject_all, reject_all),
        (&mut texts.preferences, preferences),
        (&mut texts.save, save),
        (&mut texts.close, close),
        (&mut texts.policy_link, policy_link),
        (&mut texts.preferences_title, preferences_title),
        (&mut texts.always_on, always_on),
        (&mut texts.reopen, reopen),
        (&mut texts.gpc_notice, gpc_notice),
    ] {
        if mine.is_none() {
            *mine = theirs;
        }
    }
    if !own_summary && texts.summary.is_none() {
        texts.summary = summary;
    }
    if default_categories {
        for (id, theirs) in categories.iter() {
            if !texts.categories.contains_key(id) {
                texts.categories.insert(id.clone(), theirs.clone());
            }
        }
    }
    config.texts.insert(language.to_string(), texts);
}

/// Resolves every text for `language`, with the fallbacks described in the module docs.
///
/// ```
/// use consent_banner::config::{Config, Texts};
/// use consent_banner::texts::resolve;
///
/// let english = Texts { title: Some("Cookies on this site".into()), ..Texts::default() };
/// let config = Config { texts: [("en", english)].into(), ..Config::default() };
/// assert_eq!(resolve(&config, "en").title, "Cookies on this site");
/// // No German texts: the site's English, then the built-in English.
/// assert_eq!(resolve(&config, "de").title, "Cookies on this site");
/// assert_eq!(resolve(&config, "de").save, "Save choices");
/// assert!(resolve(&config, "ar").rtl);
/// ```
pub fn resolve(config: &Config, language: &str) -> ResolvedTexts {
    let own = config.texts.get(language);
    let english = config.texts.get("en");
    let base = built_in(language).unwrap_or(&EN);
    let pick = |field: fn(&Texts) -> &Option<String>, built: &'static str| -> String {
        own.and_then(|t| field(t).clone())
            .or_else(|| built_in(language).map(|_| built.to_string()))
            .or_else(|| english.and_then(|t| field(t).clone()))
            .unwrap_or_else(|| built.to_string())
    };
    let primary = language.split('-').next().unwrap_or("");
    ResolvedTexts {
        language: language.to_string(),
        rtl: RTL_LANGUAGES.contains(&primary),
        title: pick(|t| &t.title, base.title),
        summary: pick(|t| &t.summary, base.summary),
        accept_all: pick(|t| &t.accept_all, base.accept_all),
        reject_all: pick(|t| &t.reject_all, base.reject_all),
        preferences: pick(|t| &t.preferences, base.preferences),
        save: pick(|t| &t.save, base.save),
        close: pick(|t| &t.close, base.close),
        policy_link: pick(|t| &t.policy_link, base.policy_link),
        preferences_title: pick(|t| &t.preferences_title, base.preferences_title),
        always_on: pick(|t| &t.always_on, base.always_on),
        reopen: pick(|t| &t.reopen, base.reopen),
        gpc_notice: pick(|t| &t.gpc_notice, base.gpc_notice),
        categories: config
            .categories
            .iter()
            .map(|category| {
                let text = own.and_then(|t| t.categories.get(&category.id));
                (
                    text.and_then(|t| t.label.clone())
                        .unwrap_or_else(|| category.label.clone()),
                    text.and_then(|t| t.description.clone())
                        .unwrap_or_else(|| category.description.clone()),
                )
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(json: &str) -> Config {
        Config::from_json(json).unwrap()
    }

    /// The language file of `tag`, as the loader fetches it.
    fn file(tag: &str) -> Texts {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("www/lang")
            .join(tag.to_string() + ".json");
        read_language_file(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    fn choose(config: &Config, page: Option<&str>, browser: &[&str]) -> String {
        let browser: Vec<String> = browser.iter().map(|b| b.to_string()).collect();
        choose_language(config, page, &browser, LANGUAGE_FILES)
    }

    #[test]
    fn language_comes_from_config_then_page_then_browser() {
        let plain = Config::default();
        assert_eq!(
            choose(&config(r#"{"language":"fr"}"#), Some("de"), &[]),
            "fr"
        );
        assert_eq!(choose(&plain, Some("de-AT"), &["es"]), "de");
        assert_eq!(choose(&plain, None, &["pt-BR", "es-MX"]), "pt-BR");
        assert_eq!(choose(&plain, None, &["pt-PT"]), "pt");
        assert_eq!(choose(&plain, Some("xx"), &["ja"]), "ja");
        assert_eq!(choose(&plain, Some("xx-YY"), &["en-GB"]), "en");
        assert_eq!(
            choose(&config(r#"{"texts":{"nl-BE":{}}}"#), Some("NL-be"), &[]),
            "nl-BE"
        );
    }

    #[test]
    fn tags_people_use_find_their_file() {
        let plain = Config::default();
        for (tag, file) in [
            ("zh-TW", "zh-Hant"),
            ("zh-Hant-HK", "zh-Hant"),
            ("zh-HK", "zh-Hant"),
            ("zh-CN", "zh-Hans"),
            ("zh", "zh-Hans"),
            ("no", "nb"),
            ("nb-NO", "nb"),
            ("SV-se", "sv"),
            (" de ", "de"),
        ] {
            assert_eq!(choose(&plain, Some(tag), &[]), file, "{tag}");
        }
        // A Yew app without the files: English unless its own texts have the language.
        let browser = ["de".to_string()];
        assert_eq!(choose_language(&plain, None, &browser, &[]), "en");
    }

    #[test]
    fn missing_key_falls_back_and_never_shows_a_raw_key() {
        let c = config(
            r#"{"texts":{"en":{"title":"Cookies here"},"nl":{"acceptAll":"Alles accepteren"}}}"#,
        );
        let nl = resolve(&c, "nl");
        assert_eq!(nl.accept_all, "Alles accepteren");
        assert_eq!(
            nl.title, "Cookies here",
            "falls back to the owner's English"
        );
        assert_eq!(nl.reject_all, "Decline all", "then to built-in English");
    }

    #[test]
    fn a_language_file_fills_what_the_site_did_not_write() {
        let mut c = config(r#"{"texts":{"de":{"acceptAll":"Ja, gerne"}}}"#);
        add_language_file(&mut c, "de", file("de"));
        let de = resolve(&c, "de");
        assert_eq!(de.accept_all, "Ja, gerne", "the site's own text wins");
        assert_eq!(de.reject_all, file("de").reject_all.unwrap());
        assert_eq!(de.summary, file("de").summary.unwrap());
        assert_eq!(
            de.categories[2].0,
            file("de")
                .categories
                .get("statistics")
                .unwrap()
                .label
                .clone()
                .unwrap()
        );
        assert!(!de.rtl);
        let mut c = Config::default();
        add_language_file(&mut c, "ar", file("ar"));
        assert!(resolve(&c, "ar").rtl, "Arabic is right to left");
    }

    #[test]
    fn a_language_file_never_replaces_the_sites_own_policy() {
        // The site wrote its own summary (in English) and its own categories: the file's InterMine
        // summary and category texts would describe another policy.
        let mut c = config(
            r#"{"texts":{"en":{"summary":"We count visits."}},
                "categories":[{"id":"essential","label":"Needed","required":true},
                              {"id":"statistics","label":"Visit counts","description":"Counting."}]}"#,
        );
        add_language_file(&mut c, "de", file("de"));
        let de = resolve(&c, "de");
        assert_eq!(de.summary, "We count visits.");
        assert_eq!(
            de.categories[1],
            ("Visit counts".into(), "Counting.".into())
        );
        assert_eq!(
            de.accept_all,
            file("de").accept_all.unwrap(),
            "the buttons are still German"
        );
    }

    #[test]
    fn a_language_file_is_needed_unless_the_site_gives_every_text() {
        let plain = Config::default();
        assert!(needs_language_file(&plain, "de"));
        assert!(!needs_language_file(&plain, "en"), "English is built in");
        assert!(!needs_language_file(&plain, "nl-BE"), "no file for it");
        let mut some = config(r#"{"texts":{"de":{"title":"Ihre Daten"}}}"#);
        assert!(needs_language_file(&some, "de"), "the file fills the rest");
        add_language_file(&mut some, "de", file("de"));
        assert!(!needs_language_file(&some, "de"), "every text given");
    }

    #[test]
    fn a_language_file_missing_a_text_is_refused() {
        assert_eq!(
            read_language_file(r#"{"title":"Prywatność"}"#),
            Err(r#"missing text "summary""#.to_string())
        );
        assert!(read_language_file("{").is_err());
        assert!(read_language_file(r#"{"dir":"rtl"}"#).is_err());
    }

    #[test]
    fn category_texts_are_translated_per_language() {
        let c = config(r#"{"texts":{"de":{"categories":{"statistics":{"label":"Statistik"}}}}}"#);
        let de = resolve(&c, "de");
        assert_eq!(de.categories[2].0, "Statistik");
        assert_eq!(de.categories[1].0, "Lists and queries");
    }
}
