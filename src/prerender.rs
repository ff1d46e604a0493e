//! The first layer rendered ahead of time (feature `ssr`): for a Rust server (axum, a Yew SSR app)
//! and for the `consent-banner render` command.
//!
//! The site puts two snippets in its pages: the head snippet (the config and the loader tag) in
//! `<head>`, and the body snippet, a `<consent-banner>` element with a declarative shadow root
//! (the stylesheet and the first layer's markup), as the first child of `<body>`. The browser paints
//! the first layer with the page, before any script runs; the loader shows it to a visitor without
//! a valid decision (and hides it from everyone else), drives its Accept and Decline itself, and
//! loads the wasm UI only for the preferences. The markup is rendered by the UI's own components
//! ([`crate::ui::FirstLayer`] in the banner's frame) with Yew's server renderer, so it is what the
//! UI renders into its shadow root for the same config and language.
//!
//! A snippet carries a hash of what it was rendered from ([`snippet_hash`]: the crate version, the
//! language and the config text): the loader compares it with its own and renders the banner
//! fresh (reporting it once) when the site changed its config and forgot to render again.
//!
//! ```
//! use consent_banner::prerender::{render, Loader, RenderOptions};
//!
//! # let loader_file: &[u8] = b"/* dist/consent-banner-prerendered.js */";
//! let snippets = render(&RenderOptions::new(r#"{"revision": 2}"#, Loader::External(loader_file)))?;
//! assert!(snippets.head.starts_with(r#"<script type="application/json" id="consent-banner-config">"#));
//! assert!(snippets.body.starts_with("<consent-banner data-prerendered="));
//! assert!(snippets.csp.style_src.starts_with("'sha256-"));
//! # Ok::<(), consent_banner::prerender::RenderError>(())
//! ```

use std::fmt;
use std::rc::Rc;

use base64ct::{Base64, Encoding};
use sha2::{Digest, Sha384};
use yew::prelude::*;

use crate::core::config::{Config, ConfigError};
use crate::core::receipt::{sha256, texts_sha256};
use crate::core::texts::{
    add_language_file, choose_language, needs_language_file, read_language_file, resolve,
    ResolvedTexts, LANGUAGE_FILES,
};
use crate::ui::{frame, FirstLayer};

/// The crate's version, the first line of what [`snippet_hash`] hashes. The loader carries the
/// same (`/*version*/'0.1.0'/*end*/` in `consent-banner.js`).
///
/// ```
/// assert_eq!(consent_banner::prerender::VERSION, env!("CARGO_PKG_VERSION"));
/// ```
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Where `dist/` is served when [`RenderOptions::base`] is not given.
///
/// ```
/// assert_eq!(consent_banner::prerender::DEFAULT_BASE, "/consent-banner/");
/// ```
pub const DEFAULT_BASE: &str = "/consent-banner/";

/// The loader of prerendered pages, in `dist/`: its tag in the head snippet, its text inlined.
///
/// ```
/// assert_eq!(consent_banner::prerender::LOADER_FILE, "consent-banner-prerendered.js");
/// ```
pub const LOADER_FILE: &str = "consent-banner-prerendered.js";

/// The `id` of the config's `<script type="application/json">` in the head snippet (the loader's
/// default).
///
/// ```
/// assert_eq!(consent_banner::prerender::CONFIG_ID, "consent-banner-config");
/// ```
pub const CONFIG_ID: &str = "consent-banner-config";

macro_rules! language_files {
    ($($tag:literal),* $(,)?) => {
        &[$(($tag, include_str!(concat!("../www/lang/", $tag, ".json")))),*]
    };
}

/// The language files (`www/lang/<tag>.json`, [`LANGUAGE_FILES`] in that order), built in so that
/// a server needs no files. A unit test checks the list against [`LANGUAGE_FILES`].
const EMBEDDED_LANGUAGE_FILES: &[(&str, &str)] = language_files!(
    "ar", "bg", "ca", "cs", "da", "de", "el", "es", "et", "eu", "fa", "fi", "fr", "ga", "gl", "he",
    "hi", "hr", "hu", "id", "is", "it", "ja", "ko", "lt", "lv", "mt", "nb", "nl", "pl", "pt",
    "pt-BR", "ro", "ru", "sk", "sl", "sr", "sv", "th", "tr", "uk", "vi", "zh-Hans", "zh-Hant",
);

/// The text of a language's file (`dist/lang/<tag>.json`, as in `www/lang/`), built in with
/// feature `ssr`; `None` for English (built into the UI) and tags without a file. `tag` is
/// spelled as in [`LANGUAGE_FILES`].
///
/// ```
/// use consent_banner::prerender::language_file;
///
/// let german = consent_banner::texts::read_language_file(language_file("de").unwrap()).unwrap();
/// assert_eq!(german.accept_all.as_deref(), Some("Alle akzeptieren"));
/// assert!(language_file("en").is_none());
/// ```
pub fn language_file(tag: &str) -> Option<&'static str> {
    EMBEDDED_LANGUAGE_FILES
        .iter()
        .find(|(t, _)| *t == tag)
        .map(|(_, text)| *text)
}

/// The config with the chosen language's file added, and the texts resolved for that language:
/// what the loader and the UI do together (the loader chooses among the config's texts, the
/// files and English, with `page_language` as the page's `<html lang>` and no browser languages,
/// and fetches the file when [`needs_language_file`]; the UI adds it under the site's own texts
/// and resolves).
fn config_and_texts(config: &Config, page_language: Option<&str>) -> (Config, ResolvedTexts) {
    let mut config = config.clone();
    let mut chosen = choose_language(&config, page_language, &[], LANGUAGE_FILES);
    if needs_language_file(&config, &chosen) {
        // Every embedded file is read by a test; the fallback is the UI's for a broken file.
        match language_file(&chosen).map(read_language_file) {
            Some(Ok(file)) => add_language_file(&mut config, &chosen, file),
            _ => chosen = "en".into(),
        }
    }
    config.language = Some(chosen.clone());
    let texts = resolve(&config, &chosen);
    (config, texts)
}

/// The texts the first layer shows on a page whose language (its `<html lang>`) is `language`,
/// resolved as the loader and the banner do: the config's `language` first (it forces one), then
/// `language`, each chosen among the config's `texts`, the language files and English (`de-AT`
/// is `de`, `zh-TW` is `zh-Hant`), else English; the language's file added under the site's own
/// texts. The visitor's browser languages, which the loader asks next, are unknown ahead of time:
/// give the page a `lang` (or the config a `language`) and render with it, or the loader finds
/// the snippet stale for visitors whose browser prefers another language.
///
/// ```
/// use consent_banner::config::Config;
/// use consent_banner::prerender::first_layer_texts;
///
/// let texts = first_layer_texts(&Config::default(), Some("de-AT"));
/// assert_eq!((texts.language.as_str(), texts.accept_all.as_str()), ("de", "Alle akzeptieren"));
/// assert_eq!(first_layer_texts(&Config::default(), None).language, "en");
/// let french = Config { language: Some("fr".into()), ..Config::default() };
/// assert_eq!(first_layer_texts(&french, Some("de")).language, "fr");
/// ```
pub fn first_layer_texts(config: &Config, language: Option<&str>) -> ResolvedTexts {
    config_and_texts(config, language).1
}

/// Props of [`Prerendered`].
#[derive(Properties)]
struct PrerenderedProps {
    config: Rc<Config>,
    texts: Rc<ResolvedTexts>,
}

impl PartialEq for PrerenderedProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.config, &other.config) && Rc::ptr_eq(&self.texts, &other.texts)
    }
}

/// What [`crate::ui::ConsentBanner`] renders when it shows the first layer, the GPC note aside
/// (the page's signal is unknown ahead of time): its frame around [`FirstLayer`].
#[component]
fn Prerendered(props: &PrerenderedProps) -> Html {
    let config = &props.config;
    let content = html! {
        <FirstLayer texts={props.texts.clone()} policy_url={config.policy_url.clone()} gpc={false}
            layout={config.layout} blocking={config.blocking}
            on_accept={Callback::noop()} on_reject={Callback::noop()} on_preferences={Callback::noop()} />
    };
    frame(&props.texts, config.theme, NodeRef::default(), content)
}

async fn markup(config: Config, texts: ResolvedTexts) -> String {
    let props = PrerenderedProps {
        config: Rc::new(config),
        texts: Rc::new(texts),
    };
    yew::LocalServerRenderer::<Prerendered>::with_props(props)
        .hydratable(false)
        .render()
        .await
}

/// The first layer's markup for `language` (as in [`first_layer_texts`]): what the UI renders in
/// its shadow root's `<div class="root">` when it shows the first layer, rendered by the same
/// components with Yew's server renderer: `<div class="cb" lang dir data-theme>` around the
/// first layer (a `popover="manual"` section, or a `<dialog>` when `blocking`), its texts
/// escaped. No GPC note, no hydration markers. Takes well under a millisecond.
///
/// Blocks on Yew's renderer (`futures::executor::block_on`), which finishes at once natively.
/// In a browser, where Yew's scheduler waits for the event loop, it would never finish: await
/// [`first_layer_markup_async`] there.
///
/// ```
/// use consent_banner::config::Config;
/// use consent_banner::prerender::first_layer_markup;
///
/// let html = first_layer_markup(&Config::default(), Some("ar"));
/// assert!(html.starts_with(r#"<div lang="ar" dir="rtl" data-theme="auto" class="cb">"#));
/// assert!(html.contains(r#"data-action="accept""#));
/// ```
pub fn first_layer_markup(config: &Config, language: Option<&str>) -> String {
    futures::executor::block_on(first_layer_markup_async(config, language))
}

/// [`first_layer_markup`] as a future: for a browser (the proof that the prerendered markup is the
/// UI's runs there), or a single-threaded executor. The future is not `Send` (Yew's local
/// renderer holds `Rc`s): an axum handler calls the blocking form.
///
/// ```
/// use consent_banner::config::Config;
/// use consent_banner::prerender::{first_layer_markup, first_layer_markup_async};
///
/// let config = Config::default();
/// let html = futures::executor::block_on(first_layer_markup_async(&config, Some("de")));
/// assert_eq!(html, first_layer_markup(&config, Some("de")));
/// ```
pub async fn first_layer_markup_async(config: &Config, language: Option<&str>) -> String {
    let (config, texts) = config_and_texts(config, language);
    markup(config, texts).await
}

/// The config text as the head snippet embeds it in its `<script type="application/json">`:
/// every `<` written `\u003c` (the same JSON, but no `</script>` or `<!--` can end the element),
/// and line breaks as the HTML parser hands them to the loader (`\r\n` and `\r` as `\n`).
/// [`snippet_hash`] hashes this text. Valid JSON has `<` only inside strings, where the escape
/// reads back as `<`.
///
/// ```
/// use consent_banner::prerender::embed_config;
///
/// assert_eq!(embed_config(r#"{"policyUrl": "/p?</script>"}"#), r#"{"policyUrl": "/p?\u003c/script>"}"#);
/// ```
pub fn embed_config(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('<', "\\u003c")
}

/// The hash that ties a snippet to what it was rendered from: FNV-1a (32 bits) over the UTF-16
/// code units of `VERSION + "\n" + language + "\n" + embedded_config`, as 8 lowercase hex digits.
/// `language` is the tag the first layer shows (its `lang`), `embedded_config` the config text as
/// embedded ([`embed_config`]). The loader computes the same from its version, its language and
/// the config script's text, and renders fresh when they differ (`tests/vectors/prerender.json`
/// pins both sides).
///
/// ```
/// use consent_banner::prerender::snippet_hash;
///
/// let hash = snippet_hash("en", "");
/// assert_eq!(hash.len(), 8);
/// assert_ne!(hash, snippet_hash("en", "{}"));
/// ```
pub fn snippet_hash(language: &str, embedded_config: &str) -> String {
    fnv1a_utf16(&[VERSION, "\n", language, "\n", embedded_config])
}

fn fnv1a_utf16(parts: &[&str]) -> String {
    let mut h: u32 = 0x811c9dc5;
    for unit in parts.iter().flat_map(|part| part.encode_utf16()) {
        h ^= u32::from(unit);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{h:08x}")
}

/// How the head snippet loads the loader ([`LOADER_FILE`]).
///
/// ```
/// use consent_banner::prerender::{render, Loader, RenderOptions};
///
/// let inline = render(&RenderOptions::new("", Loader::Inline("/* the loader */")))?;
/// assert!(inline.head.contains("<script data-prerendered data-base="));
/// let file: &[u8] = b"/* dist/consent-banner-prerendered.js */";
/// let external = render(&RenderOptions::new("", Loader::External(file)))?;
/// assert!(external.head.contains(r#"integrity="sha384-"#));
/// # Ok::<(), consent_banner::prerender::RenderError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loader<'a> {
    /// `<script src="{base}consent-banner-prerendered.js" integrity="sha384-…"
    /// crossorigin="anonymous" data-prerendered>`: the file's bytes, as served from `dist/`, for
    /// its Subresource Integrity hash.
    External(&'a [u8]),
    /// `<script data-prerendered data-base="{base}">…</script>`: the file's text, inlined (no
    /// round trip before the decision), with a `script-src` hash for the CSP.
    Inline(&'a str),
}

/// What [`render`] renders.
///
/// ```
/// use consent_banner::prerender::{Loader, RenderOptions};
///
/// let options = RenderOptions {
///     language: Some("fr"),
///     base: "/static/consent-banner/",
///     ..RenderOptions::new("{}", Loader::Inline("/* the loader */"))
/// };
/// assert_eq!(options.config, "{}");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderOptions<'a> {
    /// The site's config: its JSON text as given (empty: the defaults). Embedded as
    /// [`embed_config`] writes it.
    pub config: &'a str,
    /// The page's language, its `<html lang>` (see [`first_layer_texts`]: the config's
    /// `language` comes first); `None`: the config's `language`, else English.
    pub language: Option<&'a str>,
    /// The URL of `dist/`, ending in `/`. Default [`DEFAULT_BASE`].
    pub base: &'a str,
    /// The loader: a tag, or inlined.
    pub loader: Loader<'a>,
}

impl<'a> RenderOptions<'a> {
    /// Options for `config` and `loader`, with the config's language and [`DEFAULT_BASE`].
    ///
    /// ```
    /// use consent_banner::prerender::{Loader, RenderOptions, DEFAULT_BASE};
    ///
    /// let options = RenderOptions::new("", Loader::External(b"..."));
    /// assert_eq!((options.language, options.base), (None, DEFAULT_BASE));
    /// ```
    pub fn new(config: &'a str, loader: Loader<'a>) -> Self {
        Self {
            config,
            language: None,
            base: DEFAULT_BASE,
            loader,
        }
    }
}

/// The sources a page's Content-Security-Policy must allow for the snippets, in its syntax
/// (`'sha256-…'`), to add to what it has.
///
/// ```
/// use consent_banner::prerender::{render, Loader, RenderOptions};
///
/// let csp = render(&RenderOptions::new("", Loader::Inline("/* loader */")))?.csp;
/// assert_eq!(csp.directives(), format!("style-src {}; script-src {}", csp.style_src, csp.script_src.unwrap()));
/// # Ok::<(), consent_banner::prerender::RenderError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CspSources {
    /// For `style-src`: the hash of the shadow root's `<style>` element.
    pub style_src: String,
    /// For `script-src`: the hash of the inline loader ([`Loader::Inline`]); `None` for the loader
    /// tag (allowed as `'self'` or by its origin, like any script file).
    pub script_src: Option<String>,
}

impl CspSources {
    /// The additions as directives: `style-src 'sha256-…'` and, with the inline loader,
    /// `; script-src 'sha256-…'`.
    ///
    /// ```
    /// use consent_banner::prerender::{render, Loader, RenderOptions};
    ///
    /// let csp = render(&RenderOptions::new("", Loader::External(b"...")))?.csp;
    /// assert!(csp.directives().starts_with("style-src 'sha256-"));
    /// # Ok::<(), consent_banner::prerender::RenderError>(())
    /// ```
    pub fn directives(&self) -> String {
        let mut out = "style-src ".to_string() + &self.style_src;
        if let Some(script) = &self.script_src {
            out = out + "; script-src " + script;
        }
        out
    }
}

/// The snippets of a prerendered page, from [`render`].
///
/// ```
/// use consent_banner::prerender::{render, Loader, RenderOptions};
///
/// let snippets = render(&RenderOptions::new("", Loader::External(b"...")))?;
/// let page = format!(
///     "<!doctype html><html lang=\"en\"><head>{}</head><body>{}<main>…</main></body></html>",
///     snippets.head, snippets.body
/// );
/// assert!(page.contains("data-prerendered"));
/// # Ok::<(), consent_banner::prerender::RenderError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippets {
    /// For `<head>`, before any tag the banner gates: the config's
    /// `<script type="application/json" id="consent-banner-config">` and the loader.
    pub head: String,
    /// The first child of `<body>`: `<consent-banner data-prerendered="{hash}"
    /// data-texts-sha256="…">` with its declarative shadow root (`<style>` and
    /// `<div class="root">` holding [`first_layer_markup`]).
    pub body: String,
    /// What the page's Content-Security-Policy must allow.
    pub csp: CspSources,
    /// [`snippet_hash`] of this rendering (the body's `data-prerendered`).
    pub hash: String,
    /// The language of the first layer (its `lang`, and the second line of the hash).
    pub language: String,
    /// [`crate::receipt::texts_sha256`] of the texts shown, as receipts carry it (the body's
    /// `data-texts-sha256`).
    pub texts_sha256: String,
}

impl Snippets {
    /// One JSON object for build tools: `{"head", "body", "csp": {"styleSrc", "scriptSrc"}, "hash",
    /// "language", "textsSha256", "version"}` (`scriptSrc` is `null` without the inline loader).
    ///
    /// ```
    /// use consent_banner::prerender::{render, Loader, RenderOptions};
    ///
    /// let json = render(&RenderOptions::new("", Loader::External(b"...")))?.to_json();
    /// assert!(json.starts_with(r#"{"head":"<script type=\"application/json\""#));
    /// # Ok::<(), consent_banner::prerender::RenderError>(())
    /// ```
    pub fn to_json(&self) -> String {
        use crate::json::{push_key, push_str};
        let mut json = String::from("{");
        for (key, value) in [("head", &self.head), ("body", &self.body)] {
            push_key(&mut json, key);
            push_str(&mut json, value);
        }
        json.push_str(",\"csp\":{\"styleSrc\":");
        push_str(&mut json, &self.csp.style_src);
        json.push_str(",\"scriptSrc\":");
        match &self.csp.script_src {
            Some(source) => push_str(&mut json, source),
            None => json.push_str("null"),
        }
        json.push('}');
        for (key, value) in [
            ("hash", self.hash.as_str()),
            ("language", &self.language),
            ("textsSha256", &self.texts_sha256),
            ("version", VERSION),
        ] {
            push_key(&mut json, key);
            push_str(&mut json, value);
        }
        json.push('}');
        json
    }
}

/// Why [`render`] rendered nothing. The messages are part of the API.
///
/// ```
/// use consent_banner::prerender::{render, Loader, RenderError, RenderOptions};
///
/// let options = RenderOptions::new(r#"{"revision": 0}"#, Loader::Inline(""));
/// let error = render(&options).unwrap_err();
/// assert!(matches!(error, RenderError::Config(_)));
/// assert_eq!(error.to_string(), "config: revision: must be at least 1");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderError {
    /// The config is invalid: the browser's field-named message (`config: categories[2].id:
    /// duplicate "statistics"`).
    Config(ConfigError),
    /// [`RenderOptions::base`] is no URL of a folder.
    Base(String),
    /// The inline loader's text cannot be inlined.
    Loader(String),
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::Config(error) => f.write_str(&error.message()),
            RenderError::Base(message) | RenderError::Loader(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for RenderError {}

/// The first layer's part of the stylesheet the UI adopts (`src/ui/banner.css` up to its "first
/// layer end" marker, minified by the build script), in the declarative shadow root's `<style>`:
/// the preferences and the reopen button are the UI's, in a shadow root of its own.
///
/// ```
/// use consent_banner::prerender::STYLES;
///
/// assert!(STYLES.contains(".banner:not([hidden]){display:block}"));
/// assert!(!STYLES.contains(".switch"), "the preferences' switches are not in the first layer");
/// ```
pub const STYLES: &str = include_str!(concat!(env!("OUT_DIR"), "/banner.first.min.css"));

/// `'sha256-…'`: a CSP hash source of `text`.
fn csp_sha256(text: &str) -> String {
    "'sha256-".to_string() + &Base64::encode_string(&sha256(text.as_bytes())) + "'"
}

/// `sha384-…`: a Subresource Integrity value of `bytes`.
fn sri_sha384(bytes: &[u8]) -> String {
    "sha384-".to_string() + &Base64::encode_string(&Sha384::digest(bytes))
}

/// `text` for a double-quoted attribute value.
fn attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn check_base(base: &str) -> Result<(), RenderError> {
    let problem = if !base.ends_with('/') {
        "must end with \"/\""
    } else if base
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>'))
    {
        "must be a URL (no spaces, quotes or angle brackets)"
    } else {
        return Ok(());
    };
    Err(RenderError::Base(
        "base: ".to_string() + problem + " (got " + &crate::json::debug(base) + ")",
    ))
}

/// The inline loader's text as the page holds it (line breaks as the parser hands them over, which
/// is what the CSP hash is computed on).
fn inline_loader(text: &str) -> Result<String, RenderError> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lower = text.to_ascii_lowercase();
    for bad in ["</script", "<!--"] {
        if lower.contains(bad) {
            return Err(RenderError::Loader(
                "loader: the text contains ".to_string()
                    + &crate::json::debug(bad)
                    + ", which would end or change its inline <script> element",
            ));
        }
    }
    Ok(text)
}

/// Renders the snippets of a prerendered page: the head snippet (the config, checked and embedded;
/// the loader tag with its SRI hash, or the loader inlined), the body snippet (the
/// `<consent-banner>` element with the stylesheet and [`first_layer_markup`] in its declarative
/// shadow root, and the hashes the loader checks), and the CSP hashes they need. Render again
/// whenever the config, the language or `dist/` changes: the loader renders fresh for a stale
/// snippet. Blocks on Yew's renderer, as [`first_layer_markup`] does ([`render_async`] in a
/// browser).
///
/// ```
/// use consent_banner::prerender::{render, snippet_hash, embed_config, Loader, RenderOptions};
///
/// let config = r#"{"texts": {"en": {"title": "Cookies?</script>"}}}"#;
/// let snippets = render(&RenderOptions { language: Some("en"), ..RenderOptions::new(config, Loader::External(b"...")) })?;
/// assert!(snippets.head.contains(r#""Cookies?\u003c/script>""#));
/// assert!(snippets.body.contains("Cookies?&lt;/script&gt;"));
/// assert_eq!(snippets.hash, snippet_hash("en", &embed_config(config)));
/// # Ok::<(), consent_banner::prerender::RenderError>(())
/// ```
///
/// # Errors
///
/// [`RenderError::Config`] when [`Config::from_json`] rejects the config (the message the banner
/// would show in the browser), [`RenderError::Base`] when the base URL does not end in `/` or
/// holds spaces, quotes or angle brackets, and [`RenderError::Loader`] when the inline loader
/// holds `</script` or `<!--`.
pub fn render(options: &RenderOptions<'_>) -> Result<Snippets, RenderError> {
    futures::executor::block_on(render_async(options))
}

/// [`render`] as a future, for a browser or a single-threaded executor (see
/// [`first_layer_markup_async`]: the future is not `Send`).
///
/// ```
/// use consent_banner::prerender::{render, render_async, Loader, RenderOptions};
///
/// let options = RenderOptions::new("", Loader::External(b"..."));
/// assert_eq!(futures::executor::block_on(render_async(&options)), render(&options));
/// ```
///
/// # Errors
///
/// As [`render`].
pub async fn render_async(options: &RenderOptions<'_>) -> Result<Snippets, RenderError> {
    let config = Config::from_json(options.config).map_err(RenderError::Config)?;
    check_base(options.base)?;
    let base = attribute(options.base);
    let (config, texts) = config_and_texts(&config, options.language);
    let language = texts.language.clone();
    let texts_sha256 = texts_sha256(&config, &texts);
    let embedded = embed_config(options.config);
    let hash = snippet_hash(&language, &embedded);

    let mut head =
        format!(r#"<script type="application/json" id="{CONFIG_ID}">{embedded}</script>"#);
    head.push('\n');
    let script_src = match options.loader {
        Loader::External(bytes) => {
            head += &format!(
                r#"<script src="{base}{LOADER_FILE}" integrity="{}" crossorigin="anonymous" data-prerendered></script>"#,
                sri_sha384(bytes)
            );
            None
        }
        Loader::Inline(text) => {
            let text = inline_loader(text)?;
            head += &format!(r#"<script data-prerendered data-base="{base}">{text}</script>"#);
            Some(csp_sha256(&text))
        }
    };
    let body = format!(
        r#"<consent-banner data-prerendered="{hash}" data-texts-sha256="{texts_sha256}"><template shadowrootmode="open"><style>{STYLES}</style><div class="root">{}</div></template></consent-banner>"#,
        markup(config, texts).await
    );
    Ok(Snippets {
        head,
        body,
        csp: CspSources {
            style_src: csp_sha256(STYLES),
            script_src,
        },
        hash,
        language,
        texts_sha256,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn external() -> RenderOptions<'static> {
        RenderOptions::new("", Loader::External(b"/* loader */"))
    }

    #[test]
    fn every_language_file_is_built_in_in_the_order_of_the_list() {
        let tags: Vec<_> = EMBEDDED_LANGUAGE_FILES
            .iter()
            .map(|(tag, _)| *tag)
            .collect();
        assert_eq!(tags, LANGUAGE_FILES);
        for (tag, text) in EMBEDDED_LANGUAGE_FILES {
            assert!(read_language_file(text).is_ok(), "lang/{tag}.json");
        }
    }

    #[test]
    fn the_first_layer_has_three_buttons_of_equal_weight_with_their_actions() {
        let html = first_layer_markup(&Config::default(), None);
        for (action, text) in [
            ("accept", "Accept all"),
            ("reject", "Decline all"),
            ("preferences", "Preferences"),
        ] {
            let button = format!(
                r#"<button type="button" data-action="{action}" class="btn">{text}</button>"#
            );
            assert!(html.contains(&button), "{button} in {html}");
        }
        assert!(html.starts_with(
            r#"<div lang="en" dir="ltr" data-theme="auto" class="cb"><section popover="manual" data-layout="bottom" data-edge="bottom" role="region" aria-labelledby="cb-title" class="banner"><h2 id="cb-title" tabindex="-1" class="title">Your privacy</h2>"#
        ), "{html}");
        assert!(html.contains(r#"<a href="/privacy-policy" target="_blank" rel="noopener">Read the full privacy policy</a>"#));
        assert!(html.ends_with("</section></div>"), "{html}");
        assert!(!html.contains("<!--"), "no hydration markers: {html}");
        assert!(!html.contains("class=\"gpc\""), "no GPC note: {html}");
    }

    #[test]
    fn the_first_layer_shows_the_texts_of_its_language_from_the_built_in_file() {
        let html = first_layer_markup(&Config::default(), Some("de"));
        assert!(html.starts_with(r#"<div lang="de" dir="ltr""#), "{html}");
        let german = read_language_file(language_file("de").unwrap()).unwrap();
        for text in [
            german.title,
            german.accept_all,
            german.reject_all,
            german.preferences,
        ] {
            assert!(html.contains(&text.unwrap()), "{html}");
        }
        assert!(html.contains("<strong>"), "the summary's bold runs: {html}");
    }

    #[test]
    fn arabic_persian_and_hebrew_read_right_to_left() {
        for tag in ["ar", "fa", "he"] {
            let html = first_layer_markup(&Config::default(), Some(tag));
            let head = format!(r#"<div lang="{tag}" dir="rtl""#);
            assert!(html.starts_with(&head), "{html}");
        }
    }

    #[test]
    fn a_language_is_chosen_as_the_loader_chooses_it() {
        let config = Config::default();
        for (asked, shown) in [
            (Some("de-AT"), "de"),
            (Some("PT-br"), "pt-BR"),
            (Some("zh-TW"), "zh-Hant"),
            (Some("xx"), "en"),
            (None, "en"),
        ] {
            assert_eq!(
                first_layer_texts(&config, asked).language,
                shown,
                "{asked:?}"
            );
        }
        let config = Config::from_json(r#"{"language": "fr"}"#).unwrap();
        assert_eq!(first_layer_texts(&config, None).language, "fr");
        assert_eq!(
            first_layer_texts(&config, Some("it")).language,
            "fr",
            "the config's language first"
        );
        let config = Config::from_json(r#"{"texts": {"gsw": {"title": "Datenschutz"}}}"#).unwrap();
        assert_eq!(first_layer_texts(&config, Some("GSW-CH")).language, "gsw");
    }

    #[test]
    fn the_site_s_own_texts_win_over_the_language_file() {
        let config = Config::from_json(r#"{"texts": {"de": {"acceptAll": "Ja, gerne"}}}"#).unwrap();
        let texts = first_layer_texts(&config, Some("de"));
        assert_eq!(texts.accept_all, "Ja, gerne");
        assert_eq!(texts.reject_all, "Alle ablehnen");
    }

    #[test]
    fn a_hostile_text_stays_text() {
        let config = Config::from_json(
            r#"{"texts": {"en": {"title": "<script>alert(1)</script>", "acceptAll": "\"><img src=x onerror=alert(1)>"}}}"#,
        )
        .unwrap();
        let html = first_layer_markup(&config, None);
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
    }

    #[test]
    fn a_blocking_first_layer_is_a_closed_modal_dialog_and_the_layout_an_attribute() {
        let config = Config::from_json(r#"{"blocking": true, "layout": "center"}"#).unwrap();
        let html = first_layer_markup(&config, None);
        assert!(html.contains(r#"<dialog data-layout="center" data-edge="center" role="dialog" aria-modal="true" aria-labelledby="cb-title" class="banner">"#), "{html}");
        assert!(!html.contains(" open"), "{html}");
        let config = Config::from_json(r#"{"layout": "top", "theme": "dark"}"#).unwrap();
        let html = first_layer_markup(&config, None);
        assert!(
            html.contains(r#"data-theme="dark""#)
                && html.contains(r#"data-layout="top" data-edge="top""#),
            "{html}"
        );
    }

    #[test]
    fn the_body_snippet_holds_the_styles_and_the_first_layer_in_a_declarative_shadow_root() {
        let snippets = render(&external()).unwrap();
        let markup = first_layer_markup(&Config::default(), None);
        let texts = first_layer_texts(&Config::default(), None);
        assert_eq!(
            snippets.body,
            format!(
                r#"<consent-banner data-prerendered="{}" data-texts-sha256="{}"><template shadowrootmode="open"><style>{STYLES}</style><div class="root">{markup}</div></template></consent-banner>"#,
                snippets.hash,
                texts_sha256(&Config::default(), &texts)
            )
        );
        assert!(
            !STYLES.contains("</"),
            "the stylesheet cannot end its element"
        );
        assert!(
            STYLES.contains(".banner:not([hidden]){display:block}"),
            "{STYLES}"
        );
        assert_eq!(snippets.csp.style_src, csp_sha256(STYLES));
        assert_eq!(snippets.csp.script_src, None);
    }

    #[test]
    fn the_head_snippet_embeds_the_config_and_the_loader_tag_with_its_integrity() {
        let options = RenderOptions {
            base: "/static/cb/",
            ..RenderOptions::new("{\"revision\": 3}\n", Loader::External(b"abc"))
        };
        let snippets = render(&options).unwrap();
        assert_eq!(
            snippets.head,
            "<script type=\"application/json\" id=\"consent-banner-config\">{\"revision\": 3}\n</script>\n\
             <script src=\"/static/cb/consent-banner-prerendered.js\" \
             integrity=\"sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn\" \
             crossorigin=\"anonymous\" data-prerendered></script>"
        );
    }

    #[test]
    fn the_inline_loader_carries_the_base_and_its_csp_hash() {
        let options = RenderOptions::new("", Loader::Inline("console.log(1)\r\n"));
        let snippets = render(&options).unwrap();
        assert!(snippets.head.ends_with(
            "<script data-prerendered data-base=\"/consent-banner/\">console.log(1)\n</script>"
        ));
        assert_eq!(
            snippets.csp.script_src.as_deref(),
            Some("'sha256-OHml2TCuGZmyeKOkmPfeP9g7qNrlkzD8+i2zHBA6wh0='")
        );
        let bad = render(&RenderOptions::new("", Loader::Inline("x='</SCRIPT>'")));
        assert_eq!(
            bad.unwrap_err().to_string(),
            "loader: the text contains \"</script\", which would end or change its inline <script> element"
        );
    }

    #[test]
    fn a_config_cannot_end_its_script_element_and_reads_back_the_same() {
        let text = r#"{"texts": {"en": {"title": "</script><script>alert(1)</script><!--"}}, "policyUrl": "/p"}"#;
        let snippets = render(&RenderOptions::new(text, Loader::External(b""))).unwrap();
        let embedded = embed_config(text);
        assert!(!embedded.contains('<'));
        assert_eq!(Config::from_json(&embedded), Config::from_json(text));
        assert_eq!(
            snippets.head.matches("</script>").count(),
            2,
            "{}",
            snippets.head
        );
        assert_eq!(
            snippets.head.matches("<script").count(),
            2,
            "{}",
            snippets.head
        );
    }

    #[test]
    fn the_hash_changes_with_the_config_the_language_and_line_breaks_do_not_count() {
        let hash = |config, language| {
            render(&RenderOptions {
                language,
                ..RenderOptions::new(config, Loader::External(b""))
            })
            .unwrap()
            .hash
        };
        let base = hash("{\"revision\": 1}", None);
        assert_ne!(base, hash("{\"revision\": 2}", None));
        assert_ne!(base, hash("{\"revision\": 1}", Some("de")));
        assert_eq!(
            base,
            hash("{\"revision\": 1}", Some("en-GB")),
            "the language shown counts"
        );
        assert_eq!(hash("{\r\n}", None), hash("{\n}", None));
    }

    #[test]
    fn a_broken_config_is_the_browser_s_field_named_error() {
        let error = render(&RenderOptions::new(
            r#"{"acceptDays": 0}"#,
            Loader::External(b""),
        ))
        .unwrap_err();
        let RenderError::Config(config_error) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(
            error.to_string(),
            Config::from_json(r#"{"acceptDays": 0}"#)
                .unwrap_err()
                .message()
        );
        assert!(
            error.to_string().starts_with("config: acceptDays: "),
            "{config_error}"
        );
    }

    #[test]
    fn a_base_must_be_a_folder_url() {
        for (base, message) in [
            ("/cb", "base: must end with \"/\" (got \"/cb\")"),
            (
                "/c b/",
                "base: must be a URL (no spaces, quotes or angle brackets) (got \"/c b/\")",
            ),
        ] {
            let options = RenderOptions { base, ..external() };
            assert_eq!(render(&options).unwrap_err().to_string(), message);
        }
        let options = RenderOptions {
            base: "https://cdn.example/cb/?a=1&b=2/",
            ..external()
        };
        assert!(render(&options).unwrap().head.contains(
            r#"src="https://cdn.example/cb/?a=1&amp;b=2/consent-banner-prerendered.js""#
        ));
    }

    #[test]
    fn the_json_form_holds_every_part() {
        let snippets = render(&RenderOptions::new("", Loader::Inline("1"))).unwrap();
        let json: serde_json::Value = serde_json::from_str(&snippets.to_json()).unwrap();
        assert_eq!(json["head"], snippets.head.as_str());
        assert_eq!(json["body"], snippets.body.as_str());
        assert_eq!(json["csp"]["styleSrc"], snippets.csp.style_src.as_str());
        assert_eq!(
            json["csp"]["scriptSrc"],
            snippets.csp.script_src.unwrap().as_str()
        );
        assert_eq!(json["hash"], snippets.hash.as_str());
        assert_eq!(json["language"], "en");
        assert_eq!(json["textsSha256"], snippets.texts_sha256.as_str());
        assert_eq!(json["version"], VERSION);
    }
}
