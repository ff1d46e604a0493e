//! The record in localStorage, probed first.
//!
//! Storage may be missing, blocked (sandboxed iframes, privacy modes) or full. [`RecordStore`]
//! probes it once; when it is unusable the decision still works for the page and events say
//! `persisted: false`.

use wasm_bindgen::{JsCast, JsValue};

use crate::record::{ConsentRecord, Stored};

/// Why a record could not be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageError {
    /// localStorage is missing or throws on access.
    Unavailable,
    /// Writing failed (quota exceeded, or storage became unavailable).
    Write(String),
}

impl StorageError {
    /// The message, as `Display` shows it (built without `core::fmt`).
    pub fn message(&self) -> String {
        match self {
            StorageError::Unavailable => {
                "storage: localStorage is unavailable; the choice holds for this page only".into()
            }
            StorageError::Write(reason) => {
                "storage: could not save the choice (".to_string()
                    + reason
                    + "); it holds for this page only"
            }
        }
    }
}

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

/// The consent record under one localStorage key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordStore {
    key: String,
    available: bool,
}

impl RecordStore {
    /// Opens the store for `key`, probing whether localStorage can be read and written.
    pub fn open(key: &str) -> RecordStore {
        RecordStore {
            key: key.to_string(),
            available: probe(),
        }
    }

    /// `false` when localStorage is missing or throws.
    pub fn is_available(&self) -> bool {
        self.available
    }

    /// What is stored under the key; [`Stored::Empty`] when storage is unavailable.
    pub fn read(&self) -> Stored {
        let text = local_storage()
            .filter(|_| self.available)
            .and_then(|storage| storage.get_item(&self.key).ok().flatten());
        Stored::parse(text.as_deref())
    }

    /// Writes the record.
    ///
    /// # Errors
    ///
    /// [`StorageError::Unavailable`] when the probe failed, [`StorageError::Write`] when the
    /// browser refused the write (quota).
    pub fn write(&self, record: &ConsentRecord) -> Result<(), StorageError> {
        let storage = local_storage()
            .filter(|_| self.available)
            .ok_or(StorageError::Unavailable)?;
        storage
            .set_item(&self.key, &record.to_json())
            .map_err(|e| StorageError::Write(describe(&e)))
    }

    /// Deletes the record.
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
