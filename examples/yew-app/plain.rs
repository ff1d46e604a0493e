//! The example app without the banner: the baseline of the size that the banner adds to a Yew
//! app (BENCHMARKS.md, "The banner in a Yew app"; `bash scripts/build-example.sh --sizes`). The
//! same markup, with the statistics line fixed at "off" and a button that does nothing.

use yew::prelude::*;

#[component]
fn App() -> Html {
    let settings = Callback::from(|_: MouseEvent| ());
    html! {
        <main>
            <h1 class="title">{"A Yew app"}</h1>
            <p id="statistics">{"Usage statistics: off"}</p>
            <button type="button" class="btn" id="cookie-settings" onclick={settings}>
                {"Cookie settings"}
            </button>
        </main>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
