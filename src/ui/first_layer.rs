use yew::prelude::*;

use super::focus;
use super::summary::summary;
use crate::core::config::Layout;
use crate::core::texts::ResolvedTexts;

/// Props of [`FirstLayer`].
///
/// Given as attributes in `html!` (see [`FirstLayer`]), or built to render the leaf alone:
///
/// ```
/// use std::rc::Rc;
/// use consent_banner::config::Config;
/// use consent_banner::texts::resolve;
/// use consent_banner::ui::FirstLayerProps;
///
/// let props = FirstLayerProps {
///     texts: Rc::new(resolve(&Config::default(), "en")),
///     policy_url: "/privacy-policy".into(),
///     gpc: false,
///     layout: Default::default(),
///     blocking: false,
///     on_accept: Default::default(),
///     on_reject: Default::default(),
///     on_preferences: Default::default(),
/// };
/// // yew::Renderer::<FirstLayer>::with_root_and_props(root, props).render();
/// ```
#[derive(Properties)]
pub struct FirstLayerProps {
    /// Texts in the chosen language (compared by address).
    pub texts: std::rc::Rc<ResolvedTexts>,
    /// Link to the full policy.
    pub policy_url: AttrValue,
    /// Show the note that the browser's Global Privacy Control signal was honoured.
    #[prop_or_default]
    pub gpc: bool,
    /// Where it sits on the screen.
    #[prop_or_default]
    pub layout: Layout,
    /// A modal dialog that keeps the page inert, instead of a non-modal region.
    #[prop_or_default]
    pub blocking: bool,
    /// Accept all was pressed.
    pub on_accept: Callback<()>,
    /// Decline all was pressed.
    pub on_reject: Callback<()>,
    /// Preferences was pressed.
    pub on_preferences: Callback<()>,
}

// The texts are compared by address (the banner derives them once per config); every field is
// named, so a new one cannot be left out.
impl PartialEq for FirstLayerProps {
    fn eq(&self, other: &Self) -> bool {
        let Self {
            texts,
            policy_url,
            gpc,
            layout,
            blocking,
            on_accept,
            on_reject,
            on_preferences,
        } = self;
        std::rc::Rc::ptr_eq(texts, &other.texts)
            && *policy_url == other.policy_url
            && *gpc == other.gpc
            && *layout == other.layout
            && *blocking == other.blocking
            && *on_accept == other.on_accept
            && *on_reject == other.on_reject
            && *on_preferences == other.on_preferences
    }
}

/// The first layer: the policy summary, a link to the full policy, and three buttons of equal
/// weight. Non-modal by default: a labelled region that leaves the page usable, and that moves out
/// of the way when the page's focused element would be under it; a manual popover, in the top
/// layer. Blocking: a modal dialog.
///
/// The leaves are for an app that builds its own banner around [`crate::core::banner::Banner`];
/// most apps render [`super::ConsentProvider`], which holds them.
///
/// ```
/// use consent_banner::config::Config;
/// use consent_banner::texts::resolve;
/// use consent_banner::ui::FirstLayer;
/// use yew::prelude::*;
///
/// #[component]
/// fn MyFirstLayer() -> Html {
///     let texts = use_memo((), |()| resolve(&Config::default(), "en"));
///     let decided = Callback::from(|()| { /* Banner::decide ... */ });
///     html! {
///         <FirstLayer {texts} policy_url="/privacy-policy" on_accept={decided.clone()}
///             on_reject={decided} on_preferences={Callback::from(|()| {})} />
///     }
/// }
/// ```
#[component]
pub fn FirstLayer(props: &FirstLayerProps) -> Html {
    let texts = &props.texts;
    let node = use_node_ref();
    let default_edge = match props.layout {
        Layout::Top => "top",
        Layout::Center => "center",
        Layout::Bottom | Layout::Corner => "bottom",
    };
    let edge = use_state(|| default_edge);
    {
        let node = node.clone();
        let edge = edge.clone();
        use_effect_with(props.blocking, move |blocking| {
            use wasm_bindgen::{closure::Closure, JsCast};
            let document = web_sys::window().and_then(|w| w.document());
            let mut listener = None;
            if *blocking {
                focus::open_modal(&node, "#cb-title");
            } else if let Some(document) = &document {
                if let Some(element) = node.cast::<web_sys::Element>() {
                    focus::show_popover(&element);
                }
                let closure = Closure::<dyn Fn(web_sys::FocusEvent)>::new(
                    move |event: web_sys::FocusEvent| {
                        let target = event
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
                        let (node, edge) = (node.clone(), edge.clone());
                        // After the browser's own scrolling of the focused element into view.
                        crate::web::dom::later(move || {
                            let banner = node.cast::<web_sys::Element>();
                            if let (Some(banner), Some(target)) = (banner, target) {
                                if let Some(to) = focus::make_room(&banner, &target, true) {
                                    // Moved: scroll again once it is drawn at the other edge.
                                    edge.set(to);
                                    crate::web::dom::later(move || {
                                        focus::make_room(&banner, &target, false);
                                    });
                                }
                            }
                        });
                    },
                );
                let _ = document
                    .add_event_listener_with_callback("focusin", closure.as_ref().unchecked_ref());
                listener = Some(closure);
            }
            move || {
                if let (Some(document), Some(closure)) = (document, listener) {
                    let _ = document.remove_event_listener_with_callback(
                        "focusin",
                        closure.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    let click = |callback: &Callback<()>| callback.reform(|_: MouseEvent| ());
    let content = html! {
        <>
            <h2 id="cb-title" class="title" tabindex="-1">{texts.title.clone()}</h2>
            <div class="summary">{summary(&texts.summary)}</div>
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
        </>
    };
    // The layout as a data attribute, not a second class: a computed `class` makes Yew build a
    // `Classes` set (an index map with hashing, ~3 KB of wasm).
    let layout = props.layout.name();
    if props.blocking {
        // The user must decide: Escape does not close it, and a forced close reopens it.
        let onkeydown = {
            let node = node.clone();
            Callback::from(move |event: KeyboardEvent| match event.key().as_str() {
                "Escape" => event.prevent_default(),
                "Tab" => focus::trap_tab(&node, &event),
                _ => {}
            })
        };
        let oncancel = Callback::from(|event: Event| event.prevent_default());
        let onclose = {
            let node = node.clone();
            Callback::from(move |_: Event| {
                if node.get().is_some_and(|n| n.is_connected()) {
                    focus::open_modal(&node, "#cb-title");
                }
            })
        };
        html! {
            <dialog class="banner" data-layout={layout} data-edge={*edge} role="dialog" aria-modal="true" aria-labelledby="cb-title"
                ref={node} {onkeydown} {oncancel} {onclose}>
                {content}
            </dialog>
        }
    } else {
        html! {
            <section class="banner" popover="manual" data-layout={layout} data-edge={*edge} role="region" aria-labelledby="cb-title" ref={node}>
                {content}
            </section>
        }
    }
}
