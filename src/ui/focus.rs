//! Focus and the top layer, shared by the components: modal dialogs (open in the top layer so the
//! page is inert, move focus in, keep Tab inside), non-modal popovers (the first layer, the reopen
//! button: in the top layer, so nothing in the page covers them) and keeping the page's focused
//! element out from under the non-modal banner.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlDialogElement, HtmlElement, ScrollBehavior, ScrollToOptions};
use yew::prelude::*;

const FOCUSABLE: &str = "button:not([disabled]), input:not([disabled]), a[href]";

/// Opens the `<dialog>` behind `dialog` as a modal (top layer, rest of the page inert), or as a
/// plain open element where `showModal` is missing or refused, then focuses `focus` inside it.
pub(crate) fn open_modal(dialog: &NodeRef, focus: &str) {
    let Some(element) = dialog.cast::<Element>() else {
        return;
    };
    let modal = element
        .dyn_ref::<HtmlDialogElement>()
        .is_some_and(|d| d.open() || d.show_modal().is_ok());
    if !modal {
        let _ = element.set_attribute("open", "");
    }
    crate::web::dom::focus_first(&element, focus);
}

/// Shows `element` (a `popover="manual"`) in the top layer, above anything the page can stack,
/// transform or clip. Where popovers are unknown or the browser refuses, the attribute goes and
/// the element stays what its styles make it (`position: fixed`).
pub(crate) fn show_popover(element: &Element) {
    let Some(element) = element.dyn_ref::<HtmlElement>() else {
        return;
    };
    if element.matches(":popover-open").unwrap_or(false) {
        return;
    }
    if element.show_popover().is_err() {
        let _ = element.remove_attribute("popover");
    }
}

/// [`show_popover`] for every popover inside `root`.
pub(crate) fn show_popovers(root: &Element) {
    if let Ok(list) = root.query_selector_all("[popover]") {
        for i in 0..list.length() {
            if let Some(element) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                show_popover(&element);
            }
        }
    }
}

/// The element that has focus, looking inside open shadow roots.
pub(crate) fn active_element() -> Option<Element> {
    let mut active = web_sys::window()?.document()?.active_element()?;
    while let Some(inner) = active.shadow_root().and_then(|s| s.active_element()) {
        active = inner;
    }
    Some(active)
}

/// Moves focus to `element` when it is still in the document (and not `<body>`); `false` otherwise.
pub(crate) fn refocus(element: &Element) -> bool {
    let body = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body());
    if !element.is_connected() || body.is_some_and(|b| AsRef::<Element>::as_ref(&b) == element) {
        return false;
    }
    element
        .dyn_ref::<HtmlElement>()
        .is_some_and(|e| e.focus().is_ok())
}

/// Keeps Tab and Shift+Tab inside `dialog`, wrapping at both ends.
pub(crate) fn trap_tab(dialog: &NodeRef, event: &KeyboardEvent) {
    let Some(dialog) = dialog.cast::<Element>() else {
        return;
    };
    let Ok(list) = dialog.query_selector_all(FOCUSABLE) else {
        return;
    };
    let focusable: Vec<HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into().ok())
        .collect();
    let (Some(first), Some(last)) = (focusable.first(), focusable.last()) else {
        return;
    };
    let active = active_element();
    let at = |element: &HtmlElement| {
        active
            .as_ref()
            .is_some_and(|a| a == AsRef::<Element>::as_ref(element))
    };
    let inside = focusable.iter().any(at);
    if event.shift_key() && (at(first) || !inside) {
        event.prevent_default();
        let _ = last.focus();
    } else if !event.shift_key() && (at(last) || !inside) {
        event.prevent_default();
        let _ = first.focus();
    }
}

/// Makes sure the non-modal banner does not cover `target`, the element of the page that just got
/// focus: first by scrolling the page away from the edge the banner sits at (`data-edge`), then (when `may_move` and the page cannot scroll far enough,
/// at its end or under a fixed element) by returning the window edge, `"top"` or `"bottom"`, that
/// the banner must move to. `None` when the element is clear.
pub(crate) fn make_room(
    banner: &Element,
    target: &Element,
    may_move: bool,
) -> Option<&'static str> {
    let window = web_sys::window()?;
    let own = banner
        .get_root_node()
        .dyn_into::<web_sys::ShadowRoot>()
        .is_ok_and(|root| &root.host() == target);
    if own || banner.contains(Some(target)) {
        return None;
    }
    let b = banner.get_bounding_client_rect();
    let covered = |r: &web_sys::DomRect| {
        r.bottom() > b.top() && r.top() < b.bottom() && r.right() > b.left() && r.left() < b.right()
    };
    let r = target.get_bounding_client_rect();
    if !covered(&r) {
        return None;
    }
    // Scroll the element clear of the banner, with 8 px to spare.
    let banner_below = match banner.get_attribute("data-edge").as_deref().unwrap_or("") {
        "bottom" => true,
        "top" => false,
        _ => b.top() + b.bottom() > r.top() + r.bottom(),
    };
    let options = ScrollToOptions::new();
    options.set_top(if banner_below {
        r.bottom() - b.top() + 8.0
    } else {
        r.top() - b.bottom() - 8.0
    });
    options.set_behavior(ScrollBehavior::Instant);
    window.scroll_by_with_scroll_to_options(&options);
    let r = target.get_bounding_client_rect();
    if !may_move || !covered(&r) {
        return None;
    }
    Some(if banner_below { "top" } else { "bottom" })
}
