use yew::prelude::*;

use crate::core::config::Side;

/// Props of [`ReopenButton`].
#[derive(Properties, PartialEq)]
pub struct ReopenButtonProps {
    /// Accessible label and tooltip.
    pub label: AttrValue,
    /// The side of the window it sits on.
    #[prop_or_default]
    pub side: Side,
    /// Pressed.
    pub on_open: Callback<()>,
}

/// The small floating button that reopens the preferences: withdrawal is always one click away.
/// A manual popover, in the top layer: nothing in the page covers it.
#[component]
pub fn ReopenButton(props: &ReopenButtonProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect(move || {
            if let Some(parent) = node.cast::<web_sys::Element>() {
                super::focus::show_popovers(&parent);
            }
        });
    }
    html! {
        <span ref={node}>{reopen_button(&props.label, props.side, &props.on_open)}</span>
    }
}

/// The reopen button's nodes, for a parent's `view` (no component of its own: a component costs
/// ~1 KB of wasm).
pub(crate) fn reopen_button(label: &str, side: Side, on_open: &Callback<()>) -> Html {
    let label = AttrValue::from(label.to_string());
    html! {
        <button type="button" class="reopen" popover="manual" data-side={side.name()} data-action="reopen" aria-label={label.clone()}
            title={label.clone()} onclick={on_open.reform(|_: MouseEvent| ())}>
            <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
                <path fill="currentColor" d="M12 2a10 10 0 1 0 10 10 4 4 0 0 1-5-5 4 4 0 0 1-5-5zm-4.5 9a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3zm3 5a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3zm5-1a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3zM9 6.5a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3z"/>
            </svg>
        </button>
    }
}
