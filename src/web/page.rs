//! [`Page`] over web-sys: what the banner's transitions do to the browser.

use crate::core::banner::{Location, Page};
use crate::core::events::{ConsentDetail, ErrorDetail, StorageError};
use crate::web::dom;
use crate::web::storage::RecordStore;

/// The browser as the mounted banner sees it: its record store and the host app's callback.
///
/// ```no_run
/// use consent_banner::config::Config;
/// use consent_banner::core::banner::{Banner, InitialView, Setting};
/// use consent_banner::web::page::WebPage;
/// use consent_banner::storage::RecordStore;
///
/// let config = Config::default();
/// let store = RecordStore::open(&config.storage_key);
/// let page = WebPage { store: &store, on_change: &|detail| { let _ = detail.decided; } };
/// let setting = Setting { config: &config, shown: None, gpc_declined: &[] };
/// let banner = Banner::mount(setting, &page, InitialView::Auto);
/// ```
pub struct WebPage<'a> {
    /// The record under the config's storage key.
    pub store: &'a RecordStore,
    /// The host app's `on_change`.
    pub on_change: &'a dyn Fn(ConsentDetail),
}

impl Page for WebPage<'_> {
    fn now(&self) -> u64 {
        dom::now_ms()
    }
    fn random_id(&self) -> String {
        dom::random_id()
    }
    fn persistent(&self) -> bool {
        self.store.is_available()
    }
    fn load(&self) -> Option<String> {
        self.store.read()
    }
    fn store(&self, record_json: &str) -> Result<(), StorageError> {
        self.store.write(record_json)
    }
    fn clear(&self) {
        self.store.clear();
    }
    fn cookies(&self) -> String {
        dom::cookie_header()
    }
    fn set_cookie(&self, cookie: &str) {
        dom::set_cookie(cookie);
    }
    fn location(&self) -> Location {
        dom::location()
    }
    fn tell(&self, name: &str, text: &str) -> bool {
        dom::tell(name, text)
    }
    fn dispatch(&self, name: &str, detail_json: &str) {
        dom::dispatch(name, detail_json);
    }
    fn changed(&self, detail: ConsentDetail) {
        (self.on_change)(detail);
    }
    fn beacon(&self, url: &str, body: &str) {
        dom::send_beacon(url, body);
    }
    fn reload(&self) {
        dom::reload();
    }
    fn report(&self, error: ErrorDetail) {
        dom::report_error(error);
    }
}
