//! The page edge: clock, ids, events on `window`, console, and the shadow-rooted host element.
//! With [`crate::web::storage`], the only modules outside `ui` that touch web-sys.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CustomEvent, CustomEventInit, Element, ShadowRootInit, ShadowRootMode};

use std::cell::RefCell;

use crate::core::banner::Location;
use crate::core::events::{ErrorDetail, ERROR};

/// The tag name of the element that holds the banner's shadow root.
pub const HOST_TAG: &str = "consent-banner";

/// The styles of the banner, applied inside its shadow root.
pub const STYLES: &str = include_str!(concat!(env!("OUT_DIR"), "/banner.min.css"));

/// Milliseconds since the Unix epoch.
///
/// ```no_run
/// use consent_banner::config::Config;
/// use consent_banner::dom;
/// use consent_banner::record::Stored;
/// use consent_banner::storage::RecordStore;
///
/// let config = Config::default();
/// let stored = Stored::parse(RecordStore::open(&config.storage_key).read().as_deref());
/// let decided = stored.valid_record(&config, dom::now_ms()).is_some();
/// ```
pub fn now_ms() -> u64 {
    // Dates before 1970 or beyond 2^53 ms do not happen in browsers; clamp anyway.
    js_sys::Date::now().max(0.0) as u64
}

/// A random anonymous id: `crypto.randomUUID()`, or 128 random bits from
/// `crypto.getRandomValues()` where that is missing.
///
/// ```no_run
/// let id = consent_banner::dom::random_id(); // "3f0c1c9e-8a51-4c1e-9a8e-2b0a7f5d6e41"
/// assert!(!id.is_empty());
/// ```
pub fn random_id() -> String {
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    if let Some(crypto) = &crypto {
        let has_uuid =
            js_sys::Reflect::has(crypto, &JsValue::from_str("randomUUID")).unwrap_or(false);
        if has_uuid {
            return crypto.random_uuid();
        }
        let mut bytes = [0u8; 16];
        if crypto.get_random_values_with_u8_array(&mut bytes).is_ok() {
            return hex(&bytes);
        }
    }
    // No crypto at all: still unique enough for an anonymous receipt id.
    let random = (js_sys::Math::random() * 1e15) as u64;
    let mut id = String::new();
    for n in [now_ms(), random] {
        let digits = hex(&n.to_be_bytes());
        let digits = digits.trim_start_matches('0');
        id.push_str(if digits.is_empty() { "0" } else { digits });
    }
    id
}

/// Lowercase hex of `bytes`.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    out
}

thread_local! {
    /// The loader's private channel, `channel(name, text)`, when mounted by the loader.
    static CHANNEL: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// Sets the loader's private channel (see [`crate::mount`]).
pub(crate) fn set_channel(channel: js_sys::Function) {
    CHANNEL.with(|c| *c.borrow_mut() = Some(channel));
}

/// Calls the loader's channel with `name` and `text`; `false` when there is none (a Yew app using
/// the crate). What the channel throws is ignored.
pub(crate) fn tell(name: &str, text: &str) -> bool {
    CHANNEL.with(|c| {
        c.borrow().as_ref().is_some_and(|channel| {
            let _ = channel.call2(
                &JsValue::NULL,
                &JsValue::from_str(name),
                &JsValue::from_str(text),
            );
            true
        })
    })
}

/// Dispatches `name` on `window` with `detail` parsed from JSON. (A `consent:change` is told to
/// the loader's channel first: [`crate::core::banner`] does both, in that order.)
///
/// ```no_run
/// use consent_banner::config::Config;
/// use consent_banner::events::{ConsentDetail, CHANGE};
///
/// let detail = ConsentDetail::new(&Config::default(), None, Vec::new(), true);
/// consent_banner::dom::dispatch(CHANGE, &detail.to_json());
/// ```
pub fn dispatch(name: &str, detail_json: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let detail = js_sys::JSON::parse(detail_json).unwrap_or(JsValue::NULL);
    let init = CustomEventInit::new();
    init.set_detail(&detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = window.dispatch_event(&event);
    }
}

/// Logs the error's message once on the console and dispatches `consent:error`.
///
/// ```no_run
/// use consent_banner::config::Config;
/// use consent_banner::dom;
///
/// // An app's config with an error: on the console and as `consent:error` (kind `config`).
/// if let Err(error) = Config::from_json(r#"{"revision": 0}"#) {
///     dom::report_error(error.into());
/// }
/// ```
pub fn report_error(error: ErrorDetail) {
    web_sys::console::error_1(&JsValue::from_str(
        &("consent-banner: ".to_string() + &error.message),
    ));
    dispatch(ERROR, &error.to_json());
}

/// The page's `<html lang>`, when set.
///
/// ```no_run
/// use consent_banner::config::Config;
/// use consent_banner::{dom, texts};
///
/// let config = Config::default();
/// let page = dom::page_language();
/// let language = texts::choose_language(&config, page.as_deref(), &dom::browser_languages(), &[]);
/// ```
pub fn page_language() -> Option<String> {
    let lang = web_sys::window()?
        .document()?
        .document_element()?
        .get_attribute("lang")?;
    (!lang.trim().is_empty()).then_some(lang)
}

/// The browser's preferred languages.
///
/// ```no_run
/// let languages = consent_banner::dom::browser_languages(); // ["de-AT", "de", "en"]
/// ```
pub fn browser_languages() -> Vec<String> {
    web_sys::window()
        .map(|w| {
            w.navigator()
                .languages()
                .iter()
                .filter_map(|l| l.as_string())
                .collect()
        })
        .unwrap_or_default()
}

/// `true` when the browser sends the Global Privacy Control signal
/// (`navigator.globalPrivacyControl`).
///
/// ```no_run
/// use consent_banner::config::Config;
/// use consent_banner::{dom, gpc};
///
/// let declined = gpc::declined(&Config::default(), dom::global_privacy_control());
/// ```
pub fn global_privacy_control() -> bool {
    web_sys::window()
        .and_then(|w| {
            js_sys::Reflect::get(&w.navigator(), &JsValue::from_str("globalPrivacyControl")).ok()
        })
        .is_some_and(|value| value.as_bool() == Some(true))
}

/// Sends `body` to `url` with `navigator.sendBeacon` (a POST that outlives the page, with
/// `Content-Type: text/plain;charset=UTF-8`, so no CORS preflight). `false` when the browser did not
/// queue it.
///
/// ```no_run
/// let queued = consent_banner::dom::send_beacon("/consent/receipts", r#"{"v":1}"#);
/// ```
pub fn send_beacon(url: &str, body: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.navigator().send_beacon_with_opt_str(url, Some(body)).ok())
        .unwrap_or(false)
}

/// Creates `<consent-banner>` at the end of `<body>` with an open shadow root holding the styles,
/// and returns the element inside it to render into.
///
/// # Errors
///
/// When there is no document body or the browser refuses the shadow root.
///
/// ```no_run
/// use consent_banner::config::Config;
/// use consent_banner::ui::{ConsentBanner, ConsentBannerProps};
/// use std::rc::Rc;
///
/// // What `ConsentProvider` does for an app (prefer it): the bare banner in a shadow root.
/// let root = consent_banner::dom::mount_host()?;
/// let props = ConsentBannerProps {
///     config: Rc::new(Config::default()),
///     on_change: Default::default(),
///     initial: Default::default(),
///     commands: Default::default(),
///     events: false,
///     prerendered: false,
/// };
/// yew::Renderer::<ConsentBanner>::with_root_and_props(root, props).render();
/// # Ok::<(), wasm_bindgen::JsValue>(())
/// ```
pub fn mount_host() -> Result<Element, JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    // An element named "body" in the page's content (DOM clobbering) is no body: an error, not a
    // banner mounted where it cannot be seen.
    let body = document
        .body()
        .filter(|body| body.local_name() == "body")
        .ok_or_else(|| JsValue::from_str("no document body"))?;
    let host = document.create_element(HOST_TAG)?;
    let shadow = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;
    adopt_styles(&document, &shadow)?;
    let root = document.create_element("div")?;
    root.set_attribute("class", "root")?;
    shadow.append_child(&root)?;
    isolate_keys(&shadow)?;
    body.append_child(&host)?;
    Ok(root)
}

/// Keeps the keys the banner handles from reaching the page's handlers (a slide deck's Space,
/// a viewer's Escape): Space and Enter on its controls, Escape and Tab in its dialogs. Stopped at
/// the shadow root, in the bubble phase: after the banner's own handlers (Yew listens at `root`,
/// inside), before the host and the document. Other keys go on.
fn isolate_keys(shadow: &web_sys::ShadowRoot) -> Result<(), JsValue> {
    use wasm_bindgen::closure::Closure;
    // The keys whose keydown was the banner's: their keypress and keyup are too, wherever focus
    // moved meanwhile inside the shadow root (Escape closes the preferences on keydown).
    let pressed = std::cell::Cell::new(0u8);
    let listener =
        Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |event: web_sys::KeyboardEvent| {
            let bit = match event.key().as_str() {
                " " => 1,
                "Enter" => 2,
                "Escape" => 4,
                "Tab" => 8,
                _ => return,
            };
            let target = event.target().and_then(|t| t.dyn_into::<Element>().ok());
            let ours = target.is_some_and(|target| {
                if bit < 4 {
                    matches!(target.tag_name().as_str(), "BUTTON" | "INPUT" | "A")
                } else {
                    target.closest("dialog").ok().flatten().is_some()
                }
            });
            let kind = event.type_();
            let was_ours = pressed.get() & bit != 0;
            let handled = if kind == "keydown" {
                pressed.set(if ours {
                    pressed.get() | bit
                } else {
                    pressed.get() & !bit
                });
                ours
            } else {
                if kind == "keyup" {
                    pressed.set(pressed.get() & !bit);
                }
                ours || was_ours
            };
            if handled {
                event.stop_propagation();
            }
        });
    for name in ["keydown", "keyup", "keypress"] {
        shadow.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref())?;
    }
    // Lives as long as the page (one banner per page).
    listener.forget();
    Ok(())
}

/// Applies [`STYLES`] with a constructed stylesheet: allowed under a strict `style-src` CSP,
/// unlike a `<style>` element. Older browsers get a `<style>` element.
fn adopt_styles(document: &web_sys::Document, shadow: &web_sys::ShadowRoot) -> Result<(), JsValue> {
    if let Ok(sheet) = web_sys::CssStyleSheet::new() {
        sheet.replace_sync(STYLES)?;
        let sheets = js_sys::Array::of1(&sheet);
        js_sys::Reflect::set(shadow, &JsValue::from_str("adoptedStyleSheets"), &sheets)?;
        return Ok(());
    }
    let style = document.create_element("style")?;
    style.set_text_content(Some(STYLES));
    shadow.append_child(&style)?;
    Ok(())
}

/// Moves focus to the first element matching `selector` inside `root`; `false` when there is none.
///
/// ```no_run
/// # let root = consent_banner::dom::mount_host()?;
/// let focused = consent_banner::dom::focus_first(&root, "[data-action=preferences]");
/// # Ok::<(), wasm_bindgen::JsValue>(())
/// ```
pub fn focus_first(root: &Element, selector: &str) -> bool {
    let element = root.query_selector(selector).ok().flatten();
    focus(element)
}

/// Moves focus to the loader's reopen button (`[data-action=reopen]` in the open shadow root of
/// another `<consent-banner>`): in the embed, the withdrawal button is the loader's.
pub(crate) fn focus_loader_reopen() {
    let Some(hosts) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector_all(HOST_TAG).ok())
    else {
        return;
    };
    for i in 0..hosts.length() {
        let shadow = hosts
            .item(i)
            .and_then(|h| h.dyn_into::<Element>().ok())
            .and_then(|h| h.shadow_root());
        if let Some(shadow) = shadow {
            if focus(shadow.query_selector("[data-action=reopen]").ok().flatten()) {
                return;
            }
        }
    }
}

fn focus(element: Option<Element>) -> bool {
    element
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|e| e.focus().is_ok())
}

/// The page's cookies as `document.cookie` shows them (empty when cookies are blocked).
///
/// ```no_run
/// use consent_banner::{cookies, dom};
///
/// let present = cookies::names(&dom::cookie_header());
/// let has_analytics = present.contains("_ga");
/// ```
pub fn cookie_header() -> String {
    html_document()
        .and_then(|d| d.cookie().ok())
        .unwrap_or_default()
}

/// Assigns `document.cookie`; a refusal by the browser is ignored.
///
/// ```no_run
/// consent_banner::dom::set_cookie("_ga=; Max-Age=0; Path=/");
/// ```
pub fn set_cookie(cookie: &str) {
    if let Some(document) = html_document() {
        let _ = document.set_cookie(cookie);
    }
}

/// The page's host name, path, and whether it is served over https.
///
/// ```no_run
/// use consent_banner::config::Config;
/// use consent_banner::consent::accepted;
/// use consent_banner::{cookies, dom};
///
/// let config = Config::default();
/// let here = dom::location();
/// let present = cookies::names(&dom::cookie_header());
/// let accepted = accepted(&config, None, dom::now_ms());
/// for deletion in cookies::deletions(&config, &accepted, &present, &here.host, &here.path) {
///     dom::set_cookie(&deletion);
/// }
/// ```
pub fn location() -> Location {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return Location {
            host: String::new(),
            path: "/".into(),
            https: false,
        };
    };
    Location {
        host: location.hostname().unwrap_or_default(),
        path: location.pathname().unwrap_or_else(|_| "/".into()),
        https: location.protocol().is_ok_and(|p| p == "https:"),
    }
}

/// Runs `f` in a later task (the banner's scheduling): after the browser has finished with the
/// current event (for focus, its own scrolling of the element into view) and after Yew has drawn
/// pending changes.
///
/// ```no_run
/// consent_banner::dom::later(|| {
///     // Runs after the current event and Yew's pending renders.
/// });
/// ```
pub fn later(f: impl FnOnce() + 'static) {
    if let Some(window) = web_sys::window() {
        let callback = wasm_bindgen::closure::Closure::once_into_js(f);
        let _ = window.set_timeout_with_callback(callback.unchecked_ref());
    }
}

/// Reloads the page.
///
/// ```no_run
/// consent_banner::dom::reload();
/// ```
pub fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

fn html_document() -> Option<web_sys::HtmlDocument> {
    web_sys::window()?.document()?.dyn_into().ok()
}
