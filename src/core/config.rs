//! The site owner's configuration: one typed [`Config`], parsed once at the edge.
//!
//! The JSON form uses camelCase keys and rejects unknown fields. Every field has a default, and the
//! defaults reproduce the InterMine privacy policy the project ships with: three categories
//! (`essential`, `functional`, `statistics`), revision 1, a policy link.
//!
//! ```
//! use consent_banner::config::Config;
//!
//! let config = Config::from_json(r#"{"revision": 2, "policyUrl": "/privacy"}"#).unwrap();
//! assert_eq!(config.revision, 2);
//! assert_eq!(config.categories.len(), 3);
//! ```

use std::fmt;

use crate::core::map::Map;
use crate::json::{self, Reader};

/// The whole configuration of one banner.
///
/// ```
/// use consent_banner::config::{Config, Layout};
///
/// // From the site's JSON, as the embed reads it ...
/// let json = Config::from_json(
///     r#"{"revision": 2, "layout": "corner", "receiptEndpoint": "/consent"}"#,
/// )?;
/// // ... or in Rust: the same fields, the same defaults.
/// let rust = Config {
///     revision: 2,
///     layout: Layout::Corner,
///     receipt_endpoint: Some("/consent".into()),
///     ..Config::default()
/// };
/// assert_eq!(json, rust);
/// assert_eq!(rust.categories.len(), 3); // essential, functional, statistics
/// # Ok::<(), consent_banner::config::ConfigError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "serde",
    serde(rename_all = "camelCase", deny_unknown_fields, default)
)]
pub struct Config {
    /// Policy revision. Bump it when the policy changes: every stored decision of an older revision
    /// is asked again. Default `1`.
    pub revision: u32,
    /// The consent categories, in display order. Default: `essential`, `functional`, `statistics`.
    pub categories: Vec<Category>,
    /// Link to the full privacy policy (http(s), relative, or mailto). Default `"/privacy-policy"`.
    pub policy_url: String,
    /// Days an acceptance (of at least one optional category) stays valid. Default `182`.
    pub accept_days: u32,
    /// Days a refusal of every optional category stays valid. Default `182`.
    pub reject_days: u32,
    /// The localStorage key holding the record. Default `"consent-banner"`.
    pub storage_key: String,
    /// Optional cookie copy of the decision for servers. Default: none.
    pub cookie: Option<CookieMirror>,
    /// Language of the banner: a key of `texts` or a built-in language. Default: the page's
    /// `<html lang>`, then the browser's languages, then `"en"`.
    pub language: Option<String>,
    /// UI texts per language, each field optional; missing fields fall back to the built-in texts.
    pub texts: Map<Texts>,
    /// Show the floating "cookie preferences" button after a decision. Default `true`.
    pub floating_button: bool,
    /// Side of the window for the floating button: `"left"` or `"right"`. Default `"left"`.
    pub floating_button_position: Side,
    /// Where the first layer sits: `"bottom"` or `"top"` (full-width bars), `"corner"` (a box in
    /// the bottom corner at the end of the line) or `"center"`. Default `"bottom"`.
    pub layout: Layout,
    /// Make the first layer a modal dialog that keeps the page inert until the user decides.
    /// Default `false`: a non-modal region, the page stays usable.
    pub blocking: bool,
    /// Colour scheme: `"auto"` follows the browser's `prefers-color-scheme`, `"light"` or `"dark"`
    /// forces one. Default `"auto"`.
    pub theme: Theme,
    /// Reload the page after a withdrawal (an accepted category declined), since a script that
    /// already ran cannot be un-run. Default `false`.
    pub reload_on_withdraw: bool,
    /// Google Consent Mode v2: which consent types each category grants. The loader sets the
    /// defaults before any tag runs and updates them on every decision. Default: none.
    pub google_consent_mode: Option<GoogleConsentMode>,
    /// Honour the browser's Global Privacy Control signal: while the user has not decided, the
    /// categories marked `sharesData` are declined and the banner says so. Default `true`.
    pub gpc: bool,
    /// Where to send a consent receipt (JSON, with `navigator.sendBeacon`) for every decision:
    /// an http(s) or relative URL. Default: none, nothing is sent.
    pub receipt_endpoint: Option<String>,
    /// Let the page's markup hooks that decide (`data-consent-action="accept-all"`, `"reject-all"`,
    /// `"reset"`) act. Only when `true`, and then only on trusted clicks (the visitor's own, not a
    /// script's). The `preferences` and `show` hooks always work. Default `false`.
    pub markup_decisions: bool,
}

/// One consent category.
///
/// ```
/// use consent_banner::config::{Category, Config};
///
/// let json = Config::from_json(
///     r#"{"categories": [{"id": "statistics", "label": "Usage statistics",
///         "cookies": ["_pk_*"]}]}"#,
/// )?;
/// let rust = Category::new("statistics", "Usage statistics").cookies(["_pk_*"]);
/// assert_eq!(json.categories, [rust]);
/// # Ok::<(), consent_banner::config::ConfigError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "serde",
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
pub struct Category {
    /// Identifier used in markup (`data-consent="statistics"`) and the record: a simple token
    /// (`a-z`, `0-9`, `_`, `-`, starting with a letter, at most 32 characters).
    pub id: String,
    /// Name shown to the user.
    pub label: String,
    /// What the category does, shown in the preferences.
    #[cfg_attr(feature = "serde", serde(default))]
    pub description: String,
    /// Always on and not operable by the user (strictly necessary). Default `false`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub required: bool,
    /// Cookie names set by this category, deleted when it is declined. A trailing `*` matches a
    /// prefix (`_ga*`). Default: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub cookies: Vec<String>,
    /// The category sells or shares personal data with third parties: declined while the browser
    /// sends Global Privacy Control and the user has not decided. Default `false`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub shares_data: bool,
    /// Web Storage keys set by this category, deleted from `localStorage` and `sessionStorage`
    /// while it is not accepted. A trailing `*` matches a prefix (`ph_*`). Never the banner's own
    /// `storageKey`. Default: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub storage: Vec<String>,
}

/// Google Consent Mode v2 settings (`googleConsentMode`).
///
/// ```json
/// {"map": {"statistics": ["analytics_storage"], "marketing": ["ad_storage", "ad_user_data",
///  "ad_personalization"]}, "waitForUpdate": 500, "region": ["DE", "US-CA"]}
/// ```
///
/// In Rust:
///
/// ```
/// use consent_banner::config::{Config, ConsentType, GoogleConsentMode};
/// use consent_banner::map::Map;
///
/// let config = Config {
///     google_consent_mode: Some(GoogleConsentMode {
///         map: Map::from([("statistics", vec![ConsentType::AnalyticsStorage])]),
///         region: vec!["DE".into(), "US-CA".into()],
///         ..GoogleConsentMode::default()
///     }),
///     ..Config::default()
/// }
/// .validated()?;
/// assert_eq!(config.google_consent_mode.as_ref().map(|mode| mode.wait_for_update), Some(500));
/// # Ok::<(), consent_banner::config::ConfigError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "serde",
    serde(rename_all = "camelCase", deny_unknown_fields, default)
)]
pub struct GoogleConsentMode {
    /// The consent types each category grants, by category id. A type is `granted` when every
    /// category that lists it is accepted, else `denied`. Default: none (at least one is needed).
    pub map: Map<Vec<ConsentType>>,
    /// Milliseconds Google tags wait for the decision before sending (`wait_for_update`), at most
    /// 10000. Default `500`.
    pub wait_for_update: u32,
    /// ISO 3166 region codes the defaults apply to (`"DE"`, `"US-CA"`). Default: everywhere.
    pub region: Vec<String>,
    /// Redact ad click identifiers while `ad_storage` is denied (`ads_data_redaction`). Default
    /// `false`.
    pub ads_data_redaction: bool,
    /// Pass ad click information through URLs while storage is denied (`url_passthrough`).
    /// Default `false`.
    pub url_passthrough: bool,
}

impl Default for GoogleConsentMode {
    fn default() -> Self {
        GoogleConsentMode {
            map: Map::new(),
            wait_for_update: 500,
            region: Vec::new(),
            ads_data_redaction: false,
            url_passthrough: false,
        }
    }
}

/// A Google Consent Mode v2 consent type, named as Google names it (`"analytics_storage"`).
///
/// ```
/// use consent_banner::config::ConsentType;
///
/// assert_eq!(ConsentType::try_from("ad_user_data".to_string()), Ok(ConsentType::AdUserData));
/// assert!(ConsentType::try_from("ads".to_string()).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = allow_names(CONSENT_TYPES))
)]
#[cfg_attr(
    feature = "serde",
    serde(rename_all = "snake_case", try_from = "String")
)]
pub enum ConsentType {
    /// `ad_storage`: cookies for advertising.
    AdStorage,
    /// `ad_user_data`: sending user data to Google for advertising.
    AdUserData,
    /// `ad_personalization`: personalized advertising.
    AdPersonalization,
    /// `analytics_storage`: cookies for analytics.
    AnalyticsStorage,
    /// `functionality_storage`: storage for site functions, such as language.
    FunctionalityStorage,
    /// `personalization_storage`: storage for personalization, such as recommendations.
    PersonalizationStorage,
    /// `security_storage`: storage for security, such as authentication and fraud prevention.
    SecurityStorage,
}

const CONSENT_TYPES: &[(&str, ConsentType)] = &[
    ("ad_storage", ConsentType::AdStorage),
    ("ad_user_data", ConsentType::AdUserData),
    ("ad_personalization", ConsentType::AdPersonalization),
    ("analytics_storage", ConsentType::AnalyticsStorage),
    ("functionality_storage", ConsentType::FunctionalityStorage),
    (
        "personalization_storage",
        ConsentType::PersonalizationStorage,
    ),
    ("security_storage", ConsentType::SecurityStorage),
];

impl TryFrom<String> for ConsentType {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        json::one_of(&value, CONSENT_TYPES)
    }
}

impl ConsentType {
    /// The name Google uses (`"analytics_storage"`).
    ///
    /// ```
    /// # use consent_banner::config::ConsentType;
    /// assert_eq!(ConsentType::AnalyticsStorage.name(), "analytics_storage");
    /// ```
    pub fn name(self) -> &'static str {
        name_of(self, CONSENT_TYPES)
    }
}

/// The optional cookie copy of the decision, for server-side use.
///
/// ```
/// use consent_banner::config::{Config, CookieMirror};
///
/// let config = Config::from_json(r#"{"cookie": {"domain": ".example.org"}}"#)?;
/// let mirror = CookieMirror { domain: Some(".example.org".into()), ..CookieMirror::default() };
/// assert_eq!(config.cookie, Some(mirror));
/// # Ok::<(), consent_banner::config::ConfigError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "serde",
    serde(rename_all = "camelCase", deny_unknown_fields, default)
)]
pub struct CookieMirror {
    /// Cookie name. Default `"consent"`.
    pub name: String,
    /// Cookie domain, e.g. `".example.org"`. Default: the current host only.
    pub domain: Option<String>,
    /// Cookie path. Default `"/"`.
    pub path: String,
    /// `Lax`, `Strict` or `None`. Default `Lax`.
    pub same_site: SameSite,
    /// Add `Secure`. Default: `true` on https pages (always true when `sameSite` is `None`).
    pub secure: Option<bool>,
}

impl Default for CookieMirror {
    fn default() -> Self {
        CookieMirror {
            name: "consent".into(),
            domain: None,
            path: "/".into(),
            same_site: SameSite::Lax,
            secure: None,
        }
    }
}

/// The `SameSite` attribute of the cookie mirror.
///
/// ```
/// use consent_banner::config::{Config, SameSite};
///
/// let config = Config::from_json(r#"{"cookie": {"sameSite": "Strict"}}"#)?;
/// assert_eq!(config.cookie.map(|c| c.same_site), Some(SameSite::Strict));
/// # Ok::<(), consent_banner::config::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum SameSite {
    /// Sent on top-level navigations from other sites.
    #[default]
    Lax,
    /// Never sent from other sites.
    Strict,
    /// Sent everywhere; requires `Secure`.
    None,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            revision: 1,
            categories: default_categories(),
            policy_url: "/privacy-policy".into(),
            accept_days: 182,
            reject_days: 182,
            storage_key: "consent-banner".into(),
            cookie: None,
            language: None,
            texts: Map::new(),
            floating_button: true,
            floating_button_position: Side::Left,
            layout: Layout::Bottom,
            blocking: false,
            theme: Theme::Auto,
            reload_on_withdraw: false,
            google_consent_mode: None,
            gpc: true,
            receipt_endpoint: None,
            markup_decisions: false,
        }
    }
}

/// Where the first layer sits on the screen (`layout`).
///
/// ```
/// use consent_banner::config::{Config, Layout};
///
/// assert_eq!(Config::from_json(r#"{"layout": "center"}"#)?.layout, Layout::Center);
/// assert_eq!(Config::default().layout, Layout::Bottom);
/// # Ok::<(), consent_banner::config::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = allow_names(LAYOUTS))
)]
#[cfg_attr(
    feature = "serde",
    serde(rename_all = "lowercase", try_from = "String")
)]
pub enum Layout {
    /// A full-width bar at the bottom of the window.
    #[default]
    Bottom,
    /// A full-width bar at the top of the window.
    Top,
    /// A box in the bottom corner at the end of the line (bottom right in left-to-right languages).
    Corner,
    /// A box in the middle of the window.
    Center,
}

/// The colour scheme of the banner (`theme`).
///
/// ```
/// use consent_banner::config::{Config, Theme};
///
/// assert_eq!(Config::from_json(r#"{"theme": "dark"}"#)?.theme, Theme::Dark);
/// # Ok::<(), consent_banner::config::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = allow_names(THEMES))
)]
#[cfg_attr(
    feature = "serde",
    serde(rename_all = "lowercase", try_from = "String")
)]
pub enum Theme {
    /// Light or dark, following the browser's `prefers-color-scheme`.
    #[default]
    Auto,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

/// A side of the window (`floatingButtonPosition`).
///
/// ```
/// use consent_banner::config::{Config, Side};
///
/// let config = Config::from_json(r#"{"floatingButtonPosition": "right"}"#)?;
/// assert_eq!(config.floating_button_position, Side::Right);
/// # Ok::<(), consent_banner::config::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(transform = allow_names(SIDES))
)]
#[cfg_attr(
    feature = "serde",
    serde(rename_all = "lowercase", try_from = "String")
)]
pub enum Side {
    /// The left edge.
    #[default]
    Left,
    /// The right edge.
    Right,
}

const LAYOUTS: &[(&str, Layout)] = &[
    ("bottom", Layout::Bottom),
    ("top", Layout::Top),
    ("corner", Layout::Corner),
    ("center", Layout::Center),
];
const THEMES: &[(&str, Theme)] = &[
    ("auto", Theme::Auto),
    ("light", Theme::Light),
    ("dark", Theme::Dark),
];
const SIDES: &[(&str, Side)] = &[("left", Side::Left), ("right", Side::Right)];

/// Lists the allowed names of an enum read through `TryFrom<String>` in its JSON Schema.
#[cfg(feature = "schema")]
fn allow_names<T>(names: &'static [(&'static str, T)]) -> impl FnMut(&mut schemars::Schema) {
    move |schema| {
        let names: Vec<&str> = names.iter().map(|(name, _)| *name).collect();
        schema.insert("enum".into(), serde_json::json!(names));
    }
}

fn name_of<T: Copy + PartialEq>(value: T, names: &[(&'static str, T)]) -> &'static str {
    names
        .iter()
        .find(|(_, v)| *v == value)
        .map_or("", |(n, _)| n)
}

impl TryFrom<String> for Layout {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        json::one_of(&value, LAYOUTS)
    }
}

impl TryFrom<String> for Theme {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        json::one_of(&value, THEMES)
    }
}

impl TryFrom<String> for Side {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        json::one_of(&value, SIDES)
    }
}

impl Layout {
    /// The config name (`"bottom"`), also used as a class name by the UI.
    ///
    /// ```
    /// # use consent_banner::config::Layout;
    /// assert_eq!(Layout::Corner.name(), "corner");
    /// ```
    pub fn name(self) -> &'static str {
        name_of(self, LAYOUTS)
    }
}

impl Theme {
    /// The config name (`"auto"`), also used by the UI's styles.
    ///
    /// ```
    /// # use consent_banner::config::Theme;
    /// assert_eq!(Theme::Auto.name(), "auto");
    /// ```
    pub fn name(self) -> &'static str {
        name_of(self, THEMES)
    }
}

impl Side {
    /// The config name (`"left"`), also used as a class name by the UI.
    ///
    /// ```
    /// # use consent_banner::config::Side;
    /// assert_eq!(Side::Right.name(), "right");
    /// ```
    pub fn name(self) -> &'static str {
        name_of(self, SIDES)
    }
}

pub(crate) fn default_categories() -> Vec<Category> {
    let category =
        |id: &str, label: &str, description: &str, required, cookies: &[&str]| Category {
            id: id.into(),
            label: label.into(),
            description: description.into(),
            required,
            cookies: cookies.iter().map(|c| (*c).to_string()).collect(),
            shares_data: false,
            storage: Vec::new(),
        };
    vec![
        category(
            "essential",
            "Essential",
            "Your login and session: keeps you signed in when you create an account to save your data. Always on.",
            true,
            &[],
        ),
        category(
            "functional",
            "Lists and queries",
            "Cookies that keep your lists and queries across browsing sessions. They may stay after you close the browser and are never used to identify or track you.",
            false,
            &[],
        ),
        category(
            "statistics",
            "Usage statistics",
            "We log your browser's IP address and use traffic-log cookies to see which pages are used and to find operational problems. Not used to identify you, never shared with third parties.",
            false,
            &[],
        ),
    ]
}

/// Languages whose UI texts are built in: English, the fallback of every other.
pub const BUILT_IN_LANGUAGES: &[&str] = &["en"];

/// The languages with a file of their own in `dist/lang/` (`www/lang/<tag>.json`, in the shape of
/// one `texts.<lang>` entry), fetched by the loader only when that language is chosen.
/// `tests/languages.rs` checks this list against the files and the loader's.
pub const LANGUAGE_FILES: &[&str] = &[
    "ar", "bg", "ca", "cs", "da", "de", "el", "es", "et", "eu", "fa", "fi", "fr", "ga", "gl", "he",
    "hi", "hr", "hu", "id", "is", "it", "ja", "ko", "lt", "lv", "mt", "nb", "nl", "pl", "pt",
    "pt-BR", "ro", "ru", "sk", "sl", "sr", "sv", "th", "tr", "uk", "vi", "zh-Hans", "zh-Hant",
];

/// UI texts of one language, as given in the config; every field is optional.
///
/// ```
/// use consent_banner::config::{Config, Texts};
///
/// // Some texts of the site's own in German; the others fall back (see `texts`).
/// let config = Config {
///     texts: [(
///         "de",
///         Texts { accept_all: Some("Alle akzeptieren".into()), ..Texts::default() },
///     )]
///     .into(),
///     ..Config::default()
/// }
/// .validated()?;
/// assert_eq!(consent_banner::texts::resolve(&config, "de").accept_all, "Alle akzeptieren");
/// # Ok::<(), consent_banner::config::ConfigError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "serde",
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
pub struct Texts {
    /// Heading of the banner.
    pub title: Option<String>,
    /// The policy summary, in the safe text format of [`crate::richtext`].
    pub summary: Option<String>,
    /// Label of the button that accepts every category.
    pub accept_all: Option<String>,
    /// Label of the button that declines every optional category.
    pub reject_all: Option<String>,
    /// Label of the button that opens the preferences.
    pub preferences: Option<String>,
    /// Label of the button that saves the switches in the preferences.
    pub save: Option<String>,
    /// Accessible label of the close button of the preferences.
    pub close: Option<String>,
    /// Text of the link to the full policy.
    pub policy_link: Option<String>,
    /// Heading of the preferences dialog.
    pub preferences_title: Option<String>,
    /// Shown beside a required category.
    pub always_on: Option<String>,
    /// Accessible label of the floating button that reopens the preferences.
    pub reopen: Option<String>,
    /// Shown when the browser's Global Privacy Control signal was honoured.
    pub gpc_notice: Option<String>,
    /// Category labels and descriptions in this language, by category id.
    #[cfg_attr(feature = "serde", serde(default))]
    pub categories: Map<CategoryText>,
}

/// A category's label and description in one language.
///
/// ```
/// use consent_banner::config::{CategoryText, Config};
///
/// let config = Config::from_json(
///     r#"{"texts": {"de": {"categories": {"statistics": {"label": "Statistik"}}}}}"#,
/// )?;
/// let german = CategoryText { label: Some("Statistik".into()), description: None };
/// assert_eq!(config.texts["de"].categories["statistics"], german);
/// # Ok::<(), consent_banner::config::ConfigError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "serde",
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
pub struct CategoryText {
    /// The category's name.
    pub label: Option<String>,
    /// What the category does.
    pub description: Option<String>,
}

/// The JSON field names of [`Texts`], in order (`categories` last).
pub const TEXTS_FIELDS: &[&str] = &[
    "title",
    "summary",
    "acceptAll",
    "rejectAll",
    "preferences",
    "save",
    "close",
    "policyLink",
    "preferencesTitle",
    "alwaysOn",
    "reopen",
    "gpcNotice",
    "categories",
];

/// Reads the [`Texts`] of one language (see `crate::json`).
fn read_texts(r: &mut Reader) -> Result<Texts, json::Error> {
    let mut t = Texts::default();
    r.object("struct Texts", TEXTS_FIELDS, 0, true, &mut |r, i| {
        let field = match i {
            0 => &mut t.title,
            1 => &mut t.summary,
            2 => &mut t.accept_all,
            3 => &mut t.reject_all,
            4 => &mut t.preferences,
            5 => &mut t.save,
            6 => &mut t.close,
            7 => &mut t.policy_link,
            8 => &mut t.preferences_title,
            9 => &mut t.always_on,
            10 => &mut t.reopen,
            11 => &mut t.gpc_notice,
            _ => {
                let mut categories = Map::new();
                r.map(&mut |r, id| {
                    categories.insert(id, read_category_text(r)?);
                    Ok(())
                })?;
                t.categories = categories;
                return Ok(());
            }
        };
        *field = r.optional_string()?;
        Ok(())
    })?;
    Ok(t)
}

fn read_category_text(r: &mut Reader) -> Result<CategoryText, json::Error> {
    let mut t = CategoryText::default();
    r.object(
        "struct CategoryText",
        &["label", "description"],
        0,
        true,
        &mut |r, i| {
            let value = r.optional_string()?;
            if i == 0 {
                t.label = value;
            } else {
                t.description = value;
            }
            Ok(())
        },
    )?;
    Ok(t)
}

/// Reads a language file (`dist/lang/<tag>.json`): the [`Texts`] of one language, every text
/// present.
///
/// # Errors
///
/// Not JSON of the texts' shape, or a text missing, as a message naming it: `missing text "save"`.
///
/// ```
/// use consent_banner::texts::{read_language_file, TEXTS_FIELDS};
///
/// let error = read_language_file(r#"{"title": "Cookies"}"#).unwrap_err();
/// assert_eq!(error, r#"missing text "summary""#);
/// // Every text given (here each is its own name): `{"title":"title", ...}`.
/// let texts: Vec<String> =
///     TEXTS_FIELDS[..12].iter().map(|f| format!("\"{f}\":\"{f}\"")).collect();
/// let file = read_language_file(&format!("{{{}}}", texts.join(",")))?;
/// assert_eq!(file.accept_all.as_deref(), Some("acceptAll"));
/// # Ok::<(), String>(())
/// ```
pub fn read_language_file(text: &str) -> Result<Texts, String> {
    let texts = json::parse(text, read_texts).map_err(|e| e.with_path())?;
    match texts.missing_text() {
        Some(field) => Err("missing text ".to_string() + &json::debug(field)),
        None => Ok(texts),
    }
}

impl Texts {
    /// The JSON name of the first text (of [`TEXTS_FIELDS`], `categories` aside) that is absent or
    /// empty; `None` when every text is given.
    ///
    /// ```
    /// # use consent_banner::config::Texts;
    /// let texts = Texts { title: Some("Cookies".into()), ..Texts::default() };
    /// assert_eq!(texts.missing_text(), Some("summary"));
    /// ```
    pub fn missing_text(&self) -> Option<&'static str> {
        let texts = [
            &self.title,
            &self.summary,
            &self.accept_all,
            &self.reject_all,
            &self.preferences,
            &self.save,
            &self.close,
            &self.policy_link,
            &self.preferences_title,
            &self.always_on,
            &self.reopen,
            &self.gpc_notice,
        ];
        TEXTS_FIELDS
            .iter()
            .zip(texts)
            .find(|(_, text)| text.as_deref().is_none_or(str::is_empty))
            .map(|(field, _)| *field)
    }

    pub(crate) fn validate(&self, categories: &[Category]) -> Result<(), (String, String)> {
        for id in self.categories.keys() {
            if !categories.iter().any(|c| &c.id == id) {
                return Err((
                    "categories.".to_string() + id,
                    "no category ".to_string() + &json::debug(id),
                ));
            }
        }
        Ok(())
    }
}

/// `true` when `name` matches a cookie or storage key `pattern` (exact, or a prefix when the pattern ends with `*`).
///
/// ```
/// use consent_banner::config::matches_pattern;
///
/// assert!(matches_pattern("_ga*", "_ga_XYZ123"));
/// assert!(matches_pattern("_pk_id", "_pk_id"));
/// assert!(!matches_pattern("_pk_id", "_pk_id.1"));
/// ```
pub fn matches_pattern(pattern: &str, name: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => name == pattern,
    }
}

/// Why a configuration was rejected. The message names the field; its text is part of the API.
///
/// ```
/// use consent_banner::config::{Config, ConfigError};
///
/// let error = Config::from_json(r#"{"revision": 0}"#).unwrap_err();
/// let expected = ConfigError::Invalid {
///     field: "revision".into(),
///     reason: "must be at least 1".into(),
/// };
/// assert_eq!(error, expected);
/// assert!(matches!(Config::from_json("{"), Err(ConfigError::Parse(_))));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// The text is not valid JSON of the config's shape (unknown field, wrong type, syntax).
    Parse(String),
    /// A field holds a value that cannot be right.
    Invalid {
        /// Path of the field, e.g. `categories[2].id`.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
}

impl ConfigError {
    /// The message, as `Display` shows it: `config: <field>: <reason>`. (Built without
    /// `core::fmt`, which the wasm then does not need: 1.6 KB.)
    ///
    /// ```
    /// # use consent_banner::config::Config;
    /// let error = Config::from_json(r#"{"revision": 0}"#).unwrap_err();
    /// assert_eq!(error.message(), "config: revision: must be at least 1");
    /// assert_eq!(error.to_string(), error.message());
    /// ```
    pub fn message(&self) -> String {
        match self {
            ConfigError::Parse(message) => "config: ".to_string() + message,
            ConfigError::Invalid { field, reason } => {
                "config: ".to_string() + field + ": " + reason
            }
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for ConfigError {}

/// `name[i]suffix`: `categories[2].id`.
fn indexed(name: &str, i: usize, suffix: &str) -> String {
    let mut path = name.to_string();
    path.push('[');
    json::push_u64(&mut path, i as u64);
    path.push(']');
    path + suffix
}

fn invalid(field: impl Into<String>, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        field: field.into(),
        reason: reason.into(),
    }
}

/// Largest config text accepted, in bytes.
pub const MAX_CONFIG_BYTES: usize = 256 * 1024;

/// The JSON Schema of the config, generated from these types (shipped as
/// `consent-banner.schema.json`, so editors can check a config). Feature `schema`.
///
/// ```
/// let schema = consent_banner::config::json_schema();
/// assert!(schema.contains(r#""policyUrl""#));
/// ```
#[cfg(feature = "schema")]
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Config);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

impl Config {
    /// Parses and validates a JSON config. Empty or whitespace-only text means the defaults.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Parse`] when the text is not JSON of the config's shape or is larger than
    /// [`MAX_CONFIG_BYTES`]; [`ConfigError::Invalid`] when [`Config::validate`] rejects it.
    ///
    /// ```
    /// use consent_banner::config::Config;
    ///
    /// assert_eq!(Config::from_json("")?, Config::default());
    /// let error = Config::from_json(r#"{"policyURL": "/privacy"}"#).unwrap_err();
    /// let unknown = "config: policyURL: unknown field `policyURL`, expected one of";
    /// assert!(error.message().starts_with(unknown));
    /// # Ok::<(), consent_banner::config::ConfigError>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Config, ConfigError> {
        if text.len() > MAX_CONFIG_BYTES {
            let mut message = "too large (".to_string();
            json::push_u64(&mut message, text.len() as u64);
            message.push_str(" bytes, at most ");
            json::push_u64(&mut message, MAX_CONFIG_BYTES as u64);
            message.push(')');
            return Err(ConfigError::Parse(message));
        }
        let config = if text.trim().is_empty() {
            Config::default()
        } else {
            // A wrong type or an unknown field names its path: `texts.de.title: invalid type ...`.
            json::parse(text, read).map_err(|e| ConfigError::Parse(e.with_path()))?
        };
        config.validate()?;
        Ok(config)
    }

    /// Checks the rules that the types alone cannot express.
    ///
    /// # Errors
    ///
    /// The first rule broken, naming its field: empty, malformed or duplicate category ids, no
    /// categories, a link that is not http(s), relative or mailto, a zero lifetime, an empty storage
    /// key, a storage pattern that is malformed or would delete the record, an unknown language
    /// key, a cookie mirror that cannot be set.
    ///
    /// ```
    /// use consent_banner::config::Config;
    ///
    /// let mut config = Config::default();
    /// assert_eq!(config.validate(), Ok(()));
    /// config.policy_url = "javascript:alert(1)".into();
    /// assert_eq!(
    ///     config.validate().unwrap_err().message(),
    ///     r#"config: policyUrl: "javascript:alert(1)" is not an http(s), relative or mailto link"#
    /// );
    /// ```
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.revision == 0 {
            return Err(invalid("revision", "must be at least 1"));
        }
        if self.categories.is_empty() {
            return Err(invalid("categories", "at least one category is needed"));
        }
        for (i, category) in self.categories.iter().enumerate() {
            let field = |name: &str| indexed("categories", i, name);
            check_token(&category.id).map_err(|reason| invalid(field(".id"), reason))?;
            if self.categories[..i].iter().any(|c| c.id == category.id) {
                return Err(invalid(
                    field(".id"),
                    "duplicate ".to_string() + &json::debug(&category.id),
                ));
            }
            if category.label.trim().is_empty() {
                return Err(invalid(field(".label"), "must not be empty"));
            }
            for (j, cookie) in category.cookies.iter().enumerate() {
                if !is_cookie_pattern(cookie) {
                    return Err(invalid(
                        indexed(&field(".cookies"), j, ""),
                        json::debug(cookie)
                            + " is not a cookie name (a trailing * matches a prefix)",
                    ));
                }
            }
            for (j, pattern) in category.storage.iter().enumerate() {
                let field = || indexed(&field(".storage"), j, "");
                if !is_storage_pattern(pattern) {
                    return Err(invalid(
                        field(),
                        json::debug(pattern)
                            + " is not a storage key pattern (1 to 128 visible characters, no spaces; a trailing * matches a prefix)",
                    ));
                }
                if matches_pattern(pattern, &self.storage_key) {
                    return Err(invalid(
                        field(),
                        json::debug(pattern)
                            + " would delete the banner's own record (storageKey "
                            + &json::debug(&self.storage_key)
                            + ")",
                    ));
                }
            }
        }
        check_link(&self.policy_url).map_err(|reason| invalid("policyUrl", reason))?;
        if self.accept_days == 0 {
            return Err(invalid("acceptDays", "must be at least 1"));
        }
        if self.reject_days == 0 {
            return Err(invalid("rejectDays", "must be at least 1"));
        }
        if !is_storage_key(&self.storage_key) {
            return Err(invalid(
                "storageKey",
                "must be 1 to 64 visible ASCII characters",
            ));
        }
        if let Some(cookie) = &self.cookie {
            if !is_cookie_pattern(&cookie.name) || cookie.name.ends_with('*') {
                return Err(invalid(
                    "cookie.name",
                    json::debug(&cookie.name) + " is not a cookie name",
                ));
            }
            if !cookie.path.starts_with('/') || !cookie.path.bytes().all(is_cookie_value_byte) {
                return Err(invalid(
                    "cookie.path",
                    "must start with / and hold no ; , or spaces",
                ));
            }
            if let Some(domain) = &cookie.domain {
                let bare = domain.trim_start_matches('.');
                if bare.is_empty()
                    || !bare
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
                {
                    return Err(invalid(
                        "cookie.domain",
                        json::debug(domain) + " is not a domain",
                    ));
                }
            }
            if cookie.same_site == SameSite::None && cookie.secure == Some(false) {
                return Err(invalid("cookie.secure", "sameSite None needs secure"));
            }
        }
        if let Some(language) = &self.language {
            if !self.texts.contains_key(language)
                && !BUILT_IN_LANGUAGES.contains(&language.as_str())
                && !LANGUAGE_FILES.contains(&language.as_str())
            {
                return Err(invalid(
                    "language",
                    "no texts for ".to_string() + &json::debug(language),
                ));
            }
        }
        if let Some(mode) = &self.google_consent_mode {
            self.validate_consent_mode(mode)?;
        }
        if let Some(endpoint) = &self.receipt_endpoint {
            let mailto = endpoint.to_ascii_lowercase().starts_with("mailto:");
            if mailto || check_link(endpoint).is_err() {
                return Err(invalid(
                    "receiptEndpoint",
                    json::debug(endpoint) + " is not an http(s) or relative URL",
                ));
            }
        }
        for (language, texts) in &self.texts {
            if !is_language_tag(language) {
                return Err(invalid(
                    "texts.".to_string() + language,
                    "not a language tag (like \"en\" or \"pt-BR\")",
                ));
            }
            texts
                .validate(&self.categories)
                .map_err(|(field, reason)| {
                    invalid("texts.".to_string() + language + "." + &field, reason)
                })?;
        }
        Ok(())
    }

    /// The category with this id.
    ///
    /// ```
    /// # use consent_banner::config::Config;
    /// let config = Config::default();
    /// assert!(config.category("essential").is_some_and(|c| c.required));
    /// assert_eq!(config.category("marketing"), None);
    /// ```
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    fn validate_consent_mode(&self, mode: &GoogleConsentMode) -> Result<(), ConfigError> {
        if mode.map.is_empty() {
            return Err(invalid(
                "googleConsentMode.map",
                "map at least one category to consent types",
            ));
        }
        for (id, types) in &mode.map {
            let field = "googleConsentMode.map.".to_string() + id;
            if self.category(id).is_none() {
                return Err(invalid(
                    field,
                    "no category ".to_string() + &json::debug(id),
                ));
            }
            if types.is_empty() {
                return Err(invalid(field, "list at least one consent type"));
            }
        }
        if mode.wait_for_update > 10_000 {
            return Err(invalid(
                "googleConsentMode.waitForUpdate",
                "at most 10000 (milliseconds)",
            ));
        }
        for (i, region) in mode.region.iter().enumerate() {
            if !is_region_code(region) {
                return Err(invalid(
                    indexed("googleConsentMode.region", i, ""),
                    json::debug(region)
                        + " is not an ISO 3166 region code (like \"DE\" or \"US-CA\")",
                ));
            }
        }
        Ok(())
    }
}

// --- reading: the JSON form of each type, field by field (see `crate::json`) -------------------

const CONFIG_FIELDS: &[&str] = &[
    "revision",
    "categories",
    "policyUrl",
    "acceptDays",
    "rejectDays",
    "storageKey",
    "cookie",
    "language",
    "texts",
    "floatingButton",
    "floatingButtonPosition",
    "layout",
    "blocking",
    "theme",
    "reloadOnWithdraw",
    "googleConsentMode",
    "gpc",
    "receiptEndpoint",
    "markupDecisions",
];

/// Reads a [`Config`]: every field optional, unknown fields are errors.
fn read(r: &mut Reader) -> Result<Config, json::Error> {
    let mut c = Config::default();
    r.object("struct Config", CONFIG_FIELDS, 0, true, &mut |r, i| {
        match i {
            0 => c.revision = r.u32()?,
            1 => {
                let mut categories = Vec::new();
                r.seq(&mut |r| {
                    categories.push(read_category(r)?);
                    Ok(())
                })?;
                c.categories = categories;
            }
            2 => c.policy_url = r.string()?,
            3 => c.accept_days = r.u32()?,
            4 => c.reject_days = r.u32()?,
            5 => c.storage_key = r.string()?,
            6 => {
                c.cookie = if r.null()? {
                    None
                } else {
                    Some(read_cookie(r)?)
                }
            }
            7 => c.language = r.optional_string()?,
            8 => {
                let mut texts = Map::new();
                r.map(&mut |r, language| {
                    texts.insert(language, read_texts(r)?);
                    Ok(())
                })?;
                c.texts = texts;
            }
            9 => c.floating_button = r.bool()?,
            10 => c.floating_button_position = r.name(SIDES)?,
            11 => c.layout = r.name(LAYOUTS)?,
            12 => c.blocking = r.bool()?,
            13 => c.theme = r.name(THEMES)?,
            14 => c.reload_on_withdraw = r.bool()?,
            15 => {
                c.google_consent_mode = if r.null()? {
                    None
                } else {
                    Some(read_consent_mode(r)?)
                }
            }
            16 => c.gpc = r.bool()?,
            17 => c.receipt_endpoint = r.optional_string()?,
            _ => c.markup_decisions = r.bool()?,
        }
        Ok(())
    })?;
    Ok(c)
}

/// A list of strings.
pub(crate) fn read_strings(r: &mut Reader) -> Result<Vec<String>, json::Error> {
    let mut items = Vec::new();
    r.seq(&mut |r| {
        items.push(r.string()?);
        Ok(())
    })?;
    Ok(items)
}

fn read_category(r: &mut Reader) -> Result<Category, json::Error> {
    let mut c = Category {
        id: String::new(),
        label: String::new(),
        description: String::new(),
        required: false,
        cookies: Vec::new(),
        shares_data: false,
        storage: Vec::new(),
    };
    let fields = &[
        "id",
        "label",
        "description",
        "required",
        "cookies",
        "sharesData",
        "storage",
    ];
    // `id` and `label` have no default.
    r.object("struct Category", fields, 0b11, true, &mut |r, i| {
        match i {
            0 => c.id = r.string()?,
            1 => c.label = r.string()?,
            2 => c.description = r.string()?,
            3 => c.required = r.bool()?,
            4 => c.cookies = read_strings(r)?,
            5 => c.shares_data = r.bool()?,
            _ => c.storage = read_strings(r)?,
        }
        Ok(())
    })?;
    Ok(c)
}

fn read_cookie(r: &mut Reader) -> Result<CookieMirror, json::Error> {
    let mut c = CookieMirror::default();
    let fields = &["name", "domain", "path", "sameSite", "secure"];
    r.object("struct CookieMirror", fields, 0, true, &mut |r, i| {
        match i {
            0 => c.name = r.string()?,
            1 => c.domain = r.optional_string()?,
            2 => c.path = r.string()?,
            3 => {
                c.same_site = r.variant(&[
                    ("Lax", SameSite::Lax),
                    ("Strict", SameSite::Strict),
                    ("None", SameSite::None),
                ])?
            }
            _ => c.secure = if r.null()? { None } else { Some(r.bool()?) },
        }
        Ok(())
    })?;
    Ok(c)
}

fn read_consent_mode(r: &mut Reader) -> Result<GoogleConsentMode, json::Error> {
    let mut m = GoogleConsentMode::default();
    let fields = &[
        "map",
        "waitForUpdate",
        "region",
        "adsDataRedaction",
        "urlPassthrough",
    ];
    r.object("struct GoogleConsentMode", fields, 0, true, &mut |r, i| {
        match i {
            0 => {
                let mut map = Map::new();
                r.map(&mut |r, id| {
                    let mut types = Vec::new();
                    r.seq(&mut |r| {
                        types.push(r.name(CONSENT_TYPES)?);
                        Ok(())
                    })?;
                    map.insert(id, types);
                    Ok(())
                })?;
                m.map = map;
            }
            1 => m.wait_for_update = r.u32()?,
            2 => m.region = read_strings(r)?,
            3 => m.ads_data_redaction = r.bool()?,
            _ => m.url_passthrough = r.bool()?,
        }
        Ok(())
    })?;
    Ok(m)
}

/// `DE`, `US-CA`: two capital letters, then optionally `-` and 1 to 3 capitals or digits.
fn is_region_code(code: &str) -> bool {
    let (country, subdivision) = match code.split_once('-') {
        Some((country, subdivision)) => (country, Some(subdivision)),
        None => (code, None),
    };
    let upper_or_digit = |b: u8| b.is_ascii_uppercase() || b.is_ascii_digit();
    country.len() == 2
        && country.bytes().all(|b| b.is_ascii_uppercase())
        && subdivision.is_none_or(|s| (1..=3).contains(&s.len()) && s.bytes().all(upper_or_digit))
}

fn check_token(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("must not be empty".into());
    }
    let mut bytes = id.bytes();
    let starts_with_letter = bytes.next().is_some_and(|b| b.is_ascii_lowercase());
    let rest_ok =
        bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if !starts_with_letter || !rest_ok || id.len() > 32 {
        return Err(json::debug(id)
            + " is not a simple token (a-z, 0-9, _ and -, starting with a letter, at most 32)");
    }
    Ok(())
}

/// Accepts `http://`, `https://`, `mailto:` and relative links (`/x`, `x.html`, `#top`, `?q`).
/// Rejects every other scheme (`javascript:`, `data:`, ...), protocol-relative links (`//host`, and
/// any backslash, which browsers read as `/`: `/\host`), spaces and control characters (URL
/// parsers drop a tab or newline: `/<tab>/host` is `//host`).
///
/// ```
/// use consent_banner::config::check_link;
///
/// assert_eq!(check_link("/privacy"), Ok(()));
/// assert_eq!(check_link("mailto:privacy@example.org"), Ok(()));
/// assert_eq!(
///     check_link("//elsewhere.example").unwrap_err(),
///     r#""//elsewhere.example" is protocol-relative; write https://"#
/// );
/// assert!(check_link("javascript:alert(1)").is_err());
/// ```
pub fn check_link(link: &str) -> Result<(), String> {
    if link.trim().is_empty() {
        return Err("must not be empty".into());
    }
    if link.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(json::debug(link) + " holds spaces or control characters");
    }
    // Browsers read `\` as `/` in http(s) URLs: `/\elsewhere.example/` is protocol-relative.
    if link.contains('\\') {
        return Err(json::debug(link) + " holds a backslash (browsers read it as /)");
    }
    let lower = link.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
    {
        return Ok(());
    }
    if link.starts_with("//") {
        return Err(json::debug(link) + " is protocol-relative; write https://");
    }
    // A scheme is letters, digits, `+`, `-`, `.` before the first `:`, and comes before any `/?#`.
    let before_delimiter = link.split(['/', '?', '#']).next().unwrap_or("");
    if before_delimiter.contains(':') {
        return Err(json::debug(link) + " is not an http(s), relative or mailto link");
    }
    Ok(())
}

fn is_cookie_pattern(name: &str) -> bool {
    let name = name.strip_suffix('*').unwrap_or(name);
    !name.is_empty()
        && name.len() <= 128
        && name
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}*".contains(&b))
}

/// A Web Storage key, or a prefix of one with a trailing `*`: visible characters (any script, no
/// spaces or control characters), at most 128, a `*` only at the end.
fn is_storage_pattern(pattern: &str) -> bool {
    let key = pattern.strip_suffix('*').unwrap_or(pattern);
    !key.is_empty()
        && pattern.chars().count() <= 128
        && !key.contains('*')
        && !key.chars().any(|c| c.is_control() || c.is_whitespace())
}

fn is_cookie_value_byte(b: u8) -> bool {
    b.is_ascii_graphic() && b != b';' && b != b','
}

fn is_storage_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= 64 && key.bytes().all(|b| b.is_ascii_graphic())
}

fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(json: &str) -> String {
        match Config::from_json(json) {
            Ok(_) => panic!("accepted: {json}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn defaults_reproduce_the_seed_policy() {
        let config = Config::from_json("").unwrap();
        let ids: Vec<_> = config.categories.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["essential", "functional", "statistics"]);
        assert!(config.categories[0].required);
        assert!(!config.categories[1].required && !config.categories[2].required);
        assert!(config.categories[2].description.contains("IP address"));
        assert!(config.categories[1]
            .description
            .contains("lists and queries"));
        assert_eq!(config.revision, 1);
        assert_eq!(config, Config::default());
    }

    #[test]
    fn duplicate_category_id_names_the_field() {
        let json = r#"{"categories":[
            {"id":"essential","label":"E","required":true},
            {"id":"statistics","label":"S"},
            {"id":"statistics","label":"S2"}]}"#;
        assert_eq!(
            error_of(json),
            r#"config: categories[2].id: duplicate "statistics""#
        );
    }

    #[test]
    fn empty_and_malformed_ids_are_rejected() {
        assert_eq!(
            error_of(r#"{"categories":[{"id":"","label":"x"}]}"#),
            "config: categories[0].id: must not be empty"
        );
        assert_eq!(
            error_of(r#"{"categories":[{"id":"a\"b","label":"x"}]}"#),
            r#"config: categories[0].id: "a\"b" is not a simple token (a-z, 0-9, _ and -, starting with a letter, at most 32)"#
        );
        for bad in ["with space", "br[ack]et", "Upper", "9lives", "a]"] {
            let json = format!(r#"{{"categories":[{{"id":{bad:?},"label":"x"}}]}}"#);
            assert!(
                error_of(&json).starts_with("config: categories[0].id: "),
                "{bad}"
            );
        }
    }

    #[test]
    fn links_must_be_http_relative_or_mailto() {
        for good in [
            "https://example.org/p",
            "http://x",
            "/privacy",
            "privacy.html",
            "#p",
            "mailto:dpo@x.org",
        ] {
            assert_eq!(check_link(good), Ok(()), "{good}");
        }
        assert_eq!(
            error_of(r#"{"policyUrl":"javascript:alert(1)"}"#),
            r#"config: policyUrl: "javascript:alert(1)" is not an http(s), relative or mailto link"#
        );
        for bad in [
            "data:text/html,x",
            "JavaScript:x",
            "//evil.example",
            "vbscript:x",
            " ",
            "java\tscript:x",
        ] {
            assert!(check_link(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn backslashes_and_stripped_characters_never_make_a_link_protocol_relative() {
        assert_eq!(
            error_of(r#"{"policyUrl":"/\\elsewhere.example/"}"#),
            r#"config: policyUrl: "/\\elsewhere.example/" holds a backslash (browsers read it as /)"#
        );
        assert_eq!(
            error_of(r#"{"receiptEndpoint":"\\/elsewhere.example/r"}"#),
            r#"config: receiptEndpoint: "\\/elsewhere.example/r" is not an http(s) or relative URL"#
        );
        assert_eq!(
            error_of(r#"{"policyUrl":"/\t/elsewhere.example/"}"#),
            r#"config: policyUrl: "/\t/elsewhere.example/" holds spaces or control characters"#
        );
        for bad in [
            "/\\elsewhere.example/",
            "\\\\elsewhere.example",
            "\\/elsewhere.example",
            "https://example.org\\@elsewhere.example",
            "privacy\\..\\x",
            "/\n/elsewhere.example",
            "/\r/elsewhere.example",
            "\u{0}//elsewhere.example",
            "\u{3000}//elsewhere.example",
            "//elsewhere.example",
            "https:elsewhere.example",
            "http:/elsewhere.example",
        ] {
            assert!(check_link(bad).is_err(), "{bad:?}");
        }
        for good in ["/a/b", "./x", "../x", "x/y?z#w", "/privacy#cookies"] {
            assert_eq!(check_link(good), Ok(()), "{good}");
        }
    }

    #[test]
    fn markup_decisions_are_off_unless_the_config_turns_them_on() {
        assert!(!Config::default().markup_decisions);
        assert!(
            Config::from_json(r#"{"markupDecisions":true}"#)
                .unwrap()
                .markup_decisions
        );
        assert!(error_of(r#"{"markupDecisions":"yes"}"#).starts_with(
            "config: markupDecisions: invalid type: string \"yes\", expected a boolean"
        ));
    }

    #[test]
    fn a_category_may_be_named_like_an_object_prototype_member() {
        let json = r#"{"categories":[{"id":"constructor","label":"C"},
            {"id":"__proto__","label":"P"},{"id":"tostring","label":"T"},
            {"id":"hasownproperty","label":"H"}]}"#;
        // `__proto__` is not a token (it starts with `_`); the others are ordinary ids.
        assert_eq!(
            error_of(json),
            r#"config: categories[1].id: "__proto__" is not a simple token (a-z, 0-9, _ and -, starting with a letter, at most 32)"#
        );
        let config = Config::from_json(
            r#"{"categories":[{"id":"constructor","label":"C"},{"id":"tostring","label":"T"}]}"#,
        )
        .unwrap();
        assert_eq!(config.categories[0].id, "constructor");
        assert_eq!(
            error_of(
                r#"{"categories":[{"id":"constructor","label":"C"},{"id":"constructor","label":"D"}]}"#
            ),
            r#"config: categories[1].id: duplicate "constructor""#
        );
    }

    #[test]
    fn storage_patterns_are_visible_keys_or_prefixes() {
        let config = Config::from_json(
            r#"{"categories":[{"id":"statistics","label":"S","storage":["ph_*","__mpq_*","_hjSession","ключ"]}]}"#,
        )
        .unwrap();
        assert_eq!(
            config.categories[0].storage,
            ["ph_*", "__mpq_*", "_hjSession", "ключ"]
        );
        assert!(Config::default()
            .categories
            .iter()
            .all(|c| c.storage.is_empty()));
        let message = |pattern: &str| {
            let json = format!(
                r#"{{"categories":[{{"id":"essential","label":"E"}},{{"id":"statistics","label":"S","storage":["ok",{pattern}]}}]}}"#,
                pattern = serde_json::to_string(pattern).unwrap()
            );
            error_of(&json)
        };
        assert_eq!(
            message("ph *"),
            r#"config: categories[1].storage[1]: "ph *" is not a storage key pattern (1 to 128 visible characters, no spaces; a trailing * matches a prefix)"#
        );
        for bad in [
            "",
            "*",
            "**",
            "a*b",
            "a\tb",
            "a\nb",
            " x",
            "x\u{7f}",
            &"k".repeat(129),
        ] {
            assert!(
                message(bad).starts_with("config: categories[1].storage[1]: "),
                "{bad:?}: {}",
                message(bad)
            );
        }
        assert!(Config::from_json(&format!(
            r#"{{"categories":[{{"id":"s","label":"S","storage":["{}"]}}]}}"#,
            "k".repeat(128)
        ))
        .is_ok());
    }

    #[test]
    fn a_storage_pattern_that_would_delete_the_record_is_rejected() {
        assert_eq!(
            error_of(
                r#"{"categories":[{"id":"essential","label":"E"},{"id":"statistics","label":"S","storage":["ph_*"]},{"id":"ads","label":"A","storage":["x","consent*"]}]}"#
            ),
            r#"config: categories[2].storage[1]: "consent*" would delete the banner's own record (storageKey "consent-banner")"#
        );
        assert_eq!(
            error_of(
                r#"{"storageKey":"my-site","categories":[{"id":"a","label":"A","storage":["my-site"]}]}"#
            ),
            r#"config: categories[0].storage[0]: "my-site" would delete the banner's own record (storageKey "my-site")"#
        );
        assert!(Config::from_json(
            r#"{"storageKey":"my-site","categories":[{"id":"a","label":"A","storage":["consent*","my-site-x","my-sit"]}]}"#
        )
        .is_ok());
    }

    #[test]
    fn unknown_field_is_a_parse_error_that_names_it() {
        let message = error_of(r#"{"revison": 2}"#);
        assert!(
            message.starts_with("config: revison: unknown field `revison`"),
            "{message}"
        );
        let message = error_of(r#"{"categories":[{"id":"a","label":"A","requred":true}]}"#);
        assert!(
            message.starts_with("config: categories[0].requred: unknown field `requred`"),
            "{message}"
        );
    }

    #[test]
    fn type_errors_name_their_field_wherever_it_is() {
        let message = error_of("{\n  \"categories\": [\n    {\"id\": \"a\", \"label\": \"A\"},\n    {\"id\": \"b\", \"label\": 7}\n  ]\n}");
        assert!(
            message.starts_with("config: categories[1].label: invalid type: integer `7`"),
            "{message}"
        );
        let message = error_of(r#"{"categories":[{"id":"a"}]}"#);
        assert!(
            message.starts_with("config: categories[0]: missing field `label`"),
            "{message}"
        );
        let message = error_of(r#"{"texts":{"de":{"categories":{"x\"y":{"label":false}}}}}"#);
        assert!(
            message.starts_with("config: texts.de.categories.x\"y.label: invalid type: boolean"),
            "{message}"
        );
        let message = error_of(r#"{"cookie":{"sameSite":"Lax","secure":"yes"}}"#);
        assert!(
            message.starts_with("config: cookie.secure: invalid type: string"),
            "{message}"
        );
    }

    #[test]
    fn wrong_types_and_malformed_json_are_parse_errors() {
        assert!(error_of(r#"{"revision": "2"}"#)
            .starts_with("config: revision: invalid type: string \"2\""));
        let eof = error_of("{");
        assert!(eof.starts_with("config: EOF while parsing"), "{eof}");
        assert_eq!(
            error_of(r#"{"revision": 0}"#),
            "config: revision: must be at least 1"
        );
    }

    #[test]
    fn oversized_config_is_rejected_before_parsing() {
        let big = format!(r#"{{"policyUrl":"/{}"}}"#, "a".repeat(MAX_CONFIG_BYTES));
        assert!(error_of(&big).starts_with("config: too large ("));
    }

    #[test]
    fn unknown_language_keys_are_rejected() {
        assert_eq!(
            error_of(r#"{"language":"xx"}"#),
            r#"config: language: no texts for "xx""#
        );
        assert_eq!(
            error_of(r#"{"texts":{"english":{}}}"#),
            r#"config: texts.english: not a language tag (like "en" or "pt-BR")"#
        );
        assert_eq!(
            error_of(r#"{"texts":{"en":{"acceptAl":"x"}}}"#).split(" at line").next().unwrap(),
            "config: texts.en.acceptAl: unknown field `acceptAl`, expected one of `title`, `summary`, `acceptAll`, `rejectAll`, `preferences`, `save`, `close`, `policyLink`, `preferencesTitle`, `alwaysOn`, `reopen`, `gpcNotice`, `categories`"
        );
        assert_eq!(
            error_of(r#"{"texts":{"de":{"categories":{"stats":{"label":"x"}}}}}"#),
            r#"config: texts.de.categories.stats: no category "stats""#
        );
    }

    #[test]
    fn cookie_mirror_rules() {
        let config = Config::from_json(r#"{"cookie":{}}"#).unwrap();
        assert_eq!(config.cookie.unwrap().same_site, SameSite::Lax);
        assert_eq!(
            error_of(r#"{"cookie":{"sameSite":"None","secure":false}}"#),
            "config: cookie.secure: sameSite None needs secure"
        );
        assert_eq!(
            error_of(r#"{"cookie":{"name":"a;b"}}"#),
            r#"config: cookie.name: "a;b" is not a cookie name"#
        );
        assert_eq!(
            error_of(r#"{"categories":[{"id":"a","label":"A","cookies":["x=y"]}]}"#),
            r#"config: categories[0].cookies[0]: "x=y" is not a cookie name (a trailing * matches a prefix)"#
        );
    }

    #[test]
    fn look_fields_take_their_documented_names_and_defaults() {
        let config = Config::default();
        assert_eq!(
            (config.layout, config.theme, config.floating_button_position),
            (Layout::Bottom, Theme::Auto, Side::Left)
        );
        assert!(!config.blocking);
        let config = Config::from_json(
            r#"{"layout":"corner","theme":"dark","floatingButtonPosition":"right","blocking":true}"#,
        )
        .unwrap();
        assert_eq!(config.layout, Layout::Corner);
        assert_eq!(config.theme, Theme::Dark);
        assert_eq!(config.floating_button_position, Side::Right);
        assert!(config.blocking);
        for (name, layout) in LAYOUTS {
            assert_eq!(layout.name(), *name);
        }
        assert_eq!(Theme::Light.name(), "light");
        assert_eq!(Side::Right.name(), "right");
    }

    #[test]
    fn unknown_look_values_name_the_field_and_the_allowed_values() {
        let message = |json: &str| error_of(json).split(" at line").next().unwrap().to_string();
        assert_eq!(
            message(r#"{"layout":"sideways"}"#),
            r#"config: layout: "sideways" is not one of "bottom", "top", "corner", "center""#
        );
        assert_eq!(
            message(r#"{"theme":"Dark"}"#),
            r#"config: theme: "Dark" is not one of "auto", "light", "dark""#
        );
        assert_eq!(
            message(r#"{"floatingButtonPosition":"start"}"#),
            r#"config: floatingButtonPosition: "start" is not one of "left", "right""#
        );
        assert!(error_of(r#"{"blocking":"yes"}"#)
            .starts_with("config: blocking: invalid type: string \"yes\", expected a boolean"));
    }

    #[test]
    fn every_field_round_trips_through_json() {
        let config = Config {
            cookie: Some(CookieMirror::default()),
            language: Some("de".into()),
            layout: Layout::Center,
            theme: Theme::Light,
            floating_button_position: Side::Right,
            blocking: true,
            markup_decisions: true,
            categories: vec![Category {
                storage: vec!["ph_*".into()],
                cookies: vec!["_ga*".into()],
                ..Config::default().categories[2].clone()
            }],
            ..Config::default()
        };
        let json = serde_json::to_string(&config).unwrap();
        assert_eq!(Config::from_json(&json).unwrap(), config);
    }

    #[test]
    fn google_consent_mode_maps_categories_to_consent_types() {
        let config = Config::from_json(
            r#"{"googleConsentMode":{"map":{"statistics":["analytics_storage"],
                "functional":["functionality_storage","personalization_storage"]},
                "region":["DE","US-CA"],"adsDataRedaction":true}}"#,
        )
        .unwrap();
        let mode = config.google_consent_mode.unwrap();
        assert_eq!(
            mode.map["statistics"],
            [ConsentType::AnalyticsStorage],
            "typed consent types"
        );
        assert_eq!(mode.map["functional"][1].name(), "personalization_storage");
        assert_eq!(mode.wait_for_update, 500, "default wait_for_update");
        assert!(mode.ads_data_redaction && !mode.url_passthrough);
        assert_eq!(
            Config::default().google_consent_mode,
            None,
            "off by default"
        );
    }

    #[test]
    fn google_consent_mode_errors_name_the_field() {
        assert_eq!(
            error_of(r#"{"googleConsentMode":{"map":{"stats":["analytics_storage"]}}}"#),
            r#"config: googleConsentMode.map.stats: no category "stats""#
        );
        assert_eq!(
            error_of(r#"{"googleConsentMode":{"map":{"statistics":[]}}}"#),
            "config: googleConsentMode.map.statistics: list at least one consent type"
        );
        assert_eq!(
            error_of(r#"{"googleConsentMode":{}}"#),
            "config: googleConsentMode.map: map at least one category to consent types"
        );
        assert_eq!(
            error_of(r#"{"googleConsentMode":{"map":{"statistics":["analytic_storage"]}}}"#)
                .split(" at line")
                .next()
                .unwrap(),
            r#"config: googleConsentMode.map.statistics[0]: "analytic_storage" is not one of "ad_storage", "ad_user_data", "ad_personalization", "analytics_storage", "functionality_storage", "personalization_storage", "security_storage""#
        );
        assert_eq!(
            error_of(
                r#"{"googleConsentMode":{"map":{"statistics":["analytics_storage"]},"waitForUpdate":60000}}"#
            ),
            "config: googleConsentMode.waitForUpdate: at most 10000 (milliseconds)"
        );
        assert_eq!(
            error_of(
                r#"{"googleConsentMode":{"map":{"statistics":["analytics_storage"]},"region":["DE","usa"]}}"#
            ),
            r#"config: googleConsentMode.region[1]: "usa" is not an ISO 3166 region code (like "DE" or "US-CA")"#
        );
    }

    #[test]
    fn gpc_is_honoured_by_default_and_no_seed_category_shares_data() {
        let config = Config::default();
        assert!(config.gpc);
        assert!(config.categories.iter().all(|c| !c.shares_data));
        let config = Config::from_json(
            r#"{"gpc":false,"categories":[{"id":"ads","label":"Ads","sharesData":true}]}"#,
        )
        .unwrap();
        assert!(!config.gpc && config.categories[0].shares_data);
    }

    #[test]
    fn receipt_endpoint_must_be_http_or_relative() {
        for good in ["/consent/receipts", "https://example.org/r", "receipts"] {
            let json = format!(r#"{{"receiptEndpoint":{good:?}}}"#);
            assert_eq!(
                Config::from_json(&json)
                    .unwrap()
                    .receipt_endpoint
                    .as_deref(),
                Some(good)
            );
        }
        assert_eq!(
            error_of(r#"{"receiptEndpoint":"mailto:dpo@example.org"}"#),
            r#"config: receiptEndpoint: "mailto:dpo@example.org" is not an http(s) or relative URL"#
        );
        assert_eq!(
            error_of(r#"{"receiptEndpoint":"javascript:alert(1)"}"#),
            r#"config: receiptEndpoint: "javascript:alert(1)" is not an http(s) or relative URL"#
        );
    }

    /// `UPDATE_SCHEMA=1 cargo test` rewrites the file after a change of the config's types.
    #[test]
    fn shipped_json_schema_matches_the_rust_types() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/www/consent-banner.schema.json"
        );
        let generated = json_schema();
        if std::env::var_os("UPDATE_SCHEMA").is_some() {
            std::fs::write(path, &generated).unwrap();
        }
        let shipped = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            shipped == generated,
            "www/consent-banner.schema.json is stale: run UPDATE_SCHEMA=1 cargo test --lib config"
        );
        let schema: serde_json::Value = serde_json::from_str(&generated).unwrap();
        let properties = &schema["properties"];
        assert_eq!(properties["revision"]["default"], 1);
        assert_eq!(
            schema["additionalProperties"], false,
            "unknown fields are errors"
        );
        assert!(properties["googleConsentMode"].is_object());
        assert!(properties["receiptEndpoint"].is_object());
    }
}

/// The JSON reader's messages, as a site owner sees them in a config error (see `crate::json`).
#[cfg(test)]
mod read_errors {
    use super::Config;

    fn read_error(text: &str) -> String {
        match Config::from_json(text) {
            Ok(_) => panic!("accepted: {text}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn paths_are_tracked_while_reading() {
        // The scanner of serde_json's error position that named paths before got these wrong
        // (`categories[0].cookies[0]`, `statistics[1]`, `revu0069sion`).
        assert_eq!(
            read_error(r#"{"categories":[{"id":"a","cookies":[]}]}"#),
            "config: categories[0]: missing field `label` at line 1 column 38"
        );
        assert!(read_error(
            r#"{"googleConsentMode":{"map":{"statistics":["analytic_storage", "ad_storage"]}}}"#
        )
        .starts_with(
            r#"config: googleConsentMode.map.statistics[0]: "analytic_storage" is not one of"#
        ));
        assert_eq!(
            read_error(r#"{"rev\u0069sion": "2"}"#),
            r#"config: revision: invalid type: string "2", expected u32 at line 1 column 21"#
        );
    }

    #[test]
    fn documented_differences_from_serde_json() {
        // A struct is an object, not also an array of its fields.
        assert_eq!(
            read_error(r#"{"cookie":["x", null, "/", "Lax", true]}"#),
            "config: cookie: invalid type: sequence, expected struct CookieMirror at line 1 column 10"
        );
        // A unit enum is a string, not also `{"Strict": null}`.
        assert_eq!(
            read_error(r#"{"cookie":{"sameSite":{"Strict":null}}}"#),
            "config: cookie.sameSite: invalid type: map, expected one of `Lax`, `Strict`, `None` at line 1 column 22"
        );
        // A float is shown as written (serde_json: `1.5`, `1000.0`, `-0.0`).
        for (float, column) in [("1.50", 17), ("1e3", 16), ("-0", 15)] {
            assert_eq!(
                read_error(&format!(r#"{{"revision": {float}}}"#)),
                format!("config: revision: invalid type: floating point `{float}`, expected u32 at line 1 column {column}")
            );
        }
    }

    #[test]
    fn positions_count_lines_and_bytes_as_serde_json_does() {
        assert_eq!(
            read_error("{\n  \"layout\": \"é\",\n  \"x\": 1}"),
            "config: layout: \"é\" is not one of \"bottom\", \"top\", \"corner\", \"center\" at line 2 column 16"
        );
        assert_eq!(
            read_error("{\"revision\": 2,"),
            "config: EOF while parsing a value at line 1 column 15"
        );
    }
}
