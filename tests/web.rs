//! Browser tests (wasm-bindgen-test in headless Chromium): storage, DOM and the Yew UI.
//! Run by `make test`; native `cargo test` compiles this file to nothing.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::bool_assert_comparison
)]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use consent_banner::config::Config;
use consent_banner::record::Stored;
use consent_banner::ui::{ConsentBanner, ConsentBannerProps, InitialView};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{CustomEvent, Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Mounts the banner with a config whose storage key is unique to the test.
async fn mount(key: &str, initial: InitialView) -> (Element, Rc<Config>) {
    mount_with(key, initial, Config::default()).await
}

/// Mounts the banner with `config`, its storage key made unique to the test.
async fn mount_with(key: &str, initial: InitialView, config: Config) -> (Element, Rc<Config>) {
    storage().remove_item(key).unwrap();
    let config = Rc::new(Config {
        storage_key: key.into(),
        ..config
    });
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let props = ConsentBannerProps {
        config: config.clone(),
        on_change: Default::default(),
        initial,
        commands: Default::default(),
        events: true,
        prerendered: false,
    };
    yew::Renderer::<ConsentBanner>::with_root_and_props(root.clone(), props).render();
    settle().await;
    (root, config)
}

async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(20)).await;
}

fn click(root: &Element, selector: &str) {
    root.query_selector(selector)
        .unwrap()
        .unwrap()
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
}

/// Records the `detail` of every `name` event on window, as JSON.
fn capture(name: &str) -> Rc<RefCell<Vec<String>>> {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = seen.clone();
    let listener = Closure::<dyn Fn(CustomEvent)>::new(move |event: CustomEvent| {
        sink.borrow_mut().push(
            js_sys::JSON::stringify(&event.detail())
                .unwrap()
                .as_string()
                .unwrap(),
        );
    });
    web_sys::window()
        .unwrap()
        .add_event_listener_with_callback(name, listener.as_ref().unchecked_ref())
        .unwrap();
    listener.forget();
    seen
}

#[wasm_bindgen_test]
async fn accept_stores_a_record_that_agrees_with_the_event() {
    let changes = capture("consent:change");
    let (root, config) = mount("test-accept", InitialView::Auto).await;
    assert!(
        root.query_selector(".banner").unwrap().is_some(),
        "first visit shows the banner"
    );
    click(&root, "[data-action=accept]");
    settle().await;

    let text = storage()
        .get_item("test-accept")
        .unwrap()
        .expect("a stored record");
    let Stored::Record(record) = Stored::parse(Some(&text)) else {
        panic!("not a record: {text}")
    };
    assert!(record.is_valid_at(consent_banner::dom::now_ms(), &config));
    assert!(record.categories.iter().all(|(_, on)| *on));

    let event = changes
        .borrow()
        .last()
        .cloned()
        .expect("a consent:change event");
    let detail: serde_json::Value = serde_json::from_str(&event).unwrap();
    assert_eq!(detail["id"], record.id.as_str());
    assert_eq!(detail["updated"], record.updated);
    assert_eq!(detail["categories"]["statistics"], true);
    assert_eq!(detail["source"], "banner");
    assert_eq!(detail["persisted"], true);
    assert!(
        root.query_selector(".banner").unwrap().is_none(),
        "the banner closes"
    );
}

#[wasm_bindgen_test]
async fn decline_stores_only_the_required_category() {
    let (root, _) = mount("test-decline", InitialView::Auto).await;
    click(&root, "[data-action=reject]");
    settle().await;
    let text = storage().get_item("test-decline").unwrap().unwrap();
    let Stored::Record(record) = Stored::parse(Some(&text)) else {
        panic!("{text}")
    };
    assert_eq!(record.categories["essential"], true);
    assert_eq!(record.categories["functional"], false);
    assert_eq!(record.categories["statistics"], false);
    assert!(
        root.query_selector("[data-action=reopen]")
            .unwrap()
            .is_some(),
        "reopen button after deciding"
    );
}

#[wasm_bindgen_test]
async fn preferences_switches_save_a_partial_choice() {
    let (root, _) = mount("test-prefs", InitialView::Preferences).await;
    let dialog = root
        .query_selector("[role=dialog]")
        .unwrap()
        .expect("the preferences dialog");
    assert_eq!(dialog.get_attribute("aria-modal").as_deref(), Some("true"));
    let essential = root.query_selector("#cb-cat-essential").unwrap().unwrap();
    assert!(
        essential.has_attribute("disabled"),
        "required category is not operable"
    );
    let statistics: web_sys::HtmlInputElement = root
        .query_selector("#cb-cat-statistics")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert!(!statistics.checked(), "nothing optional is pre-ticked");
    statistics.click();
    settle().await;
    click(&root, "[data-action=save]");
    settle().await;
    let text = storage().get_item("test-prefs").unwrap().unwrap();
    let Stored::Record(record) = Stored::parse(Some(&text)) else {
        panic!("{text}")
    };
    assert_eq!(record.categories["statistics"], true);
    assert_eq!(record.categories["functional"], false);
}

/// The element that has focus (the tests render without a shadow root).
fn focused() -> Option<Element> {
    document().active_element()
}

fn checked(root: &Element, selector: &str) -> bool {
    root.query_selector(selector)
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlInputElement>()
        .unwrap()
        .checked()
}

#[wasm_bindgen_test]
async fn blocking_mode_shows_the_first_layer_as_a_modal_dialog_with_focus_inside() {
    let config = Config {
        blocking: true,
        ..Config::default()
    };
    let (root, _) = mount_with("test-blocking", InitialView::Auto, config).await;
    let dialog = root
        .query_selector("dialog.banner")
        .unwrap()
        .expect("a dialog");
    assert_eq!(dialog.get_attribute("aria-modal").as_deref(), Some("true"));
    assert!(
        dialog.matches(":modal").unwrap(),
        "the page behind is inert"
    );
    assert_eq!(focused().map(|e| e.id()).as_deref(), Some("cb-title"));
    click(&root, "[data-action=reject]");
    settle().await;
    assert!(root.query_selector("dialog").unwrap().is_none());
    assert!(storage().get_item("test-blocking").unwrap().is_some());
    root.remove();
}

#[wasm_bindgen_test]
async fn layout_theme_and_button_side_from_the_config_reach_the_markup() {
    use consent_banner::config::{Layout, Side, Theme};
    let config = Config {
        layout: Layout::Corner,
        theme: Theme::Dark,
        floating_button_position: Side::Right,
        ..Config::default()
    };
    let (root, _) = mount_with("test-look", InitialView::Auto, config).await;
    let banner = root.query_selector(".banner").unwrap().unwrap();
    assert_eq!(banner.get_attribute("role").as_deref(), Some("region"));
    assert_eq!(
        banner.get_attribute("data-layout").as_deref(),
        Some("corner")
    );
    assert_eq!(banner.get_attribute("data-edge").as_deref(), Some("bottom"));
    assert!(root
        .query_selector(".cb[data-theme=dark]")
        .unwrap()
        .is_some());
    click(&root, "[data-action=accept]");
    settle().await;
    let reopen = root
        .query_selector("[data-action=reopen]")
        .unwrap()
        .unwrap();
    assert_eq!(reopen.get_attribute("data-side").as_deref(), Some("right"));
    root.remove();
}

#[wasm_bindgen_test]
async fn reopened_preferences_show_the_decision_and_a_toggle_changes_only_that_category() {
    let (root, _) = mount("test-reopen", InitialView::Auto).await;
    click(&root, "[data-action=accept]");
    settle().await;
    click(&root, "[data-action=reopen]");
    settle().await;
    assert!(checked(&root, "#cb-cat-functional"), "pre-filled: accepted");
    assert!(checked(&root, "#cb-cat-statistics"), "pre-filled: accepted");
    assert_eq!(focused().map(|e| e.id()).as_deref(), Some("cb-prefs-title"));
    click(&root, "#cb-cat-statistics");
    settle().await;
    click(&root, "[data-action=save]");
    settle().await;
    let text = storage().get_item("test-reopen").unwrap().unwrap();
    let Stored::Record(record) = Stored::parse(Some(&text)) else {
        panic!("{text}")
    };
    assert_eq!(record.categories["functional"], true);
    assert_eq!(record.categories["statistics"], false);
    assert_eq!(
        focused()
            .and_then(|e| e.get_attribute("data-action"))
            .as_deref(),
        Some("reopen"),
        "focus returns to the reopen button"
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn closing_the_preferences_returns_focus_to_the_page_element_that_opened_them() {
    let link = document().create_element("a").unwrap();
    link.set_attribute("href", "#prefs").unwrap();
    link.set_text_content(Some("Cookie preferences"));
    document().body().unwrap().append_child(&link).unwrap();
    link.dyn_ref::<HtmlElement>().unwrap().focus().unwrap();
    let (root, _) = mount("test-return", InitialView::Preferences).await;
    assert!(root.query_selector("[role=dialog]").unwrap().is_some());
    assert_ne!(
        focused().as_ref(),
        Some(&link),
        "focus moved into the dialog"
    );
    click(&root, "[data-action=close]");
    settle().await;
    assert!(root.query_selector("[role=dialog]").unwrap().is_none());
    assert_eq!(focused().as_ref(), Some(&link));
    assert!(
        storage().get_item("test-return").unwrap().is_none(),
        "closing decides nothing"
    );
    root.remove();
    link.remove();
}

#[wasm_bindgen_test]
async fn arabic_texts_render_right_to_left() {
    // Arabic is a language file (www/lang/ar.json), as the loader hands it to `mount`.
    let mut config = Config::default();
    let file =
        consent_banner::texts::read_language_file(include_str!("../www/lang/ar.json")).unwrap();
    consent_banner::texts::add_language_file(&mut config, "ar", file);
    config.language = Some("ar".into());
    let (root, _) = mount_with("test-ar", InitialView::Auto, config).await;
    let cb = root.query_selector(".cb").unwrap().unwrap();
    assert_eq!(cb.get_attribute("lang").as_deref(), Some("ar"));
    assert_eq!(cb.get_attribute("dir").as_deref(), Some("rtl"));
    let accept = root
        .query_selector("[data-action=accept]")
        .unwrap()
        .unwrap();
    assert_eq!(accept.text_content().unwrap().trim(), "قبول الكل");
    root.remove();
}

#[wasm_bindgen_test]
async fn a_command_sent_while_a_decision_runs_runs_after_it() {
    // A host app whose on_change reopens the preferences: the command arrives while Accept is
    // still running, and runs once it is done (no panic, no lost command).
    storage().remove_item("test-reentry").unwrap();
    let config = Rc::new(Config {
        storage_key: "test-reentry".into(),
        ..Config::default()
    });
    let commands = consent_banner::ui::Commands::default();
    let seen = Rc::new(RefCell::new(Vec::new()));
    let on_change = {
        let (commands, seen) = (commands.clone(), seen.clone());
        yew::Callback::from(move |detail: consent_banner::events::ConsentDetail| {
            seen.borrow_mut().push(detail.decided);
            commands.send(consent_banner::ui::Command::ShowPreferences);
        })
    };
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let props = ConsentBannerProps {
        config,
        on_change,
        initial: InitialView::Auto,
        commands,
        events: true,
        prerendered: false,
    };
    yew::Renderer::<ConsentBanner>::with_root_and_props(root.clone(), props).render();
    settle().await;
    click(&root, "[data-action=accept]");
    settle().await;
    assert_eq!(*seen.borrow(), [true]);
    assert!(storage().get_item("test-reentry").unwrap().is_some());
    assert!(
        root.query_selector("[role=dialog]").unwrap().is_some(),
        "the preferences opened after the decision"
    );
    root.remove();
}

/// The JS function `(name, text) => log.push(name + " " + text)`, and its log.
fn channel() -> (js_sys::Function, Rc<RefCell<Vec<String>>>) {
    let log = Rc::new(RefCell::new(Vec::new()));
    let sink = log.clone();
    let closure = Closure::<dyn Fn(String, String)>::new(move |name: String, text: String| {
        sink.borrow_mut().push(name + " " + &text);
    });
    let function = closure.as_ref().unchecked_ref::<js_sys::Function>().clone();
    closure.forget();
    (function, log)
}

/// The `<consent-banner>` host that `mount` appended last, and the root inside its shadow root.
fn mounted() -> (Element, Element) {
    let hosts = document().query_selector_all("consent-banner").unwrap();
    let host: Element = hosts.item(hosts.length() - 1).unwrap().dyn_into().unwrap();
    let root = host
        .shadow_root()
        .unwrap()
        .query_selector(".root")
        .unwrap()
        .unwrap();
    (host, root)
}

const SIGNATURE: &str = "essential*,functional,statistics";

fn config_text(key: &str) -> String {
    storage().remove_item(key).unwrap();
    format!(r#"{{"storageKey":"{key}"}}"#)
}

#[wasm_bindgen_test]
async fn mount_tells_the_channel_of_a_change_before_the_page_hears_of_it() {
    let (function, log) = channel();
    let order = log.clone();
    let listener = Closure::<dyn Fn(CustomEvent)>::new(move |_: CustomEvent| {
        order.borrow_mut().push("event".into());
    });
    web_sys::window()
        .unwrap()
        .add_event_listener_with_callback("consent:change", listener.as_ref().unchecked_ref())
        .unwrap();
    let text = config_text("test-channel");
    let _ui = consent_banner::mount(&text, "auto", SIGNATURE, function, "en", "", false).unwrap();
    settle().await;
    let (host, root) = mounted();
    click(&root, "[data-action=reject]");
    settle().await;
    web_sys::window()
        .unwrap()
        .remove_event_listener_with_callback("consent:change", listener.as_ref().unchecked_ref())
        .unwrap();
    let log = log.borrow();
    assert_eq!(log.len(), 2, "{log:?}");
    let detail = log[0].strip_prefix("change ").expect("a change first");
    let detail: serde_json::Value = serde_json::from_str(detail).unwrap();
    assert_eq!(detail["categories"]["statistics"], false);
    assert_eq!(detail["source"], "banner");
    assert_eq!(log[1], "event", "then the public event");
    assert!(
        root.query_selector("[data-action=reopen]")
            .unwrap()
            .is_none(),
        "the loader owns the reopen button"
    );
    host.remove();
}

#[wasm_bindgen_test]
async fn mount_fails_closed_when_the_loader_read_other_categories() {
    let (function, log) = channel();
    let text = config_text("test-signature");
    let error = match consent_banner::mount(
        &text,
        "auto",
        "essential,functional,statistics",
        function,
        "en",
        "",
        false,
    ) {
        Ok(_) => panic!("mounted"),
        Err(error) => wasm_bindgen::JsValue::from(error),
    };
    let message = js_sys::Reflect::get(&error, &"message".into())
        .unwrap()
        .as_string()
        .unwrap();
    assert_eq!(
        message,
        r#"config: the loader and the banner read different categories (loader "essential,functional,statistics", banner "essential*,functional,statistics")"#
    );
    assert!(log.borrow().is_empty());
}

#[wasm_bindgen_test]
async fn the_first_layer_and_the_reopen_button_are_in_the_top_layer() {
    let (root, _) = mount("test-top-layer", InitialView::Auto).await;
    let banner = root.query_selector(".banner").unwrap().unwrap();
    assert!(
        banner.matches(":popover-open").unwrap(),
        "shown as a popover"
    );
    click(&root, "[data-action=accept]");
    settle().await;
    let reopen = root
        .query_selector("[data-action=reopen]")
        .unwrap()
        .unwrap();
    assert!(reopen.matches(":popover-open").unwrap());
    root.remove();
}

/// Sends `key` as each of `events` to `target` (bubbling, composed), and says for each whether a
/// listener on the document heard it.
fn document_hears_each(target: &Element, key: &str, events: &[&str]) -> Vec<bool> {
    let heard = Rc::new(RefCell::new(false));
    let sink = heard.clone();
    let listener =
        Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |_: web_sys::KeyboardEvent| {
            *sink.borrow_mut() = true;
        });
    let mut out = Vec::new();
    for name in events {
        *heard.borrow_mut() = false;
        document()
            .add_event_listener_with_callback(name, listener.as_ref().unchecked_ref())
            .unwrap();
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(key);
        init.set_bubbles(true);
        init.set_composed(true);
        let event = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict(name, &init).unwrap();
        target.dispatch_event(&event).unwrap();
        document()
            .remove_event_listener_with_callback(name, listener.as_ref().unchecked_ref())
            .unwrap();
        out.push(*heard.borrow());
    }
    out
}

/// Whether the document hears `key` pressed on `target`: keydown, keypress and keyup agree.
fn document_hears(target: &Element, key: &str) -> bool {
    let heard = document_hears_each(target, key, &["keydown", "keypress", "keyup"]);
    assert!(heard.iter().all(|h| *h == heard[0]), "{key}: {heard:?}");
    heard[0]
}

#[wasm_bindgen_test]
async fn keys_the_banner_handles_never_reach_the_page() {
    let (function, _) = channel();
    let text = config_text("test-keys");
    let _ui = consent_banner::mount(&text, "auto", SIGNATURE, function, "en", "", false).unwrap();
    settle().await;
    let (host, root) = mounted();
    let accept = root
        .query_selector("[data-action=accept]")
        .unwrap()
        .unwrap();
    assert!(!document_hears(&accept, " "), "Space on a button");
    assert!(!document_hears(&accept, "Enter"), "Enter on a button");
    assert!(document_hears(&accept, "ArrowRight"), "other keys go on");
    assert!(
        document_hears(&accept, "Escape"),
        "no dialog open: Escape goes on"
    );
    let title = root.query_selector("#cb-title").unwrap().unwrap();
    assert!(
        document_hears(&title, " "),
        "Space outside a control goes on"
    );
    click(&root, "[data-action=preferences]");
    settle().await;
    let switch = root.query_selector("#cb-cat-statistics").unwrap().unwrap();
    assert!(!document_hears(&switch, " "), "Space on a switch");
    assert!(!document_hears(&switch, "Tab"), "Tab in the dialog");
    assert!(document_hears(&switch, "x"));
    // Escape closes the preferences on keydown; the rest of that press, sent to where focus went
    // (the first layer's Preferences button, outside any dialog), is the banner's too.
    assert_eq!(
        document_hears_each(&switch, "Escape", &["keydown"]),
        [false],
        "Escape in the dialog"
    );
    settle().await;
    let preferences = root
        .query_selector("[data-action=preferences]")
        .unwrap()
        .unwrap();
    assert_eq!(
        document_hears_each(&preferences, "Escape", &["keyup"]),
        [false],
        "the keyup of that Escape"
    );
    assert!(
        document_hears(&preferences, "Escape"),
        "a new Escape outside a dialog goes on"
    );
    settle().await;
    assert!(
        root.query_selector("dialog").unwrap().is_none(),
        "and the banner's own handler still ran: Escape closed the preferences"
    );
    host.remove();
}

// The provider and the hook: a Yew app's view of the state.

mod provider {
    use super::*;
    use consent_banner::consent::{decide, Action};
    use consent_banner::record::Source;
    use consent_banner::ui::{use_consent, Consent, ConsentProvider};
    use yew::prelude::*;

    thread_local! {
        /// What the app's component saw, render after render: (decided, statistics, source).
        static SEEN: RefCell<Vec<(bool, bool, Option<Source>)>> = const { RefCell::new(Vec::new()) };
        /// The handle the app's component got.
        static HANDLE: RefCell<Option<Consent>> = const { RefCell::new(None) };
    }

    #[component]
    fn Probe() -> Html {
        let consent = use_consent();
        SEEN.with(|seen| {
            seen.borrow_mut().push((
                consent.decided(),
                consent.allows("statistics"),
                consent.detail().source,
            ))
        });
        HANDLE.with(|handle| *handle.borrow_mut() = Some(consent.clone()));
        html! { <h1 class="title" id="app-title">{"An app"}</h1> }
    }

    #[derive(Properties, PartialEq)]
    struct AppProps {
        config: Rc<Config>,
        #[prop_or_default]
        events: bool,
    }

    #[component]
    fn App(props: &AppProps) -> Html {
        html! {
            <ConsentProvider config={props.config.clone()} events={props.events}>
                <Probe />
            </ConsentProvider>
        }
    }

    fn seen() -> Vec<(bool, bool, Option<Source>)> {
        SEEN.with(|seen| seen.borrow().clone())
    }

    fn handle() -> Consent {
        HANDLE.with(|handle| handle.borrow().clone().unwrap())
    }

    fn accepted_record(config: &Config) -> String {
        let now = consent_banner::dom::now_ms();
        decide(
            config,
            None,
            &Action::AcceptAll,
            now,
            "other",
            Source::Banner,
        )
        .to_json()
    }

    /// Renders the app with a config whose storage key is `key`, `stored` under it first.
    async fn render_app(key: &str, stored: Option<&str>) -> (Element, Rc<Config>) {
        let config = Config {
            storage_key: key.into(),
            ..Config::default()
        };
        render_app_with(config, stored).await
    }

    /// Renders the app with `config`, `stored` under its storage key first.
    async fn render_app_with(config: Config, stored: Option<&str>) -> (Element, Rc<Config>) {
        render_app_events(config, stored, false).await
    }

    /// Renders the app with `config`, `stored` under its storage key first, and the provider's
    /// `events`.
    async fn render_app_events(
        config: Config,
        stored: Option<&str>,
        events: bool,
    ) -> (Element, Rc<Config>) {
        SEEN.with(|seen| seen.borrow_mut().clear());
        let config = Rc::new(config);
        let key = config.storage_key.as_str();
        match stored {
            Some(text) => storage().set_item(key, text).unwrap(),
            None => storage().remove_item(key).unwrap(),
        }
        let root = document().create_element("div").unwrap();
        document().body().unwrap().append_child(&root).unwrap();
        yew::Renderer::<App>::with_root_and_props(
            root.clone(),
            AppProps {
                config: config.clone(),
                events,
            },
        )
        .render();
        settle().await;
        (root, config)
    }

    #[wasm_bindgen_test]
    async fn the_hook_has_a_stored_decision_from_the_first_render() {
        let config = Config {
            storage_key: "test-provider-first".into(),
            ..Config::default()
        };
        let record = accepted_record(&config);
        render_app("test-provider-first", Some(&record)).await;
        let seen = seen();
        assert_eq!(
            seen.first(),
            Some(&(true, true, Some(Source::Banner))),
            "no flash of 'off': {seen:?}"
        );
        assert!(seen.iter().all(|(decided, on, _)| *decided && *on));
        let (_, banner) = mounted();
        assert!(banner.query_selector(".banner").unwrap().is_none());
    }

    #[wasm_bindgen_test]
    async fn the_hook_follows_the_banner_and_its_own_commands() {
        let (_, config) = render_app("test-provider-change", None).await;
        assert_eq!(seen().first(), Some(&(false, false, None)));
        let (_, banner) = mounted();
        click(&banner, "[data-action=accept]");
        settle().await;
        assert_eq!(seen().last(), Some(&(true, true, Some(Source::Banner))));
        assert!(storage().get_item(&config.storage_key).unwrap().is_some());

        handle().reject_all();
        settle().await;
        assert_eq!(seen().last(), Some(&(true, false, Some(Source::Api))));
        handle().set([("statistics", true)]);
        settle().await;
        assert_eq!(seen().last(), Some(&(true, true, Some(Source::Api))));

        handle().show_preferences();
        settle().await;
        assert!(banner
            .query_selector("dialog.prefs, dialog")
            .unwrap()
            .is_some());
        handle().reset();
        settle().await;
        assert_eq!(seen().last(), Some(&(false, false, None)));
        assert!(banner.query_selector(".banner").unwrap().is_some());
    }

    #[wasm_bindgen_test]
    async fn another_tabs_decision_reaches_the_hook_and_closes_the_banner() {
        let key = "test-provider-tab";
        let (_, config) = render_app(key, None).await;
        let (_, banner) = mounted();
        assert!(banner.query_selector(".banner").unwrap().is_some());
        // Another tab writes the record; this tab hears of it through the `storage` event.
        storage().set_item(key, &accepted_record(&config)).unwrap();
        let init = web_sys::StorageEventInit::new();
        init.set_key(Some(key));
        // The same key in sessionStorage is none of ours.
        let session = web_sys::window().unwrap().session_storage().unwrap();
        init.set_storage_area(session.as_ref());
        let event = web_sys::StorageEvent::new_with_event_init_dict("storage", &init).unwrap();
        web_sys::window().unwrap().dispatch_event(&event).unwrap();
        settle().await;
        assert_eq!(seen().last(), Some(&(false, false, None)));
        init.set_storage_area(Some(&storage()));
        let event = web_sys::StorageEvent::new_with_event_init_dict("storage", &init).unwrap();
        web_sys::window().unwrap().dispatch_event(&event).unwrap();
        settle().await;
        assert_eq!(seen().last(), Some(&(true, true, Some(Source::Storage))));
        assert!(
            banner.query_selector(".banner").unwrap().is_none(),
            "the banner closes"
        );
        // Another key is none of ours.
        storage().remove_item(key).unwrap();
        init.set_key(Some("something-else"));
        let event = web_sys::StorageEvent::new_with_event_init_dict("storage", &init).unwrap();
        web_sys::window().unwrap().dispatch_event(&event).unwrap();
        settle().await;
        assert_eq!(seen().last(), Some(&(true, true, Some(Source::Storage))));
    }

    fn style_of(element: &Element, property: &str) -> String {
        web_sys::window()
            .unwrap()
            .get_computed_style(element)
            .unwrap()
            .unwrap()
            .get_property_value(property)
            .unwrap()
    }

    const PROPERTIES: &[&str] = &[
        "font-size",
        "color",
        "background-color",
        "position",
        "padding-top",
    ];

    fn styles(element: &Element) -> Vec<String> {
        PROPERTIES.iter().map(|p| style_of(element, p)).collect()
    }

    #[wasm_bindgen_test]
    async fn the_banner_and_the_app_keep_their_own_styles() {
        let (app, _) = render_app("test-provider-styles", None).await;
        let hosts = document()
            .query_selector_all("consent-banner")
            .unwrap()
            .length();
        let (host, banner) = mounted();
        assert_eq!(host.parent_element().unwrap().local_name(), "body");
        let inside = |selector: &str| banner.query_selector(selector).unwrap().unwrap();
        let (title, button) = (inside(".title"), inside(".btn"));
        let (title_before, button_before) = (styles(&title), styles(&button));
        let h1 = app.query_selector("#app-title").unwrap().unwrap();
        // The banner's `.title` rule does not reach the app's `<h1 class="title">`.
        assert_eq!(style_of(&h1, "font-size"), "32px");

        let sheet = document().create_element("style").unwrap();
        sheet.set_text_content(Some(
            ".title { font-size: 99px !important; color: rgb(1, 2, 3) !important } \
             .btn, button { background-color: rgb(4, 5, 6) !important; padding-top: 77px !important } \
             dialog, section { position: static !important }",
        ));
        document().head().unwrap().append_child(&sheet).unwrap();
        assert_eq!(styles(&title), title_before, "the app's CSS stays outside");
        assert_eq!(styles(&button), button_before);
        assert_eq!(
            style_of(&h1, "font-size"),
            "99px",
            "the app's own CSS works"
        );
        sheet.remove();

        // A re-render (a change) keeps one host.
        handle().accept_all();
        settle().await;
        let after = document()
            .query_selector_all("consent-banner")
            .unwrap()
            .length();
        assert_eq!(after, hosts, "one host");
    }

    #[wasm_bindgen_test]
    async fn google_consent_mode_gets_the_default_at_start_and_an_update_on_every_change() {
        // The page's gtag (Google's snippet defines it): every call's arguments, as JSON.
        let calls = Rc::new(RefCell::new(Vec::<String>::new()));
        let sink = calls.clone();
        let gtag = Closure::<dyn Fn(JsValue, JsValue, JsValue)>::new(
            move |a: JsValue, b: JsValue, c: JsValue| {
                let args = js_sys::Array::of3(&a, &b, &c);
                sink.borrow_mut()
                    .push(js_sys::JSON::stringify(&args).unwrap().as_string().unwrap());
            },
        );
        let window = web_sys::window().unwrap();
        js_sys::Reflect::set(&window, &"gtag".into(), gtag.as_ref()).unwrap();
        gtag.forget();

        let key = "test-provider-gcm";
        let mut config = Config::from_json(
            r#"{"googleConsentMode":{"map":{"statistics":["analytics_storage"]}}}"#,
        )
        .unwrap();
        config.storage_key = key.into();
        let record = accepted_record(&config);
        render_app_with(config, Some(&record)).await;
        assert_eq!(
            *calls.borrow(),
            [
                r#"["consent","default",{"analytics_storage":"granted","wait_for_update":500}]"#,
                r#"["consent","update",{"analytics_storage":"granted"}]"#,
            ],
            "the stored decision at start"
        );
        handle().reject_all();
        settle().await;
        assert_eq!(
            calls.borrow().last().unwrap(),
            r#"["consent","update",{"analytics_storage":"denied"}]"#
        );
        js_sys::Reflect::delete_property(&window, &"gtag".into()).unwrap();
    }

    #[wasm_bindgen_test]
    async fn window_events_only_when_the_app_asks_for_them() {
        let changes = capture("consent:change");
        let shows = capture("consent:show");
        let config = |key: &str| Config {
            storage_key: key.into(),
            ..Config::default()
        };
        render_app_events(config("test-provider-quiet"), None, false).await;
        handle().accept_all();
        settle().await;
        assert_eq!(seen().last(), Some(&(true, true, Some(Source::Api))));
        assert_eq!(changes.borrow().len(), 0, "no consent:change by default");
        assert_eq!(shows.borrow().len(), 0, "no consent:show by default");

        render_app_events(config("test-provider-events"), None, true).await;
        assert_eq!(shows.borrow().len(), 1, "consent:show when asked for");
        handle().accept_all();
        settle().await;
        let detail: serde_json::Value =
            serde_json::from_str(changes.borrow().last().unwrap()).unwrap();
        assert_eq!(detail["source"], "api");
        assert_eq!(detail["categories"]["statistics"], true);
    }
}
