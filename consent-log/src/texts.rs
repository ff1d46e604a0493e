//! The texts a `textsSha256` stands for. `consent-log texts add --config site.json` reads the
//! site's banner config with the banner crate's own parser, resolves the texts of each language the
//! banner can show, and hashes them with the crate's own [`texts_sha256`]. What is stored is the
//! exact JSON that hash covers (checked: its SHA-256 must equal the crate's), so anyone can
//! recompute the hash from the log alone.

use consent_banner::config::Config;
use consent_banner::receipt::texts_sha256;
use consent_banner::texts::{resolve, ResolvedTexts};

use crate::chain::sha256_hex;

/// The languages built into the banner (its `texts::BUILT_IN_LANGUAGES`).
pub const BUILT_IN: &[&str] = &["en", "de", "fr", "es", "ar"];

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

fn push_str(out: &mut String, text: &str) {
    // serde_json escapes as the banner's writer does: `"`, `\`, \b \f \n \r \t, other controls
    // as \u00XX, everything else as is. The check in `hash_site` keeps it honest.
    out.push_str(&serde_json::Value::String(text.to_string()).to_string());
}

/// The JSON that `texts_sha256` hashes, rebuilt field by field (README "Consent receipts").
pub fn canonical(config: &Config, texts: &ResolvedTexts) -> String {
    let mut out = String::from("{");
    for (i, (key, value)) in [
        ("language", &texts.language),
        ("policyUrl", &config.policy_url),
        ("title", &texts.title),
        ("summary", &texts.summary),
        ("policyLink", &texts.policy_link),
        ("acceptAll", &texts.accept_all),
        ("rejectAll", &texts.reject_all),
        ("preferences", &texts.preferences),
        ("preferencesTitle", &texts.preferences_title),
        ("save", &texts.save),
        ("alwaysOn", &texts.always_on),
    ]
    .into_iter()
    .enumerate()
    {
        if i > 0 {
            out.push(',');
        }
        push_str(&mut out, key);
        out.push(':');
        push_str(&mut out, value);
    }
    out.push_str(",\"categories\":[");
    for (i, (c, (label, description))) in
        config.categories.iter().zip(&texts.categories).enumerate()
    {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"id\":");
        push_str(&mut out, &c.id);
        out.push_str(",\"label\":");
        push_str(&mut out, label);
        out.push_str(",\"description\":");
        push_str(&mut out, description);
        out.push_str(",\"required\":");
        out.push_str(if c.required { "true" } else { "false" });
        out.push('}');
    }
    out.push_str("]}");
    out
}

/// Every language the banner can show for this config (its `texts` keys, its `language`, the
/// built-in ones), hashed.
///
/// # Errors
///
/// When the config is invalid (the banner's own message), or when the rebuilt JSON does not hash
/// to the crate's value (this collector and the banner disagree: nothing is stored).
pub fn hash_site(config_json: &str, only: &[String]) -> Result<Vec<HashedTexts>, String> {
    let config = Config::from_json(config_json).map_err(|e| format!("config: {e}"))?;
    let mut languages: Vec<String> = if only.is_empty() {
        let mut all: Vec<String> = BUILT_IN.iter().map(|s| s.to_string()).collect();
        all.extend(config.texts.keys().cloned());
        all.extend(config.language.clone());
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
            let texts = resolve(&config, &language);
            let sha256 = texts_sha256(&config, &texts);
            let body = canonical(&config, &texts);
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

    #[test]
    fn the_stored_json_hashes_to_the_banner_value_for_every_language() {
        let site = r#"{"policyUrl":"/p?a=\"b\"","texts":{"en":{"summary":"Tabs\tand \u0001 and \\ and \"quotes\" and émoji 🍪"},
            "pt":{"title":"Sua privacidade"}},"categories":[{"id":"essential","label":"E","required":true},
            {"id":"marketing","label":"M\nL","description":"</script>"}]}"#;
        let all = hash_site(site, &[]).unwrap();
        let languages: Vec<&str> = all.iter().map(|t| t.language.as_str()).collect();
        assert_eq!(languages, ["en", "de", "fr", "es", "ar", "pt"]);
        for t in &all {
            assert_eq!(sha256_hex(t.body.as_bytes()), t.sha256);
        }
        assert!(all[0].body.contains("\\u0001"));
    }

    #[test]
    fn an_invalid_site_config_is_refused_with_the_banner_message() {
        let e = hash_site(r#"{"revision":0}"#, &[])
            .err()
            .unwrap_or_default();
        assert!(e.starts_with("config: "), "{e}");
    }
}
