//! The smallest Yew banner: see Cargo.toml.
use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[component]
fn Banner() -> Html {
    let open = use_state(|| true);
    let preferences = use_state(|| false);
    if !*open {
        return html! {};
    }
    let close = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(false))
    };
    let toggle = {
        let preferences = preferences.clone();
        Callback::from(move |_: MouseEvent| preferences.set(!*preferences))
    };
    html! {
        <div class="banner" role="region" aria-label="Cookie consent">
            <p>{ "We use cookies." }</p>
            <button onclick={close.clone()}>{ "Accept" }</button>
            <button onclick={close}>{ "Decline" }</button>
            <button onclick={toggle}>{ "Preferences" }</button>
            if *preferences {
                <dialog open=true><label><input type="checkbox" />{ "Statistics" }</label></dialog>
            }
        </div>
    }
}

/// Renders the banner into `<body>`.
#[wasm_bindgen]
pub fn mount() {
    if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
        yew::Renderer::<Banner>::with_root(body.into()).render();
    }
}
