//! # consent-banner
//!
//! A cookie and tracking consent banner: a Yew component compiled to WebAssembly, embedded with
//! one script tag. A site owner writes:
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
//! decision does it import this crate's UI, which renders [`ui::ConsentBanner`] in a shadow root.
//!
//! A Yew app wraps itself in [`ui::ConsentProvider`], which renders the banner in its own shadow
//! root (the same `<consent-banner>` element and stylesheet as the embed: the app's CSS and the
//! banner's stay apart), and reads the decision anywhere below with [`ui::use_consent`], from the
//! first render on:
//!
//! ```no_run
//! use std::rc::Rc;
//! use consent_banner::config::Config;
//! use consent_banner::ui::{use_consent, ConsentProvider};
//! use yew::prelude::*;
//!
//! #[component]
//! fn Analytics() -> Html {
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
//!     let config: Rc<Config> = use_memo((), |()| Config::default());
//!     let on_change = Callback::from(|detail: consent_banner::events::ConsentDetail| {
//!         if detail.categories.get("statistics") == Some(&true) { /* start statistics */ }
//!     });
//!     html! {
//!         <ConsentProvider {config} {on_change}>
//!             <Analytics />
//!         </ConsentProvider>
//!     }
//! }
//! ```
//!
//! A config built in Rust ([`config::Category::new`] and its setters, the struct update syntax
//! over [`config::Config::default`]) is checked by [`config::Config::validated`], with the same
//! rules and field-named errors as the JSON path.
//!
//! A whole app, with its build commands, is in `examples/yew-app/`.
//!
//! With feature `ssr`, `prerender` renders the first layer ahead of time, natively, with Yew's
//! server renderer and the same components: the page's `<head>` and `<body>` snippets (the
//! config and the loader tag; a `<consent-banner>` with the first layer in a declarative shadow
//! root, painted before any script runs) and the CSP hashes they need, for a Rust server;
//! `cargo run --release --features ssr --bin consent-banner -- render --config site.json` prints
//! them for a static site (README "Prerendered first layer").
//!
//! The crate in layers: [`core`] is pure (the config, texts, record, decisions, receipts, GPC,
//! cookies, events, and [`core::banner`], the banner's state machine with every transition) and
//! tested natively; [`web`] is the browser edge ([`dom`], [`storage`], and [`web::page`], the
//! browser as `core::banner::Page`); [`ui`] holds the Yew components. The core's modules are
//! also here at the top ([`config`], [`texts`], [`record`], ...), where they have always been.
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
#[cfg_attr(feature = "embed", wasm_bindgen)]
pub struct Ui {
    commands: Commands,
}

#[cfg_attr(feature = "embed", wasm_bindgen)]
impl Ui {
    /// Shows the first layer.
    pub fn show(&self) {
        self.commands.send(Command::Show);
    }
    /// Shows the preferences.
    #[cfg_attr(feature = "embed", wasm_bindgen(js_name = showPreferences))]
    pub fn show_preferences(&self) {
        self.commands.send(Command::ShowPreferences);
    }
    /// Closes the banner and the preferences.
    pub fn hide(&self) {
        self.commands.send(Command::Hide);
    }
    /// Accepts every category (source `api`).
    #[cfg_attr(feature = "embed", wasm_bindgen(js_name = acceptAll))]
    pub fn accept_all(&self) {
        self.commands
            .send(Command::Decide(Action::AcceptAll, Source::Api));
    }
    /// Declines every optional category (source `api`).
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
    pub fn set(&self, choices_json: &str) -> Result<(), JsError> {
        let choices = record::read_choices(choices_json).map_err(|message| {
            JsError::new(&("set: expected {\"category\": true|false}: ".to_string() + &message))
        })?;
        self.commands
            .send(Command::Decide(Action::Set(choices), Source::Api));
        Ok(())
    }
    /// Forgets the stored decision and shows the first layer.
    pub fn reset(&self) {
        self.commands.send(Command::Reset);
    }
    /// Re-reads the stored decision (another tab changed it).
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
