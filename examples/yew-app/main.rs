//! A Yew app that renders the consent banner as a component, with the same behaviour as the
//! script-tag build: the decision is stored under the same key, `consent:change` is dispatched on
//! `window`, and `on_change` hands the app the same detail.
//!
//! ```sh
//! cargo build --release --example yew-app --target wasm32-unknown-unknown
//! wasm-bindgen --target web --out-dir examples/yew-app/pkg \
//!   target/wasm32-unknown-unknown/release/examples/yew-app.wasm
//! node scripts/serve.mjs --root examples/yew-app   # then open http://127.0.0.1:8080/
//! ```

use std::rc::Rc;

use consent_banner::config::Config;
use consent_banner::events::ConsentDetail;
use consent_banner::ui::ConsentBanner;
use yew::prelude::*;

/// The site's config, as a site owner would write it for the script tag.
const CONFIG: &str = r#"{
  "revision": 1,
  "policyUrl": "/privacy-policy",
  "receiptEndpoint": "/consent/receipts"
}"#;

#[component]
fn App() -> Html {
    let config = use_memo((), |()| {
        Config::from_json(CONFIG).unwrap_or_else(|error| {
            // Fail closed: log the field-named message, fall back to the seed policy.
            consent_banner::dom::report_error(error.into());
            Config::default()
        })
    });
    let statistics = use_state(|| false);
    let on_change = {
        let statistics = statistics.clone();
        Callback::from(move |detail: ConsentDetail| {
            // Start or stop the app's own statistics here.
            statistics.set(detail.categories.get("statistics") == Some(&true));
        })
    };
    html! {
        <>
            <style>{consent_banner::dom::STYLES}</style>
            <main>
                <h1>{"A Yew app"}</h1>
                <p id="statistics">
                    {if *statistics { "Usage statistics: on" } else { "Usage statistics: off" }}
                </p>
            </main>
            <ConsentBanner config={Rc::clone(&config)} {on_change} />
        </>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
