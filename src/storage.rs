//! The record in localStorage, through gloo-storage, probed first.
//!
//! Storage may be missing, blocked (sandboxed iframes, privacy modes) or full. [`RecordStore`]
//! probes it once; when it is unusable the decision still works for the page and events say
//! `persisted: false`.

use gloo_storage::{LocalStorage, Storage};

use crate::record::{ConsentRecord, Stored};

/// Why a record could not be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageError {
    /// localStorage is missing or throws on access.
    Unavailable,
    /// Writing failed (quota exceeded, or storage became unavailable).
    Write(String),
}

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StorageError::Unavailable => f.write_str(
                "storage: localStorage is unavailable; the choice holds for this page only",
            ),
            StorageError::Write(reason) => write!(
                f,
                "storage: could not save the choice ({reason}); it holds for this page only"
            ),
        }
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
        if !self.available {
            return Stored::Empty;
        }
        Stored::parse(
            LocalStorage::raw()
                .get_item(&self.key)
                .ok()
                .flatten()
                .as_deref(),
        )
    }

    /// Writes the record.
    ///
    /// # Errors
    ///
    /// [`StorageError::Unavailable`] when the probe failed, [`StorageError::Write`] when the
    /// browser refused the write (quota).
    pub fn write(&self, record: &ConsentRecord) -> Result<(), StorageError> {
        if !self.available {
            return Err(StorageError::Unavailable);
        }
        LocalStorage::set(&self.key, record).map_err(|e| StorageError::Write(e.to_string()))
    }

    /// Deletes the record.
    pub fn clear(&self) {
        if self.available {
            LocalStorage::delete(&self.key);
        }
    }
}

/// `true` when localStorage exists and a test key can be written and removed. gloo-storage's
/// `raw()` panics when storage is blocked, so this runs first.
fn probe() -> bool {
    const PROBE_KEY: &str = "__consent_banner_probe__";
    let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else {
        return false;
    };
    let ok = storage.set_item(PROBE_KEY, "1").is_ok();
    let _ = storage.remove_item(PROBE_KEY);
    ok
}
