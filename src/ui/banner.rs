use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::reopen::reopen_button;
use super::{focus, CategoryRow, FirstLayer, Preferences};
use crate::config::Config;
use crate::consent::{accepted, changed, decide, Action};
use crate::cookies;
use crate::dom;
use crate::events::{self, ConsentDetail};
use crate::gpc;
use crate::map::{Map, Set};
use crate::receipt::{Receipt, Shown};
use crate::record::{ConsentRecord, Source, Stored};
use crate::storage::RecordStore;
use crate::texts::{choose_language, resolve, ResolvedTexts};

/// What the banner shows when it mounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InitialView {
    /// The first layer when there is no valid decision, else nothing (or the reopen button).
    #[default]
    Auto,
    /// The preferences dialog.
    Preferences,
    /// Nothing but the reopen button: for API calls on a page whose decision is known.
    Closed,
}

/// An order from outside the component tree (the loader's API, another tab).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Show the first layer.
    Show,
    /// Show the preferences.
    ShowPreferences,
    /// Close whatever is open.
    Hide,
    /// Decide, as if the user had pressed a button (source `api`).
    Decide(Action),
    /// Forget the stored decision and show the first layer again.
    Reset,
    /// Re-read the stored record (changed by another tab) and close when it is valid.
    Sync,
}

/// A handle to send [`Command`]s to a mounted [`ConsentBanner`]. Clones share the same banner.
#[derive(Clone, Default)]
pub struct Commands(
    Rc<RefCell<Option<Callback<Command>>>>,
    Rc<RefCell<Vec<Command>>>,
);

impl Commands {
    /// Sends a command; kept in order until the banner has mounted (its first render is
    /// scheduled after `mount` returns, and an API call can come in between), then run.
    pub fn send(&self, command: Command) {
        let callback = self.0.borrow().clone();
        match callback {
            Some(callback) => callback.emit(command),
            None => self.1.borrow_mut().push(command),
        }
    }

    fn connect(&self, callback: Callback<Command>) {
        *self.0.borrow_mut() = Some(callback.clone());
        let pending = std::mem::take(&mut *self.1.borrow_mut());
        for command in pending {
            callback.emit(command);
        }
    }
}

impl PartialEq for Commands {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Props of [`ConsentBanner`].
#[derive(Properties)]
pub struct ConsentBannerProps {
    /// The validated configuration. Compared by address: pass the same `Rc` on every render (a
    /// new one, even of an equal config, makes the banner derive its texts again).
    pub config: Rc<Config>,
    /// Called after every change, once the decision is saved (same detail as `consent:change`).
    #[prop_or_default]
    pub on_change: Callback<ConsentDetail>,
    /// What to show first.
    #[prop_or_default]
    pub initial: InitialView,
    /// Handle for orders from outside the component.
    #[prop_or_default]
    pub commands: Commands,
}

// The config is compared by address, not field by field: the same `Rc` is the same config (a
// derived deep comparison of the config and the texts costs ~2 KB of wasm, see BENCHMARKS.md).
// Every field is named, so a new one cannot be left out.
impl PartialEq for ConsentBannerProps {
    fn eq(&self, other: &Self) -> bool {
        let Self {
            config,
            on_change,
            initial,
            commands,
        } = self;
        Rc::ptr_eq(config, &other.config)
            && *on_change == other.on_change
            && *initial == other.initial
            && *commands == other.commands
    }
}

/// An `Rc` compared by address: the memo key of what is derived from the config or the texts.
#[derive(Clone)]
struct Same<T>(Rc<T>);

impl<T> PartialEq for Same<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Where focus goes after the next render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FocusAfter {
    /// Back to the element focused before the preferences opened, else its replacement.
    Return,
    /// The focused element is gone: to the first layer's Preferences button or the reopen button.
    Replacement,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    FirstLayer,
    Preferences,
    Closed,
}

struct Model {
    record: Option<ConsentRecord>,
    view: View,
    persisted: bool,
}

/// The consent banner: reads the stored decision, shows the first layer or the preferences, and
/// on a decision saves the record, then dispatches `consent:change` and calls `on_change`.
#[component]
pub fn ConsentBanner(props: &ConsentBannerProps) -> Html {
    let config = props.config.clone();
    let store = use_memo(config.storage_key.clone(), |key| RecordStore::open(key));
    let texts: Rc<ResolvedTexts> = use_memo(Same(config.clone()), |Same(config)| {
        let language = choose_language(
            config,
            dom::page_language().as_deref(),
            &dom::browser_languages(),
        );
        resolve(config, &language)
    });
    // Consent receipts and Global Privacy Control (README: "Consent receipts", "Global Privacy Control").
    // The digest of the texts shown is computed only when receipts are sent.
    let shown = use_memo(
        (Same(config.clone()), Same(texts.clone())),
        |(Same(config), Same(texts))| {
            config
                .receipt_endpoint
                .as_ref()
                .map(|_| Shown::new(config, texts))
        },
    );
    let gpc_declined = use_memo(Same(config.clone()), |Same(config)| {
        gpc::declined(config, dom::global_privacy_control())
    });
    let send_receipt = {
        let endpoint = config.receipt_endpoint.clone();
        Rc::new(move |receipt: Option<Receipt>| {
            if let (Some(endpoint), Some(receipt)) = (&endpoint, receipt) {
                dom::send_beacon(endpoint, &receipt.to_json());
            }
        })
    };
    let model = use_mut_ref(|| {
        let stored = store.read();
        if let Stored::Corrupt(reason) = &stored {
            dom::report_error(
                "record",
                "record: ignored the stored decision (".to_string() + reason + ")",
            );
        }
        let record = stored.valid_record(&config, dom::now_ms()).cloned();
        let view = match (props.initial, &record) {
            (InitialView::Preferences, _) => View::Preferences,
            (InitialView::Closed, _) | (InitialView::Auto, Some(_)) => View::Closed,
            (InitialView::Auto, None) => View::FirstLayer,
        };
        Model {
            record,
            view,
            persisted: store.is_available(),
        }
    });
    let rerender = use_force_update();
    let root = use_node_ref();
    // Focus: the element focused before the preferences opened, and what to do after a render.
    // (At mount too: the loader may mount straight into the preferences from a page link.)
    let focus_before = use_mut_ref(focus::active_element);
    let focus_after = use_mut_ref(|| None::<FocusAfter>);
    {
        let root = root.clone();
        let focus_before = focus_before.clone();
        let focus_after = focus_after.clone();
        use_effect(move || {
            let plan = focus_after.borrow_mut().take();
            let Some(root) = root.cast::<web_sys::Element>() else {
                return;
            };
            // The first layer and the reopen button: in the top layer, before focus moves there.
            focus::show_popovers(&root);
            let returned = plan == Some(FocusAfter::Return)
                && focus_before
                    .borrow_mut()
                    .take()
                    .is_some_and(|element| focus::refocus(&element));
            if plan.is_some() && !returned {
                // The element is gone (it was in the banner): its counterpart, else the reopen
                // button: ours, or in the embed the loader's.
                if !dom::focus_first(&root, "[data-action=preferences], [data-action=reopen]") {
                    dom::focus_loader_reopen();
                }
            }
        });
    }

    // Every change of view goes through here, so show/hide events and focus stay exact.
    let set_view = {
        let model = model.clone();
        let rerender = rerender.clone();
        let root = root.clone();
        Rc::new(move |view: View| {
            let before = std::mem::replace(&mut model.borrow_mut().view, view);
            if before == view {
                return;
            }
            let active = focus::active_element();
            if view == View::Preferences {
                *focus_before.borrow_mut() = active;
            } else if before == View::Preferences {
                *focus_after.borrow_mut() = Some(FocusAfter::Return);
            } else if root
                .cast::<web_sys::Element>()
                .is_some_and(|root| root.contains(active.as_ref().map(|a| a.as_ref())))
            {
                // The focused button disappears with the first layer.
                *focus_after.borrow_mut() = Some(FocusAfter::Replacement);
            }
            match (before == View::Closed, view == View::Closed) {
                (true, false) => dom::dispatch(events::SHOW, "{}"),
                (false, true) => dom::dispatch(events::HIDE, "{}"),
                _ => {}
            }
            rerender.force_update();
        })
    };

    let act = {
        let config = config.clone();
        let shown = shown.clone();
        let send_receipt = send_receipt.clone();
        let model = model.clone();
        let store = store.clone();
        let on_change = props.on_change.clone();
        let set_view = set_view.clone();
        Rc::new(move |action: Action, source: Source| {
            let now = dom::now_ms();
            let previous = model.borrow().record.clone();
            let before = accepted(&config, previous.as_ref(), now);
            let record = decide(
                &config,
                previous.as_ref(),
                &action,
                now,
                &dom::random_id(),
                source,
            );
            // Fixed order: save, then emit, then close.
            let persisted = match store.write(&record) {
                Ok(()) => true,
                Err(error) => {
                    dom::report_error("storage", error.message());
                    false
                }
            };
            let after = accepted(&config, Some(&record), now);
            apply_cookies(&config, &record, &after, now);
            let receipt = shown
                .as_ref()
                .as_ref()
                .map(|shown| Receipt::decision(&config, shown, &record, &before));
            let withdrawn = before.difference(&after).next().is_some();
            let detail =
                ConsentDetail::new(&config, Some(&record), changed(&before, &after), persisted);
            {
                let mut model = model.borrow_mut();
                model.record = Some(record);
                model.persisted = persisted;
            }
            dom::dispatch(events::CHANGE, &detail.to_json());
            on_change.emit(detail);
            send_receipt(receipt);
            set_view(View::Closed);
            if withdrawn && config.reload_on_withdraw {
                dom::reload();
            }
        })
    };

    {
        let commands = props.commands.clone();
        let act = act.clone();
        let on_change = props.on_change.clone();
        let gpc_declined = gpc_declined.clone();
        let set_view = set_view.clone();
        let model = model.clone();
        let store = store.clone();
        let config = config.clone();
        let rerender = rerender.clone();
        use_effect_with((), move |_| {
            // No decision yet: the browser's opt-out declines the categories that share data.
            if model.borrow().record.is_none() && !gpc_declined.is_empty() {
                let detail = gpc::detail(&config, store.is_available());
                dom::dispatch(events::CHANGE, &detail.to_json());
                on_change.emit(detail);
                let (id, now) = (dom::random_id(), dom::now_ms());
                send_receipt(
                    shown
                        .as_ref()
                        .as_ref()
                        .map(|shown| Receipt::gpc(&config, shown, &gpc_declined, &id, now)),
                );
            }
            if model.borrow().view != View::Closed {
                dom::dispatch(events::SHOW, "{}");
            }
            commands.connect(Callback::from(move |command| match command {
                Command::Show => set_view(View::FirstLayer),
                Command::ShowPreferences => set_view(View::Preferences),
                Command::Hide => set_view(View::Closed),
                Command::Decide(action) => act(action, Source::Api),
                Command::Reset => {
                    let now = dom::now_ms();
                    let previous = model.borrow_mut().record.take();
                    store.clear();
                    if let Some(mirror) = &config.cookie {
                        let (host, path, _) = dom::location();
                        for deletion in cookies::mirror_deletion(mirror, &host, &path) {
                            dom::set_cookie(&deletion);
                        }
                    }
                    let before = accepted(&config, previous.as_ref(), now);
                    let after = accepted(&config, None, now);
                    let mut detail = ConsentDetail::new(
                        &config,
                        None,
                        changed(&before, &after),
                        store.is_available(),
                    );
                    if !gpc_declined.is_empty() {
                        detail.source = Some(Source::Gpc);
                    }
                    dom::dispatch(events::CHANGE, &detail.to_json());
                    if let Some(previous) = &previous {
                        send_receipt(
                            shown
                                .as_ref()
                                .as_ref()
                                .map(|shown| Receipt::reset(&config, shown, previous, now)),
                        );
                    }
                    set_view(View::FirstLayer);
                    rerender.force_update();
                }
                Command::Sync => {
                    let record = store.read().valid_record(&config, dom::now_ms()).cloned();
                    let decided = record.is_some();
                    model.borrow_mut().record = record;
                    if decided {
                        set_view(View::Closed);
                    }
                    rerender.force_update();
                }
            }));
        });
    }

    let on_accept = {
        let act = act.clone();
        Callback::from(move |()| act(Action::AcceptAll, Source::Banner))
    };
    let on_reject = {
        let act = act.clone();
        Callback::from(move |()| act(Action::RejectAll, Source::Banner))
    };
    let on_save = {
        let act = act.clone();
        Callback::from(move |choices: Map<bool>| act(Action::Set(choices), Source::Banner))
    };
    let open_preferences = {
        let set_view = set_view.clone();
        Callback::from(move |()| set_view(View::Preferences))
    };
    let on_close = {
        let model = model.clone();
        let set_view = set_view.clone();
        Callback::from(move |()| {
            // Closing the preferences without deciding goes back to the first layer.
            let decided = model.borrow().record.is_some();
            set_view(if decided {
                View::Closed
            } else {
                View::FirstLayer
            });
        })
    };

    let model = model.borrow();
    let gpc_notice = model.record.is_none() && !gpc_declined.is_empty();
    let rows: Rc<Vec<CategoryRow>> = Rc::new(
        config
            .categories
            .iter()
            .zip(texts.categories.iter())
            .map(|(category, (label, description))| CategoryRow {
                id: category.id.clone(),
                label: label.clone(),
                description: description.clone(),
                required: category.required,
                on: category.required
                    || model
                        .record
                        .as_ref()
                        .is_some_and(|r| r.categories.get(&category.id) == Some(&true)),
            })
            .collect(),
    );
    let dir = if texts.rtl { "rtl" } else { "ltr" };
    html! {
        <div class="cb" lang={texts.language.clone()} {dir} data-theme={config.theme.name()} ref={root}>
            { match model.view {
                View::FirstLayer => html! {
                    <FirstLayer texts={texts.clone()} policy_url={config.policy_url.clone()} gpc={gpc_notice}
                        layout={config.layout} blocking={config.blocking}
                        {on_accept} {on_reject} on_preferences={open_preferences} />
                },
                View::Preferences => html! {
                    <Preferences texts={texts.clone()} {rows} {on_save} {on_accept} {on_reject} {on_close} />
                },
                View::Closed if config.floating_button && model.record.is_some() => {
                    reopen_button(&texts.reopen, config.floating_button_position, &open_preferences)
                }
                View::Closed => html! {},
            } }
        </div>
    }
}

/// Writes the cookie mirror (when configured) and deletes the cookies of the categories not
/// `accepted`. (Their Web Storage keys, `categories[].storage`, are the loader's to delete, on every
/// page view and change: [`cookies::storage_deletions`] is the rule.)
fn apply_cookies(config: &Config, record: &ConsentRecord, accepted: &Set, now: u64) {
    let (host, path, https) = dom::location();
    if let Some(mirror) = &config.cookie {
        if let Some(cookie) = cookies::mirror(mirror, record, now, https) {
            dom::set_cookie(&cookie);
        }
    }
    let present = cookies::names(&dom::cookie_header());
    for deletion in cookies::deletions(config, accepted, &present, &host, &path) {
        dom::set_cookie(&deletion);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_sent_before_the_banner_connects_run_in_order_once_it_does() {
        let commands = Commands::default();
        commands.send(Command::Decide(Action::AcceptAll));
        commands.send(Command::Decide(Action::RejectAll));
        let seen = Rc::new(RefCell::new(Vec::new()));
        let log = seen.clone();
        commands.connect(Callback::from(move |c| log.borrow_mut().push(c)));
        commands.send(Command::Hide);
        assert_eq!(
            *seen.borrow(),
            [
                Command::Decide(Action::AcceptAll),
                Command::Decide(Action::RejectAll),
                Command::Hide
            ]
        );
    }
}
