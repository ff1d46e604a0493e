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
use wasm_bindgen::{closure::Closure, JsCast};
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
    assert!(record.categories.values().all(|on| *on));

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
    let config = Config {
        language: Some("ar".into()),
        ..Config::default()
    };
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
