//! The texts a `textsSha256` stands for. `consent-log texts add --config site.json` reads the
//! site's banner config with the banner crate's own parser, resolves the texts of each language the
//! banner can show as the banner does (English built in; another language from its file in
//! `dist/lang/` unless the config has its own texts for it), and hashes them with the crate's own
//! [`texts_sha256`]. What is stored is the exact JSON that hash covers (checked: its SHA-256 must
//! equal the crate's), so anyone can recompute the hash from the log alone.

use std::path::Path;

use consent_banner::config::Config;
use consent_banner::receipt::{texts_json, texts_sha256};
use consent_banner::texts::{
    add_language_file, needs_language_file, read_language_file, resolve, LANGUAGE_FILES,
};

use crate::chain::sha256_hex;

/// One language's texts, hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashedTexts {
    /// Language tag.
    pub language: String,
    /// The banner's `texts_sha256`.
    pub sha256: String,
    /// The JSON it covers.
    pub body: String,
}

/// Every language the banner can show for this config, hashed: English, the config's own
/// languages, and (with `lang_dir`, the `lang/` folder of the site's copy of `dist/`) every
/// language file. `only` limits it to those languages.
///
/// # Errors
///
/// When the config is invalid (the banner's own message), a language file cannot be read, a
/// language asked for in `only` has neither texts in the config nor a file, or the rebuilt JSON
/// does not hash to the crate's value (this collector and the banner disagree: nothing is stored).
pub fn hash_site(
    config_json: &str,
    only: &[String],
    lang_dir: Option<&Path>,
) -> Result<Vec<HashedTexts>, String> {
    let config = Config::from_json(config_json).map_err(|e| format!("config: {e}"))?;
    let mut languages: Vec<String> = if only.is_empty() {
        let mut all = vec!["en".to_string()];
        all.extend(config.texts.keys().cloned());
        all.extend(config.language.clone());
        if lang_dir.is_some() {
            all.extend(LANGUAGE_FILES.iter().map(|s| s.to_string()));
        }
        all
    } else {
        only.to_vec()
    };
    let mut seen = Vec::new();
    languages.retain(|l| {
        let new = !seen.contains(l);
        seen.push(l.clone());
        new
    });
    languages
        .into_iter()
        .map(|language| {
            let mut config = config.clone();
            // The loader's rule: the file of a language that has one, unless the site gives every
            // text of it; the UI adds it under the site's texts.
            if language != "en"
                && !config.texts.contains_key(&language)
                && !LANGUAGE_FILES.contains(&language.as_str())
            {
                return Err(format!(
                    "{language}: neither texts in the config nor a language file"
                ));
            }
            if needs_language_file(&config, &language) {
                let dir = lang_dir.ok_or_else(|| {
                    format!(
                        "{language}: its texts are in dist/lang/{language}.json: give --lang-dir"
                    )
                })?;
                let path = dir.join(format!("{language}.json"));
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                let file =
                    read_language_file(&text).map_err(|e| format!("{}: {e}", path.display()))?;
                add_language_file(&mut config, &language, file);
            }
            let texts = resolve(&config, &language);
            let sha256 = texts_sha256(&config, &texts);
            let body = texts_json(&config, &texts);
            if sha256_hex(body.as_bytes()) != sha256 {
                return Err(format!(
                    "{language}: the texts JSON rebuilt here does not hash to the banner's \
                     texts_sha256 ({sha256}): update consent-log to this banner version"
                ));
            }
            Ok(HashedTexts {
                language,
                sha256,
                body,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang_dir() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../www/lang")
    }

    #[test]
    fn the_stored_json_hashes_to_the_banner_value_for_every_language() {
        let site = r#"{"policyUrl":"/p?a=\"b\"","texts":{"en":{"summary":"Tabs\tand \u0001 and \\ and \"quotes\" and émoji 🍪"},
            "de":{"title":"Ihre Daten"}},"categories":[{"id":"essential","label":"E","required":true},
            {"id":"marketing","label":"M\nL","description":"</script>"}]}"#;
        let dir = lang_dir();
        let all = hash_site(site, &[], Some(&dir)).unwrap();
        assert_eq!(all[0].language, "en");
        assert_eq!(all[1].language, "de");
        assert_eq!(all.len(), 1 + LANGUAGE_FILES.len());
        for t in &all {
            assert_eq!(sha256_hex(t.body.as_bytes()), t.sha256);
        }
        assert!(all[0].body.contains("\\u0001"));
        // Some German texts of the site's own: the file fills the rest, as in the banner.
        assert!(all[1].body.contains("\"title\":\"Ihre Daten\""));
        assert!(
            all[1].body.contains("\"acceptAll\":\"Alle akzeptieren\""),
            "{}",
            all[1].body
        );
    }

    #[test]
    fn a_language_from_its_file_hashes_as_the_banner_pins_it() {
        // The default config's German texts, as src/core/receipt.rs pins their digest.
        let dir = lang_dir();
        let de = hash_site("{}", &["de".to_string()], Some(&dir)).unwrap();
        let pinned = hash_site("{}", &["en".to_string()], None).unwrap();
        assert_ne!(de[0].sha256, pinned[0].sha256);
        assert!(
            !de[0].body.contains("\"acceptAll\":\"Accept all\""),
            "German, not English"
        );
        assert_eq!(
            hash_site("{}", &["de".to_string()], None).err(),
            Some("de: its texts are in dist/lang/de.json: give --lang-dir".to_string())
        );
    }

    #[test]
    fn an_invalid_site_config_is_refused_with_the_banner_message() {
        let e = hash_site(r#"{"revision":0}"#, &[], None)
            .err()
            .unwrap_or_default();
        assert!(e.starts_with("config: "), "{e}");
    }
}
