//! UI texts: the built-in languages, the site owner's overrides, and the choice of language.
//!
//! A text missing in the chosen language falls back to the built-in text of that language, then to
//! the site owner's default-language text, then to English. A raw key is never shown.

use crate::core::config::Config;
pub use crate::core::config::{CategoryText, Texts, BUILT_IN_LANGUAGES, TEXTS_FIELDS};

/// Languages written right to left.
const RTL_LANGUAGES: &[&str] = &["ar", "fa", "he", "ur", "yi", "ps", "sd", "ug", "dv", "ku"];

/// Every UI text resolved for one language.
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
    summary: "We log your browser's IP address to count **usage statistics** and find **operational problems**, and traffic-log cookies show us which pages are used. Cookies also keep your **lists and queries** across sessions, and your **login** if you create an account.\n\nNone of this is used to identify you, and it is **never shared with third parties**. You can accept or decline; the site works either way, and you can change your mind at any time.",
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

const DE: BuiltIn = BuiltIn {
    title: "Ihre Privatsphäre",
    summary: "Wir speichern die IP-Adresse Ihres Browsers für **Nutzungsstatistiken** und um **Betriebsprobleme** zu erkennen; Traffic-Log-Cookies zeigen uns, welche Seiten genutzt werden. Cookies bewahren außerdem Ihre **Listen und Abfragen** über Sitzungen hinweg und Ihre **Anmeldung**, wenn Sie ein Konto anlegen.\n\nNichts davon dient dazu, Sie zu identifizieren, und es wird **nie an Dritte weitergegeben**. Sie können zustimmen oder ablehnen; die Seite funktioniert in beiden Fällen, und Sie können Ihre Wahl jederzeit ändern.",
    accept_all: "Alle akzeptieren",
    reject_all: "Alle ablehnen",
    preferences: "Einstellungen",
    save: "Auswahl speichern",
    close: "Schließen",
    policy_link: "Vollständige Datenschutzerklärung lesen",
    preferences_title: "Datenschutz-Einstellungen",
    always_on: "Immer aktiv",
    reopen: "Cookie-Einstellungen",
    gpc_notice: "Das Datenschutzsignal Ihres Browsers (Global Privacy Control) wurde berücksichtigt.",
};

const FR: BuiltIn = BuiltIn {
    title: "Votre vie privée",
    summary: "Nous enregistrons l'adresse IP de votre navigateur pour établir des **statistiques d'utilisation** et détecter des **problèmes de fonctionnement**, et des cookies de journal de trafic nous indiquent les pages consultées. Des cookies conservent aussi vos **listes et requêtes** d'une session à l'autre, et votre **connexion** si vous créez un compte.\n\nRien de tout cela ne sert à vous identifier, et rien n'est **jamais partagé avec des tiers**. Vous pouvez accepter ou refuser ; le site fonctionne dans les deux cas, et vous pouvez changer d'avis à tout moment.",
    accept_all: "Tout accepter",
    reject_all: "Tout refuser",
    preferences: "Préférences",
    save: "Enregistrer mes choix",
    close: "Fermer",
    policy_link: "Lire la politique de confidentialité complète",
    preferences_title: "Préférences de confidentialité",
    always_on: "Toujours actif",
    reopen: "Préférences cookies",
    gpc_notice: "Le signal de confidentialité de votre navigateur (Global Privacy Control) a été respecté.",
};

const ES: BuiltIn = BuiltIn {
    title: "Su privacidad",
    summary: "Registramos la dirección IP de su navegador para elaborar **estadísticas de uso** y detectar **problemas operativos**, y las cookies de registro de tráfico nos indican qué páginas se usan. Las cookies también conservan sus **listas y consultas** entre sesiones, y su **inicio de sesión** si crea una cuenta.\n\nNada de esto se usa para identificarle y **nunca se comparte con terceros**. Puede aceptar o rechazar; el sitio funciona en ambos casos y puede cambiar de opinión en cualquier momento.",
    accept_all: "Aceptar todo",
    reject_all: "Rechazar todo",
    preferences: "Preferencias",
    save: "Guardar selección",
    close: "Cerrar",
    policy_link: "Leer la política de privacidad completa",
    preferences_title: "Preferencias de privacidad",
    always_on: "Siempre activo",
    reopen: "Preferencias de cookies",
    gpc_notice: "Se ha respetado la señal de privacidad de su navegador (Global Privacy Control).",
};

const AR: BuiltIn = BuiltIn {
    title: "خصوصيتك",
    summary: "نسجّل عنوان IP لمتصفحك لإعداد **إحصاءات الاستخدام** واكتشاف **المشكلات التشغيلية**، وتُظهر لنا ملفات تعريف الارتباط الخاصة بسجل الزيارات الصفحات المستخدمة. كما تحفظ ملفات تعريف الارتباط **قوائمك واستعلاماتك** بين الجلسات، و**تسجيل دخولك** إذا أنشأت حسابًا.\n\nلا يُستخدم أي من ذلك لتحديد هويتك، و**لا تتم مشاركته مع أطراف ثالثة أبدًا**. يمكنك القبول أو الرفض؛ يعمل الموقع في الحالتين، ويمكنك تغيير رأيك في أي وقت.",
    accept_all: "قبول الكل",
    reject_all: "رفض الكل",
    preferences: "التفضيلات",
    save: "حفظ الاختيارات",
    close: "إغلاق",
    policy_link: "اقرأ سياسة الخصوصية كاملة",
    preferences_title: "تفضيلات الخصوصية",
    always_on: "مفعّل دائمًا",
    reopen: "تفضيلات ملفات تعريف الارتباط",
    gpc_notice: "تم احترام إشارة الخصوصية في متصفحك (Global Privacy Control).",
};

fn built_in(language: &str) -> Option<&'static BuiltIn> {
    match language {
        "en" => Some(&EN),
        "de" => Some(&DE),
        "fr" => Some(&FR),
        "es" => Some(&ES),
        "ar" => Some(&AR),
        _ => None,
    }
}

/// Picks the language: the config's `language`, then the page's `<html lang>`, then the browser's
/// languages, each matched exactly or by primary subtag against the configured and built-in
/// languages; English when nothing matches.
pub fn choose_language(config: &Config, page_lang: Option<&str>, browser: &[String]) -> String {
    if let Some(language) = &config.language {
        return language.clone();
    }
    let available = |tag: &str| config.texts.contains_key(tag) || built_in(tag).is_some();
    let candidates = page_lang
        .into_iter()
        .chain(browser.iter().map(String::as_str));
    for candidate in candidates {
        let candidate = candidate.trim();
        if candidate.is_empty() {
            continue;
        }
        if available(candidate) {
            return candidate.to_string();
        }
        let primary = candidate
            .split('-')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if available(&primary) {
            return primary;
        }
    }
    "en".into()
}

/// Resolves every text for `language`, with the fallbacks described in the module docs.
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

    #[test]
    fn language_comes_from_config_then_page_then_browser() {
        let plain = Config::default();
        assert_eq!(
            choose_language(&config(r#"{"language":"fr"}"#), Some("de"), &[]),
            "fr"
        );
        assert_eq!(choose_language(&plain, Some("de-AT"), &["es".into()]), "de");
        assert_eq!(
            choose_language(&plain, None, &["pt-BR".into(), "es-MX".into()]),
            "es"
        );
        assert_eq!(choose_language(&plain, Some("nl"), &["ja".into()]), "en");
        assert_eq!(
            choose_language(&config(r#"{"texts":{"nl":{}}}"#), Some("nl-BE"), &[]),
            "nl"
        );
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
        let de = resolve(&c, "de");
        assert_eq!(de.accept_all, "Alle akzeptieren");
        assert_eq!(de.title, "Ihre Privatsphäre");
    }

    #[test]
    fn built_in_languages_have_every_text_and_arabic_is_rtl() {
        for language in BUILT_IN_LANGUAGES {
            let t = resolve(&Config::default(), language);
            for text in [
                &t.title,
                &t.summary,
                &t.accept_all,
                &t.reject_all,
                &t.preferences,
                &t.save,
            ] {
                assert!(!text.is_empty());
            }
            assert_eq!(t.rtl, *language == "ar");
            if *language != "en" {
                assert_ne!(t.accept_all, EN.accept_all, "{language} is translated");
            }
        }
    }

    #[test]
    fn category_texts_are_translated_per_language() {
        let c = config(r#"{"texts":{"de":{"categories":{"statistics":{"label":"Statistik"}}}}}"#);
        let de = resolve(&c, "de");
        assert_eq!(de.categories[2].0, "Statistik");
        assert_eq!(de.categories[1].0, "Lists and queries");
    }
}
