//! The record in localStorage, probed first.
//!
//! Storage may be missing, blocked (sandboxed iframes, privacy modes) or full. [`RecordStore`]
//! probes it once; when it is unusable the decision still works for the page and events say
//! `persisted: false`.

use wasm_bindgen::{JsCast, JsValue};

pub use crate::core::events::StorageError;

/// The consent record under one localStorage key.
///
/// ```no_run
/// use consent_banner::config::Config;
/// use consent_banner::dom;
/// use consent_banner::record::Stored;
/// use consent_banner::storage::RecordStore;
///
/// let config = Config::default();
/// let store = RecordStore::open(&config.storage_key);
/// let stored = Stored::parse(store.read().as_deref());
/// match stored.valid_record(&config, dom::now_ms()) {
///     Some(record) => { /* decided: record.categories */ }
///     None => { /* ask */ }
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordStore {
    key: String,
    available: bool,
}

impl RecordStore {
    /// Opens the store for `key`, probing whether localStorage can be read and written.
    ///
    /// ```no_run
    /// # use consent_banner::storage::RecordStore;
    /// let store = RecordStore::open("consent-banner");
    /// ```
    pub fn open(key: &str) -> RecordStore {
        RecordStore {
            key: key.to_string(),
            available: probe(),
        }
    }

    /// `false` when localStorage is missing or throws.
    ///
    /// ```no_run
    /// # use consent_banner::storage::RecordStore;
    /// let persisted = RecordStore::open("consent-banner").is_available(); // `persisted` in events
    /// ```
    pub fn is_available(&self) -> bool {
        self.available
    }

    /// The text stored under the key; `None` when there is none or storage is unavailable.
    ///
    /// ```no_run
    /// # use consent_banner::storage::RecordStore;
    /// use consent_banner::record::Stored;
    ///
    /// let stored = Stored::parse(RecordStore::open("consent-banner").read().as_deref());
    /// ```
    pub fn read(&self) -> Option<String> {
        local_storage()
            .filter(|_| self.available)
            .and_then(|storage| storage.get_item(&self.key).ok().flatten())
    }

    /// Writes the record's text.
    ///
    /// # Errors
    ///
    /// [`StorageError::Unavailable`] when the probe failed, [`StorageError::Write`] when the
    /// browser refused the write (quota).
    ///
    /// ```no_run
    /// use consent_banner::config::Config;
    /// use consent_banner::consent::{decide, Action};
    /// use consent_banner::dom;
    /// use consent_banner::record::Source;
    /// use consent_banner::storage::RecordStore;
    ///
    /// let config = Config::default();
    /// let record = decide(&config, None, &Action::RejectAll, dom::now_ms(), &dom::random_id(), Source::Api);
    /// if let Err(error) = RecordStore::open(&config.storage_key).write(&record.to_json()) {
    ///     dom::report_error(error.into()); // the choice holds for this page only
    /// }
    /// ```
    pub fn write(&self, text: &str) -> Result<(), StorageError> {
        let storage = local_storage()
            .filter(|_| self.available)
            .ok_or(StorageError::Unavailable)?;
        storage
            .set_item(&self.key, text)
            .map_err(|e| StorageError::Write(describe(&e)))
    }

    /// Deletes the record.
    ///
    /// ```no_run
    /// # use consent_banner::storage::RecordStore;
    /// RecordStore::open("consent-banner").clear();
    /// ```
    pub fn clear(&self) {
        if let Some(storage) = local_storage().filter(|_| self.available) {
            let _ = storage.remove_item(&self.key);
        }
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// What a thrown value says: `error.toString()` for an `Error` (`QuotaExceededError: ...`), the
/// text of a thrown string.
fn describe(thrown: &JsValue) -> String {
    match thrown.dyn_ref::<js_sys::Error>() {
        Some(error) => error.to_string().into(),
        None => thrown
            .as_string()
            .unwrap_or_else(|| "an unknown error".into()),
    }
}

/// `true` when localStorage exists and a test key can be written and removed.
fn probe() -> bool {
    const PROBE_KEY: &str = "__consent_banner_probe__";
    let Some(storage) = local_storage() else {
        return false;
    };
    let ok = storage.set_item(PROBE_KEY, "1").is_ok();
    let _ = storage.remove_item(PROBE_KEY);
    ok
}
