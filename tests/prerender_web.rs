//! The proof of issue 16 in a browser (wasm-bindgen-test in headless Chromium): the prerendered
//! first layer ([`consent_banner::prerender`], Yew's server renderer) is the same DOM as what the
//! UI renders in its shadow root, for every layout, blocking or not, in English, German (from its
//! file) and Arabic. Native `cargo test` compiles this file to nothing.
//!
//! The `_async` forms of the prerender API: the blocking ones wait for Yew's scheduler, which in
//! a browser runs on the event loop (natively they are the same code, blocked on).
#![cfg(all(target_arch = "wasm32", feature = "ssr"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use consent_banner::config::Config;
use consent_banner::prerender::{first_layer_markup_async, render_async, Loader, RenderOptions};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlTemplateElement, Node};

wasm_bindgen_test_configure!(run_in_browser);

const LAYOUTS: [&str; 4] = ["bottom", "top", "center", "corner"];

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// The language's file as the loader hands it to the UI (`dist/lang/<tag>.json`), or none.
fn language_file(language: &str) -> &'static str {
    consent_banner::prerender::language_file(language).unwrap_or("")
}

/// A config text for `layout` and `blocking`, its storage key new (so the first layer shows).
fn config_text(layout: &str, blocking: bool, language: &str) -> String {
    format!(
        r#"{{"storageKey": "prerender-{layout}-{blocking}-{language}", "layout": "{layout}", "blocking": {blocking}}}"#
    )
}

/// Mounts the UI as the loader does on a page without a prerendered layer (`consent_banner::mount`,
/// a new `<consent-banner>` at the end of `<body>`) and returns its host once it shows the first
/// layer.
async fn mount_ui(config: &str, language: &str) -> Element {
    let categories = consent_banner::category_signature(&Config::from_json(config).unwrap());
    let channel = js_sys::Function::new_no_args("");
    let before = document()
        .query_selector_all("consent-banner")
        .unwrap()
        .length();
    let _ui = consent_banner::mount(
        config,
        "auto",
        &categories,
        channel,
        language,
        language_file(language),
        false,
    )
    .map_err(JsValue::from)
    .unwrap();
    yew::platform::time::sleep(Duration::from_millis(30)).await;
    let hosts = document().query_selector_all("consent-banner").unwrap();
    assert_eq!(hosts.length(), before + 1);
    hosts.item(before).unwrap().dyn_into::<Element>().unwrap()
}

fn ui_root(host: &Element) -> Element {
    host.shadow_root()
        .unwrap()
        .query_selector(".root")
        .unwrap()
        .expect("the UI's .root")
}

/// `markup` parsed as the browser parses the body snippet's `<div class="root">` content.
fn parsed_root(markup: &str) -> Element {
    let template = document()
        .create_element("template")
        .unwrap()
        .dyn_into::<HtmlTemplateElement>()
        .unwrap();
    template.set_inner_html(&format!(r#"<div class="root">{markup}</div>"#));
    template.content().first_element_child().unwrap()
}

/// A deep copy of the UI's `.root` with the one thing the browser itself changed after Yew
/// rendered undone: `showModal()` gives a blocking first layer's `<dialog>` the `open` attribute,
/// and the prerendered dialog is closed until the loader opens it. (A popover's open state is no
/// attribute: the non-blocking section needs nothing.)
///
/// Nothing else: `isEqualNode` ignores the order of attributes (Yew's server renderer writes
/// `class` last), and compares every attribute, element and text node, one for one (no text
/// nodes are merged or dropped: Yew creates none empty or side by side here).
fn comparable(ui: &Element) -> Node {
    let copy = ui.clone_node_with_deep(true).unwrap();
    let copy = copy.dyn_into::<Element>().unwrap();
    if let Some(dialog) = copy.query_selector("dialog.banner").unwrap() {
        dialog.remove_attribute("open").unwrap();
    }
    copy.into()
}

async fn assert_same_as_the_ui(layout: &str, blocking: bool, language: &str) {
    let config = config_text(layout, blocking, language);
    let host = mount_ui(&config, language).await;
    let ui = ui_root(&host);
    assert!(
        ui.query_selector(".banner").unwrap().is_some(),
        "{layout} {blocking} {language}: the UI shows the first layer"
    );
    let markup =
        first_layer_markup_async(&Config::from_json(&config).unwrap(), Some(language)).await;
    let prerendered = parsed_root(&markup);
    let ui_copy = comparable(&ui);
    let same = ui_copy.is_equal_node(Some(&prerendered));
    let ui_html = ui_copy.unchecked_ref::<Element>().outer_html();
    host.remove();
    assert!(
        same,
        "{layout}, blocking {blocking}, {language}:\n  UI:          {ui_html}\n  prerendered: {}",
        prerendered.outer_html()
    );
}

#[wasm_bindgen_test]
async fn the_prerendered_first_layer_is_the_ui_s_in_english_for_every_layout() {
    for blocking in [false, true] {
        for layout in LAYOUTS {
            assert_same_as_the_ui(layout, blocking, "en").await;
        }
    }
}

#[wasm_bindgen_test]
async fn the_prerendered_first_layer_is_the_ui_s_in_german_from_its_file_for_every_layout() {
    for blocking in [false, true] {
        for layout in LAYOUTS {
            assert_same_as_the_ui(layout, blocking, "de").await;
        }
    }
}

#[wasm_bindgen_test]
async fn the_prerendered_first_layer_is_the_ui_s_right_to_left_in_arabic() {
    for blocking in [false, true] {
        assert_same_as_the_ui("bottom", blocking, "ar").await;
    }
}

/// The body snippet as the document parser reads it: `setHTMLUnsafe` attaches a declarative
/// shadow root (as a page does), with the stylesheet and the same `.root` as the UI's.
#[wasm_bindgen_test]
async fn the_body_snippet_attaches_a_shadow_root_with_the_styles_and_the_ui_s_first_layer() {
    let config = config_text("corner", false, "en");
    let snippets = render_async(&RenderOptions::new(&config, Loader::External(b"")))
        .await
        .unwrap();
    let container = document().create_element("div").unwrap();
    let set_html = js_sys::Reflect::get(&container, &"setHTMLUnsafe".into()).unwrap();
    set_html
        .dyn_into::<js_sys::Function>()
        .expect("Element.setHTMLUnsafe (Chromium 124 or later)")
        .call1(&container, &snippets.body.as_str().into())
        .unwrap();
    let host = container.first_element_child().unwrap();
    assert_eq!(host.local_name(), "consent-banner");
    assert_eq!(host.get_attribute("data-prerendered"), Some(snippets.hash));
    let shadow = host.shadow_root().expect("a declarative shadow root");
    let style = shadow.query_selector("style").unwrap().unwrap();
    assert_eq!(
        style.text_content().unwrap(),
        consent_banner::prerender::STYLES,
        "the first layer's part of the UI's stylesheet"
    );
    assert!(consent_banner::prerender::STYLES.len() < consent_banner::dom::STYLES.len());
    let prerendered = shadow.query_selector(".root").unwrap().unwrap();

    let ui_host = mount_ui(&config, "en").await;
    let same = comparable(&ui_root(&ui_host)).is_equal_node(Some(&prerendered));
    ui_host.remove();
    assert!(same, "{}", prerendered.outer_html());
}

#[wasm_bindgen_test]
async fn the_prerendered_first_layer_is_the_ui_s_in_every_language_with_a_file() {
    for language in consent_banner::texts::LANGUAGE_FILES {
        assert_same_as_the_ui("bottom", false, language).await;
    }
}

/// Every computed style of every element of `a` and `b` (the same tree), except `overlay` (the
/// UI's first layer is an open popover in the top layer; a prerendered one is until the loader
/// promotes it): the differences, as `element property: a / b`.
fn style_differences(a: &Element, b: &Element) -> Vec<String> {
    let window = web_sys::window().unwrap();
    let mut out = Vec::new();
    let (left, right) = (
        a.query_selector_all("*").unwrap(),
        b.query_selector_all("*").unwrap(),
    );
    if left.length() != right.length() {
        return vec![format!("{} elements / {}", left.length(), right.length())];
    }
    for i in 0..left.length() {
        let (x, y) = (
            left.item(i).unwrap().dyn_into::<Element>().unwrap(),
            right.item(i).unwrap().dyn_into::<Element>().unwrap(),
        );
        let (sx, sy) = (
            window.get_computed_style(&x).unwrap().unwrap(),
            window.get_computed_style(&y).unwrap().unwrap(),
        );
        for k in 0..sx.length() {
            let name = sx.item(k);
            if name == "overlay" {
                continue;
            }
            let (vx, vy) = (
                sx.get_property_value(&name).unwrap(),
                sy.get_property_value(&name).unwrap(),
            );
            if vx != vy {
                out.push(format!("{} {name}: {vx} / {vy}", x.local_name()));
            }
        }
    }
    out
}

/// The prerendered layer carries only the first layer's part of the stylesheet
/// (`prerender::STYLES`): every element of it computes the same styles as the UI's first layer,
/// which has the whole stylesheet.
#[wasm_bindgen_test]
async fn the_prerendered_first_layer_computes_the_same_styles_as_the_ui_s() {
    for layout in ["bottom", "corner"] {
        let config = config_text(layout, false, "en");
        let snippets = render_async(&RenderOptions::new(&config, Loader::External(b"")))
            .await
            .unwrap();
        let container = document().create_element("div").unwrap();
        document().body().unwrap().append_child(&container).unwrap();
        let set_html = js_sys::Reflect::get(&container, &"setHTMLUnsafe".into()).unwrap();
        set_html
            .dyn_into::<js_sys::Function>()
            .unwrap()
            .call1(&container, &snippets.body.as_str().into())
            .unwrap();
        let host = container.first_element_child().unwrap();
        let prerendered = host
            .shadow_root()
            .unwrap()
            .query_selector(".root")
            .unwrap()
            .unwrap();
        let ui_host = mount_ui(&config, "en").await;
        // Both at the end of their short entry slide.
        let finish = js_sys::Function::new_with_args(
            "root",
            "root.getAnimations().forEach((a) => a.finish())",
        );
        for root in [host.shadow_root(), ui_host.shadow_root()] {
            finish.call1(&JsValue::NULL, &root.unwrap()).unwrap();
        }
        let differences = style_differences(&ui_root(&ui_host), &prerendered);
        ui_host.remove();
        container.remove();
        // (The test runner shows the console, not a panic's message.)
        for difference in &differences {
            web_sys::console::log_1(&format!("{layout}: {difference}").into());
        }
        assert!(differences.is_empty(), "{layout}: {differences:?}");
    }
}
