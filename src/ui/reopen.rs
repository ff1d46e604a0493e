use yew::prelude::*;

use crate::core::config::Side;

/// The small floating button that reopens the preferences: withdrawal is always one click away.
/// A manual popover, in the top layer: nothing in the page covers it (the parent shows it, see
/// `focus::show_popovers`). Nodes for a parent's `view`, no component of its own (a component
/// costs ~1 KB of wasm).
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
