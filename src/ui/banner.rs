use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::reopen::reopen_button;
use super::{focus, CategoryRow, FirstLayer, Preferences};
use crate::core::banner::{Banner, Location, Page, Setting, View};
pub use crate::core::banner::{Command, InitialView};
use crate::core::config::{Config, Theme};
use crate::core::consent::Action;
use crate::core::events::{ConsentDetail, ErrorDetail, StorageError};
use crate::core::gpc;
use crate::core::map::Map;
use crate::core::receipt::Shown;
use crate::core::record::Source;
use crate::core::texts::{choose_language, resolve, ResolvedTexts};
use crate::web::{dom, page::WebPage, storage::RecordStore};

/// A handle to send [`Command`]s to a mounted [`ConsentBanner`]. Clones share the same banner.
/// In an app under [`super::ConsentProvider`], [`super::Consent`]'s methods send them.
///
/// ```
/// use consent_banner::ui::{Command, Commands};
///
/// let commands = Commands::default(); // given to the banner as its `commands` prop
/// commands.send(Command::ShowPreferences); // kept until the banner has mounted
/// ```
#[derive(Clone, Default)]
pub struct Commands(
    Rc<RefCell<Option<Callback<Command>>>>,
    Rc<RefCell<Vec<Command>>>,
);

impl Commands {
    /// Sends a command; kept in order until the banner has mounted (its first render is
    /// scheduled after `mount` returns, and an API call can come in between), then run.
    ///
    /// ```
    /// use consent_banner::consent::Action;
    /// use consent_banner::record::Source;
    /// use consent_banner::ui::{Command, Commands};
    ///
    /// let commands = Commands::default();
    /// commands.send(Command::Decide(Action::AcceptAll, Source::Api)); // waits for the banner
    /// ```
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
///
/// ```
/// use std::rc::Rc;
/// use consent_banner::config::Config;
/// use consent_banner::ui::{Commands, ConsentBanner, ConsentBannerProps, InitialView};
///
/// let props = ConsentBannerProps {
///     config: Rc::new(Config::default()),
///     on_change: Default::default(),
///     initial: InitialView::Auto,
///     commands: Commands::default(),
///     events: true,
///     prerendered: false,
/// };
/// // In a browser: yew::Renderer::<ConsentBanner>::with_root_and_props(root, props).render();
/// ```
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
    /// Dispatches `consent:change`, `consent:show`, `consent:hide` and `consent:error` on
    /// `window`, as the embed does. Default `true`; [`super::ConsentProvider`] passes its own
    /// `events` prop (default `false`). Without them an error is still logged on the console.
    #[prop_or(true)]
    pub events: bool,
    /// The page shows a prerendered first layer (README "Prerendered first layer") that the
    /// embed's loader shows and hides: the banner renders no first layer of its own and tells the
    /// loader its view instead. Only the embed sets it. Default `false`.
    #[prop_or_default]
    pub prerendered: bool,
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
            events,
            prerendered,
        } = self;
        Rc::ptr_eq(config, &other.config)
            && *on_change == other.on_change
            && *initial == other.initial
            && *commands == other.commands
            && *events == other.events
            && *prerendered == other.prerendered
    }
}

/// The browser as the banner sees it ([`WebPage`]), with the public events on `window` only when
/// `events` is set.
struct AppPage<'a> {
    web: WebPage<'a>,
    events: bool,
}

impl Page for AppPage<'_> {
    fn now(&self) -> u64 {
        self.web.now()
    }
    fn random_id(&self) -> String {
        self.web.random_id()
    }
    fn persistent(&self) -> bool {
        self.web.persistent()
    }
    fn load(&self) -> Option<String> {
        self.web.load()
    }
    fn store(&self, record_json: &str) -> Result<(), StorageError> {
        self.web.store(record_json)
    }
    fn clear(&self) {
        self.web.clear();
    }
    fn cookies(&self) -> String {
        self.web.cookies()
    }
    fn set_cookie(&self, cookie: &str) {
        self.web.set_cookie(cookie);
    }
    fn location(&self) -> Location {
        self.web.location()
    }
    fn tell(&self, name: &str, text: &str) -> bool {
        self.web.tell(name, text)
    }
    fn dispatch(&self, name: &str, detail_json: &str) {
        if self.events {
            self.web.dispatch(name, detail_json);
        }
    }
    fn changed(&self, detail: ConsentDetail) {
        self.web.changed(detail);
    }
    fn beacon(&self, url: &str, body: &str) {
        self.web.beacon(url, body);
    }
    fn reload(&self) {
        self.web.reload();
    }
    fn report(&self, error: ErrorDetail) {
        if self.events {
            self.web.report(error);
        } else {
            web_sys::console::error_1(&("consent-banner: ".to_string() + &error.message).into());
        }
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

/// Focus across changes of view: the element focused before the preferences opened (at mount
/// too: the loader may mount straight into the preferences from a page link), and what to do
/// after the next render.
#[derive(Clone)]
struct FocusPlan {
    before: Rc<RefCell<Option<web_sys::Element>>>,
    after: Rc<RefCell<Option<FocusAfter>>>,
}

impl FocusPlan {
    /// Notes where focus must go once the view has changed from `before` to `view`.
    fn follow(&self, before: View, view: View, root: &NodeRef) {
        let active = focus::active_element();
        if view == before {
        } else if view == View::Preferences {
            *self.before.borrow_mut() = active;
        } else if before == View::Preferences {
            *self.after.borrow_mut() = Some(FocusAfter::Return);
        } else if root
            .cast::<web_sys::Element>()
            .is_some_and(|root| root.contains(active.as_ref().map(|a| a.as_ref())))
        {
            // The focused button disappears with the first layer.
            *self.after.borrow_mut() = Some(FocusAfter::Replacement);
        }
    }

    /// After a render: the popovers into the top layer, then focus where the plan says.
    fn apply(&self, root: &NodeRef) {
        let plan = self.after.borrow_mut().take();
        let Some(root) = root.cast::<web_sys::Element>() else {
            return;
        };
        // The first layer and the reopen button: in the top layer, before focus moves there.
        focus::show_popovers(&root);
        let returned = plan == Some(FocusAfter::Return)
            && self
                .before
                .borrow_mut()
                .take()
                .is_some_and(|element| focus::refocus(&element));
        // The element is gone (it was in the banner): its counterpart, else the reopen button:
        // ours, or in the embed the loader's.
        if plan.is_some()
            && !returned
            && !dom::focus_first(&root, "[data-action=preferences], [data-action=reopen]")
        {
            dom::focus_loader_reopen();
        }
    }
}

/// The preferences' rows: each category's texts, and its switch as the decision has it.
fn rows(config: &Config, texts: &ResolvedTexts, banner: &Banner) -> Rc<Vec<CategoryRow>> {
    let rows = config.categories.iter().zip(texts.categories.iter());
    Rc::new(
        rows.map(|(category, (label, description))| CategoryRow {
            id: category.id.clone(),
            label: label.clone(),
            description: description.clone(),
            required: category.required,
            on: category.required || banner.is_on(&category.id),
        })
        .collect(),
    )
}

/// The consent banner: the hooks and views around [`Banner`], which holds the state and every
/// transition (`crate::core::banner`). Every button and API call is a [`Command`] run there.
///
/// The bare component, rendered where it is mounted and with no styles of its own: the embed
/// mounts it in its own shadow root. A Yew app renders [`super::ConsentProvider`], which puts it
/// in a shadow root with its stylesheet and gives the app the state ([`super::use_consent`]).
///
/// ```
/// use std::rc::Rc;
/// use consent_banner::config::Config;
/// use consent_banner::ui::{Commands, ConsentBanner};
/// use yew::prelude::*;
///
/// // The bare banner where a component renders it (prefer `ConsentProvider`, which isolates it).
/// #[component]
/// fn Bare() -> Html {
///     let config: Rc<Config> = use_memo((), |()| Config::default());
///     let commands = use_memo((), |()| Commands::default());
///     html! { <ConsentBanner {config} commands={(*commands).clone()} events=false /> }
/// }
/// ```
#[component]
pub fn ConsentBanner(props: &ConsentBannerProps) -> Html {
    let config = props.config.clone();
    let store = use_memo(config.storage_key.clone(), |key| RecordStore::open(key));
    let texts: Rc<ResolvedTexts> = use_memo(Same(config.clone()), |Same(config)| {
        let page_language = dom::page_language();
        let language = choose_language(
            config,
            page_language.as_deref(),
            &dom::browser_languages(),
            &[],
        );
        resolve(config, &language)
    });
    // The digest of the texts shown is computed only when receipts are sent.
    let shown = use_memo(
        (Same(config.clone()), Same(texts.clone())),
        |(Same(c), Same(t))| c.receipt_endpoint.as_ref().map(|_| Shown::new(c, t)),
    );
    let gpc_declined = use_memo(Same(config.clone()), |Same(config)| {
        gpc::declined(config, dom::global_privacy_control())
    });
    let on_change = props.on_change.clone();
    // (The prerendered-only build never draws a first layer: it is compiled out.)
    let (events, prerendered) = (
        props.events,
        props.prerendered || cfg!(feature = "prerendered-only"),
    );
    let banner = use_mut_ref(|| {
        let setting = Setting {
            config: &config,
            shown: None,
            gpc_declined: &gpc_declined,
        };
        let page = AppPage {
            web: WebPage {
                store: &store,
                on_change: &|_| {},
            },
            events: props.events,
        };
        Banner::mount(setting, &page, props.initial)
    });
    let pending = use_mut_ref(Vec::<Command>::new);
    let rerender = use_force_update();
    let root = use_node_ref();
    let focus = use_memo((), |()| FocusPlan {
        before: Rc::new(RefCell::new(focus::active_element())),
        after: Rc::default(),
    });
    {
        let (root, focus) = (root.clone(), focus.clone());
        use_effect(move || focus.apply(&root));
    }

    // Runs a command on the banner, then follows a change of view with focus and a render. A
    // command that arrives while one runs (from an event listener or `on_change`) runs next.
    let run = {
        let (banner, root, rerender) = (banner.clone(), root.clone(), rerender.clone());
        let (config, shown, gpc_declined) = (config.clone(), shown.clone(), gpc_declined.clone());
        Rc::new(move |command: Command| {
            pending.borrow_mut().push(command);
            let Ok(mut banner) = banner.try_borrow_mut() else {
                return;
            };
            let setting = Setting {
                config: &config,
                shown: shown.as_ref().as_ref(),
                gpc_declined: &gpc_declined,
            };
            let emit = |detail| on_change.emit(detail);
            let page = AppPage {
                web: WebPage {
                    store: &store,
                    on_change: &emit,
                },
                events,
            };
            while !pending.borrow().is_empty() {
                let command = pending.borrow_mut().remove(0);
                let before = banner.view;
                let start = matches!(command, Command::Start);
                banner.command(setting, &page, command);
                focus.follow(before, banner.view, &root);
                // The prerendered first layer is the loader's to show and hide.
                if prerendered && (start || banner.view != before) {
                    page.tell("view", banner.view.name());
                }
            }
            drop(banner);
            rerender.force_update();
        })
    };
    {
        let (commands, run) = (props.commands.clone(), run.clone());
        use_effect_with((), move |_| {
            run(Command::Start);
            commands.connect(Callback::from(move |command| run(command)));
        });
    }
    let on = |command: Command| {
        let run = run.clone();
        Callback::from(move |()| run(command.clone()))
    };
    let on_accept = on(Command::Decide(Action::AcceptAll, Source::Banner));
    let on_reject = on(Command::Decide(Action::RejectAll, Source::Banner));
    let open_preferences = on(Command::ShowPreferences);
    let on_close = on(Command::ClosePreferences);
    let on_save = Callback::from(move |choices: Map<bool>| {
        run(Command::Decide(Action::Set(choices), Source::Banner))
    });

    let banner = banner.borrow();
    let rows = rows(&config, &texts, &banner);
    frame(
        &texts,
        config.theme,
        root,
        match banner.view {
            View::FirstLayer if prerendered => html! {},
            View::FirstLayer => html! {
                <FirstLayer texts={texts.clone()} policy_url={config.policy_url.clone()} gpc={banner.gpc_honoured(&gpc_declined)}
                    layout={config.layout} blocking={config.blocking}
                    {on_accept} {on_reject} on_preferences={open_preferences} />
            },
            View::Preferences => html! {
                <Preferences texts={texts.clone()} {rows} {on_save} {on_accept} {on_reject} {on_close} />
            },
            View::Closed if config.floating_button && banner.record.is_some() => reopen_button(
                &texts.reopen,
                config.floating_button_position,
                &open_preferences,
            ),
            View::Closed => html! {},
        },
    )
}

/// The banner's outer element around `content` (the first layer, the preferences or the reopen
/// button): `<div class="cb">` with the texts' `lang` and `dir` and the theme. The prerendered
/// first layer (`crate::prerender`, feature `ssr`) renders the same.
pub(crate) fn frame(texts: &ResolvedTexts, theme: Theme, root: NodeRef, content: Html) -> Html {
    let dir = if texts.rtl { "rtl" } else { "ltr" };
    html! {
        <div class="cb" lang={texts.language.clone()} {dir} data-theme={theme.name()} ref={root}>
            {content}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::consent::Action;

    #[test]
    fn commands_sent_before_the_banner_connects_run_in_order_once_it_does() {
        let commands = Commands::default();
        commands.send(Command::Decide(Action::AcceptAll, Source::Api));
        commands.send(Command::Decide(Action::RejectAll, Source::Api));
        let seen = Rc::new(RefCell::new(Vec::new()));
        let log = seen.clone();
        commands.connect(Callback::from(move |c| log.borrow_mut().push(c)));
        commands.send(Command::Hide);
        assert_eq!(
            *seen.borrow(),
            [
                Command::Decide(Action::AcceptAll, Source::Api),
                Command::Decide(Action::RejectAll, Source::Api),
                Command::Hide
            ]
        );
    }
}
