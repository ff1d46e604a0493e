//! A Yew app rendered on a server and hydrated in the browser (wasm-bindgen-test in headless
//! Chromium), with `ConsentProvider`'s `hydrate`: the server's markup is rendered here with Yew's
//! server renderer (`LocalServerRenderer`, as a Rust server would, `.hydratable(true)`), put in a
//! container, and hydrated with `yew::Renderer::hydrate`. Native `cargo test` compiles this file
//! to nothing; so does a wasm build without the crate's `hydration` feature (Yew's), which
//! `scripts/test.sh` turns on for this file alone.
#![cfg(all(target_arch = "wasm32", feature = "hydration", feature = "ssr"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use consent_banner::config::Config;
use consent_banner::consent::{decide, Action};
use consent_banner::record::{Source, Stored};
use consent_banner::ui::{use_consent, ConsentProvider};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;
use yew::{AppHandle, LocalServerRenderer, Renderer};

wasm_bindgen_test_configure!(run_in_browser);

thread_local! {
    /// What the app's component saw, render after render: (decided, statistics).
    static SEEN: RefCell<Vec<(bool, bool)>> = const { RefCell::new(Vec::new()) };
}

/// A component below the provider: the state through the hook, as markup.
#[component]
fn Status() -> Html {
    let consent = use_consent();
    let statistics = consent.allows("statistics");
    SEEN.with(|seen| seen.borrow_mut().push((consent.decided(), statistics)));
    html! {
        <p id="status" data-decided={consent.decided().to_string()}>
            { if statistics { "Usage statistics: on" } else { "Usage statistics: off" } }
        </p>
    }
}

#[derive(Properties, PartialEq)]
struct AppProps {
    config: Rc<Config>,
}

/// The same app on the server and in the browser.
#[component]
fn App(props: &AppProps) -> Html {
    html! {
        <ConsentProvider config={props.config.clone()} hydrate=true>
            <main>
                <h1 class="title">{"Shop"}</h1>
                <Status />
            </main>
        </ConsentProvider>
    }
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(30)).await;
}

fn seen() -> Vec<(bool, bool)> {
    SEEN.with(|seen| seen.borrow().clone())
}

fn hosts() -> u32 {
    document()
        .query_selector_all("consent-banner")
        .unwrap()
        .length()
}

/// Everything written to `console.error` (Yew's panic hook writes a panic there) from now until
/// the returned guard is dropped.
struct ConsoleErrors {
    original: JsValue,
    seen: Rc<RefCell<Vec<String>>>,
    _spy: Closure<dyn Fn(JsValue)>,
}

impl ConsoleErrors {
    fn record() -> Self {
        let console = js_sys::Reflect::get(&js_sys::global(), &"console".into()).unwrap();
        let original = js_sys::Reflect::get(&console, &"error".into()).unwrap();
        let seen = Rc::new(RefCell::new(Vec::new()));
        let sink = seen.clone();
        let spy = Closure::<dyn Fn(JsValue)>::new(move |message: JsValue| {
            sink.borrow_mut().push(
                message
                    .as_string()
                    .unwrap_or_else(|| format!("{message:?}")),
            );
        });
        js_sys::Reflect::set(&console, &"error".into(), spy.as_ref()).unwrap();
        ConsoleErrors {
            original,
            seen,
            _spy: spy,
        }
    }

    fn messages(&self) -> Vec<String> {
        self.seen.borrow().clone()
    }
}

impl Drop for ConsoleErrors {
    fn drop(&mut self) {
        let console = js_sys::Reflect::get(&js_sys::global(), &"console".into()).unwrap();
        js_sys::Reflect::set(&console, &"error".into(), &self.original).unwrap();
    }
}

fn accepted_record(config: &Config) -> String {
    decide(
        config,
        None,
        &Action::AcceptAll,
        consent_banner::dom::now_ms(),
        "earlier-visit",
        Source::Banner,
    )
    .to_json()
}

/// The server's markup and the page after hydration.
struct Hydrated {
    server: String,
    container: Element,
    app: AppHandle<App>,
    config: Rc<Config>,
}

/// Renders the app on the "server" with `stored` under its storage key, puts the markup in a
/// container, and hydrates it there.
async fn hydrate(key: &str, stored: Option<&str>) -> Hydrated {
    let config = Rc::new(Config {
        storage_key: key.into(),
        ..Config::default()
    });
    match stored {
        Some(text) => storage().set_item(key, text).unwrap(),
        None => storage().remove_item(key).unwrap(),
    }
    let server = LocalServerRenderer::<App>::with_props(AppProps {
        config: config.clone(),
    })
    .hydratable(true)
    .render()
    .await;
    let container = document().create_element("div").unwrap();
    container.set_inner_html(&server);
    document().body().unwrap().append_child(&container).unwrap();
    SEEN.with(|seen| seen.borrow_mut().clear());
    let app = Renderer::<App>::with_root_and_props(
        container.clone(),
        AppProps {
            config: config.clone(),
        },
    )
    .hydrate();
    Hydrated {
        server,
        container,
        app,
        config,
    }
}

fn title_of(container: &Element) -> Element {
    container.query_selector("h1").unwrap().unwrap()
}

fn status(container: &Element) -> Element {
    container.query_selector("#status").unwrap().unwrap()
}

/// The root inside the shadow root of the newest `<consent-banner>` host.
fn banner_root() -> Element {
    let hosts = document().query_selector_all("consent-banner").unwrap();
    let host: Element = hosts.item(hosts.length() - 1).unwrap().dyn_into().unwrap();
    host.shadow_root()
        .unwrap()
        .query_selector(".root")
        .unwrap()
        .unwrap()
}

#[wasm_bindgen_test]
async fn hydration_keeps_the_servers_nodes_and_then_shows_the_stored_decision() {
    let errors = ConsoleErrors::record();
    let key = "test-hydrate-stored";
    let config = Rc::new(Config {
        storage_key: key.into(),
        ..Config::default()
    });
    let record = accepted_record(&config);
    let hosts_before = hosts();
    let page = hydrate(key, Some(&record)).await;
    // The server knows no stored decision: undecided, and no banner.
    assert!(
        page.server.contains(r#"data-decided="false""#),
        "{}",
        page.server
    );
    assert!(!page.server.contains("consent-banner"), "{}", page.server);
    let (title, paragraph) = (title_of(&page.container), status(&page.container));
    settle().await;

    assert_eq!(
        errors.messages(),
        Vec::<String>::new(),
        "no panic, no error"
    );
    // The app's own nodes were adopted, not replaced.
    assert!(title.is_connected() && paragraph.is_connected());
    assert!(title.is_same_node(Some(&title_of(&page.container))));
    assert!(paragraph.is_same_node(Some(&status(&page.container))));
    // The first render was the server's; the stored decision came right after it.
    let seen = seen();
    assert_eq!(seen.first(), Some(&(false, false)), "{seen:?}");
    assert_eq!(seen.last(), Some(&(true, true)), "{seen:?}");
    assert_eq!(
        paragraph.get_attribute("data-decided").as_deref(),
        Some("true")
    );
    assert_eq!(paragraph.text_content().unwrap(), "Usage statistics: on");
    // The banner mounted in its own host, closed: the visitor has decided.
    assert_eq!(hosts(), hosts_before + 1);
    assert!(banner_root().query_selector(".banner").unwrap().is_none());

    page.app.destroy();
    settle().await;
    assert_eq!(hosts(), hosts_before, "the host leaves with the provider");
    page.container.remove();
}

#[wasm_bindgen_test]
async fn an_undecided_visitor_gets_the_first_layer_and_accept_reaches_the_app() {
    let errors = ConsoleErrors::record();
    let hosts_before = hosts();
    let page = hydrate("test-hydrate-undecided", None).await;
    let title = title_of(&page.container);
    settle().await;

    assert_eq!(
        errors.messages(),
        Vec::<String>::new(),
        "no panic, no error"
    );
    assert!(title.is_connected());
    assert!(title.is_same_node(Some(&title_of(&page.container))));
    assert_eq!(seen().last(), Some(&(false, false)));
    // The first layer, in the banner's shadow root (not in the app's container).
    assert_eq!(hosts(), hosts_before + 1);
    let banner = banner_root();
    assert!(banner.query_selector(".banner").unwrap().is_some());
    assert!(page.container.query_selector(".banner").unwrap().is_none());

    banner
        .query_selector("[data-action=accept]")
        .unwrap()
        .unwrap()
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    settle().await;
    assert_eq!(seen().last(), Some(&(true, true)));
    assert_eq!(
        status(&page.container).text_content().unwrap(),
        "Usage statistics: on"
    );
    let stored = storage().get_item(&page.config.storage_key).unwrap();
    assert!(
        matches!(Stored::parse(stored.as_deref()), Stored::Record(_)),
        "{stored:?}"
    );
    assert!(banner.query_selector(".banner").unwrap().is_none());
    assert_eq!(errors.messages(), Vec::<String>::new());

    page.app.destroy();
    settle().await;
    assert_eq!(hosts(), hosts_before);
    page.container.remove();
}
