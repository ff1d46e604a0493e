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
    storage().remove_item(key).unwrap();
    let config = Rc::new(Config {
        storage_key: key.into(),
        ..Config::default()
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
