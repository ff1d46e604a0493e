//! Every transition of the banner, natively, with a recorder for a browser: what is stored, which
//! cookies are written, what the loader's channel, the page, the host app and the receipt endpoint
//! hear, and in which order.

use std::cell::{Cell, RefCell};

use super::*;
use crate::core::gpc;
use crate::core::record::Stored;

const NOW: u64 = 1_800_000_000_000;

/// One effect on the browser, as the recorder saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Effect {
    Store(String),
    Clear,
    Cookie(String),
    Tell(String),
    Dispatch(&'static str, String),
    Changed(ConsentDetail),
    Beacon(String),
    Reload,
    Report(ErrorKind, String),
}

/// A browser for the banner: storage (that may be missing or full), cookies, and a log.
struct Recorder {
    now: Cell<u64>,
    stored: RefCell<Option<String>>,
    /// `None`: writes succeed; else what every write fails with.
    write_fails: Option<StorageError>,
    persistent: bool,
    cookies: RefCell<Vec<String>>,
    ids: Cell<u32>,
    log: RefCell<Vec<Effect>>,
}

impl Recorder {
    fn new() -> Recorder {
        Recorder {
            now: Cell::new(NOW),
            stored: RefCell::new(None),
            write_fails: None,
            persistent: true,
            cookies: RefCell::new(Vec::new()),
            ids: Cell::new(0),
            log: RefCell::new(Vec::new()),
        }
    }

    /// localStorage blocked (a sandboxed iframe): the probe failed, every write fails.
    fn blocked() -> Recorder {
        Recorder {
            persistent: false,
            write_fails: Some(StorageError::Unavailable),
            ..Recorder::new()
        }
    }

    /// localStorage full: the probe passed, the write of the record fails.
    fn full() -> Recorder {
        Recorder {
            write_fails: Some(StorageError::Write(
                "QuotaExceededError: the quota has been exceeded".into(),
            )),
            ..Recorder::new()
        }
    }

    fn with_record(self, json: &str) -> Recorder {
        *self.stored.borrow_mut() = Some(json.to_string());
        self
    }

    fn with_cookies(self, names: &[&str]) -> Recorder {
        *self.cookies.borrow_mut() = names.iter().map(|n| n.to_string()).collect();
        self
    }

    /// The effects since the last call.
    fn take(&self) -> Vec<Effect> {
        std::mem::take(&mut *self.log.borrow_mut())
    }

    fn record(&self) -> Option<ConsentRecord> {
        match Stored::parse(self.stored.borrow().as_deref()) {
            Stored::Record(record) => Some(record),
            _ => None,
        }
    }
}

impl Page for Recorder {
    fn now(&self) -> u64 {
        self.now.get()
    }
    fn random_id(&self) -> String {
        self.ids.set(self.ids.get() + 1);
        format!("id-{}", self.ids.get())
    }
    fn persistent(&self) -> bool {
        self.persistent
    }
    fn load(&self) -> Option<String> {
        self.stored.borrow().clone()
    }
    fn store(&self, record_json: &str) -> Result<(), StorageError> {
        self.log
            .borrow_mut()
            .push(Effect::Store(record_json.into()));
        match &self.write_fails {
            Some(error) => Err(error.clone()),
            None => {
                *self.stored.borrow_mut() = Some(record_json.into());
                Ok(())
            }
        }
    }
    fn clear(&self) {
        self.log.borrow_mut().push(Effect::Clear);
        *self.stored.borrow_mut() = None;
    }
    fn cookies(&self) -> String {
        self.cookies
            .borrow()
            .iter()
            .map(|name| name.clone() + "=1")
            .collect::<Vec<_>>()
            .join("; ")
    }
    fn set_cookie(&self, cookie: &str) {
        self.log.borrow_mut().push(Effect::Cookie(cookie.into()));
    }
    fn location(&self) -> Location {
        Location {
            host: "example.org".into(),
            path: "/".into(),
            https: true,
        }
    }
    fn tell(&self, name: &str, text: &str) -> bool {
        assert_eq!(name, "change", "the only message of the banner's own");
        self.log.borrow_mut().push(Effect::Tell(text.into()));
        true
    }
    fn dispatch(&self, name: &str, detail_json: &str) {
        let name = [events::CHANGE, events::SHOW, events::HIDE]
            .into_iter()
            .find(|n| *n == name)
            .unwrap_or_else(|| panic!("unexpected event {name}"));
        self.log
            .borrow_mut()
            .push(Effect::Dispatch(name, detail_json.into()));
    }
    fn changed(&self, detail: ConsentDetail) {
        self.log.borrow_mut().push(Effect::Changed(detail));
    }
    fn beacon(&self, url: &str, body: &str) {
        assert_eq!(url, "/receipts");
        self.log.borrow_mut().push(Effect::Beacon(body.into()));
    }
    fn reload(&self) {
        self.log.borrow_mut().push(Effect::Reload);
    }
    fn report(&self, error: ErrorDetail) {
        self.log
            .borrow_mut()
            .push(Effect::Report(error.kind, error.message));
    }
}

fn config(json: &str) -> Config {
    Config::from_json(json).unwrap_or_else(|e| panic!("{e}"))
}

/// The banner's fixed inputs, owned.
struct Fixture {
    config: Config,
    shown: Option<Shown>,
    gpc_declined: Vec<String>,
}

impl Fixture {
    fn new(config: Config, gpc_signal: bool) -> Fixture {
        let shown = config
            .receipt_endpoint
            .as_ref()
            .map(|_| Shown::new(&config, &crate::core::texts::resolve(&config, "en")));
        let gpc_declined = gpc::declined(&config, gpc_signal);
        Fixture {
            config,
            shown,
            gpc_declined,
        }
    }

    fn setting(&self) -> Setting<'_> {
        Setting {
            config: &self.config,
            shown: self.shown.as_ref(),
            gpc_declined: &self.gpc_declined,
        }
    }

    /// Mounts and starts the banner, as the UI does, and forgets the effects.
    fn mounted(&self, page: &Recorder, initial: InitialView) -> Banner {
        let mut banner = Banner::mount(self.setting(), page, initial);
        banner.command(self.setting(), page, Command::Start);
        page.take();
        banner
    }
}

fn accept() -> Command {
    Command::Decide(Action::AcceptAll, Source::Banner)
}

fn decline() -> Command {
    Command::Decide(Action::RejectAll, Source::Banner)
}

/// The effects with the event details and stored bytes reduced to their names, to check order.
fn kinds(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .map(|e| match e {
            Effect::Store(_) => "store".to_string(),
            Effect::Clear => "clear".into(),
            Effect::Cookie(c) => "cookie ".to_string() + c.split(';').next().unwrap_or(""),
            Effect::Tell(_) => "tell change".into(),
            Effect::Dispatch(name, _) => (*name).into(),
            Effect::Changed(_) => "on_change".into(),
            Effect::Beacon(_) => "beacon".into(),
            Effect::Reload => "reload".into(),
            Effect::Report(kind, _) => "report ".to_string() + kind.name(),
        })
        .collect()
}

fn change_detail(effects: &[Effect]) -> ConsentDetail {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Changed(detail) => Some(detail.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no change in {effects:?}"))
}

fn beacon(effects: &[Effect]) -> String {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Beacon(body) => Some(body.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no receipt in {effects:?}"))
}

const RECEIPTS: &str = r#"{"receiptEndpoint":"/receipts"}"#;

#[test]
fn a_first_visit_shows_the_first_layer_and_says_so_once_drawn() {
    let page = Recorder::new();
    let fixture = Fixture::new(Config::default(), false);
    let mut banner = Banner::mount(fixture.setting(), &page, InitialView::Auto);
    assert_eq!(banner.view, View::FirstLayer);
    assert!(page.take().is_empty(), "nothing before the first render");
    banner.command(fixture.setting(), &page, Command::Start);
    assert_eq!(kinds(&page.take()), ["consent:show"]);
}

#[test]
fn a_valid_stored_decision_keeps_the_banner_closed_and_quiet() {
    let stored = crate::core::consent::decide(
        &Config::default(),
        None,
        &Action::AcceptAll,
        NOW - 1000,
        "kept",
        Source::Banner,
    );
    let page = Recorder::new().with_record(&stored.to_json());
    let fixture = Fixture::new(Config::default(), false);
    let mut banner = Banner::mount(fixture.setting(), &page, InitialView::Auto);
    banner.command(fixture.setting(), &page, Command::Start);
    assert_eq!(banner.view, View::Closed);
    assert_eq!(banner.record, Some(stored));
    assert!(page.take().is_empty());
    // Opened from a page link: straight into the preferences, with the decision on the switches.
    let mut banner = Banner::mount(fixture.setting(), &page, InitialView::Preferences);
    assert_eq!(banner.view, View::Preferences);
    assert!(banner.is_on("statistics"));
    banner.command(fixture.setting(), &page, Command::Start);
    assert_eq!(kinds(&page.take()), ["consent:show"]);
}

#[test]
fn a_corrupt_record_is_a_record_error_and_no_decision() {
    let page = Recorder::new().with_record(r#"{"v":1,"revision":"one"}"#);
    let fixture = Fixture::new(Config::default(), false);
    let banner = Banner::mount(fixture.setting(), &page, InitialView::Auto);
    assert_eq!(banner.record, None);
    assert_eq!(banner.view, View::FirstLayer);
    let effects = page.take();
    assert!(
        matches!(&effects[..], [Effect::Report(ErrorKind::Record, m)] if m.starts_with("record: ignored the stored decision (not a consent record: ")),
        "{effects:?}"
    );
}

#[test]
fn accept_stores_then_tells_the_loader_then_the_page_then_sends_the_receipt_then_closes() {
    let page = Recorder::new();
    let fixture = Fixture::new(config(RECEIPTS), false);
    let mut banner = fixture.mounted(&page, InitialView::Auto);
    banner.command(fixture.setting(), &page, accept());
    let effects = page.take();
    assert_eq!(
        kinds(&effects),
        [
            "store",
            "tell change",
            "consent:change",
            "on_change",
            "beacon",
            "consent:hide"
        ]
    );
    let stored = page.record().unwrap_or_else(|| panic!("nothing stored"));
    assert_eq!(banner.record.as_ref(), Some(&stored));
    assert!(stored.categories.iter().all(|(_, on)| *on));
    assert_eq!(
        (stored.id.as_str(), stored.source),
        ("id-1", Source::Banner)
    );
    // The channel, the page and the host app hear the same state, the one stored.
    let detail = change_detail(&effects);
    let json = detail.to_json();
    assert!(effects.contains(&Effect::Tell(json.clone())));
    assert!(effects.contains(&Effect::Dispatch(events::CHANGE, json)));
    assert!(detail.decided && detail.persisted);
    assert_eq!(detail.changed, ["functional", "statistics"]);
    assert_eq!(detail.id.as_deref(), Some("id-1"));
    let receipt = beacon(&effects);
    assert!(receipt.contains(r#""id":"id-1""#) && receipt.contains(r#""action":"accept""#));
    assert_eq!(banner.view, View::Closed);
}

#[test]
fn decline_and_a_custom_choice_store_what_was_chosen() {
    let page = Recorder::new();
    let fixture = Fixture::new(Config::default(), false);
    let mut banner = fixture.mounted(&page, InitialView::Auto);
    banner.command(fixture.setting(), &page, decline());
    let stored = page.record().unwrap_or_else(|| panic!("nothing stored"));
    assert_eq!(
        stored.categories,
        [
            ("essential".to_string(), true),
            ("functional".to_string(), false),
            ("statistics".to_string(), false)
        ]
        .into()
    );
    assert!(change_detail(&page.take()).changed.is_empty());
    let choice = Action::Set([("statistics".to_string(), true)].into());
    banner.command(
        fixture.setting(),
        &page,
        Command::Decide(choice, Source::Api),
    );
    let stored = page.record().unwrap_or_else(|| panic!("nothing stored"));
    assert_eq!(
        (
            stored.categories["statistics"],
            stored.categories["functional"]
        ),
        (true, false),
        "the other category keeps its decision"
    );
    assert_eq!((stored.id.as_str(), stored.source), ("id-1", Source::Api));
    let detail = change_detail(&page.take());
    assert_eq!(detail.changed, ["statistics"]);
    assert_eq!(detail.source, Some(Source::Api));
}

#[test]
fn full_storage_reports_a_storage_error_and_the_choice_holds_for_the_page() {
    let page = Recorder::full();
    let fixture = Fixture::new(Config::default(), false);
    let mut banner = fixture.mounted(&page, InitialView::Auto);
    banner.command(fixture.setting(), &page, accept());
    let effects = page.take();
    assert_eq!(
        kinds(&effects)[..3],
        ["store", "report storage", "tell change"],
        "the error first, then the change"
    );
    assert!(effects.contains(&Effect::Report(
        ErrorKind::Storage,
        "storage: could not save the choice (QuotaExceededError: the quota has been exceeded); it holds for this page only".into()
    )));
    let detail = change_detail(&effects);
    assert!(detail.decided && !detail.persisted);
    assert!(detail.categories["statistics"], "the choice applies here");
    assert!(!banner.persisted && banner.record.is_some());
    assert_eq!(page.record(), None);
}

#[test]
fn blocked_storage_reports_a_storage_error_and_a_reset_says_not_persisted() {
    let page = Recorder::blocked();
    let fixture = Fixture::new(Config::default(), false);
    let mut banner = fixture.mounted(&page, InitialView::Auto);
    assert!(!banner.persisted);
    banner.command(fixture.setting(), &page, decline());
    let effects = page.take();
    assert!(effects.contains(&Effect::Report(
        ErrorKind::Storage,
        "storage: localStorage is unavailable; the choice holds for this page only".into()
    )));
    assert!(!change_detail(&effects).persisted);
    banner.command(fixture.setting(), &page, Command::Reset);
    assert!(!change_detail(&page.take()).persisted);
}

#[test]
fn a_withdrawal_deletes_the_declined_cookies_before_the_page_hears_and_reloads_last() {
    let json = r#"{"reloadOnWithdraw":true,"categories":[
        {"id":"essential","label":"E","required":true},
        {"id":"statistics","label":"S","cookies":["_stats*"]}]}"#;
    let page = Recorder::new().with_cookies(&["_stats_id", "session"]);
    let fixture = Fixture::new(config(json), false);
    let mut banner = fixture.mounted(&page, InitialView::Auto);
    banner.command(fixture.setting(), &page, accept());
    assert!(
        !page.take().contains(&Effect::Reload),
        "accepting withdraws nothing"
    );
    banner.command(fixture.setting(), &page, decline());
    let effects = page.take();
    let kinds = kinds(&effects);
    assert_eq!(kinds.first().map(String::as_str), Some("store"));
    assert_eq!(kinds.last().map(String::as_str), Some("reload"));
    let first_event = kinds.iter().position(|k| k == "tell change");
    let deletions: Vec<usize> = kinds
        .iter()
        .enumerate()
        .filter(|(_, k)| *k == "cookie _stats_id=")
        .map(|(i, _)| i)
        .collect();
    assert!(!deletions.is_empty(), "{kinds:?}");
    assert!(deletions.iter().all(|i| Some(*i) < first_event));
    assert!(
        effects.contains(&Effect::Cookie(
            "_stats_id=; Max-Age=0; Path=/; Domain=.example.org".into()
        )),
        "on the parent domain too"
    );
    assert!(
        !kinds.iter().any(|k| k.starts_with("cookie session")),
        "an unlisted cookie stays"
    );
    assert_eq!(change_detail(&effects).changed, ["statistics"]);
    // Declining again withdraws nothing: no reload.
    banner.command(fixture.setting(), &page, decline());
    assert!(!page.take().contains(&Effect::Reload));
}

#[test]
fn without_reload_on_withdraw_a_withdrawal_keeps_the_page() {
    let page = Recorder::new();
    let fixture = Fixture::new(Config::default(), false);
    let mut banner = fixture.mounted(&page, InitialView::Auto);
    banner.command(fixture.setting(), &page, accept());
    banner.command(fixture.setting(), &page, decline());
    assert!(!page.take().contains(&Effect::Reload));
}

#[test]
fn the_cookie_mirror_is_written_after_the_store_and_before_the_change() {
    let page = Recorder::new();
    let fixture = Fixture::new(config(r#"{"cookie":{"name":"consent"}}"#), false);
    let mut banner = fixture.mounted(&page, InitialView::Auto);
    banner.command(fixture.setting(), &page, accept());
    let effects = page.take();
    let kinds = kinds(&effects);
    assert_eq!(kinds[..3], ["store", "cookie consent=%7B%22v%22%3A1%2C%22revision%22%3A1%2C%22accepted%22%3A%5B%22essential%22%2C%22functional%22%2C%22statistics%22%5D%2C%22id%22%3A%22id-1%22%2C%22updated%22%3A1800000000000%2C%22expires%22%3A1815724800000%7D", "tell change"]);
    // A reset deletes it, at the path of the config and every visible one.
    banner.command(fixture.setting(), &page, Command::Reset);
    let effects = page.take();
    assert!(effects.contains(&Effect::Cookie("consent=; Max-Age=0; Path=/".into())));
}

#[test]
fn gpc_on_mount_declines_the_sharing_categories_once_while_undecided() {
    let json = r#"{"receiptEndpoint":"/receipts","categories":[
        {"id":"essential","label":"E","required":true},
        {"id":"statistics","label":"S"},{"id":"ads","label":"A","sharesData":true}]}"#;
    let fixture = Fixture::new(config(json), true);
    let page = Recorder::new();
    let mut banner = Banner::mount(fixture.setting(), &page, InitialView::Auto);
    assert!(banner.gpc_honoured(&fixture.gpc_declined));
    banner.command(fixture.setting(), &page, Command::Start);
    let effects = page.take();
    assert_eq!(
        kinds(&effects),
        [
            "tell change",
            "consent:change",
            "on_change",
            "beacon",
            "consent:show"
        ]
    );
    let detail = change_detail(&effects);
    assert_eq!((detail.decided, detail.source), (false, Some(Source::Gpc)));
    assert!(!detail.categories["ads"] && !detail.categories["statistics"]);
    let receipt = beacon(&effects);
    assert!(receipt.contains(r#""action":"gpc""#), "{receipt}");
    assert!(receipt.contains(r#""categories":{"ads":false,"essential":true}"#));
    assert_eq!(page.record(), None, "nothing stored");
    // The visitor's own Accept all wins over the signal.
    banner.command(fixture.setting(), &page, accept());
    assert!(change_detail(&page.take()).categories["ads"]);
    assert!(!banner.gpc_honoured(&fixture.gpc_declined));
    // Decided: no GPC change on the next page view.
    let mut next = Banner::mount(fixture.setting(), &page, InitialView::Auto);
    next.command(fixture.setting(), &page, Command::Start);
    assert!(page.take().is_empty());
}

#[test]
fn reset_forgets_the_decision_through_the_path_of_every_change() {
    let fixture = Fixture::new(config(RECEIPTS), false);
    let page = Recorder::new();
    let mut banner = fixture.mounted(&page, InitialView::Auto);
    banner.command(fixture.setting(), &page, accept());
    let id = banner.record.as_ref().map(|r| r.id.clone());
    page.take();
    banner.command(fixture.setting(), &page, Command::Reset);
    let effects = page.take();
    assert_eq!(
        kinds(&effects),
        [
            "clear",
            "tell change",
            "consent:change",
            "on_change",
            "beacon",
            "consent:show"
        ]
    );
    assert_eq!(page.record(), None);
    assert_eq!(
        (banner.record.as_ref(), banner.view),
        (None, View::FirstLayer)
    );
    let detail = change_detail(&effects);
    assert!(!detail.decided && detail.persisted);
    assert_eq!(detail.changed, ["functional", "statistics"]);
    assert_eq!(detail.source, None);
    let receipt = beacon(&effects);
    assert!(
        receipt.contains(r#""action":"withdraw","source":"api""#),
        "{receipt}"
    );
    assert!(receipt.contains(&format!(r#""id":"{}""#, id.unwrap_or_default())));
    // Nothing decided: a reset changes nothing and sends no receipt.
    banner.command(fixture.setting(), &page, Command::Reset);
    let effects = page.take();
    assert!(change_detail(&effects).changed.is_empty());
    assert!(!kinds(&effects).contains(&"beacon".to_string()));
}

#[test]
fn reset_under_gpc_says_the_signal_is_in_force_again() {
    let json = r#"{"categories":[{"id":"essential","label":"E","required":true},
        {"id":"ads","label":"A","sharesData":true}]}"#;
    let fixture = Fixture::new(config(json), true);
    let page = Recorder::new();
    let mut banner = fixture.mounted(&page, InitialView::Auto);
    banner.command(fixture.setting(), &page, accept());
    page.take();
    banner.command(fixture.setting(), &page, Command::Reset);
    let detail = change_detail(&page.take());
    assert_eq!((detail.decided, detail.source), (false, Some(Source::Gpc)));
    assert!(banner.gpc_honoured(&fixture.gpc_declined));
}

#[test]
fn another_tabs_decision_closes_the_banner_without_a_second_change_event() {
    let fixture = Fixture::new(Config::default(), false);
    let page = Recorder::new();
    let mut banner = fixture.mounted(&page, InitialView::Auto);
    // Another tab writes something that is no decision: the banner stays.
    *page.stored.borrow_mut() = Some(r#"{"v":2}"#.into());
    banner.command(fixture.setting(), &page, Command::Sync);
    assert_eq!(banner.view, View::FirstLayer);
    let other = crate::core::consent::decide(
        &fixture.config,
        None,
        &Action::RejectAll,
        NOW,
        "other",
        Source::Banner,
    );
    *page.stored.borrow_mut() = Some(other.to_json());
    banner.command(fixture.setting(), &page, Command::Sync);
    assert_eq!(banner.view, View::Closed);
    assert_eq!(banner.record, Some(other));
    // The loader has told the page (source storage): the banner only hides.
    assert_eq!(kinds(&page.take()), ["consent:hide"]);
    // Another tab's reset: the decision goes, what is shown stays.
    *page.stored.borrow_mut() = None;
    banner.command(fixture.setting(), &page, Command::Sync);
    assert_eq!((banner.record.as_ref(), banner.view), (None, View::Closed));
    assert!(page.take().is_empty());
}

#[test]
fn show_and_hide_are_said_only_when_the_banner_appears_or_goes() {
    let fixture = Fixture::new(Config::default(), false);
    let page = Recorder::new();
    let mut banner = fixture.mounted(&page, InitialView::Closed);
    let mut run = |command| {
        banner.command(fixture.setting(), &page, command);
        (banner.view, kinds(&page.take()))
    };
    assert_eq!(run(Command::Hide), (View::Closed, vec![]));
    assert_eq!(
        run(Command::ShowPreferences),
        (View::Preferences, vec!["consent:show".to_string()])
    );
    assert_eq!(run(Command::Show), (View::FirstLayer, vec![]));
    assert_eq!(run(Command::ShowPreferences), (View::Preferences, vec![]));
    // Closing the preferences undecided goes back to the first layer...
    assert_eq!(run(Command::ClosePreferences), (View::FirstLayer, vec![]));
    assert_eq!(
        run(Command::Hide),
        (View::Closed, vec!["consent:hide".to_string()])
    );
    // ...and once decided, closes.
    run(Command::ShowPreferences);
    run(accept());
    run(Command::ShowPreferences);
    assert_eq!(
        run(Command::ClosePreferences),
        (View::Closed, vec!["consent:hide".to_string()])
    );
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn command() -> impl Strategy<Value = Command> {
        let id = prop_oneof![Just("functional"), Just("statistics"), Just("ads")];
        let source = prop_oneof![Just(Source::Banner), Just(Source::Api)];
        prop_oneof![
            Just(Command::Show),
            Just(Command::ShowPreferences),
            Just(Command::Hide),
            Just(Command::ClosePreferences),
            Just(Command::Reset),
            Just(Command::Sync),
            source
                .clone()
                .prop_map(|s| Command::Decide(Action::AcceptAll, s)),
            source
                .clone()
                .prop_map(|s| Command::Decide(Action::RejectAll, s)),
            (proptest::collection::vec((id, any::<bool>()), 0..3), source).prop_map(
                |(pairs, s)| Command::Decide(
                    Action::Set(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()),
                    s
                )
            ),
        ]
    }

    proptest! {
        /// What a page and a visitor see over any sequence: `consent:show` and `consent:hide`
        /// alternate with what is on screen; every `consent:change` is told to the loader first
        /// and carries what is stored (when storage works); nothing optional is on without a
        /// decision; a reload follows only a change that took back a category.
        #[test]
        fn what_the_page_hears_follows_what_the_visitor_did(
            commands in proptest::collection::vec(command(), 0..20),
            gpc_signal in any::<bool>(),
            full in any::<bool>(),
        ) {
            let json = r#"{"reloadOnWithdraw":true,"receiptEndpoint":"/receipts","categories":[
                {"id":"essential","label":"E","required":true},
                {"id":"functional","label":"F"},{"id":"ads","label":"A","sharesData":true}]}"#;
            let fixture = Fixture::new(config(json), gpc_signal);
            let page = if full { Recorder::full() } else { Recorder::new() };
            let mut banner = Banner::mount(fixture.setting(), &page, InitialView::Auto);
            let mut shown = false;
            let mut accepted: Vec<String> = Vec::new();
            for command in std::iter::once(Command::Start).chain(commands) {
                banner.command(fixture.setting(), &page, command);
                let effects = page.take();
                for (i, effect) in effects.iter().enumerate() {
                    match effect {
                        Effect::Dispatch(name, _) if *name == events::SHOW => {
                            prop_assert!(!shown, "shown twice");
                            shown = true;
                        }
                        Effect::Dispatch(name, _) if *name == events::HIDE => {
                            prop_assert!(shown, "hidden twice");
                            shown = false;
                        }
                        Effect::Dispatch(_, json) => {
                            prop_assert_eq!(&effects[i - 1], &Effect::Tell(json.clone()));
                        }
                        Effect::Changed(detail) => {
                            let now_on: Vec<String> = detail.categories.iter()
                                .filter(|(id, on)| **on && *id != "essential")
                                .map(|(id, _)| id.clone()).collect();
                            prop_assert!(detail.decided || now_on.is_empty());
                            prop_assert_eq!(detail.decided, banner.record.is_some());
                            if detail.decided && !full {
                                let stored = page.record();
                                prop_assert_eq!(stored.as_ref(), banner.record.as_ref());
                            }
                            prop_assert_eq!(detail.persisted, !full || !detail.decided);
                            let withdrew = accepted.iter().any(|id| !now_on.contains(id));
                            prop_assert_eq!(effects.contains(&Effect::Reload), withdrew);
                        }
                        _ => {}
                    }
                }
                prop_assert_eq!(shown, banner.view != View::Closed);
                // What is in effect now (another tab's record read by a sync too).
                accepted = banner.record.iter()
                    .flat_map(|r| r.categories.iter())
                    .filter(|(id, on)| **on && *id != "essential")
                    .map(|(id, _)| id.clone()).collect();
            }
        }
    }
}
