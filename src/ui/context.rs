//! The consent state for a whole Yew app: [`ConsentProvider`] renders the banner in its own
//! shadow root and gives every component below it the current state through [`use_consent`].

use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::banner::{Command, Commands, ConsentBanner, InitialView};
use super::consent_mode;
use crate::core::config::Config;
use crate::core::consent::Action;
use crate::core::events::ConsentDetail;
use crate::core::gpc;
use crate::core::map::Map;
use crate::core::record::{Source, Stored};
use crate::web::{dom, storage::RecordStore};

/// The current consent state and a handle on the banner: what [`use_consent`] returns. Cheap to
/// clone; two are equal when they show the same state of the same banner.
///
/// ```
/// # use consent_banner::ui::use_consent;
/// # use yew::prelude::*;
/// #[component]
/// fn Maps() -> Html {
///     let consent = use_consent();
///     if consent.allows("functional") {
///         html! { <iframe src="https://maps.example/embed" /> }
///     } else {
///         let open = Callback::from(move |_: MouseEvent| consent.show_preferences());
///         html! { <button onclick={open}>{"Allow functional cookies to see the map"}</button> }
///     }
/// }
/// ```
#[derive(Clone, PartialEq)]
pub struct Consent {
    detail: Rc<ConsentDetail>,
    commands: Commands,
}

impl Default for Consent {
    /// Undecided, no categories, and a handle connected to no banner (outside a provider).
    fn default() -> Self {
        Consent {
            detail: Rc::new(ConsentDetail {
                decided: false,
                categories: Map::new(),
                revision: 0,
                given: None,
                updated: None,
                expires: None,
                id: None,
                source: None,
                changed: Vec::new(),
                persisted: false,
            }),
            commands: Commands::default(),
        }
    }
}

impl Consent {
    /// The whole state, as `consent:change` carries it (`decided`, `categories`, `id`, ...).
    ///
    /// ```
    /// # use consent_banner::ui::Consent;
    /// let consent = Consent::default(); // what `use_consent` returns outside a provider
    /// assert_eq!(consent.detail().id, None);
    /// assert!(consent.detail().to_json().starts_with(r#"{"decided":false,"#));
    /// ```
    pub fn detail(&self) -> &ConsentDetail {
        &self.detail
    }

    /// `true` when the visitor has made a valid decision (stored, current revision, not expired).
    ///
    /// ```
    /// # use consent_banner::ui::{use_consent, Consent};
    /// # use yew::prelude::*;
    /// #[component]
    /// fn Reminder() -> Html {
    ///     let consent = use_consent();
    ///     html! {
    ///         if !consent.decided() { <p>{"Please choose your cookie settings."}</p> }
    ///     }
    /// }
    /// assert!(!Consent::default().decided());
    /// ```
    pub fn decided(&self) -> bool {
        self.detail.decided
    }

    /// `true` when the category `id` may run now: required, or accepted by a valid decision.
    /// Unknown ids are never allowed.
    ///
    /// ```
    /// # use consent_banner::ui::use_consent;
    /// # use yew::prelude::*;
    /// #[component]
    /// fn Video() -> Html {
    ///     if use_consent().allows("functional") {
    ///         html! { <video src="/intro.mp4" controls=true /> }
    ///     } else {
    ///         html! { <p>{"The video needs the functional cookies."}</p> }
    ///     }
    /// }
    /// ```
    pub fn allows(&self, id: &str) -> bool {
        self.detail.categories.get(id) == Some(&true)
    }

    /// Shows the first layer.
    ///
    /// ```
    /// # use consent_banner::ui::use_consent;
    /// # use yew::prelude::*;
    /// #[component]
    /// fn AskAgain() -> Html {
    ///     let consent = use_consent();
    ///     let onclick = Callback::from(move |_: MouseEvent| consent.show());
    ///     html! { <button {onclick}>{"Show the cookie banner"}</button> }
    /// }
    /// ```
    pub fn show(&self) {
        self.commands.send(Command::Show);
    }

    /// Shows the preferences (a "Cookie settings" link).
    ///
    /// ```
    /// # use consent_banner::ui::use_consent;
    /// # use yew::prelude::*;
    /// #[component]
    /// fn CookieSettings() -> Html {
    ///     let consent = use_consent();
    ///     let onclick = Callback::from(move |_: MouseEvent| consent.show_preferences());
    ///     html! { <button {onclick}>{"Cookie settings"}</button> }
    /// }
    /// ```
    pub fn show_preferences(&self) {
        self.commands.send(Command::ShowPreferences);
    }

    /// Closes the banner and the preferences without deciding.
    ///
    /// ```
    /// # use consent_banner::ui::use_consent;
    /// # use yew::prelude::*;
    /// #[component]
    /// fn NotNow() -> Html {
    ///     let consent = use_consent();
    ///     let onclick = Callback::from(move |_: MouseEvent| consent.hide());
    ///     html! { <button {onclick}>{"Not now"}</button> }
    /// }
    /// ```
    pub fn hide(&self) {
        self.commands.send(Command::Hide);
    }

    /// Accepts every category (source `api`).
    ///
    /// ```
    /// # use consent_banner::ui::use_consent;
    /// # use yew::prelude::*;
    /// #[component]
    /// fn AcceptOnTheMapPage() -> Html {
    ///     let consent = use_consent();
    ///     let onclick = Callback::from(move |_: MouseEvent| consent.accept_all());
    ///     html! { <button {onclick}>{"Accept all cookies and show the map"}</button> }
    /// }
    /// ```
    pub fn accept_all(&self) {
        self.commands
            .send(Command::Decide(Action::AcceptAll, Source::Api));
    }

    /// Declines every optional category (source `api`): also a withdrawal.
    ///
    /// ```
    /// # use consent_banner::ui::use_consent;
    /// # use yew::prelude::*;
    /// #[component]
    /// fn Withdraw() -> Html {
    ///     let consent = use_consent();
    ///     let onclick = Callback::from(move |_: MouseEvent| consent.reject_all());
    ///     html! { <button {onclick}>{"Withdraw my consent"}</button> }
    /// }
    /// ```
    pub fn reject_all(&self) {
        self.commands
            .send(Command::Decide(Action::RejectAll, Source::Api));
    }

    /// Sets the given categories (source `api`); the others keep their decision. Unknown and
    /// required ids are ignored.
    ///
    /// ```
    /// # fn f(consent: consent_banner::ui::Consent) {
    /// consent.set([("statistics", true), ("functional", false)]);
    /// # }
    /// ```
    pub fn set<K: Into<String>>(&self, choices: impl IntoIterator<Item = (K, bool)>) {
        let choices = choices.into_iter().map(|(k, on)| (k.into(), on)).collect();
        self.commands
            .send(Command::Decide(Action::Set(choices), Source::Api));
    }

    /// Forgets the stored decision and shows the first layer again.
    ///
    /// ```
    /// # use consent_banner::ui::use_consent;
    /// # use yew::prelude::*;
    /// #[component]
    /// fn Forget() -> Html {
    ///     let consent = use_consent();
    ///     let onclick = Callback::from(move |_: MouseEvent| consent.reset());
    ///     html! { <button {onclick}>{"Forget my choice"}</button> }
    /// }
    /// ```
    pub fn reset(&self) {
        self.commands.send(Command::Reset);
    }

    /// The banner's command handle, for code outside the component tree (a clone keeps working
    /// after the component that got it is gone).
    ///
    /// ```
    /// use consent_banner::ui::{use_consent, Command, Commands};
    /// use yew::prelude::*;
    ///
    /// // Code outside the component tree (a chat widget, a router) keeps a clone.
    /// fn settings_opener(commands: Commands) -> impl Fn() {
    ///     move || commands.send(Command::ShowPreferences)
    /// }
    ///
    /// #[component]
    /// fn Chat() -> Html {
    ///     let open = settings_opener(use_consent().commands().clone());
    ///     let onclick = Callback::from(move |_: MouseEvent| open());
    ///     html! { <button {onclick}>{"Privacy"}</button> }
    /// }
    /// ```
    pub fn commands(&self) -> &Commands {
        &self.commands
    }
}

/// Props of [`ConsentProvider`].
///
/// ```
/// use std::rc::Rc;
/// use consent_banner::config::Config;
/// use consent_banner::events::ConsentDetail;
/// use consent_banner::ui::{ConsentProvider, InitialView};
/// use yew::prelude::*;
///
/// #[derive(Properties, PartialEq)]
/// struct AppProps {
///     config: Rc<Config>,
/// }
///
/// #[component]
/// fn App(props: &AppProps) -> Html {
///     let on_change = Callback::from(|detail: ConsentDetail| {
///         if detail.categories.get("statistics") == Some(&true) { /* start statistics */ }
///     });
///     html! {
///         // `events`: page scripts outside the app also get `consent:change` on `window`.
///         <ConsentProvider config={props.config.clone()} {on_change}
///             initial={InitialView::Auto} events=true>
///             <main>{"The app"}</main>
///         </ConsentProvider>
///     }
/// }
/// ```
#[derive(Properties, PartialEq)]
pub struct ConsentProviderProps {
    /// The validated configuration ([`Config::validate`], or [`Config::from_json`]). Pass the same
    /// `Rc` on every render (`use_memo`).
    pub config: Rc<Config>,
    /// Called after every change of the decision: the banner's (once saved, as
    /// `consent:change`), the API's ([`Consent::accept_all`], ...) and another tab's (source
    /// `storage`). Not at start: [`use_consent`] has the stored state from the first render.
    #[prop_or_default]
    pub on_change: Callback<ConsentDetail>,
    /// What the banner shows first.
    #[prop_or_default]
    pub initial: InitialView,
    /// Also dispatch `consent:change`, `consent:show`, `consent:hide` and `consent:error` on
    /// `window`, as the embed does (for scripts of the page outside the app). Default `false`:
    /// the app has [`use_consent`] and `on_change`, and errors are logged on the console.
    #[prop_or_default]
    pub events: bool,
    /// The app is hydrated from a server's markup (`yew::Renderer::hydrate`, after Yew SSR): the
    /// provider's first render in the browser is then the server's (its children, undecided, no
    /// banner), and right after it (an effect) the provider reads the stored decision, its
    /// children re-render with it, and the banner mounts in its shadow root. Read when the
    /// provider is created. Default `false`: an app rendered in the browser
    /// (`yew::Renderer::render`) has the stored decision from the first render.
    ///
    /// ```
    /// use std::rc::Rc;
    /// use consent_banner::config::Config;
    /// use consent_banner::ui::ConsentProvider;
    /// use yew::prelude::*;
    ///
    /// #[component]
    /// fn App() -> Html {
    ///     let config: Rc<Config> = use_memo((), |()| Config::default());
    ///     // The same component on the server (`yew::LocalServerRenderer`, `.hydratable(true)`)
    ///     // and in the browser (`yew::Renderer::<App>::new().hydrate()`).
    ///     html! {
    ///         <ConsentProvider {config} hydrate=true>
    ///             <main>{"The app"}</main>
    ///         </ConsentProvider>
    ///     }
    /// }
    /// ```
    #[prop_or_default]
    pub hydrate: bool,
    /// The app, which reads the state with [`use_consent`].
    #[prop_or_default]
    pub children: Html,
}

/// The state [`use_consent`] reads, kept for the listeners (another tab) that outlive a render,
/// and the banner's host.
struct Latest {
    detail: Rc<ConsentDetail>,
    on_change: Callback<ConsentDetail>,
    /// `false` until the provider has mounted when hydrating: the first render is the server's.
    mounted: bool,
    /// The root in the banner's shadow root, once tried (`Some(None)`: no document to mount in).
    host: Option<Option<web_sys::Element>>,
}

/// `true` in the browser build. Anywhere else (a Rust server rendering the app with Yew SSR) there
/// is no page, storage or banner: the provider renders its children only, undecided.
const IN_BROWSER: bool = cfg!(all(target_arch = "wasm32", target_os = "unknown"));

/// No decision: what the server renders, and what a hydrating provider renders first.
fn undecided(config: &Config) -> ConsentDetail {
    ConsentDetail::new(config, None, Vec::new(), false)
}

/// The detail of what is stored under the config's key now (no decision when it is missing,
/// corrupt, expired or of an older revision). The banner reports a corrupt record; this does not.
/// On the server: no decision.
fn stored_detail(config: &Config) -> ConsentDetail {
    if !IN_BROWSER {
        return undecided(config);
    }
    let store = RecordStore::open(&config.storage_key);
    let stored = Stored::parse(store.read().as_deref());
    let record = stored.valid_record(config, dom::now_ms());
    ConsentDetail::new(config, record, Vec::new(), store.is_available())
}

/// The banner and its state for the whole app. Renders [`ConsentBanner`] into its own
/// `<consent-banner>` element at the end of `<body>`, in a shadow root with the banner's
/// stylesheet (as the script-tag build does): the app's CSS does not reach the banner, and the
/// banner's does not reach the app. Its children read the state with [`use_consent`], from the
/// first render on: a stored decision is read synchronously when the provider is created (one
/// render later in an app hydrated from a server's markup, see below).
///
/// The state follows every change: the banner's buttons, [`Consent`]'s commands, and another
/// tab's decision (the `storage` event).
///
/// On a server (an app rendered with Yew SSR, `yew::LocalServerRenderer`: any target but
/// `wasm32-unknown-unknown`) the provider renders its children only, undecided
/// ([`Consent::decided`] is `false`, only required categories are allowed): the stored decision,
/// Google Consent Mode and the banner are the browser's. To hydrate that markup
/// (`yew::Renderer::hydrate`), set [`hydrate`](ConsentProviderProps::hydrate): the provider's
/// first render in the browser is then the server's, and the stored decision and the banner come
/// one render later, right after hydration (a visitor who decided before sees the server's
/// undecided state for that render: the price of hydration).
///
/// ```
/// use std::rc::Rc;
/// use consent_banner::config::Config;
/// use consent_banner::ui::{use_consent, ConsentProvider};
/// use yew::prelude::*;
///
/// #[component]
/// fn Statistics() -> Html {
///     let consent = use_consent();
///     let settings = {
///         let consent = consent.clone();
///         Callback::from(move |_: MouseEvent| consent.show_preferences())
///     };
///     html! {
///         <p>
///             { if consent.allows("statistics") { "Usage statistics: on" } else { "Usage statistics: off" } }
///             <button onclick={settings}>{"Cookie settings"}</button>
///         </p>
///     }
/// }
///
/// #[component]
/// fn App() -> Html {
///     // The same `Rc` on every render.
///     let config: Rc<Config> = use_memo((), |()| Config::default());
///     html! {
///         <ConsentProvider {config}>
///             <Statistics />
///         </ConsentProvider>
///     }
/// }
/// ```
#[component]
pub fn ConsentProvider(props: &ConsentProviderProps) -> Html {
    let config = props.config.clone();
    let latest = use_mut_ref(|| {
        let detail = stored_detail(&config);
        // Google Consent Mode's default, as early as the app can: when the provider is created.
        if let Some(mode) = config.google_consent_mode.as_ref().filter(|_| IN_BROWSER) {
            let gpc_declined = match detail.decided {
                true => Vec::new(),
                false => gpc::declined(&config, dom::global_privacy_control()),
            };
            for call in consent_mode::start(mode, &detail.categories, detail.decided, &gpc_declined)
            {
                consent_mode::call(&call);
            }
        }
        Latest {
            detail: Rc::new(detail),
            on_change: props.on_change.clone(),
            // Hydrating: the first render is the server's (undecided, no banner); the stored state
            // and the banner come right after it (below). Otherwise both from the first render.
            mounted: !props.hydrate,
            host: None,
        }
    });
    latest.borrow_mut().on_change = props.on_change.clone();
    let detail = use_state(|| {
        let latest = latest.borrow();
        match latest.mounted {
            true => latest.detail.clone(),
            false => Rc::new(undecided(&config)),
        }
    });
    let commands = use_memo((), |()| Commands::default());
    // One host for the provider's life (from its mount when hydrating), removed with it; none
    // where there is no document (the banner then renders in place), and none on the server.
    let (mounted, host) = {
        let mut latest = latest.borrow_mut();
        if latest.mounted && latest.host.is_none() {
            latest.host = Some(IN_BROWSER.then(dom::mount_host).and_then(Result::ok));
        }
        (latest.mounted, latest.host.clone().flatten())
    };
    {
        let (latest, detail) = (latest.clone(), detail.setter());
        use_effect_with((), move |()| {
            // Hydrated: the stored state now, and the banner in the render this schedules.
            let hydrated = !std::mem::replace(&mut latest.borrow_mut().mounted, true);
            if hydrated {
                detail.set(latest.borrow().detail.clone());
            }
            move || {
                let shadow =
                    latest.borrow().host.clone().flatten().and_then(|root| {
                        root.get_root_node().dyn_into::<web_sys::ShadowRoot>().ok()
                    });
                if let Some(shadow) = shadow {
                    shadow.host().remove();
                }
            }
        });
    }
    let update = {
        let (latest, detail, config) = (latest.clone(), detail.setter(), config.clone());
        Rc::new(move |next: ConsentDetail| {
            if let Some(mode) = &config.google_consent_mode {
                consent_mode::call(&consent_mode::update(mode, &next.categories));
            }
            let next = Rc::new(next);
            let on_change = {
                let mut latest = latest.borrow_mut();
                latest.detail = next.clone();
                latest.on_change.clone()
            };
            detail.set(next.clone());
            on_change.emit((*next).clone());
        })
    };
    let on_change = {
        let update = update.clone();
        use_memo((), move |()| Callback::from(move |next| update(next)))
    };
    // Another tab decided: the state here at once (source `storage`), then the banner follows.
    {
        let (config, latest, commands) = (config.clone(), latest.clone(), commands.clone());
        use_effect_with(config.storage_key.clone(), move |key| {
            let key = key.clone();
            let listener = Closure::<dyn Fn(web_sys::StorageEvent)>::new(
                move |event: web_sys::StorageEvent| {
                    // `key` is null when the whole storage was cleared; sessionStorage is not
                    // where the record is.
                    let local = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
                    if event.key().is_some_and(|k| k != key) || event.storage_area() != local {
                        return;
                    }
                    let mut next = stored_detail(&config);
                    next.source = next.decided.then_some(Source::Storage);
                    let before = latest.borrow().detail.clone();
                    next.changed = next
                        .categories
                        .iter()
                        .filter(|(id, on)| before.categories.get(id.as_str()) != Some(on))
                        .map(|(id, _)| id.clone())
                        .collect();
                    update(next);
                    commands.send(Command::Sync);
                },
            );
            let window = web_sys::window();
            if let Some(window) = &window {
                let _ = window
                    .add_event_listener_with_callback("storage", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(window) = &window {
                    let _ = window.remove_event_listener_with_callback(
                        "storage",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    let consent = Consent {
        detail: (*detail).clone(),
        commands: (*commands).clone(),
    };
    let banner = html! {
        <ConsentBanner config={config} on_change={(*on_change).clone()} initial={props.initial}
            commands={(*commands).clone()} events={props.events} />
    };
    let banner = match host {
        Some(root) => create_portal(banner, root),
        None if IN_BROWSER && mounted => banner,
        // On the server: the banner is the browser's (it reads the stored decision there). And
        // while hydrating: Yew cannot hydrate a portal, and the server rendered none.
        None => Html::default(),
    };
    html! {
        <ContextProvider<Consent> context={consent}>
            { props.children.clone() }
            { banner }
        </ContextProvider<Consent>>
    }
}

/// The current consent state and a handle on the banner, from the nearest [`ConsentProvider`].
/// The component re-renders on every change. Outside a provider: undecided, and the commands go
/// nowhere ([`Consent::default`]).
///
/// ```
/// use consent_banner::ui::use_consent;
/// use yew::prelude::*;
///
/// #[component]
/// fn Statistics() -> Html {
///     let consent = use_consent();
///     // Runs when the decision allows it, also after a change in another tab.
///     let allowed = consent.allows("statistics");
///     use_effect_with(allowed, |allowed| {
///         if *allowed { /* load the statistics script */ }
///     });
///     html! {}
/// }
/// ```
#[hook]
pub fn use_consent() -> Consent {
    use_context::<Consent>().unwrap_or_default()
}
