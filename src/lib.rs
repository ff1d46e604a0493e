//! # consent-banner
//!
//! A cookie and tracking consent banner: a Yew component compiled to WebAssembly. A Yew app uses
//! the crate directly; any other site embeds the same banner with one script tag.
//!
//! ## In a Yew app
//!
//! Wrap the app in [`ui::ConsentProvider`]. It renders the banner in its own shadow root (the same
//! `<consent-banner>` element and stylesheet as the embed: the app's CSS and the banner's stay
//! apart), and every component below it reads the decision with [`ui::use_consent`], from the
//! first render on (the stored decision is read when the provider is created: no flash of "off"
//! after a reload), and asks for the preferences or decides through the [`ui::Consent`] it gets:
//!
//! ```
//! use std::rc::Rc;
//! use consent_banner::config::{Category, Config};
//! use consent_banner::events::ConsentDetail;
//! use consent_banner::ui::{use_consent, ConsentProvider};
//! use yew::prelude::*;
//!
//! /// The site's policy: the config the embed reads as JSON, here in Rust.
//! fn policy() -> Rc<Config> {
//!     let config = Config {
//!         revision: 2,
//!         policy_url: "/privacy".into(),
//!         categories: vec![
//!             Category::new("essential", "Essential").required(),
//!             Category::new("statistics", "Usage statistics")
//!                 .description("Which pages are used, counted without identifying you.")
//!                 .cookies(["_pk_*"]),
//!         ],
//!         ..Config::default()
//!     };
//!     // Field-named errors, as the JSON path's: `config: categories[1].id: ...`.
//!     config.validated().unwrap_or_else(|error| panic!("{error}"))
//! }
//!
//! #[component]
//! fn Footer() -> Html {
//!     let consent = use_consent();
//!     let settings = {
//!         let consent = consent.clone();
//!         Callback::from(move |_: MouseEvent| consent.show_preferences())
//!     };
//!     html! {
//!         <footer>
//!             if consent.allows("statistics") { <p>{"Usage statistics: on"}</p> }
//!             <button onclick={settings}>{"Cookie settings"}</button>
//!         </footer>
//!     }
//! }
//!
//! #[component]
//! fn App() -> Html {
//!     // One `Rc<Config>` for the app's life (the provider compares it by address).
//!     let config = use_memo((), |()| policy());
//!     let on_change = Callback::from(|detail: ConsentDetail| {
//!         if detail.categories.get("statistics") == Some(&true) { /* start statistics */ }
//!     });
//!     html! {
//!         <ConsentProvider config={(*config).clone()} {on_change}>
//!             <main>{"The app"}</main>
//!             <Footer />
//!         </ConsentProvider>
//!     }
//! }
//! # assert_eq!(policy().categories.len(), 2);
//! ```
//!
//! `main` starts it as any Yew app: `yew::Renderer::<App>::new().render()`. A whole app, with its
//! build commands and an end-to-end test, is in `examples/yew-app/`.
//!
//! The provider does what the embed does: the stored record (same key and format), the cookie
//! mirror and the clean-up of declined categories' cookies, Global Privacy Control, receipts,
//! Google Consent Mode through the page's `gtag`, and the `consent:*` events on `window` when
//! asked for (its `events` prop). What only the embed's loader does, and a Yew app renders
//! instead (`if consent.allows(..)`): gating `<script type="text/plain">` markup,
//! `window.ConsentBanner` and `consent:ready` (README "Use it from a Yew app"). On a server (Yew
//! SSR) the provider renders its children, undecided, and no banner.
//!
//! ## Embedded with one script tag
//!
//! A site owner writes:
//!
//! ```html
//! <script type="application/json" id="consent-banner-config">
//!   {"revision": 1, "policyUrl": "/privacy-policy"}
//! </script>
//! <script src="/consent-banner/consent-banner.js" data-config="consent-banner-config"></script>
//!
//! <!-- inert until the user accepts "statistics" -->
//! <script type="text/plain" data-consent="statistics" src="/js/stats.js"></script>
//! ```
//!
//! The loader (`consent-banner.js`, no dependencies) reads the stored decision and, on a return
//! visit, activates the accepted tags without loading any WebAssembly. Only when there is no valid
//! decision does it import this crate's UI ([`mount`], feature `embed`), which renders
//! [`ui::ConsentBanner`] in a shadow root.
//!
//! With feature `ssr`, `prerender` renders the first layer ahead of time, natively, with Yew's
//! server renderer and the same components: the page's `<head>` and `<body>` snippets (the
//! config and the loader tag; a `<consent-banner>` with the first layer in a declarative shadow
//! root, painted before any script runs) and the CSP hashes they need, for a Rust server;
//! `cargo run --release --features ssr --bin consent-banner -- render --config site.json` prints
//! them for a static site (README "Prerendered first layer").
//!
//! ## Features
//!
//! None is needed by a Yew app.
//!
//! | feature | adds |
//! |---|---|
//! | `embed` | [`mount`], [`check_config`] and [`Ui`] as JavaScript exports, for the loader |
//! | `talc` | the dist build's allocator (wasm only) |
//! | `ssr` | `prerender` and the `consent-banner render` command |
//! | `serde` | `Serialize`/`Deserialize` on the config, record and event types |
//! | `schema` | `config::json_schema()`, the JSON Schema of the config |
//!
//! ## Layers
//!
//! [`core`] is pure (the config, texts, record, decisions, receipts, GPC, cookies, events, and
//! [`core::banner`], the banner's state machine with every transition) and tested natively;
//! [`web`] is the browser edge ([`dom`], [`storage`], and [`web::page`], the browser as
//! `core::banner::Page`); [`ui`] holds the Yew components. The core's modules are also here at
//! the top ([`config`], [`texts`], [`record`], ...), where they have always been.
#![deny(missing_docs)]

mod builder;
pub mod core;
mod json;
#[cfg(feature = "ssr")]
pub mod prerender;
pub mod ui;
pub mod web;

pub use crate::core::{
    config, consent, cookies, events, gpc, map, receipt, record, richtext, texts,
};
pub use crate::web::{dom, storage};

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use crate::config::Config;
use crate::consent::Action;
use crate::record::Source;
use crate::ui::{Command, Commands, ConsentBanner, ConsentBannerProps, InitialView};

// The shipped wasm's allocator (scripts/build.sh builds with the `talc` feature): smaller than
// std's dlmalloc. Off by default, so that an app using this crate keeps its own.
#[cfg(all(
    feature = "talc",
    target_arch = "wasm32",
    not(target_feature = "atomics")
))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The mounted banner, as the loader sees it. Its methods are JavaScript exports with the `embed`
/// feature (the dist build's).
///
/// ```no_run
/// // What the loader does with the embed's exports, in Rust terms.
/// let channel = js_sys::Function::new_no_args(""); // the loader's private channel
/// let categories = consent_banner::category_signature(&Default::default());
/// let ui = consent_banner::mount("", "auto", &categories, channel, "en", "", false)?;
/// ui.show_preferences();
/// # Ok::<(), wasm_bindgen::JsError>(())
/// ```
#[cfg_attr(feature = "embed", wasm_bindgen)]
pub struct Ui {
    commands: Commands,
}

#[cfg_attr(feature = "embed", wasm_bindgen)]
impl Ui {
    /// Shows the first layer.
    ///
    /// ```no_run
    /// # let channel = js_sys::Function::new_no_args("");
    /// # let categories = "essential*,functional,statistics";
    /// # let ui = consent_banner::mount("", "auto", categories, channel, "en", "", false)?;
    /// ui.show();
    /// # Ok::<(), wasm_bindgen::JsError>(())
    /// ```
    pub fn show(&self) {
        self.commands.send(Command::Show);
    }
    /// Shows the preferences.
    ///
    /// ```no_run
    /// # let channel = js_sys::Function::new_no_args("");
    /// # let categories = "essential*,functional,statistics";
    /// # let ui = consent_banner::mount("", "auto", categories, channel, "en", "", false)?;
    /// ui.show_preferences(); // `ConsentBanner.showPreferences()` in JavaScript
    /// # Ok::<(), wasm_bindgen::JsError>(())
    /// ```
    #[cfg_attr(feature = "embed", wasm_bindgen(js_name = showPreferences))]
    pub fn show_preferences(&self) {
        self.commands.send(Command::ShowPreferences);
    }
    /// Closes the banner and the preferences.
    ///
    /// ```no_run
    /// # let channel = js_sys::Function::new_no_args("");
    /// # let categories = "essential*,functional,statistics";
    /// # let ui = consent_banner::mount("", "auto", categories, channel, "en", "", false)?;
    /// ui.hide();
    /// # Ok::<(), wasm_bindgen::JsError>(())
    /// ```
    pub fn hide(&self) {
        self.commands.send(Command::Hide);
    }
    /// Accepts every category (source `api`).
    ///
    /// ```no_run
    /// # let channel = js_sys::Function::new_no_args("");
    /// # let categories = "essential*,functional,statistics";
    /// # let ui = consent_banner::mount("", "auto", categories, channel, "en", "", false)?;
    /// ui.accept_all(); // `ConsentBanner.acceptAll()` in JavaScript
    /// # Ok::<(), wasm_bindgen::JsError>(())
    /// ```
    #[cfg_attr(feature = "embed", wasm_bindgen(js_name = acceptAll))]
    pub fn accept_all(&self) {
        self.commands
            .send(Command::Decide(Action::AcceptAll, Source::Api));
    }
    /// Declines every optional category (source `api`).
    ///
    /// ```no_run
    /// # let channel = js_sys::Function::new_no_args("");
    /// # let categories = "essential*,functional,statistics";
    /// # let ui = consent_banner::mount("", "auto", categories, channel, "en", "", false)?;
    /// ui.reject_all();
    /// # Ok::<(), wasm_bindgen::JsError>(())
    /// ```
    #[cfg_attr(feature = "embed", wasm_bindgen(js_name = rejectAll))]
    pub fn reject_all(&self) {
        self.commands
            .send(Command::Decide(Action::RejectAll, Source::Api));
    }
    /// Sets categories from a JSON object `{"statistics": true}` (source `api`).
    ///
    /// # Errors
    ///
    /// When the JSON is not an object of booleans.
    ///
    /// ```no_run
    /// # let channel = js_sys::Function::new_no_args("");
    /// # let categories = "essential*,functional,statistics";
    /// # let ui = consent_banner::mount("", "auto", categories, channel, "en", "", false)?;
    /// ui.set(r#"{"statistics": true}"#)?;
    /// # Ok::<(), wasm_bindgen::JsError>(())
    /// ```
    pub fn set(&self, choices_json: &str) -> Result<(), JsError> {
        let choices = record::read_choices(choices_json).map_err(|message| {
            JsError::new(&("set: expected {\"category\": true|false}: ".to_string() + &message))
        })?;
        self.commands
            .send(Command::Decide(Action::Set(choices), Source::Api));
        Ok(())
    }
    /// Forgets the stored decision and shows the first layer.
    ///
    /// ```no_run
    /// # let channel = js_sys::Function::new_no_args("");
    /// # let categories = "essential*,functional,statistics";
    /// # let ui = consent_banner::mount("", "auto", categories, channel, "en", "", false)?;
    /// ui.reset();
    /// # Ok::<(), wasm_bindgen::JsError>(())
    /// ```
    pub fn reset(&self) {
        self.commands.send(Command::Reset);
    }
    /// Re-reads the stored decision (another tab changed it).
    ///
    /// ```no_run
    /// # let channel = js_sys::Function::new_no_args("");
    /// # let categories = "essential*,functional,statistics";
    /// # let ui = consent_banner::mount("", "auto", categories, channel, "en", "", false)?;
    /// ui.sync(); // after a `storage` event from another tab
    /// # Ok::<(), wasm_bindgen::JsError>(())
    /// ```
    pub fn sync(&self) {
        self.commands.send(Command::Sync);
    }
}

/// The loader's entry (a JavaScript export with the `embed` feature). Parses `config_text` (the
/// exact text the loader read, its `data-*` overrides applied), then renders the banner in a new
/// `<consent-banner>` shadow root. `view` is `"auto"`,
/// `"preferences"` or `"closed"`. `categories` is the loader's reading of the config's categories
/// ([`category_signature`]: `essential*,functional,statistics`). `channel(name, text)` is the
/// loader's private channel: `("change", detail_json)` right before each public `consent:change`,
/// and `("panic", message)` in builds with a panic hook. The loader owns the reopen button: the
/// banner mounted here renders none, whatever `floatingButton` says. `language` is the language the
/// loader chose ([`texts::choose_language`] with [`texts::LANGUAGE_FILES`]) and `language_file`
/// its file's text (`dist/lang/<language>.json`; empty for English or the site's own texts). A file
/// that cannot be read is reported (`consent:error`, kind `config`, naming the file) and the banner
/// shows English. `prerendered`: the page shows a prerendered first layer that the loader drives
/// (README "Prerendered first layer"); the banner then renders no first layer of its own and tells
/// the channel its view instead, `("view", "first" | "preferences" | "closed")`.
///
/// # Errors
///
/// A config error with the field-named message of [`config::ConfigError`]; `config: the loader
/// and the banner read different categories (loader "…", banner "…")` when `categories` differs
/// from the config's; or a DOM failure.
///
/// ```no_run
/// let channel = js_sys::Function::new_no_args(""); // the loader's private channel
/// let config = r#"{"revision": 2}"#;
/// let categories = "essential*,functional,statistics"; // the loader's reading of the config
/// let ui = consent_banner::mount(config, "auto", categories, channel, "en", "", false)?;
/// # Ok::<(), wasm_bindgen::JsError>(())
/// ```
#[cfg_attr(feature = "embed", wasm_bindgen)]
pub fn mount(
    config_text: &str,
    view: &str,
    categories: &str,
    channel: js_sys::Function,
    language: &str,
    language_file: &str,
    prerendered: bool,
) -> Result<Ui, JsError> {
    dom::set_channel(channel);
    #[cfg(not(panic = "immediate-abort"))]
    install_panic_hook();
    let mut config = Config::from_json(config_text).map_err(|e| JsError::new(&e.message()))?;
    let ours = category_signature(&config);
    if ours != categories {
        return Err(JsError::new(
            &("config: the loader and the banner read different categories (loader ".to_string()
                + &json::debug(categories)
                + ", banner "
                + &json::debug(&ours)
                + ")"),
        ));
    }
    config.floating_button = false;
    let mut language = language.to_string();
    if !language_file.is_empty() {
        match texts::read_language_file(language_file) {
            Ok(file) => texts::add_language_file(&mut config, &language, file),
            Err(reason) => {
                dom::report_error(events::ErrorDetail {
                    kind: events::ErrorKind::Config,
                    message: "config: lang/".to_string()
                        + &language
                        + ".json: "
                        + &reason
                        + "; the banner shows English",
                });
                language = "en".into();
            }
        }
    }
    config.language = Some(language);
    let root =
        dom::mount_host().map_err(|_| JsError::new("could not create the banner element"))?;
    let commands = Commands::default();
    let initial = match view {
        "preferences" => InitialView::Preferences,
        "closed" => InitialView::Closed,
        _ => InitialView::Auto,
    };
    let props = ConsentBannerProps {
        config: Rc::new(config),
        on_change: Default::default(),
        initial,
        commands: commands.clone(),
        events: true,
        prerendered,
    };
    // The first render in a task of its own: the config read and the shadow root in this one, so
    // neither task is long on a slow device. (Commands sent in between wait for the render.)
    dom::later(move || {
        yew::Renderer::<ConsentBanner>::with_root_and_props(root, props).render();
    });
    Ok(Ui { commands })
}

/// The config's categories as the loader writes them for [`mount`]: the ids in order, separated
/// by `,`, a required one followed by `*` (`essential*,functional,statistics`).
///
/// ```
/// use consent_banner::config::Config;
///
/// let signature = consent_banner::category_signature(&Config::default());
/// assert_eq!(signature, "essential*,functional,statistics");
/// ```
pub fn category_signature(config: &Config) -> String {
    let mut out = String::new();
    for (i, category) in config.categories.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&category.id);
        if category.required {
            out.push('*');
        }
    }
    out
}

/// Checks a config without mounting anything: `""` when valid, else the error message.
///
/// ```
/// use consent_banner::check_config;
///
/// assert_eq!(check_config(r#"{"revision": 2}"#), "");
/// assert_eq!(check_config(r#"{"revision": 0}"#), "config: revision: must be at least 1");
/// ```
#[cfg_attr(feature = "embed", wasm_bindgen(js_name = checkConfig))]
pub fn check_config(config_json: &str) -> String {
    Config::from_json(config_json)
        .err()
        .map(|e| e.message())
        .unwrap_or_default()
}

/// Reports the first panic: to the loader's channel (`("panic", message)`; the loader reports it
/// and stops activating), or without one as `consent:error` (kind `panic`).
/// Set through Yew, which otherwise replaces any hook with its own when it renders. With
/// `panic = "abort"` the hook runs, then the wasm traps; later panics of the dead instance are
/// not reported again.
///
/// The shipped build (scripts/wasm-pipeline.sh) uses `panic=immediate-abort`: a panic is a trap
/// at once, no hook runs, and the loader reports the trap instead; the hook is then left out.
#[cfg(not(panic = "immediate-abort"))]
fn install_panic_hook() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Once;
    static ONCE: Once = Once::new();
    static REPORTED: AtomicBool = AtomicBool::new(false);
    ONCE.call_once(|| {
        yew::set_custom_panic_hook(Box::new(|info| {
            if !REPORTED.swap(true, Ordering::Relaxed) {
                let message = format!("internal error: {info}");
                if !dom::tell("panic", &message) {
                    dom::report_error(events::ErrorDetail {
                        kind: events::ErrorKind::Panic,
                        message,
                    });
                }
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_category_signature_lists_ids_in_order_with_required_ones_starred() {
        assert_eq!(
            category_signature(&Config::default()),
            "essential*,functional,statistics"
        );
        let config = Config::from_json(
            r#"{"categories":[{"id":"constructor","label":"C"},{"id":"a","label":"A","required":true}]}"#,
        )
        .unwrap();
        assert_eq!(category_signature(&config), "constructor,a*");
    }
}
