use yew::prelude::*;

use super::Summary;
use crate::texts::ResolvedTexts;

/// Props of [`FirstLayer`].
#[derive(Properties, PartialEq)]
pub struct FirstLayerProps {
    /// Texts in the chosen language.
    pub texts: std::rc::Rc<ResolvedTexts>,
    /// Link to the full policy.
    pub policy_url: AttrValue,
    /// Show the note that the browser's Global Privacy Control signal was honoured.
    #[prop_or_default]
    pub gpc: bool,
    /// Accept all was pressed.
    pub on_accept: Callback<()>,
    /// Decline all was pressed.
    pub on_reject: Callback<()>,
    /// Preferences was pressed.
    pub on_preferences: Callback<()>,
}

/// The first layer: the policy summary, a link to the full policy, and three buttons of equal
/// weight. Non-modal: a labelled region that leaves the page usable.
#[component]
pub fn FirstLayer(props: &FirstLayerProps) -> Html {
    let texts = &props.texts;
    let click = |callback: &Callback<()>| callback.reform(|_: MouseEvent| ());
    html! {
        <section class="banner" role="region" aria-labelledby="cb-title">
            <h2 id="cb-title" class="title">{texts.title.clone()}</h2>
            <div class="summary"><Summary text={texts.summary.clone()} /></div>
            if props.gpc {
                <p class="gpc" role="note">{texts.gpc_notice.clone()}</p>
            }
            <p class="policy">
                <a href={props.policy_url.clone()} target="_blank" rel="noopener">{texts.policy_link.clone()}</a>
            </p>
            <div class="actions">
                <button type="button" class="btn" data-action="accept" onclick={click(&props.on_accept)}>
                    {texts.accept_all.clone()}
                </button>
                <button type="button" class="btn" data-action="reject" onclick={click(&props.on_reject)}>
                    {texts.reject_all.clone()}
                </button>
                <button type="button" class="btn" data-action="preferences" onclick={click(&props.on_preferences)}>
                    {texts.preferences.clone()}
                </button>
            </div>
        </section>
    }
}
