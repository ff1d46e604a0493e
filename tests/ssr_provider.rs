//! A Rust server renders a Yew app that holds a `ConsentProvider` (Yew SSR, natively, as
//! DESIGN.md's third user does): the app's own markup, no banner, and an undecided state, without
//! touching the browser APIs that do not exist there.
#![cfg(feature = "ssr")]

use std::rc::Rc;

use consent_banner::config::{Category, Config, ConsentType, GoogleConsentMode};
use consent_banner::map::Map;
use consent_banner::ui::{use_consent, ConsentProvider};
use yew::prelude::*;
use yew::LocalServerRenderer;

/// What a component below the provider reads with the hook.
#[component]
fn Status() -> Html {
    let consent = use_consent();
    let on = |id: &str| if consent.allows(id) { "on" } else { "off" };
    html! {
        <p id="status" data-decided={consent.decided().to_string()}>
            { format!("essential: {}, statistics: {}", on("essential"), on("statistics")) }
        </p>
    }
}

#[derive(Properties, PartialEq)]
struct AppProps {
    config: Rc<Config>,
    #[prop_or_default]
    hydrate: bool,
}

#[component]
fn App(props: &AppProps) -> Html {
    html! {
        <ConsentProvider config={props.config.clone()} events=true hydrate={props.hydrate}>
            <main>
                <h1 class="title">{"Shop"}</h1>
                <Status />
            </main>
        </ConsentProvider>
    }
}

fn render(config: Rc<Config>, hydratable: bool) -> String {
    render_app(
        AppProps {
            config,
            hydrate: false,
        },
        hydratable,
    )
}

fn render_app(props: AppProps, hydratable: bool) -> String {
    futures::executor::block_on(
        LocalServerRenderer::<App>::with_props(props)
            .hydratable(hydratable)
            .render(),
    )
}

#[test]
fn the_server_renders_the_apps_children_undecided_and_no_banner() {
    let html = render(Rc::new(Config::default()), false);
    assert!(html.contains(r#"<h1 class="title">Shop</h1>"#), "{html}");
    assert!(
        html.contains(r#"<p id="status" data-decided="false">essential: on, statistics: off</p>"#),
        "{html}"
    );
    // The banner is the browser's: it reads the stored decision there.
    assert!(!html.contains("consent-banner"), "{html}");
    assert!(!html.contains(r#"class="cb"#), "{html}");
}

#[test]
fn a_hydratable_render_has_the_same_state() {
    let html = render(Rc::new(Config::default()), true);
    assert!(html.contains(r#"data-decided="false""#), "{html}");
    assert!(html.contains("essential: on, statistics: off"), "{html}");
}

/// `hydrate` changes only the browser's first render: the server's markup is the same, so the
/// browser can hydrate it (tests/hydrate_web.rs).
#[test]
fn the_markup_to_hydrate_is_the_same_with_the_hydrate_prop() {
    let config = Rc::new(Config::default());
    let hydrate = |hydrate| {
        let props = AppProps {
            config: config.clone(),
            hydrate,
        };
        render_app(props, true)
    };
    assert_eq!(hydrate(true), hydrate(false));
    assert!(hydrate(true).contains(r#"data-decided="false""#));
}

/// The settings whose browser work starts when the provider is created (Google Consent Mode's
/// default, the GPC signal) and a receipt endpoint: none of it runs on the server.
#[test]
fn browser_only_settings_do_not_run_on_the_server() {
    let config = Config {
        categories: vec![
            Category::new("essential", "Essential").required(),
            Category::new("statistics", "Usage statistics"),
            Category::new("ads", "Ads").shares_data(),
        ],
        google_consent_mode: Some(GoogleConsentMode {
            map: Map::from([("statistics", vec![ConsentType::AnalyticsStorage])]),
            ..GoogleConsentMode::default()
        }),
        receipt_endpoint: Some("/consent/receipts".into()),
        ..Config::default()
    }
    .validated()
    .unwrap();
    let html = render(config, false);
    assert!(html.contains("essential: on, statistics: off"), "{html}");
}

#[test]
fn the_hook_outside_a_provider_is_undecided_on_the_server_too() {
    let html = futures::executor::block_on(LocalServerRenderer::<Status>::new().render());
    assert!(html.contains(r#"data-decided="false""#), "{html}");
    assert!(html.contains("essential: off, statistics: off"), "{html}");
}
