use std::rc::Rc;

use yew::prelude::*;

use super::focus;
use crate::core::map::Map;
use crate::core::texts::ResolvedTexts;

/// One category as shown in the preferences.
///
/// ```
/// use consent_banner::config::Config;
/// use consent_banner::texts::resolve;
/// use consent_banner::ui::CategoryRow;
///
/// let config = Config::default();
/// let texts = resolve(&config, "en");
/// let rows: Vec<CategoryRow> = config
///     .categories
///     .iter()
///     .zip(&texts.categories)
///     .map(|(category, (label, description))| CategoryRow {
///         id: category.id.clone(),
///         label: label.clone(),
///         description: description.clone(),
///         required: category.required,
///         on: category.required,
///     })
///     .collect();
/// assert_eq!(rows[0].label, "Essential");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryRow {
    /// Category id.
    pub id: String,
    /// Label in the chosen language.
    pub label: String,
    /// Description in the chosen language.
    pub description: String,
    /// Always on, not operable.
    pub required: bool,
    /// Current decision (pre-filled; `false` when the user never accepted it).
    pub on: bool,
}

/// Props of [`Preferences`].
///
/// Given as attributes in `html!` (see [`Preferences`]), or built to render the leaf alone:
///
/// ```
/// use std::rc::Rc;
/// use consent_banner::config::Config;
/// use consent_banner::texts::resolve;
/// use consent_banner::ui::PreferencesProps;
///
/// let props = PreferencesProps {
///     texts: Rc::new(resolve(&Config::default(), "en")),
///     rows: Rc::new(Vec::new()),
///     on_save: Default::default(),
///     on_accept: Default::default(),
///     on_reject: Default::default(),
///     on_close: Default::default(),
/// };
/// ```
#[derive(Properties)]
pub struct PreferencesProps {
    /// Texts in the chosen language (compared by address).
    pub texts: Rc<ResolvedTexts>,
    /// The categories with their current decisions.
    pub rows: Rc<Vec<CategoryRow>>,
    /// Save choices was pressed, with the switches' states.
    pub on_save: Callback<Map<bool>>,
    /// Accept all was pressed.
    pub on_accept: Callback<()>,
    /// Decline all was pressed.
    pub on_reject: Callback<()>,
    /// Closed without deciding (close button or Escape).
    pub on_close: Callback<()>,
}

// The texts are compared by address (the banner derives them once per config); every field is
// named, so a new one cannot be left out.
impl PartialEq for PreferencesProps {
    fn eq(&self, other: &Self) -> bool {
        let Self {
            texts,
            rows,
            on_save,
            on_accept,
            on_reject,
            on_close,
        } = self;
        Rc::ptr_eq(texts, &other.texts)
            && *rows == other.rows
            && *on_save == other.on_save
            && *on_accept == other.on_accept
            && *on_reject == other.on_reject
            && *on_close == other.on_close
    }
}

/// The preferences: a modal dialog (the page is inert behind it) with one switch per category.
/// Focus moves to its heading on open; Tab is trapped inside; Escape closes. Required categories
/// show as always on and cannot be operated.
///
/// ```
/// use consent_banner::config::Config;
/// use consent_banner::map::Map;
/// use consent_banner::texts::resolve;
/// use consent_banner::ui::{CategoryRow, Preferences};
/// use yew::prelude::*;
///
/// #[component]
/// fn MyPreferences() -> Html {
///     let texts = use_memo((), |()| resolve(&Config::default(), "en"));
///     let rows = use_memo((), |()| {
///         let row = |id: &str, label: &str, required| CategoryRow {
///             id: id.into(),
///             label: label.into(),
///             description: String::new(),
///             required,
///             on: required,
///         };
///         vec![row("essential", "Essential", true), row("statistics", "Usage statistics", false)]
///     });
///     let on_save = Callback::from(|_choices: Map<bool>| { /* Action::Set(choices) */ });
///     let done = Callback::from(|()| {});
///     html! {
///         <Preferences {texts} {rows} {on_save} on_accept={done.clone()} on_reject={done.clone()}
///             on_close={done} />
///     }
/// }
/// ```
#[component]
pub fn Preferences(props: &PreferencesProps) -> Html {
    let draft = use_state(|| {
        crate::core::consent::decisions(
            props
                .rows
                .iter()
                .map(|row| (row.id.clone(), row.on || row.required)),
        )
    });
    let dialog = use_node_ref();
    {
        let dialog = dialog.clone();
        use_effect_with((), move |_| focus::open_modal(&dialog, "#cb-prefs-title"));
    }
    let texts = &props.texts;

    let onkeydown = {
        let on_close = props.on_close.clone();
        let dialog = dialog.clone();
        Callback::from(move |event: KeyboardEvent| match event.key().as_str() {
            "Escape" => {
                event.prevent_default();
                on_close.emit(());
            }
            "Tab" => focus::trap_tab(&dialog, &event),
            _ => {}
        })
    };
    // The browser's own close request (Escape on some platforms) closes it the same way.
    let oncancel = props
        .on_close
        .reform(|event: Event| event.prevent_default());
    let save = {
        let draft = draft.clone();
        props.on_save.reform(move |_: MouseEvent| (*draft).clone())
    };
    let toggle = |id: String| {
        let draft = draft.clone();
        Callback::from(move |_: Event| {
            let mut next = (*draft).clone();
            if let Some(on) = next.get_mut(&id) {
                *on = !*on;
            }
            draft.set(next);
        })
    };
    html! {
        <dialog class="dialog" role="dialog" aria-modal="true" aria-labelledby="cb-prefs-title"
            ref={dialog} {onkeydown} {oncancel}>
            <div class="dialog-head">
                <h2 id="cb-prefs-title" class="title" tabindex="-1">{texts.preferences_title.clone()}</h2>
                <button type="button" class="close" data-action="close" aria-label={texts.close.clone()}
                    onclick={props.on_close.reform(|_: MouseEvent| ())}>
                    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
                        <path d="M3 3l10 10M13 3L3 13" stroke="currentColor" stroke-width="2" />
                    </svg>
                </button>
            </div>
            <ul class="categories">
                { for props.rows.iter().map(|row| {
                    let input_id = "cb-cat-".to_string() + &row.id;
                    let desc_id = "cb-desc-".to_string() + &row.id;
                    let on = row.required || draft.get(&row.id).copied().unwrap_or(false);
                    html! {
                        <li class="category" data-category={row.id.clone()}>
                            <div class="category-head">
                                <label for={input_id.clone()}>{row.label.clone()}</label>
                                if row.required {
                                    <span class="always-on">{texts.always_on.clone()}</span>
                                }
                                <input type="checkbox" role="switch" class="switch" id={input_id}
                                    aria-describedby={desc_id.clone()} checked={on} disabled={row.required}
                                    onchange={toggle(row.id.clone())} />
                            </div>
                            <p id={desc_id} class="description">{row.description.clone()}</p>
                        </li>
                    }
                }) }
            </ul>
            <div class="actions">
                <button type="button" class="btn" data-action="save" onclick={save}>{texts.save.clone()}</button>
                <button type="button" class="btn" data-action="accept"
                    onclick={props.on_accept.reform(|_: MouseEvent| ())}>{texts.accept_all.clone()}</button>
                <button type="button" class="btn" data-action="reject"
                    onclick={props.on_reject.reform(|_: MouseEvent| ())}>{texts.reject_all.clone()}</button>
            </div>
        </dialog>
    }
}
