//! A Yew app with the consent banner: [`ConsentProvider`] renders it in its own shadow root (the
//! app's CSS and the banner's stay apart) and [`use_consent`] gives any component the current
//! decision, from the first render on (after a reload with a stored decision, "on" at once).
//!
//! ```sh
//! bash scripts/build-example.sh      # builds examples/yew-app/pkg/
//! node scripts/serve.mjs --root examples/yew-app   # then open http://127.0.0.1:8080/
//! ```

use std::rc::Rc;

use consent_banner::config::Config;
use consent_banner::events::ConsentDetail;
use consent_banner::ui::{use_consent, ConsentProvider};
use yew::prelude::*;

/// The site's config, as a site owner would write it for the script tag. (No `receiptEndpoint`:
/// this example has no consent log to send receipts to.)
const CONFIG: &str = r#"{
  "revision": 1,
  "policyUrl": "/privacy-policy"
}"#;

/// The app's statistics line and its "Cookie settings" button, both from the hook.
#[component]
fn Statistics() -> Html {
    let consent = use_consent();
    let on = consent.allows("statistics");
    let settings = {
        let consent = consent.clone();
        Callback::from(move |_: MouseEvent| consent.show_preferences())
    };
    html! {
        <>
            <p id="statistics">
                {if on { "Usage statistics: on" } else { "Usage statistics: off" }}
            </p>
            <button type="button" class="btn" id="cookie-settings" onclick={settings}>
                {"Cookie settings"}
            </button>
        </>
    }
}

#[component]
fn App() -> Html {
    // One `Rc<Config>` for the app's life: the provider compares it by address.
    let config: Rc<Config> = use_memo((), |()| {
        Config::from_json(CONFIG).unwrap_or_else(|error| {
            // Fail closed: log the field-named message, fall back to the seed policy.
            consent_banner::dom::report_error(error.into());
            Config::default()
        })
    });
    // Start or stop the app's own statistics on a change (not at start: the hook has that).
    let on_change = Callback::from(|detail: ConsentDetail| {
        let _statistics = detail.categories.get("statistics") == Some(&true);
    });
    html! {
        <ConsentProvider {config} {on_change}>
            <main>
                <h1 class="title">{"A Yew app"}</h1>
                <Statistics />
            </main>
        </ConsentProvider>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
