//! The banner as a state machine: what it shows, the decision in force, and every transition
//! (mount, accept, decline, a custom choice, reset, another tab's decision, the GPC signal, opening
//! and closing its views), with the effects in the order the README promises. Pure: the browser is
//! reached through [`Page`], which the wasm implements over web-sys (`crate::web::page`) and the
//! tests with a recorder. The Yew root (`crate::ui::ConsentBanner`) keeps hooks and views.
//!
//! A decision ([`Banner::decide`]) and a reset ([`Banner::reset`]) take one path, in this order:
//!
//! 1. the record is stored (or, on a reset, removed); a failed write is a `storage` error and
//!    the decision holds for the page (`persisted: false`);
//! 2. cookies: the mirror is written (or deleted), then the cookies of every category not
//!    accepted are deleted;
//! 3. `consent:change`: the loader's private channel first, then the public event, then the host
//!    app's callback;
//! 4. the receipt is sent (after the store: a receipt never claims a decision the page lost);
//! 5. the view changes (`consent:hide` / `consent:show`);
//! 6. after a withdrawal, with `reloadOnWithdraw`, the page reloads.

use crate::core::config::Config;
use crate::core::consent::{accepted, changed, decide, Action};
use crate::core::cookies;
use crate::core::events::{self, ConsentDetail, ErrorDetail, ErrorKind, StorageError};
use crate::core::receipt::{Receipt, Shown};
use crate::core::record::{ConsentRecord, Source, Stored};

/// What the banner shows.
///
/// ```
/// use consent_banner::core::banner::{Banner, View};
///
/// let undecided = Banner { record: None, view: View::FirstLayer, persisted: true };
/// assert_eq!(undecided.view.name(), "first");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// The first layer: the summary and three buttons.
    FirstLayer,
    /// The preferences dialog.
    Preferences,
    /// Nothing (or the reopen button, after a decision).
    Closed,
}

impl View {
    /// The view's name for the loader: `first`, `preferences` or `closed`.
    ///
    /// ```
    /// # use consent_banner::core::banner::View;
    /// assert_eq!(View::Preferences.name(), "preferences");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            View::FirstLayer => "first",
            View::Preferences => "preferences",
            View::Closed => "closed",
        }
    }
}

/// What the banner shows when it mounts.
///
/// ```
/// use consent_banner::ui::{ConsentProvider, InitialView};
/// use yew::prelude::*;
///
/// // A "privacy settings" page of the app opens the preferences at once.
/// #[component]
/// fn PrivacySettingsPage() -> Html {
///     let config = use_memo((), |()| consent_banner::config::Config::default());
///     html! { <ConsentProvider {config} initial={InitialView::Preferences} /> }
/// }
/// ```
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

/// Everything that can happen to a mounted banner: the user's buttons, the loader's API, another
/// tab. [`Banner::command`] runs each.
///
/// ```
/// # use std::cell::RefCell;
/// # use consent_banner::{config::Config, core::banner::*, events::*};
/// # #[derive(Default)] struct Memory { record: RefCell<Option<String>>, events: RefCell<Vec<String>> }
/// # impl Page for Memory {
/// #   fn now(&self) -> u64 { 1_800_000_000_000 } fn random_id(&self) -> String { "id-1".into() }
/// #   fn persistent(&self) -> bool { true } fn load(&self) -> Option<String> { self.record.borrow().clone() }
/// #   fn store(&self, json: &str) -> Result<(), StorageError> { Ok(drop(self.record.replace(Some(json.into())))) }
/// #   fn clear(&self) { self.record.take(); } fn dispatch(&self, name: &str, _: &str) { self.events.borrow_mut().push(name.into()) }
/// #   fn location(&self) -> Location { Location { host: "example.org".into(), path: "/".into(), https: true } }
/// #   fn cookies(&self) -> String { String::new() } fn set_cookie(&self, _: &str) {} fn tell(&self, _: &str, _: &str) -> bool { false }
/// #   fn changed(&self, _: ConsentDetail) {} fn beacon(&self, _: &str, _: &str) {} fn reload(&self) {} fn report(&self, _: ErrorDetail) {}
/// # }
/// # let config = Config::default();
/// # let (setting, page) = (Setting { config: &config, shown: None, gpc_declined: &[] }, Memory::default());
/// let mut banner = Banner::mount(setting, &page, InitialView::Closed);
/// banner.command(setting, &page, Command::ShowPreferences);
/// assert_eq!(banner.view, View::Preferences);
/// assert_eq!(*page.events.borrow(), ["consent:show"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// The banner was drawn for the first time ([`Banner::start`]).
    Start,
    /// Show the first layer.
    Show,
    /// Show the preferences.
    ShowPreferences,
    /// Close whatever is open.
    Hide,
    /// The preferences' close button or Escape ([`Banner::close_preferences`]).
    ClosePreferences,
    /// Decide: accept all, decline all, or a custom choice, by the user (`banner`) or the page
    /// (`api`).
    Decide(Action, Source),
    /// Forget the stored decision and show the first layer again.
    Reset,
    /// Re-read the stored record (changed by another tab) and close when it is valid.
    Sync,
}

/// Where the page is: for the cookie mirror's `Secure` and for the paths and domains cookies are
/// deleted at.
///
/// ```
/// use consent_banner::core::banner::Location;
///
/// let here = Location { host: "www.example.org".into(), path: "/shop/".into(), https: true };
/// let mirror = Default::default();
/// let deletions = consent_banner::cookies::mirror_deletion(&mirror, &here.host, &here.path);
/// assert!(deletions.iter().any(|d| d == "consent=; Max-Age=0; Path=/shop/; Domain=.example.org"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// `location.hostname`.
    pub host: String,
    /// `location.pathname`.
    pub path: String,
    /// Served over https.
    pub https: bool,
}

/// Everything the banner does to the browser. The wasm implements it over web-sys; tests record
/// the calls.
///
/// A page in memory, as a native test (or a UI other than the crate's) gives the banner (the
/// examples of [`Banner`]'s methods use this one, in hidden lines):
///
/// ```
/// use std::cell::RefCell;
/// use consent_banner::config::Config;
/// use consent_banner::consent::Action;
/// use consent_banner::core::banner::{Banner, InitialView, Location, Page, Setting};
/// use consent_banner::events::{ConsentDetail, ErrorDetail, StorageError};
/// use consent_banner::record::Source;
///
/// #[derive(Default)]
/// struct Memory {
///     record: RefCell<Option<String>>,
///     events: RefCell<Vec<String>>,
/// }
///
/// impl Page for Memory {
///     fn now(&self) -> u64 { 1_800_000_000_000 }
///     fn random_id(&self) -> String { "id-1".into() }
///     fn persistent(&self) -> bool { true }
///     fn load(&self) -> Option<String> { self.record.borrow().clone() }
///     fn store(&self, json: &str) -> Result<(), StorageError> {
///         *self.record.borrow_mut() = Some(json.into());
///         Ok(())
///     }
///     fn clear(&self) { self.record.take(); }
///     fn cookies(&self) -> String { String::new() }
///     fn set_cookie(&self, _cookie: &str) {}
///     fn location(&self) -> Location {
///         Location { host: "example.org".into(), path: "/".into(), https: true }
///     }
///     fn tell(&self, _name: &str, _text: &str) -> bool { false }
///     fn dispatch(&self, name: &str, _detail: &str) { self.events.borrow_mut().push(name.into()) }
///     fn changed(&self, _detail: ConsentDetail) {}
///     fn beacon(&self, _url: &str, _body: &str) {}
///     fn reload(&self) {}
///     fn report(&self, _error: ErrorDetail) {}
/// }
///
/// let config = Config::default();
/// let setting = Setting { config: &config, shown: None, gpc_declined: &[] };
/// let page = Memory::default();
/// let mut banner = Banner::mount(setting, &page, InitialView::Auto);
/// banner.start(setting, &page);
/// banner.decide(setting, &page, Action::RejectAll, Source::Banner);
/// assert_eq!(*page.events.borrow(), ["consent:show", "consent:change", "consent:hide"]);
/// assert!(page.record.borrow().as_deref().is_some_and(|r| r.contains(r#""statistics":false"#)));
/// ```
pub trait Page {
    /// Milliseconds since the Unix epoch.
    ///
    /// ```
    /// # use consent_banner::core::banner::Page;
    /// fn decided_today(page: &impl Page, given: u64) -> bool {
    ///     page.now().saturating_sub(given) < 24 * 60 * 60 * 1000
    /// }
    /// ```
    fn now(&self) -> u64;
    /// A fresh random anonymous id.
    ///
    /// ```
    /// # use consent_banner::core::banner::Page;
    /// fn new_consent_id(page: &impl Page) -> String {
    ///     page.random_id() // "3f0c1c9e-8a51-4c1e-9a8e-2b0a7f5d6e41"
    /// }
    /// ```
    fn random_id(&self) -> String;
    /// `false` when storage is missing or blocked (probed once): decisions hold for the page only.
    ///
    /// ```
    /// # use consent_banner::core::banner::Page;
    /// fn note(page: &impl Page) -> &'static str {
    ///     if page.persistent() { "" } else { "Your choice holds for this page only." }
    /// }
    /// ```
    fn persistent(&self) -> bool;
    /// The stored record's text, `None` when there is none (or no storage).
    ///
    /// ```
    /// # use consent_banner::core::banner::Page;
    /// use consent_banner::record::Stored;
    ///
    /// fn stored(page: &impl Page) -> Stored {
    ///     Stored::parse(page.load().as_deref())
    /// }
    /// ```
    fn load(&self) -> Option<String>;
    /// Stores the record's text.
    ///
    /// # Errors
    ///
    /// When storage is unavailable or refuses the write (quota).
    ///
    /// ```
    /// # use consent_banner::core::banner::Page;
    /// use consent_banner::record::ConsentRecord;
    ///
    /// fn save(page: &impl Page, record: &ConsentRecord) -> bool {
    ///     match page.store(&record.to_json()) {
    ///         Ok(()) => true,
    ///         Err(error) => {
    ///             page.report(error.into());
    ///             false
    ///         }
    ///     }
    /// }
    /// ```
    fn store(&self, record_json: &str) -> Result<(), StorageError>;
    /// Removes the stored record.
    ///
    /// ```
    /// # use consent_banner::core::banner::Page;
    /// fn forget(page: &impl Page) {
    ///     page.clear();
    /// }
    /// ```
    fn clear(&self);
    /// The page's cookies, as `document.cookie` shows them.
    ///
    /// ```
    /// # use consent_banner::core::banner::Page;
    /// fn has_analytics_cookie(page: &impl Page) -> bool {
    ///     consent_banner::cookies::names(&page.cookies()).contains("_ga")
    /// }
    /// ```
    fn cookies(&self) -> String;
    /// Assigns `document.cookie`.
    ///
    /// ```
    /// # use consent_banner::core::banner::Page;
    /// fn delete(page: &impl Page, name: &str) {
    ///     page.set_cookie(&(name.to_string() + "=; Max-Age=0; Path=/"));
    /// }
    /// ```
    fn set_cookie(&self, cookie: &str);
    /// Where the page is.
    ///
    /// ```
    /// # use consent_banner::core::banner::Page;
    /// fn secure(page: &impl Page) -> bool {
    ///     page.location().https
    /// }
    /// ```
    fn location(&self) -> Location;
    /// Calls the loader's private channel (`name`, `text`); `false` when there is none.
    ///
    /// ```
    /// # use consent_banner::core::banner::Page;
    /// fn under_the_loader(page: &impl Page) -> bool {
    ///     page.tell("ping", "") // `false` in a Yew app: no loader
    /// }
    /// ```
    fn tell(&self, name: &str, text: &str) -> bool;
    /// Dispatches the public event `name` on `window` with `detail_json`.
    ///
    /// ```
    /// # use consent_banner::core::banner::Page;
    /// fn shown(page: &impl Page) {
    ///     page.dispatch(consent_banner::events::SHOW, "{}");
    /// }
    /// ```
    fn dispatch(&self, name: &str, detail_json: &str);
    /// Tells the host app (a Yew app's `on_change`) of a change.
    ///
    /// ```
    /// # use consent_banner::core::banner::Page;
    /// use consent_banner::config::Config;
    /// use consent_banner::events::ConsentDetail;
    ///
    /// fn undecided(page: &impl Page, config: &Config) {
    ///     page.changed(ConsentDetail::new(config, None, Vec::new(), page.persistent()));
    /// }
    /// ```
    fn changed(&self, detail: ConsentDetail);
    /// Sends `body` to `url` with `navigator.sendBeacon`.
    ///
    /// ```
    /// # use consent_banner::core::banner::Page;
    /// use consent_banner::receipt::Receipt;
    ///
    /// fn send(page: &impl Page, endpoint: &str, receipt: &Receipt) {
    ///     page.beacon(endpoint, &receipt.to_json());
    /// }
    /// ```
    fn beacon(&self, url: &str, body: &str);
    /// Reloads the page.
    ///
    /// ```
    /// # use consent_banner::core::banner::Page;
    /// fn after_withdrawal(page: &impl Page, reload_on_withdraw: bool) {
    ///     if reload_on_withdraw {
    ///         page.reload();
    ///     }
    /// }
    /// ```
    fn reload(&self);
    /// Reports an error: once on the console and as `consent:error`.
    ///
    /// ```
    /// # use consent_banner::core::banner::Page;
    /// use consent_banner::events::{ErrorDetail, ErrorKind};
    ///
    /// fn corrupt_record(page: &impl Page, reason: &str) {
    ///     let message = "record: ".to_string() + reason;
    ///     page.report(ErrorDetail { kind: ErrorKind::Record, message });
    /// }
    /// ```
    fn report(&self, error: ErrorDetail);
}

/// What the transitions read and never change: the config, what the user is shown (for receipts,
/// when `receiptEndpoint` is set) and the categories the GPC signal declines.
///
/// ```
/// use consent_banner::config::{Category, Config};
/// use consent_banner::core::banner::Setting;
/// use consent_banner::receipt::Shown;
/// use consent_banner::{gpc, texts};
///
/// let config = Config {
///     categories: vec![
///         Category::new("essential", "Essential").required(),
///         Category::new("ads", "Ads").shares_data(),
///     ],
///     receipt_endpoint: Some("/consent/receipts".into()),
///     ..Config::default()
/// };
/// let shown = Shown::new(&config, &texts::resolve(&config, "en"));
/// let declined = gpc::declined(&config, true); // the browser sends GPC
/// let setting = Setting { config: &config, shown: Some(&shown), gpc_declined: &declined };
/// assert_eq!(setting.gpc_declined, ["ads"]);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Setting<'a> {
    /// The validated config.
    pub config: &'a Config,
    /// The language and digest of the texts shown; `None` when no receipts are sent.
    pub shown: Option<&'a Shown>,
    /// What the Global Privacy Control signal declines ([`crate::gpc::declined`]).
    pub gpc_declined: &'a [String],
}

/// The banner's state: the decision in force and what is shown.
///
/// ```
/// # use std::cell::RefCell;
/// # use consent_banner::{config::Config, core::banner::*, events::*};
/// # #[derive(Default)] struct Memory { record: RefCell<Option<String>>, events: RefCell<Vec<String>> }
/// # impl Page for Memory {
/// #   fn now(&self) -> u64 { 1_800_000_000_000 } fn random_id(&self) -> String { "id-1".into() }
/// #   fn persistent(&self) -> bool { true } fn load(&self) -> Option<String> { self.record.borrow().clone() }
/// #   fn store(&self, json: &str) -> Result<(), StorageError> { Ok(drop(self.record.replace(Some(json.into())))) }
/// #   fn clear(&self) { self.record.take(); } fn dispatch(&self, name: &str, _: &str) { self.events.borrow_mut().push(name.into()) }
/// #   fn location(&self) -> Location { Location { host: "example.org".into(), path: "/".into(), https: true } }
/// #   fn cookies(&self) -> String { String::new() } fn set_cookie(&self, _: &str) {} fn tell(&self, _: &str, _: &str) -> bool { false }
/// #   fn changed(&self, _: ConsentDetail) {} fn beacon(&self, _: &str, _: &str) {} fn reload(&self) {} fn report(&self, _: ErrorDetail) {}
/// # }
/// # let config = Config::default();
/// # let (setting, page) = (Setting { config: &config, shown: None, gpc_declined: &[] }, Memory::default());
/// use consent_banner::consent::Action;
/// use consent_banner::record::Source;
///
/// let mut banner = Banner::mount(setting, &page, InitialView::Auto);
/// assert_eq!(banner.view, View::FirstLayer); // nothing stored: ask
/// banner.decide(setting, &page, Action::AcceptAll, Source::Banner);
/// assert!(banner.is_on("statistics") && banner.view == View::Closed);
/// // The next page view finds the decision.
/// assert_eq!(Banner::mount(setting, &page, InitialView::Auto).view, View::Closed);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Banner {
    /// The valid decision, if any.
    pub record: Option<ConsentRecord>,
    /// What is shown.
    pub view: View,
    /// `false` when the last decision could not be stored.
    pub persisted: bool,
}

impl Banner {
    /// Reads the stored decision (a corrupt one is a `record` error, and no decision) and picks
    /// the first view. Dispatches nothing: [`Banner::start`] does, once the banner is drawn.
    ///
    /// ```
    /// # use std::cell::RefCell;
    /// # use consent_banner::{config::Config, core::banner::*, events::*};
    /// # #[derive(Default)] struct Memory { record: RefCell<Option<String>>, events: RefCell<Vec<String>> }
    /// # impl Page for Memory {
    /// #   fn now(&self) -> u64 { 1_800_000_000_000 } fn random_id(&self) -> String { "id-1".into() }
    /// #   fn persistent(&self) -> bool { true } fn load(&self) -> Option<String> { self.record.borrow().clone() }
    /// #   fn store(&self, json: &str) -> Result<(), StorageError> { Ok(drop(self.record.replace(Some(json.into())))) }
    /// #   fn clear(&self) { self.record.take(); } fn dispatch(&self, name: &str, _: &str) { self.events.borrow_mut().push(name.into()) }
    /// #   fn location(&self) -> Location { Location { host: "example.org".into(), path: "/".into(), https: true } }
    /// #   fn cookies(&self) -> String { String::new() } fn set_cookie(&self, _: &str) {} fn tell(&self, _: &str, _: &str) -> bool { false }
    /// #   fn changed(&self, _: ConsentDetail) {} fn beacon(&self, _: &str, _: &str) {} fn reload(&self) {} fn report(&self, _: ErrorDetail) {}
    /// # }
    /// # let config = Config::default();
    /// # let (setting, page) = (Setting { config: &config, shown: None, gpc_declined: &[] }, Memory::default());
    /// let banner = Banner::mount(setting, &page, InitialView::Auto);
    /// assert_eq!((banner.record, banner.view), (None, View::FirstLayer));
    /// assert!(page.events.borrow().is_empty(), "nothing dispatched before start");
    /// ```
    pub fn mount(setting: Setting, page: &impl Page, initial: InitialView) -> Banner {
        let stored = Stored::parse(page.load().as_deref());
        if let Stored::Corrupt(reason) = &stored {
            page.report(ErrorDetail {
                kind: ErrorKind::Record,
                message: "record: ignored the stored decision (".to_string() + reason + ")",
            });
        }
        let record = stored.valid_record(setting.config, page.now()).cloned();
        let view = match (initial, &record) {
            (InitialView::Preferences, _) => View::Preferences,
            (InitialView::Closed, _) | (InitialView::Auto, Some(_)) => View::Closed,
            (InitialView::Auto, None) => View::FirstLayer,
        };
        Banner {
            record,
            view,
            persisted: page.persistent(),
        }
    }

    /// After the first render: with no decision, the GPC signal declines the categories that
    /// share data (`consent:change` with source `gpc`, and its receipt; nothing stored); then
    /// `consent:show` when something is shown.
    ///
    /// ```
    /// # use std::cell::RefCell;
    /// # use consent_banner::{config::Config, core::banner::*, events::*};
    /// # #[derive(Default)] struct Memory { record: RefCell<Option<String>>, events: RefCell<Vec<String>> }
    /// # impl Page for Memory {
    /// #   fn now(&self) -> u64 { 1_800_000_000_000 } fn random_id(&self) -> String { "id-1".into() }
    /// #   fn persistent(&self) -> bool { true } fn load(&self) -> Option<String> { self.record.borrow().clone() }
    /// #   fn store(&self, json: &str) -> Result<(), StorageError> { Ok(drop(self.record.replace(Some(json.into())))) }
    /// #   fn clear(&self) { self.record.take(); } fn dispatch(&self, name: &str, _: &str) { self.events.borrow_mut().push(name.into()) }
    /// #   fn location(&self) -> Location { Location { host: "example.org".into(), path: "/".into(), https: true } }
    /// #   fn cookies(&self) -> String { String::new() } fn set_cookie(&self, _: &str) {} fn tell(&self, _: &str, _: &str) -> bool { false }
    /// #   fn changed(&self, _: ConsentDetail) {} fn beacon(&self, _: &str, _: &str) {} fn reload(&self) {} fn report(&self, _: ErrorDetail) {}
    /// # }
    /// # let config = Config::default();
    /// # let (setting, page) = (Setting { config: &config, shown: None, gpc_declined: &[] }, Memory::default());
    /// let mut banner = Banner::mount(setting, &page, InitialView::Auto);
    /// banner.start(setting, &page);
    /// assert_eq!(*page.events.borrow(), ["consent:show"]);
    /// ```
    pub fn start(&mut self, setting: Setting, page: &impl Page) {
        if self.gpc_honoured(setting.gpc_declined) {
            let config = setting.config;
            emit(page, crate::core::gpc::detail(config, page.persistent()));
            if let (Some(url), Some(shown)) = (&config.receipt_endpoint, setting.shown) {
                let receipt = Receipt::gpc(
                    config,
                    shown,
                    setting.gpc_declined,
                    &page.random_id(),
                    page.now(),
                );
                page.beacon(url, &receipt.to_json());
            }
        }
        if self.view != View::Closed {
            page.dispatch(events::SHOW, "{}");
        }
    }

    /// Runs `command`.
    ///
    /// ```
    /// # use std::cell::RefCell;
    /// # use consent_banner::{config::Config, core::banner::*, events::*};
    /// # #[derive(Default)] struct Memory { record: RefCell<Option<String>>, events: RefCell<Vec<String>> }
    /// # impl Page for Memory {
    /// #   fn now(&self) -> u64 { 1_800_000_000_000 } fn random_id(&self) -> String { "id-1".into() }
    /// #   fn persistent(&self) -> bool { true } fn load(&self) -> Option<String> { self.record.borrow().clone() }
    /// #   fn store(&self, json: &str) -> Result<(), StorageError> { Ok(drop(self.record.replace(Some(json.into())))) }
    /// #   fn clear(&self) { self.record.take(); } fn dispatch(&self, name: &str, _: &str) { self.events.borrow_mut().push(name.into()) }
    /// #   fn location(&self) -> Location { Location { host: "example.org".into(), path: "/".into(), https: true } }
    /// #   fn cookies(&self) -> String { String::new() } fn set_cookie(&self, _: &str) {} fn tell(&self, _: &str, _: &str) -> bool { false }
    /// #   fn changed(&self, _: ConsentDetail) {} fn beacon(&self, _: &str, _: &str) {} fn reload(&self) {} fn report(&self, _: ErrorDetail) {}
    /// # }
    /// # let config = Config::default();
    /// # let (setting, page) = (Setting { config: &config, shown: None, gpc_declined: &[] }, Memory::default());
    /// use consent_banner::consent::Action;
    /// use consent_banner::record::Source;
    ///
    /// let mut banner = Banner::mount(setting, &page, InitialView::Auto);
    /// banner.command(setting, &page, Command::Decide(Action::RejectAll, Source::Api));
    /// assert!(!banner.is_on("statistics"));
    /// ```
    pub fn command(&mut self, setting: Setting, page: &impl Page, command: Command) {
        match command {
            Command::Start => self.start(setting, page),
            Command::Show => self.open(page, View::FirstLayer),
            Command::ShowPreferences => self.open(page, View::Preferences),
            Command::Hide => self.open(page, View::Closed),
            Command::ClosePreferences => self.close_preferences(page),
            Command::Decide(action, source) => self.decide(setting, page, action, source),
            Command::Reset => self.reset(setting, page),
            Command::Sync => self.sync(setting, page),
        }
    }

    /// Accept all, decline all or a custom choice, by the user (`banner`) or the page (`api`):
    /// the new record goes the way of every change (module docs), and the banner closes.
    ///
    /// ```
    /// # use std::cell::RefCell;
    /// # use consent_banner::{config::Config, core::banner::*, events::*};
    /// # #[derive(Default)] struct Memory { record: RefCell<Option<String>>, events: RefCell<Vec<String>> }
    /// # impl Page for Memory {
    /// #   fn now(&self) -> u64 { 1_800_000_000_000 } fn random_id(&self) -> String { "id-1".into() }
    /// #   fn persistent(&self) -> bool { true } fn load(&self) -> Option<String> { self.record.borrow().clone() }
    /// #   fn store(&self, json: &str) -> Result<(), StorageError> { Ok(drop(self.record.replace(Some(json.into())))) }
    /// #   fn clear(&self) { self.record.take(); } fn dispatch(&self, name: &str, _: &str) { self.events.borrow_mut().push(name.into()) }
    /// #   fn location(&self) -> Location { Location { host: "example.org".into(), path: "/".into(), https: true } }
    /// #   fn cookies(&self) -> String { String::new() } fn set_cookie(&self, _: &str) {} fn tell(&self, _: &str, _: &str) -> bool { false }
    /// #   fn changed(&self, _: ConsentDetail) {} fn beacon(&self, _: &str, _: &str) {} fn reload(&self) {} fn report(&self, _: ErrorDetail) {}
    /// # }
    /// # let config = Config::default();
    /// # let (setting, page) = (Setting { config: &config, shown: None, gpc_declined: &[] }, Memory::default());
    /// use consent_banner::consent::Action;
    /// use consent_banner::map::Map;
    /// use consent_banner::record::Source;
    ///
    /// let mut banner = Banner::mount(setting, &page, InitialView::Auto);
    /// let custom = Action::Set(Map::from([("statistics", true)]));
    /// banner.decide(setting, &page, custom, Source::Banner);
    /// assert!(banner.is_on("statistics") && !banner.is_on("functional"));
    /// assert_eq!(*page.events.borrow(), ["consent:change", "consent:hide"]);
    /// ```
    pub fn decide(&mut self, setting: Setting, page: &impl Page, action: Action, source: Source) {
        let now = page.now();
        let record = decide(
            setting.config,
            self.record.as_ref(),
            &action,
            now,
            &page.random_id(),
            source,
        );
        self.change(setting, page, now, Some(record), View::Closed);
    }

    /// Forgets the decision: the record and the cookie mirror go, every optional category is
    /// declined until the user decides again (source `gpc` when the signal declines some), and
    /// the first layer shows. The same path as a decision (module docs).
    ///
    /// ```
    /// # use std::cell::RefCell;
    /// # use consent_banner::{config::Config, core::banner::*, events::*};
    /// # #[derive(Default)] struct Memory { record: RefCell<Option<String>>, events: RefCell<Vec<String>> }
    /// # impl Page for Memory {
    /// #   fn now(&self) -> u64 { 1_800_000_000_000 } fn random_id(&self) -> String { "id-1".into() }
    /// #   fn persistent(&self) -> bool { true } fn load(&self) -> Option<String> { self.record.borrow().clone() }
    /// #   fn store(&self, json: &str) -> Result<(), StorageError> { Ok(drop(self.record.replace(Some(json.into())))) }
    /// #   fn clear(&self) { self.record.take(); } fn dispatch(&self, name: &str, _: &str) { self.events.borrow_mut().push(name.into()) }
    /// #   fn location(&self) -> Location { Location { host: "example.org".into(), path: "/".into(), https: true } }
    /// #   fn cookies(&self) -> String { String::new() } fn set_cookie(&self, _: &str) {} fn tell(&self, _: &str, _: &str) -> bool { false }
    /// #   fn changed(&self, _: ConsentDetail) {} fn beacon(&self, _: &str, _: &str) {} fn reload(&self) {} fn report(&self, _: ErrorDetail) {}
    /// # }
    /// # let config = Config::default();
    /// # let (setting, page) = (Setting { config: &config, shown: None, gpc_declined: &[] }, Memory::default());
    /// use consent_banner::consent::Action;
    /// use consent_banner::record::Source;
    ///
    /// let mut banner = Banner::mount(setting, &page, InitialView::Auto);
    /// banner.decide(setting, &page, Action::AcceptAll, Source::Banner);
    /// banner.reset(setting, &page);
    /// assert_eq!((banner.record.as_ref(), banner.view), (None, View::FirstLayer));
    /// assert_eq!(page.load(), None);
    /// ```
    pub fn reset(&mut self, setting: Setting, page: &impl Page) {
        let now = page.now();
        self.change(setting, page, now, None, View::FirstLayer);
    }

    /// Another tab changed the stored record: take it over (the loader has told the page), and
    /// close when it is a valid decision.
    ///
    /// ```
    /// # use std::cell::RefCell;
    /// # use consent_banner::{config::Config, core::banner::*, events::*};
    /// # #[derive(Default)] struct Memory { record: RefCell<Option<String>>, events: RefCell<Vec<String>> }
    /// # impl Page for Memory {
    /// #   fn now(&self) -> u64 { 1_800_000_000_000 } fn random_id(&self) -> String { "id-1".into() }
    /// #   fn persistent(&self) -> bool { true } fn load(&self) -> Option<String> { self.record.borrow().clone() }
    /// #   fn store(&self, json: &str) -> Result<(), StorageError> { Ok(drop(self.record.replace(Some(json.into())))) }
    /// #   fn clear(&self) { self.record.take(); } fn dispatch(&self, name: &str, _: &str) { self.events.borrow_mut().push(name.into()) }
    /// #   fn location(&self) -> Location { Location { host: "example.org".into(), path: "/".into(), https: true } }
    /// #   fn cookies(&self) -> String { String::new() } fn set_cookie(&self, _: &str) {} fn tell(&self, _: &str, _: &str) -> bool { false }
    /// #   fn changed(&self, _: ConsentDetail) {} fn beacon(&self, _: &str, _: &str) {} fn reload(&self) {} fn report(&self, _: ErrorDetail) {}
    /// # }
    /// # let config = Config::default();
    /// # let (setting, page) = (Setting { config: &config, shown: None, gpc_declined: &[] }, Memory::default());
    /// use consent_banner::consent::{decide, Action};
    /// use consent_banner::record::Source;
    ///
    /// let mut banner = Banner::mount(setting, &page, InitialView::Auto);
    /// // Another tab decided.
    /// let record = decide(&config, None, &Action::AcceptAll, page.now(), "id-2", Source::Banner);
    /// page.store(&record.to_json()).unwrap();
    /// banner.sync(setting, &page);
    /// assert_eq!((banner.record, banner.view), (Some(record), View::Closed));
    /// ```
    pub fn sync(&mut self, setting: Setting, page: &impl Page) {
        let stored = Stored::parse(page.load().as_deref());
        self.record = stored.valid_record(setting.config, page.now()).cloned();
        if self.record.is_some() {
            self.open(page, View::Closed);
        }
    }

    /// Shows `view`: `consent:show` when something appears, `consent:hide` when all closes.
    ///
    /// ```
    /// # use std::cell::RefCell;
    /// # use consent_banner::{config::Config, core::banner::*, events::*};
    /// # #[derive(Default)] struct Memory { record: RefCell<Option<String>>, events: RefCell<Vec<String>> }
    /// # impl Page for Memory {
    /// #   fn now(&self) -> u64 { 1_800_000_000_000 } fn random_id(&self) -> String { "id-1".into() }
    /// #   fn persistent(&self) -> bool { true } fn load(&self) -> Option<String> { self.record.borrow().clone() }
    /// #   fn store(&self, json: &str) -> Result<(), StorageError> { Ok(drop(self.record.replace(Some(json.into())))) }
    /// #   fn clear(&self) { self.record.take(); } fn dispatch(&self, name: &str, _: &str) { self.events.borrow_mut().push(name.into()) }
    /// #   fn location(&self) -> Location { Location { host: "example.org".into(), path: "/".into(), https: true } }
    /// #   fn cookies(&self) -> String { String::new() } fn set_cookie(&self, _: &str) {} fn tell(&self, _: &str, _: &str) -> bool { false }
    /// #   fn changed(&self, _: ConsentDetail) {} fn beacon(&self, _: &str, _: &str) {} fn reload(&self) {} fn report(&self, _: ErrorDetail) {}
    /// # }
    /// # let config = Config::default();
    /// # let (setting, page) = (Setting { config: &config, shown: None, gpc_declined: &[] }, Memory::default());
    /// let mut banner = Banner::mount(setting, &page, InitialView::Closed);
    /// banner.open(&page, View::Preferences);
    /// banner.open(&page, View::Closed);
    /// assert_eq!(*page.events.borrow(), ["consent:show", "consent:hide"]);
    /// ```
    pub fn open(&mut self, page: &impl Page, view: View) {
        let before = std::mem::replace(&mut self.view, view);
        match (before == View::Closed, view == View::Closed) {
            (true, false) => page.dispatch(events::SHOW, "{}"),
            (false, true) => page.dispatch(events::HIDE, "{}"),
            _ => {}
        }
    }

    /// Closes the preferences without deciding: back to the first layer while undecided.
    ///
    /// ```
    /// # use std::cell::RefCell;
    /// # use consent_banner::{config::Config, core::banner::*, events::*};
    /// # #[derive(Default)] struct Memory { record: RefCell<Option<String>>, events: RefCell<Vec<String>> }
    /// # impl Page for Memory {
    /// #   fn now(&self) -> u64 { 1_800_000_000_000 } fn random_id(&self) -> String { "id-1".into() }
    /// #   fn persistent(&self) -> bool { true } fn load(&self) -> Option<String> { self.record.borrow().clone() }
    /// #   fn store(&self, json: &str) -> Result<(), StorageError> { Ok(drop(self.record.replace(Some(json.into())))) }
    /// #   fn clear(&self) { self.record.take(); } fn dispatch(&self, name: &str, _: &str) { self.events.borrow_mut().push(name.into()) }
    /// #   fn location(&self) -> Location { Location { host: "example.org".into(), path: "/".into(), https: true } }
    /// #   fn cookies(&self) -> String { String::new() } fn set_cookie(&self, _: &str) {} fn tell(&self, _: &str, _: &str) -> bool { false }
    /// #   fn changed(&self, _: ConsentDetail) {} fn beacon(&self, _: &str, _: &str) {} fn reload(&self) {} fn report(&self, _: ErrorDetail) {}
    /// # }
    /// # let config = Config::default();
    /// # let (setting, page) = (Setting { config: &config, shown: None, gpc_declined: &[] }, Memory::default());
    /// let mut banner = Banner::mount(setting, &page, InitialView::Preferences);
    /// banner.close_preferences(&page);
    /// assert_eq!(banner.view, View::FirstLayer); // undecided: the first layer stays
    /// ```
    pub fn close_preferences(&mut self, page: &impl Page) {
        let view = if self.record.is_some() {
            View::Closed
        } else {
            View::FirstLayer
        };
        self.open(page, view);
    }

    /// Whether the first layer says that the GPC signal was honoured: it declines something
    /// (`gpc_declined`, [`Setting::gpc_declined`]) and the visitor has not decided.
    ///
    /// ```
    /// use consent_banner::core::banner::{Banner, View};
    ///
    /// let undecided = Banner { record: None, view: View::FirstLayer, persisted: true };
    /// assert!(undecided.gpc_honoured(&["ads".to_string()]));
    /// assert!(!undecided.gpc_honoured(&[]));
    /// ```
    pub fn gpc_honoured(&self, gpc_declined: &[String]) -> bool {
        self.record.is_none() && !gpc_declined.is_empty()
    }

    /// Whether the category `id` is on in the preferences' switches.
    ///
    /// ```
    /// use consent_banner::config::Config;
    /// use consent_banner::consent::{decide, Action};
    /// use consent_banner::core::banner::{Banner, View};
    /// use consent_banner::record::Source;
    ///
    /// let config = Config::default();
    /// let record = decide(&config, None, &Action::RejectAll, 7, "id-1", Source::Banner);
    /// let banner = Banner { record: Some(record), view: View::Closed, persisted: true };
    /// assert!(banner.is_on("essential") && !banner.is_on("statistics"));
    /// ```
    pub fn is_on(&self, id: &str) -> bool {
        self.record
            .as_ref()
            .is_some_and(|r| r.categories.get(id) == Some(&true))
    }

    /// The one path of every change of the decision: `record` replaces the current one (`None`:
    /// forgotten), in the order of the module docs.
    fn change(
        &mut self,
        setting: Setting,
        page: &impl Page,
        now: u64,
        record: Option<ConsentRecord>,
        view: View,
    ) {
        let config = setting.config;
        let previous = self.record.take();
        let before = accepted(config, previous.as_ref(), now);
        let persisted = match &record {
            Some(record) => match page.store(&record.to_json()) {
                Ok(()) => true,
                Err(error) => {
                    page.report(error.into());
                    false
                }
            },
            None => {
                page.clear();
                page.persistent()
            }
        };
        let after = accepted(config, record.as_ref(), now);
        let here = page.location();
        if let Some(mirror) = &config.cookie {
            let cookies = match &record {
                Some(record) => cookies::mirror(mirror, record, now, here.https)
                    .into_iter()
                    .collect(),
                None => cookies::mirror_deletion(mirror, &here.host, &here.path),
            };
            for cookie in cookies {
                page.set_cookie(&cookie);
            }
        }
        // The declined categories' Web Storage keys are the loader's to delete, on every page view
        // and change ([`cookies::storage_deletions`] is the rule).
        let present = cookies::names(&page.cookies());
        for deletion in cookies::deletions(config, &after, &present, &here.host, &here.path) {
            page.set_cookie(&deletion);
        }
        let receipt = setting.shown.and_then(|shown| match (&record, &previous) {
            (Some(record), _) => Some(Receipt::decision(config, shown, record, &before)),
            (None, Some(previous)) => Some(Receipt::reset(config, shown, previous, now)),
            (None, None) => None,
        });
        let mut detail =
            ConsentDetail::new(config, record.as_ref(), changed(&before, &after), persisted);
        if record.is_none() && !setting.gpc_declined.is_empty() {
            detail.source = Some(Source::Gpc);
        }
        let withdrawn = before.difference(&after).next().is_some();
        self.record = record;
        self.persisted = persisted;
        emit(page, detail);
        if let (Some(url), Some(receipt)) = (&config.receipt_endpoint, receipt) {
            page.beacon(url, &receipt.to_json());
        }
        self.open(page, view);
        if withdrawn && config.reload_on_withdraw {
            page.reload();
        }
    }
}

/// `consent:change`: the loader's channel first (the public event is an output only: the loader
/// never listens to it), then the page, then the host app.
fn emit(page: &impl Page, detail: ConsentDetail) {
    let json = detail.to_json();
    page.tell("change", &json);
    page.dispatch(events::CHANGE, &json);
    page.changed(detail);
}

#[cfg(test)]
mod tests;
